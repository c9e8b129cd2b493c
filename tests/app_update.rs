//! Level 1 of the UI tests: the pure `update` logic, driven by the same events a terminal sends.

use fairpanel::app::{App, Focus, Source, View};
use fairpanel::caseload;
use fairpanel::cli::DEMO_CASELOAD;
use fairpanel::keymap::Action;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers,
};

fn demo() -> App {
    let loaded = caseload::parse(DEMO_CASELOAD).expect("demo loads");
    App::new(loaded.caseload, Source::Demo)
}

fn key_with(code: KeyCode, mods: KeyModifiers, kind: KeyEventKind) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers: mods,
        kind,
        state: KeyEventState::NONE,
    })
}

fn press(app: &mut App, code: KeyCode) {
    let mods = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    app.handle_event(&key_with(code, mods, KeyEventKind::Press));
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn selected_ref(app: &App) -> String {
    let q = app.selected_queue_item().expect("a case is selected");
    app.caseload.cases[q.case].reference.clone()
}

fn case_named(app: &App, given: &str) -> String {
    app.caseload
        .cases
        .iter()
        .find(|c| c.pupil.given_name == given)
        .map(|c| c.reference.clone())
        .unwrap_or_else(|| panic!("demo has a pupil called {given}"))
}

#[test]
fn only_key_presses_act_never_release_or_repeat() {
    let mut app = demo();
    let down = |kind| key_with(KeyCode::Down, KeyModifiers::NONE, kind);
    app.handle_event(&down(KeyEventKind::Release));
    app.handle_event(&down(KeyEventKind::Repeat));
    assert_eq!(app.cases_nav.selected, 0, "release and repeat are ignored");
    app.handle_event(&down(KeyEventKind::Press));
    assert_eq!(app.cases_nav.selected, 1);
    app.handle_event(&key_with(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ));
    assert!(!app.quit, "a released q does not quit");
}

#[test]
fn movement_stays_within_the_list() {
    let mut app = demo();
    let n = app.queue.len();
    press(&mut app, KeyCode::Up);
    assert_eq!(app.cases_nav.selected, 0);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.cases_nav.selected, n - 1);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.cases_nav.selected, n - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.cases_nav.selected, 0);
    app.size = (80, 24);
    press(&mut app, KeyCode::PageDown);
    let page = usize::from(fairpanel::ui::layout::list_rows((80, 24), View::Queue));
    assert_eq!(app.cases_nav.selected, page);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.cases_nav.selected, page - 1);
}

#[test]
fn queue_is_most_urgent_first() {
    let app = demo();
    let left: Vec<Option<i64>> = app
        .queue
        .iter()
        .filter(|q| q.clock.agreed.is_some())
        .map(|q| q.clock.left())
        .collect();
    let mut sorted = left.clone();
    sorted.sort_by_key(|l| l.unwrap_or(i64::MAX));
    assert_eq!(left, sorted, "agreed cases by fewest school days left");
    let first_new = app
        .queue
        .iter()
        .position(|q| q.clock.agreed.is_none())
        .expect("some not yet agreed");
    assert!(
        app.queue[first_new..]
            .iter()
            .all(|q| q.clock.agreed.is_none()),
        "agreed cases come first"
    );
}

#[test]
fn fuzzy_search_finds_an_accented_name_typed_plainly_and_jumps() {
    let mut app = demo();
    let want = case_named(&app, "Zoë");
    press(&mut app, KeyCode::Char('/'));
    assert!(app.cases_nav.searching);
    type_str(&mut app, "zoe h");
    let hits = app.cases_nav.hits.clone().expect("filtered");
    assert!(!hits.is_empty());
    assert_eq!(selected_ref(&app), want, "best hit first");
    // q is text while searching, not quit.
    type_str(&mut app, "q");
    assert!(!app.quit);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.cases_nav.input.value(), "zoe h");
    press(&mut app, KeyCode::Enter);
    assert!(!app.cases_nav.searching);
    assert_eq!(app.cases_nav.hits, None, "jumping clears the filter");
    assert_eq!(
        selected_ref(&app),
        want,
        "and keeps the hit selected in the full queue"
    );
    assert!(app.status.contains(&want));
    assert!(
        !app.status.contains("Zo"),
        "the status line never names the pupil"
    );
}

#[test]
fn esc_clears_the_search_and_keeps_the_selection() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "lukasz");
    let want = case_named(&app, "Łukasz");
    assert_eq!(selected_ref(&app), want);
    press(&mut app, KeyCode::Esc);
    assert!(!app.cases_nav.searching);
    assert_eq!(app.cases_nav.hits, None);
    assert_eq!(app.cases_nav.input.value(), "");
    assert_eq!(selected_ref(&app), want);
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "zzzzqqq");
    assert_eq!(app.cases_nav.hits.as_ref().map(Vec::len), Some(0));
    press(&mut app, KeyCode::Enter);
    assert!(app.status.starts_with("No match"));
}

#[test]
fn screen_share_starts_on_and_one_key_toggles_it() {
    let mut app = demo();
    assert!(app.screen_share);
    let case = app
        .caseload
        .cases
        .iter()
        .find(|c| c.pupil.given_name == "Zoë")
        .unwrap()
        .clone();
    assert_eq!(app.pupil_label(&case), "Z.H.");
    press(&mut app, KeyCode::Char('s'));
    assert!(!app.screen_share);
    assert!(app.pupil_label(&case).starts_with("Zoë "));
    assert!(app.status.contains("OFF"));
    press(&mut app, KeyCode::Char('s'));
    assert!(app.screen_share);
}

#[test]
fn enter_opens_detail_esc_goes_back_tab_switches() {
    let mut app = demo();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Focus::Detail);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.detail_scroll, 1, "arrows scroll the focused detail");
    assert_eq!(app.cases_nav.selected, 0);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.focus, Focus::List);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Detail);
    app.handle_event(&key_with(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
        KeyEventKind::Press,
    ));
    assert_eq!(app.focus, Focus::List);
}

#[test]
fn views_switch_and_schools_search_by_urn_and_postcode() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.view, View::Schools);
    let target = app
        .caseload
        .schools
        .iter()
        .find(|s| s.postcode.is_some())
        .unwrap()
        .clone();
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, &target.urn.to_string());
    assert_eq!(app.selected_school().map(|s| s.urn), Some(target.urn));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, &target.postcode.clone().unwrap().to_lowercase());
    assert_eq!(app.selected_school().map(|s| s.urn), Some(target.urn));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.view, View::Places);
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.view, View::Queue);
}

#[test]
fn help_captures_keys_until_closed_and_ctrl_c_always_quits() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help_open);
    press(&mut app, KeyCode::Down);
    assert_eq!(
        app.cases_nav.selected, 0,
        "keys in help do not move the list"
    );
    assert_eq!(app.help_scroll, 1);
    press(&mut app, KeyCode::Char('?'));
    assert!(!app.help_open);
    press(&mut app, KeyCode::Char('/'));
    app.handle_event(&key_with(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
        KeyEventKind::Press,
    ));
    assert!(app.quit, "Ctrl-C quits even while searching");
}

#[test]
fn q_quits_from_the_lists() {
    let mut app = demo();
    app.update(Action::Down);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}
