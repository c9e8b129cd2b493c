//! `fairpanel referrals template` and `fairpanel referrals import`: the referral sheet an LA
//! fills in, and its rows merged into a caseload by case reference (docs/intake.md).

use std::path::Path;

use crate::cli::Failure;
use crate::cli::out::eprint_lines;
use crate::domain::problem::Problem;
use crate::io::caseload as load;
use crate::io::diag::report_lines;
use crate::io::referrals::{self, FileKind, ImportError};

pub(super) fn template(out: &Path) -> Result<(), Failure> {
    let bytes = match FileKind::of(out) {
        Some(FileKind::Xlsx) => referrals::template_xlsx()
            .map_err(|e| Failure::Internal(format!("could not build the referral sheet: {e}")))?,
        Some(FileKind::Csv) => referrals::template_csv(),
        _ => {
            return Err(Failure::BadInput(format!(
                "{}: the referral sheet is written as .xlsx or .csv; name the file so",
                out.display()
            )));
        }
    };
    crate::io::files::write_atomic(out, &bytes)
        .map_err(|e| Failure::io(out, "write the referral sheet", e))?;
    eprint_lines(&[format!(
        "{}: the referral sheet, {} columns; one row per case (see its Columns sheet, or docs/intake.md)",
        out.display(),
        referrals::specs().count()
    )]);
    Ok(())
}

/// `COLUMN=FIELD`, split at the last `=` (a header may hold one).
fn parse_maps(maps: &[String]) -> Result<Vec<(String, String)>, Failure> {
    maps.iter()
        .map(|m| {
            m.rsplit_once('=')
                .map(|(c, f)| (c.trim().to_owned(), f.trim().to_owned()))
                .filter(|(c, f)| !c.is_empty() && !f.is_empty())
                .ok_or_else(|| {
                    Failure::BadInput(format!(
                        "--map {m}: write --map COLUMN=FIELD, e.g. --map \"Pupil DOB=date_of_birth\""
                    ))
                })
        })
        .collect()
}

pub(super) fn import(
    file: &Path,
    into: &Path,
    sheet: Option<&str>,
    maps: &[String],
    dry_run: bool,
) -> Result<(), Failure> {
    let maps = parse_maps(maps)?;
    let kind = FileKind::of(file).ok_or_else(|| {
        Failure::BadInput(format!(
            "{}: not a spreadsheet fairpanel reads; save it as .xlsx, .xls, .ods or .csv",
            file.display()
        ))
    })?;
    if kind == FileKind::Csv && sheet.is_some() {
        return Err(Failure::BadInput(format!(
            "{}: --sheet is for a spreadsheet; a CSV file has one sheet",
            file.display()
        )));
    }
    let bytes = std::fs::read(file).map_err(|e| Failure::io(file, "read the referrals", e))?;
    let (loaded, _) = load::open(into)?;
    let prefixed = |problems: &[Problem]| -> Vec<String> {
        report_lines(problems)
            .into_iter()
            .map(|l| format!("{}: {l}", file.display()))
            .collect()
    };
    let refused = |problems: Vec<Problem>| {
        eprint_lines(&prefixed(&problems));
        Failure::BadInput(format!(
            "{}: nothing was imported and {} is unchanged; fix the problems above and try again",
            file.display(),
            into.display()
        ))
    };
    let result = referrals::read_table(&bytes, kind, sheet)
        .and_then(|table| referrals::import(&table, &maps, &loaded.caseload).map(|m| (table, m)));
    let (table, merged) = match result {
        Ok(x) => x,
        Err(ImportError::Usage(msg)) => {
            return Err(Failure::BadInput(format!("{}: {msg}", file.display())));
        }
        Err(ImportError::Problems(p)) => return Err(refused(p)),
    };
    eprint_lines(&prefixed(&merged.warnings));
    let r = &merged.report;
    if !dry_run && (!r.added.is_empty() || !r.updated.is_empty()) {
        let text = crate::io::json::to_safe_string(&merged.caseload)
            .map_err(|e| Failure::Internal(format!("could not write the caseload as JSON: {e}")))?;
        crate::io::files::write_atomic(into, text.as_bytes()).map_err(|e| {
            Failure::io(into, "write the merged caseload (the file is unchanged)", e)
        })?;
    }
    let mut lines = vec![format!(
        "{} ({}): {} row{} read; {}{} cases added, {} updated, {} unchanged{}",
        file.display(),
        table.describe(),
        r.rows,
        if r.rows == 1 { "" } else { "s" },
        if dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        r.added.len(),
        r.updated.len(),
        r.unchanged,
        if dry_run {
            format!("; {} would change as below", into.display())
        } else if r.added.is_empty() && r.updated.is_empty() {
            format!("; {} is unchanged", into.display())
        } else {
            format!("; {} written", into.display())
        }
    )];
    if !r.added.is_empty() {
        lines.push(format!("  added: {}", r.added.join(", ")));
    }
    for (reference, fields) in &r.updated {
        lines.push(format!("  updated {reference}: {}", fields.join(", ")));
    }
    eprint_lines(&lines);
    Ok(())
}
