//! Issue 18 §1: free text that cannot carry a pupil's identity, through the real binary. Each
//! finding of the issue is a `record --reasons` run: refused with exit 4, the field named, the
//! value never echoed, nothing written; what passes reaches the name-free minutes only when it
//! names nobody.

use std::path::Path;
use std::process::Output;

mod common;
use common::fairpanel as run;

/// A decision on `case` with these reasons (and package), recorded between meetings.
fn record(data: &Path, log: &str, case: &str, reasons: &str, package: Option<&str>) -> Output {
    let mut args = vec![
        "record",
        "--log",
        log,
        "--caseload",
        "fixtures/demo-walsall.json",
        "--as-of",
        "2026-03-12",
        "--agreed-by",
        "Janet Okafor",
        "--case",
        case,
        "--outcome",
        "defer_more_info",
        "--reasons",
        reasons,
    ];
    if let Some(p) = package {
        args.extend(["--package", p]);
    }
    run(data, &args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The findings, each on the case whose pupil it names (FA-2026-003 is Zoë Hart, born
/// 2 November 2010; FA-2025-131 was born 14 February 2011), and more ways to write the same.
#[test]
fn identifying_text_is_refused_with_exit_4_the_field_named_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    for (case, text) in [
        ("FA-2026-003", "born 02.11.2010"),
        ("FA-2026-003", "born 2 Nov 2010"),
        ("FA-2025-131", "born 14/2/11"),
        ("FA-2026-003", "UPN H9994 1351 4135"),
        ("FA-2026-003", "ZoeHart file incomplete"),
        ("FA-2026-003", "Zoe  Hart file incomplete"),
        ("FA-2026-003", "hart, zoe: file incomplete"),
        ("FA-2026-003", "ZOË HART file incomplete"),
        ("FA-2026-003", "see 2nd November 2010 on the form"),
        ("FA-2026-003", "form dated November 2, 2010"),
        ("FA-2026-003", "copy of 2010-11-02 record"),
        ("FA-2026-003", "DOB 1/1/2011"),
        ("FA-2026-003", "d.o.b. 1 Jan 11"),
        // Another caseload pupil's date of birth is as identifying as this one's.
        ("FA-2026-003", "form of 14/02/2011 missing"),
        // This pupil's UPN however spaced or hyphenated.
        ("FA-2026-003", "H3354-1351-4135 on file"),
    ] {
        let o = record(dir.path(), log, case, text, None);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(4), "{text}: {err}");
        assert!(
            err.contains("refused (names-in-free-text)") && err.contains("in the reasons"),
            "{text}: {err}"
        );
        let value = text
            .split_whitespace()
            .find(|w| w.len() > 4)
            .unwrap_or(text);
        assert!(!err.contains(value), "{text} echoed: {err}");
        assert!(!err.contains(text), "{text} echoed: {err}");
        assert!(!Path::new(log).exists(), "{text}: nothing written");
    }
    // The package is checked the same way, and named.
    let o = record(
        dir.path(),
        log,
        "FA-2026-003",
        "Waiting for the school's reply",
        Some("taxi for Zoë Hart"),
    );
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("in the package"), "{}", stderr(&o));
}

/// A given name alone only warns; a school named after someone, or an ordinary date, is
/// nobody's identity. What is recorded reaches the minutes as written, and what names a pupil
/// is withheld there.
#[test]
fn a_given_name_warns_and_school_names_and_ordinary_dates_pass() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    let o = record(
        dir.path(),
        log,
        "FA-2026-015",
        "Ask Grace Academy Darlaston for a Y8 place; review in May, start 16/3/26",
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("free-text"), "{}", stderr(&o));
    let o = record(
        dir.path(),
        log,
        "FA-2026-003",
        "Zoe keen to start after half term",
        None,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning (given-name-in-free-text)") && err.contains("in the reasons"),
        "{err}"
    );
    assert!(!err.contains("Zoe keen"), "{err}");
    let m = run(dir.path(), &["minutes", "--log", log]);
    let minutes = String::from_utf8_lossy(&m.stdout);
    assert_eq!(m.status.code(), Some(0), "{}", stderr(&m));
    assert!(
        minutes.contains("Ask Grace Academy Darlaston for a Y8 place"),
        "a school's name is no pupil's"
    );
    assert!(
        !minutes.contains("Zoe keen"),
        "a given name is withheld from the name-free minutes"
    );
}
