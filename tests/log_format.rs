//! The log as a file that lasts (issue "A log built for a decade"): format 2 and the upgrade from
//! format 1, one writer per file whatever the path, look before writing, nothing half-made,
//! readers that never write, and an exit code for every way a log can be unusable.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::SettledOutput;
use common::{T, attend_all, deferral_args, demo_session};
use fairpanel::domain::event::{Event, When};
use fairpanel::log::{LogError, Store};

const BIN: &str = env!("CARGO_BIN_EXE_fairpanel");
const FORMAT1: &str = "fixtures/logs/format1.fairpanel-log";

const DEMO_PATH: &str = "fixtures/demo-walsall.json";

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRPANEL_DATA_DIR", data)
        .settled_output()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `fairpanel record` of a deferral on FA-2026-013 between meetings.
fn record(data: &Path, log: &Path) -> Output {
    let args = deferral_args(log, Path::new(DEMO_PATH), "FA-2026-013");
    run(data, &args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// A writer opened in this test, on a log it expects free.
fn writer(path: &Path) -> Store {
    common::free_writer(path).unwrap()
}

/// A log with a few entries, closed.
fn small_log(dir: &Path) -> PathBuf {
    let path = dir.join("panel.fairpanel-log");
    let mut s = demo_session(&path);
    attend_all(&mut s);
    path
}

fn copy_format1(dir: &Path) -> PathBuf {
    let p = dir.join("old.fairpanel-log");
    std::fs::copy(fixture(FORMAT1), &p).unwrap();
    p
}

// ------------------------------------------------------------------------ the placements index

fn has_index(path: &Path, name: &str) -> bool {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )
        .unwrap()
}

fn has_placements_index(path: &Path) -> bool {
    has_index(path, "entry_year_placements")
}

/// A format-2 log made before the placements index, or with the first one (which matched two
/// review outcomes of six), reads the same history without it, and its first writer replaces
/// it (an index, not data: the chain is untouched).
#[test]
fn a_log_without_the_placements_index_reads_the_same_and_a_writer_adds_it() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("panel.fairpanel-log");
    let mut s = demo_session(&log);
    attend_all(&mut s);
    let mut d = fairpanel::domain::event::Decision::new(
        "FA-2026-003",
        fairpanel::domain::event::Outcome::AllocateSchool,
    );
    d.urn = Some(142594);
    d.start_date = fairpanel::domain::dates::Date::parse("2026-03-13");
    d.reasons = "Nearest school with a Y10 place".into();
    d.agreed_by = common::deciders(&s, 2);
    d.override_reason = Some("Agreed by the panel".into());
    s.record(Event::Decision(d), None, When::Meeting, T.into())
        .unwrap();
    drop(s);
    assert!(has_placements_index(&log), "a new log has it");
    // The year's placements alone: no meeting, no cases.
    let read = |p: &Path| {
        Store::open_reader(p)
            .unwrap()
            .history(&fairpanel::log::store::HistoryQuery {
                meeting_id: None,
                cases: &[],
                year_from: "2025-09-01",
                upto: "2026-03-12",
                last: i64::MAX,
            })
            .unwrap()
    };
    let with = read(&log);
    assert_eq!(with.len(), 1, "the placement");
    let head = Store::open_reader(&log).unwrap().verify().unwrap().head;
    rusqlite::Connection::open(&log)
        .unwrap()
        .execute_batch(
            "DROP INDEX entry_year_placements;
             CREATE INDEX entry_placements ON entry (day, id) WHERE kind = 'decision' AND
               (json_extract(body, '$.event.outcome') IN ('allocate_school', 'review_confirmed', 'review_breakdown')
                OR json_extract(body, '$.supersedes') IS NOT NULL)",
        )
        .unwrap();
    assert!(!has_placements_index(&log));
    assert_eq!(read(&log), with, "the same history read by day");
    drop(writer(&log));
    assert!(has_placements_index(&log), "the first writer adds it");
    assert!(
        !has_index(&log, "entry_placements"),
        "and drops the first one"
    );
    let v = Store::open_reader(&log).unwrap().verify().unwrap();
    assert_eq!(v.head, head);
}

// ------------------------------------------------------------------------ format 1 → format 2

#[test]
fn a_format_1_log_is_read_without_being_written_and_upgraded_by_the_first_writer() {
    let dir = tempfile::tempdir().unwrap();
    let old = copy_format1(dir.path());
    let before = std::fs::read(&old).unwrap();
    let said_then = std::fs::read_to_string(fixture("fixtures/logs/format1.verify")).unwrap();
    // Readers read a format-1 log through a copy upgraded in memory, and leave the file alone.
    let reader = Store::open_reader(&old).unwrap();
    let v = reader.verify().unwrap();
    assert_eq!(v.entries, 21);
    assert_eq!(v.v1_checked, 21, "every format-1 hash rechecked");
    let entries = reader.all_entries().unwrap();
    assert_eq!(
        entries.len(),
        21,
        "every entry of both meetings and between them"
    );
    // What format 1's verify said of the fixture is its own head.
    let raw = rusqlite::Connection::open(&old).unwrap();
    let v1_head: String = raw
        .query_row("SELECT hash FROM entry WHERE id = 21", [], |r| r.get(0))
        .unwrap();
    drop(raw);
    assert_eq!(said_then, format!("21 entries, head {v1_head}\n"));
    drop(reader);
    let o = run(
        dir.path(),
        &[
            "minutes",
            "--log",
            old.to_str().unwrap(),
            "--meeting",
            "2026-03-12",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(m["caseload_revisions"].as_array().unwrap().len(), 2);
    assert_eq!(std::fs::read(&old).unwrap(), before, "readers never write");
    for p in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{p}", old.display()));
    }

    let minutes_of = |date: &str| -> serde_json::Value {
        let o = run(
            dir.path(),
            &["minutes", "--log", old.to_str().unwrap(), "--meeting", date],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let mut m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        // The head is the format-2 chain's after the upgrade; everything else must be as it was.
        m.as_object_mut().unwrap().remove("head_hash");
        m
    };
    let before_12 = minutes_of("2026-03-12");
    let before_26 = minutes_of("2026-03-26");

    // The first writer upgrades it, in place, in one transaction, as it opens.
    drop(writer(&old));
    let raw = rusqlite::Connection::open(&old).unwrap();
    let (uv, app): (i64, i64) = raw
        .query_row(
            "SELECT * FROM pragma_user_version, pragma_application_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((uv, app), (2, 0x4650_4C47));
    let old_head_kept: String = raw
        .query_row(
            "SELECT json_extract(body, '$.v1_hash') FROM entry WHERE id = 21",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(said_then, format!("21 entries, head {old_head_kept}\n"));
    drop(raw);
    let v = Store::open_reader(&old).unwrap().verify().unwrap();
    assert_eq!((v.entries, v.v1_checked), (21, 21));
    assert_eq!(minutes_of("2026-03-12"), before_12, "the same minutes");
    assert_eq!(minutes_of("2026-03-26"), before_26);
    // And it takes new entries.
    let o = record_other(dir.path(), &old);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = Store::open_reader(&old).unwrap().verify().unwrap();
    assert_eq!(
        (v.entries, v.v1_checked),
        (23, 21),
        "a revision and the decision"
    );
}

/// `record` of a case the format-1 fixture has not decided.
fn record_other(data: &Path, log: &Path) -> Output {
    let args = deferral_args(log, Path::new(DEMO_PATH), "FA-2026-020");
    run(data, &args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn a_changed_personal_part_of_an_upgraded_entry_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let old = copy_format1(dir.path());
    assert_eq!(record_other(dir.path(), &old).status.code(), Some(0));
    // Change an upgraded entry's free text: the body covers the part's hash, the part no longer
    // matches it, and verify says so.
    let raw = rusqlite::Connection::open(&old).unwrap();
    raw.execute_batch(
        "DROP TRIGGER blob_only_removed;
         UPDATE blob SET bytes = CAST(replace(CAST(bytes AS TEXT), 'housing officer', 'social worker') AS BLOB);",
    )
    .unwrap();
    drop(raw);
    let v = run(dir.path(), &["verify", "--log", old.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(5), "{}", stderr(&v));
}

// ------------------------------------------------------------------------ not a log

#[test]
fn a_file_that_is_not_a_log_is_refused_and_never_converted() {
    let dir = tempfile::tempdir().unwrap();
    // Another program's SQLite file.
    let foreign = dir.path().join("foreign.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    // A text file.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "meeting notes\n").unwrap();
    for f in [&foreign, &text] {
        let o = record(dir.path(), f);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("not a fairpanel log"), "{}", stderr(&o));
        for cmd in ["verify", "minutes"] {
            let o = run(dir.path(), &[cmd, "--log", f.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(2), "{cmd}: {}", stderr(&o));
        }
    }
    assert_eq!(std::fs::read(&foreign).unwrap(), before, "never converted");
    let mode = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(&foreign).unwrap().permissions().mode() & 0o777
        }
        #[cfg(not(unix))]
        0o644
    };
    assert_eq!(mode, 0o644, "its permissions untouched");
    assert!(
        !dir.path().join("foreign.sqlite-wal").exists(),
        "not switched to WAL"
    );
}

// ------------------------------------------------------------------------ one writer per file

#[cfg(unix)]
#[test]
fn two_writers_through_a_symlink_meet_at_one_lock_and_a_hard_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = small_log(dir.path());
    let link = dir.path().join("other-name.fairpanel-log");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    let held = writer(&log);
    let o = record(dir.path(), &link);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("in use by another fairpanel"));
    drop(held);
    let held = writer(&link);
    assert_eq!(record(dir.path(), &log).status.code(), Some(3));
    drop(held);
    assert_eq!(record(dir.path(), &link).status.code(), Some(0));

    let hard = dir.path().join("hard.fairpanel-log");
    std::fs::hard_link(&log, &hard).unwrap();
    for p in [&log, &hard] {
        let o = record(dir.path(), p);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("2 names (hard links)"),
            "{}",
            stderr(&o)
        );
    }
    std::fs::remove_file(&hard).unwrap();
    assert_eq!(record(dir.path(), &log).status.code(), Some(0));
    let v = run(dir.path(), &["verify", "--log", log.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
}

/// Two `record`s at once through two names of one file: exactly one writes at a time, and the
/// chain stays whole.
#[cfg(unix)]
#[test]
fn writers_racing_through_two_paths_never_break_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let log = small_log(dir.path());
    let link = dir.path().join("link.fairpanel-log");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    let spawn = |p: &Path| {
        Command::new(BIN)
            .args(deferral_args(p, Path::new(DEMO_PATH), "FA-2026-013"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .settled_spawn()
    };
    let mut ok = 0;
    for _ in 0..6 {
        let mut a = spawn(&log);
        let mut b = spawn(&link);
        for c in [a.wait().unwrap(), b.wait().unwrap()] {
            match c.code() {
                Some(0) => ok += 1,
                Some(3) | Some(4) => {}
                other => panic!("unexpected exit {other:?}"),
            }
        }
    }
    assert!(ok >= 1);
    let v = run(dir.path(), &["verify", "--log", log.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
}

// ------------------------------------------------------------------------ look before writing

/// Each way a log can be damaged outside fairpanel, as a writer finds it before it writes: exit
/// 5, a message saying how to restore it, and nothing appended.
#[test]
fn a_writer_refuses_a_damaged_log_and_appends_nothing() {
    let damage: &[(&str, &str)] = &[
        (
            "an entry deleted",
            "DROP TRIGGER entry_no_delete; DELETE FROM entry WHERE id = 3;",
        ),
        (
            "the newest entry deleted and the log's record of itself left as it was",
            "DROP TRIGGER entry_no_delete; DELETE FROM entry WHERE id = (SELECT MAX(id) FROM entry);",
        ),
        (
            "the newest entry edited",
            "DROP TRIGGER entry_no_update; UPDATE entry SET body = replace(body, 'present', 'apologies') WHERE id = (SELECT MAX(id) FROM entry);",
        ),
        (
            "the two newest entries swapped",
            "DROP TRIGGER entry_no_update;
             UPDATE entry SET id = -1 WHERE id = (SELECT MAX(id) FROM entry);
             UPDATE entry SET id = (SELECT MAX(id) FROM entry) + 1 WHERE id = (SELECT MAX(id) FROM entry);
             UPDATE entry SET id = (SELECT MAX(id) FROM entry) - 1 WHERE id = -1;",
        ),
        (
            "the log's record of itself removed",
            "DELETE FROM log_meta;",
        ),
    ];
    for (what, sql) in damage {
        let dir = tempfile::tempdir().unwrap();
        let log = small_log(dir.path());
        rusqlite::Connection::open(&log)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        let count = || -> i64 {
            rusqlite::Connection::open(&log)
                .unwrap()
                .query_row("SELECT COUNT(*) FROM entry", [], |r| r.get(0))
                .unwrap()
        };
        let before = count();
        let o = record(dir.path(), &log);
        assert_eq!(o.status.code(), Some(5), "{what}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("restore it from a backup"),
            "{what}: {}",
            stderr(&o)
        );
        assert_eq!(count(), before, "{what}: nothing appended");
        let v = run(dir.path(), &["verify", "--log", log.to_str().unwrap()]);
        assert_eq!(v.status.code(), Some(5), "{what}: verify finds it too");
    }
}

/// The meeting rows are in the chain: changing a meeting's date or panel is found.
#[test]
fn the_meeting_table_is_covered_by_the_chain() {
    for sql in [
        "UPDATE meeting SET meeting_date = '2026-03-19'",
        "UPDATE meeting SET panel_id = 'somerset-fap'",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let log = small_log(dir.path());
        rusqlite::Connection::open(&log)
            .unwrap()
            .execute_batch(&format!("DROP TRIGGER meeting_no_update; {sql};"))
            .unwrap();
        let v = run(dir.path(), &["verify", "--log", log.to_str().unwrap()]);
        assert_eq!(v.status.code(), Some(5), "{sql}: {}", stderr(&v));
        assert!(
            stderr(&v).contains("its meeting, case, day or kind was changed"),
            "{}",
            stderr(&v)
        );
    }
}

#[test]
fn an_emptied_or_cut_short_log_is_damage_not_a_new_log() {
    for cut in [0.0, 0.5] {
        let dir = tempfile::tempdir().unwrap();
        let log = small_log(dir.path());
        let bytes = std::fs::read(&log).unwrap();
        let keep = (bytes.len() as f64 * cut) as usize;
        std::fs::write(&log, &bytes[..keep]).unwrap();
        for p in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{p}", log.display()));
        }
        let o = record(dir.path(), &log);
        assert_eq!(
            o.status.code(),
            Some(5),
            "cut to {keep} bytes: {}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::metadata(&log).unwrap().len() as usize,
            keep,
            "not started afresh"
        );
        let v = run(dir.path(), &["verify", "--log", log.to_str().unwrap()]);
        assert_eq!(v.status.code(), Some(5), "{}", stderr(&v));
    }
}

// ------------------------------------------------------------------------ nothing half-made

#[test]
fn opening_a_meeting_makes_no_log_until_an_entry_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("new.fairpanel-log");
    let mut s = demo_session(&log);
    assert!(!log.exists(), "opening writes nothing");
    let member = s.caseload().panel.members[0].name.clone();
    s.record(
        Event::Attendance {
            member,
            status: fairpanel::domain::event::Attendance::Present,
            time: None,
        },
        None,
        When::Meeting,
        T.into(),
    )
    .unwrap();
    assert!(log.exists());
    drop(s);
    let v = Store::open_reader(&log).unwrap().verify().unwrap();
    assert_eq!(v.entries, 2, "the caseload revision and the attendance");
}

// ------------------------------------------------------------------------ readers read only

/// A log in a folder its reader cannot write to (0500): `verify` and `minutes` still work. As
/// root the permissions would not hold, so the reader runs as `nobody` (util-linux `setpriv`).
#[cfg(unix)]
#[test]
fn readers_work_on_a_log_in_a_folder_they_cannot_write_to() {
    use std::os::unix::fs::{PermissionsExt, chown};
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let log = folder.join("panel.fairpanel-log");
    {
        let mut s = demo_session(&log);
        attend_all(&mut s);
    }
    let root = unsafe_geteuid() == 0;
    let (uid, gid) = (65534, 65534);
    if root {
        for p in [&folder, &log] {
            chown(p, Some(uid), Some(gid)).unwrap();
        }
    }
    for p in ["-wal", "-shm"] {
        assert!(!Path::new(&format!("{}{p}", log.display())).exists());
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap();
    let reader = |args: &[&str]| -> Output {
        let mut c = if root && Path::new("/usr/bin/setpriv").exists() {
            let mut c = Command::new("/usr/bin/setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
            c
        } else {
            Command::new(BIN)
        };
        c.args(args)
            .env("FAIRPANEL_DATA_DIR", &folder)
            .current_dir(&folder)
            .settled_output()
    };
    let v = reader(&["verify", "--log", log.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    let m = reader(&["minutes", "--log", log.to_str().unwrap()]);
    assert_eq!(m.status.code(), Some(0), "{}", stderr(&m));
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[cfg(unix)]
fn unsafe_geteuid() -> u32 {
    // The tests' own uid, from the file they create (no libc call needed).
    use std::os::unix::fs::MetadataExt;
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::metadata(f.path()).unwrap().uid()
}

// ------------------------------------------------------------------------ exit codes

/// cli.md: 6 when the machine cannot read or write a file. A log the writer may not write to,
/// and a write that fails for lack of room (a file-size limit stands in for a full disk).
#[cfg(unix)]
#[test]
fn a_read_only_log_and_a_full_disk_are_exit_6() {
    use std::os::unix::fs::{PermissionsExt, chown};
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let log = small_log(dir.path());
    let before = std::fs::read(&log).unwrap();
    // Full: the shell ignores SIGXFSZ (inherited across exec) and limits file size to 512 bytes,
    // so SQLite's first write to the journal fails.
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 1; exec '{BIN}' record --log '{}' --caseload fixtures/demo-walsall.json --case FA-2026-013 --outcome defer_more_info --reasons r --agreed-by 'Janet Okafor' --as-of 2026-03-13",
            log.display()
        ))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRPANEL_DATA_DIR", dir.path())
        .settled_output();
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("check the disk"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&log).unwrap(), before, "nothing written");
    // Read-only: owned by nobody, 0400, and the writer runs as nobody.
    if unsafe_geteuid() == 0 && Path::new("/usr/bin/setpriv").exists() {
        chown(dir.path(), Some(65534), Some(65534)).unwrap();
        chown(&log, Some(65534), Some(65534)).unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o400)).unwrap();
        let o = Command::new("/usr/bin/setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
            .args(deferral_args(&log, &fixture(DEMO_PATH), "FA-2026-013"))
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .current_dir(dir.path())
            .settled_output();
        assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    }
}

/// A stored caseload that is not UTF-8 (a format-1 log edited by hand) is damage naming its
/// entry: exit 5, not 1.
#[test]
fn invalid_utf8_in_a_stored_caseload_is_exit_5_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let old = copy_format1(dir.path());
    {
        let raw = rusqlite::Connection::open(&old).unwrap();
        raw.execute_batch(
            "DROP TRIGGER revision_no_update;
             UPDATE caseload_revision SET caseload_json = CAST(x'7b22ff' AS BLOB), sha256 = '' WHERE revision = 2;",
        )
        .unwrap();
    }
    let o = run(dir.path(), &["verify", "--log", old.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("entry"), "{}", stderr(&o));
    let o = record(dir.path(), &old);
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
}

#[test]
fn every_unusable_log_has_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    // 2: not there (a reader never makes one).
    let o = run(dir.path(), &["verify", "--log", "nowhere.fairpanel-log"]);
    assert_eq!(o.status.code(), Some(2));
    // 3: in use.
    let log = small_log(dir.path());
    let held = writer(&log);
    assert_eq!(record(dir.path(), &log).status.code(), Some(3));
    drop(held);
    // 5: from a newer fairpanel.
    rusqlite::Connection::open(&log)
        .unwrap()
        .execute_batch("PRAGMA user_version = 3")
        .unwrap();
    let o = record(dir.path(), &log);
    assert_eq!(o.status.code(), Some(5));
    assert!(stderr(&o).contains("newer fairpanel"));
    assert!(matches!(
        Store::open_reader(&log),
        Err(LogError::Newer { .. })
    ));
}

// ------------------------------------------------------------------------ a decade's queries

#[test]
fn the_queries_a_meeting_runs_use_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let log = small_log(dir.path());
    let raw = rusqlite::Connection::open(&log).unwrap();
    let plan = |sql: &str| -> String {
        let mut stmt = raw.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let by_meeting = plan(
        "SELECT e.id FROM entry e LEFT JOIN blob b ON b.sha256 = e.personal_sha256 WHERE e.meeting_id = 1 AND e.id <= 9 ORDER BY e.id",
    );
    assert!(
        by_meeting.contains("USING INDEX entry_by_meeting"),
        "{by_meeting}"
    );
    assert!(!by_meeting.contains("SCAN e"), "no full scan: {by_meeting}");
    let by_case = plan("SELECT id FROM entry WHERE case_ref = 'FA-2026-013' ORDER BY id");
    assert!(by_case.contains("INDEX entry_by_case"), "{by_case}");
    let head = plan("SELECT id, hash FROM entry ORDER BY id DESC LIMIT 1");
    assert!(
        !head.contains("TEMP B-TREE"),
        "the head by the primary key: {head}"
    );
}

/// A caseload far beyond any panel (a 1,000,000-case file is about 1.5 GB) is refused at once,
/// naming the limit, before anything is read.
#[test]
fn a_caseload_beyond_the_limit_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("million.json");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(1_500_000_000).unwrap(); // sparse: no disk used
    drop(f);
    for args in [vec!["check"], vec![]] {
        let o = run(
            dir.path(),
            &args
                .iter()
                .copied()
                .chain([big.to_str().unwrap()])
                .collect::<Vec<_>>(),
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        // Read whole, the sparse file would be 1.5 GB of zero bytes, not a size.
        assert!(stderr(&o).contains("up to 512 MB"), "{}", stderr(&o));
    }
}
