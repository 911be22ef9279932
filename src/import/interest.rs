//! Interest from a form: who would like to attend which session, and who must.
//!
//! A person's answers replace what their earlier answers set: the ties a form made are marked
//! in `participants.csv`'s `source` column ([`FORM`]), so a later response can take back the
//! sessions it no longer lists, while ties the organizers made by hand are never touched.

use super::{Note, quote};
use crate::model::{Event, Participant, Session, Status, Tie, rules};

/// The `participants.csv` column that says where a tie came from, and the value a form sets.
pub const SOURCE_COLUMN: &str = "source";
pub const FORM: &str = "form";

fn from_form(p: &Participant) -> bool {
    p.extra.get(SOURCE_COLUMN).is_some_and(|s| s == FORM)
}

/// The length in bytes of the start of `hay` that equals `needle` ignoring case, if it does.
fn prefix_ignoring_case(hay: &str, needle: &str) -> Option<usize> {
    let mut want = needle.chars().flat_map(char::to_lowercase).peekable();
    for (i, c) in hay.char_indices() {
        if want.peek().is_none() {
            return Some(i);
        }
        for lower in c.to_lowercase() {
            if want.next() != Some(lower) {
                return None;
            }
        }
    }
    want.peek().is_none().then_some(hay.len())
}

/// The sessions a checkbox answer lists, and the parts it could not match. Google Forms joins
/// the ticked options with ", " and titles may hold commas themselves, so known titles (and
/// ids) are matched at each position longest first, without case.
pub fn match_list<'a>(cell: &str, sessions: &'a [Session]) -> (Vec<&'a str>, Vec<String>) {
    let mut names: Vec<(&str, &str)> = sessions
        .iter()
        .flat_map(|s| [(s.title.trim(), s.id.as_str()), (s.id.as_str(), s.id.as_str())])
        .filter(|(name, _)| !name.is_empty())
        .collect();
    names.sort_by_key(|(name, _)| std::cmp::Reverse(name.chars().count()));
    let separator = |c: char| c == ',' || c == ';' || c.is_whitespace();
    let (mut found, mut unmatched) = (Vec::new(), Vec::new());
    let mut unknown_from: Option<usize> = None;
    let mut at = 0;
    let flush = |from: Option<usize>, to: usize, unmatched: &mut Vec<String>| {
        if let Some(from) = from {
            let text = cell[from..to].trim_matches(separator);
            if !text.is_empty() {
                unmatched.push(text.to_string());
            }
        }
    };
    while at < cell.len() {
        let rest = &cell[at..];
        let skipped = rest.len() - rest.trim_start_matches(separator).len();
        if skipped > 0 {
            at += skipped;
            continue;
        }
        let hit = names.iter().find_map(|(name, id)| {
            let len = prefix_ignoring_case(rest, name)?;
            let after = rest[len..].trim_start();
            (after.is_empty() || after.starts_with([',', ';'])).then_some((len, *id))
        });
        match hit {
            Some((len, id)) => {
                flush(unknown_from.take(), at, &mut unmatched);
                if !found.contains(&id) {
                    found.push(id);
                }
                at += len;
            }
            None => {
                unknown_from.get_or_insert(at);
                at += rest.find([',', ';']).map_or(rest.len(), |i| i + 1);
            }
        }
    }
    flush(unknown_from, cell.len(), &mut unmatched);
    (found, unmatched)
}

/// The session a grid column is about: the text in its header's last `[...]`.
pub fn grid_title(header: &str) -> Option<&str> {
    let open = header.rfind('[')?;
    let close = header[open..].find(']')? + open;
    Some(header[open + 1..close].trim()).filter(|t| !t.is_empty())
}

/// A session by its exact title or id, without case.
pub fn find_session<'a>(event: &'a Event, text: &str) -> Option<&'a Session> {
    let text = text.trim();
    event
        .sessions
        .iter()
        .find(|s| s.title.trim().to_lowercase() == text.to_lowercase())
        .or_else(|| event.sessions.iter().find(|s| s.id.eq_ignore_ascii_case(text)))
}

/// A grid answer: `Must attend` (or required, need) is required, `Interested` (or any other
/// answer) interested; empty, `No`, `Not interested` is nothing.
pub fn grid_answer(cell: &str) -> Option<Tie> {
    let answer = cell.trim().to_lowercase();
    if answer.is_empty() || answer == "no" || answer == "none" || answer == "-" || answer.starts_with("not") {
        None
    } else if answer.contains("must") || answer.contains("required") || answer.contains("need") {
        Some(Tie::Required)
    } else {
        Some(Tie::Interested)
    }
}

/// One row of the form, as read.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub line: u64,
    /// The username and email as typed.
    pub handle: String,
    pub email: String,
    /// Sessions (ids) and how much the person wants each.
    pub wanted: Vec<(String, Tie)>,
    /// Answers that name no known session.
    pub unmatched: Vec<String>,
}

/// What a response did.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub line: u64,
    /// The attendee it was matched to ("" for nobody).
    pub handle: String,
    /// `S012 (required)`-style entries.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    pub notes: Vec<Note>,
}

/// The attendee a response is from: by username, else by email, both without case.
pub fn find_person<'a>(event: &'a Event, handle: &str, email: &str) -> Option<&'a str> {
    let handle = handle.trim().trim_start_matches('@');
    let handle = handle
        .strip_prefix("https://github.com/")
        .unwrap_or(handle)
        .trim_end_matches('/');
    let by_handle = (!handle.is_empty())
        .then(|| event.attendees.iter().find(|a| a.handle.eq_ignore_ascii_case(handle)))
        .flatten();
    let email = email.trim();
    let by_email = || {
        (!email.is_empty())
            .then(|| {
                event
                    .attendees
                    .iter()
                    .find(|a| !a.email.is_empty() && a.email.eq_ignore_ascii_case(email))
            })
            .flatten()
    };
    by_handle.or_else(by_email).map(|a| a.handle.as_str())
}

/// Applies the responses: for each person their latest response replaces what the form set
/// before. A "must attend" becomes required only when that breaks no hard rule (else
/// interested, reported); a tie that would overfill a booked room is not added (reported).
pub fn apply(event: &mut Event, responses: &[Response]) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut latest: Vec<(String, usize)> = Vec::new();
    for (i, response) in responses.iter().enumerate() {
        let mut outcome = Outcome {
            line: response.line,
            ..Outcome::default()
        };
        for text in &response.unmatched {
            outcome
                .notes
                .push(Note::problem(format!("no session matches {}", quote(text))));
        }
        match find_person(event, &response.handle, &response.email) {
            None => {
                // The line says which row; an email address is never printed.
                let who = if response.handle.trim().is_empty() {
                    "with the email on this line".to_string()
                } else {
                    quote(&response.handle)
                };
                outcome
                    .notes
                    .insert(0, Note::problem(format!("unknown person {who}; row not used")));
            }
            Some(handle) => {
                outcome.handle = handle.to_string();
                match latest.iter_mut().find(|(h, _)| h == handle) {
                    Some((_, earlier)) => {
                        outcomes[*earlier].notes.push(Note::guess(format!(
                            "replaced by line {} (a later response)",
                            response.line
                        )));
                        *earlier = i;
                    }
                    None => latest.push((handle.to_string(), i)),
                }
            }
        }
        outcomes.push(outcome);
    }
    for (handle, i) in latest {
        answer(event, &handle, &responses[i], &mut outcomes[i]);
    }
    outcomes
}

/// Makes a person's form ties what one response says.
fn answer(event: &mut Event, handle: &str, response: &Response, out: &mut Outcome) {
    let mut wanted: Vec<(String, Tie)> = Vec::new();
    for (id, tie) in &response.wanted {
        match wanted.iter_mut().find(|(w, _)| w == id) {
            Some(entry) => entry.1 = entry.1.min(*tie),
            None => wanted.push((id.clone(), *tie)),
        }
    }
    let declined = event.attendee(handle).is_some_and(|a| a.status == Status::Declined);
    // What the form set before and this response no longer says goes.
    let mut removed = Vec::new();
    event.participants.retain(|p| {
        let gone =
            p.handle == handle && from_form(p) && !wanted.iter().any(|(id, tie)| *id == p.session && *tie == p.tie);
        if gone && !wanted.iter().any(|(id, _)| *id == p.session) {
            removed.push(p.session.to_string());
        }
        !gone
    });
    out.removed = removed;
    for (id, tie) in wanted {
        let Some(session) = event.session(&id).cloned() else {
            continue;
        };
        if let Some(existing) = event
            .participants
            .iter()
            .find(|p| p.session == id && p.handle == handle)
        {
            if !from_form(existing) && tie == Tie::Required && existing.tie == Tie::Interested {
                out.notes.push(Note::guess(format!(
                    "{id}: kept as interested, as the organizers set it (the form says must attend)"
                )));
            }
            out.unchanged += 1;
            continue;
        }
        let mut tie = tie;
        if tie == Tie::Required && declined {
            out.notes.push(Note::problem(format!(
                "{id}: interested, not required: {handle} has declined the event"
            )));
            tie = Tie::Interested;
        }
        let snapshot = session.is_scheduled().then(|| event.clone());
        event.participants.push(Participant {
            extra: [(SOURCE_COLUMN.to_string(), FORM.to_string())].into(),
            ..Participant::new(&id, handle, tie)
        });
        if let Some(snapshot) = snapshot {
            let mut conflicts = rules::new_conflicts(&snapshot, event, &[&id]);
            if !conflicts.is_empty() && tie == Tie::Required {
                let why = conflicts[0].to_string();
                event.participants.last_mut().expect("just added").tie = Tie::Interested;
                tie = Tie::Interested;
                conflicts = rules::new_conflicts(&snapshot, event, &[&id]);
                out.notes
                    .push(Note::problem(format!("{id}: interested, not required: {why}")));
            }
            if let Some(first) = conflicts.first() {
                event.participants.pop();
                out.notes.push(Note::problem(format!("{id}: not added: {first}")));
                continue;
            }
        }
        out.added.push(format!("{id} ({tie})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn sessions(titles: &[&str]) -> Vec<Session> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Session::new(
                    format!("S{:03}", i + 1),
                    t.to_string(),
                    Kind::Planned,
                    String::new(),
                    60,
                )
            })
            .collect()
    }

    #[test]
    fn titles_with_commas_are_matched_longest_first() {
        let all = sessions(&["Docs, docs.rs and the book", "Docs", "Polonius roadmap", "Async"]);
        let (found, unmatched) = match_list(
            "docs, docs.rs and the book, Polonius roadmap, Mystery, talk, S004",
            &all,
        );
        assert_eq!(found, ["S001", "S003", "S004"]);
        assert_eq!(unmatched, ["Mystery, talk"]);
        let (found, unmatched) = match_list("Docs, Async", &all);
        assert_eq!((found, unmatched), (vec!["S002", "S004"], vec![]));
        assert_eq!(prefix_ignoring_case("ÉTÉ, x", "été"), Some("ÉTÉ".len()));
    }

    #[test]
    fn grid_headers_and_answers() {
        assert_eq!(
            grid_title("Which sessions? [Polonius roadmap]"),
            Some("Polonius roadmap")
        );
        assert_eq!(grid_title("Name"), None);
        assert_eq!(grid_answer("Must attend"), Some(Tie::Required));
        assert_eq!(grid_answer("Interested"), Some(Tie::Interested));
        assert_eq!(grid_answer(""), None);
        assert_eq!(grid_answer("Not interested"), None);
    }
}
