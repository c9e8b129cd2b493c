//! The embedded demo panel: real Walsall schools (from GIAS), invented pupils.

use crate::io::caseload::{Loaded, parse};

/// The demo caseload's JSON, compiled into the binary.
pub const DEMO_CASELOAD: &str = include_str!("../../fixtures/demo-walsall.json");

/// The demo caseload, checked like any other. `Err` is a bug in this build (a test proves the
/// embedded file is valid).
pub fn load() -> Result<Loaded, Vec<crate::domain::problem::Problem>> {
    parse(DEMO_CASELOAD)
}
