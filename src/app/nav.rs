//! Selection and search of one list.

use tui_input::Input;

use crate::search::{Index, Searcher};

#[derive(Debug, Default)]
pub struct ListNav {
    pub selected: usize,
    pub searching: bool,
    pub input: Input,
    searcher: Searcher,
    /// Items matching the search, best first; `None` when not filtered.
    pub hits: Option<Vec<u32>>,
    /// Where in `hits` the similar names start (the typo-tolerant pass, after the fuzzy hits).
    pub similar_from: Option<usize>,
}

impl ListNav {
    pub fn len(&self, total: usize) -> usize {
        self.hits.as_ref().map_or(total, Vec::len)
    }

    /// The item shown at visible row `row`.
    pub fn item(&self, row: usize) -> Option<usize> {
        match &self.hits {
            Some(h) => h.get(row).map(|i| *i as usize),
            None => Some(row),
        }
    }

    pub fn selected_item(&self, total: usize) -> Option<usize> {
        (self.selected < self.len(total))
            .then(|| self.item(self.selected))
            .flatten()
    }

    pub(super) fn rerun(&mut self, index: &Index) {
        let q = self.input.value().to_owned();
        if q.is_empty() {
            self.searcher.search(index, "");
            self.hits = None;
        } else {
            self.hits = Some(index.promote(&q, self.searcher.search(index, &q)));
        }
        self.similar_from = None;
        self.selected = 0;
    }

    /// The fuzzy hits of the search as it stands (the similar ones left out).
    pub fn fuzzy_hits(&self) -> &[u32] {
        let hits = self.hits.as_deref().unwrap_or(&[]);
        &hits[..self.similar_from.unwrap_or(hits.len()).min(hits.len())]
    }

    /// The similar pass's hits for `query`, after the fuzzy ones; dropped if the query has
    /// changed since (typing went on while it ran).
    pub(super) fn add_similar(&mut self, query: &str, similar: Vec<u32>) -> bool {
        if self.input.value() != query || self.similar_from.is_some() {
            return false;
        }
        let Some(hits) = self.hits.as_mut() else {
            return false;
        };
        self.similar_from = Some(hits.len());
        hits.extend(similar);
        true
    }

    /// Whether row `row` of the hits came from the similar pass.
    pub fn is_similar(&self, row: usize) -> bool {
        self.similar_from.is_some_and(|s| row >= s)
    }

    /// Leaves the search and keeps the selected item selected in the full list.
    pub(super) fn clear(&mut self, total: usize) {
        let keep = self.selected_item(total);
        self.searching = false;
        self.hits = None;
        self.similar_from = None;
        self.input.reset();
        self.searcher.clear();
        self.selected = keep.unwrap_or(0);
    }

    pub fn highlights(&self, index: &Index, item: usize) -> Vec<usize> {
        if self.hits.is_some() {
            self.searcher.highlights(index, item)
        } else {
            Vec::new()
        }
    }
}
