//! At the venue: the printed PDF grid read back with poppler (pdfinfo, pdftotext), the static
//! site's pages laid out by headless Chromium (lobby board, door signs).
mod common;

use std::path::Path;
use std::process::Command;

use common::Sample;

/// Runs a poppler tool, failing with the install hint when it is missing.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed for this test ({e}); scripts/test installs it: apt-get install poppler-utils")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn pdf_info(pdf: &Path, key: &str) -> String {
    poppler("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("pdfinfo has no {key}"))
}

fn pages(pdf: &Path) -> usize {
    pdf_info(pdf, "Pages").parse().unwrap()
}

/// One page's text with all white space removed, so words wrapped inside a box still match.
fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    let text = poppler("pdftotext", &["-raw", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]);
    squeeze(&text)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every word on a page with its box (x0, y0, x1, y1), from `pdftotext -bbox`.
fn words(pdf: &Path, page: usize) -> (Vec<(String, [f64; 4])>, (f64, f64)) {
    let n = page.to_string();
    let xml = poppler("pdftotext", &["-bbox", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..start + tag[start..].find('"').unwrap()].parse().unwrap()
    };
    let page_tag = &xml[xml.find("<page ").unwrap()..];
    let size = (attr(page_tag, "width"), attr(page_tag, "height"));
    let mut found = Vec::new();
    for part in xml.split("<word ").skip(1) {
        let (tag, rest) = part.split_once('>').unwrap();
        let text = rest.split_once("</word>").unwrap().0.to_string();
        let b = [
            attr(tag, "xMin"),
            attr(tag, "yMin"),
            attr(tag, "xMax"),
            attr(tag, "yMax"),
        ];
        found.push((text, b));
    }
    (found, size)
}

/// Words that overlap another word (text spilling out of its box onto the next), and words
/// that run off the page. Line boxes from poppler include the font's full ascent and descent,
/// so each is trimmed by a sixth of its height before comparing.
fn collisions(pdf: &Path, page: usize) -> Vec<String> {
    let (words, (width, height)) = words(pdf, page);
    let mut problems = Vec::new();
    let trimmed: Vec<[f64; 4]> = words
        .iter()
        .map(|(_, b)| {
            let cut = (b[3] - b[1]) / 6.0;
            [b[0] + 0.3, b[1] + cut, b[2] - 0.3, b[3] - cut]
        })
        .collect();
    for (i, (text, b)) in words.iter().enumerate() {
        if b[0] < 0.0 || b[1] < 0.0 || b[2] > width || b[3] > height {
            problems.push(format!("{text} off the page: {b:?}"));
        }
        for j in i + 1..words.len() {
            let (a, c) = (trimmed[i], trimmed[j]);
            if a[0] < c[2] && c[0] < a[2] && a[1] < c[3] && c[1] < a[3] {
                problems.push(format!("'{text}' {:?} overlaps '{}' {:?}", b, words[j].0, words[j].1));
            }
        }
    }
    problems
}

/// Scheduled sessions as (day, title), from the json agenda.
fn scheduled(sample: &Sample, args: &[&str]) -> Vec<(String, String)> {
    let mut full = vec!["schedule", "--format", "json"];
    full.extend_from_slice(args);
    common::json(&sample.ok(&full))
        .iter()
        .map(|r| (r["day"].as_str().unwrap().into(), r["title"].as_str().unwrap().into()))
        .collect()
}

#[test]
fn the_pdf_grid_has_a_page_per_day_with_every_session_title_on_its_day() {
    let sample = Sample::new();
    let pdf = sample.data.parent().unwrap().join("schedule.pdf");
    sample.ok(&["schedule", "--format", "pdf", "-o", pdf.to_str().unwrap()]);
    assert_eq!(pages(&pdf), 3, "one page per day");
    assert!(
        pdf_info(&pdf, "Page size").starts_with("841.89 x 595.28"),
        "A4 landscape"
    );
    let days = ["thu", "fri", "sat"];
    let sessions = scheduled(&sample, &[]);
    assert!(sessions.len() > 40);
    for (n, day) in days.iter().enumerate() {
        let text = page_text(&pdf, n + 1);
        for (d, title) in &sessions {
            let found = text.contains(&squeeze(title));
            assert_eq!(found, d == day, "'{title}' ({d}) on page {} ({day}): {found}", n + 1);
        }
        assert!(
            collisions(&pdf, n + 1).is_empty(),
            "page {}: {:?}",
            n + 1,
            collisions(&pdf, n + 1)
        );
        // The footer says it is a draft; there is no published version to name.
        assert!(text.contains("draft,notpublished"), "{text}");
        assert!(text.contains(&format!("page{}of3", n + 1)));
    }

    let a3 = sample.data.parent().unwrap().join("a3.pdf");
    sample.ok(&[
        "schedule",
        "--format",
        "pdf",
        "--paper",
        "a3",
        "--day",
        "fri",
        "-o",
        a3.to_str().unwrap(),
    ]);
    assert_eq!(pages(&a3), 1, "--day prints that day only");
    assert!(
        pdf_info(&a3, "Page size").starts_with("1190.55 x 841.89"),
        "A3 landscape"
    );
}

#[test]
fn names_in_greek_and_cyrillic_come_back_intact_and_long_titles_stay_in_their_box() {
    let sample = Sample::new();
    sample.ok(&["add-room", "ermis", "--name", "Αίθουσα Ερμής", "--capacity", "9"]);
    let cyrillic = "Сессия о компиляторе: разбор ошибок";
    let greek = "Συνεδρία για τον μεταγλωττιστή";
    let long = format!(
        "A very long ad-hoc title that goes on and on {} and_an_identifier_far_too_long_for_any_column",
        "and on ".repeat(12)
    );
    sample.ok(&[
        "adhoc", cyrillic, "--day", "sat", "--at", "10:00", "--for", "30", "--room", "ermis",
    ]);
    sample.ok(&[
        "adhoc", greek, "--day", "sat", "--at", "10:30", "--for", "60", "--room", "ermis",
    ]);
    sample.ok(&[
        "adhoc", &long, "--day", "sat", "--at", "11:30", "--for", "30", "--room", "amstel",
    ]);
    let pdf = sample.data.parent().unwrap().join("sat.pdf");
    sample.ok(&[
        "schedule",
        "--day",
        "sat",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let text = page_text(&pdf, 1);
    for name in [cyrillic, greek, "Αίθουσα Ερμής", &long] {
        assert!(text.contains(&squeeze(name)), "{name} missing from: {text}");
    }
    assert!(text.contains("ADHOC"), "ad-hoc sessions are marked");
    let problems = collisions(&pdf, 1);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_personal_pdf_is_one_page_with_each_of_the_persons_sessions() {
    let sample = Sample::new();
    let pdf = sample.data.parent().unwrap().join("alice.pdf");
    sample.ok(&[
        "schedule",
        "--attendee",
        "alice",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(pages(&pdf), 1);
    assert!(
        pdf_info(&pdf, "Page size").starts_with("595.28 x 841.89"),
        "A4 portrait"
    );
    let text = page_text(&pdf, 1);
    let mine = scheduled(&sample, &["--attendee", "alice"]);
    assert!(!mine.is_empty());
    for (_, title) in &mine {
        assert!(text.contains(&squeeze(title)), "{title}");
    }
    assert!(text.contains("you:required"));
    // Someone else's sessions are not on it.
    for (_, title) in scheduled(&sample, &[]) {
        if !mine.iter().any(|(_, t)| *t == title) {
            assert!(!text.contains(&squeeze(&title)), "{title} is not alice's");
        }
    }
    assert!(collisions(&pdf, 1).is_empty());
}

#[test]
fn pdf_needs_an_output_file_and_a_failed_export_writes_nothing() {
    let sample = Sample::new();
    sample.fails(&["schedule", "--format", "pdf"], "give -o FILE");
    let pdf = sample.data.parent().unwrap().join("x.pdf");
    sample.fails(
        &[
            "schedule",
            "--format",
            "pdf",
            "--day",
            "sun",
            "-o",
            pdf.to_str().unwrap(),
        ],
        "valid:",
    );
    assert!(!pdf.exists());
}
