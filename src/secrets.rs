//! Finds likely secrets and credentials in content files, so a build can warn before they are published.
//!
//! [`scan`] looks at one line at a time (LF or CRLF endings) and reports at most one
//! [`Finding`] per line. Two tiers of rules are tried: well-shaped credentials first
//! (cloud and SaaS keys, private key blocks, JSON Web Tokens), then generic ones
//! (credentials and tokens in URLs, `Authorization: Bearer`, `password = …`-style
//! assignments). Within a tier the leftmost hit wins. The reported column is the first
//! char of the secret itself (the value, not the key name that introduces it).
//!
//! Generic values must look random: 16+ chars, a long alphanumeric run mixing character
//! classes, frequent class changes, enough Shannon entropy, mostly not words, and not a
//! URL, path or code. Every value is also checked for placeholder markers such as
//! `<your-api-key>`, `YOUR_API_KEY`, `${OPENAI_API_KEY}`, `$TOKEN`, `xxxx`, `****` or `...`.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One likely secret: where it starts and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line in the text.
    pub line: usize,
    /// 1-based column, counted in chars (not bytes), of the secret's first char.
    pub column: usize,
    /// Human name, e.g. "AWS access key ID", "private key", "token in a URL", "GitHub token".
    pub kind: &'static str,
}

/// A detection rule. In `pattern`, the named group `s` marks the secret (its start is the
/// reported column) and the optional group `v` is the part that `check` judges (default `s`).
struct Rule {
    kind: &'static str,
    pattern: &'static str,
    check: fn(&str) -> bool,
}

/// Well-shaped credentials. Earlier rules win ties at the same position.
const SPECIFIC: &[Rule] = &[
    Rule {
        kind: "private key",
        pattern: r"(?P<s>-{5}BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-{5})",
        check: any_value,
    },
    Rule {
        kind: "AWS access key ID",
        pattern: r"(?-u:\b)(?P<s>(?:AKIA|ASIA)(?P<v>[A-Z0-9]{16}))(?-u:\b)",
        check: not_placeholder,
    },
    Rule {
        kind: "AWS secret access key",
        pattern: r#"(?i)(?:aws[_\-]?)?secret[_\-]?access[_\-]?key\\?["']?\s*(?:=>|:=|=|:)\s*(?:\\?["'])?(?P<s>[A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        check: high_entropy,
    },
    Rule {
        kind: "Google API key",
        pattern: r"(?-u:\b)(?P<s>AIza(?P<v>[0-9A-Za-z_\-]{35}))",
        check: not_placeholder,
    },
    Rule {
        kind: "GitHub token",
        pattern: r"(?-u:\b)(?P<s>gh[pousr]_(?P<v>[A-Za-z0-9]{36,255})|github_pat_[A-Za-z0-9_]{22,255})(?-u:\b)",
        check: not_placeholder,
    },
    Rule {
        kind: "Slack webhook URL",
        pattern: r"(?P<s>https?://hooks\.slack\.com/services/(?P<v>T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+))",
        check: not_placeholder,
    },
    Rule {
        kind: "Slack token",
        pattern: r"(?-u:\b)(?P<s>(?:xox[abprs]|xapp)-(?P<v>[A-Za-z0-9\-]{10,}))",
        check: slack_token,
    },
    Rule {
        kind: "Stripe live key",
        pattern: r"(?-u:\b)(?P<s>[rs]k_live_(?P<v>[A-Za-z0-9]{16,}))",
        check: not_placeholder,
    },
    Rule {
        kind: "Anthropic API key",
        pattern: r"(?-u:\b)(?P<s>sk-ant-(?P<v>[A-Za-z0-9_\-]{20,}))",
        check: mixed_key,
    },
    Rule {
        kind: "OpenAI API key",
        pattern: r"(?-u:\b)(?P<s>sk-(?:proj-|svcacct-|admin-)?(?P<v>[A-Za-z0-9_\-]{20,}))",
        check: mixed_key,
    },
    Rule {
        kind: "JSON Web Token",
        pattern: r"(?-u:\b)(?P<s>eyJ[A-Za-z0-9_\-]{10,}\.ey[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{8,})",
        check: not_placeholder,
    },
];

/// Generic shapes whose values must also look random (or, in URLs, not be placeholders).
const GENERIC: &[Rule] = &[
    Rule {
        kind: "password in a URL",
        pattern: r#"(?-u:\b)[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#@:"'<>\[\]]*:(?P<s>[^\s/?#@"'<>]+)@[A-Za-z0-9\[]"#,
        check: url_password,
    },
    Rule {
        kind: "token in a URL",
        pattern: r#"(?i)[?&;](?:access_token|refresh_token|id_token|auth_token|token|api_key|api-key|apikey|key|sig|signature|x-amz-signature|x-goog-signature|client_secret|secret|password|passwd|pwd)=(?P<s>[^&#\s"'<>()\[\]]+)"#,
        check: token_value,
    },
    Rule {
        kind: "bearer token",
        pattern: r#"(?i)(?:(?-u:\b)bearer|authorization\s*[:=]\s*["']?(?:basic|token))\s+(?P<s>[A-Za-z0-9._~+/\-]+=*)"#,
        check: token_value,
    },
    Rule {
        kind: "secret assignment",
        pattern: r#"(?i)[A-Za-z0-9_.\-]*(?:api[_\-]?key|(?:secret|access|private)[_\-]?key|secret|password|passwd|pwd|token|credentials?|auth)\\?["']?\s*(?:=>|:=|=|:)\s*(?:\\?["'`])?(?P<s>[^\s"'`,;\\(){}\[\]<>:=][^\s"'`,;\\(){}\[\]<>]*)"#,
        check: random_like,
    },
];

struct Compiled {
    kind: &'static str,
    re: Regex,
    check: fn(&str) -> bool,
}

fn compile(rules: &[Rule]) -> Vec<Compiled> {
    rules
        .iter()
        .map(|r| Compiled {
            kind: r.kind,
            re: Regex::new(r.pattern).expect("built-in secret pattern must compile"),
            check: r.check,
        })
        .collect()
}

/// Both tiers, compiled once: specific rules first, generic ones second.
static TIERS: LazyLock<[Vec<Compiled>; 2]> =
    LazyLock::new(|| [compile(SPECIFIC), compile(GENERIC)]);

/// Scans `text` and returns likely secrets in order of position, at most one per line.
pub fn scan(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((offset, kind)) = scan_line(line) {
            let before = line.get(..offset).map_or(0, |p| p.chars().count());
            findings.push(Finding {
                line: index + 1,
                column: before + 1,
                kind,
            });
        }
    }
    findings
}

/// The byte offset and kind of the line's best hit: leftmost in the first tier that has one.
fn scan_line(line: &str) -> Option<(usize, &'static str)> {
    TIERS.iter().find_map(|tier| {
        tier.iter()
            .filter_map(|rule| first_hit(rule, line).map(|offset| (offset, rule.kind)))
            .min_by_key(|&(offset, _)| offset)
    })
}

/// The start of the first match of `rule` in `line` whose value passes the rule's check.
fn first_hit(rule: &Compiled, line: &str) -> Option<usize> {
    rule.re.captures_iter(line).find_map(|caps| {
        let secret = caps.name("s")?;
        let value = caps.name("v").unwrap_or(secret);
        (rule.check)(value.as_str()).then_some(secret.start())
    })
}

fn any_value(_: &str) -> bool {
    true
}

fn not_placeholder(v: &str) -> bool {
    !is_placeholder(v)
}

fn high_entropy(v: &str) -> bool {
    !is_placeholder(v) && entropy(v) >= 3.0
}

fn slack_token(v: &str) -> bool {
    !is_placeholder(v) && (Classes::of(v).digit || v.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Vendor keys are random: one solid alphanumeric run, or upper, lower and digits mixed
/// (so kebab-case names that happen to start with `sk-` are not keys).
fn mixed_key(v: &str) -> bool {
    let c = Classes::of(v);
    let solid = v.chars().all(|c| c.is_ascii_alphanumeric());
    !is_placeholder(v) && (solid || (c.upper && c.lower && c.digit))
}

fn url_password(v: &str) -> bool {
    v.chars().count() >= 4 && !is_placeholder(v)
}

/// Token values in URLs and headers: random-looking, or one solid 16+ char alphanumeric
/// run that is not made of words.
fn token_value(v: &str) -> bool {
    let solid = v.len() >= 16 && v.chars().all(|c| c.is_ascii_alphanumeric());
    random_like(v) || (solid && !is_placeholder(v) && !wordy(v))
}

/// Generic values: long, mixed, high-entropy and not a word, path, URL or placeholder.
fn random_like(v: &str) -> bool {
    if v.chars().count() < 16 || is_placeholder(v) {
        return false;
    }
    // URLs, paths, code (`a::b`) and query strings are not secrets themselves.
    if ["://", "::", "~/", "./", "&"].iter().any(|m| v.contains(m))
        || v.trim_end_matches('=').contains('=')
    {
        return false;
    }
    let code_path = v.contains('.')
        && v.split('.')
            .all(|p| p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
    if code_path || !has_mixed_run(v) || class_changes(v) < 4 || wordy(v) {
        return false;
    }
    let bits = entropy(v);
    bits >= 3.0 && (Classes::of(v).digit || bits >= 4.0)
}

/// Markers of example values, template variables and redactions.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "...",
    "\u{2026}",
    "***",
    "\u{2022}\u{2022}",
    "xxxx",
    "${",
    "{{",
    "}}",
    "<",
    ">",
    "%(",
    "your",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "redacted",
    "dummy",
    "insert",
    "replace",
];

/// Whole values that are stand-ins rather than secrets.
const PLACEHOLDER_WORDS: &[&str] = &[
    "password", "passwd", "pass", "pwd", "pw", "secret", "token", "apikey", "api_key", "key",
    "changeme", "admin", "root", "guest", "test", "user", "username", "postgres", "tbd", "todo",
    "none", "null", "nil", "empty", "n/a",
];

fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() || t.starts_with('$') || t.starts_with('%') {
        return true;
    }
    let lower = t.to_lowercase();
    PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m))
        || PLACEHOLDER_WORDS.contains(&lower.as_str())
}

#[derive(Default)]
struct Classes {
    lower: bool,
    upper: bool,
    digit: bool,
}

impl Classes {
    fn of(v: &str) -> Self {
        let mut c = Classes::default();
        for ch in v.chars() {
            c.lower |= ch.is_ascii_lowercase();
            c.upper |= ch.is_ascii_uppercase();
            c.digit |= ch.is_ascii_digit();
        }
        c
    }
}

/// Whether `v` has a run of 8+ ASCII letters and digits that mixes at least two of
/// lower case, upper case and digits: random tokens do, words and kebab-case names don't.
fn has_mixed_run(v: &str) -> bool {
    v.split(|c: char| !c.is_ascii_alphanumeric()).any(|run| {
        let c = Classes::of(run);
        run.len() >= 8 && usize::from(c.lower) + usize::from(c.upper) + usize::from(c.digit) >= 2
    })
}

/// How often consecutive letters and digits switch between lower case, upper case and
/// digits: random tokens switch often, names like `CREDENTIAL0` or `Harbor2024` rarely.
fn class_changes(v: &str) -> usize {
    let mut last = None;
    let mut changes = 0;
    for ch in v.chars().filter(char::is_ascii_alphanumeric) {
        let class = (ch.is_ascii_digit(), ch.is_ascii_uppercase());
        changes += usize::from(last.is_some_and(|l| l != class));
        last = Some(class);
    }
    changes
}

/// Whether at least half of the letters and digits form word-like runs (4+ letters, a
/// third of them vowels: `Request`, `harbor`): CamelCase and word-built names are not random.
fn wordy(v: &str) -> bool {
    static WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new("[A-Z][a-z]{3,}|[a-z]{4,}|[A-Z]{4,}").expect("word pattern compiles")
    });
    let vowels = |w: &str| w.chars().filter(|c| "aeiouyAEIOUY".contains(*c)).count();
    let in_words: usize = WORD
        .find_iter(v)
        .map(|m| m.as_str())
        .filter(|w| vowels(w) * 3 >= w.len())
        .map(str::len)
        .sum();
    let alnum = v.chars().filter(char::is_ascii_alphanumeric).count();
    in_words * 2 >= alnum
}

/// Shannon entropy in bits per char.
fn entropy(v: &str) -> f64 {
    let mut counts: HashMap<char, usize> = HashMap::new();
    let mut total = 0usize;
    for ch in v.chars() {
        *counts.entry(ch).or_insert(0) += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let n = total as f64;
    counts
        .values()
        .map(|&k| {
            let p = k as f64 / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic, obviously fake but correctly shaped value of `n` chars.
    fn fake(n: usize) -> String {
        "Q7fZ2mK9vR4tW8pL3nB6hD1jS5gC0yT"
            .chars()
            .cycle()
            .take(n)
            .collect()
    }

    fn one(text: &str, line: usize, column: usize, kind: &'static str) {
        let expected = vec![Finding { line, column, kind }];
        assert_eq!(scan(text), expected, "text: {text:?}");
    }

    fn clean(lines: &[String]) {
        for l in lines {
            assert_eq!(scan(l), vec![], "should not flag: {l:?}");
        }
    }

    fn strs(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn private_key_blocks() {
        let d = "-----";
        for label in ["RSA ", "EC ", "OPENSSH ", ""] {
            let text = format!("# keys\n{d}BEGIN {label}PRIVATE {}{d}\nMIIEow\n", "KEY");
            one(&text, 2, 1, "private key");
        }
    }

    #[test]
    fn aws_access_key_id() {
        one(
            &format!("id: AKIA{}", "Z".repeat(16)),
            1,
            5,
            "AWS access key ID",
        );
        one(
            &format!("x\n  ASIA{}\n", fake(16).to_uppercase()),
            2,
            3,
            "AWS access key ID",
        );
    }

    #[test]
    fn aws_secret_access_key() {
        let text = format!("[default]\naws_secret_access_key = {}\n", fake(40));
        one(&text, 2, 25, "AWS secret access key");
        let text = format!("{{\"SecretAccessKey\": \"{}\"}}", fake(40));
        one(&text, 1, 22, "AWS secret access key");
    }

    #[test]
    fn google_api_key() {
        one(&format!("maps = AIza{}", fake(35)), 1, 8, "Google API key");
    }

    #[test]
    fn github_tokens() {
        one(&format!("t: ghp_{}", fake(36)), 1, 4, "GitHub token");
        one(&format!("gho_{} x", fake(36)), 1, 1, "GitHub token");
        let pat = format!("github_pat_{}_{}", fake(22), fake(59));
        one(&format!("- use {pat}"), 1, 7, "GitHub token");
    }

    #[test]
    fn slack_tokens_and_webhooks() {
        one(
            &format!("bot: xoxb-{}-{}", "1234567890", fake(24)),
            1,
            6,
            "Slack token",
        );
        one(&format!("xapp-1-{}", fake(30)), 1, 1, "Slack token");
        one(&format!("xoxp-{}", "Z".repeat(30)), 1, 1, "Slack token");
        let hook = format!(
            "https://hooks.slack.com/services/T{}/B{}/{}",
            "0A1B2C3D4",
            "9Z8Y7W6V5",
            fake(24)
        );
        one(&format!("webhook: {hook}"), 1, 10, "Slack webhook URL");
    }

    #[test]
    fn stripe_live_keys() {
        one(
            &format!("STRIPE=sk_live_{}", fake(24)),
            1,
            8,
            "Stripe live key",
        );
        one(&format!("rk_live_{}", fake(24)), 1, 1, "Stripe live key");
    }

    #[test]
    fn openai_and_anthropic_keys() {
        one(
            &format!("OPENAI_API_KEY=sk-{}", fake(48)),
            1,
            16,
            "OpenAI API key",
        );
        one(
            &format!("key: \"sk-proj-{}\"", fake(40)),
            1,
            7,
            "OpenAI API key",
        );
        let ant = format!("sk-ant-api03-{}", fake(60));
        one(
            &format!("ANTHROPIC_API_KEY={ant}"),
            1,
            19,
            "Anthropic API key",
        );
    }

    #[test]
    fn json_web_token() {
        let jwt = format!("eyJ{}.eyJ{}.{}", fake(20), fake(30), fake(43));
        one(
            &format!("{{\"id_token\": \"{jwt}\"}}"),
            1,
            15,
            "JSON Web Token",
        );
        one(
            &format!("Authorization: Bearer {jwt}"),
            1,
            23,
            "JSON Web Token",
        );
    }

    #[test]
    fn credentials_in_urls() {
        let url = format!(
            "postgres://svc_rollbook:{}@db.harborpine.example:5432/evals",
            fake(12)
        );
        one(&format!("dsn = \"{url}\""), 1, 32, "password in a URL");
        let url = format!(
            "https://api.harborpine.example/v1/runs?limit=5&access_token={}",
            fake(32)
        );
        one(&format!("See [runs]({url})."), 1, 72, "token in a URL");
        one(
            &format!("GET /x?apikey={}", fake(20)),
            1,
            15,
            "token in a URL",
        );
        one(
            &format!("blob?sv=2024&sig={}%3D", fake(30)),
            1,
            18,
            "token in a URL",
        );
    }

    #[test]
    fn generic_assignments() {
        one(
            &format!("api_key = \"{}\"", fake(32)),
            1,
            12,
            "secret assignment",
        );
        one(
            &format!("  db_password: {}", fake(20)),
            1,
            16,
            "secret assignment",
        );
        one(
            &format!("{{\"client_secret\":\"{}\"}}", fake(24)),
            1,
            19,
            "secret assignment",
        );
        one(
            &format!("export SECRET={}", fake(18)),
            1,
            15,
            "secret assignment",
        );
        one(
            &format!("Authorization: Bearer {}", fake(32)),
            1,
            23,
            "bearer token",
        );
    }

    #[test]
    fn specific_kind_beats_generic_on_the_same_line() {
        let text = format!("api_key = \"x{}\" gh=ghp_{}", fake(20), fake(36));
        one(&text, 1, 38, "GitHub token");
    }

    #[test]
    fn one_finding_per_line_in_order() {
        let text = format!(
            "AKIA{a} AKIA{a}\nplain\nxoxp-{b}\n",
            a = "Z".repeat(16),
            b = fake(20)
        );
        let found = scan(&text);
        let lines: Vec<(usize, usize)> = found.iter().map(|f| (f.line, f.column)).collect();
        assert_eq!(lines, vec![(1, 1), (3, 1)]);
    }

    #[test]
    fn crlf_line_endings() {
        let text = format!(
            "title = \"x\"\r\nid = AKIA{}\r\npassword={}\r\n",
            "Z".repeat(16),
            fake(20)
        );
        let found = scan(&text);
        assert_eq!(
            found,
            vec![
                Finding {
                    line: 2,
                    column: 6,
                    kind: "AWS access key ID"
                },
                Finding {
                    line: 3,
                    column: 10,
                    kind: "secret assignment"
                },
            ]
        );
        let text = format!("a\r\naws_secret_access_key={}\r\n", fake(40));
        one(&text, 2, 23, "AWS secret access key");
    }

    #[test]
    fn column_counts_chars_not_bytes() {
        one(
            &format!("Ünïcödé 🚀 — 密钥: ghp_{}", fake(36)),
            1,
            17,
            "GitHub token",
        );
        one(
            &format!("日本語 token=\"{}\"", fake(24)),
            1,
            12,
            "secret assignment",
        );
    }

    #[test]
    fn no_phone_numbers() {
        clean(&strs(&[
            "Call +1 555 0100 or (555) 010-0199.",
            "tel: +44 20 7946 0958",
            "| on-call | +1-555-010-0199 |",
        ]));
    }

    #[test]
    fn no_email_addresses() {
        clean(&strs(&[
            "Contact dana@harborpine.example",
            "owner = \"ops-team+alerts@harborpine.example\"",
        ]));
    }

    #[test]
    fn no_urls_without_credentials() {
        clean(&strs(&[
            "https://grafana.harborpine.example/d/abc123/triage?orgId=1&from=now-7d",
            "ssh://git@git.harborpine.example:2222/rollbook.git",
            "http://localhost:8080/health?verbose=true",
            "https://docs.harborpine.example/search?key=rollout-checklist",
        ]));
    }

    #[test]
    fn no_mailto_or_tel_links() {
        clean(&strs(&[
            "[Dana](mailto:dana@harborpine.example)",
            "[call](tel:+15550100)",
            "<mailto:ops@harborpine.example?subject=token%20rotation>",
        ]));
    }

    #[test]
    fn no_placeholders() {
        clean(&strs(&[
            "api_key = \"<your-api-key>\"",
            "OPENAI_API_KEY=YOUR_API_KEY",
            "OPENAI_API_KEY=sk-...",
            "token: xxxxxxxx",
            "api_key = \"${OPENAI_API_KEY}\"",
            "Authorization: Bearer $TOKEN",
            "password: ****",
            "api_key = \"TBD\"",
            "postgres://user:password@localhost:5432/db",
            "postgres://app:${DB_PASSWORD}@db:5432/app",
            "password = \"{{ vault_password }}\"",
            "Authorization: Bearer <token>",
        ]));
        clean(&[
            format!(
                "https://hooks.slack.com/services/T{z}/B{z}/{}",
                "X".repeat(24),
                z = "0".repeat(8)
            ),
            format!("AKIA{}EXAMPLE", "IOSFODNN7"),
            format!("ghp_{}", "x".repeat(36)),
            format!("sk-proj-{}", "x".repeat(40)),
            format!("xoxb-{}", "your-bot-token-here"),
            "api_key = \"sk-your-openai-api-key-goes-here\"".to_string(),
        ]);
    }

    #[test]
    fn no_commit_shas_or_uuids_on_their_own() {
        clean(&strs(&[
            "Fixed in 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39.",
            "commit: 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
            "run_id = \"550e8400-e29b-41d4-a716-446655440000\"",
            "{\"trace\": \"550e8400-e29b-41d4-a716-446655440000\", \"sha\": \"3f2a9c1\"}",
        ]));
    }

    #[test]
    fn no_dates() {
        clean(&strs(&[
            "date = 2024-05-01T12:00:00Z",
            "token_expires: 2025-12-31",
            "token: 2024-05-01T12:00:00+02:00",
        ]));
    }

    #[test]
    fn no_prose_mentions() {
        clean(&strs(&[
            "Rotate the API key and the token before launch; the password lives in the vault.",
            "password: stored in the team vault, ask Dana",
            "Token: the bearer token is refreshed every 10 minutes.",
            "Send an `Authorization: Bearer` header with every request.",
            "max_tokens: 4096",
            "token_budget = 12000",
            "The secret: never paste credentials into a runbook.",
        ]));
    }

    #[test]
    fn no_markdown_links() {
        clean(&strs(&[
            "See [the token guide](https://docs.harborpine.example/auth/tokens#rotation).",
            "![diagram](./img/secret-rotation-v2.png)",
            "[password policy]: https://wiki.harborpine.example/security/password-policy",
        ]));
    }

    #[test]
    fn no_ordinary_identifiers() {
        clean(&strs(&[
            "prompt = \"prompt-v7\"",
            "model: harbor-gw/small-2",
            "FLAG_SUPPORT_TRIAGE_ENABLED = true",
            "token_source: harbor-gw/small-2-prompt-v7",
            "api_key: process.env.OPENAI_API_KEY",
            "private_key: ~/.ssh/id_ed25519",
            "task-sk-classifier-rollout-2024-prompt",
            "sk-classifier-rollout-2024-prompt-v7",
            "auth: \"oauth2-client-credentials-flow\"",
            "secret_name: harbor-prod-db-credentials-v2",
            "credential: IKEEXT_CREDENTIAL0,",
            "let kind = Token::QuotedString(value);",
            "auth: super::super::Win32::Foundation::HANDLE,",
            "password = \"Harbor2024Rollout\"",
            "pub const OPT: X509RequestInheritOptions = 3i32;",
            "private_key: ed25519.Ed25519PrivateKey,",
            "usage = [ExtendedKeyUsageOID.CLIENT_AUTH]",
            "body = \"oauth_token_secret=Ab3dEf6hIj9kLm2n&oauth_token=Zq8Rt4Wm2Kp\"",
            "token = \"harborpine2024triagerollout\"",
        ]));
    }

    #[test]
    fn no_panics_on_odd_input() {
        for text in [
            "",
            "\n",
            "\r",
            "\r\n\r\n",
            "://:@",
            "sk-",
            "eyJ.eyJ.",
            "a=\"",
            "-----BEGIN",
            "🚀\r🚀\n\u{0}",
        ] {
            let _ = scan(text);
        }
    }

    #[test]
    fn megabyte_line_of_mixed_unicode() {
        let chunk = "héllo 世界 🚀 token= key=value Ωmega_ünïcode password: ok \t ";
        let mut line = String::new();
        while line.len() < 1 << 20 {
            line.push_str(chunk);
        }
        assert_eq!(scan(&line), vec![]);
        let before = line.chars().count();
        line.push_str(&format!(" ghp_{}", fake(36)));
        one(&line, 1, before + 2, "GitHub token");
    }
}
