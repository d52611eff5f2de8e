//! Shell completions and the man page, generated from the command line's own definition.

use crate::cli::args::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rollbook", &mut out);
    out
}

/// The man page, in roff.
pub fn man() -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| format!("cannot render the man page: {e}"))?;
    Ok(out)
}
