//! iCalendar (RFC 5545): one VEVENT per session, times in UTC so every calendar shows them
//! right whatever its own zone, and a UID that stays the same from one export to the next
//! (re-importing updates events instead of duplicating them). The icalendar crate does the
//! folding at 75 octets and escapes SUMMARY, LOCATION and DESCRIPTION; it writes NAME and
//! CATEGORIES as given, so those are escaped here. No text reaches the file with a control
//! character: a CR or NUL in a title could otherwise forge or break a VEVENT.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use super::agenda::Agenda;

/// The calendar. `stamp` is DTSTAMP for every event (pass a fixed one for reproducible files).
pub fn calendar(agenda: &Agenda<'_>, stamp: DateTime<Utc>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property((
            "PRODID",
            concat!("-//allhands//allhands ", env!("CARGO_PKG_VERSION"), "//EN"),
        ))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .name(&escaped(&agenda.title));
    let slug = agenda.slug();
    let location = &agenda.event.info.location;
    for item in &agenda.items {
        let s = item.session;
        let mut description = Vec::new();
        if !s.team.is_empty() {
            description.push(format!("Team: {}", s.team));
        }
        if !item.required.is_empty() {
            description.push(format!("Required: {}", item.required.join(", ")));
        }
        if let Some(role) = item.role {
            description.push(format!("You are {role}"));
        }
        description.push(format!("Session {} ({}), {} people", s.id, s.kind, item.people));
        let place = if location.is_empty() {
            item.room.name.clone()
        } else {
            format!("{}, {location}", item.room.name)
        };
        let mut event = Event::new();
        event
            .uid(&format!("{}@{slug}.allhands", s.id))
            .summary(&clean(&s.title))
            .location(&clean(&place))
            .description(&clean(&description.join("\n")))
            .starts(agenda.utc(item.day, item.span.start))
            .ends(agenda.end_utc(item))
            .timestamp(stamp);
        if !s.team.is_empty() {
            event.add_property("CATEGORIES", escaped(&s.team));
        }
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
