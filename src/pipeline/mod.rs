//! The build pipeline: load → check → render, into one in-memory output.
//!
//! A [`Session`] keeps every stage's result, so `serve` can redo only what a
//! changed file touches; `build` and `check` run one session from scratch and
//! stream its pages out as they are rendered ([`stream`]).

pub(crate) mod bodies;
pub(crate) mod changes;
pub(crate) mod options;
pub(crate) mod packs;
pub(crate) mod reload;
pub(crate) mod session;
pub(crate) mod stream;

pub use self::options::Options;
pub use self::session::{Built, Session};
use std::path::Path;

/// Builds the site at `root` into memory.
pub fn build(root: &Path, opts: &Options) -> Built {
    Session::new(root, opts.clone()).built()
}
