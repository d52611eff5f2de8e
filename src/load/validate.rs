//! Validation: checks front-matter TOML against the pack schema, turning it into answers
//! and every mistake into a diagnostic at its file, line and column.

use crate::domain::answers::{
    classify, parse_date, Answer, Date, FrontMatter, Gate, Phase, PhaseStatus, Review, State, Text,
    Value,
};
use crate::domain::diag::{self, unknown_key_message, Diagnostic, LineIndex};
use crate::domain::schema::{
    FieldDef, Kind, SectionDef, COMMON_KEYS, GATE_KEYS, PHASE_KEYS, PHASE_STATUSES, REVIEW_KEYS,
};
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Where the TOML sits in its file, for turning spans into file positions.
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub offset: usize,
    lines: LineIndex<'a>,
}

impl<'a> Source<'a> {
    /// The TOML starts at byte `offset` of `text`, the whole file `file`.
    pub fn new(file: &'a str, text: &'a str, offset: usize) -> Self {
        Source {
            file,
            text,
            offset,
            lines: LineIndex::new(text),
        }
    }

    pub(crate) fn pos(&self, span: &Range<usize>) -> (usize, usize) {
        self.lines.line_col(self.offset.saturating_add(span.start))
    }

    fn line(&self, span: &Range<usize>) -> usize {
        self.pos(span).0
    }

    pub(crate) fn diag(
        &self,
        kind: diag::Kind,
        span: &Range<usize>,
        message: String,
    ) -> Diagnostic {
        let (line, col) = self.pos(span);
        Diagnostic::error(kind, self.file, line, col, message).with_source_from(&self.lines)
    }
}

/// Parses front-matter TOML and checks it against `section` (or only the common keys).
pub fn parse(
    src: &Source,
    toml_text: &str,
    section: Option<&SectionDef>,
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let table = match DeTable::parse(toml_text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().replace('\n', " ");
            diags.push(src.diag(
                diag::Kind::TomlSyntax,
                &span,
                format!("invalid TOML in front-matter: {msg}; fix the syntax (strings need quotes, one key per line)"),
            ));
            return FrontMatter {
                answers: section.map_or_else(Vec::new, |s| vec![Answer::MISSING; s.fields.len()]),
                ..FrontMatter::default()
            };
        }
    };
    check_table(src, table.get_ref(), section, diags)
}

fn check_table(
    src: &Source,
    table: &DeTable,
    section: Option<&SectionDef>,
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let fields: &[FieldDef] = section.map_or(&[], |s| s.fields);
    let mut fm = FrontMatter {
        answers: vec![Answer::MISSING; fields.len()],
        ..FrontMatter::default()
    };
    let what = section.map_or_else(
        || "this page's front-matter".to_string(),
        |s| format!("{}.md", s.stem),
    );
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let key_span = key.span();
        let line = src.line(&key_span);
        match name {
            "title" => match value.get_ref() {
                DeValue::String(s) => fm.title = Some(s.to_string()),
                other => diags.push(wrong_type(
                    src,
                    value,
                    name,
                    other,
                    "a string, e.g. `title = \"Incident response\"`",
                )),
            },
            "updated" => fm.updated = date_value(src, value, name, diags),
            "draft" => match value.get_ref() {
                DeValue::Boolean(b) => fm.draft = *b,
                other => diags.push(wrong_type(src, value, name, other, "true or false")),
            },
            _ => match fields.iter().position(|f| f.name == name) {
                Some(i) => {
                    if let (Some(def), Some(slot)) = (fields.get(i), fm.answers.get_mut(i)) {
                        *slot = Answer {
                            value: field_value(src, def, value, diags),
                            line,
                        };
                    }
                }
                None => {
                    let mut known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    known.extend(COMMON_KEYS);
                    diags.push(src.diag(
                        diag::Kind::UnknownKey,
                        &key_span,
                        unknown_key_message(name, &what, &known),
                    ));
                }
            },
        }
    }
    fm
}

pub(crate) fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

pub(crate) fn wrong_type(
    src: &Source,
    value: &Spanned<DeValue>,
    name: &str,
    got: &DeValue,
    want: &str,
) -> Diagnostic {
    src.diag(
        diag::Kind::WrongType,
        &value.span(),
        format!("`{name}` must be {want}, not {}", type_name(got)),
    )
}

fn expected(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Text | Kind::Path => format!("a string, e.g. `{name} = \"…\"`"),
        Kind::Person => format!("one person as a string, e.g. `{name} = \"Dana Ortiz <dana@example.com>\"`"),
        Kind::List | Kind::People => format!("a list of strings, e.g. `{name} = [\"…\", \"…\"]`"),
        Kind::Bool => format!("true or false, e.g. `{name} = true` (or \"TBD\" while unknown)"),
        Kind::Gates => format!("a list of tables, e.g. `{name} = [{{ metric = \"citation_rate\", min = 0.95 }}]`"),
        Kind::Phases => format!("a list of tables, e.g. `[[{name}]]` with name, audience, criteria, feedback_channel and status"),
        Kind::Reviews => format!("a list of tables, e.g. `[[{name}]]` with date, eval_regressions, failure_modes, cost_anomalies and next_change"),
    }
}

fn field_value(
    src: &Source,
    def: &FieldDef,
    value: &Spanned<DeValue>,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let pos = src.pos(&value.span());
    let name = def.name;
    match (def.kind, value.get_ref()) {
        (Kind::Person, DeValue::String(s)) => {
            let text = Text::new(s, pos);
            if text.state == State::Filled {
                if let Some(joiner) = committee(s) {
                    diags.push(src.diag(
                        diag::Kind::OneAccountablePerson,
                        &value.span(),
                        format!(
                            "`{name}` names more than one person (joined by `{joiner}`); a pack needs one accountable person, e.g. `{name} = \"Dana Ortiz <dana@example.com>\"`"
                        ),
                    ));
                }
            }
            Value::Text(text)
        }
        (Kind::Person, DeValue::Array(_)) => {
            diags.push(src.diag(
                diag::Kind::OneAccountablePerson,
                &value.span(),
                format!("`{name}` is a list, but it names one accountable person, not a committee; write one `\"Name <contact>\"` string"),
            ));
            Value::Missing
        }
        (Kind::Text | Kind::Path, DeValue::String(s)) => Value::Text(Text::new(s, pos)),
        (Kind::Bool, DeValue::Boolean(b)) => Value::Bool(*b),
        (Kind::List | Kind::People, DeValue::Array(items)) => {
            let mut out = Vec::new();
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(s) => out.push(Text::new(s, src.pos(&item.span()))),
                    other => diags.push(src.diag(
                        diag::Kind::WrongType,
                        &item.span(),
                        format!(
                            "every entry of `{name}` must be a string, not {}; quote it",
                            type_name(other)
                        ),
                    )),
                }
            }
            Value::List(out)
        }
        (Kind::Gates | Kind::Phases | Kind::Reviews, DeValue::Array(items)) => {
            let mut gates = Vec::new();
            let mut phases = Vec::new();
            let mut reviews = Vec::new();
            let mut placeholders = Vec::new();
            for item in items.iter() {
                // `reviews = ["TBD"]`: an entry still to write, unfilled like any other.
                if let DeValue::String(s) = item.get_ref() {
                    if classify(s) != State::Filled {
                        let text = Text::new(s, src.pos(&item.span()));
                        let line = text.line;
                        match def.kind {
                            Kind::Gates => gates.push(Gate::placeholder(text.clone(), line)),
                            Kind::Phases => phases.push(Phase::placeholder(text.clone(), line)),
                            _ => reviews.push(Review::placeholder(text.clone(), line)),
                        }
                        placeholders.push(text);
                        continue;
                    }
                }
                let DeValue::Table(t) = item.get_ref() else {
                    diags.push(src.diag(
                        diag::Kind::WrongType,
                        &item.span(),
                        format!(
                            "every entry of `{name}` must be a table, not {}; {}",
                            type_name(item.get_ref()),
                            expected(def.kind, name)
                        ),
                    ));
                    continue;
                };
                let entry_line = src.line(&item.span());
                match def.kind {
                    Kind::Gates => gates.push(gate(src, t, entry_line, diags)),
                    Kind::Phases => phases.push(phase(src, t, entry_line, diags)),
                    _ => reviews.push(review(src, t, entry_line, diags)),
                }
            }
            // Nothing but placeholders: the same as one placeholder for the whole list.
            if let (Some(first), true) = (
                placeholders.first(),
                placeholders.len() == gates.len() + phases.len() + reviews.len(),
            ) {
                return Value::Text(first.clone());
            }
            match def.kind {
                Kind::Gates => Value::Gates(gates),
                Kind::Phases => Value::Phases(phases),
                _ => Value::Reviews(reviews),
            }
        }
        // A placeholder or `N/A: reason` stands in for any kind of answer.
        (_, DeValue::String(s)) if classify(s) != State::Filled => Value::Text(Text::new(s, pos)),
        (kind, other) => {
            diags.push(wrong_type(src, value, name, other, &expected(kind, name)));
            Value::Missing
        }
    }
}

/// The separator that makes a value name several people: in the name part ("Dana and
/// Sam <…>", "Ann Lee + Bob Roy"), or before a second contact ("Ann <a@x>, Bob <b@x>",
/// whose name part, before the last contact, holds the first one).
pub fn committee(value: &str) -> Option<&'static str> {
    let c = crate::domain::contact::parse(value);
    if c.is_bare() {
        return None;
    }
    let name = c.name.to_lowercase();
    [",", ";", "/", "&"]
        .into_iter()
        .find(|sep| name.contains(sep))
        .or_else(|| joins_with_plus(&name).then_some("+"))
        .or_else(|| name.contains(" and ").then_some("and"))
}

/// `Ann + Bob`, `Ann+Bob`: a `+` with a name on each side (not `C++`, not `+1 555…`).
fn joins_with_plus(name: &str) -> bool {
    let parts: Vec<&str> = name.split('+').map(str::trim).collect();
    parts.len() > 1
        && parts
            .iter()
            .all(|p| p.chars().next().is_some_and(char::is_alphabetic))
}

fn entry_keys<'t, 'i>(
    src: &Source,
    t: &'t DeTable<'i>,
    what: &str,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'t str, &'t Spanned<DeValue<'i>>)> {
    let mut out = Vec::new();
    for (k, v) in t.iter() {
        let key = k.get_ref().as_ref();
        if known.contains(&key) {
            out.push((key, v));
        } else {
            diags.push(src.diag(
                diag::Kind::UnknownKey,
                &k.span(),
                unknown_key_message(key, what, known),
            ));
        }
    }
    out
}

fn text_in(
    src: &Source,
    key: &str,
    v: &Spanned<DeValue>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Text> {
    match v.get_ref() {
        DeValue::String(s) => Some(Text::new(s, src.pos(&v.span()))),
        other => {
            diags.push(wrong_type(
                src,
                v,
                key,
                other,
                &format!("a string, e.g. `{key} = \"…\"`"),
            ));
            None
        }
    }
}

fn number_in(
    src: &Source,
    key: &str,
    v: &Spanned<DeValue>,
    diags: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let n = match v.get_ref() {
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .ok()
            .map(|i| i as f64),
        DeValue::String(s) if classify(s) == State::Placeholder => return None,
        other => {
            diags.push(wrong_type(
                src,
                v,
                key,
                other,
                &format!("a number, e.g. `{key} = 0.95`"),
            ));
            return None;
        }
    };
    match n {
        Some(n) if n.is_finite() => Some(n),
        _ => {
            diags.push(src.diag(
                diag::Kind::WrongType,
                &v.span(),
                format!("`{key}` must be a finite number, e.g. `{key} = 0.95`"),
            ));
            None
        }
    }
}

pub(crate) fn date_value(
    src: &Source,
    v: &Spanned<DeValue>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let bad = |diags: &mut Vec<Diagnostic>| {
        diags.push(src.diag(
            diag::Kind::WrongType,
            &v.span(),
            format!("`{key}` must be a date, e.g. `{key} = 2026-11-20` (no quotes)"),
        ));
        None
    };
    match v.get_ref() {
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), _) => match time::Month::try_from(d.month) {
                Ok(m) => match Date::from_calendar_date(i32::from(d.year), m, d.day) {
                    Ok(date) => Some(date),
                    Err(_) => bad(diags),
                },
                Err(_) => bad(diags),
            },
            _ => bad(diags),
        },
        DeValue::String(s) if classify(s) == State::Placeholder => None,
        DeValue::String(s) => match parse_date(s.trim()) {
            Some(d) => Some(d),
            None => bad(diags),
        },
        _ => bad(diags),
    }
}

fn gate(src: &Source, t: &DeTable, line: usize, diags: &mut Vec<Diagnostic>) -> Gate {
    let mut g = Gate {
        metric: Text::absent(line),
        min: None,
        max: None,
        max_drop: None,
        line,
    };
    for (key, v) in entry_keys(src, t, "a release_gate entry", &GATE_KEYS, diags) {
        match key {
            "metric" => {
                if let Some(m) = text_in(src, key, v, diags) {
                    g.metric = m;
                }
            }
            "min" => g.min = number_in(src, key, v, diags),
            "max" => g.max = number_in(src, key, v, diags),
            _ => g.max_drop = number_in(src, key, v, diags),
        }
    }
    g
}

fn phase(src: &Source, t: &DeTable, line: usize, diags: &mut Vec<Diagnostic>) -> Phase {
    let mut p = Phase {
        name: Text::absent(line),
        audience: Text::absent(line),
        criteria: Text::absent(line),
        feedback_channel: Text::absent(line),
        status: None,
        size: None,
        start: None,
        line,
    };
    for (key, v) in entry_keys(src, t, "a phases entry", &PHASE_KEYS, diags) {
        match key {
            "status" => p.status = status(src, v, diags),
            "start" => p.start = date_value(src, v, key, diags),
            _ => {
                let Some(text) = text_in(src, key, v, diags) else {
                    continue;
                };
                match key {
                    "name" => p.name = text,
                    "audience" => p.audience = text,
                    "criteria" => p.criteria = text,
                    "feedback_channel" => p.feedback_channel = text,
                    _ => p.size = Some(text),
                }
            }
        }
    }
    p
}

fn status(src: &Source, v: &Spanned<DeValue>, diags: &mut Vec<Diagnostic>) -> Option<PhaseStatus> {
    let DeValue::String(s) = v.get_ref() else {
        diags.push(wrong_type(
            src,
            v,
            "status",
            v.get_ref(),
            &format!("one of {}", PhaseStatus::choices()),
        ));
        return None;
    };
    let s = s.trim();
    if let Some(status) = PhaseStatus::parse(s) {
        return Some(status);
    }
    match s {
        other if classify(other) == State::Placeholder => None,
        other => {
            let hint = crate::domain::diag::nearest(&other.to_lowercase(), PHASE_STATUSES)
                .map(|n| format!("; did you mean \"{n}\"?"))
                .unwrap_or_default();
            diags.push(src.diag(
                diag::Kind::PhaseStatus,
                &v.span(),
                format!(
                    "phase status \"{other}\" is not one of {}{hint}",
                    PhaseStatus::choices()
                ),
            ));
            None
        }
    }
}

fn review(src: &Source, t: &DeTable, line: usize, diags: &mut Vec<Diagnostic>) -> Review {
    let mut r = Review {
        date: None,
        eval_regressions: Text::absent(line),
        failure_modes: Text::absent(line),
        cost_anomalies: Text::absent(line),
        next_change: Text::absent(line),
        line,
    };
    for (key, v) in entry_keys(src, t, "a reviews entry", &REVIEW_KEYS, diags) {
        if key == "date" {
            r.date = date_value(src, v, key, diags);
            continue;
        }
        let Some(text) = text_in(src, key, v, diags) else {
            continue;
        };
        match key {
            "eval_regressions" => r.eval_regressions = text,
            "failure_modes" => r.failure_modes = text,
            "cost_anomalies" => r.cost_anomalies = text,
            _ => r.next_change = text,
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schema::section;

    fn run(stem: &str, toml: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let text = format!("+++\n{toml}+++\n");
        let src = Source::new("f.md", &text, 4);
        let mut diags = Vec::new();
        let fm = parse(&src, toml, section(stem), &mut diags);
        (fm, diags)
    }

    #[test]
    fn committees() {
        assert_eq!(committee("Dana Ortiz <dana@x.example>"), None);
        assert_eq!(committee("Platform team on-call <#ai-platform>"), None);
        assert_eq!(committee("Priya N. <+1 555 0100>"), None);
        assert_eq!(committee("Anderson Silva"), None);
        assert_eq!(committee("Dana and Sam"), Some("and"));
        assert_eq!(committee("Dana, Sam <a@b, c@d>"), Some(","));
        assert_eq!(committee("Dana <a@b.example, c@d.example>"), None);
        assert_eq!(committee("Dana / Sam"), Some("/"));
        assert_eq!(committee("Dana & Sam"), Some("&"));
        assert_eq!(committee("Dana; Sam"), Some(";"));
        assert_eq!(
            committee("Ann Lee <ann@x.example>, Bob Roy <bob@x.example>"),
            Some(",")
        );
        assert_eq!(
            committee("Ann Lee <ann@x.example> and Bob Roy <bob@x.example>"),
            Some("and")
        );
        assert_eq!(committee("Ann Lee + Bob Roy"), Some("+"));
        assert_eq!(committee("Ann+Bob <ab@x.example>"), Some("+"));
        assert_eq!(committee("+1 555 0100"), None);
        assert_eq!(committee("C++ guild <#cpp>"), None);
        assert_eq!(committee("Ops <<team>> <ops@x.example>"), None);
        assert_eq!(committee("A > B <a@x.example>"), None);
        assert_eq!(committee("https://pager.example/team/a"), None);
    }

    #[test]
    fn lists_and_tables_filled() {
        let (fm, d) = run("workflow", "hard_stops = [\"a\", \"TBD\"]\nname = \"x\"\n");
        assert!(d.is_empty());
        assert!(!fm.answers[5].filled());
        assert!(fm.answers[0].filled());
        let (fm, d) = run(
            "evaluation",
            "release_gate = [{ metric = \"m\" }, { metric = \"n\", max_drop = 0.1 }]\n",
        );
        assert!(d.is_empty());
        assert!(!fm.answers[2].filled());
        let (fm, _) = run(
            "evaluation",
            "release_gate = [{ metric = \"n\", max = 1 }]\n",
        );
        assert!(fm.answers[2].filled());
        let (fm, _) = run("rollout", "phases = []\n");
        assert!(!fm.answers[0].filled());
    }

    #[test]
    fn errors_point_into_the_file() {
        let (_, d) = run("data", "sources = [\"a\"]\nsorces = 1\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (3, 1));
        assert!(
            d[0].message.contains("did you mean `sources`"),
            "{}",
            d[0].message
        );
        let (_, d) = run("operability", "kill_switch = \"yes\"\n");
        assert_eq!((d[0].line, d[0].column), (2, 15));
        let (fm, d) = run("operability", "kill_switch = \"TBD\"\n");
        assert!(d.is_empty());
        assert!(!fm.answers[4].filled());
        let (_, d) = run("rollout", "[[phases]]\nname = \"a\"\nstatus = \"activ\"\n");
        assert_eq!(d[0].line, 4);
        assert!(
            d[0].message.contains("did you mean \"active\""),
            "{}",
            d[0].message
        );
        let (_, d) = run("workflow", "name = \n");
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.starts_with("invalid TOML"));
    }

    #[test]
    fn dates() {
        let (fm, d) = run("rhythm", "[[reviews]]\ndate = 2026-11-20\neval_regressions = \"none\"\nfailure_modes = \"x\"\ncost_anomalies = \"none\"\nnext_change = \"y\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(fm.answers[0].filled());
        let (_, d) = run("rhythm", "[[reviews]]\ndate = \"2026-02-30\"\n");
        assert_eq!(d.len(), 1);
    }
}
