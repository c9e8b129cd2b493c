//! Level 2 of the UI tests: whole rendered frames (TestBackend + insta), and cell styles where
//! text alone cannot show what matters (highlights, colour-free states).

use fairpanel::app::{App, Msg, Source};
use fairpanel::domain::meeting::Meeting as DomainMeeting;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use fairpanel::log::{MemoryLog, Session};
use fairpanel::runtime::Host;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;

/// Hands a key to the app and performs what follows from it.
type Step = dyn FnMut(&mut App, &Event);

/// The screen and the runtime that performs its effects (a log in memory for browsing, a log
/// file for the meeting's forms).
struct Screen {
    app: App,
    step: Box<Step>,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for Screen {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

fn now() -> String {
    "2026-03-12T09:30:00.000Z".to_owned()
}

fn demo() -> Screen {
    let c = caseload::parse(DEMO_CASELOAD).expect("demo loads").caseload;
    let mut host = Host::new(MemoryLog::new(), now);
    Screen {
        app: App::new(DomainMeeting::new(c, &[]), Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: None,
    }
}

fn press(app: &mut Screen, code: KeyCode, mods: KeyModifiers) {
    let Screen { app, step, .. } = app;
    step(app, &Event::Key(KeyEvent::new(code, mods)));
}

fn keys(app: &mut Screen, s: &str) {
    for c in s.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\u{1b}' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        press(app, code, KeyModifiers::NONE);
    }
}

fn draw(app: &mut Screen, w: u16, h: u16) -> Terminal<TestBackend> {
    app.app.update(Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    let mut rows = 0;
    t.draw(|f| rows = fairpanel::ui::render(&app.app, f).list_rows)
        .expect("draw");
    app.app.update(Msg::ListRows(rows));
    t
}

fn screen(t: &Terminal<TestBackend>) -> String {
    t.backend().to_string()
}

#[test]
fn queue_screen_share_120x40() {
    let mut app = demo();
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    assert!(s.contains("SCREEN-SHARE") && s.contains("DEMO"));
    for c in &app.caseload().cases {
        assert!(
            !s.contains(&c.pupil.family_name),
            "family name shown in screen-share mode"
        );
    }
    insta::assert_snapshot!(t.backend());
}

#[test]
fn queue_names_shown_120x40() {
    let mut app = demo();
    keys(&mut app, "s\n");
    let t = draw(&mut app, 120, 40);
    assert!(screen(&t).contains("NAMES SHOWN"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn queue_80x24_collapses_the_places_strip() {
    let mut app = demo();
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    assert!(!s.contains("Places ·"), "places strip collapses first");
    assert!(s.contains("Queue") && s.contains("? help"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn narrow_terminal_shows_one_pane_and_enter_opens_detail() {
    let mut app = demo();
    let t = draw(&mut app, 60, 20);
    assert!(screen(&t).contains("Queue"));
    keys(&mut app, "\n");
    let t = draw(&mut app, 60, 20);
    let s = screen(&t);
    assert!(!s.contains("Queue") && s.contains("Agreed"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn detail_of_an_overdue_case_names_the_breach_in_words() {
    let mut app = demo();
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    let first = &app.meeting().facts(app.queue()[0]).unwrap().clock;
    assert!(
        first.left().is_some_and(|l| l < 0),
        "demo's most urgent case is overdue"
    );
    assert!(
        s.contains("OVERDUE by"),
        "never colour alone: the word is there"
    );
    assert!(s.contains("‼"), "and the symbol");
}

#[test]
fn search_highlights_matched_characters() {
    let mut app = demo();
    keys(&mut app, "s\n/zoeh");
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    assert!(s.contains("/ zoeh"));
    insta::assert_snapshot!(t.backend());
    // The selected row is the first under the search line; Z, o, ë and H of "Zoë Hart" are
    // highlighted (bold + underlined), other name letters are not.
    let buf = t.backend().buffer();
    let row = 3u16;
    let line: String = (0..50).map(|x| buf[(x, row)].symbol().to_owned()).collect();
    let start = line.find("Zoë Hart").expect("selected row shows the name") as u16;
    let x_of = |byte: u16| line[..byte as usize].chars().count() as u16;
    let hl = |x: u16| buf[(x, row)].modifier.contains(Modifier::UNDERLINED);
    assert!(hl(x_of(start)), "Z highlighted");
    assert!(hl(x_of(start) + 1), "o highlighted");
    assert!(hl(x_of(start) + 2), "ë highlighted (accent folded)");
    assert!(!hl(x_of(start) + 3), "space not highlighted");
    assert!(hl(x_of(start) + 4), "H highlighted");
    assert!(!hl(x_of(start) + 5), "a not highlighted");
}

#[test]
fn a_reference_typed_is_the_only_hit_and_is_highlighted() {
    let mut app = demo();
    keys(&mut app, "/014");
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    assert!(s.contains("1 of 36"), "{s}");
    let buf = t.backend().buffer();
    let row = 3u16;
    let line: String = (0..50).map(|x| buf[(x, row)].symbol().to_owned()).collect();
    let start = line.find("FA-2026-014").expect("the hit is the first row") as u16;
    let hl = |x: u16| buf[(x, row)].modifier.contains(Modifier::UNDERLINED);
    let marked: String = (start..start + 11)
        .filter(|&x| hl(x))
        .map(|x| buf[(x, row)].symbol().to_owned())
        .collect();
    assert_eq!(marked, "014", "{line}");
}

/// Issue 12 §1: with names hidden the search line shows how much was typed, not what, and the
/// hits show initials.
#[test]
fn search_in_screen_share_masks_what_is_typed_and_shows_initials() {
    let mut app = demo();
    keys(&mut app, "/zoe h");
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    assert!(s.contains("/ •••••▏"), "{s}");
    assert!(!s.contains("zoe h"), "what was typed is not shown: {s}");
    assert!(s.contains("Z.H."));
    assert!(!s.contains("Zoë"), "the hidden name never appears");
    // The question before names are shown says who will see them.
    keys(&mut app, "\u{1b}s");
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    assert!(s.contains("Show pupils' names on this screen?"), "{s}");
    assert!(s.contains("Everyone who can see this screen"), "{s}");
    assert!(s.contains("Enter: show names"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn help_overlay_is_generated_from_the_keymap() {
    let mut app = demo();
    keys(&mut app, "?");
    let t = draw(&mut app, 100, 160);
    let s = screen(&t);
    for (_, keys, what) in fairpanel::app::keymap::help_rows(fairpanel::app::keymap::Scope::Browse)
    {
        assert!(
            s.contains(&keys) && s.contains(what),
            "{keys} {what} missing from help"
        );
    }
    insta::assert_snapshot!(t.backend());
}

#[test]
fn schools_view() {
    let mut app = demo();
    keys(&mut app, "2");
    let t = draw(&mut app, 120, 40);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn places_view() {
    let mut app = demo();
    keys(&mut app, "3");
    let t = draw(&mut app, 120, 30);
    insta::assert_snapshot!(t.backend());
}

#[test]
fn no_color_keeps_symbols_and_modifiers_but_sets_no_colours() {
    let mut app = demo();
    app.app = std::mem::replace(
        &mut app.app,
        App::new(
            DomainMeeting::new(caseload::parse(DEMO_CASELOAD).unwrap().caseload, &[]),
            Source::Demo,
        ),
    )
    .with_color(false);
    let t = draw(&mut app, 120, 40);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "no foreground colour under NO_COLOR"
        );
    }
    assert!(screen(&t).contains("‼"));
}

#[test]
fn rows_never_cut_the_clock_even_with_names_at_80_columns() {
    let mut app = demo();
    keys(&mut app, "s\n");
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    let first = &app.meeting().facts(app.queue()[0]).unwrap().clock;
    let want = format!("{}/{}", first.since_agreed.unwrap(), first.aim);
    let row = s.lines().find(|l| l.contains('▶')).unwrap();
    assert!(row.contains(&want), "{row}");
}

fn jump_to(app: &mut Screen, reference: &str) {
    keys(app, "/");
    keys(app, reference);
    keys(app, "\n");
    let i = app.selected_case().expect("selected");
    assert_eq!(app.caseload().cases[i].reference, reference);
}

#[test]
fn checks_panel_names_the_rule_and_its_source() {
    let mut app = demo();
    jump_to(&mut app, "FA-2026-017");
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    assert!(
        s.contains("✗ a child with an EHC plan"),
        "refusal shown with symbol and words"
    );
    assert!(s.contains("ehcp-route"), "rule name");
    assert!(
        s.contains("School Admissions Code 2021 3.17"),
        "source, in words"
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn suggestion_list_shows_the_figures_that_rank_it() {
    let mut app = demo();
    jump_to(&mut app, "FA-2026-013");
    let t = draw(&mut app, 130, 45);
    let s = screen(&t);
    assert!(s.contains("Suggested    1 ✓ "), "{s}");
    assert!(s.contains("/100)") && s.contains("this year") && s.contains(" km"));
    assert!(s.contains("more: o lists every school, ranked"), "{s}");
    insta::assert_snapshot!(t.backend());
}

/// Issue 12 §2: the pupil's preferences always show, a refused one marked ✗ with the rule's
/// reason, one that needs a reason marked !, and `o` lists every school, ranked.
#[test]
fn preferences_always_show_refused_marked_with_the_reason_and_o_lists_every_school() {
    let mut c = caseload::parse(DEMO_CASELOAD).expect("demo").caseload;
    let tyler = c
        .cases
        .iter_mut()
        .find(|k| k.reference == "FA-2025-131")
        .expect("FA-2025-131");
    // A boy whose third preference is Queen Mary's High School (girls only).
    tyler.preferences.push(136777);
    let mut host = Host::new(MemoryLog::new(), now);
    let mut m = Screen {
        app: App::new(DomainMeeting::new(c, &[]), Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: None,
    };
    key(&mut m, KeyCode::Tab, KeyModifiers::NONE);
    for _ in 0..4 {
        key(&mut m, KeyCode::PageDown, KeyModifiers::NONE);
    }
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(
        s.contains("Preferences  1 Pool Hayes Academy · ✓ suggested 11th"),
        "{s}"
    );
    assert!(
        s.contains("2 Willenhall E-ACT Academy · ! needs a reason"),
        "{s}"
    );
    assert!(
        s.contains("3 Queen Mary's High School · ✗ refused: a single-sex"),
        "{s}"
    );
    assert!(s.contains("(single-sex)"), "{s}");
    keys(&mut m, "\u{1b}o");
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    assert!(s.contains("Schools for FA-2025-131 · T.B."), "{s}");
    assert!(s.contains("▶ 1 ✓ St Francis of Assisi"), "{s}");
    assert!(s.contains("14 ! Queen Mary's Grammar School"), "{s}");
    insta::assert_snapshot!("ranked_list_80x24", t.backend());
    for _ in 0..20 {
        key(&mut m, KeyCode::Down, KeyModifiers::NONE);
    }
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(s.contains("17 ! Willenhall E-ACT Academy"), "{s}");
    assert!(
        s.contains("Queen Mary's High School · preference 3 · ✗ refused"),
        "{s}"
    );
}

#[test]
fn schools_tally_view_shows_share_against_an_even_split() {
    let mut app = demo();
    keys(&mut app, "2/blue coat church of england academy\n");
    let t = draw(&mut app, 130, 40);
    let s = screen(&t);
    assert!(s.contains("Fair Access placements"), "{s}");
    assert!(s.contains("even split by roll"));
    insta::assert_snapshot!(t.backend());
}

// ---------------------------------------------------------------------------------------------
// The meeting's forms, with a real session on a temporary log.

fn meeting() -> Screen {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("meeting.fairpanel-log");
    let c = caseload::parse(DEMO_CASELOAD).expect("demo loads").caseload;
    let (s, m) = Session::open(
        fairpanel::log::Store::open_writer(&path).expect("log"),
        c,
        DEMO_CASELOAD,
    )
    .expect("session");
    let mut host = Host::new(s, now);
    Screen {
        app: App::new(m, Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: Some(dir),
    }
}

fn key(app: &mut Screen, code: KeyCode, mods: KeyModifiers) {
    press(app, code, mods);
}

fn tab(app: &mut Screen, n: usize) {
    for _ in 0..n {
        key(app, KeyCode::Tab, KeyModifiers::NONE);
    }
}

/// `n` members present (4 make the demo quorate), then the case `reference` selected.
fn quorate_on(app: &mut Screen, reference: &str, n: usize) {
    keys(app, "a");
    keys(app, &"\n\n".repeat(n));
    keys(app, "\u{1b}");
    keys(app, &format!("/{reference}\n"));
}

/// The decision form for FA-2026-012 (permanently excluded twice): an interim AP place at New
/// Leaf School, typed into the school field.
fn ap_decision_form(app: &mut Screen) {
    quorate_on(app, "FA-2026-012", 4);
    keys(app, "d");
    key(app, KeyCode::Right, KeyModifiers::NONE); // allocate_ap_interim
    tab(app, 1);
    keys(app, "new leaf");
}

#[test]
fn decision_form_120x40() {
    let mut m = meeting();
    ap_decision_form(&mut m);
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(s.contains("Decision · FA-2026-012 · K.D."), "{s}");
    assert!(s.contains("Interim AP place"), "{s}");
    assert!(
        !s.contains("allocate_ap_interim"),
        "words, not identifiers: {s}"
    );
    assert!(
        s.contains("→ New Leaf School · URN 151297"),
        "the chosen school: {s}"
    );
    assert!(
        s.contains("✓ New Leaf School · KS3: 1 of 4 left · ✓ with a warning"),
        "ticked in the list: {s}"
    );
    assert!(
        s.contains("Y9 on this date"),
        "year group on the start date: {s}"
    );
    assert!(!s.contains("Kieran"), "no name in screen-share mode");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn decision_form_80x24_scrolls_to_keep_the_cursor_in_view() {
    let mut m = meeting();
    quorate_on(&mut m, "FA-2026-003", 8);
    keys(&mut m, "d");
    tab(&mut m, 1);
    keys(&mut m, "academy"); // five matches listed
    for _ in 0..30 {
        key(&mut m, KeyCode::Down, KeyModifiers::NONE); // row by row to the last row
    }
    // The actions are the last row, the override reason above them; the last member is just
    // above that.
    key(&mut m, KeyCode::Up, KeyModifiers::NONE);
    key(&mut m, KeyCode::Up, KeyModifiers::NONE);
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    let cursor = s
        .lines()
        .find(|l| l.contains('▶'))
        .expect("the cursor row shows");
    assert!(cursor.contains("Lucy Bradbury"), "{s}");
    assert!(
        !s.contains("Allocate a school place"),
        "the top rows scrolled away: {s}"
    );
    assert!(
        s.contains('…'),
        "long rows end in an ellipsis, never cut silently: {s}"
    );
    insta::assert_snapshot!(t.backend());
}

/// Issue 12 §3, §5: at 80×24 the form shows the case's checks above its fields, the outcomes
/// in words with their letters, the suggestions in the school list marked as the rules judge
/// them, and every line of the reasons as typed.
#[test]
fn decision_form_80x24_outcomes_in_words_suggestions_and_reasons_in_full() {
    let mut m = meeting();
    quorate_on(&mut m, "FA-2026-003", 4);
    keys(&mut m, "d");
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    assert!(
        s.contains("Checks"),
        "the case's checks above the fields: {s}"
    );
    assert!(s.contains("▸a Allocate a school place"), "{s}");
    assert!(s.contains("d Defer for more information"), "{s}");
    assert!(s.contains("Suggested"), "{s}");
    assert!(s.contains("St Francis of Assisi Cathol… · ✓"), "{s}");
    insta::assert_snapshot!("decision_form_80x24", t.backend());
    tab(&mut m, 6); // school, start, review, package, reduced timetable, reasons
    keys(
        &mut m,
        "The Streetly Academy has a Y10 place and is on the direct bus route from the refuge.",
    );
    key(&mut m, KeyCode::Enter, KeyModifiers::NONE);
    keys(&mut m, "Reviewed with the refuge's support worker.");
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    for word in ["Streetly", "direct", "refuge.", "Reviewed", "worker."] {
        assert!(s.contains(word), "{word} shows at 80 columns: {s}");
    }
    insta::assert_snapshot!("decision_form_80x24_reasons", t.backend());
}

#[test]
fn help_from_the_confirm_view_starts_with_its_keys_at_80x24() {
    let mut m = meeting();
    ap_decision_form(&mut m);
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    key(&mut m, KeyCode::F(1), KeyModifiers::NONE);
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    let first_section = s
        .lines()
        .find(|l| l.contains("In ") || l.contains("Lists and detail"))
        .expect("a section title shows");
    assert!(first_section.contains("In the confirm view"), "{s}");
    assert!(s.contains("Enter") && s.contains("record"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn confirm_view_with_warnings() {
    let mut m = meeting();
    ap_decision_form(&mut m);
    keys(&mut m, "\n"); // the best match is chosen: on to the start date
    tab(&mut m, 4); // review, package, reduced timetable, reasons
    keys(
        &mut m,
        "Interim place while a mainstream school is found; reintegration plan at review",
    );
    tab(&mut m, 1);
    keys(&mut m, " "); // everyone present who can decide agrees
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(s.contains("Confirm: record this decision?"), "{s}");
    assert!(
        s.contains("! warning: permanently excluded from two or more schools"),
        "{s}"
    );
    assert!(
        s.contains("(twice-excluded)"),
        "the rule's short id in brackets: {s}"
    );
    assert!(s.contains("(pex-provision-day-6)"), "{s}");
    assert!(
        !s.contains("sex-admitted-unknown"),
        "an AP provision's blank sex admitted is flagged once in the schools view, not on every AP decision: {s}"
    );
    assert!(s.contains("Enter records this in the log"), "{s}");
    assert!(
        s.contains("FA-2026-012 · K.D."),
        "ref and initials, no name: {s}"
    );
    assert!(!s.contains("Kieran") && !s.contains("Doyle"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn refusal_message_in_the_confirm_view_and_status_line() {
    let mut m = meeting();
    // Nobody recorded present: the rules refuse.
    keys(&mut m, "/FA-2026-003\nd");
    tab(&mut m, 6); // to the reasons
    keys(&mut m, "Nearest school with a Y10 place");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    keys(&mut m, "\n");
    let t = draw(&mut m, 100, 30);
    let s = screen(&t);
    assert!(s.contains("✗ refused: the meeting is not quorate"), "{s}");
    assert!(s.contains("(not-quorate)"), "{s}");
    assert!(s.contains("✗ Refused: "), "the status line says so: {s}");
    assert!(s.contains("Nothing was recorded"), "{s}");
    insta::assert_snapshot!(t.backend());
}

/// Issue 18 §1: text that names the pupil is refused in the confirm view with the field and
/// what was found (the strongest finding in each field), never the text.
#[test]
fn confirm_view_names_the_field_a_pupils_identity_is_in_never_the_text() {
    let mut m = meeting();
    keys(&mut m, "/FA-2026-003\nd");
    tab(&mut m, 6); // to the reasons
    keys(&mut m, "ZoeHart born 2 Nov 2010; Zoe keen");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let t = draw(&mut m, 100, 30);
    let s = screen(&t);
    assert!(s.contains("(names-in-free-text)"), "{s}");
    assert!(
        s.contains("reasons: \"born\" or \"DOB\" and a date)"),
        "{s}"
    );
    // Only the reasons row the chair typed holds the text; no finding repeats it.
    assert_eq!(
        s.lines().filter(|l| l.contains("ZoeHart")).count(),
        1,
        "{s}"
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn places_left_live_the_case_log_and_decided_cases_in_the_queue() {
    let mut m = meeting();
    let t = draw(&mut m, 120, 40);
    assert!(screen(&t).contains("New Leaf School (AP)  KS3 1 free of 4"));
    ap_decision_form(&mut m);
    keys(&mut m, "\n");
    tab(&mut m, 4);
    keys(&mut m, "Interim place while a mainstream school is found");
    tab(&mut m, 1);
    keys(&mut m, " ");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    keys(&mut m, "\n");
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(
        s.contains("Decision 6 recorded: FA-2026-012 → New Leaf School"),
        "{s}"
    );
    // The cursor moved on to the next case still waiting for a decision.
    assert!(s.contains("· next: FA-2026-003"), "{s}");
    assert!(s.contains("▶ FA-2026-003"), "{s}");
    keys(&mut m, "/FA-2026-012\n");
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    // The places strip counts the place taken in the log.
    assert!(s.contains("New Leaf School (AP)  KS3 0 free of 4"), "{s}");
    // The detail lists the case's entries; the queue row says it is placed.
    assert!(
        s.contains("#6 ✓ decision: Interim AP place → New Leaf School"),
        "{s}"
    );
    let row = s
        .lines()
        .find(|l| l.contains("▶ FA-2026-012"))
        .expect("selected row");
    assert!(row.contains("✓ placed"), "{row}");
    // The places view says where the place went.
    keys(&mut m, "3");
    let t = draw(&mut m, 120, 30);
    let s = screen(&t);
    assert!(s.contains("New Leaf School (AP) · 0 free"), "{s}");
}

/// Issue 12 §5: 80×24 without loss, and 120×40. At both sizes the title keeps the meeting's
/// date, references are never cut, the footer offers the meeting's keys (A, i, c, m), help
/// lines cut end in an ellipsis, and the confirm view counts its findings at the top. One
/// snapshot each of the queue, a case's detail, the decision form, the confirm view and help.
#[test]
fn queue_detail_form_confirm_and_help_at_80x24_and_120x40() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut m = meeting();
        quorate_on(&mut m, "FA-2026-012", 4);
        keys(&mut m, "s\n"); // names shown: the widest rows
        let t = draw(&mut m, w, h);
        let s = screen(&t);
        let first = s.lines().next().unwrap_or_default();
        assert!(
            first.contains("Thu 12 Mar 2026"),
            "the title keeps the date: {first}"
        );
        for cut in [
            "FA-2026-…",
            "FA-2025-…",
            "FA-202…",
            "FA-20…",
            "MM-2026-…",
            "AP-2026-…",
        ] {
            assert!(!s.contains(cut), "no reference cut ({cut}): {s}");
        }
        let foot = s.lines().last().unwrap_or_default();
        for k in [
            " A agree",
            " i interest",
            " c correct",
            " m minutes",
            " ? help",
            " q quit",
        ] {
            assert!(foot.contains(k), "{w}x{h} footer offers{k}: {foot}");
        }
        keys(&mut m, "s");
        insta::assert_snapshot!(format!("queue_{w}x{h}"), draw(&mut m, w, h).backend());

        keys(&mut m, "\n");
        let t = draw(&mut m, w, h);
        assert!(
            screen(&t).contains("● FA-2026-012"),
            "the detail has the focus"
        );
        insta::assert_snapshot!(format!("detail_{w}x{h}"), t.backend());

        keys(&mut m, "\u{1b}di"); // decide; on the outcome row, i: an interim AP place
        tab(&mut m, 1);
        keys(&mut m, "new leaf\n");
        tab(&mut m, 4);
        keys(&mut m, "Interim place while a mainstream school is found");
        tab(&mut m, 1);
        keys(&mut m, " ");
        let t = draw(&mut m, w, h);
        insta::assert_snapshot!(format!("form_{w}x{h}"), t.backend());

        key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let t = draw(&mut m, w, h);
        let s = screen(&t);
        let top = s.lines().nth(2).unwrap_or_default();
        assert!(
            top.contains("! 3 findings: read them before Enter records"),
            "the count of findings first: {s}"
        );
        assert!(s.contains("(twice-excluded)"), "{s}");
        insta::assert_snapshot!(format!("confirm_{w}x{h}"), t.backend());

        key(&mut m, KeyCode::F(1), KeyModifiers::NONE);
        let t = draw(&mut m, w, h);
        insta::assert_snapshot!(format!("help_{w}x{h}"), t.backend());
        if w == 80 {
            // Further down, "s" says more than 56 columns hold: it ends in an ellipsis.
            let mut seen = false;
            for _ in 0..40 {
                key(&mut m, KeyCode::Down, KeyModifiers::NONE);
                let s = screen(&draw(&mut m, w, h));
                if let Some(l) = s.lines().find(|l| l.contains("hide names at once")) {
                    assert!(l.contains("(screen-sh…│") || l.contains("…│"), "{l}");
                    seen = true;
                    break;
                }
            }
            assert!(seen, "the s row of help was reached");
        }
    }
}

/// Issue 12 §6: the attendance picker tells "invited, absent" from "not recorded", shows who
/// joined and for whom, and the times of arriving late and leaving; the row after the people
/// adds someone.
#[test]
fn attendance_shows_who_joined_times_and_invited_absent_apart_from_not_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("meeting.fairpanel-log");
    let c = caseload::parse(DEMO_CASELOAD).expect("demo").caseload;
    let (s, meeting) = Session::open(
        fairpanel::log::Store::open_writer(&path).expect("log"),
        c,
        DEMO_CASELOAD,
    )
    .expect("session");
    let mut host = Host::new(s, now).with_time_of_day(|| "10:40".to_owned());
    let mut m = Screen {
        app: App::new(meeting, Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: Some(dir),
    };
    keys(&mut m, "a");
    keys(&mut m, &"\n\n".repeat(3)); // three present
    keys(&mut m, "\n"); // the fourth: Ravinder Sahota
    for _ in 0..2 {
        key(&mut m, KeyCode::Down, KeyModifiers::NONE); // arrived late
    }
    keys(&mut m, "\n");
    keys(&mut m, "\n"); // Claire Whitehouse
    for _ in 0..4 {
        key(&mut m, KeyCode::Down, KeyModifiers::NONE); // invited, absent
    }
    keys(&mut m, "\n");
    for _ in 0..12 {
        key(&mut m, KeyCode::Down, KeyModifiers::NONE);
    }
    keys(&mut m, "\n"); // someone joined
    keys(&mut m, "Tom Price");
    tab(&mut m, 1);
    keys(&mut m, "Walsall Council");
    tab(&mut m, 1);
    keys(&mut m, "Observer (governor training)");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&draw(&mut m, 80, 24));
    assert!(s.contains("Confirm: record who joined?"), "{s}");
    assert!(s.contains("nobody: a guest"), "{s}");
    keys(&mut m, "\na");
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    assert!(s.contains("✓ arrived late    Ravinder Sahota"), "{s}");
    assert!(s.contains("Ravinder Sahota · arrived 10:40"), "{s}");
    assert!(s.contains("✗ invited, absent Claire Whitehouse"), "{s}");
    assert!(s.contains("· not recorded    Dean Partridge"), "{s}");
    assert!(
        s.contains("Tom Price · guest · arrived 10:40 · Observer"),
        "{s}"
    );
    assert!(s.contains("+ someone joined"), "{s}");
    insta::assert_snapshot!(t.backend());
}

/// Issue 12 §7: with names hidden, `kiera` lists its fuzzy hits, then Keira Thompson marked
/// "≈ similar"; each hit says which field matched; the search line counts both.
#[test]
fn a_typo_search_shows_similar_names_after_the_fuzzy_hits_and_the_field_matched() {
    let mut app = demo();
    keys(&mut app, "/kiera");
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    assert!(s.contains("/ •••••▏  7 of 36 · 1 similar"), "{s}");
    assert!(s.contains("FA-2026-001 K.T.  Y9  ≈ similar"), "{s}");
    assert!(
        s.contains("K.D.  Y9  name"),
        "Kieran Doyle matched by name: {s}"
    );
    insta::assert_snapshot!(t.backend());
    let t = draw(&mut app, 120, 40);
    let s = screen(&t);
    assert!(
        s.contains("‼ 35/20 ≈ similar"),
        "the clock and the mark at 120: {s}"
    );
    keys(&mut app, "\u{1b}/FA-2026-01");
    let s = screen(&draw(&mut app, 120, 40));
    assert!(
        s.contains("▶ FA-2026-010 A.R.  Y10  ‼ 30/20 reference"),
        "{s}"
    );
}

/// Issue 12 §6: the agenda line heads the queue ("2 of 36 heard · 1 decided · 1 deferred"), and
/// `4` shows today's entries in the order they were recorded, the selected one in full.
#[test]
fn the_agenda_line_heads_the_queue_and_4_shows_todays_entries() {
    let mut m = meeting();
    quorate_on(&mut m, "FA-2026-013", 4);
    keys(&mut m, "dd"); // defer
    tab(&mut m, 4);
    keys(&mut m, "Awaiting evidence for category (k)");
    tab(&mut m, 1);
    keys(&mut m, " ");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    keys(&mut m, "\n/FA-2026-003\nd");
    key(&mut m, KeyCode::Char('n'), KeyModifiers::CONTROL); // the first suggestion
    tab(&mut m, 6);
    keys(&mut m, "First in the ranking; a Y10 place");
    tab(&mut m, 1);
    keys(&mut m, " ");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    keys(&mut m, "\n");
    let s = screen(&draw(&mut m, 120, 40));
    assert!(
        s.contains("│  2 of 36 heard · 1 decided · 1 deferred"),
        "{s}"
    );
    // At 80 columns the queue's title has the 36.
    let s = screen(&draw(&mut m, 80, 24));
    assert!(
        s.contains("Queue 36") && s.contains("│  2 heard · 1 decided · 1 deferred"),
        "{s}"
    );
    keys(&mut m, "4");
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(s.contains("Today · 7 entries"), "{s}");
    assert!(
        s.contains("#6     FA-2026-013 → deferred for more information"),
        "{s}"
    );
    assert!(
        s.contains("▶ #7     FA-2026-003 → St Francis of Assisi"),
        "{s}"
    );
    insta::assert_snapshot!(t.backend());
}

/// A late referral (N) filled in: a Fair Access case of a child missing education, invented.
/// The cursor ends on the categories.
fn late_referral(m: &mut Screen) {
    keys(m, "N");
    tab(m, 3);
    keys(m, "Walsall Council");
    tab(m, 1);
    keys(m, "Children missing education officer");
    tab(m, 1);
    key(m, KeyCode::Right, KeyModifiers::NONE); // child missing education
    tab(m, 1);
    keys(m, "Zephyrine");
    tab(m, 1);
    keys(m, "Quillfeather");
    tab(m, 1);
    keys(m, "2012-10-01");
    tab(m, 1);
    keys(m, " "); // female
    tab(m, 4);
    keys(m, "b: housing officer's letter; l: out since 5 January");
    tab(m, 1);
    keys(m, "142594 2026-02-10 refused; 136777 2026-02-20 no place");
}

#[test]
fn late_referral_form_120x40() {
    let mut m = meeting();
    keys(&mut m, "s\n"); // names shown
    late_referral(&mut m);
    let t = draw(&mut m, 120, 40);
    let s = screen(&t);
    assert!(
        s.contains("Late referral: a case added at this meeting"),
        "{s}"
    );
    assert!(s.contains("Zephyrine") && s.contains("Quillfeather"), "{s}");
    assert!(
        s.contains("✓ Mon 1 Oct 2012 · Y8 on the meeting date"),
        "{s}"
    );
    assert!(
        s.contains("(b) refuge · (l) out of education 4+ weeks"),
        "the categories read back in words: {s}"
    );
    assert!(s.contains("◀ child missing education ▶"), "{s}");
    assert!(
        s.contains("Pool Hayes Academy · Tue 10 Feb 2026 · refused"),
        "the applications read back with their schools: {s}"
    );
    insta::assert_snapshot!(t.backend());
}

/// With names hidden, what is typed on the pupil's rows shows as dots, as in the search line:
/// the names, the date of birth and the categories' evidence; the category letters and the
/// year group the date gives still show. The confirm view names the pupil by initials.
#[test]
fn late_referral_form_in_screen_share_masks_the_pupil() {
    let mut m = meeting();
    late_referral(&mut m);
    let secrets = [
        "Zephyrine",
        "Quillfeather",
        "2012-10-01",
        "1 Oct 2012",
        "housing",
        "January",
    ];
    for (w, h) in [(120, 40), (80, 24)] {
        let s = screen(&draw(&mut m, w, h));
        for secret in secrets {
            assert!(!s.contains(secret), "{secret} at {w}×{h}: {s}");
        }
        assert!(s.contains("SCREEN-SHARE"), "{s}");
    }
    let t = draw(&mut m, 80, 24);
    let s = screen(&t);
    assert!(
        s.contains("b: ••••••• ••••••••• ••••••; l: ••• ••••• • •••••••"),
        "{s}"
    );
    insta::assert_snapshot!(t.backend());
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("Given name         •••••••••  "), "{s}");
    assert!(
        s.contains("Date of birth      ••••••••••   ✓ Y8 on the meeting date"),
        "{s}"
    );
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("Confirm: add this case to the meeting?"), "{s}");
    assert!(s.contains("FA-2026-025 · Z.Q. · Fair Access"), "{s}");
    for secret in secrets {
        assert!(!s.contains(secret), "{secret} in the confirm view: {s}");
    }
    // Recorded: the status line names the reference, never the pupil.
    keys(&mut m, "\n");
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("case added: FA-2026-025 (Fair Access)"), "{s}");
    assert!(
        s.contains("FA-2026-025 · Z.Q. · Y8"),
        "the new case, selected: {s}"
    );
    for secret in secrets {
        assert!(!s.contains(secret), "{secret} after recording: {s}");
    }
}

/// Issue 12, done when: the README's screen capture is the app's screen, and its keys table
/// names every key of the lists and of the decision form.
#[test]
fn the_readme_capture_and_keys_match_the_app() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let after = readme
        .split("## The main screen")
        .nth(1)
        .expect("a main screen section");
    let capture: Vec<&str> = after
        .split("```")
        .nth(1)
        .expect("a capture")
        .trim_matches('\n')
        .lines()
        .collect();
    let mut app = demo();
    let t = draw(&mut app, 80, 24);
    let shown: Vec<String> = screen(&t)
        .lines()
        .map(|l| l.trim_matches('"').trim_end().to_owned())
        .collect();
    assert_eq!(
        capture, shown,
        "README.md's capture is the 80×24 demo screen"
    );

    let keys = readme
        .split("## Keys")
        .nth(1)
        .and_then(|k| k.split("## Your own caseload").next())
        .expect("a keys section");
    use fairpanel::app::keymap::{KEYMAP, Scope, key_label};
    for b in KEYMAP
        .iter()
        .filter(|b| matches!(b.scope, Scope::Browse | Scope::Form | Scope::FormOutcome))
    {
        let label = key_label(b.code, b.mods);
        let named = match label.as_str() {
            "Home" | "End" => true, // g and G are named
            l if l.chars().count() == 1 => {
                keys.contains(&format!("| {l}"))
                    || keys.contains(&format!(" {l} "))
                    || keys.contains(&format!("`{l}`"))
                    || keys.contains(&format!(" {l},"))
                    || keys.contains(&format!("{l}/"))
                    || keys.contains(&format!("/ {l}"))
            }
            l => keys.contains(l),
        };
        assert!(named, "{label} ({:?}) is in the README's keys", b.action);
    }
}

/// Every cell of every view holds text made safe in one place (ui/paint.rs): a caseload whose
/// names, schools, members and notes all carry controls and bidi overrides leaves none in the
/// buffer, and the escapes are what the room reads instead.
#[test]
fn no_cell_ever_holds_a_control_or_bidi_character() {
    let mut c = caseload::parse(DEMO_CASELOAD).expect("demo").caseload;
    let evil = |s: &str| format!("{s}\u{1b}[2J\u{202e}\u{9b}\u{7f}");
    c.panel.name = evil(&c.panel.name);
    for s in &mut c.schools {
        s.name = evil(&s.name);
    }
    for k in &mut c.cases {
        k.pupil.given_name = evil(&k.pupil.given_name);
        k.referrer.organisation = evil(&k.referrer.organisation);
        k.notes = Some(evil("note"));
        for cat in &mut k.categories {
            cat.evidence = evil(&cat.evidence);
        }
    }
    for m in &mut c.panel.members {
        m.role = evil(&m.role);
    }
    let mut host = Host::new(MemoryLog::new(), now);
    let mut screen = Screen {
        app: App::new(DomainMeeting::new(c, &[]), Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: None,
    };
    let check = |t: &Terminal<TestBackend>, what: &str| {
        for cell in t.backend().buffer().content() {
            assert!(
                !cell
                    .symbol()
                    .chars()
                    .any(fairpanel::domain::text::is_unsafe),
                "{what}: a cell holds {:?}",
                cell.symbol()
            );
        }
    };
    for (keys_in, what) in [
        ("", "queue in screen-share"),
        ("s\n", "queue with names"),
        ("\n", "detail"),
        ("\u{1b}2", "schools"),
        ("\n", "school detail"),
        ("\u{1b}3", "places"),
        ("1a", "attendance"),
        ("\n\n\n\n\n\n\n\n\u{1b}d", "decision form"),
        ("?", "help over the form"),
    ] {
        keys(&mut screen, keys_in);
        for (w, h) in [(120, 40), (80, 24)] {
            let t = draw(&mut screen, w, h);
            check(&t, what);
        }
    }
    keys(&mut screen, "?");
    let t = draw(&mut screen, 120, 40);
    assert!(
        screen_text_contains(&t, r"\u{1b}[2J\u{202e}\u{9b}\u{7f}"),
        "the escapes are shown instead"
    );
}

/// Issue 12 §4: no identifier the code or the log uses reaches the shared screen: outcomes,
/// statuses, kinds and sexes are words. Every case's detail, a form, a confirm view and the
/// status line after recording are read at both sizes.
#[test]
fn the_screen_speaks_words_not_identifiers() {
    use fairpanel::domain::event::Outcome;
    let snake = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase()))
            .map(str::to_owned)
            .collect()
    };
    let debug_words = [
        "NotApplicable",
        "SenSupport",
        "Ap place",
        "Female",
        "Male ",
        "Secondary ·",
    ];
    let check = |s: &str, what: &str| {
        assert!(snake(s).is_empty(), "{what}: {:?}\n{s}", snake(s));
        for o in Outcome::ALL {
            assert!(!s.contains(o.as_str()), "{what}: {}\n{s}", o.as_str());
        }
        for d in debug_words {
            assert!(!s.contains(d), "{what}: {d}\n{s}");
        }
    };
    let mut m = meeting();
    keys(&mut m, "s\n"); // names shown: the pupil's facts in words too
    let n = m.queue().len();
    for _ in 0..n {
        for (w, h) in [(120, 40), (80, 24)] {
            let t = draw(&mut m, w, h);
            check(&screen(&t), "a case's detail");
        }
        key(&mut m, KeyCode::Down, KeyModifiers::NONE);
    }
    keys(&mut m, "2");
    for _ in 0..m.caseload().schools.len() {
        check(&screen(&draw(&mut m, 120, 40)), "a school");
        key(&mut m, KeyCode::Down, KeyModifiers::NONE);
    }
    keys(&mut m, "1");
    quorate_on(&mut m, "FA-2026-013", 4);
    keys(&mut m, "d");
    check(&screen(&draw(&mut m, 120, 40)), "the decision form");
    keys(&mut m, "d"); // Defer for more information
    tab(&mut m, 4);
    keys(&mut m, "Awaiting the refuge's letter");
    tab(&mut m, 1);
    keys(&mut m, " ");
    key(&mut m, KeyCode::Char('s'), KeyModifiers::CONTROL);
    check(&screen(&draw(&mut m, 120, 40)), "the confirm view");
    keys(&mut m, "\n");
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("→ deferred for more information"), "{s}");
    check(&s, "after recording");
}

/// Issue 12 §4: "7 of 4 present", "4 of 3 can decide", "1 Fair Access placements" and
/// "Seeks Ap place" are gone; the focused pane is marked in its title, without colour.
#[test]
fn counts_read_right_and_the_focused_pane_shows_without_colour() {
    let mut m = meeting();
    keys(&mut m, "a");
    keys(&mut m, &"\n\n".repeat(8));
    let s = screen(&draw(&mut m, 120, 40));
    assert!(
        s.contains("Attendance · ✓ quorate · 8 present, 6 can decide"),
        "{s}"
    );
    assert!(!s.contains("of 4") && !s.contains("of 3"), "{s}");
    keys(&mut m, "\u{1b}");
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("✓ quorate · 8 present"), "{s}");
    keys(&mut m, "/AP-2026-001\n");
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("Seeks        an AP place"), "{s}");
    keys(&mut m, "2/104259\n");
    let s = screen(&draw(&mut m, 120, 40));
    assert!(s.contains("1 Fair Access placement "), "{s}");

    let mut app = demo();
    app.app = std::mem::replace(
        &mut app.app,
        App::new(
            DomainMeeting::new(caseload::parse(DEMO_CASELOAD).unwrap().caseload, &[]),
            Source::Demo,
        ),
    )
    .with_color(false);
    let s = screen(&draw(&mut app, 80, 24));
    assert!(s.contains("┌ ● Queue"), "the list has the focus: {s}");
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    let s = screen(&draw(&mut app, 80, 24));
    assert!(
        !s.contains("┌ ● Queue") && s.contains("┐┌ ● FA-2025-131"),
        "{s}"
    );
}

fn screen_text_contains(t: &Terminal<TestBackend>, s: &str) -> bool {
    screen(t).contains(s)
}

#[test]
fn detail_shows_attendance_from_a_ctf_and_the_primary_sen_need() {
    let mut c = caseload::parse(DEMO_CASELOAD).expect("demo loads").caseload;
    // The queue's first case, as the demo opens.
    let first = demo().queue()[0];
    c.cases[first].attendance = Some(fairpanel::domain::caseload::Attendance {
        year: 2025,
        sessions_possible: 180,
        sessions_attended: 139,
    });
    c.cases[first].pupil.sen_need = Some("SEMH".into());
    let mut host = Host::new(MemoryLog::new(), now);
    let mut app = Screen {
        app: App::new(DomainMeeting::new(c, &[]), Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: None,
    };
    assert_eq!(app.queue()[0], first);
    let s = screen(&draw(&mut app, 120, 40));
    assert!(
        s.contains("77.2% in 2025/26 (139 of 180 sessions, from the CTF)"),
        "{s}"
    );
    assert!(s.contains("primary need SEMH"), "{s}");
}

/// A pupil's parents and carers are personal data: in screen-share the detail pane says only
/// that there are contacts and that they are hidden; with names shown it lists them.
#[test]
fn contacts_are_hidden_in_screen_share_and_listed_with_names_shown() {
    let mut c = caseload::parse(DEMO_CASELOAD).expect("demo").caseload;
    for k in &mut c.cases {
        k.pupil.contacts = vec![fairpanel::domain::caseload::Contact {
            name: "Dana Invented".into(),
            relationship: Some("mother".into()),
            address: None,
            phone: Some("07700 900123".into()),
            email: None,
        }];
    }
    let mut host = Host::new(MemoryLog::new(), now);
    let mut screen = Screen {
        app: App::new(DomainMeeting::new(c, &[]), Source::Demo),
        step: Box::new(move |app, ev| host.step(app, ev)),
        _dir: None,
    };
    let s = self::screen(&draw(&mut screen, 200, 70));
    assert!(s.contains("Contacts"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("Contacts") && l.contains("hidden (screen-share)")),
        "{s}"
    );
    assert!(!s.contains("Dana Invented") && !s.contains("07700"), "{s}");
    keys(&mut screen, "s\n");
    let s = self::screen(&draw(&mut screen, 200, 70));
    assert!(s.contains("NAMES SHOWN"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("Contacts") && l.contains("Dana Invented · mother · 07700 900123")),
        "{s}"
    );
}

/// `--ascii`: the main screen for a console that cannot draw box drawing or symbols.
#[test]
fn queue_in_ascii_80x24() {
    let mut app = demo();
    app.app = std::mem::replace(&mut app.app, demo().app).with_ascii(true);
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    assert!(
        s.chars().all(|c| c.is_ascii() || c.is_alphanumeric()),
        "{s}"
    );
    insta::assert_snapshot!(t.backend());
}

/// The ASCII frame is the same frame: cell for cell the glyph table's stand-in (a longer one
/// spilling into blanks), nothing moved.
#[test]
fn ascii_frame_is_the_unicode_frame_through_the_glyph_table() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut plain = demo();
        let unicode = draw(&mut plain, w, h);
        let mut app = demo();
        app.app = std::mem::replace(&mut app.app, demo().app).with_ascii(true);
        let ascii = draw(&mut app, w, h);
        let mut expected = unicode.backend().buffer().clone();
        fairpanel::ui::glyphs::to_ascii(&mut expected);
        assert_eq!(ascii.backend().buffer(), &expected);
        let changed = unicode
            .backend()
            .buffer()
            .content
            .iter()
            .zip(&ascii.backend().buffer().content)
            .filter(|(u, a)| u.symbol() != a.symbol())
            .count();
        assert!(changed > 2 * usize::from(w), "borders at least: {changed}");
    }
}
