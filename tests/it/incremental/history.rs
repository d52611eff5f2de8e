//! Incremental rebuilds when git history moves: a commit re-dates the pages of the files
//! it changed, as a fresh build dates them.

use super::*;
use crate::common::git;

#[test]
fn a_commit_redates_the_pages_of_the_files_it_changed() {
    let dir = temp_site(&SLUGS);
    let root = dir.path();
    if git(root, "2026-03-04", &["init", "-q"]).is_none() {
        eprintln!("skipped: `git` is not installed, so there is no history to read");
        return;
    }
    git(root, "2026-03-04", &["add", "-A"]);
    git(root, "2026-03-04", &["commit", "-q", "-m", "first"]);
    let mut s = Session::new(root, opts());
    let heads = s.git_heads().to_vec();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let updated = |s: &mut Session| {
        let page = output_file(s, "alpha/data/index.html").expect("the data page");
        let html = scraper::Html::parse_document(&page);
        let time = scraper::Selector::parse(".page-footer time").expect("selector");
        html.select(&time)
            .next()
            .and_then(|t| t.value().attr("datetime").map(str::to_string))
    };
    assert_eq!(updated(&mut s).as_deref(), Some("2026-03-04"));

    // An edit, not committed yet: the page keeps the day of its last commit.
    let data = root.join("content/alpha/data.md");
    let text = fs::read_to_string(&data).expect("read");
    fs::write(&data, text.replace("Notes", "Changed notes")).expect("write");
    apply_and_compare(&mut s, root, &[data], "an edit");
    assert_eq!(updated(&mut s).as_deref(), Some("2026-03-04"));

    // Committed on another day: the branch moves, and so does the page's day.
    git(root, "2026-05-06", &["commit", "-q", "-am", "second"]);
    let branch = heads[0].join("refs/heads/main");
    assert!(branch.is_file(), "{}", branch.display());
    apply_and_compare(&mut s, root, &[branch], "a commit");
    assert_eq!(updated(&mut s).as_deref(), Some("2026-05-06"));

    // What a commit writes besides, and what `git status` rewrites, move nothing.
    assert!(!s.apply(&[heads[0].join("index"), heads[0].join("COMMIT_EDITMSG")]));
    // HEAD moving without changing a day (an empty commit) changes nothing either.
    git(
        root,
        "2026-06-07",
        &["commit", "-q", "--allow-empty", "-m", "empty"],
    );
    assert!(!s.apply(&[heads[0].join("HEAD")]));
}
