//! The schools view: every school in the caseload by name, and the selected one's facts with
//! its Fair Access placements this year and its share against an even split by roll (from the
//! meeting view).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::paint::{Layout, block, paint};
use super::queue::{list_frame, search_line};
use super::{Theme, end_scroll, field, highlighted, pad, school_tag, window};
use crate::app::{App, Focus};
use crate::domain::caseload::{Gender, OfstedCategory, School};
use crate::domain::words;

pub(super) fn list(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = app.schools_nav();
    let total = app.school_order().len();
    let rows = usize::from(area.height.saturating_sub(3));
    let width = usize::from(area.width.saturating_sub(2));
    let start = window(nav.selected, rows);
    let name_w = width.saturating_sub(2 + 5 + 7 + 6);
    let mut lines = Vec::new();
    for row in start..(start + rows).min(nav.len(total)) {
        let Some(item) = nav.item(row) else { break };
        let Some(s) = app
            .school_order()
            .get(item)
            .and_then(|i| app.caseload().schools.get(*i))
        else {
            break;
        };
        let sel = row == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let hl = nav.highlights(app.school_index(), item);
        let name = pad(&s.name, name_w);
        let name_hl: Vec<usize> = hl
            .iter()
            .copied()
            .filter(|i| *i < name.chars().count())
            .collect();
        let mut spans = vec![Span::styled(if sel { "▶ " } else { "  " }, base)];
        spans.extend(highlighted(&name, &name_hl, base, t));
        spans.push(Span::styled(format!(" {:<4}", school_tag(s)), base));
        spans.push(Span::styled(format!(" {:>6}", s.urn), base));
        let concern = if s.ofsted_category.is_some() {
            " !"
        } else {
            "  "
        };
        spans.push(Span::styled(concern, base.patch(t.warn())));
        lines.push(Line::from(spans));
    }
    if nav.len(total) == 0 {
        lines.push(Line::styled("  no school matches", t.dim()));
    }
    list_frame(
        frame,
        area,
        &format!(" Schools {total} "),
        app.focus() == Focus::List,
        t,
        search_line(nav, total, false, t),
        lines,
    );
}

pub(super) fn detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let b = block(t, " School ", app.focus() == Focus::Detail);
    let Some(s) = app.selected_school() else {
        paint(
            frame,
            area,
            vec![Line::raw("No school selected.")],
            Some(b),
            Layout::default(),
        );
        return;
    };
    let mut lines = vec![Line::styled(s.name.clone(), t.label())];
    lines.extend(field(t, w, "URN", vec![Span::raw(s.urn.to_string())]));
    lines.extend(field(
        t,
        w,
        "Type",
        vec![Span::raw(format!(
            "{} · {}",
            s.school_type,
            words::phase(s.phase)
        ))],
    ));
    lines.extend(field(
        t,
        w,
        "Ages",
        vec![Span::raw(format!("{}–{}", s.low_age, s.high_age))],
    ));
    let sex = match s.gender {
        Gender::Mixed => Span::raw("mixed"),
        Gender::Boys => Span::raw("boys only"),
        Gender::Girls => Span::raw("girls only"),
        Gender::Unknown => Span::styled("? not known: check before placing", t.warn()),
    };
    lines.extend(field(t, w, "Admits", vec![sex]));
    if s.selective {
        lines.extend(field(
            t,
            w,
            "Admissions",
            vec![Span::raw("selective (grammar)")],
        ));
    }
    if let Some(r) = &s.religion {
        lines.extend(field(t, w, "Religion", vec![Span::raw(r.clone())]));
    }
    if let Some(n) = s.on_roll {
        lines.extend(field(t, w, "On roll", vec![Span::raw(n.to_string())]));
    }
    if !s.pan.is_empty() {
        let pan: Vec<String> = s.pan.iter().map(|(y, n)| format!("{y} {n}")).collect();
        lines.extend(field(t, w, "PAN", vec![Span::raw(pan.join(" · "))]));
    }
    if let Some(c) = s.ofsted_category {
        let words = match c {
            OfstedCategory::SpecialMeasures => "! special measures",
            OfstedCategory::SeriousWeaknesses => "! serious weaknesses",
        };
        lines.extend(field(t, w, "Ofsted", vec![Span::styled(words, t.warn())]));
    }
    if let Some(pc) = &s.postcode {
        lines.extend(field(t, w, "Postcode", vec![Span::raw(pc.clone())]));
    }
    lines.extend(school_tally(app, s, t, w));
    if let Some(pp) = &s.prior_placements {
        let total: u32 = pp.by_year_group.values().sum();
        let by: Vec<String> = pp
            .by_year_group
            .iter()
            .map(|(y, n)| format!("{y} {n}"))
            .collect();
        lines.extend(field(
            t,
            w,
            "LA's count",
            vec![Span::raw(format!(
                "{total} this year to {} ({})",
                pp.as_of.long(),
                by.join(" · ")
            ))],
        ));
    }
    for (i, e) in s.exemptions.iter().enumerate() {
        lines.extend(field(
            t,
            w,
            if i == 0 { "Exempt" } else { "" },
            vec![Span::raw(format!("{}: {}", e.year_group, e.reason))],
        ));
    }
    let scroll = end_scroll(app.detail_scroll(), lines.len(), area);
    paint(frame, area, lines, Some(b), Layout::wrapped(scroll));
}

/// A school's Fair Access placements this year by year group, and its share against an even
/// split by roll.
fn school_tally(app: &App, s: &School, t: &Theme, w: usize) -> Vec<Line<'static>> {
    let tally = app.meeting().tally();
    let years: Vec<String> = tally
        .by_year_group(s.urn)
        .iter()
        .map(|(y, n)| format!("{y} {n}"))
        .collect();
    let mut out = field(
        t,
        w,
        "This year",
        vec![Span::raw(format!(
            "{}{}",
            words::count(
                tally.total(s.urn),
                "Fair Access placement",
                "Fair Access placements"
            ),
            if years.is_empty() {
                String::new()
            } else {
                format!(" ({})", years.join(" · "))
            }
        ))],
    );
    if !(s.ap || s.pru || s.special)
        && let Some((placed, even)) = app.meeting().share(s.urn)
    {
        let diff = f64::from(placed) - even;
        let (sym, style) = if diff > 0.5 {
            ("▲ above", t.warn())
        } else if diff < -0.5 {
            ("▼ below", Style::new())
        } else {
            ("= about", Style::new())
        };
        out.extend(field(
            t,
            w,
            "Fair share",
            vec![Span::styled(
                format!("{sym} an even split by roll ({placed} placed, even share {even:.1})"),
                style,
            )],
        ));
    }
    if let Some(k) = s.pan.values().copied().max().and_then(|_| {
        let y = *s.pan.keys().next()?;
        app.meeting().cap(s, y)
    }) {
        out.extend(field(
            t,
            w,
            "Cap",
            vec![Span::raw(format!(
                "{k} a year (local rule: 1 per {} of PAN)",
                app.caseload()
                    .panel
                    .settings
                    .fair_share_pan_per_placement
                    .unwrap_or(0)
            ))],
        ));
    }
    out
}
