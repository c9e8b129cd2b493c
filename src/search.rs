//! Fuzzy search over a list (cases or schools) with SkimMatcherV2, fast enough to re-rank on every
//! keystroke over 100k items.
//!
//! Keys are folded once (lower case, accents removed char for char, see `text::fold_char`), since
//! skim folds ASCII only. As the query grows, only the previous hits are rescanned: a subsequence
//! match of the longer query implies one of the shorter. Earlier hit lists are kept on a stack so
//! Backspace is instant. Large scans are split across two threads.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::text::{fold_char, fold_into};

/// Below this many candidates a second thread costs more than it saves.
const PARALLEL_FROM: usize = 4096;

/// Folded search keys, one per item, in the order items are listed when unfiltered.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Every key end to end, so a scan reads memory front to back.
    text: String,
    /// Where each key ends in `text`.
    ends: Vec<usize>,
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

impl Index {
    pub fn new(keys: Vec<String>) -> Index {
        let mut text = String::with_capacity(keys.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(keys.len());
        for k in &keys {
            text.push_str(k);
            ends.push(text.len());
        }
        Index { text, ends }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn key(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// One item that matches, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub item: u32,
    pub score: i64,
}

/// The hits of one query: best first for the screen, and in list order for narrowing the next.
struct Level {
    query: String,
    ranked: Vec<Hit>,
    in_order: Vec<u32>,
}

/// Sorting these ascending puts the best score first and, among equal scores, list order.
fn pack(item: u32, score: i64) -> u64 {
    (u64::from(u32::MAX - score.clamp(0, i64::from(u32::MAX)) as u32) << 32) | u64::from(item)
}

fn unpack(p: u64) -> Hit {
    Hit {
        item: p as u32,
        score: i64::from(u32::MAX - (p >> 32) as u32),
    }
}

/// Merges two ascending lists.
fn merge(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
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

    /// Hits for `query` (raw, as typed). An empty query gives every item in list order.
    pub fn search(&mut self, index: &Index, query: &str) -> &[Hit] {
        let q = fold_query(query);
        // Drop every remembered query that is not a prefix of the new one.
        while let Some(top) = self.stack.last() {
            if q.starts_with(top.query.as_str()) {
                break;
            }
            self.stack.pop();
        }
        if self.stack.is_empty() {
            let all: Vec<u32> = (0..index.len() as u32).collect();
            let ranked = all.iter().map(|&item| Hit { item, score: 0 }).collect();
            self.stack.push(Level {
                query: String::new(),
                ranked,
                in_order: all,
            });
        }
        let same = self.stack.last().is_some_and(|top| top.query == q);
        if !same {
            let level = match self.stack.last() {
                // Narrow the previous hits, read in list order (keys front to back in memory).
                Some(top) => self.scan(index, &top.in_order, q),
                None => self.scan(index, &[], q),
            };
            self.stack.push(level);
        }
        self.stack.last().map_or(&[], |top| top.ranked.as_slice())
    }

    /// Scores `from` (item numbers in list order) against `q` on both cores: each half is
    /// scored, packed as integers (score high, item low) and sorted on its own thread, then the
    /// two sorted halves are merged.
    fn scan(&self, index: &Index, from: &[u32], q: String) -> Level {
        let run = |part: &[u32], matcher: &SkimMatcherV2| -> (Vec<u64>, Vec<u32>) {
            let mut packed = Vec::with_capacity(part.len());
            let mut in_order = Vec::with_capacity(part.len());
            for &item in part {
                if let Some(score) = matcher.fuzzy_match(index.key(item as usize), &q) {
                    packed.push(pack(item, score));
                    in_order.push(item);
                }
            }
            packed.sort_unstable();
            (packed, in_order)
        };
        let (packed, in_order) = if from.len() >= PARALLEL_FROM {
            let (a, b) = from.split_at(from.len() / 2);
            // One matcher per thread: sharing one across threads gave some items different
            // scores than a single-threaded scan (its thread-local caches are not safe to share
            // in fuzzy-matcher 0.3.7), which `narrowing_and_backspace_agree_with_a_full_scan`
            // caught.
            let ((pa, mut oa), (pb, ob)) = std::thread::scope(|s| {
                let hb = s.spawn(|| run(b, &matcher()));
                let ha = run(a, &self.matcher);
                let hb = hb.join().unwrap_or_else(|_| run(b, &self.matcher));
                (ha, hb)
            });
            oa.extend(ob);
            (merge(&pa, &pb), oa)
        } else {
            run(from, &self.matcher)
        };
        // Best first; ties keep list order.
        let ranked = packed.into_iter().map(unpack).collect();
        Level {
            query: q,
            ranked,
            in_order,
        }
    }

    /// Char positions in item `i`'s key that the current query matched, for highlighting.
    pub fn highlights(&self, index: &Index, i: usize) -> Vec<usize> {
        let q = self.query();
        if q.is_empty() {
            return Vec::new();
        }
        self.matcher
            .fuzzy_indices(index.key(i), q)
            .map(|(_, idx)| idx)
            .unwrap_or_default()
    }

    pub fn clear(&mut self) {
        self.stack.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The oracle: one thread, one fresh matcher, a plain comparator sort.
    fn full_scan(idx: &Index, q: &str) -> Vec<Hit> {
        let m = matcher();
        let q = fold_query(q);
        let mut v: Vec<Hit> = (0..idx.len())
            .filter_map(|i| {
                m.fuzzy_match(idx.key(i), &q).map(|score| Hit {
                    item: i as u32,
                    score,
                })
            })
            .collect();
        v.sort_by(|a, b| b.score.cmp(&a.score).then(a.item.cmp(&b.item)));
        v
    }

    #[test]
    fn folds_accents_and_case_both_ways() {
        let idx = index(&[
            "FA-001 Zoë Ng",
            "FA-002 ÉMILE Durand",
            "FA-003 Łukasz Nowak",
        ]);
        let mut s = Searcher::new();
        assert_eq!(
            s.search(&idx, "zoe")
                .iter()
                .map(|h| h.item)
                .collect::<Vec<_>>(),
            [0]
        );
        assert_eq!(
            s.search(&idx, "émile")
                .iter()
                .map(|h| h.item)
                .collect::<Vec<_>>(),
            [1]
        );
        assert_eq!(
            s.search(&idx, "LUKASZ")
                .iter()
                .map(|h| h.item)
                .collect::<Vec<_>>(),
            [2]
        );
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
        ];
        let items: Vec<String> = (0..9000)
            .map(|i| format!("FA-{i:05} {}", names[i % names.len()]))
            .collect();
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        let idx = index(&refs);
        let mut s = Searcher::new();
        for q in [
            "j", "ja", "jay", "jayd", "jay", "ja", "jt", "j", "", "tho", "0042",
        ] {
            let got = s.search(&idx, q).to_vec();
            let want = if q.is_empty() {
                (0..idx.len() as u32)
                    .map(|item| Hit { item, score: 0 })
                    .collect()
            } else {
                full_scan(&idx, q)
            };
            assert_eq!(got, want, "query {q:?}");
        }
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
}
