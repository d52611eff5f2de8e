//! What `serve` answers to a request: only this machine's pages (the `Host` check), the
//! site's files with the live-reload script and the error overlay, redirects, 404s, and
//! the upgrade of the live-reload connection.

use crate::domain::diag::Diagnostic;
use crate::domain::site_path;
use crate::serve::http::{Reply, Request, Response};
use crate::serve::live::{inject, Clients, ERROR_PAGE, EVENTS};
use crate::serve::state::{Layers, Shared};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a request waits for the site-wide pages after a rebuild.
const SITE_WIDE_WAIT: Duration = Duration::from_secs(10);

/// The content type of an output path, by extension (`application/octet-stream` when
/// unknown); text types are UTF-8, as rollbook writes them.
pub(crate) fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path)
        .first_raw()
        .unwrap_or("application/octet-stream");
    if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The output path a request path names, or `None` when it is outside the site
/// (above the base path, `..` segments, backslashes, encoded or not).
pub(crate) fn resolve(url: &str, base: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rest = decoded
        .strip_prefix(base)
        .or_else(|| (decoded.as_ref() == base.trim_end_matches('/')).then_some(""))?;
    if site_path::has_dot_segment(rest) {
        return None;
    }
    Some(site_path::served_file(rest))
}

/// Whether a `Host` (or absolute-form authority) names this machine: `localhost`,
/// `127.0.0.1`, `[::1]` or the address given with `-i`, with any port. Anything else may
/// be a page of another site that resolved its own name to this machine (DNS rebinding).
pub(crate) fn host_allowed(host: &str, interface: &str) -> bool {
    let host = host.trim();
    let name = if host.starts_with('[') {
        match host.find(']') {
            Some(i) => host.get(..=i).unwrap_or(host),
            None => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            Some(_) => return false,
            None => host,
        }
    };
    let given = interface.trim();
    let given_v6 = format!("[{given}]");
    ["localhost", "127.0.0.1", "[::1]", given, given_v6.as_str()]
        .iter()
        .any(|ok| !ok.is_empty() && name.eq_ignore_ascii_case(ok))
}

/// Links from a diagnostic to the served section page, at the field when the page has
/// an anchor for it (`content/<pack>/<section>.md`, line `field = …` → `<pack>/<section>/#field`).
pub(crate) struct Links<'a> {
    site: Option<&'a Layers>,
    base: &'a str,
    checked: HashMap<(String, String), bool>,
}

impl<'a> Links<'a> {
    pub(crate) fn new(site: Option<&'a Layers>, base: &'a str) -> Links<'a> {
        Links {
            site,
            base,
            checked: HashMap::new(),
        }
    }

    pub(crate) fn url(&mut self, d: &Diagnostic) -> Option<String> {
        let site = self.site?;
        let rest = d.file.strip_prefix("content/")?.strip_suffix(".md")?;
        let (slug, stem) = rest.split_once('/')?;
        if stem.contains('/') || stem.starts_with('_') {
            return None;
        }
        let page_path = format!("{slug}/{stem}/index.html");
        let page = site.get(&page_path)?;
        let url = format!("{}{slug}/{stem}/", self.base);
        let field = d.source_line.as_deref().and_then(field_name);
        let Some(field) = field else {
            return Some(url);
        };
        let has = *self
            .checked
            .entry((page_path, field.to_string()))
            .or_insert_with(|| {
                let needle = format!("id=\"{field}\"");
                String::from_utf8_lossy(page).contains(&needle)
            });
        Some(if has { format!("{url}#{field}") } else { url })
    }
}

/// The key a TOML line assigns (`key = …`, `"key" = …`), if it is a plain name.
fn field_name(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

/// What one request sees of the state.
struct Snapshot {
    base: String,
    site: Option<Layers>,
    overlay: Arc<str>,
    generation: u64,
}

/// A consistent view of the state for one request. A request for a site-wide page
/// waits while those are being brought up to date.
fn snapshot(shared: &Shared, path: Option<&str>) -> Option<Snapshot> {
    let mut s = shared.state.lock().ok()?;
    let deadline = Instant::now() + SITE_WIDE_WAIT;
    loop {
        let in_pack = match (&s.site, path) {
            (Some(l), Some(p)) => l.pack(p).is_some_and(|o| o.get(p).is_some()),
            _ => false,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if !s.site_wide_pending || in_pack || left.is_zero() {
            return Some(Snapshot {
                base: s.base.clone(),
                site: s.site.clone(),
                overlay: Arc::clone(&s.overlay),
                generation: s.generation,
            });
        }
        s = shared.ready.wait_timeout(s, left).ok()?.0;
    }
}

/// Answers one request.
pub(crate) fn handle(
    request: &Request,
    shared: &Shared,
    clients: &Arc<Clients>,
    interface: &str,
) -> Reply {
    if let Some(refused) = refuse(request, interface) {
        return Reply::Respond(refused);
    }
    let url = request.target.as_str();
    let Some(base) = shared.state.lock().ok().map(|s| s.base.clone()) else {
        return Reply::Respond(Response::text(500, "the server's state is unavailable"));
    };
    let path_only = url.split('?').next().unwrap_or("");
    if path_only == format!("{base}{EVENTS}") {
        return upgrade(request, url, clients);
    }
    let wanted = resolve(url, &base);
    let Some(snap) = snapshot(shared, wanted.as_deref()) else {
        return Reply::Respond(Response::text(500, "the server's state is unavailable"));
    };
    if path_only == "/" && snap.base != "/" {
        return Reply::Respond(Response::new(302, Vec::new()).with("Location", &snap.base));
    }
    let (status, path, body) = match find(&snap, wanted, path_only) {
        Found::File(path, bytes) => (200, path, bytes),
        Found::Folder(location) => {
            return Reply::Respond(Response::new(301, Vec::new()).with("Location", &location))
        }
        Found::Nothing(page) => (404, "404.html".to_string(), page),
    };
    let body = if path.ends_with(".html") {
        let html = if snap.site.is_none() {
            ERROR_PAGE.to_string()
        } else {
            String::from_utf8_lossy(&body).into_owned()
        };
        inject(&html, &snap.base, snap.generation, &snap.overlay).into_bytes()
    } else {
        body
    };
    Reply::Respond(
        Response::new(status, body)
            .with("Content-Type", &content_type(&path))
            .with("Cache-Control", "no-store"),
    )
}

/// The answer to a request `serve` does not take: not for this host (one `Host`, naming
/// the loopback or the interface served), or not a GET or HEAD.
fn refuse(request: &Request, interface: &str) -> Option<Response> {
    let host = match (&request.authority, request.header_count("host")) {
        (Some(a), _) => a.as_str(),
        (None, 1) => request.header("host").unwrap_or(""),
        (None, _) => {
            return Some(Response::text(
                400,
                "a request needs exactly one Host header",
            ))
        }
    };
    if !host_allowed(host, interface) {
        let shown: String = host.chars().filter(|c| !c.is_control()).take(200).collect();
        return Some(Response::text(
            403,
            &format!("rollbook serve answers only requests for localhost, 127.0.0.1, [::1] or the address given with -i; this one was for `{shown}`. Open the site at http://localhost:PORT/ instead."),
        ));
    }
    if request.method != "GET" && request.method != "HEAD" {
        return Some(
            Response::text(
                405,
                &format!(
                    "{} is not allowed here; only GET and HEAD are",
                    request.method
                ),
            )
            .with("Allow", "GET, HEAD"),
        );
    }
    None
}

/// What a path of the site is.
enum Found {
    /// A file, by its path in the output, and its bytes.
    File(String, Vec<u8>),
    /// A folder asked for without its slash: where it is with one.
    Folder(String),
    /// Nothing: the site's 404 page, or a plain one.
    Nothing(Vec<u8>),
}

/// What `wanted` (the output path a URL names, if any) is in the site of `snap`;
/// `path_only` is the URL without its query.
fn find(snap: &Snapshot, wanted: Option<String>, path_only: &str) -> Found {
    let out = snap.site.as_ref();
    if let (Some(p), Some(out)) = (wanted, out) {
        if let Some(bytes) = out.get(&p) {
            return Found::File(p, bytes.to_vec());
        }
        // A folder asked without its slash: redirect, as static hosts do.
        if out.get(&format!("{p}/index.html")).is_some() {
            return Found::Folder(format!("{}/", path_only.trim_end_matches('/')));
        }
    }
    Found::Nothing(
        out.and_then(|o| o.get("404.html"))
            .map(<[u8]>::to_vec)
            .unwrap_or_else(|| {
                b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>".to_vec()
            }),
    )
}

/// The live-reload connection: a WebSocket upgrade, registered before it is answered.
fn upgrade(request: &Request, url: &str, clients: &Arc<Clients>) -> Reply {
    let key = request.header("sec-websocket-key").map(str::to_string);
    let websocket = request.has_token("upgrade", "websocket")
        && request.has_token("connection", "upgrade")
        && request.header("sec-websocket-version") == Some("13");
    let (true, Some(key)) = (websocket, key) else {
        return Reply::Respond(
            Response::text(426, "this is the live-reload WebSocket of rollbook serve; connect with a WebSocket client")
                .with("Upgrade", "websocket")
                .with("Sec-WebSocket-Version", "13"),
        );
    };
    let since = url
        .split_once("since=")
        .and_then(|(_, v)| v.split('&').next())
        .and_then(|v| v.parse::<u64>().ok());
    let clients = Arc::clone(clients);
    Reply::Upgrade(Box::new(move |stream, permit| {
        clients.connect(stream, &key, since, permit)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_by_extension() {
        for (path, want) in [
            ("index.html", "text/html; charset=utf-8"),
            ("a/B.HTM", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("live.js", "text/javascript; charset=utf-8"),
            ("m.mjs", "application/javascript; charset=utf-8"),
            ("status.json", "application/json"),
            ("badges/a.svg", "image/svg+xml"),
            ("sitemap.xml", "text/xml; charset=utf-8"),
            ("a/cases.csv", "text/csv; charset=utf-8"),
            ("notes.txt", "text/plain; charset=utf-8"),
            ("data.md", "text/markdown; charset=utf-8"),
            ("logo.png", "image/png"),
            ("photo.JPG", "image/jpeg"),
            ("favicon.ico", "image/x-icon"),
            ("f.woff2", "font/woff2"),
            ("evals/results.jsonl", "application/octet-stream"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), want, "{path}");
        }
    }

    #[test]
    fn resolves_inside_the_site_only() {
        assert_eq!(resolve("/r/", "/r/").as_deref(), Some("index.html"));
        assert_eq!(resolve("/r", "/r/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve("/r/a/b/?x=1", "/r/").as_deref(),
            Some("a/b/index.html")
        );
        assert_eq!(
            resolve("/r/caf%C3%A9.css", "/r/").as_deref(),
            Some("café.css")
        );
        for bad in [
            "/r/../etc/passwd",
            "/r/%2e%2e/x",
            "/r/a/%2E%2E/%2E%2E/x",
            "/r/..%2fx",
            "/r/a%5c..%5cx",
            "/r/a\\..\\x",
            "/other/x",
            "/r/%00",
        ] {
            assert_eq!(resolve(bad, "/r/"), None, "{bad}");
        }
    }

    #[test]
    fn only_this_machines_names_are_served() {
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:80",
            "127.0.0.1",
            "127.0.0.1:5",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(host_allowed(ok, "127.0.0.1"), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "[::1",
            "localhost:12ab",
            "10.0.0.5:1111",
        ] {
            assert!(!host_allowed(bad, "127.0.0.1"), "{bad}");
        }
        assert!(host_allowed("10.0.0.5:1111", "10.0.0.5"));
        assert!(host_allowed("[fe80::1]:1111", "fe80::1"));
    }

    #[test]
    fn field_names_of_toml_lines() {
        assert_eq!(field_name("kill_switch = \"TBD\""), Some("kill_switch"));
        assert_eq!(field_name("  \"dri\" = 3"), Some("dri"));
        assert_eq!(field_name("just prose"), None);
        assert_eq!(field_name("a b = 1"), None);
    }
}
