//! The terminal loop, and the one place effects are performed: draw, read one event, hand it to
//! `App::handle_event`, perform the effects it returns, feed their outcome back, repeat. The
//! terminal is restored on quit, on Ctrl-C (a key like any other in raw mode), on an error, and
//! on a panic (ratatui's panic hook, installed by `try_init`).

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use crate::app::{App, Effect, Msg};
use crate::domain::event::{Attendance, Event as LogEvent};
use crate::domain::meeting::{LogWriter, RecordError};
use crate::io::minutes;
use crate::log::MeetingKey;
use crate::ui;

/// Set to make the app panic after its first frame: lets the PTY tests prove the terminal is
/// restored on a panic. Only in builds with the `test-hooks` feature.
#[cfg(feature = "test-hooks")]
pub const DEBUG_PANIC_ENV: &str = "FAIRPANEL_DEBUG_PANIC";

/// What effects are performed with: the log the meeting's entries are written to, where its
/// minutes go, and the clock that stamps entries.
pub struct Host<L> {
    log: L,
    /// The log's file and the meeting in it, when the log is a file: the minutes are built from
    /// there and written beside it.
    minutes_from: Option<(PathBuf, MeetingKey)>,
    now: fn() -> String,
    /// The local time of day (HH:MM) someone arrived late, left or joined.
    time_of_day: fn() -> String,
}

/// The wall clock's local time of day, for the minutes' "arrived 10:25".
pub fn local_time_of_day() -> String {
    chrono::Local::now().format("%H:%M").to_string()
}

impl<L: LogWriter> Host<L> {
    pub fn new(log: L, now: fn() -> String) -> Host<L> {
        Host {
            log,
            minutes_from: None,
            now,
            time_of_day: local_time_of_day,
        }
    }

    /// The clock that gives the time of day arrivals and departures are recorded at.
    pub fn with_time_of_day(mut self, time_of_day: fn() -> String) -> Host<L> {
        self.time_of_day = time_of_day;
        self
    }

    /// Minutes are built from the log file at `path`, for the meeting `key`.
    pub fn with_minutes(mut self, path: PathBuf, key: MeetingKey) -> Host<L> {
        self.minutes_from = Some((path, key));
        self
    }

    pub fn log(&self) -> &L {
        &self.log
    }

    pub fn log_mut(&mut self) -> &mut L {
        &mut self.log
    }

    /// Performs one effect and says how it went.
    pub fn perform(&mut self, app: &mut App, effect: Effect) -> Msg {
        match effect {
            Effect::Record(mut p) => {
                let now = (self.now)();
                // When someone arrived late, left or joined: the time it is recorded.
                let time = match &mut p.event {
                    LogEvent::Attendance {
                        status: Attendance::ArrivedLate | Attendance::Left,
                        time,
                        ..
                    } => Some(time),
                    LogEvent::Joined(g) => Some(&mut g.time),
                    _ => None,
                };
                if let Some(t) = time
                    && t.is_none()
                {
                    *t = Some((self.time_of_day)());
                }
                match app.meeting_mut().record(&mut self.log, *p, now) {
                    Ok(r) => Msg::Recorded(Box::new(r)),
                    Err(RecordError::Refused(hits)) => Msg::RecordRefused(hits),
                    Err(RecordError::Write(e)) => Msg::RecordFailed(e.to_string()),
                }
            }
            Effect::FindSimilar(query) => Msg::SimilarFound {
                hits: app.similar_hits(&query),
                query,
            },
            Effect::WriteNext(date) => match &self.minutes_from {
                None => Msg::NextFailed(
                    "this meeting has no log file to carry the next meeting from".to_owned(),
                ),
                Some((path, key)) => {
                    let dir = path
                        .parent()
                        .map(std::path::Path::to_path_buf)
                        .unwrap_or_default();
                    match crate::io::next::write_beside(path, key, date, &dir) {
                        Ok((p, next)) => Msg::NextWritten(p, next.carried.words()),
                        Err(e) => Msg::NextFailed(e.to_string()),
                    }
                }
            },
            Effect::WriteMinutes(choice) => match &self.minutes_from {
                None => {
                    Msg::MinutesFailed("this meeting has no log file to build them from".to_owned())
                }
                Some((path, key)) => {
                    let dir = path
                        .parent()
                        .map(std::path::Path::to_path_buf)
                        .unwrap_or_default();
                    use crate::app::effect::MinutesChoice as C;
                    use minutes::DocForm as F;
                    let forms: &[F] = match choice {
                        C::All => &[F::Word, F::Html, F::Markdown, F::Json],
                        C::Word => &[F::Word],
                        C::Html => &[F::Html],
                        C::Markdown => &[F::Markdown],
                        C::Json => &[F::Json],
                    };
                    match minutes::write_beside(path, key, &dir, false, forms) {
                        Ok(p) => Msg::MinutesWritten(p),
                        Err(e) => Msg::MinutesFailed(e.to_string()),
                    }
                }
            },
        }
    }

    /// Hands a terminal event to the app and performs every effect that follows from it.
    pub fn step(&mut self, app: &mut App, ev: &Event) {
        let effects = app.handle_event(ev);
        self.settle(app, effects);
    }

    /// Performs effects and feeds their outcome back until there are none left.
    pub fn settle(&mut self, app: &mut App, mut effects: Vec<Effect>) {
        while !effects.is_empty() {
            let mut next = Vec::new();
            for e in effects {
                let msg = self.perform(app, e);
                next.extend(app.update(msg));
            }
            effects = next;
        }
    }
}

pub fn run<L: LogWriter>(mut app: App, mut host: Host<L>) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, &mut host);
    let restored = ratatui::try_restore();
    result.and(restored)
}

fn event_loop<L: LogWriter>(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    host: &mut Host<L>,
) -> io::Result<()> {
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    #[cfg(feature = "test-hooks")]
    let panic_after_first_frame = std::env::var_os(DEBUG_PANIC_ENV).is_some();
    // The similar pass waits until the fuzzy hits are drawn and no key is waiting: typing on
    // replaces it with the pass for the longer query.
    let mut later: Option<Effect> = None;
    loop {
        let mut rows = 0;
        terminal.draw(|f| rows = ui::render(app, f).list_rows)?;
        app.update(Msg::ListRows(rows));
        #[cfg(feature = "test-hooks")]
        if panic_after_first_frame {
            panic!("{DEBUG_PANIC_ENV} is set: panicking on purpose to test terminal restore");
        }
        if let Some(e) = later.take() {
            if event::poll(Duration::ZERO)? {
                later = Some(e);
            } else {
                host.settle(app, vec![e]);
                continue;
            }
        }
        let ev = event::read()?;
        let (now, after): (Vec<Effect>, Vec<Effect>) = app
            .handle_event(&ev)
            .into_iter()
            .partition(|e| !matches!(e, Effect::FindSimilar(_)));
        later = after.into_iter().last().or(later);
        host.settle(app, now);
        if app.quit_requested() {
            return Ok(());
        }
    }
}
