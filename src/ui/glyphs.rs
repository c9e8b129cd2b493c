//! The screen's symbols and their plain-ASCII stand-ins, in one table. The old Windows console
//! (conhost with a raster or legacy font) and the Linux virtual console cannot draw box drawing,
//! `‼`, `✓`, `✗`, `▶` and the like; there, `--ascii` (or `FAIRPANEL_ASCII=1`, or the automatic
//! choice in [`ascii_wanted`]) draws every frame in ASCII. The panes draw as they always do and
//! the finished frame is translated cell by cell here, so no pane holds a conditional and nothing
//! drawn can escape the table. Letters (accented or not, any script) are names and are kept; any
//! other symbol the table does not know becomes `?`, never a box the console cannot draw.

use ratatui::buffer::Buffer;

/// Each symbol the screen draws and what it becomes in ASCII. A stand-in longer than one
/// character spills into the blank cells after it (`‼ 40/20` becomes `!!40/20`, so overdue stays
/// apart from `!` due soon) and is cut to its first character where there is no room.
pub const GLYPHS: &[(char, &str)] = &[
    // Box drawing: the panes' borders, plain and heavy, square and rounded.
    ('─', "-"),
    ('━', "-"),
    ('═', "="),
    ('│', "|"),
    ('┃', "|"),
    ('║', "|"),
    ('▏', "|"),
    ('┌', "+"),
    ('┐', "+"),
    ('└', "+"),
    ('┘', "+"),
    ('╭', "+"),
    ('╮', "+"),
    ('╰', "+"),
    ('╯', "+"),
    ('├', "+"),
    ('┤', "+"),
    ('┬', "+"),
    ('┴', "+"),
    ('┼', "+"),
    ('┏', "+"),
    ('┓', "+"),
    ('┗', "+"),
    ('┛', "+"),
    ('╔', "+"),
    ('╗', "+"),
    ('╚', "+"),
    ('╝', "+"),
    // States: overdue, due soon's sibling, checks passed and refused.
    ('‼', "!!"),
    ('✓', "+"),
    ('✔', "+"),
    ('✗', "x"),
    ('✘', "x"),
    // Selection, focus, lists.
    ('▶', ">"),
    ('▸', ">"),
    ('►', ">"),
    ('◀', "<"),
    ('◂', "<"),
    ('▲', "^"),
    ('▼', "v"),
    ('●', "*"),
    ('•', "*"),
    ('○', "o"),
    ('■', "#"),
    ('█', "#"),
    ('░', "."),
    // Search and the rest of the text.
    ('≈', "~"),
    ('⟳', "@"),
    ('↺', "@"),
    ('·', "-"),
    // Cut text: one cell, so the space after a cut title is kept (`Fair~ - Thu`).
    ('…', "~"),
    ('—', "-"),
    ('–', "-"),
    ('→', ">"),
    ('←', "<"),
    ('↑', "^"),
    ('↓', "v"),
    ('‘', "'"),
    ('’', "'"),
    ('“', "\""),
    ('”', "\""),
    ('×', "x"),
    ('≤', "<"),
    ('≥', ">"),
    ('£', "L"),
    ('\u{a0}', " "),
];

/// The ASCII stand-in of one symbol: the table's, the symbol itself if it is ASCII or a letter or
/// digit of any script (names are kept), else `?`.
pub fn ascii_of(symbol: &str) -> &str {
    let Some(first) = symbol.chars().next() else {
        return symbol;
    };
    if symbol.is_ascii() || first.is_alphanumeric() {
        return symbol;
    }
    GLYPHS
        .iter()
        .find(|(c, _)| *c == first)
        .map_or("?", |(_, s)| s)
}

/// Draws the finished frame in ASCII: every cell's symbol through [`ascii_of`].
pub fn to_ascii(buf: &mut Buffer) {
    let width = usize::from(buf.area.width);
    if width == 0 {
        return;
    }
    let cells = &mut buf.content;
    for i in 0..cells.len() {
        let stand_in = ascii_of(cells[i].symbol());
        if stand_in == cells[i].symbol() {
            continue;
        }
        let stand_in = stand_in.to_owned();
        let mut chars = stand_in.chars();
        if let Some(c) = chars.next() {
            cells[i].set_char(c);
        }
        // The rest spills into blank cells on the same row only.
        let row_end = (i / width + 1) * width;
        for (j, c) in (i + 1..row_end.min(cells.len())).zip(chars) {
            if cells[j].symbol() != " " {
                break;
            }
            cells[j].set_char(c);
        }
    }
}

/// Whether to draw in ASCII. `flag`: `--ascii` given. `var` reads the environment. Otherwise
/// `FAIRPANEL_ASCII` decides when set (`1` on, `0` off); else the Linux virtual console
/// (`TERM=linux`) is ASCII; on Windows (`windows`) a console that is not Windows Terminal
/// (`WT_SESSION`) or another modern terminal that says so (`TERM_PROGRAM`, e.g. VS Code) is
/// taken for the old console and drawn in ASCII.
pub fn ascii_wanted(flag: bool, var: impl Fn(&str) -> Option<String>, windows: bool) -> bool {
    if flag {
        return true;
    }
    if let Some(v) = var("FAIRPANEL_ASCII").filter(|v| !v.is_empty()) {
        return !matches!(v.trim(), "0" | "no" | "false" | "off");
    }
    if var("TERM").as_deref() == Some("linux") {
        return true;
    }
    windows && var("WT_SESSION").is_none() && var("TERM_PROGRAM").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn every_stand_in_is_ascii_and_every_symbol_is_not() {
        for (c, s) in GLYPHS {
            assert!(!c.is_ascii(), "{c} needs no stand-in");
            assert!(s.is_ascii() && !s.is_empty(), "{c} → {s:?}");
        }
    }

    #[test]
    fn letters_are_kept_symbols_replaced() {
        assert_eq!(ascii_of("Ł"), "Ł");
        assert_eq!(ascii_of("美"), "美");
        assert_eq!(ascii_of("é"), "é");
        assert_eq!(ascii_of("a"), "a");
        assert_eq!(ascii_of("✓"), "+");
        assert_eq!(ascii_of("‼"), "!!");
        assert_eq!(ascii_of("☃"), "?");
    }

    #[test]
    fn a_long_stand_in_spills_into_blanks_only() {
        let mut buf = Buffer::with_lines(["‼ 40/20", "x‼|", "a‼", "Fair… · Thu"]);
        to_ascii(&mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines(["!!40/20    ", "x!|        ", "a!!        ", "Fair~ - Thu"])
        );
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 2));
        buf[(2, 0)].set_symbol("‼");
        to_ascii(&mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines(["  !", "   "]),
            "never onto the next row"
        );
    }

    #[test]
    fn ascii_is_chosen_by_flag_then_variable_then_console() {
        assert!(ascii_wanted(true, env(&[("FAIRPANEL_ASCII", "0")]), false));
        assert!(ascii_wanted(false, env(&[("FAIRPANEL_ASCII", "1")]), false));
        assert!(!ascii_wanted(false, env(&[("FAIRPANEL_ASCII", "0")]), true));
        assert!(!ascii_wanted(
            false,
            env(&[("TERM", "xterm-256color")]),
            false
        ));
        assert!(ascii_wanted(false, env(&[("TERM", "linux")]), false));
        assert!(ascii_wanted(false, env(&[]), true), "old Windows console");
        assert!(!ascii_wanted(false, env(&[("WT_SESSION", "x")]), true));
        assert!(!ascii_wanted(
            false,
            env(&[("TERM_PROGRAM", "vscode")]),
            true
        ));
    }
}
