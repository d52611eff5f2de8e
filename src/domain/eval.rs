//! Eval results and the release gate as data: a run of the eval set, a gate rule, and
//! what the gate said of each run and each model.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One line of the results file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// 1-based line in the results file.
    pub line: usize,
    /// `YYYY-MM-DD`, a real calendar date.
    pub date: String,
    pub version: Option<String>,
    pub model: Option<String>,
    pub cost: Option<f64>,
    pub metrics: BTreeMap<String, f64>,
}

/// One `release_gate` entry: bounds on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateRule {
    pub metric: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The most the metric may fall from the previous run of the same model.
    pub max_drop: Option<f64>,
}

/// One gate rule applied to one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub metric: String,
    pub value: Option<f64>,
    /// The metric in the previous run of the same model, if any.
    pub previous: Option<f64>,
    pub passed: bool,
    /// Human-readable, e.g. `0.93 < min 0.95`.
    pub reason: String,
}

/// The gate applied to one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Index into the runs given to [`evaluate`].
    pub run: usize,
    pub checks: Vec<Check>,
    pub passed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateStatus {
    Pass,
    Fail,
    None,
}

/// A model's newest run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelLatest {
    pub model: String,
    /// Index into the runs.
    pub run: usize,
    pub date: String,
    pub cost: Option<f64>,
    pub passed: bool,
    /// The cheapest model whose latest run passes every gate (at most one).
    pub cheapest_passing: bool,
}

/// A metric value as messages and pages write it: at most `places` decimals, trailing
/// zeros dropped; scientific notation below `10^-places` and from `10^(places + 6)`.
pub(crate) fn decimal(x: f64, places: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let exp = i32::try_from(places).unwrap_or(i32::MAX);
    let (small, big) = (10f64.powi(-exp), 10f64.powi(exp.saturating_add(6)));
    if x != 0.0 && (x.abs() >= big || x.abs() < small) {
        return format!("{x:e}");
    }
    let s = format!("{x:.places$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Runs and rules in one line each, for the tests of the stages that read and judge them.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{GateRule, Run};

    pub(crate) fn run(
        line: usize,
        date: &str,
        model: Option<&str>,
        cost: Option<f64>,
        metrics: &[(&str, f64)],
    ) -> Run {
        Run {
            line,
            date: date.to_string(),
            version: None,
            model: model.map(str::to_string),
            cost,
            metrics: metrics.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    pub(crate) fn rule(
        metric: &str,
        min: Option<f64>,
        max: Option<f64>,
        max_drop: Option<f64>,
    ) -> GateRule {
        GateRule {
            metric: metric.to_string(),
            min,
            max,
            max_drop,
        }
    }
}
