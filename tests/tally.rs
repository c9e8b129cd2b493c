//! Whose turn: the tally and the ranked suggestions (domain.md §3 Fair share, §6 rules 5, 6, 8;
//! issue "The panel's rules" §2), with hand-worked orders.

use std::collections::BTreeMap;

use fairpanel::domain::caseload::{
    Caseload, Exemption, Gender, Pex, Phase, PriorPlacements, School,
};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome};
use fairpanel::io::demo::DEMO_CASELOAD;

mod common;
use fairpanel::domain::event::{Proposal, When};
use fairpanel::domain::meeting::Meeting;
use fairpanel::domain::rules::Severity;
use fairpanel::domain::state::LogState;
use fairpanel::domain::tally::{Tally, suggest};
use fairpanel::domain::year_group::YearGroup;
use proptest::prelude::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn y(n: i32) -> YearGroup {
    YearGroup::new(n).unwrap()
}

fn school(urn: u32, on_roll: Option<u32>, y9: u32, y10: u32, easting: u32) -> School {
    let mut by = BTreeMap::new();
    by.insert(y(9), y9);
    by.insert(y(10), y10);
    let mut pan = BTreeMap::new();
    pan.insert(y(9), 180);
    School {
        urn,
        name: format!("School {urn}"),
        school_type: "Academy converter".into(),
        phase: Phase::Secondary,
        low_age: 11,
        high_age: 18,
        gender: Gender::Mixed,
        selective: false,
        religion: None,
        on_roll,
        pan,
        ofsted_category: None,
        postcode: None,
        easting: Some(easting),
        northing: Some(300000),
        ap: false,
        special: false,
        pru: false,
        infant_classes_full: vec![],
        exemptions: vec![],
        prior_placements: Some(PriorPlacements {
            as_of: d("2026-03-11"),
            by_year_group: by,
        }),
    }
}

/// The demo panel with its schools replaced by a set whose order can be worked by hand, and one
/// Y9 boy living at (400000, 300000), excluded by 100006.
fn hand_worked() -> (Caseload, String) {
    let mut c = fairpanel::io::caseload::parse(DEMO_CASELOAD)
        .unwrap()
        .caseload;
    let mut girls = school(100005, Some(900), 0, 0, 400100);
    girls.gender = Gender::Girls;
    let excluder = school(100006, Some(900), 0, 0, 400100);
    let mut exempt = school(100007, Some(900), 0, 0, 400100);
    exempt.exemptions = vec![Exemption {
        year_group: y(9),
        reason: "Y9 over PAN after a bulge year".into(),
    }];
    let mut infant = school(100010, Some(300), 0, 0, 400100);
    infant.low_age = 4;
    infant.high_age = 11;
    c.schools = vec![
        school(100001, Some(1000), 2, 0, 401000), // 0.2 per 100, 2 this year
        school(100002, Some(500), 1, 2, 401000),  // 0.2 per 100, 3 this year
        school(100003, Some(800), 0, 5, 403000),  // 0 per 100, 5, 3 km
        school(100004, Some(800), 0, 5, 400500),  // 0 per 100, 5, 0.5 km
        girls,
        excluder,
        exempt,
        school(100008, None, 0, 0, 400100), // no roll: per 100 unknown, last
        school(100009, Some(800), 0, 5, 403000), // ties with 100003 on every figure: URN decides
        infant,
    ];
    c.places.clear();
    for m in &mut c.panel.members {
        m.urn = None;
    }
    let case = c
        .cases
        .iter_mut()
        .find(|k| k.reference == "FA-2026-006")
        .unwrap();
    case.pupil.home_easting = Some(400000);
    case.pupil.home_northing = Some(300000);
    case.pex_history = vec![Pex {
        urn: 100006,
        date: d("2025-11-03"),
        reinstated: false,
        reasons: Vec::new(),
    }];
    case.in_year_apps = vec![fairpanel::domain::caseload::InYearApp {
        urn: 100001,
        date: d("2026-01-20"),
        outcome: fairpanel::domain::caseload::AppOutcome::Refused,
    }];
    case.preferences = vec![100002];
    case.schools_attended.clear();
    case.suspensions.clear();
    (c, "FA-2026-006".to_owned())
}

#[test]
fn ranking_by_rate_then_total_then_distance_then_urn() {
    let (c, r) = hand_worked();
    let case = c.cases.iter().find(|k| k.reference == r).unwrap();
    assert_eq!(
        YearGroup::on(case.pupil.date_of_birth, d("2026-03-16")),
        Some(y(9))
    );
    let s = suggest(&c, &LogState::default(), case, d("2026-03-16"));
    let order: Vec<u32> = s.iter().map(|x| x.urn).collect();
    // Girls' school (other sex), the excluding school, the exempt school and the primary are
    // never suggested.
    assert_eq!(order, [100004, 100003, 100009, 100001, 100002, 100008]);
    let first = &s[0];
    assert_eq!(
        (first.in_year_group, first.total, first.per_100),
        (0, 5, Some(0.0))
    );
    assert!((first.distance_km.unwrap() - 0.5).abs() < 1e-9);
    assert_eq!(s[4].preference, Some(1), "preference shown, never a bar");
    assert_eq!(s[0].cap, Some(6), "PAN 180 / 30");
}

#[test]
fn tally_adds_log_placements_after_as_of_and_never_a_superseded_one() {
    let (c, r) = hand_worked();
    let text = serde_json::to_string(&c).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.log");
    let mut s = common::open_caseload(&path, c, &text).unwrap();
    common::attend_all(&mut s);
    let deciders = common::deciders(&s, 2);
    let before = Tally::build(s.caseload(), s.state());
    assert_eq!(before.count(100004, y(9)), 0);
    assert_eq!(before.total(100003), 5);
    let mut dec = Decision::new(&r, Outcome::AllocateSchool);
    dec.urn = Some(100004);
    dec.start_date = Some(d("2026-03-16"));
    dec.reasons = "Lowest rate of placements in the year group".into();
    dec.agreed_by = deciders.clone();
    // 100004 shares the top of the tally (5), so rule 8 asks for a reason.
    dec.override_reason = Some("Nearest school with the lowest rate in the year group".into());
    let (e, hits) = s
        .record(
            Event::Decision(dec.clone()),
            None,
            When::Meeting,
            "t".into(),
        )
        .unwrap();
    assert!(
        hits.iter().any(|h| h.rule.name == "tops-the-tally"),
        "{hits:?}"
    );
    // The decision keeps the options shown, with the figures that ranked them.
    let (_, stored) = s.state().current_decision(&r).unwrap();
    let ranks: Vec<(u32, u32, bool)> = stored
        .options_considered
        .iter()
        .map(|o| (o.rank, o.urn, o.chosen))
        .collect();
    assert_eq!(
        ranks,
        [
            (1, 100004, true),
            (2, 100003, false),
            (3, 100009, false),
            (4, 100001, false),
            (5, 100002, false)
        ]
    );
    assert_eq!(
        stored.options_considered[0].per_100_on_roll.as_deref(),
        Some("0.00")
    );
    assert_eq!(
        stored.options_considered[0].distance_km.as_deref(),
        Some("0.5")
    );
    assert_eq!(
        (
            stored.options_considered[0].this_year,
            stored.options_considered[0].cap
        ),
        (5, Some(6))
    );
    let after = Tally::build(s.caseload(), s.state());
    assert_eq!(
        after.count(100004, y(9)),
        1,
        "the log's placement after as_of counts"
    );
    assert_eq!(after.total(100004), 6);
    // Correct it to another school: the first no longer counts.
    dec.urn = Some(100003);
    dec.override_reason = Some("Parents' work pattern makes the nearer school impossible".into());
    let (_, hits) = s
        .record(
            Event::Decision(dec),
            Some((e.id, "Wrong school selected".into())),
            When::Meeting,
            "t".into(),
        )
        .unwrap();
    let t = Tally::build(s.caseload(), s.state());
    assert_eq!((t.count(100004, y(9)), t.count(100003, y(9))), (0, 1));
    assert!(
        hits.iter()
            .any(|h| h.rule.name == "tops-the-tally" || h.rule.name == "fair-share-cap"),
        "{hits:?}"
    );
}

#[test]
fn rule_8_cap_needs_a_recorded_reason() {
    let (mut c, r) = hand_worked();
    // The cap compares like with like: 6 placements in Y9 = PAN 180 / 30.
    c.schools[2]
        .prior_placements
        .as_mut()
        .unwrap()
        .by_year_group
        .insert(y(9), 6);
    let mut dec = Decision::new(&r, Outcome::AllocateSchool);
    dec.urn = Some(100003);
    dec.start_date = Some(d("2026-03-16"));
    dec.year_group = Some(y(9));
    dec.reasons = "Only school with a bus route".into();
    dec.agreed_by = vec![c.panel.members[0].name.clone()];
    let meeting = Meeting::new(c.clone(), &[]);
    let names = |dec: &Decision| {
        between(&meeting, dec)
            .iter()
            .map(|h| h.rule.name)
            .collect::<Vec<_>>()
    };
    let hits = names(&dec);
    assert!(
        hits.contains(&"fair-share-cap") && hits.contains(&"override-reason-required"),
        "{hits:?}"
    );
    dec.override_reason = Some("Only school reachable by public transport".into());
    let hits = names(&dec);
    assert!(
        hits.contains(&"fair-share-cap") && !hits.contains(&"override-reason-required"),
        "{hits:?}"
    );
}

#[test]
fn allocation_to_the_excluding_school_only_with_local_setting_and_reason() {
    let (mut c, r) = hand_worked();
    let mut dec = Decision::new(&r, Outcome::AllocateSchool);
    dec.urn = Some(100006);
    dec.start_date = Some(d("2026-03-16"));
    dec.reasons = "Return agreed at a reintegration meeting".into();
    dec.agreed_by = vec![c.panel.members[0].name.clone()];
    let names = |c: &Caseload, dec: &Decision| {
        between(&Meeting::new(c.clone(), &[]), dec)
            .iter()
            .filter(|h| h.rule.severity == Severity::Refuse)
            .map(|h| h.rule.name)
            .collect::<Vec<_>>()
    };
    assert!(names(&c, &dec).contains(&"allocation-to-excluding-school"));
    c.panel.settings.allow_excluding_school_with_agreement = true;
    assert_eq!(names(&c, &dec), ["override-reason-required"]);
    dec.override_reason = Some("The school agreed in writing on 10 March".into());
    assert!(names(&c, &dec).is_empty());
}

/// The rules' verdict on a decision taken between meetings, on 12 March 2026.
fn between(m: &Meeting, dec: &Decision) -> Vec<fairpanel::domain::rules::Hit> {
    m.check(&Proposal {
        event: Event::Decision(dec.clone()),
        correction: None,
        when: When::Between(d("2026-03-12")),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// No suggested school breaks a refuse-level rule about the school (age range, sex,
    /// exclusion, exemption is a warning so it is simply never suggested).
    #[test]
    fn no_suggestion_breaks_a_refuse_level_school_rule(case_i in 0usize..40, days in 0i64..120) {
        let c = fairpanel::io::caseload::parse(DEMO_CASELOAD).unwrap().caseload;
        let case = &c.cases[case_i % c.cases.len()];
        let start = Date(c.panel.meeting_date.0 + chrono::Duration::days(days));
        for s in suggest(&c, &LogState::default(), case, start) {
            let mut dec = Decision::new(&case.reference, Outcome::AllocateSchool);
            dec.urn = Some(s.urn);
            dec.start_date = Some(start);
            dec.reasons = "r".into();
            dec.agreed_by = vec![c.panel.members[0].name.clone()];
            let school_rules = ["age-range", "single-sex", "allocation-to-excluding-school", "unknown-school", "direction-to-excluding-school"];
            let meeting = Meeting::new(c.clone(), &[]);
            for h in meeting.check(&Proposal { event: Event::Decision(dec), correction: None, when: When::Between(c.panel.meeting_date) }) {
                prop_assert!(!school_rules.contains(&h.rule.name), "{} suggested but {}", s.urn, h.rule.name);
            }
        }
    }
}
