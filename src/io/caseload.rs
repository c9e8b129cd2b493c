//! Reading a caseload file so that it either loads whole or not at all, with every problem found
//! in one run.
//!
//! The fast path is one `serde_json` pass into the typed model. Only when that fails do we pay for
//! a second pass: the document is read as untyped JSON, each school, case and provision is typed on
//! its own, and a field that fails is reported and taken out so the next problem in the same item
//! shows too. Positions come from a syntax tree that keeps node ranges (jsonc-parser), built only
//! when there is something to report.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::caseload::checks;
use crate::domain::caseload::{
    Case, Caseload, DUPLICATE_KEY, Provision, READS, School, reads_format,
};
use crate::domain::problem::{JsonPath, MAX_REPORTED, Problem, Seg};
use crate::io::diag::Locator;

/// The largest caseload file read: 512 MB, about 300,000 cases written out in full (100,000
/// cases open in well under a second; a 1,000,000-case file is refused at once rather than
/// taking minutes and gigabytes).
pub const MAX_BYTES: u64 = 512_000_000;

/// Why a caseload file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum CaseloadError {
    /// The file could not be read at all.
    #[error("{}: cannot read the caseload: {source}; check the path", .path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not UTF-8 text (first bad byte at offset {offset}); save the caseload as UTF-8", .path.display())]
    NotUtf8 { path: PathBuf, offset: usize },
    /// Refused before reading: larger than any panel's caseload.
    #[error("{}: the file is {} MB; fairpanel reads caseloads up to {} MB (about 300,000 cases, far beyond a decade of any panel): split it, one caseload per panel and meeting", .path.display(), .bytes / 1_000_000, MAX_BYTES / 1_000_000)]
    TooLarge { path: PathBuf, bytes: u64 },
    /// The file was read and is invalid: every problem found, at least one an error.
    #[error("{}: {}: nothing was loaded; fix the errors above and try again", .path.display(), counts(.problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

/// "2 errors, 1 warning".
pub fn counts(problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == crate::domain::problem::Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    )
}

/// Reads a caseload file once (UTF-8, with or without a BOM) and returns its text too: the
/// decision log stores exactly the bytes that were checked (a second read could see a file
/// edited in between).
pub fn open(path: &Path) -> Result<(Loaded, String), CaseloadError> {
    if let Ok(m) = std::fs::metadata(path)
        && m.len() > MAX_BYTES
    {
        return Err(CaseloadError::TooLarge {
            path: path.to_owned(),
            bytes: m.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| CaseloadError::Unreadable {
        path: path.to_owned(),
        source: e,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| CaseloadError::NotUtf8 {
        path: path.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let loaded = parse(&text).map_err(|problems| CaseloadError::Invalid {
        path: path.to_owned(),
        problems,
    })?;
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

/// A caseload that passed every check, with the warnings it raised.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub caseload: Caseload,
    pub warnings: Vec<Problem>,
}

/// Parses and cross-checks caseload text. `Err` holds every problem (errors and warnings), at
/// least one of them an error.
pub fn parse(text: &str) -> Result<Loaded, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Caseload>(text) {
        Ok(caseload) => {
            let findings = checks::check(&caseload);
            if findings.is_empty() {
                return Ok(Loaded {
                    caseload,
                    warnings: Vec::new(),
                });
            }
            let loc = Locator::new(text);
            let problems: Vec<Problem> = findings
                .into_iter()
                .map(|f| f.problem.at(loc.locate(&f.path)))
                .collect();
            if problems
                .iter()
                .any(|p| p.severity == crate::domain::problem::Severity::Error)
            {
                Err(problems)
            } else {
                Ok(Loaded {
                    caseload,
                    warnings: problems,
                })
            }
        }
        Err(e) if e.is_syntax() || e.is_eof() => Err(vec![syntax_problem(text, &e)]),
        Err(e) => {
            // A key given twice fails the typed pass (serde refuses a struct's field twice, the
            // model's maps refuse a key twice), so the scan that says where costs nothing on a
            // good file.
            let duplicates = duplicate_problems(text);
            if !duplicates.is_empty() {
                return Err(duplicates);
            }
            let mut problems = recover(text);
            if problems.is_empty() {
                // The typed pass failed but the item-by-item pass found nothing: report what the
                // first pass said, without its value.
                let loc = Locator::new(text);
                let at = loc.lines().from_line_byte_column(e.line(), e.column());
                problems
                    .push(Problem::error("(document)", safe_message(&e.to_string())).at(Some(at)));
            }
            Err(problems)
        }
    }
}

/// Every key given twice in one object, at the second, with its path (io::json::duplicate_keys).
fn duplicate_problems(text: &str) -> Vec<Problem> {
    let found = crate::io::json::duplicate_keys(text);
    if found.is_empty() {
        return Vec::new();
    }
    let lines = crate::io::diag::LineIndex::new(text);
    found
        .into_iter()
        .map(|(path, at)| Problem::error(path, DUPLICATE_KEY).at(Some(lines.pos(at))))
        .collect()
}

fn syntax_problem(text: &str, e: &serde_json::Error) -> Problem {
    let lines = crate::io::diag::LineIndex::new(text);
    let msg = e.to_string();
    let what = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(what, _)| what);
    let what = if e.is_eof() {
        "the file ends too early".to_owned()
    } else {
        what.to_owned()
    };
    Problem::error(
        "(document)",
        format!("not valid JSON: {what}; fix the JSON syntax here"),
    )
    .at(Some(lines.from_line_byte_column(e.line(), e.column())))
}

/// The item-by-item pass: every type problem in the document, up to the report cap.
fn recover(text: &str) -> Vec<Problem> {
    let mut root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![syntax_problem(text, &e)],
    };
    let loc = Locator::new(text);
    let mut out = Vec::new();
    if let Some(f) = root.get("format")
        && !f.as_str().is_some_and(reads_format)
    {
        out.push(
            Problem::error(
                "format",
                format!("not a format this fairpanel reads; it reads {READS}: convert the file or use a newer fairpanel"),
            )
            .at(loc.locate(&JsonPath::root().key("format"))),
        );
        return out;
    }
    let mut sections = Vec::new();
    if let Value::Object(map) = &mut root {
        for key in ["schools", "cases", "places"] {
            if let Some(Value::Array(items)) = map.get_mut(key) {
                sections.push((key, std::mem::take(items)));
            }
        }
    }
    check_item::<Caseload>(root, &JsonPath::root(), &loc, &mut out);
    for (key, items) in sections {
        for (i, item) in items.into_iter().enumerate() {
            if out.len() > MAX_REPORTED {
                return out;
            }
            let base = JsonPath::root().key(key).index(i);
            match key {
                "schools" => check_item::<School>(item, &base, &loc, &mut out),
                "cases" => check_item::<Case>(item, &base, &loc, &mut out),
                _ => check_item::<Provision>(item, &base, &loc, &mut out),
            }
        }
    }
    out
}

/// Types one item, reporting a failing field and removing it to find the next, until it types or
/// a problem cannot be stepped over (a missing field, a wrong item).
fn check_item<T: DeserializeOwned>(
    mut v: Value,
    base: &JsonPath,
    loc: &Locator,
    out: &mut Vec<Problem>,
) {
    // Fields already reported and taken out: their absence must not be reported again.
    let mut removed: Vec<JsonPath> = Vec::new();
    for _ in 0..=MAX_REPORTED {
        let err = match serde_path_to_error::deserialize::<_, T>(&v) {
            Ok(_) => return,
            Err(e) => e,
        };
        let mut rel = JsonPath::root();
        for seg in err.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => rel.0.push(Seg::Index(*index)),
                serde_path_to_error::Segment::Map { key } => rel.0.push(Seg::Key(key.clone())),
                _ => {}
            }
        }
        let msg = err.inner().to_string();
        let mut full = base.clone();
        full.0.extend(rel.0.iter().cloned());
        if removed.contains(&full) {
            return;
        }
        if let Some(field) = between_backticks(&msg, "missing field `") {
            if removed.contains(&full.key(field)) {
                return;
            }
            let at = loc.locate(&full);
            out.push(
                Problem::error(
                    full.key(field),
                    "required field is missing; add it (see docs/caseload.md)",
                )
                .at(at),
            );
            return;
        }
        if let Some(field) = unknown_field(&msg, &rel) {
            // The path may or may not end at the unknown key; find its object either way.
            let parent = match full.0.last() {
                Some(Seg::Key(k)) if k == field => JsonPath(full.0[..full.0.len() - 1].to_vec()),
                _ => full.clone(),
            };
            let allowed = msg.split_once("expected ").map_or("", |(_, a)| a);
            out.push(
                Problem::error(
                    parent.key(field),
                    format!("unknown field; check its spelling (allowed here: {allowed})"),
                )
                .at(loc.locate_key(&parent, field)),
            );
            let rel_parent = match rel.0.last() {
                Some(Seg::Key(k)) if k == field => JsonPath(rel.0[..rel.0.len() - 1].to_vec()),
                _ => rel.clone(),
            };
            if !remove(&mut v, &rel_parent.key(field)) {
                return;
            }
            removed.push(parent.key(field));
            continue;
        }
        out.push(Problem::error(&full, safe_message(&msg)).at(loc.locate(&full)));
        if rel.0.is_empty() || !remove(&mut v, &rel) {
            return;
        }
        removed.push(full);
    }
}

/// The unknown key serde names in "unknown field `KEY`, expected …": the path's last key when it
/// is that key (a key may itself hold a backtick), else read from the message up to the last
/// "`, expected" or "`, there are no fields".
fn unknown_field<'m>(msg: &'m str, rel: &'m JsonPath) -> Option<&'m str> {
    let rest = msg.strip_prefix("unknown field `")?;
    if let Some(Seg::Key(k)) = rel.0.last()
        && rest
            .strip_prefix(k.as_str())
            .is_some_and(|r| r.starts_with('`'))
    {
        return Some(k);
    }
    ["`, expected ", "`, there are no fields"]
        .iter()
        .find_map(|end| rest.find(end).map(|i| &rest[..i]))
        .or_else(|| between_backticks(msg, "unknown field `"))
}

fn between_backticks<'m>(msg: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = msg.strip_prefix(prefix)?;
    rest.split_once('`').map(|(f, _)| f)
}

/// Removes the value at `path` (an object key or an array element). False if there is none.
fn remove(v: &mut Value, path: &JsonPath) -> bool {
    let Some((last, parents)) = path.0.split_last() else {
        return false;
    };
    let mut node = v;
    for seg in parents {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => match m.get_mut(k) {
                Some(n) => n,
                None => return false,
            },
            (Seg::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Seg::Key(k), Value::Object(m)) => m.remove(k).is_some(),
        // An array element is replaced by null rather than removed, so later indices stay true;
        // the item then fails as a whole, which stops the pass for it.
        (Seg::Index(i), Value::Array(a)) if *i < a.len() => {
            a[*i] = Value::Null;
            true
        }
        _ => false,
    }
}

/// Rewrites a serde message so it says what was expected and never what was found: the value
/// may be a pupil's (cli.md Diagnostics).
pub fn safe_message(msg: &str) -> String {
    let msg = msg.rsplit_once(" at line ").map_or(msg, |(m, _)| m);
    if msg.starts_with(crate::domain::dates::BAD_DATE)
        || msg.starts_with(DUPLICATE_KEY)
        || msg.starts_with("not a valid value; write")
    {
        return msg.to_owned();
    }
    let expected = msg.split_once(", expected ").map(|(_, e)| humanize(e));
    match expected {
        Some(e) if msg.starts_with("invalid type") => format!("wrong kind of value; write {e}"),
        Some(e) if msg.starts_with("invalid value") => format!("value out of range; write {e}"),
        Some(e) if msg.starts_with("invalid length") => {
            format!("wrong number of items; expected {e}")
        }
        Some(e) if msg.starts_with("unknown variant") => {
            format!("not one of the allowed values; write {e}")
        }
        _ => "not a valid value; see docs/caseload.md".to_owned(),
    }
}

fn humanize(expected: &str) -> String {
    match expected {
        "u8" => "a whole number from 0 to 255".into(),
        "u16" => "a whole number from 0 to 65535".into(),
        "u32" | "u64" => "a whole number, 0 or more".into(),
        "i64" | "i32" => "a whole number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list [ … ]".into(),
        e if e.starts_with("struct ") || e == "a map" => "an object { … }".into(),
        e => e.to_owned(),
    }
}
