//! Tests of counting eval cases and reading eval runs.

use super::*;
use crate::check::gate::{evaluate, models, status};
use crate::domain::eval::fixtures::{rule, run};

fn err(text: &str) -> EvalError {
    let (runs, errors) = parse_results(text);
    assert!(runs.is_empty(), "{runs:?}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
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
        let (runs, errors) = parse_results(&format!(r#"{{"date": "{good}", "metrics": {{}}}}"#));
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
}
