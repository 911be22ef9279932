//! `book`, `unbook`, `adhoc`, `free`: putting sessions in rooms, and finding rooms.

use serde_json::json;

use super::value;
use super::{Context, Moment, OutputArgs, Ui, add_participants, day_arg, features, items, team, title};
use crate::error::{Error, Result};
use crate::model::rules::{self, Conflict};
use crate::model::{Event, Kind, Placement, Room, Session, Span, Time};
use crate::render::{Listing, list_of};
use crate::store::Parts;

/// Put a session in a room at a time.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands book S012 --day fri --at 14:00 --room blue\n  \
    allhands book S012 --day fri --at 14:00        the smallest free room that fits\n\n\
    Refused, naming who or what is in the way, if the room is taken, too small or lacks a needed\n\
    feature, or a required person is elsewhere or not there.")]
pub struct BookArgs {
    /// The session's id (S012)
    #[arg(add = super::complete::sessions())]
    pub session: String,
    /// thu, thursday, 2026-05-21 or 1
    #[arg(add = super::complete::days(), long)]
    pub day: String,
    /// Start time (HH:MM)
    #[arg(long, value_name = "HH:MM", value_parser = value::start)]
    pub at: Time,
    /// The room [default: the smallest free room that fits and has what the session needs]
    #[arg(add = super::complete::rooms(), long)]
    pub room: Option<String>,
}

pub fn book(ui: &Ui, ctx: &Context, args: BookArgs) -> Result<()> {
    let (session, from, now) = ctx.store()?.update(|event| {
        let session = event.find_session(&args.session)?.clone();
        let day = day_arg(event, &args.day)?.id.clone();
        let start = args.at;
        let room = args
            .room
            .as_deref()
            .map(|r| event.find_room(r).map(|r| r.id.clone()))
            .transpose()?;
        let from = session.placement().map(|p| describe_placement(event, p));
        let placed = place(event, &session.id, &day, start, room.as_deref())?;
        let now = describe_placement(event, placed.placement().expect("just placed"));
        Ok((placed, from, now))
    })?;
    match from {
        Some(from) if from == now => ui.status(format!("No change: {} is already booked {now}", session.label())),
        Some(from) => ui.status(format!("Moved {} from {from} to {now}", session.label())),
        None => ui.status(format!("Booked {}: {now}", session.label())),
    }
}

/// `fri 14:00-15:00 in Blue Room`.
fn describe_placement(event: &Event, at: Placement<'_>) -> String {
    format!("{} {} in {}", at.day, at.span, event.room_name(at.room))
}

/// Places a session at `day`/`start` in `room`, or in the smallest room where it breaks no
/// hard rule. Returns the session as placed.
fn place(event: &mut Event, id: &str, day: &str, start: Time, room: Option<&str>) -> Result<Session> {
    let session = event.find_session(id)?.clone();
    let end = start.plus(session.duration).ok_or_else(|| {
        Error::refused(format!(
            "{} ({} min) starting at {start} would end after midnight",
            session.label(),
            session.duration
        ))
    })?;
    let span = Span::new(start, end);
    let index = rules::Index::new(event);
    let try_room = |room: &str| rules::conflicts_at(&index, &session, Placement { day, span, room });
    let what = format!("book {} on {day} {span}", session.label());
    let chosen = match room {
        Some(room) => {
            let conflicts = try_room(room);
            super::refuse_conflicts(&format!("{what} in {}", event.room_name(room)), &conflicts)?;
            room.to_string()
        }
        None => {
            let mut rooms: Vec<&Room> = event.rooms.iter().collect();
            rooms.sort_by(|a, b| a.capacity.cmp(&b.capacity).then_with(|| a.id.cmp(&b.id)));
            let tried: Vec<(&Room, Vec<Conflict>)> = rooms.iter().map(|r| (*r, try_room(&r.id))).collect();
            match tried.iter().find(|(_, c)| c.is_empty()) {
                Some((room, _)) => room.id.clone(),
                None => return Err(no_room(&what, &session, &index, &tried)),
            }
        }
    };
    let placed = event.session_mut(&session.id).expect("found above");
    placed.day = Some(day.to_string());
    placed.start = Some(start);
    placed.room = Some(chosen);
    Ok(placed.clone())
}

/// Explains why no room works: the people or hours (true of every room), or each room's problem.
fn no_room(what: &str, session: &Session, index: &rules::Index<'_>, tried: &[(&Room, Vec<Conflict>)]) -> Error {
    if tried.is_empty() {
        return Error::refused(format!("cannot {what}: there are no rooms yet (`allhands add-room`)"));
    }
    let event = index.event();
    if let Some(missing) = event.features_no_room_has(&session.needs).first() {
        return Error::refused(format!(
            "cannot {what}: no room has '{missing}' (rooms have: {})",
            event.all_features().join(", ")
        ));
    }
    let common: Vec<Conflict> = tried[0]
        .1
        .iter()
        .filter(|c| c.rule.holds_in_every_room())
        .cloned()
        .collect();
    if !common.is_empty() {
        return super::refuse_conflicts(what, &common).expect_err("not empty");
    }
    let needs = if session.needs.is_empty() {
        String::new()
    } else {
        format!(", needing {}", session.needs.join(", "))
    };
    let mut lines = vec![format!(
        "cannot {what}: no room is free that fits {} people{needs}:",
        index.headcount(session)
    )];
    for (room, conflicts) in tried.iter().rev().take(8) {
        lines.push(format!("  - {} ({}): {}", room.id, room.capacity, conflicts[0]));
    }
    if tried.len() > 8 {
        lines.push(format!("  ... and {} smaller rooms", tried.len() - 8));
    }
    lines.push("Try another time (`allhands free --day DAY --at HH:MM`).".into());
    Error::refused(lines.join("\n"))
}

/// Take a session out of the schedule.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands unbook S012")]
pub struct UnbookArgs {
    /// The session's id (S012)
    #[arg(add = super::complete::sessions())]
    pub session: String,
}

pub fn unbook(ui: &Ui, ctx: &Context, args: UnbookArgs) -> Result<()> {
    let (session, was) = ctx.store()?.update(|event| {
        let session = event.find_session(&args.session)?.clone();
        let Some(at) = session.placement() else {
            return Err(Error::refused(format!("{} is not scheduled", session.label())));
        };
        let was = describe_placement(event, at);
        event.session_mut(&session.id).expect("found above").unbook();
        Ok((session, was))
    })?;
    ui.status(format!(
        "Unbooked {} (was {was}); it is now unscheduled",
        session.label()
    ))
}

/// Create an ad-hoc session and book it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands adhoc \"Async closures follow-up\" --day fri --at 15:00 --for 60 --size 8\n  \
    allhands adhoc \"Cargo lockfile chat\" --for 30 --size 5 --required alice      (today, now)"
)]
pub struct AdhocArgs {
    /// What it is about, one line
    pub title: String,
    #[command(flatten)]
    pub moment: Moment,
    /// Length: 60, 60m, 1h30
    #[arg(
        long = "for",
        visible_alias = "duration",
        value_name = "DURATION",
        default_value = "60", value_parser = value::duration, allow_negative_numbers = true)]
    pub duration: u32,
    /// How many people are expected
    #[arg(long, default_value_t = 1)]
    pub size: u32,
    /// A room (id or name) [default: the smallest free room that fits]
    #[arg(add = super::complete::rooms(), long)]
    pub room: Option<String>,
    /// The team it belongs to
    #[arg(long, default_value = "")]
    pub team: String,
    /// Features the room must have
    #[arg(long, value_name = "FEATURES")]
    pub needs: Vec<String>,
    /// People who must be there
    #[arg(add = super::complete::handles(), long, value_name = "HANDLES")]
    pub required: Vec<String>,
}

pub fn adhoc(ui: &Ui, ctx: &Context, args: AdhocArgs) -> Result<()> {
    let (session, at) = ctx.store()?.update(|event| {
        let (day, start) = args.moment.resolve(event)?;
        let day = day.id.clone();
        let room = args
            .room
            .as_deref()
            .map(|r| event.find_room(r).map(|r| r.id.clone()))
            .transpose()?;
        let (title, team, needs) = (title(&args.title)?, team(&args.team)?, features(&args.needs)?);
        let id = event.next_session_id();
        let duration = args.duration;
        event.sessions.push(Session {
            needs,
            size: Some(args.size),
            ..Session::new(id.clone(), title, Kind::Adhoc, team, duration)
        });
        add_participants(event, &id, &args.required, &[])?;
        let placed = place(event, &id, &day, start, room.as_deref())?;
        let at = describe_placement(event, placed.placement().expect("just placed"));
        Ok((placed, at))
    })?;
    ui.status(format!(
        "Booked ad-hoc {}: {at} for {} people",
        session.label(),
        session.size.unwrap_or(1)
    ))
}

/// How long `free` looks and `adhoc` books when not told: an hour.
const DEFAULT_LENGTH: u32 = 60;

/// Find rooms free at a time.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands free --day fri --at 15:00 --for 60 --size 8\n  \
    allhands free --needs projector               (now, in the event's time zone)")]
pub struct FreeArgs {
    #[command(flatten)]
    pub moment: Moment,
    /// For how long: 60, 60m, 1h30 [default: 60, or until closing when that is sooner]
    #[arg(
        long = "for",
        visible_alias = "duration",
        value_name = "DURATION", value_parser = value::duration, allow_negative_numbers = true)]
    pub duration: Option<u32>,
    /// At least this many seats
    #[arg(long, default_value_t = 1)]
    pub size: u32,
    /// Features the room must have
    #[arg(long, visible_alias = "features", value_name = "FEATURES")]
    pub needs: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn free(ui: &Ui, ctx: &Context, args: FreeArgs) -> Result<()> {
    // Rooms and their bookings; not who is coming.
    let event = ctx.load_to_read(Parts {
        rooms: true,
        sessions: true,
        ..Parts::NONE
    })?;
    let (day, start) = args.moment.resolve(event)?;
    // Without --for, an hour, or what is left of the day near closing.
    let duration = match args.duration {
        Some(minutes) => minutes,
        None => DEFAULT_LENGTH
            .min(day.closes.minutes().saturating_sub(start.minutes()))
            .max(1),
    };
    let needs = items(&args.needs);
    if let Some(missing) = event.features_no_room_has(&needs).first() {
        return Err(Error::refused(format!(
            "no room has '{missing}' (rooms have: {})",
            event.all_features().join(", ")
        )));
    }
    let span = start
        .plus(duration)
        .map(|end| Span::new(start, end))
        .filter(|s| day.hours().contains(*s))
        .ok_or_else(|| {
            Error::refused(format!(
                "{start} for {duration} min is outside {}'s opening hours {}",
                day.id,
                day.hours()
            ))
        })?;
    let mut rooms: Vec<&Room> = event
        .rooms
        .iter()
        .filter(|r| r.capacity >= args.size && r.has_features(&needs))
        .collect();
    rooms.sort_by(|a, b| a.capacity.cmp(&b.capacity).then_with(|| a.id.cmp(&b.id)));
    let mut listing = Listing::new(&["room", "name", "capacity", "features", "free_until"]).align_right(&["capacity"]);
    listing.section(format!("Free on {} {span}{}", day.id, requirements(args.size, &needs)));
    listing.empty_message = format!(
        "no room is free on {} {span}{}",
        day.id,
        requirements(args.size, &needs)
    );
    let busy = event.busy_on(&day.id);
    for room in rooms {
        let booked = busy.spans(&room.id);
        if booked.iter().any(|b| b.overlaps(span)) {
            continue;
        }
        let until = booked
            .iter()
            .filter(|b| b.start >= span.end)
            .map(|b| b.start)
            .min()
            .unwrap_or(day.closes);
        listing.push(vec![
            json!(room.id),
            json!(room.name),
            json!(room.capacity),
            list_of(&room.features),
            json!(until),
        ]);
    }
    ui.listing(&args.output, listing)
}

fn requirements(size: u32, needs: &[String]) -> String {
    let mut text = String::new();
    if size > 1 {
        text += &format!(", {size}+ seats");
    }
    if !needs.is_empty() {
        text += &format!(", with {}", needs.join(", "));
    }
    text
}
