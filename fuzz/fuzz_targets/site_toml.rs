//! `site.toml`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollbook::internals::{config, site_toml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Vec::new();
    let _ = site_toml::parse(text, &mut diags);
    let lines = text.split('\n').count();
    for d in &diags {
        assert_eq!(d.file, config::FILE);
        assert!(d.line >= 1 && d.line <= lines, "{d:?}");
        assert!(d.column >= 1, "{d:?}");
    }
});
