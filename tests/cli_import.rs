//! `fairpanel schools import` through the real binary (cli.md).

use std::process::Command;

fn fairpanel() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fairpanel"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const CSV: &str = "fixtures/gias/la_335_walsall.csv";

#[test]
fn import_prints_the_schools_array() {
    let out = fairpanel()
        .args(["schools", "import", CSV, "--la", "335"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let schools: Vec<fairpanel::domain::caseload::School> =
        serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schools.len(),
        122,
        "every open Walsall school (domain.md §7: 122)"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("122 open schools of LA 335 read (") && err.contains("GIAS holds no PAN"),
        "a one-line summary with the encoding: {err}"
    );
}

#[test]
fn import_of_the_wrong_la_exits_2_and_names_the_codes_found() {
    let out = fairpanel()
        .args(["schools", "import", CSV, "--la", "886"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no schools for LA 886") && err.contains("335"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn import_into_merges_by_urn_keeps_pan_and_writes_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.json");
    std::fs::copy("fixtures/demo-walsall.json", &path).unwrap();
    let before: fairpanel::domain::caseload::Caseload =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let out = fairpanel()
        .args(["schools", "import", CSV, "--la", "335", "--into"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{} added", 122 - before.schools.len())),
        "{err}"
    );
    let after = fairpanel::io::caseload::open(&path).unwrap().0.caseload;
    assert_eq!(after.schools.len(), 122);
    // The summary counts the mainstream schools left without a PAN, and warns of them.
    let no_pan = after
        .schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special) && s.pan.is_empty())
        .count();
    assert!(no_pan > 0);
    assert!(
        err.contains(&format!("{no_pan} without PAN (read as ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("warning: {no_pan} mainstream schools have no PAN")),
        "{err}"
    );
    for s in before.schools.iter().filter(|s| !s.pan.is_empty()) {
        let merged = after.schools.iter().find(|m| m.urn == s.urn).unwrap();
        assert_eq!(
            merged.pan, s.pan,
            "PAN is not in GIAS: the caseload's own values are kept"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
fn import_into_an_invalid_caseload_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{ \"format\": ").unwrap();
    let out = fairpanel()
        .args(["schools", "import", CSV, "--la", "335", "--into"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ \"format\": ");
}
