//! "Last updated": the day of the last commit that changed a page's file when the site
//! is a git repository, else the file's `updated` key, else nothing.

use crate::common::*;

fn last_updated(site: &SiteBuilder, url_path: &str) -> Option<String> {
    let page = site.page(url_path);
    select(&page, ".page-footer time")
        .first()
        .and_then(|t| t.value().attr("datetime").map(str::to_string))
}

#[test]
fn pages_show_the_day_git_last_changed_their_file_else_their_updated_key() {
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "incident",
        &format!("{}updated = 2026-01-15\n", complete_toml("incident")),
        "Notes.\n",
    );
    if git(site.path(), "2026-03-04", &["init", "-q"]).is_none() {
        eprintln!("skipped: `git` is not installed, so there is no history to read");
        return;
    }
    git(site.path(), "2026-03-04", &["add", "-A"]);
    git(site.path(), "2026-03-04", &["commit", "-q", "-m", "first"]);
    let site = site.section(
        "pack",
        "data",
        &complete_toml("data").replace("sources", "sources "),
        "Changed.\n",
    );
    git(
        site.path(),
        "2026-05-06",
        &["commit", "-q", "-am", "second"],
    );
    // Not committed yet: its own key speaks for it.
    let site = site.file(
        "content/pack/notes.md",
        "+++\ntitle = \"Notes\"\nupdated = 2026-02-01\n+++\nText.\n",
    );
    site.build_ok();
    assert_eq!(
        last_updated(&site, "pack/data/").as_deref(),
        Some("2026-05-06")
    );
    assert_eq!(
        last_updated(&site, "pack/workflow/").as_deref(),
        Some("2026-03-04")
    );
    // Git history wins over the key.
    assert_eq!(
        last_updated(&site, "pack/incident/").as_deref(),
        Some("2026-03-04")
    );
    assert_eq!(
        last_updated(&site, "pack/notes/").as_deref(),
        Some("2026-02-01")
    );
}

#[test]
fn a_shallow_clone_dates_nothing_from_git() {
    let origin = SiteBuilder::new().complete_pack("pack");
    if git(origin.path(), "2026-03-04", &["init", "-q"]).is_none() {
        eprintln!("skipped: `git` is not installed, so there is no history to read");
        return;
    }
    git(origin.path(), "2026-03-04", &["add", "-A"]);
    git(
        origin.path(),
        "2026-03-04",
        &["commit", "-q", "-m", "first"],
    );
    let origin = origin.section("pack", "data", complete_toml("data"), "Changed.\n");
    git(
        origin.path(),
        "2026-05-06",
        &["commit", "-q", "-am", "second"],
    );
    let clone = SiteBuilder::empty();
    let url = format!("file://{}", origin.path().display());
    let dest = clone.join("site");
    git(
        clone.path(),
        "2026-05-06",
        &["clone", "-q", "--depth", "1", &url, &dest.to_string_lossy()],
    );
    let out = run_in(&dest, &["--today", "2026-11-26", "build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = scraper::Html::parse_document(
        &std::fs::read_to_string(dest.join("public/pack/workflow/index.html")).unwrap(),
    );
    assert!(
        select(&html, ".page-footer time").is_empty(),
        "a shallow clone would date every file by its one commit"
    );
}
