//! `add-room`, `edit-room`, `remove-room`, `rooms`, `rooms --day`.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::value;
use super::{Context, OutputArgs, Ui, day_arg, features, refuse_conflicts};
use crate::error::{Error, Result};
use crate::model::{Day, Event, Room, Span, format_duration, rules, validate_key};
use crate::render::{Listing, list_of};
use crate::store::Parts;

/// Add a meeting room.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands add-room blue --name \"Blue Room\" --capacity 12 --features whiteboard")]
pub struct AddArgs {
    /// Short id used in sessions.csv, e.g. blue
    pub id: String,
    /// Name shown on agendas [default: the id]
    #[arg(long)]
    pub name: Option<String>,
    /// Seats
    #[arg(long, value_parser = value::capacity, allow_negative_numbers = true)]
    pub capacity: u32,
    /// What it has: projector, whiteboard, video, ... (repeat, or separate with commas)
    #[arg(long, value_name = "FEATURES")]
    pub features: Vec<String>,
}

pub fn add(ui: &Ui, ctx: &Context, args: AddArgs) -> Result<()> {
    let room = ctx.store()?.update(|event| {
        validate_key("room id", &args.id).map_err(Error::refused)?;
        if let Some(existing) = event.room(&args.id) {
            return Err(Error::refused(format!(
                "room '{}' already exists (rooms.csv line {}); change it with `allhands edit-room {}`",
                existing.id, existing.line, existing.id
            )));
        }
        let existing = event.rooms.iter().map(|r| (r.id.as_str(), r.line));
        super::refuse_look_alike("room", "rooms.csv", &args.id, existing)?;
        let name = args
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(&args.id);
        let room = Room::new(
            args.id.clone(),
            name.to_string(),
            args.capacity,
            features(&args.features)?,
        );
        event.rooms.push(room.clone());
        Ok(room)
    })?;
    ui.status(format!("Added room {}: {}", room.id, describe(&room)))
}

/// `Blue Room, 12 seats, whiteboard`.
fn describe(room: &Room) -> String {
    let features = if room.features.is_empty() {
        "no features".to_string()
    } else {
        room.features.join(", ")
    };
    format!("{}, {} seats, {features}", room.name, room.capacity)
}

/// Change a room; only the options given change.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands edit-room blue --capacity 16\n  \
    allhands edit-room blue --add-feature projector\n\n\
    A smaller capacity or a feature taken away is refused while a session booked there needs it.")]
pub struct EditArgs {
    /// The room's id or name
    #[arg(add = super::complete::rooms())]
    pub id: String,
    /// Its display name
    #[arg(long)]
    pub name: Option<String>,
    /// Seats
    #[arg(long, value_parser = value::capacity, allow_negative_numbers = true)]
    pub capacity: Option<u32>,
    /// Replace the features
    #[arg(long, value_name = "FEATURES")]
    pub features: Option<Vec<String>>,
    /// Features to add (repeat, or separate with commas)
    #[arg(long, value_name = "FEATURE")]
    pub add_feature: Vec<String>,
    /// Features to remove
    #[arg(long, value_name = "FEATURE")]
    pub remove_feature: Vec<String>,
}

pub fn edit(ui: &Ui, ctx: &Context, args: EditArgs) -> Result<()> {
    let (old, room) = ctx.store()?.update(|event| {
        let before = event.clone();
        let mut room = event.find_room(&args.id)?.clone();
        if let Some(name) = args.name.as_deref().map(str::trim) {
            if name.is_empty() {
                return Err(Error::refused("--name must not be empty"));
            }
            room.name = name.to_string();
        }
        if let Some(capacity) = args.capacity {
            room.capacity = capacity;
        }
        // Features keep their order unless the command changes them.
        if let Some(values) = &args.features {
            room.features = features(values)?;
        }
        for added in features(&args.add_feature)? {
            if !room.features.contains(&added) {
                room.features.push(added);
            }
        }
        let removed = features(&args.remove_feature)?;
        room.features.retain(|f| !removed.contains(f));
        *event.rooms.iter_mut().find(|r| r.id == room.id).expect("found above") = room.clone();
        let booked: Vec<&str> = event
            .sessions
            .iter()
            .filter(|s| s.room.as_deref() == Some(&room.id))
            .map(|s| s.id.as_str())
            .collect();
        refuse_conflicts(
            &format!("change room {}", room.id),
            &rules::new_conflicts(&before, event, &booked),
        )?;
        let old = before.room(&room.id).expect("found above").clone();
        Ok((old, room))
    })?;
    ui.changed(&format!("room {}", room.id), &old, &room)
}

/// Remove a room.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands remove-room blue\n\n\
    Refused while sessions are booked in it: move them (`allhands book`) or `allhands unbook` them first.")]
pub struct RemoveArgs {
    /// The room's id or name
    #[arg(add = super::complete::rooms())]
    pub id: String,
}

pub fn remove(ui: &Ui, ctx: &Context, args: RemoveArgs) -> Result<()> {
    let room = ctx.store()?.update(|event| {
        let room = event.find_room(&args.id)?.clone();
        let booked: Vec<String> = event
            .sessions
            .iter()
            .filter(|s| s.room.as_deref() == Some(&room.id))
            .map(|s| s.label())
            .collect();
        if !booked.is_empty() {
            return Err(Error::refused(format!(
                "room {} still has {} booked: {}; move or unbook them first",
                room.id,
                if booked.len() == 1 { "a session" } else { "sessions" },
                booked.join(", ")
            )));
        }
        event.rooms.retain(|r| r.id != room.id);
        Ok(room)
    })?;
    ui.status(format!("Removed room {} ({})", room.id, room.name))
}

/// List rooms, or with --day the day's allocation.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands rooms                 capacity, features and hours booked per day\n  \
    allhands rooms --day thu       Thursday: each room's sessions in order, and its free time"
)]
pub struct ListArgs {
    /// Show this day's allocation
    #[arg(add = super::complete::days(), long)]
    pub day: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn list(ui: &Ui, ctx: &Context, args: ListArgs) -> Result<()> {
    // The overview is rooms and their bookings; a day's allocation also counts who comes.
    let parts = match args.day {
        Some(_) => Parts::ALL,
        None => Parts {
            rooms: true,
            sessions: true,
            ..Parts::NONE
        },
    };
    let event = ctx.load_to_read(parts)?;
    let listing = match &args.day {
        None => overview(event),
        Some(day) => {
            let day = day_arg(event, day)?;
            if args.output.for_people() {
                allocation_grid(event, day)
            } else {
                allocation_rows(event, day)
            }
        }
    };
    ui.listing(&args.output, listing)
}

/// Every room with its hours booked on each day.
fn overview(event: &Event) -> Listing {
    let mut columns = vec!["room", "name", "capacity", "features"];
    let day_columns: Vec<String> = event.days.iter().map(|d| d.id.clone()).collect();
    columns.extend(day_columns.iter().map(String::as_str));
    let mut right = vec!["capacity"];
    right.extend(day_columns.iter().map(String::as_str));
    let mut listing = Listing::new(&columns).align_right(&right);
    listing.empty_message = "no rooms yet: add one with `allhands add-room`".into();
    let mut booked: HashMap<(&str, &str), u32> = HashMap::new();
    for (_, at) in event.scheduled() {
        *booked.entry((at.room, at.day)).or_insert(0) += at.span.minutes();
    }
    for room in event.rooms_largest_first() {
        let mut row = vec![
            json!(room.id),
            json!(room.name),
            json!(room.capacity),
            list_of(&room.features),
        ];
        for day in &event.days {
            let minutes = booked.get(&(room.id.as_str(), day.id.as_str())).copied().unwrap_or(0);
            row.push(json!(format_duration(minutes)));
        }
        listing.push(row);
    }
    listing
        .footer
        .push(format!("hours booked per day (h:mm); {} rooms", event.rooms.len()));
    listing
}

/// Free stretches of a room on a day, between its sessions.
pub fn free_spans(day: &Day, booked: &[Span]) -> Vec<Span> {
    let mut booked = booked.to_vec();
    booked.sort();
    let mut free = Vec::new();
    let mut from = day.opens;
    for span in booked {
        if span.start > from {
            free.push(Span::new(from, span.start));
        }
        from = from.max(span.end);
    }
    if from < day.closes {
        free.push(Span::new(from, day.closes));
    }
    free
}

/// One row per room: its sessions in order and its free time (for people).
fn allocation_grid(event: &Event, day: &Day) -> Listing {
    let mut listing = Listing::new(&["room", "sessions", "free"]);
    listing.row_lines = true;
    listing.section(format!("{} ({}, open {})", day.heading(), day.id, day.hours()));
    listing.empty_message = "no rooms yet: add one with `allhands add-room`".into();
    let index = rules::Index::new(event);
    let mut by_room: HashMap<&str, Vec<_>> = HashMap::new();
    for (s, at) in event.scheduled().into_iter().filter(|(_, at)| at.day == day.id) {
        by_room.entry(at.room).or_default().push((s, at));
    }
    let busy = event.busy_on(&day.id);
    for room in event.rooms_largest_first() {
        let here: &[_] = by_room.get(room.id.as_str()).map_or(&[], Vec::as_slice);
        let sessions: Vec<String> = here
            .iter()
            .map(|(s, at)| format!("{} {} {} ({})", at.span, s.id, s.title, index.headcount(s)))
            .collect();
        let free: Vec<String> = free_spans(day, &busy.spans(&room.id))
            .iter()
            .map(Span::to_string)
            .collect();
        let name = format!("{}\n{} seats", room.name, room.capacity);
        let sessions = if sessions.is_empty() {
            "-".to_string()
        } else {
            sessions.join("\n")
        };
        listing.push(vec![json!(name), json!(sessions), json!(free.join("\n"))]);
    }
    let count: usize = by_room.values().map(Vec::len).sum();
    listing
        .footer
        .push(format!("{count} sessions on {}; (n) = people expected", day.id));
    listing
}

/// One row per booking (for programs).
fn allocation_rows(event: &Event, day: &Day) -> Listing {
    let mut listing = Listing::new(&[
        "day",
        "room",
        "room_name",
        "capacity",
        "start",
        "end",
        "session",
        "title",
        "team",
        "people",
    ]);
    let index = rules::Index::new(event);
    let rooms = event.rooms_largest_first();
    let mut rows: Vec<(usize, Vec<Value>)> = Vec::new();
    for (s, at) in event.scheduled().into_iter().filter(|(_, at)| at.day == day.id) {
        let order = rooms.iter().position(|r| r.id == at.room).unwrap_or(usize::MAX);
        let capacity = event.room(at.room).map(|r| json!(r.capacity)).unwrap_or(Value::Null);
        rows.push((
            order,
            vec![
                json!(day.id),
                json!(at.room),
                json!(event.room_name(at.room)),
                capacity,
                json!(at.span.start),
                json!(at.span.end),
                json!(s.id),
                json!(s.title),
                json!(s.team),
                json!(index.headcount(s)),
            ],
        ));
    }
    rows.sort_by_key(|(order, _)| *order); // stable: keeps time order within a room
    for (_, row) in rows {
        listing.push(row);
    }
    listing
}
