//! The printed schedule as PDF: a grid per day (rooms as columns, time down the side, each
//! session a box spanning its duration) and a personal list. Text is real text in embedded,
//! subsetted fonts (Noto Sans from the `notosans` crate for Latin, Greek and Cyrillic; GNU Unifont
//! from `libbaremetal-unifont` for every other script), so it can be searched and copied; krilla
//! writes the PDF. Unifont has no shaping tables: Arabic is joined here (see `super::arabic`). Nothing here reads a file: the fonts are bytes compiled in.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph, TextDirection};

use unicode_normalization::char::is_combining_mark;

use super::agenda::{Agenda, Item};
use super::arabic;
use crate::model::{Day, Kind, Time};

/// Paper size; the grid is printed landscape, the personal list portrait.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    A4,
    A3,
}

impl Paper {
    /// Width and height in points, landscape.
    fn landscape(self) -> (f32, f32) {
        match self {
            Paper::A4 => (841.89, 595.28),
            Paper::A3 => (1190.55, 841.89),
        }
    }
}

/// What every page says at its foot besides the page number: which version this is.
pub struct Footer<'a> {
    /// E.g. "version 3, published 20 May 2026 14:00" or "draft, not published · …".
    pub version: &'a str,
}

const MARGIN: f32 = 28.0;
const TIME_COLUMN: f32 = 34.0;
const ROOM_HEADER: f32 = 26.0;
const LINE: f32 = 1.18;
const INK: (u8, u8, u8) = (29, 29, 31);
const MUTED: (u8, u8, u8) = (90, 90, 90);
const PLANNED: ((u8, u8, u8), (u8, u8, u8)) = ((253, 231, 216), (206, 66, 43));
const ADHOC: ((u8, u8, u8), (u8, u8, u8)) = ((227, 241, 230), (47, 125, 69));

/// One embedded face: krilla's handle for drawing, ttf-parser's for measuring and for the
/// coverage check (its cmap), and rustybuzz's for shaping Arabic (see `Face::joined`).
struct Face {
    font: Font,
    metrics: ttf_parser::Face<'static>,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Face {
        Face {
            font: Font::new(bytes.into(), 0).expect("the bundled font loads"),
            metrics: ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses"),
            shaper: rustybuzz::Face::from_slice(bytes, 0).expect("the bundled font parses"),
        }
    }

    fn covers(&self, c: char) -> bool {
        self.metrics.glyph_index(c).is_some()
    }

    /// Width of `text` at `size` points in this face alone (advances only; kerning only ever
    /// narrows Noto's text).
    fn width(&self, text: &str, size: f32) -> f32 {
        let joined: Vec<char>;
        let chars: &mut dyn Iterator<Item = char> = if arabic::needs_shaping(text) {
            joined = arabic::shape(text).into_iter().map(|s| s.c).collect();
            &mut joined.iter().copied()
        } else {
            &mut text.chars()
        };
        let units: u32 = chars
            .map(|c| {
                let glyph = self.metrics.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                u32::from(self.metrics.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 * size / f32::from(self.metrics.units_per_em())
    }

    /// The glyphs for a run with Arabic letters: each letter in its joining form (a presentation
    /// form, see `arabic`), shaped right to left, each glyph carrying the range of the text it
    /// stands for; and that text. krilla writes the text into the PDF's ToUnicode map (or as
    /// ActualText where one glyph stands for different text in different places), so pdftotext,
    /// search and copy give back the letters as they were typed, not the presentation forms
    /// (krilla's `draw_text` given the substituted string would map the glyphs to those; they
    /// would not match a search).
    ///
    /// The text is the run itself but for each glyph that stands for several characters (a
    /// lam-alef, a letter with its marks), whose characters are written in visual order, right
    /// to left: readers (poppler, pdf.js) spread such a glyph's characters left to right over
    /// its width and then put a right-to-left line's characters in reading order one by one,
    /// which would turn the ligature's "لا" into "ال" (سلام would come back as سالم) and put a
    /// mark before its letter. In visual order, as every other glyph of the run is, each comes
    /// back as typed.
    fn joined(&self, run: &str) -> (Vec<KrillaGlyph>, String) {
        let shaped = arabic::shape(run);
        let mut drawn = String::with_capacity(run.len());
        let mut starts = Vec::with_capacity(shaped.len()); // where each shaped character starts in `drawn`
        for s in &shaped {
            starts.push(drawn.len());
            drawn.push(s.c);
        }
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(&drawn);
        buffer.guess_segment_properties();
        let right_to_left = buffer.direction() == rustybuzz::Direction::RightToLeft;
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        // A glyph stands for the text of the characters of its cluster: from the cluster's
        // start to the next cluster's (in logical order).
        let mut clusters: Vec<u32> = output.glyph_infos().iter().map(|g| g.cluster).collect();
        clusters.sort_unstable();
        clusters.dedup();
        let em = f32::from(self.metrics.units_per_em());
        let glyphs = output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(glyph, at)| {
                let next = clusters.partition_point(|&c| c <= glyph.cluster);
                let end = clusters.get(next).map_or(drawn.len(), |&c| c as usize);
                let first = starts.partition_point(|&s| s < glyph.cluster as usize);
                let last = starts.partition_point(|&s| s < end);
                let covered = &shaped[first..last.max(first + 1)];
                let from = covered.iter().map(|s| s.text.start).min().unwrap_or(0);
                let to = covered.iter().map(|s| s.text.end).max().unwrap_or(0);
                KrillaGlyph::new(
                    GlyphId::new(glyph.glyph_id),
                    at.x_advance as f32 / em,
                    at.x_offset as f32 / em,
                    at.y_offset as f32 / em,
                    at.y_advance as f32 / em,
                    from..to,
                    None,
                )
            })
            .collect::<Vec<KrillaGlyph>>();
        let mut text = run.to_string();
        if right_to_left {
            let mut clusters: Vec<_> = glyphs.iter().map(|g| g.text_range.clone()).collect();
            clusters.dedup();
            for cluster in clusters {
                let visual: String = run[cluster.clone()].chars().rev().collect();
                text.replace_range(cluster, &visual);
            }
        }
        (glyphs, text)
    }
}

/// A face and the faces that stand in for it, in order, for characters it has no glyph for:
/// every string is drawn and measured as runs, each in the first face that covers it.
struct Stack<'f> {
    faces: [&'f Face; 2],
}

impl Stack<'_> {
    /// `text` cut into runs of one face each. A letter goes to the first face that has it, a
    /// combining mark stays with its letter, and the spaces, digits and punctuation between two
    /// letters of one face stay in that run (so "東京 駅" or "שיחה על המהדר" is one run, shaped
    /// as a whole, right to left where it is written so); other such characters go to the first
    /// face, so "東京 · 9 seats" prints the " · 9 " in Noto Sans.
    fn runs<'t>(&self, text: &'t str) -> Vec<(&Face, &'t str)> {
        let first_covering = |c: char| self.faces.iter().position(|f| f.covers(c)).unwrap_or(0);
        let mut runs: Vec<(usize, usize)> = Vec::new(); // (face, start), each to the next's start
        let push = |runs: &mut Vec<(usize, usize)>, face: usize, start: usize| {
            if runs.last().is_none_or(|&(last, _)| last != face) {
                runs.push((face, start));
            }
        };
        let mut current: Option<usize> = None;
        let mut pending: Option<usize> = None; // where the neutral characters after `current` begin
        for (i, c) in text.char_indices() {
            if let Some(face) = current
                && pending.is_none()
                && is_combining_mark(c)
                && self.faces[face].covers(c)
            {
                continue;
            }
            if !c.is_alphabetic() {
                pending.get_or_insert(i);
                continue;
            }
            let face = first_covering(c);
            if current == Some(face) {
                pending = None;
                continue;
            }
            if let Some(from) = pending.take() {
                let neutral = &text[from..i];
                let home = if neutral.chars().all(|c| self.faces[0].covers(c)) {
                    0
                } else {
                    current.unwrap_or(face)
                };
                push(&mut runs, home, from);
            }
            push(&mut runs, face, i);
            current = Some(face);
        }
        if let Some(from) = pending {
            let home = if text[from..].chars().all(|c| self.faces[0].covers(c)) {
                0
            } else {
                current.unwrap_or(0)
            };
            push(&mut runs, home, from);
        }
        let ends = runs.iter().skip(1).map(|&(_, start)| start).chain([text.len()]);
        runs.iter()
            .zip(ends)
            .map(|(&(face, start), end)| (self.faces[face], &text[start..end]))
            .collect()
    }

    /// Width of `text` at `size` points, each run measured in the face it is drawn in.
    fn width(&self, text: &str, size: f32) -> f32 {
        self.runs(text).iter().map(|(face, run)| face.width(run, size)).sum()
    }

    /// Breaks `text` into lines no wider than `width`: at spaces, and inside a word only when
    /// the word alone is wider than the line.
    fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = word.to_string();
            while self.width(&line, size) > width && line.chars().count() > 1 {
                let mut cut = line.len();
                while cut > 0 {
                    cut = line[..cut].char_indices().last().map_or(0, |(i, _)| i);
                    if cut > 0 && self.width(&line[..cut], size) <= width {
                        break;
                    }
                }
                let cut = if cut == 0 {
                    line.chars().next().map_or(line.len(), char::len_utf8)
                } else {
                    cut
                };
                let rest = line.split_off(cut);
                lines.push(std::mem::replace(&mut line, rest));
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// `text` cut with an ellipsis to fit `width`.
    fn clip(&self, text: &str, size: f32, width: f32) -> String {
        if self.width(text, size) <= width {
            return text.to_string();
        }
        let mut out: String = text.to_string();
        while !out.is_empty() && self.width(&format!("{out}…"), size) > width {
            out.pop();
        }
        format!("{}…", out.trim_end())
    }
}

/// Noto Sans (Latin, Greek, Cyrillic) in two weights, and GNU Unifont behind both for every other
/// script: CJK, Arabic, Hebrew, Devanagari and the other Indic scripts, Thai, Armenian,
/// Georgian, Ethiopic... (every code point of the Basic Multilingual Plane). No crate ships Noto's
/// CJK or per-script faces small enough to build with (a CJK face alone is 16 MB and over
/// crates.io's limit); Unifont is 5.3 MB, a pixel design without a bold, and is used only for
/// what Noto Sans lacks. Both are embedded as subsets: only the glyphs a PDF uses.
struct Fonts {
    regular: Face,
    bold: Face,
    fallback: Face,
}

impl Fonts {
    fn new() -> Fonts {
        Fonts {
            regular: Face::new(notosans::REGULAR_TTF),
            bold: Face::new(notosans::BOLD_TTF),
            fallback: Face::new(baremetal_unifont::OTF_BYTES),
        }
    }

    fn regular(&self) -> Stack<'_> {
        Stack {
            faces: [&self.regular, &self.fallback],
        }
    }

    fn bold(&self) -> Stack<'_> {
        Stack {
            faces: [&self.bold, &self.fallback],
        }
    }
}

/// Text from data files, made safe to draw: control characters become spaces.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn color((r, g, b): (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// A surface with the small drawing vocabulary the pages need.
struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
    fonts: &'s Fonts,
}

impl Pen<'_, '_> {
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: (u8, u8, u8)) {
        let Some(rect) = Rect::from_xywh(x, y, w.max(0.1), h.max(0.1)) else {
            return;
        };
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        if let Some(path) = path.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(color(fill)));
            self.surface.draw_path(&path);
        }
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, ink: (u8, u8, u8)) {
        let mut path = PathBuilder::new();
        path.move_to(from.0, from.1);
        path.line_to(to.0, to.1);
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(ink.0, ink.1, ink.2).into(),
                width,
                ..Default::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// Draws one line of text with its baseline at `y`: run by run, each in the face that has
    /// its glyphs (see `Stack::runs`), placed one after the other by the widths `fit` measured.
    fn text(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, ink: (u8, u8, u8)) {
        if text.trim().is_empty() {
            return;
        }
        let fonts = self.fonts;
        let stack = if bold { fonts.bold() } else { fonts.regular() };
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(color(ink)));
        let mut x = x;
        for (face, run) in stack.runs(text) {
            let at = Point::from_xy(x, y);
            if arabic::needs_shaping(run) {
                let (glyphs, text) = face.joined(run);
                self.surface
                    .draw_glyphs(at, &glyphs, face.font.clone(), &text, size, false);
            } else {
                self.surface
                    .draw_text(at, face.font.clone(), size, run, false, TextDirection::Auto);
            }
            x += face.width(run, size);
        }
    }

    fn text_right(&mut self, right: f32, y: f32, text: &str, size: f32, ink: (u8, u8, u8)) {
        let x = right - self.fonts.regular().width(text, size);
        self.text(x, y, text, size, false, ink);
    }
}

/// A title and lines under it, fitted into a box: the largest size at which everything fits.
struct Fitted {
    size: f32,
    title: Vec<String>,
    meta: Vec<String>,
}

const META_SCALE: f32 = 0.86;

fn fit(fonts: &Fonts, title: &str, meta: &str, width: f32, height: f32, largest: f32, smallest: f32) -> Fitted {
    // First the largest size at which no word has to be split, then any size that fits.
    let whole_words =
        |face: &Stack<'_>, text: &str, size: f32| text.split_whitespace().all(|w| face.width(w, size) <= width);
    for split_words in [false, true] {
        let mut size = largest;
        loop {
            let title_lines = fonts.bold().wrap(title, size, width);
            let meta_lines = fonts.regular().wrap(meta, size * META_SCALE, width);
            let needed = (title_lines.len() as f32 + meta_lines.len() as f32 * META_SCALE) * size * LINE;
            let words_kept =
                whole_words(&fonts.bold(), title, size) && whole_words(&fonts.regular(), meta, size * META_SCALE);
            if needed <= height && (split_words || words_kept) {
                return Fitted {
                    size,
                    title: title_lines,
                    meta: meta_lines,
                };
            }
            if size <= smallest {
                break;
            }
            size = (size - 0.25).max(smallest);
        }
    }
    // Even the smallest size does not hold it all: keep what fits, the title first, and mark
    // the cut with an ellipsis so nothing spills out of the box.
    let size = smallest;
    let rows = ((height / (size * LINE)).floor() as usize).max(1);
    let mut title_lines = fonts.bold().wrap(title, size, width);
    let mut meta_lines = Vec::new();
    if title_lines.len() > rows {
        title_lines.truncate(rows);
        let last = title_lines.pop().unwrap_or_default();
        title_lines.push(fonts.bold().clip(&format!("{last}…"), size, width));
    } else {
        let room_left = ((height - title_lines.len() as f32 * size * LINE) / (size * META_SCALE * LINE)).floor();
        meta_lines = fonts.regular().wrap(meta, size * META_SCALE, width);
        meta_lines.truncate(room_left.max(0.0) as usize);
    }
    Fitted {
        size,
        title: title_lines,
        meta: meta_lines,
    }
}

/// Draws a fitted block with its first line's top at `y`.
fn draw_fitted(pen: &mut Pen<'_, '_>, x: f32, y: f32, fitted: &Fitted) {
    let mut baseline = y + fitted.size * 0.95;
    for line in &fitted.title {
        pen.text(x, baseline, line, fitted.size, true, INK);
        baseline += fitted.size * LINE;
    }
    let meta_size = fitted.size * META_SCALE;
    for line in &fitted.meta {
        pen.text(
            x,
            baseline - fitted.size * (1.0 - META_SCALE) * 0.5,
            line,
            meta_size,
            false,
            MUTED,
        );
        baseline += meta_size * LINE;
    }
}

/// The line under a session's title: ad hoc or not, team, head count, and (personal) the role.
fn session_meta(item: &Item<'_>, with_room: bool) -> String {
    let mut parts = Vec::new();
    if item.session.kind == Kind::Adhoc {
        parts.push("AD HOC".to_string());
    }
    if with_room {
        parts.push(printable(&item.room.name));
    }
    if !item.session.team.is_empty() {
        parts.push(printable(&item.session.team));
    }
    parts.push(match item.people {
        1 => "1 person".to_string(),
        n => format!("{n} people"),
    });
    if let Some(role) = item.role {
        parts.push(format!("you: {role}"));
    }
    parts.join(" · ")
}

fn footer(pen: &mut Pen<'_, '_>, agenda: &Agenda<'_>, page: (f32, f32), footer: &Footer<'_>, number: (usize, usize)) {
    let (width, height) = page;
    let y = height - MARGIN + 12.0;
    pen.line((MARGIN, y - 9.0), (width - MARGIN, y - 9.0), 0.4, (200, 200, 200));
    let info = &agenda.event.info;
    let mut left = printable(&info.name);
    if !info.location.is_empty() {
        left += &format!(" · {}", printable(&info.location));
    }
    left += &format!(" · times in {}", printable(info.timezone.name()));
    let right = format!("{} · page {} of {}", printable(footer.version), number.0, number.1);
    let right_width = pen.fonts.regular().width(&right, 7.0);
    let left = pen
        .fonts
        .regular()
        .clip(&left, 7.0, (width - 2.0 * MARGIN - right_width - 12.0).max(40.0));
    pen.text(MARGIN, y, &left, 7.0, false, MUTED);
    pen.text_right(width - MARGIN, y, &right, 7.0, MUTED);
}

fn new_document(agenda: &Agenda<'_>) -> Document {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(printable(&agenda.title))
            .creator(concat!("allhands ", env!("CARGO_PKG_VERSION")).to_string()),
    );
    document
}

fn finish(document: Document) -> Result<Vec<u8>, String> {
    document.finish().map_err(|e| format!("could not write the PDF: {e:?}"))
}

/// The grid: one landscape page per day in `days`, rooms as columns (those used that day,
/// largest first), time down the side.
pub fn grid(agenda: &Agenda<'_>, days: &[&Day], paper: Paper, foot: &Footer<'_>) -> Result<Vec<u8>, String> {
    let fonts = Fonts::new();
    let (width, height) = paper.landscape();
    let mut document = new_document(agenda);
    for (n, day) in days.iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::from_wh(width, height).expect("paper size"));
        let mut surface = page.surface();
        let mut pen = Pen {
            surface: &mut surface,
            fonts: &fonts,
        };
        grid_page(&mut pen, agenda, day, (width, height));
        footer(&mut pen, agenda, (width, height), foot, (n + 1, days.len()));
        surface.finish();
        page.finish();
    }
    finish(document)
}

fn grid_page(pen: &mut Pen<'_, '_>, agenda: &Agenda<'_>, day: &Day, (width, height): (f32, f32)) {
    let heading = format!("{} · {}", printable(&agenda.title), day.heading());
    let heading = pen.fonts.bold().clip(&heading, 15.0, width - 2.0 * MARGIN);
    pen.text(MARGIN, MARGIN + 12.0, &heading, 15.0, true, INK);
    pen.text(
        MARGIN,
        MARGIN + 24.0,
        &format!("open {}–{}", day.opens, day.closes),
        8.0,
        false,
        MUTED,
    );
    let items = agenda.items_on(day);
    let rooms = agenda.rooms_on(day);
    let top = MARGIN + 34.0;
    let bottom = height - MARGIN - 6.0;
    if rooms.is_empty() {
        pen.text(
            MARGIN,
            top + 20.0,
            "No sessions scheduled on this day.",
            11.0,
            false,
            MUTED,
        );
        return;
    }
    let (from, to) = agenda.grid_hours(day);
    let grid_top = top + ROOM_HEADER;
    let per_minute = (bottom - grid_top) / (to - from) as f32;
    let y_of = |t: Time| grid_top + (t.minutes().saturating_sub(from)) as f32 * per_minute;
    let left = MARGIN + TIME_COLUMN;
    let column = (width - MARGIN - left) / rooms.len() as f32;

    // Closed hours shaded, hour and half-hour rules, hour labels.
    pen.rect(
        left,
        grid_top,
        width - MARGIN - left,
        y_of(day.opens) - grid_top,
        (236, 236, 236),
    );
    pen.rect(
        left,
        y_of(day.closes),
        width - MARGIN - left,
        bottom - y_of(day.closes),
        (236, 236, 236),
    );
    for minute in (from..=to).step_by(30) {
        let y = grid_top + (minute - from) as f32 * per_minute;
        let hour = minute % 60 == 0;
        pen.line(
            (if hour { MARGIN } else { left }, y),
            (width - MARGIN, y),
            if hour { 0.5 } else { 0.25 },
            if hour { (170, 170, 170) } else { (215, 215, 215) },
        );
        if hour && minute < to {
            pen.text(MARGIN, y + 8.0, &format!("{:02}:00", minute / 60), 7.5, false, MUTED);
        }
    }
    for (i, room) in rooms.iter().enumerate() {
        let x = left + i as f32 * column;
        pen.line((x, top), (x, bottom), 0.4, (200, 200, 200));
        let name = printable(&room.name);
        let fitted = fit(
            pen.fonts,
            &name,
            &format!("{} seats", room.capacity),
            column - 6.0,
            ROOM_HEADER - 3.0,
            8.5,
            4.5,
        );
        draw_fitted(pen, x + 2.0, top + 1.0, &fitted);
    }
    pen.line((width - MARGIN, top), (width - MARGIN, bottom), 0.4, (200, 200, 200));

    for item in items {
        let i = rooms.iter().position(|r| r.id == item.room.id).unwrap_or(0);
        let (x, y) = (left + i as f32 * column + 1.5, y_of(item.span.start) + 0.75);
        let (w, h) = (column - 3.0, y_of(item.span.end) - y_of(item.span.start) - 1.5);
        let (fill, bar) = if item.session.kind == Kind::Adhoc {
            ADHOC
        } else {
            PLANNED
        };
        pen.rect(x, y, w, h, fill);
        pen.rect(x, y, 2.0, h, bar);
        let fitted = fit(
            pen.fonts,
            &printable(&item.session.title),
            &session_meta(item, false),
            w - 6.0,
            h - 3.0,
            9.0,
            3.5,
        );
        draw_fitted(pen, x + 4.0, y + 1.5, &fitted);
    }
}

/// The smallest type the personal list shrinks to; a list that does not fit one page at this
/// size goes on over further pages.
const PERSONAL_SMALLEST: f32 = 8.0;

/// What the personal list is made of, in order: a day's heading, or a session's row.
enum Block<'i, 'a> {
    Day(&'a Day),
    Row(&'i Item<'a>, Fitted),
}

/// A person's agenda on portrait pages: a heading per day, a row per session (time, title,
/// room, team, head count, their role). The type shrinks (down to 8 points) until the whole list
/// fits one page; a longer list goes on over as many pages as it needs, each with the title, the
/// person's name and the footer, and a day's heading never left alone at a page's foot.
pub fn personal(agenda: &Agenda<'_>, name: &str, paper: Paper, foot: &Footer<'_>) -> Result<Vec<u8>, String> {
    let fonts = Fonts::new();
    let (height, width) = paper.landscape();
    let top = MARGIN + 42.0;
    let bottom = height - MARGIN - 6.0;
    let time_width = 62.0;
    let text_width = width - 2.0 * MARGIN - time_width;
    let days = agenda.days();
    let day_height = |size: f32| size * 1.6 * LINE + 4.0;
    let row_height = |size: f32, fitted: &Fitted| {
        (fitted.title.len() as f32 + fitted.meta.len() as f32 * META_SCALE) * size * LINE + 5.0
    };
    // Every block at `size`, and the height of them all.
    let layout = |size: f32| {
        let mut blocks = Vec::new();
        let mut needed = 0.0;
        for day in &days {
            needed += day_height(size);
            blocks.push(Block::Day(day));
            for item in agenda.items.iter().filter(|i| i.day.id == day.id) {
                let fitted = fit(
                    &fonts,
                    &printable(&item.session.title),
                    &session_meta(item, true),
                    text_width,
                    f32::MAX,
                    size,
                    size,
                );
                needed += row_height(size, &fitted);
                blocks.push(Block::Row(item, fitted));
            }
        }
        (needed, blocks)
    };
    let mut size = 11.0;
    let (mut needed, mut blocks) = layout(size);
    while needed > bottom - top && size > PERSONAL_SMALLEST {
        size -= 0.5;
        (needed, blocks) = layout(size);
    }
    // Pages: blocks in order until the next would cross the foot; a day's heading moves to the
    // next page with its first row.
    let mut pages: Vec<Vec<Block>> = vec![Vec::new()];
    let mut y = top;
    let mut blocks = blocks.into_iter().peekable();
    while let Some(block) = blocks.next() {
        let mut height = match &block {
            Block::Day(_) => day_height(size),
            Block::Row(_, fitted) => row_height(size, fitted),
        };
        if let (Block::Day(_), Some(Block::Row(_, fitted))) = (&block, blocks.peek()) {
            height += row_height(size, fitted);
        }
        let page = pages.last_mut().expect("a page");
        if y + height > bottom && !page.is_empty() {
            pages.push(Vec::new());
            y = top;
        }
        if let Block::Day(_) = block {
            y += day_height(size);
        } else if let Block::Row(_, fitted) = &block {
            y += row_height(size, fitted);
        }
        pages.last_mut().expect("a page").push(block);
    }

    let mut document = new_document(agenda);
    let count = pages.len();
    for (n, blocks) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(PageSettings::from_wh(width, height).expect("paper size"));
        let mut surface = page.surface();
        let mut pen = Pen {
            surface: &mut surface,
            fonts: &fonts,
        };
        let title = fonts.bold().clip(&printable(&agenda.title), 16.0, width - 2.0 * MARGIN);
        pen.text(MARGIN, MARGIN + 14.0, &title, 16.0, true, INK);
        let name = fonts.regular().clip(&printable(name), 11.0, width - 2.0 * MARGIN);
        pen.text(MARGIN, MARGIN + 29.0, &name, 11.0, false, MUTED);
        let mut y = top;
        if days.is_empty() {
            pen.text(MARGIN, y + 14.0, "No sessions on this agenda.", 11.0, false, MUTED);
        }
        for block in blocks {
            match block {
                Block::Day(day) => {
                    y += size * 1.6 * LINE;
                    pen.text(MARGIN, y - 2.0, &day.short_heading(), size * 1.4, true, INK);
                    pen.line((MARGIN, y + 1.0), (width - MARGIN, y + 1.0), 0.4, (200, 200, 200));
                    y += 4.0;
                }
                Block::Row(item, fitted) => {
                    pen.text(MARGIN, y + size * 0.95, &item.span.to_string(), size, false, INK);
                    if item.session.kind == Kind::Adhoc {
                        pen.rect(MARGIN + time_width - 6.0, y, 2.0, size * LINE, ADHOC.1);
                    }
                    draw_fitted(&mut pen, MARGIN + time_width, y, &fitted);
                    y += row_height(size, &fitted);
                }
            }
        }
        footer(&mut pen, agenda, (width, height), foot, (n + 1, count));
        surface.finish();
        page.finish();
    }
    finish(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_of_any_script_is_drawn_in_a_face_that_has_it() {
        let fonts = Fonts::new();
        let texts = [
            "Ærø Łódź café",
            "Ελληνικά συνεδρία",
            "Сессия по компилятору",
            "编译器工作组会议",
            "コンパイラの話",
            "컴파일러 회의",
            "مؤتمر المترجم",
            "שיחה על המהדר",
            "संकलक पर चर्चा",
            "การประชุมคอมไพเลอร์",
            "ქართული Հայերեն አማርኛ",
        ];
        for text in texts {
            for stack in [fonts.regular(), fonts.bold()] {
                let runs = stack.runs(text);
                assert_eq!(runs.iter().map(|(_, run)| *run).collect::<String>(), text);
                for (face, run) in runs {
                    for c in run.chars() {
                        assert!(face.covers(c), "no glyph for {c:?} in the face chosen for {run:?}");
                    }
                }
            }
        }
        // Latin, Greek and Cyrillic stay in Noto Sans; a space between two CJK words does not
        // break their run.
        let regular = fonts.regular();
        assert_eq!(regular.runs("Ελληνικά Сессия café").len(), 1);
        let runs = regular.runs("Room 会議室 東京 · 9 seats");
        assert_eq!(runs[1].1, "会議室 東京");
        let faces: Vec<bool> = runs.iter().map(|(f, _)| std::ptr::eq(*f, &fonts.regular)).collect();
        assert_eq!(
            faces,
            [true, false, true],
            "{:?}",
            runs.iter().map(|r| r.1).collect::<Vec<_>>()
        );
        // A right-to-left run ends at its last letter: what follows keeps its place after it.
        let runs = regular.runs("שיחה על המהדר · 3 people");
        assert_eq!(runs[0].1, "שיחה על המהדר");
        assert!(runs[1..].iter().all(|(f, _)| std::ptr::eq(*f, &fonts.regular)));
    }

    #[test]
    fn arabic_is_drawn_in_joining_forms_that_stand_for_the_original_letters() {
        let fonts = Fonts::new();
        for form in arabic::all_forms() {
            assert!(fonts.fallback.covers(form), "Unifont has no glyph for {form:?}");
        }
        // "Muhammad Ali" and "Pezhman": each glyph is a presentation form's, drawn right to left,
        // and the glyphs' texts together are the original, each letter once.
        for text in ["محمد علي", "پژمان", "سلام", "مُحَمَّد"] {
            let (glyphs, _) = fonts.fallback.joined(text);
            // (Letters only: the shaper puts a letter's marks in canonical order.)
            let joined: Vec<u16> = arabic::shape(text)
                .iter()
                .filter(|s| !is_combining_mark(s.c))
                .map(|s| fonts.fallback.metrics.glyph_index(s.c).unwrap().0)
                .collect();
            let marks: Vec<u16> = "\u{064E}\u{064F}\u{0651}"
                .chars()
                .map(|c| fonts.fallback.metrics.glyph_index(c).unwrap().0)
                .collect();
            let mut drawn: Vec<u16> = glyphs
                .iter()
                .map(|g| g.glyph_id.to_u32() as u16)
                .filter(|g| !marks.contains(g))
                .collect();
            drawn.reverse();
            assert_eq!(drawn, joined, "{text}");
            let mut ranges: Vec<_> = glyphs.iter().map(|g| g.text_range.clone()).collect();
            ranges.sort_by_key(|r| r.start);
            ranges.dedup();
            let back: String = ranges.iter().map(|r| &text[r.clone()]).collect();
            assert_eq!(back, text);
        }
        // The lam-alef ligature is one glyph standing for both letters, written in visual order.
        let (glyphs, text) = fonts.fallback.joined("سلام");
        assert_eq!(glyphs.len(), 3);
        assert_eq!(text, "سالم");
        assert_eq!(&text[glyphs[1].text_range.clone()], "ال");
        // Measured as drawn: the ligature, not the two letters.
        let ligature = fonts.fallback.metrics.glyph_index('\u{FEFB}').unwrap();
        let advance = f32::from(fonts.fallback.metrics.glyph_hor_advance(ligature).unwrap());
        let em = f32::from(fonts.fallback.metrics.units_per_em());
        assert_eq!(fonts.fallback.width("لا", 10.0), advance * 10.0 / em);
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_character() {
        let fonts = Fonts::new();
        let text = "Async closures stabilization and a_very_long_identifier_without_spaces_at_all";
        let lines = fonts.bold().wrap(text, 8.0, 60.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(fonts.bold().width(line, 8.0) <= 60.0, "{line}");
        }
        let joined: String = lines.concat().split_whitespace().collect();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined, original);
    }

    #[test]
    fn a_block_shrinks_to_fit_and_never_grows_past_its_box() {
        let fonts = Fonts::new();
        let roomy = fit(&fonts, "Polonius roadmap", "types · 12 people", 100.0, 60.0, 9.0, 3.5);
        assert_eq!(roomy.size, 9.0);
        let tight = fit(&fonts, &"word ".repeat(30), "meta", 40.0, 20.0, 9.0, 3.5);
        let used = (tight.title.len() as f32 + tight.meta.len() as f32 * META_SCALE) * tight.size * LINE;
        assert!(used <= 20.0 + 0.01, "{used}");
        assert!(tight.title.last().unwrap().ends_with('…'));
    }
}
