//! The rollout checklist: each phase's entry bar, met or not, and every task of the pack.

use super::*;

#[derive(Debug)]
struct BarItemSeen {
    met: bool,
    href: String,
    label: String,
}

#[derive(Debug)]
struct PhaseSeen {
    name: String,
    ahead: bool,
    met: bool,
    items: Vec<BarItemSeen>,
}

impl PhaseSeen {
    fn unmet(&self) -> Vec<&BarItemSeen> {
        self.items.iter().filter(|i| !i.met).collect()
    }
}

/// The checklist's phases with their bars; asserts that every bar item carries exactly one
/// of `met` / `unmet` and says "Met" / "Not met", and that each bar's summary agrees.
fn checklist_phases(site: &SiteBuilder, slug: &str) -> Vec<PhaseSeen> {
    let html = site.page(&format!("{slug}/checklist/"));
    let mut phases = select(&html, "main ul.phase-list > li");
    // Shown active first and done last; read back in rollout order, by their ids.
    phases.sort_by_key(|ph| {
        ph.value()
            .attr("id")
            .and_then(|id| id.strip_prefix("phase-"))
            .and_then(|n| n.parse::<usize>().ok())
    });
    phases
        .iter()
        .map(|ph| {
            let items: Vec<BarItemSeen> = select_in(*ph, "ul.bar > li")
                .iter()
                .map(|li| {
                    let (met, unmet) = (has_class(li, "met"), has_class(li, "unmet"));
                    assert!(met != unmet, "{slug}: one of met/unmet: {}", li.html());
                    let mark = text(&one_in(*li, ".mark"));
                    assert_eq!(mark, if met { "Met" } else { "Not met" }, "{}", li.html());
                    let a = one_in(*li, "a");
                    let href = a.value().attr("href").unwrap_or_default().to_string();
                    assert_target(site, &href);
                    BarItemSeen {
                        met,
                        href,
                        label: text(&a),
                    }
                })
                .collect();
            assert!(!items.is_empty(), "{slug}: a bar with no items");
            let met = items.iter().all(|i| i.met);
            let summary = text(&one_in(*ph, ".bar-summary")).to_lowercase();
            assert_eq!(
                summary.contains("not met"),
                !met,
                "{slug}: summary `{summary}` disagrees with the items"
            );
            PhaseSeen {
                name: text(&one_in(*ph, "h3")),
                ahead: has_class(ph, "phase-ahead"),
                met,
                items,
            }
        })
        .collect()
}

/// Complete pack `slug` with three phases and the given statuses.
fn phased_pack(site: SiteBuilder, slug: &str, statuses: [&str; 3]) -> SiteBuilder {
    site.complete_pack(slug)
        .section(slug, "rollout", &three_phases(statuses), "")
}

#[test]
fn checklist_dogfood_met_beta_blocked_by_an_incomplete_evaluation() {
    // Everything complete but evaluation's acceptance criteria (TBD); tracing answered
    // false (filled, so operability stays complete, but not "all five true").
    let eval = complete_toml("evaluation").replace("[\"The queue is right\"]", "[\"TBD\"]");
    let ops = complete_toml("operability").replace("tracing = true", "tracing = false");
    let site = phased_pack(SiteBuilder::new(), "a", ["done", "active", "planned"])
        .section("a", "evaluation", &eval, "")
        .section("a", "operability", &ops, "");
    site.build_ok();
    let phases = checklist_phases(&site, "a");
    assert_eq!(phases.len(), 3);
    assert!(phases[0].name.starts_with("Dogfood"));

    assert!(phases[0].met, "{:?}", phases[0]);
    assert!(!phases[0].ahead, "done with its bar met");

    assert!(!phases[1].met);
    let unmet = phases[1].unmet();
    assert_eq!(unmet.len(), 1, "only the evaluation is missing: {unmet:?}");
    let eval_page = url("a/evaluation/");
    assert!(
        unmet[0].href == eval_page || unmet[0].href == format!("{eval_page}#acceptance_criteria"),
        "{unmet:?}"
    );
    assert!(phases[1].ahead, "active before its bar is met");
    assert!(phases[1].items.len() > phases[0].items.len());

    assert!(!phases[2].met);
    assert!(!phases[2].ahead, "planned");
    let unmet3: Vec<&str> = phases[2].unmet().iter().map(|i| i.href.as_str()).collect();
    assert!(
        unmet3.contains(&url("a/operability/#tracing").as_str()),
        "{unmet3:?}"
    );

    let html = site.page("a/checklist/");
    assert_eq!(select(&html, "li.phase-ahead").len(), 1);
    // The operability answers as given.
    let ops = after_heading(&html, "operability");
    let answers: Vec<(String, String)> = select_all(&ops, "dt")
        .iter()
        .map(|dt| {
            let dd = dt.next_siblings().find_map(ElementRef::wrap).expect("a dd");
            (text(dt), text(&dd))
        })
        .collect();
    assert_eq!(answers.len(), 6, "{answers:?}");
    let tracing = answers
        .iter()
        .find(|(k, _)| k == "Tracing")
        .expect("tracing");
    assert_eq!(tracing.1, "No");
    assert_eq!(answers.iter().filter(|(_, v)| v == "Yes").count(), 4);
    assert!(answers
        .iter()
        .any(|(_, v)| v == "Turn off the triage flag in the flag console"));

    let st = status_pack(&site, "a");
    assert_eq!(st["entry_bar_met"], 1);
    assert_eq!(st["ready"], false);
}

#[test]
fn checklist_one_field_short_of_the_dogfood_bar() {
    let data = complete_toml("data").replace("\"Gateway logs in the warehouse\"", "\"TBD\"");
    let site = phased_pack(SiteBuilder::new(), "b", ["active", "planned", "planned"])
        .section("b", "data", &data, "");
    site.build_ok();
    let phases = checklist_phases(&site, "b");
    assert!(!phases[0].met);
    let unmet: Vec<&str> = phases[0].unmet().iter().map(|i| i.href.as_str()).collect();
    assert_eq!(unmet, [url("b/data/#audit_log").as_str()]);
    assert!(phases[0].ahead, "active before its bar is met");
    assert!(!phases[1].met && !phases[2].met);
    assert!(!phases[1].ahead && !phases[2].ahead);
    let html = site.page("b/checklist/");
    let ahead = one(&html, "li.phase-ahead");
    assert!(text(&one_in(ahead, "h3")).starts_with("Dogfood"));

    let st = status_pack(&site, "b");
    assert_eq!(st["entry_bar_met"], 0);
    assert_eq!(st["ready"], false);
}

/// A complete pack with three phases (the third active), a passing gate and a review on
/// `review`, tasks in data.md's notes and in an extra page.
fn ready_pack(slug: &str, review: &str) -> SiteBuilder {
    phased_pack(SiteBuilder::new(), slug, ["done", "done", "active"])
        .section(slug, "rhythm", &rhythm_on(review), "")
        .section(
            slug,
            "data",
            complete_toml("data"),
            "Retention notes.\n\n- [ ] Ask legal about retention\n- [x] Mask card numbers\n",
        )
        .file(
            &format!("content/{slug}/launch.md"),
            "+++\ntitle = \"Launch plan\"\n+++\n# Launch plan\n\n- [x] Book the war room\n\nThen:\n\n- [ ] Announce in the all-hands\n",
        )
}

#[test]
fn checklist_of_a_ready_pack_meets_every_bar() {
    // Review on 2026-11-12: 14 days before 2026-11-26, not older than 14 days.
    let site = ready_pack("c", "2026-11-12");
    site.build_ok();
    let phases = checklist_phases(&site, "c");
    assert_eq!(phases.len(), 3);
    for p in &phases {
        assert!(p.met, "{p:?}");
        assert!(!p.ahead, "{p:?}");
    }
    let html = site.page("c/checklist/");
    assert!(select(&html, "li.phase-ahead").is_empty());
    let st = status_pack(&site, "c");
    assert_eq!(st["ready"], true);
    assert_eq!(st["entry_bar_met"], 3);
    assert_eq!(st["stale"], false);
    assert_eq!(st["last_review"], "2026-11-12");

    // The eval gate: the latest run passes.
    let gate = after_heading(&html, "gate");
    let gate_text = text_of(&gate);
    assert!(gate_text.contains("2026-11-20"), "{gate_text}");
    assert!(!select_all(&gate, "li.met").is_empty(), "{gate_text}");
    assert!(select_all(&gate, "li.unmet").is_empty(), "{gate_text}");

    // Monitoring: dashboards, daily checks, escalation path.
    let mon = text_of(&after_heading(&html, "monitoring"));
    for want in [
        "Triage quality board",
        "Wrong-queue rate",
        "Cost per ticket",
        "Dana, then the support director",
    ] {
        assert!(mon.contains(want), "{want} not in {mon}");
    }
}

#[test]
fn checklist_lists_every_task_with_its_page_and_state() {
    let site = ready_pack("c", "2026-11-20");
    site.build_ok();
    let html = site.page("c/checklist/");
    let tasks = select(&html, "main ul.tasks > li");
    let seen: Vec<(String, bool, Vec<String>)> = tasks
        .iter()
        .map(|li| {
            let (open, done) = (has_class(li, "open"), has_class(li, "done"));
            assert!(open != done, "{}", li.html());
            let mark = text(&one_in(*li, ".mark"));
            assert_eq!(mark, if done { "Done" } else { "Open" });
            (text(li), done, hrefs(*li, "a"))
        })
        .collect();
    assert_eq!(seen.len(), 4, "{seen:?}");
    let want = [
        ("Ask legal about retention", false, "c/data/"),
        ("Mask card numbers", true, "c/data/"),
        ("Book the war room", true, "c/launch/"),
        ("Announce in the all-hands", false, "c/launch/"),
    ];
    for (task, done, page) in want {
        let (_, d, links) = seen
            .iter()
            .find(|(t, _, _)| t.contains(task))
            .unwrap_or_else(|| panic!("no task {task}: {seen:?}"));
        assert_eq!(*d, done, "{task}");
        assert!(links.contains(&url(page)), "{task}: {links:?}");
        // The linked page really holds the task, in the same state.
        let page_html = site.page(page);
        let item = select(&page_html, "main li")
            .into_iter()
            .find(|li| text(li) == task)
            .unwrap_or_else(|| panic!("{task} not on {page}"));
        let checkbox = one_in(item, "input[type=\"checkbox\"]");
        assert_eq!(checkbox.value().attr("checked").is_some(), done, "{task}");
    }
}

#[test]
fn checklist_with_a_stale_review_holds_default_on() {
    // Review on 2026-11-11: 15 days before 2026-11-26, older than 14.
    let site = ready_pack("d", "2026-11-11");
    site.build_ok();
    let phases = checklist_phases(&site, "d");
    assert!(phases[0].met && phases[1].met);
    assert!(!phases[2].met);
    let unmet: Vec<&str> = phases[2].unmet().iter().map(|i| i.href.as_str()).collect();
    assert_eq!(unmet, [url("d/rhythm/#reviews").as_str()]);
    assert!(phases[2].ahead, "active before its bar is met");
    assert!(!phases[0].ahead && !phases[1].ahead);
    let st = status_pack(&site, "d");
    assert_eq!(st["ready"], false);
    assert_eq!(st["stale"], true);
    assert_eq!(st["entry_bar_met"], 2);
    assert_eq!(st["completeness"], 100);
}

#[test]
fn checklist_with_a_failing_latest_run_holds_beta_and_default_on() {
    let site = ready_pack("e", "2026-11-20");
    let results = run("2026-11-10", "acme/small-2", 0.42, "\"accuracy\": 0.91")
        + &run("2026-11-20", "acme/small-2", 0.42, "\"accuracy\": 0.95")
        + &run("2026-11-21", "acme/small-2", 0.42, "\"accuracy\": 0.85");
    site.write("content/e/evals/results.jsonl", results.as_bytes());
    site.build_ok();
    let phases = checklist_phases(&site, "e");
    assert!(phases[0].met);
    assert!(!phases[1].met && !phases[2].met);
    let gate = url("e/evaluation/");
    for p in &phases[1..] {
        let unmet = p.unmet();
        assert_eq!(unmet.len(), 1, "{unmet:?}");
        assert!(unmet[0].href.starts_with(&gate), "{unmet:?}");
        assert!(unmet[0].label.contains("gate"), "{unmet:?}");
    }
    assert!(!phases[0].ahead && phases[1].ahead && phases[2].ahead);
    let html = site.page("e/checklist/");
    let gate = after_heading(&html, "gate");
    assert!(text_of(&gate).contains("2026-11-21"));
    let unmet = select_all(&gate, "li.unmet");
    assert_eq!(unmet.len(), 1);
    assert!(text(&unmet[0]).contains("accuracy"));
    let st = status_pack(&site, "e");
    assert_eq!(st["gate"], "fail");
    assert_eq!(st["ready"], false);
    assert_eq!(st["entry_bar_met"], 1);
}

/// A task item's own text: without its Open/Done mark, its links and the file position.
fn task_text(li: &ElementRef) -> String {
    let mut out = String::new();
    for child in li.children() {
        if let Some(t) = child.value().as_text() {
            out.push_str(t);
        } else if let Some(e) = ElementRef::wrap(child) {
            let skip = e.value().name() == "a" || has_class(&e, "mark") || has_class(&e, "muted");
            if !skip {
                out.push_str(&e.text().collect::<String>());
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn checklist_keeps_nested_task_items_apart() {
    let site = SiteBuilder::new().complete_pack("n").file(
        "content/n/notes.md",
        "+++\ntitle = \"Team notes\"\n+++\n- [ ] parent task\n  - [x] child task\n\n- [ ] second parent\n  - a plain sub-point\n",
    );
    site.build_ok();
    // The notes page itself shows three checkboxes.
    let notes = site.page("n/notes/");
    assert_eq!(select(&notes, "main input[type=\"checkbox\"]").len(), 3);
    let html = site.page("n/checklist/");
    let mut tasks: Vec<(String, bool)> = select(&html, "main ul.tasks > li")
        .iter()
        .filter(|li| hrefs(**li, "a").contains(&url("n/notes/")))
        .map(|li| (task_text(li), has_class(li, "done")))
        .collect();
    tasks.sort();
    let want = [
        ("child task".to_string(), true),
        ("parent task".to_string(), false),
        ("second parent".to_string(), false),
    ];
    assert_eq!(tasks, want);
}
