//! fairpanel: triage for In-Year Fair Access and allocation panels.
//!
//! The library holds everything; `main.rs` only parses the command line. Layers, from the inside
//! out: the caseload model and its checks (no terminal, no SQL), search, the app state and its
//! pure `update`, the keymap, rendering, and the terminal runtime.

pub mod app;
pub mod calendar;
pub mod caseload;
pub mod cli;
pub mod clock;
pub mod dates;
pub mod diag;
pub mod files;
pub mod form;
pub mod gias;
pub mod keymap;
pub mod log;
pub mod meeting;
pub mod minutes;
pub mod rules;
pub mod runtime;
pub mod search;
pub mod session;
pub mod store;
pub mod synth;
pub mod tally;
pub mod text;
pub mod ui;
pub mod year_group;
