//! Live reload: open pages' WebSocket connections and the messages they get, and what a
//! served page gets besides its own HTML (the client script, and the error overlay while
//! the build is broken).

use crate::domain::diag::Diagnostic;
use crate::serve::slots::Permit;
use serde::Serialize;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use tungstenite::protocol::frame::coding::{Control, Data, OpCode};
use tungstenite::protocol::frame::{Frame, FrameSocket};

/// The path of the live-reload WebSocket under the base path.
pub(crate) const EVENTS: &str = "__rollbook/events";

/// Messages a connection may fall behind by before it is dropped as stuck.
const BACKLOG: usize = 16;
/// The largest frame a page may send (it sends none but pongs and close).
const MAX_FRAME: usize = 64 * 1024;

enum Out {
    Text(Arc<str>),
    Ping,
    Close,
}

struct Inner {
    streams: Vec<SyncSender<Out>>,
    /// The generation of the last build, and the message that announced it.
    generation: u64,
    last: Arc<str>,
}

/// Open live-reload connections. Each has its own writer thread, so a page that stops
/// reading stalls only its own connection, never a rebuild or another page.
pub(crate) struct Clients {
    inner: Mutex<Inner>,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            inner: Mutex::new(Inner {
                streams: Vec::new(),
                generation: 0,
                last: Arc::from(message("reload", 0)),
            }),
        }
    }
}

impl Clients {
    /// Takes over an upgraded connection: registers it first, so no build after this call
    /// is missed, then sends the handshake answer, `hello` with the current generation and,
    /// when the page was built before it (`since`), the last build's message. The calling
    /// thread then reads the page's frames until it leaves.
    pub(crate) fn connect(
        &self,
        stream: Arc<TcpStream>,
        key: &str,
        since: Option<u64>,
        permit: Permit,
    ) {
        let (tx, rx) = mpsc::sync_channel::<Out>(BACKLOG);
        {
            let Ok(mut inner) = self.inner.lock() else {
                return;
            };
            let _ = tx.try_send(Out::Text(Arc::from(message("hello", inner.generation))));
            if since.is_some_and(|s| s != inner.generation) {
                let _ = tx.try_send(Out::Text(Arc::clone(&inner.last)));
            }
            inner.streams.push(tx.clone());
        }
        let handshake = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
            tungstenite::handshake::derive_accept_key(key.as_bytes())
        );
        let writer = Arc::clone(&stream);
        let spawned = thread::Builder::new()
            .name("live".into())
            .stack_size(128 * 1024)
            .spawn(move || {
                let mut w = &*writer;
                if w.write_all(handshake.as_bytes()).is_ok() {
                    for out in rx {
                        let (frame, last) = match out {
                            Out::Text(t) => (
                                Frame::message(
                                    t.as_bytes().to_vec(),
                                    OpCode::Data(Data::Text),
                                    true,
                                ),
                                false,
                            ),
                            Out::Ping => (Frame::ping(Vec::new()), false),
                            Out::Close => (Frame::close(None), true),
                        };
                        let mut bytes = Vec::with_capacity(frame.len());
                        if frame.format(&mut bytes).is_err()
                            || w.write_all(&bytes).and_then(|()| w.flush()).is_err()
                            || last
                        {
                            break;
                        }
                    }
                }
                let _ = writer.shutdown(Shutdown::Both);
            });
        if spawned.is_err() {
            let _ = stream.shutdown(Shutdown::Both);
            return;
        }
        // Read until the page leaves; it sends nothing but pongs and a close.
        let mut frames = FrameSocket::new(&*stream);
        while let Ok(Some(frame)) = frames.read(Some(MAX_FRAME)) {
            if frame.header().opcode == OpCode::Control(Control::Close) {
                let _ = tx.try_send(Out::Close);
                break;
            }
        }
        let _ = tx.try_send(Out::Close);
        let _ = stream.shutdown(Shutdown::Read);
        drop(permit);
    }

    /// Records a build and queues its message for every page, dropping those that are gone
    /// or stuck.
    pub(crate) fn broadcast(&self, generation: u64, text: String) {
        let text: Arc<str> = Arc::from(text);
        if let Ok(mut inner) = self.inner.lock() {
            inner.generation = generation;
            inner.last = Arc::clone(&text);
            inner
                .streams
                .retain(|tx| tx.try_send(Out::Text(Arc::clone(&text))).is_ok());
        }
    }

    /// Pings every page, so connections whose peer vanished are found and closed.
    pub(crate) fn heartbeat(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.streams.retain(|tx| tx.try_send(Out::Ping).is_ok());
        }
    }
}

/// A `hello` or `reload` message.
pub(crate) fn message(kind: &str, generation: u64) -> String {
    serde_json::json!({ "type": kind, "generation": generation }).to_string()
}

/// The `error` message: the diagnostics, and the overlay the page shows.
pub(crate) fn error_message(generation: u64, shown: &[Shown], overlay: &str) -> String {
    serde_json::json!({
        "type": "error",
        "generation": generation,
        "diagnostics": shown,
        "overlay": overlay,
    })
    .to_string()
}

/// A diagnostic as the overlay shows it: what `check` prints, split for the code frame.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Shown {
    pub severity: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The message up to its advice, and the advice (after `; `).
    pub headline: String,
    pub hint: Option<String>,
    /// The source line (cut to a window around the column), and the blanks before the caret.
    pub source: Option<String>,
    pub caret: Option<String>,
    /// Blanks as wide as the line number, to line the caret up under the source.
    pub gutter: String,
    /// Where the page at the problem is served, when there is one.
    pub url: Option<String>,
}

/// The diagnostics as shown; `link` gives the served page of one, if any.
pub(crate) fn shown(
    errors: &[Diagnostic],
    link: &mut dyn FnMut(&Diagnostic) -> Option<String>,
) -> Vec<Shown> {
    errors
        .iter()
        .map(|d| {
            let (headline, hint) = match d.message.split_once("; ") {
                Some((h, rest)) => (h.to_string(), Some(rest.to_string())),
                None => (d.message.clone(), None),
            };
            let (source, caret) = match &d.source_line {
                Some(full) => {
                    // The same window as the text output: long lines are cut around the column.
                    let skip = d.column.saturating_sub(60);
                    let src: String = full.chars().skip(skip).take(120).collect();
                    let pad: String = src
                        .chars()
                        .take(d.column.saturating_sub(1 + skip))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    (Some(src), Some(pad))
                }
                None => (None, None),
            };
            Shown {
                severity: if d.is_error() { "error" } else { "warning" },
                file: d.file.clone(),
                line: d.line,
                column: d.column,
                message: d.message.clone(),
                headline,
                hint,
                source,
                caret,
                gutter: " ".repeat(d.line.to_string().len()),
                url: link(d),
            }
        })
        .collect()
}

const OVERLAY_TEMPLATE: &str =
    include_str!("../../themes/default/templates/partials/live_errors.html");

/// The overlay template, from the built-in theme: a site's own templates may be what is
/// broken, so the overlay never depends on them.
fn overlay_tera() -> Option<&'static tera::Tera> {
    static TERA: OnceLock<Option<tera::Tera>> = OnceLock::new();
    TERA.get_or_init(|| {
        let mut t = tera::Tera::default();
        t.add_raw_template("live_errors.html", OVERLAY_TEMPLATE)
            .ok()?;
        Some(t)
    })
    .as_ref()
}

/// The error overlay shown on top of served pages while the build is broken.
pub(crate) fn overlay(shown: &[Shown], has_good: bool) -> String {
    if shown.is_empty() {
        return String::new();
    }
    let mut ctx = tera::Context::new();
    ctx.insert("diagnostics", shown);
    ctx.insert("has_good", &has_good);
    overlay_tera()
        .and_then(|t| t.render("live_errors.html", &ctx).ok())
        .unwrap_or_else(|| {
            // Only if the built-in template itself failed: a plain list.
            let items: String = shown
                .iter()
                .map(|d| {
                    format!(
                        "<li>{}:{}:{} {}</li>",
                        crate::render::highlight::escape(&d.file),
                        d.line,
                        d.column,
                        crate::render::highlight::escape(&d.message)
                    )
                })
                .collect();
            format!("<div id=\"rollbook-errors\" role=\"alert\"><ul>{items}</ul></div>")
        })
}

/// Served for every page until the site has built once; the errors go on top.
pub(crate) const ERROR_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Build failed</title></head><body><main><h1>Fix the errors above</h1><p>This page reloads by itself once the site builds.</p></main></body></html>";

/// Adds the error overlay (if any) at the top of the body and the reload script at its end.
pub(crate) fn inject(html: &str, base: &str, generation: u64, overlay: &str) -> String {
    let script = format!(
        "<script>{}</script>",
        CLIENT
            .replace("__EVENTS__", &format!("{base}{EVENTS}"))
            .replace("__GENERATION__", &generation.to_string())
    );
    let mut out = String::with_capacity(html.len() + script.len() + overlay.len());
    let body_open = html
        .find("<body")
        .and_then(|i| html.get(i..)?.find('>').map(|j| i + j + 1));
    match body_open {
        Some(i) => {
            out.push_str(html.get(..i).unwrap_or(""));
            out.push_str(overlay);
            out.push_str(html.get(i..).unwrap_or(""));
        }
        None => {
            out.push_str(overlay);
            out.push_str(html);
        }
    }
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &script),
        None => out.push_str(&script),
    }
    out
}

/// The live-reload client: reloads on `reload`, shows errors on `error`, reconnects.
const CLIENT: &str = include_str!("live.js");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::diag::Kind;

    #[test]
    fn injects_overlay_and_script() {
        let errors = vec![Diagnostic::error(
            Kind::ContentError,
            "content/a/data.md",
            3,
            5,
            "bad <key>; write it so",
        )
        .with_source("x\ny\nab = <key>\n")];
        let shown = shown(&errors, &mut |_| Some("/r/a/data/#ab".into()));
        let html = inject(
            "<html><body class=\"x\"><p>hi</p></body></html>",
            "/r/",
            4,
            &overlay(&shown, true),
        );
        // Tera escapes `/` too.
        let html = html.replace("&#x2F;", "/");
        let body = html.find("<body class=\"x\">").unwrap();
        let overlay = html.find("rollbook-errors").unwrap();
        let p = html.find("<p>hi</p>").unwrap();
        assert!(body < overlay && overlay < p);
        assert!(html.contains("content/a/data.md:3:5"));
        assert!(html.contains("bad &lt;key&gt;"));
        assert!(html.contains("write it so"));
        assert!(html.contains("href=\"/r/a/data/#ab\""));
        assert!(html.contains("last good version"));
        assert!(html.contains("ab = &lt;key&gt;"));
        assert!(html.contains("    ^"), "the caret under column 5: {html}");
        assert!(html.contains("\"/r/__rollbook/events\""));
        assert!(html.contains("generation = \"4\""));
        assert!(html.ends_with("</script></body></html>"));
    }

    #[test]
    fn no_last_good_version_without_one() {
        let errors = vec![Diagnostic::error(
            Kind::ContentError,
            "site.toml",
            1,
            1,
            "m",
        )];
        let o = overlay(&shown(&errors, &mut |_| None), false);
        assert!(!o.contains("last good"), "{o}");
        assert!(o.contains("site.toml:1:1"), "{o}");
        assert!(overlay(&[], true).is_empty());
    }

    #[test]
    fn messages() {
        let hello: serde_json::Value = serde_json::from_str(&message("hello", 7)).unwrap();
        assert_eq!(hello, serde_json::json!({"type": "hello", "generation": 7}));
        let d = shown(
            &[Diagnostic::error(Kind::ContentError, "f.md", 1, 2, "m")],
            &mut |_| None,
        );
        let e: serde_json::Value =
            serde_json::from_str(&error_message(3, &d, "<div></div>")).unwrap();
        assert_eq!(e["type"], "error");
        assert_eq!(e["diagnostics"][0]["file"], "f.md");
        assert_eq!(e["diagnostics"][0]["line"], 1);
        assert_eq!(e["diagnostics"][0]["column"], 2);
        assert_eq!(e["overlay"], "<div></div>");
    }
}
