//! The hard rules a schedule must keep, in one place.
//!
//! 1. A room holds one session at a time, only within the day's opening hours.
//! 2. A required participant is never in two overlapping sessions, and is there for the whole
//!    session: on one of their days, after they arrive and before they leave.
//! 3. The room's capacity is at least the session's expected attendance: its required people
//!    plus the interested people (listed, or through its audience teams, or everyone for a
//!    plenary) who are at the event then, or its `size` when that is larger.
//! 4. The room has every feature the session needs.
//! 5. A plenary overlaps no other session.
//! 6. A session keeps its time constraints (its days, not before, not after) and never overlaps
//!    a session it is kept apart from.
//!
//! `book`, `adhoc`, `edit-session`, `join --required`, `edit-room` and `check` all ask
//! [`conflicts_at`]; the planner keeps faster bookkeeping of its own and is tested against it.

// FxHash: the index is rebuilt by every command over up to 100k rows, where SipHash showed
// up as a fifth of `check`'s time; keys are the organizers' own ids, not hostile input.
use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use serde::Serialize;

use super::{Attendee, Event, Participant, Placement, Room, Session, Span, Status, Tie, Time};

/// Why a person counts toward a session, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Drawn {
    Required,
    Interested,
    /// A member of one of its audience teams.
    Team,
    /// Everyone, at a plenary.
    Plenary,
}

impl Drawn {
    /// Strongest first, as numbered.
    const ALL: [Drawn; 4] = [Drawn::Required, Drawn::Interested, Drawn::Team, Drawn::Plenary];

    pub fn as_str(self) -> &'static str {
        match self {
            Drawn::Required => "required",
            Drawn::Interested => "interested",
            Drawn::Team => "team",
            Drawn::Plenary => "plenary",
        }
    }
}

/// Which hard rule a conflict breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Rule 1: outside the day's opening hours, or on a day the event does not have.
    OpeningHours,
    /// Rule 1: two sessions in one room at once, or a room that does not exist.
    RoomDoubleBooked,
    /// Rule 2: a required person in two overlapping sessions.
    PersonDoubleBooked,
    /// Rule 2: a required person not there for the whole session.
    PersonAbsent,
    /// Rule 3.
    OverCapacity,
    /// Rule 4.
    MissingFeature,
    /// Rule 5: a session at the same time as a plenary.
    PlenaryOverlap,
    /// Rule 6: outside the session's days, before its not-before or after its not-after time.
    TimeConstraint,
    /// Rule 6: two sessions kept apart that overlap.
    KeptApart,
}

impl Rule {
    /// Whether breaking this rule is about the time, whatever the room: no other room helps.
    pub fn holds_in_every_room(self) -> bool {
        matches!(
            self,
            Rule::OpeningHours
                | Rule::PersonAbsent
                | Rule::PersonDoubleBooked
                | Rule::PlenaryOverlap
                | Rule::TimeConstraint
                | Rule::KeptApart
        )
    }
}

/// One broken hard rule, about one session (and maybe another session or a person).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub rule: Rule,
    pub session: String,
    /// The other session involved, for double bookings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// What is in the way, in words, e.g. "alice is already required at S012 'Async
    /// closures' 10:30-12:00 in Room 4".
    pub message: String,
}

impl Conflict {
    /// Whether two conflicts are the same problem (same rule, session, other session and
    /// person), whatever their wording: a renamed session keeps its old problems.
    pub fn same_problem(&self, other: &Conflict) -> bool {
        (self.rule, &self.session, &self.other, &self.handle)
            == (other.rule, &other.session, &other.other, &other.handle)
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Lists per number in one flat Vec: number `n`'s items are `items[starts[n]..starts[n + 1]]`
/// (instead of a map of Vecs, each grown by doubling).
struct Grouped<T> {
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy> Grouped<T> {
    /// `(number, item)` pairs grouped by number, in their order within a number (a counting
    /// sort); numbers are below `numbers`.
    fn new(numbers: usize, pairs: &[(u32, T)]) -> Grouped<T> {
        let starts = starts_of(numbers, pairs.iter().map(|&(n, _)| n));
        let mut items = Vec::new();
        if let Some(&(_, filler)) = pairs.first() {
            items = vec![filler; pairs.len()];
            let mut next = starts.clone();
            for &(n, item) in pairs {
                items[next[n as usize] as usize] = item;
                next[n as usize] += 1;
            }
        }
        Grouped { starts, items }
    }

    fn get(&self, n: u32) -> &[T] {
        let n = n as usize;
        match (self.starts.get(n), self.starts.get(n + 1)) {
            (Some(&from), Some(&to)) => &self.items[from as usize..to as usize],
            _ => &[],
        }
    }
}

impl Grouped<u32> {
    /// The positions `0..numbers.len()` grouped by their number, in order within a number.
    fn positions(count: usize, numbers: &[u32]) -> Grouped<u32> {
        let starts = starts_of(count, numbers.iter().copied());
        let mut items = vec![0u32; numbers.len()];
        let mut next = starts.clone();
        for (i, &n) in numbers.iter().enumerate() {
            items[next[n as usize] as usize] = i as u32;
            next[n as usize] += 1;
        }
        Grouped { starts, items }
    }
}

/// Where each number's items start when items numbered `numbers` (all below `count`) are
/// grouped by number, and one past the last: a counting sort's first half.
fn starts_of(count: usize, numbers: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut starts = vec![0u32; count + 1];
    for n in numbers {
        starts[n as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    starts
}

/// What decides whether an attendee is there, besides their days (see `Index::day_bits`).
#[derive(Clone, Copy)]
struct Presence {
    declined: bool,
    /// Their first and last day in the event's order, as day numbers (`NO_DAY`: not a
    /// numbered day); arriving late and leaving early apply on those.
    first: u32,
    last: u32,
    arrives: Option<Time>,
    leaves: Option<Time>,
}

const NO_DAY: u32 = u32::MAX;

/// A day and time as the index asks about them: the day's number, or `None` for a day neither
/// the event nor any session has (compared as text, like [`present`]).
#[derive(Clone, Copy)]
struct Moment<'t> {
    day: &'t str,
    number: Option<u32>,
    span: Span,
}

/// Lookups that make checking every session cheap, built once per command.
///
/// Days, people, session ids, rooms and teams are numbered once, and what belongs to each is
/// kept in flat lists by number: with 10,000 people and 80,000 participant rows, maps of
/// lists keyed by text and comparing day names per person per session were most of `check`,
/// and in this program fresh memory costs as much as the work done in it.
pub struct Index<'a> {
    event: &'a Event,
    /// Day ids by number: the event's days in order (a repeated id once), then days only
    /// sessions are placed on.
    days: Vec<&'a str>,
    /// How many of `days` are the event's.
    event_days: u32,
    /// People by number: attendee records in order, then handles only participants.csv names.
    person_of: HashMap<&'a str, u32>,
    handles: Vec<&'a str>,
    /// Per person: the first person with the same handle (the attendee, for a repeated record).
    same_handle: Vec<u32>,
    /// Per person: one person whose handle is the same without case (`Alice`, `alice`).
    folded: Vec<u32>,
    /// Whether two different handles are the same without case (else `folded` is
    /// `same_handle`, and a session's listed people are all different people).
    case_variants: bool,
    /// Session ids by number (keys): the sessions' ids, then ids only participants.csv names.
    key_of: HashMap<&'a str, u32>,
    /// Per key: its session (with a repeated id, the first record, as in `Event::session`).
    session_at: Vec<Option<&'a Session>>,
    /// Per session record: its key.
    record_key: Vec<u32>,
    /// Participants per key, each person's first row only (a repeated row ties nobody twice),
    /// and the same rows' people by number.
    tie_rows: Grouped<&'a Participant>,
    tie_people: Vec<u32>,
    /// participants.csv rows that repeat an earlier row's session and handle, with that row.
    repeated_rows: Vec<(&'a Participant, &'a Participant)>,
    /// participants.csv rows that name no session or no attendee.
    stray_rows: Vec<&'a Participant>,
    /// Scheduled sessions each person is required at.
    required_at: Grouped<&'a Session>,
    /// Room ids by number: rooms.csv's (a repeated id once), then rooms only sessions name.
    room_of: HashMap<&'a str, u32>,
    rooms: Vec<&'a Room>,
    /// What the index knows without participants.csv.
    tables: Tables<'a>,
    /// Session records in id order (a repeated id in file order), made when first asked for.
    by_id: std::sync::OnceLock<Vec<u32>>,
}

/// Participant rows from which an event's analysis is shared with a second core (see
/// `crate::parallel`): below, handing work over costs more than it saves.
const LARGE: usize = 20_000;

/// Whether `event` is large enough for its analysis to be shared with a second core.
pub fn worth_two_cores(event: &Event) -> bool {
    event.participants.len() >= LARGE
}

/// The part of [`Index`] that does not depend on participants.csv (see `Index::new`).
struct Tables<'a> {
    /// 64-bit words per attendee in `day_bits`.
    day_words: usize,
    /// Per attendee record: a bit per numbered day they are there.
    day_bits: Vec<u64>,
    /// Per attendee record: the rest of what presence depends on.
    presence: Vec<Presence>,
    /// Scheduled sessions per (day, room), numbered `day * room numbers + room`.
    in_room: Grouped<&'a Session>,
    /// Scheduled sessions per day.
    on_day: Grouped<&'a Session>,
    /// Scheduled plenaries.
    plenaries: Vec<&'a Session>,
    /// Teams by their lower-case form (teams compare without case), and their members.
    team_of: HashMap<String, u32>,
    members: Grouped<u32>,
    /// Per session id (lower-cased): the sessions it is kept apart from, either way round.
    apart: HashMap<String, Vec<&'a Session>>,
}

impl<'a> Tables<'a> {
    fn new(event: &'a Event, days: &[&'a str], event_days: u32, room_of: &HashMap<&'a str, u32>) -> Tables<'a> {
        let records = event.attendees.len();
        let day_words = days.len().div_ceil(64).max(1);
        let mut day_bits = vec![0u64; records * day_words];
        let presence = event
            .attendees
            .iter()
            .zip(day_bits.chunks_exact_mut(day_words))
            .map(|(a, bits)| {
                // First and last as `Event::day_index` orders them: days the event does not have
                // come last; of equal ones the first is first and the last is last.
                let mut first: Option<(u32, Option<u32>)> = None;
                let mut last: Option<(u32, Option<u32>)> = None;
                for d in &a.days {
                    let number = day_in(days, d);
                    if let Some(n) = number {
                        bits[n as usize / 64] |= 1 << (n % 64);
                    }
                    let order = number.filter(|&n| n < event_days).unwrap_or(u32::MAX);
                    if first.is_none_or(|(o, _)| order < o) {
                        first = Some((order, number));
                    }
                    if last.is_none_or(|(o, _)| order >= o) {
                        last = Some((order, number));
                    }
                }
                Presence {
                    declined: a.status == Status::Declined,
                    first: first.and_then(|f| f.1).unwrap_or(NO_DAY),
                    last: last.and_then(|l| l.1).unwrap_or(NO_DAY),
                    arrives: a.arrives,
                    leaves: a.leaves,
                }
            })
            .collect();

        let room_numbers = room_of.len();
        let mut placed: Vec<(u32, &Session)> = Vec::with_capacity(event.sessions.len());
        let mut dated: Vec<(u32, &Session)> = Vec::with_capacity(event.sessions.len());
        let mut plenaries = Vec::new();
        for s in &event.sessions {
            if let Some(p) = s.placement() {
                let day = day_in(days, p.day).expect("placed days are numbered") as usize;
                let room = room_of[p.room] as usize;
                placed.push(((day * room_numbers + room) as u32, s));
                dated.push((day as u32, s));
                if s.is_plenary() {
                    plenaries.push(s);
                }
            }
        }
        let in_room = Grouped::new(days.len() * room_numbers, &placed);
        let on_day = Grouped::new(days.len(), &dated);
        drop((placed, dated));

        let mut team_of: HashMap<String, u32> = HashMap::default();
        let mut membership: Vec<(u32, u32)> = Vec::with_capacity(records * 2);
        for (r, a) in event.attendees.iter().enumerate() {
            for team in &a.teams {
                // Teams are nearly always written in lower case: no new key for those.
                let team = match team_of.get(team.as_str()) {
                    Some(&t) if !team.chars().any(char::is_uppercase) => t,
                    _ => {
                        let next = team_of.len() as u32;
                        *team_of.entry(team.to_lowercase()).or_insert(next)
                    }
                };
                membership.push((team, r as u32));
            }
        }
        let members = Grouped::new(team_of.len(), &membership);
        drop(membership);

        let mut apart: HashMap<String, Vec<&Session>> = HashMap::default();
        if event.sessions.iter().any(|s| !s.apart.is_empty()) {
            let by_lower: HashMap<String, &Session> = event.sessions.iter().map(|s| (s.id.to_lowercase(), s)).collect();
            for s in event.sessions.iter().filter(|s| !s.apart.is_empty()) {
                for id in &s.apart {
                    let id = id.to_lowercase();
                    if let Some(other) = by_lower.get(&id) {
                        apart.entry(id).or_default().push(s);
                        apart.entry(s.id.to_lowercase()).or_default().push(other);
                    }
                }
            }
        }
        Tables {
            day_words,
            day_bits,
            presence,
            in_room,
            on_day,
            plenaries,
            team_of,
            members,
            apart,
        }
    }
}

impl<'a> Index<'a> {
    pub fn new(event: &'a Event) -> Index<'a> {
        let mut days: Vec<&str> = Vec::with_capacity(event.days.len() + 1);
        for d in &event.days {
            if !days.contains(&d.id.as_str()) {
                days.push(&d.id);
            }
        }
        let event_days = days.len() as u32;

        // Sessions: with duplicate ids (a `check` problem) the first record is the session.
        let mut key_of: HashMap<&str, u32> = HashMap::default();
        key_of.reserve(event.sessions.len());
        let mut session_at: Vec<Option<&Session>> = Vec::with_capacity(event.sessions.len());
        let record_key: Vec<u32> = event
            .sessions
            .iter()
            .map(|s| {
                *key_of.entry(&s.id).or_insert_with(|| {
                    session_at.push(Some(s));
                    session_at.len() as u32 - 1
                })
            })
            .collect();
        let session_keys = session_at.len() as u32;

        let mut room_of: HashMap<&str, u32> = HashMap::default();
        room_of.reserve(event.rooms.len());
        let mut rooms = Vec::with_capacity(event.rooms.len());
        for r in &event.rooms {
            room_of.entry(&r.id).or_insert_with(|| {
                rooms.push(r);
                rooms.len() as u32 - 1
            });
        }
        for p in event.sessions.iter().filter_map(Session::placement) {
            if !days.contains(&p.day) {
                days.push(p.day);
            }
            let next = room_of.len() as u32;
            room_of.entry(p.room).or_insert(next);
        }

        // Presence, teams and where sessions are do not depend on participants.csv: in a large
        // event they are tabled on a second core while the participants are numbered (at All
        // Hands size, handing work to another core costs more than the whole of it).
        let tables_of = {
            let (days, room_of) = (days.clone(), room_of.clone());
            move || Tables::new(event, &days, event_days, &room_of)
        };
        // Everything else, then the index from it and the tables.
        let rest = move || {
            // People: a repeated handle (a `check` problem) is the first record's.
            let records = event.attendees.len();
            let mut person_of: HashMap<&str, u32> = HashMap::default();
            person_of.reserve(records);
            let mut handles: Vec<&str> = Vec::with_capacity(records);
            let mut same_handle: Vec<u32> = Vec::with_capacity(records);
            for (r, a) in event.attendees.iter().enumerate() {
                same_handle.push(*person_of.entry(&a.handle).or_insert(r as u32));
                handles.push(&a.handle);
            }

            // Participants: every row's key and person, then grouped by key.
            let rows = event.participants.len();
            let mut row_key: Vec<u32> = Vec::with_capacity(rows);
            let mut row_person: Vec<u32> = Vec::with_capacity(rows);
            let mut stray_rows = Vec::new();
            // participants.csv is usually grouped by session: look each one up once.
            let mut last: Option<(&str, u32)> = None;
            for p in &event.participants {
                let key = match last {
                    Some((id, key)) if id == p.session => key,
                    _ => {
                        let key = *key_of.entry(&p.session).or_insert_with(|| {
                            session_at.push(None);
                            session_at.len() as u32 - 1
                        });
                        last = Some((&p.session, key));
                        key
                    }
                };
                let person = *person_of.entry(&p.handle).or_insert_with(|| {
                    handles.push(&p.handle);
                    same_handle.push(handles.len() as u32 - 1);
                    handles.len() as u32 - 1
                });
                if key >= session_keys || person as usize >= records {
                    stray_rows.push(p);
                }
                row_key.push(key);
                row_person.push(person);
            }
            let keys = session_at.len();
            let people = handles.len();
            let mut by_key = Grouped::positions(keys, &row_key);
            drop(row_key);
            // Each person's first row per session counts; later ones are reported by `check`.
            let mut seen_in = vec![u32::MAX; people];
            let mut repeated_rows = Vec::new();
            let mut kept = 0;
            let mut tie_people: Vec<u32> = Vec::with_capacity(rows);
            for key in 0..keys {
                let (from, to) = (by_key.starts[key] as usize, by_key.starts[key + 1] as usize);
                by_key.starts[key] = kept as u32;
                for i in from..to {
                    let row = by_key.items[i];
                    let person = row_person[row as usize];
                    if seen_in[person as usize] == key as u32 {
                        let first = (by_key.starts[key] as usize..kept)
                            .find(|&j| tie_people[j] == person)
                            .map(|j| by_key.items[j]);
                        if let Some(first) = first {
                            repeated_rows
                                .push((&event.participants[row as usize], &event.participants[first as usize]));
                        }
                        continue;
                    }
                    seen_in[person as usize] = key as u32;
                    by_key.items[kept] = row;
                    tie_people.push(person);
                    kept += 1;
                }
            }
            by_key.starts[keys] = kept as u32;
            by_key.items.truncate(kept);
            let tie_rows = Grouped {
                starts: by_key.starts,
                items: by_key
                    .items
                    .iter()
                    .map(|&row| &event.participants[row as usize])
                    .collect(),
            };
            drop((row_person, by_key.items, seen_in));

            // Handles that differ only in case are one person when counting who a session draws.
            let mut folded: Vec<u32> = Vec::with_capacity(people);
            let mut other_forms: HashMap<String, u32> = HashMap::default();
            for (p, handle) in handles.iter().enumerate() {
                let plain = super::is_ascii_lowercase;
                let fold = if plain(handle) {
                    same_handle[p]
                } else {
                    let lower = handle.to_lowercase();
                    match person_of.get(lower.as_str()) {
                        Some(&q) if plain(&lower) => q,
                        _ => *other_forms.entry(lower).or_insert(p as u32),
                    }
                };
                folded.push(fold);
            }
            let case_variants = folded != same_handle;

            let mut required: Vec<(u32, &Session)> = Vec::new();
            for (s, &key) in event.sessions.iter().zip(&record_key) {
                // The first of a repeated id is the session; skip the others.
                let first = session_at[key as usize].is_some_and(|f| std::ptr::eq(f, s));
                if first && s.is_scheduled() {
                    for (p, &person) in tie_rows.get(key).iter().zip(tie_people_of(&tie_rows, &tie_people, key)) {
                        if p.tie == Tie::Required {
                            required.push((person, s));
                        }
                    }
                }
            }
            let required_at = Grouped::new(people, &required);
            drop(required);

            move |tables| Index {
                event,
                days,
                event_days,
                person_of,
                handles,
                same_handle,
                folded,
                case_variants,
                key_of,
                session_at,
                record_key,
                tie_rows,
                tie_people,
                repeated_rows,
                stray_rows,
                required_at,
                room_of,
                rooms,
                tables,
                by_id: std::sync::OnceLock::new(),
            }
        };
        let (index_with, tables) = crate::parallel::join_if(worth_two_cores(event), rest, tables_of);
        index_with(tables)
    }

    /// Session records in id order, a repeated id in file order.
    fn records_by_id(&self) -> &[u32] {
        self.by_id.get_or_init(|| {
            let sessions = &self.event.sessions;
            let mut order: Vec<u32> = (0..sessions.len() as u32).collect();
            order.sort_by(|&a, &b| sessions[a as usize].id.cmp(&sessions[b as usize].id));
            order
        })
    }

    /// Everyone a session draws, each once with the strongest reason: its required people
    /// (whether or not they can be there: they need a seat, and their absence is a rule of
    /// its own), then the interested, audience-team members and, at a plenary, everyone, who
    /// are there. `at` is the day and time to judge presence by; `None` (an unscheduled
    /// session) counts everyone who comes to the event at all. Unknown handles in the
    /// participant list (a `check` problem) are counted as listed.
    pub fn attendance(&self, session: &Session, at: Option<(&str, Span)>) -> Vec<(&'a str, Drawn)> {
        let mut drawn = Vec::new();
        self.draw(session, at.map(|(day, span)| self.moment(day, span)), &mut drawn);
        let mut named: Vec<(&'a str, Drawn)> = drawn
            .into_iter()
            .map(|(person, how)| (self.handles[person as usize], how))
            .collect();
        // By handle without case, strongest reason first.
        named.sort_by(|a, b| cmp_lowercase(a.0, b.0).then(a.1.cmp(&b.1)));
        named
    }

    /// [`Index::attendance`] by person number, in no particular order, into `drawn`.
    fn draw(&self, session: &Session, at: Option<Moment<'_>>, drawn: &mut Vec<(u32, Drawn)>) {
        drawn.clear();
        let here = |record: u32| match at {
            Some(at) => self.absent_at(record, at).is_none(),
            None => {
                !self.tables.presence[record as usize].declined
                    && !self.event.attendees[record as usize].days.is_empty()
            }
        };
        if let Some(key) = self.key(&session.id) {
            for (p, person) in self.ties(key) {
                let how = match p.tie {
                    Tie::Required => Drawn::Required,
                    Tie::Interested => Drawn::Interested,
                };
                if how == Drawn::Required || !self.is_attendee(person) || here(person) {
                    drawn.push((person, how));
                }
            }
        }
        if session.is_plenary() {
            drawn.reserve(self.tables.presence.len());
            drawn.extend(
                (0..self.tables.presence.len() as u32)
                    .filter(|&r| here(r))
                    .map(|r| (r, Drawn::Plenary)),
            );
        }
        for team in &session.audience {
            let members = self.team(team).map_or(&[][..], |t| self.tables.members.get(t));
            drawn.extend(members.iter().filter(|&&r| here(r)).map(|&r| (r, Drawn::Team)));
        }
        // Listed people are each listed once (the index keeps one row per handle), so only
        // teams, a plenary or handles that differ in case can draw someone twice.
        let repeats = self.case_variants || !session.audience.is_empty();
        if drawn.len() > 1 && repeats {
            // Strongest reason first, then one entry per person (handles compare without case).
            drawn.sort_by_key(|&(person, how)| (self.folded[person as usize], how));
            drawn.dedup_by(|later, first| self.same_person(later.0, first.0));
        }
    }

    /// Whether two people's handles are equal without (ASCII) case.
    fn same_person(&self, a: u32, b: u32) -> bool {
        let (a, b) = (a as usize, b as usize);
        self.same_handle[a] == self.same_handle[b]
            || (self.folded[a] == self.folded[b] && self.handles[a].eq_ignore_ascii_case(self.handles[b]))
    }

    /// The seats a session needs where it is (or, unscheduled, anywhere): everyone it draws,
    /// or its expected size when that is larger (an ad-hoc booking "for 8").
    pub fn headcount(&self, session: &Session) -> u32 {
        let at = session.placement().map(|p| (p.day, p.span));
        self.headcount_at(session, at)
    }

    /// The seats a session would need on `day` at `span`.
    pub fn headcount_at(&self, session: &Session, at: Option<(&str, Span)>) -> u32 {
        let mut drawn = Vec::new();
        self.draw(session, at.map(|(day, span)| self.moment(day, span)), &mut drawn);
        (drawn.len() as u32).max(session.size.unwrap_or(0))
    }

    /// Scheduled sessions a session is kept apart from (either one names the other).
    pub fn kept_apart(&self, session: &Session) -> &[&'a Session] {
        if self.tables.apart.is_empty() {
            return &[];
        }
        self.tables
            .apart
            .get(&session.id.to_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// The event the index was built from.
    pub fn event(&self) -> &'a Event {
        self.event
    }

    pub fn participants(&self, session: &str) -> &[&'a Participant] {
        self.key(session).map_or(&[], |key| self.tie_rows.get(key))
    }

    pub fn session(&self, id: &str) -> Option<&'a Session> {
        self.key(id).and_then(|key| self.session_at[key as usize])
    }

    pub fn attendee(&self, handle: &str) -> Option<&'a Attendee> {
        let person = *self.person_of.get(handle)?;
        self.event.attendees.get(person as usize)
    }

    /// Scheduled sessions in a room on a day.
    pub fn sessions_in(&self, day: &str, room: &str) -> &[&'a Session] {
        let (Some(day), Some(&room)) = (self.day_number(day), self.room_of.get(room)) else {
            return &[];
        };
        self.tables.in_room.get(day * self.room_of.len() as u32 + room)
    }

    /// Scheduled sessions a person is required at.
    pub fn required_at(&self, handle: &str) -> &[&'a Session] {
        self.person_of.get(handle).map_or(&[], |&p| self.required_at.get(p))
    }

    /// `S012 'Async closures' 10:30-12:00 in Room 4`.
    fn describe(&self, other: &Session) -> String {
        match other.placement() {
            Some(p) => format!(
                "{} {} on {} in {}",
                other.label(),
                p.span,
                p.day,
                self.event.room_name(p.room)
            ),
            None => other.label(),
        }
    }

    /// Attendee records whose handle an earlier record has, each with the first of them.
    pub(super) fn repeated_handles(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.tables.presence.len())
            .map(|r| (r, self.same_handle[r] as usize))
            .filter(|(r, first)| r != first)
    }

    /// Session records whose id an earlier record has, each with the first of them.
    pub(super) fn repeated_ids(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut first_of = vec![u32::MAX; self.session_at.len()];
        (0..self.record_key.len()).filter_map(move |r| {
            let first = &mut first_of[self.record_key[r] as usize];
            if *first == u32::MAX {
                *first = r as u32;
                None
            } else {
                Some((r, *first as usize))
            }
        })
    }

    /// participants.csv rows that repeat an earlier row's session and handle, with that row.
    pub(super) fn repeated_rows(&self) -> &[(&'a Participant, &'a Participant)] {
        &self.repeated_rows
    }

    /// participants.csv rows that name no session or no attendee, in file order.
    pub(super) fn stray_rows(&self) -> &[&'a Participant] {
        &self.stray_rows
    }

    /// Whether the event has a day with this id.
    pub(super) fn is_event_day(&self, day: &str) -> bool {
        day_in(&self.days[..self.event_days as usize], day).is_some()
    }

    /// Whether some attendee is in `team` (teams compare without case).
    pub(super) fn has_team(&self, team: &str) -> bool {
        self.team(team).is_some()
    }

    fn key(&self, session: &str) -> Option<u32> {
        self.key_of.get(session).copied()
    }

    /// A key's participant rows, each with its person's number.
    fn ties(&self, key: u32) -> impl Iterator<Item = (&'a Participant, u32)> + '_ {
        let people = tie_people_of(&self.tie_rows, &self.tie_people, key);
        self.tie_rows.get(key).iter().copied().zip(people.iter().copied())
    }

    /// Whether a person number is an attendee record (not a handle only participants.csv names).
    fn is_attendee(&self, person: u32) -> bool {
        (person as usize) < self.tables.presence.len()
    }

    fn room(&self, id: &str) -> Option<&'a Room> {
        self.rooms.get(*self.room_of.get(id)? as usize).copied()
    }

    fn team(&self, team: &str) -> Option<u32> {
        self.tables.team_of.get(super::lowercase(team).as_ref()).copied()
    }

    fn day_number(&self, day: &str) -> Option<u32> {
        day_in(&self.days, day)
    }

    fn moment<'t>(&self, day: &'t str, span: Span) -> Moment<'t> {
        Moment {
            day,
            number: self.day_number(day),
            span,
        }
    }

    /// [`why_absent`] for an attendee record, with days as numbers.
    fn absent_at(&self, record: u32, at: Moment<'_>) -> Option<Absent> {
        let presence = &self.tables.presence[record as usize];
        if presence.declined {
            return Some(Absent::Declined);
        }
        let Some(day) = at.number else {
            return why_absent(self.event, &self.event.attendees[record as usize], at.day, at.span);
        };
        let word = self.tables.day_bits[record as usize * self.tables.day_words + day as usize / 64];
        if word & (1 << (day % 64)) == 0 {
            return Some(Absent::NotThatDay);
        }
        if let Some(arrives) = presence.arrives
            && at.span.start < arrives
            && presence.first == day
        {
            return Some(Absent::ArrivesAfter(arrives));
        }
        if let Some(leaves) = presence.leaves
            && at.span.end > leaves
            && presence.last == day
        {
            return Some(Absent::LeavesBefore(leaves));
        }
        None
    }
}

/// The number of `day` in `days`: a few short ids, most told apart by their first letter
/// without calling `memcmp`.
fn day_in(days: &[&str], day: &str) -> Option<u32> {
    let (len, first) = (day.len(), day.as_bytes().first());
    days.iter()
        .position(|d| d.len() == len && d.as_bytes().first() == first && *d == day)
        .map(|n| n as u32)
}

/// The people of `key`'s participant rows (`tie_rows`' numbering, before the index exists).
fn tie_people_of<'t, T: Copy>(tie_rows: &Grouped<T>, tie_people: &'t [u32], key: u32) -> &'t [u32] {
    let key = key as usize;
    &tie_people[tie_rows.starts[key] as usize..tie_rows.starts[key + 1] as usize]
}

/// Every session a person is tied to, with how: listed (required or interested), through one
/// of their teams in its audience, or as a plenary; the strongest tie when several apply.
pub fn sessions_of<'a>(event: &'a Event, person: &Attendee) -> Vec<(&'a Session, Drawn)> {
    let mut found: Vec<(&Session, Drawn)> = Vec::new();
    for p in event
        .participants
        .iter()
        .filter(|p| p.handle.eq_ignore_ascii_case(&person.handle))
    {
        if let Some(s) = event.session(&p.session) {
            let how = match p.tie {
                Tie::Required => Drawn::Required,
                Tie::Interested => Drawn::Interested,
            };
            found.push((s, how));
        }
    }
    for s in &event.sessions {
        if s.is_plenary() {
            found.push((s, Drawn::Plenary));
        } else if person.teams.iter().any(|t| s.draws_team(t)) {
            found.push((s, Drawn::Team));
        }
    }
    found.sort_by(|a, b| (&a.0.id, a.1).cmp(&(&b.0.id, b.1)));
    found.dedup_by(|later, first| later.0.id == first.0.id);
    found
}

/// What is wrong with a person's arrival and departure times, if anything: each must fall
/// within the opening hours of their first or last day, and on a single day departure must
/// come after arrival. Worded after the fields (`arrives 08:00 is outside ...`).
pub fn presence_problem(event: &Event, person: &Attendee) -> Option<String> {
    let first = person.days.first().and_then(|d| event.day(d));
    let last = person.days.last().and_then(|d| event.day(d));
    if let (Some(t), Some(day)) = (person.arrives, first)
        && !(day.opens <= t && t < day.closes)
    {
        return Some(format!(
            "arrives {t} is outside {}'s opening hours {} (their first day)",
            day.id,
            day.hours()
        ));
    }
    if let (Some(t), Some(day)) = (person.leaves, last)
        && !(day.opens < t && t <= day.closes)
    {
        return Some(format!(
            "leaves {t} is outside {}'s opening hours {} (their last day)",
            day.id,
            day.hours()
        ));
    }
    if let (Some(a), Some(l)) = (person.arrives, person.leaves)
        && person.days.len() == 1
        && l <= a
    {
        return Some(format!("leaves {l} is not after --arrives {a} on their only day"));
    }
    None
}

/// `a` and `b` ordered as their lower-case forms, without building them when both are ASCII
/// (handles nearly always are).
fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (a, b) = (
            a.bytes().map(|c| c.to_ascii_lowercase()),
            b.bytes().map(|c| c.to_ascii_lowercase()),
        );
        return a.cmp(b);
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

/// Whether a person is at the event for the whole of `span` on `day`.
pub fn present(event: &Event, person: &Attendee, day: &str, span: Span) -> bool {
    why_absent(event, person, day, span).is_none()
}

/// Why a person cannot be at `span` on `day`, as a value (no text is built: `present` is asked
/// for every person of every session by `check` and the planner).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Absent {
    Declined,
    NotThatDay,
    ArrivesAfter(Time),
    LeavesBefore(Time),
}

fn why_absent(event: &Event, person: &Attendee, day: &str, span: Span) -> Option<Absent> {
    if person.status == Status::Declined {
        return Some(Absent::Declined);
    }
    if !person.days.iter().any(|d| d == day) {
        return Some(Absent::NotThatDay);
    }
    if let Some(arrives) = person.arrives
        && span.start < arrives
        && person
            .days
            .iter()
            .min_by_key(|d| event.day_index(d))
            .is_some_and(|d| d == day)
    {
        return Some(Absent::ArrivesAfter(arrives));
    }
    if let Some(leaves) = person.leaves
        && span.end > leaves
        && person
            .days
            .iter()
            .max_by_key(|d| event.day_index(d))
            .is_some_and(|d| d == day)
    {
        return Some(Absent::LeavesBefore(leaves));
    }
    None
}

/// Why a person cannot be at a session at `day`/`span`, or `None` when they can.
pub fn absence(event: &Event, person: &Attendee, day: &str, span: Span) -> Option<String> {
    let why = why_absent(event, person, day, span)?;
    Some(Absence { person, day, span, why }.to_string())
}

/// An absence in words, written only when shown.
struct Absence<'t> {
    person: &'t Attendee,
    day: &'t str,
    span: Span,
    why: Absent,
}

impl fmt::Display for Absence<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (who, day) = (&self.person.handle, self.day);
        match self.why {
            Absent::Declined => write!(f, "{who} has declined the event"),
            Absent::NotThatDay if self.person.days.is_empty() => {
                write!(f, "{who} is not at the event on {day} (their days: none)")
            }
            Absent::NotThatDay => write!(
                f,
                "{who} is not at the event on {day} (their days: {})",
                self.person.days.join(", ")
            ),
            Absent::ArrivesAfter(arrives) => write!(
                f,
                "{who} arrives at {arrives} on {day}, after the start at {}",
                self.span.start
            ),
            Absent::LeavesBefore(leaves) => write!(
                f,
                "{who} leaves at {leaves} on {day}, before the end at {}",
                self.span.end
            ),
        }
    }
}

/// Every hard rule `session` would break if it were at `at`, measured against all other
/// scheduled sessions. Unknown people in the participant list are an integrity problem for
/// `check`, not a conflict, and are skipped here.
pub fn conflicts_at(index: &Index<'_>, session: &Session, at: Placement<'_>) -> Vec<Conflict> {
    conflicts_with(index, session, at, &mut Vec::new())
}

/// [`conflicts_at`], with a list to count people in that `all_conflicts_in` keeps.
fn conflicts_with(
    index: &Index<'_>,
    session: &Session,
    at: Placement<'_>,
    drawn: &mut Vec<(u32, Drawn)>,
) -> Vec<Conflict> {
    let event = index.event;
    let mut found = Vec::new();
    let mut add = |rule, other: Option<&str>, handle: Option<&str>, message: String| {
        found.push(Conflict {
            rule,
            session: session.id.clone(),
            other: other.map(str::to_string),
            handle: handle.map(str::to_string),
            message,
        })
    };
    // Named only in a conflict's words: most sessions have none.
    let label = || session.label();

    // Rule 1: opening hours and the room's other sessions.
    match event.day(at.day) {
        None => add(
            Rule::OpeningHours,
            None,
            None,
            format!("{} is on unknown day '{}'", label(), at.day),
        ),
        Some(_) if at.span.start.plus(session.duration).is_none() => add(
            Rule::OpeningHours,
            None,
            None,
            format!(
                "{} starting {} for {} min runs past midnight",
                label(),
                at.span.start,
                session.duration
            ),
        ),
        Some(day) if let Some(gap) = missing_time(event.info.timezone.tz(), day.date, at.span) => add(
            Rule::OpeningHours,
            None,
            None,
            format!(
                "{} at {} on {}: {gap} does not exist in {} (the clocks skip it)",
                label(),
                at.span,
                day.date,
                event.info.timezone
            ),
        ),
        Some(day) if !day.hours().contains(at.span) => add(
            Rule::OpeningHours,
            None,
            None,
            format!(
                "{} at {} is outside {}'s opening hours {}",
                label(),
                at.span,
                day.id,
                day.hours()
            ),
        ),
        Some(_) => {}
    }
    let room = index.room(at.room);
    let room_name = room.map_or(at.room, |r| r.name.as_str());
    if room.is_none() {
        add(
            Rule::RoomDoubleBooked,
            None,
            None,
            format!("{} is in unknown room '{}'", label(), at.room),
        );
    }
    for other in index.sessions_in(at.day, at.room) {
        if other.id != session.id && other.placement().is_some_and(|p| p.span.overlaps(at.span)) {
            add(
                Rule::RoomDoubleBooked,
                Some(&other.id),
                None,
                format!("{room_name} is already taken by {}", index.describe(other)),
            );
        }
    }

    // Rule 2: required people free and present.
    let moment = index.moment(at.day, at.span);
    if let Some(key) = index.key(&session.id) {
        for (p, person) in index.ties(key) {
            if p.tie != Tie::Required || !index.is_attendee(person) {
                continue;
            }
            let attendee = &event.attendees[person as usize];
            if let Some(why) = index.absent_at(person, moment) {
                let why = Absence {
                    person: attendee,
                    day: at.day,
                    span: at.span,
                    why,
                };
                // Name the session: from `edit-attendee` this is the only clue which one it is.
                let message = format!("{why} (required at {}, {} {})", label(), at.day, at.span);
                add(Rule::PersonAbsent, None, Some(&attendee.handle), message);
            }
            for other in index.required_at.get(person) {
                let overlapping = other
                    .placement()
                    .is_some_and(|o| o.day == at.day && o.span.overlaps(at.span));
                if other.id != session.id && overlapping {
                    add(
                        Rule::PersonDoubleBooked,
                        Some(&other.id),
                        Some(&attendee.handle),
                        format!("{} is already required at {}", attendee.handle, index.describe(other)),
                    );
                }
            }
        }
    }

    // Rules 3 and 4: the room fits the people and has what the session needs.
    if let Some(room) = room {
        index.draw(session, Some(moment), drawn);
        let people = (drawn.len() as u32).max(session.size.unwrap_or(0));
        if people > room.capacity {
            let count = |how| drawn.iter().filter(|(_, d)| *d == how).count();
            let why = if people as usize > drawn.len() {
                format!("is expected to draw {people} people")
            } else {
                let mut parts = vec![
                    format!("{} required", count(Drawn::Required)),
                    format!("{} interested", count(Drawn::Interested)),
                ];
                if count(Drawn::Team) > 0 {
                    parts.push(format!("{} through its teams", count(Drawn::Team)));
                }
                if count(Drawn::Plenary) > 0 {
                    parts.push(format!("{} at the plenary", count(Drawn::Plenary)));
                }
                format!("draws {people} people ({})", parts.join(", "))
            };
            add(
                Rule::OverCapacity,
                None,
                None,
                format!("{} holds {}, but {} {why}", room.name, room.capacity, label()),
            );
        }
        if !room.has_features(&session.needs) {
            let missing = room.missing_features(&session.needs);
            add(
                Rule::MissingFeature,
                None,
                None,
                format!("{} has no {} (needed by {})", room.name, missing.join(", "), label()),
            );
        }
    }

    // Rule 5: nothing runs at the same time as a plenary.
    let overlapping = |other: &&&Session| {
        other.id != session.id
            && other
                .placement()
                .is_some_and(|o| o.day == at.day && o.span.overlaps(at.span))
    };
    if session.is_plenary() {
        let day_sessions = moment.number.map_or(&[][..], |day| index.tables.on_day.get(day));
        for other in day_sessions.iter().filter(&overlapping) {
            add(
                Rule::PlenaryOverlap,
                Some(&other.id),
                None,
                format!(
                    "{} is a plenary, but {} runs at the same time",
                    label(),
                    index.describe(other)
                ),
            );
        }
    } else {
        for plenary in index.tables.plenaries.iter().filter(&overlapping) {
            add(
                Rule::PlenaryOverlap,
                Some(&plenary.id),
                None,
                format!("{} would run during the plenary {}", label(), index.describe(plenary)),
            );
        }
    }

    // Rule 6: the session's own time constraints, and sessions it is kept apart from.
    if let Some(why) = session.time_constraint_broken(at.day, at.span) {
        add(
            Rule::TimeConstraint,
            None,
            None,
            format!("{why}, not {} {}", at.day, at.span),
        );
    }
    for other in index.kept_apart(session).iter().filter(&overlapping) {
        add(
            Rule::KeptApart,
            Some(&other.id),
            None,
            format!("{} is kept apart from {}", label(), index.describe(other)),
        );
    }
    found
}

/// Hard-rule conflicts of a scheduled session where it is now; none for an unscheduled one.
pub fn conflicts_of(index: &Index<'_>, session: &Session) -> Vec<Conflict> {
    session
        .placement()
        .map_or_else(Vec::new, |at| conflicts_at(index, session, at))
}

/// Every hard-rule conflict in the event, each double booking reported once.
pub fn all_conflicts(event: &Event) -> Vec<Conflict> {
    all_conflicts_in(&Index::new(event))
}

/// [`all_conflicts`] with an index already built.
pub fn all_conflicts_in(index: &Index<'_>) -> Vec<Conflict> {
    let mut all = Vec::new();
    let mut drawn = Vec::new();
    for session in &index.event.sessions {
        let Some(at) = session.placement() else { continue };
        for c in conflicts_with(index, session, at, &mut drawn) {
            // A double booking is seen from both sessions; keep the one from the smaller id.
            let mirrored = c.other.as_ref().is_some_and(|o| *o < session.id);
            if !mirrored {
                all.push(c);
            }
        }
    }
    all
}

/// Conflicts involving `sessions` in `after` that `before` did not have: what a change broke.
/// Problems already in the data are not the change's fault and do not block it.
pub fn new_conflicts(before: &Event, after: &Event, sessions: &[&str]) -> Vec<Conflict> {
    let (old_index, new_index) = (Index::new(before), Index::new(after));
    let mut old = Vec::new();
    let mut new = Vec::new();
    for id in sessions {
        if let Some(s) = old_index.session(id) {
            old.extend(conflicts_of(&old_index, s));
        }
        if let Some(s) = new_index.session(id) {
            new.extend(conflicts_of(&new_index, s));
        }
    }
    new.retain(|c| !old.iter().any(|o| o.same_problem(c)));
    new.dedup();
    new
}

/// A soft clash: one attendee tied to two sessions that overlap, and there for both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Clash {
    pub handle: String,
    pub first: String,
    pub second: String,
    /// How the person is tied to each: listed, or through a team or a plenary.
    pub first_tie: Drawn,
    pub second_tie: Drawn,
}

/// Every attendee clash: for each person, each pair of overlapping scheduled sessions they are
/// tied to (required, interested, through an audience team or a plenary) and there for.
pub fn clashes(event: &Event) -> Vec<Clash> {
    clashes_in(&Index::new(event))
}

/// [`clashes`] with an index already built.
pub fn clashes_in(index: &Index<'_>) -> Vec<Clash> {
    let mut found = Vec::new();
    overlapping_ties(index, Counting::ThoseThere, |person, first, second| {
        found.push(Clash {
            handle: index.handles[person as usize].to_string(),
            first: first.0.id.clone(),
            second: second.0.id.clone(),
            first_tie: first.1,
            second_tie: second.1,
        })
    });
    found.sort_by(|x, y| (&x.handle, &x.first, &x.second).cmp(&(&y.handle, &y.first, &y.second)));
    found
}

/// How many clashes there would be if everyone tied to a session came, whatever their days:
/// [`clashes_in`]'s count plus the pairs of people who are away at the time (who miss both
/// sessions anyway). The planner avoids these too, and the benchmark checker `check_plan.py`
/// counts them; declined people and people with no days at the event count in neither.
pub fn clashes_counting_away(index: &Index<'_>) -> usize {
    let mut count = 0;
    overlapping_ties(index, Counting::EveryoneTied, |_, _, _| count += 1);
    count
}

/// Whether [`overlapping_ties`] counts only people there at the time.
#[derive(Clone, Copy, PartialEq)]
enum Counting {
    ThoseThere,
    EveryoneTied,
}

/// Calls `found` for each person (by number) and each pair of overlapping scheduled sessions
/// they are drawn to, with how they are drawn to each: the first starts no later (at the same
/// time, the smaller id first).
fn overlapping_ties<'a>(
    index: &Index<'a>,
    counting: Counting,
    mut found: impl FnMut(u32, (&'a Session, Drawn), (&'a Session, Drawn)),
) {
    let event = index.event;
    // Sessions are numbered in id order, so that of two starting together the smaller id is
    // the first of a clash.
    let mut scheduled: Vec<(&Session, Placement<'_>)> = Vec::with_capacity(event.sessions.len());
    for &r in index.records_by_id() {
        let (s, key) = (&event.sessions[r as usize], index.record_key[r as usize]);
        // The first of a repeated id is the session.
        let first = index.session_at[key as usize].is_some_and(|f| std::ptr::eq(f, s));
        if let Some(at) = s.placement().filter(|_| first) {
            scheduled.push((s, at));
        }
    }
    // Per person (by handle), one (day, start, session, tie) packed in a u64 per session they
    // are drawn to, so that sorting a person's ties is sorting numbers. Days the event does
    // not have are all one day here, as before.
    let mut ties: Vec<(u32, u64)> = Vec::with_capacity(index.tie_people.len());
    let mut drawn = Vec::new();
    for (number, (s, at)) in scheduled.iter().enumerate() {
        let moment = index.moment(at.day, at.span);
        let day = moment.number.filter(|&n| n < index.event_days).unwrap_or(0xFFFF) as u64;
        let when = day << 48 | u64::from(at.span.start.minutes()) << 32 | (number as u64) << 2;
        match counting {
            Counting::ThoseThere => index.draw(s, Some(moment), &mut drawn),
            Counting::EveryoneTied => index.draw(s, None, &mut drawn),
        }
        for &(person, how) in &drawn {
            // A required person who cannot be there breaks a hard rule; it is not a clash too.
            let away = counting == Counting::ThoseThere
                && how == Drawn::Required
                && index.is_attendee(person)
                && index.absent_at(person, moment).is_some();
            if !away {
                ties.push((index.same_handle[person as usize], when | how as u64));
            }
        }
    }
    let ties = Grouped::new(index.handles.len(), &ties);
    let mut mine: Vec<u64> = Vec::new();
    for person in 0..index.handles.len() as u32 {
        mine.clear();
        mine.extend_from_slice(ties.get(person));
        if mine.len() < 2 {
            continue;
        }
        mine.sort_unstable();
        mine.dedup_by_key(|t| *t >> 2);
        for (i, &a) in mine.iter().enumerate() {
            let (day, session) = (a >> 48, (a >> 2) as usize & 0x3FFF_FFFF);
            let ends = scheduled[session].1.span.end.minutes() as u64;
            for &b in &mine[i + 1..] {
                if b >> 48 != day || (b >> 32 & 0xFFFF) >= ends {
                    break;
                }
                let other = (b >> 2) as usize & 0x3FFF_FFFF;
                found(
                    person,
                    (scheduled[session].0, Drawn::ALL[(a & 3) as usize]),
                    (scheduled[other].0, Drawn::ALL[(b & 3) as usize]),
                );
            }
        }
    }
}

/// [`clashes_in`] and [`away`] together: every session someone misses.
pub fn missed<'a>(index: &Index<'a>) -> (Vec<Clash>, Vec<Away<'a>>) {
    (clashes_in(index), away(index))
}

/// A person who wants a session (listed as interested, or in one of its audience teams) but
/// is not there at its time: a missed session, like a clash.
#[derive(Clone, Debug, PartialEq)]
pub struct Away<'a> {
    pub person: &'a Attendee,
    pub session: &'a Session,
    pub tie: Drawn,
    day: &'a str,
    span: Span,
    why: Absent,
    /// The person's number in the index (the first record with the handle).
    owner: u32,
}

impl<'a> Away<'a> {
    pub fn handle(&self) -> &'a str {
        &self.person.handle
    }

    /// Why, in words ("ferris is not at the event on sat (their days: thu, fri)"); `check`
    /// mostly counts these, so the words are written only when shown.
    pub fn reason(&self) -> impl fmt::Display + 'a {
        Absence {
            person: self.person,
            day: self.day,
            span: self.span,
            why: self.why,
        }
    }
}

/// Everyone who wants a scheduled session but is not there for it. People who declined the
/// event want nothing; plenaries are left out (nobody chose them, and everyone away that day
/// would be listed). Sorted by handle, then session.
pub fn away<'a>(index: &Index<'a>) -> Vec<Away<'a>> {
    let event = index.event;
    let mut found = Vec::new();
    let mut wanting: Vec<(u32, Drawn)> = Vec::new();
    // In id order, so that each person's sessions come out in order.
    for &r in index.records_by_id() {
        let (s, key) = (&event.sessions[r as usize], index.record_key[r as usize]);
        let Some(at) = s.placement() else { continue };
        wanting.clear();
        for (p, person) in index.ties(key) {
            if p.tie == Tie::Interested && index.is_attendee(person) {
                wanting.push((person, Drawn::Interested));
            }
        }
        for team in &s.audience {
            let members = index.team(team).map_or(&[][..], |t| index.tables.members.get(t));
            wanting.extend(members.iter().map(|&r| (r, Drawn::Team)));
        }
        // One entry per handle, the strongest (listed people are listed once).
        if !s.audience.is_empty() {
            wanting.sort_by_key(|&(person, how)| (index.same_handle[person as usize], how));
            wanting.dedup_by_key(|w| index.same_handle[w.0 as usize]);
        }
        let moment = index.moment(at.day, at.span);
        for &(person, tie) in &wanting {
            if index.tables.presence[person as usize].declined {
                continue;
            }
            if let Some(why) = index.absent_at(person, moment) {
                found.push(Away {
                    person: &event.attendees[person as usize],
                    session: s,
                    tie,
                    day: at.day,
                    span: at.span,
                    why,
                    owner: index.same_handle[person as usize],
                });
            }
        }
    }
    // By handle: rank the people found by handle once, rather than compare text per entry.
    let mut owners: Vec<u32> = found.iter().map(|a| a.owner).collect();
    owners.sort_unstable();
    owners.dedup();
    owners.sort_unstable_by_key(|&p| index.handles[p as usize]);
    let mut rank = vec![0u32; index.handles.len()];
    for (i, &p) in owners.iter().enumerate() {
        rank[p as usize] = i as u32;
    }
    // Stable, and moving each entry once: entries are in session order per person already.
    found.sort_by_cached_key(|a| rank[a.owner as usize]);
    found
}

/// Scheduled sessions whose soft preference (morning, afternoon, a day) is not met.
pub fn preferences_unmet(event: &Event) -> Vec<&Session> {
    event
        .sessions
        .iter()
        .filter(|s| {
            let (Some(prefer), Some(at)) = (&s.prefer, s.placement()) else {
                return false;
            };
            !prefer.met(at.day, at.span)
        })
        .collect()
}

/// The start or end of `span` on `date` when it is a local time that never happens in `zone`
/// (the hour skipped when clocks go forward), else `None`.
pub fn missing_time(zone: chrono_tz::Tz, date: chrono::NaiveDate, span: Span) -> Option<Time> {
    use chrono::TimeZone;
    [span.start, span.end].into_iter().find(|t| {
        let local = date.and_time(chrono::NaiveTime::MIN) + chrono::Duration::minutes(t.minutes().into());
        zone.from_local_datetime(&local).earliest().is_none()
    })
}

/// Why `session` could never take place with `required` people there, or `None` when it
/// could: on no day it may be on is there a stretch of its length within opening hours, its
/// not-before and not-after times, and the time every required person is at the event.
/// Rooms and other sessions are not asked; this is about the session's own wishes.
pub fn never_possible(event: &Event, session: &Session, required: &[&Attendee]) -> Option<String> {
    let mut why = Vec::new();
    for day in &event.days {
        if !session.days.is_empty() && !session.days.iter().any(|d| super::same_key(d, &day.id)) {
            continue;
        }
        let mut start = session.not_before.map_or(day.opens, |t| t.max(day.opens));
        let mut end = session.not_after.map_or(day.closes, |t| t.min(day.closes));
        let mut away = None;
        for person in required {
            let first = person.days.iter().min_by_key(|d| event.day_index(d));
            let last = person.days.iter().max_by_key(|d| event.day_index(d));
            if person.status == Status::Declined || !person.days.contains(&day.id) {
                away = Some(format!("{} is not there", person.handle));
                break;
            }
            if let Some(arrives) = person.arrives.filter(|_| first.is_some_and(|d| *d == day.id)) {
                start = start.max(arrives);
            }
            if let Some(leaves) = person.leaves.filter(|_| last.is_some_and(|d| *d == day.id)) {
                end = end.min(leaves);
            }
        }
        match away {
            Some(reason) => why.push(format!("{}: {reason}", day.id)),
            None if end.minutes() >= start.minutes() + session.duration => return None,
            None if end <= start => why.push(format!("{}: no time left", day.id)),
            None => why.push(format!("{}: only {} free", day.id, Span::new(start, end))),
        }
    }
    if why.is_empty() {
        why.push(format!(
            "none of its days ({}) is a day of the event",
            session.days.join(", ")
        ));
    }
    Some(format!(
        "{} ({} min) could never take place ({})",
        session.label(),
        session.duration,
        why.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Day, EventInfo, Extra, Kind, Role, Zone};

    fn t(text: &str) -> Time {
        Time::parse(text).unwrap()
    }

    fn span(from: &str, to: &str) -> Span {
        Span::new(t(from), t(to))
    }

    fn person(handle: &str, days: &str, teams: &str, arrives: Option<&str>, leaves: Option<&str>) -> Attendee {
        let mut a = Attendee::new(handle.into(), handle.into(), Role::Member, Status::Confirmed);
        a.days = super::super::split_list(days);
        a.teams = super::super::split_list(teams);
        a.arrives = arrives.map(t);
        a.leaves = leaves.map(t);
        a
    }

    fn session(id: &str, at: Option<(&str, &str, &str)>, minutes: u32, audience: &str) -> Session {
        let mut s = Session::new(id.into(), format!("about {id}"), Kind::Planned, String::new(), minutes);
        if let Some((day, start, room)) = at {
            (s.day, s.start, s.room) = (Some(day.into()), Some(t(start)), Some(room.into()));
        }
        s.audience = super::super::split_list(audience);
        s
    }

    /// An event with what numbering must get right: repeated records and rows, unknown
    /// handles, sessions and days, handles and teams that differ in case (ASCII and not),
    /// people away on a day, arriving late and leaving early.
    fn tricky() -> Event {
        let info = EventInfo {
            name: "e".into(),
            location: String::new(),
            timezone: Zone(chrono_tz::UTC),
            extra: Extra::new(),
        };
        let date = |d| chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
        let days = ["thu", "fri", "sat"]
            .iter()
            .zip(21..)
            .map(|(id, d)| Day::new(id.to_string(), date(d), t("09:00"), t("17:00")))
            .collect();
        let mut event = Event::new(info, days, Vec::new());
        let mut declined = person("dave", "thu", "infra", None, None);
        declined.status = Status::Declined;
        event.attendees = vec![
            person("alice", "thu;fri", "infra", None, None),
            person("Bob", "fri", "Infra", Some("11:00"), None),
            person("bob", "thu;fri;sat", "lang", None, Some("12:00")),
            person("carol", "sat;thu", "lang;INFRA", Some("10:00"), Some("15:00")),
            declined,
            person("erin", "", "infra", None, None),
            person("frank", "thu;xyz", "", None, Some("12:00")),
            person("alice", "sat", "infra", None, None),
            person("Ädam", "thu;fri;sat", "infra", None, None),
            person("ädam", "thu", "infra", None, None),
        ];
        event.rooms = vec![
            Room::new("r1".into(), "Room 1".into(), 2, Vec::new()),
            Room::new("r2".into(), "Room 2".into(), 50, Vec::new()),
        ];
        event.sessions = vec![
            session("S1", Some(("thu", "10:00", "r1")), 60, ""),
            session("S2", Some(("fri", "10:30", "r1")), 90, "INFRA"),
            session("S3", Some(("sat", "11:00", "r2")), 120, "everyone"),
            session("S4", None, 60, "lang"),
            session("S5", Some(("xyz", "10:00", "r1")), 60, ""),
            session("S1", Some(("fri", "10:00", "r2")), 60, ""),
            session("S6", Some(("thu", "10:30", "r2")), 60, "lang"),
        ];
        let tie = |s: &str, h: &str, tie| Participant::new(s, h, tie);
        event.participants = vec![
            tie("S1", "alice", Tie::Required),
            tie("S1", "bob", Tie::Interested),
            tie("S1", "ghost", Tie::Interested),
            tie("S2", "carol", Tie::Interested),
            tie("S1", "alice", Tie::Interested),
            tie("S1", "Bob", Tie::Interested),
            tie("S9", "alice", Tie::Interested),
            tie("S5", "frank", Tie::Required),
            tie("S4", "erin", Tie::Required),
            tie("S6", "Ädam", Tie::Interested),
            tie("S6", "ädam", Tie::Interested),
            tie("S6", "frank", Tie::Interested),
        ];
        event
    }

    /// Who a session draws as worked out from the records' text, as the index did before it
    /// numbered anything: the reference the numbered index must agree with.
    fn drawn_by_text<'a>(event: &'a Event, session: &Session, at: Option<(&str, Span)>) -> Vec<(&'a str, Drawn)> {
        let here = |person: &Attendee| match at {
            Some((day, span)) => present(event, person, day, span),
            None => person.status != Status::Declined && !person.days.is_empty(),
        };
        let mut listed: Vec<&Participant> = Vec::new();
        for p in event.participants.iter().filter(|p| p.session == session.id) {
            if !listed.iter().any(|l| l.handle == p.handle) {
                listed.push(p);
            }
        }
        let mut drawn = Vec::new();
        for p in listed {
            let how = if p.tie == Tie::Required {
                Drawn::Required
            } else {
                Drawn::Interested
            };
            if how == Drawn::Required || event.attendee(&p.handle).is_none_or(here) {
                drawn.push((p.handle.as_str(), how));
            }
        }
        if session.is_plenary() {
            drawn.extend(
                event
                    .attendees
                    .iter()
                    .filter(|a| here(a))
                    .map(|a| (a.handle.as_str(), Drawn::Plenary)),
            );
        }
        for team in &session.audience {
            let members = event
                .attendees
                .iter()
                .filter(|a| a.teams.iter().any(|m| m.to_lowercase() == team.to_lowercase()));
            drawn.extend(members.filter(|a| here(a)).map(|a| (a.handle.as_str(), Drawn::Team)));
        }
        drawn.sort_by(|a, b| a.0.to_lowercase().cmp(&b.0.to_lowercase()).then(a.1.cmp(&b.1)));
        drawn.dedup_by(|later, first| later.0.eq_ignore_ascii_case(first.0));
        drawn
    }

    fn moments() -> Vec<Option<(&'static str, Span)>> {
        let mut all = vec![None];
        for day in ["thu", "fri", "sat", "xyz", "mon"] {
            for (from, to) in [
                ("09:00", "10:00"),
                ("10:30", "12:00"),
                ("11:30", "16:00"),
                ("14:00", "17:00"),
            ] {
                all.push(Some((day, span(from, to))));
            }
        }
        all
    }

    #[test]
    fn who_a_session_draws_is_as_worked_out_from_text() {
        let event = tricky();
        let index = Index::new(&event);
        for s in &event.sessions {
            for at in moments() {
                assert_eq!(
                    index.attendance(s, at),
                    drawn_by_text(&event, s, at),
                    "{} at {at:?}",
                    s.id
                );
                let size = drawn_by_text(&event, s, at).len() as u32;
                assert_eq!(index.headcount_at(s, at), size, "{} at {at:?}", s.id);
            }
        }
    }

    #[test]
    fn handles_that_differ_in_ascii_case_are_one_person() {
        let event = tricky();
        let index = Index::new(&event);
        let drawn = index.attendance(&event.sessions[0], Some(("thu", span("10:00", "11:00"))));
        // `Bob` is not there on thu but `bob` is; one of them counts, by the first row.
        assert_eq!(
            drawn,
            [
                ("alice", Drawn::Required),
                ("bob", Drawn::Interested),
                ("ghost", Drawn::Interested)
            ]
        );
        // `Ädam` and `ädam` differ beyond ASCII case: two people.
        let drawn = index.attendance(&event.sessions[6], Some(("thu", span("10:30", "11:30"))));
        let handles: Vec<&str> = drawn.iter().map(|d| d.0).collect();
        assert_eq!(handles, ["bob", "carol", "frank", "Ädam", "ädam"]);
    }

    #[test]
    fn presence_by_day_number_is_presence_by_text() {
        let event = tricky();
        let index = Index::new(&event);
        for (record, person) in event.attendees.iter().enumerate() {
            for (day, span) in moments().into_iter().flatten() {
                assert_eq!(
                    index.absent_at(record as u32, index.moment(day, span)),
                    why_absent(&event, person, day, span),
                    "{} on {day} {span}",
                    person.handle
                );
            }
        }
        let bob = &event.attendees[2];
        assert_eq!(
            absence(&event, bob, "sat", span("11:00", "13:00")).as_deref(),
            Some("bob leaves at 12:00 on sat, before the end at 13:00")
        );
        // frank's last day is one the event does not have: leaving early is not on thu.
        assert!(present(&event, &event.attendees[6], "thu", span("11:00", "13:00")));
    }

    #[test]
    fn repeated_records_and_rows_count_once_and_are_kept_for_check() {
        let event = tricky();
        let index = Index::new(&event);
        let lines = |rows: &[&Participant]| {
            rows.iter()
                .map(|p| format!("{} {}", p.session, p.handle))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            lines(index.participants("S1")),
            ["S1 alice", "S1 bob", "S1 ghost", "S1 Bob"]
        );
        assert_eq!(index.participants("S1")[0].tie, Tie::Required);
        let repeated: Vec<(&Participant, &Participant)> = index.repeated_rows().to_vec();
        assert_eq!(repeated.len(), 1);
        assert!(std::ptr::eq(repeated[0].0, &event.participants[4]));
        assert!(std::ptr::eq(repeated[0].1, &event.participants[0]));
        assert_eq!(lines(index.stray_rows()), ["S1 ghost", "S9 alice"]);
        // The first record of a repeated handle or id is the attendee or session.
        assert!(std::ptr::eq(index.attendee("alice").unwrap(), &event.attendees[0]));
        assert!(std::ptr::eq(index.session("S1").unwrap(), &event.sessions[0]));
        assert_eq!(index.repeated_handles().collect::<Vec<_>>(), [(7, 0)]);
        assert_eq!(index.repeated_ids().map(|(r, _)| r).collect::<Vec<_>>(), [5]);
        // Only the first S1 is scheduled for alice, and teams compare without case.
        assert_eq!(index.required_at("alice").len(), 1);
        assert!(index.has_team("INFRA") && index.has_team("Lang") && !index.has_team("ops"));
        assert_eq!(index.sessions_in("thu", "r1").len(), 1);
        assert_eq!(index.sessions_in("xyz", "r1").len(), 1);
        assert!(index.sessions_in("mon", "r1").is_empty());
    }

    #[test]
    fn away_lists_who_wants_a_session_and_is_not_there() {
        let event = tricky();
        let index = Index::new(&event);
        let away: Vec<String> = away(&index)
            .iter()
            .map(|a| format!("{} {} {}: {}", a.handle(), a.session.id, a.tie.as_str(), a.reason()))
            .collect();
        assert_eq!(
            away,
            [
                // Both records of S1 (the second on fri), then S2, where the team draws him too.
                "Bob S1 interested: Bob is not at the event on thu (their days: fri)",
                "Bob S1 interested: Bob arrives at 11:00 on fri, after the start at 10:00",
                "Bob S2 team: Bob arrives at 11:00 on fri, after the start at 10:30",
                // Listed and in the team: once, as listed. The first alice record is there.
                "carol S2 interested: carol is not at the event on fri (their days: sat, thu)",
                "erin S2 team: erin is not at the event on fri (their days: none)",
                "ädam S2 team: ädam is not at the event on fri (their days: thu)",
            ]
            .map(String::from)
        );
    }
}
