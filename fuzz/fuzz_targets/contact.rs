//! `Name <contact>` answers: the contact parser and the one-person check.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollbook::internals::{contact, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let c = contact::parse(text);
    let _ = c.key();
    if let Some(href) = &c.href {
        assert!(["mailto:", "tel:", "https://", "http://"]
            .iter()
            .any(|p| href.starts_with(p)));
    }
    let _ = validate::committee(text);
});
