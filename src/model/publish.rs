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

use super::{Event, Extra, Session, Span, Tie, Time, rules};

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

    /// Same day, time and room: what a calendar sees change.
    pub fn same_slot(&self, other: &Place) -> bool {
        self == other
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

    fn of(event: &Event, session: &Session) -> Entry {
        let ties = |tie: Tie| {
            let mut handles: Vec<String> = event
                .participants_of(&session.id)
                .filter(|p| p.role == tie)
                .map(|p| p.handle.clone())
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
            required: ties(Tie::Required),
            interested: ties(Tie::Interested),
            audience: Vec::new(),
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
        let mut sessions = BTreeMap::new();
        for s in &event.sessions {
            // With a repeated id the first row is the session, as everywhere else.
            sessions.entry(s.id.clone()).or_insert_with(|| Entry::of(event, s));
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
        self.version(number).ok_or_else(|| match (self.versions.first(), self.last()) {
            (Some(first), Some(last)) => format!(
                "there is no version {number} (valid: {} to {}; `allhands changes` lists what changed since {})",
                first.number, last.number, last.number
            ),
            _ => format!("there is no version {number}: nothing is published yet (`allhands publish` records version 1)"),
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
        self.after.as_ref().or(self.before.as_ref()).map_or("", |e| e.title.as_str())
    }

    /// The entry that says who is tied to the session: as it is, or as it was if removed.
    pub fn latest(&self) -> Option<&Entry> {
        self.after.as_ref().or(self.before.as_ref())
    }
}

/// What changed on the agenda from `before` to `after`: sessions added to it, cancelled
/// (removed or unbooked), moved, re-roomed, retitled, lengthened or shortened. A session can
/// change in several ways at once (moved and re-roomed); each is its own [`Change`].
/// Sorted by kind, then session id (natural order).
pub fn changes(before: &Schedule, after: &Schedule) -> Vec<Change> {
    let mut ids: Vec<&String> = before.sessions.keys().chain(after.sessions.keys()).collect();
    ids.sort_by(|a, b| super::natural_cmp(a, b));
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

/// Who a session's entry ties, each person once with their strongest tie: required and
/// interested people (unless they declined), and the members of its audience teams (or
/// everyone, for a plenary) who are at the event when it takes place.
pub fn tied(event: &Event, entry: &Entry) -> Vec<(String, Via)> {
    let mut ties: BTreeMap<String, Via> = BTreeMap::new();
    let mut add = |handle: &str, via: Via| {
        let slot = ties.entry(handle.to_string()).or_insert_with(|| via.clone());
        if via < *slot {
            *slot = via;
        }
    };
    let declined = |handle: &str| {
        event
            .attendee(handle)
            .is_some_and(|a| a.status == super::Status::Declined)
    };
    for handle in entry.required.iter().filter(|h| !declined(h)) {
        add(handle, Via::Required);
    }
    for handle in entry.interested.iter().filter(|h| !declined(h)) {
        add(handle, Via::Interested);
    }
    if !entry.audience.is_empty() {
        let plenary = entry.audience.iter().any(|t| t.eq_ignore_ascii_case("everyone"));
        for person in &event.attendees {
            let present = match &entry.place {
                Some(p) => rules::absence(event, person, &p.day, p.span()).is_none(),
                None => person.status != super::Status::Declined,
            };
            if !present {
                continue;
            }
            if plenary {
                add(&person.handle, Via::Plenary);
            } else if let Some(team) = entry
                .audience
                .iter()
                .find(|t| person.teams.iter().any(|m| m.eq_ignore_ascii_case(t)))
            {
                add(&person.handle, Via::Team(team.clone()));
            }
        }
    }
    ties.into_iter().collect()
}

/// For each person, the changed sessions they are tied to (as the session is now, or as it
/// was when it has been removed), sorted by handle, then session.
pub fn affected(event: &Event, changes: &[Change]) -> Vec<Affected> {
    let mut by_session: BTreeMap<&str, (Vec<ChangeKind>, Option<&Entry>)> = BTreeMap::new();
    for c in changes {
        let slot = by_session.entry(&c.session).or_insert((Vec::new(), c.latest()));
        slot.0.push(c.kind);
    }
    let mut people: BTreeMap<String, Vec<Touch>> = BTreeMap::new();
    for (session, (kinds, entry)) in by_session {
        for (handle, via) in entry.map(|e| tied(event, e)).unwrap_or_default() {
            people.entry(handle).or_default().push(Touch {
                session: session.to_string(),
                kinds: kinds.clone(),
                via,
            });
        }
    }
    people
        .into_iter()
        .map(|(handle, mut sessions)| {
            sessions.sort_by(|a, b| super::natural_cmp(&a.session, &b.session));
            Affected { handle, sessions }
        })
        .collect()
}

/// A session's revision for calendars: SEQUENCE and LAST-MODIFIED.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    /// How many times its day, time or room changed (a cancellation counts) after it was
    /// first on a published agenda.
    pub sequence: u32,
    /// When the publish that last changed it (or first put it on the agenda) happened.
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
    let states = history
        .versions
        .iter()
        .map(|v| (history.schedule(v.number), v.published_at))
        .chain(std::iter::once((current.clone(), now)));
    for (schedule, at) in states {
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
                (None, Some(_)) => track.revision.last_modified = Some(at),
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
    result.withdrawn.sort_by(|a, b| super::natural_cmp(&a.session, &b.session));
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
    }
}
