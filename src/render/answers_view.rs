//! Answers as view data: each field of a section page as plain values the theme's
//! templates lay out, with unfilled answers plainly marked. Only Markdown is HTML here.

use crate::domain::answers::{Answer, Gate, Phase, Review, State, Text, Value};
use crate::domain::contact;
use crate::domain::field::Field;
use crate::domain::schema::{FieldDef, Kind};
use crate::render::markdown::{inline, inline_plain, LinkBase};
use serde::Serialize;

/// One answer, ready for a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FieldView {
    /// Also the element id, so `incident.md#paging` lands on the answer.
    pub id: &'static str,
    pub label: &'static str,
    /// `filled`, `missing` or `na`.
    pub state: &'static str,
    pub answer: AnswerView,
    pub hint: &'static str,
    pub counted: bool,
}

/// What an answer holds; `kind` tells the `answer` macro how to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum AnswerView {
    /// Not written; `placeholder` is what stands in for it (`TBD`), if anything.
    Missing {
        placeholder: Option<String>,
    },
    /// `N/A: reason`, the reason as inline HTML.
    Na {
        reason_html: String,
    },
    /// Inline Markdown, rendered.
    Text {
        html: String,
    },
    Person {
        person: PersonView,
    },
    /// A file path; `url` when the pack has that file.
    Path {
        value: String,
        url: Option<String>,
    },
    Bool {
        value: bool,
    },
    List {
        ordered: bool,
        items: Vec<AnswerView>,
    },
    Gates {
        gates: Vec<GateView>,
    },
    Phases {
        phases: Vec<PhaseAnswer>,
    },
    /// Newest first.
    Reviews {
        reviews: Vec<ReviewAnswer>,
    },
}

/// A person named in a pack, for the `partials/person.html` partial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PersonView {
    pub name: String,
    pub contacts: Vec<ContactView>,
    /// The name is itself a linked contact (a bare e-mail or number): the name is the link.
    pub bare: bool,
    pub missing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ContactView {
    pub text: String,
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct GateView {
    pub metric: AnswerView,
    /// Whether any bound is set.
    pub bounded: bool,
    /// Each bound as written, `—` when unset.
    pub min: String,
    pub max: String,
    pub max_drop: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseAnswer {
    pub name: AnswerView,
    /// `planned`, `active` or `done`; none when not written.
    pub status: Option<String>,
    pub audience: AnswerView,
    pub criteria: AnswerView,
    pub feedback_channel: AnswerView,
    pub size: Option<AnswerView>,
    pub start: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ReviewAnswer {
    pub date: Option<String>,
    pub eval_regressions: AnswerView,
    pub failure_modes: AnswerView,
    pub cost_anomalies: AnswerView,
    pub next_change: AnswerView,
}

impl AnswerView {
    pub(crate) const MISSING: AnswerView = AnswerView::Missing { placeholder: None };
}

/// A text answer: inline Markdown when filled, a marked gap otherwise.
pub(crate) fn text_view(t: &Text, at: LinkBase) -> AnswerView {
    match t.state {
        State::Filled => AnswerView::Text {
            html: inline(&t.value, at),
        },
        State::NotApplicable => AnswerView::Na {
            reason_html: inline(t.na_reason().unwrap_or(""), at),
        },
        State::Placeholder => AnswerView::Missing {
            placeholder: Some(t.value.trim().to_string()).filter(|v| !v.is_empty()),
        },
    }
}

/// A person with their contact as written, and its link (`mailto:`, `tel:`) if any.
pub(crate) fn person(value: &str) -> PersonView {
    let c = contact::parse(value);
    PersonView {
        bare: c.is_bare() && c.href.is_some(),
        contacts: c
            .contact
            .map(|text| ContactView { text, href: c.href })
            .into_iter()
            .collect(),
        name: c.name,
        missing: false,
    }
}

/// A person answer: the person when filled, a marked gap otherwise.
pub(crate) fn person_view(t: &Text, at: LinkBase) -> AnswerView {
    if t.state == State::Filled {
        AnswerView::Person {
            person: person(&t.value),
        }
    } else {
        text_view(t, at)
    }
}

fn list_view(items: &[Text], ordered: bool, people: bool, at: LinkBase) -> AnswerView {
    if items.is_empty() {
        return AnswerView::MISSING;
    }
    AnswerView::List {
        ordered,
        items: items
            .iter()
            .map(|t| {
                if people {
                    person_view(t, at)
                } else {
                    text_view(t, at)
                }
            })
            .collect(),
    }
}

fn num(n: Option<f64>) -> String {
    n.map_or_else(|| "—".into(), |v| format!("{v}"))
}

fn gates_view(gates: &[Gate], at: LinkBase) -> AnswerView {
    if gates.is_empty() {
        return AnswerView::MISSING;
    }
    AnswerView::Gates {
        gates: gates
            .iter()
            .map(|g| GateView {
                metric: text_view(&g.metric, at),
                bounded: g.min.is_some() || g.max.is_some() || g.max_drop.is_some(),
                min: num(g.min),
                max: num(g.max),
                max_drop: num(g.max_drop),
            })
            .collect(),
    }
}

fn phases_view(phases: &[Phase], at: LinkBase) -> AnswerView {
    if phases.is_empty() {
        return AnswerView::MISSING;
    }
    AnswerView::Phases {
        phases: phases
            .iter()
            .map(|p| PhaseAnswer {
                name: text_view(&p.name, at),
                status: p.status.map(|s| format!("{s:?}").to_lowercase()),
                audience: text_view(&p.audience, at),
                criteria: text_view(&p.criteria, at),
                feedback_channel: text_view(&p.feedback_channel, at),
                size: p.size.as_ref().map(|t| text_view(t, at)),
                start: p.start.map(|d| d.to_string()),
            })
            .collect(),
    }
}

fn reviews_view(reviews: &[Review], at: LinkBase) -> AnswerView {
    if reviews.is_empty() {
        return AnswerView::MISSING;
    }
    let mut sorted: Vec<&Review> = reviews.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.date));
    AnswerView::Reviews {
        reviews: sorted
            .into_iter()
            .map(|r| ReviewAnswer {
                date: r.date.map(|d| d.to_string()),
                eval_regressions: text_view(&r.eval_regressions, at),
                failure_modes: text_view(&r.failure_modes, at),
                cost_anomalies: text_view(&r.cost_anomalies, at),
                next_change: text_view(&r.next_change, at),
            })
            .collect(),
    }
}

/// The view of any answer. `file_url` links a filled path answer to its file.
pub(crate) fn answer_view(
    def: &FieldDef,
    answer: &Answer,
    file_url: Option<&str>,
    at: LinkBase,
) -> AnswerView {
    match &answer.value {
        Value::Missing => AnswerView::MISSING,
        Value::Text(t) if t.state != State::Filled => text_view(t, at),
        Value::Text(t) => match def.kind {
            Kind::Person => person_view(t, at),
            Kind::Path => AnswerView::Path {
                value: t.value.clone(),
                url: file_url.map(str::to_string),
            },
            // Any other kind holds text only as a placeholder or `N/A: reason`.
            Kind::Text
            | Kind::List
            | Kind::People
            | Kind::Bool
            | Kind::Gates
            | Kind::Phases
            | Kind::Reviews => text_view(t, at),
        },
        Value::Bool(b) => AnswerView::Bool { value: *b },
        Value::List(items) => list_view(
            items,
            def.name == Field::ImmediateActions.as_str(),
            def.kind == Kind::People,
            at,
        ),
        Value::Gates(g) => gates_view(g, at),
        Value::Phases(p) => phases_view(p, at),
        Value::Reviews(r) => reviews_view(r, at),
    }
}

/// The view of one answer. `file_url` links a filled path answer to its file.
pub(crate) fn field_view(
    def: &'static FieldDef,
    answer: &Answer,
    file_url: Option<&str>,
    at: LinkBase,
) -> FieldView {
    let state = match &answer.value {
        Value::Text(t) if t.state == State::NotApplicable => "na",
        _ if answer.filled() => "filled",
        _ => "missing",
    };
    FieldView {
        id: def.name,
        label: def.label,
        state,
        answer: answer_view(def, answer, file_url, at),
        hint: def.hint,
        counted: def.counted,
    }
}

/// The words an answer shows, without markup, for search: each filled text's inline
/// Markdown as plain text (a person's name and contact, a path as written), and the
/// reason of an N/A. Placeholders and yes/no say nothing.
pub(crate) fn answer_text(def: &FieldDef, answer: &Answer) -> String {
    let mut out = String::new();
    for t in answer.texts() {
        let words = match (t.state, def.kind) {
            (State::Filled, Kind::Person | Kind::People) => {
                let p = person(&t.value);
                let contacts = p.contacts.iter().map(|c| c.text.as_str());
                std::iter::once(p.name.as_str())
                    .chain(contacts)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            (State::Filled, Kind::Path) => t.value.clone(),
            (State::Filled, _) => inline_plain(&t.value),
            (State::NotApplicable, _) => inline_plain(t.na_reason().unwrap_or("")),
            (State::Placeholder, _) => continue,
        };
        out.push_str(words.trim());
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: LinkBase = LinkBase {
        base_path: "/",
        content_path: "p/incident.md",
    };

    #[test]
    fn html_in_answers_is_escaped() {
        let t = Text::new("<img src=x onerror=alert(1)> & co", (1, 1));
        let AnswerView::Text { html } = text_view(&t, AT) else {
            panic!("a filled text answer");
        };
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img"));
    }

    #[test]
    fn persons_get_links() {
        let p = person("Dana <dana@acme.example>");
        assert_eq!(p.name, "Dana");
        assert!(!p.bare);
        assert_eq!(
            p.contacts,
            [ContactView {
                text: "dana@acme.example".into(),
                href: Some("mailto:dana@acme.example".into())
            }]
        );
        assert!(person("dana@acme.example").bare);
        assert!(!person("Platform <#ai-platform>").bare);
    }

    #[test]
    fn placeholders_are_missing_with_their_text() {
        let v = text_view(&Text::new("  TBD ", (1, 1)), AT);
        assert_eq!(
            v,
            AnswerView::Missing {
                placeholder: Some("TBD".into())
            }
        );
    }
}
