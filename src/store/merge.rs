//! Three-way merge of one data file by record key: what `allhands merge-file` (the git merge
//! driver) does with the base, ours and theirs versions of a CSV file.
//!
//! Records are matched by their key columns (`Schema::key`), compared without case, so two
//! organizers who each add an attendee next to the same place, or book sessions in adjacent
//! rows, merge cleanly. A record changed on one side takes that change; changed on both sides in
//! different columns, it merges column by column; the same column changed to different values,
//! or a record deleted on one side and changed on the other, is a conflict: that record alone is
//! written in git's conflict-marker form. The result is sorted and written by the store's own
//! writer, keeping unknown columns, the BOM and the line ends.
//!
//! Pure functions over file contents: nothing here reads files or prints.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::table::{self, Cells, Columns, Layout, Row};
use super::{FILES, PUBLISH_FILES, Record, sort_key_cmp, write_records};
use crate::error::{Error, Result};
use crate::formula::guard;
use crate::model::publish::{Published, Version};
use crate::model::{Attendee, Day, EventInfo, Participant, Room, Session, Slot};

/// A merged file: its bytes (with conflict markers where `conflicts` says) and the conflicts.
#[derive(Debug)]
pub struct Merged {
    pub bytes: Vec<u8>,
    pub conflicts: Vec<Conflict>,
}

/// A record the merge could not decide on; the file holds both sides of it between markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The record's key as `column=value` pairs (`handle=alice`), or `the event row`.
    pub key: String,
    pub kind: ConflictKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConflictKind {
    /// Both sides changed these columns to different values: (column, ours, theirs).
    Changed(Vec<(String, String, String)>),
    /// One side deleted the record; the other changed these columns.
    Deleted { by_ours: bool, changed: Vec<String> },
    /// Each side's change is fine alone, but together they make an invalid record.
    Invalid(String),
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ConflictKind::Changed(columns) => {
                let each: Vec<String> = columns
                    .iter()
                    .map(|(column, ours, theirs)| {
                        format!("column {column} changed on both sides (ours: {ours:?}, theirs: {theirs:?})")
                    })
                    .collect();
                write!(f, "{}: {}", self.key, each.join("; "))
            }
            ConflictKind::Deleted { by_ours, changed } => {
                let (deleted, changed_in) = if *by_ours {
                    ("ours", "theirs")
                } else {
                    ("theirs", "ours")
                };
                write!(
                    f,
                    "{}: deleted in {deleted}, changed in {changed_in} (column {})",
                    self.key,
                    changed.join(", ")
                )
            }
            ConflictKind::Invalid(message) => {
                write!(
                    f,
                    "{}: the two sides' changes together are not valid: {message}",
                    self.key
                )
            }
        }
    }
}

/// How one record merges, on cells aligned with one column list.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The merged record, or `None` when it is deleted.
    Clean(Option<Vec<String>>),
    /// Both sides to write between markers (merged as far as possible: the columns that do
    /// not conflict hold the merged value on both sides), and the conflicting columns.
    Conflict {
        ours: Option<Vec<String>>,
        theirs: Option<Vec<String>>,
        columns: Vec<usize>,
    },
}

/// The three-way merge of one record, given its cells in each version (`None`: not there).
pub fn merge_record(base: Option<&[String]>, ours: Option<&[String]>, theirs: Option<&[String]>) -> Outcome {
    let owned = |cells: Option<&[String]>| cells.map(<[String]>::to_vec);
    if ours == theirs || theirs == base {
        return Outcome::Clean(owned(ours));
    }
    if ours == base {
        return Outcome::Clean(owned(theirs));
    }
    let changed = |side: &[String]| -> Vec<usize> {
        (0..side.len())
            .filter(|&i| base.map_or(!side[i].is_empty(), |b| b[i] != side[i]))
            .collect()
    };
    let (ours, theirs) = match (ours, theirs) {
        (Some(ours), Some(theirs)) => (ours, theirs),
        (None, Some(side)) | (Some(side), None) => {
            return Outcome::Conflict {
                ours: owned(ours),
                theirs: owned(theirs),
                columns: changed(side),
            };
        }
        (None, None) => unreachable!("equal sides returned above"),
    };
    let empty = vec![String::new(); ours.len()];
    let base = base.unwrap_or(&empty);
    let mut merged = ours.to_vec();
    let mut columns = Vec::new();
    for i in 0..merged.len() {
        if ours[i] == base[i] {
            merged[i] = theirs[i].clone();
        } else if theirs[i] != base[i] && theirs[i] != ours[i] {
            columns.push(i);
        }
    }
    if columns.is_empty() {
        return Outcome::Clean(Some(merged));
    }
    let mut theirs_side = merged.clone();
    for &i in &columns {
        theirs_side[i] = theirs[i].clone();
    }
    Outcome::Conflict {
        ours: Some(merged),
        theirs: Some(theirs_side),
        columns,
    }
}

/// Merges the three versions of the data file at `path` (its path in the repository, which
/// says which file it is). An empty `base` means the file is new on both sides.
pub fn merge_file(path: &Path, base: &[u8], ours: &[u8], theirs: &[u8]) -> Result<Merged> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let inputs = Inputs {
        path,
        base,
        ours,
        theirs,
    };
    match name.as_str() {
        "event.csv" => merge_typed::<EventInfo>(&inputs),
        "days.csv" => merge_typed::<Day>(&inputs),
        "slots.csv" => merge_typed::<Slot>(&inputs),
        "attendees.csv" => merge_typed::<Attendee>(&inputs),
        "rooms.csv" => merge_typed::<Room>(&inputs),
        "sessions.csv" => merge_typed::<Session>(&inputs),
        "participants.csv" => merge_typed::<Participant>(&inputs),
        // Two organizers who publish the same version number on two laptops conflict on it.
        "versions.csv" => merge_typed::<Version>(&inputs),
        "published.csv" => merge_typed::<Published>(&inputs),
        _ => Err(Error::refused(format!(
            "{}: not an allhands data file (valid: {}, {})",
            path.display(),
            FILES.join(", "),
            PUBLISH_FILES.join(", ")
        ))),
    }
}

struct Inputs<'a> {
    path: &'a Path,
    base: &'a [u8],
    ours: &'a [u8],
    theirs: &'a [u8],
}

/// One version of the file, read as the store reads it.
struct Side<T> {
    records: Vec<T>,
    layout: Option<Layout>,
}

fn read_side<T: Record>(path: &Path, label: &str, bytes: &[u8]) -> Result<Side<T>> {
    if bytes.is_empty() {
        return Ok(Side {
            records: vec![],
            layout: None,
        });
    }
    // Errors name the side: "data/rooms.csv (theirs):4: column capacity: ...".
    let named = PathBuf::from(format!("{} ({label})", path.display()));
    let (records, layout) = table::read(&named, bytes, &T::SCHEMA, T::from_row)?;
    Ok(Side {
        records,
        layout: Some(layout),
    })
}

/// What a file holds after the merge, in file order.
enum Entry<T> {
    Clean(T),
    Conflict { ours: Option<T>, theirs: Option<T> },
}

impl<T: Record> Entry<T> {
    fn first(&self) -> &T {
        match self {
            Entry::Clean(record) => record,
            Entry::Conflict { ours, theirs } => ours.as_ref().or(theirs.as_ref()).expect("a side is there"),
        }
    }
}

fn merge_typed<T: Record>(inputs: &Inputs<'_>) -> Result<Merged> {
    let path = inputs.path;
    let base: Side<T> = read_side(path, "base", inputs.base)?;
    let ours: Side<T> = read_side(path, "ours", inputs.ours)?;
    let theirs: Side<T> = read_side(path, "theirs", inputs.theirs)?;
    let layout = merged_layout(&base, &ours, &theirs);
    // Every column any version has, known ones first: cells are compared column by column.
    let mut columns: Vec<String> = T::SCHEMA.columns.iter().map(|c| c.to_string()).collect();
    for side in [&ours, &theirs, &base] {
        for record in &side.records {
            for name in record.extra().keys() {
                if !columns.contains(name) {
                    columns.push(name.clone());
                }
            }
        }
    }
    let cells = |record: &T| -> Vec<String> { columns.iter().map(|c| record.cell(c).into_owned()).collect() };

    // Each key's record in base, ours and theirs.
    let mut versions: Vec<[Option<&T>; 3]> = Vec::new();
    let mut index: HashMap<(String, usize), usize> = HashMap::new();
    for (side, records) in [&base, &ours, &theirs]
        .into_iter()
        .enumerate()
        .map(|(i, s)| (i, &s.records))
    {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for record in records {
            let key = match_key(record);
            // A key repeated in one version (a `check` problem) pairs by occurrence.
            let nth = seen.entry(key.clone()).or_default();
            let at = *index.entry((key, *nth)).or_insert_with(|| {
                versions.push([None; 3]);
                versions.len() - 1
            });
            *nth += 1;
            versions[at][side] = Some(record);
        }
    }

    // A merged record is checked as the store checks a row; it has no line in any file.
    let known = Columns::new(&columns, T::SCHEMA.columns);
    let build = |cells: &[String]| -> Result<T, String> {
        let record = Cells::of(cells.iter().map(|c| guard(c)));
        T::from_row(&Row::new(path, 0, &known, &record)).map_err(|e| match e {
            Error::Data {
                column: Some(column),
                message,
                ..
            } => format!("column {column}: {message}"),
            other => other.to_string(),
        })
    };
    let mut entries = Vec::new();
    let mut conflicts = Vec::new();
    for [b, o, t] in versions {
        let (bc, oc, tc) = (b.map(cells), o.map(cells), t.map(cells));
        match merge_record(bc.as_deref(), oc.as_deref(), tc.as_deref()) {
            Outcome::Clean(None) => {}
            Outcome::Clean(Some(merged)) => {
                // Taken whole from one side when it is that side's record: no rebuilding.
                let same = [o, t].into_iter().flatten().find(|r| cells(r) == merged);
                match same {
                    Some(record) => entries.push(Entry::Clean(record.clone())),
                    None => {
                        let like = o.or(t).expect("a merged record has a side");
                        match build(&merged) {
                            Ok(record) => entries.push(Entry::Clean(record)),
                            Err(message) => {
                                conflicts.push(Conflict {
                                    key: display_key(like),
                                    kind: ConflictKind::Invalid(message),
                                });
                                entries.push(Entry::Conflict {
                                    ours: o.cloned(),
                                    theirs: t.cloned(),
                                });
                            }
                        }
                    }
                }
            }
            Outcome::Conflict {
                ours: ours_cells,
                theirs: theirs_cells,
                columns: at,
            } => {
                let like = o.or(t).expect("a conflict has a side");
                let kind = match (o, t) {
                    (Some(_), Some(_)) => ConflictKind::Changed(
                        at.iter()
                            .map(|&i| {
                                let value =
                                    |c: &Option<Vec<String>>| c.as_ref().map(|c| c[i].clone()).unwrap_or_default();
                                (columns[i].clone(), value(&oc), value(&tc))
                            })
                            .collect(),
                    ),
                    _ => ConflictKind::Deleted {
                        by_ours: o.is_none(),
                        changed: at.iter().map(|&i| columns[i].clone()).collect(),
                    },
                };
                conflicts.push(Conflict {
                    key: display_key(like),
                    kind,
                });
                // Each side as merged around the conflicting columns; its own record if the
                // mix is not a valid record.
                let side = |cells: Option<Vec<String>>, own: Option<&T>| {
                    cells.map(|c| build(&c).ok().or_else(|| own.cloned()).expect("a side with cells"))
                };
                entries.push(Entry::Conflict {
                    ours: side(ours_cells, o),
                    theirs: side(theirs_cells, t),
                });
            }
        }
    }
    sort_entries(&mut entries, [&base, &ours, &theirs]);
    Ok(Merged {
        bytes: write_entries(&entries, layout.as_ref()),
        conflicts,
    })
}

/// The key a record is matched by: its key columns, without case.
fn match_key<T: Record>(record: &T) -> String {
    T::SCHEMA
        .key
        .iter()
        .map(|c| record.cell(c).to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The key as people read it: `handle=alice`, `session=S001 handle=alice`.
fn display_key<T: Record>(record: &T) -> String {
    if T::SCHEMA.key.is_empty() {
        return "the event row".into();
    }
    let pairs: Vec<String> = T::SCHEMA
        .key
        .iter()
        .map(|c| format!("{c}={}", record.cell(c)))
        .collect();
    pairs.join(" ")
}

/// The merged file's header, line ends and BOM: ours' columns, then any column only theirs
/// added; line ends and BOM as the side that changed them (ours when both did).
fn merged_layout<T>(base: &Side<T>, ours: &Side<T>, theirs: &Side<T>) -> Option<Layout> {
    let (Some(ours_layout), Some(theirs_layout)) = (&ours.layout, &theirs.layout) else {
        return ours.layout.clone().or_else(|| theirs.layout.clone());
    };
    let mut layout = ours_layout.clone();
    for (name, raw) in theirs_layout.header.iter().zip(&theirs_layout.raw_header) {
        if !layout.header.contains(name) {
            layout.header.push(name.clone());
            layout.raw_header.push(raw.clone());
        }
    }
    if let Some(base_layout) = &base.layout {
        if ours_layout.crlf == base_layout.crlf {
            layout.crlf = theirs_layout.crlf;
        }
        if ours_layout.bom == base_layout.bom {
            layout.bom = theirs_layout.bom;
        }
    }
    Some(layout)
}

/// Sorts as the store does: by each record's sort key; slots by the order of their days in
/// the files (the store orders them by the days' dates, which this file does not hold).
fn sort_entries<T: Record>(entries: &mut Vec<Entry<T>>, sides: [&Side<T>; 3]) {
    let mut day_rank: HashMap<String, usize> = HashMap::new();
    if T::SCHEMA.file == "slots.csv" {
        for side in [sides[1], sides[2], sides[0]] {
            for record in &side.records {
                let next = day_rank.len();
                day_rank.entry(record.cell("day").into_owned()).or_insert(next);
            }
        }
    }
    let sort_key = |record: &T| -> Vec<String> {
        let mut key = record.sort_key();
        if let Some(rank) = key.first().and_then(|day| day_rank.get(day)) {
            key[0] = format!("{rank:06}");
        }
        key
    };
    let mut keyed: Vec<(Vec<String>, Entry<T>)> = entries.drain(..).map(|e| (sort_key(e.first()), e)).collect();
    keyed.sort_by(|(x, _), (y, _)| sort_key_cmp(x, y));
    entries.extend(keyed.into_iter().map(|(_, e)| e));
}

/// Writes the entries with the store's writer, then puts markers around each conflict's rows.
fn write_entries<T: Record>(entries: &[Entry<T>], layout: Option<&Layout>) -> Vec<u8> {
    let mut rows: Vec<T> = Vec::new();
    for entry in entries {
        match entry {
            Entry::Clean(record) => rows.push(record.clone()),
            Entry::Conflict { ours, theirs } => rows.extend(ours.iter().chain(theirs).cloned()),
        }
    }
    let (bytes, ends) = write_records(layout, &rows, true);
    let newline: &[u8] = if layout.is_some_and(|l| l.crlf) { b"\r\n" } else { b"\n" };
    let mut out = bytes[..ends[0]].to_vec();
    let mut row = 0;
    let mut take = |out: &mut Vec<u8>, count: usize| {
        let (start, end) = (ends[row], ends[row + count]);
        out.extend_from_slice(&bytes[start..end]);
        row += count;
    };
    let marker = |out: &mut Vec<u8>, text: &str| {
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(newline);
    };
    for entry in entries {
        match entry {
            Entry::Clean(_) => take(&mut out, 1),
            Entry::Conflict { ours, theirs } => {
                marker(&mut out, "<<<<<<< ours");
                take(&mut out, usize::from(ours.is_some()));
                marker(&mut out, "=======");
                take(&mut out, usize::from(theirs.is_some()));
                marker(&mut out, ">>>>>>> theirs");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    fn merge(base: Option<&[&str]>, ours: Option<&[&str]>, theirs: Option<&[&str]>) -> Outcome {
        let (b, o, t) = (base.map(cells), ours.map(cells), theirs.map(cells));
        merge_record(b.as_deref(), o.as_deref(), t.as_deref())
    }

    fn clean(values: &[&str]) -> Outcome {
        Outcome::Clean(Some(cells(values)))
    }

    #[test]
    fn a_change_on_one_side_is_taken() {
        let base: &[&str] = &["a", "1", "x"];
        assert_eq!(
            merge(Some(base), Some(base), Some(&["a", "2", "x"])),
            clean(&["a", "2", "x"])
        );
        assert_eq!(
            merge(Some(base), Some(&["a", "2", "x"]), Some(base)),
            clean(&["a", "2", "x"])
        );
        assert_eq!(merge(Some(base), Some(base), Some(base)), clean(base));
    }

    #[test]
    fn additions_on_either_side_are_kept_and_deletions_taken() {
        assert_eq!(merge(None, Some(&["a", "1"]), None), clean(&["a", "1"]));
        assert_eq!(merge(None, None, Some(&["b", "2"])), clean(&["b", "2"]));
        assert_eq!(merge(None, Some(&["a", "1"]), Some(&["a", "1"])), clean(&["a", "1"]));
        assert_eq!(merge(Some(&["a", "1"]), None, Some(&["a", "1"])), Outcome::Clean(None));
        assert_eq!(merge(Some(&["a", "1"]), None, None), Outcome::Clean(None));
    }

    #[test]
    fn changes_in_different_columns_merge_column_by_column() {
        assert_eq!(
            merge(Some(&["a", "1", "x"]), Some(&["a", "2", "x"]), Some(&["a", "1", "y"])),
            clean(&["a", "2", "y"])
        );
        // The same change on both sides is no conflict.
        assert_eq!(
            merge(Some(&["a", "1", "x"]), Some(&["a", "2", "x"]), Some(&["a", "2", "y"])),
            clean(&["a", "2", "y"])
        );
    }

    #[test]
    fn the_same_column_changed_differently_is_a_conflict_on_that_column() {
        assert_eq!(
            merge(Some(&["a", "1", "x"]), Some(&["a", "2", "z"]), Some(&["a", "3", "x"])),
            Outcome::Conflict {
                ours: Some(cells(&["a", "2", "z"])),
                theirs: Some(cells(&["a", "3", "z"])),
                columns: vec![1],
            }
        );
        // Added on both sides with different values: the differing columns conflict.
        assert_eq!(
            merge(None, Some(&["a", "1", ""]), Some(&["a", "2", "y"])),
            Outcome::Conflict {
                ours: Some(cells(&["a", "1", "y"])),
                theirs: Some(cells(&["a", "2", "y"])),
                columns: vec![1],
            }
        );
    }

    #[test]
    fn deleted_on_one_side_and_changed_on_the_other_is_a_conflict() {
        assert_eq!(
            merge(Some(&["a", "1", "x"]), None, Some(&["a", "1", "y"])),
            Outcome::Conflict {
                ours: None,
                theirs: Some(cells(&["a", "1", "y"])),
                columns: vec![2],
            }
        );
        assert_eq!(
            merge(Some(&["a", "1", "x"]), Some(&["a", "2", "x"]), None),
            Outcome::Conflict {
                ours: Some(cells(&["a", "2", "x"])),
                theirs: None,
                columns: vec![1],
            }
        );
    }

    const HEADER: &str = "handle,name,email,role,teams,days,arrives,leaves,status";

    fn attendees(rows: &[&str]) -> String {
        let mut text = format!("{HEADER}\n");
        for row in rows {
            text += row;
            text += "\n";
        }
        text
    }

    fn merge_texts(file: &str, base: &str, ours: &str, theirs: &str) -> Merged {
        merge_file(Path::new(file), base.as_bytes(), ours.as_bytes(), theirs.as_bytes()).unwrap()
    }

    fn merge_attendees(base: &str, ours: &str, theirs: &str) -> Merged {
        merge_texts("data/attendees.csv", base, ours, theirs)
    }

    const ALICE: &str = "alice,Alice,alice@example.org,member,lang,thu,,,confirmed";
    const BOB: &str = "bob,Bob,,member,,thu,,,invited";
    const CAROL: &str = "carol,Carol,,guest,,fri,,,confirmed";
    const DAVE: &str = "dave,Dave,,member,,thu,,,interested";

    #[test]
    fn adjacent_additions_merge_sorted() {
        let base = attendees(&[ALICE, DAVE]);
        let merged = merge_attendees(
            &base,
            &attendees(&[ALICE, BOB, DAVE]),
            &attendees(&[ALICE, CAROL, DAVE]),
        );
        assert_eq!(merged.conflicts, vec![]);
        assert_eq!(
            String::from_utf8(merged.bytes).unwrap(),
            attendees(&[ALICE, BOB, CAROL, DAVE])
        );
    }

    #[test]
    fn a_conflict_marks_that_record_only() {
        let base = attendees(&[ALICE, BOB, DAVE]);
        let ours = attendees(&[ALICE, &BOB.replace("invited", "confirmed"), DAVE]);
        let theirs = attendees(&[
            ALICE,
            &BOB.replace("invited", "declined").replace("Bob", "Bobby"),
            CAROL,
            DAVE,
        ]);
        let merged = merge_attendees(&base, &ours, &theirs);
        assert_eq!(
            merged.conflicts,
            vec![Conflict {
                key: "handle=bob".into(),
                kind: ConflictKind::Changed(vec![("status".into(), "confirmed".into(), "declined".into())]),
            }]
        );
        assert_eq!(
            merged.conflicts[0].to_string(),
            "handle=bob: column status changed on both sides (ours: \"confirmed\", theirs: \"declined\")"
        );
        let expected = format!(
            "{HEADER}\n{ALICE}\n<<<<<<< ours\nbob,Bobby,,member,,thu,,,confirmed\n=======\n\
             bob,Bobby,,member,,thu,,,declined\n>>>>>>> theirs\n{CAROL}\n{DAVE}\n"
        );
        assert_eq!(String::from_utf8(merged.bytes).unwrap(), expected);
    }

    #[test]
    fn a_conflict_message_shows_control_characters_escaped() {
        // Names refuse control characters on load; a column allhands does not know keeps them.
        let with_note = |note: &str| format!("{HEADER},note\n{ALICE},{note}\n");
        let (base, ours, theirs) = (with_note("x"), with_note("\"a\u{1b}[2J\u{202e}\""), with_note("a\u{7}"));
        let message = merge_attendees(&base, &ours, &theirs).conflicts[0].to_string();
        assert_eq!(
            message,
            "handle=alice: column note changed on both sides (ours: \"a\\u{1b}[2J\\u{202e}\", theirs: \"a\\u{7}\")"
        );
    }

    #[test]
    fn delete_against_change_keeps_the_changed_side_between_markers() {
        let base = attendees(&[ALICE, BOB]);
        let merged = merge_attendees(
            &base,
            &attendees(&[ALICE]),
            &attendees(&[ALICE, &BOB.replace("Bob", "Robert")]),
        );
        assert_eq!(
            merged.conflicts[0].to_string(),
            "handle=bob: deleted in ours, changed in theirs (column name)"
        );
        let text = String::from_utf8(merged.bytes).unwrap();
        assert!(
            text.ends_with("<<<<<<< ours\n=======\nbob,Robert,,member,,thu,,,invited\n>>>>>>> theirs\n"),
            "{text}"
        );
    }

    #[test]
    fn bom_crlf_unknown_columns_and_a_column_added_on_one_side_are_kept() {
        let crlf = |text: &str| format!("\u{feff}{}", text.replace('\n', "\r\n"));
        let base = crlf("id,name,capacity,features,Floor\na,A,8,,1\nc,C,10,,2\n");
        let ours = crlf("id,name,capacity,features,Floor\na,A,9,,1\nc,C,10,,2\n");
        let theirs = crlf("id,name,capacity,features,Floor,Door Code\na,A,8,,1,\nb,B,4,,3,=1+2\nc,C,10,,2,77\n");
        let merged = merge_texts("rooms.csv", &base, &ours, &theirs);
        assert_eq!(merged.conflicts, vec![]);
        assert_eq!(
            String::from_utf8(merged.bytes).unwrap(),
            crlf("id,name,capacity,features,Floor,Door Code\na,A,9,,1,\nb,B,4,,3,'=1+2\nc,C,10,,2,77\n")
        );
    }

    #[test]
    fn changes_that_together_break_a_record_are_a_conflict() {
        let base = "day,date,opens,closes\nthu,2026-05-21,09:00,18:00\n";
        let ours = "day,date,opens,closes\nthu,2026-05-21,12:00,18:00\n";
        let theirs = "day,date,opens,closes\nthu,2026-05-21,09:00,11:00\n";
        let merged = merge_texts("days.csv", base, ours, theirs);
        assert_eq!(merged.conflicts.len(), 1);
        assert!(
            merged.conflicts[0]
                .to_string()
                .contains("closes: 11:00 is not after 12:00"),
            "{}",
            merged.conflicts[0]
        );
        assert_eq!(
            String::from_utf8(merged.bytes).unwrap(),
            format!(
                "day,date,opens,closes\n<<<<<<< ours\nthu,2026-05-21,12:00,18:00\n=======\nthu,2026-05-21,09:00,11:00\n>>>>>>> theirs\n"
            )
        );
    }

    #[test]
    fn slots_keep_the_days_order_and_keys_match_without_case() {
        let base = "day,start,end\nthu,09:00,10:00\nfri,09:00,10:00\n";
        let ours = "day,start,end\nthu,09:00,10:00\nthu,11:00,12:00\nfri,09:00,10:00\n";
        let theirs = "day,start,end\nthu,09:00,10:00\nfri,09:00,10:00\nfri,11:00,12:00\n";
        let merged = merge_texts("slots.csv", base, ours, theirs);
        assert_eq!(
            String::from_utf8(merged.bytes).unwrap(),
            "day,start,end\nthu,09:00,10:00\nthu,11:00,12:00\nfri,09:00,10:00\nfri,11:00,12:00\n"
        );
        let base = attendees(&[ALICE]);
        let theirs = attendees(&[&ALICE.replace("alice,Alice", "Alice,Alice V")]);
        let merged = merge_attendees(&base, &base, &theirs);
        assert_eq!(String::from_utf8(merged.bytes).unwrap(), theirs);
    }

    #[test]
    fn bad_input_names_the_side_file_and_line() {
        let bad = attendees(&[ALICE, "bob,Bob,,chief,,thu,,,confirmed"]);
        let err = merge_file(
            Path::new("data/attendees.csv"),
            attendees(&[ALICE]).as_bytes(),
            attendees(&[ALICE]).as_bytes(),
            bad.as_bytes(),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("data/attendees.csv (theirs):3: column role:"),
            "{err}"
        );
        let err = merge_file(Path::new("notes.csv"), b"", b"", b"").unwrap_err();
        assert!(err.to_string().contains("not an allhands data file"), "{err}");
    }
}
