//! Output: the built site in memory (path → bytes), written to disk all at once.

pub mod guard;
pub mod offline;
pub mod staging;

use self::guard::Checked;
use self::staging::{Staging, WriteError};
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

    /// Replaces the output folder with this output: the site is written into a staging
    /// folder beside it and swapped in whole ([`Staging`]), so the folder is never
    /// half-written and a failure leaves the previous output as it was. Returns warnings
    /// about what could not be cleaned up.
    pub fn write_atomic(&self, dir: &Checked) -> Result<Vec<String>, WriteError> {
        let staging = Staging::prepare(dir)?;
        for (path, bytes) in &self.files {
            staging.write(path, bytes)?;
        }
        staging.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let checked = || crate::output::guard::check(tmp.path(), &dir, false).unwrap();
        let mut a = Output::default();
        a.insert("index.html", "a");
        a.insert("x/index.html", "x");
        assert!(a.write_atomic(&checked()).unwrap().is_empty());
        let mut b = Output::default();
        b.insert("index.html", "b");
        assert!(b.write_atomic(&checked()).unwrap().is_empty());
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "b");
        assert!(!dir.join("x").exists());
        assert!(
            crate::output::staging::is_ours(&dir),
            "the output carries the marker"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }
}
