//! The JSON minutes (domain.md §4 "Minutes", §6 rule 13): built from the log alone, the same bytes
//! every time, tied to the log by its head hash, name-free unless `--with-names`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Attendance, Decision, Entry, Event, Outcome};
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
mod common;
use common::Open as Session;
use common::SettledOutput;
use fairpanel::domain::event::When;
use fairpanel::domain::meeting::RecordError;
use serde_json::Value;

const T: &str = "2026-03-12T10:00:00.000Z";
const BIN: &str = env!("CARGO_BIN_EXE_fairpanel");

/// The AP provision and pool the interim place is taken from: Shepwell Short Stay School, KS4
/// (4 offered, 2 used in the demo caseload).
const SHEPWELL: u32 = 131619;
/// Eligible (category b, two in-year applications), Y10 on the start date, agreed 11 Feb 2026.
const AP_CASE: &str = "FA-2026-003";
/// Not yet agreed in the caseload: agreed at this meeting, then deferred.
const DEFER_CASE: &str = "FA-2026-006";
/// Has an EHC plan: first deferred by mistake, then corrected to the EHC plan route.
const EHCP_CASE: &str = "FA-2026-017";
/// A declaration only.
const DECLARED_CASE: &str = "FA-2026-010";
const CORRECTION_REASON: &str = "The SEND team confirmed the plan is final: EHC plan route";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn open_session(path: &Path) -> Session {
    common::open_session(path, DEMO_CASELOAD).unwrap()
}

fn rec(s: &mut Session, event: Event, correction: Option<(i64, String)>) -> Entry {
    match s.record(event, correction, When::Meeting, T.into()) {
        Ok((e, _warnings)) => e,
        Err(RecordError::Refused(hits)) => panic!(
            "refused:\n{}",
            hits.iter().map(|h| h.line()).collect::<Vec<_>>().join("\n")
        ),
        Err(e) => panic!("{e:?}"),
    }
}

fn decision(case_ref: &str, outcome: Outcome, reasons: &str) -> Decision {
    let mut d = Decision::new(case_ref, outcome);
    d.reasons = reasons.into();
    // Deciders; Mark Ellery declares an interest and agrees nothing.
    d.agreed_by = vec![
        "Janet Okafor".into(),
        "Siobhan Keane".into(),
        "Ravinder Sahota".into(),
    ];
    d.dissent = vec!["Claire Whitehouse".into()];
    d
}

struct Fixture {
    _dir: tempfile::TempDir,
    log: PathBuf,
    data: PathBuf,
    ap: i64,
    wrong: i64,
    corrected: i64,
}

/// Records the meeting on the demo caseload and closes the session; returns the entry ids.
fn record_meeting(s: &mut Session) -> (i64, i64, i64) {
    let names: Vec<String> = s
        .caseload()
        .panel
        .members
        .iter()
        .map(|m| m.name.clone())
        .collect();
    for n in names {
        let status = if n == "Amira Haddad" {
            Attendance::Apologies
        } else {
            Attendance::Present
        };
        rec(
            s,
            Event::Attendance {
                member: n,
                status,
                time: None,
            },
            None,
        );
    }
    rec(
        s,
        Event::AgreedToConsider {
            case_ref: DEFER_CASE.into(),
            date: d("2026-03-12"),
        },
        None,
    );
    rec(
        s,
        Event::Declaration {
            member: "Mark Ellery".into(),
            case_ref: DECLARED_CASE.into(),
            interest: "Walsall Academy refused the in-year application".into(),
            withdrew: true,
        },
        None,
    );
    let mut ap = decision(
        AP_CASE,
        Outcome::AllocateApInterim,
        "Category (b); no mainstream place within reasonable distance; CAMHS evidence supports the medical PRU",
    );
    ap.urn = Some(SHEPWELL);
    ap.start_date = Some(d("2026-03-16"));
    ap.review_date = Some(d("2026-04-27"));
    ap.package = Some("Mornings for the first 6 weeks; LA transport".into());
    let ap = rec(s, Event::Decision(ap), None).id;
    rec(
        s,
        Event::Decision(decision(
            DEFER_CASE,
            Outcome::DeferMoreInfo,
            "Awaiting the housing officer's report",
        )),
        None,
    );
    let wrong = rec(
        s,
        Event::Decision(decision(
            EHCP_CASE,
            Outcome::DeferMoreInfo,
            "Awaiting the SEND team",
        )),
        None,
    )
    .id;
    let corrected = rec(
        s,
        Event::Decision(decision(
            EHCP_CASE,
            Outcome::RedirectEhcp,
            "The child has an EHC plan: the named school is consulted through the plan",
        )),
        Some((wrong, CORRECTION_REASON.into())),
    )
    .id;
    (ap, wrong, corrected)
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("logs").join("walsall.fairpanel-log");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut s = open_session(&log);
    let (ap, wrong, corrected) = record_meeting(&mut s);
    drop(s);
    Fixture {
        _dir: dir,
        log,
        data,
        ap,
        wrong,
        corrected,
    }
}

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("FAIRPANEL_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .settled_output()
}

fn minutes(f: &Fixture, extra: &[&str]) -> Output {
    let log = f.log.to_str().unwrap();
    let mut args = vec!["minutes", "--log", log];
    args.extend_from_slice(extra);
    run(&f.data, &args)
}

fn ok_text(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn case<'a>(m: &'a Value, r: &str) -> &'a Value {
    m["cases_considered"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == r)
        .unwrap_or_else(|| panic!("{r} not among the cases considered"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn committed_schema_matches() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/minutes.schema.json");
    let fresh = fairpanel::io::minutes::json_schema();
    if std::env::var_os("FAIRPANEL_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "fixtures/minutes.schema.json is out of date with src/io/minutes.rs; run FAIRPANEL_UPDATE_SCHEMA=1 cargo test --test minutes and commit it"
    );
    let s: Value = serde_json::from_str(&fresh).unwrap();
    let required = strings(&s["required"]);
    assert!(required.contains(&"head_hash") && !required.contains(&"notice"));
    assert!(
        s["properties"].get("withheld").is_none(),
        "the withheld list is for the command's warnings, not the JSON"
    );
}

#[test]
fn same_log_same_bytes_and_the_head_hash_is_verifys() {
    let f = fixture();
    let first = ok_text(&minutes(&f, &[]));
    let second = ok_text(&minutes(&f, &["--meeting", "2026-03-12"]));
    assert_eq!(first, second, "byte-identical");
    assert!(first.ends_with("}\n"));
    let m = json(&first);
    assert_eq!(m["format"], "fairpanel-minutes/5");

    let v = run(&f.data, &["verify", "--log", f.log.to_str().unwrap()]);
    let out = ok_text(&v);
    let (count, head) = out.trim().split_once(" entries, head ").unwrap();
    assert_eq!(m["head_hash"], head);
    assert_eq!(m["log_entries"], count.parse::<u64>().unwrap());
    // One log, one meeting: every entry is this meeting's (revision 1, 8 attendances, agreed,
    // declaration, 4 decisions).
    assert_eq!(m["entries"], 15);
    assert_eq!(m["log_entries"], 15);
    let revs = m["caseload_revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(
        revs[0]["sha256"],
        fairpanel::log::chain::sha256_hex(DEMO_CASELOAD.as_bytes())
    );
}

#[test]
fn default_minutes_hold_no_pupil_name_dob_or_upn() {
    let f = fixture();
    let text = ok_text(&minutes(&f, &[]));
    let c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    for k in &c.cases {
        let p = &k.pupil;
        let mut values = vec![
            p.given_name.clone(),
            p.family_name.clone(),
            p.date_of_birth.to_string(),
        ];
        values.extend(p.upn.clone());
        for v in values {
            assert!(
                !text.contains(&v),
                "{}: a pupil value is in the minutes",
                k.reference
            );
        }
    }
    let m = json(&text);
    assert!(m.get("notice").is_none());
    for c in m["cases_considered"].as_array().unwrap() {
        assert!(c.get("pupil").is_none());
    }
    assert!(!text.contains("notes") && !text.contains("date_of_birth"));
}

#[test]
fn with_names_is_the_la_copy_with_the_notice_first() {
    let f = fixture();
    let o = minutes(&f, &["--with-names"]);
    let text = ok_text(&o);
    assert!(
        text.starts_with("{\n  \"format\": \"fairpanel-minutes/5\",\n  \"notice\": \"LA INTERNAL COPY: contains pupil names, dates of birth and UPNs; do not circulate\",\n"),
        "{}",
        &text[..200]
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("personal data"), "{err}");
    let c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    let m = json(&text);
    for r in [AP_CASE, DEFER_CASE, EHCP_CASE, DECLARED_CASE] {
        let k = c.cases.iter().find(|k| k.reference == r).unwrap();
        let p = &case(&m, r)["pupil"];
        assert_eq!(p["given_name"], k.pupil.given_name.as_str());
        assert_eq!(p["family_name"], k.pupil.family_name.as_str());
        assert_eq!(p["date_of_birth"], k.pupil.date_of_birth.to_string());
        assert_eq!(p["upn"], serde_json::to_value(&k.pupil.upn).unwrap());
        assert!(text.contains(&k.pupil.family_name));
    }
    // Otherwise the same minutes.
    let mut named = m.clone();
    let plain = json(&ok_text(&minutes(&f, &[])));
    named.as_object_mut().unwrap().remove("notice");
    for c in named["cases_considered"].as_array_mut().unwrap() {
        c.as_object_mut().unwrap().remove("pupil");
    }
    assert_eq!(named, plain);
}

#[test]
fn what_the_minutes_say_about_the_meeting() {
    let f = fixture();
    let m = json(&ok_text(&minutes(&f, &[])));

    assert_eq!(m["panel"]["id"], "walsall-sec-fap");
    assert_eq!(m["panel"]["kind"], "iyfap_sec");
    assert_eq!(m["panel"]["la_code"], 335);
    assert_eq!(m["meeting_date"], "2026-03-12");

    let att = m["attendance"].as_array().unwrap();
    assert_eq!(att.len(), 8);
    assert_eq!(att[0]["member"], "Janet Okafor", "the caseload's order");
    assert!(
        att.iter()
            .filter(|a| a["member"] != "Amira Haddad")
            .all(|a| a["status"] == "present")
    );
    assert_eq!(strings(&m["apologies"]), ["Amira Haddad"]);
    assert_eq!(
        m["quorum"],
        serde_json::json!({"present": 7, "can_decide": 6, "needed_present": 4, "needed_can_decide": 3, "quorate": true})
    );
    assert_eq!(
        m["declarations"],
        serde_json::json!([{"member": "Mark Ellery", "case_ref": DECLARED_CASE,
            "interest": "Walsall Academy refused the in-year application", "withdrew": true}])
    );

    // Every case with an entry, by reference.
    let refs: Vec<&str> = m["cases_considered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, [AP_CASE, DEFER_CASE, DECLARED_CASE, EHCP_CASE]);

    // The interim AP place.
    let ap = case(&m, AP_CASE);
    assert_eq!(ap["kind"], "fair_access");
    assert_eq!(ap["year_group"], "Y10");
    assert_eq!(strings(&ap["categories"]), ["b"]);
    assert_eq!(ap["eligibility"], serde_json::json!([]), "eligible");
    assert_eq!(ap["agreed_to_consider"], "2026-02-11");
    // 11 Feb is day 0; half-term (16–20 Feb) skipped: 2 + 5 + 5 + 4 = 16 school days, when
    // the placement stopped the clock (it would otherwise be "warning").
    assert_eq!(
        ap["clock"],
        serde_json::json!({"school_days_since_agreed": 16, "aim": 20, "left": 4, "state": "stopped"})
    );
    let dec = &ap["decision"];
    assert_eq!(dec["entry_id"], f.ap);
    assert_eq!(dec["outcome"], "allocate_ap_interim");
    assert_eq!(dec["urn"], SHEPWELL);
    assert_eq!(
        dec["school_name"],
        "Shepwell Short Stay School (PRU-Medical)"
    );
    assert_eq!(dec["year_group"], "Y10");
    assert_eq!(dec["start_date"], "2026-03-16");
    assert_eq!(dec["review_date"], "2026-04-27");
    assert_eq!(
        dec["package"],
        "Mornings for the first 6 weeks; LA transport"
    );
    assert_eq!(dec["reduced_timetable"], false);
    assert_eq!(
        strings(&dec["agreed_by"]),
        ["Janet Okafor", "Siobhan Keane", "Ravinder Sahota"]
    );
    assert_eq!(strings(&dec["dissent"]), ["Claire Whitehouse"]);
    assert_eq!(dec["outside_meeting"], false);
    assert_eq!(dec["recorded_at"], T);
    assert_eq!(ap["history"], serde_json::json!([]));

    // Agreed at this meeting (the log's date overrides the caseload's none), then deferred.
    let def = case(&m, DEFER_CASE);
    assert_eq!(def["agreed_to_consider"], "2026-03-12");
    assert_eq!(def["clock"]["school_days_since_agreed"], 0);
    assert_eq!(def["clock"]["state"], "running");
    assert_eq!(def["decision"]["outcome"], "defer_more_info");

    // Declared only: no decision, and long past the aim.
    let decl = case(&m, DECLARED_CASE);
    assert_eq!(decl["decision"], Value::Null);
    assert_eq!(decl["clock"]["state"], "overdue");
    assert!(decl["clock"]["left"].as_i64().unwrap() < 0);

    // The correction: the redirect stands, the deferral is history with the reason.
    let ehcp = case(&m, EHCP_CASE);
    assert!(strings(&ehcp["eligibility"]).contains(&"ehcp-route"));
    assert_eq!(ehcp["clock"]["state"], "not_agreed");
    assert_eq!(ehcp["agreed_to_consider"], Value::Null);
    assert_eq!(ehcp["decision"]["entry_id"], f.corrected);
    assert_eq!(ehcp["decision"]["outcome"], "redirect_ehcp");
    assert_eq!(
        ehcp["history"],
        serde_json::json!([{"entry_id": f.wrong, "outcome": "defer_more_info", "urn": null,
            "superseded_by": f.corrected, "correction_reason": CORRECTION_REASON}])
    );

    // Places: the Shepwell KS4 place is taken; nothing else moved.
    let places = m["places_left"].as_array().unwrap();
    let pool = |urn: u32, g: &str| {
        places
            .iter()
            .find(|p| p["urn"] == urn && p["group"] == g)
            .unwrap()
    };
    assert_eq!(
        pool(SHEPWELL, "KS4"),
        &serde_json::json!({"urn": SHEPWELL, "name": "Shepwell Short Stay School (PRU-Medical)",
            "group": "KS4", "offered": 4, "used_before": 2, "taken_at_meeting": 1, "free": 1})
    );
    assert_eq!(pool(SHEPWELL, "KS3")["taken_at_meeting"], 0);
    assert_eq!(pool(SHEPWELL, "KS3")["free"], 2);
    assert_eq!(
        places
            .iter()
            .map(|p| p["taken_at_meeting"].as_i64().unwrap())
            .sum::<i64>(),
        1
    );
    // Every URN named has its name beside it, once, by URN.
    let schools = m["schools"].as_array().unwrap();
    assert!(schools.contains(
        &serde_json::json!({"urn": SHEPWELL, "name": "Shepwell Short Stay School (PRU-Medical)"})
    ));
    let named: Vec<u64> = schools.iter().map(|s| s["urn"].as_u64().unwrap()).collect();
    assert!(
        named.windows(2).all(|w| w[0] < w[1]),
        "sorted by URN, once each"
    );
    let urns: Vec<u64> = places.iter().map(|p| p["urn"].as_u64().unwrap()).collect();
    assert!(urns.windows(2).all(|w| w[0] <= w[1]), "sorted by URN");

    // Carried forward: every case but the placed and the redirected one; the deferral stays.
    let c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    let mut expected: Vec<&str> = c
        .cases
        .iter()
        .map(|k| k.reference.as_str())
        .filter(|r| *r != AP_CASE && *r != EHCP_CASE)
        .collect();
    expected.sort();
    let carried = strings(&m["carried_forward"]);
    assert_eq!(carried, expected);
    assert!(carried.contains(&DEFER_CASE));
    // Overdue: the carried-forward cases past school day 20 (the README's queue: 40, 35, 30
    // school days); the three at day 20 are on time (School Admissions Code 2021 3.21).
    assert_eq!(
        strings(&m["overdue"]),
        ["FA-2025-131", "FA-2026-001", "FA-2026-010"]
    );
}

#[cfg(unix)]
#[test]
fn out_file_is_owner_only_and_the_same_bytes() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    let out = f.data.join("minutes.json");
    let o = minutes(&f, &["--out", out.to_str().unwrap()]);
    assert_eq!(ok_text(&o), "", "nothing on stdout with --out");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        ok_text(&minutes(&f, &[]))
    );
}

#[test]
fn a_tampered_log_gives_no_minutes_and_exit_5() {
    let f = fixture();
    let raw = rusqlite::Connection::open(&f.log).unwrap();
    raw.execute_batch(
        "DROP TRIGGER entry_no_update; UPDATE entry SET body = replace(body, 'allocate_ap_interim', 'withdrawn') WHERE kind = 'decision';",
    )
    .unwrap();
    drop(raw);
    let o = minutes(&f, &[]);
    assert_eq!(o.status.code(), Some(5));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("hash chain is broken"), "{err}");
}

#[test]
fn a_tampered_caseload_revision_gives_exit_5() {
    // The revision's text is not in the chain itself, only its SHA-256: the minutes check it.
    let f = fixture();
    let raw = rusqlite::Connection::open(&f.log).unwrap();
    raw.execute_batch(
        "DROP TRIGGER blob_only_removed; UPDATE blob SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"offered\":4', '\"offered\":9') AS BLOB);",
    )
    .unwrap();
    drop(raw);
    let o = minutes(&f, &[]);
    assert_eq!(o.status.code(), Some(5));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("does not match its"), "{err}");
}

#[test]
fn an_unknown_meeting_date_is_exit_2_and_lists_the_dates() {
    let f = fixture();
    let o = minutes(&f, &["--meeting", "2026-04-23"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no meeting on 2026-04-23"), "{err}");
    assert!(err.contains("2026-03-12 (walsall-sec-fap)"), "{err}");
    // Not a date at all: a usage error.
    assert_eq!(
        minutes(&f, &["--meeting", "12/03/2026"]).status.code(),
        Some(2)
    );
    // No such log: bad input.
    let o = run(
        &f.data,
        &["minutes", "--log", f.data.join("none").to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn the_screen_writes_the_same_minutes_while_it_holds_the_log() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("walsall.fairpanel-log");
    let data = dir.path().join("data");
    let mut s = open_session(&log);
    record_meeting(&mut s);
    let out_dir = dir.path().join("minutes-out");
    let row = fairpanel::log::MeetingKey {
        panel: s.caseload().panel.id.clone(),
        date: s.caseload().panel.meeting_date.to_string(),
    };
    let path = fairpanel::io::minutes::write_beside(
        &log,
        &row,
        &out_dir,
        false,
        &fairpanel::io::minutes::DocForm::ALL,
    )
    .unwrap()[0]
        .clone();
    assert_eq!(
        path,
        out_dir.join("minutes-walsall-sec-fap-2026-03-12.json")
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&out_dir), 0o700);
    // The Markdown and HTML beside it, the same as the command's.
    for format in ["md", "html"] {
        let beside = path.with_extension(format);
        assert_eq!(mode(&beside), 0o600);
        let cli = run(
            &data,
            &[
                "minutes",
                "--log",
                log.to_str().unwrap(),
                "--format",
                format,
            ],
        );
        std::fs::create_dir_all(&data).unwrap();
        assert_eq!(std::fs::read_to_string(&beside).unwrap(), ok_text(&cli));
    }
    // The command, run while the session still holds the writer lock, agrees byte for byte.
    std::fs::create_dir_all(&data).unwrap();
    let cli = run(&data, &["minutes", "--log", log.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), ok_text(&cli));
    let named = fairpanel::io::minutes::write_beside(
        &log,
        &row,
        &out_dir,
        true,
        &fairpanel::io::minutes::DocForm::ALL,
    )
    .unwrap()[0]
        .clone();
    assert_eq!(
        named, path,
        "the same file name; the caller chooses the folder"
    );
    assert!(
        std::fs::read_to_string(&named)
            .unwrap()
            .contains("LA INTERNAL COPY")
    );
}

#[test]
fn free_text_naming_another_pupil_is_withheld() {
    // The record rules check a decision's text against its own pupil; the minutes check every
    // pupil of the caseload.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("walsall.fairpanel-log");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut s = open_session(&log);
    record_meeting(&mut s);
    let other = caseload::parse(DEMO_CASELOAD)
        .unwrap()
        .caseload
        .cases
        .iter()
        .find(|k| k.reference == "FA-2026-009")
        .unwrap()
        .pupil
        .family_name
        .clone();
    let mut d = decision(
        "FA-2026-024",
        Outcome::DeferMoreInfo,
        &format!("Sibling of the {other} family; consider together"),
    );
    d.dissent.clear();
    rec(&mut s, Event::Decision(d), None);
    drop(s);
    let o = run(&data, &["minutes", "--log", log.to_str().unwrap()]);
    let text = ok_text(&o);
    assert!(!text.contains(&other));
    let m = json(&text);
    assert_eq!(
        case(&m, "FA-2026-024")["decision"]["reasons"],
        fairpanel::io::minutes::WITHHELD
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cases_considered[FA-2026-024].decision.reasons"),
        "{err}"
    );
    assert!(!err.contains(&other), "the warning does not echo it");
    // The LA's copy keeps it.
    let named = ok_text(&run(
        &data,
        &["minutes", "--log", log.to_str().unwrap(), "--with-names"],
    ));
    assert!(named.contains(&format!("Sibling of the {other} family")));
}

/// A decision taken between meetings keeps its own date: it is not in the minutes of the meeting
/// whose caseload it was recorded with (those never change), and the next meeting's minutes list
/// it under `decided_between_meetings` with its date.
#[test]
fn decisions_between_meetings_go_in_the_next_meetings_minutes_and_earlier_minutes_never_change() {
    let f = fixture();
    let first = ok_text(&minutes(&f, &["--meeting", "2026-03-12"]));
    // Decided the next day, with the 12 March caseload.
    let o = run(
        &f.data,
        &[
            "record",
            "--log",
            f.log.to_str().unwrap(),
            "--caseload",
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/demo-walsall.json")
                .to_string_lossy(),
            "--case",
            "FA-2026-009",
            "--outcome",
            "defer_more_info",
            "--reasons",
            "Parent asked for time to visit the school",
            "--agreed-by",
            "Janet Okafor",
            "--as-of",
            "2026-03-13",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        ok_text(&minutes(&f, &["--meeting", "2026-03-12"])),
        first,
        "minutes already written never change"
    );
    let considered_first: Vec<String> = json(&first)["cases_considered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ref"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !considered_first.contains(&"FA-2026-009".to_owned()),
        "not a case of the 12 March meeting"
    );
    // The next meeting, on the same log.
    let next = DEMO_CASELOAD.replacen(
        "\"meeting_date\": \"2026-03-12\"",
        "\"meeting_date\": \"2026-03-26\"",
        1,
    );
    let mut s = common::open_session(&f.log, &next).unwrap();
    rec(
        &mut s,
        Event::Attendance {
            member: "Janet Okafor".into(),
            status: Attendance::Present,
            time: None,
        },
        None,
    );
    drop(s);
    let m = json(&ok_text(&minutes(&f, &["--meeting", "2026-03-26"])));
    let between = m["decided_between_meetings"].as_array().unwrap();
    assert_eq!(between.len(), 1, "{between:#?}");
    assert_eq!(between[0]["ref"], "FA-2026-009");
    assert_eq!(between[0]["decided_on"], "2026-03-13");
    assert_eq!(between[0]["stands"], true);
    assert_eq!(between[0]["decision"]["outcome"], "defer_more_info");
    assert_eq!(between[0]["decision"]["outside_meeting"], true);
    assert_eq!(
        between[0]["decision"]["reasons"],
        "Parent asked for time to visit the school"
    );
    let considered: Vec<&str> = m["cases_considered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ref"].as_str().unwrap())
        .collect();
    assert!(!considered.contains(&"FA-2026-009"), "{considered:?}");
}

/// The Python script of docs/minutes.md §6.2, run as written, checks a real log and its minutes.
#[test]
fn the_documented_check_script_matches_minutes_to_their_log() {
    let Ok(python) = which_python() else {
        eprintln!("python3 not found: the documented script is not run here");
        return;
    };
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/minutes.md"))
            .unwrap();
    let start = doc.find("```python\n").expect("a python block") + "```python\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let f = fixture();
    let dir = f.log.parent().unwrap();
    let script = dir.join("check.py");
    std::fs::write(&script, &doc[start..end]).unwrap();
    let out = dir.join("minutes.json");
    std::fs::write(&out, ok_text(&minutes(&f, &[]))).unwrap();
    let o = Command::new(&python)
        .arg(&script)
        .arg(&f.log)
        .arg(&out)
        .settled_output();
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{said} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(said.contains("MATCH entry"), "{said}");
    // A changed entry: the script finds it.
    rusqlite::Connection::open(&f.log)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER entry_no_update; UPDATE entry SET body = replace(body, 'present', 'apologies') WHERE id = 3;",
        )
        .unwrap();
    let o = Command::new(&python)
        .arg(&script)
        .arg(&f.log)
        .arg(&out)
        .settled_output();
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("broken at entry 3"));
}

/// The `python3` on PATH (where `pip` installs), else the system's.
fn which_python() -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("python3"))
                .find(|p| p.exists())
        })
        .or_else(|| {
            ["/usr/bin/python3", "/usr/local/bin/python3"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
        })
        .ok_or(())
}

// The Markdown and HTML minutes: rendered from the same `Minutes` as the JSON.

/// Compares `text` with the committed golden file, or rewrites it when
/// `FAIRPANEL_UPDATE_GOLDEN=1`.
fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("FAIRPANEL_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "tests/golden/{name} is out of date; run FAIRPANEL_UPDATE_GOLDEN=1 cargo test --test minutes, read the diff and commit it\n--- got ---\n{text}"
    );
}

/// The fixture's meeting and one more case allocated a mainstream school, so the minutes have
/// options considered (ranked by the meeting when it is recorded).
fn golden_fixture() -> Fixture {
    let f = fixture();
    let mut s = open_session(&f.log);
    let mut dec = decision(
        "FA-2026-009",
        Outcome::AllocateSchool,
        "Nearest school with room in the year group; the family can get there by bus",
    );
    dec.urn = Some(ALLOCATED);
    dec.start_date = Some(d("2026-03-16"));
    dec.actions = fairpanel::domain::event::Action::parse_list(
        "Bloxwich Academy: meet the family before the start by 2026-03-13; Lucy Bradbury: arrange the bus pass",
    )
    .unwrap();
    rec(&mut s, Event::Decision(dec), None);
    drop(s);
    f
}

const ALLOCATED: u32 = 137274;

#[test]
fn markdown_and_html_match_their_golden_files() {
    let f = golden_fixture();
    let md = ok_text(&minutes(&f, &["--format", "md"]));
    let html = ok_text(&minutes(&f, &["--format", "html"]));
    // The same log gives the same bytes, and the same head as the JSON.
    assert_eq!(md, ok_text(&minutes(&f, &["--format", "md"])));
    let m = json(&ok_text(&minutes(&f, &[])));
    let head = m["head_hash"].as_str().unwrap();
    assert!(md.contains(head) && html.contains(head));
    // Actions with their owners, in the case and in their own table.
    assert_eq!(m["actions"][0]["ref"], "FA-2026-009");
    assert_eq!(m["actions"][0]["owner"], "Bloxwich Academy");
    assert_eq!(m["actions"][0]["by"], "2026-03-13");
    assert_eq!(m["actions"][1]["by"], Value::Null);
    assert!(md.contains("| FA-2026-009 | meet the family before the start | Bloxwich Academy | Fri 13 Mar 2026 |"), "{md}");
    // A new log's chain starts from its own random id, so the head differs from run to run:
    // everything else is fixed.
    golden("minutes.md", &md.replace(head, "HEAD_HASH"));
    golden("minutes.html", &html.replace(head, "HEAD_HASH"));
}

#[test]
fn markdown_and_html_say_it_in_words() {
    let f = golden_fixture();
    for text in [
        ok_text(&minutes(&f, &["--format", "md"])),
        ok_text(&minutes(&f, &["--format", "html"])),
    ] {
        for words in [
            "(b) refuge",
            "Interim AP place",
            "Shepwell Short Stay School (PRU-Medical) (URN 131619)",
            "Options considered",
            "Bloxwich Academy (URN 137274)",
            "chosen",
            "Redirect to the EHC plan route",
            "Defer for more information",
            "Mon 27 Apr 2026",
            "Claire Whitehouse",
            "Amira Haddad",
            "a child with an EHC plan is placed through the EHC plan route",
            "Walsall Academy refused the in-year application",
            "FA-2026-010",
            "quorate",
        ] {
            assert!(text.contains(words), "{words:?} missing");
        }
        assert!(
            text.contains("The SEND team confirmed the plan is final: EHC plan route"),
            "the correction's reason"
        );
        for id in [
            "allocate_ap_interim",
            "defer_more_info",
            "redirect_ehcp",
            "fair_access",
            "ehcp-route",
            "not_recorded",
        ] {
            assert!(!text.contains(id), "identifier {id} in the minutes");
        }
    }
}

fn pupil_values() -> Vec<(String, Vec<String>)> {
    let c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    c.cases
        .iter()
        .map(|k| {
            let p = &k.pupil;
            let mut v = vec![
                p.given_name.clone(),
                p.family_name.clone(),
                p.date_of_birth.to_string(),
                p.date_of_birth.long(),
            ];
            v.extend(p.upn.clone());
            (k.reference.clone(), v)
        })
        .collect()
}

#[test]
fn markdown_and_html_name_no_pupil_unless_with_names() {
    let f = fixture();
    for format in ["md", "html"] {
        let text = ok_text(&minutes(&f, &["--format", format]));
        for (r, values) in pupil_values() {
            for v in values {
                assert!(
                    !text.contains(&v),
                    "{format}: {r}: a pupil value is in the minutes"
                );
            }
        }
        assert!(!text.contains("LA INTERNAL COPY"));
        let o = minutes(&f, &["--format", format, "--with-names"]);
        let named = ok_text(&o);
        assert!(named.contains("LA INTERNAL COPY"), "{format}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("personal data"));
        for (r, values) in pupil_values() {
            if [AP_CASE, DEFER_CASE, EHCP_CASE, DECLARED_CASE].contains(&r.as_str()) {
                // Given and family name, the date of birth in words, and the UPN.
                for v in [&values[0], &values[1], &values[3]]
                    .into_iter()
                    .chain(values.get(4))
                {
                    assert!(named.contains(v.as_str()), "{format}: {r}: {v} missing");
                }
            }
        }
    }
}

#[test]
fn html_is_one_print_ready_file_with_nothing_fetched_or_run() {
    let f = fixture();
    let html = ok_text(&minutes(&f, &["--format", "html"]));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.ends_with("</html>\n"));
    for bad in ["http", "<script", "<link", "src=", "url(", "@import"] {
        assert!(!html.to_lowercase().contains(bad), "{bad}");
    }
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("break-before: page"));
    assert_eq!(
        html.matches("<section class=\"new-page\">\n<h2>Case ")
            .count(),
        4,
        "one page per case considered"
    );
}

/// A school name and a decision's reasons with markup and control characters in them are shown,
/// never obeyed, in every form.
#[test]
fn hostile_text_is_escaped_in_markdown_and_html() {
    const HOSTILE: &str = "<script>alert(1)</script>";
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("walsall.fairpanel-log");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let caseload = DEMO_CASELOAD.replacen(
        "\"Shepwell Short Stay School (PRU-Medical)\"",
        "\"Shepwell <script>alert(1)</script> | # \\u001b[2J & 'Co'\"",
        1,
    );
    assert_ne!(caseload, DEMO_CASELOAD);
    let mut s = common::open_session(&log, &caseload).unwrap();
    record_meeting(&mut s);
    let mut d = decision(
        "FA-2026-024",
        Outcome::DeferMoreInfo,
        &format!("{HOSTILE}\u{7} *bold* | cell\n# heading"),
    );
    d.dissent.clear();
    rec(&mut s, Event::Decision(d), None);
    drop(s);
    let run_as = |format: &str| {
        ok_text(&run(
            &data,
            &[
                "minutes",
                "--log",
                log.to_str().unwrap(),
                "--format",
                format,
            ],
        ))
    };
    let html = run_as("html");
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&amp; &#39;Co&#39;"));
    let md = run_as("md");
    assert!(!md.contains(HOSTILE));
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(
        md.contains("\\*bold\\* \\| cell # heading"),
        "one line, no heading"
    );
    for text in [&html, &md] {
        assert!(
            text.chars().all(|c| c == '\n' || !c.is_control()),
            "a control character reached the output"
        );
        assert!(
            text.contains("u{1b}") && text.contains("u{7}"),
            "shown as escapes"
        );
    }
}

#[cfg(unix)]
#[test]
fn markdown_and_html_to_a_file_are_owner_only_and_the_same_bytes() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    for format in ["md", "html"] {
        let out = f.data.join(format!("minutes.{format}"));
        let o = minutes(&f, &["--format", format, "--out", out.to_str().unwrap()]);
        assert_eq!(ok_text(&o), "", "nothing on stdout with --out");
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            ok_text(&minutes(&f, &["--format", format]))
        );
    }
}

/// The paragraphs and table cells of a Word file's body, one to a line (cells by tabs), read
/// from its XML as any reader would: the file is a zip with `word/document.xml` inside.
pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut in_text, mut in_cell) = (false, false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => match e.name().0 {
                "w:t" => in_text = true,
                "w:tc" => in_cell = true,
                _ => {}
            },
            quick_xml::events::Event::End(e) => match e.name().0 {
                "w:t" => in_text = false,
                "w:p" if !in_cell => out.push('\n'),
                "w:tc" => {
                    in_cell = false;
                    out.push('\t');
                }
                "w:tr" => {
                    out.pop();
                    out.push('\n');
                }
                _ => {}
            },
            quick_xml::events::Event::Empty(e) if e.name().0 == "w:br" => out.push('\n'),
            quick_xml::events::Event::Text(t) if in_text => {
                out.push_str(&t.xml10_content());
            }
            quick_xml::events::Event::GeneralRef(r) if in_text => {
                let name = &r[..];
                out.push_str(match name {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn docx_needs_out_and_is_a_word_file_with_the_same_content() {
    let f = golden_fixture();
    let out = f.data.join("minutes.docx");
    // Without --out: a usage error, nothing on stdout, no file.
    let o = minutes(&f, &["--format", "docx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("add --out"));
    // An unknown format is a usage error too.
    assert_eq!(minutes(&f, &["--format", "pdf"]).status.code(), Some(2));

    let o = minutes(&f, &["--format", "docx", "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip container");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The same log gives the same bytes.
    let again = f.data.join("again.docx");
    minutes(&f, &["--format", "docx", "--out", again.to_str().unwrap()]);
    assert_eq!(bytes, std::fs::read(&again).unwrap());
    // The same words as the Markdown: every case, decision and the head.
    let text = docx_text(&bytes);
    let m = json(&ok_text(&minutes(&f, &[])));
    let head = m["head_hash"].as_str().unwrap();
    assert!(text.contains(head));
    for case in m["cases_considered"].as_array().unwrap() {
        assert!(text.contains(&format!("Case {}", case["ref"].as_str().unwrap())));
    }
    assert!(text.contains("Bloxwich Academy (URN 137274)"));
    assert!(!text.contains("allocate_school"));
    golden("minutes.docx.txt", &text.replace(head, "HEAD_HASH"));
}

/// Word and LibreOffice read the file as python-docx does: its paragraphs, headings in Word's
/// heading styles, each case on a new page. CI installs python-docx; elsewhere it is checked
/// when present.
#[test]
fn python_docx_reads_the_word_minutes() {
    let Ok(python) = which_python() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have python3");
        return;
    };
    let has = Command::new(&python).args(["-c", "import docx"]).output();
    if !has.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install python-docx (.ci/documents.sh)"
        );
        eprintln!("python-docx is not installed: the Word file is not read back here");
        return;
    }
    let f = golden_fixture();
    let out = f.data.join("minutes.docx");
    let o = minutes(&f, &["--format", "docx", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let script = r#"
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    brk = p.paragraph_format.page_break_before
    print(p.style.name + "|" + ("break" if brk else "") + "|" + p.text)
for t in d.tables:
    print("table|" + str(len(t.rows)) + "|" + t.rows[0].cells[0].text)
s = d.sections[0]
print("page|%d|%d" % (s.page_width.mm, s.page_height.mm))
print("footer|" + "".join(p.text for p in s.footer.paragraphs))
"#;
    let o = Command::new(&python)
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines = String::from_utf8(o.stdout).unwrap();
    assert!(
        lines.contains("Title||Minutes: Walsall Secondary Fair Access Panel, Thu 12 Mar 2026"),
        "{lines}"
    );
    assert!(lines.contains("Heading 1||Attendance"), "{lines}");
    assert!(
        lines.contains("Heading 1|break|Case FA-2026-009"),
        "{lines}"
    );
    assert!(
        lines.contains("Normal||Outcome: Allocate a school place"),
        "{lines}"
    );
    assert!(lines.contains("table|"), "{lines}");
    assert!(lines.contains("page|210|297"), "A4: {lines}");
    assert!(lines.contains("footer|Page 1"), "page numbers: {lines}");
}

/// `name` on PATH, if there.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.exists())
    })
}

/// The HTML minutes as a chair prints them: headless Chromium renders them to an A4 PDF, and
/// pdftotext reads it back: every case on a page of its own, the running head and "Page N of M"
/// on each page, the head hash in the text. CI installs chromium and poppler-utils
/// (`.ci/documents.sh`); elsewhere it is checked when they are present.
#[test]
fn html_minutes_print_to_a4_with_a_page_per_case() {
    let (Some(chromium), Some(pdftotext)) = (on_path("chromium"), on_path("pdftotext")) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and poppler-utils (.ci/documents.sh)"
        );
        eprintln!("chromium or pdftotext missing: the HTML minutes are not printed here");
        return;
    };
    let f = golden_fixture();
    let html = f.data.join("minutes.html");
    let pdf = f.data.join("minutes.pdf");
    let o = minutes(&f, &["--format", "html", "--out", html.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let profile = f.data.join("chromium-profile");
    let o = Command::new("timeout")
        .arg("120")
        .arg(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&html)
        .output()
        .unwrap();
    assert!(
        pdf.exists(),
        "chromium wrote no PDF: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = Command::new(pdftotext)
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    // pdftotext ends each page with a form feed.
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let n = pages.len();
    assert!(
        n >= 6,
        "the meeting, four cases and the places: {n} pages\n{text}"
    );
    let m = json(&ok_text(&minutes(&f, &[])));
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("Minutes: Walsall Secondary Fair Access Panel, Thu 12 Mar 2026"),
            "running head on page {}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page number on page {}:\n{page}",
            i + 1
        );
    }
    for case in m["cases_considered"].as_array().unwrap() {
        let heading = format!("Case {}", case["ref"].as_str().unwrap());
        let on: Vec<usize> = (0..n).filter(|i| pages[*i].contains(&heading)).collect();
        assert_eq!(on.len(), 1, "{heading} starts one page: {on:?}");
        // Nothing of another case before it on its page.
        let before = &pages[on[0]][..pages[on[0]].find(&heading).unwrap()];
        assert!(!before.contains("Case FA-"), "{heading} starts its page");
    }
    let squashed: String = text.split_whitespace().collect();
    assert!(squashed.contains(m["head_hash"].as_str().unwrap()));
    assert!(squashed.contains("BloxwichAcademy(URN137274)"));
}
