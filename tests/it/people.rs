//! End-to-end tests of `add-attendee`, `attendees`, `edit-attendee` and `remove-attendee`:
//! the exit status, the message, and exactly what changed in the data folder.

use crate::common;

use crate::common::{
    ADD_FERRIS, Row, Sample, json, key, line_of, only_changed, rows, with_line_inserted, with_line_replaced,
    without_line, without_rows,
};
use serde_json::Value;

const FERRIS_LINE: &str = "ferris,Ferris Crab,ferris@example.org,member,lang;compiler,thu;fri,,15:00,confirmed";

fn handles(listing: &[Value]) -> Vec<String> {
    common::strings(listing, "handle")
}

// ---------------------------------------------------------------------------------------
// add-attendee
// ---------------------------------------------------------------------------------------

#[test]
fn add_attendee_the_documented_example_writes_one_sorted_line() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let attendees = sample.read("attendees.csv");
    let out = sample.ok(&[
        &ADD_FERRIS[..],
        &[
            "--role",
            "member",
            "--team",
            "lang",
            "--team",
            "compiler",
            "--days",
            "thu,fri",
            "--leaves",
            "15:00",
            "--status",
            "confirmed",
        ],
    ]
    .concat());
    assert_eq!(
        out,
        "Added ferris: Ferris Crab, member of lang, compiler; thu, fri (leaves fri 15:00); confirmed\n"
    );
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_inserted(&attendees, FERRIS_LINE)
    );
    // Between its neighbours by handle, and nothing else touched.
    let after = sample.read("attendees.csv");
    let lines: Vec<&str> = after.lines().collect();
    let at = lines.iter().position(|l| *l == FERRIS_LINE).unwrap();
    assert!(key(lines[at - 1]) < "ferris" && "ferris" < key(lines[at + 1]));
    only_changed(&before, &sample.snapshot(), &["attendees.csv"]);
    // And it reads back.
    let listed = json(&sample.ok(&["attendees", "--format", "json", "--with-email"]));
    let ferris = listed.iter().find(|r| r["handle"] == "ferris").unwrap();
    assert_eq!(ferris["name"], "Ferris Crab");
    assert_eq!(ferris["email"], "ferris@example.org");
    assert_eq!(ferris["teams"], serde_json::json!(["lang", "compiler"]));
    assert_eq!(ferris["days"], serde_json::json!(["thu", "fri"]));
    assert_eq!(ferris["arrives"], Value::Null);
    assert_eq!(ferris["leaves"], "15:00");
    assert_eq!(ferris["status"], "confirmed");
}

#[test]
fn add_attendee_with_only_a_name_gets_the_defaults() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    let out = sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab"]);
    assert_eq!(out, "Added ferris: Ferris Crab, member; thu, fri, sat; confirmed\n");
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_inserted(&attendees, "ferris,Ferris Crab,,member,,thu;fri;sat,,,confirmed")
    );
}

#[test]
fn add_attendee_accepts_every_way_of_naming_a_day() {
    for (days, stored) in [
        ("thu", "thu"),
        ("thursday", "thu"),
        ("Thursday", "thu"),
        ("2026-05-21", "thu"),
        ("1", "thu"),
        ("3", "sat"),
        ("friday,2026-05-21", "thu;fri"),
        ("sat,1,fri", "thu;fri;sat"),
        ("thu,thursday,1", "thu"),
    ] {
        let sample = Sample::new();
        let attendees = sample.read("attendees.csv");
        sample.ok(&["add-attendee", "ferris", "--name", "Ferris", "--days", days]);
        assert_eq!(
            sample.read("attendees.csv"),
            with_line_inserted(&attendees, &format!("ferris,Ferris,,member,,{stored},,,confirmed")),
            "--days {days}"
        );
    }
}

#[test]
fn add_attendee_repeated_and_comma_separated_teams_and_days() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    sample.ok(&[
        "add-attendee",
        "ferris",
        "--name",
        "Ferris",
        "--team",
        "lang,types",
        "--team",
        "compiler",
        "--days",
        "fri",
        "--days",
        "sat",
        "--arrives",
        "9:30",
        "--role",
        "guest",
        "--status",
        "invited",
    ]);
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_inserted(
            &attendees,
            "ferris,Ferris,,guest,lang;types;compiler,fri;sat,09:30,,invited"
        )
    );
}

#[test]
fn add_attendee_refuses_a_duplicate_handle_naming_file_and_line() {
    let sample = Sample::new();
    let line = line_of(&sample.read("attendees.csv"), "alice");
    let err = sample.fails(
        &["add-attendee", "alice", "--name", "Another Alice"],
        &format!("attendee 'alice' already exists (attendees.csv line {line})"),
    );
    assert!(err.contains("allhands edit-attendee alice"), "{err}");
}

#[test]
fn add_attendee_twice_the_second_is_refused_and_the_first_kept() {
    let sample = Sample::new();
    sample.ok(&[
        &ADD_FERRIS[..],
        &["--team", "lang,compiler", "--days", "thu,fri", "--leaves", "15:00"],
    ]
    .concat());
    let line = line_of(&sample.read("attendees.csv"), "ferris");
    sample.fails(
        &["add-attendee", "ferris", "--name", "Someone Else"],
        &format!("attendee 'ferris' already exists (attendees.csv line {line})"),
    );
    let text = sample.read("attendees.csv");
    assert_eq!(text.lines().filter(|l| key(l) == "ferris").count(), 1);
    assert!(text.contains(FERRIS_LINE), "{text}");
}

#[test]
fn add_attendee_unknown_day_suggests_the_closest() {
    let sample = Sample::new();
    let err = sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--days", "frj"],
        "--days: unknown day 'frj' (did you mean 'fri'?)",
    );
    assert!(err.contains("valid: thu, fri, sat"), "{err}");
    assert!(err.contains("thu = thursday = 2026-05-21 = 1"), "{err}");
    // One bad day among good ones still refuses the lot.
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--days", "thu,sunday"],
        "unknown day 'sunday'",
    );
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--days", "4"],
        "unknown day '4'",
    );
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--days", "2026-05-24"],
        "unknown day '2026-05-24'",
    );
}

#[test]
fn add_attendee_empty_days_is_refused_with_a_true_message() {
    let sample = Sample::new();
    for days in ["", ",", " ; "] {
        let err = sample.fails(&["add-attendee", "ferris", "--name", "F", "--days", days], "--days");
        // The event has three days: saying it has none would send the user to days.csv.
        assert!(
            !err.contains("has no days yet"),
            "--days {days:?}: misleading message:\n{err}"
        );
        assert!(
            err.contains("thu"),
            "--days {days:?}: should list the valid days:\n{err}"
        );
    }
}

#[test]
fn add_attendee_refuses_a_name_on_several_lines() {
    // Session titles must be one line; a name is shown the same way on agendas.
    let sample = Sample::new();
    sample.fails(&["add-attendee", "ferris", "--name", "Ferris\nCrab"], "--name");
}

#[test]
fn add_attendee_refuses_bad_times() {
    let sample = Sample::new();
    for (flag, value) in [
        ("--leaves", "25:00"),
        ("--leaves", "15"),
        ("--leaves", "15:0"),
        ("--leaves", "noon"),
        ("--arrives", "09:60"),
        ("--arrives", "24:01"),
    ] {
        sample.fails(
            &["add-attendee", "ferris", "--name", "F", flag, value],
            &format!("invalid value '{value}' for '{flag} <HH:MM>': '{value}' is not a time (valid: HH:MM"),
        );
    }
    // A value starting with '-' given with '='.
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--arrives=-1:00"],
        "invalid value '-1:00' for '--arrives <HH:MM>': '-1:00' is not a time",
    );
}

#[test]
fn add_attendee_refuses_times_outside_opening_hours() {
    let sample = Sample::new();
    // Thursday and Friday are open 09:00-18:00, Saturday 09:00-17:00.
    sample.fails(
        &[
            "add-attendee",
            "ferris",
            "--name",
            "F",
            "--days",
            "thu,fri",
            "--leaves",
            "19:00",
        ],
        "--leaves 19:00 is outside fri's opening hours 09:00-18:00 (their last day)",
    );
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--leaves", "17:30"],
        "--leaves 17:30 is outside sat's opening hours 09:00-17:00 (their last day)",
    );
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--leaves", "09:00"],
        "--leaves 09:00 is outside sat's opening hours",
    );
    sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--arrives", "08:00"],
        "--arrives 08:00 is outside thu's opening hours 09:00-18:00 (their first day)",
    );
    sample.fails(
        &[
            "add-attendee",
            "ferris",
            "--name",
            "F",
            "--days",
            "sat",
            "--arrives",
            "17:00",
        ],
        "--arrives 17:00 is outside sat's opening hours 09:00-17:00",
    );
    sample.fails(
        &[
            "add-attendee",
            "ferris",
            "--name",
            "F",
            "--days",
            "fri",
            "--arrives",
            "14:00",
            "--leaves",
            "12:00",
        ],
        "--leaves 12:00 is not after --arrives 14:00 on their only day",
    );
}

#[test]
fn add_attendee_times_at_the_edges_of_opening_hours_are_fine() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    sample.ok(&[
        "add-attendee",
        "ferris",
        "--name",
        "F",
        "--days",
        "thu,sat",
        "--arrives",
        "09:00",
        "--leaves",
        "17:00",
    ]);
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_inserted(&attendees, "ferris,F,,member,,thu;sat,09:00,17:00,confirmed")
    );
}

#[test]
fn add_attendee_bad_role_or_status_is_a_clap_error() {
    let sample = Sample::new();
    let err = sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--role", "boss"],
        "invalid value 'boss' for '--role <ROLE>'",
    );
    assert!(err.contains("valid: member, guest"), "{err}");
    let err = sample.fails(
        &["add-attendee", "ferris", "--name", "F", "--status", "maybe"],
        "invalid value 'maybe' for '--status <STATUS>'",
    );
    assert!(err.contains("valid: interested, invited, confirmed, declined"), "{err}");
    sample.fails(&["add-attendee", "ferris"], "--name <NAME>");
    sample.fails(&["add-attendee", "--name", "F"], "<HANDLE>");
}

#[test]
fn add_attendee_role_and_status_ignore_case() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    sample.ok(&[
        "add-attendee",
        "ferris",
        "--name",
        "F",
        "--role",
        "Guest",
        "--status",
        "DECLINED",
    ]);
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_inserted(&attendees, "ferris,F,,guest,,thu;fri;sat,,,declined")
    );
}

#[test]
fn add_attendee_refuses_bad_handles() {
    let sample = Sample::new();
    sample.fails(
        &["add-attendee", "ferris crab", "--name", "F"],
        "handle 'ferris crab' must not contain ' ' (use letters, digits, - or _)",
    );
    sample.fails(
        &["add-attendee", "ferris,crab", "--name", "F"],
        "handle 'ferris,crab' must not contain ','",
    );
    sample.fails(
        &["add-attendee", "ferris;crab", "--name", "F"],
        "handle 'ferris;crab' must not contain ';'",
    );
    sample.fails(
        &["add-attendee", "=cmd", "--name", "F"],
        "handle '=cmd' must start with a letter or digit",
    );
    sample.fails(&["add-attendee", "", "--name", "F"], "handle must not be empty");
}

#[test]
fn add_attendee_refuses_bad_names_emails_and_teams() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["add-attendee", "ferris", "--name", "   "],
        &["add-attendee", "ferris", "--name", "F", "--email", "ferris.example.org"],
        &[
            "add-attendee",
            "ferris",
            "--name",
            "F",
            "--email",
            "fer ris@example.org"
        ],
        &["add-attendee", "ferris", "--name", "F", "--team", "=cmd"],
    ]));
}

#[test]
fn teams_are_typed_as_people_write_them() {
    let sample = Sample::new();
    // An existing team in another case joins it; a name with spaces becomes a key, as forms do.
    sample.ok(&[
        "add-attendee",
        "ferris",
        "--name",
        "F",
        "--team",
        "LANG",
        "--team",
        "Developer Experience",
    ]);
    let row = rows(&sample.read("attendees.csv"))
        .into_iter()
        .find(|r| r["handle"] == "ferris")
        .unwrap();
    assert_eq!(row["teams"], "lang;developer-experience");
    sample.ok(&["edit-attendee", "ferris", "--team", "Infra"]);
    let row = rows(&sample.read("attendees.csv"))
        .into_iter()
        .find(|r| r["handle"] == "ferris")
        .unwrap();
    assert_eq!(row["teams"], "infra");
}

#[test]
fn add_attendee_formula_in_name_is_guarded_in_the_file_but_shown_as_typed() {
    let sample = Sample::new();
    let payload = r#"=HYPERLINK("http://example.invalid","x")"#;
    sample.ok(&["add-attendee", "ferris", "--name", payload]);
    let text = sample.read("attendees.csv");
    // Raw file: the cell is quoted and starts with the guard.
    assert!(
        text.contains(r#"ferris,"'=HYPERLINK(""http://example.invalid"",""x"")",,member,,thu;fri;sat,,,confirmed"#),
        "{text}"
    );
    let row = rows(&text).into_iter().find(|r| r["handle"] == "ferris").unwrap();
    assert_eq!(row["name"], format!("'{payload}"));
    // Every other cell of the file still starts harmlessly.
    for row in rows(&text) {
        for cell in row.values() {
            assert!(!cell.starts_with(['=', '+', '@']), "unguarded cell {cell:?}");
        }
    }
    // Programs get it back exactly as typed.
    let listed = json(&sample.ok(&["attendees", "--format", "json"]));
    let ferris = listed.iter().find(|r| r["handle"] == "ferris").unwrap();
    assert_eq!(ferris["name"], payload);
    // A csv export is guarded again.
    let exported = rows(&sample.ok(&["attendees", "--format", "csv"]));
    let ferris = exported.iter().find(|r| r["handle"] == "ferris").unwrap();
    assert_eq!(ferris["name"], format!("'{payload}"));
    // Editing something else keeps the name as it was typed.
    sample.ok(&["edit-attendee", "ferris", "--status", "invited"]);
    let listed = json(&sample.ok(&["attendees", "--format", "json"]));
    let ferris = listed.iter().find(|r| r["handle"] == "ferris").unwrap();
    assert_eq!(ferris["name"], payload);
    assert_eq!(ferris["status"], "invited");
}

#[test]
fn add_attendee_to_a_missing_folder_says_how_to_make_one() {
    let sample = Sample::new();
    let missing = sample.data.join("nope");
    let output = common::allhands()
        .arg("--data-dir")
        .arg(&missing)
        .args(["add-attendee", "ferris", "--name", "F"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no allhands data in"), "{stderr}");
    assert!(stderr.contains("allhands init"), "{stderr}");
    assert!(!missing.exists());
}

// ---------------------------------------------------------------------------------------
// attendees
// ---------------------------------------------------------------------------------------

/// The sample's attendees as stored, for computing what a filter should return.
fn stored_attendees(sample: &Sample) -> Vec<Row> {
    rows(&sample.read("attendees.csv"))
}

fn list_has(cell: &str, item: &str) -> bool {
    cell.split(';').any(|x| x == item)
}

#[test]
fn attendees_lists_everyone_in_file_order_without_email() {
    let sample = Sample::new();
    let stored = stored_attendees(&sample);
    let listed = json(&sample.ok(&["attendees", "--format", "json"]));
    let expected: Vec<String> = stored.iter().map(|r| r["handle"].clone()).collect();
    assert_eq!(handles(&listed), expected);
    for row in &listed {
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["handle", "name", "role", "teams", "days", "arrives", "leaves", "status"]
        );
    }
    let table = sample.ok(&["attendees"]);
    assert!(!table.contains('@'), "{table}");
    assert!(
        table.ends_with(&format!("{n} of {n} attendees\n", n = stored.len())),
        "{table}"
    );
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
}

#[test]
fn attendees_filters_by_team_and_day() {
    let sample = Sample::new();
    let stored = stored_attendees(&sample);
    let expected: Vec<String> = stored
        .iter()
        .filter(|r| list_has(&r["teams"], "lang") && list_has(&r["days"], "fri"))
        .map(|r| r["handle"].clone())
        .collect();
    assert!(expected.len() > 5);
    // A lang member who is not there on Friday is left out.
    assert!(
        stored
            .iter()
            .any(|r| list_has(&r["teams"], "lang") && !list_has(&r["days"], "fri"))
    );
    for day in ["fri", "friday", "Friday", "2026-05-22", "2"] {
        let listed = json(&sample.ok(&["attendees", "--team", "lang", "--day", day, "--format", "json"]));
        assert_eq!(handles(&listed), expected, "--day {day}");
    }
    let table = sample.ok(&["attendees", "--team", "lang", "--day", "fri"]);
    assert!(
        table.ends_with(&format!("{} of {} attendees\n", expected.len(), stored.len())),
        "{table}"
    );
}

#[test]
fn attendees_filters_by_status_and_role() {
    let sample = Sample::new();
    let stored = stored_attendees(&sample);
    for status in ["interested", "invited", "confirmed", "declined"] {
        let expected: Vec<String> = stored
            .iter()
            .filter(|r| r["status"] == status)
            .map(|r| r["handle"].clone())
            .collect();
        let listed = json(&sample.ok(&["attendees", "--status", status, "--format", "json"]));
        assert_eq!(handles(&listed), expected, "--status {status}");
        assert!(listed.iter().all(|r| r["status"] == status));
    }
    for role in ["member", "guest"] {
        let expected: Vec<String> = stored
            .iter()
            .filter(|r| r["role"] == role)
            .map(|r| r["handle"].clone())
            .collect();
        assert!(!expected.is_empty());
        let listed = json(&sample.ok(&["attendees", "--role", role, "--format", "json"]));
        assert_eq!(handles(&listed), expected, "--role {role}");
    }
    // All filters at once.
    let expected: Vec<String> = stored
        .iter()
        .filter(|r| {
            r["role"] == "guest"
                && r["status"] == "confirmed"
                && list_has(&r["teams"], "guest")
                && list_has(&r["days"], "sat")
        })
        .map(|r| r["handle"].clone())
        .collect();
    let listed = json(&sample.ok(&[
        "attendees",
        "--role",
        "guest",
        "--status",
        "confirmed",
        "--team",
        "guest",
        "--day",
        "sat",
        "--format",
        "json",
    ]));
    assert_eq!(handles(&listed), expected);
}

#[test]
fn attendees_with_no_match_says_so() {
    let sample = Sample::new();
    // Everyone on the spec team, but filtered to declined.
    let stored = stored_attendees(&sample);
    assert!(
        !stored
            .iter()
            .any(|r| list_has(&r["teams"], "spec") && r["status"] == "declined")
    );
    let out = sample.ok(&["attendees", "--team", "spec", "--status", "declined"]);
    assert_eq!(out, format!("no attendees match\n0 of {} attendees\n", stored.len()));
    let out = sample.ok(&[
        "attendees",
        "--team",
        "spec",
        "--status",
        "declined",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out).len(), 0);
    let out = sample.ok(&["attendees", "--team", "spec", "--status", "declined", "--format", "csv"]);
    assert_eq!(out, "handle,name,role,teams,days,arrives,leaves,status\n");
}

#[test]
fn attendees_csv_is_the_stored_data_without_email() {
    let sample = Sample::new();
    let stored = stored_attendees(&sample);
    let out = sample.ok(&["attendees", "--format", "csv"]);
    assert!(out.starts_with("handle,name,role,teams,days,arrives,leaves,status\n"));
    assert!(!out.contains('@'));
    let exported = rows(&out);
    assert_eq!(exported.len(), stored.len());
    for (e, s) in exported.iter().zip(&stored) {
        for column in ["handle", "name", "role", "teams", "days", "arrives", "leaves", "status"] {
            assert_eq!(e[column], s[column], "{column} of {}", s["handle"]);
        }
    }
    // With --with-email the email column comes after the name and matches the file.
    let out = sample.ok(&["attendees", "--format", "csv", "--with-email"]);
    assert!(out.starts_with("handle,name,email,role,"), "{out}");
    for (e, s) in rows(&out).iter().zip(&stored) {
        assert_eq!(e["email"], s["email"]);
    }
}

#[test]
fn attendees_email_only_with_with_email() {
    let sample = Sample::new();
    for format in ["table", "csv", "json", "md"] {
        let out = sample.ok(&["attendees", "--team", "lang", "--format", format]);
        assert!(!out.contains("@example."), "{format} shows emails:\n{out}");
        let out = sample.ok(&["attendees", "--team", "lang", "--format", format, "--with-email"]);
        if format != "table" {
            // (a table at 80 columns may wrap the address)
            // (markdown escapes the @, so that GitHub and Zulip show it as typed)
            assert!(
                out.replace("\\@", "@").contains("alice@example.org"),
                "{format}:\n{out}"
            );
        } else {
            assert!(out.contains('@'), "{format}:\n{out}");
        }
    }
    let listed = json(&sample.ok(&["attendees", "--format", "json", "--with-email"]));
    assert!(listed.iter().all(|r| r.get("email").is_some()));
}

#[test]
fn attendees_markdown_is_a_table_with_the_count_below() {
    let sample = Sample::new();
    let stored = stored_attendees(&sample);
    let guests = stored.iter().filter(|r| r["role"] == "guest").count();
    let out = sample.ok(&["attendees", "--role", "guest", "--format", "md"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("| handle | name | role | teams | when | status |"));
    assert_eq!(lines.next(), Some("| --- | --- | --- | --- | --- | --- |"));
    let body: Vec<&str> = out.lines().filter(|l| l.starts_with("| ")).skip(2).collect();
    assert_eq!(body.len(), guests);
    assert!(body.iter().all(|l| l.contains(" | guest | ")));
    assert!(
        out.ends_with(&format!("\n{guests} of {} attendees\n", stored.len())),
        "{out}"
    );
}

#[test]
fn attendees_unknown_team_suggests_one() {
    let sample = Sample::new();
    insta::assert_snapshot!(
        sample.transcript(&[&["attendees", "--team", "lnag"], &["attendees", "--team", "zzzzzzzz"],])
    );
}

#[test]
fn attendees_bad_filters_are_refused() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["attendees", "--day", "frj"],
        &["attendees", "--status", "maybe"],
        &["attendees", "--role", "boss"],
        &["attendees", "--format", "xml"],
    ]));
}

#[test]
fn attendees_output_file_gets_what_stdout_would() {
    let sample = Sample::new();
    let out_dir = tempfile::tempdir().unwrap();
    for format in ["csv", "json", "md", "table"] {
        let path = out_dir.path().join(format!("invited.{format}"));
        let before = sample.snapshot();
        let stdout = sample.ok(&[
            "attendees",
            "--status",
            "invited",
            "--with-email",
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert_eq!(stdout, "", "-o should print nothing");
        assert_eq!(sample.snapshot(), before, "the data folder must not change");
        let written = std::fs::read_to_string(&path).unwrap();
        let printed = sample.ok(&["attendees", "--status", "invited", "--with-email", "--format", format]);
        if format == "table" {
            // Written to a file, a table may be laid out at its own width.
            assert!(written.contains("attendees\n"), "{written}");
            assert!(written.starts_with('╭'), "{written}");
        } else {
            assert_eq!(written, printed, "{format}");
        }
    }
    let left: Vec<String> = std::fs::read_dir(out_dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temp files left: {left:?}");
    // --output overwrites an existing file.
    let path = out_dir.path().join("invited.csv");
    std::fs::write(&path, "old").unwrap();
    sample.ok(&[
        "attendees",
        "--status",
        "declined",
        "--format",
        "csv",
        "--output",
        path.to_str().unwrap(),
    ]);
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("handle,name,role,"), "{written}");
    assert!(rows(&written).iter().all(|r| r["status"] == "declined"));
}

#[test]
fn attendees_output_into_a_missing_folder_fails_cleanly() {
    let sample = Sample::new();
    let path = sample.data.join("no-such-dir").join("x.csv");
    sample.fails(
        &["attendees", "--format", "csv", "-o", path.to_str().unwrap()],
        "no-such-dir",
    );
}

// ---------------------------------------------------------------------------------------
// edit-attendee
// ---------------------------------------------------------------------------------------

#[test]
fn edit_attendee_changes_leaves_only_in_that_line() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let attendees = sample.read("attendees.csv");
    // elinetan leaves at 12:30 on their last day (sat).
    assert!(
        attendees
            .contains("\nelinetan,Eline Tanaka,elinetan@example.org,member,libs;types,thu;fri;sat,,12:30,confirmed\n")
    );
    let out = sample.ok(&["edit-attendee", "elinetan", "--leaves", "16:00"]);
    assert_eq!(out, "Changed elinetan: leaves: 12:30 -> 16:00\n");
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_replaced(
            &attendees,
            "elinetan",
            "elinetan,Eline Tanaka,elinetan@example.org,member,libs;types,thu;fri;sat,,16:00,confirmed"
        )
    );
    only_changed(&before, &sample.snapshot(), &["attendees.csv"]);
}

#[test]
fn edit_attendee_clears_arrives_and_leaves_with_empty_values() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    assert!(
        attendees.contains("\nayse6,Ayşe Santos,ayse6@example.org,member,libs;clippy,thu;fri;sat,13:00,,confirmed\n")
    );
    sample.ok(&["edit-attendee", "ayse6", "--arrives", ""]);
    let expected = with_line_replaced(
        &attendees,
        "ayse6",
        "ayse6,Ayşe Santos,ayse6@example.org,member,libs;clippy,thu;fri;sat,,,confirmed",
    );
    assert_eq!(sample.read("attendees.csv"), expected);
    sample.ok(&["edit-attendee", "elinetan", "--leaves", " "]);
    let expected = with_line_replaced(
        &expected,
        "elinetan",
        "elinetan,Eline Tanaka,elinetan@example.org,member,libs;types,thu;fri;sat,,,confirmed",
    );
    assert_eq!(sample.read("attendees.csv"), expected);
}

#[test]
fn edit_attendee_changes_days_teams_role_status_name_and_email() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    // bianchib is only interested in sessions, so any days will do.
    sample.ok(&[
        "edit-attendee",
        "bianchib",
        "--days",
        "saturday,2",
        "--team",
        "lang,cargo",
        "--role",
        "member",
        "--status",
        "confirmed",
        "--name",
        "Bram B.",
        "--email",
        "bram@example.org",
        "--arrives",
        "10:00",
    ]);
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_replaced(
            &attendees,
            "bianchib",
            "bianchib,Bram B.,bram@example.org,member,lang;cargo,fri;sat,10:00,,confirmed"
        )
    );
}

#[test]
fn edit_attendee_with_nothing_to_change_writes_nothing() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let out = sample.ok(&["edit-attendee", "alice"]);
    assert_eq!(out, "No change to alice\n");
    assert_eq!(sample.snapshot(), before);
}

#[test]
fn edit_attendee_refuses_a_departure_that_misses_a_required_session() {
    let sample = Sample::new();
    let participants = sample.read("participants.csv");
    let sessions = rows(&sample.read("sessions.csv"));
    // bob is required at S014 (fri 16:00-17:30) and S033 (fri 11:30-13:00).
    assert!(participants.contains("\nS014,bob,required\n"));
    let s014 = sessions.iter().find(|s| s["id"] == "S014").unwrap();
    assert_eq!((s014["day"].as_str(), s014["start"].as_str()), ("fri", "16:00"));
    let err = sample.fails(
        &["edit-attendee", "bob", "--days", "thu,fri", "--leaves", "15:00"],
        "cannot change bob",
    );
    assert!(err.contains("bob leaves at 15:00 on fri"), "{err}");
    assert!(
        err.contains("S014"),
        "the refusal should name the session bob would miss:\n{err}"
    );
}

#[test]
fn edit_attendee_refuses_dropping_a_day_with_required_sessions() {
    let sample = Sample::new();
    let err = sample.fails(&["edit-attendee", "bob", "--days", "thu,sat"], "cannot change bob");
    assert!(err.contains("bob is not at the event on fri"), "{err}");
    assert!(
        err.contains("S014") && err.contains("S033"),
        "the refusal should name both sessions bob would miss:\n{err}"
    );
}

#[test]
fn edit_attendee_departure_that_misses_nothing_required_is_fine() {
    let sample = Sample::new();
    let attendees = sample.read("attendees.csv");
    // bob's required sessions are all on Friday; leaving Saturday at 10:00 is fine,
    // and so is leaving Friday just when S014 ends.
    sample.ok(&["edit-attendee", "bob", "--leaves", "10:00"]);
    sample.ok(&["edit-attendee", "bob", "--days", "thu,fri", "--leaves", "17:30"]);
    assert_eq!(
        sample.read("attendees.csv"),
        with_line_replaced(
            &attendees,
            "bob",
            "bob,Bob Okonkwo-Lindqvist,bob@example.org,member,lang;libs-api,thu;fri,,17:30,confirmed"
        )
    );
}

#[test]
fn edit_attendee_refuses_bad_values() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["edit-attendee", "alice", "--leaves", "25:00"],
        &["edit-attendee", "alice", "--arrives", "7:00"],
        &["edit-attendee", "alice", "--days", "frj"],
        &["edit-attendee", "alice", "--name", ""],
        &["edit-attendee", "alice", "--email", "nope"],
        &["edit-attendee", "alice", "--status", "maybe"],
        &["edit-attendee", "alcie", "--leaves", "15:00"],
    ]));
}

// ---------------------------------------------------------------------------------------
// remove-attendee
// ---------------------------------------------------------------------------------------

#[test]
fn remove_attendee_interested_only_takes_their_participation_along() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let attendees = sample.read("attendees.csv");
    let participants = sample.read("participants.csv");
    let theirs: Vec<Row> = rows(&participants)
        .into_iter()
        .filter(|r| r["handle"] == "bianchib")
        .collect();
    assert!(theirs.len() > 1);
    assert!(theirs.iter().all(|r| r["role"] != "required"));
    let theirs = theirs.len();
    let out = sample.ok(&["remove-attendee", "bianchib"]);
    assert_eq!(
        out,
        format!("Removed bianchib (and their place in {theirs} sessions)\n")
    );
    assert_eq!(sample.read("attendees.csv"), without_line(&attendees, "bianchib"));
    assert_eq!(
        sample.read("participants.csv"),
        without_rows(&participants, "handle", "bianchib")
    );
    only_changed(&before, &sample.snapshot(), &["attendees.csv", "participants.csv"]);
    sample.fails(&["remove-attendee", "bianchib"], "unknown attendee 'bianchib'");
}

#[test]
fn remove_attendee_in_no_session_changes_only_attendees() {
    let sample = Sample::new();
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris"]);
    let attendees = sample.read("attendees.csv");
    let before = sample.snapshot();
    let out = sample.ok(&["remove-attendee", "ferris"]);
    assert_eq!(out, "Removed ferris (and their place in 0 sessions)\n");
    assert_eq!(sample.read("attendees.csv"), without_line(&attendees, "ferris"));
    only_changed(&before, &sample.snapshot(), &["attendees.csv"]);
}

#[test]
fn remove_attendee_refuses_a_required_person_naming_the_sessions() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.run_snapshot(&["remove-attendee", "bob"]));
}

#[test]
fn remove_attendee_force_removes_a_required_person_and_all_their_rows() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let attendees = sample.read("attendees.csv");
    let participants = sample.read("participants.csv");
    let theirs = rows(&participants).iter().filter(|r| r["handle"] == "bob").count();
    let out = sample.ok(&["remove-attendee", "bob", "--force"]);
    assert_eq!(out, format!("Removed bob (and their place in {theirs} sessions)\n"));
    assert_eq!(sample.read("attendees.csv"), without_line(&attendees, "bob"));
    assert_eq!(
        sample.read("participants.csv"),
        without_rows(&participants, "handle", "bob")
    );
    // The sessions stay, booked where they were.
    only_changed(&before, &sample.snapshot(), &["attendees.csv", "participants.csv"]);
    let check = sample.cmd(&["check"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(stdout.contains("0 integrity problems"), "{stdout}");
}

#[test]
fn remove_attendee_unknown_handle_suggests_one() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["remove-attendee", "alcie"],
        &["remove-attendee", "alcie", "--force"],
        &["remove-attendee"],
    ]));
}
