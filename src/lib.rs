//! fairpanel: triage for In-Year Fair Access and allocation panels.
//!
//! The library holds everything; `main.rs` only calls `cli::main`. The parts, and the imports
//! that must never exist between them, are in `docs/architecture.md` (a test holds the code to
//! it): `domain` (no terminal, no SQL, no files), `log` (the only SQL), `io` (files in and out),
//! `search`, `app` (state and `update`, which returns effects), `ui` (draws), and the face:
//! `cli` and `runtime` (which performs the effects).

pub mod app;
pub mod cli;
pub mod domain;
pub mod io;
pub mod log;
pub mod runtime;
pub mod search;
pub mod ui;
