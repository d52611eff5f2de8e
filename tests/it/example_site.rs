//! The repository's own example site builds without errors under a sub-path, and every
//! `href` and `src` of every page resolves the way a static host resolves it (a folder
//! serves its `index.html`), `#fragments` included.

use crate::common::{is_site_link, sel};
use scraper::Html;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE: &str = "/ai-packs/";

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The file a static host serves for a site path, if any.
fn served(public: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path);
    let file = public.join(decoded.trim_start_matches('/'));
    if file.is_file() {
        Some(file)
    } else if file.join("index.html").is_file() {
        Some(file.join("index.html"))
    } else {
        None
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[test]
fn the_example_site_builds_and_every_link_resolves_under_a_sub_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .arg("--root")
        .arg(root)
        .args([
            "--today",
            "2026-11-26",
            "build",
            "--base-url",
            "https://harbor-pine.github.io/ai-packs",
            "-o",
        ])
        .arg(&public)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("(0 errors,"), "{stderr}");

    // The site's own templates/partials/footer.html replaces the theme's on every page.
    for page in ["index.html", "returns-assistant/runbook/index.html"] {
        let html = Html::parse_document(&std::fs::read_to_string(public.join(page)).unwrap());
        let note = html
            .select(&sel("footer.page-footer p.on-call-note"))
            .next()
            .unwrap_or_else(|| panic!("{page} has no on-call note in its footer"));
        let hrefs: Vec<&str> = note
            .select(&sel("a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(
            hrefs,
            [
                "tel:+15550100",
                "mailto:ai-oncall@harbor-pine.example",
                "/ai-packs/runbooks/"
            ]
        );
    }

    let files = html_files(&public);
    assert!(files.len() > 40, "{} pages", files.len());
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut ids_of = |file: &Path| -> HashSet<String> {
        ids.entry(file.to_path_buf())
            .or_insert_with(|| {
                let html = Html::parse_document(&std::fs::read_to_string(file).unwrap());
                html.select(&sel("[id]"))
                    .filter_map(|e| e.value().attr("id").map(str::to_string))
                    .collect()
            })
            .clone()
    };
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in &files {
        let html = Html::parse_document(&std::fs::read_to_string(file).unwrap());
        for e in html.select(&sel("[href], [src]")) {
            for attr in ["href", "src"] {
                let Some(v) = e.value().attr(attr) else {
                    continue;
                };
                let shown = file.strip_prefix(&public).unwrap().display().to_string();
                if let Some(fragment) = v.strip_prefix('#') {
                    if !fragment.is_empty() && !ids_of(file).contains(&percent_decode(fragment)) {
                        broken.push(format!("{shown}: {attr}=\"{v}\" names no id on the page"));
                    }
                    continue;
                }
                if !is_site_link(v) {
                    continue;
                }
                checked += 1;
                let Some(path) = v.strip_prefix(BASE) else {
                    broken.push(format!("{shown}: {attr}=\"{v}\" is not under {BASE}"));
                    continue;
                };
                let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
                let path = path.split('?').next().unwrap_or("");
                match served(&public, path) {
                    None => broken.push(format!("{shown}: {attr}=\"{v}\" names no file")),
                    Some(target) => {
                        if !fragment.is_empty()
                            && !ids_of(&target).contains(&percent_decode(fragment))
                        {
                            broken.push(format!("{shown}: {attr}=\"{v}\" names no id there"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(checked > 500, "only {checked} internal links checked");
}
