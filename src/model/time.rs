//! Clock times and durations as the organizers type them.
//!
//! A [`Time`] is minutes after midnight in the event's time zone. Keeping it as a plain
//! integer makes overlap tests exact: two sessions that start at the same minute overlap,
//! a session ending at 10:30 does not overlap one starting at 10:30.

use std::fmt;

use serde::{Serialize, Serializer};

/// A time of day, `HH:MM`, minute precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(u16);

impl Time {
    pub const MIDNIGHT: Time = Time(0);
    /// 24:00, the end of a day; allowed as a closing time.
    pub const END_OF_DAY: Time = Time(24 * 60);

    /// A time known at compile time; panics (at compile time, in a const) when invalid.
    pub const fn at(hours: u16, minutes: u16) -> Time {
        assert!(minutes < 60 && hours * 60 + minutes <= 24 * 60);
        Time(hours * 60 + minutes)
    }

    pub fn from_minutes(minutes: u32) -> Option<Time> {
        (minutes <= 24 * 60).then_some(Time(minutes as u16))
    }

    pub fn hm(hours: u32, minutes: u32) -> Option<Time> {
        (minutes < 60).then(|| Time::from_minutes(hours * 60 + minutes))?
    }

    pub fn minutes(self) -> u32 {
        u32::from(self.0)
    }

    /// The next multiple of `step` minutes at or after this time (at most 24:00).
    pub fn round_up(self, step: u32) -> Time {
        let minutes = self.minutes().div_ceil(step) * step;
        Time::from_minutes(minutes).unwrap_or(Time::END_OF_DAY)
    }

    /// This time plus `duration` minutes, or `None` past the end of the day.
    pub fn plus(self, duration: u32) -> Option<Time> {
        Time::from_minutes(self.minutes() + duration)
    }

    /// Parses `9:30`, `09:30` or `24:00`, and `09:30:00` as spreadsheets save times (whole
    /// minutes only).
    pub fn parse(text: &str) -> Result<Time, String> {
        let text = text.trim();
        let bad = || format!("'{text}' is not a time (valid: HH:MM, 00:00 to 24:00, e.g. 09:30)");
        let minutes_part = match text.len() {
            8 if text.ends_with(":00") => &text[..5],
            7 if text.ends_with(":00") => &text[..4],
            _ => text,
        };
        let (h, m) = minutes_part.split_once(':').ok_or_else(bad)?;
        let digits = |s: &str, max_len| !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
            return Err(bad());
        }
        let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if h > 24 || m > 59 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Time::hm(h, m).ok_or_else(bad)
    }
}

impl Time {
    /// Parses when something starts: like [`Time::parse`], but 24:00 (the end of a day,
    /// which would begin a session of no length on the wrong day) is refused.
    pub fn parse_start(text: &str) -> Result<Time, String> {
        match Time::parse(text)? {
            Time::END_OF_DAY => Err(format!(
                "'{}' is the end of the day; a session starts by 23:59 (valid: 00:00 to 23:59)",
                text.trim()
            )),
            time => Ok(time),
        }
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A half-open span of time `[start, end)` on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: Time,
    pub end: Time,
}

impl Span {
    pub fn new(start: Time, end: Time) -> Span {
        Span { start, end }
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn contains_time(self, t: Time) -> bool {
        self.start <= t && t < self.end
    }

    pub fn minutes(self) -> u32 {
        self.end.minutes().saturating_sub(self.start.minutes())
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// Parses a calendar date written `YYYY-MM-DD`, as days.csv and `init --from` have it.
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date (valid: YYYY-MM-DD, e.g. 2026-05-21)"))
}

/// Parses a duration: `90`, `90m`, `1h`, `1h30`, `1h30m`, `1:30`. Returns minutes (> 0).
pub fn parse_duration(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let bad = || format!("'{text}' is not a duration (valid: minutes like 90 or 90m, or 1h30)");
    let number = |s: &str| -> Result<u32, String> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    // Minutes after hours are 0 to 59: `1h99` is a typo, not 2h39.
    let minutes_of_hour = |m: &str| {
        let m = number(m)?;
        if m < 60 {
            Ok(m)
        } else {
            Err(format!(
                "'{text}' is not a duration: minutes after the hours must be 0 to 59"
            ))
        }
    };
    let minutes = if let Some((h, m)) = text.split_once('h') {
        let m = m.strip_suffix('m').unwrap_or(m);
        number(h)? * 60 + if m.is_empty() { 0 } else { minutes_of_hour(m)? }
    } else if let Some((h, m)) = text.split_once(':') {
        number(h)? * 60 + minutes_of_hour(m)?
    } else {
        number(
            text.strip_suffix("min")
                .or_else(|| text.strip_suffix('m'))
                .unwrap_or(text),
        )?
    };
    if minutes == 0 {
        return Err(format!("'{text}' is not a duration: it must be longer than 0 minutes"));
    }
    if minutes > 24 * 60 {
        return Err(format!("'{text}' is longer than a day"));
    }
    Ok(minutes)
}

/// `90` → `1h30`, `60` → `1h`, `45` → `45m`.
pub fn format_duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}"),
    }
}

/// The event's time zone: a valid IANA zone, checked when the event is loaded (or given to
/// `init`), so nothing later parses it again or falls back to another zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone(pub chrono_tz::Tz);

impl Zone {
    /// Parses an IANA name, e.g. `Europe/Amsterdam`, as written (a message with what is valid
    /// otherwise).
    pub fn parse(name: &str) -> Result<Zone, String> {
        name.parse::<chrono_tz::Tz>()
            .map(Zone)
            .map_err(|_| format!("'{name}' is not an IANA time zone (valid: e.g. Europe/Amsterdam, UTC)"))
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    /// Its IANA name, as the file has it.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times() {
        assert_eq!(Time::parse("9:30").unwrap().to_string(), "09:30");
        assert_eq!(Time::parse("09:30").unwrap().minutes(), 570);
        assert_eq!(Time::parse("24:00").unwrap(), Time::END_OF_DAY);
        // Spreadsheets save whole-minute times with seconds.
        assert_eq!(Time::parse("09:30:00").unwrap().to_string(), "09:30");
        assert_eq!(Time::parse("9:30:00").unwrap().to_string(), "09:30");
        for bad in [
            "25:00", "9", "9:3", "09:60", "24:01", "", "ab:cd", "-1:00", "9:30:15", "09:30:0x",
        ] {
            assert!(Time::parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("90").unwrap(), 90);
        assert_eq!(parse_duration("90m").unwrap(), 90);
        assert_eq!(parse_duration("1h30").unwrap(), 90);
        assert_eq!(parse_duration("1h30m").unwrap(), 90);
        assert_eq!(parse_duration("2h").unwrap(), 120);
        assert_eq!(parse_duration("1:15").unwrap(), 75);
        for bad in ["0", "-5", "h", "1h-3", "abc", "", "99999", "1h99", "1h60", "1:75"] {
            assert!(parse_duration(bad).is_err(), "{bad} should not parse");
        }
        assert_eq!(format_duration(90), "1h30");
        assert_eq!(format_duration(45), "45m");
    }

    #[test]
    fn rounds_up_to_a_step() {
        let t = |s| Time::parse(s).unwrap();
        assert_eq!(t("14:03").round_up(5), t("14:05"));
        assert_eq!(t("14:05").round_up(5), t("14:05"));
        assert_eq!(t("23:58").round_up(5), Time::END_OF_DAY);
    }

    #[test]
    fn spans_touching_do_not_overlap_but_same_start_does() {
        let t = |s| Time::parse(s).unwrap();
        let a = Span::new(t("09:00"), t("10:30"));
        assert!(!a.overlaps(Span::new(t("10:30"), t("11:00"))));
        assert!(a.overlaps(Span::new(t("09:00"), t("09:30"))));
        assert!(a.overlaps(Span::new(t("10:00"), t("11:00"))));
    }
}
