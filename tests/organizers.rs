//! Right answers for organizers (issue 9): names as people type them, rooms by name, features
//! no room has, the same flags everywhere, "now" on the day.

mod common;

use common::{Sample, allhands, json, rows};

/// Runs a command with the clock set to `now` (event-local, `2026-05-22T14:03`).
fn at(sample: &Sample, now: &str, args: &[&str]) -> String {
    let out = sample.cmd(args).env("ALLHANDS_NOW", now).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn rooms_are_found_by_id_or_name_in_any_case() {
    let sample = Sample::new();
    // A room free on fri 14:00 for an hour, by the listing's own answer.
    let free = json(&sample.ok(&[
        "free", "--day", "fri", "--at", "14:00", "--for", "60", "--format", "json",
    ]));
    let room = free.last().expect("some room is free");
    let name = room["name"].as_str().unwrap().to_uppercase();
    sample.ok(&["add-session", "Hallway track", "--duration", "60"]);
    let out = sample.ok(&["book", "S067", "--day", "fri", "--at", "14:00", "--room", &name]);
    assert!(out.contains(&format!("in {}", room["name"].as_str().unwrap())), "{out}");
    let row = rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["id"] == "S067")
        .unwrap();
    assert_eq!(row["room"], room["room"].as_str().unwrap(), "stored by id");
    sample.fails(
        &["book", "S067", "--day", "fri", "--at", "14:00", "--room", "Tejo Room"],
        "unknown room 'Tejo Room'",
    );
}

#[test]
fn features_compare_without_case_and_a_feature_no_room_has_is_named() {
    let sample = Sample::new();
    sample.ok(&["add-room", "blue", "--capacity", "300", "--features", "Harp"]);
    let free = json(&sample.ok(&[
        "free", "--day", "thu", "--at", "14:00", "--needs", "harp", "--format", "json",
    ]));
    assert_eq!(free.len(), 1, "{free:?}");
    assert_eq!(free[0]["room"], "blue");
    sample.fails(
        &["free", "--day", "thu", "--at", "14:00", "--needs", "piano"],
        "no room has 'piano' (rooms have: ",
    );
    sample.ok(&["add-session", "Concert", "--needs", "piano"]);
    sample.fails(
        &["book", "S067", "--day", "thu", "--at", "14:00"],
        "no room has 'piano'",
    );
}

#[test]
fn one_name_per_idea_with_the_other_as_an_alias() {
    let sample = Sample::new();
    sample.ok(&["add-session", "Long one", "--for", "1h30", "--pin"]);
    let row = rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["id"] == "S067")
        .unwrap();
    assert_eq!((row["duration"].as_str(), row["pinned"].as_str()), ("90", "true"));
    sample.ok(&["edit-session", "S067", "--duration", "45", "--unpin"]);
    sample.ok(&["edit-session", "S067", "--pinned"]);
    let row = rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["id"] == "S067")
        .unwrap();
    assert_eq!((row["duration"].as_str(), row["pinned"].as_str()), ("45", "true"));
    // free and adhoc take --for and --duration, and look at the same default length.
    let a = sample.ok(&["free", "--day", "thu", "--at", "14:00", "--format", "csv"]);
    let b = sample.ok(&[
        "free",
        "--day",
        "thu",
        "--at",
        "14:00",
        "--duration",
        "60",
        "--format",
        "csv",
    ]);
    assert_eq!(a, b);
    let out = sample.ok(&[
        "adhoc",
        "Quick sync",
        "--day",
        "thu",
        "--at",
        "14:00",
        "--duration",
        "30",
    ]);
    assert!(out.contains("14:00-14:30"), "{out}");
}

#[test]
fn now_means_the_next_five_minutes_and_near_closing_the_rest_of_the_day() {
    let sample = Sample::new();
    let out = at(&sample, "2026-05-22T14:03", &["free"]);
    assert!(out.contains("Free on fri 14:05-15:05"), "{out}");
    let out = at(&sample, "2026-05-22T17:40", &["free"]);
    assert!(out.contains("Free on fri 17:40-18:00"), "{out}");
    let out = at(&sample, "2026-05-22T14:03", &["adhoc", "Hallway chat", "--for", "30"]);
    assert!(out.contains("fri 14:05-14:35"), "{out}");
}

#[test]
fn now_after_closing_says_the_day_is_over_and_what_comes_first_tomorrow() {
    let sample = Sample::new();
    let out = sample.ok(&["now", "--day", "thu", "--at", "19:00"]);
    assert!(out.contains("thu is over (closed at 18:00)"), "{out}");
    // The first session on Friday, from the file.
    let first = rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| s["day"] == "fri")
        .min_by_key(|s| (s["start"].clone(), s["id"].clone()))
        .unwrap();
    assert!(
        out.contains(&format!("next: fri opens at 09:00; first {} ", first["id"])),
        "{out}"
    );
    let out = sample.ok(&["now", "--day", "sat", "--at", "17:30"]);
    assert!(out.contains("that was the last day of the event"), "{out}");
}

#[test]
fn a_bare_allhands_prints_the_help_with_examples() {
    let out = allhands().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Usage: allhands") && text.contains("Examples:"), "{text}");
}
