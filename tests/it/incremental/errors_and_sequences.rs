//! Incremental rebuilds through errors and long sequences of edits.

use super::*;

#[test]
fn a_broken_edit_then_a_fix() {
    let (dir, mut s) = start();
    let root = dir.path();
    let good = fs::read_to_string(root.join("content/beta/rollout.md")).expect("read");
    write(
        root,
        "content/beta/rollout.md",
        "+++\ndashboards = [\"x\"\nstatus = \"nope\"\n+++\nBroken.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/rollout.md"]),
        "break beta/rollout.md",
    );
    let broken = s.built();
    assert!(
        broken.has_errors() && broken.output.is_none(),
        "a broken build has no output"
    );
    // A second error elsewhere, then an unknown key, then the fixes one by one.
    write_section(
        root,
        "alpha",
        "accountability",
        "dri = [\"Dana\", \"Sam\"]\n",
        "Committee.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/accountability.md"]),
        "two broken packs",
    );
    write_section(
        root,
        "alpha",
        "accountability",
        complete_toml("accountability"),
        "Fixed.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/accountability.md"]),
        "alpha fixed, beta still broken",
    );
    write(root, "content/beta/rollout.md", &good);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/rollout.md"]),
        "beta fixed",
    );
    assert!(s.built().output.is_some());
    // A broken link to another pack's heading, fixed by editing the other pack.
    write(
        root,
        "content/beta/links.md",
        "+++\n+++\nSee [the guide](@/alpha/guide.md#routing).\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/links.md"]),
        "a broken cross-pack anchor",
    );
    assert!(s.built().has_errors());
    write(
        root,
        "content/alpha/guide.md",
        "+++\ntitle = \"Triage guide\"\n+++\n# Guide\n\n## Routing\n\nText.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/guide.md"]),
        "the anchor now exists in alpha",
    );
    assert!(!s.built().has_errors());
    // A broken site.toml, then fixed.
    write(root, "site.toml", format!("{SITE_TOML}titel = \"typo\"\n"));
    apply_and_compare(&mut s, root, &abs(root, &["site.toml"]), "break site.toml");
    write(root, "site.toml", SITE_TOML);
    apply_and_compare(&mut s, root, &abs(root, &["site.toml"]), "fix site.toml");
}

#[test]
fn temp_files_change_nothing() {
    let (dir, mut s) = start();
    let root = dir.path();
    let paths: Vec<PathBuf> = [
        ".workflow.md.swp",
        "workflow.md~",
        "4913",
        "#workflow.md#",
        ".#workflow.md",
        "workflow.tmp",
        "workflow.md___jb_tmp___",
    ]
    .iter()
    .map(|n| {
        write(
            root,
            &format!("content/alpha/{n}"),
            "+++\nbroken = \"\n+++\n",
        );
        root.join(format!("content/alpha/{n}"))
    })
    .collect();
    assert!(!s.apply(&paths), "temp files are no change");
    assert!(
        !s.apply(&abs(
            root,
            &["public/index.html", ".git/index", "README.md"]
        )),
        "files the site does not read are no change"
    );
    // Even when a real change comes with them, the temp files stay out of the output.
    write_section(
        root,
        "alpha",
        "workflow",
        complete_toml("workflow"),
        "Edited.\n",
    );
    let mut with_real = paths.clone();
    with_real.push(root.join("content/alpha/workflow.md"));
    apply_and_compare(&mut s, root, &with_real, "a real edit among temp files");
}

/// A named change to the site folder, returning the paths a watcher would report.
type Step = (&'static str, Box<dyn Fn(&Path) -> Vec<PathBuf>>);

#[test]
fn a_long_sequence_of_changes_stays_equal_to_fresh_builds() {
    let (dir, mut s) = start();
    let root = dir.path();
    let steps: Vec<Step> = vec![
        (
            "edit a section",
            Box::new(|r: &Path| {
                write_section(
                    r,
                    "alpha",
                    "incident",
                    complete_toml("incident"),
                    "Incident notes v2.\n\n## Paging order\n",
                );
                abs(r, &["content/alpha/incident.md"])
            }),
        ),
        (
            "add a page",
            Box::new(|r: &Path| {
                write(
                    r,
                    "content/gamma/notes.md",
                    "+++\n+++\n# Notes\n\n- [ ] A task\n",
                );
                abs(r, &["content/gamma/notes.md"])
            }),
        ),
        (
            "add a pack",
            Box::new(|r: &Path| {
                complete_pack(r, "delta");
                let mut p = vec![r.join("content/delta")];
                p.extend(tree(r, "content/delta"));
                p
            }),
        ),
        (
            "edit the home",
            Box::new(|r: &Path| {
                write(
                    r,
                    "content/_index.md",
                    "+++\n+++\n# Home v2\n\nSee [delta](@/delta/workflow.md).\n",
                );
                abs(r, &["content/_index.md"])
            }),
        ),
        (
            "edit a static file",
            Box::new(|r: &Path| {
                write(r, "static/extra.css", "x{}\n");
                abs(r, &["static/extra.css"])
            }),
        ),
        (
            "add a template",
            Box::new(|r: &Path| {
                write(
                    r,
                    "templates/404.html",
                    "<!doctype html><html><body><h1>{{ page.title }} (custom)</h1></body></html>\n",
                );
                abs(r, &["templates", "templates/404.html"])
            }),
        ),
        (
            "delete a section",
            Box::new(|r: &Path| {
                fs::remove_file(r.join("content/delta/rhythm.md")).expect("rm");
                abs(r, &["content/delta/rhythm.md"])
            }),
        ),
        (
            "edit results",
            Box::new(|r: &Path| {
                write(
                    r,
                    "content/delta/evals/results.jsonl",
                    run_line("2026-11-25", "acme/small-2", 0.1),
                );
                abs(r, &["content/delta/evals/results.jsonl"])
            }),
        ),
        (
            "remove a pack",
            Box::new(|r: &Path| {
                let p = tree(r, "content/beta");
                fs::remove_dir_all(r.join("content/beta")).expect("rm");
                p
            }),
        ),
        (
            "break a section",
            Box::new(|r: &Path| {
                write(r, "content/alpha/data.md", "+++\nsources = \n+++\n");
                abs(r, &["content/alpha/data.md"])
            }),
        ),
        (
            "edit another pack while broken",
            Box::new(|r: &Path| {
                write_section(
                    r,
                    "gamma",
                    "workflow",
                    complete_toml("workflow"),
                    "While broken.\n",
                );
                abs(r, &["content/gamma/workflow.md"])
            }),
        ),
        (
            "fix the section",
            Box::new(|r: &Path| {
                write_section(r, "alpha", "data", complete_toml("data"), "Fixed.\n");
                abs(r, &["content/alpha/data.md"])
            }),
        ),
        (
            "rename the site",
            Box::new(|r: &Path| {
                write(
                    r,
                    "site.toml",
                    SITE_TOML.replace("Acme AI rollout packs", "Final title"),
                );
                abs(r, &["site.toml"])
            }),
        ),
        (
            "edit after a full reload",
            Box::new(|r: &Path| {
                write_section(
                    r,
                    "delta",
                    "models",
                    "approved = [\"TBD\"]\n",
                    "Models later.\n",
                );
                abs(r, &["content/delta/models.md"])
            }),
        ),
    ];
    for (what, step) in steps {
        let paths = step(root);
        apply_and_compare(&mut s, root, &paths, what);
    }
    assert!(!s.built().has_errors());
}

/// `build` renders one pack at a time and lets go of each pack's text and answers once
/// its pages are written; what it writes must still be exactly what a session holding
/// the whole site renders, on the example site with every kind of pack, page and file.
#[test]
fn a_build_one_pack_at_a_time_writes_what_the_whole_site_renders() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("a temp dir");
    let dest = out.path().join("site");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY, "build", "-o"])
        .arg(&dest)
        .output()
        .expect("rollbook runs");
    assert!(
        run.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let whole = Session::new(root, opts()).built();
    let output = whole.output.expect("the example site builds in a session");
    let mut written = crate::common::snapshot(&dest);
    written.remove(".rollbook-output");
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        output.files.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &output.files {
        let on_disk = written.get(path).map_or(&[][..], Vec::as_slice);
        assert!(
            on_disk == &**bytes,
            "{path} differs {}",
            first_difference(on_disk, bytes)
        );
    }
}
