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
pub(crate) const MIN_CASES: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionStatus {
    pub section: &'static str,
    pub completeness: u32,
    pub missing: Vec<&'static str>,
}

/// The three entry bars, one per rollout stage, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BarName {
    Dogfood,
    OptInBeta,
    DefaultOn,
}

impl BarName {
    /// Every bar, lowest first: the bar of level `n` is `ALL[n - 1]`.
    pub(crate) const ALL: [BarName; 3] = [BarName::Dogfood, BarName::OptInBeta, BarName::DefaultOn];

    /// The bar's name as the pages show it.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            BarName::Dogfood => "dogfood",
            BarName::OptInBeta => "opt-in beta",
            BarName::DefaultOn => "default-on",
        }
    }

    /// The bar that phase `index` (from 0) must meet: phases past the third meet the last.
    pub(crate) fn for_phase(index: usize) -> BarName {
        BarName::ALL
            .get(index)
            .copied()
            .unwrap_or(BarName::DefaultOn)
    }

    /// The bar of level `level` (1 to 3); none for 0.
    pub(crate) fn of_level(level: u8) -> Option<BarName> {
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
pub(crate) struct BarItem {
    pub label: String,
    pub met: bool,
    /// The section stem where the gap is (or the answer lives).
    pub section: &'static str,
    /// The field anchor on that section's page, when one field is the gap.
    pub field: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Bar {
    /// 1 (dogfood), 2 (opt-in beta) or 3 (default-on and later).
    pub level: u8,
    pub items: Vec<BarItem>,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Assessment {
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
    pub(crate) fn bar_for(&self, index: usize) -> &Bar {
        let [_, _, last] = &self.bars;
        self.bars.get(index).unwrap_or(last)
    }
}

/// The gate rules of a pack whose metric is filled.
pub(crate) fn gate_rules(pack: &Pack) -> Vec<GateRule> {
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

pub(crate) fn assess(pack: &Pack, config: &Config, today: Date) -> Assessment {
    let sections = section_statuses(pack);
    let completeness = pack.completeness();
    let verdicts = gate::evaluate(&pack.eval.runs, &gate_rules(pack));
    let gate = gate::status(&verdicts);
    let models = gate::models(&pack.eval.runs, &verdicts);
    let review = Review::of(pack, config, today);
    let bar1 = dogfood_bar(pack, &sections);
    let bar2 = beta_bar(&bar1, &sections, gate);
    let bar3 = default_on_bar(pack, &sections, gate, &review);
    let ready = bar3.iter().all(|i| i.met);
    let (bars, bar_level) = bars(bar1, bar2, bar3);
    let phases = pack.answer(Field::Phases).phases();
    let ahead_of_bar = phases.iter().enumerate().any(|(i, p)| {
        p.status.is_some_and(PhaseStatus::started) && !bars.get(i.min(2)).is_some_and(|b| b.met)
    });
    Assessment {
        completeness,
        sections,
        ready,
        phase: current_phase(pack),
        dri: dri(pack),
        last_review: review.last,
        stale: review.stale,
        review_age: review.age,
        gate,
        verdicts,
        models,
        cases: pack.eval.cases,
        bars,
        bar_level,
        ahead_of_bar,
    }
}

fn section_statuses(pack: &Pack) -> Vec<SectionStatus> {
    pack.sections
        .iter()
        .map(|s| SectionStatus {
            section: s.def.stem,
            completeness: s.completeness(),
            missing: s.missing(),
        })
        .collect()
}

/// The active phase's name, else the last done phase's.
fn current_phase(pack: &Pack) -> Option<String> {
    let phases = pack.answer(Field::Phases).phases();
    phases
        .iter()
        .find(|p| p.status == Some(PhaseStatus::Active))
        .or_else(|| {
            phases
                .iter()
                .rev()
                .find(|p| p.status == Some(PhaseStatus::Done))
        })
        .and_then(|p| p.name.answer().map(str::to_string))
}

/// The DRI as written, unless it is still the placeholder.
fn dri(pack: &Pack) -> Option<String> {
    pack.answer(Field::Dri)
        .text()
        .filter(|t| t.state != State::Placeholder)
        .map(|t| t.value.clone())
}

/// The last weekly review, its age in days, and whether it is stale.
struct Review {
    last: Option<Date>,
    age: Option<i64>,
    stale: bool,
}

impl Review {
    fn of(pack: &Pack, config: &Config, today: Date) -> Review {
        let last = pack
            .answer(Field::Reviews)
            .reviews()
            .iter()
            .filter_map(|r| r.date)
            .max();
        let age = last.map(|d| (today - d).whole_days());
        let stale = age.is_none_or(|age| age > config.stale_after_days);
        Review { last, age, stale }
    }
}

/// Dogfood: the four sections it needs complete, and a kill switch.
fn dogfood_bar(pack: &Pack, sections: &[SectionStatus]) -> Vec<BarItem> {
    let kill_switch = pack.answer(Field::KillSwitch).bool() == Some(true);
    vec![
        complete(sections, SectionId::Workflow),
        complete(sections, SectionId::Accountability),
        complete(sections, SectionId::Data),
        complete(sections, SectionId::Incident),
        BarItem {
            label: "kill switch in place".into(),
            met: kill_switch,
            section: SectionId::Operability.as_str(),
            field: Some(Field::KillSwitch.as_str()),
        },
    ]
}

/// Opt-in beta: the dogfood bar, three more sections complete, and a gate not failing.
fn beta_bar(dogfood: &[BarItem], sections: &[SectionStatus], gate: GateStatus) -> Vec<BarItem> {
    let mut bar = dogfood.to_vec();
    bar.extend([
        complete(sections, SectionId::Evaluation),
        complete(sections, SectionId::Operability),
        complete(sections, SectionId::Models),
        BarItem {
            label: match gate {
                GateStatus::None => "latest eval run passes every gate (no results yet)".into(),
                GateStatus::Pass | GateStatus::Fail => "latest eval run passes every gate".into(),
            },
            met: gate != GateStatus::Fail,
            section: SectionId::Evaluation.as_str(),
            field: Some(Field::Results.as_str()),
        },
    ]);
    bar
}

/// Default-on: the whole pack complete, every operability answer true, the gate
/// passing and a review not stale.
fn default_on_bar(
    pack: &Pack,
    sections: &[SectionStatus],
    gate: GateStatus,
    review: &Review,
) -> Vec<BarItem> {
    let completeness = pack.completeness();
    let first_false = schema::OPERABILITY_ANSWERS
        .into_iter()
        .find(|f| pack.answer(*f).bool() != Some(true))
        .map(Field::as_str);
    let first_missing = sections.iter().find(|s| s.completeness < 100);
    vec![
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
        gate_passing(gate),
        review_fresh(review),
    ]
}

fn gate_passing(gate: GateStatus) -> BarItem {
    BarItem {
        label: match gate {
            GateStatus::Pass => "release gate passing".into(),
            GateStatus::Fail => "release gate passing (latest run fails)".into(),
            GateStatus::None => "release gate passing (no results yet)".into(),
        },
        met: gate == GateStatus::Pass,
        section: SectionId::Evaluation.as_str(),
        field: Some(Field::Results.as_str()),
    }
}

fn review_fresh(review: &Review) -> BarItem {
    BarItem {
        label: match (review.last, review.age) {
            (Some(d), Some(age)) => {
                format!("last weekly review not stale ({d}, {age} days ago)")
            }
            _ => "last weekly review not stale (no review yet)".into(),
        },
        met: !review.stale,
        section: SectionId::Rhythm.as_str(),
        field: Some(Field::Reviews.as_str()),
    }
}

/// The three bars, and the highest level met. The second bar repeats the first;
/// readiness (100% complete, gate passing) implies both.
fn bars(bar1: Vec<BarItem>, bar2: Vec<BarItem>, bar3: Vec<BarItem>) -> ([Bar; 3], u8) {
    let met1 = bar1.iter().all(|i| i.met);
    let met2 = bar2.iter().all(|i| i.met);
    let met3 = met2 && bar3.iter().all(|i| i.met);
    let bar_level = if met3 {
        3
    } else if met2 {
        2
    } else {
        u8::from(met1)
    };
    let bar = |level, met, items| Bar { level, items, met };
    (
        [bar(1, met1, bar1), bar(2, met2, bar2), bar(3, met3, bar3)],
        bar_level,
    )
}

/// The warnings an assessment raises: small eval set, failing gate, stale review,
/// and a phase under way before its entry bar is met.
pub(crate) fn warnings(pack: &Pack, a: &Assessment, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(small_eval_set(pack, a));
    out.extend(failing_gate(pack, a));
    out.extend(stale_review(pack, a, config));
    phases_ahead_of_bar(pack, a, &mut out);
    out
}

fn small_eval_set(pack: &Pack, a: &Assessment) -> Option<Diagnostic> {
    let page = pack
        .section(SectionId::Evaluation)
        .and_then(|s| s.page.as_ref())?;
    let cases = a.cases.filter(|c| *c < MIN_CASES)?;
    let t = pack.answer(Field::EvalSet).text()?;
    Some(
        Diagnostic::warning(Kind::SmallEvalSet,
            page.file(),
            t.line,
            t.column,
            format!("the eval set has {cases} case(s); collect at least {MIN_CASES} real cases before trusting the gate"),
        )
        .with_source(&page.text),
    )
}

fn failing_gate(pack: &Pack, a: &Assessment) -> Option<Diagnostic> {
    if a.gate != GateStatus::Fail {
        return None;
    }
    let v = a.verdicts.first()?;
    let run = pack.eval.runs.get(v.run)?;
    let file = pack.eval.results_file.as_ref()?;
    let reasons: Vec<String> = v
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| format!("{}: {}", c.metric, c.reason))
        .collect();
    Some(Diagnostic::warning(Kind::GateFailing,
        file,
        run.line,
        1,
        format!(
            "the latest eval run ({}{}) fails the release gate: {}; fix the regression or hold the rollout",
            run.date,
            run.model.as_ref().map(|m| format!(", {m}")).unwrap_or_default(),
            reasons.join("; ")
        ),
    ))
}

fn stale_review(pack: &Pack, a: &Assessment, config: &Config) -> Option<Diagnostic> {
    let (last, age) = (a.last_review?, a.review_age?);
    let page = pack
        .section(SectionId::Rhythm)
        .and_then(|s| s.page.as_ref())?;
    if !a.stale {
        return None;
    }
    let line = pack
        .answer(Field::Reviews)
        .reviews()
        .iter()
        .find(|r| r.date == Some(last))
        .map_or(1, |r| r.line);
    Some(
        Diagnostic::warning(Kind::StaleReview,
            page.file(),
            line,
            1,
            format!(
                "the last weekly review was on {last}, {age} days ago (stale after {} days); hold the review and add it to `reviews`",
                config.stale_after_days
            ),
        )
        .with_source(&page.text),
    )
}

/// A warning for each phase under way while its entry bar is unmet.
fn phases_ahead_of_bar(pack: &Pack, a: &Assessment, out: &mut Vec<Diagnostic>) {
    let Some(page) = pack
        .section(SectionId::Rollout)
        .and_then(|s| s.page.as_ref())
    else {
        return;
    };
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
            Diagnostic::warning(Kind::EntryBarUnmet,
                page.file(),
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
