//! End-to-end tests of `schedule --format frab-json` and `--format frab-xml` on a copy of the
//! sample: both valid by the c3voc schema and XSD (copied into tests/fixtures/), both holding
//! exactly the sessions the table shows, with identifiers that stay put.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::common::{ADD_FERRIS, BLUE_ROOM, Sample, minutes, rows};
use serde_json::Value;

const SCHEMA: &str = include_str!("../fixtures/frab-schedule.schema.json");
const XSD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/frab-schedule.xml.xsd");

/// One event as an export shows it, read back with a real parser.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Ev {
    guid: String,
    id: u64,
    slug: String,
    title: String,
    /// `date` of the `<day>` / day object it is listed under.
    day: String,
    date: String,
    start: String,
    duration: String,
    room: String,
    track: String,
    kind: String,
    persons: Vec<String>,
}

impl Ev {
    /// The session id the numeric id stands for in the sample (`12` → `S012`).
    fn session(&self) -> String {
        format!("S{:03}", self.id)
    }
}

fn frab_json(sample: &Sample, filters: &[&str]) -> String {
    sample.ok(&[&["schedule", "--format", "frab-json"], filters].concat())
}

fn frab_xml(sample: &Sample, filters: &[&str]) -> String {
    sample.ok(&[&["schedule", "--format", "frab-xml"], filters].concat())
}

fn schema_errors(document: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_valid_json(text: &str) -> Value {
    let document: Value = serde_json::from_str(text).expect("frab-json is JSON");
    let errors = schema_errors(&document);
    assert!(errors.is_empty(), "schema errors:\n{}", errors.join("\n"));
    document
}

/// Runs `xmllint --schema` on the XML. A missing xmllint fails the test: .ci/run installs it.
fn assert_valid_xml(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schedule.xml");
    std::fs::write(&file, text).unwrap();
    let output = match Command::new("xmllint")
        .args(["--noout", "--schema", XSD])
        .arg(&file)
        .output()
    {
        Ok(output) => output,
        Err(e) => panic!("cannot run xmllint ({e}); install it with `apt-get install -y libxml2-utils`"),
    };
    assert!(
        output.status.success(),
        "xmllint rejects the XML:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn json_events(document: &Value) -> Vec<Ev> {
    let mut events = Vec::new();
    for day in document["schedule"]["conference"]["days"].as_array().unwrap() {
        for (room, list) in day["rooms"].as_object().unwrap() {
            for e in list.as_array().unwrap() {
                assert_eq!(e["room"], *room);
                let text = |key: &str| e[key].as_str().unwrap_or_default().to_string();
                events.push(Ev {
                    guid: text("guid"),
                    id: e["id"].as_u64().unwrap(),
                    slug: text("slug"),
                    title: text("title"),
                    day: day["date"].as_str().unwrap().to_string(),
                    date: text("date"),
                    start: text("start"),
                    duration: text("duration"),
                    room: text("room"),
                    track: text("track"),
                    kind: text("type"),
                    persons: e["persons"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p["name"].as_str().unwrap().to_string())
                        .collect(),
                });
            }
        }
    }
    events
}

fn child_text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    node.children()
        .find(|c| c.has_tag_name(name))
        .unwrap_or_else(|| panic!("<event> without <{name}>"))
        .text()
        .unwrap_or_default()
        .to_string()
}

fn xml_events(text: &str) -> Vec<Ev> {
    let document = roxmltree::Document::parse(text).expect("frab-xml is well-formed XML");
    let mut events = Vec::new();
    for e in document.descendants().filter(|n| n.has_tag_name("event")) {
        let room = e.parent().unwrap();
        let day = room.parent().unwrap();
        assert!(room.has_tag_name("room") && day.has_tag_name("day"));
        assert_eq!(Some(child_text(e, "room").as_str()), room.attribute("name"));
        let persons = e.children().find(|c| c.has_tag_name("persons")).unwrap();
        events.push(Ev {
            guid: e.attribute("guid").unwrap().to_string(),
            id: e.attribute("id").unwrap().parse().unwrap(),
            slug: child_text(e, "slug"),
            title: child_text(e, "title"),
            day: day.attribute("date").unwrap().to_string(),
            date: child_text(e, "date"),
            start: child_text(e, "start"),
            duration: child_text(e, "duration"),
            room: child_text(e, "room"),
            track: child_text(e, "track"),
            kind: child_text(e, "type"),
            persons: persons
                .children()
                .filter(|p| p.has_tag_name("person"))
                .map(|p| p.text().unwrap_or_default().to_string())
                .collect(),
        });
    }
    events
}

/// What the table shows for the same filters (its csv-like json rows), by session id.
fn listed(sample: &Sample, filters: &[&str]) -> BTreeMap<String, Value> {
    let rows: Value = serde_json::from_str(&sample.ok(&[&["schedule", "--format", "json"], filters].concat())).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| (r["session"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

/// Every event matches the table's row for its session, and every row has exactly one event.
fn assert_same_sessions(events: &[Ev], rows: &BTreeMap<String, Value>, what: &str) {
    let mut seen = BTreeSet::new();
    for e in events {
        let session = e.session();
        assert!(seen.insert(session.clone()), "{what}: {session} listed twice");
        let row = rows
            .get(&session)
            .unwrap_or_else(|| panic!("{what}: {session} is not on the table"));
        let date = row["date"].as_str().unwrap();
        let (start, end) = (row["start"].as_str().unwrap(), row["end"].as_str().unwrap());
        assert_eq!(e.day, date, "{what}: {session}");
        // The sample is in Europe/Amsterdam in May: summer time, two hours ahead of UTC.
        assert_eq!(e.date, format!("{date}T{start}:00+02:00"), "{what}: {session}");
        assert_eq!(e.start, start, "{what}: {session}");
        let length = minutes(end) - minutes(start);
        assert_eq!(
            e.duration,
            format!("{:02}:{:02}", length / 60, length % 60),
            "{what}: {session}"
        );
        assert_eq!(e.room, row["room_name"].as_str().unwrap(), "{what}: {session}");
        assert_eq!(e.title, row["title"].as_str().unwrap(), "{what}: {session}");
        assert_eq!(e.track, row["team"].as_str().unwrap(), "{what}: {session}");
    }
    let missing: Vec<&String> = rows.keys().filter(|s| !seen.contains(*s)).collect();
    assert!(missing.is_empty(), "{what}: missing {missing:?}");
}

fn identifiers(events: &[Ev]) -> BTreeMap<String, (String, u64, String)> {
    events
        .iter()
        .map(|e| (e.session(), (e.guid.clone(), e.id, e.slug.clone())))
        .collect()
}

fn unscheduled(sample: &Sample) -> Vec<String> {
    let mut reader = csv::Reader::from_path(sample.path("sessions.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, day) = (column("id"), column("day"));
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r[day].is_empty())
        .map(|r| r[id].to_string())
        .collect()
}

fn emails(sample: &Sample) -> Vec<String> {
    let mut reader = csv::Reader::from_path(sample.path("attendees.csv")).unwrap();
    let column = reader.headers().unwrap().iter().position(|h| h == "email").unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// validity

#[test]
fn json_is_valid_by_the_c3voc_schema() {
    let sample = Sample::new();
    let document = assert_valid_json(&frab_json(&sample, &[]));
    let conference = &document["schedule"]["conference"];
    assert_eq!(conference["acronym"], "rustallhands2026");
    assert_eq!(conference["title"], "Rust All Hands 2026");
    assert_eq!(conference["start"], "2026-05-21");
    assert_eq!(conference["end"], "2026-05-23");
    assert_eq!(conference["daysCount"], 3);
    assert_eq!(conference["time_zone_name"], "Europe/Amsterdam");
    assert_eq!(conference["timeslot_duration"], "00:15");
    let days = conference["days"].as_array().unwrap();
    let summary: Vec<(u64, &str, &str, &str)> = days
        .iter()
        .map(|d| {
            (
                d["index"].as_u64().unwrap(),
                d["date"].as_str().unwrap(),
                d["day_start"].as_str().unwrap(),
                d["day_end"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                1,
                "2026-05-21",
                "2026-05-21T09:00:00+02:00",
                "2026-05-21T18:00:00+02:00"
            ),
            (
                2,
                "2026-05-22",
                "2026-05-22T09:00:00+02:00",
                "2026-05-22T18:00:00+02:00"
            ),
            (
                3,
                "2026-05-23",
                "2026-05-23T09:00:00+02:00",
                "2026-05-23T17:00:00+02:00"
            ),
        ]
    );
}

#[test]
fn json_filtered_and_personal_agendas_are_valid_too() {
    let sample = Sample::new();
    for filters in [
        &["--attendee", "alice"][..],
        &["--day", "thu"],
        &["--room", "main"],
        &["--team", "lang"],
    ] {
        assert_valid_json(&frab_json(&sample, filters));
    }
}

fn first_event(document: &mut Value) -> &mut Value {
    let rooms = document["schedule"]["conference"]["days"][0]["rooms"]
        .as_object_mut()
        .unwrap();
    &mut rooms.values_mut().next().unwrap()[0]
}

#[test]
fn the_schema_check_catches_the_known_traps() {
    // Proves the validator really applies the schema: each trap, put into a valid export, fails.
    let sample = Sample::new();
    let document: Value = serde_json::from_str(&frab_json(&sample, &[])).unwrap();
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut d = document.clone();
        change(&mut d);
        schema_errors(&d)
    };
    assert!(broken(&|_| ()).is_empty());
    assert!(!broken(&|d| d["schedule"]["conference"]["acronym"] = "rust-all-hands".into()).is_empty());
    assert!(!broken(&|d| first_event(d)["start"] = "2026-05-21T09:30:00+02:00".into()).is_empty());
    let both_shapes = serde_json::json!([{"id": 1, "name": "a", "public_name": "a"}]);
    assert!(!broken(&|d| first_event(d)["persons"] = both_shapes.clone()).is_empty());
    // (Draft 6 has no "uuid" format, so guids are checked by parsing them, below.)
    assert!(!broken(&|d| first_event(d)["url"] = "".into()).is_empty());
}

#[test]
fn xml_is_valid_by_the_c3voc_xsd() {
    let sample = Sample::new();
    for filters in [
        &[][..],
        &["--attendee", "alice"],
        &["--day", "thu"],
        &["--room", "main"],
    ] {
        assert_valid_xml(&frab_xml(&sample, filters));
    }
}

#[test]
fn every_xml_day_has_start_and_end_for_eventfahrplan() {
    let sample = Sample::new();
    let text = frab_xml(&sample, &[]);
    let document = roxmltree::Document::parse(&text).unwrap();
    let days: Vec<_> = document.descendants().filter(|n| n.has_tag_name("day")).collect();
    assert_eq!(days.len(), 3);
    for (n, day) in days.iter().enumerate() {
        let (start, end) = (day.attribute("start").unwrap(), day.attribute("end").unwrap());
        let start = chrono::DateTime::parse_from_rfc3339(start).unwrap();
        let end = chrono::DateTime::parse_from_rfc3339(end).unwrap();
        assert!(start < end, "{day:?}");
        assert_eq!(day.attribute("index"), Some((n + 1).to_string().as_str()));
        assert_eq!(Some(start.date_naive().to_string().as_str()), day.attribute("date"));
    }
    let conference = document.descendants().find(|n| n.has_tag_name("conference")).unwrap();
    assert_eq!(child_text(conference, "acronym"), "rustallhands2026");
    assert_eq!(child_text(conference, "days"), "3");
    assert_eq!(child_text(conference, "time_zone_name"), "Europe/Amsterdam");
}

// ---------------------------------------------------------------------------------------------
// content

#[test]
fn every_scheduled_session_appears_once_with_its_time_and_room() {
    let sample = Sample::new();
    let rows = listed(&sample, &[]);
    assert!(rows.len() > 50, "the sample has {} scheduled sessions", rows.len());
    let from_json = json_events(&serde_json::from_str(&frab_json(&sample, &[])).unwrap());
    let from_xml = xml_events(&frab_xml(&sample, &[]));
    assert_same_sessions(&from_json, &rows, "json");
    assert_same_sessions(&from_xml, &rows, "xml");
    assert_eq!(from_json, from_xml, "the JSON and the XML say the same");

    let opening = from_json.iter().find(|e| e.session() == "S001").unwrap();
    assert_eq!(opening.date, "2026-05-21T09:30:00+02:00");
    assert_eq!(opening.day, "2026-05-21");
    assert_eq!(opening.start, "09:30");
    assert_eq!(opening.duration, "01:30");
    assert_eq!(opening.room, "Main Hall");
    assert_eq!(opening.title, "Opening plenary: state of the Project");
    assert_eq!(opening.track, "leadership-council");
    assert_eq!(opening.kind, "discussion");
    assert_eq!(opening.slug, "rustallhands2026-1-opening-plenary-state-of-the-project");
    assert!(opening.persons.contains(&"aleksander-h".to_string()), "{opening:?}");

    let unscheduled = unscheduled(&sample);
    assert!(unscheduled.contains(&"S012".to_string()), "{unscheduled:?}");
    for id in &unscheduled {
        assert!(from_json.iter().all(|e| &e.session() != id), "{id} is not scheduled");
    }
}

#[test]
fn persons_are_required_people_by_handle() {
    let sample = Sample::new();
    let participants = sample.read("participants.csv");
    let required = |session: &str| -> BTreeSet<String> {
        rows(&participants)
            .into_iter()
            .filter(|r| r["session"] == session && r["role"] == "required")
            .map(|r| r["handle"].clone())
            .collect()
    };
    let document: Value = serde_json::from_str(&frab_json(&sample, &[])).unwrap();
    for e in json_events(&document) {
        let persons: BTreeSet<String> = e.persons.iter().cloned().collect();
        assert_eq!(persons, required(&e.session()), "{}", e.session());
    }
    // Each person is {guid, name, public_name}: one of the schema's two shapes, not both.
    let days = document["schedule"]["conference"]["days"].as_array().unwrap();
    let person = days
        .iter()
        .flat_map(|d| d["rooms"].as_object().unwrap().values())
        .flat_map(|list| list.as_array().unwrap())
        .flat_map(|e| e["persons"].as_array().unwrap())
        .next()
        .unwrap();
    let keys: Vec<&str> = person.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["guid", "name", "public_name"]);
    assert_eq!(person["name"], person["public_name"]);
}

#[test]
fn no_email_address_in_either_export() {
    let sample = Sample::new();
    let emails = emails(&sample);
    assert!(emails.len() > 100);
    for filters in [&[][..], &["--attendee", "alice"]] {
        for (format, text) in [
            ("json", frab_json(&sample, filters)),
            ("xml", frab_xml(&sample, filters)),
        ] {
            assert!(!text.contains('@'), "{format} {filters:?} has an '@'");
            for email in &emails {
                assert!(!text.contains(email.as_str()), "{format} has {email}");
            }
        }
    }
}

#[test]
fn filters_pick_the_same_sessions_as_the_table() {
    let sample = Sample::new();
    for filters in [
        &["--attendee", "alice"][..],
        &["--day", "thu"],
        &["--room", "main"],
        &["--day", "fri", "--room", "main"],
    ] {
        let rows = listed(&sample, filters);
        assert!(!rows.is_empty(), "{filters:?}");
        let from_json = json_events(&serde_json::from_str(&frab_json(&sample, filters)).unwrap());
        let from_xml = xml_events(&frab_xml(&sample, filters));
        assert_same_sessions(&from_json, &rows, &format!("json {filters:?}"));
        assert_same_sessions(&from_xml, &rows, &format!("xml {filters:?}"));
    }
    let main_only = json_events(&serde_json::from_str(&frab_json(&sample, &["--room", "main"])).unwrap());
    assert!(main_only.iter().all(|e| e.room == "Main Hall"));
    let thursday = xml_events(&frab_xml(&sample, &["--day", "thu"]));
    assert!(thursday.iter().all(|e| e.day == "2026-05-21"));
}

#[test]
fn a_personal_agenda_is_titled_for_the_person() {
    let sample = Sample::new();
    let document: Value = serde_json::from_str(&frab_json(&sample, &["--attendee", "alice"])).unwrap();
    assert_eq!(
        document["schedule"]["conference"]["title"],
        "Rust All Hands 2026: alice"
    );
    // Same conference, same identifiers as the full schedule.
    assert_eq!(document["schedule"]["conference"]["acronym"], "rustallhands2026");
    let all = identifiers(&json_events(&serde_json::from_str(&frab_json(&sample, &[])).unwrap()));
    for (session, ids) in identifiers(&json_events(&document)) {
        assert_eq!(all[&session], ids, "{session}");
    }
}

// ---------------------------------------------------------------------------------------------
// identifiers

#[test]
fn identifiers_are_unique_and_stable() {
    let sample = Sample::new();
    let json_a = frab_json(&sample, &[]);
    let xml_a = frab_xml(&sample, &[]);
    assert_eq!(frab_json(&sample, &[]), json_a, "two exports are identical");
    assert_eq!(frab_xml(&sample, &[]), xml_a, "two exports are identical");
    let before = identifiers(&json_events(&serde_json::from_str(&json_a).unwrap()));
    assert_eq!(identifiers(&xml_events(&xml_a)), before);
    let guids: BTreeSet<&String> = before.values().map(|(g, _, _)| g).collect();
    let ids: BTreeSet<u64> = before.values().map(|(_, i, _)| *i).collect();
    let slugs: BTreeSet<&String> = before.values().map(|(_, _, s)| s).collect();
    assert_eq!(
        (guids.len(), ids.len(), slugs.len()),
        (before.len(), before.len(), before.len())
    );
    for guid in &guids {
        let parsed = uuid::Uuid::parse_str(guid).unwrap_or_else(|e| panic!("{guid}: {e}"));
        assert_eq!(parsed.get_version_num(), 5, "{guid}");
        assert_eq!(&parsed.hyphenated().to_string(), *guid, "lowercase, hyphenated");
    }

    // An unrelated change changes nothing at all: someone who declined counts toward no
    // session (not even the plenaries or their team's), so no head count moves.
    sample.ok(&[
        &ADD_FERRIS[..],
        &[
            "--role", "member", "--team", "lang", "--days", "thu,fri", "--status", "declined",
        ],
    ]
    .concat());
    assert_eq!(frab_json(&sample, &[]), json_a);
    assert_eq!(frab_xml(&sample, &[]), xml_a);

    // Booking one more session keeps every other identifier.
    sample.ok(&BLUE_ROOM);
    sample.ok(&["book", "S056", "--day", "fri", "--at", "15:00", "--room", "blue"]);
    let booked_json = frab_json(&sample, &[]);
    let booked = identifiers(&json_events(&serde_json::from_str(&booked_json).unwrap()));
    assert_eq!(booked.len(), before.len() + 1);
    for (session, ids) in &before {
        assert_eq!(&booked[session], ids, "{session}");
    }
    let version = |text: &str| serde_json::from_str::<Value>(text).unwrap()["schedule"]["version"].clone();
    assert_ne!(
        version(&booked_json),
        version(&json_a),
        "a schedule change is a new version"
    );

    // Moving it changes its date, not its identifiers.
    sample.ok(&["book", "S056", "--day", "sat", "--at", "09:30", "--room", "blue"]);
    let moved_json = frab_json(&sample, &[]);
    let moved_events = json_events(&serde_json::from_str(&moved_json).unwrap());
    assert_eq!(identifiers(&moved_events), booked);
    let s056 = moved_events.iter().find(|e| e.session() == "S056").unwrap();
    assert_eq!(s056.date, "2026-05-23T09:30:00+02:00");
    assert_eq!(s056.room, "Blue Room");
    assert_eq!(identifiers(&xml_events(&frab_xml(&sample, &[]))), booked);
    assert_ne!(version(&moved_json), version(&booked_json));
}

#[test]
fn special_characters_survive_both_formats() {
    let sample = Sample::new();
    let title = r#"Ampersands & <angles> "quotes" 'apostrophes'"#;
    sample.ok(&[
        "adhoc", title, "--day", "fri", "--at", "15:00", "--for", "60", "--size", "8",
    ]);
    let json = frab_json(&sample, &[]);
    let xml = frab_xml(&sample, &[]);
    assert_valid_json(&json);
    assert_valid_xml(&xml);
    let from_json = json_events(&serde_json::from_str(&json).unwrap());
    let from_xml = xml_events(&xml);
    for events in [&from_json, &from_xml] {
        let e = events
            .iter()
            .find(|e| e.session() == "S067")
            .expect("the ad-hoc session");
        assert_eq!(e.title, title);
        assert_eq!(e.kind, "ad-hoc");
        assert_eq!(e.start, "15:00");
        assert_eq!(e.duration, "01:00");
        assert_eq!(e.slug, "rustallhands2026-67-ampersands-angles-quotes-apostrophes");
    }
}

#[test]
fn an_agenda_without_sessions_is_still_valid() {
    // A person with no sessions: every day is there, with no rooms (XSD needs a <day>).
    // Everyone is tied to the plenaries, so take those off the agenda first.
    let sample = Sample::new();
    sample.ok(&["unbook", "S001"]);
    sample.ok(&["unbook", "S052"]);
    sample.ok(&["add-attendee", "ferris", "--name", "Ferris Crab", "--days", "thu"]);
    let document = assert_valid_json(&frab_json(&sample, &["--attendee", "ferris"]));
    assert!(json_events(&document).is_empty());
    assert_eq!(document["schedule"]["conference"]["days"].as_array().unwrap().len(), 3);
    let xml = frab_xml(&sample, &["--attendee", "ferris"]);
    assert_valid_xml(&xml);
    assert!(xml_events(&xml).is_empty());
}

#[test]
fn frab_writes_to_a_file() {
    let sample = Sample::new();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schedule.xml");
    let printed = sample.ok(&["schedule", "--format", "frab-xml", "-o", out.to_str().unwrap()]);
    assert!(printed.is_empty() || !printed.contains("<schedule>"), "{printed}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), frab_xml(&sample, &[]));
    assert!(Path::new(XSD).exists());
}
