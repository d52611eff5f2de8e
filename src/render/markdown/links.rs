//! Site links: resolving a link as written to a [`Target`] and its URL, and rewriting the
//! links and images of a page body to those URLs.

use super::lines::Lines;
use crate::domain::document::{Link, Target};
use crate::domain::site_path;
use pulldown_cmark::{CowStr, Event, LinkType, Tag};
use std::ops::Range;

/// Where an answer is written, so links in it resolve like links in its file's notes.
#[derive(Debug, Clone, Copy)]
pub struct LinkBase<'a> {
    pub base_path: &'a str,
    /// The path under `content/` of the file holding the answer.
    pub content_path: &'a str,
}

/// Resolves a link as written in `content_path` to a site target and its URL.
/// Returns `None` for links that leave the site (other schemes, other hosts).
pub fn resolve(
    dest: &str,
    content_path: &str,
    base_path: &str,
) -> Option<(Target, Option<String>, String)> {
    let dest = dest.trim();
    let (path, raw_fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let frag_suffix = raw_fragment.map(|f| format!("#{f}")).unwrap_or_default();
    // Ids are compared decoded: `#caf%C3%A9` names the heading `café`.
    let fragment = raw_fragment.map(|f| {
        percent_encoding::percent_decode_str(f)
            .decode_utf8_lossy()
            .into_owned()
    });
    if path.is_empty() {
        // Written out in full, so the link still works where the HTML is reused
        // (the runbook shows the incident notes).
        let url = format!(
            "{base_path}{}{frag_suffix}",
            crate::domain::model::url_path(content_path)
        );
        return fragment.map(|f| (Target::Here, Some(f), url));
    }
    let is_external = path.starts_with("//")
        || path.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme != "@"
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if is_external || (path.starts_with('/') && !path.starts_with("@/")) {
        return None;
    }
    let resolved = if let Some(abs) = path.strip_prefix("@/") {
        normalize(abs)
    } else {
        normalize(&site_path::join(site_path::parent(content_path), path))
    };
    let Some(resolved) = resolved else {
        return Some((Target::Outside, fragment, dest.to_string()));
    };
    if resolved.ends_with(".md") {
        let url = format!(
            "{base_path}{}{frag_suffix}",
            crate::domain::model::url_path(&resolved)
        );
        Some((Target::Page(resolved), fragment, url))
    } else {
        let url = format!("{base_path}{resolved}{frag_suffix}");
        Some((Target::File(resolved), fragment, url))
    }
}

/// Decodes percent-escapes and folds `.` and `..`; `None` when the path climbs out of
/// `content/` or names nothing.
fn normalize(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    site_path::fold(&decoded).filter(|p| !p.is_empty())
}

/// The site path (`pack/incident/`) and fragment an absolute URL names when it is under
/// the site's `base_url` (`https://acme.example/packs`); `None` for other URLs, and for
/// every URL when `base_url` is only a path.
pub(super) fn site_url(url: &str, base_url: &str) -> Option<(Target, Option<String>)> {
    let base = base_url.trim().trim_end_matches('/');
    let (scheme, rest) = base.split_once("://")?;
    if scheme.is_empty() || rest.is_empty() {
        return None;
    }
    let head = url.get(..base.len())?;
    if !head.eq_ignore_ascii_case(base) {
        return None;
    }
    let tail = url.get(base.len()..)?;
    let tail = match tail.chars().next() {
        None => "",
        Some('/') => tail.get(1..).unwrap_or(""),
        Some('#' | '?') => tail,
        Some(_) => return None,
    };
    let (path, fragment) = match tail.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (tail, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let fragment = fragment.map(|f| {
        percent_encoding::percent_decode_str(f)
            .decode_utf8_lossy()
            .into_owned()
    });
    let folder = path.ends_with('/');
    let target = match normalize(path) {
        None if path.trim_matches(['/', '.']).is_empty() && !path.contains("..") => {
            Target::Url(String::new())
        }
        None => Target::Outside,
        Some(p) if folder => Target::Url(format!("{p}/")),
        Some(p) => Target::Url(p),
    };
    Some((target, fragment))
}

/// Points every link and image of a body at its resolved URL, and lists the site links
/// with the file line and column each is written at. Autolinks to absolute URLs under
/// `base_url` are listed too, and keep their URL.
pub(super) fn rewrite<'a>(
    events: &mut [(Event<'a>, Range<usize>)],
    at: LinkBase,
    base_url: &str,
    lines: &Lines,
) -> Vec<Link> {
    let mut links = Vec::new();
    for (event, range) in events.iter_mut() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        // A site link gets its resolved URL; an autolink into the site keeps its own.
        let (target, fragment, url) = match site_link(dest_url, *link_type, at) {
            Some((target, fragment, url)) => (target, fragment, Some(url)),
            None => match autolink_into_site(dest_url, *link_type, base_url) {
                Some((target, fragment)) => (target, fragment, None),
                None => continue,
            },
        };
        let (line, column) = lines.position(range.start);
        links.push(Link {
            target,
            fragment,
            raw: dest_url.to_string(),
            line,
            column,
        });
        if let Some(url) = url {
            *dest_url = url.into();
        }
    }
    links
}

/// The target, fragment and URL of a link that stays in the site; `None` for e-mail
/// and links that leave it.
pub(super) fn site_link(
    dest: &CowStr,
    link_type: LinkType,
    at: LinkBase,
) -> Option<(Target, Option<String>, String)> {
    if matches!(link_type, LinkType::Email) {
        return None;
    }
    resolve(dest, at.content_path, at.base_path)
}

/// The site target of an autolink (`<https://…>` or a bare URL) under `base_url`.
pub(super) fn autolink_into_site(
    dest: &str,
    link_type: LinkType,
    base_url: &str,
) -> Option<(Target, Option<String>)> {
    matches!(link_type, LinkType::Autolink)
        .then(|| site_url(dest, base_url))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_under_the_base_url_name_site_paths() {
        let base = "https://acme.example/packs";
        let at = |u: &str| site_url(u, base);
        assert_eq!(
            at("https://acme.example/packs/triage/incident/#paging"),
            Some((
                Target::Url("triage/incident/".into()),
                Some("paging".into())
            ))
        );
        assert_eq!(
            at("HTTPS://ACME.example/packs"),
            Some((Target::Url(String::new()), None))
        );
        assert_eq!(
            at("https://acme.example/packs/triage/d.svg?x=1"),
            Some((Target::Url("triage/d.svg".into()), None))
        );
        assert_eq!(
            at("https://acme.example/packs/../x/"),
            Some((Target::Outside, None))
        );
        assert_eq!(at("https://acme.example/packsx/"), None);
        assert_eq!(at("https://other.example/packs/"), None);
        assert_eq!(site_url("https://acme.example/x/", "/"), None);
        assert_eq!(site_url("https://acme.example/x/", "/packs"), None);
    }
}
