//! Calendar (iCalendar) and markdown exports, read back with real parsers.

use std::collections::HashMap;

use crate::common::{Sample, json};
use icalendar::{Component, EventLike};

/// The agenda as the json listing gives it: session id → (date, start, end, room name).
fn agenda(sample: &Sample, args: &[&str]) -> HashMap<String, (String, String, String, String)> {
    let mut full = vec!["schedule", "--format", "json"];
    full.extend_from_slice(args);
    json(&sample.ok(&full))
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_string();
            (s("session"), (s("date"), s("start"), s("end"), s("room_name")))
        })
        .collect()
}

fn ics(sample: &Sample, args: &[&str]) -> String {
    let mut full = vec!["schedule", "--format", "ics"];
    full.extend_from_slice(args);
    let out = sample
        .cmd(&full)
        .env("SOURCE_DATE_EPOCH", "1779000000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `2026-05-21` + `09:30` in Amsterdam (UTC+2 in May) → `20260521T073000Z`.
fn utc(date: &str, time: &str) -> String {
    let (h, m) = time.split_once(':').unwrap();
    let hour: u32 = h.parse::<u32>().unwrap() - 2;
    format!("{}T{hour:02}{m}00Z", date.replace('-', ""))
}

#[test]
fn one_event_per_session_at_the_right_utc_time_and_room() {
    let sample = Sample::new();
    let text = ics(&sample, &[]);
    let calendar: icalendar::Calendar = text.parse().expect("a valid iCalendar file");
    let expected = agenda(&sample, &[]);
    let events: Vec<&icalendar::Event> = calendar.events().collect();
    assert_eq!(events.len(), expected.len());
    for event in events {
        let uid = event.get_uid().unwrap();
        let id = uid.split('@').next().unwrap();
        let (date, start, end, room) = &expected[id];
        assert_eq!(event.property_value("DTSTART").unwrap(), utc(date, start), "{id}");
        assert_eq!(event.property_value("DTEND").unwrap(), utc(date, end), "{id}");
        assert!(event.get_location().unwrap().starts_with(room.as_str()), "{id}");
        assert!(event.get_summary().is_some_and(|s| !s.is_empty()));
        assert!(event.get_description().unwrap().contains("Required: "));
    }
    assert!(!text.contains("@example."), "no email addresses in a calendar");
}

#[test]
fn lines_are_crlf_and_folded_at_75_octets_with_escaped_text() {
    let sample = Sample::new();
    sample.ok(&[
        "add-session",
        "Commas, semicolons; and a backslash \\ in a very long title that must be folded",
    ]);
    sample.ok(&["book", "S067", "--day", "thu", "--at", "16:00"]);
    let text = ics(&sample, &[]);
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let event = calendar
        .events()
        .find(|e| e.get_uid() == Some("S067@rust-all-hands-2026.allhands"))
        .unwrap();
    assert_eq!(
        event.get_summary().unwrap(),
        "Commas, semicolons; and a backslash \\ in a very long title that must be folded"
    );
    assert!(text.contains("SUMMARY:Commas\\, semicolons\\; and a backslash \\\\"));
}

#[test]
fn uids_stay_the_same_when_a_session_moves() {
    let sample = Sample::new();
    let uid_and_start = |text: &str| -> Vec<(String, String)> {
        let calendar: icalendar::Calendar = text.parse().unwrap();
        let mut v: Vec<_> = calendar
            .events()
            .map(|e| {
                (
                    e.get_uid().unwrap().to_string(),
                    e.property_value("DTSTART").unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = uid_and_start(&ics(&sample, &[]));
    assert_eq!(before, uid_and_start(&ics(&sample, &[])), "two exports are identical");
    sample.ok(&["book", "S021", "--day", "thu", "--at", "16:00"]);
    let after = uid_and_start(&ics(&sample, &[]));
    let uids = |v: &[(String, String)]| v.iter().map(|(u, _)| u.clone()).collect::<Vec<_>>();
    assert_eq!(uids(&before), uids(&after));
    let moved = after.iter().find(|(u, _)| u.starts_with("S021@")).unwrap();
    assert_eq!(moved.1, "20260521T140000Z");
}

#[test]
fn a_personal_calendar_has_that_persons_sessions_and_their_role() {
    let sample = Sample::new();
    let text = ics(&sample, &["--attendee", "alice"]);
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let mut got: Vec<String> = calendar
        .events()
        .map(|e| e.get_uid().unwrap().split('@').next().unwrap().to_string())
        .collect();
    got.sort();
    let mut want: Vec<String> = agenda(&sample, &["--attendee", "alice"]).into_keys().collect();
    want.sort();
    assert_eq!(got, want);
    assert!(text.contains("You are required"));
    assert!(text.contains("X-WR-CALNAME:Rust All Hands 2026: alice"));
}

#[test]
fn markdown_has_a_heading_and_a_table_per_day() {
    let sample = Sample::new();
    let md = sample.ok(&["schedule", "--format", "md"]);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("### ")).collect();
    assert_eq!(
        headings,
        [
            "### Thursday 21 May 2026",
            "### Friday 22 May 2026",
            "### Saturday 23 May 2026"
        ]
    );
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" | S0"))
        .count();
    assert_eq!(rows, agenda(&sample, &[]).len());
    // A plenary draws everyone at the event then (and its required people): 107 in the sample
    // on Thursday 09:30-11:00, counted from the files by hand.
    assert!(md.contains(
        "| 09:30-11:00 | Main Hall | S001 | Opening plenary: state of the Project · leadership-council | 107 |"
    ));
    // Every table row has as many cells as the header.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(line.matches(" | ").count() - line.matches("\\|").count(), 4, "{line}");
    }
}
