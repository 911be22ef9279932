//! End-to-end tests of `init`, of finding the data folder (`--data-dir`, `ALLHANDS_DATA`,
//! `./data`) and of the help texts.

use crate::common;

use allhands::store::FILES;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{BLUE_ROOM, Sample};

/// `allhands ARGS`, no data folder given: (exit status, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    common::run(common::allhands().args(args))
}

/// `allhands ARGS`, which must succeed; returns stdout.
fn ok(args: &[&str]) -> String {
    common::ok(common::allhands().args(args))
}

/// `allhands ARGS`, which must exit 2 saying `message`; returns stderr.
fn fails(args: &[&str], message: &str) -> String {
    common::fails(common::allhands().args(args), message)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn repo_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_makes_an_empty_event_that_the_other_commands_can_fill() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    let out = ok(&["init", s(&dir)]);
    assert!(out.contains("Created"), "{out}");
    assert!(out.contains("with 0 days"), "{out}");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    assert_eq!(
        read("event.csv"),
        "name,location,timezone\nNew event,,Europe/Amsterdam\n"
    );
    assert_eq!(read("days.csv"), "day,date,opens,closes\n");
    assert_eq!(read("slots.csv"), "day,start,end\n");
    assert_eq!(
        read("attendees.csv"),
        "handle,name,email,role,teams,days,arrives,leaves,status\n"
    );
    assert_eq!(read("rooms.csv"), "id,name,capacity,features\n");
    assert_eq!(
        read("sessions.csv"),
        "id,title,kind,team,duration,needs,size,day,start,room,pinned,audience,days,not_before,not_after,prefer,apart,source,notes\n"
    );
    assert_eq!(read("participants.csv"), "session,handle,role\n");
    assert!(read(".gitignore").contains(".allhands.lock"));

    let d = s(&dir);
    let out = ok(&["--data-dir", d, "schedule"]);
    assert!(out.contains("no sessions scheduled"), "{out}");
    ok(&[&["--data-dir", d][..], &BLUE_ROOM].concat());
    assert_eq!(
        read("rooms.csv"),
        "id,name,capacity,features\nblue,Blue Room,12,whiteboard\n"
    );
    let out = ok(&["--data-dir", d, "add-session", "Kick-off"]);
    assert!(out.contains("Added S001 'Kick-off'"), "{out}");
    // People need days to attend.
    fails(
        &["--data-dir", d, "add-attendee", "ferris", "--name", "Ferris"],
        "the event has no days yet",
    );
}

#[test]
fn init_with_dates_makes_one_day_per_date() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("event");
    let out = ok(&["init", s(&dir), "--from", "2026-05-21", "--to", "2026-05-23"]);
    assert!(out.contains("with 3 days"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("days.csv")).unwrap(),
        "day,date,opens,closes\n\
         thu,2026-05-21,09:00,17:30\n\
         fri,2026-05-22,09:00,17:30\n\
         sat,2026-05-23,09:00,17:30\n"
    );
    let d = s(&dir);
    ok(&["--data-dir", d, "add-attendee", "ferris", "--name", "Ferris"]);
    ok(&["--data-dir", d, "add-room", "blue", "--capacity", "12"]);
    ok(&["--data-dir", d, "add-session", "Kick-off", "--required", "ferris"]);
    let out = ok(&["--data-dir", d, "book", "S001", "--day", "fri", "--at", "10:00"]);
    assert!(out.contains("fri 10:00-11:00 in blue"), "{out}");
    let out = ok(&["--data-dir", d, "schedule", "--day", "friday"]);
    assert!(out.contains("Friday 22 May 2026"), "{out}");
    assert!(out.contains("Kick-off"), "{out}");
}

#[test]
fn init_takes_name_place_zone_and_hours() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("offsite");
    ok(&[
        "init",
        s(&dir),
        "--name",
        "Team offsite",
        "--location",
        "Berlin, Germany",
        "--timezone",
        "Europe/Berlin",
        "--from",
        "2026-09-01",
        "--opens",
        "08:30",
        "--closes",
        "17:30",
    ]);
    assert_eq!(
        std::fs::read_to_string(dir.join("event.csv")).unwrap(),
        "name,location,timezone\nTeam offsite,\"Berlin, Germany\",Europe/Berlin\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("days.csv")).unwrap(),
        "day,date,opens,closes\ntue,2026-09-01,08:30,17:30\n"
    );
}

#[test]
fn init_of_more_than_a_week_numbers_the_days() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("long");
    ok(&["init", s(&dir), "--from", "2026-09-01", "--to", "2026-09-10"]);
    let days = std::fs::read_to_string(dir.join("days.csv")).unwrap();
    assert_eq!(days.lines().count(), 11, "{days}");
    assert!(days.contains("d1,2026-09-01,"), "{days}");
    assert!(days.contains("d10,2026-09-10,"), "{days}");
}

#[test]
fn init_refuses_bad_options_and_creates_nothing() {
    let bad = Sample::empty("bad");
    // A date that does not exist gets the message every bad date gets, with the valid form.
    insta::assert_snapshot!(bad.transcript(&[
        &["init", "--to", "2026-05-23"],
        &["init", "--from", "2026-05-23", "--to", "2026-05-21"],
        &["init", "--from", "2026-01-01", "--to", "2026-03-01"],
        &["init", "--timezone", "Mars/Olympus"],
        &["init", "--opens", "18:00", "--closes", "09:00"],
        &["init", "--opens", "25:00"],
        &["init", "--from", "2026-02-30"],
        &["init", "--sample", "--name", "X"],
    ]));
    assert!(!bad.data.exists(), "a refused init created {}", bad.data.display());
}

#[test]
fn init_sample_is_byte_identical_to_the_repository_data() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample");
    let out = ok(&["init", s(&dir), "--sample"]);
    assert!(out.contains("Rust All Hands 2026 sample"), "{out}");
    let made = common::files(&dir);
    let original: BTreeMap<String, Vec<u8>> = common::files(&repo_data())
        .into_iter()
        .filter(|(name, _)| name.ends_with(".csv"))
        .collect();
    let made_csv: BTreeMap<String, Vec<u8>> = made
        .iter()
        .filter(|(name, _)| name.ends_with(".csv"))
        .map(|(n, b)| (n.clone(), b.clone()))
        .collect();
    assert_eq!(made_csv.keys().collect::<Vec<_>>(), original.keys().collect::<Vec<_>>());
    for name in FILES {
        assert!(made_csv[name] == original[name], "{name} differs from data/{name}");
    }
    assert!(made.contains_key(".gitignore"));
    // And it is usable straight away, showing the same agenda as the sample.
    let sample = Sample::new();
    assert_eq!(ok(&["--data-dir", s(&dir), "schedule"]), sample.ok(&["schedule"]));
}

#[test]
fn init_into_a_folder_that_holds_an_event_refuses() {
    let sample = Sample::new();
    let data = s(&sample.data).to_string();
    sample.fails(
        &["init", &data],
        "already holds an event with people, rooms or sessions; not overwriting it",
    );
    sample.fails(&["init", &data, "--sample"], "not overwriting it");
    sample.fails(
        &["init", &data, "--from", "2026-05-21", "--to", "2026-05-23"],
        "not overwriting it",
    );
    // Without DIR, init makes the data folder: which here exists.
    sample.fails(&["init"], "not overwriting it");
}

#[test]
fn init_never_overwrites_data_files_already_in_the_folder() {
    // A folder with an attendee list but no event.csv yet (say, exported from a spreadsheet):
    // init must not throw the list away, whether it refuses or keeps it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("half");
    std::fs::create_dir(&dir).unwrap();
    let attendees = "handle,name,email,role,teams,days,arrives,leaves,status\n\
                     keep,Keep Me,keep@example.org,member,,thu,,,confirmed\n";
    std::fs::write(dir.join("attendees.csv"), attendees).unwrap();
    let (code, _, err) = run(&["init", s(&dir), "--from", "2026-05-21"]);
    assert!(code == Some(0) || code == Some(2), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("attendees.csv")).unwrap(),
        attendees,
        "init (exit {code:?}) replaced the existing attendees.csv"
    );
}

#[test]
fn init_without_a_folder_uses_the_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let by_flag = tmp.path().join("by-flag");
    ok(&["--data-dir", s(&by_flag), "init", "--sample"]);
    assert!(by_flag.join("event.csv").is_file());

    let by_env = tmp.path().join("by-env");
    let (code, _, err) =
        common::run(
            common::allhands()
                .env("ALLHANDS_DATA", &by_env)
                .args(["init", "--from", "2026-05-21"]),
        );
    assert_eq!(code, Some(0), "{err}");
    assert!(by_env.join("days.csv").is_file());

    let (code, _, err) = common::run(common::allhands().current_dir(tmp.path()).arg("init"));
    assert_eq!(code, Some(0), "{err}");
    assert!(tmp.path().join("data/event.csv").is_file());
}

// ---------------------------------------------------------------------------------------------
// Finding the data folder

#[test]
fn a_missing_data_folder_says_how_to_make_one() {
    let tmp = tempfile::tempdir().unwrap();
    let none = tmp.path().join("none");
    for args in [
        vec!["schedule"],
        vec!["add-room", "blue", "--capacity", "3"],
        vec!["free", "--day", "fri", "--at", "10:00"],
        vec!["book", "S012", "--day", "fri", "--at", "10:00"],
    ] {
        let mut all = vec!["--data-dir", s(&none)];
        all.extend(args);
        let err = fails(&all, "no allhands data in");
        assert!(err.contains("allhands init"), "{err}");
        assert!(err.contains(s(&none)), "{err}");
    }
    assert!(!none.exists(), "a failed command created the folder");
}

#[test]
fn without_a_flag_or_variable_the_data_folder_is_data_here() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = common::run(common::allhands().current_dir(tmp.path()).arg("schedule"));
    assert_eq!(code, Some(2));
    assert!(err.contains("no allhands data in 'data'"), "{err}");
    assert!(err.contains("`allhands init data`"), "{err}");
    // With a ./data folder it is used.
    let sample = Sample::new();
    let (code, out, err) = common::run(
        common::allhands()
            .current_dir(sample.data.parent().unwrap())
            .arg("schedule"),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Thursday 21 May 2026"), "{out}");
}

#[test]
fn a_folder_without_event_csv_is_not_a_data_folder() {
    let sample = Sample::new();
    std::fs::remove_file(sample.path("event.csv")).unwrap();
    sample.fails(&["schedule"], "allhands init");
    sample.fails(&["add-room", "blue", "--capacity", "3"], "allhands init");
}

#[test]
fn a_data_folder_missing_one_file_names_it() {
    let sample = Sample::new();
    std::fs::remove_file(sample.path("slots.csv")).unwrap();
    let err = sample.fails(&["schedule"], "slots.csv: is missing");
    assert!(err.contains("allhands init"), "{err}");
    sample.fails(&["add-room", "blue", "--capacity", "3"], "slots.csv: is missing");
}

#[test]
fn the_data_variable_works_and_the_flag_wins_over_it() {
    let sample = Sample::new();
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");

    // The variable alone.
    let (code, out, err) = common::run(common::allhands().env("ALLHANDS_DATA", &sample.data).arg("schedule"));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Thursday 21 May 2026"));

    // The flag wins over a variable pointing nowhere.
    let (code, out, err) = common::run(common::allhands().env("ALLHANDS_DATA", &elsewhere).args([
        "--data-dir",
        s(&sample.data),
        "schedule",
    ]));
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("Thursday 21 May 2026"));

    // And over a variable pointing at real data: the flag's (missing) folder is reported.
    let (code, _, err) = common::run(common::allhands().env("ALLHANDS_DATA", &sample.data).args([
        "--data-dir",
        s(&elsewhere),
        "schedule",
    ]));
    assert_eq!(code, Some(2));
    assert!(err.contains(s(&elsewhere)), "{err}");

    // A change made through the variable lands in that folder.
    let (code, _, err) = common::run(common::allhands().env("ALLHANDS_DATA", &sample.data).args([
        "add-room",
        "blue",
        "--capacity",
        "12",
    ]));
    assert_eq!(code, Some(0), "{err}");
    assert!(sample.read("rooms.csv").contains("blue,blue,12,"));
    // The flag may come after the command too.
    let out = ok(&["schedule", "--day", "thu", "--data-dir", s(&sample.data)]);
    assert!(out.contains("Thursday 21 May 2026"));
}

// ---------------------------------------------------------------------------------------------
// Help

/// The subcommands `allhands --help` lists (without `help` itself).
fn subcommands() -> Vec<String> {
    let help = ok(&["--help"]);
    let mut names = Vec::new();
    let mut in_commands = false;
    for line in help.lines() {
        if line.starts_with("Commands:") {
            in_commands = true;
            continue;
        }
        if in_commands {
            if line.trim().is_empty() || !line.starts_with(' ') {
                break;
            }
            // A command line is indented by two spaces; wrapped descriptions by more.
            if let Some(rest) = line.strip_prefix("  ")
                && !rest.starts_with(' ')
            {
                let name = rest.split_whitespace().next().unwrap();
                if name != "help" {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

#[test]
fn every_subcommand_help_shows_an_example() {
    let commands = subcommands();
    for expected in [
        "init",
        "add-attendee",
        "add-room",
        "free",
        "add-session",
        "edit-session",
        "remove-session",
        "join",
        "leave",
        "book",
        "unbook",
        "adhoc",
        "schedule",
        "now",
    ] {
        assert!(commands.iter().any(|c| c == expected), "{expected} not in {commands:?}");
    }
    let mut missing = Vec::new();
    for command in &commands {
        let out = ok(&[command, "--help"]);
        let has_example = out.lines().any(|l| l.starts_with("Example"));
        let shows_itself = out.contains(&format!("allhands {command}"));
        if !has_example || !shows_itself {
            missing.push(command.clone());
        }
        assert_eq!(ok(&["help", command]), out, "`help {command}` = `{command} --help`");
    }
    assert!(missing.is_empty(), "no example of itself in --help: {missing:?}");
}

#[test]
fn the_main_help_has_examples_and_exit_statuses() {
    let out = ok(&["--help"]);
    assert!(out.contains("Examples:"), "{out}");
    assert!(out.contains("allhands init data --sample"), "{out}");
    assert!(out.contains("Exit status"), "{out}");
    assert!(out.contains("ALLHANDS_DATA"), "{out}");
    let version = ok(&["--version"]);
    assert!(version.starts_with("allhands "), "{version}");
}

#[test]
fn usage_errors_exit_2() {
    let sample = Sample::empty("data");
    insta::assert_snapshot!(sample.transcript(&[&["no-such-command"], &["schedule", "--format", "pdf"], &[]]));
}
