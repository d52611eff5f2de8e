//! Eval files: counts the cases of an eval set and parses the results file into runs.
//!
//! The caller reads the files; this module only sees their text. Nothing here
//! panics on input: bad lines become [`EvalError`]s with 1-based line and column.

use crate::domain::eval::Run;
use crate::load::read::strip_bom;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

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
    let Value::Object(obj) = value else {
        let col = char_col(line, line.len() - line.trim_start().len());
        let msg = format!("a run must be a JSON object, e.g. {RUN_EXAMPLE}");
        return Err((col, msg));
    };
    if let Some(unknown) = unknown_key(line, obj) {
        return Err(unknown);
    }
    // An error is at the key's value, or at the line's start when the key is missing.
    let at = |key: &'static str| {
        move |msg: String| match obj.contains_key(key) {
            true => (value_col(line, key), msg),
            false => (1, msg),
        }
    };
    Ok(Run {
        line: n,
        date: run_date(obj).map_err(at("date"))?,
        version: optional_text(obj, "version").map_err(at("version"))?,
        model: optional_text(obj, "model").map_err(at("model"))?,
        cost: run_cost(obj).map_err(at("cost"))?,
        metrics: run_metrics(line, obj)?,
    })
}

/// The column of `key`'s value on the line, or 1 where it is not found as written.
fn value_col(line: &str, key: &str) -> usize {
    locate(line, key, 0).map_or(1, |l| l.value_col)
}

/// The leftmost key a run does not have, with what to write instead, at its column.
fn unknown_key(line: &str, obj: &Map<String, Value>) -> Option<(usize, String)> {
    let mut unknown = obj
        .iter()
        .filter(|(k, _)| !RUN_KEYS.contains(&k.as_str()))
        .peekable();
    unknown.peek()?;
    // One pass over the line however many there are; a key not found as written
    // (escaped) counts as the line's start.
    let keys = key_offsets(line);
    let at = |k: &String| {
        serde_json::to_string(k)
            .ok()
            .and_then(|needle| keys.get(needle.as_str()).copied())
    };
    let (key, v) = unknown.min_by_key(|(k, _)| at(k).map_or(0, |b| b + 1))?;
    let col = at(key).map_or(1, |b| char_col(line, b));
    let near = RUN_KEYS.iter().min_by_key(|c| strsim::levenshtein(key, c));
    let near = near.unwrap_or(&"date");
    let mut msg = format!(
        "unknown key \"{key}\" (did you mean \"{near}\"?): a run's keys are \
         date, version, model, cost and metrics"
    );
    if v.is_number() && strsim::levenshtein(key, near) > 2 {
        msg += &format!("; put scores under \"metrics\", e.g. \"metrics\": {{\"{key}\": {v}}}");
    }
    Some((col, msg))
}

/// A run's `date`; an error says what to write.
fn run_date(obj: &Map<String, Value>) -> Result<String, String> {
    match obj.get("date") {
        None => Err("missing \"date\": add \"date\": \"YYYY-MM-DD\" (the run's day)".into()),
        Some(Value::String(s)) if valid_date(s) => Ok(s.clone()),
        Some(Value::String(s)) => Err(format!(
            "date \"{s}\" is not a real calendar date: \
             write it as YYYY-MM-DD, e.g. \"2026-11-20\""
        )),
        Some(_) => Err("date must be a string \"YYYY-MM-DD\", e.g. \"2026-11-20\"".into()),
    }
}

/// A run's `cost`, 0 or more; absent or `null` is none.
fn run_cost(obj: &Map<String, Value>) -> Result<Option<f64>, String> {
    match obj.get("cost") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(x)) => match x.as_f64() {
            Some(c) if c >= 0.0 => Ok(Some(c + 0.0)), // + 0.0 turns -0.0 into 0.0
            _ => Err(format!(
                "cost {x} is negative: give what the run cost, 0 or more"
            )),
        },
        Some(_) => Err(
            "cost must be a number, the run's cost in the pack's one currency, e.g. 0.42".into(),
        ),
    }
}

/// A run's `metrics`: an object of numbers; an error is at the value that is not one.
fn run_metrics(
    line: &str,
    obj: &Map<String, Value>,
) -> Result<BTreeMap<String, f64>, (usize, String)> {
    let example = "e.g. \"metrics\": {\"citation_rate\": 0.97}";
    match obj.get("metrics") {
        None => Err((1, format!("missing \"metrics\": add the scores, {example}"))),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(name, v)| match v.as_f64() {
                Some(x) => Ok((name.clone(), x)),
                None => {
                    let from = locate(line, "metrics", 0).map_or(0, |l| l.value_byte);
                    let col = locate(line, name, from).map_or(1, |l| l.value_col);
                    let msg = format!("metric \"{name}\" must be a number, e.g. \"{name}\": 0.97");
                    Err((col, msg))
                }
            })
            .collect(),
        Some(_) => Err((
            value_col(line, "metrics"),
            format!("metrics must be an object of numbers, {example}"),
        )),
    }
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

/// A `YYYY-MM-DD` string naming a real calendar day.
fn valid_date(s: &str) -> bool {
    s.len() == 10 && crate::domain::answers::parse_date(s).is_some()
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

#[cfg(test)]
mod tests;
