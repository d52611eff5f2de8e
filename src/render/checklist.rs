//! Rollout checklists: each phase with its entry bar item by item, the operability checklist,
//! the eval gate, monitoring, and every task-list item of the pack.

use crate::check::assess::Assessment;
use crate::domain::answers::PhaseStatus;
use crate::domain::document::Rendered;
use crate::domain::field::{Field, SectionId};
use crate::domain::model::{Pack, Page};
use crate::domain::site_path;
use crate::render::answers_view::{field_view, text_view, AnswerView, FieldView};
use crate::render::markdown::LinkBase;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BarItemView {
    pub label: String,
    pub met: bool,
    /// Where the gap is, or where the answer lives.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseView {
    pub number: usize,
    pub name: String,
    pub status: Option<&'static str>,
    pub audience: AnswerView,
    pub criteria: AnswerView,
    pub feedback_channel: AnswerView,
    pub size: Option<AnswerView>,
    pub start: Option<String>,
    /// Which bar applies: "dogfood", "opt-in beta" or "default-on".
    pub bar_name: &'static str,
    pub bar_met: bool,
    pub bar: Vec<BarItemView>,
    /// Active or done while its bar is unmet.
    pub ahead_of_bar: bool,
    /// Done: shown folded, after the phases still to come.
    pub folded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TaskView {
    pub done: bool,
    pub text: String,
    pub page_title: String,
    pub url: String,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Checklist {
    pub phases: Vec<PhaseView>,
    pub phases_missing: bool,
    pub operability: Vec<FieldView>,
    pub monitoring: Vec<FieldView>,
    pub tasks: Vec<TaskView>,
    pub tasks_open: usize,
    pub rollout_url: String,
}

pub(crate) fn checklist(
    pack: &Pack,
    a: &Assessment,
    rendered: &HashMap<String, Rendered>,
    base: &str,
) -> Checklist {
    let at = Links { pack, base };
    let phases_answer = pack.answer(Field::Phases);
    let tasks = tasks(pack, rendered, base);
    Checklist {
        phases: phase_views(at, a),
        phases_missing: !phases_answer.filled(),
        operability: at.fields(
            SectionId::Operability,
            &[
                crate::domain::schema::OPERABILITY_ANSWERS.as_slice(),
                &[Field::KillSwitchHow],
            ]
            .concat(),
        ),
        monitoring: at.fields(
            SectionId::Rollout,
            &[Field::Dashboards, Field::DailyChecks, Field::EscalationPath],
        ),
        tasks_open: tasks.iter().filter(|t| !t.done).count(),
        tasks,
        rollout_url: at.url_of(SectionId::Rollout.as_str(), None),
    }
}

/// A pack and the base path its links start with.
#[derive(Clone, Copy)]
struct Links<'a> {
    pack: &'a Pack,
    base: &'a str,
}

impl Links<'_> {
    /// The URL of a section page, or of one of its fields.
    fn url_of(&self, section: &str, field: Option<&str>) -> String {
        let (base, slug) = (self.base, &self.pack.slug);
        match field {
            Some(f) => format!("{base}{slug}/{section}/#{f}"),
            None => format!("{base}{slug}/{section}/"),
        }
    }

    /// The named fields of a section, an empty answer shown as missing.
    fn fields(&self, id: SectionId, names: &[Field]) -> Vec<FieldView> {
        let path = format!("{}/{id}.md", self.pack.slug);
        let at = LinkBase {
            base_path: self.base,
            content_path: &path,
        };
        self.pack
            .section(id)
            .map(|s| {
                s.answers()
                    .filter(|(f, _)| names.iter().any(|n| n.as_str() == f.name))
                    .map(|(f, ans)| {
                        let mut v = field_view(f, ans, None, at);
                        if matches!(&v.answer, AnswerView::Text { html } if html.is_empty()) {
                            v.answer = AnswerView::MISSING;
                        }
                        v
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Each phase of the rollout with its entry bar, item by item.
fn phase_views(links: Links, a: &Assessment) -> Vec<PhaseView> {
    let rollout_path = format!("{}/rollout.md", links.pack.slug);
    let at = LinkBase {
        base_path: links.base,
        content_path: &rollout_path,
    };
    let phases_answer = links.pack.answer(Field::Phases);
    let mut views: Vec<PhaseView> = phases_answer
        .phases()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let bar = a.bar_for(i);
            let status = p.status.map(PhaseStatus::as_str);
            PhaseView {
                number: i + 1,
                name: if p.name.filled() {
                    p.name.value.clone()
                } else {
                    format!("Phase {}", i + 1)
                },
                status,
                audience: text_view(&p.audience, at),
                criteria: text_view(&p.criteria, at),
                feedback_channel: text_view(&p.feedback_channel, at),
                size: p.size.as_ref().map(|t| text_view(t, at)),
                start: p.start.map(|d| d.to_string()),
                bar_name: crate::check::assess::BarName::for_phase(i).as_str(),
                bar_met: bar.met,
                bar: bar
                    .items
                    .iter()
                    .map(|item| BarItemView {
                        label: item.label.clone(),
                        met: item.met,
                        url: links.url_of(item.section, item.field),
                    })
                    .collect(),
                ahead_of_bar: p.status.is_some_and(PhaseStatus::started) && !bar.met,
                folded: p.status == Some(PhaseStatus::Done),
            }
        })
        .collect();
    // What whoever moves the workflow on needs first: the active phase, then the ones
    // to come, then the done ones (folded), each group in rollout order.
    views.sort_by_key(|v| match v.status {
        Some(s) if s == PhaseStatus::Active.as_str() => 0,
        Some(s) if s == PhaseStatus::Done.as_str() => 2,
        _ => 1,
    });
    views
}

/// Every task-list item of the pack's pages, in page order.
fn tasks(pack: &Pack, rendered: &HashMap<String, Rendered>, base: &str) -> Vec<TaskView> {
    let mut tasks = Vec::new();
    for page in pack.all_pages() {
        let Some(r) = rendered.get(page.content_path()) else {
            continue;
        };
        let title = task_page_title(page);
        for t in &r.tasks {
            tasks.push(TaskView {
                done: t.done,
                text: t.text.clone(),
                page_title: title.clone(),
                url: format!("{base}{}", page.url_path()),
                file: page.file().to_string(),
                line: t.line,
            });
        }
    }
    tasks
}

/// A section page's title is its section's unless it names its own.
fn task_page_title(page: &Page) -> String {
    let stem = site_path::file_name(page.content_path()).trim_end_matches(".md");
    match crate::domain::schema::section(stem) {
        Some(def) if page.fm.title.is_none() => def.title.to_string(),
        _ => crate::render::views::page_title(page),
    }
}
