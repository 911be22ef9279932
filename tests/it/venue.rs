//! At the venue: the printed PDF grid read back with poppler (pdfinfo, pdftotext), the static
//! site's pages laid out by headless Chromium (lobby board, door signs).
use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::Sample;

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

/// One page's text in reading order (pdftotext's default mode puts right-to-left words in
/// logical order, where -raw keeps the drawing order), with white space and the bidi marks
/// pdftotext adds around right-to-left text removed.
fn reading_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    let text = poppler("pdftotext", &["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]);
    squeeze(&text)
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

/// The fonts embedded in a PDF, from `pdffonts`: (name without the subset tag, embedded).
fn embedded_fonts(pdf: &Path) -> Vec<(String, bool)> {
    poppler("pdffonts", &[pdf.to_str().unwrap()])
        .lines()
        .skip(2)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let name = fields.first()?;
            let name = name.split_once('+').map_or(*name, |(_, n)| n);
            // name, type (one or more words), encoding, emb, sub, uni, object, generation
            let emb = fields.get(fields.len().checked_sub(5)?)?;
            Some((name.to_string(), *emb == "yes"))
        })
        .collect()
}

/// A word on a page and its box (x0, y0, x1, y1).
type Word = (String, [f64; 4]);

/// Every word on a page with its box, and the page's size, from `pdftotext -bbox`.
fn words(pdf: &Path, page: usize) -> (Vec<Word>, (f64, f64)) {
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

    // A person with a Cyrillic and Greek name gets their name on their own agenda.
    let name = "Дмитрий Παπαδόπουλος";
    sample.ok(&["add-attendee", "dmitri", "--name", name, "--team", "lang"]);
    sample.ok(&["join", "S002", "dmitri", "--required"]);
    let mine = sample.data.parent().unwrap().join("dmitri.pdf");
    sample.ok(&[
        "schedule",
        "--attendee",
        "dmitri",
        "--format",
        "pdf",
        "-o",
        mine.to_str().unwrap(),
    ]);
    let text = page_text(&mine, 1);
    assert!(text.contains(&squeeze(name)), "{text}");
    assert!(text.contains("Asyncclosuresstabilization"), "{text}");
}

/// Names in scripts Noto Sans has no glyphs for, each in a session title, a room name and a
/// person's name.
const WORLD: [(&str, &str); 9] = [
    ("Chinese", "编译器工作组会议"),
    ("Japanese", "コンパイラの話"),
    ("Korean", "컴파일러 회의"),
    ("Arabic", "مؤتمر المترجم"),
    ("Hebrew", "שיחה על המהדר"),
    ("Hindi", "संकलक पर चर्चा"),
    ("Greek", "Συνεδρία μεταγλωττιστή"),
    ("Russian", "Сессия о компиляторе"),
    ("Thai", "การประชุมคอมไพเลอร์"),
];

#[test]
fn names_in_any_script_print_in_embedded_fonts_and_come_back_intact() {
    let sample = Sample::new();
    sample.ok(&["add-room", "tokyo", "--name", "会議室 東京", "--capacity", "9"]);
    for (n, (_, title)) in WORLD.iter().enumerate() {
        let at = format!("{:02}:{:02}", 10 + n / 2, n % 2 * 30);
        sample.ok(&[
            "adhoc", title, "--day", "sat", "--at", &at, "--for", "30", "--room", "tokyo",
        ]);
    }
    let pdf = sample.data.parent().unwrap().join("world.pdf");
    sample.ok(&[
        "schedule",
        "--day",
        "sat",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let text = reading_text(&pdf, 1);
    for (script, title) in WORLD.iter().copied().chain([("Japanese room", "会議室 東京")]) {
        assert!(
            text.contains(&squeeze(title)),
            "{script} '{title}' is not intact in: {text}"
        );
    }
    // Noto Sans for Latin, Greek and Cyrillic; Unifont for the rest; each embedded (as a
    // subset), so the page prints the same on any machine.
    let fonts = embedded_fonts(&pdf);
    for family in ["NotoSans", "NotoSans-Bold", "Unifont"] {
        assert!(
            fonts
                .iter()
                .any(|(name, embedded)| name.starts_with(family) && *embedded),
            "{family} is not embedded: {fonts:?}"
        );
    }
    assert!(fonts.iter().all(|(_, embedded)| *embedded), "{fonts:?}");
    let problems = collisions(&pdf, 1);
    assert!(problems.is_empty(), "{problems:#?}");

    // A person whose name is in two scripts Noto Sans lacks gets it on their own agenda, with
    // their sessions' titles in any script too.
    let name = "王小明 राहुल";
    sample.ok(&["add-attendee", "xiaoming", "--name", name, "--team", "lang"]);
    sample.ok(&["join", "S002", "xiaoming", "--required"]);
    let id = sample.ok(&["sessions", "--format", "json"]);
    let hebrew = common::json(&id)
        .into_iter()
        .find(|s| s["title"] == WORLD[4].1)
        .map(|s| s["id"].as_str().unwrap().to_string())
        .expect("the Hebrew session is listed");
    sample.ok(&["join", &hebrew, "xiaoming"]);
    let mine = sample.data.parent().unwrap().join("xiaoming.pdf");
    sample.ok(&[
        "schedule",
        "--attendee",
        "xiaoming",
        "--format",
        "pdf",
        "-o",
        mine.to_str().unwrap(),
    ]);
    let text = reading_text(&mine, 1);
    assert!(text.contains(&squeeze(name)), "{text}");
    assert!(text.contains(&squeeze(WORLD[4].1)), "{text}");
    assert!(text.contains("Asyncclosuresstabilization"), "{text}");
    assert!(
        embedded_fonts(&mine)
            .iter()
            .any(|(name, e)| name.starts_with("Unifont") && *e)
    );
}

/// The box of `word` on `page`, from pdftotext -bbox (which gives right-to-left words in
/// drawing order, so either order matches).
fn word_box(pdf: &Path, page: usize, word: &str) -> [f64; 4] {
    let reversed: String = word.chars().rev().collect();
    let (found, _) = words(pdf, page);
    found
        .iter()
        .find(|(w, _)| *w == word || *w == reversed)
        .unwrap_or_else(|| panic!("no word {word} on page {page}: {found:?}"))
        .1
}

/// How many times the ink of `word` (as pdftotext -bbox finds it on `page`) breaks off and
/// starts again from left to right: the word rendered with pdftoppm at 4x, its box cut out, and
/// every column with a dark pixel counted as ink. Letters drawn each on their own leave blank
/// columns between them.
fn ink_breaks(pdf: &Path, page: usize, word: &str) -> usize {
    let b = word_box(pdf, page, word);
    let scale = 4.0;
    let (x, y) = ((b[0] * scale).floor(), (b[1] * scale).floor());
    let (w, h) = ((b[2] * scale).ceil() - x, (b[3] * scale).ceil() - y);
    let prefix = pdf.with_extension(format!("word{page}"));
    let n = page.to_string();
    let number = |v: f64| (v as i64).to_string();
    poppler(
        "pdftoppm",
        &[
            "-r",
            "288",
            "-gray",
            "-f",
            &n,
            "-l",
            &n,
            "-x",
            &number(x),
            "-y",
            &number(y),
            "-W",
            &number(w),
            "-H",
            &number(h),
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    // A binary PGM: "P5", width, height, maximum, then a byte per pixel.
    let image = std::fs::read(prefix.with_extension(format!("word{page}.pgm"))).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        let end = at + image[at..].iter().position(|b| b.is_ascii_whitespace()).unwrap();
        fields.push(String::from_utf8_lossy(&image[at..end]).to_string());
        at = end + 1;
    }
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &image[at..];
    let ink: Vec<bool> = (0..width)
        .map(|x| (0..height).any(|y| pixels[y * width + x] < 128))
        .collect();
    let first = ink.iter().position(|&i| i).expect("the word has ink");
    let last = ink.iter().rposition(|&i| i).unwrap();
    (first..last).filter(|&x| !ink[x] && ink[x + 1]).count()
}

#[test]
fn arabic_and_persian_names_print_joined_and_come_back_as_typed() {
    let sample = Sample::new();
    // "Muhammad Ali" (Arabic) and "Pezhman" (Persian: peh, jeh) as people, a title with a
    // lam-alef ("Salam") and a room.
    sample.ok(&["add-room", "qaa", "--name", "قاعة الاجتماعات", "--capacity", "9"]);
    sample.ok(&[
        "adhoc",
        "لقاء سلام",
        "--day",
        "sat",
        "--at",
        "10:00",
        "--for",
        "60",
        "--room",
        "qaa",
    ]);
    let pdf = sample.data.parent().unwrap().join("arabic.pdf");
    sample.ok(&[
        "schedule",
        "--day",
        "sat",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let text = reading_text(&pdf, 1);
    for typed in ["لقاء سلام", "قاعة الاجتماعات"] {
        assert!(text.contains(&squeeze(typed)), "'{typed}' is not intact in: {text}");
    }
    // Lam-alef is one glyph: "سلام" (seen, lam-alef, meem) is three glyphs wide where "لقاء"
    // (lam, qaf, alef, hamza; no ligature) is four, in a face whose Arabic glyphs are all as
    // wide.
    let width = |word: &str| {
        let b = word_box(&pdf, 1, word);
        b[2] - b[0]
    };
    let (salam, liqa) = (width("سلام"), width("لقاء"));
    assert!((salam * 4.0 - liqa * 3.0).abs() < 0.5, "سلام {salam} wide, لقاء {liqa}");
    for (id, name) in [("muhammad", "محمد علي"), ("pezhman", "پژمان")] {
        sample.ok(&["add-attendee", id, "--name", name, "--team", "lang"]);
        sample.ok(&["join", "S002", id]);
        let mine = sample.data.parent().unwrap().join(format!("{id}.pdf"));
        sample.ok(&[
            "schedule",
            "--attendee",
            id,
            "--format",
            "pdf",
            "-o",
            mine.to_str().unwrap(),
        ]);
        // pdftotext gives back the letters as typed, not the presentation forms drawn.
        let text = reading_text(&mine, 1);
        assert!(text.contains(&squeeze(name)), "'{name}' is not intact in: {text}");
        assert!(
            !text.chars().any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c)),
            "presentation forms in: {text}"
        );
    }
    // The letters join: Muhammad (initial meem, medial hah, medial meem, final dal) is one
    // stroke; before, Unifont drew every letter on its own, with blank columns between them.
    // (Only this word: in Unifont's pixel design some joined forms, such as seen's teeth, yeh's
    // tail or a noon, leave blank columns of their own.)
    let muhammad = sample.data.parent().unwrap().join("muhammad.pdf");
    assert_eq!(ink_breaks(&muhammad, 1, "محمد"), 0, "محمد is not joined");
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
fn a_long_personal_pdf_goes_on_over_further_pages_instead_of_being_cut() {
    let sample = Sample::new();
    sample.ok(&["add-attendee", "keen", "--name", "Keen Koala", "--team", "lang"]);
    let all = scheduled(&sample, &[]);
    let ids: Vec<String> = common::json(&sample.ok(&["sessions", "--format", "json"]))
        .iter()
        .filter(|s| !s["day"].as_str().unwrap_or("").is_empty())
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    // Keen joins every session whose room has a seat left (a full one refuses).
    for id in &ids {
        sample.cmd(&["join", id, "keen"]).output().unwrap();
    }
    let mine = scheduled(&sample, &["--attendee", "keen"]);
    assert!(mine.len() > 30, "{} of {}", mine.len(), all.len());
    let pdf = sample.data.parent().unwrap().join("keen.pdf");
    sample.ok(&[
        "schedule",
        "--attendee",
        "keen",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let count = pages(&pdf);
    assert!(count > 1, "{} sessions on {count} page", mine.len());
    let mut text = String::new();
    for n in 1..=count {
        let page = page_text(&pdf, n);
        assert!(page.contains(&format!("page{n}of{count}")), "{page}");
        assert!(page.contains("KeenKoala"), "every page names the person: {page}");
        let problems = collisions(&pdf, n);
        assert!(problems.is_empty(), "page {n}: {problems:#?}");
        // Nothing runs past the foot: every word sits above the footer's rule (drawn 3 points
        // below the bottom margin) but the footer's own, which make one line below it.
        let (words, (_, height)) = words(&pdf, n);
        let rule = height - 28.0 + 3.0;
        let mut below = Vec::new();
        for (word, b) in &words {
            if b[3] > rule {
                assert!(
                    b[1] > rule - 1.0,
                    "'{word}' crosses the footer's rule on page {n}: {b:?}"
                );
                below.push((word, b[1]));
            }
        }
        assert!(
            below.iter().all(|(_, y)| (y - below[0].1).abs() < 0.5),
            "more than the footer below the rule on page {n}: {below:?}"
        );
        text += &page;
    }
    for (_, title) in &mine {
        assert!(text.contains(&squeeze(title)), "{title} is on no page");
    }
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
    // `-o -` (standard output) on a terminal is refused too: `script` gives it a terminal.
    let binary = assert_cmd::cargo::cargo_bin!("allhands");
    let on_tty = Command::new("script")
        .args([
            "-qec",
            &format!(
                "{} --data-dir {} schedule --format pdf -o -",
                binary.display(),
                sample.data.display()
            ),
            "/dev/null",
        ])
        .output()
        .expect("script(1) from util-linux runs commands on a pseudo-terminal");
    let shown = String::from_utf8_lossy(&on_tty.stdout);
    assert!(shown.contains("give -o FILE") && !shown.contains("%PDF"), "{shown}");
}

/// The site written into a fresh folder beside the data copy.
fn site(sample: &Sample) -> std::path::PathBuf {
    let dir = sample.data.parent().unwrap().join("site");
    sample.ok(&["export", "site", dir.to_str().unwrap()]);
    dir
}

/// Reads the lobby board after its script ran: each room card's state, sessions and box,
/// whether any text box is cut off (its content larger than the box), and the viewport.
const BOARD_PROBE: &str = r#"<script>
const rect = e => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
const cards = [...document.querySelectorAll('.room')].map(e => ({
  room: e.dataset.room, state: e.dataset.state, now: e.dataset.now || null, next: e.dataset.next || null,
  title: (e.querySelector('.now .title') || {}).textContent || null, box: rect(e),
}));
const cut = [...document.querySelectorAll('.room, .room h2, .now, .next, header, header *')]
  .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.closest('.room') || {dataset: {}}).dataset.room + ' ' + e.className + ' ' + e.textContent.slice(0, 60));
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify({ cards, cut, notice: document.getElementById('notice').textContent,
  clock: document.getElementById('clock').textContent, bold: document.querySelectorAll('main b').length,
  width: innerWidth, height: innerHeight });
document.body.appendChild(pre);
</script>"#;

fn board_at(page: &Path, at: &str) -> serde_json::Value {
    common::probe(page, &format!("?at={at}"), BOARD_PROBE, 1920, 1080)
}

fn overlapping(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    f(a, "x") < f(b, "x") + f(b, "w") - 1.0
        && f(b, "x") < f(a, "x") + f(a, "w") - 1.0
        && f(a, "y") < f(b, "y") + f(b, "h") - 1.0
        && f(b, "y") < f(a, "y") + f(a, "h") - 1.0
}

#[test]
fn the_lobby_board_shows_each_rooms_session_before_opening_mid_morning_and_after_closing() {
    let sample = Sample::new();
    let dir = site(&sample);
    let page = dir.join("now.html");
    let moments = [
        ("before-opening", "thu", "08:00", "2026-05-21T08:00"),
        ("opening-plenary", "thu", "10:00", "2026-05-21T10:00"),
        ("mid-morning", "fri", "10:15", "2026-05-22T10:15"),
        ("after-closing", "fri", "18:30", "2026-05-22T18:30"),
    ];
    for (name, day, time, at) in moments {
        let board = board_at(&page, at);
        // What `allhands now` says for the same moment is what the board must show.
        let expected = common::json(&sample.ok(&["now", "--day", day, "--at", time, "--format", "json"]));
        let cards = board["cards"].as_array().unwrap();
        assert_eq!(cards.len(), expected.len(), "{name}: a card per room");
        let open = ("09:00".."18:00").contains(&time);
        for row in &expected {
            let card = cards
                .iter()
                .find(|c| c["room"] == row["room"])
                .unwrap_or_else(|| panic!("{name}: no card for {}", row["room"]));
            assert_eq!(card["now"], row["now"], "{name}: {}", row["room"]);
            if !row["now"].is_null() {
                assert_eq!(card["title"], row["now_title"], "{name}");
            }
            if !row["next"].is_null() {
                assert_eq!(card["next"], row["next"], "{name}: next in {}", row["room"]);
            }
            // The opening plenary (S001, 09:30-11:00 on Thursday) leaves no room free.
            let state = match (row["now"].is_null(), open) {
                (false, _) => "busy",
                (true, true) if name == "opening-plenary" => "plenary",
                (true, true) => "free",
                (true, false) => "closed",
            };
            assert_eq!(card["state"], state, "{name}: {}", row["room"]);
        }
        if name == "mid-morning" {
            let free = cards.iter().filter(|c| c["state"] == "free").count();
            let busy = cards.iter().filter(|c| c["state"] == "busy").count();
            assert!(
                free > 0 && busy > 0,
                "mid-morning has both free and busy rooms: {cards:?}"
            );
        } else if name == "opening-plenary" {
            assert!(cards.iter().any(|c| c["now"] == "S001"), "the plenary is on");
        } else {
            assert!(
                board["notice"].as_str().unwrap().contains("Opens"),
                "{name}: {}",
                board["notice"]
            );
        }
        assert_eq!(board["clock"], time, "the clock shows the rehearsed time");
        // Nothing off the screen, nothing overlapping, nothing cut off.
        let (w, h) = (board["width"].as_f64().unwrap(), board["height"].as_f64().unwrap());
        assert_eq!((w, h), (1920.0, 1080.0));
        for (i, card) in cards.iter().enumerate() {
            let b = &card["box"];
            assert!(
                b["x"].as_f64().unwrap() >= 0.0 && b["y"].as_f64().unwrap() >= 0.0,
                "{card}"
            );
            assert!(b["x"].as_f64().unwrap() + b["w"].as_f64().unwrap() <= w + 0.5, "{card}");
            assert!(b["y"].as_f64().unwrap() + b["h"].as_f64().unwrap() <= h + 0.5, "{card}");
            for other in &cards[i + 1..] {
                assert!(!overlapping(b, &other["box"]), "{name}: {card} overlaps {other}");
            }
        }
        assert_eq!(board["cut"], serde_json::json!([]), "{name}: text cut off");

        let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/now-{name}.png"));
        std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
        let out = common::chromium(&[
            "--window-size=1920,1080",
            "--force-device-scale-factor=0.5",
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}?at={at}", page.display()),
        ]);
        assert!(shot.exists(), "no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    }
    // After the last day the board says so.
    let over = board_at(&page, "2026-05-24T10:00");
    assert!(over["notice"].as_str().unwrap().contains("is over"), "{over}");
    // A rehearsal time it cannot read is said, not silently ignored.
    let typo = board_at(&page, "22-05-2026");
    assert!(typo["notice"].as_str().unwrap().contains("2026-05-22T15:00"), "{typo}");
}

#[test]
fn the_board_tells_the_time_in_the_events_zone_whatever_the_screens_zone() {
    let sample = Sample::new();
    let page = site(&sample).join("now.html");
    // A screen set to Auckland time (UTC+12 or +13) still shows Utrecht's clock.
    let board = common::probe_in_zone(Some("Pacific/Auckland"), &page, "", BOARD_PROBE, 1920, 1080);
    let zone: chrono_tz::Tz = "Europe/Amsterdam".parse().unwrap();
    let now = chrono::Utc::now().with_timezone(&zone);
    let around: Vec<String> = [-1, 0, 1]
        .iter()
        .map(|m| (now + chrono::Duration::minutes(*m)).format("%H:%M").to_string())
        .collect();
    let clock = board["clock"].as_str().unwrap();
    assert!(
        around.iter().any(|t| t == clock),
        "board shows {clock}, Utrecht is at {around:?}"
    );
}

#[test]
fn the_board_keeps_long_titles_inside_their_card() {
    let sample = Sample::new();
    // A long title (as long as a long GitHub issue title) shows whole, in smaller type.
    let long = "Cargo and rustup: one toolchain file to rule them all, or how we keep CI, editors and \
                local builds on exactly the same compiler";
    sample.ok(&[
        "adhoc", long, "--day", "fri", "--at", "10:00", "--for", "60", "--room", "vecht",
    ]);
    // An absurd one is cut after three lines with an ellipsis, never spilling out of its card.
    let absurd = "An absurdly long title that goes on and on ".repeat(8);
    sample.ok(&[
        "adhoc", &absurd, "--day", "fri", "--at", "10:00", "--for", "60", "--room", "dom",
    ]);
    let page = site(&sample).join("now.html");
    const CLAMPED: &str = "<script>document.querySelectorAll('.clamped').forEach(e => e.closest('.room').dataset.state += ' clamped');</script>";
    let html = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, html.replace("</body>", &format!("{CLAMPED}</body>"))).unwrap();
    let board = board_at(&page, "2026-05-22T10:15");
    let card = |room: &str| {
        board["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["room"] == room)
            .unwrap()
            .clone()
    };
    assert_eq!(card("vecht")["title"].as_str().unwrap(), long);
    assert_eq!(card("vecht")["state"], "busy", "whole, not clamped");
    assert_eq!(card("dom")["state"], "busy clamped");
    assert_eq!(board["cut"], serde_json::json!([]));
}

#[test]
fn titles_stay_text_on_the_board_and_the_door_signs() {
    let sample = Sample::new();
    let evil = "</script><script>alert(1)</script><b>bold</b> <!-- & -->";
    sample.ok(&[
        "adhoc", evil, "--day", "fri", "--at", "10:00", "--for", "60", "--room", "vecht",
    ]);
    let dir = site(&sample);
    let board = std::fs::read_to_string(dir.join("now.html")).unwrap();
    assert!(
        !board.contains("alert(1)</script>") && !board.contains("<b>"),
        "raw markup in now.html"
    );
    assert_eq!(
        board.matches("<script").count(),
        2,
        "the data and the board's own script only"
    );
    let seen = board_at(&dir.join("now.html"), "2026-05-22T10:15");
    let card = seen["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["room"] == "vecht")
        .unwrap();
    assert_eq!(card["title"].as_str().unwrap(), evil, "shown as typed");
    assert_eq!(seen["bold"], 0, "no element made from a title");
    let sign = std::fs::read_to_string(dir.join("rooms/vecht-fri.html")).unwrap();
    assert!(sign.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!sign.contains("<script") && !sign.contains("<b>"));
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(!index.contains("<script") && !index.contains("<b>"));
}

#[test]
fn the_site_is_self_contained_and_never_written_into_the_data_folder() {
    let sample = Sample::new();
    let dir = site(&sample);
    let mut pages = vec![dir.join("index.html"), dir.join("now.html"), dir.join("rooms.html")];
    let signs: Vec<_> = std::fs::read_dir(dir.join("rooms"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(signs.len(), 13 * 3, "a door sign per room and day");
    pages.extend(signs);
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for outside in ["src=", "http://", "https://", "<link", "@import", "@example"] {
            assert!(!html.contains(outside), "{} contains {outside}", page.display());
        }
    }
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(index.contains("href=\"now.html\"") && index.contains("href=\"rooms.html\""));
    let list = std::fs::read_to_string(dir.join("rooms.html")).unwrap();
    assert!(list.contains("href=\"rooms/main-thu.html\""));

    // Inside the data folder (directly, or by `..`): refused, nothing written.
    let inside = sample.data.join("site");
    sample.fails(&["export", "site", inside.to_str().unwrap()], "inside the data folder");
    assert!(!inside.exists());
    let sneaky = format!("{}/../data/x", sample.data.display());
    sample.fails(&["export", "site", &sneaky], "data folder");

    // A room that is gone loses its door signs on the next export.
    sample.ok(&["add-room", "spare", "--capacity", "4"]);
    site(&sample);
    assert!(dir.join("rooms/spare-thu.html").exists());
    sample.ok(&["remove-room", "spare"]);
    site(&sample);
    assert!(!dir.join("rooms/spare-thu.html").exists());
    assert!(dir.join("rooms/main-thu.html").exists());
}

/// Prints a page to PDF with Chromium and returns the number of pages.
fn printed_pages(page: &Path) -> usize {
    let pdf = page.with_extension("pdf");
    let out = common::chromium(&[
        "--no-pdf-header-footer",
        &format!("--print-to-pdf={}", pdf.display()),
        &format!("file://{}", page.display()),
    ]);
    assert!(pdf.exists(), "no PDF: {}", String::from_utf8_lossy(&out.stderr));
    assert!(
        pdf_info(&pdf, "Page size").contains("(A4)"),
        "{}",
        pdf_info(&pdf, "Page size")
    );
    pages(&pdf)
}

#[test]
fn door_signs_print_on_one_a4_page_even_for_a_full_day_and_read_on_a_phone() {
    let sample = Sample::new();
    // A crowded room: ten half-hour sessions with long titles on Saturday, before the plenary.
    sample.ok(&["add-room", "spare", "--name", "Spare Room", "--capacity", "20"]);
    for n in 0..10 {
        let at = format!("{:02}:{}", 10 + n / 2, if n % 2 == 0 { "00" } else { "30" });
        let title = format!(
            "Ad-hoc number {n}: a follow-up on everything the earlier session left open, with notes for the next"
        );
        sample.ok(&[
            "adhoc", &title, "--day", "sat", "--at", &at, "--for", "30", "--room", "spare",
        ]);
    }
    let dir = site(&sample);
    let sign = dir.join("rooms/spare-sat.html");
    let html = std::fs::read_to_string(&sign).unwrap();
    assert_eq!(html.matches("class=\"session").count(), 10);
    assert_eq!(printed_pages(&sign), 1, "the crowded sign fits one page");
    for busy in [
        "main-thu.html",
        "catharijne-thu.html",
        "wilhelmina-fri.html",
        "amstel-sat.html",
    ] {
        let page = dir.join("rooms").join(busy);
        assert_eq!(printed_pages(&page), 1, "{busy}");
    }
    // Free gaps are listed for ad-hoc use, and only those that can be booked: the room is busy
    // 10:00-15:00 with the ten sessions, and nothing may run during a plenary.
    let text = std::fs::read_to_string(&sign).unwrap();
    let free: Vec<&str> = text
        .split("<li class=\"free\"><span class=\"time\">")
        .skip(1)
        .map(|rest| rest.split_once("</span>").unwrap().0)
        .collect();
    let plenaries: Vec<(String, String)> = common::rows(&sample.read("sessions.csv"))
        .into_iter()
        .filter(|s| s["audience"] == "everyone" && s["day"] == "sat")
        .map(|s| {
            let start = common::minutes(&s["start"]);
            let end = start + s["duration"].parse::<u32>().unwrap();
            (s["start"].clone(), format!("{:02}:{:02}", end / 60, end % 60))
        })
        .collect();
    assert!(!plenaries.is_empty(), "the sample has a plenary on Saturday");
    assert!(!free.is_empty());
    for gap in &free {
        let (from, to) = gap.split_once('–').unwrap();
        assert!(to <= "10:00" || from >= "15:00", "{gap} overlaps the ten sessions");
        for (start, end) in &plenaries {
            assert!(
                to <= start.as_str() || from >= end.as_str(),
                "{gap} overlaps the plenary {start}-{end}"
            );
        }
    }
    assert_eq!(free, ["09:00–10:00", "15:00–15:45", "16:45–17:00"]);

    // On a phone nothing is wider than the screen.
    const WIDTH: &str = r#"<script>
const pre = document.createElement('pre'); pre.id = 'probe';
pre.textContent = JSON.stringify({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth });
document.body.appendChild(pre);
</script>"#;
    for page in [sign, dir.join("rooms/main-thu.html"), dir.join("rooms.html")] {
        let v = common::probe(&page, "", WIDTH, 390, 844);
        assert!(v["scroll"].as_f64() <= v["client"].as_f64(), "{}: {v}", page.display());
    }
}

#[test]
fn the_timetable_prints_a_day_per_a4_page_with_every_room() {
    let sample = Sample::new();
    let dir = site(&sample);
    let index = dir.join("index.html");
    assert_eq!(printed_pages(&index), 3, "a day per page");
    let pdf = index.with_extension("pdf");
    assert!(pdf_info(&pdf, "Page size").starts_with("841.92 x 594.96"), "landscape");
    // Every room of the day is on its page, not cut off at the right edge.
    let text = squeeze(&poppler(
        "pdftotext",
        &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    ));
    let rooms: Vec<String> = common::json(&sample.ok(&["schedule", "--day", "thu", "--format", "json"]))
        .iter()
        .map(|r| squeeze(r["room_name"].as_str().unwrap()))
        .collect();
    assert!(rooms.len() > 8);
    for room in rooms {
        assert!(text.contains(&room), "{room} missing from the printed Thursday");
    }
}

#[test]
fn the_site_carries_the_published_versions_what_changed_and_the_feeds() {
    let sample = Sample::new();
    sample.ok(&["add-room", "spare", "--name", "Spare Room", "--capacity", "20"]);
    sample.ok(&[
        "adhoc",
        "Hallway chat",
        "--day",
        "fri",
        "--at",
        "11:00",
        "--for",
        "30",
        "--room",
        "spare",
    ]);
    let id = common::json(&sample.ok(&["schedule", "--room", "spare", "--format", "json"]))[0]["session"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = site(&sample);
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
    assert!(read("changes.html").contains("Nothing is published yet"));
    assert!(!dir.join("feeds").exists(), "no feeds before a version is published");
    assert!(read("index.html").contains("href=\"changes.html\"") && !read("index.html").contains("all.ics"));
    assert!(read("rooms/spare-fri.html").contains("draft, not published"));

    sample.ok(&["publish", "--note", "First <b>cut</b>"]);
    sample.ok(&["edit-session", &id, "--at", "12:00"]);
    sample.ok(&["edit-session", "S003", "--title", "Polonius: <i>next</i> steps"]);
    sample.ok(&["publish", "--note", "Moved the hallway chat"]);
    sample.ok(&["unbook", &id]);
    site(&sample);
    let changes = read("changes.html");
    let at = |text: &str| {
        changes
            .find(text)
            .unwrap_or_else(|| panic!("{text} not in changes.html:\n{changes}"))
    };
    assert!(at("Not published yet") < at("Version 2") && at("Version 2") < at("Version 1"));
    assert!(at("Cancelled") < at("Version 2"), "the unbooking is not published yet");
    assert!(changes.contains("First &lt;b&gt;cut&lt;/b&gt;") && changes.contains("Moved the hallway chat"));
    assert!(changes.contains("Fri 22 May 11:00–11:30</span> → <span class=\"now\">Fri 22 May 12:00–12:30"));
    assert!(changes.contains("Polonius roadmap</span> → <span class=\"now\">Polonius: &lt;i&gt;next&lt;/i&gt; steps"));
    assert!(!changes.contains("<i>") && !changes.contains("<b>"));
    assert!(changes.contains("First published, with"));
    // The feeds, as `export feeds` writes them, and a link to them.
    let feed = read("feeds/all.ics");
    assert!(feed.contains("BEGIN:VCALENDAR") && feed.contains("SEQUENCE:"));
    assert!(dir.join("feeds/rooms/spare.ics").exists());
    assert!(read("index.html").contains("href=\"feeds/all.ics\""));
    // Door signs say which version they show, and that a change is not published yet.
    let sign = read("rooms/spare-fri.html");
    assert!(sign.contains("draft: version 2 (published"), "{sign}");
    assert!(sign.contains("1 change not published yet"));

    // Published again, the printout names the version and nothing else.
    sample.ok(&["publish"]);
    let pdf = sample.data.parent().unwrap().join("v3.pdf");
    sample.ok(&[
        "schedule",
        "--format",
        "pdf",
        "--day",
        "fri",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let text = page_text(&pdf, 1);
    assert!(text.contains("version3,published"), "{text}");
    assert!(!text.contains("draft"));
}
