//! The app's state and its one `update`: every key becomes an [`Action`] (through the keymap),
//! every outcome of an effect a [`Msg`], and `update` is the only place state changes. It does no
//! I/O: it returns [`Effect`]s for the runtime to perform, so it is tested directly, with no file.
//!
//! The meeting itself ([`Meeting`]) changes only through `Meeting::record`, which the runtime
//! calls for an `Effect::Record`; `update` reads it to show what the log holds.

pub mod effect;
pub mod form;
pub mod keymap;
mod meeting;
pub mod nav;

use ratatui::crossterm::event::{Event, KeyEventKind};
use tui_input::backend::crossterm::to_input_request;

use crate::domain::caseload::{Case, Caseload, School};
use crate::domain::meeting::{Meeting, Working};
use crate::domain::text::initials;
use crate::domain::view::{CaseFacts, ClockState};
use crate::search::{Index, KeyBuilder, Similar};

pub use effect::{Effect, Msg};
use form::Modal;
pub use keymap::{Action, Scope};
pub use meeting::RankedRow;
pub use nav::ListNav;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Schools,
    Places,
    /// Today's entries in the log, in order, under the agenda line.
    Today,
    /// The year's figures: placements per school against fair share, school days waited.
    Figures,
}

/// A question that takes the next key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Quit while a form holds unsaved input?
    Quit,
    /// Close (Esc) a form holding unsaved input?
    Discard,
    /// Show pupils' names to everyone who can see the screen?
    Reveal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// Where the caseload came from: the title bar says DEMO for the embedded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Demo,
    File(String),
}

/// Rows a list pages by until the renderer has said how many it shows.
const DEFAULT_LIST_ROWS: u16 = 10;

pub struct App {
    meeting: Meeting,
    source: Source,
    /// ux.md: on at start; names, dates of birth, UPNs, home location and notes hidden.
    screen_share: bool,
    /// False under NO_COLOR: symbols and words still carry every state.
    color: bool,
    /// True for a console that cannot draw box drawing or symbols (`--ascii`): the frame is
    /// drawn in plain ASCII (`ui::glyphs`).
    ascii: bool,
    view: View,
    focus: Focus,
    help_open: bool,
    status: String,
    quit: bool,
    size: (u16, u16),
    list_rows: u16,
    detail_scroll: u16,
    help_scroll: u16,
    /// Case indices in urgency order. The queue keeps its order while the room is looking at
    /// it; it is re-sorted when the caseload is next opened.
    queue: Vec<usize>,
    cases_nav: ListNav,
    schools_nav: ListNav,
    places_nav: ListNav,
    today_nav: ListNav,
    figures_nav: ListNav,
    /// Schools in name order (indices into the caseload's schools).
    school_order: Vec<usize>,
    case_index: Index,
    /// Per queue row: char offsets where each field of the search key starts.
    case_fields: Vec<Vec<usize>>,
    /// The queue's names, for the typo-tolerant pass.
    case_similar: Similar,
    school_index: Index,
    /// The open form, confirm view or picker, if any: it takes every key.
    modal: Option<Modal>,
    /// A question on screen that takes the next key: quit or close a form holding input, or
    /// show names.
    ask: Option<Ask>,
    /// Checks and ranked schools of the selected case, for the meeting's version they were
    /// worked out on: the renderer only reads them.
    working: Option<(u64, Working)>,
    /// The year's figures for the meeting version they were built on, or why there are none
    /// (the runtime builds them from the log: `Effect::LoadFigures`).
    figures: Option<(u64, Result<Box<crate::domain::report::Report>, String>)>,
}

impl App {
    pub fn new(meeting: Meeting, source: Source) -> App {
        let c = meeting.caseload();
        let mut queue: Vec<usize> = (0..c.cases.len()).collect();
        // A review falling due is today's business: after the clocks past or near their aim,
        // before the rest.
        let tier = |f: &CaseFacts| match f.clock_state() {
            ClockState::Overdue => 0,
            ClockState::DueSoon => 1,
            _ if f.review_due => 1,
            _ => 2,
        };
        queue.sort_by(|a, b| {
            let (fa, fb) = (meeting.facts(*a), meeting.facts(*b));
            match (fa, fb) {
                (Some(x), Some(y)) => tier(x).cmp(&tier(y)).then(x.clock.queue_cmp(&y.clock)),
                _ => std::cmp::Ordering::Equal,
            }
            .then_with(|| c.cases[*a].reference.cmp(&c.cases[*b].reference))
        });
        let mut school_order: Vec<usize> = (0..c.schools.len()).collect();
        school_order.sort_by(|a, b| c.schools[*a].name.cmp(&c.schools[*b].name));
        let urns: Vec<String> = school_order
            .iter()
            .map(|i| c.schools[*i].urn.to_string())
            .collect();
        let school_index = Index::new(
            school_order
                .iter()
                .map(|i| school_key(&c.schools[*i]))
                .collect(),
        )
        .with_ids(&urns.iter().map(String::as_str).collect::<Vec<_>>());
        let (case_index, case_fields, case_similar) = index_cases(c, &queue);
        let mut app = App {
            source,
            screen_share: true,
            color: true,
            ascii: false,
            view: View::Queue,
            focus: Focus::List,
            help_open: false,
            status: String::new(),
            quit: false,
            size: (80, 24),
            list_rows: DEFAULT_LIST_ROWS,
            detail_scroll: 0,
            help_scroll: 0,
            queue,
            cases_nav: ListNav::default(),
            schools_nav: ListNav::default(),
            places_nav: ListNav::default(),
            today_nav: ListNav::default(),
            figures_nav: ListNav::default(),
            school_order,
            case_index,
            case_fields,
            case_similar,
            school_index,
            meeting,
            modal: None,
            ask: None,
            working: None,
            figures: None,
        };
        app.refresh_working();
        app
    }

    /// Colour off (NO_COLOR): every state still carries a symbol or a word.
    pub fn with_color(mut self, color: bool) -> App {
        self.color = color;
        self
    }

    /// Plain ASCII for a console that cannot draw box drawing, `‼`, `✓` or `✗`.
    pub fn with_ascii(mut self, ascii: bool) -> App {
        self.ascii = ascii;
        self
    }

    /// A first status line, e.g. that the caseload loaded with warnings.
    pub fn with_status(mut self, status: String) -> App {
        self.status = status;
        self
    }

    // What the renderer and the tests read.

    pub fn meeting(&self) -> &Meeting {
        &self.meeting
    }

    /// The meeting, for the runtime to record through (`Meeting::record` is its only way to
    /// change).
    pub fn meeting_mut(&mut self) -> &mut Meeting {
        &mut self.meeting
    }

    pub fn caseload(&self) -> &Caseload {
        self.meeting.caseload()
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn screen_share(&self) -> bool {
        self.screen_share
    }

    pub fn color(&self) -> bool {
        self.color
    }

    pub fn ascii(&self) -> bool {
        self.ascii
    }

    pub fn view(&self) -> View {
        self.view
    }

    /// The year's figures, if built on the meeting as it stands now (`Err`: why there are
    /// none).
    pub fn figures(&self) -> Option<&Result<Box<crate::domain::report::Report>, String>> {
        self.figures
            .as_ref()
            .filter(|(v, _)| *v == self.meeting.version())
            .map(|(_, f)| f)
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn help_open(&self) -> bool {
        self.help_open
    }

    pub fn help_scroll(&self) -> u16 {
        self.help_scroll
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    pub fn status(&self) -> &str {
        &self.status
    }

    pub fn quit_requested(&self) -> bool {
        self.quit
    }

    /// Quitting was asked for while a form held unsaved input.
    pub fn quit_asked(&self) -> bool {
        self.ask == Some(Ask::Quit)
    }

    /// The question on screen, if any.
    pub fn ask(&self) -> Option<Ask> {
        self.ask
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    /// Case indices in the queue's order.
    pub fn queue(&self) -> &[usize] {
        &self.queue
    }

    pub fn cases_nav(&self) -> &ListNav {
        &self.cases_nav
    }

    pub fn schools_nav(&self) -> &ListNav {
        &self.schools_nav
    }

    pub fn places_nav(&self) -> &ListNav {
        &self.places_nav
    }

    pub fn today_nav(&self) -> &ListNav {
        &self.today_nav
    }

    pub fn school_order(&self) -> &[usize] {
        &self.school_order
    }

    pub fn case_index(&self) -> &Index {
        &self.case_index
    }

    pub fn school_index(&self) -> &Index {
        &self.school_index
    }

    /// Char offsets of the search key's fields for the queue row `item`.
    pub fn case_fields(&self, item: usize) -> &[usize] {
        self.case_fields.get(item).map_or(&[], Vec::as_slice)
    }

    /// The checks and ranked schools of the selected case, as worked out for the meeting as it
    /// stands (`None` in the schools and places views, or with no case selected).
    pub fn working(&self) -> Option<&Working> {
        self.working
            .as_ref()
            .filter(|(v, w)| *v == self.meeting.version() && Some(w.case) == self.selected_case())
            .map(|(_, w)| w)
    }

    /// The scope keys are looked up in right now.
    pub fn scope(&self) -> Scope {
        if let Some(a) = self.ask {
            match a {
                Ask::Quit => Scope::QuitAsk,
                Ask::Discard => Scope::DiscardAsk,
                Ask::Reveal => Scope::RevealAsk,
            }
        } else if self.help_open {
            Scope::Help
        } else {
            self.working_scope()
        }
    }

    /// Whether `a` does anything where the user is: Ctrl-N takes a suggested school only in a
    /// decision form.
    pub fn offers(&self, a: Action) -> bool {
        match a {
            Action::NextSuggestion => matches!(
                &self.modal,
                Some(Modal::Form(f)) if matches!(f.body, form::Body::Decision(_))
            ),
            _ => true,
        }
    }

    /// Where the user is, the help overlay aside: help lists the keys of this scope first.
    pub fn working_scope(&self) -> Scope {
        if let Some(m) = &self.modal {
            match m {
                Modal::Form(f) if f.cursor.is_text() => Scope::Form,
                Modal::Form(f) if f.cursor == form::Row::Outcome => Scope::FormOutcome,
                Modal::Form(_) => Scope::FormChoice,
                Modal::Confirm(_) => Scope::Confirm,
                Modal::Attendance(_) => Scope::Pick,
                Modal::Ranked(_) => Scope::Ranked,
                Modal::Dates(_) => Scope::Dates,
                Modal::Minutes(_) => Scope::Minutes,
            }
        } else if self.nav().searching {
            Scope::Search
        } else {
            Scope::Browse
        }
    }

    pub fn nav(&self) -> &ListNav {
        match self.view {
            View::Queue => &self.cases_nav,
            View::Schools => &self.schools_nav,
            View::Places => &self.places_nav,
            View::Today => &self.today_nav,
            View::Figures => &self.figures_nav,
        }
    }

    fn nav_mut(&mut self) -> &mut ListNav {
        match self.view {
            View::Queue => &mut self.cases_nav,
            View::Schools => &mut self.schools_nav,
            View::Places => &mut self.places_nav,
            View::Today => &mut self.today_nav,
            View::Figures => &mut self.figures_nav,
        }
    }

    /// Schools in the figures' chart.
    fn figures_len(&self) -> usize {
        match self.figures() {
            Some(Ok(r)) => r.schools.len(),
            _ => 0,
        }
    }

    /// The figures view's list: which school is at the top of the chart.
    pub fn figures_nav(&self) -> &ListNav {
        &self.figures_nav
    }

    fn total(&self) -> usize {
        match self.view {
            View::Queue => self.queue.len(),
            View::Schools => self.school_order.len(),
            View::Places => self.caseload().places.len(),
            View::Today => self.meeting.state().own_len(),
            View::Figures => self.figures_len(),
        }
    }

    /// The case under the queue's cursor (an index into the caseload's cases).
    pub fn selected_case(&self) -> Option<usize> {
        self.cases_nav
            .selected_item(self.queue.len())
            .and_then(|i| self.queue.get(i))
            .copied()
    }

    /// A case with what the meeting knows of it.
    pub fn case_with_facts(&self, i: usize) -> Option<(&Case, &CaseFacts)> {
        Some((self.meeting.case(i)?, self.meeting.facts(i)?))
    }

    pub fn selected_school(&self) -> Option<&School> {
        self.schools_nav
            .selected_item(self.school_order.len())
            .and_then(|i| self.school_order.get(i))
            .and_then(|i| self.caseload().schools.get(*i))
    }

    pub fn school(&self, urn: u32) -> Option<&School> {
        self.caseload().schools.iter().find(|s| s.urn == urn)
    }

    /// A school by URN as the room reads it.
    pub fn school_label(&self, urn: u32) -> String {
        self.school(urn)
            .map_or_else(|| format!("URN {urn}"), |s| s.name.clone())
    }

    /// Initials, or the full name when screen-share is off.
    pub fn pupil_label(&self, case: &Case) -> String {
        if self.screen_share {
            initials(&case.pupil.given_name, &case.pupil.family_name)
        } else {
            format!("{} {}", case.pupil.given_name, case.pupil.family_name)
        }
    }

    /// Terminal events in: only key presses act (Windows terminals also send releases and
    /// repeats, which would double every key).
    pub fn handle_event(&mut self, ev: &Event) -> Vec<Effect> {
        match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => {
                let scope = self.scope();
                if let Some(a) = keymap::lookup(scope, k).or_else(|| scope.fallback()) {
                    self.update(Msg::Key(a))
                } else if scope.takes_text()
                    && let Some(req) = to_input_request(ev)
                {
                    self.update(Msg::Key(Action::Edit(req)))
                } else {
                    Vec::new()
                }
            }
            Event::Resize(w, h) => self.update(Msg::Resize(*w, *h)),
            _ => Vec::new(),
        }
    }

    /// The only place state changes.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Effect> {
        let effects = match msg.into() {
            Msg::Key(a) => self.on_key(a),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Msg::ListRows(n) => {
                self.list_rows = n;
                Vec::new()
            }
            Msg::Recorded(r) => self.on_recorded(r),
            Msg::RecordRefused(hits) => self.on_refused(hits),
            Msg::RecordFailed(e) => self.on_record_failed(&e),
            Msg::MinutesWritten(paths) => {
                self.status = match paths.as_slice() {
                    [one] => format!("Minutes written to {} (no pupil names)", one.display()),
                    [first, rest @ ..] => format!(
                        "Minutes written to {} (no pupil names), with {} beside it",
                        first.display(),
                        rest.iter()
                            .filter_map(|p| p.extension())
                            .map(|e| format!(".{}", e.to_string_lossy()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    [] => "Minutes written (no pupil names)".to_owned(),
                };
                Vec::new()
            }
            Msg::MinutesFailed(e) => {
                self.status = format!("Minutes not written: {e}");
                Vec::new()
            }
            Msg::NextWritten(path, carried) => {
                self.status = format!(
                    "Next meeting's caseload written to {}: {carried}",
                    path.display()
                );
                Vec::new()
            }
            Msg::NextFailed(e) => {
                self.status = format!("Next meeting's caseload not written: {e}");
                Vec::new()
            }
            Msg::SimilarFound { query, hits } => {
                self.cases_nav.add_similar(&query, hits);
                Vec::new()
            }
            Msg::Figures(version, figures) => {
                if version == self.meeting.version() {
                    self.status = match &figures {
                        Ok(r) => format!(
                            "The year's figures, {} to {}: {} decisions, {} placements",
                            r.from.long(),
                            r.to.long(),
                            r.totals.decisions.text(),
                            r.totals.placements.text()
                        ),
                        Err(e) => format!("No figures: {e}"),
                    };
                    self.figures = Some((version, figures));
                    self.figures_nav.clear(self.figures_len());
                }
                Vec::new()
            }
        };
        self.refresh_working();
        effects
    }

    /// A case was added to the meeting or amended: a new case joins the end of the queue (the
    /// rest keep their order while the room is looking at it) and the search is built again,
    /// so it is listed, selectable and found by its facts as they now are.
    fn refresh_cases(&mut self) {
        let n = self.caseload().cases.len();
        let mut seen = vec![false; n];
        self.queue.retain(|i| {
            let keep = *i < n && !seen[*i];
            if keep {
                seen[*i] = true;
            }
            keep
        });
        self.queue
            .extend((0..n).filter(|i| !seen.get(*i).copied().unwrap_or(true)));
        let (index, fields, similar) = index_cases(self.meeting.caseload(), &self.queue);
        self.case_index = index;
        self.case_fields = fields;
        self.case_similar = similar;
        if self.cases_nav.hits.is_some() {
            self.cases_nav.rerun(&self.case_index);
        }
    }

    /// Works out the selected case's checks and ranked schools when the selection or the
    /// meeting has changed since they were last worked out.
    fn refresh_working(&mut self) {
        let Some(case) = self.selected_case().filter(|_| self.view == View::Queue) else {
            return;
        };
        let v = self.meeting.version();
        if self
            .working
            .as_ref()
            .is_some_and(|(wv, w)| *wv == v && w.case == case)
        {
            return;
        }
        self.working = Some((v, self.meeting.working(case)));
    }

    fn page(&self) -> usize {
        usize::from(self.list_rows).max(1)
    }

    fn on_key(&mut self, action: Action) -> Vec<Effect> {
        if let Some(ask) = self.ask {
            self.answer(ask, action);
            return Vec::new();
        }
        // Help opens over whatever is on screen (a form too) and leaves it as it was.
        match action {
            Action::Help => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
                return Vec::new();
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown if self.help_open => {
                let page = self.page() as u16;
                self.help_scroll = match action {
                    Action::Up => self.help_scroll.saturating_sub(1),
                    Action::Down => self.help_scroll.saturating_add(1),
                    Action::PageUp => self.help_scroll.saturating_sub(page),
                    _ => self.help_scroll.saturating_add(page),
                };
                return Vec::new();
            }
            _ => {}
        }
        if let Some(modal) = self.modal.take() {
            let (modal, effects) = self.update_modal(modal, action);
            self.modal = modal;
            return effects;
        }
        let total = self.total();
        let page = self.page();
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
                if self.focus == Focus::Detail && !self.nav().searching =>
            {
                self.detail_scroll = match action {
                    Action::Up => self.detail_scroll.saturating_sub(1),
                    Action::Down => self.detail_scroll.saturating_add(1),
                    Action::PageUp => self.detail_scroll.saturating_sub(page as u16),
                    Action::PageDown => self.detail_scroll.saturating_add(page as u16),
                    Action::Top => 0,
                    _ => u16::MAX / 2,
                };
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                let nav = self.nav_mut();
                let len = nav.len(total);
                let last = len.saturating_sub(1);
                nav.selected = match action {
                    Action::Up => nav.selected.saturating_sub(1),
                    Action::Down => (nav.selected + 1).min(last),
                    Action::PageUp => nav.selected.saturating_sub(page),
                    Action::PageDown => (nav.selected + page).min(last),
                    Action::Top => 0,
                    _ => last,
                };
                self.detail_scroll = 0;
            }
            Action::NextPane | Action::PrevPane => {
                self.focus = match self.focus {
                    Focus::List => Focus::Detail,
                    Focus::Detail => Focus::List,
                };
            }
            Action::Open if self.view == View::Today => self.open_entry(),
            Action::Open => {
                if self.nav().selected_item(total).is_some() {
                    self.focus = Focus::Detail;
                    self.detail_scroll = 0;
                }
            }
            Action::Back => {
                if self.focus == Focus::Detail {
                    self.focus = Focus::List;
                } else if self.nav().hits.is_some() {
                    self.nav_mut().clear(total);
                }
            }
            Action::Search => {
                if matches!(self.view, View::Queue | View::Schools) {
                    self.focus = Focus::List;
                    self.nav_mut().searching = true;
                }
            }
            Action::SearchAccept => {
                let nav = self.nav_mut();
                nav.searching = false;
                match nav.selected_item(total) {
                    Some(item) => {
                        nav.hits = None;
                        nav.input.reset();
                        nav.selected = item;
                        self.status = format!("Jumped to {}", self.item_label(item));
                    }
                    None => {
                        self.status =
                            "No match: nothing to jump to; Esc clears the search".to_owned();
                    }
                }
            }
            Action::SearchCancel => self.nav_mut().clear(total),
            Action::ToggleScreenShare if self.screen_share => {
                self.ask = Some(Ask::Reveal);
                self.status = "Show names? Enter shows them to everyone who can see this screen; any other key keeps them hidden".to_owned();
            }
            Action::ToggleScreenShare => {
                self.screen_share = true;
                self.status =
                    "Names hidden (screen-share): initials and references only".to_owned();
            }
            Action::ShowQueue => self.switch(View::Queue),
            Action::ShowSchools => self.switch(View::Schools),
            Action::ShowPlaces => self.switch(View::Places),
            Action::ShowToday => {
                self.switch(View::Today);
                // The latest entry first in view: the list opens at its end.
                self.today_nav.selected = self.meeting.state().own_len().saturating_sub(1);
            }
            Action::ShowFigures => {
                self.switch(View::Figures);
                if self.figures().is_none() {
                    self.status = "Counting the year's figures from the log…".to_owned();
                    return vec![Effect::LoadFigures];
                }
            }
            Action::Quit => self.quit = true,
            Action::Decide => self.open_decision(),
            Action::Correct => self.open_correction(),
            Action::Attendance => self.open_attendance(),
            Action::AgreeToConsider => self.open_agree(),
            Action::RankedSchools => self.open_ranked(),
            Action::NextMeeting => self.open_next_dates(),
            Action::DeclareInterest => self.open_declaration(),
            Action::LateReferral => self.open_late_referral(),
            Action::AmendCase => self.open_amend(),
            Action::WriteMinutes => self.open_minutes_forms(),
            Action::Edit(req) => {
                if self.nav().searching && self.nav_mut().input.handle(req).is_some_and(|c| c.value)
                {
                    return self.rerun_search();
                }
            }
            // Keys of forms and pickers: nothing to do without one open.
            Action::NextField
            | Action::PrevField
            | Action::FormEnter
            | Action::ToConfirm
            | Action::CloseForm
            | Action::Toggle
            | Action::OptionPrev
            | Action::OptionNext
            | Action::Outcome(_)
            | Action::NextSuggestion
            | Action::Record
            | Action::BackToForm
            | Action::PickChoose
            | Action::PickBack
            | Action::DecideWith
            | Action::QuitNow
            | Action::StayOpen
            | Action::Discard
            | Action::RevealNames
            | Action::KeepHidden => {}
            // Handled before any view or modal sees the action.
            Action::Help => {}
        }
        Vec::new()
    }

    /// The answer to the question on screen.
    fn answer(&mut self, ask: Ask, action: Action) {
        self.ask = None;
        match (ask, action) {
            (Ask::Quit, Action::QuitNow | Action::Quit) => self.quit = true,
            // Ctrl-C while asked whether to close a form: the quit question instead.
            (Ask::Discard, Action::Quit) => {
                self.ask = Some(Ask::Quit);
                self.status = format!(
                    "Quit and lose the unsaved {}? y quits without recording it, any other key goes back",
                    self.modal.as_ref().map_or("form", Modal::noun)
                );
            }
            (Ask::Discard, Action::Discard) => {
                let noun = self.modal.take().map_or("form", |m| m.noun());
                self.status = format!("{} form closed: nothing was recorded", capital(noun));
            }
            (Ask::Quit | Ask::Discard, Action::StayOpen) => {
                self.status = "Still here: nothing was lost".to_owned();
            }
            (Ask::Reveal, Action::RevealNames) => {
                self.screen_share = false;
                self.status =
                    "NAMES SHOWN to everyone who can see this screen: s hides them at once"
                        .to_owned();
            }
            (Ask::Reveal, Action::Quit) => self.quit = true,
            (Ask::Reveal, _) => {
                self.status = "Names stay hidden (screen-share)".to_owned();
            }
            // Any other key leaves the question open.
            (a, _) => self.ask = Some(a),
        }
    }

    /// Re-runs the fuzzy search; in the queue, asks for the similar pass after it when the
    /// query has a word long enough for one.
    fn rerun_search(&mut self) -> Vec<Effect> {
        self.detail_scroll = 0;
        match self.view {
            View::Queue => {
                self.cases_nav.rerun(&self.case_index);
                let q = self.cases_nav.input.value();
                let long_word = q
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.chars().count() >= 4);
                if long_word {
                    return vec![Effect::FindSimilar(q.to_owned())];
                }
            }
            View::Schools => self.schools_nav.rerun(&self.school_index),
            View::Places | View::Today | View::Figures => {}
        }
        Vec::new()
    }

    /// The typo-tolerant pass for `query` over the queue's names: items not already among the
    /// fuzzy hits, fewest edits first. Pure; the runtime calls it for `Effect::FindSimilar`.
    pub fn similar_hits(&self, query: &str) -> Vec<u32> {
        self.case_similar.search(query, self.cases_nav.fuzzy_hits())
    }

    /// Enter on one of today's entries: its case in the queue, selected.
    fn open_entry(&mut self) {
        let Some(case_ref) = self
            .meeting
            .state()
            .entries()
            .get(self.today_nav.selected)
            .and_then(|e| e.event.case_ref())
            .map(str::to_owned)
        else {
            self.status = "This entry is about no case".to_owned();
            return;
        };
        let Some(row) = self.queue.iter().position(|i| {
            self.meeting
                .case(*i)
                .is_some_and(|c| c.reference == case_ref)
        }) else {
            return;
        };
        self.switch(View::Queue);
        self.cases_nav.clear(self.queue.len());
        self.cases_nav.selected = row;
        self.status = format!("Jumped to {case_ref}");
    }

    fn switch(&mut self, view: View) {
        self.view = view;
        self.focus = Focus::List;
        self.detail_scroll = 0;
    }

    /// How an item is named in a status line: never a pupil's name.
    fn item_label(&self, item: usize) -> String {
        match self.view {
            View::Queue => self
                .queue
                .get(item)
                .and_then(|i| self.meeting.case(*i))
                .map(|c| c.reference.clone())
                .unwrap_or_default(),
            View::Schools => self
                .school_order
                .get(item)
                .and_then(|i| self.caseload().schools.get(*i))
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            View::Places | View::Today | View::Figures => String::new(),
        }
    }
}

pub(crate) fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The school the pupil attended last (by start date), for search and the queue.
pub fn last_school(c: &Caseload, case: &Case) -> Option<String> {
    let a = case.schools_attended.iter().max_by_key(|a| a.from)?;
    Some(
        a.urn
            .and_then(|u| c.schools.iter().find(|s| s.urn == u))
            .map_or_else(|| a.name.clone(), |s| s.name.clone()),
    )
}

/// Field numbers in a case's search key (for mapping highlights back onto the row).
pub const KEY_FIELD_NAME: usize = 0;
pub const KEY_FIELD_REFERENCE: usize = 3;

/// Search key of a case: pupil name (matched even when only initials are shown), last school,
/// categories, reference.
///
/// The reference comes last. Skim's greedy scoring starts at the first place the query's first
/// char occurs and counts every char from there, so a reference in front (`FA-2026-014 `) lay in
/// the way of every name match: name-first keys score fewer chars per case (a keystroke over
/// 100k cases 14.5 -> 10.3-11.9 ms p50, `cargo bench --bench perf`), names rank on the name alone,
/// and digits typed for a reference no longer pick up junk hits across the name and school
/// (the demo: "014" 8 hits -> 1).
fn case_key(c: &Caseload, case: &Case) -> (String, Vec<usize>) {
    let mut b = KeyBuilder::default();
    b.field(&format!(
        "{} {}",
        case.pupil.given_name, case.pupil.family_name
    ));
    b.field(&last_school(c, case).unwrap_or_default());
    let cats: Vec<String> = case
        .categories
        .iter()
        .map(|x| format!("({}) {}", x.code.letter(), x.code.label()))
        .collect();
    b.field(&cats.join(" "));
    b.field(&case.reference);
    b.finish()
}

/// The queue's search index, the fields of each row's key and the names for the typo pass, in
/// the queue's order.
fn index_cases(c: &Caseload, queue: &[usize]) -> (Index, Vec<Vec<usize>>, Similar) {
    let cases: Vec<&Case> = queue.iter().filter_map(|i| c.cases.get(*i)).collect();
    let (keys, fields): (Vec<String>, Vec<Vec<usize>>) =
        cases.iter().map(|k| case_key(c, k)).unzip();
    let refs: Vec<&str> = cases.iter().map(|k| k.reference.as_str()).collect();
    let names: Vec<String> = cases
        .iter()
        .map(|k| format!("{} {}", k.pupil.given_name, k.pupil.family_name))
        .collect();
    (
        Index::new(keys).with_ids(&refs),
        fields,
        Similar::new(&names),
    )
}

fn school_key(s: &School) -> String {
    let mut b = KeyBuilder::default();
    b.field(&s.name)
        .field(&s.urn.to_string())
        .field(s.postcode.as_deref().unwrap_or(""));
    b.finish().0
}
