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
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO entry (id, meeting_id, kind, day, body, prev_hash, hash) VALUES (999, 1, 'decision', '2026-03-12', '{}', 'x', 'x'); UPDATE log_meta SET value = '999' WHERE key = 'entries';").unwrap();
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

/// `record` on a new log, killed (SIGKILL) at moments spread over its run: the log is afterwards
/// either absent or whole and verified, never an empty or partial file, and the next `record`
/// makes or extends it and tidies what the killed one left.
#[cfg(unix)]
#[test]
fn a_first_write_killed_at_any_moment_leaves_no_log_or_a_whole_one() {
    use std::process::{Command, Stdio};
    use std::time::Duration;
    let bin = env!("CARGO_BIN_EXE_fairpanel");
    let args = |log: &Path| {
        common::deferral_args(log, Path::new("fixtures/demo-walsall.json"), "FA-2026-013")
    };
    let (mut absent, mut whole) = (0, 0);
    for i in 0..40u64 {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("new.fairpanel-log");
        let mut child = Command::new(bin)
            .args(args(&log))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From 0 to 60 ms: before, during and after the first write (a record takes ~10-30 ms).
        std::thread::sleep(Duration::from_micros((i * 1499) % 60_000));
        let _ = child.kill();
        let _ = child.wait();
        if log.exists() {
            let store = Store::open_reader(&log).expect("a whole log");
            assert_eq!(store.verify().unwrap().entries, 2, "run {i}");
            whole += 1;
        } else {
            absent += 1;
        }
        let o = Command::new(bin)
            .args(args(&log))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "run {i}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".new-"))
            .collect();
        assert!(left.is_empty(), "run {i}: {left:?}");
    }
    eprintln!("killed first writes: {absent} left no log, {whole} a whole one");
}
