//! Every rule fairpanel enforces: a stable name, the domain.md rule and statutory source it rests
//! on, a severity, and a plain message, in one table. The decision function calls `check`; the
//! screen shows the hits, with their sources, before anything is recorded. No terminal, no SQL.

use crate::domain::caseload::{Case, CaseKind, Caseload, Category, Gender, Sen, Sex};
use crate::domain::event::{Decision, Event, Outcome, Proposal, When};
use crate::domain::state::pool_for;
use crate::domain::view::Ctx;
use crate::domain::year_group::YearGroup;

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
    EHCP_ROUTE = "ehcp-route", Refuse, "domain.md §6 rule 1; SAC21 3.17(e); CFA 2014 s43, SEND Code 9.83",
        "a child with an EHC plan is placed through the EHC plan route, not Fair Access: record a redirect to that route";
    LAC_ROUTE = "lac-route", Refuse, "domain.md §6 rule 2; SSFA 1998 s97A",
        "a looked-after child is placed by a direction under s97A, not Fair Access: record a redirect to that route";
    PLAC_ONLY_UNDER_M = "plac-only-under-m", Refuse, "domain.md §6 rule 2; SAC21 3.17(m)",
        "a previously looked-after child comes to Fair Access only under category (m), unless excluded locally";
    PLAC_LOCALLY_EXCLUDED = "plac-locally-excluded", Refuse, "domain.md §2 (local: BCP, Worcestershire)",
        "this LA places previously looked-after children outside Fair Access";
    NO_CATEGORY = "no-category", Refuse, "domain.md §6 rule 3; SAC21 3.17",
        "no Fair Access category (a)–(m) is given: the child is not eligible";
    NO_IN_YEAR_ATTEMPT = "no-in-year-attempt", Refuse, "domain.md §6 rule 3; SAC21 3.17, fn 80",
        "no in-year application is recorded (needed except under (k))";
    CIN_CP_LAPSED = "cin-cp-lapsed", Refuse, "domain.md §6 rule 4; SAC21 3.17(a)",
        "under (a) the CIN or CP plan must be current or have ended within 12 months before referral";
    NOT_OUT_FOUR_WEEKS = "not-out-four-weeks", Refuse, "domain.md §6 rule 4; SAC21 3.17(l)",
        "under (l) the child must have been out of education for at least 4 weeks, without declining a suitable offer";
    AGE_RANGE = "age-range", Refuse, "domain.md §6 rule 5; §3 Fit",
        "the school's age range does not cover the pupil's year group on the start date";
    SINGLE_SEX = "single-sex", Refuse, "domain.md §6 rule 5; EqA 2010 Sch 11 para 1",
        "a single-sex school of the other sex";
    SEX_UNKNOWN = "sex-admitted-unknown", Warn, "domain.md §6 rule 5",
        "the school's sex admitted is not known: check it admits this pupil";
    DIRECTION_TO_EXCLUDER = "direction-to-excluding-school", Refuse, "domain.md §6 rule 6; SSFA 1998 s96(2)",
        "a direction may not name a school that permanently excluded the child (no time limit)";
    DIRECTION_TO_GRAMMAR = "direction-to-grammar", Refuse, "domain.md §6 rule 6; SSFA 1998 s96(3A)",
        "a direction may not name a grammar school unless the child meets its selection criteria; record that outside fairpanel";
    TWICE_EXCLUDED = "twice-excluded", Warn, "domain.md §6 rule 6; SSFA 1998 s87(3A); SAC21 3.8",
        "permanently excluded twice or more, the latest within 2 years: parental preference need not be met";
    NOT_QUORATE = "not-quorate", Refuse, "domain.md §6 rule 9; local terms of reference",
        "the meeting is not quorate: record attendance first";
    NO_DECIDER_AGREED = "no-decider-agreed", Refuse, "domain.md §6 rule 9",
        "no member who can decide agreed the decision";
    UNKNOWN_MEMBER = "unknown-member", Refuse, "domain.md §4 Members",
        "someone named as agreeing or dissenting is not a member of this panel";
    ABSENT_MEMBER = "absent-member", Refuse, "domain.md §4 Members",
        "a member who agreed is not recorded as present";
    REVIEW_DATE = "review-date-required", Refuse, "domain.md §6 rule 11; SOLIHULL; WTISA",
        "an AP place, a managed move or a reduced timetable needs a review date";
    INTEREST = "declared-interest", Refuse, "domain.md §4 Quorum, declarations",
        "a member who declared an interest in this case is among those who agreed it";
    NO_PLACE_FREE = "no-place-free", Refuse, "domain.md §5; AP places",
        "no place is free in the provision's pool for this year group or key stage";
    NOT_OFFERED = "provision-not-offered", Refuse, "domain.md §5",
        "this provision offers no places at this meeting for the pupil's year group";
    BEFORE_FREE_FROM = "before-free-from", Refuse, "domain.md §5",
        "the start date is before the place is free";
    NAMES_IN_TEXT = "names-in-free-text", Refuse, "domain.md §6 rule 13; UK GDPR 5(1)(c)",
        "the text holds the pupil's name, date of birth or UPN; rewrite it with the case reference (minutes stay name-free)";
    NEEDS_SCHOOL = "school-required", Refuse, "domain.md §6 Decision",
        "this outcome names a school or provision";
    UNKNOWN_SCHOOL = "unknown-school", Refuse, "domain.md §6 Decision",
        "the school is not in this caseload";
    NEEDS_START = "start-date-required", Refuse, "domain.md §3 Clock",
        "a placement needs a start date";
    START_BEFORE_MEETING = "start-before-meeting", Refuse, "domain.md §3 Clock",
        "the start date is before the decision date";
    REVIEW_BEFORE_START = "review-before-start", Refuse, "domain.md §6 rule 11",
        "the review date is before the start date";
    NO_REASONS = "reasons-required", Refuse, "domain.md §4 Minutes",
        "the minutes need the reasons for the decision";
    NO_AGREED_BY = "agreed-by-required", Refuse, "domain.md §4 Minutes",
        "the minutes need who agreed the decision";
    UNKNOWN_CASE = "unknown-case", Refuse, "cli.md",
        "no case with this reference in the caseload";
    NOT_A_PLACE_SCHOOL = "not-ap-or-special", Refuse, "domain.md §5",
        "an interim AP place must be at an AP, PRU or special provision";
    STANDING_PLACEMENT = "standing-placement", Refuse, "DEVELOPERS.md: corrections supersede",
        "this case already has a standing placement: correct it (c) with a reason, or record a review outcome";
    BAD_CORRECTION = "bad-correction", Refuse, "DEVELOPERS.md: corrections supersede",
        "only a decision that still stands, on the same case, can be corrected, with a reason";
    FAIR_SHARE_CAP = "fair-share-cap", NeedsReason, "domain.md §6 rule 8; SAC21 fair share; BUCKS (1 per 30 of PAN)",
        "the school is at or over its fair-share cap for the year";
    TOPS_TALLY = "tops-the-tally", NeedsReason, "domain.md §6 rule 8; SAC21 fair share",
        "the school already has the most Fair Access placements this year";
    LOCAL_BAR = "local-bar", NeedsReason, "domain.md §3 Fair share (local)",
        "the LA does not allocate to this school locally";
    OFSTED_CONCERN = "ofsted-concern", NeedsReason, "domain.md §3 Fair share; BUCKS-2021",
        "the school is under an Ofsted category of concern and this LA bars allocations to it";
    EXEMPT = "exempt-year-group", NeedsReason, "issue: the panel's rules §1 (exemptions)",
        "the panel excused this school from this year group this year";
    ALLOCATION_TO_EXCLUDER = "allocation-to-excluding-school", Refuse, "domain.md §6 rule 6; SSFA 1998 s96",
        "the school permanently excluded the child; allowed only where local settings permit it with the school's agreement";
    EXCLUDER_AGREES = "excluding-school-agrees", NeedsReason, "domain.md §6 rule 6 (local setting)",
        "the school permanently excluded the child: record its agreement as the reason";
    OVERRIDE_REASON = "override-reason-required", Refuse, "domain.md §6 rule 8",
        "a check marked \"needs a reason\" has none: write why the panel goes ahead in the override reason";
    INFANT_CLASS = "infant-class-30", Warn, "domain.md §6 rule 10; SI 2012/10; SSFA 1998 s96(4)",
        "infant classes in this year group are at 30: Fair Access is not an excepted category, and no direction may breach the limit";
    PEX_DAY_SIX = "pex-provision-day-6", Warn, "domain.md §6 rule 12; EXC24",
        "AP for a permanently excluded pupil should start by the sixth school day of the exclusion";
    CLOCK_WARNING = "clock-15-days", Warn, "domain.md §6 rule 7; SAC21 3.21",
        "15 or more school days since the panel agreed to consider the case, with no allocation";
    CLOCK_BREACH = "clock-breach", Warn, "domain.md §6 rule 7; SAC21 3.21",
        "past the 20-school-day aim with no allocation: a breach to minute";
    AGREED_DATE = "agreed-date", Refuse, "domain.md §3 Clock",
        "the panel agrees to consider a case on or after its referral and not after today";
    ALREADY_AGREED = "already-agreed", Refuse, "domain.md §3 Clock",
        "the panel has already agreed to consider this case: the clock started then";
    CORRECTION_REASON = "correction-reason-required", Refuse, "DEVELOPERS.md: corrections supersede",
        "say why the decision is corrected: the minutes keep both";
    MEMBER_REQUIRED = "member-required", Refuse, "domain.md §4 Members",
        "choose the member";
    JOINED_DETAILS = "joined-details-required", Refuse, "domain.md §4 Members",
        "say who joined: their name, organisation and role";
    ALREADY_IN_MEETING = "already-in-the-meeting", Refuse, "domain.md §4 Members",
        "someone of this name is already a member or has joined: record their attendance instead";
    INTEREST_TEXT = "interest-required", Refuse, "domain.md §4 Quorum, declarations",
        "say what the interest is, e.g. \"own school proposed\"";
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

    /// "refused (ehcp-route): … [domain.md §6 rule 1; …]".
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
                Some((_, case)) if mentions_pupil(interest, case) => {
                    h.push(Hit::new(&NAMES_IN_TEXT, "in the interest"))
                }
                Some(_) => {}
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
        && !matches!(
            d.outcome,
            Outcome::ReviewConfirmed | Outcome::ReviewBreakdown
        )
        && x.state
            .current_decision(&d.case_ref)
            .is_some_and(|(_, old)| old.outcome.places_child())
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
        if let Some((_, case)) = p.event.case_ref().and_then(|r| x.case(r))
            && mentions_pupil(&corr.reason, case)
        {
            hits.push(Hit::new(&NAMES_IN_TEXT, "in the correction reason"));
        }
    }
    hits.sort_by_key(|h| h.rule.severity);
    hits
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

    // Fair Access eligibility (rules 1–4), for Fair Access panels and FAP outcomes only.
    if c.panel.kind.is_fair_access() && d.outcome.is_fap_decision() {
        eligibility(c, case, &mut hits);
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
    let needs_review = matches!(
        d.outcome,
        Outcome::AllocateApInterim | Outcome::ManagedMoveAgreed
    ) || d.reduced_timetable;
    match (needs_review, d.review_date, d.start_date) {
        (true, None, _) => hits.push(Hit::new(&REVIEW_DATE, "")),
        (_, Some(r), Some(s)) if r < s => hits.push(Hit::new(&REVIEW_BEFORE_START, "")),
        _ => {}
    }

    // Rule 5: fit, on the pupil's year group at the start date.
    let year = d
        .start_date
        .and_then(|s| YearGroup::on(case.pupil.date_of_birth, s));
    if let (Some(s), Some(y)) = (school, year) {
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
            (Gender::Unknown, _) => hits.push(Hit::new(&SEX_UNKNOWN, "")),
            _ => {}
        }
    }

    // Rule 6: directions and exclusions.
    if let Some(s) = school {
        let excluded_by = case
            .pex_history
            .iter()
            .any(|p| p.urn == s.urn && !p.reinstated);
        if d.outcome == Outcome::RefusedEscalateDirection {
            if excluded_by {
                hits.push(Hit::new(&DIRECTION_TO_EXCLUDER, ""));
            }
            if s.selective {
                hits.push(Hit::new(&DIRECTION_TO_GRAMMAR, ""));
            }
        }
    }
    if let Some(s) = school
        && d.outcome.places_child()
        && case
            .pex_history
            .iter()
            .any(|p| p.urn == s.urn && !p.reinstated)
    {
        if c.panel.settings.allow_excluding_school_with_agreement {
            hits.push(Hit::new(&EXCLUDER_AGREES, ""));
        } else {
            hits.push(Hit::new(&ALLOCATION_TO_EXCLUDER, ""));
        }
    }
    // Rule 8 and local bars, for mainstream allocations.
    if let (Some(s), Some(y)) = (school, year)
        && d.outcome == Outcome::AllocateSchool
        && !(s.ap || s.pru || s.special)
    {
        let tally = crate::domain::tally::Tally::build_except(c, state, Some(&d.case_ref));
        let total = tally.total(s.urn);
        if let Some(k) = crate::domain::tally::cap(c, s, y)
            && total >= k
        {
            hits.push(Hit::new(
                &FAIR_SHARE_CAP,
                format!("{total} placed this year, cap {k}"),
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
        if y.number() <= 2 && s.infant_classes_full.contains(&y) {
            hits.push(Hit::new(&INFANT_CLASS, format!("{y}")));
        }
        if s.exemptions.iter().any(|e| e.year_group == y) {
            hits.push(Hit::new(&EXEMPT, format!("{y}")));
        }
    }
    // Rule 12: AP for a current permanent exclusion from the sixth school day.
    if d.outcome == Outcome::AllocateApInterim
        && let Some(start) = d.start_date
        && let Some(day6) = x
            .case(&d.case_ref)
            .and_then(|(i, _)| x.facts.case(i))
            .and_then(|f| f.clock.pex_provision_from)
        && start > day6
    {
        hits.push(Hit::new(&PEX_DAY_SIX, format!("day 6 was {}", day6.long())));
    }
    if d.outcome.places_child() && twice_excluded(case, decided_on) {
        hits.push(Hit::new(&TWICE_EXCLUDED, ""));
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

    // Places: AP and special provision never beyond what is offered.
    if d.outcome == Outcome::AllocateApInterim
        && let Some(s) = school
        && !(s.ap || s.pru || s.special)
    {
        hits.push(Hit::new(&NOT_A_PLACE_SCHOOL, ""));
    }
    if d.outcome.places_child()
        && let Some(s) = school
        && (s.ap || s.pru || s.special)
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
            }
            _ => hits.push(Hit::new(&NOT_OFFERED, "")),
        }
    }

    // Names in free text.
    let texts = [Some(d.reasons.as_str()), d.package.as_deref()];
    if texts.iter().flatten().any(|t| mentions_pupil(t, case)) {
        hits.push(Hit::new(&NAMES_IN_TEXT, ""));
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
    if let Some(r) = &d.override_reason
        && mentions_pupil(r, case)
    {
        hits.push(Hit::new(&NAMES_IN_TEXT, "in the override reason"));
    }
    hits.sort_by_key(|h| h.rule.severity);
    hits
}

/// What the panel should know about a case before deciding anything: eligibility (as for an
/// allocation), the clock (rule 7), and exclusions. Shown in the checks panel.
pub fn case_checks(x: &Ctx<'_>, case_index: usize) -> Vec<Hit> {
    let (Some(case), Some(f)) = (x.caseload.cases.get(case_index), x.facts.case(case_index)) else {
        return Vec::new();
    };
    let c = x.caseload;
    let mut hits = Vec::new();
    if c.panel.kind.is_fair_access() && case.kind == CaseKind::FairAccess {
        eligibility(c, case, &mut hits);
    }
    if f.standing.is_open()
        && let Some(s) = f.clock.since_agreed
    {
        if s >= f.clock.aim {
            hits.push(Hit::new(&CLOCK_BREACH, format!("{s} school days")));
        } else if s >= crate::domain::clock::WARN_AT {
            hits.push(Hit::new(
                &CLOCK_WARNING,
                format!("{s} school days, {} left", f.clock.aim - s),
            ));
        }
    }
    if twice_excluded(case, c.panel.meeting_date) {
        hits.push(Hit::new(&TWICE_EXCLUDED, ""));
    }
    hits.sort_by_key(|h| h.rule.severity);
    hits
}

/// Permanently excluded twice or more (not counting reinstated exclusions), the latest within
/// two years of `on` (domain.md §6 rule 6).
fn twice_excluded(case: &Case, on: crate::domain::dates::Date) -> bool {
    let pex: Vec<_> = case.pex_history.iter().filter(|p| !p.reinstated).collect();
    pex.len() >= 2
        && pex
            .iter()
            .map(|p| p.date)
            .max()
            .is_some_and(|l| l.days_until(on) <= 730)
}

/// Rules 1–4 for a Fair Access decision.
pub fn eligibility(c: &Caseload, case: &Case, hits: &mut Vec<Hit>) {
    let p = &case.pupil;
    if p.sen == Sen::Ehcp {
        hits.push(Hit::new(&EHCP_ROUTE, ""));
    }
    if p.lac {
        hits.push(Hit::new(&LAC_ROUTE, ""));
    }
    let has = |cat: Category| case.categories.iter().any(|x| x.code == cat);
    if p.plac && !p.lac {
        if c.panel
            .settings
            .excluded_groups
            .contains(&crate::domain::caseload::LocalGroup::Plac)
        {
            hits.push(Hit::new(&PLAC_LOCALLY_EXCLUDED, ""));
        } else if !has(Category::M) {
            hits.push(Hit::new(&PLAC_ONLY_UNDER_M, ""));
        }
    }
    if case.categories.is_empty() {
        hits.push(Hit::new(&NO_CATEGORY, ""));
    }
    if !has(Category::K) && case.in_year_apps.is_empty() {
        hits.push(Hit::new(&NO_IN_YEAR_ATTEMPT, ""));
    }
    if has(Category::A)
        && let Some(end) = case.cin_cp_end
        && end.days_until(case.referral_date) > 365
    {
        hits.push(Hit::new(&CIN_CP_LAPSED, ""));
    }
    if has(Category::L) {
        let out_long_enough = case
            .out_since
            .is_some_and(|o| o.days_until(case.referral_date) >= 28);
        let declined = case
            .in_year_apps
            .iter()
            .any(|a| a.outcome == crate::domain::caseload::AppOutcome::DeclinedByParent);
        if !out_long_enough || declined {
            hits.push(Hit::new(&NOT_OUT_FOUR_WEEKS, ""));
        }
    }
}

/// Does free text mention the pupil's name (a whole word, any case, accents folded), date of
/// birth (ISO or dd/mm/yyyy) or UPN?
pub fn mentions_pupil(text: &str, case: &Case) -> bool {
    let fold = |s: &str| -> String { s.chars().map(crate::domain::text::fold_char).collect() };
    let t = fold(text);
    let words: Vec<&str> = t
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let p = &case.pupil;
    let name_parts = p
        .given_name
        .split(|ch: char| !ch.is_alphanumeric())
        .chain(p.family_name.split(|ch: char| !ch.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 2)
        .map(fold);
    for part in name_parts {
        if words.iter().any(|w| *w == part) {
            return true;
        }
    }
    let dob = p.date_of_birth.0;
    let forms = [
        dob.format("%Y-%m-%d").to_string(),
        dob.format("%d/%m/%Y").to_string(),
        dob.format("%-d/%-m/%Y").to_string(),
    ];
    if forms.iter().any(|f| text.contains(f.as_str())) {
        return true;
    }
    p.upn
        .as_deref()
        .is_some_and(|u| !u.is_empty() && t.contains(&fold(u)))
}
