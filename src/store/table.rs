//! Reading and writing one CSV file as a spreadsheet would save it.
//!
//! Columns are found by header name (any order, any case); unknown columns are kept; a UTF-8
//! BOM, CRLF line ends and quoted fields with commas or newlines are accepted. Every problem is
//! reported as `FILE:LINE: column COLUMN: what is wrong`.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::formula::{guard, unguard};
use crate::model::{Extra, trimmed};

/// How a file of one kind looks: its name, its columns and which of them must be there.
pub struct Schema {
    pub file: &'static str,
    /// Known columns in the order allhands writes them.
    pub columns: &'static [&'static str],
    pub required: &'static [&'static str],
    /// The columns that identify a record (empty for a file of one row), for merging by record.
    pub key: &'static [&'static str],
}

/// Cells of rows of equal width, all in one buffer: a file's rows cost two growing
/// allocations, not a few per row.
#[derive(Default)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`; a cell starts where the one before it ends.
    ends: Vec<u32>,
}

impl Cells {
    fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends
            .push(u32::try_from(self.text.len()).expect("a data file under 4 GiB"));
    }

    /// Cells from a list of texts (one row), as a file row would have them.
    pub fn of<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Cells {
        let mut row = Cells::default();
        cells.into_iter().for_each(|c| row.push(c.as_ref()));
        row
    }

    /// Cell `i` counted over all rows.
    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// A file's rows as read, with the header as it was (for a CSV file from elsewhere, whose
/// columns are not a data file's).
pub struct Rows {
    /// Column names, normalised (lower case, `_` for spaces).
    pub header: Vec<String>,
    /// The header cells as the file has them.
    pub raw_header: Vec<String>,
    /// Each row's line.
    pub lines: Vec<u64>,
    /// Every row's cells, trimmed, `header.len()` per row.
    pub cells: Cells,
}

impl Rows {
    /// The cells of row `i` (counted from 0 below the header).
    pub fn row(&self, i: usize) -> impl Iterator<Item = &str> {
        let width = self.header.len();
        (i * width..(i + 1) * width).map(|c| self.cells.get(c))
    }
}

/// A record as read, with its fields as text: split by csv, or, in a file without quotes or
/// carriage returns, straight from the line (see [`Scanner::read_plain`]).
///
/// Written by hand over `csv::ByteRecord` rather than using `csv::StringRecord`, which checks
/// every record's bytes for UTF-8 again: [`Scanner::new`] has checked the whole file already,
/// and every row of every command's files went through that second check.
#[derive(Default)]
struct Fields<'t> {
    csv: csv::ByteRecord,
    /// A plain record: its line, where each field ends in it (a delimiter or the line's end)
    /// and the line's number.
    plain: Option<(&'t str, u64)>,
    ends: Vec<u32>,
}

impl<'t> Fields<'t> {
    fn get(&self, i: usize) -> Option<&str> {
        match self.plain {
            Some((line, _)) => {
                let end = *self.ends.get(i)? as usize;
                let start = if i == 0 { 0 } else { self.ends[i - 1] as usize + 1 };
                Some(&line[start..end])
            }
            None => self.csv.get(i).map(Self::text),
        }
    }

    fn len(&self) -> usize {
        match self.plain {
            Some(_) => self.ends.len(),
            None => self.csv.len(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }

    /// A field of a record read from text already checked to be UTF-8 (see [`Scanner::new`]).
    fn text(field: &[u8]) -> &str {
        debug_assert!(std::str::from_utf8(field).is_ok(), "csv split a character");
        // SAFETY: a Scanner's reader reads only `Scanner::text`, a `&str`. csv ends fields only
        // at ASCII bytes (separator, quote, CR, LF) and leaves out only ASCII quote bytes, so a
        // field is whole UTF-8 characters of that text: valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(field) }
    }
}

/// Where a file's columns are, found once per file: each known column's position in the
/// file (if it has it), and the positions of the columns allhands does not know.
pub struct Columns<'a> {
    header: &'a [String],
    known: &'static [&'static str],
    index: Vec<Option<usize>>,
    unknown: Vec<usize>,
    /// The known column after the one last looked up (see [`Columns::position`]).
    next: std::cell::Cell<usize>,
    /// For each known column, the address of the name it was last asked for by: a record's
    /// code asks with its own copy of the name, which is nearly never the schema's.
    asked_at: Vec<std::cell::Cell<usize>>,
}

impl<'a> Columns<'a> {
    pub fn new(header: &'a [String], known: &'static [&'static str]) -> Self {
        Columns {
            header,
            known,
            index: known.iter().map(|k| header.iter().position(|h| h == k)).collect(),
            unknown: (0..header.len())
                .filter(|&i| !known.contains(&header[i].as_str()))
                .collect(),
            next: std::cell::Cell::new(0),
            asked_at: known.iter().map(|_| std::cell::Cell::new(0)).collect(),
        }
    }

    /// The position in the file of `column`.
    fn position(&self, column: &'static str) -> Option<usize> {
        // Records are built reading their columns in the order allhands writes them, so the
        // known column after the last one asked for is nearly always the one asked for now,
        // and asked for by the same static name as last time: the same address and length
        // are the same text, with no compare.
        let next = self.next.get();
        let address = column.as_ptr() as usize;
        let known = match self.known.get(next) {
            Some(k) if self.asked_at[next].get() == address && k.len() == column.len() => Some(next),
            _ => self.known.iter().position(|k| *k == column),
        };
        match known {
            Some(k) => {
                self.next.set(k + 1);
                self.asked_at[k].set(address);
                self.index[k]
            }
            None => self.header.iter().position(|h| h == column),
        }
    }
}

/// One row while it is being turned into a record: cells by column name, errors with place.
pub struct Row<'a> {
    path: &'a Path,
    line: u64,
    columns: &'a Columns<'a>,
    cells: Source<'a>,
}

/// Where a row's cells are.
enum Source<'a> {
    /// In rows read before (from `first` on).
    Cells { cells: &'a Cells, first: usize },
    /// In the record just read, untrimmed.
    Record(&'a Fields<'a>),
}

impl<'a> Row<'a> {
    /// A row of `cells` (one row's) under `columns`, for building a record outside a file
    /// read (a merged record).
    pub fn new(path: &'a Path, line: u64, columns: &'a Columns<'a>, cells: &'a Cells) -> Self {
        Row {
            path,
            line,
            columns,
            cells: Source::Cells { cells, first: 0 },
        }
    }

    pub fn line(&self) -> u64 {
        self.line
    }

    fn cell(&self, i: usize) -> &'a str {
        if i >= self.columns.header.len() {
            return "";
        }
        match self.cells {
            Source::Cells { cells, first } if first + i < cells.len() => unguard(cells.get(first + i)),
            Source::Cells { .. } => "",
            Source::Record(record) => unguard(trimmed(record.get(i).unwrap_or(""))),
        }
    }

    /// The cell in `column`, empty if the file has no such column.
    pub fn get(&self, column: &'static str) -> &'a str {
        self.columns.position(column).map_or("", |i| self.cell(i))
    }

    pub fn error(&self, column: &'static str, message: impl Into<String>) -> Error {
        Error::Data {
            file: self.path.to_path_buf(),
            line: Some(self.line),
            column: Some(column.to_string()),
            message: message.into(),
        }
    }

    /// A cell that must not be empty.
    pub fn required(&self, column: &'static str) -> Result<&'a str> {
        let cell = self.get(column);
        if cell.is_empty() {
            Err(self.error(column, "must not be empty"))
        } else {
            Ok(cell)
        }
    }

    /// Parses a cell with `parse`, turning its message into a located error.
    pub fn parse<T>(&self, column: &'static str, parse: impl FnOnce(&'a str) -> Result<T, String>) -> Result<T> {
        parse(self.get(column)).map_err(|m| self.error(column, m))
    }

    /// Parses a cell that may be empty.
    pub fn optional<T>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&'a str) -> Result<T, String>,
    ) -> Result<Option<T>> {
        let cell = self.get(column);
        if cell.is_empty() {
            Ok(None)
        } else {
            parse(cell).map(Some).map_err(|m| self.error(column, m))
        }
    }

    /// The cells of columns allhands does not know, to be written back unchanged.
    pub fn extra(&self) -> Extra {
        if self.columns.unknown.is_empty() {
            return Extra::new();
        }
        self.columns
            .unknown
            .iter()
            .map(|&i| (self.columns.header[i].clone(), self.cell(i).to_string()))
            .collect()
    }
}

/// Normalises a header cell: trimmed, lower case, spaces as underscores.
pub fn column_name(cell: &str) -> String {
    cell.trim().to_lowercase().replace(' ', "_")
}

/// Reads a CSV file's bytes into rows, checking encoding, quoting, field counts and header.
pub fn parse(path: &Path, bytes: &[u8], schema: &Schema) -> Result<Rows> {
    parse_as(path, bytes, schema, Split::PlainWherePossible)
}

/// How a file's records are split (see [`Scanner::read_plain`]).
#[derive(Clone, Copy, PartialEq)]
enum Split {
    PlainWherePossible,
    /// Always by csv, for tests that compare the two.
    #[cfg(test)]
    Csv,
}

fn parse_as(path: &Path, bytes: &[u8], schema: &Schema, split: Split) -> Result<Rows> {
    let mut scanner = Scanner::new(path, bytes, schema, split)?;
    let mut lines = Vec::new();
    let mut cells = Cells {
        text: String::with_capacity(bytes.len()),
        ends: Vec::with_capacity(scanner.header.len() * scanner.rows_at_most),
    };
    let mut record = Fields::default();
    while let Some(line) = scanner.next_row(&mut record)? {
        record.iter().for_each(|c| cells.push(trimmed(c)));
        lines.push(line);
    }
    let layout = scanner.finish()?;
    Ok(Rows {
        header: layout.header,
        raw_header: layout.raw_header,
        lines,
        cells,
    })
}

/// Reads a CSV file's bytes straight into records with `build`, with the same checks as
/// [`parse`] and the same first problem as reading every row first, but without a copy of the cells:
/// a data file is read this way on every command, and at 80,000 rows the copy was the larger
/// part of the memory a read touched.
pub fn read<T>(
    path: &Path,
    bytes: &[u8],
    schema: &Schema,
    build: impl Fn(&Row<'_>) -> Result<T>,
) -> Result<(Vec<T>, Layout)> {
    let mut scanner = Scanner::new(path, bytes, schema, Split::PlainWherePossible)?;
    let header = scanner.header.clone();
    let columns = Columns::new(&header, schema.columns);
    let mut records = Vec::with_capacity(scanner.rows_at_most);
    // A problem in a record is reported after the file's structural and header problems, as
    // when the rows were read first: the rest of the file is still scanned for those.
    let mut first_problem = None;
    let mut record = Fields::default();
    while let Some(line) = scanner.next_row(&mut record)? {
        if first_problem.is_some() {
            continue;
        }
        let row = Row {
            path,
            line,
            columns: &columns,
            cells: Source::Record(&record),
        };
        match build(&row) {
            Ok(built) => records.push(built),
            Err(problem) => first_problem = Some(problem),
        }
    }
    let layout = scanner.finish()?;
    match first_problem {
        Some(problem) => Err(problem),
        None => Ok((records, layout)),
    }
}

/// One CSV file read row by row: its encoding, quoting and conflict markers checked first,
/// its header read, then each data row with its line; [`Scanner::finish`] checks the header
/// against what the rows held.
struct Scanner<'a> {
    path: &'a Path,
    schema: &'a Schema,
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    lines: LineCounter<'a>,
    delimiter: u8,
    crlf: bool,
    cr: bool,
    bom: bool,
    /// Column names, normalised (see [`column_name`]).
    header: Vec<String>,
    raw_header: Vec<String>,
    /// A row a line, but for fields with line breaks: the most rows the file can have.
    rows_at_most: usize,
    /// The columns without a name in the header, and those some row has a value in.
    unnamed: Vec<usize>,
    unnamed_used: Vec<usize>,
    /// How to read a file without quotes or carriage returns (as allhands writes them); `None`
    /// for a file csv splits.
    plain: Option<Plain<'a>>,
    /// How many fields the first record (the header) has, which every record of a plain file
    /// must have too (csv checks that itself).
    width: Option<usize>,
}

/// Where reading a plain file is (see [`Scanner::read_plain`]).
struct Plain<'a> {
    text: &'a str,
    /// The line ends and delimiters after `at`, in order: found many bytes at a time.
    breaks: memchr::Memchr2<'a>,
    /// The start of the next line, and its number.
    at: usize,
    line: u64,
}

impl<'a> Scanner<'a> {
    fn new(path: &'a Path, bytes: &'a [u8], schema: &'a Schema, split: Split) -> Result<Scanner<'a>> {
        let file_error = |line: Option<u64>, message: String| Error::Data {
            file: path.to_path_buf(),
            line,
            column: None,
            message,
        };
        if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            return Err(file_error(
                Some(1),
                "is UTF-16, not UTF-8 (save the file as \"CSV UTF-8\", or convert it: \
                 iconv -f UTF-16 -t UTF-8 FILE > NEW.csv)"
                    .into(),
            ));
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64;
                return Err(file_error(
                    Some(line),
                    "is not valid UTF-8 (save the file as UTF-8 CSV)".into(),
                ));
            }
        };
        let bom = text.starts_with('\u{feff}');
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // The first line end says how the file ends its lines: CRLF, LF, or (old Mac "CSV") CR.
        let first_end = text.find(['\r', '\n']).map(|i| &text.as_bytes()[i..]);
        let crlf = first_end.is_some_and(|end| end.starts_with(b"\r\n"));
        let cr = first_end.is_some_and(|end| end[0] == b'\r' && !crlf);
        let delimiter = delimiter(text);
        if text.trim().is_empty() {
            return Err(file_error(
                None,
                format!("is empty; expected a header row: {}", schema.columns.join(",")),
            ));
        }
        if let Some(line) = conflict_marker(text) {
            return Err(file_error(
                Some(line),
                "an unresolved git merge conflict (<<<<<<< ours ... >>>>>>> theirs): keep the right line, \
                 delete the other and the marker lines, then `git add` the file"
                    .into(),
            ));
        }
        if let Some(line) = unclosed_quote(text, delimiter) {
            return Err(file_error(
                Some(line),
                "a quoted field opened on this line is never closed (unbalanced \")".into(),
            ));
        }
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(text.as_bytes());
        let mut scanner = Scanner {
            path,
            schema,
            text,
            reader,
            // csv's own line numbers drift on CRLF files, so lines are counted from byte offsets.
            lines: LineCounter::new(text),
            delimiter,
            crlf,
            cr,
            bom,
            header: Vec::new(),
            raw_header: Vec::new(),
            rows_at_most: 0,
            unnamed: Vec::new(),
            unnamed_used: Vec::new(),
            // csv strips a second BOM itself; such a file is left to it.
            plain: (split == Split::PlainWherePossible
                && !text.starts_with('\u{feff}')
                && memchr::memchr2(b'"', b'\r', text.as_bytes()).is_none())
            .then(|| Plain {
                text,
                breaks: memchr::memchr2_iter(b'\n', delimiter, text.as_bytes()),
                at: 0,
                line: 1,
            }),
            width: None,
        };
        let mut record = Fields::default();
        if scanner.read(&mut record)? {
            scanner.header = record.iter().map(column_name).collect();
            scanner.raw_header = record.iter().map(|c| c.trim().to_string()).collect();
            scanner.unnamed = (0..scanner.header.len())
                .filter(|&i| scanner.header[i].is_empty())
                .collect();
            scanner.rows_at_most = memchr::memchr_iter(b'\n', text.as_bytes()).count().min(1 << 22);
        }
        Ok(scanner)
    }

    /// The next record of the file, as csv reads it; `false` at the end.
    fn read(&mut self, record: &mut Fields<'a>) -> Result<bool> {
        if self.plain.is_some() {
            return self.read_plain(record);
        }
        record.plain = None;
        self.reader.read_byte_record(&mut record.csv).map_err(|e| {
            let line = e.position().map(|p| self.lines.line_of(p));
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, pos } => {
                    match pos
                        .as_ref()
                        .and_then(|p| field_running_on(self.text, p.byte(), self.delimiter))
                    {
                        Some(end) => format!(
                            "a quoted field opened on this line runs on to line {} (a stray or \
                             missing \"?), so the row has {len} fields where the header has {expected_len}",
                            self.lines.line_at(end)
                        ),
                        None => format!("has {len} fields, but the header has {expected_len}"),
                    }
                }
                _ => e.to_string(),
            };
            Error::Data {
                file: self.path.to_path_buf(),
                line,
                column: None,
                message,
            }
        })
    }

    /// The next record of a plain file (see [`Scanner::plain`]): its next line that is not
    /// empty, split at each delimiter, as csv would split it. Written by hand because csv's
    /// state machine looks at every byte and copies every field, which was a third of loading
    /// a stress-size folder; a line without quotes needs neither. A test checks that both
    /// read every such text alike, errors included.
    fn read_plain(&mut self, record: &mut Fields<'a>) -> Result<bool> {
        let Some(plain) = &mut self.plain else {
            unreachable!("read_plain reads plain files")
        };
        let text = plain.text;
        loop {
            if plain.at >= text.len() {
                return Ok(false);
            }
            let start = plain.at;
            record.ends.clear();
            let end = loop {
                match plain.breaks.next() {
                    Some(i) if text.as_bytes()[i] == b'\n' => break i,
                    Some(delimiter) => record.ends.push((delimiter - start) as u32),
                    None => break text.len(),
                }
            };
            let number = plain.line;
            (plain.at, plain.line) = (end + 1, number + 1);
            // csv skips empty lines.
            if end == start {
                continue;
            }
            record.ends.push((end - start) as u32);
            record.plain = Some((&text[start..end], number));
            let width = record.ends.len();
            match self.width {
                None => self.width = Some(width),
                Some(expected) if expected != width => {
                    return Err(Error::Data {
                        file: self.path.to_path_buf(),
                        line: Some(number),
                        column: None,
                        message: format!("has {width} fields, but the header has {expected}"),
                    });
                }
                Some(_) => {}
            }
            return Ok(true);
        }
    }

    /// The next data row into `record` (cells untrimmed), and its line; `None` at the end.
    fn next_row(&mut self, record: &mut Fields<'a>) -> Result<Option<u64>> {
        loop {
            if !self.read(record)? {
                return Ok(None);
            }
            // A spreadsheet often saves trailing blank rows as a line of commas: skip those.
            if record.iter().all(|c| trimmed(c).is_empty()) {
                continue;
            }
            // Reported once the whole file has been read, as header problems.
            let used = &mut self.unnamed_used;
            self.unnamed.retain(|&i| {
                let value = record.get(i).is_some_and(|c| !trimmed(c).is_empty());
                if value {
                    used.push(i);
                }
                !value
            });
            return Ok(Some(match record.plain {
                Some((_, line)) => line,
                None => record.csv.position().map_or(0, |p| self.lines.line_of(p)),
            }));
        }
    }

    /// Checks the header against the rows read (a column without a name that holds values,
    /// a name twice, a required column missing) and gives the file's layout.
    fn finish(self) -> Result<Layout> {
        let header_error = |column: Option<String>, message: String| Error::Data {
            file: self.path.to_path_buf(),
            line: Some(1),
            column,
            message,
        };
        let mut seen = HashMap::new();
        for (i, name) in self.header.iter().enumerate() {
            if name.is_empty() && self.unnamed_used.contains(&i) {
                return Err(header_error(
                    None,
                    format!("column {} has no name in the header", i + 1),
                ));
            }
            if seen.insert(name.as_str(), i).is_some() && !name.is_empty() {
                return Err(header_error(None, format!("column {name} appears twice in the header")));
            }
        }
        for column in self.schema.required {
            if !self.header.iter().any(|h| h == column) {
                return Err(header_error(
                    Some(column.to_string()),
                    format!("missing from the header (needed: {})", self.schema.required.join(", ")),
                ));
            }
        }
        Ok(Layout {
            header: self.header,
            raw_header: self.raw_header,
            crlf: self.crlf,
            cr: self.cr,
            bom: self.bom,
            delimiter: self.delimiter,
        })
    }
}

/// The field separator, from the header line: a comma, or the semicolon (Excel in Dutch or
/// German locales) or tab a spreadsheet saved instead, whichever the header has most of.
fn delimiter(text: &str) -> u8 {
    let header = text.split(['\r', '\n']).next().unwrap_or("");
    let count = |d: char| header.matches(d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (count(d as char), d == b','))
        .filter(|&d| count(d as char) > 0)
        .unwrap_or(b',')
}

/// Turns increasing byte offsets into 1-based line numbers in one pass over the text.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
    /// Whether the text has a CR (else csv's own line numbers are right).
    cr: bool,
    /// Whether some line ends with a CR alone (else only LFs need counting).
    cr_alone: bool,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        let text = text.as_bytes();
        let mut crs = memchr::memchr_iter(b'\r', text).peekable();
        let cr = crs.peek().is_some();
        let cr_alone = crs.any(|i| text.get(i + 1) != Some(&b'\n'));
        LineCounter {
            text,
            offset: 0,
            line: 1,
            cr,
            cr_alone,
        }
    }

    /// The line of the record csv read at `position`. csv places a record just after the one
    /// before it, so before any blank lines it skipped: the record starts at the first byte
    /// that ends no line. csv counts the line feeds it reads, which is right for a file that
    /// ends its lines with LF alone (as allhands writes them); a file with a CR is counted here.
    fn line_of(&mut self, position: &csv::Position) -> u64 {
        let from = (position.byte() as usize).min(self.text.len());
        let blank = self.text[from..]
            .iter()
            .take_while(|&&b| matches!(b, b'\n' | b'\r'))
            .count();
        if self.cr {
            self.line_at((from + blank) as u64)
        } else {
            position.line() + blank as u64
        }
    }

    /// The line of the byte at `byte`. csv gives a record after a CRLF the offset of the
    /// `\n`, so that byte itself counts too. A line ends with LF, CRLF or a CR alone.
    fn line_at(&mut self, byte: u64) -> u64 {
        let byte = (byte as usize + 1).min(self.text.len());
        if byte < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let text = self.text;
        let ends = if self.cr_alone {
            (self.offset..byte)
                .filter(|&i| text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n')))
                .count()
        } else {
            count_line_feeds(&text[self.offset..byte])
        };
        self.line += ends as u64;
        self.offset = byte;
        self.line
    }
}

/// How many `\n` bytes `bytes` holds. Asked once per row, of a few dozen bytes: eight bytes
/// at a time in a word (memchr's vector search costs more to set up than such a row takes).
fn count_line_feeds(bytes: &[u8]) -> usize {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const FEEDS: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("eight bytes")) ^ FEEDS;
        // The high bit of each byte that was a `\n` (now zero), exactly: no borrow between bytes.
        let zero_bytes = !(((word & LOW7) + LOW7) | word | LOW7);
        count += zero_bytes.count_ones() as usize;
    }
    count + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The first line of a git conflict block left in the file, if any.
fn conflict_marker(text: &str) -> Option<u64> {
    // A marker is rare: the text is searched for one before it is read line by line.
    memchr::memmem::find(text.as_bytes(), b"<<<<<<<")?;
    let marker = |line: &str| {
        let line = line.trim_end_matches('\r');
        ["<<<<<<<", "=======", ">>>>>>>"].iter().any(|m| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    };
    text.lines().position(marker).map(|i| i as u64 + 1)
}

/// Where the record starting at byte `start` ends, when one of its fields (being quoted) runs
/// over a line end: a quote that opened a field by mistake pairs up with one lines later.
fn field_running_on(text: &str, start: u64, delimiter: u8) -> Option<u64> {
    let rest = text.get(usize::try_from(start).ok()?..)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(rest.as_bytes());
    let mut record = csv::StringRecord::new();
    reader.read_record(&mut record).ok()?;
    let spans_lines = record.iter().any(|field| field.contains(['\n', '\r']));
    // The last byte of the record, before the line end that closes it.
    let end = start + reader.position().byte().saturating_sub(2);
    spans_lines.then_some(end)
}

/// The line on which a never-closed quoted field starts, if any. Only quotes matter, so the
/// text is searched for them; a quote opens a field after a separator or a line end.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<u64> {
    let bytes = text.as_bytes();
    let (mut at, mut opened) = (0, None);
    while let Some(found) = memchr::memchr(b'"', &bytes[at..]) {
        let quote = at + found;
        at = quote + 1;
        match opened {
            None if quote == 0 || matches!(bytes[quote - 1], b'\n' | b'\r') || bytes[quote - 1] == delimiter => {
                opened = Some(quote);
            }
            None => {}
            // `""` inside a quoted field is a quote.
            Some(_) if bytes.get(quote + 1) == Some(&b'"') => at += 1,
            Some(_) => opened = None,
        }
    }
    opened.map(|quote| LineCounter::new(text).line_at(quote as u64))
}

/// The header to write: the columns as the file had them, then any known ones it lacked.
/// A loaded file only gains a known column once some row has a value for it (`in_use`), so
/// that a file without an optional column does not become a whole-file diff.
pub fn output_header(
    schema: &Schema,
    loaded: Option<&[String]>,
    in_use: impl Fn(&str) -> bool,
    extra: impl Iterator<Item = String>,
) -> Vec<String> {
    let mut header: Vec<String> = loaded.map(<[String]>::to_vec).unwrap_or_default();
    header.retain(|h| !h.is_empty());
    for column in schema.columns {
        if !header.iter().any(|h| h == column) && (loaded.is_none() || in_use(column)) {
            header.push(column.to_string());
        }
    }
    for name in extra {
        if !header.contains(&name) {
            header.push(name);
        }
    }
    header
}

/// The shape of a file as loaded: its header, line ends and BOM.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub header: Vec<String>,
    /// The header cells as written in the file, beside `header`.
    pub raw_header: Vec<String>,
    pub crlf: bool,
    pub cr: bool,
    pub bom: bool,
    /// `b','` unless the file used `;` or tab; 0 (not loaded) means a comma.
    pub delimiter: u8,
}

/// Writes rows as CSV bytes (quotes only where needed, formulas guarded), with CRLF line
/// ends and a BOM only if `layout` says the file had them. `cells(row, column)` gives a
/// row's value for a column name. With `mark_rows`, also returns where the header and each
/// row end in the bytes (a merge puts conflict markers around some rows).
pub fn write<T>(
    header: &[String],
    layout: &Layout,
    rows: &[T],
    cells: impl for<'r> Fn(&'r T, &str) -> std::borrow::Cow<'r, str>,
    mark_rows: bool,
) -> (Vec<u8>, Vec<usize>) {
    let mut ends = Vec::new();
    let terminator = if layout.crlf {
        csv::Terminator::CRLF
    } else if layout.cr {
        csv::Terminator::Any(b'\r')
    } else {
        csv::Terminator::Any(b'\n')
    };
    let start = if layout.bom {
        "\u{feff}".as_bytes().to_vec()
    } else {
        Vec::new()
    };
    let delimiter = if layout.delimiter == 0 { b',' } else { layout.delimiter };
    let mut writer = csv::WriterBuilder::new()
        .terminator(terminator)
        .delimiter(delimiter)
        .from_writer(start);
    let result: csv::Result<()> = (|| {
        // Columns keep the names the file gave them ("Dietary Needs" stays so).
        let names = header.iter().map(|h| {
            layout
                .header
                .iter()
                .position(|l| l == h)
                .and_then(|i| layout.raw_header.get(i))
                .unwrap_or(h)
        });
        writer.write_record(names)?;
        if mark_rows {
            writer.flush()?;
            ends.push(writer.get_ref().len());
        }
        for row in rows {
            // Field by field, so that a cell is not copied again on its way in.
            for column in header {
                writer.write_field(guard(&cells(row, column)).as_bytes())?;
            }
            writer.write_record(None::<&[u8]>)?;
            if mark_rows {
                writer.flush()?;
                ends.push(writer.get_ref().len());
            }
        }
        Ok(())
    })();
    result.expect("writing CSV into memory cannot fail");
    (writer.into_inner().expect("in-memory writer"), ends)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: Schema = Schema {
        file: "t.csv",
        columns: &["id", "name"],
        required: &["id"],
        key: &["id"],
    };

    fn rows(text: &str) -> Result<Rows> {
        parse(Path::new("t.csv"), text.as_bytes(), &SCHEMA)
    }

    #[test]
    fn reads_bom_crlf_quotes_and_any_column_order() {
        let r = rows("\u{feff}Name,ID,notes\r\n\"Doe, Jane\",a,\"two\nlines\"\r\n").unwrap();
        assert_eq!(r.header, ["name", "id", "notes"]);
        let cells: Vec<&str> = r.row(0).collect();
        assert_eq!(
            (r.lines.len(), r.lines[0], cells),
            (1, 2, vec!["Doe, Jane", "a", "two\nlines"])
        );
    }

    #[test]
    fn reports_structural_problems_with_lines() {
        let err = |t: &str| rows(t).err().unwrap().to_string();
        assert_eq!(err("id,name\na,b\nc\n"), "t.csv:3: has 1 fields, but the header has 2");
        assert_eq!(
            err("id,name\na,\"b\nc,d\n"),
            "t.csv:2: a quoted field opened on this line is never closed (unbalanced \")"
        );
        assert_eq!(err(""), "t.csv: is empty; expected a header row: id,name");
        assert_eq!(
            err("name\nx\n"),
            "t.csv:1: column id: missing from the header (needed: id)"
        );
        assert_eq!(err("id,id\na,b\n"), "t.csv:1: column id appears twice in the header");
        let bad = parse(Path::new("t.csv"), b"id,name\na,b\xff\n", &SCHEMA).err().unwrap();
        assert_eq!(
            bad.to_string(),
            "t.csv:2: is not valid UTF-8 (save the file as UTF-8 CSV)"
        );
    }

    #[test]
    fn a_git_conflict_left_in_the_file_is_named() {
        let text = "id,name\na,b\n<<<<<<< ours\nc,d\n=======\nc,e\n>>>>>>> theirs\n";
        assert_eq!(
            rows(text).err().unwrap().to_string(),
            "t.csv:3: an unresolved git merge conflict (<<<<<<< ours ... >>>>>>> theirs): keep the right line, \
             delete the other and the marker lines, then `git add` the file"
        );
        assert!(rows("id,name\na,<<<<<<< not a marker\n").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn line_feeds_are_counted_exactly(bytes in proptest::collection::vec(proptest::sample::select(vec![b'\n', b'\r', b'a', 0u8, 0x8a, 0xff, 0x0b, 0x09]), 0..80)) {
            proptest::prop_assert_eq!(count_line_feeds(&bytes), bytes.iter().filter(|&&b| b == b'\n').count());
        }
    }

    proptest::proptest! {
        /// Lines of an LF file come from csv, of a CRLF or CR file from counting: both give
        /// each row the line it starts on, over quoted line breaks, blank and empty rows.
        #[test]
        fn rows_are_on_the_same_lines_whatever_ends_the_lines(
            rows in proptest::collection::vec(proptest::sample::select(vec![
                "a,b", "\"x\ny\",é", "", ",", "c,\"d\"\"\n\n\"", "ß,\"😀\""
            ]), 0..12),
        ) {
            let lf = format!("id,name\n{}\n", rows.join("\n"));
            // The line each row starts on, counted by hand: the header is line 1.
            let mut expected = Vec::new();
            let mut line = 2;
            for row in &rows {
                if !row.trim_matches(',').is_empty() {
                    expected.push(line);
                }
                line += row.matches('\n').count() as u64 + 1;
            }
            for ending in ["\n", "\r\n", "\r"] {
                let text = lf.replace('\n', ending);
                let read = parse(Path::new("t.csv"), text.as_bytes(), &SCHEMA).unwrap();
                proptest::prop_assert_eq!(&read.lines, &expected, "{:?}", ending);
            }
        }
    }

    proptest::proptest! {
        /// A file without quotes or carriage returns is split by hand (`Scanner::read_plain`):
        /// into the same rows, on the same lines, with the same first problem as csv splits it.
        #[test]
        fn plain_files_are_read_as_csv_reads_them(
            header in proptest::sample::select(vec!["id,name", "id;name;x", "id\tname", "id,name,"]),
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "a,b", "a;b;c", "a\tb", "", ",", ",,", ";", " ", "x", "é,ß ", " a , b ", "a,b,c", "=1,'2",
                "\t", "a,,", "<<<<<<< x",
            ]), 0..10),
            end in proptest::sample::select(vec!["", "\n", "\n\n"]),
            leading in proptest::sample::select(vec!["", "\n", "\u{feff}", "\u{feff}\u{feff}", "\u{feff}\u{feff}\n"]),
        ) {
            let text = format!("{leading}{header}\n{}{end}", lines.join("\n"));
            let path = Path::new("t.csv");
            let shown = |read: Result<Rows>| read.map(|r| {
                let cells: Vec<Vec<String>> =
                    (0..r.lines.len()).map(|i| r.row(i).map(str::to_string).collect()).collect();
                (r.header, r.raw_header, r.lines, cells)
            }).map_err(|e| e.to_string());
            let plain = shown(parse_as(path, text.as_bytes(), &SCHEMA, Split::PlainWherePossible));
            let csv = shown(parse_as(path, text.as_bytes(), &SCHEMA, Split::Csv));
            proptest::prop_assert_eq!(plain, csv, "{:?}", text);
        }
    }

    #[test]
    fn escaped_quotes_are_not_unbalanced() {
        assert!(rows("id,name\na,\"say \"\"hi\"\"\"\n").is_ok());
        assert_eq!(unclosed_quote("a,b\"c\n", b','), None);
    }
}
