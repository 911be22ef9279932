//! The planner on the benchmark events and the stress event, and command latency at stress size.
//!
//!     cargo bench --bench plan            # everything (about a minute)
//!     cargo bench --bench plan -- p160    # only the parts whose name contains "p160"
//!
//! Per planned event: clashes, hard-rule breaks and unplaced sessions as allhands counts them,
//! whether the independent checker `check_plan.py` agrees, wall time and peak memory of the
//! whole `allhands plan` command (the release binary, default options), next to the best known
//! figures. Then each read-only command's time on the stress event as a multiple of simply
//! parsing every CSV file of its folder with the csv crate, and the writes' likewise: the
//! parse timed warm in the bench's own process (the targets' yardstick), and as a process of
//! its own started like a command. The targets are in the README ("Planning").

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use allhands::model::rules;
use allhands::store::Store;

/// The benchmark events (issue 12), and what is known of them: a reference annealer's result
/// in 0.45 s and the best known result.
const BENCHMARK_EVENTS: [(&str, &str, &str); 4] = [
    ("p20", "5", "5"),
    ("p40", "15", "15"),
    ("p80", "11-12", "10"),
    ("p160", "4-9", "1"),
];
/// Where they are: `$ALLHANDS_BENCH_DIR`, or `shared/bench` next to the checkout (or next to
/// the folder of worktrees it is in).
fn bench_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ALLHANDS_BENCH_DIR") {
        return dir.into();
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = repo.join("../shared/bench");
    if near.exists() {
        near
    } else {
        repo.join("../../shared/bench")
    }
}
/// The stress event: `allhands generate` with these options, and today's targets for it.
const STRESS: [&str; 10] = [
    "--attendees",
    "10000",
    "--sessions",
    "3000",
    "--rooms",
    "150",
    "--days",
    "5",
    "--slots",
    "8",
];
const STRESS_CLASHES_BEFORE: &str = "< 1272";

fn allhands(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_allhands"));
    command.arg("--data-dir").arg(dir).env("COLUMNS", "100");
    command
}

/// Runs `command` under `/usr/bin/time` for its peak memory: (wall time, peak MiB, output).
fn measured(command: &mut Command) -> (Duration, Option<f64>, std::process::Output) {
    let timed = Path::new("/usr/bin/time").exists();
    let mut run = if timed {
        let mut run = Command::new("/usr/bin/time");
        run.arg("-f")
            .arg("peak-kb %M")
            .arg(command.get_program())
            .args(command.get_args());
        for (key, value) in command.get_envs() {
            if let Some(value) = value {
                run.env(key, value);
            }
        }
        run
    } else {
        std::mem::replace(command, Command::new("true"))
    };
    let started = Instant::now();
    let output = run.output().expect("run allhands");
    let wall = started.elapsed();
    let peak = String::from_utf8_lossy(&output.stderr)
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak-kb "))
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (wall, peak, output)
}

/// A writable copy of a folder.
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("temp dir");
    for entry in std::fs::read_dir(from).expect("read event folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target).expect("copy");
        let mut permissions = std::fs::metadata(&target).expect("metadata").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(&target, permissions).expect("permissions");
    }
}

/// What `check_plan.py` says: (placed, total, hard-rule breaks, clashes), or why not.
fn independent_check(checker: &Path, dir: &Path) -> Result<(usize, usize, usize, usize), String> {
    let output = Command::new("python3")
        .arg(checker)
        .arg(dir)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().next().unwrap_or_default();
    // "placed 80/80, hard-rule breaks 0, clashes 11"
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [placed, total, broken, clashes] => Ok((placed, total, broken, clashes)),
        _ => Err(format!("unexpected output: {line:?}")),
    }
}

/// Plans a copy of an event with default options and prints one row of the table.
fn plan_row(name: &str, dir: &Path, reference: &str, best: &str, checker: Option<&Path>) {
    let (wall, peak, output) = measured(allhands(dir).arg("plan"));
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{name}: plan failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let event = Store::open(dir).and_then(|s| s.load()).expect("load the planned event");
    let index = rules::Index::new(&event);
    let clashes = rules::clashes_in(&index).len();
    // What the search minimises and `check_plan.py` (and so the reference and best known
    // figures) counts: people away at the time included.
    let all_tied = rules::clashes_counting_away(&index);
    drop(index);
    let hard = rules::all_conflicts(&event).len();
    let unplaced = event.sessions.iter().filter(|s| !s.is_scheduled()).count();
    let agrees = match checker.map(|c| independent_check(c, dir)) {
        None => "no checker".to_string(),
        Some(Err(why)) => why,
        Some(Ok((placed, total, broken, checked))) => {
            if placed + unplaced == total && broken == hard && checked == all_tied {
                "yes".to_string()
            } else {
                format!("NO: placed {placed}/{total}, breaks {broken}, clashes {checked}")
            }
        }
    };
    let peak = peak.map_or("-".into(), |p| format!("{p:.0}"));
    println!(
        "{name:<8} {clashes:>7} {all_tied:>8} {hard:>5} {unplaced:>8} {:>8.0} {peak:>8} | {reference:>9} {best:>5} | {agrees}",
        wall.as_secs_f64() * 1000.0
    );
}

/// Median of `runs` timings.
fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Parsing every CSV file of the folder into records, and nothing else: the floor a command
/// that reads the folder cannot go below. In this process, the median of seven runs (so with
/// the page cache and the allocator warm): the yardstick of the targets.
fn bare_parse(dir: &Path) -> Duration {
    let files = csv_files(dir);
    median((0..7).map(|_| parse_all(&files)).collect())
}

/// The same parse as a process of its own, started cold like a command (this bench binary run
/// again with `ALLHANDS_BENCH_PARSE` set): what a command pays besides its own work.
fn bare_parse_process(dir: &Path) -> Duration {
    median(
        (0..7)
            .map(|_| {
                let started = Instant::now();
                let status = Command::new(std::env::current_exe().expect("the bench binary"))
                    .env(PARSE_ONLY, dir)
                    .status()
                    .expect("run the bare parse");
                assert!(status.success());
                started.elapsed()
            })
            .collect(),
    )
}

/// Set to a folder, the bench binary parses its CSV files once and exits.
const PARSE_ONLY: &str = "ALLHANDS_BENCH_PARSE";

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect()
}

fn parse_all(files: &[PathBuf]) -> Duration {
    let started = Instant::now();
    let mut records = 0usize;
    for file in files {
        let mut reader = csv::Reader::from_path(file).expect("open csv");
        for record in reader.records() {
            records += record.expect("record").len();
        }
    }
    std::hint::black_box(records);
    started.elapsed()
}

/// How many times each command is timed at stress size: a run of a few tens of milliseconds on
/// a shared machine varies by a fifth, so the median of five did too.
const RUNS: usize = 15;

/// Runs a command, which must succeed (or report problems: exit status 1), and times it.
fn run(dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let output = allhands(dir).args(args).output().expect("run allhands");
    let elapsed = started.elapsed();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn main() {
    if let Some(dir) = std::env::var_os(PARSE_ONLY) {
        parse_all(&csv_files(Path::new(&dir)));
        return;
    }
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let temp = tempfile::tempdir().expect("temp dir");
    let bench = bench_dir();
    let checker = bench.join("check_plan.py");
    let checker = checker.exists().then_some(checker.as_path());

    println!("allhands plan, default options (release binary; wall time and peak memory of the whole command)");
    println!("clashes: people there at the time (as `check` counts them); all tied: people away then too (as");
    println!("the search, check_plan.py and the reference and best known figures count them)");
    println!(
        "{:<8} {:>7} {:>8} {:>5} {:>8} {:>8} {:>8} | {:>9} {:>5} | check_plan.py agrees",
        "event", "clashes", "all tied", "hard", "unplaced", "ms", "peak MiB", "ref 0.45s", "best"
    );
    for (name, reference, best) in BENCHMARK_EVENTS {
        let source = bench.join("events").join(name);
        if !wanted(name) {
            continue;
        }
        if !source.exists() {
            println!("{name:<8} (not found: {})", source.display());
            continue;
        }
        let dir = temp.path().join(name);
        copy(&source, &dir);
        plan_row(name, &dir, reference, best, checker);
    }
    if wanted("sample") {
        // The shipped All Hands sample with every unpinned session taken out of the schedule:
        // 162 people, 13 rooms, 61 sessions to place around two pinned plenaries, with team
        // audiences, days and times to keep, a pair kept apart and preferences.
        let dir = temp.path().join("sample");
        copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"), &dir);
        Store::open(&dir)
            .and_then(|store| {
                store.update(|event| {
                    event.sessions.iter_mut().filter(|s| !s.pinned).for_each(|s| s.unbook());
                    Ok(())
                })
            })
            .expect("unbook the sample");
        plan_row("sample", &dir, "-", "-", None);
        println!("(sample: data/ with every unpinned session unbooked; audiences, plenaries and time constraints)");
    }
    if !wanted("stress") {
        return;
    }
    let stress = temp.path().join("stress");
    let output = Command::new(env!("CARGO_BIN_EXE_allhands"))
        .arg("generate")
        .arg(&stress)
        .args(STRESS)
        .output()
        .expect("generate");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    plan_row("stress", &stress, STRESS_CLASHES_BEFORE, "-", checker);
    println!(
        "(stress: allhands generate {}; targets: under 2 s, under 200 MiB)",
        STRESS.join(" ")
    );

    // Commands at stress size, against parsing the same folder's files.
    let parse = bare_parse(&stress);
    let parse_process = bare_parse_process(&stress);
    println!();
    println!(
        "commands on the stress event: median of {RUNS} runs, as a multiple of parsing its CSV files ({:.1} ms \
         in this process; {:.1} ms as a process of its own, started like a command: second column)",
        parse.as_secs_f64() * 1000.0,
        parse_process.as_secs_f64() * 1000.0
    );
    let day = Store::open(&stress).and_then(|s| s.load()).expect("load").days[0]
        .id
        .clone();
    let read_only: [(&str, Vec<&str>); 7] = [
        ("schedule", vec!["schedule"]),
        ("rooms --day", vec!["rooms", "--day", &day]),
        ("free", vec!["free", "--day", &day, "--at", "10:00"]),
        ("now", vec!["now", "--day", &day, "--at", "10:00"]),
        ("check", vec!["check"]),
        ("stats", vec!["stats"]),
        ("attendees", vec!["attendees"]),
    ];
    let ratio = |d: Duration, of: Duration| d.as_secs_f64() / of.as_secs_f64();
    let show = |name: &str, time: Duration, target: u32| {
        println!(
            "  {name:<12} {:>7.1} ms {:>5.1}x {:>5.1}x (target {target}x)",
            time.as_secs_f64() * 1000.0,
            ratio(time, parse),
            ratio(time, parse_process)
        );
    };
    for (name, args) in &read_only {
        show(name, median((0..RUNS).map(|_| run(&stress, args)).collect()), 3);
    }
    let add = (0..RUNS).map(|i| {
        run(
            &stress,
            &["add-attendee", &format!("bench-{i}"), "--name", "Bench Person"],
        )
    });
    show("add-attendee", median(add.collect()), 4);
    let book = (0..RUNS).map(|i| {
        let id = format!("B{i:03}");
        run(&stress, &["add-session", "Bench booking", "--id", &id]);
        run(&stress, &["book", &id, "--day", &day, "--at", "16:00"])
    });
    show("book", median(book.collect()), 4);
}
