//! JSON meant for people's terminals and editors (cli.md Diagnostics): besides what serde_json
//! escapes (C0 controls, `"` and `\`), DEL, C1 controls and bidirectional controls are written as
//! `\u` escapes, so a value from a file can neither drive the terminal nor reorder what is read.
//! The JSON value is unchanged: these characters only ever occur inside strings.

use serde::Serialize;

use crate::domain::text::is_unsafe;

/// Unsafe characters serde_json leaves raw. (It escapes C0 controls inside strings itself, so a
/// raw C0 character in its output is layout: the newlines of pretty printing.)
fn left_raw(c: char) -> bool {
    is_unsafe(c) && !matches!(c, '\0'..='\u{1f}')
}

/// Pretty JSON with a final newline, unsafe characters escaped.
pub fn to_safe_string<T: Serialize>(v: &T) -> Result<String, serde_json::Error> {
    let mut s = escape_json_text(serde_json::to_string_pretty(v)?);
    s.push('\n');
    Ok(s)
}

/// Rewrites every unsafe character of serialised JSON as a `\uXXXX` escape.
pub fn escape_json_text(json: String) -> String {
    if !json.chars().any(left_raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if left_raw(c) {
            // Every unsafe char is in the Basic Multilingual Plane: one \u escape each.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_c1_and_del_become_u_escapes_and_the_value_is_kept() {
        let v = serde_json::json!({"name": "a\u{202E}b\u{9b}c\u{7f}d\u{1b}e"});
        let s = to_safe_string(&v).unwrap();
        assert!(s.chars().all(|c| c == '\n' || !is_unsafe(c)), "{s}");
        assert!(s.contains(r"a\u202eb\u009bc\u007fd\u001be"), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
