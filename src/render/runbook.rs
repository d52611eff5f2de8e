//! Incident runbooks: the kill switch, first actions and who to call, gathered from a pack for a responder.

use crate::domain::answers::{Answer, State, Text, Value};
use crate::domain::field::{Field, SectionId};
use crate::domain::model::Pack;
use crate::render::answers_view::{person_view, text_view, AnswerView, PersonView};
use crate::render::markdown::LinkBase;
use serde::Serialize;

/// One runbook item: its answer, or a marked gap with a link to where to fill it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Item {
    pub answer: AnswerView,
    pub missing: bool,
    /// The section page and field where the answer is written.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct KillSwitch {
    /// `ready` (exists, how written), `no_how` (exists, how not written),
    /// `none` (the pack says there is none), `unknown` (not answered).
    pub state: &'static str,
    pub how: Item,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Runbook {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub pack_url: String,
    pub kill_switch: KillSwitch,
    pub actions: Vec<Item>,
    pub actions_missing: bool,
    pub paging: Vec<PersonView>,
    pub paging_missing: bool,
    pub paging_source: String,
    pub incident_owner: PersonView,
    pub incident_owner_source: String,
    pub definition: Vec<Item>,
    pub definition_missing: bool,
    pub fallback: Item,
    pub comms_plan: Item,
    pub review_owner: Item,
    pub review_format: Item,
    pub notes_html: String,
    pub incident_url: String,
}

fn source(base: &str, slug: &str, stem: &str, field: &str) -> String {
    format!("{base}{slug}/{stem}/#{field}")
}

fn item(answer: &Answer, src: String, at: LinkBase) -> Item {
    match answer.text() {
        Some(t) if t.filled() => Item {
            answer: text_view(t, at),
            missing: false,
            source: src,
        },
        Some(t) => Item {
            answer: text_view(t, at),
            missing: true,
            source: src,
        },
        None => Item {
            answer: AnswerView::MISSING,
            missing: true,
            source: src,
        },
    }
}

fn items(answer: &Answer, src: &str, at: LinkBase) -> (Vec<Item>, bool) {
    match &answer.value {
        Value::List(list) => {
            let items: Vec<Item> = list
                .iter()
                .map(|t| Item {
                    answer: text_view(t, at),
                    missing: !t.filled(),
                    source: src.to_string(),
                })
                .collect();
            let missing = !answer.filled();
            (items, missing)
        }
        Value::Text(t) if t.state == State::NotApplicable => (
            vec![Item {
                answer: text_view(t, at),
                missing: false,
                source: src.to_string(),
            }],
            false,
        ),
        _ => (Vec::new(), true),
    }
}

pub(crate) fn person(t: Option<&Text>) -> PersonView {
    match t {
        Some(t) if t.state == State::Filled => crate::render::answers_view::person(&t.value),
        Some(t) if t.state == State::NotApplicable => PersonView {
            name: t.value.clone(),
            contacts: Vec::new(),
            bare: false,
            missing: false,
        },
        _ => PersonView {
            name: String::new(),
            contacts: Vec::new(),
            bare: false,
            missing: true,
        },
    }
}

#[allow(
    clippy::expect_used,
    reason = "a constant pattern: it compiles, as every test run shows"
)]
static LOCAL_ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r##"(\sid="|\shref="#)"##).expect("constant pattern")
});

/// Prefixes every id of `html`, and every link to one in it, with `prefix`, so several
/// notes can share one page.
pub(crate) fn scope_ids(html: &str, prefix: &str) -> String {
    LOCAL_ID
        .replace_all(html, |c: &regex::Captures| {
            format!("{}{prefix}-", c.get(1).map_or("", |m| m.as_str()))
        })
        .into_owned()
}

/// The runbook of `pack`; `base` is the site's base path, `notes_html` the incident notes.
pub(crate) fn runbook(pack: &Pack, base: &str, notes_html: String) -> Runbook {
    let slug = &pack.slug;
    let src = |f: Field| source(base, slug, f.section().as_str(), f.as_str());
    let paths: Vec<String> = [
        SectionId::Operability,
        SectionId::Incident,
        SectionId::Models,
    ]
    .iter()
    .map(|stem| format!("{slug}/{stem}.md"))
    .collect();
    let at = |i: usize| LinkBase {
        base_path: base,
        content_path: paths.get(i).map_or("", String::as_str),
    };
    let (ops, inc, models) = (at(0), at(1), at(2));
    let how = item(
        pack.answer(Field::KillSwitchHow),
        src(Field::KillSwitchHow),
        ops,
    );
    let state = match pack.answer(Field::KillSwitch).bool() {
        Some(true) if !how.missing => "ready",
        Some(true) => "no_how",
        Some(false) => "none",
        None => "unknown",
    };
    let (actions, actions_missing) = items(
        pack.answer(Field::ImmediateActions),
        &src(Field::ImmediateActions),
        inc,
    );
    let paging_answer = pack.answer(Field::Paging);
    let paging: Vec<PersonView> = paging_answer
        .list()
        .iter()
        .map(|t| person(Some(t)))
        .collect();
    let (definition, definition_missing) = items(
        pack.answer(Field::IncidentDefinition),
        &src(Field::IncidentDefinition),
        inc,
    );
    Runbook {
        slug: slug.clone(),
        name: pack.name(),
        url: format!("{base}{slug}/runbook/"),
        pack_url: format!("{base}{slug}/"),
        kill_switch: KillSwitch { state, how },
        actions,
        actions_missing,
        paging_missing: !paging_answer.filled(),
        paging,
        paging_source: src(Field::Paging),
        incident_owner: person(pack.answer(Field::IncidentOwner).text()),
        incident_owner_source: src(Field::IncidentOwner),
        definition,
        definition_missing,
        fallback: item(pack.answer(Field::Fallback), src(Field::Fallback), models),
        comms_plan: item(pack.answer(Field::CommsPlan), src(Field::CommsPlan), inc),
        review_owner: {
            let a = pack.answer(Field::ReviewOwner);
            let mut i = item(a, src(Field::ReviewOwner), inc);
            if let Some(t) = a.text().filter(|t| t.state == State::Filled) {
                i.answer = person_view(t, inc);
            }
            i
        },
        review_format: item(
            pack.answer(Field::ReviewFormat),
            src(Field::ReviewFormat),
            inc,
        ),
        notes_html,
        incident_url: format!("{base}{slug}/incident/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::answers::Text;

    #[test]
    fn scoped_ids() {
        let html = "<h2 id=\"escalation\">E <a class=\"permalink\" href=\"#escalation\">#</a></h2><a href=\"/b/x/#y\">y</a>";
        assert_eq!(
            scope_ids(html, "pack"),
            "<h2 id=\"pack-escalation\">E <a class=\"permalink\" href=\"#pack-escalation\">#</a></h2><a href=\"/b/x/#y\">y</a>"
        );
    }

    #[test]
    fn people_parse_contacts() {
        let p = person(Some(&Text::new("Priya N. <+1 555 0100>", (1, 1))));
        assert_eq!(
            p.contacts.first().and_then(|c| c.href.as_deref()),
            Some("tel:+15550100")
        );
        assert!(person(Some(&Text::new("TBD", (1, 1)))).missing);
        assert!(person(None).missing);
    }
}
