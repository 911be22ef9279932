//! Proposals into sessions: one session per issue, found again by its `source` on a
//! re-import, which updates what the issue says and keeps everything else the organizer set.

use super::github::Issue;
use super::text::{self, Reading};
use super::{Note, one_line, quote};
use crate::model::{Attendee, EVERYONE, Event, Kind, Participant, Session, Tie, rules};

/// What happened to one proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Added,
    Updated,
    Unchanged,
    /// Closed without `S-scheduled` while a session came from it: reported, not deleted.
    Withdrawn,
    Skipped,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Added => "added",
            Action::Updated => "updated",
            Action::Unchanged => "unchanged",
            Action::Withdrawn => "withdrawn",
            Action::Skipped => "skipped",
        }
    }
}

/// One proposal's outcome, for the report.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// `#12`, or `line 5` of a spreadsheet.
    pub place: String,
    /// The session it made or updated, if any.
    pub session: Option<String>,
    pub title: String,
    pub action: Action,
    /// What was read and guessed (for a new session), what changed (for an update), and
    /// every problem.
    pub notes: Vec<Note>,
}

/// The default length of a proposal that does not say (or says in words allhands cannot read).
pub const DEFAULT_DURATION: u32 = 60;

/// Imports the proposals into `event`: new sessions for new issues, updates for known ones.
pub fn import(event: &mut Event, issues: &[Issue]) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for issue in issues {
        let (title, cleaned) = one_line(&issue.title);
        let (source, source_cleaned) = one_line(&issue.url);
        let mut outcome = Outcome {
            place: issue.place.clone(),
            session: None,
            title: title.clone(),
            action: Action::Skipped,
            notes: Vec::new(),
        };
        if cleaned {
            outcome.notes.push(Note::problem(format!(
                "the title had line breaks or control characters; cleaned from {}",
                quote(&issue.title)
            )));
        }
        if source_cleaned {
            outcome.notes.push(Note::problem(format!(
                "the link had control characters; cleaned from {}",
                quote(&issue.url)
            )));
        }
        let key = if source.is_empty() {
            title.to_lowercase()
        } else {
            source.clone()
        };
        if title.is_empty() {
            outcome.notes.push(Note::problem("no title"));
        } else if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            outcome
                .notes
                .push(Note::problem(format!("the same proposal as {first}; skipped")));
        } else {
            seen.push((key, issue.place.clone()));
            let existing = event.sessions.iter().position(|s| {
                if source.is_empty() {
                    s.source.is_empty() && s.title.eq_ignore_ascii_case(&title)
                } else {
                    s.source == source
                }
            });
            match existing {
                Some(at) if issue.withdrawn() => {
                    let id = event.sessions[at].id.clone();
                    outcome.action = Action::Withdrawn;
                    outcome.notes.push(Note::problem(format!(
                        "closed without S-scheduled: {id} is kept; `allhands remove-session {id}` if it is off"
                    )));
                    outcome.session = Some(id);
                }
                None if issue.withdrawn() => {
                    outcome
                        .notes
                        .push(Note::guess("closed without S-scheduled (withdrawn); not imported"));
                }
                _ => {
                    let reading = text::read(issue, event);
                    apply(event, existing, &title, &source, reading, &mut outcome);
                }
            }
        }
        outcomes.push(outcome);
    }
    outcomes
}

/// Makes or updates the session for one proposal.
fn apply(event: &mut Event, existing: Option<usize>, title: &str, source: &str, reading: Reading, out: &mut Outcome) {
    let before = existing.map(|at| event.sessions[at].clone());
    let mut session = before.clone().unwrap_or_else(|| {
        let mut s = Session::new(
            event.next_session_id(),
            title.to_string(),
            Kind::Planned,
            String::new(),
            DEFAULT_DURATION,
        );
        s.source = source.to_string();
        s
    });
    out.session = Some(session.id.clone());
    let mut notes = reading.found.clone();
    if reading.duration.is_none()
        && let Some(first) = notes.first_mut()
    {
        first.text += &match before {
            Some(_) => format!("; kept at {}", session.duration),
            None => format!("; the default {DEFAULT_DURATION} used"),
        };
    }
    // People who declined the event are never required (and cannot make a time impossible).
    let mut named = Vec::new();
    for person in &reading.required {
        match event.attendee(person) {
            Some(a) if a.status == crate::model::Status::Declined => {
                notes.push(Note::problem(format!("{person} has declined the event; not required")));
            }
            _ => named.push(person.clone()),
        }
    }
    session.title = title.to_string();
    session.source = source.to_string();
    if let Some(minutes) = reading.duration {
        session.duration = minutes;
    }
    if session.team.is_empty()
        && let Some(team) = reading.team.clone().or_else(|| {
            reading
                .audience
                .iter()
                .find(|t| !t.eq_ignore_ascii_case(EVERYONE))
                .cloned()
        })
    {
        session.team = team;
    }
    for need in &reading.needs {
        if !session.needs.iter().any(|n| n.eq_ignore_ascii_case(need)) {
            session.needs.push(need.clone());
        }
    }
    session.needs.sort();
    if reading.audience.iter().any(|t| t == EVERYONE) {
        session.audience = vec![EVERYONE.to_string()];
    } else if !session.is_plenary() {
        for team in &reading.audience {
            if !session.draws_team(team) {
                session.audience.push(team.clone());
            }
        }
    }
    if let Some(text) = &reading.notes
        && !session.notes.contains(text.as_str())
    {
        session.notes = if session.notes.is_empty() {
            text.clone()
        } else {
            format!("{}; {text}", session.notes)
        };
    }
    if let Some(prefer) = &reading.prefer {
        session.prefer = Some(prefer.clone());
    }
    // The issue's time constraints; those that make the session impossible are dropped again
    // (the fewest that will do, the days kept before the times). Where dropping them does not
    // help (its people are never there together), they stay and the report says why.
    let asked = [
        reading.days.is_some(),
        reading.not_before.is_some(),
        reading.not_after.is_some(),
    ];
    let required: Vec<&Attendee> = required_people(event, &session.id, &named);
    let with = |mask: [bool; 3]| {
        let mut s = session.clone();
        if mask[0] {
            s.days = reading.days.clone().unwrap_or_default();
        }
        if mask[1] {
            s.not_before = reading.not_before;
        }
        if mask[2] {
            s.not_after = reading.not_after;
        }
        s
    };
    let mut masks: Vec<[bool; 3]> = (0..8u8)
        .rev()
        .map(|bits| [bits & 4 != 0, bits & 2 != 0, bits & 1 != 0])
        .filter(|m| (0..3).all(|i| !m[i] || asked[i]))
        .collect();
    masks.sort_by_key(|m| std::cmp::Reverse(m.iter().filter(|x| **x).count()));
    let mut chosen = asked;
    if let Some(why) = rules::never_possible(event, &with(asked), &required)
        && let Some(possible) = masks
            .iter()
            .find(|m| rules::never_possible(event, &with(**m), &required).is_none())
    {
        chosen = *possible;
        let names = ["its days", "its not-before time", "its not-after time"];
        let dropped: Vec<&str> = (0..3).filter(|i| asked[*i] && !chosen[*i]).map(|i| names[i]).collect();
        notes.push(Note::problem(format!(
            "dropped {} from the issue: {why}",
            dropped.join(" and ")
        )));
    }
    session = with(chosen);
    if let Some(why) = rules::never_possible(event, &session, &required) {
        notes.push(Note::problem(why));
    }
    let longest_slot = event.slots.iter().map(|s| s.span().minutes()).max();
    if let Some(longest) = longest_slot.filter(|l| *l < session.duration) {
        notes.push(Note::problem(format!(
            "{} min is longer than any slot ({longest} min): book it by hand, or add a longer slot for `plan`",
            session.duration
        )));
    }
    // Only a booked session can break a rule where it is: only then is the event kept to compare.
    let snapshot = before
        .as_ref()
        .is_some_and(Session::is_scheduled)
        .then(|| event.clone());
    let mut added_ties = Vec::new();
    for person in &named {
        if !event
            .participants
            .iter()
            .any(|p| p.session == session.id && p.handle == *person)
        {
            event
                .participants
                .push(Participant::new(&session.id, person, Tie::Required));
            added_ties.push(person.clone());
        }
    }
    match (&before, existing) {
        (None, _) => {
            event.sessions.push(session);
            out.action = Action::Added;
            out.notes.extend(notes);
        }
        (Some(old), Some(at)) => {
            let mut changes = changes(old, &session);
            if !added_ties.is_empty() {
                changes.push(Note::guess(format!("required: + {}", added_ties.join(", "))));
            }
            event.sessions[at] = session.clone();
            // A booked session stays where it is only if the update breaks no hard rule there.
            let broken = snapshot.as_ref().map_or_else(Vec::new, |snapshot| {
                rules::new_conflicts(snapshot, event, &[&session.id])
            });
            if let Some(first) = broken.first() {
                *event = snapshot.expect("only a booked session has conflicts");
                out.action = Action::Skipped;
                out.notes.push(Note::problem(format!(
                    "not updated: where it is booked the change would break a rule ({first}); \
                     unbook or move {} and import again",
                    old.id
                )));
                out.notes.extend(
                    changes
                        .into_iter()
                        .map(|c| Note::problem(format!("not applied: {}", c.text))),
                );
                return;
            }
            if changes.is_empty() {
                out.action = Action::Unchanged;
            } else {
                out.action = Action::Updated;
                out.notes.extend(changes);
                out.notes.extend(notes.into_iter().filter(|n| n.problem));
            }
        }
        (Some(_), None) => unreachable!("an existing session has a position"),
    }
}

/// The attendees required at a session: already tied as required, and newly named.
fn required_people<'a>(event: &'a Event, session: &str, named: &[String]) -> Vec<&'a Attendee> {
    let mut people: Vec<&Attendee> = event
        .participants
        .iter()
        .filter(|p| p.session == session && p.tie == Tie::Required)
        .filter_map(|p| event.attendee(&p.handle))
        .collect();
    people.extend(named.iter().filter_map(|h| event.attendee(h)));
    people.sort_by(|a, b| a.handle.cmp(&b.handle));
    people.dedup_by(|a, b| a.handle == b.handle);
    people
}

/// What differs between two versions of a session, field by field: `duration: 60 -> 90`.
fn changes(old: &Session, new: &Session) -> Vec<Note> {
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_string()
        } else {
            items.join(";")
        }
    };
    let opt = |v: Option<String>| v.unwrap_or_else(|| "(none)".into());
    let text = |v: &str| if v.is_empty() { "(none)".to_string() } else { quote(v) };
    let fields = [
        ("title", text(&old.title), text(&new.title)),
        ("team", text(&old.team), text(&new.team)),
        ("duration", old.duration.to_string(), new.duration.to_string()),
        ("needs", list(&old.needs), list(&new.needs)),
        ("audience", list(&old.audience), list(&new.audience)),
        ("days", list(&old.days), list(&new.days)),
        (
            "not_before",
            opt(old.not_before.map(|t| t.to_string())),
            opt(new.not_before.map(|t| t.to_string())),
        ),
        (
            "not_after",
            opt(old.not_after.map(|t| t.to_string())),
            opt(new.not_after.map(|t| t.to_string())),
        ),
        (
            "prefer",
            opt(old.prefer.as_ref().map(|p| p.to_string())),
            opt(new.prefer.as_ref().map(|p| p.to_string())),
        ),
        ("source", text(&old.source), text(&new.source)),
        ("notes", text(&old.notes), text(&new.notes)),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| Note::guess(format!("{field}: {a} -> {b}")))
        .collect()
}
