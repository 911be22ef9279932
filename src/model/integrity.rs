//! Integrity problems: what makes the data inconsistent regardless of the schedule's rules
//! (duplicate keys, references to nothing, slots that make no sense, people with no days).

use std::hash::{BuildHasher, Hash, Hasher};

use rustc_hash::{FxBuildHasher, FxHasher};

use serde::Serialize;

use super::rules::Index;
use super::{Event, identity, lowercase};

/// One integrity problem, located in a file and line where there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A short kebab-case name, stable for scripts: `duplicate-key`, `unknown-session`, ...
    pub kind: &'static str,
    pub file: &'static str,
    /// 0 when the record was not read from a file.
    pub line: u64,
    pub message: String,
}

impl Problem {
    fn new(kind: &'static str, file: &'static str, line: u64, message: String) -> Problem {
        Problem {
            kind,
            file,
            line,
            message,
        }
    }
}

/// Reports every repeated key among `keys` (each with its line): each later one (by line)
/// against the first. Sorting finds them; callers with many records pass only those the index
/// found repeated.
fn duplicates<K: Ord + std::fmt::Display>(
    found: &mut Vec<Problem>,
    file: &'static str,
    what: &str,
    keys: impl Iterator<Item = (K, u64)>,
) {
    let mut keys: Vec<(K, u64)> = keys.collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    // Equal keys sit together, the first line first: report each later one against it.
    let mut first = 0;
    for i in 1..keys.len() {
        if keys[i].0 != keys[first].0 {
            first = i;
            continue;
        }
        found.push(Problem {
            kind: "duplicate-key",
            file,
            line: keys[i].1,
            message: format!("{what} '{}' appears again (first on line {})", keys[i].0, keys[first].1),
        });
    }
}

/// The records of `repeats` (a later record and the first with its key, by position), each
/// once, in order: every record whose key another record has.
fn sharing_a_key(repeats: impl Iterator<Item = (usize, usize)>) -> Vec<usize> {
    let mut records: Vec<usize> = repeats.flat_map(|(later, first)| [first, later]).collect();
    records.sort_unstable();
    records.dedup();
    records
}

/// Keys that differ but compare equal after normalisation and case folding, or look alike
/// (`alice` and Cyrillic `аlice`): each later one is reported against the first.
fn look_alikes<'k>(
    found: &mut Vec<Problem>,
    file: &'static str,
    what: &str,
    keys: impl Iterator<Item = (&'k str, u64)>,
) {
    let keys: Vec<(&str, u64)> = keys.collect();
    for form in [Form::Key, Form::Look] {
        // Only keys whose form another key has can be alike: hashing the forms (without
        // writing them out) finds those few among 10,000 handles, and only they are sorted
        // by form, which puts alikes together.
        let mut hashes: Vec<(u64, u32)> = keys
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (form.hash(k), i as u32))
            .collect();
        hashes.sort_unstable();
        let mut forms: Vec<(String, usize)> = hashes
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|same| same.len() > 1)
            .flatten()
            .map(|&(_, i)| (form.of(keys[i as usize].0), i as usize))
            .collect();
        forms.sort_unstable();
        for pair in forms.windows(2) {
            let ((fa, a), (fb, b)) = (&pair[0], &pair[1]);
            let ((ka, la), (kb, lb)) = (&keys[*a], &keys[*b]);
            if fa != fb || ka == kb {
                continue;
            }
            let message = format!("{what} '{kb}' looks like {what} '{ka}' (line {la}); one person or thing, two keys?");
            // Found by both comparisons: report it once.
            if !found
                .iter()
                .any(|p| p.file == file && p.line == *lb && p.message == message)
            {
                found.push(Problem {
                    kind: "look-alike-key",
                    file,
                    line: *lb,
                    message,
                });
            }
        }
    }
}

/// A form keys are compared in by [`look_alikes`].
#[derive(Clone, Copy)]
enum Form {
    /// [`identity::key_form`].
    Key,
    /// [`identity::look`].
    Look,
}

impl Form {
    fn of(self, key: &str) -> String {
        match self {
            Form::Key => identity::key_form(key),
            Form::Look => identity::look(key),
        }
    }

    /// A hash of [`Form::of`], byte by byte; for an ASCII key (nearly all) without writing the
    /// form out: its key form is its lower case, its look its characters' looks in a row.
    fn hash(self, key: &str) -> u64 {
        let mut hasher = FxHasher::default();
        match self {
            _ if !key.is_ascii() => self.of(key).bytes().for_each(|b| hasher.write_u8(b)),
            Form::Key => key.bytes().for_each(|b| hasher.write_u8(b.to_ascii_lowercase())),
            Form::Look => {
                let looks = ascii_looks();
                for b in key.bytes() {
                    looks[usize::from(b)].bytes().for_each(|c| hasher.write_u8(c));
                }
            }
        }
        hasher.finish()
    }
}

/// The look of each ASCII character, by its code.
fn ascii_looks() -> &'static [String; 128] {
    static LOOKS: std::sync::OnceLock<[String; 128]> = std::sync::OnceLock::new();
    LOOKS.get_or_init(|| std::array::from_fn(|code| identity::look(&char::from(code as u8).to_string())))
}

/// A record as a report names it: its key and its line.
type Named<'a> = (&'a str, u64);

/// Records that share a value (a date, an email): each later one (by line) with the first.
fn shared<'a, V: Ord + Clone + Hash>(items: impl Iterator<Item = (V, &'a str, u64)>) -> Vec<(V, Named<'a>, Named<'a>)> {
    let items: Vec<(V, &str, u64)> = items.collect();
    // Only values another item has matter: hashes find those (10,000 emails), and only they
    // are sorted by value.
    let mut hashes: Vec<(u64, u32)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (FxBuildHasher.hash_one(&item.0), i as u32))
        .collect();
    hashes.sort_unstable();
    let mut sharing: Vec<u32> = hashes
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|same| same.len() > 1)
        .flatten()
        .map(|&(_, i)| i)
        .collect();
    // In their first order, which the stable sort below keeps for equal lines.
    sharing.sort_unstable();
    let mut items: Vec<(V, &str, u64)> = sharing.iter().map(|&i| items[i as usize].clone()).collect();
    items.sort_by(|a, b| (&a.0, a.2).cmp(&(&b.0, b.2)));
    let mut out = Vec::new();
    let mut first = 0;
    for i in 1..items.len() {
        if items[i].0 != items[first].0 {
            first = i;
        } else {
            out.push((
                items[i].0.clone(),
                (items[i].1, items[i].2),
                (items[first].1, items[first].2),
            ));
        }
    }
    out
}

/// A two-part key (`S012 alice`), compared without building a string.
#[derive(PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Pair<'a>(&'a str, &'a str);

impl std::fmt::Display for Pair<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

/// The problems of slots.csv alone (repeated slots, unknown days, outside opening hours,
/// overlapping slots): what `plan` must refuse, without checking the whole event.
pub fn slot_problems(event: &Event) -> Vec<Problem> {
    let mut found = Vec::new();
    slot_duplicates(&mut found, event);
    slot_checks(&mut found, event);
    found
}

fn slot_duplicates(found: &mut Vec<Problem>, event: &Event) {
    duplicates(
        found,
        "slots.csv",
        "slot",
        event.slots.iter().map(|s| (format!("{} {}", s.day, s.start), s.line)),
    );
}

fn slot_checks(found: &mut Vec<Problem>, event: &Event) {
    // Slots: on a known day, inside its opening hours, not overlapping each other.
    for (i, slot) in event.slots.iter().enumerate() {
        let Some(day) = event.day(&slot.day) else {
            found.push(Problem::new(
                "unknown-day",
                "slots.csv",
                slot.line,
                format!("slot on unknown day '{}'", slot.day),
            ));
            continue;
        };
        if !day.hours().contains(slot.span()) {
            found.push(Problem::new(
                "slot-outside-hours",
                "slots.csv",
                slot.line,
                format!(
                    "slot {} {} is outside {}'s opening hours {}",
                    slot.day,
                    slot.span(),
                    day.id,
                    day.hours()
                ),
            ));
        }
        for other in &event.slots[i + 1..] {
            if other.day == slot.day && other.span().overlaps(slot.span()) && other.start != slot.start {
                found.push(Problem::new(
                    "slots-overlap",
                    "slots.csv",
                    other.line,
                    format!(
                        "slot {} {} overlaps slot {} (line {})",
                        other.day,
                        other.span(),
                        slot.span(),
                        slot.line
                    ),
                ));
            }
        }
    }
}

/// Every integrity problem in the event, a check per file (`check` orders them by file and
/// line).
pub fn problems(event: &Event) -> Vec<Problem> {
    problems_in(&Index::new(event))
}

/// [`problems`] with an index already built: its numbering finds repeated keys and rows that
/// name nothing.
pub fn problems_in(index: &Index<'_>) -> Vec<Problem> {
    let event = index.event();
    let mut found = Vec::new();
    day_problems(&mut found, event);
    found.extend(slot_problems(event));
    attendee_problems(&mut found, index);
    room_problems(&mut found, event);
    session_problems(&mut found, index);
    participant_problems(&mut found, index);
    found
}

/// days.csv: one id and one date per day.
fn day_problems(found: &mut Vec<Problem>, event: &Event) {
    duplicates(
        found,
        "days.csv",
        "day",
        event.days.iter().map(|d| (d.id.as_str(), d.line)),
    );
    // Two days on one date would put two sessions in one room at the same moment.
    let dates = event.days.iter().map(|d| (d.date, d.id.as_str(), d.line));
    for (date, (day, line), (first, first_line)) in shared(dates) {
        let message =
            format!("day '{day}' has the date {date} of day '{first}' (line {first_line}): one date, one day");
        found.push(Problem::new("duplicate-date", "days.csv", line, message));
    }
}

/// attendees.csv: one record per GitHub username, nobody mistakable for another, one email
/// per person, at the event on known days.
fn attendee_problems(found: &mut Vec<Problem>, index: &Index<'_>) {
    let event = index.event();
    duplicates(
        found,
        "attendees.csv",
        "handle",
        sharing_a_key(index.repeated_handles())
            .into_iter()
            .map(|r| (event.attendees[r].handle.as_str(), event.attendees[r].line)),
    );
    // Handles are GitHub usernames: never an email address or any other text.
    for a in &event.attendees {
        if let Err(message) = identity::validate_handle(&a.handle) {
            found.push(Problem::new("bad-handle", "attendees.csv", a.line, message));
        }
    }
    look_alikes(
        found,
        "attendees.csv",
        "handle",
        event.attendees.iter().map(|a| (a.handle.as_str(), a.line)),
    );
    // One email, two people: a form row that updated the wrong person, or a duplicate.
    let emails = event
        .attendees
        .iter()
        .filter(|a| !a.email.trim().is_empty())
        .map(|a| (lowercase(a.email.trim()), a.handle.as_str(), a.line));
    for (_, (handle, line), (first, first_line)) in shared(emails) {
        let message = format!("'{handle}' has the email of '{first}' (line {first_line})");
        found.push(Problem::new("shared-email", "attendees.csv", line, message));
    }

    // People: at the event on at least one known day.
    for person in &event.attendees {
        if person.days.is_empty() {
            found.push(Problem::new(
                "no-days",
                "attendees.csv",
                person.line,
                format!("{} attends no day", person.handle),
            ));
        }
        for day in person.days.iter().filter(|d| !index.is_event_day(d)) {
            found.push(Problem::new(
                "unknown-day",
                "attendees.csv",
                person.line,
                format!("{} attends unknown day '{day}'", person.handle),
            ));
        }
    }
}

/// rooms.csv: one record per id, none mistakable for another.
fn room_problems(found: &mut Vec<Problem>, event: &Event) {
    duplicates(
        found,
        "rooms.csv",
        "room",
        event.rooms.iter().map(|r| (r.id.as_str(), r.line)),
    );
    look_alikes(
        found,
        "rooms.csv",
        "room",
        event.rooms.iter().map(|r| (r.id.as_str(), r.line)),
    );
}

/// sessions.csv: one record per id, none mistakable for another, placed fully or not at all,
/// able to fit a slot, and naming only teams, days and sessions that exist.
fn session_problems(found: &mut Vec<Problem>, index: &Index<'_>) {
    let event = index.event();
    duplicates(
        found,
        "sessions.csv",
        "session",
        sharing_a_key(index.repeated_ids())
            .into_iter()
            .map(|r| (event.sessions[r].id.as_str(), event.sessions[r].line)),
    );
    look_alikes(
        found,
        "sessions.csv",
        "session",
        event.sessions.iter().map(|s| (s.id.as_str(), s.line)),
    );
    // Sessions: fully placed or not at all; able to fit some slot.
    let longest_slot = event.slots.iter().map(|s| s.span().minutes()).max();
    for session in &event.sessions {
        if session.is_partly_scheduled() {
            found.push(Problem::new(
                "partly-scheduled",
                "sessions.csv",
                session.line,
                format!(
                    "{} has only some of day, start and room set; it counts as unscheduled",
                    session.label()
                ),
            ));
        }
        if let Some(longest) = longest_slot
            && !session.is_scheduled()
            && session.duration > longest
        {
            found.push(Problem::new(
                "longer-than-slots",
                "sessions.csv",
                session.line,
                format!(
                    "{} lasts {} min, longer than any slot ({longest} min)",
                    session.label(),
                    session.duration
                ),
            ));
        }
    }

    // Sessions' audiences and constraints name things that exist.
    // Session ids without case, sorted, for the few sessions kept apart from others.
    let mut ids: Vec<String> = Vec::new();
    if event.sessions.iter().any(|s| !s.apart.is_empty()) {
        ids = event.sessions.iter().map(|s| s.id.to_lowercase()).collect();
        ids.sort_unstable();
    }
    for session in &event.sessions {
        let mut report = |kind, message: String| found.push(Problem::new(kind, "sessions.csv", session.line, message));
        for team in session
            .audience
            .iter()
            .filter(|t| !t.eq_ignore_ascii_case(super::EVERYONE))
        {
            if !index.has_team(team) {
                report(
                    "unknown-team",
                    format!(
                        "{} has audience team '{team}', which nobody is a member of",
                        session.label()
                    ),
                );
            }
        }
        let preferred_day = match &session.prefer {
            Some(super::Preference::Day(day)) => Some(day),
            _ => None,
        };
        for day in session.days.iter().chain(preferred_day) {
            if event.day(day).is_none() {
                report("unknown-day", format!("{} names unknown day '{day}'", session.label()));
            }
        }
        if let (Some(from), Some(to)) = (session.not_before, session.not_after)
            && from.plus(session.duration).is_none_or(|end| end > to)
        {
            report(
                "impossible-constraint",
                format!(
                    "{} cannot fit between {from} and {to} ({} min)",
                    session.label(),
                    session.duration
                ),
            );
        }
        for other in &session.apart {
            if ids.binary_search(&other.to_lowercase()).is_err() {
                report(
                    "unknown-session",
                    format!("{} is kept apart from unknown session '{other}'", session.label()),
                );
            } else if other.eq_ignore_ascii_case(&session.id) {
                report(
                    "apart-from-itself",
                    format!("{} is kept apart from itself", session.label()),
                );
            }
        }
    }
}

/// participants.csv: one tie per person and session, to a known session and person.
fn participant_problems(found: &mut Vec<Problem>, index: &Index<'_>) {
    let repeated = index.repeated_rows();
    if !repeated.is_empty() {
        let mut rows: Vec<&super::Participant> = repeated.iter().flat_map(|&(later, first)| [first, later]).collect();
        rows.sort_unstable_by_key(|p| std::ptr::from_ref(*p));
        rows.dedup_by_key(|p| std::ptr::from_ref(*p));
        duplicates(
            found,
            "participants.csv",
            "participant",
            rows.iter().map(|p| (Pair(&p.session, &p.handle), p.line)),
        );
    }
    // Participants: a known session and a known person.
    for p in index.stray_rows() {
        if index.session(&p.session).is_none() {
            found.push(Problem::new(
                "unknown-session",
                "participants.csv",
                p.line,
                format!("{} is tied to unknown session '{}'", p.handle, p.session),
            ));
        }
        if index.attendee(&p.handle).is_none() {
            found.push(Problem::new(
                "unknown-attendee",
                "participants.csv",
                p.line,
                format!("session {} names unknown attendee '{}'", p.session, p.handle),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attendee, EventInfo, Extra, Participant, Role, Status, Tie, Zone};

    /// Look-alikes as found before hashing narrowed them down: every form of every key sorted.
    fn alikes_by_sorting(keys: &[(&str, u64)]) -> Vec<(u64, String)> {
        let mut found: Vec<(u64, String)> = Vec::new();
        for by in [identity::key_form as fn(&str) -> String, identity::look] {
            let mut forms: Vec<(String, usize)> = keys.iter().enumerate().map(|(i, (k, _))| (by(k), i)).collect();
            forms.sort_unstable();
            for pair in forms.windows(2) {
                let ((fa, a), (fb, b)) = (&pair[0], &pair[1]);
                let ((ka, la), (kb, lb)) = (keys[*a], keys[*b]);
                let message = format!("key '{kb}' looks like key '{ka}' (line {la}); one person or thing, two keys?");
                if fa == fb && ka != kb && !found.contains(&(lb, message.clone())) {
                    found.push((lb, message));
                }
            }
        }
        found
    }

    #[test]
    fn hashing_finds_the_look_alikes_sorting_finds() {
        let keys = [
            "alice",
            "bob",
            "Alice",
            "aIice",
            "\u{430}lice",
            "ａlice",
            "rn",
            "m",
            "p00001",
            "al\u{200b}ice",
            "Bob",
            "x",
        ];
        let keys: Vec<(&str, u64)> = keys.iter().zip(2..).map(|(k, l)| (*k, l)).collect();
        let mut found = Vec::new();
        look_alikes(&mut found, "x.csv", "key", keys.iter().copied());
        let found: Vec<(u64, String)> = found.into_iter().map(|p| (p.line, p.message)).collect();
        assert_eq!(found, alikes_by_sorting(&keys));
        assert!(found.len() >= 6, "{found:?}");
    }

    #[test]
    fn repeated_rows_and_rows_naming_nothing_are_problems() {
        let info = EventInfo {
            name: "e".into(),
            location: String::new(),
            timezone: Zone(chrono_tz::UTC),
            extra: Extra::new(),
        };
        let mut event = Event::new(info, Vec::new(), Vec::new());
        let person = |h: &str, line, email: &str| {
            let mut a = Attendee::new(h.into(), h.into(), Role::Member, Status::Confirmed);
            (a.line, a.email) = (line, email.into());
            a
        };
        event.attendees = vec![
            person("ann", 2, "a@x.org"),
            person("ben", 3, "A@X.org"),
            person("ann", 4, ""),
        ];
        event.sessions = vec![super::super::Session::new(
            "S1".into(),
            "t".into(),
            super::super::Kind::Planned,
            String::new(),
            60,
        )];
        let row = |s: &str, h: &str, line| {
            let mut p = Participant::new(s, h, Tie::Interested);
            p.line = line;
            p
        };
        event.participants = vec![
            row("S1", "ann", 2),
            row("S2", "ann", 3),
            row("S1", "ann", 4),
            row("S1", "cid", 5),
            row("S1", "ann", 6),
        ];
        let found: Vec<(&str, u64, String)> = problems(&event)
            .into_iter()
            .filter(|p| p.kind != "no-days")
            .map(|p| (p.file, p.line, p.message))
            .collect();
        let expected = [
            ("attendees.csv", 4, "handle 'ann' appears again (first on line 2)"),
            ("attendees.csv", 3, "'ben' has the email of 'ann' (line 2)"),
            (
                "participants.csv",
                4,
                "participant 'S1 ann' appears again (first on line 2)",
            ),
            (
                "participants.csv",
                6,
                "participant 'S1 ann' appears again (first on line 2)",
            ),
            ("participants.csv", 3, "ann is tied to unknown session 'S2'"),
            ("participants.csv", 5, "session S1 names unknown attendee 'cid'"),
        ];
        assert_eq!(found, expected.map(|(f, l, m)| (f, l, m.to_string())));
    }

    #[test]
    fn every_repeat_names_the_first_line() {
        let mut found = Vec::new();
        let keys = [("a", 2), ("b", 3), ("a", 7), ("a", 5)].map(|(k, l)| (k, l as u64));
        duplicates(&mut found, "x.csv", "key", keys.into_iter());
        let lines: Vec<(u64, &str)> = found.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(
            lines,
            [
                (5, "key 'a' appears again (first on line 2)"),
                (7, "key 'a' appears again (first on line 2)")
            ]
        );
    }
}
