//! A template edit renders again only the pages whose template uses the edited one (through
//! `extends`, `include` and macro imports); every other page keeps the very buffer it had,
//! and the result still equals a fresh build.

use crate::incremental::{abs, assert_same, opts, start};
use crate::serve_support::*;
use rollbook::Session;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::Arc;

const THEME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default");
const SLUGS: [&str; 3] = ["alpha", "beta", "gamma"];

/// A template of the default theme.
fn default_template(name: &str) -> String {
    fs::read_to_string(Path::new(THEME).join("templates").join(name)).expect("a template")
}

/// Every pack's files, by path: the buffers themselves, to tell a page rendered again (a
/// new buffer) from one kept.
fn pack_files(s: &mut Session) -> BTreeMap<String, Arc<[u8]>> {
    s.render_packs().expect("the packs render");
    s.pack_outputs()
        .into_iter()
        .flat_map(|(_, o)| o.files.clone())
        .collect()
}

/// The paths whose buffer is not the same one as before.
fn renewed(
    before: &BTreeMap<String, Arc<[u8]>>,
    after: &BTreeMap<String, Arc<[u8]>>,
) -> BTreeSet<String> {
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files"
    );
    after
        .iter()
        .filter(|(path, bytes)| !Arc::ptr_eq(&before[*path], bytes))
        .map(|(path, _)| path.clone())
        .collect()
}

/// The pack files that match `kind`, of every pack.
fn paths(files: &BTreeMap<String, Arc<[u8]>>, kind: impl Fn(&str) -> bool) -> BTreeSet<String> {
    files.keys().filter(|p| kind(p)).cloned().collect()
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html") && !path.starts_with("badges/")
}

fn is_runbook(path: &str) -> bool {
    path.ends_with("/runbook/index.html")
}

fn is_checklist(path: &str) -> bool {
    path.ends_with("/checklist/index.html")
}

/// A pack's own page beyond its sections (`alpha/guide.md`), rendered with page.html.
fn is_extra_page(path: &str) -> bool {
    path == "alpha/guide/index.html"
}

/// Writes a template override, applies it, and returns which pack files were rendered
/// again and whether the site-wide files were; then checks the session against a fresh build.
fn edit(s: &mut Session, root: &Path, name: &str, source: &str) -> (BTreeSet<String>, bool) {
    let before = pack_files(s);
    let site_wide = s.site_wide().expect("the site-wide pages render");
    let rel = format!("templates/{name}");
    write(root, &rel, source);
    assert!(s.apply(&abs(root, &[&rel])), "{rel} is a change");
    let after = pack_files(s);
    let site_wide_again = !Arc::ptr_eq(&site_wide, &s.site_wide().expect("site-wide"));
    assert_same(s, root, &format!("after editing {rel}"));
    (renewed(&before, &after), site_wide_again)
}

fn text(s: &mut Session, path: &str) -> String {
    let out = s.built().output.expect("an output");
    String::from_utf8_lossy(&out.files[path]).into_owned()
}

#[test]
fn a_template_of_one_page_kind_renders_those_pages_only() {
    let (dir, mut s) = start();
    let root = dir.path();
    let files = pack_files(&mut s);
    let runbooks = paths(&files, is_runbook);
    assert_eq!(runbooks.len(), SLUGS.len());

    let runbook = default_template("runbook.html").replace(
        "<article class=\"runbook\">",
        "<article class=\"runbook\" data-v=\"v1\">",
    );
    let (renewed, site_wide) = edit(&mut s, root, "runbook.html", &runbook);
    assert_eq!(
        renewed, runbooks,
        "only the runbook pages are rendered again"
    );
    assert!(!site_wide, "no site-wide page renders runbook.html");
    assert!(text(&mut s, "beta/runbook/index.html").contains("data-v=\"v1\""));

    // A partial only the checklist includes.
    let gate = format!(
        "<p class=\"gate-v1\">gate</p>{}",
        default_template("partials/eval_gate.html")
    );
    let (renewed, site_wide) = edit(&mut s, root, "partials/eval_gate.html", &gate);
    assert_eq!(renewed, paths(&files, is_checklist));
    assert!(!site_wide);
    assert!(text(&mut s, "gamma/checklist/index.html").contains("gate-v1"));

    // The runbook's body, which the printable page of every runbook shows too.
    // Its macro import stays first.
    let body = default_template("partials/runbook_body.html").replacen(
        '\n',
        "\n<p class=\"body-v1\">body</p>",
        1,
    );
    let (renewed, site_wide) = edit(&mut s, root, "partials/runbook_body.html", &body);
    assert_eq!(renewed, runbooks);
    assert!(site_wide, "the printable page of every runbook shows it");
    let printed = text(&mut s, "runbooks/print/index.html");
    assert_eq!(printed.matches("body-v1").count(), SLUGS.len(), "{printed}");

    // A template no page renders: nothing is.
    let (renewed, site_wide) = edit(&mut s, root, "unused.html", "{{ nothing }}");
    assert!(renewed.is_empty(), "{renewed:?}");
    assert!(!site_wide);
}

#[test]
fn a_site_wide_template_renders_no_pack_page() {
    let (dir, mut s) = start();
    let root = dir.path();
    s.render_packs().expect("render");
    let before: Vec<_> = (s.pack_outputs().into_iter())
        .map(|(slug, o)| (slug.to_string(), o))
        .collect();
    let page = default_template("404.html").replace("Page not found</h1>", "Lost (v1)</h1>");
    let (renewed, site_wide) = edit(&mut s, root, "404.html", &page);
    assert!(renewed.is_empty(), "{renewed:?}");
    assert!(site_wide, "404.html is a site-wide page");
    // Each pack keeps the very same output, which `serve` then keeps serving.
    for ((slug, a), (_, b)) in before.iter().zip(s.pack_outputs()) {
        assert!(Arc::ptr_eq(a, &b), "{slug} kept its output");
    }
    assert!(text(&mut s, "404.html").contains("Lost (v1)"));
}

#[test]
fn base_html_renders_every_page() {
    let (dir, mut s) = start();
    let root = dir.path();
    let files = pack_files(&mut s);
    let base = default_template("base.html").replace("<main ", "<main data-base=\"v1\" ");
    let (renewed, site_wide) = edit(&mut s, root, "base.html", &base);
    assert_eq!(
        renewed,
        paths(&files, is_page),
        "every page, no badge or copied file"
    );
    assert!(site_wide);
    for path in [
        "alpha/index.html",
        "alpha/guide/index.html",
        "index.html",
        "404.html",
    ] {
        assert!(text(&mut s, path).contains("data-base=\"v1\""), "{path}");
    }
}

#[test]
fn a_macro_file_renders_exactly_the_pages_that_import_it() {
    let (dir, mut s) = start();
    let root = dir.path();
    let files = pack_files(&mut s);
    // Every template but page.html and 404.html imports macros.html.
    let macros = default_template("macros.html").replace(
        "<span class=\"na\">Not applicable</span>",
        "<span class=\"na\" data-m=\"v1\">Not applicable</span>",
    );
    let (renewed, site_wide) = edit(&mut s, root, "macros.html", &macros);
    assert_eq!(
        renewed,
        paths(&files, |p| is_page(p) && !is_extra_page(p)),
        "overview, sections, runbook and checklist; not the pack's own page"
    );
    assert!(site_wide, "the dashboard imports it too");

    // A partial a macro includes reaches the same pages through the macro.
    let missing = format!(
        "<!-- missing v1 -->{}",
        default_template("partials/missing.html")
    );
    let (renewed, _) = edit(&mut s, root, "partials/missing.html", &missing);
    assert_eq!(renewed, paths(&files, |p| is_page(p) && !is_extra_page(p)));
}

#[test]
fn a_template_error_is_reported_and_the_fix_recovers() {
    let (dir, mut s) = start();
    let root = dir.path();
    let files = pack_files(&mut s);
    let rel = "templates/runbook.html";
    let good = default_template("runbook.html");

    // A template that does not parse: reported with its file, nothing is rendered.
    write(
        root,
        rel,
        good.replace("{% block main %}", "{% block main %}{{ unclosed"),
    );
    assert!(s.apply(&abs(root, &[rel])));
    let broken = s.built();
    assert!(broken.output.is_none());
    assert!(
        broken
            .diagnostics
            .iter()
            .any(|d| d.file == rel && d.is_error()),
        "{:?}",
        broken.diagnostics
    );
    assert_same(&mut s, root, "a runbook.html that does not parse");

    // One that fails as it renders: every pack's runbook page reports it.
    write(
        root,
        rel,
        good.replace("{{ runbook.name }}", "{{ runbook.nothing_here }}"),
    );
    assert!(s.apply(&abs(root, &[rel])));
    let errors = s.render_packs().expect_err("runbook pages fail to render");
    assert!(
        errors
            .iter()
            .any(|d| d.file == rel && d.message.contains("nothing_here")),
        "{errors:?}"
    );
    assert_same(&mut s, root, "a runbook.html that fails to render");

    // Fixed: the same site as a fresh build, with the fix on every runbook page.
    let fixed = good.replace(
        "<article class=\"runbook\">",
        "<article class=\"runbook fixed\">",
    );
    write(root, rel, &fixed);
    assert!(s.apply(&abs(root, &[rel])));
    assert_same(&mut s, root, "runbook.html fixed");
    let after = pack_files(&mut s);
    assert_eq!(after.len(), files.len());
    assert!(text(&mut s, "alpha/runbook/index.html").contains("runbook fixed"));
}

#[test]
fn an_edited_theme_stylesheet_renders_no_page() {
    let dir = temp_site(&SLUGS);
    let root = dir.path();
    // A theme of the site's own: the default's templates and small static files.
    for (sub, skip) in [("templates", ""), ("static", "mermaid")] {
        for entry in walkdir::WalkDir::new(Path::new(THEME).join(sub)) {
            let entry = entry.expect("an entry");
            let rel = entry
                .path()
                .strip_prefix(THEME)
                .expect("in the theme")
                .to_string_lossy()
                .into_owned();
            if entry.file_type().is_file() && (skip.is_empty() || !rel.contains(skip)) {
                write(
                    root,
                    &format!("themes/own/{rel}"),
                    fs::read(entry.path()).expect("read"),
                );
            }
        }
    }
    write(root, "site.toml", format!("theme = \"own\"\n{SITE_TOML}"));
    let mut s = Session::new(root, opts());
    assert_same(&mut s, root, "a site with a theme of its own");
    let before = pack_files(&mut s);
    let kept: Vec<_> = (s.pack_outputs().into_iter())
        .map(|(slug, o)| (slug.to_string(), o))
        .collect();
    let site_wide = s.site_wide().expect("site-wide");

    let css = "themes/own/static/style.css";
    write(root, css, "body { --edited: 1; }\n");
    assert!(s.apply(&abs(root, &[css])));
    assert!(renewed(&before, &pack_files(&mut s)).is_empty());
    for ((slug, a), (_, b)) in kept.iter().zip(s.pack_outputs()) {
        assert!(Arc::ptr_eq(a, &b), "{slug} kept its output");
    }
    let after = s.site_wide().expect("site-wide");
    for (path, bytes) in &after.files {
        let kept = Arc::ptr_eq(bytes, &site_wide.files[path]);
        assert_eq!(kept, path != "style.css", "{path}");
    }
    assert_eq!(&after.files["style.css"][..], b"body { --edited: 1; }\n");
    assert_same(&mut s, root, "the theme's stylesheet edited");
}

/// Saves a file as many editors do, in one step: written beside it under a temporary
/// name the server ignores, then renamed over it.
fn save(root: &Path, rel: &str, contents: &str) {
    let tmp = format!("{rel}.tmp");
    write(root, &tmp, contents);
    fs::rename(root.join(&tmp), root.join(rel)).expect("rename");
}

/// Whether the served page at `path` has an element matching `selector`.
fn served_has(server: &Server, path: &str, selector: &str) -> bool {
    let r = server.get(path);
    assert_eq!(r.status, 200, "GET {path}");
    let selector = scraper::Selector::parse(selector).expect("a selector");
    r.html().select(&selector).next().is_some()
}

#[test]
fn serve_shows_an_edited_template_reports_a_broken_one_and_recovers() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let rel = "templates/runbook.html";
    let good = default_template("runbook.html");
    let marked = |v: &str| {
        good.replace(
            "<article class=\"runbook\">",
            &format!("<article class=\"runbook\" data-v=\"{v}\">"),
        )
    };
    write(root, rel, marked("v1"));
    let server = Server::start(root);
    let mut events = server.events(None);
    let section =
        |server: &Server| strip_reload_script(&server.get("/ai-packs/beta/data/").text()).0;
    let section_before = section(&server);

    save(root, rel, &marked("v2"));
    events.expect("reload");
    assert!(served_has(
        &server,
        "/ai-packs/beta/runbook/",
        "article.runbook[data-v=v2]"
    ));

    // A template that does not parse: an error naming it, the last good site served.
    save(
        root,
        rel,
        &good.replace("{% block main %}", "{% block main %}{{ unclosed"),
    );
    let e = events.expect("error");
    let diags: serde_json::Value = serde_json::from_str(&e.data).expect("JSON");
    assert!(
        diags
            .as_array()
            .expect("a list")
            .iter()
            .any(|d| d["file"] == rel && d["severity"] == "error"),
        "{}",
        e.data
    );
    assert!(served_has(
        &server,
        "/ai-packs/beta/runbook/",
        "#rollbook-errors"
    ));
    assert!(served_has(
        &server,
        "/ai-packs/beta/runbook/",
        "article.runbook[data-v=v2]"
    ));

    // Fixed: the new runbook pages, no overlay, the other pages as they were.
    save(root, rel, &marked("v3"));
    events.expect("reload");
    assert!(served_has(
        &server,
        "/ai-packs/alpha/runbook/",
        "article.runbook[data-v=v3]"
    ));
    assert!(!served_has(
        &server,
        "/ai-packs/alpha/runbook/",
        "#rollbook-errors"
    ));
    assert_eq!(section(&server), section_before);
}
