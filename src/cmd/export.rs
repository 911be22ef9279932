//! `export feeds DIR`: the schedule as a folder of calendar feeds to put on a web server
//! (written by [`super::write_feeds`], which `export site` uses too);
//! `export site DIR` (in `site.rs`): the venue's static site, which includes the feeds.

use std::path::PathBuf;

use super::{Context, Ui};
use crate::error::Result;

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
        What::Feeds(feeds_args) => super::write_feeds(ui, ctx, &feeds_args.dir, feeds_args.personal),
        What::Site(site_args) => super::site::run(ui, ctx, site_args),
    }
}
