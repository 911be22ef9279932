//! `schedule`: the agenda, grouped by day then time, as a table or any export.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Context, OutputArgs, day_arg};
use crate::error::{Error, Result};
use crate::model::{Attendee, Day, Event, Placement, Session, Tie, rules};
use crate::render::agenda::{Agenda, Item};
use crate::render::pdf::{self, Paper};
use crate::render::{Format, Listing, frab, html, ics};

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
    #[arg(long)]
    pub day: Option<String>,
    /// Only sessions this person is required at or interested in
    #[arg(long, value_name = "HANDLE")]
    pub attendee: Option<String>,
    #[arg(long)]
    pub room: Option<String>,
    #[arg(long)]
    pub team: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Table)]
    pub format: ScheduleFormat,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Paper for --format pdf (the grid is landscape, a personal list portrait)
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    pub paper: Paper,
}

impl Args {
    /// No filters: the whole agenda.
    pub fn everything() -> Args {
        Args {
            day: None,
            attendee: None,
            room: None,
            team: None,
            format: ScheduleFormat::Html,
            output: None,
            paper: Paper::A4,
        }
    }
}

pub fn run(args: Args, ctx: &Context) -> Result<()> {
    // `-o -` is standard output: fine for a pipe, never for a terminal.
    let to_terminal = |path: &PathBuf| path.as_os_str() == "-" && std::io::stdout().is_terminal();
    if args.format == ScheduleFormat::Pdf && args.output.as_ref().is_none_or(to_terminal) {
        return Err(Error::Usage(
            "--format pdf writes a binary file, not text for a terminal: give -o FILE (e.g. -o schedule.pdf)".into(),
        ));
    }
    let event = ctx.load()?;
    let selection = select(&event, &args)?;
    let listing_format = match args.format {
        ScheduleFormat::Table => Some(Format::Table),
        ScheduleFormat::Csv => Some(Format::Csv),
        ScheduleFormat::Json => Some(Format::Json),
        ScheduleFormat::Md => Some(Format::Md),
        ScheduleFormat::Ics
        | ScheduleFormat::FrabJson
        | ScheduleFormat::FrabXml
        | ScheduleFormat::Html
        | ScheduleFormat::Pdf => None,
    };
    let output = OutputArgs {
        format: listing_format.unwrap_or(Format::Table),
        output: args.output.clone(),
    };
    if listing_format.is_some() {
        return output.emit(&listing(&event, &selection, &args));
    }
    let agenda = selection.agenda(&event);
    if let (ScheduleFormat::Pdf, Some(path)) = (args.format, &args.output) {
        let version = version_line(&event)?;
        let footer = pdf::Footer { version: &version };
        let bytes = if let Some(person) = selection.person {
            pdf::personal(&agenda, &person.name, args.paper, &footer)
        } else {
            let days: Vec<&Day> = match &args.day {
                Some(day) => vec![day_arg(&event, day)?],
                None => event.days.iter().collect(),
            };
            pdf::grid(&agenda, &days, args.paper, &footer)
        }?;
        return super::write_output(path, &bytes);
    }
    let text = match args.format {
        ScheduleFormat::Ics => ics::calendar(&agenda, stamp()?),
        ScheduleFormat::FrabJson => frab::json(&agenda),
        ScheduleFormat::FrabXml => frab::xml(&agenda),
        ScheduleFormat::Html => html::page(&agenda),
        ScheduleFormat::Pdf => unreachable!("pdf needs -o, checked first"),
        _ => unreachable!("listing formats are handled above"),
    };
    output.emit_text(&text)
}

/// What a printout says about its version. Until versions are published it is a draft, named
/// by a fingerprint of the schedule it shows (so two printouts can be told apart) and when it
/// was made.
pub fn version_line(event: &Event) -> Result<String> {
    let mut state = String::new();
    let scheduled = event.scheduled();
    for (s, at) in &scheduled {
        state += &format!("{}\t{}\t{}\t{}\t{}\n", s.id, at.day, at.span, at.room, s.title);
    }
    let fingerprint = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, state.as_bytes())
        .simple()
        .to_string();
    let zone = crate::store::timezone(&event.info.timezone).map_err(Error::Usage)?;
    let made = stamp()?.with_timezone(&zone).format("%-d %b %Y %H:%M");
    Ok(format!(
        "draft, not published · schedule {} ({} sessions placed) · made {made}",
        &fingerprint[..8],
        scheduled.len()
    ))
}

/// DTSTAMP: now, or `SOURCE_DATE_EPOCH` (seconds) for reproducible files.
fn stamp() -> Result<DateTime<Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH '{text}' is not a number of seconds"))),
        Err(_) => Ok(Utc::now()),
    }
}

/// The sessions the filters pick, and the person whose agenda it is.
pub struct Selection<'a> {
    pub sessions: Vec<(&'a Session, Placement<'a>)>,
    pub person: Option<&'a Attendee>,
    /// The person's tie to each of their sessions.
    pub ties: HashMap<&'a str, Tie>,
}

impl<'a> Selection<'a> {
    pub fn agenda(&self, event: &'a Event) -> Agenda<'a> {
        let index = rules::Index::new(event);
        let items = self
            .sessions
            .iter()
            .filter_map(|(s, at)| {
                Some(Item {
                    session: s,
                    day: event.day(at.day)?,
                    span: at.span,
                    room: event.room(at.room)?,
                    required: index
                        .participants(&s.id)
                        .iter()
                        .filter(|p| p.role == Tie::Required)
                        .map(|p| p.handle.as_str())
                        .collect(),
                    people: index.headcount(s),
                    role: self.ties.get(s.id.as_str()).copied(),
                })
            })
            .collect();
        let title = match self.person {
            Some(p) => format!("{}: {}", event.info.name, p.handle),
            None => event.info.name.clone(),
        };
        Agenda { event, title, items }
    }
}

/// Checks the filters and picks the scheduled sessions they match, in agenda order.
pub fn select<'a>(event: &'a Event, args: &Args) -> Result<Selection<'a>> {
    let day = args.day.as_deref().map(|d| day_arg(event, d)).transpose()?;
    let person = args.attendee.as_deref().map(|h| event.find_attendee(h)).transpose()?;
    let room = args.room.as_deref().map(|r| event.find_room(r)).transpose()?;
    if let Some(team) = &args.team
        && !event.sessions.iter().any(|s| &s.team == team)
    {
        let mut teams: Vec<&str> = event
            .sessions
            .iter()
            .map(|s| s.team.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        teams.sort();
        teams.dedup();
        let hint = crate::model::did_you_mean(team, teams.iter().copied()).map(|t| format!(" (did you mean '{t}'?)"));
        return Err(Error::Usage(format!(
            "no session belongs to team '{team}'{}; teams: {}",
            hint.unwrap_or_default(),
            teams.join(", ")
        )));
    }
    let ties: HashMap<&str, Tie> = match person {
        Some(p) => event
            .participants
            .iter()
            .filter(|t| t.handle == p.handle)
            .map(|t| (t.session.as_str(), t.role))
            .collect(),
        None => HashMap::new(),
    };
    let sessions = event
        .scheduled()
        .into_iter()
        .filter(|(s, at)| {
            day.is_none_or(|d| d.day == at.day)
                && room.is_none_or(|r| r.id == at.room)
                && args.team.as_ref().is_none_or(|t| &s.team == t)
                && (person.is_none() || ties.contains_key(s.id.as_str()))
        })
        .collect();
    Ok(Selection { sessions, person, ties })
}

/// The agenda as a listing: one section per day, sessions by start time then room.
fn listing(event: &Event, selection: &Selection<'_>, args: &Args) -> Listing {
    let person = selection.person;
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
    let index = rules::Index::new(event);
    let mut current_day = None;
    for (s, at) in &selection.sessions {
        let this_day = event.day(at.day);
        if current_day != Some(at.day) {
            current_day = Some(at.day);
            listing.section(match this_day {
                Some(d) => format!("{} {}", d.weekday_name(), d.date.format("%-d %B %Y")),
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
            json!(index.headcount(s)),
        ];
        if person.is_some() {
            row.push(json!(selection.ties.get(s.id.as_str())));
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
            Some(Tie::Required) => format!("{} (required)", s.label()),
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
    if let Some(p) = person {
        let clashes: Vec<String> = rules::clashes(event)
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
