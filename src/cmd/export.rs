//! `export feeds DIR`: the schedule as a folder of calendar feeds to put on a web server;
//! `export site DIR` (in `site.rs`): the venue's static site, which includes the feeds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Context, Ui, calendar_stamp, outside_data, schedule};
use crate::error::{Error, Result};
use crate::model::publish::{self, Schedule};
use crate::model::{Status, rules};

/// Write files for others to use.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  allhands export feeds site/feeds     calendar feeds for a web server\n  \
    allhands export site site            the venue's static site (with the feeds) in ./site"
)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Calendar feeds (.ics) to serve from any web server: all.ics, one per room, one per team
    Feeds(FeedsArgs),
    /// A static site for the venue: timetable, door signs, lobby board, changes, feeds
    Site(super::site::Args),
}

/// Write subscribable calendar feeds into DIR.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands export feeds site/feeds\n  \
    allhands export feeds site/feeds --personal     also people/HANDLE.ics for every attendee\n\n\
    Writes DIR/all.ics, DIR/rooms/ROOM.ics and DIR/teams/TEAM.ics (and with --personal\n\
    DIR/people/HANDLE.ics). Serve DIR with any static web server or GitHub Pages; calendars\n\
    subscribe to webcal://HOST/PATH/all.ics and fetch it again every hour. Publish first\n\
    (`allhands publish`): each event's SEQUENCE and cancelled sessions come from the published\n\
    versions. The same data always gives the same bytes; files that would not change are not\n\
    rewritten.")]
pub struct FeedsArgs {
    /// The folder to write the feeds into (made if needed; not inside the data folder)
    pub dir: PathBuf,
    /// Also write one feed per attendee, named by handle (off by default: who attends what
    /// may be private)
    #[arg(long)]
    pub personal: bool,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    match args.what {
        What::Feeds(feeds_args) => feeds(ui, ctx, feeds_args),
        What::Site(site_args) => super::site::run(ui, ctx, site_args),
    }
}

pub fn feeds(ui: &Ui, ctx: &Context, args: FeedsArgs) -> Result<()> {
    let store = ctx.store()?;
    let folders = ["", "rooms", "teams", "people"].map(|f| args.dir.join(f));
    for folder in &folders {
        outside_data(folder, store.dir())?;
    }
    let (event, history) = store.load_with_history()?;
    let Some(last) = history.last() else {
        return Err(Error::refused(
            "nothing is published yet: `allhands publish` first, so that subscribed calendars get versions they \
             can update from",
        ));
    };
    let stamp = calendar_stamp(&history)?;
    let current = Schedule::current(&event);
    let revisions = publish::calendar_history(&history, &current, stamp);
    let unpublished = publish::changes(&history.schedule(last.number), &current).len();

    let filter = |room: Option<&str>, team: Option<&str>, attendee: Option<&str>| schedule::Args {
        day: None,
        attendee: attendee.map(String::from),
        room: room.map(String::from),
        team: team.map(String::from),
        format: schedule::ScheduleFormat::Ics,
        ..schedule::Args::everything()
    };
    let mut feeds: Vec<(PathBuf, schedule::Args)> = vec![(PathBuf::from("all.ics"), filter(None, None, None))];
    let mut names = FileNames::default();
    for room in &event.rooms {
        feeds.push((names.path("rooms", &room.id), filter(Some(&room.id), None, None)));
    }
    // Teams with sessions now, and teams whose last session was cancelled: their subscribers
    // still need the cancellation.
    let teams: BTreeSet<&str> = event
        .sessions
        .iter()
        .map(|s| s.team.as_str())
        .chain(revisions.withdrawn.iter().map(|w| w.entry.team.as_str()))
        .filter(|t| !t.is_empty())
        .collect();
    for team in &teams {
        feeds.push((names.path("teams", team), filter(None, Some(team), None)));
    }
    if args.personal {
        for person in event.attendees.iter().filter(|a| a.status != Status::Declined) {
            feeds.push((
                names.path("people", &person.handle),
                filter(None, None, Some(&person.handle)),
            ));
        }
    }

    let index = rules::Index::new(&event);
    let (mut written, mut unchanged) = (0, 0);
    for (path, filter) in &feeds {
        let selection = match &filter.team {
            // `select` refuses a team without sessions; its feed has only cancellations.
            Some(team) if !event.sessions.iter().any(|s| s.team == *team) => schedule::Selection {
                sessions: Vec::new(),
                person: None,
                ties: Default::default(),
                day: None,
                room: None,
                team: Some(team.clone()),
            },
            _ => schedule::select(&event, filter)?,
        };
        let text = schedule::calendar(&event, &index, &selection, &revisions, stamp);
        let path = args.dir.join(path);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        ui.output(Some(&path), text.as_bytes())?;
        written += 1;
    }
    let personal = if args.personal {
        format!(", {} people", feeds.len() - 1 - event.rooms.len() - teams.len())
    } else {
        String::new()
    };
    ui.status(format!(
        "{} feeds in {} ({written} written, {unchanged} unchanged): all.ics, {} rooms, {} teams{personal}; \
         events as of version {}.",
        feeds.len(),
        args.dir.display(),
        event.rooms.len(),
        teams.len(),
        last.number
    ))?;
    // Feeds written before that this export no longer writes (a room removed, say) would go
    // stale on the server: say so, but leave them (the folder may hold other files).
    let wanted: BTreeSet<PathBuf> = feeds.iter().map(|(path, _)| args.dir.join(path)).collect();
    let mut stale: Vec<String> = Vec::new();
    for folder in &folders[1..] {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ics") && !wanted.contains(&path) {
                stale.push(path.display().to_string());
            }
        }
    }
    stale.sort();
    if !stale.is_empty() {
        let shown = match stale.len() {
            n if n > 3 => format!("{} and {} more feeds are", stale[..3].join(", "), n - 3),
            1 => format!("{} is", stale[0]),
            _ => format!("{} are", stale.join(", ")),
        };
        ui.status(format!(
            "Note: {shown} no longer written (no room, team or person of that name, or no --personal); \
             remove them from the server if no one should subscribe any more."
        ))?;
    }
    if unpublished > 0 {
        ui.status(format!(
            "Note: {unpublished} change{} since version {} {} not published yet but already in the feeds; \
             `allhands publish` records {}.",
            if unpublished == 1 { "" } else { "s" },
            last.number,
            if unpublished == 1 { "is" } else { "are" },
            if unpublished == 1 { "it" } else { "them" },
        ))?;
    }
    Ok(())
}

/// File names for feeds (and door signs) named after ids: only letters, digits, `-` and `_` (an
/// id such as `../x` must not leave the folder), each name used once per folder.
#[derive(Default)]
pub struct FileNames {
    used: BTreeSet<PathBuf>,
}

impl FileNames {
    /// `FOLDER/ID.ics`, made safe and unique.
    fn path(&mut self, folder: &str, id: &str) -> PathBuf {
        self.path_with(folder, id, "ics")
    }

    /// `FOLDER/ID.EXTENSION`, made safe and unique.
    pub fn path_with(&mut self, folder: &str, id: &str, extension: &str) -> PathBuf {
        let safe: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = if safe.is_empty() { "_".to_string() } else { safe };
        let mut candidate = Path::new(folder).join(format!("{safe}.{extension}"));
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = Path::new(folder).join(format!("{safe}-{n}.{extension}"));
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_in_their_folder_and_never_repeat() {
        let mut names = FileNames::default();
        assert_eq!(
            names.path("rooms", "../etc/passwd"),
            Path::new("rooms/___etc_passwd.ics")
        );
        assert_eq!(
            names.path_with("rooms", "zaal-é", "html"),
            Path::new("rooms/zaal-_.html")
        );
        assert_eq!(
            names.path_with("rooms", "zaal-è", "html"),
            Path::new("rooms/zaal-_-2.html")
        );
        assert_eq!(names.path("teams", ""), Path::new("teams/_.ics"));
    }
}
