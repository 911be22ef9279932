//! Integrity problems: what makes the data inconsistent regardless of the schedule's rules
//! (duplicate keys, references to nothing, slots that make no sense, people with no days).

use rustc_hash::FxHashSet as HashSet;

use serde::Serialize;

use super::{Event, identity};

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

fn duplicates<K: Ord + std::hash::Hash + std::fmt::Display>(
    found: &mut Vec<Problem>,
    file: &'static str,
    what: &str,
    keys: impl Iterator<Item = (K, u64)> + Clone,
) {
    // Counting by hash finds the repeated keys in one pass (participants.csv can be 100k
    // rows); only their records are sorted, to report them in key order.
    let mut seen: rustc_hash::FxHashMap<K, u32> = rustc_hash::FxHashMap::default();
    seen.reserve(keys.size_hint().0);
    for (key, _) in keys.clone() {
        *seen.entry(key).or_default() += 1;
    }
    if seen.values().all(|&n| n == 1) {
        return;
    }
    let mut keys: Vec<(K, u64)> = keys.filter(|(k, _)| seen.get(k).is_some_and(|&n| n > 1)).collect();
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

/// Keys that differ but compare equal after normalisation and case folding, or look alike
/// (`alice` and Cyrillic `аlice`): each later one is reported against the first.
fn look_alikes(found: &mut Vec<Problem>, file: &'static str, what: &str, keys: impl Iterator<Item = (String, u64)>) {
    let keys: Vec<(String, u64)> = keys.collect();
    for by in [identity::key_form as fn(&str) -> String, identity::look] {
        // Sorting by the compared form puts alikes together (linear after the sort).
        let mut forms: Vec<(String, usize)> = keys.iter().enumerate().map(|(i, (k, _))| (by(k), i)).collect();
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

/// A record as a report names it: its key and its line.
type Named<'a> = (&'a str, u64);

/// Records that share a value (a date, an email): each later one (by line) with the first.
fn shared<'a, V: Ord + Clone>(items: impl Iterator<Item = (V, &'a str, u64)>) -> Vec<(V, Named<'a>, Named<'a>)> {
    let mut items: Vec<(V, &str, u64)> = items.collect();
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
    let mut found = Vec::new();
    day_problems(&mut found, event);
    found.extend(slot_problems(event));
    attendee_problems(&mut found, event);
    room_problems(&mut found, event);
    session_problems(&mut found, event);
    participant_problems(&mut found, event);
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
fn attendee_problems(found: &mut Vec<Problem>, event: &Event) {
    duplicates(
        found,
        "attendees.csv",
        "handle",
        event.attendees.iter().map(|a| (a.handle.as_str(), a.line)),
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
        event.attendees.iter().map(|a| (a.handle.clone(), a.line)),
    );
    // One email, two people: a form row that updated the wrong person, or a duplicate.
    let emails = event
        .attendees
        .iter()
        .filter(|a| !a.email.trim().is_empty())
        .map(|a| (a.email.trim().to_lowercase(), a.handle.as_str(), a.line));
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
        for day in person.days.iter().filter(|d| event.day(d).is_none()) {
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
        event.rooms.iter().map(|r| (r.id.clone(), r.line)),
    );
}

/// sessions.csv: one record per id, none mistakable for another, placed fully or not at all,
/// able to fit a slot, and naming only teams, days and sessions that exist.
fn session_problems(found: &mut Vec<Problem>, event: &Event) {
    duplicates(
        found,
        "sessions.csv",
        "session",
        event.sessions.iter().map(|s| (s.id.as_str(), s.line)),
    );
    look_alikes(
        found,
        "sessions.csv",
        "session",
        event.sessions.iter().map(|s| (s.id.clone(), s.line)),
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
    let teams: HashSet<String> = event
        .attendees
        .iter()
        .flat_map(|a| a.teams.iter().map(|t| t.to_lowercase()))
        .collect();
    let ids: HashSet<String> = event.sessions.iter().map(|s| s.id.to_lowercase()).collect();
    for session in &event.sessions {
        let mut report = |kind, message: String| found.push(Problem::new(kind, "sessions.csv", session.line, message));
        for team in session
            .audience
            .iter()
            .filter(|t| !t.eq_ignore_ascii_case(super::EVERYONE))
        {
            if !teams.contains(&team.to_lowercase()) {
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
            if !ids.contains(&other.to_lowercase()) {
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
fn participant_problems(found: &mut Vec<Problem>, event: &Event) {
    duplicates(
        found,
        "participants.csv",
        "participant",
        event.participants.iter().map(|p| (Pair(&p.session, &p.handle), p.line)),
    );
    // Participants: a known session and a known person.
    let sessions: HashSet<&str> = event.sessions.iter().map(|s| s.id.as_str()).collect();
    let people: HashSet<&str> = event.attendees.iter().map(|a| a.handle.as_str()).collect();
    for p in &event.participants {
        if !sessions.contains(p.session.as_str()) {
            found.push(Problem::new(
                "unknown-session",
                "participants.csv",
                p.line,
                format!("{} is tied to unknown session '{}'", p.handle, p.session),
            ));
        }
        if !people.contains(p.handle.as_str()) {
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
