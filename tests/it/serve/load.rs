//! Load: hundreds of requests with event streams open, and clients that vanish or stop
//! reading.

use super::*;

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
