//! Console output that ends quietly when the reader has gone: lines to stdout and stderr
//! are written with `writeln!`, and a closed pipe (`rollbook check | head -1`) stops the
//! printing instead of panicking as `println!` would.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

fn write_to(mut w: impl Write, gone: &AtomicBool, text: fmt::Arguments) -> bool {
    if gone.load(Ordering::Relaxed) {
        return false;
    }
    match w.write_fmt(text).and_then(|()| w.flush()) {
        Ok(()) => true,
        Err(_) => {
            // Whoever read it has gone (a closed pipe, EPIPE) or the stream is unusable:
            // print nothing more. `write_fmt` already retries interrupted writes.
            gone.store(true, Ordering::Relaxed);
            false
        }
    }
}

/// Writes to stdout; returns false (and prints nothing more) once stdout is closed.
pub fn out(text: fmt::Arguments) -> bool {
    write_to(io::stdout().lock(), &STDOUT_GONE, text)
}

/// Writes to stderr; returns false (and prints nothing more) once stderr is closed.
pub fn err(text: fmt::Arguments) -> bool {
    write_to(io::stderr().lock(), &STDERR_GONE, text)
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
