//! `fairpanel report` and `fairpanel export` (issue 17): golden files per format from fixed logs,
//! two area panels' report equal to the report of their combined log (no entry counted twice,
//! a log given twice counted once), suppression for publication, no pupil data, the export's
//! pseudonyms and permissions, and DuckDB reproducing the report's totals from the export with
//! the SQL in docs/export.sql.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use fairpanel::domain::caseload::{CaseKind, Caseload};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome, When};
use fairpanel::domain::figures::Period;
use fairpanel::domain::report::Report;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::io::report as text;

use common::{
    Open, SettledOutput, T, attend_all, deciders, open_caseload, record_first_lawful,
    suggested_schools,
};

const BIN: &str = env!("CARGO_BIN_EXE_fairpanel");

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn year() -> Period {
    Period {
        from: d("2025-09-01"),
        to: d("2026-08-31"),
    }
}

fn demo() -> Caseload {
    caseload::parse(DEMO_CASELOAD).unwrap().caseload
}

/// A second area panel: the demo's schools, its own id and name, and other children (the
/// demo's cases under references of its own).
fn north() -> Caseload {
    let mut c = demo();
    c.panel.id = "walsall-north-fap".into();
    c.panel.name = "Walsall North Fair Access Panel".into();
    c.panel.area = Some("North".into());
    for k in &mut c.cases {
        k.reference = format!("N{}", k.reference);
    }
    c
}

/// One panel for the whole area: the demo panel with both areas' cases.
fn whole() -> Caseload {
    let mut c = demo();
    c.cases.extend(north().cases);
    c
}

/// One step of a plan: an entry, and which earlier step it corrects (and why).
#[derive(Clone)]
struct Step {
    event: Event,
    corrects: Option<(usize, String)>,
}

fn open(path: &Path, c: Caseload) -> Open {
    let text = serde_json::to_string(&c).unwrap();
    open_caseload(path, c, &text).unwrap()
}

/// Records the first candidate no rule refuses, as a step of the plan.
fn first_lawful(
    s: &mut Open,
    candidates: Vec<Decision>,
    steps: &mut Vec<Step>,
    ids: &mut Vec<i64>,
) -> bool {
    let Some(e) = record_first_lawful(s, candidates) else {
        return false;
    };
    ids.push(e.id);
    steps.push(Step {
        event: e.event,
        corrects: None,
    });
    true
}

fn ap_places(s: &Open, case_ref: &str) -> Vec<Decision> {
    let by = deciders(s, 2);
    s.caseload()
        .places
        .iter()
        .map(|p| {
            let start = p.free_from.unwrap_or(d("2026-03-16")).max(d("2026-03-16"));
            let mut dec = Decision::new(case_ref, Outcome::AllocateApInterim);
            dec.urn = Some(p.urn);
            dec.start_date = Some(start);
            dec.review_date = Some(Date(start.0 + chrono::Duration::days(42)));
            dec.package = Some("Transport and a key worker".into());
            dec.reasons = "A place while a school is found".into();
            dec.agreed_by = by.clone();
            dec.override_reason = Some("Agreed by the panel".into());
            dec
        })
        .collect()
}

/// A meeting's business on the log at `path`, worked out live (schools as the meeting ranks
/// them), returned as steps to replay elsewhere: attendance, `placed` school places for agreed
/// Fair Access cases, a deferral, an AP place, a refusal escalated to a direction and a
/// correction of the first placement to a withdrawal.
fn plan(path: &Path, c: Caseload, placed: usize) -> Vec<Step> {
    let mut s = open(path, c);
    attend_all(&mut s);
    let mut steps: Vec<Step> = s
        .state()
        .own_entries()
        .filter(|e| matches!(e.event, Event::Attendance { .. }))
        .map(|e| Step {
            event: e.event.clone(),
            corrects: None,
        })
        .collect();
    let mut ids: Vec<i64> = s
        .state()
        .own_entries()
        .filter(|e| matches!(e.event, Event::Attendance { .. }))
        .map(|e| e.id)
        .collect();
    let agreed: Vec<String> = s
        .caseload()
        .cases
        .iter()
        .filter(|k| k.kind == CaseKind::FairAccess && k.fap_agreed_date.is_some())
        .map(|k| k.reference.clone())
        .collect();
    let mut done = 0;
    let mut rest = agreed.iter();
    for r in rest.by_ref() {
        if done == placed {
            break;
        }
        let cands = suggested_schools(&s, r, Outcome::AllocateSchool);
        if first_lawful(&mut s, cands, &mut steps, &mut ids) {
            done += 1;
        }
    }
    let first_placement = steps
        .iter()
        .position(
            |x| matches!(&x.event, Event::Decision(d) if d.outcome == Outcome::AllocateSchool),
        )
        .unwrap();
    if let Some(r) = rest.next() {
        let mut dec = Decision::new(r, Outcome::DeferMoreInfo);
        dec.reasons = "Awaiting the school's attendance record".into();
        dec.agreed_by = deciders(&s, 2);
        let (e, _) = s
            .record(Event::Decision(dec.clone()), None, When::Meeting, T.into())
            .unwrap();
        steps.push(Step {
            event: Event::Decision(dec),
            corrects: None,
        });
        ids.push(e.id);
    }
    if let Some(r) = rest.next() {
        let cands = suggested_schools(&s, r, Outcome::RefusedEscalateDirection);
        first_lawful(&mut s, cands, &mut steps, &mut ids);
    }
    let ap: Vec<String> = s
        .caseload()
        .cases
        .iter()
        .filter(|k| k.kind == CaseKind::PlaceRequest)
        .map(|k| k.reference.clone())
        .collect();
    for r in ap.iter().take(1) {
        let cands = ap_places(&s, r);
        first_lawful(&mut s, cands, &mut steps, &mut ids);
    }
    // The first placement corrected: the family moved away.
    let Event::Decision(was) = &steps[first_placement].event else {
        unreachable!()
    };
    let mut dec = Decision::new(&was.case_ref, Outcome::Withdrawn);
    dec.reasons = "The family moved out of the area".into();
    dec.agreed_by = deciders(&s, 2);
    let reason = "The family moved to Dudley before the start date".to_owned();
    s.record(
        Event::Decision(dec.clone()),
        Some((ids[first_placement], reason.clone())),
        When::Meeting,
        T.into(),
    )
    .unwrap();
    steps.push(Step {
        event: Event::Decision(dec),
        corrects: Some((first_placement, reason)),
    });
    steps
}

/// Replays steps into the log at `path` for the meeting of `c`.
fn replay(path: &Path, c: Caseload, steps: &[Step]) {
    let mut s = open(path, c);
    let mut ids = Vec::new();
    for st in steps {
        let correction = st.corrects.as_ref().map(|(i, why)| (ids[*i], why.clone()));
        let (e, _) = s
            .record(st.event.clone(), correction, When::Meeting, T.into())
            .unwrap();
        ids.push(e.id);
    }
}

struct Logs {
    _dir: tempfile::TempDir,
    south: PathBuf,
    north: PathBuf,
    combined: PathBuf,
}

/// Two area panels' logs, and the log of one panel for the whole area that took the same
/// decisions on both areas' cases.
fn logs() -> Logs {
    let dir = tempfile::tempdir().unwrap();
    let south = dir.path().join("south.fairpanel-log");
    let north_path = dir.path().join("north.fairpanel-log");
    let combined = dir.path().join("combined.fairpanel-log");
    let s = plan(&south, demo(), 4);
    let n = plan(&north_path, north(), 2);
    let mut both = s.clone();
    let shift = s.len();
    both.extend(n.into_iter().map(|mut st| {
        if let Some((i, _)) = &mut st.corrects {
            *i += shift;
        }
        st
    }));
    replay(&combined, whole(), &both);
    Logs {
        _dir: dir,
        south,
        north: north_path,
        combined,
    }
}

fn report(logs: &[&Path], publish: bool) -> Report {
    let logs: Vec<PathBuf> = logs.iter().map(|p| p.to_path_buf()).collect();
    fairpanel::cli::report::build(&logs, year(), publish)
        .unwrap()
        .0
}

/// The tables alone: which logs they came from (entries, heads) is not a figure.
fn tables(mut r: Report) -> Report {
    r.panels.clear();
    r
}

#[test]
fn two_area_panels_report_as_one_panel_with_their_combined_decisions_and_no_entry_counts_twice() {
    let l = logs();
    let apart = report(&[&l.south, &l.north], false);
    let together = report(&[&l.combined], false);
    assert_eq!(tables(apart.clone()), tables(together));
    // Both panels are in it, with what each decided.
    assert_eq!(apart.panels.len(), 2);
    let south = report(&[&l.south], false);
    let north = report(&[&l.north], false);
    assert_eq!(
        apart.totals.decisions.n,
        south.totals.decisions.n + north.totals.decisions.n
    );
    assert_eq!(
        apart.totals.placements.n,
        south.totals.placements.n + north.totals.placements.n
    );
    // 4 + 2 school places, less one corrected to a withdrawal in each panel.
    assert_eq!(apart.totals.school_places.n, 3 + 1);
    // A log given twice, and a copy of a log: every entry counted once.
    let copy = l.south.with_file_name("south-copy.fairpanel-log");
    std::fs::copy(&l.south, &copy).unwrap();
    let twice = report(&[&l.south, &l.north, &l.south, &copy], false);
    assert_eq!(tables(twice.clone()), tables(apart.clone()));
    assert_eq!(twice.panels.len(), 2);
    assert_eq!(
        apart.totals.children.n,
        south.totals.children.n + north.totals.children.n
    );
}

#[test]
fn a_copy_that_parted_from_its_log_is_refused() {
    let l = logs();
    let copy = l.south.with_file_name("fork.fairpanel-log");
    std::fs::copy(&l.south, &copy).unwrap();
    // Each copy gets a different entry after the point they share.
    for (p, who) in [(&l.south, "present"), (&copy, "apologies")] {
        let mut s = open(p, demo());
        let member = s.caseload().panel.members[0].name.clone();
        let status = if who == "present" {
            fairpanel::domain::event::Attendance::Left
        } else {
            fairpanel::domain::event::Attendance::Apologies
        };
        s.record(
            Event::Attendance {
                member,
                status,
                time: Some("11:00".into()),
            },
            None,
            When::Meeting,
            T.into(),
        )
        .unwrap();
    }
    let o = Command::new(BIN)
        .args([
            "report",
            "--from",
            "2025-09-01",
            "--to",
            "2026-08-31",
            "--log",
        ])
        .arg(&l.south)
        .arg("--log")
        .arg(&copy)
        .settled_output();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("copies of one log that differ from entry"),
        "{err}"
    );
}

/// Every pupil value of the demo's cases that must never be in a report or an export.
fn pupil_values() -> Vec<String> {
    let mut v = Vec::new();
    for k in demo().cases {
        v.push(format!("{} {}", k.pupil.given_name, k.pupil.family_name));
        v.push(k.pupil.date_of_birth.to_string());
        v.extend(k.pupil.upn.clone());
    }
    v
}

#[test]
fn the_report_in_every_format_names_no_pupil_and_publish_suppresses_small_counts() {
    let l = logs();
    let r = report(&[&l.south, &l.north], false);
    let p = report(&[&l.south, &l.north], true);
    for text in [
        text::to_markdown(&r),
        text::to_html(&r),
        text::to_csv(&r).unwrap(),
        text::to_json(&r).unwrap(),
        text::to_markdown(&p),
    ] {
        for v in pupil_values() {
            assert!(!text.contains(&v), "a pupil's value in the report");
        }
    }
    // Published: every count from 1 to 4 hidden, the rest shown; no case references.
    let json: serde_json::Value = serde_json::from_str(&text::to_json(&p).unwrap()).unwrap();
    let mut small = 0;
    walk(&json, &mut |k, v| {
        if matches!(
            k,
            "count" | "placed" | "admitted" | "children" | "decisions"
        ) {
            if let Some(n) = v.as_u64() {
                assert!(n == 0 || n >= 5, "{k} = {n} shown in a published report");
            }
            if v.as_str() == Some("<5") {
                small += 1;
            }
        }
    });
    assert!(small > 0, "the fixture has small counts to suppress");
    assert!(p.corrections.is_empty());
    assert!(!r.corrections.is_empty());
    let md = text::to_markdown(&p);
    assert!(
        md.contains("counts from 1 to 4 are shown as <5") || md.contains("shown as \\<5"),
        "{md}"
    );
    assert!(
        !md.contains("FA-20"),
        "a case reference in a published report"
    );
    // Unpublished, the small counts are there.
    assert_eq!(r.totals.school_places.n, 4);
    assert!(!r.totals.school_places.hidden);
    assert!(p.totals.school_places.hidden);
}

fn walk(v: &serde_json::Value, f: &mut dyn FnMut(&str, &serde_json::Value)) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                f(k, x);
                walk(x, f);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
        _ => {}
    }
}

/// The committed fixed logs (tests/golden/report/), rebuilt (once per run) with
/// `FAIRPANEL_UPDATE_GOLDEN=1`.
fn fixed_logs() -> (PathBuf, PathBuf) {
    static BUILT: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/report");
    let south = dir.join("south.fairpanel-log");
    let north_log = dir.join("north.fairpanel-log");
    BUILT.get_or_init(|| {
        if std::env::var_os("FAIRPANEL_UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            let _ = std::fs::remove_file(&south);
            let _ = std::fs::remove_file(&north_log);
            plan(&south, demo(), 4);
            plan(&north_log, north(), 2);
            // The committed file alone holds the whole log.
            for p in [&south, &north_log] {
                rusqlite::Connection::open(p)
                    .unwrap()
                    .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
                    .unwrap();
                for ext in ["-wal", "-shm", ".lock"] {
                    let mut side = p.as_os_str().to_owned();
                    side.push(ext);
                    let _ = std::fs::remove_file(side);
                }
            }
        }
    });
    (south, north_log)
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/report")
        .join(name);
    if std::env::var_os("FAIRPANEL_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "tests/golden/report/{name} is out of date; run FAIRPANEL_UPDATE_GOLDEN=1 cargo test --test report, read the diff and commit it\n--- got ---\n{text}"
    );
}

#[test]
fn golden_files_per_format_from_fixed_logs() {
    let (south, north) = fixed_logs();
    for (format, name, publish) in [
        ("md", "report.md", false),
        ("html", "report.html", false),
        ("csv", "report.csv", false),
        ("json", "report.json", false),
        ("md", "report-published.md", true),
    ] {
        let mut cmd = Command::new(BIN);
        cmd.args([
            "report",
            "--from",
            "2025-09-01",
            "--to",
            "2026-08-31",
            "--format",
            format,
        ])
        .arg("--log")
        .arg(&south)
        .arg("--log")
        .arg(&north);
        if publish {
            cmd.arg("--publish");
        }
        let o = cmd.settled_output();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        golden(name, &String::from_utf8(o.stdout).unwrap());
    }
}

#[test]
fn report_to_a_file_is_owner_only_and_bad_periods_are_refused() {
    let (south, _) = fixed_logs();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("figures.html");
    let o = Command::new(BIN)
        .args([
            "report",
            "--from",
            "2025-09-01",
            "--to",
            "2026-08-31",
            "--format",
            "html",
            "--log",
        ])
        .arg(&south)
        .arg("--out")
        .arg(&out)
        .settled_output();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let o = Command::new(BIN)
        .args([
            "report",
            "--from",
            "2026-08-31",
            "--to",
            "2025-09-01",
            "--log",
        ])
        .arg(&south)
        .settled_output();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is after --to"));
    let o = Command::new(BIN)
        .args([
            "report",
            "--from",
            "2025-09-01",
            "--to",
            "2026-08-31",
            "--log",
        ])
        .arg(dir.path().join("missing.fairpanel-log"))
        .settled_output();
    assert_eq!(o.status.code(), Some(2));
}

fn export(
    logs: &[&Path],
    out: &Path,
    format: &str,
    key: Option<&Path>,
    data: &Path,
) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "export",
        "--format",
        format,
        "--from",
        "2025-09-01",
        "--to",
        "2026-08-31",
        "--out",
    ])
    .arg(out)
    .env("FAIRPANEL_DATA_DIR", data);
    for l in logs {
        cmd.arg("--log").arg(l);
    }
    if let Some(k) = key {
        cmd.arg("--key").arg(k);
    }
    cmd.settled_output()
}

#[test]
fn the_export_is_pseudonymous_owner_only_and_joins_under_one_key() {
    let (south, north) = fixed_logs();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let a = dir.path().join("a");
    let o = export(&[&south, &north], &a, "csv", None, &data);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The key was made in the data folder, owner-only, and said so.
    let key = data.join("export.key");
    assert!(String::from_utf8_lossy(&o.stderr).contains("a new export key was made"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&key), 0o600);
        assert_eq!(mode(&a), 0o700);
        for f in [
            "decisions.csv",
            "placements.csv",
            "clocks.csv",
            "attendance.csv",
            "schools.csv",
            "schema.json",
        ] {
            assert_eq!(mode(&a.join(f)), 0o600, "{f}");
        }
    }
    let all = |d: &Path| -> String {
        let mut s = String::new();
        for e in std::fs::read_dir(d).unwrap() {
            s.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
        }
        s
    };
    let text = all(&a);
    for v in pupil_values() {
        assert!(!text.contains(&v), "a pupil's value in the export");
    }
    assert!(!text.contains("FA-2026"), "a case reference in the export");
    for m in demo().panel.members {
        assert!(!text.contains(&m.name), "a person's name in the export");
    }
    // The same key again (now the data folder's): the same pseudonyms, in JSON Lines too.
    let b = dir.path().join("b");
    let o = export(&[&south, &north], &b, "jsonl", Some(&key), &data);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let first_case = |csv: &str| -> String {
        csv.lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(5)
            .unwrap()
            .to_owned()
    };
    let case = first_case(&std::fs::read_to_string(a.join("decisions.csv")).unwrap());
    assert_eq!(case.len(), 64);
    let jsonl = std::fs::read_to_string(b.join("decisions.jsonl")).unwrap();
    assert!(jsonl.contains(&case));
    // One object a line, as many as the CSV has rows.
    let rows = std::fs::read_to_string(a.join("decisions.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(jsonl.lines().count(), rows);
    for l in jsonl.lines() {
        assert!(
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap()
                .is_object()
        );
    }
    // Another key: no join.
    let other = dir.path().join("other.key");
    std::fs::write(&other, "0123456789abcdef0123456789abcdef-another-la").unwrap();
    let c = dir.path().join("c");
    let o = export(&[&south, &north], &c, "csv", Some(&other), &data);
    assert_eq!(o.status.code(), Some(0));
    assert!(!all(&c).contains(&case));
    // A key too short to be one is refused (exit 2), and nothing is said about its content.
    std::fs::write(&other, "short").unwrap();
    let o = export(&[&south], &dir.path().join("d"), "csv", Some(&other), &data);
    assert_eq!(o.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("short\n"));
}

#[test]
fn docs_export_md_documents_every_column_of_the_schema() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export.md"))
            .unwrap();
    for (table, cols) in fairpanel::io::export::TABLES {
        assert!(
            docs.contains(&format!("### `{table}`")),
            "docs/export.md has no section for {table}"
        );
        for c in *cols {
            assert!(
                docs.contains(&format!("| `{}` | {} |", c.name, c.kind)),
                "docs/export.md does not document {table}.{} as {}",
                c.name,
                c.kind
            );
        }
    }
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export.schema.json"),
    )
    .unwrap_or_default();
    let now = fairpanel::io::export::schema_json();
    if std::env::var_os("FAIRPANEL_UPDATE_SCHEMA").is_some() {
        std::fs::write(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export.schema.json"),
            &now,
        )
        .unwrap();
    } else {
        assert_eq!(
            committed, now,
            "docs/export.schema.json is out of date: FAIRPANEL_UPDATE_SCHEMA=1 cargo test --test report (a column change needs a new format version)"
        );
    }
}

/// DuckDB reads the export and docs/export.sql gives the report's totals. `.ci/report.sh`
/// installs the `duckdb` Python package; outside CI the test says so and passes if it is
/// missing, in CI (`CI` set) it fails.
#[test]
fn duckdb_reproduces_the_report_totals_from_the_export() {
    let probe = Command::new("python3")
        .args(["-c", "import duckdb"])
        .settled_output();
    if !probe.status.success() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: the Python package duckdb is missing; .ci/report.sh installs it"
        );
        eprintln!(
            "SKIPPED: the Python package duckdb is not installed (pip install duckdb, or run .ci/report.sh)"
        );
        return;
    }
    let (south, north) = fixed_logs();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let key = dir.path().join("key");
    std::fs::write(&key, "an-export-key-for-the-duckdb-test-0123456789").unwrap();
    let o = export(&[&south, &north], &out, "csv", Some(&key), dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("python3")
        .arg(root.join(".ci/duckdb_check.py"))
        .arg(root.join("docs/export.sql"))
        .arg(&out)
        .settled_output();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = report(&[&south, &north], false);
    let n = |k: &str| got[k].as_i64().unwrap_or(-1);
    assert_eq!(n("decisions"), i64::from(r.totals.decisions.n));
    assert_eq!(n("children"), i64::from(r.totals.children.n));
    assert_eq!(n("placements"), i64::from(r.totals.placements.n));
    assert_eq!(n("school_places"), i64::from(r.totals.school_places.n));
    assert_eq!(n("allocation_children"), i64::from(r.waits[0].children.n));
    assert_eq!(got["allocation_median"].as_i64(), r.waits[0].median);
    assert_eq!(got["allocation_p90"].as_i64(), r.waits[0].p90);
    assert_eq!(n("allocation_over_aim"), i64::from(r.waits[0].over_aim.n));
    assert_eq!(n("still_waiting"), i64::from(r.still_waiting.children.n));
    assert_eq!(n("overdue"), i64::from(r.still_waiting.overdue.n));
    assert_eq!(
        n("placed_more_than_once"),
        i64::from(r.placed_more_than_once.n)
    );
    let refusals: u32 = r.refusals.iter().map(|x| x.count.n).sum();
    assert_eq!(n("directions_requested"), i64::from(refusals));
    let superseded: u32 = r.superseded.iter().map(|x| x.count.n).sum();
    assert_eq!(n("superseded"), i64::from(superseded));
}

#[test]
fn a_changed_entry_or_free_text_is_damage_and_no_figures_are_given() {
    let (south, _) = fixed_logs();
    let dir = tempfile::tempdir().unwrap();
    for (name, sql) in [
        (
            "entry",
            "DROP TRIGGER entry_no_update; UPDATE entry SET body = replace(body, 'present', 'apologies') WHERE id = 3;",
        ),
        (
            "free text",
            "DROP TRIGGER IF EXISTS blob_no_update; UPDATE blob SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Dudley', 'Sandwell') AS BLOB) WHERE CAST(bytes AS TEXT) LIKE '%Dudley%';",
        ),
    ] {
        let log = dir
            .path()
            .join(format!("{}.fairpanel-log", name.replace(' ', "-")));
        std::fs::copy(&south, &log).unwrap();
        let conn = rusqlite::Connection::open(&log).unwrap();
        let triggers: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'blob'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for t in triggers {
            conn.execute_batch(&format!("DROP TRIGGER {t};")).unwrap();
        }
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let o = Command::new(BIN)
            .args([
                "report",
                "--from",
                "2025-09-01",
                "--to",
                "2026-08-31",
                "--log",
            ])
            .arg(&log)
            .settled_output();
        assert_eq!(
            o.status.code(),
            Some(5),
            "a changed {name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty(), "figures from a damaged log ({name})");
    }
}
