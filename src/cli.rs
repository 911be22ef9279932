//! The command line: global options and the list of commands. Each command's own arguments
//! live beside its code in `cmd/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd;

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a data folder: an empty event, or the sample with --sample
    Init(cmd::init::Args),

    /// Add a day, with a grid of slots
    AddDay(cmd::day::AddDayArgs),
    /// Change a day's opening hours
    EditDay(cmd::day::EditDayArgs),
    /// Add a slot the planner may place sessions in
    AddSlot(cmd::day::AddSlotArgs),
    /// Remove a slot (sessions booked then stay)
    RemoveSlot(cmd::day::RemoveSlotArgs),

    /// Add a person
    AddAttendee(cmd::attendee::AddArgs),
    /// List people, filtered by team, day, status or role
    Attendees(cmd::attendee::ListArgs),
    /// Change a person's details
    EditAttendee(cmd::attendee::EditArgs),
    /// Remove a person
    RemoveAttendee(cmd::attendee::RemoveArgs),
    /// Add or update people from a registration form's CSV export
    ImportAttendees(cmd::import::Args),

    /// Add a meeting room
    AddRoom(cmd::room::AddArgs),
    /// Change a room's name, capacity or features
    EditRoom(cmd::room::EditArgs),
    /// Remove a room that has no sessions
    RemoveRoom(cmd::room::RemoveArgs),
    /// List rooms with their use per day, or with --day the day's allocation
    Rooms(cmd::room::ListArgs),
    /// Find rooms free at a time
    Free(cmd::booking::FreeArgs),

    /// List sessions (filter by team, day, room, person), or show one with everyone it draws
    Sessions(cmd::sessions::Args),
    /// Add a session (a discussion), unscheduled
    AddSession(cmd::session::AddArgs),
    /// Change a session's title, team, duration, needs or time
    EditSession(cmd::session::EditArgs),
    /// Remove a session and who takes part in it
    RemoveSession(cmd::session::RemoveArgs),
    /// Add people to a session, as interested or --required
    Join(cmd::session::JoinArgs),
    /// Take people off a session
    Leave(cmd::session::LeaveArgs),
    /// Add or update sessions from proposals: a GitHub issue export (JSON) or a spreadsheet
    ImportSessions(cmd::import_sessions::Args),
    /// Add interest in sessions from a form export: who would like to attend, who must
    ImportInterest(cmd::import_interest::Args),
    /// Put a session in a room at a time
    Book(cmd::booking::BookArgs),
    /// Take a session out of the schedule (it stays, unscheduled)
    Unbook(cmd::booking::UnbookArgs),
    /// Create an ad-hoc session and book it in one go
    Adhoc(cmd::booking::AdhocArgs),

    /// Print the agenda: all days, a day, a person's, a room's or a team's
    Schedule(cmd::schedule::Args),
    /// What is on in every room now, and what comes next
    Now(cmd::now::Args),

    /// Place every unscheduled, unpinned session automatically
    Plan(cmd::plan::Args),
    /// List every conflict and integrity problem (exit status 1 if any)
    Check(cmd::check::Args),
    /// Figures: attendees by status, role, day and team; room use; sessions; clashes
    Stats(cmd::stats::Args),
    /// Record the current schedule as the next numbered version
    Publish(cmd::publish::PublishArgs),
    /// What changed since a published version, and who it affects
    Changes(cmd::publish::ChangesArgs),
    /// Write calendar feeds for a web server: all.ics, per room, per team, per person
    Export(cmd::export::Args),
    /// Write a realistic made-up event of any size (for trying the planner, benchmarks)
    Generate(cmd::generate::Args),
    /// Make git merge the data files record by record and check the data after a merge
    GitSetup(cmd::merge::GitSetupArgs),
    /// git's merge driver for the data files: merge three versions record by record
    MergeFile(cmd::merge::MergeFileArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(cmd::shell::CompletionsArgs),
    /// Print the man page
    Man(cmd::shell::ManArgs),
}
