//! Eval sets and results: counts cases, parses runs, and applies the release gate.
//!
//! The caller reads the files; this module only sees their text. Nothing here
//! panics on input: bad lines become [`EvalError`]s with 1-based line and column.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Tolerance for gate comparisons, so `0.95 >= min 0.95` holds despite float error.
const EPSILON: f64 = 1e-9;
const RUN_KEYS: [&str; 5] = ["date", "version", "model", "cost", "metrics"];
const RUN_EXAMPLE: &str = r#"{"date": "2026-11-20", "model": "acme/small-2", "cost": 0.42, "metrics": {"citation_rate": 0.97}}"#;

/// A problem in an eval file, at a 1-based line and column (in characters) of that file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalError {
    pub line: usize,
    pub column: usize,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl EvalError {
    fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        EvalError {
            line,
            column: column.max(1),
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for EvalError {}

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

/// Counts the cases of an eval set: CSV (by a `.csv` extension, header row not
/// counted) or else JSON Lines (one JSON value per non-blank line).
pub fn count_cases(file_name: &str, text: &str) -> Result<usize, EvalError> {
    let text = strip_bom(text);
    let is_csv = std::path::Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        count_csv(text)
    } else {
        count_jsonl(text)
    }
}

fn count_jsonl(text: &str) -> Result<usize, EvalError> {
    let mut count = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(line) {
            return Err(EvalError::new(
                i + 1,
                json_column(line, &e),
                format!(
                    "eval case is not valid JSON ({}): write one JSON case per line \
                     (JSON Lines), or use a .csv file with a header row",
                    json_reason(&e)
                ),
            ));
        }
        count += 1;
    }
    Ok(count)
}

fn count_csv(text: &str) -> Result<usize, EvalError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim_end().as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut count = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => count += 1,
            Ok(false) => return Ok(count),
            Err(e) => {
                let line = e
                    .position()
                    .and_then(|p| usize::try_from(p.line()).ok())
                    .unwrap_or(1);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "this row has {len} fields but the header row has {expected_len}: \
                         give every row one field per column, and quote fields that \
                         contain commas"
                    ),
                    _ => format!("eval set is not valid CSV ({e}): fix this row"),
                };
                return Err(EvalError::new(line, 1, message));
            }
        }
    }
}

/// Parses a results file (JSON Lines, one run a line). Bad lines become errors;
/// good lines still become runs, in file order.
pub fn parse_results(text: &str) -> (Vec<Run>, Vec<EvalError>) {
    let mut runs = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in strip_bom(text).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_run(i + 1, line) {
            Ok(run) => runs.push(run),
            Err(e) => errors.push(e),
        }
    }
    (runs, errors)
}

fn parse_run(n: usize, line: &str) -> Result<Run, EvalError> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        let why = json_reason(&e);
        let msg =
            format!("run is not valid JSON ({why}): write one run per line, e.g. {RUN_EXAMPLE}");
        EvalError::new(n, json_column(line, &e), msg)
    })?;
    run_fields(n, line, &value).map_err(|(column, message)| EvalError::new(n, column, message))
}

/// The fields of one run, or the column and message of its first problem.
fn run_fields(n: usize, line: &str, value: &Value) -> Result<Run, (usize, String)> {
    fn bad<T>(column: usize, message: impl Into<String>) -> Result<T, (usize, String)> {
        Err((column, message.into()))
    }
    let Value::Object(obj) = value else {
        let col = char_col(line, line.len() - line.trim_start().len());
        let msg = format!("a run must be a JSON object, e.g. {RUN_EXAMPLE}");
        return bad(col, msg);
    };
    let value_col = |key: &str| locate(line, key, 0).map_or(1, |l| l.value_col);
    let mut unknown = obj
        .iter()
        .filter(|(k, _)| !RUN_KEYS.contains(&k.as_str()))
        .peekable();
    // The leftmost unknown key, from one pass over the line however many there are; a key
    // not found as written (escaped) counts as the line's start.
    let first = unknown.peek().is_some().then(|| {
        let keys = key_offsets(line);
        let at = |k: &String| {
            serde_json::to_string(k)
                .ok()
                .and_then(|needle| keys.get(needle.as_str()).copied())
        };
        unknown
            .min_by_key(|(k, _)| at(k).map_or(0, |b| b + 1))
            .map(|(k, v)| {
                let col = at(k).map_or(1, |b| char_col(line, b));
                (col, k, v)
            })
    });
    if let Some((col, key, v)) = first.flatten() {
        let near = RUN_KEYS.iter().min_by_key(|c| edit_distance(key, c));
        let near = near.unwrap_or(&"date");
        let mut msg = format!(
            "unknown key \"{key}\" (did you mean \"{near}\"?): a run's keys are \
             date, version, model, cost and metrics"
        );
        if v.is_number() && edit_distance(key, near) > 2 {
            msg += &format!("; put scores under \"metrics\", e.g. \"metrics\": {{\"{key}\": {v}}}");
        }
        return bad(col, msg);
    }
    let date = match obj.get("date") {
        None => {
            return bad(
                1,
                "missing \"date\": add \"date\": \"YYYY-MM-DD\" (the run's day)",
            )
        }
        Some(Value::String(s)) if valid_date(s) => s.clone(),
        Some(Value::String(s)) => {
            let msg = format!(
                "date \"{s}\" is not a real calendar date: \
                 write it as YYYY-MM-DD, e.g. \"2026-11-20\""
            );
            return bad(value_col("date"), msg);
        }
        Some(_) => {
            let msg = "date must be a string \"YYYY-MM-DD\", e.g. \"2026-11-20\"";
            return bad(value_col("date"), msg);
        }
    };
    let version = optional_text(obj, "version").map_err(|m| (value_col("version"), m))?;
    let model = optional_text(obj, "model").map_err(|m| (value_col("model"), m))?;
    let cost = match obj.get("cost") {
        None | Some(Value::Null) => None,
        Some(Value::Number(x)) => match x.as_f64() {
            Some(c) if c >= 0.0 => Some(c + 0.0), // + 0.0 turns -0.0 into 0.0
            _ => {
                let msg = format!("cost {x} is negative: give what the run cost, 0 or more");
                return bad(value_col("cost"), msg);
            }
        },
        Some(_) => {
            let msg = "cost must be a number, the run's cost in the pack's one currency, e.g. 0.42";
            return bad(value_col("cost"), msg);
        }
    };
    let example = "e.g. \"metrics\": {\"citation_rate\": 0.97}";
    let metrics = match obj.get("metrics") {
        None => return bad(1, format!("missing \"metrics\": add the scores, {example}")),
        Some(Value::Object(m)) => {
            let mut metrics = BTreeMap::new();
            for (name, v) in m {
                let Some(x) = v.as_f64() else {
                    let from = locate(line, "metrics", 0).map_or(0, |l| l.value_byte);
                    let col = locate(line, name, from).map_or(1, |l| l.value_col);
                    let msg = format!("metric \"{name}\" must be a number, e.g. \"{name}\": 0.97");
                    return bad(col, msg);
                };
                metrics.insert(name.clone(), x);
            }
            metrics
        }
        Some(_) => {
            let msg = format!("metrics must be an object of numbers, {example}");
            return bad(value_col("metrics"), msg);
        }
    };
    Ok(Run {
        line: n,
        date,
        version,
        model,
        cost,
        metrics,
    })
}

/// An optional, non-empty string field; `null` counts as absent.
fn optional_text(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
        Some(Value::String(_)) => Err(format!("{key} is empty: name it, or leave \"{key}\" out")),
        Some(_) => {
            let example = if key == "model" {
                "acme/small-2"
            } else {
                "prompt-v7"
            };
            Err(format!(
                "{key} must be a string, e.g. \"{key}\": \"{example}\""
            ))
        }
    }
}

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

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// A `YYYY-MM-DD` string naming a real calendar day.
fn valid_date(s: &str) -> bool {
    let part = |from: usize, to: usize| -> Option<u32> {
        let p = s
            .get(from..to)
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))?;
        p.parse().ok()
    };
    if s.len() != 10 || s.get(4..5) != Some("-") || s.get(7..8) != Some("-") {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (part(0, 4), part(5, 7), part(8, 10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Where `"key":` sits in a line.
struct Located {
    value_col: usize,
    value_byte: usize,
}

/// Finds `"key":` in `line` at or after byte `from` (a best-effort text search).
fn locate(line: &str, key: &str, from: usize) -> Option<Located> {
    let needle = serde_json::to_string(key).ok()?;
    let hay = line.get(from..)?;
    for (p, _) in hay.match_indices(needle.as_str()) {
        let start = from + p;
        let after = line.get(start + needle.len()..)?;
        if let Some(rest) = after.trim_start().strip_prefix(':') {
            let value_byte = line.len() - rest.trim_start().len();
            return Some(Located {
                value_col: char_col(line, value_byte),
                value_byte,
            });
        }
    }
    None
}

/// Where each JSON string followed by a `:` (a key) first appears in `line`, by the
/// string as written, quotes included.
fn key_offsets(line: &str) -> HashMap<&str, usize> {
    let bytes = line.as_bytes();
    let mut keys = HashMap::new();
    let mut i = 0;
    while let Some(start) = bytes
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'"'))
    {
        let start = i + start;
        // The closing quote: the next one not escaped by a backslash.
        let mut end = start + 1;
        while let Some(&c) = bytes.get(end) {
            match c {
                b'\\' => end += 2,
                b'"' => break,
                _ => end += 1,
            }
        }
        let Some(literal) = line.get(start..=end) else {
            break;
        };
        let rest = line.get(end + 1..).unwrap_or("");
        if rest.trim_start().starts_with(':') {
            keys.entry(literal).or_insert(start);
        }
        i = end + 1;
    }
    keys
}

/// 1-based character column of a byte offset.
fn char_col(line: &str, byte: usize) -> usize {
    line.char_indices().take_while(|&(i, _)| i < byte).count() + 1
}

/// serde_json reports byte columns; turn them into character columns.
fn json_column(line: &str, e: &serde_json::Error) -> usize {
    char_col(line, e.column().saturating_sub(1))
}

/// serde_json's message without its " at line L column C" suffix.
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ").and_then(|p| text.get(..p)) {
        Some(head) => head.to_string(),
        None => text,
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = i;
        let mut next = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = next.last().copied().unwrap_or(usize::MAX);
            let cost = diag.saturating_add(usize::from(ca != *cb));
            next.push(cost.min(up.saturating_add(1)).min(left.saturating_add(1)));
            diag = up;
        }
        row = next;
    }
    row.last().copied().unwrap_or(0)
}

/// A number for a reason text: up to nine decimals, trailing zeros dropped.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-9) {
        return format!("{x:e}");
    }
    let s = format!("{x:.9}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
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

    fn rule(metric: &str, min: Option<f64>, max: Option<f64>, max_drop: Option<f64>) -> GateRule {
        GateRule {
            metric: metric.to_string(),
            min,
            max,
            max_drop,
        }
    }

    /// The single check of a one-run, one-rule evaluation.
    fn one(value: f64, r: GateRule) -> Check {
        let runs = [run(1, "2026-11-20", None, None, &[("m", value)])];
        let v = evaluate(&runs, &[r]);
        v[0].checks[0].clone()
    }

    fn err(text: &str) -> EvalError {
        let (runs, errors) = parse_results(text);
        assert!(runs.is_empty(), "{runs:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors[0].clone()
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
    fn counts_jsonl() {
        assert_eq!(
            count_cases("cases.jsonl", "{\"q\": 1}\n\n[1]\n   \n\"x\"\n\n"),
            Ok(3)
        );
        assert_eq!(count_cases("cases.ndjson", "\u{feff}{}\r\n{}\r\n"), Ok(2));
        assert_eq!(count_cases("cases.json", ""), Ok(0));
        let e = count_cases("cases.jsonl", "{}\n\n{\"a\": }\n{}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 7));
        assert!(
            e.message.contains("not valid JSON (expected value)"),
            "{}",
            e.message
        );
        assert!(e.message.contains("one JSON case per line"));
        let e = count_cases("cases.jsonl", "{\"é\": 1} x").unwrap_err();
        assert_eq!((e.line, e.column), (1, 10));
        let e = count_cases("x.jsonl", "[\n  1\n]").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn counts_csv() {
        let text = "question,answer\n\"multi\nline, with comma\",x\nb,c\n\n\n";
        assert_eq!(count_cases("cases.csv", text), Ok(2));
        assert_eq!(count_cases("cases.CSV", "q,a\r\n1,2\r\n3,4\r\n"), Ok(2));
        assert_eq!(count_cases("cases.csv", "q,a\n"), Ok(0));
        assert_eq!(count_cases("cases.csv", "\u{feff}q,a"), Ok(0));
        assert_eq!(count_cases("cases.csv", ""), Ok(0));
        assert_eq!(count_cases("cases.csv", "q\n1\n\n2\n  \n"), Ok(2));
        let e = count_cases("cases.csv", "q,a\n1,2\n\"x\ny\",z\nonly\n").unwrap_err();
        assert_eq!((e.line, e.column), (5, 1));
        assert!(
            e.message.contains("1 fields but the header row has 2"),
            "{}",
            e.message
        );
    }

    #[test]
    fn parses_runs() {
        let text = "\u{feff}{\"date\": \"2026-11-20\", \"version\": \"prompt-v7\", \"model\": \"acme/small-2\", \"cost\": 0.42, \"metrics\": {\"citation_rate\": 0.97, \"n\": 3}}\r\n\r\n\
                    {\"date\": \"2024-02-29\", \"version\": null, \"metrics\": {}}\n";
        let (runs, errors) = parse_results(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(runs.len(), 2);
        let r = &runs[0];
        assert_eq!(
            (r.line, r.date.as_str(), r.cost),
            (1, "2026-11-20", Some(0.42))
        );
        assert_eq!(
            (r.version.as_deref(), r.model.as_deref()),
            (Some("prompt-v7"), Some("acme/small-2"))
        );
        assert_eq!(r.metrics.get("citation_rate"), Some(&0.97));
        assert_eq!(r.metrics.get("n"), Some(&3.0));
        assert_eq!(
            (runs[1].line, runs[1].version.clone(), runs[1].model.clone()),
            (3, None, None)
        );
        assert_eq!(parse_results(""), (vec![], vec![]));
    }

    #[test]
    fn good_lines_survive_bad_ones() {
        let good = r#"{"date": "2026-11-20", "metrics": {"a": 1}}"#;
        let text =
            format!("{good}\nnot json\n{good}\n{{\"date\": \"2026-11-31\", \"metrics\": {{}}}}\n");
        let (runs, errors) = parse_results(&text);
        assert_eq!(runs.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn syntax_and_shape_errors() {
        let e = err("\n{\"date\": \"2026-11-20\", \"metrics\": {\"a\": 0.9}");
        assert_eq!(e.line, 2);
        assert!(
            e.message
                .starts_with("run is not valid JSON (EOF while parsing an object)"),
            "{}",
            e.message
        );
        let e = err("{\"date\": \"2026-11-20\", \"metrics\": {\"a\": 1e400}}");
        assert!(e.message.contains("number out of range"), "{}", e.message);
        let e = err("  [1, 2]");
        assert_eq!((e.line, e.column), (1, 3));
        assert!(e.message.contains("must be a JSON object"));
    }

    #[test]
    fn unknown_key_names_nearest() {
        let e = err(r#"{"dtae": "2026-11-20", "metrics": {}}"#);
        assert_eq!((e.line, e.column), (1, 2));
        assert!(
            e.message
                .starts_with("unknown key \"dtae\" (did you mean \"date\"?)"),
            "{}",
            e.message
        );
        let e = err(r#"{"date": "2026-11-20", "metrics": {}, "modle": "x", "accuracy": 0.9}"#);
        assert_eq!(e.column, 39);
        assert!(
            e.message.contains("did you mean \"model\""),
            "{}",
            e.message
        );
        let e = err(r#"{"date": "2026-11-20", "metrics": {}, "accuracy": 0.9}"#);
        assert!(
            e.message.contains("put scores under \"metrics\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn leftmost_of_many_unknown_keys() {
        // Keys come out of the parsed object in another order than they are written.
        let keys: Vec<String> = (0..2000).rev().map(|i| format!("\"k{i}\": {i}")).collect();
        let line = format!("{{\"date\": \"2026-11-20\", {}}}", keys.join(", "));
        let e = err(&line);
        assert!(
            e.message.starts_with("unknown key \"k1999\""),
            "{}",
            e.message
        );
        assert_eq!(e.column, 24);
        // A key with an escaped quote is found as written.
        let e = err(r#"{"date": "2026-11-20", "metrics": {}, "note\"": 1, "zz": 2}"#);
        assert!(
            e.message.starts_with(r#"unknown key "note"""#),
            "{}",
            e.message
        );
        assert_eq!(e.column, 39);
        // A key written with an escape is not found as written: the line's start.
        let e = err(r#"{"date": "2026-11-20", "metrics": {}, "\u006dodle": "x"}"#);
        assert!(
            e.message.starts_with("unknown key \"modle\""),
            "{}",
            e.message
        );
        assert_eq!(e.column, 1);
    }

    #[test]
    fn date_errors() {
        let e = err(r#"{"metrics": {}}"#);
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.starts_with("missing \"date\""));
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-1-01",
            "1900-02-29",
            "2026-11-00",
            "+026-11-01",
            "2026/11/01",
        ] {
            let e = err(&format!(r#"{{"date": "{bad}", "metrics": {{}}}}"#));
            assert_eq!(e.column, 10, "{bad}");
            assert!(
                e.message.contains("not a real calendar date"),
                "{bad}: {}",
                e.message
            );
        }
        for good in ["2000-02-29", "2024-02-29", "2026-12-31"] {
            let (runs, errors) =
                parse_results(&format!(r#"{{"date": "{good}", "metrics": {{}}}}"#));
            assert_eq!((runs.len(), errors.len()), (1, 0), "{good}");
        }
        let e = err(r#"{"metrics": {}, "date": 20261120}"#);
        assert_eq!(e.column, 25);
        assert!(e.message.starts_with("date must be a string"));
    }

    #[test]
    fn version_model_cost_errors() {
        let e = err("\n\n{\"date\": \"2026-11-20\", \"version\": 7, \"metrics\": {}}");
        assert_eq!((e.line, e.column), (3, 35));
        assert_eq!(
            e.message,
            "version must be a string, e.g. \"version\": \"prompt-v7\""
        );
        let e = err(r#"{"date": "2026-11-20", "model": " ", "metrics": {}}"#);
        assert_eq!(e.column, 33);
        assert!(e.message.starts_with("model is empty"));
        let e = err(r#"{"date": "2026-11-20", "cost": -0.5, "metrics": {}}"#);
        assert_eq!(e.column, 32);
        assert!(e.message.starts_with("cost -0.5 is negative"));
        let e = err(r#"{"date": "2026-11-20", "cost": "$3", "metrics": {}}"#);
        assert!(e.message.starts_with("cost must be a number"));
        let (runs, _) = parse_results(r#"{"date": "2026-11-20", "cost": -0.0, "metrics": {}}"#);
        assert_eq!(runs[0].cost.map(f64::is_sign_positive), Some(true));
    }

    #[test]
    fn metrics_errors() {
        let e = err(r#"{"date": "2026-11-20"}"#);
        assert!(e.message.starts_with("missing \"metrics\""));
        let e = err(r#"{"date": "2026-11-20", "metrics": [0.9]}"#);
        assert_eq!(e.column, 35);
        assert!(e.message.starts_with("metrics must be an object"));
        // The column points into "metrics", not at the top-level "cost".
        let e = err(r#"{"cost": 1, "date": "2026-11-20", "metrics": {"cost": "high"}}"#);
        assert_eq!(e.column, 55);
        assert!(e.message.starts_with("metric \"cost\" must be a number"));
        let e = err(r#"{"date": "2026-11-20", "metrics": {"a": true}}"#);
        assert_eq!(e.column, 41);
    }

    #[test]
    fn never_panics() {
        let inputs = [
            "",
            "\u{feff}",
            "\r\n",
            "\u{feff}\u{feff}",
            "\"",
            "{",
            "}",
            "[]",
            "null",
            "{\"date\":",
            "{\"\u{1F600}\": 1}",
            "é,\"\n",
            "\"unterminated\nquote",
            "{\"metrics\": {\"\": 1e308}}",
        ];
        for text in inputs {
            let _ = count_cases("x.csv", text);
            let _ = count_cases("x.jsonl", text);
            let _ = count_cases("", text);
            let (runs, _) = parse_results(text);
            let gate = [rule("", Some(f64::NAN), Some(f64::INFINITY), Some(-1.0))];
            let v = evaluate(&runs, &gate);
            let _ = (status(&v), models(&runs, &v));
        }
        let weird = [
            run(1, "x", Some("m"), Some(f64::NAN), &[("m", f64::NAN)]),
            run(0, "", Some("m"), Some(1e308), &[]),
        ];
        let v = evaluate(
            &weird,
            &[
                rule("m", None, None, Some(0.1)),
                rule("m", None, None, None),
            ],
        );
        let _ = models(&weird, &v);
        assert_eq!(num(1e300), "1e300");
        assert_eq!(num(-0.0), "0");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
