//! `fairpanel history`: a case's whole story across meetings, from the log alone, by reference
//! only.

use std::path::Path;
use std::process::{Command, Output};

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRPANEL_DATA_DIR", data)
        .args(args)
        .output()
        .unwrap()
}

fn fixture(dir: &Path) -> String {
    let p = dir.join("panel.fairpanel-log");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs/format1.fairpanel-log"),
        &p,
    )
    .unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn a_case_story_runs_from_referral_through_every_decision_with_the_days_waited() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture(dir.path());
    // Agreed at the first meeting, deferred, then decided between meetings.
    let o = run(
        dir.path(),
        &["history", "--log", &log, "--case", "FA-2026-006"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Case FA-2026-006");
    assert!(lines[1].contains("(referral): referred by"), "{text}");
    assert!(
        text.contains("Thu 12 Mar 2026 (meeting of Thu 12 Mar 2026): agreed to consider"),
        "{text}"
    );
    assert!(text.contains("Defer for more information"), "{text}");
    // Counted to the latest meeting that holds the case (26 March): 10 school days.
    assert!(text.contains("Still waiting: 10 school days"), "{text}");
    // A correction, in order, with its reason.
    let o = run(
        dir.path(),
        &["history", "--log", &log, "--case", "FA-2026-017"],
    );
    let text = String::from_utf8(o.stdout).unwrap();
    let defer = text.find("Defer for more information").unwrap();
    let redirect = text.find("EHC plan route; corrects decision").unwrap();
    assert!(defer < redirect, "{text}");
    assert!(text.contains("(later corrected)"));
    // Placed: the days from agreement to the placement.
    let o = run(
        dir.path(),
        &["history", "--log", &log, "--case", "FA-2026-003"],
    );
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("as the caseload records"), "{text}");
    assert!(
        text.contains("Waited 16 school days from agreement to placement"),
        "{text}"
    );
    // A decision between meetings says so.
    let o = run(
        dir.path(),
        &["history", "--log", &log, "--case", "FA-2026-009"],
    );
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("Fri 13 Mar 2026 (between meetings): decision"),
        "{text}"
    );
}

#[test]
fn history_names_no_pupil_and_an_unknown_case_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let log = fixture(dir.path());
    let demo = fairpanel::io::demo::load().unwrap().caseload;
    for k in &demo.cases {
        let o = run(
            dir.path(),
            &["history", "--log", &log, "--case", &k.reference],
        );
        assert_eq!(o.status.code(), Some(0));
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(!text.contains(&k.pupil.family_name), "{}", k.reference);
        assert!(!text.contains(&k.pupil.date_of_birth.to_string()));
    }
    let o = run(
        dir.path(),
        &["history", "--log", &log, "--case", "FA-1999-999"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no case with this reference"));
}
