//! Shell completion that knows the data: handles, rooms, sessions, days and teams come from the
//! data folder as the command line names it (clap_complete's dynamic completion, driven by
//! `COMPLETE=bash allhands`; `allhands completions SHELL` prints the line that registers it).

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::model::Event;
use crate::store::Store;

/// The data folder of the command line being completed: its `--data-dir`, else
/// `ALLHANDS_DATA`, else `./data`.
fn data_dir() -> PathBuf {
    let args: Vec<OsString> = std::env::args_os().collect();
    let given = args.iter().enumerate().find_map(|(i, arg)| {
        let text = arg.to_string_lossy();
        match text.strip_prefix("--data-dir=") {
            Some(dir) => Some(PathBuf::from(dir)),
            None if text == "--data-dir" => args.get(i + 1).map(PathBuf::from),
            None => None,
        }
    });
    given
        .or_else(|| std::env::var_os("ALLHANDS_DATA").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("data"))
}

/// Candidates from the event that start with what was typed (without case); none when the
/// folder cannot be read (completion must never print an error into the shell).
fn candidates(current: &OsStr, pick: impl Fn(&Event) -> Vec<(String, String)>) -> Vec<CompletionCandidate> {
    let Some(typed) = current.to_str() else {
        return Vec::new();
    };
    let Ok(event) = Store::open(data_dir()).and_then(|store| store.load()) else {
        return Vec::new();
    };
    let typed = typed.to_lowercase();
    let mut found: Vec<(String, String)> = pick(&event)
        .into_iter()
        .filter(|(value, _)| value.to_lowercase().starts_with(&typed))
        .collect();
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    found
        .into_iter()
        .map(|(value, help)| {
            // Help is shown by the shell: text from the files, so control characters go.
            let help: String = help.chars().filter(|c| !c.is_control()).collect();
            CompletionCandidate::new(value).help(Some(help.into()))
        })
        .collect()
}

pub fn handles() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        candidates(current, |e| {
            e.attendees.iter().map(|a| (a.handle.clone(), a.name.clone())).collect()
        })
    })
}

pub fn rooms() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        candidates(current, |e| {
            e.rooms
                .iter()
                .flat_map(|r| {
                    let help = format!("{}, {} seats", r.name, r.capacity);
                    [(r.id.clone(), help.clone()), (r.name.clone(), help)]
                })
                .collect()
        })
    })
}

pub fn sessions() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        candidates(current, |e| {
            e.sessions.iter().map(|s| (s.id.clone(), s.title.clone())).collect()
        })
    })
}

pub fn days() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        candidates(current, |e| e.days.iter().map(|d| (d.id.clone(), d.label())).collect())
    })
}

pub fn teams() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        candidates(current, |e| {
            e.attendees
                .iter()
                .flat_map(|a| a.teams.iter().map(|t| (t.clone(), "team".to_string())))
                .collect()
        })
    })
}

/// Published version numbers, with when they were published and their note.
pub fn versions() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let (Some(typed), Ok((_, history))) = (
            current.to_str(),
            Store::open(data_dir()).and_then(|store| store.load_with_history()),
        ) else {
            return Vec::new();
        };
        history
            .versions
            .iter()
            .filter(|v| v.number.to_string().starts_with(typed))
            .map(|v| {
                let note: String = v.note.chars().filter(|c| !c.is_control()).collect();
                let help = format!("{} {note}", v.published_at.format("%Y-%m-%d %H:%M UTC"));
                CompletionCandidate::new(v.number.to_string()).help(Some(help.trim_end().to_string().into()))
            })
            .collect()
    })
}
