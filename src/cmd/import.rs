//! `import-attendees`: people from a registration form's CSV export.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::json;

use super::{Context, OutputArgs, Ui};
use crate::error::{Error, Result};
use crate::import::columns::{Columns, map_columns};
use crate::model::{Attendee, Event, Role, Status, Time, rules, validate_handle, validate_line};
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

const FIELDS: [&str; 12] = [
    "handle",
    "name",
    "first_name",
    "last_name",
    "email",
    "role",
    "teams",
    "days",
    "arrives",
    "leaves",
    "status",
    "ignore",
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
    } else if has("first name") || has("given name") || has("first_name") {
        "first_name"
    } else if has("last name") || has("surname") || has("family name") || has("last_name") {
        "last_name"
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

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let (header, rows) = store::read_foreign_csv(&args.file)?;
    let fields = map_columns(&header, &args.maps, &ATTENDEE_COLUMNS)?;
    let form = Form {
        file: args.file.display().to_string(),
        header: &header,
        fields: &fields,
        rows: &rows,
    };
    let apply = |event: &mut Event| import_rows(event, &form, &args);
    let outcomes = if args.dry_run {
        let mut event = ctx.load()?;
        apply(&mut event)?
    } else {
        ctx.store()?.update(apply)?
    };
    ui.listing(&args.output, summary(&outcomes, args.dry_run, &header, &fields))
}

/// A form read and its columns mapped: what the rows are imported from.
struct Form<'a> {
    file: String,
    header: &'a [String],
    fields: &'a [Option<&'static str>],
    rows: &'a [(u64, Vec<String>)],
}

/// Imports every row: parse it into a person (`person_from_row`), merge it into the event
/// (`merge`), then check the event still holds (`still_valid`), undoing a row that breaks it.
/// Any invalid row fails the whole import unless `--skip-invalid`.
fn import_rows(event: &mut Event, form: &Form<'_>, args: &Args) -> Result<Vec<Outcome>> {
    let (file, header, fields, rows) = (&form.file, form.header, form.fields, form.rows);
    let mut outcomes = Vec::new();
    let mut problems = Vec::new();
    // Lines of this file that added or updated each handle, for repeated responses.
    let mut seen: HashMap<String, u64> = HashMap::new();
    // Sessions each person is required at: an update to them must not strand one.
    let required_of = required_sessions_of(event);
    for (line, cells) in rows {
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
        return Err(Error::refused(format!(
            "{} invalid row(s); nothing imported (fix them, or use --skip-invalid):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    Ok(outcomes)
}

/// The sessions each person is required at.
fn required_sessions_of(event: &Event) -> HashMap<String, Vec<String>> {
    let mut required_of: HashMap<String, Vec<String>> = HashMap::new();
    for p in event
        .participants
        .iter()
        .filter(|p| p.tie == crate::model::Tie::Required)
    {
        required_of
            .entry(p.handle.to_string())
            .or_default()
            .push(p.session.to_string());
    }
    required_of
}

const ATTENDEE_COLUMNS: Columns = Columns {
    fields: &FIELDS,
    guess: guess_field,
    // A row is a person when it has a handle, an email or a name: one of those columns.
    needed: &["handle|email|name|first_name"],
};

/// A row's values, checked. Err is (the form's column, what is wrong).
struct Row {
    /// `None` when the form left it empty: found by email, or made up from the name.
    handle: Option<String>,
    name: Option<String>,
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
    if !handle.is_empty() {
        validate_handle(&handle).map_err(|m| err("handle", m))?;
    }
    // "First name" + "Last name" columns make one name.
    let name = match get("name").1.trim() {
        "" => [get("first_name").1.trim(), get("last_name").1.trim()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        name => name.to_string(),
    };
    let name_column = if present("name") { "name" } else { "first_name" };
    validate_line("the name", &name).map_err(|m| err(name_column, m))?;
    let email = get("email").1.trim();
    validate_line("the email", email).map_err(|m| err("email", m))?;
    crate::model::identity::validate_email(email).map_err(|m| err("email", m))?;
    let list = |text: &str| super::items(&[text.to_string()]);
    let teams = if present("teams") && !get("teams").1.trim().is_empty() {
        let teams = list(get("teams").1)
            .iter()
            .map(|t| event.team_key(t).map_err(|m| err("teams", m)))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Some(teams)
    } else {
        None
    };
    let days = if present("days") && !get("days").1.trim().is_empty() {
        let days = event.days_from_answer(get("days").1).map_err(|m| {
            let valid: Vec<String> = event.days.iter().map(|d| d.label()).collect();
            err("days", format!("{m} (valid: {}, or 'all days')", valid.join(", ")))
        })?;
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
            return Ok(None);
        }
        Time::parse(text)
            .map(|t| Some(Some(t)))
            .map_err(|e| err(field, format!("{field}: {e}")))
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
    if handle.is_empty() && name.is_empty() && email.is_empty() {
        return Err(err(
            "handle",
            "neither a handle, a name nor an email: nobody to add or update".into(),
        ));
    }
    // An empty cell says nothing: it never erases what is stored (an organizer's hand edits
    // survive a re-import).
    let said = |text: String| (!text.is_empty()).then_some(text);
    Ok(Row {
        handle: said(handle),
        name: said(name),
        email: said(email.to_string()),
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
    if let Some(problem) = rules::presence_problem(event, person) {
        return Err(problem);
    }
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
    let by_handle = row.handle.as_ref().and_then(|handle| {
        event
            .attendees
            .iter()
            .position(|a| a.handle.eq_ignore_ascii_case(handle))
    });
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
        && let Some(handle) = &row.handle
        && let Some(alike) = crate::model::look_alike(handle, event.attendees.iter().map(|a| a.handle.as_str()))
    {
        return Err((
            "handle".into(),
            format!("handle '{handle}' looks like the existing handle '{alike}'; not added"),
        ));
    }
    let all_days: Vec<String> = event.days.iter().map(|d| d.id.clone()).collect();
    match existing {
        Some(i) => {
            let person = &mut event.attendees[i];
            let before = person.clone();
            if let Some(name) = row.name {
                person.name = name;
            }
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
            let how = if row.handle.as_ref().is_some_and(|h| h.eq_ignore_ascii_case(&handle)) {
                "same handle"
            } else {
                "same email"
            };
            let mut detail = match seen.insert(handle.to_lowercase(), line) {
                Some(earlier) => format!("{how}; replaces line {earlier} of this file"),
                None => how.to_string(),
            };
            for change in store::field_changes(&before, person) {
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
            // Someone new: a handle from the form, else one made up from the name or the
            // email (GitHub-style, unused), said in the report.
            let email_local = row
                .email
                .as_deref()
                .and_then(|e| e.split('@').next())
                .unwrap_or_default();
            let name = row.name.clone().unwrap_or_else(|| email_local.to_string());
            let (handle, made_up) = match &row.handle {
                Some(handle) => (handle.clone(), None),
                None => {
                    let from = if row.name.is_some() { "the name" } else { "the email" };
                    let base = crate::model::handle_from(&name);
                    let taken = |h: &str| event.attendees.iter().any(|a| a.handle.eq_ignore_ascii_case(h));
                    let handle = (1..)
                        .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
                        .find(|h| !taken(h))
                        .expect("some suffix is free");
                    (handle, Some(format!("handle made up from {from}")))
                }
            };
            let person = Attendee {
                email: row.email.unwrap_or_default(),
                teams: row.teams.unwrap_or_default(),
                days: row.days.unwrap_or(all_days),
                arrives: row.arrives.flatten(),
                leaves: row.leaves.flatten(),
                ..Attendee::new(
                    handle,
                    name,
                    row.role.unwrap_or(defaults.0),
                    row.status.unwrap_or(defaults.1),
                )
            };
            seen.insert(person.handle.to_lowercase(), line);
            let outcome = Outcome {
                line,
                handle: person.handle.clone(),
                name: person.name.clone(),
                action: "added",
                detail: made_up.unwrap_or_default(),
            };
            event.attendees.push(person);
            Ok((outcome, event.attendees.len() - 1, None))
        }
    }
}

fn summary(outcomes: &[Outcome], dry_run: bool, header: &[String], fields: &[Option<&'static str>]) -> Listing {
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
    // Every column of the form is either read as a field or named as ignored; a dry run
    // shows the whole mapping, so a wrong guess is seen before anything is written.
    let ignored: Vec<String> = header
        .iter()
        .zip(fields)
        .filter(|(_, f)| matches!(f, None | Some("ignore")))
        .map(|(h, _)| format!("'{h}'"))
        .collect();
    if dry_run {
        let used: Vec<String> = header
            .iter()
            .zip(fields)
            .filter_map(|(h, f)| f.filter(|f| *f != "ignore").map(|f| format!("'{h}' -> {f}")))
            .collect();
        listing.footer.push(format!("columns read: {}", used.join(", ")));
    }
    if !ignored.is_empty() {
        listing.footer.push(format!(
            "columns ignored: {} (read one with --map \"COLUMN=FIELD\")",
            ignored.join(", ")
        ));
    }
    listing
}
