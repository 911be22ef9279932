//! Locking and crash-safe replacement of the data folder's files.
//!
//! Writers hold an exclusive lock on `DIR/.allhands.lock` (not on a CSV: a rename gives the
//! CSV a new inode, so a lock on it would protect nothing); readers hold a shared one.
//! Each changed file is written to `DIR/.NAME.tmp`, fsynced, and renamed over `NAME`; the
//! folder is fsynced after. A change to several files first records their names in
//! `DIR/.allhands.journal` (itself written atomically): once that exists the change is
//! committed, and whoever takes the lock next finishes the renames. So a kill at any moment
//! leaves every file either as before the command or as after it, never half of each.
//!
//! Written by hand rather than with a temp-file crate because the journal needs temp files
//! with known names, which is also how stale ones from a killed writer get cleaned up.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub const LOCK_FILE: &str = ".allhands.lock";
const JOURNAL: &str = ".allhands.journal";

/// A held lock on the data folder, released when dropped.
pub struct Lock {
    _file: Option<File>,
}

fn lock_file(dir: &Path) -> Result<Option<File>> {
    let path = dir.join(LOCK_FILE);
    match OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
    {
        Ok(file) => Ok(Some(file)),
        // A read-only folder (say, a checked-out release) cannot be written by anyone here.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
    }
}

/// Takes the shared lock for reading; finishes a crashed writer's commit first if needed.
pub fn lock_shared(dir: &Path) -> Result<Lock> {
    let Some(file) = lock_file(dir)? else {
        return Ok(Lock { _file: None });
    };
    file.lock_shared().map_err(Error::io(dir.join(LOCK_FILE)))?;
    if dir.join(JOURNAL).exists() {
        drop(file);
        return lock_exclusive(dir);
    }
    Ok(Lock { _file: Some(file) })
}

/// Takes the exclusive lock for writing, then finishes or cleans up after a crashed writer.
pub fn lock_exclusive(dir: &Path) -> Result<Lock> {
    let path = dir.join(LOCK_FILE);
    let file =
        lock_file(dir)?.ok_or_else(|| Error::Usage(format!("{} is read-only: cannot change it", dir.display())))?;
    file.lock().map_err(Error::io(&path))?;
    recover(dir)?;
    Ok(Lock { _file: Some(file) })
}

fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.tmp"))
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io(dir))
}

/// Writes `bytes` to the temp file for `name` and flushes it to disk.
fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = temp_path(dir, name);
    let mut file = File::create(&path).map_err(Error::io(&path))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(Error::io(&path))?;
    // Keep the permissions the user gave the file.
    if let Ok(meta) = fs::metadata(dir.join(name)) {
        fs::set_permissions(&path, meta.permissions()).map_err(Error::io(&path))?;
    }
    Ok(())
}

/// Replaces the named files with new contents, all or nothing. Call with the exclusive lock.
pub fn commit(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    for (name, bytes) in files {
        write_temp(dir, name, bytes)?;
    }
    let journal = files.len() > 1;
    if journal {
        let names: String = files.iter().map(|(name, _)| format!("{name}\n")).collect();
        write_temp(dir, JOURNAL, names.as_bytes())?;
        rename(&temp_path(dir, JOURNAL), &dir.join(JOURNAL))?;
    }
    // With a journal, this is the commit point: once the journal is durable, the change
    // happens (a crash is finished by the next lock holder). A single file commits at its
    // rename below; a temp file left before that is stale and removed.
    sync_dir(dir)?;
    for (name, _) in files {
        rename(&temp_path(dir, name), &dir.join(name))?;
    }
    sync_dir(dir)?;
    if journal {
        fs::remove_file(dir.join(JOURNAL)).map_err(Error::io(dir.join(JOURNAL)))?;
        sync_dir(dir)?;
    }
    Ok(())
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(Error::io(to))
}

/// Finishes a committed change a killed writer left behind and removes its stale temp files.
fn recover(dir: &Path) -> Result<()> {
    let journal = dir.join(JOURNAL);
    if let Ok(names) = fs::read_to_string(&journal) {
        for name in names.lines().filter(|n| !n.is_empty() && !n.contains(['/', '\\'])) {
            let temp = temp_path(dir, name);
            if temp.exists() {
                rename(&temp, &dir.join(name))?;
            }
        }
        sync_dir(dir)?;
        fs::remove_file(&journal).map_err(Error::io(&journal))?;
        sync_dir(dir)?;
    }
    let entries = fs::read_dir(dir).map_err(Error::io(dir))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.ends_with(".tmp") {
            fs::remove_file(entry.path()).map_err(Error::io(entry.path()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_files_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.csv"), "old").unwrap();
        let _lock = lock_exclusive(dir.path()).unwrap();
        commit(dir.path(), &[("a.csv", b"new".to_vec()), ("b.csv", b"b".to_vec())]).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a.csv")).unwrap(), "new");
        assert_eq!(fs::read_to_string(dir.path().join("b.csv")).unwrap(), "b");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 3, "{left:?}"); // a.csv, b.csv, the lock file
    }

    #[test]
    fn a_committed_journal_is_rolled_forward_and_stale_temps_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a.csv"), "old a").unwrap();
        fs::write(d.join("b.csv"), "old b").unwrap();
        // A writer killed after its commit point, with one file renamed and one not.
        fs::write(d.join("a.csv"), "new a").unwrap();
        fs::write(temp_path(d, "b.csv"), "new b").unwrap();
        fs::write(d.join(JOURNAL), "a.csv\nb.csv\n").unwrap();
        // And a writer killed before its commit point.
        fs::write(temp_path(d, "c.csv"), "half").unwrap();
        drop(lock_shared(d).unwrap());
        assert_eq!(fs::read_to_string(d.join("b.csv")).unwrap(), "new b");
        assert!(!d.join(JOURNAL).exists());
        assert!(!temp_path(d, "c.csv").exists());
        assert!(!d.join("c.csv").exists());
    }
}
