//! End-to-end tests of `plan` and `generate`.

use std::path::{Path, PathBuf};

use crate::common;

use crate::common::{Row, Sample, rows};

fn unscheduled(sample: &Sample) -> Vec<String> {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|r| r["start"].is_empty())
        .map(|r| r["id"].clone())
        .collect()
}

#[test]
fn plan_places_every_unscheduled_session_and_passes_check() {
    let sample = Sample::new();
    let before = unscheduled(&sample);
    assert!(!before.is_empty());
    let out = sample.ok(&["plan"]);
    assert!(
        out.contains(&format!("placed {} session(s), 0 not placed", before.len())),
        "{out}"
    );
    assert!(unscheduled(&sample).is_empty());
    sample.ok(&["check"]);
}

#[test]
fn dry_run_writes_nothing_and_says_so() {
    let sample = Sample::new();
    let files = sample.snapshot();
    let out = sample.ok(&["plan", "--dry-run"]);
    assert!(out.contains("dry run: nothing written"), "{out}");
    assert!(sample.snapshot() == files);
}

#[test]
fn the_same_seed_gives_the_same_plan() {
    let (a, b) = (Sample::new(), Sample::new());
    a.ok(&["plan", "--seed", "7"]);
    b.ok(&["plan", "--seed", "7"]);
    assert_eq!(a.read("sessions.csv"), b.read("sessions.csv"));
}

#[test]
fn pinned_and_booked_sessions_stay_unless_replan() {
    let sample = Sample::new();
    let booked = |s: &Sample| -> Vec<Row> {
        rows(&s.read("sessions.csv"))
            .into_iter()
            .filter(|r| !r["start"].is_empty())
            .collect()
    };
    let before = booked(&sample);
    assert!(!before.is_empty());
    sample.ok(&["plan"]);
    let after = booked(&sample);
    for row in &before {
        assert!(after.contains(row), "moved: {row:?}");
    }
    let out = sample.ok(&["plan", "--replan", "--format", "json"]);
    let moved: serde_json::Value = serde_json::from_str(&out).unwrap();
    for row in moved.as_array().unwrap() {
        let id = row["session"].as_str().unwrap();
        assert!(
            !["S001", "S008", "S026", "S028", "S052"].contains(&id),
            "pinned {id} moved"
        );
    }
    sample.ok(&["check"]);
}

#[test]
fn an_unplaceable_session_is_reported_with_its_reason_and_exit_1() {
    let sample = Sample::new();
    sample.ok(&[
        "add-session",
        "Hologram demo",
        "--needs",
        "hologram",
        "--required",
        "alice",
    ]);
    let output = sample.cmd(&["plan"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // A need that no room has is named as such, once.
    assert!(stderr.contains("'Hologram demo': no room has 'hologram'\n"), "{stderr}");
    assert_eq!(stderr.matches("hologram'").count(), 1, "{stderr}");
    // The rest are placed all the same.
    assert_eq!(unscheduled(&sample).len(), 1);
}

#[test]
fn bad_time_limit_is_a_usage_error() {
    let sample = Sample::new();
    sample.fails(
        &["plan", "--time-limit", "0"],
        "--time-limit 0 must be a number of seconds above 0",
    );
    sample.fails(&["plan", "--time-limit", "soon"], "invalid value 'soon'");
}

/// `allhands generate DIR/NAME OPTIONS`, which must succeed: the folder it made.
fn generated(dir: &Path, name: &str, options: &[&str]) -> PathBuf {
    let data = dir.join(name);
    let out = common::allhands()
        .arg("generate")
        .arg(&data)
        .args(options)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    data
}

#[test]
fn generate_writes_a_plannable_event() {
    let dir = tempfile::tempdir().unwrap();
    let data = generated(
        dir.path(),
        "gen",
        &["--attendees", "80", "--sessions", "20", "--rooms", "5", "--seed", "3"],
    );
    let run = |args: &[&str]| {
        common::allhands()
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(run(&["plan"]).status.code(), Some(0));
    assert_eq!(run(&["check"]).status.code(), Some(0));
    let again = common::allhands().arg("generate").arg(&data).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "generate must not overwrite an event");
}

#[test]
fn overlapping_or_repeated_slots_are_refused_instead_of_planned_into_double_bookings() {
    let sample = Sample::new();
    let slots = sample.read("slots.csv");
    let thu: String = slots.lines().skip(1).take(4).map(|l| format!("{l}\n")).collect();
    sample.write("slots.csv", &format!("{slots}{thu}"));
    sample.fails(&["plan"], "plan needs slots that do not overlap; fix slots.csv first");
    sample.write("slots.csv", &format!("{slots}thu,10:00,11:00\n"));
    sample.fails(&["plan", "--dry-run"], "overlaps slot 09:30-11:00");
}

#[test]
fn a_huge_time_limit_is_a_usage_error_not_a_panic() {
    let sample = Sample::new();
    sample.fails(&["plan", "--time-limit", "1e20"], "must be a number of seconds above 0");
}

#[test]
fn a_search_longer_than_a_second_shows_progress_on_a_terminal_only() {
    let sample = Sample::new();
    let binary = assert_cmd::cargo::cargo_bin!("allhands");
    let data = sample.data.display();
    // `script` runs the command on a pseudo-terminal, as an organizer's shell would.
    let on_tty = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} --data-dir {data} plan --dry-run --time-limit 1.6", binary.display()),
            "/dev/null",
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("script(1) from util-linux runs commands on a pseudo-terminal");
    let shown = String::from_utf8_lossy(&on_tty.stdout);
    assert!(shown.contains("planning... 1s"), "{shown}");
    let piped = sample
        .cmd(&["plan", "--dry-run", "--time-limit", "1.6"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("planning..."));
}

#[test]
fn pairs_wanted_by_someone_away_then_are_shown_apart_from_clashes() {
    // Both sessions can only be on Friday, at its one slot (their owners come on Friday only);
    // x, who wants both, is there on Thursday only: not a clash, but a pair the search (and the
    // benchmark checker) counts, so the summary names it separately.
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("event.csv", "name,location,timezone\nTest,Utrecht,Europe/Amsterdam\n"),
        (
            "days.csv",
            "day,date,opens,closes\nthu,2026-05-21,09:00,18:00\nfri,2026-05-22,09:00,18:00\n",
        ),
        ("slots.csv", "day,start,end\nthu,09:00,10:00\nfri,09:00,10:00\n"),
        ("rooms.csv", "id,name,capacity,features\nR1,R1,10,\nR2,R2,10,\n"),
        (
            "attendees.csv",
            "handle,name,email,role,teams,days,arrives,leaves,status\n\
             o1,O1,o1@example.org,member,,fri,,,confirmed\n\
             o2,O2,o2@example.org,member,,fri,,,confirmed\n\
             x,X,x@example.org,member,,thu,,,confirmed\n",
        ),
        (
            "sessions.csv",
            "id,title,kind,team,duration,needs,day,start,room,pinned\n\
             A,First,planned,,60,,,,,false\nB,Second,planned,,60,,,,,false\n",
        ),
        (
            "participants.csv",
            "session,handle,role\nA,o1,required\nB,o2,required\nA,x,interested\nB,x,interested\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let output = common::allhands()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("plan")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let text = format!("{}{stderr}", String::from_utf8_lossy(&output.stdout)).replace('\n', " ");
    assert!(
        text.contains("attendee clashes 0 before, 0 after (and 1 for people away then);"),
        "{text}"
    );
    // Declined, x would count in neither.
    let attendees = std::fs::read_to_string(dir.path().join("attendees.csv")).unwrap();
    std::fs::write(
        dir.path().join("attendees.csv"),
        attendees.replace("thu,,,confirmed", "thu,,,declined"),
    )
    .unwrap();
    let output = common::allhands()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["plan", "--replan"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let text = format!("{}{stderr}", String::from_utf8_lossy(&output.stdout)).replace('\n', " ");
    assert!(text.contains("attendee clashes 0 before, 0 after;"), "{text}");
}

/// A large event's commands share their work with a second core (from 20,000 participant rows):
/// whatever finishes first, they print exactly what they print on one core.
#[test]
fn a_large_event_reads_the_same_on_two_cores_as_on_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = generated(
        dir.path(),
        "large",
        &["--attendees", "3000", "--sessions", "800", "--seed", "5"],
    );
    let rows = std::fs::read_to_string(data.join("participants.csv"))
        .unwrap()
        .lines()
        .count();
    assert!(rows > 20_000, "large enough to be shared: {rows} rows");
    let run = |args: &[&str], one_core: bool| {
        let mut command = common::allhands();
        command.arg("--data-dir").arg(&data).args(args).env("COLUMNS", "100");
        if one_core {
            command.env("ALLHANDS_THREADS", "1");
        }
        let out = command.output().unwrap();
        (out.status.code(), out.stdout, out.stderr)
    };
    for args in [
        &["schedule"][..],
        &["schedule", "--format", "csv"],
        &["check"],
        &["check", "--format", "json"],
        &["stats", "--format", "csv"],
        &["attendees"],
        &["rooms", "--day", "thu"],
    ] {
        let (two, one) = (run(args, false), run(args, true));
        assert_eq!(two.0, one.0, "{args:?}");
        assert!(two.1 == one.1, "{args:?}: output differs on two cores");
        assert!(two.2 == one.2, "{args:?}: messages differ on two cores");
        assert!(!two.1.is_empty(), "{args:?}");
    }
}
