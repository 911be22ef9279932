//! The event's plain data: days, slots, attendees, rooms, sessions and who takes part.
//!
//! Nothing here knows about files, commands or output. Values are validated when they are
//! built (see the `parse` helpers); the hard scheduling rules live in [`rules`], once, so that
//! `book`, `check` and `plan` can never disagree about them.

pub mod explain;
pub mod identity;
pub mod integrity;
mod lookup;
pub use lookup::NotFound;
pub mod rules;
pub mod selection;
mod time;

/// An id or handle as the model keeps it: inline up to 24 bytes (every id and handle in
/// practice), so loading a folder allocates nothing per key; a stress-size participants.csv
/// has 80,000 rows of two.
pub type Key = compact_str::CompactString;

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

pub use identity::{handle_from, key_form, look_alike, validate_handle};
pub use lookup::did_you_mean;
pub use time::{Span, Time, Zone, format_duration, parse_date, parse_duration};

/// Columns a file had that allhands does not know; kept so they survive a rewrite.
pub type Extra = BTreeMap<String, String>;

/// Declares a closed set of words (`member`, `guest`) with parsing that lists the valid ones.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Result<$name, String> {
                let text = text.trim();
                // As written by allhands first, then without case; never allocating.
                match text {
                    $($text => return Ok($name::$variant),)+
                    _ => {}
                }
                $(if text.eq_ignore_ascii_case($text) {
                    return Ok($name::$variant);
                })+
                Err(format!("'{}' is not valid (valid: {})", text, Self::WORDS.join(", ")))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> { Self::parse(s) }
        }
    };
}

pub mod publish;

word_enum!(
    /// Whether a person is a project member or an invited guest.
    Role { Member = "member", Guest = "guest" }
);
word_enum!(
    /// Where a person is in the invitation process.
    Status { Interested = "interested", Invited = "invited", Confirmed = "confirmed", Declined = "declined" }
);
word_enum!(
    /// Planned ahead (from the spreadsheet) or booked on the spot.
    Kind { Planned = "planned", Adhoc = "adhoc" }
);
word_enum!(
    /// A person's tie to a session: required people must be there; interested ones would like to.
    Tie { Required = "required", Interested = "interested" }
);

/// The event itself (`event.csv`, one row).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventInfo {
    pub name: String,
    pub location: String,
    /// The IANA time zone, e.g. `Europe/Amsterdam`.
    pub timezone: Zone,
    #[serde(skip)]
    pub extra: Extra,
}

/// One day of the event (`days.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Day {
    /// Short name used everywhere else, e.g. `thu` (the `day` column).
    #[serde(rename = "day")]
    pub id: String,
    pub date: NaiveDate,
    pub opens: Time,
    pub closes: Time,
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    pub extra: Extra,
}

impl Day {
    /// A day made by allhands (not read from a file): its id (`thu`), date and opening hours.
    pub fn new(id: String, date: NaiveDate, opens: Time, closes: Time) -> Day {
        Day {
            id,
            date,
            opens,
            closes,
            line: 0,
            extra: Extra::new(),
        }
    }

    pub fn id_for(date: NaiveDate, position: usize, event_days: usize) -> String {
        if event_days <= 7 {
            date.format("%a").to_string().to_lowercase()
        } else {
            format!("d{}", position + 1)
        }
    }

    pub fn hours(&self) -> Span {
        Span::new(self.opens, self.closes)
    }

    /// `Thu 21 May`.
    pub fn label(&self) -> String {
        self.date.format("%a %-d %b").to_string()
    }

    /// `Thursday`.
    pub fn weekday_name(&self) -> String {
        self.date.format("%A").to_string()
    }

    /// `Thursday 21 May 2026`: how every agenda, sign and page heads a day.
    pub fn heading(&self) -> String {
        self.date.format("%A %-d %B %Y").to_string()
    }

    /// `Thursday 21 May`, where the year goes without saying (a day's label on a board).
    pub fn short_heading(&self) -> String {
        self.date.format("%A %-d %B").to_string()
    }
}

/// A block the planner may place sessions in (`slots.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Slot {
    pub day: String,
    pub start: Time,
    pub end: Time,
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    pub extra: Extra,
}

impl Slot {
    /// A slot made by allhands (not read from a file).
    pub fn new(day: String, start: Time, end: Time) -> Slot {
        Slot {
            day,
            start,
            end,
            line: 0,
            extra: Extra::new(),
        }
    }

    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// How `init` and `add-day` lay out a day's slots: blocks of one length from opening, a
/// pause between them, and a lunch break that no block crosses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Minutes per slot.
    pub block: u32,
    /// Minutes between two slots.
    pub pause: u32,
    pub lunch: Option<Span>,
}

impl Grid {
    /// 90-minute blocks, 30 minutes apart, lunch 12:30-13:30: from 09:00 to 17:30 that is
    /// 09:00, 11:00, 13:30 and 15:30.
    pub const DEFAULT: Grid = Grid {
        block: 90,
        pause: 30,
        lunch: Some(Span {
            start: Time::at(12, 30),
            end: Time::at(13, 30),
        }),
    };

    /// The slots of `day` under this grid, in order; none when no block fits.
    pub fn slots(&self, day: &Day) -> Vec<Slot> {
        let mut slots = Vec::new();
        let mut start = day.opens;
        while let Some(end) = start.plus(self.block).filter(|end| *end <= day.closes) {
            let span = Span::new(start, end);
            match self.lunch.filter(|l| l.overlaps(span)) {
                // A block that would cross lunch starts after it instead.
                Some(lunch) => start = lunch.end.max(start),
                None => {
                    slots.push(Slot::new(day.id.clone(), start, end));
                    match end.plus(self.pause) {
                        Some(next) => start = next,
                        None => break,
                    }
                }
            }
            if self.block == 0 {
                break;
            }
        }
        slots
    }
}

/// A person (`attendees.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attendee {
    pub handle: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub teams: Vec<String>,
    pub days: Vec<String>,
    /// Arrival on their first day; `None` means from opening.
    pub arrives: Option<Time>,
    /// Departure on their last day; `None` means until closing.
    pub leaves: Option<Time>,
    pub status: Status,
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    pub extra: Extra,
}

impl Attendee {
    /// A person added by allhands (not read from a file): no email, teams, days or times yet.
    pub fn new(handle: String, name: String, role: Role, status: Status) -> Attendee {
        Attendee {
            handle,
            name,
            email: String::new(),
            role,
            teams: Vec::new(),
            days: Vec::new(),
            arrives: None,
            leaves: None,
            status,
            line: 0,
            extra: Extra::new(),
        }
    }
}

/// A meeting room (`rooms.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Room {
    pub id: String,
    pub name: String,
    pub capacity: u32,
    pub features: Vec<String>,
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    pub extra: Extra,
}

impl Room {
    /// A room added by allhands (not read from a file: no line, no extra columns).
    pub fn new(id: String, name: String, capacity: u32, features: Vec<String>) -> Room {
        Room {
            id,
            name,
            capacity,
            features,
            line: 0,
            extra: Extra::new(),
        }
    }

    /// Whether the room has every feature needed (features compare without case).
    pub fn has_features(&self, needs: &[String]) -> bool {
        needs.iter().all(|n| self.has_feature(n))
    }

    pub fn has_feature(&self, need: &str) -> bool {
        self.features.iter().any(|f| same_key(f, need))
    }

    pub fn missing_features(&self, needs: &[String]) -> Vec<String> {
        needs.iter().filter(|n| !self.has_feature(n)).cloned().collect()
    }
}

/// The audience word that makes a session a plenary: everyone present is drawn to it, and
/// nothing else may run at the same time (hard rule 5).
pub const EVERYONE: &str = "everyone";

/// A session's soft wish for when it takes place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Preference {
    /// Ends by 12:30.
    Morning,
    /// Starts at 12:00 or later.
    Afternoon,
    /// On this day (a day id).
    Day(String),
}

impl Preference {
    const MORNING_ENDS: Time = Time::at(12, 30);
    const AFTERNOON_STARTS: Time = Time::at(12, 0);

    /// Parses `morning`, `afternoon` or a day id (checked against the event by `check`).
    pub fn parse(text: &str) -> Result<Preference, String> {
        let text = text.trim();
        match text.to_lowercase().as_str() {
            "morning" | "am" => Ok(Preference::Morning),
            "afternoon" | "pm" => Ok(Preference::Afternoon),
            "" => Err("a preference must not be empty (valid: morning, afternoon, or a day)".into()),
            other => {
                validate_key("preferred day", other)?;
                Ok(Preference::Day(other.to_string()))
            }
        }
    }

    /// Whether a session on `day` at `span` has what it wished for.
    pub fn met(&self, day: &str, span: Span) -> bool {
        match self {
            Preference::Morning => span.end <= Self::MORNING_ENDS,
            Preference::Afternoon => span.start >= Self::AFTERNOON_STARTS,
            Preference::Day(d) => d == day,
        }
    }
}

impl fmt::Display for Preference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Preference::Morning => f.write_str("morning"),
            Preference::Afternoon => f.write_str("afternoon"),
            Preference::Day(d) => f.write_str(d),
        }
    }
}

impl Serialize for Preference {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A discussion (`sessions.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Session {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub team: String,
    /// Minutes.
    pub duration: u32,
    pub needs: Vec<String>,
    /// Expected attendance when it is more than the participant list (ad-hoc bookings).
    pub size: Option<u32>,
    pub day: Option<String>,
    pub start: Option<Time>,
    pub room: Option<String>,
    /// Never moved by the planner.
    pub pinned: bool,
    /// Teams whose present members count as interested; [`EVERYONE`] for a plenary.
    pub audience: Vec<String>,
    /// The days it may take place on; empty: any day (hard rule 6).
    pub days: Vec<String>,
    /// It may not start before this time of day (hard rule 6).
    pub not_before: Option<Time>,
    /// It must end by this time of day (hard rule 6).
    pub not_after: Option<Time>,
    /// A soft wish, counted after clashes.
    pub prefer: Option<Preference>,
    /// Sessions it must never overlap, either way round (hard rule 6).
    pub apart: Vec<String>,
    /// Where the proposal came from, e.g. its GitHub issue's URL.
    pub source: String,
    pub notes: String,
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    pub extra: Extra,
}

/// Where and when a session takes place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement<'a> {
    pub day: &'a str,
    pub span: Span,
    pub room: &'a str,
}

impl Session {
    /// A new unscheduled, unpinned session with no needs, made by allhands.
    pub fn new(id: String, title: String, kind: Kind, team: String, duration: u32) -> Session {
        Session {
            id,
            title,
            kind,
            team,
            duration,
            needs: Vec::new(),
            size: None,
            day: None,
            start: None,
            room: None,
            pinned: false,
            audience: Vec::new(),
            days: Vec::new(),
            not_before: None,
            not_after: None,
            prefer: None,
            apart: Vec::new(),
            source: String::new(),
            notes: String::new(),
            line: 0,
            extra: Extra::new(),
        }
    }

    /// The session's time constraints and wishes in words: `fri, sat; not before 14:00; apart from S012`.
    pub fn constraints(&self) -> String {
        let mut parts = Vec::new();
        if !self.days.is_empty() {
            parts.push(format!("only {}", self.days.join(", ")));
        }
        if let Some(t) = self.not_before {
            parts.push(format!("not before {t}"));
        }
        if let Some(t) = self.not_after {
            parts.push(format!("ends by {t}"));
        }
        if let Some(p) = &self.prefer {
            parts.push(format!("prefers {p}"));
        }
        if !self.apart.is_empty() {
            parts.push(format!("apart from {}", self.apart.join(", ")));
        }
        parts.join("; ")
    }

    /// A plenary: its audience is everyone, and nothing else may run at the same time.
    pub fn is_plenary(&self) -> bool {
        self.audience.iter().any(|t| t.eq_ignore_ascii_case(EVERYONE))
    }

    /// Whether one of its audience teams is `team` (teams compare without case).
    pub fn draws_team(&self, team: &str) -> bool {
        self.audience.iter().any(|t| same_key(t, team))
    }

    /// Why the session may not be on `day` at `span` by its own time constraints (its days,
    /// not before, not after), or `None` when it may.
    pub fn time_constraint_broken(&self, day: &str, span: Span) -> Option<String> {
        if !self.days.is_empty() && !self.days.iter().any(|d| same_key(d, day)) {
            return Some(format!("{} may only be on {}", self.label(), self.days.join(", ")));
        }
        if let Some(t) = self.not_before
            && span.start < t
        {
            return Some(format!("{} may not start before {t}", self.label()));
        }
        if let Some(t) = self.not_after
            && span.end > t
        {
            return Some(format!("{} must end by {t}", self.label()));
        }
        None
    }

    /// Whether its duration fits between its not-before and not-after times (when it has both).
    pub fn fits_its_window(&self) -> bool {
        match (self.not_before, self.not_after) {
            (Some(from), Some(to)) => from.plus(self.duration).is_some_and(|end| end <= to),
            _ => true,
        }
    }

    /// Whether the session and `other` are kept apart (either one names the other).
    pub fn kept_apart_from(&self, other: &Session) -> bool {
        self.apart.iter().any(|id| same_key(id, &other.id)) || other.apart.iter().any(|id| same_key(id, &self.id))
    }

    /// The session's day, time and room; `None` unless all three are set.
    pub fn placement(&self) -> Option<Placement<'_>> {
        let (day, start, room) = (self.day.as_deref()?, self.start?, self.room.as_deref()?);
        let end = start.plus(self.duration).unwrap_or(Time::END_OF_DAY);
        Some(Placement {
            day,
            span: Span::new(start, end),
            room,
        })
    }

    pub fn is_scheduled(&self) -> bool {
        self.placement().is_some()
    }

    /// Some but not all of day, start and room set: such a session counts as unscheduled.
    pub fn is_partly_scheduled(&self) -> bool {
        let set = [self.day.is_some(), self.start.is_some(), self.room.is_some()];
        set.iter().any(|x| *x) && !set.iter().all(|x| *x)
    }

    pub fn unbook(&mut self) {
        self.day = None;
        self.start = None;
        self.room = None;
    }

    /// `S012 'Async closures'`, the way refusals name a session.
    pub fn label(&self) -> String {
        format!("{} '{}'", self.id, self.title)
    }
}

/// A person's tie to a session (`participants.csv`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Participant {
    pub session: Key,
    pub handle: Key,
    /// Required or interested (the `role` column).
    #[serde(rename = "role")]
    pub tie: Tie,
    #[serde(skip)]
    pub line: u64,
    #[serde(skip)]
    pub extra: Extra,
}

impl Room {
    /// Largest first, then by id: the order of rooms in every listing, timetable and board.
    pub fn largest_first(a: &&Room, b: &&Room) -> std::cmp::Ordering {
        b.capacity.cmp(&a.capacity).then_with(|| a.id.cmp(&b.id))
    }
}

impl Participant {
    /// A new tie of a person to a session (not from a file: no line, no extra columns).
    pub fn new(session: &str, handle: &str, tie: Tie) -> Participant {
        Participant {
            session: Key::from(session),
            handle: Key::from(handle),
            tie,
            line: 0,
            extra: Extra::default(),
        }
    }
}

/// Everything in one data folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub info: EventInfo,
    pub days: Vec<Day>,
    pub slots: Vec<Slot>,
    pub attendees: Vec<Attendee>,
    pub rooms: Vec<Room>,
    pub sessions: Vec<Session>,
    pub participants: Vec<Participant>,
}

impl Event {
    /// Every room, largest first (see [`Room::largest_first`]).
    pub fn rooms_largest_first(&self) -> Vec<&Room> {
        let mut rooms: Vec<&Room> = self.rooms.iter().collect();
        rooms.sort_by(Room::largest_first);
        rooms
    }

    /// Ties people (known handles) to a session; a person listed as both is required.
    /// Existing ties are updated (interested becomes required), never duplicated. A person who
    /// declined the event cannot be required anywhere, even at an unscheduled session. Returns
    /// the handles whose tie changed.
    pub fn tie_people(
        &mut self,
        session: &str,
        required: &[String],
        interested: &[String],
    ) -> Result<Vec<String>, String> {
        if let Some(person) = required
            .iter()
            .filter_map(|h| self.attendee(h))
            .find(|a| a.status == Status::Declined)
        {
            return Err(format!(
                "{} has declined the event and cannot be required at {session}",
                person.handle
            ));
        }
        let mut changed = Vec::new();
        let ties = required.iter().map(|h| (h, Tie::Required)).chain(
            interested
                .iter()
                .filter(|h| !required.contains(h))
                .map(|h| (h, Tie::Interested)),
        );
        for (handle, role) in ties {
            match self
                .participants
                .iter_mut()
                .find(|p| p.session == session && p.handle == *handle)
            {
                Some(p) if p.tie == Tie::Interested && role == Tie::Required => {
                    p.tie = role;
                    changed.push(handle.clone());
                }
                Some(_) => {}
                None => {
                    self.participants.push(Participant::new(session, handle, role));
                    changed.push(handle.clone());
                }
            }
        }
        Ok(changed)
    }

    /// An event with its days and slots and nobody and nothing in it yet (what `init` makes).
    pub fn new(info: EventInfo, days: Vec<Day>, slots: Vec<Slot>) -> Event {
        Event {
            info,
            days,
            slots,
            attendees: Vec::new(),
            rooms: Vec::new(),
            sessions: Vec::new(),
            participants: Vec::new(),
        }
    }

    pub fn day(&self, id: &str) -> Option<&Day> {
        self.days.iter().find(|d| d.id == id)
    }

    /// Position of a day in the event (0 for the first), for sorting by date.
    pub fn day_index(&self, id: &str) -> usize {
        self.days.iter().position(|d| d.id == id).unwrap_or(usize::MAX)
    }

    pub fn attendee(&self, handle: &str) -> Option<&Attendee> {
        self.attendees.iter().find(|a| a.handle == handle)
    }

    pub fn room(&self, id: &str) -> Option<&Room> {
        self.rooms.iter().find(|r| r.id == id)
    }

    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    pub fn session_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    /// Room name for display, falling back to the id for an unknown room.
    pub fn room_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.room(id).map_or(id, |r| r.name.as_str())
    }

    /// The participants of one session, required first.
    pub fn participants_of<'a>(&'a self, session: &'a str) -> impl Iterator<Item = &'a Participant> + 'a {
        self.participants.iter().filter(move |p| p.session == session)
    }

    /// Scheduled sessions in agenda order: by day, start, room.
    pub fn scheduled(&self) -> Vec<(&Session, Placement<'_>)> {
        let mut list: Vec<_> = self
            .sessions
            .iter()
            .filter_map(|s| Some((self.day_index(s.placement()?.day), s, s.placement()?)))
            .collect();
        list.sort_by(|(da, a, pa), (db, b, pb)| (da, pa.span, pa.room, &a.id).cmp(&(db, pb.span, pb.room, &b.id)));
        list.into_iter().map(|(_, s, at)| (s, at)).collect()
    }

    /// The next free session id, `S001` style, one past the highest number in use.
    pub fn next_session_id(&self) -> String {
        let highest = self
            .sessions
            .iter()
            .filter_map(|s| s.id.strip_prefix('S').and_then(|n| n.parse::<u64>().ok()))
            .max()
            .unwrap_or(0);
        // Past the largest number (someone typed S18446744073709551615), take the first gap.
        let first = highest.checked_add(1).unwrap_or(1);
        (first..)
            .chain(1..first)
            .map(|n| format!("S{n:03}"))
            .find(|id| self.session(id).is_none())
            .expect("fewer sessions than numbers")
    }

    /// When a room is taken on a day: its own sessions, and every plenary (nothing else may
    /// run during one, hard rule 5), sorted by start.
    pub fn busy_spans(&self, day: &str, room: &str) -> Vec<Span> {
        self.busy_on(day).spans(room)
    }

    /// [`Event::busy_spans`] of every room on `day`, from one pass over the sessions (a
    /// listing of 150 rooms went over 3,000 sessions for each).
    pub fn busy_on(&self, day: &str) -> Busy<'_> {
        let mut busy = Busy::default();
        for (s, at) in self.sessions.iter().filter_map(|s| Some((s, s.placement()?))) {
            if at.day != day {
                continue;
            }
            if s.is_plenary() {
                busy.everywhere.push(at.span);
            } else {
                busy.in_room.entry(at.room).or_default().push(at.span);
            }
        }
        busy
    }

    /// Every feature some room has, sorted, each once (features compare without case).
    pub fn all_features(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .rooms
            .iter()
            .flat_map(|r| r.features.iter().map(String::as_str))
            .collect();
        all.sort_by_key(|f| f.to_lowercase());
        all.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        all
    }

    /// The needed features that no room has at all: no time or room choice can help.
    pub fn features_no_room_has<'a>(&self, needs: &'a [String]) -> Vec<&'a str> {
        needs
            .iter()
            .filter(|n| !self.rooms.iter().any(|r| r.has_feature(n)))
            .map(String::as_str)
            .collect()
    }

    /// Orders an attendee's days as the event's days are ordered, dropping repeats.
    pub fn sort_days(&self, days: &mut Vec<String>) {
        days.sort_by_key(|d| self.day_index(d));
        days.dedup();
    }
}

/// When the rooms are taken on one day (see [`Event::busy_on`]).
#[derive(Default)]
pub struct Busy<'e> {
    /// Plenaries: every room is taken then.
    everywhere: Vec<Span>,
    /// Each room's own sessions (plenaries aside).
    in_room: std::collections::HashMap<&'e str, Vec<Span>>,
}

impl Busy<'_> {
    /// When `room` is taken, sorted by start.
    pub fn spans(&self, room: &str) -> Vec<Span> {
        let mut spans = self.everywhere.clone();
        spans.extend(self.in_room.get(room).into_iter().flatten());
        spans.sort();
        spans
    }
}

/// Compares strings so that embedded numbers sort by value: `S2` before `S10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(ca), Some(cb)) = (a.chars().next(), b.chars().next()) else {
            return a.len().cmp(&b.len());
        };
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let na = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
            let nb = b.find(|c: char| !c.is_ascii_digit()).unwrap_or(b.len());
            let (da, db) = (a[..na].trim_start_matches('0'), b[..nb].trim_start_matches('0'));
            let order = da
                .len()
                .cmp(&db.len())
                .then_with(|| da.cmp(db))
                .then_with(|| na.cmp(&nb));
            if order != Ordering::Equal {
                return order;
            }
            (a, b) = (&a[na..], &b[nb..]);
        } else {
            if ca != cb {
                return ca.cmp(&cb);
            }
            (a, b) = (&a[ca.len_utf8()..], &b[cb.len_utf8()..]);
        }
    }
}

/// A cell or item without the spaces around it; most have none, and are checked without
/// decoding them (every cell of every row of a data file is).
pub fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        (None, _) => text,
        _ => text.trim(),
    }
}

/// Splits a `;` list cell into its items, trimmed, empty items dropped.
pub fn split_list(cell: &str) -> Vec<String> {
    // Every attendee row has two lists: split on the one byte, into a vector of the right size.
    if cell.is_empty() {
        return Vec::new();
    }
    let bytes = cell.as_bytes();
    let mut items = Vec::with_capacity(memchr::memchr_iter(b';', bytes).count() + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b';', bytes).chain([bytes.len()]) {
        let item = trimmed(&cell[start..end]);
        if !item.is_empty() {
            items.push(item.to_string());
        }
        start = end + 1;
    }
    items
}

/// Splits a list on any of `separators` into its items, trimmed, empty items dropped: the one
/// list splitter behind `;` cells, `--team a,b;c` flags and form answers.
pub fn split_typed_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators)
        .map(trimmed)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `text` in lower case, borrowed when it already is (keys and emails nearly always are).
pub fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if is_ascii_lowercase(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_lowercase())
    }
}

/// Whether `text` is ASCII with no capital letter: its own lower case, without decoding it.
pub fn is_ascii_lowercase(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase())
}

/// Whether two keys (teams, features, days, ids) are the same, compared without case.
pub fn same_key(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Checks a single-line text field (a name, a title, a team, an email): no line break, tab or
/// other control character, which could forge a calendar line or act on a terminal.
pub fn validate_line(what: &str, text: &str) -> Result<(), String> {
    // Printable ASCII (nearly every cell) has no control character: no need to decode.
    if text.bytes().all(|b| matches!(b, b' '..=b'~')) {
        return Ok(());
    }
    match text
        .chars()
        .find(|&c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        None => Ok(()),
        Some(c) => Err(format!(
            "{what} must be one line of text without control characters (found {}; valid: letters, digits, \
             spaces, punctuation)",
            control_name(c)
        )),
    }
}

/// `U+000A (line feed)`, for messages about a character nobody can see.
fn control_name(c: char) -> String {
    let name = match c {
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\t' => " (tab)",
        '\u{1b}' => " (escape)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// The bytes of the usual key: ASCII letters and digits, `-`, `_` and `.` (a table, as every
/// handle and id of every participant row is checked).
const PLAIN_KEY_BYTE: [bool; 256] = {
    let mut plain = [false; 256];
    let mut b = 0;
    while b < 256 {
        plain[b] = (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'-' | b'_' | b'.');
        b += 1;
    }
    plain
};

/// Checks a key (handle, room id, session id, team, feature): no spaces, no `;` or `,`.
pub fn validate_key(what: &str, key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err(format!("{what} must not be empty"));
    }
    // The usual key, letters, digits, `-`, `_` and `.` after a letter or digit, is valid
    // without decoding it.
    if key.as_bytes()[0].is_ascii_alphanumeric() && key.bytes().all(|b| PLAIN_KEY_BYTE[usize::from(b)]) {
        return Ok(());
    }
    if let Some(c) = key
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, ';' | ',' | '"' | '\''))
    {
        return Err(format!(
            "{what} '{key}' must not contain {c:?} (use letters, digits, - or _)"
        ));
    }
    if key.starts_with(['=', '+', '-', '@']) {
        return Err(format!("{what} '{key}' must start with a letter or digit"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str) -> Session {
        Session::new(id.into(), "t".into(), Kind::Planned, String::new(), 60)
    }

    #[test]
    fn the_next_session_id_never_repeats_one_in_use() {
        let info = EventInfo {
            name: "e".into(),
            location: String::new(),
            timezone: Zone(chrono_tz::UTC),
            extra: Extra::new(),
        };
        let mut event = Event {
            info,
            days: vec![],
            slots: vec![],
            attendees: vec![],
            rooms: vec![],
            sessions: vec![session("S009"), session("S010")],
            participants: vec![],
        };
        assert_eq!(event.next_session_id(), "S011");
        event.sessions.push(session(&format!("S{}", u64::MAX)));
        event.sessions.push(session("S001"));
        assert_eq!(event.next_session_id(), "S002");
    }
}

#[cfg(test)]
mod grid_tests {
    use super::*;

    fn day(opens: &str, closes: &str) -> Day {
        let t = |s| Time::parse(s).unwrap();
        Day::new(
            "thu".into(),
            NaiveDate::from_ymd_opt(2026, 5, 21).unwrap(),
            t(opens),
            t(closes),
        )
    }

    fn starts(slots: &[Slot]) -> Vec<String> {
        slots.iter().map(|s| s.span().to_string()).collect()
    }

    #[test]
    fn the_default_grid_has_four_blocks_around_lunch() {
        assert_eq!(
            starts(&Grid::DEFAULT.slots(&day("09:00", "17:30"))),
            ["09:00-10:30", "11:00-12:30", "13:30-15:00", "15:30-17:00"]
        );
    }

    #[test]
    fn blocks_never_cross_lunch_or_closing() {
        let grid = Grid {
            block: 60,
            pause: 0,
            lunch: Some(Span::new(Time::at(12, 0), Time::at(13, 0))),
        };
        assert_eq!(
            starts(&grid.slots(&day("10:30", "15:30"))),
            ["10:30-11:30", "13:00-14:00", "14:00-15:00"]
        );
        assert!(Grid::DEFAULT.slots(&day("09:00", "10:00")).is_empty());
    }
}
