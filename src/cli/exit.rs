//! The one mapping from what went wrong to the exit code cli.md promises, and the one place a
//! failure is printed.

use std::path::{Path, PathBuf};

use crate::cli::out::{eprint, eprint_lines};
use crate::domain::rules::Hit;
use crate::io::caseload::CaseloadError;
use crate::io::diag::report_lines;
use crate::io::minutes::MinutesError;
use crate::log::LogError;

pub const OK: u8 = 0;
pub const INTERNAL: u8 = 1;
pub const BAD_INPUT: u8 = 2;
pub const LOG_IN_USE: u8 = 3;
pub const REFUSED: u8 = 4;
pub const LOG_DAMAGED: u8 = 5;
pub const ENVIRONMENT: u8 = 6;

/// Why a command could not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Caseload(#[from] CaseloadError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Minutes(#[from] MinutesError),
    /// A rule refused the decision; nothing was written.
    #[error("nothing was written")]
    Refused(Vec<Hit>),
    /// A usage error or an input that is not what the command needs.
    #[error("{0}")]
    BadInput(String),
    /// A file that cannot be read or written for a reason of the machine's.
    #[error("{}: cannot {what}: {source}; check the path, the disk and the folder's permissions", .path.display())]
    Environment {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    /// A bug in this fairpanel.
    #[error("internal error: {0}; this is a bug in fairpanel, please report it")]
    Internal(String),
}

impl Failure {
    pub fn io(path: &Path, what: &'static str, source: std::io::Error) -> Failure {
        Failure::Environment {
            path: path.to_owned(),
            what,
            source,
        }
    }

    /// cli.md's exit code for this failure.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Caseload(CaseloadError::Unreadable { source, .. }) => io_code(source),
            Failure::Caseload(_) | Failure::BadInput(_) => BAD_INPUT,
            Failure::Log(e) | Failure::Minutes(MinutesError::Log(e)) => log_code(e),
            Failure::Minutes(MinutesError::Write { source, .. }) => io_code(source),
            Failure::Minutes(MinutesError::Json(_)) | Failure::Internal(_) => INTERNAL,
            Failure::Minutes(MinutesError::NothingYet) => BAD_INPUT,
            Failure::Refused(_) => REFUSED,
            Failure::Environment { source, .. } => io_code(source),
        }
    }

    /// Prints the failure on stderr: the problems first where there are several, then what
    /// happened.
    pub fn report(&self) {
        match self {
            Failure::Caseload(CaseloadError::Invalid { problems, .. }) => {
                eprint_lines(&report_lines(problems));
            }
            Failure::Refused(hits) => {
                eprint_lines(&hits.iter().map(Hit::line).collect::<Vec<_>>());
            }
            _ => {}
        }
        eprint(self.to_string());
    }
}

/// A file that is not there is a wrong path (bad input); anything else is the machine's.
fn io_code(e: &std::io::Error) -> u8 {
    match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => BAD_INPUT,
        _ => ENVIRONMENT,
    }
}

fn log_code(e: &LogError) -> u8 {
    match e {
        LogError::InUse { .. } => LOG_IN_USE,
        LogError::Damaged { .. } | LogError::Newer { .. } => LOG_DAMAGED,
        LogError::NotFound { .. }
        | LogError::NotALog { .. }
        | LogError::WrongPanel { .. }
        | LogError::HardLinked { .. } => BAD_INPUT,
        LogError::Environment { .. } | LogError::Storage { .. } => ENVIRONMENT,
        LogError::Internal { .. } => INTERNAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_failure_has_its_contract_code() {
        let p = PathBuf::from("x");
        let io = |k| std::io::Error::from(k);
        let cases: Vec<(Failure, u8)> = vec![
            (Failure::BadInput("x".into()), BAD_INPUT),
            (
                CaseloadError::Unreadable {
                    path: p.clone(),
                    source: io(std::io::ErrorKind::NotFound),
                }
                .into(),
                BAD_INPUT,
            ),
            (
                CaseloadError::Unreadable {
                    path: p.clone(),
                    source: io(std::io::ErrorKind::PermissionDenied),
                }
                .into(),
                ENVIRONMENT,
            ),
            (LogError::InUse { path: p.clone() }.into(), LOG_IN_USE),
            (
                LogError::Damaged {
                    path: p.clone(),
                    why: "x".into(),
                }
                .into(),
                LOG_DAMAGED,
            ),
            (LogError::NotALog { path: p.clone() }.into(), BAD_INPUT),
            (
                LogError::Environment {
                    path: p.clone(),
                    what: "write",
                    source: io(std::io::ErrorKind::StorageFull),
                }
                .into(),
                ENVIRONMENT,
            ),
            (Failure::Refused(Vec::new()), REFUSED),
            (Failure::Internal("x".into()), INTERNAL),
        ];
        for (f, code) in cases {
            assert_eq!(f.code(), code, "{f:?}");
        }
    }
}
