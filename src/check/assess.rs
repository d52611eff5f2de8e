//! Assessment: each pack's completeness, eval gate, freshness and phase entry bars, and the warnings they raise.

use crate::check::gate;
use crate::domain::answers::{Date, PhaseStatus, State};
use crate::domain::config::Config;
use crate::domain::diag::{Diagnostic, Kind, LineIndex};
use crate::domain::eval::{GateRule, GateStatus, ModelLatest, Verdict};
use crate::domain::field::{Field, SectionId};
use crate::domain::model::Pack;
use crate::domain::schema;
use serde::Serialize;

/// Fewer eval cases than this is a warning.
pub const MIN_CASES: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionStatus {
    pub section: &'static str,
    pub completeness: u32,
    pub missing: Vec<&'static str>,
}

/// The three entry bars, one per rollout stage, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarName {
    Dogfood,
    OptInBeta,
    DefaultOn,
}

impl BarName {
    /// Every bar, lowest first: the bar of level `n` is `ALL[n - 1]`.
    pub const ALL: [BarName; 3] = [BarName::Dogfood, BarName::OptInBeta, BarName::DefaultOn];

    /// The bar's name as the pages show it.
    pub const fn as_str(self) -> &'static str {
        match self {
            BarName::Dogfood => "dogfood",
            BarName::OptInBeta => "opt-in beta",
            BarName::DefaultOn => "default-on",
        }
    }

    /// The bar that phase `index` (from 0) must meet: phases past the third meet the last.
    pub fn for_phase(index: usize) -> BarName {
        BarName::ALL
            .get(index)
            .copied()
            .unwrap_or(BarName::DefaultOn)
    }

    /// The bar of level `level` (1 to 3); none for 0.
    pub fn of_level(level: u8) -> Option<BarName> {
        usize::from(level)
            .checked_sub(1)
            .and_then(|i| BarName::ALL.get(i).copied())
    }
}

impl std::fmt::Display for BarName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One requirement of an entry bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarItem {
    pub label: String,
    pub met: bool,
    /// The section stem where the gap is (or the answer lives).
    pub section: &'static str,
    /// The field anchor on that section's page, when one field is the gap.
    pub field: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// 1 (dogfood), 2 (opt-in beta) or 3 (default-on and later).
    pub level: u8,
    pub items: Vec<BarItem>,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub completeness: u32,
    pub sections: Vec<SectionStatus>,
    pub ready: bool,
    pub phase: Option<String>,
    pub dri: Option<String>,
    pub last_review: Option<Date>,
    pub stale: bool,
    /// Days since the last review, when there is one.
    pub review_age: Option<i64>,
    pub gate: GateStatus,
    /// Every run's verdict, newest first.
    pub verdicts: Vec<Verdict>,
    pub models: Vec<ModelLatest>,
    pub cases: Option<usize>,
    /// The three bars: dogfood, opt-in beta, default-on.
    pub bars: [Bar; 3],
    /// The highest phase level whose bar the pack meets (0: none).
    pub bar_level: u8,
    /// A phase is active or done while its entry bar is not met.
    pub ahead_of_bar: bool,
}

impl Assessment {
    /// The bar a phase at `index` in `phases` must meet.
    pub fn bar_for(&self, index: usize) -> &Bar {
        let [_, _, last] = &self.bars;
        self.bars.get(index).unwrap_or(last)
    }
}

/// The gate rules of a pack whose metric is filled.
pub fn gate_rules(pack: &Pack) -> Vec<GateRule> {
    pack.answer(Field::ReleaseGate)
        .gates()
        .iter()
        .filter_map(|g| {
            g.metric.answer().map(|m| GateRule {
                metric: m.trim().to_string(),
                min: g.min,
                max: g.max,
                max_drop: g.max_drop,
            })
        })
        .collect()
}

fn complete(sections: &[SectionStatus], stem: SectionId) -> BarItem {
    let s = sections.iter().find(|s| s.section == stem.as_str());
    let missing = s.map_or(Vec::new(), |s| s.missing.clone());
    let pct = s.map_or(0, |s| s.completeness);
    BarItem {
        label: format!("{stem} section complete ({pct}%)"),
        met: pct == 100,
        section: stem.as_str(),
        field: missing.first().copied(),
    }
}

pub fn assess(pack: &Pack, config: &Config, today: Date) -> Assessment {
    let sections: Vec<SectionStatus> = pack
        .sections
        .iter()
        .map(|s| SectionStatus {
            section: s.def.stem,
            completeness: s.completeness(),
            missing: s.missing(),
        })
        .collect();
    let completeness = pack.completeness();
    let verdicts = gate::evaluate(&pack.eval.runs, &gate_rules(pack));
    let gate = gate::status(&verdicts);
    let models = gate::models(&pack.eval.runs, &verdicts);

    let phases = pack.answer(Field::Phases).phases();
    let phase = phases
        .iter()
        .find(|p| p.status == Some(PhaseStatus::Active))
        .or_else(|| {
            phases
                .iter()
                .rev()
                .find(|p| p.status == Some(PhaseStatus::Done))
        })
        .and_then(|p| p.name.answer().map(str::to_string));
    let dri = pack
        .answer(Field::Dri)
        .text()
        .filter(|t| t.state != State::Placeholder)
        .map(|t| t.value.clone());
    let last_review = pack
        .answer(Field::Reviews)
        .reviews()
        .iter()
        .filter_map(|r| r.date)
        .max();
    let review_age = last_review.map(|d| (today - d).whole_days());
    let stale = review_age.is_none_or(|age| age > config.stale_after_days);

    let kill_switch = pack.answer(Field::KillSwitch).bool() == Some(true);
    let bar1 = vec![
        complete(&sections, SectionId::Workflow),
        complete(&sections, SectionId::Accountability),
        complete(&sections, SectionId::Data),
        complete(&sections, SectionId::Incident),
        BarItem {
            label: "kill switch in place".into(),
            met: kill_switch,
            section: SectionId::Operability.as_str(),
            field: Some(Field::KillSwitch.as_str()),
        },
    ];
    let gate_ok = gate != GateStatus::Fail;
    let mut bar2 = bar1.clone();
    bar2.extend([
        complete(&sections, SectionId::Evaluation),
        complete(&sections, SectionId::Operability),
        complete(&sections, SectionId::Models),
        BarItem {
            label: match gate {
                GateStatus::None => "latest eval run passes every gate (no results yet)".into(),
                GateStatus::Pass | GateStatus::Fail => "latest eval run passes every gate".into(),
            },
            met: gate_ok,
            section: SectionId::Evaluation.as_str(),
            field: Some(Field::Results.as_str()),
        },
    ]);
    let first_false = schema::OPERABILITY_ANSWERS
        .into_iter()
        .find(|f| pack.answer(*f).bool() != Some(true))
        .map(Field::as_str);
    let first_missing = sections.iter().find(|s| s.completeness < 100);
    let bar3 = vec![
        BarItem {
            label: format!("pack 100% complete ({completeness}%)"),
            met: completeness == 100,
            section: first_missing.map_or(SectionId::Workflow.as_str(), |s| s.section),
            field: first_missing.and_then(|s| s.missing.first().copied()),
        },
        BarItem {
            label: "all five operability answers true".into(),
            met: first_false.is_none(),
            section: SectionId::Operability.as_str(),
            field: first_false,
        },
        BarItem {
            label: match gate {
                GateStatus::Pass => "release gate passing".into(),
                GateStatus::Fail => "release gate passing (latest run fails)".into(),
                GateStatus::None => "release gate passing (no results yet)".into(),
            },
            met: gate == GateStatus::Pass,
            section: SectionId::Evaluation.as_str(),
            field: Some(Field::Results.as_str()),
        },
        BarItem {
            label: match (last_review, review_age) {
                (Some(d), Some(age)) => {
                    format!("last weekly review not stale ({d}, {age} days ago)")
                }
                _ => "last weekly review not stale (no review yet)".into(),
            },
            met: !stale,
            section: SectionId::Rhythm.as_str(),
            field: Some(Field::Reviews.as_str()),
        },
    ];
    let ready = bar3.iter().all(|i| i.met);
    // The second bar repeats the first; readiness (100% complete, gate passing) implies both.
    let met1 = bar1.iter().all(|i| i.met);
    let met2 = bar2.iter().all(|i| i.met);
    let met3 = met2 && ready;
    let bar_level = if met3 {
        3
    } else if met2 {
        2
    } else {
        u8::from(met1)
    };
    let bars = [
        Bar {
            level: 1,
            met: met1,
            items: bar1,
        },
        Bar {
            level: 2,
            met: met2,
            items: bar2,
        },
        Bar {
            level: 3,
            met: met3,
            items: bar3,
        },
    ];
    let ahead_of_bar = phases.iter().enumerate().any(|(i, p)| {
        p.status.is_some_and(PhaseStatus::started) && !bars.get(i.min(2)).is_some_and(|b| b.met)
    });
    Assessment {
        completeness,
        sections,
        ready,
        phase,
        dri,
        last_review,
        stale,
        review_age,
        gate,
        verdicts,
        models,
        cases: pack.eval.cases,
        bars,
        bar_level,
        ahead_of_bar,
    }
}

/// The warnings an assessment raises: small eval set, failing gate, stale review,
/// and a phase under way before its entry bar is met.
pub fn warnings(pack: &Pack, a: &Assessment, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let eval_page = pack
        .section(SectionId::Evaluation)
        .and_then(|s| s.page.as_ref());
    if let (Some(cases), Some(page)) = (a.cases, eval_page) {
        if cases < MIN_CASES {
            if let Some(t) = pack.answer(Field::EvalSet).text() {
                out.push(
                    Diagnostic::warning(
                        Kind::SmallEvalSet,
                        &page.file,
                        t.line,
                        t.column,
                        format!("the eval set has {cases} case(s); collect at least {MIN_CASES} real cases before trusting the gate"),
                    )
                    .with_source(&page.text),
                );
            }
        }
    }
    if a.gate == GateStatus::Fail {
        let newest = a.verdicts.first();
        let run = newest.and_then(|v| pack.eval.runs.get(v.run));
        if let (Some(v), Some(run), Some(file)) = (newest, run, &pack.eval.results_file) {
            let reasons: Vec<String> = v
                .checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| format!("{}: {}", c.metric, c.reason))
                .collect();
            out.push(Diagnostic::warning(
                Kind::GateFailing,
                file,
                run.line,
                1,
                format!(
                    "the latest eval run ({}{}) fails the release gate: {}; fix the regression or hold the rollout",
                    run.date,
                    run.model.as_ref().map(|m| format!(", {m}")).unwrap_or_default(),
                    reasons.join("; ")
                ),
            ));
        }
    }
    if let (Some(last), Some(age), Some(page)) = (
        a.last_review,
        a.review_age,
        pack.section(SectionId::Rhythm)
            .and_then(|s| s.page.as_ref()),
    ) {
        if a.stale {
            let line = pack
                .answer(Field::Reviews)
                .reviews()
                .iter()
                .find(|r| r.date == Some(last))
                .map_or(1, |r| r.line);
            out.push(
                Diagnostic::warning(
                    Kind::StaleReview,
                    &page.file,
                    line,
                    1,
                    format!(
                        "the last weekly review was on {last}, {age} days ago (stale after {} days); hold the review and add it to `reviews`",
                        config.stale_after_days
                    ),
                )
                .with_source(&page.text),
            );
        }
    }
    if let Some(page) = pack
        .section(SectionId::Rollout)
        .and_then(|s| s.page.as_ref())
    {
        let mut lines = None;
        for (i, p) in pack.answer(Field::Phases).phases().iter().enumerate() {
            if !p.status.is_some_and(PhaseStatus::started) {
                continue;
            }
            let bar = a.bar_for(i);
            if bar.met {
                continue;
            }
            let unmet: Vec<&str> = bar
                .items
                .iter()
                .filter(|item| !item.met)
                .map(|item| item.label.as_str())
                .collect();
            let name = if p.name.filled() {
                p.name.value.as_str()
            } else {
                "unnamed"
            };
            out.push(
                Diagnostic::warning(
                    Kind::EntryBarUnmet,
                    &page.file,
                    p.line,
                    1,
                    format!(
                        "phase \"{name}\" is {} but its entry bar is not met: {}; finish these or set its status back to \"{}\"",
                        p.status.unwrap_or(PhaseStatus::Active),
                        unmet.join(", "),
                        PhaseStatus::Planned,
                    ),
                )
                .with_source_from(lines.get_or_insert_with(|| LineIndex::new(&page.text))),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::BarName;

    #[test]
    fn bar_names_by_level_and_phase() {
        assert_eq!(BarName::of_level(0), None);
        assert_eq!(BarName::of_level(1), Some(BarName::Dogfood));
        assert_eq!(BarName::of_level(3), Some(BarName::DefaultOn));
        assert_eq!(BarName::of_level(4), None);
        assert_eq!(BarName::for_phase(1).as_str(), "opt-in beta");
        assert_eq!(BarName::for_phase(7), BarName::DefaultOn);
    }
}
