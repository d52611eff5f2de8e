//! A site's `templates/` replaces the theme's partials and macros by file name, and the
//! replacement shows everywhere the theme uses them: people, missing answers, gate tables.

use crate::common::{self, one, select, text, SiteBuilder};

const PERSON: &str = "{% if person.missing %}<i class=\"nobody\">nobody</i>{% else %}<b class=\"who\">{{ person.name }}{% for c in person.contacts %} / {{ c.text }}{% endfor %}</b>{% endif %}";

fn texts(html: &scraper::Html, selector: &str) -> Vec<String> {
    select(html, selector).iter().map(text).collect()
}

#[test]
fn a_person_partial_override_changes_people_on_the_runbook_owners_and_section_pages() {
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    // The theme's own person markup first, so the override below has something to change.
    assert_eq!(
        texts(&site.page("pack/accountability/"), "#dri .person"),
        ["Dana Ortiz"]
    );
    let runbook = site.page("pack/runbook/");
    assert_eq!(texts(&runbook, ".rb-people .person"), ["Priya N."]);
    assert_eq!(texts(&runbook, ".rb-first .person"), ["Priya N."]);
    let owners = site.page("owners/d/");
    let names: Vec<String> = select(&owners, ".owners h2")
        .iter()
        .map(common::heading_text)
        .collect();
    assert!(names.contains(&"Dana Ortiz".to_string()), "{names:?}");

    let site = site.file("templates/partials/person.html", PERSON);
    site.build_ok();

    let section = site.page("pack/accountability/");
    assert_eq!(
        text(&one(&section, "#dri .who")),
        "Dana Ortiz / dana@acme.example"
    );
    assert_eq!(
        text(&one(&section, "#incident_owner .who")),
        "Priya N. / +1 555 0100"
    );
    assert!(select(&section, ".person, .contact").is_empty());

    let runbook = site.page("pack/runbook/");
    // Who to page, and the incident owner.
    assert_eq!(
        texts(&runbook, ".rb-people .who, .rb-first .who"),
        ["Priya N. / +1 555 0100", "Priya N. / +1 555 0100"]
    );
    // The post-incident review owner is a person answer too.
    assert_eq!(texts(&runbook, "section .who").len(), 3);
    assert!(select(&runbook, ".person").is_empty());

    let owners = site.page("owners/d/");
    let names = texts(&owners, ".owners > li > .who");
    assert!(
        names.contains(&"Dana Ortiz / dana@acme.example".to_string()),
        "{names:?}"
    );
    assert!(select(&owners, ".owners h2, .owners .contact").is_empty());

    // The dashboard's DRI and the runbooks list use the same partial.
    assert_eq!(
        texts(&site.page(""), "table.packs .who"),
        ["Dana Ortiz / dana@acme.example"]
    );
    assert_eq!(
        texts(&site.page("runbooks/"), "table.runbooks .who"),
        ["Priya N. / +1 555 0100"]
    );
}

#[test]
fn a_missing_callout_override_changes_section_pages_and_the_checklist() {
    let operability = "central_gateway = true\nbudget_alerts = true\ncost_attribution = true\nkill_switch = true\nkill_switch_how = \"Turn off the flag\"\n";
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "operability", operability, "")
        .file(
            "templates/partials/missing.html",
            "<em class=\"gap\">Not written yet{% if placeholder %}: {{ placeholder }}{% endif %}</em>",
        );
    let rollout = common::complete_toml("rollout").replace(
        "escalation_path = \"Dana, then the support director\"",
        "escalation_path = \"TBD\"",
    );
    let site = site.section("pack", "rollout", &rollout, "");
    site.build_ok();

    let section = site.page("pack/operability/");
    assert_eq!(
        text(&one(&section, "#tracing dd em.gap")),
        "Not written yet"
    );
    assert!(select(&section, "span.missing").is_empty());
    assert_eq!(
        text(&one(
            &site.page("pack/rollout/"),
            "#escalation_path dd em.gap"
        )),
        "Not written yet: TBD"
    );

    let checklist = site.page("pack/checklist/");
    assert_eq!(
        texts(&checklist, "dl.answers em.gap"),
        ["Not written yet", "Not written yet: TBD"]
    );
    assert!(select(&checklist, "dl.answers span.missing").is_empty());
}

#[test]
fn a_macros_override_changes_the_gate_table_and_answers_on_the_section_page_and_checklist() {
    let theme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/macros.html"
    ))
    .unwrap();
    let ours = theme
        .replace(
            "<table class=\"answer-table\">",
            "<table class=\"gate-table\">",
        )
        .replace(
            "<span class=\"yes\">Yes</span>",
            "<span class=\"yes\">Yes, in place</span>",
        );
    assert_ne!(ours, theme, "the theme's macros changed: update this test");
    let site = SiteBuilder::new().complete_pack("pack");
    site.build_ok();
    assert_eq!(
        select(
            &site.page("pack/evaluation/"),
            "#release_gate table.answer-table"
        )
        .len(),
        1
    );

    let site = site.file("templates/macros.html", &ours);
    site.build_ok();
    let section = site.page("pack/evaluation/");
    assert_eq!(
        texts(&section, "#release_gate table.gate-table tbody td"),
        ["accuracy", "0.9", "—", "—"]
    );
    assert!(select(&section, "table.answer-table").is_empty());
    assert_eq!(
        text(&one(&site.page("pack/operability/"), "#tracing dd")),
        "Yes, in place"
    );
    let checklist = site.page("pack/checklist/");
    assert_eq!(
        texts(&checklist, "#operability + dl.answers .yes").len(),
        5,
        "every yes answer of the operability checklist"
    );
    assert!(texts(&checklist, "dl.answers .yes")
        .iter()
        .all(|t| t == "Yes, in place"));
}

#[test]
fn the_theme_shows_a_bare_contact_once_as_the_linked_name_wherever_a_person_is_shown() {
    let incident = common::complete_toml("incident").replace(
        "paging = [\"Priya N. <+1 555 0100>\"]",
        "paging = [\"oncall@acme.example\", \"Platform <#ai-platform>\"]",
    );
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .section("pack", "incident", &incident, "");
    site.build_ok();
    // On the runbook each person also says what they are.
    for (page, selector, shown) in [
        (
            "pack/incident/",
            "#paging li",
            ["oncall@acme.example", "Platform #ai-platform"],
        ),
        (
            "pack/runbook/",
            ".rb-people ol.rb-contacts li",
            [
                "oncall@acme.example on the paging list",
                "Platform on-call channel #ai-platform",
            ],
        ),
    ] {
        let html = site.page(page);
        let items = select(&html, selector);
        assert_eq!(items.len(), 2, "{page}");
        let bare = one(
            &html,
            &format!("{selector} a.contact[href=\"mailto:oncall@acme.example\"]"),
        );
        assert_eq!(text(&bare), "oncall@acme.example", "{page}");
        assert_eq!(text(&items[0]), shown[0], "{page}: shown once");
        assert_eq!(text(&items[1]), shown[1], "{page}");
        assert_eq!(
            select(&html, &format!("{selector} span.contact")).len(),
            1,
            "{page}: a channel has no link"
        );
    }
}

/// The printed runbooks page is put together from each runbook's body as it is written;
/// a template that does more with a body than print it as it is (here: escapes it) gets
/// the bodies themselves, and the page shows what the template says.
#[test]
fn a_printed_runbooks_override_that_escapes_the_bodies_shows_them_as_text() {
    let site = SiteBuilder::new().complete_pack("one").complete_pack("two");
    site.build_ok();
    let theirs = site.page("runbooks/print/");
    let articles = select(&theirs, "article.runbook-print");
    assert_eq!(articles.len(), 2);
    assert!(articles.iter().all(|a| !select_in_h2(a).is_empty()));
    let body = site.read("public/runbooks/print/index.html");
    assert!(!body.contains("rollbook-printed"), "no mark is left");

    let site = site.file(
        "templates/runbooks_print.html",
        "{% for rb in runbooks %}<pre id=\"rb-{{ rb.slug }}\">{{ rb.html }}</pre><p class=\"n\">{{ rb.html | length }}</p>{% endfor %}",
    );
    site.build_ok();
    let page = site.page("runbooks/print/");
    let printed = texts(&page, "pre");
    assert_eq!(printed.len(), 2);
    for (i, html) in printed.iter().enumerate() {
        assert!(html.contains("<h2"), "runbook {i}'s body as text: {html}");
        assert!(!html.contains("rollbook-printed"), "{html}");
        // The body's own length, not a stand-in's.
        let length = texts(&page, "p.n")[i].parse::<usize>().expect("a number");
        assert!(length > 200, "{length}");
    }
}

fn select_in_h2<'a>(a: &scraper::ElementRef<'a>) -> Vec<scraper::ElementRef<'a>> {
    common::select_in(*a, "h2")
}

#[test]
fn the_list_pages_give_a_sites_templates_what_they_list() {
    let runbooks = "{% for rb in runbooks %}<p class=\"rb\">{{ rb.slug }}|{{ rb.name }}|{{ rb.url }}|{{ rb.pack_url }}|{{ rb.kill_switch.state }}|{{ rb.incident_owner.name }}|{{ rb.actions | default(value=\"no actions\") }}|{{ rb.html is starting_with(\"<tr\") }}</p>{% endfor %}";
    let dashboard = "{% for p in dashboard.rows %}<p class=\"row\">{{ p.slug }}|{{ p.url }}|{{ p.completeness }}|{{ p.sections | length }}|{{ p.pages | length }}|{{ p.html is starting_with(\"<tr\") }}</p>{% endfor %}{% for r in dashboard.grid %}<p class=\"grid\">{{ r.name }}|{% for c in r.cells %}{{ c.url }} {% endfor %}</p>{% endfor %}<p class=\"packs\">{{ packs | default(value=\"no packs\") }}</p>";
    let site = SiteBuilder::new()
        .complete_pack("pack")
        .file("templates/runbooks.html", runbooks)
        .file("templates/dashboard.html", dashboard);
    site.build_ok();

    // A runbook's line in the list: its page has the rest of it.
    assert_eq!(
        texts(&site.page("runbooks/"), "p.rb"),
        ["pack|Support triage|/ai-packs/pack/runbook/|/ai-packs/pack/|ready|Priya N.|no actions|true"]
    );
    // Each row links to its pack's overview and has its markup too; the grid has the
    // nine sections.
    let home = site.page("");
    assert_eq!(texts(&home, "p.row"), ["pack|/ai-packs/pack/|100|0|0|true"]);
    let grid = texts(&home, "p.grid");
    assert_eq!(grid.len(), 1, "{grid:?}");
    let (name, cells) = grid[0].split_once('|').unwrap_or_default();
    assert_eq!(name, "Support triage");
    let cells: Vec<&str> = cells.split_whitespace().collect();
    assert_eq!(cells.len(), 9, "{cells:?}");
    assert!(
        cells.iter().all(|c| c.starts_with("/ai-packs/pack/")),
        "{cells:?}"
    );
    assert!(cells.contains(&"/ai-packs/pack/evaluation/"), "{cells:?}");
    assert_eq!(texts(&home, "p.packs"), ["no packs"]);
}

#[test]
fn each_dashboard_row_is_the_sites_row_template_in_attention_order() {
    let row = "<tr class=\"mine\"><td>{{ p.slug }}|{{ p.filters | join(sep=\",\") }}|{{ built }}|{{ site.base }}</td></tr>";
    let site = SiteBuilder::new()
        .complete_pack("done")
        .section("half", "workflow", "name = \"Half\"\n", "")
        .section("empty", "workflow", "", "")
        .file("templates/partials/dashboard_row.html", row);
    site.build_ok();
    let home = site.page("");
    let rows = texts(&home, "table.packs tbody tr.mine td");
    // Those that need attention first, each with the filters it passes; a pack without
    // a weekly review is stale.
    let today = common::TODAY;
    assert_eq!(
        rows,
        [
            format!("empty|stale|{today}|/ai-packs/"),
            format!("half|stale|{today}|/ai-packs/"),
            format!("done|ready|{today}|/ai-packs/"),
        ]
    );
    assert_eq!(
        select(&home, "table.packs tbody tr").len(),
        3,
        "only the site's rows"
    );
    assert!(
        !site.read("public/index.html").contains("rollbook-row"),
        "no mark is left"
    );

    // A dashboard that prints a row's markup escaped shows it as text, never a mark.
    let site = site.file(
        "templates/dashboard.html",
        "{% for p in dashboard.rows %}<pre>{{ p.html }}</pre>{% endfor %}",
    );
    site.build_ok();
    let shown = texts(&site.page(""), "pre");
    assert_eq!(shown.len(), 3);
    assert!(
        shown[0].starts_with("<tr class=\"mine\"><td>empty|"),
        "{shown:?}"
    );
    assert!(!site.read("public/index.html").contains("rollbook-row"));

    // A row template that fails fails the build, named at the fault, and the site stays
    // as it was.
    let site = site.file(
        "templates/partials/dashboard_row.html",
        "<tr>{{ p.nothing }}</tr>",
    );
    let out = site.build();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("templates/partials/dashboard_row.html:1:8: template error"),
        "{}",
        out.stderr
    );
    assert!(
        site.read("public/index.html").contains("<pre>"),
        "the last site stays"
    );
}

#[test]
fn each_runbook_of_the_list_is_the_sites_row_template() {
    let row =
        "<tr class=\"mine\"><td>{{ rb.slug }}|{{ rb.kill_switch.state }}|{{ site.base }}</td></tr>";
    let site = SiteBuilder::new()
        .complete_pack("one")
        .section("two", "workflow", "name = \"Two\"\n", "")
        .file("templates/partials/runbooks_row.html", row);
    site.build_ok();
    let list = site.page("runbooks/");
    assert_eq!(
        texts(&list, "table.runbooks tbody tr.mine td"),
        ["one|ready|/ai-packs/", "two|unknown|/ai-packs/"]
    );
    assert_eq!(select(&list, "table.runbooks tbody tr").len(), 2);
    let source = site.read("public/runbooks/index.html");
    assert!(!source.contains("rollbook-runbook"), "no mark is left");
}
