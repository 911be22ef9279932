//! `stats`: the event in figures.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::check::Runs;
use super::{Context, OutputArgs, Ui};
use crate::error::Result;
use crate::model::{Event, Kind, Role, Status, format_duration, rules};
use crate::render::Listing;
use crate::store::Parts;

/// Attendees by status, role, day and team; room use per day; sessions; clashes.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands stats\n  allhands stats --format json")]
pub struct Args {
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let event = ctx.load_to_read(Parts::ALL)?;
    ui.listing(&args.output, listing(event))
}

fn percent(part: usize, whole: usize) -> Value {
    if whole == 0 {
        Value::Null
    } else {
        json!((part as f64 * 1000.0 / whole as f64).round() / 10.0)
    }
}

fn listing(event: &Event) -> Listing {
    let index = rules::Index::new(event);
    // The missed sessions, the largest part, are found on a second core while the rest is
    // counted (with the two roles swapped it took as long).
    let ((mut listing, conflicts), missed) = crate::parallel::join_if(
        rules::worth_two_cores(event),
        || figures(event, &index),
        || rules::missed(&index),
    );
    clash_figures(&mut listing, event, missed, conflicts);
    listing
}

/// One row of the listing.
fn row(listing: &mut Listing, section: &str, name: String, value: Value, share: Value) {
    listing.push(vec![json!(section), json!(name), value, share]);
}

/// The listing but for the clashes and missed sessions, and the number of hard-rule conflicts.
fn figures(event: &Event, index: &rules::Index<'_>) -> (Listing, usize) {
    let mut listing = Listing::new(&["section", "name", "value", "share"])
        .hide_for_people(&["section"])
        .align_right(&["value", "share"])
        .people_header("share", "%");
    let people = event.attendees.len();

    listing.section(format!("Attendees ({people})"));
    for status in Status::ALL {
        let n = event.attendees.iter().filter(|a| a.status == *status).count();
        row(&mut listing, "status", status.to_string(), json!(n), percent(n, people));
    }
    for role in Role::ALL {
        let n = event.attendees.iter().filter(|a| a.role == *role).count();
        row(&mut listing, "role", role.to_string(), json!(n), percent(n, people));
    }
    // Declined people are not coming: days count the others.
    let coming: Vec<_> = event
        .attendees
        .iter()
        .filter(|a| a.status != Status::Declined)
        .collect();
    for day in &event.days {
        let n = coming.iter().filter(|a| a.days.contains(&day.id)).count();
        row(
            &mut listing,
            "day",
            format!("on {} (not declined)", day.id),
            json!(n),
            percent(n, coming.len()),
        );
    }

    let mut teams: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &event.attendees {
        for t in &a.teams {
            *teams.entry(t).or_insert(0) += 1;
        }
    }
    let mut teams: Vec<_> = teams.into_iter().collect();
    teams.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    listing.section("Teams");
    for (team, n) in teams {
        row(&mut listing, "team", team.to_string(), json!(n), percent(n, people));
    }

    let scheduled = event.scheduled();
    // Minutes booked per (day, room), in one pass over the schedule.
    let mut booked_in: std::collections::HashMap<(&str, &str), u32> = std::collections::HashMap::new();
    for (_, at) in &scheduled {
        *booked_in.entry((at.day, at.room)).or_default() += at.span.minutes();
    }
    for day in &event.days {
        let open = day.hours().minutes();
        listing.section(format!(
            "Room use on {} (booked of {} open)",
            day.id,
            format_duration(open)
        ));
        for room in &event.rooms {
            let booked = booked_in
                .get(&(day.id.as_str(), room.id.as_str()))
                .copied()
                .unwrap_or(0);
            row(
                &mut listing,
                &format!("room use {}", day.id),
                room.name.clone(),
                json!(format_duration(booked)),
                percent(booked as usize, open as usize),
            );
        }
    }

    let sessions = event.sessions.len();
    listing.section(format!("Sessions ({sessions})"));
    let placed = scheduled.len();
    row(
        &mut listing,
        "sessions",
        "scheduled".into(),
        json!(placed),
        percent(placed, sessions),
    );
    row(
        &mut listing,
        "sessions",
        "not scheduled".into(),
        json!(sessions - placed),
        percent(sessions - placed, sessions),
    );
    for kind in Kind::ALL {
        let n = event.sessions.iter().filter(|s| s.kind == *kind).count();
        row(
            &mut listing,
            "sessions",
            kind.to_string(),
            json!(n),
            percent(n, sessions),
        );
    }
    let pinned = event.sessions.iter().filter(|s| s.pinned).count();
    row(
        &mut listing,
        "sessions",
        "pinned".into(),
        json!(pinned),
        percent(pinned, sessions),
    );

    (listing, rules::all_conflicts_in(index).len())
}

/// The clashes and missed sessions (`missed`), the preferences not met and the hard-rule
/// conflicts (`conflicts`).
fn clash_figures(
    listing: &mut Listing,
    event: &Event,
    (clashes, away): (Vec<rules::Clash>, Vec<rules::Away<'_>>),
    conflicts: usize,
) {
    let people = event.attendees.len();
    let unmet = rules::preferences_unmet(event).len();
    // Sessions missed per person: one per clash (of two overlapping sessions they can see at
    // most one) and one per wanted session at a time they are not there. Both lists are
    // sorted by handle: a stable sort merges them.
    let mut missing: Vec<&str> = Vec::with_capacity(clashes.len() + away.len());
    missing.extend(clashes.iter().map(|c| c.handle.as_str()));
    missing.extend(away.iter().map(|a| a.handle()));
    missing.sort();
    let per_person = Runs::of(missing.into_iter());
    listing.section("Clashes and missed sessions");
    row(
        listing,
        "clashes",
        "attendee clashes".into(),
        json!(clashes.len()),
        Value::Null,
    );
    row(
        listing,
        "clashes",
        "missed for being away".into(),
        json!(away.len()),
        Value::Null,
    );
    row(
        listing,
        "clashes",
        "attendees who miss a session they want".into(),
        json!(per_person.people),
        percent(per_person.people, people),
    );
    if let Some((who, n)) = per_person.most {
        row(listing, "clashes", format!("worst off: {who}"), json!(n), Value::Null);
    }
    row(
        listing,
        "clashes",
        "preferences not met".into(),
        json!(unmet),
        Value::Null,
    );
    row(
        listing,
        "clashes",
        "hard-rule conflicts".into(),
        json!(conflicts),
        Value::Null,
    );
}
