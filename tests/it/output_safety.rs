//! What `build` refuses to replace (exit 2, nothing touched), what `--force` allows and
//! still refuses, the folders it may rebuild, and its write errors.

use crate::common::*;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A site in a folder of its own, with every input folder and a file of the user's,
/// next to an unrelated folder.
struct World {
    outer: TempDir,
    site: SiteBuilder,
}

fn world() -> World {
    let outer = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(outer.path().join("neighbour")).expect("mkdir");
    fs::write(outer.path().join("neighbour/keep.txt"), "keep").expect("write");
    let site = SiteBuilder::new_in(outer.path())
        .complete_pack("pack")
        .file("static/logo.txt", "logo")
        .file("templates/extra.html", "<p>extra</p>")
        .file("themes/spare/templates/page.html", "<p>spare</p>")
        .file("notes.txt", "my notes")
        .file("docs/readme.md", "# My docs\n");
    World { outer, site }
}

impl World {
    /// The site folder, canonical (as messages show it).
    fn root(&self) -> PathBuf {
        fs::canonicalize(self.site.path()).expect("canonicalize")
    }

    /// Runs `args`, asserts exit 2 with one line naming `shown` and `reason`, and that
    /// nothing at all changed on disk.
    fn assert_refused(&self, args: &[&str], shown: &Path, reason: &str) {
        let before = tree(self.outer.path());
        let out = self.site.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        let expected = format!(
            "error: refusing to build into {}: {reason}",
            shown.display()
        );
        assert!(
            out.stderr.starts_with(&expected),
            "{args:?}: expected `{expected}…`, got:\n{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("; nothing was changed. "),
            "{}",
            out.stderr
        );
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_same_tree(
            &before,
            &tree(self.outer.path()),
            &format!("{args:?} changed files"),
        );
    }
}

#[test]
fn refuses_the_site_folder() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "."],
        &w.root(),
        "it is the site folder itself (it holds site.toml)",
    );
}

#[test]
fn refuses_a_folder_holding_the_site() {
    let w = world();
    let outer = fs::canonicalize(w.outer.path()).expect("canonicalize");
    w.assert_refused(
        &["build", "-o", ".."],
        &outer,
        &format!("it holds the site folder {}", w.root().display()),
    );
}

#[test]
fn refuses_content() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "content"],
        &w.root().join("content"),
        "it is the site's content/ folder, which build reads",
    );
}

#[test]
fn refuses_a_folder_inside_content() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "content/x"],
        &w.root().join("content/x"),
        "it lies inside the site's content/ folder, which build reads",
    );
    // Also when it exists, is named absolutely, or is reached through `..`.
    let pack = w.root().join("content/pack");
    w.assert_refused(
        &["build", "-o", pack.to_str().expect("utf-8")],
        &pack,
        "it lies inside the site's content/ folder",
    );
    w.assert_refused(
        &["build", "-o", "docs/../content/pack/evals"],
        &pack.join("evals"),
        "it lies inside the site's content/ folder",
    );
}

#[test]
fn refuses_static() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "static"],
        &w.root().join("static"),
        "it is the site's static/ folder, which build reads",
    );
}

#[test]
fn refuses_templates() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "templates"],
        &w.root().join("templates"),
        "it is the site's templates/ folder, which build reads",
    );
}

#[test]
fn refuses_themes() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "themes"],
        &w.root().join("themes"),
        "it is the site's themes/ folder, which build reads",
    );
    w.assert_refused(
        &["build", "-o", "themes/spare"],
        &w.root().join("themes/spare"),
        "it lies inside the site's themes/ folder, which build reads",
    );
}

#[cfg(unix)]
#[test]
fn refuses_a_symlink_to_content() {
    let w = world();
    std::os::unix::fs::symlink(w.root().join("content"), w.site.join("out")).expect("symlink");
    w.assert_refused(
        &["build", "-o", "out"],
        &w.root().join("content"),
        "it is the site's content/ folder, which build reads",
    );
}

#[test]
fn refuses_a_file() {
    let w = world();
    w.assert_refused(
        &["build", "-o", "notes.txt"],
        &w.root().join("notes.txt"),
        "it is a file, not a folder",
    );
    // --force does not make a file a folder.
    w.assert_refused(
        &["build", "-o", "notes.txt", "--force"],
        &w.root().join("notes.txt"),
        "it is a file, not a folder",
    );
}

#[test]
fn a_foreign_folder_is_refused_then_replaced_with_force() {
    let w = world();
    let docs = w.root().join("docs");
    w.assert_refused(
        &["build", "-o", "docs"],
        &docs,
        "it is a folder with files in it that no rollbook build made (it has no .rollbook-output), and build would replace everything in it",
    );
    let out = w.site.run(&["build", "-o", "docs"]);
    assert!(out.stderr.contains("add --force"), "{}", out.stderr);

    let outside = |t: std::collections::BTreeMap<String, Vec<u8>>| {
        let prefix = format!(
            "{}/docs/",
            w.site.path().file_name().expect("name").to_string_lossy()
        );
        t.into_iter()
            .filter(|(p, _)| !p.starts_with(&prefix))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = outside(tree(w.outer.path()));
    let out = w.site.run(&["build", "-o", "docs", "--force"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !docs.join("readme.md").exists(),
        "--force replaced the folder"
    );
    assert!(docs.join("pack/index.html").is_file());
    assert!(docs.join(".rollbook-output").is_file());
    assert_same_tree(
        &before,
        &outside(tree(w.outer.path())),
        "files outside docs/",
    );
    // Now it is rollbook's: the next build needs no --force.
    let out = w.site.run(&["build", "-o", "docs"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn force_still_refuses_the_site_and_its_inputs() {
    let w = world();
    let outer = fs::canonicalize(w.outer.path()).expect("canonicalize");
    let site_reason = "it is the site folder itself (it holds site.toml)".to_string();
    let holds = format!("it holds the site folder {}", w.root().display());
    for (dir, shown, reason) in [
        (".", w.root(), site_reason),
        ("..", outer, holds),
        (
            "content",
            w.root().join("content"),
            "it is the site's content/ folder".into(),
        ),
        (
            "content/pack",
            w.root().join("content/pack"),
            "it lies inside the site's content/ folder".into(),
        ),
        (
            "static",
            w.root().join("static"),
            "it is the site's static/ folder".into(),
        ),
    ] {
        w.assert_refused(&["build", "-o", dir, "--force"], &shown, &reason);
    }
}

#[test]
fn force_still_refuses_a_git_repository() {
    let w = world();
    let w = World {
        site: w
            .site
            .file("checkout/.git/HEAD", "ref: refs/heads/main\n")
            .file("checkout/index.html", "mine"),
        ..w
    };
    w.assert_refused(
        &["build", "-o", "checkout", "--force"],
        &w.root().join("checkout"),
        "it is, holds or lies inside a git repository, whose history build would delete, even with --force",
    );
    w.assert_refused(
        &["build", "-o", "checkout/.git", "--force"],
        &w.root().join("checkout/.git"),
        "it is, holds or lies inside a git repository",
    );
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn builds_twice_into_public_and_into_a_custom_folder() {
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    let first = tree(&site.join("public"));
    assert!(first.contains_key(".rollbook-output"), "{:?}", first.keys());
    assert!(std::str::from_utf8(&first[".rollbook-output"])
        .expect("utf-8")
        .starts_with("This folder was made by rollbook build"));
    site.build_ok();
    assert_same_tree(
        &first,
        &tree(&site.join("public")),
        "a second build of the same site",
    );
    for _ in 0..2 {
        let out = site.run(&["build", "-o", "out/site"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_same_tree(&first, &tree(&site.join("out/site")), "out/site");
    }
    assert_eq!(
        names(site.path()),
        ["content", "out", "public", "site.toml"]
    );
    assert_eq!(
        names(&site.join("out")),
        ["site"],
        "no temporary folders left"
    );
}

#[test]
fn an_empty_existing_folder_is_accepted() {
    let site = SiteBuilder::new().complete_pack("pack");
    fs::create_dir(site.join("empty")).expect("mkdir");
    let out = site.run(&["build", "-o", "empty"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(site.join("empty/pack/index.html").is_file());
}

#[test]
fn an_output_of_a_version_before_the_marker_is_accepted() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("public/status.json", "{}")
        .file("public/.nojekyll", "")
        .file("public/old-pack/index.html", "old");
    site.build_ok();
    assert!(!site.join("public/old-pack").exists());
    assert!(site.join("public/.rollbook-output").is_file());
    assert!(site.join("public/pack/index.html").is_file());
}

#[test]
fn status_json_alone_does_not_make_a_folder_rollbooks() {
    let w = world();
    let w = World {
        site: w
            .site
            .file("public/status.json", "{}")
            .file("public/index.html", "mine"),
        ..w
    };
    w.assert_refused(
        &["build"],
        &w.root().join("public"),
        "it is a folder with files in it that no rollbook build made",
    );
}

#[test]
fn a_write_error_names_the_path_and_the_os_reason() {
    let w = world();
    let before = tree(w.outer.path());
    // The output's parent is a file: this fails for every user, root included.
    let out = w.site.run(&["build", "-o", "notes.txt/out"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let file = w.root().join("notes.txt");
    let reason = fs::create_dir(&file).expect_err("a file is in the way");
    let expected = format!(
        "error: cannot create folder {}: {reason}; the output folder was left as it was",
        file.display()
    );
    assert!(
        out.stderr.lines().any(|l| l == expected),
        "expected `{expected}` in:\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("permission"), "{}", out.stderr);
    assert_same_tree(
        &before,
        &tree(w.outer.path()),
        "a failed write changed files",
    );
}

#[test]
fn force_still_refuses_the_home_and_the_current_folder() {
    let w = world();
    let docs = w.root().join("docs");
    fs::create_dir_all(docs.join("sub")).expect("mkdir");
    let run = |cwd: &Path, home: &Path| {
        let before = tree(w.outer.path());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rollbook"))
            .args(["--root", w.site.path().to_str().expect("utf-8")])
            .args(["--today", TODAY, "build", "-o"])
            .arg(&docs)
            .arg("--force")
            .current_dir(cwd)
            .env("HOME", home)
            .env_remove("ROLLBOOK_TODAY")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        assert_same_tree(
            &before,
            &tree(w.outer.path()),
            "a refused build changed files",
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = run(&docs.join("sub"), w.outer.path());
    assert!(
        stderr.starts_with(&format!(
            "error: refusing to build into {}: it is or holds the current folder {}, even with --force",
            docs.display(),
            docs.join("sub").display()
        )),
        "{stderr}"
    );
    let stderr = run(w.outer.path(), &docs);
    assert!(
        stderr.starts_with(&format!(
            "error: refusing to build into {}: it is or holds your home folder {}, even with --force",
            docs.display(),
            docs.display()
        )),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn the_output_folder_gets_the_mode_of_any_new_folder() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    fs::create_dir(site.join("plain")).expect("mkdir");
    let mode = |rel: &str| {
        fs::metadata(site.join(rel))
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    };
    // Served to others, so not a temporary folder's owner-only mode.
    assert_eq!(mode("public"), mode("plain"));
}
