//! Incremental rebuilds after content edits: sections, pages, packs added and removed.

use super::*;

#[test]
fn edit_a_section_file() {
    let (dir, mut s) = start();
    let root = dir.path();
    // A field becomes a placeholder and the notes change.
    write_section(
        root,
        "alpha",
        "data",
        &complete_toml("data").replace("\"30 days\"", "\"TBD\""),
        "Edited data notes.\n\n# New heading\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/data.md"]),
        "edit alpha/data.md",
    );
    assert!(output_file(&mut s, "alpha/data/index.html")
        .is_some_and(|h| h.contains("Edited data notes.")));
    // A field in another pack, which changes its completeness and the dashboard.
    write_section(
        root,
        "beta",
        "workflow",
        "name = \"Renamed workflow\"\n",
        "Short.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/workflow.md"]),
        "edit beta/workflow.md",
    );
}

#[test]
fn add_an_extra_page() {
    let (dir, mut s) = start();
    let root = dir.path();
    write(
        root,
        "content/beta/escalation-matrix.md",
        "+++\ntitle = \"Escalation matrix\"\n+++\n# Matrix\n\nSee [paging](@/beta/incident.md#paging) and [alpha's guide](@/alpha/guide.md#queues).\n\n- [ ] Agree the matrix\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/escalation-matrix.md"]),
        "add beta/escalation-matrix.md",
    );
    assert!(output_file(&mut s, "beta/escalation-matrix/index.html").is_some());
    // Edit it, then delete it.
    write(
        root,
        "content/beta/escalation-matrix.md",
        "+++\ntitle = \"Escalation matrix v2\"\n+++\nShorter.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/escalation-matrix.md"]),
        "edit the extra page",
    );
    fs::remove_file(root.join("content/beta/escalation-matrix.md")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/escalation-matrix.md"]),
        "delete the extra page",
    );
}

#[test]
fn a_link_into_another_pack_breaks_and_mends_with_that_packs_edits() {
    let (dir, mut s) = start();
    let root = dir.path();
    let broken = |s: &Session| -> Vec<String> {
        (s.diagnostics().iter())
            .filter(|d| d.file == "content/beta/links.md")
            .map(|d| d.message.clone())
            .collect()
    };
    write(
        root,
        "content/beta/links.md",
        "+++\ntitle = \"Links\"\n+++\nSee [alpha's queues](@/alpha/guide.md#queues) and [gamma](@/gamma/notes.md).\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/links.md"]),
        "add beta/links.md",
    );
    assert_eq!(
        broken(&s).len(),
        1,
        "only gamma's page is missing: {:?}",
        broken(&s)
    );

    // alpha's heading goes: beta's link breaks, though beta did not change.
    let guide = "+++\ntitle = \"Triage guide\"\n+++\n# Guide\n\nNo queues any more.\n";
    write(root, "content/alpha/guide.md", guide);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/guide.md"]),
        "drop alpha's heading",
    );
    assert_eq!(broken(&s).len(), 2, "{:?}", broken(&s));
    assert!(
        broken(&s).iter().any(|m| m.contains("#queues")),
        "{:?}",
        broken(&s)
    );

    // gamma gets the page: that link mends.
    write(
        root,
        "content/gamma/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nNotes.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/gamma/notes.md"]),
        "add gamma/notes.md",
    );
    assert_eq!(broken(&s).len(), 1, "{:?}", broken(&s));

    // alpha's heading comes back: none is broken.
    let guide = "+++\ntitle = \"Triage guide\"\n+++\n# Guide\n\n## Queues\n\nText.\n";
    write(root, "content/alpha/guide.md", guide);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/guide.md"]),
        "restore alpha's heading",
    );
    assert_eq!(broken(&s), Vec::<String>::new());
}

#[test]
fn delete_a_section_file() {
    let (dir, mut s) = start();
    let root = dir.path();
    fs::remove_file(root.join("content/beta/models.md")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/models.md"]),
        "delete beta/models.md",
    );
    fs::remove_file(root.join("content/alpha/incident.md")).expect("rm");
    // alpha/guide.md links to incident.md#paging: still a page (sections always are), and
    // `paging` is a field anchor, so it stays valid; either way both builds must agree.
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/incident.md"]),
        "delete alpha/incident.md",
    );
    // And put one back.
    write_section(root, "beta", "models", complete_toml("models"), "Back.\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/models.md"]),
        "recreate beta/models.md",
    );
}

#[test]
fn add_a_pack_folder() {
    let (dir, mut s) = start();
    let root = dir.path();
    complete_pack(root, "delta");
    write(
        root,
        "content/delta/extra-notes.md",
        "+++\n+++\n# Extra\n\nLinks to [alpha](@/alpha/workflow.md).\n",
    );
    // What a watcher reports for files created one by one: the folder, then each file.
    let mut paths = vec![root.join("content/delta")];
    paths.extend(tree(root, "content/delta"));
    apply_and_compare(
        &mut s,
        root,
        &paths,
        "add the pack delta (folder and files reported)",
    );
    assert!(output_file(&mut s, "delta/index.html").is_some());
}

#[test]
fn add_a_pack_folder_reporting_only_its_files() {
    let (dir, mut s) = start();
    let root = dir.path();
    complete_pack(root, "delta");
    let files: Vec<PathBuf> = tree(root, "content/delta")
        .into_iter()
        .filter(|p| p.is_file())
        .collect();
    apply_and_compare(
        &mut s,
        root,
        &files,
        "add the pack delta (only files reported)",
    );
}

#[test]
fn move_a_pack_folder_in() {
    let (dir, mut s) = start();
    let root = dir.path();
    // Built elsewhere inside the site's parent, then renamed in: the watcher sees only the folder.
    let staging = tempfile::tempdir().expect("staging");
    complete_pack(staging.path(), "delta");
    fs::rename(
        staging.path().join("content/delta"),
        root.join("content/delta"),
    )
    .expect("mv");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/delta"]),
        "move the pack delta in",
    );
}

#[test]
fn remove_a_pack_folder() {
    let (dir, mut s) = start();
    let root = dir.path();
    let paths = tree(root, "content/gamma");
    fs::remove_dir_all(root.join("content/gamma")).expect("rm -r");
    apply_and_compare(
        &mut s,
        root,
        &paths,
        "remove the pack gamma (files and folder reported)",
    );
    assert!(output_file(&mut s, "gamma/index.html").is_none());
    // A complete pack with eval files and an extra page, reported as the folder alone (mv out).
    let away = tempfile::tempdir().expect("tmp");
    fs::rename(root.join("content/alpha"), away.path().join("alpha")).expect("mv");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha"]),
        "move the pack alpha out",
    );
}

#[test]
fn edit_the_home_intro() {
    let (dir, mut s) = start();
    let root = dir.path();
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\n# Our packs, edited\n\nSee the [beta runbook answers](@/beta/incident.md#paging).\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/_index.md"]),
        "edit content/_index.md",
    );
    assert!(output_file(&mut s, "index.html").is_some_and(|h| h.contains("Our packs, edited")));
    // A site page next to it, then the intro removed.
    write(
        root,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\nAbout these packs.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/about.md"]),
        "add content/about.md",
    );
    fs::remove_file(root.join("content/_index.md")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/_index.md"]),
        "remove content/_index.md",
    );
}

#[test]
fn rename_a_pack_folder() {
    let (dir, mut s) = start();
    let root = dir.path();
    fs::rename(root.join("content/gamma"), root.join("content/omega")).expect("mv");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/gamma", "content/omega"]),
        "rename gamma to omega",
    );
    assert!(output_file(&mut s, "omega/index.html").is_some());
    assert!(output_file(&mut s, "gamma/index.html").is_none());
}

#[test]
fn odd_folders_and_pages_in_content() {
    let (dir, mut s) = start();
    let root = dir.path();
    // A folder that is not a valid slug, and one with a reserved name: errors.
    write(root, "content/Bad_Pack/workflow.md", "+++\n+++\nx\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/Bad_Pack/workflow.md"]),
        "a folder with an invalid slug",
    );
    write(root, "content/owners/workflow.md", "+++\n+++\nx\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/owners", "content/owners/workflow.md"]),
        "a folder with a reserved name",
    );
    let mut paths = tree(root, "content/Bad_Pack");
    paths.extend(tree(root, "content/owners"));
    fs::remove_dir_all(root.join("content/Bad_Pack")).expect("rm");
    fs::remove_dir_all(root.join("content/owners")).expect("rm");
    apply_and_compare(&mut s, root, &paths, "both removed");
    // A site page that takes a pack's URL, then the pack goes away.
    write(root, "content/gamma.md", "+++\n+++\nGamma page.\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/gamma.md"]),
        "content/gamma.md next to the pack gamma",
    );
    let paths = tree(root, "content/gamma");
    fs::remove_dir_all(root.join("content/gamma")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &paths,
        "the pack gamma removed, its page stays",
    );
    // A pack intro and a draft section.
    write(
        root,
        "content/beta/_index.md",
        "+++\ntitle = \"Beta intro\"\n+++\nAbout beta.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/_index.md"]),
        "a pack intro",
    );
    write_section(
        root,
        "beta",
        "models",
        &format!("draft = true\n{}", complete_toml("models")),
        "Draft.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/models.md"]),
        "a draft section",
    );
    // A file directly in content/.
    write(
        root,
        "content/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/logo.svg"]),
        "a file at the content root",
    );
}
