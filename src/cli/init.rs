//! `fairpanel init` (a new panel's starter caseload) and `fairpanel demo` (the embedded demo
//! caseload, to start from): files written atomically, owner-only, never over another file.

use std::path::Path;

use crate::cli::Failure;
use crate::cli::out::eprint_lines;
use crate::domain::caseload::PanelKind;
use crate::domain::dates::Date;
use crate::domain::problem::Problem;
use crate::io::diag::report_lines;
use crate::io::init::{self, Starter};

/// Panel kinds as `--kind` spells them (domain.md §6 Panel.kind).
pub(super) fn parse_kind(s: &str) -> Result<PanelKind, String> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| "one of iyfap_pri, iyfap_sec, ap, send, managed_move".to_owned())
}

/// A new file only: `init` and `demo` never replace a caseload someone has filled in.
fn refuse_existing(out: &Path) -> Result<(), Failure> {
    if out.exists() {
        return Err(Failure::BadInput(format!(
            "--out {}: the file exists; choose a new file name (nothing was written)",
            out.display()
        )));
    }
    Ok(())
}

fn write(out: &Path, text: &str) -> Result<(), Failure> {
    crate::io::files::write_atomic(out, text.as_bytes())
        .map_err(|e| Failure::io(out, "write the caseload", e))
}

pub(super) fn demo(out: &Path) -> Result<(), Failure> {
    refuse_existing(out)?;
    write(out, crate::io::demo::DEMO_CASELOAD)?;
    eprint_lines(&[format!(
        "{}: the demo panel's caseload written (real Walsall schools, invented pupils): change the panel, its members and cases, then fairpanel check it",
        out.display()
    )]);
    Ok(())
}

/// The problems of one input file, each line prefixed with the file.
fn fail(file: &Path, problems: &[Problem], what: &str) -> Failure {
    eprint_lines(
        &report_lines(problems)
            .into_iter()
            .map(|l| format!("{}: {l}", file.display()))
            .collect::<Vec<_>>(),
    );
    Failure::BadInput(format!(
        "{}: {what}; fix the problems above (nothing was written)",
        file.display()
    ))
}

pub(super) fn init(
    la: u16,
    kind: PanelKind,
    gias: &Path,
    terms: &Path,
    meeting: Date,
    out: &Path,
) -> Result<(), Failure> {
    refuse_existing(out)?;
    let bytes = std::fs::read(gias).map_err(|e| Failure::io(gias, "read the GIAS extract", e))?;
    let schools = crate::io::gias::read_extract(&bytes, la)
        .map_err(|p| fail(gias, &p, "the GIAS extract cannot be read"))?;
    eprint_lines(&report_lines(&schools.warnings));
    let tbytes = std::fs::read(terms).map_err(|e| Failure::io(terms, "read the term dates", e))?;
    let (text, _) = crate::io::text::decode(&tbytes).map_err(|e| {
        fail(
            terms,
            &[Problem::error("file", e.message())],
            "cannot be read",
        )
    })?;
    let is_ics = terms
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ics"))
        || text.trim_start().starts_with("BEGIN:VCALENDAR");
    let taken = if is_ics {
        init::terms_ics(&text)
    } else {
        init::terms_csv(&text)
    }
    .map_err(|p| fail(terms, &p, "the term dates cannot all be taken"))?;
    let mut lines: Vec<String> = taken.taken.iter().map(|t| format!("  {t}")).collect();
    let n_schools = schools.schools.len();
    let (c, warnings) = init::starter(
        &Starter {
            la_code: la,
            kind,
            meeting_date: meeting,
        },
        schools,
        taken,
    )
    .map_err(|p| {
        eprint_lines(&report_lines(&p));
        Failure::BadInput(
            "the starter caseload would not be valid (see above), so it was not written".into(),
        )
    })?;
    let json = crate::io::json::to_safe_string(&c)
        .map_err(|e| Failure::Internal(format!("could not write the caseload as JSON: {e}")))?;
    write(out, &format!("{json}\n"))?;
    lines.insert(
        0,
        format!(
            "{}: a new {} panel for {} (LA {la}), meeting {}: {n_schools} open schools, {} terms and {} closure days taken from {}:",
            out.display(),
            kind.label(),
            c.panel.la_name,
            meeting.long(),
            c.calendar.terms.len(),
            c.calendar.closure_days.len(),
            terms.display()
        ),
    );
    lines.push(
        "next: add the panel's members and each school's PAN, then the referrals (fairpanel referrals import), and fairpanel check it".to_owned(),
    );
    eprint_lines(&report_lines(&warnings));
    eprint_lines(&lines);
    Ok(())
}
