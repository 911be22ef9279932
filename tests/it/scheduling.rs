//! Scheduling as the All Hands does it: team audiences, plenaries, time constraints and
//! presence, end to end on the sample (issue 11, and issue 9's "who is really there").

use crate::common;

use crate::common::{Sample, json, rows};

/// A fact of `sessions ID --format json`: the value of the row whose item is `item`.
fn fact(sample: &Sample, id: &str, item: &str) -> serde_json::Value {
    json(&sample.ok(&["sessions", id, "--format", "json"]))
        .into_iter()
        .find(|r| r["section"] == "session" && r["item"] == item)
        .map(|r| r["value"].clone())
        .unwrap_or_else(|| panic!("no {item} in sessions {id}"))
}

#[test]
fn add_session_keeps_audience_and_constraints_as_typed_in_any_case() {
    let sample = Sample::new();
    let out = sample.ok(&[
        "add-session",
        "Const generics",
        "--audience",
        "LANG,Compiler",
        "--days",
        "Thursday,fri",
        "--not-before",
        "13:00",
        "--not-after",
        "17:30",
        "--prefer",
        "afternoon",
        "--apart",
        "s002",
        "--source",
        "https://github.com/rust-lang/all-hands-2026/issues/99",
    ]);
    assert!(
        out.starts_with(
            "Added S067 'Const generics' (no team, 1h, for the lang, compiler team(s); only thu, fri; \
             not before 13:00; ends by 17:30; prefers afternoon; apart from S002), unscheduled"
        ),
        "{out}"
    );
    let row = common::session(&sample, "S067");
    assert_eq!(row["audience"], "lang;compiler");
    assert_eq!(row["days"], "thu;fri");
    assert_eq!(row["not_before"], "13:00");
    assert_eq!(row["not_after"], "17:30");
    assert_eq!(row["prefer"], "afternoon");
    assert_eq!(row["apart"], "S002");
    assert_eq!(row["source"], "https://github.com/rust-lang/all-hands-2026/issues/99");
    assert_eq!(
        fact(&sample, "S067", "constraints"),
        "only thu, fri; not before 13:00; ends by 17:30; prefers afternoon; apart from S002"
    );
}

#[test]
fn wishes_that_name_nothing_or_cannot_fit_are_refused_and_write_nothing() {
    let sample = Sample::new();
    let before = sample.snapshot();
    // A preference that is neither a part of the day nor a day lists both kinds as valid.
    insta::assert_snapshot!(sample.transcript(&[
        &["add-session", "X", "--audience", "lnag"],
        &["add-session", "X", "--days", "sun"],
        &["add-session", "X", "--apart", "S999"],
        &["add-session", "X", "--prefer", "evening"],
        &["add-session", "X", "--prefer", "mornin"],
        &[
            "add-session",
            "X",
            "--duration",
            "90",
            "--not-before",
            "16:00",
            "--not-after",
            "17:00"
        ],
        &["edit-session", "S002", "--apart", "S002"],
    ]));
    assert_eq!(sample.snapshot(), before);
}

#[test]
fn book_keeps_days_times_kept_apart_and_plenaries() {
    let sample = Sample::new();
    // S012 may only be on thu or fri, is kept apart from S002 (thu 11:30-13:00).
    sample.fails(
        &["book", "S012", "--day", "sat", "--at", "11:30"],
        "S012 'Const traits: open design questions' may only be on thu, fri",
    );
    sample.fails(
        &["book", "S012", "--day", "thu", "--at", "12:00"],
        "S012 'Const traits: open design questions' is kept apart from S002 'Async closures stabilization'",
    );
    // Nothing runs during the opening plenary (S001, thu 09:30-11:00).
    sample.fails(
        &["book", "S045", "--day", "thu", "--at", "10:30"],
        "would run during the plenary S001 'Opening plenary: state of the Project'",
    );
    sample.ok(&["edit-session", "S045", "--not-before", "14:00"]);
    sample.fails(
        &["book", "S045", "--day", "fri", "--at", "11:30"],
        "may not start before 14:00",
    );
    sample.ok(&["edit-session", "s045", "--not-before", "", "--not-after", "12:00"]);
    sample.fails(&["book", "S045", "--day", "fri", "--at", "11:30"], "must end by 12:00");
    // A constraint that the session's own place would break is refused on edit too.
    sample.fails(&["edit-session", "S002", "--days", "fri"], "may only be on fri");
    // A session cannot become a plenary while others run beside it.
    sample.fails(&["edit-session", "S002", "--plenary"], "is a plenary, but");
}

#[test]
fn interested_people_who_are_away_do_not_count() {
    let sample = Sample::new();
    // Someone who is not there on Thursday, interested in a Thursday session.
    let away = rows(&sample.read("attendees.csv"))
        .into_iter()
        .find(|a| !a["days"].split(';').any(|d| d == "thu") && a["status"] != "declined")
        .expect("someone skips Thursday");
    let handle = away["handle"].clone();
    let before = fact(&sample, "S011", "people");
    sample.ok(&["join", "S011", &handle]);
    assert_eq!(fact(&sample, "S011", "people"), before, "{handle} is away on thu");
    let people = json(&sample.ok(&["sessions", "S011", "--format", "json"]));
    let row = people
        .iter()
        .find(|r| r["section"] == "people" && r["item"] == handle.as_str())
        .expect("listed");
    assert!(
        row["note"].as_str().unwrap().contains("is not at the event on thu"),
        "{row}"
    );
    // Their personal agenda marks it, and says why.
    let agenda = sample.ok(&["schedule", "--attendee", &handle]);
    assert!(agenda.contains("cannot attend"), "{agenda}");
    assert!(
        agenda.contains(&format!("S011: {handle} is not at the event on thu")),
        "{agenda}"
    );
    // And check counts it as a missed session, not a clash.
    let report = json(&sample.ok(&["check", "--clashes", "--format", "json"]));
    assert!(report.iter().any(|r| r["handle"] == handle.as_str()
        && r["session"].as_str().unwrap().starts_with("S011 ")
        && r["clashes_with"].is_null()));
}

#[test]
fn team_audiences_count_present_members_and_clash_through_the_team() {
    let sample = Sample::new();
    let members: Vec<String> = rows(&sample.read("attendees.csv"))
        .into_iter()
        .filter(|a| a["teams"].split(';').any(|t| t == "miri"))
        .map(|a| a["handle"].clone())
        .collect();
    assert!(!members.is_empty());
    // S017 (miri audience) is on sat 09:30; S020 overlaps it. Make S020 a miri session too:
    // every miri member present then now has a clash, through the team.
    sample.ok(&["edit-session", "S020", "--audience", "miri"]);
    let clashes = json(&sample.ok(&["check", "--clashes", "--format", "json"]));
    let through_team: Vec<&serde_json::Value> = clashes
        .iter()
        .filter(|r| {
            r["session"].as_str().unwrap().starts_with("S017 ")
                && r["clashes_with"].as_str().is_some_and(|s| s.starts_with("S020 "))
        })
        .collect();
    assert!(!through_team.is_empty());
    // Everyone tied through the team is a miri member; S020's new audience is what ties them.
    for r in through_team
        .iter()
        .filter(|r| r["tie"] == "team" || r["other_tie_or_reason"] == "team")
    {
        assert!(members.contains(&r["handle"].as_str().unwrap().to_string()), "{r}");
    }
    assert!(through_team.iter().any(|r| r["other_tie_or_reason"] == "team"));
    // Their head count grew by the miri members who are there and were not listed.
    let note = json(&sample.ok(&["sessions", "S020", "--format", "json"]))
        .into_iter()
        .find(|r| r["item"] == "audience")
        .unwrap()["note"]
        .clone();
    assert!(note.as_str().unwrap().ends_with("not listed otherwise"), "{note}");
}

#[test]
fn sessions_lists_and_filters() {
    let sample = Sample::new();
    let unscheduled: Vec<String> = rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| s["day"].is_empty())
        .map(|s| s["id"].clone())
        .collect();
    let listed: Vec<String> = json(&sample.ok(&["sessions", "--unscheduled", "--format", "json"]))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let mut expected = unscheduled.clone();
    expected.sort();
    let mut got = listed.clone();
    got.sort();
    assert_eq!(got, expected);
    let thu: Vec<serde_json::Value> = json(&sample.ok(&["sessions", "--day", "thursday", "--format", "json"]));
    assert!(!thu.is_empty() && thu.iter().all(|r| r["day"] == "thu"));
    sample.fails(&["sessions", "S999"], "unknown session 'S999'");
    sample.fails(&["sessions", "--team", "lnag"], "did you mean 'lang'?");
}

#[test]
fn plan_says_what_rules_out_each_slot_for_a_session_it_cannot_place() {
    let sample = Sample::new();
    sample.ok(&[
        "add-session",
        "Late Friday",
        "--days",
        "fri",
        "--not-before",
        "16:30",
        "--required",
        "alice",
    ]);
    let out = sample.cmd(&["plan", "--dry-run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("S067 'Late Friday'"), "{err}");
    assert!(err.contains("      thu, sat: may only be on fri\n"), "{err}");
    assert!(err.contains("      fri: may not start before 16:30\n"), "{err}");
    // Programs get the same facts: the session, unplaced, with every reason.
    let rows = json(&sample.ok_status(&["plan", "--dry-run", "--format", "json"], 1));
    let left = rows.iter().find(|r| r["session"] == "S067").unwrap();
    assert_eq!(left["status"], "unplaced");
    let reason = left["reason"].as_str().unwrap();
    assert!(reason.contains("thu, sat: may only be on fri") && reason.contains("fri: may not start before 16:30"));
    // Placed rows name the room by id and by name, and nothing else is decorated.
    let placed = rows.iter().find(|r| r["status"] == "placed").unwrap();
    let room = placed["room"].as_str().unwrap();
    let name = placed["room_name"].as_str().unwrap();
    assert!(
        rows_of(&sample, "rooms.csv")
            .iter()
            .any(|r| r["id"] == room && r["name"] == name)
    );
}

fn rows_of(sample: &Sample, file: &str) -> Vec<common::Row> {
    rows(&sample.read(file))
}

#[test]
fn plan_with_no_slots_says_so_once() {
    let sample = Sample::new();
    sample.write("slots.csv", "day,start,end\n");
    let err = sample.fails(
        &["plan"],
        "slots.csv is empty, so there is nowhere to place 12 session(s)",
    );
    assert_eq!(err.matches("slots.csv").count(), 1, "{err}");
    assert!(err.contains("allhands add-slot"), "{err}");
}

#[test]
fn sessions_id_lists_each_person_once_with_their_strongest_tie() {
    let sample = Sample::new();
    let people: Vec<serde_json::Value> = json(&sample.ok(&["sessions", "S012", "--format", "json"]))
        .into_iter()
        .filter(|r| r["section"] == "people")
        .collect();
    let mut handles: Vec<&str> = people.iter().map(|r| r["item"].as_str().unwrap()).collect();
    let listed = handles.len();
    handles.sort();
    handles.dedup();
    assert_eq!(handles.len(), listed, "someone twice: {people:?}");
    // Listed people keep their own tie even when their team is in the audience.
    for tie in rows(&sample.read("participants.csv"))
        .iter()
        .filter(|p| p["session"] == "S012")
    {
        let row = people.iter().find(|r| r["item"] == tie["handle"].as_str()).unwrap();
        assert_eq!(row["value"], tie["role"].as_str(), "{row}");
    }
}
