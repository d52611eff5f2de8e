//! rollbook's integration tests, in one binary: a module per area, each a chapter of the
//! behaviour it pins down. Every test builds a small site in a temporary folder (`common`)
//! or starts `rollbook serve` on 127.0.0.1 (`serve_support`) and checks what comes out.

// Test and bench code may panic on what it set up itself, and its helpers are `pub` to
// its own modules; the crate's lints against both are for the library.
#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

mod common;
mod serve_support;

mod architecture;
mod browser;
mod closed_pipe;
mod commands;
mod completeness;
mod composed;
mod dashboard;
mod diagrams;
mod errors;
mod evaluation;
mod example_site;
mod freshness;
mod generated;
mod gfm;
mod incremental;
mod init_workflow;
mod inputs;
mod machine_output;
mod new_from;
mod output;
mod output_kill;
mod output_safety;
mod pages;
mod properties;
mod reading;
mod rule_ids;
mod runbook;
mod search;
mod search_reader;
mod serve;
mod serve_http;
mod shell;
mod template_edits;
mod theme_overrides;
mod warnings;
