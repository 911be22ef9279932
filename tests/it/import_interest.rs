//! `import-interest` on form exports: a checkbox list (titles with commas), a checkbox grid,
//! unknown people and titles, re-runs that replace earlier answers, must-attend that would
//! break a rule.
use crate::common;

use crate::common::{Sample, rows};

const LIST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/interest/checkboxes.csv");
const LATER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/interest/checkboxes-later.csv"
);
const GRID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/interest/grid.csv");

/// The id of the sample session with this title.
fn id(sample: &Sample, title: &str) -> String {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no session '{title}' in the sample"))["id"]
        .clone()
}

/// `session:role:source` of one person's ties, sorted.
fn ties_of(sample: &Sample, handle: &str) -> Vec<String> {
    let mut found: Vec<String> = rows(&sample.read("participants.csv"))
        .into_iter()
        .filter(|r| r["handle"] == handle)
        .map(|r| {
            format!(
                "{}:{}:{}",
                r["session"],
                r["role"],
                r.get("source").cloned().unwrap_or_default()
            )
        })
        .collect();
    found.sort();
    found
}

/// The sample, with "Allocator API, revisited" unbooked so that interest in it never meets a
/// full room (rooms are another test's subject).
fn sample() -> Sample {
    let sample = Sample::new();
    let allocator = id(&sample, "Allocator API, revisited");
    sample.ok(&["unbook", &allocator]);
    sample
}

fn has(ties: &[String], tie: String) -> bool {
    ties.contains(&tie)
}

fn report(sample: &Sample, file: &str) -> Vec<serde_json::Value> {
    common::json(&sample.ok(&["import-interest", file, "--format", "json"]))
}

fn row(report: &[serde_json::Value], line: u64) -> &serde_json::Value {
    report
        .iter()
        .find(|r| r["line"] == line)
        .unwrap_or_else(|| panic!("no line {line}"))
}

#[test]
fn a_checkbox_list_with_commas_in_titles_adds_interest() {
    let sample = sample();
    let before_alice = ties_of(&sample, "alice");
    let out = report(&sample, LIST);
    let alice = ties_of(&sample, "alice");
    for title in [
        "Allocator API, revisited",
        "Community: meetups, conferences, and outreach",
        "Const traits: open design questions",
        "docs.rs build infrastructure",
    ] {
        assert!(
            has(&alice, format!("{}:interested:form", id(&sample, title))),
            "{title}: {alice:?}"
        );
    }
    assert_eq!(alice.len(), before_alice.len() + 4, "{alice:?}");
    // By email, without case; ids work as well as titles.
    let valentina = ties_of(&sample, "valentina");
    assert!(has(
        &valentina,
        format!("{}:interested:form", id(&sample, "Variadic generics: is it time?"))
    ));
    // A person answering twice: the later response counts, the earlier is reported as replaced.
    let bob = ties_of(&sample, "bob");
    assert!(
        has(&bob, format!("{}:required:form", id(&sample, "Stable ABI and crabi"))),
        "{bob:?}"
    );
    assert!(has(
        &bob,
        format!("{}:interested:form", id(&sample, "Specialization: any path forward?"))
    ));
    assert!(
        !bob.iter()
            .any(|t| t.starts_with(&id(&sample, "docs.rs build infrastructure"))),
        "{bob:?}"
    );
    let line3 = common::lines(&row(&out, 3)["detail"]);
    assert!(line3.contains("replaced by line 7"), "{line3}");
    // What matched nothing is reported with its row and text.
    assert!(
        line3.contains("! no session matches \"A session that does not exist\""),
        "{line3}"
    );
    let line4 = row(&out, 4);
    assert_eq!(line4["handle"], "");
    assert!(common::lines(&line4["detail"]).contains("! unknown person \"ghost-user\""));
    // An organizer's tie stays as it was (valentina was already interested in the Allocator API).
    assert!(has(
        &valentina,
        format!("{}:interested:", id(&sample, "Allocator API, revisited"))
    ));
}

#[test]
fn interest_that_would_overfill_a_booked_room_is_left_out_and_reported() {
    let sample = sample();
    let out = report(&sample, LIST);
    let docs = id(&sample, "docs.rs build infrastructure");
    // Alice takes the last seat in the Amstel Room; Valentina would be one too many.
    assert!(has(&ties_of(&sample, "alice"), format!("{docs}:interested:form")));
    assert!(!ties_of(&sample, "valentina").iter().any(|t| t.starts_with(&docs)));
    let detail = common::lines(&row(&out, 5)["detail"]);
    assert!(
        detail.contains(&format!("! {docs}: not added: Amstel Room holds 8")),
        "{detail}"
    );
    sample.ok(&["check"]);
}

#[test]
fn must_attend_that_would_break_a_hard_rule_becomes_interested() {
    let sample = sample();
    let out = report(&sample, LIST);
    let build_std = id(&sample, "Cargo build-std");
    // Sebastián is there on Thursday only; Cargo build-std is on Saturday.
    assert!(has(
        &ties_of(&sample, "sebastian"),
        format!("{build_std}:interested:form")
    ));
    let detail = common::lines(&row(&out, 6)["detail"]);
    assert!(
        detail.contains(&format!(
            "! {build_std}: interested, not required: sebastian is not at the event on sat"
        )),
        "{detail}"
    );
    // Already interested by the organizers' hand: kept so.
    let polonius = id(&sample, "Polonius roadmap");
    assert!(detail.contains(&format!("{polonius}: kept as interested, as the organizers set it")));
    assert!(has(&ties_of(&sample, "sebastian"), format!("{polonius}:interested:")));
    sample.ok(&["check"]);
}

#[test]
fn a_later_response_replaces_what_the_form_set_and_nothing_else() {
    let sample = sample();
    sample.ok(&["import-interest", LIST]);
    let organizers: Vec<String> = ties_of(&sample, "alice")
        .into_iter()
        .filter(|t| t.ends_with(':'))
        .collect();
    assert!(!organizers.is_empty());
    let out = report(&sample, LATER);
    let alice = ties_of(&sample, "alice");
    let form: Vec<&String> = alice.iter().filter(|t| t.ends_with(":form")).collect();
    assert_eq!(
        form,
        [
            &format!("{}:interested:form", id(&sample, "Allocator API, revisited")),
            &format!("{}:interested:form", id(&sample, "Pin ergonomics"))
        ]
    );
    // Ties set by hand are never taken away by the form.
    for tie in &organizers {
        assert!(alice.contains(tie), "{tie} lost");
    }
    let line2 = row(&out, 2);
    assert_eq!(
        common::lines(&line2["added"]),
        format!("{} (interested)", id(&sample, "Pin ergonomics"))
    );
    assert_eq!(common::lines(&line2["removed"]).lines().count(), 3);
    // Running the same form again changes nothing.
    let files = sample.snapshot();
    sample.ok(&["import-interest", LATER]);
    assert!(sample.snapshot() == files);
}

#[test]
fn a_checkbox_grid_reads_one_column_per_session() {
    let sample = sample();
    let out = common::json(&sample.ok(&["import-interest", GRID, "--format", "json"]));
    let nadia = ties_of(&sample, "nadia-l");
    assert!(has(
        &nadia,
        format!("{}:interested:form", id(&sample, "Allocator API, revisited"))
    ));
    // "Must attend" on an unscheduled session: required. The column names it by id.
    assert!(has(
        &nadia,
        format!("{}:required:form", id(&sample, "Const traits: open design questions"))
    ));
    // Already required by the organizers: unchanged, and not marked as the form's.
    assert!(has(&nadia, format!("{}:required:", id(&sample, "Polonius roadmap"))));
    assert!(common::lines(&row(&out, 4)["detail"]).contains("unknown person \"nobody-here\""));
    let table = sample.ok_wide(&["import-interest", GRID, "--dry-run"]);
    assert!(
        table.contains("! column \"Which sessions? [No such session]\": no session titled \"No such session\""),
        "{table}"
    );
    assert!(table.contains("dry run, nothing written"), "{table}");
}

#[test]
fn dry_run_writes_nothing() {
    let sample = sample();
    let files = sample.snapshot();
    let out = sample.ok(&["import-interest", LIST, "--dry-run"]);
    assert!(out.contains("S015 (interested)"), "{out}");
    assert!(sample.snapshot() == files);
}

#[test]
fn forms_without_people_or_sessions_are_refused() {
    let sample = sample();
    let no_person = sample.beside("no-person.csv", "Timestamp,Which sessions?\n1,Polonius roadmap\n");
    sample.fails(
        &["import-interest", &no_person],
        "no column for handle or email in the form",
    );
    let no_sessions = sample.beside("no-sessions.csv", "GitHub username,Favourite colour\nalice,blue\n");
    sample.fails(
        &["import-interest", &no_sessions],
        "no column for sessions or must or grid",
    );
    let ragged = sample.beside(
        "ragged.csv",
        "GitHub username,Which sessions?\nalice,Polonius roadmap,extra\n",
    );
    sample.fails(&["import-interest", &ragged], "ragged.csv:2:");
    // --map names a column the guess would miss.
    let mapped = sample.beside("mapped.csv", "Who,Picks\nalice,Pin ergonomics\n");
    sample.ok(&[
        "import-interest",
        &mapped,
        "--map",
        "Who=handle",
        "--map",
        "Picks=sessions",
    ]);
    assert!(has(
        &ties_of(&sample, "alice"),
        format!("{}:interested:form", id(&sample, "Pin ergonomics"))
    ));
}

#[test]
fn an_unknown_email_is_not_printed() {
    let sample = sample();
    let form = sample.beside(
        "form.csv",
        "Email address,Which sessions?\nsomeone@private.example,Pin ergonomics\n",
    );
    let out = sample.ok_wide(&["import-interest", &form]);
    assert!(out.contains("unknown person with the email on this line"), "{out}");
    assert!(!out.contains("private.example"), "{out}");
}
