//! Evaluation results for pages: every run against its gate, and each model's latest run and cost.

use crate::check::assess::Assessment;
use crate::domain::eval::{GateStatus, Run};
use crate::domain::model::Pack;
use serde::Serialize;
use std::collections::HashSet;

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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct EvalView {
    pub cases: Option<usize>,
    pub gate: GateStatus,
    /// Newest first.
    pub runs: Vec<RunView>,
    pub models: Vec<ModelView>,
    pub results_file: Option<String>,
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
    EvalView {
        cases: a.cases,
        gate: a.gate,
        runs,
        models,
        results_file: pack.eval.results_file.clone(),
    }
}
