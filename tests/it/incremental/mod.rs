//! Incremental rebuilds (`Session::apply`) must give exactly what a fresh `Session` gives:
//! the same files with the same bytes, the same diagnostics and the same status, after
//! every kind of change a watcher reports.

mod content;
mod errors_and_sequences;
mod history;
mod theme_and_settings;

use crate::serve_support::*;
use rollbook::{Built, Options, Session};
use std::fs;
use std::path::{Path, PathBuf};

const SLUGS: [&str; 3] = ["alpha", "beta", "gamma"];

pub fn opts() -> Options {
    Options {
        drafts: false,
        base_url: None,
        today: rollbook::parse_date(TODAY).expect("a date"),
    }
}

/// A site of three packs and a session over it, checked equal to a fresh build.
pub fn start() -> (tempfile::TempDir, Session) {
    let dir = temp_site(&SLUGS);
    let mut session = Session::new(dir.path(), opts());
    assert_same(&mut session, dir.path(), "the initial build");
    let built = session.built();
    assert!(
        !built.has_errors(),
        "the test site builds: {:?}",
        built.diagnostics
    );
    (dir, session)
}

pub fn abs(root: &Path, rels: &[&str]) -> Vec<PathBuf> {
    rels.iter().map(|r| root.join(r)).collect()
}

/// The first byte where two outputs differ, with some context.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let i = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = i.saturating_sub(80);
    let show = |s: &[u8]| {
        String::from_utf8_lossy(&s[from.min(s.len())..(i + 80).min(s.len())]).into_owned()
    };
    format!(
        "at byte {i} (lengths {} vs {}):\n  incremental: {:?}\n  fresh:       {:?}",
        a.len(),
        b.len(),
        show(a),
        show(b)
    )
}

fn compare(incremental: &Built, fresh: &Built, what: &str) {
    assert_eq!(
        incremental.diagnostics, fresh.diagnostics,
        "{what}: the diagnostics of the incremental rebuild differ from a fresh build"
    );
    assert_eq!(
        incremental.status, fresh.status,
        "{what}: status differs from a fresh build"
    );
    match (&incremental.output, &fresh.output) {
        (None, None) => {}
        (Some(_), None) => {
            panic!("{what}: the incremental rebuild has an output, a fresh build has none")
        }
        (None, Some(_)) => {
            panic!("{what}: the incremental rebuild has no output, a fresh build has one")
        }
        (Some(inc), Some(new)) => {
            let only_inc: Vec<&String> = inc
                .files
                .keys()
                .filter(|k| !new.files.contains_key(*k))
                .collect();
            let only_new: Vec<&String> = new
                .files
                .keys()
                .filter(|k| !inc.files.contains_key(*k))
                .collect();
            assert!(
                only_inc.is_empty() && only_new.is_empty(),
                "{what}: file sets differ; first path only in the incremental output: {:?}, first only in the fresh one: {:?} ({} and {} such paths)",
                only_inc.first(),
                only_new.first(),
                only_inc.len(),
                only_new.len()
            );
            for (path, bytes) in &inc.files {
                let other = &new.files[path];
                assert!(
                    bytes[..] == other[..],
                    "{what}: first differing file `{path}`, {}",
                    first_difference(bytes, other)
                );
            }
        }
    }
}

/// The session's result equals a fresh build of the same folder.
pub fn assert_same(session: &mut Session, root: &Path, what: &str) {
    let incremental = session.built();
    let fresh = Session::new(root, opts()).built();
    compare(&incremental, &fresh, what);
}

/// Applies `paths` (which must mean a change) and compares with a fresh build.
fn apply_and_compare(session: &mut Session, root: &Path, paths: &[PathBuf], what: &str) {
    assert!(
        session.apply(paths),
        "{what}: apply({paths:?}) reported no change"
    );
    assert_same(session, root, what);
}

/// Every file and folder under `rel`, deepest first, then `rel` itself: what a watcher
/// reports when the folder is deleted file by file.
fn tree(root: &Path, rel: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join(rel)];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out.reverse();
    out.push(root.join(rel));
    out
}

fn output_file(session: &mut Session, path: &str) -> Option<String> {
    session.built().output.and_then(|o| {
        o.files
            .get(path)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    })
}
