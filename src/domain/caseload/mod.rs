//! The caseload: one meeting's panel, calendar, schools, cases and free places (format
//! `fairpanel-caseload/1`), and the cross-checks a typed caseload must pass. Reading it from a
//! file is `crate::io::caseload`'s job.

pub mod checks;
pub mod lines;
pub mod model;

pub use model::*;
