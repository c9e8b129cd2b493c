//! `fairpanel ctf import` through the real binary: the good files fill cases, each bad file is
//! refused with the element path and what to do (never a pupil's value), disagreements are named
//! by field and settled by --prefer-ctf, and nothing is written on an error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fairpanel::domain::caseload::{Case, Caseload, Sen, Sex};

fn fairpanel() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fairpanel"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// A copy of the demo caseload (invented pupils) to import into.
fn caseload(dir: &Path) -> PathBuf {
    let p = dir.join("caseload.json");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-walsall.json"),
        &p,
    )
    .unwrap();
    p
}

fn import(file: &str, into: &Path, extra: &[&str]) -> Output {
    fairpanel()
        .args(["ctf", "import", file, "--into"])
        .arg(into)
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn load(p: &Path) -> Caseload {
    fairpanel::io::caseload::open(p)
        .unwrap_or_else(|e| panic!("{e}"))
        .0
        .caseload
}

fn case<'a>(c: &'a Caseload, r: &str) -> &'a Case {
    c.cases.iter().find(|k| k.reference == r).unwrap()
}

/// Names, dates and numbers of the fixtures' pupils that must never reach stderr.
const PUPIL_VALUES: [&str; 12] = [
    "Keira",
    "Thompson",
    "Jayden",
    "Clarke",
    "2012-03-08",
    "2014-01-22",
    "2014-02-30",
    "335412116121",
    "335412818128",
    "9276308686",
    "Hart",
    "2010-11-02",
];

fn no_pupil_values(err: &str) {
    for v in PUPIL_VALUES {
        assert!(
            !err.contains(v),
            "a pupil value ({v}) reached stderr:\n{err}"
        );
    }
}

#[test]
fn a_ctf_25_with_two_pupils_fills_their_cases_by_upn() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let before = load(&path);
    let out = import("fixtures/ctf/good-ctf25.xml", &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.ends_with("2 pupils in 1 file: 2 cases filled (FA-2026-001, FA-2026-002), 0 pupils matched no case; 5 fields filled, 0 disagreements (the caseload's value kept)\n"),
        "{err}"
    );
    no_pupil_values(&err);
    let after = load(&path);
    let a = case(&after, "FA-2026-001");
    assert_eq!(a.pupil.uln.as_deref(), Some("9276308686"));
    let att = a.attendance.as_ref().unwrap();
    assert_eq!(
        (att.year, att.sessions_possible, att.sessions_attended),
        (2025, 180, 139)
    );
    let b = case(&after, "FA-2026-002");
    assert_eq!(b.pupil.sen_need.as_deref(), Some("SPLD"));
    assert_eq!(b.pupil.sen, Sen::SenSupport);
    // The school the caseload lacked is added after those it had, which are kept as they were.
    let was = &case(&before, "FA-2026-002").schools_attended;
    assert_eq!(&b.schools_attended[..was.len()], &was[..]);
    assert_eq!(b.schools_attended.len(), was.len() + 1);
    assert_eq!(b.schools_attended.last().unwrap().urn, Some(142594));
    // Other cases untouched.
    assert_eq!(case(&after, "FA-2026-003"), case(&before, "FA-2026-003"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // And the result passes fairpanel check.
    let check = fairpanel().arg("check").arg(&path).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn the_previous_version_is_read_with_gender_for_sex() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let out = import("fixtures/ctf/previous-ctf24.xml", &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("warning"), "{err}");
    let c = load(&path);
    let z = case(&c, "FA-2026-003");
    assert_eq!(z.pupil.sex, Sex::Female);
    assert_eq!(z.attendance.as_ref().map(|a| a.year), Some(2024));
}

#[test]
fn an_unknown_version_is_read_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let out = import("fixtures/ctf/unknown-version.xml", &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: fixtures/ctf/unknown-version.xml: CTfile/Header/CTFversion: version \"19.0\" is neither 25.0 (current) nor 24.0 (previous)"),
        "{err}"
    );
}

/// Runs a bad file and checks: exit 2, the one error line, nothing written, no pupil value.
fn refused(file: &str, expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let out = import(file, &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let first = err.lines().next().unwrap();
    assert!(first.starts_with(&format!("{file}: {expect}")), "{err}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .ends_with("nothing was written; fix the problems above (ask the sending school for a corrected CTF) and try again"),
        "{err}"
    );
    no_pupil_values(&err);
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing written");
}

#[test]
fn a_wrong_upn_check_letter_is_refused_by_element_path() {
    refused(
        "fixtures/ctf/bad-upn.xml",
        "CTfile/CTFpupilData/Pupil[1]/UPN: the UPN's check letter does not match its other 12 characters, so a character is wrong; ask the sending school to correct it and export the CTF again",
    );
}

#[test]
fn a_bad_date_of_birth_is_refused_by_element_path() {
    refused(
        "fixtures/ctf/bad-date.xml",
        "CTfile/CTFpupilData/Pupil[2]/DOB: not a real date written YYYY-MM-DD; ask the sending school to correct the date of birth and export the CTF again",
    );
}

#[test]
fn malformed_xml_is_refused_with_its_line_and_column() {
    refused(
        "fixtures/ctf/malformed.xml",
        "(document) (line 56, column 21): not well-formed XML: a tag, comment or quoted value is not closed; the file is damaged or cut short, so ask the sending school to export the CTF again",
    );
}

#[test]
fn a_disagreement_names_the_field_and_keeps_the_caseload_unless_prefer_ctf() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    // The caseload says another date of birth (same year group) for FA-2026-001.
    let text =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("\"2012-03-08\"", "\"2012-04-09\"", 1);
    std::fs::write(&path, &text).unwrap();
    let out = import("fixtures/ctf/good-ctf25.xml", &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("fixtures/ctf/good-ctf25.xml: CTfile/CTFpupilData/Pupil[1]/DOB: differs from cases[2].pupil.date_of_birth (case FA-2026-001); kept the caseload's value; check which is right, and use --prefer-ctf to take the file's"),
        "{err}"
    );
    assert!(
        err.contains("1 disagreement (the caseload's value kept)"),
        "{err}"
    );
    no_pupil_values(&err);
    assert!(!err.contains("2012-04-09"), "{err}");
    let kept = load(&path);
    assert_eq!(
        case(&kept, "FA-2026-001").pupil.date_of_birth.to_string(),
        "2012-04-09"
    );

    std::fs::write(&path, &text).unwrap();
    let out = import("fixtures/ctf/good-ctf25.xml", &path, &["--prefer-ctf"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("took the file's value (--prefer-ctf)"),
        "{err}"
    );
    let taken = load(&path);
    assert_eq!(
        case(&taken, "FA-2026-001").pupil.date_of_birth.to_string(),
        "2012-03-08"
    );
}

#[test]
fn case_names_the_case_and_needs_a_file_of_one_pupil() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    // Two pupils for one case: refused.
    let out = import(
        "fixtures/ctf/good-ctf25.xml",
        &path,
        &["--case", "FA-2026-004"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("--case: the files hold 2 pupils, and --case names one case"),
        "{}",
        stderr(&out)
    );
    // An unknown reference: refused.
    let out = import(
        "fixtures/ctf/previous-ctf24.xml",
        &path,
        &["--case", "FA-9999-999"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--case: no case \"FA-9999-999\" in the caseload"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing written");
    // One pupil into a named case whose UPN differs: filled, and the UPN named as a difference.
    let out = import(
        "fixtures/ctf/previous-ctf24.xml",
        &path,
        &["--case", "FA-2026-004"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "CTfile/CTFpupilData/Pupil[1]/UPN: differs from cases[5].pupil.upn (case FA-2026-004)"
        ),
        "{err}"
    );
    no_pupil_values(&err);
}

#[test]
fn a_pupil_matching_no_case_is_reported_by_position_and_not_added() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let before = load(&path);
    // Pupil 2 of the good file with another valid UPN that no case holds.
    let other = fairpanel::domain::upn::with_check_letter("335499999123").unwrap();
    let ctf = dir.path().join("one-unknown.xml");
    std::fs::write(
        &ctf,
        std::fs::read_to_string("fixtures/ctf/good-ctf25.xml")
            .unwrap()
            .replace("Z335412818128", &other),
    )
    .unwrap();
    let out = import(ctf.to_str().unwrap(), &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("one-unknown.xml: CTfile/CTFpupilData/Pupil[2]: no case in the caseload holds this pupil's UPN, so nothing was added for it; add the case first, or import with --case REF"), "{err}");
    assert!(
        err.contains("1 case filled (FA-2026-001), 1 pupil matched no case"),
        "{err}"
    );
    assert!(!err.contains(&other[1..]), "{err}");
    assert_eq!(load(&path).cases.len(), before.cases.len());
}

#[test]
fn a_folder_of_ctfs_is_read_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let folder = dir.path().join("ctfs");
    std::fs::create_dir(&folder).unwrap();
    for f in ["good-ctf25.xml", "previous-ctf24.xml"] {
        std::fs::copy(format!("fixtures/ctf/{f}"), folder.join(f)).unwrap();
    }
    std::fs::write(folder.join("notes.txt"), "not a CTF").unwrap();
    let out = import(folder.to_str().unwrap(), &path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("3 pupils in 2 files: 3 cases filled (FA-2026-001, FA-2026-002, FA-2026-003)"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_bad_input_and_an_unwritable_caseload_is_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = caseload(dir.path());
    let out = import("fixtures/ctf/no-such.xml", &path, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A read-only folder: the caseload cannot be replaced (skipped when run as root).
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        if std::fs::write(dir.path().join("probe"), b"x").is_err() {
            let out = import("fixtures/ctf/good-ctf25.xml", &path, &[]);
            assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}
