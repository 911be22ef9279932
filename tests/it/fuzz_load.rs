//! Property tests of loading and saving the data folder.
//!
//! (a) Whatever bytes end up in one of the CSV files (random junk, or the sample's file with a
//!     few splices of troublesome text), loading never panics, and `check` and `schedule`
//!     end with status 0, 1 or 2, never a panic.
//! (b) Any valid event written by `store::create` loads back as the same data:
//!     load(save(x)) == x, with names full of formula-like text, quotes, commas, line breaks
//!     and unicode.

use crate::common;

use std::path::Path;

use allhands::model::{
    Attendee, Day, Event, EventInfo, Extra, Kind, Participant, Preference, Role, Room, Session, Slot, Status, Tie,
    Time, Zone, integrity, rules,
};
use allhands::store::{self, Store};
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{Index, select};

/// `cases` by default; `PROPTEST_CASES=N` runs more (or fewer) for a deeper search.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Do not write proptest-regressions/ files into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// (a) Junk in a file.

/// Text that tends to break CSV readers and the checks behind them.
const TOKENS: &[&str] = &[
    "\"",
    "\"\"",
    ",",
    ",,,,,,,,",
    "\n",
    "\r\n",
    "\r",
    ";",
    "'",
    "'=1+1",
    "=1+1",
    "@SUM(1)",
    "\t",
    "\u{feff}",
    "\u{0}",
    "25:00",
    "24:00",
    "00:00",
    "9:3",
    "-1",
    "0",
    "4294967296",
    "99999",
    "1h",
    "23h59",
    "thu",
    "sun",
    "S001",
    "S999",
    "alice",
    "main",
    "required",
    "adhoc",
    "declined",
    "2026-02-30",
    "Europe/Nowhere",
    "🦀",
    "é",
    "",
];

#[derive(Clone, Debug)]
enum Splice {
    /// Put one of [`TOKENS`] at a place.
    Token(Index, &'static str),
    /// Put raw bytes at a place.
    Bytes(Index, Vec<u8>),
    /// Cut up to `n` bytes from a place.
    Cut(Index, usize),
}

fn splice() -> impl Strategy<Value = Splice> {
    prop_oneof![
        4 => (any::<Index>(), select(TOKENS)).prop_map(|(at, t)| Splice::Token(at, t)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..6)).prop_map(|(at, b)| Splice::Bytes(at, b)),
        2 => (any::<Index>(), 1usize..40).prop_map(|(at, n)| Splice::Cut(at, n)),
    ]
}

/// New contents for one file: pure junk, or the sample's file with a few splices.
#[derive(Clone, Debug)]
enum Junk {
    Bytes(Vec<u8>),
    Spliced(Vec<Splice>),
}

fn junk() -> impl Strategy<Value = (&'static str, Junk)> {
    let contents = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..600).prop_map(Junk::Bytes),
        1 => prop::collection::vec(any::<char>(), 0..300).prop_map(|c| Junk::Bytes(c.into_iter().collect::<String>().into_bytes())),
        4 => prop::collection::vec(splice(), 1..6).prop_map(Junk::Spliced),
    ];
    (select(&store::FILES[..]), contents)
}

fn apply(original: &[u8], junk: &Junk) -> Vec<u8> {
    match junk {
        Junk::Bytes(bytes) => bytes.clone(),
        Junk::Spliced(splices) => {
            let mut bytes = original.to_vec();
            for s in splices {
                match s {
                    Splice::Token(at, token) => {
                        let i = at.index(bytes.len() + 1);
                        bytes.splice(i..i, token.bytes());
                    }
                    Splice::Bytes(at, raw) => {
                        let i = at.index(bytes.len() + 1);
                        bytes.splice(i..i, raw.iter().copied());
                    }
                    Splice::Cut(at, n) => {
                        let i = at.index(bytes.len() + 1);
                        let end = (i + n).min(bytes.len());
                        bytes.drain(i..end);
                    }
                }
            }
            bytes
        }
    }
}

/// Loads the folder in this process and, when it loads, runs every check on it.
fn load_and_check(dir: &Path) {
    match Store::open(dir).and_then(|s| s.load()) {
        Ok(event) => {
            let _ = integrity::problems(&event);
            let _ = rules::all_conflicts(&event);
            let _ = rules::clashes(&event);
        }
        Err(e) => {
            // A load error names the file it is about.
            let message = e.to_string();
            assert!(!message.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(config(48))]

    /// Through the library and through the binary.
    #[test]
    fn junk_in_a_file_never_panics_load_check_or_schedule((file, junk) in junk()) {
        let sample = common::Sample::new();
        let bytes = apply(&std::fs::read(sample.path(file)).unwrap(), &junk);
        std::fs::write(sample.path(file), &bytes).unwrap();
        load_and_check(&sample.data);
        for args in [&["check"][..], &["schedule"][..]] {
            let output = sample.cmd(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            prop_assert!(
                matches!(output.status.code(), Some(0..=2)),
                "{args:?} on junk in {file} ended with {:?}: {stderr}", output.status.code()
            );
            prop_assert!(!stderr.contains("panicked"), "{args:?} on junk in {file} panicked: {stderr}");
            if output.status.code() == Some(2) {
                prop_assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
            }
        }
    }
}

proptest! {
    #![proptest_config(config(200))]

    /// Many more cases through the library only (no process per case).
    #[test]
    fn junk_in_a_file_never_panics_the_library((file, junk) in junk()) {
        let sample = common::Sample::new();
        let bytes = apply(&std::fs::read(sample.path(file)).unwrap(), &junk);
        std::fs::write(sample.path(file), &bytes).unwrap();
        load_and_check(&sample.data);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) load(save(x)) == x.

/// Free text as people type it: formula-like starts, quotes, commas, line breaks, unicode.
/// Surrounding whitespace is left out (allhands trims cells), except a leading tab or carriage
/// return, which the formula guard must carry through.
fn text(allow_empty: bool) -> impl Strategy<Value = String> {
    let lead = select(vec![
        "",
        "",
        "",
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "'",
        "'=",
        "''",
        "'\t",
        "=1+1",
        "@SUM(1)",
        "-x",
        "+1",
        "=HYPERLINK(\"http://example.invalid\",\"x\")",
        "\"",
        ",",
        "'Tis",
    ]);
    let body = prop::collection::vec(
        prop_oneof![
            6 => prop::char::range('a', 'z'),
            1 => prop::char::range('A', 'Z'),
            2 => select(vec![' ', ',', '"', '\'', ';', '\n', '\r', '\t', '=', '+', '-', '@', 'é', 'ß', 'ø', 'ł', '中', '🦀', '\u{feff}', '\u{0}']),
            1 => any::<char>(),
        ],
        0..14,
    );
    (lead, body).prop_map(move |(lead, body)| {
        let mut s: String = format!("{lead}{}", body.into_iter().collect::<String>());
        s.truncate(s.trim_end().len());
        while s.starts_with(|c: char| c.is_whitespace() && c != '\t' && c != '\r') {
            s.remove(0);
        }
        if s.trim().is_empty() && !allow_empty {
            s = "x".to_string();
        }
        if s.trim().is_empty() {
            s.clear();
        }
        s
    })
}

/// Text for a single-line field (a name, a title, a team): like [`text`] without the control
/// characters that load refuses there (only extra columns, such as notes, keep them).
fn line_text(allow_empty: bool) -> impl Strategy<Value = String> {
    text(allow_empty).prop_map(move |s| {
        let s: String = s.chars().filter(|c| !c.is_control()).collect();
        let s = s.trim().to_string();
        if s.is_empty() && !allow_empty {
            "x".to_string()
        } else {
            s
        }
    })
}

/// A key (handle, room id, ...): no spaces, `;`, `,`, quotes; starts with a letter or digit.
fn key() -> impl Strategy<Value = String> {
    "[a-z0-9éß中][a-zA-Z0-9_.éß中-]{0,6}"
}

fn day_key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,4}"
}

fn time() -> impl Strategy<Value = Time> {
    (0u32..=1440).prop_map(|m| Time::from_minutes(m).unwrap())
}

/// A start before an end.
fn span() -> impl Strategy<Value = (Time, Time)> {
    (0u32..1440, any::<u32>()).prop_map(|(start, n)| {
        let end = start + 1 + n % (1440 - start);
        (Time::from_minutes(start).unwrap(), Time::from_minutes(end).unwrap())
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1970i32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn list(keys: &[String], picks: &[Index]) -> Vec<String> {
    if keys.is_empty() {
        return vec![];
    }
    picks.iter().map(|i| i.get(keys).clone()).collect()
}

/// Makes keys unique by numbering them.
fn numbered(keys: Vec<String>) -> Vec<String> {
    keys.into_iter().enumerate().map(|(i, k)| format!("{k}{i}")).collect()
}

#[derive(Clone, Debug)]
struct AttendeeParts {
    handle: String,
    name: String,
    email: String,
    role: Role,
    teams: Vec<String>,
    days: Vec<Index>,
    arrives: Option<Time>,
    leaves: Option<Time>,
    status: Status,
    notes: String,
}

fn attendee_parts() -> impl Strategy<Value = AttendeeParts> {
    (
        key(),
        line_text(false),
        line_text(true),
        select(Role::ALL.to_vec()),
        prop::collection::vec(key(), 0..3),
        prop::collection::vec(any::<Index>(), 0..3),
        prop::option::of(time()),
        prop::option::of(time()),
        select(Status::ALL.to_vec()),
        text(true),
    )
        .prop_map(
            |(handle, name, email, role, teams, days, arrives, leaves, status, notes)| AttendeeParts {
                handle,
                name,
                email,
                role,
                teams,
                days,
                arrives,
                leaves,
                status,
                notes,
            },
        )
}

#[derive(Clone, Debug)]
struct SessionParts {
    id: String,
    title: String,
    kind: Kind,
    team: String,
    duration: u32,
    needs: Vec<String>,
    size: Option<u32>,
    day: Option<Index>,
    start: Option<Time>,
    room: Option<Index>,
    pinned: bool,
    wishes: Wishes,
}

/// The audience and time constraints of a session: teams and days are picked from the
/// event's, `apart` from its sessions, once those exist.
#[derive(Clone, Debug)]
struct Wishes {
    audience: Vec<Index>,
    plenary: bool,
    days: Vec<Index>,
    not_before: Option<Time>,
    not_after: Option<Time>,
    prefer: Option<Preference>,
    apart: Vec<Index>,
    source: String,
    notes: String,
}

fn wishes() -> impl Strategy<Value = Wishes> {
    (
        prop::collection::vec(any::<Index>(), 0..3),
        any::<bool>(),
        prop::collection::vec(any::<Index>(), 0..3),
        prop::option::of(time()),
        prop::option::of(time()),
        prop::option::of(select(vec![Preference::Morning, Preference::Afternoon])),
        prop::collection::vec(any::<Index>(), 0..2),
        text(true),
        text(true),
    )
        .prop_map(
            |(audience, plenary, days, not_before, not_after, prefer, apart, source, notes)| Wishes {
                audience,
                plenary,
                days,
                not_before,
                not_after,
                prefer,
                apart,
                source,
                notes,
            },
        )
}

fn session_parts() -> impl Strategy<Value = SessionParts> {
    (
        key(),
        line_text(false),
        select(Kind::ALL.to_vec()),
        line_text(true),
        1u32..=1440,
        prop::collection::vec(key(), 0..3),
        prop::option::of(any::<u32>()),
        prop::option::of(any::<Index>()),
        // A session starts by 23:59 (24:00 ends a day).
        prop::option::of((0u32..1440).prop_map(|m| Time::from_minutes(m).unwrap())),
        prop::option::of(any::<Index>()),
        (any::<bool>(), wishes()),
    )
        .prop_map(
            |(id, title, kind, team, duration, needs, size, day, start, room, (pinned, wishes))| SessionParts {
                id,
                title,
                kind,
                team,
                duration,
                needs,
                size,
                day,
                start,
                room,
                pinned,
                wishes,
            },
        )
}

/// Items of `from` at the given positions, without repeats (none when `from` is empty).
fn pick(at: &[Index], from: &[String]) -> Vec<String> {
    let mut items: Vec<String> = at
        .iter()
        .filter(|_| !from.is_empty())
        .map(|i| i.get(from).clone())
        .collect();
    items.sort();
    items.dedup();
    items
}

fn event() -> impl Strategy<Value = Event> {
    let info = (
        line_text(false),
        line_text(true),
        select(vec![
            "Europe/Amsterdam",
            "UTC",
            "America/New_York",
            "Asia/Kolkata",
            "Pacific/Chatham",
        ]),
    );
    let days = prop::collection::vec((day_key(), date(), span()), 0..4);
    let slots = prop::collection::vec((any::<Index>(), span()), 0..5);
    let attendees = prop::collection::vec(attendee_parts(), 0..8);
    let rooms = prop::collection::vec(
        (
            key(),
            line_text(false),
            any::<u32>(),
            prop::collection::vec(key(), 0..3),
        ),
        0..5,
    );
    let sessions = prop::collection::vec(session_parts(), 0..8);
    let participants = prop::collection::vec((any::<Index>(), any::<Index>(), select(Tie::ALL.to_vec())), 0..12);
    let with_notes = any::<bool>();
    (info, days, slots, attendees, rooms, sessions, participants, with_notes).prop_map(
        |(info, days, slots, attendees, rooms, sessions, participants, with_notes)| {
            build(info, days, slots, attendees, rooms, sessions, participants, with_notes)
        },
    )
}

type Info = (String, String, &'static str);

#[allow(clippy::too_many_arguments)]
fn build(
    (name, location, timezone): Info,
    days: Vec<(String, NaiveDate, (Time, Time))>,
    slots: Vec<(Index, (Time, Time))>,
    attendees: Vec<AttendeeParts>,
    rooms: Vec<(String, String, u32, Vec<String>)>,
    sessions: Vec<SessionParts>,
    participants: Vec<(Index, Index, Tie)>,
    with_notes: bool,
) -> Event {
    let day_keys = numbered(days.iter().map(|d| d.0.clone()).collect());
    let days: Vec<Day> = days
        .into_iter()
        .zip(&day_keys)
        .map(|((_, date, (opens, closes)), day)| Day {
            id: day.clone(),
            date,
            opens,
            closes,
            line: 0,
            extra: Extra::new(),
        })
        .collect();
    let slots: Vec<Slot> = if day_keys.is_empty() {
        vec![]
    } else {
        let mut seen = std::collections::HashSet::new();
        slots
            .into_iter()
            .map(|(day, (start, end))| Slot {
                day: day.get(&day_keys).clone(),
                start,
                end,
                line: 0,
                extra: Extra::new(),
            })
            .filter(|s| seen.insert((s.day.clone(), s.start)))
            .collect()
    };
    let handles = numbered(attendees.iter().map(|a| a.handle.clone()).collect());
    let attendees: Vec<Attendee> = attendees
        .into_iter()
        .zip(&handles)
        .map(|(a, handle)| {
            let mut extra = Extra::new();
            if with_notes {
                extra.insert("notes".to_string(), a.notes);
            }
            Attendee {
                handle: handle.clone(),
                name: a.name,
                email: a.email,
                role: a.role,
                teams: a.teams,
                days: list(&day_keys, &a.days),
                arrives: a.arrives,
                leaves: a.leaves,
                status: a.status,
                line: 0,
                extra,
            }
        })
        .collect();
    let room_ids = numbered(rooms.iter().map(|r| r.0.clone()).collect());
    let rooms: Vec<Room> = rooms
        .into_iter()
        .zip(&room_ids)
        .map(|((_, name, capacity, features), id)| Room {
            id: id.clone(),
            name,
            capacity,
            features,
            line: 0,
            extra: Extra::new(),
        })
        .collect();
    let session_ids = numbered(sessions.iter().map(|s| s.id.clone()).collect());
    let sessions: Vec<Session> = sessions
        .into_iter()
        .zip(&session_ids)
        .map(|(s, id)| Session {
            id: id.clone(),
            title: s.title,
            kind: s.kind,
            team: s.team,
            duration: s.duration,
            needs: s.needs,
            size: s.size,
            day: s.day.filter(|_| !day_keys.is_empty()).map(|i| i.get(&day_keys).clone()),
            start: s.start,
            room: s
                .room
                .filter(|_| !room_ids.is_empty())
                .map(|i| i.get(&room_ids).clone()),
            pinned: s.pinned,
            audience: if s.wishes.plenary {
                vec!["everyone".to_string()]
            } else {
                let teams: Vec<String> = attendees.iter().flat_map(|a| a.teams.clone()).collect();
                pick(&s.wishes.audience, &teams)
            },
            days: pick(&s.wishes.days, &day_keys),
            not_before: s.wishes.not_before,
            not_after: s.wishes.not_after,
            prefer: s.wishes.prefer,
            apart: pick(&s.wishes.apart, &session_ids),
            source: s.wishes.source,
            notes: s.wishes.notes,
            line: 0,
            extra: Extra::new(),
        })
        .collect();
    let mut participants: Vec<Participant> = if session_ids.is_empty() || handles.is_empty() {
        vec![]
    } else {
        participants
            .into_iter()
            .map(|(s, h, role)| Participant {
                session: s.get(&session_ids).as_str().into(),
                handle: h.get(&handles).as_str().into(),
                tie: role,
                line: 0,
                extra: Extra::new(),
            })
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    participants.retain(|p| seen.insert((p.session.clone(), p.handle.clone())));
    Event {
        info: EventInfo {
            name,
            location,
            timezone: Zone::parse(timezone).expect("a valid zone"),
            extra: Extra::new(),
        },
        days,
        slots,
        attendees,
        rooms,
        sessions,
        participants,
    }
}

/// The event with every table in one order and no line numbers, to compare contents.
fn normalised(event: Event) -> Event {
    let mut event = common::without_line_numbers(event);
    event.days.sort_by(|a, b| a.id.cmp(&b.id));
    event.slots.sort_by(|a, b| (&a.day, a.start).cmp(&(&b.day, b.start)));
    event.attendees.sort_by(|a, b| a.handle.cmp(&b.handle));
    event.rooms.sort_by(|a, b| a.id.cmp(&b.id));
    event.sessions.sort_by(|a, b| a.id.cmp(&b.id));
    event
        .participants
        .sort_by(|a, b| (&a.session, &a.handle).cmp(&(&b.session, &b.handle)));
    event
}

/// The first field that differs, for a readable failure.
fn first_difference(want: &Event, got: &Event) -> String {
    if want.info != got.info {
        return format!("event: {:?} became {:?}", want.info, got.info);
    }
    macro_rules! table {
        ($field:ident) => {
            if want.$field.len() != got.$field.len() {
                return format!(
                    "{}: {} rows became {}",
                    stringify!($field),
                    want.$field.len(),
                    got.$field.len()
                );
            }
            for (w, g) in want.$field.iter().zip(&got.$field) {
                if w != g {
                    return format!("{}: {w:?}\n   became {g:?}", stringify!($field));
                }
            }
        };
    }
    table!(days);
    table!(slots);
    table!(attendees);
    table!(rooms);
    table!(sessions);
    table!(participants);
    "no difference".to_string()
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn a_saved_event_loads_back_unchanged(event in event()) {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data");
        store::create(&dir, &event).unwrap();
        let loaded = Store::open(&dir).and_then(|s| s.load());
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(e) => {
                let files: Vec<String> = store::FILES
                    .iter()
                    .map(|f| format!("--- {f}\n{}", std::fs::read_to_string(dir.join(f)).unwrap_or_default()))
                    .collect();
                return Err(TestCaseError::fail(format!("a saved event does not load: {e}\n{}", files.join(""))));
            }
        };
        let (want, got) = (normalised(event), normalised(loaded));
        prop_assert!(want == got, "load(save(x)) != x: {}", first_difference(&want, &got));
    }
}

/// The payloads named in the task, one attendee each, as a fixed case beside the random ones.
#[test]
fn formula_payloads_round_trip_through_the_files() {
    let payloads = [
        "=HYPERLINK(\"http://example.invalid\",\"x\")",
        "@SUM(1+1)",
        "+1",
        "-1+2",
        "\tleading tab",
        "\rleading CR",
        "'=already",
        "''=twice",
        "'",
        "'Tis",
        "say \"hi\", then\nleave",
    ];
    let mut event = build(
        ("=cmd|' /C calc'!A0".into(), "@here".into(), "UTC"),
        vec![(
            "thu".into(),
            NaiveDate::from_ymd_opt(2026, 5, 21).unwrap(),
            (Time::hm(9, 0).unwrap(), Time::hm(18, 0).unwrap()),
        )],
        vec![],
        vec![],
        vec![],
        vec![],
        vec![],
        false,
    );
    // Payloads with a tab, CR or line break only fit an extra column (a name is one line).
    let one_line = |p: &str| {
        if p.contains(char::is_control) {
            format!("payload {p:?}")
        } else {
            p.to_string()
        }
    };
    for (i, p) in payloads.iter().enumerate() {
        let mut extra = Extra::new();
        extra.insert("notes".to_string(), p.to_string());
        event.attendees.push(Attendee {
            handle: format!("p{i}"),
            name: one_line(p),
            email: format!("{}@example.invalid", one_line(p)),
            role: Role::Member,
            teams: vec![],
            days: vec!["thu".into()],
            arrives: None,
            leaves: None,
            status: Status::Confirmed,
            line: 0,
            extra,
        });
    }
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("data");
    store::create(&dir, &event).unwrap();
    let loaded = Store::open(&dir).unwrap().load().unwrap();
    let (want, got) = (normalised(event), normalised(loaded));
    assert!(want == got, "{}", first_difference(&want, &got));
}

// ---------------------------------------------------------------------------------------------
// (c) Text from outside never acts: whatever lands in a field, the calendar has one event per
//     scheduled session for a real parser, no line meant for people carries a control
//     character, and nothing panics.

/// Text that tries to act: terminal escapes, bidi overrides, calendar lines, line breaks,
/// mentions, links, HTML, formulas; and any character at all.
fn hostile() -> impl Strategy<Value = String> {
    let parts = select(vec![
        "\u{1b}[2J",
        "\u{1b}]0;title\u{7}",
        "\u{7}",
        "\u{8}",
        "\u{9b}31m",
        "\u{202e}",
        "\u{2066}",
        "\u{200b}",
        "\u{2028}",
        "\r",
        "\n",
        "\r\n",
        "\t",
        "\u{0}",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "\\n",
        "\\",
        ";",
        ",",
        ":",
        "\"",
        "@**all**",
        "[x](https://e.invalid)",
        "<b>",
        "=1+1",
        "🦀",
        "a",
        " ",
    ]);
    prop::collection::vec(
        prop_oneof![4 => parts.prop_map(String::from), 1 => any::<char>().prop_map(String::from)],
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

/// Every field a form, an issue or a spreadsheet can fill.
const TEXT_FIELDS: [(&str, &str); 15] = [
    ("event.csv", "name"),
    ("event.csv", "location"),
    ("days.csv", "day"),
    ("attendees.csv", "handle"),
    ("attendees.csv", "name"),
    ("attendees.csv", "email"),
    ("attendees.csv", "teams"),
    ("rooms.csv", "id"),
    ("rooms.csv", "name"),
    ("rooms.csv", "features"),
    ("sessions.csv", "id"),
    ("sessions.csv", "title"),
    ("sessions.csv", "team"),
    ("sessions.csv", "needs"),
    ("participants.csv", "handle"),
];

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn hostile_text_in_any_field_never_acts((file, column) in select(&TEXT_FIELDS[..]), row in 0usize..2, value in hostile()) {
        let sample = common::Sample::new();
        common::set_cell(&sample, file, if file == "event.csv" { 0 } else { row }, column, &value);
        let run = |args: &[&str]| {
            let out = sample.cmd(args).output().unwrap();
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
            assert!(matches!(out.status.code(), Some(0..=2)), "{args:?} ended with {:?}: {stderr}", out.status.code());
            assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
            (out.status.code(), stdout, stderr)
        };
        let (code, ics, stderr) = run(&["schedule", "--format", "ics"]);
        if code == Some(0) {
            let read = common::parse_ics(&ics);
            let events = read["events"].as_array().unwrap().len();
            // The parser reads exactly the events allhands wrote...
            let written = ics.split("\r\n").filter(|l| *l == "BEGIN:VEVENT").count();
            prop_assert_eq!(events, written, "{:?} in {} {}:\n{}", value, file, column, ics);
            // ... and, where the text is not a key that links records, one per scheduled session.
            if matches!(column, "name" | "location" | "email" | "title" | "team") {
                let (_, csv, _) = run(&["schedule", "--format", "csv"]);
                prop_assert_eq!(events, common::rows(&csv).len(), "{:?} in {} {}:\n{}", value, file, column, ics);
            }
        } else {
            common::assert_inert("an error", &stderr);
        }
        for args in [&["schedule"][..], &["schedule", "--format", "md"], &["attendees"], &["rooms"], &["rooms", "--day", "thu"], &["check"]] {
            let (_, stdout, stderr) = run(args);
            common::assert_inert(&format!("{args:?} stdout"), &stdout);
            common::assert_inert(&format!("{args:?} stderr"), &stderr);
        }
    }
}
