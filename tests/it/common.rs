//! Helpers for end-to-end tests, in one place: the built binary in a fixed environment
//! ([`allhands`], [`binary`], [`on`]), a temporary copy of the sample `data/` to run it on
//! ([`Sample`]), what a run printed as an insta snapshot ([`Sample::run_snapshot`],
//! [`Sample::transcript`]), the folder's files to prove a failed command wrote nothing, and
//! readers of CSV by column name ([`rows`]) and of expected file edits ([`with_line_inserted`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Output, Stdio};

use assert_cmd::Command;

/// The documented `add-room` example: a 12-seat Blue Room with a whiteboard, which the sample
/// does not have.
pub const BLUE_ROOM: [&str; 8] = [
    "add-room",
    "blue",
    "--name",
    "Blue Room",
    "--capacity",
    "12",
    "--features",
    "whiteboard",
];

/// `add-attendee` of Ferris Crab (ferris@example.org), whom the sample does not have; a test
/// adds the flags it needs after these.
pub const ADD_FERRIS: [&str; 6] = [
    "add-attendee",
    "ferris",
    "--name",
    "Ferris Crab",
    "--email",
    "ferris@example.org",
];

/// A temporary copy of the repository's `data/` folder.
pub struct Sample {
    _dir: tempfile::TempDir,
    pub data: PathBuf,
}

impl Sample {
    pub fn new() -> Sample {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for entry in std::fs::read_dir(source).unwrap() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "csv") {
                std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
            }
        }
        Sample { _dir: dir, data }
    }

    /// A temporary folder with no data folder in it yet: `data` is the path of a folder named
    /// `name` that a command such as `init` is to make.
    pub fn empty(name: &str) -> Sample {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join(name);
        Sample { _dir: dir, data }
    }

    /// `allhands --data-dir <copy> ARGS`, with a fixed width, no colour, no clock.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = allhands();
        cmd.arg("--data-dir").arg(&self.data).args(args);
        cmd
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.data.join(file)
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap()
    }

    pub fn write(&self, file: &str, text: &str) {
        std::fs::write(self.path(file), text).unwrap();
    }

    /// Every file in the folder (including hidden ones, but not the lock) with its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        files(&self.data)
    }

    /// Runs a command and returns its output, whatever its exit status.
    pub fn output(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs a command that must fail with exit status 2, a message containing `message`,
    /// and no change at all to the data folder. Returns stderr.
    pub fn fails(&self, args: &[&str], message: &str) -> String {
        let before = self.snapshot();
        let stderr = fails(&mut self.cmd(args), message);
        assert!(self.snapshot() == before, "{args:?} failed but changed the data folder");
        stderr
    }

    /// Writes a file beside the data folder (an import's input); returns its path.
    pub fn beside(&self, name: &str, text: &str) -> String {
        let path = self.data.parent().unwrap().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// Runs a command that must succeed, on a terminal wide enough that nothing wraps.
    pub fn ok_wide(&self, args: &[&str]) -> String {
        ok(self.cmd(args).env("COLUMNS", "400"))
    }

    /// Runs a command that must end with exit status `code` (1: problems found); returns stdout.
    pub fn ok_status(&self, args: &[&str], code: i32) -> String {
        let (status, stdout, stderr) = run(&mut self.cmd(args));
        assert_eq!(status, Some(code), "{args:?}: {stderr}");
        stdout
    }

    /// Runs a command that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        ok(&mut self.cmd(args))
    }

    /// Runs a command and returns what a person sees, for a snapshot: whether it succeeded, its
    /// exit status, stdout and stderr (see [`report`]). A command that exits 2 must have left
    /// the data folder as it was.
    pub fn run_snapshot(&self, args: &[&str]) -> String {
        let before = self.snapshot();
        let output = self.output(args);
        if output.status.code() == Some(2) {
            assert!(self.snapshot() == before, "{args:?} failed but changed the data folder");
        }
        report(&output, &self.data)
    }

    /// [`Sample::run_snapshot`] of several commands run one after the other, each under a
    /// `$ allhands ARGS` line (the `--data-dir` each gets left out): one snapshot for a test
    /// that tries many inputs.
    pub fn transcript(&self, commands: &[&[&str]]) -> String {
        commands
            .iter()
            .map(|args| {
                let typed = redact(&shell_words(&[&["allhands"], *args].concat()), &self.data);
                format!("$ {typed}\n{}", self.run_snapshot(args))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Every file in `dir` (including hidden ones, but not the lock) with its bytes; nothing for a
/// folder that does not exist (yet).
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap())
        .filter(|e| e.file_name() != ".allhands.lock")
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// An output's exit status, stdout and stderr as a snapshot shows them (the layout of uv's
/// tests), each redacted (see [`redact`]).
pub fn report(output: &Output, data: &Path) -> String {
    format!(
        "success: {}\nexit_code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        output.status.success(),
        output.status.code().map_or("none".to_string(), |c| c.to_string()),
        ended(redact(&text(&output.stdout), data)),
        ended(redact(&text(&output.stderr), data)),
    )
}

/// `text` with the data folder's path, its temp folder's and the repository's replaced by
/// `[DATA]`, `[TEMP]` and `[REPO]`, so that a snapshot is the same on every run and machine.
pub fn redact(text: &str, data: &Path) -> String {
    let mut text = text.replace(&data.display().to_string(), "[DATA]");
    if let Some(temp) = data.parent() {
        text = text.replace(&temp.display().to_string(), "[TEMP]");
    }
    text.replace(env!("CARGO_MANIFEST_DIR"), "[REPO]")
}

/// `text` ending with a line break, so that the next heading starts a line of its own.
fn ended(text: String) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        text + "\n"
    }
}

/// Arguments as a person would type them in a shell: quoted when empty or holding spaces.
fn shell_words(args: &[&str]) -> String {
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'') {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `cmd` (made by [`allhands`]), which must not panic: its exit status, stdout and stderr.
pub fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let output = cmd.output().unwrap();
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{cmd:?} panicked: {stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("{cmd:?} printed non-UTF-8: {e}"));
    (output.status.code(), stdout, stderr)
}

/// Runs `cmd`, which must succeed; returns stdout.
pub fn ok(cmd: &mut Command) -> String {
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, Some(0), "{cmd:?} failed: {stderr}");
    stdout
}

/// Runs `cmd`, which must fail with exit status 2 and a message containing `message`; returns
/// stderr.
pub fn fails(cmd: &mut Command, message: &str) -> String {
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, Some(2), "{cmd:?} should exit 2; stderr: {stderr}");
    assert!(
        stderr.contains(message),
        "{cmd:?}: expected {message:?} in stderr:\n{stderr}"
    );
    stderr
}

/// Bytes a command printed, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The fixed environment every run of the binary in these tests gets: an 80-column terminal,
/// no colour, and no clock (`ALLHANDS_NOW`) or data folder (`ALLHANDS_DATA`) from the machine.
pub fn fixed_environment(cmd: &mut Process) -> &mut Process {
    cmd.env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env_remove("ALLHANDS_DATA")
        .env_remove("ALLHANDS_NOW")
}

/// The built binary in the fixed environment, as a plain process (to spawn, or to wrap).
pub fn binary() -> Process {
    let mut cmd = Process::new(env!("CARGO_BIN_EXE_allhands"));
    fixed_environment(&mut cmd);
    cmd
}

/// `allhands --data-dir DIR ARGS` in the fixed environment, no input, its output captured:
/// ready to spawn (see [`spawn`]) or to run.
pub fn on(dir: &Path, args: &[&str]) -> Process {
    let mut cmd = binary();
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// `allhands --data-dir DIR ARGS`, started and not waited on.
pub fn spawn(dir: &Path, args: &[&str]) -> Child {
    on(dir, args).spawn().expect("start allhands")
}

/// Hidden leftovers of a writer in `dir`: its temp files and the journal (the lock may stay).
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| (n.starts_with('.') && n.ends_with(".tmp")) || n == ".allhands.journal")
        .collect()
}

/// The built binary in the fixed environment (see [`fixed_environment`]), for assert_cmd.
pub fn allhands() -> Command {
    Command::from_std(binary())
}

/// A CSV text's rows, each keyed by the header.
pub type Row = std::collections::BTreeMap<String, String>;

/// A CSV text as rows keyed by header.
pub fn rows(text: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Session `id`'s row of sessions.csv; the test fails when there is none.
pub fn session(sample: &Sample, id: &str) -> Row {
    rows(&sample.read("sessions.csv"))
        .into_iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no session {id}"))
}

/// Each JSON item's `key` as text, e.g. the handles of an `attendees --format json` listing.
pub fn strings(items: &[serde_json::Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no text {key} in {item}"))
                .to_string()
        })
        .collect()
}

/// A CSV text's header.
pub fn header(text: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.headers().unwrap().iter().map(String::from).collect()
}

/// A JSON array's items.
pub fn json(text: &str) -> Vec<serde_json::Value> {
    match serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}")) {
        serde_json::Value::Array(items) => items,
        other => panic!("expected an array, got {other}"),
    }
}

/// A JSON report cell as text: a list's items one per line, a string as it is.
pub fn lines(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.as_str().unwrap_or_default().to_string(),
    }
}

/// Lines removed and lines added between two versions of a file (as multisets).
pub fn line_diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let mut count: std::collections::BTreeMap<&str, i64> = std::collections::BTreeMap::new();
    for line in before.lines() {
        *count.entry(line).or_default() -= 1;
    }
    for line in after.lines() {
        *count.entry(line).or_default() += 1;
    }
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (line, n) in count {
        for _ in 0..n.abs() {
            if n < 0 {
                removed.push(line.to_string());
            } else {
                added.push(line.to_string());
            }
        }
    }
    (removed, added)
}

/// Headless Chromium as this machine allows it (no sandbox as root, no network chatter).
pub fn chromium(args: &[&str]) -> std::process::Output {
    chromium_in_zone(None, args)
}

/// Headless Chromium with its clock in time zone `zone` (`TZ`), e.g. a screen set to another
/// zone than the event's.
pub fn chromium_in_zone(zone: Option<&str>, args: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let binary = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Process::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("Chromium is needed for this test (scripts/test installs Debian's chromium)");
    let mut command = Process::new(binary);
    if let Some(zone) = zone {
        command.env("TZ", zone);
    }
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .output()
        .expect("run chromium")
}

/// Lays `page` out in headless Chromium at `width`x`height` (with `query`, e.g. `?at=...`, in
/// its address), runs `script` (a `<script>` that puts JSON into `<pre id="probe">`) after the
/// page's own scripts, and returns that JSON.
pub fn probe(page: &Path, query: &str, script: &str, width: u32, height: u32) -> serde_json::Value {
    probe_in_zone(None, page, query, script, width, height)
}

/// [`probe`] with the browser's clock in time zone `zone`.
pub fn probe_in_zone(
    zone: Option<&str>,
    page: &Path,
    query: &str,
    script: &str,
    width: u32,
    height: u32,
) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{script}</body>"))).unwrap();
    // Headless Chromium's window has room for browser furniture: size it so that the page
    // itself (the viewport) gets width x height.
    let (extra_w, extra_h) = window_furniture();
    let out = chromium_in_zone(
        zone,
        &[
            &format!("--window-size={},{}", width + extra_w, height + extra_h),
            "--dump-dom",
            &format!("file://{}{query}", probed.display()),
        ],
    );
    std::fs::remove_file(&probed).unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom
        .find("<pre id=\"probe\">")
        .unwrap_or_else(|| panic!("no probe output: {dom:.500}"))
        + 16;
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("probe output is not JSON ({e}): {json}"))
}

/// How much wider and taller headless Chromium's window is than the page it shows, measured
/// once per test binary.
fn window_furniture() -> (u32, u32) {
    static FURNITURE: std::sync::OnceLock<(u32, u32)> = std::sync::OnceLock::new();
    *FURNITURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("viewport.html");
        std::fs::write(
            &page,
            "<html><body><pre id=\"probe\"></pre><script>document.getElementById('probe').textContent = \
             innerWidth + ' ' + innerHeight;</script></body></html>",
        )
        .unwrap();
        let out = chromium(&[
            "--window-size=1000,1000",
            "--dump-dom",
            &format!("file://{}", page.display()),
        ]);
        let dom = String::from_utf8_lossy(&out.stdout);
        let start = dom.find("<pre id=\"probe\">").expect("viewport probe") + 16;
        let end = start + dom[start..].find("</pre>").unwrap();
        let sizes: Vec<u32> = dom[start..end].split(' ').map(|n| n.parse().unwrap()).collect();
        (1000 - sizes[0], 1000 - sizes[1])
    })
}

/// Minutes since midnight of an `HH:MM` time.
pub fn minutes(time: &str) -> u32 {
    let (h, m) = time.split_once(':').unwrap();
    h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
}

/// The `HH:MM` time `minutes` after midnight.
pub fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The key of a CSV line (its first cell); good enough for the sample's plain ids and handles.
pub fn key(line: &str) -> &str {
    line.split(',').next().unwrap()
}

/// `before` with `line` inserted where its key sorts (the files are kept sorted by key).
pub fn with_line_inserted(before: &str, line: &str) -> String {
    let mut lines: Vec<&str> = before.lines().collect();
    let at = 1 + lines[1..]
        .iter()
        .position(|l| key(l) > key(line))
        .unwrap_or(lines.len() - 1);
    lines.insert(at, line);
    lines.join("\n") + "\n"
}

/// `before` with the one line whose key is `id` replaced by `line`.
pub fn with_line_replaced(before: &str, id: &str, line: &str) -> String {
    let mut found = 0;
    let text: Vec<&str> = before
        .lines()
        .map(|l| {
            if key(l) == id {
                found += 1;
                line
            } else {
                l
            }
        })
        .collect();
    assert_eq!(found, 1, "{id} should be on exactly one line");
    text.join("\n") + "\n"
}

/// `before` without the lines whose key is `id`.
pub fn without_line(before: &str, id: &str) -> String {
    before
        .lines()
        .filter(|l| key(l) != id)
        .map(|l| format!("{l}\n"))
        .collect()
}

/// `text` (a CSV file with one line a row) without the rows whose cell in `column` (by header
/// name) is `value`; the other lines as they were.
pub fn without_rows(text: &str, column: &str, value: &str) -> String {
    let at = header(text)
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let cell = |line: &str| {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        record.get(at).unwrap_or_default().to_string()
    };
    text.lines()
        .enumerate()
        .filter(|(i, line)| *i == 0 || cell(line) != value)
        .map(|(_, line)| format!("{line}\n"))
        .collect()
}

/// The 1-based line of a CSV text (the header is line 1) whose key is `id`.
pub fn line_of(text: &str, id: &str) -> usize {
    1 + text
        .lines()
        .position(|l| key(l) == id)
        .unwrap_or_else(|| panic!("{id} not in file"))
}

/// Asserts that exactly the files named in `changed` differ between two snapshots of a folder.
pub fn only_changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>, changed: &[&str]) {
    for name in before.keys().chain(after.keys()) {
        let same = before.get(name) == after.get(name);
        if changed.contains(&name.as_str()) {
            assert!(!same, "{name} should have changed");
        } else {
            assert!(same, "{name} should not have changed");
        }
    }
}

/// The items of a `;`-separated cell, trimmed, empty ones left out.
pub fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Whether a person is there for `start..end` on `day`, read straight from the files: one of
/// their days, after they arrive on their first and before they leave on their last, not
/// declined.
pub fn present(sample: &Sample, person: &Row, day: &str, start: u32, end: u32) -> bool {
    let order: Vec<String> = rows(&sample.read("days.csv"))
        .into_iter()
        .map(|d| d["day"].clone())
        .collect();
    let mut days = list(&person["days"]);
    days.sort_by_key(|d| order.iter().position(|o| o == d));
    let first = days.first().is_some_and(|d| d == day);
    let last = days.last().is_some_and(|d| d == day);
    person["status"] != "declined"
        && days.iter().any(|d| d == day)
        && !(first && !person["arrives"].is_empty() && start < minutes(&person["arrives"]))
        && !(last && !person["leaves"].is_empty() && end > minutes(&person["leaves"]))
}

/// The seats a session needs on `day` at `start`, worked out from the files independently of
/// allhands: its required people, and the interested ones and the members of its audience
/// teams (everyone, at a plenary) who are there then, each person once; or its size when
/// larger.
pub fn headcount(sample: &Sample, id: &str, day: &str, start: &str) -> u32 {
    let s = session(sample, id);
    let (start, end) = (minutes(start), minutes(start) + s["duration"].parse::<u32>().unwrap());
    let people = rows(&sample.read("attendees.csv"));
    let here = |handle: &str| {
        people
            .iter()
            .find(|p| p["handle"].eq_ignore_ascii_case(handle))
            .is_some_and(|p| present(sample, p, day, start, end))
    };
    let mut drawn: Vec<String> = rows(&sample.read("participants.csv"))
        .iter()
        .filter(|r| r["session"] == id)
        .filter(|r| r["role"] == "required" || here(&r["handle"]))
        .map(|r| r["handle"].to_lowercase())
        .collect();
    let audience: Vec<String> = list(&s["audience"]).iter().map(|t| t.to_lowercase()).collect();
    let plenary = audience.iter().any(|t| t == "everyone");
    for p in &people {
        let member = list(&p["teams"]).iter().any(|t| audience.contains(&t.to_lowercase()));
        if (plenary || member) && here(&p["handle"]) {
            drawn.push(p["handle"].to_lowercase());
        }
    }
    drawn.sort();
    drawn.dedup();
    let size = s["size"].parse::<u32>().unwrap_or(0);
    (drawn.len() as u32).max(size)
}

/// [`headcount`] of a booked session where it is booked.
pub fn booked_headcount(sample: &Sample, id: &str) -> u32 {
    let s = session(sample, id);
    assert!(!s["start"].is_empty(), "{id} is not booked");
    headcount(sample, id, &s["day"], &s["start"])
}

/// What python's icalendar (installed by scripts/test) reads from an ics file: the calendar's
/// NAME and each VEVENT's SUMMARY and CATEGORIES.
pub fn parse_ics(ics: &str) -> serde_json::Value {
    const READ: &str = r#"
import sys, json, re, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
def categories(event):
    found = event.get('CATEGORIES')
    if found is None:
        return []
    return [str(c) for item in (found if isinstance(found, list) else [found]) for c in item.cats]
print(json.dumps({
    # NAME (RFC 7986) is TEXT, which this parser leaves escaped: unescape it as RFC 5545 says.
    "name": re.sub(r'\\([\\;,nN])', lambda m: '\n' if m.group(1) in 'nN' else m.group(1), str(cal.get('NAME'))),
    "events": [{"summary": str(e.get('SUMMARY')), "categories": categories(e)} for e in cal.walk('VEVENT')],
}))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", READ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with icalendar (run scripts/test, or apt-get install python3-icalendar)");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python icalendar could not read the file ({}); install it with apt-get install python3-icalendar",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `event` with every record's line number set to 0, to compare contents wherever they were read.
pub fn without_line_numbers(mut event: allhands::model::Event) -> allhands::model::Event {
    event.days.iter_mut().for_each(|x| x.line = 0);
    event.slots.iter_mut().for_each(|x| x.line = 0);
    event.attendees.iter_mut().for_each(|x| x.line = 0);
    event.rooms.iter_mut().for_each(|x| x.line = 0);
    event.sessions.iter_mut().for_each(|x| x.line = 0);
    event.participants.iter_mut().for_each(|x| x.line = 0);
    event
}

/// Replaces the first data row's cell in `column` of a data file with `value`.
pub fn set_cell(sample: &Sample, file: &str, row: usize, column: &str, value: &str) {
    let text = sample.read(file);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = header.iter().position(|h| h == column).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut cells: Vec<String> = record.unwrap().iter().map(String::from).collect();
        if i == row {
            cells[at] = value.to_string();
        }
        writer.write_record(&cells).unwrap();
    }
    sample.write(file, &String::from_utf8(writer.into_inner().unwrap()).unwrap());
}

/// No character that acts on a terminal, except line breaks.
pub fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && (c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')))
        .collect();
    assert!(bad.is_empty(), "{what} shows {bad:?}:\n{text}");
}
