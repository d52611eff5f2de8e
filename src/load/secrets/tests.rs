//! Tests of the secret scan: what it finds, where it says it is, and what it leaves alone.

use super::*;

/// A deterministic, obviously fake but correctly shaped value of `n` chars.
fn fake(n: usize) -> String {
    "Q7fZ2mK9vR4tW8pL3nB6hD1jS5gC0yT"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// `(line, column, kind)` of every finding.
pub(super) fn found(text: &str) -> Vec<(usize, usize, &'static str)> {
    scan(text)
        .iter()
        .map(|f| (f.line, f.column, f.kind))
        .collect()
}

fn one(text: &str, line: usize, column: usize, kind: &'static str) {
    assert_eq!(found(text), vec![(line, column, kind)], "text: {text:?}");
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
    one(
        &format!("dsn = \"{url}\""),
        1,
        32,
        "database URL with a password",
    );
    let url = format!("https://deploy:{}@git.harborpine.example/ops.git", fake(12));
    one(&format!("remote: {url}"), 1, 24, "password in a URL");
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
fn specific_and_generic_on_one_line_are_both_reported() {
    let text = format!("api_key = \"x{}\" gh=ghp_{}", fake(20), fake(36));
    assert_eq!(
        found(&text),
        vec![(1, 12, "secret assignment"), (1, 38, "GitHub token")]
    );
}

#[test]
fn specific_kind_beats_generic_on_the_same_value() {
    one(&format!("token = ghp_{}", fake(36)), 1, 9, "GitHub token");
    one(
        &format!("OPENAI_API_KEY=\"sk-{}\"", fake(48)),
        1,
        17,
        "OpenAI API key",
    );
}

#[test]
fn every_finding_per_line_in_order() {
    let text = format!(
        "AKIA{a} AKIA{a}\nplain\nxoxp-{b}\n",
        a = "Z".repeat(16),
        b = fake(20)
    );
    let lines: Vec<(usize, usize)> = scan(&text).iter().map(|f| (f.line, f.column)).collect();
    assert_eq!(lines, vec![(1, 1), (1, 22), (3, 1)]);
}

#[test]
fn crlf_line_endings() {
    let text = format!(
        "title = \"x\"\r\nid = AKIA{}\r\npassword={}\r\n",
        "Z".repeat(16),
        fake(20)
    );
    assert_eq!(
        found(&text),
        vec![(2, 6, "AWS access key ID"), (3, 10, "secret assignment")]
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

#[test]
fn two_kinds_of_secret_in_one_file_are_both_reported() {
    let text = format!(
        "+++\ntitle = \"Deploys\"\n+++\nThe old key AKIA{} is revoked.\n\nClone with https://deploy:{}@git.harborpine.example/ops.git\n",
        "Z".repeat(16),
        fake(12)
    );
    assert_eq!(
        found(&text),
        vec![(4, 13, "AWS access key ID"), (6, 27, "password in a URL")]
    );
}

#[test]
fn a_clean_file_tries_no_pattern() {
    let scanner = &*SCANNER;
    // No literal that announces a rule: one pass of the automaton, no pattern tried.
    let clean = "+++\ndri = \"Dana Ortiz <dana@acme.example>\"\nincident_owner = \"Priya N. <+1 555 0100>\"\n+++\n\nThe gateway redacts personal data before a model sees it.\n";
    assert!(scanner.candidates(clean).is_empty());
    assert_eq!(scan(clean), vec![]);
    // A word that announces a rule sends that line alone to the rules it announces.
    let text = format!("{clean}Rotate the signing key monthly.\nNothing else.\n");
    let candidates = scanner.candidates(&text);
    assert_eq!(candidates.keys().copied().collect::<Vec<_>>(), [6]);
    let rules = candidates.get(&6).copied().unwrap_or(0);
    let tried: Vec<&str> = (scanner.rules.iter().enumerate())
        .filter(|(i, _)| rules & (1 << i) != 0)
        .map(|(_, r)| r.kind)
        .collect();
    assert_eq!(tried, ["secret assignment"]);
    assert_eq!(scan(&text), vec![]);
}
