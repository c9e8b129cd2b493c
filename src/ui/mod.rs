//! Drawing: `render(&App, &mut Frame)` and nothing else. Every string that came from a file is
//! escaped here before it reaches a cell (cli.md), and every state shown in colour also carries a
//! symbol or a word (ux.md: projectors wash colours out; some chairs are colour-blind).

pub mod form;
pub mod layout;
mod rules_view;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Focus, KEY_FIELD_NAME, KEY_FIELD_REFERENCE, ListNav, View};
use crate::caseload::model::{AppOutcome, Case, Gender, OfstedCategory, Provision, School, Sen};
use crate::clock::Urgency;
use crate::keymap;
use crate::log::event::{Decision, Event as LogEvent, Outcome};
use crate::text::escape;

/// Styles that follow NO_COLOR: without colour, bold and reverse still mark state.
struct Theme {
    color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    fn label(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    fn hit(&self) -> Style {
        self.fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        }
    }
}

/// Cuts `s` to `w` columns, ending in an ellipsis when cut (ux.md: nothing cut silently).
pub fn fit(s: &str, w: usize) -> String {
    if s.width() <= w {
        return s.to_owned();
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

/// Pads (or cuts) to exactly `w` columns.
fn pad(s: &str, w: usize) -> String {
    let f = fit(s, w);
    let n = w.saturating_sub(f.width());
    f + &" ".repeat(n)
}

pub fn render(app: &App, frame: &mut Frame) {
    let theme = Theme { color: app.color };
    let a = layout::areas(frame.area(), app.view, app.focus == Focus::Detail);
    title(app, &theme, frame, a.title);
    if let Some(area) = a.list {
        match app.view {
            View::Queue => queue(app, &theme, frame, area),
            View::Schools => schools(app, &theme, frame, area),
            View::Places => places_list(app, &theme, frame, area),
        }
    }
    if let Some(area) = a.detail {
        match app.view {
            View::Queue => case_detail(app, &theme, frame, area),
            View::Schools => school_detail(app, &theme, frame, area),
            View::Places => provision_detail(app, &theme, frame, area),
        }
    }
    if let Some(area) = a.places {
        places_strip(app, &theme, frame, area);
    }
    status(app, &theme, frame, a.status);
    hints(app, &theme, frame, a.hints);
    if app.modal.is_some() {
        form::render(app, &theme, frame);
    }
    if app.help_open {
        help(app.working_scope(), app.help_scroll, &theme, frame);
    }
}

fn title(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let p = &app.caseload.panel;
    let mut left = format!(
        " fairpanel · {} · {}",
        escape(&p.name),
        p.meeting_date.long()
    );
    let mut badges = Vec::new();
    if app.source == crate::app::Source::Demo {
        badges.push(Span::styled(
            " DEMO ",
            t.warn().add_modifier(Modifier::REVERSED),
        ));
        badges.push(Span::raw(" "));
    }
    if let Some(s) = &app.session {
        let q = s.state.quorum(&s.caseload);
        let style = if q.is_quorate() { t.ok() } else { t.warn() };
        let text = if q.is_quorate() {
            format!(" ✓ quorate {}/{} ", q.present, q.needed_present)
        } else {
            format!(" ✗ not quorate {}/{} ", q.present, q.needed_present)
        };
        badges.push(Span::styled(text, style.add_modifier(Modifier::BOLD)));
        badges.push(Span::raw(" "));
    }
    if app.screen_share {
        badges.push(Span::styled(
            " SCREEN-SHARE ",
            t.ok().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ));
    } else {
        badges.push(Span::styled(
            " NAMES SHOWN ",
            t.bad().add_modifier(Modifier::REVERSED),
        ));
    }
    let badge_w: usize = badges.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(badge_w + 1);
    left = pad(&left, room);
    let mut spans = vec![Span::styled(left, t.label()), Span::raw(" ")];
    spans.extend(badges);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn block<'a>(t: &Theme, title: String, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(focused))
        .title(Span::styled(title, t.label()))
}

/// The search line at the top of a list, when searching or filtered.
fn search_line(nav: &ListNav, total: usize, t: &Theme) -> Option<Line<'static>> {
    if !nav.searching && nav.hits.is_none() {
        return None;
    }
    let cursor = if nav.searching { "▏" } else { "" };
    Some(Line::from(vec![
        Span::styled("/ ", t.label()),
        Span::raw(format!("{}{cursor}", escape(nav.input.value()))),
        Span::styled(format!("  {} of {total}", nav.len(total)), t.dim()),
    ]))
}

/// First visible row: lists page by whole screens, so rows stay put while moving within one.
fn window(selected: usize, rows: usize) -> usize {
    selected.checked_div(rows).map_or(0, |p| p * rows)
}

/// Spans for `text` whose chars at positions `hl` (relative to the text) are highlighted.
fn highlighted(text: &str, hl: &[usize], base: Style, t: &Theme) -> Vec<Span<'static>> {
    if hl.is_empty() {
        return vec![Span::styled(text.to_owned(), base)];
    }
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            Span::styled(
                c.to_string(),
                if hl.contains(&i) {
                    base.patch(t.hit())
                } else {
                    base
                },
            )
        })
        .collect()
}

fn list_frame(
    frame: &mut Frame,
    area: Rect,
    b: Block,
    search: Option<Line<'static>>,
    rows: Vec<Line<'static>>,
) {
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let mut lines = Vec::with_capacity(rows.len() + 1);
    lines.push(search.unwrap_or_else(|| {
        Line::styled("  / to search", Style::new().add_modifier(Modifier::DIM))
    }));
    lines.extend(rows);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn clock_cell(item: &crate::app::QueueItem, t: &Theme) -> (String, Style) {
    let c = &item.clock;
    match c.urgency() {
        Urgency::Overdue => (
            format!("‼ {}/{}", c.since_agreed.unwrap_or(0), c.aim),
            t.bad(),
        ),
        Urgency::Warning => (
            format!("! {}/{}", c.since_agreed.unwrap_or(0), c.aim),
            t.warn(),
        ),
        Urgency::Running => (
            format!("  {}/{}", c.since_agreed.unwrap_or(0), c.aim),
            Style::new(),
        ),
        Urgency::Unknown => (format!("? —/{}", c.aim), t.warn()),
        Urgency::NotAgreed => match c.since_referral {
            Some(d) => (format!("new {d}d"), t.dim()),
            None => (format!("new {}c", c.calendar_days_since_referral), t.dim()),
        },
    }
}

/// A case the meeting has decided shows that instead of its clock: placed, or closed (not
/// eligible, withdrawn, redirected, reviewed). A deferral or an escalation keeps its clock
/// running, so it keeps showing it.
fn decided_cell(app: &App, case_ref: &str, t: &Theme) -> Option<(String, Style)> {
    let (_, d) = app.session.as_ref()?.state.current_decision(case_ref)?;
    match d.outcome {
        Outcome::DeferMoreInfo | Outcome::RefusedEscalateDirection => None,
        o if o.places_child() => Some(("✓ placed".to_owned(), t.ok())),
        _ => Some(("✓ closed".to_owned(), t.ok())),
    }
}

fn queue(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = &app.cases_nav;
    let total = app.queue.len();
    let rows = usize::from(area.height.saturating_sub(3));
    let width = usize::from(area.width.saturating_sub(2));
    let start = window(nav.selected, rows);
    // Marker, reference, name, year and clock always fit the width: the reference and the
    // name share what the fixed columns leave, so the clock is never cut.
    let clock_w = 8;
    let year_w = 3;
    let room = width.saturating_sub(2 + year_w + clock_w + 3);
    let name_w = if app.screen_share {
        5
    } else {
        (room / 2).clamp(5, 16)
    };
    let ref_w = room.saturating_sub(name_w).min(14);
    let mut lines = Vec::new();
    for row in start..(start + rows).min(nav.len(total)) {
        let Some(item) = nav.item(row) else { break };
        let q = &app.queue[item];
        let case = &app.caseload.cases[q.case];
        let sel = row == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let hl = nav.highlights(&app.case_index, item);
        let fields = &app.case_fields[item];
        let in_field = |f: usize, len: usize| -> Vec<usize> {
            let s = fields.get(f).copied().unwrap_or(usize::MAX);
            hl.iter()
                .filter(|&&i| i >= s && i < s + len)
                .map(|i| i - s)
                .collect()
        };
        let reference = pad(&escape(&case.reference), ref_w);
        let name = pad(&escape(&app.pupil_label(case)), name_w);
        let ref_hl = in_field(KEY_FIELD_REFERENCE, case.reference.chars().count());
        let name_hl = if app.screen_share {
            Vec::new()
        } else {
            in_field(KEY_FIELD_NAME, name.chars().count())
        };
        let (clock, cstyle) =
            decided_cell(app, &case.reference, t).unwrap_or_else(|| clock_cell(q, t));
        let mut spans = vec![Span::styled(if sel { "▶ " } else { "  " }, base)];
        spans.extend(highlighted(&reference, &ref_hl, base, t));
        spans.push(Span::styled(" ", base));
        spans.extend(highlighted(&name, &name_hl, base, t));
        spans.push(Span::styled(
            format!(" {:<3}", q.year.map_or("?".to_owned(), |y| y.to_string())),
            base,
        ));
        spans.push(Span::styled(
            format!(" {:>w$}", fit(&clock, clock_w), w = clock_w),
            base.patch(cstyle),
        ));
        lines.push(Line::from(spans));
    }
    if nav.len(total) == 0 {
        lines.push(Line::styled("  no case matches", t.dim()));
    }
    let focused = app.focus == Focus::List;
    let b = block(t, format!(" Queue {total} · most urgent first "), focused);
    list_frame(frame, area, b, search_line(nav, total, t), lines);
}

/// Width of the label column in detail panes.
const LABEL_W: usize = 13;

/// A labelled detail field, word-wrapped to `width` with continuation lines indented under the
/// value, so a wrapped value never runs back under the labels.
fn field<'a>(t: &Theme, width: usize, label: &str, value: Vec<Span<'a>>) -> Vec<Line<'a>> {
    let avail = width.saturating_sub(LABEL_W).max(12);
    let mut rows: Vec<Vec<Span<'a>>> = vec![Vec::new()];
    let mut used = 0;
    for span in value {
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

fn hidden(t: &Theme) -> Vec<Span<'static>> {
    vec![Span::styled("hidden (screen-share)", t.dim())]
}

fn school_name(app: &App, urn: u32) -> String {
    app.school(urn).map_or_else(
        || format!("URN {urn} (not in this caseload)"),
        |s| escape(&s.name).into_owned(),
    )
}

fn case_detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let Some(q) = app.selected_queue_item() else {
        let b = block(t, " Case ".into(), app.focus == Focus::Detail);
        frame.render_widget(Paragraph::new("No case selected.").block(b), area);
        return;
    };
    let case = &app.caseload.cases[q.case];
    let share = app.screen_share;
    let year = q.year.map_or("year ?".to_owned(), |y| y.to_string());
    let cats: Vec<String> = case
        .categories
        .iter()
        .map(|c| format!("({})", c.code.letter()))
        .collect();
    let head = format!(
        " {} · {} · {} · {} {} ",
        escape(&case.reference),
        escape(&app.pupil_label(case)),
        year,
        case.kind.label(),
        cats.join("")
    );
    let mut lines: Vec<Line> = Vec::new();
    let c = &q.clock;
    // The clock first: it is what the room asks about.
    let clock_line = match (c.agreed, c.since_agreed) {
        (Some(a), Some(s)) => {
            let left = c.aim - s;
            let (sym, style, words) = match c.urgency() {
                Urgency::Overdue => ("‼ ", t.bad(), format!("OVERDUE by {} school days", -left)),
                Urgency::Warning => (
                    "! ",
                    t.warn(),
                    format!("{left} left to the {}-day aim", c.aim),
                ),
                _ => (
                    "",
                    Style::new(),
                    format!("{left} left to the {}-day aim", c.aim),
                ),
            };
            vec![
                Span::raw(format!("{} · {s} school days · ", a.long())),
                Span::styled(format!("{sym}{words}"), style),
            ]
        }
        (Some(a), None) => vec![Span::styled(
            format!(
                "{} · ? outside the school calendar: add the terms to count school days",
                a.long()
            ),
            t.warn(),
        )],
        (None, _) => vec![Span::styled(
            format!(
                "not yet agreed: the {}-school-day clock has not started",
                c.aim
            ),
            t.dim(),
        )],
    };
    lines.extend(field(t, w, "Agreed", clock_line));
    lines.extend(log_lines(app, t, w, case));
    lines.extend(rules_view::checks(app, q, case, t, w));
    let referral = match c.since_referral {
        Some(d) => format!("{} · {d} school days ago", case.referral_date.long()),
        None => format!(
            "{} · {} calendar days ago",
            case.referral_date.long(),
            c.calendar_days_since_referral
        ),
    };
    lines.extend(field(
        t,
        w,
        "Referred",
        vec![Span::raw(format!(
            "{referral} · by {} ({})",
            escape(&case.referrer.organisation),
            escape(&case.referrer.role)
        ))],
    ));
    let mut status = vec![Span::raw(case.status.label().to_owned())];
    if let (Some(o), Some(d)) = (case.out_since, c.days_out) {
        status.push(Span::raw(format!(
            " · out of education since {} ({d} days)",
            o.long()
        )));
    }
    lines.extend(field(t, w, "Status", status));
    if let Some(p) = c.pex_provision_from {
        lines.extend(field(
            t,
            w,
            "Provision",
            vec![Span::raw(format!("due from school day 6: {}", p.long()))],
        ));
    }
    if share {
        lines.extend(field(t, w, "Pupil", hidden(t)));
    } else {
        let p = &case.pupil;
        lines.extend(field(
            t,
            w,
            "Pupil",
            vec![Span::raw(format!(
                "{} {} · born {} · {:?} · UPN {}",
                escape(&p.given_name),
                escape(&p.family_name),
                p.date_of_birth.long(),
                p.sex,
                p.upn.as_deref().map_or("none".into(), escape)
            ))],
        ));
        if let (Some(e), Some(n)) = (p.home_easting, p.home_northing) {
            lines.extend(field(
                t,
                w,
                "Home",
                vec![Span::raw(format!("grid {e} {n}"))],
            ));
        }
    }
    let sen = match case.pupil.sen {
        Sen::None => "no SEN",
        Sen::SenSupport => "SEN support",
        Sen::Ehcp => "EHC plan: the EHC plan route applies (domain.md §2)",
    };
    let mut flags = vec![Span::raw(sen.to_owned())];
    if case.pupil.lac {
        flags.push(Span::styled(
            " · looked after: s97A route (domain.md §2)",
            t.warn(),
        ));
    }
    if case.pupil.plac {
        flags.push(Span::raw(" · previously looked after"));
    }
    lines.extend(field(t, w, "Needs", flags));
    for (i, cat) in case.categories.iter().enumerate() {
        let label = if i == 0 { "Categories" } else { "" };
        let mut v = vec![Span::raw(format!(
            "({}) {}",
            cat.code.letter(),
            cat.code.label()
        ))];
        if !share {
            v.push(Span::styled(
                format!(" — {}", escape(&cat.evidence)),
                t.dim(),
            ));
        }
        lines.extend(field(t, w, label, v));
    }
    if case.categories.is_empty() {
        lines.extend(field(
            t,
            w,
            "Categories",
            vec![Span::styled("none given", t.warn())],
        ));
    }
    if let Some(end) = case.cin_cp_end {
        lines.extend(field(t, w, "CIN/CP end", vec![Span::raw(end.long())]));
    }
    if let Some(ps) = &case.place_sought {
        lines.extend(field(
            t,
            w,
            "Seeks",
            vec![Span::raw(format!(
                "{:?} place{}",
                ps.kind,
                ps.need
                    .as_deref()
                    .map_or(String::new(), |n| format!(" for {}", escape(n)))
            ))],
        ));
    }
    if let Some(u) = case.proposed_school {
        lines.extend(field(
            t,
            w,
            "Proposed",
            vec![Span::raw(school_name(app, u))],
        ));
    }
    for (i, app_) in case.in_year_apps.iter().enumerate() {
        let outcome = match app_.outcome {
            AppOutcome::Refused => "refused",
            AppOutcome::NoPlace => "no place",
            AppOutcome::Offered => "offered",
            AppOutcome::DeclinedByParent => "declined by parent",
            AppOutcome::Pending => "pending",
        };
        lines.extend(field(
            t,
            w,
            if i == 0 { "In-year apps" } else { "" },
            vec![Span::raw(format!(
                "{} · {} · {outcome}",
                school_name(app, app_.urn),
                app_.date.long()
            ))],
        ));
    }
    for (i, a) in case.schools_attended.iter().enumerate() {
        let name = a
            .urn
            .filter(|u| app.school(*u).is_some())
            .map_or_else(|| escape(&a.name).into_owned(), |u| school_name(app, u));
        let to = a.to.map_or("now".to_owned(), |d| d.to_string());
        lines.extend(field(
            t,
            w,
            if i == 0 { "Attended" } else { "" },
            vec![Span::raw(format!("{name} · {} → {to}", a.from))],
        ));
    }
    for (i, x) in case.pex_history.iter().enumerate() {
        let r = if x.reinstated { " (reinstated)" } else { "" };
        lines.extend(field(
            t,
            w,
            if i == 0 { "Excluded" } else { "" },
            vec![Span::styled(
                format!("{} · {}{r}", school_name(app, x.urn), x.date.long()),
                t.warn(),
            )],
        ));
    }
    if !case.suspensions.is_empty() {
        let days: u32 = case.suspensions.iter().map(|s| s.days).sum();
        lines.extend(field(
            t,
            w,
            "Suspensions",
            vec![Span::raw(format!(
                "{} ({days} school days)",
                case.suspensions.len()
            ))],
        ));
    }
    for (i, u) in case.preferences.iter().enumerate() {
        lines.extend(field(
            t,
            w,
            if i == 0 { "Preferences" } else { "" },
            vec![Span::raw(format!("{} {}", i + 1, school_name(app, *u)))],
        ));
    }
    if case.kind == crate::caseload::model::CaseKind::FairAccess {
        lines.extend(rules_view::suggestions(app, case, t, w));
    }
    if let Some(n) = &case.notes {
        lines.extend(field(
            t,
            w,
            "Notes",
            if share {
                hidden(t)
            } else {
                vec![Span::raw(escape(n).into_owned())]
            },
        ));
    }
    let b = block(
        t,
        fit(&head, usize::from(area.width.saturating_sub(2))),
        app.focus == Focus::Detail,
    );
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .block(b)
            .wrap(Wrap { trim: false })
            .scroll((app.detail_scroll, 0)),
        area,
    );
}

/// The case's entries in the meeting's log: the agreement to consider, declarations, and
/// decisions (the one that stands, and each superseded one with the correction's reason).
fn log_lines(app: &App, t: &Theme, w: usize, case: &Case) -> Vec<Line<'static>> {
    let Some(s) = &app.session else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let entries = s
        .state
        .entries
        .iter()
        .filter(|e| e.event.case_ref() == Some(case.reference.as_str()));
    for e in entries {
        let value: Vec<Span<'static>> = match &e.event {
            LogEvent::AgreedToConsider { date, .. } => vec![Span::raw(format!(
                "#{} agreed to consider on {}",
                e.id,
                date.long()
            ))],
            LogEvent::Declaration {
                member,
                interest,
                withdrew,
                ..
            } => vec![Span::styled(
                format!(
                    "#{} ! interest: {} — {} · {}",
                    e.id,
                    escape(member),
                    escape(interest),
                    if *withdrew { "withdrew" } else { "stayed" }
                ),
                t.warn(),
            )],
            LogEvent::Decision(d) => {
                let stands = s.state.decision_of.get(&case.reference) == Some(&e.id);
                let mut v = Vec::new();
                if stands {
                    v.push(Span::styled(format!("#{} ✓ decision: ", e.id), t.ok()));
                } else if let Some(by) = s.state.superseded_by.get(&e.id) {
                    v.push(Span::styled(
                        format!("#{} ✗ superseded by #{by}: ", e.id),
                        t.dim(),
                    ));
                } else {
                    v.push(Span::styled(
                        format!("#{} earlier decision: ", e.id),
                        t.dim(),
                    ));
                }
                v.push(Span::raw(decision_summary(app, d)));
                if stands && !d.reasons.trim().is_empty() {
                    v.push(Span::raw(format!(" · reasons: {}", escape(&d.reasons))));
                }
                if let (Some(old), Some(reason)) = (e.supersedes, &e.correction_reason) {
                    v.push(Span::raw(format!(" · corrects #{old}: {}", escape(reason))));
                }
                v
            }
            _ => continue,
        };
        let label = if out.is_empty() { "Log" } else { "" };
        out.extend(field(t, w, label, value));
    }
    out
}

/// One line on a decision: outcome, school, dates, how many agreed.
fn decision_summary(app: &App, d: &Decision) -> String {
    let mut s = d.outcome.as_str().to_owned();
    if let Some(u) = d.urn {
        s.push_str(&format!(" → {}", school_name(app, u)));
    }
    if let Some(st) = d.start_date {
        s.push_str(&format!(" · start {}", st.long()));
    }
    if let Some(r) = d.review_date {
        s.push_str(&format!(" · review {}", r.long()));
    }
    s.push_str(&format!(" · agreed by {}", d.agreed_by.len()));
    if !d.dissent.is_empty() {
        s.push_str(&format!(", dissent {}", d.dissent.len()));
    }
    s
}

/// Places left per pool, live: offered, less used before the meeting, less taken in the log.
fn free_summary(app: &App, p: &Provision) -> String {
    p.pools
        .iter()
        .map(|x| {
            format!(
                "{} {} free of {}",
                x.group,
                app.pool_left(p.urn, x),
                x.offered
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn provision_name(app: &App, p: &Provision) -> String {
    match app.school(p.urn) {
        Some(s) => {
            let kind = if s.pru {
                "PRU"
            } else if s.special {
                "special"
            } else if s.ap {
                "AP"
            } else {
                "school"
            };
            format!("{} ({kind})", escape(&s.name))
        }
        None => format!("URN {}", p.urn),
    }
}

fn places_strip(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let free = app.places_left_total();
    let mut lines = Vec::new();
    for p in &app.caseload.places {
        let mut spans = vec![
            Span::styled(provision_name(app, p), t.label()),
            Span::raw("  "),
        ];
        spans.push(Span::raw(free_summary(app, p)));
        if let Some(f) = p.free_from {
            spans.push(Span::styled(format!(" · from {}", f.long()), t.warn()));
        }
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            "no AP or specialist places offered at this meeting",
            t.dim(),
        ));
    }
    let b = block(t, format!(" Places · {free} free (3 for details) "), false);
    frame.render_widget(Paragraph::new(lines).block(b), area);
}

fn places_list(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = &app.places_nav;
    let rows = usize::from(area.height.saturating_sub(3));
    let w = usize::from(area.width.saturating_sub(4));
    let start = window(nav.selected, rows);
    let mut lines = Vec::new();
    for (i, p) in app
        .caseload
        .places
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
    {
        let sel = i == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let free: i64 = p.pools.iter().map(|x| app.pool_left(p.urn, x)).sum();
        let text = format!(
            "{} {} · {free} free",
            if sel { "▶" } else { " " },
            provision_name(app, p)
        );
        lines.push(Line::styled(pad(&text, w), base));
    }
    let total = app.caseload.places.len();
    let b = block(
        t,
        format!(" Places · {total} provisions "),
        app.focus == Focus::List,
    );
    list_frame(frame, area, b, None, lines);
}

fn provision_detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let b = block(t, " Provision ".into(), app.focus == Focus::Detail);
    let Some(p) = app.caseload.places.get(app.places_nav.selected) else {
        frame.render_widget(
            Paragraph::new("No AP or specialist places in this caseload.").block(b),
            area,
        );
        return;
    };
    let mut lines = vec![
        Line::styled(provision_name(app, p), t.label()),
        Line::default(),
    ];
    for x in &p.pools {
        let left = app.pool_left(p.urn, x);
        let taken = app.places_taken(p.urn, x.group);
        let style = if left == 0 { t.dim() } else { t.ok() };
        let sym = if left == 0 { "✗ full" } else { "✓ free" };
        let at_meeting = if taken > 0 {
            format!(", {taken} taken at this meeting")
        } else {
            String::new()
        };
        lines.extend(field(
            t,
            w,
            &x.group.to_string(),
            vec![Span::styled(
                format!(
                    "{sym}: {left} of {} ({} used before the meeting{at_meeting})",
                    x.offered, x.used
                ),
                style,
            )],
        ));
    }
    if let Some(f) = p.free_from {
        lines.extend(field(
            t,
            w,
            "Free from",
            vec![Span::styled(f.long(), t.warn())],
        ));
    }
    for (i, c) in p.conditions.iter().enumerate() {
        lines.extend(field(
            t,
            w,
            if i == 0 { "Conditions" } else { "" },
            vec![Span::raw(escape(c).into_owned())],
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(b).wrap(Wrap { trim: false }),
        area,
    );
}

fn school_tag(s: &School) -> &'static str {
    if s.pru {
        "PRU"
    } else if s.special {
        "SPEC"
    } else if s.ap {
        "AP"
    } else {
        match s.phase {
            crate::caseload::model::Phase::Primary => "PRI",
            crate::caseload::model::Phase::Secondary => "SEC",
            crate::caseload::model::Phase::AllThrough => "ALL",
            crate::caseload::model::Phase::Nursery => "NUR",
            _ => "",
        }
    }
}

fn schools(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let nav = &app.schools_nav;
    let total = app.school_order.len();
    let rows = usize::from(area.height.saturating_sub(3));
    let width = usize::from(area.width.saturating_sub(2));
    let start = window(nav.selected, rows);
    let name_w = width.saturating_sub(2 + 5 + 7 + 6);
    let mut lines = Vec::new();
    for row in start..(start + rows).min(nav.len(total)) {
        let Some(item) = nav.item(row) else { break };
        let s = &app.caseload.schools[app.school_order[item]];
        let sel = row == nav.selected;
        let base = if sel { t.selected() } else { Style::new() };
        let hl = nav.highlights(&app.school_index, item);
        let name = pad(&escape(&s.name), name_w);
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
    let b = block(t, format!(" Schools {total} "), app.focus == Focus::List);
    list_frame(frame, area, b, search_line(nav, total, t), lines);
}

fn school_detail(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let w = usize::from(area.width.saturating_sub(2));
    let b = block(t, " School ".into(), app.focus == Focus::Detail);
    let Some(s) = app.selected_school() else {
        frame.render_widget(Paragraph::new("No school selected.").block(b), area);
        return;
    };
    let mut lines = vec![Line::styled(escape(&s.name).into_owned(), t.label())];
    lines.extend(field(t, w, "URN", vec![Span::raw(s.urn.to_string())]));
    lines.extend(field(
        t,
        w,
        "Type",
        vec![Span::raw(format!(
            "{} · {:?}",
            escape(&s.school_type),
            s.phase
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
        lines.extend(field(
            t,
            w,
            "Religion",
            vec![Span::raw(escape(r).into_owned())],
        ));
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
        lines.extend(field(
            t,
            w,
            "Postcode",
            vec![Span::raw(escape(pc).into_owned())],
        ));
    }
    lines.extend(rules_view::school_tally(app, s, t, w));
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
            "Placed",
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
            vec![Span::raw(format!(
                "{}: {}",
                e.year_group,
                escape(&e.reason)
            ))],
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(b).wrap(Wrap { trim: false }),
        area,
    );
}

fn status(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let text = if app.status.is_empty() {
        let overdue = app
            .queue
            .iter()
            .filter(|q| q.clock.urgency() == Urgency::Overdue)
            .count();
        let agreed = app
            .queue
            .iter()
            .filter(|q| q.clock.agreed.is_some())
            .count();
        let free = app.places_left_total();
        format!(
            " {} cases · {agreed} agreed · {overdue} overdue · {free} free places",
            app.queue.len()
        )
    } else {
        format!(" {}", escape(&app.status))
    };
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&text, usize::from(area.width)), t.label())),
        area,
    );
}

/// The key hints; when they do not fit, hints are dropped from the middle so the first ones and
/// the last two (`? help`, `q quit`) always show.
fn hints(app: &App, t: &Theme, frame: &mut Frame, area: Rect) {
    let mut all = keymap::hints(app.scope());
    let width = |h: &[(String, &str)]| {
        h.iter()
            .map(|(k, w)| k.width() + w.width() + 3)
            .sum::<usize>()
    };
    while width(&all) > usize::from(area.width) && all.len() > 2 {
        all.remove(all.len() - 3);
    }
    let mut spans = Vec::new();
    for (k, what) in all {
        spans.push(Span::styled(format!(" {k}"), t.label()));
        spans.push(Span::styled(format!(" {what} "), t.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn help(here: keymap::Scope, scroll: u16, t: &Theme, frame: &mut Frame) {
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
    let h = area.height.saturating_sub(2).min(lines.len() as u16 + 2);
    let popup = area.centered(Constraint::Length(w), Constraint::Length(h));
    frame.render_widget(Clear, popup);
    let more = lines.len() as u16 + 2 > h;
    let title = if more {
        " Help · ↑↓ scroll · Esc closes "
    } else {
        " Help · Esc or ? closes "
    };
    let b = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, t.label()))
        .title_alignment(Alignment::Center);
    let max = (lines.len() as u16 + 2).saturating_sub(h);
    frame.render_widget(
        Paragraph::new(lines).block(b).scroll((scroll.min(max), 0)),
        popup,
    );
}
