//! Text leaves fairpanel in three places, and each escapes it once (cli.md Diagnostics): stderr
//! (every message, a library's error text included), stdout text, and JSON on stdout (control,
//! DEL, C1 and bidirectional characters as `\u` escapes). These tests craft each path.

use std::process::{Command, Output};

mod common;
use common::SettledOutput;
use fairpanel::domain::text::is_unsafe;

fn fairpanel(data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fairpanel"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRPANEL_DATA_DIR", data);
    c
}

/// No raw unsafe character anywhere but the newlines that end lines.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        text.chars().all(|c| c == '\n' || !is_unsafe(c)),
        "{what} carries a raw control or bidi character:\n{text:?}"
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A damaged log whose schema holds an object named with a terminal escape: SQLite quotes the
/// name in its error text, which `verify` passes on. It once retitled the terminal and cleared it.
#[test]
fn sqlite_error_text_from_a_crafted_log_is_escaped_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("crafted.fairpanel-log");
    drop(common::demo_session(&log));
    {
        let raw = rusqlite::Connection::open(&log).unwrap();
        raw.execute_batch(
            "PRAGMA writable_schema = ON;
             INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql)
             VALUES ('table', 'x\u{1b}]0;pwned\u{7}\u{1b}[2J', 'x', 0, 'CREATE TABLE garbage(');
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    }
    for args in [vec!["verify", "--log"], vec!["minutes", "--log"]] {
        let o = fairpanel(dir.path()).args(&args).arg(&log).settled_output();
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert_ne!(o.status.code(), None);
        assert_clean("stderr", &o.stderr);
        assert_clean("stdout", &o.stdout);
        let err = stderr(&o);
        assert!(err.contains(r"\u{1b}]0;pwned\u{7}"), "{args:?}: {err}");
    }
}

/// A path with a bidi override and an escape in its name, on every kind of message.
#[test]
fn file_names_are_escaped_in_every_message() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("a\u{202e}b\u{1b}[31m.json");
    std::fs::write(&odd, "{ not json").unwrap();
    for args in [vec!["check"], vec![]] {
        let o = fairpanel(dir.path()).args(&args).arg(&odd).settled_output();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_clean("stderr", &o.stderr);
        assert!(
            stderr(&o).contains(r"a\u{202e}b\u{1b}[31m.json"),
            "{}",
            stderr(&o)
        );
    }
    let o = fairpanel(dir.path())
        .args(["verify", "--log"])
        .arg(dir.path().join("no\u{9b}such.log"))
        .settled_output();
    assert_eq!(o.status.code(), Some(2));
    assert_clean("stderr", &o.stderr);
    assert!(stderr(&o).contains(r"no\u{9b}such.log"), "{}", stderr(&o));
}

/// `schools import` prints JSON: a school name with U+202E and U+009B comes out as `\u`
/// escapes, and the JSON still reads back to the same name.
#[test]
fn json_on_stdout_escapes_bidi_and_c1_controls() {
    let dir = tempfile::tempdir().unwrap();
    let csv = std::fs::read_to_string("fixtures/gias/la_335_walsall.csv").unwrap();
    let first_name = "Abbey Primary School";
    assert!(csv.contains(first_name));
    let evil = "Abbey \u{202e}Primary\u{9b} School";
    let path = dir.path().join("gias.csv");
    std::fs::write(&path, csv.replacen(first_name, evil, 1)).unwrap();
    let o = fairpanel(dir.path())
        .args(["schools", "import"])
        .arg(&path)
        .args(["--la", "335"])
        .settled_output();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_clean("stdout", &o.stdout);
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    assert!(
        out.contains(r"Abbey \u202ePrimary\u009b School"),
        "escaped as \\u"
    );
    let back: Vec<fairpanel::domain::caseload::School> = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        back.iter().any(|s| s.name == evil),
        "the value is unchanged"
    );
}

/// The minutes on stdout: free text with a bidi override is written as a `\u` escape.
#[test]
fn minutes_on_stdout_escape_bidi_in_free_text() {
    use fairpanel::domain::event::{Decision, Event, Outcome, When};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("m.fairpanel-log");
    let mut s = common::demo_session(&log);
    common::attend_all(&mut s);
    let d = Decision {
        reasons: "Awaiting the \u{202e}refuge's letter\u{85}".into(),
        agreed_by: common::deciders(&s, 2),
        ..Decision::new("FA-2026-013", Outcome::DeferMoreInfo)
    };
    s.record(Event::Decision(d), None, When::Meeting, common::T.into())
        .unwrap();
    drop(s);
    let o = fairpanel(dir.path())
        .args(["minutes", "--log"])
        .arg(&log)
        .settled_output();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_clean("stdout", &o.stdout);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(r"Awaiting the \u202erefuge's letter\u0085"),
        "{out}"
    );
}
