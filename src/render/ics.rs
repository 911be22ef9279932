//! iCalendar (RFC 5545): one VEVENT per session, times in UTC so every calendar shows them
//! right whatever its own zone, and a UID that stays the same from one export to the next
//! (re-importing updates events instead of duplicating them). The icalendar crate does the
//! folding at 75 octets and escapes SUMMARY, LOCATION and DESCRIPTION; it writes NAME and
//! CATEGORIES as given, so those are escaped here. No text reaches the file with a control
//! character: a CR or NUL in a title could otherwise forge or break a VEVENT.
//!
//! Calendars that subscribe to a feed update from it (RFC 5545 3.8.7.4): each event carries a
//! SEQUENCE that grows every time its day, time or room changes, LAST-MODIFIED from the publish
//! that changed it, and a session taken off the agenda stays in the feed as STATUS:CANCELLED
//! (under the same UID, with a higher SEQUENCE) so that subscribed calendars drop it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use super::FileNames;
use super::agenda::Agenda;
use crate::model::publish::{CalendarHistory, Revision, Withdrawn};
use crate::model::rules;
use crate::model::selection::{Filter, Selection};
use crate::model::{self, Day, Span, Status};

/// What a calendar needs beyond the agenda to update subscribers: computed from the published
/// versions by the caller (this module reads no files).
pub struct Updates<'a> {
    /// DTSTAMP of every event: fixed, so the same data gives the same bytes.
    pub stamp: DateTime<Utc>,
    /// SEQUENCE and LAST-MODIFIED per session id; a session not in it has SEQUENCE 0.
    pub revisions: &'a HashMap<String, Revision>,
    /// Sessions on an earlier published agenda that are not on this one.
    pub cancelled: Vec<Cancelled<'a>>,
}

/// A session taken off the agenda, as it was when last on it.
pub struct Cancelled<'a> {
    pub session: &'a str,
    pub title: &'a str,
    pub day: &'a Day,
    pub span: Span,
    /// The room's name.
    pub room: &'a str,
    pub revision: Revision,
}

/// How often subscribed calendars should fetch the feed again.
const REFRESH: &str = "PT1H";

/// Sets SEQUENCE, LAST-MODIFIED and DTSTAMP on an event.
fn revise(event: &mut Event, revision: Revision, stamp: DateTime<Utc>) {
    event.sequence(revision.sequence).timestamp(stamp);
    if let Some(at) = revision.last_modified {
        event.last_modified(at);
    }
}

/// The calendar, with the history that lets subscribed calendars update.
pub fn calendar(agenda: &Agenda<'_>, updates: &Updates<'_>) -> String {
    let stamp = updates.stamp;
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property((
            "PRODID",
            concat!("-//allhands//allhands ", env!("CARGO_PKG_VERSION"), "//EN"),
        ))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&escaped(&agenda.title))
        .append_property(
            Property::new("REFRESH-INTERVAL", REFRESH)
                .add_parameter("VALUE", "DURATION")
                .done(),
        )
        .append_property(("X-PUBLISHED-TTL", REFRESH));
    let slug = agenda.slug();
    let location = &agenda.event.info.location;
    let place = |room: &str| {
        if location.is_empty() {
            room.to_string()
        } else {
            format!("{room}, {location}")
        }
    };
    for item in &agenda.items {
        let s = item.session;
        let description = item.description_lines();
        let mut event = Event::new();
        event
            .uid(&format!("{}@{slug}.allhands", s.id))
            .summary(&clean(&s.title))
            .location(&clean(&place(&item.room.name)))
            .description(&clean(&description.join("\n")))
            .starts(agenda.utc(item.day, item.span.start))
            .ends(agenda.end_utc(item))
            .status(EventStatus::Confirmed);
        let revision = updates.revisions.get(&s.id).copied().unwrap_or_default();
        revise(&mut event, revision, stamp);
        if !s.team.is_empty() {
            event.add_property("CATEGORIES", escaped(&s.team));
        }
        calendar.push(event.done());
    }
    for gone in &updates.cancelled {
        let mut event = Event::new();
        event
            .uid(&format!("{}@{slug}.allhands", gone.session))
            .summary(&clean(gone.title))
            .location(&clean(&place(gone.room)))
            .description(&format!(
                "Cancelled: session {} is no longer on the agenda",
                gone.session
            ))
            .starts(agenda.utc(gone.day, gone.span.start))
            .ends(agenda.utc(gone.day, gone.span.end))
            .status(EventStatus::Cancelled);
        revise(&mut event, gone.revision, stamp);
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// A selection as an iCalendar file: its sessions with their revisions, and the sessions it
/// would show that were taken off the agenda since an earlier version, as cancelled.
pub fn calendar_of<'a>(
    event: &'a model::Event,
    index: &rules::Index<'a>,
    selection: &Selection<'a>,
    history: &CalendarHistory,
    stamp: DateTime<Utc>,
) -> String {
    let cancelled = history
        .withdrawn
        .iter()
        .filter(|w| selection.shows_withdrawn(w))
        .filter_map(|w| {
            let place = w.entry.place.as_ref()?;
            Some(Cancelled {
                session: &w.session,
                title: &w.entry.title,
                day: event.day(&place.day)?,
                span: place.span(),
                room: event.room_name(&place.room),
                revision: w.revision,
            })
        })
        .collect();
    let updates = Updates {
        stamp,
        revisions: &history.revisions,
        cancelled,
    };
    calendar(&Agenda::of(event, index, selection), &updates)
}

/// One calendar feed to serve: its file, relative to the feeds folder, and what it shows.
pub struct Feed<'a> {
    pub path: PathBuf,
    pub filter: Filter<'a>,
}

/// The feeds of an event: `all.ics`; `rooms/ROOM.ics` for every room; `teams/TEAM.ics` for
/// every team with sessions now or with a session `withdrawn` since a published version (its
/// subscribers still need the cancellation); with `personal`, `people/HANDLE.ics` for every
/// attendee who has not declined. Named by [`FileNames`]: safe, and never the same twice.
pub fn feeds<'a>(event: &'a model::Event, withdrawn: &'a [Withdrawn], personal: bool) -> Vec<Feed<'a>> {
    let feed = |path: PathBuf, filter: Filter<'a>| Feed { path, filter };
    let mut feeds = vec![feed(PathBuf::from("all.ics"), Filter::default())];
    let mut names = FileNames::default();
    for room in &event.rooms {
        let filter = Filter {
            room: Some(room),
            ..Filter::default()
        };
        feeds.push(feed(names.path("rooms", &room.id), filter));
    }
    let teams: BTreeSet<&str> = event
        .sessions
        .iter()
        .map(|s| s.team.as_str())
        .chain(withdrawn.iter().map(|w| w.entry.team.as_str()))
        .filter(|t| !t.is_empty())
        .collect();
    for team in teams {
        let filter = Filter {
            team: Some(team),
            ..Filter::default()
        };
        feeds.push(feed(names.path("teams", team), filter));
    }
    if personal {
        for person in event.attendees.iter().filter(|a| a.status != Status::Declined) {
            // With a handle twice (a `check` problem) the first record wins, as in look-ups.
            let filter = Filter {
                person: event.attendee(&person.handle).or(Some(person)),
                ..Filter::default()
            };
            feeds.push(feed(names.path("people", &person.handle), filter));
        }
    }
    feeds
}

/// The most characters of one text property: the icalendar crate folds lines in time
/// quadratic in their length, and no calendar shows more (a 10 MB title stays a 10 MB title
/// in csv and json).
const TEXT_LIMIT: usize = 4000;

/// Text for a property value: line breaks as `\n` (which the escaping writes as `\\n`), every
/// other control character dropped (load refuses them; this keeps any caller's text safe),
/// cut at [`TEXT_LIMIT`] characters.
fn clean(text: &str) -> String {
    let mut out: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || !(c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')))
        .take(TEXT_LIMIT + 1)
        .collect();
    if let Some((at, _)) = out.char_indices().nth(TEXT_LIMIT) {
        out.truncate(at);
        out.push('…');
    }
    out
}

/// A TEXT value escaped as RFC 5545 section 3.3.11 says, for properties the crate writes raw.
fn escaped(text: &str) -> String {
    clean(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}
