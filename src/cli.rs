//! The command line (cli.md): parse, run, map outcomes to exit codes. Problems go to stderr, one
//! per line; results to stdout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{App, Source};
use crate::caseload::model::{CaseKind, Caseload};
use crate::caseload::{self, Loaded, OpenError};
use crate::diag::{Problem, Severity, report_lines};
use crate::text::escape;

/// The embedded demo panel: real Walsall schools, invented pupils.
pub const DEMO_CASELOAD: &str = include_str!("../fixtures/demo-walsall.json");

/// cli.md exit codes.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INTERNAL: u8 = 1;
    pub const BAD_INPUT: u8 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "fairpanel",
    version,
    about = "Triage for In-Year Fair Access and allocation panels",
    long_about = "Opens a panel's caseload on a keyboard-driven triage screen. Without CASELOAD it opens the embedded demo panel (real Walsall schools, invented pupils).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Caseload file (JSON, format fairpanel-caseload/1); omit for the demo panel
    pub caseload: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a caseload without opening the screen
    Check {
        /// Caseload file to check
        caseload: PathBuf,
    },
    /// Schools from DfE Get Information About Schools (GIAS)
    Schools {
        #[command(subcommand)]
        command: SchoolsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchoolsCommand {
    /// Read a GIAS establishment extract (CSV, UTF-8 or Windows-1252): the LA's open schools
    Import {
        /// The GIAS CSV file
        csv: PathBuf,
        /// DfE three-digit LA code, e.g. 335 for Walsall
        #[arg(long)]
        la: u16,
        /// Merge into this caseload by URN (written atomically) instead of printing JSON
        #[arg(long)]
        into: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Check { caseload }) => check(&caseload),
        Some(Command::Schools {
            command: SchoolsCommand::Import { csv, la, into },
        }) => import_schools(&csv, la, into.as_deref()),
        None => open(cli.caseload.as_deref()),
    };
    ExitCode::from(code)
}

fn eprint_lines(lines: &[String]) {
    let mut err = std::io::stderr().lock();
    for l in lines {
        let _ = writeln!(err, "{l}");
    }
}

fn shown(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

/// Reads a caseload, printing every problem; `None` when it cannot be used.
fn load(path: &Path) -> Option<Loaded> {
    match caseload::open(path) {
        Ok(l) => Some(l),
        Err(OpenError::Io(msg)) => {
            eprint_lines(&[msg]);
            None
        }
        Err(OpenError::Invalid(problems)) => {
            eprint_lines(&report_lines(&problems));
            eprint_lines(&[summary_of_problems(path, &problems)]);
            None
        }
    }
}

fn summary_of_problems(path: &Path, problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    format!(
        "{}: {errors} error{}, {warnings} warning{}: nothing was loaded; fix the errors above and try again",
        shown(path),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    )
}

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

fn check(path: &Path) -> u8 {
    let Some(loaded) = load(path) else {
        return exit::BAD_INPUT;
    };
    eprint_lines(&report_lines(&loaded.warnings));
    let w = loaded.warnings.len();
    let warn = if w == 0 {
        String::new()
    } else {
        format!("; {w} warning{}", if w == 1 { "" } else { "s" })
    };
    println!("{}: ok: {}{warn}", shown(path), summary(&loaded.caseload));
    exit::OK
}

fn open(path: Option<&Path>) -> u8 {
    let (loaded, source) = match path {
        Some(p) => match load(p) {
            Some(l) => (l, Source::File(shown(p))),
            None => return exit::BAD_INPUT,
        },
        None => match caseload::parse(DEMO_CASELOAD) {
            Ok(l) => (l, Source::Demo),
            Err(problems) => {
                eprint_lines(&report_lines(&problems));
                eprint_lines(&["internal error: the embedded demo caseload is invalid; this is a bug in this build of fairpanel, please report it".to_owned()]);
                return exit::INTERNAL;
            }
        },
    };
    let mut app = App::new(loaded.caseload, source);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let w = loaded.warnings.len();
    if w > 0 {
        app.status = format!(
            "Loaded with {w} warning{}: run `fairpanel check` on the file to list them",
            if w == 1 { "" } else { "s" }
        );
    }
    match crate::runtime::run(app) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprint_lines(&[format!(
                "internal error: the terminal failed: {e}; this is a bug or an unusual terminal, please report it"
            )]);
            exit::INTERNAL
        }
    }
}

fn import_schools(csv: &Path, la: u16, into: Option<&Path>) -> u8 {
    let bytes = match std::fs::read(csv) {
        Ok(b) => b,
        Err(e) => {
            eprint_lines(&[format!(
                "{}: cannot read the CSV: {e}; check the path",
                shown(csv)
            )]);
            return exit::BAD_INPUT;
        }
    };
    let prefixed = |problems: &[Problem]| -> Vec<String> {
        report_lines(problems)
            .into_iter()
            .map(|l| format!("{}: {l}", shown(csv)))
            .collect()
    };
    let import = match crate::gias::read_extract(&bytes, la) {
        Ok(i) => i,
        Err(problems) => {
            eprint_lines(&prefixed(&problems));
            eprint_lines(&[format!(
                "{}: nothing was imported; fix the problems above and try again",
                shown(csv)
            )]);
            return exit::BAD_INPUT;
        }
    };
    eprint_lines(&prefixed(&import.warnings));
    let Some(target) = into else {
        return match serde_json::to_string_pretty(&import.schools) {
            Ok(json) => {
                println!("{json}");
                exit::OK
            }
            Err(e) => {
                eprint_lines(&[format!(
                    "internal error: could not write the schools as JSON: {e}; please report it"
                )]);
                exit::INTERNAL
            }
        };
    };
    let Some(mut loaded) = load(target) else {
        return exit::BAD_INPUT;
    };
    let report = crate::gias::merge(&mut loaded.caseload, import.schools);
    // The merged caseload must pass every check before it replaces the file.
    let text = match serde_json::to_string_pretty(&loaded.caseload) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprint_lines(&[format!(
                "internal error: could not write the caseload as JSON: {e}; please report it"
            )]);
            return exit::INTERNAL;
        }
    };
    if let Err(problems) = caseload::parse(&text) {
        eprint_lines(&report_lines(&problems));
        eprint_lines(&[format!(
            "{}: the merged caseload would not be valid, so it was not written",
            shown(target)
        )]);
        return exit::BAD_INPUT;
    }
    if let Err(e) = crate::files::write_atomic(target, text.as_bytes()) {
        eprint_lines(&[format!(
            "{}: cannot write the merged caseload: {e}; the file is unchanged",
            shown(target)
        )]);
        return exit::BAD_INPUT;
    }
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let mut lines = vec![format!(
        "{}: {} added, {} updated, {} closed and removed",
        shown(target),
        report.added.len(),
        report.updated.len(),
        report.closed.len()
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
    if !report.closed_but_referenced.is_empty() {
        lines.push(format!(
            "  not in the extract but still referenced by a case, place or member, so kept: {}; check whether they have closed",
            list(&report.closed_but_referenced)
        ));
    }
    eprint_lines(&lines);
    exit::OK
}
