//! Git's side of the merge driver (`store::merge` merges the files): configuring the driver
//! `allhands` in the repository a data folder is in, and the post-merge hook that runs
//! `allhands check`. Prints nothing: says what it did.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// Makes git merge `dir`'s data files record by record (the merge driver `allhands`) and
/// check the data after every merge (a post-merge hook), when `dir` is in a git repository:
/// the hook's path, or `None` when it is not in one. Safe to run again.
pub fn set_up(dir: &Path) -> Result<Option<PathBuf>> {
    Repository::of(dir)?.map(|repo| repo.configure()).transpose()
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
        super::write_file(&hook, text.as_bytes())?;
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
