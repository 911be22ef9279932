//! The sample event (Rust All Hands 2026), built into the binary so that
//! `allhands init DIR --sample` works from an installed binary with no checkout.

use std::path::Path;

use crate::error::Result;

/// The sample's files, exactly as shipped in the repository's `data/`.
pub const FILES: [(&str, &str); 7] = [
    ("event.csv", include_str!("../../data/event.csv")),
    ("days.csv", include_str!("../../data/days.csv")),
    ("slots.csv", include_str!("../../data/slots.csv")),
    ("attendees.csv", include_str!("../../data/attendees.csv")),
    ("rooms.csv", include_str!("../../data/rooms.csv")),
    ("sessions.csv", include_str!("../../data/sessions.csv")),
    ("participants.csv", include_str!("../../data/participants.csv")),
];

/// Writes the sample into `dir` (which must not hold an event yet).
pub fn write(dir: &Path) -> Result<()> {
    let _lock = super::new_folder(dir)?;
    let mut files: Vec<(&str, Vec<u8>)> = FILES.iter().map(|(n, t)| (*n, t.as_bytes().to_vec())).collect();
    files.extend(super::git_files(dir)?);
    super::atomic::commit(dir, &files)
}
