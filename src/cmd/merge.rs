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
    let Some(repo) = Repository::of(&dir)? else {
        return Err(Error::refused(format!(
            "{} is not in a git repository: run `git init` (or clone the organizers' repository), \
             then `allhands git-setup {}`",
            dir.display(),
            dir.display()
        )));
    };
    let hook = repo.configure()?;
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

/// For `init`: sets up git merges when the new folder is inside a repository, and says what
/// happened (a problem here does not undo the new folder: it says how to retry).
pub fn setup_if_in_repository(dir: &Path) -> String {
    match Repository::of(dir).and_then(|repo| repo.map(|r| r.configure()).transpose()) {
        Ok(Some(_)) => "Git merges its files record by record (see `allhands git-setup --help`).".into(),
        Ok(None) => format!(
            "To share it through git: `git init`, then `allhands git-setup {}`.",
            dir.display()
        ),
        Err(e) => format!(
            "Git merges are not set up: {e}\nFix that, then run `allhands git-setup {}`.",
            dir.display()
        ),
    }
}

/// The git repository a data folder is in.
struct Repository {
    /// The data folder, as given.
    dir: PathBuf,
    /// The data folder's path from the top of the working tree (`data/`, or empty at the top).
    prefix: String,
}

/// Marks allhands' part of a hook, so that setting up again replaces it and nothing else.
const HOOK_BEGIN: &str = "# >>> allhands check";
const HOOK_END: &str = "# <<< allhands check";

impl Repository {
    fn of(dir: &Path) -> Result<Option<Repository>> {
        Ok(git(dir, &["rev-parse", "--show-prefix"])?.map(|prefix| Repository {
            dir: dir.to_path_buf(),
            prefix,
        }))
    }

    /// Configures the merge driver and adds the post-merge hook; returns the hook's path.
    fn configure(&self) -> Result<PathBuf> {
        let exe = std::env::current_exe()
            .and_then(fs::canonicalize)
            .map_err(Error::io("the allhands binary"))?;
        let exe = shell_quote(&exe.to_string_lossy());
        self.git_ok(&[
            "config",
            "merge.allhands.name",
            "allhands: merge data files record by record",
        ])?;
        self.git_ok(&[
            "config",
            "merge.allhands.driver",
            &format!("{exe} merge-file %O %A %B %P"),
        ])?;
        let hook = match self.git_ok(&["rev-parse", "--path-format=absolute", "--git-path", "hooks/post-merge"])? {
            path if Path::new(&path).is_absolute() => PathBuf::from(path),
            path => self.dir.join(path),
        };
        let folder = match self.prefix.trim_end_matches('/') {
            "" => ".".to_string(),
            prefix => prefix.to_string(),
        };
        let block = hook_block(&exe, &folder);
        let existing = match fs::read_to_string(&hook) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&hook)(e)),
        };
        let text = with_hook_block(existing.as_deref(), &folder, &block).map_err(|why| {
            Error::refused(format!(
                "{}: {why}; add these lines to it yourself:\n{block}",
                hook.display()
            ))
        })?;
        if let Some(parent) = hook.parent() {
            fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        super::ui::write_file(&hook, text.as_bytes())?;
        make_executable(&hook)?;
        Ok(hook)
    }

    fn git_ok(&self, args: &[&str]) -> Result<String> {
        git(&self.dir, args)?
            .ok_or_else(|| Error::refused(format!("`git {}` failed in {}", args.join(" "), self.dir.display())))
    }
}

/// Runs git in `dir`: its output, or `None` when git says no (not a repository).
fn git(dir: &Path, args: &[&str]) -> Result<Option<String>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            Error::refused(format!(
                "cannot run git ({e}): install git (e.g. `apt-get install git`)"
            ))
        })?;
    Ok(output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .trim_end_matches('\n')
            .to_string()
    }))
}

/// The hook's lines for one data folder: run `check` there (git runs hooks at the top of the
/// working tree) and print its report only when the merged data breaks a rule.
fn hook_block(exe: &str, folder: &str) -> String {
    let data = shell_quote(folder);
    let headline = shell_quote(&format!("allhands: after this merge, {folder} has problems:"));
    format!(
        "{HOOK_BEGIN} {folder}\n\
         if ! allhands_report=$({exe} --data-dir {data} check 2>&1); then\n  \
         printf '%s\\n' {headline} \"$allhands_report\"\n\
         fi\n\
         {HOOK_END} {folder}\n"
    )
}

/// A hook's text with allhands' block for `folder` in it: replacing the one there, or added
/// right after the first line so that an `exit` further down cannot skip it.
fn with_hook_block(existing: Option<&str>, folder: &str, block: &str) -> Result<String, String> {
    let Some(text) = existing.filter(|t| !t.trim().is_empty()) else {
        return Ok(format!("#!/bin/sh\n{block}"));
    };
    let (begin, end) = (format!("{HOOK_BEGIN} {folder}\n"), format!("{HOOK_END} {folder}\n"));
    if let (Some(start), Some(stop)) = (text.find(&begin), text.find(&end))
        && start < stop
    {
        return Ok(format!("{}{block}{}", &text[..start], &text[stop + end.len()..]));
    }
    let first = text.lines().next().unwrap_or("");
    if !first.starts_with("#!") {
        return Ok(format!("#!/bin/sh\n{block}{text}"));
    }
    let shell = first
        .split(['/', ' '])
        .any(|w| matches!(w, "sh" | "bash" | "dash" | "zsh" | "ksh"));
    if !shell {
        return Err(format!("is not a shell script ({first})"));
    }
    let after_first = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut out = text[..after_first].to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out + block + &text[after_first..])
}

/// Quotes a word for sh (git runs the driver and the hook through the shell).
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut permissions = fs::metadata(path).map_err(Error::io(path))?.permissions();
    permissions.set_mode(permissions.mode() | 0o755);
    fs::set_permissions(path, permissions).map_err(Error::io(path))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_block_is_added_once_and_keeps_what_was_there() {
        let block = hook_block("'/bin/allhands'", "data");
        let new = with_hook_block(None, "data", &block).unwrap();
        assert!(new.starts_with("#!/bin/sh\n# >>> allhands check data\n"), "{new}");
        assert_eq!(with_hook_block(Some(&new), "data", &block).unwrap(), new);

        let mine = "#!/bin/bash\necho synced\nexit 0\n";
        let added = with_hook_block(Some(mine), "data", &block).unwrap();
        assert_eq!(added, format!("#!/bin/bash\n{block}echo synced\nexit 0\n"));
        let moved = hook_block("'/usr/bin/allhands'", "data");
        assert_eq!(
            with_hook_block(Some(&added), "data", &moved).unwrap(),
            format!("#!/bin/bash\n{moved}echo synced\nexit 0\n")
        );
        let two = with_hook_block(Some(&added), "other", &hook_block("'/bin/allhands'", "other")).unwrap();
        assert_eq!(two.matches(HOOK_BEGIN).count(), 2);
        assert!(with_hook_block(Some("#!/usr/bin/env python3\nprint()\n"), "data", &block).is_err());
    }

    #[test]
    fn shell_quoting_survives_quotes_and_spaces() {
        assert_eq!(shell_quote("/opt/my tools/it's"), r"'/opt/my tools/it'\''s'");
    }
}
