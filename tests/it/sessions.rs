//! End-to-end tests of `add-session`, `edit-session`, `remove-session`, `join` and `leave`
//! on a copy of the sample event.

use crate::common;

use crate::common::{Row, Sample, key, line_diff, rows};

fn session(sample: &Sample, id: &str) -> Option<Row> {
    rows(&sample.read("sessions.csv")).into_iter().find(|r| r["id"] == id)
}

/// `(handle, role)` of everyone tied to a session, sorted.
fn participants(sample: &Sample, id: &str) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = rows(&sample.read("participants.csv"))
        .into_iter()
        .filter(|r| r["session"] == id)
        .map(|r| (r["handle"].clone(), r["role"].clone()))
        .collect();
    list.sort();
    list
}

fn role_of(sample: &Sample, id: &str, handle: &str) -> Option<String> {
    participants(sample, id)
        .into_iter()
        .find(|(h, _)| h == handle)
        .map(|(_, r)| r)
}

/// One past the highest `S###` number in sessions.csv.
fn next_id(sample: &Sample) -> String {
    let highest = rows(&sample.read("sessions.csv"))
        .iter()
        .filter_map(|r| r["id"].strip_prefix('S')?.parse::<u32>().ok())
        .max()
        .unwrap();
    format!("S{:03}", highest + 1)
}

fn with_ferris() -> Sample {
    let sample = Sample::new();
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab"]);
    sample
}

// ---------------------------------------------------------------------------------------------
// add-session

#[test]
fn add_session_gets_the_next_id_and_participant_rows() {
    let sample = with_ferris();
    let id = next_id(&sample);
    assert_eq!(id, "S067");
    let sessions_before = sample.read("sessions.csv");
    let participants_before = sample.read("participants.csv");
    let out = sample.ok(&[
        "add-session",
        "Const generics",
        "--team",
        "lang",
        "--duration",
        "90",
        "--needs",
        "projector",
        "--required",
        "ferris",
        "--interested",
        "alice,bob",
    ]);
    assert!(
        out.contains(&format!(
            "Added {id} 'Const generics' (lang, 1h30, needs projector), unscheduled, with 1 required and 2 interested."
        )),
        "{out}"
    );
    assert!(out.contains(&format!("allhands book {id}")), "{out}");

    let row = session(&sample, &id).expect("new session row");
    assert_eq!(row["title"], "Const generics");
    assert_eq!(row["kind"], "planned");
    assert_eq!(row["team"], "lang");
    assert_eq!(row["duration"], "90");
    assert_eq!(row["needs"], "projector");
    for column in ["size", "day", "start", "room"] {
        assert_eq!(row[column], "", "{column} of an unscheduled session");
    }
    assert_eq!(row["pinned"], "false");

    // sessions.csv gains exactly the one line; participants.csv exactly three.
    let (removed, added) = line_diff(&sessions_before, &sample.read("sessions.csv"));
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(sample.read("sessions.csv").ends_with(&format!("{}\n", added[0])));
    let (removed, added) = line_diff(&participants_before, &sample.read("participants.csv"));
    assert!(removed.is_empty(), "{removed:?}");
    assert_eq!(
        added,
        [
            format!("{id},alice,interested"),
            format!("{id},bob,interested"),
            format!("{id},ferris,required"),
        ]
    );
}

#[test]
fn add_session_twice_counts_on_from_the_highest_id() {
    let sample = Sample::new();
    sample.ok(&["add-session", "First", "--id", "S100"]);
    let out = sample.ok(&["add-session", "Second"]);
    assert!(out.contains("Added S101 'Second'"), "{out}");
    assert!(session(&sample, "S101").is_some());
    assert_eq!(session(&sample, "S100").unwrap()["title"], "First");
    // Sorted by number: S100 and S101 come after S066, not between S010 and S011.
    let ids: Vec<String> = rows(&sample.read("sessions.csv"))
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(&ids[ids.len() - 3..], ["S066", "S100", "S101"]);
}

#[test]
fn add_session_defaults_to_one_hour_no_team_no_people() {
    let sample = Sample::new();
    let out = sample.ok(&["add-session", "Open hallway"]);
    assert!(
        out.contains("Added S067 'Open hallway' (no team, 1h), unscheduled, with 0 required and 0 interested."),
        "{out}"
    );
    let row = session(&sample, "S067").unwrap();
    assert_eq!(row["duration"], "60");
    assert_eq!(row["team"], "");
    assert!(participants(&sample, "S067").is_empty());
}

#[test]
fn add_session_accepts_every_duration_form() {
    for (text, minutes) in [
        ("90", "90"),
        ("90m", "90"),
        ("1h30", "90"),
        ("1h30m", "90"),
        ("1:30", "90"),
        ("2h", "120"),
        ("45m", "45"),
    ] {
        let sample = Sample::new();
        sample.ok(&["add-session", "Timed", "--duration", text]);
        assert_eq!(
            session(&sample, "S067").unwrap()["duration"],
            minutes,
            "--duration {text}"
        );
    }
}

#[test]
fn add_session_refuses_bad_durations() {
    let sample = Sample::new();
    // `--duration -5`, with a space, is read as a value too, not as an unknown flag.
    insta::assert_snapshot!(sample.transcript(&[
        &["add-session", "X", "--duration", "0"],
        &["add-session", "X", "--duration", "abc"],
        &["add-session", "X", "--duration=-5"],
        &["add-session", "X", "--duration", "-5"],
        &["add-session", "X", "--duration", "25h"],
        &["add-session", "X", "--duration", ""],
    ]));
}

#[test]
fn add_session_refuses_unknown_people_with_a_suggestion() {
    let sample = with_ferris();
    let err = sample.fails(
        &[
            "add-session",
            "Const generics",
            "--required",
            "feris",
            "--interested",
            "alice",
        ],
        "unknown attendee 'feris' (did you mean 'ferris'?)",
    );
    assert!(err.contains("allhands attendees"), "{err}");
    sample.fails(
        &["add-session", "Const generics", "--interested", "bob,alcie"],
        "unknown attendee 'alcie' (did you mean 'alice'?)",
    );
    // Before ferris exists the handle is simply unknown.
    let fresh = Sample::new();
    fresh.fails(
        &["add-session", "Const generics", "--required", "ferris"],
        "unknown attendee 'ferris'",
    );
}

#[test]
fn add_session_refuses_bad_titles_ids_teams_and_needs() {
    let sample = Sample::new();
    insta::assert_snapshot!(sample.transcript(&[
        &["add-session", "   "],
        &["add-session", "two\nlines"],
        &["add-session", "Again", "--id", "S001"],
        &["add-session", "X", "--id", "S 1"],
        &["add-session", "X", "--team", "lang team"],
        &["add-session", "X", "--needs", "big screen"],
        &["add-session", "X", "--kind", "other"],
    ]));
}

#[test]
fn a_person_both_required_and_interested_is_required_once() {
    let sample = Sample::new();
    sample.ok(&[
        "add-session",
        "Both",
        "--required",
        "alice",
        "--interested",
        "alice,bob",
    ]);
    assert_eq!(
        participants(&sample, "S067"),
        [
            ("alice".to_string(), "required".to_string()),
            ("bob".to_string(), "interested".to_string())
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// edit-session

#[test]
fn edit_session_changes_title_duration_and_needs_only() {
    let sample = Sample::new();
    let before = sample.read("sessions.csv");
    let out = sample.ok(&[
        "edit-session",
        "S012",
        "--title",
        "Const traits",
        "--duration",
        "1h30",
        "--needs",
        "projector,whiteboard",
    ]);
    assert!(out.contains("Changed S012 'Const traits'"), "{out}");
    let row = session(&sample, "S012").unwrap();
    assert_eq!(row["title"], "Const traits");
    assert_eq!(row["duration"], "90");
    assert_eq!(row["needs"], "projector;whiteboard");
    assert_eq!(row["day"], "");
    let (removed, added) = line_diff(&before, &sample.read("sessions.csv"));
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert_eq!(key(&removed[0]), "S012");
    // Its audience, time constraints, preference and source stay as they were.
    assert_eq!(
        added,
        [
            "S012,Const traits,planned,lang,90,projector;whiteboard,,,,,false,lang,thu;fri,,,afternoon,,\
          https://github.com/rust-lang/all-hands-2026/issues/23,"
        ]
    );
}

#[test]
fn edit_session_can_clear_needs_and_pin() {
    let sample = Sample::new();
    sample.ok(&["edit-session", "S012", "--needs", "", "--pin"]);
    let row = session(&sample, "S012").unwrap();
    assert_eq!(row["needs"], "");
    assert_eq!(row["pinned"], "true");
    sample.ok(&["edit-session", "S012", "--unpin"]);
    assert_eq!(session(&sample, "S012").unwrap()["pinned"], "false");
}

#[test]
fn edit_session_refuses_bad_values() {
    let sample = Sample::new();
    sample.fails(
        &["edit-session", "S012", "--duration", "0"],
        "invalid value '0' for '--duration <DURATION>': '0' is not a duration",
    );
    sample.fails(
        &["edit-session", "S012", "--duration", "abc"],
        "invalid value 'abc' for '--duration <DURATION>': 'abc' is not a duration",
    );
    sample.fails(&["edit-session", "S012", "--title", ""], "the title must not be empty");
    sample.fails(
        &["edit-session", "S099", "--title", "x"],
        "unknown session 'S099' (did you mean 'S009'?)",
    );
    sample.fails(&["edit-session", "S012", "--pin", "--unpin"], "cannot be used with");
}

#[test]
fn edit_session_moves_an_unscheduled_session_when_all_rules_hold() {
    let sample = Sample::new();
    let out = sample.ok(&[
        "edit-session",
        "S012",
        "--day",
        "fri",
        "--at",
        "14:00",
        "--room",
        "catharijne",
    ]);
    assert!(out.contains("Changed S012"), "{out}");
    let row = session(&sample, "S012").unwrap();
    assert_eq!(
        (&row["day"][..], &row["start"][..], &row["room"][..]),
        ("fri", "14:00", "catharijne")
    );
}

#[test]
fn edit_session_refuses_a_taken_room_naming_the_other_session() {
    let sample = Sample::new();
    sample.fails(
        &[
            "edit-session",
            "S012",
            "--day",
            "fri",
            "--at",
            "14:00",
            "--room",
            "wilhelmina",
        ],
        "cannot change S012 'Const traits: open design questions': Wilhelmina Room is already taken by \
         S004 'Edition 2027 planning' 14:00-15:30 on fri in Wilhelmina Room",
    );
    // An overlap of a few minutes is still an overlap.
    sample.fails(
        &[
            "edit-session",
            "S012",
            "--day",
            "fri",
            "--at",
            "15:15",
            "--room",
            "wilhelmina",
        ],
        "already taken by S004 'Edition 2027 planning'",
    );
}

#[test]
fn edit_session_refuses_a_move_outside_opening_hours() {
    let sample = Sample::new();
    sample.fails(
        &[
            "edit-session",
            "S012",
            "--day",
            "sat",
            "--at",
            "16:30",
            "--room",
            "amstel",
        ],
        "S012 'Const traits: open design questions' at 16:30-17:30 is outside sat's opening hours 09:00-17:00",
    );
    sample.fails(
        &[
            "edit-session",
            "S012",
            "--day",
            "fri",
            "--at",
            "08:30",
            "--room",
            "amstel",
        ],
        "is outside fri's opening hours 09:00-18:00",
    );
}

#[test]
fn edit_session_refuses_a_room_without_the_needed_feature() {
    let sample = Sample::new();
    sample.fails(
        &[
            "edit-session",
            "S012",
            "--day",
            "fri",
            "--at",
            "14:00",
            "--room",
            "main",
        ],
        "Main Hall has no whiteboard (needed by S012 'Const traits: open design questions')",
    );
}

#[test]
fn edit_session_moving_a_day_checks_required_people() {
    let sample = Sample::new();
    // S002 is on thu; gabrielaovr, required there, only comes on thu.
    let err = sample.fails(
        &["edit-session", "S002", "--day", "fri"],
        "gabrielaovr is not at the event on fri (their days: thu)",
    );
    assert!(
        err.contains("cannot change S002 'Async closures stabilization'"),
        "{err}"
    );
}

#[test]
fn edit_session_longer_duration_that_runs_into_the_next_session_is_refused() {
    let sample = Sample::new();
    // S002 is thu 11:30 in wilhelmina; S046 starts there at 14:00.
    sample.fails(
        &["edit-session", "S002", "--duration", "180"],
        "Wilhelmina Room is already taken by S046 'Rust for Linux sync' 14:00-15:30 on thu in Wilhelmina Room",
    );
    // Up to the next session is fine.
    sample.ok(&["edit-session", "S002", "--duration", "150"]);
    assert_eq!(session(&sample, "S002").unwrap()["duration"], "150");
}

#[test]
fn edit_session_refuses_a_partial_placement() {
    let sample = Sample::new();
    let message = "S012 needs all of --day, --at and --room to be scheduled (or none: `allhands unbook S012`)";
    sample.fails(&["edit-session", "S012", "--day", "fri"], message);
    sample.fails(&["edit-session", "S012", "--at", "14:00"], message);
    sample.fails(&["edit-session", "S012", "--room", "amstel"], message);
    sample.fails(&["edit-session", "S012", "--day", "fri", "--at", "14:00"], message);
}

#[test]
fn edit_session_refuses_unknown_day_room_and_bad_time() {
    let sample = Sample::new();
    let placed = |day: &'static str, at: &'static str, room: &'static str| {
        vec!["edit-session", "S012", "--day", day, "--at", at, "--room", room]
    };
    insta::assert_snapshot!(sample.transcript(&[
        &placed("frj", "14:00", "catharijne"),
        &placed("fri", "14:00", "mian"),
        &placed("fri", "25:00", "catharijne"),
    ]));
}

// ---------------------------------------------------------------------------------------------
// remove-session

#[test]
fn remove_session_drops_it_and_its_participant_rows() {
    let sample = Sample::new();
    let people = participants(&sample, "S002").len();
    assert!(people > 0);
    let participants_before = sample.read("participants.csv");
    let sessions_before = sample.read("sessions.csv");
    let out = sample.ok(&["remove-session", "S002"]);
    assert!(
        out.contains(&format!(
            "Removed S002 'Async closures stabilization' (and {people} participant rows)"
        )),
        "{out}"
    );
    assert!(session(&sample, "S002").is_none());
    assert!(participants(&sample, "S002").is_empty());
    let (removed, added) = line_diff(&participants_before, &sample.read("participants.csv"));
    assert!(added.is_empty(), "{added:?}");
    assert_eq!(removed.len(), people);
    assert!(removed.iter().all(|l| key(l) == "S002"));
    let (removed, added) = line_diff(&sessions_before, &sample.read("sessions.csv"));
    assert!(added.is_empty());
    assert_eq!(removed.len(), 1);
    assert_eq!(key(&removed[0]), "S002");
}

#[test]
fn remove_session_of_an_unknown_id_fails() {
    let sample = Sample::new();
    sample.fails(
        &["remove-session", "S0002"],
        "unknown session 'S0002' (did you mean 'S002'?)",
    );
    sample.ok(&["remove-session", "S002"]);
    sample.fails(&["remove-session", "S002"], "unknown session 'S002'");
}

// ---------------------------------------------------------------------------------------------
// join

#[test]
fn join_adds_interested_people() {
    let sample = Sample::new();
    assert_eq!(role_of(&sample, "S012", "alice"), None);
    let out = sample.ok(&["join", "S012", "alice", "bob"]);
    assert!(
        out.contains("alice, bob now interested at S012 'Const traits: open design questions'"),
        "{out}"
    );
    assert_eq!(role_of(&sample, "S012", "alice").as_deref(), Some("interested"));
    assert_eq!(role_of(&sample, "S012", "bob").as_deref(), Some("interested"));
}

#[test]
fn join_again_changes_nothing() {
    let sample = Sample::new();
    sample.ok(&["join", "S012", "alice"]);
    let before = sample.snapshot();
    let out = sample.ok(&["join", "S012", "alice"]);
    assert!(out.contains("No change: already in S012"), "{out}");
    assert!(sample.snapshot() == before, "a no-op join changed files");
    let rows = participants(&sample, "S012");
    assert_eq!(rows.iter().filter(|(h, _)| h == "alice").count(), 1);
}

#[test]
fn join_required_upgrades_an_interested_person_without_duplicating() {
    let sample = Sample::new();
    sample.ok(&["join", "S012", "alice"]);
    let out = sample.ok(&["join", "S012", "alice", "--required"]);
    assert!(out.contains("alice now required at S012"), "{out}");
    let rows = participants(&sample, "S012");
    assert_eq!(
        rows.iter().filter(|(h, _)| h == "alice").collect::<Vec<_>>(),
        [&("alice".to_string(), "required".to_string())]
    );
}

#[test]
fn join_required_refuses_someone_required_at_an_overlapping_session() {
    let sample = Sample::new();
    // alice is required at S034 (thu 14:00, Miffy); S016 is thu 14:00 in Catharijne, with
    // seats to spare.
    assert_eq!(role_of(&sample, "S034", "alice").as_deref(), Some("required"));
    let err = sample.fails(
        &["join", "S016", "alice", "--required"],
        "alice is already required at S034 'Never type stabilization' 14:00-15:00 on thu in Miffy Room",
    );
    assert!(
        err.contains("cannot add alice to S016 'Rust-analyzer and the new trait solver'"),
        "{err}"
    );
    // As merely interested she may join.
    sample.ok(&["join", "S016", "alice"]);
    assert_eq!(role_of(&sample, "S016", "alice").as_deref(), Some("interested"));
}

#[test]
fn join_required_refuses_someone_away_that_day() {
    let sample = Sample::new();
    sample.fails(
        &["join", "S004", "elamin-dev", "--required"],
        "elamin-dev is not at the event on fri (their days: thu)",
    );
}

#[test]
fn join_beyond_the_room_capacity_is_refused() {
    let sample = Sample::new();
    // S018 is in Neude Room (24 seats) and draws 24 people already.
    assert_eq!(participants(&sample, "S018").len(), 24);
    assert_eq!(common::booked_headcount(&sample, "S018"), 24);
    sample.fails(
        &["join", "S018", "alice"],
        "Neude Room holds 24, but S018 'Crates.io trusted publishing' draws 25 people",
    );
}

#[test]
fn join_refuses_unknown_sessions_and_people() {
    let sample = Sample::new();
    sample.fails(&["join", "S999", "alice"], "unknown session 'S999'");
    sample.fails(
        &["join", "S012", "alice", "alcie"],
        "unknown attendee 'alcie' (did you mean 'alice'?)",
    );
    sample.fails(&["join", "S012"], "HANDLES");
}

// ---------------------------------------------------------------------------------------------
// leave

#[test]
fn leave_takes_people_off_a_session() {
    let sample = Sample::new();
    sample.ok(&["join", "S012", "alice", "bob"]);
    let out = sample.ok(&["leave", "S012", "bob"]);
    assert!(
        out.contains("bob left S012 'Const traits: open design questions'"),
        "{out}"
    );
    assert_eq!(role_of(&sample, "S012", "bob"), None);
    assert_eq!(role_of(&sample, "S012", "alice").as_deref(), Some("interested"));
}

#[test]
fn leave_by_someone_not_in_the_session_changes_nothing_as_join_does() {
    let sample = Sample::new();
    let before = sample.snapshot();
    let out = sample.ok(&["leave", "S012", "bob"]);
    assert_eq!(
        out,
        "No change: bob not in S012 'Const traits: open design questions'\n"
    );
    assert_eq!(sample.snapshot(), before);
    let out = sample.ok(&["join", "S012", "nakamura-dev"]);
    assert!(out.starts_with("No change: already in S012"), "{out}");
    // Of several, those in it leave and the others are named.
    sample.ok(&["join", "S012", "alice"]);
    let out = sample.ok(&["leave", "S012", "alice", "bob"]);
    assert_eq!(
        out,
        "alice left S012 'Const traits: open design questions'\n\
         No change: bob not in S012 'Const traits: open design questions'\n"
    );
    sample.fails(
        &["leave", "S012", "alcie"],
        "unknown attendee 'alcie' (did you mean 'alice'?)",
    );
    sample.fails(&["leave", "S999", "alice"], "unknown session 'S999'");
}

#[test]
fn an_existing_problem_does_not_block_renaming_the_session() {
    // Problems already in the data are not the change's fault; a new title does not make
    // them new. Each case puts a problem into the files by hand, then renames the session.
    type BreakIt = fn(&Sample);
    let cases: [(&str, BreakIt); 3] = [
        ("S018", |s| {
            // Neude Room (24 seats) gets a 25th person.
            let text = s.read("participants.csv") + "S018,alice,interested\n";
            s.write("participants.csv", &text);
        }),
        ("S012", |s| {
            // Main Hall has no whiteboard, which S012 needs.
            let text = s.read("sessions.csv").replace(
                "S012,Const traits: open design questions,planned,lang,60,whiteboard,,,,,false",
                "S012,Const traits: open design questions,planned,lang,60,whiteboard,,fri,14:00,main,false",
            );
            s.write("sessions.csv", &text);
        }),
        ("S010", |s| {
            // 17:30 for an hour runs past fri's closing at 18:00.
            let text = s.read("sessions.csv").replace(
                "S010,Moderation team retro,planned,moderation,60,,,fri,09:30,oudegracht,false",
                "S010,Moderation team retro,planned,moderation,60,,,fri,17:30,oudegracht,false",
            );
            s.write("sessions.csv", &text);
        }),
    ];
    let mut refused = Vec::new();
    for (id, break_it) in cases {
        let sample = Sample::new();
        let pristine = sample.snapshot();
        break_it(&sample);
        assert!(sample.snapshot() != pristine, "{id}: the problem was not put in");
        let output = sample
            .cmd(&["edit-session", id, "--title", "Renamed"])
            .output()
            .unwrap();
        if output.status.success() {
            assert_eq!(session(&sample, id).unwrap()["title"], "Renamed");
        } else {
            refused.push(format!("{id}: {}", String::from_utf8_lossy(&output.stderr).trim()));
        }
    }
    assert!(
        refused.is_empty(),
        "renaming was refused over a problem that was already there:\n{}",
        refused.join("\n")
    );
}

#[test]
fn moving_a_session_must_land_somewhere_clean_even_if_it_had_a_problem_before() {
    let sample = Sample::new();
    // S002 (thu 11:30 in the 60-seat Wilhelmina Room) is made to expect 500 people: an old
    // capacity problem. Moving it into a 16-seat room must still be refused, as `book` does.
    let sessions = sample.read("sessions.csv");
    let old = "S002,Async closures stabilization,planned,lang,90,projector,,";
    assert!(sessions.contains(old));
    sample.write(
        "sessions.csv",
        &sessions.replace(old, "S002,Async closures stabilization,planned,lang,90,projector,500,"),
    );
    let err = sample.fails(
        &[
            "edit-session",
            "S002",
            "--day",
            "thu",
            "--at",
            "09:30",
            "--room",
            "rietveld",
        ],
        "cannot change S002",
    );
    assert!(err.contains("Rietveld Room holds 16"), "{err}");
    // A rename with the old problem in place is still fine.
    sample.ok(&["edit-session", "S002", "--title", "Async closures: stabilization"]);
}

#[test]
fn a_declined_person_cannot_be_required() {
    let sample = Sample::new();
    let declined = rows(&sample.read("attendees.csv"))
        .into_iter()
        .find(|r| r["status"] == "declined")
        .expect("the sample has a declined attendee")["handle"]
        .clone();
    sample.fails(
        &["join", "S012", &declined, "--required"],
        &format!("{declined} has declined the event"),
    );
    sample.fails(
        &["add-session", "Nope", "--required", &declined],
        "has declined the event",
    );
}
