//! Reads typed values out of front-matter TOML: strings, numbers, dates, phase statuses,
//! and the entries of `release_gate`, `phases` and `reviews`, each mistake a diagnostic
//! at its file, line and column.

use crate::domain::answers::{
    classify, parse_date, Date, Gate, Phase, PhaseStatus, Review, State, Text,
};
use crate::domain::diag::{self, unknown_key_message, Diagnostic, LineIndex};
use crate::domain::schema::{GATE_KEYS, PHASE_KEYS, PHASE_STATUSES, REVIEW_KEYS};
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

    pub(crate) fn line(&self, span: &Range<usize>) -> usize {
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

pub(crate) fn gate(src: &Source, t: &DeTable, line: usize, diags: &mut Vec<Diagnostic>) -> Gate {
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

pub(crate) fn phase(src: &Source, t: &DeTable, line: usize, diags: &mut Vec<Diagnostic>) -> Phase {
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

pub(crate) fn review(
    src: &Source,
    t: &DeTable,
    line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Review {
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
