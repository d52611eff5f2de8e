//! Output: the built site in memory (path → bytes), written to disk all at once.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;
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

    /// Replaces `dir` with this output. The new site is written to a sibling
    /// folder first and swapped in by renames, so `dir` is never half-written:
    /// a failure leaves the previous output as it was.
    pub fn write_atomic(&self, dir: &Path) -> io::Result<()> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::env::current_dir()?,
        };
        fs::create_dir_all(&parent)?;
        let name = dir
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)?;
        for (path, bytes) in &self.files {
            let target = staging.path().join(path);
            if let Some(p) = target.parent() {
                fs::create_dir_all(p)?;
            }
            fs::write(&target, &**bytes)?;
        }
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(&parent)?;
        let backup = old.path().join("previous");
        let had_old = dir.exists();
        if had_old {
            fs::rename(dir, &backup)?;
        }
        let staged = staging.keep();
        if let Err(e) = fs::rename(&staged, dir) {
            // Put the previous output back before reporting.
            if had_old {
                let _ = fs::rename(&backup, dir);
            }
            let _ = fs::remove_dir_all(&staged);
            return Err(e);
        }
        // `old` (holding the previous output) is removed on drop.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut a = Output::default();
        a.insert("index.html", "a");
        a.insert("x/index.html", "x");
        a.write_atomic(&dir).unwrap();
        let mut b = Output::default();
        b.insert("index.html", "b");
        b.write_atomic(&dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "b");
        assert!(!dir.join("x").exists());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders are cleaned up");
    }
}
