//! Test helpers: a small site in a temporary folder, the built binary, and parsed output.

use scraper::{Html, Selector};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-26";
pub const BASE: &str = "/ai-packs/";
pub const SITE_TOML: &str =
    "title = \"Acme AI rollout packs\"\nbase_url = \"https://acme.github.io/ai-packs\"\n";

/// Whether an `href`/`src` points into the built site (not an in-page anchor, another
/// host, or a mail, phone or data URL).
pub fn is_site_link(v: &str) -> bool {
    !["#", "mailto:", "tel:", "data:", "https://", "http://"]
        .iter()
        .any(|p| v.starts_with(p))
}

/// The nine section stems, in pack order.
pub const STEMS: [&str; 9] = [
    "workflow",
    "accountability",
    "data",
    "evaluation",
    "operability",
    "incident",
    "rollout",
    "models",
    "rhythm",
];

/// The 39 counted fields by section, in schema order.
pub const FIELDS: [(&str, &[&str]); 9] = [
    (
        "workflow",
        &[
            "name",
            "primary_user",
            "trigger",
            "output",
            "human_in_the_loop",
            "hard_stops",
        ],
    ),
    (
        "accountability",
        &[
            "dri",
            "platform_owner",
            "security_owner",
            "data_owner",
            "incident_owner",
        ],
    ),
    (
        "data",
        &[
            "sources",
            "permission_model",
            "redaction_rules",
            "retention_policy",
            "audit_log",
        ],
    ),
    (
        "evaluation",
        &["eval_set", "acceptance_criteria", "release_gate"],
    ),
    (
        "operability",
        &[
            "central_gateway",
            "tracing",
            "budget_alerts",
            "cost_attribution",
            "kill_switch",
            "kill_switch_how",
        ],
    ),
    (
        "incident",
        &[
            "incident_definition",
            "immediate_actions",
            "paging",
            "comms_plan",
            "review_owner",
            "review_format",
        ],
    ),
    (
        "rollout",
        &["phases", "dashboards", "daily_checks", "escalation_path"],
    ),
    ("models", &["approved", "routing_rule", "fallback"]),
    ("rhythm", &["reviews"]),
];

pub fn fields_of(stem: &str) -> &'static [&'static str] {
    FIELDS
        .iter()
        .find(|(s, _)| *s == stem)
        .map(|(_, f)| *f)
        .expect("a section stem")
}

/// A front-matter file: `+++`, the TOML, `+++`, the body.
pub fn md(toml: &str, body: &str) -> String {
    format!("+++\n{toml}+++\n{body}")
}

/// The front-matter TOML of each section of a complete pack (every field filled).
pub fn complete_toml(stem: &str) -> &'static str {
    match stem {
        "workflow" => concat!(
            "name = \"Support triage\"\n",
            "primary_user = \"Support agents\"\n",
            "trigger = \"A new ticket arrives\"\n",
            "output = \"A suggested queue and priority\"\n",
            "human_in_the_loop = \"The agent confirms the queue\"\n",
            "hard_stops = [\"Never close a ticket\", \"Never reply to a customer\"]\n",
        ),
        "accountability" => concat!(
            "dri = \"Dana Ortiz <dana@acme.example>\"\n",
            "platform_owner = \"Pat Kim <pat@acme.example>\"\n",
            "security_owner = \"Sam Lee <@slee>\"\n",
            "data_owner = \"Dee Roy <dee@acme.example>\"\n",
            "incident_owner = \"Priya N. <+1 555 0100>\"\n",
        ),
        "data" => concat!(
            "sources = [\"Zendesk tickets\", \"Help centre articles\"]\n",
            "permission_model = \"The agent's own ticket access\"\n",
            "redaction_rules = \"Card numbers masked before the model call\"\n",
            "retention_policy = \"30 days\"\n",
            "audit_log = \"Gateway logs in the warehouse\"\n",
        ),
        "evaluation" => concat!(
            "eval_set = \"evals/cases.jsonl\"\n",
            "acceptance_criteria = [\"The queue is right\"]\n",
            "release_gate = [{ metric = \"accuracy\", min = 0.9 }]\n",
            "results = \"evals/results.jsonl\"\n",
        ),
        "operability" => concat!(
            "central_gateway = true\n",
            "tracing = true\n",
            "budget_alerts = true\n",
            "cost_attribution = true\n",
            "kill_switch = true\n",
            "kill_switch_how = \"Turn off the triage flag in the flag console\"\n",
        ),
        "incident" => concat!(
            "incident_definition = [\"A ticket routed to the wrong team\"]\n",
            "immediate_actions = [\"Flip the kill switch\", \"Tell the support lead\"]\n",
            "paging = [\"Priya N. <+1 555 0100>\"]\n",
            "comms_plan = \"Post in the support channel\"\n",
            "review_owner = \"Dana Ortiz\"\n",
            "review_format = \"Blameless review within five days\"\n",
        ),
        "rollout" => concat!(
            "dashboards = [\"Triage quality board\"]\n",
            "daily_checks = [\"Wrong-queue rate\"]\n",
            "escalation_path = \"Dana, then the support director\"\n",
            "\n[[phases]]\n",
            "name = \"Dogfood\"\n",
            "audience = \"The support team\"\n",
            "criteria = \"Two weeks without a wrong queue\"\n",
            "feedback_channel = \"The triage feedback channel\"\n",
            "status = \"active\"\n",
        ),
        "models" => concat!(
            "approved = [\"acme/small-2\"]\n",
            "routing_rule = \"The cheapest model that passes the gate\"\n",
            "fallback = \"Tickets go to the manual queue\"\n",
        ),
        "rhythm" => concat!(
            "[[reviews]]\n",
            "date = 2026-11-20\n",
            "eval_regressions = \"None\"\n",
            "failure_modes = \"Billing tickets sent to sales\"\n",
            "cost_anomalies = \"None\"\n",
            "next_change = \"Add billing examples\"\n",
        ),
        other => panic!("no section {other}"),
    }
}

/// `n` eval cases, one JSON object a line.
pub fn jsonl_cases(n: usize) -> String {
    (1..=n)
        .map(|i| format!("{{\"id\": \"case-{i}\", \"input\": \"ticket {i}\"}}\n"))
        .collect()
}

/// A results line.
pub fn run_line(date: &str, model: &str, metrics: &str) -> String {
    format!("{{\"date\": \"{date}\", \"model\": \"{model}\", \"cost\": 0.42, \"metrics\": {{{metrics}}}}}\n")
}

#[derive(Debug, Clone)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub severity: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl Diag {
    /// An error at `file:line:column` with exactly this message.
    pub fn error(file: &str, line: u64, column: u64, message: &str) -> Self {
        Diag {
            severity: "error".into(),
            file: file.into(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// A site in a temporary folder, built up file by file: the fixture every test starts from.
pub struct SiteBuilder {
    pub dir: TempDir,
}

impl SiteBuilder {
    /// A site with `site.toml` (title and base_url) and nothing else.
    pub fn new() -> Self {
        SiteBuilder::empty().file("site.toml", SITE_TOML)
    }

    /// A site (`site.toml` only) in a new temporary folder inside `parent`.
    pub fn new_in(parent: &Path) -> Self {
        SiteBuilder {
            dir: tempfile::tempdir_in(parent).expect("a temp dir"),
        }
        .file("site.toml", SITE_TOML)
    }

    /// An empty temporary folder.
    pub fn empty() -> Self {
        SiteBuilder {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating its folders), replacing any earlier one.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text.as_bytes());
        self
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        fs::write(&path, bytes).expect("write");
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// All nine sections filled, 25 eval cases, and a passing latest run.
    pub fn complete_pack(self, slug: &str) -> Self {
        for stem in STEMS {
            self.write(
                &format!("content/{slug}/{stem}.md"),
                md(complete_toml(stem), "Notes.\n").as_bytes(),
            );
        }
        self.write(
            &format!("content/{slug}/evals/cases.jsonl"),
            jsonl_cases(25).as_bytes(),
        );
        let results = run_line("2026-11-10", "acme/small-2", "\"accuracy\": 0.91")
            + &run_line("2026-11-20", "acme/small-2", "\"accuracy\": 0.95");
        self.write(
            &format!("content/{slug}/evals/results.jsonl"),
            results.as_bytes(),
        );
        self
    }

    /// Replaces one section file of a pack with the given front-matter and body.
    pub fn section(self, slug: &str, stem: &str, toml: &str, body: &str) -> Self {
        self.file(&format!("content/{slug}/{stem}.md"), &md(toml, body))
    }

    /// Runs the binary with `--root <site> --today 2026-11-26` and `args`.
    pub fn run(&self, args: &[&str]) -> Out {
        self.run_at(TODAY, args)
    }

    /// Runs the binary with `--root <site> --today <today>` and `args`.
    pub fn run_at(&self, today: &str, args: &[&str]) -> Out {
        let mut all: Vec<&str> = vec![
            "--root",
            self.path().to_str().expect("utf-8 path"),
            "--today",
            today,
        ];
        all.extend_from_slice(args);
        run_in(self.path(), &all)
    }

    pub fn build(&self) -> Out {
        self.run(&["build"])
    }

    /// Builds and asserts success.
    pub fn build_ok(&self) -> Out {
        let out = self.build();
        assert_eq!(out.code, 0, "build failed:\n{}", out.stderr);
        out
    }

    /// `check --format json`, parsed.
    pub fn check_json(&self, extra: &[&str]) -> (Out, Value) {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let json = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "check --format json printed no JSON ({e}):\n{}\n{}",
                out.stdout, out.stderr
            )
        });
        (out, json)
    }

    /// The diagnostics of `check --format json`, with its exit code.
    pub fn diags(&self) -> (i32, Vec<Diag>) {
        let (out, json) = self.check_json(&[]);
        (out.code, diags(&json))
    }

    /// The errors of `check --format json` (warnings left out), asserting it exits 1.
    pub fn errors(&self) -> Vec<Diag> {
        let (code, all) = self.diags();
        let errors = of_severity(&all, "error");
        assert_eq!(code, 1, "check exits 1 on errors: {all:?}");
        errors
    }

    /// `public/<rel>` as parsed HTML (`rel` such as `pack/data/index.html`).
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(&format!("public/{rel}")))
    }

    /// The page at a URL path under the base (`pack/data/` or `/pack/data/` →
    /// `public/pack/data/index.html`), parsed.
    pub fn page(&self, url_path: &str) -> Html {
        let rel = url_path.trim_start_matches('/');
        self.html(&format!("{rel}index.html"))
    }

    /// `public/status.json`, parsed.
    pub fn status(&self) -> Value {
        serde_json::from_str(&self.read("public/status.json")).expect("status.json is JSON")
    }
}

/// Runs the binary in `cwd` with exactly `args` (ROLLBOOK_TODAY removed).
pub fn run_in(cwd: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args(args)
        .current_dir(cwd)
        .env_remove("ROLLBOOK_TODAY")
        .output()
        .expect("run rollbook");
    Out {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn diags(json: &Value) -> Vec<Diag> {
    json["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .map(|d| Diag {
            severity: d["severity"].as_str().expect("severity").to_string(),
            file: d["file"].as_str().expect("file").to_string(),
            line: d["line"].as_u64().expect("line"),
            column: d["column"].as_u64().expect("column"),
            message: d["message"].as_str().expect("message").to_string(),
        })
        .collect()
}

pub fn of_severity(diags: &[Diag], severity: &str) -> Vec<Diag> {
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .cloned()
        .collect()
}

/// The one pack of `status` with `slug`.
pub fn pack<'a>(status: &'a Value, slug: &str) -> &'a Value {
    status["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["slug"] == slug)
        .unwrap_or_else(|| panic!("no pack {slug} in {status}"))
}

/// `(completeness, missing)` of one section of a pack in status.json.
pub fn section_status(pack: &Value, stem: &str) -> (u64, Vec<String>) {
    let s = pack["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == stem)
        .unwrap_or_else(|| panic!("no section {stem}"));
    let missing = s["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|m| m.as_str().expect("str").to_string())
        .collect();
    (s["completeness"].as_u64().expect("completeness"), missing)
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// Every element matching `selector`.
pub fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&sel(selector)).collect()
}

/// The one element matching `selector`.
pub fn one<'a>(html: &'a Html, selector: &str) -> scraper::ElementRef<'a> {
    let all = select(html, selector);
    assert_eq!(
        all.len(),
        1,
        "expected one `{selector}`, found {}",
        all.len()
    );
    all[0]
}

/// Every element under `root` matching `selector`.
pub fn select_in<'a>(
    root: scraper::ElementRef<'a>,
    selector: &str,
) -> Vec<scraper::ElementRef<'a>> {
    root.select(&sel(selector)).collect()
}

/// The one element under `root` matching `selector`.
pub fn one_in<'a>(root: scraper::ElementRef<'a>, selector: &str) -> scraper::ElementRef<'a> {
    let all = select_in(root, selector);
    assert_eq!(
        all.len(),
        1,
        "expected one `{selector}` in {}, found {}",
        root.html(),
        all.len()
    );
    all[0]
}

/// The `href` of every element under `root` matching `selector`.
pub fn hrefs(root: scraper::ElementRef, selector: &str) -> Vec<String> {
    root.select(&sel(selector))
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_string)
        .collect()
}

/// Whether `e` carries the class `class`.
pub fn has_class(e: &scraper::ElementRef, class: &str) -> bool {
    e.value().classes().any(|c| c == class)
}

/// An element's text, whitespace collapsed.
pub fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A heading's text without its permalink's `#`, whitespace collapsed.
pub fn heading_text(h: &scraper::ElementRef) -> String {
    let words: String = h
        .descendants()
        .filter(|n| {
            !n.ancestors()
                .filter_map(scraper::ElementRef::wrap)
                .any(|a| has_class(&a, "permalink"))
        })
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts the text form of a diagnostic: `<severity>: <file>:<line>:<col>: <message>`,
/// then ` |`, `<line> | <source>` and a caret under the column.
pub fn assert_text_diag(
    stderr: &str,
    severity: &str,
    file: &str,
    line: u64,
    col: u64,
    message: &str,
    source: &str,
) {
    let header = format!("{severity}: {file}:{line}:{col}: {message}");
    let lines: Vec<&str> = stderr.lines().collect();
    let i = lines
        .iter()
        .position(|l| *l == header)
        .unwrap_or_else(|| panic!("no line `{header}` in:\n{stderr}"));
    let num = line.to_string();
    let pad = " ".repeat(num.len());
    assert_eq!(
        lines.get(i + 1).copied(),
        Some(format!("{pad} |").as_str()),
        "{stderr}"
    );
    assert_eq!(
        lines.get(i + 2).copied(),
        Some(format!("{num} | {source}").as_str()),
        "{stderr}"
    );
    let caret = format!(
        "{pad} | {}^",
        " ".repeat(usize::try_from(col).expect("col") - 1)
    );
    assert_eq!(lines.get(i + 3).copied(), Some(caret.as_str()), "{stderr}");
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Everything under `dir`, symlinks not followed: each file by relative path with its
/// bytes, each folder as `path/` and each symlink as `path -> target`.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display())) {
            let p = e.expect("entry").path();
            let rel = p
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            let meta = fs::symlink_metadata(&p).expect("metadata");
            if meta.file_type().is_symlink() {
                let to = fs::read_link(&p).expect("read_link");
                out.insert(format!("{rel} -> {}", to.display()), Vec::new());
            } else if meta.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else {
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Asserts two [`tree`]s are equal, naming every path added, removed or changed.
pub fn assert_same_tree(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let mut diffs = Vec::new();
    for (path, bytes) in before {
        match after.get(path) {
            None => diffs.push(format!("removed {path}")),
            Some(b) if b != bytes => diffs.push(format!("changed {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        diffs.push(format!("added {path}"));
    }
    assert!(diffs.is_empty(), "{what}:\n{}", diffs.join("\n"));
}

/// A person on the owners pages, as a reader finds them: listed on `/owners/`, then
/// followed to their entry on their letter's page.
#[derive(Debug, Clone)]
pub struct OwnerSeen {
    /// The name, as `/owners/` lists it and as the entry is headed.
    pub name: String,
    /// The words beside the name on `/owners/`: the roles held and in how many packs.
    pub summary: String,
    /// The letter page the entry is on, e.g. `owners/d/`.
    pub page: String,
    /// The `href` of each linked contact.
    pub links: Vec<String>,
    /// Every contact's text, linked or not.
    pub contacts: Vec<String>,
    /// Each role, with every pack it is held in as (pack name, URL of the answer).
    pub roles: Vec<(String, Vec<(String, String)>)>,
}

/// Everyone on the owners pages of a built site, in the order `/owners/` lists them.
/// Asserts every link resolves to one entry and every entry of every letter page is
/// listed on `/owners/`.
pub fn owners_seen(site: &SiteBuilder) -> Vec<OwnerSeen> {
    let index = site.page("owners/");
    let mut pages: std::collections::BTreeMap<String, Html> = std::collections::BTreeMap::new();
    for href in select(&index, "main nav.letters a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
    {
        let page = href
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{href}: a letter page"));
        pages.insert(page.to_string(), site.page(page));
    }
    let mut out = Vec::new();
    for li in select(&index, "main ul.owners-index > li") {
        let a = one_in(li, "a");
        let href = a
            .value()
            .attr("href")
            .expect("a person links to their entry");
        let (page, id) = href
            .strip_prefix(BASE)
            .and_then(|h| h.split_once('#'))
            .unwrap_or_else(|| panic!("{href}: an entry on a letter page"));
        let html = pages
            .get(page)
            .unwrap_or_else(|| panic!("{page}: a letter page in the letters of /owners/"));
        let entry = one(html, &format!("main ul.owners > li[id=\"{id}\"]"));
        let name = heading_text(&one_in(entry, "h2"));
        assert_eq!(text(&a), name, "/owners/ and the entry name one person");
        let summary = text(&one_in(li, ".muted"));
        let links = hrefs(entry, ".contacts a.contact");
        let contacts = select_in(entry, ".contacts .contact")
            .iter()
            .map(text)
            .collect();
        let roles = select_in(entry, "ul.roles > li")
            .iter()
            .map(|r| {
                let packs = select_in(*r, "a")
                    .iter()
                    .map(|a| (text(a), a.value().attr("href").unwrap_or("").to_string()))
                    .collect();
                (text(&one_in(*r, ".role")), packs)
            })
            .collect();
        out.push(OwnerSeen {
            name,
            summary,
            page: page.to_string(),
            links,
            contacts,
            roles,
        });
    }
    let entries: usize = pages
        .values()
        .map(|h| select(h, "main ul.owners > li").len())
        .sum();
    assert_eq!(
        entries,
        out.len(),
        "every entry of the letter pages is on /owners/"
    );
    out
}

/// Runs git in `dir` with fixed author and commit dates; `None` when git is missing.
pub fn git(dir: &Path, date: &str, args: &[&str]) -> Option<()> {
    let stamp = format!("{date}T12:00:00+00:00");
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(())
}
