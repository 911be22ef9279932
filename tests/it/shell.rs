//! `completions`, `man`, `stats`, and `--help` of every command.
use crate::common;

use crate::common::Sample;

#[test]
fn completions_for_each_shell_name_the_commands() {
    // bash, zsh and fish register a call back into allhands, which knows the commands and data.
    for shell in ["bash", "zsh", "fish"] {
        let out = common::allhands().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("COMPLETE=") && text.contains(shell), "{shell}: {text}");
    }
    for shell in ["powershell", "elvish"] {
        let out = common::allhands().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        for command in ["add-attendee", "schedule", "import-attendees"] {
            assert!(text.contains(command), "{shell} completions lack {command}");
        }
    }
    let bad = common::allhands().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_with_every_command_and_a_page_per_command() {
    let out = common::allhands().arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH allhands 1"), "{page:.200}");
    assert!(page.contains("add\\-attendee") && page.contains("schedule"));
    let dir = tempfile::tempdir().unwrap();
    let out = common::allhands()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let book = std::fs::read_to_string(dir.path().join("allhands-book.1")).unwrap();
    assert!(
        book.contains(".TH allhands-book 1") && book.contains("\\-\\-room"),
        "{book:.300}"
    );
}

#[test]
fn every_command_has_an_example_in_its_help() {
    let help = common::allhands().arg("--help").output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    let commands: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Command names stand two spaces in; wrapped descriptions further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 25, "{commands:?}");
    for command in commands {
        let out = common::allhands().args([command, "--help"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Example") && text.contains(&format!("allhands {command}")),
            "{command}:\n{text}"
        );
    }
}

#[test]
fn stats_counts_people_rooms_sessions_and_clashes() {
    let sample = Sample::new();
    let json: serde_json::Value = serde_json::from_str(&sample.ok(&["stats", "--format", "json"])).unwrap();
    let get = |section: &str, name: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["section"] == section && r["name"] == name)
            .cloned()
            .unwrap()
    };
    let attendees = sample.read("attendees.csv").lines().count() - 1;
    let confirmed = sample
        .read("attendees.csv")
        .lines()
        .filter(|l| l.ends_with(",confirmed"))
        .count();
    assert_eq!(get("status", "confirmed")["value"], confirmed);
    let statuses: u64 = ["interested", "invited", "confirmed", "declined"]
        .iter()
        .map(|s| get("status", s)["value"].as_u64().unwrap())
        .sum();
    assert_eq!(statuses as usize, attendees);
    assert_eq!(get("sessions", "scheduled")["value"], 54);
    assert_eq!(get("sessions", "not scheduled")["value"], 12);
    // Main Hall on Thursday: S001, 09:30-11:00, of 9 open hours.
    assert_eq!(get("room use thu", "Main Hall")["value"], "1h30");
    assert_eq!(get("room use thu", "Main Hall")["share"], 16.7);
    assert_eq!(get("clashes", "hard-rule conflicts")["value"], 0);
    // Everyone `check --clashes` lists misses a session they want; the worst off misses most.
    let missed: Vec<serde_json::Value> =
        serde_json::from_str(&sample.ok(&["check", "--clashes", "--format", "json"])).unwrap();
    let mut per_person = std::collections::BTreeMap::new();
    for r in &missed {
        *per_person.entry(r["handle"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    assert_eq!(
        get("clashes", "attendees who miss a session they want")["value"],
        per_person.len()
    );
    let most = per_person.values().max().copied().unwrap();
    let worst = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str().unwrap().starts_with("worst off: "))
        .unwrap();
    assert_eq!(worst["value"], most);
    let table = sample.ok(&["stats"]);
    assert!(
        table.contains("Room use on thu") && table.contains("Clashes"),
        "{table}"
    );
}

#[test]
fn every_flag_and_argument_of_every_command_has_help() {
    use clap::CommandFactory;
    let cli = allhands::cmd::Cli::command();
    let mut missing = Vec::new();
    for command in cli.get_subcommands() {
        for arg in command.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{} {}", command.get_name(), arg.get_id()));
            }
        }
    }
    assert!(missing.is_empty(), "no help text: {missing:?}");
}

/// What the shell would offer for the last word of `words` (fish's protocol: value, tab, help).
fn complete(sample: &Sample, words: &[&str]) -> Vec<(String, String)> {
    let data = sample.data.to_string_lossy().to_string();
    let mut args = vec!["--", "allhands", "--data-dir", data.as_str()];
    args.extend_from_slice(words);
    let out = common::allhands().env("COMPLETE", "fish").args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{words:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (value, help) = l.split_once('\t').unwrap_or((l, ""));
            (value.to_string(), help.to_string())
        })
        .collect()
}

#[test]
fn shell_completion_knows_the_data() {
    let sample = Sample::new();
    sample.ok(&[
        "add-attendee",
        "zed-newcomer",
        "--name",
        "Zed Newcomer",
        "--days",
        "thu",
        "--team",
        "lang",
    ]);
    let values = |words: &[&str]| -> Vec<String> { complete(&sample, words).into_iter().map(|c| c.0).collect() };
    assert_eq!(values(&["join", "S001", "zed-n"]), ["zed-newcomer"]);
    assert!(
        complete(&sample, &["schedule", "--attendee", "zed"]).contains(&("zed-newcomer".into(), "Zed Newcomer".into()))
    );
    // Rooms by id and by name; sessions with their title; days; teams.
    let rooms = values(&["book", "S012", "--day", "thu", "--at", "14:00", "--room", "ma"]);
    assert!(
        rooms.contains(&"main".to_string()) && rooms.contains(&"Main Hall".to_string()),
        "{rooms:?}"
    );
    assert!(complete(&sample, &["unbook", "S00"]).contains(&("S002".into(), "Async closures stabilization".into())));
    assert_eq!(values(&["schedule", "--day", "f"]), ["fri"]);
    assert!(values(&["edit-session", "S012", "--audience", "la"]).contains(&"lang".to_string()));
    // Commands still complete, and a folder that cannot be read offers nothing, quietly.
    assert!(values(&["sched"]).contains(&"schedule".to_string()));
    let out = common::allhands()
        .env("COMPLETE", "fish")
        .args(["--", "allhands", "--data-dir", "/nonexistent", "unbook", "S0"])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn bash_completion_script_completes_handles_from_the_data() {
    let sample = Sample::new();
    let script = String::from_utf8(
        common::allhands()
            .args(["completions", "bash"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_allhands"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    // What bash does on TAB after `allhands --data-dir DIR join S001 ali`.
    let data = sample.data.to_string_lossy().to_string();
    let program = format!(
        "{script}\nCOMP_WORDS=(allhands --data-dir {data} join S001 ali); COMP_CWORD=5; COMP_TYPE=9; \
         _clap_complete_allhands allhands ali join; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .env("PATH", path)
        .env_remove("ALLHANDS_DATA")
        .output()
        .expect("bash runs");
    let words = String::from_utf8(out.stdout).unwrap();
    assert!(
        words.lines().any(|w| w.trim() == "alice"),
        "{words}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
