//! Live reload: an edit reloads open pages, a broken edit shows the overlay and keeps the
//! last good site, editor temp files rebuild nothing, and folders made while serving are
//! watched.

use super::*;

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
fn a_commit_while_serving_reloads_with_the_pages_new_day() {
    use crate::common::git;
    let site = temp_site(&SLUGS);
    let root = site.path();
    if git(root, "2026-03-04", &["init", "-q"]).is_none() {
        eprintln!("skipped: `git` is not installed, so there is no history to read");
        return;
    }
    git(root, "2026-03-04", &["add", "-A"]);
    git(root, "2026-03-04", &["commit", "-q", "-m", "first"]);
    let server = Server::start(root);
    let updated = |server: &Server| {
        let (_, html) = page(server, "/ai-packs/alpha/data/");
        texts(&html, ".page-footer time")
    };
    assert_eq!(updated(&server), ["2026-03-04"]);
    // The edit reloads at once; the page still shows the day of its last commit.
    let mut events = server.events(None);
    let data = root.join("content/alpha/data.md");
    let text = fs::read_to_string(&data).expect("read");
    fs::write(&data, text.replace("Notes", "Changed notes")).expect("write");
    events.expect("reload");
    assert_eq!(updated(&server), ["2026-03-04"]);
    // Committing it moves the branch: another reload, with the commit's day.
    git(root, "2026-05-06", &["commit", "-q", "-am", "second"]);
    events.expect("reload");
    assert_eq!(updated(&server), ["2026-05-06"]);
}
