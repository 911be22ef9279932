//! Locking and crash-safe replacement of the data folder's files.
//!
//! Writers hold an exclusive lock on `DIR/.allhands.lock` (not on a CSV: a rename gives the
//! CSV a new inode, so a lock on it would protect nothing); readers hold a shared one. The
//! lock file is opened read-only (flock needs no write access), so a lock file another user
//! created still locks for everyone who may write the folder; a folder where no lock file can
//! be made (read-only, a mounted checkout) is read without one.
//! Each changed file is written to `.NAME.tmp` beside it, fsynced, and renamed over it; the
//! folder is fsynced after (a change to one file needs no fsync of the folder before). A data
//! file that is a symlink (a folder shared between events) is replaced at its target,
//! atomically in the target's folder, so the link stays. A change to
//! several files first records their names in `DIR/.allhands.journal` (itself written
//! atomically): once that exists the change is committed, and whoever takes the lock next
//! finishes the renames; a reader that cannot (a read-only user, a file that refuses the
//! rename) reads the committed temp files instead. So a kill or a failed rename at any moment
//! leaves every reader seeing each file either as before the command or as after it, never
//! half of each.
//!
//! Written by hand rather than with a temp-file crate because the journal needs temp files
//! with known names, which is also how stale ones from a killed writer get cleaned up.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub const LOCK_FILE: &str = ".allhands.lock";
pub const JOURNAL: &str = ".allhands.journal";

/// A held lock on the data folder, released when dropped.
pub struct Lock {
    _file: Option<File>,
    /// Files of a committed change that could not be finished: read their temp files.
    pending: Vec<String>,
}

impl Lock {
    /// Where to read the data file `name` from: the file itself, or the temp file of a
    /// committed change nobody could finish (so the reader sees the change whole).
    pub fn source(&self, dir: &Path, name: &str) -> PathBuf {
        if self.pending.iter().any(|p| p == name) {
            temp_for(&destination(dir, name))
        } else {
            dir.join(name)
        }
    }
}

/// Opens (or makes) the lock file; `None` where none can be made (a read-only folder).
fn lock_file(dir: &Path) -> Result<Option<File>> {
    let path = dir.join(LOCK_FILE);
    // Read-only on purpose: flock needs no write access, so a lock file made by another user
    // (mode 0644) still serves everyone who may write the folder.
    match File::open(&path) {
        Ok(file) => return Ok(Some(file)),
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        // Made unreadable by its owner (umask 077): read unlocked; a writer says what to do.
        Err(e) if e.kind() == ErrorKind::PermissionDenied => return Ok(None),
        Err(e) => return Err(Error::io(path)(e)),
    }
    match OpenOptions::new().write(true).create(true).truncate(false).open(&path) {
        Ok(file) => Ok(Some(file)),
        // Nobody here can write the folder, so nobody here changes it while we read.
        Err(e) if matches!(e.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => Ok(None),
        Err(e) => Err(Error::io(path)(e)),
    }
}

/// Takes the shared lock for reading; finishes a crashed writer's commit first if it can,
/// else reads around it.
pub fn lock_shared(dir: &Path) -> Result<Lock> {
    let Some(file) = lock_file(dir)? else {
        return Ok(Lock {
            _file: None,
            pending: pending(dir)?,
        });
    };
    file.lock_shared().map_err(Error::io(dir.join(LOCK_FILE)))?;
    if fs::symlink_metadata(dir.join(JOURNAL)).is_ok() {
        drop(file);
        if let Ok(lock) = lock_exclusive(dir) {
            return Ok(lock);
        }
        // Cannot finish it (a read-only user, a rename that fails): read the committed state.
        let file = lock_file(dir)?;
        if let Some(file) = &file {
            file.lock_shared().map_err(Error::io(dir.join(LOCK_FILE)))?;
        }
        return Ok(Lock {
            _file: file,
            pending: pending(dir)?,
        });
    }
    Ok(Lock {
        _file: Some(file),
        pending: Vec::new(),
    })
}

/// Takes the exclusive lock for writing, then finishes or cleans up after a crashed writer.
pub fn lock_exclusive(dir: &Path) -> Result<Lock> {
    let path = dir.join(LOCK_FILE);
    let file = lock_file(dir)?.ok_or_else(|| match path.exists() {
        true => Error::refused(format!(
            "cannot open {} (permission denied): make it readable for everyone who changes this folder \
             (`chmod a+r {}`), or delete it",
            path.display(),
            path.display()
        )),
        false => Error::refused(format!("{} is read-only: cannot change it", dir.display())),
    })?;
    file.lock().map_err(Error::io(&path))?;
    recover(dir)?;
    Ok(Lock {
        _file: Some(file),
        pending: Vec::new(),
    })
}

/// Where the file `name` of the folder really lives: its symlink's target, else itself.
fn destination(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(&path)
            .or_else(|_| fs::read_link(&path).map(|target| dir.join(target)))
            .unwrap_or(path),
        _ => path,
    }
}

/// The temp file a new version of `file` is written to, beside it (so the rename is atomic).
fn temp_for(file: &Path) -> PathBuf {
    let name = file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    file.with_file_name(format!(".{name}.tmp"))
}

fn parent(file: &Path) -> &Path {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io(dir))
}

/// Writes `bytes` to the temp file for `file` and flushes it to disk.
fn write_temp(file: &Path, bytes: &[u8]) -> Result<()> {
    let path = temp_for(file);
    let mut temp = File::create(&path).map_err(Error::io(&path))?;
    temp.write_all(bytes)
        .and_then(|()| temp.sync_all())
        .map_err(Error::io(&path))?;
    // Keep the permissions the user gave the file.
    if let Ok(meta) = fs::metadata(file) {
        fs::set_permissions(&path, meta.permissions()).map_err(Error::io(&path))?;
    }
    Ok(())
}

/// Replaces the named files with new contents, all or nothing. Call with the exclusive lock.
pub fn commit(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let targets: Vec<PathBuf> = files.iter().map(|(name, _)| destination(dir, name)).collect();
    // Refuse before writing anything: a failing command writes nothing.
    for target in &targets {
        if fs::metadata(target).is_ok_and(|m| m.permissions().readonly()) {
            return Err(Error::refused(format!(
                "{} is read-only: allhands will not replace it (make it writable, e.g. `chmod u+w {}`, to change it)",
                target.display(),
                target.display()
            )));
        }
    }
    for ((_, bytes), target) in files.iter().zip(&targets) {
        write_temp(target, bytes)?;
    }
    let journal = files.len() > 1;
    if journal {
        let names: String = files.iter().map(|(name, _)| format!("{name}\n")).collect();
        let path = dir.join(JOURNAL);
        write_temp(&path, names.as_bytes())?;
        rename(&temp_for(&path), &path)?;
    }
    // With a journal, this is the commit point: once the journal is durable, the change
    // happens (a crash is finished by the next lock holder). A single file commits at its
    // rename below, made durable by the folder's fsync after it (its data was fsynced
    // before); its temp file's name need not be durable first: one left by a crash is stale
    // and removed.
    if journal {
        sync_dirs(dir, &targets)?;
    }
    let finish = || -> Result<()> {
        for target in &targets {
            rename(&temp_for(target), target)?;
        }
        sync_dirs(dir, &targets)?;
        if journal {
            fs::remove_file(dir.join(JOURNAL)).map_err(Error::io(dir.join(JOURNAL)))?;
            sync_dir(dir)?;
        }
        Ok(())
    };
    finish().map_err(|e| match journal {
        true => Error::refused(format!(
            "{e}; the change is saved (readers see all of it) but not finished: \
             the next allhands command that can write {} finishes it",
            dir.display()
        )),
        false => e,
    })
}

/// Fsyncs the data folder and every other folder a target lives in.
fn sync_dirs(dir: &Path, targets: &[PathBuf]) -> Result<()> {
    sync_dir(dir)?;
    let mut done: Vec<&Path> = vec![dir];
    for folder in targets.iter().map(|t| parent(t)) {
        if !done.contains(&folder) {
            sync_dir(folder)?;
            done.push(folder);
        }
    }
    Ok(())
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(Error::io(to))
}

/// The names a journal lists. Only plain file names count: anything else (a path, bytes that
/// are not UTF-8) was not written by allhands and names no temp file.
fn journal_names(dir: &Path) -> Result<Option<Vec<String>>> {
    let path = dir.join(JOURNAL);
    let meta = match fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path)(e)),
    };
    if !meta.is_file() {
        return Err(Error::refused(format!(
            "{} is not allhands' journal (it is not a plain file): delete it (`rm -r {}`) and run the command again",
            path.display(),
            path.display()
        )));
    }
    let bytes = fs::read(&path).map_err(Error::io(&path))?;
    let names = bytes
        .split(|&b| b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\', '\0']) && *n != "." && *n != "..")
        .map(String::from)
        .collect();
    Ok(Some(names))
}

/// The files of a committed, unfinished change whose new version is still in its temp file.
fn pending(dir: &Path) -> Result<Vec<String>> {
    let names = journal_names(dir)?.unwrap_or_default();
    Ok(names
        .into_iter()
        .filter(|name| temp_for(&destination(dir, name)).is_file())
        .collect())
}

/// Finishes a committed change a killed writer left behind and removes its stale temp files.
fn recover(dir: &Path) -> Result<()> {
    if let Some(names) = journal_names(dir)? {
        let journal = dir.join(JOURNAL);
        let targets: Vec<PathBuf> = names.iter().map(|name| destination(dir, name)).collect();
        for target in &targets {
            let temp = temp_for(target);
            if temp.is_file() {
                rename(&temp, target)?;
            }
        }
        sync_dirs(dir, &targets)?;
        fs::remove_file(&journal).map_err(Error::io(&journal))?;
        sync_dir(dir)?;
    }
    let entries = fs::read_dir(dir).map_err(Error::io(dir))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.ends_with(".tmp") && entry.file_type().is_ok_and(|t| t.is_file()) {
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
        fs::write(temp_for(&d.join("b.csv")), "new b").unwrap();
        fs::write(d.join(JOURNAL), "a.csv\nb.csv\n").unwrap();
        // And a writer killed before its commit point.
        fs::write(temp_for(&d.join("c.csv")), "half").unwrap();
        drop(lock_shared(d).unwrap());
        assert_eq!(fs::read_to_string(d.join("b.csv")).unwrap(), "new b");
        assert!(!d.join(JOURNAL).exists());
        assert!(!temp_for(&d.join("c.csv")).exists());
        assert!(!d.join("c.csv").exists());
    }

    #[test]
    fn a_rename_that_fails_after_the_commit_point_leaves_readers_the_whole_change() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a.csv"), "old a").unwrap();
        // A destination that refuses the rename: a folder with something in it.
        fs::create_dir(d.join("b.csv")).unwrap();
        fs::write(d.join("b.csv").join("x"), "").unwrap();
        let lock = lock_exclusive(d).unwrap();
        let err = commit(d, &[("a.csv", b"new a".to_vec()), ("b.csv", b"new b".to_vec())]).unwrap_err();
        assert!(err.to_string().contains("the change is saved"), "{err}");
        drop(lock);
        let reader = lock_shared(d).unwrap();
        assert_eq!(fs::read_to_string(reader.source(d, "a.csv")).unwrap(), "new a");
        assert_eq!(fs::read_to_string(reader.source(d, "b.csv")).unwrap(), "new b");
    }

    #[test]
    fn a_journal_that_is_not_utf8_is_finished_and_one_that_is_a_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a.csv"), "old").unwrap();
        fs::write(temp_for(&d.join("a.csv")), "new").unwrap();
        fs::write(d.join(JOURNAL), b"\xff\xfe junk\na.csv\n").unwrap();
        drop(lock_exclusive(d).unwrap());
        assert_eq!(fs::read_to_string(d.join("a.csv")).unwrap(), "new");
        assert!(!d.join(JOURNAL).exists());

        fs::create_dir(d.join(JOURNAL)).unwrap();
        let err = lock_exclusive(d).err().unwrap().to_string();
        assert!(err.contains("delete it") && err.contains(JOURNAL), "{err}");
    }
}
