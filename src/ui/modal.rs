//! Whichever modal is open, drawn over the screen, and the "discard?" question.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use super::Theme;
use super::paint::{Layout, paint};
use super::widgets::{modal_area, modal_block};
use crate::app::effect::MinutesChoice;
use crate::app::form::{MinutesForms, Modal, NextDates};
use crate::app::{App, Ask};

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
            Modal::Ranked(r) => super::ranked::ranked(app, t, frame, area, r),
            Modal::Dates(d) => next_dates(app, t, frame, area, d),
            Modal::Minutes(f) => minutes_forms(t, frame, area, f),
        }
    }
}

/// The dates the next meeting may be on, each with how far off it is.
fn next_dates(app: &App, t: &Theme, frame: &mut Frame, area: Rect, d: &NextDates) {
    let from = app.meeting().meeting_date();
    let mut lines = vec![
        Line::styled(
            "Its caseload is written beside the log from what the log holds now: cases waiting,",
            t.dim(),
        ),
        Line::styled(
            "deferrals with what was asked for, reviews falling due, places used.",
            t.dim(),
        ),
        Line::default(),
    ];
    for (i, date) in d.dates.iter().enumerate() {
        let sel = i == d.selected;
        let weeks = (date.0 - from.0).num_days() / 7;
        lines.push(Line::from(vec![
            Span::styled(
                if sel { "▶ " } else { "  " },
                if sel { t.selected() } else { t.label() },
            ),
            Span::styled(date.long(), if sel { t.selected() } else { t.label() }),
            Span::styled(
                format!(
                    " · in {}",
                    crate::domain::words::count(weeks, "week", "weeks")
                ),
                t.dim(),
            ),
        ]));
    }
    let b = modal_block(t, " The next meeting's date ");
    paint(frame, area, lines, Some(b), Layout::default());
}

/// The forms the minutes may be written in.
fn minutes_forms(t: &Theme, frame: &mut Frame, area: Rect, f: &MinutesForms) {
    let mut lines = vec![
        Line::styled(
            "Built from the log alone, with no pupil names, and written beside it.",
            t.dim(),
        ),
        Line::default(),
    ];
    for (i, choice) in MinutesChoice::ALL.iter().enumerate() {
        let sel = i == f.selected;
        let style = if sel { t.selected() } else { t.label() };
        lines.push(Line::from(vec![
            Span::styled(if sel { "▶ " } else { "  " }, style),
            Span::styled(choice.label(), style),
        ]));
    }
    let b = modal_block(t, " Write the minutes ");
    paint(frame, area, lines, Some(b), Layout::default());
}

/// The question on screen, over whatever is there: it takes the next key.
pub(super) fn ask(app: &App, t: &Theme, frame: &mut Frame) {
    let Some(a) = app.ask() else { return };
    let noun = app.modal().map_or("form", Modal::noun);
    let (title, lines) = match a {
        Ask::Quit => (
            format!(" ! Quit and lose the unsaved {noun}? "),
            vec![
                Line::raw("y: quit without recording it"),
                Line::raw("any other key: go back to it"),
            ],
        ),
        Ask::Discard => (
            format!(" ! Close the {noun} and lose what was typed? "),
            vec![
                Line::raw("y: close it; nothing is recorded"),
                Line::raw("any other key: go back to it, everything kept"),
            ],
        ),
        Ask::Reveal => (
            " ! Show pupils' names on this screen? ".to_owned(),
            vec![
                Line::raw("Everyone who can see this screen will see them:"),
                Line::raw("the room, the projector, anyone on the call."),
                Line::raw("Names, dates of birth, UPNs and home grid references."),
                Line::default(),
                Line::styled("Enter: show names", t.bad()),
                Line::raw("any other key: keep them hidden"),
            ],
        ),
    };
    let area = modal_area(frame.area());
    let w = area.width.min(62);
    let h = area.height.min(lines.len() as u16 + 2);
    let popup = area.centered(Constraint::Length(w), Constraint::Length(h));
    frame.render_widget(Clear, popup);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.warn())
        .title(Span::styled(title, t.warn()))
        .title_alignment(Alignment::Center);
    paint(frame, popup, lines, Some(b), Layout::default());
}
