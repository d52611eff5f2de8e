//! Rule ids: one stable id per kind of finding, so tools that track findings over time
//! (SARIF, code scanning) can group them, and a kind keeps its id when wording changes.

use crate::domain::diag::{Diagnostic, Kind, Severity};

/// One kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rule {
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
pub(crate) const RULES: [Rule; 21] = [
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

/// The rule with this id.
pub(crate) fn by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The position of a rule in [`RULES`].
pub(crate) fn index(rule: &Rule) -> usize {
    RULES.iter().position(|r| r.id == rule.id).unwrap_or(0)
}

/// The rule of a kind of diagnostic.
pub(crate) fn of_kind(kind: Kind) -> &'static Rule {
    let id = match kind {
        Kind::UnreadableFile => "unreadable-file",
        Kind::TomlSyntax => "toml-syntax",
        Kind::UnknownKey => "unknown-key",
        Kind::WrongType => "wrong-type",
        Kind::OneAccountablePerson => "one-accountable-person",
        Kind::PhaseStatus => "phase-status",
        Kind::PackLayout => "pack-layout",
        Kind::MissingEvalFile => "missing-eval-file",
        Kind::EvalData => "eval-data",
        Kind::BrokenLink => "broken-link",
        Kind::Theme => "theme",
        Kind::SiteConfig => "site-config",
        Kind::MinCompleteness => "min-completeness",
        Kind::Secret => "secret",
        Kind::SmallEvalSet => "small-eval-set",
        Kind::GateFailing => "gate-failing",
        Kind::StaleReview => "stale-review",
        Kind::EntryBarUnmet => "entry-bar-unmet",
        Kind::SiteTitle => "site-title",
        Kind::ContentError => "content-error",
        Kind::ContentWarning => "content-warning",
    };
    by_id(id).unwrap_or(&RULES[0])
}

/// The rule of a diagnostic, from its kind.
pub(crate) fn of(d: &Diagnostic) -> &'static Rule {
    of_kind(d.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn every_kind_has_its_own_rule() {
        assert_eq!(Kind::ALL.len(), RULES.len());
        for (kind, rule) in Kind::ALL.iter().zip(&RULES) {
            assert_eq!(of_kind(*kind), rule, "{kind:?}");
            assert_eq!(rule.name, format!("{kind:?}"));
        }
    }
}
