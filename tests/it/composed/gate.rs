//! The release gate's arithmetic over the eval results: bounds, drops, and which run counts.

use super::*;

const GATED_EVALUATION: &str = concat!(
    "eval_set = \"evals/cases.jsonl\"\n",
    "acceptance_criteria = [\"The queue is right\"]\n",
    "release_gate = [{ metric = \"accuracy\", min = 0.9 }, { metric = \"latency\", max = 2.0 }, { metric = \"citation\", max_drop = 0.05 }]\n",
    "results = \"evals/results.jsonl\"\n",
);

const A: &str = "acme/small-2";
const B: &str = "acme/large-1";
const C: &str = "acme/tiny-1";

/// Runs of three models, written out of date order. Gate: accuracy >= 0.9,
/// latency <= 2, citation may drop at most 0.05 from the same model's previous run.
///
/// | date  | model | acc  | lat | cit  | same-model previous cit    | verdict          |
/// |-------|-------|------|-----|------|----------------------------|------------------|
/// | 10-30 | C     | 0.95 | 0.5 | 0.86 | none                       | pass             |
/// | 11-01 | A     | 0.95 | 1.0 | 0.90 | none                       | pass             |
/// | 11-02 | B     | 0.96 | 1.5 | 0.95 | none                       | pass             |
/// | 11-03 | A     | 0.85 | 1.0 | 0.91 | 0.90 (rose)                | fail: min        |
/// | 11-04 | B     | 0.97 | 2.5 | 0.94 | 0.95 (drop 0.01)           | fail: max        |
/// | 11-05 | C     | 0.80 | 0.5 | 0.85 | 0.86 (drop 0.01)           | fail: min        |
/// | 11-06 | A     | 0.93 | 1.1 | 0.84 | 0.91 (drop 0.07)           | fail: max_drop   |
/// | 11-07 | B     | 0.96 | 1.4 | 0.92 | 0.94 (drop 0.02)           | pass             |
/// | 11-08 | A     | 0.95 | 1.0 | 0.86 | 0.84 (rose)                | pass             |
///
/// Against the previous *line* instead, 11-06 would pass (0.85 → 0.84) and 11-08 would
/// fail (0.92 → 0.86, a drop of 0.06).
fn gate_site() -> SiteBuilder {
    let m = |acc: &str, lat: &str, cit: &str| {
        format!("\"accuracy\": {acc}, \"latency\": {lat}, \"citation\": {cit}")
    };
    let lines = [
        run("2026-11-06", A, 0.28, &m("0.93", "1.1", "0.84")),
        run("2026-11-01", A, 0.25, &m("0.95", "1.0", "0.90")),
        run("2026-11-08", A, 0.30, &m("0.95", "1.0", "0.86")),
        run("2026-11-04", B, 0.85, &m("0.97", "2.5", "0.94")),
        run("2026-10-30", C, 0.04, &m("0.95", "0.5", "0.86")),
        run("2026-11-02", B, 0.80, &m("0.96", "1.5", "0.95")),
        run("2026-11-07", B, 0.90, &m("0.96", "1.4", "0.92")),
        run("2026-11-03", A, 0.27, &m("0.85", "1.0", "0.91")),
        run("2026-11-05", C, 0.05, &m("0.80", "0.5", "0.85")),
    ];
    let site =
        SiteBuilder::new()
            .complete_pack("g")
            .section("g", "evaluation", GATED_EVALUATION, "");
    site.write("content/g/evals/results.jsonl", lines.concat().as_bytes());
    site
}

#[derive(Debug, PartialEq)]
struct RunSeen {
    date: String,
    model: String,
    passed: bool,
    failing: Vec<String>,
}

#[test]
fn evaluation_page_applies_min_max_and_max_drop_per_model() {
    let site = gate_site();
    site.build_ok();
    let html = site.page("g/evaluation/");
    let runs: Vec<(RunSeen, ElementRef)> = select(&html, "main ol.runs > li")
        .into_iter()
        .map(|li| {
            let (pass, fail) = (has_class(&li, "run-pass"), has_class(&li, "run-fail"));
            assert!(pass != fail, "{}", li.html());
            let checks = select_in(li, "ul.bar > li");
            assert_eq!(checks.len(), 3, "one check per gate rule: {}", li.html());
            let failing: Vec<String> = checks
                .iter()
                .filter(|c| {
                    let (met, unmet) = (has_class(c, "met"), has_class(c, "unmet"));
                    assert!(met != unmet, "{}", c.html());
                    unmet
                })
                .map(|c| text(&one_in(*c, "code")))
                .collect();
            let seen = RunSeen {
                date: text(&one_in(li, "strong")),
                model: text(&one_in(li, "p > code")),
                passed: pass,
                failing,
            };
            (seen, li)
        })
        .collect();
    let want: Vec<RunSeen> = [
        ("2026-11-08", A, &[][..]),
        ("2026-11-07", B, &[]),
        ("2026-11-06", A, &["citation"]),
        ("2026-11-05", C, &["accuracy"]),
        ("2026-11-04", B, &["latency"]),
        ("2026-11-03", A, &["accuracy"]),
        ("2026-11-02", B, &[]),
        ("2026-11-01", A, &[]),
        ("2026-10-30", C, &[]),
    ]
    .iter()
    .map(|(date, model, failing)| RunSeen {
        date: date.to_string(),
        model: model.to_string(),
        passed: failing.is_empty(),
        failing: failing.iter().map(|s| s.to_string()).collect(),
    })
    .collect();
    let got: Vec<&RunSeen> = runs.iter().map(|(r, _)| r).collect();
    assert_eq!(got, want.iter().collect::<Vec<_>>(), "runs, newest first");

    // The max_drop failure is measured from A's previous run (0.91), not the line before.
    let (_, li_0611) = &runs[2];
    let cit = select_in(*li_0611, "ul.bar > li.unmet");
    assert_eq!(cit.len(), 1);
    let reason = text(&cit[0]);
    assert!(
        reason.contains("0.91") && !reason.contains("0.85"),
        "{reason}"
    );

    let gate_flag = one(&html, "main .flag[class*=\"gate-\"]");
    assert!(has_class(&gate_flag, "gate-pass"), "{}", gate_flag.html());
    let st = status_pack(&site, "g");
    assert_eq!(st["gate"], "pass");
    assert_eq!(st["eval_cases"], 25);
}

/// The models table of a page: (model, latest date, cost, passes, cheapest-marked).
fn models_table(html: &Html) -> Vec<(String, String, f64, bool, bool)> {
    let table = one(html, "main table.models");
    let headers: Vec<String> = table
        .select(&sel("thead th"))
        .map(|h| text(&h).to_lowercase())
        .collect();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.contains(name))
            .unwrap_or_else(|| panic!("no column {name}: {headers:?}"))
    };
    let (date_col, cost_col, gate_col) = (col("latest"), col("cost"), col("gate"));
    select_in(table, "tbody tr")
        .iter()
        .map(|tr| {
            let cells = select_in(*tr, "th, td");
            let gate = text(&cells[gate_col]).to_lowercase();
            assert!(gate == "pass" || gate == "fail", "{gate}");
            (
                text(&one_in(cells[0], "code")),
                text(&cells[date_col]),
                text(&cells[cost_col])
                    .parse::<f64>()
                    .unwrap_or_else(|e| panic!("cost {}: {e}", cells[cost_col].html())),
                gate == "pass",
                has_class(tr, "cheapest"),
            )
        })
        .collect()
}

#[test]
fn models_table_marks_the_cheapest_model_whose_latest_run_passes() {
    let site = gate_site();
    site.build_ok();
    let eval_html = site.page("g/evaluation/");
    let mut rows = models_table(&eval_html);
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    // C is cheapest (0.05) but its latest run fails (its older passing run does not
    // count); A's latest run passes at 0.30, cheaper than B at 0.90.
    let want = vec![
        (B.to_string(), "2026-11-07".to_string(), 0.90, true, false),
        (A.to_string(), "2026-11-08".to_string(), 0.30, true, true),
        (C.to_string(), "2026-11-05".to_string(), 0.05, false, false),
    ];
    let mut want_sorted = want.clone();
    want_sorted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(rows, want_sorted);
    assert_eq!(select(&eval_html, "main tr.cheapest").len(), 1);

    // The models section page shows the same table.
    let models_html = site.page("g/models/");
    let mut on_models = models_table(&models_html);
    on_models.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(on_models, rows);
    assert_eq!(select(&models_html, "main tr.cheapest").len(), 1);
}
