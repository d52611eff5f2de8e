//! Shell completions and the man page, generated from the command line's own definition.

use crate::cli::args::Cli;
use crate::cli::error::Error;
use clap::CommandFactory;
use clap_complete::Shell;

/// The completion script for `shell`.
pub(crate) fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rollbook", &mut out);
    out
}

/// The man page, in roff.
pub(crate) fn man() -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(Error::Man)?;
    Ok(out)
}
