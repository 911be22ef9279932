//! `add-day`, `edit-day`, `add-slot`, `remove-slot`: the day grid, so nobody edits days.csv or
//! slots.csv by hand.

use chrono::NaiveDate;

use super::value;
use super::{Context, GridArgs, Ui, day_arg, refuse_conflicts};
use crate::error::{Error, Result};
use crate::model::{Day, Event, Slot, Time, integrity, rules};

/// Add a day to the event, with a grid of slots.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands add-day 2026-05-24\n  \
    allhands add-day 2026-05-24 --opens 10:00 --closes 16:00 --block 60 --lunch none")]
pub struct AddDayArgs {
    /// The date, YYYY-MM-DD
    pub date: NaiveDate,
    /// Its short name [default: the weekday, e.g. sun]
    #[arg(long)]
    pub id: Option<String>,
    /// When it opens
    #[arg(long, value_name = "HH:MM", default_value = "09:00", value_parser = value::time)]
    pub opens: Time,
    /// When it closes
    #[arg(long, value_name = "HH:MM", default_value = "17:30", value_parser = value::time)]
    pub closes: Time,
    #[command(flatten)]
    pub grid: GridArgs,
}

pub fn add_day(ui: &Ui, ctx: &Context, args: AddDayArgs) -> Result<()> {
    let (day, slots) = ctx.store()?.update(|event| {
        let (opens, closes) = hours(args.opens, args.closes)?;
        if let Some(same) = event.days.iter().find(|d| d.date == args.date) {
            return Err(Error::refused(format!("{} is already day {}", args.date, same.id)));
        }
        let id = match &args.id {
            Some(id) => {
                crate::model::validate_key("day", id).map_err(Error::refused)?;
                id.to_lowercase()
            }
            None => Day::id_for(args.date, event.days.len(), event.days.len() + 1),
        };
        if event.day(&id).is_some() {
            return Err(Error::refused(format!(
                "there is already a day '{id}'; give another with --id"
            )));
        }
        let day = Day::new(id, args.date, opens, closes);
        let slots = args.grid.grid()?.map_or_else(Vec::new, |g| g.slots(&day));
        event.days.push(day.clone());
        event.days.sort_by_key(|d| d.date);
        event.slots.extend(slots.iter().cloned());
        Ok((day, slots))
    })?;
    ui.status(format!(
        "Added {} ({}, open {}) with {} slot{}{}",
        day.id,
        day.date,
        day.hours(),
        slots.len(),
        if slots.len() == 1 { "" } else { "s" },
        list_spans(&slots)
    ))
}

fn list_spans(slots: &[Slot]) -> String {
    if slots.is_empty() {
        return String::new();
    }
    let spans: Vec<String> = slots.iter().map(|s| s.span().to_string()).collect();
    format!(": {}", spans.join(", "))
}

fn hours(opens: Time, closes: Time) -> Result<(Time, Time)> {
    if closes <= opens {
        return Err(Error::refused(format!(
            "--closes {closes} is not after --opens {opens}"
        )));
    }
    Ok((opens, closes))
}

/// Change a day's opening hours; sessions and slots must still fit.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands edit-day sat --closes 16:00")]
pub struct EditDayArgs {
    /// The day: thu, thursday, 2026-05-21 or 1
    #[arg(add = super::complete::days())]
    pub day: String,
    /// When it opens
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub opens: Option<Time>,
    /// When it closes
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub closes: Option<Time>,
}

pub fn edit_day(ui: &Ui, ctx: &Context, args: EditDayArgs) -> Result<()> {
    let (old, day) = ctx.store()?.update(|event| {
        let before = event.clone();
        let old = day_arg(event, &args.day)?.clone();
        let mut day = old.clone();
        let (opens, closes) = hours(args.opens.unwrap_or(old.opens), args.closes.unwrap_or(old.closes))?;
        (day.opens, day.closes) = (opens, closes);
        *event.days.iter_mut().find(|d| d.id == day.id).expect("found above") = day.clone();
        let outside: Vec<String> = event
            .slots
            .iter()
            .filter(|s| s.day == day.id && !day.hours().contains(s.span()))
            .map(|s| s.span().to_string())
            .collect();
        if !outside.is_empty() {
            return Err(Error::refused(format!(
                "cannot change {}: slots {} would be outside {}; remove them first (`allhands remove-slot`)",
                day.id,
                outside.join(", "),
                day.hours()
            )));
        }
        let on_day: Vec<&str> = before
            .sessions
            .iter()
            .filter(|s| s.day.as_deref() == Some(day.id.as_str()))
            .map(|s| s.id.as_str())
            .collect();
        refuse_conflicts(
            &format!("change {}", day.id),
            &rules::new_conflicts(&before, event, &on_day),
        )?;
        Ok((old, day))
    })?;
    ui.changed(&format!("day {}", day.id), &old, &day)
}

/// Add a slot the planner may place sessions in.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands add-slot --day fri --start 16:00 --end 17:30")]
pub struct AddSlotArgs {
    /// The day: thu, thursday, 2026-05-21 or 1
    #[arg(add = super::complete::days(), long)]
    pub day: String,
    /// When it starts
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub start: Time,
    /// When it ends
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub end: Time,
}

pub fn add_slot(ui: &Ui, ctx: &Context, args: AddSlotArgs) -> Result<()> {
    let slot = ctx.store()?.update(|event| {
        let day = day_arg(event, &args.day)?.clone();
        let (start, end) = (args.start, args.end);
        if end <= start {
            return Err(Error::refused(format!("--end {end} is not after --start {start}")));
        }
        let slot = Slot::new(day.id.clone(), start, end);
        event.slots.push(slot.clone());
        refuse_slot_problems(event, &slot)?;
        Ok(slot)
    })?;
    ui.status(format!("Added slot {} {}", slot.day, slot.span()))
}

/// The integrity problems a new slot brings (outside opening hours, overlapping another).
fn refuse_slot_problems(event: &Event, slot: &Slot) -> Result<()> {
    let problems: Vec<String> = integrity::slot_problems(event)
        .into_iter()
        .filter(|p| p.message.contains(&slot.span().to_string()))
        .map(|p| p.message)
        .collect();
    match problems.as_slice() {
        [] => Ok(()),
        _ => Err(Error::refused(format!("cannot add slot: {}", problems.join("; ")))),
    }
}

/// Remove a slot; sessions booked in it stay where they are.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  allhands remove-slot --day fri --start 16:00")]
pub struct RemoveSlotArgs {
    /// The day: thu, thursday, 2026-05-21 or 1
    #[arg(add = super::complete::days(), long)]
    pub day: String,
    /// When the slot starts
    #[arg(long, value_name = "HH:MM", value_parser = value::time)]
    pub start: Time,
}

pub fn remove_slot(ui: &Ui, ctx: &Context, args: RemoveSlotArgs) -> Result<()> {
    let slot = ctx.store()?.update(|event| {
        let day = day_arg(event, &args.day)?.id.clone();
        let start = args.start;
        let position = event.slots.iter().position(|s| s.day == day && s.start == start);
        let Some(position) = position else {
            let starts: Vec<String> = event
                .slots
                .iter()
                .filter(|s| s.day == day)
                .map(|s| s.start.to_string())
                .collect();
            return Err(Error::refused(format!(
                "{day} has no slot starting at {start} (valid: {})",
                if starts.is_empty() {
                    "none".to_string()
                } else {
                    starts.join(", ")
                }
            )));
        };
        Ok(event.slots.remove(position))
    })?;
    ui.status(format!(
        "Removed slot {} {}; sessions booked then stay booked",
        slot.day,
        slot.span()
    ))
}
