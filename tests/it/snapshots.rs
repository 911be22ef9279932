//! Snapshots of what people see on an 80-column terminal, on the unmodified sample.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test snapshots`).

use crate::common::Sample;

fn assert_fits(out: &str) {
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "line wider than 80:\n{line}");
    }
}

#[test]
fn schedule() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let out = sample.ok(&["schedule"]);
    assert_fits(&out);
    insta::assert_snapshot!("schedule", out);
    assert_eq!(sample.snapshot(), before, "reading must not change the folder");
}

#[test]
fn rooms_day_thu() {
    let sample = Sample::new();
    let out = sample.ok(&["rooms", "--day", "thu"]);
    assert_fits(&out);
    insta::assert_snapshot!("rooms_day_thu", out);
}

#[test]
fn attendees() {
    let sample = Sample::new();
    let out = sample.ok(&["attendees"]);
    assert_fits(&out);
    insta::assert_snapshot!("attendees", out);
}

#[test]
fn sessions() {
    let sample = Sample::new();
    let out = sample.ok(&["sessions"]);
    assert_fits(&out);
    insta::assert_snapshot!("sessions", out);
}

#[test]
fn sessions_id() {
    let sample = Sample::new();
    // A session with an audience team, a time it must keep apart from another, and a source.
    let out = sample.ok(&["sessions", "S002"]);
    assert_fits(&out);
    insta::assert_snapshot!("sessions_s002", out);
}

#[test]
fn check_clashes() {
    let sample = Sample::new();
    let out = sample.ok(&["check", "--clashes"]);
    assert_fits(&out);
    insta::assert_snapshot!("check_clashes", out);
}

#[test]
fn check() {
    let sample = Sample::new();
    let out = sample.ok(&["check"]);
    assert_fits(&out);
    insta::assert_snapshot!("check", out);
}
