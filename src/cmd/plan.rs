//! `plan`: place every unscheduled, unpinned session automatically.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Context, OutputArgs, Ui};
use crate::error::{Error, Result};
use crate::model::{Event, integrity, rules};
use crate::plan::{self, Options, Outcome};
use crate::render::Listing;

/// Place every unscheduled, unpinned session into a slot and a room.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands plan --dry-run        show what it would do, write nothing\n  \
    allhands plan                  place the unscheduled sessions\n  \
    allhands plan --replan --seed 7  re-place every unpinned session\n\n\
    Never breaks a hard rule; minimises attendee clashes, then sessions missed for being away,\n\
    then unmet preferences, then (with --replan) moves, then rooms far larger than needed.\n\
    Exit status 1 when some session could not be placed (the rest are placed)."
)]
pub struct Args {
    /// Show the plan without writing it
    #[arg(long)]
    pub dry_run: bool,
    /// Move every unpinned session, not just unscheduled ones
    #[arg(long)]
    pub replan: bool,
    /// Same seed, same plan
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep searching this many seconds, which may find fewer clashes (default: a fixed amount
    /// of search for the event's size, so a seed gives the same plan on every machine); the
    /// lock is not held meanwhile
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let time_limit = match args.time_limit {
        None => None,
        Some(s) => Some(
            Duration::try_from_secs_f64(s)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    Error::refused(format!(
                        "--time-limit {s} must be a number of seconds above 0 (e.g. 2 or 0.5)"
                    ))
                })?,
        ),
    };
    let options = Options {
        seed: args.seed,
        time_limit,
        replan: args.replan,
    };
    let started = Instant::now();
    let _progress = ui.progress("planning");
    // Plan on a snapshot without holding the write lock (a long --time-limit must not block
    // `now` or `schedule`), then write only if nobody changed the data meanwhile.
    let snapshot = ctx.load()?;
    refuse_unusable_slots(&snapshot)?;
    let waiting = snapshot
        .sessions
        .iter()
        .filter(|s| !s.pinned && !s.is_scheduled())
        .count();
    if snapshot.slots.is_empty() && (waiting > 0 || args.replan) {
        return Err(Error::refused(format!(
            "slots.csv is empty, so there is nowhere to place {waiting} session(s): add slots with \
             `allhands add-slot --day DAY --start HH:MM --end HH:MM`, or lay out a grid with \
             `allhands add-day DATE` / `allhands init --from DATE --to DATE` on an empty event"
        )));
    }
    let outcome = plan::plan(&snapshot, &options);
    let mut event = snapshot.clone();
    outcome.apply(&mut event);
    if !args.dry_run {
        ctx.store()?.update(|current| {
            if *current != snapshot {
                return Err(Error::refused(
                    "the data changed while planning; nothing written: run `allhands plan` again",
                ));
            }
            outcome.apply(current);
            Ok(())
        })?;
    }
    let elapsed = started.elapsed();
    drop(_progress);
    ui.listing(
        &args.output,
        listing(&event, &outcome, args.dry_run, elapsed, args.output.for_people()),
    )?;
    if outcome.unplaced.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for u in &outcome.unplaced {
        let label = event.session(&u.session).map_or(u.session.clone(), |s| s.label());
        lines.push(format!("  - {label}: {}", u.reason));
        lines.extend(
            u.slots
                .iter()
                .filter(|why| **why != u.reason)
                .map(|why| format!("      {why}")),
        );
    }
    ui.report(&format!(
        "could not place {} session(s):\n{}",
        outcome.unplaced.len(),
        lines.join("\n")
    ));
    Err(Error::Problems { summary: None })
}

/// The planner places sessions at slot starts and treats slots as never overlapping: refuse
/// slots that overlap or repeat instead of planning double bookings.
fn refuse_unusable_slots(event: &Event) -> Result<()> {
    let problems: Vec<String> = integrity::slot_problems(event)
        .into_iter()
        .filter(|p| matches!(p.kind, "slots-overlap" | "duplicate-key"))
        .map(|p| format!("  slots.csv:{}: {}", p.line, p.message))
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::refused(format!(
        "plan needs slots that do not overlap; fix slots.csv first:\n{}",
        problems.join("\n")
    )))
}

fn listing(event: &Event, outcome: &Outcome, dry_run: bool, elapsed: Duration, for_people: bool) -> Listing {
    let index = rules::Index::new(event);
    let moved = outcome.placed.iter().any(|p| p.was.is_some());
    // People see "sat 14:00-15:00" in one column, the room by name and where a moved session
    // was only when something moved; programs get every field apart, rooms by id, and the
    // sessions left out with why.
    let mut hidden = vec![
        "status",
        "day",
        "start",
        "end",
        "room",
        "was_day",
        "was_start",
        "was_room",
        "reason",
    ];
    if !moved {
        hidden.push("moved_from");
    }
    let mut listing = Listing::new(&[
        "session",
        "title",
        "status",
        "when",
        "day",
        "start",
        "end",
        "room",
        "room_name",
        "people",
        "moved_from",
        "was_day",
        "was_start",
        "was_room",
        "reason",
    ])
    .hide_for_people(&hidden)
    .hide_for_programs(&["when", "moved_from"])
    .people_header("session", "id")
    .people_header("room_name", "room")
    .people_header("moved_from", "was")
    .wide("title")
    .unbroken(&["session", "when", "people"])
    .align_right(&["people"]);
    listing.empty_message = "nothing to place: every session is scheduled or pinned".into();
    let mut placed: Vec<_> = outcome.placed.iter().collect();
    placed.sort_by_key(|p| (event.day_index(&p.day), p.start, p.room.clone()));
    for p in placed {
        let Some(s) = event.session(&p.session) else { continue };
        let end = p.start.plus(s.duration);
        let was = |f: fn(&(String, crate::model::Time, String)) -> String| {
            p.was.as_ref().map_or(Value::Null, |w| json!(f(w)))
        };
        listing.push(vec![
            json!(s.id),
            json!(s.title),
            json!(if p.was.is_some() { "moved" } else { "placed" }),
            json!(format!(
                "{} {}-{}",
                p.day,
                p.start,
                end.map_or(String::new(), |e| e.to_string())
            )),
            json!(p.day),
            json!(p.start),
            end.map_or(Value::Null, |e| json!(e)),
            json!(p.room),
            json!(event.room_name(&p.room)),
            json!(index.headcount(s)),
            was(|(d, t, r)| format!("{d} {t} {r}")),
            was(|(d, _, _)| d.clone()),
            was(|(_, t, _)| t.to_string()),
            was(|(_, _, r)| r.clone()),
            Value::Null,
        ]);
    }
    // People read the sessions left out on standard error, with their reasons.
    if !for_people {
        for u in &outcome.unplaced {
            let title = event.session(&u.session).map_or(Value::Null, |s| json!(s.title));
            let mut reason = vec![u.reason.clone()];
            reason.extend(u.slots.iter().filter(|why| **why != u.reason).cloned());
            listing.push(vec![
                json!(u.session),
                title,
                json!("unplaced"),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                json!(reason.join("; ")),
            ]);
        }
    }
    let verb = if dry_run { "would place" } else { "placed" };
    // The search weighs overlapping sessions wanted by someone away then like a clash (see
    // `plan::instance`), as the benchmark checker counts them: shown apart from `check`'s count.
    let away = outcome.clashes_counting_away.saturating_sub(outcome.clashes_after);
    let with_away = match away {
        0 => String::new(),
        n => format!(" (and {n} for people away then)"),
    };
    listing.footer.push(format!(
        "{verb} {} session(s), {} not placed; attendee clashes {} before, {} after{with_away}; {} in a room far larger than needed",
        outcome.placed.len(),
        outcome.unplaced.len(),
        outcome.clashes_before,
        outcome.clashes_after,
        outcome.oversized
    ));
    listing.footer.push(format!(
        "searched {} moves in {:.2} s",
        outcome.moves,
        elapsed.as_secs_f64()
    ));
    if dry_run {
        listing.footer.push("dry run: nothing written".into());
    }
    listing
}
