//! Text from files on its way to a terminal or a search key.
//!
//! cli.md: control characters (C0, C1, DEL) and bidirectional overrides (U+202A–U+202E,
//! U+2066–U+2069) from a file are never passed through: a caseload could otherwise rewrite the
//! chair's screen or title bar, or reorder what the room reads.

use std::borrow::Cow;

/// Is `c` a character that must never reach the terminal raw?
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Shows unsafe characters as visible escapes (`\u{1b}`), leaving all others as they are.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Folds one character for searching: lower case, accents removed, always exactly one char so
/// that match indices in the folded key are indices into the original text too.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    let l = match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    };
    match deunicode::deunicode_char(l) {
        Some(s) if s.len() == 1 => s.as_bytes()[0].to_ascii_lowercase() as char,
        _ => l,
    }
}

/// Appends the folded form of `s` to `out`, char for char.
pub fn fold_into(out: &mut String, s: &str) {
    out.extend(s.chars().map(fold_char));
}

/// Initials for the shared screen: "J.T." from "Jayden", "Thomas-Brown".
pub fn initials(given: &str, family: &str) -> String {
    let mut out = String::new();
    for part in [given, family] {
        if let Some(c) = part.chars().find(|c| c.is_alphabetic()) {
            out.extend(c.to_uppercase());
            out.push('.');
        }
    }
    if out.is_empty() {
        out.push('?');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_keeps_accents() {
        assert_eq!(escape("Zoë Ng"), "Zoë Ng");
        assert_eq!(escape("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape("x\u{202E}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
        assert_eq!(
            escape("tab\there\u{7f}\u{85}"),
            "tab\\u{9}here\\u{7f}\\u{85}"
        );
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn folding_is_char_for_char() {
        let mut k = String::new();
        fold_into(&mut k, "ZOË Émile Łukasz Straße");
        assert_eq!(k, "zoe emile lukasz straße");
        assert_eq!(k.chars().count(), "ZOË Émile Łukasz Straße".chars().count());
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Jayden", "Thomas-Brown"), "J.T.");
        assert_eq!(initials("émile", "o'neill"), "É.O.");
        assert_eq!(initials("", ""), "?");
    }
}
