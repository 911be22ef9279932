//! Several organizers, one folder: real git repositories, two clones of one event, merges
//! through `allhands merge-file`, and the post-merge hook's `check`. Plus a property test of the
//! merge on random edits of random events.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use allhands::generate::{Spec, generate};
use allhands::model::{Attendee, Event, Participant, Status, Tie, Time};
use allhands::store::{self, FILES};
use proptest::prelude::*;

use crate::common::text;

/// A git with no configuration but the repositories' own (no global or system config, a
/// home of its own), so the tests do not depend on the machine.
struct Team {
    dir: tempfile::TempDir,
}

/// stdout and stderr together, as a person sees them.
fn said(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

impl Team {
    /// An organizers' repository with the sample event (made by `init` inside it), pushed to a
    /// shared bare repository and cloned twice, `a` and `b`, each set up with `git-setup`.
    fn new() -> Team {
        let team = Team {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(team.path("home")).unwrap();
        team.git_ok("", &["init", "-q", "-b", "main", "seed"]);
        team.identify("seed");
        let out = team.allhands_ok("seed", &["init", "data", "--sample"]);
        assert!(out.contains("Git merges its files record by record"), "{out}");
        // Two unscheduled sessions without participants, for the double booking.
        team.allhands_ok("seed", &["add-session", "Cargo sync", "--id", "X1", "--duration", "60"]);
        team.allhands_ok("seed", &["add-session", "Docs sync", "--id", "X2", "--duration", "60"]);
        team.git_ok("seed", &["add", "-A"]);
        team.git_ok("seed", &["commit", "-q", "-m", "the sample event"]);
        team.git_ok("", &["clone", "-q", "--bare", "seed", "origin.git"]);
        for clone in ["a", "b"] {
            team.git_ok("", &["clone", "-q", "origin.git", clone]);
            team.identify(clone);
            let out = team.allhands_ok(clone, &["git-setup"]);
            assert!(out.contains("merge driver `allhands`"), "{out}");
        }
        team
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn identify(&self, clone: &str) {
        self.git_ok(clone, &["config", "user.name", clone]);
        self.git_ok(clone, &["config", "user.email", &format!("{clone}@example.org")]);
    }

    /// The clean environment git (and allhands, which git runs as driver and hook) gets.
    fn env(&self, cmd: &mut std::process::Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.path("home/gitconfig"))
            .env("LC_ALL", "C");
        common::fixed_environment(cmd);
    }

    fn git(&self, clone: &str, args: &[&str]) -> Output {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(self.path(clone)).args(args);
        self.env(&mut cmd);
        cmd.output().expect("git is installed (apt-get install git)")
    }

    fn git_ok(&self, clone: &str, args: &[&str]) -> String {
        let output = self.git(clone, args);
        assert!(output.status.success(), "git {args:?} in {clone}: {}", said(&output));
        said(&output)
    }

    fn allhands(&self, clone: &str, args: &[&str]) -> Output {
        let mut cmd = common::binary();
        cmd.current_dir(self.path(clone)).args(args);
        self.env(&mut cmd);
        cmd.output().unwrap()
    }

    fn allhands_ok(&self, clone: &str, args: &[&str]) -> String {
        let output = self.allhands(clone, args);
        assert!(
            output.status.success(),
            "allhands {args:?} in {clone}: {}",
            said(&output)
        );
        text(&output.stdout)
    }

    fn read(&self, clone: &str, file: &str) -> String {
        std::fs::read_to_string(self.path(clone).join("data").join(file)).unwrap()
    }

    fn commit(&self, clone: &str, message: &str) {
        self.git_ok(clone, &["commit", "-q", "-a", "-m", message]);
    }

    /// `git pull` (merging, never rebasing) as an organizer runs it.
    fn pull(&self, clone: &str) -> Output {
        self.git(clone, &["pull", "--no-rebase", "--no-edit"])
    }

    /// The three versions of a file that merging `origin/main` into `clone` sees.
    fn versions(&self, clone: &str, file: &str) -> [String; 3] {
        self.git_ok(clone, &["fetch", "-q"]);
        let base = self.git_ok(clone, &["merge-base", "HEAD", "origin/main"]);
        [base.trim(), "HEAD", "origin/main"].map(|rev| self.git_ok(clone, &["show", &format!("{rev}:data/{file}")]))
    }

    /// Whether git's own line-by-line merge of these versions conflicts: proof that a test
    /// that merges them cleanly is not one that git would have merged anyway.
    fn lines_conflict(&self, [base, ours, theirs]: &[String; 3]) -> bool {
        for (name, content) in [("base", base), ("ours", ours), ("theirs", theirs)] {
            std::fs::write(self.path(name), content).unwrap();
        }
        let output = self.git("", &["merge-file", "-p", "ours", "base", "theirs"]);
        output.status.code() != Some(0)
    }

    fn status(&self, clone: &str) -> String {
        self.git_ok(clone, &["status", "--porcelain"])
    }
}

fn handles(attendees_csv: &str) -> BTreeSet<String> {
    common::rows(attendees_csv)
        .into_iter()
        .map(|r| r["handle"].clone())
        .collect()
}

fn row<'a>(csv: &'a str, prefix: &str) -> &'a str {
    csv.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}"))
}

#[test]
fn two_organizers_adding_people_and_booking_sessions_merge_cleanly() {
    let team = Team::new();
    let before = handles(&team.read("a", "attendees.csv"));
    team.allhands_ok("a", &["add-attendee", "bea", "--name", "Bea Aalders"]);
    team.allhands_ok("a", &["add-attendee", "zed", "--name", "Zed Zwart", "--days", "fri"]);
    team.commit("a", "a adds two people");
    team.git_ok("a", &["push", "-q"]);

    // Next to bea in the sorted file: a textual merge conflicts.
    team.allhands_ok("b", &["add-attendee", "bee", "--name", "Bee Bos"]);
    team.allhands_ok(
        "b",
        &["book", "S056", "--day", "fri", "--at", "15:00", "--room", "miffy"],
    );
    team.allhands_ok("b", &["join", "S056", "bee"]);
    team.commit("b", "b adds a person and books a session");
    assert!(team.lines_conflict(&team.versions("b", "attendees.csv")));

    let pull = team.pull("b");
    assert!(pull.status.success(), "{}", said(&pull));
    assert!(!said(&pull).contains("CONFLICT"), "{}", said(&pull));
    assert!(
        !said(&pull).contains("has problems"),
        "the hook found problems: {}",
        said(&pull)
    );
    assert_eq!(team.status("b"), "");
    team.git_ok("b", &["push", "-q"]);
    let pull = team.pull("a");
    assert!(pull.status.success(), "{}", said(&pull));

    for clone in ["a", "b"] {
        let attendees = team.read(clone, "attendees.csv");
        let expected: BTreeSet<String> = before
            .iter()
            .cloned()
            .chain(["bea", "bee", "zed"].map(String::from))
            .collect();
        assert_eq!(handles(&attendees), expected, "{clone}");
        assert!(attendees.contains("\nbea,Bea Aalders,"), "{attendees}");
        assert!(attendees.contains("\nzed,Zed Zwart,,member,,fri,"), "{attendees}");
        assert!(row(&team.read(clone, "sessions.csv"), "S056,").contains(",fri,15:00,miffy,false,"));
        assert!(team.read(clone, "participants.csv").contains("\nS056,bee,interested\n"));
        team.allhands_ok(clone, &["check"]);
    }
    // Sorted and written as allhands writes it: a change through allhands is a one-line diff.
    let merged = team.read("a", "attendees.csv");
    team.allhands_ok("a", &["edit-attendee", "bee", "--status", "invited"]);
    let (removed, added) = common::line_diff(&merged, &team.read("a", "attendees.csv"));
    assert_eq!((removed.len(), added.len()), (1, 1), "{removed:?} {added:?}");
}

#[test]
fn the_same_record_merges_by_column_and_conflicts_only_on_the_same_column() {
    let team = Team::new();
    // Different columns of one record: clean.
    team.allhands_ok("a", &["edit-attendee", "alice", "--name", "Alice V."]);
    team.commit("a", "a renames alice");
    team.git_ok("a", &["push", "-q"]);
    team.allhands_ok("b", &["edit-attendee", "alice", "--status", "invited"]);
    team.commit("b", "b invites alice");
    assert!(team.lines_conflict(&team.versions("b", "attendees.csv")));
    let pull = team.pull("b");
    assert!(pull.status.success(), "{}", said(&pull));
    assert!(row(&team.read("b", "attendees.csv"), "alice,").starts_with("alice,Alice V.,"));
    assert!(row(&team.read("b", "attendees.csv"), "alice,").ends_with(",invited"));
    team.git_ok("b", &["push", "-q"]);
    team.pull("a");

    // The same column to different values: a conflict on that record only.
    team.allhands_ok("a", &["edit-attendee", "alice", "--name", "Alice Verhoeven"]);
    team.allhands_ok("a", &["add-attendee", "anna", "--name", "Anna A"]);
    team.allhands_ok("a", &["edit-attendee", "bob", "--status", "invited"]);
    team.commit("a", "a");
    team.git_ok("a", &["push", "-q"]);
    team.allhands_ok("b", &["edit-attendee", "alice", "--name", "Alice van Dijk"]);
    team.allhands_ok("b", &["add-attendee", "zora", "--name", "Zora Z"]);
    team.commit("b", "b");
    let before = handles(&team.read("b", "attendees.csv"));

    // The driver itself, as git calls it: non-zero, names the file, key and column.
    let [base, ours, theirs] = team.versions("b", "attendees.csv");
    for (name, content) in [("base", &base), ("ours", &ours), ("theirs", &theirs)] {
        std::fs::write(team.path(name), content).unwrap();
    }
    let driver = team.allhands("", &["merge-file", "base", "ours", "theirs", "data/attendees.csv"]);
    assert_eq!(driver.status.code(), Some(1), "{}", said(&driver));
    let message = text(&driver.stderr);
    assert!(
        message.contains(
            "data/attendees.csv: handle=alice: column name changed on both sides \
             (ours: \"Alice van Dijk\", theirs: \"Alice Verhoeven\")"
        ),
        "{message}"
    );

    let pull = team.pull("b");
    assert_eq!(pull.status.code(), Some(1), "{}", said(&pull));
    assert!(said(&pull).contains("handle=alice: column name"), "{}", said(&pull));
    assert!(
        team.status("b").contains("UU data/attendees.csv"),
        "{}",
        team.status("b")
    );
    let merged = team.read("b", "attendees.csv");
    assert_eq!(merged.matches("<<<<<<< ").count(), 1, "{merged}");
    assert!(
        merged.contains(
            "\n<<<<<<< ours\nalice,Alice van Dijk,alice@example.org,member,lang;types,thu;fri;sat,,,invited\n\
             =======\nalice,Alice Verhoeven,alice@example.org,member,lang;types,thu;fri;sat,,,invited\n\
             >>>>>>> theirs\n"
        ),
        "{merged}"
    );
    // Nothing else lost: every record of both sides, bob's change from a.
    let outside: String = merged
        .lines()
        .filter(|l| !l.starts_with(['<', '=', '>']) && !l.starts_with("alice,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let expected: BTreeSet<String> = before.iter().cloned().chain(["anna".to_string()]).collect();
    let mut got = handles(&outside);
    got.insert("alice".into());
    assert_eq!(got, expected);
    assert!(row(&merged, "bob,").ends_with(",invited"), "{merged}");
    // Only the conflicting record differs from ours, apart from a's changes.
    assert_eq!(merged.lines().count(), ours.lines().count() + 4 + 1);

    // Until it is resolved, allhands says where the conflict is.
    let check = team.allhands("b", &["check"]);
    assert_eq!(check.status.code(), Some(2));
    assert!(
        text(&check.stderr).contains(": an unresolved git merge conflict (<<<<<<< ours ... >>>>>>> theirs)"),
        "{}",
        said(&check)
    );

    // Resolved as the README says: keep one line, delete the other and the markers.
    let resolved: String = merged
        .lines()
        .filter(|l| !l.starts_with(['<', '=', '>']) && !l.starts_with("alice,Alice Verhoeven"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(team.path("b/data/attendees.csv"), resolved).unwrap();
    team.allhands_ok("b", &["check"]);
    team.git_ok("b", &["add", "data/attendees.csv"]);
    team.git_ok("b", &["commit", "-q", "--no-edit"]);
    assert!(row(&team.read("b", "attendees.csv"), "alice,").starts_with("alice,Alice van Dijk,"));
}

#[test]
fn a_record_deleted_on_one_side_and_changed_on_the_other_conflicts() {
    let team = Team::new();
    team.allhands_ok("a", &["remove-attendee", "bob", "--force"]);
    team.commit("a", "a removes bob");
    team.git_ok("a", &["push", "-q"]);
    team.allhands_ok("b", &["edit-attendee", "bob", "--status", "invited"]);
    team.commit("b", "b: bob is invited");
    let pull = team.pull("b");
    assert_ne!(pull.status.code(), Some(0), "{}", said(&pull));
    assert!(
        said(&pull).contains("handle=bob: deleted in theirs, changed in ours (column status)"),
        "{}",
        said(&pull)
    );
    let merged = team.read("b", "attendees.csv");
    assert!(merged.contains("\n<<<<<<< ours\nbob,"), "{merged}");
    assert!(merged.contains(",invited\n=======\n>>>>>>> theirs\n"), "{merged}");
}

#[test]
fn a_double_booking_merges_cleanly_and_the_hook_reports_it() {
    let team = Team::new();
    team.allhands_ok(
        "a",
        &["book", "X1", "--day", "sat", "--at", "14:30", "--room", "amstel"],
    );
    team.commit("a", "a books X1");
    team.git_ok("a", &["push", "-q"]);
    team.allhands_ok(
        "b",
        &["book", "X2", "--day", "sat", "--at", "14:30", "--room", "amstel"],
    );
    team.commit("b", "b books X2");
    assert!(team.lines_conflict(&team.versions("b", "sessions.csv")));
    let pull = team.pull("b");
    let out = said(&pull);
    assert!(pull.status.success(), "{out}");
    assert!(!out.contains("CONFLICT"), "{out}");
    assert!(out.contains("allhands: after this merge, data has problems:"), "{out}");
    assert!(
        out.contains("X1") && out.contains("X2") && out.contains("Amstel"),
        "{out}"
    );
    let check = team.allhands("b", &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let report = text(&check.stdout);
    let room_line = report
        .lines()
        .find(|l| l.contains("X1") && l.contains("X2"))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(out.contains(room_line.trim()), "the hook showed check's report: {out}");
}

#[test]
fn a_version_allhands_cannot_read_is_merged_line_by_line_and_reported() {
    let team = Team {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir(team.path("home")).unwrap();
    let header = "id,name,capacity,features\n";
    let middle = "catharijne,Catharijne,30,\ndomplein,Domplein,12,\n";
    let base = format!("{header}amstel,Amstel,8,\n{middle}dom,Dom,10,\n");
    let ours = format!("{header}amstel,Amstel,9,\n{middle}dom,Dom,10,\n");
    // A spreadsheet typed a word into a number column on their side.
    let theirs = format!("{header}amstel,Amstel,8,\n{middle}dom,Dom,ten,\n");
    for (name, content) in [("base", &base), ("ours", &ours), ("theirs", &theirs)] {
        std::fs::write(team.path(name), content).unwrap();
    }
    let out = team.allhands("", &["merge-file", "base", "ours", "theirs", "data/rooms.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let message = text(&out.stderr);
    assert!(
        message.contains("data/rooms.csv (theirs):5: column capacity: 'ten' is not a capacity"),
        "{message}"
    );
    assert!(
        message.contains("cannot merge data/rooms.csv record by record: merged data/rooms.csv line by line"),
        "{message}"
    );
    // Both sides' changes are in the file, for the organizer to fix.
    assert_eq!(
        std::fs::read_to_string(team.path("ours")).unwrap(),
        format!("{header}amstel,Amstel,9,\n{middle}dom,Dom,ten,\n")
    );
}

#[test]
fn git_setup_works_in_a_subfolder_is_idempotent_and_keeps_an_existing_hook() {
    let team = Team {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir(team.path("home")).unwrap();
    team.git_ok("", &["init", "-q", "-b", "main", "repo"]);
    let hook = team.path("repo/.git/hooks/post-merge");
    std::fs::write(&hook, "#!/bin/sh\necho 'deploying the agenda'\nexit 0\n").unwrap();
    std::fs::create_dir_all(team.path("repo/events/2026")).unwrap();
    std::fs::write(team.path("repo/events/2026/.gitattributes"), "*.pdf binary\n").unwrap();
    // A folder made before git-setup existed: no .gitattributes line of allhands' in it.
    team.allhands_ok(
        "",
        &["generate", "repo/events/2026", "--attendees", "5", "--sessions", "2"],
    );
    std::fs::write(team.path("repo/events/2026/.gitattributes"), "*.pdf binary\n").unwrap();
    for _ in 0..2 {
        let out = team.allhands_ok("repo/events", &["git-setup", "2026"]);
        assert!(
            out.contains(&hook.canonicalize().unwrap().display().to_string()),
            "{out}"
        );
    }
    let hook_text = std::fs::read_to_string(&hook).unwrap();
    assert_eq!(
        hook_text.matches("# >>> allhands check events/2026\n").count(),
        1,
        "{hook_text}"
    );
    assert!(hook_text.starts_with("#!/bin/sh\n# >>> allhands check"), "{hook_text}");
    assert!(
        hook_text.ends_with("echo 'deploying the agenda'\nexit 0\n"),
        "{hook_text}"
    );
    assert!(hook_text.contains("--data-dir 'events/2026' check"), "{hook_text}");
    let attributes = std::fs::read_to_string(team.path("repo/events/2026/.gitattributes")).unwrap();
    assert!(
        attributes.starts_with("*.pdf binary\n/event.csv merge=allhands\n"),
        "{attributes}"
    );
    assert_eq!(attributes.matches("merge=allhands").count(), 9, "{attributes}");
    let driver = team.git_ok("repo", &["config", "merge.allhands.driver"]);
    assert!(driver.ends_with(" merge-file %O %A %B %P\n"), "{driver}");
    let exe = driver.trim().split("' ").next().unwrap().trim_start_matches('\'');
    assert!(Path::new(exe).is_file(), "{driver}");
    // git sees the attribute on the file, from the repository's top.
    let attr = team.git_ok("repo", &["check-attr", "merge", "events/2026/sessions.csv"]);
    assert_eq!(attr, "events/2026/sessions.csv: merge: allhands\n");

    // Outside a repository: a clear message, exit 2.
    team.allhands_ok("", &["generate", "loose", "--attendees", "5", "--sessions", "2"]);
    let out = team.allhands("", &["git-setup", "loose"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("loose is not in a git repository: run `git init`"),
        "{}",
        said(&out)
    );
}

#[test]
fn init_and_generate_keep_an_existing_gitignore() {
    let team = Team {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir(team.path("home")).unwrap();
    for (name, args) in [
        ("made-by-init", vec!["init", "made-by-init"]),
        ("made-by-sample", vec!["init", "made-by-sample", "--sample"]),
        (
            "made-by-generate",
            vec!["generate", "made-by-generate", "--attendees", "3"],
        ),
    ] {
        std::fs::create_dir(team.path(name)).unwrap();
        std::fs::write(team.path(name).join(".gitignore"), "*.bak\n# mine\n.allhands.lock").unwrap();
        let out = team.allhands_ok("", &args);
        assert!(
            out.contains("To share it through git") || name == "made-by-generate",
            "{out}"
        );
        assert_eq!(
            std::fs::read_to_string(team.path(name).join(".gitignore")).unwrap(),
            "*.bak\n# mine\n.allhands.lock\n.allhands.journal\n.*.tmp\n",
            "{name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The property: random edits on both sides of a random event

/// One organizer's edit, on the records as allhands keeps them.
#[derive(Clone, Debug)]
enum Edit {
    Rename(usize, u8),
    Status(usize, u8),
    Teams(usize, u8),
    RemoveAttendee(usize),
    AddAttendee(u8),
    Book(usize, u8),
    Retitle(usize, u8),
    RemoveSession(usize),
    Join(usize, usize),
    Leave(usize),
    /// A column allhands does not know, added by this side.
    Note(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..3u8).prop_map(|(i, v)| Edit::Rename(i, v)),
        (any::<usize>(), 0..4u8).prop_map(|(i, v)| Edit::Status(i, v)),
        (any::<usize>(), 0..3u8).prop_map(|(i, v)| Edit::Teams(i, v)),
        any::<usize>().prop_map(Edit::RemoveAttendee),
        (0..6u8).prop_map(Edit::AddAttendee),
        (any::<usize>(), 0..4u8).prop_map(|(i, v)| Edit::Book(i, v)),
        (any::<usize>(), 0..3u8).prop_map(|(i, v)| Edit::Retitle(i, v)),
        any::<usize>().prop_map(Edit::RemoveSession),
        (any::<usize>(), any::<usize>()).prop_map(|(s, a)| Edit::Join(s, a)),
        any::<usize>().prop_map(Edit::Leave),
        (any::<usize>(), 0..3u8).prop_map(|(i, v)| Edit::Note(i, v)),
    ]
}

fn apply(event: &mut Event, edit: &Edit) {
    let attendees = event.attendees.len().max(1);
    let sessions = event.sessions.len().max(1);
    match *edit {
        Edit::Rename(i, v) => {
            if let Some(a) = event.attendees.get_mut(i % attendees) {
                a.name = format!("Name {v}");
            }
        }
        Edit::Status(i, v) => {
            if let Some(a) = event.attendees.get_mut(i % attendees) {
                a.status = Status::ALL[v as usize % Status::ALL.len()];
            }
        }
        Edit::Teams(i, v) => {
            if let Some(a) = event.attendees.get_mut(i % attendees) {
                a.teams = vec![["lang", "libs", "cargo"][v as usize].to_string()];
            }
        }
        Edit::RemoveAttendee(i) => {
            if !event.attendees.is_empty() {
                event.attendees.remove(i % attendees);
            }
        }
        Edit::AddAttendee(v) => {
            let handle = format!("new-person-{v}");
            if let Some(first) = event.attendees.first().cloned()
                && !event.attendees.iter().any(|a| a.handle == handle)
            {
                event.attendees.push(Attendee {
                    handle,
                    name: format!("New Person {v}"),
                    ..first
                });
            }
        }
        Edit::Book(i, v) => {
            let day = event.days[v as usize % event.days.len()].id.clone();
            let room = event.rooms[v as usize % event.rooms.len()].id.clone();
            if let Some(s) = event.sessions.get_mut(i % sessions) {
                s.day = Some(day);
                s.start = Time::hm(9 + u32::from(v), 0);
                s.room = Some(room);
            }
        }
        Edit::Retitle(i, v) => {
            if let Some(s) = event.sessions.get_mut(i % sessions) {
                s.title = format!("Title {v}");
            }
        }
        Edit::RemoveSession(i) => {
            if !event.sessions.is_empty() {
                event.sessions.remove(i % sessions);
            }
        }
        Edit::Join(s, a) => {
            if let (Some(session), Some(person)) =
                (event.sessions.get(s % sessions), event.attendees.get(a % attendees))
            {
                let tie = Participant {
                    session: session.id.as_str().into(),
                    handle: person.handle.as_str().into(),
                    tie: Tie::Interested,
                    line: 0,
                    extra: Default::default(),
                };
                if !event
                    .participants
                    .iter()
                    .any(|p| p.session == tie.session && p.handle == tie.handle)
                {
                    event.participants.push(tie);
                }
            }
        }
        Edit::Note(i, v) => {
            if let Some(s) = event.sessions.get_mut(i % sessions) {
                s.extra.insert(
                    ["notes", "zulip_topic", "notes"][v as usize].into(),
                    format!("note {v}"),
                );
            }
        }
        Edit::Leave(i) => {
            if !event.participants.is_empty() {
                let n = event.participants.len();
                event.participants.remove(i % n);
            }
        }
    }
}

/// Each data file's text for an event, as allhands writes it.
fn files(event: &Event) -> BTreeMap<&'static str, String> {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    store::create(&data, event).unwrap();
    FILES
        .iter()
        .map(|f| (*f, std::fs::read_to_string(data.join(f)).unwrap()))
        .collect()
}

const KEYS: [(&str, &[&str]); 7] = [
    ("event.csv", &[]),
    ("days.csv", &["day"]),
    ("slots.csv", &["day", "start"]),
    ("attendees.csv", &["handle"]),
    ("rooms.csv", &["id"]),
    ("sessions.csv", &["id"]),
    ("participants.csv", &["session", "handle"]),
];

/// A file's rows by key, as the conflict messages name keys (`handle=alice`).
fn by_key(file: &str, csv: &str) -> BTreeMap<String, common::Row> {
    let key = KEYS.iter().find(|(f, _)| *f == file).unwrap().1;
    common::rows(csv)
        .into_iter()
        .map(|mut row| {
            // A column a file lacks is empty in every row: a side that adds a column changes
            // only the rows it fills in.
            row.retain(|_, value| !value.is_empty());
            let name = if key.is_empty() {
                "the event row".to_string()
            } else {
                key.iter()
                    .map(|c| format!("{c}={}", row[*c]))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            (name, row)
        })
        .collect()
}

/// The merged text with every conflict resolved to one side (`keep_ours`).
fn resolve(merged: &str, keep_ours: bool) -> String {
    let mut out = String::new();
    let mut side = None;
    for line in merged.lines() {
        match line {
            "<<<<<<< ours" => side = Some(true),
            "=======" => side = Some(false),
            ">>>>>>> theirs" => side = None,
            _ if side.is_none_or(|ours| ours == keep_ours) => {
                out += line;
                out += "\n";
            }
            _ => {}
        }
    }
    out
}

fn cell<'a>(row: &'a common::Row, column: &str) -> &'a str {
    row.get(column).map_or("", String::as_str)
}

/// Checks one file's merge against what each side did to each record.
fn check_file(file: &str, [base, ours, theirs]: [&str; 3]) -> Result<(), TestCaseError> {
    let merged = store::merge::merge_file(Path::new(file), base.as_bytes(), ours.as_bytes(), theirs.as_bytes())
        .map_err(|e| TestCaseError::fail(format!("{file}: {e}")))?;
    let text = String::from_utf8(merged.bytes).unwrap();
    let conflicted: BTreeSet<String> = merged.conflicts.iter().map(|c| c.key.clone()).collect();
    prop_assert_eq!(
        text.matches("<<<<<<< ours\n").count(),
        merged.conflicts.len(),
        "every conflict is reported, and only those are marked"
    );
    let (b, o, t) = (by_key(file, base), by_key(file, ours), by_key(file, theirs));
    let (merged_ours, merged_theirs) = (
        by_key(file, &resolve(&text, true)),
        by_key(file, &resolve(&text, false)),
    );
    let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    for key in keys {
        let (bk, ok, tk) = (b.get(key), o.get(key), t.get(key));
        let (mo, mt) = (merged_ours.get(key), merged_theirs.get(key));
        let columns: BTreeSet<&String> = [bk, ok, tk].into_iter().flatten().flat_map(|r| r.keys()).collect();
        let base_cell = |c: &str| bk.map_or("", |r| cell(r, c));
        if conflicted.contains(key) {
            // A real conflict: both sides changed the record, differently.
            prop_assert!(ok != bk && tk != bk && ok != tk, "{file} {key}: conflict without cause");
            prop_assert_eq!(
                mo.is_some(),
                ok.is_some(),
                "{} {}: ours' side of the conflict",
                file,
                key
            );
            prop_assert_eq!(
                mt.is_some(),
                tk.is_some(),
                "{} {}: theirs' side of the conflict",
                file,
                key
            );
            // Each side of the conflict holds every change that side made.
            for (side, kept, name) in [(ok, mo, "ours"), (tk, mt, "theirs")] {
                let (Some(side), Some(kept)) = (side, kept) else {
                    continue;
                };
                for c in columns.iter().filter(|c| cell(side, c) != base_cell(c)) {
                    prop_assert_eq!(cell(kept, c), cell(side, c), "{} {} {}: {}' change", file, key, c, name);
                }
            }
            continue;
        }
        prop_assert_eq!(mo, mt, "{} {}: a clean record is the same on both sides", file, key);
        let expected_present = if ok == tk || tk == bk {
            ok.is_some()
        } else if ok == bk {
            tk.is_some()
        } else {
            prop_assert!(
                ok.is_some() && tk.is_some(),
                "{file} {key}: delete against change not reported"
            );
            true
        };
        prop_assert_eq!(
            mo.is_some(),
            expected_present,
            "{} {}: kept or deleted as the sides say",
            file,
            key
        );
        let Some(kept) = mo else { continue };
        for c in &columns {
            let (base_value, ours_value, theirs_value) = (
                base_cell(c),
                ok.map_or("", |r| cell(r, c)),
                tk.map_or("", |r| cell(r, c)),
            );
            let expected = if ok.is_some() && ours_value != base_value {
                prop_assert!(
                    tk.is_none() || theirs_value == base_value || theirs_value == ours_value,
                    "{file} {key} {c}: both changed, not reported"
                );
                ours_value
            } else if tk.is_some() {
                theirs_value
            } else {
                ours_value
            };
            prop_assert_eq!(cell(kept, c), expected, "{} {} {}", file, key, c);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_merge_keeps_every_record_and_never_drops_a_change_silently(
        seed in 0..1000u64,
        ours_edits in prop::collection::vec(edit(), 0..12),
        theirs_edits in prop::collection::vec(edit(), 0..12),
    ) {
        let spec = Spec { attendees: 12, sessions: 6, rooms: 3, days: 2, slots_per_day: 3, seed };
        let base = generate(&spec);
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        for e in &ours_edits {
            apply(&mut ours, e);
        }
        for e in &theirs_edits {
            apply(&mut theirs, e);
        }
        let (b, o, t) = (files(&base), files(&ours), files(&theirs));
        for file in FILES {
            check_file(file, [&b[file], &o[file], &t[file]])?;
        }
    }
}
