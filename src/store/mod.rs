//! The data folder: loading every CSV file into an [`Event`] and saving changes back.
//!
//! Loading takes a shared lock; [`Store::update`] takes the exclusive lock for the whole
//! read-change-write, so two commands never lose each other's changes, and writes only the
//! files whose records changed, each sorted by its key, atomically (see [`atomic`]).
//! A change that fails (the closure returns an error) writes nothing.

mod atomic;
mod records;
pub mod sample;
mod table;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Event, EventInfo};
pub use atomic::LOCK_FILE;
pub use records::{Record, timezone};
pub use table::{guard, unguard};

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
    };
    let rows = table::parse(path, &bytes, &ANY)?;
    let records = rows
        .records
        .into_iter()
        .map(|(line, r)| (line, r.iter().map(String::from).collect()))
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

/// Keeps the lock, journal and temp files out of the organizers' git history.
const GITIGNORE: &str = ".allhands.lock\n.allhands.journal\n.*.tmp\n";

/// A data folder on disk.
pub struct Store {
    dir: PathBuf,
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
            return Err(Error::Usage(format!(
                "no allhands data in '{shown}' (no {}): create it with `allhands init {shown}` (add --sample for \
                 the Rust All Hands 2026 sample), or point --data-dir or ALLHANDS_DATA at an existing data folder",
                dir.join("event.csv").display()
            )));
        }
        Ok(Store { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Loads the whole event under a shared lock.
    pub fn load(&self) -> Result<Event> {
        let lock = atomic::lock_shared(&self.dir)?;
        Ok(self.read_all(&lock)?.event)
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
        Ok(result)
    }

    fn read_all(&self, lock: &atomic::Lock) -> Result<Loaded> {
        let mut headers = HashMap::new();
        let info: Vec<EventInfo> = self.read_file(lock, &mut headers)?;
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
        let mut days: Vec<crate::model::Day> = self.read_file(lock, &mut headers)?;
        days.sort_by_key(|d| d.date);
        Ok(Loaded {
            event: Event {
                info,
                days,
                slots: self.read_file(lock, &mut headers)?,
                attendees: self.read_file(lock, &mut headers)?,
                rooms: self.read_file(lock, &mut headers)?,
                sessions: self.read_file(lock, &mut headers)?,
                participants: self.read_file(lock, &mut headers)?,
            },
            headers,
        })
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
        let rows = table::parse(&path, &bytes, &T::SCHEMA)?;
        let records = table::records(&path, &rows, &T::SCHEMA, T::from_row)?;
        let layout = table::Layout {
            header: rows.header,
            raw_header: rows.raw_header,
            crlf: rows.crlf,
            cr: rows.cr,
            delimiter: rows.delimiter,
            bom: rows.bom,
        };
        headers.insert(T::SCHEMA.file, layout);
        Ok(records)
    }
}

/// Compares strings so that embedded numbers sort by value: `S2` before `S10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        let (Some(ca), Some(cb)) = (a.chars().next(), b.chars().next()) else {
            return a.len().cmp(&b.len());
        };
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let na = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
            let nb = b.find(|c: char| !c.is_ascii_digit()).unwrap_or(b.len());
            let (da, db) = (a[..na].trim_start_matches('0'), b[..nb].trim_start_matches('0'));
            let order = da
                .len()
                .cmp(&db.len())
                .then_with(|| da.cmp(db))
                .then_with(|| na.cmp(&nb));
            if order != Ordering::Equal {
                return order;
            }
            (a, b) = (&a[na..], &b[nb..]);
        } else {
            if ca != cb {
                return ca.cmp(&cb);
            }
            (a, b) = (&a[ca.len_utf8()..], &b[cb.len_utf8()..]);
        }
    }
}

fn sort_by_key<T: Record>(rows: &mut Vec<T>) {
    // Keys are built once per row, not twice per comparison; the sort is stable.
    let mut keyed: Vec<(Vec<String>, T)> = rows.drain(..).map(|r| (r.sort_key(), r)).collect();
    keyed.sort_by(|(x, _), (y, _)| {
        x.iter()
            .zip(y)
            .map(|(a, b)| natural_cmp(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    rows.extend(keyed.into_iter().map(|(_, r)| r));
}

/// Serialises one file's records with the header it was loaded with.
fn file_bytes<T: Record>(headers: &HashMap<&'static str, table::Layout>, rows: &[T]) -> Vec<u8> {
    let layout = headers.get(T::SCHEMA.file).cloned().unwrap_or_default();
    let extra = rows.iter().flat_map(|r| r.extra().keys().cloned());
    let in_use = |column: &str| rows.iter().any(|r| !r.cell(column).is_empty());
    let header = table::output_header(
        &T::SCHEMA,
        headers.get(T::SCHEMA.file).map(|l| l.header.as_slice()),
        in_use,
        extra,
    );
    table::write(&header, &layout, rows, |row, column| row.cell(column))
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
    let day_order: Vec<String> = event.days.iter().map(|d| d.day.clone()).collect();
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
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    let lock = atomic::lock_exclusive(dir)?;
    if dir.join("event.csv").exists() {
        return Err(Error::Usage(format!(
            "{} already holds an event (event.csv exists); not overwriting it",
            dir.display()
        )));
    }
    if let Some(existing) = FILES.iter().find(|f| dir.join(f).exists()) {
        return Err(Error::Usage(format!(
            "{} already has {existing}; not overwriting it (use an empty folder)",
            dir.display()
        )));
    }
    Ok(lock)
}

/// Writes a whole new data folder (for `init`): every file, sorted, under the lock.
pub fn create(dir: &Path, event: &Event) -> Result<()> {
    let _lock = new_folder(dir)?;
    let mut files = serialise(&mut event.clone(), &HashMap::new(), [true; 7]);
    files.push((".gitignore", GITIGNORE.as_bytes().to_vec()));
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
    fn natural_order_sorts_numbers_by_value() {
        let mut ids = vec!["S10", "S2", "S1000", "S099", "S100", "a", "S02"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["S2", "S02", "S10", "S099", "S100", "S1000", "a"]);
    }
}
