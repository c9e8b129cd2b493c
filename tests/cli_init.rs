//! `fairpanel init`, `demo` and `check --demo` through the real binary (issue "In from where the
//! data lives" §3): a new panel in one command, checked as any caseload is.

use std::path::Path;
use std::process::{Command, Output};

use fairpanel::domain::calendar::SchoolCalendar;
use fairpanel::domain::dates::Date;

const GIAS: &str = "fixtures/gias/la_335_walsall.csv";
const TERMS_CSV: &str = "fixtures/terms/walsall-2025-26.csv";
const TERMS_ICS: &str = "fixtures/terms/walsall-2025-26.ics";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn init(terms: &str, out: &Path) -> Output {
    run(&[
        "init",
        "--la",
        "335",
        "--kind",
        "iyfap_sec",
        "--gias",
        GIAS,
        "--terms",
        terms,
        "--meeting",
        "2026-03-12",
        "--out",
        out.to_str().unwrap(),
    ])
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn init_from_gias_and_term_dates_in_csv_or_icalendar_gives_a_valid_starter_caseload() {
    let dir = tempfile::tempdir().unwrap();
    let mut school_days = Vec::new();
    for (terms, name) in [(TERMS_CSV, "csv.json"), (TERMS_ICS, "ics.json")] {
        let out = dir.path().join(name);
        let o = init(terms, &out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(
            err.contains("a new secondary Fair Access panel for Walsall (LA 335)")
                && err.contains("122 open schools")
                && err.contains("closure INSET day: Mon 5 Jan 2026"),
            "what was taken is printed: {err}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let check = run(&["check", out.to_str().unwrap()]);
        assert_eq!(check.status.code(), Some(0));
        let c = fairpanel::io::caseload::open(&out).unwrap().0.caseload;
        assert_eq!(c.format, "fairpanel-caseload/3");
        assert!(c.cases.is_empty());
        assert_eq!(c.panel.settings.clock_school_days, 20);
        assert_eq!(c.panel.meeting_date, d("2026-03-12"));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.contains("\"clock_school_days\": 20") && text.contains("\"review_weeks\": 6"),
            "the settings' defaults are written out"
        );
        school_days.push(
            SchoolCalendar::new(&c.calendar)
                .school_days_between(d("2025-09-03"), d("2026-07-21"))
                .unwrap(),
        );
    }
    // Terms with half terms as gaps (CSV) or as closures inside whole terms (iCalendar): the
    // same school year.
    assert_eq!(school_days[0], school_days[1]);
}

#[test]
fn init_refuses_what_it_cannot_take_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new.json");
    // A term-dates line that is not a date, and a type that is neither term nor closure.
    let bad = dir.path().join("terms.csv");
    std::fs::write(
        &bad,
        "type,name,first day,last day\nterm,Autumn 1,31/09/2025,24/10/2025\nevent,Sports day,2025-07-01,\n",
    )
    .unwrap();
    let o = init(bad.to_str().unwrap(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("line 2, \"first day\"") && err.contains("not a date"),
        "{err}"
    );
    assert!(
        err.contains("line 3, \"type\"") && err.contains("must be term or closure"),
        "{err}"
    );
    assert!(!out.exists());
    // An iCalendar event that is neither a term nor a closure.
    let ics = dir.path().join("terms.ics");
    std::fs::write(
        &ics,
        std::fs::read_to_string(TERMS_ICS).unwrap().replacen(
            "SUMMARY:INSET day",
            "SUMMARY:Parents' evening",
            1,
        ),
    )
    .unwrap();
    let o = init(ics.to_str().unwrap(), &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("event 7 (Parents' evening)"), "{err}");
    assert!(!out.exists());
    // Never over an existing file.
    std::fs::write(&out, "{}").unwrap();
    let o = init(TERMS_CSV, &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the file exists"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "{}");
}

#[test]
fn the_demo_is_written_to_start_from_and_checked_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo.json");
    let o = run(&["demo", "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        fairpanel::io::demo::DEMO_CASELOAD
    );
    assert_eq!(
        run(&["check", out.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["demo", "--out", out.to_str().unwrap()]).status.code(),
        Some(2)
    );
    let o = run(&["check", "--demo"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("the embedded demo: ok: 36 cases"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // One or the other.
    assert_eq!(run(&["check"]).status.code(), Some(2));
}
