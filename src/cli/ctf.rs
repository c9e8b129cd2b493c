//! `fairpanel ctf import`: pupils' details from DfE Common Transfer Files into a caseload's
//! cases, checked whole before the caseload is replaced.

use std::path::{Path, PathBuf};

use crate::cli::Failure;
use crate::cli::out::eprint_lines;
use crate::domain::problem::{Problem, Severity};
use crate::io::caseload as load;
use crate::io::ctf::{self, CtfFile, Options};
use crate::io::diag::report_lines;

/// The CTF files to read: the file, or every `.xml` file in the folder, by name.
fn files(path: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| Failure::io(path, "read the folder", e))? {
        let p = entry
            .map_err(|e| Failure::io(path, "read the folder", e))?
            .path();
        if p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")) {
            out.push(p);
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Failure::BadInput(format!(
            "{}: no .xml files in the folder; give a CTF file or a folder of them",
            path.display()
        )));
    }
    Ok(out)
}

pub(super) fn import(
    from: &Path,
    into: &Path,
    case_ref: Option<String>,
    prefer_ctf: bool,
) -> Result<(), Failure> {
    let mut read: Vec<(String, CtfFile)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut errors = 0usize;
    for path in files(from)? {
        let bytes = std::fs::read(&path).map_err(|e| Failure::io(&path, "read the CTF", e))?;
        let name = path.display().to_string();
        match ctf::read(&bytes) {
            Ok(mut f) => {
                problems.extend(prefixed(&name, &std::mem::take(&mut f.warnings)));
                read.push((name, f));
            }
            Err(p) => {
                errors += p.iter().filter(|x| x.severity == Severity::Error).count();
                problems.extend(prefixed(&name, &p));
            }
        }
    }
    if errors > 0 {
        eprint_lines(&problems);
        return Err(Failure::BadInput(format!(
            "{}: nothing was written; fix the problems above (ask the sending school for a corrected CTF) and try again",
            into.display()
        )));
    }
    let (mut loaded, _) = load::open(into)?;
    let report = ctf::merge(
        &mut loaded.caseload,
        &read,
        &Options {
            case_ref,
            prefer_ctf,
        },
    );
    problems.extend(report_lines(&report.problems));
    if report.has_errors() {
        eprint_lines(&problems);
        return Err(Failure::BadInput(format!(
            "{}: nothing was written; fix the problems above and try again",
            into.display()
        )));
    }
    // The filled caseload must pass every check `fairpanel check` makes before it replaces the
    // file.
    let text = crate::io::json::to_safe_string(&loaded.caseload)
        .map_err(|e| Failure::Internal(format!("could not write the caseload as JSON: {e}")))?;
    let matched: Vec<String> = report
        .matched
        .iter()
        .map(|i| format!("cases[{i}]."))
        .collect();
    match load::parse(&text) {
        Err(found) => {
            problems.extend(report_lines(&found));
            eprint_lines(&problems);
            return Err(Failure::BadInput(format!(
                "{}: the filled caseload would not pass fairpanel check, so nothing was written; correct the caseload or the CTF and try again",
                into.display()
            )));
        }
        Ok(l) => {
            // Warnings about the cases filled (a UPN's LA code, a year group, a SEN type).
            let ours: Vec<Problem> = l
                .warnings
                .into_iter()
                .filter(|w| matched.iter().any(|m| w.path.starts_with(m.as_str())))
                .collect();
            problems.extend(report_lines(&ours));
        }
    }
    crate::io::files::write_atomic(into, text.as_bytes())
        .map_err(|e| Failure::io(into, "write the filled caseload (the file is unchanged)", e))?;
    let refs: Vec<&str> = report
        .matched
        .iter()
        .map(|i| loaded.caseload.cases[*i].reference.as_str())
        .collect();
    let pupils: usize = read.iter().map(|(_, f)| f.pupils.len()).sum();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let taken = if prefer_ctf {
        "the file's value taken"
    } else {
        "the caseload's value kept"
    };
    problems.push(format!(
        "{}: {pupils} pupil{} in {} file{}: {} case{} filled ({}), {} pupil{} matched no case; {} field{} filled, {} disagreement{} ({taken})",
        into.display(),
        s(pupils),
        read.len(),
        s(read.len()),
        refs.len(),
        s(refs.len()),
        refs.join(", "),
        report.unmatched,
        s(report.unmatched),
        report.filled,
        s(report.filled),
        report.disagreements,
        s(report.disagreements),
    ));
    eprint_lines(&problems);
    Ok(())
}

/// A file's problems, each path starting with the file's name (`warning: FILE: PATH: …`).
fn prefixed(name: &str, problems: &[Problem]) -> Vec<String> {
    let named: Vec<Problem> = problems
        .iter()
        .map(|p| Problem {
            path: format!("{name}: {}", p.path),
            ..p.clone()
        })
        .collect();
    report_lines(&named)
}
