//! The spreadsheet-formula guard (CSV injection): a cell a spreadsheet would evaluate as a
//! formula is written with a leading `'`, and read back without it.
//!
//! A leaf module: the store guards the data files with it, render every CSV it writes.

/// Cells starting with these are evaluated as formulas by spreadsheets (CSV injection).
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
/// What follows a guard `'` that allhands wrote: a trigger, or another `'`.
const GUARDED: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

fn needs_guard(cell: &str) -> bool {
    cell.starts_with(FORMULA_TRIGGERS) || cell.strip_prefix('\'').is_some_and(|rest| rest.starts_with(GUARDED))
}

/// Makes a cell inert for spreadsheets: a cell that would be a formula (or that starts with
/// the guard itself) gets a leading `'`, which spreadsheets show as "this is text".
/// [`unguard`] undoes it exactly, so allhands gives back what was typed.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_guard(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The inverse of [`guard`].
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_round_trips_and_defuses_formulas() {
        for cell in [
            "=1+1", "+x", "-3", "@SUM(1)", "\tx", "'=x", "''", "'", "'Tis", "plain", "", "a=b",
        ] {
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?}");
            assert!(!guard(cell).starts_with(FORMULA_TRIGGERS), "{cell:?}");
        }
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("'Tis"), "'Tis");
    }
}
