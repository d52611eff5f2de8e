//! Inputs as rollbook takes them: generated pages always win over site files, nothing in
//! `content/` or `static/` is skipped in silence, answers are read as people write them,
//! and `check` and `build` agree on what is an error.

use crate::common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every regular file and symlink of the site outside `public/`, with its bytes (or the
/// link's target): what a build must leave as it was.
fn inputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let rel = p
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            if rel == "public" {
                continue;
            }
            let meta = fs::symlink_metadata(&p).expect("metadata");
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&p).expect("link");
                out.insert(rel, target.to_string_lossy().as_bytes().to_vec());
            } else if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                out.insert(rel, fs::read(&p).expect("read"));
            } else {
                out.insert(rel, b"(special file)".to_vec());
            }
        }
    }
    out
}

fn error(file: &str, message: &str) -> Diag {
    Diag {
        severity: "error".into(),
        file: file.into(),
        line: 1,
        column: 1,
        message: message.into(),
    }
}

fn warning(file: &str, message: &str) -> Diag {
    Diag {
        severity: "warning".into(),
        ..error(file, message)
    }
}

fn sorted(mut d: Vec<Diag>) -> Vec<Diag> {
    d.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    d
}

/// `check` and `build` both exit 1 with exactly these errors (and the build prints each),
/// the previous output stays as it was, and no file outside it changes.
fn expect_errors(site: &SiteBuilder, wants: Vec<Diag>) {
    let before = inputs(site.path());
    let public_before = site
        .join("public")
        .exists()
        .then(|| snapshot(&site.join("public")));
    let (code, diags) = site.diags();
    assert_eq!(sorted(of_severity(&diags, "error")), sorted(wants.clone()));
    assert_eq!(code, 1, "check exits 1 on errors");
    let out = site.build();
    assert_eq!(out.code, 1, "build exits 1 on errors:\n{}", out.stderr);
    for w in &wants {
        let header = format!("error: {}:1:1: {}", w.file, w.message);
        assert!(
            out.stderr.lines().any(|l| l == header),
            "no `{header}` in:\n{}",
            out.stderr
        );
    }
    let public_after = site
        .join("public")
        .exists()
        .then(|| snapshot(&site.join("public")));
    assert_eq!(public_before, public_after, "a failed build leaves public/");
    assert_eq!(
        before,
        inputs(site.path()),
        "the site's files are untouched"
    );
}

/// The message for a site file whose output path rollbook generates.
fn replaces(file: &str, shown: &str) -> String {
    format!("`{file}` would replace {shown}, which rollbook generates; generated pages always win, so rename or remove `{file}`")
}

fn page(path: &str) -> String {
    format!(
        "the page `/{}` (`{path}`)",
        path.trim_end_matches("index.html")
    )
}

// A. Generated pages win ------------------------------------------------------------------

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

// B. Nothing skipped in silence -----------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlinks_are_followed_inside_the_site_and_refused_when_they_leave_it() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tmp");
    fs::write(outside.path().join("secret.txt"), "not for the site\n").expect("write");
    fs::create_dir_all(outside.path().join("dir")).expect("mkdir");
    fs::write(outside.path().join("dir/a.txt"), "a\n").expect("write");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("other")
        .file(
            "shared/diagram.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        )
        .file("shared/more/notes.txt", "shared notes\n");
    symlink("../../shared", site.join("content/pack/shared")).expect("link");
    symlink(
        "../../shared/diagram.svg",
        site.join("content/pack/diagram.svg"),
    )
    .expect("link");
    fs::create_dir_all(site.join("static")).expect("mkdir");
    symlink("../shared", site.join("static/shared")).expect("link");
    // A pack folder that is itself a link inside the site.
    fs::create_dir_all(site.join("packs")).expect("mkdir");
    fs::rename(site.join("content/other"), site.join("packs/other")).expect("mv");
    symlink("../packs/other", site.join("content/other")).expect("link");
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
    site.build_ok();
    assert_eq!(
        site.read("public/pack/shared/more/notes.txt"),
        "shared notes\n"
    );
    assert!(site.read("public/pack/diagram.svg").starts_with("<svg"));
    assert_eq!(site.read("public/shared/more/notes.txt"), "shared notes\n");
    one(&site.page("other/runbook/"), "article.runbook");
    assert!(site.read("public/other/evals/cases.jsonl").starts_with("{"));

    // Links that leave the site: errors naming the link and its target.
    let file = outside.path().join("secret.txt");
    let dir = outside.path().join("dir");
    symlink(&file, site.join("content/pack/secret.txt")).expect("link");
    symlink(&dir, site.join("static/outside")).expect("link");
    let leaves = |target: &Path| {
        format!("the symlink points to `{}`, outside the site folder; rollbook publishes only what is in the site, so copy the file in or remove the link", target.display())
    };
    expect_errors(
        &site,
        vec![
            error("content/pack/secret.txt", &leaves(&file)),
            error("static/outside", &leaves(&dir)),
        ],
    );
    assert!(!site.join("public/pack/secret.txt").exists());
    assert!(!site.join("public/outside").exists());
}

#[cfg(unix)]
#[test]
fn what_cannot_be_read_is_a_warning_naming_it_and_the_reason() {
    use std::os::unix::fs::symlink;
    let site = SiteBuilder::new().complete_pack("pack");
    symlink("missing.png", site.join("content/pack/gone.png")).expect("link");
    fs::create_dir_all(site.join("static")).expect("mkdir");
    symlink("nowhere", site.join("static/gone.css")).expect("link");
    let fifo = site.join("content/pack/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // A folder named like a section file: a folder where a file is expected.
    fs::remove_file(site.join("content/pack/models.md")).expect("rm");
    site.write("content/pack/models.md/old.txt", b"old\n");
    let (code, diags) = site.diags();
    assert_eq!(
        sorted(diags),
        sorted(vec![
            warning("content/pack/gone.png", "cannot read it: the symlink points to `missing.png`, which does not exist; rollbook skips it, so fix the link or remove it"),
            warning("content/pack/models.md", "this is a folder, not a page: rollbook reads pages from `.md` files only and copies the folder's files as they are; rename it if a page was meant"),
            warning("content/pack/pipe.md", "cannot read it: it is not a regular file (a FIFO, socket or device); rollbook skips it, so replace it with a file or remove it"),
            warning("static/gone.css", "cannot read it: the symlink points to `nowhere`, which does not exist; rollbook skips it, so fix the link or remove it"),
        ])
    );
    assert_eq!(code, 0, "warnings do not fail check");
    let before = inputs(site.path());
    let out = site.build();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out
        .stderr
        .lines()
        .any(|l| l.starts_with("warning: content/pack/pipe.md:1:1: cannot read it")));
    assert_eq!(before, inputs(site.path()));
    // The pack builds without what could not be read.
    one(&site.page("pack/"), "body.kind-pack");
    assert!(!site.join("public/pack/gone.png").exists());
    assert!(!site.join("public/pack/pipe/index.html").exists());
    assert_eq!(site.read("public/pack/models.md/old.txt"), "old\n");
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission_is_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("content/pack/locked.txt", "x\n");
    let path = site.join("content/pack/locked.txt");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&path).is_ok() {
        eprintln!("skipped: running as root, every file is readable");
        return;
    }
    let (code, diags) = site.diags();
    assert_eq!(
        diags,
        vec![warning(
            "content/pack/locked.txt",
            "cannot read it: Permission denied (os error 13); rollbook skips it, so check that it is readable"
        )]
    );
    assert_eq!(code, 0);
}

#[test]
fn names_that_would_give_unsafe_urls_are_errors() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("content/pack/%2e%2e.md", "# Up\n")
        .file("content/pack/a#b.png", "x")
        .file("content/pack/evals/what?.txt", "x")
        .file("content/notes%2f.md", "# x\n")
        .file("static/back\\slash.css", "x");
    let percent =
        "it holds `%`: `%` would be decoded by web servers into another name (`%2e%2e` is `..`)";
    let unsafe_name = |name: &str, why: &str| {
        format!("the name `{name}` would give an unsafe URL: {why}; rename it with letters, digits, `-`, `_` and `.`")
    };
    let mut wants = vec![
        error("content/pack/%2e%2e.md", &unsafe_name("%2e%2e.md", percent)),
        error(
            "content/pack/a#b.png",
            &unsafe_name(
                "a#b.png",
                "it holds `#`: its URL would end at that character",
            ),
        ),
        error(
            "content/pack/evals/what?.txt",
            &unsafe_name(
                "what?.txt",
                "it holds `?`: its URL would end at that character",
            ),
        ),
        error("content/notes%2f.md", &unsafe_name("notes%2f.md", percent)),
        error(
            "static/back\\slash.css",
            &unsafe_name(
                "back\\slash.css",
                "it holds `\\`: some servers read `\\` as a folder separator",
            ),
        ),
    ];
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.md");
        fs::write(site.join("content/pack").join(name), "# x\n").expect("write");
        wants.push(error(
            "content/pack/bad\u{fffd}.md",
            "the name is not valid UTF-8, so it has no URL; rename it",
        ));
    }
    expect_errors(&site, wants);
}

#[test]
fn awkward_and_hidden_names_are_warnings_and_editor_temp_files_are_quiet() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("content/pack/Team Notes.md", "# Team notes\n")
        .file("content/pack/.notes.md", "x")
        .file("content/pack/.drafts/idea.md", "# Idea\n")
        // What operating systems and git leave in folders.
        .file("content/pack/.DS_Store", "x")
        .file("content/pack/.gitkeep", "")
        .file("content/pack/Thumbs.db", "x")
        // Editor temp, swap and lock files, as serve's watcher ignores them.
        .file("content/pack/.#workflow.md", "x")
        .file("content/pack/.workflow.md.swp", "x")
        .file("content/pack/workflow.md~", "x")
        .file("content/pack/#workflow.md#", "x")
        .file("content/pack/4913", "x");
    let (code, diags) = site.diags();
    assert_eq!(
        sorted(diags),
        sorted(vec![
            warning("content/pack/.notes.md", "hidden file skipped: rollbook does not publish hidden files from content/; rename it without the leading dot to publish it"),
            warning("content/pack/.drafts", "hidden folder skipped: rollbook does not publish hidden files from content/; rename it without the leading dot to publish it"),
            warning("content/pack/Team Notes.md", "the name `Team Notes.md` is published, but it holds a space, so its URL must be percent-encoded and breaks easily in links; rename it with letters, digits, `-`, `_` and `.`"),
        ])
    );
    assert_eq!(code, 0);
    site.build_ok();
    one(&site.page("pack/Team Notes/"), "body.kind-page");
    for skipped in [
        ".DS_Store",
        ".gitkeep",
        "Thumbs.db",
        ".notes.md",
        ".drafts/idea/index.html",
        ".#workflow.md",
        ".workflow.md.swp",
        "workflow.md~",
        "4913",
    ] {
        assert!(
            !site.join(&format!("public/pack/{skipped}")).exists(),
            "{skipped}"
        );
    }
}

// C. Answers as people write them ---------------------------------------------------------

#[test]
fn a_placeholder_entry_in_a_list_of_tables_is_unfilled_not_an_error() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "rhythm", "reviews = [\"TBD\"]\n", "")
        .section(
            "pack",
            "rollout",
            &complete_toml("rollout")
                .split("\n[[phases]]")
                .next()
                .map(|head| format!("{head}\nphases = [\"TODO\"]\n"))
                .expect("head"),
            "",
        )
        .section(
            "pack",
            "evaluation",
            &complete_toml("evaluation").replace(
                "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
                "release_gate = [{ metric = \"accuracy\", min = 0.9 }, \"TBD\"]",
            ),
            "",
        );
    let (code, diags) = site.diags();
    assert!(of_severity(&diags, "error").is_empty(), "{diags:?}");
    assert_eq!(code, 0);
    site.build_ok();
    let status = site.status();
    let p = pack(&status, "pack");
    assert_eq!(
        section_status(p, "rhythm"),
        (0, vec!["reviews".to_string()])
    );
    assert_eq!(
        section_status(p, "rollout"),
        (75, vec!["phases".to_string()])
    );
    assert_eq!(
        section_status(p, "evaluation"),
        (66, vec!["release_gate".to_string()])
    );
    // Shown as gaps on the section pages.
    let rhythm = site.page("pack/rhythm/");
    let answer = one(&rhythm, "#reviews");
    assert!(answer.value().classes().any(|c| c == "answer-missing"));
    assert_eq!(text(&one(&rhythm, "#reviews dd .placeholder")), "(TBD)");
    let rollout = site.page("pack/rollout/");
    assert_eq!(text(&one(&rollout, "#phases dd .placeholder")), "(TODO)");
    // The real gate still gates; the placeholder entry is a row still to fill.
    let evaluation = site.page("pack/evaluation/");
    let rows = select(&evaluation, "#release_gate table tbody tr");
    assert_eq!(rows.len(), 2);
    assert!(text(&rows[1]).contains("Missing"));
}

#[test]
fn a_second_contact_after_a_separator_or_a_plus_names_more_than_one_person() {
    let toml = concat!(
        "dri = \"Ann Lee <ann@x.example>, Bob Roy <bob@x.example>\"\n",
        "platform_owner = \"Ann Lee + Bob Roy\"\n",
        "security_owner = \"Sam Lee <@slee>\"\n",
        "data_owner = \"Dee Roy <dee@acme.example>\"\n",
        "incident_owner = \"Priya N. <+1 555 0100>\"\n",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "accountability", toml, "");
    let (code, diags) = site.diags();
    let want = |line: u64, field: &str, joiner: &str| {
        Diag {
        severity: "error".into(),
        file: "content/pack/accountability.md".into(),
        line,
        column: u64::try_from(field.len()).expect("len") + 4,
        message: format!("`{field}` names more than one person (joined by `{joiner}`); a pack needs one accountable person, e.g. `{field} = \"Dana Ortiz <dana@example.com>\"`"),
    }
    };
    assert_eq!(
        of_severity(&diags, "error"),
        vec![want(2, "dri", ","), want(3, "platform_owner", "+")]
    );
    assert_eq!(code, 1);
    let out = site.build();
    assert_eq!(out.code, 1);
    assert!(!site.join("public").exists());
}

#[test]
fn a_name_with_angle_brackets_keeps_its_contact() {
    let toml = complete_toml("accountability")
        .replace("Sam Lee <@slee>", "Ops <<team>> <ops@x.example>")
        .replace("Dee Roy <dee@acme.example>", "A > B <a@x.example>");
    let site =
        SiteBuilder::new()
            .complete_pack("pack")
            .section("pack", "accountability", &toml, "");
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
    site.build_ok();
    let html = site.page("pack/accountability/");
    for (id, name, href) in [
        ("security_owner", "Ops <<team>>", "mailto:ops@x.example"),
        ("data_owner", "A > B", "mailto:a@x.example"),
    ] {
        assert_eq!(text(&one(&html, &format!("#{id} .person"))), name);
        let a = one(&html, &format!("#{id} a.contact"));
        assert_eq!(a.value().attr("href"), Some(href));
    }
    let owners = owners_seen(&site);
    let ops = owners
        .iter()
        .find(|o| o.name == "Ops <<team>>")
        .expect("Ops on /owners/");
    assert_eq!(ops.links, ["mailto:ops@x.example"]);
}

#[test]
fn different_names_sharing_a_contact_are_two_people_with_a_warning() {
    let site = SiteBuilder::new()
        .complete_pack("alpha")
        .complete_pack("beta")
        .section(
            "beta",
            "accountability",
            &complete_toml("accountability").replace(
                "Dana Ortiz <dana@acme.example>",
                "D. Ortiz <dana@acme.example>",
            ),
            "",
        )
        .section(
            "beta",
            "incident",
            &complete_toml("incident").replace(
                "review_owner = \"Dana Ortiz\"",
                "review_owner = \" dana  ORTIZ <@dana>\"",
            ),
            "",
        );
    let (code, diags) = site.diags();
    assert_eq!(
        diags,
        vec![Diag {
            severity: "warning".into(),
            file: "content/beta/accountability.md".into(),
            line: 2,
            column: 7,
            message: "`Dana Ortiz` (content/alpha/accountability.md:2) and `D. Ortiz` (content/beta/accountability.md:2) share the contact `dana@acme.example`; they are listed as different people on the owners page; if they are one person, write the name the same way everywhere".into(),
        }]
    );
    assert_eq!(code, 0);
    site.build_ok();
    let owners: Vec<(String, Vec<String>, Vec<String>)> = owners_seen(&site)
        .into_iter()
        .map(|o| {
            let answers = (o.roles.iter())
                .flat_map(|(_, held)| held.iter().map(|(_, answer)| answer.clone()))
                .collect();
            (o.name, o.contacts, answers)
        })
        .collect();
    let find = |name: &str| {
        owners
            .iter()
            .find(|o| o.0 == name)
            .unwrap_or_else(|| panic!("{name} on /owners/: {owners:?}"))
    };
    let dana = find("Dana Ortiz");
    let d = find("D. Ortiz");
    assert_eq!(dana.1, ["dana@acme.example", "@dana"]);
    assert_eq!(d.1, ["dana@acme.example"]);
    let url = |p: &str| format!("{BASE}{p}");
    assert_eq!(
        dana.2,
        [
            url("alpha/accountability/#dri"),
            url("alpha/incident/#review_owner"),
            url("beta/incident/#review_owner"),
        ]
    );
    assert_eq!(d.2, [url("beta/accountability/#dri")]);
    assert_eq!(
        owners
            .iter()
            .filter(|o| o.0.to_lowercase().contains("ortiz"))
            .count(),
        2
    );
}

// D. Errors that agree --------------------------------------------------------------------

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
