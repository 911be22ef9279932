//! How each kind of record maps to its CSV file: schema, parsing with validation, writing.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};

use super::table::{Row, Schema};
use crate::error::Result;
use crate::model::publish::{AgendaStatus, Entry, Place, Published, Version};
use crate::model::{
    Attendee, Day, EventInfo, Extra, Kind, Participant, Preference, Role, Room, Session, Slot, Status, Tie, Time, Zone,
    parse_duration, split_list, validate_key, validate_line,
};

/// A record type stored in one CSV file of the data folder.
pub trait Record: Sized + Clone + PartialEq {
    const SCHEMA: Schema;
    fn from_row(row: &Row<'_>) -> Result<Self>;
    /// The cell for a known column; unknown columns come from `extra()`.
    fn cell(&self, column: &str) -> Cow<'_, str>;
    fn extra(&self) -> &Extra;
    /// What the file is sorted by (a one-record change is a one-line diff).
    fn sort_key(&self) -> Vec<String>;
}

/// What changed between two versions of a record, column by column, as `duration: 60 -> 90`
/// (`(none)` for an empty cell): what a confirmation or an import report shows.
pub fn field_changes<T: Record>(before: &T, after: &T) -> Vec<String> {
    let shown = |cell: Cow<'_, str>| {
        if cell.is_empty() {
            "(none)".to_string()
        } else {
            cell.into_owned()
        }
    };
    T::SCHEMA
        .columns
        .iter()
        .filter_map(|column| {
            let (old, new) = (before.cell(column), after.cell(column));
            (old != new).then(|| format!("{column}: {} -> {}", shown(old), shown(new)))
        })
        .collect()
}

fn list(items: &[String]) -> String {
    items.join(";")
}

/// An optional text cell, borrowed.
fn opt_text(value: &Option<String>) -> Cow<'_, str> {
    Cow::Borrowed(value.as_deref().unwrap_or(""))
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A key cell, as a `String` or a `model::Key` (whichever the record keeps).
fn key<T: for<'c> From<&'c str>>(what: &'static str) -> impl Fn(&str) -> Result<T, String> {
    move |cell| validate_key(what, cell).map(|()| T::from(cell))
}

/// A single-line text cell (no control characters).
fn line(what: &'static str) -> impl Fn(&str) -> Result<String, String> {
    move |cell| validate_line(what, cell).map(|()| cell.to_string())
}

/// A single-line text cell that must not be empty.
fn required_line(row: &Row<'_>, column: &'static str, what: &'static str) -> Result<String> {
    row.required(column)?;
    row.parse(column, line(what))
}

fn keys(what: &'static str) -> impl Fn(&str) -> Result<Vec<String>, String> {
    move |cell| {
        if cell.contains(',') {
            let example = cell.split(',').map(str::trim).collect::<Vec<_>>().join(";");
            return Err(format!(
                "'{cell}' separates items with ',': lists in a cell use ';' (valid: e.g. {example})"
            ));
        }
        let items = split_list(cell);
        items.iter().try_for_each(|k| validate_key(what, k))?;
        Ok(items)
    }
}

/// A key in lower case, in place when it is ASCII (as keys nearly always are).
fn lower(mut key: String) -> String {
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        key.to_lowercase()
    }
}

/// A list of day keys, in lower case.
fn day_keys(cell: &str) -> Result<Vec<String>, String> {
    Ok(keys("day")(cell)?.into_iter().map(lower).collect())
}

fn count(what: &'static str) -> impl Fn(&str) -> Result<u32, String> {
    move |cell| {
        cell.parse::<u32>()
            .map_err(|_| format!("'{cell}' is not a {what} (valid: a whole number, 0 or more)"))
    }
}

fn boolean(cell: &str) -> Result<bool, String> {
    match cell.to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "0" => Ok(false),
        "true" | "yes" | "1" => Ok(true),
        _ => Err(format!("'{cell}' is not valid (valid: true, false)")),
    }
}

fn extra_cell<'a>(extra: &'a Extra, column: &str) -> Cow<'a, str> {
    Cow::Borrowed(extra.get(column).map_or("", String::as_str))
}

/// Checks `start < end` for a record with two time columns.
fn ordered(row: &Row<'_>, start: Time, end: Time, end_column: &'static str) -> Result<()> {
    if start < end {
        Ok(())
    } else {
        Err(row.error(end_column, format!("{end} is not after {start}")))
    }
}

impl Record for EventInfo {
    const SCHEMA: Schema = Schema {
        file: "event.csv",
        columns: &["name", "location", "timezone"],
        required: &["name", "timezone"],
        key: &[],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        row.required("timezone")?;
        let timezone = row.parse("timezone", Zone::parse)?;
        Ok(EventInfo {
            name: required_line(row, "name", "the event name")?,
            location: row.parse("location", line("the location"))?,
            timezone,
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "name" => Cow::Borrowed(&self.name),
            "location" => Cow::Borrowed(&self.location),
            "timezone" => Cow::Owned(self.timezone.name().to_string()),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![]
    }
}

impl Record for Day {
    const SCHEMA: Schema = Schema {
        file: "days.csv",
        columns: &["day", "date", "opens", "closes"],
        required: &["day", "date", "opens", "closes"],
        key: &["day"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        let (opens, closes) = (row.parse("opens", Time::parse)?, row.parse("closes", Time::parse)?);
        ordered(row, opens, closes, "closes")?;
        Ok(Day {
            id: lower(row.parse("day", key("day"))?),
            date: row.parse("date", crate::model::parse_date)?,
            opens,
            closes,
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "day" => Cow::Borrowed(&self.id),
            "date" => Cow::Owned(self.date.to_string()),
            "opens" => Cow::Owned(self.opens.to_string()),
            "closes" => Cow::Owned(self.closes.to_string()),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.date.to_string(), self.id.clone()]
    }
}

impl Record for Slot {
    const SCHEMA: Schema = Schema {
        file: "slots.csv",
        columns: &["day", "start", "end"],
        required: &["day", "start", "end"],
        key: &["day", "start"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        let (start, end) = (row.parse("start", Time::parse)?, row.parse("end", Time::parse)?);
        ordered(row, start, end, "end")?;
        Ok(Slot {
            day: lower(row.parse("day", key("day"))?),
            start,
            end,
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "day" => Cow::Borrowed(&self.day),
            "start" => Cow::Owned(self.start.to_string()),
            "end" => Cow::Owned(self.end.to_string()),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        // Days sort by date in the caller (the store orders slots by the event's days).
        vec![self.day.clone(), self.start.to_string()]
    }
}

impl Record for Attendee {
    const SCHEMA: Schema = Schema {
        file: "attendees.csv",
        columns: &[
            "handle", "name", "email", "role", "teams", "days", "arrives", "leaves", "status",
        ],
        required: &["handle", "name", "role", "days", "status"],
        key: &["handle"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        Ok(Attendee {
            handle: row.parse("handle", key("handle"))?,
            name: required_line(row, "name", "a name")?,
            email: row.parse("email", line("an email"))?,
            role: row.parse("role", Role::parse)?,
            teams: row.parse("teams", keys("team"))?,
            days: row.parse("days", day_keys)?,
            arrives: row.optional("arrives", Time::parse)?,
            leaves: row.optional("leaves", Time::parse)?,
            status: row.parse("status", Status::parse)?,
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "handle" => Cow::Borrowed(&self.handle),
            "name" => Cow::Borrowed(&self.name),
            "email" => Cow::Borrowed(&self.email),
            "role" => Cow::Owned(self.role.to_string()),
            "teams" => Cow::Owned(list(&self.teams)),
            "days" => Cow::Owned(list(&self.days)),
            "arrives" => Cow::Owned(opt(&self.arrives)),
            "leaves" => Cow::Owned(opt(&self.leaves)),
            "status" => Cow::Owned(self.status.to_string()),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.handle.clone()]
    }
}

impl Record for Room {
    const SCHEMA: Schema = Schema {
        file: "rooms.csv",
        columns: &["id", "name", "capacity", "features"],
        required: &["id", "capacity"],
        key: &["id"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        let id: String = row.parse("id", key("room id"))?;
        let name = match row.parse("name", line("a room name"))? {
            name if name.is_empty() => id.clone(),
            name => name,
        };
        Ok(Room {
            id,
            name,
            capacity: row.parse("capacity", count("capacity"))?,
            features: row.parse("features", keys("feature"))?,
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "id" => Cow::Borrowed(&self.id),
            "name" => Cow::Borrowed(&self.name),
            "capacity" => Cow::Owned(self.capacity.to_string()),
            "features" => Cow::Owned(list(&self.features)),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl Record for Session {
    const SCHEMA: Schema = Schema {
        file: "sessions.csv",
        columns: &[
            "id",
            "title",
            "kind",
            "team",
            "duration",
            "needs",
            "size",
            "day",
            "start",
            "room",
            "pinned",
            "audience",
            "days",
            "not_before",
            "not_after",
            "prefer",
            "apart",
            "source",
            "notes",
        ],
        required: &["id", "title", "duration"],
        key: &["id"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        let kind = match row.get("kind") {
            "" => Kind::Planned,
            _ => row.parse("kind", Kind::parse)?,
        };
        Ok(Session {
            id: row.parse("id", key("session id"))?,
            title: required_line(row, "title", "a title")?,
            kind,
            team: row.parse("team", line("a team"))?,
            duration: row.parse("duration", parse_duration)?,
            needs: row.parse("needs", keys("feature"))?,
            size: row.optional("size", count("size"))?,
            day: row.optional("day", |d| key("day")(d).map(lower))?,
            start: row.optional("start", Time::parse_start)?,
            room: row.optional("room", key("room id"))?,
            pinned: row.parse("pinned", boolean)?,
            audience: row.parse("audience", keys("audience team"))?,
            days: row.parse("days", day_keys)?,
            not_before: row.optional("not_before", Time::parse)?,
            not_after: row.optional("not_after", Time::parse)?,
            prefer: row.optional("prefer", Preference::parse)?,
            apart: row.parse("apart", keys("session id"))?,
            source: row.get("source").to_string(),
            notes: row.get("notes").to_string(),
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "id" => Cow::Borrowed(&self.id),
            "title" => Cow::Borrowed(&self.title),
            "kind" => Cow::Owned(self.kind.to_string()),
            "team" => Cow::Borrowed(&self.team),
            "duration" => Cow::Owned(self.duration.to_string()),
            "needs" => Cow::Owned(list(&self.needs)),
            "size" => Cow::Owned(opt(&self.size)),
            "day" => opt_text(&self.day),
            "start" => Cow::Owned(opt(&self.start)),
            "room" => opt_text(&self.room),
            "pinned" => Cow::Owned(self.pinned.to_string()),
            "audience" => Cow::Owned(list(&self.audience)),
            "days" => Cow::Owned(list(&self.days)),
            "not_before" => Cow::Owned(opt(&self.not_before)),
            "not_after" => Cow::Owned(opt(&self.not_after)),
            "prefer" => Cow::Owned(opt(&self.prefer)),
            "apart" => Cow::Owned(list(&self.apart)),
            "source" => Cow::Borrowed(&self.source),
            "notes" => Cow::Borrowed(&self.notes),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl Record for Participant {
    const SCHEMA: Schema = Schema {
        file: "participants.csv",
        columns: &["session", "handle", "role"],
        required: &["session", "handle", "role"],
        key: &["session", "handle"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        Ok(Participant {
            session: row.parse("session", key("session id"))?,
            handle: row.parse("handle", key("handle"))?,
            tie: row.parse("role", Tie::parse)?,
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "session" => Cow::Borrowed(self.session.as_str()),
            "handle" => Cow::Borrowed(self.handle.as_str()),
            "role" => Cow::Owned(self.tie.to_string()),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.session.to_string(), self.handle.to_string()]
    }
}

fn timestamp(cell: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(cell)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("'{cell}' is not a time stamp (valid: RFC 3339 in UTC, e.g. 2026-05-20T18:00:00Z)"))
}

fn version_number(cell: &str) -> Result<u32, String> {
    match cell.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("'{cell}' is not a version number (valid: 1, 2, 3, ...)")),
    }
}

impl Record for Version {
    const SCHEMA: Schema = Schema {
        file: "versions.csv",
        columns: &["version", "published_at", "note"],
        required: &["version", "published_at"],
        key: &["version"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        Ok(Version {
            number: row.parse("version", version_number)?,
            published_at: row.parse("published_at", timestamp)?,
            note: row.get("note").to_string(),
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        match column {
            "version" => Cow::Owned(self.number.to_string()),
            "published_at" => Cow::Owned(self.published_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
            "note" => Cow::Borrowed(&self.note),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.number.to_string()]
    }
}

impl Record for Published {
    const SCHEMA: Schema = Schema {
        file: "published.csv",
        columns: &[
            "version",
            "session",
            "status",
            "day",
            "start",
            "end",
            "room",
            "title",
            "team",
            "required",
            "interested",
            "audience",
        ],
        required: &["version", "session", "status", "title"],
        key: &["version", "session"],
    };
    fn from_row(row: &Row<'_>) -> Result<Self> {
        let status = row.parse("status", AgendaStatus::parse)?;
        let place = match status {
            AgendaStatus::Unscheduled => {
                if let Some(column) = ["day", "start", "end", "room"]
                    .into_iter()
                    .find(|c| !row.get(c).is_empty())
                {
                    return Err(row.error(column, "must be empty for an unscheduled session"));
                }
                None
            }
            AgendaStatus::Scheduled => {
                let (start, end) = (row.parse("start", Time::parse)?, row.parse("end", Time::parse)?);
                ordered(row, start, end, "end")?;
                Some(Place {
                    day: lower(row.parse("day", key("day"))?),
                    start,
                    end,
                    room: row.parse("room", key("room id"))?,
                })
            }
        };
        Ok(Published {
            version: row.parse("version", version_number)?,
            session: row.parse("session", key("session id"))?,
            entry: Entry {
                title: row.required("title")?.to_string(),
                team: row.get("team").to_string(),
                place,
                required: row.parse("required", keys("handle"))?,
                interested: row.parse("interested", keys("handle"))?,
                audience: row.parse("audience", keys("team"))?,
            },
            line: row.line(),
            extra: row.extra(),
        })
    }
    fn cell(&self, column: &str) -> Cow<'_, str> {
        let place = self.entry.place.as_ref();
        match column {
            "version" => Cow::Owned(self.version.to_string()),
            "session" => Cow::Borrowed(&self.session),
            "status" => Cow::Owned(self.entry.status().to_string()),
            "day" => Cow::Owned(opt(&place.map(|p| &p.day))),
            "start" => Cow::Owned(opt(&place.map(|p| p.start))),
            "end" => Cow::Owned(opt(&place.map(|p| p.end))),
            "room" => Cow::Owned(opt(&place.map(|p| &p.room))),
            "title" => Cow::Borrowed(&self.entry.title),
            "team" => Cow::Borrowed(&self.entry.team),
            "required" => Cow::Owned(list(&self.entry.required)),
            "interested" => Cow::Owned(list(&self.entry.interested)),
            "audience" => Cow::Owned(list(&self.entry.audience)),
            _ => extra_cell(&self.extra, column),
        }
    }
    fn extra(&self) -> &Extra {
        &self.extra
    }
    fn sort_key(&self) -> Vec<String> {
        vec![self.version.to_string(), self.session.clone()]
    }
}
