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

/// Lookups that make checking every session cheap, built once per command.
pub struct Index<'a> {
    event: &'a Event,
    participants: HashMap<&'a str, Vec<&'a Participant>>,
    /// Scheduled sessions each person is required at.
    required_at: HashMap<&'a str, Vec<&'a Session>>,
    /// Scheduled sessions per (day, room).
    in_room: HashMap<&'a str, HashMap<&'a str, Vec<&'a Session>>>,
    attendees: HashMap<&'a str, &'a Attendee>,
    sessions: HashMap<&'a str, &'a Session>,
    rooms: HashMap<&'a str, &'a Room>,
    /// Members per team, the team lower-cased (teams compare without case).
    members: HashMap<String, Vec<&'a Attendee>>,
    /// Scheduled plenaries.
    plenaries: Vec<&'a Session>,
    /// Scheduled sessions per day.
    on_day: HashMap<&'a str, Vec<&'a Session>>,
    /// Per session id (lower-cased): the sessions it is kept apart from, either way round.
    apart: HashMap<String, Vec<&'a Session>>,
}

impl<'a> Index<'a> {
    pub fn new(event: &'a Event) -> Index<'a> {
        // With duplicate keys (a `check` problem) the first record wins, as in `Event::session`.
        let mut sessions: HashMap<&str, &Session> = HashMap::default();
        for s in &event.sessions {
            sessions.entry(s.id.as_str()).or_insert(s);
        }
        let mut participants: HashMap<&str, Vec<&Participant>> = HashMap::default();
        for p in &event.participants {
            participants.entry(p.session.as_str()).or_default().push(p);
        }
        // A repeated row (a `check` problem) ties nobody twice: the first one counts.
        for list in participants.values_mut() {
            if list.len() > 1 {
                let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
                seen.reserve(list.len());
                list.retain(|p| seen.insert(p.handle.as_str()));
            }
        }
        let mut required_at: HashMap<&str, Vec<&Session>> = HashMap::default();
        for s in event.sessions.iter().filter(|s| s.is_scheduled()) {
            // The first of a repeated id is the session (see above); skip the others.
            let first = sessions.get(s.id.as_str()).is_some_and(|f| std::ptr::eq(*f, s));
            for p in participants.get(s.id.as_str()).filter(|_| first).into_iter().flatten() {
                if p.tie == Tie::Required {
                    required_at.entry(p.handle.as_str()).or_default().push(s);
                }
            }
        }
        let mut in_room: HashMap<&str, HashMap<&str, Vec<&Session>>> = HashMap::default();
        for s in &event.sessions {
            if let Some(p) = s.placement() {
                in_room.entry(p.day).or_default().entry(p.room).or_default().push(s);
            }
        }
        let mut attendees = HashMap::default();
        for a in &event.attendees {
            attendees.entry(a.handle.as_str()).or_insert(a);
        }
        let mut rooms = HashMap::default();
        for r in &event.rooms {
            rooms.entry(r.id.as_str()).or_insert(r);
        }
        let mut members: HashMap<String, Vec<&Attendee>> = HashMap::default();
        for a in &event.attendees {
            for team in &a.teams {
                // Teams are nearly always written in lower case: no new key for those.
                match members.get_mut(team.as_str()) {
                    Some(list) if !team.chars().any(char::is_uppercase) => list.push(a),
                    _ => members.entry(team.to_lowercase()).or_default().push(a),
                }
            }
        }
        let mut on_day: HashMap<&str, Vec<&Session>> = HashMap::default();
        let mut plenaries = Vec::new();
        for s in &event.sessions {
            if let Some(p) = s.placement() {
                on_day.entry(p.day).or_default().push(s);
                if s.is_plenary() {
                    plenaries.push(s);
                }
            }
        }
        let mut apart: HashMap<String, Vec<&Session>> = HashMap::default();
        let any_apart = event.sessions.iter().any(|s| !s.apart.is_empty());
        let by_lower: HashMap<String, &Session> = event
            .sessions
            .iter()
            .filter(|_| any_apart)
            .map(|s| (s.id.to_lowercase(), s))
            .collect();
        for s in event.sessions.iter().filter(|s| !s.apart.is_empty()) {
            for id in &s.apart {
                let id = id.to_lowercase();
                if let Some(other) = by_lower.get(&id) {
                    apart.entry(id).or_default().push(s);
                    apart.entry(s.id.to_lowercase()).or_default().push(other);
                }
            }
        }
        Index {
            event,
            participants,
            required_at,
            in_room,
            attendees,
            sessions,
            rooms,
            members,
            plenaries,
            on_day,
            apart,
        }
    }

    /// Everyone a session draws, each once with the strongest reason: its required people
    /// (whether or not they can be there: they need a seat, and their absence is a rule of
    /// its own), then the interested, audience-team members and, at a plenary, everyone, who
    /// are there. `at` is the day and time to judge presence by; `None` (an unscheduled
    /// session) counts everyone who comes to the event at all. Unknown handles in the
    /// participant list (a `check` problem) are counted as listed.
    pub fn attendance(&self, session: &Session, at: Option<(&str, Span)>) -> Vec<(&'a str, Drawn)> {
        let here = |person: &Attendee| match at {
            Some((day, span)) => present(self.event, person, day, span),
            None => person.status != Status::Declined && !person.days.is_empty(),
        };
        let mut drawn: Vec<(&'a str, Drawn)> = Vec::new();
        for p in self.participants(&session.id) {
            let how = match p.tie {
                Tie::Required => Drawn::Required,
                Tie::Interested => Drawn::Interested,
            };
            let counts = how == Drawn::Required || self.attendee(&p.handle).is_none_or(here);
            if counts {
                drawn.push((p.handle.as_str(), how));
            }
        }
        if session.is_plenary() {
            drawn.extend(
                self.event
                    .attendees
                    .iter()
                    .filter(|a| here(a))
                    .map(|a| (a.handle.as_str(), Drawn::Plenary)),
            );
        }
        for team in &session.audience {
            let members = self.members.get(&team.to_lowercase()).map_or(&[][..], Vec::as_slice);
            drawn.extend(
                members
                    .iter()
                    .filter(|a| here(a))
                    .map(|a| (a.handle.as_str(), Drawn::Team)),
            );
        }
        if drawn.len() > 1 {
            // Strongest reason first, then one entry per person (handles compare without case).
            drawn.sort_by(|a, b| cmp_lowercase(a.0, b.0).then(a.1.cmp(&b.1)));
            drawn.dedup_by(|later, first| later.0.eq_ignore_ascii_case(first.0));
        }
        drawn
    }

    /// The seats a session needs where it is (or, unscheduled, anywhere): everyone it draws,
    /// or its expected size when that is larger (an ad-hoc booking "for 8").
    pub fn headcount(&self, session: &Session) -> u32 {
        let at = session.placement().map(|p| (p.day, p.span));
        self.headcount_at(session, at)
    }

    /// The seats a session would need on `day` at `span`.
    pub fn headcount_at(&self, session: &Session, at: Option<(&str, Span)>) -> u32 {
        (self.attendance(session, at).len() as u32).max(session.size.unwrap_or(0))
    }

    /// Scheduled sessions a session is kept apart from (either one names the other).
    pub fn kept_apart(&self, session: &Session) -> &[&'a Session] {
        self.apart.get(&session.id.to_lowercase()).map_or(&[], Vec::as_slice)
    }

    /// The event the index was built from.
    pub fn event(&self) -> &'a Event {
        self.event
    }

    pub fn participants(&self, session: &str) -> &[&'a Participant] {
        self.participants.get(session).map_or(&[], Vec::as_slice)
    }

    pub fn session(&self, id: &str) -> Option<&'a Session> {
        self.sessions.get(id).copied()
    }

    pub fn attendee(&self, handle: &str) -> Option<&'a Attendee> {
        self.attendees.get(handle).copied()
    }

    /// Scheduled sessions in a room on a day.
    pub fn sessions_in(&self, day: &str, room: &str) -> &[&'a Session] {
        self.in_room
            .get(day)
            .and_then(|rooms| rooms.get(room))
            .map_or(&[], Vec::as_slice)
    }

    /// Scheduled sessions a person is required at.
    pub fn required_at(&self, handle: &str) -> &[&'a Session] {
        self.required_at.get(handle).map_or(&[], Vec::as_slice)
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
    let who = &person.handle;
    Some(match why_absent(event, person, day, span)? {
        Absent::Declined => format!("{who} has declined the event"),
        Absent::NotThatDay => {
            let days = if person.days.is_empty() {
                "none".to_string()
            } else {
                person.days.join(", ")
            };
            format!("{who} is not at the event on {day} (their days: {days})")
        }
        Absent::ArrivesAfter(arrives) => {
            format!("{who} arrives at {arrives} on {day}, after the start at {}", span.start)
        }
        Absent::LeavesBefore(leaves) => format!("{who} leaves at {leaves} on {day}, before the end at {}", span.end),
    })
}

/// Every hard rule `session` would break if it were at `at`, measured against all other
/// scheduled sessions. Unknown people in the participant list are an integrity problem for
/// `check`, not a conflict, and are skipped here.
pub fn conflicts_at(index: &Index<'_>, session: &Session, at: Placement<'_>) -> Vec<Conflict> {
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
    let label = session.label();

    // Rule 1: opening hours and the room's other sessions.
    match event.day(at.day) {
        None => add(
            Rule::OpeningHours,
            None,
            None,
            format!("{label} is on unknown day '{}'", at.day),
        ),
        Some(_) if at.span.start.plus(session.duration).is_none() => add(
            Rule::OpeningHours,
            None,
            None,
            format!(
                "{label} starting {} for {} min runs past midnight",
                at.span.start, session.duration
            ),
        ),
        Some(day) if let Some(gap) = missing_time(event.info.timezone.tz(), day.date, at.span) => add(
            Rule::OpeningHours,
            None,
            None,
            format!(
                "{label} at {} on {}: {gap} does not exist in {} (the clocks skip it)",
                at.span, day.date, event.info.timezone
            ),
        ),
        Some(day) if !day.hours().contains(at.span) => add(
            Rule::OpeningHours,
            None,
            None,
            format!(
                "{label} at {} is outside {}'s opening hours {}",
                at.span,
                day.id,
                day.hours()
            ),
        ),
        Some(_) => {}
    }
    let room = index.rooms.get(at.room).copied();
    let room_name = room.map_or(at.room, |r| r.name.as_str());
    if room.is_none() {
        add(
            Rule::RoomDoubleBooked,
            None,
            None,
            format!("{label} is in unknown room '{}'", at.room),
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
    for p in index
        .participants(&session.id)
        .iter()
        .filter(|p| p.tie == Tie::Required)
    {
        let Some(person) = index.attendee(&p.handle) else {
            continue;
        };
        if let Some(why) = absence(event, person, at.day, at.span) {
            // Name the session: from `edit-attendee` this is the only clue which one it is.
            let message = format!("{why} (required at {label}, {} {})", at.day, at.span);
            add(Rule::PersonAbsent, None, Some(&person.handle), message);
        }
        for other in index.required_at(&person.handle) {
            let overlapping = other
                .placement()
                .is_some_and(|o| o.day == at.day && o.span.overlaps(at.span));
            if other.id != session.id && overlapping {
                add(
                    Rule::PersonDoubleBooked,
                    Some(&other.id),
                    Some(&person.handle),
                    format!("{} is already required at {}", person.handle, index.describe(other)),
                );
            }
        }
    }

    // Rules 3 and 4: the room fits the people and has what the session needs.
    if let Some(room) = room {
        let drawn = index.attendance(session, Some((at.day, at.span)));
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
                format!("{} holds {}, but {label} {why}", room.name, room.capacity),
            );
        }
        let missing = room.missing_features(&session.needs);
        if !missing.is_empty() {
            add(
                Rule::MissingFeature,
                None,
                None,
                format!("{} has no {} (needed by {label})", room.name, missing.join(", ")),
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
        let day_sessions = index.on_day.get(at.day).map_or(&[][..], Vec::as_slice);
        for other in day_sessions.iter().filter(&overlapping) {
            add(
                Rule::PlenaryOverlap,
                Some(&other.id),
                None,
                format!(
                    "{label} is a plenary, but {} runs at the same time",
                    index.describe(other)
                ),
            );
        }
    } else {
        for plenary in index.plenaries.iter().filter(&overlapping) {
            add(
                Rule::PlenaryOverlap,
                Some(&plenary.id),
                None,
                format!("{label} would run during the plenary {}", index.describe(plenary)),
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
            format!("{label} is kept apart from {}", index.describe(other)),
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
    for session in &index.event.sessions {
        for c in conflicts_of(index, session) {
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
    let event = index.event;
    let day_order: HashMap<&str, usize> = event.days.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    // One sorted list of (person, day, start, session) instead of a map per person, with
    // people and sessions as numbers: at conference size this is most of `check`'s work, and
    // sorting 80,000 ties by text cost four times as much. Sessions are numbered in id order,
    // so that of two starting together the smaller id is the first of a clash, as by text.
    let mut scheduled: Vec<(&Session, Placement<'_>)> = Vec::new();
    for s in &event.sessions {
        // The first of a repeated id is the session, as in `Index`.
        let first = index.session(&s.id).is_some_and(|f| std::ptr::eq(f, s));
        if let Some(at) = s.placement().filter(|_| first) {
            scheduled.push((s, at));
        }
    }
    scheduled.sort_unstable_by(|a, b| a.0.id.cmp(&b.0.id));
    let mut person_number: HashMap<&str, u32> = HashMap::default();
    let mut people: Vec<&str> = Vec::new();
    let mut ties: Vec<(u32, usize, Time, u32, Drawn)> = Vec::new();
    for (number, (s, at)) in scheduled.iter().enumerate() {
        let day = day_order.get(at.day).copied().unwrap_or(usize::MAX);
        for (handle, drawn) in index.attendance(s, Some((at.day, at.span))) {
            // A required person who cannot be there breaks a hard rule; it is not a clash too.
            let away = drawn == Drawn::Required
                && index
                    .attendee(handle)
                    .is_some_and(|a| !present(event, a, at.day, at.span));
            if !away {
                let person = *person_number.entry(handle).or_insert_with(|| {
                    people.push(handle);
                    people.len() as u32 - 1
                });
                ties.push((person, day, at.span.start, number as u32, drawn));
            }
        }
    }
    ties.sort_unstable_by_key(|&(person, day, start, session, _)| (person, day, start, session));
    ties.dedup_by(|a, b| a.0 == b.0 && a.3 == b.3);
    let mut found = Vec::new();
    for (i, &(person, day, _, a, tie_a)) in ties.iter().enumerate() {
        let ends = scheduled[a as usize].1.span.end;
        for &(other, other_day, start, b, tie_b) in &ties[i + 1..] {
            if other != person || other_day != day || start >= ends {
                break;
            }
            found.push(Clash {
                handle: people[person as usize].to_string(),
                first: scheduled[a as usize].0.id.clone(),
                second: scheduled[b as usize].0.id.clone(),
                first_tie: tie_a,
                second_tie: tie_b,
            });
        }
    }
    found.sort_by(|x, y| (&x.handle, &x.first, &x.second).cmp(&(&y.handle, &y.first, &y.second)));
    found
}

/// [`clashes_in`] and [`away`] together: every session someone misses. The two share only
/// the index, so they are found on two cores (at 10,000 people each is a sizeable pass).
pub fn missed(index: &Index<'_>) -> (Vec<Clash>, Vec<Away>) {
    std::thread::scope(|scope| {
        let away = scope.spawn(|| away(index));
        let clashes = clashes_in(index);
        (clashes, away.join().expect("finding who is away does not panic"))
    })
}

/// A person who wants a session (listed as interested, or in one of its audience teams) but
/// is not there at its time: a missed session, like a clash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Away {
    pub handle: String,
    pub session: String,
    pub tie: Drawn,
    /// Why, in words ("ferris is not at the event on sat (their days: thu, fri)").
    pub reason: String,
}

/// Everyone who wants a scheduled session but is not there for it. People who declined the
/// event want nothing; plenaries are left out (nobody chose them, and everyone away that day
/// would be listed).
pub fn away(index: &Index<'_>) -> Vec<Away> {
    let event = index.event;
    let mut found = Vec::new();
    for s in &event.sessions {
        let Some(at) = s.placement() else { continue };
        let mut wanting: Vec<(&Attendee, Drawn)> = index
            .participants(&s.id)
            .iter()
            .filter(|p| p.tie == Tie::Interested)
            .filter_map(|p| Some((index.attendee(&p.handle)?, Drawn::Interested)))
            .collect();
        for team in &s.audience {
            let members = index.members.get(&team.to_lowercase()).map_or(&[][..], Vec::as_slice);
            wanting.extend(members.iter().map(|a| (*a, Drawn::Team)));
        }
        wanting.sort_by(|a, b| (&a.0.handle, a.1).cmp(&(&b.0.handle, b.1)));
        wanting.dedup_by(|later, first| later.0.handle == first.0.handle);
        for (person, tie) in wanting {
            if person.status == Status::Declined {
                continue;
            }
            if let Some(reason) = absence(event, person, at.day, at.span) {
                found.push(Away {
                    handle: person.handle.clone(),
                    session: s.id.clone(),
                    tie,
                    reason,
                });
            }
        }
    }
    found.sort_by(|x, y| (&x.handle, &x.session).cmp(&(&y.handle, &y.session)));
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
