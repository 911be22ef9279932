//! A static timetable page: one self-contained HTML file (no external assets, no scripts),
//! a section per day with rooms as columns and time as rows, each session a block spanning
//! its duration. On a phone the grid becomes a list in time order; printed, a day per page.

use std::fmt::Write;

use super::agenda::Agenda;
// HTML text and attribute values are escaped as XML's.
use super::frab::escape;
use crate::model::{Day, Time};

/// Minutes per grid row.
const STEP: u32 = 5;

const STYLE: &str = r#"
:root { --row: 0.6rem; --room: minmax(9rem, 1fr); font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0 1rem 2rem; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.5rem; margin: 1rem 0 0.25rem; }
.where { color: #555; margin: 0 0 0.75rem; }
nav { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; border-bottom: 1px solid #ddd; z-index: 3; }
nav a { margin-right: 1rem; font-weight: 600; color: #8a3b12; text-decoration: none; }
section { margin-top: 1.5rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.5rem; }
.scroll { overflow-x: auto; }
.grid { display: grid; column-gap: 4px; position: relative; }
.room { grid-row: 1; position: sticky; top: 0; background: #f4ede8; font-weight: 600; padding: 0.3rem; font-size: 0.85rem; border-radius: 4px; z-index: 2; }
.room small { display: block; font-weight: 400; color: #555; }
.hour { grid-column: 1; font-size: 0.75rem; color: #666; border-top: 1px solid #e3e3e3; padding-right: 0.4rem; text-align: right; }
.session { background: #fde7d8; border-left: 4px solid #ce422b; border-radius: 4px; padding: 0.2rem 0.35rem; overflow: hidden; font-size: 0.8rem; line-height: 1.25; margin-top: 1px; }
.session.adhoc { background: #e3f1e6; border-left-color: #2f7d45; }
.session.required { outline: 2px solid #ce422b; }
.session .title { font-weight: 600; display: block; }
.session .meta { color: #444; }
/* Half an hour or less is a line or two: the title first, on one line cut with an ellipsis (the
   whole title is the block's tooltip), then time and the rest as far as they fit. */
.session.short { display: flex; flex-wrap: wrap; align-content: flex-start; column-gap: 0.3em; }
.session.short .title { order: -1; flex: 0 0 100%; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.session.short .meta { flex: 1 1 0; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
@media (max-width: 700px) {
  .grid { display: block; }
  .room, .hour { display: none; }
  .session { margin: 0 0 0.5rem; }
}
.links a { color: #8a3b12; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  :root { --row: 1.3mm; --room: minmax(0, 1fr); }
  body { margin: 0; }
  h1 { font-size: 14pt; margin-top: 0; }
  h2 { font-size: 12pt; }
  .room { font-size: 7pt; }
  .hour { font-size: 6.5pt; }
  .session { font-size: 6.5pt; line-height: 1.2; }
  .session, .room { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  nav, .links { display: none; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  .scroll { overflow: visible; }
  .room { position: static; }
}
"#;

/// The timetable page for `agenda`.
pub fn page(agenda: &Agenda<'_>) -> String {
    page_with_links(agenda, &[])
}

/// The timetable page with links to other pages (the static site's door signs, lobby board),
/// as (href, label).
pub fn page_with_links(agenda: &Agenda<'_>, links: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let title = escape(&agenda.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let info = &agenda.event.info;
    let days = agenda.days();
    let _ = writeln!(
        out,
        "<p class=\"where\">{}{}times in {}</p>",
        escape(&info.location),
        if info.location.is_empty() { "" } else { " · " },
        escape(info.timezone.name())
    );
    if !links.is_empty() {
        let links: Vec<String> = links
            .iter()
            .map(|(href, label)| format!("<a href=\"{}\">{}</a>", escape(href), escape(label)))
            .collect();
        let _ = writeln!(out, "<p class=\"links\">{}</p>", links.join(" · "));
    }
    if days.is_empty() {
        out.push_str("<p>No sessions scheduled.</p>\n</body>\n</html>\n");
        return out;
    }
    out.push_str("<nav>");
    for day in &days {
        let _ = write!(out, "<a href=\"#day-{}\">{}</a>", escape(&day.id), escape(&day.label()));
    }
    out.push_str("</nav>\n");
    for day in days {
        day_section(&mut out, agenda, day);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn day_section(out: &mut String, agenda: &Agenda<'_>, day: &Day) {
    let items = agenda.items_on(day);
    let rooms = agenda.rooms_on(day);
    let (from, to) = agenda.grid_hours(day);
    let row = |t: Time| 2 + (t.minutes() - from) / STEP;
    let rows = (to - from) / STEP;
    let _ = writeln!(
        out,
        "<section id=\"day-{id}\">\n<h2>{weekday} {date}</h2>\n<div class=\"scroll\">\n\
         <div class=\"grid\" style=\"grid-template-columns: 3.5rem repeat({cols}, var(--room)); \
         grid-template-rows: auto repeat({rows}, var(--row));\">",
        id = escape(&day.id),
        weekday = day.weekday_name(),
        date = day.date.format("%-d %B %Y"),
        cols = rooms.len(),
    );
    for (i, room) in rooms.iter().enumerate() {
        let _ = writeln!(
            out,
            "<div class=\"room\" style=\"grid-column: {}\">{}<small>{} seats</small></div>",
            i + 2,
            escape(&room.name),
            room.capacity
        );
    }
    for hour in (from..to).step_by(60) {
        let _ = writeln!(
            out,
            "<div class=\"hour\" style=\"grid-row: {} / span {}\">{:02}:00</div>",
            2 + (hour - from) / STEP,
            60 / STEP,
            hour / 60
        );
    }
    for item in items {
        let column = 2 + rooms.iter().position(|r| r.id == item.room.id).unwrap_or(0);
        let s = item.session;
        let mut classes = vec!["session"];
        if s.kind == crate::model::Kind::Adhoc {
            classes.push("adhoc");
        }
        if item.role == Some(crate::model::Tie::Required) {
            classes.push("required");
        }
        if item.span.end.minutes() - item.span.start.minutes() <= 30 {
            classes.push("short");
        }
        let mut meta = Vec::new();
        if !s.team.is_empty() {
            meta.push(escape(&s.team));
        }
        meta.push(escape(&item.room.name));
        meta.push(format!("{} people", item.people));
        if let Some(role) = item.role {
            meta.push(format!("you: {role}"));
        }
        let _ = writeln!(
            out,
            "<div class=\"{classes}\" id=\"{id}\" data-session=\"{id}\" data-room=\"{room}\" data-day=\"{day}\" \
             data-start=\"{start}\" data-end=\"{end}\" title=\"{title}\" style=\"grid-column: {column}; grid-row: {r1} / {r2}\">\
             <span class=\"time\">{start}–{end}</span> <span class=\"title\">{title}</span>\
             <span class=\"meta\">{meta}</span></div>",
            classes = classes.join(" "),
            id = escape(&s.id),
            room = escape(&item.room.id),
            day = escape(&day.id),
            start = item.span.start,
            end = item.span.end,
            r1 = row(item.span.start),
            r2 = row(item.span.end),
            title = escape(&s.title),
            meta = meta.join(" · "),
        );
    }
    out.push_str("</div>\n</div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<b>\"x\" & 'y'</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; &apos;y&apos;&lt;/b&gt;"
        );
    }
}
