//! The output folder: written whole or not at all, `-o`, and the shape of status.json.

use crate::common::*;
use serde_json::Value;

/// The output is byte for byte `before`, and the site folder holds exactly `names`: no
/// staging folder is left next to the output.
fn assert_output_kept(
    site: &SiteBuilder,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    names: &[&str],
) {
    let after = snapshot(&site.join("public"));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in before {
        assert!(after.get(path) == Some(bytes), "{path} changed");
    }
    let mut found: Vec<String> = std::fs::read_dir(site.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, names);
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("other");
    site.build_ok();
    let before = snapshot(&site.join("public"));
    assert!(
        before.contains_key("pack/data/index.html") && before.contains_key("status.json"),
        "{:?}",
        before.keys()
    );
    // Change content (so a successful build would differ) and add an error.
    let site = site
        .section(
            "pack",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Renamed"),
            "",
        )
        .section(
            "other",
            "data",
            &complete_toml("data").replace("sources", "sorces"),
            "",
        );
    let out = site.build();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_output_kept(&site, &before, &["content", "public", "site.toml"]);
}

/// The packs' pages go to disk as they are rendered; a template error found after them
/// (the owners page is rendered last) must still leave the previous output whole.
#[test]
fn a_build_failing_after_its_pages_were_written_leaves_the_previous_output() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("other");
    site.build_ok();
    let before = snapshot(&site.join("public"));
    let site = site
        .section(
            "pack",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Renamed"),
            "",
        )
        .file(
            "templates/owners.html",
            "{% extends \"base.html\" %}{% block main %}{{ no_such_value }}{% endblock %}",
        );
    let out = site.build();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("owners.html"), "{}", out.stderr);
    assert!(out.stderr.contains("no_such_value"), "{}", out.stderr);
    assert_output_kept(
        &site,
        &before,
        &["content", "public", "site.toml", "templates"],
    );
    // Mended, the same build goes through.
    std::fs::remove_file(site.join("templates/owners.html")).expect("rm");
    site.build_ok();
    assert!(site
        .read("public/pack/workflow/index.html")
        .contains("Renamed"));
}

#[test]
fn a_successful_rebuild_replaces_the_whole_output() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("gone");
    site.build_ok();
    assert!(site.join("public/gone/data/index.html").is_file());
    std::fs::remove_dir_all(site.join("content/gone")).expect("rm");
    site.build_ok();
    assert!(
        !site.join("public/gone").exists(),
        "pages of a removed pack are gone"
    );
    assert!(!site.join("public/badges/gone.svg").exists());
    assert!(site.join("public/pack/data/index.html").is_file());
}

#[test]
fn output_folder_option() {
    let site = SiteBuilder::new().complete_pack("pack");
    let out = site.run(&["build", "-o", "site-out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site.join("site-out/pack/data/index.html").is_file());
    assert!(site.join("site-out/status.json").is_file());
    assert!(!site.join("public").exists(), "nothing in public/");

    let elsewhere = tempfile::tempdir().expect("tmp");
    let target = elsewhere.path().join("deep/out");
    let out = site.run(&["build", "--output", target.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(target.join("index.html").is_file());
    assert_eq!(
        std::fs::read(target.join("pack/data/index.html")).expect("read"),
        std::fs::read(site.join("site-out/pack/data/index.html")).expect("read")
    );
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

fn has_keys(v: &Value, wanted: &[&str]) {
    let k = keys(v);
    for w in wanted {
        assert!(k.iter().any(|x| x == w), "no `{w}` in {k:?}");
    }
}

#[test]
fn status_json_has_the_spec_shape() {
    let site = SiteBuilder::new().complete_pack("pack").section(
        "bare",
        "workflow",
        "name = \"TBD\"\n",
        "",
    );
    site.build_ok();
    let status = site.status();
    has_keys(&status, &["title", "packs"]);
    assert_eq!(status["title"], "Acme AI rollout packs");
    let packs = status["packs"].as_array().expect("packs");
    assert_eq!(packs.len(), 2);
    for p in packs {
        has_keys(
            p,
            &[
                "slug",
                "name",
                "completeness",
                "ready",
                "phase",
                "dri",
                "last_review",
                "stale",
                "gate",
                "sections",
            ],
        );
        assert!(p["slug"].is_string());
        assert!(p["completeness"].is_u64());
        assert!(p["ready"].is_boolean());
        assert!(p["stale"].is_boolean());
        assert!(["pass", "fail", "none"].contains(&p["gate"].as_str().expect("gate is a string")));
        for nullable in ["name", "phase", "dri", "last_review"] {
            assert!(
                p[nullable].is_string() || p[nullable].is_null(),
                "{nullable}: {}",
                p[nullable]
            );
        }
        let sections = p["sections"].as_array().expect("sections");
        let stems: Vec<&str> = sections
            .iter()
            .map(|s| s["section"].as_str().expect("section"))
            .collect();
        assert_eq!(stems, STEMS);
        for s in sections {
            has_keys(s, &["section", "completeness", "missing"]);
            assert!(s["completeness"].is_u64());
            assert!(s["missing"]
                .as_array()
                .expect("missing")
                .iter()
                .all(Value::is_string));
        }
    }
    let bare = pack(&status, "bare");
    for nullable in ["name", "phase", "dri", "last_review"] {
        assert!(bare[nullable].is_null(), "{nullable}");
    }
    assert_eq!(bare["gate"], "none");
    assert_eq!(bare["completeness"], 0);
}

#[test]
fn check_json_is_status_json_plus_diagnostics() {
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "rhythm",
        &complete_toml("rhythm").replace("2026-11-20", "2026-10-01"),
        "",
    );
    site.build_ok();
    let status = site.status();
    let (out, mut json) = site.check_json(&[]);
    assert_eq!(out.code, 0);
    let diags = json
        .as_object_mut()
        .expect("object")
        .remove("diagnostics")
        .expect("diagnostics");
    assert_eq!(json, status);
    let d = &diags.as_array().expect("list")[0];
    assert_eq!(keys(d), ["column", "file", "line", "message", "severity"]);
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "content/pack/rhythm.md");
}

#[test]
fn built_site_has_the_spec_files() {
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    for f in [
        "index.html",
        "pack/index.html",
        "pack/incident/index.html",
        "pack/runbook/index.html",
        "pack/checklist/index.html",
        "runbooks/index.html",
        "runbooks/print/index.html",
        "owners/index.html",
        "badges/pack.svg",
        "badges/pack/incident.svg",
        "status.json",
        "search/index.js",
        "search/t/0.js",
        "search/d/0.js",
        "sitemap.xml",
        "404.html",
        ".nojekyll",
        "pack/evals/cases.jsonl",
    ] {
        assert!(site.join("public").join(f).is_file(), "no public/{f}");
    }
}

#[test]
fn offline_build_links_name_files_on_disk() {
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "data",
        complete_toml("data"),
        "See [paging](@/pack/incident.md#paging) and [cases](evals/cases.jsonl).\n",
    );
    let out = site.run(&["build", "--offline"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let public = site.join("public");
    let mut checked = 0;
    for file in snapshot(&public)
        .into_keys()
        .filter(|f| f.ends_with(".html"))
    {
        let html = site.html(&file);
        let dir = public.join(&file).parent().expect("parent").to_path_buf();
        for e in html.select(&sel("[href], [src]")) {
            for attr in ["href", "src"] {
                let Some(v) = e.value().attr(attr) else {
                    continue;
                };
                if !is_site_link(v) {
                    continue;
                }
                assert!(!v.starts_with('/'), "{file}: {attr}=\"{v}\" is absolute");
                let path = v.split(['#', '?']).next().unwrap_or("");
                assert!(
                    dir.join(path).is_file(),
                    "{file}: {attr}=\"{v}\" names no file"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}
