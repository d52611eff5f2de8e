//! Console output that ends quietly when the reader has gone: lines to stdout and stderr
//! are written with `writeln!`, and a closed pipe (`rollbook check | head -1`) stops the
//! printing instead of panicking as `println!` would.

use std::fmt;
use std::io::{self, Write};

/// Writes and flushes; false when whoever read it has gone (a closed pipe, EPIPE) or the
/// stream is unusable, so the caller stops printing. `write_fmt` already retries
/// interrupted writes. No state is kept: a later write to a closed pipe fails the same way.
fn write_to(mut w: impl Write, text: fmt::Arguments) -> bool {
    w.write_fmt(text).and_then(|()| w.flush()).is_ok()
}

/// Writes to stdout; returns false once stdout is closed.
pub(crate) fn out(text: fmt::Arguments) -> bool {
    write_to(io::stdout().lock(), text)
}

/// Writes to stderr; returns false once stderr is closed.
pub(crate) fn err(text: fmt::Arguments) -> bool {
    write_to(io::stderr().lock(), text)
}

/// `println!` that stops quietly on a closed pipe.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::console::out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::console::out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that stops quietly on a closed pipe.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
