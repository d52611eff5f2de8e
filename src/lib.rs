//! rollbook: checks AI workflow rollout packs and compiles them into a linked site.
//!
//! The data flows load → check → render → write: [`load`] reads the site into a
//! [`model::Site`], [`links`] and [`assess`] check it, [`render`] turns it into an
//! in-memory [`output::Output`], which `build` writes atomically and `serve` serves.

pub mod answers;
pub mod answers_view;
pub mod assess;
pub mod badge;
pub mod checklist;
pub mod cli;
pub mod collide;
pub mod config;
pub mod console;
pub mod contact;
pub mod diag;
pub mod eval;
pub mod evals_view;
pub mod field;
pub mod frontmatter;
pub mod guard;
pub mod highlight;
pub mod http;
pub mod links;
pub mod live;
pub mod load;
pub mod markdown;
pub mod model;
pub mod offline;
pub mod output;
pub mod owners;
pub mod pipeline;
pub mod render;
pub mod routes;
pub mod rules;
pub mod runbook;
pub mod sarif;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod secrets;
pub mod serve;
pub mod shellgen;
pub mod slots;
pub mod staging;
pub mod status;
pub mod theme;
pub mod validate;
pub mod views;
pub mod walk;
