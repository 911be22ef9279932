//! `check`: every hard-rule break and integrity problem, and the soft figures.

use serde_json::{Value, json};

use super::{Context, OutputArgs, Ui};
use crate::error::{Error, Result};
use crate::model::{Event, integrity, rules};
use crate::render::{Format, Listing};
use crate::store::Parts;

/// List every conflict and integrity problem; exit status 1 when there is any.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands check\n  allhands check --format json     for an organizers' own CI\n\n\
    Exit status: 0 no problems, 1 problems found, 2 a file could not be read."
)]
pub struct Args {
    /// List, for every person, the sessions they miss and why (a clash, or not being there)
    #[arg(long)]
    pub clashes: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One line of the report.
struct Finding {
    severity: &'static str,
    kind: String,
    file: &'static str,
    line: u64,
    session: Option<String>,
    handle: Option<String>,
    message: String,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let event = ctx.load_to_read(Parts::ALL)?;
    if args.clashes {
        return ui.listing(&args.output, missed_listing(event));
    }
    // One index for the hard rules and the soft figures, found side by side: at 10,000 people
    // each takes a few milliseconds (splitting the soft figures further saved nothing).
    let index = rules::Index::new(event);
    let (soft, findings) = crate::parallel::join_if(
        rules::worth_two_cores(event),
        || SoftFigures::of(event, &index),
        || findings(&index, integrity::problems_in(&index), rules::all_conflicts_in(&index)),
    );
    let problems = findings.len();
    if args.output.format() == Format::Table {
        let width = ui.terminal(args.output.output.as_deref()).width;
        let text = report(&findings, &soft, width);
        ui.output(args.output.output.as_deref(), crate::render::visible(&text).as_bytes())?;
    } else {
        ui.listing(&args.output, listing(&findings, &soft, args.output.for_people()))?;
    }
    if problems > 0 {
        return Err(Error::Problems {
            summary: Some(format!(
                "{problems} problem{} found",
                if problems == 1 { "" } else { "s" }
            )),
        });
    }
    Ok(())
}

fn findings(
    index: &rules::Index<'_>,
    integrity: Vec<integrity::Problem>,
    conflicts: Vec<rules::Conflict>,
) -> Vec<Finding> {
    let mut all: Vec<Finding> = integrity
        .into_iter()
        .map(|p| Finding {
            severity: "integrity",
            kind: p.kind.to_string(),
            file: p.file,
            line: p.line,
            session: None,
            handle: None,
            message: p.message,
        })
        .collect();
    for c in conflicts {
        // With a repeated id the first row is the session (as everywhere else).
        let session = index.session(&c.session);
        let place = session.and_then(|s| s.placement());
        // Say which session, unless the message already does.
        let prefix = place
            .filter(|_| !c.message.contains(&format!("{} '", c.session)))
            .map(|p| format!("{} ({} {}): ", c.session, p.day, p.span))
            .unwrap_or_default();
        all.push(Finding {
            severity: "hard",
            kind: serde_json::to_value(c.rule)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            file: "sessions.csv",
            line: session.map_or(0, |s| s.line),
            session: Some(c.session.clone()),
            handle: c.handle.clone(),
            message: format!("{prefix}{}", c.message),
        });
    }
    all.sort_by(|a, b| (a.file, a.line).cmp(&(b.file, b.line)));
    all
}

/// The soft figures: clashes, who has them, who has most, what is unscheduled.
struct SoftFigures<'a> {
    clashes: Vec<rules::Clash>,
    /// How many people have a clash, and who has most.
    clashed: usize,
    worst: Option<(String, usize)>,
    /// Each as (id, `S012 'Const traits'` for people).
    unscheduled: Vec<(String, String)>,
    /// People who want a session at a time they are not there.
    away: Vec<rules::Away<'a>>,
    /// Scheduled sessions whose preference is not met, with the preference.
    unmet: Vec<(String, String)>,
}

impl<'a> SoftFigures<'a> {
    fn of(event: &'a Event, index: &rules::Index<'a>) -> SoftFigures<'a> {
        let (clashes, away) = rules::missed(index);
        let unmet = rules::preferences_unmet(event)
            .into_iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.prefer.as_ref().map(ToString::to_string).unwrap_or_default(),
                )
            })
            .collect();
        let unscheduled = event
            .sessions
            .iter()
            .filter(|s| !s.is_scheduled())
            .map(|s| (s.id.clone(), s.label()))
            .collect();
        let clashed = Runs::of(clashes.iter().map(|c| c.handle.as_str()));
        SoftFigures {
            clashed: clashed.people,
            worst: clashed.most.map(|(who, n)| (who.to_string(), n)),
            clashes,
            unscheduled,
            away,
            unmet,
        }
    }

    fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "clashes: {} (someone tied to two sessions at once), affecting {} attendees",
            self.clashes.len(),
            self.clashed
        )];
        if let Some((who, n)) = &self.worst {
            // Name the sessions, so the worst-off person's case can be looked at at once.
            let pairs: Vec<String> = self
                .clashes
                .iter()
                .filter(|c| &c.handle == who)
                .map(|c| format!("{} & {}", c.first, c.second))
                .collect();
            lines.push(format!("worst off: {who} with {n} clashes ({})", pairs.join(", ")));
        }
        lines.push(format!(
            "missed for being away: {} (wanted when they are not there), affecting {} attendees",
            self.away.len(),
            Runs::of(self.away.iter().map(|a| a.handle())).people
        ));
        let unmet: Vec<String> = self.unmet.iter().map(|(id, want)| format!("{id} ({want})")).collect();
        lines.push(format!(
            "preferences not met: {}{}",
            unmet.len(),
            if unmet.is_empty() {
                String::new()
            } else {
                format!(": {}", unmet.join(", "))
            }
        ));
        lines.push(format!(
            "unscheduled sessions: {}{}",
            self.unscheduled.len(),
            if self.unscheduled.is_empty() { "" } else { ":" }
        ));
        lines.extend(self.unscheduled.iter().map(|(_, label)| format!("  {label}")));
        lines
    }
}

/// How many people a list sorted by handle names, and who is named most often (of equals,
/// the first by handle): counted over runs of one handle, with no map of handles.
pub(super) struct Runs<'s> {
    pub people: usize,
    pub most: Option<(&'s str, usize)>,
}

impl<'s> Runs<'s> {
    pub fn of(sorted: impl Iterator<Item = &'s str>) -> Runs<'s> {
        let mut runs = Runs { people: 0, most: None };
        let mut run: Option<(&str, usize)> = None;
        for handle in sorted {
            match &mut run {
                Some((who, n)) if *who == handle => *n += 1,
                _ => {
                    runs.close(run);
                    run = Some((handle, 1));
                }
            }
        }
        runs.close(run);
        runs
    }

    fn close(&mut self, run: Option<(&'s str, usize)>) {
        if let Some((who, n)) = run {
            self.people += 1;
            if self.most.is_none_or(|(_, most)| n > most) {
                self.most = Some((who, n));
            }
        }
    }
}

/// The people's report: `FILE:LINE: message`, one per line, then the soft figures.
fn report(findings: &[Finding], soft: &SoftFigures, width: u16) -> String {
    let mut out = String::new();
    for f in findings {
        let place = if f.line > 0 {
            format!("{}:{}", f.file, f.line)
        } else {
            f.file.to_string()
        };
        out += &format!("{place}: {} [{}]\n", f.message, f.kind);
    }
    let hard = findings.iter().filter(|f| f.severity == "hard").count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    out += &format!(
        "{}{}, {}\n",
        if findings.is_empty() { "" } else { "\n" },
        plural(hard, "hard-rule conflict"),
        plural(findings.len() - hard, "integrity problem")
    );
    // Problem lines stay whole (one per line, for grep); the figures fit the terminal.
    for line in soft.summary() {
        out += &crate::render::wrap(&line, usize::from(width));
        out.push('\n');
    }
    out
}

/// The machine-readable list: every finding, then (for programs) every clash.
fn listing(findings: &[Finding], soft: &SoftFigures, for_people: bool) -> Listing {
    let mut listing = Listing::new(&["severity", "kind", "file", "line", "session", "handle", "message"]);
    listing.empty_message = "no hard-rule conflicts or integrity problems".into();
    let opt = |v: &Option<String>| v.as_ref().map_or(Value::Null, |s| json!(s));
    for f in findings {
        listing.push(vec![
            json!(f.severity),
            json!(f.kind),
            json!(f.file),
            if f.line > 0 { json!(f.line) } else { Value::Null },
            opt(&f.session),
            opt(&f.handle),
            json!(f.message),
        ]);
    }
    if for_people {
        listing.footer = soft.summary();
    } else {
        for c in &soft.clashes {
            listing.push(vec![
                json!("soft"),
                json!("clash"),
                Value::Null,
                Value::Null,
                json!(format!("{};{}", c.first, c.second)),
                json!(c.handle),
                json!(format!(
                    "{} is tied to both {} and {}, which overlap",
                    c.handle, c.first, c.second
                )),
            ]);
        }
        for a in &soft.away {
            listing.push(vec![
                json!("soft"),
                json!("away"),
                Value::Null,
                Value::Null,
                json!(a.session.id),
                json!(a.handle()),
                json!(format!("{} misses {}: {}", a.handle(), a.session.id, a.reason())),
            ]);
        }
        for (id, want) in &soft.unmet {
            listing.push(vec![
                json!("soft"),
                json!("preference"),
                Value::Null,
                Value::Null,
                json!(id),
                Value::Null,
                json!(format!("{id} would rather be in the {want}")),
            ]);
        }
        for (id, _) in &soft.unscheduled {
            listing.push(vec![
                json!("soft"),
                json!("unscheduled"),
                Value::Null,
                Value::Null,
                json!(id),
                Value::Null,
                json!(format!("{id} is not scheduled")),
            ]);
        }
    }
    listing
}

/// `check --clashes`: every session someone misses, per person: which session they miss, by
/// which other session (or because they are not there), and how they are tied to each.
fn missed_listing(event: &Event) -> Listing {
    let index = rules::Index::new(event);
    let (clashes, away) = rules::missed(&index);
    let mut rows: Vec<(String, String, String, String, String)> = Vec::new();
    for c in clashes {
        rows.push((
            c.handle.clone(),
            c.first.clone(),
            c.first_tie.as_str().into(),
            c.second.clone(),
            c.second_tie.as_str().into(),
        ));
    }
    for a in away {
        rows.push((
            a.handle().into(),
            a.session.id.clone(),
            a.tie.as_str().into(),
            String::new(),
            a.reason().to_string(),
        ));
    }
    rows.sort();
    let mut listing = Listing::new(&["handle", "session", "tie", "clashes_with", "other_tie_or_reason"]);
    listing.empty_message = "nobody misses a session".into();
    for (handle, session, tie, other, why) in &rows {
        let title = |id: &str| index.session(id).map_or(String::new(), |s| s.title.clone());
        listing.push(vec![
            json!(handle),
            json!(format!("{session} {}", title(session)).trim_end()),
            json!(tie),
            if other.is_empty() {
                Value::Null
            } else {
                json!(format!("{other} {}", title(other)).trim_end())
            },
            json!(why),
        ]);
    }
    let people: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    listing.footer = vec![format!("{} missed sessions, {} people", rows.len(), people.len())];
    listing
}
