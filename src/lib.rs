//! rollbook: checks AI workflow rollout packs and compiles them into a linked site.
//!
//! The tree follows the data: [`load`] reads the site into a [`domain::model::Site`],
//! [`check`] checks its links and assesses each pack, [`render`] turns it into an in-memory
//! [`output::Output`], and [`output`] writes that to disk at once. [`pipeline`] runs those
//! stages; `build` and `check` in [`cli`] drive it once, [`serve`] drives it again on every
//! change. [`domain`] holds the types every stage reads. Each stage uses only the stages
//! before it.

pub mod check;
pub mod cli;
pub mod console;
pub mod domain;
pub mod load;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
