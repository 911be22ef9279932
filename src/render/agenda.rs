//! The agenda as the exports see it: chosen scheduled sessions with their day, time, room
//! and required people. Handles only, never email addresses.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::model::rules::{self, Drawn};
use crate::model::selection::Selection;
use crate::model::{Day, Event, Room, Session, Span, Tie, Time};

/// One scheduled session on the agenda.
pub struct Item<'a> {
    pub session: &'a Session,
    pub day: &'a Day,
    pub span: Span,
    pub room: &'a Room,
    /// Handles of the required people.
    pub required: Vec<&'a str>,
    /// Seats it needs (participants or expected size).
    pub people: u32,
    /// The agenda owner's tie, for a personal agenda.
    pub role: Option<Tie>,
}

impl Item<'_> {
    /// What a calendar entry or a frab abstract says of a session beyond its title: its team
    /// and who is required.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.session.team.is_empty() {
            lines.push(format!("Team: {}", self.session.team));
        }
        if !self.required.is_empty() {
            lines.push(format!("Required: {}", self.required.join(", ")));
        }
        lines
    }

    /// The full description (calendars, frab): the summary, the owner's tie on a personal
    /// agenda, then the session's id, kind and head count.
    pub fn description_lines(&self) -> Vec<String> {
        let mut lines = self.summary_lines();
        if let Some(role) = self.role {
            lines.push(format!("You are {role}"));
        }
        lines.push(format!(
            "Session {} ({}), {} people",
            self.session.id, self.session.kind, self.people
        ));
        lines
    }
}

/// What an export shows: the event, a title, and the sessions in day, time, room order.
pub struct Agenda<'a> {
    pub event: &'a Event,
    /// "Rust All Hands 2026", or "Rust All Hands 2026: ferris" for a personal agenda.
    pub title: String,
    pub items: Vec<Item<'a>>,
}

impl<'a> Agenda<'a> {
    /// The agenda of a selection: its sessions with their day, room and required people (from
    /// the event's `index`), titled by the event, or by the event and the person for a personal
    /// agenda.
    pub fn of(event: &'a Event, index: &rules::Index<'a>, selection: &Selection<'a>) -> Agenda<'a> {
        let items = selection
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
                    role: selection.ties.get(s.id.as_str()).map(|d| match d {
                        Drawn::Required => Tie::Required,
                        _ => Tie::Interested,
                    }),
                })
            })
            .collect();
        let title = match selection.filter.person {
            Some(p) => format!("{}: {}", event.info.name, p.handle),
            None => event.info.name.clone(),
        };
        Agenda { event, title, items }
    }

    /// The days that have sessions on this agenda, in event order.
    pub fn days(&self) -> Vec<&'a Day> {
        let mut days: Vec<&Day> = self
            .event
            .days
            .iter()
            .filter(|d| self.items.iter().any(|i| i.day.id == d.id))
            .collect();
        days.sort_by_key(|d| d.date);
        days
    }

    /// The sessions on `day`, in agenda order.
    pub fn items_on(&self, day: &Day) -> Vec<&Item<'a>> {
        self.items.iter().filter(|i| i.day.id == day.id).collect()
    }

    /// The hours a timetable of `day` shows, as minutes after midnight: from the earlier of
    /// opening and the first start to the later of closing and the last end, on whole hours.
    pub fn grid_hours(&self, day: &Day) -> (u32, u32) {
        let items = self.items_on(day);
        let first = items
            .iter()
            .map(|i| i.span.start)
            .min()
            .unwrap_or(day.opens)
            .min(day.opens);
        let last = items
            .iter()
            .map(|i| i.span.end)
            .max()
            .unwrap_or(day.closes)
            .max(day.closes);
        let from = first.minutes() / 60 * 60;
        (from, (last.minutes().div_ceil(60) * 60).max(from + 60))
    }

    /// The rooms used on `day`, largest first (the timetable's columns).
    pub fn rooms_on(&self, day: &Day) -> Vec<&'a Room> {
        let mut rooms: Vec<&Room> = Vec::new();
        for item in self.items.iter().filter(|i| i.day.id == day.id) {
            if !rooms.iter().any(|r| r.id == item.room.id) {
                rooms.push(item.room);
            }
        }
        rooms.sort_by(Room::largest_first);
        rooms
    }

    /// A session's start or end as a UTC instant, from the event's time zone. A local time
    /// that does not exist (a DST gap) moves forward; an ambiguous one takes the earlier.
    pub fn utc(&self, day: &Day, time: Time) -> DateTime<Utc> {
        let local =
            NaiveDateTime::new(day.date, chrono::NaiveTime::MIN) + chrono::Duration::minutes(time.minutes().into());
        let zone = self.event.info.timezone.tz();
        let mut probe = local;
        loop {
            if let Some(t) = zone.from_local_datetime(&probe).earliest() {
                return t.with_timezone(&Utc);
            }
            probe += chrono::Duration::minutes(15);
        }
    }

    /// When an item ends, in absolute time: its start plus its length, so a session across a
    /// daylight-saving change lasts as long as it says (90 minutes from 01:30 on the night
    /// clocks go forward ends at 04:00 summer time, not at 03:00).
    pub fn end_utc(&self, item: &Item<'_>) -> DateTime<Utc> {
        self.utc(item.day, item.span.start) + chrono::Duration::minutes(item.span.minutes().into())
    }

    /// A short lowercase name for ids: "rust-all-hands-2026".
    pub fn slug(&self) -> String {
        let slug = super::slug(&self.event.info.name, usize::MAX);
        if slug.is_empty() { "event".into() } else { slug }
    }
}
