//! `rollbook serve`: live reload over a WebSocket, the error overlay, editor temp
//! files, requests outside the site, load, misbehaving clients, HTTP details, a busy port,
//! and a site folder left untouched. Each test starts its own server on a free port of
//! 127.0.0.1 and kills it on drop; every read has a timeout.

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

// (1) ---------------------------------------------------------------------------------

#[test]
fn an_edit_sends_reload_and_the_page_serves_the_new_content() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    assert!(
        server
            .banner
            .contains(&format!(" at http://127.0.0.1:{}{BASE}", server.port)),
        "{}",
        server.banner
    );
    assert!(
        server.banner.contains(&root.display().to_string()),
        "{}",
        server.banner
    );

    let (_, before) = page(&server, "/ai-packs/alpha/workflow/");
    assert!(
        main_text(&before).contains("Notes of alpha workflow."),
        "{}",
        main_text(&before)
    );

    let mut events = server.events(None);
    write_section(
        root,
        "alpha",
        "workflow",
        complete_toml("workflow"),
        "Edited notes: marker-edit-1.\n\n## Fresh heading\n",
    );
    let e = events.expect("reload");
    assert!(
        e.json["generation"].as_u64() > Some(events.generation),
        "a reload names a newer generation than the hello: {e:?}"
    );

    let (r, after) = page(&server, "/ai-packs/alpha/workflow/");
    let text = main_text(&after);
    assert!(text.contains("Edited notes: marker-edit-1."), "{text}");
    assert!(!text.contains("Notes of alpha workflow."), "{text}");
    assert_eq!(
        texts(&after, "main h2#fresh-heading").len(),
        1,
        "{}",
        r.text()
    );
    assert!(
        texts(&after, "#rollbook-errors").is_empty(),
        "no overlay after a good build"
    );

    // A second edit to another pack's section: a second reload, and the dashboard follows.
    write_section(
        root,
        "beta",
        "accountability",
        "dri = \"TBD\"\n",
        "Who owns it? marker-edit-2\n",
    );
    events.expect("reload");
    let (_, beta) = page(&server, "/ai-packs/beta/accountability/");
    assert!(main_text(&beta).contains("marker-edit-2"));
    let status: serde_json::Value =
        serde_json::from_slice(&server.get("/ai-packs/status.json").body).expect("json");
    let beta = status["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["slug"] == "beta")
        .expect("beta");
    assert_eq!(
        beta["dri"],
        serde_json::Value::Null,
        "status.json was rebuilt: {beta}"
    );
}

#[test]
fn a_page_loaded_before_a_rebuild_catches_up_through_since() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    let (r, _) = page(&server, "/ai-packs/");
    let generation = page_generation(&r.text());

    // Up to date: nothing to catch up on.
    let mut current = server.events(Some(generation));
    current.expect_none(
        Duration::from_millis(400),
        "a stream opened at the current generation gets no event at once",
    );
    // An older generation gets a reload right away.
    let mut old = server.events(Some(generation.wrapping_sub(1)));
    old.expect("reload");

    write_section(
        root,
        "alpha",
        "data",
        complete_toml("data"),
        "Edited data notes.\n",
    );
    current.expect("reload");
    let (r, _) = page(&server, "/ai-packs/");
    let later = page_generation(&r.text());
    assert!(
        later > generation,
        "the generation grows with rebuilds: {generation} → {later}"
    );
    let mut stale = server.events(Some(generation));
    stale.expect("reload");
}

// (2) ---------------------------------------------------------------------------------

#[test]
fn a_broken_edit_sends_error_keeps_the_last_good_site_with_an_overlay_and_a_fix_reloads() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    let mut events = server.events(None);

    // A good edit first, so "the last good version" is a rebuilt one.
    write_section(
        root,
        "alpha",
        "workflow",
        complete_toml("workflow"),
        "Good notes: marker-good.\n",
    );
    events.expect("reload");
    let (r, _) = page(&server, "/ai-packs/alpha/workflow/");
    let good_generation = page_generation(&r.text());

    // Line 3 of the file holds an unterminated string.
    let broken = "+++\nname = \"Support triage\"\nprimary_user = \"Support agents\ntrigger = \"A new ticket arrives\"\n+++\nBroken notes: marker-broken.\n";
    write(root, "content/alpha/workflow.md", broken);
    let e = events.expect("error");
    let diags: serde_json::Value = serde_json::from_str(&e.data)
        .unwrap_or_else(|err| panic!("error data is JSON ({err}): {}", e.data));
    let list = diags.as_array().expect("a JSON array of diagnostics");
    assert!(!list.is_empty());
    for d in list {
        for key in ["severity", "file", "line", "column", "message"] {
            assert!(d.get(key).is_some(), "diagnostic without `{key}`: {d}");
        }
        assert_eq!(d["severity"], "error", "only errors are sent: {d}");
    }
    let d = list
        .iter()
        .find(|d| d["file"] == "content/alpha/workflow.md")
        .unwrap_or_else(|| panic!("no diagnostic names content/alpha/workflow.md: {}", e.data));
    assert_eq!(d["line"], 3, "{d}");
    let column = d["column"].as_u64().expect("a column");
    assert!(
        d["message"].as_str().is_some_and(|m| m.contains("TOML")),
        "{d}"
    );

    // Every page serves the last good version with the errors on top.
    let (r, html) = page(&server, "/ai-packs/alpha/workflow/");
    let text = main_text(&html);
    assert!(
        text.contains("Good notes: marker-good."),
        "the last good content: {text}"
    );
    assert!(!text.contains("marker-broken"), "{text}");
    let overlay = texts(&html, "body > #rollbook-errors");
    assert_eq!(
        overlay.len(),
        1,
        "one overlay, a direct child of body: {}",
        r.text()
    );
    assert!(
        overlay[0].contains(&format!("content/alpha/workflow.md:3:{column}")),
        "{}",
        overlay[0]
    );
    assert!(
        overlay[0].contains("TOML"),
        "the message is shown: {}",
        overlay[0]
    );
    let body_first = html.select(&sel("body > *")).next().expect("a body child");
    assert_eq!(
        body_first.value().attr("id"),
        Some("rollbook-errors"),
        "the overlay is at the top of the body"
    );
    for other in [
        "/ai-packs/",
        "/ai-packs/beta/incident/",
        "/ai-packs/runbooks/",
    ] {
        let (_, h) = page(&server, other);
        let o = texts(&h, "#rollbook-errors");
        assert_eq!(o.len(), 1, "{other} shows the overlay");
        assert!(
            o[0].contains("content/alpha/workflow.md:3:"),
            "{other}: {}",
            o[0]
        );
    }
    // Non-HTML files are served as they were, without an overlay.
    let css = server.get("/ai-packs/style.css");
    assert_eq!(css.status, 200);
    assert!(!css.text().contains("rollbook-errors"));

    // A page opened before the failure learns about it when it (re)connects.
    let mut late = server.events(Some(good_generation));
    let e2 = late.expect("error");
    assert!(e2.data.contains("content/alpha/workflow.md"), "{}", e2.data);

    // Fix it: reload, the overlay is gone and the new content is served.
    write_section(
        root,
        "alpha",
        "workflow",
        complete_toml("workflow"),
        "Fixed notes: marker-fixed.\n",
    );
    events.expect("reload");
    late.expect("reload");
    let (r, html) = page(&server, "/ai-packs/alpha/workflow/");
    assert!(
        texts(&html, "#rollbook-errors").is_empty(),
        "the overlay is gone: {}",
        r.text()
    );
    assert!(
        !r.text().contains("rollbook-errors\" role"),
        "no overlay markup left"
    );
    assert!(main_text(&html).contains("Fixed notes: marker-fixed."));
    let (_, dash) = page(&server, "/ai-packs/");
    assert!(texts(&dash, "#rollbook-errors").is_empty());
}

#[test]
fn a_broken_site_toml_then_fixed() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    let mut events = server.events(None);

    write(root, "site.toml", format!("{SITE_TOML}titel = \"typo\"\n"));
    let e = events.expect("error");
    let list: serde_json::Value = serde_json::from_str(&e.data).expect("json");
    let d = list
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["file"] == "site.toml")
        .unwrap_or_else(|| panic!("site.toml named: {}", e.data));
    assert_eq!(d["line"], 7, "{d}");
    let (_, html) = page(&server, "/ai-packs/alpha/");
    let o = texts(&html, "#rollbook-errors");
    assert_eq!(o.len(), 1);
    assert!(o[0].contains("site.toml:7:"), "{}", o[0]);

    write(
        root,
        "site.toml",
        SITE_TOML.replace("Acme AI rollout packs", "Renamed packs"),
    );
    events.expect("reload");
    let (_, html) = page(&server, "/ai-packs/alpha/");
    assert!(texts(&html, "#rollbook-errors").is_empty());
    assert!(texts(&html, "title").join(" ").contains("Renamed packs"));
}

#[test]
fn a_site_broken_at_startup_shows_its_errors_until_fixed() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    write(
        root,
        "content/beta/data.md",
        "+++\nretention_policy = \"unterminated\nsources = [\"a\"]\n+++\n",
    );
    let server = Server::start(root);
    let mut events = server.events(None);
    let r = server.get("/ai-packs/");
    let html = r.html();
    let o = texts(&html, "#rollbook-errors");
    assert_eq!(
        o.len(),
        1,
        "the errors are shown in the page ({}): {}",
        r.status,
        r.text()
    );
    assert!(o[0].contains("content/beta/data.md:2:"), "{}", o[0]);
    assert!(
        r.text().contains("__rollbook/events"),
        "the page reloads itself once fixed"
    );
    assert_eq!(server.get("/").status, 302);

    write_section(
        root,
        "beta",
        "data",
        complete_toml("data"),
        "Fixed at last.\n",
    );
    events.expect("reload");
    let (_, html) = page(&server, "/ai-packs/beta/data/");
    assert!(texts(&html, "#rollbook-errors").is_empty());
    assert!(main_text(&html).contains("Fixed at last."));
    assert_eq!(server.get("/ai-packs/").status, 200);
}

// (3) ---------------------------------------------------------------------------------

#[test]
fn editor_temp_files_trigger_no_rebuild() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    let mut events = server.events(None);

    let temps = [
        ".workflow.md.swp",
        ".workflow.md.swx",
        "workflow.md~",
        "4913",
        "#workflow.md#",
        ".#workflow.md",
        "workflow.tmp",
        "workflow.md___jb_tmp___",
        "workflow.md___jb_old___",
    ];
    for name in temps {
        write(
            root,
            &format!("content/alpha/{name}"),
            "+++\nnot = \"toml\n+++\n",
        );
    }
    // Rewrite and delete them as editors do.
    for name in temps {
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(root.join(format!("content/alpha/{name}")))
            .expect("open");
        f.write_all(b"more\n").expect("append");
    }
    for name in temps {
        fs::remove_file(root.join(format!("content/alpha/{name}"))).expect("remove");
    }
    // Temp files directly in content/ and in a pack's subfolder too.
    write(root, "content/.home.md.swp", "x");
    write(root, "content/alpha/evals/.cases.jsonl.swp", "x");
    events.expect_none(
        Duration::from_millis(700),
        "editor temp files must not trigger a rebuild",
    );
    let (_, html) = page(&server, "/ai-packs/alpha/workflow/");
    assert!(
        texts(&html, "#rollbook-errors").is_empty(),
        "the broken TOML in temp files is never read"
    );

    // A real edit afterwards does produce an event, so the silence above means something.
    write_section(
        root,
        "alpha",
        "workflow",
        complete_toml("workflow"),
        "Real edit after temp files.\n",
    );
    events.expect("reload");
    let (_, html) = page(&server, "/ai-packs/alpha/workflow/");
    assert!(main_text(&html).contains("Real edit after temp files."));

    // An atomic save (write a temp file, rename it over the real one) is a real edit.
    write(
        root,
        "content/alpha/.workflow.md.tmp",
        md(complete_toml("workflow"), "Saved atomically.\n"),
    );
    fs::rename(
        root.join("content/alpha/.workflow.md.tmp"),
        root.join("content/alpha/workflow.md"),
    )
    .expect("rename");
    events.expect("reload");
    let (_, html) = page(&server, "/ai-packs/alpha/workflow/");
    assert!(main_text(&html).contains("Saved atomically."));
    events.expect_none(Duration::from_millis(300), "one save, one rebuild");
}

// (4) ---------------------------------------------------------------------------------

#[test]
fn requests_outside_the_site_get_404_and_no_file() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    // A file next to the site folder, one level above the served root.
    let outside = root.parent().expect("a parent").join(format!(
        "{}-secret.txt",
        root.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&outside, "outside-secret-marker-41b2\n").expect("write outside");
    struct Cleanup(std::path::PathBuf);
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = fs::remove_file(&self.0);
        }
    }
    let _cleanup = Cleanup(outside.clone());
    let outside_name = outside.file_name().unwrap().to_string_lossy().into_owned();
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    let passwd_line = passwd.lines().next().unwrap_or("root:x:0:0").to_string();

    let server = Server::start(root);
    let targets = [
        "/ai-packs/../site.toml".to_string(),
        "/ai-packs/../../../../../../etc/passwd".into(),
        "/ai-packs/alpha/../../site.toml".into(),
        "/ai-packs/%2e%2e/site.toml".into(),
        "/ai-packs/%2E%2E/site.toml".into(),
        "/ai-packs/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".into(),
        "/ai-packs/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd".into(),
        "/ai-packs/.%2e/site.toml".into(),
        "/ai-packs/..%2fsite.toml".into(),
        "/ai-packs/..%2Fsite.toml".into(),
        "/ai-packs/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd".into(),
        "/ai-packs%2f..%2fsite.toml".into(),
        "%2fai-packs%2f..%2fsite.toml".into(),
        "/ai-packs/%5c..%5csite.toml".into(),
        "/ai-packs/..%5csite.toml".into(),
        "/ai-packs/..%5C..%5C..%5C..%5Cetc%5Cpasswd".into(),
        "/ai-packs/..\\site.toml".into(),
        "/ai-packs/alpha\\..\\..\\site.toml".into(),
        "/ai-packs/./../site.toml".into(),
        "/ai-packs/%252e%252e/site.toml".into(),
        "/ai-packs/%2e%2e%2f%2e%2e%2fetc%2fpasswd".into(),
        "/../site.toml".into(),
        "/..%2fsite.toml".into(),
        "/%2e%2e/site.toml".into(),
        "/site.toml".into(),
        "/ai-packs/site.toml".into(),
        "/ai-packs/content/alpha/workflow.md".into(),
        "/ai-packs/alpha/workflow.md".into(),
        "/etc/passwd".into(),
        "/ai-packs//etc/passwd".into(),
        "/ai-packs/%2fetc%2fpasswd".into(),
        "/ai-packs/%00../site.toml".into(),
        "/ai-packs/..%00/site.toml".into(),
        format!("/ai-packs/../../{outside_name}"),
        format!("/ai-packs/%2e%2e/%2e%2e/{outside_name}"),
        format!("/ai-packs/..%2f..%2f{outside_name}"),
        format!("/ai-packs/..%5c..%5c{outside_name}"),
    ];
    for target in &targets {
        let r = server.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        let body = r.text();
        assert_eq!(r.status, 404, "GET {target} → {} {}", r.status, body);
        assert!(!body.contains(TOML_MARKER), "GET {target} leaked site.toml");
        assert!(
            !body.contains("base_url ="),
            "GET {target} leaked site.toml"
        );
        assert!(
            !body.contains(&passwd_line) && !body.contains("root:x:0:0"),
            "GET {target} leaked /etc/passwd"
        );
        assert!(
            !body.contains("outside-secret-marker-41b2"),
            "GET {target} leaked a file outside the site"
        );
        assert!(!body.contains("+++"), "GET {target} leaked a content file");
        // The 404 is the site's own page.
        assert!(
            texts(&r.html(), "h1").iter().any(|t| t == "Page not found"),
            "GET {target}: {body}"
        );
    }
    // HEAD is no way around it either.
    let r = server.raw(
        "HEAD /ai-packs/%2e%2e/site.toml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 404);
    assert!(r.body.is_empty());
    // Still serving normally.
    assert_eq!(server.get("/ai-packs/").status, 200);
}

// (5) ---------------------------------------------------------------------------------

#[test]
fn hundreds_of_concurrent_requests_with_twenty_event_streams_open() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    let mut streams: Vec<Events> = (0..20).map(|_| server.events(None)).collect();

    let paths: Arc<Vec<&'static str>> = Arc::new(vec![
        "/ai-packs/",
        "/ai-packs/alpha/",
        "/ai-packs/alpha/workflow/",
        "/ai-packs/beta/incident/",
        "/ai-packs/gamma/",
        "/ai-packs/alpha/runbook/",
        "/ai-packs/alpha/checklist/",
        "/ai-packs/runbooks/print/",
        "/ai-packs/owners/",
        "/ai-packs/style.css",
        "/ai-packs/status.json",
        "/ai-packs/badges/alpha.svg",
        "/ai-packs/extra.css",
    ]);
    let port = server.port;
    let started = Instant::now();
    let workers: Vec<_> = (0..30)
        .map(|t| {
            let paths = Arc::clone(&paths);
            thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..10 {
                    let path = paths[(t * 7 + i) % paths.len()];
                    let r = raw(
                        port,
                        &format!(
                            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        ),
                    );
                    if r.status != 200 || r.body.is_empty() {
                        failures.push(format!("{path}: {} ({} bytes)", r.status, r.body.len()));
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = Vec::new();
    let mut done = 0;
    for w in workers {
        let f = w.join().expect("a request thread panicked");
        done += 10 - f.len();
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of 300 requests failed: {failures:?}",
        failures.len()
    );
    assert_eq!(done, 300);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "300 requests took {:?}",
        started.elapsed()
    );

    // Every stream is still open and gets the next reload.
    write_section(
        root,
        "gamma",
        "data",
        complete_toml("data"),
        "Edited while busy.\n",
    );
    for (i, s) in streams.iter_mut().enumerate() {
        match s.next(DEADLINE) {
            Some(e) if e.name == "reload" => {}
            other => panic!("stream {i} got {other:?} instead of a reload"),
        }
    }
}

// (6) ---------------------------------------------------------------------------------

#[test]
fn clients_that_vanish_harm_nothing() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let mut server = Server::start(root);
    let port = server.port;

    // Connect and leave at once.
    for _ in 0..20 {
        drop(server.connect());
    }
    // Half a request line, then gone.
    for _ in 0..10 {
        let mut s = server.connect();
        let _ = s.write_all(b"GET /ai-packs/alp");
        drop(s);
    }
    // Headers never finished, then gone.
    for _ in 0..10 {
        let mut s = server.connect();
        let _ = s.write_all(b"GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        let _ = s.shutdown(Shutdown::Write);
        drop(s);
    }
    // Garbage.
    for _ in 0..5 {
        let mut s = server.connect();
        let _ = s.write_all(b"\x00\x01\x02 not http at all\r\n\r\n");
        let _ = read_to_end(&mut s, DEADLINE);
    }
    // A slow client that connects and says nothing stays connected meanwhile.
    let idle = server.connect();
    // Disconnect mid-response: ask for the biggest page, read a few bytes, close.
    for _ in 0..30 {
        let mut s = server.connect();
        s.write_all(b"GET /ai-packs/runbooks/print/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("send");
        let mut buf = [0u8; 16];
        let _ = s.read(&mut buf);
        drop(s);
    }
    // Pipelined requests, then gone before reading any answer.
    for _ in 0..5 {
        let mut s = server.connect();
        let _ = s.write_all(b"GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /ai-packs/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        drop(s);
    }
    // Event streams opened and dropped, some abruptly, some after reading.
    let mut dropped: Vec<Events> = (0..10).map(|_| server.events(None)).collect();
    let half = dropped.split_off(5);
    for s in half {
        s.close();
    }
    drop(dropped);

    let mut live = server.events(None);
    // Two rebuilds: the first write to a dead stream may still succeed, the second fails.
    write_section(
        root,
        "alpha",
        "data",
        complete_toml("data"),
        "After the dropouts 1.\n",
    );
    live.expect("reload");
    write_section(
        root,
        "alpha",
        "data",
        complete_toml("data"),
        "After the dropouts 2.\n",
    );
    live.expect("reload");

    assert!(server.alive(), "the server died:\n{}", server.stderr());
    let (_, html) = page(&server, "/ai-packs/alpha/data/");
    assert!(main_text(&html).contains("After the dropouts 2."));
    // Keep-alive still works after all that: two requests on one connection.
    let mut s = server.connect();
    s.write_all(b"GET /ai-packs/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /ai-packs/status.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("send");
    let bytes = read_to_end(&mut s, DEADLINE);
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(
        text.matches("HTTP/1.1 200").count(),
        2,
        "{}",
        &text[..text.len().min(400)]
    );
    drop(idle);
    assert_eq!(
        raw(
            port,
            "GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .status,
        200
    );
    assert!(server.alive());
}

// (7) ---------------------------------------------------------------------------------

#[test]
fn head_content_types_redirect_and_not_found() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    write(root, "static/café.css", "p { content: \"café\" }\n");
    let built = built_files(root);
    let server = Server::start(root);

    // HEAD: headers only, with the GET's content type and length.
    for (path, kind) in [
        ("/ai-packs/", "text/html"),
        ("/ai-packs/style.css", "text/css"),
        ("/ai-packs/status.json", "application/json"),
    ] {
        let head = server.request("HEAD", path);
        let get = server.get(path);
        assert_eq!(head.status, 200, "HEAD {path}");
        assert!(
            head.body.is_empty(),
            "HEAD {path} sent a body of {} bytes",
            head.body.len()
        );
        assert!(
            head.content_type().starts_with(kind),
            "HEAD {path}: {}",
            head.content_type()
        );
        assert_eq!(head.content_type(), get.content_type());
        if let Some(len) = head.header("content-length") {
            assert_eq!(
                len.parse::<usize>().ok(),
                Some(get.body.len()),
                "HEAD {path} Content-Length"
            );
        }
    }

    // Content types, and non-HTML files byte for byte as built.
    let cases = [
        ("/ai-packs/style.css", "style.css", "text/css"),
        ("/ai-packs/extra.css", "extra.css", "text/css"),
        (
            "/ai-packs/badges/alpha.svg",
            "badges/alpha.svg",
            "image/svg+xml",
        ),
        (
            "/ai-packs/badges/alpha/incident.svg",
            "badges/alpha/incident.svg",
            "image/svg+xml",
        ),
        (
            "/ai-packs/alpha/flow.svg",
            "alpha/flow.svg",
            "image/svg+xml",
        ),
        ("/ai-packs/status.json", "status.json", "application/json"),
        // The search index's manifest and shards are files like any other.
        (
            "/ai-packs/search/index.js",
            "search/index.js",
            "text/javascript",
        ),
        (
            "/ai-packs/search/t/0.js",
            "search/t/0.js",
            "text/javascript",
        ),
        (
            "/ai-packs/search/d/1.js",
            "search/d/1.js",
            "text/javascript",
        ),
        (
            "/ai-packs/data/info.json",
            "data/info.json",
            "application/json",
        ),
    ];
    for (path, file, kind) in cases {
        let r = server.get(path);
        assert_eq!(r.status, 200, "GET {path}");
        assert!(
            r.content_type().starts_with(kind),
            "GET {path}: {}",
            r.content_type()
        );
        assert_eq!(
            &r.body[..],
            &built[file][..],
            "GET {path} serves the built file unchanged"
        );
    }
    // Encoded names and query strings.
    let r = server.get("/ai-packs/caf%C3%A9.css");
    assert_eq!(
        (r.status, r.text().as_str()),
        (200, "p { content: \"café\" }\n")
    );
    assert!(r.content_type().starts_with("text/css"));
    let r = server.get("/ai-packs/style.css?v=123");
    assert_eq!(r.status, 200);
    assert_eq!(&r.body[..], &built["style.css"][..]);
    let status: serde_json::Value =
        serde_json::from_slice(&server.get("/ai-packs/status.json").body)
            .expect("status.json parses");
    assert_eq!(status["packs"].as_array().map(Vec::len), Some(3));

    // HTML: the built page plus one injected script right before </body>; the built file has none.
    for (path, file) in [
        ("/ai-packs/", "index.html"),
        ("/ai-packs/alpha/workflow/", "alpha/workflow/index.html"),
        ("/ai-packs/alpha/guide/", "alpha/guide/index.html"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "GET {path}");
        assert!(
            r.content_type().starts_with("text/html"),
            "GET {path}: {}",
            r.content_type()
        );
        let built_html = String::from_utf8(built[file].to_vec()).expect("utf-8");
        assert!(
            !built_html.contains("__rollbook"),
            "the built {file} carries no live-reload script"
        );
        let (stripped, script) = strip_reload_script(&r.text());
        assert_eq!(
            stripped, built_html,
            "GET {path} is the built page plus the script"
        );
        assert!(script.contains("/ai-packs/__rollbook/events"), "{script}");
    }

    // `/` redirects to the base path; a folder without its slash gets one.
    let r = server.get("/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/ai-packs/"));
    let r = server.get("/ai-packs");
    assert!(
        r.status == 200 || (300..400).contains(&r.status),
        "GET /ai-packs → {}",
        r.status
    );
    let r = server.get("/ai-packs/alpha");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/ai-packs/alpha/"));

    // Unknown paths: 404 with the site's 404 page (plus the script).
    let built_404 = String::from_utf8(built["404.html"].to_vec()).expect("utf-8");
    for path in [
        "/ai-packs/no-such-page/",
        "/ai-packs/alpha/no-such-section/",
        "/ai-packs/nope.css",
        "/elsewhere/index.html",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "GET {path}");
        assert!(
            r.content_type().starts_with("text/html"),
            "GET {path}: {}",
            r.content_type()
        );
        let (stripped, _) = strip_reload_script(&r.text());
        assert_eq!(stripped, built_404, "GET {path} serves the site's 404 page");
        assert!(texts(&r.html(), "h1").contains(&"Page not found".to_string()));
    }
    let r = server.request("HEAD", "/ai-packs/no-such-page/");
    assert_eq!(r.status, 404);
    assert!(r.body.is_empty());
}

#[test]
fn a_site_at_the_root_of_its_domain_is_served_at_slash() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    write(
        root,
        "site.toml",
        "title = \"Root site\"\nbase_url = \"https://packs.acme.example\"\n",
    );
    let server = Server::start(root);
    assert!(
        server
            .banner
            .contains(&format!(" at http://127.0.0.1:{}/", server.port)),
        "{}",
        server.banner
    );
    let (r, html) = page(&server, "/");
    assert!(
        r.text().contains("\"/__rollbook/events\""),
        "the script listens at /__rollbook/events"
    );
    assert!(texts(&html, "title").join(" ").contains("Root site"));
    assert_eq!(server.get("/alpha/").status, 200);
    assert_eq!(server.get("/style.css").status, 200);
    for bad in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/..%2fsite.toml",
        "/%5c..%5csite.toml",
    ] {
        let r = server.raw(&format!(
            "GET {bad} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(r.status, 404, "GET {bad}");
        assert!(!r.text().contains("base_url"), "GET {bad}");
    }
    let mut events = Events::open_path(server.port, "/__rollbook/events");
    write_section(
        root,
        "alpha",
        "rollout",
        complete_toml("rollout"),
        "Rollout edited at the root.\n",
    );
    events.expect("reload");
    let (_, html) = page(&server, "/alpha/rollout/");
    assert!(main_text(&html).contains("Rollout edited at the root."));
}

#[test]
fn the_built_site_carries_no_reload_script() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let out = tempfile::tempdir().expect("tmp");
    let status = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "--today",
            TODAY,
            "build",
            "-o",
            out.path().to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run build");
    assert!(status.success());
    let files = listing(out.path());
    assert!(files.keys().any(|k| k.ends_with("index.html")));
    for (path, bytes) in &files {
        if let Some(bytes) = bytes {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("__rollbook"),
                "{path} carries the live-reload script"
            );
            assert!(
                !text.contains("rollbook-errors"),
                "{path} carries the error overlay"
            );
        }
    }
}

// (8) ---------------------------------------------------------------------------------

#[test]
fn a_busy_port_exits_2_and_names_the_port() {
    let site = temp_site(&["alpha"]);
    let root = site.path();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollbook"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "--today",
            TODAY,
            "serve",
            "-p",
            &port.to_string(),
        ])
        .env_remove("ROLLBOOK_TODAY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve on a busy port did not exit");
        }
        thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    let _ = child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr);
    let mut stdout = String::new();
    let _ = child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout);
    assert_eq!(status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains(&format!("port {port}")) && stderr.contains("-p PORT"),
        "the message names port {port} and says to pass another with -p: {stderr}"
    );
    assert!(
        !stdout.contains("serving"),
        "it never claims to serve: {stdout}"
    );
    drop(listener);
}

// (9) ---------------------------------------------------------------------------------

#[test]
fn serve_writes_nothing_into_the_site_folder() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let mut expected = listing(root);
    {
        let server = Server::start(root);
        let mut events = server.events(None);
        for path in [
            "/ai-packs/",
            "/ai-packs/alpha/",
            "/ai-packs/alpha/runbook/",
            "/ai-packs/status.json",
            "/ai-packs/nope/",
        ] {
            let _ = server.get(path);
        }
        // One edit of ours; everything else must stay as it was.
        let edited = md(complete_toml("models"), "Edited models.\n");
        write(root, "content/beta/models.md", &edited);
        expected.insert("content/beta/models.md".into(), Some(edited.into_bytes()));
        events.expect("reload");
        for path in ["/ai-packs/", "/ai-packs/beta/models/"] {
            assert_eq!(server.get(path).status, 200);
        }
    }
    assert!(!root.join("public").exists(), "serve created public/");
    let after = listing(root);
    let added: Vec<_> = after
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let removed: Vec<_> = expected
        .keys()
        .filter(|k| !after.contains_key(*k))
        .collect();
    let changed: Vec<_> = after
        .iter()
        .filter(|(k, v)| expected.get(*k).is_some_and(|e| e != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        added.is_empty() && removed.is_empty() && changed.is_empty(),
        "added {added:?}, removed {removed:?}, changed {changed:?}"
    );
}

// Watching folders that appear after the server started ------------------------------

#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    assert!(!root.join("templates").exists());
    let server = Server::start(root);
    let mut events = server.events(None);

    let tpl = |marker: &str| {
        format!("<!doctype html><html><head><title>404</title></head><body><h1>{marker}</h1></body></html>\n")
    };
    write(root, "templates/404.html", tpl("override-v1"));
    events.expect("reload");
    // Whether or not v1 made it into that rebuild, the next edit must be seen.
    thread::sleep(Duration::from_millis(200));
    write(root, "templates/404.html", tpl("override-v2"));
    let deadline = Instant::now() + DEADLINE;
    loop {
        let r = server.get("/ai-packs/no-such-page/");
        if r.text().contains("override-v2") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "an edit of templates/404.html was never picked up: {}",
            r.text()
        );
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_static_folder_created_while_serving_is_served() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    fs::remove_dir_all(root.join("static")).expect("rm static");
    let server = Server::start(root);
    let mut events = server.events(None);

    write(root, "static/late.css", "p { color: red }\n");
    let deadline = Instant::now() + DEADLINE;
    loop {
        let r = server.get("/ai-packs/late.css");
        if r.status == 200 {
            assert_eq!(r.text(), "p { color: red }\n");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "static/late.css, added while serving, is never served ({})",
            r.status
        );
        thread::sleep(Duration::from_millis(100));
    }
    let _ = events.next(Duration::from_millis(10));
}

#[test]
fn edits_of_templates_and_static_files_rebuild() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    write(
        root,
        "templates/404.html",
        "<!doctype html><html><head><title>404</title></head><body><h1>custom-404-v1</h1></body></html>\n",
    );
    let server = Server::start(root);
    let mut events = server.events(None);
    assert!(server
        .get("/ai-packs/missing/")
        .text()
        .contains("custom-404-v1"));

    write(
        root,
        "templates/404.html",
        "<!doctype html><html><head><title>404</title></head><body><h1>custom-404-v2</h1></body></html>\n",
    );
    events.expect("reload");
    let r = server.get("/ai-packs/missing/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("custom-404-v2"), "{}", r.text());

    write(root, "static/extra.css", "body { --test-extra: 2; }\n");
    events.expect("reload");
    assert_eq!(
        server.get("/ai-packs/extra.css").text(),
        "body { --test-extra: 2; }\n"
    );
    write(root, "static/data/new.json", "[1]\n");
    events.expect("reload");
    let r = server.get("/ai-packs/data/new.json");
    assert_eq!((r.status, r.text().as_str()), (200, "[1]\n"));
    fs::remove_file(root.join("static/extra.css")).expect("rm");
    events.expect("reload");
    assert_eq!(server.get("/ai-packs/extra.css").status, 404);
}

#[test]
fn adding_and_removing_a_pack_while_serving() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    let mut events = server.events(None);

    complete_pack(root, "delta");
    // The pack's files are written one by one, so a rebuild may see it half written (an
    // `error` event, an eval file not there yet) before the one that sees it whole: wait
    // for the reload after which the pack is served complete.
    let complete = || {
        if server.get("/ai-packs/delta/rhythm/").status != 200
            || server.get("/ai-packs/delta/evaluation/").status != 200
        {
            return false;
        }
        let status: serde_json::Value =
            serde_json::from_slice(&server.get("/ai-packs/status.json").body).expect("json");
        status["packs"]
            .as_array()
            .expect("packs")
            .iter()
            .any(|p| p["slug"] == "delta" && p["completeness"] == 100)
    };
    let deadline = Instant::now() + DEADLINE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let e = events
            .next(left)
            .unwrap_or_else(|| panic!("the new pack never appeared complete within {DEADLINE:?}"));
        if e.name == "reload" && complete() {
            break;
        }
    }
    fs::remove_dir_all(root.join("content/gamma")).expect("rm gamma");
    let deadline = Instant::now() + DEADLINE;
    while server.get("/ai-packs/gamma/").status != 404 {
        let left = deadline.saturating_duration_since(Instant::now());
        events
            .next(left)
            .unwrap_or_else(|| panic!("the removed pack is still served after {DEADLINE:?}"));
    }
    let (_, dash) = page(&server, "/ai-packs/");
    assert!(texts(&dash, "#rollbook-errors").is_empty());
}

#[test]
fn a_client_that_stops_reading_its_event_stream_blocks_no_one() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let server = Server::start(root);
    // Opens a stream and never reads it again (a suspended laptop, a frozen tab).
    let stalled = server.events(None);
    let mut good = server.events(None);

    // Each failed build sends every error in one event: about a megabyte here, so a few
    // of them fill the socket buffers of the stalled stream.
    let broken = |round: usize| {
        let mut text = String::from("+++\ntitle = \"Triage guide\"\n+++\n# Guide\n\n");
        for line in 0..100 {
            for i in 0..40 {
                text.push_str(&format!("[x](@/alpha/missing-{round}-{line}-{i}.md) "));
            }
            text.push('\n');
        }
        text
    };
    let fixed = "+++\ntitle = \"Triage guide\"\n+++\n# Guide\n\nFine again.\n";
    // Each save whole at once (a temp file renamed over the page), so no rebuild sees it
    // half written, however slow the machine.
    let save = |text: &str| {
        write(root, "content/alpha/.guide.md.tmp", text);
        fs::rename(
            root.join("content/alpha/.guide.md.tmp"),
            root.join("content/alpha/guide.md"),
        )
        .expect("rename");
    };
    // When events stall: does the server still rebuild at all?
    let probe = || {
        write(
            root,
            "content/alpha/guide.md",
            "+++\ntitle = \"Triage guide\"\n+++\nprobe-marker-9c1.\n",
        );
        thread::sleep(Duration::from_secs(2));
        let rebuilt = server
            .get("/ai-packs/alpha/guide/")
            .text()
            .contains("probe-marker-9c1");
        // New event streams wait for the same lock, each holding one of the server's workers.
        let reconnects: Vec<Events> = (0..8).map(|_| server.events(None)).collect();
        let mut s = server.connect();
        let _ =
            s.write_all(b"GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let _ = s.set_read_timeout(Some(Duration::from_secs(3)));
        let mut buf = [0u8; 64];
        let answered = matches!(s.read(&mut buf), Ok(n) if n > 0);
        drop(reconnects);
        format!(
            "an edit made afterwards was {}rebuilt within 2 s; after 8 more event streams opened, a GET was {}answered within 3 s",
            if rebuilt { "" } else { "not " },
            if answered { "" } else { "not " }
        )
    };
    let mut sent = 0usize;
    for round in 0..10 {
        save(&broken(round));
        match good.next(DEADLINE) {
            Some(e) if e.name == "error" => sent += e.data.len(),
            other => panic!(
                "round {round}: the reading client got {other:?} instead of an error event, after {sent} bytes of events went to a client that does not read; {}",
                probe()
            ),
        }
        save(fixed);
        match good.next(DEADLINE) {
            Some(e) if e.name == "reload" => {}
            other => panic!(
                "round {round}: the reading client got {other:?} instead of a reload, after {sent} bytes of events went to a client that does not read; {}",
                probe()
            ),
        }
    }
    assert!(
        sent > 5_000_000,
        "the test must overflow the stalled stream's buffers; sent only {sent} bytes"
    );
    assert_eq!(server.get("/ai-packs/").status, 200);
    drop(stalled);
}
