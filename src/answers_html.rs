//! Answers as HTML: each field of a section page, with unfilled answers plainly marked.

use crate::answers::{Answer, Gate, Phase, Review, State, Text, Value};
use crate::contact;
use crate::highlight::escape;
use crate::markdown::{inline, LinkBase};
use crate::schema::{FieldDef, Kind};
use serde::Serialize;

/// One answer, ready for a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldView {
    /// Also the element id, so `incident.md#paging` lands on the answer.
    pub id: &'static str,
    pub label: &'static str,
    /// `filled`, `missing` or `na`.
    pub state: &'static str,
    pub html: String,
    pub hint: &'static str,
    pub counted: bool,
}

pub const MISSING: &str = "<span class=\"missing\">Missing</span>";

fn missing_with(value: &str) -> String {
    if value.trim().is_empty() {
        MISSING.to_string()
    } else {
        format!(
            "{MISSING} <span class=\"placeholder\">({})</span>",
            escape(value.trim())
        )
    }
}

/// A text answer: inline Markdown when filled, a marked gap otherwise.
pub fn text_html(t: &Text, at: LinkBase) -> String {
    match t.state {
        State::Filled => inline(&t.value, at),
        State::NotApplicable => format!(
            "<span class=\"na\">Not applicable</span>: {}",
            inline(t.na_reason().unwrap_or(""), at)
        ),
        State::Placeholder => missing_with(&t.value),
    }
}

/// A person with a working contact link (`mailto:`, `tel:`); handles as written.
pub fn person_html(t: &Text, at: LinkBase) -> String {
    if t.state != State::Filled {
        return text_html(t, at);
    }
    let c = contact::parse(&t.value);
    let name = format!("<span class=\"person\">{}</span>", escape(&c.name));
    match (&c.contact, &c.href) {
        (Some(contact), Some(href)) if *contact != c.name => format!(
            "{name} <a class=\"contact\" href=\"{}\">{}</a>",
            escape(href),
            escape(contact)
        ),
        (Some(_), Some(href)) => {
            format!("<a class=\"contact\" href=\"{}\">{name}</a>", escape(href))
        }
        (Some(contact), None) => {
            format!("{name} <span class=\"contact\">{}</span>", escape(contact))
        }
        (None, _) => name,
    }
}

fn list_html(items: &[Text], ordered: bool, person: bool, at: LinkBase) -> String {
    if items.is_empty() {
        return MISSING.to_string();
    }
    let tag = if ordered { "ol" } else { "ul" };
    let mut out = format!("<{tag}>");
    for item in items {
        let html = if person {
            person_html(item, at)
        } else {
            text_html(item, at)
        };
        out.push_str(&format!("<li>{html}</li>"));
    }
    out.push_str(&format!("</{tag}>"));
    out
}

fn num(n: Option<f64>) -> String {
    n.map_or_else(|| "—".into(), |v| format!("{v}"))
}

fn gates_html(gates: &[Gate], at: LinkBase) -> String {
    if gates.is_empty() {
        return MISSING.to_string();
    }
    let mut out = String::from("<table class=\"answer-table\"><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Min</th><th scope=\"col\">Max</th><th scope=\"col\">Max drop</th></tr></thead><tbody>");
    for g in gates {
        let bounds = if g.min.is_none() && g.max.is_none() && g.max_drop.is_none() {
            format!("<td colspan=\"3\">{MISSING} (no bound)</td>")
        } else {
            format!(
                "<td>{}</td><td>{}</td><td>{}</td>",
                num(g.min),
                num(g.max),
                num(g.max_drop)
            )
        };
        out.push_str(&format!(
            "<tr><td>{}</td>{bounds}</tr>",
            text_html(&g.metric, at)
        ));
    }
    out.push_str("</tbody></table>");
    out
}

fn phases_html(phases: &[Phase], at: LinkBase) -> String {
    if phases.is_empty() {
        return MISSING.to_string();
    }
    let mut out = String::from("<ol class=\"phases\">");
    for p in phases {
        let status = p.status.map_or_else(
            || MISSING.to_string(),
            |s| {
                let s = format!("{s:?}").to_lowercase();
                format!("<span class=\"status status-{s}\">{s}</span>")
            },
        );
        out.push_str(&format!(
            "<li><strong>{}</strong> {status}<dl><dt>Audience</dt><dd>{}</dd><dt>Criteria</dt><dd>{}</dd><dt>Feedback channel</dt><dd>{}</dd>",
            text_html(&p.name, at),
            text_html(&p.audience, at),
            text_html(&p.criteria, at),
            text_html(&p.feedback_channel, at)
        ));
        if let Some(size) = &p.size {
            out.push_str(&format!("<dt>Size</dt><dd>{}</dd>", text_html(size, at)));
        }
        if let Some(start) = p.start {
            out.push_str(&format!(
                "<dt>Start</dt><dd><time datetime=\"{start}\">{start}</time></dd>"
            ));
        }
        out.push_str("</dl></li>");
    }
    out.push_str("</ol>");
    out
}

fn reviews_html(reviews: &[Review], at: LinkBase) -> String {
    if reviews.is_empty() {
        return MISSING.to_string();
    }
    let mut sorted: Vec<&Review> = reviews.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.date));
    let mut out = String::from("<ol class=\"reviews\" reversed>");
    for r in sorted {
        let date = r.date.map_or_else(
            || MISSING.to_string(),
            |d| format!("<time datetime=\"{d}\">{d}</time>"),
        );
        out.push_str(&format!(
            "<li><strong>{date}</strong><dl><dt>Eval regressions</dt><dd>{}</dd><dt>Failure modes</dt><dd>{}</dd><dt>Cost anomalies</dt><dd>{}</dd><dt>Next change</dt><dd>{}</dd></dl></li>",
            text_html(&r.eval_regressions, at),
            text_html(&r.failure_modes, at),
            text_html(&r.cost_anomalies, at),
            text_html(&r.next_change, at)
        ));
    }
    out.push_str("</ol>");
    out
}

/// The view of one answer. `file_url` links a filled path answer to its file.
pub fn field_view(
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
    let html = match &answer.value {
        Value::Missing => MISSING.to_string(),
        Value::Text(t) if t.state != State::Filled => text_html(t, at),
        Value::Text(t) => match def.kind {
            Kind::Person => person_html(t, at),
            Kind::Path => match file_url {
                Some(url) => format!(
                    "<a href=\"{}\"><code>{}</code></a>",
                    escape(url),
                    escape(&t.value)
                ),
                None => format!("<code>{}</code>", escape(&t.value)),
            },
            _ => text_html(t, at),
        },
        Value::Bool(b) => {
            if *b {
                "<span class=\"yes\">Yes</span>".into()
            } else {
                "<span class=\"no\">No</span>".into()
            }
        }
        Value::List(items) => list_html(
            items,
            def.name == "immediate_actions",
            def.kind == Kind::People,
            at,
        ),
        Value::Gates(g) => gates_html(g, at),
        Value::Phases(p) => phases_html(p, at),
        Value::Reviews(r) => reviews_html(r, at),
    };
    FieldView {
        id: def.name,
        label: def.label,
        state,
        html,
        hint: def.hint,
        counted: def.counted,
    }
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
        let html = text_html(&t, AT);
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img"));
    }

    #[test]
    fn persons_get_links() {
        let html = person_html(&Text::new("Dana <dana@acme.example>", (1, 1)), AT);
        assert_eq!(html, "<span class=\"person\">Dana</span> <a class=\"contact\" href=\"mailto:dana@acme.example\">dana@acme.example</a>");
    }
}
