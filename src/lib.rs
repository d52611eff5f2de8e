//! rollbook: checks AI workflow rollout packs and compiles them into a linked site.
//!
//! The tree follows the data: `load` reads the site into a `domain::model::Site`,
//! `check` checks its links and assesses each pack, `render` turns it into files in
//! memory, and `output` writes those to disk at once. `pipeline` runs those stages;
//! `build` and `check` in `cli` drive it once, `serve` drives it again on every change.
//! `domain` holds the types every stage reads. Each stage uses only the stages before it.
//!
//! The library offers what the `rollbook` command is made of: [`main`] runs the command
//! line, and [`build`] / [`Session`] build a site in memory. [`internals`] reaches further
//! in, for the fuzz targets, benches and integration tests only.

mod check;
mod cli;
mod console;
mod domain;
mod load;
mod output;
mod pipeline;
mod render;
mod serve;

pub use cli::main;
pub use domain::answers::{parse_date, Date};
pub use domain::diag::Diagnostic;
pub use pipeline::{build, Built, Options, Session};

/// The parsers of every input and a few parts beside them, reached by the fuzz targets
/// (`fuzz/`), the benches and the integration tests. Not a stable API.
#[doc(hidden)]
pub mod internals {
    pub use crate::check::gate;
    pub use crate::cli::replicate::{carry, Carry};
    pub use crate::domain::diag::{line_col, LineIndex};
    pub use crate::domain::eval::GateRule;
    pub use crate::domain::field::{Field, SectionId};
    pub use crate::domain::model::Page;
    pub use crate::domain::{config, contact, schema};
    pub use crate::load::read::strip_bom;
    pub use crate::load::secrets::scan;
    pub use crate::load::{eval_files, frontmatter, site_toml, validate};
    pub use crate::render::highlight::Highlighter;
    pub use crate::render::markdown;
    /// Loading, as `build` does it.
    pub mod load {
        pub use crate::load::*;
    }
}
