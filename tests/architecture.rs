//! The parts of fairpanel and the imports that must never exist between them
//! (`docs/architecture.md`), held against the code: every `crate::…` path in `src/` is read, the
//! file it is in and the part it names are mapped to parts, and an arrow the design forbids fails
//! the build. Also: the domain names no terminal, SQL or file library; text is escaped only where
//! it leaves the program; only `ui/paint.rs` builds a paragraph.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Parts by path prefix under `src/`, most specific first.
const PARTS: &[(&str, &str)] = &[
    ("main.rs", "Face"),
    ("cli/", "Face"),
    ("runtime.rs", "Face"),
    ("app/", "App"),
    ("ui/", "Ui"),
    ("search.rs", "Search"),
    ("domain/", "Domain"),
    ("log/", "Log"),
    ("io/", "Io"),
];

/// The part a `crate::` path names by its first segment.
const TOP: &[(&str, &str)] = &[
    ("cli", "Face"),
    ("runtime", "Face"),
    ("app", "App"),
    ("ui", "Ui"),
    ("search", "Search"),
    ("domain", "Domain"),
    ("log", "Log"),
    ("io", "Io"),
];

/// Arrows that must never exist, with why.
const NEVER: &[(&str, &str, &str)] = &[
    ("Domain", "Ui", "the domain knows no screen"),
    ("Domain", "Log", "rules never speak SQL"),
    ("Ui", "Log", "the screen never touches the store"),
    ("App", "Log", "update returns effects; the runtime records"),
    ("Domain", "Face", "no terminal in the domain"),
    ("Domain", "Io", "the domain reads no files"),
];

/// Every arrow the design intends; anything else is a change to the design, made in
/// `docs/architecture.md` first.
const INTENDED: &[(&str, &str)] = &[
    ("Face", "App"),
    ("Face", "Ui"),
    ("Face", "Log"),
    ("Face", "Io"),
    ("Face", "Domain"),
    ("App", "Domain"),
    ("App", "Search"),
    ("Ui", "App"),
    ("Ui", "Domain"),
    ("Log", "Domain"),
    ("Io", "Domain"),
    ("Io", "Log"),
    ("Search", "Domain"),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// (path under src/ with `/` separators, text) of every source file.
fn files() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    sources(&src(), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn part_of(rel: &str) -> Option<&'static str> {
    PARTS
        .iter()
        .find(|(prefix, _)| rel == *prefix || rel.starts_with(prefix))
        .map(|(_, part)| *part)
}

/// The code of a file without its comments (doc comments mention other parts by name) and
/// without its unit tests (which may use the demo from anywhere).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parts named by `crate::x` paths in `text`, with `use crate::{a, b}` groups opened.
fn named_parts(text: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    let code = code(text);
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let heads: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end]
                .split(',')
                .map(|s| s.trim().split("::").next().unwrap_or(""))
                .collect()
        } else {
            vec![
                rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or(""),
            ]
        };
        for h in heads {
            if let Some((_, part)) = TOP.iter().find(|(t, _)| *t == h) {
                out.insert(*part);
            }
        }
    }
    out
}

fn arrows() -> BTreeSet<(&'static str, &'static str, String)> {
    let mut out = BTreeSet::new();
    for (rel, text) in files() {
        let Some(from) = part_of(&rel) else { continue };
        for to in named_parts(&text) {
            if to != from {
                out.insert((from, to, rel.clone()));
            }
        }
    }
    out
}

#[test]
fn no_forbidden_import_between_parts() {
    let found = arrows();
    for (from, to, why) in NEVER {
        let culprits: Vec<&String> = found
            .iter()
            .filter(|(f, t, _)| f == from && t == to)
            .map(|(_, _, file)| file)
            .collect();
        assert!(
            culprits.is_empty(),
            "{from} must never import {to} ({why}): {culprits:?}"
        );
    }
}

#[test]
fn every_import_between_parts_is_one_the_design_intends() {
    for (from, to, file) in arrows() {
        assert!(
            INTENDED.contains(&(from, to)),
            "src/{file}: {from} -> {to} is not in docs/architecture.md; change the design there first"
        );
    }
}

#[test]
fn the_part_graph_has_no_cycle() {
    let edges: BTreeSet<(&str, &str)> = arrows().into_iter().map(|(f, t, _)| (f, t)).collect();
    // Repeatedly remove parts with no outgoing edge; what is left is on a cycle.
    let mut parts: BTreeSet<&str> = PARTS.iter().map(|(_, p)| *p).collect();
    loop {
        let sink = parts
            .iter()
            .copied()
            .find(|p| !edges.iter().any(|(f, t)| f == p && parts.contains(t)));
        match sink {
            Some(s) => {
                parts.remove(s);
            }
            None => break,
        }
    }
    assert!(parts.is_empty(), "parts on a cycle: {parts:?}");
}

#[test]
fn the_domain_names_no_terminal_sql_file_or_command_line_library() {
    for (rel, text) in files() {
        if part_of(&rel) != Some("Domain") {
            continue;
        }
        let code = code(&text);
        for lib in [
            "ratatui",
            "crossterm",
            "rusqlite",
            "std::fs",
            "clap",
            "tui_input",
        ] {
            assert!(!code.contains(lib), "src/{rel} names {lib}");
        }
    }
}

#[test]
fn text_is_escaped_only_where_it_leaves_the_program() {
    // The function itself, the screen's one painter, the command line's one writer.
    let allowed = ["domain/text.rs", "ui/paint.rs", "cli/out.rs"];
    for (rel, text) in files() {
        let code = code(&text);
        if code.contains("escape(") && !allowed.contains(&rel.as_str()) {
            panic!("src/{rel} escapes text itself; leave it to {allowed:?}");
        }
    }
}

#[test]
fn only_the_painter_builds_paragraphs_and_only_the_command_line_prints() {
    for (rel, text) in files() {
        let code = code(&text);
        if rel.starts_with("ui/") && rel != "ui/paint.rs" {
            assert!(!code.contains("Paragraph"), "src/{rel} draws text itself");
        }
        if rel != "cli/out.rs" {
            for p in [
                "println!",
                "eprintln!",
                "print!(",
                "eprint!(",
                "io::stderr",
                "io::stdout",
            ] {
                assert!(
                    !code.contains(p),
                    "src/{rel} writes to the terminal itself ({p})"
                );
            }
        }
    }
}
