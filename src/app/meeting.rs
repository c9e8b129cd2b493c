//! The meeting's side of `App::update`: opening the forms, moving through them, the confirm
//! view and attendance. Nothing here draws, writes or reads the clock: recording is an
//! `Effect::Record` the runtime performs through `Meeting::record`, and its outcome comes back
//! as a `Msg` (`on_recorded`, `on_refused`, `on_record_failed`).

use tui_input::{Input, InputRequest};

use crate::app::form::SCHOOL_ROWS;

use crate::app::effect::MinutesChoice;
use crate::app::form::{
    AttendancePick, Body, CASE_STATUSES, CaseDraft, Confirm, DateField, DecisionDraft,
    DeclarationDraft, Form, MinutesForms, Modal, NextDates, RankedList, Row, SENS, STATUSES, Vote,
    date_field, default_outcome, offered_outcomes, vote_members,
};
use crate::app::keymap::Action;
use crate::app::{App, Ask, Effect, View, capital};
use crate::domain::caseload::{CaseKind, Caseload, Sex};
use crate::domain::dates::Date;
use crate::domain::event::{Event, Outcome, Proposal};
use crate::domain::meeting::{Preference, Recorded, Suggested};
use crate::domain::rules::{Hit, Severity};
use crate::domain::view::Standing;
use crate::domain::words;
use crate::domain::year_group::YearGroup;

type Step = (Option<Modal>, Vec<Effect>);

/// A row of the ranked list of schools for a case.
#[derive(Debug, Clone, Copy)]
pub enum RankedRow<'a> {
    /// A suggestion and its place in the ranking (0 = first).
    Suggested(usize, &'a Suggested),
    /// A preference the ranking leaves out.
    Preference(&'a Preference),
}

fn keep(m: Modal) -> Step {
    (Some(m), Vec::new())
}

/// Where a key in a form leads.
enum FormNext {
    Stay,
    Confirm,
    Close,
}

/// ↑ or ↓ within a multi-line text: the cursor moves a line, keeping its column; false at the
/// first or last line (the key then moves between rows).
fn line_move(f: &mut Form, down: bool) -> bool {
    let row = f.cursor;
    let Some(input) = f.input_mut(row) else {
        return false;
    };
    let chars: Vec<char> = input.value().chars().collect();
    let at = input.cursor().min(chars.len());
    let start = chars[..at]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |i| i + 1);
    let col = at - start;
    let target = if down {
        let Some(end) = chars[at..].iter().position(|c| *c == '\n').map(|i| at + i) else {
            return false;
        };
        let next_end = chars[end + 1..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(chars.len(), |i| end + 1 + i);
        (end + 1 + col).min(next_end)
    } else {
        if start == 0 {
            return false;
        }
        let prev_start = chars[..start - 1]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |i| i + 1);
        (prev_start + col).min(start - 1)
    };
    input.handle(InputRequest::SetCursor(target));
    true
}

impl App {
    /// The case the meeting keys act on: the selected row of the queue.
    fn case_for(&mut self, what: &str) -> Option<usize> {
        let case = (self.view == View::Queue)
            .then(|| self.selected_case())
            .flatten();
        if case.is_none() {
            self.status = format!("Select a case in the queue (1) to {what} it");
        }
        case
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
            let weeks = u64::from(self.caseload().panel.settings.review_weeks);
            if let Some(r) = start.0.checked_add_days(chrono::Days::new(7 * weeks)) {
                d.review = Input::new(Date(r).to_string());
                d.review_auto = true;
            }
        }
    }

    pub(super) fn open_decision(&mut self) {
        self.open_decision_with(None);
    }

    /// The decision form; with `school`, that school already chosen.
    fn open_decision_with(&mut self, school: Option<u32>) {
        let Some(ci) = self.case_for("decide on") else {
            return;
        };
        let Some(case) = self.meeting.case(ci) else {
            return;
        };
        let case_ref = case.reference.clone();
        // A decision of this meeting is corrected; one of an earlier meeting that left the case
        // open (a deferral) is followed by a new decision.
        let state = self.meeting.state();
        if let Some((e, d)) = state
            .current_decision(&case_ref)
            .filter(|(e, _)| state.is_here(e))
        {
            self.status = format!(
                "{case_ref} already has decision {} ({}) at this meeting: c corrects it",
                e.id,
                words::outcome_done(d.outcome)
            );
            return;
        }
        let members = vote_members(self.caseload(), self.meeting.state(), &[]);
        let placed = self
            .meeting
            .state()
            .current_decision(&case_ref)
            .is_some_and(|(_, d)| d.is_reviewable());
        let mut draft = DecisionDraft {
            outcome: if placed {
                Outcome::ReviewConfirmed
            } else {
                default_outcome(case)
            },
            outcomes: offered_outcomes(case.kind, placed, None),
            verdicts: Vec::new(),
            took: None,
            school_input: Input::default(),
            school_hits: Vec::new(),
            school: school.or((case.kind == CaseKind::ManagedMove)
                .then_some(case.proposed_school)
                .flatten()),
            start: Input::new(
                self.meeting
                    .default_start()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            review: Input::default(),
            review_auto: false,
            package: Input::default(),
            actions: Input::default(),
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
            "Decision on {case_ref}: a letter picks the outcome, Tab moves, Ctrl-N takes a suggested school, Ctrl-S shows what will be written"
        );
        let mut form = Box::new(Form::new(
            ci,
            case_ref,
            Body::Decision(Box::new(draft)),
            Row::Outcome,
        ));
        self.judge_form(&mut form);
        self.modal = Some(Modal::Form(form));
    }

    pub(super) fn open_correction(&mut self) {
        let Some(ci) = self.case_for("correct the decision on") else {
            return;
        };
        let Some(case_ref) = self.meeting.case(ci).map(|c| c.reference.clone()) else {
            return;
        };
        let Some((entry, d)) = self.meeting.state().current_decision(&case_ref) else {
            self.status =
                format!("{case_ref} has no decision at this meeting to correct: d records one");
            return;
        };
        let named: Vec<String> = d.agreed_by.iter().chain(&d.dissent).cloned().collect();
        let members = vote_members(self.caseload(), self.meeting.state(), &named);
        let people = self.meeting.state().people(self.caseload());
        let votes = members
            .iter()
            .map(|m| {
                let name = people.get(*m).map_or("", |p| p.name.as_str());
                if d.agreed_by.iter().any(|n| n == name) {
                    Vote::Agrees
                } else if d.dissent.iter().any(|n| n == name) {
                    Vote::Dissents
                } else {
                    Vote::Abstains
                }
            })
            .collect();
        let text = |v: Option<&str>| Input::new(v.unwrap_or_default().to_owned());
        let kind = self
            .meeting
            .case(ci)
            .map_or(CaseKind::FairAccess, |c| c.kind);
        let draft = DecisionDraft {
            outcome: d.outcome,
            outcomes: offered_outcomes(kind, d.is_reviewable(), Some(d.outcome)),
            verdicts: Vec::new(),
            took: None,
            school_input: Input::default(),
            school_hits: Vec::new(),
            school: d.urn,
            start: Input::new(
                d.start_date
                    .or_else(|| self.meeting.default_start())
                    .map(|x| x.to_string())
                    .unwrap_or_default(),
            ),
            review: text(d.review_date.map(|x| x.to_string()).as_deref()),
            review_auto: false,
            package: text(d.package.as_deref()),
            actions: Input::new(crate::domain::event::Action::list_text(&d.actions)),
            reduced: d.reduced_timetable,
            reasons: text(Some(&d.reasons)),
            override_reason: text(d.override_reason.as_deref()),
            members,
            votes,
            correcting: Some(entry.id),
            correction_reason: Input::default(),
        };
        self.status = format!(
            "Correcting decision {} on {case_ref}: give the reason first; the decision it replaces stays in the log",
            entry.id
        );
        let mut form = Box::new(Form::new(
            ci,
            case_ref,
            Body::Decision(Box::new(draft)),
            Row::CorrectionReason,
        ));
        self.judge_form(&mut form);
        self.modal = Some(Modal::Form(form));
    }

    pub(super) fn open_declaration(&mut self) {
        let Some(ci) = self.case_for("declare an interest in") else {
            return;
        };
        let Some(case_ref) = self.meeting.case(ci).map(|c| c.reference.clone()) else {
            return;
        };
        let draft = DeclarationDraft {
            members: self.meeting.state().people(self.caseload()).len(),
            member: None,
            interest: Input::default(),
            withdrew: false,
        };
        self.status = format!(
            "Interest in {case_ref}: Space picks the member, then say what the interest is"
        );
        self.modal = Some(Modal::Form(Box::new(Form::new(
            ci,
            case_ref,
            Body::Declaration(draft),
            Row::Member(0),
        ))));
    }

    pub(super) fn open_agree(&mut self) {
        let Some(ci) = self.case_for("agree to consider") else {
            return;
        };
        let Some(case_ref) = self.meeting.case(ci).map(|c| c.reference.clone()) else {
            return;
        };
        let proposal = Proposal::at_meeting(Event::AgreedToConsider {
            case_ref,
            date: self.meeting.meeting_date(),
        });
        self.modal = Some(self.confirm(proposal, None));
    }

    pub(super) fn open_ranked(&mut self) {
        let Some(ci) = self.case_for("list the schools for") else {
            return;
        };
        if self.working().is_none_or(|w| w.case != ci) {
            return;
        }
        let n = self.ranked_rows().len();
        self.status = format!(
            "{} that may be asked, ranked: ↑↓ move, Enter decides with one, Esc closes",
            words::count(n as i64, "school", "schools")
        );
        self.modal = Some(Modal::Ranked(RankedList {
            case: ci,
            selected: 0,
        }));
    }

    /// The rows of the ranked list: every suggestion in order, then each preference that is
    /// not among them.
    pub fn ranked_rows(&self) -> Vec<RankedRow<'_>> {
        let Some(w) = self.working() else {
            return Vec::new();
        };
        let mut rows: Vec<RankedRow> = w
            .suggestions
            .iter()
            .enumerate()
            .map(|(i, s)| RankedRow::Suggested(i, s))
            .collect();
        rows.extend(
            w.preferences
                .iter()
                .filter(|p| p.suggested.is_none())
                .map(RankedRow::Preference),
        );
        rows
    }

    fn update_ranked(&mut self, mut r: RankedList, action: Action) -> Step {
        let last = self.ranked_rows().len().saturating_sub(1);
        let page = self.page();
        match action {
            Action::Up => r.selected = r.selected.saturating_sub(1),
            Action::Down => r.selected = (r.selected + 1).min(last),
            Action::PageUp => r.selected = r.selected.saturating_sub(page),
            Action::PageDown => r.selected = (r.selected + page).min(last),
            Action::PickBack => {
                self.status = "Closed the list of schools".to_owned();
                return (None, Vec::new());
            }
            Action::DecideWith => {
                let chosen = match self.ranked_rows().get(r.selected) {
                    Some(RankedRow::Suggested(_, s)) => Ok(s.school.urn),
                    Some(RankedRow::Preference(p)) if !p.refused() => Ok(p.urn),
                    Some(RankedRow::Preference(p)) => Err(p.urn),
                    None => return (Some(Modal::Ranked(r)), Vec::new()),
                };
                match chosen {
                    Ok(urn) => {
                        self.open_decision_with(Some(urn));
                        return (self.modal.take(), Vec::new());
                    }
                    Err(urn) => {
                        self.status = format!(
                            "✗ {} is refused by the rules for this case: choose another",
                            self.school_label(urn)
                        );
                    }
                }
            }
            _ => {}
        }
        (Some(Modal::Ranked(r)), Vec::new())
    }

    /// A late referral (`N`): a case added during the meeting, from any view. Its reference
    /// starts as the next free one for its kind, and its referral date as the meeting's.
    pub(super) fn open_late_referral(&mut self) {
        let kind = CaseKind::FairAccess;
        let draft = CaseDraft::late(
            kind,
            next_reference(self.caseload(), kind),
            self.meeting.meeting_date(),
        );
        self.status = format!(
            "Late referral: Tab moves, Ctrl-S shows what will be written{}",
            if self.screen_share {
                " · names as dots"
            } else {
                ""
            }
        );
        self.modal = Some(Modal::Form(Box::new(Form::new(
            usize::MAX,
            String::new(),
            Body::Case(Box::new(draft)),
            Row::CaseKind,
        ))));
    }

    /// Amend the selected case (`E`): its facts corrected or added to, with the reason first.
    pub(super) fn open_amend(&mut self) {
        let Some(ci) = self.case_for("amend") else {
            return;
        };
        let Some(case) = self.meeting.case(ci) else {
            return;
        };
        let case_ref = case.reference.clone();
        let draft = CaseDraft::amend(case);
        self.status = format!(
            "Amending {case_ref}: give the reason first, then correct the facts; the case as it was stays in the log"
        );
        self.modal = Some(Modal::Form(Box::new(Form::new(
            ci,
            case_ref,
            Body::Case(Box::new(draft)),
            Row::CaseReason,
        ))));
    }

    /// A substitute or guest joining: the form, then the confirm view.
    fn open_join(&mut self) {
        self.status =
            "Someone joined: name, organisation, role, the school they speak for (if any), whether they can decide, whom they stand in for".to_owned();
        self.modal = Some(Modal::Form(Box::new(Form::new(
            usize::MAX,
            String::new(),
            Body::Joined(Box::default()),
            Row::JoinName,
        ))));
    }

    pub(super) fn open_attendance(&mut self) {
        self.modal = Some(Modal::Attendance(Box::new(AttendancePick::new(
            self.caseload(),
            self.meeting.state(),
        ))));
        self.status =
            "Attendance: ↑↓ or type a name, Enter, then choose the status and Enter".to_owned();
    }

    /// The confirm view of a proposal, as `Meeting::prepare` fills it in and `Meeting::check`
    /// judges it: exactly what Enter writes.
    fn confirm(&mut self, proposal: Proposal, back: Option<Box<Form>>) -> Modal {
        let proposal = self.meeting.prepare(proposal);
        let hits = self.meeting.check(&proposal);
        self.status = verdict(&hits);
        Modal::Confirm(Box::new(Confirm {
            proposal,
            hits,
            writing: false,
            back,
            scroll: 0,
        }))
    }

    /// Keys while a modal is open; returns the modal to keep open and any effects.
    pub(super) fn update_modal(&mut self, modal: Modal, action: Action) -> Step {
        if action == Action::Quit {
            if modal.holds_input() {
                self.ask = Some(Ask::Quit);
                self.status = format!(
                    "Quit and lose the unsaved {}? y quits without recording it, any other key goes back",
                    modal.noun()
                );
                return keep(modal);
            }
            self.quit = true;
            return (None, Vec::new());
        }
        match modal {
            Modal::Form(f) => self.update_form(f, action),
            Modal::Confirm(c) => self.update_confirm(c, action),
            Modal::Attendance(p) => self.update_attendance(p, action),
            Modal::Ranked(r) => self.update_ranked(r, action),
            Modal::Dates(d) => self.update_next_dates(d, action),
            Modal::Minutes(f) => self.update_minutes_forms(f, action),
        }
    }

    /// The next meeting's date, picked from school days on this meeting's weekday one to eight
    /// weeks on (two weeks first); the runtime then writes its caseload from the log.
    pub(super) fn open_next_dates(&mut self) {
        let from = self.meeting.meeting_date();
        let cal = self.meeting.calendar();
        let dates: Vec<Date> = (1..=8u64)
            .filter_map(|w| from.0.checked_add_days(chrono::Days::new(7 * w)).map(Date))
            .filter(|d| cal.covers(*d) && cal.is_school_day(*d))
            .collect();
        if dates.is_empty() {
            self.status = "The calendar has no school day on this weekday in the next eight weeks: use fairpanel next --meeting DATE".to_owned();
            return;
        }
        let two_weeks = from.0.checked_add_days(chrono::Days::new(14)).map(Date);
        let selected = dates
            .iter()
            .position(|d| Some(*d) >= two_weeks)
            .unwrap_or(0);
        self.status =
            "The next meeting's date: ↑↓ move, Enter writes its caseload from the log, Esc closes"
                .to_owned();
        self.modal = Some(Modal::Dates(NextDates { dates, selected }));
    }

    fn update_next_dates(&mut self, mut d: NextDates, action: Action) -> Step {
        let last = d.dates.len().saturating_sub(1);
        match action {
            Action::Up => d.selected = d.selected.saturating_sub(1),
            Action::Down => d.selected = (d.selected + 1).min(last),
            Action::PickBack => {
                self.status = "Closed: no caseload written".to_owned();
                return (None, Vec::new());
            }
            Action::PickChoose => {
                if let Some(date) = d.dates.get(d.selected) {
                    self.status = format!(
                        "Writing the caseload of the meeting on {} from the log…",
                        date.long()
                    );
                    return (None, vec![Effect::WriteNext(*date)]);
                }
            }
            _ => {}
        }
        (Some(Modal::Dates(d)), Vec::new())
    }

    /// The forms the minutes may be written in (all four first); the runtime then builds them
    /// from the log.
    pub(super) fn open_minutes_forms(&mut self) {
        self.status =
            "Write the minutes: ↑↓ move, Enter writes them beside the log, Esc closes".to_owned();
        self.modal = Some(Modal::Minutes(MinutesForms { selected: 0 }));
    }

    fn update_minutes_forms(&mut self, mut f: MinutesForms, action: Action) -> Step {
        let last = MinutesChoice::ALL.len() - 1;
        match action {
            Action::Up => f.selected = f.selected.saturating_sub(1),
            Action::Down => f.selected = (f.selected + 1).min(last),
            Action::PickBack => {
                self.status = "Closed: no minutes written".to_owned();
                return (None, Vec::new());
            }
            Action::PickChoose => {
                let choice = MinutesChoice::ALL[f.selected.min(last)];
                self.status = "Writing the minutes from the log…".to_owned();
                return (None, vec![Effect::WriteMinutes(choice)]);
            }
            _ => {}
        }
        (Some(Modal::Minutes(f)), Vec::new())
    }

    /// The schools a decision's outcome offers, as URNs, best first: for a mainstream place or
    /// a direction the ranked suggestions (lawful first), for an AP place the provisions with
    /// places at this meeting, for a managed move the proposed school then the suggestions.
    pub fn offered_schools(&self, f: &Form) -> Vec<u32> {
        let Body::Decision(d) = &f.body else {
            return Vec::new();
        };
        let suggested = || {
            self.working()
                .filter(|w| w.case == f.case)
                .map(|w| w.suggestions.iter().map(|s| s.school.urn).collect())
                .unwrap_or_default()
        };
        match d.outcome {
            Outcome::AllocateSchool | Outcome::RefusedEscalateDirection => suggested(),
            Outcome::AllocateApInterim => self.caseload().places.iter().map(|p| p.urn).collect(),
            Outcome::ManagedMoveAgreed => {
                let proposed = self.meeting.case(f.case).and_then(|c| c.proposed_school);
                let mut v: Vec<u32> = proposed.into_iter().collect();
                v.extend(suggested().into_iter().filter(|u| Some(*u) != proposed));
                v
            }
            _ => Vec::new(),
        }
    }

    /// The schools the decision form lists under its filter (positions in the schools' name
    /// order): the matches for what is typed, or with nothing typed the first schools the
    /// outcome offers.
    pub fn listed_schools(&self, f: &Form) -> Vec<usize> {
        let Body::Decision(d) = &f.body else {
            return Vec::new();
        };
        if !d.school_input.value().trim().is_empty() {
            return d.school_hits.iter().take(SCHOOL_ROWS).copied().collect();
        }
        self.offered_schools(f)
            .into_iter()
            .filter_map(|u| self.school_position(u))
            .take(SCHOOL_ROWS)
            .collect()
    }

    /// Where the school `urn` is in the schools' name order.
    fn school_position(&self, urn: u32) -> Option<usize> {
        let c = self.caseload();
        self.school_order
            .iter()
            .position(|i| c.schools.get(*i).is_some_and(|s| s.urn == urn))
    }

    pub fn form_rows(&self, f: &Form) -> Vec<Row> {
        f.rows(self.listed_schools(f).len())
    }

    fn update_form(&mut self, mut f: Box<Form>, action: Action) -> Step {
        match self.form_step(&mut f, action) {
            FormNext::Stay => {
                self.judge_form(&mut f);
                keep(Modal::Form(f))
            }
            FormNext::Confirm => self.confirm_view(f),
            FormNext::Close => (None, Vec::new()),
        }
    }

    /// One key in a form.
    fn form_step(&mut self, f: &mut Form, action: Action) -> FormNext {
        let rows = self.form_rows(f);
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
        let multiline = f.cursor.is_multiline();
        // Typing meant for text that landed on a choice row: the space after a letter is a
        // word gap, not a toggle (a second Space toggles).
        if std::mem::take(&mut f.typing) && action == Action::Toggle {
            self.status =
                "This row is a choice, not text: what was typed is ignored; Space again changes it"
                    .to_owned();
            return FormNext::Stay;
        }
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
            Action::Down if multiline && line_move(f, true) => {}
            Action::Up if multiline && line_move(f, false) => {}
            Action::Down => {
                if let Some(r) = rows.get((pos + 1).min(last)) {
                    f.cursor = *r;
                }
            }
            Action::Up => {
                if let Some(r) = rows.get(pos.saturating_sub(1)) {
                    f.cursor = *r;
                }
            }
            // In reasons, Enter is a new line: what was typed stays text.
            Action::FormEnter if multiline => self.edit(f, InputRequest::InsertChar('\n')),
            Action::FormEnter => {
                if matches!(f.cursor, Row::SchoolHit(_) | Row::Member(_) | Row::AllAgree) {
                    self.toggle(f, true);
                }
                match next_field {
                    Some(r) => f.cursor = r,
                    None => return FormNext::Confirm,
                }
            }
            Action::ToConfirm => return FormNext::Confirm,
            Action::CloseForm if f.dirty => {
                self.ask = Some(Ask::Discard);
                self.status = format!(
                    "Close the {} and lose what was typed? y closes it, any other key goes back",
                    f.noun()
                );
            }
            Action::CloseForm => {
                self.status = format!("{} form closed: nothing was recorded", capital(f.noun()));
                return FormNext::Close;
            }
            Action::Outcome(o) => self.choose_outcome(f, o),
            Action::NextSuggestion => self.next_suggestion(f),
            Action::Toggle | Action::OptionNext => self.toggle(f, true),
            Action::OptionPrev => self.toggle(f, false),
            Action::Edit(req) => self.edit(f, req),
            _ => {}
        }
        FormNext::Stay
    }

    /// Works out what naming each listed school, and the chosen one, would add to the rules'
    /// findings for the decision as it stands, so the picker marks them before the confirm view.
    fn judge_form(&self, f: &mut Form) {
        let Ok(p) = f.proposal(self.caseload(), self.meeting.state()) else {
            return;
        };
        let mut urns: Vec<u32> = self
            .listed_schools(f)
            .into_iter()
            .filter_map(|i| self.school_order.get(i))
            .filter_map(|i| self.caseload().schools.get(*i))
            .map(|s| s.urn)
            .collect();
        let Body::Decision(d) = &mut f.body else {
            return;
        };
        if let Some(u) = d.school
            && !urns.contains(&u)
        {
            urns.push(u);
        }
        let found = self.meeting.school_findings(&p, &urns);
        d.verdicts = urns.into_iter().zip(found).collect();
    }

    /// A letter on the outcome row: that outcome, if the case is offered it.
    fn choose_outcome(&mut self, f: &mut Form, o: Outcome) {
        let Body::Decision(d) = &mut f.body else {
            return;
        };
        if f.cursor != Row::Outcome {
            return;
        }
        if !d.outcomes.contains(&o) {
            let kind = self.meeting.case(f.case).map_or("case", |c| c.kind.label());
            self.status = format!("\"{}\" is not offered for a {kind}", o.label());
            return;
        }
        d.outcome = o;
        d.took = None;
        self.sync_review(d);
        self.status = format!("Outcome: {}", o.label());
        f.dirty = true;
    }

    /// Ctrl-N: the school field takes the next school the outcome offers (the ranked
    /// suggestions for a school place), one key from anywhere in the form.
    fn next_suggestion(&mut self, f: &mut Form) {
        let offered = self.offered_schools(f);
        let Body::Decision(d) = &mut f.body else {
            return;
        };
        if !d.has_school() {
            self.status = format!("{}: no school is named", d.outcome.label());
            return;
        }
        if offered.is_empty() {
            self.status =
                "No school to suggest for this outcome: type a name, URN or postcode".to_owned();
            return;
        }
        let i = d.took.map_or(0, |t| (t + 1) % offered.len());
        d.took = Some(i);
        d.school = offered.get(i).copied();
        d.school_input = Input::default();
        d.school_hits.clear();
        f.searcher.clear();
        f.dirty = true;
        let name = d.school.map_or(String::new(), |u| self.school_label(u));
        self.status = format!(
            "School: {name} (suggestion {} of {}); Ctrl-N takes the next",
            i + 1,
            offered.len()
        );
    }

    fn edit(&mut self, f: &mut Form, req: InputRequest) {
        let row = f.cursor;
        let Some(input) = f.input_mut(row) else {
            if matches!(req, InputRequest::InsertChar(_)) {
                f.typing = true;
                self.status = if row == Row::Outcome {
                    "On the outcome a letter picks one (the list shows which); Tab goes to the next field".to_owned()
                } else {
                    "This row is a choice, not text: Space or → changes it, Tab goes to the next field"
                        .to_owned()
                };
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
            (Row::JoinSchool, Body::Joined(j)) => {
                j.school = self.best_school(&mut f.searcher, j.school_input.value());
            }
            (Row::ProposedSchool, Body::Case(c)) => {
                c.proposed_school = self.best_school(&mut f.searcher, c.school_input.value());
            }
            (Row::CaseRef, Body::Case(c)) => c.reference_auto = false,
            _ => {}
        }
    }

    /// The school that best matches `q` (a name, URN or postcode); none for nothing typed.
    fn best_school(&self, searcher: &mut crate::search::Searcher, q: &str) -> Option<u32> {
        if q.trim().is_empty() {
            searcher.clear();
            return None;
        }
        self.school_index
            .promote(q, searcher.search(&self.school_index, q))
            .first()
            .and_then(|i| self.school_order.get(*i as usize))
            .and_then(|i| self.caseload().schools.get(*i))
            .map(|s| s.urn)
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
        d.school_hits = self
            .school_index
            .promote(&q, f.searcher.search(&self.school_index, &q))
            .into_iter()
            .map(|i| i as usize)
            .collect();
        d.school = d
            .school_hits
            .first()
            .and_then(|i| self.school_order.get(*i))
            .and_then(|s| self.caseload().schools.get(*s))
            .map(|s| s.urn);
        d.took = None;
    }

    /// Space, ← and → on a choice row.
    fn toggle(&self, f: &mut Form, forward: bool) {
        let listed = self.listed_schools(f);
        let cursor = f.cursor;
        match &mut f.body {
            Body::Decision(d) => match cursor {
                Row::Outcome => {
                    let all = &d.outcomes;
                    let n = all.len().max(1);
                    let i = all.iter().position(|o| *o == d.outcome).unwrap_or(0);
                    let next = if forward {
                        (i + 1) % n
                    } else {
                        (i + n - 1) % n
                    };
                    if let Some(o) = all.get(next) {
                        d.outcome = *o;
                    }
                    d.took = None;
                    self.sync_review(d);
                }
                Row::SchoolHit(i) => {
                    if let Some(s) = listed
                        .get(i)
                        .and_then(|x| self.school_order.get(*x))
                        .and_then(|x| self.caseload().schools.get(*x))
                    {
                        d.school = Some(s.urn);
                    }
                }
                Row::Reduced => {
                    d.reduced = !d.reduced;
                    self.sync_review(d);
                }
                Row::AllAgree => self.all_agree(d, &f.case_ref),
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
            Body::Joined(j) => match cursor {
                Row::JoinCanDecide => j.can_decide = !j.can_decide,
                // None, then each member in turn, then none again.
                Row::JoinSubstituteFor => {
                    let n = self.caseload().panel.members.len();
                    j.substitute_for = match (j.substitute_for, forward) {
                        (None, true) => (n > 0).then_some(0),
                        (None, false) => n.checked_sub(1),
                        (Some(i), true) => (i + 1 < n).then_some(i + 1),
                        (Some(i), false) => i.checked_sub(1),
                    };
                }
                _ => return,
            },
            Body::Case(c) => match cursor {
                Row::CaseKind => {
                    c.kind = cycle(&CaseKind::ALL, c.kind, forward);
                    // A reference fairpanel filled in follows the kind.
                    if c.reference_auto {
                        c.reference = Input::new(next_reference(self.caseload(), c.kind));
                    }
                }
                Row::CaseStatus => c.status = cycle(&CASE_STATUSES, c.status, forward),
                Row::Sex => {
                    c.sex = Some(match (c.sex, forward) {
                        (None, true) | (Some(Sex::Male), _) => Sex::Female,
                        (None, false) | (Some(Sex::Female), _) => Sex::Male,
                    })
                }
                Row::Sen => c.sen = cycle(&SENS, c.sen, forward),
                Row::Lac => c.lac = !c.lac,
                Row::Plac => c.plac = !c.plac,
                _ => return,
            },
        }
        f.dirty = true;
    }

    /// Everyone present who has a vote agrees: not members who cannot decide (the minute-taker,
    /// advisers), not members who declared an interest in the case, and not those already marked
    /// as dissenting.
    fn all_agree(&self, d: &mut DecisionDraft, case_ref: &str) {
        let state = self.meeting.state();
        let people = state.people(self.caseload());
        for (m, v) in d.members.iter().zip(d.votes.iter_mut()) {
            let Some(member) = people.get(*m) else {
                continue;
            };
            let votes = member.can_decide
                && state.is_present(&member.name)
                && state.declared(&member.name, case_ref).is_none();
            if *v != Vote::Dissents {
                *v = if votes { Vote::Agrees } else { Vote::Abstains };
            }
        }
    }

    /// Form → confirm view: the entry exactly as it will be written, with the rules' hits. A
    /// field left empty that must be filled keeps the form open with the cursor on it.
    fn confirm_view(&mut self, mut f: Box<Form>) -> Step {
        self.judge_form(&mut f);
        let proposal = match f.proposal(self.caseload(), self.meeting.state()) {
            Ok(p) => p,
            Err((row, msg)) => {
                if self.form_rows(&f).contains(&row) {
                    f.cursor = row;
                }
                self.status = msg;
                return keep(Modal::Form(f));
            }
        };
        let rows = self.form_rows(&f);
        let hits = self.meeting.check(&self.meeting.prepare(proposal.clone()));
        if let Some((h, row)) = hits
            .iter()
            .filter(|h| h.rule.severity == Severity::Refuse && Row::must_fill(h.rule))
            .find_map(|h| Row::for_hit(h).filter(|r| rows.contains(r)).map(|r| (h, r)))
        {
            f.cursor = row;
            self.status = format!("✗ {}: fill this in first", capital(h.rule.summary));
            return keep(Modal::Form(f));
        }
        let confirm = self.confirm(proposal, Some(f));
        keep(confirm)
    }

    fn update_confirm(&mut self, mut c: Box<Confirm>, action: Action) -> Step {
        match action {
            Action::Up => c.scroll = c.scroll.saturating_sub(1),
            Action::Down => c.scroll = c.scroll.saturating_add(1),
            Action::PageUp => c.scroll = c.scroll.saturating_sub(10),
            Action::PageDown => c.scroll = c.scroll.saturating_add(10),
            Action::BackToForm if !c.writing => {
                return match c.back.take() {
                    Some(mut f) => {
                        // The cursor goes to the row of the first refusal the form has.
                        let rows = self.form_rows(&f);
                        if let Some(row) = c
                            .hits
                            .iter()
                            .filter(|h| h.rule.severity == Severity::Refuse)
                            .find_map(|h| Row::for_hit(h).filter(|r| rows.contains(r)))
                        {
                            f.cursor = row;
                        }
                        self.status = "Back to the form: nothing was recorded".to_owned();
                        keep(Modal::Form(f))
                    }
                    None => {
                        self.status = "Cancelled: nothing was recorded".to_owned();
                        (None, Vec::new())
                    }
                };
            }
            Action::Record if !c.writing => {
                if c.refused() {
                    self.status = refusal(&c.hits);
                    return keep(Modal::Confirm(c));
                }
                c.writing = true;
                self.status = "Recording…".to_owned();
                let effect = Effect::Record(Box::new(c.proposal.clone()));
                return (Some(Modal::Confirm(c)), vec![effect]);
            }
            _ => {}
        }
        keep(Modal::Confirm(c))
    }

    fn update_attendance(&mut self, mut p: Box<AttendancePick>, action: Action) -> Step {
        if p.writing.is_some() {
            return keep(Modal::Attendance(p));
        }
        match p.choosing {
            None => match action {
                Action::Up => p.selected = p.selected.saturating_sub(1),
                // The row after the people is "someone joined".
                Action::Down => p.selected = (p.selected + 1).min(p.hits.len()),
                Action::PickChoose if p.on_join_row() => {
                    self.open_join();
                    return (self.modal.take(), Vec::new());
                }
                Action::PickChoose => {
                    if let Some(m) = p.hits.get(p.selected) {
                        p.choosing = Some((*m, 0));
                    }
                }
                Action::PickBack => {
                    self.status = format!("Attendance closed: {}", self.meeting.quorum().label());
                    return (None, Vec::new());
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
                Action::PickChoose => {
                    let people = self.meeting.state().people(self.caseload());
                    let (Some(member), Some(status)) = (people.get(m), STATUSES.get(st)) else {
                        return keep(Modal::Attendance(p));
                    };
                    // The time someone arrived late or left is the runtime's to fill in.
                    let effect =
                        Effect::Record(Box::new(Proposal::at_meeting(Event::Attendance {
                            member: member.name.clone(),
                            status: *status,
                            time: None,
                        })));
                    p.writing = Some(m);
                    self.status = "Recording…".to_owned();
                    return (Some(Modal::Attendance(p)), vec![effect]);
                }
                _ => {}
            },
        }
        keep(Modal::Attendance(p))
    }

    /// The entry is on disk and in memory: say so, and close what asked for it.
    pub(super) fn on_recorded(&mut self, r: Box<Recorded>) -> Vec<Effect> {
        self.status = self.recorded(&r);
        if let Event::CaseAdded { case } | Event::CaseAmended { case, .. } = &r.entry.event {
            self.refresh_cases();
            // The case just added or amended is selected in the queue, for what comes next.
            if let Some(row) = self
                .meeting
                .case_index(&case.reference)
                .and_then(|i| self.queue.iter().position(|q| *q == i))
            {
                self.switch(View::Queue);
                self.cases_nav.clear(self.queue.len());
                self.cases_nav.selected = row;
                self.status = format!("{} · selected in the queue", self.status);
            }
        }
        // A decision taken: on to the next case still waiting for one, in the queue's order.
        if let Event::Decision(d) = &r.entry.event
            && matches!(self.modal, Some(Modal::Confirm(_)))
            && let Some(row) = self.next_undecided(&d.case_ref)
        {
            self.cases_nav.selected = row;
            self.focus = crate::app::Focus::List;
            self.detail_scroll = 0;
            if let Some(next) = self.queue.get(row).and_then(|i| self.meeting.case(*i)) {
                self.status = format!("{} · next: {}", self.status, next.reference);
            }
        }
        match self.modal.take() {
            Some(Modal::Attendance(mut p)) => {
                let m = p.writing.take();
                p.choosing = None;
                p.input.reset();
                p.refilter();
                let here = m
                    .and_then(|m| p.hits.iter().position(|x| *x == m))
                    .unwrap_or(0);
                p.selected = p
                    .next_unrecorded(self.caseload(), self.meeting.state(), 0)
                    .unwrap_or(here);
                self.modal = Some(Modal::Attendance(p));
            }
            Some(Modal::Confirm(_)) | None => {}
            Some(other) => self.modal = Some(other),
        }
        Vec::new()
    }

    /// The queue row of the first case after `case_ref` (wrapping round) with no decision yet.
    fn next_undecided(&self, case_ref: &str) -> Option<usize> {
        if self.cases_nav.hits.is_some() {
            return None;
        }
        let n = self.queue.len();
        let at = self.queue.iter().position(|i| {
            self.meeting
                .case(*i)
                .is_some_and(|c| c.reference == case_ref)
        })?;
        (1..n).map(|k| (at + k) % n).find(|row| {
            self.queue
                .get(*row)
                .and_then(|i| self.meeting.facts(*i))
                .is_some_and(|f| {
                    matches!(f.standing, Standing::Open | Standing::BrokeDown) || f.review_due
                })
        })
    }

    /// The rules refused the entry as it came to be written (the log changed since the confirm
    /// view was opened): the confirm view shows the new verdict.
    pub(super) fn on_refused(&mut self, hits: Vec<Hit>) -> Vec<Effect> {
        self.status = refusal(&hits);
        match self.modal.as_mut() {
            Some(Modal::Confirm(c)) => {
                c.writing = false;
                c.hits = hits;
            }
            Some(Modal::Attendance(p)) => p.writing = None,
            _ => {}
        }
        Vec::new()
    }

    /// The log could not write: nothing changed, and the chair can try again.
    pub(super) fn on_record_failed(&mut self, e: &str) -> Vec<Effect> {
        match self.modal.as_mut() {
            Some(Modal::Confirm(c)) => {
                c.writing = false;
                self.status = format!(
                    "✗ Not recorded: {e}. Nothing changed; Enter tries again, Esc goes back"
                );
            }
            Some(Modal::Attendance(p)) => {
                p.writing = None;
                self.status = format!("✗ Not recorded: {e}. Nothing changed");
            }
            _ => self.status = format!("✗ Not recorded: {e}. Nothing changed"),
        }
        Vec::new()
    }

    /// The status line after a write (ux.md "Say what happened"): references, never names.
    fn recorded(&self, r: &Recorded) -> String {
        let entry = &r.entry;
        let warned = match r.warnings.len() {
            0 => String::new(),
            1 => " · 1 warning".to_owned(),
            n => format!(" · {n} warnings"),
        };
        match &entry.event {
            Event::Decision(d) => {
                let school = d.urn.map(|u| self.school_label(u));
                let corrects = entry
                    .supersedes
                    .map_or(String::new(), |old| format!(", superseding decision {old}"));
                format!(
                    "Decision {} recorded: {}{corrects}{warned}",
                    entry.id,
                    words::decision_sentence(d, school.as_deref())
                )
            }
            Event::AgreedToConsider { case_ref, date } => format!(
                "Entry {}: agreed to consider {case_ref} on {}: day 0 of the {}-school-day clock{warned}",
                entry.id,
                date.long(),
                self.caseload().panel.settings.clock_school_days
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
            Event::Attendance {
                member,
                status,
                time,
            } => format!(
                "Attendance recorded: {member} {}{} · {}{warned}",
                words::attendance(*status),
                time.as_deref()
                    .map_or(String::new(), |t| format!(" at {t}")),
                self.meeting.quorum().label()
            ),
            Event::Joined(g) => format!(
                "Joined: {} ({}, {}){}{} · {}{warned}",
                g.name,
                g.role,
                g.organisation,
                g.substitute_for
                    .as_deref()
                    .map_or(String::new(), |m| format!(", substitute for {m}")),
                g.time
                    .as_deref()
                    .map_or(String::new(), |t| format!(", at {t}")),
                self.meeting.quorum().label()
            ),
            Event::CaseloadOpened { revision, .. } => {
                format!("Entry {}: caseload revision {revision}", entry.id)
            }
            Event::CaseAdded { case } => format!(
                "Entry {}: case added: {} ({}){warned}",
                entry.id,
                case.reference,
                case.kind.label()
            ),
            Event::CaseAmended { case, .. } => format!(
                "Entry {}: case amended: {}{warned}",
                entry.id, case.reference
            ),
        }
    }

    /// The pupil's year group on the form's start date (31 August rule), else on the meeting
    /// date.
    pub fn form_year(&self, f: &Form) -> Option<YearGroup> {
        let case = self.meeting.case(f.case)?;
        let on = match &f.body {
            Body::Decision(d) => match date_field(&d.start) {
                DateField::Valid(s) if d.has_school() => s,
                _ => self.meeting.meeting_date(),
            },
            Body::Declaration(_) | Body::Joined(_) | Body::Case(_) => self.meeting.meeting_date(),
        };
        YearGroup::on(case.pupil.date_of_birth, on)
    }
}

/// The option after (or before) `now` in `all`, round and round.
fn cycle<T: Copy + PartialEq>(all: &[T], now: T, forward: bool) -> T {
    let n = all.len().max(1);
    let i = all.iter().position(|x| *x == now).unwrap_or(0);
    let next = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    all.get(next).copied().unwrap_or(now)
}

/// The next free reference for a case of `kind` in the meeting's year, in the caseload's
/// style: `FA-2026-022` after `FA-2026-021`. Only a suggestion: the chair may type another, and
/// the rules refuse one already used.
pub fn next_reference(c: &Caseload, kind: CaseKind) -> String {
    use chrono::Datelike;
    let prefix = format!("{}-{}-", kind.short(), c.panel.meeting_date.0.year());
    let last = c
        .cases
        .iter()
        .filter_map(|k| k.reference.strip_prefix(&prefix))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:03}", last.saturating_add(1))
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
            "✗ Refused: {} ({}). Nothing was recorded{}",
            h.rule.summary,
            h.rule.name,
            match refusals.len() {
                1 => String::new(),
                2 => " (1 more refusal in the confirm view)".to_owned(),
                n => format!(" ({} more refusals in the confirm view)", n - 1),
            }
        ),
        None => "Nothing was recorded".to_owned(),
    }
}
