//! Property tests of the parsers of user input: front-matter and its TOML, `site.toml`,
//! eval sets and results, contacts and Markdown. On any input, near-valid or not, they
//! never panic, and every problem they report names its file, a line of that file and a
//! column on that line.

use proptest::prelude::*;
use rollbook::internals::{
    contact, eval_files, frontmatter, gate, line_col, load, markdown, schema, site_toml, validate,
    GateRule, Highlighter, LineIndex,
};
use rollbook::{Diagnostic, Options, Session};
use std::collections::HashSet;
use std::fs;
use std::sync::{Arc, LazyLock};

/// Cases per property: enough to find the bugs these generators reach, while the whole
/// file runs in a few seconds. `PROPTEST_CASES=20000 cargo test --test properties`
/// searches longer.
fn cases(n: u32) -> ProptestConfig {
    let from_env = std::env::var_os("PROPTEST_CASES").is_some();
    ProptestConfig {
        cases: if from_env {
            ProptestConfig::default().cases
        } else {
            n
        },
        // A failure prints its minimal input; add it to a unit test of the module.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

static HIGHLIGHTER: LazyLock<Arc<Highlighter>> = LazyLock::new(|| Arc::new(Highlighter::new()));

// ---------------------------------------------------------------------------------------
// Generators.

/// Text with the characters people and parsers trip on.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~]{0,24}",
        2 => "[<>@+,;&/#:. a-zA-Z0-9()\\[\\]-]{0,24}",
        1 => "[\\PC]{0,12}",
        1 => "[ \\t\\r\\n\"'\\\\<>a-z]{0,12}",
        3 => prop::sample::select(vec![
            "",
            "TBD",
            "todo: later",
            "N/A",
            "N/A: no PII",
            "<name>",
            "?",
            "…",
            "Dana Ortiz <dana@example.com>",
            "Dana and Sam <dana@example.com>",
            "Dana <dana@example.com>, Sam <sam@example.com>",
            "Priya N. <+1 555 0100>",
            "Pager <https://pager.example/x>",
            "<@slee>",
            "Café Zürich 日本語 🙂",
            "see [data](@/p/data.md#sources) and https://grafana.example/d/1",
            "[x](javascript:alert(1))",
            "evals/cases.jsonl",
            "../../etc/passwd",
        ])
        .prop_map(str::to_string),
    ]
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML value as written, valid or nearly so.
fn toml_scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text().prop_map(|s| toml_string(&s)),
        1 => text().prop_map(|s| format!("'{}'", s.replace(['\'', '\n', '\r'], ""))),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => any::<f64>().prop_map(|f| format!("{f:?}")),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        2 => prop::sample::select(vec![
            "0.95", "-0.0", "1_000", "0x1F", "1e400", "inf", "-inf", "nan", "+0.5", "007",
            "2026-11-20", "2026-02-30", "2026-11-20T10:00:00Z", "10:00:00", "1979-05-27 07:32",
            "true", "false", "\"\"", "[]", "{}",
            "\"https://example.github.io/ai-packs\"", "\"https://example.github.io\"",
            "\"http://[::1]:8080/x/\"", "\"https://a.example/%ZZ/é\"", "\"https://\"",
            "\"ftp://x.example\"", "\"https://ex ample.com/\"", "\"//x.example/y\"",
            "\"https://e.example/edit/{path}\"", "\"InspiredGitHub\"", "\"../up\"",
        ])
        .prop_map(str::to_string),
    ]
}

fn toml_value() -> impl Strategy<Value = String> {
    let leaf = toml_scalar();
    leaf.prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((toml_key(), inner), 0..4).prop_map(|kv| {
                let parts: Vec<String> = kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", parts.join(", "))
            }),
        ]
    })
}

/// Every key the schema knows, so most lines reach the checks past the TOML syntax.
fn known_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = schema::SECTIONS
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| f.name))
        .collect();
    keys.extend(schema::COMMON_KEYS);
    keys.extend(schema::GATE_KEYS);
    keys.extend(schema::PHASE_KEYS);
    keys.extend(schema::REVIEW_KEYS);
    keys.extend([
        "base_url",
        "theme",
        "description",
        "edit_url",
        "cname",
        "stale_after_days",
    ]);
    keys
}

fn toml_key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(known_keys()).prop_map(str::to_string),
        1 => "[a-z_]{1,10}",
        1 => "[a-z]{1,5}\\.[a-z]{1,5}",
        1 => text().prop_map(|s| toml_string(&s)),
    ]
}

/// A line of TOML-ish front-matter.
fn toml_line() -> impl Strategy<Value = String> {
    prop_oneof![
        10 => (toml_key(), toml_value()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => prop::sample::select(vec![
            "[[release_gate]]",
            "[[phases]]",
            "[[reviews]]",
            "[rhythm]",
            "[highlight]",
            "[release_gate]",
            "[[hard_stops]]",
            "# a comment",
            "",
            "+++",
            "key = ",
            "= 1",
            "name = \"unterminated",
            "sources = [\"a\",",
            "'''",
            "\"\"\"",
        ])
        .prop_map(str::to_string),
        1 => "[ -~]{0,20}",
        1 => text().prop_map(|t| t.replace(['\n', '\r'], " ")),
    ]
}

fn toml_doc() -> impl Strategy<Value = String> {
    (prop::collection::vec(toml_line(), 0..12), any::<bool>()).prop_map(|(lines, crlf)| {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut doc = lines.join(eol);
        if !doc.is_empty() {
            doc.push_str(eol);
        }
        doc
    })
}

/// A line of Markdown that exercises headings, ids, tasks, links, code and tables.
fn markdown_line() -> impl Strategy<Value = String> {
    let dest = prop_oneof![
        prop::sample::select(vec![
            "@/p/data.md#sources",
            "@/p/data.md",
            "@/",
            "../x.md",
            "../../etc/passwd",
            "%2e%2e/%2e%2e/x.png",
            "#step",
            "#",
            "diagram.svg",
            "javascript:alert(1)",
            "https://example.com/a?b=c#d",
            "mailto:dana@example.com",
            "//example.com",
            "@/p/../../x.md",
            "a%ZZ.md",
            "caf%C3%A9.md#caf%C3%A9",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,12}".prop_map(|s| s.replace([')', ' '], "")),
    ];
    prop_oneof![
        3 => text(),
        2 => ("#{1,7}", text(), prop::option::of("[a-z{}#. -]{0,10}"))
            .prop_map(|(h, t, attrs)| match attrs {
                Some(a) => format!("{h} {t} {{{a}}}"),
                None => format!("{h} {t}"),
            }),
        2 => ("[ ]{0,4}", prop::sample::select(vec!["- [ ] ", "- [x] ", "* [X] ", "1. [ ] ", "- ", "- [", "-[ ]"]), text())
            .prop_map(|(indent, marker, t)| format!("{indent}{marker}{t}")),
        2 => (text(), dest.clone()).prop_map(|(t, d)| format!("[{t}]({d})")),
        1 => dest.clone().prop_map(|d| format!("![img]({d})")),
        1 => dest.prop_map(|d| format!("<{d}>")),
        1 => ("(rust|bash|json|toml|nonsense|)", "[ -~]{0,30}")
            .prop_map(|(lang, code)| format!("```{lang}\n{code}\n```")),
        1 => Just("| a | b |\n|---|:-:|\n| 1 | 2 |".to_string()),
        1 => Just("Note[^1].\n\n[^1]: The note.".to_string()),
        1 => prop::sample::select(vec!["<div>", "</div>", "<script>x</script>", "---", "***", "> quote", "    indented code", "&amp; &#0; &bogus;", "\\", "``", "~~~"])
            .prop_map(str::to_string),
    ]
}

fn markdown_doc() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(markdown_line(), 0..16),
        prop::sample::select(vec!["\n", "\n\n", "\r\n"]),
    )
        .prop_map(|(lines, sep)| lines.join(sep))
}

/// A JSON value for an eval run's fields.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (0.0..1.0f64).prop_map(|f| serde_json::json!(f)),
        any::<i64>().prop_map(|i| serde_json::json!(i)),
        text().prop_map(Value::String),
        prop::sample::select(vec![
            "2026-11-20",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "20261120",
            "2026-11-2O",
            ""
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(2, 10, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An eval run, valid or nearly so, as one JSON line; sometimes cut or edited by hand.
fn run_line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        4 => prop::sample::select(vec!["date", "version", "model", "cost", "metrics"]).prop_map(str::to_string),
        1 => prop::sample::select(vec!["dtae", "modle", "accuracy", "Date", "metric"]).prop_map(str::to_string),
        1 => text(),
    ];
    let metrics = prop::collection::btree_map(
        "[a-z_]{1,10}",
        prop_oneof![
            4 => (0.0..1.0f64).prop_map(|f| serde_json::json!(f)),
            1 => json_value(),
        ],
        0..5,
    )
    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect()));
    let object = (
        prop::sample::select(vec!["2026-11-20", "2026-11-21", "2026-02-30", "bad"]),
        prop::option::of(prop::sample::select(vec![
            "acme/small-2",
            "acme/large-1",
            "",
        ])),
        prop::option::of(prop_oneof![
            (0.0..5.0f64).prop_map(|c| serde_json::json!(c)),
            json_value()
        ]),
        prop::option::of(metrics),
        prop::collection::vec((key, json_value()), 0..3),
    )
        .prop_map(|(date, model, cost, metrics, extra)| {
            let mut m = serde_json::Map::new();
            m.insert("date".into(), serde_json::json!(date));
            if let Some(model) = model {
                m.insert("model".into(), serde_json::json!(model));
            }
            if let Some(cost) = cost {
                m.insert("cost".into(), cost);
            }
            if let Some(metrics) = metrics {
                m.insert("metrics".into(), metrics);
            }
            for (k, v) in extra {
                m.insert(k, v);
            }
            serde_json::Value::Object(m).to_string()
        })
        .boxed();
    prop_oneof![
        6 => object.clone(),
        // Cut short, or with a character typed in the middle.
        2 => (object.clone(), any::<prop::sample::Index>()).prop_map(|(s, i)| {
            let cut = i.index(s.len() + 1);
            let cut = (0..=cut).rev().find(|&c| s.is_char_boundary(c)).unwrap_or(0);
            s[..cut].to_string()
        }),
        2 => (object, any::<prop::sample::Index>(), "[\\PC\"{}\\[\\],:\\\\]").prop_map(|(s, i, c)| {
            let at = i.index(s.len() + 1);
            let at = (0..=at).rev().find(|&c| s.is_char_boundary(c)).unwrap_or(0);
            format!("{}{c}{}", &s[..at], &s[at..])
        }),
        1 => json_value().prop_map(|v| v.to_string()),
        1 => prop::sample::select(vec!["", "   ", "{", "}", "[]", "null", "{\"date\": 1e999, \"metrics\": {}}", "{\"date\": \"2026-11-20\", \"metrics\": {\"m\": -1e400}}"]).prop_map(str::to_string),
        1 => "[ -~]{0,30}",
    ]
}

fn lines_doc(line: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(line, 0..10),
        prop::sample::select(vec!["\n", "\r\n"]),
        any::<bool>(),
    )
        .prop_map(|(bom, lines, eol, trailing)| {
            let mut doc = if bom {
                "\u{feff}".to_string()
            } else {
                String::new()
            };
            doc.push_str(&lines.join(eol));
            if trailing {
                doc.push_str(eol);
            }
            doc
        })
}

fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z0-9 ]{0,8}",
        1 => text().prop_map(|t| format!("\"{}\"", t.replace('"', "\"\""))),
        1 => prop::sample::select(vec!["\"", "\"a\"b", "a,b", "\"x\ny\"", ""]).prop_map(str::to_string),
    ]
}

fn csv_doc() -> impl Strategy<Value = String> {
    lines_doc(prop::collection::vec(csv_field(), 0..4).prop_map(|f| f.join(",")))
}

// ---------------------------------------------------------------------------------------
// What every reported problem must satisfy.

/// `line` and `column` point into `text` (1-based; the column may sit just past the
/// line's last character, and the line after a final newline exists).
fn assert_in_text(text: &str, line: usize, column: usize, what: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        line >= 1 && line <= lines.len(),
        "{what}: line {line} outside 1..={}",
        lines.len()
    );
    let chars = lines.get(line - 1).map_or(0, |l| l.chars().count());
    assert!(
        column >= 1 && column <= chars + 1,
        "{what}: column {column} outside 1..={} of line {line}",
        chars + 1
    );
}

fn assert_diagnostics(diags: &[Diagnostic], file: &str, text: &str) {
    for d in diags {
        assert_eq!(d.file, file, "{d:?}");
        assert!(!d.message.trim().is_empty(), "{d:?}");
        assert_in_text(text, d.line, d.column, &d.message);
    }
}

/// Writes `text` as `content/p/<stem>.md` of a fresh site and reads it as rollbook does.
fn read_page(stem: &str, text: &str) -> (Option<rollbook::internals::Page>, Vec<Diagnostic>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("content").join("p");
    fs::create_dir_all(&pack).expect("pack dir");
    let path = pack.join(format!("{stem}.md"));
    fs::write(&path, text).expect("write page");
    let mut diags = Vec::new();
    let page = load::read_page(
        dir.path(),
        &path,
        &format!("p/{stem}.md"),
        schema::section(stem),
        load::Options::default(),
        &mut diags,
    );
    (page, diags)
}

fn stems() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        schema::SECTIONS
            .iter()
            .map(|s| s.stem)
            .chain(["notes"])
            .collect::<Vec<_>>(),
    )
}

// ---------------------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn line_index_agrees_with_line_col(text in "[\\PC\\r\\n]{0,40}", offsets in prop::collection::vec(0usize..60, 1..8)) {
        let index = LineIndex::new(&text);
        for offset in offsets {
            prop_assert_eq!(index.line_col(offset), line_col(&text, offset));
        }
        for (i, l) in text.lines().enumerate() {
            prop_assert_eq!(index.line(i + 1), Some(l.trim_end_matches('\r')));
        }
        prop_assert_eq!(index.line(text.lines().count() + 1), None);
    }

    #[test]
    fn front_matter_split_is_consistent(
        parts in prop::collection::vec(prop_oneof![
            Just("+++".to_string()), Just("+++ ".to_string()), Just("++".to_string()),
            "[ -~]{0,10}", text(),
        ], 0..6),
        eol in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        bom in any::<bool>(),
    ) {
        let mut text = parts.join(eol);
        if bom {
            text.insert(0, '\u{feff}');
        }
        let text = rollbook::internals::strip_bom(&text);
        if let Ok(split) = frontmatter::split(text) {
            prop_assert_eq!(text.get(split.body_offset..), Some(split.body));
            if let Some((toml, at)) = split.toml {
                prop_assert_eq!(text.get(at..at + toml.len()), Some(toml));
                prop_assert!(at + toml.len() <= split.body_offset);
                prop_assert!(text.starts_with("+++"));
            } else {
                prop_assert_eq!(split.body_offset, 0);
            }
        }
    }

    #[test]
    fn front_matter_problems_name_file_line_and_column(
        stem in stems(),
        toml in toml_doc(),
        body in markdown_doc(),
        shape in 0..4u8,
    ) {
        let text = match shape {
            0 => format!("+++\n{toml}+++\n{body}"),
            1 => format!("\u{feff}+++\r\n{toml}+++\r\n{body}"),
            2 => format!("+++\n{toml}"),
            _ => format!("{toml}{body}"),
        };
        let (page, diags) = read_page(stem, &text);
        let file = format!("content/p/{stem}.md");
        let shown = text.strip_prefix('\u{feff}').unwrap_or(&text);
        assert_diagnostics(&diags, &file, shown);
        if let Some(page) = page {
            let n = schema::section(stem).map_or(0, |s| s.fields.len());
            prop_assert_eq!(page.fm.answers.len(), n);
            for a in page.fm.answers.iter().filter(|a| a.line > 0) {
                assert_in_text(shown, a.line, 1, "answer");
            }
        }
    }

    #[test]
    fn validate_reports_within_the_toml(stem in prop::option::of(stems()), toml in toml_doc()) {
        let text = format!("+++\n{toml}+++\n");
        let src = validate::Source::new("f.md", &text, 4);
        let mut diags = Vec::new();
        let fm = validate::parse(&src, &toml, stem.and_then(schema::section), &mut diags);
        assert_diagnostics(&diags, "f.md", &text);
        for d in &diags {
            // Inside the front-matter: between the fences.
            prop_assert!(d.line >= 2 && d.line <= text.lines().count(), "{:?}", d);
        }
        let n = stem.and_then(schema::section).map_or(0, |s| s.fields.len());
        prop_assert_eq!(fm.answers.len(), n);
    }

    #[test]
    fn site_toml_problems_name_file_line_and_column(toml in toml_doc()) {
        let mut diags = Vec::new();
        let _ = site_toml::parse(&toml, &mut diags);
        assert_diagnostics(&diags, rollbook::internals::config::FILE, &toml);
    }

    #[test]
    fn results_parse_line_by_line(doc in lines_doc(run_line())) {
        let (runs, errors) = eval_files::parse_results(&doc);
        let text = doc.strip_prefix('\u{feff}').unwrap_or(&doc);
        let filled = text.lines().filter(|l| !l.trim().is_empty()).count();
        prop_assert_eq!(runs.len() + errors.len(), filled);
        for e in &errors {
            prop_assert!(!e.message.is_empty());
            assert_in_text(text, e.line, e.column, &e.message);
        }
        for r in &runs {
            assert_in_text(text, r.line, 1, "run");
            prop_assert!(r.cost.is_none_or(|c| c >= 0.0));
        }
    }

    #[test]
    fn gates_apply_to_any_runs(
        doc in lines_doc(run_line()),
        gate in prop::collection::vec(
            ("[a-z_]{1,10}", prop::option::of(any::<f64>()), prop::option::of(any::<f64>()), prop::option::of(any::<f64>())),
            0..4,
        ),
    ) {
        let (runs, _) = eval_files::parse_results(&doc);
        let gate: Vec<GateRule> = gate
            .into_iter()
            .map(|(metric, min, max, max_drop)| GateRule { metric, min, max, max_drop })
            .collect();
        let verdicts = gate::evaluate(&runs, &gate);
        prop_assert_eq!(verdicts.len(), runs.len());
        let mut seen = HashSet::new();
        for v in &verdicts {
            prop_assert!(v.run < runs.len() && seen.insert(v.run));
            prop_assert_eq!(v.checks.len(), gate.len());
            prop_assert_eq!(v.passed, v.checks.iter().all(|c| c.passed));
        }
        let _ = gate::status(&verdicts);
        let models = gate::models(&runs, &verdicts);
        prop_assert!(models.iter().filter(|m| m.cheapest_passing).count() <= 1);
        for m in &models {
            prop_assert!(m.run < runs.len());
        }
    }

    #[test]
    fn eval_sets_count_or_point_at_a_line(
        doc in prop_oneof![lines_doc(run_line()), csv_doc()],
        name in prop::sample::select(vec!["cases.jsonl", "cases.csv", "cases.CSV", "cases", ".csv"]),
    ) {
        let text = doc.strip_prefix('\u{feff}').unwrap_or(&doc);
        match eval_files::count_cases(name, &doc) {
            Ok(n) => prop_assert!(n <= text.lines().count()),
            Err(e) => {
                prop_assert!(!e.message.is_empty());
                assert_in_text(text, e.line, e.column, &e.message);
            }
        }
    }

    #[test]
    fn contacts_parse_any_text(s in text(), t in "[<>@+,;&/ a-zA-Z0-9.()#:-]{0,30}") {
        for input in [s.as_str(), t.as_str()] {
            let c = contact::parse(input);
            let _ = c.key();
            if let Some(href) = &c.href {
                prop_assert!(
                    ["mailto:", "tel:", "https://", "http://"].iter().any(|p| href.starts_with(p)),
                    "{}", href
                );
                prop_assert!(c.contact.is_some());
            }
            if !input.contains('<') {
                prop_assert_eq!(c.name.as_str(), input.trim());
            }
            let _ = validate::committee(input);
        }
    }

    #[test]
    fn markdown_renders_any_text(md in markdown_doc(), first_line in 1usize..5, taken in prop::collection::vec("[a-z-]{1,6}", 0..3)) {
        let taken_refs: Vec<&str> = taken.iter().map(String::as_str).collect();
        let ctx = markdown::Context {
            base_path: "/r/",
            base_url: "https://acme.example/r",
            content_path: "p/notes.md",
            taken_ids: &taken_refs,
            first_line,
            highlighter: &HIGHLIGHTER,
        };
        let r = markdown::render(&md, &ctx);
        let mut ids: HashSet<&str> = taken_refs.iter().copied().collect();
        for h in &r.headings {
            prop_assert!(ids.insert(h.id.as_str()), "id {} given twice", h.id);
            prop_assert!(r.anchors.contains(&h.id));
        }
        // Positions are file lines: the body starts at `first_line`.
        let file = format!("{}{md}", "\n".repeat(first_line - 1));
        for t in &r.tasks {
            assert_in_text(&file, t.line, 1, "task");
        }
        for l in &r.links {
            assert_in_text(&file, l.line, l.column, &l.raw);
        }
        prop_assert!(r.tasks.windows(2).all(|w| w[0].line <= w[1].line));
    }

    #[test]
    fn answers_render_inline_and_safely(s in text(), line in 1usize..50, column in 1usize..50) {
        let at = markdown::LinkBase { base_path: "/r/", content_path: "p/incident.md" };
        let html = markdown::inline(&s, at);
        prop_assert!(!html.contains("<script"), "{}", html);
        prop_assert!(!html.to_ascii_lowercase().contains("href=\"javascript:"), "{}", html);
        for l in markdown::inline_links(&s, at, "https://acme.example/r", line, column) {
            prop_assert_eq!((l.line, l.column), (line, column));
        }
    }
}

proptest! {
    // A whole build per case: fewer cases, each reaching every check.
    #![proptest_config(cases(32))]

    #[test]
    fn site_problems_name_a_file_line_and_column(
        stem in stems(),
        toml in toml_doc(),
        body in markdown_doc(),
        notes in markdown_doc(),
        cases_file in prop_oneof![lines_doc(run_line()), csv_doc()],
        results in lines_doc(run_line()),
        gate in prop::sample::select(vec![
            "release_gate = [{ metric = \"m\", min = 0.5 }]",
            "release_gate = [{ metric = \"accuracy\", max_drop = 0.01 }, { metric = \"cost\", max = 1 }]",
            "release_gate = \"TBD\"",
            "",
        ]),
        csv in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let pack = root.join("content").join("p");
        fs::create_dir_all(&pack).expect("pack dir");
        let cases_name = if csv { "cases.csv" } else { "cases.jsonl" };
        let mut files = vec![
            ("site.toml".to_string(), "title = \"T\"\nbase_url = \"https://example.github.io/packs\"\n".to_string()),
            ("content/p/extra.md".to_string(), notes),
            (format!("content/p/{cases_name}"), cases_file),
            ("content/p/results.jsonl".to_string(), results),
        ];
        if stem != "evaluation" {
            files.push((
                "content/p/evaluation.md".to_string(),
                format!("+++\neval_set = \"{cases_name}\"\nresults = \"results.jsonl\"\n{gate}\n+++\n"),
            ));
        }
        files.push((format!("content/p/{stem}.md"), format!("+++\n{toml}+++\n{body}")));
        for (path, text) in &files {
            fs::write(root.join(path), text).expect("write");
        }
        let opts = Options {
            drafts: false,
            base_url: None,
            today: time::macros::date!(2026 - 11 - 26),
        };
        let built = Session::with_highlighter(root, opts, Arc::clone(&HIGHLIGHTER)).built();
        for d in &built.diagnostics {
            let text = files
                .iter()
                .find(|(path, _)| *path == d.file)
                .map(|(_, text)| text.strip_prefix('\u{feff}').unwrap_or(text));
            prop_assert!(text.is_some(), "{:?} names no file of the site", d);
            assert_diagnostics(std::slice::from_ref(d), &d.file, text.unwrap_or_default());
        }
        prop_assert_eq!(built.output.is_some(), !built.has_errors());
    }
}
