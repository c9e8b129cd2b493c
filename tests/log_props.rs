//! Property test (issue "Decisions that are never lost" §7): any sequence of record, supersede,
//! refuse and attendance keeps every invariant: no place over-allocated, no entry lost, the chain
//! intact, and memory equal to what a reopen reads.

use std::collections::HashMap;

use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Attendance, Decision, Event, Outcome};
use fairpanel::io::demo::DEMO_CASELOAD;

mod common;
use common::Open as Session;
use fairpanel::domain::event::When;
use fairpanel::domain::meeting::RecordError;
use fairpanel::log::Store;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Attend {
        member: usize,
        status: usize,
    },
    Agree {
        case: usize,
    },
    Declare {
        member: usize,
        case: usize,
        withdrew: bool,
    },
    Decide {
        case: usize,
        outcome: usize,
        school: usize,
        start_in: i64,
        deciders: usize,
    },
    Correct {
        nth: usize,
        outcome: usize,
        school: usize,
        start_in: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..8usize, 0..4usize).prop_map(|(member, status)| Op::Attend { member, status }),
        1 => (0..40usize).prop_map(|case| Op::Agree { case }),
        1 => (0..8usize, 0..40usize, any::<bool>()).prop_map(|(member, case, withdrew)| Op::Declare { member, case, withdrew }),
        5 => (0..40usize, 0..11usize, 0..40usize, 0..30i64, 1..4usize)
            .prop_map(|(case, outcome, school, start_in, deciders)| Op::Decide { case, outcome, school, start_in, deciders }),
        2 => (0..10usize, 0..11usize, 0..40usize, 0..30i64)
            .prop_map(|(nth, outcome, school, start_in)| Op::Correct { nth, outcome, school, start_in }),
    ]
}

use common::T;

/// Schools worth trying: the provisions with places first, then the rest.
fn candidate_urns(s: &Session) -> Vec<u32> {
    let places: Vec<u32> = s.caseload().places.iter().map(|p| p.urn).collect();
    let rest = s
        .caseload()
        .schools
        .iter()
        .map(|x| x.urn)
        .filter(|u| !places.contains(u));
    places.iter().copied().chain(rest).collect()
}

fn decision(
    s: &Session,
    case: usize,
    outcome: usize,
    school: usize,
    start_in: i64,
    deciders: usize,
) -> Decision {
    let c = &s.caseload().cases[case % s.caseload().cases.len()];
    let urns = candidate_urns(s);
    let start = Date(s.caseload().panel.meeting_date.0 + chrono::Duration::days(start_in));
    let present: Vec<String> = s
        .state()
        .present(&s.caseload().panel.members)
        .iter()
        .filter(|m| m.can_decide)
        .map(|m| m.name.clone())
        .collect();
    Decision {
        urn: Some(urns[school % urns.len()]),
        start_date: Some(start),
        package: Some("Transport provided for the first half-term".into()),
        review_date: Some(Date(start.0 + chrono::Duration::days(42))),
        reasons: "Agreed by the panel on the evidence presented".into(),
        agreed_by: present.into_iter().take(deciders).collect(),
        ..Decision::new(&c.reference, Outcome::ALL[outcome])
    }
}

fn check_invariants(s: &Session, written: usize, path: &std::path::Path) {
    // No place over-allocated: used before the meeting plus taken in the log never exceeds offered.
    for prov in &s.caseload().places {
        for pool in &prov.pools {
            let taken = s.state().places_taken(s.caseload(), prov.urn, pool.group);
            assert_eq!(
                s.meeting.places_taken(prov.urn, pool.group),
                taken,
                "the meeting view counts places as a replay of the log does"
            );
            assert!(
                pool.used + taken <= pool.offered,
                "{} {}: {} used + {taken} taken > {} offered",
                prov.urn,
                pool.group,
                pool.used,
                pool.offered
            );
        }
    }
    // At most one standing decision per case, and it is not superseded.
    let standing: HashMap<&String, i64> = s
        .caseload()
        .cases
        .iter()
        .filter_map(|c| Some((&c.reference, s.state().decision_entry(&c.reference)?)))
        .collect();
    for id in standing.values() {
        assert!(s.state().superseded_by(*id).is_none());
    }
    // Nothing written: nothing made.
    if written == 0 {
        assert!(!path.exists(), "refusals alone make no log");
        return;
    }
    // No entry lost and the chain intact.
    let reader = Store::open_reader(path).unwrap();
    let v = reader.verify().unwrap();
    assert_eq!(
        v.entries, written,
        "every successful record is in the log, and nothing else"
    );
    // Memory equals what a reopen reads, and the meeting view one built afresh from the file.
    let (_, fresh) = fairpanel::log::session::Session::open(
        Store::open_reader(path).unwrap(),
        s.caseload().clone(),
        "",
    )
    .unwrap();
    assert_eq!(fresh.state(), s.state());
    for i in 0..s.caseload().cases.len() {
        assert_eq!(fresh.facts(i), s.meeting.facts(i), "case {i}");
    }
    assert_eq!(fresh.summary(), s.meeting.summary());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn log_invariants_hold_for_any_sequence(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.fairpanel-log");
        let mut s = common::open_session(&path, DEMO_CASELOAD).unwrap();
        // The caseload revision is written with the first entry.
        let mut written = 0;
        let mut decisions: Vec<i64> = Vec::new();
        for op in ops {
            let members = &s.caseload().panel.members;
            let (event, correction) = match op {
                Op::Attend { member, status } => (
                    Event::Attendance {
                        member: members[member % members.len()].name.clone(),
                        status: [Attendance::Present, Attendance::ArrivedLate, Attendance::Apologies, Attendance::Left][status],
                        time: None,
                    },
                    None,
                ),
                Op::Agree { case } => (
                    Event::AgreedToConsider {
                        case_ref: s.caseload().cases[case % s.caseload().cases.len()].reference.clone(),
                        date: s.caseload().panel.meeting_date,
                    },
                    None,
                ),
                Op::Declare { member, case, withdrew } => (
                    Event::Declaration {
                        member: members[member % members.len()].name.clone(),
                        case_ref: s.caseload().cases[case % s.caseload().cases.len()].reference.clone(),
                        interest: "Head of a school proposed for this case".into(),
                        withdrew,
                    },
                    None,
                ),
                Op::Decide { case, outcome, school, start_in, deciders } => {
                    (Event::Decision(decision(&s, case, outcome, school, start_in, deciders)), None)
                }
                Op::Correct { nth, outcome, school, start_in } => {
                    let Some(&old) = decisions.get(nth % decisions.len().max(1)) else { continue };
                    let Some(Event::Decision(prev)) = s.state().entry(old).map(|e| e.event.clone()) else { continue };
                    let case = s.caseload().cases.iter().position(|c| c.reference == prev.case_ref).unwrap();
                    (
                        Event::Decision(decision(&s, case, outcome, school, start_in, 2)),
                        Some((old, "Corrected at the meeting after checking the paperwork".to_owned())),
                    )
                }
            };
            let before = s.state().clone();
            match s.record(event, correction, When::Meeting, T.into()) {
                Ok((e, _)) => {
                    written += if written == 0 { 2 } else { 1 };
                    if matches!(e.event, Event::Decision(_)) {
                        decisions.push(e.id);
                    }
                }
                Err(RecordError::Refused(hits)) => {
                    prop_assert!(!hits.is_empty());
                    prop_assert_eq!(s.state(), &before, "a refusal changes nothing in memory");
                }
                Err(RecordError::Write(e)) => panic!("store failed: {e}"),
            }
        }
        check_invariants(&s, written, &path);
    }
}
