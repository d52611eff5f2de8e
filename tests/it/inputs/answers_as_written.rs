//! Answers are read as people write them.

use super::*;

#[test]
fn a_placeholder_entry_in_a_list_of_tables_is_unfilled_not_an_error() {
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "rhythm", "reviews = [\"TBD\"]\n", "")
        .section(
            "pack",
            "rollout",
            &complete_toml("rollout")
                .split("\n[[phases]]")
                .next()
                .map(|head| format!("{head}\nphases = [\"TODO\"]\n"))
                .expect("head"),
            "",
        )
        .section(
            "pack",
            "evaluation",
            &complete_toml("evaluation").replace(
                "release_gate = [{ metric = \"accuracy\", min = 0.9 }]",
                "release_gate = [{ metric = \"accuracy\", min = 0.9 }, \"TBD\"]",
            ),
            "",
        );
    let (code, diags) = site.diags();
    assert!(of_severity(&diags, "error").is_empty(), "{diags:?}");
    assert_eq!(code, 0);
    site.build_ok();
    let status = site.status();
    let p = pack(&status, "pack");
    assert_eq!(
        section_status(p, "rhythm"),
        (0, vec!["reviews".to_string()])
    );
    assert_eq!(
        section_status(p, "rollout"),
        (75, vec!["phases".to_string()])
    );
    assert_eq!(
        section_status(p, "evaluation"),
        (66, vec!["release_gate".to_string()])
    );
    // Shown as gaps on the section pages.
    let rhythm = site.page("pack/rhythm/");
    let answer = one(&rhythm, "#reviews");
    assert!(answer.value().classes().any(|c| c == "answer-missing"));
    assert_eq!(text(&one(&rhythm, "#reviews dd .placeholder")), "(TBD)");
    let rollout = site.page("pack/rollout/");
    assert_eq!(text(&one(&rollout, "#phases dd .placeholder")), "(TODO)");
    // The real gate still gates; the placeholder entry is a row still to fill.
    let evaluation = site.page("pack/evaluation/");
    let rows = select(&evaluation, "#release_gate table tbody tr");
    assert_eq!(rows.len(), 2);
    assert!(text(&rows[1]).contains("Missing"));
}

#[test]
fn a_second_contact_after_a_separator_or_a_plus_names_more_than_one_person() {
    let toml = concat!(
        "dri = \"Ann Lee <ann@x.example>, Bob Roy <bob@x.example>\"\n",
        "platform_owner = \"Ann Lee + Bob Roy\"\n",
        "security_owner = \"Sam Lee <@slee>\"\n",
        "data_owner = \"Dee Roy <dee@acme.example>\"\n",
        "incident_owner = \"Priya N. <+1 555 0100>\"\n",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "accountability", toml, "");
    let (code, diags) = site.diags();
    let want = |line: u64, field: &str, joiner: &str| {
        Diag {
        severity: "error".into(),
        file: "content/pack/accountability.md".into(),
        line,
        column: u64::try_from(field.len()).expect("len") + 4,
        message: format!("`{field}` names more than one person (joined by `{joiner}`); a pack needs one accountable person, e.g. `{field} = \"Dana Ortiz <dana@example.com>\"`"),
    }
    };
    assert_eq!(
        of_severity(&diags, "error"),
        vec![want(2, "dri", ","), want(3, "platform_owner", "+")]
    );
    assert_eq!(code, 1);
    let out = site.build();
    assert_eq!(out.code, 1);
    assert!(!site.join("public").exists());
}

#[test]
fn a_name_with_angle_brackets_keeps_its_contact() {
    let toml = complete_toml("accountability")
        .replace("Sam Lee <@slee>", "Ops <<team>> <ops@x.example>")
        .replace("Dee Roy <dee@acme.example>", "A > B <a@x.example>");
    let site =
        SiteBuilder::new()
            .complete_pack("pack")
            .section("pack", "accountability", &toml, "");
    let (code, diags) = site.diags();
    assert_eq!(diags, vec![]);
    assert_eq!(code, 0);
    site.build_ok();
    let html = site.page("pack/accountability/");
    for (id, name, href) in [
        ("security_owner", "Ops <<team>>", "mailto:ops@x.example"),
        ("data_owner", "A > B", "mailto:a@x.example"),
    ] {
        assert_eq!(text(&one(&html, &format!("#{id} .person"))), name);
        let a = one(&html, &format!("#{id} a.contact"));
        assert_eq!(a.value().attr("href"), Some(href));
    }
    let owners = owners_seen(&site);
    let ops = owners
        .iter()
        .find(|o| o.name == "Ops <<team>>")
        .expect("Ops on /owners/");
    assert_eq!(ops.links, ["mailto:ops@x.example"]);
}

#[test]
fn different_names_sharing_a_contact_are_two_people_with_a_warning() {
    let site = SiteBuilder::new()
        .complete_pack("alpha")
        .complete_pack("beta")
        .section(
            "beta",
            "accountability",
            &complete_toml("accountability").replace(
                "Dana Ortiz <dana@acme.example>",
                "D. Ortiz <dana@acme.example>",
            ),
            "",
        )
        .section(
            "beta",
            "incident",
            &complete_toml("incident").replace(
                "review_owner = \"Dana Ortiz\"",
                "review_owner = \" dana  ORTIZ <@dana>\"",
            ),
            "",
        );
    let (code, diags) = site.diags();
    assert_eq!(
        diags,
        vec![Diag {
            severity: "warning".into(),
            file: "content/beta/accountability.md".into(),
            line: 2,
            column: 7,
            message: "`Dana Ortiz` (content/alpha/accountability.md:2) and `D. Ortiz` (content/beta/accountability.md:2) share the contact `dana@acme.example`; they are listed as different people on the owners page; if they are one person, write the name the same way everywhere".into(),
        }]
    );
    assert_eq!(code, 0);
    site.build_ok();
    let owners: Vec<(String, Vec<String>, Vec<String>)> = owners_seen(&site)
        .into_iter()
        .map(|o| {
            let answers = (o.roles.iter())
                .flat_map(|(_, held)| held.iter().map(|(_, answer)| answer.clone()))
                .collect();
            (o.name, o.contacts, answers)
        })
        .collect();
    let find = |name: &str| {
        owners
            .iter()
            .find(|o| o.0 == name)
            .unwrap_or_else(|| panic!("{name} on /owners/: {owners:?}"))
    };
    let dana = find("Dana Ortiz");
    let d = find("D. Ortiz");
    assert_eq!(dana.1, ["dana@acme.example", "@dana"]);
    assert_eq!(d.1, ["dana@acme.example"]);
    let url = |p: &str| format!("{BASE}{p}");
    assert_eq!(
        dana.2,
        [
            url("alpha/accountability/#dri"),
            url("alpha/incident/#review_owner"),
            url("beta/incident/#review_owner"),
        ]
    );
    assert_eq!(d.2, [url("beta/accountability/#dri")]);
    assert_eq!(
        owners
            .iter()
            .filter(|o| o.0.to_lowercase().contains("ortiz"))
            .count(),
        2
    );
}
