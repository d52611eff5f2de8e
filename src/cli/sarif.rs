//! SARIF 2.1.0 output of `check --format sarif`, for GitHub code scanning and other
//! tools that read static analysis results.

use crate::check::rules::{self, RULES};
use crate::domain::diag::{Diagnostic, Severity};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The schema a SARIF log names.
pub(crate) const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Characters a relative URI reference may not carry as they are; `/` stays a separator.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The site folder's path inside the git repository holding it ("" at its root, or when
/// there is no repository), so locations are relative to the repository root as code
/// scanning expects.
pub(crate) fn repo_prefix(site_root: &Path) -> String {
    let Ok(site) = site_root.canonicalize() else {
        return String::new();
    };
    let Some(repo) = site.ancestors().find(|d| d.join(".git").exists()) else {
        return String::new();
    };
    let rel: PathBuf = site
        .strip_prefix(repo)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn uri(prefix: &str, file: &str) -> String {
    let file = file.replace('\\', "/");
    let path = if prefix.is_empty() {
        file
    } else {
        format!("{prefix}/{file}")
    };
    utf8_percent_encode(&path, URI_PATH).to_string()
}

fn rule_json(r: &rules::Rule) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": r.summary },
        "help": { "text": r.help },
        "defaultConfiguration": { "level": level(r.severity) },
    })
}

fn result_json(d: &Diagnostic, prefix: &str) -> Value {
    let rule = rules::of(d);
    let mut result = json!({
        "ruleId": rule.id,
        "ruleIndex": rules::index(rule),
        "level": level(d.severity),
        "message": { "text": d.message },
    });
    // Command-line settings (`--base-url`) are not files: such a result has no location.
    if !d.file.starts_with("--") {
        if let Some(obj) = result.as_object_mut() {
            obj.insert(
                "locations".into(),
                json!([{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(prefix, &d.file), "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": d.line.max(1), "startColumn": d.column.max(1) },
            }
        }]),
            );
        }
    }
    result
}

/// The SARIF log of one `check` run. `prefix` is the site folder inside the repository
/// ([`repo_prefix`]). Only the diagnostics' messages are written, never source lines, so a
/// secret's text (which its message leaves out) stays out of the log.
pub(crate) fn log(diags: &[Diagnostic], prefix: &str) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "rollbook",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": RULES.iter().map(rule_json).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": diags.iter().map(|d| result_json(d, prefix)).collect::<Vec<_>>(),
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::diag::Kind;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("", "content/a b/x.md"), "content/a%20b/x.md");
        assert_eq!(
            uri("docs/site", "content/a#1.md"),
            "docs/site/content/a%231.md"
        );
        assert_eq!(uri("", "content\\a.md"), "content/a.md");
    }

    #[test]
    fn results_point_into_the_rules() {
        let diags = [
            Diagnostic::error(
                Kind::UnknownKey,
                "content/a/data.md",
                3,
                2,
                "unknown key `x` in data; did you mean `y`?",
            ),
            Diagnostic::error(
                Kind::SiteConfig,
                "--base-url",
                1,
                1,
                "the URL has no scheme",
            ),
        ];
        let log = log(&diags, "site");
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results[0]["ruleId"], "unknown-key");
        let index = results[0]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "unknown-key");
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "site/content/a/data.md");
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 2);
        assert!(results[1].get("locations").is_none());
    }

    #[test]
    fn the_prefix_is_the_site_inside_its_repository() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("docs").join("packs");
        std::fs::create_dir_all(&site).unwrap();
        assert_eq!(repo_prefix(&site), "", "no repository");
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(repo_prefix(&site), "docs/packs");
        assert_eq!(repo_prefix(dir.path()), "");
    }
}
