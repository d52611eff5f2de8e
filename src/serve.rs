//! The development server: builds into memory, serves it, rebuilds what a save touches and
//! tells open pages to reload (or shows the errors) over server-sent events.

use crate::cli::{CONTENT_ERROR, OK, USAGE_ERROR};
use crate::diag::Diagnostic;
use crate::live::{event, inject, Clients, ERROR_PAGE, EVENTS};
use crate::output::Output;
use crate::pipeline::{Options, Session};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response, Server};

/// A save seldom takes longer: events closer than this belong to one save.
const QUIET: Duration = Duration::from_millis(12);
/// However busy the folder, rebuild at least this often.
const MAX_WAIT: Duration = Duration::from_millis(150);
const HEARTBEAT: Duration = Duration::from_secs(15);
const WORKERS: usize = 8;

/// The served site: each pack's files, and the site-wide files. Kept apart so a
/// rebuild swaps one pack's files without copying the others'.
#[derive(Clone, Default)]
pub struct Layers {
    pub packs: HashMap<String, Arc<Output>>,
    pub site_wide: Arc<Output>,
}

impl Layers {
    /// The pack whose files hold `path`: `<slug>/…`, or its badges `badges/<slug>…`.
    fn pack(&self, path: &str) -> Option<&Output> {
        let mut parts = path.split('/');
        let first = parts.next()?;
        let slug = match first {
            "badges" => parts.next()?.trim_end_matches(".svg"),
            slug => slug,
        };
        self.packs.get(slug).map(|o| &**o)
    }

    /// A file of the site; a pack's own file wins, as in a full build's output.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.pack(path)
            .and_then(|o| o.get(path))
            .or_else(|| self.site_wide.get(path))
    }
}

/// What the server serves: the last good site, and the errors of the last build if it failed.
pub struct State {
    pub base: String,
    pub site: Option<Layers>,
    pub errors: Vec<Diagnostic>,
    /// Counts rebuilds, so a page loaded before one knows it missed it.
    pub generation: u64,
    /// The packs' pages are new and the site-wide ones are being brought up to date:
    /// requests for those wait, so no page is ever older than the reload event.
    pub site_wide_pending: bool,
}

/// The state, and a signal for requests waiting on the site-wide pages.
pub struct Shared {
    pub state: Mutex<State>,
    pub ready: Condvar,
}

impl Shared {
    fn update(&self, f: impl FnOnce(&mut State)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
        }
        self.ready.notify_all();
    }
}

/// Brings the served site up to date with the session: the packs' pages first, so the
/// reload goes out at once, then the site-wide pages. Returns the number of errors and
/// when the reload went out.
fn refresh(session: &mut Session, shared: &Shared, clients: &Clients) -> (usize, Option<Instant>) {
    let diagnostics = session.diagnostics();
    let mut errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if errors.is_empty() {
        if let Err(e) = session.render_packs() {
            errors = e;
        }
    }
    if !errors.is_empty() {
        print_diagnostics(&diagnostics);
        let message = event(&errors);
        let count = errors.len();
        shared.update(|s| {
            s.errors = errors;
            s.generation += 1;
        });
        clients.send(&message);
        return (count, None);
    }
    let packs: HashMap<String, Arc<Output>> = session
        .pack_outputs()
        .into_iter()
        .map(|(slug, o)| (slug.to_string(), o))
        .collect();
    // What is replaced is freed after the lock is let go, not while requests wait on it.
    let mut replaced = None;
    shared.update(|s| {
        let site_wide = s
            .site
            .as_ref()
            .map(|l| Arc::clone(&l.site_wide))
            .unwrap_or_default();
        replaced = s.site.replace(Layers { packs, site_wide });
        s.site_wide_pending = true;
        s.errors.clear();
        s.generation += 1;
    });
    clients.send(&event(&[]));
    let reloaded = Some(Instant::now());
    match session.render_site_wide() {
        Ok(site_wide) => {
            let mut old_site_wide = None;
            shared.update(|s| {
                if let Some(l) = s.site.as_mut() {
                    old_site_wide = Some(std::mem::replace(&mut l.site_wide, Arc::new(site_wide)));
                }
                s.site_wide_pending = false;
            });
            drop((replaced, old_site_wide));
            (0, reloaded)
        }
        Err(e) => {
            print_diagnostics(&e);
            let message = event(&e);
            let count = e.len();
            shared.update(|s| {
                s.site_wide_pending = false;
                s.errors = e;
                s.generation += 1;
            });
            clients.send(&message);
            (count, reloaded)
        }
    }
}

/// Runs `rollbook serve` until the process is stopped.
pub fn run(root: &Path, opts: Options, interface: &str, port: u16, open: bool) -> u8 {
    let started = Instant::now();
    let mut session = Session::new(root, opts);
    let base = session.site().config.base_path.clone();
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            base: base.clone(),
            site: None,
            errors: Vec::new(),
            generation: 0,
            site_wide_pending: false,
        }),
        ready: Condvar::new(),
    });
    let clients = Arc::new(Clients::default());
    let warnings: Vec<Diagnostic> = session
        .diagnostics()
        .into_iter()
        .filter(|d| !d.is_error())
        .collect();
    if refresh(&mut session, &shared, &clients).0 == 0 {
        print_diagnostics(&warnings);
    }

    let server = match Server::http((interface, port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            crate::errln!("error: cannot listen on {interface}:{port}: {e}; is another server using the port? Pass another with -p PORT");
            return USAGE_ERROR;
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| format!("{interface}:{port}"), |a| a.to_string());
    let url = format!("http://{addr}{base}");

    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher =
        match notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                if matches!(event.kind, EventKind::Access(_)) {
                    return;
                }
                for p in event.paths {
                    let _ = tx.send(p);
                }
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                crate::errln!("error: cannot watch {} for changes: {e}", root.display());
                return CONTENT_ERROR;
            }
        };
    let _ = watcher.watch(root, RecursiveMode::NonRecursive);
    for dir in WATCHED {
        let d = root.join(dir);
        if d.is_dir() {
            let _ = watcher.watch(&d, RecursiveMode::Recursive);
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));

    {
        let shared = Arc::clone(&shared);
        let clients = Arc::clone(&clients);
        let watcher = Arc::clone(&watcher);
        let root = root.to_path_buf();
        thread::spawn(move || {
            rebuild_loop(session, rx, &shared, &clients, |paths| {
                watch_new_folders(&root, &watcher, paths)
            })
        });
    }
    {
        let clients = Arc::clone(&clients);
        thread::spawn(move || loop {
            thread::sleep(HEARTBEAT);
            clients.send(": keep-alive\n\n");
        });
    }
    // Announced once watching, so an edit made right after is seen.
    crate::outln!(
        "serving {} at {url} (built in {} ms); press Ctrl+C to stop",
        root.display(),
        started.elapsed().as_millis()
    );
    let _ = std::io::stdout().flush();
    if open {
        if let Err(e) = opener::open_browser(&url) {
            crate::errln!("warning: cannot open a browser: {e}");
        }
    }
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let shared = Arc::clone(&shared);
            let clients = Arc::clone(&clients);
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    handle(request, &shared, &clients);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    OK
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = write!(err, "{}", d.to_text());
    }
}

/// The site's folders watched for changes, besides `site.toml` in the root.
const WATCHED: [&str; 4] = ["content", "templates", "themes", "static"];

/// Starts watching a site folder created while serving (the root is watched flat).
fn watch_new_folders(root: &Path, watcher: &Mutex<notify::RecommendedWatcher>, paths: &[PathBuf]) {
    for p in paths {
        let is_site_folder = p.parent() == Some(root)
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| WATCHED.contains(&n));
        if is_site_folder && p.is_dir() {
            if let Ok(mut w) = watcher.lock() {
                let _ = w.watch(p, RecursiveMode::Recursive);
            }
        }
    }
}

/// Waits for changes, lets a burst of events from one save settle, and rebuilds.
fn rebuild_loop(
    mut session: Session,
    rx: Receiver<PathBuf>,
    shared: &Shared,
    clients: &Clients,
    on_paths: impl Fn(&[PathBuf]),
) {
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut paths = vec![first];
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            match rx.recv_timeout(QUIET.min(left)) {
                Ok(p) => paths.push(p),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() >= MAX_WAIT {
                break;
            }
        }
        paths.sort();
        paths.dedup();
        on_paths(&paths);
        if !session.apply(&paths) {
            continue;
        }
        let (errors, reloaded) = refresh(&mut session, shared, clients);
        let reload = reloaded
            .map(|t| {
                format!(
                    ", pages reloaded after {} ms",
                    t.duration_since(started).as_millis()
                )
            })
            .unwrap_or_default();
        let broken = if errors > 0 {
            format!(" with {errors} error(s); serving the last good site")
        } else {
            String::new()
        };
        crate::errln!(
            "rebuilt in {} ms{reload}{broken}",
            started.elapsed().as_millis()
        );
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// The content type of an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonl" | "ndjson" => "application/x-ndjson",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The output path a request path names, or `None` when it is outside the site
/// (above the base path, `..` segments, backslashes, encoded or not).
pub fn resolve(url: &str, base: &str) -> Option<String> {
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
    if rest.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    if rest.is_empty() || rest.ends_with('/') {
        Some(format!("{rest}index.html"))
    } else {
        Some(rest.to_string())
    }
}

/// How long a request waits for the site-wide pages after a rebuild.
const SITE_WIDE_WAIT: Duration = Duration::from_secs(10);

/// A consistent view of the state for one request. A request for a site-wide page
/// waits while those are being brought up to date.
fn snapshot(
    shared: &Shared,
    path: Option<&str>,
) -> Option<(String, Option<Layers>, Vec<Diagnostic>, u64)> {
    let mut s = shared.state.lock().ok()?;
    let deadline = Instant::now() + SITE_WIDE_WAIT;
    loop {
        let in_pack = match (&s.site, path) {
            (Some(l), Some(p)) => l.pack(p).is_some_and(|o| o.get(p).is_some()),
            _ => false,
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if !s.site_wide_pending || in_pack || left.is_zero() {
            return Some((
                s.base.clone(),
                s.site.clone(),
                s.errors.clone(),
                s.generation,
            ));
        }
        s = shared.ready.wait_timeout(s, left).ok()?.0;
    }
}

fn handle(request: Request, shared: &Shared, clients: &Clients) {
    let url = request.url().to_string();
    let base = match shared.state.lock() {
        Ok(s) => s.base.clone(),
        Err(_) => return,
    };
    let wanted = resolve(&url, &base);
    let Some((base, output, errors, generation)) = snapshot(shared, wanted.as_deref()) else {
        return;
    };
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let path_only = url.split('?').next().unwrap_or("");
    if path_only == format!("{base}{EVENTS}") {
        let since = url
            .split_once("since=")
            .and_then(|(_, v)| v.split('&').next())
            .and_then(|v| v.parse::<u64>().ok());
        return open_stream(request, since, generation, &errors, clients);
    }
    if path_only == "/" && base != "/" {
        let mut r = Response::empty(302);
        if let Some(h) = header("Location", &base) {
            r.add_header(h);
        }
        let _ = request.respond(r);
        return;
    }
    let found = wanted.and_then(|p| {
        let out = output.as_ref()?;
        if let Some(bytes) = out.get(&p) {
            return Some(Ok((p, bytes.to_vec())));
        }
        // A folder asked without its slash: redirect, as static hosts do.
        let folder = format!("{p}/index.html");
        out.get(&folder)
            .map(|_| Err(format!("{}/", path_only.trim_end_matches('/'))))
    });
    let (status, path, body) = match found {
        Some(Ok((p, bytes))) => (200, p, bytes),
        Some(Err(location)) => {
            let mut r = Response::empty(301);
            if let Some(h) = header("Location", &location) {
                r.add_header(h);
            }
            let _ = request.respond(r);
            return;
        }
        None => {
            let page = output
                .as_ref()
                .and_then(|o| o.get("404.html"))
                .map(<[u8]>::to_vec)
                .unwrap_or_else(|| {
                    b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
                        .to_vec()
                });
            (404, "404.html".to_string(), page)
        }
    };
    let body = if path.ends_with(".html") {
        let html = String::from_utf8_lossy(&body);
        let html = if output.is_none() {
            ERROR_PAGE.to_string()
        } else {
            html.into_owned()
        };
        inject(&html, &base, generation, &errors, output.is_some()).into_bytes()
    } else {
        body
    };
    let mut response = Response::from_data(body).with_status_code(status);
    if let Some(h) = header("Content-Type", content_type(&path)) {
        response.add_header(h);
    }
    if let Some(h) = header("Cache-Control", "no-store") {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

fn open_stream(
    request: Request,
    since: Option<u64>,
    generation: u64,
    errors: &[Diagnostic],
    clients: &Clients,
) {
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    // A page built before the latest rebuild catches up at once.
    if since.is_some_and(|s| s != generation)
        && w.write_all(event(errors).as_bytes())
            .and_then(|()| w.flush())
            .is_err()
    {
        return;
    }
    clients.add(w);
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
