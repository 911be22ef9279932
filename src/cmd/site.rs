//! `export site DIR`: the static site for the venue: the timetable, a door sign per room and
//! day, the lobby board, the changelog of published versions, each a self-contained page (a USB
//! stick or GitHub Pages will do), and the calendar feeds (`export feeds`, through
//! [`super::write_feeds`]) in DIR/feeds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{Context, Ui, now_utc, outside_data, write_feeds};
use crate::error::{Error, Result};
use crate::model::selection::{self, Filter};
use crate::model::{Day, Room, publish, rules};
use crate::render::agenda::Agenda;
use crate::render::{FileNames, html, site};

/// Write the static site for the venue into DIR.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands export site site\n  \
    allhands export site /media/usb/allhands\n\n\
    Writes DIR/index.html (the timetable), DIR/now.html (a full-screen now-and-next board for a\n\
    lobby screen, 1920x1080; rehearse a moment with now.html?at=2026-05-22T15:00), DIR/rooms.html\n\
    and DIR/rooms/ROOM-DAY.html (door signs, one A4 page each when printed), DIR/changes.html (the\n\
    published versions and what changed) and, once a version is published, the calendar feeds in\n\
    DIR/feeds (as `allhands export feeds DIR/feeds`). Door signs of rooms or days that no longer\n\
    exist are removed from DIR/rooms.")]
pub struct Args {
    /// The folder to write the site into (made if needed; not inside the data folder)
    pub dir: PathBuf,
}

pub fn run(ui: &Ui, ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.store()?;
    outside_data(&args.dir, store.dir())?;
    let (event, history) = store.load_with_history()?;
    let selection = selection::select(&event, Filter::default());
    let agenda = Agenda::of(&event, &rules::Index::new(&event), &selection);
    let version = publish::version_line(&event, &history, now_utc()?);
    let feeds = history.last().is_some();
    let rooms = event.rooms_largest_first();
    let mut days: Vec<&Day> = event.days.iter().collect();
    days.sort_by_key(|d| d.date);

    let mut links = vec![
        ("now.html", "Now and next"),
        ("rooms.html", "Door signs"),
        ("changes.html", "Changes"),
    ];
    if feeds {
        links.push(("feeds/all.ics", "Calendar (all sessions)"));
    }
    // Door signs at rooms/ROOM-DAY.html, named as the feeds are: safe and never the same twice.
    let mut names = FileNames::default();
    let mut signs: BTreeMap<(&str, &str), PathBuf> = BTreeMap::new();
    for room in &rooms {
        for day in &days {
            let path = names.path_with("rooms", &format!("{}-{}", room.id, day.id), "html");
            signs.insert((room.id.as_str(), day.id.as_str()), path);
        }
    }
    let sign_href = |room: &Room, day: &Day| signs[&(room.id.as_str(), day.id.as_str())].display().to_string();
    let mut pages: Vec<(PathBuf, String)> = vec![
        (PathBuf::from("index.html"), html::page_with_links(&agenda, &links)),
        (PathBuf::from("now.html"), site::board(&agenda, &rooms)),
        (
            PathBuf::from("rooms.html"),
            site::sign_list(&agenda, &rooms, &days, sign_href),
        ),
        (PathBuf::from("changes.html"), site::changelog(&event, &history)),
    ];
    for room in &rooms {
        for day in &days {
            let path = signs[&(room.id.as_str(), day.id.as_str())].clone();
            pages.push((path, site::door_sign(&agenda, room, day, &version)));
        }
    }
    let sign_folder = args.dir.join("rooms");
    std::fs::create_dir_all(&sign_folder).map_err(Error::io(&sign_folder))?;
    for (path, text) in &pages {
        ui.output(Some(&args.dir.join(path)), text.as_bytes())?;
    }
    remove_stale_signs(&sign_folder, &pages)?;
    ui.status(format!(
        "Wrote the site to {}: index.html, now.html, rooms.html, changes.html and {} door signs ({} rooms × {} \
         days). {}",
        args.dir.display(),
        rooms.len() * days.len(),
        rooms.len(),
        days.len(),
        version
    ))?;
    if !feeds {
        return ui.status("No calendar feeds yet: nothing is published (`allhands publish`, then export again).");
    }
    write_feeds(ui, ctx, &args.dir.join("feeds"), false)
}

/// Removes door signs left from rooms or days that are gone, so the folder shows only today's.
fn remove_stale_signs(signs: &Path, pages: &[(PathBuf, String)]) -> Result<()> {
    let current: BTreeSet<&Path> = pages.iter().map(|(p, _)| p.as_path()).collect();
    for entry in std::fs::read_dir(signs).map_err(Error::io(signs))? {
        let path = entry.map_err(Error::io(signs))?.path();
        let relative = Path::new("rooms").join(path.file_name().unwrap_or_default());
        if path.extension().is_some_and(|e| e == "html") && !current.contains(relative.as_path()) {
            std::fs::remove_file(&path).map_err(Error::io(&path))?;
        }
    }
    Ok(())
}
