//! `merge-file` (git's merge driver for the data files) and `git-setup` (which makes git use
//! it, and checks the data after every merge).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Context, Ui};
use crate::error::{Error, Result};
use crate::store::{self, Store};

/// Merge three versions of a data file record by record (git's merge driver for allhands).
///
/// git runs this for the data files once `allhands git-setup` has configured it; the result goes
/// to OURS. Exit status 1 when records conflict (they are written between conflict markers),
/// 2 when a version cannot be read (the file is then merged line by line by `git merge-file`).
#[derive(Debug, clap::Args)]
#[command(after_help = "Example (what git runs):\n  \
    allhands merge-file .merge_file_base .merge_file_ours .merge_file_theirs data/attendees.csv")]
pub struct MergeFileArgs {
    /// The common ancestor's version (git's %O)
    pub base: PathBuf,
    /// Our version; the merged result is written here (git's %A)
    pub ours: PathBuf,
    /// Their version (git's %B)
    pub theirs: PathBuf,
    /// The file's path in the repository, which says which data file it is (git's %P)
    /// [default: OURS]
    pub path: Option<PathBuf>,
}

/// Make git merge this data folder's files record by record, and check the data after a merge.
///
/// Writes the folder's .gitattributes, configures the merge driver `allhands` in the
/// repository, and adds a post-merge hook that runs `allhands check`. Safe to run again (after
/// moving the allhands binary, run it again). Every clone needs it once: git does not copy
/// configuration or hooks.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  allhands git-setup\n  allhands git-setup events/2026")]
pub struct GitSetupArgs {
    /// The data folder [default: the data folder, ./data]
    pub dir: Option<PathBuf>,
}

pub fn merge_file(ui: &Ui, _ctx: &Context, args: MergeFileArgs) -> Result<()> {
    let path = args.path.as_ref().unwrap_or(&args.ours);
    let read = |file: &Path| fs::read(file).map_err(Error::io(file));
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let merged = match store::merge::merge_file(path, &base, &ours, &theirs) {
        Ok(merged) => merged,
        Err(error) => return Err(merge_lines(&args, path, error)),
    };
    ui.output(Some(&args.ours), &merged.bytes)?;
    if merged.conflicts.is_empty() {
        return Ok(());
    }
    for conflict in &merged.conflicts {
        ui.report(&format!("{}: {conflict}", path.display()));
    }
    let count = merged.conflicts.len();
    Err(Error::Problems {
        summary: Some(format!(
            "{count} record{} of {} conflict{} (between <<<<<<< and >>>>>>> in the file): keep the right \
         line, delete the other and the markers, then `git add {}`",
            if count == 1 { "" } else { "s" },
            path.display(),
            if count == 1 { "s" } else { "" },
            path.display()
        )),
    })
}

/// A version allhands cannot read is merged line by line by git instead, so that nothing of
/// either side is lost; the error says why, and the file stays marked as conflicted.
fn merge_lines(args: &MergeFileArgs, path: &Path, error: Error) -> Error {
    let status = Command::new("git")
        .args(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs"])
        .args([&args.ours, &args.base, &args.theirs])
        .status();
    let how = match status {
        // git merge-file exits with the number of conflicts (at most 127), higher on an error.
        Ok(status) if status.code().is_some_and(|c| (0..128).contains(&c)) => format!(
            "merged {} line by line instead (git merge-file){}; check it and fix the file",
            path.display(),
            if status.success() {
                ""
            } else {
                ", with conflict markers"
            }
        ),
        _ => format!("{} is left as ours", path.display()),
    };
    Error::refused(format!(
        "{error}\ncannot merge {} record by record: {how}",
        path.display()
    ))
}

pub fn git_setup(ui: &Ui, ctx: &Context, args: GitSetupArgs) -> Result<()> {
    let dir = args.dir.unwrap_or_else(|| ctx.data_dir.clone());
    Store::open(&dir)?;
    let written = store::write_git_files(&dir)?;
    let Some(hook) = store::git::set_up(&dir)? else {
        return Err(Error::refused(format!(
            "{} is not in a git repository: run `git init` (or clone the organizers' repository), \
             then `allhands git-setup {}`",
            dir.display(),
            dir.display()
        )));
    };
    let files = if written.is_empty() {
        String::new()
    } else {
        format!("wrote {}; ", written.join(", "))
    };
    ui.status(format!(
        "{}: {files}git merges its files record by record (merge driver `allhands`); the post-merge hook \
         ({}) runs `allhands check`. Commit .gitattributes; run `allhands git-setup` in every clone.",
        dir.display(),
        hook.display()
    ))
}
