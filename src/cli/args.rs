//! The command line's definition: every command, option and argument, with the help
//! text `--help`, the man page and the shell completions are made from.

use crate::domain::answers::{parse_date, Date};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rollbook",
    version,
    about = "Checks AI workflow rollout packs and builds them into a site."
)]
pub(crate) struct Cli {
    /// The site folder (holding site.toml); by default the current folder or the nearest parent with one.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Measure review freshness against this date (YYYY-MM-DD) instead of today.
    #[arg(long, global = true, env = "ROLLBOOK_TODAY", value_name = "DATE", value_parser = date_arg)]
    pub today: Option<Date>,
    #[command(subcommand)]
    pub command: Command,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Create a new site: site.toml, one example pack, .gitignore and a GitHub Pages workflow.
    Init {
        /// Where to create it (default: the current folder).
        dir: Option<PathBuf>,
    },
    /// Create a new pack: the nine section files, every field a placeholder.
    ///
    /// With `--from <pack>`, start from a proven pack instead: its org-wide answers
    /// (platform and security owners, the five operability answers, approved models,
    /// routing rule and fallback, dashboards, escalation path, the review format) and the
    /// notes of operability and models are copied. Every answer of the workflow's own is a
    /// placeholder whose comment says what it wants; for `kill_switch_how` and
    /// `daily_checks` the comment quotes the proven pack's answer to adapt. Eval sets,
    /// results and other files are never copied; existing files are never overwritten.
    New {
        /// The pack's slug: lowercase letters, digits and hyphens.
        slug: String,
        /// An existing pack (its slug) to copy the org-wide answers from.
        #[arg(long, value_name = "PACK")]
        from: Option<String>,
    },
    /// Build the site into a folder.
    Build {
        /// Output folder, relative to the site (default: public). Build replaces it whole, so
        /// it must be new, empty, or made by an earlier build (it holds .rollbook-output).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Replace an output folder that holds files rollbook did not write, deleting them.
        /// Even so, build never replaces the site folder, content/, static/, templates/,
        /// themes/ or a folder holding any of them, a file, a git repository, the home
        /// folder or the current folder.
        #[arg(long)]
        force: bool,
        /// Override base_url from site.toml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Write a copy to read straight from disk: every link names its index.html.
        #[arg(long)]
        offline: bool,
    },
    /// Serve the site with live reload while you write.
    Serve {
        /// The port to listen on; 0 picks a free one (the address is printed).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on: keep a loopback one (127.0.0.1, ::1) unless you mean to share.
        #[arg(short, long, default_value = "127.0.0.1", value_name = "ADDR")]
        interface: String,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check everything build checks, without writing anything.
    Check {
        /// text (with a completeness table), json (status.json with the diagnostics),
        /// github (workflow annotations) or sarif (SARIF 2.1.0 for code scanning).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail when a pack is less complete than this percentage.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
        min_completeness: Option<u32>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Print a shell completion script, e.g. `rollbook completions bash > ~/.local/share/bash-completion/completions/rollbook`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `rollbook man > ~/.local/share/man/man1/rollbook.1`.
    Man,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}
