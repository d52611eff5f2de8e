//! The release gate: applies each `release_gate` rule to every run of the eval results,
//! against the previous run of the same model, and finds each model's latest verdict.

use crate::domain::eval::{Check, GateRule, GateStatus, ModelLatest, Run, Verdict};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// Tolerance for gate comparisons, so `0.95 >= min 0.95` holds despite float error.
const EPSILON: f64 = 1e-9;

/// Applies the gate to every run. Verdicts come newest first: by date, then by
/// line (the later line of a date is newer).
pub fn evaluate(runs: &[Run], gate: &[GateRule]) -> Vec<Verdict> {
    let mut last_of_model: BTreeMap<Option<&str>, &Run> = BTreeMap::new();
    let mut verdicts = Vec::with_capacity(runs.len());
    for i in chronological(runs) {
        let Some(run) = runs.get(i) else { continue };
        let model = run.model.as_deref();
        let previous = last_of_model.get(&model).copied();
        let checks: Vec<Check> = gate.iter().map(|rule| check(run, previous, rule)).collect();
        let passed = checks.iter().all(|c| c.passed);
        verdicts.push(Verdict {
            run: i,
            checks,
            passed,
        });
        last_of_model.insert(model, run);
    }
    verdicts.reverse();
    verdicts
}

fn check(run: &Run, prev_run: Option<&Run>, rule: &GateRule) -> Check {
    let value = run.metrics.get(&rule.metric).copied();
    let previous = prev_run.and_then(|p| p.metrics.get(&rule.metric).copied());
    let mut result = Check {
        metric: rule.metric.clone(),
        value,
        previous,
        passed: false,
        reason: String::new(),
    };
    let Some(v) = value else {
        result.reason = "not reported in this run".to_string();
        return result;
    };
    let (mut passes, mut fails) = (Vec::new(), Vec::new());
    let mut note = |ok: bool, text: String| {
        if ok {
            passes.push(text)
        } else {
            fails.push(text)
        }
    };
    if let Some(min) = rule.min {
        let ok = v >= min - EPSILON;
        let op = if ok { ">=" } else { "<" };
        note(ok, format!("{} {op} min {}", num(v), num(min)));
    }
    if let Some(max) = rule.max {
        let ok = v <= max + EPSILON;
        let op = if ok { "<=" } else { ">" };
        note(ok, format!("{} {op} max {}", num(v), num(max)));
    }
    if let Some(max_drop) = rule.max_drop {
        match (prev_run, previous) {
            (None, _) => note(true, "no earlier run of this model".to_string()),
            (Some(_), None) => note(
                true,
                "no earlier value: the previous run of this model did not report it".to_string(),
            ),
            (Some(_), Some(p)) => {
                let drop = p - v;
                let change = if drop > EPSILON {
                    format!("dropped {} from {}", num(drop), num(p))
                } else if drop < -EPSILON {
                    format!("rose {} from {}", num(-drop), num(p))
                } else if drop.abs() <= EPSILON {
                    format!("unchanged from {}", num(p))
                } else {
                    format!("{} after {}", num(v), num(p))
                };
                note(
                    drop <= max_drop + EPSILON,
                    format!("{change} (max_drop {})", num(max_drop)),
                );
            }
        }
    }
    if rule.min.is_none() && rule.max.is_none() && rule.max_drop.is_none() {
        note(true, format!("{} (no bound set)", num(v)));
    }
    result.passed = fails.is_empty();
    result.reason = if result.passed {
        passes.join("; ")
    } else {
        fails.join("; ")
    };
    result
}

/// The gate status of the newest run (the first verdict of [`evaluate`]).
pub fn status(verdicts: &[Verdict]) -> GateStatus {
    match verdicts.first() {
        None => GateStatus::None,
        Some(v) if v.passed => GateStatus::Pass,
        Some(_) => GateStatus::Fail,
    }
}

/// Each named model's newest run, sorted by model name, with the cheapest
/// passing model marked (lowest cost; a tie goes to the first name).
pub fn models(runs: &[Run], verdicts: &[Verdict]) -> Vec<ModelLatest> {
    let mut latest: BTreeMap<&str, usize> = BTreeMap::new();
    for i in chronological(runs) {
        if let Some(model) = runs.get(i).and_then(|r| r.model.as_deref()) {
            latest.insert(model, i);
        }
    }
    let mut verdict_of: HashMap<usize, bool> = HashMap::with_capacity(verdicts.len());
    for v in verdicts {
        verdict_of.entry(v.run).or_insert(v.passed);
    }
    let passed = |i: usize| verdict_of.get(&i).copied().unwrap_or(false);
    let mut out: Vec<ModelLatest> = latest
        .into_iter()
        .filter_map(|(model, i)| {
            let run = runs.get(i)?;
            let (date, cost, passed) = (run.date.clone(), run.cost, passed(i));
            Some(ModelLatest {
                model: model.to_string(),
                run: i,
                date,
                cost,
                passed,
                cheapest_passing: false,
            })
        })
        .collect();
    let cheapest = out
        .iter()
        .enumerate()
        .filter(|(_, m)| m.passed)
        .filter_map(|(i, m)| m.cost.filter(|c| !c.is_nan()).map(|c| (i, c)))
        .min_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal));
    if let Some(entry) = cheapest.and_then(|(i, _)| out.get_mut(i)) {
        entry.cheapest_passing = true;
    }
    out
}

/// Run indices oldest first: by date, then line, then index.
fn chronological(runs: &[Run]) -> Vec<usize> {
    let mut order: Vec<(&str, usize, usize)> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.date.as_str(), r.line, i))
        .collect();
    order.sort();
    order.into_iter().map(|(_, _, i)| i).collect()
}

/// A number for a reason text: up to nine decimals, trailing zeros dropped.
fn num(x: f64) -> String {
    crate::domain::eval::decimal(x, 9)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::eval::fixtures::{rule, run};

    /// The single check of a one-run, one-rule evaluation.
    fn one(value: f64, r: GateRule) -> Check {
        let runs = [run(1, "2026-11-20", None, None, &[("m", value)])];
        let v = evaluate(&runs, &[r]);
        v[0].checks[0].clone()
    }

    #[test]
    fn min_at_and_around_boundary() {
        let c = one(0.95, rule("m", Some(0.95), None, None));
        assert!(c.passed);
        assert_eq!(c.reason, "0.95 >= min 0.95");
        assert!(one(0.95 - 1e-12, rule("m", Some(0.95), None, None)).passed);
        assert!(one(0.96, rule("m", Some(0.95), None, None)).passed);
        let c = one(0.93, rule("m", Some(0.95), None, None));
        assert!(!c.passed);
        assert_eq!(c.reason, "0.93 < min 0.95");
        let c = one(0.9499, rule("m", Some(0.95), None, None));
        assert!(!c.passed);
        assert_eq!(c.reason, "0.9499 < min 0.95");
        // 0.1 + 0.2 = 0.30000000000000004 in floats; still >= 0.3.
        assert!(one(0.1 + 0.2, rule("m", Some(0.3), None, None)).passed);
        assert!(!one(f64::NAN, rule("m", Some(0.0), None, None)).passed);
    }

    #[test]
    fn max_at_and_around_boundary() {
        let c = one(0.5, rule("m", None, Some(0.5), None));
        assert!(c.passed);
        assert_eq!(c.reason, "0.5 <= max 0.5");
        assert!(one(0.5 + 1e-12, rule("m", None, Some(0.5), None)).passed);
        let c = one(0.5001, rule("m", None, Some(0.5), None));
        assert!(!c.passed);
        assert_eq!(c.reason, "0.5001 > max 0.5");
        // min and max together: only the failing part is the reason.
        let c = one(0.7, rule("m", Some(0.1), Some(0.5), None));
        assert_eq!((c.passed, c.reason.as_str()), (false, "0.7 > max 0.5"));
        let c = one(0.3, rule("m", Some(0.1), Some(0.5), None));
        assert_eq!(
            (c.passed, c.reason.as_str()),
            (true, "0.3 >= min 0.1; 0.3 <= max 0.5")
        );
    }

    fn drop_check(prev: f64, value: f64, max_drop: f64) -> Check {
        let runs = [
            run(1, "2026-11-01", Some("a"), None, &[("m", prev)]),
            run(2, "2026-11-02", Some("a"), None, &[("m", value)]),
        ];
        let v = evaluate(&runs, &[rule("m", None, None, Some(max_drop))]);
        assert_eq!(v[1].checks[0].reason, "no earlier run of this model");
        assert!(v[1].passed);
        v[0].checks[0].clone()
    }

    #[test]
    fn max_drop_at_and_around_boundary() {
        // 0.97 - 0.95 = 0.020000000000000018 in floats: exactly max_drop passes.
        let c = drop_check(0.97, 0.95, 0.02);
        assert!(c.passed);
        assert_eq!(c.reason, "dropped 0.02 from 0.97 (max_drop 0.02)");
        assert_eq!((c.value, c.previous), (Some(0.95), Some(0.97)));
        let c = drop_check(0.97, 0.93, 0.02);
        assert!(!c.passed);
        assert_eq!(c.reason, "dropped 0.04 from 0.97 (max_drop 0.02)");
        let c = drop_check(0.97, 0.949, 0.02);
        assert!(!c.passed);
        assert_eq!(c.reason, "dropped 0.021 from 0.97 (max_drop 0.02)");
        let c = drop_check(0.97, 0.951, 0.02);
        assert!(c.passed);
        let c = drop_check(0.90, 0.95, 0.0);
        assert_eq!(
            (c.passed, c.reason.as_str()),
            (true, "rose 0.05 from 0.9 (max_drop 0)")
        );
        let c = drop_check(0.9, 0.9, 0.0);
        assert_eq!(
            (c.passed, c.reason.as_str()),
            (true, "unchanged from 0.9 (max_drop 0)")
        );
    }

    #[test]
    fn max_drop_compares_with_previous_run_of_same_model() {
        let runs = [
            run(1, "2026-11-01", Some("a"), None, &[("m", 0.97)]),
            run(2, "2026-11-02", Some("b"), None, &[("m", 0.90)]),
            run(3, "2026-11-03", Some("a"), None, &[("m", 0.91)]),
            run(4, "2026-11-04", None, None, &[("m", 0.50)]),
            run(5, "2026-11-05", None, None, &[("m", 0.49)]),
        ];
        let v = evaluate(&runs, &[rule("m", None, None, Some(0.02))]);
        let order: Vec<usize> = v.iter().map(|v| v.run).collect();
        assert_eq!(order, [4, 3, 2, 1, 0]);
        // Run 3 (model a): against a's 0.97, not b's 0.90 on the line before.
        let c = &v[2].checks[0];
        assert_eq!(c.previous, Some(0.97));
        assert!(!c.passed);
        assert_eq!(c.reason, "dropped 0.06 from 0.97 (max_drop 0.02)");
        assert_eq!(v[3].checks[0].reason, "no earlier run of this model");
        // Unnamed models compare with unnamed models.
        assert_eq!(v[1].checks[0].reason, "no earlier run of this model");
        assert_eq!(v[0].checks[0].previous, Some(0.50));
        assert!(v[0].passed);
    }

    #[test]
    fn previous_without_the_metric_passes_max_drop() {
        let runs = [
            run(1, "2026-11-01", Some("a"), None, &[("other", 1.0)]),
            run(2, "2026-11-02", Some("a"), None, &[("m", 0.1)]),
        ];
        let v = evaluate(&runs, &[rule("m", None, None, Some(0.0))]);
        assert!(v[0].passed);
        assert_eq!(v[0].checks[0].previous, None);
        assert!(v[0].checks[0].reason.starts_with("no earlier value"));
        // The older run lacks "m": it fails.
        assert!(!v[1].passed);
    }

    #[test]
    fn newest_first_with_equal_dates() {
        let runs = [
            run(1, "2026-11-20", None, None, &[]),
            run(2, "2026-11-20", None, None, &[]),
            run(3, "2026-11-19", None, None, &[]),
            run(4, "2026-12-01", None, None, &[]),
        ];
        let v = evaluate(&runs, &[]);
        let order: Vec<usize> = v.iter().map(|v| v.run).collect();
        assert_eq!(order, [3, 1, 0, 2]);
        assert!(v.iter().all(|v| v.passed && v.checks.is_empty()));
        assert_eq!(status(&v), GateStatus::Pass);
    }

    #[test]
    fn missing_metric_fails() {
        let runs = [run(1, "2026-11-20", None, None, &[("a", 1.0)])];
        let v = evaluate(
            &runs,
            &[
                rule("a", Some(0.5), None, None),
                rule("b", Some(0.5), None, None),
            ],
        );
        assert!(!v[0].passed);
        assert!(v[0].checks[0].passed);
        let c = &v[0].checks[1];
        assert_eq!(
            (c.passed, c.value, c.reason.as_str()),
            (false, None, "not reported in this run")
        );
        assert_eq!(status(&v), GateStatus::Fail);
        assert_eq!(status(&[]), GateStatus::None);
        assert_eq!(
            serde_json::to_string(&GateStatus::Fail).unwrap(),
            "\"fail\""
        );
    }

    #[test]
    fn status_is_of_the_newest_run() {
        let runs = [
            run(1, "2026-11-20", None, None, &[("m", 0.1)]),
            run(2, "2026-11-01", None, None, &[("m", 0.9)]),
        ];
        let v = evaluate(&runs, &[rule("m", Some(0.5), None, None)]);
        assert_eq!(status(&v), GateStatus::Fail);
    }

    fn cheapest(runs: &[Run]) -> Vec<(String, bool, bool)> {
        let v = evaluate(runs, &[rule("m", Some(0.9), None, None)]);
        models(runs, &v)
            .into_iter()
            .map(|m| (m.model, m.passed, m.cheapest_passing))
            .collect()
    }

    #[test]
    fn cheapest_passing_model() {
        let runs = [
            run(1, "2026-11-01", Some("c"), Some(0.01), &[("m", 0.99)]), // c's older run
            run(2, "2026-11-02", Some("a"), Some(0.10), &[("m", 0.80)]), // cheapest, fails
            run(3, "2026-11-02", Some("b"), Some(0.50), &[("m", 0.95)]),
            run(4, "2026-11-03", Some("c"), Some(0.30), &[("m", 0.91)]),
            run(5, "2026-11-04", None, Some(0.00), &[("m", 1.0)]), // unnamed: skipped
        ];
        let got = cheapest(&runs);
        let want = [("a", false, false), ("b", true, false), ("c", true, true)];
        assert_eq!(got, want.map(|(m, p, c)| (m.to_string(), p, c)));
        let v = evaluate(&runs, &[]);
        let m = models(&runs, &v);
        assert_eq!(
            (m[2].run, m[2].date.as_str(), m[2].cost),
            (3, "2026-11-03", Some(0.30))
        );
    }

    #[test]
    fn cheapest_passing_tie_goes_to_first_name() {
        let runs = [
            run(1, "2026-11-01", Some("zeta"), Some(0.3), &[("m", 0.95)]),
            run(2, "2026-11-01", Some("beta"), Some(0.3), &[("m", 0.95)]),
            run(3, "2026-11-01", Some("alpha"), None, &[("m", 0.95)]),
        ];
        let marked: Vec<String> = cheapest(&runs)
            .into_iter()
            .filter(|m| m.2)
            .map(|m| m.0)
            .collect();
        assert_eq!(marked, ["beta"]);
    }

    #[test]
    fn no_costs_no_cheapest() {
        let runs = [
            run(1, "2026-11-01", Some("a"), None, &[("m", 0.95)]),
            run(2, "2026-11-01", Some("b"), Some(0.1), &[("m", 0.5)]), // has a cost but fails
        ];
        assert!(cheapest(&runs).iter().all(|m| !m.2));
        assert!(models(&[], &[]).is_empty());
    }

    #[test]
    fn numbers_in_reasons() {
        assert_eq!(num(1e300), "1e300");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(0.950), "0.95");
    }
}
