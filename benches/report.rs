//! `cargo bench --bench report`: the year's figures at county scale (issue 17). Builds ten
//! panels' logs of 10,000 logged decisions each (100,000 in all: twenty meetings a panel, cases
//! on the agenda for about three meetings, one decision in eight a school place), then measures
//! `report` over the ten logs (read, verified, counted), `export` of the same as CSV, and the
//! figures view drawn at 120×40 and 80×24. Prints p50/p95 and the machine's core count.

use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;
use common::{line, ms};

use fairpanel::app::{Action, App, Msg, Source};
use fairpanel::domain::caseload::Caseload;
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Attendance, Decision, Event, Outcome};
use fairpanel::domain::figures::Period;
use fairpanel::domain::meeting::{Draft, LogWriter, Meeting};
use fairpanel::domain::report::Report;
use fairpanel::io::export::{self, Key};
use fairpanel::log::{Session, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PANELS: usize = 10;
const MEETINGS: usize = 20;
const DECISIONS_PER_MEETING: usize = 500;
const CASES_PER_MEETING: usize = 300;

fn session(path: &Path, c: &Caseload) -> Session {
    let text = serde_json::to_string(c).expect("caseload serialises");
    let mut store = Store::open_writer(path).expect("writer");
    if let Some(conn) = store.raw_connection() {
        conn.pragma_update(None, "synchronous", "OFF")
            .expect("pragma");
    }
    Session::open(store, c.clone(), &text).expect("session").0
}

/// One panel's log: `MEETINGS` meetings every 10 days up to the base's date, each with its
/// attendance and `DECISIONS_PER_MEETING` decisions on its cases (deferrals; every eighth case of
/// the oldest third a school place).
fn build_panel(path: &Path, base: &Caseload, panel: usize) {
    let last = base.panel.meeting_date;
    let schools: Vec<u32> = base
        .schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special))
        .map(|s| s.urn)
        .collect();
    let window = CASES_PER_MEETING / 3;
    for m in 0..MEETINGS {
        let back = (MEETINGS - 1 - m) as u64 * 10;
        let date = Date(last.0 - chrono::Days::new(back));
        let mut c = base.clone();
        c.panel.id = format!("panel-{panel:02}");
        c.panel.name = format!("Area panel {panel}");
        c.panel.meeting_date = date;
        for (i, k) in c.cases.iter_mut().enumerate() {
            k.reference = format!("FA-{:06}", m * window + i);
            k.fap_agreed_date = Some(Date(date.0 - chrono::Days::new(14)));
        }
        let mut s = session(path, &c);
        let members: Vec<String> = c.panel.members.iter().map(|x| x.name.clone()).collect();
        let mut write = |event| {
            s.append(Draft {
                event,
                supersedes: None,
                correction_reason: None,
                recorded_at: "2026-03-12T10:00:00.000Z".to_owned(),
            })
            .expect("append");
        };
        for who in &members {
            write(Event::Attendance {
                member: who.clone(),
                status: Attendance::Present,
                time: None,
            });
        }
        for i in 0..DECISIONS_PER_MEETING {
            let k = &c.cases[i % c.cases.len()];
            let mut d = Decision::new(&k.reference, Outcome::DeferMoreInfo);
            d.reasons = format!("Awaiting the housing officer's report ({i})");
            d.agreed_by = vec![members[0].clone()];
            d.decided_on = Some(date);
            if i % 8 == 0 && i % c.cases.len() < window {
                d.outcome = Outcome::AllocateSchool;
                d.urn = Some(schools[i % schools.len()]);
                d.year_group = fairpanel::domain::year_group::YearGroup::new(7 + (i % 5) as i32);
                d.start_date = Some(Date(date.0 + chrono::Days::new(7)));
            }
            write(Event::Decision(d));
        }
    }
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("fairpanel report bench · {cores} cores");
    let dir = tempfile::tempdir().expect("temp dir");
    // FAIRPANEL_BENCH_KEEP=DIR keeps the ten logs there, and reuses them when they are there.
    let keep = std::env::var_os("FAIRPANEL_BENCH_KEEP").map(PathBuf::from);
    let at = keep.clone().unwrap_or_else(|| dir.path().to_owned());
    let base = fairpanel::io::synth::caseload(CASES_PER_MEETING, 17);
    let built = Instant::now();
    let logs: Vec<PathBuf> = (0..PANELS)
        .map(|p| {
            let path = at.join(format!("panel-{p:02}.fairpanel-log"));
            if keep.is_none() || !path.exists() {
                build_panel(&path, &base, p);
            }
            path
        })
        .collect();
    // Where the time goes, for one log: its entries read and checked, its caseloads joined.
    let t = Instant::now();
    let store = Store::open_reader(&logs[0]).expect("reader");
    let entries = store.entries_checked().expect("entries");
    let read = t.elapsed();
    let t = Instant::now();
    let ids: Vec<i64> = store
        .meetings()
        .expect("meetings")
        .iter()
        .rev()
        .map(|m| m.id)
        .collect();
    let cases: usize = store
        .case_history(&ids, i64::MAX)
        .expect("caseloads")
        .map_or(0, |(c, earlier)| c.cases.len() + earlier.len());
    println!(
        "  (one log: {} entries read and checked {:.0} ms; {} caseloads, {cases} distinct cases joined, {:.0} ms)",
        entries.len(),
        ms(read),
        ids.len(),
        ms(t.elapsed())
    );
    println!(
        "  ({PANELS} logs of {} decisions each built in {:.1} s)",
        MEETINGS * DECISIONS_PER_MEETING,
        built.elapsed().as_secs_f64()
    );
    let to = base.panel.meeting_date;
    let period = Period {
        from: Date::from_ymd(to.academic_year_start(), 9, 1).expect("a date"),
        to,
    };

    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..10 {
        let t = Instant::now();
        let (r, _) = fairpanel::cli::report::build(&logs, period, false).expect("report");
        let text = fairpanel::io::report::to_markdown(&r);
        times.push(t.elapsed());
        assert!(text.contains("Fair Access"), "the report is written");
        report = Some(r);
    }
    let report: Report = report.expect("a report");
    println!(
        "  (report: {} decisions, {} placements, {} schools)",
        report.totals.decisions.text(),
        report.totals.placements.text(),
        report.schools.len()
    );
    line(
        "report (Markdown), 100k decisions over 10 panels",
        times,
        Some(1000.0),
    );

    let key = Key::read_bytes(b"a-bench-key-0123456789abcdef0123456789");
    let mut times = Vec::new();
    for i in 0..10 {
        let out = dir.path().join(format!("export-{i}"));
        let t = Instant::now();
        let read = fairpanel::io::report::read(&logs, period).expect("read");
        export::write(&read.panels, &key, export::Format::Csv, &out).expect("export");
        times.push(t.elapsed());
    }
    line(
        "export (CSV), 100k decisions over 10 panels",
        times,
        Some(2000.0),
    );

    // The figures view: the demo meeting with this report loaded.
    let demo = fairpanel::io::caseload::parse(fairpanel::io::demo::DEMO_CASELOAD)
        .expect("demo")
        .caseload;
    let mut app = App::new(Meeting::new(demo, &[]), Source::Demo);
    let version = app.meeting().version();
    app.update(Msg::Figures(version, Ok(Box::new(report))));
    app.update(Msg::Key(Action::ShowFigures));
    for (w, h) in [(120, 40), (80, 24)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        let mut times = Vec::new();
        for _ in 0..300 {
            let t = Instant::now();
            terminal
                .draw(|f| {
                    fairpanel::ui::render(&app, f);
                })
                .expect("draw");
            times.push(t.elapsed());
        }
        line(&format!("figures view draw {w}x{h}"), times, Some(2.0));
    }
}
