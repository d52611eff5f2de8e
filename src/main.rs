//! The `rollbook` command.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(rollbook::main())
}
