//! The terminal loop: draw, read one event, hand it to `App::handle_event`, repeat. The terminal
//! is restored on quit, on Ctrl-C (a key like any other in raw mode), on an error, and on a panic
//! (ratatui's panic hook, installed by `try_init`).

use std::io;

use ratatui::crossterm::event;

use crate::app::App;
use crate::ui;

/// Set to make the app panic after its first frame: lets the PTY tests prove the terminal is
/// restored on a panic. Never set in normal use.
pub const DEBUG_PANIC_ENV: &str = "FAIRPANEL_DEBUG_PANIC";

pub fn run(mut app: App) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app);
    let restored = ratatui::try_restore();
    result.and(restored)
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> io::Result<()> {
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let panic_after_first_frame = std::env::var_os(DEBUG_PANIC_ENV).is_some();
    loop {
        terminal.draw(|f| ui::render(app, f))?;
        if panic_after_first_frame {
            panic!("{DEBUG_PANIC_ENV} is set: panicking on purpose to test terminal restore");
        }
        let ev = event::read()?;
        app.handle_event(&ev);
        if app.quit {
            return Ok(());
        }
    }
}
