//! The integration tests: one crate (one link step, one set of helpers), a module per area,
//! as ripgrep's tests/tests.rs. Each module runs the built `allhands` binary on a copy of a
//! data folder.

mod common;

mod agenda;
mod booking;
mod broken_data;
mod concurrency;
mod data_files;
mod durability;
mod exports;
mod formulas;
mod frab;
mod fuzz_load;
mod html;
mod import;
mod import_interest;
mod import_sessions;
mod merge;
mod organizers;
mod people;
mod plan;
mod publish;
mod rooms;
mod safety;
mod scheduling;
mod sessions;
mod setup;
mod shell;
mod snapshots;
mod venue;
