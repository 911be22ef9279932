//! Output: a [`Listing`] printed as a table for people, or as csv, json or markdown for
//! programs and chat; and [`FileNames`] for the files of an export. Nothing here reads files
//! or knows about commands.

pub mod agenda;
mod arabic;
pub mod changes;
pub mod frab;
mod grid;
pub mod html;
pub mod ics;
pub mod pdf;
pub mod site;
pub mod visible;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::formula::guard;
use crate::parallel::MANY;
use comfy_table::{Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};
use serde_json::{Map, Value};
pub use visible::{visible, visible_line};

/// How a listing is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table sized to the terminal (the default).
    Table,
    /// Comma-separated values with a header row; formulas defused.
    Csv,
    /// An array of objects, one per row, keys as the csv header.
    Json,
    /// Markdown tables with a heading per section, for Zulip or GitHub.
    Md,
}

/// A slug for ids and file names: lowercase ASCII letters and digits with single `-` between words, at most `max` long
/// (cut at a word boundary when there is one).
pub fn slug(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.len() > max {
        let cut_in_a_word = slug.as_bytes()[max] != b'-';
        slug.truncate(max);
        if cut_in_a_word && let Some(end) = slug.rfind('-') {
            slug.truncate(end);
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// File names for feeds and door signs named after ids: only letters, digits, `-` and `_` (an
/// id such as `../x` must not leave the folder), each name used once per folder.
#[derive(Default)]
pub struct FileNames {
    used: BTreeSet<PathBuf>,
}

impl FileNames {
    /// `FOLDER/ID.ics`, made safe and unique.
    pub fn path(&mut self, folder: &str, id: &str) -> PathBuf {
        self.path_with(folder, id, "ics")
    }

    /// `FOLDER/ID.EXTENSION`, made safe and unique.
    pub fn path_with(&mut self, folder: &str, id: &str, extension: &str) -> PathBuf {
        let safe: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = if safe.is_empty() { "_".to_string() } else { safe };
        let mut candidate = Path::new(folder).join(format!("{safe}.{extension}"));
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = Path::new(folder).join(format!("{safe}-{n}.{extension}"));
            n += 1;
        }
        candidate
    }
}

/// Below this many columns a grid of several columns is unreadable: rows are stacked instead.
const NARROW: u16 = 55;

/// Where and how people-facing output is drawn.
#[derive(Clone, Copy, Debug)]
pub struct Terminal {
    /// Columns available to a table.
    pub width: u16,
    /// Whether bold headings and the like may be used.
    pub color: bool,
}

impl Terminal {
    /// For tests and snapshots: fixed width, no colour.
    pub fn plain(width: u16) -> Terminal {
        Terminal { width, color: false }
    }
}

/// A group of rows printed under its own heading in tables and markdown (e.g. one day).
#[derive(Clone, Debug, Default)]
pub struct Section {
    pub heading: Option<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Rows with named columns. Cells are JSON values: strings, numbers, arrays (lists), null.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    pub columns: Vec<String>,
    pub sections: Vec<Section>,
    /// Columns left out of tables and markdown (said by the section heading, or only
    /// useful to programs, like ids beside names).
    pub hidden_for_people: Vec<String>,
    /// Columns only tables and markdown show (e.g. `time` = start-end).
    pub hidden_for_programs: Vec<String>,
    /// Headers tables and markdown show instead of a column's key (`room_name` → `room`).
    pub people_headers: Vec<(String, String)>,
    /// Columns printed right-aligned (numbers).
    pub right_aligned: Vec<String>,
    /// The column that gets the room when the table must wrap (e.g. titles).
    pub wide: Option<String>,
    /// Columns never wrapped (short values like times and ids).
    pub unbroken: Vec<String>,
    /// Draw a line between rows (for cells spanning several lines).
    pub row_lines: bool,
    /// Said below the table (and only there) when it helps a person, e.g. "3 unscheduled".
    pub footer: Vec<String>,
    /// Printed instead of an empty table.
    pub empty_message: String,
}

impl Listing {
    pub fn new(columns: &[&str]) -> Listing {
        Listing {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            empty_message: "nothing to show".into(),
            ..Listing::default()
        }
    }

    /// Leaves `columns` out of tables and markdown; csv and json keep them.
    pub fn hide_for_people(mut self, columns: &[&str]) -> Listing {
        self.hidden_for_people = columns.iter().map(|c| c.to_string()).collect();
        self
    }

    /// Leaves `columns` out of csv and json.
    pub fn hide_for_programs(mut self, columns: &[&str]) -> Listing {
        self.hidden_for_programs = columns.iter().map(|c| c.to_string()).collect();
        self
    }

    /// Shows column `key` under `header` in tables and markdown.
    pub fn people_header(mut self, key: &str, header: &str) -> Listing {
        self.people_headers.push((key.to_string(), header.to_string()));
        self
    }

    fn header_for_people(&self, i: usize) -> &str {
        let key = &self.columns[i];
        self.people_headers
            .iter()
            .find(|(k, _)| k == key)
            .map_or(key, |(_, h)| h)
    }

    fn program_columns(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.hidden_for_programs.contains(&self.columns[i]))
            .collect()
    }

    pub fn unbroken(mut self, columns: &[&str]) -> Listing {
        self.unbroken = columns.iter().map(|c| c.to_string()).collect();
        self
    }

    pub fn wide(mut self, column: &str) -> Listing {
        self.wide = Some(column.to_string());
        self
    }

    pub fn align_right(mut self, columns: &[&str]) -> Listing {
        self.right_aligned = columns.iter().map(|c| c.to_string()).collect();
        self
    }

    /// Adds a row to the last section (starting one if there is none).
    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        self.sections.last_mut().expect("a section").rows.push(row);
    }

    pub fn section(&mut self, heading: impl Into<String>) {
        self.sections.push(Section {
            heading: Some(heading.into()),
            rows: vec![],
        });
    }

    pub fn rows(&self) -> impl Iterator<Item = &Vec<Value>> {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }

    pub fn is_empty(&self) -> bool {
        self.rows().next().is_none()
    }

    /// The listing in `format`: a table, csv, json or markdown, ending with a newline.
    pub fn render(&self, format: Format, terminal: Terminal) -> String {
        match format {
            Format::Table => self.table(terminal),
            Format::Csv => self.csv(),
            Format::Json => self.json(),
            Format::Md => self.markdown(),
        }
    }

    fn shown_columns(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.hidden_for_people.contains(&self.columns[i]))
            .collect()
    }

    fn table(&self, terminal: Terminal) -> String {
        if terminal.width < NARROW {
            return self.stacked(terminal);
        }
        let shown = self.shown_columns();
        let mut out = String::new();
        if self.is_empty() {
            out += &visible(&self.empty_message);
            out.push('\n');
        }
        let sections: Vec<&Section> = self.sections.iter().filter(|s| !s.rows.is_empty()).collect();
        // Sections are laid out independently: with thousands of rows (a day of a large
        // event each) the later half is drawn on the second core.
        let rows: usize = sections.iter().map(|s| s.rows.len()).sum();
        let tables = crate::parallel::in_halves(&sections, rows >= MANY, |sections| {
            (sections.iter())
                .map(|s| self.section_table(s, &shown, terminal))
                .collect()
        });
        for (section, table) in sections.iter().zip(tables) {
            if let Some(heading) = &section.heading {
                if !out.is_empty() {
                    out.push('\n');
                }
                let heading = visible_line(heading);
                out += &if terminal.color {
                    let bold = anstyle::Style::new().bold();
                    format!("{bold}{heading}{bold:#}\n")
                } else {
                    format!("{heading}\n")
                };
            }
            out += &table;
            out.push('\n');
        }
        for line in &self.footer {
            out += &wrap(&visible(&cut(line)), terminal.width as usize);
            out.push('\n');
        }
        out
    }

    /// One section's rows as a table (without its heading, without a final newline).
    fn section_table(&self, section: &Section, shown: &[usize], terminal: Terminal) -> String {
        let style = if self.row_lines {
            presets::UTF8_FULL
        } else {
            presets::UTF8_FULL_CONDENSED
        }
        .with_rounded_corners();
        let header: Vec<String> = shown
            .iter()
            .map(|&i| visible_line(&cut(self.header_for_people(i))).into_owned())
            .collect();
        // The cells as text and each column's widest, for a large section in two halves side by side.
        let cells_of = |rows: &[Vec<Value>]| {
            let cells: Vec<Vec<String>> = (rows.iter())
                .map(|row| shown.iter().map(|&i| table_cell(&row[i])).collect())
                .collect();
            let max = grid::max_content_widths(&header, &cells);
            (cells, max)
        };
        let (rows, max) = if section.rows.len() >= MANY {
            let half = section.rows.len() / 2;
            let ((mut rows, early), (late_rows, late)) =
                crate::parallel::join(|| cells_of(&section.rows[..half]), || cells_of(&section.rows[half..]));
            rows.extend(late_rows);
            (rows, early.into_iter().zip(late).map(|(a, b)| a.max(b)).collect())
        } else {
            cells_of(&section.rows)
        };
        let right: Vec<bool> = shown
            .iter()
            .map(|&i| self.right_aligned.contains(&self.columns[i]))
            .collect();
        let width = usize::from(terminal.width);
        // Give the wide column 40% when it needs it, so titles do not wrap word by word.
        let at_least_percent: Vec<(usize, u16)> = (self.wide.as_ref())
            .and_then(|w| shown.iter().position(|&i| self.columns[i] == *w))
            .filter(|&pos| max[pos] > width * 2 / 5)
            .map(|pos| (pos, 40))
            .into_iter()
            .collect();
        // Unbroken columns keep their width only while they leave the others a third of the
        // line; else the others would be squeezed to a letter per line.
        let mut content_width: Vec<usize> = (0..shown.len())
            .filter(|&pos| self.unbroken.contains(&self.columns[shown[pos]]))
            .collect();
        if content_width.iter().map(|&pos| max[pos] + 3).sum::<usize>() > width * 2 / 3 {
            content_width.clear();
        }
        let grid = grid::Grid {
            style,
            header: &header,
            rows: &rows,
            right_aligned: &right,
            max_widths: &max,
            width: terminal.width,
            at_least_percent: &at_least_percent,
            content_width: &content_width,
        };
        if !terminal.color
            && let Some(drawn) = grid.draw()
        {
            return drawn;
        }
        comfy_table(&grid, terminal.color)
    }

    /// For a terminal too narrow for a grid: each row as `header: value` lines, rows apart.
    fn stacked(&self, terminal: Terminal) -> String {
        let shown = self.shown_columns();
        let mut out = String::new();
        if self.is_empty() {
            out += &self.empty_message;
            out.push('\n');
        }
        let label_width = shown
            .iter()
            .map(|&i| self.header_for_people(i).chars().count())
            .max()
            .unwrap_or(0);
        let value_width = usize::from(terminal.width).saturating_sub(label_width + 2).max(10);
        for section in self.sections.iter().filter(|s| !s.rows.is_empty()) {
            if let Some(heading) = &section.heading {
                if !out.is_empty() {
                    out.push('\n');
                }
                out += heading;
                out.push('\n');
            }
            for row in &section.rows {
                out.push('\n');
                for &i in &shown {
                    let value = text(&row[i], ", ");
                    if value.is_empty() {
                        continue;
                    }
                    let label = self.header_for_people(i);
                    let wrapped = wrap(&value.replace('\n', " "), value_width);
                    for (n, line) in wrapped.lines().enumerate() {
                        let head = if n == 0 { format!("{label}:") } else { String::new() };
                        out += &format!("{head:<width$} {line}\n", width = label_width + 1);
                    }
                }
            }
        }
        if !self.footer.is_empty() {
            out.push('\n');
        }
        for line in &self.footer {
            out += &wrap(line, terminal.width as usize);
            out.push('\n');
        }
        out
    }

    fn csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let result: csv::Result<()> = (|| {
            let columns = self.program_columns();
            writer.write_record(columns.iter().map(|&i| &self.columns[i]))?;
            for row in self.rows() {
                writer.write_record(columns.iter().map(|&i| guard(&text(&row[i], ";")).into_owned()))?;
            }
            writer.flush()?;
            Ok(())
        })();
        result.expect("writing CSV into memory cannot fail");
        String::from_utf8(writer.into_inner().expect("in-memory writer")).expect("CSV of strings is UTF-8")
    }

    fn json(&self) -> String {
        let columns = self.program_columns();
        let objects: Vec<Value> = self
            .rows()
            .map(|row| {
                let map: Map<String, Value> = columns
                    .iter()
                    .map(|&i| (self.columns[i].clone(), row[i].clone()))
                    .collect();
                Value::Object(map)
            })
            .collect();
        serde_json::to_string_pretty(&objects).expect("JSON values serialise") + "\n"
    }

    fn markdown(&self) -> String {
        let shown = self.shown_columns();
        let mut out = String::new();
        // An empty listing still carries its footer: `check` with no problems has figures.
        if self.is_empty() {
            out += &format!("_{}_\n", markdown_escape(&self.empty_message));
        }
        for section in self.sections.iter().filter(|s| !s.rows.is_empty()) {
            if let Some(heading) = &section.heading {
                if !out.is_empty() {
                    out.push('\n');
                }
                out += &format!("### {}\n\n", markdown_escape(heading));
            }
            let cells = |row: Vec<String>| format!("| {} |\n", row.join(" | "));
            out += &cells(
                shown
                    .iter()
                    .map(|&i| markdown_escape(self.header_for_people(i)))
                    .collect(),
            );
            out += &cells(
                shown
                    .iter()
                    .map(|&i| {
                        if self.right_aligned.contains(&self.columns[i]) {
                            "--:"
                        } else {
                            "---"
                        }
                        .into()
                    })
                    .collect(),
            );
            for row in &section.rows {
                out += &cells(shown.iter().map(|&i| markdown_escape(&text(&row[i], ", "))).collect());
            }
        }
        for line in &self.footer {
            out += &format!("\n{}\n", markdown_escape(line));
        }
        out
    }
}

/// Wraps text at spaces so no line is longer than `width` characters (a word longer than
/// the width stands alone on its line).
pub fn wrap(text: &str, width: usize) -> String {
    // Continuation lines keep the first line's indent, so lists stay readable.
    let body = text.trim_start_matches(' ');
    let indent = &text[..text.len() - body.len()];
    let mut lines: Vec<String> = Vec::new();
    let mut line = indent.to_string();
    for word in body.split(' ') {
        let needed = line.chars().count() + usize::from(line.len() > indent.len()) + word.chars().count();
        if needed > width && line.len() > indent.len() {
            lines.push(std::mem::replace(&mut line, indent.to_string()));
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line += word;
    }
    lines.push(line);
    lines.join("\n")
}

/// A cell as text; list items joined with `separator`.
pub fn text(value: &Value, separator: &str) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| text(v, separator))
            .collect::<Vec<_>>()
            .join(separator),
        other => other.to_string(),
    }
}

/// A cell as a table shows it: its text, cut to length, with what acts on a terminal
/// escaped. A text cell (nearly every one) is copied once, not once more through [`text`].
fn table_cell(value: &Value) -> String {
    match value {
        Value::String(s) => visible(&cut(s)).into_owned(),
        other => visible(&cut(&text(other, ", "))).into_owned(),
    }
}

/// A cell for Zulip or GitHub: shown as the text it is, never acting. Every ASCII character
/// that starts something in Markdown inside a table cell (links and images `[`, emphasis,
/// `@**all**` mentions, raw HTML and entities, code, Zulip's `$$` math) is backslash-escaped,
/// as CommonMark allows for any ASCII punctuation;
/// characters that act on a terminal show as escapes; long cells are cut.
pub(crate) fn markdown_escape(cell: &str) -> String {
    // A second line indented under the first (a title's team) reads as "title · team".
    let cell = cell.replace("\n  ", " · ").replace(['\n', '\r'], " ");
    let cell = cut(&cell);
    let mut out = String::with_capacity(cell.len() + 8);
    for c in visible(&cell).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '@' | '~' | '&' | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The most characters a table or Markdown cell shows: a longer one is cut, so one huge cell
/// (a 10 MB word) costs no more than its share of the output.
pub const CELL_LIMIT: usize = 300;

/// `text` cut to [`CELL_LIMIT`] characters, saying how much was left out.
pub fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    // No more bytes than the limit, so no more characters.
    if text.len() <= CELL_LIMIT {
        return text.into();
    }
    match text.char_indices().nth(CELL_LIMIT) {
        None => text.into(),
        Some((at, _)) => {
            let rest = text[at..].chars().count();
            format!("{}… ({rest} more characters)", &text[..at]).into()
        }
    }
}

/// A cell from an optional value: null when absent.
pub fn opt<T: ToString>(value: Option<T>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_string()))
}

/// A grid drawn by comfy_table: with a bold header on a terminal that shows colours (the
/// plain ones are drawn by [`grid::Grid::draw`], to the same characters).
fn comfy_table(grid: &grid::Grid<'_>, bold_header: bool) -> String {
    let mut table = Table::new();
    table
        .load_style(grid.style)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(grid.width);
    if bold_header {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(grid.header.iter().map(|h| {
        let cell = Cell::new(h);
        if bold_header {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in grid.rows {
        table.add_row(row.iter().zip(grid.right_aligned).map(|(text, &right)| {
            let cell = Cell::new(text);
            if right {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    for &(pos, percent) in grid.at_least_percent {
        if let Some(column) = table.column_mut(pos) {
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Percentage(percent)));
        }
    }
    for &pos in grid.content_width {
        if let Some(column) = table.column_mut(pos) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    table.to_string()
}

/// A list cell.
pub fn list_of(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::TableStyle;
    use serde_json::json;
    use unicode_width::UnicodeWidthStr;

    fn sample() -> Listing {
        let mut l = Listing::new(&["day", "title", "people"]).hide_for_people(&["day"]);
        l.section("Thursday");
        l.push(vec![json!("thu"), json!("=HYPERLINK(\"x\")"), json!(3)]);
        l.push(vec![json!("thu"), json!("a | b"), json!(["x", "y"])]);
        l
    }

    /// Large tables are made in halves on two cores (`parallel::MANY`): every row once, in order,
    /// with its rule, in columns as wide as the widest cell of either half.
    #[test]
    fn a_table_drawn_in_halves_has_every_row_once_and_in_order() {
        for (rows, row_lines) in [(MANY + 1, true), (MANY * 2, false), (MANY - 1, true)] {
            let mut l = Listing::new(&["id", "title"]);
            l.row_lines = row_lines;
            l.section("All");
            for n in 0..rows {
                // The widest title is in the later half.
                let title = if n == rows - 2 {
                    "a much longer title".into()
                } else {
                    format!("t{n}")
                };
                l.push(vec![json!(format!("r{n:05}")), json!(title)]);
            }
            let text = l.render(Format::Table, Terminal::plain(100));
            let lines: Vec<&str> = text.lines().skip_while(|l| !l.starts_with('╭')).collect();
            let ids: Vec<&str> = lines
                .iter()
                .filter_map(|l| l.split_whitespace().nth(1))
                .filter(|w| w.starts_with('r'))
                .collect();
            let expected: Vec<String> = (0..rows).map(|n| format!("r{n:05}")).collect();
            assert_eq!(ids, expected);
            // Top, header, rule under it, rows with a rule between them if asked, bottom.
            let rules = if row_lines { rows - 1 } else { 0 };
            assert_eq!(lines.len(), 3 + rows + rules + 1, "{rows} rows");
            let width = lines[0].chars().count();
            assert!(lines.iter().all(|l| l.chars().count() == width), "every line as wide");
        }
    }

    #[test]
    fn file_names_stay_in_their_folder_and_never_repeat() {
        let mut names = FileNames::default();
        assert_eq!(
            names.path("rooms", "../etc/passwd"),
            Path::new("rooms/___etc_passwd.ics")
        );
        assert_eq!(
            names.path_with("rooms", "zaal-é", "html"),
            Path::new("rooms/zaal-_.html")
        );
        assert_eq!(
            names.path_with("rooms", "zaal-è", "html"),
            Path::new("rooms/zaal-_-2.html")
        );
        assert_eq!(names.path("teams", ""), Path::new("teams/_.ics"));
    }

    #[test]
    fn csv_is_flat_and_defuses_formulas() {
        assert_eq!(
            sample().csv(),
            "day,title,people\nthu,\"'=HYPERLINK(\"\"x\"\")\",3\nthu,a | b,x;y\n"
        );
    }

    #[test]
    fn json_keeps_values_exact() {
        let v: Value = serde_json::from_str(&sample().json()).unwrap();
        assert_eq!(v[0]["title"], "=HYPERLINK(\"x\")");
        assert_eq!(v[1]["people"], json!(["x", "y"]));
    }

    #[test]
    fn markdown_escapes_pipes_and_uses_headings() {
        let md = sample().markdown();
        assert!(
            md.starts_with("### Thursday\n\n| title | people |\n| --- | --- |\n"),
            "{md}"
        );
        assert!(md.contains("a \\| b"));
    }

    #[test]
    fn footers_wrap_at_spaces() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("a verylongword b", 5), "a\nverylongword\nb");
        assert_eq!(wrap("  aa bb cc", 7), "  aa bb\n  cc");
    }

    /// A grid of these cells (their widest lines in `max`), as a listing would ask for it.
    fn grid<'a>(
        style: TableStyle,
        header: &'a [String],
        rows: &'a [Vec<String>],
        right: &'a [bool],
        max: &'a [usize],
        width: u16,
        constraints: (&'a [(usize, u16)], &'a [usize]),
    ) -> grid::Grid<'a> {
        grid::Grid {
            style,
            header,
            rows,
            right_aligned: right,
            max_widths: max,
            width,
            at_least_percent: constraints.0,
            content_width: constraints.1,
        }
    }

    proptest::proptest! {
        #[test]
        fn grids_match_comfy_table(
            columns in 1usize..6,
            cells in proptest::collection::vec(
                "([a-z0-9éü漢字,.:-]{0,14}( |\n)?){0,4}|[a-zA-Z0-9]{20,45}",
                1..36,
            ),
            right in proptest::collection::vec(proptest::bool::ANY, 6),
            row_lines in proptest::bool::ANY,
            width in 8u16..130,
            wide in proptest::option::of((0usize..6, 10u16..60)),
            unbroken in proptest::collection::vec(0usize..6, 0..3),
        ) {
            let style = if row_lines { presets::UTF8_FULL } else { presets::UTF8_FULL_CONDENSED }
                .with_rounded_corners();
            let header: Vec<String> = (0..columns).map(|i| format!("column {i}")).collect();
            let rows: Vec<Vec<String>> = cells.chunks(columns)
                .filter(|chunk| chunk.len() == columns)
                .map(<[String]>::to_vec)
                .collect();
            let right = &right[..columns];
            let wide: Vec<(usize, u16)> = wide.filter(|(c, _)| *c < columns).into_iter().collect();
            let unbroken: Vec<usize> = unbroken.into_iter().filter(|&c| c < columns).collect();
            let max = grid::max_content_widths(&header, &rows);
            let grid = grid(style, &header, &rows, right, &max, width, (&wide, &unbroken));
            proptest::prop_assert_eq!(grid.draw(), Some(comfy_table(&grid, false)));
        }
    }

    #[test]
    fn grids_wrap_long_cells_as_comfy_table_does() {
        let style = presets::UTF8_FULL.with_rounded_corners();
        let header = vec!["title".to_string(), "n".to_string()];
        let rows = vec![
            vec![
                "Async closures and what they need from the trait solver\n  lang".to_string(),
                "12".to_string(),
            ],
            vec!["Zoë 漢字 verylongwordthatmustbecut".to_string(), "3".to_string()],
        ];
        let max = grid::max_content_widths(&header, &rows);
        let grid = grid(style, &header, &rows, &[false, true], &max, 30, (&[(0, 40)], &[1]));
        let drawn = grid.draw().expect("a full style");
        assert_eq!(drawn, comfy_table(&grid, false));
        assert!(drawn.lines().all(|line| line.width() <= 30), "{drawn}");
        assert_eq!(drawn.lines().nth(3), Some("│ Async closures and    ┆ 12 │"));
    }

    #[test]
    fn table_fits_the_width() {
        let mut l = Listing::new(&["title"]);
        l.push(vec![json!("word ".repeat(40))]);
        let out = l.table(Terminal::plain(40));
        assert!(out.lines().all(|line| line.chars().count() <= 40), "{out}");
    }
}
