//! A transaction cut off before commit leaves no trace (issue "Decisions that are never lost"
//! §5). In a test binary of its own: the child process it spawns briefly holds copies of the
//! parent's open files until it execs, which would hold another test's log lock if they ran
//! side by side in one process.

use std::path::Path;

use fairpanel::log::Store;

mod common;
use common::{attend_all, demo_session};

/// Run in a child process by `a_transaction_cut_off_before_commit_leaves_no_trace`: opens the
/// log, inserts inside a transaction and aborts the process before committing.
#[test]
#[ignore = "helper: runs only in the child process of the crash test"]
fn child_crashes_mid_transaction() {
    let Some(path) = std::env::var_os("FAIRPANEL_CRASH_LOG") else {
        return;
    };
    let mut store = Store::open_writer(Path::new(&path)).unwrap();
    let conn = store.raw_connection().unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO entry (id, meeting_id, kind, body, prev_hash, hash) VALUES (999, 1, 'decision', '{}', 'x', 'x'); UPDATE log_meta SET value = '999' WHERE key = 'entries';").unwrap();
    std::process::abort();
}

#[test]
fn a_transaction_cut_off_before_commit_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("panel.fairpanel-log");
    let mut s = demo_session(&path);
    attend_all(&mut s);
    let n = s.state().entries().len();
    drop(s);
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_crashes_mid_transaction",
            "--ignored",
            "--nocapture",
        ])
        .env("FAIRPANEL_CRASH_LOG", &path)
        .status()
        .unwrap();
    assert!(!status.success(), "the child must have died");
    let store = Store::open_reader(&path).unwrap();
    assert_eq!(store.all_entries().unwrap().len(), n);
    store.verify().unwrap();
    Store::open_writer(&path).expect("the dead child's lock is gone");
}
