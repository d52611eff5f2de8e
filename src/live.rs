//! Live reload: the event stream's messages and readers, and what a served page gets
//! besides its own HTML (the client script, and the errors while the build is broken).

use crate::diag::Diagnostic;
use crate::highlight::escape;
use std::io::Write;
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;

/// The path of the event stream under the base path.
pub const EVENTS: &str = "__rollbook/events";

/// Messages a stream may fall behind by before it is dropped as stuck.
const BACKLOG: usize = 16;

/// Open event streams. Each has its own writer thread, so a reader that stops
/// reading stalls only its own stream, never a rebuild or another reader.
#[derive(Default)]
pub struct Clients {
    streams: Mutex<Vec<SyncSender<Arc<str>>>>,
}

impl Clients {
    pub fn add(&self, mut w: Box<dyn Write + Send>) {
        let (tx, rx) = mpsc::sync_channel::<Arc<str>>(BACKLOG);
        thread::spawn(move || {
            for message in rx {
                if w.write_all(message.as_bytes())
                    .and_then(|()| w.flush())
                    .is_err()
                {
                    break;
                }
            }
        });
        if let Ok(mut s) = self.streams.lock() {
            s.push(tx);
        }
    }

    /// Queues a message for every stream, dropping those that are gone or stuck.
    pub fn send(&self, message: &str) {
        let message: Arc<str> = Arc::from(message);
        if let Ok(mut streams) = self.streams.lock() {
            streams.retain(|tx| tx.try_send(Arc::clone(&message)).is_ok());
        }
    }

    pub fn count(&self) -> usize {
        self.streams.lock().map_or(0, |s| s.len())
    }
}

/// The SSE message for a build result.
pub fn event(built_errors: &[Diagnostic]) -> String {
    if built_errors.is_empty() {
        "event: reload\ndata: ok\n\n".to_string()
    } else {
        let data = serde_json::to_string(built_errors).unwrap_or_else(|_| "[]".into());
        format!("event: error\ndata: {data}\n\n")
    }
}

/// The error list shown on top of served pages while the build is broken.
pub fn overlay(errors: &[Diagnostic], has_good: bool) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let title = if has_good {
        "The last edit broke the build; this is the last good version."
    } else {
        "The site does not build yet."
    };
    let mut out = format!(
        "<div id=\"rollbook-errors\" role=\"alert\" style=\"position:sticky;top:0;z-index:1000;background:#fff0f0;color:#7a0000;border-bottom:3px solid #c00;padding:.75rem 1rem;font:14px/1.4 ui-monospace,monospace\"><strong>{title}</strong><ul style=\"margin:.5rem 0 0;padding-left:1.25rem\">"
    );
    for d in errors {
        out.push_str(&format!(
            "<li><code>{}:{}:{}</code> {}</li>",
            escape(&d.file),
            d.line,
            d.column,
            escape(&d.message)
        ));
    }
    out.push_str("</ul></div>");
    out
}

/// Served for every page until the site has built once; the errors go on top.
pub const ERROR_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><main><h1>Fix the errors above</h1><p>This page reloads by itself once the site builds.</p></main></body></html>";

/// Adds the error overlay (if any) at the top of the body and the reload script at its end.
pub fn inject(
    html: &str,
    base: &str,
    generation: u64,
    errors: &[Diagnostic],
    has_good: bool,
) -> String {
    let script = format!(
        "<script>{}</script>",
        CLIENT
            .replace("__EVENTS__", &format!("{base}{EVENTS}"))
            .replace("__GENERATION__", &generation.to_string())
    );
    let mut out = String::with_capacity(html.len() + script.len() + 512);
    let body_open = html
        .find("<body")
        .and_then(|i| html.get(i..)?.find('>').map(|j| i + j + 1));
    match body_open {
        Some(i) => {
            out.push_str(html.get(..i).unwrap_or(""));
            out.push_str(&overlay(errors, has_good));
            out.push_str(html.get(i..).unwrap_or(""));
        }
        None => {
            out.push_str(&overlay(errors, has_good));
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

    #[test]
    fn injects_overlay_and_script() {
        let errors = vec![Diagnostic::error("content/a/data.md", 3, 1, "bad <key>")];
        let html = inject(
            "<html><body class=\"x\"><p>hi</p></body></html>",
            "/r/",
            4,
            &errors,
            true,
        );
        let body = html.find("<body class=\"x\">").unwrap();
        let overlay = html.find("rollbook-errors").unwrap();
        let p = html.find("<p>hi</p>").unwrap();
        assert!(body < overlay && overlay < p);
        assert!(html.contains("content/a/data.md:3:1"));
        assert!(html.contains("bad &lt;key&gt;"));
        assert!(html.contains("\"/r/__rollbook/events\""));
        assert!(html.contains("generation = \"4\""));
        assert!(html.ends_with("</script></body></html>"));
    }

    #[test]
    fn events() {
        assert_eq!(event(&[]), "event: reload\ndata: ok\n\n");
        let e = event(&[Diagnostic::error("f.md", 1, 2, "m")]);
        assert!(e.starts_with("event: error\ndata: [{\"severity\":\"error\",\"file\":\"f.md\",\"line\":1,\"column\":2,\"message\":\"m\"}]"));
    }
}
