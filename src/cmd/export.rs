//! `export`: files for others to use, written into a folder.

use super::{Context, site};
use crate::error::Result;

/// Write files for others to use.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands export site site          the venue's static site in ./site")]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// A static site for the venue: timetable, door signs, lobby board
    Site(site::Args),
}

pub fn run(args: Args, ctx: &Context) -> Result<()> {
    match args.what {
        What::Site(site_args) => site::run(site_args, ctx),
    }
}
