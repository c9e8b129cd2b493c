//! Cross-checks a typed caseload must pass before anything is shown: what a schema cannot say.
//! Each finding names its JSON path; values under `pupil` are never quoted.

use std::collections::{HashMap, HashSet};

use crate::domain::calendar::{self, SchoolCalendar};
use crate::domain::caseload::{Case, CaseKind, Caseload, READS, Sen, Status, reads_format};
use crate::domain::clock::MAX_AIM;
use crate::domain::problem::{JsonPath, Problem};
use crate::domain::upn;
use crate::domain::year_group::{PoolGroup, YearGroup};

/// A problem before it is given a line and column.
#[derive(Debug, Clone)]
pub struct Finding {
    pub path: JsonPath,
    pub problem: Problem,
}

struct Out(Vec<Finding>);

impl Out {
    fn error(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.0.push(Finding {
            problem: Problem::error(&path, msg),
            path,
        });
    }
    fn warn(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.0.push(Finding {
            problem: Problem::warning(&path, msg),
            path,
        });
    }
}

/// Youngest and oldest ages a panel places (domain.md §1 compulsory school age, with reception
/// and sixth form either side).
pub const MIN_AGE: i32 = 4;
pub const MAX_AGE: i32 = 19;

/// Bounds on the caseload's numbers, from what each means (docs/caseload.md §6.7).
pub mod bounds {
    /// No year group is admitted at more than this; nor are places offered in one pool.
    pub const PAN: u32 = 1_000;
    /// More pupils than any school in England has on roll.
    pub const ON_ROLL: u32 = 10_000;
    /// Statutory ages of any school or special school.
    pub const AGE: u8 = 25;
    /// British National Grid extents, metres.
    pub const EASTING: u32 = 700_000;
    pub const NORTHING: u32 = 1_300_000;
    /// Days in a school year: no suspension can be longer.
    pub const SCHOOL_YEAR_DAYS: u32 = 190;
    /// The most a pupil can be suspended in a school year (EXC24).
    pub const SUSPENSION_DAYS: u32 = 45;
    /// Weeks to a first review: at most a term (AP is reviewed every 6–8 weeks).
    pub const REVIEW_WEEKS: u32 = 12;
    /// Members a quorum can ask for.
    pub const QUORUM: u32 = 100;
    /// Sessions in a school year: two a day, 190 days.
    pub const SESSIONS: u32 = 380;
    /// Six-digit DfE unique reference numbers.
    pub const URN: std::ops::RangeInclusive<u32> = 100_000..=999_999;
}

const NOT_A_URN: &str = "not a URN; a URN has six digits";

const LA_PREFIX_UNKNOWN: &str = "characters 2 to 4 of the UPN are not a local authority code fairpanel knows (GIAS's, or one replaced since 2009); check the UPN, which may be mistyped or issued under a pseudo-LA code";

/// The school census's SEN type codes (CBDS; dfe-formats.md §3).
/// The school census exclusion reason codes (dfe-formats.md §3: the list of 1 September 2020,
/// with the older PD and OT still found in records).
pub const EXCLUSION_REASONS: [&str; 31] = [
    "PP", "PA", "VP", "VA", "OW", "BU", "RA", "LG", "DS", "SM", "DA", "DM", "TH", "MT", "PH", "BW",
    "TB", "SB", "MB", "AB", "DR", "AR", "SR", "VR", "LD", "CB", "DB", "MP", "OS", "PD", "OT",
];

/// An exclusion's reason codes: at most three; an unknown code is kept, with a warning.
fn reason_codes(out: &mut Out, at: JsonPath, codes: &[String]) {
    if codes.len() > 3 {
        out.error(
            at.clone(),
            "more than three reasons; the school census records at most three per exclusion",
        );
    }
    for (r, code) in codes.iter().enumerate() {
        if !EXCLUSION_REASONS.contains(&code.as_str()) {
            out.warn(
                at.index(r),
                "not a school census exclusion reason code (e.g. PA, VP, OW, DB); the list changes, so it is kept: check it",
            );
        }
    }
}

pub const SEN_NEEDS: [&str; 14] = [
    "SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "DS", "OTH",
    "NSA",
];

pub fn check(c: &Caseload) -> Vec<Finding> {
    let mut out = Out(Vec::new());
    let root = JsonPath::root();
    if !reads_format(&c.format) {
        out.error(
            root.key("format"),
            format!("not a format this fairpanel reads; it reads {READS}: convert the file or use a newer fairpanel"),
        );
        return out.0;
    }
    let meeting = c.panel.meeting_date;
    let panel = root.key("panel");
    if !(100..=999).contains(&c.panel.la_code) {
        out.error(
            panel.key("la_code"),
            "not a DfE local authority code; write the three-digit code (e.g. 335)",
        );
    }

    let settings = &c.panel.settings;
    let sp = || panel.key("settings");
    if !(1..=MAX_AIM).contains(&settings.clock_school_days) {
        out.error(
            sp().key("clock_school_days"),
            format!("must be 1 to {MAX_AIM}: a place must be allocated within 20 school days (School Admissions Code 2021 3.21); a panel may set a shorter aim, never a longer one"),
        );
    }
    if !(1..=bounds::REVIEW_WEEKS).contains(&settings.review_weeks) {
        out.error(
            sp().key("review_weeks"),
            format!("must be 1 to {}: a placement is reviewed at least once a term; write the weeks to the first review", bounds::REVIEW_WEEKS),
        );
    }
    if let Some(per) = settings.fair_share_pan_per_placement
        && !(1..=bounds::PAN).contains(&per)
    {
        out.error(
            sp().key("fair_share_pan_per_placement"),
            format!(
                "must be 1 to {}: places of PAN per placement (e.g. 30); leave it out for no cap",
                bounds::PAN
            ),
        );
    }
    let q = &settings.quorum;
    if !(1..=bounds::QUORUM).contains(&q.min_present) {
        out.error(
            sp().key("quorum").key("min_present"),
            format!(
                "must be 1 to {}: the members who must be present to decide",
                bounds::QUORUM
            ),
        );
    }
    if q.min_can_decide > q.min_present {
        out.error(
            sp().key("quorum").key("min_can_decide"),
            "more than min_present; those who can decide are counted among those present",
        );
    }

    // Calendar.
    let cal_path = root.key("calendar");
    if c.calendar.terms.is_empty() {
        out.error(
            cal_path.key("terms"),
            "no term dates; add the LA's terms for the meeting's academic year",
        );
    }
    for (i, t) in c.calendar.terms.iter().enumerate() {
        if t.start > t.end {
            out.error(
                cal_path.key("terms").index(i),
                "term ends before it starts; swap or correct the dates",
            );
        }
        for (j, u) in c.calendar.terms.iter().enumerate().skip(i + 1) {
            if t.start <= u.end && u.start <= t.end {
                out.error(
                    cal_path.key("terms").index(j),
                    format!("overlaps calendar.terms[{i}]; terms must not share days"),
                );
            }
        }
    }
    let cal = SchoolCalendar::new(&c.calendar);
    for (i, cd) in c.calendar.closure_days.iter().enumerate() {
        if !c
            .calendar
            .terms
            .iter()
            .any(|t| t.start <= cd.date && cd.date <= t.end)
        {
            out.warn(
                cal_path.key("closure_days").index(i).key("date"),
                "falls outside every term, so it changes nothing; check the date",
            );
        }
    }
    for (i, j, days) in calendar::long_breaks(&c.calendar) {
        out.error(
            cal_path.key("terms").index(j).key("start"),
            format!(
                "starts {days} days after calendar.terms[{i}] ends: a break of more than three weeks outside the summer holiday looks like a missing term, which would count as holiday; add the missing term, or give this term `long_break_before` with the reason"
            ),
        );
    }
    if let Some(why) = cal.uncovered_because(meeting) {
        out.error(
            panel.key("meeting_date"),
            format!("outside the school calendar: {why}"),
        );
    }

    // Schools.
    let mut urns: HashMap<u32, usize> = HashMap::with_capacity(c.schools.len());
    for (i, s) in c.schools.iter().enumerate() {
        let p = move || JsonPath::root().key("schools").index(i);
        if !(100_000..=999_999).contains(&s.urn) {
            out.error(p().key("urn"), "not a URN; a URN has six digits");
        }
        if let Some(first) = urns.insert(s.urn, i) {
            out.error(
                p().key("urn"),
                format!("same URN as schools[{first}]; list each school once"),
            );
        }
        if s.low_age > s.high_age {
            out.error(
                p().key("low_age"),
                "low_age is above high_age; correct the age range",
            );
        }
        for (key, age) in [("low_age", s.low_age), ("high_age", s.high_age)] {
            if age > bounds::AGE {
                out.error(
                    p().key(key),
                    format!("above {}: no school teaches pupils that old; write the statutory age from GIAS", bounds::AGE),
                );
            }
        }
        if s.on_roll.is_some_and(|n| n > bounds::ON_ROLL) {
            out.error(
                p().key("on_roll"),
                format!(
                    "more than {}, more than any school has on roll; check the number",
                    bounds::ON_ROLL
                ),
            );
        }
        for (y, n) in &s.pan {
            if *n > bounds::PAN {
                out.error(
                    p().key("pan").key(&y.to_string()),
                    format!(
                        "more than {}: no year group is admitted at that many; check the PAN",
                        bounds::PAN
                    ),
                );
            }
        }
        if s.easting.is_some_and(|e| e > bounds::EASTING) {
            out.error(
                p().key("easting"),
                format!(
                    "more than {} metres, beyond the British National Grid; check it",
                    bounds::EASTING
                ),
            );
        }
        if s.northing.is_some_and(|n| n > bounds::NORTHING) {
            out.error(
                p().key("northing"),
                format!(
                    "more than {} metres, beyond the British National Grid; check it",
                    bounds::NORTHING
                ),
            );
        }
        for (j, y) in s.infant_classes_full.iter().enumerate() {
            if y.number() > 2 {
                out.warn(
                    p().key("infant_classes_full").index(j),
                    "not an infant year group (R, Y1 or Y2); the 30-pupil limit applies only to those, so this changes nothing",
                );
            }
        }
        if let Some(pp) = &s.prior_placements {
            if pp.as_of >= meeting {
                out.error(
                    p().key("prior_placements").key("as_of"),
                    "not before the meeting date; prior placements are counted up to a day before the meeting, so the log's own placements are never counted twice",
                );
            }
            let by = || p().key("prior_placements").key("by_year_group");
            for (y, n) in &pp.by_year_group {
                if *n > bounds::PAN {
                    out.error(
                        by().key(&y.to_string()),
                        format!("more than {}: more placements than any year group has pupils; check the count", bounds::PAN),
                    );
                }
            }
            let total: u64 = pp.by_year_group.values().map(|n| u64::from(*n)).sum();
            if let Some(roll) = s.on_roll
                && total > u64::from(roll)
            {
                out.error(
                    by(),
                    "more placements this year than pupils on roll (on_roll); check the counts",
                );
            }
        }
        for (j, ex) in s.exemptions.iter().enumerate() {
            let age = i32::from(ex.year_group.age_at_start());
            if age < i32::from(s.low_age) || age >= i32::from(s.high_age) {
                out.warn(
                    p().key("exemptions").index(j).key("year_group"),
                    "the school does not teach this year group; the exemption changes nothing",
                );
            }
        }
    }
    // Looked up several times per case: a sorted list beats hashing for a few hundred schools.
    let mut sorted_urns: Vec<u32> = urns.keys().copied().collect();
    sorted_urns.sort_unstable();
    let known = |urn: u32| sorted_urns.binary_search(&urn).is_ok();

    for (i, m) in c.panel.members.iter().enumerate() {
        if let Some(u) = m.urn
            && !known(u)
        {
            out.error(
                panel.key("members").index(i).key("urn"),
                "no school with this URN in `schools`; add the school or correct the URN",
            );
        }
    }
    for (i, b) in c.panel.settings.barred_schools.iter().enumerate() {
        if !known(b.urn) {
            out.error(
                panel
                    .key("settings")
                    .key("barred_schools")
                    .index(i)
                    .key("urn"),
                "no school with this URN in `schools`; add the school or correct the URN",
            );
        }
    }

    // Cases.
    let mut refs: HashMap<&str, usize> = HashMap::with_capacity(c.cases.len());
    for (i, case) in c.cases.iter().enumerate() {
        let p = move || JsonPath::root().key("cases").index(i);
        if case.reference.trim().is_empty() {
            out.error(
                p().key("ref"),
                "empty case reference; give every case a reference",
            );
        } else if let Some(first) = refs.insert(case.reference.as_str(), i) {
            out.error(
                p().key("ref"),
                format!("same reference as cases[{first}]; references must be unique"),
            );
        }
        check_case(case, &p, meeting, &cal, &known, &mut out);
    }

    // Places.
    for (i, prov) in c.places.iter().enumerate() {
        let p = move || JsonPath::root().key("places").index(i);
        match urns.get(&prov.urn).map(|j| &c.schools[*j]) {
            None => out.error(p().key("urn"), "no school with this URN in `schools`; add the provision or correct the URN"),
            Some(s) if !(s.ap || s.special || s.pru) => out.warn(
                p().key("urn"),
                "this school is not marked as AP, PRU or special; check the URN or the school's flags",
            ),
            Some(_) => {}
        }
        let by_year = prov
            .pools
            .iter()
            .any(|x| matches!(x.group, PoolGroup::Year(_)));
        let by_stage = prov
            .pools
            .iter()
            .any(|x| matches!(x.group, PoolGroup::Stage(_)));
        if by_year && by_stage {
            out.error(
                p().key("pools"),
                "mixes year groups and key stages; count one provision's places one way",
            );
        }
        let mut seen = HashSet::new();
        for (j, pool) in prov.pools.iter().enumerate() {
            let pp = move || p().key("pools").index(j);
            if !seen.insert(pool.group) {
                out.error(
                    pp().key("group"),
                    "this group is listed twice; merge the two pools",
                );
            }
            if pool.offered < 0 {
                out.error(
                    pp().key("offered"),
                    "negative; places offered must be 0 or more",
                );
            }
            if pool.used < 0 {
                out.error(pp().key("used"), "negative; places used must be 0 or more");
            }
            if pool.offered > i64::from(bounds::PAN) {
                out.error(
                    pp().key("offered"),
                    format!(
                        "more than {} places in one pool; check the count",
                        bounds::PAN
                    ),
                );
            }
            if pool.used > pool.offered && pool.offered >= 0 {
                out.error(
                    pp().key("used"),
                    "more places used than offered; correct either count",
                );
            }
        }
    }
    out.0
}

fn check_case(
    case: &Case,
    p: &dyn Fn() -> JsonPath,
    meeting: crate::domain::dates::Date,
    cal: &SchoolCalendar,
    known: &dyn Fn(u32) -> bool,
    out: &mut Out,
) {
    let unknown_school = "no school with this URN in `schools`";
    let urn_ok = |urn: u32| bounds::URN.contains(&urn);
    if case.referral_date > meeting {
        out.error(
            p().key("referral_date"),
            "after the meeting date; a case is referred before the meeting that hears it",
        );
    }
    if let Some(a) = case.fap_agreed_date {
        if a > meeting {
            out.error(
                p().key("fap_agreed_date"),
                "after the meeting date; correct it or leave it out until the panel agrees",
            );
        }
        if a < case.referral_date {
            out.error(p().key("fap_agreed_date"), "before the referral date; the panel agrees to consider a case after it is referred");
        }
        if let Some(why) = cal.uncovered_because(a) {
            out.error(
                p().key("fap_agreed_date"),
                format!("outside the school calendar, so the 20-school-day clock cannot be counted from it: {why}"),
            );
        }
    }
    if case.status == Status::Pex
        && let Some((j, x)) = case
            .pex_history
            .iter()
            .enumerate()
            .filter(|(_, x)| !x.reinstated)
            .max_by_key(|(_, x)| x.date)
        && x.date <= meeting
        && let Some(why) = cal.uncovered_because(x.date)
    {
        out.error(
            p().key("pex_history").index(j).key("date"),
            format!("outside the school calendar, so the sixth school day of the exclusion cannot be counted: {why}"),
        );
    }
    if let Some(u) = case.referrer.urn
        && !urn_ok(u)
    {
        out.error(p().key("referrer").key("urn"), NOT_A_URN);
    }
    let pupil = || p().key("pupil");
    let dob = case.pupil.date_of_birth;
    if dob > meeting {
        out.error(
            pupil().key("date_of_birth"),
            "in the future; check the date of birth",
        );
    } else {
        let age = dob.age_on(meeting);
        if !(MIN_AGE..=MAX_AGE).contains(&age) {
            out.error(
                pupil().key("date_of_birth"),
                format!("gives an age outside {MIN_AGE}–{MAX_AGE} on the meeting date; check the date of birth"),
            );
        } else if let Some(stated) = case.pupil.year_group
            && YearGroup::on(dob, meeting) != Some(stated)
        {
            out.warn(
                pupil().key("year_group"),
                "differs from the year group the date of birth gives on the meeting date (31 August rule); check both, or note that the child is taught out of year group",
            );
        }
    }
    if let Some(upn) = &case.pupil.upn {
        match upn::check_upn(upn) {
            Err(e) => out.error(pupil().key("upn"), e.message()),
            Ok(()) => {
                if !upn::la_prefix(upn).is_some_and(upn::known_la) {
                    out.warn(pupil().key("upn"), LA_PREFIX_UNKNOWN);
                }
            }
        }
    }
    if let Some(uln) = &case.pupil.uln
        && let Err(e) = upn::check_uln(uln)
    {
        out.error(pupil().key("uln"), e.message());
    }
    if let Some(need) = &case.pupil.sen_need
        && !SEN_NEEDS.contains(&need.as_str())
    {
        out.warn(
            pupil().key("sen_need"),
            format!(
                "not a school census SEN type code; write one of {}, or leave it out",
                SEN_NEEDS.join(", ")
            ),
        );
    }
    if let Some(a) = &case.attendance {
        let ap = || p().key("attendance");
        if a.sessions_possible > bounds::SESSIONS {
            out.error(
                ap().key("sessions_possible"),
                format!(
                    "more than {} sessions, more than a school year has; check the number",
                    bounds::SESSIONS
                ),
            );
        }
        if a.sessions_attended > a.sessions_possible {
            out.error(
                ap().key("sessions_attended"),
                "more sessions attended than possible; check both numbers",
            );
        }
        if !(2000..=2100).contains(&a.year) {
            out.error(
                ap().key("year"),
                "not an academic year; write the year it starts in, e.g. 2025 for 2025/26",
            );
        }
    }
    if case.pupil.sen == Sen::Ehcp
        && case
            .categories
            .iter()
            .any(|c| c.code == super::model::Category::E)
    {
        out.warn(
            p().key("categories"),
            "category (e) is SEN without an EHC plan, but the pupil has one; the EHC plan route applies (School Admissions Code 2021 3.17(e))",
        );
    }
    // Categories seen so far, one bit each (a set without an allocation per case).
    let mut cats: u16 = 0;
    for (j, cc) in case.categories.iter().enumerate() {
        let bit = 1u16 << (cc.code as u8);
        let repeated = cats & bit != 0;
        cats |= bit;
        if repeated {
            out.warn(
                p().key("categories").index(j).key("code"),
                "category listed twice; list it once",
            );
        }
        if cc.evidence.trim().is_empty() {
            out.warn(
                p().key("categories").index(j).key("evidence"),
                "no evidence given; say what shows the child is in this category",
            );
        }
    }
    for (j, app) in case.in_year_apps.iter().enumerate() {
        let ap = move || p().key("in_year_apps").index(j);
        if app.date > meeting {
            out.error(ap().key("date"), "after the meeting date; correct the date");
        }
        if !urn_ok(app.urn) {
            out.error(ap().key("urn"), NOT_A_URN);
        } else if !known(app.urn) {
            out.warn(
                ap().key("urn"),
                format!("{unknown_school}; fine for a school outside the LA"),
            );
        }
    }
    for (j, a) in case.schools_attended.iter().enumerate() {
        if a.urn.is_some_and(|u| !urn_ok(u)) {
            out.error(p().key("schools_attended").index(j).key("urn"), NOT_A_URN);
        }
        if let Some(to) = a.to
            && to < a.from
        {
            out.error(
                p().key("schools_attended").index(j).key("to"),
                "before `from`; correct the dates",
            );
        }
    }
    for (j, x) in case.pex_history.iter().enumerate() {
        let xp = move || p().key("pex_history").index(j);
        if x.date > meeting {
            out.error(xp().key("date"), "after the meeting date; correct the date");
        }
        reason_codes(out, xp().key("reasons"), &x.reasons);
        if !urn_ok(x.urn) {
            out.error(xp().key("urn"), NOT_A_URN);
        } else if !known(x.urn) {
            out.warn(
                xp().key("urn"),
                format!("{unknown_school}; fine for a school outside the LA"),
            );
        }
    }
    for (j, s) in case.suspensions.iter().enumerate() {
        let sp = move || p().key("suspensions").index(j);
        reason_codes(out, sp().key("reasons"), &s.reasons);
        if !urn_ok(s.urn) {
            out.error(sp().key("urn"), NOT_A_URN);
        }
        if s.days > bounds::SCHOOL_YEAR_DAYS {
            out.error(
                sp().key("days"),
                format!(
                    "more than {} school days, longer than a school year; check the number",
                    bounds::SCHOOL_YEAR_DAYS
                ),
            );
        } else if s.days > bounds::SUSPENSION_DAYS {
            out.warn(
                sp().key("days"),
                "more than 45 school days, the most a pupil can be suspended in a school year (EXC24); check it",
            );
        }
    }
    if let Some(o) = case.out_since
        && o > meeting
    {
        out.error(
            p().key("out_since"),
            "after the meeting date; correct the date",
        );
    }
    for (j, u) in case.preferences.iter().enumerate() {
        if !urn_ok(*u) {
            out.error(p().key("preferences").index(j), NOT_A_URN);
        } else if !known(*u) {
            out.warn(
                p().key("preferences").index(j),
                format!("{unknown_school}; fine for a school outside the LA"),
            );
        }
    }
    if let Some(u) = case.proposed_school
        && !known(u)
    {
        out.error(
            p().key("proposed_school"),
            format!("{unknown_school}; add the school or correct the URN"),
        );
    }
    let home = [
        ("home_easting", case.pupil.home_easting, bounds::EASTING),
        ("home_northing", case.pupil.home_northing, bounds::NORTHING),
    ];
    for (key, v, max) in home {
        if v.is_some_and(|v| v > max) {
            out.error(
                pupil().key(key),
                format!("more than {max} metres, beyond the British National Grid; check it"),
            );
        }
    }
    if let Some(consent) = &case.consent {
        if case.kind != CaseKind::ManagedMove {
            out.warn(
                p().key("consent"),
                "consent is recorded for managed moves only; it changes nothing for this kind of case",
            );
        }
        for (key, d) in [
            ("parent", consent.parent),
            ("home_school", consent.home_school),
            ("host_school", consent.host_school),
        ] {
            if d.is_some_and(|d| d > meeting) {
                out.error(
                    p().key("consent").key(key),
                    "after the meeting date; consent is recorded once it is given",
                );
            }
        }
    }
}
