//! Eval sets (JSON Lines and CSV) and results, and the release gate applied to the runs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollbook::internals::{eval_files, gate, GateRule};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    for name in ["cases.jsonl", "cases.csv"] {
        if let Err(e) = eval_files::count_cases(name, text) {
            assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{e:?}");
        }
    }
    let (runs, errors) = eval_files::parse_results(text);
    for e in &errors {
        assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{e:?}");
    }
    // A gate on every metric the runs report, with bounds taken from the runs themselves.
    let mut gate: Vec<GateRule> = Vec::new();
    for (i, (metric, value)) in runs.iter().flat_map(|r| &r.metrics).take(8).enumerate() {
        gate.push(GateRule {
            metric: metric.clone(),
            min: (i % 3 == 0).then_some(*value),
            max: (i % 3 == 1).then_some(*value),
            max_drop: (i % 2 == 0).then_some(value.abs()),
        });
    }
    let verdicts = gate::evaluate(&runs, &gate);
    assert_eq!(verdicts.len(), runs.len());
    let _ = gate::status(&verdicts);
    let models = gate::models(&runs, &verdicts);
    assert!(models.iter().filter(|m| m.cheapest_passing).count() <= 1);
});
