//! Level 1 of the UI tests: the pure `update` logic, driven by the same events a terminal sends.

use fairpanel::app::keymap::{self, Action, Scope};
use fairpanel::app::{App, Focus, Msg, Source, View};
use fairpanel::domain::meeting::Meeting;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers,
};

fn demo() -> App {
    let loaded = caseload::parse(DEMO_CASELOAD).expect("demo loads");
    App::new(Meeting::new(loaded.caseload, &[]), Source::Demo)
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
    let i = app.selected_case().expect("a case is selected");
    app.caseload().cases[i].reference.clone()
}

fn case_named(app: &App, given: &str) -> String {
    app.caseload()
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
    assert_eq!(
        app.cases_nav().selected,
        0,
        "release and repeat are ignored"
    );
    app.handle_event(&down(KeyEventKind::Press));
    assert_eq!(app.cases_nav().selected, 1);
    app.handle_event(&key_with(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ));
    assert!(!app.quit_requested(), "a released q does not quit");
}

#[test]
fn movement_stays_within_the_list() {
    let mut app = demo();
    let n = app.queue().len();
    press(&mut app, KeyCode::Up);
    assert_eq!(app.cases_nav().selected, 0);
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.cases_nav().selected, n - 1);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.cases_nav().selected, n - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.cases_nav().selected, 0);
    // The renderer reports how many rows the list shows; paging moves by that.
    let page = fairpanel::ui::layout::list_rows((80, 24), View::Queue);
    app.update(Msg::ListRows(page));
    let page = usize::from(page);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.cases_nav().selected, page);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.cases_nav().selected, page - 1);
}

#[test]
fn queue_is_most_urgent_first() {
    let app = demo();
    let clocks: Vec<_> = app
        .queue()
        .iter()
        .map(|i| app.meeting().facts(*i).unwrap().clock.clone())
        .collect();
    let left: Vec<Option<i64>> = clocks
        .iter()
        .filter(|c| c.agreed.is_some())
        .map(|c| c.left())
        .collect();
    let mut sorted = left.clone();
    sorted.sort_by_key(|l| l.unwrap_or(i64::MAX));
    assert_eq!(left, sorted, "agreed cases by fewest school days left");
    let first_new = clocks
        .iter()
        .position(|c| c.agreed.is_none())
        .expect("some not yet agreed");
    assert!(
        clocks[first_new..].iter().all(|c| c.agreed.is_none()),
        "agreed cases come first"
    );
}

#[test]
fn fuzzy_search_finds_an_accented_name_typed_plainly_and_jumps() {
    let mut app = demo();
    let want = case_named(&app, "Zoë");
    press(&mut app, KeyCode::Char('/'));
    assert!(app.cases_nav().searching);
    type_str(&mut app, "zoe h");
    let hits = app.cases_nav().hits.clone().expect("filtered");
    assert!(!hits.is_empty());
    assert_eq!(selected_ref(&app), want, "best hit first");
    // q is text while searching, not quit.
    type_str(&mut app, "q");
    assert!(!app.quit_requested());
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.cases_nav().input.value(), "zoe h");
    press(&mut app, KeyCode::Enter);
    assert!(!app.cases_nav().searching);
    assert_eq!(app.cases_nav().hits, None, "jumping clears the filter");
    assert_eq!(
        selected_ref(&app),
        want,
        "and keeps the hit selected in the full queue"
    );
    assert!(app.status().contains(&want));
    assert!(
        !app.status().contains("Zo"),
        "the status line never names the pupil"
    );
}

/// Issue 12 §1: `/FA-2026-002` Enter landed on MM-2026-002. A reference typed in full, or its
/// start, must select that case first, for every case of the demo.
#[test]
fn every_reference_typed_in_full_or_begun_selects_that_case_first() {
    let mut app = demo();
    let refs: Vec<String> = app
        .caseload()
        .cases
        .iter()
        .map(|c| c.reference.clone())
        .collect();
    for r in &refs {
        for typed in [r.clone(), r.to_lowercase()] {
            press(&mut app, KeyCode::Char('/'));
            type_str(&mut app, &typed);
            assert_eq!(&selected_ref(&app), r, "the first hit for {typed:?}");
            press(&mut app, KeyCode::Enter);
            assert_eq!(&selected_ref(&app), r, "Enter on {typed:?} opens that case");
        }
        // Begun: every hit whose reference starts with what was typed comes before the rest.
        let begun = &r[..r.len() - 1];
        press(&mut app, KeyCode::Char('/'));
        type_str(&mut app, begun);
        let hits = app.cases_nav().hits.clone().expect("filtered");
        let starts: Vec<bool> = hits
            .iter()
            .map(|h| {
                app.caseload().cases[app.queue()[*h as usize]]
                    .reference
                    .starts_with(begun)
            })
            .collect();
        let first_other = starts.iter().position(|s| !s).unwrap_or(starts.len());
        assert!(first_other > 0, "{begun:?} selects a case it begins");
        assert!(
            starts[first_other..].iter().all(|s| !s),
            "{begun:?}: every case it begins ranks first: {starts:?}"
        );
        press(&mut app, KeyCode::Esc);
    }
}

#[test]
fn every_urn_typed_in_the_schools_view_selects_that_school_first() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('2'));
    let urns: Vec<u32> = app.caseload().schools.iter().map(|s| s.urn).collect();
    for u in urns {
        press(&mut app, KeyCode::Char('/'));
        type_str(&mut app, &u.to_string());
        assert_eq!(app.selected_school().map(|s| s.urn), Some(u));
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.selected_school().map(|s| s.urn), Some(u));
    }
}

/// Issue 12 §2: suggestions are judged by `Meeting::check` as the confirm view will judge them:
/// none a rule refuses, those nothing stands against before those that need a reason; every
/// preference is there, suggested or not.
#[test]
fn suggestions_are_judged_by_the_rules_lawful_first_and_preferences_always_shown() {
    use fairpanel::domain::event::{Decision, Event as LogEvent, Proposal};
    use fairpanel::domain::rules::Severity;
    let app = demo();
    let m = app.meeting();
    let mut needs_reason_seen = false;
    for (i, case) in m.caseload().cases.iter().enumerate() {
        let w = m.working(i);
        let mut seen_reason = false;
        for s in &w.suggestions {
            // The school named in a placement from the working's start date: nothing the
            // school brings is refused.
            let mut d = Decision::new(
                &case.reference,
                fairpanel::domain::meeting::usual_outcome(case.kind),
            );
            d.start_date = Some(w.start);
            let without = m.check(&Proposal::at_meeting(LogEvent::Decision(d.clone())));
            d.urn = Some(s.school.urn);
            let with = m.check(&Proposal::at_meeting(LogEvent::Decision(d)));
            for h in with.iter().filter(|h| h.rule.severity == Severity::Refuse) {
                assert!(
                    without.iter().any(|x| x.rule.name == h.rule.name)
                        || h.rule.name == "override-reason-required",
                    "{}: {} suggested but refused by {}",
                    case.reference,
                    s.school.urn,
                    h.rule.name
                );
            }
            if s.needs_reason() {
                seen_reason = true;
                needs_reason_seen = true;
            } else {
                assert!(
                    !seen_reason,
                    "{}: a lawful school after one needing a reason",
                    case.reference
                );
            }
        }
        assert_eq!(
            w.preferences.iter().map(|p| p.urn).collect::<Vec<_>>(),
            case.preferences,
            "{}: every preference, in order",
            case.reference
        );
    }
    assert!(needs_reason_seen, "the demo has schools that need a reason");
}

#[test]
fn o_lists_every_school_for_the_case_and_enter_decides_with_one() {
    use fairpanel::app::RankedRow;
    use fairpanel::app::form::{Body, Modal};
    let mut app = demo();
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "FA-2025-131");
    press(&mut app, KeyCode::Enter);
    let w = app.working().expect("working").clone();
    press(&mut app, KeyCode::Char('o'));
    assert!(
        matches!(app.modal(), Some(Modal::Ranked(_))),
        "{}",
        app.status()
    );
    assert_eq!(app.scope(), Scope::Ranked);
    let rows = app.ranked_rows();
    assert_eq!(
        rows.len(),
        w.suggestions.len(),
        "every suggestion, not five"
    );
    assert!(w.suggestions.len() > 5);
    assert!(matches!(rows.last(), Some(RankedRow::Suggested(_, s)) if s.needs_reason()));
    // Down to the third and Enter: the decision form with that school chosen.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let Some(Modal::Form(f)) = app.modal() else {
        panic!("the decision form: {}", app.status())
    };
    let Body::Decision(d) = &f.body else {
        panic!("a decision")
    };
    assert_eq!(d.school, Some(w.suggestions[2].school.urn));
    assert_eq!(f.case_ref, "FA-2025-131");
}

/// Issue 12 §7: `kiera` finds Keira, `gallacher` Gallagher, `mcdonough` McDonagh: a second,
/// typo-tolerant pass whose hits follow the fuzzy ones. `update` only asks for it (an effect the
/// runtime runs after the fuzzy hits are drawn); a result for a query since changed is dropped.
#[test]
fn a_similar_pass_finds_names_past_typos_after_the_fuzzy_hits() {
    use fairpanel::app::Effect;
    use fairpanel::log::MemoryLog;
    use fairpanel::runtime::Host;
    let mut app = demo();
    let mut host = Host::new(MemoryLog::new(), || "2026-03-12T09:30:00.000Z".to_owned());
    let key = |c: KeyCode| key_with(c, KeyModifiers::NONE, KeyEventKind::Press);
    for (typed, given) in [
        ("kiera", "Keira"),
        ("gallacher", "Niamh"),
        ("mcdonough", "Johnny"),
    ] {
        let want = case_named(&app, given);
        host.step(&mut app, &key(KeyCode::Char('/')));
        for c in typed.chars() {
            host.step(&mut app, &key(KeyCode::Char(c)));
        }
        let nav = app.cases_nav();
        let at = nav.similar_from.expect("the similar pass ran");
        let hits = nav.hits.clone().unwrap();
        let refs: Vec<String> = hits
            .iter()
            .map(|h| {
                app.caseload().cases[app.queue()[*h as usize]]
                    .reference
                    .clone()
            })
            .collect();
        let pos = refs
            .iter()
            .position(|r| *r == want)
            .unwrap_or_else(|| panic!("{typed}: {refs:?}"));
        assert!(
            pos >= at,
            "{typed}: found by the similar pass, after the fuzzy hits"
        );
        assert!(nav.is_similar(pos));
        // Down to it and Enter: that case is selected.
        for _ in 0..pos {
            host.step(&mut app, &key(KeyCode::Down));
        }
        host.step(&mut app, &key(KeyCode::Enter));
        assert_eq!(selected_ref(&app), want, "{typed}");
    }
    // update asks; it does not run the pass itself.
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "kier");
    let effects = app.handle_event(&key(KeyCode::Char('a')));
    assert_eq!(effects, vec![Effect::FindSimilar("kiera".to_owned())]);
    assert_eq!(app.cases_nav().similar_from, None);
    // Typing went on: the result for "kiera" no longer applies.
    app.handle_event(&key(KeyCode::Char('n')));
    let hits = app.similar_hits("kiera");
    app.update(fairpanel::app::Msg::SimilarFound {
        query: "kiera".to_owned(),
        hits,
    });
    assert_eq!(app.cases_nav().similar_from, None);
}

#[test]
fn esc_clears_the_search_and_keeps_the_selection() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "lukasz");
    let want = case_named(&app, "Łukasz");
    assert_eq!(selected_ref(&app), want);
    press(&mut app, KeyCode::Esc);
    assert!(!app.cases_nav().searching);
    assert_eq!(app.cases_nav().hits, None);
    assert_eq!(app.cases_nav().input.value(), "");
    assert_eq!(selected_ref(&app), want);
    press(&mut app, KeyCode::Char('/'));
    type_str(&mut app, "zzzzqqq");
    assert_eq!(app.cases_nav().hits.as_ref().map(Vec::len), Some(0));
    press(&mut app, KeyCode::Enter);
    assert!(app.status().starts_with("No match"));
}

/// Issue 12 §1: `s` turned screen-share off at once (typing "streetly" without `/` did it).
/// Showing names needs Enter on a question that says who will see them; any other key keeps
/// them hidden; hiding is one key.
#[test]
fn revealing_names_needs_a_confirm_and_hiding_is_one_key() {
    let mut app = demo();
    assert!(app.screen_share());
    let case = app
        .caseload()
        .cases
        .iter()
        .find(|c| c.pupil.given_name == "Zoë")
        .unwrap()
        .clone();
    assert_eq!(app.pupil_label(&case), "Z.H.");
    // A word typed without `/`: its s asks, its next letter answers no.
    type_str(&mut app, "streetly");
    assert!(app.screen_share(), "a stray s never shows names");
    assert_eq!(app.ask(), None);
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.ask(), Some(fairpanel::app::Ask::Reveal));
    assert_eq!(app.scope(), Scope::RevealAsk);
    assert!(
        app.status().contains("everyone who can see this screen"),
        "{}",
        app.status()
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.screen_share() && app.ask().is_none());
    assert!(app.status().contains("hidden"), "{}", app.status());
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Enter);
    assert!(!app.screen_share(), "Enter on the question shows names");
    assert!(app.pupil_label(&case).starts_with("Zoë "));
    assert!(app.status().contains("NAMES SHOWN"), "{}", app.status());
    // Hiding is one key, no question.
    press(&mut app, KeyCode::Char('s'));
    assert!(app.screen_share() && app.ask().is_none());
    assert_eq!(app.pupil_label(&case), "Z.H.");
}

#[test]
fn enter_opens_detail_esc_goes_back_tab_switches() {
    let mut app = demo();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Focus::Detail);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.detail_scroll(), 1, "arrows scroll the focused detail");
    assert_eq!(app.cases_nav().selected, 0);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.focus(), Focus::List);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Focus::Detail);
    app.handle_event(&key_with(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
        KeyEventKind::Press,
    ));
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn views_switch_and_schools_search_by_urn_and_postcode() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.view(), View::Schools);
    let target = app
        .caseload()
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
    assert_eq!(app.view(), View::Places);
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.view(), View::Queue);
}

#[test]
fn help_captures_keys_until_closed_and_ctrl_c_always_quits() {
    let mut app = demo();
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help_open());
    press(&mut app, KeyCode::Down);
    assert_eq!(
        app.cases_nav().selected,
        0,
        "keys in help do not move the list"
    );
    assert_eq!(app.help_scroll(), 1);
    press(&mut app, KeyCode::Char('?'));
    assert!(!app.help_open());
    press(&mut app, KeyCode::Char('/'));
    app.handle_event(&key_with(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
        KeyEventKind::Press,
    ));
    assert!(app.quit_requested(), "Ctrl-C quits even while searching");
}

#[test]
fn q_quits_from_the_lists() {
    let mut app = demo();
    app.update(Action::Down);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit_requested());
}

// ---------------------------------------------------------------------------------------------
// The meeting: forms, the confirm view and the log, with a real session in a temporary folder.

mod meeting {
    use std::path::{Path, PathBuf};

    use fairpanel::app::form::{Body, Modal, Row};
    use fairpanel::app::{App, Source};
    use fairpanel::domain::event::{Attendance, Event as LogEvent, Outcome};
    use fairpanel::domain::state::LogState;
    use fairpanel::io::caseload;
    use fairpanel::io::demo::DEMO_CASELOAD;
    use fairpanel::log::{MeetingKey, Session, Store};
    use fairpanel::runtime::Host;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    /// The log timestamp the runtime's clock gives in these tests.
    fn now() -> String {
        "2026-03-12T09:30:00.000Z".to_owned()
    }

    /// The screen over a meeting whose log is a real file, with the runtime that performs its
    /// effects.
    pub struct Meeting {
        pub app: App,
        pub host: Host<Session>,
        pub path: PathBuf,
        _dir: tempfile::TempDir,
    }

    pub fn open() -> Meeting {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("meeting.fairpanel-log");
        let c = caseload::parse(DEMO_CASELOAD).expect("demo loads").caseload;
        let (s, meeting) = Session::open(
            Store::open_writer(&path).expect("log opens"),
            c,
            DEMO_CASELOAD,
        )
        .expect("session opens");
        let key = MeetingKey {
            panel: meeting.caseload().panel.id.clone(),
            date: meeting.meeting_date().to_string(),
        };
        Meeting {
            app: App::new(meeting, Source::Demo),
            host: Host::new(s, now)
                .with_minutes(path.clone(), key)
                .with_time_of_day(|| "10:25".to_owned()),
            path,
            _dir: dir,
        }
    }

    pub fn key(m: &mut Meeting, code: KeyCode, mods: KeyModifiers) {
        m.host
            .step(&mut m.app, &Event::Key(KeyEvent::new(code, mods)));
    }

    pub fn press(m: &mut Meeting, code: KeyCode) {
        let mods = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        key(m, code, mods);
    }

    pub fn ctrl(m: &mut Meeting, c: char) {
        key(m, KeyCode::Char(c), KeyModifiers::CONTROL);
    }

    pub fn type_str(m: &mut Meeting, s: &str) {
        for c in s.chars() {
            press(m, KeyCode::Char(c));
        }
    }

    /// Entries in the log file, read by a separate reader (none before the first entry: the
    /// file is only made then).
    pub fn stored(path: &Path) -> usize {
        if !path.exists() {
            return 0;
        }
        Store::open_reader(path)
            .expect("reader")
            .all_entries()
            .expect("entries")
            .len()
    }

    /// Memory equals what a reopen of the file reads.
    pub fn memory_matches_disk(m: &Meeting) {
        let disk = if m.path.exists() {
            Store::open_reader(&m.path)
                .expect("reader")
                .all_entries()
                .expect("entries")
        } else {
            Vec::new()
        };
        let disk = LogState::replay_in(m.app.meeting().state().here(), &disk);
        assert_eq!(
            &disk,
            m.app.meeting().state(),
            "memory equals a replay of the file"
        );
    }

    /// Selects a case in the queue by its reference, through the search.
    pub fn select(m: &mut Meeting, reference: &str) {
        press(m, KeyCode::Char('/'));
        type_str(m, reference);
        press(m, KeyCode::Enter);
        let i = m.app.selected_case().expect("a case is selected");
        assert_eq!(m.app.caseload().cases[i].reference, reference);
    }

    /// Records the first `n` members as present through the attendance picker.
    pub fn attend(m: &mut Meeting, n: usize) {
        press(m, KeyCode::Char('a'));
        assert!(matches!(m.app.modal(), Some(Modal::Attendance(_))));
        for _ in 0..n {
            press(m, KeyCode::Enter); // the next member not yet recorded
            press(m, KeyCode::Enter); // present (the first status)
        }
        press(m, KeyCode::Esc);
        assert!(m.app.modal().is_none());
    }

    pub fn cursor(app: &App) -> Row {
        match app.modal() {
            Some(Modal::Form(f)) => f.cursor,
            other => panic!("no form open: {other:?}"),
        }
    }

    /// Tabs to `row` in the open form (Shift-Tab back to the top first if it is above).
    pub fn tab_to(m: &mut Meeting, row: Row) {
        let Some(Modal::Form(f)) = m.app.modal() else {
            panic!("no form open")
        };
        let rows = m.app.form_rows(f);
        let (Some(at), Some(want)) = (
            rows.iter().position(|r| *r == f.cursor),
            rows.iter().position(|r| *r == row),
        ) else {
            panic!("the form has no row {row:?}: {rows:?}")
        };
        if want < at {
            for _ in 0..40 {
                key(m, KeyCode::BackTab, KeyModifiers::SHIFT);
            }
        }
        for _ in 0..40 {
            if cursor(&m.app) == row {
                return;
            }
            press(m, KeyCode::Tab);
        }
        panic!("the form has no row {row:?}");
    }

    pub fn outcome(app: &App) -> Outcome {
        match app.modal() {
            Some(Modal::Form(f)) => match &f.body {
                Body::Decision(d) => d.outcome,
                _ => panic!("not a decision"),
            },
            other => panic!("no form open: {other:?}"),
        }
    }

    /// On the outcome row: the letter the keymap gives the outcome `want`.
    pub fn choose_outcome(m: &mut Meeting, want: Outcome) {
        tab_to(m, Row::Outcome);
        let letter = fairpanel::app::keymap::outcome_key(want).expect("every outcome has a letter");
        press(m, KeyCode::Char(letter));
        assert_eq!(outcome(&m.app), want, "{}", m.app.status());
    }

    /// A decision through the form with everyone present agreeing; leaves the confirm view open.
    pub fn fill_decision(m: &mut Meeting, want: Outcome, school: Option<&str>, reasons: &str) {
        press(m, KeyCode::Char('d'));
        choose_outcome(m, want);
        if let Some(s) = school {
            tab_to(m, Row::School);
            type_str(m, s);
        }
        tab_to(m, Row::Reasons);
        type_str(m, reasons);
        tab_to(m, Row::AllAgree);
        press(m, KeyCode::Char(' ')); // everyone present who can decide agrees
        ctrl(m, 's');
        assert!(
            matches!(m.app.modal(), Some(Modal::Confirm(_))),
            "Ctrl-S opens the confirm view; status: {}",
            m.app.status()
        );
    }

    pub fn present(app: &App) -> usize {
        app.meeting()
            .state()
            .attendance()
            .values()
            .filter(|a| **a == Attendance::Present)
            .count()
    }

    pub fn decision_entries(app: &App) -> Vec<i64> {
        app.meeting()
            .state()
            .entries()
            .iter()
            .filter(|e| matches!(e.event, LogEvent::Decision(_)))
            .map(|e| e.id)
            .collect()
    }
}

use fairpanel::app::form::{Modal, Row};
use fairpanel::domain::event::Outcome;
use meeting::*;

#[test]
fn the_decision_form_opens_on_the_selected_case_and_esc_writes_nothing() {
    let mut m = meeting::open();
    let before = stored(&m.path);
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    let Some(Modal::Form(f)) = m.app.modal() else {
        panic!("d opens the decision form: {}", m.app.status())
    };
    assert_eq!(f.case_ref, "FA-2026-003");
    assert_eq!(f.cursor, Row::Outcome);
    assert_eq!(meeting::outcome(&m.app), Outcome::AllocateSchool);
    // Typing goes into the fields, q included: it is text here, not quit.
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "quiet start");
    assert!(!m.app.quit_requested());
    let Some(Modal::Form(f)) = m.app.modal() else {
        panic!("still in the form")
    };
    assert_eq!(
        f.input(Row::Reasons).map(|i| i.value()),
        Some("quiet start")
    );
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Char('y')); // yes, lose what was typed
    assert!(m.app.modal().is_none(), "Esc closes the form");
    assert!(
        m.app.status().contains("nothing was recorded"),
        "{}",
        m.app.status()
    );
    assert_eq!(stored(&m.path), before, "nothing written");
}

#[test]
fn f1_opens_help_over_a_form_with_its_keys_first_and_leaves_the_form_as_it_was() {
    let mut m = meeting::open();
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::tab_to(&mut m, Row::Reasons);
    // In a text field `?` is text, so help is on F1 there.
    meeting::type_str(&mut m, "why?");
    assert!(!m.app.help_open());
    meeting::press(&mut m, KeyCode::F(1));
    assert!(m.app.help_open());
    assert_eq!(m.app.scope(), Scope::Help);
    assert_eq!(m.app.working_scope(), Scope::Form);
    assert_eq!(keymap::help_rows(m.app.working_scope())[0].0, Scope::Form);
    // Keys act on help, not on the form beneath.
    meeting::press(&mut m, KeyCode::Down);
    meeting::press(&mut m, KeyCode::Down);
    assert_eq!(m.app.help_scroll(), 2);
    meeting::type_str(&mut m, "x");
    meeting::press(&mut m, KeyCode::Esc);
    assert!(!m.app.help_open(), "Esc closes help, not the form");
    let Some(Modal::Form(f)) = m.app.modal() else {
        panic!("the form is still open")
    };
    assert_eq!(f.cursor, Row::Reasons);
    assert_eq!(f.input(Row::Reasons).map(|i| i.value()), Some("why?"));
    // F1 again, and F1 closes it too.
    meeting::press(&mut m, KeyCode::F(1));
    assert!(m.app.help_open());
    meeting::press(&mut m, KeyCode::F(1));
    assert!(!m.app.help_open());
    assert!(matches!(m.app.modal(), Some(Modal::Form(_))));
}

#[test]
fn attendance_makes_the_meeting_quorate_and_agreeing_starts_the_clock() {
    let mut m = meeting::open();
    assert_eq!(stored(&m.path), 0, "opening the meeting writes nothing");
    meeting::attend(&mut m, 4);
    assert_eq!(meeting::present(&m.app), 4);
    let before = 1;
    assert_eq!(
        stored(&m.path),
        before + 4,
        "the caseload revision, written with the first entry, then one entry per attendance"
    );
    assert!(m.app.meeting().quorum().is_quorate());
    assert!(m.app.status().contains("quorate"), "{}", m.app.status());

    // FA-2026-008 has not been agreed to consider yet.
    meeting::select(&mut m, "FA-2026-008");
    let selected = |app: &fairpanel::app::App| {
        app.meeting()
            .facts(app.selected_case().unwrap())
            .unwrap()
            .clone()
    };
    assert!(selected(&m.app).clock.agreed.is_none());
    meeting::press(&mut m, KeyCode::Char('A'));
    assert!(
        matches!(m.app.modal(), Some(Modal::Confirm(_))),
        "A asks first: it cannot be undone"
    );
    assert_eq!(stored(&m.path), before + 4, "nothing written before Enter");
    meeting::press(&mut m, KeyCode::Enter);
    assert!(m.app.modal().is_none());
    let meeting_date = m.app.caseload().panel.meeting_date;
    assert_eq!(
        selected(&m.app).clock.agreed,
        Some(meeting_date),
        "the queue's clock is refreshed"
    );
    assert!(
        m.app.status().contains("agreed to consider FA-2026-008"),
        "{}",
        m.app.status()
    );
    assert_eq!(stored(&m.path), before + 5);
    // A second time is refused by the rules and writes nothing.
    meeting::press(&mut m, KeyCode::Char('A'));
    meeting::press(&mut m, KeyCode::Enter);
    assert!(
        m.app.status().contains("already-agreed"),
        "{}",
        m.app.status()
    );
    assert_eq!(stored(&m.path), before + 5);
    meeting::press(&mut m, KeyCode::Esc);
    assert!(m.app.modal().is_none());
    meeting::memory_matches_disk(&m);
}

#[test]
fn a_valid_decision_goes_form_confirm_enter_and_writes_exactly_one_entry() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-003");
    let before = stored(&m.path);
    meeting::fill_decision(
        &mut m,
        Outcome::AllocateSchool,
        Some("pool hayes"),
        "Nearest school with a Y10 place; travel under 3 miles",
    );
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        unreachable!()
    };
    assert!(c.hits.is_empty(), "every rule passes: {:?}", c.hits);
    let fairpanel::domain::event::Event::Decision(d) = &c.proposal.event else {
        panic!("a decision")
    };
    assert_eq!(d.urn, Some(142594), "Pool Hayes Academy");
    assert_eq!(
        d.start_date.map(|s| s.to_string()).as_deref(),
        Some("2026-03-13")
    );
    assert_eq!(d.year_group.map(|y| y.to_string()).as_deref(), Some("Y10"));
    assert_eq!(d.agreed_by.len(), 4);
    assert_eq!(stored(&m.path), before, "the confirm view writes nothing");
    meeting::press(&mut m, KeyCode::Enter);
    assert!(m.app.modal().is_none());
    assert_eq!(stored(&m.path), before + 1, "exactly one entry");
    let id = *meeting::decision_entries(&m.app).last().unwrap();
    // Issue 12 §3: the cursor moves on to the next case with no decision, in the queue's order.
    assert_eq!(
        m.app.status(),
        format!(
            "Decision {id} recorded: FA-2026-003 → Pool Hayes Academy, start Fri 13 Mar 2026 · next: FA-2026-007"
        )
    );
    let next = m
        .app
        .selected_case()
        .map(|i| m.app.caseload().cases[i].reference.clone());
    assert_eq!(
        next.as_deref(),
        Some("FA-2026-007"),
        "the next undecided case"
    );
    meeting::memory_matches_disk(&m);
    // A second `d` on the same case points to the correction instead.
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    assert!(m.app.modal().is_none());
    assert!(
        m.app.status().contains("c corrects it"),
        "{}",
        m.app.status()
    );
}

#[test]
fn a_refused_decision_writes_nothing_and_names_the_rule() {
    let mut m = meeting::open();
    // Nobody recorded present: not quorate, and nobody can agree.
    meeting::select(&mut m, "FA-2026-003");
    let before = stored(&m.path);
    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::choose_outcome(&mut m, Outcome::DeferMoreInfo);
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "Awaiting the refuge's letter");
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("confirm view: {}", m.app.status())
    };
    let names: Vec<&str> = c.hits.iter().map(|h| h.rule.name).collect();
    assert!(names.contains(&"not-quorate"), "{names:?}");
    assert!(names.contains(&"agreed-by-required"), "{names:?}");
    assert!(m.app.status().starts_with("✗"), "{}", m.app.status());
    meeting::press(&mut m, KeyCode::Enter);
    assert!(
        matches!(m.app.modal(), Some(Modal::Confirm(_))),
        "a refusal keeps the confirm view"
    );
    assert!(
        m.app
            .status()
            .contains(&format!("({}). Nothing was recorded", names[0])),
        "the status names the first refusal: {}",
        m.app.status()
    );
    assert!(m.app.status().contains("1 more"), "{}", m.app.status());
    assert!(
        m.app.status().contains("Nothing was recorded"),
        "{}",
        m.app.status()
    );
    assert_eq!(stored(&m.path), before);
    // Esc goes back to the form with everything kept.
    meeting::press(&mut m, KeyCode::Esc);
    let Some(Modal::Form(f)) = m.app.modal() else {
        panic!("back in the form")
    };
    assert_eq!(
        f.input(Row::Reasons).map(|i| i.value()),
        Some("Awaiting the refuge's letter")
    );
    assert_eq!(meeting::outcome(&m.app), Outcome::DeferMoreInfo);
    meeting::press(&mut m, KeyCode::Esc);
    assert_eq!(stored(&m.path), before);
    meeting::memory_matches_disk(&m);
}

/// Issue 18 §1 on the screen: a full name in the package is refused and Esc from the confirm
/// view lands on the package; a given name alone in the reasons only warns, and the decision is
/// recorded with the warning shown.
#[test]
fn free_text_naming_the_pupil_is_refused_at_its_field_and_a_given_name_only_warns() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-003");
    let before = stored(&m.path);
    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::choose_outcome(&mut m, Outcome::DeferMoreInfo);
    meeting::tab_to(&mut m, Row::Package);
    meeting::type_str(&mut m, "taxi for ZoeHart");
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "Zoe keen to start after half term");
    meeting::tab_to(&mut m, Row::AllAgree);
    meeting::press(&mut m, KeyCode::Char(' '));
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("confirm view: {}", m.app.status())
    };
    let found: Vec<(&str, &str)> = c
        .hits
        .iter()
        .filter(|h| h.rule.name.contains("free-text"))
        .map(|h| (h.rule.name, h.detail.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("names-in-free-text", "in the package: a full name"),
            (
                "given-name-in-free-text",
                "in the reasons: the pupil's given name"
            ),
        ]
    );
    assert!(!m.app.status().contains("ZoeHart"), "{}", m.app.status());
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(stored(&m.path), before, "refused: nothing written");
    meeting::press(&mut m, KeyCode::Esc);
    assert_eq!(
        meeting::cursor(&m.app),
        Row::Package,
        "Esc lands on the package"
    );
    for _ in 0.."taxi for ZoeHart".chars().count() {
        meeting::press(&mut m, KeyCode::Backspace);
    }
    meeting::type_str(&mut m, "taxi from home");
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("confirm view: {}", m.app.status())
    };
    assert!(
        c.hits
            .iter()
            .any(|h| h.rule.name == "given-name-in-free-text"),
        "the warning stays in view"
    );
    meeting::press(&mut m, KeyCode::Enter);
    assert!(m.app.modal().is_none(), "{}", m.app.status());
    assert_eq!(stored(&m.path), before + 1, "a warning does not stop it");
    meeting::memory_matches_disk(&m);
}

#[test]
fn a_correction_supersedes_the_standing_decision_with_a_reason() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-013");
    meeting::fill_decision(
        &mut m,
        Outcome::DeferMoreInfo,
        None,
        "Awaiting evidence for category (k)",
    );
    meeting::press(&mut m, KeyCode::Enter);
    let first = *meeting::decision_entries(&m.app).last().unwrap();
    let before = stored(&m.path);

    meeting::select(&mut m, "FA-2026-013");
    meeting::press(&mut m, KeyCode::Char('c'));
    assert_eq!(meeting::cursor(&m.app), Row::CorrectionReason);
    assert_eq!(
        meeting::outcome(&m.app),
        Outcome::DeferMoreInfo,
        "prefilled"
    );
    // No reason: the form says so and stays open.
    meeting::ctrl(&mut m, 's');
    assert!(matches!(m.app.modal(), Some(Modal::Form(_))));
    assert!(m.app.status().contains("why"), "{}", m.app.status());
    meeting::type_str(&mut m, "Family moved out of the area before the meeting");
    meeting::choose_outcome(&mut m, Outcome::Withdrawn);
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("confirm view: {}", m.app.status())
    };
    assert_eq!(c.proposal.correction.as_ref().map(|x| x.entry), Some(first));
    meeting::press(&mut m, KeyCode::Enter);
    assert!(m.app.modal().is_none(), "{}", m.app.status());
    assert_eq!(stored(&m.path), before + 1);
    let second = *meeting::decision_entries(&m.app).last().unwrap();
    assert!(
        m.app
            .status()
            .contains(&format!("→ withdrawn, superseding decision {first}")),
        "{}",
        m.app.status()
    );
    let s = m.app.meeting();
    assert_eq!(s.state().superseded_by(first), Some(second));
    assert_eq!(
        s.state().current_decision("FA-2026-013").map(|(e, _)| e.id),
        Some(second)
    );
    meeting::memory_matches_disk(&m);
}

#[test]
fn quitting_with_unsaved_input_asks_first() {
    let mut m = meeting::open();
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    // An untouched form: Ctrl-C quits at once.
    meeting::ctrl(&mut m, 'c');
    assert!(m.app.quit_requested());

    let mut m = meeting::open();
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "q");
    meeting::ctrl(&mut m, 'c');
    assert!(!m.app.quit_requested());
    assert!(m.app.quit_asked());
    assert!(
        m.app
            .status()
            .contains("Quit and lose the unsaved decision?"),
        "{}",
        m.app.status()
    );
    meeting::press(&mut m, KeyCode::Char('n'));
    assert!(!m.app.quit_asked() && !m.app.quit_requested());
    assert!(
        matches!(m.app.modal(), Some(Modal::Form(_))),
        "still in the form"
    );
    meeting::ctrl(&mut m, 'c');
    meeting::press(&mut m, KeyCode::Char('y'));
    assert!(m.app.quit_requested());
}

/// Issue 12 §3: outcomes come from a short list in words, picked by letter or arrows; an
/// outcome the case is not offered is refused with a hint, never picked.
#[test]
fn outcomes_come_from_a_short_list_by_letter_or_arrows() {
    use fairpanel::app::form::{Body, Modal};
    let mut m = meeting::open();
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    let Some(Modal::Form(f)) = m.app.modal() else {
        panic!("form")
    };
    let Body::Decision(d) = &f.body else {
        panic!("decision")
    };
    assert_eq!(
        d.outcomes.len(),
        8,
        "a short list for a Fair Access case: {:?}",
        d.outcomes
    );
    assert_eq!(m.app.scope(), Scope::FormOutcome);
    meeting::press(&mut m, KeyCode::Char('d'));
    assert_eq!(meeting::outcome(&m.app), Outcome::DeferMoreInfo);
    meeting::press(&mut m, KeyCode::Right);
    assert_eq!(meeting::outcome(&m.app), Outcome::RefusedEscalateDirection);
    meeting::press(&mut m, KeyCode::Left);
    meeting::press(&mut m, KeyCode::Left);
    assert_eq!(meeting::outcome(&m.app), Outcome::AllocateApInterim);
    // A managed move is not offered for a Fair Access case.
    meeting::press(&mut m, KeyCode::Char('m'));
    assert_eq!(meeting::outcome(&m.app), Outcome::AllocateApInterim);
    assert!(m.app.status().contains("not offered"), "{}", m.app.status());
    // Off the outcome row letters are not commands.
    meeting::press(&mut m, KeyCode::Tab);
    meeting::type_str(&mut m, "w");
    assert_eq!(meeting::outcome(&m.app), Outcome::AllocateApInterim);
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Char('y'));
    // A managed move case is offered its own short list.
    meeting::select(&mut m, "MM-2026-001");
    meeting::press(&mut m, KeyCode::Char('d'));
    assert_eq!(meeting::outcome(&m.app), Outcome::ManagedMoveAgreed);
    meeting::press(&mut m, KeyCode::Char('w'));
    assert_eq!(meeting::outcome(&m.app), Outcome::Withdrawn);
    meeting::press(&mut m, KeyCode::Char('a'));
    assert_eq!(
        meeting::outcome(&m.app),
        Outcome::Withdrawn,
        "no school place for a managed move"
    );
}

/// Issue 12 §3: Enter in the reasons moved the cursor to the votes, where the next `a` of the
/// sentence ticked every member. Reasons take Enter as a new line; a choice row never turns
/// typing into a command; "All present agree" leaves out members without a vote and members
/// who declared an interest.
#[test]
fn reasons_take_enter_as_a_new_line_and_typing_never_ticks_votes() {
    use fairpanel::app::form::{Body, Modal, Vote};
    let mut m = meeting::open();
    meeting::attend(&mut m, 8);
    meeting::select(&mut m, "FA-2026-003");
    // Mark Ellery declares an interest and stays.
    meeting::press(&mut m, KeyCode::Char('i'));
    meeting::press(&mut m, KeyCode::Down);
    meeting::press(&mut m, KeyCode::Char(' '));
    meeting::tab_to(&mut m, Row::Interest);
    meeting::type_str(&mut m, "governor at a proposed school");
    meeting::ctrl(&mut m, 's');
    meeting::press(&mut m, KeyCode::Enter);
    assert!(m.app.modal().is_none(), "{}", m.app.status());

    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "Nearest school with a place");
    meeting::press(&mut m, KeyCode::Enter);
    meeting::type_str(&mut m, "and all agreed the bus route");
    assert_eq!(
        meeting::cursor(&m.app),
        Row::Reasons,
        "Enter stayed in the reasons"
    );
    let votes = |app: &App| match app.modal() {
        Some(Modal::Form(f)) => match &f.body {
            Body::Decision(d) => d.votes.clone(),
            _ => unreachable!(),
        },
        _ => panic!("form"),
    };
    assert!(
        votes(&m.app).iter().all(|v| *v == Vote::Abstains),
        "no vote ticked by typing"
    );
    let Some(Modal::Form(f)) = m.app.modal() else {
        unreachable!()
    };
    assert_eq!(
        f.input(Row::Reasons).map(|i| i.value()),
        Some("Nearest school with a place\nand all agreed the bus route")
    );
    // ↑ moves within the text first, then leaves it.
    meeting::press(&mut m, KeyCode::Up);
    assert_eq!(meeting::cursor(&m.app), Row::Reasons);
    meeting::press(&mut m, KeyCode::Up);
    assert_eq!(meeting::cursor(&m.app), Row::Reduced);
    // Letters on a choice row are not commands.
    meeting::tab_to(&mut m, Row::AllAgree);
    meeting::type_str(&mut m, "a quick note");
    assert!(votes(&m.app).iter().all(|v| *v == Vote::Abstains));
    assert!(!m.app.quit_requested() && m.app.ask().is_none());
    assert!(m.app.status().contains("not text"), "{}", m.app.status());
    // Space (twice: the first after a letter is taken for a word gap): members who can decide
    // agree; not the minute-taker or the SEND officer (no vote), not Mark Ellery (declared an
    // interest).
    meeting::press(&mut m, KeyCode::Char(' '));
    assert!(votes(&m.app).iter().all(|v| *v == Vote::Abstains));
    meeting::press(&mut m, KeyCode::Char(' '));
    let Some(Modal::Form(f)) = m.app.modal() else {
        unreachable!()
    };
    let Body::Decision(d) = &f.body else {
        unreachable!()
    };
    let agreed: Vec<&str> = d
        .members
        .iter()
        .zip(&d.votes)
        .filter(|(_, v)| **v == Vote::Agrees)
        .map(|(i, _)| m.app.caseload().panel.members[*i].name.as_str())
        .collect();
    assert_eq!(
        agreed,
        [
            "Janet Okafor",
            "Siobhan Keane",
            "Ravinder Sahota",
            "Claire Whitehouse",
            "Dean Partridge"
        ]
    );
}

/// Issue 12 §2: Ctrl-N fills the school from the ranked suggestions, one key from anywhere in
/// the form; the picker marks each school as the rules will judge it, before the confirm view.
#[test]
fn ctrl_n_takes_a_suggestion_and_the_picker_marks_schools_as_the_rules_will() {
    use fairpanel::app::form::{Body, Modal};
    use fairpanel::domain::rules::Severity;
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2025-131"); // a boy
    let w = m.app.working().expect("working").clone();
    meeting::press(&mut m, KeyCode::Char('d'));
    let school = |app: &App| match app.modal() {
        Some(Modal::Form(f)) => match &f.body {
            Body::Decision(d) => d.school,
            _ => unreachable!(),
        },
        _ => panic!("form"),
    };
    meeting::ctrl(&mut m, 'n');
    assert_eq!(
        school(&m.app),
        Some(w.suggestions[0].school.urn),
        "{}",
        m.app.status()
    );
    assert!(
        m.app.status().contains("suggestion 1 of"),
        "{}",
        m.app.status()
    );
    meeting::ctrl(&mut m, 'n');
    assert_eq!(school(&m.app), Some(w.suggestions[1].school.urn));
    // With nothing typed, the picker lists the suggestions, each judged.
    let Some(Modal::Form(f)) = m.app.modal() else {
        unreachable!()
    };
    let listed = m.app.listed_schools(f);
    assert_eq!(listed.len(), 5);
    let Body::Decision(d) = &f.body else {
        unreachable!()
    };
    for s in &w.suggestions[..5] {
        let v = d
            .verdict(s.school.urn)
            .expect("every listed school is judged");
        assert!(v.iter().all(|h| h.rule.severity != Severity::Refuse));
    }
    // A girls' school typed for a boy: marked refused in the picker, as the confirm view says.
    meeting::tab_to(&mut m, Row::School);
    meeting::type_str(&mut m, "queen mary's high");
    assert_eq!(school(&m.app), Some(136777));
    let Some(Modal::Form(f)) = m.app.modal() else {
        unreachable!()
    };
    let Body::Decision(d) = &f.body else {
        unreachable!()
    };
    let v: Vec<&str> = d
        .verdict(136777)
        .unwrap()
        .iter()
        .map(|h| h.rule.name)
        .collect();
    assert!(v.contains(&"single-sex"), "{v:?}");
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "Preference");
    meeting::tab_to(&mut m, Row::AllAgree);
    meeting::press(&mut m, KeyCode::Char(' '));
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("confirm: {}", m.app.status())
    };
    assert!(c.hits.iter().any(|h| h.rule.name == "single-sex"));
}

/// Issue 12 §6: a substitute joins during the meeting (name, organisation, role, school, can
/// decide, whom they stand in for) as an entry in the log; arriving late and leaving record
/// the time; a school invited and absent is minuted "invited_absent", not "not_recorded", and a
/// decision naming that school stands.
#[test]
fn a_substitute_joins_times_are_kept_and_an_invited_absent_school_is_minuted_as_such() {
    use fairpanel::app::form::Vote;
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    // In the picker, the row after the people: someone joined.
    meeting::press(&mut m, KeyCode::Char('a'));
    for _ in 0..12 {
        meeting::press(&mut m, KeyCode::Down);
    }
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(meeting::cursor(&m.app), Row::JoinName, "{}", m.app.status());
    meeting::type_str(&mut m, "Priya Shah");
    meeting::press(&mut m, KeyCode::Tab);
    meeting::type_str(&mut m, "Walsall Academy");
    meeting::press(&mut m, KeyCode::Tab);
    meeting::type_str(&mut m, "Deputy Headteacher");
    meeting::press(&mut m, KeyCode::Tab);
    meeting::type_str(&mut m, "133697");
    meeting::press(&mut m, KeyCode::Tab);
    meeting::press(&mut m, KeyCode::Char(' ')); // can decide
    meeting::press(&mut m, KeyCode::Tab);
    meeting::press(&mut m, KeyCode::Right); // Janet Okafor
    meeting::press(&mut m, KeyCode::Right); // Mark Ellery
    meeting::ctrl(&mut m, 's');
    assert!(
        matches!(m.app.modal(), Some(Modal::Confirm(_))),
        "{}",
        m.app.status()
    );
    let before = stored(&m.path);
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(stored(&m.path), before + 1, "one entry: who joined");
    assert!(
        m.app.status().starts_with("Joined: Priya Shah (Deputy Headteacher, Walsall Academy), substitute for Mark Ellery, at 10:25"),
        "{}",
        m.app.status()
    );
    let state = m.app.meeting().state();
    assert!(state.is_present("Priya Shah"));
    assert_eq!(state.arrived_at("Priya Shah"), Some("10:25"));
    assert_eq!(m.app.meeting().quorum().present, 5);
    assert_eq!(m.app.meeting().quorum().can_decide, 5);
    // The same name again is refused by the rules.
    meeting::press(&mut m, KeyCode::Char('a'));
    for _ in 0..12 {
        meeting::press(&mut m, KeyCode::Down);
    }
    meeting::press(&mut m, KeyCode::Enter);
    for (i, text) in ["Priya Shah", "Walsall Academy", "Guest"]
        .iter()
        .enumerate()
    {
        if i > 0 {
            meeting::press(&mut m, KeyCode::Tab);
        }
        meeting::type_str(&mut m, text);
    }
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("{}", m.app.status())
    };
    assert!(
        c.hits
            .iter()
            .any(|h| h.rule.name == "already-in-the-meeting")
    );
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Char('y'));

    // Mark Ellery leaves: the time is kept.
    meeting::press(&mut m, KeyCode::Char('a'));
    meeting::type_str(&mut m, "mark");
    meeting::press(&mut m, KeyCode::Enter);
    for _ in 0..3 {
        meeting::press(&mut m, KeyCode::Down); // present, apologies, arrived late, left
    }
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(
        m.app.meeting().state().left_at("Mark Ellery"),
        Some("10:25")
    );
    // Claire Whitehouse's school (Aldridge) was invited for a case and nobody came.
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Char('a'));
    meeting::type_str(&mut m, "claire");
    meeting::press(&mut m, KeyCode::Enter);
    for _ in 0..4 {
        meeting::press(&mut m, KeyCode::Down);
    }
    meeting::press(&mut m, KeyCode::Enter);
    meeting::press(&mut m, KeyCode::Esc);
    assert_eq!(
        m.app
            .meeting()
            .state()
            .attendance()
            .get("Claire Whitehouse"),
        Some(&fairpanel::domain::event::Attendance::InvitedAbsent)
    );

    // A place at the absent school stands; the substitute votes.
    meeting::select(&mut m, "FA-2026-013");
    meeting::fill_decision(
        &mut m,
        Outcome::AllocateSchool,
        Some("aldridge"),
        "Nearest school with a Y11 place",
    );
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        unreachable!()
    };
    assert!(
        c.hits
            .iter()
            .all(|h| h.rule.severity != fairpanel::domain::rules::Severity::Refuse),
        "{:?}",
        c.hits
    );
    let fairpanel::domain::event::Event::Decision(d) = &c.proposal.event else {
        unreachable!()
    };
    assert!(
        d.agreed_by.iter().any(|n| n == "Priya Shah"),
        "{:?}",
        d.agreed_by
    );
    assert!(
        !d.agreed_by.iter().any(|n| n == "Mark Ellery"),
        "left: no vote"
    );
    let _ = Vote::Agrees;
    meeting::press(&mut m, KeyCode::Enter);
    assert!(
        m.app.status().contains("FA-2026-013 → Aldridge School"),
        "{}",
        m.app.status()
    );
    meeting::memory_matches_disk(&m);

    // The minutes, from the log alone.
    let reader = fairpanel::log::Store::open_reader(&m.path).unwrap();
    let row = reader.meetings().unwrap().pop().unwrap();
    let minutes = fairpanel::io::minutes::build(&reader, &row, false).unwrap();
    let json = serde_json::to_value(&minutes.attendance).unwrap();
    let line = |name: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|l| l["member"] == name)
            .unwrap_or_else(|| panic!("{name} in the minutes: {json}"))
            .clone()
    };
    assert_eq!(line("Claire Whitehouse")["status"], "invited_absent");
    assert_eq!(line("Lucy Bradbury")["status"], "not_recorded");
    assert_eq!(line("Mark Ellery")["status"], "left");
    assert_eq!(line("Mark Ellery")["left"], "10:25");
    assert_eq!(
        line("Priya Shah")["joined"]["substitute_for"],
        "Mark Ellery"
    );
    assert_eq!(line("Priya Shah")["joined"]["urn"], 133697);
    assert_eq!(line("Priya Shah")["arrived"], "10:25");
    assert_eq!(line("Priya Shah")["can_decide"], true);
}

/// Issue 12 §6: the agenda line counts cases heard, decided and deferred from the meeting view,
/// and `4` shows today's entries in order; Enter on one goes to its case.
#[test]
fn the_agenda_counts_heard_decided_deferred_and_4_lists_todays_entries() {
    let mut m = meeting::open();
    let s = m.app.meeting().summary();
    assert_eq!((s.heard, s.decided, s.deferred, s.cases), (0, 0, 0, 36));
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-013");
    meeting::fill_decision(&mut m, Outcome::DeferMoreInfo, None, "Awaiting evidence");
    meeting::press(&mut m, KeyCode::Enter);
    meeting::select(&mut m, "FA-2026-003");
    meeting::fill_decision(
        &mut m,
        Outcome::AllocateSchool,
        Some("pool hayes"),
        "Nearest place",
    );
    meeting::press(&mut m, KeyCode::Enter);
    meeting::select(&mut m, "FA-2026-008");
    meeting::press(&mut m, KeyCode::Char('A'));
    meeting::press(&mut m, KeyCode::Enter);
    let s = m.app.meeting().summary();
    assert_eq!((s.heard, s.decided, s.deferred), (3, 1, 1), "{s:?}");

    meeting::press(&mut m, KeyCode::Char('4'));
    assert_eq!(m.app.view(), View::Today);
    let entries = m.app.meeting().state().entries().len();
    assert_eq!(
        m.app.today_nav().selected,
        entries - 1,
        "the latest entry selected"
    );
    // Up to the deferral of FA-2026-013 and Enter: that case in the queue.
    let at = m
        .app
        .meeting()
        .state()
        .entries()
        .iter()
        .position(|e| e.event.case_ref() == Some("FA-2026-013"))
        .unwrap();
    for _ in at..entries - 1 {
        meeting::press(&mut m, KeyCode::Up);
    }
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(m.app.view(), View::Queue);
    let i = m.app.selected_case().unwrap();
    assert_eq!(m.app.caseload().cases[i].reference, "FA-2026-013");
}

/// Issue 12 §3: Esc on a form holding input asks before discarding it, as `q` does; an
/// untouched form closes at once.
#[test]
fn esc_on_a_form_holding_input_asks_before_discarding() {
    let mut m = meeting::open();
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::press(&mut m, KeyCode::Esc);
    assert!(m.app.modal().is_none(), "an untouched form closes at once");

    meeting::press(&mut m, KeyCode::Char('d'));
    meeting::tab_to(&mut m, Row::Reasons);
    meeting::type_str(&mut m, "Nearest school");
    meeting::press(&mut m, KeyCode::Esc);
    assert_eq!(m.app.ask(), Some(fairpanel::app::Ask::Discard));
    assert!(matches!(m.app.modal(), Some(Modal::Form(_))));
    assert!(
        m.app.status().contains("lose what was typed"),
        "{}",
        m.app.status()
    );
    // Any key but y answers no: a word typed on after a stray Esc never loses the form.
    meeting::type_str(&mut m, "they");
    assert_eq!(m.app.ask(), None);
    let Some(Modal::Form(f)) = m.app.modal() else {
        panic!("back in the form")
    };
    assert_eq!(
        f.input(Row::Reasons).map(|i| i.value()),
        Some("Nearest schoolhey")
    );
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Char('n'));
    assert_eq!(m.app.ask(), None);
    assert!(matches!(m.app.modal(), Some(Modal::Form(_))));
    meeting::press(&mut m, KeyCode::Esc);
    meeting::press(&mut m, KeyCode::Char('y'));
    assert!(m.app.modal().is_none());
    assert!(!m.app.quit_requested());
    assert!(
        m.app.status().contains("nothing was recorded"),
        "{}",
        m.app.status()
    );
}

#[test]
fn declarations_go_through_the_confirm_view() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-003");
    let before = stored(&m.path);
    meeting::press(&mut m, KeyCode::Char('i'));
    assert_eq!(meeting::cursor(&m.app), Row::Member(0));
    meeting::press(&mut m, KeyCode::Down); // Mark Ellery
    meeting::press(&mut m, KeyCode::Char(' '));
    meeting::tab_to(&mut m, Row::Interest);
    meeting::type_str(&mut m, "governor at a proposed school");
    meeting::tab_to(&mut m, Row::Withdrew);
    meeting::press(&mut m, KeyCode::Char(' '));
    meeting::press(&mut m, KeyCode::Enter); // last row: the confirm view
    assert!(
        matches!(m.app.modal(), Some(Modal::Confirm(_))),
        "{}",
        m.app.status()
    );
    assert_eq!(stored(&m.path), before);
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(stored(&m.path), before + 1);
    let d = m
        .app
        .meeting()
        .state()
        .declared("Mark Ellery", "FA-2026-003")
        .expect("declared");
    assert!(d.withdrew);
    // Everyone present agrees now leaves out the member who declared.
    meeting::fill_decision(
        &mut m,
        Outcome::AllocateSchool,
        Some("pool hayes"),
        "Nearest school with a Y10 place",
    );
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        unreachable!()
    };
    let fairpanel::domain::event::Event::Decision(d) = &c.proposal.event else {
        unreachable!()
    };
    assert!(
        !d.agreed_by.iter().any(|n| n == "Mark Ellery"),
        "{:?}",
        d.agreed_by
    );
    assert_eq!(d.agreed_by.len(), 3);
    meeting::memory_matches_disk(&m);
}

#[test]
fn a_review_date_fairpanel_filled_in_follows_the_outcome_and_start_but_a_typed_one_stays() {
    let mut m = meeting::open();
    meeting::select(&mut m, "FA-2026-012");
    meeting::press(&mut m, KeyCode::Char('d'));
    let review = |app: &App| match app.modal() {
        Some(Modal::Form(f)) => f.input(Row::Review).map(|i| i.value().to_owned()),
        _ => None,
    };
    assert_eq!(
        review(&m.app).as_deref(),
        Some(""),
        "a school place needs no review"
    );
    meeting::choose_outcome(&mut m, Outcome::AllocateApInterim);
    assert_eq!(
        review(&m.app).as_deref(),
        Some("2026-04-24"),
        "start Fri 13 Mar + the panel's 6 review weeks"
    );
    // A new start date moves it.
    meeting::tab_to(&mut m, Row::Start);
    for _ in 0..10 {
        meeting::press(&mut m, KeyCode::Backspace);
    }
    meeting::type_str(&mut m, "2026-03-16");
    assert_eq!(review(&m.app).as_deref(), Some("2026-04-27"));
    // An outcome that needs none takes it away again.
    meeting::choose_outcome(&mut m, Outcome::DeferMoreInfo);
    assert_eq!(review(&m.app).as_deref(), Some(""));
    // One the chair typed stays whatever the outcome.
    meeting::tab_to(&mut m, Row::Review);
    meeting::type_str(&mut m, "2026-05-01");
    meeting::choose_outcome(&mut m, Outcome::AllocateApInterim);
    meeting::choose_outcome(&mut m, Outcome::Withdrawn);
    assert_eq!(review(&m.app).as_deref(), Some("2026-05-01"));
}

#[test]
fn typing_on_a_choice_row_says_it_is_not_text_and_tab_skips_whole_lists() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-003");
    meeting::press(&mut m, KeyCode::Char('i'));
    assert_eq!(meeting::cursor(&m.app), Row::Member(0));
    meeting::type_str(&mut m, "x");
    assert!(m.app.status().contains("not text"), "{}", m.app.status());
    // ↓ moves within the member list, Tab leaves it.
    meeting::press(&mut m, KeyCode::Down);
    assert_eq!(meeting::cursor(&m.app), Row::Member(1));
    meeting::press(&mut m, KeyCode::Tab);
    assert_eq!(meeting::cursor(&m.app), Row::Interest);
    meeting::key(
        &mut m,
        KeyCode::BackTab,
        ratatui::crossterm::event::KeyModifiers::SHIFT,
    );
    assert_eq!(
        meeting::cursor(&m.app),
        Row::Member(0),
        "Shift-Tab: the list's first row"
    );
    // Enter on a member picks them and goes on to the next field.
    meeting::press(&mut m, KeyCode::Down);
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(meeting::cursor(&m.app), Row::Interest);
    let Some(Modal::Form(f)) = m.app.modal() else {
        unreachable!()
    };
    let fairpanel::app::form::Body::Declaration(x) = &f.body else {
        unreachable!()
    };
    assert_eq!(x.member, Some(1));
}

#[test]
fn m_writes_the_minutes_from_the_log_beside_it_without_names() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    // m asks which form: all four first; Esc closes and writes nothing.
    meeting::press(&mut m, KeyCode::Char('m'));
    assert!(matches!(m.app.modal(), Some(Modal::Minutes(_))));
    meeting::press(&mut m, KeyCode::Esc);
    assert!(m.app.modal().is_none());
    assert_eq!(m.app.status(), "Closed: no minutes written");
    let dir = m.path.parent().unwrap().to_owned();
    let base = dir.join(fairpanel::io::minutes::file_name(
        "walsall-sec-fap",
        "2026-03-12",
    ));
    assert!(!base.exists());
    // Down to Word alone: only the .docx is written.
    meeting::press(&mut m, KeyCode::Char('m'));
    meeting::press(&mut m, KeyCode::Down);
    meeting::press(&mut m, KeyCode::Enter);
    assert!(m.app.modal().is_none());
    assert!(base.with_extension("docx").exists(), "{}", m.app.status());
    assert!(!base.exists() && !base.with_extension("md").exists());
    assert!(
        m.app.status().ends_with(".docx (no pupil names)"),
        "{}",
        m.app.status()
    );
    // Enter on the first choice: all four.
    meeting::press(&mut m, KeyCode::Char('m'));
    meeting::press(&mut m, KeyCode::Enter);
    assert!(
        m.app.status().starts_with("Minutes written to "),
        "{}",
        m.app.status()
    );
    let file = dir.join(fairpanel::io::minutes::file_name(
        "walsall-sec-fap",
        "2026-03-12",
    ));
    let written = std::fs::read_to_string(&file).expect("minutes file");
    // The same bytes as the builder the `minutes` command uses.
    let reader = fairpanel::log::Store::open_reader(&m.path).unwrap();
    let meeting = reader.meetings().unwrap().pop().unwrap();
    let built = fairpanel::io::minutes::to_json(
        &fairpanel::io::minutes::build(&reader, &meeting, false).unwrap(),
    )
    .unwrap();
    assert_eq!(written, built);
    assert!(
        m.app.status().contains("with .html, .md, .json beside it"),
        "the status line says the other forms were written: {}",
        m.app.status()
    );
    let built = fairpanel::io::minutes::build(&reader, &meeting, false).unwrap();
    let md = std::fs::read_to_string(file.with_extension("md")).expect("Markdown minutes");
    let html = std::fs::read_to_string(file.with_extension("html")).expect("HTML minutes");
    assert_eq!(md, fairpanel::io::minutes_text::to_markdown(&built));
    assert_eq!(html, fairpanel::io::minutes_text::to_html(&built));
    for c in &m.app.caseload().cases {
        for text in [&written, &md, &html] {
            assert!(
                !text.contains(&c.pupil.family_name),
                "no pupil names in the minutes"
            );
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

/// domain.md §6 rule 8: a check that needs a reason blocks the decision until the chair types
/// one in the form's override row; the reason is then stored in the decision.
#[test]
fn a_check_that_needs_a_reason_is_overruled_only_with_one_typed_in_the_form() {
    let mut m = meeting::open();
    meeting::attend(&mut m, 4);
    meeting::select(&mut m, "FA-2026-003");
    let before = stored(&m.path);
    // Brownhills Ormiston Academy shares the top of the demo's tally (7 this year).
    meeting::fill_decision(
        &mut m,
        Outcome::AllocateSchool,
        Some("brownhills ormiston"),
        "Only school with a direct bus from the current address",
    );
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        unreachable!()
    };
    let names: Vec<&str> = c.hits.iter().map(|h| h.rule.name).collect();
    assert!(names.contains(&"override-reason-required"), "{names:?}");
    // Refusals are listed first: the message must not point "above" at a warning below it.
    let override_hit = c
        .hits
        .iter()
        .find(|h| h.rule.name == "override-reason-required")
        .unwrap();
    assert!(
        !override_hit.rule.summary.contains("above"),
        "{}",
        override_hit.rule.summary
    );
    assert!(
        names.contains(&"tops-the-tally") || names.contains(&"fair-share-cap"),
        "{names:?}"
    );
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(stored(&m.path), before, "refused: nothing written");
    if matches!(m.app.modal(), Some(Modal::Confirm(_))) {
        meeting::press(&mut m, KeyCode::Esc);
    }
    assert!(
        matches!(m.app.modal(), Some(Modal::Form(_))),
        "back in the form, everything kept"
    );
    meeting::tab_to(&mut m, Row::Override);
    type_str(
        &mut m.app,
        "Panel agreed the bus route outweighs the tally this once",
    );
    meeting::ctrl(&mut m, 's');
    let Some(Modal::Confirm(c)) = m.app.modal() else {
        panic!("confirm view: {}", m.app.status())
    };
    assert!(
        !c.hits
            .iter()
            .any(|h| h.rule.severity == fairpanel::domain::rules::Severity::Refuse),
        "{:?}",
        c.hits
    );
    meeting::press(&mut m, KeyCode::Enter);
    assert_eq!(stored(&m.path), before + 1);
    let (_, d) = m
        .app
        .meeting()
        .state()
        .current_decision("FA-2026-003")
        .unwrap();
    assert_eq!(
        d.override_reason.as_deref(),
        Some("Panel agreed the bus route outweighs the tally this once")
    );
    assert!(
        d.options_considered
            .iter()
            .any(|o| o.chosen && o.urn == 147796)
    );
}

// ---------------------------------------------------------------------------------------------
// `update` with no file: effects are returned, the runtime performs them with a log in memory,
// and a failed write (a full disk) is injected.

mod no_file {
    use fairpanel::app::form::Modal;
    use fairpanel::app::keymap::Action;
    use fairpanel::app::{App, Effect, Msg, Source};
    use fairpanel::domain::event::{Event as LogEvent, Outcome};
    use fairpanel::domain::meeting::Meeting;
    use fairpanel::io::caseload;
    use fairpanel::io::demo::DEMO_CASELOAD;
    use fairpanel::log::MemoryLog;
    use fairpanel::runtime::Host;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

    pub fn now() -> String {
        "2026-03-12T09:30:00.000Z".to_owned()
    }

    pub fn open() -> (App, Host<MemoryLog>) {
        let c = caseload::parse(DEMO_CASELOAD).expect("demo").caseload;
        (
            App::new(Meeting::new(c, &[]), Source::Demo),
            Host::new(MemoryLog::new(), now),
        )
    }

    pub fn keys(app: &mut App, host: &mut Host<MemoryLog>, s: &str) {
        for c in s.chars() {
            let (code, mods) = match c {
                '\n' => (KeyCode::Enter, KeyModifiers::NONE),
                '\u{1b}' => (KeyCode::Esc, KeyModifiers::NONE),
                '\t' => (KeyCode::Tab, KeyModifiers::NONE),
                '\u{13}' => (KeyCode::Char('s'), KeyModifiers::CONTROL),
                c if c.is_ascii_uppercase() => (KeyCode::Char(c), KeyModifiers::SHIFT),
                c => (KeyCode::Char(c), KeyModifiers::NONE),
            };
            host.step(app, &Event::Key(KeyEvent::new(code, mods)));
        }
    }

    /// Four members present, FA-2026-013 selected, a deferral in the confirm view.
    pub fn deferral_in_the_confirm_view(app: &mut App, host: &mut Host<MemoryLog>) {
        keys(app, host, "a\n\n\n\n\n\n\n\n\u{1b}");
        assert!(app.meeting().quorum().is_quorate(), "{}", app.status());
        keys(app, host, "/FA-2026-013\n");
        // On the outcome row, d picks "Defer for more information".
        keys(app, host, "dd");
        let Some(Modal::Form(f)) = app.modal() else {
            panic!("form: {}", app.status())
        };
        assert!(matches!(
            &f.body,
            fairpanel::app::form::Body::Decision(d) if d.outcome == Outcome::DeferMoreInfo
        ));
        // Tab to the reasons (review, package, reduced, reasons), type, Tab to "All present
        // agree", Space.
        keys(app, host, "\t\t\t\tAwaiting the refuge's letter\t \u{13}");
        assert!(
            matches!(app.modal(), Some(Modal::Confirm(_))),
            "{}",
            app.status()
        );
    }

    #[test]
    fn enter_in_the_confirm_view_returns_a_record_effect_and_changes_nothing_itself() {
        let (mut app, mut host) = open();
        deferral_in_the_confirm_view(&mut app, &mut host);
        let before = app.meeting().state().clone();
        let effects = app.update(Action::Record);
        let [Effect::Record(p)] = effects.as_slice() else {
            panic!("one record effect: {effects:?}")
        };
        assert!(matches!(&p.event, LogEvent::Decision(d) if d.case_ref == "FA-2026-013"));
        assert_eq!(
            app.meeting().state(),
            &before,
            "update itself writes nothing"
        );
        assert!(
            app.update(Action::Record).is_empty(),
            "a second Enter while writing does nothing"
        );
        // The outcome comes back as a message; a failure leaves the confirm view open.
        app.update(Msg::RecordFailed("the disk is full".into()));
        assert!(app.status().contains("✗ Not recorded: the disk is full"));
        assert!(matches!(app.modal(), Some(Modal::Confirm(_))));
        assert_eq!(app.meeting().state(), &before);
    }

    #[test]
    fn a_failed_write_says_so_on_screen_and_memory_is_unchanged_then_a_retry_records() {
        let (mut app, mut host) = open();
        deferral_in_the_confirm_view(&mut app, &mut host);
        let written = host.log().entries().len();
        let before = app.meeting().state().clone();
        let summary = app.meeting().summary();
        host.log_mut()
            .fail_with("No space left on device (os error 28)");
        keys(&mut app, &mut host, "\n");
        assert!(
            app.status().starts_with(
                "✗ Not recorded: No space left on device (os error 28). Nothing changed; Enter tries again"
            ),
            "{}",
            app.status()
        );
        assert!(
            matches!(app.modal(), Some(Modal::Confirm(c)) if !c.writing),
            "the confirm view stays, ready to try again"
        );
        assert_eq!(app.meeting().state(), &before, "memory unchanged");
        assert_eq!(app.meeting().summary(), summary);
        assert_eq!(host.log().entries().len(), written, "nothing written");
        // The screen says so too.
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        t.draw(|f| {
            fairpanel::ui::render(&app, f);
        })
        .unwrap();
        assert!(
            t.backend()
                .to_string()
                .contains("✗ Not recorded: No space left on device")
        );
        // Room on the disk again: Enter records, once.
        host.log_mut().recover();
        keys(&mut app, &mut host, "\n");
        assert!(app.modal().is_none(), "{}", app.status());
        assert_eq!(host.log().entries().len(), written + 1);
        assert!(
            app.status().starts_with("Decision ")
                && app
                    .status()
                    .contains("FA-2026-013 → deferred for more information"),
            "{}",
            app.status()
        );
        assert_eq!(
            app.meeting().state().entries(),
            host.log().entries(),
            "memory is exactly what the log holds"
        );
    }
}

/// Status line, queue, detail and minutes read one meeting view: after two of the three overdue
/// cases are placed, all four say the same (the screen once said "6 overdue" while the minutes
/// said 3, and a placed case kept its OVERDUE header). Three more demo cases are at school day
/// 20 on the meeting date: on time, not overdue (School Admissions Code 2021 3.21).
#[test]
fn status_queue_detail_and_minutes_agree_after_placing_overdue_cases() {
    use fairpanel::domain::view::ClockState;
    let mut m = meeting::open();
    let overdue_before: Vec<String> = m
        .app
        .queue()
        .iter()
        .filter(|i| m.app.meeting().facts(**i).unwrap().clock_state() == ClockState::Overdue)
        .map(|i| m.app.caseload().cases[*i].reference.clone())
        .collect();
    assert_eq!(
        overdue_before,
        ["FA-2025-131", "FA-2026-001", "FA-2026-010"],
        "past school day 20"
    );
    meeting::attend(&mut m, 4);
    // Two of them placed, each at a different school.
    for (case, school) in [
        ("FA-2025-131", "barr beacon"),
        ("FA-2026-010", "pool hayes"),
    ] {
        meeting::select(&mut m, case);
        meeting::fill_decision(
            &mut m,
            Outcome::AllocateSchool,
            Some(school),
            "Place in the year group agreed on the evidence",
        );
        meeting::press(&mut m, KeyCode::Enter);
        assert!(m.app.modal().is_none(), "{case}: {}", m.app.status());
    }
    let placed = ["FA-2025-131", "FA-2026-010"];
    // The status line (shown when there is no last action: Esc clears nothing, so read the
    // meeting's own count and the line built from it).
    let summary = m.app.meeting().summary();
    assert_eq!(summary.overdue, 1);
    // The minutes, from the log alone.
    let reader = fairpanel::log::Store::open_reader(&m.path).unwrap();
    let row = reader.meetings().unwrap().pop().unwrap();
    let minutes = fairpanel::io::minutes::build(&reader, &row, false).unwrap();
    assert_eq!(minutes.overdue.len(), summary.overdue);
    for r in placed {
        assert!(!minutes.overdue.contains(&r.to_owned()), "{r}");
        let cm = minutes
            .cases_considered
            .iter()
            .find(|c| c.reference == r)
            .unwrap();
        assert_eq!(
            serde_json::to_value(cm.clock.state).unwrap(),
            "stopped",
            "{r}"
        );
    }
    // The queue and the detail, as drawn.
    let draw = |app: &fairpanel::app::App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        t.draw(|f| {
            fairpanel::ui::render(app, f);
        })
        .unwrap();
        t.backend().to_string()
    };
    meeting::select(&mut m, "FA-2026-010");
    let screen = draw(&m.app);
    // The queue is the left pane: its rows are the first 48 columns of the body.
    let queue: Vec<String> = screen
        .lines()
        .map(|l| l.chars().skip(1).take(48).collect())
        .filter(|l: &String| l.starts_with('│'))
        .collect();
    let overdue_rows = queue.iter().filter(|l| l.contains('‼')).count();
    assert_eq!(overdue_rows, summary.overdue, "{screen}");
    for r in placed {
        let row = queue.iter().find(|l| l.contains(r)).unwrap();
        assert!(row.contains("✓ placed"), "{row}");
    }
    assert!(
        !screen.contains("OVERDUE"),
        "the placed case's detail no longer says OVERDUE:\n{screen}"
    );
    assert!(screen.contains("clock stopped"), "{screen}");
    // The status line's own count, once the last action has been read (a view switch clears
    // nothing: the count shows when the status is empty, as on a fresh screen).
    let fresh = fairpanel::app::App::new(
        fairpanel::domain::meeting::Meeting::new(
            m.app.caseload().clone(),
            m.app.meeting().state().entries(),
        ),
        fairpanel::app::Source::Demo,
    );
    assert!(
        draw(&fresh).contains(&format!("{} overdue", summary.overdue)),
        "{}",
        draw(&fresh)
    );
}

// ---------------------------------------------------------------------------------------------
// Cases added and amended during the meeting: the late referral (N) and amend (E) forms.

mod cases {
    use fairpanel::app::form::{Body, CaseDraft, Modal, Row};
    use fairpanel::app::keymap::Action;
    use fairpanel::app::{App, Effect};
    use fairpanel::domain::caseload::{Case, CaseKind, Category, Sex, Status};
    use fairpanel::domain::event::Event as LogEvent;
    use ratatui::crossterm::event::KeyCode;

    use super::meeting::{self, Meeting, ctrl, cursor, press, stored, tab_to, type_str};

    /// The case form open on screen.
    fn draft(app: &App) -> &CaseDraft {
        match app.modal() {
            Some(Modal::Form(f)) => match &f.body {
                Body::Case(c) => c,
                other => panic!("not a case form: {other:?}"),
            },
            other => panic!("no form open: {other:?}"),
        }
    }

    /// Empties the text field under the cursor.
    fn clear(m: &mut Meeting) {
        let Some(Modal::Form(f)) = m.app.modal() else {
            panic!("no form open")
        };
        let n = f.input(f.cursor).map_or(0, |i| i.value().chars().count());
        press(m, KeyCode::End);
        for _ in 0..n {
            press(m, KeyCode::Backspace);
        }
    }

    /// N, then every field of a late referral filled in (a Fair Access case of a child missing
    /// education, invented), leaving the form open on the categories.
    fn fill_late_referral(m: &mut Meeting, birth: &str, categories: &str) {
        press(m, KeyCode::Char('N'));
        assert_eq!(cursor(&m.app), Row::CaseKind, "{}", m.app.status());
        tab_to(m, Row::ReferrerOrganisation);
        type_str(m, "Walsall Council");
        tab_to(m, Row::ReferrerRole);
        type_str(m, "Children missing education officer");
        tab_to(m, Row::CaseStatus);
        press(m, KeyCode::Right); // child missing education
        tab_to(m, Row::GivenName);
        type_str(m, "Zephyrine");
        tab_to(m, Row::FamilyName);
        type_str(m, "Quillfeather");
        tab_to(m, Row::Birth);
        type_str(m, birth);
        tab_to(m, Row::Sex);
        press(m, KeyCode::Char(' ')); // female
        tab_to(m, Row::Categories);
        type_str(m, categories);
    }

    #[test]
    fn a_late_referral_goes_form_confirm_enter_and_joins_the_queue_selected() {
        let mut m = meeting::open();
        // Someone present first: the meeting's first entry also writes the caseload revision.
        meeting::attend(&mut m, 1);
        let before = stored(&m.path);
        let cases = m.app.caseload().cases.len();
        let queue = m.app.queue().len();
        fill_late_referral(
            &mut m,
            "2012-10-01",
            "l: out of school since January; b: refuge letter",
        );
        let reference = draft(&m.app).reference.value().to_owned();
        assert!(reference.starts_with("FA-2026-"), "{reference}");
        assert!(
            !m.app
                .caseload()
                .cases
                .iter()
                .any(|c| c.reference == reference),
            "the reference offered is free: {reference}"
        );

        // Ctrl-S: the confirm view, the rules' verdict, nothing written.
        ctrl(&mut m, 's');
        let Some(Modal::Confirm(c)) = m.app.modal() else {
            panic!("confirm view: {}", m.app.status())
        };
        assert!(!c.refused(), "{:?}", c.hits);
        let LogEvent::CaseAdded { case } = &c.proposal.event else {
            panic!("a case added: {:?}", c.proposal.event)
        };
        assert_eq!(case.reference, reference);
        assert_eq!(case.kind, CaseKind::FairAccess);
        assert_eq!(case.status, Status::Cme);
        assert_eq!(case.referral_date, m.app.meeting().meeting_date());
        assert_eq!(case.referrer.organisation, "Walsall Council");
        assert_eq!(case.pupil.given_name, "Zephyrine");
        assert_eq!(case.pupil.date_of_birth.to_string(), "2012-10-01");
        assert_eq!(case.pupil.sex, Sex::Female);
        let codes: Vec<Category> = case.categories.iter().map(|k| k.code).collect();
        assert_eq!(codes, [Category::L, Category::B]);
        assert_eq!(case.categories[1].evidence, "refuge letter");
        assert!(case.in_year_apps.is_empty() && case.notes.is_none());
        assert_eq!(stored(&m.path), before, "the confirm view writes nothing");

        // Enter is an effect for the runtime to perform: update itself changes nothing.
        let state = m.app.meeting().state().clone();
        let effects = m.app.update(Action::Record);
        let [Effect::Record(p)] = effects.as_slice() else {
            panic!("one record effect: {effects:?}")
        };
        assert!(matches!(&p.event, LogEvent::CaseAdded { case } if case.reference == reference));
        assert_eq!(m.app.meeting().state(), &state);
        assert_eq!(m.app.caseload().cases.len(), cases);

        // Performed: one entry, the case in the caseload, at the end of the queue, selected,
        // and found by the search.
        m.host.settle(&mut m.app, effects);
        assert!(m.app.modal().is_none(), "{}", m.app.status());
        assert_eq!(stored(&m.path), before + 1);
        assert_eq!(m.app.caseload().cases.len(), cases + 1);
        assert_eq!(m.app.queue().len(), queue + 1);
        let i = m.app.selected_case().expect("selected");
        assert_eq!(m.app.caseload().cases[i].reference, reference);
        assert!(
            m.app
                .status()
                .contains(&format!("case added: {reference} (Fair Access)")),
            "{}",
            m.app.status()
        );
        assert!(!m.app.status().contains("Zephyrine"));
        press(&mut m, KeyCode::Char('g'));
        meeting::select(&mut m, &reference);
        press(&mut m, KeyCode::Char('/'));
        type_str(&mut m, "quillfeather");
        press(&mut m, KeyCode::Enter);
        let i = m.app.selected_case().expect("found by name");
        assert_eq!(m.app.caseload().cases[i].reference, reference);
        meeting::memory_matches_disk(&m);
    }

    /// A late referral with its in-year applications (gate 2 of Fair Access): written with the
    /// case, so the rules find an in-year attempt; a line that cannot be read is named.
    #[test]
    fn a_late_referral_carries_its_in_year_applications() {
        let mut m = meeting::open();
        meeting::attend(&mut m, 1);
        fill_late_referral(&mut m, "2012-10-01", "b: refuge letter");
        tab_to(&mut m, Row::Applications);
        type_str(&mut m, "142594 2026-02-10 refused; 136777 2026-02-20 maybe");
        ctrl(&mut m, 's');
        assert_eq!(cursor(&m.app), Row::Applications);
        assert!(
            m.app
                .status()
                .contains("application 2 of 2 needs its outcome"),
            "{}",
            m.app.status()
        );
        for _ in 0.."maybe".len() {
            press(&mut m, KeyCode::Backspace);
        }
        type_str(&mut m, "no place");
        ctrl(&mut m, 's');
        let Some(Modal::Confirm(c)) = m.app.modal() else {
            panic!("confirm view: {}", m.app.status())
        };
        let LogEvent::CaseAdded { case } = &c.proposal.event else {
            panic!("a case added")
        };
        assert_eq!(case.in_year_apps.len(), 2);
        let reference = case.reference.clone();
        press(&mut m, KeyCode::Enter);
        let i = m.app.meeting().case_index(&reference).expect("added");
        let checks = m.app.meeting().working(i).checks;
        assert!(
            !checks.iter().any(|h| h.rule.name == "no-in-year-attempt"),
            "{checks:?}"
        );
    }

    #[test]
    fn a_field_that_cannot_be_read_is_named_and_what_was_typed_is_never_repeated() {
        let mut m = meeting::open();
        let before = stored(&m.path);
        fill_late_referral(
            &mut m,
            "2012-13-41",
            "b: housing officer's letter; z: Zephyrine's aunt",
        );
        let clean = |app: &App| {
            for secret in ["2012-13-41", "Zephyrine", "Quillfeather", "housing", "aunt"] {
                assert!(!app.status().contains(secret), "{secret}: {}", app.status());
            }
        };
        ctrl(&mut m, 's');
        assert_eq!(cursor(&m.app), Row::Birth, "{}", m.app.status());
        assert_eq!(
            m.app.status(),
            "Date of birth: not a real date; write YYYY-MM-DD"
        );
        clean(&m.app);

        clear(&mut m);
        type_str(&mut m, "2012-10-01");
        ctrl(&mut m, 's');
        assert_eq!(cursor(&m.app), Row::Categories, "{}", m.app.status());
        assert!(
            m.app.status().starts_with(
                "Categories: claim 2 of 2 does not start with a category letter a to m"
            ),
            "{}",
            m.app.status()
        );
        clean(&m.app);

        // A letter without its colon, and the sex not given.
        clear(&mut m);
        type_str(&mut m, "b housing officer's letter");
        ctrl(&mut m, 's');
        assert!(
            m.app
                .status()
                .contains("needs a colon after its letter (b)"),
            "{}",
            m.app.status()
        );
        clean(&m.app);
        clear(&mut m);
        type_str(&mut m, "b: housing officer's letter");

        // The rules' findings about the case name its field, never its values, and Esc from
        // the confirm view puts the cursor on that field: a reference already used, a child
        // of two.
        tab_to(&mut m, Row::CaseRef);
        clear(&mut m);
        type_str(&mut m, "FA-2026-003");
        tab_to(&mut m, Row::Birth);
        clear(&mut m);
        type_str(&mut m, "2024-01-01");
        ctrl(&mut m, 's');
        let Some(Modal::Confirm(c)) = m.app.modal() else {
            panic!("confirm view: {}", m.app.status())
        };
        assert!(c.refused());
        let lines: Vec<String> = c.hits.iter().map(|h| h.line()).collect();
        let all = lines.join("\n");
        assert!(all.contains("ref:"), "{all}");
        assert!(all.contains("pupil.date_of_birth:"), "{all}");
        assert!(
            !all.contains("2024-01-01") && !all.contains("Zephyrine"),
            "{all}"
        );
        press(&mut m, KeyCode::Enter);
        assert!(
            m.app.status().starts_with("✗ Refused"),
            "{}",
            m.app.status()
        );
        press(&mut m, KeyCode::Esc);
        assert_eq!(cursor(&m.app), Row::CaseRef, "the first refusal's field");
        assert_eq!(stored(&m.path), before, "nothing written");
    }

    #[test]
    fn a_late_referral_never_guesses_the_sex_and_its_reference_follows_the_kind_until_typed() {
        let mut m = meeting::open();
        press(&mut m, KeyCode::Char('N'));
        assert_eq!(draft(&m.app).sex, None);
        tab_to(&mut m, Row::Sex);
        press(&mut m, KeyCode::Left);
        assert_eq!(draft(&m.app).sex, Some(Sex::Male));
        press(&mut m, KeyCode::Char(' '));
        assert_eq!(draft(&m.app).sex, Some(Sex::Female));
        // The kind moves the reference fairpanel offered with it, until one is typed.
        tab_to(&mut m, Row::CaseKind);
        press(&mut m, KeyCode::Right);
        assert_eq!(draft(&m.app).kind, CaseKind::ManagedMove);
        assert!(draft(&m.app).reference.value().starts_with("MM-2026-"));
        assert!(
            m.app
                .form_rows(match m.app.modal() {
                    Some(Modal::Form(f)) => f,
                    _ => unreachable!(),
                })
                .contains(&Row::ProposedSchool),
            "a managed move asks for the proposed school"
        );
        tab_to(&mut m, Row::ProposedSchool);
        type_str(&mut m, "pool hayes");
        assert_eq!(draft(&m.app).proposed_school, Some(142594));
        tab_to(&mut m, Row::CaseRef);
        type_str(&mut m, "X");
        tab_to(&mut m, Row::CaseKind);
        press(&mut m, KeyCode::Right);
        assert!(
            draft(&m.app).reference.value().ends_with('X'),
            "a typed one stays"
        );
        // Esc on a form holding input asks first.
        press(&mut m, KeyCode::Esc);
        assert!(
            m.app.status().contains("late referral"),
            "{}",
            m.app.status()
        );
    }

    #[test]
    fn an_amendment_is_prefilled_needs_a_reason_and_keeps_what_the_form_does_not_show() {
        let mut m = meeting::open();
        meeting::attend(&mut m, 1);
        meeting::select(&mut m, "FA-2026-003");
        let before = stored(&m.path);
        let i = m.app.selected_case().expect("selected");
        let old: Case = m.app.caseload().cases[i].clone();
        let queue = m.app.queue().to_vec();
        press(&mut m, KeyCode::Char('E'));
        assert_eq!(cursor(&m.app), Row::CaseReason, "{}", m.app.status());
        assert_eq!(draft(&m.app).given_name.value(), old.pupil.given_name);
        assert_eq!(
            draft(&m.app).date_of_birth.value(),
            old.pupil.date_of_birth.to_string()
        );
        // The reason first: Ctrl-S without one stays in the form, on it.
        ctrl(&mut m, 's');
        assert!(matches!(m.app.modal(), Some(Modal::Form(_))));
        assert_eq!(cursor(&m.app), Row::CaseReason);
        assert!(
            m.app.status().contains("fill this in first"),
            "{}",
            m.app.status()
        );
        type_str(&mut m, "Date of birth corrected from the birth certificate");
        tab_to(&mut m, Row::Birth);
        // One day earlier in the month (the demo's dates are not the 1st).
        let dob = old.pupil.date_of_birth;
        let new_dob = fairpanel::domain::dates::Date(dob.0 - chrono::Days::new(1));
        clear(&mut m);
        type_str(&mut m, &new_dob.to_string());
        tab_to(&mut m, Row::Lac);
        press(&mut m, KeyCode::Char(' '));
        press(&mut m, KeyCode::Char(' ')); // and back: unchanged
        ctrl(&mut m, 's');
        let Some(Modal::Confirm(c)) = m.app.modal() else {
            panic!("confirm view: {}", m.app.status())
        };
        let LogEvent::CaseAmended { case, reason } = &c.proposal.event else {
            panic!("an amendment: {:?}", c.proposal.event)
        };
        assert_eq!(reason, "Date of birth corrected from the birth certificate");
        let mut want = old.clone();
        want.pupil.date_of_birth = new_dob;
        assert_eq!(**case, want, "only the date of birth changed");
        assert_eq!(stored(&m.path), before);
        press(&mut m, KeyCode::Enter);
        assert!(m.app.modal().is_none(), "{}", m.app.status());
        assert_eq!(stored(&m.path), before + 1);
        assert_eq!(m.app.caseload().cases[i], want);
        assert_eq!(m.app.queue(), queue.as_slice(), "the queue keeps its order");
        assert!(
            m.app.status().contains("case amended: FA-2026-003"),
            "{}",
            m.app.status()
        );
        meeting::memory_matches_disk(&m);
    }
}

/// The decision form's last row takes the actions agreed, as `OWNER: WHAT [by DATE]; …`; the
/// confirm view shows them, Enter records them with the decision, and a malformed list keeps
/// the form open on the row, saying what is wrong.
#[test]
fn actions_with_owners_are_typed_in_the_decision_form() {
    use meeting::*;
    let mut m = open();
    attend(&mut m, 4);
    select(&mut m, "FA-2026-008");
    press(&mut m, KeyCode::Char('d'));
    choose_outcome(&mut m, Outcome::DeferMoreInfo);
    tab_to(&mut m, Row::Reasons);
    type_str(&mut m, "Awaiting the housing officer's report");
    tab_to(&mut m, Row::AllAgree);
    press(&mut m, KeyCode::Char(' '));
    tab_to(&mut m, Row::Actions);
    type_str(&mut m, "Housing officer report");
    ctrl(&mut m, 's');
    assert!(
        matches!(m.app.modal(), Some(Modal::Form(_))),
        "{}",
        m.app.status()
    );
    assert_eq!(cursor(&m.app), Row::Actions);
    assert!(
        m.app.status().contains("say who does it first"),
        "{}",
        m.app.status()
    );
    for _ in 0.."Housing officer report".len() {
        press(&mut m, KeyCode::Backspace);
    }
    type_str(&mut m, "Housing: send the officer's report by 2026-03-20");
    ctrl(&mut m, 's');
    assert!(
        matches!(m.app.modal(), Some(Modal::Confirm(_))),
        "{}",
        m.app.status()
    );
    press(&mut m, KeyCode::Enter);
    let (_, d) = m
        .app
        .meeting()
        .state()
        .current_decision("FA-2026-008")
        .expect("recorded");
    assert_eq!(d.actions.len(), 1);
    assert_eq!(d.actions[0].owner, "Housing");
    assert_eq!(
        d.actions[0].by,
        Some(fairpanel::domain::dates::Date::parse("2026-03-20").unwrap())
    );
}
