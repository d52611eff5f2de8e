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
