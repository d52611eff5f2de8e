//! The `rollbook` command.

use std::process::ExitCode;

/// Rendering allocates many small strings on every thread; mimalloc serves them faster
/// than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(rollbook::main())
}
