//! Loading robustness: the data files as spreadsheets and editors save them (BOM, CRLF, any
//! column order, extra columns, quoted commas and newlines), and every malformed file refused
//! with `FILE:LINE: column COLUMN: message`, by reading and by changing commands alike, with
//! nothing written.

use crate::common::{ADD_FERRIS, BLUE_ROOM, Row, Sample, header, json, line_diff, rows};
use serde_json::Value;

/// Writes rows with the given columns, in that order.
fn write_csv(columns: &[&str], rows: &[Row]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(columns).unwrap();
    for row in rows {
        writer
            .write_record(columns.iter().map(|c| row.get(*c).map_or("", String::as_str)))
            .unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}
/// The file with line `number` (1-based) replaced by `change(line)`.
fn edit_line(text: &str, number: usize, change: impl Fn(&str) -> String) -> String {
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    let line = &mut lines[number - 1];
    let changed = change(line);
    assert_ne!(*line, changed, "line {number} did not change: {line}");
    *line = changed;
    lines.join("\n")
}

fn replace_once(line: &str, from: &str, to: &str) -> String {
    assert!(line.contains(from), "{from:?} not in {line:?}");
    line.replacen(from, to, 1)
}

fn attendees_json(sample: &Sample) -> Vec<Value> {
    json(&sample.ok(&["attendees", "--with-email", "--format", "json"]))
}

// ---------------------------------------------------------------------------------------------
// What loads

#[test]
fn bom_and_crlf_files_load_like_the_originals() {
    let sample = Sample::new();
    let schedule = sample.ok(&["schedule", "--format", "csv"]);
    let people = attendees_json(&sample);
    let text = sample.read("attendees.csv");
    sample.write("attendees.csv", &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    assert_eq!(attendees_json(&sample), people);
    assert_eq!(sample.ok(&["schedule", "--format", "csv"]), schedule);

    // Every file at once, then a change still works and keeps every record.
    for file in [
        "event.csv",
        "days.csv",
        "slots.csv",
        "rooms.csv",
        "sessions.csv",
        "participants.csv",
    ] {
        let text = sample.read(file);
        sample.write(file, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    }
    assert_eq!(sample.ok(&["schedule", "--format", "csv"]), schedule);
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab"]);
    let after = attendees_json(&sample);
    assert_eq!(after.len(), people.len() + 1);
    for person in &people {
        assert!(after.contains(person), "{person} lost");
    }
}

#[test]
fn error_lines_are_right_in_crlf_files() {
    let sample = Sample::new();
    let text = edit_line(&sample.read("attendees.csv"), 21, |l| {
        replace_once(l, ",member,", ",memeber,")
    });
    sample.write("attendees.csv", &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    let place = format!("{}:21: column role:", sample.path("attendees.csv").display());
    sample.fails(&["schedule"], &place);
    sample.fails(&["add-room", "blue", "--capacity", "3"], &place);
}

#[test]
fn columns_in_another_order_load_and_are_written_back_in_that_order() {
    let sample = Sample::new();
    let original = rows(&sample.read("rooms.csv"));
    let order = ["capacity", "features", "name", "id"];
    sample.write("rooms.csv", &write_csv(&order, &original));
    let before = sample.read("rooms.csv");
    let rooms = sample.ok(&["rooms", "--format", "json"]);

    let fresh = Sample::new();
    assert_eq!(rooms, fresh.ok(&["rooms", "--format", "json"]));
    assert_eq!(
        sample.ok(&["schedule", "--format", "csv"]),
        fresh.ok(&["schedule", "--format", "csv"])
    );

    sample.ok(&BLUE_ROOM);
    let after = sample.read("rooms.csv");
    assert_eq!(header(&after), order);
    let (removed, added) = line_diff(&before, &after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added, ["12,whiteboard,Blue Room,blue"]);
    let ids: Vec<String> = rows(&after).into_iter().map(|r| r["id"].clone()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rooms.csv sorted by id");
}

#[test]
fn headers_are_matched_whatever_their_case_and_spacing() {
    let sample = Sample::new();
    let fresh = sample.ok(&["rooms", "--format", "json"]);
    let text = sample.read("rooms.csv");
    sample.write(
        "rooms.csv",
        &edit_line(&text, 1, |_| " ID ,Name, Capacity ,FEATURES".into()),
    );
    assert_eq!(sample.ok(&["rooms", "--format", "json"]), fresh);
}

#[test]
fn an_unknown_column_is_kept_with_its_values_after_a_change() {
    let sample = Sample::new();
    let text = sample.read("attendees.csv");
    let mut lines: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        lines.push(match i {
            0 => format!("{line},notes"),
            _ if line.starts_with("alice,") => format!("{line},\"likes crabs, a lot\""),
            _ if line.starts_with("bob,") => format!("{line},=1+1"),
            _ => format!("{line},"),
        });
    }
    sample.write("attendees.csv", &(lines.join("\n") + "\n"));
    let before = rows(&sample.read("attendees.csv"));
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab"]);
    let after_text = sample.read("attendees.csv");
    assert_eq!(header(&after_text).last().map(String::as_str), Some("notes"));
    let after = rows(&after_text);
    assert_eq!(after.len(), before.len() + 1);
    for row in &before {
        let kept = after.iter().find(|r| r["handle"] == row["handle"]).unwrap();
        let notes = kept["notes"].as_str();
        let expected = match row["handle"].as_str() {
            // A formula-like cell is written guarded, and reads back as it was.
            "bob" => "'=1+1",
            _ => row["notes"].as_str(),
        };
        assert_eq!(notes, expected, "{}", row["handle"]);
    }
    let alice = after.iter().find(|r| r["handle"] == "alice").unwrap();
    assert_eq!(alice["notes"], "likes crabs, a lot");
    let ferris = after.iter().find(|r| r["handle"] == "ferris").unwrap();
    assert_eq!(ferris["notes"], "");
    // A second change keeps it too.
    sample.ok(&["remove-attendee", "ferris"]);
    assert!(sample.read("attendees.csv").contains("\"likes crabs, a lot\""));
}

#[test]
fn quoted_fields_with_commas_quotes_and_newlines_round_trip() {
    let sample = Sample::new();
    // A name is one line (a line break in it is refused on load, see tests/safety.rs); an
    // extra column such as notes may hold several.
    let text = sample.read("attendees.csv");
    let with_notes: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l},notes"),
            2 => format!("{l},\"vegetarian,\nno \"\"nuts\"\"\""),
            _ => format!("{l},"),
        })
        .collect();
    let text = with_notes.join("\n") + "\n";
    let text = edit_line(&text, 3, |l| {
        replace_once(l, "Aleksander Halvorsen", "\"Halvorsen, Aleksander \"\"Aleks\"\"\"")
    });
    sample.write("attendees.csv", &text);
    let people = attendees_json(&sample);
    let aleks = people.iter().find(|p| p["handle"] == "aleksander-h").unwrap();
    assert_eq!(aleks["name"], "Halvorsen, Aleksander \"Aleks\"");
    let nguyen = people.iter().find(|p| p["handle"] == "nguyen-dev").unwrap();
    assert_eq!(nguyen["name"], "Nguyen, Thi Mai");

    // A later error is reported on its physical line, counting the line inside the quotes.
    let bad = edit_line(&sample.read("attendees.csv"), 13, |l| {
        replace_once(l, ",member,", ",memeber,")
    });
    let good = sample.read("attendees.csv");
    sample.write("attendees.csv", &bad);
    sample.fails(
        &["schedule"],
        &format!("{}:13: column role:", sample.path("attendees.csv").display()),
    );
    sample.write("attendees.csv", &good);

    // A change elsewhere in the file keeps the quoted value exactly.
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab"]);
    let people = attendees_json(&sample);
    let aleks = people.iter().find(|p| p["handle"] == "aleksander-h").unwrap();
    assert_eq!(aleks["name"], "Halvorsen, Aleksander \"Aleks\"");
    assert!(
        sample
            .read("attendees.csv")
            .contains(",\"vegetarian,\nno \"\"nuts\"\"\"\n")
    );
    let titles = sample.read("sessions.csv");
    assert!(titles.contains("\"Allocator API, revisited\""));
    sample.ok(&["edit-session", "S015", "--duration", "45"]);
    let schedule = json(&sample.ok(&["schedule", "--format", "json", "--room", "rietveld"]));
    assert!(schedule.iter().any(|s| s["title"] == "Allocator API, revisited"));
}

#[test]
fn trailing_blank_rows_of_commas_are_ignored() {
    let sample = Sample::new();
    let rooms = sample.ok(&["rooms", "--format", "json"]);
    let text = sample.read("rooms.csv");
    sample.write("rooms.csv", &format!("{text},,,\n,,,\n"));
    assert_eq!(sample.ok(&["rooms", "--format", "json"]), rooms);
}

// ---------------------------------------------------------------------------------------------
// What allhands writes

#[test]
fn add_attendee_writes_a_sorted_file_one_line_longer() {
    let sample = Sample::new();
    let before = sample.read("attendees.csv");
    sample.ok(&[&ADD_FERRIS[..], &["--team", "lang", "--days", "thu,fri"]].concat());
    let after = sample.read("attendees.csv");
    let (removed, added) = line_diff(&before, &after);
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        ["ferris,Ferris Crab,ferris@example.org,member,lang,thu;fri,,,confirmed"]
    );
    assert_eq!(after.lines().count(), before.lines().count() + 1);
    let handles: Vec<String> = rows(&after).into_iter().map(|r| r["handle"].clone()).collect();
    let mut sorted = handles.clone();
    sorted.sort();
    assert_eq!(handles, sorted, "attendees.csv sorted by handle");
    // Every other line is exactly as it was, in the same order.
    let others: Vec<&str> = after.lines().filter(|l| !l.starts_with("ferris,")).collect();
    assert_eq!(others, before.lines().collect::<Vec<_>>());
    // Only attendees.csv changed.
    let fresh = Sample::new();
    for file in [
        "event.csv",
        "days.csv",
        "slots.csv",
        "rooms.csv",
        "sessions.csv",
        "participants.csv",
    ] {
        assert_eq!(sample.read(file), fresh.read(file), "{file} changed");
    }
}

#[test]
fn a_change_leaves_no_temporary_files_behind() {
    let sample = Sample::new();
    sample.ok(&["add-session", "Const generics", "--interested", "alice"]);
    let names: Vec<String> = sample.snapshot().into_keys().collect();
    for name in &names {
        assert!(
            name.ends_with(".csv") || name == ".gitignore",
            "left behind: {name} (all: {names:?})"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What is refused

/// Breaks `file` with `change`, then checks that a reading and three changing commands all
/// fail alike (exit status 2, the same message) and write nothing. Returns what they show, for
/// a snapshot.
fn refused(file: &str, change: impl Fn(&str) -> String) -> String {
    let sample = Sample::new();
    let text = sample.read(file);
    sample.write(file, &change(&text));
    let shown = sample.run_snapshot(&["schedule"]);
    for args in [
        &["add-room", "blue", "--capacity", "12"][..],
        &["add-session", "Const generics"],
        &["book", "S012", "--day", "fri", "--at", "14:00"],
    ] {
        assert_eq!(sample.run_snapshot(args), shown, "{args:?}");
    }
    shown
}

/// [`refused`] with `from` replaced by `to` on line `line` of `file`.
fn refused_edit(file: &str, line: usize, from: &str, to: &str) -> String {
    refused(file, |t| edit_line(t, line, |l| replace_once(l, from, to)))
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_refused() {
    insta::assert_snapshot!(
        [
            refused_edit("attendees.csv", 5, ",confirmed", ""),
            refused("rooms.csv", |t| edit_line(t, 8, |l| format!("{l},extra"))),
        ]
        .join("\n")
    );
}

#[test]
fn an_unbalanced_quote_is_refused_at_its_line() {
    // In a file with later quoted fields the stray quote pairs up with one of them; the
    // error must still point at the line where it happened, and say it is a quote (not an
    // extra comma) and where the runaway field ends.
    insta::assert_snapshot!(
        [
            refused_edit("rooms.csv", 5, ",Janskerk", ",\"Janskerk"),
            refused_edit("attendees.csv", 5, ",Alice", ",\"Alice"),
        ]
        .join("\n")
    );
}

#[test]
fn invalid_utf8_is_refused_at_its_line() {
    let sample = Sample::new();
    let mut bytes = std::fs::read(sample.path("attendees.csv")).unwrap();
    let line_start = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(5).unwrap().0 + 1;
    bytes.insert(line_start + 3, 0xff);
    std::fs::write(sample.path("attendees.csv"), &bytes).unwrap();
    let shown = sample.run_snapshot(&["schedule"]);
    assert_eq!(sample.run_snapshot(&["add-room", "blue", "--capacity", "12"]), shown);
    assert_eq!(sample.run_snapshot(&["add-attendee", "ferris", "--name", "F"]), shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn an_empty_file_is_refused() {
    insta::assert_snapshot!(
        [
            refused("rooms.csv", |_| String::new()),
            refused("participants.csv", |_| "\n\n".into()),
            refused("attendees.csv", |_| "\u{feff}".into()),
        ]
        .join("\n")
    );
}

#[test]
fn a_missing_required_column_is_refused() {
    insta::assert_snapshot!(
        [
            refused("attendees.csv", |t| {
                t.lines()
                    .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
                    .collect()
            }),
            refused_edit("rooms.csv", 1, "capacity", "seats"),
        ]
        .join("\n")
    );
}

#[test]
fn a_duplicate_column_is_refused() {
    insta::assert_snapshot!(refused_edit("attendees.csv", 1, "email", "name"));
}

#[test]
fn an_unknown_role_is_refused_with_the_valid_ones() {
    insta::assert_snapshot!(
        [
            refused_edit("attendees.csv", 5, ",member,", ",memeber,"),
            refused_edit("participants.csv", 3, ",required", ",requird"),
            refused_edit("attendees.csv", 6, ",declined", ",maybe"),
        ]
        .join("\n")
    );
}

#[test]
fn a_bad_time_is_refused() {
    insta::assert_snapshot!(
        [
            refused_edit("slots.csv", 2, "09:30", "25:00"),
            refused_edit("sessions.csv", 3, "11:30", "25:00"),
            refused_edit("days.csv", 2, "18:00", "25:00"),
            refused_edit("attendees.csv", 12, "13:00", "25:00"),
        ]
        .join("\n")
    );
}

#[test]
fn a_bad_date_is_refused() {
    insta::assert_snapshot!(refused_edit("days.csv", 3, "2026-05-22", "2026-02-30"));
}

#[test]
fn a_negative_capacity_is_refused() {
    insta::assert_snapshot!(
        [
            refused_edit("rooms.csv", 6, ",20,", ",-5,"),
            refused_edit("rooms.csv", 6, ",20,", ",lots,"),
        ]
        .join("\n")
    );
}

#[test]
fn a_negative_or_zero_duration_is_refused() {
    insta::assert_snapshot!(
        [
            refused_edit("sessions.csv", 3, ",90,", ",-5,"),
            refused_edit("sessions.csv", 3, ",90,", ",0,"),
        ]
        .join("\n")
    );
}

#[test]
fn other_bad_cells_are_refused_with_their_place() {
    insta::assert_snapshot!(
        [
            refused_edit("sessions.csv", 2, ",true", ",maybe"),
            refused("event.csv", |t| replace_once(t, "Europe/Amsterdam", "Mars/Olympus")),
            refused_edit("days.csv", 2, "18:00", "08:00"),
            refused_edit("attendees.csv", 5, "alice,", ","),
            refused("event.csv", |t| format!("{t}Second event,,UTC\n")),
        ]
        .join("\n")
    );
}

#[test]
fn header_names_are_written_back_as_the_file_had_them() {
    let sample = Sample::new();
    let rooms = sample.read("rooms.csv");
    let header = rooms.lines().next().unwrap();
    let mut lines: Vec<String> = rooms.lines().map(String::from).collect();
    lines[0] = format!("{},Dietary Needs", header.replace("capacity", "Capacity"));
    for line in lines.iter_mut().skip(1) {
        line.push_str(",none");
    }
    sample.write("rooms.csv", &(lines.join("\n") + "\n"));
    sample.ok(&["edit-room", "main", "--capacity", "151"]);
    let written = sample.read("rooms.csv");
    assert!(
        written.starts_with("id,name,Capacity,features,Dietary Needs\n"),
        "{written}"
    );
    assert!(
        written.contains("main,Main Hall,151,projector;video;microphone,none\n"),
        "{written}"
    );
}
