//! Rule ids: one stable id per kind of finding, so tools that track findings over time
//! (SARIF, code scanning) can group them, and a kind keeps its id when wording changes.

use crate::domain::diag::{Diagnostic, Severity};

/// One kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, kebab-case; never reused for another kind.
    pub id: &'static str,
    /// PascalCase name (SARIF `name`).
    pub name: &'static str,
    /// One line on what it finds.
    pub summary: &'static str,
    /// What to do about it.
    pub help: &'static str,
    /// The severity findings of this kind have.
    pub severity: Severity,
}

const fn rule(
    id: &'static str,
    name: &'static str,
    summary: &'static str,
    help: &'static str,
    severity: Severity,
) -> Rule {
    Rule {
        id,
        name,
        summary,
        help,
        severity,
    }
}

use Severity::{Error, Warning};

/// Every rule, in a fixed order (SARIF `ruleIndex` points into it).
pub const RULES: [Rule; 21] = [
    rule("unreadable-file", "UnreadableFile", "A file cannot be read or is not UTF-8.", "Check that the file exists, is readable and is saved as UTF-8.", Error),
    rule("toml-syntax", "TomlSyntax", "Front-matter or site.toml is not valid TOML, or front-matter is never closed.", "Fix the TOML syntax: strings need quotes, one key per line, close front-matter with a `+++` line.", Error),
    rule("unknown-key", "UnknownKey", "A key that the section or site.toml does not have.", "Rename the key to one the section defines (the message suggests the nearest one).", Error),
    rule("wrong-type", "WrongType", "An answer of the wrong type: a list where text is expected, a number that is not finite, a date in quotes.", "Write the answer in the type the field takes, as the message shows.", Error),
    rule("one-accountable-person", "OneAccountablePerson", "An accountability answer names more than one person.", "Name one accountable person, e.g. `dri = \"Dana Ortiz <dana@example.com>\"`.", Error),
    rule("phase-status", "PhaseStatus", "A rollout phase status outside planned, active and done.", "Set the phase's status to \"planned\", \"active\" or \"done\".", Error),
    rule("pack-layout", "PackLayout", "A pack folder or page whose name is invalid, reserved or taken.", "Rename the folder or file as the message says.", Error),
    rule("missing-eval-file", "MissingEvalFile", "`eval_set` or `results` names a file that does not exist.", "Fix the path (relative to the pack folder) or add the file.", Error),
    rule("eval-data", "EvalData", "A malformed eval case or results line.", "Fix the line: one JSON object (or CSV row) per case, one JSON run per results line.", Error),
    rule("broken-link", "BrokenLink", "An internal link or anchor that leads nowhere.", "Fix the link's path or anchor, or add the page it points to.", Error),
    rule("theme", "Theme", "A theme that is missing or a template that does not render.", "Fix the template, or set `theme` in site.toml to an existing theme.", Error),
    rule("site-config", "SiteConfig", "A problem in site.toml or a command-line setting.", "Fix the setting as the message says.", Error),
    rule("min-completeness", "MinCompleteness", "A pack is less complete than `--min-completeness`.", "Fill the pack's missing fields.", Error),
    rule("secret", "Secret", "Content that looks like a credential, which publishing would expose.", "Remove the secret and rotate it: content is published.", Warning),
    rule("small-eval-set", "SmallEvalSet", "An eval set with too few cases to trust its gate.", "Collect more real cases.", Warning),
    rule("gate-failing", "GateFailing", "The latest eval run fails the release gate.", "Fix the regression or hold the rollout.", Warning),
    rule("stale-review", "StaleReview", "The last weekly review is older than `stale_after_days`.", "Hold the review and add it to `reviews`.", Warning),
    rule("entry-bar-unmet", "EntryBarUnmet", "A phase is active or done before its entry bar is met.", "Finish what the bar needs or set the phase back to \"planned\".", Warning),
    rule("site-title", "SiteTitle", "site.toml has no title.", "Add `title = \"…\"` to site.toml.", Warning),
    rule("content-error", "ContentError", "Any other error in the content.", "Fix the content as the message says.", Error),
    rule("content-warning", "ContentWarning", "Any other warning about the content.", "Follow the message's advice.", Warning),
];

/// How a message is recognised: any of these phrases, in a diagnostic of the rule's
/// severity (a secret is a secret at any severity).
const MATCHERS: &[(&str, &[&str])] = &[
    ("secret", &["looks like a secret"]),
    ("min-completeness", &["--min-completeness"]),
    (
        "unreadable-file",
        &["cannot read the file", "not valid UTF-8"],
    ),
    ("toml-syntax", &["invalid TOML", "is never closed"]),
    (
        "one-accountable-person",
        &["names more than one person", "not a committee"],
    ),
    ("phase-status", &["phase status \""]),
    (
        "pack-layout",
        &[
            "is not a valid slug",
            "is used by the site itself",
            "is reserved",
            "would take the URL of",
        ],
    ),
    ("missing-eval-file", &["does not exist in the pack folder"]),
    ("broken-link", &["broken link", "broken anchor"]),
    ("theme", &["template error", "theme `"]),
    ("small-eval-set", &["the eval set has"]),
    ("gate-failing", &["fails the release gate"]),
    ("stale-review", &["the last weekly review"]),
    ("entry-bar-unmet", &["entry bar is not met"]),
    ("site-title", &["no `title`"]),
    ("unknown-key", &["unknown key", "unknown [highlight] theme"]),
];

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The position of a rule in [`RULES`].
pub fn index(rule: &Rule) -> usize {
    RULES.iter().position(|r| r.id == rule.id).unwrap_or(0)
}

fn is_eval_file(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".csv") || lower.ends_with(".json")
}

/// The kind of finding a diagnostic is.
pub fn of(d: &Diagnostic) -> &'static Rule {
    let fallback = match d.severity {
        Error => "content-error",
        Warning => "content-warning",
    };
    let id = MATCHERS
        .iter()
        .find(|(id, phrases)| {
            by_id(id).is_some_and(|r| r.severity == d.severity || r.id == "secret")
                && phrases.iter().any(|p| d.message.contains(p))
        })
        .map(|(id, _)| *id)
        .or_else(|| match d.severity {
            Error if is_eval_file(&d.file) => Some("eval-data"),
            Error if d.file.ends_with(".html") || d.file.starts_with("themes/") => Some("theme"),
            Error if d.message.contains("must be") => Some("wrong-type"),
            Error if d.file == crate::domain::config::FILE || d.file.starts_with("--") => {
                Some("site-config")
            }
            _ => None,
        })
        .unwrap_or(fallback);
    by_id(id).unwrap_or(&RULES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(severity: Severity, file: &str, message: &str) -> &'static str {
        let d = match severity {
            Error => Diagnostic::error(file, 1, 1, message),
            Warning => Diagnostic::warning(file, 1, 1, message),
        };
        of(&d).id
    }

    #[test]
    fn ids_are_unique_and_kebab_case() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(index(r), i, "{} is listed twice", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
        }
        for (m, _) in MATCHERS {
            assert!(by_id(m).is_some(), "{m} has no rule");
        }
    }

    #[test]
    fn messages_map_to_their_kind() {
        let md = "content/a/data.md";
        let cases = [
            (Warning, md, "this looks like a secret (GitHub token); remove it and rotate it, content is published", "secret"),
            (Error, md, "invalid TOML in front-matter: expected `=`; fix the syntax", "toml-syntax"),
            (Error, md, "front-matter opened with `+++` is never closed; add a `+++` line", "toml-syntax"),
            (Error, md, "unknown key `sorces` in data; did you mean `sources`?", "unknown-key"),
            (Error, md, "`sources` must be a list of strings, not a string", "wrong-type"),
            (Error, md, "`dri` names more than one person (joined by `and`)", "one-accountable-person"),
            (Error, md, "phase status \"live\" is not one of \"planned\", \"active\", \"done\"", "phase-status"),
            (Error, "content/Bad", "pack folder `Bad` is not a valid slug; rename it", "pack-layout"),
            (Error, md, "`eval_set` file `evals/x.jsonl` does not exist in the pack folder content/a/; fix the path", "missing-eval-file"),
            (Error, "content/a/evals/results.jsonl", "run is not valid JSON (expected value): write one run per line", "eval-data"),
            (Error, md, "broken link `../nope.md`: there is no page content/nope.md", "broken-link"),
            (Error, md, "broken anchor `#x`: content/a/data.md has no heading or field with id `x`", "broken-link"),
            (Error, "themes/default/templates/page.html", "template error: unknown variable; fix the template", "theme"),
            (Error, "site.toml", "theme `dark` not found: add a themes/dark/ folder", "theme"),
            (Error, "site.toml", "`stale_after_days` must be a whole number of days, e.g. 14", "wrong-type"),
            (Error, "--base-url", "the URL has no scheme", "site-config"),
            (Error, "content/a", "pack `a` is 40% complete, below --min-completeness 80; fill its missing fields", "min-completeness"),
            (Warning, "content/a/evals/cases.jsonl", "the eval set has 3 case(s); collect at least 20", "small-eval-set"),
            (Warning, "content/a/evals/results.jsonl", "the latest eval run (2026-11-20) fails the release gate: x", "gate-failing"),
            (Warning, "content/a/rhythm.md", "the last weekly review was on 2026-10-01, 50 days ago", "stale-review"),
            (Warning, "content/a/rollout.md", "phase \"Beta\" is active but its entry bar is not met: data", "entry-bar-unmet"),
            (Warning, "site.toml", "no `title`; add `title = \"…\"` to name the site", "site-title"),
            (Error, md, "something new", "content-error"),
            (Warning, md, "something new", "content-warning"),
        ];
        for (severity, file, message, want) in cases {
            assert_eq!(id(severity, file, message), want, "{message}");
        }
    }

    #[test]
    fn a_rule_keeps_its_severity() {
        // A warning that mentions a broken link is still a warning.
        assert_eq!(id(Warning, "a.md", "broken link `x`"), "content-warning");
    }
}
