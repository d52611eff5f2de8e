//! Finds likely secrets and credentials in published files, so a build can warn before they are published.
//!
//! [`scan`] reports every secret of every line (LF or CRLF endings), each with its line,
//! column and kind. One Aho–Corasick pass over the whole file finds the literals that
//! announce a rule (`glpat-`, `AKIA`, `://`, `token`, …); only the lines holding one are
//! then tried with that rule's pattern. Two tiers of rules: well-shaped credentials
//! (cloud, SaaS and AI keys, private key blocks, JSON Web Tokens, database URLs with a
//! password), then generic ones (credentials and tokens in URLs, `Authorization: Bearer`,
//! `password = …`-style assignments). Where hits overlap, the first tier wins, then the
//! leftmost, then the earlier rule. The reported column is the first char of the secret
//! itself (the value, not the key name that introduces it).
//!
//! Generic values must look random: 16+ chars, a long alphanumeric run mixing character
//! classes, frequent class changes, enough Shannon entropy, mostly not words, and not a
//! URL, path or code. Every value is also checked for placeholder markers such as
//! `<your-api-key>`, `YOUR_API_KEY`, `${OPENAI_API_KEY}`, `$TOKEN`, `xxxx`, `****` or `...`.
//!
//! [`warnings`] turns findings into diagnostics that never show a whole secret: the
//! message names the kind and at most the first four chars, the source line is masked.
//! [`scan_published`] scans the published folders besides `content/`.

mod published;
mod rules;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_formats;

pub use published::scan_published;

use crate::domain::diag::{Diagnostic, Kind};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use rules::{Rule, Triggers, GENERIC, PRIVATE_KEY, SPECIFIC};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One likely secret: where it starts, how long it is and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line in the text.
    pub line: usize,
    /// 1-based column, counted in chars (not bytes), of the secret's first char.
    pub column: usize,
    /// Length of the secret in chars.
    pub len: usize,
    /// Human name, e.g. "AWS access key ID", "private key", "token in a URL", "GitHub token".
    pub kind: &'static str,
    /// What may be shown of the secret: its first chars and `…`, never all of it;
    /// `None` when nothing of it is shown (a private key's header is not the key).
    pub preview: Option<String>,
}

struct Compiled {
    kind: &'static str,
    /// 0 for well-shaped credentials, 1 for generic shapes.
    tier: u8,
    re: Regex,
    check: fn(&str) -> bool,
}

/// Every rule compiled, and the automaton of their trigger literals.
struct Scanner {
    rules: Vec<Compiled>,
    triggers: AhoCorasick,
    /// Per trigger pattern: its literal, the rules it announces (bit `i` = `rules[i]`)
    /// and whether it must match in exact case.
    announces: Vec<(String, u64, bool)>,
}

static SCANNER: LazyLock<Scanner> = LazyLock::new(Scanner::new);

impl Scanner {
    #[allow(
        clippy::expect_used,
        reason = "built-in patterns and literals: they compile, as every test run shows"
    )]
    fn new() -> Scanner {
        let tiers = [(0u8, SPECIFIC), (1u8, GENERIC)];
        let all: Vec<(u8, &Rule)> = tiers
            .iter()
            .flat_map(|&(tier, rules)| rules.iter().map(move |r| (tier, r)))
            .collect();
        assert!(all.len() <= 64, "one bit per rule in a u64");
        let mut index: BTreeMap<String, (u64, bool)> = BTreeMap::new();
        let mut rules = Vec::with_capacity(all.len());
        for (i, (tier, rule)) in all.into_iter().enumerate() {
            let (literals, exact): (Vec<String>, bool) = match rule.triggers {
                Triggers::Any(l) => (l.iter().map(|s| s.to_ascii_lowercase()).collect(), false),
                Triggers::Exact(make) => (make(), true),
            };
            for literal in literals {
                let entry = index.entry(literal).or_insert((0, exact));
                entry.0 |= 1 << i;
                entry.1 &= exact;
            }
            rules.push(Compiled {
                kind: rule.kind,
                tier,
                re: Regex::new(rule.pattern).expect("built-in secret pattern must compile"),
                check: rule.check,
            });
        }
        let announces: Vec<(String, u64, bool)> =
            index.into_iter().map(|(l, (m, e))| (l, m, e)).collect();
        let triggers = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A full DFA: one table lookup per byte, the fastest for a single pass.
            .kind(Some(AhoCorasickKind::DFA))
            .build(announces.iter().map(|a| &a.0))
            .expect("secret trigger literals build an automaton");
        Scanner {
            rules,
            triggers,
            announces,
        }
    }

    /// For each line (0-based) holding a trigger, the rules to try there. One pass.
    fn candidates(&self, text: &str) -> BTreeMap<usize, u64> {
        let mut hits: Vec<(usize, u64)> = Vec::new();
        for m in self.triggers.find_overlapping_iter(text) {
            let Some((literal, rules, exact)) = self.announces.get(m.pattern().as_usize()) else {
                continue;
            };
            if !exact || text.get(m.start()..m.end()) == Some(literal.as_str()) {
                hits.push((m.start(), *rules));
            }
        }
        let mut by_line = BTreeMap::new();
        if hits.is_empty() {
            return by_line;
        }
        let starts = line_starts(text);
        for (offset, rules) in hits {
            let line = starts.partition_point(|&s| s <= offset).saturating_sub(1);
            *by_line.entry(line).or_insert(0) |= rules;
        }
        by_line
    }

    /// Every secret of one line: `(byte start, byte end, rule)`, in order, never overlapping.
    fn scan_line(&self, line: &str, rules: u64) -> Vec<(usize, usize, &Compiled)> {
        let mut hits: Vec<(u8, usize, usize, usize)> = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            if rules & (1 << i) == 0 {
                continue;
            }
            for caps in rule.re.captures_iter(line) {
                let Some(secret) = caps.name("s") else {
                    continue;
                };
                let value = caps.name("v").unwrap_or(secret);
                if (rule.check)(value.as_str()) {
                    hits.push((rule.tier, secret.start(), i, secret.end()));
                }
            }
        }
        // First tier, then leftmost, then earlier rule; a hit overlapping a kept one goes.
        hits.sort_unstable();
        let mut kept: Vec<(usize, usize, &Compiled)> = Vec::new();
        for (_, start, i, end) in hits {
            let overlaps = kept.iter().any(|&(s, e, _)| start < e && s < end);
            if let (false, Some(rule)) = (overlaps, self.rules.get(i)) {
                kept.push((start, end, rule));
            }
        }
        kept.sort_unstable_by_key(|&(start, _, _)| start);
        kept
    }
}

/// Byte offsets where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Scans `text` and returns every likely secret, in order of position.
pub fn scan(text: &str) -> Vec<Finding> {
    let scanner = &*SCANNER;
    let mut findings = Vec::new();
    let candidates = scanner.candidates(text);
    if candidates.is_empty() {
        return findings;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for (index, rules) in candidates {
        let Some(raw) = lines.get(index) else {
            continue;
        };
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        for (start, end, rule) in scanner.scan_line(line, rules) {
            let column = line.get(..start).map_or(0, |p| p.chars().count()) + 1;
            let secret = line.get(start..end).unwrap_or_default();
            findings.push(Finding {
                line: index + 1,
                column,
                len: secret.chars().count(),
                kind: rule.kind,
                preview: (rule.kind != PRIVATE_KEY).then(|| preview(secret)),
            });
        }
    }
    findings
}

/// How many leading chars of a secret of `len` chars may be shown: at most four, and at
/// most a quarter of it, so a short password shows one char or none.
fn shown(len: usize) -> usize {
    (len / 4).min(4)
}

fn preview(secret: &str) -> String {
    let head: String = secret.chars().take(shown(secret.chars().count())).collect();
    format!("{head}…")
}

/// `line` with every finding on it masked by `*` after its shown chars (same width, so
/// columns and the caret stay right). `findings` are those of this line, in order.
fn masked(line: &str, findings: &[&Finding]) -> String {
    let mut hidden = findings
        .iter()
        .filter(|f| f.preview.is_some())
        .map(|f| (f.column - 1 + shown(f.len), f.column - 1 + f.len))
        .peekable();
    line.chars()
        .enumerate()
        .map(|(i, c)| {
            while hidden.next_if(|&(_, end)| end <= i).is_some() {}
            match hidden.peek() {
                Some(&(from, _)) if i >= from => '*',
                _ => c,
            }
        })
        .collect()
}

/// `line` with every likely secret on it masked as a secret's warning shows it, for the
/// source line any diagnostic prints; `None` when it holds none.
pub fn masked_line(line: &str) -> Option<String> {
    let findings = scan(line);
    if findings.is_empty() {
        return None;
    }
    let refs: Vec<&Finding> = findings.iter().collect();
    Some(masked(line, &refs))
}

/// One warning per likely secret in `text` (the file `file`), with a masked source line.
pub fn warnings(file: &str, text: &str) -> Vec<Diagnostic> {
    let findings = scan(text);
    if findings.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::with_capacity(findings.len());
    for on_line in findings.chunk_by(|a, b| a.line == b.line) {
        let refs: Vec<&Finding> = on_line.iter().collect();
        let source = on_line
            .first()
            .and_then(|f| lines.get(f.line - 1))
            .map(|l| masked(l.strip_suffix('\r').unwrap_or(l), &refs));
        for f in on_line {
            let what = match &f.preview {
                Some(p) => format!("{} `{p}`", f.kind),
                None => f.kind.to_string(),
            };
            let mut d = Diagnostic::warning(
                Kind::Secret,
                file,
                f.line,
                f.column,
                format!(
                    "this looks like a secret ({what}); remove it and rotate it, content is published"
                ),
            );
            d.source_line.clone_from(&source);
            out.push(d);
        }
    }
    out
}
