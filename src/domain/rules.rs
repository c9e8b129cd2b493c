//! Every rule fairpanel enforces: a stable name, the source it rests on in words the room
//! recognises (the statute or Code paragraph, or "panel protocol" for a local rule), a severity,
//! and a plain message, in one table. `check` judges every entry the screen or `fairpanel
//! record` proposes; `case_checks` is what the detail pane shows before any form opens. Both take
//! what is known about the case itself from one function, `case_level`, so a case the pane
//! shows as clear cannot then be refused for something it already knew. No terminal, no SQL.
//!
//! Which rules apply to which kind of case (domain.md §6 "Scope"): the Fair Access gates (rules
//! 1–4) to Fair Access referrals only; AP place requests get the AP checks (places, conditions,
//! review date, the sixth-day duty); managed moves theirs (consent of the parent and both
//! schools, review date, no trial period). Fit (age range, sex, year group, selection, infant
//! classes) applies to every placement.

use std::collections::BTreeSet;

use crate::domain::caseload::checks;
use crate::domain::caseload::{
    AppOutcome, Case, CaseKind, Caseload, Category, Gender, LocalGroup, School, Sen, Sex, Status,
};
use crate::domain::clock;
use crate::domain::dates::Date;
use crate::domain::event::{Decision, Event, Outcome, Proposal, When};
use crate::domain::problem::Severity as ProblemSeverity;
use crate::domain::state::pool_for;
use crate::domain::tally;
use crate::domain::view::Ctx;
use crate::domain::year_group::{YearGroup, compulsory_school_age_from};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Nothing is written.
    Refuse,
    /// The chair may overrule it only with a reason recorded in the decision.
    NeedsReason,
    /// Shown; the chair may go on.
    Warn,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub source: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

macro_rules! rules {
    ($($id:ident = $name:literal, $sev:ident, $source:literal, $summary:literal;)*) => {
        $(pub static $id: Rule = Rule { name: $name, source: $source, severity: Severity::$sev, summary: $summary };)*
        /// The whole catalogue, for the help screen and the docs.
        pub static ALL: &[&Rule] = &[$(&$id),*];
    };
}

rules! {
    // Routes outside Fair Access, and the Fair Access gates (domain.md §2, §6 rules 1–4).
    EHCP_ROUTE = "ehcp-route", Refuse, "School Admissions Code 2021 3.17; Children and Families Act 2014 s43",
        "a child with an EHC plan is placed through the EHC plan route, not Fair Access: record a redirect to that route";
    LAC_ROUTE = "lac-route", Refuse, "SSFA 1998 s97A",
        "a looked-after child is placed by a direction under s97A, not Fair Access: record a redirect to that route";
    PLAC_ONLY_UNDER_M = "plac-only-under-m", Refuse, "panel protocol (School Admissions Code 2021 3.17(m))",
        "this panel takes a previously looked-after child through Fair Access only under category (m), which is not claimed";
    PLAC_LOCALLY_EXCLUDED = "plac-locally-excluded", Refuse, "panel protocol",
        "this LA places previously looked-after children outside Fair Access";
    NOT_UNPLACED = "not-unplaced", Refuse, "School Admissions Code 2021 3.17",
        "the child is on a school roll: Fair Access is for a child without a school place (a move between schools is a managed move)";
    OFFER_OUTSTANDING = "offer-outstanding", NeedsReason, "School Admissions Code 2021 3.17",
        "an in-year application has a place offered: a child with a reasonable offer is not unplaced; record why the offer is not reasonable";
    NO_CATEGORY = "no-category", Refuse, "School Admissions Code 2021 3.17",
        "no Fair Access category (a)–(m) is claimed: the child is not eligible";
    NO_CLAIM_HOLDS = "no-category-holds", Refuse, "School Admissions Code 2021 3.17",
        "none of the categories claimed holds (see why below): the child is not eligible";
    NO_IN_YEAR_ATTEMPT = "no-in-year-attempt", Refuse, "School Admissions Code 2021 3.17 and footnote 80",
        "no in-year application refused or with no place is recorded (needed except under (k)); pending or offered ones do not show a failed attempt";
    CIN_CP_LAPSED = "cin-cp-lapsed", Warn, "School Admissions Code 2021 3.17(a)",
        "claim (a) does not hold: the CIN or CP plan ended more than 12 calendar months before the referral";
    NOT_OUT_FOUR_WEEKS = "not-out-four-weeks", Warn, "School Admissions Code 2021 3.17(l)",
        "claim (l) does not hold: under 4 weeks out of education at the decision date";
    DECLINED_OFFER = "declined-offer", NeedsReason, "School Admissions Code 2021 3.17(l)",
        "claim (l): an offer was declined since the child left education, and (l) does not cover a child who declined a suitable offer; record why the panel judges it was not suitable";
    DECLINED_OFFER_NOTED = "declined-offer-other-category", Warn, "School Admissions Code 2021 3.17(l)",
        "claim (l): an offer was declined since the child left education; another category holds, so the case qualifies without (l)";
    M_NOT_PLAC = "category-m-not-plac", Warn, "School Admissions Code 2021 3.17(m)",
        "claim (m) does not hold: the child is not recorded as previously looked after";

    // Which outcomes each kind of case can have (domain.md §6 Scope).
    OUTCOME_FOR_KIND = "outcome-for-case-kind", Refuse, "panel protocol (Fair Access, managed moves and AP places are separate routes)",
        "this kind of case cannot have this outcome: a Fair Access referral is allocated a school or an AP place, or escalated to a direction; a managed move is agreed; a place request is given an AP or specialist place";

    // Fit (domain.md §3 Fit, §6 rules 5, 6, 10).
    NO_YEAR_GROUP = "no-year-group", Refuse, "school year groups Reception to Year 13 (31 August rule)",
        "no year group can be worked out for the start date: the child is below Reception or past Year 13; check the date of birth and the start date";
    AGE_RANGE = "age-range", Refuse, "the school's statutory age range (Get Information about Schools)",
        "the school's age range does not cover the pupil's year group on the start date";
    SINGLE_SEX = "single-sex", Refuse, "Equality Act 2010 Sch 11 para 1",
        "a single-sex school of the other sex";
    SEX_UNKNOWN = "sex-admitted-unknown", Warn, "Equality Act 2010 Sch 11 para 1",
        "the school's sex admitted is not known: check it admits this pupil";
    DIRECTION_TO_EXCLUDER = "direction-to-excluding-school", Refuse, "SSFA 1998 s96(2)",
        "a direction may not name a school that permanently excluded the child (no time limit)";
    DIRECTION_TO_GRAMMAR = "direction-to-grammar", NeedsReason, "SSFA 1998 s96(3A)",
        "a direction may name a grammar school only if the child meets its selection criteria: record that the child meets them";
    ALLOCATION_TO_GRAMMAR = "allocation-to-grammar", NeedsReason, "panel protocol (as SSFA 1998 s96(3A) for directions)",
        "a grammar school admits only children who meet its selection criteria: record that the child meets them";
    DIRECTION_INFANT_CLASS = "direction-infant-class-30", Refuse, "SSFA 1998 s96(4); SI 2012/10 Schedule (excepted pupils)",
        "infant classes in this year group are at 30: no direction may breach the limit unless the child is an excepted pupil (looked after, previously looked after, or another exception recorded for the case)";
    INFANT_CLASS = "infant-class-30", Warn, "School Admissions (Infant Class Sizes) (England) Regulations 2012",
        "infant classes in this year group are at 30 and Fair Access is not an excepted category: the school may admit only without breaching the limit";
    TWICE_EXCLUDED = "twice-excluded", Warn, "SSFA 1998 s87(1)–(2); exceptions s87(3A)",
        "permanently excluded from two or more schools, the latest within the last 2 years: the duty to meet parental preference does not apply";
    ALLOCATION_TO_EXCLUDER = "allocation-to-excluding-school", Refuse, "panel protocol (SSFA 1998 s96(2) bars directions only)",
        "the school permanently excluded the child: this panel does not allocate there (a local rule; the statute bars only directions) unless its settings allow it with the school's agreement";
    EXCLUDER_AGREES = "excluding-school-agrees", NeedsReason, "panel protocol",
        "the school permanently excluded the child: record its agreement as the reason";

    // The meeting and who decides (domain.md §4, §6 rule 9).
    NOT_QUORATE = "not-quorate", Refuse, "panel protocol (terms of reference)",
        "the meeting is not quorate: record attendance first";
    NO_DECIDER_AGREED = "no-decider-agreed", Refuse, "panel protocol (terms of reference)",
        "no member who can decide agreed the decision";
    UNKNOWN_MEMBER = "unknown-member", Refuse, "panel protocol (membership)",
        "someone named as agreeing or dissenting is not a member of this panel";
    ABSENT_MEMBER = "absent-member", Refuse, "panel protocol (membership)",
        "a member who agreed is not recorded as present";
    INTEREST = "declared-interest", Refuse, "panel protocol (declarations of interest)",
        "a member who declared an interest in this case is among those who agreed it";
    MEMBER_REQUIRED = "member-required", Refuse, "panel protocol (membership)",
        "choose the member";
    JOINED_DETAILS = "joined-details-required", Refuse, "panel protocol (membership)",
        "say who joined: their name, organisation and role";
    ALREADY_IN_MEETING = "already-in-the-meeting", Refuse, "panel protocol (membership)",
        "someone of this name is already a member or has joined: record their attendance instead";
    INTEREST_TEXT = "interest-required", Refuse, "panel protocol (declarations of interest)",
        "say what the interest is, e.g. \"own school proposed\"";

    // AP places and managed moves (domain.md §5, §6 rules 11, 12).
    REVIEW_DATE = "review-date-required", Refuse, "panel protocol (reviews); Working together to improve school attendance 2024 (reduced timetables)",
        "an AP place, a managed move or a reduced timetable needs a review date";
    REVIEW_BEFORE_START = "review-before-start", Refuse, "panel protocol (reviews)",
        "the review date is before the start date";
    AP_REVIEW_INTERVAL = "ap-review-interval", Warn, "panel protocol (AP placements reviewed every 6–8 weeks, with reintegration criteria; Solihull AP protocol)",
        "an AP place is reviewed every 6 to 8 weeks: this review date is further off";
    NOTHING_TO_REVIEW = "nothing-to-review", Refuse, "panel protocol (reviews)",
        "a review outcome is for a placement with a review to come (an AP place, a managed move or a reduced timetable), and this case has none standing";
    NEXT_REVIEW_AFTER_TODAY = "next-review-after-today", Refuse, "panel protocol (reviews)",
        "the next review date must be after the day of this review";
    EXTENSION_TERMS = "extension-terms-required", Refuse, "panel protocol (reviews)",
        "say in the package what is extended (hours, sessions, the end date) and on what terms";
    REINTEGRATE_MAINSTREAM = "reintegrate-to-mainstream", Refuse, "panel protocol (reviews: reintegration criteria)",
        "a reintegration names the mainstream school the child goes back to (for another AP place, record the placement ending and a new decision)";
    NOT_A_PLACE_SCHOOL = "not-ap-or-special", Refuse, "Education Act 1996 s19 (alternative provision)",
        "an interim AP place must be at an AP, PRU or special provision";
    NO_PLACE_FREE = "no-place-free", Refuse, "the places offered at this meeting",
        "no place is free in the provision's pool for this year group or key stage";
    NOT_OFFERED = "provision-not-offered", Refuse, "the places offered at this meeting",
        "this provision offers no places at this meeting for the pupil's year group";
    BEFORE_FREE_FROM = "before-free-from", Refuse, "the places offered at this meeting",
        "the start date is before the place is free";
    AP_CONDITIONS = "ap-conditions", Warn, "the places offered at this meeting (the provision's conditions)",
        "the provision offers its places on conditions: check the child meets them and record in the package how they are met";
    PEX_DAY_SIX = "pex-provision-day-6", Warn, "DfE suspension and permanent exclusion guidance (the sixth-day duty)",
        "the LA must provide full-time education from the sixth school day of a permanent exclusion: this is after it";
    MM_CONSENT = "managed-move-consent", Refuse, "DfE suspension and permanent exclusion guidance (managed moves)",
        "a managed move needs the consent of the parent, the home school and the host school, recorded before it is agreed";
    MM_HOST = "managed-move-host", Refuse, "DfE suspension and permanent exclusion guidance (managed moves)",
        "the host school's consent is for the proposed school: name that school, or record the new host school and its consent in the caseload";
    MM_NO_TRIAL = "managed-move-no-trial", Warn, "DfE exclusions guidance in force from 26 July 2026",
        "a managed move has no trial period: it is permanent from its start; for a temporary placement use an off-site direction";

    // The 20-school-day clock (domain.md §3 Clock, §6 rule 7).
    CLOCK_WARNING = "clock-15-days", Warn, "School Admissions Code 2021 3.21",
        "a place must be allocated within 20 school days of the panel agreeing to consider the case: the aim is near";
    CLOCK_BREACH = "clock-breach", Warn, "School Admissions Code 2021 3.21",
        "a place must be allocated within 20 school days of the panel agreeing to consider the case: the aim has passed, a breach to minute";
    AGREED_DATE = "agreed-date", Refuse, "panel protocol (day 0 of the 20-school-day clock)",
        "the panel agrees to consider a case on or after its referral and not after today";
    ALREADY_AGREED = "already-agreed", Refuse, "panel protocol (day 0 of the 20-school-day clock)",
        "the panel has already agreed to consider this case: the clock started then";
    DATE_OUTSIDE_CALENDAR = "date-outside-calendar", Refuse, "the LA's school calendar (school days are counted from it)",
        "the calendar does not cover this date, so school days cannot be counted from it";

    // Fair share and local bars (domain.md §3 Fair share, §6 rule 8).
    FAIR_SHARE_CAP = "fair-share-cap", NeedsReason, "School Admissions Code 2021 (fair share); panel protocol (cap per places of PAN)",
        "the school is at or over its fair-share cap in this year group this year";
    TOPS_TALLY = "tops-the-tally", NeedsReason, "School Admissions Code 2021 (fair share); panel protocol",
        "the school already has the most Fair Access placements this year";
    LOCAL_BAR = "local-bar", NeedsReason, "panel protocol",
        "the LA does not allocate to this school locally";
    OFSTED_CONCERN = "ofsted-concern", NeedsReason, "panel protocol",
        "the school is under an Ofsted category of concern and this LA bars allocations to it";
    EXEMPT = "exempt-year-group", NeedsReason, "panel protocol (exemptions)",
        "the panel excused this school from this year group this year";
    OVERRIDE_REASON = "override-reason-required", Refuse, "panel protocol",
        "a check marked \"needs a reason\" has none: write why the panel goes ahead in the override reason";

    // What the minutes need (domain.md §4 Minutes, §6 rule 13).
    NAMES_IN_TEXT = "names-in-free-text", Refuse, "UK GDPR Art 5(1)(c) (data minimisation)",
        "the text identifies a pupil or family (a full or family name, a pupil's date of birth, \"born\" or \"DOB\" and a date, a UPN, or a parent's or carer's contact details); rewrite it with the case reference (minutes stay name-free)";
    GIVEN_NAME_IN_TEXT = "given-name-in-free-text", Warn, "UK GDPR Art 5(1)(c) (data minimisation)",
        "the text holds the pupil's given name: alone it may not identify the child, but the name-free minutes will withhold the text; prefer the case reference";
    NEEDS_SCHOOL = "school-required", Refuse, "panel protocol (minutes)",
        "this outcome names a school or provision";
    UNKNOWN_SCHOOL = "unknown-school", Refuse, "panel protocol (minutes)",
        "the school is not in this caseload";
    NEEDS_START = "start-date-required", Refuse, "School Admissions Code 2021 3.21 (start as soon as possible)",
        "a placement needs a start date";
    START_BEFORE_MEETING = "start-before-meeting", Refuse, "panel protocol (minutes)",
        "the start date is before the decision date";
    NO_REASONS = "reasons-required", Refuse, "panel protocol (minutes)",
        "the minutes need the reasons for the decision";
    NO_AGREED_BY = "agreed-by-required", Refuse, "panel protocol (minutes)",
        "the minutes need who agreed the decision";
    UNKNOWN_CASE = "unknown-case", Refuse, "the caseload",
        "no case with this reference in the caseload";
    STANDING_PLACEMENT = "standing-placement", Refuse, "panel protocol (corrections supersede)",
        "this case already has a standing placement: correct it (c) with a reason, or record a review outcome";
    BAD_CORRECTION = "bad-correction", Refuse, "panel protocol (corrections supersede)",
        "only a decision that still stands, on the same case, can be corrected, with a reason";
    CORRECTION_REASON = "correction-reason-required", Refuse, "panel protocol (corrections supersede)",
        "say why the decision is corrected: the minutes keep both";

    // Cases added and amended during the meeting: the checks a caseload file passes.
    CASE_DETAILS = "case-details", Refuse, "the caseload's checks (as for a caseload file)",
        "the case's details do not pass the checks a caseload file must pass";
    CASE_DETAILS_WARNING = "case-details-warning", Warn, "the caseload's checks (as for a caseload file)",
        "a check a caseload file would warn on";
    AMEND_REASON = "amendment-reason-required", Refuse, "panel protocol (amendments are minuted)",
        "say why the case is amended (e.g. \"date of birth corrected from the birth certificate\")";
}

/// The DfE exclusions guidance that ends trial periods for managed moves came into force on
/// this day (domain.md §5, BJ-EXC26).
fn no_trial_from() -> Option<Date> {
    Date::from_ymd(2026, 7, 26)
}

/// One rule that fired, with what it found in this case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: &'static Rule,
    pub detail: String,
}

impl Hit {
    fn new(rule: &'static Rule, detail: impl Into<String>) -> Hit {
        Hit {
            rule,
            detail: detail.into(),
        }
    }

    /// "refused (ehcp-route): … [School Admissions Code 2021 3.17; …]".
    pub fn line(&self) -> String {
        let what = match self.rule.severity {
            Severity::Refuse => "refused",
            Severity::NeedsReason => "needs a reason",
            Severity::Warn => "warning",
        };
        let detail = if self.detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.detail)
        };
        format!(
            "{what} ({}): {}{detail} [{}]",
            self.rule.name, self.rule.summary, self.rule.source
        )
    }
}

/// Can a case of this kind be given this outcome? Fair Access referrals are placed in a school
/// or AP, or escalated to a direction; managed moves are agreed; place requests get an AP or
/// specialist place. Deferral, redirection, withdrawal and reviews suit every kind, except that
/// only a managed move is made permanent.
pub fn allows(kind: CaseKind, outcome: Outcome) -> bool {
    use Outcome as O;
    match outcome {
        O::DeferMoreInfo
        | O::RedirectEhcp
        | O::RedirectLac
        | O::Withdrawn
        | O::ReviewConfirmed
        | O::ReviewExtended
        | O::ReviewReintegrated
        | O::ReviewEnded
        | O::ReviewBreakdown => true,
        O::ReviewMadePermanent => kind == CaseKind::ManagedMove,
        O::AllocateSchool | O::NotEligibleInYear | O::RefusedEscalateDirection => {
            kind == CaseKind::FairAccess
        }
        O::AllocateApInterim => matches!(kind, CaseKind::FairAccess | CaseKind::PlaceRequest),
        O::ManagedMoveAgreed => kind == CaseKind::ManagedMove,
    }
}

/// Does what is known about the case itself (`case_level`) bear on this outcome? The Fair
/// Access gates bear on placing or directing a Fair Access referral; consent on agreeing a
/// managed move. Closing outcomes (redirect, withdraw, defer) are how such cases are rightly
/// closed, so nothing about the case stops them.
fn bears_on(kind: CaseKind, outcome: Outcome) -> bool {
    match kind {
        CaseKind::FairAccess => outcome.is_fap_decision(),
        CaseKind::ManagedMove => outcome == Outcome::ManagedMoveAgreed,
        CaseKind::PlaceRequest => false,
    }
}

/// Every hit for a proposed entry, refusals first: the one place the screen and `fairpanel
/// record` judge an entry. Empty means it may be written.
pub fn check(x: &Ctx<'_>, p: &Proposal) -> Vec<Hit> {
    let mut hits = match &p.event {
        Event::Decision(d) => decision(x, d, p.when),
        Event::Attendance { member, .. } => member_hits(x, member),
        Event::Joined(g) => {
            let mut h = Vec::new();
            if [&g.name, &g.organisation, &g.role]
                .iter()
                .any(|t| t.trim().is_empty())
            {
                h.push(Hit::new(&JOINED_DETAILS, ""));
            }
            if x.state.person(x.caseload, &g.name).is_some() {
                h.push(Hit::new(&ALREADY_IN_MEETING, ""));
            }
            if let Some(m) = &g.substitute_for
                && !x.caseload.panel.members.iter().any(|p| &p.name == m)
            {
                h.push(Hit::new(&UNKNOWN_MEMBER, m.as_str()));
            }
            if let Some(u) = g.urn
                && !x.caseload.schools.iter().any(|s| s.urn == u)
            {
                h.push(Hit::new(&UNKNOWN_SCHOOL, format!("URN {u}")));
            }
            h
        }
        Event::AgreedToConsider { case_ref, date } => match x.case(case_ref) {
            None => vec![Hit::new(&UNKNOWN_CASE, "")],
            Some((_, case)) => {
                let mut h = Vec::new();
                if *date < case.referral_date || *date > x.today(p.when) {
                    h.push(Hit::new(&AGREED_DATE, ""));
                }
                if let Some(why) = x.calendar.uncovered_because(*date) {
                    h.push(Hit::new(&DATE_OUTSIDE_CALENDAR, why));
                }
                if x.agreed(case_ref).is_some() {
                    h.push(Hit::new(&ALREADY_AGREED, ""));
                }
                h
            }
        },
        Event::Declaration {
            member,
            case_ref,
            interest,
            ..
        } => {
            let mut h = member_hits(x, member);
            if interest.trim().is_empty() {
                h.push(Hit::new(&INTEREST_TEXT, ""));
            }
            match x.case(case_ref) {
                None => h.push(Hit::new(&UNKNOWN_CASE, "")),
                Some((_, case)) => h.extend(free_text(x, case, "interest", interest)),
            }
            h
        }
        Event::CaseAdded { case } => {
            let mut h = case_details(x, case, None);
            h.extend(case_text(x, case, None));
            h
        }
        Event::CaseAmended { case, reason } => {
            let mut h = match x.case(&case.reference) {
                None => vec![Hit::new(&UNKNOWN_CASE, "")],
                Some((i, old)) => {
                    let mut h = case_details(x, case, Some(i));
                    h.extend(case_text(x, case, Some(old)));
                    h
                }
            };
            if reason.trim().is_empty() {
                h.push(Hit::new(&AMEND_REASON, ""));
            } else {
                h.extend(free_text(x, case, "reason", reason));
            }
            h
        }
        Event::CaseloadOpened { .. } => vec![Hit::new(
            &BAD_CORRECTION,
            "caseload revisions are recorded when a caseload is opened",
        )],
    };
    // A placement is never replaced silently: a new decision on a placed case is either a
    // correction with a reason or a review of the placement.
    if let Event::Decision(d) = &p.event
        && p.correction.is_none()
        && !d.outcome.is_review()
        && x.state
            .current_decision(&d.case_ref)
            .is_some_and(|(_, old)| old.stands_placed())
    {
        hits.push(Hit::new(&STANDING_PLACEMENT, ""));
    }
    if let Some(corr) = &p.correction {
        let stands = x
            .state
            .entry(corr.entry)
            .filter(|_| x.state.superseded_by(corr.entry).is_none());
        let same_case = match (stands.map(|e| &e.event), &p.event) {
            (Some(Event::Decision(a)), Event::Decision(b)) => a.case_ref == b.case_ref,
            _ => false,
        };
        if !same_case {
            hits.push(Hit::new(&BAD_CORRECTION, format!("entry {}", corr.entry)));
        }
        if corr.reason.trim().is_empty() {
            hits.push(Hit::new(&CORRECTION_REASON, ""));
        }
        if let Some((_, case)) = p.event.case_ref().and_then(|r| x.case(r)) {
            hits.extend(free_text(x, case, "correction reason", &corr.reason));
        }
    }
    hits.sort_by_key(|h| h.rule.severity);
    hits
}

/// A case added (`at` none) or amended (`at` its index) against the checks a caseload file
/// passes: the caseload with the case in it is checked whole, and what is found at the case (or
/// at a reference to it) is reported by its field, never with the pupil's values.
fn case_details(x: &Ctx<'_>, case: &Case, at: Option<usize>) -> Vec<Hit> {
    let mut c = x.caseload.clone();
    let i = match at {
        Some(i) => {
            if let Some(slot) = c.cases.get_mut(i) {
                *slot = case.clone();
            }
            i
        }
        None => {
            c.cases.push(case.clone());
            c.cases.len() - 1
        }
    };
    let prefix = format!("cases[{i}]");
    checks::check(&c)
        .into_iter()
        .filter_map(|f| {
            let path = f.path.to_string();
            let field = path.strip_prefix(&prefix)?;
            let field = field.trim_start_matches('.');
            let rule = match f.problem.severity {
                ProblemSeverity::Error => &CASE_DETAILS,
                ProblemSeverity::Warning => &CASE_DETAILS_WARNING,
            };
            let field = if field.is_empty() { "the case" } else { field };
            Some(Hit::new(rule, format!("{field}: {}", f.problem.message)))
        })
        .collect()
}

/// The free text of a case added or amended at the meeting (its notes, the evidence of each
/// category claimed, the infant class exception), through the one check; for an amendment only
/// the texts typed anew (what the caseload file held is the LA's record, not the minutes').
fn case_text(x: &Ctx<'_>, case: &Case, old: Option<&Case>) -> Vec<Hit> {
    let mut before: Vec<&str> = Vec::new();
    if let Some(o) = old {
        before.extend(o.notes.as_deref());
        before.extend(o.infant_class_exception.as_deref());
        before.extend(o.categories.iter().map(|c| c.evidence.as_str()));
    }
    let mut texts: Vec<(&str, &str)> = Vec::new();
    texts.extend(case.notes.as_deref().map(|n| ("notes", n)));
    texts.extend(
        case.infant_class_exception
            .as_deref()
            .map(|e| ("infant class exception", e)),
    );
    texts.extend(
        case.categories
            .iter()
            .map(|c| ("categories' evidence", c.evidence.as_str())),
    );
    texts
        .into_iter()
        .filter(|(_, t)| !before.contains(t))
        .filter_map(|(field, text)| free_text(x, case, field, text))
        .collect()
}

/// A member named in an attendance or a declaration must be one of the panel's, or someone who
/// joined the meeting.
fn member_hits(x: &Ctx<'_>, member: &str) -> Vec<Hit> {
    if member.trim().is_empty() {
        vec![Hit::new(&MEMBER_REQUIRED, "")]
    } else if x.state.person(x.caseload, member).is_none() {
        vec![Hit::new(&UNKNOWN_MEMBER, member)]
    } else {
        Vec::new()
    }
}

/// Mainstream: not AP, PRU or special.
fn mainstream(s: &School) -> bool {
    !(s.ap || s.pru || s.special)
}

/// An excepted pupil under the infant class size regulations (SI 2012/10 Schedule), so far as
/// the caseload says: looked after, previously looked after, or another exception recorded.
fn infant_class_excepted(case: &Case) -> bool {
    case.pupil.lac
        || case.pupil.plac
        || case
            .infant_class_exception
            .as_deref()
            .is_some_and(|e| !e.trim().is_empty())
}

/// A proposed decision against every rule.
fn decision(x: &Ctx<'_>, d: &Decision, when: When) -> Vec<Hit> {
    let c = x.caseload;
    let state = x.state;
    let decided_on = x.today(when);
    let mut hits = Vec::new();
    let Some((_, case)) = x.case(&d.case_ref) else {
        return vec![Hit::new(&UNKNOWN_CASE, "")];
    };
    let school = d.urn.and_then(|u| c.schools.iter().find(|s| s.urn == u));
    let direction = d.outcome == Outcome::RefusedEscalateDirection;
    if let Some(why) = x.calendar.uncovered_because(decided_on) {
        hits.push(Hit::new(
            &DATE_OUTSIDE_CALENDAR,
            format!("the decision date: {why}"),
        ));
    }

    // What this kind of case can be decided, and what is known about the case itself: the
    // detail pane shows the same (`case_checks`).
    if !allows(case.kind, d.outcome) {
        hits.push(Hit::new(
            &OUTCOME_FOR_KIND,
            format!("{} for a {}", d.outcome.label(), case.kind.label()),
        ));
    }
    if bears_on(case.kind, d.outcome) {
        hits.extend(case_level(x, case, decided_on));
    }

    // The decision's own shape.
    if d.outcome.needs_school() {
        match (d.urn, school) {
            (None, _) => hits.push(Hit::new(&NEEDS_SCHOOL, "")),
            (Some(u), None) => hits.push(Hit::new(&UNKNOWN_SCHOOL, format!("URN {u}"))),
            _ => {}
        }
    }
    if d.outcome.places_child() {
        match d.start_date {
            None => hits.push(Hit::new(&NEEDS_START, "")),
            Some(s) if s < decided_on => hits.push(Hit::new(&START_BEFORE_MEETING, "")),
            _ => {}
        }
    }
    if d.reasons.trim().is_empty() {
        hits.push(Hit::new(&NO_REASONS, ""));
    }
    if d.agreed_by.is_empty() {
        hits.push(Hit::new(&NO_AGREED_BY, ""));
    }

    // Rule 11: review dates.
    let needs_review = d.outcome.needs_review_date() || d.reduced_timetable;
    match (needs_review, d.review_date, d.start_date) {
        (true, None, _) => hits.push(Hit::new(&REVIEW_DATE, "")),
        (_, Some(r), Some(s)) if r < s => hits.push(Hit::new(&REVIEW_BEFORE_START, "")),
        _ => {}
    }

    // Reviews (domain.md §5): of a placement with a review to come, each outcome on its terms.
    if d.outcome.is_review() {
        hits.extend(review(x, d, case, school, decided_on));
    }
    // An AP place, new or continuing, is reviewed within 8 weeks (of its start, or of the
    // review that continues it).
    let ap = d.outcome == Outcome::AllocateApInterim
        || (d.outcome.needs_review_date()
            && x.state
                .current_decision(&d.case_ref)
                .map(|(_, old)| old.placed_by())
                == Some(Outcome::AllocateApInterim));
    let from = if d.outcome.is_review() {
        Some(decided_on)
    } else {
        d.start_date
    };
    if ap
        && let (Some(r), Some(from)) = (d.review_date, from)
        && (r.0 - from.0).num_days() > 56
    {
        hits.push(Hit::new(
            &AP_REVIEW_INTERVAL,
            format!("{} weeks on", (r.0 - from.0).num_days() / 7),
        ));
    }

    // Managed moves: the host consented is the host named; no trial period.
    if d.outcome == Outcome::ManagedMoveAgreed && case.kind == CaseKind::ManagedMove {
        if let (Some(u), Some(p)) = (d.urn, case.proposed_school)
            && u != p
        {
            hits.push(Hit::new(&MM_HOST, "another school than the one proposed"));
        }
        let texts = [Some(d.reasons.as_str()), d.package.as_deref()];
        if no_trial_from().is_some_and(|from| decided_on >= from)
            && texts.iter().flatten().any(|t| mentions_word(t, "trial"))
        {
            hits.push(Hit::new(&MM_NO_TRIAL, ""));
        }
    }

    // Rule 5: fit, on the pupil's year group at the start date (a direction without one: on
    // the day it is decided). Never skipped: no year group is itself a refusal.
    let fit_on = d.start_date.or(direction.then_some(decided_on));
    let year = fit_on.and_then(|s| YearGroup::on(case.pupil.date_of_birth, s));
    let fits = d.outcome.places_child() || direction;
    if fits
        && let Some(on) = fit_on
        && year.is_none()
    {
        hits.push(Hit::new(&NO_YEAR_GROUP, format!("on {}", on.long())));
    }
    if let (Some(s), Some(y), true) = (school, year, fits) {
        let age = i32::from(y.age_at_start());
        if age < i32::from(s.low_age) || age >= i32::from(s.high_age) {
            hits.push(Hit::new(
                &AGE_RANGE,
                format!("{y} at a school for ages {}–{}", s.low_age, s.high_age),
            ));
        }
        match (s.gender, case.pupil.sex) {
            (Gender::Boys, Sex::Female) | (Gender::Girls, Sex::Male) => {
                hits.push(Hit::new(&SINGLE_SEX, ""))
            }
            // GIAS leaves AP and special schools blank; the schools view flags it once.
            (Gender::Unknown, _) if mainstream(s) => hits.push(Hit::new(&SEX_UNKNOWN, "")),
            _ => {}
        }
        // Rules 6 and 10: selection and infant classes, for directions and placements.
        if s.selective {
            if direction {
                hits.push(Hit::new(&DIRECTION_TO_GRAMMAR, ""));
            } else if d.outcome.places_child() {
                hits.push(Hit::new(&ALLOCATION_TO_GRAMMAR, ""));
            }
        }
        if y.number() <= 2 && s.infant_classes_full.contains(&y) && !infant_class_excepted(case) {
            if direction {
                hits.push(Hit::new(&DIRECTION_INFANT_CLASS, format!("{y}")));
            } else if d.outcome.places_child() && mainstream(s) {
                hits.push(Hit::new(&INFANT_CLASS, format!("{y}")));
            }
        }
    }

    // Rule 6: exclusions. The statute bars directions; allocations are a local rule.
    if let Some(s) = school
        && case
            .pex_history
            .iter()
            .any(|p| p.urn == s.urn && !p.reinstated)
    {
        if direction {
            hits.push(Hit::new(&DIRECTION_TO_EXCLUDER, ""));
        } else if d.outcome.places_child() {
            if c.panel.settings.allow_excluding_school_with_agreement {
                hits.push(Hit::new(&EXCLUDER_AGREES, ""));
            } else {
                hits.push(Hit::new(&ALLOCATION_TO_EXCLUDER, ""));
            }
        }
    }
    // Rule 8 and local bars, for mainstream allocations.
    if let (Some(s), Some(y)) = (school, year)
        && d.outcome == Outcome::AllocateSchool
        && mainstream(s)
    {
        let tally = x.tally.except(state, &d.case_ref);
        let total = tally.total(s.urn);
        let in_year = tally.count(s.urn, y);
        if let Some(k) = tally::cap(c, s, y)
            && in_year >= k
        {
            hits.push(Hit::new(
                &FAIR_SHARE_CAP,
                format!("{in_year} placed in {y} this year, cap {k}"),
            ));
        } else if total > 0 && total >= tally.top() {
            hits.push(Hit::new(&TOPS_TALLY, format!("{total} placed this year")));
        }
        if c.panel
            .settings
            .barred_schools
            .iter()
            .any(|b| b.urn == s.urn)
        {
            hits.push(Hit::new(&LOCAL_BAR, ""));
        }
        if c.panel.settings.bar_ofsted_concern && s.ofsted_category.is_some() {
            hits.push(Hit::new(&OFSTED_CONCERN, ""));
        }
        if s.exemptions.iter().any(|e| e.year_group == y) {
            hits.push(Hit::new(&EXEMPT, format!("{y}")));
        }
    }
    // Rule 12: AP for a current permanent exclusion from the sixth school day.
    if d.outcome == Outcome::AllocateApInterim
        && let Some(start) = d.start_date
        && let Some(day6) = pex_day_six(x, &d.case_ref)
        && start > day6
    {
        hits.push(Hit::new(&PEX_DAY_SIX, format!("day 6 was {}", day6.long())));
    }
    if d.outcome.places_child() {
        if twice_excluded(case, decided_on) {
            hits.push(Hit::new(&TWICE_EXCLUDED, ""));
        }
        // Rule 7: a place allocated on school day 20 is on time; from day 21 it is a breach.
        // A reintegration at a review is not the allocation the clock was for.
        if !d.outcome.is_review()
            && let Some(agreed) = x.agreed(&d.case_ref)
            && let Some(s) = x.calendar.school_days_between(agreed, decided_on)
            && s > i64::from(c.panel.settings.clock_school_days)
        {
            hits.push(Hit::new(
                &CLOCK_BREACH,
                format!(
                    "decided on school day {s} of {}",
                    c.panel.settings.clock_school_days
                ),
            ));
        }
    }

    // Rule 9 and declarations: who agreed (substitutes and guests who joined included).
    let person = |name: &str| state.person(c, name);
    for name in d.agreed_by.iter().chain(&d.dissent) {
        if person(name).is_none() {
            hits.push(Hit::new(&UNKNOWN_MEMBER, name.as_str()));
        }
    }
    let deciders = d
        .agreed_by
        .iter()
        .filter(|n| person(n).is_some_and(|m| m.can_decide))
        .count();
    if !d.agreed_by.is_empty() && deciders == 0 {
        hits.push(Hit::new(&NO_DECIDER_AGREED, ""));
    }
    if when == When::Meeting {
        let q = state.quorum(c);
        if !q.is_quorate() {
            hits.push(Hit::new(&NOT_QUORATE, q.label()));
        }
        for name in &d.agreed_by {
            if person(name).is_some() && !state.is_present(name) {
                hits.push(Hit::new(&ABSENT_MEMBER, name.as_str()));
            }
        }
    }
    for name in &d.agreed_by {
        if state.declared(name, &d.case_ref).is_some() {
            hits.push(Hit::new(&INTEREST, name.as_str()));
        }
    }

    // Places: AP and special provision never beyond what is offered, on its conditions.
    if d.outcome == Outcome::AllocateApInterim
        && let Some(s) = school
        && mainstream(s)
    {
        hits.push(Hit::new(&NOT_A_PLACE_SCHOOL, ""));
    }
    if d.outcome.places_child()
        && let Some(s) = school
        && !mainstream(s)
    {
        let mut with_year = d.clone();
        with_year.year_group = year;
        match (
            c.places.iter().find(|p| p.urn == s.urn),
            pool_for(c, s.urn, &with_year),
        ) {
            (Some(prov), Some(group)) => {
                let pool = prov.pools.iter().find(|p| p.group == group);
                let offered = pool.map_or(0, |p| p.offered);
                let used = pool.map_or(0, |p| p.used) + x.facts.taken(s.urn, group);
                // A correction of this case's own decision frees its place first.
                let own = state
                    .current_decision(&d.case_ref)
                    .filter(|(_, old)| {
                        old.urn == Some(s.urn) && pool_for(c, s.urn, old) == Some(group)
                    })
                    .map_or(0, |_| 1);
                if used - own >= offered {
                    hits.push(Hit::new(
                        &NO_PLACE_FREE,
                        format!("{group}: {offered} offered, {} used", used - own),
                    ));
                }
                if let (Some(from), Some(start)) = (prov.free_from, d.start_date)
                    && start < from
                {
                    hits.push(Hit::new(
                        &BEFORE_FREE_FROM,
                        format!("free from {}", from.long()),
                    ));
                }
                if !prov.conditions.is_empty()
                    && d.package.as_deref().is_none_or(|p| p.trim().is_empty())
                {
                    hits.push(Hit::new(&AP_CONDITIONS, prov.conditions.join("; ")));
                }
            }
            _ => hits.push(Hit::new(&NOT_OFFERED, "")),
        }
    }

    // Names in free text.
    hits.extend(free_text(x, case, "reasons", &d.reasons));
    if let Some(package) = &d.package {
        hits.extend(free_text(x, case, "package", package));
    }
    for a in &d.actions {
        hits.extend(free_text(x, case, "actions", &a.what));
    }
    if hits
        .iter()
        .any(|h| h.rule.severity == Severity::NeedsReason)
        && d.override_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        hits.push(Hit::new(&OVERRIDE_REASON, ""));
    }
    if let Some(r) = &d.override_reason {
        hits.extend(free_text(x, case, "override reason", r));
    }
    hits.sort_by_key(|h| h.rule.severity);
    hits
}

/// A review outcome against the placement it reviews (domain.md §5): there must be one with a
/// review to come; a continuing placement is reviewed again after today; an extension says its
/// terms; a reintegration names a mainstream school; a managed move agreed after trial periods
/// ended was permanent from its start.
fn review(
    x: &Ctx<'_>,
    d: &Decision,
    case: &Case,
    school: Option<&School>,
    decided_on: Date,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    let standing = x
        .state
        .current_decision(&d.case_ref)
        .map(|(_, old)| old)
        .filter(|old| old.is_reviewable());
    if standing.is_none() {
        hits.push(Hit::new(&NOTHING_TO_REVIEW, ""));
    }
    if d.outcome.needs_review_date()
        && let Some(r) = d.review_date
        && r <= decided_on
    {
        hits.push(Hit::new(&NEXT_REVIEW_AFTER_TODAY, ""));
    }
    if d.outcome == Outcome::ReviewExtended
        && d.package.as_deref().is_none_or(|p| p.trim().is_empty())
    {
        hits.push(Hit::new(&EXTENSION_TERMS, ""));
    }
    if d.outcome == Outcome::ReviewReintegrated
        && let Some(s) = school
        && !mainstream(s)
    {
        hits.push(Hit::new(&REINTEGRATE_MAINSTREAM, ""));
    }
    if d.outcome == Outcome::ReviewMadePermanent
        && case.kind == CaseKind::ManagedMove
        && let Some(from) = no_trial_from()
        && let Some(agreed) = d.review_of.as_ref().and_then(|r| r.decided_on)
        && agreed >= from
    {
        hits.push(Hit::new(
            &MM_NO_TRIAL,
            format!("agreed on {}, so permanent from its start", agreed.long()),
        ));
    }
    hits
}

/// The day the LA's full-time provision is due for a case under a current permanent exclusion.
fn pex_day_six(x: &Ctx<'_>, case_ref: &str) -> Option<Date> {
    x.case(case_ref)
        .and_then(|(i, _)| x.facts.case(i))
        .and_then(|f| f.clock.pex_provision_from)
}

/// What is known about a case itself, before any decision: the Fair Access gates for a Fair
/// Access referral (judged on `on`), the consents for a managed move. The detail pane and a
/// decision on the case both take them from here.
fn case_level(x: &Ctx<'_>, case: &Case, on: Date) -> Vec<Hit> {
    let c = x.caseload;
    let mut hits = Vec::new();
    match case.kind {
        CaseKind::FairAccess if c.panel.kind.is_fair_access() => {
            eligibility_on(c, case, on, &mut hits)
        }
        CaseKind::ManagedMove => {
            let consent = case.consent.clone().unwrap_or_default();
            let missing: Vec<&str> = [
                ("the parent", consent.parent),
                ("the home school", consent.home_school),
                ("the host school", consent.host_school),
            ]
            .into_iter()
            .filter(|(_, d)| d.is_none_or(|d| d > on))
            .map(|(who, _)| who)
            .collect();
            if !missing.is_empty() {
                hits.push(Hit::new(
                    &MM_CONSENT,
                    format!("not recorded: {}", missing.join(", ")),
                ));
            }
            if case.proposed_school.is_none() {
                hits.push(Hit::new(&MM_HOST, "no host school is proposed"));
            }
        }
        _ => {}
    }
    hits
}

/// What the panel should know about a case before deciding anything, as the checks panel shows
/// it: what is known about the case itself (`case_level`, exactly as a decision sees it), a year
/// group to place in, the clock (rule 7), the sixth-day duty, and exclusions.
pub fn case_checks(x: &Ctx<'_>, case_index: usize) -> Vec<Hit> {
    let (Some(case), Some(f)) = (x.caseload.cases.get(case_index), x.facts.case(case_index)) else {
        return Vec::new();
    };
    let c = x.caseload;
    let meeting = c.panel.meeting_date;
    let mut hits = case_level(x, case, meeting);
    // The first day a place could start: the next school day.
    let start = x
        .calendar
        .nth_school_day_after(meeting, 1)
        .unwrap_or(meeting);
    if f.standing.is_open() {
        if YearGroup::on(case.pupil.date_of_birth, start).is_none() {
            hits.push(Hit::new(&NO_YEAR_GROUP, format!("on {}", start.long())));
        }
        if let Some(s) = f.clock.since_agreed {
            let aim = f.clock.aim;
            if s > aim {
                hits.push(Hit::new(
                    &CLOCK_BREACH,
                    format!("school day {s} of {aim}: {} past it", s - aim),
                ));
            } else if s >= clock::warn_from(aim) {
                let left = aim - s;
                let when = if left == 0 {
                    "the place must be allocated today".to_owned()
                } else {
                    format!("{left} left")
                };
                hits.push(Hit::new(
                    &CLOCK_WARNING,
                    format!("school day {s} of {aim}: {when}"),
                ));
            }
        }
        if let Some(day6) = f.clock.pex_provision_from
            && start > day6
        {
            hits.push(Hit::new(&PEX_DAY_SIX, format!("day 6 was {}", day6.long())));
        }
    }
    if twice_excluded(case, meeting) {
        hits.push(Hit::new(&TWICE_EXCLUDED, ""));
    }
    hits.sort_by_key(|h| h.rule.severity);
    hits
}

/// SSFA 1998 s87(1)–(2): permanently excluded from two or more schools, and `on` within the
/// two years beginning with the day the latest of those exclusions took effect. Under s87(3A)
/// a reinstated exclusion does not count, nor one before the child reached compulsory school
/// age.
pub fn twice_excluded(case: &Case, on: Date) -> bool {
    let from = compulsory_school_age_from(case.pupil.date_of_birth);
    let counted: Vec<_> = case
        .pex_history
        .iter()
        .filter(|p| !p.reinstated && p.date >= from && p.date <= on)
        .collect();
    let schools: BTreeSet<u32> = counted.iter().map(|p| p.urn).collect();
    schools.len() >= 2
        && counted
            .iter()
            .map(|p| p.date)
            .max()
            .is_some_and(|latest| on < latest.years_on(2))
}

/// Rules 1–4 for a Fair Access decision, judged on the meeting date (the minutes' view).
pub fn eligibility(c: &Caseload, case: &Case, hits: &mut Vec<Hit>) {
    eligibility_on(c, case, c.panel.meeting_date, hits)
}

/// Rules 1–4, judged on `on` (the decision date: the child keeps waiting until then). Each
/// category claim is judged on its own; the case qualifies if one holds, and the claims that
/// fail are warnings. Refused only when none holds.
pub fn eligibility_on(c: &Caseload, case: &Case, on: Date, hits: &mut Vec<Hit>) {
    let p = &case.pupil;
    if p.sen == Sen::Ehcp {
        hits.push(Hit::new(&EHCP_ROUTE, ""));
    }
    if p.lac {
        hits.push(Hit::new(&LAC_ROUTE, ""));
    }
    let has = |cat: Category| case.categories.iter().any(|x| x.code == cat);
    if p.plac && !p.lac {
        if c.panel.settings.excluded_groups.contains(&LocalGroup::Plac) {
            hits.push(Hit::new(&PLAC_LOCALLY_EXCLUDED, ""));
        } else if c.panel.settings.plac_only_under_m && !has(Category::M) {
            hits.push(Hit::new(&PLAC_ONLY_UNDER_M, ""));
        }
    }

    // Gate 1: unplaced, with no reasonable offer.
    if case.status == Status::OnRoll {
        hits.push(Hit::new(&NOT_UNPLACED, ""));
    }
    let offered = case
        .in_year_apps
        .iter()
        .filter(|a| a.outcome == AppOutcome::Offered)
        .count();
    if offered > 0 {
        hits.push(Hit::new(&OFFER_OUTSTANDING, plural(offered, "offer")));
    }

    // Gate 2: an in-year attempt that failed (refused, or no place), except under (k).
    let failed_apps = case
        .in_year_apps
        .iter()
        .filter(|a| matches!(a.outcome, AppOutcome::Refused | AppOutcome::NoPlace))
        .count();
    if !has(Category::K) && failed_apps == 0 {
        let detail = if case.in_year_apps.is_empty() {
            String::new()
        } else {
            format!(
                "{} recorded, none refused or with no place",
                plural(case.in_year_apps.len(), "application")
            )
        };
        hits.push(Hit::new(&NO_IN_YEAR_ATTEMPT, detail));
    }

    // Gate 3: each claim on its own.
    if case.categories.is_empty() {
        hits.push(Hit::new(&NO_CATEGORY, ""));
        return;
    }
    let claims: BTreeSet<Category> = case.categories.iter().map(|x| x.code).collect();
    let mut holding = 0;
    let mut failed = Vec::new();
    let mut l_declined = false;
    for cat in &claims {
        let fails = match cat {
            Category::A => case
                .cin_cp_end
                .filter(|end| *end < case.referral_date.months_before(12))
                .map(|_| Hit::new(&CIN_CP_LAPSED, "")),
            Category::L => match case.out_since {
                None => Some(Hit::new(
                    &NOT_OUT_FOUR_WEEKS,
                    "no date out of education is recorded",
                )),
                Some(out) if out.days_until(on) < 28 => Some(Hit::new(
                    &NOT_OUT_FOUR_WEEKS,
                    format!("{} days out on {}", out.days_until(on).max(0), on.long()),
                )),
                Some(out) => {
                    l_declined = case
                        .in_year_apps
                        .iter()
                        .any(|a| a.outcome == AppOutcome::DeclinedByParent && a.date >= out);
                    None
                }
            },
            Category::M if !p.plac => Some(Hit::new(&M_NOT_PLAC, "")),
            _ => None,
        };
        match fails {
            Some(h) => failed.push((cat.letter(), h)),
            // A declined offer leaves (l) to the panel's judgement.
            None if *cat == Category::L && l_declined => {}
            None => holding += 1,
        }
    }
    if holding > 0 && l_declined {
        hits.push(Hit::new(&DECLINED_OFFER_NOTED, ""));
    } else if l_declined {
        hits.push(Hit::new(&DECLINED_OFFER, ""));
    } else if holding == 0 {
        let letters: Vec<String> = failed.iter().map(|(l, _)| format!("({l})")).collect();
        hits.push(Hit::new(
            &NO_CLAIM_HOLDS,
            format!("claimed: {}", letters.join(" ")),
        ));
    }
    hits.extend(failed.into_iter().map(|(_, h)| h));
}

/// "1 offer", "2 offers".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Does `text` hold `word` as a whole word, any case?
fn mentions_word(text: &str, word: &str) -> bool {
    text.split(|ch: char| !ch.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// The one check on free text typed about a case (a decision's reasons, package and override
/// reason, a correction's reason, an interest, an amendment's reason, a case's notes and
/// evidence): refused if it identifies the child or family (`names-in-free-text`: a full or
/// family name, any caseload pupil's date of birth, "born" and a date, a UPN, a contact's phone
/// or e-mail), a warning for the child's given name alone. The field is named, the value never.
/// Empty text needs no index: the meeting's index of every pupil is built on the first text
/// that has words in it, so opening a large caseload (whose working view checks an empty draft)
/// never pays for it.
pub fn free_text(x: &Ctx, case: &Case, field: &str, text: &str) -> Option<Hit> {
    if text.trim().is_empty() {
        return None;
    }
    let found = x.names().find(text, Some(&case.pupil))?;
    let rule = if found.identifies() {
        &NAMES_IN_TEXT
    } else {
        &GIVEN_NAME_IN_TEXT
    };
    Some(Hit::new(rule, format!("in the {field}: {}", found.words())))
}
