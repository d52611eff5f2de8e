//! The evaluation page as a pack's author reads it: a chart per gate metric with its
//! bound and latest value, the latest run's value of every metric, the gate's status
//! beside the section's completeness, and every warning of the pack on its overview and
//! on the page it concerns, a secret never shown.

use crate::common::*;
use scraper::{ElementRef, Html};
use std::fs;
use std::path::Path;

const GATE: &str = concat!(
    "eval_set = \"evals/cases.jsonl\"\n",
    "acceptance_criteria = [\"The queue is right\"]\n",
    "release_gate = [\n",
    "  { metric = \"accuracy\", min = 0.9 },\n",
    "  { metric = \"latency\", max = 2.0 },\n",
    "  { metric = \"citation\", max_drop = 0.05 },\n",
    "]\n",
    "results = \"evals/results.jsonl\"\n",
);

/// Three runs of two models; the newest (A, 11-03) passes accuracy and latency and
/// drops citation 0.03 from A's 0.90, within 0.05. `tokens` is not gated; `recall`
/// is only in the oldest run.
fn charted() -> SiteBuilder {
    let site =
        SiteBuilder::new()
            .complete_pack("pack")
            .section("pack", "evaluation", GATE, "Notes.\n");
    let lines = [
        run_line(
            "2026-11-01",
            "acme/a",
            "\"accuracy\": 0.88, \"latency\": 1.5, \"citation\": 0.90, \"tokens\": 900, \"recall\": 0.7",
        ),
        run_line(
            "2026-11-02",
            "acme/b",
            "\"accuracy\": 0.93, \"latency\": 2.5, \"citation\": 0.80, \"tokens\": 1200",
        ),
        run_line(
            "2026-11-03",
            "acme/a",
            "\"accuracy\": 0.95, \"latency\": 1.2, \"citation\": 0.87, \"tokens\": 950",
        ),
    ];
    site.write(
        "content/pack/evals/results.jsonl",
        lines.concat().as_bytes(),
    );
    site
}

fn attr(e: &ElementRef, name: &str) -> String {
    e.value().attr(name).unwrap_or_default().to_string()
}

fn num_attr(e: &ElementRef, name: &str) -> f64 {
    attr(e, name)
        .parse()
        .unwrap_or_else(|_| panic!("{name} of {}", e.html()))
}

#[test]
fn a_chart_per_gate_metric_with_its_bound_and_latest_value() {
    let site = charted();
    site.build_ok();
    let html = site.page("pack/evaluation/");
    let charts = select(&html, "main figure.eval-chart");
    let metrics: Vec<String> = charts
        .iter()
        .map(|f| text(&one_in(*f, "figcaption code")))
        .collect();
    assert_eq!(
        metrics,
        ["accuracy", "latency", "citation"],
        "one per gate rule"
    );
    // (bound label, latest value, latest passes)
    let want = [
        ("min 0.9", "0.95", true),
        ("max 2", "1.2", true),
        ("floor 0.85 (max_drop 0.05)", "0.87", true),
    ];
    for (fig, (bound, latest, passes)) in charts.iter().zip(want) {
        let metric = text(&one_in(*fig, "figcaption code"));
        let svg = one_in(*fig, "svg.chart");
        assert_eq!(attr(&svg, "role"), "img");
        let label = attr(&svg, "aria-label");
        assert!(
            label.starts_with(&format!("{metric} over 3 runs")),
            "{label}"
        );
        assert_eq!(
            text(&one_in(svg, ":scope > title")),
            label,
            "the title says the same"
        );
        assert_eq!(text(&one_in(*fig, ".chart-bound text")), bound, "{metric}");
        assert_eq!(
            text(&one_in(*fig, ".chart-latest text")),
            latest,
            "{metric}"
        );
        let caption = text(&one_in(*fig, "figcaption"));
        let flag = if passes { "pass" } else { "fail" };
        assert!(
            caption.contains(&format!("latest {latest} {flag}")),
            "{caption}"
        );
        // The bound and the latest point sit inside the drawing, on the right side of
        // each other: a passing min above its line, a passing max below it.
        let line = one_in(*fig, ".chart-bound line");
        let point = one_in(*fig, ".chart-latest circle");
        let (by, py) = (num_attr(&line, "y1"), num_attr(&point, "cy"));
        let height = attr(&svg, "viewBox")
            .split(' ')
            .nth(3)
            .and_then(|h| h.parse::<f64>().ok())
            .expect("a viewBox");
        assert!((0.0..height).contains(&by) && (0.0..height).contains(&py));
        match metric.as_str() {
            "latency" => assert!(py > by, "{metric}: latest {py} not below max {by}"),
            _ => assert!(py < by, "{metric}: latest {py} not above the bound {by}"),
        }
        // The text alternative: every run, newest first.
        let dates: Vec<String> = select_in(*fig, ".chart-data tbody th")
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            dates,
            ["2026-11-03", "2026-11-02", "2026-11-01"],
            "{metric}"
        );
    }
    // One line per model, each point drawn; failing points drawn apart.
    let acc = charts[0];
    assert_eq!(select_in(acc, ".chart-series").len(), 2);
    assert_eq!(select_in(acc, ".chart-series circle").len(), 2);
    assert_eq!(
        select_in(acc, ".chart-series .chart-fail").len(),
        1,
        "11-01's 0.88"
    );
    let legend: Vec<String> = select_in(acc, ".chart-legend li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(legend, ["acme/a", "acme/b"]);
    // The run-by-run list is kept, folded below the charts.
    let runs = one(&html, "main details.runs-detail");
    assert_eq!(select_in(runs, "ol.runs > li").len(), 3);
    // Only pages that show eval results or warnings load their stylesheet.
    let css = "link[rel=stylesheet][href$=\"/evaluation.css\"]";
    assert_eq!(select(&html, css).len(), 1);
    for bare in ["pack/data/", "pack/", "pack/runbook/"] {
        assert!(select(&site.page(bare), css).is_empty(), "{bare}");
    }
    assert!(site.join("public/evaluation.css").is_file());
    // The models page shows the latest values but no charts.
    let models = site.page("pack/models/");
    assert!(select(&models, "figure.eval-chart").is_empty());
    assert_eq!(select(&models, "table.latest-values tbody tr").len(), 5);
}

#[test]
fn the_latest_value_of_every_metric() {
    let site = charted();
    site.build_ok();
    let html = site.page("pack/evaluation/");
    let rows: Vec<(String, String, String)> = select(&html, "main table.latest-values tbody tr")
        .iter()
        .map(|tr| {
            let cells = select_in(*tr, "th, td");
            (text(&cells[0]), text(&cells[1]), text(&cells[2]))
        })
        .collect();
    let want = [
        ("accuracy", "0.95", "Pass 0.95 >= min 0.9"),
        ("latency", "1.2", "Pass 1.2 <= max 2"),
        (
            "citation",
            "0.87",
            "Pass dropped 0.03 from 0.9 (max_drop 0.05)",
        ),
        ("recall", "not reported", "not gated"),
        ("tokens", "950", "not gated"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(rows, want);
    let latest = text(&one(&html, "main #latest-values + p"));
    assert_eq!(latest, "2026-11-03 · acme/a: passes the release gate.");
    // A failing metric says so in words.
    site.write(
        "content/pack/evals/results.jsonl",
        run_line("2026-11-04", "acme/a", "\"accuracy\": 0.5").as_bytes(),
    );
    site.build_ok();
    let html = site.page("pack/evaluation/");
    let rows = select(&html, "main table.latest-values tbody tr");
    assert_eq!(rows.len(), 3, "the gate's three metrics");
    assert!(has_class(&rows[0], "unmet"));
    let cells =
        |tr: &ElementRef| -> Vec<String> { select_in(*tr, "th, td").iter().map(text).collect() };
    assert_eq!(cells(&rows[0]), ["accuracy", "0.5", "Fail 0.5 < min 0.9"]);
    assert_eq!(
        cells(&rows[1]),
        ["latency", "not reported", "Fail not reported in this run"]
    );
}

/// The gate status beside completeness on the evaluation page and in the overview's
/// list of sections.
fn gate_beside_completeness(site: &SiteBuilder) -> (String, String) {
    let page = site.page("pack/evaluation/");
    let summary = text(&one(&page, "main .section-summary"));
    let overview = site.page("pack/");
    let item = select(&overview, "main ol.section-list > li")
        .into_iter()
        .find(|li| text(li).starts_with("Evaluation harness"))
        .expect("the evaluation section in the list");
    (summary, text(&item))
}

#[test]
fn gate_status_beside_the_sections_completeness() {
    let site = charted();
    site.build_ok();
    let (summary, item) = gate_beside_completeness(&site);
    assert_eq!(summary, "100% complete · gate passing");
    assert!(item.ends_with("gate passing"), "{item}");
    // Failing at 100% complete: the page says so next to the green badge.
    site.write(
        "content/pack/evals/results.jsonl",
        run_line("2026-11-04", "acme/a", "\"accuracy\": 0.5").as_bytes(),
    );
    site.build_ok();
    let (summary, item) = gate_beside_completeness(&site);
    assert_eq!(summary, "100% complete · gate failing");
    assert!(item.ends_with("gate failing"), "{item}");
    let page = site.page("pack/evaluation/");
    assert!(has_class(&one(&page, "main .section-gate"), "flag-bad"));
    // No results: no runs to judge.
    let no_results = GATE.replace("results = \"evals/results.jsonl\"\n", "");
    let site = site.section("pack", "evaluation", &no_results, "");
    site.build_ok();
    let (summary, item) = gate_beside_completeness(&site);
    assert_eq!(summary, "100% complete · gate: no runs");
    assert!(item.ends_with("gate: no runs"), "{item}");
    let page = site.page("pack/evaluation/");
    assert!(select(&page, "main figure.eval-chart").is_empty());
    // Other sections carry no gate.
    assert!(select(&site.page("pack/data/"), "main .section-gate").is_empty());
}

fn aws_key() -> String {
    // Built at run time so the test source holds no key-shaped literal.
    format!("{}{}", "AK", "IAHQZMVRTKPLWNBDJS")
}

/// Small eval set, failing gate, stale review, and a secret in the eval set.
fn warned() -> SiteBuilder {
    let mut cases = jsonl_cases(10);
    cases.push_str(&format!(
        "{{\"id\": \"case-key\", \"input\": \"key {}\"}}\n",
        aws_key()
    ));
    let rhythm = complete_toml("rhythm").replace("2026-11-20", "2026-10-01");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "rhythm", &rhythm, "Notes.\n")
        .file("content/pack/evals/cases.jsonl", &cases);
    site.write(
        "content/pack/evals/results.jsonl",
        run_line("2026-11-20", "acme/small-2", "\"accuracy\": 0.5").as_bytes(),
    );
    site
}

/// The warnings a page shows: (message with its place, link to the page it concerns).
type Shown = Vec<(String, Option<String>)>;

fn shown_warnings(html: &Html) -> Shown {
    select(html, "main .warnings li")
        .iter()
        .map(|li| {
            let link = select_in(*li, "a").first().map(|a| attr(a, "href"));
            (text(li), link)
        })
        .collect()
}

#[test]
fn every_warning_on_the_overview_and_the_page_it_concerns() {
    let site = warned();
    let (code, diags) = site.diags();
    assert_eq!(code, 0);
    let warnings = of_severity(&diags, "warning");
    let kinds = [
        "collect at least 20",
        "fails the release gate",
        "weekly review",
        "looks like a secret",
    ];
    for k in kinds {
        assert!(
            warnings.iter().any(|w| w.message.contains(k)),
            "no warning `{k}`: {warnings:?}"
        );
    }
    site.build_ok();
    let page = site.page("pack/");
    let count = one(&page, "main .pack-summary a[href=\"#warnings\"]");
    assert_eq!(text(&count), format!("{} warnings", warnings.len()));
    assert_eq!(one(&page, "main #warnings").value().name(), "h2");
    let overview = shown_warnings(&page);
    assert_eq!(overview.len(), warnings.len(), "{overview:?}");
    let on: Vec<(&str, Shown)> = STEMS
        .iter()
        .map(|p| (*p, shown_warnings(&site.page(&format!("pack/{p}/")))))
        .collect();
    for w in &warnings {
        let place = format!("{}:{}", w.file, w.line);
        let concerns = if w.message.contains("weekly review") {
            "rhythm"
        } else {
            "evaluation"
        };
        // What the message writes between backticks shows as code, without them.
        let message = w.message.replace('`', "");
        let said = |(t, _): &&(String, Option<String>)| {
            t.starts_with(&format!("Warning: {message}"))
                && (t.ends_with(&place) || t.contains(&format!("{place} · ")))
        };
        let (_, link) = overview
            .iter()
            .find(said)
            .unwrap_or_else(|| panic!("{place} {} not on the overview: {overview:?}", w.message));
        assert_eq!(
            link.as_deref(),
            Some(format!("{BASE}pack/{concerns}/").as_str()),
            "{}",
            w.message
        );
        for (page, shown) in &on {
            let here = shown.iter().any(|s| said(&s));
            assert_eq!(
                here,
                *page == concerns,
                "{} on {page}: {shown:?}",
                w.message
            );
        }
    }
    // What a message writes between backticks, a key to set, is code on the page.
    let stale = select(&page, "main .warnings li")
        .into_iter()
        .find(|li| text(li).contains("weekly review"))
        .expect("the stale review's warning");
    let code: Vec<String> = select_in(stale, "code").iter().map(text).collect();
    assert!(code.contains(&"reviews".to_string()), "{code:?}");
    // A clean pack shows no warnings list.
    let clean = SiteBuilder::new().complete_pack("pack");
    clean.build_ok();
    assert!(select(&clean.page("pack/"), "main .warnings").is_empty());
    assert!(select(&clean.page("pack/evaluation/"), "main .warnings").is_empty());
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in fs::read_dir(dir).expect("a folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn a_secret_found_is_on_no_page() {
    let site = warned();
    site.build_ok();
    let public = site.join("public");
    let mut all = Vec::new();
    files(&public, &mut all);
    let key = aws_key();
    let mut pages = 0;
    for f in &all {
        // The eval set itself is published as it is: that is what the warning is for.
        if f.ends_with("pack/evals/cases.jsonl") {
            continue;
        }
        let bytes = fs::read(f).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&key), "{} shows the secret", f.display());
        pages += usize::from(f.extension().is_some_and(|e| e == "html"));
    }
    assert!(pages > 10, "{pages} pages");
    // The warning is there, in words, without the key.
    let shown = shown_warnings(&site.page("pack/evaluation/"));
    let secret = shown
        .iter()
        .find(|(t, _)| t.contains("looks like a secret"))
        .expect("the secret's warning on the evaluation page");
    assert!(
        secret.0.ends_with("content/pack/evals/cases.jsonl:11"),
        "{secret:?}"
    );
}
