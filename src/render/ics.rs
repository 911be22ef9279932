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

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use super::agenda::Agenda;
use crate::model::publish::Revision;
use crate::model::{Day, Span};

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
