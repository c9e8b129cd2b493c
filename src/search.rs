//! Fuzzy search over a list (cases or schools) with SkimMatcherV2, fast enough to re-rank on every
//! keystroke over 100k items.
//!
//! Keys are folded once (lower case, accents removed char for char, see `text::fold_char`), since
//! skim folds ASCII only. As the query grows, only the previous hits are rescanned: a subsequence
//! match of the longer query implies one of the shorter, and each hit remembers where the query's
//! chars fell, so the next char is looked for from there. Earlier hit lists are kept on a stack
//! so Backspace is instant. Large scans are split across two threads.
//!
//! Every score is skim's own: `SkimMatcherV2::simple_match`, called with the same arguments its
//! `fuzzy_match` would pass it (see `score`). The tests compare whole result lists, scores
//! included, with plain `fuzzy_match` over the whole key.

use std::sync::atomic::{AtomicUsize, Ordering};

use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::text::{fold_char, fold_into};

/// Below this many candidates a second thread costs more than it saves.
const PARALLEL_FROM: usize = 4096;

/// Candidates in a chunk of the full list, the unit a thread takes at a time (see
/// `Searcher::scan`); a narrowed list keeps the chunks it came from, smaller.
const CHUNK: usize = 1024;

/// Stands for a non-ASCII char in `Index::bytes`; no ASCII query char equals it.
const NOT_ASCII: u8 = 0x80;

/// Folded search keys, one per item, in the order items are listed when unfiltered.
///
/// Folded keys are almost all ASCII, so each is kept as one byte a char (about 9 MB for 100k
/// cases of the benchmark's 90-char keys): a keystroke streams through a quarter of the memory
/// that chars would take, finds query chars with memchr, and widens a key into chars (the form
/// skim scores) only when the query is in it. The few keys with other chars are kept as chars too.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Every key end to end, one byte a char: the char when ASCII, else `NOT_ASCII`.
    bytes: Vec<u8>,
    /// Where each key ends in `bytes`.
    ends: Vec<usize>,
    /// One bit an item: set when its key has a char that is not ASCII.
    wide_bits: Vec<u64>,
    /// The chars of those keys, by item number, ascending.
    wide: Vec<(u32, Box<[char]>)>,
    /// Each item's id (a case reference, a school URN), folded, with the item, in id order.
    ids: Vec<(Box<str>, u32)>,
}

impl Index {
    pub fn new(keys: Vec<String>) -> Index {
        let mut bytes = Vec::with_capacity(keys.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(keys.len());
        let mut wide_bits = vec![0u64; keys.len().div_ceil(64)];
        let mut wide = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            if k.is_ascii() {
                bytes.extend_from_slice(k.as_bytes());
            } else {
                let chars: Box<[char]> = k.chars().collect();
                bytes.extend(
                    chars
                        .iter()
                        .map(|&c| if c.is_ascii() { c as u8 } else { NOT_ASCII }),
                );
                wide_bits[i / 64] |= 1 << (i % 64);
                wide.push((i as u32, chars));
            }
            ends.push(bytes.len());
        }
        Index {
            bytes,
            ends,
            wide_bits,
            wide,
            ids: Vec::new(),
        }
    }

    /// Gives each item an id (`ids[i]` for item `i`): a query that is an id, or the start of
    /// one, then ranks those items first (see `promote`).
    pub fn with_ids(mut self, ids: &[&str]) -> Index {
        let mut v: Vec<(Box<str>, u32)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (fold_query(id.trim()).into_boxed_str(), i as u32))
            .collect();
        v.sort_unstable();
        self.ids = v;
        self
    }

    /// `ranked` (the fuzzy hits for `query`, best first) with the items whose id is the query
    /// first, then those whose id starts with it (from two characters on), in id order, then the
    /// rest as ranked. Skim scores a reference typed in full no higher than another case whose
    /// name, school and reference hold the same characters (`FA-2026-002` ranked `MM-2026-002`
    /// first): the chair typing a reference must land on that case and no other child's.
    pub fn promote(&self, query: &str, ranked: &[u32]) -> Vec<u32> {
        let q = fold_query(query.trim());
        if q.is_empty() || self.ids.is_empty() {
            return ranked.to_vec();
        }
        let from = self.ids.partition_point(|(id, _)| id.as_ref() < q.as_str());
        let prefix = |id: &str| {
            if q.chars().count() >= 2 {
                id.starts_with(q.as_str())
            } else {
                id == q
            }
        };
        let matching = self.ids[from..]
            .iter()
            .take_while(|(id, _)| prefix(id))
            .collect::<Vec<_>>();
        if matching.is_empty() {
            return ranked.to_vec();
        }
        // The exact id sorts first among those it starts (it is the shortest).
        let mut first: Vec<u32> = matching.iter().map(|(_, item)| *item).collect();
        let mut taken = vec![0u64; self.len().div_ceil(64)];
        for &i in &first {
            taken[i as usize / 64] |= 1 << (i % 64);
        }
        first.extend(
            ranked
                .iter()
                .copied()
                .filter(|&i| taken[i as usize / 64] & (1 << (i % 64)) == 0),
        );
        first
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    #[inline]
    pub fn key(&self, i: usize) -> Key<'_> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let wide = if self.wide_bits[i / 64] & (1 << (i % 64)) != 0 {
            self.wide
                .binary_search_by_key(&(i as u32), |(item, _)| *item)
                .ok()
                .map(|at| &*self.wide[at].1)
        } else {
            None
        };
        Key {
            bytes: &self.bytes[start..self.ends[i]],
            wide,
        }
    }
}

/// One item's key (see `Index`).
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    bytes: &'a [u8],
    /// The key's chars, when some are not ASCII.
    wide: Option<&'a [char]>,
}

impl<'a> Key<'a> {
    /// Where `c` is first found at or after char `from`.
    fn find(&self, c: char, from: usize) -> Option<usize> {
        let at = match u8::try_from(c) {
            Ok(b) if b.is_ascii() => memchr::memchr(b, self.bytes.get(from..)?),
            _ => self.wide?.get(from..)?.iter().position(|&k| k == c),
        };
        at.map(|at| from + at)
    }

    /// The key as chars, widened into `scratch` when it is all ASCII.
    fn chars<'s>(&self, scratch: &'s mut Vec<char>) -> &'s [char]
    where
        'a: 's,
    {
        match self.wide {
            Some(chars) => chars,
            None => {
                scratch.clear();
                scratch.extend(self.bytes.iter().map(|&b| char::from(b)));
                scratch
            }
        }
    }

    /// The key as it was built.
    #[cfg(test)]
    fn text(&self) -> String {
        match self.wide {
            Some(chars) => chars.iter().collect(),
            None => self.bytes.iter().map(|&b| char::from(b)).collect(),
        }
    }
}

/// Builds one folded key from an item's fields; remembers where each field starts (in chars) so
/// highlights can be mapped back onto the fields shown.
#[derive(Debug, Default)]
pub struct KeyBuilder {
    key: String,
    chars: usize,
    starts: Vec<usize>,
}

impl KeyBuilder {
    pub fn field(&mut self, s: &str) -> &mut Self {
        if !self.key.is_empty() {
            self.key.push(' ');
            self.chars += 1;
        }
        self.starts.push(self.chars);
        fold_into(&mut self.key, s);
        self.chars += s.chars().count();
        self
    }

    pub fn finish(self) -> (String, Vec<usize>) {
        (self.key, self.starts)
    }
}

/// SkimMatcherV2 as the brief asks, configured for keystroke speed over 20k–100k cases:
/// - `respect_case`: keys and queries are both folded to lower case already, so smart case would
///   lower-case every char of every key again on every keystroke;
/// - `element_limit(1)`: skim's own fallback for large inputs, its greedy `simple_match` scoring
///   (bonuses at the first match of each query char) instead of the full alignment matrix. It
///   finds exactly the same items; only the order among matches can differ. Measured here
///   (`cargo bench --bench perf`, 2 cores): a keystroke over 20k cases went from 12–19 ms to 2–6 ms
///   p95.
fn matcher() -> SkimMatcherV2 {
    SkimMatcherV2::default().respect_case().element_limit(1)
}

/// Finds the chars of `q` after those already placed in `firsts`, each at its first place after
/// the previous one, as skim's `cheap_matches` does from the start; false when one is missing.
fn place_rest(key: Key<'_>, q: &[char], firsts: &mut Vec<usize>) -> bool {
    let mut from = firsts.last().map_or(0, |&p| p + 1);
    for &c in &q[firsts.len()..] {
        let Some(at) = key.find(c, from) else {
            return false;
        };
        firsts.push(at);
        from = at + 1;
    }
    true
}

/// Skim's score of `key` for `q` (both folded), `firsts` holding the places of the first of
/// `q`'s chars, found earlier: exactly what `matcher.fuzzy_match` (or, `with_pos`,
/// `fuzzy_indices`) gives for the same text. With `element_limit(1)` and a query of at least one
/// char, skim's `fuzzy` decodes both into chars, places the query chars (`cheap_matches`) and
/// hands those places to its public `simple_match`; this takes the same steps from a key kept as
/// bytes and from places already known, and calls the same `simple_match`.
fn score(
    matcher: &SkimMatcherV2,
    key: Key<'_>,
    q: &[char],
    firsts: &mut Vec<usize>,
    scratch: &mut Vec<char>,
    with_pos: bool,
) -> Option<(i64, Vec<usize>)> {
    if q.is_empty() || !place_rest(key, q, firsts) {
        return None;
    }
    matcher.simple_match(key.chars(scratch), q, firsts, true, with_pos)
}

/// The hits of one query: best first for the screen, and in list order, in chunks, for narrowing
/// the next (each chunk is one unit of work for the next scan).
struct Level {
    query: String,
    ranked: Vec<u32>,
    chunks: Vec<Chunk>,
}

impl Level {
    fn everything(n: usize) -> Level {
        let chunks = (0..n)
            .step_by(CHUNK)
            .map(|lo| {
                let hi = (lo + CHUNK).min(n);
                Chunk {
                    in_order: (lo as u32..hi as u32).collect(),
                    scores: vec![0; hi - lo],
                    firsts: Vec::new(),
                }
            })
            .collect();
        Level {
            query: String::new(),
            ranked: (0..n as u32).collect(),
            chunks,
        }
    }
}

/// Consecutive hits of one query, in list order, with their scores.
struct Chunk {
    in_order: Vec<u32>,
    scores: Vec<i32>,
    /// For each item of `in_order`, where each char of the query was first found in its key (one
    /// entry a query char, end to end): the next query char is looked for after the last of
    /// them, so a longer query does not scan the start of every key again.
    firsts: Vec<usize>,
}

impl Chunk {
    fn with_capacity(items: usize, query_chars: usize) -> Chunk {
        Chunk {
            in_order: Vec::with_capacity(items),
            scores: Vec::with_capacity(items),
            firsts: Vec::with_capacity(items * query_chars),
        }
    }
}

/// The items of `chunks` (in list order), best score first, equal scores in list order. Skim's
/// scores for keys of a few hundred chars at most span a few hundred values, so this is a
/// counting sort: three passes, no comparisons. A wider spread falls back to a stable
/// comparison sort.
fn rank(chunks: &[Chunk]) -> Vec<u32> {
    let (mut low, mut high, mut n) = (i32::MAX, i32::MIN, 0);
    for c in chunks {
        for &s in &c.scores {
            low = low.min(s);
            high = high.max(s);
        }
        n += c.scores.len();
    }
    if n == 0 {
        return Vec::new();
    }
    let spread = (i64::from(high) - i64::from(low)) as usize + 1;
    if spread > 1 << 16 {
        let mut all: Vec<(i32, u32)> = chunks
            .iter()
            .flat_map(|c| c.scores.iter().copied().zip(c.in_order.iter().copied()))
            .collect();
        all.sort_by_key(|&(s, _)| std::cmp::Reverse(s));
        return all.into_iter().map(|(_, item)| item).collect();
    }
    let slot = |s: i32| (i64::from(high) - i64::from(s)) as usize;
    let mut next = vec![0usize; spread];
    for c in chunks {
        for &s in &c.scores {
            next[slot(s)] += 1;
        }
    }
    let mut before = 0;
    for n in &mut next {
        (*n, before) = (before, before + *n);
    }
    let mut out = vec![0u32; n];
    for c in chunks {
        for (&item, &s) in c.in_order.iter().zip(&c.scores) {
            let at = &mut next[slot(s)];
            out[*at] = item;
            *at += 1;
        }
    }
    out
}

/// The query and the hits for it and for each shorter query typed on the way.
pub struct Searcher {
    matcher: SkimMatcherV2,
    /// One level per query typed on the way; the bottom is the empty query.
    stack: Vec<Level>,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("query", &self.query())
            .finish()
    }
}

pub fn fold_query(q: &str) -> String {
    q.chars().map(fold_char).collect()
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher {
            matcher: matcher(),
            stack: Vec::new(),
        }
    }
}

impl Searcher {
    pub fn new() -> Searcher {
        Searcher::default()
    }

    pub fn query(&self) -> &str {
        self.stack.last().map_or("", |top| top.query.as_str())
    }

    /// The items matching `query` (raw, as typed), best first; equal scores keep list order. An
    /// empty query gives every item in list order.
    pub fn search(&mut self, index: &Index, query: &str) -> &[u32] {
        let q = fold_query(query);
        // Drop every remembered query that is not a prefix of the new one.
        while let Some(top) = self.stack.last() {
            if q.starts_with(top.query.as_str()) {
                break;
            }
            self.stack.pop();
        }
        let top = match self.stack.pop() {
            Some(top) => top,
            None => Level::everything(index.len()),
        };
        if top.query == q {
            self.stack.push(top);
        } else {
            // Narrow the previous hits, read in list order (keys front to back in memory).
            let level = self.scan(index, &top, q);
            self.stack.push(top);
            self.stack.push(level);
        }
        self.stack.last().map_or(&[], |top| top.ranked.as_slice())
    }

    /// Scores the hits of `from`, whose query is a prefix of `q`, against `q`, then ranks them.
    /// Two threads take `from`'s chunks in turn until none is left, rather than half each: on a
    /// shared machine one core can stall for milliseconds, and a fixed half would keep the
    /// keystroke waiting for it.
    fn scan(&self, index: &Index, from: &Level, q: String) -> Level {
        let qc: Vec<char> = q.chars().collect();
        let placed = from.query.chars().count();
        let run = |chunk: &Chunk| {
            let mut out = Chunk::with_capacity(chunk.in_order.len(), qc.len());
            let mut firsts = Vec::with_capacity(qc.len());
            let mut scratch = Vec::new();
            for (j, &item) in chunk.in_order.iter().enumerate() {
                firsts.clear();
                firsts.extend_from_slice(&chunk.firsts[j * placed..(j + 1) * placed]);
                let key = index.key(item as usize);
                let scored = score(&self.matcher, key, &qc, &mut firsts, &mut scratch, false);
                if let Some((score, _)) = scored {
                    out.in_order.push(item);
                    out.scores
                        .push(score.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
                    out.firsts.extend_from_slice(&firsts);
                }
            }
            out
        };
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            while let Some(chunk) = from.chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
                let found = run(chunk);
                if !found.in_order.is_empty() {
                    done.push((chunk.in_order[0], found));
                }
            }
            done
        };
        let candidates: usize = from.chunks.iter().map(|c| c.in_order.len()).sum();
        let mut found = if candidates >= PARALLEL_FROM {
            std::thread::scope(|s| {
                // If no thread can be started, this one takes every chunk.
                let other = std::thread::Builder::new().spawn_scoped(s, work).ok();
                let mut mine = work();
                if let Some(other) = other {
                    // A panic on the other thread is raised again here, as on this one.
                    match other.join() {
                        Ok(theirs) => mine.extend(theirs),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                }
                mine
            })
        } else {
            work()
        };
        // Back in list order: chunks hold consecutive stretches of it.
        found.sort_unstable_by_key(|(first, _)| *first);
        let chunks: Vec<Chunk> = found.into_iter().map(|(_, c)| c).collect();
        Level {
            query: q,
            ranked: rank(&chunks),
            chunks,
        }
    }

    /// Char positions in item `i`'s key that the current query matched, for highlighting.
    pub fn highlights(&self, index: &Index, i: usize) -> Vec<usize> {
        let q: Vec<char> = self.query().chars().collect();
        let mut firsts = Vec::with_capacity(q.len());
        score(
            &self.matcher,
            index.key(i),
            &q,
            &mut firsts,
            &mut Vec::new(),
            true,
        )
        .map(|(_, at)| at)
        .unwrap_or_default()
    }

    pub fn clear(&mut self) {
        self.stack.clear();
    }
}

/// Query words shorter than this take no part in the similar pass: one edit from a three-letter
/// word is almost any name.
const SIMILAR_MIN: usize = 4;

/// The words of each item's names, for a second, typo-tolerant pass after the fuzzy one: `kiera`
/// finds Keira, `gallacher` Gallagher, `mcdonough` McDonagh, which skim (a subsequence match)
/// does not. Distinct folded words are kept once each with the items that have them, so a pass
/// compares each query word with every distinct name word, not every item.
#[derive(Debug, Clone, Default)]
pub struct Similar {
    /// Distinct folded name words, each with the items (ascending) whose names hold it.
    words: Vec<(Box<str>, Vec<u32>)>,
    items: usize,
}

impl Similar {
    /// `names[i]`: item `i`'s names (given and family), as written.
    pub fn new(names: &[String]) -> Similar {
        let mut by_word: std::collections::HashMap<String, Vec<u32>> = Default::default();
        for (i, n) in names.iter().enumerate() {
            for w in fold_query(n).split(|c: char| !c.is_alphanumeric()) {
                if w.chars().count() >= 2 {
                    let items = by_word.entry(w.to_owned()).or_default();
                    if items.last() != Some(&(i as u32)) {
                        items.push(i as u32);
                    }
                }
            }
        }
        let mut words: Vec<(Box<str>, Vec<u32>)> = by_word
            .into_iter()
            .map(|(w, v)| (w.into_boxed_str(), v))
            .collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Similar {
            words,
            items: names.len(),
        }
    }

    /// The edits a query word of `n` chars may be from a name word: one up to five letters,
    /// two from six (optimal string alignment: swapping two neighbours is one edit).
    fn allowed(n: usize) -> usize {
        if n <= 5 { 1 } else { 2 }
    }

    /// Items whose names hold, for every query word of four letters or more, a word within the
    /// allowed edits of it (or, while it is being typed, a word it is within one edit of the
    /// start of), fewest edits first, then in list order; items in `exclude` (the fuzzy hits,
    /// already shown) are left out. No such word in the query: no similar hits.
    pub fn search(&self, query: &str, exclude: &[u32]) -> Vec<u32> {
        let q = fold_query(query);
        let all: Vec<&str> = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if !all.iter().any(|w| w.chars().count() >= SIMILAR_MIN) || self.items == 0 {
            return Vec::new();
        }
        // Per item: the edits summed over the query words so far; u16::MAX: not matched.
        let mut total = vec![0u16; self.items];
        for w in &all {
            let n = w.chars().count();
            if n < SIMILAR_MIN {
                // A short word (an initial, "zoe") must begin one of the item's names as typed.
                let from = self.words.partition_point(|(x, _)| x.as_ref() < *w);
                let mut has = vec![false; self.items];
                for (_, items) in self.words[from..]
                    .iter()
                    .take_while(|(x, _)| x.starts_with(*w))
                {
                    for &i in items {
                        has[i as usize] = true;
                    }
                }
                for (t, h) in total.iter_mut().zip(&has) {
                    if !h {
                        *t = u16::MAX;
                    }
                }
                continue;
            }
            let k = Self::allowed(n);
            let mut best = vec![u16::MAX; self.items];
            for (word, items) in &self.words {
                let m = word.chars().count();
                let mut d = usize::MAX;
                if m.abs_diff(n) <= k {
                    d = strsim::osa_distance(w, word);
                }
                // Typing on: the start of a longer word, within one edit.
                if d > k && m > n {
                    let cut = word.char_indices().nth(n).map_or(word.len(), |(b, _)| b);
                    d = d.min(strsim::osa_distance(w, &word[..cut]).max(1));
                    if d > 1 {
                        continue;
                    }
                }
                if d > k {
                    continue;
                }
                for &i in items {
                    let slot = &mut best[i as usize];
                    *slot = (*slot).min(d as u16);
                }
            }
            for (t, b) in total.iter_mut().zip(&best) {
                *t = if *b == u16::MAX || *t == u16::MAX {
                    u16::MAX
                } else {
                    *t + *b
                };
            }
        }
        let mut skip = vec![false; self.items];
        for &i in exclude {
            if let Some(s) = skip.get_mut(i as usize) {
                *s = true;
            }
        }
        let mut out: Vec<(u16, u32)> = total
            .iter()
            .enumerate()
            .filter(|(i, t)| **t != u16::MAX && !skip[*i])
            .map(|(i, t)| (*t, i as u32))
            .collect();
        out.sort_unstable();
        out.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuzzy_matcher::FuzzyMatcher;
    use proptest::prelude::*;

    fn index(items: &[&str]) -> Index {
        Index::new(
            items
                .iter()
                .map(|s| {
                    let mut b = KeyBuilder::default();
                    b.field(s);
                    b.finish().0
                })
                .collect(),
        )
    }

    /// The oracle: plain `fuzzy_match` over each whole key, one thread, a comparator sort; each
    /// hit with its score.
    fn full_scan(idx: &Index, q: &str) -> Vec<(u32, i64)> {
        let m = matcher();
        let q = fold_query(q);
        let mut v: Vec<(u32, i64)> = (0..idx.len())
            .filter_map(|i| {
                m.fuzzy_match(&idx.key(i).text(), &q)
                    .map(|score| (i as u32, score))
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// The searcher's hits for `q`, best first, each with its score as `fuzzy_match` gives it.
    fn hits(s: &mut Searcher, idx: &Index, q: &str) -> Vec<(u32, i64)> {
        let m = matcher();
        let fq = fold_query(q);
        s.search(idx, q)
            .iter()
            .map(|&i| {
                (
                    i,
                    m.fuzzy_match(&idx.key(i as usize).text(), &fq).unwrap_or(0),
                )
            })
            .collect()
    }

    #[test]
    fn folds_accents_and_case_both_ways() {
        let idx = index(&[
            "FA-001 Zoë Ng",
            "FA-002 ÉMILE Durand",
            "FA-003 Łukasz Nowak",
        ]);
        let mut s = Searcher::new();
        assert_eq!(s.search(&idx, "zoe"), [0]);
        assert_eq!(s.search(&idx, "émile"), [1]);
        assert_eq!(s.search(&idx, "LUKASZ"), [2]);
    }

    #[test]
    fn narrowing_and_backspace_agree_with_a_full_scan() {
        let names = [
            "Jayden Thomas",
            "Jade Thompson",
            "Tom Jayes",
            "Amira Haddad",
            "Zoë Okafor",
            "Jo Tam",
            // Chars that do not fold to ASCII keep their key in chars.
            "Straße 李明",
        ];
        let items: Vec<String> = (0..9000)
            .map(|i| format!("FA-{i:05} {}", names[i % names.len()]))
            .collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let idx = index(&refs);
        let mut s = Searcher::new();
        for q in [
            "j",
            "ja",
            "jay",
            "jayd",
            "jay",
            "ja",
            "jt",
            "j",
            "",
            "tho",
            "0042",
            "s",
            "stra",
            "straß",
            "straße 李",
            "李",
            "",
            "a",
            "a j",
            "ajs",
        ] {
            let got = hits(&mut s, &idx, q);
            let want = if q.is_empty() {
                (0..idx.len() as u32).map(|i| (i, 0)).collect()
            } else {
                full_scan(&idx, q)
            };
            assert_eq!(got, want, "query {q:?}");
        }
    }

    #[test]
    fn an_id_typed_in_full_or_begun_ranks_first() {
        // Item 1's key holds "fa" and "002" spread over its name and reference; skim ranks it
        // above item 0, whose reference is the query.
        let idx = index(&["Fay Ng Alder FA-2026-002", "Fay Ng Alder MM-2026-002 fa"])
            .with_ids(&["FA-2026-002", "MM-2026-002"]);
        let mut s = Searcher::new();
        for q in ["FA-2026-002", "fa-2026-002 ", "FA-2026", "fa"] {
            let ranked = s.search(&idx, q).to_vec();
            let got = idx.promote(q, &ranked);
            assert_eq!(got[0], 0, "{q:?}");
            assert!(got.contains(&1) == ranked.contains(&1), "{q:?}");
        }
        // One character is too little to mean a reference; no id match leaves the ranking.
        let ranked = s.search(&idx, "m").to_vec();
        assert_eq!(idx.promote("m", &ranked), ranked);
        let ranked = s.search(&idx, "ng").to_vec();
        assert_eq!(idx.promote("ng", &ranked), ranked);
        // Exact before longer ids it begins, those in id order.
        let idx =
            index(&["a 12", "b 123", "c 1234", "d 12"]).with_ids(&["1234", "123", "12", "99"]);
        let ranked = s.search(&idx, "12").to_vec();
        assert_eq!(idx.promote("12", &ranked)[..3], [2, 1, 0]);
    }

    #[test]
    fn similar_names_are_found_past_typos_and_the_fuzzy_hits_are_left_out() {
        let names: Vec<String> = [
            "Keira Thompson",
            "Niamh Gallagher",
            "Johnny McDonagh",
            "Kieran Doyle",
            "Zoë Hart",
            "Kiera Hart",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let sim = Similar::new(&names);
        // A transposition, a changed letter, a changed and a dropped letter. (Kiera Hart and
        // Kieran Doyle hold "kiera" as typed: the fuzzy pass found them.)
        assert_eq!(sim.search("kiera", &[3, 5]), [0]);
        assert_eq!(sim.search("kiera", &[5]), [0, 3]);
        assert_eq!(sim.search("gallacher", &[]), [1]);
        assert_eq!(sim.search("mcdonough", &[]), [2]);
        // Every long word must be near a name, every short one must begin one; a query of
        // short words alone is the fuzzy pass's.
        assert_eq!(sim.search("kiera thomsen", &[3, 5]), [0]);
        assert_eq!(sim.search("k thomsen", &[]), [0]);
        assert!(sim.search("kiera zzzzzz", &[]).is_empty());
        assert!(sim.search("kie", &[]).is_empty());
        // While typing: the start of a longer name within one edit.
        assert!(sim.search("gallach", &[]).contains(&1));
        // A word as typed counts too, with no edit: "keira thompsen" is one edit away.
        assert_eq!(sim.search("keira thompsen", &[]), [0]);
        assert!(sim.search("hart", &[4, 5]).is_empty());
        // Accents and case fold as in the fuzzy pass.
        assert_eq!(sim.search("ZOE HARTT", &[]), [4]);
    }

    #[test]
    fn an_empty_list_has_no_hits() {
        let idx = Index::new(Vec::new());
        let mut s = Searcher::new();
        assert!(s.search(&idx, "a").is_empty());
        assert!(s.search(&idx, "").is_empty());
    }

    #[test]
    fn long_gaps_score_below_zero_and_rank_last() {
        // Skim's gap penalties make a match spread over a long key score below zero.
        let spread = format!("a{}b{}c", "-".repeat(60), "-".repeat(60));
        let idx = index(&[&spread, "abc", "a-b-c"]);
        let mut s = Searcher::new();
        let got = hits(&mut s, &idx, "abc");
        assert!(got[2].1 < 0, "{got:?}");
        assert_eq!(got, full_scan(&idx, "abc"));
        assert_eq!(got.iter().map(|h| h.0).collect::<Vec<_>>(), [1, 2, 0]);
    }

    #[test]
    fn ranking_keeps_list_order_among_equal_scores_however_wide_the_spread() {
        let chunks = |parts: &[(&[u32], &[i32])]| -> Vec<Chunk> {
            parts
                .iter()
                .map(|(items, scores)| Chunk {
                    in_order: items.to_vec(),
                    scores: scores.to_vec(),
                    firsts: Vec::new(),
                })
                .collect()
        };
        assert_eq!(
            rank(&chunks(&[(&[4, 5], &[1, 3]), (&[6, 7], &[1, 3])])),
            [5, 7, 4, 6]
        );
        assert_eq!(
            rank(&chunks(&[(&[4, 5, 6, 7], &[i32::MIN, 3, i32::MAX, 3])])),
            [6, 5, 7, 4]
        );
        assert!(rank(&[]).is_empty());
    }

    #[test]
    fn highlights_point_into_the_original_text() {
        let mut b = KeyBuilder::default();
        b.field("FA-7").field("Zoë Ng");
        let (key, starts) = b.finish();
        assert_eq!(starts, [0, 5]);
        let idx = Index::new(vec![key]);
        let mut s = Searcher::new();
        s.search(&idx, "zoe");
        let h = s.highlights(&idx, 0);
        let original: Vec<char> = "FA-7 Zoë Ng".chars().collect();
        let picked: String = h.iter().map(|&i| original[i]).collect();
        assert_eq!(picked, "Zoë");
    }

    proptest! {
        /// `score` is skim's `fuzzy_match` and `fuzzy_indices`, for any key and query: few
        /// distinct chars so that queries match often, some of them not ASCII.
        #[test]
        fn scores_like_fuzzy_match(
            key in "[ab c/é李-]{0,40}",
            q in "[ab c/é李-]{1,5}",
        ) {
            let idx = Index::new(vec![key.clone()]);
            let m = matcher();
            let qc: Vec<char> = q.chars().collect();
            let ours = score(&m, idx.key(0), &qc, &mut Vec::new(), &mut Vec::new(), true);
            prop_assert_eq!(ours, m.fuzzy_indices(&key, &q));
            let ours = score(&m, idx.key(0), &qc, &mut Vec::new(), &mut Vec::new(), false);
            prop_assert_eq!(ours.map(|s| s.0), m.fuzzy_match(&key, &q));
        }
    }
}
