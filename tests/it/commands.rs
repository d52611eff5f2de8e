//! The commands: init, new, check (formats, --min-completeness, writes nothing) and root discovery.

use crate::common::*;

#[test]
fn init_writes_a_site_that_builds() {
    let dir = SiteBuilder::empty();
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for f in ["site.toml", ".gitignore", ".github/workflows/pages.yml"] {
        assert!(dir.join(f).is_file(), "init wrote no {f}");
        assert!(!dir.read(f).trim().is_empty(), "{f} is empty");
    }
    let packs: Vec<_> = std::fs::read_dir(dir.join("content"))
        .expect("content/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(packs.len(), 1, "one example pack: {packs:?}");
    for stem in STEMS {
        assert!(
            packs[0].join(format!("{stem}.md")).is_file(),
            "the example pack has no {stem}.md"
        );
    }
    let out = dir.build();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stderr.lines().any(|l| l.starts_with("error")),
        "{}",
        out.stderr
    );
    let (code, diags) = dir.diags();
    assert_eq!(code, 0);
    assert_eq!(of_severity(&diags, "error"), vec![]);
    assert!(dir.join("public/index.html").is_file());
}

#[test]
fn init_into_a_named_folder() {
    let dir = SiteBuilder::empty();
    let out = run_in(dir.path(), &["init", "packs"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.join("packs/site.toml").is_file());
    assert!(dir.join("packs/.github/workflows/pages.yml").is_file());
    assert!(!dir.join("site.toml").exists());
}

#[test]
fn init_refuses_an_existing_site_and_overwrites_nothing() {
    let dir = SiteBuilder::empty();
    assert_eq!(run_in(dir.path(), &["init"]).code, 0);
    dir.write("site.toml", b"title = \"Mine\"\n");
    dir.write(".gitignore", b"/mine/\n");
    let before = snapshot(dir.path());
    let out = run_in(dir.path(), &["init"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert_eq!(snapshot(dir.path()), before, "init changed files");
}

#[test]
fn new_writes_nine_placeholder_files() {
    let site = SiteBuilder::new();
    let out = site.run(&["new", "my-pack"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for stem in STEMS {
        assert!(
            site.join(&format!("content/my-pack/{stem}.md")).is_file(),
            "no {stem}.md"
        );
    }
    let (code, diags) = site.diags();
    assert_eq!(of_severity(&diags, "error"), vec![]);
    assert_eq!(code, 0);
    site.build_ok();
    let status = site.status();
    let p = pack(&status, "my-pack");
    assert_eq!(p["completeness"], 0);
    let mut missing = 0;
    for (stem, fields) in FIELDS {
        let (pct, m) = section_status(p, stem);
        assert_eq!(pct, 0, "{stem}");
        assert_eq!(m, fields.to_vec(), "{stem}: every field is missing");
        missing += m.len();
    }
    assert_eq!(missing, 39);
    for nullable in ["name", "dri", "phase", "last_review"] {
        assert!(p[nullable].is_null(), "{nullable}");
    }
}

#[test]
fn new_keeps_existing_files() {
    let custom = "+++\nsources = [\"Our own answer\"]\n+++\nKeep me.\n";
    let site = SiteBuilder::new().file("content/my-pack/data.md", custom);
    let out = site.run(&["new", "my-pack"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(site.read("content/my-pack/data.md"), custom);
    for stem in STEMS {
        assert!(
            site.join(&format!("content/my-pack/{stem}.md")).is_file(),
            "no {stem}.md"
        );
    }
    // Running it again writes nothing and changes nothing.
    let before = snapshot(&site.join("content"));
    let again = site.run(&["new", "my-pack"]);
    assert_ne!(again.code, 0, "nothing to write");
    assert_eq!(snapshot(&site.join("content")), before);
}

#[test]
fn new_rejects_a_bad_slug() {
    let site = SiteBuilder::new();
    for slug in ["Bad_Slug", "UPPER", "a b", "runbooks"] {
        let out = site.run(&["new", slug]);
        assert_eq!(out.code, 2, "{slug}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    }
    assert!(!site.join("content").exists(), "nothing written");
}

#[test]
fn check_format_github() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section(
            "pack",
            "data",
            &complete_toml("data").replace("sources", "sorces"),
            "",
        )
        .section(
            "pack",
            "rhythm",
            &complete_toml("rhythm").replace("2026-11-20", "2026-10-01"),
            "",
        );
    let out = site.run(&["check", "--format", "github"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        lines,
        [
            "::error file=content/pack/data.md,line=2,col=1::unknown key `sorces` in data.md; did you mean `sources`?",
            "::warning file=content/pack/rhythm.md,line=2,col=1::the last weekly review was on 2026-10-01, 56 days ago (stale after 14 days); hold the review and add it to `reviews`",
            // `sources` is unknown, so data is 4/5 = 80%: `%` is escaped as `%25`.
            "::warning file=content/pack/rollout.md,line=6,col=1::phase \"Dogfood\" is active but its entry bar is not met: data section complete (80%25); finish these or set its status back to \"planned\"",
        ]
    );
}

fn min_site() -> SiteBuilder {
    // `half`: workflow and accountability only, 11/39 = 28%; `full`: 100%.
    SiteBuilder::new()
        .complete_pack("full")
        .section("half", "workflow", complete_toml("workflow"), "")
        .section(
            "half",
            "accountability",
            complete_toml("accountability"),
            "",
        )
}

#[test]
fn check_min_completeness() {
    let site = min_site();
    let (out, json) = site.check_json(&["--min-completeness", "50"]);
    assert_eq!(out.code, 1, "a pack is below 50%");
    let errors = of_severity(&diags(&json), "error");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, "content/half");
    assert!(errors[0].message.contains("28%"), "{}", errors[0].message);
    // Every pack at or above the bar: success.
    assert_eq!(site.check_json(&["--min-completeness", "28"]).0.code, 0);
    assert_eq!(site.run(&["check", "--min-completeness", "29"]).code, 1);
    std::fs::remove_dir_all(site.join("content/half")).expect("rm");
    assert_eq!(site.run(&["check", "--min-completeness", "50"]).code, 0);
    assert_eq!(site.run(&["check", "--min-completeness", "100"]).code, 0);
    assert_eq!(
        site.run(&["check", "--min-completeness", "101"]).code,
        2,
        "not a percentage"
    );
}

#[test]
fn check_writes_nothing() {
    let site = min_site().section(
        "full",
        "rhythm",
        &complete_toml("rhythm").replace("2026-11-20", "2026-10-01"),
        "",
    );
    let before = snapshot(site.path());
    for format in ["text", "json", "github"] {
        let out = site.run(&["check", "--format", format]);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
    }
    assert!(!site.join("public").exists(), "check created public/");
    assert_eq!(
        snapshot(site.path()),
        before,
        "check changed the site folder"
    );
}

#[test]
fn check_text_prints_a_completeness_table() {
    let site = min_site();
    let out = site.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let row = |slug: &str| -> Vec<String> {
        let line = out
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(slug))
            .unwrap_or_else(|| panic!("no row for {slug} in:\n{}", out.stdout));
        line.split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(row("half")[1], "28%");
    assert_eq!(row("full")[1], "100%");
}

#[test]
fn the_site_is_found_from_a_subfolder() {
    let site = SiteBuilder::new().complete_pack("pack");
    let cwd = site.join("content/pack");
    let out = run_in(&cwd, &["--today", TODAY, "check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(pack(&json, "pack")["completeness"], 100);
    let out = run_in(&cwd, &["--today", TODAY, "build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        site.join("public/pack/data/index.html").is_file(),
        "built into the site's public/"
    );
    assert!(!cwd.join("public").exists());
}

#[test]
fn no_site_found_from_a_folder_without_one() {
    let dir = SiteBuilder::empty();
    // The search walks every parent: a site.toml above the temporary folder is found.
    if let Some(above) = (dir.path().ancestors()).find(|a| a.join("site.toml").is_file()) {
        println!(
            "SKIPPED: {} holds a site.toml, above the temporary folder",
            above.display()
        );
        return;
    }
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: no site.toml in this folder or its parents"),
        "{}",
        out.stderr
    );
}

#[test]
fn init_gitignore_covers_the_output_and_its_temporary_folders() {
    let dir = SiteBuilder::empty();
    assert_eq!(run_in(dir.path(), &["init"]).code, 0);
    let ignore = dir.read(".gitignore");
    let lines: Vec<&str> = ignore.lines().collect();
    for pattern in ["/public/", "/.public.new-*/", "/.public.old-*/"] {
        assert!(lines.contains(&pattern), "no `{pattern}` in:\n{ignore}");
    }
}

#[test]
fn build_help_says_what_force_does_and_still_refuses() {
    let out = run_in(std::path::Path::new("."), &["build", "--help"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let force = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("--force"))
        .unwrap_or_else(|| panic!("no --force in:\n{}", out.stdout));
    for words in [
        "holds files rollbook did not write",
        "never replaces the site folder, content/",
        "a git repository",
    ] {
        assert!(force.contains(words), "`{words}` not in: {force}");
    }
}

#[test]
fn a_relative_root_finds_the_same_site_and_eval_files_as_an_absolute_one() {
    let site = SiteBuilder::new().complete_pack("pack");
    let (absolute, _) = site.check_json(&[]);
    assert_eq!(absolute.code, 0, "{}", absolute.stderr);
    for (cwd, root) in [
        (site.path().to_path_buf(), "."),
        (site.join("content"), ".."),
        (site.join("content/pack"), "../../content/.."),
    ] {
        let out = run_in(
            &cwd,
            &[
                "--root", root, "--today", TODAY, "check", "--format", "json",
            ],
        );
        assert_eq!(out.code, 0, "--root {root}:\n{}", out.stderr);
        assert_eq!(out.stdout, absolute.stdout, "--root {root}");
    }
}
