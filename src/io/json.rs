//! JSON meant for people's terminals and editors (cli.md Diagnostics): besides what serde_json
//! escapes (C0 controls, `"` and `\`), DEL, C1 controls and bidirectional controls are written as
//! `\u` escapes, so a value from a file can neither drive the terminal nor reorder what is read.
//! The JSON value is unchanged: these characters only ever occur inside strings.

use std::collections::HashSet;

use serde::Serialize;

use crate::domain::problem::{JsonPath, MAX_REPORTED, Seg};
use crate::domain::text::is_unsafe;

/// Every key that repeats one earlier in the same object, with its path and the byte offset of
/// its opening quote, in one linear pass (serde_json keeps the last of a map's duplicates
/// silently, and a struct's says neither where nor which). Stops quietly at text that is not
/// JSON: the parser reports that. At most `MAX_REPORTED + 1` are returned.
pub fn duplicate_keys(text: &str) -> Vec<(JsonPath, usize)> {
    enum Frame {
        Object {
            keys: HashSet<String>,
            key: Option<String>,
        },
        Array(usize),
    }
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() <= MAX_REPORTED {
        match b[i] {
            b'{' => {
                stack.push(Frame::Object {
                    keys: HashSet::new(),
                    key: None,
                });
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { .. }) => expect_key = true,
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                if j >= b.len() {
                    break;
                }
                if expect_key {
                    let raw = &text[i + 1..j];
                    let key = if raw.contains('\\') {
                        serde_json::from_str::<String>(&text[i..=j])
                            .unwrap_or_else(|_| raw.to_owned())
                    } else {
                        raw.to_owned()
                    };
                    let repeated = match stack.last_mut() {
                        Some(Frame::Object { keys, key: current }) => {
                            *current = Some(key.clone());
                            !keys.insert(key.clone())
                        }
                        _ => false,
                    };
                    if repeated {
                        let mut path = JsonPath::root();
                        for f in &stack {
                            match f {
                                Frame::Object { key: Some(k), .. } => {
                                    path.0.push(Seg::Key(k.clone()))
                                }
                                Frame::Array(n) => path.0.push(Seg::Index(*n)),
                                Frame::Object { key: None, .. } => {}
                            }
                        }
                        out.push((path, i));
                    }
                    expect_key = false;
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

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
    fn duplicate_keys_anywhere_with_their_paths() {
        let text = r#"{"a": 1, "pan": {"Y7": 270, "Y8": 1, "Y7": 5}, "l": [{"x": 1}, {"x": "}{", "x\u0060": 2, "x": [1]}], "a": 2}"#;
        let found: Vec<(String, usize)> = duplicate_keys(text)
            .into_iter()
            .map(|(p, at)| (p.to_string(), at))
            .collect();
        let at =
            |needle: &str, nth: usize| text.match_indices(needle).nth(nth).map(|(i, _)| i).unwrap();
        assert_eq!(
            found,
            vec![
                ("pan.Y7".to_owned(), at("\"Y7\"", 1)),
                ("l[1].x".to_owned(), at("\"x\"", 2)),
                ("a".to_owned(), at("\"a\"", 1)),
            ]
        );
        assert!(duplicate_keys(r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#).is_empty());
        // Not JSON: nothing, and no panic.
        assert!(duplicate_keys("{\"a\": \"unterminated").is_empty());
    }

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
