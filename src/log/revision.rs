//! A caseload as format 2 stores it with a meeting: a skeleton (the panel, calendar, schools,
//! places, and every case without its personal data) and, per case, a personal part (the pupil's
//! names, date of birth, UPN and home, the LA's notes, the evidence for each category). Each part
//! is stored once, by the SHA-256 of its bytes: a later revision that leaves a case's personal data
//! as it was shares that case's part, and only what changed is stored again. The personal parts
//! carry a random nonce, so a part that has been removed cannot be guessed from its hash.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::domain::caseload::Caseload;
use crate::log::chain::{canonical, sha256_hex};

/// Pupil fields that identify the child or their family; the rest (sex, SEN status,
/// looked-after flags, the year group stated) stay in the skeleton, which the rules need and
/// which identify no one alone.
const PUPIL_PERSONAL: [&str; 8] = [
    "given_name",
    "family_name",
    "date_of_birth",
    "upn",
    "uln",
    "home_easting",
    "home_northing",
    "contacts",
];

/// The personal parts of a revision by case reference: each part's hash and its content without
/// its nonce.
pub type Parts = HashMap<String, (String, Value)>;

/// A caseload split for storing.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub skeleton: String,
    pub skeleton_sha: String,
    /// Personal parts by their hash, each with its bytes; parts reused from the previous
    /// revision are not listed again.
    pub parts: Vec<(String, Vec<u8>)>,
}

/// A case's personal part without its nonce, to tell whether it changed between revisions.
fn content(part: &Value) -> Value {
    let mut c = part.clone();
    if let Value::Object(m) = &mut c {
        m.remove("nonce");
    }
    c
}

/// Takes a case's personal data out of it (as JSON): the pupil's identifying fields, the LA's
/// notes and each category's evidence. The same split for a caseload revision and for a case
/// added or amended at a meeting.
pub fn take_personal(m: &mut Map<String, Value>) -> Value {
    let mut part = Map::new();
    if let Some(Value::Object(pupil)) = m.get_mut("pupil") {
        let mut p = Map::new();
        for f in PUPIL_PERSONAL {
            if let Some(v) = pupil.remove(f) {
                p.insert(f.to_owned(), v);
            }
        }
        part.insert("pupil".into(), Value::Object(p));
    }
    if let Some(n) = m.remove("notes") {
        part.insert("notes".into(), n);
    }
    let mut evidence = Vec::new();
    if let Some(Value::Array(cats)) = m.get_mut("categories") {
        for cat in cats {
            if let Value::Object(cm) = cat {
                evidence.push(cm.remove("evidence").unwrap_or(Value::Null));
            }
        }
    }
    part.insert("evidence".into(), Value::Array(evidence));
    Value::Object(part)
}

/// Puts back into a case what [`take_personal`] took out (a nonce in `p` is ignored).
pub fn put_personal(m: &mut Map<String, Value>, mut p: Map<String, Value>) {
    if let (Some(Value::Object(pupil)), Some(Value::Object(extra))) =
        (m.get_mut("pupil"), p.remove("pupil"))
    {
        pupil.extend(extra);
    }
    if let Some(n) = p.remove("notes") {
        m.insert("notes".into(), n);
    }
    if let (Some(Value::Array(cats)), Some(Value::Array(ev))) =
        (m.get_mut("categories"), p.remove("evidence"))
    {
        for (cat, e) in cats.iter_mut().zip(ev) {
            if let Value::Object(cm) = cat {
                cm.insert("evidence".into(), e);
            }
        }
    }
}

/// What a removed case's personal data reads as: the case stays readable, its pupil unnamed.
pub fn put_removed(m: &mut Map<String, Value>) {
    const REMOVED: &str = "[removed]";
    if let Some(Value::Object(pupil)) = m.get_mut("pupil") {
        pupil.insert("given_name".into(), Value::String(REMOVED.into()));
        pupil.insert("family_name".into(), Value::String(REMOVED.into()));
        // A case cannot be read without a date of birth: a removed one reads as 1 January
        // 2000, and the names say it was removed.
        pupil.insert("date_of_birth".into(), Value::String("2000-01-01".into()));
    }
    if let Some(Value::Array(cats)) = m.get_mut("categories") {
        for cat in cats {
            if let Value::Object(cm) = cat {
                cm.insert("evidence".into(), Value::String(REMOVED.into()));
            }
        }
    }
}

/// Splits `c`. `previous` maps a case reference to the hash and content of its personal part in
/// the meeting's previous revision, whose parts are reused where the content is the same.
pub fn split(
    c: &Caseload,
    previous: &Parts,
    mut nonce: impl FnMut() -> Result<String, String>,
) -> Result<Split, String> {
    let mut doc = serde_json::to_value(c).map_err(|e| e.to_string())?;
    let mut parts = Vec::new();
    if let Some(Value::Array(cases)) = doc.get_mut("cases") {
        for case in cases {
            let Value::Object(m) = case else { continue };
            let reference = m
                .get("ref")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let part = take_personal(m);
            let sha = match previous.get(&reference) {
                Some((sha, before)) if *before == part => sha.clone(),
                _ => {
                    let mut with_nonce = part;
                    if let Value::Object(pm) = &mut with_nonce {
                        pm.insert("nonce".into(), Value::String(nonce()?));
                    }
                    let bytes = canonical(&with_nonce).into_bytes();
                    let sha = sha256_hex(&bytes);
                    parts.push((sha.clone(), bytes));
                    sha
                }
            };
            m.insert("personal".into(), Value::String(sha));
        }
    }
    let skeleton = canonical(&doc);
    Ok(Split {
        skeleton_sha: sha256_hex(skeleton.as_bytes()),
        skeleton,
        parts,
    })
}

/// The personal part hashes a skeleton names, by case reference.
pub fn part_hashes(skeleton: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(Value::Array(cases)) = skeleton.get("cases") {
        for case in cases {
            if let (Some(r), Some(sha)) = (
                case.get("ref").and_then(Value::as_str),
                case.get("personal").and_then(Value::as_str),
            ) {
                out.push((r.to_owned(), sha.to_owned()));
            }
        }
    }
    out
}

/// The personal parts of a revision by case reference, without their nonces: what the next
/// revision compares against.
pub fn previous_parts(skeleton: &Value, part: impl Fn(&str) -> Option<Vec<u8>>) -> Parts {
    let mut out = HashMap::new();
    for (r, sha) in part_hashes(skeleton) {
        if let Some(v) = part(&sha).and_then(|b| serde_json::from_slice::<Value>(&b).ok()) {
            out.insert(r, (sha, content(&v)));
        }
    }
    out
}

/// Why a stored caseload could not be put back together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// A case's personal part is not stored at all (a part removed when its time was up is
    /// still stored, without its bytes, and reads as removed).
    Missing(String),
    /// The stored text does not read as a caseload.
    Unreadable(String),
}

/// Puts a caseload back together from its skeleton and the bytes of each case's personal part:
/// `part` gives `None` for a part not stored, `Some(None)` for one removed when its time was up
/// (`purge`), whose case then reads with its pupil as `[removed]`.
pub fn join(
    skeleton: &[u8],
    part: impl Fn(&str) -> Option<Option<Vec<u8>>>,
) -> Result<Caseload, JoinError> {
    join_cases(skeleton, part, |_| true)
}

/// [`join`] keeping only the cases whose reference `keep` accepts: the others' personal parts
/// are never read (a report wants from an earlier revision only the cases later ones dropped).
pub fn join_cases(
    skeleton: &[u8],
    part: impl Fn(&str) -> Option<Option<Vec<u8>>>,
    mut keep: impl FnMut(&str) -> bool,
) -> Result<Caseload, JoinError> {
    let unreadable = |what: &str| JoinError::Unreadable(what.to_owned());
    // The cases stay text until kept: an earlier revision's cases a report already has cost a
    // scan for their reference, not a parse.
    let RawSkeleton { cases, mut rest } =
        serde_json::from_slice(skeleton).map_err(|_| unreadable("the caseload skeleton"))?;
    let mut kept = Vec::new();
    for raw in cases {
        let CaseRef { reference } =
            serde_json::from_str(raw.get()).map_err(|_| unreadable("a case of the skeleton"))?;
        if !keep(&reference) {
            continue;
        }
        let Ok(Value::Object(mut m)) = serde_json::from_str::<Value>(raw.get()) else {
            return Err(JoinError::Unreadable(format!("case {reference}")));
        };
        let sha = match m.remove("personal") {
            Some(Value::String(s)) => s,
            _ => return Err(JoinError::Unreadable(format!("case {reference}"))),
        };
        match part(&sha).ok_or_else(|| JoinError::Missing(reference.to_string()))? {
            None => put_removed(&mut m),
            Some(bytes) => {
                let Ok(Value::Object(p)) = serde_json::from_slice::<Value>(&bytes) else {
                    return Err(JoinError::Unreadable(format!(
                        "the personal part of case {reference}"
                    )));
                };
                put_personal(&mut m, p);
            }
        }
        kept.push(Value::Object(m));
    }
    rest.insert("cases".into(), Value::Array(kept));
    serde_json::from_value(Value::Object(rest)).map_err(|_| unreadable("the caseload"))
}

/// A stored skeleton with its cases left as text.
#[derive(serde::Deserialize)]
struct RawSkeleton<'a> {
    #[serde(borrow, default)]
    cases: Vec<&'a RawValue>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// A case's reference, read without parsing the rest of the case.
#[derive(serde::Deserialize)]
struct CaseRef<'a> {
    #[serde(rename = "ref", borrow)]
    reference: Cow<'a, str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Caseload {
        crate::io::demo::load().expect("demo").caseload
    }

    fn counter() -> impl FnMut() -> Result<String, String> {
        let mut n = 0;
        move || {
            n += 1;
            Ok(format!("{n:032x}"))
        }
    }

    #[test]
    fn split_keeps_names_out_of_the_skeleton_and_join_gives_the_caseload_back() {
        let mut c = demo();
        c.cases[1]
            .pupil
            .contacts
            .push(crate::domain::caseload::Contact {
                name: "Dana Invented".into(),
                relationship: Some("mother".into()),
                address: Some("1 Nowhere Row, Walsall".into()),
                phone: Some("07700 900123".into()),
                email: Some("dana@example.org".into()),
            });
        let s = split(&c, &HashMap::new(), counter()).unwrap();
        for secret in [
            "Dana Invented",
            "Nowhere Row",
            "07700 900123",
            "dana@example.org",
        ] {
            assert!(
                !s.skeleton.contains(secret),
                "a parent's {secret} in the skeleton"
            );
        }
        assert!(!s.skeleton.contains("\"contacts\""));
        for k in &c.cases {
            assert!(
                !s.skeleton.contains(&k.pupil.family_name),
                "{}",
                k.reference
            );
            assert!(!s.skeleton.contains(&k.pupil.date_of_birth.to_string()));
            if let Some(n) = &k.notes {
                assert!(!s.skeleton.contains(n.as_str()));
            }
        }
        assert_eq!(s.parts.len(), c.cases.len());
        let parts: HashMap<String, Vec<u8>> = s.parts.iter().cloned().collect();
        let back = join(s.skeleton.as_bytes(), |sha| Some(parts.get(sha).cloned())).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn join_cases_reads_the_personal_parts_of_the_kept_cases_only() {
        let c = demo();
        let s = split(&c, &HashMap::new(), counter()).unwrap();
        let parts: HashMap<String, Vec<u8>> = s.parts.iter().cloned().collect();
        let wanted = &c.cases[1];
        let asked = std::cell::RefCell::new(Vec::new());
        let back = join_cases(
            s.skeleton.as_bytes(),
            |sha| {
                asked.borrow_mut().push(sha.to_owned());
                Some(parts.get(sha).cloned())
            },
            |r| r == wanted.reference,
        )
        .unwrap();
        assert_eq!(back.cases, vec![wanted.clone()]);
        assert_eq!(asked.borrow().len(), 1, "one part read, the kept case's");
        assert_eq!(back.schools, c.schools);
        assert_eq!(back.panel, c.panel);
        // A skeleton whose case has no reference is unreadable, not a case with an empty one.
        let broken = s.skeleton.replacen("\"ref\"", "\"reff\"", 1);
        assert!(matches!(
            join_cases(broken.as_bytes(), |_| None, |_| true),
            Err(JoinError::Unreadable(_))
        ));
    }

    #[test]
    fn a_later_revision_stores_only_the_parts_that_changed() {
        let c = demo();
        let first = split(&c, &HashMap::new(), counter()).unwrap();
        let parts: HashMap<String, Vec<u8>> = first.parts.iter().cloned().collect();
        let skel: Value = serde_json::from_str(&first.skeleton).unwrap();
        let previous = previous_parts(&skel, |sha| parts.get(sha).cloned());
        let mut edited = c.clone();
        edited.cases[2].pupil.given_name = "Corrected".into();
        edited.panel.name.push_str(" (late referral)");
        let second = split(&edited, &previous, counter()).unwrap();
        assert_eq!(second.parts.len(), 1, "only the changed case");
        assert_ne!(second.skeleton_sha, first.skeleton_sha);
        let mut all = parts.clone();
        all.extend(second.parts.iter().cloned());
        let back = join(second.skeleton.as_bytes(), |sha| {
            Some(all.get(sha).cloned())
        })
        .unwrap();
        assert_eq!(back, edited);
    }

    #[test]
    fn a_missing_part_is_named_by_its_case() {
        let c = demo();
        let s = split(&c, &HashMap::new(), counter()).unwrap();
        let first = c.cases[0].reference.clone();
        let missing = s.parts[0].0.clone();
        let parts: HashMap<String, Vec<u8>> = s.parts.iter().cloned().collect();
        let r = join(s.skeleton.as_bytes(), |sha| {
            (sha != missing).then(|| parts.get(sha).cloned())
        });
        assert_eq!(r, Err(JoinError::Missing(first)));
    }

    #[test]
    fn a_removed_part_reads_as_removed_and_the_rest_of_the_caseload_stands() {
        let c = demo();
        let s = split(&c, &HashMap::new(), counter()).unwrap();
        let removed = s.parts[0].0.clone();
        let parts: HashMap<String, Vec<u8>> = s.parts.iter().cloned().collect();
        let back = join(s.skeleton.as_bytes(), |sha| {
            Some((sha != removed).then(|| parts.get(sha).cloned()).flatten())
        })
        .unwrap();
        assert_eq!(back.cases[0].pupil.given_name, "[removed]");
        assert_eq!(back.cases[0].pupil.family_name, "[removed]");
        assert_ne!(
            back.cases[0].pupil.family_name,
            c.cases[0].pupil.family_name
        );
        assert_eq!(back.cases[0].notes, None);
        assert_eq!(back.cases[0].reference, c.cases[0].reference);
        assert_eq!(back.cases[0].categories.len(), c.cases[0].categories.len());
        assert_eq!(back.cases[1..], c.cases[1..], "the other cases are whole");
    }
}
