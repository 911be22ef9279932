//! Right answers for organizers (issue 9): names as people type them, rooms by name, features
//! no room has, the same flags everywhere, "now" on the day.

use crate::common;

use crate::common::{Sample, allhands, json, rows};

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

/// `init` of a two-day offsite in October.
const INIT_OFFSITE: [&str; 7] = [
    "init",
    "--from",
    "2026-10-13",
    "--to",
    "2026-10-14",
    "--name",
    "Offsite",
];

#[test]
fn init_lays_out_days_and_slots_and_says_what_to_do_next() {
    let offsite = Sample::empty("offsite");
    let dir = &offsite.data;
    insta::assert_snapshot!(offsite.run_snapshot(&INIT_OFFSITE));
    let slots = offsite.read("slots.csv");
    assert_eq!(
        slots,
        "day,start,end\ntue,09:00,10:30\ntue,11:00,12:30\ntue,13:30,15:00\ntue,15:30,17:00\n\
         wed,09:00,10:30\nwed,11:00,12:30\nwed,13:30,15:00\nwed,15:30,17:00\n"
    );
    let days = offsite.read("days.csv");
    assert!(days.contains("tue,2026-10-13,09:00,17:30"), "{days}");
    // Again, on the still-empty event, with other blocks: it lays the days out anew.
    let out = offsite.ok(&[
        "init",
        "--from",
        "2026-10-13",
        "--block",
        "60",
        "--pause",
        "0",
        "--lunch",
        "none",
        "--closes",
        "12:00",
    ]);
    assert!(out.contains("with 1 day and 3 slots"), "{out}");
    // Once it has a room, init refuses and changes nothing.
    offsite.ok(&["add-room", "blue", "--capacity", "10"]);
    let before = std::fs::read(dir.join("days.csv")).unwrap();
    offsite.fails(
        &["init", "--from", "2026-10-20"],
        "already holds an event with people, rooms or sessions",
    );
    assert_eq!(std::fs::read(dir.join("days.csv")).unwrap(), before);
}

#[test]
fn a_refused_init_leaves_nothing_behind() {
    let offsite = Sample::empty("offsite");
    let dir = &offsite.data;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("attendees.csv"), "handle\n").unwrap();
    offsite.fails(&["init", "--from", "2026-10-13"], "already has attendees.csv");
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["attendees.csv"]);
}

#[test]
fn days_and_slots_have_commands_of_their_own() {
    let offsite = Sample::empty("offsite");
    offsite.ok(&["init", "--from", "2026-10-13"]);
    let out = offsite.ok(&[
        "add-day",
        "2026-10-14",
        "--closes",
        "16:00",
        "--block",
        "1h",
        "--pause",
        "15",
    ]);
    assert!(
        out.contains("Added wed (2026-10-14, open 09:00-16:00) with 5 slots"),
        "{out}"
    );
    offsite.fails(&["add-day", "2026-10-14"], "2026-10-14 is already day wed");
    offsite.fails(&["add-day", "2026-10-21"], "there is already a day 'wed'");
    offsite.ok(&["add-day", "2026-10-21", "--id", "wed2", "--no-slots"]);
    let out = offsite.ok(&["add-slot", "--day", "wed2", "--start", "10:00", "--end", "11:00"]);
    assert!(out.contains("Added slot wed2 10:00-11:00"), "{out}");
    offsite.fails(
        &["add-slot", "--day", "wed2", "--start", "10:30", "--end", "11:30"],
        "overlaps",
    );
    offsite.fails(
        &["add-slot", "--day", "wed2", "--start", "17:00", "--end", "18:00"],
        "outside",
    );
    // Hours cannot shrink past a slot; remove it first.
    offsite.fails(
        &["edit-day", "wed2", "--opens", "10:30"],
        "slots 10:00-11:00 would be outside",
    );
    offsite.ok(&["remove-slot", "--day", "wed2", "--start", "10:00"]);
    let out = offsite.ok(&["edit-day", "wed2", "--opens", "10:30"]);
    assert_eq!(out, "Changed day wed2: opens: 09:00 -> 10:30\n");
    offsite.fails(
        &["remove-slot", "--day", "wed2", "--start", "10:00"],
        "wed2 has no slot starting at 10:00",
    );
    let out = offsite.output(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn edit_day_refuses_hours_that_leave_a_session_outside() {
    let sample = Sample::new();
    sample.fails(&["edit-day", "sat", "--closes", "16:00"], "cannot change sat");
}

#[test]
fn narrow_terminals_get_stacked_rows_not_a_letter_per_line() {
    let sample = Sample::new();
    let out = sample
        .cmd(&["schedule", "--day", "sat"])
        .env("COLUMNS", "40")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 40, "wider than 40: {line:?}");
    }
    // Every session of the day is there, each with its labelled fields.
    let sat: Vec<common::Row> = rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| s["day"] == "sat")
        .collect();
    assert_eq!(text.matches("\nid:").count(), sat.len(), "{text}");
    assert!(!text.contains('│'), "{text}");
    // A wide terminal keeps the grid.
    let out = sample
        .cmd(&["schedule", "--day", "sat"])
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains('│'));
}

#[test]
fn a_two_day_offsite_from_scratch_to_a_plan() {
    let offsite = Sample::empty("offsite");
    offsite.ok(&[&INIT_OFFSITE[..], &["--timezone", "Europe/Berlin"]].concat());
    for (id, capacity, features) in [
        ("aula", "60", "projector"),
        ("blue", "12", "whiteboard"),
        ("green", "12", "whiteboard"),
    ] {
        offsite.ok(&["add-room", id, "--capacity", capacity, "--features", features]);
    }
    let form = offsite.beside(
        "form.csv",
        "GitHub username,Full name,Email,Days,Teams\n\
         ana,Ana Lima,ana@example.org,Tuesday;Wednesday,compiler\n\
         ben,Ben Okafor,ben@example.org,Tuesday,lang\n\
         chi,Chi Wu,chi@example.org,Wednesday,lang\n\
         dee,Dee Ray,dee@example.org,tue;wed,compiler;lang\n",
    );
    let out = offsite.ok(&["import-attendees", &form]);
    assert!(
        out.contains("4 added") || out.contains("added 4") || out.contains("Added 4"),
        "{out}"
    );
    offsite.ok(&[
        "add-session",
        "Kick-off",
        "--plenary",
        "--duration",
        "60",
        "--days",
        "tue",
        "--not-after",
        "11:00",
    ]);
    offsite.ok(&[
        "add-session",
        "Compiler roadmap",
        "--audience",
        "compiler",
        "--needs",
        "whiteboard",
    ]);
    offsite.ok(&["add-session", "Lang triage", "--audience", "lang", "--apart", "S002"]);
    // Only Chi and Dee want this one, and Chi is there on Wednesday only.
    offsite.ok(&["add-session", "Chi's topic", "--interested", "chi,dee"]);
    let out = offsite.output(&["plan"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let check = offsite.output(&["check"]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let sessions = rows(&offsite.read("sessions.csv"));
    let get = |id: &str| sessions.iter().find(|s| s["id"] == id).unwrap().clone();
    assert_eq!(
        (get("S001")["day"].as_str(), get("S001")["start"].as_str()),
        ("tue", "09:00")
    );
    assert!(
        sessions.iter().all(|s| !s["day"].is_empty()),
        "everything placed: {sessions:?}"
    );
    // The planner puts a session where the people who want it are.
    assert_eq!(get("S004")["day"], "wed");
}

#[test]
fn plan_puts_a_session_on_the_day_its_interested_people_are_there() {
    let offsite = Sample::empty("offsite");

    offsite.ok(&["init", "--from", "2026-10-13", "--to", "2026-10-14"]);
    offsite.ok(&["add-room", "blue", "--capacity", "20"]);
    for (handle, days) in [
        ("ann", "tue"),
        ("bo", "tue"),
        ("cy", "wed"),
        ("di", "wed"),
        ("ed", "wed"),
        ("fay", "tue,wed"),
    ] {
        offsite.ok(&["add-attendee", handle, "--name", handle, "--days", days]);
    }
    // Everyone interested in S001 is away on Tuesday; everyone in S002 on Wednesday.
    offsite.ok(&[
        "add-session",
        "Wednesday crowd",
        "--interested",
        "cy,di,ed",
        "--required",
        "fay",
    ]);
    offsite.ok(&[
        "add-session",
        "Tuesday crowd",
        "--interested",
        "ann,bo",
        "--required",
        "fay",
    ]);
    for seed in ["1", "2", "3"] {
        offsite.ok(&["plan", "--replan", "--seed", seed]);
        let sessions = rows(&offsite.read("sessions.csv"));
        assert_eq!(sessions[0]["day"], "wed", "seed {seed}");
        assert_eq!(sessions[1]["day"], "tue", "seed {seed}");
    }
}

#[test]
fn a_messy_registration_form_imports_as_people_wrote_it() {
    let offsite = Sample::empty("offsite");
    let dir = &offsite.data;
    offsite.ok(&["init", "--from", "2026-10-13", "--to", "2026-10-14"]);
    let form = offsite.beside(
        "form.csv",
        "Timestamp,First name,Last name,Email address,GitHub username,Which days?,Dietary needs\n\
         2026-09-01,Ana,Lima,ana@example.org,ana-l,Tue 13 Oct,none\n\
         2026-09-01,Ben,Okafor,ben@example.org,,weds,vegan\n\
         2026-09-01,Ayşe,Demir,,,Both days,\n\
         2026-09-01,,,chi@example.org,,13/10/2026,\n\
         2026-09-01,Dee,Ray,dee@example.org,dee,\"Tue 13 October, Wed 14 October\",\n\
         2026-09-01,,,,,tues,\n",
    );
    // A dry run shows how each column is read, and writes nothing.
    let before = std::fs::read(dir.join("attendees.csv")).unwrap();
    let out = offsite.output(&["import-attendees", &form, "--dry-run", "--skip-invalid"]);
    // (Footer lines wrap at the terminal's width.)
    let text = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
    assert!(
        text.contains("columns read: 'First name' -> first_name, 'Last name' -> last_name, 'Email address' -> email, 'GitHub username' -> handle, 'Which days?' -> days"),
        "{text}"
    );
    assert!(text.contains("columns ignored: 'Timestamp', 'Dietary needs'"), "{text}");
    assert_eq!(std::fs::read(dir.join("attendees.csv")).unwrap(), before);
    // Without --skip-invalid the row with nobody in it stops the import.
    offsite.fails(&["import-attendees", &form], "neither a handle, a name nor an email");
    let out = offsite.ok(&["import-attendees", &form, "--skip-invalid", "--format", "json"]);
    let report = json(&out);
    let by_line = |line: u64| report.iter().find(|r| r["line"] == line).unwrap().clone();
    assert_eq!(by_line(3)["handle"], "ben-okafor");
    assert_eq!(by_line(3)["detail"], "handle made up from the name");
    assert_eq!(by_line(4)["handle"], "ayse-demir");
    assert_eq!(by_line(5)["handle"], "chi");
    assert_eq!(by_line(5)["detail"], "handle made up from the email");
    assert_eq!(by_line(7)["action"], "skipped");
    let people = rows(&offsite.read("attendees.csv"));
    let person = |h: &str| people.iter().find(|p| p["handle"] == h).unwrap().clone();
    assert_eq!(
        (person("ana-l")["name"].as_str(), person("ana-l")["days"].as_str()),
        ("Ana Lima", "tue")
    );
    assert_eq!(person("ben-okafor")["days"], "wed");
    assert_eq!(person("ayse-demir")["days"], "tue;wed");
    assert_eq!(person("chi")["days"], "tue");
    assert_eq!(person("dee")["days"], "tue;wed");

    // An organizer fixes Ben's team by hand; a later response with an email only and empty
    // cells updates Ben, changes only what it says, and erases nothing.
    offsite.ok(&["edit-attendee", "ben-okafor", "--team", "lang"]);
    let again = offsite.beside(
        "again.csv",
        "Email address,GitHub username,Full name,Teams,Which days?\n\
         ben@example.org,,,,Both days\n",
    );
    let out = offsite.ok(&["import-attendees", &again, "--format", "json"]);
    let report = json(&out);
    assert_eq!(report[0]["handle"], "ben-okafor");
    assert_eq!(report[0]["action"], "updated");
    assert_eq!(report[0]["detail"], "same email; days: wed -> tue;wed");
    let people = rows(&offsite.read("attendees.csv"));
    let ben = people.iter().find(|p| p["handle"] == "ben-okafor").unwrap();
    assert_eq!((ben["name"].as_str(), ben["teams"].as_str()), ("Ben Okafor", "lang"));
}

#[test]
fn every_format_of_check_carries_the_figures() {
    let sample = Sample::new();
    let clashes = json(&sample.ok(&["check", "--format", "json"]))
        .iter()
        .filter(|r| r["kind"] == "clash")
        .count();
    assert!(clashes > 0);
    let figure = format!("clashes: {clashes} ");
    let md = sample.ok(&["check", "--format", "md"]);
    assert!(md.contains(&figure) && md.contains("unscheduled sessions: 12"), "{md}");
    let table = sample.ok(&["check"]);
    assert!(table.contains(&figure), "{table}");
}
