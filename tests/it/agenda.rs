//! End-to-end tests of `schedule`: the agenda in every format and with every filter, checked
//! against the sample's CSV files.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{Row, Sample, header, hhmm, json, minutes, rows};
use serde_json::Value;

/// Scheduled sessions from sessions.csv.
fn scheduled(sample: &Sample) -> Vec<Row> {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| !s["day"].is_empty() && !s["start"].is_empty() && !s["room"].is_empty())
        .collect()
}

fn ids_of(rows: &[Row]) -> BTreeSet<String> {
    rows.iter().map(|r| r["id"].clone()).collect()
}

fn json_ids(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|v| v["session"].as_str().unwrap().to_string())
        .collect()
}

fn schedule_json(sample: &Sample, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["schedule"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    json(&sample.ok(&all))
}

/// The lines of `out` wider than 80 columns.
fn too_wide(out: &str) -> Vec<String> {
    out.lines()
        .filter(|line| line.chars().count() > 80)
        .map(|line| format!("{} columns: {line}", line.chars().count()))
        .collect()
}

const DAYS: [&str; 3] = ["Thursday 21 May 2026", "Friday 22 May 2026", "Saturday 23 May 2026"];

#[test]
fn schedule_prints_every_day_and_every_scheduled_session() {
    let sample = Sample::new();
    let out = sample.ok(&["schedule"]);
    let mut last = 0;
    for day in DAYS {
        let at = out.find(day).unwrap_or_else(|| panic!("{day} missing:\n{out}"));
        assert!(at >= last, "{day} out of order");
        last = at;
    }
    for s in scheduled(&sample) {
        assert!(out.contains(&s["id"]), "{} missing", s["id"]);
    }
    let all = scheduled(&sample).len();
    let unscheduled = rows(&sample.read("sessions.csv")).len() - all;
    assert!(
        out.contains(&format!("{all} sessions\n{unscheduled} not scheduled yet")),
        "{out}"
    );
}

#[test]
fn every_way_of_naming_a_day_gives_the_same_agenda() {
    let sample = Sample::new();
    let thu = sample.ok(&["schedule", "--day", "thu"]);
    assert!(thu.contains("Thursday 21 May 2026"), "{thu}");
    assert!(!thu.contains("Friday"), "{thu}");
    assert!(!thu.contains("Saturday"), "{thu}");
    for form in ["thursday", "2026-05-21", "1", "Thu", "THURSDAY", " thu "] {
        assert_eq!(sample.ok(&["schedule", "--day", form]), thu, "--day {form:?}");
    }
    let sat = sample.ok(&["schedule", "--day", "3"]);
    assert!(sat.contains("Saturday 23 May 2026"), "{sat}");
    assert_eq!(sample.ok(&["schedule", "--day", "saturday"]), sat);
}

#[test]
fn the_day_filter_keeps_exactly_that_days_sessions() {
    let sample = Sample::new();
    let want: Vec<Row> = scheduled(&sample).into_iter().filter(|s| s["day"] == "fri").collect();
    let got = schedule_json(&sample, &["--day", "fri"]);
    assert_eq!(json_ids(&got), ids_of(&want));
    assert!(got.iter().all(|v| v["day"] == "fri" && v["date"] == "2026-05-22"));
}

#[test]
fn an_unknown_day_is_refused_with_a_suggestion() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["schedule", "--day", "frj"],
        &["schedule", "--day", "4"],
        &["schedule", "--day", "0"],
        &["schedule", "--day", "2026-05-24"],
        &["schedule", "--day", ""],
    ]));
}

#[test]
fn an_attendees_agenda_has_only_their_sessions_with_their_role() {
    let sample = Sample::new();
    let ties: BTreeMap<String, String> = rows(&sample.read("participants.csv"))
        .into_iter()
        .filter(|p| p["handle"] == "alice")
        .map(|p| (p["session"].clone(), p["role"].clone()))
        .collect();
    let want: Vec<Row> = scheduled(&sample)
        .into_iter()
        .filter(|s| ties.contains_key(&s["id"]))
        .collect();
    assert!(!want.is_empty());
    let got = schedule_json(&sample, &["--attendee", "alice"]);
    assert_eq!(json_ids(&got), ids_of(&want));
    for item in &got {
        let id = item["session"].as_str().unwrap();
        assert_eq!(item["role"].as_str(), Some(ties[id].as_str()), "{id}");
    }
    let csv = sample.ok(&["schedule", "--attendee", "alice", "--format", "csv"]);
    assert!(header(&csv).contains(&"role".to_string()), "{csv}");
    let table = sample.ok(&["schedule", "--attendee", "alice"]);
    assert!(table.contains("role"), "{table}");
    assert!(table.contains("required"), "{table}");
    assert!(table.contains("interested"), "{table}");
    // The plain agenda has no role column.
    let plain = sample.ok(&["schedule", "--format", "csv"]);
    assert!(!header(&plain).contains(&"role".to_string()));
}

#[test]
fn an_attendees_agenda_names_its_unscheduled_required_sessions() {
    let sample = Sample::new();
    sample.ok(&["join", "S012", "alice", "--required"]);
    let out = sample.ok(&["schedule", "--attendee", "alice"]);
    assert!(
        out.contains("S012 'Const traits: open design questions' (required)"),
        "{out}"
    );
}

#[test]
fn an_attendees_agenda_table_keeps_room_names_readable() {
    let sample = Sample::new();
    let table = sample.ok(&["schedule", "--attendee", "alice", "--day", "thu"]);
    // alice is at S001 in Main Hall and S002 in Wilhelmina Room on thu; the room column must
    // not be squeezed so narrow that their names are broken into letters.
    for word in ["Main", "Wilhelmina"] {
        assert!(
            table.contains(word),
            "room name {word:?} is broken up in the attendee agenda:\n{table}"
        );
    }
}

#[test]
fn an_attendee_with_no_scheduled_sessions_gets_an_empty_agenda() {
    let sample = Sample::new();
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab"]);
    // Everyone is tied to the plenaries: with those on the agenda, ferris has just them.
    let plenaries: Vec<Value> = schedule_json(&sample, &["--attendee", "ferris"]);
    let ids: Vec<&str> = plenaries.iter().map(|s| s["session"].as_str().unwrap()).collect();
    assert_eq!(ids, ["S001", "S052"]);
    sample.ok(&["unbook", "S001"]);
    sample.ok(&["unbook", "S052"]);
    let out = sample.ok(&["schedule", "--attendee", "ferris"]);
    assert!(out.contains("no sessions scheduled"), "{out}");
    assert!(out.contains("0 sessions"), "{out}");
    assert!(schedule_json(&sample, &["--attendee", "ferris"]).is_empty());
    let csv = sample.ok(&["schedule", "--attendee", "ferris", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 1, "header only: {csv}");
    let md = sample.ok(&["schedule", "--attendee", "ferris", "--format", "md"]);
    assert!(md.contains("no sessions scheduled"), "{md}");
}

#[test]
fn an_unknown_attendee_room_or_team_is_refused_with_a_suggestion() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["schedule", "--attendee", "alcie"],
        &["schedule", "--room", "mian"],
        &["schedule", "--team", "lng"],
    ]));
}

#[test]
fn the_room_filter_keeps_exactly_that_rooms_sessions() {
    let sample = Sample::new();
    let want: Vec<Row> = scheduled(&sample).into_iter().filter(|s| s["room"] == "main").collect();
    let got = schedule_json(&sample, &["--room", "main"]);
    assert_eq!(json_ids(&got), ids_of(&want));
    assert!(got.iter().all(|v| v["room_name"] == "Main Hall"));
    let table = sample.ok(&["schedule", "--room", "main"]);
    assert!(table.contains("S001"), "{table}");
    assert!(!table.contains("S002"), "{table}");
}

#[test]
fn the_team_filter_keeps_exactly_that_teams_sessions() {
    let sample = Sample::new();
    let want: Vec<Row> = scheduled(&sample).into_iter().filter(|s| s["team"] == "lang").collect();
    let got = schedule_json(&sample, &["--team", "lang"]);
    assert_eq!(json_ids(&got), ids_of(&want));
    assert!(got.iter().all(|v| v["team"] == "lang"));
    let table = sample.ok(&["schedule", "--team", "lang"]);
    assert!(table.contains("S002"), "{table}");
}

#[test]
fn filters_combine() {
    let sample = Sample::new();
    let got = schedule_json(&sample, &["--day", "thu", "--room", "main"]);
    assert_eq!(json_ids(&got), BTreeSet::from(["S001".to_string()]));
    let got = schedule_json(&sample, &["--day", "sat", "--team", "lang", "--attendee", "alice"]);
    for item in &got {
        assert_eq!(item["day"], "sat");
        assert_eq!(item["team"], "lang");
    }
}

#[test]
fn csv_has_one_row_per_scheduled_session_and_no_email() {
    let sample = Sample::new();
    let out = sample.ok(&["schedule", "--format", "csv"]);
    let columns = header(&out);
    for column in ["day", "date", "start", "end", "room", "session", "title"] {
        assert!(columns.contains(&column.to_string()), "{column} in {columns:?}");
    }
    let got = rows(&out);
    let want = scheduled(&sample);
    assert_eq!(got.len(), want.len());
    let dates: BTreeMap<String, String> = rows(&sample.read("days.csv"))
        .into_iter()
        .map(|d| (d["day"].clone(), d["date"].clone()))
        .collect();
    for row in &got {
        let s = want
            .iter()
            .find(|s| s["id"] == row["session"])
            .unwrap_or_else(|| panic!("{} is not scheduled", row["session"]));
        assert_eq!(row["day"], s["day"]);
        assert_eq!(row["date"], dates[&s["day"]]);
        assert_eq!(row["start"], s["start"]);
        let end = minutes(&s["start"]) + s["duration"].parse::<u32>().unwrap();
        assert_eq!(row["end"], hhmm(end), "{}", s["id"]);
        assert_eq!(row["room"], s["room"]);
        assert_eq!(row["title"], s["title"]);
    }
    // Sorted by day, then start.
    let order: Vec<(usize, String)> = got
        .iter()
        .map(|r| {
            let day = ["thu", "fri", "sat"].iter().position(|d| *d == r["day"]).unwrap();
            (day, r["start"].clone())
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // No attendee email leaks into an agenda.
    assert!(!out.contains('@'), "{out}");
    for a in rows(&sample.read("attendees.csv")) {
        if !a["email"].is_empty() {
            assert!(!out.contains(&a["email"]));
        }
    }
    assert!(!out.contains("email"));
}

#[test]
fn json_is_an_array_of_objects_matching_the_csv() {
    let sample = Sample::new();
    let got = schedule_json(&sample, &[]);
    let csv = rows(&sample.ok(&["schedule", "--format", "csv"]));
    assert_eq!(got.len(), csv.len());
    for (item, row) in got.iter().zip(&csv) {
        let object = item.as_object().expect("an object");
        for column in ["day", "date", "start", "end", "room", "session", "title"] {
            assert_eq!(object[column].as_str(), Some(row[column].as_str()), "{column}");
        }
        assert!(object["people"].is_u64(), "people is a number: {item}");
        assert!(!object.contains_key("email"));
    }
    let text = sample.ok(&["schedule", "--format", "json"]);
    assert!(!text.contains('@'));
}

#[test]
fn markdown_has_a_heading_per_day_and_pipe_tables() {
    let sample = Sample::new();
    let md = sample.ok(&["schedule", "--format", "md"]);
    for day in DAYS {
        assert!(md.contains(&format!("### {day}\n")), "{day} heading:\n{md}");
    }
    let tables: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    let separators = md
        .lines()
        .filter(|l| l.starts_with("| ---") || l.starts_with("| --:"))
        .count();
    assert_eq!(separators, 3, "one table per day:\n{md}");
    assert_eq!(
        tables.len(),
        scheduled(&sample).len() + 2 * 3,
        "a row per session plus header and separator per day"
    );
    for line in tables {
        assert!(line.ends_with(" |"), "{line}");
    }
    // A title with a pipe does not break the table.
    sample.ok(&["edit-session", "S001", "--title", "Opening | state"]);
    let md = sample.ok(&["schedule", "--format", "md", "--day", "thu"]);
    assert!(md.contains("Opening \\| state"), "{md}");
}

#[test]
fn csv_defuses_titles_that_look_like_formulas_and_json_keeps_them() {
    let sample = Sample::new();
    sample.ok(&["edit-session", "S001", "--title", "=1+1"]);
    let csv = rows(&sample.ok(&["schedule", "--format", "csv", "--room", "main"]));
    let row = csv.iter().find(|r| r["session"] == "S001").unwrap();
    assert_eq!(row["title"], "'=1+1");
    let json = schedule_json(&sample, &["--room", "main"]);
    let item = json.iter().find(|v| v["session"] == "S001").unwrap();
    assert_eq!(item["title"], "=1+1");
    // And sessions.csv itself keeps the title safe but loads it back exactly.
    assert!(sample.read("sessions.csv").contains("S001,'=1+1,"));
}

#[test]
fn output_flag_writes_the_agenda_to_a_file() {
    let sample = Sample::new();
    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "json", "md", "table"] {
        let file = dir.path().join(format!("agenda.{format}"));
        let to_stdout = sample.ok(&["schedule", "--format", format]);
        let out = sample.ok(&["schedule", "--format", format, "-o", file.to_str().unwrap()]);
        assert_eq!(out, "", "nothing on stdout with -o");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), to_stdout, "{format}");
    }
    // Overwrites an existing file.
    let file = dir.path().join("agenda.csv");
    sample.ok(&[
        "schedule",
        "--format",
        "csv",
        "--day",
        "thu",
        "-o",
        file.to_str().unwrap(),
    ]);
    let thu = std::fs::read_to_string(&file).unwrap();
    assert!(thu.lines().skip(1).all(|l| l.starts_with("thu,")), "{thu}");
    // No temp file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn output_to_a_missing_folder_fails_cleanly() {
    let sample = Sample::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no/such/agenda.csv");
    sample.fails(&["schedule", "-o", file.to_str().unwrap()], "no/such/agenda.csv");
    assert!(!dir.path().join("no").exists());
}

#[test]
fn every_line_of_every_table_fits_80_columns() {
    let sample = Sample::new();
    let mut wide = Vec::new();
    for args in [
        vec!["schedule"],
        vec!["schedule", "--day", "fri"],
        vec!["schedule", "--attendee", "alice"],
        vec!["schedule", "--attendee", "bob"],
        vec!["schedule", "--room", "main"],
        vec!["schedule", "--room", "amstel"],
        vec!["schedule", "--team", "lang"],
        vec!["schedule", "--team", "compiler"],
    ] {
        for line in too_wide(&sample.ok(&args)) {
            wide.push(format!("{args:?}: {line}"));
        }
    }
    assert!(wide.is_empty(), "lines wider than COLUMNS=80:\n{}", wide.join("\n"));
}

#[test]
fn an_event_with_nothing_scheduled_says_so() {
    let sample = Sample::new();
    let ids: Vec<String> = scheduled(&sample).iter().map(|s| s["id"].clone()).collect();
    for id in &ids {
        sample.ok(&["unbook", id]);
    }
    let out = sample.ok(&["schedule"]);
    assert!(out.contains("no sessions scheduled"), "{out}");
    assert!(schedule_json(&sample, &[]).is_empty());
}
