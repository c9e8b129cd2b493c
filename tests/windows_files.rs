//! Files as a Windows laptop has them, tested on Linux through the real binary: every input format
//! with CRLF line ends reads exactly as with LF (the same result, the same problems at the same
//! line and column), and every file fairpanel reads or writes may sit in a folder whose name has
//! spaces, an apostrophe and letters outside ASCII. The CI's Windows run (.ci/windows.sh) repeats
//! the paths and the CRLF caseload under wine.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .current_dir(manifest())
        .env("FAIRPANEL_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run fairpanel")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `text` with every line ending `ending` (whatever it ended with before).
fn with_endings(text: &[u8], ending: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 20);
    for line in text.split_inclusive(|&b| b == b'\n') {
        let bare = line
            .strip_suffix(b"\n")
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
        match bare {
            Some(l) => {
                out.extend_from_slice(l);
                out.extend_from_slice(ending);
            }
            None => out.extend_from_slice(line),
        }
    }
    out
}

/// The fixture `rel` written twice into `dir`, as `lf-NAME` and `crlf-NAME`; the CRLF copy is
/// checked to have CR LF at every line end.
fn both(dir: &Path, rel: &str) -> (PathBuf, PathBuf) {
    let bytes = std::fs::read(manifest().join(rel)).expect("fixture");
    let name = Path::new(rel).file_name().expect("name").to_string_lossy();
    let lf = dir.join(format!("lf {name}"));
    let crlf = dir.join(format!("crlf {name}"));
    std::fs::write(&lf, with_endings(&bytes, b"\n")).expect("write");
    let crlf_bytes = with_endings(&bytes, b"\r\n");
    let lines = crlf_bytes.iter().filter(|&&b| b == b'\n').count();
    let crs = crlf_bytes.windows(2).filter(|w| w == b"\r\n").count();
    assert!(lines > 2 && lines == crs, "{rel}: every line ends CR LF");
    std::fs::write(&crlf, crlf_bytes).expect("write");
    (lf, crlf)
}

/// What a run said, with the two files' names made one so LF and CRLF runs compare.
fn said(o: &Output, lf: &Path, crlf: &Path) -> (Option<i32>, String, String) {
    let norm = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .replace(s(crlf), "FILE")
            .replace(s(lf), "FILE")
    };
    (o.status.code(), norm(&o.stdout), norm(&o.stderr))
}

/// `COMMAND FILE --into CASELOAD` run on the LF and then the CRLF file, each into a fresh copy of
/// the demo caseload: what each said on stderr and the caseload it left.
fn merged_into_demo(
    dir: &Path,
    lf: &Path,
    crlf: &Path,
    command: &[&str],
) -> Vec<(String, Vec<u8>)> {
    [lf, crlf]
        .into_iter()
        .map(|file| {
            let into = dir.join("into.json");
            std::fs::copy(manifest().join("fixtures/demo-walsall.json"), &into).unwrap();
            let mut args = command.to_vec();
            args.extend([s(file), "--into", s(&into)]);
            let o = run(dir, &args);
            let (code, _, err) = said(&o, lf, crlf);
            assert_eq!(code, Some(0), "{err}");
            (err, std::fs::read(&into).unwrap())
        })
        .collect()
}

#[test]
fn check_reads_a_crlf_caseload_as_lf_and_puts_problems_on_the_same_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let (lf, crlf) = both(dir.path(), "fixtures/demo-walsall.json");
    let a = run(dir.path(), &["check", s(&lf)]);
    let b = run(dir.path(), &["check", s(&crlf)]);
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(said(&a, &lf, &crlf), said(&b, &lf, &crlf));

    // A bad date of birth and a bad year group, far down the file: same lines, same columns.
    for p in [&lf, &crlf] {
        let text = std::fs::read_to_string(p).unwrap();
        let bad = text
            .replacen(
                "\"date_of_birth\": \"",
                "\"date_of_birth\": \"2011-02-30x",
                3,
            )
            .replacen(
                "\"meeting_date\": \"2026-03-12\"",
                "\"meeting_date\": \"2026-13-12\"",
                1,
            );
        std::fs::write(p, bad).unwrap();
    }
    let a = run(dir.path(), &["check", s(&lf)]);
    let b = run(dir.path(), &["check", s(&crlf)]);
    assert_eq!(a.status.code(), Some(2));
    let (_, _, err) = said(&a, &lf, &crlf);
    assert!(err.contains("(line ") && err.contains("column "), "{err}");
    assert_eq!(said(&a, &lf, &crlf), said(&b, &lf, &crlf));
}

#[test]
fn a_crlf_gias_extract_imports_as_lf() {
    let dir = tempfile::tempdir().unwrap();
    let (lf, crlf) = both(dir.path(), "fixtures/gias/la_335_walsall.csv");
    let a = run(dir.path(), &["schools", "import", s(&lf), "--la", "335"]);
    let b = run(dir.path(), &["schools", "import", s(&crlf), "--la", "335"]);
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert!(String::from_utf8_lossy(&a.stdout).contains("\"urn\""));
    assert_eq!(said(&a, &lf, &crlf), said(&b, &lf, &crlf));
}

#[test]
fn crlf_term_dates_csv_and_ics_make_the_same_new_panel() {
    let dir = tempfile::tempdir().unwrap();
    let (gias_lf, gias_crlf) = both(dir.path(), "fixtures/gias/la_335_walsall.csv");
    let mut made = Vec::new();
    for terms in [
        "fixtures/terms/walsall-2025-26.csv",
        "fixtures/terms/walsall-2025-26.ics",
    ] {
        let (lf, crlf) = both(dir.path(), terms);
        for (gias, terms, tag) in [(&gias_lf, &lf, "lf"), (&gias_crlf, &crlf, "crlf")] {
            let out = dir.path().join(format!(
                "{tag} {}.json",
                Path::new(terms).extension().unwrap().to_string_lossy()
            ));
            let o = run(
                dir.path(),
                &[
                    "init",
                    "--la",
                    "335",
                    "--kind",
                    "iyfap_sec",
                    "--gias",
                    s(gias),
                    "--terms",
                    s(terms),
                    "--meeting",
                    "2026-03-12",
                    "--out",
                    s(&out),
                ],
            );
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
            made.push(v);
        }
    }
    let terms = |v: &serde_json::Value| v["calendar"]["terms"].as_array().map_or(0, Vec::len);
    assert!(terms(&made[0]) >= 6, "{}", made[0]["calendar"]);
    assert!(terms(&made[2]) >= 1, "{}", made[2]["calendar"]);
    assert_eq!(made[0], made[1], "term dates CSV, CRLF");
    assert_eq!(made[2], made[3], "term dates iCalendar, CRLF");
}

#[test]
fn a_crlf_or_lf_referrals_csv_merges_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (lf, crlf) = both(dir.path(), "fixtures/referrals/referrals-utf8.csv");
    let results = merged_into_demo(dir.path(), &lf, &crlf, &["referrals", "import"]);
    assert!(results[0].0.contains("FA-2026-201"), "{}", results[0].0);
    assert_eq!(results[0], results[1]);
}

#[test]
fn a_crlf_common_transfer_file_fills_cases_as_lf() {
    let dir = tempfile::tempdir().unwrap();
    let (lf, crlf) = both(dir.path(), "fixtures/ctf/good-ctf25.xml");
    let results = merged_into_demo(dir.path(), &lf, &crlf, &["ctf", "import"]);
    assert!(results[0].0.contains("2 cases filled"), "{}", results[0].0);
    assert_eq!(results[0], results[1]);
    // A malformed CRLF file is refused at the same line and column as its LF twin.
    let (lf, crlf) = both(dir.path(), "fixtures/ctf/malformed.xml");
    let into = dir.path().join("into.json");
    let a = run(dir.path(), &["ctf", "import", s(&lf), "--into", s(&into)]);
    let b = run(dir.path(), &["ctf", "import", s(&crlf), "--into", s(&into)]);
    assert_eq!(a.status.code(), Some(2));
    assert_eq!(said(&a, &lf, &crlf), said(&b, &lf, &crlf));
}

/// Files fairpanel makes are the owner's only.
#[cfg(unix)]
fn owner_only(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", p.display());
}

#[cfg(not(unix))]
fn owner_only(_: &Path) {}

#[test]
fn every_file_may_sit_in_a_folder_with_spaces_and_non_ascii_letters() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("Panel files ł").join("Zoë's folder");
    std::fs::create_dir_all(&dir).unwrap();
    let data = root.path().join("données du panel");
    let caseload = dir.join("Walsall caseload – March.json");
    let log = dir.join("Décisions 2026").join("walsall log.fairpanel-log");
    let ok = |o: Output| {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        o
    };

    ok(run(&data, &["demo", "--out", s(&caseload)]));
    owner_only(&caseload);
    ok(run(&data, &["check", s(&caseload)]));
    ok(run(
        &data,
        &[
            "record",
            "--log",
            s(&log),
            "--caseload",
            s(&caseload),
            "--as-of",
            "2026-03-13",
            "--agreed-by",
            "Janet Okafor",
            "--case",
            "FA-2026-003",
            "--outcome",
            "allocate_school",
            "--urn",
            "142594",
            "--start",
            "2026-03-16",
            "--reasons",
            "Nearest school with a Y10 place",
        ],
    ));
    owner_only(&log);
    let v = ok(run(&data, &["verify", "--log", s(&log)]));
    let out = String::from_utf8_lossy(&v.stdout).into_owned();
    assert!(out.contains(" entries"), "{out}");

    let minutes = dir.join("minutes – 13 März.md");
    ok(run(
        &data,
        &[
            "minutes",
            "--log",
            s(&log),
            "--format",
            "md",
            "--out",
            s(&minutes),
        ],
    ));
    owner_only(&minutes);
    assert!(
        std::fs::read_to_string(&minutes)
            .unwrap()
            .contains("FA-2026-003")
    );

    let next = dir.join("next meeting – avril.json");
    ok(run(
        &data,
        &[
            "next",
            "--log",
            s(&log),
            "--meeting",
            "2026-04-23",
            "--out",
            s(&next),
        ],
    ));
    owner_only(&next);
    ok(run(&data, &["check", s(&next)]));

    let man = dir.join("man pages ü");
    ok(run(&data, &["man", "--out", s(&man)]));
    owner_only(&man.join("fairpanel.1"));
}

#[test]
fn a_log_in_a_synced_folder_is_warned_about_and_still_written() {
    let root = tempfile::tempdir().unwrap();
    let synced = root.path().join("OneDrive - Walsall Council").join("Panel");
    std::fs::create_dir_all(&synced).unwrap();
    let caseload = root.path().join("caseload.json");
    std::fs::copy(manifest().join("fixtures/demo-walsall.json"), &caseload).unwrap();
    let record = |log: &Path| {
        run(
            root.path(),
            &[
                "record",
                "--log",
                s(log),
                "--caseload",
                s(&caseload),
                "--as-of",
                "2026-03-13",
                "--agreed-by",
                "Janet Okafor",
                "--case",
                "FA-2026-003",
                "--outcome",
                "withdrawn",
                "--reasons",
                "The family moved away",
            ],
        )
    };
    let o = record(&synced.join("walsall.fairpanel-log"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: the decision log is in a folder OneDrive synchronises")
            && err.contains("own disk"),
        "{err}"
    );
    assert!(synced.join("walsall.fairpanel-log").exists());

    // On this computer's own disk: no warning.
    let o = record(&root.path().join("local.fairpanel-log"));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("warning: the decision log"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
