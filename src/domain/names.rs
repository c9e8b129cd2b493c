//! Which pupils' identifying details a text holds, over a whole caseload at once: one
//! Aho–Corasick automaton over every pupil's name parts (whole words, case and accents folded),
//! dates of birth (as `rules::mentions_pupil` writes them) and UPNs, so checking a text costs its
//! length, not its length times the pupils (the minutes of a 10,000-case meeting check every free
//! text against every pupil).

use aho_corasick::{AhoCorasick, MatchKind};

use crate::domain::caseload::Case;
use crate::domain::text::fold_char;

/// What a pattern must be to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A name part: only as a whole word.
    Word,
    /// A date of birth or UPN: anywhere.
    Anywhere,
}

#[derive(Debug, Clone)]
pub struct NameIndex {
    automaton: Option<AhoCorasick>,
    kinds: Vec<Kind>,
}

fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

impl NameIndex {
    pub fn new<'a>(cases: impl IntoIterator<Item = &'a Case>) -> NameIndex {
        let mut patterns: Vec<String> = Vec::new();
        let mut kinds = Vec::new();
        let mut add = |p: String, k: Kind| {
            if !p.is_empty() {
                patterns.push(p);
                kinds.push(k);
            }
        };
        for case in cases {
            let p = &case.pupil;
            for part in p.name_words() {
                add(fold(part), Kind::Word);
            }
            for id in p.identifiers() {
                add(fold(&id), Kind::Anywhere);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok();
        NameIndex { automaton, kinds }
    }

    /// Does `text` hold any pupil's name (a whole word), date of birth or UPN?
    pub fn mentions(&self, text: &str) -> bool {
        let Some(ac) = &self.automaton else {
            return false;
        };
        // Folding keeps one char for one char, so byte offsets in the folded text fall on char
        // boundaries of the folded text itself.
        let t = fold(text);
        let bytes = t.as_bytes();
        let is_word =
            |i: usize| -> bool { t[i..].chars().next().is_some_and(char::is_alphanumeric) };
        let before_is_word = |i: usize| -> bool {
            t[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        };
        ac.find_overlapping_iter(&t)
            .any(|m| match self.kinds.get(m.pattern().as_usize()) {
                Some(Kind::Word) => {
                    !before_is_word(m.start()) && (m.end() >= bytes.len() || !is_word(m.end()))
                }
                _ => true,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::mentions_pupil;
    use proptest::prelude::*;

    fn demo() -> Vec<Case> {
        crate::io::demo::load().expect("demo").caseload.cases
    }

    /// A parent's or carer's name, phone or e-mail in free text names the family as surely as
    /// the child's own name: the minutes withhold it, the rules refuse it in a reason.
    #[test]
    fn a_parent_or_carer_named_is_caught_like_the_pupil() {
        let mut case = demo().remove(3);
        case.pupil.contacts = vec![crate::domain::caseload::Contact {
            name: "Dana Quillfeather-Okoro".into(),
            relationship: Some("mother".into()),
            address: None,
            phone: Some("07700 900123".into()),
            email: Some("dana@example.invalid".into()),
        }];
        let index = NameIndex::new([&case]);
        for text in [
            "Spoke to Dana about the start date",
            "Mrs Okoro agrees",
            "call 07700 900123 first",
            "letter to dana@example.invalid",
        ] {
            assert!(index.mentions(text), "{text}");
            assert!(mentions_pupil(text, &case), "{text}");
        }
        for text in ["Mother agrees to the start date", "Phone the family first"] {
            assert!(!index.mentions(text), "{text}");
            assert!(!mentions_pupil(text, &case), "{text}");
        }
    }

    #[test]
    fn finds_names_dates_and_upns_and_not_parts_of_words() {
        let cases = demo();
        let idx = NameIndex::new(&cases);
        let k = &cases[0].pupil;
        assert!(idx.mentions(&format!("Spoke to {} today", k.given_name.to_uppercase())));
        assert!(idx.mentions(&format!("born {}", k.date_of_birth.0.format("%d/%m/%Y"))));
        assert!(!idx.mentions("Awaiting the housing officer's report"));
        assert!(!idx.mentions(""));
        // A name inside a longer word is not the name.
        let part = format!("x{}x", k.family_name.to_lowercase());
        assert_eq!(
            idx.mentions(&part),
            cases.iter().any(|c| mentions_pupil(&part, c))
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// The index answers exactly as asking every case in turn does.
        #[test]
        fn agrees_with_asking_each_case(
            pick in 0usize..36,
            which in 0usize..4,
            pre in "[a-zA-Z ,.;0-9/-]{0,12}",
            post in "[a-zA-Z ,.;0-9/-]{0,12}",
        ) {
            let cases = demo();
            let idx = NameIndex::new(&cases);
            let p = &cases[pick % cases.len()].pupil;
            let middle = match which {
                0 => p.given_name.clone(),
                1 => p.family_name.to_lowercase(),
                2 => p.date_of_birth.0.format("%-d/%-m/%Y").to_string(),
                _ => "nothing personal".to_owned(),
            };
            let text = format!("{pre}{middle}{post}");
            prop_assert_eq!(
                idx.mentions(&text),
                cases.iter().any(|c| mentions_pupil(&text, c)),
                "{}", text
            );
        }
    }
}
