//! The dashboard's view: a summary of what needs attention, the filters it links to,
//! each pack's row and the packs × sections completeness grid.

use crate::domain::eval::GateStatus;
use crate::domain::schema::SECTIONS;
use crate::render::views::PackView;
use serde::Serialize;
use std::borrow::Cow;

/// The most packs the completeness grid shows, those that need attention first: the
/// dashboard of a thousand packs stays small, and every pack's overview has its grid row.
pub(crate) const GRID_ROWS: usize = 100;

/// A filter of the dashboard's table: the anchor the summary links to (`#filter-<name>`)
/// and how many packs it keeps.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Filter {
    pub name: &'static str,
    pub count: usize,
}

/// Whether a pack passes a filter.
type Test = fn(&PackView) -> bool;

/// The filters, in the order the summary names them; each row is tagged with those it
/// passes. Every test reads the assessment's own fields, as status.json does.
const FILTERS: [(&str, Test); 4] = [
    ("ready", |p| p.ready),
    ("gate-failing", |p| p.gate == GateStatus::Fail),
    ("stale", |p| p.stale),
    ("ahead", |p| p.ahead_of_bar),
];

/// Ids the dashboard template gives its elements: headings of the site's intro must not
/// take them.
pub(crate) const DASHBOARD_IDS: [&str; 7] = [
    "summary",
    "packs",
    "grid",
    "filter-ready",
    "filter-gate-failing",
    "filter-stale",
    "filter-ahead",
];

/// A pack as the dashboard keeps it until every pack is in: the overview's view without
/// the pack's navigation (`sections`, `pages`, `prev` and `next` empty: a row links to
/// the overview), and of its sections what a grid cell shows, kept small: a thousand
/// packs are kept at once, and the grid shows a hundred.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub pack: PackView,
    cells: Box<[KeptCell]>,
}

/// A section as the grid shows it: its link is the pack's URL and the section's stem.
#[derive(Debug, Clone)]
struct KeptCell {
    stem: &'static str,
    title: Cow<'static, str>,
    completeness: u32,
}

impl Kept {
    pub(crate) fn new(mut pack: PackView) -> Kept {
        let cells = std::mem::take(&mut pack.sections)
            .into_iter()
            .map(|s| {
                let def = SECTIONS.iter().find(|d| d.stem == s.stem);
                KeptCell {
                    stem: s.stem,
                    title: match def {
                        Some(d) if d.title == s.title => Cow::Borrowed(d.title),
                        _ => Cow::Owned(s.title),
                    },
                    completeness: s.completeness,
                }
            })
            .collect();
        pack.pages = Vec::new();
        pack.prev = None;
        pack.next = None;
        Kept { pack, cells }
    }
}

/// A pack's row: the pack and the filters it passes.
#[derive(Debug, Serialize)]
pub(crate) struct Row<'a> {
    #[serde(flatten)]
    pub pack: &'a PackView,
    pub filters: Vec<&'static str>,
}

/// A column of the grid: one of the nine sections.
#[derive(Debug, Serialize)]
pub(crate) struct Column {
    pub stem: &'static str,
    pub title: &'static str,
}

/// A cell of the grid: a section's completeness and its band (`full`, `most`, `some`,
/// `none`), which the theme colours; the page links to the section.
#[derive(Debug, Serialize)]
pub(crate) struct Cell<'a> {
    pub url: String,
    pub title: &'a str,
    pub completeness: u32,
    pub level: &'static str,
}

/// A row of the grid: a pack and its nine cells.
#[derive(Debug, Serialize)]
pub(crate) struct GridRow<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub completeness: u32,
    pub filters: Vec<&'static str>,
    pub cells: Vec<Cell<'a>>,
}

/// The template rendering each row of the table on its own.
pub(crate) const ROW_TEMPLATE: &str = "partials/dashboard_row.html";

/// The dashboard as its template receives it: [`Dashboard`] with `rows` as given.
#[derive(Debug, Serialize)]
pub(crate) struct WithRows<'a, R> {
    #[serde(flatten)]
    dashboard: &'a Dashboard<'a>,
    rows: &'a R,
}

#[derive(Debug, Serialize)]
pub(crate) struct Dashboard<'a> {
    pub total: usize,
    pub filters: Vec<Filter>,
    /// Given to the template as [`Dashboard::with_rows`] says.
    #[serde(skip)]
    pub rows: Vec<Row<'a>>,
    pub columns: Vec<Column>,
    pub grid: Vec<GridRow<'a>>,
    /// Packs left out of the grid (past [`GRID_ROWS`]).
    pub grid_more: usize,
}

impl<'a> Dashboard<'a> {
    /// The dashboard with `rows` (a list) for its rows, in the same order.
    pub(crate) fn with_rows<'r, R>(&'r self, rows: &'r R) -> WithRows<'r, R> {
        WithRows {
            dashboard: self,
            rows,
        }
    }
}

/// The dashboard of `rows`, in the order given.
pub(crate) fn dashboard<'a>(rows: &[&'a Kept]) -> Dashboard<'a> {
    let filters = FILTERS
        .iter()
        .map(|(name, passes)| Filter {
            name,
            count: rows.iter().filter(|p| passes(&p.pack)).count(),
        })
        .collect();
    Dashboard {
        total: rows.len(),
        filters,
        rows: rows
            .iter()
            .map(|p| Row {
                pack: &p.pack,
                filters: passed(&p.pack),
            })
            .collect(),
        columns: SECTIONS
            .iter()
            .map(|s| Column {
                stem: s.stem,
                title: s.title,
            })
            .collect(),
        grid: rows.iter().take(GRID_ROWS).map(|p| grid_row(p)).collect(),
        grid_more: rows.len().saturating_sub(GRID_ROWS),
    }
}

/// The filters a pack passes.
fn passed(p: &PackView) -> Vec<&'static str> {
    FILTERS
        .iter()
        .filter(|(_, passes)| passes(p))
        .map(|(name, _)| *name)
        .collect()
}

fn grid_row(kept: &Kept) -> GridRow<'_> {
    let p = &kept.pack;
    GridRow {
        name: &p.name,
        url: &p.url,
        completeness: p.completeness,
        filters: passed(p),
        cells: (kept.cells.iter())
            .map(|s| Cell {
                url: format!("{}{}/", p.url, s.stem),
                title: &s.title,
                completeness: s.completeness,
                level: level(s.completeness),
            })
            .collect(),
    }
}

/// The band of a completeness, as the badges colour it ([`crate::render::badge::colour`]).
pub(crate) fn level(percent: u32) -> &'static str {
    match percent.min(100) {
        100 => "full",
        75..=99 => "most",
        1..=74 => "some",
        _ => "none",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::badge;

    #[test]
    fn levels_change_where_badge_colours_do() {
        for pct in 1..=101 {
            assert_eq!(
                level(pct) == level(pct - 1),
                badge::colour(pct) == badge::colour(pct - 1),
                "at {pct}%"
            );
        }
    }

    #[test]
    fn dashboard_ids_name_every_filter() {
        for (name, _) in FILTERS {
            assert!(DASHBOARD_IDS.contains(&format!("filter-{name}").as_str()));
        }
    }
}
