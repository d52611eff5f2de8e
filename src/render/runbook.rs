//! Incident runbooks: the kill switch, first actions and who to call, gathered from a pack for a responder.

use crate::domain::answers::{parse_date, Answer, Date, State, Text, Value};
use crate::domain::field::{Field, SectionId};
use crate::domain::model::Pack;
use crate::render::answers_view::{person_view, text_view, AnswerView, PersonView};
use crate::render::markdown::{inline, LinkBase};
use crate::render::responders::{self, People};
use serde::Serialize;
use std::ops::Range;

/// The fields a runbook shows, in its order (search indexes the runbook by them).
pub(crate) const FIELDS: [Field; 9] = [
    Field::KillSwitchHow,
    Field::ImmediateActions,
    Field::Paging,
    Field::IncidentOwner,
    Field::IncidentDefinition,
    Field::Fallback,
    Field::CommsPlan,
    Field::ReviewOwner,
    Field::ReviewFormat,
];

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
    /// The command to run, to copy: the code block in `kill_switch_how`, else its inline
    /// code that holds a space (a command line, not a flag name), else its only inline code.
    pub command: Option<Command>,
}

/// A kill switch's command, and the prose around it as inline HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Command {
    pub code: String,
    pub before_html: String,
    pub after_html: String,
}

/// How current the runbook is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct AsOf {
    /// The newest date the pack states, not after the build: its latest weekly review or
    /// eval run; none when it states neither.
    pub date: Option<String>,
    /// What that date is: `weekly review` or `eval run`.
    pub from: &'static str,
    /// The build date (`--today`).
    pub built: String,
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
    /// Who to call: the paging list with roles, the fallback, the person to call first.
    pub people: People,
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
    pub as_of: AsOf,
}

/// The template rendering each runbook's row of the list of every runbook on its own.
pub(crate) const ROW_TEMPLATE: &str = "partials/runbooks_row.html";

/// A runbook as the list of every runbook shows it: the workflow, its kill switch and
/// whom to call. The whole runbook is on its own page; the list keeps this much of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Entry {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub pack_url: String,
    pub kill_switch: KillSwitch,
    pub incident_owner: PersonView,
}

impl Runbook {
    /// The runbook's line in the list of every runbook.
    pub(crate) fn entry(&self) -> Entry {
        Entry {
            slug: self.slug.clone(),
            name: self.name.clone(),
            url: self.url.clone(),
            pack_url: self.pack_url.clone(),
            kill_switch: self.kill_switch.clone(),
            incident_owner: self.incident_owner.clone(),
        }
    }
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

/// The command in a kill switch's how (see [`KillSwitch::command`]), and where it is
/// written in it (a byte range).
pub(crate) fn command(how: &str) -> Option<(String, Range<usize>)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut spans: Vec<(String, Range<usize>)> = Vec::new();
    let mut block: Option<String> = None;
    for (event, range) in Parser::new(how).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(String::new()),
            Event::Text(t) => {
                if let Some(b) = block.as_mut() {
                    b.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let code = block.take().unwrap_or_default();
                let code = code.trim();
                if !code.is_empty() {
                    return Some((code.to_string(), range));
                }
            }
            Event::Code(c) if block.is_none() && !c.trim().is_empty() => {
                spans.push((c.trim().to_string(), range));
            }
            _ => {}
        }
    }
    if let [only] = spans.as_slice() {
        return Some(only.clone());
    }
    spans
        .into_iter()
        .find(|(c, _)| c.contains(char::is_whitespace))
}

/// The kill switch's command, with the prose written before and after it.
fn kill_command(how: &str, at: LinkBase) -> Option<Command> {
    let (code, range) = command(how)?;
    let before = how.get(..range.start).unwrap_or("").trim_end();
    let after = how
        .get(range.end..)
        .unwrap_or("")
        .trim_start_matches(|c: char| c.is_whitespace() || ".,;:)".contains(c));
    // "…or run `cmd`." reads "…or run:" above the command.
    let before = match before.chars().last() {
        Some(c) if c.is_alphanumeric() => format!("{before}:"),
        Some('(') => format!("{}:", before.trim_end_matches('(').trim_end()),
        _ => before.to_string(),
    };
    Some(Command {
        code,
        before_html: inline(&before, at),
        after_html: inline(after, at),
    })
}

/// How current `pack`'s runbook is, built on `today`.
pub(crate) fn as_of(pack: &Pack, today: Date) -> AsOf {
    let review = pack
        .answer(Field::Reviews)
        .reviews()
        .iter()
        .filter_map(|r| r.date)
        .filter(|d| *d <= today)
        .max();
    let run = pack
        .eval
        .runs
        .iter()
        .filter_map(|r| parse_date(&r.date))
        .filter(|d| *d <= today)
        .max();
    let (date, from) = match (review, run) {
        (Some(r), Some(e)) if e > r => (Some(e), "eval run"),
        (Some(r), _) => (Some(r), "weekly review"),
        (None, Some(e)) => (Some(e), "eval run"),
        (None, None) => (None, ""),
    };
    AsOf {
        date: date.map(|d| d.to_string()),
        from,
        built: today.to_string(),
    }
}

/// The runbook of `pack`; `base` is the site's base path, `notes_html` the incident
/// notes, `today` the build date.
pub(crate) fn runbook(pack: &Pack, base: &str, notes_html: String, today: Date) -> Runbook {
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
    let command = pack
        .answer(Field::KillSwitchHow)
        .text()
        .filter(|t| t.state == State::Filled)
        .and_then(|t| kill_command(&t.value, ops));
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
        kill_switch: KillSwitch {
            state,
            how,
            command,
        },
        actions,
        actions_missing,
        paging_missing: !paging_answer.filled(),
        people: responders::people(pack, base),
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
        as_of: as_of(pack, today),
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
    fn the_command_is_the_code_a_responder_runs() {
        let cmd = |s: &str| command(s).map(|(c, _)| c);
        assert_eq!(
            cmd("Set `flag.enabled` to off, or run `flagctl set flag.enabled off`. Done.")
                .as_deref(),
            Some("flagctl set flag.enabled off")
        );
        assert_eq!(
            cmd("Set `flag.enabled` to off.").as_deref(),
            Some("flag.enabled")
        );
        assert_eq!(
            cmd("Run:\n\n```sh\nflagctl set a off\n```\n\nthen `check it`").as_deref(),
            Some("flagctl set a off")
        );
        assert_eq!(cmd("Turn off the flag in the console"), None);
        assert_eq!(cmd("Set `a.on` or `b.on` to off"), None);
    }

    #[test]
    fn the_prose_stays_around_the_command() {
        let at = LinkBase {
            base_path: "/",
            content_path: "p/operability.md",
        };
        let c = kill_command("Set *it* off, or run `flagctl off` (then check). Done.", at)
            .expect("a command");
        assert_eq!(c.code, "flagctl off");
        assert_eq!(c.before_html, "Set <em>it</em> off, or run:");
        assert_eq!(c.after_html, "(then check). Done.");
        assert!(kill_command("Turn it off in the console", at).is_none());
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
