//! `rollbook serve` under hostile or careless clients, over raw sockets: idle sockets past
//! the open-file limit, clients trickling headers, the header timeout, foreign `Host`s,
//! methods, oversized requests, absolute-form request lines, and reloads right after a
//! page connects. All traffic goes to 127.0.0.1; every loop is bounded in count and time.

use crate::serve_support::*;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

const SLUGS: [&str; 3] = ["alpha", "beta", "gamma"];

fn get_as(server: &Server, host: &str, target: &str) -> Response {
    server.raw(&format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    ))
}

fn assert_no_panic(server: &mut Server) {
    assert!(server.alive(), "the server died:\n{}", server.stderr());
    let log = server.stderr();
    assert!(!log.contains("panicked"), "a panic reached the log:\n{log}");
}

/// Opens `n` sockets that send nothing, each connect bounded by `within`.
fn idle_sockets(port: u16, n: usize, within: Duration) -> Vec<TcpStream> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    (0..n)
        .map(|i| {
            TcpStream::connect_timeout(&addr, within)
                .unwrap_or_else(|e| panic!("idle socket {i} of {n} could not connect: {e}"))
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn fifteen_hundred_idle_sockets_under_a_1024_file_limit_never_stop_the_server() {
    // The test itself holds 1,500 sockets: raise its own soft limit to the hard one.
    let own = rlimit::increase_nofile_limit(u64::MAX).expect("read the open-file limit");
    assert!(
        own >= 1_700,
        "this test needs 1,700 open files for itself; the hard limit is {own} (raise it with `ulimit -Hn`)"
    );
    let site = temp_site(&SLUGS);
    let mut server = Server::start_with(
        site.path(),
        &Options {
            nofile: Some(1024),
            ..Options::default()
        },
    );
    let idle = idle_sockets(server.port, 1_500, Duration::from_secs(30));
    // Idle sockets make room for a request rather than keep it out.
    let r = server.get("/ai-packs/");
    assert_eq!(r.status, 200, "with 1,500 idle sockets open: {}", r.text());
    drop(idle);
    for path in ["/ai-packs/", "/ai-packs/alpha/", "/ai-packs/status.json"] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "GET {path} after the idle sockets closed");
    }
    // A second wave, to be sure nothing leaked in the first.
    let idle = idle_sockets(server.port, 1_500, Duration::from_secs(30));
    drop(idle);
    assert_eq!(server.get("/ai-packs/beta/").status, 200);
    assert_no_panic(&mut server);
}

#[cfg(unix)]
#[test]
fn the_listener_survives_running_out_of_file_descriptors() {
    let own = rlimit::increase_nofile_limit(u64::MAX).expect("read the open-file limit");
    assert!(
        own >= 1_000,
        "this test needs 1,000 open files; the hard limit is {own}"
    );
    let site = temp_site(&SLUGS);
    // A cap above the file limit, so accepting itself runs out of file descriptors.
    let mut server = Server::start_with(
        site.path(),
        &Options {
            nofile: Some(256),
            env: vec![("ROLLBOOK_SERVE_MAX_CONNECTIONS".into(), "4096".into())],
        },
    );
    let addr = SocketAddr::from(([127, 0, 0, 1], server.port));
    // Past the limit, connections wait in the listen queue and then time out: keep those
    // that connect; 300 is more than the 256 files the server may open.
    let held: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok())
        .collect();
    assert!(held.len() >= 250, "only {} sockets connected", held.len());
    let deadline = Instant::now() + DEADLINE;
    while !server.stderr().contains("cannot accept a connection") {
        assert!(
            Instant::now() < deadline,
            "the server never ran out of files (no accept error reported):\n{}",
            server.stderr()
        );
        thread::sleep(Duration::from_millis(50));
    }
    drop(held);
    let r = server.get("/ai-packs/");
    assert_eq!(r.status, 200, "after the sockets closed: {}", r.text());
    let log = server.stderr();
    assert_eq!(
        log.matches("cannot accept a connection").count(),
        1,
        "the accept error is reported once, not per attempt:\n{log}"
    );
    assert!(log.contains("accepting connections again"), "{log}");
    assert_no_panic(&mut server);
}

#[test]
fn three_hundred_clients_trickling_headers_hold_back_no_request() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start(site.path());
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let (ready_tx, ready_rx) = mpsc::channel::<()>();
    let trickler = {
        let stop = Arc::clone(&stop);
        let sent = Arc::clone(&sent);
        thread::spawn(move || {
            let head = b"GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
            let mut socks: Vec<TcpStream> = (0..300).map(|_| connect(port)).collect();
            let started = Instant::now();
            // One byte per socket per round, never the blank line that ends the head;
            // at most 60 s, until the main thread has its answer.
            for round in 0..600 {
                if stop.load(Ordering::SeqCst) || started.elapsed() > Duration::from_secs(60) {
                    break;
                }
                let byte = head.get(round).copied().unwrap_or(b'x');
                for s in &mut socks {
                    if s.write_all(&[byte]).is_ok() {
                        sent.fetch_add(1, Ordering::SeqCst);
                    }
                }
                if round == 0 {
                    let _ = ready_tx.send(());
                }
                thread::sleep(Duration::from_millis(50));
            }
            socks
        })
    };
    ready_rx
        .recv_timeout(DEADLINE)
        .expect("the 300 slow clients connected");
    assert!(sent.load(Ordering::SeqCst) >= 300);
    let started = Instant::now();
    let r = server.get("/ai-packs/alpha/");
    let took = started.elapsed();
    let still_trickling = !stop.swap(true, Ordering::SeqCst) && !trickler.is_finished();
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        still_trickling,
        "the answer came only after the slow clients stopped ({took:?})"
    );
    let socks = trickler.join().expect("the trickling thread");
    drop(socks);
    eprintln!("answered in {took:?} while 300 clients trickled headers");
    assert_no_panic(&mut server);
}

#[test]
fn an_incomplete_request_is_closed_after_the_header_timeout() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start_with(
        site.path(),
        &Options {
            env: vec![("ROLLBOOK_SERVE_HEADER_TIMEOUT_MS".into(), "300".into())],
            ..Options::default()
        },
    );
    // Half a head: answered 408, then closed.
    let mut partial = server.connect();
    partial
        .write_all(b"GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .expect("send");
    let bytes = read_to_end(&mut partial, DEADLINE);
    let r = parse_response(&bytes).expect("a response before the close");
    assert_eq!(r.status, 408, "{}", r.text());
    // Nothing at all: closed without a word.
    let mut silent = server.connect();
    let bytes = read_to_end(&mut silent, DEADLINE);
    assert!(bytes.is_empty(), "{:?}", String::from_utf8_lossy(&bytes));
    // A keep-alive connection idle after its first answer is closed too.
    let mut kept = server.connect();
    kept.write_all(b"GET /ai-packs/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    let bytes = read_to_end(&mut kept, DEADLINE);
    assert_eq!(
        String::from_utf8_lossy(&bytes)
            .matches("HTTP/1.1 200")
            .count(),
        1
    );
    // A prompt client is served as ever.
    assert_eq!(server.get("/ai-packs/").status, 200);
    assert_no_panic(&mut server);
}

#[test]
fn only_this_machines_names_are_served() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start(site.path());
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "192.168.1.20".to_string(),
    ] {
        for target in [
            "/ai-packs/",
            "/ai-packs/status.json",
            "/ai-packs/__rollbook/events",
        ] {
            let r = get_as(&server, &host, target);
            assert_eq!(r.status, 403, "Host: {host} GET {target}");
            assert!(
                r.text().contains("localhost") && r.text().contains(&host),
                "the 403 says which names are served and which was asked: {}",
                r.text()
            );
            assert!(!r.text().contains("<html"), "no page content leaks");
        }
    }
    // The authority of an absolute-form request line counts as the Host.
    let r = server.raw(&format!(
        "GET http://evil.example:{port}/ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(r.status, 403);
    // No Host, or two: 400.
    let r = server.raw("GET /ai-packs/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400);
    let r = server.raw(
        "GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.status, 400);
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
        format!("[::1]:{port}"),
    ] {
        let r = get_as(&server, &host, "/ai-packs/");
        assert_eq!(r.status, 200, "Host: {host}");
        let html = r.html();
        let sel = scraper::Selector::parse("h1").expect("selector");
        assert!(
            html.select(&sel).next().is_some(),
            "Host: {host} serves the page"
        );
    }
    assert_no_panic(&mut server);
}

#[test]
fn other_methods_get_405_with_allow() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start(site.path());
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"] {
        let r = server.raw(&format!(
            "{method} /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
        ));
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method}");
    }
    assert_eq!(server.request("HEAD", "/ai-packs/").status, 200);
    assert_eq!(server.get("/ai-packs/").status, 200);
    assert_no_panic(&mut server);
}

#[test]
fn oversized_urls_get_414_and_oversized_headers_431() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start(site.path());
    let long = format!("/ai-packs/{}", "a".repeat(9_000));
    let r = server.get(&long);
    assert_eq!(r.status, 414);
    // Just under the limit: an ordinary 404.
    let r = server.get(&format!("/ai-packs/{}", "a".repeat(8_000)));
    assert_eq!(r.status, 404);
    // A URL of a megabyte: the server stops reading and answers.
    let huge = format!("/ai-packs/{}", "a".repeat(1 << 20));
    let mut s = server.connect();
    let _ = s.write_all(format!("GET {huge} HTTP/1.1\r\n").as_bytes());
    let r = parse_response(&read_to_end(&mut s, DEADLINE)).expect("an answer");
    assert_eq!(r.status, 414);

    let big = "b".repeat(17 * 1024);
    let r = server.raw(&format!(
        "GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(r.status, 431);
    let many: String = (0..300).map(|i| format!("X-H{i}: v\r\n")).collect();
    let r = server.raw(&format!(
        "GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}Connection: close\r\n\r\n"
    ));
    assert_eq!(r.status, 431);
    // Headers just under the limit are fine.
    let fine = "c".repeat(15 * 1024);
    let r = server.raw(&format!(
        "GET /ai-packs/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Fine: {fine}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(r.status, 200);
    assert_no_panic(&mut server);
}

#[test]
fn absolute_form_request_lines_are_served_like_their_path() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start(site.path());
    let port = server.port;
    for path in [
        "/ai-packs/alpha/",
        "/ai-packs/status.json",
        "/ai-packs/style.css",
    ] {
        let origin = server.get(path);
        let absolute = server.raw(&format!(
            "GET http://127.0.0.1:{port}{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(origin.status, 200, "{path}");
        assert_eq!(absolute.status, 200, "absolute-form {path}");
        assert_eq!(absolute.body, origin.body, "absolute-form {path}");
    }
    let r = server.raw(&format!(
        "GET http://localhost:{port} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!((r.status, r.header("location")), (302, Some("/ai-packs/")));
    assert_no_panic(&mut server);
}

#[test]
fn twenty_connect_then_edit_cycles_deliver_every_reload() {
    let site = temp_site(&SLUGS);
    let root = site.path();
    let mut server = Server::start(root);
    for cycle in 0..20 {
        let marker = format!("cycle-marker-{cycle}");
        // The hello has arrived: the connection is registered, so the edit cannot be missed.
        let mut events = server.events(None);
        write_section(
            root,
            "alpha",
            "workflow",
            complete_toml("workflow"),
            &format!("Notes {marker}.\n"),
        );
        // A straggling rebuild of the previous cycle may come first: wait for this one's.
        let mut seen = false;
        for _ in 0..5 {
            let e = events.expect("reload");
            assert!(e.json["generation"].as_u64() > Some(events.generation));
            if server
                .get("/ai-packs/alpha/workflow/")
                .text()
                .contains(&marker)
            {
                seen = true;
                break;
            }
        }
        assert!(seen, "cycle {cycle}: no reload brought {marker}");
        events.close();
    }
    assert_no_panic(&mut server);
}

#[test]
fn a_plain_get_of_the_live_reload_path_is_told_to_upgrade() {
    let site = temp_site(&SLUGS);
    let mut server = Server::start(site.path());
    let r = server.get("/ai-packs/__rollbook/events");
    assert_eq!(r.status, 426);
    assert_eq!(r.header("upgrade"), Some("websocket"));
    // A handshake with a bad version is refused the same way, and nothing breaks.
    let r = server.raw("GET /ai-packs/__rollbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
    assert_eq!(r.status, 426);
    // Garbage after a good handshake closes only that connection.
    let mut s = server.connect();
    s.write_all(b"GET /ai-packs/__rollbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .expect("send");
    let mut buf = [0u8; 12];
    s.read_exact(&mut buf).expect("the handshake answer");
    assert_eq!(&buf, b"HTTP/1.1 101");
    let _ = s.write_all(&[0xff; 64 * 1024]);
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut sink = [0u8; 4096];
    let started = Instant::now();
    loop {
        match s.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
        assert!(
            started.elapsed() < DEADLINE,
            "a connection sending garbage frames was never closed"
        );
    }
    let mut live = server.events(None);
    write_section(
        site.path(),
        "beta",
        "data",
        complete_toml("data"),
        "After garbage.\n",
    );
    live.expect("reload");
    assert_no_panic(&mut server);
}
