//! The domain: a rollout pack's schema, its answers, people, the loaded site and
//! diagnostics. Every stage reads these; they read no stage.

pub mod answers;
pub mod config;
pub mod contact;
pub mod diag;
pub mod document;
pub mod eval;
pub mod field;
pub mod model;
pub mod schema;
pub mod site_path;
