//! `schedule`: the agenda, grouped by day then time, as a table or any export.

use std::io::IsTerminal;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::{Context, FormatArg, OutputArgs, Ui, calendar_stamp, day_arg, now_utc};
use crate::error::{Error, Result};
use crate::model::publish::{self, History, Schedule};
use crate::model::rules::{self, Drawn};
use crate::model::selection::{self, Filter, Selection};
use crate::model::{Day, Event};
use crate::render::agenda::Agenda;
use crate::render::pdf::{self, Paper};
use crate::render::{Listing, frab, html, ics};

/// `--paper`'s values; render's [`Paper`] stays free of clap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    A4,
    A3,
}

impl From<PaperArg> for Paper {
    fn from(paper: PaperArg) -> Paper {
        match paper {
            PaperArg::A4 => Paper::A4,
            PaperArg::A3 => Paper::A3,
        }
    }
}

/// The formats the agenda can be printed in: the listing ones and the exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScheduleFormat {
    /// A table per day, sized to the terminal
    Table,
    Csv,
    Json,
    /// Markdown: a heading and a table per day, for Zulip or GitHub
    Md,
    /// iCalendar (RFC 5545), for calendar apps
    Ics,
    /// frab / c3voc schedule.json, for conference apps and video pipelines
    FrabJson,
    /// frab / c3voc schedule.xml, for phone apps such as Giggity and EventFahrplan
    FrabXml,
    /// A self-contained timetable page: rooms as columns, time as rows
    Html,
    /// A printable grid, a page per day (or with --attendee a one-page list); needs -o
    Pdf,
}

/// Print the agenda.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands schedule                       all days\n  \
    allhands schedule --day thu\n  allhands schedule --attendee ferris     a personal agenda\n  \
    allhands schedule --room main --format md\n  allhands schedule --team lang --format csv -o lang.csv\n  \
    allhands schedule --attendee ferris --format ics -o ferris.ics\n  \
    allhands schedule --format html -o timetable.html\n  \
    allhands schedule --format pdf -o schedule.pdf --paper a3\n  \
    allhands schedule --attendee ferris --format pdf -o ferris.pdf")]
pub struct Args {
    /// Only this day
    #[arg(add = super::complete::days(), long)]
    pub day: Option<String>,
    /// Only sessions this person is required at or interested in
    #[arg(add = super::complete::handles(), long, value_name = "HANDLE")]
    pub attendee: Option<String>,
    /// Only this room (id or name)
    #[arg(add = super::complete::rooms(), long)]
    pub room: Option<String>,
    /// Only this team's sessions
    #[arg(add = super::complete::teams(), long)]
    pub team: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Table)]
    pub format: ScheduleFormat,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Paper for --format pdf (the grid is landscape, a personal list portrait)
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    // `-o -` is standard output: fine for a pipe, never for a terminal.
    let to_terminal = |path: &PathBuf| path.as_os_str() == "-" && std::io::stdout().is_terminal();
    if args.format == ScheduleFormat::Pdf && args.output.as_ref().is_none_or(to_terminal) {
        return Err(Error::refused(
            "--format pdf writes a binary file, not text for a terminal: give -o FILE (e.g. -o schedule.pdf)",
        ));
    }
    // The published history is only needed by calendars, to update subscribers, and by the
    // printout, to name its version.
    let (event, history) = if matches!(args.format, ScheduleFormat::Ics | ScheduleFormat::Pdf) {
        ctx.store()?.load_with_history()?
    } else {
        (ctx.load()?, History::default())
    };
    // Kept until the process exits (see `Context::load_to_read`).
    let event: &'static Event = Box::leak(Box::new(event));
    let selection = selection::select(event, filter(event, &args)?);
    let listing_format = match args.format {
        ScheduleFormat::Table => Some(FormatArg::Table),
        ScheduleFormat::Csv => Some(FormatArg::Csv),
        ScheduleFormat::Json => Some(FormatArg::Json),
        ScheduleFormat::Md => Some(FormatArg::Md),
        ScheduleFormat::Ics
        | ScheduleFormat::FrabJson
        | ScheduleFormat::FrabXml
        | ScheduleFormat::Html
        | ScheduleFormat::Pdf => None,
    };
    let output = OutputArgs {
        format: listing_format.unwrap_or(FormatArg::Table),
        output: args.output.clone(),
    };
    if listing_format.is_some() {
        return ui.listing(&output, listing(event, &selection, &args));
    }
    let index = rules::Index::new(event);
    let agenda = Agenda::of(event, &index, &selection);
    if let (ScheduleFormat::Pdf, Some(path)) = (args.format, &args.output) {
        let version = publish::version_line(event, &history, now_utc()?);
        let footer = pdf::Footer { version: &version };
        let bytes = if let Some(person) = selection.filter.person {
            pdf::personal(&agenda, &person.name, args.paper.into(), &footer)
        } else {
            let days: Vec<&Day> = match &args.day {
                Some(day) => vec![day_arg(event, day)?],
                None => event.days.iter().collect(),
            };
            pdf::grid(&agenda, &days, args.paper.into(), &footer)
        }
        .map_err(Error::refused)?;
        return ui.output(Some(path), &bytes);
    }
    let text = match args.format {
        ScheduleFormat::Ics => {
            let stamp = calendar_stamp(&history)?;
            let revisions = publish::calendar_history(&history, &Schedule::current(event), stamp);
            ics::calendar_of(event, &index, &selection, &revisions, stamp)
        }
        ScheduleFormat::FrabJson => frab::json(&agenda),
        ScheduleFormat::FrabXml => frab::xml(&agenda),
        ScheduleFormat::Html => html::page(&agenda),
        ScheduleFormat::Pdf => unreachable!("pdf needs -o, checked first"),
        _ => unreachable!("listing formats are handled above"),
    };
    ui.output(output.output.as_deref(), text.as_bytes())
}

/// Resolves the filters given (a day, a person, a room, a team, in that order: the first
/// unknown one is refused).
fn filter<'a>(event: &'a Event, args: &Args) -> Result<Filter<'a>> {
    Ok(Filter {
        day: args.day.as_deref().map(|d| day_arg(event, d)).transpose()?,
        person: args.attendee.as_deref().map(|h| event.find_attendee(h)).transpose()?,
        room: args.room.as_deref().map(|r| event.find_room(r)).transpose()?,
        team: args.team.as_deref().map(|t| event.find_session_team(t)).transpose()?,
    })
}

/// The agenda as a listing: one section per day, sessions by start time then room.
fn listing(event: &Event, selection: &Selection<'_>, args: &Args) -> Listing {
    let person = selection.filter.person;
    let mut columns = vec![
        "day",
        "date",
        "time",
        "start",
        "end",
        "room",
        "room_name",
        "session",
        "title",
        "session_team",
        "team",
        "people",
    ];
    if person.is_some() {
        columns.push("role");
    }
    // A personal agenda shows the person's role instead of the head count, to stay narrow.
    let mut hidden = vec!["day", "date", "start", "end", "room", "title", "team"];
    if person.is_some() {
        hidden.push("people");
    }
    let mut listing = Listing::new(&columns)
        .hide_for_people(&hidden)
        .hide_for_programs(&["time", "session_team"])
        .people_header("session_team", "title")
        .people_header("room_name", "room")
        .people_header("session", "id")
        .align_right(&["people"])
        .wide("session_team")
        .unbroken(&["time", "session", "people", "role"]);
    listing.empty_message = "no sessions scheduled".into();
    // Rows span two or three lines (title, team): a rule between them keeps them apart.
    listing.row_lines = true;
    // The head counts need the index, the slowest part of the listing; the rest of each row is
    // laid out on a second core meanwhile.
    let people = columns.iter().position(|&c| c == "people").expect("a people column");
    let (index, ()) = crate::parallel::join_if(
        rules::worth_two_cores(event),
        || rules::Index::new(event),
        || lay_out(&mut listing, event, selection, args),
    );
    // Thousands of head counts are counted in two halves side by side.
    let sessions = &selection.sessions;
    let counts = crate::parallel::in_halves(sessions, sessions.len() >= crate::parallel::MANY, |sessions| {
        sessions.iter().map(|(s, _)| index.headcount(s)).collect()
    });
    let rows = listing.sections.iter_mut().flat_map(|section| section.rows.iter_mut());
    for (row, count) in rows.zip(counts) {
        row[people] = json!(count);
    }
    if let Some(p) = person {
        let clashes: Vec<String> = rules::clashes_in(&index)
            .into_iter()
            .filter(|c| c.handle == p.handle)
            .map(|c| format!("{} and {}", c.first, c.second))
            .collect();
        if !clashes.is_empty() {
            listing
                .footer
                .push(format!("{} has overlapping sessions: {}", p.handle, clashes.join("; ")));
        }
    }
    listing
}

/// The rows of the agenda, a row a selected session in order, but for the head counts
/// (null); and the footer, but for a person's clashes. A personal agenda's notes on sessions
/// the person cannot be at go to the footer.
fn lay_out(listing: &mut Listing, event: &Event, selection: &Selection<'_>, args: &Args) {
    let person = selection.filter.person;
    let mut current_day = None;
    // Sessions of a personal agenda the person cannot be at, with why.
    let mut away = Vec::new();
    for (s, at) in &selection.sessions {
        let this_day = event.day(at.day);
        if current_day != Some(at.day) {
            current_day = Some(at.day);
            listing.section(match this_day {
                Some(d) => d.heading(),
                None => format!("{} (not in days.csv)", at.day),
            });
        }
        let title_and_team = if s.team.is_empty() {
            s.title.clone()
        } else {
            format!("{}\n  {}", s.title, s.team)
        };
        let mut row = vec![
            json!(at.day),
            this_day.map_or(Value::Null, |d| json!(d.date.to_string())),
            json!(at.span.to_string()),
            json!(at.span.start),
            json!(at.span.end),
            json!(at.room),
            json!(event.room_name(at.room)),
            json!(s.id),
            json!(s.title),
            json!(title_and_team),
            json!(s.team),
            Value::Null,
        ];
        if let Some(p) = person {
            // A session the person cannot be at says so, and why.
            let role = selection.ties.get(s.id.as_str()).map_or("", |d| d.as_str());
            match rules::absence(event, p, at.day, at.span) {
                Some(why) => {
                    row.push(json!(format!("{role}, away")));
                    away.push(format!("  {}: {why}", s.id));
                }
                None => row.push(json!(role)),
            }
        }
        listing.push(row);
    }
    // What a person reading the agenda should also know; tables and markdown only.
    let unscheduled: Vec<String> = event
        .sessions
        .iter()
        .filter(|s| !s.is_scheduled())
        .filter(|s| person.is_none() || selection.ties.contains_key(s.id.as_str()))
        .filter(|s| args.team.as_ref().is_none_or(|t| &s.team == t))
        .map(|s| match selection.ties.get(s.id.as_str()) {
            Some(Drawn::Required) => format!("{} (required)", s.label()),
            _ => s.label(),
        })
        .collect();
    let shown = selection.sessions.len();
    listing
        .footer
        .push(format!("{shown} session{}", if shown == 1 { "" } else { "s" }));
    if !unscheduled.is_empty() && args.room.is_none() {
        listing.footer.push(format!(
            "{} not scheduled yet{}",
            unscheduled.len(),
            if unscheduled.len() <= 5 { ":" } else { "" }
        ));
        if unscheduled.len() <= 5 {
            listing.footer.extend(unscheduled.iter().map(|s| format!("  {s}")));
        }
    }
    if let (Some(p), false) = (person, away.is_empty()) {
        listing
            .footer
            .push(format!("{} cannot attend {} of these:", p.handle, away.len()));
        listing.footer.extend(away);
    }
}
