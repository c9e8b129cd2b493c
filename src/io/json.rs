//! JSON meant for people's terminals and editors (cli.md Diagnostics): besides what serde_json
//! escapes (C0 controls, `"` and `\`), DEL, C1 controls and bidirectional controls are written as
//! `\u` escapes, so a value from a file can neither drive the terminal nor reorder what is read.
//! The JSON value is unchanged: these characters only ever occur inside strings.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;

use crate::domain::problem::{JsonPath, MAX_REPORTED, Seg};
use crate::domain::text::is_unsafe;

/// Every key that repeats one earlier in the same object, with its path and the byte offset of
/// its opening quote, in one linear pass (serde_json keeps the last of a map's duplicates
/// silently, and a struct's says neither where nor which). Stops quietly at text that is not
/// JSON: the parser reports that. At most `MAX_REPORTED + 1` are returned. Keys are borrowed
/// from the text (decoded only when they hold an escape). The loader runs it only when the typed
/// pass has failed (a duplicate always fails it), so a good file pays nothing for it.
pub fn duplicate_keys(text: &str) -> Vec<(JsonPath, usize)> {
    const MANY: usize = 32;
    let b = text.as_bytes();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut expect_key = false;
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() <= MAX_REPORTED {
        match b[i] {
            b'{' => {
                stack.push(Frame::Object(Object {
                    keys: Vec::new(),
                    seen: 0,
                    set: None,
                }));
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
                Some(Frame::Object(_)) => expect_key = true,
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            b'"' => {
                // The closing quote: the first not escaped by a backslash.
                let mut j = i + 1;
                let mut escaped = false;
                loop {
                    match memchr::memchr2(b'"', b'\\', &b[j..]) {
                        None => return out,
                        Some(k) if b[j + k] == b'\\' => {
                            escaped = true;
                            j += k + 2;
                            if j > b.len() {
                                return out;
                            }
                        }
                        Some(k) => {
                            j += k;
                            break;
                        }
                    }
                }
                if expect_key {
                    let raw = &text[i + 1..j];
                    let key: Cow<'_, str> = if escaped {
                        serde_json::from_str::<String>(&text[i..=j])
                            .map_or(Cow::Borrowed(raw), Cow::Owned)
                    } else {
                        Cow::Borrowed(raw)
                    };
                    if let Some(Frame::Object(o)) = stack.last_mut() {
                        // Two bits of a 128-bit filter per key: a key whose bits are not both
                        // set is new without comparing it to the others.
                        let h = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
                            (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
                        });
                        let bits = (1u128 << (h & 127)) | (1u128 << ((h >> 7) & 127));
                        let maybe = o.seen & bits == bits;
                        o.seen |= bits;
                        let repeated = match &mut o.set {
                            Some(set) => !set.insert(key.clone()),
                            None => maybe && o.keys.contains(&key),
                        };
                        if o.set.is_none() && o.keys.len() >= MANY {
                            o.set = Some(o.keys.iter().cloned().collect());
                        }
                        o.keys.push(key);
                        if repeated {
                            out.push((path_of(&stack), i));
                        }
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

/// An object being read: its keys so far, a filter of them, and past 32 keys a set as well.
struct Object<'a> {
    keys: Vec<Cow<'a, str>>,
    seen: u128,
    set: Option<HashSet<Cow<'a, str>>>,
}

enum Frame<'a> {
    Object(Object<'a>),
    Array(usize),
}

/// The path of the last key of the innermost object.
fn path_of(stack: &[Frame<'_>]) -> JsonPath {
    let mut path = JsonPath::root();
    for f in stack {
        match f {
            Frame::Object(o) => {
                if let Some(k) = o.keys.last() {
                    path.0.push(Seg::Key(k.to_string()));
                }
            }
            Frame::Array(n) => path.0.push(Seg::Index(*n)),
        }
    }
    path
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
        // A large object (past the short list) finds its repeat too.
        let mut big: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
        big.push("\"k5\": 0".into());
        let big = format!("{{\"o\": {{{}}}}}", big.join(", "));
        let found = duplicate_keys(&big);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.to_string(), "o.k5");
        assert_eq!(found[0].1, big.rfind("\"k5\"").unwrap());
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
