//! The hash chain (issue "Decisions that are never lost" §4).
//!
//! Each entry's hash is SHA-256 over its canonical bytes followed by the previous entry's hash
//! (64 lowercase hex characters; the first entry follows [`GENESIS`]). The canonical bytes are the
//! JSON object `{"correction_reason", "event", "id", "meeting_id", "recorded_at", "supersedes"}`
//! with every object's keys sorted by byte order, no whitespace, strings as serde_json writes
//! them (UTF-8, minimal escapes), and absent values as `null`. `docs/minutes.md` repeats this.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::domain::event::Entry;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Writes `v` with sorted keys and no whitespace, whatever order serde_json's map keeps.
pub fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// The canonical bytes of an entry, without its hashes.
pub fn canonical_bytes(e: &Entry) -> String {
    let event = serde_json::to_value(&e.event).unwrap_or(Value::Null);
    let mut m = Map::new();
    m.insert("correction_reason".into(), json!(e.correction_reason));
    m.insert("event".into(), event);
    m.insert("id".into(), json!(e.id));
    m.insert("meeting_id".into(), json!(e.meeting_id));
    m.insert("recorded_at".into(), json!(e.recorded_at));
    m.insert("supersedes".into(), json!(e.supersedes));
    canonical(&Value::Object(m))
}

pub fn hash_of(e: &Entry, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(canonical_bytes(e).as_bytes());
    h.update(prev_hash.as_bytes());
    format!("{:x}", h.finalize())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_keys_at_every_depth() {
        let v = json!({"b": 1, "a": {"z": [ {"y": 2, "x": 1} ], "c": "é\n"}});
        assert_eq!(
            canonical(&v),
            r#"{"a":{"c":"é\n","z":[{"x":1,"y":2}]},"b":1}"#
        );
    }

    #[test]
    fn known_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
