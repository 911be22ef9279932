//! `import-interest`: who would like to attend which session, from a form export.

use serde_json::json;

use super::{Context, OutputArgs, Ui};
use super::{ImportFile, lines_cell};
use crate::error::Result;
use crate::import::columns::{Columns, map_columns};
use crate::import::interest::{self, Outcome, Response};
use crate::import::quote;
use crate::model::{Event, Tie};
use crate::render::{Format, Listing};
use crate::store;

/// Import interest in sessions from a form's CSV export (one row per person).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    allhands import-interest interest.csv --dry-run\n  \
    allhands import-interest interest.csv --map \"Your GitHub=handle\" --map \"Pick sessions=sessions\"\n\
    \n\
    The person: a GitHub username or email column (matched to attendees without case). The sessions:\n  \
    - a checkbox column of titles or ids (\"Which sessions would you like to attend?\"; Google Forms\n    \
    joins answers with \", \", and titles with commas are matched whole, the longest first),\n  \
    - a column of sessions they must attend (a header with \"must\" or \"required\"),\n  \
    - or a checkbox grid, a column per session: \"Which sessions? [Polonius roadmap]\" answered\n    \
    Interested / Must attend / empty.\n\
    The ties a form adds are marked `form` in participants.csv's source column: running it again (or\n\
    a later response of the same person) replaces that person's form ties with their latest answers;\n\
    ties set by hand are never changed. \"Must attend\" becomes required only when that breaks no hard\n\
    rule (else interested); a tie that would overfill a booked room is left out. Both are reported,\n\
    as is every person and answer that matches nothing.\n\
    --map COLUMN=FIELD names a column the headers do not make clear (FIELD: handle, email, sessions,\n\
    must, ignore).")]
pub struct Args {
    #[command(flatten)]
    pub input: ImportFile,
    #[command(flatten)]
    pub output: OutputArgs,
}

const FIELDS: [&str; 5] = ["handle", "email", "sessions", "must", "ignore"];

/// Which field a form header means, by the words in it; `grid` for `Question [Session]`.
fn guess_field(header: &str) -> Option<&'static str> {
    let h = header.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    Some(if interest::grid_title(header).is_some() {
        "grid"
    } else if has(&["timestamp"]) {
        "ignore"
    } else if has(&["github", "handle", "username"]) {
        "handle"
    } else if has(&["mail"]) {
        "email"
    } else if has(&["must", "required", "need to attend"]) {
        "must"
    } else if has(&["session", "attend", "interest"]) {
        "sessions"
    } else {
        return None;
    })
}

const FORM_COLUMNS: Columns = Columns {
    fields: &FIELDS,
    guess: guess_field,
    needed: &["handle|email", "sessions|must|grid"],
};

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let (header, rows) = store::read_foreign_csv(&args.input.file)?;
    let fields = map_columns(&header, &args.input.maps, &FORM_COLUMNS)?;
    let apply = |event: &mut Event| -> Result<(Vec<Outcome>, Vec<String>)> {
        // Grid columns name their session in the header: resolve each once.
        let mut problems = Vec::new();
        let grid: Vec<(usize, String)> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| **f == Some("grid"))
            .filter_map(|(i, _)| {
                let title = interest::grid_title(&header[i]).unwrap_or_default();
                match interest::find_session(event, title) {
                    Some(s) => Some((i, s.id.clone())),
                    None => {
                        problems.push(format!(
                            "! column {}: no session titled {}",
                            quote(&header[i]),
                            quote(title)
                        ));
                        None
                    }
                }
            })
            .collect();
        let responses: Vec<Response> = rows
            .iter()
            .map(|(line, cells)| {
                let cell = |i: usize| cells.get(i).map_or("", String::as_str);
                let first = |field: &str| {
                    fields
                        .iter()
                        .position(|f| *f == Some(field))
                        .map_or(String::new(), |i| cell(i).trim().to_string())
                };
                let mut response = Response {
                    line: *line,
                    handle: first("handle"),
                    email: first("email"),
                    ..Response::default()
                };
                for (i, field) in fields.iter().enumerate() {
                    let tie = match field {
                        Some("sessions") => Tie::Interested,
                        Some("must") => Tie::Required,
                        _ => continue,
                    };
                    let (found, unmatched) = interest::match_list(cell(i), &event.sessions);
                    response
                        .wanted
                        .extend(found.into_iter().map(|id| (id.to_string(), tie)));
                    response.unmatched.extend(unmatched);
                }
                for (i, id) in &grid {
                    if let Some(tie) = interest::grid_answer(cell(*i)) {
                        response.wanted.push((id.clone(), tie));
                    }
                }
                response
            })
            .collect();
        Ok((interest::apply(event, &responses), problems))
    };
    let (outcomes, problems) = if args.input.dry_run {
        let mut event = ctx.load()?;
        apply(&mut event)?
    } else {
        ctx.store()?.update(apply)?
    };
    ui.listing(
        &args.output,
        report(&outcomes, &problems, args.input.dry_run, args.output.format()),
    )
}

fn report(outcomes: &[Outcome], problems: &[String], dry_run: bool, format: Format) -> Listing {
    let mut listing = Listing::new(&["line", "handle", "added", "removed", "detail"])
        .align_right(&["line"])
        .wide("detail");
    listing.row_lines = true;
    listing.empty_message = "the form has no responses".into();
    for o in outcomes {
        let detail: Vec<String> = o.notes.iter().map(ToString::to_string).collect();
        listing.push(vec![
            json!(o.line),
            json!(o.handle),
            lines_cell(format, &o.added),
            lines_cell(format, &o.removed),
            lines_cell(format, &detail),
        ]);
    }
    let people = outcomes.iter().filter(|o| !o.handle.is_empty()).count();
    let unknown = outcomes.len() - people;
    let added: usize = outcomes.iter().map(|o| o.added.len()).sum();
    let removed: usize = outcomes.iter().map(|o| o.removed.len()).sum();
    let unchanged: usize = outcomes.iter().map(|o| o.unchanged).sum();
    let unmatched = outcomes
        .iter()
        .flat_map(|o| &o.notes)
        .filter(|n| n.text.starts_with("no session matches"))
        .count();
    listing.footer.extend(problems.iter().cloned());
    listing.footer.push(format!(
        "{}{people} responses from attendees, {unknown} from unknown people; ties added {added}, removed {removed}, \
         unchanged {unchanged}; answers matching no session {unmatched}",
        if dry_run { "dry run, nothing written: " } else { "" }
    ));
    listing
}
