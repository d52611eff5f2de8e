//! `rollbook serve`: live reload over a WebSocket, the error overlay, editor temp
//! files, requests outside the site, load, misbehaving clients, HTTP details, a busy port,
//! and a site folder left untouched. Each test starts its own server on a free port of
//! 127.0.0.1 and kills it on drop; every read has a timeout.

mod live_reload;
mod load;
mod process;
mod requests;

use crate::serve_support::*;
use scraper::{Html, Selector};
use std::fs;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

const SLUGS: [&str; 3] = ["alpha", "beta", "gamma"];

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector {s}: {e:?}"))
}

/// The whitespace-collapsed text of every element matching `selector`.
fn texts(html: &Html, selector: &str) -> Vec<String> {
    html.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn main_text(html: &Html) -> String {
    texts(html, "main").join(" ")
}

/// The site built in-process, exactly as `build` would write it.
fn built_files(root: &Path) -> std::collections::BTreeMap<String, Arc<[u8]>> {
    let opts = rollbook::Options {
        drafts: false,
        base_url: None,
        today: rollbook::parse_date(TODAY).expect("a date"),
    };
    let built = rollbook::build(root, &opts);
    built
        .output
        .unwrap_or_else(|| panic!("the test site builds: {:?}", built.diagnostics))
        .files
}

fn page(server: &Server, path: &str) -> (Response, Html) {
    let r = server.get(path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    let html = r.html();
    (r, html)
}
