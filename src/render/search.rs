//! Search: an index of every page's title, headings and words, built with the site and
//! read by the search box in the browser (from JSON, or from a script when opened from disk).

use regex::Regex;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::LazyLock;

/// How much of a page's text is kept for the result snippet.
const SUMMARY_CHARS: usize = 240;

/// One page in the index. Short keys keep the index small on sites of many packs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Title.
    pub t: String,
    /// URL path under the base path, e.g. `support-triage/runbook/`.
    pub u: String,
    /// The pack's name, empty for site pages.
    pub p: String,
    /// Headings.
    pub h: Vec<String>,
    /// The start of the text, for the result snippet.
    pub s: String,
    /// Every distinct word of the page, lowercase, space-separated.
    pub w: String,
}

static SCRIPT_OR_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(script|style)\b.*?</(script|style)>").expect("constant pattern")
});
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<h[1-6]\b[^>]*>(.*?)</h[1-6]>").expect("constant pattern"));
static PERMALINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<a class="permalink"[^>]*>.*?</a>"#).expect("constant pattern")
});
static NAV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<nav\b.*?</nav>").expect("constant pattern"));
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("constant pattern"));

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn text_of(html: &str) -> String {
    let no_tags = TAG.replace_all(html, " ");
    decode(&no_tags)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The index entry of a rendered page: the text of its `<main>` element.
pub fn entry(url_path: &str, title: &str, pack: &str, html: &str) -> Entry {
    let main = html
        .find("<main")
        .and_then(|start| html.get(start..))
        .map(|rest| {
            rest.find("</main>")
                .and_then(|end| rest.get(..end))
                .unwrap_or(rest)
        })
        .unwrap_or(html);
    let main = SCRIPT_OR_STYLE.replace_all(main, " ");
    let main = PERMALINK.replace_all(&main, " ");
    // Breadcrumbs and pagers are the same on many pages: not what a search is for.
    let main = NAV.replace_all(&main, " ");
    let headings: Vec<String> = HEADING
        .captures_iter(&main)
        .filter_map(|c| c.get(1).map(|m| text_of(m.as_str())))
        .filter(|h| !h.is_empty())
        .collect();
    let text = text_of(&main);
    let summary: String = text.chars().take(SUMMARY_CHARS).collect();
    let mut seen = HashSet::new();
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| w.chars().count() > 1 && seen.insert(w.clone()))
        .collect();
    Entry {
        t: title.to_string(),
        u: url_path.to_string(),
        p: pack.to_string(),
        h: headings,
        s: summary,
        w: words.join(" "),
    }
}

/// Entries as a comma-separated run of JSON objects, to join with other runs.
pub fn fragment(entries: &[Entry]) -> String {
    entries
        .iter()
        .filter_map(|e| serde_json::to_string(e).ok())
        .collect::<Vec<_>>()
        .join(",")
}

/// The whole index as JSON from fragments.
pub fn index_json<'a>(fragments: impl Iterator<Item = &'a str>) -> String {
    let parts: Vec<&str> = fragments.filter(|f| !f.is_empty()).collect();
    format!("[{}]", parts.join(","))
}

/// The index as a script, for pages opened from disk where `fetch` of JSON fails.
pub fn index_script(json: &str) -> String {
    format!("window.ROLLBOOK_SEARCH={json};\n")
}

/// `sitemap.xml`: every page (`…/index.html` among `paths`) with its absolute URL.
pub fn sitemap<'a>(
    paths: impl Iterator<Item = &'a String>,
    config: &crate::domain::config::Config,
) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut pages: Vec<&str> = paths.filter_map(|p| p.strip_suffix("index.html")).collect();
    pages.sort_unstable();
    pages.dedup();
    for folder in pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::render::highlight::escape(&config.absolute_url(folder))
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_from_main_only() {
        let html = "<header>Site nav</header><main><h1>Runbook <a class=\"permalink\" href=\"#x\">#</a></h1><p>Flip the &amp; flag <code>FLAG_X</code>. Flip!</p><script>var x = 1;</script></main><footer>f</footer>";
        let e = entry("a/runbook/", "Runbook: A", "A", html);
        assert_eq!(e.h, vec!["Runbook"]);
        assert_eq!(e.s, "Runbook Flip the & flag FLAG_X . Flip!");
        assert_eq!(e.w, "runbook flip the flag flag_x");
        assert!(!e.w.contains("nav"));
        let json = index_json(
            [
                fragment(std::slice::from_ref(&e)).as_str(),
                "",
                fragment(&[e]).as_str(),
            ]
            .into_iter(),
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.as_array().map(Vec::len), Some(2));
    }
}
