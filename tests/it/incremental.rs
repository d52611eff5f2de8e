//! Incremental rebuilds (`Session::apply`) must give exactly what a fresh `Session` gives:
//! the same files with the same bytes, the same diagnostics and the same status, after
//! every kind of change a watcher reports.

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

// Content ------------------------------------------------------------------------------

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

// Static files, templates, settings ---------------------------------------------------------

#[test]
fn add_and_edit_static_files() {
    let (dir, mut s) = start();
    let root = dir.path();
    write(root, "static/new.css", "a { color: blue }\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/new.css"]),
        "add static/new.css",
    );
    write(root, "static/extra.css", "body { --test-extra: 2; }\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/extra.css"]),
        "edit static/extra.css",
    );
    assert_eq!(
        output_file(&mut s, "extra.css").as_deref(),
        Some("body { --test-extra: 2; }\n")
    );
    write(
        root,
        "static/img/deep/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/img/deep/logo.svg"]),
        "add a nested static file",
    );
    // A static file that replaces a theme file.
    write(root, "static/style.css", "/* mine */\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/style.css"]),
        "override the theme's style.css",
    );
    fs::remove_file(root.join("static/style.css")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/style.css"]),
        "remove the override of style.css",
    );
    fs::remove_file(root.join("static/data/info.json")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/data/info.json"]),
        "remove static/data/info.json",
    );
}

/// The files with a secret warning, in order.
fn secret_warnings(session: &mut Session) -> Vec<String> {
    session
        .built()
        .diagnostics
        .into_iter()
        .filter(|d| d.message.starts_with("this looks like a secret"))
        .map(|d| d.file)
        .collect()
}

#[test]
fn secrets_in_static_and_templates_follow_edits() {
    let (dir, mut s) = start();
    let root = dir.path();
    let leak = format!("KEY=glpat-{}\n", "Zq8Rt4Wm2Kp7Lx9Nb3Vc");
    write(root, "static/js/env.js", &leak);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/js/env.js"]),
        "a secret added to static/",
    );
    assert_eq!(secret_warnings(&mut s), ["static/js/env.js"]);
    write(root, "templates/notes.txt", &leak);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates/notes.txt"]),
        "a secret added to templates/",
    );
    assert_eq!(
        secret_warnings(&mut s),
        ["static/js/env.js", "templates/notes.txt"]
    );
    write(root, "static/js/env.js", "const env = {};\n");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/js/env.js"]),
        "the secret removed from static/",
    );
    assert_eq!(secret_warnings(&mut s), ["templates/notes.txt"]);
    fs::remove_file(root.join("templates/notes.txt")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates/notes.txt"]),
        "the template removed",
    );
    assert_eq!(secret_warnings(&mut s), Vec::<String>::new());
}

#[test]
fn move_a_static_folder_in_and_out() {
    let (dir, mut s) = start();
    let root = dir.path();
    let away = tempfile::tempdir().expect("tmp");
    write(
        away.path(),
        "img/a.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    write(away.path(), "img/b.css", "b {}\n");
    fs::rename(away.path().join("img"), root.join("static/img")).expect("mv in");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/img"]),
        "move the folder static/img in",
    );
    fs::rename(root.join("static/data"), away.path().join("data")).expect("mv out");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["static/data"]),
        "move the folder static/data out",
    );
}

#[test]
fn add_edit_and_remove_a_template_override() {
    let (dir, mut s) = start();
    let root = dir.path();
    let page = |marker: &str| {
        format!("{{% extends \"base.html\" %}}\n{{% block main %}}<article class=\"{marker}\"><h1>{{{{ page.title }}}}</h1>{{{{ content_html | safe }}}}</article>{{% endblock main %}}\n")
    };
    write(root, "templates/page.html", page("override-v1"));
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates", "templates/page.html"]),
        "add templates/page.html",
    );
    assert!(
        output_file(&mut s, "alpha/guide/index.html").is_some_and(|h| h.contains("override-v1"))
    );
    write(root, "templates/page.html", page("override-v2"));
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates/page.html"]),
        "edit templates/page.html",
    );
    assert!(
        output_file(&mut s, "alpha/guide/index.html").is_some_and(|h| h.contains("override-v2"))
    );
    // A broken override, then fixed.
    write(
        root,
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ unclosed {% endblock main %}\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates/page.html"]),
        "break templates/page.html",
    );
    assert!(s.built().has_errors());
    write(root, "templates/page.html", page("override-v3"));
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates/page.html"]),
        "fix templates/page.html",
    );
    fs::remove_file(root.join("templates/page.html")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["templates/page.html"]),
        "remove templates/page.html",
    );
}

#[test]
fn edit_the_site_title() {
    let (dir, mut s) = start();
    let root = dir.path();
    write(
        root,
        "site.toml",
        SITE_TOML.replace("Acme AI rollout packs", "Renamed rollout packs"),
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["site.toml"]),
        "edit the title in site.toml",
    );
    assert!(output_file(&mut s, "alpha/index.html")
        .is_some_and(|h| h.contains("Renamed rollout packs")));
    // The base URL and staleness threshold reach every page and the status.
    write(
        root,
        "site.toml",
        "title = \"T\"\nbase_url = \"https://acme.example/other\"\ndescription = \"d\"\nedit_url = \"https://git.example/edit/{path}\"\n\n[rhythm]\nstale_after_days = 3\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["site.toml"]),
        "edit base_url, edit_url and staleness",
    );
}

#[test]
fn edit_an_eval_results_file() {
    let (dir, mut s) = start();
    let root = dir.path();
    let mut results =
        fs::read_to_string(root.join("content/alpha/evals/results.jsonl")).expect("read");
    results.push_str(&run_line("2026-11-24", "acme/large-1", 0.5));
    results.push_str(&run_line("2026-11-25", "acme/small-2", 0.7));
    write(root, "content/alpha/evals/results.jsonl", &results);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/alpha/evals/results.jsonl"]),
        "a failing run in alpha's results",
    );
    assert_eq!(s.built().status, Session::new(root, opts()).built().status);
    // The eval set shrinks below 20 cases (a warning), then a results line breaks (an error).
    write(root, "content/beta/evals/cases.jsonl", jsonl_cases(5));
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/evals/cases.jsonl"]),
        "a small eval set in beta",
    );
    write(
        root,
        "content/beta/evals/results.jsonl",
        "{\"date\": \"2026-11-20\", \"metrics\": \n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/evals/results.jsonl"]),
        "a broken results line in beta",
    );
    assert!(s.built().has_errors());
    fs::remove_file(root.join("content/beta/evals/results.jsonl")).expect("rm");
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/evals/results.jsonl"]),
        "beta's results file removed",
    );
}

#[test]
fn edit_an_eval_file_at_the_content_root() {
    let (dir, mut s) = start();
    let root = dir.path();
    // gamma evaluates against a set at the content root.
    write(root, "content/shared-cases.jsonl", jsonl_cases(30));
    write_section(
        root,
        "gamma",
        "evaluation",
        "eval_set = \"../shared-cases.jsonl\"\nacceptance_criteria = [\"Right\"]\nrelease_gate = [{ metric = \"accuracy\", min = 0.9 }]\n",
        "Shared evals.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(
            root,
            &["content/shared-cases.jsonl", "content/gamma/evaluation.md"],
        ),
        "gamma uses a shared eval set",
    );
    write(root, "content/shared-cases.jsonl", jsonl_cases(4));
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/shared-cases.jsonl"]),
        "the shared eval set shrinks",
    );
}

#[test]
fn edit_an_eval_file_of_another_pack() {
    let (dir, mut s) = start();
    let root = dir.path();
    write_section(
        root,
        "gamma",
        "evaluation",
        "eval_set = \"../beta/evals/cases.jsonl\"\nacceptance_criteria = [\"Right\"]\nrelease_gate = [{ metric = \"accuracy\", min = 0.9 }]\nresults = \"../beta/evals/results.jsonl\"\n",
        "Borrowed evals.\n",
    );
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/gamma/evaluation.md"]),
        "gamma uses beta's eval files",
    );
    let mut results =
        fs::read_to_string(root.join("content/beta/evals/results.jsonl")).expect("read");
    results.push_str(&run_line("2026-11-25", "acme/small-2", 0.2));
    write(root, "content/beta/evals/results.jsonl", &results);
    apply_and_compare(
        &mut s,
        root,
        &abs(root, &["content/beta/evals/results.jsonl"]),
        "beta's results, used by gamma, fail",
    );
}

// Errors and sequences ---------------------------------------------------------------------

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
