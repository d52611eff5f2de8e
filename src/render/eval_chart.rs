//! Eval charts as view data: for each gate metric, its value over the runs as points in
//! an SVG frame, one line per model, with the gate's bounds and the latest value; the
//! theme's `partials/eval_chart.html` draws them.

use crate::domain::eval::{GateRule, Run, Verdict};
use serde::Serialize;

/// The drawing's size in SVG user units; the page scales it to its width.
pub(crate) const WIDTH: f64 = 360.0;
pub(crate) const HEIGHT: f64 = 170.0;
/// The plot area inside the drawing: room for the value labels left, the dates below.
const LEFT: f64 = 44.0;
const RIGHT: f64 = WIDTH - 14.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = HEIGHT - 26.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// A horizontal line of the gate: `min`, `max`, or the floor `max_drop` sets for the
/// latest run (its previous value less the drop allowed), drawn from `x1` to `x2`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct BoundLine {
    pub kind: &'static str,
    pub label: String,
    pub y: f64,
    pub x1: f64,
    pub x2: f64,
    /// Where the label sits: `min` and `max` at the left, above the line (below it near
    /// the top); the floor at the right, below the line (above it near the bottom), clear
    /// of the latest value.
    pub label_x: f64,
    pub label_y: f64,
    pub anchor: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Dot {
    pub x: f64,
    pub y: f64,
    pub passed: bool,
    /// Date, model and value, shown on hover.
    pub title: String,
}

/// One model's runs, oldest first, as a line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Series {
    /// The model, or `None` for runs that name none.
    pub model: Option<String>,
    /// 0 to 3: which colour and dash pattern of the theme the line takes.
    pub style: usize,
    /// `x,y x,y …` for a `<polyline>`.
    pub points: String,
    pub dots: Vec<Dot>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Tick {
    pub y: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct DateLabel {
    pub x: f64,
    pub label: String,
    /// `start`, `middle` or `end`, so the first and last dates stay inside the drawing.
    pub anchor: &'static str,
}

/// The latest run's value, written beside its point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Latest {
    pub x: f64,
    pub y: f64,
    pub label_x: f64,
    pub label_y: f64,
    pub anchor: &'static str,
    pub value: String,
    pub passed: bool,
}

/// One run's value, for the table that stands in for the drawing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row {
    pub date: String,
    pub model: Option<String>,
    pub value: Option<String>,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Chart {
    pub metric: String,
    pub width: f64,
    pub height: f64,
    pub frame: Frame,
    /// The gate's bounds in words: `min 0.95`, `max_drop 0.04`.
    pub gate: String,
    pub bounds: Vec<BoundLine>,
    pub series: Vec<Series>,
    pub ticks: Vec<Tick>,
    pub dates: Vec<DateLabel>,
    pub latest: Option<Latest>,
    /// The chart in one sentence, its text alternative.
    pub summary: String,
    /// Newest first.
    pub rows: Vec<Row>,
}

/// One chart per gate rule, over `runs` as judged in `verdicts` (newest first, as
/// [`crate::check::gate::evaluate`] gives them).
pub(crate) fn charts(runs: &[Run], verdicts: &[Verdict], rules: &[GateRule]) -> Vec<Chart> {
    // Oldest first: each run's place on the x axis.
    let order: Vec<(&Run, &Verdict)> = verdicts
        .iter()
        .rev()
        .filter_map(|v| runs.get(v.run).map(|r| (r, v)))
        .collect();
    if order.is_empty() {
        return Vec::new();
    }
    let mut models: Vec<Option<&str>> = Vec::new();
    for (run, _) in &order {
        let m = run.model.as_deref();
        if !models.contains(&m) {
            models.push(m);
        }
    }
    rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| chart(&order, &models, i, rule))
        .collect()
}

fn chart(
    order: &[(&Run, &Verdict)],
    models: &[Option<&str>],
    rule_index: usize,
    rule: &GateRule,
) -> Option<Chart> {
    let (&(oldest, _), &(newest, newest_verdict)) = (order.first()?, order.last()?);
    let plot = Plot::new(order, rule_index, rule);
    let latest = plot.latest(newest, newest_verdict);
    let gate = gate_words(rule);
    let reported: Vec<(&Run, f64)> = order
        .iter()
        .filter_map(|(r, _)| plot.value(r).map(|v| (*r, v)))
        .collect();
    let summary = summary(&rule.metric, &gate, order.len(), &reported, latest.as_ref());
    Some(Chart {
        metric: rule.metric.clone(),
        width: WIDTH,
        height: HEIGHT,
        frame: Frame {
            left: LEFT,
            right: RIGHT,
            top: TOP,
            bottom: BOTTOM,
        },
        gate,
        bounds: plot.bounds(),
        series: (models.iter().enumerate())
            .filter_map(|(style, model)| plot.series(style, *model))
            .collect(),
        ticks: plot.scale.ticks(),
        dates: plot.dates(oldest, newest),
        latest,
        summary,
        rows: plot.rows(),
    })
}

/// One gate metric's runs, oldest first, placed in the plot area.
struct Plot<'a> {
    order: &'a [(&'a Run, &'a Verdict)],
    /// The rule's place among the gate's, where its verdicts' checks usually are.
    rule_index: usize,
    rule: &'a GateRule,
    /// The floor `max_drop` sets for the latest run: the place of the run it is measured
    /// from, the floor and the drop.
    floor: Option<(usize, f64, f64)>,
    /// From the lowest to the highest of the values, bounds and floor.
    scale: Scale,
}

impl<'a> Plot<'a> {
    fn new(order: &'a [(&'a Run, &'a Verdict)], rule_index: usize, rule: &'a GateRule) -> Self {
        let mut plot = Plot {
            order,
            rule_index,
            rule,
            floor: None,
            scale: Scale::of(&[]),
        };
        plot.floor = plot.floor();
        let mut values: Vec<f64> = order.iter().filter_map(|(r, _)| plot.value(r)).collect();
        values.extend(rule.min.iter().chain(rule.max.iter()).copied());
        values.extend(plot.floor.map(|(_, f, _)| f));
        plot.scale = Scale::of(&values);
        plot
    }

    /// Where the `i`th run is across: spread over the plot, or in its middle alone.
    fn x(&self, i: usize) -> f64 {
        let n = self.order.len();
        if n < 2 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + (RIGHT - LEFT) * i as f64 / (n - 1) as f64
        }
    }

    /// The run's value of the metric, if it reported a number.
    fn value(&self, run: &Run) -> Option<f64> {
        run.metrics
            .get(&self.rule.metric)
            .copied()
            .filter(|v| v.is_finite())
    }

    /// Whether the run passed this rule.
    fn passed(&self, v: &Verdict) -> bool {
        let metric = &self.rule.metric;
        v.checks
            .get(self.rule_index)
            .filter(|c| c.metric == *metric)
            .or_else(|| v.checks.iter().find(|c| c.metric == *metric))
            .is_some_and(|c| c.passed)
    }

    /// The floor `max_drop` sets for the latest run, from its model's previous run: that
    /// run's place, the floor and the drop.
    fn floor(&self) -> Option<(usize, f64, f64)> {
        let drop = self.rule.max_drop?;
        let (newest, _) = self.order.last()?;
        self.value(newest)?;
        let model = newest.model.as_deref();
        let (i, prev) = (self.order.iter().enumerate().rev().skip(1))
            .find(|(_, (r, _))| r.model.as_deref() == model)?;
        Some((i, self.value(prev.0)? - drop, drop))
    }

    /// The line of one model's runs (`style` its colour and dashes), if any reported.
    fn series(&self, style: usize, model: Option<&str>) -> Option<Series> {
        let dots: Vec<Dot> = (self.order.iter().enumerate())
            .filter(|(_, (r, _))| r.model.as_deref() == model)
            .filter_map(|(i, (r, v))| {
                let value = self.value(r)?;
                let passed = self.passed(v);
                Some(Dot {
                    x: round(self.x(i)),
                    y: round(self.scale.y(value)),
                    passed,
                    title: format!(
                        "{}{}: {} ({})",
                        r.date,
                        model.map(|m| format!(", {m}")).unwrap_or_default(),
                        num(value),
                        if passed { "pass" } else { "fail" }
                    ),
                })
            })
            .collect();
        if dots.is_empty() {
            return None;
        }
        let points = dots
            .iter()
            .map(|d| format!("{},{}", d.x, d.y))
            .collect::<Vec<_>>()
            .join(" ");
        Some(Series {
            model: model.map(str::to_string),
            style: style % 4,
            points,
            dots,
        })
    }

    /// The gate's lines: `min` and `max` across the plot, the floor from the run it is
    /// measured from to the latest.
    fn bounds(&self) -> Vec<BoundLine> {
        let mut bounds = Vec::new();
        if let Some(min) = self.rule.min {
            bounds.push(self.line("min", format!("min {}", num(min)), min, LEFT, RIGHT));
        }
        if let Some(max) = self.rule.max {
            bounds.push(self.line("max", format!("max {}", num(max)), max, LEFT, RIGHT));
        }
        if let Some((i, f, drop)) = self.floor {
            let label = format!("floor {} (max_drop {})", num(f), num(drop));
            let last = self.order.len().saturating_sub(1);
            bounds.push(self.line("floor", label, f, self.x(i), self.x(last)));
        }
        bounds
    }

    fn line(&self, kind: &'static str, label: String, value: f64, x1: f64, x2: f64) -> BoundLine {
        let y = round(self.scale.y(value));
        let (label_x, label_y, anchor) = if kind == "floor" {
            let below = BOTTOM - y >= 14.0;
            (x2 - 2.0, if below { y + 13.0 } else { y - 4.0 }, "end")
        } else {
            (
                x1 + 2.0,
                if y - TOP < 14.0 { y + 13.0 } else { y - 4.0 },
                "start",
            )
        };
        BoundLine {
            kind,
            label,
            y,
            x1: round(x1),
            x2: round(x2),
            label_x: round(label_x),
            label_y: round(label_y),
            anchor,
        }
    }

    /// The latest run's value beside its point, above it unless near the top.
    fn latest(&self, newest: &Run, verdict: &Verdict) -> Option<Latest> {
        let last = self.order.len().saturating_sub(1);
        self.value(newest).map(|v| {
            let (x, y) = (round(self.x(last)), round(self.scale.y(v)));
            let above = y - TOP >= 16.0;
            Latest {
                x,
                y,
                label_x: round(x - 6.0),
                label_y: if above { y - 8.0 } else { y + 16.0 },
                anchor: "end",
                value: num(v),
                passed: self.passed(verdict),
            }
        })
    }

    /// The first and last runs' dates under the plot (one, centred, for one run).
    fn dates(&self, oldest: &Run, newest: &Run) -> Vec<DateLabel> {
        let n = self.order.len();
        let mut dates = vec![DateLabel {
            x: round(self.x(0)),
            label: oldest.date.clone(),
            anchor: if n < 2 { "middle" } else { "start" },
        }];
        if n >= 2 {
            dates.push(DateLabel {
                x: round(self.x(n - 1)),
                label: newest.date.clone(),
                anchor: "end",
            });
        }
        dates
    }

    /// Every run's value, newest first, for the table.
    fn rows(&self) -> Vec<Row> {
        (self.order.iter().rev())
            .map(|(r, v)| Row {
                date: r.date.clone(),
                model: r.model.clone(),
                value: self.value(r).map(num),
                passed: self.passed(v),
            })
            .collect()
    }
}

/// The gate's bounds in words, `min 0.95, max_drop 0.04`.
pub(crate) fn gate_words(rule: &GateRule) -> String {
    let parts: Vec<String> = [
        ("min", rule.min),
        ("max", rule.max),
        ("max_drop", rule.max_drop),
    ]
    .iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k} {}", num(v))))
    .collect();
    if parts.is_empty() {
        "no bound set".to_string()
    } else {
        parts.join(", ")
    }
}

fn summary(
    metric: &str,
    gate: &str,
    runs: usize,
    reported: &[(&Run, f64)],
    latest: Option<&Latest>,
) -> String {
    let plural = if runs == 1 { "" } else { "s" };
    let mut s = format!("{metric} over {runs} run{plural}");
    if let (Some((first, a)), Some((last, b))) = (reported.first(), reported.last()) {
        if reported.len() > 1 {
            s.push_str(&format!(
                ", from {} on {} to {} on {}",
                num(*a),
                first.date,
                num(*b),
                last.date
            ));
        } else {
            s.push_str(&format!(", {} on {}", num(*a), first.date));
        }
    }
    s.push_str(&format!("; gate {gate}; "));
    s.push_str(&match latest {
        Some(l) if l.passed => format!("the latest run, {}, passes", l.value),
        Some(l) => format!("the latest run, {}, fails", l.value),
        None => "the latest run does not report it".to_string(),
    });
    s
}

/// The y axis: values from `lo` (at the bottom) to `hi` (at the top).
struct Scale {
    lo: f64,
    hi: f64,
    step: f64,
}

impl Scale {
    fn of(values: &[f64]) -> Scale {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (mut lo, mut hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo < 1e-9 {
            let pad = (hi.abs() * 0.05).max(0.01);
            (lo, hi) = (lo - pad, hi + pad);
        }
        let step = nice((hi - lo) / 3.0);
        let (min_all, max_all) = (lo, hi);
        lo = (min_all / step).floor() * step;
        hi = (max_all / step).ceil() * step;
        // Keep a rate at or above 0 where every value is.
        if min_all >= 0.0 && lo < 0.0 {
            lo = 0.0;
        }
        if hi - lo < 1e-12 {
            hi = lo + step;
        }
        Scale { lo, hi, step }
    }

    fn y(&self, v: f64) -> f64 {
        BOTTOM - (v - self.lo) / (self.hi - self.lo) * (BOTTOM - TOP)
    }

    fn ticks(&self) -> Vec<Tick> {
        let decimals = (-self.step.log10().floor()).max(0.0) as usize;
        let count = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=count.min(10))
            .map(|i| {
                let v = self.lo + self.step * i as f64;
                Tick {
                    y: round(self.y(v)),
                    label: format!("{:.*}", decimals.min(9), v),
                }
            })
            .collect()
    }
}

/// The nearest of 1, 2, 5 × 10ⁿ at or above `x`.
fn nice(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    let f = x / p;
    let n = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    n * p
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A value as the pages write it: up to six decimals, trailing zeros dropped.
pub(crate) fn num(x: f64) -> String {
    crate::domain::eval::decimal(x, 6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::gate::evaluate;
    use crate::domain::eval::fixtures::{rule, run};

    fn one(runs: &[Run], r: GateRule) -> Chart {
        let v = evaluate(runs, std::slice::from_ref(&r));
        charts(runs, &v, &[r]).remove(0)
    }

    #[test]
    fn points_span_the_frame_oldest_left_and_bound_inside() {
        let runs = [
            run(2, "2026-11-02", Some("a"), None, &[("m", 0.97)]),
            run(1, "2026-11-01", Some("a"), None, &[("m", 0.93)]),
        ];
        let c = one(&runs, rule("m", Some(0.95), None, None));
        assert_eq!(c.series.len(), 1);
        let dots = &c.series[0].dots;
        assert_eq!((dots[0].x, dots[1].x), (LEFT, RIGHT));
        assert!(!dots[0].passed && dots[1].passed);
        // Higher values sit higher (smaller y); every y is inside the frame.
        assert!(dots[1].y < dots[0].y);
        let b = &c.bounds[0];
        assert_eq!((b.kind, b.label.as_str()), ("min", "min 0.95"));
        assert!(b.y > dots[1].y && b.y < dots[0].y, "{b:?} {dots:?}");
        for y in dots.iter().map(|d| d.y).chain([b.y]) {
            assert!((TOP..=BOTTOM).contains(&y), "{y}");
        }
        let l = c.latest.expect("a latest value");
        assert_eq!((l.value.as_str(), l.passed), ("0.97", true));
        assert_eq!(c.rows[0].date, "2026-11-02");
        assert!(c
            .summary
            .contains("from 0.93 on 2026-11-01 to 0.97 on 2026-11-02"));
        assert!(c.summary.ends_with("passes"), "{}", c.summary);
        assert_eq!(
            c.dates.iter().map(|d| d.label.as_str()).collect::<Vec<_>>(),
            ["2026-11-01", "2026-11-02"]
        );
    }

    #[test]
    fn one_line_per_model_and_the_floor_of_max_drop() {
        let runs = [
            run(1, "2026-11-01", Some("a"), None, &[("m", 0.90)]),
            run(2, "2026-11-02", Some("b"), None, &[("m", 0.80)]),
            run(3, "2026-11-03", Some("a"), None, &[("m", 0.85)]),
        ];
        let c = one(&runs, rule("m", None, None, Some(0.02)));
        let models: Vec<Option<&str>> = c.series.iter().map(|s| s.model.as_deref()).collect();
        assert_eq!(models, [Some("a"), Some("b")]);
        assert_eq!(c.series[0].dots.len(), 2);
        let f = &c.bounds[0];
        assert_eq!(f.kind, "floor");
        assert_eq!(f.label, "floor 0.88 (max_drop 0.02)");
        assert_eq!((f.x1, f.x2), (LEFT, RIGHT));
        assert!(!c.latest.expect("latest").passed);
    }

    #[test]
    fn a_single_run_or_a_flat_line_still_has_a_scale() {
        let runs = [run(1, "2026-11-01", None, None, &[("m", 0.0)])];
        let c = one(&runs, rule("m", None, Some(0.0), None));
        let d = &c.series[0].dots[0];
        assert_eq!(d.x, (LEFT + RIGHT) / 2.0);
        assert!((TOP..=BOTTOM).contains(&d.y));
        assert!(c.ticks.len() >= 2);
        assert_eq!(c.dates.len(), 1);
        // A metric no run reports: no line, and the latest value says so.
        let c = one(&runs, rule("other", Some(1.0), None, None));
        assert!(c.series.is_empty() && c.latest.is_none());
        assert!(c.summary.ends_with("does not report it"));
        assert!(charts(&[], &[], &[rule("m", Some(1.0), None, None)]).is_empty());
    }

    #[test]
    fn ticks_are_round_numbers() {
        let s = Scale::of(&[0.893, 0.964, 0.95]);
        let labels: Vec<String> = s.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(labels, ["0.85", "0.90", "0.95", "1.00"]);
        assert_eq!(nice(0.3), 0.5);
        assert_eq!(num(0.1 + 0.2), "0.3");
    }
}
