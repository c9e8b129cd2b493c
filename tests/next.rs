//! `fairpanel next` (issue "The panel's year, part 2" §1): the next meeting's caseload written
//! from the log, through the real binary, then opened on the same log.

use std::path::Path;
use std::process::{Command, Output};

use fairpanel::domain::caseload::{Caseload, Consent, FORMAT};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome, When};
use fairpanel::domain::view::{ClockState, Standing};
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;

mod common;
use common::{Open, SettledOutput, T, attend_all, deciders, open_caseload};

const SHEPWELL: u32 = 131619;
const SHELFIELD: u32 = 135769;
const POOL_HAYES: u32 = 142594;
const LATE: &str = "FA-2026-099";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .env("FAIRPANEL_DATA_DIR", data)
        .args(args)
        .settled_output()
}

fn first_caseload() -> Caseload {
    let mut c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    let mm = c
        .cases
        .iter_mut()
        .find(|k| k.reference == "MM-2026-001")
        .unwrap();
    mm.consent = Some(Consent {
        parent: Some(d("2026-03-02")),
        home_school: Some(d("2026-03-03")),
        host_school: Some(d("2026-03-04")),
    });
    c
}

fn decide(s: &mut Open, mut dec: Decision) {
    dec.agreed_by = deciders(s, 2);
    if dec.reasons.is_empty() {
        dec.reasons = "Agreed by the panel after discussion".into();
    }
    s.record(Event::Decision(dec), None, When::Meeting, T.into())
        .unwrap_or_else(|e| panic!("{e:?}"));
}

/// 12 March: a school place (no review: left out), a deferral, an AP place reviewed on
/// 20 April (due), a managed move reviewed on 20 May (not due by 23 April), an agreement to
/// consider, a late referral added and amended.
fn first_meeting(log: &Path, file: &Path) {
    let c = first_caseload();
    let text = serde_json::to_string_pretty(&c).unwrap();
    std::fs::write(file, &text).unwrap();
    let mut s = open_caseload(log, c, &text).unwrap();
    attend_all(&mut s);
    decide(
        &mut s,
        Decision {
            urn: Some(POOL_HAYES),
            start_date: Some(d("2026-03-13")),
            override_reason: Some("Agreed by the panel as the fairest school".into()),
            ..Decision::new("FA-2026-003", Outcome::AllocateSchool)
        },
    );
    decide(
        &mut s,
        Decision {
            reasons: "Awaiting the refuge's confirmation letter".into(),
            ..Decision::new("FA-2026-001", Outcome::DeferMoreInfo)
        },
    );
    decide(
        &mut s,
        Decision {
            urn: Some(SHEPWELL),
            start_date: Some(d("2026-03-13")),
            review_date: Some(d("2026-04-20")),
            package: Some("Mornings; transport arranged".into()),
            ..Decision::new("AP-2026-001", Outcome::AllocateApInterim)
        },
    );
    decide(
        &mut s,
        Decision {
            urn: Some(SHELFIELD),
            start_date: Some(d("2026-03-16")),
            review_date: Some(d("2026-05-20")),
            ..Decision::new("MM-2026-001", Outcome::ManagedMoveAgreed)
        },
    );
    s.record(
        Event::AgreedToConsider {
            case_ref: "FA-2026-002".into(),
            date: d("2026-03-12"),
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    let mut late = s.caseload().cases[2].clone();
    late.reference = LATE.into();
    late.pupil.given_name = "Zephyrine".into();
    late.fap_agreed_date = None;
    s.record(
        Event::CaseAdded {
            case: Box::new(late.clone()),
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    late.pupil.family_name = "Quillfeather-Amended".into();
    s.record(
        Event::CaseAmended {
            case: Box::new(late),
            reason: "Family name corrected from the birth certificate".into(),
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
}

#[test]
fn next_carries_what_waits_and_what_is_due_and_the_next_meeting_opens_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let (log, first, out) = (
        dir.path().join("panel.fairpanel-log"),
        dir.path().join("march.json"),
        dir.path().join("april.json"),
    );
    first_meeting(&log, &first);
    let s = |p: &Path| p.to_str().unwrap().to_owned();

    // Not after the meeting, or over the meeting's own caseload: refused, nothing written.
    let o = run(
        dir.path(),
        &[
            "next",
            "--log",
            &s(&log),
            "--meeting",
            "2026-03-12",
            "--out",
            &s(&out),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.exists());
    let before = std::fs::read(&first).unwrap();
    let o = run(
        dir.path(),
        &[
            "next",
            "--log",
            &s(&log),
            "--meeting",
            "2026-04-23",
            "--out",
            &s(&first),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds the caseload of the meeting on"));
    assert_eq!(std::fs::read(&first).unwrap(), before);

    let o = run(
        dir.path(),
        &[
            "next",
            "--log",
            &s(&log),
            "--meeting",
            "2026-04-23",
            "--out",
            &s(&out),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("1 due for review"), "{err}");
    assert!(!err.contains("Zephyrine"), "no pupil data on stderr: {err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The file: format 3, where it came from, and each case as the log left it.
    let text = std::fs::read_to_string(&out).unwrap();
    let next = caseload::parse(&text).expect("passes the checks").caseload;
    assert_eq!(next.format, FORMAT);
    assert_eq!(next.panel.meeting_date, d("2026-04-23"));
    let from = next.carried_from.as_ref().unwrap();
    assert_eq!(from.meeting_date, d("2026-03-12"));
    let verified = fairpanel::log::Store::open_reader(&log)
        .unwrap()
        .verify()
        .unwrap();
    assert_eq!(from.log_head, verified.head);
    let case = |r: &str| next.cases.iter().find(|k| k.reference == r);
    assert!(case("FA-2026-003").is_none(), "placed, no review: left out");
    assert!(case("MM-2026-001").is_none(), "review not due by 23 April");
    let deferred = case("FA-2026-001").unwrap().deferred.as_ref().unwrap();
    assert_eq!(
        deferred.asked_for,
        "Awaiting the refuge's confirmation letter"
    );
    assert_eq!(deferred.on, d("2026-03-12"));
    assert_eq!(
        case("FA-2026-002").unwrap().fap_agreed_date,
        Some(d("2026-03-12")),
        "the clock runs on from the day agreed"
    );
    let review = case("AP-2026-001").unwrap().review.as_ref().unwrap();
    assert_eq!(review.placement, "allocate_ap_interim");
    assert_eq!(review.urn, Some(SHEPWELL));
    assert_eq!(review.review_date, d("2026-04-20"));
    let late = case(LATE).expect("the late referral is carried");
    assert_eq!(late.pupil.family_name, "Quillfeather-Amended", "as amended");
    // Every open case of the first caseload that nothing decided is carried.
    let untouched = first_caseload()
        .cases
        .iter()
        .filter(|k| !["FA-2026-003", "MM-2026-001"].contains(&k.reference.as_str()))
        .count();
    assert_eq!(next.cases.len(), untouched + 1);
    // Places: the AP place this meeting used.
    let pool = |c: &Caseload| {
        c.places
            .iter()
            .find(|p| p.urn == SHEPWELL)
            .unwrap()
            .pools
            .iter()
            .find(|p| p.group.to_string() == "KS4")
            .map(|p| p.used)
            .unwrap()
    };
    assert_eq!(pool(&next), pool(&first_caseload()) + 1);

    // The next meeting on the same log: the clock ran on, the review is due and continues.
    let mut m = open_caseload(&log, next.clone(), &text).unwrap();
    attend_all(&mut m);
    let i = m.meeting.case_index("FA-2026-002").unwrap();
    let f = m.meeting.facts(i).unwrap();
    // 11 school days to the Easter break, 9 after it: the aim itself.
    assert_eq!(f.clock.since_agreed, Some(20));
    assert_eq!(f.clock_state(), ClockState::DueSoon);
    let i = m.meeting.case_index("AP-2026-001").unwrap();
    assert!(m.meeting.facts(i).unwrap().review_due);
    decide(
        &mut m,
        Decision {
            review_date: Some(d("2026-06-04")),
            ..Decision::new("AP-2026-001", Outcome::ReviewConfirmed)
        },
    );
    let f = m.meeting.facts(i).unwrap();
    assert_eq!(f.standing, Standing::Placed);
    assert!(!f.review_due);
    assert!(m.meeting.case_index(LATE).is_some());
}
