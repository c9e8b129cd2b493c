//! Whichever modal is open, drawn over the screen, and the "discard?" question.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use super::Theme;
use super::paint::{Layout, paint};
use super::widgets::modal_area;
use crate::app::App;
use crate::app::form::Modal;

pub(super) fn render(app: &App, t: &Theme, frame: &mut Frame) {
    let area = modal_area(frame.area());
    if area.height < 3 || area.width < 10 {
        return;
    }
    if let Some(m) = app.modal() {
        frame.render_widget(Clear, area);
        match m {
            Modal::Form(f) => super::form::form(app, t, frame, area, f),
            Modal::Confirm(c) => super::confirm::confirm(app, t, frame, area, c),
            Modal::Attendance(p) => super::attendance::attendance(app, t, frame, area, p),
        }
        if app.quit_asked() {
            quit_ask(t, frame, area, m.noun());
        }
    }
}

fn quit_ask(t: &Theme, frame: &mut Frame, area: Rect, noun: &str) {
    let w = area.width.min(60);
    let h = area.height.min(4);
    let popup = area.centered(Constraint::Length(w), Constraint::Length(h));
    frame.render_widget(Clear, popup);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.warn())
        .title(Span::styled(
            format!(" ! Discard the unsaved {noun}? "),
            t.warn(),
        ))
        .title_alignment(Alignment::Center);
    paint(
        frame,
        popup,
        vec![
            Line::raw("y: quit without recording it"),
            Line::raw("n or Esc: go back to it"),
        ],
        Some(b),
        Layout::default(),
    );
}
