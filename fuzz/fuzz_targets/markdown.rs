//! Page bodies and inline answers rendered to HTML, with their ids, links and tasks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollbook::internals::markdown::{self, Context, LinkBase};
use rollbook::internals::Highlighter;
use std::collections::HashSet;
use std::sync::LazyLock;

static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ctx = Context {
        base_path: "/r/",
        base_url: "https://acme.example/r",
        content_path: "p/notes.md",
        taken_ids: &["paging"],
        first_line: 3,
        highlighter: &HIGHLIGHTER,
    };
    let r = markdown::render(text, &ctx);
    let mut ids: HashSet<&str> = HashSet::from(["paging"]);
    for h in &r.headings {
        assert!(ids.insert(&h.id), "id {} given twice", h.id);
    }
    let last = text.split('\n').count() + 2;
    for t in &r.tasks {
        assert!(t.line >= 3 && t.line <= last, "{t:?}");
    }
    for l in &r.links {
        assert!(l.line >= 3 && l.line <= last && l.column >= 1, "{l:?}");
    }
    let at = LinkBase {
        base_path: "/r/",
        content_path: "p/incident.md",
    };
    let html = markdown::inline(text, at);
    assert!(!html.contains("<script"), "{html}");
    let _ = markdown::inline_links(text, at, "https://acme.example/r", 1, 1);
});
