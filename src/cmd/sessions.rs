//! `sessions`: the sessions with their audience, constraints and head counts, or one session
//! with everyone it draws.

use serde_json::{Value, json};

use super::{Context, OutputArgs, Ui, day_arg};
use crate::error::Result;
use crate::model::rules::{self, Drawn};
use crate::model::{Event, Session, format_duration};
use crate::render::Listing;
use crate::store::Parts;

/// List sessions (filtered), or show one session and everyone tied to it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands sessions                       every session\n  \
    allhands sessions --unscheduled         what `plan` would place\n  \
    allhands sessions --team lang --day thu\n  allhands sessions --attendee ferris     everything ferris is tied to\n  \
    allhands sessions S012                  one session: when, where, audience, who comes"
)]
pub struct Args {
    /// One session to show in full
    #[arg(add = super::complete::sessions())]
    pub id: Option<String>,
    /// Only sessions of this team, or with it in their audience
    #[arg(add = super::complete::teams(), long)]
    pub team: Option<String>,
    /// Only sessions on this day
    #[arg(add = super::complete::days(), long)]
    pub day: Option<String>,
    /// Only sessions in this room (id or name)
    #[arg(add = super::complete::rooms(), long)]
    pub room: Option<String>,
    /// Only sessions this person is tied to (listed, through a team, or a plenary)
    #[arg(add = super::complete::handles(), long, value_name = "HANDLE")]
    pub attendee: Option<String>,
    /// Only sessions not in the schedule yet
    #[arg(long)]
    pub unscheduled: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let event = ctx.load_to_read(Parts::ALL)?;
    match &args.id {
        Some(id) => {
            let session = event.find_session(id)?;
            ui.listing(&args.output, one(event, session))
        }
        None => ui.listing(&args.output, list(event, &args)?),
    }
}

fn list(event: &Event, args: &Args) -> Result<Listing> {
    let day = args.day.as_deref().map(|d| day_arg(event, d)).transpose()?;
    let room = args.room.as_deref().map(|r| event.find_room(r)).transpose()?;
    let team = args.team.as_deref().map(|t| event.find_team(t)).transpose()?;
    let person = args.attendee.as_deref().map(|h| event.find_attendee(h)).transpose()?;
    let tied: Vec<(&Session, Drawn)> = person.map(|p| rules::sessions_of(event, p)).unwrap_or_default();
    let index = rules::Index::new(event);
    let mut listing = Listing::new(&[
        "id",
        "title",
        "team",
        "kind",
        "duration",
        "day",
        "start",
        "end",
        "room",
        "people",
        "audience",
        "constraints",
        "source",
    ])
    .hide_for_people(&["kind", "end", "source"])
    .align_right(&["people"])
    .unbroken(&["id", "people", "duration"])
    .wide("title");
    listing.empty_message = "no sessions match".into();
    let mut sessions: Vec<&Session> = event.sessions.iter().collect();
    sessions.sort_by_key(|s| {
        let at = s.placement();
        (
            at.is_none(),
            at.map(|p| event.day_index(p.day)),
            at.map(|p| p.span),
            s.id.clone(),
        )
    });
    for s in sessions {
        let at = s.placement();
        let keep = day.is_none_or(|d| at.is_some_and(|p| p.day == d.id))
            && room.is_none_or(|r| at.is_some_and(|p| p.room == r.id))
            && team.is_none_or(|t| crate::model::same_key(&s.team, t) || s.draws_team(t))
            && (person.is_none() || tied.iter().any(|(t, _)| t.id == s.id))
            && (!args.unscheduled || at.is_none());
        if !keep {
            continue;
        }
        listing.push(vec![
            json!(s.id),
            json!(s.title),
            json!(s.team),
            json!(s.kind),
            json!(format_duration(s.duration)),
            at.map_or(Value::Null, |p| json!(p.day)),
            at.map_or(Value::Null, |p| json!(p.span.start)),
            at.map_or(Value::Null, |p| json!(p.span.end)),
            at.map_or(Value::Null, |p| json!(event.room_name(p.room))),
            json!(index.headcount(s)),
            json!(s.audience.join(", ")),
            json!(s.constraints()),
            json!(s.source),
        ]);
    }
    let shown = listing.rows().count();
    listing
        .footer
        .push(format!("{shown} session{}", if shown == 1 { "" } else { "s" }));
    Ok(listing)
}

/// One session in full: facts first, then every person it draws and whether they are there.
fn one(event: &Event, session: &Session) -> Listing {
    let index = rules::Index::new(event);
    let at = session.placement();
    let mut listing = Listing::new(&["section", "item", "value", "note"]).hide_for_people(&["section"]);
    let mut fact = |item: &str, value: Value, note: String| {
        listing.push(vec![json!("session"), json!(item), value, json!(note)]);
    };
    fact("id", json!(session.id), String::new());
    fact("title", json!(session.title), String::new());
    fact("team", json!(session.team), session.kind.to_string());
    let when = match at {
        Some(p) => json!(format!("{} {}", p.day, p.span)),
        None => json!("not scheduled"),
    };
    fact("when", when, String::new());
    fact(
        "room",
        at.map_or(Value::Null, |p| json!(event.room_name(p.room))),
        at.and_then(|p| event.room(p.room))
            .map(|r| format!("{} seats", r.capacity))
            .unwrap_or_default(),
    );
    fact("duration", json!(format_duration(session.duration)), String::new());
    fact("needs", json!(session.needs.join(", ")), String::new());
    let place = at.map(|p| (p.day, p.span));
    let drawn = index.attendance(session, place);
    let listed: Vec<&str> = index
        .participants(&session.id)
        .iter()
        .map(|p| p.handle.as_str())
        .collect();
    for team in &session.audience {
        let members: Vec<&crate::model::Attendee> = event
            .attendees
            .iter()
            .filter(|a| session.is_plenary() || a.teams.iter().any(|t| crate::model::same_key(t, team)))
            .filter(|a| match at {
                Some(p) => rules::present(event, a, p.day, p.span),
                None => a.status != crate::model::Status::Declined,
            })
            .collect();
        let extra = members.iter().filter(|a| !listed.contains(&a.handle.as_str())).count();
        let there = if at.is_some() { "there" } else { "coming" };
        fact(
            "audience",
            json!(team),
            format!("{} {there}, {extra} of them not listed otherwise", members.len()),
        );
    }
    fact("constraints", json!(session.constraints()), String::new());
    fact(
        "people",
        json!(index.headcount(session)),
        session.size.map(|s| format!("size set to {s}")).unwrap_or_default(),
    );
    fact("source", json!(session.source), String::new());
    fact("notes", json!(session.notes), String::new());
    // Everyone tied, listed or through a team, with whether they can be there.
    listing.section("People");
    let mut people: Vec<(String, Drawn)> = index
        .participants(&session.id)
        .iter()
        .map(|p| {
            let how = match p.tie {
                crate::model::Tie::Required => Drawn::Required,
                crate::model::Tie::Interested => Drawn::Interested,
            };
            (p.handle.to_string(), how)
        })
        .collect();
    if !session.is_plenary() {
        for a in &event.attendees {
            if a.teams.iter().any(|t| session.draws_team(t)) {
                people.push((a.handle.clone(), Drawn::Team));
            }
        }
    }
    // Each person once, with their strongest tie; then listed by tie.
    people.sort_by_cached_key(|(handle, tie)| (handle.to_lowercase(), *tie));
    people.dedup_by(|later, first| later.0.eq_ignore_ascii_case(&first.0));
    people.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    for (handle, how) in people {
        let person = event.attendee(&handle);
        let there = match (person, at) {
            (None, _) => "unknown attendee".to_string(),
            (Some(p), Some(at)) => rules::absence(event, p, at.day, at.span).unwrap_or_else(|| "there".into()),
            (Some(p), None) if p.status == crate::model::Status::Declined => "declined the event".into(),
            (Some(_), None) => String::new(),
        };
        listing.push(vec![json!("people"), json!(handle), json!(how.as_str()), json!(there)]);
    }
    if session.is_plenary() {
        listing.footer.push(format!(
            "a plenary: everyone at the event then counts ({} people)",
            drawn.len()
        ));
    }
    listing
}
