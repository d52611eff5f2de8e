//! Machine-readable output keeps its published shape: `check --format sarif` is valid
//! SARIF 2.1.0 (against the official schema) with one rule per kind of finding and no
//! secret in it; `status.json` and `check --format json` match the repository's JSON
//! Schemas (schema/*.schema.json) and carry `"schema": 1`.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// A token in a URL, assembled so that no scanner flags this file.
fn token() -> String {
    ["q8Zr4TkP1v", "Xw9LmN2bHc7YdS"].concat()
}

fn schema_file(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The validator of one of the repository's schemas (they refer to each other by `$id`).
fn repo_validator(name: &str) -> jsonschema::Validator {
    let status = schema_file("schema/status.schema.json");
    let id = status["$id"].as_str().unwrap().to_string();
    jsonschema::options()
        .with_resource(id, jsonschema::Resource::from_contents(status).unwrap())
        .build(&schema_file(&format!("schema/{name}")))
        .unwrap_or_else(|e| panic!("schema/{name} is not a valid JSON Schema: {e}"))
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// A site with one error (an unknown key), one warning (a small eval set) and a secret.
fn site_with_findings(site: SiteBuilder) -> SiteBuilder {
    let toml = format!("{}sorces = [\"x\"]\n", complete_toml("data"));
    let body = format!("Notes.\nHook: https://x.example/hook?token={}\n", token());
    site.complete_pack("pack")
        .section("pack", "data", &toml, &body)
        .file("content/pack/evals/cases.jsonl", &jsonl_cases(3))
}

fn sarif(site: &SiteBuilder) -> (Out, Value) {
    let out = site.run(&["check", "--format", "sarif"]);
    let log = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}\n{}", out.stdout, out.stderr));
    (out, log)
}

#[test]
fn sarif_output_is_valid_sarif_with_a_rule_per_kind_and_no_secret() {
    let site = site_with_findings(SiteBuilder::new());
    let (out, log) = sarif(&site);
    assert_eq!(out.code, 1, "an error fails check in every format");
    assert!(
        !out.stdout.contains(&token()),
        "the secret is not in the log"
    );
    assert!(!out.stderr.contains(&token()));

    let schema = schema_file("tests/fixtures/sarif-schema-2.1.0.json");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the SARIF schema compiles");
    assert_valid(&validator, &log, "the SARIF log");
    assert_eq!(log["version"], "2.1.0");

    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "rollbook");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "one rule per id: {ids:?}");

    // Each finding of check's JSON is one result, with its kind, level and place.
    let (_, json) = site.check_json(&[]);
    let diags = diags(&json);
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), diags.len());
    let mut kinds = Vec::new();
    for (r, d) in results.iter().zip(&diags) {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids[index], id);
        assert_eq!(r["level"], d.severity.as_str());
        assert_eq!(r["message"]["text"], d.message.as_str());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d.file.as_str());
        assert_eq!(loc["region"]["startLine"], d.line);
        assert_eq!(loc["region"]["startColumn"], d.column);
        kinds.push((id, d.severity.as_str(), d.file.as_str()));
    }
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("secret", "warning", "content/pack/data.md"),
            ("small-eval-set", "warning", "content/pack/evaluation.md"),
            ("unknown-key", "error", "content/pack/data.md"),
        ]
    );
}

#[test]
fn sarif_locations_are_relative_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let docs = repo.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let site = site_with_findings(SiteBuilder::new_in(&docs));
    let folder = site
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (_, log) = sarif(&site);
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(!uris.is_empty());
    for uri in uris {
        assert_eq!(
            uri,
            format!(
                "docs/{folder}/content/pack/{}",
                uri.rsplit('/').next().unwrap()
            )
        );
    }
}

#[test]
fn a_clean_site_gives_an_empty_sarif_run() {
    let site = SiteBuilder::new().complete_pack("pack");
    let (out, log) = sarif(&site);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn status_json_matches_its_schema() {
    let validator = repo_validator("status.schema.json");
    // A complete pack with results and one barely started (nulls, gaps, no results).
    let site = SiteBuilder::new().complete_pack("done").section(
        "early",
        "workflow",
        "name = \"TBD\"\n",
        "",
    );
    site.build_ok();
    let status = site.status();
    assert_eq!(status["schema"], 1);
    assert_eq!(status["packs"].as_array().map(Vec::len), Some(2));
    assert_valid(&validator, &status, "status.json");

    // The schema is strict enough to notice a change in shape.
    let mut wrong = status.clone();
    wrong.as_object_mut().unwrap().remove("schema");
    assert!(!validator.is_valid(&wrong), "schema is required");
    let mut wrong = status.clone();
    wrong["packs"][0]["gate"] = "maybe".into();
    assert!(!validator.is_valid(&wrong), "gate is one of three");
}

#[test]
fn check_json_matches_its_schema() {
    let validator = repo_validator("check.schema.json");
    let site = site_with_findings(SiteBuilder::new());
    let (out, json) = site.check_json(&[]);
    assert_eq!(out.code, 1);
    assert_eq!(json["schema"], 1);
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(3));
    assert_valid(&validator, &json, "check --format json");

    let mut wrong = json.clone();
    wrong["diagnostics"][0]["line"] = 0.into();
    assert!(!validator.is_valid(&wrong), "lines count from 1");
}

#[test]
fn the_example_site_matches_the_schemas() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run_in(
        Path::new(root),
        &[
            "--root", root, "--today", TODAY, "check", "--format", "json",
        ],
    );
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_valid(
        &repo_validator("check.schema.json"),
        &json,
        "the example site's check",
    );
    let mut status = json.clone();
    status.as_object_mut().unwrap().remove("diagnostics");
    assert_valid(
        &repo_validator("status.schema.json"),
        &status,
        "the example site's status",
    );
}

#[test]
fn each_kind_of_finding_has_its_own_rule() {
    // One problem per file; each pack's other sections are complete.
    let site = SiteBuilder::new()
        .complete_pack("a")
        .section("a", "workflow", "name = \"Triage\"\nhard_stops = [\n", "")
        .section(
            "a",
            "accountability",
            &complete_toml("accountability").replace(
                "dri = \"Dana Ortiz <dana@acme.example>\"",
                "dri = \"Dana Ortiz and Pat Kim\"",
            ),
            "",
        )
        .section(
            "a",
            "data",
            &complete_toml("data")
                .replace("retention_policy = \"30 days\"", "retention_policy = 30"),
            "",
        )
        .section(
            "a",
            "models",
            &format!("{}fallbak = \"x\"\n", complete_toml("models")),
            "",
        )
        .section(
            "a",
            "rollout",
            &complete_toml("rollout").replace("status = \"active\"", "status = \"live\""),
            "",
        )
        .section(
            "a",
            "incident",
            complete_toml("incident"),
            "See [the plan](nope.md).\n",
        )
        .file("content/a/evals/results.jsonl", "not json\n")
        .complete_pack("b")
        .section(
            "b",
            "evaluation",
            &complete_toml("evaluation").replace("evals/cases.jsonl", "evals/gone.jsonl"),
            "",
        )
        .complete_pack("Bad_Name");
    let (out, log) = sarif(&site);
    assert_eq!(out.code, 1);
    let mut found: Vec<(String, String)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            (uri.to_string(), r["ruleId"].as_str().unwrap().to_string())
        })
        .collect();
    found.sort();
    found.dedup();
    let want = [
        ("content/Bad_Name", "pack-layout"),
        ("content/a/accountability.md", "one-accountable-person"),
        ("content/a/data.md", "wrong-type"),
        ("content/a/evals/results.jsonl", "eval-data"),
        ("content/a/incident.md", "broken-link"),
        ("content/a/models.md", "unknown-key"),
        ("content/a/rollout.md", "phase-status"),
        ("content/a/workflow.md", "toml-syntax"),
        ("content/b/evaluation.md", "missing-eval-file"),
    ];
    for (uri, rule) in want {
        assert!(
            found.iter().any(|(u, r)| u == uri && r == rule),
            "no {rule} at {uri} in {found:#?}"
        );
    }
    assert!(
        found.iter().all(|(_, r)| r != "content-error"),
        "every error here has a kind of its own: {found:#?}"
    );
}
