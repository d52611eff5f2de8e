//! Output: writes the rendered site to disk all at once, guarded and atomic, or as an
//! offline copy.

pub(crate) mod guard;
pub(crate) mod marker;
pub(crate) mod offline;
pub(crate) mod staging;

use self::guard::Checked;
use self::staging::{Staging, WriteError};
use crate::render::files::Output;

/// Replaces the output folder with this output: the site is written into a staging
/// folder beside it and swapped in whole ([`Staging`]), so the folder is never
/// half-written and a failure leaves the previous output as it was. Returns warnings
/// about what could not be cleaned up.
pub(crate) fn write_atomic(site: &Output, dir: &Checked) -> Result<Vec<String>, WriteError> {
    let staging = Staging::prepare(dir)?;
    for (path, bytes) in &site.files {
        staging.write(path, bytes)?;
    }
    staging.commit()
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
        assert!(write_atomic(&a, &checked()).unwrap().is_empty());
        let mut b = Output::default();
        b.insert("index.html", "b");
        assert!(write_atomic(&b, &checked()).unwrap().is_empty());
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "b");
        assert!(!dir.join("x").exists());
        assert!(
            crate::output::marker::is_ours(&dir),
            "the output carries the marker"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }
}
