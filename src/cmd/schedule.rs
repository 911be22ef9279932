//! `schedule`: the agenda, grouped by day then time.

use serde_json::{Value, json};

use super::{Context, OutputArgs, day_arg};
use crate::error::{Error, Result};
use crate::model::{Event, Tie, rules};
use crate::render::Listing;

/// Print the agenda.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands schedule                       all days\n  \
    allhands schedule --day thu\n  allhands schedule --attendee ferris     a personal agenda\n  \
    allhands schedule --room main --format md\n  allhands schedule --team lang --format csv -o lang.csv")]
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
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: Args, ctx: &Context) -> Result<()> {
    let event = ctx.load()?;
    args.output.emit(&agenda(&event, &args)?)
}

/// The agenda as a listing: one section per day, sessions by start time then room.
pub fn agenda(event: &Event, args: &Args) -> Result<Listing> {
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
    let tie = |session: &str| {
        person
            .and_then(|p| {
                event
                    .participants
                    .iter()
                    .find(|t| t.session == session && t.handle == p.handle)
            })
            .map(|t| t.role)
    };
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
    let mut listing = Listing::new(&columns)
        .hide_for_people(&["day", "date", "start", "end", "room", "title", "team"])
        .hide_for_programs(&["time", "session_team"])
        .people_header("session_team", "title")
        .people_header("room_name", "room")
        .people_header("session", "id")
        .align_right(&["people"])
        .wide("session_team")
        .unbroken(&["time", "session", "people", "role"]);
    listing.empty_message = "no sessions scheduled".into();
    let index = rules::Index::new(event);
    let mut current_day = None;
    let mut shown = 0;
    for (s, at) in event.scheduled() {
        let wanted = day.is_none_or(|d| d.day == at.day)
            && room.is_none_or(|r| r.id == at.room)
            && args.team.as_ref().is_none_or(|t| &s.team == t)
            && (person.is_none() || tie(&s.id).is_some());
        if !wanted {
            continue;
        }
        let this_day = event.day(at.day);
        if current_day != Some(at.day) {
            current_day = Some(at.day);
            listing.section(match this_day {
                Some(d) => format!("{} {}", d.weekday_name(), d.date.format("%-d %B %Y")),
                None => format!("{} (not in days.csv)", at.day),
            });
        }
        shown += 1;
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
            json!(if s.team.is_empty() {
                s.title.clone()
            } else {
                format!("{}\n  {}", s.title, s.team)
            }),
            json!(s.team),
            json!(index.headcount(s)),
        ];
        if person.is_some() {
            row.push(json!(tie(&s.id)));
        }
        listing.push(row);
    }
    // What a person reading the agenda should also know; tables and markdown only.
    let unscheduled: Vec<String> = event
        .sessions
        .iter()
        .filter(|s| !s.is_scheduled())
        .filter(|s| person.is_none() || tie(&s.id).is_some())
        .filter(|s| args.team.as_ref().is_none_or(|t| &s.team == t))
        .map(|s| match tie(&s.id) {
            Some(Tie::Required) => format!("{} (required)", s.label()),
            _ => s.label(),
        })
        .collect();
    let mut footer = vec![format!("{shown} session{}", if shown == 1 { "" } else { "s" })];
    if !unscheduled.is_empty() && room.is_none() {
        let list = if unscheduled.len() <= 5 {
            format!(": {}", unscheduled.join(", "))
        } else {
            String::new()
        };
        footer.push(format!("{} not scheduled yet{list}", unscheduled.len()));
    }
    if let Some(p) = person {
        let clashes: Vec<String> = rules::clashes(event)
            .into_iter()
            .filter(|c| c.handle == p.handle)
            .map(|c| format!("{} and {}", c.first, c.second))
            .collect();
        if !clashes.is_empty() {
            footer.push(format!("{} overlap: {}", p.handle, clashes.join("; ")));
        }
    }
    listing.footer.push(footer.join("; "));
    Ok(listing)
}
