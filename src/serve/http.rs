//! A small HTTP/1.1 server for `serve` on `std::net` and `httparse`: an accept loop that
//! survives running out of file descriptors, a cap on open connections, a deadline for
//! request headers, size limits, keep-alive, and hand-over of upgraded connections.

use crate::serve::slots::{Permit, Slots};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// How long a client has to send complete request headers (also the keep-alive idle time).
pub(crate) const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Hidden: the header timeout in milliseconds, so tests need not wait ten seconds.
pub(crate) const HEADER_TIMEOUT_ENV: &str = "ROLLBOOK_SERVE_HEADER_TIMEOUT_MS";
/// Hidden, for tests: the connection cap, in place of the one worked out from the limit.
pub(crate) const MAX_CONNECTIONS_ENV: &str = "ROLLBOOK_SERVE_MAX_CONNECTIONS";
/// Open connections at most (live-reload connections included).
pub(crate) const MAX_CONNECTIONS: usize = 512;
/// File descriptors kept free for the site's files, the watcher and the rebuilds.
const FD_RESERVE: u64 = 128;
/// The longest request target; longer gets 414.
pub(crate) const MAX_TARGET: usize = 8 * 1024;
/// The most header bytes after the request line; more gets 431.
pub(crate) const MAX_HEADERS: usize = 16 * 1024;
const MAX_HEADER_COUNT: usize = 128;
/// How long a response may take to be taken by a slow reader.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Stack of a connection thread: requests are served from memory, little is needed.
const STACK: usize = 256 * 1024;

/// The header timeout in force: [`HEADER_TIMEOUT`] unless the hidden variable sets one.
pub(crate) fn header_timeout() -> Duration {
    header_timeout_from(std::env::var(HEADER_TIMEOUT_ENV).ok().as_deref())
}

fn header_timeout_from(value: Option<&str>) -> Duration {
    value
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map_or(HEADER_TIMEOUT, Duration::from_millis)
}

/// Raises the soft open-file limit to the hard one (Linux, macOS; nothing elsewhere) and
/// returns the connection cap: one that leaves room for everything else under that limit,
/// unless the hidden variable sets one.
pub(crate) fn raise_fd_limit() -> usize {
    let room = fd_room();
    std::env::var(MAX_CONNECTIONS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(room)
}

fn fd_room() -> usize {
    #[cfg(unix)]
    {
        let limit = rlimit::increase_nofile_limit(u64::MAX).ok().or_else(|| {
            rlimit::getrlimit(rlimit::Resource::NOFILE)
                .ok()
                .map(|l| l.0)
        });
        if let Some(limit) = limit {
            let room = limit.saturating_sub(FD_RESERVE).max(16);
            return usize::try_from(room).map_or(MAX_CONNECTIONS, |r| r.min(MAX_CONNECTIONS));
        }
    }
    MAX_CONNECTIONS
}

/// A parsed request head.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub method: String,
    /// The path and query, also for an absolute-form request line.
    pub target: String,
    /// The authority of an absolute-form request line, which stands for `Host`.
    pub authority: Option<String>,
    pub headers: Vec<(String, String)>,
    keep_alive: bool,
    has_body: bool,
}

impl Request {
    /// The first header named `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// How many headers are named `name`.
    pub(crate) fn header_count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }

    /// Whether a comma-separated header holds `token` (any case).
    pub(crate) fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// A response with its whole body.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A plain-text answer, for errors.
    pub(crate) fn text(status: u16, message: &str) -> Response {
        Response::new(status, format!("{message}\n"))
            .with("Content-Type", "text/plain; charset=utf-8")
    }

    pub(crate) fn with(mut self, name: &str, value: &str) -> Response {
        // Header values come from our own code; drop line breaks all the same.
        let clean = |s: &str| s.replace(['\r', '\n'], " ");
        self.headers.push((clean(name), clean(value)));
        self
    }
}

/// What a handler does with a request.
pub(crate) enum Reply {
    Respond(Response),
    /// Takes the connection over (after a protocol upgrade), with its slot.
    Upgrade(Box<dyn FnOnce(Arc<TcpStream>, Permit) + Send>),
}

pub(crate) type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// Limits of one server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

/// Accepts connections for ever, each on its own thread, at most `limits.max_connections`
/// at a time. A failing `accept` (out of file descriptors, say) is reported once and
/// retried after a short pause: the listener never stops.
pub(crate) fn serve(listener: TcpListener, limits: Limits, handler: Arc<Handler>) {
    let slots = Slots::new(limits.max_connections);
    let mut failing_since: Option<Instant> = None;
    let mut pause = Duration::from_millis(5);
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                if failing_since.take().is_some() {
                    crate::errln!("accepting connections again");
                }
                pause = Duration::from_millis(5);
                let Some(permit) = slots.acquire() else {
                    refuse(stream);
                    continue;
                };
                let handler = Arc::clone(&handler);
                let spawned = thread::Builder::new()
                    .name("http".into())
                    .stack_size(STACK)
                    .spawn(move || connection(stream, permit, limits, &*handler));
                if spawned.is_err() {
                    // The stream went with the closure and is closed; the client retries.
                    thread::sleep(pause);
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Interrupted
                        | ErrorKind::ConnectionAborted
                        | ErrorKind::ConnectionReset
                ) => {}
            Err(e) => {
                if failing_since.is_none() {
                    crate::errln!(
                        "warning: cannot accept a connection: {e}; retrying (too many open connections or files? `ulimit -n` shows the limit)"
                    );
                    failing_since = Some(Instant::now());
                }
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
        }
    }
}

/// Beyond the cap: a short 503, without a thread, then the connection is closed.
fn refuse(stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let body = "the server has too many open connections; try again\n";
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut s = &stream;
    let _ = s.write_all(head.as_bytes());
    let _ = stream.shutdown(Shutdown::Write);
}

/// What reading a request head gave.
enum Head {
    /// The head's length in the buffer, and the parsed request.
    Complete(usize, Request),
    /// The peer closed or failed before sending anything.
    Gone,
    /// The deadline passed; whether part of a request had come.
    TimedOut(bool),
    Error(u16, &'static str),
}

/// Serves requests on one connection until it closes, times out or is taken over.
fn connection(stream: TcpStream, permit: Permit, limits: Limits, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let stream = Arc::new(stream);
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    loop {
        let deadline = Instant::now() + limits.header_timeout;
        if buf.is_empty() {
            permit.idle(&stream);
        }
        let head = read_head(&stream, &mut buf, deadline, &permit);
        permit.busy();
        if permit.evicted() {
            return;
        }
        let (len, request) = match head {
            Head::Complete(len, r) => (len, r),
            Head::Gone => return,
            Head::TimedOut(partial) => {
                if partial {
                    let r = Response::text(408, "the request headers did not arrive in time");
                    let _ = write_response(&stream, &r, false, false);
                }
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
            Head::Error(status, message) => {
                let _ = write_response(&stream, &Response::text(status, message), false, false);
                linger(&stream);
                return;
            }
        };
        buf.drain(..len);
        let head_only = request.method == "HEAD";
        // A body is never read (only GET and HEAD are served): answer, then close.
        let keep_alive = request.keep_alive && !request.has_body;
        match handler(&request) {
            Reply::Respond(response) => {
                let keep = keep_alive && (response.status < 400 || response.status == 404);
                if write_response(&stream, &response, head_only, keep).is_err() {
                    return;
                }
                if !keep {
                    linger(&stream);
                    return;
                }
            }
            Reply::Upgrade(take) => {
                let _ = stream.set_read_timeout(None);
                take(stream, permit);
                return;
            }
        }
    }
}

/// Reads until `buf` holds a complete request head, within the limits and the deadline.
fn read_head(stream: &TcpStream, buf: &mut Vec<u8>, deadline: Instant, permit: &Permit) -> Head {
    let mut stream = stream;
    let mut chunk = [0u8; 4096];
    let mut scanned: usize = 0;
    loop {
        // Parse only once a blank line may have arrived.
        let from = scanned.saturating_sub(3);
        if buf.get(from..).is_some_and(|new| {
            new.windows(2).any(|w| w == b"\n\n") || new.windows(3).any(|w| w == b"\n\r\n")
        }) {
            match parse(buf) {
                Ok(Some(done)) => return done,
                Ok(None) => {}
                Err(e) => return e,
            }
        }
        scanned = buf.len();
        let line_end = buf.iter().position(|&b| b == b'\n');
        match line_end {
            None if buf.len() > MAX_TARGET + 64 => {
                return Head::Error(414, "the request URL is longer than 8 KB")
            }
            Some(end) if buf.len() - end > MAX_HEADERS + 4 => {
                return Head::Error(431, "the request headers are larger than 16 KB")
            }
            _ => {}
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Head::TimedOut(!buf.is_empty());
        }
        let _ = stream.set_read_timeout(Some(left));
        match stream.read(&mut chunk) {
            Ok(0) => return Head::Gone,
            Ok(n) => {
                if buf.is_empty() {
                    permit.busy();
                }
                buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Head::TimedOut(!buf.is_empty())
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Head::Gone,
        }
    }
}

/// Parses a request head: `Ok(None)` when it is not complete yet.
fn parse(buf: &[u8]) -> Result<Option<Head>, Head> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADER_COUNT];
    let mut req = httparse::Request::new(&mut headers);
    let len = match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Head::Error(431, "the request has too many headers"))
        }
        Err(_) => return Err(Head::Error(400, "the request is not valid HTTP/1.1")),
    };
    let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version) else {
        return Err(Head::Error(400, "the request is not valid HTTP/1.1"));
    };
    if target.len() > MAX_TARGET {
        return Err(Head::Error(414, "the request URL is longer than 8 KB"));
    }
    let line_len = buf.iter().position(|&b| b == b'\n').unwrap_or(0);
    if len.saturating_sub(line_len) > MAX_HEADERS + 4 {
        return Err(Head::Error(
            431,
            "the request headers are larger than 16 KB",
        ));
    }
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        authority: None,
        headers,
        keep_alive: false,
        has_body: false,
    };
    let (authority, path) = split_absolute(target);
    if let Some(a) = authority {
        request.authority = Some(a.to_string());
        request.target = path.to_string();
    }
    let close = request.has_token("connection", "close");
    request.keep_alive = if version >= 1 {
        !close
    } else {
        request.has_token("connection", "keep-alive")
    };
    request.has_body = request.header("transfer-encoding").is_some()
        || request
            .header("content-length")
            .is_some_and(|v| v.trim() != "0");
    Ok(Some(Head::Complete(len, request)))
}

/// `http://host:port/path?q` → (`host:port`, `/path?q`); other targets are left alone.
pub(crate) fn split_absolute(target: &str) -> (Option<&str>, &str) {
    let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        target.get(7..)
    } else if lower.starts_with("https://") {
        target.get(8..)
    } else {
        None
    };
    let Some(rest) = rest else {
        return (None, target);
    };
    match rest.find(['/', '?']) {
        Some(i) if rest.get(i..i + 1) == Some("/") => (rest.get(..i), rest.get(i..).unwrap_or("/")),
        Some(_) | None => (Some(rest.split('?').next().unwrap_or(rest)), "/"),
    }
}

/// Writes a response; a HEAD answer gets the headers only.
fn write_response(
    mut stream: &TcpStream,
    r: &Response,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (n, v) in &r.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", r.body.len()));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if !head_only {
        out.extend_from_slice(&r.body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

/// Closes after an answer without losing it: stops writing, reads what the client still
/// sends for a moment (closing with unread data would reset the connection), then closes.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 4096];
    let mut total = 0usize;
    let mut s = stream;
    while total < 256 * 1024 {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || s.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match s.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
}

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        426 => "Upgrade Required",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_timeout_is_ten_seconds_unless_set() {
        assert_eq!(HEADER_TIMEOUT, Duration::from_secs(10));
        assert_eq!(header_timeout_from(None), Duration::from_secs(10));
        assert_eq!(header_timeout_from(Some("250")), Duration::from_millis(250));
        assert_eq!(header_timeout_from(Some("0")), Duration::from_secs(10));
        assert_eq!(header_timeout_from(Some("soon")), Duration::from_secs(10));
    }

    #[test]
    fn absolute_form_targets() {
        assert_eq!(
            split_absolute("http://localhost:1111/a/b?x=1"),
            (Some("localhost:1111"), "/a/b?x=1")
        );
        assert_eq!(split_absolute("HTTP://127.0.0.1"), (Some("127.0.0.1"), "/"));
        assert_eq!(split_absolute("https://[::1]:8/x"), (Some("[::1]:8"), "/x"));
        assert_eq!(split_absolute("http://h?q"), (Some("h"), "/"));
        assert_eq!(split_absolute("/plain"), (None, "/plain"));
        assert_eq!(split_absolute("*"), (None, "*"));
    }

    #[test]
    fn parses_heads_and_limits() {
        let Ok(Some(Head::Complete(len, r))) = parse(
            b"GET http://localhost/x HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\nrest",
        ) else {
            panic!("a complete head");
        };
        assert_eq!(len, 68, "the head without `rest`");
        assert_eq!(
            (r.target.as_str(), r.authority.as_deref()),
            ("/x", Some("localhost"))
        );
        assert!(r.keep_alive && !r.has_body);
        assert!(matches!(parse(b"GET / HTTP/1.1\r\nHost: a\r\n"), Ok(None)));
        assert!(matches!(
            parse(b"\x00\x01 nonsense\r\n\r\n"),
            Err(Head::Error(400, _))
        ));
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET + 1));
        assert!(matches!(parse(long.as_bytes()), Err(Head::Error(414, _))));
        let big = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEADERS + 1)
        );
        assert!(matches!(parse(big.as_bytes()), Err(Head::Error(431, _))));
        let Ok(Some(Head::Complete(_, post))) =
            parse(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
        else {
            panic!("a complete head");
        };
        assert!(post.has_body && post.keep_alive);
    }
}
