//! The domain: the caseload and its calendar, year groups, the events a meeting records and the
//! state they replay to, the rules with their sources, the fair-share tally, the clock, and the
//! meeting view every screen reads. No terminal, no SQL, no files: `crate::log` writes what
//! `Meeting::record` hands it, `crate::io` reads and writes files.

pub mod calendar;
pub mod carry;
pub mod caseload;
pub mod clock;
pub mod dates;
pub mod event;
pub mod letters;
pub mod meeting;
pub mod names;
pub mod problem;
pub mod retention;
pub mod rules;
pub mod state;
pub mod story;
pub mod tally;
pub mod text;
pub mod upn;
pub mod view;
pub mod words;
pub mod year_group;
