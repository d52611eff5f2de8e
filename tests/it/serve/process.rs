//! The server process: a busy port exits 2 naming it, and nothing is written into the site
//! folder.

use super::*;

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
