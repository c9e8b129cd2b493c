//! `fairpanel report` and `fairpanel export`: the period's figures across one or several
//! panels' logs, and the same rows as flat, pseudonymised tables (docs/report.md,
//! docs/export.md). Both only read the logs.

use std::path::{Path, PathBuf};

use crate::cli::Failure;
use crate::cli::out::{eprint_lines, print_document, print_json};
use crate::domain::dates::Date;
use crate::domain::figures::Period;
use crate::domain::report::Report;
use crate::io::export::{self, Key, KeyError, WriteError};
use crate::io::report::{self, ReadError};

/// The report's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Csv,
    Json,
}

/// The export's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

impl From<ReadError> for Failure {
    fn from(e: ReadError) -> Failure {
        match e {
            ReadError::Log(l) => Failure::Log(l),
            fork @ ReadError::Fork { .. } => Failure::BadInput(fork.to_string()),
        }
    }
}

impl From<KeyError> for Failure {
    fn from(e: KeyError) -> Failure {
        match e {
            KeyError::Io { path, what, source } => Failure::Environment { path, what, source },
            KeyError::Random(m) => Failure::Internal(m),
            other => Failure::BadInput(other.to_string()),
        }
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Failure {
        match e {
            WriteError::Io { path, what, source } => Failure::Environment { path, what, source },
            WriteError::Csv(m) => Failure::Internal(m),
        }
    }
}

fn check_period(from: Date, to: Date) -> Result<Period, Failure> {
    if from > to {
        return Err(Failure::BadInput(format!(
            "--from {from} is after --to {to}; give the period's first day, then its last"
        )));
    }
    Ok(Period { from, to })
}

/// The report for `period` from `logs`, and what the reader should know about the logs.
pub fn build(
    logs: &[PathBuf],
    period: Period,
    publish: bool,
) -> Result<(Report, Vec<String>), Failure> {
    let read = report::read(logs, period)?;
    Ok((Report::build(&read.panels, period, publish), read.notes))
}

pub(super) fn report(
    logs: &[PathBuf],
    from: Date,
    to: Date,
    format: ReportFormat,
    out: Option<&Path>,
    publish: bool,
) -> Result<(), Failure> {
    let period = check_period(from, to)?;
    let (r, notes) = build(logs, period, publish)?;
    let text = match format {
        ReportFormat::Md => report::to_markdown(&r),
        ReportFormat::Html => report::to_html(&r),
        ReportFormat::Csv => report::to_csv(&r).map_err(|e| Failure::Internal(e.to_string()))?,
        ReportFormat::Json => {
            let mut j = report::to_json(&r).map_err(|e| Failure::Internal(e.to_string()))?;
            j.push('\n');
            j
        }
    };
    let mut lines: Vec<String> = notes.iter().map(|n| format!("note: {n}")).collect();
    match out {
        None if format == ReportFormat::Json => {
            eprint_lines(&lines);
            print_json(&text).map_err(|e| Failure::io(Path::new("standard output"), "write", e))
        }
        None => {
            eprint_lines(&lines);
            print_document(&text).map_err(|e| Failure::io(Path::new("standard output"), "write", e))
        }
        Some(path) => {
            crate::io::files::write_atomic(path, text.as_bytes())
                .map_err(|e| Failure::io(path, "write the report", e))?;
            lines.push(format!(
                "{}: figures for {} to {} written from {} panel(s): {} decisions, {} placements{}",
                path.display(),
                r.from,
                r.to,
                r.panels.len(),
                r.totals.decisions.text(),
                r.totals.placements.text(),
                if publish {
                    " (counts under 5 suppressed)"
                } else {
                    ""
                }
            ));
            eprint_lines(&lines);
            Ok(())
        }
    }
}

pub(super) struct ExportArgs<'a> {
    pub logs: &'a [PathBuf],
    pub format: ExportFormat,
    pub out: &'a Path,
    pub key: Option<&'a Path>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

pub(super) fn export(a: &ExportArgs<'_>) -> Result<(), Failure> {
    let to = match a.to {
        Some(t) => t,
        None => report::last_meeting(a.logs)?.ok_or_else(|| {
            Failure::BadInput("the logs hold no meeting yet; nothing to export".to_owned())
        })?,
    };
    let from = a.from.or(Date::from_ymd(1900, 1, 1)).unwrap_or(to);
    let period = check_period(from, to)?;
    let (key, key_note) = match a.key {
        Some(p) => (Key::read(p)?, None),
        None => {
            let (k, path, made) = Key::default_key()?;
            let note = if made {
                format!(
                    "{}: a new export key was made; keep it with the LA (the same key makes exports that join), never with the export",
                    path.display()
                )
            } else {
                format!("{}: the export key used", path.display())
            };
            (k, Some(note))
        }
    };
    let read = report::read(a.logs, period)?;
    let format = match a.format {
        ExportFormat::Csv => export::Format::Csv,
        ExportFormat::Jsonl => export::Format::Jsonl,
    };
    let written = export::write(&read.panels, &key, format, a.out)?;
    let mut lines: Vec<String> = read.notes.iter().map(|n| format!("note: {n}")).collect();
    lines.extend(key_note);
    for (path, n) in &written.files {
        lines.push(format!("{}: {n} rows", path.display()));
    }
    lines.push(format!(
        "{}: {} export of {} panel(s), {} to {}",
        a.out.display(),
        export::FORMAT,
        read.panels.len(),
        period.from,
        period.to
    ));
    eprint_lines(&lines);
    Ok(())
}
