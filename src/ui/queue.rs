//! The case queue: most urgent first, each case with its clock (or what stopped it).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::paint::{Layout, block, paint};
use super::{Theme, fit, highlighted, pad, window};
use crate::app::{App, Focus, KEY_FIELD_NAME, KEY_FIELD_REFERENCE, ListNav};
use crate::domain::text::fold_char;
use crate::domain::view::{CaseFacts, ClockState, Standing};

/// The clock column: the school days against the aim with a symbol, or what stopped the clock.
fn clock_cell(f: &CaseFacts, t: &Theme) -> (String, Style) {
    let c = &f.clock;
    let days = c.since_agreed.unwrap_or(0);
    // A placement says so whether or not a clock ever ran (AP places and managed moves have
    // none); its review, when due, is what the panel must do today.
    if f.review_due {
        return ("⟳ review".to_owned(), t.warn());
    }
    match f.standing {
        Standing::Placed => return ("✓ placed".to_owned(), t.ok()),
        Standing::Closed => return ("✓ closed".to_owned(), t.ok()),
        Standing::BrokeDown => return ("↺ back".to_owned(), t.warn()),
        _ => {}
    }
    match f.clock_state() {
        ClockState::Overdue => (format!("‼ {days}/{}", c.aim), t.bad()),
        ClockState::DueSoon => (format!("! {days}/{}", c.aim), t.warn()),
        ClockState::OnTime => (format!("  {days}/{}", c.aim), Style::new()),
        ClockState::Unknown => (format!("? —/{}", c.aim), t.warn()),
        ClockState::NotAgreed => match c.since_referral {
            Some(d) => (format!("new {d}d"), t.dim()),
            None => (format!("new {}c", c.calendar_days_since_referral), t.dim()),
        },
        ClockState::Stopped => ("✓ closed".to_owned(), t.ok()),
    }
}

/// Which field of a case a fuzzy hit matched: the one holding most of the matched characters
/// (a reference typed or begun is the reference).
fn matched_field(app: &App, item: usize, hl: &[usize], fields: &[usize]) -> &'static str {
    let fold = |s: &str| -> String { s.chars().map(fold_char).collect() };
    let q = fold(app.cases_nav().input.value().trim());
    let reference = app
        .queue()
        .get(item)
        .and_then(|i| app.meeting().case(*i))
        .map(|c| fold(&c.reference));
    if !q.is_empty() && reference.is_some_and(|r| r.starts_with(q.as_str())) {
        return "reference";
    }
    let count = |f: usize| {
        let from = fields.get(f).copied().unwrap_or(usize::MAX);
        let to = fields.get(f + 1).copied().unwrap_or(usize::MAX);
        hl.iter().filter(|&&i| i >= from && i < to).count()
    };
    let names = ["name", "school", "category", "reference"];
    (0..names.len())
        .max_by_key(|f| (count(*f), std::cmp::Reverse(*f)))
        .filter(|f| count(*f) > 0)
        .map_or("", |f| names[f])
}

/// The search line at the top of a list, when searching or filtered. With `mask` (names
/// hidden) what was typed shows as dots: a name typed to find a child is not shown to the room,
/// only how long it is.
pub(super) fn search_line(
    nav: &ListNav,
    total: usize,
    mask: bool,
    t: &Theme,
) -> Option<Line<'static>> {
    if !nav.searching && nav.hits.is_none() {
        return None;
    }
    let cursor = if nav.searching { "▏" } else { "" };
    let typed = if mask {
        "•".repeat(nav.input.value().chars().count())
    } else {
        nav.input.value().to_owned()
    };
    Some(Line::from(vec![
        Span::styled("/ ", t.label()),
        Span::raw(format!("{typed}{cursor}")),
        Span::styled(
            match nav.similar_from {
                Some(at) if nav.len(total) > at => {
                    format!("  {} of {total} · {} similar", at, nav.len(total) - at)
                }
                _ => format!("  {} of {total}", nav.len(total)),
            },
            t.dim(),
        ),
    ]))
}

/// A list pane: its block, its first line (the search line, or how to search), then the rows.
pub(super) fn list_frame(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    focused: bool,
    t: &Theme,
    first: Option<Line<'static>>,
    rows: Vec<Line<'static>>,
) {
    let mut lines = Vec::with_capacity(rows.len() + 1);
    lines.push(first.unwrap_or_else(|| {
        Line::styled("  / to search", Style::new().add_modifier(Modifier::DIM))
    }));
    lines.extend(rows);
    paint(
        frame,
        area,
        lines,
        Some(block(t, title, focused)),
        Layout::default(),
    );
}

pub(super) fn queue(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = app.cases_nav();
    let total = app.queue().len();
    let rows = usize::from(area.height.saturating_sub(3));
    let width = usize::from(area.width.saturating_sub(2));
    let start = window(nav.selected, rows);
    // Marker, reference, name, year and clock always fit the width: the reference is never
    // cut (it is how the room names the child), the name takes what the fixed columns leave,
    // so the clock is never cut either.
    let clock_w = 8;
    let year_w = 3;
    // While filtered, each hit says which field matched: beside the clock when there is room,
    // in its place when not.
    let tag_w = 10;
    let filtered = nav.hits.is_some();
    let room = width.saturating_sub(2 + year_w + clock_w + 3);
    let both = filtered && room > 11 + 5 + tag_w;
    let room = if both { room - tag_w - 1 } else { room };
    let shown = start..(start + rows).min(nav.len(total));
    let ref_w = shown
        .clone()
        .filter_map(|row| nav.item(row))
        .filter_map(|item| app.queue().get(item))
        .filter_map(|i| app.meeting().case(*i))
        .map(|c| c.reference.chars().count())
        .max()
        .unwrap_or(11)
        .max(11);
    let name_w = if app.screen_share() {
        5
    } else {
        room.saturating_sub(ref_w).clamp(4, 16)
    };
    let mut lines = Vec::new();
    for row in shown {
        let Some(item) = nav.item(row) else { break };
        let Some((case, facts)) = app.queue().get(item).and_then(|i| app.case_with_facts(*i))
        else {
            break;
        };
        let sel = row == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let hl = nav.highlights(app.case_index(), item);
        let fields = app.case_fields(item);
        let in_field = |f: usize, len: usize| -> Vec<usize> {
            let s = fields.get(f).copied().unwrap_or(usize::MAX);
            hl.iter()
                .filter(|&&i| i >= s && i < s + len)
                .map(|i| i - s)
                .collect()
        };
        let reference = pad(&case.reference, ref_w);
        let name = pad(&app.pupil_label(case), name_w);
        let ref_hl = in_field(KEY_FIELD_REFERENCE, case.reference.chars().count());
        let name_hl = if app.screen_share() {
            Vec::new()
        } else {
            in_field(KEY_FIELD_NAME, name.chars().count())
        };
        let (clock, cstyle) = clock_cell(facts, t);
        let mut spans = vec![Span::styled(if sel { "▶ " } else { "  " }, base)];
        spans.extend(highlighted(&reference, &ref_hl, base, t));
        spans.push(Span::styled(" ", base));
        spans.extend(highlighted(&name, &name_hl, base, t));
        spans.push(Span::styled(
            format!(
                " {:<3}",
                facts.year.map_or("?".to_owned(), |y| y.to_string())
            ),
            base,
        ));
        let tag = || {
            let (text, style) = if nav.is_similar(row) {
                ("≈ similar", t.warn())
            } else {
                (matched_field(app, item, &hl, fields), t.dim())
            };
            Span::styled(format!(" {:<w$}", text, w = tag_w - 1), base.patch(style))
        };
        if !filtered || both {
            spans.push(Span::styled(
                format!(" {:>w$}", fit(&clock, clock_w), w = clock_w),
                base.patch(cstyle),
            ));
        }
        if filtered {
            spans.push(tag());
        }
        lines.push(Line::from(spans));
    }
    if nav.len(total) == 0 {
        lines.push(Line::styled("  no case matches", t.dim()));
    }
    // The agenda line where the search line goes when not searching (/ still searches).
    let agenda = Line::styled(
        format!(
            "  {}",
            super::agenda(&app.meeting().summary(), width.saturating_sub(2))
        ),
        t.label(),
    );
    list_frame(
        frame,
        area,
        &format!(" Queue {total} · most urgent first "),
        app.focus() == Focus::List,
        t,
        search_line(nav, total, app.screen_share(), t).or(Some(agenda)),
        lines,
    );
}
