//! `import-attendees` on a registration form's export (BOM, CRLF, multi-choice cells).

use crate::common::Sample;

const FORM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/registrations.csv");

fn row(sample: &Sample, handle: &str) -> Option<String> {
    sample
        .read("attendees.csv")
        .lines()
        .find(|l| l.starts_with(&format!("{handle},")))
        .map(String::from)
}

#[test]
fn one_invalid_row_stops_the_whole_import() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.run_snapshot(&["import-attendees", FORM]));
}

#[test]
fn skip_invalid_adds_updates_dedupes_and_reports_by_line() {
    let sample = Sample::new();
    let out = sample.ok(&["import-attendees", FORM, "--skip-invalid", "--format", "csv"]);
    assert_eq!(
        out,
        "line,handle,name,action,detail\n\
         2,ferris,Ferris Crab,added,\n\
         3,alice,Alice Renamed,updated,same handle; name: Alice Verhoeven -> Alice Renamed; \
         email: alice@example.org -> ALICE@example.org; teams: lang;types -> lang\n\
         4,vnguyen,\"Nguyen, Van\",added,\n\
         5,badrow,Bad Row,skipped,'bad-email' is not an email address (valid: name@example.org)\n\
         6,ferris,Ferris The Crab,updated,same handle; replaces line 2 of this file; \
         name: Ferris Crab -> Ferris The Crab; teams: lang;compiler -> lang; days: thu;sat -> fri\n"
    );
    // Multi-choice cells become lists; days become day ids; the later response wins.
    assert_eq!(
        row(&sample, "ferris").unwrap(),
        "ferris,Ferris The Crab,ferris@example.org,member,lang,fri,,,confirmed"
    );
    assert_eq!(
        row(&sample, "vnguyen").unwrap(),
        "vnguyen,\"Nguyen, Van\",new@example.org,member,libs,fri,,,confirmed"
    );
    assert_eq!(
        row(&sample, "alice").unwrap(),
        "alice,Alice Renamed,ALICE@example.org,member,lang,thu;fri;sat,,,confirmed"
    );
    assert!(row(&sample, "badrow").is_none());
    sample.ok(&["check"]);
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let sample = Sample::new();
    let files = sample.snapshot();
    insta::assert_snapshot!(sample.run_snapshot(&["import-attendees", FORM, "--skip-invalid", "--dry-run"]));
    assert!(sample.snapshot() == files);
}

#[test]
fn the_same_email_updates_the_existing_person_whatever_the_handle() {
    let sample = Sample::new();
    let form = sample.beside(
        "form.csv",
        "Email address,Name,GitHub username\nbob@example.org,Bob B.,bob-new\n",
    );
    let before = row(&sample, "bob").unwrap();
    assert!(before.contains("bob@example.org"), "{before}");
    let out = sample.ok(&["import-attendees", &form, "--format", "csv"]);
    assert!(out.contains("2,bob,Bob B.,updated,same email"), "{out}");
    assert!(row(&sample, "bob-new").is_none());
    assert!(row(&sample, "bob").unwrap().starts_with("bob,Bob B.,bob@example.org,"));
}

#[test]
fn an_update_that_would_strand_a_required_session_is_refused() {
    let sample = Sample::new();
    // alice is required at S002 and S034 on Thursday.
    let form = sample.beside(
        "form.csv",
        "Name,GitHub username,Which days will you attend?\nAlice,alice,Friday 22 May\n",
    );
    insta::assert_snapshot!(sample.run_snapshot(&["import-attendees", &form]));
}

#[test]
fn map_names_columns_the_guesser_does_not_know() {
    let sample = Sample::new();
    let form = sample.beside(
        "form.csv",
        "Who,Contact,Nick,Coming\nZed Zee,zed@example.org,zed,friday\n",
    );
    sample.fails(
        &["import-attendees", &form],
        "no column for handle or email or name or first_name in the form",
    );
    let out = sample.ok(&[
        "import-attendees",
        &form,
        "--map",
        "Who=name",
        "--map",
        "Contact=email",
        "--map",
        "Nick=handle",
        "--map",
        "Coming=days",
        "--status",
        "invited",
    ]);
    assert!(out.contains("added 1"), "{out}");
    assert_eq!(
        row(&sample, "zed").unwrap(),
        "zed,Zed Zee,zed@example.org,member,,fri,,,invited"
    );
    sample.fails(
        &["import-attendees", &form, "--map", "Nope=name"],
        "the file has no column 'Nope'",
    );
    sample.fails(
        &["import-attendees", &form, "--map", "Who=nickname"],
        "unknown field 'nickname'",
    );
}

#[test]
fn formulas_from_the_form_are_defused_in_the_file_but_shown_as_typed() {
    let sample = Sample::new();
    let form = sample.beside(
        "form.csv",
        "Name,GitHub username\n\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",mallory\n",
    );
    sample.ok(&["import-attendees", &form]);
    assert!(
        row(&sample, "mallory").unwrap().starts_with("mallory,\"'=HYPERLINK("),
        "{:?}",
        row(&sample, "mallory")
    );
    let json = sample.ok(&["attendees", "--format", "json"]);
    assert!(
        json.contains(r#""name": "=HYPERLINK(\"http://example.invalid\",\"x\")""#),
        "{json}"
    );
}

#[test]
fn a_missing_or_malformed_file_is_a_clear_error() {
    let sample = Sample::new();
    let form = sample.beside("form.csv", "Name,GitHub username\n\"unclosed,alice\n");
    insta::assert_snapshot!(sample.transcript(&[
        &["import-attendees", "/nonexistent/form.csv"],
        &["import-attendees", &form],
    ]));
}

#[test]
fn arrival_and_departure_are_checked_as_add_attendee_does() {
    let sample = Sample::new();
    let form = sample.beside("form.csv", "Name,GitHub username,Arrival\nEarly Bird,early,06:00\n");
    insta::assert_snapshot!(sample.run_snapshot(&["import-attendees", &form]));
}
