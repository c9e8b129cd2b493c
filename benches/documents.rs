//! `cargo bench --bench documents`: the minutes of a 100-case meeting in every form (issue
//! "Minutes people circulate": ≤ 200 ms on 2 cores), each built from the log as the command
//! builds it, and a letter from a decision. Prints p50/p95 and the machine's core count.

mod common;
use common::line;

use std::time::Instant;

use fairpanel::domain::event::{Attendance, Decision, Event, Outcome};
use fairpanel::domain::meeting::{Draft, LogWriter};
use fairpanel::io::minutes::{self, DocForm};
use fairpanel::io::minutes_text;
use fairpanel::log::{Session, Store};

fn main() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("documents bench on {cores} cores");
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("panel.fairpanel-log");
    // A 100-case meeting: everyone present, a decision on every case, an eighth of them school
    // places with their options considered.
    let c = fairpanel::io::synth::caseload(100, 7);
    let text = serde_json::to_string(&c).expect("caseload serialises");
    let store = Store::open_writer(&log).expect("writer");
    let mut s = Session::open(store, c.clone(), &text).expect("session").0;
    let members: Vec<String> = c.panel.members.iter().map(|m| m.name.clone()).collect();
    let schools: Vec<u32> = c
        .schools
        .iter()
        .filter(|x| !(x.ap || x.pru || x.special))
        .map(|x| x.urn)
        .collect();
    let mut events: Vec<Event> = members
        .iter()
        .map(|m| Event::Attendance {
            member: m.clone(),
            status: Attendance::Present,
            time: None,
        })
        .collect();
    for (i, k) in c.cases.iter().enumerate() {
        let mut d = Decision::new(&k.reference, Outcome::DeferMoreInfo);
        d.reasons = format!("Awaiting the housing officer's report ({i})");
        d.agreed_by = vec![members[0].clone()];
        if i % 8 == 0 {
            d.outcome = Outcome::AllocateSchool;
            d.urn = Some(schools[i % schools.len()]);
            d.decided_on = Some(c.panel.meeting_date);
        }
        events.push(Event::Decision(d));
    }
    for event in events {
        s.append(Draft {
            event,
            supersedes: None,
            correction_reason: None,
            recorded_at: "2026-03-12T10:00:00.000Z".to_owned(),
        })
        .expect("append");
    }
    drop(s);

    let runs = 15;
    let build = || {
        let store = Store::open_reader(&log).expect("reader");
        let row = store
            .meetings()
            .expect("meetings")
            .pop()
            .expect("a meeting");
        minutes::build(&store, &row, false).expect("minutes")
    };
    let time = |f: &dyn Fn()| {
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect::<Vec<_>>()
    };
    line(
        "minutes of a 100-case meeting: JSON",
        time(&|| {
            let _ = minutes::to_json(&build()).expect("json");
        }),
        Some(200.0),
    );
    line(
        "minutes of a 100-case meeting: Markdown",
        time(&|| {
            let _ = minutes_text::to_markdown(&build());
        }),
        Some(200.0),
    );
    line(
        "minutes of a 100-case meeting: HTML",
        time(&|| {
            let _ = minutes_text::to_html(&build());
        }),
        Some(200.0),
    );
    line(
        "minutes of a 100-case meeting: Word",
        time(&|| {
            let _ = minutes_text::to_docx(&build()).expect("docx");
        }),
        Some(200.0),
    );
    // What m's "all four" does: one build, four files written beside the log.
    let row = Store::open_reader(&log)
        .expect("reader")
        .meetings()
        .expect("meetings")
        .pop()
        .expect("a meeting");
    let key = fairpanel::log::MeetingKey {
        panel: row.panel_id.clone(),
        date: row.meeting_date.clone(),
    };
    let out = dir.path().join("out");
    line(
        "minutes of a 100-case meeting: all four, written",
        time(&|| {
            minutes::write_beside(&log, &key, &out, false, &DocForm::ALL).expect("written");
        }),
        Some(200.0),
    );
}
