//! Generated pages win over site files of the same path.

use super::*;

#[test]
fn a_site_file_on_a_generated_path_is_an_error_naming_both_and_the_page_stays_rollbooks() {
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    let fake = "<html><body><p>not rollbook's</p></body></html>\n";
    for f in [
        "content/pack/runbook/index.html",
        "content/pack/checklist/index.html",
        "content/status.json",
        "static/status.json",
        "static/search/index.js",
        "static/search/t/0.js",
        "static/search/d/1.js",
        "static/index.html",
        "static/pack/index.html",
        "static/badges/pack.svg",
        "static/badges/pack/workflow.svg",
        "static/sitemap.xml",
        "static/404.html",
        "static/runbooks/index.html",
    ] {
        site.write(f, fake.as_bytes());
    }
    // An extra page on a section's URL, and a copied file on an extra page's URL.
    site.write("content/pack/workflow/_index.md", b"# Mine\n");
    site.write("content/pack/foo.md", b"# Foo\n");
    site.write("content/pack/foo/index.html", fake.as_bytes());
    // The same path from content/ and static/.
    site.write("content/notes.txt", b"a\n");
    site.write("static/notes.txt", b"b\n");
    // What rollbook writes anyway replaces nothing.
    site.write("static/.nojekyll", b"");

    let mut wants: Vec<Diag> = [
        (
            "content/pack/runbook/index.html",
            page("pack/runbook/index.html"),
        ),
        (
            "content/pack/checklist/index.html",
            page("pack/checklist/index.html"),
        ),
        ("content/status.json", "`status.json`".into()),
        ("static/status.json", "`status.json`".into()),
        ("static/search/index.js", "`search/index.js`".into()),
        ("static/search/t/0.js", "`search/t/0.js`".into()),
        ("static/search/d/1.js", "`search/d/1.js`".into()),
        ("static/index.html", page("index.html")),
        ("static/pack/index.html", page("pack/index.html")),
        ("static/badges/pack.svg", "`badges/pack.svg`".into()),
        (
            "static/badges/pack/workflow.svg",
            "`badges/pack/workflow.svg`".into(),
        ),
        ("static/sitemap.xml", "`sitemap.xml`".into()),
        ("static/404.html", "`404.html`".into()),
        ("static/runbooks/index.html", page("runbooks/index.html")),
    ]
    .iter()
    .map(|(f, shown)| error(f, &replaces(f, shown)))
    .collect();
    wants.push(error(
        "content/pack/workflow/_index.md",
        "`content/pack/workflow/_index.md` would be published as the page `/pack/workflow/` (`pack/workflow/index.html`), which rollbook generates; generated pages always win, so rename `content/pack/workflow/_index.md`",
    ));
    wants.push(error(
        "content/pack/foo/index.html",
        "`content/pack/foo/index.html` would replace the page `/pack/foo/` (`pack/foo/index.html`), which rollbook generates from `content/pack/foo.md`; rename or remove one of them",
    ));
    wants.push(error(
        "static/notes.txt",
        "`content/notes.txt` and `static/notes.txt` would both be published as `notes.txt`; rename one of them",
    ));
    expect_errors(&site, wants);

    // The pages in public/ are still rollbook's own.
    let runbook = site.page("pack/runbook/");
    one(&runbook, "body.kind-runbook article.runbook");
    let checklist = site.page("pack/checklist/");
    one(&checklist, "body.kind-checklist");
    let section = site.page("pack/workflow/");
    one(&section, "body.kind-section dl.answers");
    assert!(site.status()["packs"].as_array().is_some());
    assert!(site.read("public/badges/pack.svg").starts_with("<svg"));
}

#[test]
fn a_site_file_named_like_a_generated_folder_is_an_error_naming_both() {
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    // Files where rollbook writes folders: a site-wide page's, a pack's, the badges',
    // a pack page's; and a file inside a folder named like a file rollbook writes.
    for f in [
        "static/owners",
        "static/pack",
        "content/badges",
        "content/pack/runbook",
        "static/status.json/x",
    ] {
        site.write(f, b"mine\n");
    }
    let folder = |file: &str, path: &str, shown: &str| {
        let message = format!("`{file}` would be published as the file `{path}`, but rollbook writes {shown} in a folder of that name; rename or remove `{file}`");
        error(file, &message)
    };
    expect_errors(
        &site,
        vec![
            folder("static/owners", "owners", &page("owners/index.html")),
            folder("static/pack", "pack", &page("pack/index.html")),
            folder("content/badges", "badges", "`badges/pack.svg`"),
            folder(
                "content/pack/runbook",
                "pack/runbook",
                &page("pack/runbook/index.html"),
            ),
            error(
                "static/status.json/x",
                "`static/status.json/x` would be published as `status.json/x`, inside a folder named like the file `status.json`, which rollbook generates; rename or move `static/status.json/x`",
            ),
        ],
    );
}

#[test]
fn a_site_file_inside_a_folder_named_like_a_packs_file_is_an_error_naming_both() {
    let site = SiteBuilder::new().complete_pack("pack").file(
        "content/pack/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nSome notes.\n",
    );
    site.build_ok();
    // A pack's files are written before the site's own: these would each need a folder
    // where a pack's file already is.
    for f in [
        "static/pack/index.html/x",
        "static/pack/runbook/index.html/x",
        "static/pack/notes/index.html/y",
    ] {
        site.write(f, b"mine\n");
    }
    let generated = |file: &str, path: &str, inside: &str| {
        let message = format!("`{file}` would be published as `{path}`, inside a folder named like the file `{inside}`, which rollbook generates; rename or move `{file}`");
        error(file, &message)
    };
    expect_errors(
        &site,
        vec![
            generated(
                "static/pack/index.html/x",
                "pack/index.html/x",
                "pack/index.html",
            ),
            generated(
                "static/pack/runbook/index.html/x",
                "pack/runbook/index.html/x",
                "pack/runbook/index.html",
            ),
            error(
                "content/pack/notes.md",
                "`content/pack/notes.md` would be published as the file `pack/notes/index.html`, and `static/pack/notes/index.html/y` as `pack/notes/index.html/y` in a folder of that name; rename or move one of them",
            ),
        ],
    );
}

#[test]
fn static_files_may_replace_theme_files_and_match_generated_ones() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("static/style.css", "/* mine */\n")
        .file("static/.nojekyll", "")
        .file(
            "static/.well-known/security.txt",
            "Contact: mailto:sec@acme.example\n",
        );
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
    site.build_ok();
    assert_eq!(site.read("public/style.css"), "/* mine */\n");
    assert_eq!(site.read("public/.nojekyll"), "");
    // static/ is copied verbatim, hidden files too.
    assert_eq!(
        site.read("public/.well-known/security.txt"),
        "Contact: mailto:sec@acme.example\n"
    );
}
