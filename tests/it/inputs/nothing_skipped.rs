//! Nothing in `content/` or `static/` is skipped in silence: each file is used, or named
//! with why not.

use super::*;

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

#[test]
fn a_file_where_content_or_static_should_be_a_folder_is_an_error() {
    let site = SiteBuilder::new()
        .file("content", "support-triage\n")
        .file("static", "logo.svg\n");
    let content_is_a_file = error(
        "content",
        "`content` is a file, not a folder: rollbook reads the site's packs and pages from the folder `content/`; move it away and make the folder (`rollbook new <slug>` makes it, with a first pack)",
    );
    let static_is = |what: &str| {
        error(
            "static",
            &format!("`static` is {what}, not a folder: rollbook copies the folder `static/` into the site as it is; move it away, or make it a folder `static/`"),
        )
    };
    expect_errors(&site, vec![content_is_a_file.clone(), static_is("a file")]);
    // A link to nothing is said as such.
    #[cfg(unix)]
    {
        fs::remove_file(site.join("static")).expect("rm");
        std::os::unix::fs::symlink("no-such-folder", site.join("static")).expect("link");
        expect_errors(
            &site,
            vec![content_is_a_file, static_is("a link to nothing")],
        );
    }
}
