//! Markdown, for e-mail.

use std::fmt::Write as _;

use super::{Block, Doc, Inline, visible};

/// Text for Markdown, inline or in a table cell: every character that could start emphasis,
/// code, a link, raw HTML, an entity or a cell break is backslash-escaped; a line's leading
/// markup (a heading, a list, a quote, a numbered item) is neutralised; unsafe characters are
/// shown as escapes and newlines become spaces.
pub fn md_text(s: &str) -> String {
    markup_safe(s, true)
}

/// `md_text`, for a run that may also sit mid-line (`line_start` false): its spaces are kept and
/// only markup that works anywhere is escaped.
fn markup_safe(s: &str, line_start: bool) -> String {
    let v = visible(s);
    let v = if line_start { v.trim_start() } else { &v };
    let mut out = String::with_capacity(v.len() + 8);
    // A leading `-` or `+` makes a list item or a rule only before a space or on its own ("-",
    // "---"): a negative number such as "-0.1" is left as people write it.
    let list_or_rule = |c: char| {
        let mut rest = v.chars().skip(1);
        rest.clone().next().is_none_or(char::is_whitespace) || rest.all(|x| x == c || x == ' ')
    };
    for (i, c) in v.chars().enumerate() {
        let leading = line_start
            && i == 0
            && match c {
                '#' | '=' | '!' | ':' => true,
                '-' | '+' => list_or_rule(c),
                _ => false,
            };
        if leading
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. text" or "1) text" (or "1." alone) would start a numbered list; "0.25" would not.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let mut rest = out[digits..].chars();
    if line_start
        && digits > 0
        && matches!(rest.next(), Some('.' | ')'))
        && matches!(rest.next(), None | Some(' '))
    {
        out.insert(digits, '\\');
    }
    out
}

fn inline(runs: &[Inline]) -> String {
    let mut o = String::new();
    let mut line_start = true;
    for r in runs {
        match r {
            Inline::Text { text, bold, italic } => {
                let t = markup_safe(text, line_start);
                line_start = false;
                let mark = match (bold, italic) {
                    (true, true) => "***",
                    (true, false) => "**",
                    (false, true) => "*",
                    (false, false) => "",
                };
                if mark.is_empty() || t.trim().is_empty() {
                    o.push_str(&t);
                } else {
                    let _ = write!(o, "{mark}{t}{mark}");
                }
            }
            Inline::Break => {
                o.push_str("\\\n");
                line_start = true;
            }
        }
    }
    o
}

/// A document as Markdown: same content as its HTML and Word forms.
pub fn to_markdown(doc: &Doc) -> String {
    let mut o = String::new();
    if doc.show_title {
        let _ = writeln!(o, "# {}\n", md_text(&doc.title));
    }
    if let Some(n) = &doc.notice {
        let _ = writeln!(o, "**{}**\n", md_text(n));
    }
    for s in &doc.sections {
        if let Some(h) = &s.heading {
            let _ = writeln!(o, "## {}\n", md_text(h));
        }
        for b in &s.blocks {
            match b {
                Block::Sub(t) => {
                    let _ = writeln!(o, "### {}\n", md_text(t));
                }
                Block::Para(runs) => {
                    let _ = writeln!(o, "{}\n", inline(runs));
                }
                Block::Fields(f) => {
                    for (l, v) in f {
                        let _ = writeln!(o, "- **{}:** {}", md_text(l), md_text(v));
                    }
                    o.push('\n');
                }
                Block::Items(items) => {
                    for i in items {
                        let _ = writeln!(o, "- {}", inline(i));
                    }
                    o.push('\n');
                }
                Block::Table(head, rows) => {
                    let cells =
                        |r: &[String]| r.iter().map(|c| md_text(c)).collect::<Vec<_>>().join(" | ");
                    let _ = writeln!(o, "| {} |", cells(head));
                    let _ = writeln!(o, "|{}", "---|".repeat(head.len()));
                    for r in rows {
                        let _ = writeln!(o, "| {} |", cells(r));
                    }
                    o.push('\n');
                }
            }
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_text_neutralises_markup_and_cells() {
        assert_eq!(md_text("a | b\nc"), "a \\| b c");
        assert_eq!(md_text("# not a heading"), "\\# not a heading");
        assert_eq!(md_text("- not a list"), "\\- not a list");
        assert_eq!(md_text("1. not a list"), "1\\. not a list");
        assert_eq!(md_text("*x* [l](u) <b>"), "\\*x\\* \\[l\\](u) \\<b\\>");
        assert_eq!(md_text("\u{7}bell"), "\\\\u{7}bell");
        assert_eq!(md_text("FA-2026-003"), "FA-2026-003");
        assert_eq!(md_text("0.25"), "0.25");
        assert_eq!(md_text("2)"), "2\\)");
        assert_eq!(md_text("-0.1"), "-0.1");
        assert_eq!(md_text("+3 on last year"), "+3 on last year");
        assert_eq!(md_text("+ not a list"), "\\+ not a list");
        assert_eq!(md_text("-"), "\\-");
        assert_eq!(md_text("---"), "\\---");
        assert_eq!(md_text("- - -"), "\\- - -");
    }
}
