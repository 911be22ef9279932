//! When two keys name the same thing: handles are GitHub usernames (ASCII letters, digits and
//! single hyphens, compared without case), and any key is compared after Unicode
//! normalisation and case folding, and refused or flagged when it only looks like another
//! (Cyrillic `а` for Latin `a`, fullwidth `ａ`, a zero-width space, the Kelvin sign).
//! The confusables come from `unicode-security` (Unicode's UTS #39 skeletons).

use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

/// GitHub's limit on a username's length.
pub const HANDLE_MAX: usize = 39;

/// Checks a handle is a GitHub username: ASCII letters, digits and single hyphens, not at
/// either end, at most 39 characters. So an email address (or anything else a form's
/// "GitHub username" field receives) never becomes a handle that exports show.
/// An email address as typed (trimmed): empty (nobody has to give one) or one line with an `@`
/// and no spaces.
pub fn validate_email(email: &str) -> Result<(), String> {
    if email.is_empty() {
        return Ok(());
    }
    if !email.contains('@') || email.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(format!("'{email}' is not an email address (valid: name@example.org)"));
    }
    Ok(())
}

/// A title as typed (trimmed): present, and one line.
pub fn validate_title(title: &str) -> Result<(), String> {
    if title.is_empty() {
        return Err("the title must not be empty".into());
    }
    super::validate_line("the title", title)
}

pub fn validate_handle(handle: &str) -> Result<(), String> {
    let valid = !handle.is_empty()
        && handle.len() <= HANDLE_MAX
        && handle.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !handle.starts_with('-')
        && !handle.ends_with('-')
        && !handle.contains("--");
    if valid {
        Ok(())
    } else {
        Err(format!(
            "handle '{handle}' is not a GitHub username (valid: ASCII letters, digits and single hyphens, \
             not first or last, at most {HANDLE_MAX} characters)"
        ))
    }
}

/// A GitHub-style handle made from a name or an email's local part, for a form row that gave
/// none: accents dropped (`Ayşe Demir` → `ayse-demir`), anything else non-ASCII and every run
/// of other characters a single hyphen, at most 39 characters; `attendee` when nothing is left.
pub fn handle_from(text: &str) -> String {
    let ascii: String = text
        .nfkd()
        .filter(char::is_ascii)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut handle = ascii.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    handle.truncate(HANDLE_MAX);
    let handle = handle.trim_end_matches('-').to_string();
    if handle.is_empty() { "attendee".into() } else { handle }
}

/// The form two keys are compared in: NFKC-normalised, case-folded, without the invisible
/// characters Unicode says to ignore. `ａlice`, `ALICE` and `al\u{200b}ice` all give `alice`.
pub fn key_form(key: &str) -> String {
    // ASCII is its own NFKC form and has nothing to ignore.
    if key.is_ascii() {
        return key.to_ascii_lowercase();
    }
    key.nfkc()
        .filter(|c| !is_ignorable(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfkc()
        .collect()
}

/// Default-ignorable characters that render as nothing (zero-width spaces and joiners, soft
/// hyphen, word joiner, BOM, variation selectors, bidi marks).
fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// What a key looks like: its UTS #39 skeleton (without invisible characters), lower case.
/// Keys that a reader cannot tell apart (`aIice`, `аlice`, `alice`) get the same one.
pub fn look(key: &str) -> String {
    if key.is_ascii() {
        // An ASCII key is its own NFKC and NFD form with nothing to ignore, so its skeleton
        // is its characters' skeletons in a row: looked up, not worked out, for the 10,000
        // keys `check` compares.
        let looks = ascii_looks();
        return key.bytes().map(|b| looks[usize::from(b)].as_str()).collect();
    }
    let visible: String = key.nfkc().filter(|c| !is_ignorable(*c)).collect();
    skeleton(&visible).flat_map(char::to_lowercase).collect()
}

/// The look of each ASCII character, by its code.
fn ascii_looks() -> &'static [String; 128] {
    static LOOKS: std::sync::OnceLock<[String; 128]> = std::sync::OnceLock::new();
    LOOKS.get_or_init(|| {
        std::array::from_fn(|code| {
            let c = char::from(u8::try_from(code).expect("ASCII"));
            skeleton(&c.to_string()).flat_map(char::to_lowercase).collect()
        })
    })
}

/// Whether two different keys name the same thing, or look as if they did.
pub fn same_or_alike(a: &str, b: &str) -> bool {
    Alike::new(a).is(b)
}

/// A key's normal form and look, made once to compare many keys with it.
pub struct Alike<'a> {
    key: &'a str,
    form: String,
    look: String,
}

impl<'a> Alike<'a> {
    pub fn new(key: &'a str) -> Self {
        Alike {
            key,
            form: key_form(key),
            look: look(key),
        }
    }

    /// Whether `other` is a different key that names the same thing, or looks as if it did.
    pub fn is(&self, other: &str) -> bool {
        other != self.key && (key_form(other) == self.form || look(other) == self.look)
    }
}

/// The first of `existing` that is a different key but compares equal to `key` or looks
/// like it.
pub fn look_alike<'a>(key: &str, existing: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let alike = Alike::new(key);
    existing.into_iter().find(|other| alike.is(other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_keys_look_as_their_skeleton_says() {
        let general = |key: &str| -> String { skeleton(key).flat_map(char::to_lowercase).collect() };
        let printable: Vec<char> = (b' '..=b'~').map(char::from).collect();
        for a in &printable {
            for b in &printable {
                let key: String = [*a, *b, 'x'].iter().collect();
                assert_eq!(look(&key), general(&key), "{key:?}");
            }
        }
        for key in [
            "rnike",
            "aIice",
            "alice",
            "O0o",
            "vvill",
            "cl-d",
            "ferris_1",
            "\t\n\u{7f}",
        ] {
            assert_eq!(look(key), general(key), "{key:?}");
        }
        assert_eq!(look("rnike"), look("mike"));
        assert_eq!(look("aIice"), look("alice"));
    }

    #[test]
    fn handles_made_from_names_are_github_style() {
        assert_eq!(handle_from("Ayşe Demir"), "ayse-demir");
        assert_eq!(handle_from("ana.lima"), "ana-lima");
        assert_eq!(handle_from("  José  Ñúñez--O'Brien "), "jose-nunez-o-brien");
        assert_eq!(handle_from("王小明"), "attendee");
        let long = handle_from(&"a b ".repeat(40));
        assert!(long.len() <= HANDLE_MAX && validate_handle(&long).is_ok(), "{long}");
        for text in ["Ayşe Demir", "x", "--", "a-b"] {
            assert!(validate_handle(&handle_from(text)).is_ok(), "{text}");
        }
    }

    #[test]
    fn handles_are_github_usernames() {
        for good in ["alice", "Ferris-Crab", "a1", "x", &"a".repeat(39)] {
            assert!(validate_handle(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a@b.org",
            "-a",
            "a-",
            "a--b",
            "a_b",
            "a.b",
            "аlice",
            &"a".repeat(40),
        ] {
            assert!(validate_handle(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn look_alikes_are_found() {
        let existing = ["alice", "bob"];
        for twin in ["\u{0430}lice", "\u{ff41}lice", "al\u{200b}ice", "ALICE", "aIice"] {
            assert_eq!(look_alike(twin, existing), Some("alice"), "{twin:?}");
        }
        assert_eq!(look("\u{212a}elvin"), look("kelvin"));
        assert_eq!(look_alike("carol", existing), None);
        assert_eq!(look_alike("alice", existing), None, "the same key is not a look-alike");
    }
}
