//! Likely secrets in every published folder: found, located, never shown whole.

use super::*;

fn aws_key() -> String {
    // Built at run time so the test source holds no key-shaped literal.
    format!("{}{}", "AK", "IAHQZMVRTKPLWNBDJS")
}

fn pem_header() -> String {
    format!("-----BEGIN RSA {} KEY-----", "PRIVATE")
}

fn token_url() -> String {
    format!(
        "https://x.example/hook?token={}",
        "q8Zr4TkP1vXw9LmN2bHc7YdS"
    )
}

fn secret(kind: &str) -> String {
    format!("this looks like a secret ({kind}); remove it and rotate it, content is published")
}

#[test]
fn likely_secrets_in_markdown() {
    // data.md: the body starts at line 8.
    let body = format!(
        "Notes.\nThe old key {} was rotated.\n\n{}\nHook: {}\n",
        aws_key(),
        pem_header(),
        token_url()
    );
    let site = good().section("pack", "data", complete_toml("data"), &body);
    expect_warnings(
        &site,
        &[
            Want(
                "content/pack/data.md",
                9,
                13,
                &secret("AWS access key ID `AKIA…`"),
            ),
            Want("content/pack/data.md", 11, 1, &secret("private key")),
            Want(
                "content/pack/data.md",
                12,
                36,
                &secret("token in a URL `q8Zr…`"),
            ),
        ],
    );
}

#[test]
fn likely_secrets_in_front_matter_values() {
    let toml = complete_toml("data").replace("Gateway logs in the warehouse", &token_url());
    let site = good().section("pack", "data", &toml, "");
    expect_warnings(
        &site,
        &[Want(
            "content/pack/data.md",
            6,
            43,
            &secret("token in a URL `q8Zr…`"),
        )],
    );
}

#[test]
fn likely_secrets_in_jsonl() {
    let cases = jsonl_cases(20)
        + &format!("{{\"id\": \"s1\", \"input\": \"{}\"}}\n", aws_key())
        + &format!("{{\"id\": \"s2\", \"input\": \"{}\"}}\n", token_url());
    let site = good().file("content/pack/evals/cases.jsonl", &cases);
    expect_warnings(
        &site,
        &[
            Want(
                "content/pack/evals/cases.jsonl",
                21,
                24,
                &secret("AWS access key ID `AKIA…`"),
            ),
            Want(
                "content/pack/evals/cases.jsonl",
                22,
                53,
                &secret("token in a URL `q8Zr…`"),
            ),
        ],
    );
}

#[test]
fn no_warning_for_phone_numbers_and_emails() {
    let body = concat!(
        "Call Priya on +1 555 0100 or +44 20 7946 0958, or mail dana@acme.example.\n",
        "[Mail Dana](mailto:dana.ortiz@acme.example), [call](tel:+15550100).\n",
        "Dashboard: https://grafana.acme.example/d/triage?orgId=1&from=now-7d\n",
    );
    let site = good()
        .section("pack", "data", complete_toml("data"), body)
        .file(
            "content/pack/evals/cases.jsonl",
            &(jsonl_cases(20)
                + "{\"id\": \"p\", \"input\": \"call +1 555 0100, mail sam.lee@acme.example\"}\n"),
        );
    expect_clean(&site);
}

#[test]
fn likely_secrets_in_other_text_files() {
    let pem = format!("{}\nMIIEowIBAAKCAQEA\n", pem_header());
    let site = good().file("content/pack/keys/notes.txt", &pem).file(
        "content/pack/evals/extra.csv",
        &format!("id,input\nc1,{}\n", aws_key()),
    );
    expect_warnings(
        &site,
        &[
            Want(
                "content/pack/evals/extra.csv",
                2,
                4,
                &secret("AWS access key ID `AKIA…`"),
            ),
            Want("content/pack/keys/notes.txt", 1, 1, &secret("private key")),
        ],
    );
}

#[test]
fn private_key_files_are_flagged() {
    let pem = format!("{}\nMIIEowIBAAKCAQEA\n", pem_header());
    let site = good()
        .file("content/pack/keys/deploy.pem", &pem)
        .file("content/pack/keys/service.key", &pem)
        .file("content/pack/keys/id_rsa", &pem);
    expect_warnings(
        &site,
        &[
            Want("content/pack/keys/deploy.pem", 1, 1, &secret("private key")),
            Want("content/pack/keys/id_rsa", 1, 1, &secret("private key")),
            Want(
                "content/pack/keys/service.key",
                1,
                1,
                &secret("private key"),
            ),
        ],
    );
}

/// `n` chars of `alphabet` from a fixed-seed generator: varied and the same every run.
fn pick(alphabet: &str, n: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut state = seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1;
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
const HEX: &str = "0123456789abcdef";
const DIGITS: &str = "0123456789";

/// A credential as it is written: `before`, the secret itself, `after`.
struct Leak {
    kind: &'static str,
    before: String,
    secret: String,
    after: String,
}

impl Leak {
    fn new(kind: &'static str, secret: String) -> Leak {
        Leak::around(kind, "", secret, "")
    }

    fn around(kind: &'static str, before: &str, secret: String, after: &str) -> Leak {
        Leak {
            kind,
            before: before.to_string(),
            secret,
            after: after.to_string(),
        }
    }

    fn value(&self) -> String {
        format!("{}{}{}", self.before, self.secret, self.after)
    }

    /// The warning's message: the kind and at most the first four chars of the secret.
    fn message(&self) -> String {
        let n = self.secret.chars().count();
        let shown: String = self.secret.chars().take((n / 4).min(4)).collect();
        secret(&format!("{} `{shown}…`", self.kind))
    }
}

/// Standard base64 of ASCII digits, without padding: the first part of a Discord bot token.
fn base64_digits(digits: &str) -> String {
    let table: Vec<char> = format!("{}{}+/", &ALNUM[..52], DIGITS).chars().collect();
    let mut out = String::new();
    for chunk in digits.as_bytes().chunks(3) {
        let b = |i: usize| u32::from(*chunk.get(i).unwrap_or(&0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        for i in 0..=chunk.len() {
            out.push(table[((n >> (18 - 6 * i)) & 63) as usize]);
        }
    }
    out
}

/// One realistic fake credential of each newly covered format.
fn leaks() -> Vec<Leak> {
    let db = "database URL with a password";
    let pw = || pick(ALNUM, 16, 77);
    vec![
        Leak::new("GitLab token", format!("glpat-{}", pick(URLSAFE, 20, 1))),
        Leak::new(
            "SendGrid API key",
            format!("SG.{}.{}", pick(URLSAFE, 22, 2), pick(URLSAFE, 43, 3)),
        ),
        Leak::new("npm token", format!("npm_{}", pick(ALNUM, 36, 4))),
        Leak::new(
            "Hugging Face token",
            format!("hf_{}", pick(&ALNUM[..52], 34, 5)),
        ),
        Leak::new("DigitalOcean token", format!("dop_v1_{}", pick(HEX, 64, 6))),
        Leak::new("Shopify token", format!("shpat_{}", pick(HEX, 32, 7))),
        Leak::new(
            "PyPI token",
            format!("pypi-AgEIcHlwaS5vcmc{}", pick(URLSAFE, 64, 8)),
        ),
        Leak::new("Databricks token", format!("dapi{}", pick(HEX, 32, 9))),
        Leak::new("Groq API key", format!("gsk_{}", pick(ALNUM, 52, 10))),
        Leak::new(
            "Google OAuth client secret",
            format!("GOCSPX-{}", pick(URLSAFE, 28, 11)),
        ),
        Leak::around(
            "Azure storage account key",
            "DefaultEndpointsProtocol=https;AccountName=acmeevals;AccountKey=",
            format!("{}==", pick(&format!("{ALNUM}+/"), 86, 12)),
            ";EndpointSuffix=core.windows.net",
        ),
        Leak::new(
            "Slack token",
            format!(
                "xoxp-{}-{}-{}-{}",
                pick(DIGITS, 12, 13),
                pick(DIGITS, 12, 14),
                pick(DIGITS, 13, 15),
                pick(HEX, 32, 16)
            ),
        ),
        Leak::new("Slack token", format!("xoxa-2-{}", pick(ALNUM, 40, 17))),
        Leak::new(
            "Discord bot token",
            format!(
                "{}.{}.{}",
                base64_digits("912273650048813056"),
                pick(URLSAFE, 6, 18),
                pick(URLSAFE, 38, 19)
            ),
        ),
        Leak::around(db, "postgres://evals:", pw(), "@pg.acme.example:5432/evals"),
        Leak::around(db, "mysql://tickets:", pw(), "@mysql.acme.example/tickets"),
        Leak::around(
            db,
            "mongodb+srv://triage:",
            pw(),
            "@cluster0.x1y2z.mongodb.net/prod",
        ),
        Leak::around(db, "redis://:", pw(), "@cache.acme.example:6379/0"),
        Leak::around(db, "amqp://events:", pw(), "@mq.acme.example:5672/%2f"),
    ]
}

/// A file with every leak twice: bare on one line, after `KEY=` on the next; the
/// warnings it must give.
fn leaky_file(file: &str) -> (String, Vec<(String, u64, u64, String)>) {
    let mut text = String::new();
    let mut wants = Vec::new();
    for (i, leak) in leaks().iter().enumerate() {
        let line = 2 * i as u64 + 1;
        let col = leak.before.chars().count() as u64 + 1;
        text.push_str(&format!("{}\nKEY={}\n", leak.value(), leak.value()));
        wants.push((file.to_string(), line, col, leak.message()));
        wants.push((file.to_string(), line + 1, col + 4, leak.message()));
    }
    (text, wants)
}

/// The default theme's templates copied into `themes/<name>/templates/` of `site`.
fn with_theme_copy(site: SiteBuilder, name: &str) -> SiteBuilder {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let mut site = site.file("site.toml", &format!("{SITE_TOML}theme = \"{name}\"\n"));
    for entry in walk_files(&from) {
        let rel = entry.strip_prefix(&from).expect("under templates");
        let text = std::fs::read_to_string(&entry).expect("a template");
        site = site.file(
            &format!("themes/{name}/templates/{}", rel.to_string_lossy()),
            &text,
        );
    }
    site
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn every_new_format_is_found_in_every_published_folder() {
    let files = [
        "content/pack/deploy.env",
        "static/js/config.js",
        "templates/leaked.txt",
        "themes/brand/static/brand.css",
    ];
    let mut site = with_theme_copy(good(), "brand");
    let mut all = Vec::new();
    for file in files {
        let (text, wants) = leaky_file(file);
        site = site.file(file, &text);
        all.extend(wants);
    }
    let wants: Vec<Want> = all.iter().map(|(f, l, c, m)| Want(f, *l, *c, m)).collect();
    expect_warnings(&site, &wants);

    // Neither output ever holds a whole secret, and text output masks the source line.
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let (json, _) = site.check_json(&[]);
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    let github = site.run(&["check", "--format", "github"]);
    assert!(
        github
            .stdout
            .lines()
            .any(|l| l.starts_with("::warning file=static/js/config.js,line=2,col=5::")),
        "{}",
        github.stdout
    );
    for leak in leaks() {
        for (what, out) in [
            ("build stderr", &build.stderr),
            ("check --format github", &github.stdout),
            ("check stderr", &check.stderr),
            ("check stdout", &check.stdout),
            ("check --format json", &json.stdout),
            ("check --format json stderr", &json.stderr),
        ] {
            assert!(
                !out.contains(&leak.secret),
                "{what} shows a whole {}: {out}",
                leak.kind
            );
        }
    }
    let first = &leaks()[0];
    let masked = format!(
        "{}{}",
        &first.secret[..4],
        "*".repeat(first.secret.len() - 4)
    );
    assert_text_diag(
        &check.stderr,
        "warning",
        "static/js/config.js",
        2,
        5,
        &first.message(),
        &format!("KEY={masked}"),
    );
}

#[test]
fn several_secrets_on_one_line_each_get_a_warning() {
    let leaks = leaks();
    let line = format!(
        "old: {} {} {}\n",
        leaks[0].value(),
        leaks[2].value(),
        leaks[14].value()
    );
    let col2 = 6 + leaks[0].value().chars().count() as u64 + 1;
    let col3 = col2 + leaks[2].value().chars().count() as u64 + 1 + 17;
    let site = good().file("static/notes.txt", &line);
    expect_warnings(
        &site,
        &[
            Want("static/notes.txt", 1, 6, &leaks[0].message()),
            Want("static/notes.txt", 1, col2, &leaks[2].message()),
            Want("static/notes.txt", 1, col3, &leaks[14].message()),
        ],
    );
}

#[test]
fn binary_and_unpublished_files_are_not_scanned() {
    let (text, _) = leaky_file("x");
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe];
    png.extend_from_slice(text.as_bytes());
    let site = good();
    site.write("static/img/logo.png", &png);
    // Editor temp files are not published.
    let site = site
        .file("static/app.js~", &text)
        .file("templates/.base.html.swp", &text);
    expect_clean(&site);
}

#[test]
fn hidden_files_of_static_are_published_so_they_are_scanned() {
    // `static/` is copied verbatim, `.well-known/` and `.env` alike: a leaked `.env`
    // would be served to anyone, so it is scanned like any other published file.
    let (text, wants) = leaky_file("static/.env");
    let site = good().file("static/.env", &text);
    let wants: Vec<Want> = wants
        .iter()
        .map(|(f, l, c, m)| Want(f, *l, *c, m))
        .collect();
    expect_warnings(&site, &wants);
    assert!(
        site.join("public/.env").is_file(),
        "static/.env is published"
    );
}

#[test]
fn the_example_site_has_no_secret_warning() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run_in(
        std::path::Path::new(root),
        &[
            "--root", root, "--today", TODAY, "check", "--format", "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let found: Vec<Diag> = diags(&json)
        .into_iter()
        .filter(|d| d.message.starts_with("this looks like a secret"))
        .collect();
    assert_eq!(found, vec![]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn look_alikes_in_published_folders_give_no_warning() {
    let hex64: String = pick(HEX, 64, 30);
    let lines = [
        "DATABASE_URL=postgres://user:password@localhost:5432/app".to_string(),
        "REDIS_URL=redis://:${REDIS_PASSWORD}@cache:6379".to_string(),
        "AMQP_URL=amqp://guest:guest@localhost:5672/".to_string(),
        "MONGO_URL=mongodb://admin:<password>@cluster0.example.mongodb.net/".to_string(),
        format!("GITLAB_TOKEN=glpat-{}", "x".repeat(20)),
        "OPENAI_API_KEY=sk-XXXXXXXXXXXXXXXXXXXXXXXX".to_string(),
        "api_key = \"<your-key>\"".to_string(),
        "token = \"{{ secret }}\"".to_string(),
        format!("image = \"registry.acme.example/triage@sha256:{hex64}\""),
        format!("commit = \"{}\"", &hex64[..40]),
        "run_id = \"7c9e6679-7425-40de-944b-e07fc1f90ae7\"".to_string(),
        format!(
            "<img alt=\"\" src=\"data:image/png;base64,iVBORw0KGgo{}=\">",
            pick(&format!("{ALNUM}+/"), 2000, 31)
        ),
    ];
    let text = lines.join("\n") + "\n";
    let site = good()
        .file("static/docs/setup.md", &text)
        .file("templates/setup-notes.txt", &text)
        .file("content/pack/setup.env", &text);
    expect_clean(&site);
}

#[cfg(unix)]
#[test]
fn a_symlinked_static_file_is_scanned_as_it_is_published() {
    // The loader follows a symlink that stays inside the site, so the scan must too.
    let (text, wants) = leaky_file("static/config.js");
    let site = good().file("notes/config.js", &text);
    std::fs::create_dir_all(site.join("static")).expect("static/");
    std::os::unix::fs::symlink(site.join("notes/config.js"), site.join("static/config.js"))
        .expect("a symlink");
    let wants: Vec<Want> = wants
        .iter()
        .map(|(f, l, c, m)| Want(f, *l, *c, m))
        .collect();
    expect_warnings(&site, &wants);
    assert!(
        site.join("public/config.js").is_file(),
        "the link is published"
    );
}

#[test]
fn an_error_on_a_line_holding_a_secret_shows_the_line_masked() {
    // A TOML syntax error on the line that holds the token: the error's source line,
    // printed under it, must not publish the token to a terminal or a CI log.
    let toml = complete_toml("data").replace(
        "\"Gateway logs in the warehouse\"",
        &format!("\"{}\" and more", token_url()),
    );
    let site = good().section("pack", "data", &toml, "");
    let out = site.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let token = token_url();
    let secret = token.rsplit('=').next().unwrap_or_default();
    assert!(
        out.stderr.contains("error: content/pack/data.md:6:"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(secret), "{}", out.stderr);
    // The line is still shown, the token's first characters and its length kept.
    let masked = format!("token={}{}", &secret[..4], "*".repeat(secret.len() - 4));
    assert!(out.stderr.contains(&masked), "{}", out.stderr);
}
