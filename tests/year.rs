//! The panel's year (issue "The panel's year, part 1"): one log across meetings, a tally that
//! counts the whole academic year, and each case's story from the whole log.

use std::collections::BTreeMap;

use fairpanel::domain::caseload::Caseload;
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Entry, Event, Outcome, Proposal, When};
use fairpanel::domain::meeting::Meeting;
use fairpanel::domain::rules::Severity;
use fairpanel::domain::state::{Here, LogState};
use fairpanel::domain::story::Place;
use fairpanel::domain::tally::Tally;
use fairpanel::domain::view::{ClockState, Standing};
use fairpanel::domain::year_group::YearGroup;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;

mod common;
use common::{Open, T, attend_all, deciders, open_caseload};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn y(n: i32) -> YearGroup {
    YearGroup::new(n).unwrap()
}

fn demo() -> Caseload {
    caseload::parse(DEMO_CASELOAD).unwrap().caseload
}

/// The demo caseload for another meeting date: the same panel, cases and schools.
fn demo_on(date: &str) -> Caseload {
    let mut c = demo();
    c.panel.meeting_date = d(date);
    c
}

fn open(path: &std::path::Path, c: Caseload) -> Open {
    let text = serde_json::to_string(&c).unwrap();
    open_caseload(path, c, &text).unwrap()
}

/// Records the first of `candidates` that no rule refuses, and returns it as stored.
fn record_first_lawful(
    s: &mut Open,
    candidates: impl IntoIterator<Item = Decision>,
    when: When,
) -> Option<Decision> {
    for dec in candidates {
        let p = s.meeting.prepare(Proposal {
            event: Event::Decision(dec.clone()),
            correction: None,
            when,
        });
        if s.meeting
            .check(&p)
            .iter()
            .any(|h| h.rule.severity == Severity::Refuse)
        {
            continue;
        }
        let (e, _) = s
            .record(Event::Decision(dec), None, when, T.into())
            .unwrap();
        let Event::Decision(stored) = e.event else {
            unreachable!()
        };
        return Some(stored);
    }
    None
}

/// Allocates `case_ref` to the first school the meeting ranks for it that no rule refuses,
/// starting on the next school day, giving a reason for anything that needs one. Returns the URN
/// and the year group the placement counts in.
fn allocate(s: &mut Open, case_ref: &str, when: When) -> (u32, YearGroup) {
    let i = s.meeting.case_index(case_ref).unwrap();
    let w = s.meeting.working(i);
    let agreed_by = deciders(s, 2);
    let candidates = w.suggestions.iter().map(|sug| {
        let mut dec = Decision::new(case_ref, Outcome::AllocateSchool);
        dec.urn = Some(sug.school.urn);
        dec.start_date = Some(w.start);
        dec.reasons = "The school with the fewest placements in the year group".into();
        dec.agreed_by = agreed_by.clone();
        dec.override_reason = Some("Agreed by the panel as the fairest school".into());
        dec
    });
    let stored = record_first_lawful(s, candidates.collect::<Vec<_>>(), when)
        .unwrap_or_else(|| panic!("no school can lawfully be asked for {case_ref}"));
    (stored.urn.unwrap(), stored.year_group.unwrap())
}

fn defer(s: &mut Open, case_ref: &str) {
    let mut dec = Decision::new(case_ref, Outcome::DeferMoreInfo);
    dec.reasons = "Awaiting the school's attendance record".into();
    dec.agreed_by = deciders(s, 2);
    s.record(Event::Decision(dec), None, When::Meeting, T.into())
        .unwrap();
}

/// A case the demo caseload has not yet agreed to consider, with no decision.
fn not_agreed(c: &Caseload) -> String {
    c.cases
        .iter()
        .find(|k| k.fap_agreed_date.is_none() && k.kind.label().contains("Fair Access"))
        .map(|k| k.reference.clone())
        .unwrap()
}

#[test]
fn a_second_meeting_on_the_log_counts_the_first_meetings_placements_and_carries_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    // 12 March: attendance, a placement, a deferral, an agreement, a declaration.
    let mut first = open(&path, demo());
    attend_all(&mut first);
    let placed_case = "FA-2026-003";
    let (urn, yg) = allocate(&mut first, placed_case, When::Meeting);
    let before = first.meeting.tally().count(urn, yg);
    defer(&mut first, "FA-2026-013");
    let agreed_case = not_agreed(first.caseload());
    first
        .record(
            Event::AgreedToConsider {
                case_ref: agreed_case.clone(),
                date: d("2026-03-12"),
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap();
    let member = deciders(&first, 1).remove(0);
    first
        .record(
            Event::Declaration {
                member: member.clone(),
                case_ref: agreed_case.clone(),
                interest: "Governor at the pupil's previous school".into(),
                withdrew: true,
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap();
    drop(first);

    // 26 March: the caseload no longer lists the placed case, and does not know the agreement.
    let mut march26 = demo_on("2026-03-26");
    march26.cases.retain(|k| k.reference != placed_case);
    let mut second = open(&path, march26);
    let m = &second.meeting;
    assert_eq!(
        m.tally().count(urn, yg),
        before,
        "the first meeting's placement counts at the second"
    );
    // Its agreement: the clock runs on from 12 March (10 school days to 26 March).
    let i = m.case_index(&agreed_case).unwrap();
    let f = m.facts(i).unwrap();
    assert_eq!(f.agreed, Some(d("2026-03-12")));
    assert_eq!(f.clock.since_agreed, Some(10));
    assert_eq!(f.clock_state(), ClockState::OnTime);
    // Its deferral: still open, carried, and the new meeting decides afresh.
    let j = m.case_index("FA-2026-013").unwrap();
    assert_eq!(m.facts(j).unwrap().standing, Standing::Deferred);
    let (deferral, _) = m.state().current_decision("FA-2026-013").unwrap();
    assert!(!m.state().is_here(deferral), "taken by the earlier meeting");
    // Its declaration stands; its attendance does not: this meeting has none yet.
    assert!(m.state().declared(&member, &agreed_case).is_some());
    assert!(m.state().attendance().is_empty());
    assert_eq!(m.quorum().present, 0);
    // Its story, as the detail pane tells it.
    let story = m.story(i).unwrap();
    assert!(
        story
            .lines
            .iter()
            .any(|l| l.place == Place::Meeting(d("2026-03-12")) && l.what.contains("agreed")),
        "{story:#?}"
    );
    assert_eq!(story.waited, Some((10, false)));

    // Live: a placement at the second meeting adds to the same tally.
    attend_all(&mut second);
    allocate(&mut second, "FA-2026-013", When::Meeting);
    let (_, dec) = second
        .meeting
        .state()
        .current_decision("FA-2026-013")
        .unwrap();
    let (urn2, yg2) = (dec.urn.unwrap(), dec.year_group.unwrap());
    let rebuilt = Tally::build(second.caseload(), second.state());
    assert_eq!(&rebuilt, second.meeting.tally(), "kept live, as a rebuild");
    assert_eq!(
        rebuilt.count(urn2, yg2),
        rebuilt
            .except(second.state(), "FA-2026-013")
            .count(urn2, yg2)
            + 1
    );
    drop(second);

    // Reopened, the second meeting reads the same.
    let mut again = demo_on("2026-03-26");
    again.cases.retain(|k| k.reference != placed_case);
    let third = open(&path, again);
    assert_eq!(third.meeting.tally(), &rebuilt);
    assert_eq!(
        third.meeting.quorum().present,
        third.caseload().panel.members.len()
    );
    drop(third);

    // Each meeting's minutes: its own attendance and declarations; the case agreed at the first
    // is carried forward by the second with its clock as the screen showed it.
    let reader = fairpanel::log::Store::open_reader(&path).unwrap();
    let rows = reader.meetings().unwrap();
    assert_eq!(rows.len(), 2);
    let m1 = fairpanel::io::minutes::build(&reader, &rows[0], false).unwrap();
    let m2 = fairpanel::io::minutes::build(&reader, &rows[1], false).unwrap();
    assert_eq!(m1.declarations.len(), 1);
    assert!(m2.declarations.is_empty());
    assert!(m2.carried_forward.contains(&agreed_case));
    assert!(!m2.carried_forward.contains(&"FA-2026-013".to_owned()));
    assert!(m1.carried_forward.contains(&"FA-2026-013".to_owned()));
}

/// Gives `case_ref` an interim AP place at the first provision no rule refuses, with a review.
fn ap_place(s: &mut Open, case_ref: &str) -> u32 {
    let agreed_by = deciders(s, 2);
    let candidates: Vec<Decision> = s
        .caseload()
        .places
        .iter()
        .map(|p| {
            let start = p.free_from.unwrap_or(d("2026-03-16")).max(d("2026-03-16"));
            let mut dec = Decision::new(case_ref, Outcome::AllocateApInterim);
            dec.urn = Some(p.urn);
            dec.start_date = Some(start);
            dec.review_date = Some(Date(start.0 + chrono::Duration::days(42)));
            dec.package = Some("Transport and a key worker".into());
            dec.reasons = "A place while a school is found".into();
            dec.agreed_by = agreed_by.clone();
            dec.override_reason = Some("Agreed by the panel".into());
            dec
        })
        .collect();
    record_first_lawful(s, candidates, When::Meeting)
        .and_then(|d| d.urn)
        .unwrap_or_else(|| panic!("no provision can take {case_ref}"))
}

#[test]
fn places_are_the_meetings_own_and_quorum_never_carries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    let mut first = open(&path, demo());
    attend_all(&mut first);
    let ap_case = first
        .caseload()
        .cases
        .iter()
        .find(|k| k.reference.starts_with("AP-"))
        .map(|k| k.reference.clone())
        .unwrap();
    let urn = ap_place(&mut first, &ap_case);
    let taken = |o: &Open| -> i64 {
        o.caseload()
            .places
            .iter()
            .filter(|p| p.urn == urn)
            .flat_map(|p| p.pools.iter().map(|x| x.group))
            .map(|g| o.meeting.places_taken(urn, g))
            .sum()
    };
    assert_eq!(taken(&first), 1, "the first meeting takes its place");
    drop(first);
    let second = open(&path, demo_on("2026-03-26"));
    assert_eq!(
        taken(&second),
        0,
        "places used before this meeting are its caseload's own count"
    );
    assert!(second.state().current_decision(&ap_case).is_some());
    assert!(!second.meeting.quorum().is_quorate());
}

// ------------------------------------------------------------------------------ the tally alone

fn placement(id: i64, case_ref: &str, urn: u32, yg: i32, on: &str) -> Entry {
    let mut dec = Decision::new(case_ref, Outcome::AllocateSchool);
    dec.urn = Some(urn);
    dec.year_group = Some(y(yg));
    dec.decided_on = Some(d(on));
    Entry {
        id,
        meeting_id: 1,
        event: Event::Decision(dec),
        supersedes: None,
        correction_reason: None,
        recorded_at: T.into(),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

fn with_prior(c: &mut Caseload, urn: u32, as_of: &str, y9: u32) {
    let s = c.schools.iter_mut().find(|s| s.urn == urn).unwrap();
    let mut by = BTreeMap::new();
    by.insert(y(9), y9);
    s.prior_placements = Some(fairpanel::domain::caseload::PriorPlacements {
        as_of: d(as_of),
        by_year_group: by,
    });
}

fn mainstream(c: &Caseload, n: usize) -> u32 {
    c.schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special))
        .nth(n)
        .unwrap()
        .urn
}

#[test]
fn prior_counts_are_never_added_to_the_placements_the_log_holds_up_to_their_date() {
    let mut c = demo();
    let (a, b, z, last_year) = (
        mainstream(&c, 0),
        mainstream(&c, 1),
        mainstream(&c, 2),
        mainstream(&c, 3),
    );
    // a: the LA's count (3 to 11 March) already includes the log's 5 March placement.
    with_prior(&mut c, a, "2026-03-11", 3);
    // b: counted to before the log began; the log's placements all come after.
    with_prior(&mut c, b, "2026-02-25", 1);
    // z: a prior count of 0 to 11 March is not allowed to hide a placement the log holds.
    with_prior(&mut c, z, "2026-03-11", 0);
    // last_year: a count from last academic year counts for nothing.
    with_prior(&mut c, last_year, "2025-07-10", 4);
    let state = LogState::replay(&[
        placement(1, "A1", a, 9, "2026-03-05"),
        placement(2, "A2", a, 9, "2026-03-12"),
        placement(3, "B1", b, 9, "2026-03-05"),
        placement(4, "Z1", z, 9, "2026-03-05"),
        placement(5, "L1", last_year, 9, "2026-03-12"),
    ]);
    let t = Tally::build(&c, &state);
    assert_eq!(
        t.count(a, y(9)),
        4,
        "3 counted by the LA (one of them logged) + 1 after"
    );
    assert_eq!(t.count(b, y(9)), 2, "1 before the log + 1 logged");
    assert_eq!(t.count(z, y(9)), 1, "the log's own placement always counts");
    assert_eq!(
        t.count(last_year, y(9)),
        1,
        "last year's count is not this year's"
    );
}

#[test]
fn the_year_turns_over_on_1_september() {
    let mut c = demo();
    let urn = mainstream(&c, 0);
    for s in &mut c.schools {
        s.prior_placements = None;
    }
    let entries = [
        placement(1, "J1", urn, 9, "2026-07-09"),
        placement(2, "A1", urn, 9, "2026-08-31"),
        placement(3, "S1", urn, 10, "2026-09-01"),
        placement(4, "S2", urn, 10, "2026-09-03"),
    ];
    let state = LogState::replay(&entries);
    c.panel.meeting_date = d("2026-07-16");
    let july = Tally::build(&c, &state);
    assert_eq!((july.year, july.total(urn)), (2025, 2), "to 31 August");
    c.panel.meeting_date = d("2026-09-10");
    let sept = Tally::build(&c, &state);
    assert_eq!((sept.year, sept.total(urn)), (2026, 2), "from 1 September");
    assert_eq!(sept.count(urn, y(9)), 0);
    assert_eq!(sept.count(urn, y(10)), 2);
}

#[test]
fn a_meeting_new_to_the_log_learns_its_row_from_its_first_entry() {
    let c = demo();
    let earlier = placement(1, "FA-2026-003", mainstream(&c, 0), 9, "2026-02-26");
    let mut m = Meeting::resume(c, Here::NotYet, vec![earlier.clone()]);
    assert!(!m.state().is_here(&earlier));
    let mut log = fairpanel::log::MemoryLog::new();
    let names: Vec<String> = m
        .caseload()
        .panel
        .members
        .iter()
        .map(|x| x.name.clone())
        .collect();
    m.record(
        &mut log,
        Proposal::at_meeting(Event::Attendance {
            member: names[0].clone(),
            status: fairpanel::domain::event::Attendance::Present,
            time: None,
        }),
        T.into(),
    )
    .unwrap();
    assert_eq!(m.quorum().present, 1);
    assert!(matches!(m.state().here(), Here::Meeting(_)));
}

#[test]
fn a_placement_corrected_away_at_an_earlier_meeting_counts_for_nothing_at_a_later_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    let mut first = open(&path, demo());
    attend_all(&mut first);
    let empty = first.meeting.tally().clone();
    let (urn, yg) = allocate(&mut first, "FA-2026-003", When::Meeting);
    assert_eq!(
        first.meeting.tally().count(urn, yg),
        empty.count(urn, yg) + 1
    );
    let (placed, _) = first.state().current_decision("FA-2026-003").unwrap();
    let placed = placed.id;
    let mut dec = Decision::new("FA-2026-003", Outcome::DeferMoreInfo);
    dec.reasons = "The school's place was withdrawn".into();
    dec.agreed_by = deciders(&first, 2);
    first
        .record(
            Event::Decision(dec),
            Some((placed, "Recorded against the wrong case".into())),
            When::Meeting,
            T.into(),
        )
        .unwrap();
    assert_eq!(first.meeting.tally(), &empty);
    drop(first);
    // The later caseload no longer lists the case: its correction still reaches the tally.
    let mut later = demo_on("2026-03-26");
    later.cases.retain(|k| k.reference != "FA-2026-003");
    let second = open(&path, later);
    assert_eq!(second.meeting.tally().count(urn, yg), empty.count(urn, yg));
}
