//! `cargo bench --bench decade`: a panel's decade at the speed of one meeting (issue "A log built
//! for a decade"). Builds a log of about 100,000 entries over 150 meetings (ten years of a large
//! panel), then measures `record` as a process on it, `verify` against SQLite's own
//! `PRAGMA integrity_check` in the same run (and `verify`'s peak memory as a process), the minutes
//! of a 10,000-case meeting, and opening the screen's state on a 100,000-case caseload with its
//! log. Prints p50/p95 and the machine's core count.

mod common;
use common::{line, ms};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fairpanel::app::{App, Source};
use fairpanel::domain::caseload::Caseload;
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Attendance, Decision, Event, Outcome, Proposal};
use fairpanel::domain::meeting::{Draft, LogWriter};
use fairpanel::domain::rules::Severity;
use fairpanel::log::{Session, Store};

const BIN: &str = env!("CARGO_BIN_EXE_fairpanel");

fn now() -> String {
    "2026-03-12T10:00:00.000Z".to_owned()
}

/// Opens the meeting of `c` on the log at `path`, with fsync off on an existing log (building
/// the bench's history quickly; the measurements run with the log's own settings).
fn session(path: &Path, c: &Caseload) -> Session {
    let text = serde_json::to_string(c).expect("caseload serialises");
    let mut store = Store::open_writer(path).expect("writer");
    if let Some(conn) = store.raw_connection() {
        conn.pragma_update(None, "synchronous", "OFF")
            .expect("pragma");
    }
    Session::open(store, c.clone(), &text).expect("session").0
}

/// What the screen does before its first frame: read and check the caseload, open its log for
/// writing, read the meeting's history, build the meeting view and the app.
fn open_app(caseload: &Path, log: &Path) -> (Session, App) {
    let (loaded, text) = fairpanel::io::caseload::open(caseload).expect("loads");
    let store = Store::open_writer(log).expect("writer");
    let (s, meeting) = Session::open(store, loaded.caseload, &text).expect("session");
    (s, App::new(meeting, Source::File("bench".into())))
}

fn decision(case_ref: &str, who: &str, i: usize) -> Event {
    let mut d = Decision::new(case_ref, Outcome::DeferMoreInfo);
    d.reasons = format!("Awaiting the housing officer's report ({i})");
    d.agreed_by = vec![who.to_owned()];
    Event::Decision(d)
}

/// The caseload of meeting `m` (0 the earliest) of a panel like `base`: its own date, and cases
/// that each stay on the agenda for about three meetings (a third of them new each time), as a
/// real panel's do, so the log's history of any one caseload is a few meetings deep.
fn caseload_of(base: &Caseload, m: usize, date: Date) -> Caseload {
    let mut c = base.clone();
    c.panel.meeting_date = date;
    let window = c.cases.len() / 3;
    for (i, k) in c.cases.iter_mut().enumerate() {
        k.reference = format!("FA-{:06}", m * window + i);
    }
    c
}

/// A log of `meetings` meetings of `per_meeting` entries each, on caseloads like `base` (see
/// `caseload_of`), the last meeting on `base`'s own date, every 24 days before it. Each meeting
/// records its attendance, then deferrals, with school places for the cases on their last
/// meeting.
fn build_log(path: &Path, base: &Caseload, meetings: usize, per_meeting: usize) -> Caseload {
    let last = base.panel.meeting_date;
    let schools: Vec<u32> = base
        .schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special))
        .map(|s| s.urn)
        .collect();
    let mut latest = base.clone();
    for m in 0..meetings {
        let back = (meetings - 1 - m) as u64 * 24;
        let date = Date(last.0 - chrono::Days::new(back));
        let c = caseload_of(base, m, date);
        let window = c.cases.len() / 3;
        let mut s = session(path, &c);
        let members: Vec<String> = c.panel.members.iter().map(|x| x.name.clone()).collect();
        for i in 0..per_meeting {
            let event = if i < members.len() {
                Event::Attendance {
                    member: members[i].clone(),
                    status: Attendance::Present,
                    time: None,
                }
            } else {
                let k = i % c.cases.len();
                let mut e = decision(&c.cases[k].reference, &members[0], i);
                // Places for the cases on their last meeting (the first third of the window).
                if i % 8 == 0
                    && k < window
                    && let Event::Decision(d) = &mut e
                {
                    d.outcome = Outcome::AllocateSchool;
                    d.urn = Some(schools[i % schools.len()]);
                    d.year_group =
                        fairpanel::domain::year_group::YearGroup::new(7 + (i % 5) as i32);
                    d.decided_on = Some(date);
                }
                e
            };
            s.append(Draft {
                event,
                supersedes: None,
                correction_reason: None,
                recorded_at: now(),
            })
            .expect("append");
        }
        latest = c;
    }
    // The history was written with fsync off, to build it quickly; a real log's every commit is
    // already on disk. Flush it now, journal included, so the first measured writes do not pay
    // for the build's.
    rusqlite::Connection::open(path)
        .and_then(|c| c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())))
        .expect("the build's journal copied into the log");
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .expect("the built log reaches the disk");
    latest
}

fn peak_rss_kb(args: &[&str]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(BIN)
        .args(args)
        .output()
        .ok()?;
    max_rss_kb(&String::from_utf8_lossy(&out.stderr))
}

/// The peak RSS a `/usr/bin/time -v` report gives, in kB.
fn max_rss_kb(report: &str) -> Option<u64> {
    report
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
}

/// Peak RSS of the screen (`fairpanel CASELOAD --log LOG`) run in a pseudo-terminal by
/// `script`, quitting at once.
fn peak_rss_kb_screen(caseload: &Path, log: &Path, data: &Path) -> Option<u64> {
    let cmd = format!(
        "/usr/bin/time -v -o {}/rss.txt {BIN} {} --log {}",
        data.display(),
        caseload.display(),
        log.display()
    );
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("FAIRPANEL_DATA_DIR", data)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(1500));
    if let Some(stdin) = child.stdin.as_mut() {
        use std::io::Write as _;
        let _ = stdin.write_all(b"q");
    }
    drop(child.stdin.take());
    child.wait().ok()?;
    max_rss_kb(&std::fs::read_to_string(data.join("rss.txt")).ok()?)
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("fairpanel decade bench · {cores} cores");
    let dir = tempfile::tempdir().expect("temp dir");
    // FAIRPANEL_BENCH_KEEP=DIR keeps the decade's log and caseload there, for profiling.
    let keep = std::env::var_os("FAIRPANEL_BENCH_KEEP").map(PathBuf::from);
    let quick = std::env::var_os("FAIRPANEL_BENCH_QUICK").is_some();
    let (meetings, per) = if quick { (10, 100) } else { (150, 667) };

    // A decade: 150 meetings × 667 entries ≈ 100,000 entries, a 100-case caseload each.
    let base = fairpanel::io::synth::caseload(100, 11);
    let log = dir.path().join("decade.fairpanel-log");
    let t = Instant::now();
    let latest = build_log(&log, &base, meetings, per);
    let entries = Store::open_reader(&log)
        .expect("reader")
        .verify()
        .expect("verifies")
        .entries;
    println!(
        "  (built a log of {entries} entries over {meetings} meetings in {:.1} s; {} MB)",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&log).map_or(0, |m| m.len() / 1_000_000)
    );

    // The floor the disk sets: a 4 KiB write and an fsync, in the log's folder, as each sync
    // of `record` does (it syncs twice: the journal's folder, then the commit).
    let probe = dir.path().join("fsync-probe");
    let mut f = std::fs::File::create(&probe).expect("probe file");
    let mut syncs = Vec::new();
    for i in 0..200u64 {
        use std::io::{Seek, SeekFrom, Write};
        f.seek(SeekFrom::Start((i % 64) * 4096)).expect("seek");
        f.write_all(&[i as u8; 4096]).expect("write");
        let t = Instant::now();
        f.sync_all().expect("fsync");
        syncs.push(t.elapsed());
    }
    drop(f);
    let _ = std::fs::remove_file(&probe);
    line("the disk: 4 KiB write + fsync", syncs, None);

    // `record` as a process on it, fsynced as always.
    let caseload_file = dir.path().join("latest.json");
    std::fs::write(
        &caseload_file,
        serde_json::to_string(&latest).expect("json"),
    )
    .expect("write");
    let member = base.panel.members[0].name.clone();
    let mut times = Vec::new();
    // Cases new at the latest meeting: none placed yet. Sixty runs, so the p95 is not one
    // sample's luck.
    for i in 0..60 {
        let case = &latest.cases[latest.cases.len() - 1 - i].reference;
        let t = Instant::now();
        let o = Command::new(BIN)
            .args(["record", "--log"])
            .arg(&log)
            .arg("--caseload")
            .arg(&caseload_file)
            .args([
                "--case",
                case,
                "--outcome",
                "defer_more_info",
                "--reasons",
                "Awaiting the report",
                "--agreed-by",
                &member,
                "--as-of",
                &base.panel.meeting_date.to_string(),
            ])
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .output()
            .expect("record runs");
        times.push(t.elapsed());
        assert!(
            o.status.success(),
            "record: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    line(
        &format!("record as a process, log of {entries} entries"),
        times,
        Some(20.0),
    );

    // `next` as a process on that log: the next meeting's caseload from the latest meeting's
    // caseload and every entry (verified first), written atomically.
    let calendar = fairpanel::domain::calendar::SchoolCalendar::new(&latest.calendar);
    let next_date = calendar
        .nth_school_day_after(latest.panel.meeting_date, 10)
        .expect("the calendar covers the next meeting");
    let out = dir.path().join("next.json");
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let o = Command::new(BIN)
            .args(["next", "--log"])
            .arg(&log)
            .args(["--meeting", &next_date.to_string(), "--out"])
            .arg(&out)
            .env("FAIRPANEL_DATA_DIR", dir.path())
            .output()
            .expect("next runs");
        times.push(t.elapsed());
        assert!(
            o.status.success(),
            "next: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    line(
        &format!(
            "next as a process, log of {entries} entries, {}-case caseload",
            latest.cases.len()
        ),
        times,
        Some(1000.0),
    );

    // The panel's year on that log: the latest meeting opened to its first frame, its history
    // read from the whole log (its cases' earlier entries, the academic year's decisions).
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let (_s, app) = open_app(&caseload_file, &log);
        let mut term =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
        term.draw(|f| {
            fairpanel::ui::render(&app, f);
        })
        .expect("frame");
        times.push(t.elapsed());
    }
    line(
        &format!("open to first frame, log of {entries} entries"),
        times,
        Some(500.0),
    );
    match peak_rss_kb_screen(&caseload_file, &log, dir.path()) {
        Some(kb) => println!(
            "  the screen as a process on that log: peak RSS {:.1} MB (target ≤ 300 MB: {})",
            kb as f64 / 1024.0,
            if kb <= 300 * 1024 { "met" } else { "MISSED" }
        ),
        None => println!("  the screen's peak RSS not measured (/usr/bin/time or script missing)"),
    }

    // Recording one decision in process on that log: validate, append (fsynced), update the
    // meeting view and the tally. A place at a school where the rules allow one, else a deferral.
    let (loaded, text) = fairpanel::io::caseload::open(&caseload_file).expect("loads");
    let store = Store::open_writer(&log).expect("writer");
    let (mut s, mut meeting) = Session::open(store, loaded.caseload, &text).expect("session");
    for m in meeting.caseload().panel.members.clone() {
        let p = Proposal::at_meeting(Event::Attendance {
            member: m.name,
            status: Attendance::Present,
            time: None,
        });
        meeting.record(&mut s, p, now()).expect("attendance");
    }
    let deciders: Vec<String> = meeting
        .caseload()
        .panel
        .members
        .iter()
        .filter(|m| m.can_decide)
        .map(|m| m.name.clone())
        .collect();
    let (mut placed, mut times) = (0, Vec::new());
    for i in 0..meeting.caseload().cases.len() {
        let case_ref = meeting.caseload().cases[i].reference.clone();
        if meeting
            .state()
            .current_decision(&case_ref)
            .is_some_and(|(_, d)| d.outcome.places_child())
        {
            continue;
        }
        let w = meeting.working(i);
        let mut d = Decision::new(&case_ref, Outcome::DeferMoreInfo);
        d.reasons = "Awaiting the report".into();
        d.agreed_by = deciders.clone();
        if let Some(first) = w.suggestions.first() {
            let mut a = d.clone();
            a.outcome = Outcome::AllocateSchool;
            a.urn = Some(first.school.urn);
            a.start_date = Some(w.start);
            a.override_reason = Some("Agreed by the panel".into());
            let p = meeting.prepare(Proposal::at_meeting(Event::Decision(a.clone())));
            if meeting
                .check(&p)
                .iter()
                .all(|h| h.rule.severity != Severity::Refuse)
            {
                d = a;
                placed += 1;
            }
        }
        let t = Instant::now();
        meeting
            .record(&mut s, Proposal::at_meeting(Event::Decision(d)), now())
            .expect("recorded");
        times.push(t.elapsed());
    }
    line(
        &format!("record one decision in process ({placed} of them places)"),
        times,
        Some(1.0),
    );
    drop(s);

    if let Some(k) = &keep {
        std::fs::create_dir_all(k).expect("keep folder");
        std::fs::copy(&log, k.join("decade.fairpanel-log")).expect("keep the log");
        std::fs::copy(&caseload_file, k.join("latest.json")).expect("keep the caseload");
    }

    // verify against SQLite's own integrity check, same log, same run.
    let (mut ours, mut sqlite) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        Store::open_reader(&log)
            .expect("reader")
            .verify()
            .expect("verifies");
        ours.push(t.elapsed());
        let t = Instant::now();
        let c = rusqlite::Connection::open(&log).expect("open");
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("check");
        assert_eq!(ok, "ok");
        sqlite.push(t.elapsed());
    }
    ours.sort();
    sqlite.sort();
    let (o50, s50) = (ms(ours[2]), ms(sqlite[2]));
    line("verify (in process)", ours, None);
    line("PRAGMA integrity_check (in process)", sqlite, None);
    println!(
        "  verify / integrity_check: {:.2}× at p50 (target ≤ 2×: {})",
        o50 / s50,
        if o50 <= 2.0 * s50 { "met" } else { "MISSED" }
    );
    match peak_rss_kb(&["verify", "--log", log.to_str().unwrap_or_default()]) {
        Some(kb) => println!(
            "  verify as a process: peak RSS {:.1} MB (target ≤ 50 MB: {})",
            kb as f64 / 1024.0,
            if kb <= 50 * 1024 { "met" } else { "MISSED" }
        ),
        None => println!("  verify as a process: peak RSS not measured (/usr/bin/time missing)"),
    }

    // The minutes of a 10,000-case meeting with a decision on every case.
    let big = fairpanel::io::synth::caseload(if quick { 1000 } else { 10_000 }, 12);
    let mlog = dir.path().join("minutes.fairpanel-log");
    build_log(&mlog, &big, 1, big.cases.len() + big.panel.members.len());
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let store = Store::open_reader(&mlog).expect("reader");
        let row = store
            .meetings()
            .expect("meetings")
            .pop()
            .expect("a meeting");
        let m = fairpanel::io::minutes::build(&store, &row, false).expect("minutes");
        let _ = fairpanel::io::minutes::to_json(&m).expect("json");
        times.push(t.elapsed());
    }
    line(
        &format!("minutes of a {}-case meeting", big.cases.len()),
        times,
        Some(1000.0),
    );

    // The screen's state on a 100,000-case caseload with its log: read and check the file, open
    // the log, replay the meeting, build the meeting view and the app (everything before the first
    // frame).
    let n = if quick { 10_000 } else { 100_000 };
    let huge = fairpanel::io::synth::caseload(n, 13);
    let file = dir.path().join("huge.json");
    std::fs::write(&file, serde_json::to_string(&huge).expect("json")).expect("write");
    let hlog = dir.path().join("huge.fairpanel-log");
    let huge = build_log(&hlog, &huge, 1, 500);
    std::fs::write(&file, serde_json::to_string(&huge).expect("json")).expect("write");
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let (_s, app) = open_app(&file, &hlog);
        times.push(t.elapsed());
        drop(app);
    }
    line(
        &format!("open the screen on {n} cases with its log"),
        times,
        Some(1000.0),
    );
}
