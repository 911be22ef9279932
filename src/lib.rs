//! allhands: the organizers' tool for a multi-day, in-person project meeting.
//!
//! Data flows one way: [`cmd`] loads through [`store`], works on [`model`] values (and
//! [`plan`]), prints through [`render`], saves through [`store`].

pub mod cmd;
pub mod error;
pub mod formula;
pub mod generate;
pub mod import;
pub mod model;
mod parallel;
pub mod plan;
pub mod render;
mod rng;
pub mod store;

pub use error::{Error, Result};
