//! What the benches print, one way: p50/p95 of a sample and whether a target is met.

use std::time::Duration;

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One result line: `name n=N p50 … ms p95 … ms`, and the target's verdict on the p95;
/// `FAIRPANEL_BENCH_ALL` (any value) prints every sample first, in the order taken.
pub fn line(name: &str, mut v: Vec<Duration>, target: Option<f64>) {
    if std::env::var_os("FAIRPANEL_BENCH_ALL").is_some() {
        println!(
            "  {name}: {:?}",
            v.iter()
                .map(|d| (ms(*d) * 10.0).round() / 10.0)
                .collect::<Vec<_>>()
        );
    }
    v.sort();
    let at = |p: f64| ms(v[((v.len() as f64 - 1.0) * p).round() as usize]);
    let verdict = match target {
        Some(t) if at(0.95) <= t => format!("  (target ≤ {t} ms: met)"),
        Some(t) => format!("  (target ≤ {t} ms: MISSED)"),
        None => String::new(),
    };
    println!(
        "{name:<52} n={:<3} p50 {:>9.2} ms  p95 {:>9.2} ms{verdict}",
        v.len(),
        at(0.5),
        at(0.95)
    );
}
