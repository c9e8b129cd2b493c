//! A Word document (docx-rs): opens in Word and LibreOffice, A4, headings as Word's own heading
//! styles (so the navigation pane lists the cases), the running head at the top of every page and
//! "Page N" at the foot.

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footer, Header, IndentLevel, Level, LevelJc, LevelText,
    NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Run, SpecialIndentType,
    Start, Style, StyleType, Table, TableCell, TableRow, WidthType,
};

use super::{Block, Doc, Inline, visible};

/// The bullet list's numbering id.
const BULLETS: usize = 1;

fn run(text: &str) -> Run {
    Run::new().add_text(visible(text))
}

fn runs(p: Paragraph, inlines: &[Inline]) -> Paragraph {
    inlines.iter().fold(p, |p, i| match i {
        Inline::Text { text, bold, italic } => {
            let mut r = run(text);
            if *bold {
                r = r.bold();
            }
            if *italic {
                r = r.italic();
            }
            p.add_run(r)
        }
        Inline::Break => p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping)),
    })
}

/// A body paragraph, in the Normal style by name (docx-rs marks no style as the default, and
/// some readers then see no style at all).
fn normal() -> Paragraph {
    Paragraph::new().style("Normal")
}

fn styles(d: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(size)
            .bold()
            .outline_lvl(level)
    };
    d.add_style(heading("Title", "Title", 32, 0))
        .add_style(heading("Heading1", "heading 1", 26, 0))
        .add_style(heading("Heading2", "heading 2", 22, 1))
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(SpecialIndentType::Hanging(240)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn cell(text: &str, bold: bool) -> TableCell {
    let mut r = run(text);
    if bold {
        r = r.bold();
    }
    TableCell::new().add_paragraph(normal().add_run(r))
}

/// The section's first paragraph starts its new page; a table cannot carry the break, but a
/// section that starts a page always opens with its heading.
fn page_break(p: Paragraph, first: &mut bool) -> Paragraph {
    if std::mem::take(first) {
        p.page_break_before(true)
    } else {
        p
    }
}

/// A document as a Word file's bytes. Deterministic: the file's dates are the document's own.
pub fn to_docx(doc: &Doc) -> Result<Vec<u8>, std::io::Error> {
    let head = Header::new().add_paragraph(
        normal()
            .align(AlignmentType::Left)
            .add_run(run(&doc.running_head).size(16)),
    );
    let foot = Footer::new().add_paragraph(
        normal()
            .align(AlignmentType::Right)
            .add_run(Run::new().add_text("Page ").size(16))
            .add_page_num(PageNum::new()),
    );
    let stamp = format!("{}T00:00:00Z", doc.dated);
    let mut d = styles(Docx::new())
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1020)
                .bottom(1020)
                .left(907)
                .right(907)
                .header(500)
                .footer(500),
        )
        .default_fonts(docx_rs::RunFonts::new().ascii("Arial").hi_ansi("Arial"))
        .default_size(21)
        .header(head)
        .footer(foot)
        .created_at(&stamp)
        .updated_at(&stamp);
    if doc.show_title {
        d = d.add_paragraph(normal().style("Title").add_run(run(&doc.title)));
    }
    if let Some(n) = &doc.notice {
        d = d.add_paragraph(normal().add_run(run(n).bold()));
    }
    for s in &doc.sections {
        let mut first = s.new_page;
        let mut start = |p: Paragraph| page_break(p, &mut first);
        if let Some(h) = &s.heading {
            d = d.add_paragraph(start(normal().style("Heading1").add_run(run(h))));
        }
        for b in &s.blocks {
            match b {
                Block::Sub(t) => {
                    d = d.add_paragraph(start(normal().style("Heading2").add_run(run(t))));
                }
                Block::Para(i) => d = d.add_paragraph(start(runs(normal(), i))),
                Block::Fields(f) => {
                    for (l, v) in f {
                        d = d.add_paragraph(start(
                            normal()
                                .add_run(run(&format!("{l}: ")).bold())
                                .add_run(run(v)),
                        ));
                    }
                }
                Block::Items(items) => {
                    for i in items {
                        d = d.add_paragraph(start(runs(
                            normal().numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                            i,
                        )));
                    }
                }
                Block::Table(head, rows) => {
                    let mut all = vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect())];
                    all.extend(
                        rows.iter()
                            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
                    );
                    d = d.add_table(Table::new(all).width(5000, WidthType::Pct));
                }
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut out)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(out.into_inner())
}
