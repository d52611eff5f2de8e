//! Requests: paths outside the site, `HEAD`, content types, redirects, not found, a site at
//! the root of its domain, and a built site without the reload script.

use super::*;

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
