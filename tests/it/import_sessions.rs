//! `import-sessions` on GitHub issue exports (`gh` and REST shapes) and a proposals spreadsheet:
//! every field read from free text, withdrawn issues, re-imports, bad files.
use crate::common;

use crate::common::{Row, Sample, rows};

const GH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/github/issues.json");
const REST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/github/issues-rest.json");
const SHEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/proposals.csv");

/// The fixtures' issues are numbered from 101 (the sample's own sources use lower numbers);
/// the tests name them by their number in the fixture list (1 for #101).
fn issue_url(number: u32) -> String {
    format!("https://github.com/rust-lang/all-hands-2026/issues/{}", number + 100)
}

/// The session imported from an issue (found by its source, so new sample sessions do not
/// shift what the test looks at).
fn session(sample: &Sample, number: u32) -> Option<Row> {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r.get("source").map(String::as_str) == Some(issue_url(number).as_str()))
}

fn field(sample: &Sample, number: u32, column: &str) -> String {
    let row = session(sample, number).unwrap_or_else(|| panic!("no session from #{number}"));
    row.get(column).cloned().unwrap_or_default()
}

/// `handle:role` of everyone tied to a session, sorted.
fn ties(sample: &Sample, id: &str) -> Vec<String> {
    let mut found: Vec<String> = rows(&sample.read("participants.csv"))
        .into_iter()
        .filter(|r| r["session"] == id)
        .map(|r| format!("{}:{}", r["handle"], r["role"]))
        .collect();
    found.sort();
    found
}

/// `check`'s summary: it may exit 1 for long sessions (an integrity note), never for a hard rule.
fn hard_conflicts(sample: &Sample) -> String {
    let output = sample.cmd(&["check"]).env("COLUMNS", "250").output().unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    out.lines()
        .find(|l| l.contains("hard-rule conflicts"))
        .unwrap_or("")
        .to_string()
}

/// A room free on `day` from `at` until at least `until` (so the tests need not know the sample's
/// bookings).
fn free_room(sample: &Sample, day: &str, at: &str, until: &str) -> String {
    let free = common::json(&sample.ok(&["free", "--day", day, "--at", at, "--for", "30", "--format", "json"]));
    free.iter()
        .find(|r| r["free_until"].as_str().is_some_and(|u| u >= until))
        .unwrap_or_else(|| panic!("no room free on {day} {at}-{until}"))["room"]
        .as_str()
        .unwrap()
        .to_string()
}

fn imported() -> Sample {
    let sample = Sample::new();
    sample.ok(&["import-sessions", GH]);
    sample
}

#[test]
fn every_field_is_read_from_the_issues_free_text() {
    let sample = imported();
    // (issue, duration, audience, days, not_before, not_after, prefer, needs)
    let expected = [
        (1, "90", "lang", "thu;fri", "", "", "", "projector"),
        (2, "120", "types", "thu;fri", "", "13:00", "", "whiteboard"),
        (3, "210", "lang;compiler", "", "", "", "morning", "screen;whiteboard"),
        (4, "30", "cargo", "", "14:00", "", "", ""),
        (5, "45", "rustdoc", "", "", "12:00", "", ""),
        (6, "60", "miri;spec", "", "", "", "thu", ""),
        (7, "60", "everyone", "", "", "", "afternoon", "microphone;video"),
        (8, "90", "compiler", "thu;sat", "", "", "", "projector"),
        (9, "210", "types", "sat", "", "", "", ""),
        (10, "120", "clippy", "thu;fri", "", "", "", ""),
        (12, "30", "rust-analyzer;types", "", "", "", "", ""),
        (15, "60", "crates-io", "", "", "", "", "video"),
        (16, "60", "spec", "", "", "", "", ""),
        (18, "60", "compiler", "", "14:00", "", "", ""),
        (19, "60", "lang", "", "", "", "", ""),
        (20, "60", "project-goals", "", "", "", "fri", ""),
        (21, "90", "moderation", "", "14:00", "", "", ""),
        (22, "30", "infra", "", "", "13:00", "", ""),
        (24, "45", "survey", "", "", "", "fri", ""),
        (25, "60", "testing-devex", "fri;sat", "", "16:00", "", ""),
        (26, "90", "book", "", "", "", "", "screen"),
        (27, "30", "rustfmt", "", "", "", "", ""),
        (29, "90", "docs-rs;infra", "", "", "", "", "video"),
        (30, "60", "libs-api", "fri", "10:00", "", "", ""),
        (31, "120", "lang", "sat", "", "", "", ""),
        (32, "60", "everyone", "", "15:45", "", "sat", ""),
        (33, "540", "compiler", "thu", "", "", "", ""),
        (34, "90", "types;lang", "", "", "", "afternoon", "screen;whiteboard"),
        (36, "60", "cargo", "sat", "", "", "", ""),
        (37, "30", "crates-io", "", "", "", "", ""),
        (38, "60", "compiler", "", "11:00", "16:00", "", ""),
        (39, "90", "libs", "fri;sat", "", "", "morning", ""),
        (41, "60", "infra", "thu;fri", "", "12:30", "", ""),
        (43, "30", "", "", "", "", "", ""),
        (44, "60", "compiler", "", "", "", "", ""),
    ];
    for (issue, duration, audience, days, not_before, not_after, prefer, needs) in expected {
        let got = [
            "duration",
            "audience",
            "days",
            "not_before",
            "not_after",
            "prefer",
            "needs",
        ]
        .map(|c| field(&sample, issue, c));
        assert_eq!(
            got,
            [duration, audience, days, not_before, not_after, prefer, needs],
            "issue #{issue}"
        );
    }
    // Titles as the issues have them; one session per issue, in issue order.
    assert_eq!(field(&sample, 1, "title"), "Async closures: next steps");
    assert_eq!(field(&sample, 1, "kind"), "planned");
    assert_eq!(field(&sample, 1, "team"), "lang");
    let id = |n| field(&sample, n, "id");
    assert!(id(1) < id(2) && id(2) < id(44), "{} {} {}", id(1), id(2), id(44));
    // Unknown hardware goes to the notes; a room feature by its synonym to the needs.
    assert_eq!(field(&sample, 12, "notes"), "hardware no room has: flip chart");
    assert_eq!(field(&sample, 37, "notes"), "hardware no room has: flip chart, paper");
    // Text inside comments (even unterminated or half-deleted ones) is not read.
    assert_eq!(field(&sample, 19, "days"), "");
    assert_eq!(field(&sample, 19, "needs"), "");
    assert_eq!(field(&sample, 20, "needs"), "");
}

#[test]
fn authors_and_mentioned_attendees_are_required() {
    let sample = imported();
    let at = |n| ties(&sample, &field(&sample, n, "id"));
    assert_eq!(at(1), ["alice:required", "bob:required", "noor-bakker:required"]);
    assert_eq!(at(4), ["ana-k:required", "hiroshi:required", "katerina:required"]);
    // An author who is not an attendee, and a mention that is not one, are only reported.
    assert_eq!(at(17), ["bob:required"]);
    assert_eq!(at(6), ["camille-rs:required", "vrossi:required"]);
    // Someone who declined the event is never required.
    assert_eq!(at(23), ["jeanlucsve:required", "mjansen:required"]);
    // An email address is not a mention.
    assert_eq!(at(37), ["the-gudrun:required"]);
    assert!(
        hard_conflicts(&sample).starts_with("0 hard-rule conflicts"),
        "{}",
        hard_conflicts(&sample)
    );
}

#[test]
fn the_report_shows_every_guess_and_problem() {
    let sample = Sample::new();
    let out = sample.ok(&["import-sessions", GH, "--format", "json"]);
    let report = common::json(&out);
    let detail = |issue: &str| -> String {
        report
            .iter()
            .find(|r| r["issue"] == issue)
            .map(|r| common::lines(&r["detail"]))
            .unwrap_or_else(|| panic!("no row for {issue}"))
    };
    assert!(
        detail("#110").contains("duration 120 (from \"1-2 hours\", the upper end)"),
        "{}",
        detail("#110")
    );
    assert!(detail("#110").contains("days thu, fri (one of thu, fri, from \"Thu or Fri\")"));
    assert!(detail("#101").contains("required noor-bakker (mentioned as @noor-bakker)"));
    assert!(detail("#105").contains("! @GuillaumeGomez is not an attendee"));
    assert!(detail("#117").contains("! author eldruin is not an attendee"));
    assert!(detail("#127").contains("! team style (label T-style) is no attendee's team"));
    assert!(detail("#128").contains("! Wednesday is not a day of the event"));
    assert!(detail("#144").contains("! duration \"as long as it takes\" not understood"));
    assert!(detail("#144").contains("the default 60 used"));
    assert!(detail("#116").contains("! no **Duration:** given"));
    assert!(detail("#103").contains("needs screen (from \"TV\")"));
    assert!(detail("#124").contains("! also wishes afternoon"));
    // A guessed constraint that makes the session impossible is dropped, and says why.
    assert!(
        detail("#111").contains("! dropped its days from the issue"),
        "{}",
        detail("#111")
    );
    assert!(detail("#111").contains("sat: fmeijer is not there"));
    assert!(
        detail("#136").contains("! dropped its not-before time"),
        "{}",
        detail("#136")
    );
    assert!(detail("#133").contains("longer than any slot"));
    // Withdrawn: closed without S-scheduled. Closed with it: imported.
    assert_eq!(
        report.iter().find(|r| r["issue"] == "#113").unwrap()["action"],
        "skipped"
    );
    assert!(detail("#113").contains("closed without S-scheduled"));
    assert_eq!(report.iter().find(|r| r["issue"] == "#114").unwrap()["action"], "added");
    assert_eq!(report.len(), 44);
    assert!(
        report.iter().all(|r| r["detail"].is_array()),
        "json lists a row's notes as an array"
    );
    assert!(session(&sample, 13).is_none() && session(&sample, 42).is_none());
    assert_eq!(field(&sample, 11, "days"), "");
    assert_eq!(field(&sample, 36, "not_before"), "");
}

#[test]
fn text_from_issues_never_reaches_the_terminal_or_files_as_control() {
    let sample = Sample::new();
    let out = sample.ok_wide(&["import-sessions", GH]);
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in the report"
    );
    assert!(
        out.contains("! the title had line breaks or control characters"),
        "{out}"
    );
    assert_eq!(field(&sample, 18, "title"), "Error codes registry [31mcleanup");
    assert!(!sample.read("sessions.csv").contains('\x1b'));
}

#[test]
fn the_rest_api_shape_skips_pull_requests_and_matches_authors_without_case() {
    let sample = Sample::new();
    let out = sample.ok(&["import-sessions", REST, "--format", "csv"]);
    assert!(out.contains("#149,,skipped,Old idea"), "{out}");
    let report = sample.ok_wide(&["import-sessions", REST, "--dry-run"]);
    assert!(report.contains("1 pull request(s) left out"), "{report}");
    assert!(session(&sample, 52).is_none());
    let pr = rows(&sample.read("sessions.csv"))
        .into_iter()
        .any(|r| r["source"].contains("/pull/"));
    assert!(!pr, "a pull request was imported");
    // A body of null: no duration, the default.
    assert_eq!(field(&sample, 51, "duration"), "60");
    assert_eq!(field(&sample, 51, "audience"), "infra");
    assert_eq!(ties(&sample, &field(&sample, 51, "id")), ["sanne-i:required"]);
    // Closed with S-scheduled: imported. "Katerina" is katerina.
    assert_eq!(field(&sample, 50, "duration"), "45");
    assert_eq!(field(&sample, 50, "days"), "thu");
    assert_eq!(
        ties(&sample, &field(&sample, 50, "id")),
        ["katerina:required", "zeynep-rs:required"]
    );
}

#[test]
fn importing_again_unchanged_writes_nothing_and_says_so() {
    let sample = imported();
    let files = sample.snapshot();
    let out = sample.ok_wide(&["import-sessions", GH]);
    assert!(
        out.contains("added 0, updated 0, unchanged 42, withdrawn 0, skipped 2; no changes"),
        "{out}"
    );
    assert!(sample.snapshot() == files, "an unchanged re-import rewrote files");
}

/// Books #143 (30 min) on Thursday at 14:00 in a room free until 15:00; its id and the room.
fn book_vision_review(sample: &Sample) -> (String, String) {
    let id = field(sample, 43, "id");
    let room = free_room(sample, "thu", "14:00", "15:00");
    sample.ok(&["book", &id, "--day", "thu", "--at", "14:00", "--room", &room]);
    (id, room)
}

/// The fixture with #143's duration changed from 30 minutes to an hour, beside the data.
fn vision_review_an_hour(sample: &Sample) -> String {
    let mut issues: Vec<serde_json::Value> = common::json(&std::fs::read_to_string(GH).unwrap());
    let issue = issues.iter_mut().find(|i| i["number"] == 143).unwrap();
    let body = issue["body"]
        .as_str()
        .unwrap()
        .replace("**Duration:** 30 min", "**Duration:** 1 hour");
    issue["body"] = body.into();
    sample.beside("issues.json", &serde_json::to_string_pretty(&issues).unwrap())
}

#[test]
fn importing_again_updates_by_source_field_by_field_and_keeps_the_schedule() {
    let sample = imported();
    let (id, room) = book_vision_review(&sample);
    sample.ok(&["edit-session", &id, "--notes", "bring the printed draft"]);
    sample.ok(&["join", &id, "alice"]);
    let file = vision_review_an_hour(&sample);
    let before = sample.read("sessions.csv");
    let out = sample.ok(&["import-sessions", &file, "--format", "csv"]);
    assert!(
        out.contains(&format!(
            "#143,{id},updated,Rust Vision doc review,duration: 30 -> 60\n"
        )),
        "{out}"
    );
    assert_eq!(out.matches(",updated,").count(), 1, "{out}");
    assert_eq!(out.matches(",unchanged,").count(), 41, "{out}");
    let row = session(&sample, 43).unwrap();
    assert_eq!(
        [
            &row["duration"],
            &row["day"],
            &row["start"],
            &row["room"],
            &row["notes"]
        ],
        ["60", "thu", "14:00", room.as_str(), "bring the printed draft"]
    );
    assert_eq!(ties(&sample, &id), ["aleksander-h:required", "alice:interested"]);
    let (removed, added) = common::line_diff(&before, &sample.read("sessions.csv"));
    assert_eq!((removed.len(), added.len()), (1, 1), "{removed:?} {added:?}");
}

#[test]
fn an_update_that_would_break_a_rule_where_it_is_booked_is_not_applied() {
    let sample = imported();
    // 14:00-14:30; another booking in the same room from 14:30 leaves no room to grow.
    let (id, room) = book_vision_review(&sample);
    let other = field(&sample, 17, "id");
    sample.ok(&["book", &other, "--day", "thu", "--at", "14:30", "--room", &room]);
    let file = vision_review_an_hour(&sample);
    let before = sample.read("sessions.csv");
    let out = sample.ok(&["import-sessions", &file, "--format", "json"]);
    let report = common::json(&out);
    let row = report.iter().find(|r| r["issue"] == "#143").unwrap();
    assert_eq!(row["action"], "skipped");
    let detail = common::lines(&row["detail"]);
    assert!(detail.contains("not updated: where it is booked"), "{detail}");
    assert!(detail.contains("is already taken by"), "{detail}");
    assert!(
        detail.contains(&format!("unbook or move {id} and import again")),
        "{detail}"
    );
    assert!(detail.contains("not applied: duration: 30 -> 60"), "{detail}");
    assert_eq!(sample.read("sessions.csv"), before);
    assert!(hard_conflicts(&sample).starts_with("0 hard-rule conflicts"));
}

#[test]
fn a_withdrawn_issue_that_was_imported_is_reported_not_deleted() {
    let sample = imported();
    let id = field(&sample, 1, "id");
    let closed = std::fs::read_to_string(GH).unwrap().replacen(
        "\"state\": \"OPEN\",\n    \"title\": \"Async closures: next steps\"",
        "\"state\": \"CLOSED\",\n    \"title\": \"Async closures: next steps\"",
        1,
    );
    assert_ne!(closed, std::fs::read_to_string(GH).unwrap());
    let file = sample.beside("issues.json", &closed);
    let out = sample.ok(&["import-sessions", &file, "--format", "csv"]);
    assert!(
        out.contains(&format!(
            "#101,{id},withdrawn,Async closures: next steps,! closed without S-scheduled: {id} is kept"
        )),
        "{out}"
    );
    assert!(session(&sample, 1).is_some());
}

#[test]
fn the_markdown_report_keeps_each_row_on_one_line() {
    let sample = Sample::new();
    let md = sample.ok(&["import-sessions", GH, "--dry-run", "--format", "md"]);
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| #")).collect();
    assert_eq!(rows.len(), 44, "{md}");
    let first = rows.iter().find(|l| l.starts_with("| #101 ")).unwrap();
    assert!(
        first.contains("duration 90 (from \"1.5 hours\"); required alice (the author); "),
        "{first}"
    );
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let sample = Sample::new();
    let files = sample.snapshot();
    let out = sample.ok_wide(&["import-sessions", GH, "--dry-run"]);
    assert!(
        out.contains("dry run, nothing written: would have added 42, updated 0, unchanged 0, withdrawn 0, skipped 2"),
        "{out}"
    );
    assert!(sample.snapshot() == files);
}

#[test]
fn a_spreadsheet_of_proposals_is_read_by_its_headers() {
    let sample = Sample::new();
    let out = sample.ok(&["import-sessions", SHEET, "--format", "csv"]);
    assert!(out.contains("line 2,"), "{out}");
    let sessions = rows(&sample.read("sessions.csv"));
    let by_title = |t: &str| sessions.iter().find(|r| r["title"] == t).cloned().unwrap();
    let first = by_title("Const generics: what's next");
    assert_eq!(
        [&first["duration"], &first["audience"], &first["days"], &first["needs"]],
        ["60", "lang;types", "fri", "projector"]
    );
    assert_eq!(ties(&sample, &first["id"]), ["alice:required", "bob:required"]);
    let second = by_title("Docs team, docs.rs and the book: one vision");
    assert_eq!(
        [
            &second["duration"],
            &second["audience"],
            &second["days"],
            &second["needs"],
            &second["source"]
        ],
        [
            "120",
            "book;docs-rs",
            "fri;sat",
            "screen;whiteboard",
            "https://example.org/proposals/2"
        ]
    );
    assert!(out.contains("! author nobody-known is not an attendee"), "{out}");
    // Again: found by source, or by title where there is none.
    let files = sample.snapshot();
    let again = sample.ok_wide(&["import-sessions", SHEET]);
    assert!(again.contains("unchanged 3"), "{again}");
    assert!(sample.snapshot() == files);
}

#[test]
fn spreadsheet_columns_can_be_named_with_map() {
    let sample = Sample::new();
    let sheet = sample.beside(
        "sheet.csv",
        "Topic please,Minutes,Blurb\nRegex engines,45,\"@bob, not Friday\"\n",
    );
    sample.fails(
        &["import-sessions", &sheet, "--map", "Nope=title"],
        "the file has no column 'Nope'",
    );
    sample.ok(&[
        "import-sessions",
        &sheet,
        "--map",
        "Minutes=duration",
        "--map",
        "Blurb=description",
    ]);
    let row = rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["title"] == "Regex engines")
        .unwrap();
    assert_eq!([&row["duration"], &row["days"]], ["45", "thu;sat"]);
}

#[test]
fn bad_files_are_refused_with_their_place_and_nothing_written() {
    let sample = Sample::new();
    let write = |name: &str, text: &str| sample.beside(name, text);
    let broken = write("broken.json", "[\n  {\"number\": 1, \"title\": \"A\",}\n]\n");
    let err = sample.fails(
        &["import-sessions", &broken],
        "broken.json:2: column 30: is not valid JSON",
    );
    assert!(err.contains("trailing comma"), "{err}");
    let object = write("object.json", "{\"message\": \"Bad credentials\"}");
    sample.fails(
        &["import-sessions", &object],
        "object.json: is not a list of GitHub issues (it is a JSON object)",
    );
    let numbers = write("numbers.json", "[1, 2]");
    sample.fails(
        &["import-sessions", &numbers],
        "item 1 of the list is a JSON number, not an issue",
    );
    let no_title = write("no-title.json", "[{\"number\": 7, \"url\": \"x\"}]");
    sample.fails(
        &["import-sessions", &no_title],
        "item 1 of the list (#7) has no \"title\"",
    );
    let empty = write("empty.json", "");
    sample.fails(&["import-sessions", &empty], "empty.json: is empty");
    let empty_csv = write("empty.csv", "");
    sample.fails(&["import-sessions", &empty_csv], "empty.csv");
    sample.fails(
        &["import-sessions", "/nonexistent/issues.json"],
        "/nonexistent/issues.json",
    );
    let no_title_column = write("sheet.csv", "Minutes\n45\n");
    sample.fails(&["import-sessions", &no_title_column], "no column for title");
}

#[test]
fn a_constraint_is_kept_when_dropping_it_would_not_help() {
    let sample = Sample::new();
    // Sebastián is there on Thursday only, the-ingrid on Friday only: no day suits both, with
    // or without "only Friday"; so the wish stays and the report says why.
    let sheet = sample.beside(
        "sheet.csv",
        "Title,Author,Duration,When\nTypes and libs sync,sebastian,1h,\"only Friday, with @the-ingrid\"\n",
    );
    let out = sample.ok(&["import-sessions", &sheet, "--format", "json"]);
    let detail = common::lines(&common::json(&out)[0]["detail"]);
    assert!(
        detail.contains("could never take place (fri: sebastian is not there)"),
        "{detail}"
    );
    assert!(!detail.contains("dropped"), "{detail}");
    let row = rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["title"] == "Types and libs sync")
        .unwrap();
    assert_eq!(row["days"], "fri");
}
