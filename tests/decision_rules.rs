//! Each decision rule through the one way in (`Session::record`), on the demo panel. Each test
//! names the domain.md rule it proves; a refusal must write nothing.

use common::Open as Session;
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::When;
use fairpanel::domain::event::{Decision, Event, Outcome};
use fairpanel::domain::meeting::RecordError;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::log::Store;

mod common;
use common::T;
const ELMWOOD: u32 = 135461; // special, KS3: 1 offered, 0 used
const LADDER: u32 = 143750; // AP, free from 2026-04-20
const POOL_HAYES: u32 = 142594; // mixed secondary 11–18
const QM_GRAMMAR: u32 = 136773; // boys, selective

struct Meeting {
    s: Session,
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn meeting() -> Meeting {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.fairpanel-log");
    let mut s = common::demo_session(&path);
    common::attend_all(&mut s);
    Meeting { s, _dir: dir, path }
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn decision(m: &Meeting, case_ref: &str, outcome: Outcome, urn: Option<u32>) -> Decision {
    let deciders = common::deciders(&m.s, 2);
    Decision {
        urn,
        start_date: Some(d("2026-03-16")),
        review_date: Some(d("2026-04-27")),
        reasons: "Nearest school with capacity in the year group".into(),
        agreed_by: deciders,
        ..Decision::new(case_ref, outcome)
    }
}

/// Records and returns the rule names refused (empty if written); asserts a refusal wrote nothing.
fn try_record(
    m: &mut Meeting,
    dec: Decision,
    correction: Option<(i64, String)>,
) -> Result<i64, Vec<&'static str>> {
    let before = Store::open_reader(&m.path)
        .unwrap()
        .all_entries()
        .unwrap()
        .len();
    match m
        .s
        .record(Event::Decision(dec), correction, When::Meeting, T.into())
    {
        Ok((e, _)) => Ok(e.id),
        Err(RecordError::Refused(hits)) => {
            assert_eq!(
                Store::open_reader(&m.path)
                    .unwrap()
                    .all_entries()
                    .unwrap()
                    .len(),
                before,
                "a refusal writes nothing"
            );
            Err(hits
                .iter()
                .filter(|h| h.rule.severity == fairpanel::domain::rules::Severity::Refuse)
                .map(|h| h.rule.name)
                .collect())
        }
        Err(RecordError::Write(e)) => panic!("{e}"),
    }
}

#[test]
fn rule_1_ehcp_case_is_refused_but_redirect_ehcp_closes_it() {
    let mut m = meeting();
    let r = {
        let dec = decision(&m, "FA-2026-017", Outcome::AllocateSchool, Some(POOL_HAYES));
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"ehcp-route"));
    let mut redirect = decision(&m, "FA-2026-017", Outcome::RedirectEhcp, None);
    redirect.start_date = None;
    redirect.review_date = None;
    assert!(
        try_record(&mut m, redirect, None).is_ok(),
        "rules 1–4 do not apply to redirect outcomes"
    );
}

#[test]
fn rule_2_looked_after_child_goes_to_s97a() {
    let mut m = meeting();
    let r = {
        let dec = decision(&m, "FA-2026-016", Outcome::AllocateSchool, Some(POOL_HAYES));
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"lac-route"));
}

#[test]
fn rule_3_no_in_year_attempt_except_under_k() {
    let mut m = meeting();
    // FA-2026-013 is under (k) with no applications: allowed.
    assert!(
        {
            let dec = decision(&m, "FA-2026-013", Outcome::AllocateSchool, Some(POOL_HAYES));
            try_record(&mut m, dec, None)
        }
        .is_ok()
    );
}

#[test]
fn rule_5_age_range_and_single_sex() {
    let mut m = meeting();
    // A Y10 girl at a boys' school.
    let r = {
        let dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(QM_GRAMMAR));
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"single-sex"));
    // A Y7 pupil at The Ladder School (ages 13–18).
    let r = {
        let dec = decision(&m, "FA-2026-002", Outcome::AllocateApInterim, Some(LADDER));
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"age-range"));
}

#[test]
fn rule_6_no_direction_to_the_excluding_school() {
    let mut m = meeting();
    // FA-2026-005 was permanently excluded by Pool Hayes Academy.
    let r = {
        let dec = decision(
            &m,
            "FA-2026-005",
            Outcome::RefusedEscalateDirection,
            Some(POOL_HAYES),
        );
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"direction-to-excluding-school"));
}

#[test]
fn rule_9_deciders_and_quorum() {
    let mut m = meeting();
    let mut dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(POOL_HAYES));
    dec.agreed_by = vec!["Amira Haddad".into()]; // present, cannot decide
    assert!(
        try_record(&mut m, dec, None)
            .unwrap_err()
            .contains(&"no-decider-agreed")
    );
    // Between meetings quorum does not apply, deciders still do.
    let dec = decision(&m, "FA-2026-003", Outcome::DeferMoreInfo, None);
    assert!(
        m.s.record(
            Event::Decision(dec),
            None,
            When::Between(d("2026-03-16")),
            T.into()
        )
        .is_ok()
    );
    let (_, stored) = m.s.state().current_decision("FA-2026-003").unwrap();
    assert!(
        stored.outside_meeting,
        "the entry says it was taken outside a meeting"
    );
}

#[test]
fn rule_11_ap_needs_a_review_date() {
    let mut m = meeting();
    let mut dec = decision(&m, "FA-2026-006", Outcome::AllocateApInterim, Some(ELMWOOD));
    dec.review_date = None;
    assert!(
        try_record(&mut m, dec, None)
            .unwrap_err()
            .contains(&"review-date-required")
    );
}

#[test]
fn declared_interest_bars_the_member_from_agreeing() {
    let mut m = meeting();
    let dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(POOL_HAYES));
    let member = dec.agreed_by[0].clone();
    m.s.record(
        Event::Declaration {
            member,
            case_ref: "FA-2026-003".into(),
            interest: "Head of the proposed school".into(),
            withdrew: true,
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    assert!(
        try_record(&mut m, dec, None)
            .unwrap_err()
            .contains(&"declared-interest")
    );
}

#[test]
fn places_are_never_over_allocated_and_a_correction_frees_one() {
    let mut m = meeting();
    // Elmwood KS3: one place. Émile (Y9) takes it.
    let first = {
        let dec = decision(&m, "FA-2026-006", Outcome::AllocateApInterim, Some(ELMWOOD));
        try_record(&mut m, dec, None)
    }
    .unwrap();
    // Keira (Y9) cannot have a second.
    let r = {
        let dec = decision(&m, "FA-2026-001", Outcome::AllocateApInterim, Some(ELMWOOD));
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"no-place-free"));
    // Correcting the first decision frees the place.
    let mut withdrawn = decision(&m, "FA-2026-006", Outcome::Withdrawn, None);
    withdrawn.start_date = None;
    withdrawn.review_date = None;
    try_record(
        &mut m,
        withdrawn,
        Some((first, "Family accepted a place out of the area".into())),
    )
    .unwrap();
    assert!(
        {
            let dec = decision(&m, "FA-2026-001", Outcome::AllocateApInterim, Some(ELMWOOD));
            try_record(&mut m, dec, None)
        }
        .is_ok()
    );
}

#[test]
fn a_place_cannot_start_before_it_is_free() {
    let mut m = meeting();
    // FA-2026-014 (Y10) at The Ladder School, free from 20 Apr.
    let r = {
        let dec = decision(&m, "FA-2026-014", Outcome::AllocateApInterim, Some(LADDER));
        try_record(&mut m, dec, None)
    };
    assert!(r.unwrap_err().contains(&"before-free-from"));
    let mut later = decision(&m, "FA-2026-014", Outcome::AllocateApInterim, Some(LADDER));
    later.start_date = Some(d("2026-04-20"));
    later.review_date = Some(d("2026-06-01"));
    assert!(try_record(&mut m, later, None).is_ok());
}

#[test]
fn names_dates_of_birth_and_upns_are_kept_out_of_free_text() {
    let mut m = meeting();
    let case =
        m.s.caseload()
            .cases
            .iter()
            .find(|c| c.reference == "FA-2026-003")
            .unwrap()
            .clone();
    for text in [
        format!(
            "Agreed; {} {} settles well",
            case.pupil.given_name.to_uppercase(),
            case.pupil.family_name
        ),
        format!("Agreed; {} settles well", case.pupil.family_name),
        "Agreed; born 02/11/2010".to_owned(),
        format!("Agreed; see {}", case.pupil.date_of_birth),
        "Agreed; UPN H9994 1351 4135 checked".to_owned(),
    ] {
        let mut dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(POOL_HAYES));
        dec.reasons = text.clone();
        assert!(
            try_record(&mut m, dec, None)
                .unwrap_err()
                .contains(&"names-in-free-text"),
            "{text}"
        );
    }
    let mut dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(POOL_HAYES));
    dec.package = Some("Zoë Hart's taxi".into());
    assert!(
        try_record(&mut m, dec, None)
            .unwrap_err()
            .contains(&"names-in-free-text")
    );
    // A given name alone is only a warning, named so the chair can rewrite it.
    let mut dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(POOL_HAYES));
    dec.reasons = "Agreed: zoe to start Monday".into();
    let hits = m.s.meeting.check(&fairpanel::domain::event::Proposal {
        event: Event::Decision(dec),
        correction: None,
        when: When::Meeting,
    });
    let given: Vec<_> = hits
        .iter()
        .filter(|h| h.rule.name == "given-name-in-free-text")
        .collect();
    assert_eq!(given.len(), 1, "{hits:?}");
    assert_eq!(given[0].detail, "in the reasons: the pupil's given name");
    assert!(!hits.iter().any(|h| h.rule.name == "names-in-free-text"));
    // Words that merely contain a name are fine ("Hart" inside "Hartley Road").
    let mut dec = decision(&m, "FA-2026-003", Outcome::AllocateSchool, Some(POOL_HAYES));
    dec.reasons = "Agreed; bus from Hartley Road".into();
    assert!(try_record(&mut m, dec, None).is_ok());
}

#[test]
fn every_rule_has_a_name_a_source_and_a_message() {
    let mut names = std::collections::HashSet::new();
    for r in fairpanel::domain::rules::ALL {
        assert!(names.insert(r.name), "{} twice", r.name);
        assert!(!r.source.is_empty() && !r.summary.is_empty());
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
        );
    }
}

#[test]
fn rule_10_full_infant_classes_warn() {
    let mut c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    let urn = c
        .schools
        .iter()
        .find(|s| s.low_age <= 4 && s.high_age >= 7 && !s.special)
        .map(|s| s.urn)
        .expect("a primary in the demo");
    let y1 = fairpanel::domain::year_group::YearGroup::new(1).unwrap();
    c.schools
        .iter_mut()
        .find(|s| s.urn == urn)
        .unwrap()
        .infant_classes_full = vec![y1];
    let case = c.cases[0].clone();
    // A Y1 child: born 2019-10-01 is Y1 in 2025/26.
    let mut case = case;
    case.pupil.date_of_birth = d("2019-10-01");
    c.cases[0] = case.clone();
    let mut dec = Decision::new(&case.reference, Outcome::AllocateSchool);
    dec.urn = Some(urn);
    dec.start_date = Some(d("2026-03-16"));
    let meeting = fairpanel::domain::meeting::Meeting::new(c, &[]);
    let hits = meeting.check(&fairpanel::domain::event::Proposal {
        event: Event::Decision(dec),
        correction: None,
        when: When::Between(d("2026-03-12")),
    });
    assert!(
        hits.iter().any(|h| h.rule.name == "infant-class-30"),
        "{hits:?}"
    );
}

#[test]
fn a_log_holds_one_panel_and_the_demo_never_writes_to_another() {
    let Meeting { s, _dir, path } = meeting();
    drop(s);
    let other = DEMO_CASELOAD.replacen("\"walsall-sec-fap\"", "\"somerset-sec-fap\"", 1);
    match common::open_session(&path, &other) {
        Err(e @ fairpanel::log::LogError::WrongPanel { .. }) => {
            assert!(e.to_string().contains("walsall-sec-fap"), "{e}")
        }
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("another panel's caseload opened on this log"),
    }
}

#[test]
fn a_placement_is_never_replaced_without_a_correction() {
    let mut m = meeting();
    let first = {
        let dec = decision(&m, "FA-2026-006", Outcome::AllocateApInterim, Some(ELMWOOD));
        try_record(&mut m, dec, None)
    }
    .unwrap();
    let mut again = decision(&m, "FA-2026-006", Outcome::Withdrawn, None);
    again.start_date = None;
    again.review_date = None;
    assert!(
        try_record(&mut m, again.clone(), None)
            .unwrap_err()
            .contains(&"standing-placement")
    );
    assert!(try_record(&mut m, again, Some((first, "Family moved away".into()))).is_ok());
}

/// Every event is judged by the one entry point the screen and `record` share: a declaration
/// with no interest given, or no member, is refused there (the form alone once refused it), and
/// nothing is written.
#[test]
fn declarations_and_attendance_are_judged_by_the_same_rules_as_decisions() {
    let mut m = meeting();
    let before = m.s.state().entries().len();
    let declare = |member: &str, interest: &str| Event::Declaration {
        member: member.into(),
        case_ref: "FA-2026-003".into(),
        interest: interest.into(),
        withdrew: false,
    };
    let refused = |r: Result<_, RecordError<_>>| match r {
        Err(RecordError::Refused(hits)) => hits.iter().map(|h| h.rule.name).collect::<Vec<_>>(),
        Ok(_) => panic!("written"),
        Err(RecordError::Write(e)) => panic!("{e}"),
    };
    let member = m.s.caseload().panel.members[0].name.clone();
    assert_eq!(
        refused(m.s.record(declare(&member, "  "), None, When::Meeting, T.into())),
        ["interest-required"]
    );
    assert_eq!(
        refused(m.s.record(
            declare("", "own school proposed"),
            None,
            When::Meeting,
            T.into()
        )),
        ["member-required"]
    );
    assert_eq!(
        refused(m.s.record(
            declare("Someone Else", "own school proposed"),
            None,
            When::Meeting,
            T.into()
        )),
        ["unknown-member"]
    );
    assert_eq!(
        refused(m.s.record(
            Event::Attendance {
                member: "Someone Else".into(),
                status: fairpanel::domain::event::Attendance::Present,
                time: None,
            },
            None,
            When::Meeting,
            T.into()
        )),
        ["unknown-member"]
    );
    assert_eq!(m.s.state().entries().len(), before, "nothing written");
    m.s.record(
        declare(&member, "Own school proposed"),
        None,
        When::Meeting,
        T.into(),
    )
    .expect("a full declaration is written");
}
