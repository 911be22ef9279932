//! Finding days, people, rooms and sessions from what a user typed, with "did you mean".

use super::{Attendee, Day, EVERYONE, Event, Preference, Room, Session};

/// An unknown team, with the closest of `teams` if one is close: `nobody` says where it was
/// looked for ("no session belongs to team").
fn team_not_found(team: &str, teams: &[&str], nobody: &str) -> NotFound {
    let suggestion = did_you_mean(team, teams.iter().copied()).map(str::to_string);
    let message = format!(
        "{nobody} '{team}'{}; teams: {}",
        suggestion
            .as_ref()
            .map(|t| format!(" (did you mean '{t}'?)"))
            .unwrap_or_default(),
        teams.join(", ")
    );
    NotFound {
        what: "team",
        input: team.to_string(),
        suggestion,
        message,
    }
}

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

/// What a user typed names no day, person, room, team or session of the event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct NotFound {
    /// `day`, `attendee`, `room`, `team`, `session`.
    pub what: &'static str,
    /// As typed.
    pub input: String,
    /// The close match offered as "did you mean", if any.
    pub suggestion: Option<String>,
    /// The whole sentence, with the suggestion and the valid choices (or where to find them).
    message: String,
}

/// `unknown room 'blu' (did you mean 'blue'?); valid: a, b, c` with the list cut when long.
fn unknown<'a>(
    what: &'static str,
    input: &str,
    choices: impl Iterator<Item = &'a str> + Clone,
    list_hint: &str,
) -> NotFound {
    let suggestion = did_you_mean(input, choices.clone()).map(str::to_string);
    let mut message = format!("unknown {what} '{input}'");
    if let Some(best) = &suggestion {
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
    NotFound {
        what,
        input: input.to_string(),
        suggestion,
        message,
    }
}

impl Event {
    /// Resolves `thu`, `thursday`, `Thu`, `2026-05-21` or `1` (first day) to a day.
    pub fn find_day(&self, input: &str) -> Result<&Day, NotFound> {
        let text = input.trim().to_lowercase();
        let found = self.days.iter().enumerate().find(|(i, d)| {
            d.id.to_lowercase() == text
                || d.date.to_string() == text
                || d.weekday_name().to_lowercase() == text
                || d.date.format("%a").to_string().to_lowercase() == text
                || (i + 1).to_string() == text
        });
        if let Some((_, day)) = found.or_else(|| self.day_as_people_write_it(&text)) {
            return Ok(day);
        }
        let mut not_found = unknown(
            "day",
            input,
            self.days.iter().map(|d| d.id.as_str()),
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
                        d.id,
                        d.weekday_name().to_lowercase(),
                        d.date,
                        i + 1
                    )
                })
                .collect();
            not_found.message += &format!(" ({})", forms.join(", "));
        }
        Err(not_found)
    }

    /// A day as a form answer or a person writes it: `tues`, `weds`, `Thu 21 May`,
    /// `Tue 13 October`, `13 October`, `13/10/2026`, `13/10` (day first, as in Europe).
    fn day_as_people_write_it(&self, lower: &str) -> Option<(usize, &Day)> {
        let words: Vec<&str> = lower
            .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
            .filter(|w| !w.is_empty())
            .collect();
        // A date: a day of the month with a month name, or dd/mm(/yyyy).
        let month_of = |word: &str| {
            (1..=12u32).find(|&m| {
                let name = chrono::Month::try_from(m as u8)
                    .map(|m| m.name().to_lowercase())
                    .unwrap_or_default();
                word.len() >= 3 && name.starts_with(word)
            })
        };
        let mut day_of_month = None;
        let mut month = None;
        for word in &words {
            if let Ok(n) = word.parse::<u32>() {
                if day_of_month.is_some() {
                    // Two dates ("Wed 14 Oct, Tue 13 Oct") are a list, not one day.
                    return None;
                }
                day_of_month = Some(n);
            } else if let Some(m) = month_of(word) {
                month = Some(m);
            } else if let [d, m, rest @ ..] = word.split('/').collect::<Vec<_>>().as_slice()
                && rest.len() <= 1
            {
                day_of_month = d.parse().ok();
                month = m.parse().ok();
            }
        }
        use chrono::Datelike;
        if let (Some(d), Some(m)) = (day_of_month, month) {
            return self
                .days
                .iter()
                .enumerate()
                .find(|(_, day)| day.date.day() == d && day.date.month() == m);
        }
        // A weekday, written out or cut short (`tues`, `weds`, `thur`): one word only.
        let [word] = words.as_slice() else { return None };
        let word = word.trim_end_matches('s');
        let short = |name: &str| word.len() >= 2 && (name.starts_with(word) || name.starts_with(&format!("{word}s")));
        let matches: Vec<(usize, &Day)> = self
            .days
            .iter()
            .enumerate()
            .filter(|(_, d)| short(&d.weekday_name().to_lowercase()))
            .collect();
        // `weds` and `tues` are how people write them; `t` alone could be Tuesday or Thursday.
        match matches.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Every day a form answer names: `Both days` / `All days` for all of them, else the days
    /// listed (separated by `;`, `,` or ` and `), each as [`Event::find_day`] reads it.
    pub fn days_from_answer(&self, answer: &str) -> Result<Vec<String>, String> {
        let lower = answer.trim().to_lowercase();
        if ["both days", "all days", "all", "both", "every day", "all three days"].contains(&lower.as_str()) {
            return Ok(self.days.iter().map(|d| d.id.clone()).collect());
        }
        let mut days = Vec::new();
        // "Tue 13 Oct, Wed 14 Oct" and "Tuesday, Wednesday" both split on commas, but a comma
        // inside one date ("Tue, 13 Oct") must not: try the whole answer first.
        if let Ok(day) = self.find_day(&lower) {
            return Ok(vec![day.id.clone()]);
        }
        let items = super::split_typed_list(&lower, &[';', ','])
            .into_iter()
            .flat_map(|part| super::split_typed_list(&part.replace(" and ", ";"), &[';']));
        for item in items {
            days.push(self.find_day(&item).map_err(|e| e.to_string())?.id.clone());
        }
        if days.is_empty() {
            return Err("no day chosen".into());
        }
        self.sort_days(&mut days);
        Ok(days)
    }

    /// A person by handle; a handle typed in another case finds them too (GitHub usernames
    /// ignore case).
    pub fn find_attendee(&self, handle: &str) -> Result<&Attendee, NotFound> {
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
    pub fn find_room(&self, id_or_name: &str) -> Result<&Room, NotFound> {
        let folded = id_or_name.trim().to_lowercase();
        let by_folded = || {
            self.rooms
                .iter()
                .find(|r| r.id.to_lowercase() == folded)
                .or_else(|| self.rooms.iter().find(|r| r.name.to_lowercase() == folded))
        };
        self.room(id_or_name).or_else(by_folded).ok_or_else(|| {
            let mut not_found = unknown(
                "room",
                id_or_name,
                self.rooms.iter().map(|r| r.id.as_str()),
                "see `allhands rooms`",
            );
            // A name typed with a typo is suggested by name ("Tejo Rom" → 'Tejo Room').
            if not_found.suggestion.is_none()
                && let Some(name) = did_you_mean(id_or_name, self.rooms.iter().map(|r| r.name.as_str()))
            {
                not_found.message = not_found.message.replacen(
                    &format!("'{id_or_name}'"),
                    &format!("'{id_or_name}' (did you mean '{name}'?)"),
                    1,
                );
                not_found.suggestion = Some(name.to_string());
            }
            not_found
        })
    }

    /// Every team some attendee is on, sorted, each once (as spelled in the data).
    pub fn teams(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .attendees
            .iter()
            .flat_map(|a| a.teams.iter().map(String::as_str))
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The team a person typed, as it is stored: the existing team's spelling when one matches
    /// without case (`Infra` joins `infra`), else the typed name as a key (`Developer
    /// Experience` → `developer-experience`). Forms and `--team` go through here alike.
    pub fn team_key(&self, typed: &str) -> Result<String, String> {
        let slug = typed.split_whitespace().collect::<Vec<_>>().join("-").to_lowercase();
        if let Some(existing) = self
            .attendees
            .iter()
            .flat_map(|a| a.teams.iter())
            .find(|t| super::same_key(t, &slug) || super::same_key(t, typed.trim()))
        {
            return Ok(existing.clone());
        }
        super::validate_key("team", &slug)?;
        Ok(slug)
    }

    /// A team some attendee is on, in the spelling the data has; teams compare without case.
    pub fn find_team(&self, team: &str) -> Result<&str, NotFound> {
        let all = self.teams();
        let folded = team.to_lowercase();
        if let Some(found) = all.iter().find(|t| t.to_lowercase() == folded) {
            return Ok(found);
        }
        Err(team_not_found(team, &all, "no attendee is on team"))
    }

    /// A team some session belongs to, exactly as typed (sessions keep their team as given).
    pub fn find_session_team(&self, team: &str) -> Result<&str, NotFound> {
        if let Some(session) = self.sessions.iter().find(|s| s.team == team) {
            return Ok(&session.team);
        }
        let mut teams: Vec<&str> = self
            .sessions
            .iter()
            .map(|s| s.team.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        teams.sort();
        teams.dedup();
        Err(team_not_found(team, &teams, "no session belongs to team"))
    }

    /// An audience team as the data spells it, or [`EVERYONE`] for a plenary.
    pub fn find_audience(&self, team: &str) -> Result<String, NotFound> {
        if team.trim().eq_ignore_ascii_case(EVERYONE) {
            return Ok(EVERYONE.to_string());
        }
        self.find_team(team.trim()).map(str::to_string)
    }

    /// A preference (`morning`, `afternoon`, or a day in any form `find_day` takes), its day
    /// resolved to the event's day id.
    pub fn find_preference(&self, text: &str) -> Result<Preference, String> {
        match Preference::parse(text)? {
            Preference::Day(day) => match self.find_day(&day) {
                Ok(found) => Ok(Preference::Day(found.id.clone())),
                Err(_) => {
                    let mut valid = vec!["morning", "afternoon"];
                    valid.extend(self.days.iter().map(|d| d.id.as_str()));
                    let guess = did_you_mean(text.trim(), valid.iter().copied())
                        .map(|g| format!(" (did you mean '{g}'?)"))
                        .unwrap_or_default();
                    Err(format!(
                        "'{}' is neither a part of the day nor a day of the event{guess} (valid: {})",
                        text.trim(),
                        valid.join(", ")
                    ))
                }
            },
            other => Ok(other),
        }
    }

    /// A session by id; an id typed in another case finds it too.
    pub fn find_session(&self, id: &str) -> Result<&Session, NotFound> {
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

#[cfg(test)]
mod day_tests {
    use super::*;
    use crate::model::{EventInfo, Extra, Time};
    use chrono::NaiveDate;

    fn offsite() -> Event {
        let day = |id: &str, d| {
            Day::new(
                id.into(),
                NaiveDate::from_ymd_opt(2026, 10, d).unwrap(),
                Time::at(9, 0),
                Time::at(17, 0),
            )
        };
        Event {
            info: EventInfo {
                name: "Offsite".into(),
                location: String::new(),
                timezone: crate::model::Zone(chrono_tz::Europe::Berlin),
                extra: Extra::new(),
            },
            days: vec![day("tue", 13), day("wed", 14)],
            slots: vec![],
            attendees: vec![],
            rooms: vec![],
            sessions: vec![],
            participants: vec![],
        }
    }

    #[test]
    fn days_as_people_write_them() {
        let event = offsite();
        for (answer, expected) in [
            ("Tue 13 Oct", vec!["tue"]),
            ("Tue 13 October", vec!["tue"]),
            ("13 October", vec!["tue"]),
            ("tues", vec!["tue"]),
            ("weds", vec!["wed"]),
            ("Wednesday", vec!["wed"]),
            ("13/10/2026", vec!["tue"]),
            ("14/10", vec!["wed"]),
            ("Both days", vec!["tue", "wed"]),
            ("All days", vec!["tue", "wed"]),
            ("Wed 14 Oct, Tue 13 Oct", vec!["tue", "wed"]),
            ("Tuesday and Wednesday", vec!["tue", "wed"]),
            ("Tue, 13 Oct", vec!["tue"]),
            (&event.days[1].label(), vec!["wed"]),
        ] {
            assert_eq!(event.days_from_answer(answer).unwrap(), expected, "{answer}");
        }
        for bad in ["t", "Thursday", "15 October", "sometime", ""] {
            assert!(event.days_from_answer(bad).is_err(), "{bad}");
        }
    }
}
