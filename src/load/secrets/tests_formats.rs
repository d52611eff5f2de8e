//! Table-driven tests of the vendor formats and database URLs: each realistic fake value
//! is found bare, after `KEY=` and in YAML; look-alikes are not; several secrets on one
//! line are all reported; warnings never show a whole secret.
//!
//! Test values are built at run time so this file does not itself look like a leak.

use super::tests::found;
use super::*;

/// `n` chars of `alphabet`, picked by a fixed-seed generator: varied, deterministic.
fn pick(alphabet: &str, n: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chars[(state % chars.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &str = "0123456789abcdef";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOWER_ALNUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// Standard base64 without padding (Discord user IDs are encoded this way).
pub(super) fn base64(bytes: &[u8]) -> String {
    let table: Vec<char> = BASE64.chars().collect();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(table[((n >> (18 - 6 * i)) & 63) as usize]);
        }
    }
    out
}

/// One format: its kind, a value as it is written, and where the secret starts in it (chars).
pub(super) struct Sample {
    pub kind: &'static str,
    pub value: String,
    pub offset: usize,
}

fn sample(kind: &'static str, value: String) -> Sample {
    Sample {
        kind,
        value,
        offset: 0,
    }
}

/// The secret starts after `marker` in `value`.
fn sample_after(kind: &'static str, value: String, marker: &str) -> Sample {
    let offset = value.find(marker).expect("marker in value") + marker.len();
    let offset = value[..offset].chars().count();
    Sample {
        kind,
        value,
        offset,
    }
}

/// Every format added to the original set, with realistic fake values.
pub(super) fn samples() -> Vec<Sample> {
    let db = "database URL with a password";
    let password = format!("{}{}", pick(ALNUM, 14, 40), "-q8");
    vec![
        sample("GitLab token", format!("glpat-{}", pick(URLSAFE, 20, 1))),
        sample(
            "GitLab token",
            format!(
                "glpat-{}.{}",
                pick(URLSAFE, 27, 2),
                pick(LOWER_ALNUM, 9, 3)
            ),
        ),
        sample(
            "SendGrid API key",
            format!("SG.{}.{}", pick(URLSAFE, 22, 4), pick(URLSAFE, 43, 5)),
        ),
        sample("npm token", format!("npm_{}", pick(ALNUM, 36, 6))),
        sample("Hugging Face token", format!("hf_{}", pick(LETTERS, 34, 7))),
        sample(
            "DigitalOcean token",
            format!("dop_v1_{}", pick(HEX, 64, 8)),
        ),
        sample("Shopify token", format!("shpat_{}", pick(HEX, 32, 9))),
        sample(
            "PyPI token",
            format!("pypi-{}{}", "AgEIcHlwaS5vcmc", pick(URLSAFE, 70, 10)),
        ),
        sample("Databricks token", format!("dapi{}", pick(HEX, 32, 11))),
        sample("Groq API key", format!("gsk_{}", pick(ALNUM, 52, 12))),
        sample(
            "Google OAuth client secret",
            format!("GOCSPX-{}", pick(URLSAFE, 28, 13)),
        ),
        sample_after(
            "Azure storage account key",
            format!(
                "DefaultEndpointsProtocol=https;AccountName=harborpinelogs;AccountKey={}==;EndpointSuffix=core.windows.net",
                pick(BASE64, 86, 14)
            ),
            "AccountKey=",
        ),
        sample(
            "Slack token",
            format!(
                "xoxp-{}-{}-{}-{}",
                pick("0123456789", 11, 15),
                pick("0123456789", 12, 16),
                pick("0123456789", 13, 17),
                pick(HEX, 32, 18)
            ),
        ),
        sample(
            "Slack token",
            format!(
                "xoxb-{}-{}-{}",
                pick("0123456789", 12, 19),
                pick("0123456789", 13, 20),
                pick(ALNUM, 24, 21)
            ),
        ),
        sample(
            "Slack token",
            format!("xoxe.xoxp-1-{}", pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 163, 22)),
        ),
        sample(
            "Discord bot token",
            format!(
                "{}.{}.{}",
                base64(b"734829105563841290"),
                pick(URLSAFE, 6, 23),
                pick(URLSAFE, 38, 24)
            ),
        ),
        sample(
            "Discord bot token",
            format!(
                "{}.{}.{}",
                base64(b"1198347265509183744"),
                pick(URLSAFE, 6, 25),
                pick(URLSAFE, 27, 26)
            ),
        ),
        sample_after(
            db,
            format!("postgres://svc_triage:{password}@db.harborpine.example:5432/triage"),
            "triage:",
        ),
        sample_after(
            db,
            format!("postgresql://app:{password}@10.0.4.12/evals?sslmode=require"),
            "app:",
        ),
        sample_after(
            db,
            format!("mysql://reporting:{password}@mysql.harborpine.example:3306/reports"),
            "reporting:",
        ),
        sample_after(
            db,
            format!("mongodb://ops:{password}@mongo-1.harborpine.example:27017/admin"),
            "ops:",
        ),
        sample_after(
            db,
            format!("mongodb+srv://triage-bot:{password}@cluster0.ab1cd.mongodb.net/prod"),
            "triage-bot:",
        ),
        sample_after(
            db,
            format!("redis://:{password}@cache.harborpine.example:6379/0"),
            "redis://:",
        ),
        sample_after(
            db,
            format!("rediss://default:{password}@cache.harborpine.example:6380"),
            "default:",
        ),
        sample_after(
            db,
            format!("amqp://events:{password}@mq.harborpine.example:5672/%2f"),
            "events:",
        ),
        sample_after(
            db,
            format!("amqps://events:{password}@mq.harborpine.example:5671"),
            "events:",
        ),
        sample_after(
            db,
            "postgres://app:hunter2@localhost:5432/app".to_string(),
            "app:",
        ),
    ]
}

/// The secret itself: from the offset to a URL's `@` or a connection string's `;`.
fn secret_of(s: &Sample) -> String {
    let rest: String = s.value.chars().skip(s.offset).collect();
    let end = rest.find(['@', ';']).unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn every_format_is_found_bare() {
    for s in samples() {
        assert_eq!(
            found(&s.value),
            vec![(1, 1 + s.offset, s.kind)],
            "bare: {}",
            s.value
        );
        let text = format!("Notes.\nUse {} for the nightly job.\n", s.value);
        assert_eq!(
            found(&text),
            vec![(2, 5 + s.offset, s.kind)],
            "in prose: {text}"
        );
    }
}

#[test]
fn every_format_is_found_after_a_key() {
    for s in samples() {
        for (prefix, wrap) in [
            ("KEY=", ""),
            ("export SERVICE_TOKEN=", "\""),
            ("  credentials: ", "'"),
            ("{\"url\": ", "\""),
        ] {
            let text = format!("{prefix}{wrap}{}{wrap}", s.value);
            let column = prefix.chars().count() + wrap.len() + 1 + s.offset;
            assert_eq!(found(&text), vec![(1, column, s.kind)], "{text}");
        }
    }
}

#[test]
fn several_secrets_on_one_line_are_all_reported() {
    let all = samples();
    let mut line = String::from("| ");
    let mut want = Vec::new();
    for s in &all {
        want.push((1, line.chars().count() + 1 + s.offset, s.kind));
        line.push_str(&s.value);
        line.push_str(" | ");
    }
    assert_eq!(found(&line), want);
}

#[test]
fn warnings_never_show_a_whole_secret() {
    for s in samples() {
        let secret = secret_of(&s);
        let text = format!("title = \"x\"\nKEY={} and again {}\n", s.value, s.value);
        let warnings = warnings("static/app.env", &text);
        assert_eq!(warnings.len(), 2, "{text}");
        let shown: String = secret.chars().take(shown(secret.chars().count())).collect();
        for w in &warnings {
            assert_eq!(w.file, "static/app.env");
            assert_eq!(w.line, 2);
            assert!(
                w.message
                    .starts_with(&format!("this looks like a secret ({} `", s.kind)),
                "{}",
                w.message
            );
            assert!(w.message.contains(&format!("`{shown}…`")), "{}", w.message);
            assert!(!w.message.contains(&secret), "{}", w.message);
            let source = w.source_line.as_deref().expect("a source line");
            assert!(!source.contains(&secret), "{source}");
            assert_eq!(
                source.chars().count(),
                text.lines().nth(1).expect("line 2").chars().count(),
                "masking keeps columns"
            );
            let text_form = w.to_text();
            assert!(!text_form.contains(&secret), "{text_form}");
            assert!(text_form.contains(&format!("{shown}***")), "{text_form}");
        }
    }
}

#[test]
fn short_secrets_show_at_most_a_quarter() {
    let w = warnings("f.md", "redis://:Zq8!x@cache.example:6379");
    assert_eq!(w.len(), 1);
    assert_eq!(
        w[0].message,
        "this looks like a secret (database URL with a password `Z…`); remove it and rotate it, content is published"
    );
    assert_eq!(
        w[0].source_line.as_deref(),
        Some("redis://:Z****@cache.example:6379")
    );
}

#[test]
fn private_key_headers_are_shown_unmasked() {
    let header = format!("-----BEGIN OPENSSH PRIVATE {}-----", "KEY");
    let w = warnings("static/id_ed25519", &format!("{header}\nb3BlbnNzaC1rZXk\n"));
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("(private key)"), "{}", w[0].message);
    assert_eq!(w[0].source_line.as_deref(), Some(header.as_str()));
}

#[test]
fn look_alikes_are_not_flagged() {
    let z = |n: usize| "0".repeat(n);
    let lines = [
        // Placeholders of the new formats.
        format!("glpat-{}", "x".repeat(20)),
        "GITLAB_TOKEN=glpat-XXXXXXXXXXX-XXXXXXXX".to_string(),
        "token: glpat-<your-personal-access-token>".to_string(),
        "glpat-personal-access-token".to_string(),
        "GITLAB_TOKEN=glpat-${CI_JOB_TOKEN_VALUE}".to_string(),
        format!("SENDGRID_API_KEY=SG.{}.{}", "x".repeat(22), "x".repeat(43)),
        format!("npm_{}", "x".repeat(36)),
        "NPM_TOKEN={{ secrets.npm_token }}".to_string(),
        "npm_config_registry=https://registry.npmjs.org/".to_string(),
        "npm_package_version, npm_lifecycle_event".to_string(),
        "hf_hub_download(repo_id, filename)".to_string(),
        format!("model = hf_{}", "AutoModelForSequenceClassification"),
        "HF_TOKEN=hf_your_token_goes_here_please".to_string(),
        format!("dop_v1_{}", z(64)),
        format!("shpat_{}", "a".repeat(32)),
        "SHOPIFY_TOKEN=shpat_<your-admin-api-token>".to_string(),
        "pypi-AgEIcHlwaS5vcmc...".to_string(),
        format!("dapi{}", z(32)),
        "dapi-docs, dapi_client, DAPI runtime".to_string(),
        format!("gsk_{}", "X".repeat(52)),
        "GROQ_API_KEY=gsk_...".to_string(),
        "GOCSPX-<client-secret>".to_string(),
        format!("AccountKey={}==", "x".repeat(86)),
        "AccountKey=<storage-account-key>;EndpointSuffix=core.windows.net".to_string(),
        "xoxp-your-user-token".to_string(),
        // Discord-shaped but not a numeric user ID in base64.
        format!(
            "{}.{}.{}",
            base64(b"123456789012345abc"),
            pick(URLSAFE, 6, 90),
            pick(URLSAFE, 30, 91)
        ),
        // Documentation database URLs.
        "postgres://user:password@localhost:5432/db".to_string(),
        "postgresql://USER:PASSWORD@HOST:PORT/DATABASE".to_string(),
        "postgres://postgres:postgres@localhost/postgres".to_string(),
        "postgres://app:mysecretpassword@db:5432/app".to_string(),
        "mysql://root:root@127.0.0.1:3306/app".to_string(),
        "mysql://user:pass@db.example/app".to_string(),
        "mongodb://admin:<password>@cluster0.example.mongodb.net/".to_string(),
        "mongodb+srv://dbUser:dbUserPassword@cluster0.example.mongodb.net/test".to_string(),
        "redis://:${REDIS_PASSWORD}@cache:6379/0".to_string(),
        "redis://default:secret@localhost:6379".to_string(),
        "amqp://guest:guest@localhost:5672/".to_string(),
        "postgres://app:****@db.example/app".to_string(),
        "postgres://app:xxxxxxxx@db.example/app".to_string(),
        "postgres://app:{{ db_password }}@db/app".to_string(),
        "postgres://app:%(password)s@db/app".to_string(),
        "redis://localhost:6379/0".to_string(),
        "postgres://db.harborpine.example:5432/triage".to_string(),
        "postgres://svc_triage@db.harborpine.example/triage".to_string(),
        "mongodb://aaaa:aaaa@db.example".to_string(),
        // Hashes, IDs and encoded data.
        format!("commit {}", pick(HEX, 40, 50)),
        format!("sha256 {}", pick(HEX, 64, 51)),
        format!(
            "image: registry.example/triage@sha256:{}",
            pick(HEX, 64, 52)
        ),
        "run_id: 7c9e6679-7425-40de-944b-e07fc1f90ae7".to_string(),
        format!(
            "integrity=\"sha384-{}\" crossorigin=\"anonymous\"",
            pick(BASE64, 64, 53)
        ),
        format!(
            "<img src=\"data:image/png;base64,iVBORw0KGgo{}=\">",
            pick(BASE64, 3000, 54)
        ),
        format!(
            "background: url(data:image/svg+xml;base64,PHN2ZyB4bWxucz0i{});",
            pick(BASE64, 400, 55)
        ),
        "sk-XXXXXXXXXXXXXXXXXXXXXXXX".to_string(),
        "api_key = \"<your-key>\"".to_string(),
    ];
    for l in &lines {
        assert_eq!(found(l), vec![], "should not flag: {l}");
    }
}

#[test]
fn the_built_in_theme_has_no_secrets() {
    let theme = crate::render::theme::default_theme();
    assert!(!theme.templates.is_empty() && !theme.statics.is_empty());
    for (name, text) in &theme.templates {
        assert_eq!(found(text), vec![], "templates/{name}");
    }
    for (name, bytes) in &theme.statics {
        let text = std::str::from_utf8(bytes).expect("theme static files are text");
        assert_eq!(found(text), vec![], "static/{name}");
    }
}
