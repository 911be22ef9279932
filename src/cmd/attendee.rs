//! `add-attendee`, `attendees`, `edit-attendee`, `remove-attendee`.

use serde_json::json;

use super::value::{self, Setting};
use super::{Context, OutputArgs, Ui, items, known_handles, refuse_conflicts};
use crate::error::{Error, Result};
use crate::model::Time;
use crate::model::{Attendee, Event, Role, Status, Tie, rules, validate_handle, validate_key};
use crate::render::{Listing, list_of, opt};
use crate::store::Parts;

/// Add a person to attendees.csv.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  allhands add-attendee ferris --name \"Ferris Crab\" --email ferris@example.org \\\n      \
    --role member --team lang --team compiler --days thu,fri --leaves 15:00 --status confirmed"
)]
pub struct AddArgs {
    /// Their handle (GitHub username), the key everything else refers to
    pub handle: String,
    /// Full name as shown on agendas
    #[arg(long)]
    pub name: String,
    /// Their email address (kept private: never in public output)
    #[arg(long, default_value = "")]
    pub email: String,
    /// member or guest
    #[arg(long, default_value = "member")]
    pub role: Role,
    /// A team they belong to (repeat, or separate with commas)
    #[arg(add = super::complete::teams(), long = "team", value_name = "TEAM")]
    pub teams: Vec<String>,
    /// The days they attend, e.g. thu,fri [default: every day]
    #[arg(long, value_name = "DAYS")]
    pub days: Vec<String>,
    /// Arrival time on their first day [default: from opening]
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub arrives: Option<Time>,
    /// Departure time on their last day [default: until closing]
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub leaves: Option<Time>,
    /// Where they are in the invitation process
    #[arg(long, default_value = "confirmed")]
    pub status: Status,
}

pub fn add(ui: &Ui, ctx: &Context, args: AddArgs) -> Result<()> {
    let person = ctx.store()?.update(|event| {
        // Handles are GitHub usernames, which ignore case: Alice and alice are one person.
        if let Some(existing) = event
            .attendees
            .iter()
            .find(|a| a.handle.eq_ignore_ascii_case(&args.handle))
        {
            return Err(Error::refused(format!(
                "attendee '{}' already exists (attendees.csv line {}); change them with `allhands edit-attendee {}`",
                existing.handle, existing.line, existing.handle
            )));
        }
        validate_key("handle", &args.handle).map_err(Error::refused)?;
        validate_handle(&args.handle).map_err(Error::refused)?;
        let existing = event.attendees.iter().map(|a| (a.handle.as_str(), a.line));
        super::refuse_look_alike("handle", "attendees.csv", &args.handle, existing)?;
        let person = Attendee {
            email: email(event, &args.handle, &args.email)?,
            teams: teams(event, &args.teams)?,
            days: days(event, &args.days)?,
            arrives: args.arrives,
            leaves: args.leaves,
            ..Attendee::new(
                args.handle.clone(),
                non_empty("--name", &args.name)?,
                args.role,
                args.status,
            )
        };
        check_presence(event, &person)?;
        event.attendees.push(person.clone());
        Ok(person)
    })?;
    ui.status(format!("Added {}: {}", person.handle, describe(&person)))
}

/// `Ferris Crab, member of lang, compiler; thu, fri (leaves fri 15:00); confirmed`.
fn describe(person: &Attendee) -> String {
    let teams = if person.teams.is_empty() {
        String::new()
    } else {
        format!(" of {}", person.teams.join(", "))
    };
    let mut when = person.days.join(", ");
    if let (Some(t), Some(first)) = (person.arrives, person.days.first()) {
        when += &format!(" (arrives {first} {t})");
    }
    if let (Some(t), Some(last)) = (person.leaves, person.days.last()) {
        when += &format!(" (leaves {last} {t})");
    }
    format!("{}, {}{teams}; {when}; {}", person.name, person.role, person.status)
}

fn non_empty(flag: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if let Err(message) = crate::model::validate_line(flag, text) {
        Err(Error::refused(message))
    } else if text.is_empty() {
        Err(Error::refused(format!("{flag} must not be empty")))
    } else {
        Ok(text.to_string())
    }
}

/// Checks an `--email`: an address, and nobody else's (one email, one person).
fn email(event: &Event, owner: &str, text: &str) -> Result<String> {
    let text = text.trim();
    crate::model::identity::validate_email(text).map_err(|m| Error::refused(format!("--email {m}")))?;
    if let Some(other) = event
        .attendees
        .iter()
        .find(|a| !text.is_empty() && a.email.eq_ignore_ascii_case(text) && !a.handle.eq_ignore_ascii_case(owner))
    {
        return Err(Error::refused(format!(
            "--email: that address belongs to '{}' (attendees.csv line {}); one email, one person",
            other.handle, other.line
        )));
    }
    Ok(text.to_string())
}

fn teams(event: &Event, values: &[String]) -> Result<Vec<String>> {
    let mut teams = items(values)
        .iter()
        .map(|team| event.team_key(team).map_err(|m| Error::refused(format!("--team: {m}"))))
        .collect::<Result<Vec<_>>>()?;
    teams.dedup();
    Ok(teams)
}

/// Resolves `--days thu,friday` to day ids in event order; no value means every day.
fn days(event: &Event, values: &[String]) -> Result<Vec<String>> {
    let mut days: Vec<String> = if values.is_empty() {
        event.days.iter().map(|d| d.id.clone()).collect()
    } else {
        items(values)
            .iter()
            .map(|v| {
                event
                    .find_day(v)
                    .map(|d| d.id.clone())
                    .map_err(|m| Error::refused(format!("--days: {m}")))
            })
            .collect::<Result<_>>()?
    };
    if days.is_empty() {
        let valid: Vec<&str> = event.days.iter().map(|d| d.id.as_str()).collect();
        return Err(Error::refused(if valid.is_empty() {
            "--days: the event has no days yet; add them to days.csv first".into()
        } else {
            format!("--days: no day given (valid: {})", valid.join(", "))
        }));
    }
    event.sort_days(&mut days);
    Ok(days)
}

/// Refuses arrival or departure times outside the opening hours (as `--arrives`/`--leaves`).
fn check_presence(event: &Event, person: &Attendee) -> Result<()> {
    match rules::presence_problem(event, person) {
        Some(problem) => Err(Error::refused(format!("--{problem}"))),
        None => Ok(()),
    }
}

/// List people.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands attendees --team lang --day fri\n  \
    allhands attendees --status invited --format csv --with-email -o invited.csv")]
pub struct ListArgs {
    /// Only members of this team
    #[arg(add = super::complete::teams(), long)]
    pub team: Option<String>,
    /// Only people there on this day
    #[arg(add = super::complete::days(), long)]
    pub day: Option<String>,
    /// Only people with this status
    #[arg(long)]
    pub status: Option<Status>,
    /// Only members or only guests
    #[arg(long)]
    pub role: Option<Role>,
    /// Include email addresses (left out by default: attendee data is personal)
    #[arg(long)]
    pub with_email: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn list(ui: &Ui, ctx: &Context, args: ListArgs) -> Result<()> {
    // The people and the event's days; not the sessions.
    let event = ctx.load_to_read(Parts {
        attendees: true,
        ..Parts::NONE
    })?;
    let day = args.day.as_deref().map(|d| super::day_arg(event, d)).transpose()?;
    if let Some(team) = &args.team {
        known_team(event, team)?;
    }
    let mut columns = vec!["handle", "name"];
    if args.with_email {
        columns.push("email");
    }
    columns.extend(["role", "teams", "days", "arrives", "leaves", "when", "status"]);
    // People read days with arrival and departure in one column ("thu fri, leaves 15:00");
    // programs get them apart. Keys and statuses never break mid-word.
    let mut listing = Listing::new(&columns)
        .hide_for_people(&["days", "arrives", "leaves"])
        .hide_for_programs(&["when"])
        .unbroken(&["handle", "role", "status"])
        .wide("name");
    listing.empty_message = "no attendees match".into();
    let row_of = |a: &Attendee| -> Option<Vec<serde_json::Value>> {
        let keep = args
            .team
            .as_ref()
            .is_none_or(|t| a.teams.iter().any(|x| crate::model::same_key(x, t)))
            && day.is_none_or(|d| a.days.contains(&d.id))
            && args.status.is_none_or(|s| a.status == s)
            && args.role.is_none_or(|r| a.role == r);
        if !keep {
            return None;
        }
        let mut row = vec![json!(a.handle), json!(a.name)];
        if args.with_email {
            row.push(json!(a.email));
        }
        row.extend([
            json!(a.role),
            list_of(&a.teams),
            list_of(&a.days),
            opt(a.arrives),
            opt(a.leaves),
            json!(when(a)),
            json!(a.status),
        ]);
        Some(row)
    };
    // The rows of thousands of people are made in two halves side by side.
    let people = &event.attendees;
    let rows = crate::parallel::in_halves(people, people.len() >= crate::parallel::MANY, |people| {
        people.iter().filter_map(row_of).collect()
    });
    let count = rows.len();
    rows.into_iter().for_each(|row| listing.push(row));
    listing
        .footer
        .push(format!("{count} of {} attendees", event.attendees.len()));
    ui.listing(&args.output, listing)
}

/// `thu fri sat`, then `arrives 13:00` / `leaves 15:00` when set.
fn when(a: &Attendee) -> String {
    let mut text = a.days.join(" ");
    if let Some(t) = a.arrives {
        text += &format!(", arrives {t}");
    }
    if let Some(t) = a.leaves {
        text += &format!(", leaves {t}");
    }
    text
}

/// Fails with a suggestion when no attendee is on `team`.
fn known_team(event: &Event, team: &str) -> Result<()> {
    event.find_team(team)?;
    Ok(())
}

/// Change a person's details; only the options given change.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands edit-attendee ferris --leaves 13:00\n  \
    allhands edit-attendee ferris --days thu,fri,sat --arrives \"\"   (empty clears)")]
pub struct EditArgs {
    /// Their handle (GitHub username)
    #[arg(add = super::complete::handles())]
    pub handle: String,
    /// Their full name
    #[arg(long)]
    pub name: Option<String>,
    /// Their email address
    #[arg(long)]
    pub email: Option<String>,
    /// member or guest
    #[arg(long)]
    pub role: Option<Role>,
    /// Replace their teams
    #[arg(long = "team", value_name = "TEAM")]
    pub teams: Option<Vec<String>>,
    /// Replace their days
    #[arg(long, value_name = "DAYS")]
    pub days: Option<Vec<String>>,
    /// Arrival on their first day ("" for from opening)
    #[arg(long, value_name = "HH:MM", value_parser = value::time_or_clear)]
    pub arrives: Option<Setting<Time>>,
    /// Departure on their last day ("" for until closing)
    #[arg(long, value_name = "HH:MM", value_parser = value::time_or_clear)]
    pub leaves: Option<Setting<Time>>,
    /// interested, invited, confirmed or declined
    #[arg(long)]
    pub status: Option<Status>,
}

pub fn edit(ui: &Ui, ctx: &Context, args: EditArgs) -> Result<()> {
    let (old, person) = ctx.store()?.update(|event| {
        let before = event.clone();
        let mut person = event.find_attendee(&args.handle)?.clone();
        if let Some(name) = &args.name {
            person.name = non_empty("--name", name)?;
        }
        if let Some(address) = &args.email {
            person.email = email(event, &person.handle, address)?;
        }
        if let Some(role) = args.role {
            person.role = role;
        }
        if let Some(values) = &args.teams {
            person.teams = teams(event, values)?;
        }
        if let Some(values) = &args.days {
            person.days = days(event, values)?;
        }
        if let Some(setting) = args.arrives {
            person.arrives = setting.into_option();
        }
        if let Some(setting) = args.leaves {
            person.leaves = setting.into_option();
        }
        if let Some(status) = args.status {
            person.status = status;
        }
        check_presence(event, &person)?;
        let slot = event
            .attendees
            .iter_mut()
            .find(|a| a.handle == person.handle)
            .expect("found above");
        *slot = person.clone();
        // New days or hours must not leave a session without a required person.
        let required: Vec<&str> = event
            .participants
            .iter()
            .filter(|p| p.handle == person.handle && p.tie == Tie::Required)
            .map(|p| p.session.as_str())
            .collect();
        refuse_conflicts(
            &format!("change {}", person.handle),
            &rules::new_conflicts(&before, event, &required),
        )?;
        let old = before.attendee(&person.handle).expect("found above").clone();
        Ok((old, person))
    })?;
    ui.changed(&old.handle.clone(), &old, &person)
}

/// Remove a person.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands remove-attendee ferris\n\n\
    Their interest in sessions goes with them. A person who is required at a session is kept\n\
    unless --force, which also takes them off those sessions.")]
pub struct RemoveArgs {
    /// Their handle (GitHub username)
    #[arg(add = super::complete::handles())]
    pub handle: String,
    /// Remove them even where they are required
    #[arg(long)]
    pub force: bool,
}

pub fn remove(ui: &Ui, ctx: &Context, args: RemoveArgs) -> Result<()> {
    let (handle, dropped) = ctx.store()?.update(|event| {
        let handle = known_handles(event, std::slice::from_ref(&args.handle))?.remove(0);
        let required: Vec<String> = event
            .participants
            .iter()
            .filter(|p| p.handle == handle && p.tie == Tie::Required)
            .map(|p| event.session(&p.session).map_or(p.session.to_string(), |s| s.label()))
            .collect();
        if !required.is_empty() && !args.force {
            return Err(Error::refused(format!(
                "{handle} is required at {}; take them off first (`allhands leave SESSION {handle}`) or use --force",
                required.join(", ")
            )));
        }
        event.attendees.retain(|a| a.handle != handle);
        let before = event.participants.len();
        event.participants.retain(|p| p.handle != handle);
        Ok((handle, before - event.participants.len()))
    })?;
    let sessions = if dropped == 1 { "session" } else { "sessions" };
    ui.status(format!("Removed {handle} (and their place in {dropped} {sessions})"))
}
