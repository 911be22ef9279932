//! Broken data sets, one per problem, in `tests/broken/NAME/`.
//!
//! Each set holds only the files that differ from the sample `data/` (the test copies the
//! sample to a temp folder and lays the set's files over it), plus:
//!
//! - `status.txt`: the exit status expected (2 a file cannot be loaded, 1 `check` found
//!   problems, 0 clean);
//! - `command.txt` (optional): the command to run, words separated by spaces (default `check`);
//! - `expected.txt`: for status 2 the exact stderr, `{dir}` standing for the data folder; for
//!   status 1 exactly the `FILE:LINE: ...` problem lines `check` must print (in any order, no
//!   more, no fewer); for status 0 lines stdout must contain.
//!
//! One table-driven test runs every set and reports every mismatch at once. Every run must
//! also leave the folder's files byte for byte as they were.

use crate::common;

use allhands::store::FILES;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The files of a set that describe the run rather than overlay the sample.
const META: [&str; 3] = ["expected.txt", "command.txt", "status.txt"];

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sets() -> Vec<PathBuf> {
    let mut sets: Vec<PathBuf> = fs::read_dir(manifest().join("tests/broken"))
        .expect("tests/broken exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sets.sort();
    sets
}

fn name(set: &Path) -> String {
    set.file_name().unwrap().to_string_lossy().into_owned()
}

/// The `FILE:LINE: message [kind]` lines of a `check` report.
fn problem_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|line| line.split_once(':').is_some_and(|(file, _)| FILES.contains(&file)))
        .map(String::from)
        .collect()
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs one set; returns what differs from its expectation (empty when all is well).
fn run_set(set: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let sample = common::Sample::new();
    for entry in fs::read_dir(set).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name().to_string_lossy().into_owned();
        if !META.contains(&file.as_str()) {
            fs::copy(entry.path(), sample.path(&file)).unwrap();
        }
    }
    let status: i32 = read_text(&set.join("status.txt"))
        .trim()
        .parse()
        .expect("status.txt is a number");
    let command = match fs::read_to_string(set.join("command.txt")) {
        Ok(text) => text.trim().to_string(),
        Err(_) => "check".to_string(),
    };
    let args: Vec<&str> = command.split_whitespace().collect();
    let dir = sample.data.display().to_string();
    let expected: Vec<String> = read_text(&set.join("expected.txt"))
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.replace("{dir}", &dir))
        .collect();

    let before = sample.snapshot();
    let output = sample.cmd(&args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let shown = |text: &str| text.replace(&dir, "{dir}");

    if output.status.code() != Some(status) {
        wrong.push(format!(
            "exit status {:?}, expected {status}\n    stderr: {}",
            output.status.code(),
            shown(stderr.trim_end())
        ));
    }
    if stderr.contains("panicked") {
        wrong.push(format!("panicked: {}", shown(&stderr)));
    }
    match status {
        2 => {
            let got: Vec<&str> = stderr.lines().collect();
            if got != expected {
                wrong.push(format!(
                    "stderr differs\n    expected: {}\n    got:      {}",
                    shown(&expected.join("\n              ")),
                    shown(&got.join("\n              "))
                ));
            }
            if !stdout.is_empty() && command == "check" {
                wrong.push(format!("printed a report for data it could not load:\n{stdout}"));
            }
        }
        1 => {
            let mut got = problem_lines(&stdout);
            let mut want = expected.clone();
            got.sort();
            want.sort();
            if got != want {
                let count = |lines: &[String], l: &String| lines.iter().filter(|x| *x == l).count();
                let mut report = String::new();
                let mut all: Vec<&String> = want.iter().chain(&got).collect();
                all.sort();
                all.dedup();
                for line in all {
                    let (printed, expected) = (count(&got, line), count(&want, line));
                    if printed != expected {
                        write!(report, "\n      printed {printed}x, expected {expected}x: {line}").unwrap();
                    }
                }
                wrong.push(format!("check's problem lines differ:{report}"));
            }
            let n = want.len();
            let summary = format!("error: {n} problem{} found", if n == 1 { "" } else { "s" });
            if stderr.trim_end() != summary {
                wrong.push(format!("stderr {:?}, expected {summary:?}", stderr.trim_end()));
            }
        }
        0 => {
            for line in &expected {
                if !stdout.lines().any(|l| l == line) {
                    wrong.push(format!("stdout lacks {line:?}:\n{stdout}"));
                }
            }
            let problems = problem_lines(&stdout);
            if !problems.is_empty() {
                wrong.push(format!("problems reported on clean data: {problems:?}"));
            }
            if !stderr.is_empty() {
                wrong.push(format!("stderr on success: {stderr}"));
            }
        }
        other => panic!("{}: status.txt says {other}", name(set)),
    }
    if sample.snapshot() != before {
        wrong.push("the data folder's files changed".to_string());
    }
    wrong
}

#[test]
fn every_broken_data_set_gives_its_expected_result() {
    let sets = sets();
    assert!(sets.len() >= 40, "only {} data sets found in tests/broken", sets.len());
    let mut report = String::new();
    let mut failed = 0;
    for set in &sets {
        let wrong = run_set(set);
        if !wrong.is_empty() {
            failed += 1;
            writeln!(report, "\n{}:", name(set)).unwrap();
            for w in wrong {
                writeln!(report, "  - {w}").unwrap();
            }
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} broken data sets did not give the expected result:{report}",
        sets.len()
    );
}

/// The sets only make sense against a clean sample: it loads and `check` finds nothing.
#[test]
fn the_sample_itself_is_clean() {
    let sample = common::Sample::new();
    let stdout = sample.ok(&["check"]);
    assert!(problem_lines(&stdout).is_empty(), "{stdout}");
    assert!(
        stdout.contains("0 hard-rule conflicts, 0 integrity problems"),
        "{stdout}"
    );
}

/// Each set is minimal and well-formed: only data files that differ from the sample, a status,
/// an expectation, and a command only when it is not `check`.
#[test]
fn every_data_set_is_minimal_and_complete() {
    let mut wrong = Vec::new();
    for set in sets() {
        let set_name = name(&set);
        let mut overlays = 0;
        for entry in fs::read_dir(&set).unwrap() {
            let file = entry.unwrap().file_name().to_string_lossy().into_owned();
            if META.contains(&file.as_str()) {
                continue;
            }
            if !FILES.contains(&file.as_str()) {
                wrong.push(format!("{set_name}: {file} is not a data file"));
                continue;
            }
            overlays += 1;
            if fs::read(set.join(&file)).unwrap() == fs::read(manifest().join("data").join(&file)).unwrap() {
                wrong.push(format!("{set_name}: {file} is the same as the sample's"));
            }
        }
        if overlays == 0 {
            wrong.push(format!("{set_name}: changes no data file"));
        }
        for needed in ["status.txt", "expected.txt"] {
            if !set.join(needed).is_file() {
                wrong.push(format!("{set_name}: no {needed}"));
            }
        }
        if fs::read_to_string(set.join("expected.txt")).is_ok_and(|t| t.trim().is_empty()) {
            wrong.push(format!("{set_name}: expected.txt is empty"));
        }
        if fs::read_to_string(set.join("command.txt")).is_ok_and(|t| t.trim() == "check") {
            wrong.push(format!("{set_name}: command.txt says the default"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
