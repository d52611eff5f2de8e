//! A content file: front-matter split, then its TOML checked against every section.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollbook::internals::{frontmatter, schema, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = rollbook::internals::strip_bom(text);
    let Ok(split) = frontmatter::split(text) else {
        return;
    };
    assert_eq!(text.get(split.body_offset..), Some(split.body));
    let Some((toml, offset)) = split.toml else {
        return;
    };
    let src = validate::Source::new("f.md", text, offset);
    for section in schema::SECTIONS.iter().map(Some).chain([None]) {
        let mut diags = Vec::new();
        let fm = validate::parse(&src, toml, section, &mut diags);
        assert_eq!(fm.answers.len(), section.map_or(0, |s| s.fields.len()));
        let lines = text.split('\n').count();
        for d in &diags {
            assert_eq!(d.file, "f.md");
            assert!(d.line >= 1 && d.line <= lines, "{d:?}");
            assert!(d.column >= 1, "{d:?}");
        }
    }
});
