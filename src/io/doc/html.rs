//! One self-contained HTML file, for print on A4: inline CSS, no scripts, nothing fetched.

use std::fmt::Write as _;

use super::{Block, Doc, Inline, visible};

/// Text for HTML: `& < > " '` as entities, unsafe characters shown as escapes.
pub fn html_text(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The page's style. Browsers print the `@page` margin boxes (running head, page numbers) where
/// they support them (Chromium does from version 131); elsewhere the page prints without them.
const PAGE: &str = "@page { size: A4; margin: 18mm 16mm; @top-left { content: \"{HEAD}\"; font: 8pt Arial, Helvetica, sans-serif; } @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); font: 8pt Arial, Helvetica, sans-serif; } }\n";

const CSS: &str = "body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #444; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
.notice { border: 2px solid #000; padding: 6pt; font-weight: bold; }
section.new-page { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 1px solid #666; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr, li, dt, dd { break-inside: avoid; page-break-inside: avoid; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 8pt; margin: 4pt 0 8pt; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
";

fn inline(runs: &[Inline]) -> String {
    let mut o = String::new();
    for r in runs {
        match r {
            Inline::Text { text, bold, italic } => {
                let t = html_text(text);
                match (bold, italic) {
                    (true, true) => {
                        let _ = write!(o, "<strong><em>{t}</em></strong>");
                    }
                    (true, false) => {
                        let _ = write!(o, "<strong>{t}</strong>");
                    }
                    (false, true) => {
                        let _ = write!(o, "<em>{t}</em>");
                    }
                    (false, false) => o.push_str(&t),
                }
            }
            Inline::Break => o.push_str("<br>\n"),
        }
    }
    o
}

/// A CSS string literal's content: the running head goes into a custom property.
fn css_string(s: &str) -> String {
    let mut o = String::new();
    for c in visible(s).chars() {
        match c {
            '"' | '\\' => {
                o.push('\\');
                o.push(c);
            }
            '<' => o.push_str("\\3c "),
            '>' => o.push_str("\\3e "),
            '&' => o.push_str("\\26 "),
            _ => o.push(c),
        }
    }
    o
}

/// A document as one self-contained HTML file, laid out for A4, a section marked `new_page`
/// starting on a new page.
pub fn to_html(doc: &Doc) -> String {
    let e = html_text;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{}{CSS}</style>\n</head>\n<body>\n",
        e(&doc.title),
        PAGE.replace("{HEAD}", &css_string(&doc.running_head))
    );
    if doc.show_title {
        let _ = writeln!(o, "<h1>{}</h1>", e(&doc.title));
    }
    if let Some(n) = &doc.notice {
        let _ = writeln!(o, "<p class=\"notice\">{}</p>", e(n));
    }
    for s in &doc.sections {
        let class = if s.new_page {
            " class=\"new-page\""
        } else {
            ""
        };
        let _ = writeln!(o, "<section{class}>");
        if let Some(h) = &s.heading {
            let _ = writeln!(o, "<h2>{}</h2>", e(h));
        }
        for b in &s.blocks {
            match b {
                Block::Sub(t) => {
                    let _ = writeln!(o, "<h3>{}</h3>", e(t));
                }
                Block::Para(runs) => {
                    let _ = writeln!(o, "<p>{}</p>", inline(runs));
                }
                Block::Fields(f) => {
                    o.push_str("<dl>\n");
                    for (l, v) in f {
                        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", e(l), e(v));
                    }
                    o.push_str("</dl>\n");
                }
                Block::Items(items) => {
                    o.push_str("<ul>\n");
                    for i in items {
                        let _ = writeln!(o, "<li>{}</li>", inline(i));
                    }
                    o.push_str("</ul>\n");
                }
                Block::Table(head, rows) => {
                    o.push_str("<table>\n<thead><tr>");
                    for h in head {
                        let _ = write!(o, "<th>{}</th>", e(h));
                    }
                    o.push_str("</tr></thead>\n<tbody>\n");
                    for r in rows {
                        o.push_str("<tr>");
                        for c in r {
                            let _ = write!(o, "<td>{}</td>", e(c));
                        }
                        o.push_str("</tr>\n");
                    }
                    o.push_str("</tbody>\n</table>\n");
                }
            }
        }
        o.push_str("</section>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_covers_the_five_and_controls() {
        assert_eq!(
            html_text("<script>alert('x')</script> & \"q\"\u{1b}[2J"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\\u{1b}[2J"
        );
        assert_eq!(html_text("a\nb\u{202e}c"), "a b\\u{202e}c");
    }

    #[test]
    fn the_running_head_cannot_close_the_style() {
        let s = css_string("a\"b</style><script>");
        assert!(!s.contains('"') || s.contains("\\\""));
        assert!(!s.contains('<') && !s.contains('>'));
    }
}
