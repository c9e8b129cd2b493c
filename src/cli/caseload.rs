//! `fairpanel check` and `fairpanel schools import`: caseloads and schools in, checked whole.

use std::path::Path;

use crate::cli::Failure;
use crate::cli::out::{eprint_lines, print, print_json};
use crate::domain::caseload::{CaseKind, Caseload};
use crate::domain::problem::Problem;
use crate::io::caseload as load;
use crate::io::diag::report_lines;

/// One line: cases by kind, schools, free places.
pub fn summary(c: &Caseload) -> String {
    let kinds: Vec<String> = CaseKind::ALL
        .iter()
        .map(|k| {
            let n = c.cases.iter().filter(|x| x.kind == *k).count();
            format!("{n} {}", k.label())
        })
        .collect();
    let free: i64 = c
        .places
        .iter()
        .flat_map(|p| p.pools.iter().map(|x| x.free()))
        .sum();
    format!(
        "{} cases ({}), {} schools, {free} free places in {} provisions",
        c.cases.len(),
        kinds.join(", "),
        c.schools.len(),
        c.places.len()
    )
}

pub(super) fn check(path: &Path) -> Result<(), Failure> {
    let (loaded, _) = load::open(path)?;
    report_check(&path.display().to_string(), &loaded)
}

/// `check --demo`: the embedded demo caseload, checked as a file would be.
pub(super) fn check_demo() -> Result<(), Failure> {
    let loaded = crate::io::demo::load().map_err(|p| {
        Failure::Internal(format!(
            "the embedded demo does not load ({} problems)",
            p.len()
        ))
    })?;
    report_check("the embedded demo", &loaded)
}

fn report_check(what: &str, loaded: &load::Loaded) -> Result<(), Failure> {
    eprint_lines(&report_lines(&loaded.warnings));
    let w = loaded.warnings.len();
    let warn = if w == 0 {
        String::new()
    } else {
        format!("; {w} warning{}", if w == 1 { "" } else { "s" })
    };
    print(format!("{what}: ok: {}{warn}", summary(&loaded.caseload)))
        .map_err(|e| Failure::io(Path::new("standard output"), "write", e))
}

/// Mainstream schools (not AP, PRU or special) with no PAN for any year group.
fn without_pan(c: &Caseload) -> Vec<u32> {
    let mut v: Vec<u32> = c
        .schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special) && s.pan.is_empty())
        .map(|s| s.urn)
        .collect();
    v.sort_unstable();
    v
}

pub(super) fn import_schools(csv: &Path, la: u16, into: Option<&Path>) -> Result<(), Failure> {
    let bytes = std::fs::read(csv).map_err(|e| Failure::io(csv, "read the CSV", e))?;
    let prefixed = |problems: &[Problem]| -> Vec<String> {
        report_lines(problems)
            .into_iter()
            .map(|l| format!("{}: {l}", csv.display()))
            .collect()
    };
    let import = match crate::io::gias::read_extract(&bytes, la) {
        Ok(i) => i,
        Err(problems) => {
            eprint_lines(&prefixed(&problems));
            return Err(Failure::BadInput(format!(
                "{}: nothing was imported; fix the problems above and try again",
                csv.display()
            )));
        }
    };
    eprint_lines(&prefixed(&import.warnings));
    let Some(target) = into else {
        let json = crate::io::json::to_safe_string(&import.schools)
            .map_err(|e| Failure::Internal(format!("could not write the schools as JSON: {e}")))?;
        print_json(&json).map_err(|e| Failure::io(Path::new("standard output"), "write", e))?;
        eprint_lines(&[format!(
            "{}: {} open schools of LA {la} read ({}); GIAS holds no PAN: add each school's `pan` by year group, or merge with --into to keep those a caseload has",
            csv.display(),
            import.schools.len(),
            import.encoding.label()
        )]);
        return Ok(());
    };
    let encoding = import.encoding;
    let (mut loaded, _) = load::open(target)?;
    let report = crate::io::gias::merge(&mut loaded.caseload, import.schools);
    // The merged caseload must pass every check before it replaces the file.
    let text = crate::io::json::to_safe_string(&loaded.caseload)
        .map_err(|e| Failure::Internal(format!("could not write the caseload as JSON: {e}")))?;
    if let Err(problems) = load::parse(&text) {
        eprint_lines(&report_lines(&problems));
        return Err(Failure::BadInput(format!(
            "{}: the merged caseload would not be valid, so it was not written",
            target.display()
        )));
    }
    crate::io::files::write_atomic(target, text.as_bytes()).map_err(|e| {
        Failure::io(
            target,
            "write the merged caseload (the file is unchanged)",
            e,
        )
    })?;
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let no_pan = without_pan(&loaded.caseload);
    let mut lines = vec![format!(
        "{}: {} added, {} updated, {} closed and removed, {} without PAN (read as {})",
        target.display(),
        report.added.len(),
        report.updated.len(),
        report.closed.len(),
        no_pan.len(),
        encoding.label()
    )];
    for (what, v) in [
        ("added", &report.added),
        ("updated", &report.updated),
        ("closed", &report.closed),
    ] {
        if !v.is_empty() {
            lines.push(format!("  {what}: {}", list(v)));
        }
    }
    if !no_pan.is_empty() {
        lines.push(format!(
            "warning: {} mainstream schools have no PAN, so no fair-share cap can be worked out for them (it is PAN per placement): add `pan` by year group for {}",
            no_pan.len(),
            list(&no_pan)
        ));
    }
    if !report.closed_but_referenced.is_empty() {
        lines.push(format!(
            "  not in the extract but still referenced by a case, place or member, so kept: {}; check whether they have closed",
            list(&report.closed_but_referenced)
        ));
    }
    eprint_lines(&lines);
    Ok(())
}
