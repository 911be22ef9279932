//! The errors a command can end with, and the exit status each maps to.

use std::path::{Path, PathBuf};

/// Exit status: `check` (or `plan`) found problems.
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit status: bad usage or bad data; nothing was written.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What was asked cannot be done as asked: a bad value, an unknown name, a hard rule it
    /// would break, data changed meanwhile. Nothing was written. `hint` says what to do instead;
    /// `main` prints it on a line of its own.
    #[error("{message}")]
    Refused { message: String, hint: Option<String> },
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
    /// The command ran but found problems (exit status 1); the report was already printed,
    /// `summary` (if any) is the closing line.
    #[error("{}", summary.as_deref().unwrap_or_default())]
    Problems { summary: Option<String> },
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
            Error::Problems { .. } => EXIT_PROBLEMS,
            _ => EXIT_ERROR,
        }
    }

    /// A refusal: see [`Error::Refused`].
    pub fn refused(message: impl Into<String>) -> Error {
        Error::Refused {
            message: message.into(),
            hint: None,
        }
    }

    /// Adds what to do instead, printed as `hint: ...` under the error.
    pub fn with_hint(mut self, text: impl Into<String>) -> Error {
        if let Error::Refused { hint, .. } = &mut self {
            *hint = Some(text.into());
        }
        self
    }

    /// What to do instead, if the error says.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Refused { hint, .. } => hint.as_deref(),
            _ => None,
        }
    }

    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

impl From<crate::model::NotFound> for Error {
    fn from(not_found: crate::model::NotFound) -> Error {
        Error::refused(not_found.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
