//! Evaluation results for pages: every run against its gate, the latest run's value of
//! every metric, a chart per gate metric, and each model's latest run and cost.

use crate::check::assess::{self, Assessment};
use crate::domain::eval::{GateRule, GateStatus, Run, Verdict};
use crate::domain::model::Pack;
use crate::render::eval_chart::{self, Chart};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CheckView {
    pub metric: String,
    pub value: Option<f64>,
    pub passed: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct RunView {
    pub date: String,
    pub version: Option<String>,
    pub model: Option<String>,
    pub cost: Option<String>,
    pub passed: bool,
    pub checks: Vec<CheckView>,
    /// Metrics the gate does not cover, shown for context.
    pub other_metrics: Vec<(String, f64)>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ModelView {
    pub model: String,
    pub date: String,
    pub cost: Option<String>,
    pub passed: bool,
    pub cheapest_passing: bool,
}

/// One metric as the latest run reported it; gate metrics first, in the gate's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LatestMetric {
    pub metric: String,
    /// `None` when the latest run does not report it.
    pub value: Option<String>,
    /// The gate's bounds in words, for a gate metric.
    pub gate: Option<String>,
    /// Whether the latest run passes this metric's gate; `None` for other metrics.
    pub passed: Option<bool>,
    pub reason: Option<String>,
}

/// The newest run and every metric any run reported, as it stands in that run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LatestView {
    pub date: String,
    pub version: Option<String>,
    pub model: Option<String>,
    pub passed: bool,
    pub metrics: Vec<LatestMetric>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct EvalView {
    pub cases: Option<usize>,
    pub gate: GateStatus,
    /// Newest first.
    pub runs: Vec<RunView>,
    pub models: Vec<ModelView>,
    pub results_file: Option<String>,
    pub latest: Option<LatestView>,
    /// One per gate rule, when there are runs; only the evaluation page draws them
    /// (see [`EvalView::with_charts`]).
    pub charts: Vec<Chart>,
}

impl EvalView {
    /// The view with a chart per gate metric, for the evaluation page.
    pub(crate) fn with_charts(mut self, pack: &Pack, a: &Assessment) -> EvalView {
        let rules = assess::gate_rules(pack);
        self.charts = eval_chart::charts(&pack.eval.runs, &a.verdicts, &rules);
        self
    }
}

fn cost(c: Option<f64>) -> Option<String> {
    c.map(|c| format!("{c:.2}"))
}

fn run_view(run: &Run, checks: Vec<CheckView>, passed: bool) -> RunView {
    let gated: HashSet<&str> = checks.iter().map(|c| c.metric.as_str()).collect();
    let other_metrics = run
        .metrics
        .iter()
        .filter(|(k, _)| !gated.contains(k.as_str()))
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    RunView {
        date: run.date.clone(),
        version: run.version.clone(),
        model: run.model.clone(),
        cost: cost(run.cost),
        passed,
        checks,
        other_metrics,
        line: run.line,
    }
}

pub(crate) fn eval_view(pack: &Pack, a: &Assessment) -> EvalView {
    let runs = a
        .verdicts
        .iter()
        .filter_map(|v| {
            let run = pack.eval.runs.get(v.run)?;
            let checks = v
                .checks
                .iter()
                .map(|c| CheckView {
                    metric: c.metric.clone(),
                    value: c.value,
                    passed: c.passed,
                    reason: c.reason.clone(),
                })
                .collect();
            Some(run_view(run, checks, v.passed))
        })
        .collect();
    let models = a
        .models
        .iter()
        .map(|m| ModelView {
            model: m.model.clone(),
            date: m.date.clone(),
            cost: cost(m.cost),
            passed: m.passed,
            cheapest_passing: m.cheapest_passing,
        })
        .collect();
    let rules = assess::gate_rules(pack);
    EvalView {
        cases: a.cases,
        gate: a.gate,
        runs,
        models,
        results_file: pack.eval.results_file.clone(),
        latest: latest_view(&pack.eval.runs, &a.verdicts, &rules),
        charts: Vec::new(),
    }
}

/// The newest run's value of every metric any run reported: the gate's metrics first,
/// in its order, with their verdicts; then the others by name.
fn latest_view(runs: &[Run], verdicts: &[Verdict], rules: &[GateRule]) -> Option<LatestView> {
    let verdict = verdicts.first()?;
    let run = runs.get(verdict.run)?;
    let value = |m: &str| run.metrics.get(m).map(|v| eval_chart::num(*v));
    let mut metrics: Vec<LatestMetric> = rules
        .iter()
        .zip(&verdict.checks)
        .map(|(rule, check)| LatestMetric {
            metric: rule.metric.clone(),
            value: value(&rule.metric),
            gate: Some(eval_chart::gate_words(rule)),
            passed: Some(check.passed),
            reason: Some(check.reason.clone()),
        })
        .collect();
    let gated: HashSet<&str> = rules.iter().map(|r| r.metric.as_str()).collect();
    let others: BTreeSet<&str> = verdicts
        .iter()
        .filter_map(|v| runs.get(v.run))
        .flat_map(|r| r.metrics.keys().map(String::as_str))
        .filter(|m| !gated.contains(m))
        .collect();
    metrics.extend(others.into_iter().map(|m| LatestMetric {
        metric: m.to_string(),
        value: value(m),
        gate: None,
        passed: None,
        reason: None,
    }));
    Some(LatestView {
        date: run.date.clone(),
        version: run.version.clone(),
        model: run.model.clone(),
        passed: verdict.passed,
        metrics,
    })
}
