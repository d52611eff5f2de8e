//! The rendered site in memory: every file by its path under the output root, which
//! `build` writes to disk and `serve` answers from.

use std::collections::BTreeMap;
use std::sync::Arc;

/// Every file of the built site, by path relative to the output root (`x/index.html`).
/// Contents are shared, so copying an output to serve it costs no file data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Arc::from(bytes.into()));
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| &**b)
    }

    pub fn extend(&mut self, other: Output) {
        self.files.extend(other.files);
    }
}
