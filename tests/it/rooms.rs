//! End-to-end tests of `add-room`, `edit-room`, `remove-room` and `rooms`: the exit status,
//! the message, and exactly what changed in the data folder.

use std::collections::BTreeSet;

use crate::common::{
    BLUE_ROOM, Row, Sample, booked_headcount, hhmm, line_of, minutes, only_changed, rows, with_line_inserted,
    with_line_replaced, without_line,
};
use serde_json::Value;

/// A booked session as sessions.csv has it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Booking {
    session: String,
    title: String,
    day: String,
    room: String,
    start: String,
    end: String,
}

fn bookings(sample: &Sample) -> Vec<Booking> {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| !s["day"].is_empty() && !s["start"].is_empty() && !s["room"].is_empty())
        .map(|s| {
            let end = minutes(&s["start"]) + s["duration"].parse::<u32>().unwrap();
            Booking {
                session: s["id"].clone(),
                title: s["title"].clone(),
                day: s["day"].clone(),
                room: s["room"].clone(),
                start: s["start"].clone(),
                end: hhmm(end),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// add-room
// ---------------------------------------------------------------------------------------

#[test]
fn add_room_the_documented_example_writes_one_sorted_line() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let rooms = sample.read("rooms.csv");
    let out = sample.ok(&BLUE_ROOM);
    assert_eq!(out, "Added room blue: Blue Room, 12 seats, whiteboard\n");
    let expected = with_line_inserted(&rooms, "blue,Blue Room,12,whiteboard");
    assert_eq!(sample.read("rooms.csv"), expected);
    // Sorted by id: right after amstel.
    assert!(expected.contains("\namstel,Amstel Room,8,whiteboard\nblue,Blue Room,12,whiteboard\ncatharijne,"));
    only_changed(&before, &sample.snapshot(), &["rooms.csv"]);
    // It is listed and can be booked.
    let listed = rows(&sample.ok(&["rooms", "--format", "csv"]));
    let blue = listed.iter().find(|r| r["room"] == "blue").unwrap();
    assert_eq!(blue["capacity"], "12");
    assert_eq!(blue["thu"], "0m");
}

#[test]
fn add_room_defaults_and_feature_lists() {
    let sample = Sample::new();
    let rooms = sample.read("rooms.csv");
    let out = sample.ok(&["add-room", "blue", "--capacity", "0"]);
    assert_eq!(out, "Added room blue: blue, 0 seats, no features\n");
    let expected = with_line_inserted(&rooms, "blue,blue,0,");
    assert_eq!(sample.read("rooms.csv"), expected);
    // Repeated and comma-separated features, stored sorted without repeats.
    sample.ok(&[
        "add-room",
        "red",
        "--name",
        "  Red Room ",
        "--capacity",
        " 6 ",
        "--features",
        "whiteboard,projector",
        "--features",
        "screen;whiteboard",
    ]);
    assert_eq!(
        sample.read("rooms.csv"),
        with_line_inserted(&expected, "red,Red Room,6,projector;screen;whiteboard")
    );
}

#[test]
fn add_room_negative_capacity_is_refused() {
    let sample = Sample::new();
    // Read as a value, not as an unknown flag.
    insta::assert_snapshot!(sample.transcript(&[
        &["add-room", "blue", "--capacity", "-5"],
        &["add-room", "blue", "--capacity=-5"],
    ]));
}

#[test]
fn add_room_non_number_capacity_is_refused() {
    let sample = Sample::new();
    let mut commands: Vec<Vec<&str>> = ["twelve", "1.5", "", "12 seats", "0x10", "99999999999"]
        .into_iter()
        .map(|bad| vec!["add-room", "blue", "--capacity", bad])
        .collect();
    commands.push(vec!["add-room", "blue"]);
    let commands: Vec<&[&str]> = commands.iter().map(Vec::as_slice).collect();
    insta::assert_snapshot!(sample.transcript(&commands));
}

#[test]
fn add_room_duplicate_id_names_the_line() {
    let sample = Sample::new();
    let line = line_of(&sample.read("rooms.csv"), "main");
    let shown = sample.run_snapshot(&["add-room", "main", "--capacity", "3"]);
    assert!(shown.contains(&format!("(rooms.csv line {line})")), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn add_room_bad_ids_and_features_are_refused() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["add-room", "blue room", "--capacity", "3"],
        &["add-room", "blue,room", "--capacity", "3"],
        &["add-room", "@blue", "--capacity", "3"],
        &["add-room", "", "--capacity", "3"],
        &["add-room", "blue", "--capacity", "3", "--features", "white board"],
    ]));
}

// ---------------------------------------------------------------------------------------
// edit-room
// ---------------------------------------------------------------------------------------

#[test]
fn edit_room_capacity_increase_is_fine() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let rooms = sample.read("rooms.csv");
    assert!(rooms.contains("\nleidse,Leidse Rijn Room,20,projector;whiteboard\n"));
    let out = sample.ok(&["edit-room", "leidse", "--capacity", "30"]);
    assert_eq!(out, "Changed room leidse: capacity: 20 -> 30\n");
    assert_eq!(
        sample.read("rooms.csv"),
        with_line_replaced(&rooms, "leidse", "leidse,Leidse Rijn Room,30,projector;whiteboard")
    );
    only_changed(&before, &sample.snapshot(), &["rooms.csv"]);
}

#[test]
fn edit_room_capacity_down_to_the_headcount_is_fine() {
    let sample = Sample::new();
    let booked: Vec<Booking> = bookings(&sample).into_iter().filter(|b| b.room == "janskerk").collect();
    assert_eq!(booked.len(), 1, "{booked:?}");
    let people = booked_headcount(&sample, &booked[0].session);
    let rooms = sample.read("rooms.csv");
    sample.ok(&["edit-room", "janskerk", "--capacity", &people.to_string()]);
    assert_eq!(
        sample.read("rooms.csv"),
        with_line_replaced(
            &rooms,
            "janskerk",
            &format!("janskerk,Janskerk Room,{people},projector;video;screen")
        )
    );
}

#[test]
fn edit_room_capacity_below_a_booked_session_is_refused_naming_it() {
    let sample = Sample::new();
    // Janskerk Room holds one session, S029, with 20 people.
    let people = booked_headcount(&sample, "S029");
    assert_eq!(people, 20);
    let err = sample.fails(
        &["edit-room", "janskerk", "--capacity", "19"],
        "cannot change room janskerk: Janskerk Room holds 19, but S029 'Compiler performance triage' draws 20 people",
    );
    assert!(err.contains("required") && err.contains("interested"), "{err}");
    sample.fails(
        &["edit-room", "janskerk", "--capacity", "0"],
        "S029 'Compiler performance triage'",
    );
    // Several booked sessions too big: each one is named.
    let err = sample.fails(&["edit-room", "main", "--capacity", "10"], "cannot change room main:");
    for b in bookings(&sample).iter().filter(|b| b.room == "main") {
        assert!(
            err.contains(&format!("{} '{}'", b.session, b.title)),
            "{} missing:\n{err}",
            b.session
        );
    }
}

#[test]
fn edit_room_removing_a_needed_feature_is_refused_naming_the_session() {
    let sample = Sample::new();
    sample.fails(
        &["edit-room", "janskerk", "--remove-feature", "projector"],
        "cannot change room janskerk: Janskerk Room has no projector (needed by S029 'Compiler performance triage')",
    );
    sample.fails(
        &["edit-room", "janskerk", "--features", "video,screen"],
        "Janskerk Room has no projector (needed by S029",
    );
    // Wilhelmina's whiteboard is needed by several sessions; all are named.
    let sessions = rows(&sample.read("sessions.csv"));
    let err = sample.fails(
        &["edit-room", "wilhelmina", "--remove-feature", "whiteboard"],
        "cannot change room wilhelmina:",
    );
    let needing: Vec<&Row> = sessions
        .iter()
        .filter(|s| s["room"] == "wilhelmina" && s["needs"].split(';').any(|n| n == "whiteboard"))
        .collect();
    assert!(needing.len() > 1);
    for s in needing {
        assert!(
            err.contains(&format!("has no whiteboard (needed by {} '{}')", s["id"], s["title"])),
            "{} missing:\n{err}",
            s["id"]
        );
    }
}

#[test]
fn edit_room_removing_an_unneeded_feature_or_adding_one_is_fine() {
    let sample = Sample::new();
    let rooms = sample.read("rooms.csv");
    // S029 in Janskerk needs only a projector.
    let out = sample.ok(&["edit-room", "janskerk", "--remove-feature", "video"]);
    assert_eq!(
        out,
        "Changed room janskerk: features: projector;video;screen -> projector;screen\n"
    );
    let expected = with_line_replaced(&rooms, "janskerk", "janskerk,Janskerk Room,40,projector;screen");
    assert_eq!(sample.read("rooms.csv"), expected);
    sample.ok(&[
        "edit-room",
        "janskerk",
        "--add-feature",
        "whiteboard",
        "--name",
        "Janskerk",
    ]);
    assert_eq!(
        sample.read("rooms.csv"),
        with_line_replaced(
            &expected,
            "janskerk",
            "janskerk,Janskerk,40,projector;screen;whiteboard"
        )
    );
}

#[test]
fn edit_room_bad_values_are_refused() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["edit-room", "main", "--capacity", "-5"],
        &["edit-room", "main", "--capacity", "lots"],
        &["edit-room", "main", "--name", " "],
        &["edit-room", "main", "--add-feature", "big screen"],
        &["edit-room", "mian", "--capacity", "200"],
    ]));
}

// ---------------------------------------------------------------------------------------
// remove-room
// ---------------------------------------------------------------------------------------

#[test]
fn remove_room_with_bookings_is_refused_listing_them() {
    let sample = Sample::new();
    let shown = sample.transcript(&[&["remove-room", "janskerk"], &["remove-room", "wilhelmina"]]);
    // Every session booked in wilhelmina, read from sessions.csv, is named.
    let there: Vec<Booking> = bookings(&sample)
        .into_iter()
        .filter(|b| b.room == "wilhelmina")
        .collect();
    assert!(there.len() > 1);
    for b in there {
        assert!(
            shown.contains(&format!("{} '{}'", b.session, b.title)),
            "{} missing:\n{shown}",
            b.session
        );
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn remove_room_without_bookings_removes_its_line() {
    let sample = Sample::new();
    let original = sample.snapshot();
    sample.ok(&["add-room", "blue", "--name", "Blue Room", "--capacity", "12"]);
    let out = sample.ok(&["remove-room", "blue"]);
    assert_eq!(out, "Removed room blue (Blue Room)\n");
    assert_eq!(sample.snapshot(), original, "back to the sample exactly");

    // A sample room once its only session is unbooked.
    let there: Vec<Booking> = bookings(&sample).into_iter().filter(|b| b.room == "vecht").collect();
    assert_eq!(there.len(), 1, "{there:?}");
    sample.ok(&["unbook", &there[0].session]);
    let rooms = sample.read("rooms.csv");
    let before = sample.snapshot();
    let out = sample.ok(&["remove-room", "vecht"]);
    assert_eq!(out, "Removed room vecht (Vecht Room)\n");
    assert_eq!(sample.read("rooms.csv"), without_line(&rooms, "vecht"));
    only_changed(&before, &sample.snapshot(), &["rooms.csv"]);
    sample.fails(&["remove-room", "vecht"], "unknown room 'vecht'");
}

#[test]
fn remove_room_unknown_suggests_one() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[&["remove-room", "amstl"], &["remove-room"]]));
}

// ---------------------------------------------------------------------------------------
// rooms
// ---------------------------------------------------------------------------------------

#[test]
fn rooms_overview_lists_every_room_with_hours_per_day() {
    let sample = Sample::new();
    let stored = rows(&sample.read("rooms.csv"));
    let booked = bookings(&sample);
    let table = sample.ok(&["rooms"]);
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    for room in &stored {
        assert!(
            table.contains(&format!("│ {} ", room["id"])),
            "{} missing:\n{table}",
            room["id"]
        );
    }
    assert!(
        table.ends_with(&format!("hours booked per day (h:mm); {} rooms\n", stored.len())),
        "{table}"
    );

    let listed = rows(&sample.ok(&["rooms", "--format", "csv"]));
    assert_eq!(listed.len(), stored.len());
    // Largest room first.
    let capacities: Vec<u32> = listed.iter().map(|r| r["capacity"].parse().unwrap()).collect();
    assert!(capacities.windows(2).all(|w| w[0] >= w[1]), "{capacities:?}");
    let ids: BTreeSet<&str> = listed.iter().map(|r| r["room"].as_str()).collect();
    let expected_ids: BTreeSet<&str> = stored.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, expected_ids);
    for row in &listed {
        let room = stored.iter().find(|r| r["id"] == row["room"]).unwrap();
        assert_eq!(row["name"], room["name"]);
        assert_eq!(row["capacity"], room["capacity"]);
        assert_eq!(row["features"], room["features"]);
        for day in ["thu", "fri", "sat"] {
            let total: u32 = booked
                .iter()
                .filter(|b| b.room == row["room"] && b.day == day)
                .map(|b| minutes(&b.end) - minutes(&b.start))
                .sum();
            assert_eq!(
                row[day],
                // Hours as every duration is shown: 1h30, 2h, 45m, 0m.
                match (total / 60, total % 60) {
                    (0, m) => format!("{m}m"),
                    (h, 0) => format!("{h}h"),
                    (h, m) => format!("{h}h{m:02}"),
                },
                "{} on {day}",
                row["room"]
            );
        }
    }
    let json: Value = serde_json::from_str(&sample.ok(&["rooms", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), stored.len());
    assert_eq!(json[0]["room"], "main");
    assert_eq!(json[0]["capacity"], 150);
}

#[test]
fn rooms_day_shows_every_room_and_every_session_within_80_columns() {
    let sample = Sample::new();
    let stored = rows(&sample.read("rooms.csv"));
    let thursday: Vec<Booking> = bookings(&sample).into_iter().filter(|b| b.day == "thu").collect();
    assert!(thursday.len() > 10);
    for day in ["thu", "thursday", "2026-05-21", "1"] {
        let out = sample.ok(&["rooms", "--day", day]);
        assert!(
            out.starts_with("Thursday 21 May 2026 (thu, open 09:00-18:00)\n"),
            "{out}"
        );
        for line in out.lines() {
            assert!(line.chars().count() <= 80, "line too wide:\n{line}");
        }
        for room in &stored {
            assert!(out.contains(&room["name"]), "room {} missing:\n{out}", room["name"]);
            assert!(out.contains(&format!("{} seats", room["capacity"])));
        }
        for b in &thursday {
            assert!(
                out.contains(&format!("{}-{} {} ", b.start, b.end, b.session)),
                "{} missing:\n{out}",
                b.session
            );
        }
        assert!(
            out.ends_with(&format!("{} sessions on thu; (n) = people expected\n", thursday.len())),
            "{out}"
        );
    }
}

#[test]
fn rooms_day_as_csv_has_one_row_per_booking() {
    let sample = Sample::new();
    let mut expected: Vec<Booking> = bookings(&sample).into_iter().filter(|b| b.day == "thu").collect();
    expected.sort();
    let out = sample.ok(&["rooms", "--day", "thu", "--format", "csv"]);
    assert!(
        out.starts_with("day,room,room_name,capacity,start,end,session,title,team,people\n"),
        "{out}"
    );
    let listed = rows(&out);
    let mut got: Vec<Booking> = listed
        .iter()
        .map(|r| Booking {
            session: r["session"].clone(),
            title: r["title"].clone(),
            day: r["day"].clone(),
            room: r["room"].clone(),
            start: r["start"].clone(),
            end: r["end"].clone(),
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
    for r in &listed {
        assert_eq!(
            r["people"],
            booked_headcount(&sample, &r["session"]).to_string(),
            "{}",
            r["session"]
        );
    }
}

#[test]
fn rooms_day_as_json_has_one_object_per_booking() {
    let sample = Sample::new();
    let mut expected: Vec<Booking> = bookings(&sample).into_iter().filter(|b| b.day == "thu").collect();
    expected.sort();
    let out = sample.ok(&["rooms", "--day", "thu", "--format", "json"]);
    let listed: Vec<Value> = serde_json::from_str(&out).unwrap();
    let s = |v: &Value, k: &str| v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}")).to_string();
    let mut got: Vec<Booking> = listed
        .iter()
        .map(|r| Booking {
            session: s(r, "session"),
            title: s(r, "title"),
            day: s(r, "day"),
            room: s(r, "room"),
            start: s(r, "start"),
            end: s(r, "end"),
        })
        .collect();
    got.sort();
    assert_eq!(got, expected);
    for r in &listed {
        assert!(r["capacity"].is_u64() && r["people"].is_u64(), "{r}");
    }
}

#[test]
fn rooms_day_on_a_day_without_bookings_in_a_room_still_lists_it() {
    let sample = Sample::new();
    sample.ok(&["add-room", "blue", "--name", "Blue Room", "--capacity", "12"]);
    let out = sample.ok(&["rooms", "--day", "sat"]);
    assert!(out.contains("Blue Room"), "{out}");
    assert!(out.contains("09:00-17:00"), "{out}");
    let csv = rows(&sample.ok(&["rooms", "--day", "sat", "--format", "csv"]));
    assert!(csv.iter().all(|r| r["room"] != "blue"));
}

#[test]
fn rooms_unknown_day_lists_the_valid_days() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["rooms", "--day", "xyz"],
        &["rooms", "--day", "thr"],
        &["rooms", "--day", "xyz", "--format", "json"],
        &["rooms", "--format", "yaml"],
    ]));
}
