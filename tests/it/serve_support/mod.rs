//! Helpers for the `serve` and incremental-rebuild tests: a small site on disk, the
//! `rollbook serve` child process (killed on drop), raw HTTP over `TcpStream` and a
//! live-reload (WebSocket) client. Everything has a deadline; all traffic goes to 127.0.0.1.

use std::fs;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub const TODAY: &str = "2026-11-26";
pub const BASE: &str = "/ai-packs/";
/// A line that exists only in `site.toml`: a served body holding it leaked the file.
pub const TOML_MARKER: &str = "toml-only-marker-5d1e9c";
pub const SITE_TOML: &str = "# toml-only-marker-5d1e9c\ntitle = \"Acme AI rollout packs\"\nbase_url = \"https://acme.github.io/ai-packs\"\n\n[rhythm]\nstale_after_days = 14\n";

/// The longest any single wait may take.
pub const DEADLINE: Duration = Duration::from_secs(10);
/// The first build of a debug binary on a busy machine may be slow.
const STARTUP: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// Sites on disk
// ---------------------------------------------------------------------------

// The site fixtures of the other integration tests.
pub use crate::common::{complete_toml, md, STEMS};

/// The body of a section file as the test sites write it.
pub fn notes(slug: &str, stem: &str) -> String {
    format!("Notes of {slug} {stem}.\n\n## Details\n\n- [ ] Check the {stem} answers of {slug}\n")
}

/// `n` eval cases, one JSON object a line.
pub fn jsonl_cases(n: usize) -> String {
    (1..=n)
        .map(|i| format!("{{\"id\": \"case-{i}\", \"input\": \"ticket {i}\"}}\n"))
        .collect()
}

/// A results line.
pub fn run_line(date: &str, model: &str, accuracy: f64) -> String {
    format!("{{\"date\": \"{date}\", \"version\": \"prompt-v1\", \"model\": \"{model}\", \"cost\": 0.42, \"metrics\": {{\"accuracy\": {accuracy}}}}}\n")
}

/// Writes a file under `root`, creating its folders.
pub fn write(root: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
}

/// Writes a section file of a pack.
pub fn write_section(root: &Path, slug: &str, stem: &str, toml: &str, body: &str) {
    write(root, &format!("content/{slug}/{stem}.md"), md(toml, body));
}

/// Every section filled, 25 eval cases, two passing runs.
pub fn complete_pack(root: &Path, slug: &str) {
    for stem in STEMS {
        write_section(root, slug, stem, complete_toml(stem), &notes(slug, stem));
    }
    write(
        root,
        &format!("content/{slug}/evals/cases.jsonl"),
        jsonl_cases(25),
    );
    let results = run_line("2026-11-10", "acme/small-2", 0.91)
        + &run_line("2026-11-20", "acme/small-2", 0.95);
    write(
        root,
        &format!("content/{slug}/evals/results.jsonl"),
        results,
    );
}

/// A pack with only some sections, for variety (no eval files).
pub fn partial_pack(root: &Path, slug: &str) {
    for stem in ["workflow", "accountability", "data", "operability"] {
        write_section(root, slug, stem, complete_toml(stem), &notes(slug, stem));
    }
}

/// A site with `site.toml`, a home intro, a static folder and the given packs: the first
/// and second complete (the first with an extra page and an image), the rest partial.
pub fn make_site(root: &Path, slugs: &[&str]) {
    write(root, "site.toml", SITE_TOML);
    write(
        root,
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\n# Our packs\n\nThe home intro of the test site.\n",
    );
    write(root, "static/extra.css", "body { --test-extra: 1; }\n");
    write(root, "static/data/info.json", "{\"info\": true}\n");
    for (i, slug) in slugs.iter().enumerate() {
        if i < 2 {
            complete_pack(root, slug);
        } else {
            partial_pack(root, slug);
        }
    }
    if let Some(first) = slugs.first() {
        write(
            root,
            &format!("content/{first}/guide.md"),
            "+++\ntitle = \"Triage guide\"\n+++\n# Guide\n\nRead the [incident answers](incident.md#paging).\n\n## Queues\n\nText.\n",
        );
        write(
            root,
            &format!("content/{first}/flow.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>\n",
        );
    }
}

/// A temporary site made by [`make_site`].
pub fn temp_site(slugs: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    make_site(dir.path(), slugs);
    dir
}

/// Every file and folder under `dir`, by relative path: the bytes of files, `None` for folders.
pub fn listing(dir: &Path) -> std::collections::BTreeMap<String, Option<Vec<u8>>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            let rel = p
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            if p.is_dir() {
                out.insert(rel, None);
                stack.push(p);
            } else {
                out.insert(rel, Some(fs::read(&p).expect("read")));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The server process
// ---------------------------------------------------------------------------

/// How to start a server besides the defaults.
#[derive(Default)]
pub struct Options {
    pub env: Vec<(String, String)>,
    /// The open-file limit (soft and hard) of the server process.
    pub nofile: Option<u64>,
}

/// A running `rollbook serve`, killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    /// The `serving … at http://…` line.
    pub banner: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// `rollbook --root <root> --today 2026-11-26 serve -p 0`, once it has printed its address.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &Options::default())
    }

    /// [`Server::start`] with extra environment variables and, on Unix, an open-file limit.
    pub fn start_with(root: &Path, options: &Options) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rollbook"));
        command
            .args([
                "--root",
                root.to_str().expect("utf-8 path"),
                "--today",
                TODAY,
                "serve",
                "-p",
                "0",
            ])
            .current_dir(root)
            .env_remove("ROLLBOOK_TODAY")
            .envs(options.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        if let Some(limit) = options.nofile {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit is a single system call, safe between fork and exec.
            unsafe {
                command.pre_exec(move || rlimit::setrlimit(rlimit::Resource::NOFILE, limit, limit));
            }
        }
        let mut child = command.spawn().expect("spawn rollbook serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr_pipe = child.stderr.take().expect("stderr");
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            // Drain stderr so the server never blocks on a full pipe.
            let stderr = Arc::clone(&stderr);
            thread::spawn(move || {
                let mut r = BufReader::new(stderr_pipe);
                let mut line = String::new();
                while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    if let Ok(mut s) = stderr.lock() {
                        s.push_str(&line);
                    }
                    line.clear();
                }
            });
        }
        let (tx, rx) = mpsc::channel::<String>();
        thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let _ = tx.send(line.clone());
                line.clear();
            }
        });
        let mut server = Server {
            child,
            port: 0,
            banner: String::new(),
            stderr,
        };
        let started = Instant::now();
        loop {
            let left = STARTUP.saturating_sub(started.elapsed());
            match rx.recv_timeout(left.min(Duration::from_millis(200))) {
                Ok(line) if line.starts_with("serving ") => {
                    server.banner = line.trim_end().to_string();
                    break;
                }
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) if left > Duration::ZERO => {
                    if let Ok(Some(status)) = server.child.try_wait() {
                        panic!(
                            "rollbook serve exited with {status} before serving:\n{}",
                            server.stderr()
                        );
                    }
                }
                Err(_) => panic!(
                    "rollbook serve printed no `serving` line in time:\n{}",
                    server.stderr()
                ),
            }
        }
        let prefix = "at http://127.0.0.1:";
        let at = server
            .banner
            .find(prefix)
            .unwrap_or_else(|| panic!("no address in `{}`", server.banner));
        let digits: String = server.banner[at + prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        server.port = digits
            .parse()
            .unwrap_or_else(|_| panic!("no port in `{}`", server.banner));
        assert_ne!(server.port, 0, "{}", server.banner);
        // The banner comes once the site folder is watched: an edit from now on is seen.
        server
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Whether the process still runs.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// A connected socket with read and write timeouts.
    pub fn connect(&self) -> TcpStream {
        connect(self.port)
    }

    /// `GET path` with `Connection: close`.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    pub fn request(&self, method: &str, target: &str) -> Response {
        raw(
            self.port,
            &format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    }

    /// Sends `request` verbatim (no client normalises the target) and reads the response.
    pub fn raw(&self, request: &str) -> Response {
        raw(self.port, request)
    }

    /// Opens the live-reload connection, optionally with `?since=<generation>`.
    pub fn events(&self, since: Option<u64>) -> Events {
        Events::open(self.port, since)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn connect(port: u16) -> TcpStream {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    s.set_write_timeout(Some(Duration::from_secs(5)))
        .expect("write timeout");
    s
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.text())
    }
}

/// Sends `request` and reads the whole response (the request should ask to close).
pub fn raw(port: u16, request: &str) -> Response {
    let mut s = connect(port);
    s.write_all(request.as_bytes()).expect("send the request");
    let bytes = read_to_end(&mut s, DEADLINE);
    parse_response(&bytes).unwrap_or_else(|| {
        panic!(
            "no HTTP response to {request:?}: {:?}",
            String::from_utf8_lossy(&bytes)
        )
    })
}

/// Reads until the peer closes or the deadline passes.
pub fn read_to_end(s: &mut TcpStream, within: Duration) -> Vec<u8> {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        let left = within.saturating_sub(started.elapsed());
        assert!(
            left > Duration::ZERO,
            "the server did not finish its response within {within:?}"
        );
        let _ = s.set_read_timeout(Some(left.min(Duration::from_secs(1))));
        match s.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return out,
            Err(e) => panic!("read: {e}"),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Parses a full HTTP/1.x response (Content-Length, chunked or read-to-close bodies).
pub fn parse_response(bytes: &[u8]) -> Option<Response> {
    let end = find(bytes, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status: u16 = status_line.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let mut body = bytes[end + 4..].to_vec();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body)?;
    } else if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.truncate(len);
    }
    Some(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

/// Splits a served HTML page into the page without the live-reload script, and the script.
/// Panics unless exactly one such script sits right before `</body>`.
pub fn strip_reload_script(served: &str) -> (String, String) {
    let body_end = served.rfind("</body>").expect("a </body>");
    let start = served[..body_end]
        .rfind("<script>")
        .expect("an injected <script> before </body>");
    let script = &served[start..body_end];
    assert!(
        script.ends_with("</script>"),
        "the injected script ends right before </body>"
    );
    assert!(
        script.contains("__rollbook/events"),
        "the script listens on the event stream: {script}"
    );
    (
        format!("{}{}", &served[..start], &served[body_end..]),
        script.to_string(),
    )
}

/// The build generation a served page was rendered at (`generation = "N"` in its script).
pub fn page_generation(served: &str) -> u64 {
    let key = "generation = \"";
    let at = served.find(key).expect("a generation in the reload script");
    served[at + key.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a number")
}

// ---------------------------------------------------------------------------
// Live reload (WebSocket)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The message's `type`: `reload`, `error`, …
    pub name: String,
    /// For `error`, the diagnostics (a JSON array); else the generation.
    pub data: String,
    pub json: serde_json::Value,
}

impl Event {
    fn from_text(text: &str) -> Event {
        let json: serde_json::Value = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("a live-reload message is not JSON ({e}): {text}"));
        let name = json["type"].as_str().unwrap_or("").to_string();
        let data = if name == "error" {
            json["diagnostics"].to_string()
        } else {
            json["generation"].to_string()
        };
        Event { name, data, json }
    }
}

type Socket = tungstenite::WebSocket<TcpStream>;

/// An open live-reload connection, past its first message (`hello`).
pub struct Events {
    socket: Socket,
    /// The generation the server announced on connecting.
    pub generation: u64,
}

impl Events {
    pub fn open(port: u16, since: Option<u64>) -> Events {
        let query = since.map(|g| format!("?since={g}")).unwrap_or_default();
        Events::open_path(port, &format!("{BASE}__rollbook/events{query}"))
    }

    /// Connects to the live-reload WebSocket at `target` (path and query) and waits for
    /// its `hello`: from then on, no rebuild is missed.
    pub fn open_path(port: u16, target: &str) -> Events {
        let stream = connect(port);
        let url = format!("ws://127.0.0.1:{port}{target}");
        let (socket, response) = tungstenite::client::client(url.as_str(), stream)
            .unwrap_or_else(|e| panic!("the live-reload handshake at {target} failed: {e}"));
        assert_eq!(response.status().as_u16(), 101);
        let mut events = Events {
            socket,
            generation: 0,
        };
        match events.next_any(DEADLINE) {
            Some(e) if e.name == "hello" => {
                events.generation = e.json["generation"].as_u64().expect("a generation");
            }
            other => panic!("the first message of {target} is not `hello`: {other:?}"),
        }
        events
    }

    /// The next message of any type, or `None` when none comes within `within`.
    fn next_any(&mut self, within: Duration) -> Option<Event> {
        let started = Instant::now();
        loop {
            let left = within.saturating_sub(started.elapsed());
            if left.is_zero() {
                return None;
            }
            let _ = self
                .socket
                .get_mut()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))));
            match self.socket.read() {
                Ok(tungstenite::Message::Text(t)) => return Some(Event::from_text(t.as_str())),
                Ok(tungstenite::Message::Close(_)) => return None,
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                    ) => {}
                Err(_) => return None,
            }
        }
    }

    /// The next event (not `hello`), or `None` when none comes within `within` (or the
    /// connection ends).
    pub fn next(&mut self, within: Duration) -> Option<Event> {
        let started = Instant::now();
        loop {
            let e = self.next_any(within.saturating_sub(started.elapsed()))?;
            if e.name != "hello" {
                return Some(e);
            }
        }
    }

    /// The next event, which must be `name`.
    pub fn expect(&mut self, name: &str) -> Event {
        match self.next(DEADLINE) {
            Some(e) if e.name == name => e,
            Some(e) => panic!("expected a `{name}` event, got {e:?}"),
            None => panic!("no `{name}` event within {DEADLINE:?}"),
        }
    }

    /// Asserts that no event arrives within `within`.
    pub fn expect_none(&mut self, within: Duration, why: &str) {
        if let Some(e) = self.next(within) {
            panic!("{why}: got {e:?}");
        }
    }

    /// Closes the connection abruptly.
    pub fn close(self) {
        let _ = self.socket.get_ref().shutdown(Shutdown::Both);
    }
}
