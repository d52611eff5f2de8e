//! The secret detection rules: each credential's shape, the literals that announce it,
//! and the checks that tell a real value from a placeholder, a word or an identifier.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The kind of a private key block: its header is shown, not masked (the key is below it).
pub(super) const PRIVATE_KEY: &str = "private key";

/// What must occur on a line before a rule's pattern is tried there.
pub(super) enum Triggers {
    /// Any of these literals, ASCII case ignored.
    Any(&'static [&'static str]),
    /// Any of these literals, exact case (built once; for shapes without a fixed prefix).
    Exact(fn() -> Vec<String>),
}

/// A detection rule. In `pattern`, the named group `s` marks the secret (its start is the
/// reported column, its span is what gets masked) and the optional group `v` is the part
/// that `check` judges (default `s`).
pub(super) struct Rule {
    pub kind: &'static str,
    pub triggers: Triggers,
    pub pattern: &'static str,
    pub check: fn(&str) -> bool,
}

/// Well-shaped credentials. Earlier rules win ties at the same position.
pub(super) const SPECIFIC: &[Rule] = &[
    Rule {
        kind: PRIVATE_KEY,
        triggers: Triggers::Any(&["-----BEGIN"]),
        pattern: r"(?P<s>-{5}BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-{5})",
        check: any_value,
    },
    Rule {
        kind: "AWS access key ID",
        triggers: Triggers::Any(&["AKIA", "ASIA"]),
        pattern: r"(?-u:\b)(?P<s>(?:AKIA|ASIA)(?P<v>[A-Z0-9]{16}))(?-u:\b)",
        check: not_placeholder,
    },
    Rule {
        kind: "AWS secret access key",
        triggers: Triggers::Any(&["secret"]),
        pattern: r#"(?i)(?:aws[_\-]?)?secret[_\-]?access[_\-]?key\\?["']?\s*(?:=>|:=|=|:)\s*(?:\\?["'])?(?P<s>[A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        check: high_entropy,
    },
    Rule {
        kind: "Azure storage account key",
        triggers: Triggers::Any(&["AccountKey="]),
        pattern: r"(?i:AccountKey)=(?P<s>[A-Za-z0-9+/]{86}==)",
        check: vendor_key,
    },
    Rule {
        kind: "Google API key",
        triggers: Triggers::Any(&["AIza"]),
        pattern: r"(?-u:\b)(?P<s>AIza(?P<v>[0-9A-Za-z_\-]{35}))",
        check: not_placeholder,
    },
    Rule {
        kind: "Google OAuth client secret",
        triggers: Triggers::Any(&["GOCSPX-"]),
        pattern: r"(?-u:\b)(?P<s>GOCSPX-(?P<v>[A-Za-z0-9_\-]{28}))",
        check: vendor_key,
    },
    Rule {
        kind: "GitHub token",
        triggers: Triggers::Any(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        pattern: r"(?-u:\b)(?P<s>gh[pousr]_(?P<v>[A-Za-z0-9]{36,255})|github_pat_[A-Za-z0-9_]{22,255})(?-u:\b)",
        check: not_placeholder,
    },
    Rule {
        kind: "GitLab token",
        triggers: Triggers::Any(&["glpat-"]),
        pattern: r"(?-u:\b)(?P<s>glpat-(?P<v>[A-Za-z0-9_\-]{20,300}(?:\.[0-9a-z]{9})?))",
        check: vendor_key,
    },
    Rule {
        kind: "Slack webhook URL",
        triggers: Triggers::Any(&["hooks.slack.com"]),
        pattern: r"(?P<s>https?://hooks\.slack\.com/services/(?P<v>T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+))",
        check: not_placeholder,
    },
    Rule {
        kind: "Slack token",
        triggers: Triggers::Any(&["xox", "xapp-"]),
        pattern: r"(?-u:\b)(?P<s>(?:xoxe\.)?(?:xox[abeoprs]|xapp)-(?P<v>[A-Za-z0-9\-]{10,}))",
        check: slack_token,
    },
    Rule {
        kind: "Discord bot token",
        triggers: Triggers::Exact(discord_id_starts),
        // The first part is a user ID (17 to 20 digits) in base64, so its shape is fixed.
        pattern: r"(?-u:\b)(?P<s>(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){5,6}(?:[MNO][DTjz][AEIMQUYcgk]|[MNO][AQgw])?\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,38})",
        check: vendor_key,
    },
    Rule {
        kind: "Stripe live key",
        triggers: Triggers::Any(&["sk_live_", "rk_live_"]),
        pattern: r"(?-u:\b)(?P<s>[rs]k_live_(?P<v>[A-Za-z0-9]{16,}))",
        check: not_placeholder,
    },
    Rule {
        kind: "SendGrid API key",
        triggers: Triggers::Any(&["SG."]),
        pattern: r"(?-u:\b)(?P<s>SG\.(?P<v>[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}))",
        check: vendor_key,
    },
    Rule {
        kind: "npm token",
        triggers: Triggers::Any(&["npm_"]),
        pattern: r"(?-u:\b)(?P<s>npm_(?P<v>[A-Za-z0-9]{36}))(?-u:\b)",
        check: vendor_key,
    },
    Rule {
        kind: "PyPI token",
        triggers: Triggers::Any(&["pypi-AgE"]),
        // The fixed middle is `pypi.org` (or `test.pypi.org`) in base64.
        pattern: r"(?-u:\b)(?P<s>pypi-(?P<v>(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,}))",
        check: vendor_key,
    },
    Rule {
        kind: "Hugging Face token",
        triggers: Triggers::Any(&["hf_", "api_org_"]),
        pattern: r"(?-u:\b)(?P<s>(?:hf_|api_org_)(?P<v>[A-Za-z]{34}))(?-u:\b)",
        check: vendor_key,
    },
    Rule {
        kind: "DigitalOcean token",
        triggers: Triggers::Any(&["dop_v1_", "doo_v1_", "dor_v1_"]),
        pattern: r"(?-u:\b)(?P<s>do[opr]_v1_(?P<v>[a-f0-9]{64}))(?-u:\b)",
        check: vendor_key,
    },
    Rule {
        kind: "Shopify token",
        triggers: Triggers::Any(&["shpat_", "shpca_", "shppa_", "shpss_"]),
        pattern: r"(?-u:\b)(?P<s>shp(?:at|ca|pa|ss)_(?P<v>[a-fA-F0-9]{32}))(?-u:\b)",
        check: vendor_key,
    },
    Rule {
        kind: "Databricks token",
        triggers: Triggers::Any(&["dapi"]),
        pattern: r"(?-u:\b)(?P<s>dapi(?P<v>[a-f0-9]{32})(?:-[0-9])?)(?-u:\b)",
        check: vendor_key,
    },
    Rule {
        kind: "Groq API key",
        triggers: Triggers::Any(&["gsk_"]),
        pattern: r"(?-u:\b)(?P<s>gsk_(?P<v>[A-Za-z0-9]{52}))(?-u:\b)",
        check: vendor_key,
    },
    Rule {
        kind: "Anthropic API key",
        triggers: Triggers::Any(&["sk-ant-"]),
        pattern: r"(?-u:\b)(?P<s>sk-ant-(?P<v>[A-Za-z0-9_\-]{20,}))",
        check: mixed_key,
    },
    Rule {
        kind: "OpenAI API key",
        triggers: Triggers::Any(&["sk-"]),
        pattern: r"(?-u:\b)(?P<s>sk-(?:proj-|svcacct-|admin-)?(?P<v>[A-Za-z0-9_\-]{20,}))",
        check: mixed_key,
    },
    Rule {
        kind: "JSON Web Token",
        triggers: Triggers::Any(&["eyJ"]),
        pattern: r"(?-u:\b)(?P<s>eyJ[A-Za-z0-9_\-]{10,}\.ey[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{8,})",
        check: not_placeholder,
    },
    Rule {
        kind: "database URL with a password",
        triggers: Triggers::Any(&["://"]),
        pattern: r#"(?i)(?-u:\b)(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse)://(?P<v>[^\s/?#@:"'<>\[\]]*:(?P<s>[^\s/?#@"'<>]+))@[A-Za-z0-9\[]"#,
        check: url_password,
    },
];

/// Generic shapes whose values must also look random (or, in URLs, not be placeholders).
pub(super) const GENERIC: &[Rule] = &[
    Rule {
        kind: "password in a URL",
        triggers: Triggers::Any(&["://"]),
        pattern: r#"(?-u:\b)[A-Za-z][A-Za-z0-9+.\-]*://(?P<v>[^\s/?#@:"'<>\[\]]*:(?P<s>[^\s/?#@"'<>]+))@[A-Za-z0-9\[]"#,
        check: url_password,
    },
    Rule {
        kind: "token in a URL",
        triggers: Triggers::Any(&[
            "token=",
            "key=",
            "sig=",
            "signature=",
            "secret=",
            "password=",
            "passwd=",
            "pwd=",
        ]),
        pattern: r#"(?i)[?&;](?:access_token|refresh_token|id_token|auth_token|token|api_key|api-key|apikey|key|sig|signature|x-amz-signature|x-goog-signature|client_secret|secret|password|passwd|pwd)=(?P<s>[^&#\s"'<>()\[\]]+)"#,
        check: token_value,
    },
    Rule {
        kind: "bearer token",
        triggers: Triggers::Any(&["bearer", "authorization"]),
        pattern: r#"(?i)(?:(?-u:\b)bearer|authorization\s*[:=]\s*["']?(?:basic|token))\s+(?P<s>[A-Za-z0-9._~+/\-]+=*)"#,
        check: token_value,
    },
    Rule {
        kind: "secret assignment",
        triggers: Triggers::Any(&[
            "key",
            "secret",
            "passw",
            "pwd",
            "token",
            "credential",
            "auth",
        ]),
        pattern: r#"(?i)[A-Za-z0-9_.\-]*(?:api[_\-]?key|(?:secret|access|private)[_\-]?key|secret|password|passwd|pwd|token|credentials?|auth)\\?["']?\s*(?:=>|:=|=|:)\s*(?:\\?["'`])?(?P<s>[^\s"'`,;\\(){}\[\]<>:=][^\s"'`,;\\(){}\[\]<>]*)"#,
        check: random_like,
    },
];

/// The first four chars of a Discord user ID in base64: three ASCII digits, the first
/// not zero, encode to one of these.
fn discord_id_starts() -> Vec<String> {
    let mut out = Vec::new();
    for first in ["MT", "Mj", "Mz", "ND", "NT", "Nj", "Nz", "OD", "OT"] {
        for third in "AEIMQUYcgk".chars() {
            for fourth in "wxyz012345".chars() {
                out.push(format!("{first}{third}{fourth}"));
            }
        }
    }
    out
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

/// Vendor tokens whose prefix is fixed but whose body is loosely shaped: not a
/// placeholder, not made of words (`glpat-personal-access-token`), and random enough.
fn vendor_key(v: &str) -> bool {
    !is_placeholder(v) && !wordy(v) && entropy(v) >= 3.0
}

/// `user:password` of a URL. Documentation stand-ins are not secrets: a placeholder, a
/// password that says what it is (`password`, `mypass`, `db_pwd`, `secret`), a single
/// repeated char, or the user name again (`postgres:postgres`, `guest:guest`). Anything
/// else is, whatever the host: `localhost` examples get copied to real servers.
fn url_password(v: &str) -> bool {
    let (user, password) = v.split_once(':').unwrap_or(("", v));
    let lower = password.to_lowercase();
    let repeated = password.chars().all(|c| password.starts_with(c));
    password.chars().count() >= 4
        && !is_placeholder(password)
        && !["pass", "pwd", "secret"].iter().any(|w| lower.contains(w))
        && !repeated
        && !password.eq_ignore_ascii_case(user)
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

pub(super) fn is_placeholder(v: &str) -> bool {
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
    #[allow(
        clippy::expect_used,
        reason = "a constant pattern: it compiles, as every test run shows"
    )]
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
pub(super) fn entropy(v: &str) -> f64 {
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
