//! The static site's own pages (the timetable itself is [`super::html`]): a door sign per room
//! and day, the list of them, and `now.html`, a lobby board that works out what is on from data
//! embedded in the page. Every page is one self-contained file: no external assets, no server.

use std::fmt::Write;

use serde_json::json;

use super::agenda::{Agenda, Item};
use super::frab::escape;
use crate::model::publish::{self, Change, ChangeKind, History, Place, Schedule};
use crate::model::{Day, Event, Kind, Room, Span, Time};

/// Gaps shorter than this are changeovers, not room for an ad-hoc session.
const SHORTEST_GAP: u32 = 15;

fn head(out: &mut String, title: &str, style: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{style}</style>\n</head>\n",
        escape(title)
    );
}

/// What a door sign lists: sessions and the free gaps between them, in time order.
enum Row<'a> {
    Session(&'a Item<'a>),
    Free(Span),
}

/// The room's sessions, and the gaps in its opening hours when nothing keeps it busy: neither
/// its own sessions nor a plenary anywhere (nothing may run during one), so every gap shown can
/// really be booked.
fn rows<'a>(items: &[&'a Item<'a>], busy: &[Span], day: &Day) -> Vec<Row<'a>> {
    let mut free = Vec::new();
    let mut at = day.opens;
    for span in busy {
        if span.start.minutes() >= at.minutes() + SHORTEST_GAP {
            free.push(Span::new(at, span.start));
        }
        at = at.max(span.end);
    }
    if day.closes.minutes() >= at.minutes() + SHORTEST_GAP {
        free.push(Span::new(at, day.closes));
    }
    let mut rows: Vec<Row<'a>> = items.iter().map(|i| Row::Session(i)).collect();
    rows.extend(free.into_iter().map(Row::Free));
    rows.sort_by_key(|r| match r {
        Row::Session(i) => i.span,
        Row::Free(span) => *span,
    });
    rows
}

const SIGN_STYLE: &str = r#"
:root { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: #1d1d1f; --scale: 1; }
body { margin: 0 auto; padding: 1rem; max-width: 52rem; }
.event { margin: 0; color: #555; font-size: 1.05rem; }
h1 { font-size: clamp(2.2rem, 9vw, 4.5rem); line-height: 1.05; margin: 0.2rem 0; overflow-wrap: anywhere; }
.facts { margin: 0 0 1rem; color: #555; }
ol { list-style: none; margin: 0; padding: 0; }
li { display: grid; grid-template-columns: 8.5rem 1fr; gap: 0.75rem; padding: 0.6rem 0.5rem; border-top: 1px solid #ddd; break-inside: avoid; }
.time { font-weight: 700; font-variant-numeric: tabular-nums; font-size: 1.2rem; }
.title { display: block; font-weight: 700; font-size: 1.25rem; overflow-wrap: anywhere; }
.meta { display: block; color: #444; }
.session { border-left: 6px solid #ce422b; }
.session.adhoc { border-left-color: #2f7d45; }
.free { border-left: 6px dashed #9bbf9f; color: #2f5d35; background: #f3f9f4; }
.free .title { font-weight: 600; }
footer { margin-top: 1rem; color: #666; font-size: 0.85rem; }
footer a { color: #8a3b12; }
@media (max-width: 600px) {
  body { padding: 0.75rem; }
  li { grid-template-columns: 1fr; gap: 0.1rem; }
}
@page { size: A4 portrait; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; }
  .event { font-size: 14pt; }
  h1 { font-size: calc(52pt * max(var(--scale), 0.7)); }
  .facts { font-size: 12pt; }
  li { grid-template-columns: 42mm 1fr; padding: calc(3mm * var(--scale)) 2mm; }
  .time { white-space: nowrap; }
  .time { font-size: calc(17pt * var(--scale)); }
  .title { font-size: calc(17pt * var(--scale)); }
  .meta { font-size: calc(11pt * var(--scale)); }
  footer { font-size: 8pt; }
  .noprint { display: none; }
}
"#;

/// A room's door sign for one day: the room's name large, the day's sessions, and the free
/// gaps for ad-hoc use. Printed, it fits one A4 page: the type shrinks with a long day.
pub fn door_sign(agenda: &Agenda<'_>, room: &Room, day: &Day, version: &str) -> String {
    let items: Vec<&Item<'_>> = agenda
        .items_on(day)
        .into_iter()
        .filter(|i| i.room.id == room.id)
        .collect();
    let rows = rows(&items, &agenda.event.busy_spans(&day.id, &room.id), day);
    // About how many lines the list takes printed (a title wraps at ~40 characters), against the
    // ~14 that fit a page at full size.
    let lines: f32 = rows
        .iter()
        .map(|r| match r {
            Row::Session(i) => 1.6 + (i.session.title.chars().count() / 40) as f32,
            Row::Free(_) => 1.6,
        })
        .sum();
    let scale = (15.0 / lines.max(1.0)).clamp(0.4, 1.0);
    let mut out = String::new();
    let when = day.heading();
    head(&mut out, &format!("{} · {when}", room.name), SIGN_STYLE);
    let _ = write!(
        out,
        "<body style=\"--scale: {scale:.2}\">\n<header>\n<p class=\"event\">{} · {when}</p>\n<h1>{}</h1>\n\
         <p class=\"facts\">{} seats{}{}</p>\n</header>\n<ol>\n",
        escape(&agenda.event.info.name),
        escape(&room.name),
        room.capacity,
        if room.features.is_empty() { "" } else { " · " },
        escape(&room.features.join(", ")),
    );
    for row in &rows {
        match row {
            Row::Session(item) => {
                let s = item.session;
                let mut meta = Vec::new();
                if s.kind == Kind::Adhoc {
                    meta.push("ad hoc".to_string());
                }
                if !s.team.is_empty() {
                    meta.push(escape(&s.team));
                }
                meta.push(format!("{} people", item.people));
                let _ = writeln!(
                    out,
                    "<li class=\"session{}\" data-session=\"{}\"><span class=\"time\">{}–{}</span>\
                     <span><span class=\"title\">{}</span><span class=\"meta\">{}</span></span></li>",
                    if s.kind == Kind::Adhoc { " adhoc" } else { "" },
                    escape(&s.id),
                    item.span.start,
                    item.span.end,
                    escape(&s.title),
                    meta.join(" · ")
                );
            }
            Row::Free(span) => {
                let _ = writeln!(
                    out,
                    "<li class=\"free\"><span class=\"time\">{}–{}</span><span><span class=\"title\">Free\
                     </span><span class=\"meta\">for ad-hoc sessions: book it with the organisers</span>\
                     </span></li>",
                    span.start, span.end
                );
            }
        }
    }
    let _ = write!(
        out,
        "</ol>\n<footer>Open {}–{}, times in {} · {} · <a class=\"noprint\" href=\"../index.html\">timetable\
         </a> · <a class=\"noprint\" href=\"../rooms.html\">all rooms</a></footer>\n</body>\n</html>\n",
        day.opens,
        day.closes,
        escape(agenda.event.info.timezone.name()),
        escape(version)
    );
    out
}

const LIST_STYLE: &str = r#"
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; }
body { margin: 0 auto; padding: 1rem; max-width: 60rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem; border-top: 1px solid #ddd; }
a { color: #8a3b12; }
@media (max-width: 600px) { th small { display: none; } }
"#;

/// The door signs, a row per room and a link per day.
pub fn sign_list(agenda: &Agenda<'_>, rooms: &[&Room], days: &[&Day], path: impl Fn(&Room, &Day) -> String) -> String {
    let mut out = String::new();
    let title = format!("{}: door signs", agenda.event.info.name);
    head(&mut out, &title, LIST_STYLE);
    let _ = write!(
        out,
        "<body>\n<h1>{}</h1>\n<p>Each page prints as one A4 sign for the room's door. \
         <a href=\"index.html\">Timetable</a> · <a href=\"now.html\">Now and next</a></p>\n\
         <table>\n<tr><th>Room</th>",
        escape(&title)
    );
    for day in days {
        let _ = write!(out, "<th>{}</th>", escape(&day.label()));
    }
    out.push_str("</tr>\n");
    for room in rooms {
        let _ = write!(
            out,
            "<tr><th>{} <small>{} seats</small></th>",
            escape(&room.name),
            room.capacity
        );
        for day in days {
            let count = agenda
                .items
                .iter()
                .filter(|i| i.day.id == day.id && i.room.id == room.id)
                .count();
            let _ = write!(
                out,
                "<td><a href=\"{}\">{count} session{}</a></td>",
                escape(&path(room, day)),
                if count == 1 { "" } else { "s" }
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}

const CHANGES_STYLE: &str = r#"
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; }
body { margin: 0 auto; padding: 1rem; max-width: 50rem; line-height: 1.4; }
a { color: #8a3b12; }
section { border-top: 1px solid #ddd; margin-top: 1.25rem; }
section.draft { border-top: 4px dashed #c98a1b; }
h2 { margin: 0.75rem 0 0.25rem; font-size: 1.3rem; }
h3 { margin: 0.75rem 0 0.25rem; font-size: 1rem; }
.when { color: #555; margin: 0; }
.note { font-style: italic; }
ul { padding-left: 1.2rem; margin: 0.25rem 0; }
li { margin: 0.2rem 0; overflow-wrap: anywhere; }
.was { color: #8a1b1b; }
.now { color: #1b5e20; }
@media print { a { color: inherit; text-decoration: none; } }
"#;

/// Where and when a published session was: `Thu 21 May 11:30–13:00, Wilhelmina Room`.
fn place_text(event: &Event, place: &Place) -> String {
    let day = event.day(&place.day).map_or_else(|| place.day.clone(), Day::label);
    format!("{day} {}–{}, {}", place.start, place.end, event.room_name(&place.room))
}

/// One change as a list item: the session, and what it was and is in the way that changed.
fn change_item(event: &Event, change: &Change) -> String {
    let before = change.before.as_ref();
    let after = change.after.as_ref();
    let place = |entry: Option<&publish::Entry>| {
        entry
            .and_then(|e| e.place.as_ref())
            .map_or_else(String::new, |p| escape(&place_text(event, p)))
    };
    let day_time = |entry: Option<&publish::Entry>| {
        entry.and_then(|e| e.place.as_ref()).map_or_else(String::new, |p| {
            let day = event.day(&p.day).map_or_else(|| p.day.clone(), Day::label);
            escape(&format!("{day} {}–{}", p.start, p.end))
        })
    };
    let room = |entry: Option<&publish::Entry>| {
        entry
            .and_then(|e| e.place.as_ref())
            .map_or_else(String::new, |p| escape(event.room_name(&p.room)))
    };
    let title = |entry: Option<&publish::Entry>| entry.map_or_else(String::new, |e| escape(&e.title));
    let was_is =
        |was: String, is: String| format!("<span class=\"was\">{was}</span> → <span class=\"now\">{is}</span>");
    let what = match change.kind {
        ChangeKind::Added => format!("<span class=\"now\">{}</span>", place(after)),
        ChangeKind::Cancelled => format!("<span class=\"was\"><s>{}</s></span>", place(before)),
        ChangeKind::Moved | ChangeKind::Lengthened | ChangeKind::Shortened => was_is(day_time(before), day_time(after)),
        ChangeKind::Reroomed => was_is(room(before), room(after)),
        ChangeKind::Retitled => was_is(title(before), title(after)),
    };
    format!(
        "<li><strong>{}</strong> ({}): {what}</li>",
        escape(change.title()),
        escape(&change.session)
    )
}

/// Changes grouped under a heading per kind.
fn change_list(out: &mut String, event: &Event, changes: &[Change]) {
    let mut kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
    kinds.dedup();
    for kind in kinds {
        let _ = writeln!(out, "<h3>{}</h3>\n<ul>", kind.heading());
        for change in changes.iter().filter(|c| c.kind == kind) {
            out.push_str(&change_item(event, change));
            out.push('\n');
        }
        out.push_str("</ul>\n");
    }
}

/// `changes.html`: every published version, newest first, with what changed since the one
/// before, and above them the changes not published yet.
pub fn changelog(event: &Event, history: &History) -> String {
    let zone = event.info.timezone.tz();
    let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&zone).format("%a %-d %B %Y %H:%M").to_string();
    let mut out = String::new();
    let title = format!("{}: changes", event.info.name);
    head(&mut out, &title, CHANGES_STYLE);
    let _ = writeln!(
        out,
        "<body>\n<h1>{}</h1>\n<p><a href=\"index.html\">Timetable</a> · <a href=\"now.html\">Now and next</a> · \
         times in {}</p>",
        escape(&title),
        escape(event.info.timezone.name())
    );
    let Some(last) = history.last() else {
        out.push_str("<p>Nothing is published yet: the timetable is a draft.</p>\n</body>\n</html>\n");
        return out;
    };
    let pending = publish::changes(&history.schedule(last.number), &Schedule::current(event));
    if !pending.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"draft\" id=\"unpublished\">\n<h2>Not published yet</h2>\n\
             <p class=\"when\">Changes since version {}; the timetable already shows them.</p>",
            last.number
        );
        change_list(&mut out, event, &pending);
        out.push_str("</section>\n");
    }
    for (i, version) in history.versions.iter().enumerate().rev() {
        let _ = writeln!(
            out,
            "<section id=\"v{n}\">\n<h2>Version {n}</h2>\n<p class=\"when\">published {}</p>",
            local(version.published_at),
            n = version.number
        );
        if !version.note.is_empty() {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&version.note));
        }
        let schedule = history.schedule(version.number);
        match i.checked_sub(1).map(|p| &history.versions[p]) {
            None => {
                let _ = writeln!(
                    out,
                    "<p>First published, with {} sessions on the agenda.</p>",
                    schedule.scheduled()
                );
            }
            Some(previous) => {
                let changes = publish::changes(&history.schedule(previous.number), &schedule);
                if changes.is_empty() {
                    out.push_str("<p>No change to the agenda.</p>\n");
                }
                change_list(&mut out, event, &changes);
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// JSON for a `<script>` element: `<`, `>` and `&` (and the line separators old parsers
/// choke on) as `\u` escapes, so no title can close the element or open a comment.
pub fn script_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn time(t: Time) -> u32 {
    t.minutes()
}

const BOARD_STYLE: &str = r#"
html { font-size: min(1vw, 1.7778vh); }
body { margin: 0; width: 100vw; height: 100vh; overflow: hidden; background: #101418; color: #f2f2f2;
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; display: flex; flex-direction: column; }
header { display: flex; align-items: baseline; gap: 2rem; padding: 0.8rem 2rem 0.6rem; border-bottom: 0.15rem solid #2a3138; }
header h1 { font-size: 2.2rem; margin: 0; flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#date { font-size: 1.6rem; color: #b8c0c8; }
#clock { font-size: 3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
#rehearsal { font-size: 1.1rem; background: #8a3b12; padding: 0.2rem 0.6rem; border-radius: 0.3rem; }
#notice { font-size: 1.5rem; padding: 0.6rem 2rem 0; color: #ffd28a; }
#notice:empty { display: none; }
main { flex: 1; display: grid; gap: 1rem; padding: 1rem 2rem 1.5rem; min-height: 0; }
.room { background: #1b2228; border-radius: 0.6em; padding: 0.9em 1.1em; display: flex; flex-direction: column;
  gap: 0.4em; min-height: 0; min-width: 0; overflow: hidden; border-top: 0.5em solid #59636d; }
.room.busy { border-top-color: #ce422b; }
.room.free { border-top-color: #3fb35f; background: #17261c; }
.room h2 { margin: 0; font-size: 1.25em; display: flex; justify-content: space-between; gap: 0.5em; }
.room h2 small { font-weight: 400; color: #9aa4ad; font-size: 0.62em; white-space: nowrap; }
.label { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.85em; color: #9aa4ad; }
.room > *, .now > * { flex: none; }
.room > .now { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; gap: 0.2em; overflow: hidden; }
.title { font-weight: 700; font-size: 1.5em; line-height: 1.15; overflow-wrap: anywhere; }
.state { font-size: 1.35em; font-weight: 700; }
.free .state { color: #6fe08d; }
.closed .state, .plenary .state { color: #b8c0c8; }
.left { font-size: 1.15em; color: #ffd28a; font-variant-numeric: tabular-nums; }
.bar { height: 0.35em; background: #2a3138; border-radius: 0.2em; }
.bar span { display: block; height: 100%; background: #ce422b; border-radius: 0.2em; }
.next { border-top: 0.1em solid #2a3138; padding-top: 0.4em; font-size: 0.95em; flex: none; max-height: 38%; color: #d5dbe0; overflow: hidden; }
.next .when { font-weight: 700; font-variant-numeric: tabular-nums; color: #fff; }
.next .left { font-size: 1em; }
.clamped .title { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.adhoc-tag { font-size: 0.8em; background: #2f7d45; border-radius: 0.2em; padding: 0 0.3em; margin-left: 0.3em; }
"#;

/// The lobby board: per room what is on now and next, a countdown, free rooms marked. The page
/// carries the whole agenda as JSON and works out "now" itself every minute, in the event's
/// time zone (Intl with the IANA zone, whatever the screen's own); `?at=2026-05-22T15:00`
/// rehearses a moment.
pub fn board(agenda: &Agenda<'_>, rooms: &[&Room]) -> String {
    let info = &agenda.event.info;
    let data = json!({
        "event": info.name,
        "timezone": info.timezone.name(),
        "days": agenda.event.days.iter().map(|d| json!({
            "day": d.id, "date": d.date.to_string(), "label": d.short_heading(),
            "opens": time(d.opens), "closes": time(d.closes),
        })).collect::<Vec<_>>(),
        "rooms": rooms.iter().map(|r| json!({"id": r.id, "name": r.name, "capacity": r.capacity})).collect::<Vec<_>>(),
        "sessions": agenda.items.iter().map(|i| json!({
            "id": i.session.id, "title": i.session.title, "team": i.session.team, "room": i.room.id,
            "date": i.day.date.to_string(), "start": time(i.span.start), "end": time(i.span.end),
            "adhoc": i.session.kind == Kind::Adhoc, "people": i.people, "plenary": i.session.is_plenary(),
        })).collect::<Vec<_>>(),
    });
    let mut out = String::new();
    head(&mut out, &format!("{}: now and next", info.name), BOARD_STYLE);
    let _ = write!(
        out,
        "<body>\n<header><h1>{}</h1><span id=\"rehearsal\" hidden></span><span id=\"date\"></span>\
         <span id=\"clock\"></span></header>\n<div id=\"notice\"></div>\n<main id=\"rooms\"></main>\n\
         <script type=\"application/json\" id=\"agenda\">{}</script>\n<script>{BOARD_SCRIPT}</script>\n</body>\n</html>\n",
        escape(&info.name),
        script_json(&data)
    );
    out
}

/// The board's logic. Titles are only ever set with textContent, never parsed as HTML.
const BOARD_SCRIPT: &str = r#"
"use strict";
const DATA = JSON.parse(document.getElementById("agenda").textContent);
const loaded = Date.now();
const params = new URLSearchParams(location.search);
const at = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(params.get("at") || "");
const pad = n => String(n).padStart(2, "0");
const hhmm = m => pad(Math.floor(m / 60)) + ":" + pad(m % 60);
function addDays(date, n) {
  const d = new Date(date + "T12:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
// The event's wall clock: the rehearsal moment plus the time since the page loaded, or the
// real time now as shown in the event's time zone.
function now() {
  if (at) {
    const minutes = Number(at[2]) * 60 + Number(at[3]) + Math.floor((Date.now() - loaded) / 60000);
    return { date: addDays(at[1], Math.floor(minutes / 1440)), minutes: minutes % 1440 };
  }
  const parts = {};
  for (const p of new Intl.DateTimeFormat("en-CA", { timeZone: DATA.timezone, year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date())) {
    parts[p.type] = p.value;
  }
  return { date: parts.year + "-" + parts.month + "-" + parts.day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}
const dayOf = date => DATA.days.find(d => d.date === date);
const later = (s, t) => s.date > t.date || (s.date === t.date && s.start > t.minutes);
function duration(m) {
  if (m < 60) return m + " min";
  const h = Math.floor(m / 60), r = m % 60;
  return r ? h + " h " + r + " min" : h + " h";
}
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
// Shrinks a block's type until it fits its box, so a long title is never cut off.
// A title too long even for the smallest type is cut after three lines, with an ellipsis.
function fit(box) {
  const overflows = () => box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
  let size = 1;
  box.style.fontSize = "";
  box.classList.remove("clamped");
  while (overflows() && size > 0.5) {
    size -= 0.05;
    box.style.fontSize = size + "em";
  }
  if (overflows()) box.classList.add("clamped");
}
function render() {
  const t = now();
  const today = dayOf(t.date);
  document.getElementById("clock").textContent = hhmm(t.minutes);
  document.getElementById("date").textContent = today ? today.label : t.date;
  const badge = document.getElementById("rehearsal");
  badge.hidden = !at;
  badge.textContent = at ? "rehearsal" : "";
  const open = today && t.minutes >= today.opens && t.minutes < today.closes;
  const upcoming = DATA.days.find(d => d.date >= t.date && !(d.date === t.date && t.minutes >= d.closes));
  let notice = "";
  if (params.has("at") && !at) notice = "?at= must be an event-local date and time like 2026-05-22T15:00; showing now.";
  else if (!upcoming) notice = DATA.event + " is over. Thank you for coming!";
  else if (!today || t.minutes >= today.closes) notice = "Closed now. Opens " + upcoming.label + " at " + hhmm(upcoming.opens) + ".";
  else if (t.minutes < today.opens) notice = "Opens at " + hhmm(today.opens) + ".";
  document.getElementById("notice").textContent = notice;
  const main = document.getElementById("rooms");
  const columns = Math.max(1, Math.ceil(Math.sqrt(DATA.rooms.length * 1.8)));
  main.style.gridTemplateColumns = "repeat(" + columns + ", minmax(0, 1fr))";
  main.style.gridTemplateRows = "repeat(" + Math.ceil(DATA.rooms.length / columns) + ", minmax(0, 1fr))";
  main.replaceChildren();
  // Nothing else may run during a plenary: its time is not free anywhere.
  const today_ = DATA.sessions.filter(s => s.date === t.date);
  const plenary = today_.find(s => s.plenary && s.start <= t.minutes && t.minutes < s.end);
  const nextPlenary = today_.filter(s => s.plenary && s.start > t.minutes).map(s => s.start).sort((a, b) => a - b)[0];
  for (const room of DATA.rooms) {
    const mine = DATA.sessions.filter(s => s.room === room.id);
    const current = mine.find(s => s.date === t.date && s.start <= t.minutes && t.minutes < s.end);
    const next = mine.filter(s => later(s, t)).sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : a.start - b.start)[0];
    const state = current ? "busy" : plenary ? "plenary" : open ? "free" : "closed";
    const card = el("section", "room " + state);
    card.dataset.room = room.id;
    card.dataset.state = state;
    if (current) card.dataset.now = current.id;
    if (next) card.dataset.next = next.id;
    const h = el("h2", "", room.name);
    h.append(el("small", "", room.capacity + " seats"));
    card.append(h);
    const body = el("div", "now");
    if (current) {
      const label = el("span", "label", "Now · until " + hhmm(current.end));
      if (current.adhoc) label.append(el("span", "adhoc-tag", "ad hoc"));
      body.append(label);
      body.append(el("span", "title", current.title));
      const meta = [current.team, current.people + " people"].filter(Boolean).join(" · ");
      body.append(el("span", "label", meta));
      body.append(el("span", "left", duration(current.end - t.minutes) + " left"));
      const bar = el("div", "bar"), fill = el("span");
      fill.style.width = Math.round(100 * (t.minutes - current.start) / (current.end - current.start)) + "%";
      bar.append(fill);
      body.append(bar);
    } else if (plenary) {
      body.append(el("span", "state", "Plenary"));
      body.append(el("span", "left", "everyone is at " + plenary.title + " until " + hhmm(plenary.end)));
    } else if (open) {
      const until = Math.min(next && next.date === t.date ? next.start : today.closes, nextPlenary || 1440);
      body.append(el("span", "state", "Free"));
      body.append(el("span", "left", "until " + hhmm(until) + " · " + duration(until - t.minutes)));
      body.append(el("span", "label", "for ad-hoc sessions"));
    } else {
      body.append(el("span", "state", "Closed"));
    }
    card.append(body);
    const foot = el("div", "next");
    if (next) {
      const sameDay = next.date === t.date;
      const when = sameDay ? hhmm(next.start) : dayOf(next.date).label.split(" ")[0] + " " + hhmm(next.start);
      foot.append(el("span", "label", "Next "));
      foot.append(el("span", "when", when));
      foot.append(document.createTextNode(" " + next.title));
      if (sameDay) foot.append(el("span", "left", " · in " + duration(next.start - t.minutes)));
    } else {
      foot.append(el("span", "label", "Nothing more here"));
    }
    card.append(foot);
    main.append(card);
  }
  fitAll();
}
function fitAll() {
  for (const box of document.querySelectorAll(".now, .next")) fit(box);
}
render();
// The type is sized to the screen: fit again when the screen (or window) changes size.
addEventListener("resize", fitAll);
// Every minute, on the minute.
setTimeout(() => { render(); setInterval(render, 60000); }, 60000 - (Date.now() % 60000));
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element() {
        let text = script_json(&json!({"title": "</script><script>alert(1)</script> <!-- & \u{2028}"}));
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], "</script><script>alert(1)</script> <!-- & \u{2028}");
    }
}
