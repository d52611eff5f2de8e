//! The workflows are valid YAML that do what they promise: the GitHub Pages workflow
//! written by `rollbook init` installs a pinned prebuilt rollbook, checks with annotations,
//! and builds and deploys from the default branch only; the release workflow builds
//! archives for every target that `cargo binstall` finds; the pre-commit hooks run check.

use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

fn steps(job: &Yaml) -> Vec<&Yaml> {
    job["steps"]
        .as_vec()
        .map(|v| v.iter().collect())
        .unwrap_or_default()
}

fn uses(step: &Yaml) -> &str {
    step["uses"].as_str().unwrap_or("")
}

fn run(step: &Yaml) -> &str {
    step["run"].as_str().unwrap_or("")
}

fn load(text: &str, what: &str) -> Yaml {
    let mut docs =
        YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{what} is not valid YAML: {e}"));
    assert_eq!(docs.len(), 1, "{what} holds one document");
    docs.remove(0)
}

fn repo_file(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The workflow `rollbook init` writes, parsed, with its text.
fn init_workflow() -> (Yaml, String) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    (load(&text, "pages.yml"), text)
}

/// A condition written as `github.event_name == 'schedule' || (…)`, evaluated for one event:
/// just enough of GitHub's expression language for the conditions these workflows use.
fn holds(condition: &str, event: &str, on_default_branch: bool) -> bool {
    let c = condition
        .replace("github.event_name", &format!("'{event}'"))
        .replace(
            "github.ref_name == github.event.repository.default_branch",
            if on_default_branch { "true" } else { "false" },
        )
        .replace(
            "github.ref_name != github.event.repository.default_branch",
            if on_default_branch { "false" } else { "true" },
        );
    eval_or(c.trim())
}

fn eval_or(c: &str) -> bool {
    split_top(c, "||").iter().any(|part| eval_and(part.trim()))
}

fn eval_and(c: &str) -> bool {
    split_top(c, "&&").iter().all(|part| eval_atom(part.trim()))
}

fn eval_atom(c: &str) -> bool {
    if let Some(inner) = c.strip_prefix('(').and_then(|c| c.strip_suffix(')')) {
        return eval_or(inner.trim());
    }
    match c {
        "true" => return true,
        "false" => return false,
        _ => {}
    }
    for (op, want) in [("==", true), ("!=", false)] {
        if let Some((a, b)) = c.split_once(op) {
            return (a.trim() == b.trim()) == want;
        }
    }
    panic!("cannot evaluate `{c}`")
}

/// Splits at `op` outside parentheses.
fn split_top<'a>(c: &'a str, op: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0i32, 0, 0);
    let bytes = c.as_bytes();
    while i < c.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth == 0 && c[i..].starts_with(op) => {
                parts.push(&c[start..i]);
                i += op.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&c[start..]);
    parts
}

/// The expression inside `${{ … }}`, or the text as it is.
fn expression(s: &str) -> &str {
    s.trim()
        .strip_prefix("${{")
        .and_then(|s| s.strip_suffix("}}"))
        .unwrap_or(s)
        .trim()
}

#[test]
fn init_writes_a_valid_pages_workflow() {
    let (doc, _) = init_workflow();
    let build = &doc["jobs"]["build"];
    let build_steps = steps(build);
    let position = |pred: &dyn Fn(&Yaml) -> bool| build_steps.iter().position(|s| pred(s));
    let install = position(&|s| uses(s).starts_with("taiki-e/install-action@v2"))
        .expect("rollbook installed with taiki-e/install-action");
    let check = position(&|s| run(s).contains("rollbook check --format github"))
        .expect("a check step with annotations");
    let configure = position(&|s| uses(s).starts_with("actions/configure-pages@"))
        .expect("the official configure action");
    let build_step = position(&|s| run(s).contains("rollbook build")).expect("a build step");
    let upload = position(&|s| uses(s).starts_with("actions/upload-pages-artifact@"))
        .expect("the official upload action");
    assert!(
        install < check && check < configure && configure < build_step && build_step < upload,
        "install, check, then configure, build and upload"
    );
    // Nothing compiles rollbook on every push.
    assert!(
        build_steps
            .iter()
            .all(|s| !run(s).contains("cargo install")),
        "no cargo install step"
    );

    let deploy = &doc["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(
        steps(deploy)
            .iter()
            .any(|s| uses(s).starts_with("actions/deploy-pages@")),
        "the official deploy action"
    );
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    // Only the deploy job may write to Pages.
    assert_eq!(deploy["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(deploy["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(doc["permissions"]["contents"].as_str(), Some("read"));
    assert!(doc["permissions"]["pages"].is_badvalue());
}

#[test]
fn the_init_workflow_pins_this_rollbook_version() {
    let (doc, text) = init_workflow();
    let install = steps(&doc["jobs"]["build"])
        .into_iter()
        .find(|s| uses(s).starts_with("taiki-e/install-action@"))
        .expect("an install step");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        install["with"]["tool"].as_str(),
        Some(format!("rollbook@{version}").as_str())
    );
    assert!(!text.contains("@ROLLBOOK_VERSION@"), "the mark is replaced");
    // A compiled fallback is kept between runs, per version, and skips the install.
    let cache = steps(&doc["jobs"]["build"])
        .into_iter()
        .find(|s| uses(s).starts_with("actions/cache@"))
        .expect("a cache step");
    assert_eq!(
        cache["with"]["path"].as_str(),
        Some("~/.cargo/bin/rollbook")
    );
    let key = cache["with"]["key"].as_str().expect("a cache key");
    assert!(
        key.contains(version),
        "the cache key names the version: {key}"
    );
    let id = cache["id"].as_str().expect("the cache step has an id");
    assert_eq!(
        install["if"].as_str(),
        Some(format!("steps.{id}.outputs.cache-hit != 'true'").as_str())
    );
    // A comment says which line pins the version.
    let tool_line = text
        .lines()
        .position(|l| l.trim_start().starts_with("tool: rollbook@"))
        .expect("the tool line");
    let comments_before: Vec<&str> = text.lines().take(tool_line).collect();
    assert!(
        comments_before
            .iter()
            .rev()
            .take(8)
            .any(|l| l.trim_start().starts_with('#') && l.contains("pin another version")),
        "a comment above the tool line says how to pin another version"
    );
}

#[test]
fn the_init_workflow_checks_pull_requests_and_deploys_the_default_branch_daily() {
    let (doc, _) = init_workflow();
    let on = &doc["on"];
    assert!(!on["pull_request"].is_badvalue(), "runs on pull requests");
    assert!(!on["push"].is_badvalue(), "runs on pushes");
    let cron = on["schedule"][0]["cron"].as_str().expect("a schedule");
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(fields.len(), 5, "{cron}");
    assert_eq!(&fields[2..], ["*", "*", "*"], "daily: {cron}");

    // Runs of one ref queue; deploys share one group and are never cancelled.
    assert!(doc["concurrency"]["group"]
        .as_str()
        .is_some_and(|g| g.contains("github.ref")));
    let deploy = &doc["jobs"]["deploy"];
    assert!(deploy["concurrency"]["group"].as_str().is_some());
    assert_eq!(
        deploy["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );

    let publish = expression(
        doc["jobs"]["build"]["env"]["PUBLISH"]
            .as_str()
            .expect("PUBLISH"),
    );
    let deploy_if = deploy["if"].as_str().expect("deploy runs on a condition");
    for (event, default_branch, want) in [
        ("pull_request", false, false),
        ("pull_request", true, false),
        ("push", false, false),
        ("push", true, true),
        ("schedule", true, true),
        ("workflow_dispatch", true, true),
        ("workflow_dispatch", false, false),
    ] {
        assert_eq!(
            holds(publish, event, default_branch),
            want,
            "build on {event}, default branch {default_branch}"
        );
        assert_eq!(
            holds(deploy_if, event, default_branch),
            want,
            "deploy on {event}, default branch {default_branch}"
        );
    }
    for s in steps(&doc["jobs"]["build"]) {
        let publishes = uses(s).starts_with("actions/configure-pages@")
            || uses(s).starts_with("actions/upload-pages-artifact@")
            || run(s).contains("rollbook build");
        let checks = run(s).contains("rollbook check");
        if publishes {
            assert_eq!(s["if"].as_str(), Some("env.PUBLISH == 'true'"), "{s:?}");
        }
        if checks {
            assert!(s["if"].is_badvalue(), "check runs on every event");
        }
    }
}

#[test]
fn the_release_workflow_builds_archives_for_every_target() {
    let doc = load(&repo_file(".github/workflows/release.yml"), "release.yml");
    let tags: Vec<&str> = doc["on"]["push"]["tags"]
        .as_vec()
        .expect("runs on tags")
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(tags, ["v*"]);
    assert!(doc["on"]["push"]["branches"].is_badvalue());
    assert_eq!(doc["permissions"]["contents"].as_str(), Some("write"));
    assert!(doc["concurrency"]["group"].as_str().is_some());

    let create = &doc["jobs"]["create-release"];
    assert!(steps(create)
        .iter()
        .any(|s| uses(s) == "taiki-e/create-gh-release-action@v1"
            && s["with"]["changelog"].as_str() == Some("CHANGELOG.md")));

    let upload = &doc["jobs"]["upload-assets"];
    assert_eq!(upload["needs"].as_str(), Some("create-release"));
    let targets: Vec<(&str, &str)> = upload["strategy"]["matrix"]["include"]
        .as_vec()
        .expect("a target matrix")
        .iter()
        .map(|t| (t["target"].as_str().unwrap(), t["os"].as_str().unwrap()))
        .collect();
    assert_eq!(
        targets,
        [
            ("x86_64-unknown-linux-musl", "ubuntu-latest"),
            ("aarch64-unknown-linux-musl", "ubuntu-latest"),
            ("x86_64-apple-darwin", "macos-latest"),
            ("aarch64-apple-darwin", "macos-latest"),
            ("x86_64-pc-windows-msvc", "windows-latest"),
        ]
    );
    let s = steps(upload);
    let step = |prefix: &str| {
        s.iter()
            .find(|st| uses(st).starts_with(prefix))
            .unwrap_or_else(|| panic!("a step using {prefix}"))
    };
    assert!(uses(step("actions/checkout@")).ends_with("@v4"));
    assert_eq!(
        step("dtolnay/rust-toolchain@")["with"]["targets"].as_str(),
        Some("${{ matrix.target }}")
    );
    let cross = step("taiki-e/setup-cross-toolchain-action@");
    assert_eq!(uses(cross), "taiki-e/setup-cross-toolchain-action@v1");
    assert!(cross["if"].as_str().unwrap_or("").contains("ubuntu"));
    let build = step("taiki-e/upload-rust-binary-action@");
    assert_eq!(uses(build), "taiki-e/upload-rust-binary-action@v1");
    let with = &build["with"];
    assert_eq!(with["bin"].as_str(), Some("rollbook"));
    assert_eq!(with["checksum"].as_str(), Some("sha256"));
    assert_eq!(with["tar"].as_str(), Some("unix"));
    assert_eq!(with["zip"].as_str(), Some("windows"));
    assert_eq!(with["leading-dir"].as_bool(), Some(true));
    assert_eq!(with["locked"].as_bool(), Some(true));

    // The archives are where Cargo.toml tells cargo binstall to look: for each target,
    // the release's asset name and the binary's path inside it agree.
    let manifest: toml::Table = toml::from_str(&repo_file("Cargo.toml")).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let archive = with["archive"].as_str().expect("an archive name");
    for (target, os) in targets {
        let windows = os.starts_with("windows");
        let version = env!("CARGO_PKG_VERSION");
        let name = archive
            .replace("$bin", "rollbook")
            .replace("$tag", &format!("v{version}"))
            .replace("$target", target);
        let (suffix, exe) = if windows {
            (".zip", ".exe")
        } else {
            (".tar.gz", "")
        };
        let fmt = binstall["overrides"]
            .get(target)
            .and_then(|o| o.get("pkg-fmt"))
            .or(binstall.get("pkg-fmt"))
            .and_then(|f| f.as_str());
        assert_eq!(fmt, Some(if windows { "zip" } else { "tgz" }), "{target}");
        let fill = |template: &str| {
            template
                .replace("{ repo }", "https://github.com/OWNER/rollbook")
                .replace("{ name }", "rollbook")
                .replace("{ bin }", "rollbook")
                .replace("{ version }", version)
                .replace("{ target }", target)
                .replace("{ archive-suffix }", suffix)
                .replace("{ binary-ext }", exe)
        };
        let url = fill(binstall["pkg-url"].as_str().unwrap());
        assert_eq!(
            url,
            format!(
                "https://github.com/OWNER/rollbook/releases/download/v{version}/{name}{suffix}"
            )
        );
        // leading-dir: the binary sits in a folder named after the archive.
        assert_eq!(
            fill(binstall["bin-dir"].as_str().unwrap()),
            format!("{name}/rollbook{exe}")
        );
    }
}

#[test]
fn the_pre_commit_hooks_run_check_on_site_files() {
    let doc = load(
        &repo_file(".pre-commit-hooks.yaml"),
        ".pre-commit-hooks.yaml",
    );
    let hooks = doc.as_vec().expect("a list of hooks");
    assert!(!hooks.is_empty());
    for hook in hooks {
        assert_eq!(hook["entry"].as_str(), Some("rollbook check"));
        assert!(matches!(hook["language"].as_str(), Some("rust" | "system")));
        assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
        let files = regex::Regex::new(hook["files"].as_str().expect("a files pattern")).unwrap();
        for path in [
            "site.toml",
            "content/support-triage/data.md",
            "docs/content/_index.md",
            "docs/site.toml",
            "static/logo.svg",
        ] {
            assert!(files.is_match(path), "{path} triggers the hook");
        }
        for path in ["src/main.rs", "README.md", "old-site.toml.bak/x"] {
            assert!(!files.is_match(path), "{path} does not");
        }
    }
    assert!(hooks.iter().any(|h| h["language"].as_str() == Some("rust")));
}
