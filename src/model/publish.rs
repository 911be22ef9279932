//! Published versions of the schedule, what changed between two of them, who that affects,
//! and each session's revision history for calendars (RFC 5545 SEQUENCE and LAST-MODIFIED).
//!
//! A version is a snapshot of every session's day, time, room, title and ties, recorded by
//! `publish`. The ties (required and interested people, audience) are recorded too, so that
//! the people tied to a session that was removed since can still be told.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::rules::{self, Drawn};
use super::{Event, Extra, Key, Kind, Participant, Session, Span, Tie, Time, natural_cmp, same_key};

/// One published version (`versions.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub number: u32,
    pub published_at: DateTime<Utc>,
    pub note: String,
    pub line: u64,
    pub extra: Extra,
}

word_enum!(
    /// Whether a session was on the published agenda.
    AgendaStatus { Scheduled = "scheduled", Unscheduled = "unscheduled" }
);

/// One session as a version recorded it (`published.csv`, one row per session per version).
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub version: u32,
    pub session: String,
    pub entry: Entry,
    pub line: u64,
    pub extra: Extra,
}

/// Where and when a session takes place, with owned values (it may outlive the session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub day: String,
    pub start: Time,
    pub end: Time,
    pub room: String,
}

impl Place {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

/// What a version knows about one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub title: String,
    pub team: String,
    /// `None`: not on the agenda (unscheduled).
    pub place: Option<Place>,
    pub required: Vec<String>,
    pub interested: Vec<String>,
    /// Teams the session is for; `everyone` makes it a plenary.
    pub audience: Vec<String>,
}

impl Entry {
    pub fn status(&self) -> AgendaStatus {
        if self.place.is_some() {
            AgendaStatus::Scheduled
        } else {
            AgendaStatus::Unscheduled
        }
    }

    /// `session` as it is now; `ties` are its participants.
    fn of(session: &Session, ties: &[&Participant]) -> Entry {
        let handles = |tie: Tie| {
            let mut handles: Vec<String> = ties
                .iter()
                .filter(|p| p.tie == tie)
                .map(|p| p.handle.to_string())
                .collect();
            handles.sort();
            handles.dedup();
            handles
        };
        Entry {
            title: session.title.clone(),
            team: session.team.clone(),
            place: session.placement().map(|p| Place {
                day: p.day.to_string(),
                start: p.span.start,
                end: p.span.end,
                room: p.room.to_string(),
            }),
            required: handles(Tie::Required),
            interested: handles(Tie::Interested),
            audience: session.audience.clone(),
        }
    }
}

/// Every session of one state of the schedule, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub sessions: BTreeMap<String, Entry>,
}

impl Schedule {
    /// The schedule as it is now in the data folder.
    pub fn current(event: &Event) -> Schedule {
        let mut ties: HashMap<&str, Vec<&Participant>> = HashMap::new();
        for p in &event.participants {
            ties.entry(&p.session).or_default().push(p);
        }
        let mut sessions = BTreeMap::new();
        for s in &event.sessions {
            // With a repeated id the first row is the session, as everywhere else.
            let listed = ties.get(s.id.as_str()).map_or(&[][..], Vec::as_slice);
            sessions.entry(s.id.clone()).or_insert_with(|| Entry::of(s, listed));
        }
        Schedule { sessions }
    }

    pub fn scheduled(&self) -> usize {
        self.sessions.values().filter(|e| e.place.is_some()).count()
    }

    fn place(&self, id: &str) -> Option<&Place> {
        self.sessions.get(id).and_then(|e| e.place.as_ref())
    }
}

/// Every published version, oldest first, and the sessions each recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub versions: Vec<Version>,
    pub published: Vec<Published>,
}

impl History {
    pub fn last(&self) -> Option<&Version> {
        self.versions.last()
    }

    pub fn version(&self, number: u32) -> Option<&Version> {
        self.versions.iter().find(|v| v.number == number)
    }

    /// The schedule a version recorded.
    pub fn schedule(&self, number: u32) -> Schedule {
        let sessions = self
            .published
            .iter()
            .filter(|p| p.version == number)
            .map(|p| (p.session.clone(), p.entry.clone()))
            .collect();
        Schedule { sessions }
    }

    /// Records `schedule` as the next version.
    pub fn push(&mut self, schedule: &Schedule, published_at: DateTime<Utc>, note: String) -> u32 {
        let number = self.last().map_or(1, |v| v.number + 1);
        self.versions.push(Version {
            number,
            published_at,
            note,
            line: 0,
            extra: Extra::new(),
        });
        self.published
            .extend(schedule.sessions.iter().map(|(id, entry)| Published {
                version: number,
                session: id.clone(),
                entry: entry.clone(),
                line: 0,
                extra: Extra::new(),
            }));
        number
    }

    /// Resolves a version number the user typed, or says which ones there are.
    pub fn find(&self, number: u32) -> Result<&Version, String> {
        self.version(number)
            .ok_or_else(|| match (self.versions.first(), self.last()) {
                (Some(first), Some(last)) => format!(
                    "there is no version {number} (valid: {} to {}; `allhands changes` lists what changed since {})",
                    first.number, last.number, last.number
                ),
                _ => format!(
                    "there is no version {number}: nothing is published yet (`allhands publish` records version 1)"
                ),
            })
    }
}

word_enum!(
    /// What happened to a session between two states of the schedule.
    ChangeKind {
        Added = "added",
        Cancelled = "cancelled",
        Moved = "moved",
        Reroomed = "re-roomed",
        Retitled = "retitled",
        Lengthened = "lengthened",
        Shortened = "shortened",
    }
);

impl ChangeKind {
    /// `Moved (day or time)`, a heading for people.
    pub fn heading(self) -> &'static str {
        match self {
            ChangeKind::Added => "Added",
            ChangeKind::Cancelled => "Cancelled",
            ChangeKind::Moved => "Moved (day or time)",
            ChangeKind::Reroomed => "Re-roomed",
            ChangeKind::Retitled => "Retitled",
            ChangeKind::Lengthened => "Lengthened",
            ChangeKind::Shortened => "Shortened",
        }
    }
}

/// One kind of change to one session, with the session as it was and as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub session: String,
    /// `None`: the session did not exist (added) or was removed (cancelled).
    pub before: Option<Entry>,
    pub after: Option<Entry>,
}

impl Change {
    /// The session's latest known title.
    pub fn title(&self) -> &str {
        self.after
            .as_ref()
            .or(self.before.as_ref())
            .map_or("", |e| e.title.as_str())
    }
}

/// What changed on the agenda from `before` to `after`: sessions added to it, cancelled
/// (removed or unbooked), moved, re-roomed, retitled, lengthened or shortened. A session can
/// change in several ways at once (moved and re-roomed); each is its own [`Change`].
/// Sorted by kind, then session id (natural order).
pub fn changes(before: &Schedule, after: &Schedule) -> Vec<Change> {
    let mut ids: Vec<&String> = before.sessions.keys().chain(after.sessions.keys()).collect();
    ids.sort_by(|a, b| natural_cmp(a, b));
    ids.dedup();
    let mut found = Vec::new();
    for id in ids {
        let (old, new) = (before.sessions.get(id), after.sessions.get(id));
        let change = |kind| Change {
            kind,
            session: id.clone(),
            before: old.cloned(),
            after: new.cloned(),
        };
        match (before.place(id), after.place(id)) {
            (None, Some(_)) => found.push(change(ChangeKind::Added)),
            (Some(_), None) => found.push(change(ChangeKind::Cancelled)),
            (Some(a), Some(b)) => {
                if a.day != b.day || a.start != b.start {
                    found.push(change(ChangeKind::Moved));
                }
                if a.room != b.room {
                    found.push(change(ChangeKind::Reroomed));
                }
                let (was, is) = (old.map(|e| &e.title), new.map(|e| &e.title));
                if was != is {
                    found.push(change(ChangeKind::Retitled));
                }
                let (was, is) = (a.span().minutes(), b.span().minutes());
                if is > was {
                    found.push(change(ChangeKind::Lengthened));
                } else if is < was {
                    found.push(change(ChangeKind::Shortened));
                }
            }
            (None, None) => {}
        }
    }
    found.sort_by_key(|c| c.kind);
    found
}

/// How a person is tied to a changed session, strongest first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Required,
    Interested,
    /// A member of one of its audience teams.
    Team(String),
    /// Everyone at the event.
    Plenary,
}

impl fmt::Display for Via {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Via::Required => f.write_str("required"),
            Via::Interested => f.write_str("interested"),
            Via::Team(team) => write!(f, "team {team}"),
            Via::Plenary => f.write_str("plenary"),
        }
    }
}

/// One changed session as it touches one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Touch {
    pub session: String,
    pub kinds: Vec<ChangeKind>,
    pub via: Via,
}

/// A person and the changed sessions they are tied to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Affected {
    pub handle: String,
    pub sessions: Vec<Touch>,
}

/// The sessions `ids` of a state of the schedule as an event with `base`'s days, rooms and
/// people, so that the rules can say whom each draws (a version's sessions may be gone).
fn as_event(schedule: &Schedule, base: &Event, ids: &[&str]) -> Event {
    let mut sessions = Vec::new();
    let mut participants = Vec::new();
    for id in ids {
        let Some(entry) = schedule.sessions.get(*id) else {
            continue;
        };
        let duration = entry.place.as_ref().map_or(0, |p| p.span().minutes());
        let mut session = Session::new(
            id.to_string(),
            entry.title.clone(),
            Kind::Planned,
            entry.team.clone(),
            duration,
        );
        if let Some(place) = &entry.place {
            session.day = Some(place.day.clone());
            session.start = Some(place.start);
            session.room = Some(place.room.clone());
        }
        session.audience = entry.audience.clone();
        sessions.push(session);
        let ties = [(Tie::Required, &entry.required), (Tie::Interested, &entry.interested)];
        for (role, handles) in ties {
            participants.extend(handles.iter().map(|handle| Participant {
                session: Key::from(*id),
                handle: Key::from(handle.as_str()),
                tie: role,
                line: 0,
                extra: Extra::new(),
            }));
        }
    }
    Event {
        info: base.info.clone(),
        days: base.days.clone(),
        slots: Vec::new(),
        attendees: base.attendees.clone(),
        rooms: base.rooms.clone(),
        sessions,
        participants,
    }
}

/// For each person, the changed sessions they are tied to, sorted by handle, then session.
/// A person is affected when the session draws them (see [`rules::Index::attendance`]: its
/// required people, and the interested, audience-team members or, at a plenary, everyone who
/// are there then) where it was on the agenda before or where it is after: someone who can no
/// longer come needs to know as much as someone who now can.
pub fn affected(event: &Event, before: &Schedule, after: &Schedule, changes: &[Change]) -> Vec<Affected> {
    let mut kinds: BTreeMap<&str, Vec<ChangeKind>> = BTreeMap::new();
    for c in changes {
        kinds.entry(&c.session).or_default().push(c.kind);
    }
    let ids: Vec<&str> = kinds.keys().copied().collect();
    let mut people: BTreeMap<String, BTreeMap<&str, Via>> = BTreeMap::new();
    for side in [before, after] {
        let state = as_event(side, event, &ids);
        let index = rules::Index::new(&state);
        for session in &state.sessions {
            let Some(at) = session.placement() else {
                continue;
            };
            for (handle, drawn) in index.attendance(session, Some((at.day, at.span))) {
                let via = match drawn {
                    Drawn::Required => Via::Required,
                    Drawn::Interested => Via::Interested,
                    Drawn::Plenary => Via::Plenary,
                    Drawn::Team => {
                        let teams = index.attendee(handle).map_or(&[][..], |a| a.teams.as_slice());
                        let team = session.audience.iter().find(|t| teams.iter().any(|m| same_key(m, t)));
                        Via::Team(team.cloned().unwrap_or_default())
                    }
                };
                let id = ids.iter().find(|id| **id == session.id).expect("a changed session");
                let strongest = people
                    .entry(handle.to_string())
                    .or_default()
                    .entry(id)
                    .or_insert(via.clone());
                if via < *strongest {
                    *strongest = via;
                }
            }
        }
    }
    people
        .into_iter()
        .map(|(handle, sessions)| {
            let mut sessions: Vec<Touch> = sessions
                .into_iter()
                .map(|(id, via)| Touch {
                    session: id.to_string(),
                    kinds: kinds[id].clone(),
                    via,
                })
                .collect();
            sessions.sort_by(|a, b| natural_cmp(&a.session, &b.session));
            Affected { handle, sessions }
        })
        .collect()
}

/// What a printout (the PDF, a door sign) says about its version: the published version it
/// shows and when that was published; a draft when the schedule has changed since (how many
/// changes), or when nothing is published yet (then named by a fingerprint of the schedule it
/// shows, so two printouts can be told apart). Never a version number that was not published.
/// `made` is when the printout is made, shown on a draft.
pub fn version_line(event: &Event, history: &History, made: DateTime<Utc>) -> String {
    let zone = event.info.timezone.tz();
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%-d %b %Y %H:%M").to_string();
    let made = local(made);
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
        return format!(
            "draft, not published · schedule {} ({} sessions placed) · made {made}",
            &fingerprint[..8],
            scheduled.len()
        );
    };
    let pending = changes(&history.schedule(last.number), &current).len();
    if pending == 0 {
        format!("version {}, published {}", last.number, local(last.published_at))
    } else {
        format!(
            "draft: version {} (published {}) and {pending} change{} not published yet · made {made}",
            last.number,
            local(last.published_at),
            if pending == 1 { "" } else { "s" }
        )
    }
}

/// A session's revision for calendars: SEQUENCE and LAST-MODIFIED.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    /// How many times its day, time or room changed (a cancellation counts) after it was
    /// first on a published agenda.
    pub sequence: u32,
    /// When the publish that last changed it (or first put it on the agenda) happened; for
    /// a change not published yet, the calendar's stamp; `None` if it was never published.
    pub last_modified: Option<DateTime<Utc>>,
}

/// A session that was on a published agenda and is not on the current one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawn {
    pub session: String,
    /// As it was when last on the agenda (so `place` is set).
    pub entry: Entry,
    pub revision: Revision,
}

/// Calendar history of every session: revisions of the current agenda's sessions, and the
/// sessions withdrawn since an earlier version (to be kept as STATUS:CANCELLED).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarHistory {
    pub revisions: HashMap<String, Revision>,
    pub withdrawn: Vec<Withdrawn>,
}

/// Each session's revision across the published versions, then the current state. A change
/// not published yet counts too, stamped `now`, so that a calendar never sees new times under
/// an old SEQUENCE; once published, the count is the same.
pub fn calendar_history(history: &History, current: &Schedule, now: DateTime<Utc>) -> CalendarHistory {
    struct Track {
        place: Option<Place>,
        last_seen: Option<Entry>,
        revision: Revision,
    }
    let mut tracks: BTreeMap<String, Track> = BTreeMap::new();
    // The current state comes last, as a version not published yet.
    let states = history
        .versions
        .iter()
        .map(|v| (history.schedule(v.number), v.published_at, true))
        .chain(std::iter::once((current.clone(), now, false)));
    for (schedule, at, published) in states {
        let ids: Vec<String> = tracks.keys().chain(schedule.sessions.keys()).cloned().collect();
        for id in ids {
            let entry = schedule.sessions.get(&id);
            let place = entry.and_then(|e| e.place.clone());
            let track = tracks.entry(id).or_insert(Track {
                place: None,
                last_seen: None,
                revision: Revision::default(),
            });
            match (&track.last_seen, &place) {
                (None, None) => continue,
                // First on the agenda: no publish has changed it yet, unless it was published.
                (None, Some(_)) => track.revision.last_modified = published.then_some(at),
                (Some(_), _) if track.place != place => {
                    track.revision.sequence += 1;
                    track.revision.last_modified = Some(at);
                }
                _ => {}
            }
            if place.is_some() {
                track.last_seen = entry.cloned();
            }
            track.place = place;
        }
    }
    let mut result = CalendarHistory::default();
    for (id, track) in tracks {
        match (current.place(&id), track.last_seen) {
            (Some(_), _) => {
                result.revisions.insert(id, track.revision);
            }
            (None, Some(entry)) => result.withdrawn.push(Withdrawn {
                session: id,
                entry,
                revision: track.revision,
            }),
            (None, None) => {}
        }
    }
    result.withdrawn.sort_by(|a, b| natural_cmp(&a.session, &b.session));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse(s).unwrap()
    }

    fn entry(place: Option<(&str, &str, &str, &str)>) -> Entry {
        Entry {
            title: "T".into(),
            team: String::new(),
            place: place.map(|(day, start, end, room)| Place {
                day: day.into(),
                start: t(start),
                end: t(end),
                room: room.into(),
            }),
            required: vec![],
            interested: vec![],
            audience: vec![],
        }
    }

    fn schedule(place: Option<(&str, &str, &str, &str)>) -> Schedule {
        Schedule {
            sessions: [("S1".to_string(), entry(place))].into_iter().collect(),
        }
    }

    #[test]
    fn a_move_and_a_new_room_are_two_changes() {
        let a = schedule(Some(("thu", "09:00", "10:00", "r1")));
        let b = schedule(Some(("fri", "09:00", "10:30", "r2")));
        let kinds: Vec<ChangeKind> = changes(&a, &b).iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChangeKind::Moved, ChangeKind::Reroomed, ChangeKind::Lengthened]);
        assert!(changes(&a, &a).is_empty());
        assert_eq!(changes(&a, &Schedule::default())[0].kind, ChangeKind::Cancelled);
        assert_eq!(changes(&Schedule::default(), &a)[0].kind, ChangeKind::Added);
    }

    #[test]
    fn sequence_counts_versions_that_moved_or_cancelled_a_session() {
        let mut history = History::default();
        let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap();
        history.push(&schedule(Some(("thu", "09:00", "10:00", "r1"))), at(100), String::new());
        history.push(&schedule(Some(("thu", "09:00", "10:00", "r1"))), at(200), String::new());
        history.push(&schedule(Some(("thu", "11:00", "12:00", "r1"))), at(300), String::new());
        let current = schedule(Some(("thu", "11:00", "12:00", "r2")));
        let h = calendar_history(&history, &current, at(400));
        assert_eq!(
            h.revisions["S1"],
            Revision {
                sequence: 2,
                last_modified: Some(at(400))
            }
        );
        let h = calendar_history(&history, &schedule(None), at(400));
        assert!(h.revisions.is_empty());
        assert_eq!(h.withdrawn[0].revision.sequence, 2);
        assert_eq!(h.withdrawn[0].entry.place.as_ref().unwrap().start, t("11:00"));
        let h = calendar_history(&History::default(), &schedule(None), at(400));
        assert!(h.withdrawn.is_empty() && h.revisions.is_empty());
        let h = calendar_history(&History::default(), &current, at(400));
        assert_eq!(
            h.revisions["S1"],
            Revision::default(),
            "never published: nothing to say"
        );
    }
}
