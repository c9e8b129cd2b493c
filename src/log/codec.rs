//! An entry as format 2 stores it: a body (canonical JSON, hashed into the chain) that holds no
//! personal data, and a personal part (the free text: reasons, package, override and correction
//! reasons, a declared interest) stored apart and named in the body only by its SHA-256. The
//! personal part carries a random nonce, so once it is removed its hash cannot be used to confirm
//! a guess at what it said.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::event::{Entry, Event};
use crate::log::chain::{canonical, sha256_hex};
use crate::log::revision;

/// Which meeting an entry belongs to, as its body names it (so the meeting rows are in the chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingKey {
    pub panel: String,
    pub date: String,
}

/// The free text of one entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Personal {
    pub nonce: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<String>,
    /// A case added or amended: why (amended), and the case's personal data (its pupil's
    /// identifying fields, notes and evidence, as a caseload revision stores them apart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<Value>,
    /// A decision's actions (who, what, by when).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Value>,
}

/// The hashed body of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub v: u32,
    pub id: i64,
    pub meeting: MeetingKey,
    pub kind: String,
    pub case: Option<String>,
    /// The event without its free text.
    pub event: Value,
    /// SHA-256 of the personal part's stored bytes, if the entry has one.
    pub personal: Option<String>,
    pub supersedes: Option<i64>,
    pub recorded_at: String,
    /// The day the entry takes effect: the day a decision was taken (at the meeting or between
    /// meetings), the day a case was agreed to be considered, else the meeting's date. The tally
    /// of an academic year and a case's story are read by it.
    pub day: String,
    /// For a caseload revision: SHA-256 of the stored caseload skeleton (`revision.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseload: Option<String>,
    /// For an entry written in format 1 and upgraded: its format-1 hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v1_hash: Option<String>,
}

/// An entry ready to store: its body's canonical text and its personal part's bytes and hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub body: Body,
    pub body_text: String,
    pub personal: Option<(String, Vec<u8>)>,
}

/// The event's free-text fields, by kind: taken out of the body, kept in the personal part.
const DECISION_TEXT: [&str; 3] = ["reasons", "package", "override_reason"];
const DECLARATION_TEXT: [&str; 1] = ["interest"];
const AMENDMENT_TEXT: [&str; 1] = ["reason"];

fn text_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "decision" => &DECISION_TEXT,
        "declaration" => &DECLARATION_TEXT,
        "case_amended" => &AMENDMENT_TEXT,
        _ => &[],
    }
}

/// Entries that carry a whole case.
fn carries_case(kind: &str) -> bool {
    matches!(kind, "case_added" | "case_amended")
}

/// A fresh random nonce, 128 bits as hex, from the operating system.
pub fn nonce() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// The canonical bytes of a personal part, as stored and hashed.
pub fn personal_bytes(p: &Personal) -> Vec<u8> {
    canonical(&serde_json::to_value(p).unwrap_or(Value::Null)).into_bytes()
}

/// What to store for `entry` (its hashes are not part of the body), with `nonce` for a personal
/// part if it has free text.
pub fn encode(
    entry: &Entry,
    meeting: &MeetingKey,
    caseload: Option<String>,
    v1_hash: Option<String>,
    nonce: impl FnOnce() -> Result<String, getrandom::Error>,
) -> Result<Encoded, String> {
    let kind = entry.event.kind();
    let mut event = serde_json::to_value(&entry.event).map_err(|e| e.to_string())?;
    let mut personal = Personal::default();
    if let Value::Object(m) = &mut event {
        for f in text_fields(kind) {
            let v = m.remove(*f).and_then(|v| v.as_str().map(str::to_owned));
            match *f {
                "reasons" => personal.reasons = v,
                "package" => personal.package = v,
                "override_reason" => personal.override_reason = v,
                "reason" => personal.reason = v,
                _ => personal.interest = v,
            }
        }
        if carries_case(kind)
            && let Some(Value::Object(case)) = m.get_mut("case")
        {
            personal.case = Some(revision::take_personal(case));
        }
        if kind == "decision" {
            personal.actions = m.remove("actions");
        }
    }
    personal.correction_reason = entry.correction_reason.clone();
    let has_text = personal != Personal::default();
    let personal = if has_text {
        personal.nonce = nonce().map_err(|e| format!("no random numbers from the system: {e}"))?;
        let bytes = personal_bytes(&personal);
        Some((sha256_hex(&bytes), bytes))
    } else {
        None
    };
    let day = match &entry.event {
        Event::Decision(d) => d.decided_on.map(|x| x.to_string()),
        Event::AgreedToConsider { date, .. } => Some(date.to_string()),
        _ => None,
    }
    .unwrap_or_else(|| meeting.date.clone());
    let body = Body {
        v: 2,
        id: entry.id,
        day,
        meeting: meeting.clone(),
        kind: kind.to_owned(),
        case: entry.event.case_ref().map(str::to_owned),
        event,
        personal: personal.as_ref().map(|(sha, _)| sha.clone()),
        supersedes: entry.supersedes,
        recorded_at: entry.recorded_at.clone(),
        caseload,
        v1_hash,
    };
    let body_text = canonical(&serde_json::to_value(&body).map_err(|e| e.to_string())?);
    Ok(Encoded {
        body,
        body_text,
        personal,
    })
}

/// What reading an entry takes from its body: the event typed in one pass (its free text is
/// filled in from the personal part after). The rest of the body is the chain's (`verify` holds
/// the row to it).
#[derive(Debug, Deserialize)]
pub struct Stored {
    pub event: Event,
    pub personal: Option<String>,
    pub supersedes: Option<i64>,
    pub recorded_at: String,
}

/// The event and correction reason of a stored entry, with its free text put back from the
/// personal part's bytes (`None` when the part was removed: the text then reads as removed).
/// Also says whether the part was removed.
pub fn decode_stored(
    stored: Stored,
    personal: Option<&[u8]>,
) -> Result<(Event, Option<String>, bool), String> {
    let mut event = stored.event;
    let purged = stored.personal.is_some() && personal.is_none();
    let p: Personal = match personal {
        Some(b) => serde_json::from_slice(b).map_err(|_| "its personal part cannot be read")?,
        None => Personal::default(),
    };
    match &mut event {
        Event::Decision(d) => {
            d.reasons = p.reasons.unwrap_or_else(|| removed(purged));
            d.package = p.package;
            d.override_reason = p.override_reason;
            d.actions = match p.actions {
                Some(a) => serde_json::from_value(a)
                    .map_err(|_| "its personal part's actions cannot be read")?,
                None => Vec::new(),
            };
        }
        Event::Declaration { interest, .. } => {
            *interest = p.interest.unwrap_or_else(|| removed(purged));
        }
        Event::CaseAmended { reason, .. } => {
            *reason = p.reason.unwrap_or_else(|| removed(purged));
        }
        _ => {}
    }
    let correction = match (p.correction_reason, stored.supersedes, purged) {
        (Some(r), _, _) => Some(r),
        (None, Some(_), true) => Some(removed(true)),
        _ => None,
    };
    Ok((event, correction, purged))
}

/// Reads a stored body. A case added or amended holds a case whose personal data is in the
/// personal part, so its body does not read as an event until that is put back (or, removed,
/// marked as removed); every other entry reads in one typed pass.
pub fn parse_stored(body_text: &str, personal: Option<&[u8]>) -> Result<Stored, String> {
    const UNKNOWN: &str = "it is not in a form this fairpanel knows";
    if let Ok(s) = serde_json::from_str::<Stored>(body_text) {
        return Ok(s);
    }
    let mut v: Value = serde_json::from_str(body_text).map_err(|_| UNKNOWN.to_owned())?;
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or_default();
    if !carries_case(kind) {
        return Err(UNKNOWN.to_owned());
    }
    let part = match personal {
        Some(b) => {
            serde_json::from_slice::<Personal>(b)
                .map_err(|_| "its personal part cannot be read".to_owned())?
                .case
        }
        None => None,
    };
    if let Some(Value::Object(case)) = v.pointer_mut("/event/case") {
        match part {
            Some(Value::Object(p)) => revision::put_personal(case, p),
            _ => revision::put_removed(case),
        }
    }
    serde_json::from_value(v).map_err(|_| UNKNOWN.to_owned())
}

/// The same, from a body already read as [`Body`].
pub fn decode(
    body: &Body,
    personal: Option<&[u8]>,
) -> Result<(Event, Option<String>, bool), String> {
    let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
    decode_stored(parse_stored(&text, personal)?, personal)
}

/// What removed free text reads as.
fn removed(purged: bool) -> String {
    if purged {
        "[removed: personal data past its retention date]".to_owned()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Decision, Outcome};

    fn entry(event: Event) -> Entry {
        Entry {
            id: 7,
            meeting_id: 1,
            event,
            supersedes: Some(3),
            correction_reason: Some("Wrong outcome recorded".into()),
            recorded_at: "2026-03-12T10:00:00.000Z".into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn free_text_leaves_the_body_and_comes_back_whole() {
        let mut d = Decision::new("FA-2026-003", Outcome::DeferMoreInfo);
        d.reasons = "Awaiting the refuge's letter".into();
        d.package = Some("Transport".into());
        d.agreed_by = vec!["Janet Okafor".into()];
        let e = entry(Event::Decision(d));
        let key = MeetingKey {
            panel: "p".into(),
            date: "2026-03-12".into(),
        };
        let enc = encode(&e, &key, None, None, || Ok("00".repeat(16))).unwrap();
        assert!(!enc.body_text.contains("refuge"), "{}", enc.body_text);
        assert!(!enc.body_text.contains("Transport"));
        assert!(!enc.body_text.contains("Wrong outcome"));
        assert!(enc.body_text.contains("Janet Okafor"), "member names stay");
        let (sha, bytes) = enc.personal.clone().unwrap();
        assert_eq!(sha256_hex(&bytes), sha);
        assert_eq!(enc.body.personal.as_deref(), Some(sha.as_str()));
        let (event, correction, purged) = decode(&enc.body, Some(&bytes)).unwrap();
        assert_eq!(event, e.event);
        assert_eq!(correction, e.correction_reason);
        assert!(!purged);
        // Removed: the text reads as removed, the rest of the decision stands.
        let (event, correction, purged) = decode(&enc.body, None).unwrap();
        assert!(purged);
        let Event::Decision(d) = event else { panic!() };
        assert!(d.reasons.starts_with("[removed"));
        assert_eq!(d.package, None);
        assert!(correction.unwrap().starts_with("[removed"));
    }

    #[test]
    fn an_entry_without_free_text_has_no_personal_part() {
        let e = Entry {
            correction_reason: None,
            supersedes: None,
            ..entry(Event::Attendance {
                member: "Janet Okafor".into(),
                status: crate::domain::event::Attendance::Present,
                time: None,
            })
        };
        let key = MeetingKey {
            panel: "p".into(),
            date: "d".into(),
        };
        let enc = encode(&e, &key, None, None, || panic!("no nonce needed")).unwrap();
        assert_eq!(enc.personal, None);
        assert_eq!(decode(&enc.body, None).unwrap().0, e.event);
    }

    #[test]
    fn a_case_added_keeps_its_pupil_in_the_personal_part_and_reads_without_it() {
        let c = crate::io::caseload::parse(crate::io::demo::DEMO_CASELOAD)
            .unwrap()
            .caseload;
        let mut case = c.cases[2].clone();
        case.notes = Some("Moved in last week".into());
        let e = Entry {
            correction_reason: None,
            supersedes: None,
            ..entry(Event::CaseAmended {
                case: Box::new(case.clone()),
                reason: "Date of birth corrected".into(),
            })
        };
        let key = MeetingKey {
            panel: "p".into(),
            date: "2026-03-12".into(),
        };
        let enc = encode(&e, &key, None, None, || Ok("00".repeat(16))).unwrap();
        for secret in [
            case.pupil.given_name.as_str(),
            case.pupil.family_name.as_str(),
            "date_of_birth",
            "Moved in last week",
            "Date of birth corrected",
            case.categories[0].evidence.as_str(),
        ] {
            assert!(
                !enc.body_text.contains(secret),
                "{secret}: {}",
                enc.body_text
            );
        }
        assert!(enc.body_text.contains(&case.reference));
        let (_, bytes) = enc.personal.clone().unwrap();
        let stored = parse_stored(&enc.body_text, Some(&bytes)).unwrap();
        let (event, _, purged) = decode_stored(stored, Some(&bytes)).unwrap();
        assert_eq!(event, e.event);
        assert!(!purged);
        // Removed: the case still reads, its pupil unnamed, its facts for the rules kept.
        let stored = parse_stored(&enc.body_text, None).unwrap();
        let (event, _, purged) = decode_stored(stored, None).unwrap();
        assert!(purged);
        let Event::CaseAmended { case: k, reason } = event else {
            panic!()
        };
        assert_eq!(k.pupil.given_name, "[removed]");
        assert_eq!(k.pupil.sen, case.pupil.sen);
        assert_eq!(k.notes, None);
        assert!(reason.starts_with("[removed"));
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(nonce().unwrap(), nonce().unwrap());
        assert_eq!(nonce().unwrap().len(), 32);
    }
}
