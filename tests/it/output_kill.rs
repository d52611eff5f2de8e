//! A build killed (SIGKILL) at any point leaves the old or the new site whole, and the
//! next build clears what it left behind.
#![cfg(unix)]

use crate::common::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};

type Tree = BTreeMap<String, Vec<u8>>;

/// Starts `build`, with the test hook that makes it wait at `stage` when one is named,
/// its stderr piped.
fn spawn_build(site: &SiteBuilder, stage: Option<&str>, no_exchange: bool) -> Child {
    build_command(site, stage, no_exchange)
        .spawn()
        .expect("spawn rollbook")
}

fn build_command(site: &SiteBuilder, stage: Option<&str>, no_exchange: bool) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rollbook"));
    cmd.args(["--root", site.path().to_str().expect("utf-8")])
        .args(["--today", TODAY, "build"])
        .current_dir(site.path())
        .env_remove("ROLLBOOK_TODAY")
        .env_remove("ROLLBOOK_TEST_PAUSE_AT")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(stage) = stage {
        cmd.env("ROLLBOOK_TEST_PAUSE_AT", stage);
    }
    if no_exchange {
        cmd.env("ROLLBOOK_TEST_NO_EXCHANGE", "1");
    }
    cmd
}

/// A build killed when it goes out of scope: a test that fails while one waits (paused,
/// or for another's lock) leaves no process behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads `child`'s stderr until it prints `wanted`; the lines after it stay unread.
fn wait_for_line(child: &mut Child, wanted: &str) -> BufReader<ChildStderr> {
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    let mut line = String::new();
    while stderr.read_line(&mut line).expect("read stderr") > 0 {
        if line.trim_end() == wanted {
            return stderr;
        }
        seen.push_str(&line);
        line.clear();
    }
    let status = child.wait().expect("wait");
    panic!("the build never said `{wanted}` ({status}):\n{seen}");
}

/// Runs `build` with the test hook that makes it wait at `stage`, waits until it says it
/// is there, and kills it.
fn build_killed_at(site: &SiteBuilder, stage: &str, no_exchange: bool) {
    let mut child = spawn_build(site, Some(stage), no_exchange);
    wait_for_line(&mut child, &format!("rollbook: paused at {stage}"));
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
}

/// The site's entries besides its own files: `public` and any temporary folders.
fn beside(site: &SiteBuilder) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(site.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "content" && n != "site.toml")
        .collect();
    names.sort();
    names
}

/// A site built once (the old site), then changed; returns the old and the new site's trees.
fn changed_site() -> (SiteBuilder, Tree, Tree) {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("gone");
    site.build_ok();
    let old = tree(&site.join("public"));
    fs::remove_dir_all(site.join("content/gone")).expect("rm");
    let site = site.section(
        "pack",
        "workflow",
        &complete_toml("workflow").replace("Support triage", "Renamed"),
        "",
    );
    let out = site.run(&["build", "-o", "expected"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let new = tree(&site.join("expected"));
    fs::remove_dir_all(site.join("expected")).expect("rm");
    assert_ne!(old, new);
    (site, old, new)
}

/// Asserts the next build leaves the new site and nothing else beside it.
fn next_build_clears_up(site: &SiteBuilder, new: &Tree) {
    site.build_ok();
    assert_same_tree(new, &tree(&site.join("public")), "after the next build");
    assert_eq!(beside(site), ["public"], "temporary folders left");
}

/// The one temporary folder beside `public/` whose name starts with `prefix`.
fn temp_folder(site: &SiteBuilder, prefix: &str) -> std::path::PathBuf {
    let found: Vec<String> = beside(site)
        .into_iter()
        .filter(|n| n.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{:?}", beside(site));
    site.join(&found[0])
}

fn assert_whole(dir: &Path, expected: &Tree, what: &str) {
    assert_same_tree(expected, &tree(dir), what);
}

#[test]
fn killed_once_the_new_site_is_staged_leaves_the_old_site() {
    for no_exchange in [false, true] {
        let (site, old, new) = changed_site();
        build_killed_at(&site, "staged", no_exchange);
        assert_whole(&site.join("public"), &old, "public/ after the kill");
        assert_whole(&temp_folder(&site, ".public.new-"), &new, "the staged site");
        next_build_clears_up(&site, &new);
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
#[test]
fn killed_right_after_the_exchange_leaves_the_new_site() {
    let (site, old, new) = changed_site();
    build_killed_at(&site, "exchanged", false);
    assert_whole(&site.join("public"), &new, "public/ after the kill");
    // The old site, exchanged into the staging folder's place, still whole.
    let mut old_marked = old.clone();
    old_marked.insert(".rollbook-output".into(), new[".rollbook-output"].clone());
    assert_whole(
        &temp_folder(&site, ".public.new-"),
        &old_marked,
        "the previous site",
    );
    next_build_clears_up(&site, &new);
}

#[test]
fn killed_between_the_two_renames_keeps_the_old_site_aside() {
    // Where the system has no atomic exchange, the output is missing for the moment
    // between two renames; a build killed there leaves the old site whole beside it.
    let (site, old, new) = changed_site();
    build_killed_at(&site, "moved-aside", true);
    assert!(!site.join("public").exists());
    assert_whole(
        &temp_folder(&site, ".public.old-"),
        &old,
        "the previous site",
    );
    assert_whole(&temp_folder(&site, ".public.new-"), &new, "the staged site");
    next_build_clears_up(&site, &new);
}

#[test]
fn killed_after_the_two_renames_leaves_the_new_site() {
    let (site, old, new) = changed_site();
    build_killed_at(&site, "replaced", true);
    assert_whole(&site.join("public"), &new, "public/ after the kill");
    assert_whole(
        &temp_folder(&site, ".public.old-"),
        &old,
        "the previous site",
    );
    next_build_clears_up(&site, &new);
}

#[test]
fn without_the_exchange_a_rebuild_still_replaces_the_whole_output() {
    let (site, _, new) = changed_site();
    let out = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args(["--root", site.path().to_str().expect("utf-8")])
        .args(["--today", TODAY, "build"])
        .env_remove("ROLLBOOK_TODAY")
        .env("ROLLBOOK_TEST_NO_EXCHANGE", "1")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_whole(&site.join("public"), &new, "public/");
    assert_eq!(beside(&site), ["public"]);
}

#[test]
fn the_next_build_clears_only_rollbooks_own_leftovers() {
    let marker = "This folder was made by rollbook build; the next build replaces it whole.\n";
    let site = SiteBuilder::new()
        .complete_pack("pack")
        // Left by killed builds: cleared.
        .file(".public.new-a1B2c3/.rollbook-output", marker)
        .file(".public.new-a1B2c3/index.html", "half")
        .file(".public.old-Zz9yx8/status.json", "{}")
        .file(".public.old-Zz9yx8/.nojekyll", "");
    fs::create_dir(site.join(".public.new-000000")).expect("mkdir");
    // Not rollbook's: kept.
    let site = site
        .file(".public.new-q1w2e3/mine.txt", "no marker")
        .file(".public.new-toolong1/.rollbook-output", marker)
        .file(".docs.new-a1B2c3/.rollbook-output", marker)
        .file(".public.old-r4t5y6", "a file");
    site.build_ok();
    assert_eq!(
        beside(&site),
        [
            ".docs.new-a1B2c3",
            ".public.new-q1w2e3",
            ".public.new-toolong1",
            ".public.old-r4t5y6",
            "public"
        ]
    );
    assert_eq!(site.read(".public.new-q1w2e3/mine.txt"), "no marker");
}

#[test]
fn a_second_build_waits_for_the_first_and_leaves_its_staged_site_alone() {
    let (site, old, new) = changed_site();
    // Both builds' temporary folder, where the lock file is.
    let tmp = tempfile::tempdir().expect("tempdir");
    let spawn = |stage| {
        Running(
            (build_command(&site, stage, false).env("TMPDIR", tmp.path()))
                .spawn()
                .expect("spawn rollbook"),
        )
    };
    // The first build has staged its site and holds the output there.
    let mut first = spawn(Some("staged"));
    wait_for_line(&mut first.0, "rollbook: paused at staged");
    let mut second = spawn(None);
    let waiting = format!(
        "rollbook: waiting for another build into {} to finish",
        site.join("public").display()
    );
    let mut rest = wait_for_line(&mut second.0, &waiting);
    // While the second waits, it has cleared nothing: the first's staged site is whole.
    assert_whole(&temp_folder(&site, ".public.new-"), &new, "the staged site");
    assert_whole(&site.join("public"), &old, "public/ while both run");
    // The first never finishes; once it is gone, the second clears what it left and builds.
    drop(first);
    let mut after = String::new();
    rest.read_to_string(&mut after).expect("read stderr");
    let status = second.0.wait().expect("wait");
    assert!(status.success(), "{status}:\n{after}");
    assert_whole(&site.join("public"), &new, "public/ after the second build");
    assert_eq!(beside(&site), ["public"], "temporary folders left");
    // The lock file goes with the lock.
    let left: Vec<_> = fs::read_dir(tmp.path()).expect("read_dir").collect();
    assert!(left.is_empty(), "left in the temporary folder: {left:?}");
}

/// The lock file in the temporary folder `tmp`, while a build paused at `staged` holds it.
fn lock_file_of_paused_build(site: &SiteBuilder, tmp: &Path) -> (Running, std::path::PathBuf) {
    let mut build = Running(
        (build_command(site, Some("staged"), false).env("TMPDIR", tmp))
            .spawn()
            .expect("spawn rollbook"),
    );
    wait_for_line(&mut build.0, "rollbook: paused at staged");
    let files: Vec<_> = (fs::read_dir(tmp).expect("read_dir"))
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "in the temporary folder: {files:?}");
    (build, files[0].clone())
}

#[test]
fn only_its_owner_may_open_the_lock_file() {
    use std::os::unix::fs::PermissionsExt;
    let (site, _, _) = changed_site();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (_build, lock) = lock_file_of_paused_build(&site, tmp.path());
    let name = lock
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("rollbook-output-") && name.ends_with(".lock"),
        "{name}"
    );
    let mode = fs::metadata(&lock).expect("metadata").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

/// The lock file's name is predictable: another user could make it first and hold it.
/// A build then says so and goes on, rather than waiting for ever.
#[test]
fn a_lock_file_another_user_made_is_not_waited_on() {
    let (site, _, new) = changed_site();
    let tmp = tempfile::tempdir().expect("tempdir");
    // Where the build's lock file is: a killed build leaves it behind.
    let (build, lock) = lock_file_of_paused_build(&site, tmp.path());
    drop(build);
    // Made another user's (`nobody`), which only the superuser can do, and held.
    if let Err(e) = std::os::unix::fs::chown(&lock, Some(65534), Some(65534)) {
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
        println!("SKIPPED: giving the lock file to another user needs the superuser ({e})");
        return;
    }
    let held = fs::File::open(&lock).expect("open the lock file");
    held.lock().expect("hold the lock");
    let mut second = Running(
        (build_command(&site, None, false).env("TMPDIR", tmp.path()))
            .spawn()
            .expect("spawn rollbook"),
    );
    let mut stderr = BufReader::new(second.0.stderr.take().expect("stderr"));
    let mut said = String::new();
    // Each line the build can print here comes before it would wait.
    while stderr.read_line(&mut said).expect("read stderr") > 0 {
        assert!(!said.contains("waiting for another build"), "{said}");
    }
    let status = second.0.wait().expect("wait");
    assert!(status.success(), "{status}:\n{said}");
    let expected = format!(
        "rollbook: {} belongs to another user; building into {} without waiting on it",
        lock.display(),
        site.join("public").display()
    );
    assert!(said.lines().any(|l| l == expected), "{said}");
    assert_whole(&site.join("public"), &new, "public/");
    // The other user's file is theirs: left where it is.
    assert!(lock.exists());
}

/// A lock file another user made and left only them able to open (as a build of theirs,
/// killed, leaves it) is not waited on either: the build says whose it is and goes on.
#[test]
fn a_lock_file_another_user_left_unreadable_is_named_and_not_waited_on() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    // The lock file of a build by this user, killed: left behind, only this user's.
    let site = SiteBuilder::new().complete_pack("pack");
    let tmp = tempfile::tempdir().expect("tempdir");
    let (build, lock) = lock_file_of_paused_build(&site, tmp.path());
    drop(build);
    fs::remove_dir_all(temp_folder(&site, ".public.new-")).expect("clear the staged site");
    // The next build runs as another user (`nobody`), which only the superuser can do.
    fs::set_permissions(site.path(), fs::Permissions::from_mode(0o777)).expect("chmod the site");
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o1777)).expect("chmod tmp");
    let mut as_nobody = build_command(&site, None, false);
    as_nobody.env("TMPDIR", tmp.path()).uid(65534).gid(65534);
    let mut other = match as_nobody.spawn() {
        Ok(child) => Running(child),
        Err(e) => {
            assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
            println!("SKIPPED: building as another user needs the superuser ({e})");
            return;
        }
    };
    let mut said = String::new();
    let mut stderr = BufReader::new(other.0.stderr.take().expect("stderr"));
    stderr.read_to_string(&mut said).expect("read stderr");
    let status = other.0.wait().expect("wait");
    assert!(status.success(), "{status}:\n{said}");
    let expected = format!(
        "rollbook: {} belongs to another user; building into {} without waiting on it",
        lock.display(),
        site.join("public").display()
    );
    assert!(said.lines().any(|l| l == expected), "{said}");
    assert!(site.join("public/pack/index.html").is_file());
}
