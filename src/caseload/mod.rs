//! The caseload: its format, how it is read, and what it must satisfy.

pub mod checks;
pub mod load;
pub mod model;

pub use load::{Loaded, parse};
pub use model::Caseload;

use std::path::Path;

use crate::diag::Problem;

/// Why a caseload could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The file could not be read at all.
    Io(String),
    /// The file was read and is invalid; every problem found.
    Invalid(Vec<Problem>),
}

/// Reads a caseload file (UTF-8, with or without a BOM).
pub fn open(path: &Path) -> Result<Loaded, OpenError> {
    open_with_text(path).map(|(l, _)| l)
}

/// Reads a caseload once and returns its text too: the decision log stores exactly the bytes
/// that were checked (a second read could see a file edited in between).
pub fn open_with_text(path: &Path) -> Result<(Loaded, String), OpenError> {
    let shown = crate::text::escape(&path.display().to_string()).into_owned();
    let bytes = std::fs::read(path).map_err(|e| {
        OpenError::Io(format!(
            "{shown}: cannot read the caseload: {e}; check the path"
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        OpenError::Io(format!(
            "{shown}: not UTF-8 text (first bad byte at offset {}); save the caseload as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let loaded = parse(&text).map_err(OpenError::Invalid)?;
    Ok((loaded, text))
}

/// The JSON Schema of format v1, generated from the same types the loader uses, so the two
/// cannot disagree; `fixtures/caseload.schema.json` is this text (tests/schema.rs).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Caseload);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
