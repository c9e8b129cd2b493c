//! The decision log: durable, append-only, tamper-evident, one writer (issue "Decisions that are
//! never lost" §1, §4, §5).

use std::path::{Path, PathBuf};

mod common;
use common::Open as Session;
use common::{T, attend_all, demo_session as session};
use fairpanel::domain::event::When;
use fairpanel::domain::event::{Decision, Event, Outcome};
use fairpanel::domain::meeting::RecordError;
use fairpanel::domain::state::LogState;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::log::{LogError, Store};

fn log_in(dir: &Path) -> PathBuf {
    dir.join("nested").join("panel.fairpanel-log")
}

fn defer(s: &Session, case_ref: &str) -> Decision {
    Decision {
        reasons: "Awaiting the housing officer's report".into(),
        agreed_by: common::deciders(s, 2),
        ..Decision::new(case_ref, Outcome::DeferMoreInfo)
    }
}

#[cfg(unix)]
#[test]
fn folder_0700_files_0600_wal_and_full_sync() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    let mut s = session(&path);
    attend_all(&mut s);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&path), 0o600);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(wal.exists(), "WAL mode keeps a -wal file");
    assert_eq!(mode(&wal), 0o600);
    let raw = rusqlite::Connection::open(&path).unwrap();
    let jm: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jm, "wal");
    let uv: u32 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(uv, 2, "log format 2");
    let app: i64 = raw
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, 0x4650_4C47, "marked as a fairpanel log (FPLG)");
    drop(raw);
    drop(s);
    let left: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-"))
        .collect();
    assert!(left.is_empty(), "no temporary file left behind: {left:?}");
}

#[test]
fn one_writer_at_a_time_but_readers_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    let mut s = session(&path);
    attend_all(&mut s);
    match Store::open_writer(&path) {
        Err(LogError::InUse { .. }) => {}
        other => panic!("second writer must be refused, got {other:?}"),
    }
    let reader = Store::open_reader(&path).unwrap();
    assert_eq!(
        reader.all_entries().unwrap().len(),
        s.state().entries().len()
    );
    drop(s);
    Store::open_writer(&path).expect("the lock is freed when the writer goes");
}

#[test]
fn entries_can_be_neither_updated_nor_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    attend_all(&mut session(&path));
    let mut store = Store::open_writer(&path).unwrap();
    let conn = store.raw_connection().unwrap();
    let upd = conn.execute("UPDATE entry SET kind = 'x' WHERE id = 1", []);
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = conn.execute("DELETE FROM entry", []);
    assert!(del.unwrap_err().to_string().contains("append-only"));
    assert!(conn.execute("DELETE FROM blob", []).is_err());
    assert!(
        conn.execute("UPDATE blob SET bytes = x'00'", []).is_err(),
        "a stored part can be removed (set to null) when its time is up, never changed"
    );
    assert!(conn.execute("DELETE FROM meeting", []).is_err());
}

#[test]
fn verify_counts_and_names_the_first_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    let mut s = session(&path);
    attend_all(&mut s);
    let n = s.state().entries().len();
    let head = s.state().entries().last().unwrap().hash.clone();
    drop(s);
    let v = Store::open_reader(&path).unwrap().verify().unwrap();
    assert_eq!((v.entries, v.head.as_str()), (n, head.as_str()));
    // Someone drops the trigger and rewrites entry 3 by hand.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("DROP TRIGGER entry_no_update; UPDATE entry SET body = replace(body, 'present', 'apologies') WHERE id = 3;").unwrap();
    drop(raw);
    match Store::open_reader(&path).unwrap().verify() {
        Err(e @ LogError::Damaged { .. }) => {
            assert!(e.to_string().contains("broken at entry 3"), "{e}")
        }
        other => panic!("tampering must be found, got {other:?}"),
    }
}

#[test]
fn a_refused_decision_writes_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    let mut s = session(&path);
    // Not quorate yet: rule 9.
    let first = s.caseload().cases[0].reference.clone();
    match s.record(
        Event::Decision(defer(&s, &first)),
        None,
        When::Meeting,
        T.into(),
    ) {
        Err(RecordError::Refused(hits)) => {
            assert!(hits.iter().any(|h| h.rule.name == "not-quorate"))
        }
        other => panic!("{other:?}"),
    }
    assert!(!path.exists(), "nothing written, so no log made");
    assert!(s.state().entries().is_empty(), "memory unchanged too");
}

#[test]
fn decisions_corrections_and_reopen_agree_with_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    let mut s = session(&path);
    attend_all(&mut s);
    let r = s.caseload().cases[0].reference.clone();
    let (e1, _) = s
        .record(
            Event::Decision(defer(&s, &r)),
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap();
    let mut withdrawn = defer(&s, &r);
    withdrawn.outcome = Outcome::Withdrawn;
    withdrawn.reasons = "Family moved out of the area".into();
    // A correction needs a reason.
    assert!(matches!(
        s.record(
            Event::Decision(withdrawn.clone()),
            Some((e1.id, " ".into())),
            When::Meeting,
            T.into()
        ),
        Err(RecordError::Refused(_))
    ));
    let (e2, _) = s
        .record(
            Event::Decision(withdrawn),
            Some((e1.id, "Recorded against the wrong outcome".into())),
            When::Meeting,
            T.into(),
        )
        .unwrap();
    assert_eq!(
        s.state().current_decision(&r).map(|(e, _)| e.id),
        Some(e2.id)
    );
    assert_eq!(s.state().superseded_by(e1.id), Some(e2.id));
    // A superseded entry cannot be corrected again.
    assert!(matches!(
        s.record(
            Event::Decision(defer(&s, &r)),
            Some((e1.id, "again".into())),
            When::Meeting,
            T.into()
        ),
        Err(RecordError::Refused(_))
    ));
    let memory = s.state().clone();
    drop(s);
    let reopened = session(&path);
    assert_eq!(
        reopened.state(),
        &memory,
        "a reopen reads exactly what memory held"
    );
    assert_eq!(
        LogState::replay_in(
            memory.here(),
            &Store::open_reader(&path).unwrap().all_entries().unwrap()
        ),
        memory
    );
}

#[test]
fn an_edited_caseload_is_a_new_revision_and_decisions_stand() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    let mut s = session(&path);
    attend_all(&mut s);
    let r = s.caseload().cases[0].reference.clone();
    s.record(
        Event::Decision(defer(&s, &r)),
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    drop(s);
    let edited = DEMO_CASELOAD.replacen(
        "\"Walsall Secondary Fair Access Panel\"",
        "\"Walsall Secondary Fair Access Panel (late referral added)\"",
        1,
    );
    let blobs = |p: &Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM blob", [], |r| r.get(0))
            .unwrap()
    };
    let stored_before = blobs(&path);
    let mut s = common::open_session(&path, &edited).unwrap();
    assert_eq!(
        s.state().revisions().len(),
        1,
        "the new revision waits for the first entry"
    );
    assert!(s.state().current_decision(&r).is_some());
    s.record(
        Event::Attendance {
            member: s.caseload().panel.members[0].name.clone(),
            status: fairpanel::domain::event::Attendance::Left,
            time: None,
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    assert_eq!(s.state().revisions().len(), 2);
    assert_ne!(s.state().revisions()[0].1, s.state().revisions()[1].1);
    drop(s);
    assert_eq!(
        blobs(&path),
        stored_before + 1,
        "only the changed skeleton is stored again: every pupil's data is as it was"
    );
    // Same bytes again: no new revision.
    let mut s = common::open_session(&path, &edited).unwrap();
    attend_all(&mut s);
    assert_eq!(s.state().revisions().len(), 2);
}

#[test]
fn a_log_from_a_newer_fairpanel_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    attend_all(&mut session(&path));
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    match Store::open_writer(&path) {
        Err(e @ LogError::Newer { .. }) => {
            assert!(e.to_string().contains("newer fairpanel"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Store::open_reader(&path),
        Err(LogError::Newer { .. })
    ));
}

#[test]
fn verify_also_checks_the_stored_caseload_against_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = log_in(dir.path());
    attend_all(&mut session(&path));
    Store::open_reader(&path).unwrap().verify().unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("DROP TRIGGER blob_only_removed; UPDATE blob SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Walsall', 'Walsal') AS BLOB);").unwrap();
    drop(raw);
    match Store::open_reader(&path).unwrap().verify() {
        Err(e @ LogError::Damaged { .. }) => {
            assert!(e.to_string().contains("a stored part"), "{e}")
        }
        other => panic!("a rewritten caseload must be found, got {other:?}"),
    }
}
