//! The hash chain. `docs/log.md` describes both formats for anyone who wants to check a log
//! without fairpanel.
//!
//! Format 2 (this build writes it): each entry's hash is SHA-256 over the bytes
//! `fairpanel-log/2` LF, the entry's body (canonical JSON, see `codec.rs`), LF, and the previous
//! entry's hash (64 lowercase hex characters; the first entry follows [`GENESIS`]). The body holds
//! no personal data, only the SHA-256 of the entry's personal part, so that part can later be
//! removed while the chain still verifies.
//!
//! Format 1 (logs written before): SHA-256 over the canonical JSON object `{"correction_reason",
//! "event", "id", "meeting_id", "recorded_at", "supersedes"}` followed by the previous hash. An
//! upgraded entry keeps its format-1 hash in its body (`v1_hash`), recomputable while its personal
//! part is kept.
//!
//! Canonical JSON: every object's keys sorted by byte order, no whitespace, strings as serde_json
//! writes them (UTF-8, minimal escapes), absent values as `null`.

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

/// The format-1 canonical bytes of an entry, without its hashes.
fn canonical_bytes(e: &Entry) -> String {
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

/// The format-1 hash of an entry.
pub fn v1_hash(e: &Entry, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(canonical_bytes(e).as_bytes());
    h.update(prev_hash.as_bytes());
    format!("{:x}", h.finalize())
}

/// What format 2 hashes before an entry's body: the format, so no body of another format can be
/// mistaken for one of this.
pub const V2_DOMAIN: &str = "fairpanel-log/2";

/// The format-2 hash of an entry with canonical body `body` following `prev_hash`.
pub fn v2_hash(body: &str, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(V2_DOMAIN.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    h.update(b"\n");
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
