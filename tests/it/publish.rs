//! Publishing: numbered versions, what changed and who it affects, calendars that update.
//! The calendars are read back by two independent parsers: python's `icalendar` and node's
//! `node-ical` (tests/js; both installed by scripts/test).
use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::Sample;
use serde_json::Value;

/// Publish times of the versions in these tests: 20 May 2026, 20:00, 21:00, ... in Utrecht.
const V1: i64 = 1_779_300_000;
const HOUR: i64 = 3600;

/// `publish` at a fixed time (SOURCE_DATE_EPOCH); returns stdout.
fn publish(sample: &Sample, at: i64, note: &str) -> String {
    let out = sample
        .cmd(&["publish", "--note", note])
        .env("SOURCE_DATE_EPOCH", at.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "publish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The agenda as a calendar, with no SOURCE_DATE_EPOCH: DTSTAMP must come from the data.
fn ics(sample: &Sample) -> String {
    let out = sample
        .cmd(&["schedule", "--format", "ics"])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// One event as both parsers see it.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    sequence: i64,
    status: String,
    start: String,
    end: String,
    last_modified: String,
    dtstamp: String,
}

/// `2026-05-21T07:30:00Z` from either parser's way of writing an instant.
fn instant(text: &str) -> String {
    text.replace(".000Z", "Z").replace("+00:00", "Z").replace(' ', "T")
}

fn seen(v: &Value) -> Seen {
    let s = |k: &str| instant(v[k].as_str().unwrap_or_else(|| panic!("{k} missing in {v}")));
    Seen {
        sequence: v["sequence"].as_i64().unwrap(),
        status: s("status"),
        start: s("start"),
        end: s("end"),
        last_modified: s("lastModified"),
        dtstamp: s("dtstamp"),
    }
}

/// Runs a parser on a calendar file; a missing parser fails and says how to install it.
fn run_parser(mut command: Command, install: &str) -> Vec<Value> {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run the calendar parser ({e}); {install}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "calendar parser failed ({install}): {stderr}");
    common::json(&String::from_utf8(out.stdout).unwrap())
}

/// Events (sorted by UID) and the calendar's refresh properties, as python icalendar reads them.
fn python_icalendar(path: &Path) -> (Vec<Value>, Value) {
    const SCRIPT: &str = r#"
import json, sys
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
def iso(v):
    return v.dt.astimezone(__import__('datetime').timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
events = [{
    'uid': str(e['UID']), 'summary': str(e['SUMMARY']),
    'start': iso(e['DTSTART']), 'end': iso(e['DTEND']),
    'sequence': int(e['SEQUENCE']), 'status': str(e['STATUS']),
    'lastModified': iso(e['LAST-MODIFIED']), 'dtstamp': iso(e['DTSTAMP']),
} for e in cal.walk('VEVENT')]
events.sort(key=lambda e: e['uid'])
refresh = cal['REFRESH-INTERVAL']
calendar = {'refresh': refresh.to_ical().decode(), 'refresh_type': refresh.params.get('VALUE'),
            'ttl': str(cal['X-PUBLISHED-TTL'])}
print(json.dumps([events, calendar]))
"#;
    let mut command = Command::new("python3");
    command.arg("-c").arg(SCRIPT).arg(path);
    let mut both = run_parser(
        command,
        "install python3 and icalendar: scripts/test does (apt-get install python3-icalendar)",
    );
    let calendar = both.pop().unwrap();
    let events = both.pop().unwrap().as_array().unwrap().clone();
    (events, calendar)
}

/// Events (sorted by UID) as node-ical reads them (tests/js/read-ics.js).
fn node_ical(path: &Path) -> Vec<Value> {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    assert!(
        js.join("node_modules/node-ical").is_dir(),
        "node-ical is not installed: run scripts/test (it runs `npm install` in tests/js; needs nodejs and npm)"
    );
    let mut command = Command::new("node");
    command.arg(js.join("read-ics.js")).arg(path);
    run_parser(
        command,
        "install nodejs and npm: scripts/test does (apt-get install nodejs npm)",
    )
}

/// `S021`'s event in a calendar, as each parser sees it (they must agree), and every UID.
fn read_calendar(dir: &Path, name: &str, text: &str, uid: &str) -> (Seen, Vec<String>) {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let (py, calendar) = python_icalendar(&path);
    assert_eq!(calendar["refresh"], "PT1H", "{calendar}");
    assert_eq!(calendar["refresh_type"], "DURATION", "{calendar}");
    assert_eq!(calendar["ttl"], "PT1H", "{calendar}");
    let js = node_ical(&path);
    let uids =
        |events: &[Value]| -> Vec<String> { events.iter().map(|e| e["uid"].as_str().unwrap().to_string()).collect() };
    assert_eq!(uids(&py), uids(&js), "both parsers see the same events in {name}");
    let find = |events: &[Value]| seen(events.iter().find(|e| e["uid"] == uid).unwrap());
    let (a, b) = (find(&py), find(&js));
    assert_eq!(a, b, "python icalendar and node-ical disagree on {uid} in {name}");
    // Every other event agrees too, on SEQUENCE and STATUS at least.
    for (p, j) in py.iter().zip(&js) {
        assert_eq!(
            (&p["sequence"], &p["status"]),
            (&j["sequence"], &j["status"]),
            "{}",
            p["uid"]
        );
    }
    (a, uids(&py))
}

fn stamp(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A session's life over four versions: published, moved, re-roomed, cancelled. `changes` in
/// every format, and the calendar of each version read by two parsers.
#[test]
fn a_sessions_life_across_versions() {
    let sample = Sample::new();
    let tmp = tempfile::tempdir().unwrap();
    let uid = "S021@rust-all-hands-2026.allhands";
    let want = |sequence, status: &str, start: &str, end: &str, modified: i64, dtstamp: i64| Seen {
        sequence,
        status: status.into(),
        start: start.into(),
        end: end.into(),
        last_modified: stamp(modified),
        dtstamp: stamp(dtstamp),
    };

    // Version 1: S021 'Release process automation' on Thursday 14:00-15:00 in the Amstel Room.
    let out = publish(&sample, V1, "first agenda");
    assert!(
        out.starts_with("Published version 1: 54 sessions on the agenda, 12 not scheduled."),
        "{out}"
    );
    let (v1, all_uids) = read_calendar(tmp.path(), "v1.ics", &ics(&sample), uid);
    assert_eq!(
        v1,
        want(0, "CONFIRMED", "2026-05-21T12:00:00Z", "2026-05-21T13:00:00Z", V1, V1)
    );
    assert_eq!(all_uids.len(), 54);

    // Version 2: moved to 11:30, same room; and another session retitled and lengthened.
    sample.ok(&["book", "S021", "--day", "thu", "--at", "11:30", "--room", "amstel"]);
    sample.ok(&["edit-session", "S019", "--title", "docs.rs builds", "--duration", "90"]);
    let out = publish(&sample, V1 + HOUR, "S021 moved");
    assert!(
        out.contains("Published version 2") && out.contains("Moved (day or time)"),
        "{out}"
    );
    let (v2, _) = read_calendar(tmp.path(), "v2.ics", &ics(&sample), uid);
    let v2_times = ("2026-05-21T09:30:00Z", "2026-05-21T10:30:00Z");
    assert_eq!(v2, want(1, "CONFIRMED", v2_times.0, v2_times.1, V1 + HOUR, V1 + HOUR));

    // Version 3: same time, another room; and an unscheduled session booked (added).
    sample.ok(&["book", "S021", "--day", "thu", "--at", "11:30", "--room", "dom"]);
    sample.ok(&["book", "S012", "--day", "fri", "--at", "16:00", "--room", "wilhelmina"]);
    publish(&sample, V1 + 2 * HOUR, "");
    let (v3, _) = read_calendar(tmp.path(), "v3.ics", &ics(&sample), uid);
    assert_eq!(
        v3,
        want(2, "CONFIRMED", v2_times.0, v2_times.1, V1 + 2 * HOUR, V1 + 2 * HOUR)
    );

    // Version 4: taken off the agenda. It stays in the calendar, cancelled, SEQUENCE raised.
    sample.ok(&["unbook", "S021"]);
    publish(&sample, V1 + 3 * HOUR, "S021 cancelled");
    let text = ics(&sample);
    let (v4, uids) = read_calendar(tmp.path(), "v4.ics", &text, uid);
    assert_eq!(
        v4,
        want(3, "CANCELLED", v2_times.0, v2_times.1, V1 + 3 * HOUR, V1 + 3 * HOUR)
    );
    assert_eq!(uids.len(), 55, "54 sessions, one added, S021 kept as cancelled");
    // Sessions that never changed keep SEQUENCE 0 and the first publish as LAST-MODIFIED.
    let (s002, _) = read_calendar(tmp.path(), "v4.ics", &text, "S002@rust-all-hands-2026.allhands");
    assert_eq!(s002.sequence, 0);
    assert_eq!(s002.last_modified, stamp(V1));

    // What changed in each version, as a table and as a Zulip post.
    let mut table = String::new();
    let mut md = String::new();
    for (since, to) in [("1", "2"), ("2", "3"), ("3", "4")] {
        table += &sample.ok(&["changes", "--since", since, "--to", to]);
        table += "\n";
        md += &sample.ok(&["changes", "--since", since, "--to", to, "--format", "md"]);
        md += "\n";
    }
    for line in md.lines() {
        assert!(line.chars().count() <= 100, "md line longer than 100: {line}");
    }
    assert!(
        !table.contains("@example") && !md.contains("@example"),
        "no email addresses"
    );
    insta::assert_snapshot!("life_table", table);
    insta::assert_snapshot!("life_md", md);

    // Since version 1, all at once: S021 is cancelled (the last word), S019 and S012 changed.
    let json: Value = serde_json::from_str(&sample.ok(&["changes", "--since", "1", "--format", "json"])).unwrap();
    let kinds: Vec<(String, String)> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().into(),
                c["session"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };
    assert_eq!(
        kinds,
        pairs(&[
            ("added", "S012"),
            ("cancelled", "S021"),
            ("retitled", "S019"),
            ("lengthened", "S019")
        ])
    );
    assert_eq!(json["from"]["version"], 1);
    assert_eq!(json["to"], Value::Null);
    let s021 = &json["changes"][1];
    assert_eq!(s021["before"]["start"], "14:00");
    assert_eq!(s021["before"]["room"], "amstel");
    assert_eq!(s021["after"]["status"], "unscheduled");

    // The version files are plain CSV, one row per session per version.
    let versions = common::rows(&sample.read("versions.csv"));
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[3]["published_at"], stamp(V1 + 3 * HOUR));
    assert_eq!(versions[1]["note"], "S021 moved");
    let published = common::rows(&sample.read("published.csv"));
    let s021_rows: Vec<(&str, &str, &str, &str)> = published
        .iter()
        .filter(|r| r["session"] == "S021")
        .map(|r| {
            (
                r["status"].as_str(),
                r["day"].as_str(),
                r["start"].as_str(),
                r["room"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        s021_rows,
        [
            ("scheduled", "thu", "14:00", "amstel"),
            ("scheduled", "thu", "11:30", "amstel"),
            ("scheduled", "thu", "11:30", "dom"),
            ("unscheduled", "", "", ""),
        ]
    );

    // The feeds: all.ics is the calendar above; the Dom Room's feed keeps S021 cancelled.
    let feeds = tmp.path().join("site");
    let feeds_arg = feeds.to_str().unwrap();
    sample.ok(&["export", "feeds", feeds_arg]);
    assert_eq!(std::fs::read_to_string(feeds.join("all.ics")).unwrap(), text);
    let (dom, _) = read_calendar(
        tmp.path(),
        "dom.ics",
        &std::fs::read_to_string(feeds.join("rooms/dom.ics")).unwrap(),
        uid,
    );
    assert_eq!(dom.status, "CANCELLED");
    let amstel = std::fs::read_to_string(feeds.join("rooms/amstel.ics")).unwrap();
    assert!(
        !amstel.contains("UID:S021@"),
        "S021 was last in the Dom Room, not the Amstel Room"
    );
    let release = std::fs::read_to_string(feeds.join("teams/release.ics")).unwrap();
    assert!(release.contains("UID:S021@") && release.contains("STATUS:CANCELLED"));
}

/// Every file under `dir`, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn feeds_are_the_same_bytes_every_time_and_personal_only_when_asked() {
    let sample = Sample::new();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("feeds");
    let dir_arg = dir.to_str().unwrap();
    sample.fails(&["export", "feeds", dir_arg], "nothing is published yet");
    publish(&sample, V1, "");
    let out = sample.ok(&["export", "feeds", dir_arg]);
    assert!(out.contains("(37 written, 0 unchanged)"), "{out}");
    let first = tree(&dir);
    let names: BTreeSet<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains("all.ics") && names.contains("rooms/dom.ics") && names.contains("teams/lang.ics"));
    assert!(
        !names.iter().any(|n| n.starts_with("people/")),
        "no personal feeds unless asked"
    );
    // Again, with the clock elsewhere: nothing changes, nothing is rewritten.
    let out = sample
        .cmd(&["export", "feeds", dir_arg])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("(0 written, 37 unchanged)"));
    assert_eq!(tree(&dir), first);

    sample.ok(&["export", "feeds", dir_arg, "--personal"]);
    let alice = std::fs::read_to_string(dir.join("people/alice.ics")).unwrap();
    assert!(alice.contains("X-WR-CALNAME:Rust All Hands 2026: alice"));
    assert!(!alice.contains("@example"), "no email addresses in a feed");
    for (name, bytes) in tree(&dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("@example"),
            "email address in {name}"
        );
    }

    // A change not yet published is in the feeds, with its SEQUENCE already raised.
    sample.ok(&["book", "S021", "--day", "thu", "--at", "11:30", "--room", "amstel"]);
    let out = sample.ok(&["export", "feeds", dir_arg]);
    assert!(out.contains("1 change since version 1 is not published yet"), "{out}");
    let all = std::fs::read_to_string(dir.join("all.ics")).unwrap();
    let s021 = all.split("BEGIN:VEVENT").find(|e| e.contains("UID:S021@")).unwrap();
    assert!(
        s021.contains("SEQUENCE:1") && s021.contains("DTSTART:20260521T093000Z"),
        "{s021}"
    );
}

#[test]
fn feeds_never_go_into_the_data_folder() {
    let sample = Sample::new();
    publish(&sample, V1, "");
    let data = sample.data.to_str().unwrap().to_string();
    for dir in [
        data.clone(),
        format!("{data}/feeds"),
        format!("{data}/x/../feeds"),
        format!("{data}/."),
    ] {
        sample.fails(&["export", "feeds", &dir], "inside the data folder");
    }
}

/// Breaks a hard rule behind allhands' back: S002 into the room S001 uses at the same time.
fn break_a_hard_rule(sample: &Sample) {
    let sessions = sample.read("sessions.csv");
    let broken = sessions.replace(
        "S002,Async closures stabilization,planned,lang,90,projector,,thu,11:30,wilhelmina,",
        "S002,Async closures stabilization,planned,lang,90,projector,,thu,09:30,main,",
    );
    assert_ne!(broken, sessions);
    sample.write("sessions.csv", &broken);
}

#[test]
fn publish_refuses_while_a_hard_rule_is_broken_and_writes_nothing() {
    let sample = Sample::new();
    break_a_hard_rule(&sample);
    let stderr = sample.fails(&["publish"], "cannot publish while a hard rule is broken");
    assert!(
        stderr.contains("S001 'Opening plenary: state of the Project': Main Hall is already taken by S002"),
        "{stderr}"
    );
    assert!(!sample.path("versions.csv").exists() && !sample.path("published.csv").exists());

    // And with versions already there, they stay byte for byte as they were.
    let sample = Sample::new();
    publish(&sample, V1, "");
    break_a_hard_rule(&sample);
    sample.fails(&["publish", "--note", "x"], "Main Hall is already taken");
}

#[test]
fn publishing_an_unchanged_schedule_writes_nothing() {
    let sample = Sample::new();
    publish(&sample, V1, "");
    let before = sample.snapshot();
    let out = publish(&sample, V1 + HOUR, "again");
    assert!(
        out.contains("Nothing to publish: the schedule is the same as version 1"),
        "{out}"
    );
    assert_eq!(sample.snapshot(), before);
    assert!(sample.ok(&["changes"]).contains("No change."));
}

#[test]
fn bad_versions_and_files_are_refused_with_a_clear_message() {
    let sample = Sample::new();
    sample.fails(
        &["changes"],
        "nothing is published yet: `allhands publish` records version 1",
    );
    publish(&sample, V1, "");
    sample.ok(&["unbook", "S021"]);
    publish(&sample, V1 + HOUR, "");
    sample.fails(
        &["changes", "--since", "3"],
        "--since: there is no version 3 (valid: 1 to 2",
    );
    sample.fails(
        &["changes", "--since", "0"],
        "--since: there is no version 0 (valid: 1 to 2",
    );
    sample.fails(&["changes", "--to", "9"], "--to: there is no version 9 (valid: 1 to 2");
    sample.fails(
        &["changes", "--since", "2", "--to", "1"],
        "--to 1 must be a later version than --since 2",
    );
    sample.fails(
        &["changes", "--since", "2", "--to", "2"],
        "--to 2 must be a later version than --since 2",
    );
    sample.fails(&["changes", "--to", "1"], "--to 1: version 1 is the first");
    sample.fails(
        &["changes", "--since", "two"],
        "invalid value 'two' for '--since <VERSION>'",
    );
    sample.fails(
        &["changes", "--attendee", "alcie"],
        "unknown attendee 'alcie' (did you mean 'alice'?)",
    );
    // --to alone compares with the version before it.
    assert!(sample.ok(&["changes", "--to", "2"]).contains("from version 1"));

    let versions = sample.read("versions.csv");
    sample.write("versions.csv", &versions.replace("2026-05-20T19:00:00Z", "yesterday"));
    sample.fails(
        &["changes"],
        "versions.csv:3: column published_at: 'yesterday' is not a time stamp (valid: RFC 3339",
    );
    sample.fails(&["schedule", "--format", "ics"], "versions.csv:3: column published_at");
    sample.write("versions.csv", &versions.replace("\n2,", "\n3,"));
    sample.fails(
        &["publish"],
        "versions.csv:3: column version: version 3 where 2 was expected",
    );
    sample.write("versions.csv", &versions);
    let published = sample.read("published.csv");
    sample.write("published.csv", &format!("{published}7,S001,unscheduled,,,,,X,,,,\n"));
    sample.fails(
        &["changes"],
        "published.csv:134: column version: version 7 is not in versions.csv",
    );
    sample.write(
        "published.csv",
        &published.replacen("\n1,S001,scheduled,thu,09:30,", "\n1,S001,scheduled,thu,25:30,", 1),
    );
    sample.fails(&["changes"], "published.csv:2: column start: '25:30' is not a time");
    std::fs::remove_file(sample.path("published.csv")).unwrap();
    sample.fails(&["changes"], "published.csv: is missing while versions.csv is there");
}

#[test]
fn a_zulip_post_pings_nobody_and_links_nothing() {
    let sample = Sample::new();
    publish(&sample, V1, "");
    let title = "Hey @**all** see [this](https://evil.example) <img src=x onerror=alert(1)> $$x$$ ~~no~~";
    sample.ok(&["edit-session", "S021", "--title", title]);
    sample.ok(&["book", "S021", "--day", "thu", "--at", "11:30", "--room", "amstel"]);
    let md = sample.ok(&["changes", "--format", "md"]);
    assert!(
        md.contains("### Retitled") && md.contains("### Moved (day or time)"),
        "{md}"
    );
    for bad in ["@**", "@*", "[this](", "$$", "~~"] {
        assert!(!md.contains(bad), "{bad:?} in the post:\n{md}");
    }
    assert!(md.contains("\\@\\*\\*all\\*\\*") && md.contains("\\<img"), "{md}");
    for line in md.lines() {
        assert!(line.chars().count() <= 100, "line longer than 100: {line}");
    }
    // The table and json show the title as typed (they are not markdown).
    let json: Value = serde_json::from_str(&sample.ok(&["changes", "--format", "json"])).unwrap();
    assert!(json["changes"].as_array().unwrap().iter().any(|c| c["title"] == title));
}

#[test]
fn every_format_carries_the_same_facts() {
    let sample = Sample::new();
    publish(&sample, V1, "");
    sample.ok(&["book", "S021", "--day", "thu", "--at", "11:30", "--room", "dom"]);
    sample.ok(&["remove-session", "S017"]);
    // (session, kind, handle, tie) from json, from csv, and for one person from the table.
    let json: Value = serde_json::from_str(&sample.ok(&["changes", "--format", "json"])).unwrap();
    let mut from_json = BTreeSet::new();
    for person in json["affected"].as_array().unwrap() {
        for s in person["sessions"].as_array().unwrap() {
            for kind in s["kinds"].as_array().unwrap() {
                from_json.insert((
                    s["session"].as_str().unwrap().to_string(),
                    kind.as_str().unwrap().to_string(),
                    person["handle"].as_str().unwrap().to_string(),
                    s["tie"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    let from_csv: BTreeSet<(String, String, String, String)> =
        common::rows(&sample.ok(&["changes", "--format", "csv"]))
            .into_iter()
            .map(|r| {
                (
                    r["session"].clone(),
                    r["kind"].clone(),
                    r["handle"].clone(),
                    r["tie"].clone(),
                )
            })
            .collect();
    assert_eq!(from_json, from_csv);
    // S017 was removed: its people (recorded with the version) are still told.
    let told: BTreeSet<&str> = from_json
        .iter()
        .filter(|(s, k, _, _)| s == "S017" && k == "cancelled")
        .map(|(_, _, h, _)| h.as_str())
        .collect();
    let participants = common::rows(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/participants.csv")).unwrap(),
    );
    let required: BTreeSet<&str> = participants
        .iter()
        .filter(|p| p["session"] == "S017" && p["role"] == "required")
        .map(|p| p["handle"].as_str())
        .collect();
    assert!(
        !required.is_empty() && required.is_subset(&told),
        "{required:?} not all in {told:?}"
    );
    let kinds: BTreeSet<&str> = from_json.iter().map(|(_, k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, BTreeSet::from(["cancelled", "moved", "re-roomed"]));

    // One person: their changes only, in every format.
    let (_, _, handle, tie) = from_json.iter().find(|(s, _, _, _)| s == "S021").unwrap().clone();
    let table = sample.ok(&["changes", "--attendee", &handle]);
    assert!(table.contains(&format!("S021 (moved, re-roomed; {tie})")), "{table}");
    // The table names exactly this person's changed sessions.
    let theirs: BTreeSet<&str> = from_json
        .iter()
        .filter(|(_, _, h, _)| *h == handle)
        .map(|(s, _, _, _)| s.as_str())
        .collect();
    for session in ["S017", "S021"] {
        assert_eq!(
            table.contains(&format!("│ {session} ")),
            theirs.contains(session),
            "{table}"
        );
    }
    let md = sample.ok(&["changes", "--attendee", &handle, "--format", "md"]);
    assert!(
        md.contains(&format!("- {handle}: S021 (moved, re-roomed; {tie})")),
        "{md}"
    );
    let json: Value =
        serde_json::from_str(&sample.ok(&["changes", "--attendee", &handle, "--format", "json"])).unwrap();
    assert_eq!(json["affected"].as_array().unwrap().len(), 1);
    let output = sample.ok(&["changes", "--format", "csv"]) + &table + &md;
    assert!(!output.contains("@example"), "never an email address");
}

/// The people a changed session draws, by tie, from `changes --format json`.
fn ties_of(sample: &Sample, session: &str) -> Vec<(String, String)> {
    let json: Value = serde_json::from_str(&sample.ok(&["changes", "--format", "json"])).unwrap();
    let mut ties = Vec::new();
    for person in json["affected"].as_array().unwrap() {
        for s in person["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["session"] == session)
        {
            ties.push((
                person["handle"].as_str().unwrap().to_string(),
                s["tie"].as_str().unwrap().to_string(),
            ));
        }
    }
    ties
}

#[test]
fn audience_teams_and_plenaries_are_told_too() {
    let sample = Sample::new();
    // Version 1 has it at 16:00 in a room that holds its team; now it is at 11:30.
    sample.ok(&["unbook", "S021"]);
    sample.ok(&["edit-session", "S021", "--audience", "infra"]);
    sample.ok(&["book", "S021", "--day", "thu", "--at", "16:00", "--room", "janskerk"]);
    publish(&sample, V1, "");
    sample.ok(&["book", "S021", "--day", "thu", "--at", "11:30", "--room", "vredenburg"]);
    let attendees = common::rows(&sample.read("attendees.csv"));
    let infra: BTreeSet<&str> = attendees
        .iter()
        .filter(|a| {
            a["teams"].split(';').any(|t| t == "infra") && a["days"].contains("thu") && a["status"] != "declined"
        })
        .map(|a| a["handle"].as_str())
        .collect();
    let ties = ties_of(&sample, "S021");
    let by_team: BTreeSet<&str> = ties
        .iter()
        .filter(|(_, t)| t == "team infra")
        .map(|(h, _)| h.as_str())
        .collect();
    assert!(!by_team.is_empty(), "{ties:?}");
    assert!(
        by_team.is_subset(&infra),
        "only infra members who are there: {by_team:?}"
    );
    // Listed people keep their own, stronger tie.
    assert!(ties.iter().any(|(h, t)| h == "paulodla" && t == "required"), "{ties:?}");

    // A new plenary: everyone who is there then is told.
    sample.ok(&["add-session", "Group photo", "--plenary", "--duration", "30"]);
    sample.ok(&["book", "S067", "--day", "fri", "--at", "09:00", "--room", "main"]);
    let ties = ties_of(&sample, "S067");
    let surely_there = attendees
        .iter()
        .filter(|a| a["days"].contains("fri") && a["status"] != "declined" && a["arrives"].is_empty())
        .count();
    assert!(ties.iter().all(|(_, t)| t == "plenary"), "{ties:?}");
    assert!(
        ties.len() >= surely_there && surely_there > 50,
        "{} told, {surely_there} there",
        ties.len()
    );
    assert!(ties.len() < attendees.len(), "not those away on Friday");
}

#[test]
fn shell_completion_offers_the_published_versions() {
    let sample = Sample::new();
    publish(&sample, V1, "first agenda");
    sample.ok(&["unbook", "S021"]);
    publish(&sample, V1 + HOUR, "S021 off\u{1b}[31m");
    let data = sample.data.to_str().unwrap();
    let out = common::allhands()
        .env("COMPLETE", "fish")
        .args(["--", "allhands", "--data-dir", data, "changes", "--since", ""])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "1\t2026-05-20 18:00 UTC first agenda",
            "2\t2026-05-20 19:00 UTC S021 off [31m"
        ],
        "{text}"
    );
}

#[test]
fn a_team_whose_sessions_are_all_removed_keeps_a_feed_of_cancellations() {
    let sample = Sample::new();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("feeds");
    let dir_arg = dir.to_str().unwrap();
    publish(&sample, V1, "");
    sample.ok(&["export", "feeds", dir_arg, "--personal"]);
    // The release team's two sessions go, and personal feeds are not asked for this time.
    sample.ok(&["remove-session", "S021"]);
    sample.ok(&["remove-session", "S048"]);
    publish(&sample, V1 + HOUR, "release sessions dropped");
    let out = sample.ok(&["export", "feeds", dir_arg]);
    let release = std::fs::read_to_string(dir.join("teams/release.ics")).unwrap();
    for uid in ["S021@", "S048@"] {
        let event = release.split("BEGIN:VEVENT").find(|e| e.contains(uid)).unwrap();
        assert!(
            event.contains("STATUS:CANCELLED") && event.contains("SEQUENCE:1"),
            "{event}"
        );
    }
    // The personal feeds of the first export are not updated any more: the export says so.
    assert!(
        out.contains("Note: ") && out.contains("people/") && out.contains("more feeds are no longer written"),
        "{out}"
    );
}
