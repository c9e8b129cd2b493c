//! Reviews that continue a placement (issue "The panel's year, part 2" §2): an AP place and a
//! managed move decided at one meeting come back for review at the next, on the same log, and
//! each review outcome does what domain.md §5 says, with no correction needed.

use fairpanel::domain::caseload::{Caseload, Consent};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome, Proposal, When};
use fairpanel::domain::rules::{Hit, Severity};
use fairpanel::domain::view::{ClockState, Standing};
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;

mod common;
use common::{Open, T, attend_all, deciders, open_caseload};

const SHEPWELL: u32 = 131619; // PRU 11–16 with KS4 places
const POOL_HAYES: u32 = 142594; // mainstream 11–18
const SHELFIELD: u32 = 135769; // MM-2026-001's proposed host
const AP: &str = "AP-2026-001";
const MM: &str = "MM-2026-001";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn demo_on(date: &str) -> Caseload {
    let mut c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    c.panel.meeting_date = d(date);
    let mm = c.cases.iter_mut().find(|k| k.reference == MM).unwrap();
    mm.consent = Some(Consent {
        parent: Some(d("2026-03-02")),
        home_school: Some(d("2026-03-03")),
        host_school: Some(d("2026-03-04")),
    });
    c
}

fn open(path: &std::path::Path, date: &str) -> Open {
    let c = demo_on(date);
    let text = serde_json::to_string(&c).unwrap();
    let mut s = open_caseload(path, c, &text).unwrap();
    attend_all(&mut s);
    s
}

fn decision(s: &Open, case_ref: &str, outcome: Outcome) -> Decision {
    Decision {
        reasons: "Agreed by the panel on the provider's report".into(),
        package: Some("Mornings at the provision; transport arranged".into()),
        agreed_by: deciders(s, 2),
        ..Decision::new(case_ref, outcome)
    }
}

fn verdict(s: &Open, dec: Decision) -> Vec<Hit> {
    let p = s
        .meeting
        .prepare(Proposal::at_meeting(Event::Decision(dec)));
    s.meeting.check(&p)
}

fn refused(h: &[Hit]) -> Vec<&'static str> {
    h.iter()
        .filter(|x| x.rule.severity == Severity::Refuse)
        .map(|x| x.rule.name)
        .collect()
}

fn record(s: &mut Open, dec: Decision) -> Decision {
    let (e, _) = s
        .record(Event::Decision(dec), None, When::Meeting, T.into())
        .unwrap_or_else(|e| panic!("recorded: {e:?}"));
    match e.event {
        Event::Decision(d) => d,
        _ => unreachable!(),
    }
}

/// 12 March: an AP place at Shepwell reviewed on 20 April; the managed move agreed, reviewed
/// on 20 April.
fn first_meeting(path: &std::path::Path) {
    let mut s = open(path, "2026-03-12");
    let mut ap = decision(&s, AP, Outcome::AllocateApInterim);
    ap.urn = Some(SHEPWELL);
    ap.start_date = Some(d("2026-03-13"));
    ap.review_date = Some(d("2026-04-20"));
    record(&mut s, ap);
    let mut mm = decision(&s, MM, Outcome::ManagedMoveAgreed);
    mm.urn = Some(SHELFIELD);
    mm.start_date = Some(d("2026-03-16"));
    mm.review_date = Some(d("2026-04-20"));
    record(&mut s, mm);
}

#[test]
fn an_ap_place_continues_at_its_review_without_a_correction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    first_meeting(&path);
    let mut s = open(&path, "2026-04-23");
    let i = s.meeting.case_index(AP).unwrap();
    let f = s.meeting.facts(i).unwrap().clone();
    assert_eq!(f.standing, Standing::Placed);
    assert_eq!(f.review, Some(d("2026-04-20")));
    assert!(f.review_due, "the review fell due before this meeting");

    // A new placement over the standing one is refused: a review or a correction.
    let mut again = decision(&s, AP, Outcome::AllocateApInterim);
    again.urn = Some(SHEPWELL);
    again.start_date = Some(d("2026-04-24"));
    again.review_date = Some(d("2026-06-01"));
    assert!(refused(&verdict(&s, again)).contains(&"standing-placement"));

    // Continuing needs a next review date after today.
    let mut cont = decision(&s, AP, Outcome::ReviewConfirmed);
    assert_eq!(
        refused(&verdict(&s, cont.clone())),
        ["review-date-required"]
    );
    cont.review_date = Some(d("2026-04-23"));
    assert_eq!(
        refused(&verdict(&s, cont.clone())),
        ["next-review-after-today"]
    );
    // An AP place is reviewed every 6 to 8 weeks: ten weeks on is warned, eight is not.
    cont.review_date = Some(d("2026-07-02"));
    let h = verdict(&s, cont.clone());
    assert!(
        h.iter()
            .any(|x| x.rule.name == "ap-review-interval" && x.detail == "10 weeks on"),
        "{h:#?}"
    );
    cont.review_date = Some(d("2026-06-18"));
    assert!(
        !verdict(&s, cont.clone())
            .iter()
            .any(|x| x.rule.name == "ap-review-interval")
    );
    cont.review_date = Some(d("2026-06-04"));
    let free_before = s.meeting.summary().free_places;
    let stored = record(&mut s, cont);
    // The placement it continues is kept: school, start and the first placement's entry.
    assert_eq!(stored.urn, Some(SHEPWELL));
    assert_eq!(stored.start_date, Some(d("2026-03-13")));
    let of = stored.review_of.expect("the placement reviewed");
    assert_eq!(of.outcome, Outcome::AllocateApInterim);
    assert_eq!(of.decided_on, Some(d("2026-03-12")));
    let f = s.meeting.facts(i).unwrap();
    assert_eq!(f.standing, Standing::Placed);
    assert_eq!(f.review, Some(d("2026-06-04")));
    assert!(!f.review_due);
    assert_eq!(f.clock_state(), ClockState::NotAgreed);
    assert_eq!(
        s.meeting.summary().free_places,
        free_before,
        "a continuing place takes no new place"
    );
    // The story keeps the day the child was placed, and tells the review.
    let story = s.meeting.story(i).unwrap();
    let text = story.text().join("\n");
    assert!(text.contains("Review: placement continues"), "{text}");
    assert_eq!(story.waited, None, "no clock ran for a place request");
}

#[test]
fn each_review_outcome_on_its_terms() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    first_meeting(&path);
    let s = open(&path, "2026-04-23");

    // Extended: the package says on what terms.
    let mut ext = decision(&s, AP, Outcome::ReviewExtended);
    ext.review_date = Some(d("2026-06-04"));
    ext.package = None;
    assert_eq!(refused(&verdict(&s, ext)), ["extension-terms-required"]);

    // Reintegrated: to a named mainstream school, from a start date; not to another AP.
    let mut back = decision(&s, AP, Outcome::ReviewReintegrated);
    assert!(refused(&verdict(&s, back.clone())).contains(&"school-required"));
    back.urn = Some(SHEPWELL);
    back.start_date = Some(d("2026-04-27"));
    assert!(refused(&verdict(&s, back.clone())).contains(&"reintegrate-to-mainstream"));
    back.urn = Some(POOL_HAYES);
    assert_eq!(refused(&verdict(&s, back)), Vec::<&str>::new());

    // Made permanent: a managed move's outcome, not an AP place's.
    let perm = decision(&s, AP, Outcome::ReviewMadePermanent);
    assert!(refused(&verdict(&s, perm)).contains(&"outcome-for-case-kind"));
    let perm = decision(&s, MM, Outcome::ReviewMadePermanent);
    let h = verdict(&s, perm);
    assert_eq!(refused(&h), Vec::<&str>::new());

    // A case with nothing standing has nothing to review.
    let none = decision(&s, "FA-2026-003", Outcome::ReviewEnded);
    assert!(refused(&verdict(&s, none)).contains(&"nothing-to-review"));
}

#[test]
fn a_placement_that_broke_down_returns_to_the_queue_and_an_ended_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    first_meeting(&path);
    let mut s = open(&path, "2026-04-23");
    let broke = decision(&s, AP, Outcome::ReviewBreakdown);
    record(&mut s, broke);
    let i = s.meeting.case_index(AP).unwrap();
    let f = s.meeting.facts(i).unwrap();
    assert_eq!(f.standing, Standing::BrokeDown);
    assert!(f.standing.is_open(), "back with the panel");
    assert_eq!(f.review, None);
    // A new decision needs no correction; another review has nothing to review.
    let mut ap = decision(&s, AP, Outcome::AllocateApInterim);
    ap.urn = Some(SHEPWELL);
    ap.start_date = Some(d("2026-04-24"));
    ap.review_date = Some(d("2026-06-01"));
    assert!(!refused(&verdict(&s, ap)).contains(&"standing-placement"));
    assert!(
        refused(&verdict(&s, decision(&s, AP, Outcome::ReviewEnded)))
            .contains(&"nothing-to-review")
    );

    let ended = decision(&s, MM, Outcome::ReviewEnded);
    record(&mut s, ended);
    let f = s.meeting.facts(s.meeting.case_index(MM).unwrap()).unwrap();
    assert_eq!(f.standing, Standing::Closed);
    assert!(!f.standing.is_open());
}

/// A school that took a child keeps the count in the fair-share tally whatever a review of
/// the placement decides (a reduced timetable is reviewed); only a correction undoes it.
#[test]
fn a_reviewed_school_placement_still_counts_in_the_tally() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    let fa = "FA-2026-003";
    let (urn, y) = {
        let mut s = open(&path, "2026-03-12");
        let mut dec = decision(&s, fa, Outcome::AllocateSchool);
        dec.urn = Some(POOL_HAYES);
        dec.start_date = Some(d("2026-03-13"));
        dec.reduced_timetable = true;
        dec.review_date = Some(d("2026-04-20"));
        dec.override_reason = Some("Agreed by the panel as the fairest school".into());
        let stored = record(&mut s, dec);
        (stored.urn.unwrap(), stored.year_group.unwrap())
    };
    let mut s = open(&path, "2026-04-23");
    let before = s.meeting.tally().count(urn, y);
    assert!(before >= 1);
    let i = s.meeting.case_index(fa).unwrap();
    assert!(s.meeting.facts(i).unwrap().review_due);
    let mut full = decision(&s, fa, Outcome::ReviewEnded);
    full.reasons = "Full-time attendance from Monday; the reduced timetable ends".into();
    record(&mut s, full);
    assert_eq!(s.meeting.tally().count(urn, y), before);
    // The child waited until the placement, not until the review.
    let days = s
        .meeting
        .calendar()
        .school_days_between(d("2026-02-11"), d("2026-03-12"));
    assert_eq!(s.meeting.story(i).unwrap().waited, days.map(|n| (n, true)));
    // Read afresh from the log, the same.
    drop(s);
    let s = open(&path, "2026-05-21");
    assert_eq!(s.meeting.tally().count(urn, y), before);
}
