//! Incremental rebuilds after edits to static files, templates and settings.

use super::*;

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
