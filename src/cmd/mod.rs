//! The command line: the global options ([`Cli`]), every command ([`Command`]) beside its
//! dispatch ([`run`]), and a module per command group. Each command has its clap `Args` (with
//! an example in its help) and a function that loads through `store`, works on `model`, and
//! prints what `render` makes through the one [`Ui`].

pub mod attendee;
pub mod booking;
pub mod check;
pub mod complete;
pub mod day;
pub mod export;
pub mod generate;
pub mod import;
pub mod import_interest;
pub mod import_sessions;
pub mod init;
pub mod merge;
pub mod now;
pub mod plan;
pub mod publish;
pub mod room;
pub mod schedule;
pub mod session;
pub mod sessions;
pub mod shell;
pub mod site;
pub mod stats;
pub mod ui;
pub mod value;

pub use ui::Ui;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde_json::json;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
use clap::Parser;

use crate::error::{Error, Result};
use crate::model::publish::{History, Schedule, calendar_history};
use crate::model::{self, Day, Event, Grid, Span, Time, selection};
use crate::render::{Format, ics};
use crate::store::{self, Store};
use value::Setting;

const EXAMPLES: &str = "\
Examples:
  allhands init data --sample            the Rust All Hands 2026 sample event
  allhands schedule --day thu            Thursday's agenda
  allhands rooms --day thu               which session is in which room when
  allhands free --day fri --at 15:00 --for 60 --size 8
  allhands adhoc \"Async closures follow-up\" --day fri --at 15:00 --for 60 --size 8
  allhands schedule --attendee ferris    a personal agenda

Exit status: 0 success, 1 problems found (check), 2 usage or data error (nothing written).";

/// The organizers' tool for a multi-day, in-person project meeting: attendees, rooms and the
/// schedule, kept in a folder of CSV files.
#[derive(Debug, Parser)]
#[command(name = "allhands", version, after_help = EXAMPLES, max_term_width = 100, arg_required_else_help = true)]
pub struct Cli {
    /// The data folder [default: ./data]
    #[arg(
        long,
        global = true,
        env = "ALLHANDS_DATA",
        value_name = "DIR",
        hide_env_values = true
    )]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| PathBuf::from("data"))
    }
}

/// Every command. Adding one: a variant here, its arm in [`run`], and its module.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a data folder: an empty event, or the sample with --sample
    Init(init::Args),

    /// Add a day, with a grid of slots
    AddDay(day::AddDayArgs),
    /// Change a day's opening hours
    EditDay(day::EditDayArgs),
    /// Add a slot the planner may place sessions in
    AddSlot(day::AddSlotArgs),
    /// Remove a slot (sessions booked then stay)
    RemoveSlot(day::RemoveSlotArgs),

    /// Add a person
    AddAttendee(attendee::AddArgs),
    /// List people, filtered by team, day, status or role
    Attendees(attendee::ListArgs),
    /// Change a person's details
    EditAttendee(attendee::EditArgs),
    /// Remove a person
    RemoveAttendee(attendee::RemoveArgs),
    /// Add or update people from a registration form's CSV export
    ImportAttendees(import::Args),

    /// Add a meeting room
    AddRoom(room::AddArgs),
    /// Change a room's name, capacity or features
    EditRoom(room::EditArgs),
    /// Remove a room that has no sessions
    RemoveRoom(room::RemoveArgs),
    /// List rooms with their use per day, or with --day the day's allocation
    Rooms(room::ListArgs),
    /// Find rooms free at a time
    Free(booking::FreeArgs),

    /// List sessions (filter by team, day, room, person), or show one with everyone it draws
    Sessions(sessions::Args),
    /// Add a session (a discussion), unscheduled
    AddSession(session::AddArgs),
    /// Change a session's title, team, duration, needs or time
    EditSession(session::EditArgs),
    /// Remove a session and who takes part in it
    RemoveSession(session::RemoveArgs),
    /// Add people to a session, as interested or --required
    Join(session::JoinArgs),
    /// Take people off a session
    Leave(session::LeaveArgs),
    /// Add or update sessions from proposals: a GitHub issue export (JSON) or a spreadsheet
    ImportSessions(import_sessions::Args),
    /// Add interest in sessions from a form export: who would like to attend, who must
    ImportInterest(import_interest::Args),
    /// Put a session in a room at a time
    Book(booking::BookArgs),
    /// Take a session out of the schedule (it stays, unscheduled)
    Unbook(booking::UnbookArgs),
    /// Create an ad-hoc session and book it in one go
    Adhoc(booking::AdhocArgs),

    /// Print the agenda: all days, a day, a person's, a room's or a team's
    Schedule(schedule::Args),
    /// What is on in every room now, and what comes next
    Now(now::Args),

    /// Place every unscheduled, unpinned session automatically
    Plan(plan::Args),
    /// List every conflict and integrity problem (exit status 1 if any)
    Check(check::Args),
    /// Figures: attendees by status, role, day and team; room use; sessions; clashes
    Stats(stats::Args),
    /// Record the current schedule as the next numbered version
    Publish(publish::PublishArgs),
    /// What changed since a published version, and who it affects
    Changes(publish::ChangesArgs),
    /// Write files for others: calendar feeds, the venue's static site
    Export(export::Args),
    /// Write a realistic made-up event of any size (for trying the planner, benchmarks)
    Generate(generate::Args),
    /// Make git merge the data files record by record and check the data after a merge
    GitSetup(merge::GitSetupArgs),
    /// git's merge driver for the data files: merge three versions record by record
    MergeFile(merge::MergeFileArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(shell::CompletionsArgs),
    /// Print the man page
    Man(shell::ManArgs),
}

/// Runs the command the user asked for on the data folder `data_dir`.
pub fn run(ui: &Ui, command: Command, data_dir: PathBuf) -> Result<()> {
    let ctx = Context { data_dir };
    match command {
        Command::Init(args) => init::run(ui, &ctx, args),
        Command::AddDay(args) => day::add_day(ui, &ctx, args),
        Command::EditDay(args) => day::edit_day(ui, &ctx, args),
        Command::AddSlot(args) => day::add_slot(ui, &ctx, args),
        Command::RemoveSlot(args) => day::remove_slot(ui, &ctx, args),
        Command::AddAttendee(args) => attendee::add(ui, &ctx, args),
        Command::Attendees(args) => attendee::list(ui, &ctx, args),
        Command::EditAttendee(args) => attendee::edit(ui, &ctx, args),
        Command::RemoveAttendee(args) => attendee::remove(ui, &ctx, args),
        Command::AddRoom(args) => room::add(ui, &ctx, args),
        Command::EditRoom(args) => room::edit(ui, &ctx, args),
        Command::RemoveRoom(args) => room::remove(ui, &ctx, args),
        Command::Rooms(args) => room::list(ui, &ctx, args),
        Command::Free(args) => booking::free(ui, &ctx, args),
        Command::Sessions(args) => sessions::run(ui, &ctx, args),
        Command::AddSession(args) => session::add(ui, &ctx, args),
        Command::EditSession(args) => session::edit(ui, &ctx, args),
        Command::RemoveSession(args) => session::remove(ui, &ctx, args),
        Command::Join(args) => session::join(ui, &ctx, args),
        Command::Leave(args) => session::leave(ui, &ctx, args),
        Command::Book(args) => booking::book(ui, &ctx, args),
        Command::Unbook(args) => booking::unbook(ui, &ctx, args),
        Command::Adhoc(args) => booking::adhoc(ui, &ctx, args),
        Command::Schedule(args) => schedule::run(ui, &ctx, args),
        Command::Now(args) => now::run(ui, &ctx, args),
        Command::Check(args) => check::run(ui, &ctx, args),
        Command::Plan(args) => plan::run(ui, &ctx, args),
        Command::Generate(args) => generate::run(ui, &ctx, args),
        Command::Stats(args) => stats::run(ui, &ctx, args),
        Command::ImportAttendees(args) => import::run(ui, &ctx, args),
        Command::GitSetup(args) => merge::git_setup(ui, &ctx, args),
        Command::MergeFile(args) => merge::merge_file(ui, &ctx, args),
        Command::Publish(args) => publish::publish(ui, &ctx, args),
        Command::Changes(args) => publish::changes(ui, &ctx, args),
        Command::Export(args) => export::run(ui, &ctx, args),
        Command::ImportSessions(args) => import_sessions::run(ui, &ctx, args),
        Command::ImportInterest(args) => import_interest::run(ui, &ctx, args),
        Command::Completions(args) => shell::completions(ui, &ctx, args),
        Command::Man(args) => shell::man(ui, &ctx, args),
    }
}

/// What every command gets besides its own arguments.
pub struct Context {
    pub data_dir: PathBuf,
}

impl Context {
    pub fn store(&self) -> Result<Store> {
        Ok(Store::open(&self.data_dir)?.for_one_command())
    }

    pub fn load(&self) -> Result<Event> {
        self.store()?.load()
    }

    /// Loads the files `parts` names (see [`store::Parts`]) for a command that only reads the
    /// event. The event then lives until the process exits: freeing it piece by piece just
    /// before that (some hundred thousand strings for 10,000 people) would only cost time.
    pub fn load_to_read(&self, parts: store::Parts) -> Result<&'static Event> {
        Ok(Box::leak(Box::new(self.store()?.load_parts(parts)?)))
    }
}

/// `--format` and `-o`, for every command that prints a listing.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// The format asked for, as render knows it.
    pub fn format(&self) -> Format {
        self.format.into()
    }

    /// Whether the output is for people (table, markdown) rather than programs.
    pub fn for_people(&self) -> bool {
        matches!(self.format, FormatArg::Table | FormatArg::Md)
    }
}

/// `--format`'s values; render's [`Format`] stays free of clap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// A table sized to the terminal (the default)
    Table,
    /// Comma-separated values with a header row; formulas defused
    Csv,
    /// An array of objects, one per row, keys as the csv header
    Json,
    /// Markdown tables with a heading per section, for Zulip or GitHub
    Md,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Md => Format::Md,
        }
    }
}

/// Refuses an output folder inside the data folder, so an export never touches its files.
pub fn outside_data(dir: &Path, data: &Path) -> Result<()> {
    let data = data.canonicalize().map_err(Error::io(data))?;
    let absolute = std::path::absolute(dir).map_err(Error::io(dir))?;
    // The part of the path that exists, resolved (symbolic links, `..`), then the rest.
    let mut existing = absolute.as_path();
    while !existing.exists() {
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut resolved = existing.canonicalize().map_err(Error::io(existing))?;
    // What does not exist yet cannot be a link: `..` there is resolved by name.
    for part in absolute.components().skip(existing.components().count()) {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    if resolved.starts_with(&data) {
        return Err(Error::refused(format!(
            "{} is inside the data folder {}: write it elsewhere (e.g. site, or site/feeds)",
            dir.display(),
            data.display()
        )));
    }
    Ok(())
}

/// Writes the calendar feeds ([`ics::feeds`]) into `dir`, for `export feeds` and `export
/// site`: only the files whose bytes change, and says which feeds it no longer writes.
pub fn write_feeds(ui: &Ui, ctx: &Context, dir: &Path, personal: bool) -> Result<()> {
    let store = ctx.store()?;
    let folders = ["", "rooms", "teams", "people"].map(|f| dir.join(f));
    for folder in &folders {
        outside_data(folder, store.dir())?;
    }
    let (event, history) = store.load_with_history()?;
    let Some(last) = history.last() else {
        return Err(Error::refused(
            "nothing is published yet: `allhands publish` first, so that subscribed calendars get versions they \
             can update from",
        ));
    };
    let stamp = calendar_stamp(&history)?;
    let current = Schedule::current(&event);
    let revisions = calendar_history(&history, &current, stamp);
    let unpublished = model::publish::changes(&history.schedule(last.number), &current).len();
    let feeds = ics::feeds(&event, &revisions.withdrawn, personal);

    let index = model::rules::Index::new(&event);
    let (mut written, mut unchanged) = (0, 0);
    for feed in &feeds {
        let selection = selection::select(&event, feed.filter);
        let text = ics::calendar_of(&event, &index, &selection, &revisions, stamp);
        let path = dir.join(&feed.path);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        ui.output(Some(&path), text.as_bytes())?;
        written += 1;
    }
    let teams = feeds.iter().filter(|f| f.filter.team.is_some()).count();
    let personal = if personal {
        format!(
            ", {} people",
            feeds.iter().filter(|f| f.filter.person.is_some()).count()
        )
    } else {
        String::new()
    };
    ui.status(format!(
        "{} feeds in {} ({written} written, {unchanged} unchanged): all.ics, {} rooms, {teams} teams{personal}; \
         events as of version {}.",
        feeds.len(),
        dir.display(),
        event.rooms.len(),
        last.number
    ))?;
    // Feeds written before that this export no longer writes (a room removed, say) would go
    // stale on the server: say so, but leave them (the folder may hold other files).
    let wanted: BTreeSet<PathBuf> = feeds.iter().map(|feed| dir.join(&feed.path)).collect();
    let mut stale: Vec<String> = Vec::new();
    for folder in &folders[1..] {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ics") && !wanted.contains(&path) {
                stale.push(path.display().to_string());
            }
        }
    }
    stale.sort();
    if !stale.is_empty() {
        let shown = match stale.len() {
            n if n > 3 => format!("{} and {} more feeds are", stale[..3].join(", "), n - 3),
            1 => format!("{} is", stale[0]),
            _ => format!("{} are", stale.join(", ")),
        };
        ui.status(format!(
            "Note: {shown} no longer written (no room, team or person of that name, or no --personal); \
             remove them from the server if no one should subscribe any more."
        ))?;
    }
    if unpublished > 0 {
        ui.status(format!(
            "Note: {unpublished} change{} since version {} {} not published yet but already in the feeds; \
             `allhands publish` records {}.",
            if unpublished == 1 { "" } else { "s" },
            last.number,
            if unpublished == 1 { "is" } else { "are" },
            if unpublished == 1 { "it" } else { "them" },
        ))?;
    }
    Ok(())
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC), when set: the time for reproducible files.
pub fn source_date_epoch() -> Result<Option<DateTime<Utc>>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .map(Some)
            .ok_or_else(|| Error::refused(format!("SOURCE_DATE_EPOCH '{text}' is not a number of seconds"))),
        Err(_) => Ok(None),
    }
}

/// Now, or `SOURCE_DATE_EPOCH` when set (for reproducible tests and builds).
pub fn now_utc() -> Result<DateTime<Utc>> {
    Ok(source_date_epoch()?.unwrap_or_else(Utc::now))
}

/// DTSTAMP for calendars, reproducible from the data: `SOURCE_DATE_EPOCH`, else the last
/// publish, else (nothing published yet) now.
pub fn calendar_stamp(history: &History) -> Result<DateTime<Utc>> {
    match (source_date_epoch()?, history.last()) {
        (Some(at), _) => Ok(at),
        (None, Some(last)) => Ok(last.published_at),
        (None, None) => Ok(Utc::now()),
    }
}

/// How to lay out a day's slots (shared by `init` and `add-day`).
#[derive(Debug, Clone, clap::Args)]
pub struct GridArgs {
    /// Length of each slot: 90, 90m, 1h30
    #[arg(long, value_name = "DURATION", default_value = "90", value_parser = value::duration, allow_negative_numbers = true)]
    pub block: u32,
    /// Time between two slots: 30, 15m, or 0
    #[arg(long, value_name = "DURATION", default_value = "30", value_parser = value::duration_or_zero, allow_negative_numbers = true)]
    pub pause: u32,
    /// A lunch break no slot crosses: HH:MM-HH:MM, or "none"
    #[arg(long, value_name = "HH:MM-HH:MM", default_value = "12:30-13:30", value_parser = value::span_or_none)]
    pub lunch: Setting<Span>,
    /// Make no slots (add them with `allhands add-slot`)
    #[arg(long)]
    pub no_slots: bool,
}

impl GridArgs {
    /// The grid asked for, or `None` with --no-slots.
    pub fn grid(&self) -> Result<Option<Grid>> {
        if self.no_slots {
            return Ok(None);
        }
        Ok(Some(Grid {
            block: self.block,
            pause: self.pause,
            lunch: self.lunch.into_option(),
        }))
    }
}

/// What the imports of proposals and interest take: the file, its columns named by hand, and
/// whether to write.
#[derive(Debug, clap::Args)]
pub struct ImportFile {
    /// The file to read (see below)
    pub file: PathBuf,
    /// Read column COLUMN as FIELD (the fields are listed below)
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub maps: Vec<String>,
    /// Show what would happen, write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// A report cell of several lines: an array in json, one line each in a table or csv, joined
/// with `; ` in markdown (where a table row must stay on one line).
pub fn lines_cell(format: crate::render::Format, lines: &[String]) -> serde_json::Value {
    use crate::render::Format;
    match format {
        Format::Json => json!(lines),
        Format::Md => json!(lines.join("; ")),
        Format::Table | Format::Csv => json!(lines.join("\n")),
    }
}

/// Checks a session title: present, one line.
pub fn title(text: &str) -> Result<String> {
    let text = text.trim();
    model::identity::validate_title(text).map_err(Error::refused)?;
    Ok(text.to_string())
}

/// Checks a session's `--team` (empty: no team).
pub fn team(text: &str) -> Result<String> {
    let text = text.trim();
    if !text.is_empty() {
        model::validate_key("team", text).map_err(|m| Error::refused(format!("--team: {m}")))?;
    }
    Ok(text.to_string())
}

/// Ties the people named by `--required`/`--interested` to a session (see
/// [`Event::tie_people`]).
pub fn add_participants(
    event: &mut Event,
    session: &str,
    required: &[String],
    interested: &[String],
) -> Result<Vec<String>> {
    let required = known_handles(event, &items(required))?;
    let interested = known_handles(event, &items(interested))?;
    event
        .tie_people(session, &required, &interested)
        .map_err(Error::refused)
}

/// Resolves a `--day` value.
pub fn day_arg<'a>(event: &'a Event, text: &str) -> Result<&'a Day> {
    event.find_day(text).map_err(|m| Error::refused(format!("--day: {m}")))
}

/// Room features or needed features from repeated/comma-separated values: each a valid key,
/// sorted, without repeats.
pub fn features(values: &[String]) -> Result<Vec<String>> {
    let mut list = items(values);
    for feature in &list {
        model::validate_key("feature", feature).map_err(Error::refused)?;
    }
    list.sort();
    list.dedup();
    Ok(list)
}

/// Splits repeated and comma-separated values (`--team a --team b,c`) into items.
pub fn items(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| model::split_typed_list(v, &[',', ';']))
        .collect()
}

/// The event's current date and time in its own time zone. `ALLHANDS_NOW` (e.g.
/// `2026-05-22T15:00`, event-local) overrides the clock, for rehearsals and tests.
pub fn now_local(event: &Event) -> Result<(NaiveDate, Time)> {
    if let Ok(text) = std::env::var("ALLHANDS_NOW") {
        let at = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M").map_err(|_| {
            Error::refused(format!(
                "ALLHANDS_NOW '{text}' is not a date and time like 2026-05-22T15:00"
            ))
        })?;
        return Ok((at.date(), Time::hm(at.hour(), at.minute()).expect("valid clock time")));
    }
    let at = Utc::now().with_timezone(&event.info.timezone.tz()).naive_local();
    Ok((at.date(), Time::hm(at.hour(), at.minute()).expect("valid clock time")))
}

/// `--day` and `--at` for commands about a moment, defaulting to now.
#[derive(Debug, Clone, clap::Args)]
pub struct Moment {
    /// [default: today]
    #[arg(add = complete::days(), long)]
    pub day: Option<String>,
    /// [default: now]
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub at: Option<Time>,
}

impl Moment {
    /// The day and time given, or now in the event's time zone.
    pub fn resolve<'a>(&self, event: &'a Event) -> Result<(&'a Day, Time)> {
        day_and_time(event, self.day.as_deref(), self.at)
    }
}

/// The `--day`/`--at` given, or now: the event day and time to look at.
fn day_and_time<'a>(event: &'a Event, day: Option<&str>, at: Option<Time>) -> Result<(&'a Day, Time)> {
    let (today, now) = if day.is_none() || at.is_none() {
        now_local(event)?
    } else {
        (NaiveDate::MIN, Time::MIDNIGHT)
    };
    let day = match day {
        Some(text) => day_arg(event, text)?,
        None => event.days.iter().find(|d| d.date == today).ok_or_else(|| {
            let days: Vec<String> = event.days.iter().map(|d| format!("{} ({})", d.id, d.date)).collect();
            Error::refused(format!(
                "today ({today} in {}) is not a day of the event; give --day (valid: {})",
                event.info.timezone,
                days.join(", ")
            ))
        })?,
    };
    // "Now" means the next five-minute mark: nobody books a room from 14:03.
    let at = at.unwrap_or_else(|| now.round_up(5));
    Ok((day, at))
}

/// Resolves handles to attendees, failing on the first unknown one with a suggestion.
pub fn known_handles(event: &Event, handles: &[String]) -> Result<Vec<String>> {
    handles
        .iter()
        .map(|h| Ok(event.find_attendee(h)?.handle.clone()))
        .collect()
}

/// Refuses a new key that is another one in disguise: equal after normalisation and case
/// folding, or looking the same (Cyrillic `а` for `a`). `existing` gives each key and its line.
pub fn refuse_look_alike<'a>(
    what: &str,
    file: &str,
    key: &str,
    existing: impl IntoIterator<Item = (&'a str, u64)>,
) -> Result<()> {
    let alike = model::identity::Alike::new(key);
    match existing.into_iter().find(|(other, _)| alike.is(other)) {
        None => Ok(()),
        Some((other, line)) => Err(Error::refused(format!(
            "{what} '{key}' looks like the existing {what} '{other}' ({file} line {line}); use '{other}', or a \
             {what} nobody can mistake for it"
        ))),
    }
}

/// Refuses a change that breaks a hard rule, naming what is in the way.
pub fn refuse_conflicts(what: &str, conflicts: &[model::rules::Conflict]) -> Result<()> {
    match conflicts {
        [] => Ok(()),
        [one] => Err(Error::refused(format!("cannot {what}: {one}"))),
        many => {
            let lines: Vec<String> = many.iter().map(|c| format!("  - {c}")).collect();
            Err(Error::refused(format!("cannot {what}:\n{}", lines.join("\n"))))
        }
    }
}
