//! What a free text holds of a pupil's identity, over a whole caseload at once. This is the one
//! check behind the `names-in-free-text` rules (every reason, package, override, correction,
//! interest, amendment and case text typed at a meeting) and behind the minutes and stories,
//! which withhold a text that names a pupil.
//!
//! A text is folded (case and accents, char for char), the caseload's school names are masked
//! out ("Ask Grace Academy Darlaston" names no pupil called Grace), and then it is searched, at a
//! cost of its length, not its length times the pupils:
//! - name words, as whole words, by one Aho–Corasick automaton;
//! - full names however joined or spaced (`ZoeHart`, `Zoe  Hart`, `hart, zoe`), by a second
//!   automaton over the text with everything but letters and digits squashed out, a match
//!   starting and ending on a word's edge;
//! - phone numbers, e-mail addresses and stored UPNs, anywhere;
//! - dates in any common written form (`02.11.2010`, `2/11/10`, `2nd November 2010`,
//!   `2010-11-02`, `November 2, 2010` …), each looked up among the caseload's dates of birth;
//!   "born", "DOB", "d.o.b." or "date of birth" followed by any date, or a birth year;
//! - any valid UPN (its check letter right), however spaced or hyphenated.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::domain::caseload::{Case, NamePart, Pupil};
use crate::domain::dates::Date;
use crate::domain::text::fold_char;
use crate::domain::upn;

/// What a text was found to hold, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Found {
    /// A given name on its own: a warning (it may be an ordinary word, and alone it seldom
    /// identifies a child), though the minutes still withhold the text.
    GivenName,
    /// A pupil's or parent's family name as a whole word.
    FamilyName,
    /// A full name, however joined or spaced.
    FullName,
    /// A caseload pupil's date of birth, in any common written form.
    DateOfBirth,
    /// "born" or "DOB" and a date.
    BornDate,
    /// A valid UPN, or one the caseload holds.
    Upn,
    /// A parent's or carer's phone number or e-mail address.
    Contact,
}

impl Found {
    /// Does this identify the child or family (refused), rather than only perhaps name them?
    pub fn identifies(self) -> bool {
        self != Found::GivenName
    }

    /// What was found, in words, never the value.
    pub fn words(self) -> &'static str {
        match self {
            Found::GivenName => "the pupil's given name",
            Found::FamilyName => "a family name",
            Found::FullName => "a full name",
            Found::DateOfBirth => "a pupil's date of birth",
            Found::BornDate => "\"born\" or \"DOB\" and a date",
            Found::Upn => "a UPN",
            Found::Contact => "a parent's or carer's phone number or e-mail address",
        }
    }
}

/// The caseload's names, dates of birth and identifiers, and the school names to mask.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    /// Single name words (whole words); empty for an index of identities only.
    words: Option<AhoCorasick>,
    word_parts: Vec<NamePart>,
    /// Full names with everything but letters and digits squashed out.
    full: Option<AhoCorasick>,
    /// Phones, e-mails and stored UPNs, folded, anywhere.
    ids: Option<AhoCorasick>,
    dobs: HashSet<Date>,
    /// School names, folded, masked before anything is looked for.
    schools: Option<AhoCorasick>,
}

fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Letters and digits only, folded.
fn squash(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn automaton(patterns: &[String], kind: MatchKind) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasick::builder().match_kind(kind).build(patterns).ok()
}

impl NameIndex {
    /// Everything that names the caseload's pupils and families, single name words included:
    /// for the minutes and stories, which withhold any text that names a pupil.
    pub fn new<'a>(cases: impl IntoIterator<Item = &'a Case>) -> NameIndex {
        Self::build(cases, true)
    }

    /// Only what identifies a pupil whoever the text is about (full names, dates of birth,
    /// contacts, UPNs): for the rules, which also look at the case's own pupil's name words.
    pub fn identities<'a>(cases: impl IntoIterator<Item = &'a Case>) -> NameIndex {
        Self::build(cases, false)
    }

    fn build<'a>(cases: impl IntoIterator<Item = &'a Case>, with_words: bool) -> NameIndex {
        let mut words = Vec::new();
        let mut word_parts = Vec::new();
        let mut full = Vec::new();
        let mut ids = Vec::new();
        let mut dobs = HashSet::new();
        for case in cases {
            let p = &case.pupil;
            if with_words {
                for (w, part) in p.name_words() {
                    words.push(fold(w));
                    word_parts.push(part);
                }
            }
            full.extend(full_patterns(p));
            ids.extend(p.identifiers().iter().map(|s| fold(s.trim())));
            dobs.insert(p.date_of_birth);
        }
        NameIndex {
            words: automaton(&words, MatchKind::Standard),
            word_parts,
            full: automaton(&full, MatchKind::Standard),
            ids: automaton(&ids, MatchKind::Standard),
            dobs,
            schools: None,
        }
    }

    /// Masks these school names before looking (a school named after a saint or a place can
    /// hold a pupil's name: "Ask Grace Academy Darlaston"); `Caseload::school_names` gives the
    /// caseload's schools and those its pupils attended.
    pub fn with_schools<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> NameIndex {
        let names: Vec<String> = names
            .into_iter()
            .map(fold)
            .filter(|n| n.chars().any(char::is_alphanumeric))
            .collect();
        self.schools = automaton(&names, MatchKind::LeftmostLongest);
        self
    }

    /// Does `text` name any pupil or family of the caseload in any way (a given name alone
    /// included)? The minutes withhold such a text.
    pub fn mentions(&self, text: &str) -> bool {
        self.find(text, None).is_some()
    }

    /// The most identifying thing `text` holds: of the index's pupils, of `own` (the pupil the
    /// text is about: their given name alone is `GivenName`, their family name `FamilyName`),
    /// or of anyone (a valid UPN, "born" and a date).
    pub fn find(&self, text: &str, own: Option<&Pupil>) -> Option<Found> {
        let t = Text::new(text, self.schools.as_ref());
        let mut best = None;
        let mut note = |f: Found| {
            if best < Some(f) {
                best = Some(f);
            }
        };
        if self
            .ids
            .as_ref()
            .is_some_and(|ac| ac.is_match(t.masked.as_str()))
            || own.is_some_and(|p| {
                p.identifiers()
                    .iter()
                    .map(|s| fold(s.trim()))
                    .any(|s| !s.is_empty() && t.masked.contains(&s))
            })
        {
            note(if own.is_some_and(|p| t.holds_upn_of(p)) {
                Found::Upn
            } else {
                Found::Contact
            });
        }
        if t.has_valid_upn() {
            note(Found::Upn);
        }
        let dates = t.dates();
        if dates.iter().any(|d| d.born) {
            note(Found::BornDate);
        }
        if dates.iter().any(|d| {
            d.date.is_some_and(|x| {
                self.dobs.contains(&x) || own.is_some_and(|p| p.date_of_birth == x)
            })
        }) {
            note(Found::DateOfBirth);
        }
        if let Some(ac) = &self.full
            && ac
                .find_overlapping_iter(t.squashed.as_str())
                .any(|m| t.squashed_on_edges(m.start(), m.end()))
        {
            note(Found::FullName);
        }
        if let Some(p) = own
            && full_patterns(p).iter().any(|n| t.squashed_holds(n))
        {
            note(Found::FullName);
        }
        if let Some(ac) = &self.words {
            for m in ac.find_overlapping_iter(t.masked.as_str()) {
                if t.whole_word(m.start(), m.end()) {
                    note(match self.word_parts.get(m.pattern().as_usize()) {
                        Some(NamePart::Given) => Found::GivenName,
                        _ => Found::FamilyName,
                    });
                }
            }
        }
        if let Some(p) = own {
            let words: HashSet<&str> = t.words().collect();
            for (w, part) in p.name_words() {
                if words.contains(fold(w).as_str()) {
                    note(match part {
                        NamePart::Given => Found::GivenName,
                        NamePart::Family => Found::FamilyName,
                    });
                }
            }
        }
        best
    }
}

/// A pupil's full names, squashed: the patterns the full-name search looks for.
fn full_patterns(p: &Pupil) -> Vec<String> {
    p.full_names()
        .iter()
        .map(|n| squash(n))
        .filter(|n| n.chars().count() >= 3)
        .collect()
}

/// A date found in a text: the day it names (none for "born 2010"), and whether "born" or
/// "DOB" came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSeen {
    pub date: Option<Date>,
    pub born: bool,
}

/// One piece of a folded text, for reading dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Num(u32, usize),
    Word(&'a str),
    Punct(char),
}

/// A text folded, its school names masked, and squashed.
struct Text {
    masked: String,
    squashed: String,
    /// For each byte of `squashed`: whether a word of the masked text starts there / whether
    /// one ends just before it (index `squashed.len()` for the end).
    starts: Vec<bool>,
    ends: Vec<bool>,
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

impl Text {
    fn new(text: &str, schools: Option<&AhoCorasick>) -> Text {
        let folded = fold(text);
        let masked = match schools {
            None => folded,
            Some(ac) => {
                let mut bytes = folded.clone().into_bytes();
                for m in ac.find_iter(folded.as_str()) {
                    let before = folded[..m.start()].chars().next_back();
                    let after = folded[m.end()..].chars().next();
                    if !is_word_char(before) && !is_word_char(after) {
                        bytes[m.start()..m.end()].fill(b' ');
                    }
                }
                // A match starts and ends on char boundaries, so spaces over it keep UTF-8.
                String::from_utf8(bytes).unwrap_or(folded)
            }
        };
        let chars: Vec<char> = masked.chars().collect();
        let mut squashed = String::with_capacity(masked.len());
        let mut edges = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if c.is_alphanumeric() {
                let at = squashed.len();
                squashed.push(c);
                let starts_word = i == 0 || !chars[i - 1].is_alphanumeric();
                let ends_word = !is_word_char(chars.get(i + 1).copied());
                edges.push((at, squashed.len(), starts_word, ends_word));
            }
        }
        // `starts[i]`: a word starts at byte i of `squashed`; `ends[i]`: one ends just before it.
        let mut starts = vec![false; squashed.len() + 1];
        let mut ends = vec![false; squashed.len() + 1];
        for (at, end, s, e) in edges {
            starts[at] = s;
            ends[end] = e;
        }
        Text {
            masked,
            squashed,
            starts,
            ends,
        }
    }

    fn squashed_on_edges(&self, start: usize, end: usize) -> bool {
        self.starts.get(start).copied().unwrap_or(false)
            && self.ends.get(end).copied().unwrap_or(false)
    }

    fn squashed_holds(&self, pattern: &str) -> bool {
        self.squashed
            .match_indices(pattern)
            .any(|(i, p)| self.squashed_on_edges(i, i + p.len()))
    }

    fn whole_word(&self, start: usize, end: usize) -> bool {
        !is_word_char(self.masked[..start].chars().next_back())
            && !is_word_char(self.masked[end..].chars().next())
    }

    fn words(&self) -> impl Iterator<Item = &str> {
        self.masked
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    }

    /// The runs of letters and digits with what separates each from the one before.
    fn runs(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        let mut sep_start = 0;
        let mut run_start = None;
        for (i, c) in self.masked.char_indices() {
            match (c.is_alphanumeric(), run_start) {
                (true, None) => run_start = Some(i),
                (false, Some(s)) => {
                    out.push((&self.masked[sep_start..s], &self.masked[s..i]));
                    sep_start = i;
                    run_start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = run_start {
            out.push((&self.masked[sep_start..s], &self.masked[s..]));
        }
        out
    }

    /// Does the text hold a valid UPN (its check letter right), however spaced or hyphenated?
    fn has_valid_upn(&self) -> bool {
        self.upn_candidates()
            .iter()
            .any(|c| upn::check_upn(c).is_ok())
    }

    /// Does it hold this pupil's stored UPN, however spaced?
    fn holds_upn_of(&self, p: &Pupil) -> bool {
        p.upn
            .as_deref()
            .map(|u| squash(u).to_ascii_uppercase())
            .is_some_and(|u| self.upn_candidates().contains(&u))
    }

    /// Every 13 characters made of whole runs joined by spaces, hyphens or dots.
    fn upn_candidates(&self) -> Vec<String> {
        let runs = self.runs();
        let mut out = Vec::new();
        for i in 0..runs.len() {
            let mut acc = String::new();
            for (j, (sep, run)) in runs.iter().enumerate().skip(i) {
                if j > i
                    && !sep
                        .chars()
                        .all(|c| c.is_whitespace() || c == '-' || c == '.')
                {
                    break;
                }
                acc.push_str(run);
                if acc.len() >= 13 {
                    if acc.len() == 13 && acc.is_ascii() {
                        out.push(acc.to_ascii_uppercase());
                    }
                    break;
                }
            }
        }
        out
    }

    fn tokens(&self) -> Vec<Tok<'_>> {
        let s = self.masked.as_str();
        let mut out = Vec::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_ascii_digit() {
                let mut end = i + 1;
                while let Some(&(j, d)) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    end = j + 1;
                    chars.next();
                }
                let digits = &s[i..end];
                // A run too long to be a day, month or year is no part of a date.
                let value = if digits.len() <= 4 {
                    digits.parse().unwrap_or(u32::MAX)
                } else {
                    u32::MAX
                };
                out.push(Tok::Num(value, digits.len()));
            } else if c.is_alphabetic() {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !d.is_alphabetic() {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                out.push(Tok::Word(&s[i..end]));
            } else if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
        }
        out
    }

    /// Every date written in the text, and the birth years after "born" or "DOB".
    fn dates(&self) -> Vec<DateSeen> {
        let toks = self.tokens();
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some(after) = born_keyword(&toks, i) {
                let mut j = after;
                while matches!(toks.get(j), Some(Tok::Punct(':' | '-' | ',' | '=')))
                    || matches!(toks.get(j), Some(Tok::Word("on" | "in" | "is")))
                {
                    j += 1;
                }
                if let Some((date, _)) = date_at(&toks, j) {
                    out.push(DateSeen {
                        date: Some(date),
                        born: true,
                    });
                } else if month_year_at(&toks, j) || year_at(&toks, j) {
                    out.push(DateSeen {
                        date: None,
                        born: true,
                    });
                }
                i = after;
                continue;
            }
            if let Some((date, next)) = date_at(&toks, i) {
                out.push(DateSeen {
                    date: Some(date),
                    born: false,
                });
                i = next;
            } else {
                i += 1;
            }
        }
        out
    }
}

/// "born", "dob", "d.o.b." or "date of birth" at `i`: the index after it.
fn born_keyword(t: &[Tok<'_>], i: usize) -> Option<usize> {
    match t.get(i..) {
        Some([Tok::Word("born" | "dob"), ..]) => Some(i + 1),
        Some([Tok::Word("date"), Tok::Word("of"), Tok::Word("birth"), ..]) => Some(i + 3),
        Some(
            [
                Tok::Word("d"),
                Tok::Punct('.'),
                Tok::Word("o"),
                Tok::Punct('.'),
                Tok::Word("b"),
                rest @ ..,
            ],
        ) => Some(i + 5 + usize::from(matches!(rest.first(), Some(Tok::Punct('.'))))),
        _ => None,
    }
}

fn month(w: &str) -> Option<u32> {
    const NAMES: [(&str, &str); 12] = [
        ("jan", "january"),
        ("feb", "february"),
        ("mar", "march"),
        ("apr", "april"),
        ("may", "may"),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ];
    NAMES
        .iter()
        .position(|(short, long)| w == *short || w == *long || (*short == "sep" && w == "sept"))
        .map(|p| p as u32 + 1)
}

/// A year as written: four digits, or two (taken as 20YY up to 50, else 19YY).
fn year(t: Option<&Tok<'_>>) -> Option<i32> {
    match t {
        Some(Tok::Num(y, 4)) => Some(*y as i32),
        Some(Tok::Num(y, 2)) if *y <= 50 => Some(2000 + *y as i32),
        Some(Tok::Num(y, 2)) => Some(1900 + *y as i32),
        _ => None,
    }
}

fn day(t: Option<&Tok<'_>>) -> Option<u32> {
    match t {
        Some(Tok::Num(d, 1 | 2)) if (1..=31).contains(d) => Some(*d),
        _ => None,
    }
}

fn is_ordinal(t: Option<&Tok<'_>>) -> bool {
    matches!(t, Some(Tok::Word("st" | "nd" | "rd" | "th")))
}

/// A full date starting at token `i`, and the token after it.
fn date_at(t: &[Tok<'_>], i: usize) -> Option<(Date, usize)> {
    numeric_date(t, i)
        .or_else(|| day_month_year(t, i))
        .or_else(|| month_day_year(t, i))
}

/// `2/11/10`, `02.11.2010`, `2-11-2010` (day first) or `2010-11-02` (year first).
fn numeric_date(t: &[Tok<'_>], i: usize) -> Option<(Date, usize)> {
    let [a, Tok::Punct(s1), b, Tok::Punct(s2), c, ..] = t.get(i..)? else {
        return None;
    };
    if s1 != s2 || !matches!(s1, '/' | '.' | '-') {
        return None;
    }
    let date = match (a, b) {
        (Tok::Num(y, 4), Tok::Num(m, 1 | 2)) => Date::from_ymd(*y as i32, *m, day(Some(c))?)?,
        (_, Tok::Num(m, 1 | 2)) => Date::from_ymd(year(Some(c))?, *m, day(Some(a))?)?,
        _ => return None,
    };
    Some((date, i + 5))
}

/// `2 Nov 2010`, `2nd of November, 2010`.
fn day_month_year(t: &[Tok<'_>], i: usize) -> Option<(Date, usize)> {
    let d = day(t.get(i))?;
    let mut j = i + 1;
    if is_ordinal(t.get(j)) {
        j += 1;
    }
    if matches!(t.get(j), Some(Tok::Word("of"))) {
        j += 1;
    }
    let Some(Tok::Word(w)) = t.get(j) else {
        return None;
    };
    let m = month(w)?;
    j += 1;
    while matches!(t.get(j), Some(Tok::Punct('.' | ',' | '-' | '/'))) {
        j += 1;
    }
    let y = year(t.get(j))?;
    Some((Date::from_ymd(y, m, d)?, j + 1))
}

/// `November 2, 2010`, `Nov. 2nd 2010`.
fn month_day_year(t: &[Tok<'_>], i: usize) -> Option<(Date, usize)> {
    let Some(Tok::Word(w)) = t.get(i) else {
        return None;
    };
    let m = month(w)?;
    let mut j = i + 1;
    if matches!(t.get(j), Some(Tok::Punct('.'))) {
        j += 1;
    }
    let d = day(t.get(j))?;
    j += 1;
    if is_ordinal(t.get(j)) {
        j += 1;
    }
    if matches!(t.get(j), Some(Tok::Punct(','))) {
        j += 1;
    }
    let y = year(t.get(j))?;
    Some((Date::from_ymd(y, m, d)?, j + 1))
}

/// `Nov 2010` or `11/2010`: a month of birth.
fn month_year_at(t: &[Tok<'_>], i: usize) -> bool {
    match t.get(i..) {
        Some([Tok::Word(w), rest @ ..]) if month(w).is_some() => {
            let rest = match rest {
                [Tok::Punct('.' | ','), r @ ..] => r,
                r => r,
            };
            matches!(rest.first(), Some(Tok::Num(_, 4)))
        }
        Some(
            [
                Tok::Num(m, 1 | 2),
                Tok::Punct('/' | '.' | '-'),
                Tok::Num(_, 4),
                ..,
            ],
        ) => (1..=12).contains(m),
        _ => false,
    }
}

/// A four-digit year a child now at school could be born in.
fn year_at(t: &[Tok<'_>], i: usize) -> bool {
    matches!(t.get(i), Some(Tok::Num(y, 4)) if (1990..=2035).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn demo() -> Vec<Case> {
        crate::io::demo::load().expect("demo").caseload.cases
    }

    fn pupil(given: &str, family: &str, dob: (i32, u32, u32)) -> Case {
        let mut c = demo().remove(0);
        c.pupil.given_name = given.into();
        c.pupil.family_name = family.into();
        c.pupil.date_of_birth = Date::from_ymd(dob.0, dob.1, dob.2).expect("date");
        c.pupil.upn = None;
        c.pupil.contacts.clear();
        c
    }

    fn dates(text: &str) -> Vec<DateSeen> {
        Text::new(text, None).dates()
    }

    /// A parent's or carer's name, phone or e-mail in free text names the family as surely as
    /// the child's own name: the minutes withhold it, the rules refuse it in a reason (a given
    /// name alone is only a warning).
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
        let rules = NameIndex::identities([&case]);
        for (text, found) in [
            ("Spoke to Dana about the start date", Found::GivenName),
            ("Mrs Okoro agrees", Found::FamilyName),
            ("Dana Quillfeather-Okoro agrees", Found::FullName),
            ("call 07700 900123 first", Found::Contact),
            ("letter to dana@example.invalid", Found::Contact),
        ] {
            assert!(index.mentions(text), "{text}");
            assert_eq!(rules.find(text, Some(&case.pupil)), Some(found), "{text}");
        }
        for text in ["Mother agrees to the start date", "Phone the family first"] {
            assert!(!index.mentions(text), "{text}");
            assert_eq!(rules.find(text, Some(&case.pupil)), None, "{text}");
        }
    }

    #[test]
    fn full_names_however_joined_or_spaced_and_accents_folded() {
        let case = pupil("Zoë", "Hart", (2010, 11, 2));
        let idx = NameIndex::identities([&case]);
        for text in [
            "ZoeHart file incomplete",
            "Zoe  Hart",
            "hart, zoe",
            "HART ZOË",
            "zoe-hart",
            "Zoe\tHart.",
        ] {
            assert_eq!(idx.find(text, None), Some(Found::FullName), "{text}");
        }
        // Not a full name: parts of longer words, or the two apart.
        for text in [
            "Zoe Hartley Road",
            "Chloe Hart",
            "Zoe met Mr Hart",
            "zoehartley",
        ] {
            assert_ne!(idx.find(text, None), Some(Found::FullName), "{text}");
        }
        assert_eq!(
            idx.find("Zoe met Mr Hart", Some(&case.pupil)),
            Some(Found::FamilyName)
        );
        assert_eq!(
            idx.find("zoe to start Monday", Some(&case.pupil)),
            Some(Found::GivenName)
        );
    }

    #[test]
    fn dates_in_every_common_written_form() {
        let want = Date::from_ymd(2010, 11, 2);
        for text in [
            "02.11.2010",
            "2/11/10",
            "2/11/2010",
            "2 / 11 / 2010",
            "2-11-2010",
            "2 Nov 2010",
            "2 nov. 2010",
            "2nd November 2010",
            "2nd of November, 2010",
            "2010-11-02",
            "2010/11/2",
            "November 2, 2010",
            "Nov 2nd 2010",
            "Nov. 2 2010",
        ] {
            let seen = dates(text);
            assert_eq!(seen.len(), 1, "{text}: {seen:?}");
            assert_eq!(seen[0].date, want, "{text}");
            assert!(!seen[0].born, "{text}");
        }
        for text in ["review in May", "start 16/3", "3 hours", "Y10 2010"] {
            assert!(dates(text).iter().all(|d| d.date.is_none()), "{text}");
        }
        assert_eq!(dates("start 16/3/26")[0].date, Date::from_ymd(2026, 3, 16));
    }

    #[test]
    fn born_or_dob_then_any_date() {
        for text in [
            "born 02.11.2010",
            "born 2 Nov 2010",
            "born 14/2/11",
            "Born on 14 February 2011",
            "DOB: 14/02/2011",
            "d.o.b. 14.2.11",
            "D.O.B 2011-02-14",
            "date of birth 14/2/2011",
            "born in 2011",
            "born Feb 2011",
        ] {
            assert!(dates(text).iter().any(|d| d.born), "{text}");
        }
        for text in ["firstborn", "born here", "dob not known", "born and raised"] {
            assert!(!dates(text).iter().any(|d| d.born), "{text}");
        }
    }

    #[test]
    fn any_valid_upn_however_spaced() {
        let idx = NameIndex::default();
        for text in [
            "UPN H9994 1351 4135",
            "H999413514135",
            "h9994-1351-4135",
            "B801200005001",
            "upn: A80120000501A",
        ] {
            assert_eq!(idx.find(text, None), Some(Found::Upn), "{text}");
        }
        // A wrong check letter, or 13 characters across a comma, is no UPN.
        for text in ["A801200005001", "B8012, 00005001", "ref 1234567890123"] {
            assert_eq!(idx.find(text, None), None, "{text}");
        }
    }

    #[test]
    fn school_names_are_masked_before_names_are_looked_for() {
        let case = pupil("Grace", "Okafor", (2011, 5, 1));
        let idx = NameIndex::identities([&case])
            .with_schools(["Ask Grace Academy Darlaston", "St Thomas' School"]);
        assert_eq!(
            idx.find("Ask Grace Academy Darlaston agreed", Some(&case.pupil)),
            None
        );
        assert_eq!(
            idx.find(
                "Grace starts at Ask Grace Academy Darlaston",
                Some(&case.pupil)
            ),
            Some(Found::GivenName)
        );
        assert_eq!(
            idx.find(
                "Grace Okafor to Ask Grace Academy Darlaston",
                Some(&case.pupil)
            ),
            Some(Found::FullName)
        );
    }

    #[test]
    fn schools_the_pupils_attended_are_masked_too() {
        let mut c = crate::io::demo::load().expect("demo").caseload;
        let i = c
            .cases
            .iter()
            .position(|k| k.pupil.given_name == "Keira")
            .expect("Keira");
        c.cases[0]
            .schools_attended
            .push(crate::domain::caseload::Attended {
                urn: None,
                name: "St Keira's Primary".into(),
                from: Date::from_ymd(2018, 9, 1).expect("date"),
                to: None,
            });
        let text = "moved from St Keira's Primary in Y6";
        let own = Some(&c.cases[i].pupil);
        assert_eq!(
            NameIndex::identities(&c.cases).find(text, own),
            Some(Found::GivenName)
        );
        let masked = NameIndex::identities(&c.cases).with_schools(c.school_names());
        assert_eq!(masked.find(text, own), None);
    }

    #[test]
    fn a_caseload_pupils_date_of_birth_and_not_an_ordinary_date() {
        let cases = [
            pupil("Zoe", "Hart", (2010, 11, 2)),
            pupil("Amir", "Khan", (2011, 2, 14)),
        ];
        let idx = NameIndex::identities(&cases);
        for text in ["see 2 November 2010", "14.02.11 on file", "2011-02-14"] {
            assert_eq!(idx.find(text, None), Some(Found::DateOfBirth), "{text}");
        }
        for text in ["start 16/3/26", "review in May", "excluded 2 Nov 2025"] {
            assert_eq!(idx.find(text, None), None, "{text}");
        }
    }

    #[test]
    fn finds_names_dates_and_upns_and_not_parts_of_words() {
        let cases = demo();
        let idx = NameIndex::new(&cases);
        let k = &cases[0].pupil;
        assert!(idx.mentions(&format!("Spoke to {} today", k.given_name.to_uppercase())));
        assert!(idx.mentions(&format!("see {}", k.date_of_birth.0.format("%d/%m/%Y"))));
        assert!(!idx.mentions("Awaiting the housing officer's report"));
        assert!(!idx.mentions(""));
        // A name inside a longer word is not the name.
        let part = format!("x{}x", k.family_name.to_lowercase());
        assert!(!NameIndex::new([&cases[0]]).mentions(&part));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, rng_seed: proptest::test_runner::RngSeed::Fixed(18), ..ProptestConfig::default() })]

        /// A generated name, joined and spaced any way, in any text, is found; the given name
        /// alone only warns.
        #[test]
        fn generated_full_names_are_found_however_written(
            given in "[A-Z][a-z]{2,8}",
            family in "[A-Z][a-z]{2,9}",
            sep in prop::sample::select(vec!["", " ", "  ", "-", ", ", "\t", " . "]),
            swap in any::<bool>(),
            upper in any::<bool>(),
            pre in "[a-z ]{0,10}",
            post in "[a-z ]{0,10}",
        ) {
            let case = pupil(&given, &family, (2010, 11, 2));
            let idx = NameIndex::identities([&case]);
            let (a, b) = if swap { (&family, &given) } else { (&given, &family) };
            let mut name = format!("{a}{sep}{b}");
            if upper { name = name.to_uppercase(); }
            let text = format!("{pre} {name} {post}");
            prop_assert_eq!(idx.find(&text, Some(&case.pupil)), Some(Found::FullName), "{}", text);
            let alone = format!("{pre} {given} {post}");
            let found = idx.find(&alone, Some(&case.pupil));
            prop_assert!(found.is_some_and(|f| !f.identifies() || alone.to_lowercase().contains(&family.to_lowercase())), "{}", alone);
        }

        /// A generated date of birth, written any common way, is found; the same day in
        /// another year is not.
        #[test]
        fn generated_dates_of_birth_are_found_in_any_form(
            y in 2005i32..2021, m in 1u32..=12, d in 1u32..=28, form in 0usize..8,
        ) {
            let case = pupil("Zoe", "Hart", (y, m, d));
            let idx = NameIndex::identities([&case]);
            let date = Date::from_ymd(y, m, d).expect("date").0;
            let f = ["%d.%m.%Y", "%-d/%-m/%y", "%-d %b %Y", "%-d %B %Y", "%Y-%m-%d", "%B %-d, %Y", "%d/%m/%Y", "%-d-%-m-%Y"][form];
            let text = format!("Seen {} by the panel", date.format(f));
            prop_assert_eq!(idx.find(&text, None), Some(Found::DateOfBirth), "{}", text);
            let other = format!("Seen {} by the panel", date.with_year(2026).unwrap_or(date).format(f));
            prop_assert_eq!(idx.find(&other, None), None, "{}", other);
            let born = format!("born {}", date.with_year(y - 1).unwrap_or(date).format(f));
            prop_assert_eq!(idx.find(&born, None), Some(Found::BornDate), "{}", born);
        }

        /// Every valid UPN is found however it is spaced; its check letter changed, it is not.
        #[test]
        fn generated_upns_are_found_however_spaced(
            digits in "[0-9]{12}",
            cut in prop::collection::vec(1usize..12, 0..3),
            sep in prop::sample::select(vec![" ", "-", "  ", "."]),
        ) {
            let Some(letter) = upn::check_letter(digits.as_bytes()) else { return Ok(()); };
            let full = format!("{}{digits}", letter as char);
            let mut spaced = String::new();
            for (i, c) in full.chars().enumerate() {
                if cut.contains(&i) { spaced.push_str(sep); }
                spaced.push(c);
            }
            let idx = NameIndex::default();
            let text = format!("UPN {spaced} on file");
            prop_assert_eq!(idx.find(&text, None), Some(Found::Upn), "{}", text);
            let wrong = if letter == b'A' { 'B' } else { 'A' };
            let bad = format!("UPN {wrong}{} on file", &spaced[1..]);
            prop_assert_eq!(idx.find(&bad, None), None, "{}", bad);
        }

        /// Any text at all, however odd (any Unicode, digits and punctuation), gets an answer: no
        /// panic on a char boundary, a number too long, a date that does not exist.
        #[test]
        fn any_text_is_answered(text in "\\PC{0,80}", digits in "[0-9 ./,:-]{0,40}") {
            let cases = demo();
            let idx = NameIndex::new(&cases).with_schools(["Grace Academy Darlaston", "É"]);
            let t = format!("{text}{digits}born{digits}");
            let _ = idx.find(&t, Some(&cases[0].pupil));
            let _ = idx.find(&t, None);
        }

        /// Ordinary text with ordinary dates names nobody.
        #[test]
        fn ordinary_dates_are_not_dates_of_birth(
            d in 1u32..=28, m in 1u32..=12, y in 24u32..=27,
            word in prop::sample::select(vec!["start", "review", "meeting", "from", "by"]),
        ) {
            let case = pupil("Zoe", "Hart", (2010, 11, 2));
            let idx = NameIndex::identities([&case]);
            let text = format!("{word} {d}/{m}/{y}; review in May");
            prop_assert_eq!(idx.find(&text, Some(&case.pupil)), None, "{}", text);
        }
    }
}
