//! `add-session`, `edit-session`, `remove-session`, `join`, `leave`.

use super::value::{self, Setting};
use super::{Context, Ui, add_participants, day_arg, features, items, known_handles, refuse_conflicts, team, title};
use crate::error::{Error, Result};
use crate::model::{Event, Kind, Session, Tie, Time, format_duration, rules, validate_key};

/// Add a session, unscheduled (book it, or let `plan` place it).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  allhands add-session \"Const generics\" --team lang --duration 90 --needs projector \\\n      \
    --required ferris --interested alice,bob"
)]
pub struct AddArgs {
    /// What it is about, one line
    pub title: String,
    /// Session id [default: the next free S### number]
    #[arg(long)]
    pub id: Option<String>,
    /// The team it belongs to
    #[arg(add = super::complete::teams(), long, default_value = "")]
    pub team: String,
    /// Length: 90, 90m or 1h30
    #[arg(long, visible_alias = "for", default_value = "60", value_parser = value::duration, allow_negative_numbers = true)]
    pub duration: u32,
    /// Room features it needs (repeat, or separate with commas)
    #[arg(long, value_name = "FEATURES")]
    pub needs: Vec<String>,
    /// People who must be there
    #[arg(add = super::complete::handles(), long, value_name = "HANDLES")]
    pub required: Vec<String>,
    /// People who would like to be there
    #[arg(add = super::complete::handles(), long, value_name = "HANDLES")]
    pub interested: Vec<String>,
    /// planned, or adhoc (booked on the spot)
    #[arg(long, default_value = "planned")]
    pub kind: Kind,
    /// Expected attendance, when more than the listed people
    #[arg(long)]
    pub size: Option<u32>,
    /// Never moved by the planner
    #[arg(long, visible_alias = "pin")]
    pub pinned: bool,
    #[command(flatten)]
    pub wishes: Wishes,
}

/// Who a session is for and when it may be: the options `add-session` and `edit-session` share.
/// On `edit-session` an empty value ("") clears a setting.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Wishes {
    /// Teams whose members (those at the event then) count as interested [e.g. lang,compiler]
    #[arg(add = super::complete::teams(), long, value_name = "TEAMS")]
    pub audience: Option<Vec<String>>,
    /// A plenary: everyone counts, and no other session may overlap it
    #[arg(long, conflicts_with = "audience")]
    pub plenary: bool,
    /// The days it may take place on [default: any]
    #[arg(add = super::complete::days(), long, value_name = "DAYS")]
    pub days: Option<Vec<String>>,
    /// It may not start before this time of day
    #[arg(long, value_name = "HH:MM", value_parser = value::time_or_clear)]
    pub not_before: Option<Setting<Time>>,
    /// It must end by this time of day
    #[arg(long, value_name = "HH:MM", value_parser = value::time_or_clear)]
    pub not_after: Option<Setting<Time>>,
    /// A soft wish: morning (ends by 12:30), afternoon (starts 12:00 or later), or a day
    #[arg(long, value_name = "WHEN")]
    pub prefer: Option<String>,
    /// Sessions it must never overlap, either way round [e.g. S012,S013]
    #[arg(add = super::complete::sessions(), long, value_name = "IDS")]
    pub apart: Option<Vec<String>>,
    /// Where the proposal came from (e.g. its GitHub issue's URL)
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// Free-text notes
    #[arg(long)]
    pub notes: Option<String>,
}

impl Wishes {
    /// Sets what was given on `session`, each value checked against the event.
    pub fn apply(&self, event: &Event, session: &mut Session) -> Result<()> {
        if self.plenary {
            session.audience = vec![crate::model::EVERYONE.to_string()];
        }
        if let Some(values) = &self.audience {
            session.audience = items(values)
                .iter()
                .map(|team| {
                    event
                        .find_audience(team)
                        .map_err(|m| Error::refused(format!("--audience: {m}")))
                })
                .collect::<Result<_>>()?;
            session.audience.dedup();
        }
        if let Some(values) = &self.days {
            let mut days = items(values)
                .iter()
                .map(|d| day_arg(event, d).map(|day| day.id.clone()))
                .collect::<Result<Vec<_>>>()
                .map_err(|e| Error::refused(format!("--days: {}", e.to_string().trim_start_matches("--day: "))))?;
            event.sort_days(&mut days);
            session.days = days;
        }
        if let Some(setting) = self.not_before {
            session.not_before = setting.into_option();
        }
        if let Some(setting) = self.not_after {
            session.not_after = setting.into_option();
        }
        if let Some(text) = &self.prefer {
            session.prefer = match text.trim() {
                "" => None,
                text => Some(
                    event
                        .find_preference(text)
                        .map_err(|m| Error::refused(format!("--prefer: {m}")))?,
                ),
            };
        }
        if let Some(values) = &self.apart {
            let mut ids = Vec::new();
            for id in items(values) {
                let other = event
                    .find_session(&id)
                    .map_err(|m| Error::refused(format!("--apart: {m}")))?;
                if other.id == session.id {
                    return Err(Error::refused(format!(
                        "--apart: {} cannot be kept apart from itself",
                        session.id
                    )));
                }
                ids.push(other.id.clone());
            }
            ids.sort();
            ids.dedup();
            session.apart = ids;
        }
        if let Some(text) = &self.source {
            session.source = one_line("--source", text)?;
        }
        if let Some(text) = &self.notes {
            session.notes = one_line("--notes", text)?;
        }
        if let (Some(from), Some(to)) = (session.not_before, session.not_after)
            && !session.fits_its_window()
        {
            return Err(Error::refused(format!(
                "{} ({}) cannot fit between --not-before {from} and --not-after {to}",
                session.id,
                format_duration(session.duration)
            )));
        }
        Ok(())
    }
}

/// A free-text flag that must stay on one line (it ends up in calendars and tables).
fn one_line(flag: &str, text: &str) -> Result<String> {
    if text.chars().any(char::is_control) {
        return Err(Error::refused(format!(
            "{flag} must be one line without control characters"
        )));
    }
    Ok(text.trim().to_string())
}

pub fn add(ui: &Ui, ctx: &Context, args: AddArgs) -> Result<()> {
    let (session, people, required) = ctx.store()?.update(|event| {
        let id = args.id.clone().unwrap_or_else(|| event.next_session_id());
        validate_key("session id", &id).map_err(Error::refused)?;
        if let Some(existing) = event.session(&id) {
            return Err(Error::refused(format!(
                "session {} already exists (sessions.csv line {})",
                id, existing.line
            )));
        }
        let existing = event.sessions.iter().map(|s| (s.id.as_str(), s.line));
        super::refuse_look_alike("session", "sessions.csv", &id, existing)?;
        let (title, team) = (title(&args.title)?, team(&args.team)?);
        let duration = args.duration;
        let mut session = Session {
            needs: features(&args.needs)?,
            size: args.size,
            pinned: args.pinned,
            ..Session::new(id.clone(), title, args.kind, team, duration)
        };
        args.wishes.apply(event, &mut session)?;
        event.sessions.push(session.clone());
        add_participants(event, &id, &args.required, &args.interested)?;
        let people = event.participants_of(&id).count();
        let required = event.participants_of(&id).filter(|p| p.tie == Tie::Required).count();
        Ok((session, people, required))
    })?;
    ui.status(format!(
        "Added {} ({}, {}{}), unscheduled, with {required} required and {} interested.\n\
         Book it with `allhands book {} --day DAY --at HH:MM`, or let `allhands plan` place it.",
        session.label(),
        if session.team.is_empty() {
            "no team"
        } else {
            &session.team
        },
        format_duration(session.duration),
        {
            let mut extra = String::new();
            if !session.needs.is_empty() {
                extra += &format!(", needs {}", session.needs.join(", "));
            }
            if session.is_plenary() {
                extra += ", a plenary: everyone, nothing beside it";
            } else if !session.audience.is_empty() {
                extra += &format!(", for the {} team(s)", session.audience.join(", "));
            }
            let constraints = session.constraints();
            if !constraints.is_empty() {
                extra += &format!("; {constraints}");
            }
            extra
        },
        people - required,
        session.id
    ))
}

/// Change a session; only the options given change. Moving it checks the hard rules.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands edit-session S012 --duration 1h30 --needs projector\n  \
    allhands edit-session S012 --pin\n  allhands edit-session S012 --day fri --at 14:00 --room blue"
)]
pub struct EditArgs {
    /// The session's id (S012)
    #[arg(add = super::complete::sessions())]
    pub id: String,
    /// A new title, one line
    #[arg(long)]
    pub title: Option<String>,
    /// The team it belongs to
    #[arg(add = super::complete::teams(), long)]
    pub team: Option<String>,
    /// Length: 90, 90m or 1h30
    #[arg(long, visible_alias = "for", value_parser = value::duration, allow_negative_numbers = true)]
    pub duration: Option<u32>,
    /// Replace the needed features ("" for none)
    #[arg(long, value_name = "FEATURES")]
    pub needs: Option<Vec<String>>,
    /// planned or adhoc
    #[arg(long)]
    pub kind: Option<Kind>,
    /// Expected attendance (0 for just the listed people)
    #[arg(long)]
    pub size: Option<u32>,
    /// Never moved by the planner from now on
    #[arg(long, visible_alias = "pinned", conflicts_with = "unpin")]
    pub pin: bool,
    /// The planner may move it again
    #[arg(long)]
    pub unpin: bool,
    /// Move it to this day (with --at and --room)
    #[arg(add = super::complete::days(), long)]
    pub day: Option<String>,
    /// Move it to this start time
    #[arg(long, value_name = "HH:MM", value_parser = value::start)]
    pub at: Option<Time>,
    /// Move it to this room (id or name)
    #[arg(add = super::complete::rooms(), long)]
    pub room: Option<String>,
    #[command(flatten)]
    pub wishes: Wishes,
}

pub fn edit(ui: &Ui, ctx: &Context, args: EditArgs) -> Result<()> {
    let (old, session) = ctx.store()?.update(|event| {
        let before = event.clone();
        let mut session = event.find_session(&args.id)?.clone();
        if let Some(text) = &args.title {
            session.title = title(text)?;
        }
        if let Some(text) = &args.team {
            session.team = team(text)?;
        }
        if let Some(duration) = args.duration {
            session.duration = duration;
        }
        if let Some(values) = &args.needs {
            session.needs = features(values)?;
        }
        if let Some(kind) = args.kind {
            session.kind = kind;
        }
        if let Some(size) = args.size {
            session.size = (size > 0).then_some(size);
        }
        session.pinned = (session.pinned || args.pin) && !args.unpin;
        if let Some(day) = &args.day {
            session.day = Some(day_arg(event, day)?.id.clone());
        }
        if let Some(at) = args.at {
            session.start = Some(at);
        }
        if let Some(room) = &args.room {
            session.room = Some(event.find_room(room)?.id.clone());
        }
        args.wishes.apply(event, &mut session)?;
        if session.is_partly_scheduled() {
            return Err(Error::refused(format!(
                "{} needs all of --day, --at and --room to be scheduled (or none: `allhands unbook {}`)",
                session.id, session.id
            )));
        }
        let moved = before.session(&session.id).and_then(|s| s.placement()) != session.placement();
        *event.session_mut(&session.id).expect("found above") = session.clone();
        // A move must land somewhere clean, as with `book`; other changes must only not make
        // things worse (an old problem does not block a rename).
        let conflicts = if moved {
            rules::conflicts_of(&rules::Index::new(event), &session)
        } else {
            rules::new_conflicts(&before, event, &[&session.id])
        };
        refuse_conflicts(&format!("change {}", session.label()), &conflicts)?;
        let old = before.session(&session.id).expect("found above").clone();
        Ok((old, session))
    })?;
    ui.changed(&session.label(), &old, &session)
}

/// Remove a session and everyone's tie to it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands remove-session S067")]
pub struct RemoveArgs {
    /// The session's id (S012)
    #[arg(add = super::complete::sessions())]
    pub id: String,
}

pub fn remove(ui: &Ui, ctx: &Context, args: RemoveArgs) -> Result<()> {
    let (session, people) = ctx.store()?.update(|event| {
        let session = event.find_session(&args.id)?.clone();
        event.sessions.retain(|s| s.id != session.id);
        let before = event.participants.len();
        event.participants.retain(|p| p.session != session.id);
        Ok((session, before - event.participants.len()))
    })?;
    ui.status(format!("Removed {} (and {people} participant rows)", session.label()))
}

/// Add people to a session.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands join S012 alice bob\n  allhands join S012 ferris --required\n\n\
    A required person must be free and present for the whole session; anyone added must still fit the room."
)]
pub struct JoinArgs {
    /// The session's id (S012)
    #[arg(add = super::complete::sessions())]
    pub session: String,
    /// Who joins (handles)
    #[arg(add = super::complete::handles(), required = true)]
    pub handles: Vec<String>,
    /// They must be there (default: interested)
    #[arg(long)]
    pub required: bool,
}

pub fn join(ui: &Ui, ctx: &Context, args: JoinArgs) -> Result<()> {
    let (session, changed) = ctx.store()?.update(|event| {
        let before = event.clone();
        let session = event.find_session(&args.session)?.clone();
        let (required, interested) = if args.required {
            (args.handles.clone(), vec![])
        } else {
            (vec![], args.handles.clone())
        };
        let changed = add_participants(event, &session.id, &required, &interested)?;
        let what = format!("add {} to {}", changed.join(", "), session.label());
        refuse_conflicts(&what, &rules::new_conflicts(&before, event, &[&session.id]))?;
        Ok((session, changed))
    })?;
    let role = if args.required { "required" } else { "interested" };
    if changed.is_empty() {
        ui.status(format!("No change: already in {}", session.label()))
    } else {
        ui.status(format!("{} now {role} at {}", changed.join(", "), session.label()))
    }
}

/// Take people off a session.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands leave S012 bob")]
pub struct LeaveArgs {
    /// The session's id (S012)
    #[arg(add = super::complete::sessions())]
    pub session: String,
    /// Who leaves (handles)
    #[arg(add = super::complete::handles(), required = true)]
    pub handles: Vec<String>,
}

pub fn leave(ui: &Ui, ctx: &Context, args: LeaveArgs) -> Result<()> {
    let (session, left, absent) = ctx.store()?.update(|event| {
        let session = event.find_session(&args.session)?.clone();
        let handles = known_handles(event, &items(&args.handles))?;
        let tied = |h: &String| {
            event
                .participants
                .iter()
                .any(|p| p.session == session.id && p.handle == *h)
        };
        // Someone who is not in it answers like `join` of someone already there: no change.
        let (left, absent): (Vec<String>, Vec<String>) = handles.into_iter().partition(|h| tied(h));
        event
            .participants
            .retain(|p| !(p.session == session.id && left.iter().any(|h| *h == p.handle)));
        Ok((session, left, absent))
    })?;
    let mut lines = Vec::new();
    if !left.is_empty() {
        lines.push(format!("{} left {}", left.join(", "), session.label()));
    }
    if !absent.is_empty() {
        lines.push(format!("No change: {} not in {}", absent.join(", "), session.label()));
    }
    ui.status(lines.join("\n"))
}
