//! What a proposal's free text says, read as the Rust All Hands' template invites people to
//! write it: `**Duration:** <free text>`, then a description whose sentences and bullets may
//! say who should attend, when, and what hardware it needs.
//!
//! Hand-written on top of `regex`: no crate reads "an entire morning" or "Thu or Fri, not
//! Saturday"; every guess is returned as a [`Note`] so the organizer sees what was read.

use std::sync::LazyLock;

use regex::Regex;

use super::github::Issue;
use super::{Note, quote};
use crate::model::{EVERYONE, Event, Preference, Span, Time};

/// The event's blocks of time that free-text durations and wishes refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blocks {
    /// The lunch break: "before lunch" ends at its start, "after lunch" begins at its end.
    pub lunch: Span,
    /// Minutes of "a morning", "an afternoon" and "all day".
    pub morning: u32,
    pub afternoon: u32,
    pub day: u32,
}

impl Blocks {
    /// The blocks of `days` (day ids; empty: every day), each the shortest among those days
    /// so that a session of that length fits on any of them. On a day, lunch is the longest
    /// gap between its slots that starts between 11:00 and 14:30; the morning runs from the
    /// first slot's start to lunch, the afternoon from lunch to the last slot's end; "all
    /// day" is the opening hours. A day without slots (or without such a gap) has lunch at
    /// 12:30-13:30 and its opening hours on either side.
    pub fn of(event: &Event, days: &[String]) -> Blocks {
        let mut found: Option<Blocks> = None;
        for day in event
            .days
            .iter()
            .filter(|d| days.is_empty() || days.iter().any(|x| x.eq_ignore_ascii_case(&d.id)))
        {
            let mut slots: Vec<Span> = event
                .slots
                .iter()
                .filter(|s| s.day == day.id)
                .map(|s| s.span())
                .collect();
            slots.sort();
            let gap = slots
                .windows(2)
                .map(|w| Span::new(w[0].end, w[1].start))
                .filter(|g| g.start < g.end && g.start >= Time::at(11, 0) && g.start <= Time::at(14, 30))
                .fold(None::<Span>, |best, g| match best {
                    Some(b) if b.minutes() >= g.minutes() => Some(b),
                    _ => Some(g),
                });
            let this = match (slots.first(), slots.last(), gap) {
                (Some(first), Some(last), Some(lunch)) => Blocks {
                    lunch,
                    morning: Span::new(first.start, lunch.start).minutes(),
                    afternoon: Span::new(lunch.end, last.end).minutes(),
                    day: day.hours().minutes(),
                },
                _ => {
                    let lunch = Span::new(Time::at(12, 30), Time::at(13, 30));
                    Blocks {
                        lunch,
                        morning: Span::new(day.opens, lunch.start).minutes(),
                        afternoon: Span::new(lunch.end, day.closes).minutes(),
                        day: day.hours().minutes(),
                    }
                }
            };
            found = Some(match found {
                None => this,
                Some(b) => Blocks {
                    lunch: b.lunch,
                    morning: b.morning.min(this.morning),
                    afternoon: b.afternoon.min(this.afternoon),
                    day: b.day.min(this.day),
                },
            });
        }
        found.unwrap_or(Blocks {
            lunch: Span::new(Time::at(12, 30), Time::at(13, 30)),
            morning: 180,
            afternoon: 240,
            day: 480,
        })
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

/// The (up to) `bytes` bytes of `text` before `at`, starting on a character boundary.
fn lead(text: &str, at: usize, bytes: usize) -> &str {
    let mut start = at.saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..at]
}

/// Removes `<!-- ... -->` comments, an unterminated one to the end, and the rest of a comment
/// whose opening was deleted (from the start of its paragraph to a stray `-->`).
pub fn strip_comments(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let mut out = String::new();
    let mut rest = body.as_str();
    loop {
        match (rest.find("<!--"), rest.find("-->")) {
            (Some(open), close) if close.is_none_or(|c| c > open) => {
                out += &rest[..open];
                match rest[open + 4..].find("-->") {
                    Some(end) => rest = &rest[open + 4 + end + 3..],
                    None => break,
                }
            }
            (_, Some(close)) => {
                let before = &rest[..close];
                let paragraph = before.rfind("\n\n").map_or(0, |p| p + 2);
                out += &before[..paragraph];
                rest = &rest[close + 3..];
            }
            _ => {
                out += rest;
                break;
            }
        }
    }
    out
}

static DURATION_LINE: LazyLock<Regex> = LazyLock::new(|| re(r"(?im)^[ \t>#*_-]*duration[ \t*_]*:?[ \t*_]*:?(.*)$"));

/// The free text of the `**Duration:**` line (or the next line when it is empty), and the
/// body without that line: the description.
pub fn split_duration(body: &str) -> (Option<String>, String) {
    let Some(found) = DURATION_LINE.captures(body) else {
        return (None, body.to_string());
    };
    let whole = found.get(0).expect("group 0");
    let value = found[1].trim().trim_matches(['*', '_']).trim().to_string();
    let mut rest = body[..whole.start()].to_string();
    let after = &body[whole.end()..];
    if !value.is_empty() {
        rest += after;
        return (Some(value), rest);
    }
    // `**Duration:**` alone on its line: the answer is the next line with text.
    let lines = after.split_inclusive('\n');
    let mut answer = None;
    let mut lines = lines.peekable();
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    // The next line answers only if it reads like an answer, not the next bullet or field.
    if let Some(line) = lines.peek() {
        let text = line.trim();
        let field = text.starts_with(['-', '*', '#', '>', '+']) || text.contains(":**");
        if !field && text.chars().count() <= 40 {
            answer = Some(text.trim_matches(['*', '_']).trim().to_string());
            lines.next();
        }
    }
    rest.extend(lines);
    (answer.filter(|a| !a.is_empty()), rest)
}

static WORD_NUMBERS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"\b(?:an?|one) hour and a half\b", "90 min"),
        (r"\bhour and a half\b", "90 min"),
        (r"\b(?:half an?|a half) hour\b", "30 min"),
        (r"\bhalf hour\b", "30 min"),
        (r"\b(?:an?|one) hour\b", "1 hour"),
        (r"\bforty[- ]five\b", "45"),
        (r"\bninety\b", "90"),
        (r"\bsixty\b", "60"),
        (r"\bthirty\b", "30"),
        (r"\btwenty\b", "20"),
        (r"\bfifteen\b", "15"),
        (r"\btwo\b", "2"),
        (r"\bthree\b", "3"),
        (r"\bfour\b", "4"),
        (r"\bfive\b", "5"),
        (r"\bsix\b", "6"),
        (r"\ba couple of\b", "2"),
    ]
    .into_iter()
    .map(|(p, to)| (re(p), to))
    .collect()
});

const UNIT: &str = r"(h|hrs?|hours?|m|mins?|minutes?)\b";
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?|m|mins?|minutes?)?\s*(?:-|–|—|to|or)\s*(\d+(?:[.,]\d+)?)\s*{UNIT}"
    ))
});
static HOURS_MINUTES: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d+)\s*(?:h|hrs?|hours?)\s*(?:and\s*)?(\d{1,2})\s*(?:m|mins?|minutes?)?\b"));
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(\d+(?:[.,]\d+)?)\s*{UNIT}")));
static BARE: LazyLock<Regex> = LazyLock::new(|| re(r"^[~≈]?\s*(\d+)\s*[?.!]*$"));

fn minutes(amount: &str, unit: &str) -> Option<u32> {
    let amount: f64 = amount.replace(',', ".").parse().ok()?;
    let minutes = if unit.starts_with('h') { amount * 60.0 } else { amount };
    Some(minutes.round() as u32).filter(|m| (5..=24 * 60).contains(m))
}

/// Minutes from a free-text duration, and how they were found when that is worth saying.
/// `30 minutes`, `30 min`, `1h`, `1.5 hours`, `90m`, `an hour`, `half an hour`, `two hours`,
/// `1h30`, `1-2 hours` (the upper end), `a morning` / `an afternoon` / `half a day` (the
/// block, see [`Blocks`]), `all day` (the opening hours).
pub fn duration(text: &str, blocks: &Blocks) -> Option<(u32, Option<&'static str>)> {
    let mut t = text.to_lowercase();
    let has = |t: &str, words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&t, &["all day", "all-day", "whole day", "full day", "entire day"]) {
        return Some((blocks.day, Some("the day's opening hours")));
    }
    if has(&t, &["half a day", "half day", "half-day"]) {
        return Some((blocks.morning, Some("a morning block")));
    }
    for (pattern, to) in WORD_NUMBERS.iter() {
        t = pattern.replace_all(&t, *to).into_owned();
    }
    if let Some(c) = RANGE.captures(&t) {
        return minutes(&c[2], &c[3]).map(|m| (m, Some("the upper end")));
    }
    if let Some(c) = HOURS_MINUTES.captures(&t) {
        let (h, m): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        return Some((h * 60 + m, None)).filter(|(total, _)| m < 60 && (5..=24 * 60).contains(total));
    }
    if let Some(c) = AMOUNT.captures(&t) {
        return minutes(&c[1], &c[2]).map(|m| (m, None));
    }
    if t.contains("morning") {
        return Some((blocks.morning, Some("the morning block")));
    }
    if t.contains("afternoon") {
        return Some((blocks.afternoon, Some("the afternoon block")));
    }
    if let Some(c) = BARE.captures(t.trim()) {
        let n: u32 = c[1].parse().ok()?;
        // "2" is hours, "90" minutes.
        return if n <= 8 {
            Some((n * 60, Some("a bare number, read as hours")))
        } else {
            minutes(&c[1], "m").map(|m| (m, Some("a bare number, read as minutes")))
        };
    }
    crate::model::parse_duration(t.trim()).ok().map(|m| (m, None))
}

/// Everything a proposal says that allhands can use, and what it guessed or could not use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    /// Minutes, when the text says how long (else the caller decides).
    pub duration: Option<u32>,
    /// Handles of attendees who must be there (the author, mentioned people), data spelling.
    pub required: Vec<String>,
    /// Audience teams (data spelling), or [`EVERYONE`].
    pub audience: Vec<String>,
    /// The first team label, for the session's own `team`.
    pub team: Option<String>,
    pub days: Option<Vec<String>>,
    pub not_before: Option<Time>,
    pub not_after: Option<Time>,
    pub prefer: Option<Preference>,
    pub needs: Vec<String>,
    /// Hardware no room has, for the session's notes.
    pub notes: Option<String>,
    pub found: Vec<Note>,
}

/// Reads an issue against the event (its attendees, teams, days, slots and room features).
pub fn read(issue: &Issue, event: &Event) -> Reading {
    let mut r = Reading::default();
    let body = strip_comments(&issue.body);
    let (duration_line, description) = match &issue.duration {
        Some(text) => (Some(text.clone()).filter(|t| !t.trim().is_empty()), body),
        None => split_duration(&body),
    };
    people(issue, &description, event, &mut r);
    teams(issue, &description, event, &mut r);
    when(&description, event, &mut r);
    hardware(&description, event, &mut r);
    let blocks = Blocks::of(event, r.days.as_deref().unwrap_or(&[]));
    match duration_line.as_deref().map(|d| (d, duration(d, &blocks))) {
        Some((text, Some((minutes, how)))) => {
            r.duration = Some(minutes);
            let how = how.map(|h| format!(", {h}")).unwrap_or_default();
            r.found.insert(
                0,
                Note::guess(format!("duration {minutes} (from {}{how})", quote(text))),
            );
        }
        Some((text, None)) => r.found.insert(
            0,
            Note::problem(format!(
                "duration {} not understood (say e.g. 90 minutes, 1.5 hours, a morning)",
                quote(text)
            )),
        ),
        None => r.found.insert(0, Note::problem("no **Duration:** given")),
    }
    r
}

static MENTION: LazyLock<Regex> =
    LazyLock::new(|| re(r"@([A-Za-z0-9][A-Za-z0-9-]{0,38})(?:/([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]))?"));
static HANDLE: LazyLock<Regex> = LazyLock::new(|| re(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$"));

/// `@handle` mentions (not inside an email address), with the team of `@org/team`.
fn mentions(text: &str) -> Vec<(String, Option<String>)> {
    MENTION
        .captures_iter(text)
        .filter(|c| {
            let start = c.get(0).expect("group 0").start();
            !text[..start]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_alphanumeric() || matches!(p, '_' | '.' | '-' | '`' | '@'))
        })
        .map(|c| {
            (
                c[1].trim_end_matches('-').to_string(),
                c.get(2).map(|t| t.as_str().to_string()),
            )
        })
        .collect()
}

fn people(issue: &Issue, description: &str, event: &Event, r: &mut Reading) {
    let add = |r: &mut Reading, handle: &str, why: String| {
        if let Ok(person) = event.find_attendee(handle) {
            if !r.required.contains(&person.handle) {
                r.required.push(person.handle.clone());
                r.found.push(Note::guess(format!("required {} ({why})", person.handle)));
            }
            true
        } else {
            false
        }
    };
    let author = issue.author.trim();
    if author.is_empty() {
        r.found.push(Note::problem("no author given"));
    } else if !HANDLE.is_match(author) {
        r.found.push(Note::problem(format!(
            "author {} is not a GitHub username",
            quote(author)
        )));
    } else if !add(r, author, "the author".into()) {
        r.found
            .push(Note::problem(format!("author {author} is not an attendee")));
    }
    for (handle, team) in mentions(description) {
        if team.is_some() {
            continue;
        }
        if !add(r, &handle, format!("mentioned as @{handle}")) {
            let note = Note::problem(format!("@{handle} is not an attendee"));
            if !r.found.contains(&note) {
                r.found.push(note);
            }
        }
    }
}

static TEAM_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|[^A-Za-z0-9-])[Tt]-([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])"));
static PLENARY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bplenary\b|\bfor everyone\b|\beveryone (?:should|must|needs to|is expected to) (?:attend|be there|come)\b|\ball (?:attendees|participants)\b|\b(?:the )?(?:whole|entire) project\b",
    )
});

fn teams(issue: &Issue, description: &str, event: &Event, r: &mut Reading) {
    let known = event.teams();
    let add = |r: &mut Reading, team: &str, why: String, report_unknown: bool| match event.find_team(team) {
        Ok(found) => {
            if !r.audience.iter().any(|t| t == found) {
                r.audience.push(found.to_string());
                r.found.push(Note::guess(format!("audience {found} ({why})")));
            }
        }
        Err(_) if report_unknown => {
            let note = Note::problem(format!("team {team} ({why}) is no attendee's team"));
            if !r.found.contains(&note) {
                r.found.push(note);
            }
        }
        Err(_) => {}
    };
    for label in &issue.labels {
        if let Some(c) = TEAM_LABEL
            .captures(label)
            .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
        {
            add(r, &c[1], format!("label {}", &c[0]), true);
            if r.team.is_none() && event.find_team(&c[1]).is_ok() {
                r.team = event.find_team(&c[1]).ok().map(str::to_string);
            }
        }
    }
    for (_, team) in mentions(description) {
        if let Some(team) = team {
            add(r, &team, format!("mentioned as @…/{team}"), true);
        }
    }
    for c in TEAM_LABEL.captures_iter(description) {
        add(r, &c[1], format!("T-{}", &c[1]), true);
    }
    // "the lang team", "the libs-api team", "leadership council team": the team's words, then
    // "team". Compared word by word (no pattern per team and issue to compile).
    let lower = description.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for team in &known {
        let name = team.to_lowercase();
        let name: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let said = words
            .windows(name.len() + 1)
            .find(|w| w[..name.len()] == name[..] && matches!(w[name.len()], "team" | "teams"));
        if let Some(said) = said {
            add(r, team, format!("from {}", quote(&said.join(" "))), false);
        }
    }
    let plenary_label = issue.labels.iter().any(|l| l.eq_ignore_ascii_case("plenary"));
    let said = PLENARY.find(&issue.title).or_else(|| PLENARY.find(description));
    if plenary_label || said.is_some() {
        let why = said.map_or("label plenary".to_string(), |m| format!("from {}", quote(m.as_str())));
        r.audience = vec![EVERYONE.to_string()];
        r.found.push(Note::guess(format!("plenary: audience everyone ({why})")));
    }
}

static DAY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?i:(monday|tuesday|wednesday|thursday|friday|saturday|sunday|thu(?:rs?)?|tue(?:s)?|fri)s?)\b|\b(Mon|Wed|Sat|Sun|MON|WED|SAT|SUN)\b",
    )
});
static NEGATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:not|no|except|avoid|never|can't|cannot|can not|won't|unavailable|busy)\b"));
static ONLY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:only|exclusively|(?:must|has to|have to|needs? to) be)\s+(?:(?:on|in)\s+)?(?:the\s+)?$")
});
static ONLY_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^s?\s*(?:only|exclusively)\b"));

/// Whether "only" (or "must be on") qualifies the words at `range` of `clause`: just before
/// them ("only on Thursday", "only in the morning") or just after ("Saturday only").
fn only_near(clause: &str, range: std::ops::Range<usize>) -> bool {
    ONLY.is_match(lead(clause, range.start, 32)) || ONLY_AFTER.is_match(&clause[range.end..])
}
static JOINER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^[\s,/&]*(?:or|and|nor)?[\s,/&]*$"));
static TIME_WISH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(not before|not after|no earlier than|no later than|before|after|until|till|by|from|starting at|starts? at|ends? by|finish(?:es|ed)? by|done by)\s+(?:the\s+)?(noon|midday|lunch(?:time)?|(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?)\b",
    )
});
static MORNING_OR_AFTERNOON: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(morning|afternoon)s?\b"));
static CLAUSE_END: LazyLock<Regex> = LazyLock::new(|| re(r"[\n;!?]|\.(?:\s|$)"));

/// The time a wish names; `None` when it is not a time of day.
fn wish_time(c: &regex::Captures<'_>, lunch_start: bool, blocks: &Blocks) -> Option<(Time, bool)> {
    let word = c[2].to_lowercase();
    if word.starts_with("lunch") {
        return Some((
            if lunch_start {
                blocks.lunch.start
            } else {
                blocks.lunch.end
            },
            false,
        ));
    }
    if word == "noon" || word == "midday" {
        return Some((Time::at(12, 0), false));
    }
    let mut hour: u32 = c.get(3)?.as_str().parse().ok()?;
    let minute: u32 = c.get(4).map_or(Some(0), |m| m.as_str().parse().ok())?;
    let mut guessed = false;
    match c.get(5).map(|m| m.as_str().to_lowercase()).as_deref() {
        Some("pm") if hour < 12 => hour += 12,
        Some("am") if hour == 12 => hour = 0,
        Some(_) => {}
        // "after 2" means 14:00 at a meeting that runs in the day.
        None if (1..=7).contains(&hour) => {
            hour += 12;
            guessed = true;
        }
        None => {}
    }
    Time::hm(hour, minute).map(|t| (t, guessed))
}

/// Day and time wishes: "only Thursday", "not Saturday", "Thu or Fri", "before 12:00",
/// "after lunch", "mornings only", "Friday would be nice". Only / not / before / after are
/// hard constraints; a list of alternatives ("Thu or Fri") is the days it may be on; a plain
/// mention is a preference (a session keeps one: the first).
fn when(description: &str, event: &Event, r: &mut Reading) {
    let blocks = Blocks::of(event, &[]);
    let (mut only, mut not): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut wishes: Vec<(Preference, String)> = Vec::new();
    let mut after: Vec<(Time, String)> = Vec::new();
    let mut before: Vec<(Time, String)> = Vec::new();
    let mut unknown_days: Vec<String> = Vec::new();
    let mut day_sources: Vec<String> = Vec::new();
    let mut start = 0;
    let mut clauses = Vec::new();
    for end in CLAUSE_END.find_iter(description) {
        clauses.push(&description[start..end.start()]);
        start = end.end();
    }
    clauses.push(&description[start..]);
    for clause in clauses.into_iter().filter(|c| !c.trim().is_empty()) {
        let excerpt = quote(clause.trim().trim_start_matches(['-', '*', ' ']));
        // Days, each negated or not by the words since the previous day.
        let mut days: Vec<(String, bool)> = Vec::new();
        let mut is_only = false;
        let mut last_end = 0;
        let mut negated = false;
        for m in DAY_WORD.find_iter(clause) {
            let gap = &clause[last_end..m.start()];
            negated = if days.is_empty() || !JOINER.is_match(gap) {
                NEGATION.is_match(gap)
            } else {
                negated
            };
            last_end = m.end();
            let prefix = m.as_str()[..3].to_lowercase();
            match event
                .days
                .iter()
                .find(|d| d.weekday_name().to_lowercase().starts_with(&prefix))
            {
                Some(day) => {
                    is_only |= !negated && only_near(clause, m.range());
                    days.push((day.id.clone(), negated));
                }
                None => {
                    if !unknown_days.contains(&prefix) {
                        unknown_days.push(prefix);
                        r.found.push(Note::problem(format!(
                            "{} is not a day of the event (ignored, from {excerpt})",
                            m.as_str()
                        )));
                    }
                }
            }
        }
        let wanted: Vec<String> = days.iter().filter(|(_, n)| !n).map(|(d, _)| d.clone()).collect();
        not.extend(days.iter().filter(|(_, n)| *n).map(|(d, _)| d.clone()));
        if !wanted.is_empty() && (is_only || wanted.len() > 1) {
            only.extend(wanted.iter().cloned());
            let how = if is_only { "only" } else { "one of" };
            day_sources.push(format!("{how} {}, from {excerpt}", wanted.join(", ")));
        } else if let [day] = wanted.as_slice() {
            wishes.push((Preference::Day(day.clone()), excerpt.clone()));
        }
        if days.iter().any(|(_, n)| *n) {
            let days: Vec<&str> = days.iter().filter(|(_, n)| *n).map(|(d, _)| d.as_str()).collect();
            day_sources.push(format!("not {}, from {excerpt}", days.join(", ")));
        }
        // Times of day.
        let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
        for c in TIME_WISH.captures_iter(clause) {
            let phrase = c[1].to_lowercase();
            let is_before = [
                "before",
                "until",
                "till",
                "by",
                "no later",
                "not after",
                "end",
                "finish",
                "done",
            ]
            .iter()
            .any(|w| phrase.starts_with(w));
            let loose = matches!(
                phrase.as_str(),
                "by" | "from" | "starting at" | "start at" | "starts at"
            );
            // "by 2 people", "from 3 teams": a loose word needs a clear time.
            if loose && c.get(3).is_some() && c.get(4).is_none() && c.get(5).is_none() {
                continue;
            }
            let Some((time, guessed)) = wish_time(&c, is_before, &blocks) else {
                continue;
            };
            let how = if guessed { ", read as afternoon" } else { "" };
            let said = format!("{}{how}, from {excerpt}", quote(&c[0]));
            if is_before {
                before.push((time, said));
            } else {
                after.push((time, said));
            }
            covered.push(c.get(0).expect("group 0").range());
        }
        for m in MORNING_OR_AFTERNOON.captures_iter(clause) {
            let whole = m.get(0).expect("group 0");
            if covered.iter().any(|c| c.contains(&whole.start())) {
                continue;
            }
            let morning = m[1].eq_ignore_ascii_case("morning");
            let since = &clause[last_end.min(whole.start())..whole.start()];
            let negated =
                NEGATION.is_match(lead(clause, whole.start(), 24)) && !since.is_empty() && NEGATION.is_match(since);
            let said = format!("{}, from {excerpt}", quote(m.get(0).expect("group 0").as_str()));
            // "only Thursday or Friday morning": the morning of an "only" day is "only" too.
            let of_only_day = is_only && !since.is_empty() && since.trim().is_empty();
            let only = of_only_day || only_near(clause, whole.range());
            match (negated, only, morning) {
                (true, _, true) | (false, true, false) => after.push((blocks.lunch.end, said)),
                (true, _, false) | (false, true, true) => before.push((blocks.lunch.start, said)),
                (false, false, true) => wishes.push((Preference::Morning, said)),
                (false, false, false) => wishes.push((Preference::Afternoon, said)),
            }
        }
    }
    // Days: the only / alternative days, else every day but the excluded ones.
    let mut days: Vec<String> = match (only.is_empty(), not.is_empty()) {
        (false, _) => only,
        (true, false) => event.days.iter().map(|d| d.id.clone()).collect(),
        (true, true) => Vec::new(),
    };
    days.retain(|d| !not.contains(d));
    event.sort_days(&mut days);
    if !days.is_empty() {
        r.found.push(Note::guess(format!(
            "days {} ({})",
            days.join(", "),
            day_sources.join("; ")
        )));
        r.days = Some(days);
    } else if !not.is_empty() {
        r.found.push(Note::problem(format!(
            "every day is excluded; days ignored ({})",
            day_sources.join("; ")
        )));
    }
    // The most restrictive of several times.
    if let Some((time, said)) = after.into_iter().max_by_key(|(t, _)| *t) {
        r.found.push(Note::guess(format!("not before {time} ({said})")));
        r.not_before = Some(time);
    }
    if let Some((time, said)) = before.into_iter().min_by_key(|(t, _)| *t) {
        r.found
            .push(Note::guess(format!("not after {time}: must end by then ({said})")));
        r.not_after = Some(time);
    }
    let mut wishes = wishes.into_iter().filter(|(p, _)| match p {
        Preference::Day(d) => r.days.as_ref().is_none_or(|days| days.contains(d)),
        _ => true,
    });
    if let Some((prefer, said)) = wishes.next() {
        r.found.push(Note::guess(format!("prefers {prefer} ({said})")));
        r.prefer = Some(prefer);
    }
    for (other, said) in wishes {
        r.found.push(Note::problem(format!(
            "also wishes {other} ({said}); a session keeps one preference"
        )));
    }
}

/// Hardware words: the room features they may mean, tried in order (the word itself first).
const HARDWARE: &[(&str, &str, &[&str])] = &[
    (r"projectors?|beamers?", "projector", &["projector", "beamer"]),
    (
        r"tvs?|televisions?|screens?|monitors?|displays?",
        "screen",
        &["screen", "tv", "display", "monitor"],
    ),
    (r"white ?boards?", "whiteboard", &["whiteboard"]),
    (
        r"flip[ -]?charts?",
        "flip chart",
        &["flipchart", "flip-chart", "flip_chart"],
    ),
    (
        r"video[ -]?calls?|video[ -]?conferenc\w*|remote participa\w*|zoom|jitsi|google meet",
        "video call",
        &["video", "video-call", "videoconference"],
    ),
    (
        r"conferenc\w* speakers?|speaker ?phones?|conference phones?",
        "conferencing speaker",
        &["conferencing-speaker", "speakerphone", "speaker", "video"],
    ),
    (r"micro ?phones?|mics?", "microphone", &["microphone", "mic"]),
    (
        r"paper|post-?its?|sticky notes|markers|hdmi|usb-c|adapters?|power strips?|extension cords?|cameras?|printers?|sound system",
        "",
        &[],
    ),
];
static HARDWARE_WORDS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    HARDWARE
        .iter()
        .map(|(pattern, _, _)| re(&format!(r"(?i)\b(?:{pattern})\b")))
        .collect()
});
static NO_NEED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:no|without|not|don't need|do not need)\s+(?:a\s+|an\s+|any\s+)?$"));

fn hardware(description: &str, event: &Event, r: &mut Reading) {
    let features: Vec<&str> = event
        .rooms
        .iter()
        .flat_map(|room| room.features.iter().map(String::as_str))
        .collect();
    let feature = |name: &str| features.iter().find(|f| f.eq_ignore_ascii_case(name)).copied();
    let mut unknown: Vec<String> = Vec::new();
    for ((_, label, candidates), pattern) in HARDWARE.iter().zip(HARDWARE_WORDS.iter()) {
        for m in pattern.find_iter(description) {
            if NO_NEED.is_match(lead(description, m.start(), 16)) {
                continue;
            }
            let word = m.as_str().to_lowercase();
            let singular = word.strip_suffix('s').unwrap_or(&word);
            let found = feature(&word)
                .or_else(|| feature(singular))
                .or_else(|| candidates.iter().find_map(|c| feature(c)));
            match found {
                Some(f) => {
                    if !r.needs.iter().any(|n| n == f) {
                        r.needs.push(f.to_string());
                        r.found
                            .push(Note::guess(format!("needs {f} (from {})", quote(m.as_str()))));
                    }
                }
                None => {
                    let name = if label.is_empty() {
                        word.clone()
                    } else {
                        label.to_string()
                    };
                    if !unknown.contains(&name) {
                        unknown.push(name);
                    }
                }
            }
        }
    }
    r.needs.sort();
    if !unknown.is_empty() {
        let text = format!("hardware no room has: {}", unknown.join(", "));
        r.found.push(Note::problem(format!("{text} (kept in the notes)")));
        r.notes = Some(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCKS: Blocks = Blocks {
        lunch: Span {
            start: Time::at(13, 0),
            end: Time::at(14, 0),
        },
        morning: 210,
        afternoon: 210,
        day: 540,
    };

    #[test]
    fn durations_as_people_write_them() {
        let cases = [
            ("30 minutes", 30),
            ("30 min", 30),
            ("1h", 60),
            ("1.5 hours", 90),
            ("90m", 90),
            ("an hour", 60),
            ("half an hour", 30),
            ("two hours", 120),
            ("1-2 hours", 120),
            ("60-90 minutes", 90),
            ("1h30", 90),
            ("1 hour 30 minutes", 90),
            ("an hour and a half", 90),
            ("a morning", 210),
            ("an entire afternoon", 210),
            ("half a day", 210),
            ("all day", 540),
            ("~45 min?", 45),
            ("90", 90),
            ("2", 120),
        ];
        for (text, want) in cases {
            assert_eq!(duration(text, &BLOCKS).map(|d| d.0), Some(want), "{text}");
        }
        for text in ["as long as it takes", "TBD", "", "0 minutes"] {
            assert_eq!(duration(text, &BLOCKS), None, "{text}");
        }
    }

    #[test]
    fn comments_go_even_when_broken() {
        assert_eq!(strip_comments("a<!-- x -->b<!-- y"), "ab");
        assert_eq!(
            strip_comments("keep\n\nleft of a comment -->\nafter"),
            "keep\n\n\nafter"
        );
    }

    #[test]
    fn the_duration_line_may_be_bold_or_answered_below() {
        assert_eq!(split_duration("**Duration:** 1h\nrest").0.as_deref(), Some("1h"));
        assert_eq!(
            split_duration("**Duration:**\n\n2 hours\nrest"),
            (Some("2 hours".into()), "rest".into())
        );
        assert_eq!(split_duration("no such line").0, None);
    }

    #[test]
    fn the_duration_line_left_empty_does_not_swallow_the_next_bullet() {
        let (duration, rest) = split_duration("**Duration:**\n\n- Who: @alice\n");
        assert_eq!((duration, rest.as_str()), (None, "- Who: @alice\n"));
    }

    /// Thursday to Saturday, 09:00-18:00, slots 09:30-11:00, 11:30-13:00, 14:00-15:30.
    fn event() -> Event {
        use crate::model::{Day, EventInfo, Slot};
        let days: Vec<Day> = [("thu", 21), ("fri", 22), ("sat", 23)]
            .into_iter()
            .map(|(id, d)| {
                let date = chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
                Day::new(id.into(), date, Time::at(9, 0), Time::at(18, 0))
            })
            .collect();
        let slots = days
            .iter()
            .flat_map(|d| {
                [(9, 30, 11, 0), (11, 30, 13, 0), (14, 0, 15, 30)]
                    .map(|(a, b, c, e)| Slot::new(d.id.clone(), Time::at(a, b), Time::at(c, e)))
            })
            .collect();
        Event::new(
            EventInfo {
                name: "e".into(),
                location: String::new(),
                timezone: crate::model::Zone(chrono_tz::UTC),
                extra: Default::default(),
            },
            days,
            slots,
        )
    }

    #[test]
    fn text_in_any_script_reads_without_panicking() {
        let event = event();
        let issue = Issue {
            body: "**Duration:** ½ 時間\n日本語のprojector, ééééé morning, 🦀🦀 not afternoon; über-team".into(),
            ..Issue::default()
        };
        let reading = read(&issue, &event);
        assert_eq!(reading.duration, None);
        assert_eq!(reading.prefer, Some(Preference::Morning));
    }

    #[test]
    fn only_binds_to_the_days_and_times_next_to_it() {
        let event = event();
        let wish = |text: &str| {
            let mut r = Reading::default();
            when(text, &event, &mut r);
            (
                r.days.map(|d| d.join(";")),
                r.not_after.map(|t| t.to_string()),
                r.prefer.map(|p| p.to_string()),
            )
        };
        assert_eq!(wish("only Thursday"), (Some("thu".into()), None, None));
        assert_eq!(wish("Saturday only, please"), (Some("sat".into()), None, None));
        assert_eq!(
            wish("we only need an hour, Thursday works"),
            (None, None, Some("thu".into()))
        );
        assert_eq!(wish("mornings only"), (None, Some("13:00".into()), None));
        assert_eq!(wish("only in the morning"), (None, Some("13:00".into()), None));
        assert_eq!(wish("not Thursday or Friday"), (Some("sat".into()), None, None));
    }

    #[test]
    fn mentions_skip_email_addresses() {
        let found = mentions("ask @alice and @rust-lang/lang, not bob@example.org");
        assert_eq!(
            found,
            [
                ("alice".to_string(), None),
                ("rust-lang".to_string(), Some("lang".to_string()))
            ]
        );
    }
}
