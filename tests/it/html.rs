//! The timetable page in a real browser: headless Chromium lays it out, a probe script reads
//! the rendered blocks, and a screenshot is kept as a test artifact.
use crate::common;

use std::path::{Path, PathBuf};

use crate::common::{Sample, chromium};

/// Reads every session block's box after layout, and whether any two overlap.
const PROBE: &str = r#"<script>
const blocks = [...document.querySelectorAll('.session')].map(e => {
  const r = e.getBoundingClientRect();
  return { id: e.dataset.session, day: e.dataset.day, x: r.left, y: r.top + window.scrollY, w: r.width, h: r.height };
});
const overlaps = [];
for (let i = 0; i < blocks.length; i++) for (let j = i + 1; j < blocks.length; j++) {
  const a = blocks[i], b = blocks[j];
  if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) overlaps.push([a.id, b.id]);
}
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify({ blocks, overlaps, width: document.documentElement.clientWidth });
document.body.appendChild(pre);
</script>"#;

#[derive(Debug)]
struct Layout {
    blocks: Vec<serde_json::Value>,
    overlaps: Vec<serde_json::Value>,
    width: f64,
}

fn layout(page: &Path, width: u32, height: u32) -> Layout {
    let v = common::probe(page, "", PROBE, width, height);
    Layout {
        blocks: v["blocks"].as_array().unwrap().clone(),
        overlaps: v["overlaps"].as_array().unwrap().clone(),
        width: v["width"].as_f64().unwrap(),
    }
}

fn scheduled_ids(sample: &Sample, args: &[&str]) -> Vec<String> {
    let mut full = vec!["schedule", "--format", "json"];
    full.extend_from_slice(args);
    common::strings(&common::json(&sample.ok(&full)), "session")
}

fn artifact(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn every_session_is_a_block_and_no_blocks_overlap_on_a_desktop_and_a_phone() {
    let sample = Sample::new();
    let page = sample.data.parent().unwrap().join("timetable.html");
    sample.ok(&["schedule", "--format", "html", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no scripts, no external assets, no email addresses.
    assert!(!html.contains("<script"), "the page must not need scripts");
    assert!(!html.contains("src=") && !html.contains("http://") && !html.contains("https://"));
    assert!(!html.contains("@example"), "no email addresses");

    let expected = scheduled_ids(&sample, &[]);
    for (width, height) in [(1500, 1100), (390, 844)] {
        let l = layout(&page, width, height);
        let mut ids: Vec<String> = l.blocks.iter().map(|b| b["id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        let mut want = expected.clone();
        want.sort();
        assert_eq!(ids, want, "at {width}px every scheduled session is one block");
        for b in &l.blocks {
            assert!(
                b["w"].as_f64().unwrap() > 20.0 && b["h"].as_f64().unwrap() > 10.0,
                "block too small: {b}"
            );
        }
        assert!(
            l.overlaps.is_empty(),
            "overlapping blocks at {width}px: {:?}",
            l.overlaps
        );
        if width < 500 {
            // On a phone the list fits the screen: nothing wider than the viewport.
            for b in &l.blocks {
                assert!(
                    b["x"].as_f64().unwrap() + b["w"].as_f64().unwrap() <= l.width + 1.0,
                    "{b}"
                );
            }
        }
    }

    let shot = artifact("timetable.png");
    let out = chromium(&[
        "--window-size=1500,1100",
        &format!("--screenshot={}", shot.display()),
        &format!("file://{}", page.display()),
    ]);
    assert!(shot.exists(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn blocks_sit_in_their_room_column_and_span_their_duration() {
    let sample = Sample::new();
    let page = sample.data.parent().unwrap().join("thu.html");
    sample.ok(&[
        "schedule",
        "--day",
        "thu",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    let l = layout(&page, 1500, 1100);
    let find = |id: &str| {
        l.blocks
            .iter()
            .find(|b| b["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    };
    // S046 (14:00-15:30, 90 min) is 1.5 times as tall as S021 (14:00-15:00, 60 min), and both
    // start at the same height; S011 (16:00) starts below S046's end, and S002 (11:30) below
    // the end of the opening plenary S001 (09:30-11:00).
    let (s046, s021, s011) = (find("S046"), find("S021"), find("S011"));
    let (s001, s002) = (find("S001"), find("S002"));
    let h = |b: &serde_json::Value| b["h"].as_f64().unwrap();
    let y = |b: &serde_json::Value| b["y"].as_f64().unwrap();
    assert!((h(s046) / h(s021) - 1.5).abs() < 0.05, "{s046} {s021}");
    assert!((y(s046) - y(s021)).abs() < 1.5);
    assert!(y(s011) >= y(s046) + h(s046));
    assert!(y(s002) >= y(s001) + h(s001));
    // Different rooms, different columns.
    assert!((s046["x"].as_f64().unwrap() - s021["x"].as_f64().unwrap()).abs() > 50.0);
}

#[test]
fn a_personal_timetable_shows_only_that_persons_sessions() {
    let sample = Sample::new();
    let page = sample.data.parent().unwrap().join("alice.html");
    sample.ok(&[
        "schedule",
        "--attendee",
        "alice",
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("<title>Rust All Hands 2026: alice</title>"));
    let mut want = scheduled_ids(&sample, &["--attendee", "alice"]);
    want.sort();
    let l = layout(&page, 1200, 900);
    let mut got: Vec<String> = l.blocks.iter().map(|b| b["id"].as_str().unwrap().to_string()).collect();
    got.sort();
    assert_eq!(got, want);
    assert!(html.contains("you: required"), "roles are shown");
}

#[test]
fn titles_are_escaped() {
    let sample = Sample::new();
    sample.ok(&["add-session", "<script>alert('x')</script> & co", "--team", "lang"]);
    let id = "S067";
    sample.ok(&["book", id, "--day", "thu", "--at", "16:00"]);
    let html = sample.ok(&["schedule", "--format", "html"]);
    assert!(html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co"));
    assert!(!html.contains("<script>"));
}

/// For each session of 30 minutes or less: whether its title is cut (its line's box reaches past
/// the block's content box, or it has no height). With `?print` in the address the page's
/// `@media print` rules are applied as screen rules first, which lays the page out as Chromium
/// prints it (at a viewport as wide as A4 landscape inside the page margins).
const SHORT_PROBE: &str = r#"<script>
if (location.search.includes('print')) {
  const rules = [];
  for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
    if (rule.media && rule.media.mediaText === 'print') for (const r of rule.cssRules) rules.push(r.cssText);
  const style = document.createElement('style');
  style.textContent = rules.join('\n');
  document.head.appendChild(style);
}
const short = [...document.querySelectorAll('.session')].filter(e => {
  const m = t => { const [h, mm] = t.split(':').map(Number); return h * 60 + mm; };
  return m(e.dataset.end) - m(e.dataset.start) <= 30;
});
const cut = short.map(e => {
  const box = e.getBoundingClientRect(), css = getComputedStyle(e);
  const title = e.querySelector('.title').getBoundingClientRect();
  const bottom = box.bottom - parseFloat(css.paddingBottom) - parseFloat(css.borderBottomWidth);
  return { id: e.dataset.session, title: e.querySelector('.title').textContent,
           top: title.top - box.top, bottom: title.bottom, limit: bottom, height: title.height };
}).filter(t => t.height < 4 || t.bottom > t.limit + 0.5);
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify({ short: short.length, cut });
document.body.appendChild(pre);
</script>"#;

#[test]
fn a_half_hour_session_shows_its_title_on_screen_and_in_print() {
    let sample = Sample::new();
    sample.ok(&["add-room", "spare", "--name", "Spare Room", "--capacity", "20"]);
    sample.ok(&[
        "adhoc",
        "A follow-up on everything the earlier session left open, with notes for the next",
        "--day",
        "sat",
        "--at",
        "10:00",
        "--for",
        "30",
        "--room",
        "spare",
    ]);
    let page = sample.data.parent().unwrap().join("timetable.html");
    sample.ok(&["schedule", "--format", "html", "-o", page.to_str().unwrap()]);
    // On a desktop, and printed on A4 landscape (297 mm less 2 x 10 mm margins, at 96 px per
    // inch: 1047 px).
    for (query, width, height) in [("", 1500, 1100), ("?print", 1047, 740)] {
        let v = common::probe(&page, query, SHORT_PROBE, width, height);
        assert!(v["short"].as_u64().unwrap() >= 4, "{v}");
        assert_eq!(v["cut"], serde_json::json!([]), "titles cut {query} at {width}px");
    }
}
