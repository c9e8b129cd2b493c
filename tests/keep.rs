//! Keeping a log and forgetting on time, through the real binary: `verify --expect`, `backup`
//! and `purge`, with the exit codes of cli.md. The pupils are the demo fixture's, invented.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fairpanel::log::Store;

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRPANEL_DATA_DIR", data)
        .args(args)
        .output()
        .unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

/// Records one decision on the demo fixture between meetings.
fn record(data: &Path, log: &str, case: &str, outcome: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "record",
        "--log",
        log,
        "--caseload",
        "fixtures/demo-walsall.json",
        "--as-of",
        "2026-03-13",
        "--agreed-by",
        "Janet Okafor",
        "--case",
        case,
        "--outcome",
        outcome,
    ];
    args.extend_from_slice(extra);
    let o = run(data, &args);
    assert_eq!(code(&o), Some(0), "{case}: {}", err(&o));
    o
}

/// A log of the demo panel with one case placed (FA-2026-003, starting Mon 16 Mar 2026), one
/// withdrawn (FA-2026-004) and one deferred (FA-2026-001), each with a reason that is easy to
/// find in the file's bytes.
fn decided_log(dir: &Path) -> PathBuf {
    let log = dir.join("panel.fairpanel-log");
    let l = log.to_str().unwrap();
    record(
        dir,
        l,
        "FA-2026-003",
        "allocate_school",
        &[
            "--urn",
            "142594",
            "--start",
            "2026-03-16",
            "--reasons",
            "Placed-marker-QX7 nearest school with a Y10 place",
        ],
    );
    record(
        dir,
        l,
        "FA-2026-004",
        "withdrawn",
        &["--reasons", "Withdrawn-marker-QX8 family moved out of area"],
    );
    record(
        dir,
        l,
        "FA-2026-001",
        "defer_more_info",
        &[
            "--reasons",
            "Deferred-marker-QX9 awaiting the refuge's letter",
        ],
    );
    log
}

/// Every byte of the log and anything beside it that SQLite keeps (its journal files).
fn bytes_on_disk(log: &Path) -> Vec<u8> {
    let name = log.file_name().unwrap().to_string_lossy().into_owned();
    let mut all = Vec::new();
    for e in std::fs::read_dir(log.parent().unwrap()).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&name) && e.path().is_file() {
            all.extend(std::fs::read(e.path()).unwrap());
        }
    }
    all
}

fn holds(hay: &[u8], needle: &str) -> bool {
    memchr::memmem::find(hay, needle.as_bytes()).is_some()
}

fn verify(dir: &Path, log: &Path) -> (String, String) {
    let v = run(dir, &["verify", "--log", log.to_str().unwrap()]);
    assert_eq!(code(&v), Some(0), "{}", err(&v));
    let text = out(&v);
    let first = text.lines().next().unwrap().to_owned();
    let (_, head) = first.split_once(" entries, head ").unwrap();
    (head.to_owned(), text)
}

#[test]
fn purge_removes_closed_cases_data_erases_it_from_the_file_and_the_log_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    let l = log.to_str().unwrap();
    let (head, before_text) = verify(dir.path(), &log);
    assert_eq!(before_text.lines().count(), 1, "nothing removed yet");
    let before = bytes_on_disk(&log);
    // The pupils' data and the reasons are there to be found (so the scans below can fail).
    for s in [
        "Zoë",
        "Mullins",
        "Z335414213142",
        "curfew",
        "Keira",
        "Thompson",
        "QX7",
        "QX8",
        "QX9",
    ] {
        assert!(holds(&before, s), "{s} should be in the log before a purge");
    }

    // A dry run lists what would go and changes nothing.
    let d = run(
        dir.path(),
        &["purge", "--log", l, "--before", "2026-04-01", "--dry-run"],
    );
    assert_eq!(code(&d), Some(0), "{}", err(&d));
    let listed = out(&d);
    assert!(
        listed.contains("FA-2026-003: closed Mon 16 Mar 2026 (Allocate a school place)"),
        "{listed}"
    );
    assert!(
        listed.contains("FA-2026-004: closed Fri 13 Mar 2026 (Withdrawn)"),
        "{listed}"
    );
    assert!(!listed.contains("FA-2026-001: closed"), "{listed}");
    assert!(err(&d).contains("Nothing was changed"), "{}", err(&d));
    assert_eq!(bytes_on_disk(&log), before, "a dry run writes nothing");

    // A placement starting on the cut-off day is not yet closed before it.
    let p = run(
        dir.path(),
        &["purge", "--log", l, "--before", "2026-03-16", "--dry-run"],
    );
    assert!(!out(&p).contains("FA-2026-003"), "{}", out(&p));
    assert!(out(&p).contains("FA-2026-004"), "{}", out(&p));

    let p = run(dir.path(), &["purge", "--log", l, "--before", "2026-04-01"]);
    assert_eq!(code(&p), Some(0), "{}", err(&p));
    let said = err(&p);
    assert!(
        said.contains("Removed the personal data of 2 cases"),
        "{said}"
    );
    assert!(
        said.contains("backups of this log taken before now still hold this data"),
        "{said}"
    );
    for s in ["Zoë", "Mullins", "Keira", "Thompson", "Z335414213142"] {
        assert!(!said.contains(s) && !out(&p).contains(s), "{s} printed");
    }

    // Really erased: not in the file's bytes, nor in any journal beside it.
    let after = bytes_on_disk(&log);
    for s in ["Zoë", "Mullins", "Z335414213142", "curfew", "QX7", "QX8"] {
        assert!(
            !holds(&after, s),
            "{s} is still in the log's bytes after the purge"
        );
    }
    // What was not due is kept: the deferred case and every open case.
    for s in ["Keira", "Thompson", "QX9", "Tyler", "Brennan"] {
        assert!(holds(&after, s), "{s} was removed but its case is open");
    }

    // The chain still verifies, to the same head, and says which entries lost their data:
    // the caseload revision (entry 1) and the two decisions (entries 2 and 3).
    let (head_after, text) = verify(dir.path(), &log);
    assert_eq!(head_after, head);
    assert!(
        text.contains("personal data removed (past its retention date) from entries 1-3"),
        "{text}"
    );

    // The log is still read whole: the minutes are built, the removed text reads as removed.
    let m = run(dir.path(), &["minutes", "--log", l]);
    assert_eq!(code(&m), Some(0), "{}", err(&m));
    let minutes = out(&m);
    assert!(
        !minutes.contains("QX7") && !minutes.contains("Zoë"),
        "{minutes}"
    );
    // The head the minutes print (as of their meeting) is still in the purged log.
    let printed: serde_json::Value = serde_json::from_str(&minutes).unwrap();
    let printed = printed["head_hash"].as_str().unwrap().to_owned();
    let e = run(dir.path(), &["verify", "--log", l, "--expect", &printed]);
    assert_eq!(code(&e), Some(0), "{}", err(&e));
    // A case's story still reads, the removed reason marked as removed.
    let h = run(
        dir.path(),
        &["history", "--log", l, "--case", "FA-2026-003"],
    );
    assert_eq!(code(&h), Some(0), "{}", err(&h));
    assert!(!out(&h).contains("QX7"), "{}", out(&h));
    let s = Store::open_reader(&log).unwrap();
    let meeting = s.meetings().unwrap()[0].id;
    let c = s
        .caseloads(meeting, i64::MAX)
        .unwrap()
        .pop()
        .unwrap()
        .caseload;
    let zoe = c
        .cases
        .iter()
        .find(|k| k.reference == "FA-2026-003")
        .unwrap();
    assert_eq!(zoe.pupil.family_name, "[removed]");
    let keira = c
        .cases
        .iter()
        .find(|k| k.reference == "FA-2026-001")
        .unwrap();
    assert_eq!(keira.pupil.family_name, "Thompson");

    // A second purge finds nothing more to remove, and a writer still appends after it.
    let again = run(dir.path(), &["purge", "--log", l, "--before", "2026-04-01"]);
    assert_eq!(code(&again), Some(0));
    assert!(
        err(&again).contains("No personal data to remove"),
        "{}",
        err(&again)
    );
    record(
        dir.path(),
        l,
        "FA-2026-001",
        "withdrawn",
        &["--reasons", "Family moved"],
    );
    verify(dir.path(), &log);
}

#[test]
fn purge_refuses_what_it_must_with_the_contract_codes() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    let l = log.to_str().unwrap();
    // A cut-off after today: bad input.
    let o = run(dir.path(), &["purge", "--log", l, "--before", "2999-01-01"]);
    assert_eq!(code(&o), Some(2), "{}", err(&o));
    // No log there: bad input, and nothing is made.
    let missing = dir.path().join("none.fairpanel-log");
    let o = run(
        dir.path(),
        &[
            "purge",
            "--log",
            missing.to_str().unwrap(),
            "--before",
            "2026-04-01",
        ],
    );
    assert_eq!(code(&o), Some(2), "{}", err(&o));
    assert!(!missing.exists());
    // Another fairpanel writing: in use.
    {
        let _writer = Store::open_writer(&log).unwrap();
        let o = run(dir.path(), &["purge", "--log", l, "--before", "2026-04-01"]);
        assert_eq!(code(&o), Some(3), "{}", err(&o));
    }
    // A damaged log: nothing removed.
    let cut = dir.path().join("cut.fairpanel-log");
    std::fs::write(&cut, b"").unwrap();
    let o = run(
        dir.path(),
        &[
            "purge",
            "--log",
            cut.to_str().unwrap(),
            "--before",
            "2026-04-01",
        ],
    );
    assert_eq!(code(&o), Some(5), "{}", err(&o));
}

#[test]
fn backup_is_verified_owner_only_named_by_panel_and_date_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    let l = log.to_str().unwrap();
    let (head, _) = verify(dir.path(), &log);
    let out_dir = dir.path().join("backups");
    let o = run(
        dir.path(),
        &["backup", "--log", l, "--out", out_dir.to_str().unwrap()],
    );
    assert_eq!(code(&o), Some(0), "{}", err(&o));
    let path = PathBuf::from(out(&o).trim());
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        path,
        out_dir.join(format!("walsall-sec-fap-{today}.fairpanel-log"))
    );
    assert!(
        err(&o).contains("written and verified: 4 entries"),
        "{}",
        err(&o)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mode = std::fs::metadata(&out_dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
    // One file, nothing beside it, and it verifies to the log's head.
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let (copy_head, _) = verify(dir.path(), &path);
    assert_eq!(copy_head, head);

    // A second backup the same day is a new file; a file already there is never written over.
    let taken = out_dir.join(format!("walsall-sec-fap-{today}-2.fairpanel-log"));
    std::fs::write(&taken, b"keep me").unwrap();
    let o = run(
        dir.path(),
        &["backup", "--log", l, "--out", out_dir.to_str().unwrap()],
    );
    assert_eq!(code(&o), Some(0), "{}", err(&o));
    assert_eq!(
        PathBuf::from(out(&o).trim()),
        out_dir.join(format!("walsall-sec-fap-{today}-3.fairpanel-log"))
    );
    assert_eq!(std::fs::read(&taken).unwrap(), b"keep me");

    // The copy is a log like any other: a writer can carry on from it.
    record(
        dir.path(),
        path.to_str().unwrap(),
        "FA-2026-002",
        "defer_more_info",
        &["--reasons", "Awaiting the report"],
    );
}

#[test]
fn backup_while_a_writer_holds_the_log_copies_every_committed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    // A writer open in this process, with an entry committed to the journal (not yet
    // checkpointed into the file, since the writer has not closed).
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-walsall.json"),
    )
    .unwrap();
    let c = fairpanel::io::caseload::parse(&text).unwrap().caseload;
    let (mut session, mut meeting) =
        fairpanel::log::Session::open(Store::open_writer(&log).unwrap(), c, &text).unwrap();
    let mut d = fairpanel::domain::event::Decision::new(
        "FA-2026-002",
        fairpanel::domain::event::Outcome::DeferMoreInfo,
    );
    d.reasons = "Awaiting the report".into();
    d.agreed_by = vec!["Janet Okafor".into()];
    let p = fairpanel::domain::event::Proposal {
        event: fairpanel::domain::event::Event::Decision(d),
        correction: None,
        when: fairpanel::domain::event::When::Between(
            fairpanel::domain::dates::Date::parse("2026-03-13").unwrap(),
        ),
    };
    let r = meeting
        .record(&mut session, p, "2026-03-13T10:00:00.000Z".into())
        .unwrap();
    let out_dir = dir.path().join("b");
    let o = run(
        dir.path(),
        &[
            "backup",
            "--log",
            log.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), Some(0), "{}", err(&o));
    let copy = PathBuf::from(out(&o).trim());
    let v = Store::open_reader(&copy).unwrap().verify().unwrap();
    assert_eq!(v.entries as i64, r.entry.id);
    assert_eq!(v.head, r.entry.hash);
    drop(session);
}

#[test]
fn backup_refuses_with_the_contract_codes() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.fairpanel-log");
    let o = run(
        dir.path(),
        &[
            "backup",
            "--log",
            missing.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), Some(2), "{}", err(&o));
    let not_log = dir.path().join("notes.txt");
    std::fs::write(&not_log, "not a log at all, but long enough to be read").unwrap();
    let o = run(
        dir.path(),
        &[
            "backup",
            "--log",
            not_log.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), Some(2), "{}", err(&o));
    // A folder the user cannot write to: the machine's problem (6), nothing left behind. Root
    // can write anywhere, so as root the backup runs as `nobody` (util-linux `setpriv`), with the
    // log theirs and the folder not.
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt, chown};
        let log = decided_log(dir.path());
        let shut = dir.path().join("shut");
        std::fs::create_dir(&shut).unwrap();
        std::fs::set_permissions(&shut, std::fs::Permissions::from_mode(0o555)).unwrap();
        let root = std::fs::metadata(&shut).unwrap().uid() == 0;
        let setpriv = Path::new("/usr/bin/setpriv").exists();
        let mut c = if root && setpriv {
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            for suffix in ["", "-wal", "-shm", ".lock"] {
                let f = PathBuf::from(format!("{}{suffix}", log.display()));
                if f.exists() {
                    chown(&f, Some(65534), Some(65534)).unwrap();
                }
            }
            chown(dir.path(), Some(65534), Some(65534)).unwrap();
            let mut c = Command::new("/usr/bin/setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
            c.arg(env!("CARGO_BIN_EXE_fairpanel"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        };
        let o = c
            .args([
                "backup",
                "--log",
                log.to_str().unwrap(),
                "--out",
                shut.to_str().unwrap(),
            ])
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .output()
            .unwrap();
        std::fs::set_permissions(&shut, std::fs::Permissions::from_mode(0o700)).unwrap();
        if !root || setpriv {
            assert_eq!(code(&o), Some(6), "{}", err(&o));
            assert!(
                err(&o).contains("cannot write a backup in the folder"),
                "{}",
                err(&o)
            );
            assert_eq!(
                std::fs::read_dir(&shut).unwrap().count(),
                0,
                "nothing left behind"
            );
        }
    }
}

#[test]
fn verify_expect_finds_the_head_the_minutes_printed_or_fails_with_exit_5() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    let l = log.to_str().unwrap();
    let (head, _) = verify(dir.path(), &log);
    // The head itself.
    let o = run(dir.path(), &["verify", "--log", l, "--expect", &head]);
    assert_eq!(code(&o), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains("is the log's head: entry 4"),
        "{}",
        err(&o)
    );
    // An earlier head: the log grew since, and still holds it.
    let s = Store::open_reader(&log).unwrap();
    let second = s.all_entries().unwrap()[1].hash.clone();
    drop(s);
    let o = run(
        dir.path(),
        &["verify", "--log", l, "--expect", &second.to_uppercase()],
    );
    assert_eq!(code(&o), Some(0), "{}", err(&o));
    assert!(
        err(&o).contains(
            "is entry 2: the log still holds every entry up to it, and 2 entries were written since"
        ),
        "{}",
        err(&o)
    );
    // Not a hash: bad input.
    let o = run(dir.path(), &["verify", "--log", l, "--expect", "abc"]);
    assert_eq!(code(&o), Some(2), "{}", err(&o));

    // The newest entries removed together with the log's record of its head: invisible from
    // inside the file (verify exits 0), caught by --expect.
    {
        let c = rusqlite::Connection::open(&log).unwrap();
        c.execute_batch(
            "DROP TRIGGER entry_no_delete;
             DELETE FROM entry WHERE id = 4;
             UPDATE log_meta SET value = '3' WHERE key = 'entries';",
        )
        .unwrap();
        let h: String = c
            .query_row("SELECT hash FROM entry WHERE id = 3", [], |r| r.get(0))
            .unwrap();
        c.execute("UPDATE log_meta SET value = ?1 WHERE key = 'head'", [h])
            .unwrap();
    }
    let (cut_head, _) = verify(dir.path(), &log);
    assert_ne!(cut_head, head);
    let o = run(dir.path(), &["verify", "--log", l, "--expect", &head]);
    assert_eq!(code(&o), Some(5), "{}", err(&o));
    let said = err(&o);
    assert!(said.contains("does not hold the head expected"), "{said}");
    assert!(
        said.contains(&format!("it holds 3 entries, head {cut_head}")),
        "{said}"
    );
    assert!(out(&o).is_empty());
}

#[test]
fn the_head_the_minutes_print_is_the_stores_head() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    let s = Store::open_reader(&log).unwrap();
    let h = s.head().unwrap();
    let v = s.verify().unwrap();
    assert_eq!(
        (h.entries as usize, h.hash.as_str()),
        (v.entries, v.head.as_str())
    );
    assert_eq!(h.entries, 4);
}

/// `record` leaves its journal beside the log for the next writer (docs/log.md section 5): the
/// decisions in it are read by verify and copied by backup; the file alone may lack them, and
/// a writer that closes normally (the screen) folds them into the file.
#[test]
fn record_leaves_its_journal_which_readers_and_backup_read_and_a_normal_writer_empties() {
    let dir = tempfile::tempdir().unwrap();
    let log = decided_log(dir.path());
    let wal = PathBuf::from(format!("{}-wal", log.display()));
    assert!(
        std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0),
        "record left no journal"
    );
    let (head, _) = verify(dir.path(), &log);
    let o = run(
        dir.path(),
        &[
            "backup",
            "--log",
            log.to_str().unwrap(),
            "--out",
            dir.path().join("b").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), Some(0), "{}", err(&o));
    let (copy_head, _) = verify(dir.path(), Path::new(out(&o).trim()));
    assert_eq!(
        copy_head, head,
        "the backup holds what is still in the journal"
    );
    // A writer that closes normally copies the journal into the file and removes it.
    drop(Store::open_writer(&log).unwrap());
    assert!(
        !wal.exists(),
        "the journal is folded into the file on a normal close"
    );
    let (after, _) = verify(dir.path(), &log);
    assert_eq!(after, head);
}
