//! The frab / c3voc schedule (`schedule.json` and `schedule.xml`) that conference apps
//! (Giggity and EventFahrplan read the XML) and video pipelines read.
//!
//! Both are built from one [`Schedule`] so they always agree. Identifiers stay the same from
//! one export to the next and when a session moves: an event's guid is a UUIDv5 of its
//! session id in a namespace derived from the event name, its numeric id comes from the
//! session id's digits (`S012` → 12), and its slug from the acronym, id and title. People are
//! shown by handle only, never by email address.
//!
//! The schema's traps this avoids: a person is `{guid, name, public_name}` (with an `id` as
//! well it would match both person shapes and fail `oneOf`); `start` is "HH:MM"; the acronym
//! matches `^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$`; every `<day>` has `start` and
//! `end` attributes (EventFahrplan refuses a day without `end`).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use chrono::DateTime;
use chrono_tz::Tz;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::agenda::{Agenda, Item};
use crate::model::{Day, Kind, Room, Time};

/// The JSON schema these files follow (its `$id`).
const SCHEMA_URL: &str = "https://c3voc.de/schedule/schema.json";
const GENERATOR: &str = "allhands";
/// Longest title part of a slug, in characters.
const SLUG_TITLE_MAX: usize = 50;

/// `schedule.json`: pretty-printed, ending with a newline.
pub fn json(agenda: &Agenda<'_>) -> String {
    let schedule = Schedule::new(agenda);
    let c = &schedule.conference;
    let mut conference = Map::new();
    conference.insert("acronym".into(), json!(c.acronym));
    conference.insert("title".into(), json!(c.title));
    conference.insert("start".into(), json!(c.start));
    conference.insert("end".into(), json!(c.end));
    conference.insert("daysCount".into(), json!(c.days_count));
    conference.insert("timeslot_duration".into(), json!(c.timeslot_duration));
    // The schema's pattern for it rejects some real IANA names (e.g. `Etc/GMT+1`); it is
    // optional, so such a zone is left out here rather than making the file invalid.
    if time_zone_fits_schema(&c.time_zone_name) {
        conference.insert("time_zone_name".into(), json!(c.time_zone_name));
    }
    conference.insert(
        "rooms".into(),
        schedule
            .rooms
            .iter()
            .map(|r| json!({"name": r.name, "guid": r.guid, "capacity": r.capacity}))
            .collect(),
    );
    let days: Vec<Value> = schedule
        .days
        .iter()
        .map(|d| {
            let mut rooms: Map<String, Value> = Map::new();
            for room in &d.rooms {
                let events = rooms.entry(room.name.clone()).or_insert_with(|| json!([]));
                if let Value::Array(list) = events {
                    list.extend(room.events.iter().map(event_json));
                }
            }
            json!({
                "index": d.index,
                "date": d.date,
                "day_start": d.start,
                "day_end": d.end,
                "rooms": rooms,
            })
        })
        .collect();
    conference.insert("days".into(), Value::Array(days));
    let document = json!({
        "$schema": SCHEMA_URL,
        "generator": {"name": GENERATOR, "version": env!("CARGO_PKG_VERSION")},
        "schedule": {
            "version": schedule.version,
            "conference": conference,
        },
    });
    serde_json::to_string_pretty(&document).expect("JSON values serialise") + "\n"
}

fn event_json(e: &EventOut) -> Value {
    json!({
        "guid": e.guid,
        "id": e.id,
        "date": e.date,
        "start": e.start,
        "end": e.end,
        "duration": e.duration,
        "room": e.room,
        "slug": e.slug,
        "url": e.url,
        "title": e.title,
        "subtitle": "",
        "track": if e.track.is_empty() { Value::Null } else { json!(e.track) },
        "type": e.kind,
        "language": "en",
        "abstract": e.abstract_,
        "description": e.description,
        "persons": e.persons.iter().map(|p| json!({"guid": p.guid, "name": p.name, "public_name": p.name})).collect::<Vec<_>>(),
        "links": [],
        "attachments": [],
    })
}

/// `schedule.xml`, in the shape of the c3voc XSD (pentabarf / frab).
pub fn xml(agenda: &Agenda<'_>) -> String {
    let schedule = Schedule::new(agenda);
    let c = &schedule.conference;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
    let _ = writeln!(
        out,
        "  <generator name=\"{GENERATOR}\" version=\"{}\"/>",
        escape(env!("CARGO_PKG_VERSION"))
    );
    element(&mut out, 1, "version", &schedule.version);
    out += "  <conference>\n";
    element(&mut out, 2, "acronym", &c.acronym);
    element(&mut out, 2, "title", &c.title);
    element(&mut out, 2, "start", &c.start);
    element(&mut out, 2, "end", &c.end);
    element(&mut out, 2, "days", &c.days_count.to_string());
    element(&mut out, 2, "timeslot_duration", &c.timeslot_duration);
    element(&mut out, 2, "time_zone_name", &c.time_zone_name);
    out += "  </conference>\n";
    for d in &schedule.days {
        let _ = write!(
            out,
            "  <day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\"",
            d.index,
            escape(&d.date),
            escape(&d.start),
            escape(&d.end)
        );
        if d.rooms.is_empty() {
            out += "/>\n";
            continue;
        }
        out += ">\n";
        for room in &d.rooms {
            let _ = writeln!(
                out,
                "    <room name=\"{}\" guid=\"{}\">",
                escape(&room.name),
                escape(&room.guid)
            );
            for e in &room.events {
                event_xml(&mut out, e);
            }
            out += "    </room>\n";
        }
        out += "  </day>\n";
    }
    out += "</schedule>\n";
    out
}

fn event_xml(out: &mut String, e: &EventOut) {
    let _ = writeln!(out, "      <event guid=\"{}\" id=\"{}\">", escape(&e.guid), e.id);
    for (name, value) in [
        ("date", e.date.as_str()),
        ("start", &e.start),
        ("duration", &e.duration),
        ("room", &e.room),
        ("slug", &e.slug),
        ("title", &e.title),
        ("subtitle", ""),
        ("track", &e.track),
        ("type", e.kind),
        ("language", "en"),
        ("abstract", &e.abstract_),
        ("description", &e.description),
    ] {
        element(out, 4, name, value);
    }
    if e.persons.is_empty() {
        out.push_str("        <persons/>\n");
    } else {
        out.push_str("        <persons>\n");
        for p in &e.persons {
            let _ = writeln!(
                out,
                "          <person guid=\"{}\">{}</person>",
                escape(&p.guid),
                escape_text(&p.name)
            );
        }
        out.push_str("        </persons>\n");
    }
    out.push_str("        <links/>\n        <attachments/>\n      </event>\n");
}

/// `<name>value</name>` on its own line, indented `depth` levels.
fn element(out: &mut String, depth: usize, name: &str, value: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{name}>{}</{name}>",
        "",
        escape_text(value),
        indent = depth * 2
    );
}

/// Text for XML content or a double-quoted attribute: the five special characters as
/// entities, carriage returns (and in attributes line breaks and tabs) as character
/// references so parsers keep them, and characters XML 1.0 cannot carry at all replaced by
/// U+FFFD.
pub(super) fn escape(text: &str) -> String {
    escape_xml(text, true)
}

/// Element content: like [`escape`], but line breaks and tabs stay as they are.
fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' if attribute => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Everything both files say, computed once.
struct Schedule {
    version: String,
    conference: Conference,
    /// Every room used on the agenda, largest first.
    rooms: Vec<RoomInfo>,
    days: Vec<DayOut>,
}

struct Conference {
    acronym: String,
    title: String,
    start: String,
    end: String,
    days_count: usize,
    timeslot_duration: String,
    time_zone_name: String,
}

struct RoomInfo {
    name: String,
    guid: String,
    capacity: u32,
}

struct DayOut {
    index: usize,
    date: String,
    start: String,
    end: String,
    rooms: Vec<RoomOut>,
}

struct RoomOut {
    name: String,
    guid: String,
    events: Vec<EventOut>,
}

struct EventOut {
    guid: String,
    id: u32,
    date: String,
    start: String,
    end: String,
    duration: String,
    room: String,
    slug: String,
    url: String,
    title: String,
    track: String,
    kind: &'static str,
    abstract_: String,
    description: String,
    persons: Vec<PersonOut>,
}

struct PersonOut {
    guid: String,
    name: String,
}

/// The UUIDv5 namespaces of one event: everything else is derived from its name.
struct Namespaces {
    sessions: Uuid,
    people: Uuid,
    rooms: Uuid,
    versions: Uuid,
}

impl Namespaces {
    fn new(agenda: &Agenda<'_>) -> Namespaces {
        let event = Uuid::new_v5(&Uuid::NAMESPACE_DNS, format!("{}.allhands", agenda.slug()).as_bytes());
        let sub = |name: &str| Uuid::new_v5(&event, name.as_bytes());
        Namespaces {
            sessions: sub("sessions"),
            people: sub("people"),
            rooms: sub("rooms"),
            versions: sub("versions"),
        }
    }
}

impl Schedule {
    fn new(agenda: &Agenda<'_>) -> Schedule {
        let event = agenda.event;
        let ns = Namespaces::new(agenda);
        let zone: Tz = event.info.timezone.tz();
        let acronym = acronym(&event.info.name);
        let ids = numeric_ids(event.sessions.iter().map(|s| s.id.as_str()), &ns.sessions);
        let at = |day: &Day, time: Time| agenda.utc(day, time).with_timezone(&zone);

        let mut all_days: Vec<&Day> = event.days.iter().collect();
        all_days.sort_by_key(|d| d.date);
        let dates = |d: Option<&&Day>| d.map(|d| d.date.to_string()).unwrap_or_default();
        let conference = Conference {
            acronym: acronym.clone(),
            title: agenda.title.clone(),
            start: dates(all_days.first()),
            end: dates(all_days.last()),
            days_count: all_days.len(),
            timeslot_duration: hhmm(timeslot(agenda)),
            time_zone_name: event.info.timezone.name().to_string(),
        };

        let mut rooms: Vec<RoomInfo> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut used: Vec<_> = agenda.items.iter().map(|i| i.room).collect();
        used.sort_by(Room::largest_first);
        for room in used {
            if seen.insert(room.id.as_str()) {
                rooms.push(RoomInfo {
                    name: room.name.clone(),
                    guid: Uuid::new_v5(&ns.rooms, room.id.as_bytes()).to_string(),
                    capacity: room.capacity,
                });
            }
        }

        let event_out = |item: &Item<'_>| {
            let s = item.session;
            let guid = Uuid::new_v5(&ns.sessions, s.id.as_bytes());
            let id = ids.get(s.id.as_str()).copied().unwrap_or_else(|| hashed_id(&guid));
            let start = at(item.day, item.span.start);
            let abstract_ = item.summary_lines().join("\n");
            let lines = item.description_lines();
            EventOut {
                guid: guid.to_string(),
                id,
                date: iso(&start),
                start: start.format("%H:%M").to_string(),
                end: iso(&agenda.end_utc(item).with_timezone(&zone)),
                duration: hhmm(item.span.minutes()),
                room: item.room.name.clone(),
                slug: slug(&acronym, id, &s.title),
                url: format!("urn:uuid:{guid}"),
                title: s.title.clone(),
                track: s.team.clone(),
                kind: match s.kind {
                    Kind::Planned => "discussion",
                    Kind::Adhoc => "ad-hoc",
                },
                abstract_,
                description: lines.join("\n"),
                persons: item
                    .required
                    .iter()
                    .map(|handle| PersonOut {
                        guid: Uuid::new_v5(&ns.people, handle.as_bytes()).to_string(),
                        name: handle.to_string(),
                    })
                    .collect(),
            }
        };

        let days = all_days
            .iter()
            .enumerate()
            .map(|(n, day)| {
                let items: Vec<&Item<'_>> = agenda.items.iter().filter(|i| i.day.id == day.id).collect();
                // A day runs from opening to closing, or longer if a session lies outside.
                let first = items.iter().map(|i| i.span.start).fold(day.opens, Time::min);
                let last = items.iter().map(|i| i.span.end).fold(day.closes, Time::max);
                let rooms = agenda
                    .rooms_on(day)
                    .into_iter()
                    .map(|room| RoomOut {
                        name: room.name.clone(),
                        guid: Uuid::new_v5(&ns.rooms, room.id.as_bytes()).to_string(),
                        events: items
                            .iter()
                            .filter(|i| i.room.id == room.id)
                            .map(|i| event_out(i))
                            .collect(),
                    })
                    .collect();
                DayOut {
                    index: n + 1,
                    date: day.date.to_string(),
                    start: iso(&at(day, first)),
                    end: iso(&at(day, last)),
                    rooms,
                }
            })
            .collect();

        let mut schedule = Schedule {
            version: String::new(),
            conference,
            rooms,
            days,
        };
        schedule.version = schedule.fingerprint(&ns.versions);
        schedule
    }

    /// A short version that changes whenever anything an app shows changes, and only then
    /// (apps use it to tell that the schedule was updated).
    fn fingerprint(&self, namespace: &Uuid) -> String {
        let mut text = format!("{}\n", self.conference.title);
        for day in &self.days {
            let _ = writeln!(text, "{} {} {}", day.date, day.start, day.end);
            for room in &day.rooms {
                for e in &room.events {
                    let people: Vec<&str> = e.persons.iter().map(|p| p.name.as_str()).collect();
                    let _ = writeln!(
                        text,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        e.guid,
                        e.date,
                        e.end,
                        e.room,
                        e.title,
                        e.track,
                        e.description,
                        people.join(",")
                    );
                }
            }
        }
        Uuid::new_v5(namespace, text.as_bytes()).simple().to_string()[..8].to_string()
    }
}

/// `2026-05-21T09:30:00+02:00`.
fn iso(t: &DateTime<Tz>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Minutes as `HH:MM`: 90 → `01:30`.
fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The grid apps draw: the largest step (a divisor of an hour) that every opening, closing,
/// start and end falls on. 15 minutes for the sample.
fn timeslot(agenda: &Agenda<'_>) -> u32 {
    let days = agenda.event.days.iter().flat_map(|d| [d.opens, d.closes]);
    let items = agenda.items.iter().flat_map(|i| [i.span.start, i.span.end]);
    let step = days.chain(items).fold(0, |g, t| gcd(g, t.minutes()));
    gcd(step, 60)
}

/// The conference acronym from the event name: its ASCII letters and digits, lowercase
/// ("Rust All Hands 2026" → `rustallhands2026`), at least four characters, so it matches the
/// schema's `^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$` and the XSD's `[a-z0-9_-]{4,}`.
fn acronym(name: &str) -> String {
    let letters: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match letters.len() {
        0 => "event".into(),
        1..=3 => format!("{letters}_event"),
        _ => letters,
    }
}

/// `rustallhands2026-12-const-traits-open-design-questions`: matches both the schema's
/// `^[a-z0-9_-]+[a-z0-9]$` and the XSD's `[a-z0-9_]{4,}-[a-z0-9\-_]{4,}` (a title with fewer
/// than two ASCII letters or digits gets `session` added).
fn slug(acronym: &str, id: u32, title: &str) -> String {
    let title = super::slug(title, SLUG_TITLE_MAX);
    let title = match title.len() {
        0 => "session".to_string(),
        1 => format!("{title}-session"),
        _ => title,
    };
    format!("{acronym}-{id}-{title}")
}

/// The number in a session id: `S012` → 12 (letters, then at most nine digits, not zero).
fn number_in(session_id: &str) -> Option<u32> {
    let digits = session_id.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n >= 1)
}

/// An id from a session's guid, for a session id without a usable number: between one and
/// two thousand million, so never one of the numbered ids and still a 32-bit signed integer.
fn hashed_id(guid: &Uuid) -> u32 {
    let b = guid.as_bytes();
    1_000_000_000 + u32::from_be_bytes([b[0], b[1], b[2], b[3]]) % 1_000_000_000
}

/// Every session's numeric id, unique over the whole event (not just the agenda, so a filter
/// never changes one): the number in its id when no other session id has the same number
/// (`S1` and `S01`), else one from its guid (the next free one if two guids meet).
fn numeric_ids<'a>(session_ids: impl Iterator<Item = &'a str>, namespace: &Uuid) -> HashMap<&'a str, u32> {
    let mut session_ids: Vec<&str> = session_ids.collect();
    session_ids.sort_unstable();
    session_ids.dedup();
    let mut count: HashMap<u32, usize> = HashMap::new();
    for id in &session_ids {
        if let Some(n) = number_in(id) {
            *count.entry(n).or_default() += 1;
        }
    }
    let mut ids = HashMap::new();
    let mut taken: HashSet<u32> = HashSet::new();
    let mut rest = Vec::new();
    for id in session_ids {
        match number_in(id) {
            Some(n) if count[&n] == 1 => {
                ids.insert(id, n);
                taken.insert(n);
            }
            _ => rest.push(id),
        }
    }
    for id in rest {
        let mut n = hashed_id(&Uuid::new_v5(namespace, id.as_bytes()));
        while !taken.insert(n) {
            n = if n == 1_999_999_999 { 1_000_000_000 } else { n + 1 };
        }
        ids.insert(id, n);
    }
    ids
}

/// Whether the schema's `time_zone_name` pattern `^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$` (a
/// search, not a full match) accepts `name`.
fn time_zone_fits_schema(name: &str) -> bool {
    let word = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.next().is_some_and(|c| c.is_ascii_lowercase())
    };
    let region = name
        .split_once('/')
        .is_some_and(|(area, rest)| word(area) && area[1..].chars().all(|c| c.is_ascii_lowercase()) && word(rest));
    region || name.ends_with("UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's acronym pattern without its optional `-2026-suffix` part, by hand.
    fn acronym_fits(a: &str) -> bool {
        let word = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
        let mut chars = a.chars();
        chars.next().is_some_and(|c| word(c) || c == '-') && chars.clone().count() >= 3 && chars.all(word)
    }

    #[test]
    fn acronym_from_the_event_name() {
        assert_eq!(acronym("Rust All Hands 2026"), "rustallhands2026");
        assert_eq!(acronym("RAH"), "rah_event");
        assert_eq!(acronym("Ünïcødé – 日本"), "ncd_event");
        assert_eq!(acronym("日本"), "event");
        for name in ["Rust All Hands 2026", "RAH", "x", "", "日本", "A-B", "rust_conf 2027!"] {
            assert!(acronym_fits(&acronym(name)), "{name:?} → {:?}", acronym(name));
        }
        assert!(!acronym_fits("rah"), "the checker itself rejects short ones");
        assert!(!acronym_fits("rust-all-hands"), "and hyphens inside");
    }

    #[test]
    fn slugs_fit_both_schemas() {
        assert_eq!(
            slug("rustallhands2026", 12, "Const traits: open design questions"),
            "rustallhands2026-12-const-traits-open-design-questions"
        );
        assert_eq!(slug("rustallhands2026", 3, "日本"), "rustallhands2026-3-session");
        assert_eq!(slug("rustallhands2026", 3, "Ä"), "rustallhands2026-3-session");
        assert_eq!(slug("rustallhands2026", 3, "C"), "rustallhands2026-3-c-session");
        assert_eq!(slug("rustallhands2026", 3, "--Hi!--"), "rustallhands2026-3-hi");
        assert_eq!(
            slug(
                "rustallhands2026",
                28,
                "Leadership Council Q&A: \"What does the Council actually do?\""
            ),
            "rustallhands2026-28-leadership-council-q-a-what-does-the-council"
        );
        assert_eq!(crate::render::slug("abcdef ghij", 6), "abcdef");
        assert_eq!(
            crate::render::slug("abcdefghij", 6),
            "abcdef",
            "one long word is cut inside"
        );
        assert_eq!(crate::render::slug("abc defghij", 6), "abc");
        let long = slug("rustallhands2026", 1, &"word ".repeat(40));
        assert!(long.len() <= "rustallhands2026-1-".len() + SLUG_TITLE_MAX, "{long}");
        assert!(!long.ends_with('-'));
        for s in [&long, &slug("abcd", 7, "?")] {
            let (acr, rest) = s.split_once('-').unwrap();
            assert!(acr.len() >= 4 && rest.len() >= 4, "{s}");
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
            assert!(s.as_bytes().last().unwrap().is_ascii_alphanumeric());
        }
    }

    #[test]
    fn ids_from_session_numbers_and_unique() {
        assert_eq!(number_in("S012"), Some(12));
        assert_eq!(number_in("S1"), Some(1));
        assert_eq!(number_in("42"), Some(42));
        assert_eq!(number_in("S000"), None);
        assert_eq!(number_in("S12a"), None);
        assert_eq!(number_in("workshop"), None);
        assert_eq!(number_in("S1234567890"), None);
        let ns = Uuid::new_v5(&Uuid::NAMESPACE_DNS, b"test");
        let ids = numeric_ids(["S001", "S012", "S1", "S01", "talk", "S000"].into_iter(), &ns);
        for shared in ["S001", "S01", "S1"] {
            assert!(ids[shared] >= 1_000_000_000, "{shared} shares the number 1: {ids:?}");
        }
        assert_eq!(ids["S012"], 12);
        assert!(ids["talk"] >= 1_000_000_000 && ids["talk"] < 2_000_000_000);
        let unique: HashSet<u32> = ids.values().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        let again = numeric_ids(["talk", "S012"].into_iter(), &ns);
        assert_eq!(again["talk"], ids["talk"], "a hashed id depends only on the session id");
        assert!(ids.values().all(|&n| n >= 1 && n <= i32::MAX as u32));
    }

    #[test]
    fn durations_and_timeslots() {
        assert_eq!(hhmm(90), "01:30");
        assert_eq!(hhmm(45), "00:45");
        assert_eq!(hhmm(600), "10:00");
        assert_eq!(gcd(gcd(0, 570), 90), 30);
        assert_eq!(gcd(gcd(0, 0), 60), 60);
        assert_eq!(gcd(gcd(gcd(0, 540), 945), 60), 15);
    }

    #[test]
    fn time_zones_the_schema_accepts() {
        assert!(time_zone_fits_schema("Europe/Amsterdam"));
        assert!(time_zone_fits_schema("America/New_York"));
        assert!(time_zone_fits_schema("UTC"));
        assert!(time_zone_fits_schema("Etc/UTC"));
        assert!(!time_zone_fits_schema("Etc/GMT+1"));
        assert!(!time_zone_fits_schema("EST5EDT"));
        assert!(!time_zone_fits_schema("europe/amsterdam"));
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            escape(r#"a & <b> "c" 'd'"#),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
        assert_eq!(escape("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
        assert_eq!(escape_text("x\ny\tz\r<"), "x\ny\tz&#13;&lt;");
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(escape("日本 ✓"), "日本 ✓");
    }
}
