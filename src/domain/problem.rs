//! Problems found in an input, in the one shape cli.md asks for:
//! `PATH (line L, column C): what is wrong; what to do`. A message never holds a pupil's value;
//! text is escaped where it leaves the program (`crate::cli::out`), not here.

use std::fmt;

/// cli.md: errors cap at 100 per run, then "… and N more".
pub const MAX_REPORTED: usize = 100;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A zero-based JSON path such as `cases[3].pupil.date_of_birth`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> JsonPath {
        JsonPath(Vec::new())
    }

    pub fn key(&self, k: &str) -> JsonPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_owned()));
        p
    }

    pub fn index(&self, i: usize) -> JsonPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Line and column, both from 1; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// A JSON path, or for CSV "row N" and for a whole file its name.
    pub path: String,
    pub at: Option<Pos>,
    /// What is wrong; what to do. Never holds a pupil's value.
    pub message: String,
}

impl Problem {
    pub fn error(path: impl fmt::Display, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            path: path.to_string(),
            at: None,
            message: message.into(),
        }
    }

    pub fn warning(path: impl fmt::Display, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(path, message)
        }
    }

    pub fn at(mut self, at: Option<Pos>) -> Problem {
        self.at = at;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        f.write_str(&self.path)?;
        if let Some(p) = self.at {
            write!(f, " (line {}, column {})", p.line, p.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_zero_based() {
        let p = JsonPath::root()
            .key("cases")
            .index(3)
            .key("pupil")
            .key("date_of_birth");
        assert_eq!(p.to_string(), "cases[3].pupil.date_of_birth");
        assert_eq!(JsonPath::root().to_string(), "(document)");
    }
}
