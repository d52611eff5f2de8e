//! The domain: a rollout pack's schema, its answers, people, the loaded site and
//! diagnostics. Every stage reads these; they read no stage.

pub(crate) mod answers;
pub mod config;
pub mod contact;
pub(crate) mod diag;
pub(crate) mod document;
pub(crate) mod eval;
pub(crate) mod field;
pub(crate) mod model;
pub mod schema;
pub(crate) mod site_path;
