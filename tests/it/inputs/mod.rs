//! Inputs as rollbook takes them: generated pages always win over site files, nothing in
//! `content/` or `static/` is skipped in silence, answers are read as people write them,
//! and `check` and `build` agree on what is an error.

mod answers_as_written;
mod errors_agree;
mod generated_pages_win;
mod nothing_skipped;

use crate::common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every regular file and symlink of the site outside `public/`, with its bytes (or the
/// link's target): what a build must leave as it was.
fn inputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let rel = p
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            if rel == "public" {
                continue;
            }
            let meta = fs::symlink_metadata(&p).expect("metadata");
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&p).expect("link");
                out.insert(rel, target.to_string_lossy().as_bytes().to_vec());
            } else if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.insert(rel, fs::read(&p).expect("read"));
            } else {
                out.insert(rel, b"(special file)".to_vec());
            }
        }
    }
    out
}

fn error(file: &str, message: &str) -> Diag {
    Diag {
        severity: "error".into(),
        file: file.into(),
        line: 1,
        column: 1,
        message: message.into(),
    }
}

fn warning(file: &str, message: &str) -> Diag {
    Diag {
        severity: "warning".into(),
        ..error(file, message)
    }
}

fn sorted(mut d: Vec<Diag>) -> Vec<Diag> {
    d.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    d
}

/// `check` and `build` both exit 1 with exactly these errors (and the build prints each),
/// the previous output stays as it was, and no file outside it changes.
fn expect_errors(site: &SiteBuilder, wants: Vec<Diag>) {
    let before = inputs(site.path());
    let public_before = site
        .join("public")
        .exists()
        .then(|| snapshot(&site.join("public")));
    let (code, diags) = site.diags();
    assert_eq!(sorted(of_severity(&diags, "error")), sorted(wants.clone()));
    assert_eq!(code, 1, "check exits 1 on errors");
    let out = site.build();
    assert_eq!(out.code, 1, "build exits 1 on errors:\n{}", out.stderr);
    for w in &wants {
        let header = format!("error: {}:1:1: {}", w.file, w.message);
        assert!(
            out.stderr.lines().any(|l| l == header),
            "no `{header}` in:\n{}",
            out.stderr
        );
    }
    let public_after = site
        .join("public")
        .exists()
        .then(|| snapshot(&site.join("public")));
    assert_eq!(public_before, public_after, "a failed build leaves public/");
    assert_eq!(
        before,
        inputs(site.path()),
        "the site's files are untouched"
    );
}

/// The message for a site file whose output path rollbook generates.
fn replaces(file: &str, shown: &str) -> String {
    format!("`{file}` would replace {shown}, which rollbook generates; generated pages always win, so rename or remove `{file}`")
}

fn page(path: &str) -> String {
    format!(
        "the page `/{}` (`{path}`)",
        path.trim_end_matches("index.html")
    )
}
