//! Why a session cannot go anywhere: for each slot, the rule that rules it out, grouped into a
//! few lines an organizer can act on ("fri, sat: may only be on thu; thu 16:00: no free room
//! with video for 40").

use std::collections::BTreeMap;

use super::rules::{self, Conflict, Index, Rule};
use super::{Event, Placement, Session, Slot, Span};

/// What keeps `session` out of each slot of the event, as it stands, one line per reason with
/// the slots it applies to (a whole day named once when it applies to all of that day's
/// slots). Empty when some slot and room would take it.
pub fn why_not_placed(event: &Event, session: &Session) -> Vec<String> {
    if let Some(missing) = event.features_no_room_has(&session.needs).first() {
        return vec![format!("no room has '{missing}'")];
    }
    let index = Index::new(event);
    // Reason → slots it rules out, in event order.
    let mut reasons: BTreeMap<String, Vec<&Slot>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for slot in &event.slots {
        let Some(reason) = slot_reason(event, &index, session, slot) else {
            return Vec::new();
        };
        if !reasons.contains_key(&reason) {
            order.push(reason.clone());
        }
        reasons.entry(reason).or_default().push(slot);
    }
    order
        .into_iter()
        .map(|reason| format!("{}: {reason}", slot_list(event, &reasons[&reason])))
        .collect()
}

/// The first reason `session` cannot be in `slot`, or `None` when some room takes it.
fn slot_reason(event: &Event, index: &Index<'_>, session: &Session, slot: &Slot) -> Option<String> {
    let Some(end) = slot.start.plus(session.duration).filter(|end| *end <= slot.end) else {
        return Some(format!("shorter than its {} min", session.duration));
    };
    let span = Span::new(slot.start, end);
    let mut room_problem = None;
    for room in &event.rooms {
        let at = Placement {
            day: &slot.day,
            span,
            room: &room.id,
        };
        // Its own current place does not count against it.
        let conflicts: Vec<Conflict> = rules::conflicts_at(index, session, at)
            .into_iter()
            .filter(|c| c.other.as_deref() != Some(session.id.as_str()))
            .collect();
        if conflicts.is_empty() {
            return None;
        }
        // The session's own wishes first (they rule out whole days), then what others do.
        let first = [
            Rule::TimeConstraint,
            Rule::OpeningHours,
            Rule::PlenaryOverlap,
            Rule::KeptApart,
            Rule::PersonAbsent,
            Rule::PersonDoubleBooked,
        ]
        .iter()
        .find_map(|rule| conflicts.iter().find(|c| c.rule == *rule));
        if let Some(c) = first {
            return Some(short(index, session, c));
        }
        room_problem.get_or_insert(());
    }
    let needs = if session.needs.is_empty() {
        String::new()
    } else {
        format!(" with {}", session.needs.join(", "))
    };
    let people = index.headcount_at(session, Some((&slot.day, span)));
    Some(match room_problem {
        Some(()) => format!("no free room{needs} for {people}"),
        None => "there are no rooms".to_string(),
    })
}

/// A conflict in a few words, without the session's own name.
fn short(index: &Index<'_>, session: &Session, c: &Conflict) -> String {
    let other = || {
        c.other
            .as_deref()
            .and_then(|id| index.session(id))
            .map_or_else(String::new, |s| s.label())
    };
    let who = c.handle.as_deref().unwrap_or("someone");
    match c.rule {
        // "S012 'X' may only be on thu, not fri 09:30-10:30" → "may only be on thu".
        Rule::TimeConstraint => {
            let without_label = c.message.trim_start_matches(&format!("{} ", session.label()));
            without_label
                .split(", not ")
                .next()
                .unwrap_or(without_label)
                .to_string()
        }
        Rule::PersonAbsent => format!("{who} is not there"),
        Rule::PersonDoubleBooked => format!("{who} is required at {}", other()),
        Rule::PlenaryOverlap => format!("the plenary {}", other()),
        Rule::KeptApart => format!("kept apart from {}", other()),
        Rule::OpeningHours => "outside opening hours".to_string(),
        _ => c.message.clone(),
    }
}

/// `fri, sat` for whole days, `thu 09:30, thu 14:00` for single slots.
fn slot_list(event: &Event, slots: &[&Slot]) -> String {
    let mut parts = Vec::new();
    for day in &event.days {
        let of_day = event.slots.iter().filter(|s| s.day == day.id).count();
        let here: Vec<&&Slot> = slots.iter().filter(|s| s.day == day.id).collect();
        if here.is_empty() {
            continue;
        }
        if here.len() == of_day && of_day > 1 {
            parts.push(day.id.clone());
        } else {
            parts.extend(here.iter().map(|s| format!("{} {}", s.day, s.start)));
        }
    }
    parts.join(", ")
}
