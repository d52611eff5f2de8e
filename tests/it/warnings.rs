//! Warnings do not stop the build (exit 0) and name the file and line.

use crate::common::*;

fn good() -> SiteBuilder {
    SiteBuilder::new().complete_pack("pack")
}

struct Want<'a>(&'a str, u64, u64, &'a str);

/// `check --format json` reports exactly these warnings and no error, both `check` and
/// `build` exit 0, and `build` prints each warning and writes the site.
fn expect_warnings(site: &SiteBuilder, wants: &[Want]) {
    let (code, diags) = site.diags();
    let expected: Vec<Diag> = wants
        .iter()
        .map(|w| Diag {
            severity: "warning".into(),
            file: w.0.into(),
            line: w.1,
            column: w.2,
            message: w.3.into(),
        })
        .collect();
    assert_eq!(diags, expected);
    assert_eq!(code, 0, "warnings do not fail check");
    let out = site.build();
    assert_eq!(out.code, 0, "warnings do not fail build:\n{}", out.stderr);
    for w in wants {
        let header = format!("warning: {}:{}:{}: {}", w.0, w.1, w.2, w.3);
        assert!(
            out.stderr.lines().any(|l| l == header),
            "no `{header}` in:\n{}",
            out.stderr
        );
    }
    assert!(
        site.join("public/index.html").is_file(),
        "the site is written"
    );
}

fn expect_clean(site: &SiteBuilder) {
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
}

fn small_set(n: usize) -> String {
    format!("the eval set has {n} case(s); collect at least 20 real cases before trusting the gate")
}

#[test]
fn jsonl_eval_set_under_20_cases() {
    // 19 cases with blank lines between them: blank lines are not cases.
    let cases = jsonl_cases(19).replacen('\n', "\n\n", 3);
    let site = good().file("content/pack/evals/cases.jsonl", &cases);
    expect_warnings(
        &site,
        &[Want("content/pack/evaluation.md", 2, 12, &small_set(19))],
    );
    let (_, json) = site.check_json(&[]);
    assert_eq!(pack(&json, "pack")["eval_cases"], 19);
}

#[test]
fn jsonl_eval_set_of_20_cases_is_enough() {
    let site = good().file(
        "content/pack/evals/cases.jsonl",
        &(jsonl_cases(20) + "\n\n"),
    );
    expect_clean(&site);
}

#[test]
fn csv_eval_set_under_20_cases() {
    // A header row and 12 rows, one with a quoted comma: 12 cases.
    let mut csv = String::from("id,input,expected\n");
    for i in 1..=11 {
        csv.push_str(&format!("c{i},ticket {i},billing\n"));
    }
    csv.push_str("c12,\"refund, then close\",billing\n");
    let toml = complete_toml("evaluation").replace("evals/cases.jsonl", "evals/cases.csv");
    let site =
        good()
            .file("content/pack/evals/cases.csv", &csv)
            .section("pack", "evaluation", &toml, "");
    expect_warnings(
        &site,
        &[Want("content/pack/evaluation.md", 2, 12, &small_set(12))],
    );
}

#[test]
fn csv_eval_set_of_20_rows_is_enough() {
    let mut csv = String::from("id,input\n");
    for i in 1..=20 {
        csv.push_str(&format!("c{i},ticket {i}\n"));
    }
    let toml = complete_toml("evaluation").replace("evals/cases.jsonl", "evals/cases.csv");
    let site =
        good()
            .file("content/pack/evals/cases.csv", &csv)
            .section("pack", "evaluation", &toml, "");
    expect_clean(&site);
}

fn gate_warning(run: &str, reasons: &str) -> String {
    format!("the latest eval run ({run}) fails the release gate: {reasons}; fix the regression or hold the rollout")
}

#[test]
fn latest_run_below_min() {
    let results = run_line("2026-11-10", "acme/small-2", "\"accuracy\": 0.95")
        + &run_line("2026-11-20", "acme/small-2", "\"accuracy\": 0.85");
    let site = good().file("content/pack/evals/results.jsonl", &results);
    expect_warnings(
        &site,
        &[Want(
            "content/pack/evals/results.jsonl",
            2,
            1,
            &gate_warning("2026-11-20, acme/small-2", "accuracy: 0.85 < min 0.9"),
        )],
    );
    assert_eq!(pack(&site.status(), "pack")["gate"], "fail");
}

#[test]
fn latest_run_above_max() {
    let toml = complete_toml("evaluation").replace(
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
        "release_gate = [{ metric = \"accuracy\", min = 0.9 }, { metric = \"cost_per_ticket\", max = 0.02 }]",
    );
    let results = run_line(
        "2026-11-10",
        "acme/small-2",
        "\"accuracy\": 0.95, \"cost_per_ticket\": 0.01",
    ) + &run_line(
        "2026-11-20",
        "acme/small-2",
        "\"accuracy\": 0.95, \"cost_per_ticket\": 0.03",
    );
    let site = good()
        .section("pack", "evaluation", &toml, "")
        .file("content/pack/evals/results.jsonl", &results);
    expect_warnings(
        &site,
        &[Want(
            "content/pack/evals/results.jsonl",
            2,
            1,
            &gate_warning(
                "2026-11-20, acme/small-2",
                "cost_per_ticket: 0.03 > max 0.02",
            ),
        )],
    );
}

fn max_drop_site(results: &str) -> SiteBuilder {
    let toml = complete_toml("evaluation").replace("min = 0.9", "max_drop = 0.05");
    good()
        .section("pack", "evaluation", &toml, "")
        .file("content/pack/evals/results.jsonl", results)
}

#[test]
fn max_drop_against_the_previous_run_of_the_same_model() {
    // model-a falls 0.99 → 0.92 (0.07 > 0.05): fails, although the line just before
    // (model-b, 0.90) is lower and would make it a rise.
    let results = run_line("2026-11-01", "model-a", "\"accuracy\": 0.99")
        + &run_line("2026-11-10", "model-b", "\"accuracy\": 0.90")
        + &run_line("2026-11-20", "model-a", "\"accuracy\": 0.92");
    let site = max_drop_site(&results);
    expect_warnings(
        &site,
        &[Want(
            "content/pack/evals/results.jsonl",
            3,
            1,
            &gate_warning(
                "2026-11-20, model-a",
                "accuracy: dropped 0.07 from 0.99 (max_drop 0.05)",
            ),
        )],
    );
}

#[test]
fn max_drop_ignores_the_previous_line_of_another_model() {
    // model-a falls 0.95 → 0.93 (0.02 ≤ 0.05): passes. Against the line before it
    // (model-b, 0.99) it would have dropped 0.06 and failed.
    let results = run_line("2026-11-01", "model-a", "\"accuracy\": 0.95")
        + &run_line("2026-11-10", "model-b", "\"accuracy\": 0.99")
        + &run_line("2026-11-20", "model-a", "\"accuracy\": 0.93");
    let site = max_drop_site(&results);
    expect_clean(&site);
    site.build_ok();
    assert_eq!(pack(&site.status(), "pack")["gate"], "pass");
}

#[test]
fn latest_run_is_by_date_not_by_line() {
    // The failing run is on the last line but is the oldest.
    let results = run_line("2026-11-20", "acme/small-2", "\"accuracy\": 0.95")
        + &run_line("2026-11-01", "acme/small-2", "\"accuracy\": 0.50");
    let site = good().file("content/pack/evals/results.jsonl", &results);
    expect_clean(&site);
    site.build_ok();
    assert_eq!(pack(&site.status(), "pack")["gate"], "pass");
}

#[test]
fn gated_metric_missing_from_the_latest_run_fails() {
    let results = run_line("2026-11-10", "acme/small-2", "\"accuracy\": 0.95")
        + &run_line("2026-11-20", "acme/small-2", "\"recall\": 0.95");
    let site = good().file("content/pack/evals/results.jsonl", &results);
    expect_warnings(
        &site,
        &[Want(
            "content/pack/evals/results.jsonl",
            2,
            1,
            &gate_warning(
                "2026-11-20, acme/small-2",
                "accuracy: not reported in this run",
            ),
        )],
    );
}

fn stale_warning(date: &str, days: u32, after: u32) -> String {
    format!("the last weekly review was on {date}, {days} days ago (stale after {after} days); hold the review and add it to `reviews`")
}

#[test]
fn stale_weekly_review_depends_on_today() {
    let toml = complete_toml("rhythm").replace("2026-11-20", "2026-11-01");
    let site = good().section("pack", "rhythm", &toml, "");
    // 2026-11-26 is 25 days after the review: stale.
    expect_warnings(
        &site,
        &[Want(
            "content/pack/rhythm.md",
            2,
            1,
            &stale_warning("2026-11-01", 25, 14),
        )],
    );
    assert_eq!(pack(&site.status(), "pack")["stale"], true);
    // Nine days after it, the same site is fresh.
    let out = site.run_at("2026-11-10", &["check", "--format", "json"]);
    assert_eq!(out.code, 0);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(diags(&json), vec![]);
    assert_eq!(pack(&json, "pack")["stale"], false);
}

#[test]
fn stale_after_days_boundary_and_setting() {
    // 14 days ago: not stale; 15 days ago: stale.
    let fresh = good().section(
        "pack",
        "rhythm",
        &complete_toml("rhythm").replace("2026-11-20", "2026-11-12"),
        "",
    );
    expect_clean(&fresh);
    let stale = good().section(
        "pack",
        "rhythm",
        &complete_toml("rhythm").replace("2026-11-20", "2026-11-11"),
        "",
    );
    expect_warnings(
        &stale,
        &[Want(
            "content/pack/rhythm.md",
            2,
            1,
            &stale_warning("2026-11-11", 15, 14),
        )],
    );
    // With stale_after_days = 30, 15 days is fine.
    let relaxed = stale.file(
        "site.toml",
        &format!("{SITE_TOML}[rhythm]\nstale_after_days = 30\n"),
    );
    expect_clean(&relaxed);
}

#[test]
fn stale_warning_points_at_the_newest_review() {
    let toml = concat!(
        "[[reviews]]\ndate = 2026-10-01\neval_regressions = \"None\"\nfailure_modes = \"x\"\ncost_anomalies = \"None\"\nnext_change = \"y\"\n",
        "\n[[reviews]]\ndate = 2026-11-02\neval_regressions = \"None\"\nfailure_modes = \"x\"\ncost_anomalies = \"None\"\nnext_change = \"y\"\n",
        "\n[[reviews]]\ndate = 2026-10-15\neval_regressions = \"None\"\nfailure_modes = \"x\"\ncost_anomalies = \"None\"\nnext_change = \"y\"\n",
    );
    let site = good().section("pack", "rhythm", toml, "");
    // The newest review (2026-11-02, 24 days ago) is the second entry, at line 9.
    expect_warnings(
        &site,
        &[Want(
            "content/pack/rhythm.md",
            9,
            1,
            &stale_warning("2026-11-02", 24, 14),
        )],
    );
    assert_eq!(pack(&site.status(), "pack")["last_review"], "2026-11-02");
}

#[test]
fn active_phase_before_its_entry_bar() {
    let ops = complete_toml("operability").replace("kill_switch = true", "kill_switch = false");
    let site = good().section("pack", "operability", &ops, "");
    expect_warnings(
        &site,
        &[Want(
            "content/pack/rollout.md",
            6,
            1,
            "phase \"Dogfood\" is active but its entry bar is not met: kill switch in place; finish these or set its status back to \"planned\"",
        )],
    );
}

#[test]
fn planned_phase_before_its_entry_bar_is_fine() {
    let ops = complete_toml("operability").replace("kill_switch = true", "kill_switch = false");
    let rollout = complete_toml("rollout").replace("status = \"active\"", "status = \"planned\"");
    let site = good()
        .section("pack", "operability", &ops, "")
        .section("pack", "rollout", &rollout, "");
    expect_clean(&site);
}

#[test]
fn second_phase_active_needs_the_second_bar() {
    let rollout = complete_toml("rollout").replace("status = \"active\"", "status = \"done\"")
        + "\n[[phases]]\nname = \"Beta\"\naudience = \"Volunteers\"\ncriteria = \"A week clean\"\nfeedback_channel = \"A form\"\nstatus = \"active\"\n";
    // acceptance_criteria a placeholder: evaluation 2/3 = 66%. The first bar (done) is met.
    let eval = complete_toml("evaluation").replace(
        "acceptance_criteria = [\"The queue is right\"]",
        "acceptance_criteria = [\"TBD\"]",
    );
    let site =
        good()
            .section("pack", "rollout", &rollout, "")
            .section("pack", "evaluation", &eval, "");
    expect_warnings(
        &site,
        &[Want(
            "content/pack/rollout.md",
            13,
            1,
            "phase \"Beta\" is active but its entry bar is not met: evaluation section complete (66%); finish these or set its status back to \"planned\"",
        )],
    );
}

#[test]
fn done_phase_before_its_entry_bar() {
    let ops = complete_toml("operability").replace("kill_switch = true", "kill_switch = false");
    let rollout = complete_toml("rollout").replace("status = \"active\"", "status = \"done\"");
    let site = good()
        .section("pack", "operability", &ops, "")
        .section("pack", "rollout", &rollout, "");
    expect_warnings(
        &site,
        &[Want(
            "content/pack/rollout.md",
            6,
            1,
            "phase \"Dogfood\" is done but its entry bar is not met: kill switch in place; finish these or set its status back to \"planned\"",
        )],
    );
}

mod secrets;
