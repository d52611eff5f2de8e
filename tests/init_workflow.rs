//! The GitHub Pages workflow written by `rollbook init` is valid YAML that checks with
//! annotations, builds, and deploys with the official Pages actions.

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

#[test]
fn init_writes_a_valid_pages_workflow() {
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
    let docs = YamlLoader::load_from_str(&text).expect("pages.yml is valid YAML");
    let doc = &docs[0];

    assert_eq!(doc["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(doc["permissions"]["id-token"].as_str(), Some("write"));

    let build = &doc["jobs"]["build"];
    let build_steps = steps(build);
    let position = |pred: &dyn Fn(&Yaml) -> bool| build_steps.iter().position(|s| pred(s));
    let check = position(&|s| run(s).contains("rollbook check --format github"))
        .expect("a check step with annotations");
    let build_step = position(&|s| run(s).contains("rollbook build")).expect("a build step");
    let upload = position(&|s| uses(s).starts_with("actions/upload-pages-artifact@"))
        .expect("the official upload action");
    assert!(
        check < build_step && build_step < upload,
        "check, then build, then upload"
    );
    assert!(position(&|s| uses(s).starts_with("actions/configure-pages@")).is_some());

    let deploy = &doc["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(
        steps(deploy)
            .iter()
            .any(|s| uses(s).starts_with("actions/deploy-pages@")),
        "the official deploy action"
    );
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    // Pull requests are checked, not deployed.
    assert!(deploy["if"].as_str().unwrap_or("").contains("pull_request"));
}
