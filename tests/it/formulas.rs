//! Spreadsheet formulas (CSV injection): text from people is never written as a cell a
//! spreadsheet would evaluate, in the data folder or in `--format csv`, yet tables and json
//! show exactly what was typed.
//!
//! allhands trims the whitespace around a name or title (as it trims every cell it reads), so
//! "what was typed" below is the payload trimmed: a leading tab is dropped, and `\t=1+1` is
//! stored as the formula-looking `=1+1`, which must then be guarded.

use crate::common::{Sample, json};
use serde_json::Value;

/// Real payloads, with the cell allhands must write for each in a CSV file.
const PAYLOADS: [(&str, &str); 7] = [
    (
        "=HYPERLINK(\"http://example.invalid\",\"x\")",
        "'=HYPERLINK(\"http://example.invalid\",\"x\")",
    ),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1", "'+1"),
    ("-1+2", "'-1+2"),
    ("\t=1+1", "'=1+1"),
    ("'=already", "''=already"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
];

/// What was typed, as allhands keeps it (surrounding whitespace trimmed).
/// The table row with `key` shows `payload` exactly as typed, without the file's guard.
fn assert_table_shows_typed(table: &str, key: &str, payload: &str) {
    let line = table
        .lines()
        .find(|l| l.contains(&format!(" {key} ")))
        .unwrap_or_else(|| panic!("{key} not in the table:\n{table}"));
    assert!(
        line.contains(&format!(" {} ", typed(payload))),
        "the table does not show {:?} as typed: {line}",
        typed(payload)
    );
    assert!(
        !line.contains(&format!("'{}", typed(payload))),
        "the table shows the guard: {line}"
    );
}

fn typed(payload: &str) -> &str {
    payload.trim()
}

/// Every cell of some CSV text, with the row and column where it is.
fn cells(csv_text: &str) -> Vec<(usize, usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let mut out = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.unwrap_or_else(|e| panic!("not CSV ({e}):\n{csv_text}"));
        for (column, cell) in record.iter().enumerate() {
            out.push((row, column, cell.to_string()));
        }
    }
    out
}

/// Fails on any cell a spreadsheet would take for a formula.
fn assert_no_formula_cells(what: &str, csv_text: &str) {
    let bad: Vec<String> = cells(csv_text)
        .into_iter()
        .filter(|(_, _, cell)| cell.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .map(|(row, column, cell)| format!("row {} column {}: {cell:?}", row + 1, column + 1))
        .collect();
    assert!(bad.is_empty(), "{what} has formula cells:\n{}", bad.join("\n"));
}

/// Every data file of the folder is free of formula cells.
fn assert_folder_is_inert(sample: &Sample) {
    for file in allhands::store::FILES {
        assert_no_formula_cells(file, &sample.read(file));
    }
}

/// The row of a CSV text whose first cell is `key`, as cells.
fn row_of(csv_text: &str, key: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.get(0) == Some(key))
        .unwrap_or_else(|| panic!("no row {key} in:\n{csv_text}"))
        .iter()
        .map(String::from)
        .collect()
}

/// The cell in `column` (by header name) of the row keyed `key`.
fn cell(csv_text: &str, key: &str, column: &str) -> String {
    let header = row_of(csv_text, csv_text.lines().next().unwrap().split(',').next().unwrap());
    let i = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    row_of(csv_text, key)[i].clone()
}

fn find<'a>(rows: &'a [Value], key: &str, value: &str) -> &'a Value {
    rows.iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value}"))
}

/// A table wide enough that no cell wraps, so a value can be looked for on one line.
fn wide_table(sample: &Sample, args: &[&str]) -> String {
    let output = sample.cmd(args).env("COLUMNS", "400").output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn formula_names_are_guarded_in_files_and_csv_and_shown_as_typed() {
    let sample = Sample::new();
    for (i, (payload, _)) in PAYLOADS.iter().enumerate() {
        let handle = format!("formula{i}");
        sample.ok(&["add-attendee", &handle, &format!("--name={payload}"), "--days", "thu"]);
    }

    // (i) The file: no formula cell anywhere, and each name stored with its guard.
    assert_folder_is_inert(&sample);
    let file = sample.read("attendees.csv");
    for (i, (_, stored)) in PAYLOADS.iter().enumerate() {
        assert_eq!(cell(&file, &format!("formula{i}"), "name"), *stored, "attendees.csv");
    }

    // (ii) csv output, to stdout and with -o.
    let listing = sample.ok(&["attendees", "--format", "csv"]);
    assert_no_formula_cells("attendees --format csv", &listing);
    for (i, (_, stored)) in PAYLOADS.iter().enumerate() {
        assert_eq!(
            cell(&listing, &format!("formula{i}"), "name"),
            *stored,
            "attendees --format csv"
        );
    }
    let report = sample.data.parent().unwrap().join("people.csv");
    sample.ok(&["attendees", "--format", "csv", "-o", report.to_str().unwrap()]);
    assert_no_formula_cells("attendees -o people.csv", &std::fs::read_to_string(&report).unwrap());

    // (iii) json and the table show exactly what was typed, with no guard.
    let rows = json(&sample.ok(&["attendees", "--format", "json"]));
    let table = wide_table(&sample, &["attendees", "--day", "thu"]);
    for (i, (payload, _)) in PAYLOADS.iter().enumerate() {
        let row = find(&rows, "handle", &format!("formula{i}"));
        assert_eq!(row["name"], typed(payload), "attendees --format json");
        assert_table_shows_typed(&table, &format!("formula{i}"), payload);
    }
}

#[test]
fn formula_titles_are_guarded_in_files_and_csv_and_shown_as_typed() {
    let sample = Sample::new();
    for (i, (payload, _)) in PAYLOADS.iter().enumerate() {
        let id = format!("F{i}");
        sample.ok(&["add-session", "--id", &id, "--duration", "60", "--", payload]);
        // The Vecht Room is free all Thursday in the sample; from 11:00 on, after the opening
        // plenary, seven hours to 18:00.
        sample.ok(&[
            "book",
            &id,
            "--day",
            "thu",
            "--at",
            &format!("{}:00", 11 + i),
            "--room",
            "vecht",
        ]);
    }

    assert_folder_is_inert(&sample);
    let file = sample.read("sessions.csv");
    for (i, (_, stored)) in PAYLOADS.iter().enumerate() {
        assert_eq!(cell(&file, &format!("F{i}"), "title"), *stored, "sessions.csv");
    }

    let agenda = sample.ok(&["schedule", "--format", "csv"]);
    assert_no_formula_cells("schedule --format csv", &agenda);
    let header = row_of(&agenda, "day");
    let (session, title) = (
        header.iter().position(|h| h == "session").expect("a session column"),
        header.iter().position(|h| h == "title").expect("a title column"),
    );
    for (i, (_, stored)) in PAYLOADS.iter().enumerate() {
        let row = cells(&agenda)
            .into_iter()
            .filter(|(_, c, v)| *c == session && *v == format!("F{i}"))
            .map(|(r, _, _)| r)
            .next()
            .unwrap_or_else(|| panic!("F{i} not in the agenda:\n{agenda}"));
        let shown = cells(&agenda)
            .into_iter()
            .find(|(r, c, _)| *r == row && *c == title)
            .unwrap()
            .2;
        assert_eq!(shown, *stored, "schedule --format csv");
    }

    let rows = json(&sample.ok(&["schedule", "--format", "json"]));
    let table = wide_table(&sample, &["schedule", "--day", "thu", "--room", "vecht"]);
    for (i, (payload, _)) in PAYLOADS.iter().enumerate() {
        assert_eq!(
            find(&rows, "session", &format!("F{i}"))["title"],
            typed(payload),
            "schedule --format json"
        );
        assert_table_shows_typed(&table, &format!("F{i}"), payload);
    }
}

#[test]
fn edited_names_and_titles_are_guarded_too() {
    let sample = Sample::new();
    for (i, (payload, stored)) in PAYLOADS.iter().enumerate() {
        sample.ok(&["edit-attendee", "alice", &format!("--name={payload}")]);
        sample.ok(&["edit-session", "S012", &format!("--title={payload}")]);
        assert_folder_is_inert(&sample);
        assert_eq!(
            cell(&sample.read("attendees.csv"), "alice", "name"),
            *stored,
            "payload {i}"
        );
        assert_eq!(
            cell(&sample.read("sessions.csv"), "S012", "title"),
            *stored,
            "payload {i}"
        );
        let rows = json(&sample.ok(&["attendees", "--format", "json"]));
        assert_eq!(find(&rows, "handle", "alice")["name"], typed(payload));
    }
}

/// A team is a key (no spaces, starting with a letter or digit): a formula-like team is
/// refused with nothing written, or, should it ever be accepted, it must be guarded and shown
/// as typed like any other text.
#[test]
fn formula_teams_are_refused_or_guarded() {
    let sample = Sample::new();
    for (i, (payload, stored)) in PAYLOADS.iter().enumerate() {
        let team = format!("--team={payload}");
        let (handle, id) = (format!("team{i}"), format!("TT{i}"));
        let attempts: [(Vec<&str>, &str, &str, &str); 2] = [
            (
                vec!["add-attendee", &handle, "--name", "Team Test", &team],
                "attendees.csv",
                "teams",
                &handle,
            ),
            (
                vec!["add-session", "Team test", "--id", &id, &team],
                "sessions.csv",
                "team",
                &id,
            ),
        ];
        for (args, file, column, key) in attempts {
            let before = sample.snapshot();
            let output = sample.cmd(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            if output.status.success() {
                assert_folder_is_inert(&sample);
                assert_eq!(cell(&sample.read(file), key, column), *stored, "{args:?}");
            } else {
                assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
                assert!(
                    stderr.contains("team"),
                    "{args:?}: the refusal should name the team: {stderr}"
                );
                assert!(
                    sample.snapshot() == before,
                    "{args:?} was refused but changed the folder"
                );
            }
        }
    }
}

#[test]
fn formula_emails_are_guarded_in_files_and_csv() {
    let sample = Sample::new();
    let emails = [
        (
            "=HYPERLINK(\"http://x@example.invalid\")",
            "'=HYPERLINK(\"http://x@example.invalid\")",
        ),
        ("@evil.example", "'@evil.example"),
        ("-x@example.org", "'-x@example.org"),
        ("+x@example.org", "'+x@example.org"),
    ];
    for (i, (email, _)) in emails.iter().enumerate() {
        sample.ok(&[
            "add-attendee",
            &format!("mail{i}"),
            "--name",
            "Mail",
            &format!("--email={email}"),
        ]);
    }
    assert_folder_is_inert(&sample);
    let listing = sample.ok(&["attendees", "--format", "csv", "--with-email"]);
    assert_no_formula_cells("attendees --format csv --with-email", &listing);
    let rows = json(&sample.ok(&["attendees", "--format", "json", "--with-email"]));
    for (i, (email, stored)) in emails.iter().enumerate() {
        let handle = format!("mail{i}");
        assert_eq!(cell(&sample.read("attendees.csv"), &handle, "email"), *stored);
        assert_eq!(cell(&listing, &handle, "email"), *stored);
        assert_eq!(find(&rows, "handle", &handle)["email"], *email);
    }
}

#[test]
fn a_hand_written_formula_loads_as_typed_and_is_guarded_once_rewritten() {
    let sample = Sample::new();
    let mut people = sample.read("attendees.csv");
    people += "raw-formula,=1+1,,member,lang,thu,,,confirmed\n";
    people += "guarded-formula,'=2+2,,member,lang,thu,,,confirmed\n";
    people += "apostrophe,'Tis Me,,member,lang,thu,,,confirmed\n";
    sample.write("attendees.csv", &people);
    let mut sessions = sample.read("sessions.csv");
    // After the opening plenary; the new columns (audience to notes) left empty.
    sessions += "H01,@SUM(1),planned,lang,60,,,thu,11:00,vecht,false,,,,,,,,\n";
    sample.write("sessions.csv", &sessions);

    // Loads, and is shown as written (the guard a spreadsheet user typed is taken off).
    sample.ok(&["check"]);
    let expect = [
        ("raw-formula", "=1+1"),
        ("guarded-formula", "=2+2"),
        ("apostrophe", "'Tis Me"),
    ];
    let show = |sample: &Sample| {
        let rows = json(&sample.ok(&["attendees", "--format", "json"]));
        let table = wide_table(sample, &["attendees", "--team", "lang"]);
        for (handle, name) in expect {
            assert_eq!(find(&rows, "handle", handle)["name"], name);
            let line = table.lines().find(|l| l.contains(&format!(" {handle} "))).unwrap();
            assert!(line.contains(&format!(" {name} ")), "{line}");
        }
        let agenda = json(&sample.ok(&["schedule", "--format", "json"]));
        assert_eq!(find(&agenda, "session", "H01")["title"], "@SUM(1)");
        // csv output is guarded even before allhands rewrites the files.
        assert_no_formula_cells("attendees --format csv", &sample.ok(&["attendees", "--format", "csv"]));
        assert_no_formula_cells("schedule --format csv", &sample.ok(&["schedule", "--format", "csv"]));
    };
    show(&sample);

    // Any change rewrites the file, guarded.
    sample.ok(&["add-attendee", "newcomer", "--name", "New Comer"]);
    sample.ok(&["edit-session", "H01", "--duration", "90"]);
    assert_folder_is_inert(&sample);
    let file = sample.read("attendees.csv");
    assert_eq!(cell(&file, "raw-formula", "name"), "'=1+1");
    assert_eq!(cell(&file, "guarded-formula", "name"), "'=2+2");
    assert_eq!(cell(&file, "apostrophe", "name"), "'Tis Me");
    assert_eq!(cell(&sample.read("sessions.csv"), "H01", "title"), "'@SUM(1)");
    show(&sample);
}
