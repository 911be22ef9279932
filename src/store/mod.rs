//! The data folder: loading every CSV file into an [`Event`] and saving changes back.
//!
//! Loading takes a shared lock; [`Store::update`] takes the exclusive lock for the whole
//! read-change-write, so two commands never lose each other's changes, and writes only the
//! files whose records changed, each sorted by its key, atomically (see [`atomic`]).
//! A change that fails (the closure returns an error) writes nothing.

mod atomic;
pub mod git;
pub mod merge;
mod records;
pub mod sample;
mod table;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub use crate::model::natural_cmp;
use crate::model::publish::{History, Published, Version};
use crate::model::{Event, EventInfo};
pub use atomic::LOCK_FILE;
pub use records::{Record, field_changes};

/// A foreign CSV file: its header as written, and each row's line and cells.
pub type ForeignCsv = (Vec<String>, Vec<(u64, Vec<String>)>);

/// A CSV file from elsewhere (a registration form's export), read as robustly as the data
/// files: BOM, CRLF, quoted fields; structural problems as `FILE:LINE: ...`. Returns the
/// header as written, and each row's line and cells.
pub fn read_foreign_csv(path: &Path) -> Result<ForeignCsv> {
    let bytes = fs::read(path).map_err(Error::io(path))?;
    const ANY: table::Schema = table::Schema {
        file: "",
        columns: &[],
        required: &[],
        key: &[],
    };
    let rows = table::parse(path, &bytes, &ANY)?;
    let records = (rows.lines.iter().enumerate())
        .map(|(i, &line)| (line, rows.row(i).map(String::from).collect()))
        .collect();
    Ok((rows.raw_header, records))
}

/// The files of a data folder, in the order they are loaded.
pub const FILES: [&str; 7] = [
    "event.csv",
    "days.csv",
    "slots.csv",
    "attendees.csv",
    "rooms.csv",
    "sessions.csv",
    "participants.csv",
];

/// The published versions (see `allhands publish`): absent until the first one.
pub const PUBLISH_FILES: [&str; 2] = ["versions.csv", "published.csv"];

/// Whether `file` is one the store of the data folder it sits in owns: a data file, the lock,
/// the journal or a temp file, in a folder that holds an event. Output (`-o`) never goes there.
/// Names are compared without case, as a case-insensitive file system would.
pub fn owns(file: &Path) -> bool {
    let (Some(folder), Some(name)) = (file.parent(), file.file_name().and_then(|n| n.to_str())) else {
        return false;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let lower = name.to_ascii_lowercase();
    let owned = FILES.contains(&lower.as_str())
        || lower.starts_with(".allhands")
        || (lower.starts_with('.') && lower.ends_with(".tmp"));
    owned && folder.join("event.csv").is_file()
}

/// Writes a file outside the data (`-o FILE`, an export, a git hook): a regular file or a new
/// path is replaced atomically (temp file beside it, fsync, rename); a symlink, FIFO or device
/// is written through, as every Unix tool does. A file a data folder's store owns is refused.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    // What the path names in the end, through symlinks.
    let resolved = fs::canonicalize(path).ok().or_else(|| {
        let folder = fs::canonicalize(parent_folder(path)).ok()?;
        Some(folder.join(path.file_name()?))
    });
    if owns(path) || resolved.as_deref().is_some_and(owns) {
        return Err(Error::refused(format!(
            "-o {shown}: that is a file of an allhands data folder; writing there would replace the data"
        ))
        .with_hint("write the output outside the data folder, e.g. -o agenda.csv"));
    }
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            Err(Error::refused(format!("-o {shown}: is a folder")).with_hint("give a file name"))
        }
        Ok(meta) if !meta.is_file() => fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(Error::io(path)),
        _ => replace_file(path, bytes),
    }
}

fn parent_folder(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Replaces a regular file (or makes a new one) atomically. The temp name (`.NAME.PID-N.part`)
/// never matches the store's `.NAME.tmp`, so neither can take or remove the other's file.
fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_folder(path);
    let name = path
        .file_name()
        .ok_or_else(|| Error::refused(format!("-o {}: not a file name", path.display())))?;
    let mut n = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{}.{}-{n}.part", name.to_string_lossy(), std::process::id()));
        match fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(Error::io(path)(e)),
        }
    };
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(Error::io(path))
}

/// Keeps the lock, journal and temp files out of the organizers' git history.
const GITIGNORE: [&str; 3] = [".allhands.lock", ".allhands.journal", ".*.tmp"];

/// The `.gitattributes` line that has git merge a data file with `allhands merge-file`
/// (configured as the merge driver `allhands` by `allhands git-setup`).
fn gitattributes_line(file: &str) -> String {
    format!("/{file} merge=allhands")
}

/// `existing` with each of `lines` it lacks added at its end; everything there is kept.
fn with_lines(existing: &str, lines: &[String]) -> String {
    let mut text = existing.to_string();
    for line in lines {
        if !existing.lines().any(|l| l.trim() == line) {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

/// The data folder's `.gitignore` and `.gitattributes` with the lines allhands needs added,
/// each only if it changes.
fn git_files(dir: &Path) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let needs = [
        (".gitignore", GITIGNORE.map(String::from).to_vec()),
        (
            ".gitattributes",
            FILES
                .iter()
                .chain(&PUBLISH_FILES)
                .map(|f| gitattributes_line(f))
                .collect(),
        ),
    ];
    let mut files = Vec::new();
    for (name, lines) in needs {
        let path = dir.join(name);
        let existing = match fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| Error::Data {
                file: path.clone(),
                line: None,
                column: None,
                message: "is not UTF-8 text; allhands needs to add lines to it".into(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(&path)(e)),
        };
        let text = with_lines(&existing, &lines);
        if text != existing {
            files.push((name, text.into_bytes()));
        }
    }
    Ok(files)
}

/// Adds the lines allhands needs to the data folder's `.gitignore` and `.gitattributes`
/// (keeping what is there), under the lock. Returns the files it changed.
pub fn write_git_files(dir: &Path) -> Result<Vec<&'static str>> {
    let _lock = atomic::lock_exclusive(dir)?;
    let files = git_files(dir)?;
    atomic::commit(dir, &files)?;
    Ok(files.into_iter().map(|(name, _)| name).collect())
}

/// Which files besides `event.csv`, `days.csv` and `slots.csv` (which every command needs) a
/// read loads: a command reads only what it uses. A file left out is not read at all, and its
/// records are empty in the event (so it is for reading, never for saving).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub attendees: bool,
    pub rooms: bool,
    pub sessions: bool,
    pub participants: bool,
}

impl Parts {
    pub const ALL: Parts = Parts {
        attendees: true,
        rooms: true,
        sessions: true,
        participants: true,
    };
    /// Only the event, its days and slots.
    pub const NONE: Parts = Parts {
        attendees: false,
        rooms: false,
        sessions: false,
        participants: false,
    };
}

/// A data folder on disk.
pub struct Store {
    dir: PathBuf,
    /// The process exits after this store's command (see [`Store::for_one_command`]).
    one_command: bool,
}

/// What was loaded: the event, and each file's header as it was (to keep column order).
struct Loaded {
    event: Event,
    headers: HashMap<&'static str, table::Layout>,
}

impl Store {
    /// Opens an existing data folder; says how to make one when there is none.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Store> {
        let dir = dir.into();
        if !dir.join("event.csv").is_file() {
            let shown = dir.display();
            return Err(Error::refused(format!(
                "no allhands data in '{shown}' (no {}): create it with `allhands init {shown}` (add --sample for \
                 the Rust All Hands 2026 sample), or point --data-dir or ALLHANDS_DATA at an existing data folder",
                dir.join("event.csv").display()
            )));
        }
        Ok(Store {
            dir,
            one_command: false,
        })
    }

    /// The store of a command-line run, which exits when its command is done: what an update
    /// loaded and changed is left for the exit to free, not freed string by string (for
    /// 10,000 people that is an eighth of a write's time).
    pub fn for_one_command(self) -> Store {
        Store {
            one_command: true,
            ..self
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads the whole event under a shared lock.
    pub fn load(&self) -> Result<Event> {
        self.load_parts(Parts::ALL)
    }

    /// Loads the event's files that `parts` names (and always `event.csv`, `days.csv` and
    /// `slots.csv`) under a shared lock; the records of the others are left empty.
    pub fn load_parts(&self, parts: Parts) -> Result<Event> {
        let lock = atomic::lock_shared(&self.dir)?;
        Ok(self.read_parts(&lock, parts)?.event)
    }

    /// Runs `change` on the event under the exclusive lock and saves what it changed.
    /// If `change` fails, nothing is written.
    pub fn update<T>(&self, change: impl FnOnce(&mut Event) -> Result<T>) -> Result<T> {
        let lock = atomic::lock_exclusive(&self.dir)?;
        let loaded = self.read_all(&lock)?;
        let mut event = loaded.event.clone();
        let result = change(&mut event)?;
        let files = changed_files(&loaded, &mut event);
        atomic::commit(&self.dir, &files)?;
        if self.one_command {
            std::mem::forget((loaded, event, files));
        }
        Ok(result)
    }

    /// Loads the event and its published versions under one shared lock, so they agree.
    pub fn load_with_history(&self) -> Result<(Event, History)> {
        let lock = atomic::lock_shared(&self.dir)?;
        let event = self.read_all(&lock)?.event;
        let history = self.read_history(&lock, &mut HashMap::new())?;
        Ok((event, history))
    }

    /// Records a new published version: under the exclusive lock, `publish` gets the event
    /// and the history to add to. Both publishing files are replaced in one journaled commit;
    /// if `publish` fails, nothing is written. The event's own files are never written here.
    pub fn publish<T>(&self, publish: impl FnOnce(&Event, &mut History) -> Result<T>) -> Result<T> {
        let lock = atomic::lock_exclusive(&self.dir)?;
        let event = self.read_all(&lock)?.event;
        let mut headers = HashMap::new();
        let before = self.read_history(&lock, &mut headers)?;
        let mut history = before.clone();
        let result = publish(&event, &mut history)?;
        if history != before {
            sort_by_key(&mut history.versions);
            sort_by_key(&mut history.published);
            let files = [
                (PUBLISH_FILES[0], file_bytes(&headers, &history.versions)),
                (PUBLISH_FILES[1], file_bytes(&headers, &history.published)),
            ];
            atomic::commit(&self.dir, &files)?;
        }
        Ok(result)
    }

    /// The published versions; none when the files are not there yet. Every row must belong
    /// to a recorded version, and versions are numbered 1, 2, 3, ... without gaps.
    fn read_history(&self, lock: &atomic::Lock, headers: &mut HashMap<&'static str, table::Layout>) -> Result<History> {
        let present = PUBLISH_FILES.map(|f| self.dir.join(f).is_file());
        if present == [false, false] {
            return Ok(History::default());
        }
        if let Some(i) = present.iter().position(|p| !p) {
            return Err(Error::Data {
                file: self.dir.join(PUBLISH_FILES[i]),
                line: None,
                column: None,
                message: format!(
                    "is missing while {} is there; `allhands publish` writes both (restore it from git)",
                    PUBLISH_FILES[1 - i]
                ),
            });
        }
        let mut versions: Vec<Version> = self.read_file(lock, headers)?;
        let published: Vec<Published> = self.read_file(lock, headers)?;
        versions.sort_by_key(|v| v.number);
        let located = |file: &str, line: u64, column: &str, message: String| Error::Data {
            file: self.dir.join(file),
            line: Some(line),
            column: Some(column.to_string()),
            message,
        };
        for (expected, v) in (1..).zip(&versions) {
            if v.number != expected {
                return Err(located(
                    PUBLISH_FILES[0],
                    v.line,
                    "version",
                    format!(
                        "version {} where {expected} was expected (versions are 1, 2, 3, ... once each)",
                        v.number
                    ),
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for p in &published {
            if !versions.iter().any(|v| v.number == p.version) {
                return Err(located(
                    PUBLISH_FILES[1],
                    p.line,
                    "version",
                    format!(
                        "version {} is not in versions.csv (valid: 1 to {})",
                        p.version,
                        versions.len()
                    ),
                ));
            }
            if !seen.insert((p.version, p.session.as_str())) {
                return Err(located(
                    PUBLISH_FILES[1],
                    p.line,
                    "session",
                    format!("{} appears twice in version {}", p.session, p.version),
                ));
            }
        }
        Ok(History { versions, published })
    }

    fn read_all(&self, lock: &atomic::Lock) -> Result<Loaded> {
        self.read_parts(lock, Parts::ALL)
    }

    fn read_parts(&self, lock: &atomic::Lock, parts: Parts) -> Result<Loaded> {
        // participants.csv, the largest file by far, is read on a second core meanwhile when it
        // is large (some 10,000 rows). Its result is looked at last, so a folder with several
        // bad files reports the same first problem as reading them in order would.
        let large = parts.participants
            && fs::metadata(lock.source(&self.dir, crate::model::Participant::SCHEMA.file))
                .is_ok_and(|m| m.len() >= 256 << 10);
        let mut headers = HashMap::new();
        let (event, participants) = crate::parallel::join_if(
            large,
            || self.read_others(lock, parts, &mut headers),
            || {
                let mut headers = HashMap::new();
                let records = self.read_if(parts.participants, lock, &mut headers);
                records.map(|records| (records, headers))
            },
        );
        let mut event = event?;
        let (records, participant_headers) = participants?;
        event.participants = records;
        headers.extend(participant_headers);
        Ok(Loaded { event, headers })
    }

    /// Every file but participants.csv, in order, into an event without participants.
    fn read_others(
        &self,
        lock: &atomic::Lock,
        parts: Parts,
        headers: &mut HashMap<&'static str, table::Layout>,
    ) -> Result<Event> {
        let info: Vec<EventInfo> = self.read_file(lock, headers)?;
        let info = match <[EventInfo; 1]>::try_from(info) {
            Ok([info]) => info,
            Err(rows) => {
                return Err(Error::Data {
                    file: self.dir.join("event.csv"),
                    line: None,
                    column: None,
                    message: format!("must have exactly one event row below the header, has {}", rows.len()),
                });
            }
        };
        // Days in date order, whatever the file's order: "first day" means the earliest.
        let mut days: Vec<crate::model::Day> = self.read_file(lock, headers)?;
        days.sort_by_key(|d| d.date);
        Ok(Event {
            info,
            days,
            slots: self.read_file(lock, headers)?,
            attendees: self.read_if(parts.attendees, lock, headers)?,
            rooms: self.read_if(parts.rooms, lock, headers)?,
            sessions: self.read_if(parts.sessions, lock, headers)?,
            participants: Vec::new(),
        })
    }

    /// Reads one file if `wanted`; no records if not.
    fn read_if<T: Record>(
        &self,
        wanted: bool,
        lock: &atomic::Lock,
        headers: &mut HashMap<&'static str, table::Layout>,
    ) -> Result<Vec<T>> {
        if wanted {
            self.read_file(lock, headers)
        } else {
            Ok(Vec::new())
        }
    }

    /// Reads one file (from where the lock says its current version is) into records.
    fn read_file<T: Record>(
        &self,
        lock: &atomic::Lock,
        headers: &mut HashMap<&'static str, table::Layout>,
    ) -> Result<Vec<T>> {
        let path = self.dir.join(T::SCHEMA.file);
        let bytes = fs::read(lock.source(&self.dir, T::SCHEMA.file)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Data {
                file: path.clone(),
                line: None,
                column: None,
                message: format!(
                    "is missing; a data folder has {} (`allhands init` makes them)",
                    FILES.join(", ")
                ),
            },
            _ => Error::io(&path)(e),
        })?;
        let (records, layout) = table::read(&path, &bytes, &T::SCHEMA, T::from_row)?;
        headers.insert(T::SCHEMA.file, layout);
        Ok(records)
    }
}

/// Orders two sort keys (see [`Record::sort_key`]) column by column, in natural order.
fn sort_key_cmp(x: &[String], y: &[String]) -> Ordering {
    x.iter()
        .zip(y)
        .map(|(a, b)| natural_cmp(a, b))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn sort_by_key<T: Record>(rows: &mut Vec<T>) {
    // Keys are built once per row, not twice per comparison; the sort is stable.
    let mut keyed: Vec<(Vec<String>, T)> = rows.drain(..).map(|r| (r.sort_key(), r)).collect();
    keyed.sort_by(|(x, _), (y, _)| sort_key_cmp(x, y));
    rows.extend(keyed.into_iter().map(|(_, r)| r));
}

/// Serialises one file's records with the header it was loaded with.
fn file_bytes<T: Record>(headers: &HashMap<&'static str, table::Layout>, rows: &[T]) -> Vec<u8> {
    write_records(headers.get(T::SCHEMA.file), rows, false).0
}

/// Serialises records (in the order given) under the header of `layout` (or allhands' own for
/// a new file); with `mark_rows`, also where each row ends (see [`table::write`]).
fn write_records<T: Record>(layout: Option<&table::Layout>, rows: &[T], mark_rows: bool) -> (Vec<u8>, Vec<usize>) {
    let extra = rows.iter().flat_map(|r| r.extra().keys().cloned());
    let in_use = |column: &str| rows.iter().any(|r| !r.cell(column).is_empty());
    let header = table::output_header(&T::SCHEMA, layout.map(|l| l.header.as_slice()), in_use, extra);
    let default = table::Layout::default();
    table::write(
        &header,
        layout.unwrap_or(&default),
        rows,
        |row, column| row.cell(column),
        mark_rows,
    )
}

/// The files whose records differ from what was loaded, sorted and serialised.
fn changed_files(loaded: &Loaded, event: &mut Event) -> Vec<(&'static str, Vec<u8>)> {
    let before = &loaded.event;
    let changed = [
        event.info != before.info,
        event.days != before.days,
        event.slots != before.slots,
        event.attendees != before.attendees,
        event.rooms != before.rooms,
        event.sessions != before.sessions,
        event.participants != before.participants,
    ];
    serialise(event, &loaded.headers, changed)
}

/// Sorts and serialises the files picked by `which` (indexed as [`FILES`]).
fn serialise(
    event: &mut Event,
    headers: &HashMap<&'static str, table::Layout>,
    which: [bool; 7],
) -> Vec<(&'static str, Vec<u8>)> {
    let day_order: Vec<String> = event.days.iter().map(|d| d.id.clone()).collect();
    let mut files = Vec::new();
    for (i, name) in FILES.into_iter().enumerate().filter(|(i, _)| which[*i]) {
        let bytes = match i {
            0 => file_bytes(headers, std::slice::from_ref(&event.info)),
            1 => {
                sort_by_key(&mut event.days);
                file_bytes(headers, &event.days)
            }
            2 => {
                event
                    .slots
                    .sort_by_key(|s| (day_order.iter().position(|d| *d == s.day), s.start));
                file_bytes(headers, &event.slots)
            }
            3 => {
                sort_by_key(&mut event.attendees);
                file_bytes(headers, &event.attendees)
            }
            4 => {
                sort_by_key(&mut event.rooms);
                file_bytes(headers, &event.rooms)
            }
            5 => {
                sort_by_key(&mut event.sessions);
                file_bytes(headers, &event.sessions)
            }
            _ => {
                sort_by_key(&mut event.participants);
                file_bytes(headers, &event.participants)
            }
        };
        files.push((name, bytes));
    }
    files
}

/// Makes `dir` (if needed) and locks it, refusing a folder that already holds any data file.
fn new_folder(dir: &Path) -> Result<atomic::Lock> {
    // Refuse before making anything, so a refused `init` leaves no lock file behind; and again
    // under the lock, in case another `init` got there first.
    refuse_existing(dir)?;
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let lock = atomic::lock_exclusive(dir)?;
    refuse_existing(dir)?;
    Ok(lock)
}

/// Whether `dir` holds an event (an `event.csv`).
pub fn holds_event(dir: &Path) -> bool {
    dir.join("event.csv").exists()
}

fn refuse_existing(dir: &Path) -> Result<()> {
    if dir.join("event.csv").exists() {
        return Err(Error::refused(format!(
            "{} already holds an event (event.csv exists); not overwriting it",
            dir.display()
        )));
    }
    if let Some(existing) = FILES.iter().find(|f| dir.join(f).exists()) {
        return Err(Error::refused(format!(
            "{} already has {existing}; not overwriting it (use an empty folder)",
            dir.display()
        )));
    }
    Ok(())
}

/// Writes a whole new data folder (for `init`): every file, sorted, under the lock.
pub fn create(dir: &Path, event: &Event) -> Result<()> {
    let _lock = new_folder(dir)?;
    let mut files = serialise(&mut event.clone(), &HashMap::new(), [true; 7]);
    files.extend(git_files(dir)?);
    atomic::commit(dir, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_stored_exactly_as_allhands_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        sample::write(dir.path()).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let lock = atomic::lock_shared(dir.path()).unwrap();
        let loaded = store.read_all(&lock).unwrap();
        let mut event = loaded.event.clone();
        for (name, bytes) in serialise(&mut event, &loaded.headers, [true; 7]) {
            let original = sample::FILES.iter().find(|(n, _)| *n == name).unwrap().1;
            assert_eq!(
                String::from_utf8(bytes).unwrap(),
                original,
                "{name} is not in canonical form"
            );
        }
    }

    #[test]
    fn a_file_saved_with_bom_and_crlf_is_written_back_the_same_way() {
        let dir = tempfile::tempdir().unwrap();
        sample::write(dir.path()).unwrap();
        let rooms = dir.path().join("rooms.csv");
        let original = fs::read_to_string(&rooms).unwrap();
        fs::write(&rooms, format!("\u{feff}{}", original.replace('\n', "\r\n"))).unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .update(|event| {
                event.rooms[0].capacity += 1;
                Ok(())
            })
            .unwrap();
        let written = fs::read_to_string(&rooms).unwrap();
        assert!(written.starts_with('\u{feff}'));
        assert_eq!(written.matches("\r\n").count(), original.lines().count());
        let changed: Vec<_> = written
            .trim_start_matches('\u{feff}')
            .lines()
            .zip(original.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
    }

    #[test]
    fn git_files_keep_what_is_there_and_add_what_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".gitignore"), "*.bak\n.allhands.lock").unwrap();
        let spec = crate::generate::Spec {
            attendees: 3,
            sessions: 2,
            rooms: 1,
            days: 1,
            slots_per_day: 1,
            seed: 1,
        };
        create(dir.path(), &crate::generate::generate(&spec)).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            "*.bak\n.allhands.lock\n.allhands.journal\n.*.tmp\n"
        );
        let attributes = fs::read_to_string(dir.path().join(".gitattributes")).unwrap();
        assert_eq!(attributes.lines().count(), FILES.len() + PUBLISH_FILES.len());
        assert!(attributes.contains("/versions.csv merge=allhands\n"), "{attributes}");
        assert!(attributes.contains("/attendees.csv merge=allhands\n"), "{attributes}");
        assert_eq!(write_git_files(dir.path()).unwrap(), Vec::<&str>::new());
        fs::write(dir.path().join(".gitattributes"), "*.png binary\n").unwrap();
        assert_eq!(write_git_files(dir.path()).unwrap(), [".gitattributes"]);
        let attributes = fs::read_to_string(dir.path().join(".gitattributes")).unwrap();
        assert!(
            attributes.starts_with("*.png binary\n/event.csv merge=allhands\n"),
            "{attributes}"
        );
    }

    #[test]
    fn a_partial_load_reads_only_the_files_it_names() {
        let dir = tempfile::tempdir().unwrap();
        sample::write(dir.path()).unwrap();
        let store = Store::open(dir.path()).unwrap();
        let whole = store.load().unwrap();
        // A file left out is not even read: a broken one does not stop the load.
        fs::write(dir.path().join("participants.csv"), "not,a\nparticipants,file,at all\n").unwrap();
        let parts = Parts {
            rooms: true,
            sessions: true,
            ..Parts::NONE
        };
        let event = store.load_parts(parts).unwrap();
        assert_eq!((event.rooms, event.sessions), (whole.rooms, whole.sessions));
        assert_eq!(
            (event.days, event.slots, event.info),
            (whole.days, whole.slots, whole.info)
        );
        assert!(event.attendees.is_empty() && event.participants.is_empty());
        assert!(store.load().is_err(), "a whole load reads participants.csv");
    }

    #[test]
    fn natural_order_sorts_numbers_by_value() {
        let mut ids = vec!["S10", "S2", "S1000", "S099", "S100", "a", "S02"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["S2", "S02", "S10", "S099", "S100", "S1000", "a"]);
    }
}
