//! `import-sessions`: session proposals from a GitHub issue export or a spreadsheet.

use std::path::Path;

use serde_json::json;

use super::{Context, OutputArgs, Ui};
use super::{ImportFile, lines_cell};
use crate::error::{Error, Result};
use crate::import::columns::{Columns, map_columns};
use crate::import::github::{self, Issue, IssueList};
use crate::import::proposal::{self, Action, Outcome};
use crate::model::Event;
use crate::render::{Format, Listing};
use crate::store;

/// Import session proposals: GitHub issues (JSON) or a spreadsheet of proposals (CSV).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    gh issue list --repo rust-lang/all-hands-2026 --state all --limit 1000 \\\n      \
    --json number,title,body,labels,author,url,state > proposals.json\n  \
    allhands import-sessions proposals.json --dry-run\n  \
    allhands import-sessions proposals.csv --map \"Session name=title\"\n\
    \n\
    One session per issue; its source is the issue's link. Read from the text (not <!-- comments -->):\n  \
    duration  the **Duration:** line: 30 min, 1.5 hours, two hours; 1-2 hours: the upper end; a\n            \
    morning / an afternoon / half a day: the block from the day's first slot to lunch (its\n            \
    longest gap between slots starting 11:00-14:30), or from lunch to its last slot; all\n            \
    day: the opening hours; anything else: 60, reported\n  \
    who       the author and @mentioned attendees are required; @rust-lang/lang, T-lang, \"the lang\n            \
    team\" and labels T-lang make the audience; \"plenary\" or \"for everyone\": everyone\n  \
    when      only / not / before / after: hard (days, not before, not after); \"Thu or Fri\": those\n            \
    days; a plain day, morning or afternoon: the preference\n  \
    hardware  projector, TV / screen, whiteboard, video call, conferencing speaker, microphone: the\n            \
    rooms' features; hardware no room has goes to the notes\n\
    A closed issue without the label S-scheduled is withdrawn: skipped, or reported if imported.\n\
    Importing again updates each session by its source: what the issue says wins, everything else the\n\
    organizers set (schedule, people, other fields) stays; every change is listed field by field.\n\
    A spreadsheet (CSV with a header) has columns title, duration, description (any number: who,\n\
    when, hardware), author, source, teams, labels, state, recognised by their headers; --map\n\
    COLUMN=FIELD names one (FIELD: title, duration, description, author, source, teams, labels,\n\
    state, ignore).")]
pub struct Args {
    #[command(flatten)]
    pub input: ImportFile,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let list = read_proposals(&args.input.file, &args.input.maps)?;
    let apply = |event: &mut Event| Ok(proposal::import(event, &list.issues));
    let outcomes = if args.input.dry_run {
        let mut event = ctx.load()?;
        apply(&mut event)?
    } else {
        ctx.store()?.update(apply)?
    };
    ui.listing(
        &args.output,
        report(&outcomes, list.pull_requests, args.input.dry_run, args.output.format()),
    )
}

/// A JSON issue list, or a CSV spreadsheet: by the file's extension, else by its first character.
fn read_proposals(path: &Path, maps: &[String]) -> Result<IssueList> {
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    let looks_like_json = || {
        String::from_utf8_lossy(&bytes)
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .starts_with(['[', '{'])
    };
    let json = match extension.as_deref() {
        Some("json") => true,
        Some("csv") | Some("tsv") | Some("txt") => false,
        _ => bytes.is_empty() || looks_like_json(),
    };
    if !json {
        return read_spreadsheet(path, maps);
    }
    let data_error = |line: Option<u64>, column: Option<String>, message: String| Error::Data {
        file: path.to_path_buf(),
        line,
        column,
        message,
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| data_error(None, None, "is not valid UTF-8 (GitHub exports are UTF-8)".into()))?;
    github::parse(text).map_err(|e| {
        // serde's message ends with the position, which the location already says.
        let message = match e.message.rfind(" at line ") {
            Some(at) if e.line.is_some() => e.message[..at].to_string(),
            _ => e.message,
        };
        data_error(e.line, e.column.map(|c| c.to_string()), message)
    })
}

const FIELDS: [&str; 9] = [
    "title",
    "duration",
    "description",
    "author",
    "source",
    "teams",
    "labels",
    "state",
    "ignore",
];

/// Which field a spreadsheet header means, by the words in it.
fn guess_field(header: &str) -> Option<&'static str> {
    let h = header.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    Some(if has(&["timestamp"]) {
        "ignore"
    } else if has(&["duration", "length", "how long"]) {
        "duration"
    } else if has(&["url", "link", "issue", "source"]) {
        "source"
    } else if has(&["author", "propos", "github", "handle", "username", "contact"]) {
        "author"
    } else if has(&["team"]) {
        "teams"
    } else if has(&["label"]) {
        "labels"
    } else if has(&["state", "status"]) {
        "state"
    } else if has(&[
        "descri",
        "body",
        "detail",
        "abstract",
        "who",
        "when",
        "hardware",
        "notes",
        "constraint",
        "attend",
    ]) {
        "description"
    } else if has(&["title", "topic", "session", "name"]) {
        "title"
    } else {
        return None;
    })
}

const PROPOSAL_COLUMNS: Columns = Columns {
    fields: &FIELDS,
    guess: guess_field,
    needed: &["title"],
};

/// Rows of a proposals spreadsheet as issues: the description columns make the body.
fn read_spreadsheet(path: &Path, maps: &[String]) -> Result<IssueList> {
    let (header, rows) = store::read_foreign_csv(path)?;
    let fields = map_columns(&header, maps, &PROPOSAL_COLUMNS)?;
    let mut list = IssueList::default();
    for (line, cells) in rows {
        let all = |field: &str| -> Vec<&str> {
            fields
                .iter()
                .zip(&cells)
                .filter(|(f, _)| **f == Some(field))
                .map(|(_, c)| c.trim())
                .filter(|c| !c.is_empty())
                .collect()
        };
        let one = |field: &str| all(field).first().copied().unwrap_or("").to_string();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let split = |cell: &str| super::items(&[cell.to_string()]);
        let mut labels: Vec<String> = all("labels").into_iter().flat_map(split).collect();
        labels.extend(all("teams").into_iter().flat_map(split).map(|t| {
            let t = t
                .strip_prefix("T-")
                .or_else(|| t.strip_prefix("t-"))
                .unwrap_or(&t)
                .to_string();
            format!("T-{}", t.replace(' ', "-"))
        }));
        let state = one("state").to_lowercase();
        if state.contains("scheduled") || state.contains("accepted") {
            labels.push("S-scheduled".into());
        }
        list.issues.push(Issue {
            place: format!("line {line}"),
            number: None,
            title: one("title"),
            body: all("description").join("\n"),
            duration: Some(one("duration")),
            labels,
            author: one("author").trim_start_matches('@').to_string(),
            url: one("source"),
            closed: ["closed", "withdrawn", "rejected", "cancel", "declined"]
                .iter()
                .any(|w| state.contains(w)),
        });
    }
    Ok(list)
}

/// The report: a row per proposal (for people, only those with something to say; the
/// footer counts the rest).
fn report(outcomes: &[Outcome], pull_requests: usize, dry_run: bool, format: Format) -> Listing {
    let for_people = matches!(format, Format::Table | Format::Md);
    let mut listing = Listing::new(&["issue", "session", "action", "title", "detail"]).wide("detail");
    listing.row_lines = true;
    listing.empty_message = if outcomes.is_empty() {
        "the file has no proposals".into()
    } else {
        "no changes".into()
    };
    for o in outcomes {
        if for_people && o.action == Action::Unchanged && o.notes.is_empty() {
            continue;
        }
        let detail: Vec<String> = o.notes.iter().map(ToString::to_string).collect();
        listing.push(vec![
            json!(o.place),
            json!(o.session.clone().unwrap_or_default()),
            json!(o.action.as_str()),
            json!(o.title),
            lines_cell(format, &detail),
        ]);
    }
    let count = |action: Action| outcomes.iter().filter(|o| o.action == action).count();
    let changed = count(Action::Added) + count(Action::Updated);
    let mut summary = format!(
        "{}added {}, updated {}, unchanged {}, withdrawn {}, skipped {}",
        if dry_run {
            "dry run, nothing written: would have "
        } else {
            ""
        },
        count(Action::Added),
        count(Action::Updated),
        count(Action::Unchanged),
        count(Action::Withdrawn),
        count(Action::Skipped)
    );
    if pull_requests > 0 {
        summary += &format!("; {pull_requests} pull request(s) left out");
    }
    if changed == 0 {
        summary += "; no changes";
    }
    listing.footer.push(summary);
    if outcomes.iter().any(|o| o.notes.iter().any(|n| n.problem)) {
        listing.footer.push("Lines starting with ! need a look.".into());
    }
    listing
}
