//! The law at the edges (issue 11): every rule right for every kind of case. Table-driven; each
//! row names the source it proves (statute, Code paragraph, guidance or "panel protocol").
//! Decisions go through `Meeting::check`, the one call the screen and `fairpanel record` share;
//! caseloads through the loader, as `fairpanel check` reads them.

use fairpanel::domain::caseload::{
    AppOutcome, Case, Caseload, Category, CategoryClaim, Consent, Gender, InYearApp, Pex, Status,
};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome, Proposal, When};
use fairpanel::domain::meeting::Meeting;
use fairpanel::domain::rules::{self, Hit, Severity};
use fairpanel::domain::tally;
use fairpanel::domain::view::ClockState;
use fairpanel::domain::year_group::YearGroup;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use serde_json::{Value, json};

const POOL_HAYES: u32 = 142594; // mixed 11–18, PAN 210
const QM_HIGH: u32 = 136777; // girls, selective
const SHEPWELL: u32 = 131619; // PRU 11–16, sex admitted unknown, conditions, KS3 2 free, KS4 2 free
const NEW_LEAF: u32 = 151297; // AP, KS4 full
const CASTLEFORT: u32 = 104204; // mixed primary 3–11
const SHELFIELD: u32 = 135769; // MM-2026-001's proposed host
const FA: &str = "FA-2026-003"; // eligible under (b), Y10 girl, two in-year applications
const MM: &str = "MM-2026-001";
const AP: &str = "AP-2026-001"; // permanently excluded, Y10, no in-year applications

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn plus(s: &str, days: i64) -> Date {
    Date(d(s).0 + chrono::Duration::days(days))
}

fn demo() -> Caseload {
    caseload::parse(DEMO_CASELOAD).unwrap().caseload
}

fn case_mut<'a>(c: &'a mut Caseload, r: &str) -> &'a mut Case {
    c.cases.iter_mut().find(|k| k.reference == r).unwrap()
}

fn claims(codes: &[Category]) -> Vec<CategoryClaim> {
    codes
        .iter()
        .map(|code| CategoryClaim {
            code: *code,
            evidence: "Agency letter".into(),
        })
        .collect()
}

/// A decision with everything the form fills in: two deciders agree, a start, a review six
/// weeks on, reasons and a package.
fn dec(c: &Caseload, r: &str, outcome: Outcome, urn: Option<u32>, start: &str) -> Decision {
    Decision {
        urn,
        start_date: Some(d(start)),
        review_date: Some(plus(start, 42)),
        reasons: "Agreed by the panel after discussion".into(),
        package: Some("Full-time from the start date; transport arranged".into()),
        agreed_by: c
            .panel
            .members
            .iter()
            .filter(|m| m.can_decide)
            .take(2)
            .map(|m| m.name.clone())
            .collect(),
        ..Decision::new(r, outcome)
    }
}

/// The rules' verdict on a decision taken on `on`, as `fairpanel record --as-of` takes it (the
/// screen's is the same call at the meeting, plus quorum).
fn judge(c: &Caseload, d: Decision, on: &str) -> Vec<Hit> {
    let m = Meeting::new(c.clone(), &[]);
    let p = m.prepare(Proposal {
        event: Event::Decision(d),
        correction: None,
        when: When::Between(self::d(on)),
    });
    m.check(&p)
}

fn named(h: &[Hit], sev: Severity, among: &[&str]) -> Vec<&'static str> {
    let mut v: Vec<&str> = h
        .iter()
        .filter(|x| x.rule.severity == sev && among.contains(&x.rule.name))
        .map(|x| x.rule.name)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn all_names(h: &[Hit]) -> Vec<&'static str> {
    h.iter().map(|x| x.rule.name).collect()
}

/// Expected findings among a set of rules: refused, needs a reason, warned.
struct Want {
    refused: &'static [&'static str],
    needs: &'static [&'static str],
    warned: &'static [&'static str],
}

const NONE: Want = Want {
    refused: &[],
    needs: &[],
    warned: &[],
};

fn assert_want(row: &str, h: &[Hit], among: &[&str], w: &Want) {
    let sorted = |v: &[&'static str]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v
    };
    assert_eq!(
        named(h, Severity::Refuse, among),
        sorted(w.refused),
        "{row}: refused\n{h:#?}"
    );
    assert_eq!(
        named(h, Severity::NeedsReason, among),
        sorted(w.needs),
        "{row}: needs a reason\n{h:#?}"
    );
    assert_eq!(
        named(h, Severity::Warn, among),
        sorted(w.warned),
        "{row}: warned\n{h:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// §1 Each case kind has its own rules.

/// domain.md §6 Scope; panel protocol: which outcomes each kind of case can have.
#[test]
fn each_case_kind_has_its_own_outcomes() {
    use Outcome::*;
    // (outcome, Fair Access referral, managed move, place request)
    let table = [
        (AllocateSchool, true, false, false),
        (AllocateApInterim, true, false, true),
        (ManagedMoveAgreed, false, true, false),
        (DeferMoreInfo, true, true, true),
        (NotEligibleInYear, true, false, false),
        (RedirectEhcp, true, true, true),
        (RedirectLac, true, true, true),
        (Withdrawn, true, true, true),
        (RefusedEscalateDirection, true, false, false),
        (ReviewConfirmed, true, true, true),
        (ReviewExtended, true, true, true),
        (ReviewReintegrated, true, true, true),
        (ReviewMadePermanent, false, true, false),
        (ReviewEnded, true, true, true),
        (ReviewBreakdown, true, true, true),
    ];
    assert_eq!(table.len(), Outcome::ALL.len(), "every outcome has a row");
    let c = demo();
    for (outcome, fa, mm, ap) in table {
        for (case_ref, allowed) in [(FA, fa), (MM, mm), (AP, ap)] {
            let h = judge(
                &c,
                dec(&c, case_ref, outcome, None, "2026-03-16"),
                "2026-03-12",
            );
            assert_eq!(
                !all_names(&h).contains(&"outcome-for-case-kind"),
                allowed,
                "{} for {case_ref}: {h:#?}",
                outcome.as_str()
            );
        }
    }
}

/// The Fair Access gates (School Admissions Code 2021 3.17; domain.md §6 Scope) apply to Fair
/// Access referrals only, whatever the outcome; AP requests and managed moves get their own.
#[test]
fn fair_access_gates_apply_to_fair_access_referrals_only() {
    let gates = [
        "ehcp-route",
        "lac-route",
        "not-unplaced",
        "no-category",
        "no-category-holds",
        "no-in-year-attempt",
        "plac-only-under-m",
    ];
    let c = demo();
    // An AP place for a permanently excluded pupil with no in-year application and no
    // in-year route: recorded (it was refused no-in-year-attempt).
    let ap = dec(
        &c,
        AP,
        Outcome::AllocateApInterim,
        Some(SHEPWELL),
        "2026-03-16",
    );
    let h = judge(&c, ap, "2026-03-12");
    assert!(named(&h, Severity::Refuse, &gates).is_empty(), "{h:#?}");
    assert!(
        h.iter().all(|x| x.rule.severity != Severity::Refuse),
        "{h:#?}"
    );
    // A place request on roll, with no category at all.
    let ap2 = dec(
        &c,
        "AP-2026-002",
        Outcome::AllocateApInterim,
        Some(SHEPWELL),
        "2026-03-16",
    );
    let h = judge(&c, ap2, "2026-03-12");
    assert!(
        h.iter().all(|x| x.rule.severity != Severity::Refuse),
        "{h:#?}"
    );
    // A managed move, on roll by nature, with no category: recorded.
    let mm = dec(
        &c,
        MM,
        Outcome::ManagedMoveAgreed,
        Some(SHELFIELD),
        "2026-03-16",
    );
    let h = judge(&c, mm, "2026-03-12");
    assert!(
        h.iter().all(|x| x.rule.severity != Severity::Refuse),
        "{h:#?}"
    );
    // The same gates do apply to a Fair Access referral.
    let mut c2 = c.clone();
    case_mut(&mut c2, FA).status = Status::OnRoll;
    let h = judge(
        &c2,
        dec(
            &c2,
            FA,
            Outcome::AllocateApInterim,
            Some(SHEPWELL),
            "2026-03-16",
        ),
        "2026-03-12",
    );
    assert_eq!(named(&h, Severity::Refuse, &gates), ["not-unplaced"]);
}

/// What the detail pane shows and what a decision checks come from one function: a refusal
/// about the case itself (knowable before any form opens) is always already in the pane.
#[test]
fn the_detail_pane_already_shows_every_refusal_about_the_case_itself() {
    let knowable = [
        "ehcp-route",
        "lac-route",
        "plac-only-under-m",
        "plac-locally-excluded",
        "not-unplaced",
        "no-category",
        "no-category-holds",
        "no-in-year-attempt",
        "managed-move-consent",
        "managed-move-host",
    ];
    let mut c = demo();
    // Variants the demo lacks: a Fair Access referral on roll, one whose only claim fails.
    case_mut(&mut c, "FA-2026-008").status = Status::OnRoll;
    case_mut(&mut c, "FA-2026-011").out_since = Some(d("2026-03-01"));
    let m = Meeting::new(c.clone(), &[]);
    let mut refusals_seen = 0;
    for (i, case) in c.cases.iter().enumerate() {
        let pane: Vec<&str> = all_names(&m.working(i).checks);
        let suggestion = m.working(i).suggestions.first().map(|s| s.school.urn);
        for outcome in Outcome::ALL {
            if !rules::allows(case.kind, outcome) {
                continue;
            }
            let urn = match outcome {
                Outcome::AllocateApInterim => Some(SHEPWELL),
                Outcome::ManagedMoveAgreed => case.proposed_school,
                _ => suggestion.or(Some(POOL_HAYES)),
            };
            let h = judge(
                &c,
                dec(&c, &case.reference, outcome, urn, "2026-03-16"),
                "2026-03-12",
            );
            for name in named(&h, Severity::Refuse, &knowable) {
                refusals_seen += 1;
                assert!(
                    pane.contains(&name),
                    "{} {}: refused {name}, but the pane shows {pane:?}",
                    case.reference,
                    outcome.as_str()
                );
            }
        }
    }
    assert!(refusals_seen > 10, "the table exercises refusals");
    // The demo's managed move with no host consent shows it before any form.
    let i = m.case_index("MM-2026-003").unwrap();
    assert!(all_names(&m.working(i).checks).contains(&"managed-move-consent"));
}

// ---------------------------------------------------------------------------------------------
// §2 Eligibility, claim by claim.

const ELIGIBILITY: [&str; 14] = [
    "ehcp-route",
    "lac-route",
    "plac-only-under-m",
    "plac-locally-excluded",
    "not-unplaced",
    "offer-outstanding",
    "no-category",
    "no-category-holds",
    "no-in-year-attempt",
    "cin-cp-lapsed",
    "not-out-four-weeks",
    "declined-offer",
    "declined-offer-other-category",
    "category-m-not-plac",
];

struct EligRow {
    source: &'static str,
    what: &'static str,
    edit: fn(&mut Caseload, &mut Case),
    /// The decision date (between meetings); the place starts four days later.
    on: &'static str,
    want: Want,
}

fn app(date: &str, outcome: AppOutcome) -> InYearApp {
    InYearApp {
        urn: POOL_HAYES,
        date: d(date),
        outcome,
    }
}

#[test]
fn eligibility_is_judged_claim_by_claim() {
    use Category::*;
    let rows = [
        EligRow {
            source: "School Admissions Code 2021 3.17",
            what: "(a) holds, (l) at 18 days out does not: eligible, (l) warned",
            edit: |_, k| {
                k.categories = claims(&[A, L]);
                k.out_since = Some(d("2026-02-22"));
            },
            on: "2026-03-12",
            want: Want {
                warned: &["not-out-four-weeks"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(l)",
            what: "(l) alone at 18 days out: refused, and why",
            edit: |_, k| {
                k.categories = claims(&[L]);
                k.out_since = Some(d("2026-02-22"));
            },
            on: "2026-03-12",
            want: Want {
                refused: &["no-category-holds"],
                warned: &["not-out-four-weeks"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(l)",
            what: "(l) four weeks out counted at the decision date, not the referral",
            edit: |_, k| {
                k.categories = claims(&[L]);
                k.out_since = Some(d("2026-02-20"));
            },
            on: "2026-03-20",
            want: NONE,
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(l)",
            what: "(l) one day short of four weeks at the decision date",
            edit: |_, k| {
                k.categories = claims(&[L]);
                k.out_since = Some(d("2026-02-21"));
            },
            on: "2026-03-20",
            want: Want {
                refused: &["no-category-holds"],
                warned: &["not-out-four-weeks"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(l)",
            what: "(l) with an offer declined before the child left education: not counted",
            edit: |_, k| {
                k.categories = claims(&[L]);
                k.out_since = Some(d("2026-01-05"));
                k.in_year_apps
                    .push(app("2025-12-01", AppOutcome::DeclinedByParent));
            },
            on: "2026-03-12",
            want: NONE,
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(l)",
            what: "(l) with an offer declined since: the panel's judgement, a reason not a refusal",
            edit: |_, k| {
                k.categories = claims(&[L]);
                k.out_since = Some(d("2026-01-05"));
                k.in_year_apps
                    .push(app("2026-02-01", AppOutcome::DeclinedByParent));
            },
            on: "2026-03-12",
            want: Want {
                needs: &["declined-offer"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(l)",
            what: "(l) with a declined offer, but (g) holds: noted only",
            edit: |_, k| {
                k.categories = claims(&[G, L]);
                k.out_since = Some(d("2026-01-05"));
                k.in_year_apps
                    .push(app("2026-02-01", AppOutcome::DeclinedByParent));
            },
            on: "2026-03-12",
            want: Want {
                warned: &["declined-offer-other-category"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(a)",
            what: "(a) plan ended exactly 12 calendar months before referral, across 29 Feb",
            edit: |_, k| {
                k.categories = claims(&[A]);
                k.referral_date = d("2024-03-01");
                k.cin_cp_end = Some(d("2023-03-01"));
            },
            on: "2026-03-12",
            want: NONE,
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(a)",
            what: "(a) plan ended 12 calendar months and a day before referral",
            edit: |_, k| {
                k.categories = claims(&[A]);
                k.referral_date = d("2024-03-01");
                k.cin_cp_end = Some(d("2023-02-28"));
            },
            on: "2026-03-12",
            want: Want {
                refused: &["no-category-holds"],
                warned: &["cin-cp-lapsed"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17 (domain.md §6 rule 2 as corrected)",
            what: "previously looked after, under (b): eligible, not limited to (m)",
            edit: |_, k| k.pupil.plac = true,
            on: "2026-03-12",
            want: NONE,
        },
        EligRow {
            source: "panel protocol (plac_only_under_m)",
            what: "previously looked after, panel limits them to (m)",
            edit: |c, k| {
                k.pupil.plac = true;
                c.panel.settings.plac_only_under_m = true;
            },
            on: "2026-03-12",
            want: Want {
                refused: &["plac-only-under-m"],
                ..NONE
            },
        },
        EligRow {
            source: "panel protocol (excluded_groups)",
            what: "previously looked after, LA places them outside Fair Access",
            edit: |c, k| {
                k.pupil.plac = true;
                c.panel.settings.excluded_groups =
                    vec![fairpanel::domain::caseload::LocalGroup::Plac];
            },
            on: "2026-03-12",
            want: Want {
                refused: &["plac-locally-excluded"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17(m)",
            what: "(m) for a child not previously looked after",
            edit: |_, k| k.categories = claims(&[M]),
            on: "2026-03-12",
            want: Want {
                refused: &["no-category-holds"],
                warned: &["category-m-not-plac"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17 (gate 1)",
            what: "on a school roll: not unplaced",
            edit: |_, k| k.status = Status::OnRoll,
            on: "2026-03-12",
            want: Want {
                refused: &["not-unplaced"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17 (gate 1)",
            what: "a place offered and not declined: is it a reasonable offer?",
            edit: |_, k| k.in_year_apps.push(app("2026-02-20", AppOutcome::Offered)),
            on: "2026-03-12",
            want: Want {
                needs: &["offer-outstanding"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17, fn 80 (gate 2)",
            what: "only pending applications: no failed attempt shown",
            edit: |_, k| k.in_year_apps = vec![app("2026-03-02", AppOutcome::Pending)],
            on: "2026-03-12",
            want: Want {
                refused: &["no-in-year-attempt"],
                ..NONE
            },
        },
        EligRow {
            source: "School Admissions Code 2021 3.17, fn 80 (gate 2)",
            what: "under (k) no in-year attempt is needed",
            edit: |_, k| {
                k.categories = claims(&[K]);
                k.in_year_apps.clear();
            },
            on: "2026-03-12",
            want: NONE,
        },
        EligRow {
            source: "School Admissions Code 2021 3.17 (gate 3)",
            what: "no category claimed",
            edit: |_, k| k.categories.clear(),
            on: "2026-03-12",
            want: Want {
                refused: &["no-category"],
                ..NONE
            },
        },
    ];
    for row in rows {
        let mut c = demo();
        let mut k = case_mut(&mut c, FA).clone();
        (row.edit)(&mut c, &mut k);
        *case_mut(&mut c, FA) = k;
        let start = plus(row.on, 4).to_string();
        let h = judge(
            &c,
            dec(&c, FA, Outcome::AllocateSchool, Some(POOL_HAYES), &start),
            row.on,
        );
        assert_want(
            &format!("{} — {}", row.source, row.what),
            &h,
            &ELIGIBILITY,
            &row.want,
        );
        // The minutes' eligibility field is this function's refusals on the meeting date.
        if row.on == "2026-03-12" {
            let mut e = Vec::new();
            let k = c.cases.iter().find(|k| k.reference == FA).unwrap();
            rules::eligibility(&c, k, &mut e);
            assert_eq!(
                named(&e, Severity::Refuse, &ELIGIBILITY),
                named(&h, Severity::Refuse, &ELIGIBILITY),
                "{}: minutes and decision agree",
                row.what
            );
        }
    }
}

/// School Admissions Code 2021 3.17(l): "under 4 weeks" and "declined an offer" are told apart.
#[test]
fn under_four_weeks_and_a_declined_offer_say_different_things() {
    let (a, b) = (&rules::NOT_OUT_FOUR_WEEKS, &rules::DECLINED_OFFER);
    assert!(a.summary.contains("under 4 weeks") && !a.summary.contains("declined"));
    assert!(b.summary.contains("declined") && !b.summary.contains("under 4 weeks"));
    assert_ne!(a.severity, Severity::Refuse);
    assert_eq!(b.severity, Severity::NeedsReason);
}

// ---------------------------------------------------------------------------------------------
// §3 Fit, always.

const FIT: [&str; 8] = [
    "no-year-group",
    "age-range",
    "single-sex",
    "sex-admitted-unknown",
    "direction-to-grammar",
    "allocation-to-grammar",
    "direction-infant-class-30",
    "infant-class-30",
];

struct FitRow {
    source: &'static str,
    what: &'static str,
    edit: fn(&mut Caseload, &mut Case),
    outcome: Outcome,
    urn: u32,
    want: Want,
}

/// A Y1 child (born 1 Oct 2019) and Castlefort's Y1 classes at 30.
fn infant(c: &mut Caseload, k: &mut Case) {
    k.pupil.date_of_birth = d("2019-10-01");
    let s = c.schools.iter_mut().find(|s| s.urn == CASTLEFORT).unwrap();
    s.infant_classes_full = vec![YearGroup::new(1).unwrap()];
}

#[test]
fn fit_is_always_checked() {
    use Outcome::*;
    let rows = [
        FitRow {
            source: "school year groups R–Y13 (31 August rule)",
            what: "below Reception on the start date: refused, never skipped",
            edit: |_, k| k.pupil.date_of_birth = d("2021-10-01"),
            outcome: AllocateSchool,
            urn: CASTLEFORT,
            want: Want {
                refused: &["no-year-group"],
                ..NONE
            },
        },
        FitRow {
            source: "school year groups R–Y13 (31 August rule)",
            what: "past Year 13 on the start date",
            edit: |_, k| k.pupil.date_of_birth = d("2006-10-01"),
            outcome: AllocateSchool,
            urn: POOL_HAYES,
            want: Want {
                refused: &["no-year-group"],
                ..NONE
            },
        },
        FitRow {
            source: "school year groups R–Y13 (31 August rule)",
            what: "a direction for a child with no year group",
            edit: |_, k| k.pupil.date_of_birth = d("2006-10-01"),
            outcome: RefusedEscalateDirection,
            urn: POOL_HAYES,
            want: Want {
                refused: &["no-year-group"],
                ..NONE
            },
        },
        FitRow {
            source: "panel protocol (as SSFA 1998 s96(3A))",
            what: "allocation to a grammar school: a recorded reason, not silence",
            edit: |_, _| {},
            outcome: AllocateSchool,
            urn: QM_HIGH,
            want: Want {
                needs: &["allocation-to-grammar"],
                ..NONE
            },
        },
        FitRow {
            source: "SSFA 1998 s96(3A)",
            what: "direction to a grammar school: a recorded reason, never an outright refusal",
            edit: |_, _| {},
            outcome: RefusedEscalateDirection,
            urn: QM_HIGH,
            want: Want {
                needs: &["direction-to-grammar"],
                ..NONE
            },
        },
        FitRow {
            source: "SSFA 1998 s96(4); SI 2012/10 Sch",
            what: "direction into a full infant class: refused",
            edit: infant,
            outcome: RefusedEscalateDirection,
            urn: CASTLEFORT,
            want: Want {
                refused: &["direction-infant-class-30"],
                ..NONE
            },
        },
        FitRow {
            source: "SI 2012/10 Sch (excepted pupils)",
            what: "direction into a full infant class for a previously looked-after child",
            edit: |c, k| {
                infant(c, k);
                k.pupil.plac = true;
            },
            outcome: RefusedEscalateDirection,
            urn: CASTLEFORT,
            want: NONE,
        },
        FitRow {
            source: "SI 2012/10 Sch (excepted pupils)",
            what: "direction into a full infant class with another exception recorded",
            edit: |c, k| {
                infant(c, k);
                k.infant_class_exception = Some(
                    "Moved into the area outside the normal round; no other school within reasonable distance (LA letter 2 Mar)".into(),
                );
            },
            outcome: RefusedEscalateDirection,
            urn: CASTLEFORT,
            want: NONE,
        },
        FitRow {
            source: "School Admissions (Infant Class Sizes) (England) Regulations 2012",
            what: "allocation into a full infant class: warned",
            edit: infant,
            outcome: AllocateSchool,
            urn: CASTLEFORT,
            want: Want {
                warned: &["infant-class-30"],
                ..NONE
            },
        },
        FitRow {
            source: "Equality Act 2010 Sch 11 para 1",
            what: "AP provision with sex admitted blank in GIAS: not flagged on the decision",
            edit: |_, _| {},
            outcome: AllocateApInterim,
            urn: SHEPWELL,
            want: NONE,
        },
        FitRow {
            source: "Equality Act 2010 Sch 11 para 1",
            what: "mainstream school with sex admitted unknown: still flagged",
            edit: |c, _| {
                c.schools
                    .iter_mut()
                    .find(|s| s.urn == POOL_HAYES)
                    .unwrap()
                    .gender = Gender::Unknown
            },
            outcome: AllocateSchool,
            urn: POOL_HAYES,
            want: Want {
                warned: &["sex-admitted-unknown"],
                ..NONE
            },
        },
    ];
    for row in rows {
        let mut c = demo();
        let mut k = case_mut(&mut c, FA).clone();
        (row.edit)(&mut c, &mut k);
        *case_mut(&mut c, FA) = k;
        let h = judge(
            &c,
            dec(&c, FA, row.outcome, Some(row.urn), "2026-03-16"),
            "2026-03-12",
        );
        assert_want(
            &format!("{} — {}", row.source, row.what),
            &h,
            &FIT,
            &row.want,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// §4 Clocks and counts.

/// The day on which the meeting (12 Mar 2026) is school day `n` of a case's clock.
fn agreed_for_day(c: &Caseload, n: i64) -> Date {
    let cal = fairpanel::domain::calendar::SchoolCalendar::new(&c.calendar);
    let meeting = c.panel.meeting_date;
    (1..200)
        .map(|back| Date(meeting.0 - chrono::Duration::days(back)))
        .find(|a| cal.school_days_between(*a, meeting) == Some(n) && cal.is_school_day(*a))
        .unwrap()
}

/// School Admissions Code 2021 3.21: a place must be allocated within 20 school days. Day 20 is
/// on time; overdue from day 21, alike in the view (queue, status line, minutes) and the checks.
#[test]
fn day_20_is_on_time_and_overdue_starts_on_day_21() {
    // (school day on the meeting date, clock state, overdue by, check fired)
    let table = [
        (14, ClockState::OnTime, None, None),
        (15, ClockState::DueSoon, None, Some("clock-15-days")),
        (20, ClockState::DueSoon, None, Some("clock-15-days")),
        (21, ClockState::Overdue, Some(1), Some("clock-breach")),
    ];
    for (day, state, over, check) in table {
        let mut c = demo();
        let agreed = agreed_for_day(&c, day);
        case_mut(&mut c, FA).fap_agreed_date = Some(agreed);
        let m = Meeting::new(c.clone(), &[]);
        let i = m.case_index(FA).unwrap();
        let f = m.facts(i).unwrap();
        assert_eq!(f.clock.since_agreed, Some(day));
        assert_eq!(f.clock_state(), state, "day {day}");
        assert_eq!(
            f.clock.overdue_by(),
            over,
            "day {day}: never 'overdue by 0'"
        );
        let working = m.working(i);
        let clock_hits: Vec<&Hit> = working
            .checks
            .iter()
            .filter(|h| h.rule.name.starts_with("clock"))
            .collect();
        assert_eq!(
            clock_hits.iter().map(|h| h.rule.name).collect::<Vec<_>>(),
            check.into_iter().collect::<Vec<_>>(),
            "day {day}"
        );
        if day == 20 {
            assert!(
                clock_hits[0].detail.contains("must be allocated today"),
                "{}",
                clock_hits[0].detail
            );
        }
    }
    // The demo's own overdue count is the cases past day 20, not at it.
    let c = demo();
    let m = Meeting::new(c.clone(), &[]);
    let past_20 = (0..c.cases.len())
        .filter(|i| {
            m.facts(*i)
                .and_then(|f| f.clock.since_agreed.filter(|_| f.standing.is_open()))
                .is_some_and(|s| s > 20)
        })
        .count();
    assert_eq!(m.summary().overdue, past_20);
}

/// School Admissions Code 2021 3.21: a placement decided on school day 20 is on time; on day 21
/// it is a breach to minute.
#[test]
fn a_place_allocated_on_day_20_is_on_time() {
    let c0 = demo();
    let cal = fairpanel::domain::calendar::SchoolCalendar::new(&c0.calendar);
    let agreed = d("2026-02-11"); // FA-2026-003's agreed date
    let day20 = cal.nth_school_day_after(agreed, 20).unwrap();
    let day21 = cal.nth_school_day_after(agreed, 21).unwrap();
    for (on, breach) in [(day20, false), (day21, true)] {
        let start = plus(&on.to_string(), 4).to_string();
        let h = judge(
            &c0,
            dec(&c0, FA, Outcome::AllocateSchool, Some(POOL_HAYES), &start),
            &on.to_string(),
        );
        assert_eq!(
            all_names(&h).contains(&"clock-breach"),
            breach,
            "{on}: {h:#?}"
        );
    }
}

/// The sixth-day duty (DfE exclusion guidance): `pex_history[].date` is the first day of the
/// exclusion, day 1; provision is due from day 6. Both boundaries.
#[test]
fn the_sixth_day_is_counted_from_the_first_day_of_exclusion() {
    // (first day of exclusion, decided on, start, warned)
    let table = [
        ("2026-02-23", "2026-02-25", "2026-03-02", false), // Mon 23 Feb day 1 … Mon 2 Mar day 6
        ("2026-02-23", "2026-02-25", "2026-03-03", true),  // Tue 3 Mar is day 7
        ("2026-03-07", "2026-03-12", "2026-03-16", false), // Sat: Mon 9 is day 1, Mon 16 day 6
        ("2026-03-07", "2026-03-12", "2026-03-17", true),
    ];
    for (pex, on, start, warned) in table {
        let mut c = demo();
        let k = case_mut(&mut c, AP);
        k.pex_history = vec![Pex {
            urn: POOL_HAYES,
            date: d(pex),
            reinstated: false,
            reasons: Vec::new(),
        }];
        let h = judge(
            &c,
            dec(&c, AP, Outcome::AllocateApInterim, Some(SHEPWELL), start),
            on,
        );
        let hit = h.iter().find(|x| x.rule.name == "pex-provision-day-6");
        assert_eq!(hit.is_some(), warned, "{pex} → {start}: {h:#?}");
    }
    let mut c = demo();
    case_mut(&mut c, AP).pex_history[0].date = d("2026-02-23");
    let m = Meeting::new(c, &[]);
    let f = m.facts(m.case_index(AP).unwrap()).unwrap();
    assert_eq!(f.clock.pex_provision_from, Some(d("2026-03-02")));
}

/// SSFA 1998 s87(1)–(2): excluded from two or more schools, for two years beginning with the day
/// the latest took effect; s87(3A): reinstated exclusions and those before compulsory school age
/// do not count.
#[test]
fn twice_excluded_is_two_calendar_years_and_counts_only_what_s87_counts() {
    let pex = |urn: u32, date: &str, reinstated: bool| Pex {
        urn,
        date: d(date),
        reinstated,
        reasons: Vec::new(),
    };
    // Born 1 May 2012: compulsory school age from 31 Aug 2017.
    let table: [(&str, Vec<Pex>, &str, bool); 9] = [
        (
            "s87(2): within two years of the latest",
            vec![
                pex(100001, "2023-01-10", false),
                pex(100002, "2024-03-10", false),
            ],
            "2026-03-09",
            true,
        ),
        (
            "s87(2): two years beginning 10 Mar 2024 end on 9 Mar 2026",
            vec![
                pex(100001, "2023-01-10", false),
                pex(100002, "2024-03-10", false),
            ],
            "2026-03-10",
            false,
        ),
        (
            "s87(2): across 29 February",
            vec![
                pex(100001, "2023-01-10", false),
                pex(100002, "2024-02-29", false),
            ],
            "2026-02-28",
            true,
        ),
        (
            "s87(2): from 29 February, over on 1 March",
            vec![
                pex(100001, "2023-01-10", false),
                pex(100002, "2024-02-29", false),
            ],
            "2026-03-01",
            false,
        ),
        (
            "s87(3A)(d): one before compulsory school age",
            vec![
                pex(100001, "2017-06-01", false),
                pex(100002, "2025-10-01", false),
            ],
            "2026-03-12",
            false,
        ),
        (
            "s87(3A)(d): both after compulsory school age",
            vec![
                pex(100001, "2017-09-05", false),
                pex(100002, "2025-10-01", false),
            ],
            "2026-03-12",
            true,
        ),
        (
            "s87(3A)(a): reinstated",
            vec![
                pex(100001, "2025-01-10", true),
                pex(100002, "2025-10-01", false),
            ],
            "2026-03-12",
            false,
        ),
        (
            "s87(2): two exclusions from one school are not two schools",
            vec![
                pex(100001, "2025-01-10", false),
                pex(100001, "2025-10-01", false),
            ],
            "2026-03-12",
            false,
        ),
        (
            "s87(2): three schools",
            vec![
                pex(100001, "2024-01-10", false),
                pex(100002, "2025-01-10", false),
                pex(100003, "2025-12-03", false),
            ],
            "2026-03-12",
            true,
        ),
    ];
    let mut k = demo().cases[0].clone();
    k.pupil.date_of_birth = d("2012-05-01");
    for (why, history, on, expected) in table {
        k.pex_history = history;
        assert_eq!(rules::twice_excluded(&k, d(on)), expected, "{why} on {on}");
    }
}

/// Fair share (School Admissions Code 2021; panel protocol, 1 per 30 of PAN): at least 1 for a
/// small school, and the cap compares a year group's placements with that year group's PAN.
#[test]
fn the_fair_share_cap_is_at_least_one_and_like_with_like() {
    let y = |n| YearGroup::new(n).unwrap();
    let c = demo();
    let mut s = c
        .schools
        .iter()
        .find(|s| s.urn == POOL_HAYES)
        .unwrap()
        .clone();
    // (PAN, cap)
    for (pan, cap) in [
        (20, 1),
        (29, 1),
        (30, 1),
        (59, 1),
        (60, 2),
        (180, 6),
        (210, 7),
    ] {
        s.pan.insert(y(10), pan);
        assert_eq!(tally::cap(&c, &s, y(10)), Some(cap), "PAN {pan}");
    }
    // (PAN of every year group, prior placements Y9, Y10, fair-share-cap on a Y10 allocation)
    let table = [
        (20, 0, 0, false),  // small school, none placed: cap 1 not reached
        (20, 0, 1, true),   // one placed in Y10: at the cap
        (210, 7, 2, false), // Y9 is full, Y10 (2 of 7) is not: like with like
        (210, 0, 7, true),
    ];
    for (pan, y9, y10, hit) in table {
        let mut c = demo();
        let s = c.schools.iter_mut().find(|s| s.urn == POOL_HAYES).unwrap();
        for v in s.pan.values_mut() {
            *v = pan;
        }
        let by = &mut s.prior_placements.as_mut().unwrap().by_year_group;
        by.insert(y(9), y9);
        by.insert(y(10), y10);
        let h = judge(
            &c,
            dec(
                &c,
                FA,
                Outcome::AllocateSchool,
                Some(POOL_HAYES),
                "2026-03-16",
            ),
            "2026-03-12",
        );
        assert_eq!(
            all_names(&h).contains(&"fair-share-cap"),
            hit,
            "PAN {pan}, Y9 {y9}, Y10 {y10}: {h:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// §4 The caseload: calendar and numbers.

fn demo_json() -> Value {
    serde_json::from_str(DEMO_CASELOAD).unwrap()
}

fn load(v: &Value) -> Result<Vec<String>, Vec<String>> {
    match caseload::parse(&serde_json::to_string_pretty(v).unwrap()) {
        Ok(l) => Ok(l.warnings.iter().map(|p| p.to_string()).collect()),
        Err(p) => Err(p
            .iter()
            .filter(|x| x.severity == fairpanel::domain::problem::Severity::Error)
            .map(|p| p.to_string())
            .collect()),
    }
}

fn case_index(v: &Value, r: &str) -> usize {
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .position(|k| k["ref"] == r)
        .unwrap()
}

/// cli.md "Files and dates"; issue 11 §4: a clock date the calendar does not cover is an error
/// at `check`, never a shorter count.
#[test]
fn a_clock_date_outside_the_calendar_is_an_error() {
    // The autumn terms left out: an exclusion's sixth day, and an agreed date, fall before the
    // first term listed.
    let mut v = demo_json();
    let terms = v["calendar"]["terms"].as_array_mut().unwrap();
    terms.retain(|t| !t["name"].as_str().unwrap().starts_with("Autumn"));
    let i = case_index(&v, FA);
    v["cases"][i]["referral_date"] = json!("2025-11-10");
    v["cases"][i]["fap_agreed_date"] = json!("2025-11-20");
    let e = load(&v).unwrap_err();
    assert!(
        e.iter()
            .any(|l| l.starts_with(&format!("cases[{i}].fap_agreed_date ("))
                && l.contains(
                    "before the first term listed (the calendar starts 2026-01-05); add the terms"
                )),
        "{e:#?}"
    );
    let j = case_index(&v, "FA-2026-012");
    assert!(
        e.iter()
            .any(|l| l.starts_with(&format!("cases[{j}].pex_history[1].date ("))),
        "{e:#?}"
    );

    // A half term left out in the middle: the gap is named, unless marked as intended.
    let mut v = demo_json();
    v["calendar"]["terms"].as_array_mut().unwrap().remove(1); // Autumn 2
    let e = load(&v).unwrap_err();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("calendar.terms[1].start (")
            && e[0].contains("starts 72 days after calendar.terms[0] ends")
            && e[0].contains("add the missing term, or give this term `long_break_before`"),
        "{}",
        e[0]
    );
    v["calendar"]["terms"][1]["long_break_before"] = json!("Schools closed for the autumn rebuild");
    assert!(load(&v).is_ok(), "{:#?}", load(&v));
}

/// A meeting after England's built-in bank holidays (to 2029): an error saying what to list,
/// and the caseload's own list of them lets it load.
#[test]
fn meetings_after_2029_need_the_bank_holidays_listed() {
    let mut v = demo_json();
    v["panel"]["meeting_date"] = json!("2030-01-16");
    v["calendar"]["terms"] = json!([
        { "name": "Autumn 1", "start": "2029-09-03", "end": "2029-10-19" },
        { "name": "Autumn 2", "start": "2029-10-29", "end": "2029-12-19" },
        { "name": "Spring 1", "start": "2030-01-07", "end": "2030-02-15" }
    ]);
    v["calendar"]["closure_days"] = json!([]);
    // The same children four years on: none agreed yet, all referred in 2029.
    for k in v["cases"].as_array_mut().unwrap() {
        let o = k.as_object_mut().unwrap();
        o.remove("fap_agreed_date");
        o.remove("pex_history");
        o.insert("referral_date".into(), json!("2029-12-01"));
        let p = o["pupil"].as_object_mut().unwrap();
        let dob = p["date_of_birth"].as_str().unwrap().to_owned();
        let year: i32 = dob[..4].parse().unwrap();
        p.insert(
            "date_of_birth".into(),
            json!(format!("{}{}", year + 4, &dob[4..])),
        );
        p.remove("year_group");
    }
    for s in v["schools"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("prior_placements");
    }
    let e = load(&v).unwrap_err();
    assert!(
        e.iter().any(|l| l.starts_with("panel.meeting_date (")
            && l.contains("list those of 2030 in calendar.bank_holidays")),
        "{e:#?}"
    );
    v["calendar"]["bank_holidays"] = json!([
        { "date": "2030-01-01", "name": "New Year's Day" },
        { "date": "2030-04-19", "name": "Good Friday" }
    ]);
    let loaded = load(&v);
    assert!(
        loaded.as_ref().is_ok_and(|w| w
            .iter()
            .all(|l| !l.contains("meeting_date") && !l.contains("calendar"))),
        "{loaded:#?}"
    );
}

/// Every count and number has a bound from what it means; the loader refuses beyond it with the
/// path, and never echoes a pupil's value.
#[test]
fn every_number_in_the_caseload_is_bounded() {
    let fa = |v: &Value| case_index(v, FA);
    // (JSON pointer, value, path the error names)
    let table: [(&str, Value, &str); 20] = [
        (
            "/schools/0/prior_placements/by_year_group/Y9",
            json!(4294967295u32),
            "schools[0].prior_placements.by_year_group.Y9",
        ),
        ("/schools/0/pan/Y7", json!(1001), "schools[0].pan.Y7"),
        ("/schools/0/on_roll", json!(10001), "schools[0].on_roll"),
        ("/schools/0/high_age", json!(26), "schools[0].high_age"),
        ("/schools/0/easting", json!(700001), "schools[0].easting"),
        ("/schools/0/northing", json!(1300001), "schools[0].northing"),
        (
            "/panel/settings/clock_school_days",
            json!(21),
            "panel.settings.clock_school_days",
        ),
        (
            "/panel/settings/clock_school_days",
            json!(0),
            "panel.settings.clock_school_days",
        ),
        (
            "/panel/settings/review_weeks",
            json!(13),
            "panel.settings.review_weeks",
        ),
        (
            "/panel/settings/review_weeks",
            json!(0),
            "panel.settings.review_weeks",
        ),
        (
            "/panel/settings/fair_share_pan_per_placement",
            json!(0),
            "panel.settings.fair_share_pan_per_placement",
        ),
        (
            "/panel/settings/fair_share_pan_per_placement",
            json!(1001),
            "panel.settings.fair_share_pan_per_placement",
        ),
        (
            "/panel/settings/quorum/min_present",
            json!(0),
            "panel.settings.quorum.min_present",
        ),
        (
            "/panel/settings/quorum/min_can_decide",
            json!(5),
            "panel.settings.quorum.min_can_decide",
        ),
        (
            "/places/0/pools/0/offered",
            json!(1001),
            "places[0].pools[0].offered",
        ),
        (
            "/cases/FA/suspensions",
            json!([{ "urn": 142594, "start": "2026-01-05", "days": 191 }]),
            "cases[FA].suspensions[0].days",
        ),
        (
            "/cases/FA/in_year_apps/0/urn",
            json!(12),
            "cases[FA].in_year_apps[0].urn",
        ),
        (
            "/cases/FA/preferences",
            json!([4294967295u32]),
            "cases[FA].preferences[0]",
        ),
        (
            "/cases/FA/pupil/home_easting",
            json!(765432),
            "cases[FA].pupil.home_easting",
        ),
        (
            // Walsall Studio School, 185 on roll.
            "/schools/16/prior_placements/by_year_group/Y10",
            json!(186),
            "schools[16].prior_placements.by_year_group",
        ),
    ];
    for (pointer, value, path) in table {
        let mut v = demo_json();
        let i = fa(&v);
        let pointer = pointer.replace("/FA/", &format!("/{i}/"));
        let path = path.replace("[FA]", &format!("[{i}]"));
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        v.pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{parent}"))
            .insert(key.into(), value.clone());
        let e = load(&v).expect_err(&pointer);
        assert!(
            e.iter().any(|l| l.starts_with(&format!("{path} ("))),
            "{pointer} = {value}: {e:#?}"
        );
        assert!(
            e.iter().all(|l| !l.contains("765432")),
            "no pupil value echoed: {e:#?}"
        );
    }
    assert_eq!(
        demo_json()["schools"][16]["name"],
        "Walsall Studio School",
        "the table's school 16"
    );
}

/// New fields are optional: a caseload written before them still loads, and the schema says so.
#[test]
fn older_caseloads_still_load() {
    let v = demo_json();
    let mut old = v.clone();
    for k in old["cases"].as_array_mut().unwrap() {
        k.as_object_mut().unwrap().remove("consent");
    }
    assert!(load(&old).is_ok());
    let schema: Value = serde_json::from_str(&caseload::json_schema()).unwrap();
    let required = |def: &str| {
        schema["$defs"][def]["required"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    for (def, field) in [
        ("Case", "consent"),
        ("Case", "infant_class_exception"),
        ("Calendar", "bank_holidays"),
        ("Term", "long_break_before"),
        ("Settings", "plac_only_under_m"),
    ] {
        assert!(
            schema["$defs"][def]["properties"][field].is_object(),
            "{def}.{field} in the schema"
        );
        assert!(
            !required(def).contains(&json!(field)),
            "{def}.{field} optional"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// §1 Managed moves and AP places.

const MANAGED: [&str; 4] = [
    "managed-move-consent",
    "managed-move-host",
    "managed-move-no-trial",
    "review-date-required",
];

/// DfE exclusion guidance (managed moves): consent of the parent and both schools recorded; a
/// review date; no trial period from 26 July 2026.
#[test]
fn managed_moves_need_consent_a_review_and_no_trial() {
    struct Row {
        what: &'static str,
        consent: Option<Consent>,
        urn: u32,
        on: &'static str,
        reasons: &'static str,
        review: bool,
        want: Want,
    }
    let all = Consent {
        parent: Some(d("2026-02-24")),
        home_school: Some(d("2026-02-24")),
        host_school: Some(d("2026-03-05")),
    };
    let rows = [
        Row {
            what: "no consent recorded",
            consent: None,
            urn: SHELFIELD,
            on: "2026-03-12",
            reasons: "Fresh start agreed",
            review: true,
            want: Want {
                refused: &["managed-move-consent"],
                ..NONE
            },
        },
        Row {
            what: "host school not yet consented",
            consent: Some(Consent {
                host_school: None,
                ..all.clone()
            }),
            urn: SHELFIELD,
            on: "2026-03-12",
            reasons: "Fresh start agreed",
            review: true,
            want: Want {
                refused: &["managed-move-consent"],
                ..NONE
            },
        },
        Row {
            what: "all three consented",
            consent: Some(all.clone()),
            urn: SHELFIELD,
            on: "2026-03-12",
            reasons: "Fresh start agreed",
            review: true,
            want: NONE,
        },
        Row {
            what: "a host other than the one that consented",
            consent: Some(all.clone()),
            urn: POOL_HAYES,
            on: "2026-03-12",
            reasons: "Fresh start agreed",
            review: true,
            want: Want {
                refused: &["managed-move-host"],
                ..NONE
            },
        },
        Row {
            what: "no review date",
            consent: Some(all.clone()),
            urn: SHELFIELD,
            on: "2026-03-12",
            reasons: "Fresh start agreed",
            review: false,
            want: Want {
                refused: &["review-date-required"],
                ..NONE
            },
        },
        Row {
            what: "a trial period after the guidance came into force",
            consent: Some(all.clone()),
            urn: SHELFIELD,
            on: "2026-07-27",
            reasons: "Agreed with a six-week trial before it is confirmed",
            review: true,
            want: Want {
                warned: &["managed-move-no-trial"],
                ..NONE
            },
        },
        Row {
            what: "a trial period before the guidance came into force",
            consent: Some(all.clone()),
            urn: SHELFIELD,
            on: "2026-07-20",
            reasons: "Agreed with a six-week trial before it is confirmed",
            review: true,
            want: NONE,
        },
    ];
    for row in rows {
        let mut c = demo();
        case_mut(&mut c, MM).consent = row.consent.clone();
        let mut dd = dec(
            &c,
            MM,
            Outcome::ManagedMoveAgreed,
            Some(row.urn),
            "2026-09-03",
        );
        dd.reasons = row.reasons.into();
        if !row.review {
            dd.review_date = None;
        }
        let h = judge(&c, dd, row.on);
        assert_want(row.what, &h, &MANAGED, &row.want);
    }
}

const AP_CHECKS: [&str; 6] = [
    "ap-conditions",
    "review-date-required",
    "no-place-free",
    "not-ap-or-special",
    "provision-not-offered",
    "pex-provision-day-6",
];

/// AP place requests: places (the places offered at this meeting), conditions, review date,
/// the sixth-day duty.
#[test]
fn ap_place_requests_get_the_ap_checks() {
    struct Row {
        what: &'static str,
        case: &'static str,
        urn: u32,
        package: Option<&'static str>,
        review: bool,
        want: Want,
    }
    let rows = [
        Row {
            what: "a free place, package recorded",
            case: "AP-2026-002",
            urn: SHEPWELL,
            package: Some("Mornings for six weeks, then full-time; medical evidence from CAMHS"),
            review: true,
            want: NONE,
        },
        Row {
            what: "the provision's conditions, no package",
            case: "AP-2026-002",
            urn: SHEPWELL,
            package: None,
            review: true,
            want: Want {
                warned: &["ap-conditions"],
                ..NONE
            },
        },
        Row {
            what: "no review date",
            case: "AP-2026-002",
            urn: SHEPWELL,
            package: Some("Mornings"),
            review: false,
            want: Want {
                refused: &["review-date-required"],
                ..NONE
            },
        },
        Row {
            what: "no place free in the pool",
            case: AP,
            urn: NEW_LEAF,
            package: Some("Full-time"),
            review: true,
            want: Want {
                refused: &["no-place-free"],
                warned: &["pex-provision-day-6"],
                ..NONE
            },
        },
        Row {
            what: "a mainstream school is not AP",
            case: "AP-2026-002",
            urn: POOL_HAYES,
            package: Some("Full-time"),
            review: true,
            want: Want {
                refused: &["not-ap-or-special"],
                ..NONE
            },
        },
    ];
    let c = demo();
    for row in rows {
        let mut dd = dec(
            &c,
            row.case,
            Outcome::AllocateApInterim,
            Some(row.urn),
            "2026-03-16",
        );
        dd.package = row.package.map(str::to_owned);
        if !row.review {
            dd.review_date = None;
        }
        let h = judge(&c, dd, "2026-03-12");
        assert_want(row.what, &h, &AP_CHECKS, &row.want);
    }
}

// ---------------------------------------------------------------------------------------------
// §5 Citations.

/// Sources on screen name the statute, the Code paragraph or the guidance, or "panel protocol"
/// for a local rule; never an internal file.
#[test]
fn every_source_is_in_words_people_recognise() {
    for r in rules::ALL {
        for internal in [".md", "DEVELOPERS", "§", "issue", "domain", "cli"] {
            assert!(
                !r.source.contains(internal),
                "{}: source {:?} names {internal}",
                r.name,
                r.source
            );
        }
    }
    assert_eq!(rules::DIRECTION_TO_EXCLUDER.source, "SSFA 1998 s96(2)");
    assert!(
        rules::ALLOCATION_TO_EXCLUDER
            .source
            .starts_with("panel protocol")
            && rules::ALLOCATION_TO_EXCLUDER.summary.contains("local rule"),
        "an allocation to the excluding school is a local rule"
    );
    assert_eq!(
        rules::TWICE_EXCLUDED.source,
        "SSFA 1998 s87(1)–(2); exceptions s87(3A)"
    );
    for r in [&rules::CLOCK_WARNING, &rules::CLOCK_BREACH] {
        assert!(
            r.summary
                .contains("must be allocated within 20 school days"),
            "{}: the clock is a duty",
            r.name
        );
        assert_eq!(r.source, "School Admissions Code 2021 3.21");
    }
}

// ---------------------------------------------------------------------------------------------
// The screen, `fairpanel record` and the minutes agree.

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .env("FAIRPANEL_DATA_DIR", dir)
        .args(args)
        .output()
        .unwrap()
}

/// `fairpanel record` reaches the same findings as the screen (`Meeting::check`), records the
/// AP place and the Fair Access placement that were refused before, and the minutes' eligibility
/// judges claims one by one.
#[test]
fn record_and_the_minutes_agree_with_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = demo_json();
    // FA-2026-019 claims (a) and (l): (a) current, (l) only 15 days out.
    let i = case_index(&v, "FA-2026-019");
    v["cases"][i]["out_since"] = json!("2026-02-26");
    v["cases"][i].as_object_mut().unwrap().remove("cin_cp_end");
    let file = dir.path().join("caseload.json");
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let c = caseload::parse(&std::fs::read_to_string(&file).unwrap())
        .unwrap()
        .caseload;
    let log = dir.path().join("m.log");
    let (file_s, log_s) = (file.to_str().unwrap(), log.to_str().unwrap());
    let base = [
        "record",
        "--log",
        log_s,
        "--caseload",
        file_s,
        "--as-of",
        "2026-03-12",
        "--agreed-by",
        "Janet Okafor",
        "--start",
        "2026-03-16",
    ];
    let cases: [(&str, &[&str], Decision); 2] = [
        (
            AP,
            &[
                "--case",
                AP,
                "--outcome",
                "allocate_ap_interim",
                "--urn",
                "131619",
                "--review",
                "2026-04-27",
                "--reasons",
                "Interim place while reintegration is planned",
            ],
            Decision {
                urn: Some(SHEPWELL),
                start_date: Some(d("2026-03-16")),
                review_date: Some(d("2026-04-27")),
                reasons: "Interim place while reintegration is planned".into(),
                agreed_by: vec!["Janet Okafor".into()],
                ..Decision::new(AP, Outcome::AllocateApInterim)
            },
        ),
        (
            "FA-2026-019",
            &[
                "--case",
                "FA-2026-019",
                "--outcome",
                "allocate_school",
                "--urn",
                "142594",
                "--reasons",
                "Nearest school with a place in the year group",
            ],
            Decision {
                urn: Some(POOL_HAYES),
                start_date: Some(d("2026-03-16")),
                reasons: "Nearest school with a place in the year group".into(),
                agreed_by: vec!["Janet Okafor".into()],
                ..Decision::new("FA-2026-019", Outcome::AllocateSchool)
            },
        ),
    ];
    for (case_ref, extra, decision) in cases {
        // What the screen shows for the same decision, before anything is recorded.
        let m = Meeting::new(c.clone(), &[]);
        let p = m.prepare(Proposal {
            event: Event::Decision(decision),
            correction: None,
            when: When::Between(d("2026-03-12")),
        });
        let screen: Vec<String> = m.check(&p).iter().map(Hit::line).collect();
        assert!(
            screen.iter().all(|l| !l.starts_with("refused")),
            "{case_ref}: {screen:#?}"
        );
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let o = run(dir.path(), &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{case_ref}: {err}");
        let printed: Vec<&str> = err.lines().collect();
        assert!(
            printed.first().is_some_and(|l| l.starts_with("Decision ")),
            "{case_ref}: record says what it recorded first: {err}"
        );
        assert_eq!(
            printed[1..],
            screen,
            "{case_ref}: record and the screen agree"
        );
    }
    let o = run(dir.path(), &["minutes", "--log", log_s]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let minutes: Value = serde_json::from_slice(&o.stdout).unwrap();
    let find = |r: &str| {
        minutes["cases_considered"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["ref"] == r)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        find("FA-2026-019")["eligibility"],
        json!([]),
        "(a) holds, so the failed (l) claim refuses nothing"
    );
    assert_eq!(
        find(AP)["eligibility"],
        Value::Null,
        "the Fair Access gates do not apply to a place request"
    );
}

// ---------------------------------------------------------------------------------------------
// The rest of the catalogue, each row through the same call.

/// Every other rule still fires where it should, through `Meeting::check`: one row per rule,
/// named with its source. `when` is the date between meetings, or None for the meeting itself.
#[test]
fn every_other_rule_fires_through_the_one_entry_point() {
    use fairpanel::domain::caseload::{BarredSchool, Exemption};
    use fairpanel::domain::event::Correction;
    type Edit = fn(&mut Caseload, &mut Decision);
    let rows: [(&str, &str, Edit, Option<&str>); 14] = [
        (
            "local-bar",
            "panel protocol",
            |c, _| {
                c.panel.settings.barred_schools = vec![BarredSchool {
                    urn: POOL_HAYES,
                    reason: "Rebuild".into(),
                }]
            },
            Some("2026-03-12"),
        ),
        (
            "ofsted-concern",
            "panel protocol",
            |_, d| d.urn = Some(136620),
            Some("2026-03-12"),
        ),
        (
            "exempt-year-group",
            "panel protocol (exemptions)",
            |c, _| {
                let s = c.schools.iter_mut().find(|s| s.urn == POOL_HAYES).unwrap();
                s.exemptions = vec![Exemption {
                    year_group: YearGroup::new(10).unwrap(),
                    reason: "Bulge year".into(),
                }];
            },
            Some("2026-03-12"),
        ),
        (
            "review-before-start",
            "panel protocol (reviews)",
            |_, d| d.review_date = Some(self::d("2026-03-13")),
            Some("2026-03-12"),
        ),
        (
            "school-required",
            "panel protocol (minutes)",
            |_, d| d.urn = None,
            Some("2026-03-12"),
        ),
        (
            "start-date-required",
            "School Admissions Code 2021 3.21",
            |_, d| d.start_date = None,
            Some("2026-03-12"),
        ),
        (
            "start-before-meeting",
            "panel protocol (minutes)",
            |_, d| d.start_date = Some(self::d("2026-03-11")),
            Some("2026-03-12"),
        ),
        (
            "reasons-required",
            "panel protocol (minutes)",
            |_, d| d.reasons.clear(),
            Some("2026-03-12"),
        ),
        (
            "agreed-by-required",
            "panel protocol (minutes)",
            |_, d| d.agreed_by.clear(),
            Some("2026-03-12"),
        ),
        (
            "unknown-case",
            "the caseload",
            |_, d| d.case_ref = "XX-0000-000".into(),
            Some("2026-03-12"),
        ),
        (
            "absent-member",
            "panel protocol (membership)",
            |_, _| {},
            None,
        ),
        (
            "not-quorate",
            "panel protocol (terms of reference)",
            |_, _| {},
            None,
        ),
        (
            "date-outside-calendar",
            "the LA's school calendar",
            |_, _| {},
            Some("2026-09-10"),
        ),
        (
            "unknown-school",
            "panel protocol (minutes)",
            |_, d| d.urn = Some(999999),
            Some("2026-03-12"),
        ),
    ];
    for (rule, source, edit, on) in rows {
        let mut c = demo();
        let mut dd = dec(
            &c,
            FA,
            Outcome::AllocateSchool,
            Some(POOL_HAYES),
            "2026-03-16",
        );
        edit(&mut c, &mut dd);
        let m = Meeting::new(c, &[]);
        let p = m.prepare(Proposal {
            event: Event::Decision(dd),
            correction: None,
            when: on.map_or(When::Meeting, |o| When::Between(d(o))),
        });
        let h = m.check(&p);
        let hit = h.iter().find(|x| x.rule.name == rule);
        assert!(hit.is_some(), "{rule}: {h:#?}");
        assert!(hit.unwrap().rule.source.starts_with(source), "{rule}");
    }
    // Agreeing to consider a case: before its referral, outside the calendar, or twice.
    let m = Meeting::new(demo(), &[]);
    let agree = |date: &str, case_ref: &str| {
        m.check(&Proposal::at_meeting(Event::AgreedToConsider {
            case_ref: case_ref.into(),
            date: d(date),
        }))
        .iter()
        .map(|h| h.rule.name)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        agree("2025-08-20", "FA-2026-006"),
        ["agreed-date", "date-outside-calendar"]
    );
    assert_eq!(agree("2026-03-12", FA), ["already-agreed"]);
    assert!(agree("2026-03-12", "FA-2026-006").is_empty());
    // A correction of nothing that stands, with no reason.
    let c = demo();
    let p = Proposal {
        event: Event::Decision(dec(&c, FA, Outcome::DeferMoreInfo, None, "2026-03-16")),
        correction: Some(Correction {
            entry: 99,
            reason: " ".into(),
        }),
        when: When::Between(d("2026-03-12")),
    };
    let names = all_names(&Meeting::new(c, &[]).check(&p));
    assert!(
        names.contains(&"bad-correction") && names.contains(&"correction-reason-required"),
        "{names:?}"
    );
}
