//! `publish` and `changes`: numbered versions of the schedule, and what changed since one.

use super::{Context, OutputArgs, Ui, now_utc, refuse_conflicts};
use crate::error::{Error, Result};
use crate::model::publish::{self, History, Schedule, Version};
use crate::model::{Event, rules};
use crate::render::changes::Report;
use crate::render::{Format, Terminal};

/// Record the current schedule as the next numbered version.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands publish --note \"Friday moves after the lang sync\"\n  \
    allhands changes --format md        then post what changed on Zulip\n\n\
    Writes versions.csv and published.csv in the data folder (plain CSV: commit them with the rest).\n\
    Refused, naming each problem, while `allhands check` finds a hard-rule break."
)]
pub struct PublishArgs {
    /// A note for this version, e.g. what it changes and why
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
}

/// What a publish recorded: its number, and the comparison with the version before.
struct Published {
    number: u32,
    scheduled: usize,
    unscheduled: usize,
    previous: Option<u32>,
}

/// What `publish` did.
enum Outcome {
    Published(Published),
    /// The schedule is the same as this version: nothing written.
    Unchanged(u32),
}

pub fn publish(ui: &Ui, ctx: &Context, args: PublishArgs) -> Result<()> {
    let at = now_utc()?;
    let store = ctx.store()?;
    let outcome = store.publish(|event, history| {
        // Say which session each problem is about, as `check` does, unless it already does.
        let mut conflicts = rules::all_conflicts(event);
        for c in &mut conflicts {
            if let Some(session) = event.session(&c.session)
                && !c.message.contains(&format!("{} '", c.session))
            {
                c.message = format!("{}: {}", session.label(), c.message);
            }
        }
        refuse_conflicts("publish while a hard rule is broken (see `allhands check`)", &conflicts)?;
        let current = Schedule::current(event);
        let previous = history.last().map(|v| v.number);
        if let Some(number) = previous
            && publish::changes(&history.schedule(number), &current).is_empty()
        {
            return Ok(Outcome::Unchanged(number));
        }
        // The note is one line of text: a pasted control character would reach terminals.
        let note: String = args
            .note
            .trim()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let number = history.push(&current, at, note);
        let scheduled = current.scheduled();
        Ok(Outcome::Published(Published {
            number,
            scheduled,
            unscheduled: current.sessions.len() - scheduled,
            previous,
        }))
    })?;
    let recorded = match outcome {
        Outcome::Published(recorded) => recorded,
        Outcome::Unchanged(last) => {
            return ui.status(format!(
                "Nothing to publish: the schedule is the same as version {last} (nothing written)."
            ));
        }
    };
    ui.status(format!(
        "Published version {}: {} sessions on the agenda, {} not scheduled.",
        recorded.number, recorded.scheduled, recorded.unscheduled
    ))?;
    if let Some(previous) = recorded.previous {
        let (event, history) = store.load_with_history()?;
        let terminal = ui.terminal(None);
        ui.print(&report_text(
            &event,
            &history,
            previous,
            Some(recorded.number),
            None,
            Format::Table,
            terminal,
        ))?;
        ui.status(format!(
            "For Zulip: allhands changes --since {previous} --to {} --format md",
            recorded.number
        ))?;
    }
    Ok(())
}

/// What changed on the agenda since a published version, and who it affects.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands changes                         since the last published version\n  \
    allhands changes --since 2 --format md   a post for Zulip\n  \
    allhands changes --since 1 --to 3        between two published versions\n  \
    allhands changes --attendee ferris       what changed for one person\n  \
    allhands changes --format json           for scripts"
)]
pub struct ChangesArgs {
    /// The published version to compare from [default: the last one, or the one before --to]
    #[arg(add = super::complete::versions(), long, value_name = "VERSION")]
    pub since: Option<u32>,
    /// A later published version to compare with [default: the current schedule]
    #[arg(add = super::complete::versions(), long, value_name = "VERSION")]
    pub to: Option<u32>,
    /// Only the changes that affect this person
    #[arg(add = super::complete::handles(), long, value_name = "HANDLE")]
    pub attendee: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn changes(ui: &Ui, ctx: &Context, args: ChangesArgs) -> Result<()> {
    let (event, history) = ctx.store()?.load_with_history()?;
    let Some(last) = history.last() else {
        return Err(Error::refused(
            "nothing is published yet: `allhands publish` records version 1, and `allhands changes` then shows \
             what changed since",
        ));
    };
    let since = match (args.since, args.to) {
        (Some(since), _) => since,
        (None, Some(1)) => {
            return Err(Error::refused(
                "--to 1: version 1 is the first, there is nothing before it to compare with (give --since)",
            ));
        }
        (None, Some(to)) => to.saturating_sub(1),
        (None, None) => last.number,
    };
    if let Some(to) = args.to {
        history.find(to).map_err(|m| Error::refused(format!("--to: {m}")))?;
    }
    history
        .find(since)
        .map_err(|m| Error::refused(format!("--since: {m}")))?;
    if let Some(to) = args.to
        && to <= since
    {
        return Err(Error::refused(format!(
            "--to {to} must be a later version than --since {since}"
        )));
    }
    let person = args
        .attendee
        .as_deref()
        .map(|h| event.find_attendee(h).map(|a| a.handle.clone()))
        .transpose()?;
    let terminal = ui.terminal(args.output.output.as_deref());
    let text = report_text(
        &event,
        &history,
        since,
        args.to,
        person.as_deref(),
        args.output.format(),
        terminal,
    );
    ui.output(args.output.output.as_deref(), text.as_bytes())
}

/// The comparison from version `since` to version `to` (or the current schedule), for
/// everyone or one person. Both versions must exist.
fn report_text(
    event: &Event,
    history: &History,
    since: u32,
    to: Option<u32>,
    person: Option<&str>,
    format: Format,
    terminal: Terminal,
) -> String {
    let version = |n: u32| -> &Version { history.version(n).expect("checked by the caller") };
    let before = history.schedule(since);
    let after = to.map_or_else(|| Schedule::current(event), |n| history.schedule(n));
    let mut changes = publish::changes(&before, &after);
    let mut affected = publish::affected(event, &before, &after, &changes);
    if let Some(handle) = person {
        affected.retain(|a| a.handle == handle);
        changes.retain(|c| {
            affected
                .iter()
                .any(|a| a.sessions.iter().any(|t| t.session == c.session))
        });
    }
    let report = Report {
        event,
        from: version(since),
        to: to.map(version),
        changes: &changes,
        affected: &affected,
        person,
    };
    report.render(format, terminal)
}
