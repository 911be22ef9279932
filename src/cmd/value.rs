//! Values parsed once, at the edge, by clap's `value_parser`: a bad `--at 25:00` or `--for 1h99`
//! is refused by clap (exit status 2, naming the flag) before any file is read, and commands
//! get a `Time` or minutes, never text to parse again.

use crate::model::{self, Span, Time};

/// A date, `YYYY-MM-DD`.
pub fn date(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::model::parse_date(text)
}

/// `HH:MM`, 00:00 to 24:00.
pub fn time(text: &str) -> Result<Time, String> {
    Time::parse(text)
}

/// The time a session starts at: `HH:MM`, 00:00 to 23:59.
pub fn start(text: &str) -> Result<Time, String> {
    Time::parse_start(text)
}

/// A length: `90`, `90m`, `1h30`, `1:30`.
pub fn duration(text: &str) -> Result<u32, String> {
    model::parse_duration(text)
}

/// A length that may be none: `0` as well as any [`duration`].
pub fn duration_or_zero(text: &str) -> Result<u32, String> {
    match text.trim() {
        "0" | "0m" => Ok(0),
        text => model::parse_duration(text),
    }
}

/// A number of seats, 0 or more.
pub fn capacity(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| format!("'{text}' is not a number of seats (valid: a whole number, 0 or more)"))
}

/// A span of the day, `12:30-13:30`, or `none` (or empty) for no span.
pub fn span_or_none(text: &str) -> Result<Setting<Span>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("none") {
        return Ok(Setting::Clear);
    }
    let (from, to) = text
        .split_once('-')
        .ok_or_else(|| format!("'{text}' is not a time range (valid: e.g. 12:30-13:30, or none)"))?;
    let (from, to) = (Time::parse(from)?, Time::parse(to)?);
    if to <= from {
        return Err(format!("{to} is not after {from}"));
    }
    Ok(Setting::Set(Span::new(from, to)))
}

/// A setting an edit may also take away: `--arrives ""` clears the arrival time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting<T> {
    Clear,
    Set(T),
}

impl<T> Setting<T> {
    /// What the setting becomes: nothing, or the value.
    pub fn into_option(self) -> Option<T> {
        match self {
            Setting::Clear => None,
            Setting::Set(value) => Some(value),
        }
    }
}

/// `HH:MM`, or `""` to clear.
pub fn time_or_clear(text: &str) -> Result<Setting<Time>, String> {
    match text.trim() {
        "" => Ok(Setting::Clear),
        text => Time::parse(text).map(Setting::Set),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_clears_and_anything_else_must_be_a_time() {
        assert_eq!(time_or_clear(" "), Ok(Setting::Clear));
        assert_eq!(time_or_clear("09:30"), Ok(Setting::Set(Time::hm(9, 30).unwrap())));
        assert!(time_or_clear("9h").is_err());
        assert_eq!(duration_or_zero("0"), Ok(0));
        assert_eq!(span_or_none("none"), Ok(Setting::Clear));
        assert!(span_or_none("13:30-12:30").unwrap_err().contains("not after"));
        assert_eq!(duration("1h30"), Ok(90));
        assert!(capacity("-3").unwrap_err().contains("not a number of seats"));
    }
}
