//! Every school that may be asked for a case (`o`): the whole ranked list the detail pane
//! shortens, lawful ones first, then those that need a reason, then the preferences the rules
//! leave out, each with the rule that refuses it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::paint::{Layout, paint};
use super::widgets::{case_heading, clip, modal_block};
use super::{Theme, finding, fit, school_name, suggestion_spans, window};
use crate::app::form::RankedList;
use crate::app::{App, RankedRow};

pub(super) fn ranked(app: &App, t: &Theme, frame: &mut Frame, area: Rect, r: &RankedList) {
    let w = usize::from(area.width.saturating_sub(2));
    let rows = app.ranked_rows();
    let title = format!(
        " Schools for {} · {} ranked ",
        case_heading(app, r.case),
        app.working().map_or(0, |x| x.suggestions.len())
    );
    let mut lines = Vec::new();
    if let Some(working) = app.working() {
        let start = working.start.long();
        let year = working
            .year_on_start
            .map_or(String::new(), |y| format!(" in {y}"));
        lines.push(Line::styled(
            fit(
                &format!(
                    "A place{year} from {start}: ✓ nothing stands against it · ! needs a reason · ✗ refused"
                ),
                w,
            ),
            t.dim(),
        ));
    }
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let first = window(r.selected, height);
    for (i, row) in rows.iter().enumerate().skip(first).take(height) {
        let sel = i == r.selected;
        let mut spans = vec![Span::styled(
            if sel { "▶ " } else { "  " },
            if sel { t.selected() } else { t.label() },
        )];
        match row {
            RankedRow::Suggested(rank, s) => {
                if let Some(working) = app.working() {
                    spans.extend(suggestion_spans(app, working, *rank, s, 34, t));
                }
            }
            RankedRow::Preference(p) => {
                spans.push(Span::styled(
                    format!("  {} ", school_name(app, p.urn)),
                    t.label(),
                ));
                spans.push(Span::raw(format!("· preference {} ", p.rank)));
                match p.hits.iter().min_by_key(|h| h.rule.severity) {
                    Some(h) => {
                        spans.push(Span::raw("· "));
                        spans.extend(finding(h, true, t));
                    }
                    None => spans.push(Span::styled("· not ranked", t.dim())),
                }
            }
        }
        lines.push(clip(Line::from(spans), w));
    }
    if rows.is_empty() {
        lines.push(Line::styled(
            "  no mainstream school can lawfully be asked",
            t.warn(),
        ));
    }
    let b = modal_block(t, &fit(&title, w));
    paint(frame, area, lines, Some(b), Layout::default());
}
