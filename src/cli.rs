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
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(Command::Check { caseload }) => check(&caseload),
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
