//! `import-attendees`: people from a registration form's CSV export.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::json;

use super::{Context, OutputArgs, time_arg};
use crate::error::{Error, Result};
use crate::model::{Attendee, Event, Role, Status, Time, rules, validate_handle, validate_key, validate_line};
use crate::render::Listing;
use crate::store;

/// Import people from a registration form's CSV export.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands import-attendees responses.csv --dry-run\n  \
    allhands import-attendees responses.csv --map \"Your GitHub=handle\" --skip-invalid\n\n\
    Columns are recognised by their header (Email address, Name, GitHub username, Team(s),\n\
    Which days will you attend?, Role, Status, Arrival, Departure; Timestamp is ignored).\n\
    A row whose handle or email is already known updates that person. Every row is checked;\n\
    one bad row stops the import (nothing written) unless --skip-invalid.")]
pub struct Args {
    /// The form's CSV export
    pub file: PathBuf,
    /// Read form column COLUMN as FIELD (handle, name, email, role, teams, days, arrives,
    /// leaves, status, ignore)
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub maps: Vec<String>,
    /// Import the valid rows and report the others, instead of importing nothing
    #[arg(long)]
    pub skip_invalid: bool,
    /// Show what would happen, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Status for people the form adds
    #[arg(long, default_value = "confirmed")]
    pub status: Status,
    /// Role for people the form adds, when it has no role column
    #[arg(long, default_value = "member")]
    pub role: Role,
    #[command(flatten)]
    pub output: OutputArgs,
}

const FIELDS: [&str; 10] = [
    "handle", "name", "email", "role", "teams", "days", "arrives", "leaves", "status", "ignore",
];

/// Which field a form header means, by the words in it.
fn guess_field(header: &str) -> Option<&'static str> {
    let h = header.to_lowercase();
    let has = |w: &str| h.contains(w);
    Some(if has("timestamp") {
        "ignore"
    } else if has("github") || has("handle") || has("username") {
        "handle"
    } else if has("mail") {
        "email"
    } else if has("team") {
        "teams"
    } else if has("day") {
        "days"
    } else if has("arriv") {
        "arrives"
    } else if has("leav") || has("depart") {
        "leaves"
    } else if has("status") {
        "status"
    } else if has("role") || has("member or guest") {
        "role"
    } else if has("name") {
        "name"
    } else {
        return None;
    })
}

/// What happened to one row.
struct Outcome {
    line: u64,
    handle: String,
    name: String,
    action: &'static str,
    detail: String,
}

pub fn run(args: Args, ctx: &Context) -> Result<()> {
    let (header, rows) = store::read_foreign_csv(&args.file)?;
    let fields = map_columns(&header, &args.maps)?;
    let file = args.file.display().to_string();
    let apply = |event: &mut Event| -> Result<Vec<Outcome>> {
        let mut outcomes = Vec::new();
        let mut problems = Vec::new();
        // Lines of this file that added or updated each handle, for repeated responses.
        let mut seen: HashMap<String, u64> = HashMap::new();
        // Sessions each person is required at: an update to them must not strand one.
        let mut required_of: HashMap<String, Vec<String>> = HashMap::new();
        for p in event
            .participants
            .iter()
            .filter(|p| p.role == crate::model::Tie::Required)
        {
            required_of.entry(p.handle.clone()).or_default().push(p.session.clone());
        }
        for (line, cells) in &rows {
            let get = |field: &str| -> (&str, &str) {
                fields.iter().position(|f| *f == Some(field)).map_or(("", ""), |i| {
                    (header[i].as_str(), cells.get(i).map_or("", |c| c.as_str()))
                })
            };
            // A merge refuses by field; the report names the form's column for it.
            let merged = person_from_row(event, &get).and_then(|row| {
                merge(event, row, *line, (args.role, args.status), &mut seen)
                    .map_err(|(field, message)| (get(&field).0.to_string(), message))
            });
            match merged {
                Err((column, message)) => {
                    let place = if column.is_empty() {
                        String::new()
                    } else {
                        format!(" column '{column}':")
                    };
                    problems.push(format!("{file}:{line}:{place} {message}"));
                    outcomes.push(Outcome {
                        line: *line,
                        handle: get("handle").1.to_string(),
                        name: get("name").1.to_string(),
                        action: "skipped",
                        detail: message,
                    });
                }
                Ok((outcome, at, previous)) => {
                    match still_valid(event, at, previous.as_ref(), &required_of) {
                        Ok(()) => outcomes.push(outcome),
                        Err(why) => {
                            // Undo just this row: the person as they were, or not at all.
                            match previous {
                                Some(person) => event.attendees[at] = person,
                                None => drop(event.attendees.remove(at)),
                            }
                            let message = format!("not applied: {why}");
                            problems.push(format!("{file}:{line}: {message}"));
                            outcomes.push(Outcome {
                                action: "skipped",
                                detail: message,
                                ..outcome
                            });
                        }
                    }
                }
            }
        }
        if !problems.is_empty() && !args.skip_invalid {
            return Err(Error::Usage(format!(
                "{} invalid row(s); nothing imported (fix them, or use --skip-invalid):\n  {}",
                problems.len(),
                problems.join("\n  ")
            )));
        }
        Ok(outcomes)
    };
    let outcomes = if args.dry_run {
        let mut event = ctx.load()?;
        apply(&mut event)?
    } else {
        ctx.store()?.update(apply)?
    };
    args.output.emit(&summary(&outcomes, args.dry_run))
}

/// The field of each column: from --map, else guessed from the header.
fn map_columns(header: &[String], maps: &[String]) -> Result<Vec<Option<&'static str>>> {
    let mut fields: Vec<Option<&'static str>> = header.iter().map(|h| guess_field(h)).collect();
    for map in maps {
        let (column, field) = map
            .rsplit_once('=')
            .ok_or_else(|| Error::Usage(format!("--map '{map}' is not COLUMN=FIELD")))?;
        let field = FIELDS
            .iter()
            .find(|f| **f == field.trim().to_lowercase())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--map '{map}': unknown field '{field}' (valid: {})",
                    FIELDS.join(", ")
                ))
            })?;
        let i = header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column.trim()))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "--map '{map}': the file has no column '{column}' (columns: {})",
                    header.join(", ")
                ))
            })?;
        fields[i] = Some(field);
    }
    for needed in ["handle", "name"] {
        if !fields.contains(&Some(needed)) {
            return Err(Error::Usage(format!(
                "no column for {needed} in the form (columns: {}); name it with --map \"COLUMN={needed}\"",
                header.join(", ")
            )));
        }
    }
    Ok(fields)
}

/// A row's values, checked. Err is (the form's column, what is wrong).
struct Row {
    handle: String,
    name: String,
    email: Option<String>,
    role: Option<Role>,
    teams: Option<Vec<String>>,
    days: Option<Vec<String>>,
    arrives: Option<Option<Time>>,
    leaves: Option<Option<Time>>,
    status: Option<Status>,
}

type RowError = (String, String);

fn person_from_row<'h>(event: &Event, get: &dyn Fn(&str) -> (&'h str, &'h str)) -> std::result::Result<Row, RowError> {
    let err = |field: &str, message: String| (get(field).0.to_string(), message);
    let present = |field: &str| !get(field).0.is_empty();
    let handle = get("handle").1.trim().trim_start_matches('@').to_string();
    if handle.is_empty() {
        return Err(err("handle", "no handle (GitHub username)".into()));
    }
    validate_handle(&handle).map_err(|m| err("handle", m))?;
    let name = get("name").1.trim().to_string();
    if name.is_empty() {
        return Err(err("name", "no name".into()));
    }
    validate_line("the name", &name).map_err(|m| err("name", m))?;
    let email = get("email").1.trim();
    validate_line("the email", email).map_err(|m| err("email", m))?;
    if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
        return Err(err("email", format!("'{email}' is not an email address")));
    }
    let list = |text: &str| -> Vec<String> {
        text.split([',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let teams = if present("teams") {
        let teams: Vec<String> = list(get("teams").1)
            .iter()
            .map(|t| t.to_lowercase().replace(' ', "-"))
            .collect();
        for t in &teams {
            validate_key("team", t).map_err(|m| err("teams", m))?;
        }
        Some(teams)
    } else {
        None
    };
    let days = if present("days") {
        let mut days = Vec::new();
        for item in list(get("days").1) {
            let day = event
                .days
                .iter()
                .find(|d| {
                    let lower = item.to_lowercase();
                    lower.contains(&d.weekday_name().to_lowercase())
                        || lower.contains(&d.date.to_string())
                        || event.find_day(&item).is_ok_and(|found| found.day == d.day)
                })
                .ok_or_else(|| {
                    let valid: Vec<String> = event.days.iter().map(|d| d.label()).collect();
                    err(
                        "days",
                        format!("'{item}' is not a day of the event (valid: {})", valid.join(", ")),
                    )
                })?;
            days.push(day.day.clone());
        }
        if days.is_empty() {
            return Err(err("days", "no day chosen".into()));
        }
        event.sort_days(&mut days);
        Some(days)
    } else {
        None
    };
    let time = |field: &str| -> std::result::Result<Option<Option<Time>>, RowError> {
        if !present(field) {
            return Ok(None);
        }
        let text = get(field).1.trim();
        if text.is_empty() {
            return Ok(Some(None));
        }
        time_arg(field, text)
            .map(|t| Some(Some(t)))
            .map_err(|e| err(field, e.to_string()))
    };
    let word = |field: &str| get(field).1.trim().to_string();
    let role = match word("role") {
        w if w.is_empty() => None,
        w => Some(Role::parse(&w).map_err(|m| err("role", m))?),
    };
    let status = match word("status") {
        w if w.is_empty() => None,
        w => Some(Status::parse(&w).map_err(|m| err("status", m))?),
    };
    Ok(Row {
        handle,
        name,
        email: present("email").then(|| email.to_string()),
        role,
        teams,
        days,
        arrives: time("arrives")?,
        leaves: time("leaves")?,
        status,
    })
}

/// Whether the person at `at` (as the row left them; `previous` is how they were) keeps
/// every rule: arrival and departure within opening hours, and still there for the whole of
/// every session they are required at (the only hard rule a person's record decides).
fn still_valid(
    event: &Event,
    at: usize,
    previous: Option<&Attendee>,
    required_of: &HashMap<String, Vec<String>>,
) -> std::result::Result<(), String> {
    let person = &event.attendees[at];
    super::attendee::check_presence(event, person).map_err(|e| e.to_string())?;
    let Some(sessions) = required_of.get(&person.handle) else {
        return Ok(());
    };
    for session in sessions.iter().filter_map(|id| event.session(id)) {
        let Some(place) = session.placement() else { continue };
        let absent = |p: &Attendee| rules::absence(event, p, place.day, place.span);
        if let Some(why) = absent(person)
            && previous.is_none_or(|p| absent(p).is_none())
        {
            return Err(format!(
                "{why} (required at {}, {} {})",
                session.label(),
                place.day,
                place.span
            ));
        }
    }
    Ok(())
}

/// Adds the row's person or updates the one with the same handle or email. Returns what
/// happened, where the person is in `event.attendees`, and how they were before (if known).
/// `defaults` are the role and status of a person the form adds without saying.
/// Refuses (Err is the field and why) a row that would give one person another's email, or
/// add a handle that only looks like an existing one.
fn merge(
    event: &mut Event,
    row: Row,
    line: u64,
    defaults: (Role, Status),
    seen: &mut HashMap<String, u64>,
) -> std::result::Result<(Outcome, usize, Option<Attendee>), RowError> {
    let wanted_email = row.email.as_deref().map(str::to_lowercase).filter(|e| !e.is_empty());
    let by_handle = event
        .attendees
        .iter()
        .position(|a| a.handle.eq_ignore_ascii_case(&row.handle));
    let by_email = wanted_email
        .as_ref()
        .and_then(|email| event.attendees.iter().position(|a| a.email.eq_ignore_ascii_case(email)));
    if let (Some(person), Some(owner)) = (by_handle, by_email)
        && person != owner
    {
        return Err((
            "email".into(),
            format!(
                "the email belongs to '{}' (attendees.csv line {}), not to '{}'; not changed",
                event.attendees[owner].handle, event.attendees[owner].line, event.attendees[person].handle
            ),
        ));
    }
    let existing = by_handle.or(by_email);
    if existing.is_none()
        && let Some(alike) = crate::model::look_alike(&row.handle, event.attendees.iter().map(|a| a.handle.as_str()))
    {
        return Err((
            "handle".into(),
            format!(
                "handle '{}' looks like the existing handle '{alike}'; not added",
                row.handle
            ),
        ));
    }
    let all_days: Vec<String> = event.days.iter().map(|d| d.day.clone()).collect();
    match existing {
        Some(i) => {
            let person = &mut event.attendees[i];
            let before = person.clone();
            person.name = row.name;
            if let Some(email) = row.email {
                person.email = email;
            }
            if let Some(role) = row.role {
                person.role = role;
            }
            if let Some(teams) = row.teams {
                person.teams = teams;
            }
            if let Some(days) = row.days {
                person.days = days;
            }
            if let Some(arrives) = row.arrives {
                person.arrives = arrives;
            }
            if let Some(leaves) = row.leaves {
                person.leaves = leaves;
            }
            if let Some(status) = row.status {
                person.status = status;
            }
            let handle = person.handle.clone();
            let how = if handle.eq_ignore_ascii_case(&row.handle) {
                "same handle"
            } else {
                "same email"
            };
            let mut detail = match seen.insert(handle.to_lowercase(), line) {
                Some(earlier) => format!("{how}; replaces line {earlier} of this file"),
                None => how.to_string(),
            };
            for change in changes(&before, person) {
                detail += "; ";
                detail += &change;
            }
            let action = if *person == before { "unchanged" } else { "updated" };
            let outcome = Outcome {
                line,
                name: person.name.clone(),
                handle,
                action,
                detail,
            };
            Ok((outcome, i, Some(before)))
        }
        None => {
            let person = Attendee {
                handle: row.handle.clone(),
                name: row.name,
                email: row.email.unwrap_or_default(),
                role: row.role.unwrap_or(defaults.0),
                teams: row.teams.unwrap_or_default(),
                days: row.days.unwrap_or(all_days),
                arrives: row.arrives.flatten(),
                leaves: row.leaves.flatten(),
                status: row.status.unwrap_or(defaults.1),
                line: 0,
                extra: Default::default(),
            };
            seen.insert(person.handle.to_lowercase(), line);
            let outcome = Outcome {
                line,
                handle: person.handle.clone(),
                name: person.name.clone(),
                action: "added",
                detail: String::new(),
            };
            event.attendees.push(person);
            Ok((outcome, event.attendees.len() - 1, None))
        }
    }
}

/// Every field an update changes, as `email: a@x -> b@y`.
fn changes(before: &Attendee, after: &Attendee) -> Vec<String> {
    let time = |t: Option<Time>| t.map_or_else(|| "-".to_string(), |t| t.to_string());
    let fields = [
        ("name", before.name.clone(), after.name.clone()),
        ("email", before.email.clone(), after.email.clone()),
        ("role", before.role.to_string(), after.role.to_string()),
        ("teams", before.teams.join(";"), after.teams.join(";")),
        ("days", before.days.join(";"), after.days.join(";")),
        ("arrives", time(before.arrives), time(after.arrives)),
        ("leaves", time(before.leaves), time(after.leaves)),
        ("status", before.status.to_string(), after.status.to_string()),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| {
            let shown = |v: String| if v.is_empty() { "-".to_string() } else { v };
            format!("{field}: {} -> {}", shown(a), shown(b))
        })
        .collect()
}

fn summary(outcomes: &[Outcome], dry_run: bool) -> Listing {
    let mut listing = Listing::new(&["line", "handle", "name", "action", "detail"]).align_right(&["line"]);
    listing.empty_message = "the file has no rows".into();
    for o in outcomes {
        listing.push(vec![
            json!(o.line),
            json!(o.handle),
            json!(o.name),
            json!(o.action),
            json!(o.detail),
        ]);
    }
    let count = |action: &str| outcomes.iter().filter(|o| o.action == action).count();
    listing.footer.push(format!(
        "{}added {}, updated {}, unchanged {}, skipped {}",
        if dry_run {
            "dry run, nothing written: would have "
        } else {
            ""
        },
        count("added"),
        count("updated"),
        count("unchanged"),
        count("skipped")
    ));
    listing
}
