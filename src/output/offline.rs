//! Offline copies: rewrites a built site's links so it reads straight from disk (`file://`).

use crate::domain::site_path;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

#[allow(
    clippy::expect_used,
    reason = "a constant pattern: it compiles, as every test run shows"
)]
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?P<attr>\b(?:href|src|action)=)"(?P<url>[^"]*)""#).expect("constant pattern")
});

/// The relative form of a site-absolute `url` seen from the page at `page_path`:
/// folders name their `index.html`, so a browser opening files needs no server.
pub(crate) fn relative_url(url: &str, page_path: &str, base: &str) -> Option<String> {
    let rest = url.strip_prefix(base)?;
    let (path, fragment) = match rest.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (rest, String::new()),
    };
    let target = site_path::served_file(path);
    let depth = page_path.matches('/').count();
    Some(format!("{}{target}{fragment}", "../".repeat(depth)))
}

/// The page at `path` with every `href`/`src` under `base` made relative; unchanged
/// when it is not UTF-8 or links nothing under `base`.
pub(crate) fn relativize_page<'a>(path: &str, html: &'a [u8], base: &str) -> Cow<'a, [u8]> {
    let Ok(text) = std::str::from_utf8(html) else {
        return Cow::Borrowed(html);
    };
    let rewritten = ATTR.replace_all(text, |caps: &regex::Captures| {
        let url = caps.name("url").map_or("", |m| m.as_str());
        let attr = caps.name("attr").map_or("", |m| m.as_str());
        match relative_url(&url.replace("&amp;", "&"), path, base) {
            Some(rel) => format!("{attr}\"{rel}\""),
            None => format!("{attr}\"{url}\""),
        }
    });
    match rewritten {
        Cow::Borrowed(_) => Cow::Borrowed(html),
        Cow::Owned(page) => Cow::Owned(page.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_name_index_html() {
        assert_eq!(
            relative_url("/r/a/b/", "a/index.html", "/r/").as_deref(),
            Some("../a/b/index.html")
        );
        assert_eq!(
            relative_url("/r/", "index.html", "/r/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            relative_url("/r/style.css", "a/b/index.html", "/r/").as_deref(),
            Some("../../style.css")
        );
        assert_eq!(
            relative_url("/r/a/#x", "a/index.html", "/r/").as_deref(),
            Some("../a/index.html#x")
        );
        assert_eq!(
            relative_url("https://e.example/", "index.html", "/r/"),
            None
        );
    }
}
