//! `check` and `build` agree on what is an error, and say it the same way.

use super::*;

#[test]
fn a_pack_folder_too_long_for_its_badge_name_is_an_error_in_check_and_build() {
    let long = "a".repeat(252);
    let fits = "b".repeat(251);
    let site = SiteBuilder::new().complete_pack(&long).complete_pack(&fits);
    let file = format!("content/{long}");
    expect_errors(
        &site,
        vec![error(
            &file,
            "pack folder name is 252 bytes long; the site names its badge `badges/<slug>.svg`, and a file name may hold at most 255 bytes, so shorten the folder name to 251 bytes or fewer",
        )],
    );
    fs::remove_dir_all(site.join(&file)).expect("rm");
    site.build_ok();
    assert!(site
        .read(&format!("public/badges/{fits}.svg"))
        .starts_with("<svg"));
    one(&site.page(&format!("{fits}/runbook/")), "article.runbook");
}

#[test]
fn an_eval_file_named_twice_is_reported_once() {
    // `eval_set` and `results` both name one file, with a line that is not JSON.
    let site = SiteBuilder::new().complete_pack("pack").section(
        "pack",
        "evaluation",
        &complete_toml("evaluation").replace("evals/cases.jsonl", "evals/results.jsonl"),
        "",
    );
    let mut results = site.read("content/pack/evals/results.jsonl");
    results.push_str("{\"date\": \"2026-11-21\", \"metrics\": {\"accuracy\": 0.9}\n");
    site.write("content/pack/evals/results.jsonl", results.as_bytes());
    let (code, diags) = site.diags();
    let errors = of_severity(&diags, "error");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("content/pack/evals/results.jsonl", 3)
    );
    assert!(
        errors[0].message.contains("not valid JSON"),
        "{}",
        errors[0].message
    );
    assert_eq!(code, 1);
    let out = site.build();
    assert_eq!(out.code, 1);
    let printed = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: content/pack/evals/results.jsonl:3:"))
        .count();
    assert_eq!(printed, 1, "{}", out.stderr);

    // A file that is not UTF-8, named twice: one error.
    site.write("content/pack/evals/results.jsonl", b"{\"a\": \"\xff\"}\n");
    let (code, diags) = site.diags();
    let errors = of_severity(&diags, "error");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.starts_with("the file is not valid UTF-8"));
    assert_eq!(code, 1);
}

#[cfg(unix)]
#[test]
fn an_unreadable_eval_file_is_reported_once() {
    use std::os::unix::fs::symlink;
    let site = SiteBuilder::new().complete_pack("pack");
    fs::remove_file(site.join("content/pack/evals/cases.jsonl")).expect("rm");
    symlink("gone.jsonl", site.join("content/pack/evals/cases.jsonl")).expect("link");
    fs::remove_file(site.join("content/pack/evals/results.jsonl")).expect("rm");
    let made = std::process::Command::new("mkfifo")
        .arg(site.join("content/pack/evals/results.jsonl"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (code, diags) = site.diags();
    assert_eq!(
        sorted(diags),
        sorted(vec![
            warning("content/pack/evals/cases.jsonl", "cannot read it: the symlink points to `gone.jsonl`, which does not exist; rollbook skips it, so fix the link or remove it"),
            warning("content/pack/evals/results.jsonl", "cannot read it: it is not a regular file (a FIFO, socket or device); rollbook skips it, so replace it with a file or remove it"),
        ])
    );
    assert_eq!(code, 0);
    let out = site.build();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .count(),
        2,
        "{}",
        out.stderr
    );
}
