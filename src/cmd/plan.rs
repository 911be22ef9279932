//! `plan`: place every unscheduled, unpinned session automatically.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Context, OutputArgs};
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

pub fn run(args: Args, ctx: &Context) -> Result<()> {
    let time_limit = match args.time_limit {
        None => None,
        Some(s) => Some(
            Duration::try_from_secs_f64(s)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    Error::Usage(format!(
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
    let _progress = Progress::start();
    // Plan on a snapshot without holding the write lock (a long --time-limit must not block
    // `now` or `schedule`), then write only if nobody changed the data meanwhile.
    let snapshot = ctx.load()?;
    refuse_unusable_slots(&snapshot)?;
    let outcome = plan::plan(&snapshot, &options);
    let mut event = snapshot.clone();
    outcome.apply(&mut event);
    if !args.dry_run {
        ctx.store()?.update(|current| {
            if *current != snapshot {
                return Err(Error::Usage(
                    "the data changed while planning; nothing written: run `allhands plan` again".into(),
                ));
            }
            outcome.apply(current);
            Ok(())
        })?;
    }
    let elapsed = started.elapsed();
    drop(_progress);
    args.output.emit(&listing(&event, &outcome, args.dry_run, elapsed))?;
    if outcome.unplaced.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = outcome
        .unplaced
        .iter()
        .map(|u| {
            format!(
                "  - {}: {}",
                event.session(&u.session).map_or(u.session.clone(), |s| s.label()),
                u.reason
            )
        })
        .collect();
    eprintln!(
        "could not place {} session(s):\n{}",
        outcome.unplaced.len(),
        crate::render::visible(&lines.join("\n"))
    );
    Err(Error::Problems(String::new()))
}

/// The planner places sessions at slot starts and treats slots as never overlapping: refuse
/// slots that overlap or repeat instead of planning double bookings.
fn refuse_unusable_slots(event: &Event) -> Result<()> {
    let problems: Vec<String> = integrity::problems(event)
        .into_iter()
        .filter(|p| p.file == "slots.csv" && matches!(p.kind, "slots-overlap" | "duplicate-key"))
        .map(|p| format!("  slots.csv:{}: {}", p.line, p.message))
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "plan needs slots that do not overlap; fix slots.csv first:\n{}",
        problems.join("\n")
    )))
}

/// On a terminal, a search running longer than a second shows how long it has run (stderr).
struct Progress {
    done: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl Progress {
    fn start() -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { done: None };
        }
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut shown = false;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let secs = started.elapsed().as_secs();
                if secs >= 1 && !flag.load(Ordering::Relaxed) {
                    eprint!("\rplanning... {secs} s");
                    shown = true;
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Progress {
            done: Some((done, thread)),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some((done, thread)) = self.done.take() {
            done.store(true, Ordering::Relaxed);
            let _ = thread.join();
        }
    }
}

fn listing(event: &Event, outcome: &Outcome, dry_run: bool, elapsed: Duration) -> Listing {
    let index = rules::Index::new(event);
    let moved = outcome.placed.iter().any(|p| p.was.is_some());
    // People see "sat 14:00-15:00" in one column, and where a moved session was only when
    // something moved; programs get every field apart.
    let mut hidden = vec!["day", "start", "end"];
    if !moved {
        hidden.push("moved_from");
    }
    let mut listing = Listing::new(&[
        "session",
        "title",
        "when",
        "day",
        "start",
        "end",
        "room",
        "people",
        "moved_from",
    ])
    .hide_for_people(&hidden)
    .hide_for_programs(&["when"])
    .people_header("session", "id")
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
        let was = p
            .was
            .as_ref()
            .map_or(Value::Null, |(d, t, r)| json!(format!("{d} {t} {r}")));
        listing.push(vec![
            json!(s.id),
            json!(s.title),
            json!(format!(
                "{} {}-{}",
                p.day,
                p.start,
                end.map_or(String::new(), |e| e.to_string())
            )),
            json!(p.day),
            json!(p.start),
            end.map_or(Value::Null, |e| json!(e)),
            json!(event.room_name(&p.room)),
            json!(index.headcount(s)),
            was,
        ]);
    }
    let verb = if dry_run { "would place" } else { "placed" };
    listing.footer.push(format!(
        "{verb} {} session(s), {} not placed; attendee clashes {} before, {} after; {} in a room far larger than needed",
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
