//! The incident runbook of a pack, and the page of every runbook and its printable copy.

use super::*;

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
