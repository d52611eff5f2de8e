//! Where in its file an offset of a page body falls, for links and task items.

use crate::domain::diag::LineIndex;
use std::cell::OnceCell;

/// A body's line index, built on the first question, so a page without links or tasks
/// never indexes its lines.
pub(super) struct Lines<'a> {
    body: &'a str,
    /// 1-based file line of the first body line.
    first_line: usize,
    index: OnceCell<LineIndex<'a>>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(body: &'a str, first_line: usize) -> Self {
        Lines {
            body,
            first_line,
            index: OnceCell::new(),
        }
    }

    /// The file line and column of a byte offset into the body.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let (line, col) = self
            .index
            .get_or_init(|| LineIndex::new(self.body))
            .line_col(offset);
        (line + self.first_line - 1, col)
    }
}
