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
        self.selected = 0;
    }

    /// Leaves the search and keeps the selected item selected in the full list.
    pub(super) fn clear(&mut self, total: usize) {
        let keep = self.selected_item(total);
        self.searching = false;
        self.hits = None;
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
