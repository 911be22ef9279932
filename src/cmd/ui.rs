//! `Ui`: the one way a command talks to the person (or program) that ran it, as jj's `Ui`
//! and cargo's `Shell`. It owns standard output and `-o FILE`, the width and colour people's
//! output is drawn for, status, warning and hint lines on standard error, and progress.
//! Commands never print any other way, so a closed pipe, `NO_COLOR`, a narrow terminal and a
//! file's readers are handled once, here.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};

use super::OutputArgs;
use crate::error::{Error, Result};
use crate::render::{Listing, Terminal, visible};
use crate::store;

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default().bold();

pub struct Ui {
    /// Whether standard output may carry colour (a terminal, no `NO_COLOR`; or
    /// `CLICOLOR_FORCE`), as anstream decides for clap's own help.
    stdout_color: bool,
}

impl Default for Ui {
    fn default() -> Ui {
        Ui::new()
    }
}

impl Ui {
    pub fn new() -> Ui {
        Ui {
            stdout_color: anstream::AutoStream::choice(&std::io::stdout()) != ColorChoice::Never,
        }
    }

    /// The terminal people will read output at: `COLUMNS` when set (scripts and tests pin it),
    /// else standard output's terminal, else the controlling terminal (a table piped to `less`
    /// or `head` is still read there), else 80. A file written with `-o` gets no colour and the
    /// terminal's width only if one is there to read it.
    pub fn terminal(&self, output: Option<&Path>) -> Terminal {
        let to_file = output.is_some_and(|p| p != Path::new("-"));
        let tty = !to_file && std::io::stdout().is_terminal();
        let from_env = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 20);
        let from_stdout = || tty.then(|| terminal_size::terminal_size().map(|(w, _)| w.0)).flatten();
        let from_controlling = || {
            (!to_file)
                .then(|| std::fs::File::open("/dev/tty").ok())
                .flatten()
                .and_then(|tty| terminal_size::terminal_size_of(&tty))
                .map(|(w, _)| w.0)
        };
        let width = from_env
            .or_else(from_stdout)
            .or_else(from_controlling)
            .filter(|w| *w >= 20)
            .unwrap_or(80);
        Terminal {
            width,
            color: !to_file && self.stdout_color,
        }
    }

    /// Prints to standard output; a closed pipe (`| head`) ends quietly instead of failing.
    pub fn print(&self, text: &str) -> Result<()> {
        write_stdout(text.as_bytes())
    }

    /// Writes a command's result to `-o FILE` when given, else to standard output.
    pub fn output(&self, output: Option<&Path>, bytes: &[u8]) -> Result<()> {
        match output {
            Some(path) => write_file(path, bytes),
            None => write_stdout(bytes),
        }
    }

    /// Prints (or writes to `-o FILE`) a listing in the format asked for, drawn for the
    /// terminal it will be read at.
    ///
    /// The listing is left to the process exit, as the event it was made from is (see
    /// `Context::load_to_read`): freeing 10,000 rows of cells one by one took a twentieth of
    /// `attendees` at stress size.
    pub fn listing(&self, args: &OutputArgs, listing: Listing) -> Result<()> {
        let text = listing.render(args.format.into(), self.terminal(args.output.as_deref()));
        std::mem::forget(listing);
        self.output(args.output.as_deref(), text.as_bytes())
    }

    /// One line saying what a command did (`Added S067 ...`), on standard output, where the
    /// result of a command goes; text from the data is shown, never obeyed.
    pub fn status(&self, line: impl AsRef<str>) -> Result<()> {
        self.print(&format!("{}\n", visible(line.as_ref())))
    }

    /// Confirms an edit by what it changed: `Changed S012: duration: 60 -> 90; room: (none) -> blue`.
    pub fn changed<T: store::Record>(&self, what: &str, before: &T, after: &T) -> Result<()> {
        let changes = store::field_changes(before, after);
        if changes.is_empty() {
            self.status(format!("No change to {what}"))
        } else {
            self.status(format!("Changed {what}: {}", changes.join("; ")))
        }
    }

    /// A report for people beside the result (what could not be placed, merge conflicts), on
    /// standard error.
    pub fn report(&self, text: &str) {
        write_stderr(&format!("{}\n", visible(text)));
    }

    /// `warning: ...` on standard error.
    pub fn warning(&self, text: &str) {
        write_stderr(&format!("{WARNING}warning{WARNING:#}: {}\n", visible(text)));
    }

    /// How a command ended badly: `error: ...`, then `hint: ...` when the error says what to
    /// do instead. Problems (exit status 1) were reported already; only their summary shows.
    pub fn error(&self, error: &Error) {
        let message = error.to_string();
        if !message.is_empty() {
            write_stderr(&format!("{ERROR}error{ERROR:#}: {}\n", visible(&message)));
        }
        if let Some(hint) = error.hint() {
            write_stderr(&format!("{HINT}hint{HINT:#}: {}\n", visible(hint)));
        }
    }

    /// A spinner with the time so far on standard error, when it is a terminal, until the
    /// returned value is dropped (then the line is cleared).
    pub fn progress(&self, message: &'static str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(indicatif::ProgressBar::hidden());
        }
        let bar = indicatif::ProgressBar::new_spinner().with_message(message);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}... {elapsed}").expect("the template is valid"),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(bar)
    }
}

/// A running task's spinner (see [`Ui::progress`]).
pub struct Progress(indicatif::ProgressBar);

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// Writes `-o FILE` (or another file the user named): `-` is standard output; any other path
/// goes through [`store::write_file`] (atomic, never a data folder's file).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if path == Path::new("-") {
        return write_stdout(bytes);
    }
    store::write_file(path, bytes)
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("standard output")(e)),
        _ => Ok(()),
    }
}

/// Standard error through anstream: styles only where they show (a terminal, no `NO_COLOR`).
/// Nothing useful can be done when standard error itself is gone.
fn write_stderr(text: &str) {
    let mut err = anstream::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}
