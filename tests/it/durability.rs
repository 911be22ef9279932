//! Many processes on one data folder at once, and writers killed mid-write.
//!
//! The promise (README, "Nothing lost"): writers take an exclusive lock for their whole
//! read-change-write, so concurrent commands never lose each other's changes; readers never see
//! a half-written file; a kill at any moment leaves every file as before or as after the
//! command, and whoever comes next finishes a committed multi-file change and removes stale
//! temp files.

use crate::common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use allhands::model::{Event, Tie};
use allhands::store::Store;

use crate::common::{leftovers, on, spawn, text};

fn load(dir: &Path) -> Event {
    Store::open(dir).and_then(|s| s.load()).expect("the folder loads")
}

/// A small deterministic random number generator (xorshift64*), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn thirty_two_writers_at_once_all_land() {
    let sample = common::Sample::new();
    let before = load(&sample.data).attendees.len();
    let handles: Vec<String> = (0..32).map(|i| format!("crowd{i:02}")).collect();
    // Start every process before waiting for any.
    let children: Vec<(String, Child)> = handles
        .iter()
        .map(|h| {
            let name = format!("Crowd Member {h}");
            (
                h.clone(),
                spawn(&sample.data, &["add-attendee", h, "--name", &name, "--days", "thu,fri"]),
            )
        })
        .collect();
    let mut failures = Vec::new();
    for (handle, child) in children {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() {
            failures.push(format!("{handle}: {:?} {}", out.status.code(), text(&out.stderr)));
        }
    }
    assert!(failures.is_empty(), "writers failed:\n{}", failures.join("\n"));

    let event = load(&sample.data);
    assert_eq!(event.attendees.len(), before + 32);
    for handle in &handles {
        let person = event.attendee(handle).unwrap_or_else(|| panic!("{handle} was lost"));
        assert_eq!(person.name, format!("Crowd Member {handle}"));
    }
    // And the file is one row per person, in order, with no trace of the crowd's temp files.
    let rows = sample
        .read("attendees.csv")
        .lines()
        .filter(|l| l.starts_with("crowd"))
        .count();
    assert_eq!(rows, 32);
    assert!(leftovers(&sample.data).is_empty(), "{:?}", leftovers(&sample.data));
    sample.ok(&["check"]);
}

#[test]
fn sixteen_bookings_of_one_room_at_one_time_exactly_one_wins() {
    let sample = common::Sample::new();
    // Sixteen fresh sessions with no needs and no people, so only the room can stand in the way.
    let ids: Vec<String> = (1..=16).map(|i| format!("R{i:02}")).collect();
    for id in &ids {
        sample.ok(&["add-session", &format!("Race {id}"), "--id", id, "--duration", "60"]);
    }
    // The Vecht Room is free on Thursday in the sample; 11:30 is after the opening plenary.
    let children: Vec<(String, Child)> = ids
        .iter()
        .map(|id| {
            (
                id.clone(),
                spawn(
                    &sample.data,
                    &["book", id, "--day", "thu", "--at", "11:30", "--room", "vecht"],
                ),
            )
        })
        .collect();
    let results: Vec<(String, Output)> = children
        .into_iter()
        .map(|(id, c)| (id, c.wait_with_output().unwrap()))
        .collect();

    let winners: Vec<&String> = results
        .iter()
        .filter(|(_, o)| o.status.success())
        .map(|(id, _)| id)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one booking must win, won: {winners:?}");
    let winner = winners[0];
    for (id, out) in results.iter().filter(|(id, _)| id != winner) {
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{id}: {stderr}");
        assert!(
            stderr.contains("Vecht Room is already taken by") && stderr.contains(winner.as_str()),
            "{id} should be refused because {winner} took the room: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    let event = load(&sample.data);
    let booked: Vec<&str> = event
        .sessions
        .iter()
        .filter(|s| s.room.as_deref() == Some("vecht") && s.day.as_deref() == Some("thu"))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(booked, [winner.as_str()]);
    let rows: Vec<common::Row> = common::rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|r| r["day"] == "thu" && r["start"] == "11:30" && r["room"] == "vecht")
        .collect();
    assert_eq!(rows.len(), 1, "sessions.csv shows one booking: {rows:?}");
    assert_eq!(&rows[0]["id"], winner, "{rows:?}");
    sample.ok(&["check"]);
}

#[test]
fn readers_never_see_a_half_written_folder() {
    let sample = common::Sample::new();
    let start = load(&sample.data).attendees.len();
    let (writers, per_writer) = (10, 3);
    let done = AtomicBool::new(false);
    let data = sample.data.clone();

    // Two readers, each keeping its own sequence of counts (a reader's counts never go down).
    let sequences: Vec<Vec<usize>> = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (data, done) = (&data, &done);
                scope.spawn(move || {
                    let mut counts = Vec::new();
                    // Keep reading until every writer is done, then once more.
                    loop {
                        let finished = done.load(Ordering::SeqCst);
                        let out = on(data, &["attendees", "--format", "json"]).output().unwrap();
                        assert!(out.status.success(), "a read failed: {}", text(&out.stderr));
                        let rows: serde_json::Value =
                            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("unparsable read ({e})"));
                        let rows = rows.as_array().expect("an array of attendees");
                        let handles: BTreeSet<&str> =
                            rows.iter().map(|r| r["handle"].as_str().expect("a handle")).collect();
                        assert_eq!(handles.len(), rows.len(), "a read saw someone twice");
                        assert!(rows.iter().all(|r| r["name"].as_str().is_some_and(|n| !n.is_empty())));
                        counts.push(rows.len());
                        if finished {
                            break counts;
                        }
                    }
                })
            })
            .collect();
        let writer_threads: Vec<_> = (0..writers)
            .map(|w| {
                let data = &data;
                scope.spawn(move || {
                    for k in 0..per_writer {
                        let handle = format!("reader-test-{w}-{k}");
                        let out = on(data, &["add-attendee", &handle, "--name", "Writer Person"])
                            .output()
                            .unwrap();
                        assert!(out.status.success(), "{handle}: {}", text(&out.stderr));
                        // A breath between writes, so that readers get the lock now and then.
                        std::thread::sleep(Duration::from_millis(20));
                    }
                })
            })
            .collect();
        for t in writer_threads {
            t.join().unwrap();
        }
        done.store(true, Ordering::SeqCst);
        readers.into_iter().map(|r| r.join().unwrap()).collect()
    });

    let end = start + writers * per_writer;
    for reads in &sequences {
        assert!(
            reads.iter().all(|&n| (start..=end).contains(&n)),
            "a read saw an impossible count: {reads:?}"
        );
        assert!(reads.windows(2).all(|w| w[0] <= w[1]), "the count went down: {reads:?}");
        assert_eq!(*reads.last().unwrap(), end, "{reads:?}");
    }
    let all: Vec<usize> = sequences.concat();
    assert!(
        all.iter().any(|&n| start < n && n < end),
        "no read happened while the writers worked, so nothing was tested: {sequences:?}"
    );
    eprintln!(
        "{} reads while {} people were added: {sequences:?}",
        all.len(),
        end - start
    );
}

// ---------------------------------------------------------------------------------------------
// Crash safety.

/// The event without the records a killed write may or may not have made, lines ignored.
fn without(event: &Event, handle: &str, session: &str) -> Event {
    let mut e = event.clone();
    e.attendees.retain(|a| a.handle != handle);
    e.sessions.retain(|s| s.id != session);
    e.participants.retain(|p| p.session != session);
    common::without_line_numbers(e)
}

/// How long a whole `add-session` with participants takes here, to spread kills over it.
fn writer_duration(dir: &Path) -> Duration {
    let mut longest = Duration::ZERO;
    for i in 0..3 {
        let id = format!("T{i}");
        let started = Instant::now();
        let out = on(dir, &["add-session", "Timing", "--id", &id, "--required", "alice"])
            .output()
            .unwrap();
        longest = longest.max(started.elapsed());
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    longest
}

#[test]
fn a_writer_killed_at_any_moment_leaves_before_or_after() {
    let sample = common::Sample::new();
    let dir = &sample.data;
    let lifetime = writer_duration(dir);
    let mut rng = Rng(0x5eed_a114_a4d5);
    let (mut landed, mut lost, mut leftover_seen, mut journal_seen) = (0, 0, 0, 0);
    let mut previous = load(dir);

    for i in 0..60 {
        let handle = format!("killed{i}");
        let session = format!("K{i:02}");
        let two_files = i % 2 == 1;
        let args: Vec<String> = if two_files {
            // sessions.csv and participants.csv change together: the journal's path.
            [
                "add-session",
                &format!("Killed {i}"),
                "--id",
                &session,
                "--required",
                "alice",
                "--interested",
                "bob",
            ]
            .map(String::from)
            .to_vec()
        } else {
            [
                "add-attendee",
                &handle,
                "--name",
                &format!("Killed Person {i}"),
                "--days",
                "thu",
            ]
            .map(String::from)
            .to_vec()
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // A third of the kills come at a random moment up to twice a writer's whole run (some
        // land after it ended); a third when the writer's first temp file appears plus a random
        // few hundred microseconds; a third as soon as the journal (for a one-file write: a temp
        // file) appears, plus a few microseconds. So many land inside the commit.
        let mut child = on(dir, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let wait_for = |seen: &dyn Fn() -> bool| {
            while !seen() && started.elapsed() < 4 * lifetime {
                std::hint::spin_loop();
            }
        };
        let journal = dir.join(".allhands.journal");
        match (i / 2) % 3 {
            0 => std::thread::sleep(Duration::from_micros(rng.below(2 * lifetime.as_micros() as u64))),
            1 => {
                wait_for(&|| !leftovers(dir).is_empty());
                std::thread::sleep(Duration::from_micros(rng.below(400)));
            }
            _ => {
                if two_files {
                    wait_for(&|| journal.exists());
                } else {
                    wait_for(&|| !leftovers(dir).is_empty());
                }
                std::thread::sleep(Duration::from_micros(rng.below(60)));
            }
        }
        let delay = started.elapsed();
        child.kill().ok(); // SIGKILL; fails only if it already ended
        child.wait().unwrap();
        let left = leftovers(dir);
        leftover_seen += usize::from(!left.is_empty());
        journal_seen += usize::from(left.iter().any(|n| n == ".allhands.journal"));

        // Every file loads: check ends with 0 or 1, never 2.
        let out = on(dir, &["check"]).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "iteration {i} (kill after {delay:?}): check ended {:?}: {}",
            out.status.code(),
            text(&out.stderr)
        );

        // Exactly before or after.
        let now = load(dir);
        assert!(
            without(&now, &handle, &session) == without(&previous, &handle, &session),
            "iteration {i} (kill after {delay:?}): records other than the new one changed"
        );
        let happened = if two_files {
            let made = now.session(&session).is_some();
            let mut ties: Vec<(&str, Tie)> = now
                .participants
                .iter()
                .filter(|p| p.session == session)
                .map(|p| (p.handle.as_str(), p.tie))
                .collect();
            ties.sort_by_key(|t| t.0);
            let expected: Vec<(&str, Tie)> = if made {
                vec![("alice", Tie::Required), ("bob", Tie::Interested)]
            } else {
                vec![]
            };
            assert_eq!(
                ties, expected,
                "iteration {i} (kill after {delay:?}): session {session} exists: {made}, but its participant rows are {ties:?}"
            );
            made
        } else {
            match now.attendee(&handle) {
                Some(person) => {
                    assert_eq!(person.name, format!("Killed Person {i}"));
                    assert_eq!(person.days, ["thu"]);
                    true
                }
                None => false,
            }
        };
        if happened {
            landed += 1;
        } else {
            lost += 1;
        }

        // The next successful write leaves no temp file or journal behind.
        let out = on(dir, &["add-attendee", &format!("after{i}"), "--name", "After Kill"])
            .output()
            .unwrap();
        assert!(out.status.success(), "iteration {i}: {}", text(&out.stderr));
        let left = leftovers(dir);
        assert!(
            left.is_empty(),
            "iteration {i}: left behind after a successful write: {left:?}"
        );
        previous = load(dir);
    }
    eprintln!(
        "60 kills (writer lifetime about {lifetime:?}): {landed} writes landed, {lost} did not; \
         {leftover_seen} left temp files or a journal, {journal_seen} a journal"
    );
    assert!(
        landed > 0 && lost > 0,
        "kills should land both before and after the commit: {landed} landed, {lost} lost"
    );
    assert!(
        leftover_seen > 0,
        "no kill landed inside a commit, so nothing was tested there"
    );
}

#[test]
fn a_stale_temp_file_is_ignored_by_readers_and_removed_by_the_next_write() {
    let sample = common::Sample::new();
    let stale = sample.path(".attendees.csv.tmp");
    fs::write(&stale, "handle,name\nghost,Half Written\n").unwrap();
    fs::write(sample.path(".sessions.csv.tmp"), "id,tit").unwrap();
    let attendees = sample.read("attendees.csv");

    // A reader neither uses nor needs to remove it.
    let listing = sample.ok(&["attendees", "--format", "csv"]);
    assert!(!listing.contains("ghost"));
    sample.ok(&["check"]);
    assert_eq!(sample.read("attendees.csv"), attendees);

    sample.ok(&["add-attendee", "fresh", "--name", "Fresh Person"]);
    assert!(!stale.exists(), "the stale temp file is still there");
    assert!(leftovers(&sample.data).is_empty(), "{:?}", leftovers(&sample.data));
    let text = sample.read("attendees.csv");
    assert!(text.contains("fresh,Fresh Person"), "the write landed");
    assert!(!text.contains("ghost"), "the stale temp file's contents were used");
    assert_eq!(text.lines().count(), attendees.lines().count() + 1);
}

#[test]
fn a_committed_change_left_by_a_killed_writer_is_finished_by_the_next_reader() {
    // What a two-file `add-session` writes, made in a scratch copy.
    let scratch = common::Sample::new();
    scratch.ok(&["add-session", "Journal test", "--id", "J01", "--required", "alice"]);
    let (sessions, participants) = (scratch.read("sessions.csv"), scratch.read("participants.csv"));

    // A writer killed right after its commit point: journal written, nothing renamed yet.
    let sample = common::Sample::new();
    sample.write(".sessions.csv.tmp", &sessions);
    sample.write(".participants.csv.tmp", &participants);
    sample.write(".allhands.journal", "sessions.csv\nparticipants.csv\n");

    let out = sample.ok(&["schedule", "--format", "csv"]);
    assert!(!out.is_empty());
    assert_eq!(
        sample.read("sessions.csv"),
        sessions,
        "sessions.csv was not rolled forward"
    );
    assert_eq!(
        sample.read("participants.csv"),
        participants,
        "participants.csv was not rolled forward"
    );
    assert!(leftovers(&sample.data).is_empty(), "{:?}", leftovers(&sample.data));
    let event = load(&sample.data);
    assert!(event.session("J01").is_some());
    assert!(
        event
            .participants
            .iter()
            .any(|p| p.session == "J01" && p.handle == "alice")
    );
    sample.ok(&["check"]);
}

#[test]
fn a_committed_change_half_renamed_is_finished_too() {
    let scratch = common::Sample::new();
    scratch.ok(&["add-session", "Journal test", "--id", "J02", "--interested", "bob"]);
    let (sessions, participants) = (scratch.read("sessions.csv"), scratch.read("participants.csv"));

    // Killed between the two renames: sessions.csv is new, participants.csv still old.
    let sample = common::Sample::new();
    sample.write("sessions.csv", &sessions);
    sample.write(".participants.csv.tmp", &participants);
    sample.write(".allhands.journal", "sessions.csv\nparticipants.csv\n");

    sample.ok(&["add-attendee", "next", "--name", "Next Writer"]);
    assert_eq!(sample.read("sessions.csv"), sessions);
    assert_eq!(sample.read("participants.csv"), participants);
    assert!(leftovers(&sample.data).is_empty(), "{:?}", leftovers(&sample.data));
    assert!(sample.read("attendees.csv").contains("next,Next Writer"));
}
