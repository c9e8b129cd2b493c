//! Documents people read: the minutes and the letters are laid out once as a [`Doc`] of
//! sections and blocks in words, then written as Markdown (for e-mail), one self-contained HTML
//! file (for print on A4) or a Word document, by renderers that escape every text for their
//! target. A control or bidirectional character never reaches any output raw: it is shown as a
//! visible `\u{..}` escape, spelled as on the terminal.

mod docx;
mod html;
mod markdown;

use std::fmt::Write as _;

use crate::domain::text::is_unsafe;

pub use docx::to_docx;
pub use html::{html_text, to_html};
pub use markdown::{md_text, to_markdown};

/// A document: a title, an optional warning, then sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    /// A warning printed in a box before everything else (the LA's internal copy).
    pub notice: Option<String>,
    pub sections: Vec<Section>,
    /// Printed at the head of every page in print and Word ("Minutes: panel, date").
    pub running_head: String,
    /// The document's own date (ISO), written into the Word file's properties so the same
    /// content always gives the same bytes; never the wall clock.
    pub dated: String,
    /// Whether the title is shown as a heading (minutes) or only in the file's properties and
    /// running head (a letter, whose first lines are its addresses).
    pub show_title: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// None for a letter's body, which has no heading of its own.
    pub heading: Option<String>,
    /// Starts on a new page in print and in Word (each case does).
    pub new_page: bool,
    pub blocks: Vec<Block>,
}

/// A run of text in a paragraph or list item.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// A line break inside the paragraph (an address).
    Break,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Sub(String),
    Para(Vec<Inline>),
    /// Label and value pairs.
    Fields(Vec<(String, String)>),
    Items(Vec<Vec<Inline>>),
    Table(Vec<String>, Vec<Vec<String>>),
}

impl Block {
    /// A paragraph of plain text.
    pub fn para(text: impl Into<String>) -> Block {
        Block::Para(vec![plain(text)])
    }

    /// A list of plain items.
    pub fn items(items: Vec<String>) -> Block {
        Block::Items(items.into_iter().map(|i| vec![plain(i)]).collect())
    }
}

/// Plain text, neither bold nor italic.
pub fn plain(text: impl Into<String>) -> Inline {
    Inline::Text {
        text: text.into(),
        bold: false,
        italic: false,
    }
}

/// A titled section.
pub fn section(heading: impl Into<String>, blocks: Vec<Block>) -> Section {
    Section {
        heading: Some(heading.into()),
        new_page: false,
        blocks,
    }
}

/// Unsafe characters (controls, bidirectional overrides) as visible escapes, spelled as on the
/// terminal; newlines, tabs and carriage returns as spaces, so free text keeps its words on one
/// line. Like `crate::io::json` for JSON, each form encodes unsafe characters itself: it is the
/// form's own encoding of its text, done before it leaves through `cli::out` or a file.
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            out.push(' ');
        } else if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}
