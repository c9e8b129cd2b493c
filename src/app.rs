//! The app's state and its one `update`: every key becomes an [`Action`], and `update` is the only
//! place state changes. No terminal, no I/O, so it is tested directly.

use ratatui::crossterm::event::{Event, KeyEventKind};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use crate::calendar::SchoolCalendar;
use crate::caseload::model::{Case, Caseload, School};
use crate::clock::Clock;
use crate::form::Modal;
use crate::keymap::{self, Action, Scope};
use crate::search::{Index, KeyBuilder, Searcher};
use crate::session::Session;
use crate::text::initials;
use crate::ui::layout;
use crate::year_group::YearGroup;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Queue,
    Schools,
    Places,
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

/// One row of the queue: a case and its clock, in urgency order.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub case: usize,
    pub clock: Clock,
    /// Year group on the meeting date (31 August rule).
    pub year: Option<YearGroup>,
}

/// Selection and search of one list.
#[derive(Debug, Default)]
pub struct ListNav {
    pub selected: usize,
    pub searching: bool,
    pub input: Input,
    searcher: Searcher,
    /// Items matching the search, best first; `None` when not filtered.
    pub hits: Option<Vec<u32>>,
}

impl ListNav {
    pub fn len(&self, total: usize) -> usize {
        self.hits.as_ref().map_or(total, Vec::len)
    }

    /// The item shown at visible row `row`.
    pub fn item(&self, row: usize) -> Option<usize> {
        match &self.hits {
            Some(h) => h.get(row).map(|i| *i as usize),
            None => Some(row),
        }
    }

    pub fn selected_item(&self, total: usize) -> Option<usize> {
        (self.selected < self.len(total))
            .then(|| self.item(self.selected))
            .flatten()
    }

    fn rerun(&mut self, index: &Index) {
        let q = self.input.value().to_owned();
        if q.is_empty() {
            self.searcher.search(index, "");
            self.hits = None;
        } else {
            self.hits = Some(self.searcher.search(index, &q).to_vec());
        }
        self.selected = 0;
    }

    pub fn highlights(&self, index: &Index, item: usize) -> Vec<usize> {
        if self.hits.is_some() {
            self.searcher.highlights(index, item)
        } else {
            Vec::new()
        }
    }
}

pub struct App {
    pub caseload: Caseload,
    pub source: Source,
    /// ux.md: on at start; names, dates of birth, UPNs, home location and notes hidden.
    pub screen_share: bool,
    /// False under NO_COLOR: symbols and words still carry every state.
    pub color: bool,
    pub view: View,
    pub focus: Focus,
    pub help_open: bool,
    pub status: String,
    pub quit: bool,
    pub size: (u16, u16),
    pub detail_scroll: u16,
    pub help_scroll: u16,
    pub calendar: SchoolCalendar,
    pub queue: Vec<QueueItem>,
    pub cases_nav: ListNav,
    pub schools_nav: ListNav,
    pub places_nav: ListNav,
    /// Schools in name order (indices into `caseload.schools`).
    pub school_order: Vec<usize>,
    pub case_index: Index,
    /// Per queue row: char offsets where reference, name, last school and categories start.
    pub case_fields: Vec<Vec<usize>>,
    pub school_index: Index,
    /// The meeting's log, when one is open: every recorded change goes through
    /// `Session::record` (the app itself never sees SQL).
    pub session: Option<Session>,
    /// The open form, confirm view or picker, if any: it takes every key.
    pub modal: Option<Modal>,
    /// Quitting was asked for while a form held unsaved input: "discard it? y/n".
    pub quit_ask: bool,
}

impl App {
    /// A screen over a caseload with no log (tests of browsing and search).
    pub fn new(caseload: Caseload, source: Source) -> App {
        Self::build(caseload, source, None)
    }

    /// A screen over a meeting whose log is open.
    pub fn with_session(session: Session, source: Source) -> App {
        Self::build(session.caseload.clone(), source, Some(session))
    }

    /// The agreed date of a case: the log's, else the caseload's.
    fn agreed_of(session: Option<&Session>, case: &Case) -> Option<crate::dates::Date> {
        match session {
            Some(s) => s.agreed_date(&case.reference),
            None => case.fap_agreed_date,
        }
    }

    /// Recomputes one case's clock after the log changed it. The queue keeps its order while
    /// the room is looking at it; it is re-sorted when the caseload is next opened.
    pub fn refresh_clock(&mut self, case_ref: &str) {
        let meeting = self.caseload.panel.meeting_date;
        let aim = self.caseload.panel.settings.clock_school_days;
        for q in &mut self.queue {
            let case = &self.caseload.cases[q.case];
            if case.reference == case_ref {
                q.clock = Clock::of(
                    case,
                    Self::agreed_of(self.session.as_ref(), case),
                    &self.calendar,
                    meeting,
                    aim,
                );
            }
        }
    }

    fn build(caseload: Caseload, source: Source, session: Option<Session>) -> App {
        let calendar = SchoolCalendar::new(&caseload.calendar);
        let meeting = caseload.panel.meeting_date;
        let aim = caseload.panel.settings.clock_school_days;
        let mut queue: Vec<QueueItem> = caseload
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| QueueItem {
                case: i,
                clock: Clock::of(
                    c,
                    Self::agreed_of(session.as_ref(), c),
                    &calendar,
                    meeting,
                    aim,
                ),
                year: YearGroup::on(c.pupil.date_of_birth, meeting),
            })
            .collect();
        queue.sort_by(|a, b| {
            a.clock.queue_cmp(&b.clock).then_with(|| {
                caseload.cases[a.case]
                    .reference
                    .cmp(&caseload.cases[b.case].reference)
            })
        });
        let (keys, case_fields): (Vec<String>, Vec<Vec<usize>>) = queue
            .iter()
            .map(|q| case_key(&caseload, &caseload.cases[q.case]))
            .unzip();
        let mut school_order: Vec<usize> = (0..caseload.schools.len()).collect();
        school_order.sort_by(|a, b| caseload.schools[*a].name.cmp(&caseload.schools[*b].name));
        let school_index = Index::new(
            school_order
                .iter()
                .map(|i| school_key(&caseload.schools[*i]))
                .collect(),
        );
        App {
            source,
            screen_share: true,
            color: true,
            view: View::Queue,
            focus: Focus::List,
            help_open: false,
            status: String::new(),
            quit: false,
            size: (80, 24),
            detail_scroll: 0,
            help_scroll: 0,
            calendar,
            queue,
            cases_nav: ListNav::default(),
            schools_nav: ListNav::default(),
            places_nav: ListNav::default(),
            school_order,
            case_index: Index::new(keys),
            case_fields,
            school_index,
            caseload,
            session,
            modal: None,
            quit_ask: false,
        }
    }

    /// The scope keys are looked up in right now.
    pub fn scope(&self) -> Scope {
        if self.quit_ask {
            Scope::QuitAsk
        } else if self.help_open {
            Scope::Help
        } else {
            self.working_scope()
        }
    }

    /// Where the user is, the help overlay aside: help lists the keys of this scope first.
    pub fn working_scope(&self) -> Scope {
        if let Some(m) = &self.modal {
            match m {
                Modal::Form(f) if f.cursor.is_text() => Scope::Form,
                Modal::Form(_) => Scope::FormChoice,
                Modal::Confirm(_) => Scope::Confirm,
                Modal::Attendance(_) => Scope::Pick,
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
        }
    }

    fn nav_mut(&mut self) -> &mut ListNav {
        match self.view {
            View::Queue => &mut self.cases_nav,
            View::Schools => &mut self.schools_nav,
            View::Places => &mut self.places_nav,
        }
    }

    fn total(&self) -> usize {
        match self.view {
            View::Queue => self.queue.len(),
            View::Schools => self.school_order.len(),
            View::Places => self.caseload.places.len(),
        }
    }

    /// The selected case's queue row, in the queue view.
    pub fn selected_queue_item(&self) -> Option<&QueueItem> {
        self.cases_nav
            .selected_item(self.queue.len())
            .and_then(|i| self.queue.get(i))
    }

    pub fn selected_school(&self) -> Option<&School> {
        self.schools_nav
            .selected_item(self.school_order.len())
            .and_then(|i| self.school_order.get(i))
            .map(|i| &self.caseload.schools[*i])
    }

    pub fn school(&self, urn: u32) -> Option<&School> {
        self.caseload.schools.iter().find(|s| s.urn == urn)
    }

    /// Terminal events in: only key presses act (Windows terminals also send releases and
    /// repeats, which would double every key).
    pub fn handle_event(&mut self, ev: &Event) {
        match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => {
                let scope = self.scope();
                if let Some(a) = keymap::lookup(scope, k) {
                    self.update(a);
                } else if scope.takes_text()
                    && let Some(req) = to_input_request(ev)
                {
                    self.update(Action::Edit(req));
                }
            }
            Event::Resize(w, h) => self.size = (*w, *h),
            _ => {}
        }
    }

    fn rerun_search(&mut self) {
        match self.view {
            View::Queue => self.cases_nav.rerun(&self.case_index),
            View::Schools => self.schools_nav.rerun(&self.school_index),
            View::Places => {}
        }
        self.detail_scroll = 0;
    }

    fn page(&self) -> usize {
        usize::from(layout::list_rows(self.size, self.view)).max(1)
    }

    /// The only place state changes.
    pub fn update(&mut self, action: Action) {
        if self.quit_ask {
            match action {
                Action::QuitNow | Action::Quit => self.quit = true,
                Action::StayOpen => {
                    self.quit_ask = false;
                    self.status = "Still here: nothing was lost".to_owned();
                }
                _ => {}
            }
            return;
        }
        // Help opens over whatever is on screen (a form too) and leaves it as it was.
        match action {
            Action::Help => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
                return;
            }
            Action::Up | Action::Down | Action::PageUp | Action::PageDown if self.help_open => {
                let page = self.page() as u16;
                self.help_scroll = match action {
                    Action::Up => self.help_scroll.saturating_sub(1),
                    Action::Down => self.help_scroll.saturating_add(1),
                    Action::PageUp => self.help_scroll.saturating_sub(page),
                    _ => self.help_scroll.saturating_add(page),
                };
                return;
            }
            _ => {}
        }
        if let Some(modal) = self.modal.take() {
            self.modal = self.update_modal(modal, action);
            return;
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
                    self.clear_search();
                }
            }
            Action::Search => {
                if self.view != View::Places {
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
            Action::SearchCancel => self.clear_search(),
            Action::ToggleScreenShare => {
                self.screen_share = !self.screen_share;
                self.status = if self.screen_share {
                    "Screen-share ON: names, dates of birth, UPNs, home locations and notes are hidden".to_owned()
                } else {
                    "Screen-share OFF: names and personal details are shown; check who can see this screen".to_owned()
                };
            }
            Action::ShowQueue => self.switch(View::Queue),
            Action::ShowSchools => self.switch(View::Schools),
            Action::ShowPlaces => self.switch(View::Places),
            Action::Quit => self.quit = true,
            Action::Decide => self.open_decision(),
            Action::Correct => self.open_correction(),
            Action::Attendance => self.open_attendance(),
            Action::AgreeToConsider => self.open_agree(),
            Action::DeclareInterest => self.open_declaration(),
            Action::WriteMinutes => self.write_minutes(),
            Action::Edit(req) => {
                if self.nav().searching && self.nav_mut().input.handle(req).is_some_and(|c| c.value)
                {
                    self.rerun_search();
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
            | Action::AllAgree
            | Action::Record
            | Action::BackToForm
            | Action::PickChoose
            | Action::PickBack
            | Action::QuitNow
            | Action::StayOpen => {}
            // Handled before any view or modal sees the action.
            Action::Help => {}
        }
    }

    fn switch(&mut self, view: View) {
        self.view = view;
        self.focus = Focus::List;
        self.detail_scroll = 0;
    }

    /// Leaves the search and keeps the selected item selected in the full list.
    fn clear_search(&mut self) {
        let total = self.total();
        let nav = self.nav_mut();
        let keep = nav.selected_item(total);
        nav.searching = false;
        nav.hits = None;
        nav.input.reset();
        nav.searcher.clear();
        nav.selected = keep.unwrap_or(0);
    }

    /// How an item is named in a status line: never a pupil's name.
    fn item_label(&self, item: usize) -> String {
        match self.view {
            View::Queue => self
                .queue
                .get(item)
                .map(|q| crate::text::escape(&self.caseload.cases[q.case].reference).into_owned())
                .unwrap_or_default(),
            View::Schools => self
                .school_order
                .get(item)
                .map(|i| crate::text::escape(&self.caseload.schools[*i].name).into_owned())
                .unwrap_or_default(),
            View::Places => String::new(),
        }
    }

    /// Initials, or the full name when screen-share is off.
    pub fn pupil_label(&self, case: &Case) -> String {
        if self.screen_share {
            initials(&case.pupil.given_name, &case.pupil.family_name)
        } else {
            format!("{} {}", case.pupil.given_name, case.pupil.family_name)
        }
    }

    /// The school the pupil attended last (by start date), for search and the queue.
    pub fn last_school_name(&self, case: &Case) -> Option<String> {
        last_school(&self.caseload, case)
    }
}

fn last_school(c: &Caseload, case: &Case) -> Option<String> {
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

fn school_key(s: &School) -> String {
    let mut b = KeyBuilder::default();
    b.field(&s.name)
        .field(&s.urn.to_string())
        .field(s.postcode.as_deref().unwrap_or(""));
    b.finish().0
}

impl App {
    /// Writes the minutes from the log (never from memory) into the log's folder: the same
    /// builder as `fairpanel minutes`, so both give the same bytes.
    fn write_minutes(&mut self) {
        let Some(session) = &self.session else {
            self.status = "No decision log is open: the minutes come from the log".to_owned();
            return;
        };
        let dir = session
            .store()
            .path()
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        self.status = match crate::minutes::write_for_session(session, &dir, false) {
            Ok(path) => format!(
                "Minutes written to {} (no pupil names)",
                crate::text::escape(&path.display().to_string())
            ),
            Err(e) => format!("Minutes not written: {}", crate::text::escape(&e)),
        };
    }
}
