//! Where a problem sits in a file (line and column, counted in characters) and how a list of
//! problems is printed.

use jsonc_parser::ast::Value as Ast;
use jsonc_parser::common::Ranged;

use crate::domain::problem::{JsonPath, MAX_REPORTED, Pos, Problem, Seg};

/// The lines to print for a list of problems, errors first, capped at [`MAX_REPORTED`].
pub fn report_lines(problems: &[Problem]) -> Vec<String> {
    let mut sorted: Vec<&Problem> = problems.iter().collect();
    sorted.sort_by_key(|p| p.severity);
    let mut out: Vec<String> = sorted
        .iter()
        .take(MAX_REPORTED)
        .map(|p| p.to_string())
        .collect();
    if sorted.len() > MAX_REPORTED {
        out.push(format!("… and {} more", sorted.len() - MAX_REPORTED));
    }
    out
}

/// Turns byte offsets into character line:column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|s| *s <= offset).max(1) - 1;
        let start = self.starts[line];
        let end = offset.min(self.text.len()).max(start);
        let column = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        Pos {
            line: line + 1,
            column,
        }
    }

    /// serde_json reports a byte column on a 1-based line; give the character column.
    pub fn from_line_byte_column(&self, line: usize, byte_col: usize) -> Pos {
        match self.starts.get(line.saturating_sub(1)) {
            Some(start) => self.pos(start + byte_col.saturating_sub(1)),
            None => Pos {
                line,
                column: byte_col,
            },
        }
    }
}

/// Finds where a JSON path sits in the text. Used only when there is something to report, so the
/// fast load path never builds a syntax tree.
pub struct Locator<'a> {
    lines: LineIndex<'a>,
    ast: Option<Ast<'a>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        let ast = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
            .ok()
            .and_then(|r| r.value);
        Locator {
            lines: LineIndex::new(text),
            ast,
        }
    }

    pub fn lines(&self) -> &LineIndex<'a> {
        &self.lines
    }

    /// Position of the value at `path`, or of the deepest part of it that exists (the object a
    /// missing field belongs in).
    pub fn locate(&self, path: &JsonPath) -> Option<Pos> {
        let mut node = self.ast.as_ref()?;
        for seg in &path.0 {
            let next = match (seg, node) {
                (Seg::Key(k), Ast::Object(o)) => o
                    .properties
                    .iter()
                    .find(|p| p.name.as_str() == k)
                    .map(|p| &p.value),
                (Seg::Index(i), Ast::Array(a)) => a.elements.get(*i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        Some(self.lines.pos(node.start()))
    }

    /// Position of the key itself (for an unknown field).
    pub fn locate_key(&self, parent: &JsonPath, key: &str) -> Option<Pos> {
        let mut node = self.ast.as_ref()?;
        for seg in &parent.0 {
            node = match (seg, node) {
                (Seg::Key(k), Ast::Object(o)) => {
                    &o.properties.iter().find(|p| p.name.as_str() == k)?.value
                }
                (Seg::Index(i), Ast::Array(a)) => a.elements.get(*i)?,
                _ => return None,
            };
        }
        match node {
            Ast::Object(o) => o
                .properties
                .iter()
                .find(|p| p.name.as_str() == key)
                .map(|p| self.lines.pos(p.start())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "{\n  \"é\": \"ü\", \"x\": 1\n}";
        let loc = Locator::new(text);
        let p = loc.locate(&JsonPath::root().key("x")).unwrap();
        assert_eq!((p.line, p.column), (2, 18));
        let k = loc.locate_key(&JsonPath::root(), "x").unwrap();
        assert_eq!((k.line, k.column), (2, 13));
        // A missing key falls back to its object.
        let m = loc.locate(&JsonPath::root().key("nope")).unwrap();
        assert_eq!((m.line, m.column), (1, 1));
    }

    #[test]
    fn report_caps_at_one_hundred() {
        let many: Vec<Problem> = (0..130)
            .map(|i| Problem::error(format!("p{i}"), "bad"))
            .collect();
        let lines = report_lines(&many);
        assert_eq!(lines.len(), 101);
        assert_eq!(lines[100], "… and 30 more");
    }
}
