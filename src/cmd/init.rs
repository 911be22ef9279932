//! `init`: create a data folder.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};

use super::value;
use super::{Context, GridArgs, Ui};
use crate::error::{Error, Result};
use crate::model::{Day, Event, EventInfo, Slot, Time, Zone};
use crate::store::{self, Store};

/// Create a data folder: an empty event with its days, or the sample with --sample.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands init data --sample\n  \
    allhands init myevent --name \"Team offsite\" --location Berlin --timezone Europe/Berlin \\\n      \
    --from 2026-09-01 --to 2026-09-03 --opens 09:00 --closes 17:30")]
pub struct Args {
    /// The folder to create [default: the data folder, ./data]
    pub dir: Option<PathBuf>,
    /// Copy the built-in sample: the Rust All Hands 2026 with fictional attendees
    #[arg(long, conflicts_with_all = ["name", "location", "timezone", "from", "to"])]
    pub sample: bool,
    /// The event's name
    #[arg(long, default_value = "New event")]
    pub name: String,
    /// Where it takes place
    #[arg(long, default_value = "")]
    pub location: String,
    /// IANA time zone of the venue
    #[arg(long, default_value = "Europe/Amsterdam")]
    pub timezone: String,
    /// First day, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = value::date)]
    pub from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD [default: --from]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = value::date)]
    pub to: Option<NaiveDate>,
    /// When each day opens (HH:MM)
    #[arg(long, default_value = "09:00", value_name = "HH:MM", value_parser = value::time)]
    pub opens: Time,
    /// When each day closes (HH:MM)
    #[arg(long, default_value = "17:30", value_name = "HH:MM", value_parser = value::time)]
    pub closes: Time,
    #[command(flatten)]
    pub grid: GridArgs,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let dir = args.dir.clone().unwrap_or_else(|| ctx.data_dir.clone());
    if args.sample {
        store::sample::write(&dir)?;
        return ui.status(format!(
            "Created {} with the Rust All Hands 2026 sample. Try `allhands --data-dir {} schedule`.\n{}",
            dir.display(),
            dir.display(),
            git_merges(&dir)
        ));
    }
    let timezone = Zone::parse(&args.timezone).map_err(|m| Error::refused(format!("--timezone: {m}")))?;
    let (opens, closes) = (args.opens, args.closes);
    if closes <= opens {
        return Err(Error::refused(format!(
            "--closes {closes} is not after --opens {opens}"
        )));
    }
    let days = match (args.from, args.to) {
        (None, None) => vec![],
        (None, Some(_)) => return Err(Error::refused("--to needs --from")),
        (Some(from), to) => {
            let to = to.unwrap_or(from);
            let count = (to - from).num_days() + 1;
            if !(1..=31).contains(&count) {
                return Err(Error::refused(format!(
                    "--from {from} --to {to} must span 1 to 31 days"
                )));
            }
            (0..count as u64)
                .map(|i| {
                    let date = from.checked_add_days(Days::new(i)).expect("within range");
                    let id = Day::id_for(date, i as usize, count as usize);
                    Day::new(id, date, opens, closes)
                })
                .collect()
        }
    };
    let grid = args.grid.grid()?;
    let slots: Vec<Slot> = match grid {
        Some(grid) => days.iter().flat_map(|d| grid.slots(d)).collect(),
        None => vec![],
    };
    let info = EventInfo {
        name: args.name.trim().to_string(),
        location: args.location.trim().to_string(),
        timezone,
        extra: Default::default(),
    };
    let (days_made, slots_made) = (days.len(), slots.len());
    if store::holds_event(&dir) {
        // Re-running init on an event with nothing in it yet lays out its days again.
        Store::open(&dir)?.update(|event| {
            let empty = event.attendees.is_empty() && event.rooms.is_empty() && event.sessions.is_empty();
            if !empty {
                return Err(Error::refused(format!(
                    "{} already holds an event with people, rooms or sessions; not overwriting it \
                     (change days with `allhands add-day` / `edit-day`)",
                    dir.display()
                )));
            }
            (event.info, event.days, event.slots) = (info.clone(), days, slots);
            Ok(())
        })?;
    } else {
        let event = Event::new(info.clone(), days, slots);
        store::create(&dir, &event)?;
    }
    let data = if dir == std::path::Path::new("data") {
        String::new()
    } else {
        format!(" --data-dir {}", dir.display())
    };
    let mut lines = vec![format!(
        "Created {} for {} with {} and {}.",
        dir.display(),
        info.name,
        plural(days_made, "day"),
        plural(slots_made, "slot")
    )];
    if days_made == 0 {
        lines.push(format!(
            "Add days: allhands{data} add-day YYYY-MM-DD (or init again with --from/--to)"
        ));
    }
    lines.push("Next steps:".into());
    lines.push(format!(
        "  allhands{data} add-room main --name \"Main Hall\" --capacity 150 --features projector"
    ));
    lines.push(format!("  allhands{data} import-attendees registrations.csv --dry-run"));
    lines.push(format!(
        "  allhands{data} add-session \"Kick-off\" --plenary --duration 60"
    ));
    lines.push(format!("  allhands{data} plan"));
    lines.push(git_merges(&dir));
    ui.status(lines.join("\n"))
}

/// Sets up git merges when the new folder is inside a repository, and says what happened (a
/// problem here does not undo the new folder: it says how to retry).
fn git_merges(dir: &Path) -> String {
    match store::git::set_up(dir) {
        Ok(Some(_)) => "Git merges its files record by record (see `allhands git-setup --help`).".into(),
        Ok(None) => format!(
            "To share it through git: `git init`, then `allhands git-setup {}`.",
            dir.display()
        ),
        Err(e) => format!(
            "Git merges are not set up: {e}\nFix that, then run `allhands git-setup {}`.",
            dir.display()
        ),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
