//! The figures view (`5`, issue 17) at all three levels: `update` (the key asks the runtime for
//! the figures once, and again after the meeting changes), rendered frames at 80×24 and 120×40
//! (TestBackend + insta) counted from a real log by the runtime, as on the screen.

use fairpanel::app::{Action, App, Effect, Msg, Source, View};
use fairpanel::domain::caseload::CaseKind;
use fairpanel::domain::event::Outcome;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::log::{MeetingKey, Session, Store};
use fairpanel::runtime::Host;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};

mod common;
use common::{attend_all, open_session, record_first_lawful, suggested_schools};

/// The demo meeting on a log in which three agreed Fair Access cases were given school places,
/// and the screen open on it with the runtime that reads the log for the figures.
fn screen() -> (tempfile::TempDir, App, Host<Session>) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("demo.fairpanel-log");
    {
        let mut s = open_session(&log, DEMO_CASELOAD).unwrap();
        attend_all(&mut s);
        let agreed: Vec<String> = s
            .caseload()
            .cases
            .iter()
            .filter(|k| k.kind == CaseKind::FairAccess && k.fap_agreed_date.is_some())
            .map(|k| k.reference.clone())
            .collect();
        let mut placed = 0;
        for r in agreed {
            let candidates = suggested_schools(&s, &r, Outcome::AllocateSchool);
            if placed < 3 && record_first_lawful(&mut s, candidates).is_some() {
                placed += 1;
            }
        }
    }
    let c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    let key = MeetingKey {
        panel: c.panel.id.clone(),
        date: c.panel.meeting_date.to_string(),
    };
    let (s, m) = Session::open(Store::open_writer(&log).unwrap(), c, DEMO_CASELOAD).unwrap();
    let host = Host::new(s, || "2026-03-12T09:30:00.000Z".to_owned()).with_minutes(log, key);
    (dir, App::new(m, Source::File("demo.json".into())), host)
}

fn press(app: &mut App, host: &mut Host<Session>, c: char) {
    host.step(
        app,
        &TermEvent::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

fn draw(app: &mut App, w: u16, h: u16) -> String {
    app.update(Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        fairpanel::ui::render(app, f);
    })
    .unwrap();
    t.backend().to_string()
}

#[test]
fn the_key_asks_for_the_figures_once_and_again_after_a_change() {
    let c = caseload::parse(DEMO_CASELOAD).unwrap().caseload;
    let mut app = App::new(
        fairpanel::domain::meeting::Meeting::new(c, &[]),
        Source::Demo,
    );
    assert_eq!(app.update(Action::ShowFigures), vec![Effect::LoadFigures]);
    assert_eq!(app.view(), View::Figures);
    assert!(app.figures().is_none());
    // The answer for another version of the meeting is dropped.
    let v = app.meeting().version();
    app.update(Msg::Figures(v + 1, Err("stale".into())));
    assert!(app.figures().is_none());
    app.update(Msg::Figures(v, Err("this meeting has no log file".into())));
    assert!(matches!(app.figures(), Some(Err(_))));
    assert!(app.status().contains("No figures"), "{}", app.status());
    // Back to the queue and again: nothing to count, the meeting has not changed.
    app.update(Action::ShowQueue);
    assert!(app.update(Action::ShowFigures).is_empty());
    // The help lists the key, from the keymap.
    let help = fairpanel::app::keymap::help_rows(fairpanel::app::Scope::Browse);
    assert!(
        help.iter()
            .any(|(_, k, what)| k.contains('5') && what.contains("figures")),
        "{help:?}"
    );
}

#[test]
fn figures_80x24() {
    let (_dir, mut app, mut host) = screen();
    press(&mut app, &mut host, '5');
    let r = app.figures().unwrap().as_ref().unwrap();
    assert_eq!(r.totals.school_places.n, 3);
    let s = draw(&mut app, 80, 24);
    assert!(s.contains("Placements per school"), "{s}");
    assert!(s.contains("School days waited"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn figures_120x40() {
    let (_dir, mut app, mut host) = screen();
    press(&mut app, &mut host, '5');
    let s = draw(&mut app, 120, 40);
    // Three schools with a place each, their counts and shares in words on the bars.
    assert_eq!(s.matches("1 · share").count(), 3, "{s}");
    assert!(s.contains("Still waiting"), "{s}");
    insta::assert_snapshot!(s);
}
