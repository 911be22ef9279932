//! Which column of a form or spreadsheet is which field: guessed from the headers, or named
//! with `--map COLUMN=FIELD`. The imports of people, proposals and interest share it.

use crate::error::{Error, Result};

/// How a form's columns become fields: the fields there are, a guess from each header, and
/// the fields the form must have (`a|b`: one of them).
pub struct Columns {
    pub fields: &'static [&'static str],
    pub guess: fn(&str) -> Option<&'static str>,
    pub needed: &'static [&'static str],
}

/// The field of each column: from --map, else guessed from the header.
pub fn map_columns(header: &[String], maps: &[String], columns: &Columns) -> Result<Vec<Option<&'static str>>> {
    let mut fields: Vec<Option<&'static str>> = header.iter().map(|h| (columns.guess)(h)).collect();
    for map in maps {
        let (column, field) = map
            .rsplit_once('=')
            .ok_or_else(|| Error::refused(format!("--map '{map}' is not COLUMN=FIELD")))?;
        let field = columns
            .fields
            .iter()
            .find(|f| **f == field.trim().to_lowercase())
            .ok_or_else(|| {
                Error::refused(format!(
                    "--map '{map}': unknown field '{field}' (valid: {})",
                    columns.fields.join(", ")
                ))
            })?;
        let i = header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(column.trim()))
            .ok_or_else(|| {
                Error::refused(format!(
                    "--map '{map}': the file has no column '{column}' (columns: {})",
                    header.join(", ")
                ))
            })?;
        fields[i] = Some(field);
    }
    for needed in columns.needed {
        if !needed.split('|').any(|n| fields.contains(&Some(n))) {
            let first = needed.split('|').next().unwrap_or(needed);
            return Err(Error::refused(format!(
                "no column for {} in the form (columns: {}); name it with --map \"COLUMN={first}\"",
                needed.replace('|', " or "),
                header.join(", ")
            )));
        }
    }
    Ok(fields)
}
