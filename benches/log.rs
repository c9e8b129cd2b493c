//! One durable decision through `Session::record` (validate, append in an IMMEDIATE transaction
//! with WAL + synchronous=FULL, apply) against a bare rusqlite insert with the same pragmas, in
//! the same run, so the overhead is a ratio (issue "Decisions that are never lost" §7: target p50
//! within 2× the bare insert). Prints p50/p95/p99; `cargo bench --bench log`.

use std::time::{Duration, Instant};

use fairpanel::domain::event::When;
use fairpanel::domain::event::{Decision, Event, Outcome};

#[path = "../tests/common/mod.rs"]
mod common;

const N: usize = 400;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(name: &str, mut v: Vec<Duration>) -> f64 {
    v.sort();
    let p50 = pct(&v, 0.50);
    println!(
        "{name:<44} n={:<4} p50 {p50:>7.3} ms  p95 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
        v.len(),
        pct(&v, 0.95),
        pct(&v, 0.99),
        v.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    p50
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("fairpanel log bench · {cores} cores · {N} samples each");
    let dir = tempfile::tempdir().expect("temp dir");

    // Bare insert: same pragmas, same row shape, no validation, no hashing.
    let bare_path = dir.path().join("bare.sqlite");
    let conn = rusqlite::Connection::open(&bare_path).expect("open");
    conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
        .expect("wal");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("sync");
    conn.execute_batch("CREATE TABLE entry (id INTEGER PRIMARY KEY, kind TEXT, event_json TEXT, recorded_at TEXT, prev_hash TEXT, hash TEXT)")
        .expect("table");
    let payload = "{\"kind\":\"decision\",\"case_ref\":\"FA-2026-003\",\"outcome\":\"defer_more_info\",\"reasons\":\"Awaiting the housing officer's report\"}";
    let mut bare = Vec::with_capacity(N);
    let mut conn = conn;
    for i in 0..N {
        let t = Instant::now();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .expect("tx");
        tx.execute(
            "INSERT INTO entry (kind, event_json, recorded_at, prev_hash, hash) VALUES ('decision', ?1, 't', 'p', ?2)",
            rusqlite::params![payload, i.to_string()],
        )
        .expect("insert");
        tx.commit().expect("commit");
        bare.push(t.elapsed());
    }

    // The real path.
    let path = dir.path().join("panel.fairpanel-log");
    let mut s = common::demo_session(&path);
    common::attend_all(&mut s);
    let deciders = common::deciders(&s, 2);
    let refs: Vec<String> = s
        .caseload()
        .cases
        .iter()
        .map(|c| c.reference.clone())
        .collect();
    let mut real = Vec::with_capacity(N);
    for i in 0..N {
        let mut d = Decision::new(&refs[i % refs.len()], Outcome::DeferMoreInfo);
        d.reasons = "Awaiting the housing officer's report".into();
        d.agreed_by = deciders.clone();
        let t = Instant::now();
        s.record(
            Event::Decision(d),
            None,
            When::Meeting,
            "2026-03-12T10:00:00.000Z".into(),
        )
        .expect("record");
        real.push(t.elapsed());
    }
    let b = report("bare rusqlite insert (WAL, FULL)", bare);
    let r = report("durable decision (validate+append+apply)", real);
    println!(
        "ratio p50 {:.2}× (target ≤ 2×): {}",
        r / b,
        if r <= 2.0 * b { "MET" } else { "MISSED" }
    );
}
