//! Output: writes the site to disk, guarded and atomic: pages go into a staging folder
//! as they are rendered, which then takes the output's place whole; or as an offline
//! copy.

pub(crate) mod guard;
pub(crate) mod marker;
pub(crate) mod offline;
pub(crate) mod staging;

#[cfg(test)]
mod tests {
    use super::staging::Staging;
    use std::fs;

    #[test]
    fn replaces_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let checked = || crate::output::guard::check(tmp.path(), &dir, false).unwrap();
        let a = Staging::prepare(&checked()).unwrap();
        a.write("index.html", b"a").unwrap();
        a.write("x/index.html", b"x").unwrap();
        assert!(a.commit().unwrap().is_empty());
        let b = Staging::prepare(&checked()).unwrap();
        b.write("index.html", b"b").unwrap();
        assert!(b.commit().unwrap().is_empty());
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
