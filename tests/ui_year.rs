//! The second meeting of the year on screen (issue "The panel's year, part 2"): a placement
//! whose review falls due and a deferral carried with what was asked for, in the queue, the
//! detail pane and the decision form (rendered frames, TestBackend + insta).

use std::path::Path;

use fairpanel::app::{App, Msg, Source};
use fairpanel::domain::caseload::Caseload;
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome, When};
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::log::{MeetingKey, Session, Store};
use fairpanel::runtime::Host;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};

mod common;
use common::{T, attend_all, deciders, open_caseload};

const AP: &str = "AP-2026-001";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn demo_on(date: &str) -> Caseload {
    let mut c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    c.panel.meeting_date = d(date);
    c
}

/// 12 March: an AP place reviewed on 20 April, and a deferral.
fn first_meeting(log: &Path) {
    let c = demo_on("2026-03-12");
    let text = serde_json::to_string(&c).unwrap();
    let mut s = open_caseload(log, c, &text).unwrap();
    attend_all(&mut s);
    let who = deciders(&s, 2);
    for dec in [
        Decision {
            urn: Some(131619),
            start_date: Some(d("2026-03-13")),
            review_date: Some(d("2026-04-20")),
            package: Some("Mornings; transport arranged".into()),
            ..Decision::new(AP, Outcome::AllocateApInterim)
        },
        Decision::new("FA-2026-001", Outcome::DeferMoreInfo),
    ] {
        let dec = Decision {
            reasons: "Awaiting the refuge's confirmation letter".into(),
            agreed_by: who.clone(),
            ..dec
        };
        s.record(Event::Decision(dec), None, When::Meeting, T.into())
            .unwrap();
    }
}

type Step = dyn FnMut(&mut App, &TermEvent);

/// The second meeting, on the caseload `next` wrote, open on the same log.
fn second_meeting(dir: &Path) -> (App, Box<Step>) {
    let log = dir.join("panel.fairpanel-log");
    first_meeting(&log);
    let store = Store::open_reader(&log).unwrap();
    let row = store.meetings().unwrap().pop().unwrap();
    let next = fairpanel::io::next::build(&store, &row, d("2026-04-23")).unwrap();
    let (s, m) = Session::open(Store::open_writer(&log).unwrap(), next.caseload, &next.text)
        .expect("session");
    let key = MeetingKey {
        panel: m.caseload().panel.id.clone(),
        date: "2026-04-23".into(),
    };
    let mut host = Host::new(s, || "2026-04-23T09:30:00.000Z".to_owned()).with_minutes(log, key);
    (
        App::new(m, Source::Demo),
        Box::new(move |app, ev| host.step(app, ev)),
    )
}

fn keys(app: &mut App, step: &mut Box<Step>, s: &str) {
    for c in s.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\u{1b}' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        step(
            app,
            &TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut rows = 0;
    t.draw(|f| rows = fairpanel::ui::render(app, f).list_rows)
        .unwrap();
    app.update(Msg::ListRows(rows));
    t
}

#[test]
fn a_review_due_and_a_deferral_carried_show_in_words_and_the_form_offers_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut step) = second_meeting(dir.path());
    keys(&mut app, &mut step, "/FA-2026-001\n");
    let s = draw(&mut app, 120, 40).backend().to_string();
    assert!(s.contains("asked for: Awaiting the refuge's"), "{s}");

    keys(&mut app, &mut step, "\u{1b}/AP-2026-001\n");
    let t = draw(&mut app, 120, 40);
    let s = t.backend().to_string();
    assert!(s.contains("⟳ review"), "the queue marks it: {s}");
    assert!(s.contains("due Mon 20 Apr 2026"), "{s}");
    insta::assert_snapshot!("review_due_detail", t.backend());

    // Quorate, then the decision form: the review outcomes, continuing by default.
    keys(&mut app, &mut step, "\u{1b}a");
    keys(&mut app, &mut step, &"\n\n".repeat(4));
    keys(&mut app, &mut step, "\u{1b}/AP-2026-001\nd");
    let t = draw(&mut app, 120, 40);
    let s = t.backend().to_string();
    assert!(s.contains("Review: placement continues"), "{s}");
    assert!(
        !s.contains("Interim AP place"),
        "a new placement is not offered: {s}"
    );
    assert!(
        !s.contains("review_confirmed"),
        "words, not identifiers: {s}"
    );
    insta::assert_snapshot!("review_form", t.backend());
}

/// `>` on the screen: the next meeting's date picked from a list, and its caseload written beside
/// the log as `fairpanel next` writes it.
#[test]
fn the_next_meetings_caseload_from_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut step) = second_meeting(dir.path());
    keys(&mut app, &mut step, "a\n\n\u{1b}");
    keys(&mut app, &mut step, ">");
    let t = draw(&mut app, 120, 40);
    let s = t.backend().to_string();
    // Thursdays from 30 April: 7 May, then half term (25–29 May) leaves out 28 May.
    assert!(s.contains("▶ Thu 7 May 2026 · in 2 weeks"), "{s}");
    assert!(!s.contains("Thu 28 May 2026"), "not a school day: {s}");
    insta::assert_snapshot!("next_dates", t.backend());
    keys(&mut app, &mut step, "\n");
    let status = app.status().to_owned();
    let path = dir.path().join("caseload-walsall-sec-fap-2026-05-07.json");
    assert!(
        status.starts_with("Next meeting's caseload written to")
            && status.contains("due for review"),
        "{status}"
    );
    let next = caseload::parse(&std::fs::read_to_string(&path).unwrap())
        .unwrap()
        .caseload;
    assert_eq!(next.panel.meeting_date, d("2026-05-07"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// `m` asks which form; Enter on Word writes the .docx beside the log through the runtime.
#[test]
fn m_asks_which_form_of_the_minutes_and_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, mut step) = second_meeting(dir.path());
    keys(&mut app, &mut step, "a\n\n\u{1b}");
    keys(&mut app, &mut step, "m");
    let t = draw(&mut app, 80, 24);
    let s = t.backend().to_string();
    assert!(
        s.contains("▶ All four: Word, HTML, Markdown and JSON"),
        "{s}"
    );
    insta::assert_snapshot!("minutes_forms", t.backend());
    step(
        &mut app,
        &TermEvent::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
    );
    keys(&mut app, &mut step, "\n");
    let docx = dir.path().join("minutes-walsall-sec-fap-2026-04-23.docx");
    assert!(docx.exists(), "{}", app.status());
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    assert!(!docx.with_extension("json").exists());
}
