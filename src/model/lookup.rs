//! Finding days, people, rooms and sessions from what a user typed, with "did you mean".

use super::{Attendee, Day, Event, Room, Session};

/// The choice closest to `input` by edit distance, if it is close enough to be a typo.
pub fn did_you_mean<'a>(input: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    let limit = (input.chars().count() / 3).max(1);
    choices
        .into_iter()
        .map(|c| (edit_distance(&input, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= limit || (input.len() >= 3 && c.to_lowercase().starts_with(&input)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edits (insert, delete, substitute, swap two neighbours) to turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

/// `unknown room 'blu' (did you mean 'blue'?); valid: a, b, c` with the list cut when long.
fn unknown<'a>(what: &str, input: &str, choices: impl Iterator<Item = &'a str> + Clone, list_hint: &str) -> String {
    let mut message = format!("unknown {what} '{input}'");
    if let Some(best) = did_you_mean(input, choices.clone()) {
        message += &format!(" (did you mean '{best}'?)");
    }
    let all: Vec<&str> = choices.collect();
    if all.is_empty() {
        message += &format!("; there is none yet ({list_hint})");
    } else if all.len() <= 20 {
        message += &format!("; valid: {}", all.join(", "));
    } else {
        message += &format!("; {list_hint}");
    }
    message
}

impl Event {
    /// Resolves `thu`, `thursday`, `Thu`, `2026-05-21` or `1` (first day) to a day.
    pub fn find_day(&self, input: &str) -> Result<&Day, String> {
        let text = input.trim().to_lowercase();
        let found = self.days.iter().enumerate().find(|(i, d)| {
            d.day.to_lowercase() == text
                || d.date.to_string() == text
                || d.weekday_name().to_lowercase() == text
                || d.date.format("%a").to_string().to_lowercase() == text
                || (i + 1).to_string() == text
        });
        if let Some((_, day)) = found {
            return Ok(day);
        }
        let mut message = unknown(
            "day",
            input,
            self.days.iter().map(|d| d.day.as_str()),
            "add one to days.csv",
        );
        if !self.days.is_empty() {
            let forms: Vec<String> = self
                .days
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    format!(
                        "{} = {} = {} = {}",
                        d.day,
                        d.weekday_name().to_lowercase(),
                        d.date,
                        i + 1
                    )
                })
                .collect();
            message += &format!(" ({})", forms.join(", "));
        }
        Err(message)
    }

    /// A person by handle; a handle typed in another case finds them too (GitHub usernames
    /// ignore case).
    pub fn find_attendee(&self, handle: &str) -> Result<&Attendee, String> {
        let ignoring_case = || self.attendees.iter().find(|a| a.handle.eq_ignore_ascii_case(handle));
        self.attendee(handle).or_else(ignoring_case).ok_or_else(|| {
            unknown(
                "attendee",
                handle,
                self.attendees.iter().map(|a| a.handle.as_str()),
                "see `allhands attendees`",
            )
        })
    }

    /// A room by its id or its name (as tables show it), either in any case.
    pub fn find_room(&self, id_or_name: &str) -> Result<&Room, String> {
        let folded = id_or_name.trim().to_lowercase();
        let by_folded = || {
            self.rooms
                .iter()
                .find(|r| r.id.to_lowercase() == folded)
                .or_else(|| self.rooms.iter().find(|r| r.name.to_lowercase() == folded))
        };
        self.room(id_or_name).or_else(by_folded).ok_or_else(|| {
            unknown(
                "room",
                id_or_name,
                self.rooms.iter().flat_map(|r| [r.id.as_str(), r.name.as_str()]),
                "see `allhands rooms`",
            )
        })
    }

    /// A team some attendee is on, in the spelling the data has; teams compare without case.
    pub fn find_team(&self, team: &str) -> Result<&str, String> {
        let mut all: Vec<&str> = self
            .attendees
            .iter()
            .flat_map(|a| a.teams.iter().map(String::as_str))
            .collect();
        all.sort();
        all.dedup();
        let folded = team.to_lowercase();
        if let Some(found) = all.iter().find(|t| t.to_lowercase() == folded) {
            return Ok(found);
        }
        let hint = did_you_mean(team, all.iter().copied()).map(|t| format!(" (did you mean '{t}'?)"));
        Err(format!(
            "no attendee is on team '{team}'{}; teams: {}",
            hint.unwrap_or_default(),
            all.join(", ")
        ))
    }

    /// A session by id; an id typed in another case finds it too.
    pub fn find_session(&self, id: &str) -> Result<&Session, String> {
        let ignoring_case = || self.sessions.iter().find(|s| s.id.to_lowercase() == id.to_lowercase());
        self.session(id).or_else(ignoring_case).ok_or_else(|| {
            unknown(
                "session",
                id,
                self.sessions.iter().map(|s| s.id.as_str()),
                "see `allhands schedule` or sessions.csv",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("frj", ["thu", "fri", "sat"]), Some("fri"));
        assert_eq!(did_you_mean("alcie", ["alice", "bob"]), Some("alice"));
        assert_eq!(did_you_mean("zzzzzz", ["alice", "bob"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
