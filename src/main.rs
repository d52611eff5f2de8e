//! The `rollbook` command.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match rollbook::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                rollbook::cli::USAGE_ERROR
            } else {
                rollbook::cli::OK
            });
        }
    };
    ExitCode::from(rollbook::cli::run(cli))
}
