//! Where the command line's text leaves the program. Every line for stderr and every text for
//! stdout passes through here, and is escaped here, once (cli.md: control and bidirectional
//! characters are shown as escapes), whatever it carries: a file's name, a value from a caseload,
//! or a library's error text (SQLite's can hold bytes from a damaged file).

use std::io::Write;

use crate::domain::text::escape;

/// Writes lines to stderr, each escaped.
pub fn eprint_lines<S: AsRef<str>>(lines: &[S]) {
    let mut err = std::io::stderr().lock();
    for l in lines {
        let _ = writeln!(err, "{}", escape(l.as_ref()));
    }
}

pub fn eprint(line: impl AsRef<str>) {
    eprint_lines(&[line]);
}

/// Writes one line of text to stdout, escaped.
pub fn print(line: impl AsRef<str>) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", escape(line.as_ref()))?;
    out.flush()
}

/// Writes JSON to stdout as `crate::io::json` made it: its unsafe characters are already `\u`
/// escapes, and its newlines are layout.
pub fn print_json(json: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(json.as_bytes())?;
    out.flush()
}

/// Writes a shell completion script to stdout as clap_complete made it. It is built from
/// fairpanel's own command definitions alone (nothing from a file or a library's error text),
/// and its tabs and newlines are the shell's syntax, so it is not escaped.
pub fn print_script(script: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(script)?;
    out.flush()
}

/// Writes a document (the Markdown or HTML minutes) to stdout as it is: its renderer already
/// showed every unsafe character of its text as an escape, so its newlines are layout. Any other
/// unsafe character is escaped here all the same, line by line.
pub fn print_document(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        write!(out, "{}{end}", escape(body))?;
    }
    out.flush()
}
