//! What changed between two states of the schedule and who it affects, as a table, a post for
//! Zulip (markdown), json or csv. Every format carries the same facts: each change with the
//! session before and after, then each affected person with their changed sessions and tie.
//! People are named by handle only, never by email.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Format, Listing, Terminal, markdown_escape, opt, visible_line, wrap};
use crate::model::publish::{Affected, Change, ChangeKind, Entry, Place, Version};
use crate::model::{Event, format_duration};

/// Longest line of a Zulip post: what the channel shows without a scroll bar.
pub const POST_WIDTH: usize = 100;

/// A comparison to print: from a version to a later one, or to the current schedule.
pub struct Report<'a> {
    pub event: &'a Event,
    pub from: &'a Version,
    /// `None`: the current, unpublished schedule.
    pub to: Option<&'a Version>,
    pub changes: &'a [Change],
    pub affected: &'a [Affected],
    /// Set when the report is one person's (`--attendee`).
    pub person: Option<&'a str>,
}

impl Report<'_> {
    pub fn render(&self, format: Format, terminal: Terminal) -> String {
        match format {
            Format::Table => self.table(terminal),
            Format::Md => self.markdown(),
            Format::Json => self.json(),
            Format::Csv => self.csv(),
        }
    }

    /// `2026-05-20 20:00` in the event's time zone.
    fn local(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.event.info.timezone.tz())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// `version 2 (published 2026-05-20 20:00: Friday's moves)`.
    fn describe(&self, version: Option<&Version>) -> String {
        match version {
            None => "the current schedule (not published)".into(),
            Some(v) if v.note.is_empty() => format!("version {} (published {})", v.number, self.local(v.published_at)),
            // A note edited into versions.csv by hand could hold a terminal escape.
            Some(v) => format!(
                "version {} (published {}: {})",
                v.number,
                self.local(v.published_at),
                v.note
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect::<String>()
            ),
        }
    }

    fn title(&self) -> String {
        let whose = self.person.map(|p| format!(" for {p}")).unwrap_or_default();
        format!(
            "Changes{whose} from {} to {}",
            self.describe(Some(self.from)),
            self.describe(self.to)
        )
    }

    fn nothing(&self) -> String {
        match self.person {
            Some(p) => format!("No change affects {p}."),
            None => "No change.".into(),
        }
    }

    /// `Thu 21 May 11:30-13:00`.
    fn when(&self, place: &Place) -> String {
        let day = self
            .event
            .day(&place.day)
            .map_or_else(|| place.day.clone(), |d| d.label());
        format!("{day} {}", place.span())
    }

    fn room(&self, place: &Place) -> String {
        self.event.room_name(&place.room).to_string()
    }

    /// `Thu 21 May 11:30-13:00, Main Hall`.
    fn place(&self, place: Option<&Place>) -> String {
        place.map_or_else(String::new, |p| format!("{}, {}", self.when(p), self.room(p)))
    }

    /// The session before and after, in the words of the kind of change.
    fn sides(&self, change: &Change) -> (String, String) {
        let (before, after) = (change.before.as_ref(), change.after.as_ref());
        let (was, is) = (
            before.and_then(|e| e.place.as_ref()),
            after.and_then(|e| e.place.as_ref()),
        );
        let length = |p: Option<&Place>| {
            p.map_or_else(String::new, |p| {
                format!("{} ({})", format_duration(p.span().minutes()), p.span())
            })
        };
        let title = |e: Option<&Entry>| e.map_or_else(String::new, |e| e.title.clone());
        match change.kind {
            ChangeKind::Added => (
                if before.is_some() {
                    "not scheduled"
                } else {
                    "new session"
                }
                .into(),
                self.place(is),
            ),
            ChangeKind::Cancelled => (
                self.place(was),
                if after.is_some() {
                    "unbooked (not scheduled)"
                } else {
                    "removed"
                }
                .into(),
            ),
            ChangeKind::Moved => (
                was.map(|p| self.when(p)).unwrap_or_default(),
                is.map(|p| self.when(p)).unwrap_or_default(),
            ),
            ChangeKind::Reroomed => (
                was.map(|p| self.room(p)).unwrap_or_default(),
                is.map(|p| self.room(p)).unwrap_or_default(),
            ),
            ChangeKind::Retitled => (title(before), title(after)),
            ChangeKind::Lengthened | ChangeKind::Shortened => (length(was), length(is)),
        }
    }

    /// `S002 (moved, re-roomed; required)` for the people part.
    fn touch_text(touch: &crate::model::publish::Touch) -> String {
        let kinds: Vec<&str> = touch.kinds.iter().map(|k| k.as_str()).collect();
        format!("{} ({}; {})", touch.session, kinds.join(", "), touch.via)
    }

    /// The changes grouped by kind, in the order of [`ChangeKind`].
    fn by_kind(&self) -> Vec<(ChangeKind, Vec<&Change>)> {
        let mut groups: Vec<(ChangeKind, Vec<&Change>)> = Vec::new();
        for c in self.changes {
            match groups.last_mut() {
                Some((kind, list)) if *kind == c.kind => list.push(c),
                _ => groups.push((c.kind, vec![c])),
            }
        }
        groups
    }

    fn table(&self, terminal: Terminal) -> String {
        let mut out = wrap(&visible_line(&self.title()), terminal.width as usize) + "\n\n";
        if self.changes.is_empty() {
            return out + &self.nothing() + "\n";
        }
        let mut changes = Listing::new(&["session", "title", "before", "after"])
            .wide("title")
            .unbroken(&["session"]);
        for (kind, list) in self.by_kind() {
            changes.section(kind.heading());
            for c in list {
                let (before, after) = self.sides(c);
                changes.push(vec![json!(c.session), json!(c.title()), json!(before), json!(after)]);
            }
        }
        out += &changes.render(Format::Table, terminal);
        let mut people = Listing::new(&["person", "changed sessions (what changed; tie)"]).unbroken(&["person"]);
        people.section("Who is affected");
        for a in self.affected {
            let touches: Vec<String> = a.sessions.iter().map(Self::touch_text).collect();
            people.push(vec![json!(a.handle), json!(touches.join("; "))]);
        }
        people.empty_message = "Who is affected: nobody is tied to these sessions".into();
        out.push('\n');
        out += &people.render(Format::Table, terminal);
        out
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        let mut line = |text: &str, first: &str, rest: &str| {
            if text.is_empty() {
                out.push('\n');
                return;
            }
            let width = POST_WIDTH - first.len();
            for (i, l) in wrap(text, width).lines().enumerate() {
                out += if i == 0 { first } else { rest };
                out += l;
                out.push('\n');
            }
        };
        line(&format!("**{}**", markdown_text(&self.title())), "", "");
        if self.changes.is_empty() {
            line("", "", "");
            line(&markdown_text(&self.nothing()), "", "");
            return out;
        }
        for (kind, list) in self.by_kind() {
            line("", "", "");
            line(&format!("### {}", kind.heading()), "", "");
            for c in list {
                let (before, after) = self.sides(c);
                let text = format!(
                    "**{}** {}: {} → {}",
                    markdown_text(&c.session),
                    markdown_text(c.title()),
                    markdown_text(&before),
                    markdown_text(&after)
                );
                line(&text, "- ", "  ");
            }
        }
        line("", "", "");
        line("### Who is affected", "", "");
        if self.affected.is_empty() {
            line("Nobody is tied to these sessions.", "", "");
        }
        for a in self.affected {
            let touches: Vec<String> = a
                .sessions
                .iter()
                .map(|t| {
                    let kinds: Vec<&str> = t.kinds.iter().map(|k| k.as_str()).collect();
                    let via = markdown_text(&t.via.to_string());
                    format!("{} ({}; {via})", markdown_text(&t.session), kinds.join(", "))
                })
                .collect();
            line(
                &format!("{}: {}", markdown_text(&a.handle), touches.join(", ")),
                "- ",
                "  ",
            );
        }
        out
    }

    fn side_json(&self, entry: Option<&Entry>) -> Value {
        let Some(entry) = entry else {
            return Value::Null;
        };
        let place = entry.place.as_ref();
        json!({
            "title": entry.title,
            "status": entry.status().as_str(),
            "day": opt(place.map(|p| &p.day)),
            "date": opt(place.and_then(|p| self.event.day(&p.day)).map(|d| d.date)),
            "start": opt(place.map(|p| p.start)),
            "end": opt(place.map(|p| p.end)),
            "room": opt(place.map(|p| &p.room)),
            "room_name": opt(place.map(|p| self.room(p))),
        })
    }

    fn json(&self) -> String {
        let version = |v: Option<&Version>| match v {
            None => Value::Null,
            Some(v) => json!({"version": v.number, "published_at": v.published_at, "note": v.note}),
        };
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                let (before_text, after_text) = self.sides(c);
                json!({
                    "kind": c.kind.as_str(),
                    "session": c.session,
                    "title": c.title(),
                    "before_text": before_text,
                    "after_text": after_text,
                    "before": self.side_json(c.before.as_ref()),
                    "after": self.side_json(c.after.as_ref()),
                })
            })
            .collect();
        let affected: Vec<Value> = self
            .affected
            .iter()
            .map(|a| {
                let sessions: Vec<Value> = a
                    .sessions
                    .iter()
                    .map(|t| {
                        let kinds: Vec<&str> = t.kinds.iter().map(|k| k.as_str()).collect();
                        json!({"session": t.session, "kinds": kinds, "tie": t.via.to_string()})
                    })
                    .collect();
                json!({"handle": a.handle, "sessions": sessions})
            })
            .collect();
        let report = json!({
            "from": version(Some(self.from)),
            "to": version(self.to),
            "changes": changes,
            "affected": affected,
        });
        serde_json::to_string_pretty(&report).expect("JSON values serialise") + "\n"
    }

    /// One row per change and person it affects (a change that affects nobody has one row
    /// with an empty handle), so a spreadsheet can filter by person or by session.
    fn csv(&self) -> String {
        let mut rows = Listing::new(&["kind", "session", "title", "before", "after", "handle", "tie"]);
        for c in self.changes {
            let (before, after) = self.sides(c);
            let row = |handle: Value, tie: Value| {
                vec![
                    json!(c.kind.as_str()),
                    json!(c.session),
                    json!(c.title()),
                    json!(before),
                    json!(after),
                    handle,
                    tie,
                ]
            };
            let touched: Vec<(&str, String)> = self
                .affected
                .iter()
                .flat_map(|a| {
                    a.sessions
                        .iter()
                        .filter(|t| t.session == c.session)
                        .map(|t| (a.handle.as_str(), t.via.to_string()))
                })
                .collect();
            if touched.is_empty() {
                rows.push(row(Value::Null, Value::Null));
            }
            for (handle, tie) in touched {
                rows.push(row(json!(handle), json!(tie)));
            }
        }
        rows.render(Format::Csv, Terminal::plain(POST_WIDTH as u16))
    }
}

/// Text from outside (titles, notes, handles) made inert in a Zulip or GitHub post, on one
/// line: escaped as every markdown cell is ([`markdown_escape`]: no mention, link, HTML or
/// formatting), and since a post's lines are wrapped, a word that would start a block at the
/// start of a line (`- `, `+`, `=`, `#`, `1.`, `1)`) is escaped too.
pub fn markdown_text(text: &str) -> String {
    let escaped = markdown_escape(text);
    let mut out = String::with_capacity(escaped.len() + 4);
    // Whether the current word so far is empty, or digits only.
    let (mut word_start, mut digits) = (true, false);
    for c in escaped.chars() {
        let block = match c {
            '-' | '+' | '=' | '#' => word_start,
            '.' | ')' => digits,
            _ => false,
        };
        if block {
            out.push('\\');
        }
        out.push(c);
        digits = c.is_ascii_digit() && (word_start || digits);
        word_start = c == ' ';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_is_inert() {
        let evil = "@**all** [click](https://x) <b>hi</b> `code` $$x$$ *b* _i_ #**s>t**\n- item\r1. x 2) y";
        let safe = markdown_text(evil);
        assert!(
            !safe.contains("@*") && !safe.contains("**") && !safe.contains('\n'),
            "{safe}"
        );
        assert!(
            safe.contains("\\@\\*\\*all") && safe.contains("\\[click\\](") && safe.contains("\\<b\\>"),
            "{safe}"
        );
        assert!(!safe.contains("$$") && safe.contains("\\`code\\`"), "{safe}");
        assert!(
            safe.contains("\\#\\*") && safe.contains("\\- item") && safe.contains("1\\. x") && safe.contains("2\\) y"),
            "{safe}"
        );
        assert_eq!(markdown_text("Async closures, 2027"), "Async closures, 2027");
    }
}
