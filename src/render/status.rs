//! status.json: every pack's completeness, sections, readiness, phase, gate and freshness.

use crate::check::assess::{Assessment, SectionStatus};
use crate::domain::eval::GateStatus;
use crate::domain::field::Field;
use crate::domain::model::{Pack, Site};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackStatus {
    pub slug: String,
    pub name: Option<String>,
    pub completeness: u32,
    pub ready: bool,
    pub phase: Option<String>,
    pub dri: Option<String>,
    pub last_review: Option<String>,
    pub stale: bool,
    pub gate: GateStatus,
    pub sections: Vec<SectionStatus>,
    /// Cases in the eval set, when one was read.
    pub eval_cases: Option<usize>,
    /// The highest rollout phase (1 dogfood, 2 opt-in beta, 3 default-on) whose entry bar is met; 0 for none.
    pub entry_bar_met: u8,
    /// A phase is active or done while its entry bar is not met.
    pub ahead_of_bar: bool,
}

/// The version of the status.json (and `check --format json`) layout; a change that breaks
/// readers raises it. Described by `schema/status.schema.json` and `schema/check.schema.json`.
pub(crate) const SCHEMA: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// Always [`SCHEMA`].
    pub schema: u32,
    pub title: String,
    pub packs: Vec<PackStatus>,
}

pub(crate) fn pack_status(pack: &Pack, a: &Assessment) -> PackStatus {
    PackStatus {
        slug: pack.slug.clone(),
        name: pack
            .answer(Field::Name)
            .text()
            .filter(|t| t.filled())
            .map(|t| t.value.clone()),
        completeness: a.completeness,
        ready: a.ready,
        phase: a.phase.clone(),
        dri: a.dri.clone(),
        last_review: a.last_review.map(|d| d.to_string()),
        stale: a.stale,
        gate: a.gate,
        sections: a.sections.clone(),
        eval_cases: a.cases,
        entry_bar_met: a.bar_level,
        ahead_of_bar: a.ahead_of_bar,
    }
}

/// status.json as [`serde_json::to_string_pretty`] writes [`status`], in pieces made one
/// pack at a time: the whole file of a thousand packs is never in memory.
pub(crate) fn pretty_pieces<'a>(
    site: &'a Site,
    assessments: &'a HashMap<String, Assessment>,
) -> impl Iterator<Item = String> + 'a {
    let packs =
        (site.packs.iter()).filter_map(|p| assessments.get(&p.slug).map(|a| pack_status(p, a)));
    pieces_of(site.config.title.clone(), packs)
}

/// The pretty status.json of `title` and `packs`, a piece per pack.
fn pieces_of(
    title: String,
    packs: impl Iterator<Item = PackStatus>,
) -> impl Iterator<Item = String> {
    let head = Status {
        schema: SCHEMA,
        title,
        packs: Vec::new(),
    };
    let head = serde_json::to_string_pretty(&head).unwrap_or_default();
    // `…"packs": []\n}`: the packs go between the brackets.
    let (open, close) = head.rsplit_once("[]").unwrap_or((&head, ""));
    let (open, close) = (format!("{open}["), format!("]{close}"));
    let mut packs = packs.peekable();
    let empty = packs.peek().is_none();
    let mut first = true;
    let packs = packs.map(move |p| {
        let json = serde_json::to_string_pretty(&p).unwrap_or_default();
        // Each pack two levels in, as the whole document's pretty printing puts it: a
        // line break is never inside a string, which writes it `\n`.
        let mut piece = String::with_capacity(json.len() * 5 / 4);
        piece.push_str(if first { "\n" } else { ",\n" });
        first = false;
        for (i, line) in json.lines().enumerate() {
            if i > 0 {
                piece.push('\n');
            }
            piece.push_str("    ");
            piece.push_str(line);
        }
        piece
    });
    let end = if empty { close } else { format!("\n  {close}") };
    std::iter::once(open).chain(packs).chain([end])
}

pub(crate) fn status(site: &Site, assessments: &HashMap<String, Assessment>) -> Status {
    Status {
        schema: SCHEMA,
        title: site.config.title.clone(),
        packs: site
            .packs
            .iter()
            .filter_map(|p| assessments.get(&p.slug).map(|a| pack_status(p, a)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(slug: &str, name: Option<&str>) -> PackStatus {
        PackStatus {
            slug: slug.into(),
            name: name.map(Into::into),
            completeness: 40,
            ready: false,
            phase: Some("Phase 0".into()),
            dri: None,
            last_review: Some("2026-11-02".into()),
            stale: true,
            gate: GateStatus::Fail,
            sections: vec![
                SectionStatus {
                    section: "workflow",
                    completeness: 100,
                    missing: Vec::new(),
                },
                SectionStatus {
                    section: "data",
                    completeness: 0,
                    missing: vec!["sources", "retention"],
                },
            ],
            eval_cases: Some(12),
            entry_bar_met: 0,
            ahead_of_bar: true,
        }
    }

    #[test]
    fn the_pieces_make_the_pretty_document_byte_for_byte() {
        let title = "Ops \"AI\" packs\nline two ✓";
        let odd = pack("b", Some("Name with \"quotes\",\n a break, [] and {}"));
        for packs in [vec![], vec![pack("a", None)], vec![pack("a", None), odd]] {
            let whole = Status {
                schema: SCHEMA,
                title: title.into(),
                packs: packs.clone(),
            };
            let pieces: String = pieces_of(title.into(), packs.into_iter()).collect();
            assert_eq!(
                pieces,
                serde_json::to_string_pretty(&whole).unwrap_or_default()
            );
        }
    }
}
