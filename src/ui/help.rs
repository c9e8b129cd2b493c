//! The help overlay, generated from the keymap table: the keys of where the user is first.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use super::Theme;
use super::paint::{Layout, block, paint};
use super::widgets::clip;
use crate::app::keymap;

pub(super) fn overlay(here: keymap::Scope, scroll: u16, t: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let rows = keymap::help_rows(here);
    let mut lines = Vec::new();
    let mut last = None;
    for (scope, keys, what) in rows {
        if last != Some(scope) {
            if last.is_some() {
                lines.push(Line::default());
            }
            lines.push(Line::styled(
                scope.title(),
                t.label().add_modifier(Modifier::UNDERLINED),
            ));
            last = Some(scope);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<16}"), t.label()),
            Span::raw(what),
        ]));
    }
    let w = area.width.saturating_sub(4).min(90);
    // A line too long for the popup ends in an ellipsis (ux.md: nothing cut silently).
    let inner = usize::from(w.saturating_sub(2));
    let lines: Vec<Line<'static>> = lines.into_iter().map(|l| clip(l, inner)).collect();
    let h = area.height.saturating_sub(2).min(lines.len() as u16 + 2);
    let popup = area.centered(Constraint::Length(w), Constraint::Length(h));
    frame.render_widget(Clear, popup);
    let more = lines.len() as u16 + 2 > h;
    let title = if more {
        " Help · ↑↓ scroll · Esc closes "
    } else {
        " Help · Esc or ? closes "
    };
    let b = block(t, title, false)
        .border_style(ratatui::style::Style::new())
        .title_alignment(Alignment::Center);
    let max = (lines.len() as u16 + 2).saturating_sub(h);
    paint(
        frame,
        popup,
        lines,
        Some(b),
        Layout {
            wrap: false,
            scroll: scroll.min(max),
        },
    );
}
