//! The owners pages: everyone named in any pack, once each, with every role they hold.

use super::*;

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
