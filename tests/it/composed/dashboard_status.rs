//! The dashboard's table and `status.json`, the same facts for people and for tools.

use super::*;

/// `ant` ready (named first alphabetically); `bee` failing gate; `cat` stale review;
/// `dog` incomplete (data audit_log TBD: 38/39 = 97%); `bare` almost nothing written.
pub(crate) fn dashboard_site() -> SiteBuilder {
    let named = |name: &str| complete_toml("workflow").replace("Support triage", name);
    let site = SiteBuilder::new()
        .complete_pack("ant")
        .section("ant", "workflow", &named("Ant ready"), "")
        .complete_pack("bee")
        .section("bee", "workflow", &named("Bee failing"), "")
        .section(
            "bee",
            "accountability",
            &complete_toml("accountability")
                .replace("Dana Ortiz <dana@acme.example>", "Bo Bee <@bo>"),
            "",
        )
        .complete_pack("cat")
        .section("cat", "workflow", &named("Cat stale"), "")
        .section("cat", "rhythm", &rhythm_on("2026-11-01"), "")
        .section(
            "cat",
            "rollout",
            &three_phases(["done", "active", "planned"]),
            "",
        )
        .complete_pack("dog")
        .section("dog", "workflow", &named("Dog incomplete"), "")
        .section(
            "dog",
            "data",
            &complete_toml("data").replace("\"Gateway logs in the warehouse\"", "\"TBD\""),
            "",
        )
        .section(
            "dog",
            "rollout",
            &three_phases(["done", "done", "planned"]),
            "",
        )
        .section("bare", "workflow", "name = \"TBD\"\n", "");
    let failing = run("2026-11-10", "acme/small-2", 0.42, "\"accuracy\": 0.95")
        + &run("2026-11-20", "acme/small-2", 0.42, "\"accuracy\": 0.80");
    site.write("content/bee/evals/results.jsonl", failing.as_bytes());
    site
}

#[test]
fn dashboard_shows_each_pack_and_puts_those_needing_attention_first() {
    let site = dashboard_site();
    site.build_ok();
    let html = site.page("");
    let table = one(&html, "main table.packs");
    let headers: Vec<String> = table
        .select(&sel("thead th"))
        .map(|h| text(&h).to_lowercase())
        .collect();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.contains(name))
            .unwrap_or_else(|| panic!("no column {name}: {headers:?}"))
    };
    let rows = select_in(table, "tbody tr");
    assert_eq!(rows.len(), 5);
    let index = |slug: &str| {
        let href = url(&format!("{slug}/"));
        rows.iter()
            .position(|r| hrefs(*r, "a").contains(&href))
            .unwrap_or_else(|| panic!("no row for {slug}"))
    };
    let cells = |slug: &str| select_in(rows[index(slug)], "th, td");
    // Attention first, whatever the names: the ready pack comes last.
    for slug in ["bee", "cat", "dog", "bare"] {
        assert!(index(slug) < index("ant"), "{slug} before the ready pack");
    }

    let (badge_col, phase_col, dri_col, review_col, gate_col, ready_col, bar_col) = (
        col("complete"),
        col("phase"),
        col("dri"),
        col("review"),
        col("gate"),
        col("ready"),
        col("entry bar"),
    );
    let flag = |cell: ElementRef, class: &str| !select_in(cell, &format!(".{class}")).is_empty();

    let ant = cells("ant");
    assert_eq!(
        select_in(ant[badge_col], "img")[0].value().attr("src"),
        Some(url("badges/ant.svg").as_str())
    );
    assert_eq!(text(&ant[phase_col]), "Dogfood");
    assert!(text(&ant[dri_col]).starts_with("Dana Ortiz"));
    assert_eq!(hrefs(ant[dri_col], "a"), ["mailto:dana@acme.example"]);
    assert_eq!(
        one_in(ant[review_col], "time").value().attr("datetime"),
        Some("2026-11-20")
    );
    assert!(!text(&ant[review_col]).to_lowercase().contains("stale"));
    assert!(flag(ant[gate_col], "gate-pass"));
    assert!(flag(ant[ready_col], "flag-good"));
    assert_eq!(text(&ant[ready_col]).to_lowercase(), "ready");
    assert_eq!(text(&ant[bar_col]).to_lowercase(), "default-on");

    let bee = cells("bee");
    assert!(flag(bee[gate_col], "gate-fail"));
    assert!(text(&bee[dri_col]).contains("@bo"));
    assert!(flag(bee[ready_col], "flag-bad"));
    assert_eq!(text(&bee[bar_col]).to_lowercase(), "dogfood");

    let cat = cells("cat");
    assert_eq!(
        one_in(cat[review_col], "time").value().attr("datetime"),
        Some("2026-11-01")
    );
    let stale = one_in(cat[review_col], ".flag");
    assert_eq!(text(&stale).to_lowercase(), "stale");
    assert_eq!(text(&cat[phase_col]), "Opt-in beta");
    assert!(flag(cat[gate_col], "gate-pass"));
    assert_eq!(text(&cat[bar_col]).to_lowercase(), "opt-in beta");

    let dog = cells("dog");
    assert_eq!(text(&dog[phase_col]), "Opt-in beta", "the last done phase");
    assert_eq!(
        select_in(dog[badge_col], "img")[0].value().attr("src"),
        Some(url("badges/dog.svg").as_str())
    );
    assert_eq!(text(&dog[bar_col]).to_lowercase(), "none");
    assert!(flag(dog[ready_col], "flag-bad"));

    let bare = cells("bare");
    assert!(flag(bare[gate_col], "gate-none"));
    assert!(select_in(bare[review_col], "time").is_empty());
}

#[test]
fn status_json_carries_each_packs_state() {
    let site = dashboard_site();
    site.build_ok();
    let status = site.status();
    assert_eq!(status["title"], "Acme AI rollout packs");
    let all_full: Vec<(String, u64, Vec<String>)> = STEMS
        .iter()
        .map(|s| (s.to_string(), 100, Vec::new()))
        .collect();
    let sections = |p: &Value| -> Vec<(String, u64, Vec<String>)> {
        p["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| {
                let stem = s["section"].as_str().expect("stem").to_string();
                let (pct, missing) = section_status(p, &stem);
                (stem, pct, missing)
            })
            .collect()
    };

    let ant = pack(&status, "ant");
    assert_eq!(ant["name"], "Ant ready");
    assert_eq!(ant["completeness"], 100);
    assert_eq!(ant["ready"], true);
    assert_eq!(ant["phase"], "Dogfood");
    assert_eq!(ant["dri"], "Dana Ortiz <dana@acme.example>");
    assert_eq!(ant["last_review"], "2026-11-20");
    assert_eq!(ant["stale"], false);
    assert_eq!(ant["gate"], "pass");
    assert_eq!(sections(ant), all_full);

    let bee = pack(&status, "bee");
    assert_eq!(bee["gate"], "fail");
    assert_eq!(bee["ready"], false);
    assert_eq!(bee["completeness"], 100);
    assert_eq!(bee["dri"], "Bo Bee <@bo>");

    let cat = pack(&status, "cat");
    assert_eq!(cat["last_review"], "2026-11-01");
    assert_eq!(cat["stale"], true);
    assert_eq!(cat["ready"], false);
    assert_eq!(cat["phase"], "Opt-in beta", "the first active phase");
    assert_eq!(cat["gate"], "pass");

    let dog = pack(&status, "dog");
    assert_eq!(dog["completeness"], 97, "38/39 = 97.4");
    assert_eq!(dog["ready"], false);
    assert_eq!(dog["phase"], "Opt-in beta", "the last done phase");
    let mut want = all_full.clone();
    want[2] = ("data".to_string(), 80, vec!["audit_log".to_string()]);
    assert_eq!(sections(dog), want);

    let bare = pack(&status, "bare");
    assert_eq!(bare["completeness"], 0);
    assert_eq!(bare["name"], Value::Null);
    assert_eq!(bare["dri"], Value::Null);
    assert_eq!(bare["last_review"], Value::Null);
    assert_eq!(bare["phase"], Value::Null);
    assert_eq!(bare["gate"], "none");
    assert_eq!(bare["ready"], false);
    let bare_sections = sections(bare);
    assert_eq!(
        bare_sections
            .iter()
            .map(|s| s.0.as_str())
            .collect::<Vec<_>>(),
        STEMS
    );
    assert!(bare_sections.iter().all(|s| s.1 == 0));
    assert_eq!(bare_sections[0].2, fields_of("workflow"));

    // check --format json reports the same packs.
    let (_, check) = site.check_json(&[]);
    for slug in ["ant", "bee", "cat", "dog", "bare"] {
        let (a, b) = (pack(&check, slug), pack(&status, slug));
        for key in [
            "completeness",
            "ready",
            "phase",
            "dri",
            "last_review",
            "stale",
            "gate",
            "sections",
        ] {
            assert_eq!(a[key], b[key], "{slug}.{key}");
        }
    }
}

/// Whoever moves the workflow on reads the active phase first and the ones to come
/// next; done phases come last, folded.
#[test]
fn checklist_shows_the_active_phase_first_and_folds_done_ones() {
    let phase = |name: &str, status: &str| {
        format!(
            "\n[[phases]]\nname = \"{name}\"\naudience = \"Support\"\ncriteria = \"Two weeks\"\n\
             feedback_channel = \"#triage\"\nstatus = \"{status}\"\n"
        )
    };
    let rollout = format!(
        "dashboards = [\"Board\"]\ndaily_checks = [\"Rate\"]\nescalation_path = \"Dana\"\n{}{}{}",
        phase("Dogfood", "done"),
        phase("Beta", "active"),
        phase("Default-on", "planned"),
    );
    let site = SiteBuilder::new()
        .complete_pack("p")
        .section("p", "rollout", &rollout, "");
    site.build_ok();
    let html = site.page("p/checklist/");
    let shown: Vec<(String, bool)> = select(&html, "main ul.phase-list > li")
        .iter()
        .map(|li| {
            let id = li.value().attr("id").unwrap_or_default().to_string();
            (id, !select_in(*li, "details").is_empty())
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("phase-2".to_string(), false),
            ("phase-3".to_string(), false),
            ("phase-1".to_string(), true),
        ]
    );
    let done = one(&html, "#phase-1 details");
    assert!(
        done.value().attr("open").is_none(),
        "a done phase is folded"
    );
    assert!(text(&one_in(done, "summary")).contains("Dogfood"));
    // Folded, its bar is still there for whoever opens it.
    assert!(!select_in(done, "ul.bar > li").is_empty());
}
