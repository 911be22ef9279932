//! Many processes on one data folder at once: no change is lost, no half-written file is
//! ever seen, nothing is left behind, and a room is never given to two sessions.

use std::process::{Child, Output};

use crate::common::{Sample, json, key, leftovers, spawn, strings, text};
use serde_json::Value;

fn finish(children: Vec<Child>) -> Vec<Output> {
    children.into_iter().map(|c| c.wait_with_output().unwrap()).collect()
}

fn handles_listed(sample: &Sample) -> Vec<String> {
    strings(&json(&sample.ok(&["attendees", "--format", "json"])), "handle")
}

#[test]
fn twenty_simultaneous_add_attendees_all_land() {
    let sample = Sample::new();
    let original = sample.read("attendees.csv");
    let others = sample.snapshot();
    let handles: Vec<String> = (1..=20).map(|i| format!("racer{i:02}")).collect();
    let children: Vec<Child> = handles
        .iter()
        .map(|h| {
            let name = format!("Racer {h}");
            spawn(
                &sample.data,
                &["add-attendee", h, "--name", &name, "--team", "lang", "--days", "fri"],
            )
        })
        .collect();
    let outputs = finish(children);
    for (h, out) in handles.iter().zip(&outputs) {
        assert_eq!(out.status.code(), Some(0), "{h}: stderr {}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with(&format!("Added {h}: Racer {h}")),
            "{h}: {}",
            text(&out.stdout)
        );
    }

    // The original lines plus the 20 new ones, sorted by handle.
    let after = sample.read("attendees.csv");
    let mut expected: Vec<String> = original.lines().skip(1).map(String::from).collect();
    expected.extend(
        handles
            .iter()
            .map(|h| format!("{h},Racer {h},,member,lang,fri,,,confirmed")),
    );
    expected.sort_by(|a, b| key(a).cmp(key(b)));
    let got: Vec<&str> = after.lines().skip(1).collect();
    assert_eq!(got, expected);
    assert_eq!(after.lines().next(), original.lines().next(), "header kept");
    assert_eq!(
        after.lines().count(),
        original.lines().count() + 20,
        "exactly 20 new rows"
    );

    // It loads, with everyone in it, and nothing else changed or was left behind.
    let listed = handles_listed(&sample);
    for h in &handles {
        assert_eq!(listed.iter().filter(|l| *l == h).count(), 1, "{h}");
    }
    assert_eq!(listed.len(), original.lines().count() - 1 + 20);
    assert!(
        leftovers(&sample.data).is_empty(),
        "left behind: {:?}",
        leftovers(&sample.data)
    );
    let now = sample.snapshot();
    for (name, bytes) in &others {
        if name != "attendees.csv" {
            assert_eq!(now.get(name), Some(bytes), "{name} changed");
        }
    }
    let check = sample.cmd(&["check"]).output().unwrap();
    assert!(
        text(&check.stdout).contains("0 integrity problems"),
        "{}",
        text(&check.stdout)
    );
}

#[test]
fn readers_during_writes_always_see_whole_files() {
    let sample = Sample::new();
    let before = sample.read("attendees.csv").lines().count() - 1;
    let mut children = Vec::new();
    for i in 0..10 {
        let handle = format!("mixed{i:02}");
        children.push(spawn(&sample.data, &["add-attendee", &handle, "--name", "Mixed"]));
        children.push(spawn(&sample.data, &["attendees", "--format", "json"]));
    }
    let outputs = finish(children);
    for (i, out) in outputs.iter().enumerate() {
        assert_eq!(out.status.code(), Some(0), "{i}: {}", text(&out.stderr));
        if i % 2 == 1 {
            let listed: Value =
                serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("reader {i} got bad JSON ({e})"));
            let n = listed.as_array().unwrap().len();
            assert!((before..=before + 10).contains(&n), "reader saw {n} rows");
        }
    }
    assert_eq!(handles_listed(&sample).len(), before + 10);
    assert!(leftovers(&sample.data).is_empty(), "{:?}", leftovers(&sample.data));
}

#[test]
fn sixteen_bookings_of_one_room_at_one_time_only_one_wins() {
    let sample = Sample::new();
    // Neude Room (24 seats) has nothing on Thursday; sixteen small new sessions want it at 11:30,
    // right after the opening plenary.
    let thursday = sample.ok(&["rooms", "--day", "thu", "--format", "csv"]);
    assert!(!thursday.contains(",neude,"), "{thursday}");
    let ids: Vec<String> = (1..=16).map(|i| format!("R{i:02}")).collect();
    for id in &ids {
        let title = format!("Race {id}");
        sample.ok(&[
            "add-session",
            &title,
            "--id",
            id,
            "--team",
            "lang",
            "--duration",
            "60",
            "--needs",
            "projector",
        ]);
    }
    let before = sample.snapshot();
    let children: Vec<Child> = ids
        .iter()
        .map(|id| {
            spawn(
                &sample.data,
                &["book", id, "--day", "thu", "--at", "11:30", "--room", "neude"],
            )
        })
        .collect();
    let outputs = finish(children);

    let winners: Vec<usize> = (0..ids.len()).filter(|&i| outputs[i].status.success()).collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one booking should win; exits: {:?}",
        outputs.iter().map(|o| o.status.code()).collect::<Vec<_>>()
    );
    let winner = &ids[winners[0]];
    assert_eq!(
        text(&outputs[winners[0]].stdout),
        format!("Booked {winner} 'Race {winner}': thu 11:30-12:30 in Neude Room\n")
    );
    for (id, out) in ids.iter().zip(&outputs) {
        if id == winner {
            continue;
        }
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{id}: {stderr}");
        assert!(!stderr.contains("panicked"), "{id}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "cannot book {id} 'Race {id}' on thu 11:30-12:30 in Neude Room"
            )),
            "{id}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("Neude Room is already taken by {winner} 'Race {winner}'")),
            "{id}: {stderr}"
        );
    }

    // Only sessions.csv changed, and only the winner's line in it.
    let after = sample.snapshot();
    for (name, bytes) in &before {
        if name != "sessions.csv" {
            assert_eq!(after.get(name), Some(bytes), "{name} changed");
        }
    }
    let old = String::from_utf8(before["sessions.csv"].clone()).unwrap();
    let new = sample.read("sessions.csv");
    let changed: Vec<(&str, &str)> = old.lines().zip(new.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(old.lines().count(), new.lines().count());
    assert_eq!(
        changed,
        [(
            // The columns after `pinned` (audience, time constraints, source, notes) stay empty.
            format!("{winner},Race {winner},planned,lang,60,projector,,,,,false,,,,,,,,").as_str(),
            format!("{winner},Race {winner},planned,lang,60,projector,,thu,11:30,neude,false,,,,,,,,").as_str()
        )]
    );
    let thursday = sample.ok(&["rooms", "--day", "thu", "--format", "csv"]);
    assert_eq!(thursday.matches(",neude,").count(), 1, "{thursday}");
    assert!(leftovers(&sample.data).is_empty(), "{:?}", leftovers(&sample.data));
    let check = sample.cmd(&["check"]).output().unwrap();
    assert!(
        text(&check.stdout).contains("0 hard-rule conflicts"),
        "{}",
        text(&check.stdout)
    );
}
