//! The pieces every modal is drawn from: where it goes, its block, a form row, a text input,
//! wrapped and clipped lines.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use tui_input::Input;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Theme;
use super::paint::{boxed, fit, pad};
use crate::app::App;

/// Width of the label column in forms.
pub(super) const FORM_LABEL_W: usize = 19;

/// Where modals go: the body of the screen, between the title and the status line, at most
/// 120 columns wide and centred.
pub fn modal_area(area: Rect) -> Rect {
    let w = area.width.min(120);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + area.height.min(1),
        width: w,
        height: area.height.saturating_sub(3),
    }
}

/// Cuts a line to `w` columns, ending in an ellipsis when cut (ux.md: nothing cut silently).
pub(super) fn clip(line: Line<'static>, w: usize) -> Line<'static> {
    if line.width() <= w {
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let sw = span.content.width();
        if used + sw < w {
            used += sw;
            out.push(span);
            continue;
        }
        let room = w - used;
        out.push(Span::styled(
            fit(&format!("{}…", span.content), room),
            span.style,
        ));
        break;
    }
    Line::from(out)
}

pub(super) fn modal_block(t: &Theme, title: &str) -> Block<'static> {
    boxed(t, title, t.border(true))
}

/// The case as a shared screen may name it: reference and initials (names only when
/// screen-share is off).
pub(super) fn case_heading(app: &App, case: usize) -> String {
    app.caseload()
        .cases
        .get(case)
        .map_or_else(String::new, |c| {
            format!(
                "{} · {} · {}",
                c.reference,
                app.pupil_label(c),
                c.kind.label()
            )
        })
}

/// A text input as shown: the visible window of its value, with a cursor when focused, padded
/// to `w` columns and underlined so an empty field still shows where to type.
pub(super) fn input_spans(input: &Input, focused: bool, w: usize, t: &Theme) -> Vec<Span<'static>> {
    let w = w.max(4);
    let field_style = Style::new().add_modifier(Modifier::UNDERLINED);
    if !focused {
        return vec![Span::styled(pad(input.value(), w), field_style)];
    }
    // Leave one column for the cursor.
    let room = w - 1;
    let scroll = input.visual_scroll(room);
    let mut before = String::new();
    let mut after = String::new();
    let mut col = 0usize;
    for (i, c) in input.value().chars().enumerate() {
        let cw = c.width().unwrap_or(0);
        if col < scroll {
            col += cw;
            continue;
        }
        if col + cw > scroll + room {
            break;
        }
        if i < input.cursor() {
            before.push(c);
        } else {
            after.push(c);
        }
        col += cw;
    }
    let used = before.width() + 1 + after.width();
    let mut spans = vec![
        Span::styled(before, field_style),
        Span::styled("▏", field_style.patch(t.hit())),
        Span::styled(after, field_style),
    ];
    if used < w {
        spans.push(Span::styled(" ".repeat(w - used), field_style));
    }
    spans
}

/// Where each visual line of `text` starts and ends (char offsets, the end short of a line
/// break) when wrapped to `w` columns: at a line break, else after the last space that fits,
/// else mid-word.
pub(super) fn wrap_ranges(text: &str, w: usize) -> Vec<(usize, usize)> {
    let w = w.max(4);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let end_of_line = chars[start..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(chars.len(), |i| start + i);
        let mut s = start;
        loop {
            let mut col = 0;
            let mut i = s;
            while i < end_of_line {
                let cw = chars[i].width().unwrap_or(0);
                if col + cw > w {
                    break;
                }
                col += cw;
                i += 1;
            }
            if i >= end_of_line {
                out.push((s, end_of_line));
                break;
            }
            // Break after the last space that fits, if there is one.
            let cut = chars[s..i]
                .iter()
                .rposition(|c| *c == ' ')
                .map_or(i, |p| s + p + 1)
                .max(s + 1);
            out.push((s, cut));
            s = cut;
        }
        if end_of_line >= chars.len() {
            break;
        }
        start = end_of_line + 1;
    }
    out
}

/// A multi-line text input as shown: every line of what was typed, wrapped to `w` columns,
/// nothing scrolled out of sight; with a cursor when focused.
pub(super) fn text_area(
    input: &Input,
    focused: bool,
    w: usize,
    t: &Theme,
) -> Vec<Vec<Span<'static>>> {
    let field_style = Style::new().add_modifier(Modifier::UNDERLINED);
    let w = w.max(4);
    let chars: Vec<char> = input.value().chars().collect();
    // One column kept for the cursor.
    let ranges = wrap_ranges(input.value(), w - 1);
    let cursor = input.cursor().min(chars.len());
    // The cursor's line: the last whose start is at or before it.
    let at = ranges.iter().rposition(|(s, _)| *s <= cursor).unwrap_or(0);
    ranges
        .iter()
        .enumerate()
        .map(|(i, (s, e))| {
            let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
            let mut spans = Vec::new();
            let mut used = 0;
            if focused && i == at {
                let before = text(*s, cursor.min(*e).max(*s));
                let after = text(cursor.min(*e).max(*s), *e);
                used = before.width() + 1 + after.width();
                spans.push(Span::styled(before, field_style));
                spans.push(Span::styled("▏", field_style.patch(t.hit())));
                spans.push(Span::styled(after, field_style));
            } else {
                let line = text(*s, *e);
                used = used.max(line.width());
                spans.push(Span::styled(line, field_style));
            }
            if used < w {
                spans.push(Span::styled(" ".repeat(w - used), field_style));
            }
            spans
        })
        .collect()
}

/// One form row: marker, label, value spans.
pub(super) fn row_line(
    t: &Theme,
    at: bool,
    label: &str,
    value: Vec<Span<'static>>,
) -> Line<'static> {
    let marker = if at { "▶ " } else { "  " };
    let label_style = if at {
        t.label().add_modifier(Modifier::REVERSED)
    } else {
        t.label()
    };
    let mut spans = vec![
        Span::styled(marker, t.label()),
        Span::styled(format!("{label:<w$}", w = FORM_LABEL_W - 1), label_style),
        Span::raw(" "),
    ];
    spans.extend(value);
    Line::from(spans)
}
