//! Integrity problems: what makes the data inconsistent regardless of the schedule's rules
//! (duplicate keys, references to nothing, slots that make no sense, people with no days).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::Event;

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

fn duplicates(found: &mut Vec<Problem>, file: &'static str, what: &str, keys: impl Iterator<Item = (String, u64)>) {
    let mut first: HashMap<String, u64> = HashMap::new();
    for (key, line) in keys {
        match first.get(&key) {
            Some(&earlier) => found.push(Problem {
                kind: "duplicate-key",
                file,
                line,
                message: format!("{what} '{key}' appears again (first on line {earlier})"),
            }),
            None => {
                first.insert(key, line);
            }
        }
    }
}

/// Every integrity problem in the event, in file order.
pub fn problems(event: &Event) -> Vec<Problem> {
    let mut found = Vec::new();
    let problem = |kind, file, line, message: String| Problem {
        kind,
        file,
        line,
        message,
    };

    duplicates(
        &mut found,
        "days.csv",
        "day",
        event.days.iter().map(|d| (d.day.clone(), d.line)),
    );
    duplicates(
        &mut found,
        "slots.csv",
        "slot",
        event.slots.iter().map(|s| (format!("{} {}", s.day, s.start), s.line)),
    );
    duplicates(
        &mut found,
        "attendees.csv",
        "handle",
        event.attendees.iter().map(|a| (a.handle.clone(), a.line)),
    );
    duplicates(
        &mut found,
        "rooms.csv",
        "room",
        event.rooms.iter().map(|r| (r.id.clone(), r.line)),
    );
    duplicates(
        &mut found,
        "sessions.csv",
        "session",
        event.sessions.iter().map(|s| (s.id.clone(), s.line)),
    );
    duplicates(
        &mut found,
        "participants.csv",
        "participant",
        event
            .participants
            .iter()
            .map(|p| (format!("{} {}", p.session, p.handle), p.line)),
    );

    // Slots: on a known day, inside its opening hours, not overlapping each other.
    for (i, slot) in event.slots.iter().enumerate() {
        let Some(day) = event.day(&slot.day) else {
            found.push(problem(
                "unknown-day",
                "slots.csv",
                slot.line,
                format!("slot on unknown day '{}'", slot.day),
            ));
            continue;
        };
        if !day.hours().contains(slot.span()) {
            found.push(problem(
                "slot-outside-hours",
                "slots.csv",
                slot.line,
                format!(
                    "slot {} {} is outside {}'s opening hours {}",
                    slot.day,
                    slot.span(),
                    day.day,
                    day.hours()
                ),
            ));
        }
        for other in &event.slots[i + 1..] {
            if other.day == slot.day && other.span().overlaps(slot.span()) && other.start != slot.start {
                found.push(problem(
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

    // People: at the event on at least one known day.
    for person in &event.attendees {
        if person.days.is_empty() {
            found.push(problem(
                "no-days",
                "attendees.csv",
                person.line,
                format!("{} attends no day", person.handle),
            ));
        }
        for day in person.days.iter().filter(|d| event.day(d).is_none()) {
            found.push(problem(
                "unknown-day",
                "attendees.csv",
                person.line,
                format!("{} attends unknown day '{day}'", person.handle),
            ));
        }
    }

    // Sessions: fully placed or not at all; able to fit some slot.
    let longest_slot = event.slots.iter().map(|s| s.span().minutes()).max();
    for session in &event.sessions {
        let set = [session.day.is_some(), session.start.is_some(), session.room.is_some()];
        if set.iter().any(|x| *x) && !set.iter().all(|x| *x) {
            found.push(problem(
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
            found.push(problem(
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

    // Participants: a known session and a known person.
    let sessions: HashSet<&str> = event.sessions.iter().map(|s| s.id.as_str()).collect();
    let people: HashSet<&str> = event.attendees.iter().map(|a| a.handle.as_str()).collect();
    for p in &event.participants {
        if !sessions.contains(p.session.as_str()) {
            found.push(problem(
                "unknown-session",
                "participants.csv",
                p.line,
                format!("{} is tied to unknown session '{}'", p.handle, p.session),
            ));
        }
        if !people.contains(p.handle.as_str()) {
            found.push(problem(
                "unknown-attendee",
                "participants.csv",
                p.line,
                format!("session {} names unknown attendee '{}'", p.session, p.handle),
            ));
        }
    }
    found
}
