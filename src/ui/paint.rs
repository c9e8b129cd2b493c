//! The one way text reaches the screen. Whatever came from a file (a name, a school, a reason)
//! may hold control or bidirectional characters; they are shown as visible escapes in this module
//! and nowhere else, for every pane, title and popup, instead of at each place a string is built
//! (cli.md: "anything that reaches the terminal is escaped"). The helpers that lay text out by
//! width (`fit`, `pad`, `field`) escape first, so a long escape can never push the screen-share
//! badge or a clock off the screen; `paint` escapes whatever else reaches a cell.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::domain::text::escape;

/// Cuts `s` to `w` columns, ending in an ellipsis when cut (ux.md: nothing cut silently).
/// Text from a file is escaped first, so the width is the width shown.
pub fn fit(s: &str, w: usize) -> String {
    let s = escape(s);
    if s.width() <= w {
        return s.into_owned();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    out
}

/// The columns `s` takes on screen, escapes included.
pub fn shown_width(s: &str) -> usize {
    escape(s).width()
}

/// Pads (or cuts) to exactly `w` columns.
pub(super) fn pad(s: &str, w: usize) -> String {
    let f = fit(s, w);
    let n = w.saturating_sub(f.width());
    f + &" ".repeat(n)
}

/// Width of the label column in detail panes.
pub(super) const LABEL_W: usize = 13;

/// A labelled detail field, word-wrapped to `width` with continuation lines indented under the
/// value, so a wrapped value never runs back under the labels.
pub(super) fn field<'a>(
    t: &Theme,
    width: usize,
    label: &str,
    value: Vec<Span<'a>>,
) -> Vec<Line<'a>> {
    let avail = width.saturating_sub(LABEL_W).max(12);
    let mut rows: Vec<Vec<Span<'a>>> = vec![Vec::new()];
    let mut used = 0;
    for span in value.into_iter().map(safe_span) {
        for piece in span.content.split_inclusive(' ') {
            let w = piece.width();
            if used > 0 && used + piece.trim_end().width() > avail {
                rows.push(Vec::new());
                used = 0;
            }
            if let Some(row) = rows.last_mut() {
                row.push(Span::styled(piece.to_owned(), span.style));
            }
            used += w;
        }
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let head = if i == 0 {
                format!("{label:<LABEL_W$}")
            } else {
                " ".repeat(LABEL_W)
            };
            let mut spans = vec![Span::styled(head, t.label())];
            spans.extend(row);
            Line::from(spans)
        })
        .collect()
}

/// How a pane's text is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    pub wrap: bool,
    pub scroll: u16,
}

impl Layout {
    /// Word-wrapped, scrolled down `scroll` lines (detail panes, the confirm view).
    pub fn wrapped(scroll: u16) -> Layout {
        Layout { wrap: true, scroll }
    }
}

/// A span with its text made safe.
fn safe_span(s: Span<'_>) -> Span<'static> {
    let content = match escape(&s.content) {
        Cow::Borrowed(_) => s.content.into_owned(),
        Cow::Owned(o) => o,
    };
    Span::styled(content, s.style)
}

/// A line with every span's text made safe.
pub fn safe_line(l: Line<'_>) -> Line<'static> {
    Line {
        spans: l.spans.into_iter().map(safe_span).collect(),
        style: l.style,
        alignment: l.alignment,
    }
}

/// A pane: a bordered block with a title, the title made safe. The focused pane's title starts
/// with a marker, so which pane the arrows move shows without colour (a projector, NO_COLOR).
pub(super) fn block(t: &Theme, title: &str, focused: bool) -> Block<'static> {
    let title = if focused {
        format!(" ● {}", title.trim_start())
    } else {
        title.to_owned()
    };
    boxed(t, &title, t.border(focused))
}

/// A bordered block with a title, the title made safe (modals: always the one in front).
pub(super) fn boxed(t: &Theme, title: &str, border: ratatui::style::Style) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(escape(title).into_owned(), t.label()))
}

/// A panel beside a form: a rule on its left and a title, the title made safe.
pub(super) fn side_block(t: &Theme, title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::LEFT)
        .title(Span::styled(escape(title).into_owned(), t.label()))
}

/// Draws `lines` in `area`, inside `block` if given, every span made safe.
pub fn paint(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'_>>,
    block: Option<Block<'static>>,
    layout: Layout,
) {
    let lines: Vec<Line<'static>> = lines.into_iter().map(safe_line).collect();
    let mut p = Paragraph::new(lines).scroll((layout.scroll, 0));
    if layout.wrap {
        p = p.wrap(Wrap { trim: false });
    }
    if let Some(b) = block {
        p = p.block(b);
    }
    frame.render_widget(p, area);
}
