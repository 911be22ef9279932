//! Reading what comes from outside into the event: session proposals (GitHub issue exports,
//! spreadsheets) and interest forms. Pure: text and an [`Event`](crate::model::Event) in,
//! changes and findings out; nothing here reads files or prints.
//!
//! Text from outside is data: whatever a finding quotes goes through [`quote`], and titles
//! through [`one_line`], so no control character reaches a terminal or a CSV line.

pub mod columns;
pub mod github;
pub mod interest;

pub mod proposal;
pub mod text;

/// Something an import found, for its report: a guess it made, or a problem it could not solve.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub text: String,
    /// Something the organizer should look at (not understood, unknown, dropped, refused).
    pub problem: bool,
}

impl Note {
    pub fn guess(text: impl Into<String>) -> Note {
        Note {
            text: text.into(),
            problem: false,
        }
    }

    pub fn problem(text: impl Into<String>) -> Note {
        Note {
            text: text.into(),
            problem: true,
        }
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.problem {
            f.write_str("! ")?;
        }
        f.write_str(&self.text)
    }
}

/// Outside text on one line: control characters (newlines, tabs, terminal escapes) become
/// spaces, runs of spaces one space, trimmed. The flag says whether anything was cleaned.
pub fn one_line(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut cleaned = false;
    for c in text.chars() {
        let c = if c.is_control() || is_invisible(c) {
            cleaned = true;
            ' '
        } else {
            c
        };
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    (out.trim().to_string(), cleaned)
}

/// Characters that change how text displays without showing (bidi overrides, zero widths).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// A short quote of outside text for a report: `"..."`, one line, control characters shown
/// as escapes, email addresses left out, cut after 60 characters.
pub fn quote(text: &str) -> String {
    // Reports may be posted; email addresses in quoted text are left out.
    static EMAIL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
            .expect("a valid pattern")
    });
    let text = EMAIL.replace_all(text, "[email]");
    let mut out = String::from("\"");
    for (i, c) in text.trim().chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_text_stays_on_one_line_and_inert() {
        assert_eq!(
            one_line("  Async\n closures\x1b[31m "),
            ("Async closures [31m".into(), true)
        );
        assert_eq!(one_line("Polonius"), ("Polonius".into(), false));
        assert_eq!(quote("a\x1b]0;x\x07b"), "\"a\\u{1b}]0;x\\u{7}b\"");
        assert!(quote(&"x".repeat(100)).ends_with("…\""));
        assert_eq!(quote("ask ferris@rust-lang.org on Friday"), "\"ask [email] on Friday\"");
    }
}
