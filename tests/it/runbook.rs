//! The runbook as a responder uses it, parsed: who to page with their roles, the fallback
//! when nobody is on the paging list, how current it is, and the kill-switch command.

use crate::common::*;
use scraper::{ElementRef, Html};

/// One person under "Who to page", as shown.
#[derive(Debug)]
struct Paged {
    name: String,
    roles: String,
    links: Vec<String>,
}

fn paged(people: ElementRef) -> Vec<Paged> {
    select_in(people, "ol.rb-contacts > li")
        .into_iter()
        .map(|li| Paged {
            name: text(&one_in(li, ".person")),
            roles: select_in(li, ".rb-roles").iter().map(text).collect(),
            links: hrefs(li, "a.contact"),
        })
        .collect()
}

fn incident_with_paging(paging: &str) -> String {
    complete_toml("incident").replace("paging = [\"Priya N. <+1 555 0100>\"]\n", paging)
}

#[test]
fn every_person_to_page_is_listed_once_with_their_roles_and_a_link_to_reach_them() {
    let site = SiteBuilder::new().complete_pack("triage").section(
        "triage",
        "incident",
        &incident_with_paging(concat!(
            "paging = [\"Priya N. <+1 555 0100>\", \"Dana Ortiz <dana@acme.example>\", ",
            "\"  priya   n. <priya@acme.example>\", \"Sam Lee <@slee>\", ",
            "\"Chat bridge <https://chat.acme.example/ai>\", \"AI on-call <#ai-oncall>\"]\n"
        )),
        "",
    );
    site.build_ok();
    let html = site.page("triage/runbook/");
    let people = one(&html, "main .rb-people");
    let list = paged(people);
    let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
    // Priya is written twice, spaced and cased differently: one entry, in first place.
    assert_eq!(
        names,
        [
            "Priya N.",
            "Dana Ortiz",
            "Sam Lee",
            "Chat bridge",
            "AI on-call"
        ]
    );
    let roles: Vec<&str> = list.iter().map(|p| p.roles.as_str()).collect();
    assert_eq!(
        roles,
        [
            "incident owner",
            "DRI · review owner",
            "security owner",
            "on the paging list",
            "on-call channel"
        ],
        "{}",
        people.html()
    );
    // Every entry says what the person is.
    for li in select_in(people, "ol.rb-contacts > li") {
        assert!(!text(&one_in(li, ".rb-roles")).is_empty(), "{}", li.html());
    }
    // Quickest first: Priya's phone before her e-mail, both large links.
    let priya = list.first().expect("Priya");
    assert_eq!(
        priya.links,
        ["tel:+15550100", "mailto:priya@acme.example"],
        "{priya:?}"
    );
    assert_eq!(list[1].links, ["mailto:dana@acme.example"]);
    assert_eq!(list[3].links, ["https://chat.acme.example/ai"]);
    // A handle or a channel is no link.
    assert!(list[2].links.is_empty() && list[4].links.is_empty());
    let li = select_in(people, "ol.rb-contacts > li");
    assert!(text(&li[2]).contains("@slee") && text(&li[4]).contains("#ai-oncall"));
    let call = one_in(li[0], "a[href^=\"tel:\"]");
    assert_eq!(text(&call), "Call +1 555 0100");
    // Nothing is flagged when the list is complete.
    assert!(select_in(people, ".rb-alert, .rb-fallback").is_empty());
}

/// The runbook of a pack whose incident section has no paging list and whose incident
/// owner, DRI and platform owner are as given (`TBD` for none).
fn no_paging_list(site: SiteBuilder, slug: &str, owners: [&str; 3]) -> SiteBuilder {
    let accountability = complete_toml("accountability")
        .replace("\"Priya N. <+1 555 0100>\"", owners[0])
        .replace("\"Dana Ortiz <dana@acme.example>\"", owners[1])
        .replace("\"Pat Kim <pat@acme.example>\"", owners[2]);
    site.complete_pack(slug)
        .section(slug, "accountability", &accountability, "")
        .section(slug, "incident", &incident_with_paging(""), "")
}

#[test]
fn with_nobody_on_the_paging_list_the_runbook_says_to_call_the_incident_owner_then_the_dri_then_the_platform_owner(
) {
    let site = SiteBuilder::new();
    let site = no_paging_list(
        site,
        "owner",
        [
            "\"Priya N. <+1 555 0100>\"",
            "\"Dana Ortiz <dana@acme.example>\"",
            "\"Pat Kim <pat@acme.example>\"",
        ],
    );
    let site = no_paging_list(
        site,
        "dri",
        [
            "\"TBD\"",
            "\"Dana Ortiz <dana@acme.example>\"",
            "\"Pat Kim <pat@acme.example>\"",
        ],
    );
    let site = no_paging_list(
        site,
        "platform",
        ["\"TBD\"", "\"TBD\"", "\"Pat Kim <pat@acme.example>\""],
    );
    let site = no_paging_list(site, "nobody", ["\"TBD\"", "\"TBD\"", "\"TBD\""]);
    site.build_ok();
    // (pack, who to call, everyone listed in order, the first one's link)
    let cases = [
        (
            "owner",
            "incident owner",
            vec!["Priya N.", "Dana Ortiz", "Pat Kim"],
            "tel:+15550100",
        ),
        (
            "dri",
            "DRI",
            vec!["Dana Ortiz", "Pat Kim"],
            "mailto:dana@acme.example",
        ),
        (
            "platform",
            "platform owner",
            vec!["Pat Kim"],
            "mailto:pat@acme.example",
        ),
    ];
    for (slug, role, names, link) in cases {
        let html = site.page(&format!("{slug}/runbook/"));
        let people = one(&html, "main .rb-people");
        assert!(
            select_in(people, ".rb-alert").is_empty(),
            "{slug}: no red section when someone can be called: {}",
            people.html()
        );
        let note = one_in(people, ".rb-fallback");
        assert!(
            text(&note).starts_with(&format!("No paging list yet — call the {role}.")),
            "{slug}: {}",
            note.html()
        );
        assert!(
            hrefs(note, "a").contains(&format!("{BASE}{slug}/incident/#paging")),
            "{slug}: the note links to where the paging list is written"
        );
        let list = paged(people);
        let got: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(got, names, "{slug}");
        assert!(list.iter().all(|p| !p.roles.is_empty()), "{slug}: {list:?}");
        assert!(list[0].roles.contains(role), "{slug}: {list:?}");
        assert_eq!(list[0].links.first().map(String::as_str), Some(link));
        // The person to call first heads the page, with their link.
        let first = one(&html, "main .rb-first");
        assert!(text(&first).contains(names[0]), "{slug}: {}", first.html());
        assert_eq!(hrefs(first, "a.contact"), [link], "{slug}");
        if slug != "owner" {
            assert!(
                text(&one_in(first, "h2")).contains(&format!("call the {role}")),
                "{slug}: {}",
                first.html()
            );
        }
    }
    // Nobody at all: the gap is flagged, in red, with where to fill it.
    let html = site.page("nobody/runbook/");
    let people = one(&html, "main .rb-people");
    assert!(select_in(people, ".rb-fallback, ol").is_empty());
    let alert = one_in(people, ".rb-alert");
    assert!(hrefs(alert, "a").contains(&format!("{BASE}nobody/incident/#paging")));
}

fn as_of(html: &Html) -> (String, Vec<String>) {
    let p = one(html, "main .rb-asof");
    let times = select_in(p, "time")
        .iter()
        .filter_map(|t| t.value().attr("datetime"))
        .map(str::to_string)
        .collect();
    (text(&p), times)
}

#[test]
fn the_runbook_says_how_current_it_is_and_the_printed_runbooks_carry_the_build_date() {
    let site = SiteBuilder::new()
        // Review 2026-11-20, eval runs 2026-11-10 and 2026-11-20.
        .complete_pack("reviewed")
        // A later eval run, and one dated after the build, which is not yet true.
        .complete_pack("evaluated")
        .file(
            "content/evaluated/evals/results.jsonl",
            &(run_line("2026-11-22", "acme/small-2", "\"accuracy\": 0.95")
                + &run_line("2026-12-30", "acme/small-2", "\"accuracy\": 0.95")),
        )
        // Neither a review nor a run.
        .section("bare", "workflow", "name = \"Bare\"\n", "");
    site.build_ok();
    let (said, times) = as_of(&site.page("reviewed/runbook/"));
    assert!(
        said.starts_with("As of 2026-11-20 (weekly review)"),
        "{said}"
    );
    assert_eq!(times, ["2026-11-20", "2026-11-26"], "{said}");
    assert!(said.ends_with("built 2026-11-26"), "{said}");
    let (said, times) = as_of(&site.page("evaluated/runbook/"));
    assert!(said.starts_with("As of 2026-11-22 (eval run)"), "{said}");
    assert_eq!(times, ["2026-11-22", "2026-11-26"]);
    let (said, times) = as_of(&site.page("bare/runbook/"));
    assert!(said.starts_with("As of the build"), "{said}");
    assert_eq!(times, ["2026-11-26"]);

    // Printed: the page says which build it is, and each runbook how current it is.
    let html = site.page("runbooks/print/");
    let built = one(&html, "main .rb-built");
    assert!(text(&built).contains("2026-11-26"), "{}", built.html());
    assert_eq!(
        one_in(built, "time").value().attr("datetime"),
        Some("2026-11-26")
    );
    let articles = select(&html, "main article.runbook");
    assert_eq!(articles.len(), 3);
    for a in articles {
        assert!(
            text(&one_in(a, ".rb-asof")).contains("built 2026-11-26"),
            "{}",
            a.html()
        );
    }
}

#[test]
fn the_kill_switch_command_sits_in_a_code_block_with_a_copy_button_and_the_prose_around_it() {
    let ops = complete_toml("operability").replace(
        "\"Turn off the triage flag in the flag console\"",
        "\"In the flag console set `triage.enabled` to off, or run `flagctl set triage.enabled off --env prod`. Queues fall back within a minute.\"",
    );
    let site = SiteBuilder::new()
        .complete_pack("triage")
        .section("triage", "operability", &ops, "")
        .complete_pack("plain");
    site.build_ok();
    let html = site.page("triage/runbook/");
    let kill = one(&html, "main section.rb-kill");
    let code = one_in(kill, "pre > code");
    assert_eq!(text(&code), "flagctl set triage.enabled off --env prod");
    let id = code.value().attr("id").expect("the command has an id");
    let button = one_in(kill, "button.rb-copy");
    assert_eq!(button.value().attr("type"), Some("button"));
    assert_eq!(button.value().attr("data-copy"), Some(id));
    assert!(
        button.value().attr("aria-label").is_some() || !text(&button).is_empty(),
        "the button has a name"
    );
    // Shown by the script: without it the command stays selectable text.
    assert!(button.value().attr("hidden").is_some());
    let scripts: Vec<&str> = select(&html, "script[src]")
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .collect();
    assert!(
        scripts.contains(&format!("{BASE}runbook.js").as_str()),
        "{scripts:?}"
    );
    assert!(site.read("public/runbook.js").contains("data-copy"));
    // The prose is kept, before and after the command, which is written once.
    let how = text(&one_in(kill, ".rb-how"));
    assert!(
        how.starts_with("In the flag console set triage.enabled to off, or run:"),
        "{how}"
    );
    assert!(how.ends_with("Queues fall back within a minute."), "{how}");
    assert_eq!(how.matches("flagctl set").count(), 1, "{how}");

    // A how with no command: the prose alone, no button.
    let html = site.page("plain/runbook/");
    let kill = one(&html, "main section.rb-kill");
    assert!(select_in(kill, "pre, button").is_empty(), "{}", kill.html());
    assert!(text(&kill).contains("Turn off the triage flag in the flag console"));
}

#[test]
fn an_incident_owner_written_as_a_bare_number_is_one_call_button_at_the_top() {
    let accountability =
        complete_toml("accountability").replace("\"Priya N. <+1 555 0100>\"", "\"+1 555 0199\"");
    let site = SiteBuilder::new().complete_pack("triage").section(
        "triage",
        "accountability",
        &accountability,
        "",
    );
    site.build_ok();
    let html = site.page("triage/runbook/");
    let first = one(&html, "main .rb-first");
    assert_eq!(
        hrefs(first, "a:not(.permalink)"),
        ["tel:+15550199"],
        "{}",
        first.html()
    );
    let link = one_in(first, "a.contact");
    assert_eq!(text(&link), "+1 555 0199");
    assert_eq!(
        text(&first).matches("555 0199").count(),
        1,
        "{}",
        first.html()
    );
    assert!(text(&first).contains("incident owner"));
}
