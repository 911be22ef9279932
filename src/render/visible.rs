//! Text from outside, made safe to show to a person on a terminal.
//!
//! Every line meant for people (tables, confirmations, `check`, error messages) goes through
//! [`visible`], so an escape sequence, a bell, a backspace or a bidi override in a name or a
//! cell shows as what it is (`\e[2J`, `\u{202e}`), the way git and ls show odd file names,
//! instead of acting on the terminal. Machine formats (csv, json) keep the data as it is.
//! Written by hand: it is a dozen lines, and no crate escapes exactly this set.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` would act on a terminal, or reorder or hide the text around it.
pub fn acts(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidi embeddings, overrides and isolates; marks that flip direction.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
            // Invisible breaks and spaces that make two strings look the same.
            | '\u{200b}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
        )
}

/// `text` with every character that [`acts`] written as a visible escape; line breaks stay.
pub fn visible(text: &str) -> Cow<'_, str> {
    // Printable ASCII, the usual cell, is checked byte by byte without decoding.
    if text.bytes().all(|b| matches!(b, b' '..=b'~' | b'\n')) || !text.chars().any(|c| c != '\n' && acts(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            c if acts(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line for people: like [`visible`], and a line break shows as `\n` too.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return visible(text);
    }
    Cow::Owned(visible(text).replace('\n', "\\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_acts_and_keeps_the_rest() {
        assert_eq!(visible("plain Ünïcødé 🦀"), "plain Ünïcødé 🦀");
        assert_eq!(visible("a\x1b[2Jb\x07c\x08"), "a\\e[2Jb\\x07c\\x08");
        assert_eq!(visible("\u{202e}cod.exe"), "\\u{202e}cod.exe");
        assert_eq!(visible("two\nlines\r\t"), "two\nlines\\r\\t");
        assert_eq!(visible("\u{9b}31m"), "\\x9b31m");
        assert_eq!(visible_line("a\nb"), "a\\nb");
    }
}
