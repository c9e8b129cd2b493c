//! Drawing: `render(&App, &mut Frame)` and nothing else. It reads the app and the meeting view
//! and never works anything out that a screen, the CLI or the minutes could disagree on. Every
//! piece of text reaches a cell through [`paint`], which escapes what came from a file there and
//! only there (cli.md), and every state shown in colour also carries a symbol or a word (ux.md:
//! projectors wash colours out; some chairs are colour-blind).

mod attendance;
mod case_detail;
mod case_form;
mod chrome;
mod confirm;
mod figures;
mod form;
pub mod glyphs;
mod help;
pub mod layout;
mod modal;
mod paint;
mod places;
mod queue;
mod ranked;
mod schools;
mod today;
mod widgets;

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::app::{App, Focus, View};
use crate::domain::caseload::School;
use crate::domain::meeting::{Suggested, Working};
use crate::domain::rules::{self, Hit, Severity};
use crate::domain::view::Summary;
use crate::domain::words;

use paint::{field, pad};
pub use paint::{fit, paint, safe_line};

/// What the renderer reports back to the runtime (television's `UiState`): the app pages its
/// lists by what is actually shown, and never has to know the layout itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rendered {
    pub list_rows: u16,
}

/// Styles that follow NO_COLOR: without colour, bold and reverse still mark state.
pub(crate) struct Theme {
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

pub fn render(app: &App, frame: &mut Frame) -> Rendered {
    let theme = Theme { color: app.color() };
    let a = layout::areas(frame.area(), app.view(), app.focus() == Focus::Detail);
    chrome::title(app, &theme, frame, a.title);
    if let Some(area) = a.list {
        match app.view() {
            View::Queue => queue::queue(app, &theme, frame, area),
            View::Schools => schools::list(app, &theme, frame, area),
            View::Places => places::list(app, &theme, frame, area),
            View::Today => today::list(app, &theme, frame, area),
            View::Figures => figures::chart(app, &theme, frame, area),
        }
    }
    if let Some(area) = a.detail {
        match app.view() {
            View::Queue => case_detail::detail(app, &theme, frame, area),
            View::Schools => schools::detail(app, &theme, frame, area),
            View::Places => places::detail(app, &theme, frame, area),
            View::Today => today::detail(app, &theme, frame, area),
            View::Figures => figures::waits(app, &theme, frame, area),
        }
    }
    if let Some(area) = a.places {
        places::strip(app, &theme, frame, area);
    }
    chrome::status(app, &theme, frame, a.status);
    chrome::hints(app, &theme, frame, a.hints);
    if app.modal().is_some() {
        modal::render(app, &theme, frame);
    }
    if app.help_open() {
        help::overlay(app.working_scope(), app.help_scroll(), &theme, frame);
    }
    modal::ask(app, &theme, frame);
    if app.ascii() {
        glyphs::to_ascii(frame.buffer_mut());
    }
    Rendered {
        list_rows: a.list.map_or(0, |l| l.height.saturating_sub(3)),
    }
}

/// The symbol and style of a finding: never colour alone.
fn severity_mark(s: Severity, t: &Theme) -> (&'static str, Style) {
    match s {
        Severity::Refuse => ("✗ ", t.bad()),
        Severity::NeedsReason | Severity::Warn => ("! ", t.warn()),
    }
}

/// A rule's finding as the room reads it: its symbol, (with `word`) how severe it is in words,
/// the message and what it found; then its source and, in brackets, the rule's short id.
fn finding(h: &Hit, word: bool, t: &Theme) -> Vec<Span<'static>> {
    let (sym, style) = severity_mark(h.rule.severity, t);
    let severity = if word {
        format!("{}: ", words::severity(h.rule.severity))
    } else {
        String::new()
    };
    let detail = if h.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", h.detail)
    };
    vec![
        Span::styled(format!("{sym}{severity}{}{detail}", h.rule.summary), style),
        Span::styled(format!(" · {} ({})", h.rule.source, h.rule.name), t.dim()),
    ]
}

/// One ranked school as the room reads it: its rank, a mark (✓ nothing stands against it, ! it
/// needs a reason), its name cut to `name_w`, the figures that put it there, and what needs a
/// reason or warns.
fn suggestion_spans(
    app: &App,
    working: &Working,
    i: usize,
    s: &Suggested,
    name_w: usize,
    t: &Theme,
) -> Vec<Span<'static>> {
    let x = &s.school;
    let name = app
        .school(x.urn)
        .map_or_else(|| x.urn.to_string(), |sc| sc.name.clone());
    let year = working
        .year_on_start
        .map_or("year".to_owned(), |y| y.to_string());
    let mut figs = vec![match x.per_100 {
        Some(p) => format!("{year} {} ({p:.2}/100)", x.in_year_group),
        None => format!("{year} {} (roll ?)", x.in_year_group),
    }];
    figs.push(match x.cap {
        Some(k) => format!("{} this year (cap {k})", x.total),
        None => format!("{} this year", x.total),
    });
    if let Some(d) = x.distance_km {
        figs.push(format!("{d:.1} km"));
    }
    if let Some(p) = x.preference {
        figs.push(format!("pref {p}"));
    }
    if let Some(r) = &x.religion {
        figs.push(r.clone());
    }
    let (mark, style) = if s.needs_reason() {
        ("!", t.warn())
    } else {
        ("✓", t.ok())
    };
    let mut spans = vec![
        Span::styled(format!("{} {mark} ", i + 1), style),
        Span::styled(format!("{} ", fit(&name, name_w)), t.label()),
        Span::raw(figs.join(" · ")),
    ];
    // Notes a finding already carries are not said twice.
    let said = |note: &str| {
        let rule = match note {
            "at or over the fair-share cap" => &rules::FAIR_SHARE_CAP,
            "Ofsted category of concern: local bar" => &rules::OFSTED_CONCERN,
            "barred locally" => &rules::LOCAL_BAR,
            "sex admitted not known" => &rules::SEX_UNKNOWN,
            _ => return false,
        };
        s.hits.iter().any(|h| h.rule.name == rule.name)
    };
    for n in x.notes.iter().filter(|n| !said(n)) {
        spans.push(Span::styled(format!(" · ! {n}"), t.warn()));
    }
    for h in &s.hits {
        spans.push(Span::raw(" · "));
        spans.extend(finding(h, true, t));
    }
    spans
}

/// The agenda line: "9 of 36 heard · 6 decided · 2 deferred", or without "of 36" when `w`
/// columns are too few.
fn agenda(s: &Summary, w: usize) -> String {
    let rest = format!(" heard · {} decided · {} deferred", s.decided, s.deferred);
    let full = format!("{} of {}{rest}", s.heard, s.cases);
    if full.chars().count() <= w {
        full
    } else {
        format!("{}{rest}", s.heard)
    }
}

fn hidden(t: &Theme) -> Vec<Span<'static>> {
    vec![Span::styled("hidden (screen-share)", t.dim())]
}

fn school_name(app: &App, urn: u32) -> String {
    app.school(urn).map_or_else(
        || format!("URN {urn} (not in this caseload)"),
        |s| s.name.clone(),
    )
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
            crate::domain::caseload::Phase::Primary => "PRI",
            crate::domain::caseload::Phase::Secondary => "SEC",
            crate::domain::caseload::Phase::AllThrough => "ALL",
            crate::domain::caseload::Phase::Nursery => "NUR",
            _ => "",
        }
    }
}

/// A detail pane's scroll, stopped where its last line reaches the bottom of `area` (inside
/// its borders), so scrolling on never leaves an empty pane. Detail lines come wrapped already.
fn end_scroll(scroll: u16, lines: usize, area: ratatui::layout::Rect) -> u16 {
    let inner = usize::from(area.height.saturating_sub(2));
    scroll.min(u16::try_from(lines.saturating_sub(inner)).unwrap_or(u16::MAX))
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
