//! `now`: what is on in every room at a moment, and what comes next.

use serde_json::{Value, json};

use super::{Context, Moment, OutputArgs, Ui};
use crate::error::Result;
use crate::render::Listing;
use crate::store::Parts;

/// What is on in every room now, and what comes next.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands now                     now, in the event's time zone\n  \
    allhands now --day fri --at 14:30"
)]
pub struct Args {
    #[command(flatten)]
    pub moment: Moment,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    // Rooms and what is in them; not who is coming.
    let event = ctx.load_to_read(Parts {
        rooms: true,
        sessions: true,
        ..Parts::NONE
    })?;
    let (day, at) = args.moment.resolve(event)?;
    let scheduled = event.scheduled();
    let mut listing = Listing::new(&[
        "room",
        "room_name",
        "now",
        "now_title",
        "until",
        "next",
        "next_title",
        "next_start",
    ])
    .hide_for_people(&["room", "now", "next"])
    .people_header("room_name", "room")
    .people_header("now_title", "now")
    .people_header("next_title", "next")
    .people_header("next_start", "at");
    listing.section(format!("{} at {at}", day.short_heading()));
    for room in event.rooms_largest_first() {
        let here: Vec<_> = scheduled
            .iter()
            .filter(|(_, p)| p.day == day.id && p.room == room.id)
            .collect();
        let current = here.iter().find(|(_, p)| p.span.contains_time(at));
        let next = here.iter().find(|(_, p)| p.span.start > at);
        let title = |found: Option<&&(&crate::model::Session, crate::model::Placement<'_>)>| {
            found.map_or(Value::Null, |(s, _)| json!(s.title))
        };
        listing.push(vec![
            json!(room.id),
            json!(room.name),
            current.map_or(Value::Null, |(s, _)| json!(s.id)),
            title(current),
            current.map_or(Value::Null, |(_, p)| json!(p.span.end)),
            next.map_or(Value::Null, |(s, _)| json!(s.id)),
            title(next),
            next.map_or(Value::Null, |(_, p)| json!(p.span.start)),
        ]);
    }
    if at >= day.closes {
        // After closing: say so, and what the next day starts with.
        listing
            .footer
            .push(format!("{} is over (closed at {})", day.id, day.closes));
        let next_day = event.days.iter().filter(|d| d.date > day.date).min_by_key(|d| d.date);
        match next_day {
            Some(next) => {
                let first = scheduled
                    .iter()
                    .filter(|(_, p)| p.day == next.id)
                    .min_by_key(|(s, p)| (p.span.start, s.id.as_str()));
                listing.footer.push(match first {
                    Some((s, p)) => format!(
                        "next: {} opens at {}; first {} at {} in {}",
                        next.id,
                        next.opens,
                        s.label(),
                        p.span.start,
                        event.room_name(p.room)
                    ),
                    None => format!("next: {} opens at {}; nothing is scheduled yet", next.id, next.opens),
                });
            }
            None => listing.footer.push("that was the last day of the event".into()),
        }
    } else if !day.hours().contains_time(at) {
        listing.footer.push(format!("{} is open {}", day.id, day.hours()));
    }
    ui.listing(&args.output, listing)
}
