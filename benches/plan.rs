//! Planner quality and speed, and command latency, on generated events of three sizes.
//!
//!     cargo bench --bench plan              # all sizes (the stress size takes a few minutes)
//!     cargo bench --bench plan -- allhands  # only the sizes whose name contains "allhands"
//!
//! Prints a table; the targets are in the README ("Planning").

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use allhands::model::{Event, rules};
use allhands::plan::generate::{Spec, generate};
use allhands::plan::{Options, plan};

struct Size {
    name: &'static str,
    spec: Spec,
}

fn sizes() -> Vec<Size> {
    let spec = |attendees, sessions, rooms, days, slots_per_day| Spec {
        attendees,
        sessions,
        rooms,
        days,
        slots_per_day,
        seed: 1,
    };
    vec![
        Size {
            name: "allhands-20",
            spec: spec(150, 20, 10, 3, 6),
        },
        Size {
            name: "allhands-40",
            spec: spec(150, 40, 10, 3, 6),
        },
        Size {
            name: "allhands-60",
            spec: spec(150, 60, 10, 3, 6),
        },
        Size {
            name: "allhands-80",
            spec: spec(150, 80, 10, 3, 6),
        },
        Size {
            name: "allhands-160",
            spec: spec(150, 160, 10, 3, 6),
        },
        Size {
            name: "conference",
            spec: spec(1500, 600, 40, 3, 8),
        },
        Size {
            name: "stress",
            spec: spec(10_000, 3000, 150, 5, 8),
        },
    ]
}

fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Median wall time of running the built binary with `args` on `dir`, over `runs` runs.
fn latency(dir: &Path, args: &[&str], runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_allhands"))
                .arg("--data-dir")
                .arg(dir)
                .args(args)
                .env("COLUMNS", "100")
                .output()
                .expect("run allhands")
                .status;
            assert!(status.code().is_some_and(|c| c <= 1), "{args:?} failed");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    println!(
        "{:<13} {:>6} {:>5} {:>5} | {:>8} {:>5} {:>7} {:>8} | {:>9} {:>9} | {:>8} {:>8} {:>8} {:>8} | {:>7}",
        "size",
        "people",
        "sess",
        "rooms",
        "plan ms",
        "hard",
        "clashes",
        "unplaced",
        "20x ms",
        "20x clash",
        "schedule",
        "rooms",
        "check",
        "add-att",
        "peak MiB"
    );
    for size in sizes() {
        if !filter.is_empty() && !filter.iter().any(|f| size.name.contains(f.as_str())) {
            continue;
        }
        let event = generate(&size.spec);
        let started = Instant::now();
        let outcome = plan(&event, &Options::default());
        let plan_time = started.elapsed();
        let mut after = event.clone();
        outcome.apply(&mut after);
        let hard = rules::all_conflicts(&after).len();
        // Convergence: does a 20 times longer search still pay off?
        let (long_time, long_clashes) = if size.name.starts_with("allhands") {
            let limit = (plan_time * 20).max(Duration::from_millis(20));
            let long = plan(
                &event,
                &Options {
                    time_limit: Some(limit),
                    ..Options::default()
                },
            );
            (ms(limit), long.clashes_after.to_string())
        } else {
            ("-".into(), "-".into())
        };
        let peak = peak_memory_mib();
        let (schedule, rooms, check, add) = command_latency(&after);
        println!(
            "{:<13} {:>6} {:>5} {:>5} | {:>8} {:>5} {:>7} {:>8} | {:>9} {:>9} | {:>8} {:>8} {:>8} {:>8} | {:>7.0}",
            size.name,
            size.spec.attendees,
            size.spec.sessions,
            size.spec.rooms,
            ms(plan_time),
            hard,
            outcome.clashes_after,
            outcome.unplaced.len(),
            long_time,
            long_clashes,
            schedule,
            rooms,
            check,
            add,
            peak
        );
    }
    println!("latencies: median ms of 5 runs of the release binary on the planned event");
}

fn command_latency(event: &Event) -> (String, String, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    allhands::store::create(&data, event).expect("write event");
    let schedule = latency(&data, &["schedule", "--format", "csv"], 5);
    let rooms = latency(&data, &["rooms", "--day", "thu"], 5);
    let check = latency(&data, &["check"], 5);
    let mut n = 0;
    let add = {
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                n += 1;
                let handle = format!("bench-{n}");
                let started = Instant::now();
                let out = Command::new(env!("CARGO_BIN_EXE_allhands"))
                    .arg("--data-dir")
                    .arg(&data)
                    .args(["add-attendee", &handle, "--name", "Bench Person"])
                    .output()
                    .expect("run allhands");
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                started.elapsed()
            })
            .collect();
        times.sort();
        times[2]
    };
    (ms(schedule), ms(rooms), ms(check), ms(add))
}
