//! The composed pages, parsed: incident runbooks, rollout checklists with their entry
//! bars, eval gate arithmetic, badges, owners, the dashboard and status.json.

use crate::common::*;
use scraper::{ElementRef, Html};
use serde_json::Value;
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

/// Position of an element in document order.
fn pos(html: &Html, e: ElementRef) -> usize {
    html.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .position(|x| x.id() == e.id())
        .expect("element in document")
}

/// The one `section` under `root` whose heading (its first `h2`) contains `needle`,
/// case-insensitively.
fn section_titled<'a>(root: ElementRef<'a>, needle: &str) -> ElementRef<'a> {
    let needle = needle.to_lowercase();
    let found: Vec<ElementRef> = root
        .select(&sel("section"))
        .filter(|s| {
            s.select(&sel("h2"))
                .next()
                .is_some_and(|h| text(&h).to_lowercase().contains(&needle))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one section headed `{needle}` in {}",
        root.html()
    );
    found[0]
}

/// The sibling elements after the `h2` with `id`, up to the next `h2`.
fn after_heading<'a>(html: &'a Html, id: &str) -> Vec<ElementRef<'a>> {
    let h = one(html, &format!("main h2[id=\"{id}\"]"));
    h.next_siblings()
        .filter_map(ElementRef::wrap)
        .take_while(|e| e.value().name() != "h2")
        .collect()
}

/// The whitespace-collapsed text of several elements.
fn text_of(es: &[ElementRef]) -> String {
    es.iter().map(text).collect::<Vec<_>>().join(" ")
}

/// Every element matching `selector` inside any of `roots`.
fn select_all<'a>(roots: &[ElementRef<'a>], selector: &str) -> Vec<ElementRef<'a>> {
    let s = sel(selector);
    let mut out = Vec::new();
    for r in roots {
        // `select` skips the root itself: include it when it matches.
        if s.matches(r) {
            out.push(*r);
        }
        out.extend(r.select(&s));
    }
    out
}

/// Asserts that a site-internal URL (`/ai-packs/x/y/#id`) names a built page and,
/// when it has a fragment, an element with that id on it.
fn assert_target(site: &SiteBuilder, href: &str) {
    let rest = href
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{href} is not under {BASE}"));
    let (path, frag) = rest.split_once('#').unwrap_or((rest, ""));
    assert!(
        path.is_empty() || path.ends_with('/'),
        "{href} is not a page URL"
    );
    let file = site.join(&format!("public/{path}index.html"));
    assert!(file.is_file(), "{href}: no page {}", file.display());
    if !frag.is_empty() {
        let html = site.page(path);
        assert_eq!(
            select(&html, &format!("[id=\"{frag}\"]")).len(),
            1,
            "{href}: no one element with id {frag}"
        );
    }
}

/// A rollout section with three monitoring answers and the given phases (name, status).
fn rollout_toml(phases: &[(&str, &str)]) -> String {
    let mut s = String::from(concat!(
        "dashboards = [\"Triage quality board\"]\n",
        "daily_checks = [\"Wrong-queue rate\", \"Cost per ticket\"]\n",
        "escalation_path = \"Dana, then the support director\"\n",
    ));
    for (name, status) in phases {
        s += &format!(
            "\n[[phases]]\nname = \"{name}\"\naudience = \"{name} users\"\n\
             criteria = \"Two quiet weeks\"\nfeedback_channel = \"The feedback form\"\n\
             status = \"{status}\"\n"
        );
    }
    s
}

const THREE: [&str; 3] = ["Dogfood", "Opt-in beta", "Default on"];

fn three_phases(statuses: [&str; 3]) -> String {
    rollout_toml(&[
        (THREE[0], statuses[0]),
        (THREE[1], statuses[1]),
        (THREE[2], statuses[2]),
    ])
}

/// The rhythm section with one review on `date`.
fn rhythm_on(date: &str) -> String {
    complete_toml("rhythm").replace("2026-11-20", date)
}

/// One results line with its own cost.
fn run(date: &str, model: &str, cost: f64, metrics: &str) -> String {
    format!(
        "{{\"date\": \"{date}\", \"model\": \"{model}\", \"cost\": {cost}, \"metrics\": {{{metrics}}}}}\n"
    )
}

fn status_pack(site: &SiteBuilder, slug: &str) -> Value {
    pack(&site.status(), slug).clone()
}

// ---------------------------------------------------------------------------
// 1. The runbook
// ---------------------------------------------------------------------------

const INCIDENT_FULL: &str = concat!(
    "incident_definition = [\"A ticket routed to the wrong team\", \"Customer data in a suggestion\"]\n",
    "immediate_actions = [\"Flip the kill switch\", \"Tell the support lead\", \"Open an incident ticket\"]\n",
    "paging = [\"Priya N. <+1 555 0100>\", \"Dana Ortiz <dana@acme.example>\", \"Sam Lee <@slee>\", \"AI on-call <#ai-oncall>\"]\n",
    "comms_plan = \"Post in the support channel every 30 minutes\"\n",
    "review_owner = \"Dana Ortiz <dana@acme.example>\"\n",
    "review_format = \"Blameless review within five days\"\n",
);

const INCIDENT_NOTES: &str =
    "## Vendor escalation\n\nCall the vendor if it persists past an hour.\n";

fn runbook_site() -> SiteBuilder {
    let ops_false = complete_toml("operability")
        .replace("kill_switch = true", "kill_switch = false")
        .replace(
            "\"Turn off the triage flag in the flag console\"",
            "\"N/A: the workflow only drafts\"",
        );
    let ops_unknown = complete_toml("operability").replace("kill_switch = true\n", "");
    let ops_no_how = complete_toml("operability").replace(
        "\"Turn off the triage flag in the flag console\"",
        "\"TBD\"",
    );
    SiteBuilder::new()
        .complete_pack("triage")
        .section("triage", "incident", INCIDENT_FULL, INCIDENT_NOTES)
        .complete_pack("off")
        .section(
            "off",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Off switch"),
            "",
        )
        .section("off", "operability", &ops_false, "")
        .complete_pack("unknown")
        .section(
            "unknown",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Unknown switch"),
            "",
        )
        .section("unknown", "operability", &ops_unknown, "")
        .complete_pack("nohow")
        .section(
            "nohow",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "No how"),
            "",
        )
        .section("nohow", "operability", &ops_no_how, "")
        // `gaps`: nothing a responder needs is written down.
        .section("gaps", "workflow", "name = \"Gappy workflow\"\n", "")
        .section(
            "gaps",
            "accountability",
            "dri = \"Dana Ortiz\"\nincident_owner = \"TBD\"\n",
            "",
        )
        .section(
            "gaps",
            "incident",
            concat!(
                "incident_definition = []\n",
                "paging = [\"TBD\"]\n",
                "comms_plan = \"TODO: write it\"\n",
                "review_owner = \"<name>\"\n",
            ),
            "",
        )
}

#[test]
fn runbook_puts_the_kill_switch_first_then_actions_then_people() {
    let site = runbook_site();
    site.build_ok();
    let html = site.page("triage/runbook/");
    let main = one(&html, "main");
    assert!(select(&html, "nav.pack-nav").is_empty(), "no pack sidebar");
    // Everything is in the HTML: nothing waits on a script.
    assert!(select_in(main, "script, template, noscript, [hidden]").is_empty());

    let kill = one_in(main, "section.rb-kill");
    let actions = one_in(main, ".rb-actions");
    let people = one_in(main, ".rb-people");
    let what = section_titled(main, "what counts");
    let fallback = section_titled(main, "fallback");
    let comms = section_titled(main, "communication");
    let review_owner = section_titled(main, "review owner");
    let review_format = section_titled(main, "review format");
    let notes = section_titled(main, "notes");
    let order: Vec<usize> = [
        kill,
        actions,
        people,
        what,
        fallback,
        comms,
        review_owner,
        review_format,
        notes,
    ]
    .iter()
    .map(|e| pos(&html, *e))
    .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted, "runbook sections out of order");

    // The kill switch: how to flip it, as written.
    assert!(has_class(&kill, "rb-kill-ready"), "{}", kill.html());
    assert!(text(&kill).contains("Turn off the triage flag in the flag console"));
    assert!(select_in(kill, ".rb-alert").is_empty());

    // The immediate actions: an ordered list, in the order written.
    let steps: Vec<String> = select_in(actions, "ol > li").iter().map(text).collect();
    assert_eq!(
        steps,
        [
            "Flip the kill switch",
            "Tell the support lead",
            "Open an incident ticket"
        ]
    );

    // Who to page: working links for e-mail and phone, handles and channels as text.
    let paged = &select_in(people, "ol, ul")[0];
    let entries: Vec<String> = select_in(*paged, "li").iter().map(text).collect();
    assert_eq!(entries.len(), 4, "{entries:?}");
    for (entry, name) in entries
        .iter()
        .zip(["Priya N.", "Dana Ortiz", "Sam Lee", "AI on-call"])
    {
        assert!(entry.starts_with(name), "{entries:?}");
    }
    let tel = one_in(*paged, "a[href=\"tel:+15550100\"]");
    assert_eq!(text(&tel), "Call +1 555 0100");
    let mail = one_in(*paged, "a[href=\"mailto:dana@acme.example\"]");
    assert_eq!(text(&mail), "E-mail dana@acme.example");
    assert!(entries[2].contains("@slee") && entries[3].contains("#ai-oncall"));
    let link_texts: Vec<String> = select_in(people, "a").iter().map(text).collect();
    assert!(
        link_texts
            .iter()
            .all(|t| !t.contains("@slee") && !t.contains("#ai-oncall")),
        "a chat handle is not a link: {link_texts:?}"
    );
    assert_eq!(
        select_in(people, "a:not(.permalink)").len(),
        2,
        "tel and mailto"
    );

    // The incident owner, with a contact, before the kill switch.
    let owner = one_in(main, ".rb-first");
    assert!(text(&one_in(owner, "h2"))
        .to_lowercase()
        .contains("incident owner"));
    assert!(pos(&html, owner) < pos(&html, kill));
    assert!(text(&owner).contains("Priya N."), "{}", owner.html());
    assert_eq!(hrefs(owner, "a:not(.permalink)"), ["tel:+15550100"]);

    // The rest, from incident.md and models.md.
    let defs: Vec<String> = select_in(what, "li").iter().map(text).collect();
    assert_eq!(
        defs,
        [
            "A ticket routed to the wrong team",
            "Customer data in a suggestion"
        ]
    );
    assert!(text(&fallback).contains("Tickets go to the manual queue"));
    assert!(text(&comms).contains("Post in the support channel every 30 minutes"));
    assert!(text(&review_owner).contains("Dana Ortiz"));
    assert_eq!(
        hrefs(review_owner, "a:not(.permalink)"),
        ["mailto:dana@acme.example"]
    );
    assert!(text(&review_format).contains("Blameless review within five days"));
    assert!(text(&notes).contains("Call the vendor if it persists past an hour."));
    assert!(select_in(notes, "h2, h3")
        .iter()
        .any(|h| text(h).starts_with("Vendor escalation")));

    // A complete runbook flags nothing.
    assert!(
        select_in(main, ".rb-alert, .missing, .rb-missing").is_empty(),
        "{}",
        main.html()
    );
}

#[test]
fn runbook_says_loudly_when_there_is_no_kill_switch_or_no_way_to_flip_it() {
    let site = runbook_site();
    site.build_ok();
    // (slug, state class, link the notice must carry, if any)
    let cases = [
        ("off", "rb-kill-none", None),
        (
            "unknown",
            "rb-kill-unknown",
            Some("unknown/operability/#kill_switch"),
        ),
        (
            "nohow",
            "rb-kill-no_how",
            Some("nohow/operability/#kill_switch_how"),
        ),
    ];
    for (slug, class, link) in cases {
        let html = site.page(&format!("{slug}/runbook/"));
        let main = one(&html, "main");
        let kill = one_in(main, "section.rb-kill");
        assert!(has_class(&kill, class), "{slug}: {}", kill.html());
        for other in [
            "rb-kill-ready",
            "rb-kill-none",
            "rb-kill-unknown",
            "rb-kill-no_how",
        ] {
            if other != class {
                assert!(!has_class(&kill, other), "{slug}: {}", kill.html());
            }
        }
        assert!(
            pos(&html, kill) < pos(&html, one_in(main, ".rb-actions")),
            "{slug}: the kill switch comes first"
        );
        let alert = one_in(kill, ".rb-alert");
        // Loud: emphasised, not a footnote.
        assert!(
            !select_in(alert, "strong").is_empty(),
            "{slug}: {}",
            alert.html()
        );
        assert!(!text(&alert).is_empty());
        if let Some(link) = link {
            let hs = hrefs(alert, "a");
            assert!(
                hs.iter().any(|h| h.starts_with(&url(link))),
                "{slug}: {hs:?}"
            );
            for h in &hs {
                assert_target(&site, h);
            }
        }
    }
    // "No kill switch" is not mistaken for "flip it like this".
    let html = site.page("off/runbook/");
    let kill = one(&html, "section.rb-kill");
    assert!(text(&kill).to_lowercase().contains("no kill switch"));
}

#[test]
fn runbook_flags_every_unfilled_item_where_it_belongs() {
    let site = runbook_site();
    site.build_ok();
    let html = site.page("gaps/runbook/");
    let main = one(&html, "main");
    assert!(select(&html, "nav.pack-nav").is_empty());
    let kill = one_in(main, "section.rb-kill");
    assert!(has_class(&kill, "rb-kill-unknown"));
    let people = one_in(main, ".rb-people");
    // (where, the field page it must link to)
    let cases: Vec<(ElementRef, &str)> = vec![
        (
            one_in(main, ".rb-actions"),
            "gaps/incident/#immediate_actions",
        ),
        (people, "gaps/incident/#paging"),
        (
            one_in(main, ".rb-first"),
            "gaps/accountability/#incident_owner",
        ),
        (
            section_titled(main, "what counts"),
            "gaps/incident/#incident_definition",
        ),
        (section_titled(main, "fallback"), "gaps/models/#fallback"),
        (
            section_titled(main, "communication"),
            "gaps/incident/#comms_plan",
        ),
        (
            section_titled(main, "review owner"),
            "gaps/incident/#review_owner",
        ),
        (
            section_titled(main, "review format"),
            "gaps/incident/#review_format",
        ),
    ];
    for (section, link) in cases {
        let flags = select_in(section, ".rb-alert, .missing, .rb-fallback");
        assert!(
            !flags.is_empty(),
            "{link}: not flagged in {}",
            section.html()
        );
        let want = url(link);
        assert!(
            flags.iter().any(|f| hrefs(*f, "a").contains(&want)),
            "{link}: no flag links to it in {}",
            section.html()
        );
        assert_target(&site, &want);
    }
    // No notes written: no notes section.
    assert!(!main
        .select(&sel("section h2"))
        .any(|h| text(&h).to_lowercase().contains("notes")));
}

#[test]
fn runbook_still_shows_how_to_flip_a_kill_switch_whose_existence_is_unanswered() {
    // `unknown`: kill_switch left out, kill_switch_how written. The responder must still
    // see how to flip it; saying "no kill switch is documented" is false.
    let site = runbook_site();
    site.build_ok();
    let html = site.page("unknown/runbook/");
    let kill = one(&html, "main section.rb-kill");
    assert!(has_class(&kill, "rb-kill-unknown"));
    assert!(
        text(&kill).contains("Turn off the triage flag in the flag console"),
        "{}",
        kill.html()
    );
}

// ---------------------------------------------------------------------------
// 2. Every runbook
// ---------------------------------------------------------------------------

#[test]
fn runbooks_page_lists_every_pack_with_its_kill_switch_and_owner() {
    let site = runbook_site();
    site.build_ok();
    let html = site.page("runbooks/");
    let table = one(&html, "main table");
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
    let (kill_col, owner_col) = (col("kill switch"), col("incident owner"));
    let rows = select_in(table, "tbody tr");
    assert_eq!(rows.len(), 5, "one row per pack");
    let row = |slug: &str| -> Vec<ElementRef> {
        let href = url(&format!("{slug}/runbook/"));
        let r = rows
            .iter()
            .find(|r| hrefs(**r, "a").contains(&href))
            .unwrap_or_else(|| panic!("no row links to {href}"));
        select_in(*r, "th, td")
    };
    for slug in ["triage", "off", "unknown", "nohow", "gaps"] {
        assert_target(&site, &url(&format!("{slug}/runbook/")));
    }
    let triage = row("triage");
    assert!(text(&triage[0]).contains("Support triage"));
    assert!(text(&triage[kill_col]).contains("Turn off the triage flag in the flag console"));
    assert!(text(&triage[owner_col]).starts_with("Priya N."));
    assert_eq!(hrefs(triage[owner_col], "a"), ["tel:+15550100"]);

    let off = row("off");
    assert!(!select_in(off[kill_col], ".missing").is_empty());
    assert!(text(&off[kill_col])
        .to_lowercase()
        .contains("no kill switch"));
    let gaps = row("gaps");
    assert!(!select_in(gaps[kill_col], ".missing").is_empty());
    assert!(!select_in(gaps[owner_col], ".missing").is_empty());
    assert!(!text(&gaps[kill_col]).contains("Turn off"));
    let nohow = row("nohow");
    assert!(!select_in(nohow[kill_col], ".missing").is_empty());

    assert!(hrefs(one(&html, "main"), "a").contains(&url("runbooks/print/")));
}

#[test]
fn printable_page_holds_every_runbook_with_its_kill_switch() {
    let site = runbook_site();
    site.build_ok();
    let html = site.page("runbooks/print/");
    let articles = select(&html, "main article.runbook");
    assert_eq!(articles.len(), 5, "one runbook per pack");
    let of = |name: &str| -> ElementRef {
        *articles
            .iter()
            .find(|a| text(&one_in(**a, "h1")).contains(name))
            .unwrap_or_else(|| panic!("no runbook of {name}"))
    };
    let triage = of("Support triage");
    assert!(has_class(
        &one_in(triage, "section.rb-kill"),
        "rb-kill-ready"
    ));
    assert!(text(&one_in(triage, "section.rb-kill"))
        .contains("Turn off the triage flag in the flag console"));
    let steps: Vec<String> = select_in(one_in(triage, ".rb-actions"), "ol > li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(steps.len(), 3);
    assert!(text(&triage).contains("Call the vendor if it persists past an hour."));
    for (name, class) in [
        ("Off switch", "rb-kill-none"),
        ("Unknown switch", "rb-kill-unknown"),
        ("No how", "rb-kill-no_how"),
        ("Gappy workflow", "rb-kill-unknown"),
    ] {
        let kill = one_in(of(name), "section.rb-kill");
        assert!(has_class(&kill, class), "{name}: {}", kill.html());
        assert!(!select_in(kill, ".rb-alert").is_empty(), "{name}");
    }
    // Each runbook's kill switch comes before its actions.
    for a in &articles {
        let k = pos(&html, one_in(*a, "section.rb-kill"));
        let x = pos(&html, one_in(*a, ".rb-actions"));
        assert!(k < x);
    }
}

#[test]
fn printable_page_ids_are_unique() {
    let site = runbook_site()
        .section("off", "incident", INCIDENT_FULL, INCIDENT_NOTES)
        .section("nohow", "incident", INCIDENT_FULL, INCIDENT_NOTES);
    site.build_ok();
    let html = site.page("runbooks/print/");
    let mut seen = BTreeSet::new();
    let mut dups = Vec::new();
    for e in select(&html, "[id]") {
        let id = e.value().attr("id").unwrap_or_default().to_string();
        if !seen.insert(id.clone()) {
            dups.push(id);
        }
    }
    assert!(dups.is_empty(), "duplicate ids on the print page: {dups:?}");
}

// ---------------------------------------------------------------------------
// 3. The rollout checklist
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// 4. Gate arithmetic
// ---------------------------------------------------------------------------

const GATED_EVALUATION: &str = concat!(
    "eval_set = \"evals/cases.jsonl\"\n",
    "acceptance_criteria = [\"The queue is right\"]\n",
    "release_gate = [{ metric = \"accuracy\", min = 0.9 }, { metric = \"latency\", max = 2.0 }, { metric = \"citation\", max_drop = 0.05 }]\n",
    "results = \"evals/results.jsonl\"\n",
);

const A: &str = "acme/small-2";
const B: &str = "acme/large-1";
const C: &str = "acme/tiny-1";

/// Runs of three models, written out of date order. Gate: accuracy >= 0.9,
/// latency <= 2, citation may drop at most 0.05 from the same model's previous run.
///
/// | date  | model | acc  | lat | cit  | same-model previous cit    | verdict          |
/// |-------|-------|------|-----|------|----------------------------|------------------|
/// | 10-30 | C     | 0.95 | 0.5 | 0.86 | none                       | pass             |
/// | 11-01 | A     | 0.95 | 1.0 | 0.90 | none                       | pass             |
/// | 11-02 | B     | 0.96 | 1.5 | 0.95 | none                       | pass             |
/// | 11-03 | A     | 0.85 | 1.0 | 0.91 | 0.90 (rose)                | fail: min        |
/// | 11-04 | B     | 0.97 | 2.5 | 0.94 | 0.95 (drop 0.01)           | fail: max        |
/// | 11-05 | C     | 0.80 | 0.5 | 0.85 | 0.86 (drop 0.01)           | fail: min        |
/// | 11-06 | A     | 0.93 | 1.1 | 0.84 | 0.91 (drop 0.07)           | fail: max_drop   |
/// | 11-07 | B     | 0.96 | 1.4 | 0.92 | 0.94 (drop 0.02)           | pass             |
/// | 11-08 | A     | 0.95 | 1.0 | 0.86 | 0.84 (rose)                | pass             |
///
/// Against the previous *line* instead, 11-06 would pass (0.85 → 0.84) and 11-08 would
/// fail (0.92 → 0.86, a drop of 0.06).
fn gate_site() -> SiteBuilder {
    let m = |acc: &str, lat: &str, cit: &str| {
        format!("\"accuracy\": {acc}, \"latency\": {lat}, \"citation\": {cit}")
    };
    let lines = [
        run("2026-11-06", A, 0.28, &m("0.93", "1.1", "0.84")),
        run("2026-11-01", A, 0.25, &m("0.95", "1.0", "0.90")),
        run("2026-11-08", A, 0.30, &m("0.95", "1.0", "0.86")),
        run("2026-11-04", B, 0.85, &m("0.97", "2.5", "0.94")),
        run("2026-10-30", C, 0.04, &m("0.95", "0.5", "0.86")),
        run("2026-11-02", B, 0.80, &m("0.96", "1.5", "0.95")),
        run("2026-11-07", B, 0.90, &m("0.96", "1.4", "0.92")),
        run("2026-11-03", A, 0.27, &m("0.85", "1.0", "0.91")),
        run("2026-11-05", C, 0.05, &m("0.80", "0.5", "0.85")),
    ];
    let site =
        SiteBuilder::new()
            .complete_pack("g")
            .section("g", "evaluation", GATED_EVALUATION, "");
    site.write("content/g/evals/results.jsonl", lines.concat().as_bytes());
    site
}

#[derive(Debug, PartialEq)]
struct RunSeen {
    date: String,
    model: String,
    passed: bool,
    failing: Vec<String>,
}

#[test]
fn evaluation_page_applies_min_max_and_max_drop_per_model() {
    let site = gate_site();
    site.build_ok();
    let html = site.page("g/evaluation/");
    let runs: Vec<(RunSeen, ElementRef)> = select(&html, "main ol.runs > li")
        .into_iter()
        .map(|li| {
            let (pass, fail) = (has_class(&li, "run-pass"), has_class(&li, "run-fail"));
            assert!(pass != fail, "{}", li.html());
            let checks = select_in(li, "ul.bar > li");
            assert_eq!(checks.len(), 3, "one check per gate rule: {}", li.html());
            let failing: Vec<String> = checks
                .iter()
                .filter(|c| {
                    let (met, unmet) = (has_class(c, "met"), has_class(c, "unmet"));
                    assert!(met != unmet, "{}", c.html());
                    unmet
                })
                .map(|c| text(&one_in(*c, "code")))
                .collect();
            let seen = RunSeen {
                date: text(&one_in(li, "strong")),
                model: text(&one_in(li, "p > code")),
                passed: pass,
                failing,
            };
            (seen, li)
        })
        .collect();
    let want: Vec<RunSeen> = [
        ("2026-11-08", A, &[][..]),
        ("2026-11-07", B, &[]),
        ("2026-11-06", A, &["citation"]),
        ("2026-11-05", C, &["accuracy"]),
        ("2026-11-04", B, &["latency"]),
        ("2026-11-03", A, &["accuracy"]),
        ("2026-11-02", B, &[]),
        ("2026-11-01", A, &[]),
        ("2026-10-30", C, &[]),
    ]
    .iter()
    .map(|(date, model, failing)| RunSeen {
        date: date.to_string(),
        model: model.to_string(),
        passed: failing.is_empty(),
        failing: failing.iter().map(|s| s.to_string()).collect(),
    })
    .collect();
    let got: Vec<&RunSeen> = runs.iter().map(|(r, _)| r).collect();
    assert_eq!(got, want.iter().collect::<Vec<_>>(), "runs, newest first");

    // The max_drop failure is measured from A's previous run (0.91), not the line before.
    let (_, li_0611) = &runs[2];
    let cit = select_in(*li_0611, "ul.bar > li.unmet");
    assert_eq!(cit.len(), 1);
    let reason = text(&cit[0]);
    assert!(
        reason.contains("0.91") && !reason.contains("0.85"),
        "{reason}"
    );

    let gate_flag = one(&html, "main .flag[class*=\"gate-\"]");
    assert!(has_class(&gate_flag, "gate-pass"), "{}", gate_flag.html());
    let st = status_pack(&site, "g");
    assert_eq!(st["gate"], "pass");
    assert_eq!(st["eval_cases"], 25);
}

/// The models table of a page: (model, latest date, cost, passes, cheapest-marked).
fn models_table(html: &Html) -> Vec<(String, String, f64, bool, bool)> {
    let table = one(html, "main table.models");
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
    let (date_col, cost_col, gate_col) = (col("latest"), col("cost"), col("gate"));
    select_in(table, "tbody tr")
        .iter()
        .map(|tr| {
            let cells = select_in(*tr, "th, td");
            let gate = text(&cells[gate_col]).to_lowercase();
            assert!(gate == "pass" || gate == "fail", "{gate}");
            (
                text(&one_in(cells[0], "code")),
                text(&cells[date_col]),
                text(&cells[cost_col])
                    .parse::<f64>()
                    .unwrap_or_else(|e| panic!("cost {}: {e}", cells[cost_col].html())),
                gate == "pass",
                has_class(tr, "cheapest"),
            )
        })
        .collect()
}

#[test]
fn models_table_marks_the_cheapest_model_whose_latest_run_passes() {
    let site = gate_site();
    site.build_ok();
    let eval_html = site.page("g/evaluation/");
    let mut rows = models_table(&eval_html);
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    // C is cheapest (0.05) but its latest run fails (its older passing run does not
    // count); A's latest run passes at 0.30, cheaper than B at 0.90.
    let want = vec![
        (B.to_string(), "2026-11-07".to_string(), 0.90, true, false),
        (A.to_string(), "2026-11-08".to_string(), 0.30, true, true),
        (C.to_string(), "2026-11-05".to_string(), 0.05, false, false),
    ];
    let mut want_sorted = want.clone();
    want_sorted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(rows, want_sorted);
    assert_eq!(select(&eval_html, "main tr.cheapest").len(), 1);

    // The models section page shows the same table.
    let models_html = site.page("g/models/");
    let mut on_models = models_table(&models_html);
    on_models.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(on_models, rows);
    assert_eq!(select(&models_html, "main tr.cheapest").len(), 1);
}

// ---------------------------------------------------------------------------
// 5. Badges
// ---------------------------------------------------------------------------

/// A badge's `<title>` and the fill of its message box (the rect placed after the label).
fn badge(site: &SiteBuilder, rel: &str) -> (String, String) {
    let svg = site.read(&format!("public/badges/{rel}"));
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{rel}: not XML: {e}"));
    assert!(doc.root_element().has_tag_name("svg"), "{rel}");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("{rel}: no <title>"))
        .to_string();
    let fills: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("x").is_some())
        .filter_map(|n| n.attribute("fill"))
        .collect();
    assert_eq!(fills.len(), 1, "{rel}: one message box: {svg}");
    (title, fills[0].to_string())
}

const RED: &str = "#e05d44";
const ORANGE: &str = "#fe7d37";
const YELLOW: &str = "#dfb317";
const GREEN: &str = "#4c1";

fn badge_site() -> SiteBuilder {
    let models_short =
        complete_toml("models").replace("\"Tickets go to the manual queue\"", "\"TBD\"");
    let eval_short = complete_toml("evaluation").replace("[\"The queue is right\"]", "[\"TBD\"]");
    let data_short = complete_toml("data").replace("\"Gateway logs in the warehouse\"", "\"TBD\"");
    let rollout_short = complete_toml("rollout").replace("[\"Triage quality board\"]", "[]");
    let site = SiteBuilder::new()
        // 0/39 = 0%.
        .section("zero", "workflow", "name = \"TBD\"\n", "")
        // 1/39 = 2.56 → 2%: the least non-zero pack value (1% itself is unreachable,
        // as 100/39 > 2). Its workflow section: 1/6 = 16.7 → 16%.
        .section("two", "workflow", "name = \"Solo\"\n", "")
        // 39 - 6 (no workflow.md) - 1 (models) - 1 (evaluation) - 1 (data) - 1 (rollout)
        // = 29/39 = 74.36 → 74%: the most an orange pack can be.
        // Sections: models 2/3 = 66%, evaluation 2/3 = 66%, data 4/5 = 80%,
        // rollout 3/4 = 75% (the least a yellow section can be).
        .complete_pack("p74")
        .section("p74", "models", &models_short, "")
        .section("p74", "evaluation", &eval_short, "")
        .section("p74", "data", &data_short, "")
        .section("p74", "rollout", &rollout_short, "")
        // Same but rollout complete: 30/39 = 76.9 → 76%, the least yellow pack.
        .complete_pack("p76")
        .section("p76", "models", &models_short, "")
        .section("p76", "evaluation", &eval_short, "")
        .section("p76", "data", &data_short, "")
        // 38/39 = 97.4 → 97%: the most a pack short of complete can be.
        .complete_pack("p97")
        .section("p97", "rollout", &rollout_short, "")
        .complete_pack("full");
    for slug in ["p74", "p76"] {
        std::fs::remove_file(site.join(&format!("content/{slug}/workflow.md"))).expect("rm");
    }
    site
}

#[test]
fn badges_are_svg_with_a_title_and_the_colour_of_their_percentage() {
    let site = badge_site();
    site.build_ok();
    let cases = [
        ("zero.svg", "0%", RED),
        ("zero/workflow.svg", "0%", RED),
        ("zero/rhythm.svg", "0%", RED),
        ("two.svg", "2%", ORANGE),
        ("two/workflow.svg", "16%", ORANGE),
        ("p74.svg", "74%", ORANGE),
        ("p74/workflow.svg", "0%", RED),
        ("p74/models.svg", "66%", ORANGE),
        ("p74/evaluation.svg", "66%", ORANGE),
        ("p74/rollout.svg", "75%", YELLOW),
        ("p74/data.svg", "80%", YELLOW),
        ("p74/incident.svg", "100%", GREEN),
        ("p76.svg", "76%", YELLOW),
        ("p76/rollout.svg", "100%", GREEN),
        ("p97.svg", "97%", YELLOW),
        ("p97/rollout.svg", "75%", YELLOW),
        ("full.svg", "100%", GREEN),
        ("full/rhythm.svg", "100%", GREEN),
    ];
    for (rel, pct, colour) in cases {
        let (title, fill) = badge(&site, rel);
        assert_eq!(
            title.split_whitespace().last(),
            Some(pct),
            "{rel}: title `{title}`"
        );
        assert_eq!(fill, colour, "{rel} at {pct}");
    }
    // The section badges exist for all nine sections of every pack.
    for slug in ["zero", "two", "p74", "p76", "p97", "full"] {
        for stem in STEMS {
            badge(&site, &format!("{slug}/{stem}.svg"));
        }
    }
    // status.json agrees with the badges.
    let status = site.status();
    for (slug, pct) in [
        ("zero", 0),
        ("two", 2),
        ("p74", 74),
        ("p76", 76),
        ("p97", 97),
        ("full", 100),
    ] {
        assert_eq!(pack(&status, slug)["completeness"], pct, "{slug}");
    }
    assert_eq!(section_status(pack(&status, "p74"), "rollout").0, 75);
}

#[test]
fn pages_show_the_badges_and_the_markdown_to_embed_them() {
    let site = badge_site();
    site.build_ok();
    let img_srcs = |html: &Html| -> Vec<String> {
        select(html, "main img")
            .iter()
            .filter_map(|i| i.value().attr("src"))
            .map(str::to_string)
            .collect()
    };
    let dashboard = site.page("");
    let srcs = img_srcs(&dashboard);
    for slug in ["zero", "two", "p74", "p76", "p97", "full"] {
        assert!(
            srcs.contains(&url(&format!("badges/{slug}.svg"))),
            "{srcs:?}"
        );
    }
    let overview = site.page("p74/");
    let srcs = img_srcs(&overview);
    assert!(srcs.contains(&url("badges/p74.svg")), "{srcs:?}");
    for stem in STEMS {
        assert!(
            srcs.contains(&url(&format!("badges/p74/{stem}.svg"))),
            "{stem}: {srcs:?}"
        );
    }
    let section = site.page("p74/rollout/");
    assert!(img_srcs(&section).contains(&url("badges/p74/rollout.svg")));
    // Every badge a page shows exists.
    for html in [&dashboard, &overview, &section] {
        for src in img_srcs(html) {
            if let Some(rel) = src.strip_prefix(&url("badges/")) {
                badge(&site, rel);
            }
        }
    }
    // The overview shows the Markdown to embed the badge, with its absolute URL.
    let code: Vec<String> = select(&overview, "main pre, main code")
        .iter()
        .map(text)
        .collect();
    let abs = "https://acme.github.io/ai-packs/badges/p74.svg";
    assert!(
        code.iter()
            .any(|c| c.starts_with("[![") && c.contains(&format!("]({abs})"))),
        "no embeddable Markdown in {code:?}"
    );
}

// ---------------------------------------------------------------------------
// 6. Owners
// ---------------------------------------------------------------------------

fn owners_site() -> SiteBuilder {
    SiteBuilder::new()
        .complete_pack("alpha")
        .section(
            "alpha",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Alpha triage"),
            "",
        )
        .section(
            "alpha",
            "accountability",
            concat!(
                "dri = \"Dana Ortiz <dana@acme.example>\"\n",
                "platform_owner = \"Pat Kim <pat@acme.example>\"\n",
                "security_owner = \"Sam Lee <@slee>\"\n",
                "data_owner = \"Dee Roy <dee@acme.example>\"\n",
                "incident_owner = \"Priya N. <+1 555 0199>\"\n",
            ),
            "",
        )
        .section(
            "alpha",
            "incident",
            &complete_toml("incident")
                .replace("Priya N. <+1 555 0100>", "Priya N. <+1 555 0199>")
                .replace(
                    "review_owner = \"Dana Ortiz\"",
                    "review_owner = \"Pat Kim\"",
                ),
            "",
        )
        .complete_pack("beta")
        .section(
            "beta",
            "workflow",
            &complete_toml("workflow").replace("Support triage", "Beta summaries"),
            "",
        )
        .section(
            "beta",
            "accountability",
            concat!(
                "dri = \"Pat Kim <pat@acme.example>\"\n",
                "platform_owner = \"Platform team on-call <#ai-platform>\"\n",
                "security_owner = \"Dana Ortiz <@dana>\"\n",
                "data_owner = \"Dee Roy <dee@acme.example>\"\n",
                "incident_owner = \"Priya N. <+1 555 0199>\"\n",
            ),
            "",
        )
        .section(
            "beta",
            "incident",
            &complete_toml("incident").replace(
                "paging = [\"Priya N. <+1 555 0100>\"]",
                "paging = [\" dana  ortiz <+1 555 0100>\", \"Priya N. <+1 555 0199>\"]",
            ),
            "",
        )
}

/// Each role of a person as (role, URL of the answer), and the name of every pack linked.
fn roles_of(o: &OwnerSeen) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let mut roles = BTreeSet::new();
    let mut packs = BTreeSet::new();
    for (role, held) in &o.roles {
        for (pack, answer) in held {
            assert!(
                roles.insert((role.clone(), answer.clone())),
                "{role} at {answer} twice: {o:?}"
            );
            packs.insert(pack.clone());
        }
    }
    (roles, packs)
}

fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn want_roles(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter().map(|(r, f)| (r.to_string(), url(f))).collect()
}

#[test]
fn owners_merge_one_person_across_packs_roles_and_spellings() {
    let site = owners_site();
    site.build_ok();
    let owners = owners_seen(&site);
    let danas: Vec<_> = owners
        .iter()
        .filter(|o| name_key(&o.name) == "dana ortiz")
        .collect();
    assert_eq!(danas.len(), 1, "Dana once: {owners:?}");
    let dana = danas[0];
    let (roles, packs) = roles_of(dana);
    let want = want_roles(&[
        ("DRI", "alpha/accountability/#dri"),
        ("Security owner", "beta/accountability/#security_owner"),
        ("Paged for incidents", "beta/incident/#paging"),
        ("Post-incident review owner", "beta/incident/#review_owner"),
    ]);
    assert_eq!(roles, want);
    for (_, answer) in &roles {
        assert_target(&site, answer);
    }
    // Each pack by its name.
    assert_eq!(
        packs,
        BTreeSet::from(["Alpha triage".to_string(), "Beta summaries".to_string()])
    );
    assert_eq!(dana.page, "owners/d/");
    assert_eq!(
        dana.summary,
        "DRI, Security owner, Paged for incidents, Post-incident review owner · 2 packs"
    );
    // Every way to reach her: e-mail and phone as links, the handle as text.
    assert!(
        dana.links.contains(&"mailto:dana@acme.example".to_string()),
        "{:?}",
        dana.links
    );
    assert!(
        dana.links.contains(&"tel:+15550100".to_string()),
        "{:?}",
        dana.links
    );
    assert!(
        dana.contacts.contains(&"@dana".to_string()),
        "{:?}",
        dana.contacts
    );
    assert!(!dana
        .links
        .iter()
        .any(|l| l.contains("@dana") && !l.starts_with("mailto:")));

    // Priya, on another number, is someone else, with her own roles in both packs: each
    // role once, with both packs.
    let priya: Vec<_> = owners
        .iter()
        .filter(|o| name_key(&o.name).starts_with("priya"))
        .collect();
    assert_eq!(priya.len(), 1, "{owners:?}");
    let both = |stem: &str| {
        vec![
            ("Alpha triage".to_string(), url(&format!("alpha/{stem}"))),
            ("Beta summaries".to_string(), url(&format!("beta/{stem}"))),
        ]
    };
    assert_eq!(
        priya[0].roles,
        [
            (
                "Incident owner".to_string(),
                both("accountability/#incident_owner")
            ),
            ("Paged for incidents".to_string(), both("incident/#paging")),
        ]
    );
    assert_eq!(priya[0].links, ["tel:+15550199"]);
    assert_eq!(priya[0].page, "owners/p/");

    // Pat: platform owner and review owner of alpha, DRI of beta.
    let pat: Vec<_> = owners
        .iter()
        .filter(|o| name_key(&o.name) == "pat kim")
        .collect();
    assert_eq!(pat.len(), 1);
    let want = want_roles(&[
        ("Platform owner", "alpha/accountability/#platform_owner"),
        ("Post-incident review owner", "alpha/incident/#review_owner"),
        ("DRI", "beta/accountability/#dri"),
    ]);
    assert_eq!(roles_of(pat[0]).0, want);
    // Roles in the order of the accountability sections, whatever order they were met in.
    let order: Vec<&str> = pat[0].roles.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        order,
        ["DRI", "Platform owner", "Post-incident review owner"]
    );

    // Nobody is listed twice, and /owners/ is in name order.
    let mut names = BTreeSet::new();
    for o in &owners {
        assert!(
            names.insert(name_key(&o.name)),
            "{} twice: {owners:?}",
            o.name
        );
    }
    let listed: Vec<String> = owners.iter().map(|o| o.name.to_lowercase()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
}

#[test]
fn owners_pages_split_by_first_letter_and_fold_long_role_lists() {
    // Thirteen packs: Dana is the DRI of all of them, Dee the data owner of twelve.
    let mut site = SiteBuilder::new();
    for i in 0..13 {
        let slug = format!("p{i:02}");
        let mut accountability = complete_toml("accountability").to_string();
        if i == 12 {
            accountability = accountability
                .replace(
                    "Dee Roy <dee@acme.example>",
                    "Émile Zola <emile@acme.example>",
                )
                .replace("Sam Lee <@slee>", "+1 555 0142");
        }
        site = site
            .complete_pack(&slug)
            .section(&slug, "accountability", &accountability, "");
    }
    site.build_ok();
    let owners = owners_seen(&site);
    let pages: Vec<(&str, &str)> = owners
        .iter()
        .map(|o| (o.name.as_str(), o.page.as_str()))
        .collect();
    assert_eq!(
        pages,
        [
            ("Dana Ortiz", "owners/d/"),
            ("Dee Roy", "owners/d/"),
            ("Pat Kim", "owners/p/"),
            ("Priya N.", "owners/p/"),
            ("Sam Lee", "owners/s/"),
            // Names not starting with a letter from A to Z share the last page.
            ("+1 555 0142", "owners/other/"),
            ("Émile Zola", "owners/other/"),
        ]
    );
    let index = site.page("owners/");
    let letters: Vec<String> = select(&index, "main nav.letters a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(letters, ["D", "P", "S", "Other"]);

    // Every role of every pack is there, each role once per person.
    let dana = &owners[0];
    let dris: Vec<String> = (0..13)
        .map(|i| url(&format!("p{i:02}/accountability/#dri")))
        .collect();
    let (role, held) = &dana.roles[0];
    assert_eq!(role, "DRI");
    assert_eq!(
        held.iter().map(|(_, u)| u.clone()).collect::<Vec<_>>(),
        dris
    );
    assert!(held.iter().all(|(pack, _)| pack == "Support triage"));
    assert_target(&site, &dris[12]);
    let dee = &owners[1];
    assert_eq!(dee.roles.len(), 1);
    assert_eq!(dee.roles[0].1.len(), 12);
    assert_eq!(
        owners[6].roles,
        [(
            "Data owner".to_string(),
            vec![(
                "Support triage".to_string(),
                url("p12/accountability/#data_owner")
            )]
        )]
    );
    assert_eq!(owners[5].roles[0].0, "Security owner");

    // Thirteen packs fold behind a summary that counts them; twelve stay open.
    let d = site.page("owners/d/");
    let dana_roles = select(&d, "li#dana-ortiz ul.roles > li");
    let dri = dana_roles
        .iter()
        .find(|r| text(&one_in(**r, ".role")) == "DRI")
        .expect("Dana's DRI roles");
    assert_eq!(text(&one_in(*dri, "details > summary")), "DRI of 13 packs");
    assert_eq!(select_in(*dri, "details > a").len(), 13);
    assert!(select(&d, "li#dee-roy details").is_empty());
    assert_eq!(
        text(&one(&d, "li#dee-roy ul.roles > li"))
            .matches("Support triage")
            .count(),
        12
    );
}

// ---------------------------------------------------------------------------
// 7. Dashboard and 8. status.json
// ---------------------------------------------------------------------------

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
