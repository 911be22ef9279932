//! The errors a command can end with, and the exit status each maps to.

use std::path::{Path, PathBuf};

/// Exit status: `check` (or `plan`) found problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit status: bad usage or bad data; nothing was written.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user asked for something that cannot be done: unknown key, rule broken, bad value.
    #[error("{0}")]
    Usage(String),
    /// A data file is malformed. Displays as `FILE:LINE: column COLUMN: message`.
    #[error("{}", data_location(file, *line, column.as_deref(), message))]
    Data {
        file: PathBuf,
        line: Option<u64>,
        column: Option<String>,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The command ran but found problems (exit status 1); the report was already printed.
    #[error("{0}")]
    Problems(String),
}

fn data_location(file: &Path, line: Option<u64>, column: Option<&str>, message: &str) -> String {
    let mut out = file.display().to_string();
    if let Some(line) = line {
        out += &format!(":{line}");
    }
    out += ": ";
    if let Some(column) = column {
        out += &format!("column {column}: ");
    }
    out + message
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Problems(_) => EXIT_PROBLEMS,
            _ => EXIT_ERROR,
        }
    }

    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

impl From<String> for Error {
    fn from(message: String) -> Error {
        Error::Usage(message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
