//! Helpers for end-to-end tests: a temporary copy of the sample `data/`, the built binary
//! run on it, and snapshots of the folder's files to prove a failed command wrote nothing.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

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

    /// Every file in the folder (including hidden ones) with its bytes.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(&self.data)
            .unwrap()
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

    /// Runs a command that must fail with exit status 2, a message containing `message`,
    /// and no change at all to the data folder. Returns stderr.
    pub fn fails(&self, args: &[&str], message: &str) -> String {
        let before = self.snapshot();
        let output = self.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?} should exit 2; stderr: {stderr}"
        );
        assert!(
            stderr.contains(message),
            "{args:?}: expected {message:?} in stderr:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
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
        let output = self.cmd(args).env("COLUMNS", "400").output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?} failed: {stderr}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// Runs a command that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.cmd(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{args:?} failed ({:?}): {stderr}",
            output.status.code()
        );
        String::from_utf8(output.stdout).unwrap()
    }
}

/// The built binary with a fixed terminal width and no colour or clock from the machine.
pub fn allhands() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("allhands");
    cmd.env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env_remove("ALLHANDS_DATA")
        .env_remove("ALLHANDS_NOW");
    cmd
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
