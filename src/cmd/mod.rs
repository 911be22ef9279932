//! One module per command group. Each command has its clap `Args` (with an example in its
//! help) and a `run` that loads through `store`, works on `model`, prints through `render`.

pub mod attendee;
pub mod booking;
pub mod check;
pub mod complete;
pub mod day;
pub mod export;
pub mod generate;
pub mod import;
pub mod import_interest;
pub mod import_sessions;
pub mod init;
pub mod merge;
pub mod now;
pub mod plan;
pub mod publish;
pub mod room;
pub mod schedule;
pub mod session;
pub mod sessions;
pub mod shell;
pub mod site;
pub mod stats;

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::model::publish::History;
use crate::model::{self, Day, Event, Time};
use crate::render::{Format, Listing, Terminal};
use crate::store::{self, Store};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<()> {
    let data_dir = cli.data_dir();
    let ctx = Context { data_dir };
    match cli.command {
        Command::Init(args) => init::run(args, &ctx),
        Command::AddDay(args) => day::add_day(args, &ctx),
        Command::EditDay(args) => day::edit_day(args, &ctx),
        Command::AddSlot(args) => day::add_slot(args, &ctx),
        Command::RemoveSlot(args) => day::remove_slot(args, &ctx),
        Command::AddAttendee(args) => attendee::add(args, &ctx),
        Command::Attendees(args) => attendee::list(args, &ctx),
        Command::EditAttendee(args) => attendee::edit(args, &ctx),
        Command::RemoveAttendee(args) => attendee::remove(args, &ctx),
        Command::AddRoom(args) => room::add(args, &ctx),
        Command::EditRoom(args) => room::edit(args, &ctx),
        Command::RemoveRoom(args) => room::remove(args, &ctx),
        Command::Rooms(args) => room::list(args, &ctx),
        Command::Free(args) => booking::free(args, &ctx),
        Command::Sessions(args) => sessions::run(args, &ctx),
        Command::AddSession(args) => session::add(args, &ctx),
        Command::EditSession(args) => session::edit(args, &ctx),
        Command::RemoveSession(args) => session::remove(args, &ctx),
        Command::Join(args) => session::join(args, &ctx),
        Command::Leave(args) => session::leave(args, &ctx),
        Command::Book(args) => booking::book(args, &ctx),
        Command::Unbook(args) => booking::unbook(args, &ctx),
        Command::Adhoc(args) => booking::adhoc(args, &ctx),
        Command::Schedule(args) => schedule::run(args, &ctx),
        Command::Now(args) => now::run(args, &ctx),
        Command::Check(args) => check::run(args, &ctx),
        Command::Plan(args) => plan::run(args, &ctx),
        Command::Generate(args) => generate::run(args, &ctx),
        Command::Stats(args) => stats::run(args, &ctx),
        Command::ImportAttendees(args) => import::run(args, &ctx),
        Command::GitSetup(args) => merge::git_setup(args, &ctx),
        Command::MergeFile(args) => merge::merge_file(args, &ctx),
        Command::Publish(args) => publish::publish(args, &ctx),
        Command::Changes(args) => publish::changes(args, &ctx),
        Command::Export(args) => export::run(args, &ctx),
        Command::ImportSessions(args) => import_sessions::run(args, &ctx),
        Command::ImportInterest(args) => import_interest::run(args, &ctx),
        Command::Completions(args) => shell::completions(args, &ctx),
        Command::Man(args) => shell::man(args, &ctx),
    }
}

/// What every command gets besides its own arguments.
pub struct Context {
    pub data_dir: PathBuf,
}

impl Context {
    pub fn store(&self) -> Result<Store> {
        Store::open(&self.data_dir)
    }

    pub fn load(&self) -> Result<Event> {
        self.store()?.load()
    }

    /// Loads the files `parts` names (see [`store::Parts`]) for a command that only reads the
    /// event. The event then lives until the process exits: freeing it piece by piece just
    /// before that (some hundred thousand strings for 10,000 people) would only cost time.
    pub fn load_to_read(&self, parts: store::Parts) -> Result<&'static Event> {
        Ok(Box::leak(Box::new(self.store()?.load_parts(parts)?)))
    }
}

/// `--format` and `-o`, for every command that prints a listing.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// Prints (or writes to `-o FILE`) a listing in the chosen format.
    pub fn emit(&self, listing: &Listing) -> Result<()> {
        self.emit_text(&listing.render(self.format, self.terminal()))
    }

    /// The terminal people read this output on (a file's readers get the default width).
    pub fn terminal(&self) -> Terminal {
        Terminal::detect(self.output.as_deref().is_some_and(|p| p != Path::new("-")))
    }

    pub fn emit_text(&self, text: &str) -> Result<()> {
        match &self.output {
            Some(path) => write_output(path, text.as_bytes()),
            None => say(text),
        }
    }

    /// Whether the output is for people (table, markdown) rather than programs.
    pub fn for_people(&self) -> bool {
        matches!(self.format, Format::Table | Format::Md)
    }
}

/// Writes `-o FILE`: `-` is standard output; a regular file or a new path is replaced
/// atomically (temp file beside it, fsync, rename); a symlink, FIFO or device is written
/// through, as every Unix tool does. A file a data folder's store owns is refused.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_stdout(bytes);
    }
    let shown = path.display();
    // What the path names in the end, through symlinks.
    let resolved = std::fs::canonicalize(path).ok().or_else(|| {
        let folder = std::fs::canonicalize(parent_folder(path)).ok()?;
        Some(folder.join(path.file_name()?))
    });
    if store::owns(path) || resolved.as_deref().is_some_and(store::owns) {
        return Err(Error::Usage(format!(
            "-o {shown}: that is a file of an allhands data folder; writing there would replace the data \
             (write the output outside the data folder, e.g. -o agenda.csv)"
        )));
    }
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(Error::Usage(format!("-o {shown}: is a folder (give a file name)"))),
        Ok(meta) if !meta.is_file() => std::fs::OpenOptions::new()
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
        .ok_or_else(|| Error::Usage(format!("-o {}: not a file name", path.display())))?;
    let mut n = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(".{}.{}-{n}.part", name.to_string_lossy(), std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(Error::io(path)(e)),
        }
    };
    let result = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(Error::io(path))
}

/// Refuses an output folder inside the data folder, so an export never touches its files.
pub fn outside_data(dir: &Path, data: &Path) -> Result<()> {
    let data = data.canonicalize().map_err(Error::io(data))?;
    let absolute = std::path::absolute(dir).map_err(Error::io(dir))?;
    // The part of the path that exists, resolved (symbolic links, `..`), then the rest.
    let mut existing = absolute.as_path();
    while !existing.exists() {
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut resolved = existing.canonicalize().map_err(Error::io(existing))?;
    // What does not exist yet cannot be a link: `..` there is resolved by name.
    for part in absolute.components().skip(existing.components().count()) {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    if resolved.starts_with(&data) {
        return Err(Error::Usage(format!(
            "{} is inside the data folder {}: write it elsewhere (e.g. site, or site/feeds)",
            dir.display(),
            data.display()
        )));
    }
    Ok(())
}

/// Prints to standard output; a closed pipe (`| head`) ends quietly instead of panicking.
pub fn say(text: &str) -> Result<()> {
    write_stdout(text.as_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("standard output")(e)),
        _ => Ok(()),
    }
}

/// Prints one line of confirmation after a change.
pub fn done(line: impl AsRef<str>) -> Result<()> {
    say(&format!("{}\n", crate::render::visible(line.as_ref())))
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970, UTC), when set: the time for reproducible files.
pub fn source_date_epoch() -> Result<Option<DateTime<Utc>>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .map(Some)
            .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH '{text}' is not a number of seconds"))),
        Err(_) => Ok(None),
    }
}

/// Now, or `SOURCE_DATE_EPOCH` when set (for reproducible tests and builds).
pub fn now_utc() -> Result<DateTime<Utc>> {
    Ok(source_date_epoch()?.unwrap_or_else(Utc::now))
}

/// DTSTAMP for calendars, reproducible from the data: `SOURCE_DATE_EPOCH`, else the last
/// publish, else (nothing published yet) now.
pub fn calendar_stamp(history: &History) -> Result<DateTime<Utc>> {
    match (source_date_epoch()?, history.last()) {
        (Some(at), _) => Ok(at),
        (None, Some(last)) => Ok(last.published_at),
        (None, None) => Ok(Utc::now()),
    }
}

/// Confirms an edit by what it changed: `Changed S012: duration: 60 -> 90; room: (none) -> blue`.
pub fn changed<T: store::Record>(what: &str, before: &T, after: &T) -> Result<()> {
    let changes = store::field_changes(before, after);
    if changes.is_empty() {
        done(format!("No change to {what}"))
    } else {
        done(format!("Changed {what}: {}", changes.join("; ")))
    }
}

/// Parses a `--at`/`--arrives` time, naming the flag in the error.
pub fn time_arg(flag: &str, text: &str) -> Result<Time> {
    Time::parse(text).map_err(|m| Error::Usage(format!("{flag}: {m}")))
}

/// Parses the `--at` a session starts at (not 24:00).
pub fn start_arg(text: &str) -> Result<Time> {
    Time::parse_start(text).map_err(|m| Error::Usage(format!("--at: {m}")))
}

/// Parses a `--for`/`--duration` value.
pub fn duration_arg(flag: &str, text: &str) -> Result<u32> {
    model::parse_duration(text).map_err(|m| Error::Usage(format!("{flag}: {m}")))
}

/// Resolves a `--day` value.
pub fn day_arg<'a>(event: &'a Event, text: &str) -> Result<&'a Day> {
    event.find_day(text).map_err(|m| Error::Usage(format!("--day: {m}")))
}

/// Room features or needed features from repeated/comma-separated values: each a valid key,
/// sorted, without repeats.
pub fn features(values: &[String]) -> Result<Vec<String>> {
    let mut list = items(values);
    for feature in &list {
        model::validate_key("feature", feature)?;
    }
    list.sort();
    list.dedup();
    Ok(list)
}

/// Splits repeated and comma-separated values (`--team a --team b,c`) into items.
pub fn items(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split([',', ';']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The event's current date and time in its own time zone. `ALLHANDS_NOW` (e.g.
/// `2026-05-22T15:00`, event-local) overrides the clock, for rehearsals and tests.
pub fn now_local(event: &Event) -> Result<(NaiveDate, Time)> {
    if let Ok(text) = std::env::var("ALLHANDS_NOW") {
        let at = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M").map_err(|_| {
            Error::Usage(format!(
                "ALLHANDS_NOW '{text}' is not a date and time like 2026-05-22T15:00"
            ))
        })?;
        return Ok((at.date(), Time::hm(at.hour(), at.minute()).expect("valid clock time")));
    }
    let at = Utc::now().with_timezone(&event.info.timezone.tz()).naive_local();
    Ok((at.date(), Time::hm(at.hour(), at.minute()).expect("valid clock time")))
}

/// `--day` and `--at` for commands about a moment, defaulting to now.
#[derive(Debug, Clone, clap::Args)]
pub struct Moment {
    /// [default: today]
    #[arg(add = complete::days(), long)]
    pub day: Option<String>,
    /// [default: now]
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
}

impl Moment {
    /// The day and time given, or now in the event's time zone.
    pub fn resolve<'a>(&self, event: &'a Event) -> Result<(&'a Day, Time)> {
        day_and_time(event, self.day.as_deref(), self.at.as_deref())
    }
}

/// The `--day`/`--at` given, or now: the event day and time to look at.
fn day_and_time<'a>(event: &'a Event, day: Option<&str>, at: Option<&str>) -> Result<(&'a Day, Time)> {
    let (today, now) = if day.is_none() || at.is_none() {
        now_local(event)?
    } else {
        (NaiveDate::MIN, Time::MIDNIGHT)
    };
    let day = match day {
        Some(text) => day_arg(event, text)?,
        None => event.days.iter().find(|d| d.date == today).ok_or_else(|| {
            let days: Vec<String> = event.days.iter().map(|d| format!("{} ({})", d.day, d.date)).collect();
            Error::Usage(format!(
                "today ({today} in {}) is not a day of the event; give --day (valid: {})",
                event.info.timezone,
                days.join(", ")
            ))
        })?,
    };
    // "Now" means the next five-minute mark: nobody books a room from 14:03.
    let at = match at {
        Some(text) => time_arg("--at", text)?,
        None => now.round_up(5),
    };
    Ok((day, at))
}

/// Resolves handles to attendees, failing on the first unknown one with a suggestion.
pub fn known_handles(event: &Event, handles: &[String]) -> Result<Vec<String>> {
    handles
        .iter()
        .map(|h| event.find_attendee(h).map(|a| a.handle.clone()).map_err(Error::Usage))
        .collect()
}

/// Refuses a new key that is another one in disguise: equal after normalisation and case
/// folding, or looking the same (Cyrillic `а` for `a`). `existing` gives each key and its line.
pub fn refuse_look_alike<'a>(
    what: &str,
    file: &str,
    key: &str,
    existing: impl IntoIterator<Item = (&'a str, u64)>,
) -> Result<()> {
    let alike = model::identity::Alike::new(key);
    match existing.into_iter().find(|(other, _)| alike.is(other)) {
        None => Ok(()),
        Some((other, line)) => Err(Error::Usage(format!(
            "{what} '{key}' looks like the existing {what} '{other}' ({file} line {line}); use '{other}', or a \
             {what} nobody can mistake for it"
        ))),
    }
}

/// Refuses a change that breaks a hard rule, naming what is in the way.
pub fn refuse_conflicts(what: &str, conflicts: &[model::rules::Conflict]) -> Result<()> {
    match conflicts {
        [] => Ok(()),
        [one] => Err(Error::Usage(format!("cannot {what}: {one}"))),
        many => {
            let lines: Vec<String> = many.iter().map(|c| format!("  - {c}")).collect();
            Err(Error::Usage(format!("cannot {what}:\n{}", lines.join("\n"))))
        }
    }
}
