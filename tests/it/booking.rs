//! End-to-end tests of `book`, `unbook`, `adhoc`, `free` and `now` on a copy of the sample.
//! Expected rooms are worked out here from the CSV files themselves, independently of allhands.

use crate::common::{BLUE_ROOM, Row, Sample, headcount, hhmm, json, key, line_diff, list, minutes, rows, session};
use serde_json::Value;

/// Ends of the sessions scheduled in `room` on `day`, as `(start, end, id)`, skipping `except`.
fn bookings(sample: &Sample, day: &str, room: &str, except: &str) -> Vec<(u32, u32, String)> {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| s["day"] == day && s["room"] == room && s["id"] != except && !s["start"].is_empty())
        .map(|s| {
            let start = minutes(&s["start"]);
            let end = start + s["duration"].parse::<u32>().unwrap();
            (start, end, s["id"].clone())
        })
        .collect()
}

/// The plenaries (audience `everyone`) scheduled on `day`, as `(start, end, id)`: nothing else
/// may run then, in any room.
fn plenaries(sample: &Sample, day: &str) -> Vec<(u32, u32, String)> {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| s["day"] == day && !s["start"].is_empty())
        .filter(|s| list(&s["audience"]).iter().any(|a| a.eq_ignore_ascii_case("everyone")))
        .map(|s| {
            let start = minutes(&s["start"]);
            (start, start + s["duration"].parse::<u32>().unwrap(), s["id"].clone())
        })
        .collect()
}

/// What stands in the way of another session in `room` on `day`: its own bookings (but
/// `except`) and the day's plenaries.
fn taken(sample: &Sample, day: &str, room: &str, except: &str) -> Vec<(u32, u32, String)> {
    let mut taken = bookings(sample, day, room, except);
    taken.extend(plenaries(sample, day).into_iter().filter(|(_, _, id)| id != except));
    taken
}

/// Rooms (ids) with at least `seats` seats and every feature in `needs`, free for the
/// whole of `[start, start + duration)` on `day` (no booking there, no plenary then),
/// smallest first (then by id).
fn free_rooms(
    sample: &Sample,
    day: &str,
    start: &str,
    duration: u32,
    seats: u32,
    needs: &[&str],
    except: &str,
) -> Vec<String> {
    let (from, to) = (minutes(start), minutes(start) + duration);
    let mut rooms: Vec<Row> = rows(&sample.read("rooms.csv"))
        .into_iter()
        .filter(|r| r["capacity"].parse::<u32>().unwrap() >= seats)
        .filter(|r| {
            let features = list(&r["features"]);
            needs.iter().all(|n| features.iter().any(|f| f == n))
        })
        .filter(|r| {
            taken(sample, day, &r["id"], except)
                .iter()
                .all(|(s, e, _)| *e <= from || to <= *s)
        })
        .collect();
    rooms.sort_by_key(|r| (r["capacity"].parse::<u32>().unwrap(), r["id"].clone()));
    rooms.into_iter().map(|r| r["id"].clone()).collect()
}

/// The room `book` should choose for a session without `--room`.
fn expected_room(sample: &Sample, id: &str, day: &str, start: &str) -> String {
    let s = session(sample, id);
    let needs = list(&s["needs"]);
    let needs: Vec<&str> = needs.iter().map(String::as_str).collect();
    free_rooms(
        sample,
        day,
        start,
        s["duration"].parse().unwrap(),
        headcount(sample, id, day, start),
        &needs,
        id,
    )
    .into_iter()
    .next()
    .expect("some room fits")
}

fn room_name(sample: &Sample, id: &str) -> String {
    rows(&sample.read("rooms.csv"))
        .into_iter()
        .find(|r| r["id"] == id)
        .unwrap()["name"]
        .clone()
}
fn placement(row: &Row) -> (String, String, String) {
    (row["day"].clone(), row["start"].clone(), row["room"].clone())
}

fn with_blue_room() -> Sample {
    let sample = Sample::new();
    let out = sample.ok(&BLUE_ROOM);
    assert!(
        out.contains("Added room blue: Blue Room, 12 seats, whiteboard"),
        "{out}"
    );
    assert!(
        sample
            .read("rooms.csv")
            .lines()
            .any(|l| l == "blue,Blue Room,12,whiteboard")
    );
    sample
}

// ---------------------------------------------------------------------------------------------
// book

#[test]
fn book_puts_a_session_in_the_named_room() {
    let sample = with_blue_room();
    let before = sample.read("sessions.csv");
    // S056 draws 10 (no audience team), so the Blue Room's 12 seats hold it.
    let out = sample.ok(&["book", "S056", "--day", "fri", "--at", "15:00", "--room", "blue"]);
    assert!(
        out.contains("Booked S056 'Project goals process retro': fri 15:00-16:00 in Blue Room"),
        "{out}"
    );
    let (removed, added) = line_diff(&before, &sample.read("sessions.csv"));
    assert_eq!(removed.len(), 1);
    // Only the placement changes; the later columns (here its source link) are kept.
    assert_eq!(
        added,
        [
            "S056,Project goals process retro,planned,project-goals,60,whiteboard,,fri,15:00,blue,false,,,,,,,\
          https://github.com/rust-lang/all-hands-2026/issues/67,"
        ]
    );
}

#[test]
fn book_accepts_other_day_forms() {
    for day in ["friday", "Fri", "2026-05-22", "2"] {
        let sample = with_blue_room();
        sample.ok(&["book", "S056", "--day", day, "--at", "9:30", "--room", "blue"]);
        assert_eq!(
            placement(&session(&sample, "S056")),
            ("fri".into(), "09:30".into(), "blue".into()),
            "--day {day}"
        );
    }
}

#[test]
fn book_without_a_room_picks_the_smallest_free_room_that_fits() {
    for (id, day, at) in [
        ("S012", "fri", "14:00"),
        ("S039", "fri", "14:00"),
        ("S053", "thu", "14:00"),
        // Right after the opening plenary (09:30-11:00): it ends where this begins.
        ("S057", "thu", "11:00"),
        ("S045", "fri", "10:30"),
        ("S065", "thu", "11:30"),
    ] {
        let sample = Sample::new();
        let expected = expected_room(&sample, id, day, at);
        let out = sample.ok(&["book", id, "--day", day, "--at", at]);
        let row = session(&sample, id);
        assert_eq!(
            placement(&row),
            (day.to_string(), at.to_string(), expected.clone()),
            "{id} {day} {at}: {out}"
        );
        let name = room_name(&sample, &expected);
        assert!(out.contains(&format!("in {name}")), "{out}");
    }
}

#[test]
fn book_without_a_room_skips_rooms_that_are_taken_small_or_lacking() {
    let sample = with_blue_room();
    // S056 takes the Blue Room (whiteboard) at fri 13:00.
    sample.ok(&["book", "S056", "--day", "fri", "--at", "13:00", "--room", "blue"]);
    // S062 is in amstel fri 13:00; S039 (17 people, whiteboard) at the same time.
    let expected = expected_room(&sample, "S039", "fri", "13:00");
    assert_ne!(expected, "amstel");
    assert_ne!(expected, "blue");
    sample.ok(&["book", "S039", "--day", "fri", "--at", "13:00"]);
    assert_eq!(session(&sample, "S039")["room"], expected);
}

#[test]
fn booking_a_booked_session_moves_it() {
    let sample = with_blue_room();
    sample.ok(&["book", "S056", "--day", "fri", "--at", "15:00", "--room", "blue"]);
    let out = sample.ok(&["book", "S056", "--day", "sat", "--at", "09:30", "--room", "blue"]);
    assert!(
        out.contains(
            "Moved S056 'Project goals process retro' from fri 15:00-16:00 in Blue Room to sat 09:30-10:30 in Blue Room"
        ),
        "{out}"
    );
    assert_eq!(
        placement(&session(&sample, "S056")),
        ("sat".into(), "09:30".into(), "blue".into())
    );
    // Moving within its own slot is not a clash with itself.
    sample.ok(&["book", "S056", "--day", "sat", "--at", "10:00", "--room", "blue"]);
    assert_eq!(session(&sample, "S056")["start"], "10:00");
}

#[test]
fn book_refuses_a_taken_room_naming_the_other_session() {
    let sample = Sample::new();
    // S028 is not a plenary (and S057's required person is free from 10:30), so the taken room
    // is the only reason.
    sample.fails(
        &["book", "S057", "--day", "fri", "--at", "10:30", "--room", "main"],
        "cannot book S057 'Moderation: escalation policy' on fri 10:30-11:30 in Main Hall: \
         Main Hall is already taken by S028 'Leadership Council Q&A: \"What does the Council actually do?\"' \
         09:30-11:00 on fri in Main Hall",
    );
}

#[test]
fn book_refuses_a_time_outside_opening_hours() {
    let sample = Sample::new();
    // S051 lasts 90 minutes; fri closes at 18:00, sat at 17:00.
    insta::assert_snapshot!(sample.transcript(&[
        &["book", "S051", "--day", "fri", "--at", "17:30", "--room", "catharijne"],
        &["book", "S051", "--day", "fri", "--at", "17:30"],
        &["book", "S051", "--day", "fri", "--at", "08:00"],
        &["book", "S012", "--day", "sat", "--at", "16:30"],
    ]));
}

#[test]
fn book_refuses_when_a_required_person_is_away_that_day() {
    let sample = Sample::new();
    sample.fails(
        &["book", "S058", "--day", "thu", "--at", "11:30", "--room", "catharijne"],
        "ngozi-rs is not at the event on thu (their days: sat)",
    );
    // Without a room the reason is the same for every room, so it is said once.
    let err = sample.fails(
        &["book", "S058", "--day", "thu", "--at", "11:30"],
        "cannot book S058 'Diagnostics: translation and structured output' on thu 11:30-12:30: \
         ngozi-rs is not at the event on thu (their days: sat)",
    );
    assert!(!err.contains("no room is free"), "{err}");
}

#[test]
fn book_refuses_when_a_required_person_arrives_later() {
    let sample = Sample::new();
    // kofi74 arrives at 14:00 on thu, their first day.
    sample.fails(
        &["book", "S061", "--day", "thu", "--at", "10:00", "--room", "amstel"],
        "kofi74 arrives at 14:00 on thu, after the start at 10:00",
    );
    // A person of our own: ferris arrives at 11:00 on fri.
    sample.ok(&[
        "add-attendee",
        "ferris",
        "--name",
        "Ferris Crab",
        "--days",
        "fri,sat",
        "--arrives",
        "11:00",
    ]);
    sample.ok(&["join", "S056", "ferris", "--required"]);
    sample.fails(
        &["book", "S056", "--day", "fri", "--at", "10:30"],
        "ferris arrives at 11:00 on fri, after the start at 10:30",
    );
    // From 11:00 on it works; and on sat (not the first day) the arrival time does not apply.
    sample.ok(&["book", "S056", "--day", "fri", "--at", "11:00"]);
    sample.ok(&["book", "S056", "--day", "sat", "--at", "09:30"]);
}

#[test]
fn book_refuses_when_a_required_person_leaves_earlier() {
    let sample = Sample::new();
    // fatimahof leaves at 13:00 on fri, their last day.
    sample.fails(
        &["book", "S055", "--day", "fri", "--at", "12:30", "--room", "main"],
        "fatimahof leaves at 13:00 on fri, before the end at 13:30",
    );
    // Ending exactly when they leave is fine.
    sample.ok(&["book", "S055", "--day", "fri", "--at", "12:00", "--room", "main"]);
}

#[test]
fn book_refuses_a_room_too_small() {
    let sample = Sample::new();
    // 21 are tied to it, but 4 of the interested are not there on Thursday afternoon.
    let people = headcount(&sample, "S055", "thu", "14:00");
    assert_eq!(people, 17);
    sample.fails(
        &["book", "S055", "--day", "thu", "--at", "14:00", "--room", "amstel"],
        "Amstel Room holds 8, but S055 'Cargo plumbing commands' draws 17 people (3 required, 14 interested)",
    );
}

#[test]
fn book_refuses_a_room_without_a_needed_feature() {
    let sample = Sample::new();
    sample.fails(
        &["book", "S053", "--day", "thu", "--at", "09:30", "--room", "miffy"],
        "Miffy Room has no projector (needed by S053 'Contracts and verification tooling')",
    );
}

#[test]
fn book_lists_every_rule_broken() {
    let sample = Sample::new();
    // Vecht: 12 seats, no whiteboard; S058 needs a whiteboard for 19 and ngozi-rs only comes sat.
    insta::assert_snapshot!(sample.run_snapshot(&["book", "S058", "--day", "fri", "--at", "14:00", "--room", "vecht"]));
}

#[test]
fn book_refuses_unknown_session_room_and_day_with_suggestions() {
    let sample = with_blue_room();
    insta::assert_snapshot!(sample.transcript(&[
        &["book", "S0122", "--day", "fri", "--at", "14:00"],
        &["book", "S012", "--day", "frj", "--at", "14:00"],
        &["book", "S012", "--day", "fri", "--at", "14:00", "--room", "blu"],
        &["book", "S012", "--day", "sun", "--at", "14:00"],
    ]));
}

#[test]
fn book_refuses_bad_times() {
    let sample = Sample::new();
    let bad_times: Vec<String> = ["25:00", "9", "09:60", "noon", "-1:00", "24:01"]
        .iter()
        .map(|at| format!("--at={at}"))
        .collect();
    let mut commands: Vec<Vec<&str>> = bad_times
        .iter()
        .map(|at| vec!["book", "S012", "--day", "fri", at.as_str()])
        .collect();
    commands.push(vec![
        "book", "S012", "--day", "fri", "--at", "23:30", "--room", "amstel",
    ]);
    commands.push(vec!["book", "S012", "--at", "14:00"]);
    commands.push(vec!["book", "S012", "--day", "fri"]);
    let commands: Vec<&[&str]> = commands.iter().map(Vec::as_slice).collect();
    insta::assert_snapshot!(sample.transcript(&commands));
}

// ---------------------------------------------------------------------------------------------
// unbook

#[test]
fn unbook_clears_the_placement_only() {
    let sample = Sample::new();
    let before = session(&sample, "S001");
    let out = sample.ok(&["unbook", "S001"]);
    assert!(
        out.contains(
            "Unbooked S001 'Opening plenary: state of the Project' (was thu 09:30-11:00 in Main Hall); it is now unscheduled"
        ),
        "{out}"
    );
    let after = session(&sample, "S001");
    for column in ["day", "start", "room"] {
        assert_eq!(after[column], "", "{column}");
    }
    for column in ["title", "kind", "team", "duration", "needs", "pinned"] {
        assert_eq!(after[column], before[column], "{column}");
    }
}

#[test]
fn unbook_refuses_an_unscheduled_or_unknown_session() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[&["unbook", "S012"], &["unbook", "S0012"]]));
}

// ---------------------------------------------------------------------------------------------
// adhoc

#[test]
fn adhoc_creates_and_books_a_session_in_the_smallest_room_with_enough_seats() {
    let sample = Sample::new();
    let expected = free_rooms(&sample, "fri", "15:00", 60, 8, &[], "")[0].clone();
    let participants = sample.read("participants.csv");
    let out = sample.ok(&[
        "adhoc",
        "Async closures follow-up",
        "--day",
        "fri",
        "--at",
        "15:00",
        "--for",
        "60",
        "--size",
        "8",
    ]);
    let name = room_name(&sample, &expected);
    assert!(
        out.contains(&format!(
            "Booked ad-hoc S067 'Async closures follow-up': fri 15:00-16:00 in {name} for 8 people"
        )),
        "{out}"
    );
    let row = session(&sample, "S067");
    assert_eq!(row["title"], "Async closures follow-up");
    assert_eq!(row["kind"], "adhoc");
    assert_eq!(row["duration"], "60");
    assert_eq!(row["size"], "8");
    assert_eq!(placement(&row), ("fri".into(), "15:00".into(), expected));
    assert_eq!(sample.read("participants.csv"), participants);
}

#[test]
fn adhoc_with_required_people_adds_them() {
    let sample = Sample::new();
    sample.ok(&[
        "adhoc",
        "Cargo lockfile chat",
        "--day",
        "thu",
        "--at",
        "15:30",
        "--for",
        "30m",
        "--size",
        "5",
        "--required",
        "alice,bob",
    ]);
    let lines: Vec<String> = sample
        .read("participants.csv")
        .lines()
        .filter(|l| key(l) == "S067")
        .map(String::from)
        .collect();
    assert_eq!(lines, ["S067,alice,required", "S067,bob,required"]);
    assert_eq!(session(&sample, "S067")["duration"], "30");
}

#[test]
fn adhoc_without_day_and_time_uses_allhands_now() {
    let sample = Sample::new();
    let expected = free_rooms(&sample, "fri", "15:00", 60, 8, &[], "")[0].clone();
    let output = sample
        .cmd(&["adhoc", "Quick chat", "--for", "60", "--size", "8"])
        .env("ALLHANDS_NOW", "2026-05-22T15:00")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.contains("fri 15:00-16:00"), "{out}");
    assert_eq!(
        placement(&session(&sample, "S067")),
        ("fri".into(), "15:00".into(), expected)
    );
}

#[test]
fn adhoc_and_free_outside_the_event_days_say_to_give_a_day() {
    let sample = Sample::new();
    let before = sample.snapshot();
    for args in [
        vec!["adhoc", "Quick chat", "--size", "3"],
        vec!["free"],
        vec!["free", "--at", "10:00"],
        vec!["now"],
    ] {
        let output = sample
            .cmd(&args)
            .env("ALLHANDS_NOW", "2026-06-01T10:00")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "today (2026-06-01 in Europe/Amsterdam) is not a day of the event; give --day \
                 (valid: thu (2026-05-21), fri (2026-05-22), sat (2026-05-23))"
            ),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(sample.snapshot() == before, "a refused adhoc wrote files");
}

#[test]
fn adhoc_refusals_write_nothing() {
    let sample = Sample::new();
    sample.fails(
        &["adhoc", "Chat", "--day", "fri", "--at", "15:00", "--size", "200"],
        "no room is free that fits 200 people",
    );
    sample.fails(
        &["adhoc", "Chat", "--day", "thu", "--at", "10:00", "--room", "main"],
        "Main Hall is already taken by S001",
    );
    sample.fails(
        &["adhoc", "Chat", "--day", "fri", "--at", "15:00", "--required", "feris"],
        "unknown attendee 'feris'",
    );
    sample.fails(
        &["adhoc", "Chat", "--day", "fri", "--at", "17:30", "--for", "60"],
        "is outside fri's opening hours 09:00-18:00",
    );
    sample.fails(
        &["adhoc", "Chat", "--day", "fri", "--at", "15:00", "--for", "0"],
        "invalid value '0' for '--for <DURATION>': '0' is not a duration",
    );
    sample.fails(
        &["adhoc", "  ", "--day", "fri", "--at", "15:00"],
        "the title must not be empty",
    );
    sample.fails(
        &["adhoc", "Chat", "--day", "frj", "--at", "15:00"],
        "did you mean 'fri'?",
    );
    sample.fails(
        &["adhoc", "Chat", "--day", "fri", "--at", "25:00"],
        "invalid value '25:00' for '--at <HH:MM>': '25:00' is not a time",
    );
    let output = sample
        .cmd(&["adhoc", "Chat", "--size", "3"])
        .env("ALLHANDS_NOW", "tomorrow")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("ALLHANDS_NOW 'tomorrow' is not a date and time like 2026-05-22T15:00")
    );
}

#[test]
fn adhoc_beside_a_required_persons_other_session_is_refused() {
    let sample = Sample::new();
    // alice is required at S034, thu 14:00-15:00.
    sample.fails(
        &[
            "adhoc",
            "Chat",
            "--day",
            "thu",
            "--at",
            "14:30",
            "--for",
            "30",
            "--required",
            "alice",
        ],
        "alice is already required at S034 'Never type stabilization' 14:00-15:00 on thu in Miffy Room",
    );
}

// ---------------------------------------------------------------------------------------------
// free

fn free_json(sample: &Sample, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["free"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    json(&sample.ok(&all))
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|v| v["room"].as_str().unwrap().to_string()).collect()
}

#[test]
fn free_lists_exactly_the_rooms_free_and_big_enough() {
    let sample = Sample::new();
    let listed = free_json(
        &sample,
        &["--day", "fri", "--at", "15:00", "--for", "60", "--size", "8"],
    );
    let expected = free_rooms(&sample, "fri", "15:00", 60, 8, &[], "");
    assert_eq!(ids(&listed), expected);
    assert!(!expected.contains(&"wilhelmina".to_string()), "S004 is there");
    for room in &listed {
        assert!(room["capacity"].as_u64().unwrap() >= 8, "{room}");
        let id = room["room"].as_str().unwrap();
        let until = room["free_until"].as_str().unwrap();
        // Free until the next booking or plenary after the asked span, or closing time.
        let next = taken(&sample, "fri", id, "")
            .iter()
            .filter(|(s, _, _)| *s >= minutes("16:00"))
            .map(|(s, _, _)| *s)
            .min()
            .unwrap_or(minutes("18:00"));
        assert_eq!(until, hhmm(next), "{id}");
    }
    let table = sample.ok(&["free", "--day", "fri", "--at", "15:00", "--for", "60", "--size", "8"]);
    assert!(table.contains("Free on fri 15:00-16:00, 8+ seats"), "{table}");
    assert!(
        table.lines().all(|l| l.chars().count() <= 80),
        "wider than 80 columns:\n{table}"
    );
}

#[test]
fn free_leaves_out_rooms_busy_at_that_time() {
    let sample = Sample::new();
    let listed = ids(&free_json(&sample, &["--day", "fri", "--at", "14:00", "--for", "60"]));
    assert_eq!(listed, free_rooms(&sample, "fri", "14:00", 60, 1, &[], ""));
    for busy in ["wilhelmina", "neude", "leidse", "vecht"] {
        assert!(!listed.contains(&busy.to_string()), "{busy} is busy");
    }
    assert!(listed.contains(&"catharijne".to_string()));
    let table = sample.ok(&["free", "--day", "fri", "--at", "14:00", "--for", "60"]);
    assert!(!table.contains("Wilhelmina"), "{table}");
    assert!(table.contains("Catharijne"), "{table}");
}

#[test]
fn free_with_needs_lists_only_rooms_with_those_features() {
    let sample = Sample::new();
    let listed = free_json(&sample, &["--day", "fri", "--at", "15:00", "--needs", "projector"]);
    assert_eq!(
        ids(&listed),
        free_rooms(&sample, "fri", "15:00", 30, 1, &["projector"], "")
    );
    assert!(!listed.is_empty());
    for room in &listed {
        let features = room["features"].as_array().unwrap();
        assert!(features.iter().any(|f| f == "projector"), "{room}");
    }
    let listed = free_json(
        &sample,
        &[
            "--day",
            "thu",
            "--at",
            "11:00",
            "--needs",
            "projector,whiteboard",
            "--size",
            "10",
        ],
    );
    assert!(!listed.is_empty());
    assert_eq!(
        ids(&listed),
        free_rooms(&sample, "thu", "11:00", 60, 10, &["projector", "whiteboard"], "")
    );
}

#[test]
fn free_leaves_out_every_room_during_a_plenary() {
    let sample = Sample::new();
    // The opening plenary S001 runs thu 09:30-11:00 in Main Hall; no other room may be used.
    assert_eq!(
        plenaries(&sample, "thu"),
        [(minutes("09:30"), minutes("11:00"), "S001".into())]
    );
    assert!(free_json(&sample, &["--day", "thu", "--at", "10:00"]).is_empty());
    let out = sample.ok(&["free", "--day", "thu", "--at", "10:00"]);
    assert!(out.contains("no room is free on thu 10:00-11:00"), "{out}");
    // From its end every room that is not booked is free again.
    let listed = free_json(&sample, &["--day", "thu", "--at", "11:00"]);
    assert_eq!(ids(&listed), free_rooms(&sample, "thu", "11:00", 60, 1, &[], ""));
    assert!(ids(&listed).contains(&"vredenburg".to_string()), "{listed:?}");
    // A room free before the closing plenary (sat 15:45-16:45) is free only until it starts.
    let listed = free_json(&sample, &["--day", "sat", "--at", "14:30", "--for", "60"]);
    assert!(!listed.is_empty());
    for room in &listed {
        let id = room["room"].as_str().unwrap();
        let next = taken(&sample, "sat", id, "")
            .iter()
            .filter(|(s, _, _)| *s >= minutes("15:30"))
            .map(|(s, _, _)| *s)
            .min()
            .unwrap();
        assert_eq!(room["free_until"].as_str().unwrap(), hhmm(next), "{id}");
        assert!(next <= minutes("15:45"), "{id} free past the plenary");
    }
}

#[test]
fn free_with_nothing_free_says_so() {
    let sample = Sample::new();
    let out = sample.ok(&["free", "--day", "fri", "--at", "15:00", "--size", "500"]);
    assert!(out.contains("no room is free on fri 15:00-16:00, 500+ seats"), "{out}");
    assert!(free_json(&sample, &["--day", "fri", "--at", "15:00", "--size", "500"]).is_empty());
}

#[test]
fn free_outside_opening_hours_is_an_error() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["free", "--day", "fri", "--at", "17:30", "--for", "60"],
        &["free", "--day", "fri", "--at", "08:00"],
        &["free", "--day", "sat", "--at", "16:45", "--for", "30"],
        &["free", "--day", "fri", "--at", "25:00"],
        &["free", "--day", "frj", "--at", "10:00"],
        &["free", "--day", "fri", "--at", "10:00", "--for", "abc"],
    ]));
}

#[test]
fn free_uses_allhands_now() {
    let sample = Sample::new();
    let output = sample
        .cmd(&["free", "--size", "8", "--format", "json"])
        .env("ALLHANDS_NOW", "2026-05-22T15:00")
        .output()
        .unwrap();
    assert!(output.status.success());
    let listed = json(&String::from_utf8(output.stdout).unwrap());
    assert_eq!(ids(&listed), free_rooms(&sample, "fri", "15:00", 30, 8, &[], ""));
}

// ---------------------------------------------------------------------------------------------
// now

#[test]
fn now_shows_what_is_on_in_every_room() {
    let sample = Sample::new();
    let table = sample.ok(&["now", "--day", "thu", "--at", "10:00"]);
    assert!(table.contains("Thursday 21 May at 10:00"), "{table}");
    assert!(
        table.lines().all(|l| l.chars().count() <= 80),
        "wider than 80 columns:\n{table}"
    );
    let main = table
        .lines()
        .find(|l| l.contains("Main Hall"))
        .expect("a Main Hall line");
    assert!(main.contains("Opening plenary"), "{table}");

    let listed = json(&sample.ok(&["now", "--day", "thu", "--at", "10:00", "--format", "json"]));
    let rooms = rows(&sample.read("rooms.csv"));
    assert_eq!(listed.len(), rooms.len(), "one row per room");
    let at = minutes("10:00");
    for item in &listed {
        let room = item["room"].as_str().unwrap();
        let here = bookings(&sample, "thu", room, "");
        let current = here.iter().find(|(s, e, _)| *s <= at && at < *e);
        let next = here.iter().filter(|(s, _, _)| *s > at).min_by_key(|(s, _, _)| *s);
        assert_eq!(item["now"].as_str(), current.map(|(_, _, id)| id.as_str()), "{room}");
        assert_eq!(
            item["until"].as_str().map(String::from),
            current.map(|(_, e, _)| hhmm(*e)),
            "{room}"
        );
        assert_eq!(item["next"].as_str(), next.map(|(_, _, id)| id.as_str()), "{room}");
    }
    let main = listed.iter().find(|v| v["room"] == "main").unwrap();
    assert_eq!(main["now"], "S001");
    assert_eq!(main["now_title"], "Opening plenary: state of the Project");
    assert_eq!(main["until"], "11:00");
}

#[test]
fn now_outside_opening_hours_says_when_the_day_is_open() {
    let sample = Sample::new();
    let out = sample.ok(&["now", "--day", "thu", "--at", "07:00"]);
    assert!(out.contains("thu is open 09:00-18:00"), "{out}");
    let out = sample.ok(&["now", "--day", "thu", "--at", "20:00"]);
    assert!(out.contains("thu is over (closed at 18:00)"), "{out}");
}

#[test]
fn now_uses_allhands_now_and_refuses_bad_input() {
    let sample = Sample::new();
    let output = sample
        .cmd(&["now", "--format", "json"])
        .env("ALLHANDS_NOW", "2026-05-21T10:00")
        .output()
        .unwrap();
    assert!(output.status.success());
    let listed = json(&String::from_utf8(output.stdout).unwrap());
    let main = listed.iter().find(|v| v["room"] == "main").unwrap();
    assert_eq!(main["now"], "S001");
    sample.fails(
        &["now", "--day", "thu", "--at", "25:00"],
        "invalid value '25:00' for '--at <HH:MM>': '25:00' is not a time",
    );
    sample.fails(&["now", "--day", "frj", "--at", "10:00"], "did you mean 'fri'?");
}

#[test]
fn adhoc_with_a_repeated_required_person_writes_one_row() {
    let sample = Sample::new();
    sample.ok(&[
        "adhoc",
        "Quick sync",
        "--day",
        "fri",
        "--at",
        "15:00",
        "--for",
        "30",
        "--size",
        "4",
        "--required",
        "alice,alice,ALICE",
    ]);
    let rows = sample
        .read("participants.csv")
        .lines()
        .filter(|l| key(l) == "S067")
        .count();
    assert_eq!(rows, 1);
    sample.ok(&["check"]);
}
