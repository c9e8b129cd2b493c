//! The meeting's side of `App::update`: opening the forms, moving through them, the confirm
//! view, attendance, and the one call that writes (`Session::record`). Nothing here draws or
//! touches SQL; every change of the log goes through the session, and memory changes only after
//! the entry is on disk.

use tui_input::{Input, InputRequest};

use crate::app::{App, View};
use crate::caseload::model::{CaseKind, Pool};
use crate::dates::Date;
use crate::form::{
    AttendancePick, Body, Confirm, DateField, DecisionDraft, DeclarationDraft, Form, Modal, Row,
    STATUSES, Vote, date_field, default_outcome, status_label, vote_members,
};
use crate::keymap::Action;
use crate::log::event::{Entry, Event, Outcome};
use crate::rules::{Hit, Severity};
use crate::session::{RecordError, When, now_utc};
use crate::text::escape;
use crate::year_group::{PoolGroup, YearGroup};

const NO_LOG: &str = "No decision log is open, so nothing can be recorded: start fairpanel on a caseload (or the demo) to open one";

impl App {
    /// The case the meeting keys act on: the selected row of the queue.
    fn case_for(&mut self, what: &str) -> Option<usize> {
        if self.session.is_none() {
            self.status = NO_LOG.to_owned();
            return None;
        }
        let case = (self.view == View::Queue)
            .then(|| self.selected_queue_item().map(|q| q.case))
            .flatten();
        if case.is_none() {
            self.status = format!("Select a case in the queue (1) to {what} it");
        }
        case
    }

    /// The date a new placement starts by default: the next school day after the meeting.
    fn default_start(&self) -> Option<Date> {
        self.calendar
            .nth_school_day_after(self.caseload.panel.meeting_date, 1)
    }

    /// The review date offered when one is needed: the panel's review interval after the
    /// start. One fairpanel filled in follows the outcome and the start date (and goes when the
    /// outcome needs none); one somebody typed is left alone.
    fn sync_review(&self, d: &mut DecisionDraft) {
        if !d.review_auto && !d.review.value().trim().is_empty() {
            return;
        }
        d.review = Input::default();
        d.review_auto = false;
        if !d.needs_review() {
            return;
        }
        if let DateField::Valid(start) = date_field(&d.start) {
            let weeks = u64::from(self.caseload.panel.settings.review_weeks);
            if let Some(r) = start.0.checked_add_days(chrono::Days::new(7 * weeks)) {
                d.review = Input::new(Date(r).to_string());
                d.review_auto = true;
            }
        }
    }

    pub(crate) fn open_decision(&mut self) {
        let Some(ci) = self.case_for("decide on") else {
            return;
        };
        let Some(s) = &self.session else { return };
        let case = &self.caseload.cases[ci];
        let case_ref = case.reference.clone();
        if let Some((e, d)) = s.state.current_decision(&case_ref) {
            self.status = format!(
                "{} already has decision {} ({}) at this meeting: c corrects it",
                escape(&case_ref),
                e.id,
                d.outcome.as_str()
            );
            return;
        }
        let members = vote_members(&self.caseload, &s.state, &[]);
        let mut draft = DecisionDraft {
            outcome: default_outcome(case),
            school_input: Input::default(),
            school_hits: Vec::new(),
            school: (case.kind == CaseKind::ManagedMove)
                .then_some(case.proposed_school)
                .flatten(),
            start: Input::new(
                self.default_start()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            review: Input::default(),
            review_auto: false,
            package: Input::default(),
            reduced: false,
            reasons: Input::default(),
            override_reason: Input::default(),
            votes: vec![Vote::Abstains; members.len()],
            members,
            correcting: None,
            correction_reason: Input::default(),
        };
        self.sync_review(&mut draft);
        self.status = format!(
            "Decision on {}: Tab or ↑↓ move, Ctrl-S shows what will be written; Esc cancels",
            escape(&case_ref)
        );
        self.modal = Some(Modal::Form(Box::new(Form::new(
            ci,
            case_ref,
            Body::Decision(Box::new(draft)),
            Row::Outcome,
        ))));
    }

    pub(crate) fn open_correction(&mut self) {
        let Some(ci) = self.case_for("correct the decision on") else {
            return;
        };
        let Some(s) = &self.session else { return };
        let case_ref = self.caseload.cases[ci].reference.clone();
        let Some((entry, d)) = s.state.current_decision(&case_ref) else {
            self.status = format!(
                "{} has no decision at this meeting to correct: d records one",
                escape(&case_ref)
            );
            return;
        };
        let named: Vec<String> = d.agreed_by.iter().chain(&d.dissent).cloned().collect();
        let members = vote_members(&self.caseload, &s.state, &named);
        let votes = members
            .iter()
            .map(|m| {
                let name = &self.caseload.panel.members[*m].name;
                if d.agreed_by.contains(name) {
                    Vote::Agrees
                } else if d.dissent.contains(name) {
                    Vote::Dissents
                } else {
                    Vote::Abstains
                }
            })
            .collect();
        let text = |v: Option<&str>| Input::new(v.unwrap_or_default().to_owned());
        let draft = DecisionDraft {
            outcome: d.outcome,
            school_input: Input::default(),
            school_hits: Vec::new(),
            school: d.urn,
            start: Input::new(
                d.start_date
                    .or_else(|| self.default_start())
                    .map(|x| x.to_string())
                    .unwrap_or_default(),
            ),
            review: text(d.review_date.map(|x| x.to_string()).as_deref()),
            review_auto: false,
            package: text(d.package.as_deref()),
            reduced: d.reduced_timetable,
            reasons: text(Some(&d.reasons)),
            override_reason: text(d.override_reason.as_deref()),
            members,
            votes,
            correcting: Some(entry.id),
            correction_reason: Input::default(),
        };
        self.status = format!(
            "Correcting decision {} on {}: give the reason first; the decision it replaces stays in the log",
            entry.id,
            escape(&case_ref)
        );
        self.modal = Some(Modal::Form(Box::new(Form::new(
            ci,
            case_ref,
            Body::Decision(Box::new(draft)),
            Row::CorrectionReason,
        ))));
    }

    pub(crate) fn open_declaration(&mut self) {
        let Some(ci) = self.case_for("declare an interest in") else {
            return;
        };
        let case_ref = self.caseload.cases[ci].reference.clone();
        let draft = DeclarationDraft {
            members: self.caseload.panel.members.len(),
            member: None,
            interest: Input::default(),
            withdrew: false,
        };
        self.status = format!(
            "Interest in {}: Space picks the member, then say what the interest is",
            escape(&case_ref)
        );
        self.modal = Some(Modal::Form(Box::new(Form::new(
            ci,
            case_ref,
            Body::Declaration(draft),
            Row::Member(0),
        ))));
    }

    pub(crate) fn open_agree(&mut self) {
        let Some(ci) = self.case_for("agree to consider") else {
            return;
        };
        let Some(s) = &self.session else { return };
        let event = Event::AgreedToConsider {
            case_ref: self.caseload.cases[ci].reference.clone(),
            date: self.caseload.panel.meeting_date,
        };
        let hits = s.validate(&event, None, When::Meeting);
        self.status = verdict(&hits);
        self.modal = Some(Modal::Confirm(Box::new(Confirm {
            event,
            correction: None,
            hits,
            back: None,
            scroll: 0,
        })));
    }

    pub(crate) fn open_attendance(&mut self) {
        let Some(s) = &self.session else {
            self.status = NO_LOG.to_owned();
            return;
        };
        self.modal = Some(Modal::Attendance(Box::new(AttendancePick::new(
            &self.caseload,
            &s.state,
        ))));
        self.status =
            "Attendance: ↑↓ or type a name, Enter, then choose the status and Enter".to_owned();
    }

    /// Keys while a modal is open; returns the modal to keep open.
    pub(crate) fn update_modal(&mut self, modal: Modal, action: Action) -> Option<Modal> {
        if action == Action::Quit {
            if modal.holds_input() {
                self.quit_ask = true;
                self.status = format!(
                    "Discard the unsaved {}? y quits without recording it, n goes back",
                    modal.noun()
                );
                return Some(modal);
            }
            self.quit = true;
            return None;
        }
        match modal {
            Modal::Form(f) => self.update_form(f, action),
            Modal::Confirm(c) => self.update_confirm(c, action),
            Modal::Attendance(p) => self.update_attendance(p, action),
        }
    }

    /// How many schools the decision form lists under its filter.
    pub fn listed_schools(&self, f: &Form) -> Vec<usize> {
        match &f.body {
            Body::Decision(d) => d.listed_schools(&self.school_order, &self.caseload),
            Body::Declaration(_) => Vec::new(),
        }
    }

    pub fn form_rows(&self, f: &Form) -> Vec<Row> {
        f.rows(self.listed_schools(f).len())
    }

    fn update_form(&mut self, mut f: Box<Form>, action: Action) -> Option<Modal> {
        let rows = self.form_rows(&f);
        let pos = rows.iter().position(|r| *r == f.cursor).unwrap_or(0);
        let last = rows.len().saturating_sub(1);
        let here = f.cursor.field();
        // The first row of the next field, if any.
        let next_field = rows.iter().skip(pos).find(|r| r.field() != here).copied();
        // The first row of the field before this one.
        let prev_field = rows[..pos]
            .iter()
            .rev()
            .find(|r| r.field() != here)
            .map(|r| r.field())
            .and_then(|field| rows.iter().find(|r| r.field() == field).copied());
        match action {
            Action::NextField => {
                if let Some(r) = next_field {
                    f.cursor = r;
                }
            }
            Action::PrevField => {
                if let Some(r) = prev_field {
                    f.cursor = r;
                }
            }
            Action::Down => f.cursor = rows.get((pos + 1).min(last)).copied()?,
            Action::Up => f.cursor = rows.get(pos.saturating_sub(1)).copied()?,
            Action::FormEnter => {
                if matches!(f.cursor, Row::SchoolHit(_) | Row::Member(_)) {
                    self.toggle(&mut f, true);
                }
                match next_field {
                    Some(r) => f.cursor = r,
                    None => return self.confirm_view(f),
                }
            }
            Action::ToConfirm => return self.confirm_view(f),
            Action::CloseForm => {
                self.status = format!("{} form closed: nothing was recorded", capital(f.noun()));
                return None;
            }
            Action::Toggle | Action::OptionNext => self.toggle(&mut f, true),
            Action::OptionPrev => self.toggle(&mut f, false),
            Action::AllAgree => self.all_agree(&mut f),
            Action::Edit(req) => self.edit(&mut f, req),
            _ => {}
        }
        Some(Modal::Form(f))
    }

    fn edit(&mut self, f: &mut Form, req: InputRequest) {
        let row = f.cursor;
        let Some(input) = f.input_mut(row) else {
            if matches!(req, InputRequest::InsertChar(_)) {
                self.status =
                    "This row is a choice, not text: Space or → changes it, Tab goes to the next field"
                        .to_owned();
            }
            return;
        };
        if !input.handle(req).is_some_and(|c| c.value) {
            return;
        }
        f.dirty = true;
        match (row, &mut f.body) {
            (Row::School, _) => self.refilter_schools(f),
            (Row::Start, Body::Decision(d)) => self.sync_review(d),
            (Row::Review, Body::Decision(d)) => d.review_auto = false,
            _ => {}
        }
    }

    /// Re-runs the school filter; the best match becomes the chosen school.
    fn refilter_schools(&self, f: &mut Form) {
        let Body::Decision(d) = &mut f.body else {
            return;
        };
        let q = d.school_input.value().to_owned();
        if q.trim().is_empty() {
            // Clearing the filter keeps the school chosen.
            d.school_hits.clear();
            f.searcher.clear();
            return;
        }
        d.school_hits = f
            .searcher
            .search(&self.school_index, &q)
            .iter()
            .map(|&i| i as usize)
            .collect();
        d.school = d
            .school_hits
            .first()
            .and_then(|i| self.school_order.get(*i))
            .and_then(|s| self.caseload.schools.get(*s))
            .map(|s| s.urn);
    }

    /// Space, ← and → on a choice row.
    fn toggle(&self, f: &mut Form, forward: bool) {
        let listed = self.listed_schools(f);
        let cursor = f.cursor;
        match &mut f.body {
            Body::Decision(d) => match cursor {
                Row::Outcome => {
                    let all = Outcome::ALL;
                    let i = all.iter().position(|o| *o == d.outcome).unwrap_or(0);
                    let n = all.len();
                    d.outcome = all[if forward {
                        (i + 1) % n
                    } else {
                        (i + n - 1) % n
                    }];
                    self.sync_review(d);
                }
                Row::SchoolHit(i) => {
                    if let Some(s) = listed
                        .get(i)
                        .and_then(|x| self.school_order.get(*x))
                        .and_then(|x| self.caseload.schools.get(*x))
                    {
                        d.school = Some(s.urn);
                    }
                }
                Row::Reduced => {
                    d.reduced = !d.reduced;
                    self.sync_review(d);
                }
                Row::Vote(i) => {
                    if let Some(v) = d.votes.get_mut(i) {
                        *v = if forward { v.next() } else { v.prev() };
                    }
                }
                _ => return,
            },
            Body::Declaration(x) => match cursor {
                Row::Member(i) => x.member = Some(i),
                Row::Withdrew => x.withdrew = !x.withdrew,
                _ => return,
            },
        }
        f.dirty = true;
    }

    /// Everyone present agrees, except members who declared an interest in the case (they stay
    /// out) and members already marked as dissenting.
    fn all_agree(&self, f: &mut Form) {
        let (Body::Decision(d), Some(s)) = (&mut f.body, &self.session) else {
            return;
        };
        for (m, v) in d.members.iter().zip(d.votes.iter_mut()) {
            let Some(member) = self.caseload.panel.members.get(*m) else {
                continue;
            };
            let present = s
                .state
                .attendance
                .get(&member.name)
                .is_some_and(|a| a.is_present());
            let declared = s.state.declared(&member.name, &f.case_ref).is_some();
            if *v != Vote::Dissents {
                *v = if present && !declared {
                    Vote::Agrees
                } else {
                    Vote::Abstains
                };
            }
        }
        f.dirty = true;
    }

    /// Form → confirm view: the event exactly as it will be written, with the rules' hits.
    fn confirm_view(&mut self, mut f: Box<Form>) -> Option<Modal> {
        let (event, correction) = match f.event(&self.caseload) {
            Ok(x) => x,
            Err((row, msg)) => {
                if self.form_rows(&f).contains(&row) {
                    f.cursor = row;
                }
                self.status = msg;
                return Some(Modal::Form(f));
            }
        };
        let Some(s) = &self.session else {
            self.status = NO_LOG.to_owned();
            return Some(Modal::Form(f));
        };
        let event = match event {
            Event::Decision(d) => Event::Decision(s.prepare(d)),
            e => e,
        };
        let hits = s.validate(&event, correction.as_ref(), When::Meeting);
        self.status = verdict(&hits);
        Some(Modal::Confirm(Box::new(Confirm {
            event,
            correction,
            hits,
            back: Some(f),
            scroll: 0,
        })))
    }

    fn update_confirm(&mut self, mut c: Box<Confirm>, action: Action) -> Option<Modal> {
        match action {
            Action::Up => c.scroll = c.scroll.saturating_sub(1),
            Action::Down => c.scroll = c.scroll.saturating_add(1),
            Action::PageUp => c.scroll = c.scroll.saturating_sub(10),
            Action::PageDown => c.scroll = c.scroll.saturating_add(10),
            Action::BackToForm => {
                return match c.back.take() {
                    Some(f) => {
                        self.status = "Back to the form: nothing was recorded".to_owned();
                        Some(Modal::Form(f))
                    }
                    None => {
                        self.status = "Cancelled: nothing was recorded".to_owned();
                        None
                    }
                };
            }
            Action::Record => return self.record_confirmed(c),
            _ => {}
        }
        Some(Modal::Confirm(c))
    }

    /// Enter in the confirm view: the one place the screen writes to the log.
    fn record_confirmed(&mut self, mut c: Box<Confirm>) -> Option<Modal> {
        if c.refused() {
            self.status = refusal(&c.hits);
            return Some(Modal::Confirm(c));
        }
        let Some(s) = self.session.as_mut() else {
            self.status = NO_LOG.to_owned();
            return Some(Modal::Confirm(c));
        };
        match s.record(
            c.event.clone(),
            c.correction.clone(),
            When::Meeting,
            now_utc(),
        ) {
            Ok((entry, warnings)) => {
                self.status = self.recorded(&entry, &warnings);
                if let Some(r) = entry.event.case_ref() {
                    self.refresh_clock(r);
                }
                None
            }
            Err(RecordError::Refused(hits)) => {
                c.hits = hits;
                self.status = refusal(&c.hits);
                Some(Modal::Confirm(c))
            }
            Err(RecordError::Store(e)) => {
                self.status = format!(
                    "✗ Not recorded: {e}. Nothing changed; Enter tries again, Esc goes back"
                );
                Some(Modal::Confirm(c))
            }
        }
    }

    fn update_attendance(&mut self, mut p: Box<AttendancePick>, action: Action) -> Option<Modal> {
        match p.choosing {
            None => match action {
                Action::Up => p.selected = p.selected.saturating_sub(1),
                Action::Down => {
                    p.selected = (p.selected + 1).min(p.hits.len().saturating_sub(1));
                }
                Action::PickChoose => {
                    if let Some(m) = p.hits.get(p.selected) {
                        p.choosing = Some((*m, 0));
                    }
                }
                Action::PickBack => {
                    let q = self
                        .session
                        .as_ref()
                        .map(|s| s.state.quorum(&s.caseload).label())
                        .unwrap_or_default();
                    self.status = format!("Attendance closed: {q}");
                    return None;
                }
                Action::Edit(req) if p.input.handle(req).is_some_and(|c| c.value) => {
                    p.refilter();
                }
                _ => {}
            },
            Some((m, st)) => match action {
                Action::Up => p.choosing = Some((m, st.saturating_sub(1))),
                Action::Down => p.choosing = Some((m, (st + 1).min(STATUSES.len() - 1))),
                Action::PickBack => p.choosing = None,
                Action::PickChoose => self.record_attendance(&mut p, m, st),
                _ => {}
            },
        }
        Some(Modal::Attendance(p))
    }

    fn record_attendance(&mut self, p: &mut AttendancePick, m: usize, st: usize) {
        let (Some(member), Some(status)) = (self.caseload.panel.members.get(m), STATUSES.get(st))
        else {
            return;
        };
        let Some(s) = self.session.as_mut() else {
            self.status = NO_LOG.to_owned();
            return;
        };
        let event = Event::Attendance {
            member: member.name.clone(),
            status: *status,
        };
        match s.record(event, None, When::Meeting, now_utc()) {
            Ok((entry, warnings)) => {
                self.status = self.recorded(&entry, &warnings);
                p.choosing = None;
                p.input.reset();
                p.refilter();
                let here = p.hits.iter().position(|x| *x == m).unwrap_or(0);
                if let Some(s) = &self.session {
                    p.selected = p
                        .next_unrecorded(&self.caseload, &s.state, 0)
                        .unwrap_or(here);
                }
            }
            Err(RecordError::Refused(hits)) => self.status = refusal(&hits),
            Err(RecordError::Store(e)) => {
                self.status = format!("✗ Not recorded: {e}. Nothing changed")
            }
        }
    }

    /// The status line after a write (ux.md "Say what happened"): references, never names.
    fn recorded(&self, entry: &Entry, warnings: &[Hit]) -> String {
        let warned = match warnings.len() {
            0 => String::new(),
            1 => " · 1 warning".to_owned(),
            n => format!(" · {n} warnings"),
        };
        match &entry.event {
            Event::Decision(d) => {
                let school = d.urn.map(|u| self.school_label(u));
                let to = match (school, d.outcome.places_child()) {
                    (Some(name), true) => match d.start_date {
                        Some(start) => format!("{name}, start {}", start.long()),
                        None => name,
                    },
                    (Some(name), false) => format!("{} ({name})", d.outcome.as_str()),
                    (None, _) => d.outcome.as_str().to_owned(),
                };
                let corrects = entry
                    .supersedes
                    .map_or(String::new(), |old| format!(", superseding decision {old}"));
                format!(
                    "Decision {} recorded: {} → {to}{corrects}{warned}",
                    entry.id, d.case_ref
                )
            }
            Event::AgreedToConsider { case_ref, date } => format!(
                "Entry {}: agreed to consider {case_ref} on {}: day 0 of the {}-school-day clock{warned}",
                entry.id,
                date.long(),
                self.caseload.panel.settings.clock_school_days
            ),
            Event::Declaration {
                member,
                case_ref,
                withdrew,
                ..
            } => format!(
                "Entry {}: interest recorded: {member} in {case_ref}, {}{warned}",
                entry.id,
                if *withdrew {
                    "withdrew from the decision"
                } else {
                    "stayed"
                }
            ),
            Event::Attendance { member, status } => {
                let q = self
                    .session
                    .as_ref()
                    .map(|s| s.state.quorum(&s.caseload).label())
                    .unwrap_or_default();
                format!(
                    "Attendance recorded: {member} {} · {q}{warned}",
                    status_label(*status)
                )
            }
            Event::CaseloadOpened { revision, .. } => {
                format!("Entry {}: caseload revision {revision}", entry.id)
            }
        }
    }

    /// A school by URN as the room reads it.
    pub fn school_label(&self, urn: u32) -> String {
        self.school(urn)
            .map_or_else(|| format!("URN {urn}"), |s| s.name.clone())
    }

    /// Places taken at this meeting from a provision's pool, by the decisions that stand.
    pub fn places_taken(&self, urn: u32, group: PoolGroup) -> i64 {
        self.session
            .as_ref()
            .map_or(0, |s| s.state.places_taken(&s.caseload, urn, group))
    }

    /// Places left in a pool now: offered, less used before the meeting, less taken in the log.
    pub fn pool_left(&self, urn: u32, pool: &Pool) -> i64 {
        (pool.offered - pool.used - self.places_taken(urn, pool.group)).max(0)
    }

    /// The pool of provision `urn` a pupil in year group `y` would draw on, and places left.
    pub fn pool_for_year(&self, urn: u32, y: YearGroup) -> Option<(PoolGroup, i64, i64)> {
        let prov = self.caseload.places.iter().find(|p| p.urn == urn)?;
        let pool = prov.pools.iter().find(|p| p.group.covers(y))?;
        Some((pool.group, self.pool_left(urn, pool), pool.offered))
    }

    /// Every free place across the provisions, live.
    pub fn places_left_total(&self) -> i64 {
        self.caseload
            .places
            .iter()
            .flat_map(|p| p.pools.iter().map(move |x| self.pool_left(p.urn, x)))
            .sum()
    }

    /// The pupil's year group on the form's start date (31 August rule), else on the meeting
    /// date.
    pub fn form_year(&self, f: &Form) -> Option<YearGroup> {
        let case = self.caseload.cases.get(f.case)?;
        let on = match &f.body {
            Body::Decision(d) => match date_field(&d.start) {
                DateField::Valid(s) if d.has_school() => s,
                _ => self.caseload.panel.meeting_date,
            },
            Body::Declaration(_) => self.caseload.panel.meeting_date,
        };
        YearGroup::on(case.pupil.date_of_birth, on)
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The status line on reaching the confirm view.
fn verdict(hits: &[Hit]) -> String {
    let refusals = hits
        .iter()
        .filter(|h| h.rule.severity == Severity::Refuse)
        .count();
    let warnings = hits.len() - refusals;
    if refusals > 0 {
        format!(
            "✗ {refusals} refusal{}: this cannot be recorded as it stands; Esc goes back",
            if refusals == 1 { "" } else { "s" }
        )
    } else if warnings > 0 {
        format!(
            "! {warnings} warning{}: read them; Enter records, Esc goes back",
            if warnings == 1 { "" } else { "s" }
        )
    } else {
        "✓ All checks pass: Enter records, Esc goes back".to_owned()
    }
}

/// The status line when a rule refuses: its name and plain message; nothing was written.
fn refusal(hits: &[Hit]) -> String {
    let refusals: Vec<&Hit> = hits
        .iter()
        .filter(|h| h.rule.severity == Severity::Refuse)
        .collect();
    match refusals.first() {
        Some(h) => format!(
            "✗ Refused ({}): {}. Nothing was recorded{}",
            h.rule.name,
            h.rule.summary,
            match refusals.len() {
                1 => String::new(),
                2 => " (1 more refusal in the confirm view)".to_owned(),
                n => format!(" ({} more refusals in the confirm view)", n - 1),
            }
        ),
        None => "Nothing was recorded".to_owned(),
    }
}
