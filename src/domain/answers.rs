//! Answers: the values of a pack's fields, and whether each is filled.

use serde::Serialize;

pub(crate) use crate::domain::field::PhaseStatus;

pub type Date = time::Date;

/// `YYYY-MM-DD`, a real calendar date.
pub fn parse_date(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).ok()
}

/// Whether a text answer says something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Filled,
    Placeholder,
    /// `N/A: reason`: filled, shown as not applicable.
    NotApplicable,
}

/// A string answer with its state and the file line it is written on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    pub value: String,
    pub state: State,
    pub line: usize,
    pub column: usize,
}

impl Text {
    pub fn new(value: &str, (line, column): (usize, usize)) -> Self {
        Text {
            value: value.to_string(),
            state: classify(value),
            line,
            column,
        }
    }

    /// An absent key inside a table entry: unfilled.
    pub fn absent(line: usize) -> Self {
        Text {
            value: String::new(),
            state: State::Placeholder,
            line,
            column: 1,
        }
    }

    pub fn filled(&self) -> bool {
        self.state != State::Placeholder
    }

    /// The value when it is a real answer (not a placeholder, not N/A).
    pub fn answer(&self) -> Option<&str> {
        (self.state == State::Filled).then_some(self.value.as_str())
    }

    /// The reason of an `N/A: reason` answer.
    pub fn na_reason(&self) -> Option<&str> {
        (self.state == State::NotApplicable).then(|| {
            let t = self.value.trim();
            t.get(4..).unwrap_or("").trim()
        })
    }
}

/// The placeholder rules of SPEC "Filled, placeholder, error".
pub(crate) fn classify(value: &str) -> State {
    let t = value.trim();
    let lower = t.to_lowercase();
    if let Some(reason) = lower.strip_prefix("n/a:") {
        return if reason.trim().is_empty() {
            State::Placeholder
        } else {
            State::NotApplicable
        };
    }
    let placeholder = matches!(
        lower.as_str(),
        "" | "tbd" | "todo" | "n/a" | "?" | "-" | "…"
    ) || lower.starts_with("tbd:")
        || lower.starts_with("todo:")
        || (t.starts_with('<') && t.ends_with('>'));
    if placeholder {
        State::Placeholder
    } else {
        State::Filled
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    pub metric: Text,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub max_drop: Option<f64>,
    pub line: usize,
}

impl Gate {
    /// An entry written as a placeholder string: unfilled.
    pub fn placeholder(metric: Text, line: usize) -> Self {
        Gate {
            metric,
            min: None,
            max: None,
            max_drop: None,
            line,
        }
    }

    pub fn filled(&self) -> bool {
        self.metric.filled()
            && (self.min.is_some() || self.max.is_some() || self.max_drop.is_some())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    pub name: Text,
    pub audience: Text,
    pub criteria: Text,
    pub feedback_channel: Text,
    pub status: Option<PhaseStatus>,
    pub size: Option<Text>,
    pub start: Option<Date>,
    pub line: usize,
}

impl Phase {
    /// An entry written as a placeholder string: unfilled, with no status.
    pub fn placeholder(name: Text, line: usize) -> Self {
        Phase {
            name,
            audience: Text::absent(line),
            criteria: Text::absent(line),
            feedback_channel: Text::absent(line),
            status: None,
            size: None,
            start: None,
            line,
        }
    }

    pub fn filled(&self) -> bool {
        [
            &self.name,
            &self.audience,
            &self.criteria,
            &self.feedback_channel,
        ]
        .iter()
        .all(|t| t.filled())
            && self.status.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub date: Option<Date>,
    pub eval_regressions: Text,
    pub failure_modes: Text,
    pub cost_anomalies: Text,
    pub next_change: Text,
    pub line: usize,
}

impl Review {
    /// An entry written as a placeholder string: unfilled, with no date.
    pub fn placeholder(text: Text, line: usize) -> Self {
        Review {
            date: None,
            eval_regressions: text,
            failure_modes: Text::absent(line),
            cost_anomalies: Text::absent(line),
            next_change: Text::absent(line),
            line,
        }
    }

    pub fn filled(&self) -> bool {
        self.date.is_some()
            && [
                &self.eval_regressions,
                &self.failure_modes,
                &self.cost_anomalies,
                &self.next_change,
            ]
            .iter()
            .all(|t| t.filled())
    }
}

/// A field's answer. A string placeholder or `N/A: reason` is accepted for any kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Missing,
    Text(Text),
    Bool(bool),
    List(Vec<Text>),
    Gates(Vec<Gate>),
    Phases(Vec<Phase>),
    Reviews(Vec<Review>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub value: Value,
    /// The line of the key, 0 when the field is absent.
    pub line: usize,
}

impl Answer {
    pub const MISSING: Answer = Answer {
        value: Value::Missing,
        line: 0,
    };

    pub fn filled(&self) -> bool {
        match &self.value {
            Value::Missing => false,
            Value::Text(t) => t.filled(),
            Value::Bool(_) => true,
            Value::List(items) => !items.is_empty() && items.iter().all(Text::filled),
            Value::Gates(g) => !g.is_empty() && g.iter().all(Gate::filled),
            Value::Phases(p) => !p.is_empty() && p.iter().all(Phase::filled),
            Value::Reviews(r) => !r.is_empty() && r.iter().all(Review::filled),
        }
    }

    /// Every text of the answer, inside lists and tables too.
    pub fn texts(&self) -> Vec<&Text> {
        match &self.value {
            Value::Text(t) => vec![t],
            Value::List(items) => items.iter().collect(),
            Value::Gates(g) => g.iter().map(|g| &g.metric).collect(),
            Value::Phases(p) => p
                .iter()
                .flat_map(|p| {
                    [&p.name, &p.audience, &p.criteria, &p.feedback_channel]
                        .into_iter()
                        .chain(p.size.as_ref())
                })
                .collect(),
            Value::Reviews(r) => r
                .iter()
                .flat_map(|r| {
                    [
                        &r.eval_regressions,
                        &r.failure_modes,
                        &r.cost_anomalies,
                        &r.next_change,
                    ]
                })
                .collect(),
            Value::Missing | Value::Bool(_) => Vec::new(),
        }
    }

    pub fn text(&self) -> Option<&Text> {
        match &self.value {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn list(&self) -> &[Text] {
        match &self.value {
            Value::List(items) => items,
            _ => &[],
        }
    }

    pub fn gates(&self) -> &[Gate] {
        match &self.value {
            Value::Gates(g) => g,
            _ => &[],
        }
    }

    pub fn phases(&self) -> &[Phase] {
        match &self.value {
            Value::Phases(p) => p,
            _ => &[],
        }
    }

    pub fn reviews(&self) -> &[Review] {
        match &self.value {
            Value::Reviews(r) => r,
            _ => &[],
        }
    }
}

/// The checked front-matter of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub updated: Option<Date>,
    pub draft: bool,
    /// One answer per field of the section, in schema order; empty for non-section pages.
    pub answers: Vec<Answer>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_statuses_round_trip() {
        for s in PhaseStatus::ALL {
            assert_eq!(PhaseStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(PhaseStatus::parse("activ"), None);
        assert_eq!(PhaseStatus::choices(), "\"planned\", \"active\", \"done\"");
        assert_eq!(
            crate::domain::schema::PHASE_STATUSES.len(),
            PhaseStatus::ALL.len()
        );
    }

    #[test]
    fn placeholders() {
        for p in [
            "",
            "  ",
            "TBD",
            "tbd",
            " Todo ",
            "N/A",
            "n/a",
            "?",
            "-",
            "…",
            "TBD: ask Sam",
            "todo: later",
            "<name>",
            "< owner >",
            "N/A:  ",
        ] {
            assert_eq!(classify(p), State::Placeholder, "{p:?}");
        }
        for f in [
            "Dana",
            "N/A: no PII read",
            "n/a: internal only",
            "TBD soon",
            "Dana <dana@x.example>",
            "-1",
            "...",
        ] {
            assert_ne!(classify(f), State::Placeholder, "{f:?}");
        }
        assert_eq!(classify("N/A: no PII read"), State::NotApplicable);
        assert_eq!(
            Text::new("N/A: no PII read", (1, 1)).na_reason(),
            Some("no PII read")
        );
    }
}
