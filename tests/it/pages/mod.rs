//! The built HTML, parsed: dashboard, pack overview, section pages, links and themes.

mod links;
mod markdown;
mod pack_pages;
mod site;

use crate::common::*;
use scraper::{ElementRef, Html};
use std::collections::HashSet;

const DATA_NOTES: &str = "\
## Café Zürich

## Paging

Text between.

## Paging

See [the paging order](@/pack/incident.md#paging), [models](models.md), [their models](../other/models.md),
[owners](notes.md#owners), [up](#café-zürich), [ext](https://example.com/x), [mail](mailto:a@acme.example).

```bash
flagctl off SUPPORT_TRIAGE # the kill switch
```

- [ ] wire the flag
- [x] write the docs

| Metric | Bound |
|--------|-------|
| accuracy | 0.9 |

A claim[^why] and ~~an old plan~~.

[^why]: Because we measured it.
";

/// Pack `pack` complete but `retention_policy` (TBD) and no models.md; pack `other`
/// complete; an extra page `pack/notes.md`.
fn rich_site() -> SiteBuilder {
    let data = complete_toml("data").replace("\"30 days\"", "\"TBD\"");
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .complete_pack("other")
        .section("pack", "data", &data, DATA_NOTES)
        .file(
            "content/pack/notes.md",
            "+++\ntitle = \"Team notes\"\n+++\n# Team notes\n\n## Owners\n\nWho owns what.\n",
        );
    std::fs::remove_file(site.join("content/pack/models.md")).expect("rm models.md");
    site
}

fn main_of(html: &Html) -> ElementRef<'_> {
    one(html, "main")
}

/// Position of the first element matching `selector` in document order.
fn first_index(html: &Html, selector: &str) -> usize {
    let s = sel(selector);
    html.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .position(|e| s.matches(&e))
        .unwrap_or_else(|| panic!("no `{selector}`"))
}

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// Every HTML file under `public/`.
fn html_files(site: &SiteBuilder) -> Vec<String> {
    snapshot(&site.join("public"))
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect()
}

/// The fill of a badge's value box and its title.
fn badge(site: &SiteBuilder, path: &str) -> (String, String) {
    let svg = site.read(&format!("public/badges/{path}"));
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or("")
        .to_string();
    let fill = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("x").is_some())
        .filter_map(|n| n.attribute("fill"))
        .next()
        .unwrap_or_else(|| panic!("no value box in {svg}"))
        .to_string();
    (fill, title)
}
