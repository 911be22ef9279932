//! `schedule`: the agenda, grouped by day then time, as a table or any export.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Context, FormatArg, OutputArgs, Ui, day_arg};
use crate::error::{Error, Result};
use crate::model::publish::{self, CalendarHistory, History, Schedule, Withdrawn};
use crate::model::rules::{self, Drawn};
use crate::model::{Attendee, Day, Event, Placement, Session, Tie, same_key};
use crate::render::agenda::{Agenda, Item};
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
            paper: PaperArg::A4,
        }
    }
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
    let selection = select(event, &args)?;
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
        return ui.listing(&output, &listing(event, &selection, &args));
    }
    let agenda = selection.agenda(event);
    if let (ScheduleFormat::Pdf, Some(path)) = (args.format, &args.output) {
        let version = version_line(event, &history)?;
        let footer = pdf::Footer { version: &version };
        let bytes = if let Some(person) = selection.person {
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
            let stamp = super::calendar_stamp(&history)?;
            let revisions = publish::calendar_history(&history, &Schedule::current(event), stamp);
            calendar(event, &rules::Index::new(event), &selection, &revisions, stamp)
        }
        ScheduleFormat::FrabJson => frab::json(&agenda),
        ScheduleFormat::FrabXml => frab::xml(&agenda),
        ScheduleFormat::Html => html::page(&agenda),
        ScheduleFormat::Pdf => unreachable!("pdf needs -o, checked first"),
        _ => unreachable!("listing formats are handled above"),
    };
    ui.output(output.output.as_deref(), text.as_bytes())
}

/// What a printout (the PDF, a door sign) says about its version: the published version it
/// shows and when that was published; a draft when the schedule has changed since (how many
/// changes), or when nothing is published yet (then named by a fingerprint of the schedule it
/// shows, so two printouts can be told apart). Never a version number that was not published.
pub fn version_line(event: &Event, history: &History) -> Result<String> {
    let zone = event.info.timezone.tz();
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%-d %b %Y %H:%M").to_string();
    let made = local(super::now_utc()?);
    let current = Schedule::current(event);
    let Some(last) = history.last() else {
        let mut state = String::new();
        let scheduled = event.scheduled();
        for (s, at) in &scheduled {
            state += &format!("{}\t{}\t{}\t{}\t{}\n", s.id, at.day, at.span, at.room, s.title);
        }
        let fingerprint = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, state.as_bytes())
            .simple()
            .to_string();
        return Ok(format!(
            "draft, not published · schedule {} ({} sessions placed) · made {made}",
            &fingerprint[..8],
            scheduled.len()
        ));
    };
    let pending = publish::changes(&history.schedule(last.number), &current).len();
    Ok(if pending == 0 {
        format!("version {}, published {}", last.number, local(last.published_at))
    } else {
        format!(
            "draft: version {} (published {}) and {pending} change{} not published yet · made {made}",
            last.number,
            local(last.published_at),
            if pending == 1 { "" } else { "s" }
        )
    })
}

/// The selection as an iCalendar file: its sessions with their revisions, and the sessions it
/// would show that were taken off the agenda since an earlier version, as cancelled.
pub fn calendar<'a>(
    event: &'a Event,
    index: &rules::Index<'a>,
    selection: &Selection<'a>,
    history: &CalendarHistory,
    stamp: DateTime<Utc>,
) -> String {
    let cancelled = history
        .withdrawn
        .iter()
        .filter(|w| selection.shows_withdrawn(w))
        .filter_map(|w| {
            let place = w.entry.place.as_ref()?;
            Some(ics::Cancelled {
                session: &w.session,
                title: &w.entry.title,
                day: event.day(&place.day)?,
                span: place.span(),
                room: event.room_name(&place.room),
                revision: w.revision,
            })
        })
        .collect();
    let updates = ics::Updates {
        stamp,
        revisions: &history.revisions,
        cancelled,
    };
    ics::calendar(&selection.agenda_in(event, index), &updates)
}

/// The sessions the filters pick, and the person whose agenda it is.
pub struct Selection<'a> {
    pub sessions: Vec<(&'a Session, Placement<'a>)>,
    pub person: Option<&'a Attendee>,
    /// The person's tie to each of their sessions: listed, or through a team or a plenary.
    pub ties: HashMap<&'a str, Drawn>,
    /// The filters, to pick sessions that are no longer on the agenda the same way.
    pub day: Option<&'a str>,
    pub room: Option<&'a str>,
    pub team: Option<String>,
}

impl<'a> Selection<'a> {
    /// Whether a session taken off the agenda would be shown, as it was when last on it.
    pub fn shows_withdrawn(&self, withdrawn: &Withdrawn) -> bool {
        let entry = &withdrawn.entry;
        let Some(place) = &entry.place else {
            return false;
        };
        // Tied as `rules::sessions_of` ties people: listed, through a team, or a plenary.
        let tied = |p: &Attendee| {
            let listed = |handles: &[String]| handles.iter().any(|h| h.eq_ignore_ascii_case(&p.handle));
            listed(&entry.required)
                || listed(&entry.interested)
                || entry
                    .audience
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(crate::model::EVERYONE) || p.teams.iter().any(|m| same_key(m, t)))
        };
        self.day.is_none_or(|d| d == place.day)
            && self.room.is_none_or(|r| r == place.room)
            && self.team.as_ref().is_none_or(|t| *t == entry.team)
            && self.person.is_none_or(tied)
    }

    pub fn agenda(&self, event: &'a Event) -> Agenda<'a> {
        self.agenda_in(event, &rules::Index::new(event))
    }

    /// [`Selection::agenda`] with the event's index already built (for many agendas at once).
    pub fn agenda_in(&self, event: &'a Event, index: &rules::Index<'a>) -> Agenda<'a> {
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
                        .filter(|p| p.tie == Tie::Required)
                        .map(|p| p.handle.as_str())
                        .collect(),
                    people: index.headcount(s),
                    role: self.ties.get(s.id.as_str()).map(|d| match d {
                        Drawn::Required => Tie::Required,
                        _ => Tie::Interested,
                    }),
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
        return Err(Error::refused(format!(
            "no session belongs to team '{team}'{}; teams: {}",
            hint.unwrap_or_default(),
            teams.join(", ")
        )));
    }
    let ties: HashMap<&str, Drawn> = match person {
        Some(p) => rules::sessions_of(event, p)
            .into_iter()
            .map(|(s, how)| (s.id.as_str(), how))
            .collect(),
        None => HashMap::new(),
    };
    let sessions = event
        .scheduled()
        .into_iter()
        .filter(|(s, at)| {
            day.is_none_or(|d| d.id == at.day)
                && room.is_none_or(|r| r.id == at.room)
                && args.team.as_ref().is_none_or(|t| &s.team == t)
                && (person.is_none() || ties.contains_key(s.id.as_str()))
        })
        .collect();
    Ok(Selection {
        sessions,
        person,
        ties,
        day: day.map(|d| d.id.as_str()),
        room: room.map(|r| r.id.as_str()),
        team: args.team.clone(),
    })
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
            json!(index.headcount(s)),
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
