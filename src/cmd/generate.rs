//! `generate`: a realistic made-up event of any size, for trying the planner and benchmarks.

use std::path::PathBuf;

use super::{Context, Ui};
use crate::error::Result;
use crate::generate::{Spec, generate};
use crate::store;

/// Write a generated event (all sessions unscheduled) into a new data folder.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  allhands generate /tmp/big --attendees 1500 --sessions 600 --rooms 40 --days 3 --slots 8\n  \
    allhands --data-dir /tmp/big plan"
)]
pub struct Args {
    /// The folder to write (must not hold an event yet)
    pub dir: PathBuf,
    /// How many people
    // Bounds keep a typo (4294967295) a clear usage error instead of an allocation failure.
    #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub attendees: u32,
    /// How many sessions
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub sessions: u32,
    /// How many rooms
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rooms: u32,
    /// How many days
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=31))]
    pub days: u16,
    /// One-hour slots per day, from 09:00
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=15))]
    pub slots: u16,
    /// Same seed, same event
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(ui: &Ui, _ctx: &Context, args: Args) -> Result<()> {
    let spec = Spec {
        attendees: args.attendees as usize,
        sessions: args.sessions as usize,
        rooms: args.rooms as usize,
        days: args.days as usize,
        slots_per_day: args.slots as usize,
        seed: args.seed,
    };
    let event = generate(&spec);
    store::create(&args.dir, &event)?;
    ui.status(format!(
        "Created {} with {} attendees, {} sessions (unscheduled), {} rooms, {} days of {} slots",
        args.dir.display(),
        spec.attendees,
        spec.sessions,
        spec.rooms,
        spec.days,
        spec.slots_per_day
    ))
}
