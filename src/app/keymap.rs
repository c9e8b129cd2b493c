//! The one keymap table: key dispatch and the `?` help overlay are both read from it, so they
//! cannot drift apart (DEVELOPERS.md design habits).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

use crate::domain::event::Outcome;

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextPane,
    PrevPane,
    Open,
    Back,
    Search,
    Help,
    /// Hide names at once; with them hidden, ask before showing them.
    ToggleScreenShare,
    /// The reveal question: yes, show names to everyone who can see the screen.
    RevealNames,
    /// The reveal question: no (any key but Enter), names stay hidden.
    KeepHidden,
    ShowQueue,
    ShowSchools,
    ShowPlaces,
    /// The meeting so far: the agenda line and today's entries in order.
    ShowToday,
    Quit,
    /// Accept the search and jump to the selected hit.
    SearchAccept,
    /// Leave the search and clear it.
    SearchCancel,
    /// Open the decision form for the selected case.
    Decide,
    /// Open the decision form to correct (supersede) the case's standing decision.
    Correct,
    /// Record attendance: pick a member, then present / apologies / arrived late / left.
    Attendance,
    /// Agree to consider the selected case today (day 0 of the clock), after a confirm view.
    AgreeToConsider,
    /// Declare a member's interest in the selected case.
    DeclareInterest,
    /// A late referral: add a case to the meeting (form, then confirm view).
    LateReferral,
    /// Amend the selected case's facts, with a reason (form, then confirm view).
    AmendCase,
    /// Write the meeting's minutes (JSON, Markdown and HTML, no pupil names) beside the log.
    WriteMinutes,
    /// Write the next meeting's caseload from the log (`fairpanel next`), on a date picked.
    NextMeeting,
    /// Every school that may be asked for the selected case, ranked, with the rules' marks.
    RankedSchools,
    /// In the ranked list: decide on the case with the school under the cursor.
    DecideWith,
    /// Forms: next / previous field.
    NextField,
    PrevField,
    /// Forms: Enter: next field, pick the school under the cursor, or the confirm view after
    /// the last field.
    FormEnter,
    /// Forms: straight to the confirm view.
    ToConfirm,
    /// Forms: close without recording anything.
    CloseForm,
    /// Forms: toggle or pick the choice under the cursor.
    Toggle,
    /// Forms: previous / next option of the choice under the cursor.
    OptionPrev,
    OptionNext,
    /// Decision form, on the outcome row: this outcome.
    Outcome(Outcome),
    /// Decision form: the school field takes the next suggested school (one key, from any row).
    NextSuggestion,
    /// Confirm view: write the entry to the log.
    Record,
    /// Confirm view: back to the form with everything kept (or cancel).
    BackToForm,
    /// Attendance: choose the member or the status under the cursor.
    PickChoose,
    /// Attendance: back a step, or close.
    PickBack,
    /// Quit question: yes, quit and discard the form.
    QuitNow,
    /// Quit question: no, stay in the form.
    StayOpen,
    /// Esc on a form holding input: yes, close it and lose what was typed.
    Discard,
    /// Text typed into the focused input (search box, form field). Not in the keymap: every
    /// key no binding claims is text.
    Edit(InputRequest),
}

impl Action {
    /// What the help overlay says the action does.
    pub fn description(self) -> &'static str {
        match self {
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Open => "open the selected item",
            Action::Back => "back; clear the search",
            Action::Search => "fuzzy search this list",
            Action::Help => "show or hide this help",
            Action::ToggleScreenShare => {
                "hide names at once; show them only after a confirm (screen-share)"
            }
            Action::RevealNames => "yes: show names to everyone who can see this screen",
            Action::KeepHidden => "no (or any other key): names stay hidden",
            Action::ShowQueue => "view: case queue",
            Action::ShowSchools => "view: schools",
            Action::ShowPlaces => "view: AP and specialist places",
            Action::ShowToday => "view: today's entries in order, and how far the agenda has got",
            Action::Quit => "quit (asks first if a form holds unsaved input)",
            Action::SearchAccept => "jump to the selected hit",
            Action::SearchCancel => "cancel the search",
            Action::Decide => "decide on the selected case (form, then confirm view)",
            Action::Correct => "correct (supersede) the selected case's decision, with a reason",
            Action::Attendance => "record attendance (present, apologies, arrived late, left)",
            Action::AgreeToConsider => {
                "agree to consider the selected case today (starts its clock)"
            }
            Action::DeclareInterest => "declare a member's interest in the selected case",
            Action::LateReferral => {
                "late referral: add a case to this meeting (form, then confirm view)"
            }
            Action::AmendCase => "amend the selected case's facts, with a reason",
            Action::WriteMinutes => {
                "write the minutes beside the log (pick Word, HTML, Markdown, JSON)"
            }
            Action::NextMeeting => {
                "write the next meeting's caseload beside the log (pick its date)"
            }
            Action::RankedSchools => {
                "every school for this case, ranked, marked as the rules judge it"
            }
            Action::DecideWith => {
                "decide on the case with this school (the form, school filled in)"
            }
            Action::NextField => "next field",
            Action::PrevField => "previous field",
            Action::FormEnter => {
                "next field; picks a listed school or member; a new line in reasons"
            }
            Action::ToConfirm => "go to the confirm view (nothing is written yet)",
            Action::CloseForm => "close the form; nothing is recorded",
            Action::Toggle => "toggle or pick the choice under the cursor",
            Action::OptionPrev => "previous option",
            Action::OptionNext => "next option",
            Action::Outcome(o) => o.label(),
            Action::NextSuggestion => "the school: take the next suggested school, as ranked",
            Action::Record => "record it in the log",
            Action::BackToForm => "back to the form, everything kept",
            Action::PickChoose => "choose",
            Action::PickBack => "back; close",
            Action::QuitNow => "yes: quit and discard the unsaved form",
            Action::StayOpen => "no: stay in the form",
            Action::Discard => "yes: close the form and lose what was typed",
            Action::Edit(_) => "type text",
        }
    }
}

/// Where a binding applies. `Global` bindings work in every scope unless a scope binds the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Global,
    Browse,
    Search,
    Help,
    /// A form, cursor on a text field (typing is text: q is a letter here).
    Form,
    /// A form, cursor on a choice (school, toggle, member); `Form` keys work too. Letters here
    /// are not commands: typing meant for a text field only earns a hint.
    FormChoice,
    /// A form, cursor on the outcome: a letter picks one (the list on screen shows which).
    FormOutcome,
    /// The confirm view before anything is written.
    Confirm,
    /// The attendance picker (type to filter the members).
    Pick,
    /// The list of every school that may be asked for a case.
    Ranked,
    /// The dates the next meeting may be on.
    Dates,
    Minutes,
    /// "Quit and lose the unsaved form?"
    QuitAsk,
    /// Esc on a form holding input: "close it and lose what was typed?"
    DiscardAsk,
    /// "Show pupils' names to everyone who can see this screen?"
    RevealAsk,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Anywhere",
            Scope::Browse => "Lists and detail",
            Scope::Search => "While searching (type to filter)",
            Scope::Help => "In this help",
            Scope::Form => "In a form (type into text fields)",
            Scope::FormChoice => "In a form, on a choice",
            Scope::FormOutcome => "In a decision form, on the outcome",
            Scope::Confirm => "In the confirm view",
            Scope::Pick => "Attendance (type to filter the members)",
            Scope::Ranked => "Every school for the case, ranked",
            Scope::Dates => "The next meeting's date",
            Scope::Minutes => "Which form of the minutes to write",
            Scope::QuitAsk => "Asked whether to quit and lose an unsaved form",
            Scope::DiscardAsk => "Asked whether to close a form and lose what was typed",
            Scope::RevealAsk => "Asked whether to show names on this screen",
        }
    }

    /// What a key no binding claims does here. A question is answered no by any key but its
    /// yes: a stray letter of a word typed on (without `/`, or after an Esc meant for
    /// something else) never shows names or loses a form.
    pub fn fallback(self) -> Option<Action> {
        match self {
            Scope::RevealAsk => Some(Action::KeepHidden),
            Scope::QuitAsk | Scope::DiscardAsk => Some(Action::StayOpen),
            _ => None,
        }
    }

    /// The scope whose bindings also apply here (before the global ones).
    pub fn parent(self) -> Option<Scope> {
        match self {
            Scope::FormChoice => Some(Scope::Form),
            Scope::FormOutcome => Some(Scope::FormChoice),
            _ => None,
        }
    }

    /// Whether keys no binding claims are typed into a text input (on a form's choice row they
    /// only earn a hint that the row is not text).
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Scope::Search | Scope::Form | Scope::FormChoice | Scope::FormOutcome | Scope::Pick
        )
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub scope: Scope,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// Shown in the one-line key hints at the foot of the screen: 0 never, else its priority
    /// (a narrow screen drops the lowest first; the meeting's keys, help and quit are kept).
    pub hint: u8,
}

const NO: u8 = 0;
const LOW: u8 = 1;
const MID: u8 = 2;
const TOP: u8 = 3;

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn b(scope: Scope, code: KeyCode, mods: KeyModifiers, action: Action, hint: u8) -> Binding {
    Binding {
        scope,
        code,
        mods,
        action,
        hint,
    }
}

use Action as A;
use KeyCode as K;
use Scope as S;

/// The table. Order is the order of the help overlay and the hints.
pub static KEYMAP: &[Binding] = &[
    b(S::Global, K::Char('c'), CTRL, A::Quit, NO),
    b(S::Browse, K::Up, NONE, A::Up, NO),
    b(S::Browse, K::Char('k'), NONE, A::Up, NO),
    b(S::Browse, K::Down, NONE, A::Down, NO),
    b(S::Browse, K::Char('j'), NONE, A::Down, NO),
    b(S::Browse, K::PageUp, NONE, A::PageUp, NO),
    b(S::Browse, K::PageDown, NONE, A::PageDown, NO),
    b(S::Browse, K::Char('g'), NONE, A::Top, NO),
    b(S::Browse, K::Home, NONE, A::Top, NO),
    b(S::Browse, K::Char('G'), SHIFT, A::Bottom, NO),
    b(S::Browse, K::End, NONE, A::Bottom, NO),
    b(S::Browse, K::Tab, NONE, A::NextPane, NO),
    b(S::Browse, K::BackTab, SHIFT, A::PrevPane, NO),
    b(S::Browse, K::Enter, NONE, A::Open, LOW),
    b(S::Browse, K::Esc, NONE, A::Back, NO),
    b(S::Browse, K::Char('/'), NONE, A::Search, LOW),
    b(S::Browse, K::Char('s'), NONE, A::ToggleScreenShare, LOW),
    b(S::Browse, K::Char('d'), NONE, A::Decide, TOP),
    b(S::Browse, K::Char('a'), NONE, A::Attendance, TOP),
    b(S::Browse, K::Char('A'), SHIFT, A::AgreeToConsider, TOP),
    b(S::Browse, K::Char('i'), NONE, A::DeclareInterest, TOP),
    b(S::Browse, K::Char('c'), NONE, A::Correct, TOP),
    // Rare in a meeting: in the help and the README, not in the footer's few hints.
    b(S::Browse, K::Char('N'), SHIFT, A::LateReferral, NO),
    b(S::Browse, K::Char('E'), SHIFT, A::AmendCase, NO),
    b(S::Browse, K::Char('m'), NONE, A::WriteMinutes, TOP),
    b(S::Browse, K::Char('>'), NONE, A::NextMeeting, LOW),
    b(S::Browse, K::Char('o'), NONE, A::RankedSchools, MID),
    b(S::Browse, K::Char('1'), NONE, A::ShowQueue, LOW),
    b(S::Browse, K::Char('2'), NONE, A::ShowSchools, LOW),
    b(S::Browse, K::Char('3'), NONE, A::ShowPlaces, LOW),
    b(S::Browse, K::Char('4'), NONE, A::ShowToday, MID),
    b(S::Browse, K::Char('?'), NONE, A::Help, TOP),
    b(S::Browse, K::F(1), NONE, A::Help, NO),
    b(S::Browse, K::Char('q'), NONE, A::Quit, TOP),
    b(S::Search, K::Enter, NONE, A::SearchAccept, TOP),
    b(S::Search, K::Esc, NONE, A::SearchCancel, TOP),
    b(S::Search, K::Up, NONE, A::Up, MID),
    b(S::Search, K::Down, NONE, A::Down, NO),
    b(S::Search, K::PageUp, NONE, A::PageUp, NO),
    b(S::Search, K::PageDown, NONE, A::PageDown, NO),
    b(S::Search, K::F(1), NONE, A::Help, TOP),
    b(S::Help, K::Esc, NONE, A::Help, TOP),
    b(S::Help, K::Up, NONE, A::Up, TOP),
    b(S::Help, K::Down, NONE, A::Down, NO),
    b(S::Help, K::PageUp, NONE, A::PageUp, NO),
    b(S::Help, K::PageDown, NONE, A::PageDown, NO),
    b(S::Help, K::Char('?'), NONE, A::Help, NO),
    b(S::Help, K::Char('q'), NONE, A::Help, NO),
    b(S::Help, K::F(1), NONE, A::Help, NO),
    b(S::Form, K::Tab, NONE, A::NextField, MID),
    b(S::Form, K::BackTab, SHIFT, A::PrevField, NO),
    b(S::Form, K::Down, NONE, A::Down, NO),
    b(S::Form, K::Up, NONE, A::Up, NO),
    // Ctrl-S before Enter: a narrow hint line drops the hint just before the last two first.
    b(S::Form, K::Char('s'), CTRL, A::ToConfirm, TOP),
    b(S::Form, K::Char('n'), CTRL, A::NextSuggestion, MID),
    b(S::Form, K::Enter, NONE, A::FormEnter, LOW),
    b(S::Form, K::Esc, NONE, A::CloseForm, TOP),
    b(S::Form, K::F(1), NONE, A::Help, TOP),
    b(S::FormChoice, K::Char(' '), NONE, A::Toggle, TOP),
    b(S::FormChoice, K::Left, NONE, A::OptionPrev, NO),
    b(S::FormChoice, K::Right, NONE, A::OptionNext, MID),
    b(
        S::FormOutcome,
        K::Char('a'),
        NONE,
        A::Outcome(Outcome::AllocateSchool),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('i'),
        NONE,
        A::Outcome(Outcome::AllocateApInterim),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('m'),
        NONE,
        A::Outcome(Outcome::ManagedMoveAgreed),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('d'),
        NONE,
        A::Outcome(Outcome::DeferMoreInfo),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('r'),
        NONE,
        A::Outcome(Outcome::RefusedEscalateDirection),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('n'),
        NONE,
        A::Outcome(Outcome::NotEligibleInYear),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('e'),
        NONE,
        A::Outcome(Outcome::RedirectEhcp),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('l'),
        NONE,
        A::Outcome(Outcome::RedirectLac),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('w'),
        NONE,
        A::Outcome(Outcome::Withdrawn),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('c'),
        NONE,
        A::Outcome(Outcome::ReviewConfirmed),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('b'),
        NONE,
        A::Outcome(Outcome::ReviewBreakdown),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('x'),
        NONE,
        A::Outcome(Outcome::ReviewExtended),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('g'),
        NONE,
        A::Outcome(Outcome::ReviewReintegrated),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('p'),
        NONE,
        A::Outcome(Outcome::ReviewMadePermanent),
        NO,
    ),
    b(
        S::FormOutcome,
        K::Char('f'),
        NONE,
        A::Outcome(Outcome::ReviewEnded),
        NO,
    ),
    b(S::Confirm, K::Enter, NONE, A::Record, TOP),
    b(S::Confirm, K::Esc, NONE, A::BackToForm, TOP),
    b(S::Confirm, K::Up, NONE, A::Up, MID),
    b(S::Confirm, K::Down, NONE, A::Down, NO),
    b(S::Confirm, K::PageUp, NONE, A::PageUp, NO),
    b(S::Confirm, K::PageDown, NONE, A::PageDown, NO),
    b(S::Confirm, K::F(1), NONE, A::Help, TOP),
    b(S::Pick, K::Up, NONE, A::Up, TOP),
    b(S::Pick, K::Down, NONE, A::Down, NO),
    b(S::Pick, K::Enter, NONE, A::PickChoose, TOP),
    b(S::Pick, K::Esc, NONE, A::PickBack, TOP),
    b(S::Pick, K::F(1), NONE, A::Help, TOP),
    b(S::Ranked, K::Up, NONE, A::Up, TOP),
    b(S::Ranked, K::Char('k'), NONE, A::Up, NO),
    b(S::Ranked, K::Down, NONE, A::Down, NO),
    b(S::Ranked, K::Char('j'), NONE, A::Down, NO),
    b(S::Ranked, K::PageUp, NONE, A::PageUp, NO),
    b(S::Ranked, K::PageDown, NONE, A::PageDown, NO),
    b(S::Ranked, K::Enter, NONE, A::DecideWith, TOP),
    b(S::Ranked, K::Esc, NONE, A::PickBack, TOP),
    b(S::Ranked, K::Char('?'), NONE, A::Help, NO),
    b(S::Ranked, K::F(1), NONE, A::Help, TOP),
    b(S::Dates, K::Up, NONE, A::Up, TOP),
    b(S::Dates, K::Down, NONE, A::Down, NO),
    b(S::Dates, K::Enter, NONE, A::PickChoose, TOP),
    b(S::Dates, K::Esc, NONE, A::PickBack, TOP),
    b(S::Dates, K::F(1), NONE, A::Help, TOP),
    b(S::Minutes, K::Up, NONE, A::Up, TOP),
    b(S::Minutes, K::Down, NONE, A::Down, NO),
    b(S::Minutes, K::Enter, NONE, A::PickChoose, TOP),
    b(S::Minutes, K::Esc, NONE, A::PickBack, TOP),
    b(S::Minutes, K::F(1), NONE, A::Help, TOP),
    b(S::QuitAsk, K::Char('y'), NONE, A::QuitNow, TOP),
    b(S::QuitAsk, K::Char('n'), NONE, A::StayOpen, TOP),
    b(S::QuitAsk, K::Esc, NONE, A::StayOpen, NO),
    b(S::QuitAsk, K::Char('c'), CTRL, A::QuitNow, NO),
    b(S::DiscardAsk, K::Char('y'), NONE, A::Discard, TOP),
    b(S::DiscardAsk, K::Char('n'), NONE, A::StayOpen, TOP),
    b(S::DiscardAsk, K::Esc, NONE, A::StayOpen, NO),
    b(S::RevealAsk, K::Enter, NONE, A::RevealNames, TOP),
    b(S::RevealAsk, K::Esc, NONE, A::KeepHidden, TOP),
];

/// Terminals disagree on whether Shift is reported with an upper-case letter or BackTab.
fn same_mods(code: KeyCode, want: KeyModifiers, got: KeyModifiers) -> bool {
    let ignore_shift = matches!(code, KeyCode::Char(_) | KeyCode::BackTab);
    if ignore_shift {
        want - SHIFT == got - SHIFT
    } else {
        want == got
    }
}

/// The action for a key pressed in `scope`: the scope's own binding, else a global one.
pub fn lookup(scope: Scope, key: &KeyEvent) -> Option<Action> {
    let find = |s: Scope| {
        KEYMAP
            .iter()
            .find(|bd| {
                bd.scope == s && bd.code == key.code && same_mods(bd.code, bd.mods, key.modifiers)
            })
            .map(|bd| bd.action)
    };
    let mut at = Some(scope);
    while let Some(s) = at {
        if let Some(a) = find(s) {
            return Some(a);
        }
        at = s.parent();
    }
    find(Scope::Global)
}

/// The letter that picks an outcome on the decision form's outcome row, from the table.
pub fn outcome_key(o: Outcome) -> Option<char> {
    KEYMAP.iter().find_map(|bd| match (bd.action, bd.code) {
        (Action::Outcome(x), KeyCode::Char(c)) if x == o => Some(c),
        _ => None,
    })
}

/// How a key is written for people.
pub fn key_label(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::BackTab => "Shift-Tab".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    if mods.contains(CTRL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// The order of the help overlay's sections, after the one help was opened from.
const HELP_ORDER: [Scope; 15] = [
    Scope::Browse,
    Scope::Search,
    Scope::Form,
    Scope::FormChoice,
    Scope::FormOutcome,
    Scope::Confirm,
    Scope::Pick,
    Scope::Ranked,
    Scope::Dates,
    Scope::Minutes,
    Scope::QuitAsk,
    Scope::DiscardAsk,
    Scope::RevealAsk,
    Scope::Help,
    Scope::Global,
];

/// Rows of the help overlay: per scope, each action once with all its keys. The keys of `here`
/// (where the user was when help opened) and of its parent come first, so help opened from a
/// form starts with the form's keys.
pub fn help_rows(here: Scope) -> Vec<(Scope, String, &'static str)> {
    let mut rows: Vec<(Scope, String, &'static str)> = Vec::new();
    let mut seen: Vec<(Scope, Action)> = Vec::new();
    let mut order = vec![here];
    let mut up = here.parent();
    while let Some(p) = up {
        order.push(p);
        up = p.parent();
    }
    for scope in HELP_ORDER {
        if !order.contains(&scope) {
            order.push(scope);
        }
    }
    for scope in order {
        for bd in KEYMAP.iter().filter(|bd| bd.scope == scope) {
            if seen.contains(&(scope, bd.action)) {
                continue;
            }
            seen.push((scope, bd.action));
            let keys: Vec<String> = KEYMAP
                .iter()
                .filter(|o| o.scope == scope && o.action == bd.action)
                .map(|o| key_label(o.code, o.mods))
                .collect();
            rows.push((scope, keys.join(" "), bd.action.description()));
        }
    }
    rows
}

/// The foot-of-screen hints for a scope, each with its priority: "/ search  ? help  q quit"; a
/// scope's own hints come before its parent's. `offers` leaves out an action that does nothing
/// where the user is (a school suggestion in a form that names no school).
pub fn hints(scope: Scope, offers: impl Fn(Action) -> bool) -> Vec<(String, &'static str, u8)> {
    let of = |s: Scope| -> Vec<(String, &'static str, u8)> {
        KEYMAP
            .iter()
            .filter(|bd| bd.scope == s && bd.hint > NO && offers(bd.action))
            .map(|bd| (key_label(bd.code, bd.mods), short(bd.action), bd.hint))
            .collect()
    };
    let mut out = of(scope);
    let mut up = scope.parent();
    while let Some(p) = up {
        out.extend(of(p));
        up = p.parent();
    }
    out
}

fn short(a: Action) -> &'static str {
    match a {
        Action::Open => "open",
        Action::Search => "search",
        Action::ShowQueue => "queue",
        Action::ShowSchools => "schools",
        Action::ShowPlaces => "places",
        Action::ShowToday => "today",
        Action::ToggleScreenShare => "names",
        Action::RevealNames => "show names",
        Action::KeepHidden => "keep hidden",
        Action::Discard => "discard",
        Action::Help => "help",
        Action::Quit => "quit",
        Action::SearchAccept => "jump",
        Action::SearchCancel => "cancel",
        Action::Up => "move",
        Action::Decide => "decide",
        Action::Correct => "correct",
        Action::Attendance => "attend",
        Action::AgreeToConsider => "agree",
        Action::DeclareInterest => "interest",
        Action::LateReferral => "late referral",
        Action::AmendCase => "amend",
        Action::WriteMinutes => "minutes",
        Action::NextMeeting => "next meeting",
        Action::RankedSchools => "ranked",
        Action::DecideWith => "decide with it",
        Action::NextField => "next field",
        Action::FormEnter => "next",
        Action::ToConfirm => "confirm",
        Action::NextSuggestion => "next suggestion",
        Action::CloseForm => "cancel",
        Action::Toggle => "toggle",
        Action::OptionNext => "change",
        Action::Record => "record",
        Action::BackToForm => "back",
        Action::PickChoose => "choose",
        Action::PickBack => "back",
        Action::QuitNow => "quit, discard",
        Action::StayOpen => "stay",
        other => other.description(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_a_scope() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for o in &KEYMAP[i + 1..] {
                assert!(
                    !(a.scope == o.scope && a.code == o.code && a.mods == o.mods),
                    "{:?} {:?} bound twice",
                    a.scope,
                    a.code
                );
            }
        }
    }

    #[test]
    fn help_starts_where_it_was_opened_and_lists_the_same_rows_from_anywhere() {
        let from_list = help_rows(Scope::Browse);
        assert_eq!(from_list[0].0, Scope::Browse);
        for here in [Scope::Search, Scope::Form, Scope::Confirm, Scope::Pick] {
            let rows = help_rows(here);
            assert_eq!(rows[0].0, here);
            let mut a = rows.clone();
            let mut b = from_list.clone();
            a.sort();
            b.sort();
            assert_eq!(a, b, "help from {here:?}");
        }
        // On a form's choice row the choice keys come first, then the form's own.
        let rows = help_rows(Scope::FormChoice);
        let first_form = rows.iter().position(|r| r.0 == Scope::Form);
        let first_other = rows
            .iter()
            .position(|r| r.0 != Scope::FormChoice && r.0 != Scope::Form);
        assert_eq!(rows[0].0, Scope::FormChoice);
        assert!(first_form < first_other, "{rows:?}");
    }

    #[test]
    fn f1_opens_help_everywhere_a_question_mark_would_be_typed() {
        let f1 = KeyEvent::new(KeyCode::F(1), NONE);
        // Everywhere the user can be but the questions, which take their answer only (`Global`
        // is where shared bindings live, not a place to be).
        for s in HELP_ORDER.into_iter().filter(|s| {
            !matches!(
                s,
                Scope::QuitAsk | Scope::DiscardAsk | Scope::RevealAsk | Scope::Global
            )
        }) {
            assert_eq!(lookup(s, &f1), Some(Action::Help), "{s:?}");
        }
        assert_eq!(key_label(KeyCode::F(1), NONE), "F1");
    }

    #[test]
    fn every_binding_appears_in_help() {
        let rows = help_rows(Scope::Browse);
        for bd in KEYMAP {
            let label = key_label(bd.code, bd.mods);
            assert!(
                rows.iter().any(|(s, keys, d)| *s == bd.scope
                    && keys.split(' ').any(|k| k == label)
                    && *d == bd.action.description()),
                "{label} missing from help"
            );
        }
    }

    #[test]
    fn scope_bindings_win_over_global_and_ctrl_c_always_quits() {
        let esc = KeyEvent::new(KeyCode::Esc, NONE);
        assert_eq!(lookup(Scope::Search, &esc), Some(Action::SearchCancel));
        assert_eq!(lookup(Scope::Help, &esc), Some(Action::Help));
        let cc = KeyEvent::new(KeyCode::Char('c'), CTRL);
        for s in [Scope::Browse, Scope::Search, Scope::Help] {
            assert_eq!(lookup(s, &cc), Some(Action::Quit));
        }
        // Typing a q in the search box is text, not quit.
        assert_eq!(
            lookup(Scope::Search, &KeyEvent::new(KeyCode::Char('q'), NONE)),
            None
        );
        // Shift-G whether or not the terminal reports SHIFT.
        assert_eq!(
            lookup(Scope::Browse, &KeyEvent::new(KeyCode::Char('G'), NONE)),
            Some(Action::Bottom)
        );
    }
}
