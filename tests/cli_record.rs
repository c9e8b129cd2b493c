//! `fairpanel record`, `verify` and `minutes` through the real binary: exit codes as cli.md says.

use std::path::Path;
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

fn record(data: &Path, log: &str, extra: &[&str]) -> Output {
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
    ];
    args.extend_from_slice(extra);
    run(data, &args)
}

const ALLOCATE: &[&str] = &[
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
];

#[test]
fn record_prints_id_and_hash_and_verify_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    let o = record(dir.path(), log, ALLOCATE);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A sentence in words on stderr, no identifier (issue 12 §4); the id and hash on stdout.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with(
            "Decision 2 recorded between meetings on Fri 13 Mar 2026: FA-2026-003 → Pool Hayes Academy, start Mon 16 Mar 2026"
        ),
        "{err}"
    );
    assert!(!err.contains("allocate_school"), "{err}");
    let out = String::from_utf8(o.stdout).unwrap();
    let (id, hash) = out.trim().split_once(' ').unwrap();
    assert_eq!(id, "2", "entry 1 is the caseload revision");
    let v = run(dir.path(), &["verify", "--log", log]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(v.stdout).unwrap().trim(),
        format!("2 entries, head {hash}")
    );
    let s = Store::open_reader(Path::new(log)).unwrap();
    let e = s.all_entries().unwrap();
    match &e[1].event {
        fairpanel::domain::event::Event::Decision(d) => {
            assert!(d.outside_meeting, "taken between meetings")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_minutes_carry_the_options_considered_with_their_figures() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    // Decided on the meeting's own day, after it (a decision on a later day goes in the next
    // meeting's minutes, tests/minutes.rs).
    let mut on_the_day = vec!["--as-of", "2026-03-12"];
    on_the_day.extend_from_slice(ALLOCATE);
    let mut args = vec![
        "record",
        "--log",
        log,
        "--caseload",
        "fixtures/demo-walsall.json",
        "--agreed-by",
        "Janet Okafor",
    ];
    args.extend_from_slice(&on_the_day);
    assert_eq!(run(dir.path(), &args).status.code(), Some(0));
    let m = run(dir.path(), &["minutes", "--log", log]);
    assert_eq!(
        m.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&m.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&m.stdout).unwrap();
    let case = v["cases_considered"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == "FA-2026-003")
        .unwrap();
    let opts = case["decision"]["options_considered"].as_array().unwrap();
    let ranks: Vec<u64> = opts.iter().map(|o| o["rank"].as_u64().unwrap()).collect();
    assert_eq!(&ranks[..5], [1, 2, 3, 4, 5], "the top five as shown");
    let chosen: Vec<&serde_json::Value> = opts.iter().filter(|o| o["chosen"] == true).collect();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0]["urn"], 142594);
    assert!(chosen[0]["per_100_on_roll"].is_string() && chosen[0]["this_year"].is_u64());
}

#[test]
fn a_refusal_exits_4_names_the_rule_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    let o = record(
        dir.path(),
        log,
        &[
            "--case",
            "FA-2026-017",
            "--outcome",
            "allocate_school",
            "--urn",
            "142594",
            "--start",
            "2026-03-16",
            "--reasons",
            "r",
        ],
    );
    assert_eq!(o.status.code(), Some(4));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("refused (ehcp-route)") && err.contains("nothing was written"),
        "{err}"
    );
    assert!(!err.contains("Aaliyah"), "no pupil name in messages");
    // Nothing was written, so nothing was made: no log holding the caseload, no lock file.
    assert!(
        !Path::new(log).exists(),
        "a refused first decision makes no log"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn unknown_case_and_dates_outside_the_calendar_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    let o = record(
        dir.path(),
        log,
        &[
            "--case",
            "FA-9999",
            "--outcome",
            "withdrawn",
            "--reasons",
            "r",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let mut args = vec![
        "record",
        "--log",
        log,
        "--caseload",
        "fixtures/demo-walsall.json",
        "--as-of",
        "2027-01-04",
        "--agreed-by",
        "Janet Okafor",
    ];
    args.extend_from_slice(&[
        "--case",
        "FA-2026-003",
        "--outcome",
        "withdrawn",
        "--reasons",
        "r",
    ]);
    let o = run(dir.path(), &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the school calendar"));
    assert!(!Path::new(log).exists(), "nothing created for bad input");
}

#[test]
fn a_second_writer_exits_3_and_a_damaged_log_exits_5() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let held = Store::open_writer(&log).unwrap();
    let o = record(dir.path(), log.to_str().unwrap(), ALLOCATE);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("in use by another fairpanel"));
    drop(held);
    assert_eq!(
        record(dir.path(), log.to_str().unwrap(), ALLOCATE)
            .status
            .code(),
        Some(0)
    );
    let raw = rusqlite::Connection::open(&log).unwrap();
    raw.execute_batch(
        "DROP TRIGGER entry_no_update; UPDATE entry SET body = replace(body, '2026', '2025') WHERE id = 2;",
    )
    .unwrap();
    drop(raw);
    let v = run(dir.path(), &["verify", "--log", log.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&v.stderr).contains("broken at entry 2"));
    // A writer looks before it writes: it refuses to add to the damaged log.
    let o = record(dir.path(), log.to_str().unwrap(), ALLOCATE);
    assert_eq!(
        o.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("restore it from a backup"));
}

/// A review between meetings (issue "The panel's year, part 2" §2): an AP place recorded, then
/// continued at its review with no correction; a new placement over it is refused (exit 4).
#[test]
fn a_review_between_meetings_continues_a_place_without_a_correction() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    let place: &[&str] = &[
        "--case",
        "AP-2026-001",
        "--outcome",
        "allocate_ap_interim",
        "--urn",
        "131619",
        "--start",
        "2026-03-16",
        "--review",
        "2026-04-20",
        "--package",
        "Mornings; transport arranged",
        "--reasons",
        "The first free KS4 place",
    ];
    let o = record(dir.path(), log, place);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A second placement over it: refused, nothing written.
    let again = record(dir.path(), log, place);
    assert_eq!(again.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&again.stderr).contains("standing-placement"));
    let review = run(
        dir.path(),
        &[
            "record",
            "--log",
            log,
            "--caseload",
            "fixtures/demo-walsall.json",
            "--as-of",
            "2026-04-20",
            "--agreed-by",
            "Janet Okafor",
            "--case",
            "AP-2026-001",
            "--outcome",
            "review_confirmed",
            "--review",
            "2026-06-01",
            "--reasons",
            "Attending every morning; reintegration criteria not yet met",
        ],
    );
    let err = String::from_utf8_lossy(&review.stderr);
    assert_eq!(review.status.code(), Some(0), "{err}");
    assert!(err.contains("review: placement continues"), "{err}");
    let e = Store::open_reader(Path::new(log))
        .unwrap()
        .all_entries()
        .unwrap();
    let fairpanel::domain::event::Event::Decision(d) = &e.last().unwrap().event else {
        panic!()
    };
    assert_eq!(d.urn, Some(131619), "the place continues at Shepwell");
    assert_eq!(
        d.review_of.as_ref().map(|r| r.outcome),
        Some(fairpanel::domain::event::Outcome::AllocateApInterim)
    );
}

/// Actions agreed with a decision: stored in the entry's personal part (free text), read back
/// with their owners and dates, in the minutes' own table; a malformed one is a usage error and
/// one naming the pupil is refused like any free text.
#[test]
fn actions_with_owners_are_recorded_and_minuted() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("p.log");
    let log = log.to_str().unwrap();
    // Decided on the meeting's own day, so in its minutes.
    let mut args = vec![
        "record",
        "--log",
        log,
        "--caseload",
        "fixtures/demo-walsall.json",
        "--agreed-by",
        "Janet Okafor",
        "--as-of",
        "2026-03-12",
    ];
    args.extend_from_slice(ALLOCATE);
    args.extend_from_slice(&[
        "--action",
        "Pool Hayes Academy: meet the family before the start by 2026-03-13",
        "--action",
        "Lucy Bradbury: arrange the bus pass",
    ]);
    let o = run(dir.path(), &args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let s = Store::open_reader(Path::new(log)).unwrap();
    let e = s.all_entries().unwrap();
    let fairpanel::domain::event::Event::Decision(d) = &e[1].event else {
        panic!("a decision")
    };
    assert_eq!(d.actions.len(), 2);
    assert_eq!(d.actions[0].owner, "Pool Hayes Academy");
    assert_eq!(d.actions[0].what, "meet the family before the start");
    assert_eq!(
        d.actions[0].by.map(|x| x.to_string()).as_deref(),
        Some("2026-03-13")
    );
    drop(s);
    let m = run(dir.path(), &["minutes", "--log", log, "--format", "md"]);
    assert_eq!(m.status.code(), Some(0));
    let md = String::from_utf8(m.stdout).unwrap();
    assert!(
        md.contains("| FA-2026-003 | meet the family before the start | Pool Hayes Academy | Fri 13 Mar 2026 |"),
        "{md}"
    );
    assert!(
        md.contains("| FA-2026-003 | arrange the bus pass | Lucy Bradbury | not set |"),
        "{md}"
    );

    let log2 = dir.path().join("q.log");
    let log2 = log2.to_str().unwrap();
    let mut bad = ALLOCATE.to_vec();
    bad.extend_from_slice(&["--action", "arrange the bus pass"]);
    let o = record(dir.path(), log2, &bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--action: action 1: say who does it first")
    );
    let mut named = ALLOCATE.to_vec();
    named.extend_from_slice(&["--action", "Lucy Bradbury: phone Zoë Hart's carer"]);
    let o = record(dir.path(), log2, &named);
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("Zoë"));
    assert!(
        !Path::new(log2).exists(),
        "a refused first decision leaves no log"
    );
}
