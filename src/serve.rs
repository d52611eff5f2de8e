//! The development server: builds into memory, serves it, rebuilds on change and reloads pages.

use crate::pipeline::Options;
use std::path::Path;

pub fn run(_root: &Path, _opts: Options, _interface: &str, _port: u16, _open: bool) -> u8 {
    eprintln!("error: serve is not available in this build yet");
    crate::cli::USAGE_ERROR
}
