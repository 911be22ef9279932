//! Tables for people drawn exactly as comfy_table draws them with its dynamic arrangement:
//! columns sized to the terminal, long cells wrapped at spaces, the same borders.
//!
//! Written by hand because comfy_table costs about 25,000 instructions a row whatever the
//! content (a `Cell` of owned lines per cell, a width measured three times, a `String` per
//! padded line): drawing 10,000 attendees took two thirds of `attendees`' time. This module
//! does the same arrangement with one measure per line and writes straight into the output.
//! The arrangement (`arrange`) and the wrapping (`split_line`) follow comfy_table 8's
//! `utils::arrangement::dynamic` and `utils::formatting::content_split` step by step, so that
//! the test `grids_match_comfy_table` can hold the two equal on random tables; comfy_table
//! still draws styled (coloured) tables.

use std::iter::repeat_n;

use comfy_table::{ContentLineStyle, LineStyle, TableStyle};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What to draw: the cells (each may hold several lines), how wide the terminal is, and the
/// two column constraints listings use.
pub struct Grid<'a> {
    pub style: TableStyle,
    pub header: &'a [String],
    pub rows: &'a [Vec<String>],
    pub right_aligned: &'a [bool],
    /// Each column's widest line, header included ([`max_content_widths`]).
    pub max_widths: &'a [usize],
    /// The table's whole width, borders included.
    pub width: u16,
    /// Columns that get at least this many percent of the width (comfy_table's
    /// `LowerBoundary(Width::Percentage(..))`), unless also in `content_width`.
    pub at_least_percent: &'a [(usize, u16)],
    /// Columns kept at their content's width (comfy_table's `ContentWidth`).
    pub content_width: &'a [usize],
}

/// One space either side of every cell's text.
const PADDING: usize = 2;

/// A column's arranged content width (without padding), once decided.
type Widths = Vec<Option<usize>>;

/// The widest line of each column, header included (at least 1, as comfy_table counts).
pub fn max_content_widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths = vec![1usize; header.len()];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(widest_line(cell));
        }
    }
    widths
}

fn widest_line(cell: &str) -> usize {
    cell.split('\n').map(text_width).max().unwrap_or(0)
}

/// Display width; printable ASCII (nearly every cell) is one column a byte.
fn text_width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        text.len()
    } else {
        text.width()
    }
}

impl Grid<'_> {
    /// The table as comfy_table would print it (lines joined, no final newline), or `None` for
    /// a style without every border piece (comfy_table then draws it).
    pub fn draw(&self) -> Option<String> {
        let style = self.style;
        let rules = [style.top_border, style.header_separator, style.bottom_border];
        let content = [style.header_lines, style.content_lines];
        if rules
            .iter()
            .any(|r| r.left.is_none() || r.fill.is_none() || r.junction.is_none() || r.right.is_none())
            || content
                .iter()
                .any(|c| c.left.is_none() || c.junction.is_none() || c.right.is_none())
        {
            return None;
        }
        let widths = self.arrange(self.max_widths);
        let mut out = String::with_capacity(self.rows.len() * 2 * (usize::from(self.width) + 8));
        rule(&mut out, style.top_border, &widths);
        self.row(&mut out, style.header_lines, self.header, &widths, false);
        rule(&mut out, style.header_separator, &widths);
        let separated = style.row_separator != LineStyle::none();
        // The rows from `first` on, into `out`.
        let draw_rows = |out: &mut String, rows: &[Vec<String>], first: usize| {
            for (n, row) in (first..).zip(rows) {
                if n > 0 && separated {
                    rule(out, style.row_separator, &widths);
                }
                self.row(out, style.content_lines, row, &widths, true);
            }
        };
        // Thousands of rows (every attendee of a large event) are drawn in two halves side by
        // side, the later half into a text of its own.
        if self.rows.len() >= crate::parallel::MANY {
            let half = self.rows.len() / 2;
            let ((), late) = crate::parallel::join(
                || draw_rows(&mut out, &self.rows[..half], 0),
                || {
                    let mut late = String::with_capacity((self.rows.len() - half) * 2 * (usize::from(self.width) + 8));
                    draw_rows(&mut late, &self.rows[half..], half);
                    late
                },
            );
            out += &late;
        } else {
            draw_rows(&mut out, self.rows, 0);
        }
        rule(&mut out, style.bottom_border, &widths);
        out.pop();
        Some(out)
    }

    /// Each column's content width: comfy_table's `arrange_content` for a table with a width,
    /// dynamic arrangement, padding 1 and 1, and only the two constraints above.
    fn arrange(&self, max: &[usize]) -> Vec<usize> {
        let columns = max.len();
        let borders = columns + 1;
        let mut widths: Widths = vec![None; columns];
        // Initial constraints (comfy_table's `constraint::evaluate`).
        for (column, &max_width) in max.iter().enumerate() {
            if self.content_width.contains(&column) {
                widths[column] = Some(max_width);
            }
            if let Some(min) = self.at_least(column, borders)
                && max_width + PADDING <= min
            {
                widths[column] = Some(min.saturating_sub(PADDING).max(1));
            }
        }
        let mut remaining_width = usize::from(self.width).saturating_sub(borders);
        for width in &widths {
            remaining_width = remaining_width.saturating_sub(width.map_or(PADDING, |w| w + PADDING));
        }
        let mut state = State {
            widths,
            remaining_width,
            remaining_columns: 0,
        };
        state.remaining_columns = state.widths.iter().filter(|w| w.is_none()).count();
        // Lower boundaries that the average would not give.
        state.fix_in_passes(false, |state, column| {
            let min = self.at_least(column, borders)?;
            (state.average() < min).then(|| min.saturating_sub(PADDING).max(1))
        });
        // Columns whose content fits in the average space keep their content's width.
        state.fix_in_passes(true, |state, column| {
            (max[column] <= state.average()).then_some(max[column])
        });
        // Columns whose wrapped content would leave room: as wide as their longest wrapped line.
        state.fix_in_passes(false, |state, column| {
            let average = state.average();
            let longest = self.longest_line_after_split(average, column);
            (average.saturating_sub(longest) >= 3).then_some(longest)
        });
        if state.remaining_columns > 0 {
            // The rest share what is left evenly, the first ones a column more.
            let remaining = state.remaining_width.max(state.remaining_columns);
            let (each, excess) = (remaining / state.remaining_columns, remaining % state.remaining_columns);
            for (n, width) in state.widths.iter_mut().filter(|w| w.is_none()).enumerate() {
                *width = Some(if n < excess { each + 1 } else { each });
            }
        }
        // comfy_table keeps widths as u16.
        state
            .widths
            .into_iter()
            .map(|w| w.unwrap_or(1).min(usize::from(u16::MAX)))
            .collect()
    }

    /// The least width (padding included) `column` must get, if it has such a constraint.
    fn at_least(&self, column: usize, borders: usize) -> Option<usize> {
        // A column has one constraint in comfy_table: kept at its content's width, it has no other.
        if self.content_width.contains(&column) {
            return None;
        }
        let &(_, percent) = self.at_least_percent.iter().find(|(c, _)| *c == column)?;
        let width = usize::from(self.width).saturating_sub(borders);
        Some((width * usize::from(percent.min(100)) / 100).min(usize::from(u16::MAX)))
    }

    fn longest_line_after_split(&self, average: usize, column: usize) -> usize {
        let cells = std::iter::once(self.header).chain(self.rows.iter().map(Vec::as_slice));
        let mut longest = 0;
        for cell in cells.filter_map(|row| row.get(column)) {
            for line in cell.split('\n') {
                let width = text_width(line);
                if width > average {
                    for part in split_line(line, average) {
                        longest = longest.max(text_width(&part));
                    }
                } else {
                    longest = longest.max(width);
                }
            }
        }
        longest.min(usize::from(u16::MAX))
    }

    /// One row: its cells wrapped to their columns, as many lines as the tallest cell.
    fn row(&self, out: &mut String, style: ContentLineStyle, cells: &[String], widths: &[usize], align: bool) {
        let (left, junction, right) = (
            style.left.unwrap_or(' '),
            style.junction.unwrap_or(' '),
            style.right.unwrap_or(' '),
        );
        let right_aligned = |column: usize| align && self.right_aligned.get(column).copied().unwrap_or(false);
        let padded = |out: &mut String, line: &str, width: usize, right: bool| {
            let pad = width.saturating_sub(text_width(line));
            let (before, after) = if right { (pad, 0) } else { (0, pad) };
            out.extend(repeat_n(' ', 1 + before));
            out.push_str(line);
            out.extend(repeat_n(' ', after + 1));
        };
        // Most rows are one line that fits: drawn without splitting their cells.
        if (cells.iter().zip(widths)).all(|(cell, &width)| !cell.contains('\n') && text_width(cell) <= width) {
            out.push(left);
            for (column, (cell, &width)) in cells.iter().zip(widths).enumerate() {
                if column > 0 {
                    out.push(junction);
                }
                padded(out, cell, width, right_aligned(column));
            }
            out.push(right);
            out.push('\n');
            return;
        }
        let lines: Vec<Vec<std::borrow::Cow<'_, str>>> = (cells.iter().zip(widths))
            .map(|(cell, &width)| {
                let mut lines = Vec::new();
                for line in cell.split('\n') {
                    if text_width(line) > width {
                        lines.extend(split_line(line, width).into_iter().map(std::borrow::Cow::Owned));
                    } else {
                        lines.push(std::borrow::Cow::Borrowed(line));
                    }
                }
                lines
            })
            .collect();
        let height = lines.iter().map(Vec::len).max().unwrap_or(0);
        for n in 0..height {
            out.push(left);
            for (column, (cell, &width)) in lines.iter().zip(widths).enumerate() {
                if column > 0 {
                    out.push(junction);
                }
                match cell.get(n) {
                    Some(line) => padded(out, line, width, right_aligned(column)),
                    None => out.extend(repeat_n(' ', width + PADDING)),
                }
            }
            out.push(right);
            out.push('\n');
        }
    }
}

/// The arrangement so far: decided widths, and what is left for the others.
struct State {
    widths: Widths,
    remaining_width: usize,
    remaining_columns: usize,
}

impl State {
    fn average(&self) -> usize {
        self.remaining_width.checked_div(self.remaining_columns).unwrap_or(0)
    }

    /// comfy_table's passes over the undecided columns, in order, each fixed at the width
    /// `width` gives it (if any), until a pass fixes none or no column is left; with `need_space`,
    /// also once no space is left to share.
    fn fix_in_passes(&mut self, need_space: bool, mut width: impl FnMut(&State, usize) -> Option<usize>) {
        let mut fixed = true;
        while fixed && self.remaining_columns > 0 && !(need_space && self.average() == 0) {
            fixed = false;
            for column in 0..self.widths.len() {
                if self.widths[column].is_some() {
                    continue;
                }
                if let Some(decided) = width(self, column) {
                    fixed = true;
                    if !self.fix(column, decided) {
                        break;
                    }
                }
            }
        }
    }

    /// Decides a column; whether any are left.
    fn fix(&mut self, column: usize, width: usize) -> bool {
        self.widths[column] = Some(width);
        self.remaining_width = self.remaining_width.saturating_sub(width);
        self.remaining_columns -= 1;
        self.remaining_columns > 0
    }
}

/// A border or separator line across the columns.
fn rule(out: &mut String, line: LineStyle, widths: &[usize]) {
    let (left, fill, junction, right) = (
        line.left.unwrap_or(' '),
        line.fill.unwrap_or(' '),
        line.junction.unwrap_or(' '),
        line.right.unwrap_or(' '),
    );
    out.push(left);
    for (i, &width) in widths.iter().enumerate() {
        if i > 0 {
            out.push(junction);
        }
        out.extend(repeat_n(fill, width + PADDING));
    }
    out.push(right);
    out.push('\n');
}

/// The fewest characters a wrapped line leaves free before a word goes to the next line.
const MIN_FREE_CHARS: usize = 2;

/// A line too wide for `width` in lines that fit: at spaces, and long words cut (comfy_table's
/// `split_line` with a space as delimiter).
fn split_line(line: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut elements: Vec<std::borrow::Cow<'_, str>> = line.split(' ').map(std::borrow::Cow::Borrowed).collect();
    elements.reverse();
    let mut current = String::new();
    let mut current_width = 0;
    while let Some(next) = elements.pop() {
        let next_width = text_width(&next);
        let mut added = next_width + current_width;
        if !current.is_empty() {
            added += 1;
        }
        let mut remaining = width - current_width;
        if !current.is_empty() {
            remaining = remaining.saturating_sub(1);
        }
        if added <= width {
            if !current.is_empty() {
                current.push(' ');
                current_width += 1;
            }
            current.push_str(&next);
            current_width += next_width;
            (current, current_width) = full_line(&mut lines, width, current, current_width);
            continue;
        }
        if !current.is_empty() && remaining <= MIN_FREE_CHARS {
            elements.push(next);
            lines.push(std::mem::take(&mut current));
            current_width = 0;
            continue;
        }
        if next_width > width {
            let new_line = current.is_empty();
            if !new_line {
                current.push(' ');
            }
            let (head, tail) = split_long_word(remaining, &next);
            if new_line && head.is_empty() {
                let mut chars = tail.chars();
                current.extend(chars.next());
                elements.push(std::borrow::Cow::Owned(chars.collect()));
            } else {
                current.push_str(head);
                elements.push(std::borrow::Cow::Owned(tail.to_string()));
            }
            lines.push(std::mem::take(&mut current));
            current_width = 0;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        current = next.into_owned();
        current_width = next_width;
        (current, current_width) = full_line(&mut lines, width, current, current_width);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// A line within two characters of the width is done.
fn full_line(lines: &mut Vec<String>, width: usize, current: String, current_width: usize) -> (String, usize) {
    if current_width > width.saturating_sub(MIN_FREE_CHARS) {
        lines.push(current);
        return (String::new(), 0);
    }
    (current, current_width)
}

/// A word cut at `width` columns (at a grapheme boundary).
fn split_long_word(width: usize, word: &str) -> (&str, &str) {
    if word.bytes().all(|byte| (0x20..0x7f).contains(&byte)) {
        return word.split_at(word.len().min(width));
    }
    let mut current = 0;
    let mut at = word.len();
    for (index, grapheme) in word.grapheme_indices(true) {
        let grapheme_width = grapheme.width();
        if current + grapheme_width > width {
            at = index;
            break;
        }
        current += grapheme_width;
    }
    word.split_at(at)
}
