//! Cases added and amended during the meeting, durably (issue "The panel's year, part 2" §3): a
//! late referral and an amendment go through the one way in, are judged by the checks a
//! caseload file passes (by field, never echoing the pupil), are written to the log before they
//! appear, with the pupil's personal data in the entry's personal part, and come back when the
//! meeting is opened again and in the minutes (without names).

use fairpanel::domain::caseload::{Case, Category, CategoryClaim};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Event, When};
use fairpanel::domain::meeting::RecordError;
use fairpanel::domain::view::Standing;
use fairpanel::io::minutes;
use fairpanel::log::Store;

mod common;
use common::{T, attend_all, demo_session};

const NEW_REF: &str = "FA-2026-099";

/// An invented late referral: a copy of a demo case under a new reference and pupil.
fn late_referral(base: &Case) -> Case {
    let mut k = base.clone();
    k.reference = NEW_REF.into();
    k.pupil.given_name = "Zephyrine".into();
    k.pupil.family_name = "Quillfeather".into();
    k.pupil.upn = None;
    k.notes = Some("Family moved into the area last week".into());
    k.fap_agreed_date = None;
    k
}

fn refused_details(e: RecordError<fairpanel::log::LogError>) -> Vec<String> {
    match e {
        RecordError::Refused(h) => h.into_iter().map(|h| h.line()).collect(),
        RecordError::Write(w) => panic!("write failed: {w}"),
    }
}

#[test]
fn a_late_referral_is_checked_written_then_shown_and_comes_back_on_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.fairpanel-log");
    let mut s = demo_session(&path);
    attend_all(&mut s);
    let base = s.caseload().cases[2].clone();
    let before = s.caseload().cases.len();

    // A bad date of birth (a child of two) and a reference already used: refused by field,
    // the pupil's values never echoed, nothing written.
    let mut bad = late_referral(&base);
    bad.reference = base.reference.clone();
    bad.pupil.date_of_birth = Date::parse("2024-01-01").unwrap();
    let entries_before = s.state().entries().len();
    let lines = refused_details(
        s.record(
            Event::CaseAdded {
                case: Box::new(bad),
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap_err(),
    );
    let all = lines.join("\n");
    assert!(all.contains("ref:"), "{all}");
    assert!(all.contains("pupil.date_of_birth:"), "{all}");
    assert!(
        !all.contains("2024-01-01") && !all.contains("Zephyrine"),
        "{all}"
    );
    assert_eq!(s.state().entries().len(), entries_before);
    assert_eq!(s.caseload().cases.len(), before);

    // A good one is written, then appears: last in the caseload, open, with its own facts.
    let (e, _) = s
        .record(
            Event::CaseAdded {
                case: Box::new(late_referral(&base)),
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap();
    assert_eq!(s.caseload().cases.len(), before + 1);
    let i = s.meeting.case_index(NEW_REF).unwrap();
    assert_eq!(s.meeting.facts(i).unwrap().standing, Standing::Open);

    // The hashed body names no pupil; the personal part holds the names and the notes.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (body, personal): (String, Vec<u8>) = conn
        .query_row(
            "SELECT e.body, b.bytes FROM entry e JOIN blob b ON b.sha256 = e.personal_sha256 WHERE e.id = ?1",
            [e.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(body.contains(NEW_REF) && body.contains("case_added"));
    for secret in [
        "Zephyrine",
        "Quillfeather",
        "moved into the area",
        "date_of_birth",
    ] {
        assert!(!body.contains(secret), "{secret} in the body: {body}");
    }
    let personal = String::from_utf8(personal).unwrap();
    assert!(personal.contains("Zephyrine") && personal.contains("moved into the area"));

    // An amendment: the date of birth corrected and a category added, with a reason.
    let mut amended = late_referral(&base);
    amended.pupil.date_of_birth = Date(base.pupil.date_of_birth.0 - chrono::Days::new(40));
    amended.categories.push(CategoryClaim {
        code: Category::G,
        evidence: "Housing officer's letter".into(),
    });
    amended.categories.dedup_by_key(|c| c.code);
    let no_reason = s
        .record(
            Event::CaseAmended {
                case: Box::new(amended.clone()),
                reason: " ".into(),
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap_err();
    assert!(
        refused_details(no_reason)
            .join("\n")
            .contains("amendment-reason-required")
    );
    let named = s
        .record(
            Event::CaseAmended {
                case: Box::new(amended.clone()),
                reason: "Zephyrine Quillfeather's birth certificate seen".into(),
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap_err();
    assert!(
        refused_details(named)
            .join("\n")
            .contains("names-in-free-text")
    );
    s.record(
        Event::CaseAmended {
            case: Box::new(amended.clone()),
            reason: "Date of birth corrected from the birth certificate".into(),
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    let now = s
        .meeting
        .case(s.meeting.case_index(NEW_REF).unwrap())
        .unwrap();
    assert_eq!(now.pupil.date_of_birth, amended.pupil.date_of_birth);

    // Opened again from the file it started from: the log wins.
    drop(s);
    let s = demo_session(&path);
    let k = s
        .meeting
        .case(s.meeting.case_index(NEW_REF).unwrap())
        .unwrap();
    assert_eq!(k, &amended);
    assert_eq!(s.caseload().cases.len(), before + 1);
    drop(s);

    // The minutes: "case added", "case amended" with the reason, and no names.
    let store = Store::open_reader(&path).unwrap();
    let row = store.meetings().unwrap().pop().unwrap();
    let m = minutes::build(&store, &row, false).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    let case = m
        .cases_considered
        .iter()
        .find(|c| c.reference == NEW_REF)
        .unwrap();
    let kinds: Vec<String> = case
        .changes
        .iter()
        .map(|c| serde_json::to_string(&c.change).unwrap())
        .collect();
    assert_eq!(kinds, ["\"case_added\"", "\"case_amended\""]);
    assert_eq!(
        case.changes[1].reason.as_deref(),
        Some("Date of birth corrected from the birth certificate")
    );
    assert!(!json.contains("Zephyrine") && !json.contains("Quillfeather"));

    // Its story, from the log alone: added, then amended, by reference only.
    let story = fairpanel::io::history::story(&store, NEW_REF)
        .unwrap()
        .expect("the log knows the case");
    let text = story.text().join("\n");
    assert!(
        text.contains("added at the meeting (a late referral)"),
        "{text}"
    );
    assert!(
        text.contains("amended: Date of birth corrected from the birth certificate"),
        "{text}"
    );
    assert!(!text.contains("Zephyrine"), "{text}");
}
