//! Generates a large, valid rollbook site for benchmarks and manual testing.
//!
//! ```text
//! cargo run --release --example gen_site -- <DIR> <N_PACKS> [--seed S]
//! ```
//!
//! Writes `site.toml`, `content/_index.md` and `N_PACKS` packs `pack-0001`, `pack-0002`, …
//! with all nine section files, an eval set and eval results. Everything is derived from
//! the seed, so the same arguments always give the same site. Packs vary: some are
//! complete, some have placeholders, phases have every status, reviews may be stale and
//! eval runs may fail their gate (warnings), but the site builds without errors.
//!
//! `benches/reload.rs` includes this file as a module and calls [`generate`].

// Test and bench code may panic on what it set up itself, and its helpers are `pub` to
// its own modules; the crate's lints against both are for the library.
#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The nine section stems, in pack order.
pub const SECTIONS: [&str; 9] = [
    "workflow",
    "accountability",
    "data",
    "evaluation",
    "operability",
    "incident",
    "rollout",
    "models",
    "rhythm",
];

/// Every section file ends with a line that starts with this; benchmarks rewrite it.
pub const REVISION_PREFIX: &str = "Revision note:";

/// The slug of pack `i` (1-based).
pub fn slug(i: usize) -> String {
    format!("pack-{i:04}")
}

/// A small deterministic generator (SplitMix64): no dependency, same output everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// `k` distinct items, in their original order.
    pub fn some<'a>(&mut self, items: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in (1..idx.len()).rev() {
            idx.swap(i, self.below(i + 1));
        }
        idx.truncate(k.min(items.len()));
        idx.sort_unstable();
        idx.into_iter().map(|i| items[i]).collect()
    }
}

/// How much of a pack is filled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// Every field filled.
    Complete,
    /// Most fields filled, a few placeholders anywhere.
    Partial,
    /// The first sections filled, the later ones mostly placeholders.
    Early,
}

struct Domain {
    title: &'static str,
    team: &'static str,
    user: &'static str,
    system: &'static str,
    item: &'static str,
    channel: &'static str,
}

const DOMAINS: &[Domain] = &[
    Domain {
        title: "Support ticket triage",
        team: "Customer Care",
        user: "Tier-1 support agents working the Helpdesk",
        system: "Helpdesk",
        item: "ticket",
        channel: "support-triage",
    },
    Domain {
        title: "Returns assistant",
        team: "E-commerce",
        user: "Customers on the order page and the returns desk",
        system: "order management system",
        item: "return request",
        channel: "returns-ai",
    },
    Domain {
        title: "Vendor invoice matching",
        team: "Finance",
        user: "Accounts-payable clerks",
        system: "ERP",
        item: "invoice",
        channel: "ap-matching",
    },
    Domain {
        title: "Store replenishment forecast",
        team: "Merchandising",
        user: "Store replenishment planners",
        system: "inventory planning tool",
        item: "purchase proposal",
        channel: "replenishment-ai",
    },
    Domain {
        title: "Contract clause review",
        team: "Legal",
        user: "Commercial counsel reviewing supplier contracts",
        system: "contract repository",
        item: "contract",
        channel: "legal-ai-review",
    },
    Domain {
        title: "Sales call summaries",
        team: "Sales",
        user: "Account executives after customer calls",
        system: "CRM",
        item: "call recording",
        channel: "sales-notes-ai",
    },
    Domain {
        title: "IT helpdesk answers",
        team: "Workplace IT",
        user: "Employees asking the IT portal",
        system: "IT service portal",
        item: "request",
        channel: "it-answers",
    },
    Domain {
        title: "Product copy drafts",
        team: "Marketing",
        user: "Copywriters preparing product pages",
        system: "product information system",
        item: "product page",
        channel: "copy-ai",
    },
    Domain {
        title: "Fraud alert review",
        team: "Risk",
        user: "Fraud analysts on the payments team",
        system: "payment risk console",
        item: "alert",
        channel: "fraud-ai",
    },
    Domain {
        title: "Recruiting screen notes",
        team: "People",
        user: "Recruiters screening applications",
        system: "applicant tracking system",
        item: "application",
        channel: "recruiting-ai",
    },
    Domain {
        title: "Warehouse exception handling",
        team: "Logistics",
        user: "Warehouse shift supervisors",
        system: "warehouse management system",
        item: "exception",
        channel: "wms-exceptions",
    },
    Domain {
        title: "Knowledge base search",
        team: "Support Operations",
        user: "Agents and customers searching help articles",
        system: "help centre",
        item: "query",
        channel: "kb-search",
    },
];

const REGIONS: &[&str] = &[
    "EMEA",
    "North America",
    "APAC",
    "LATAM",
    "Nordics",
    "DACH",
    "UK",
    "Pacific Northwest",
    "Atlantic Canada",
    "Iberia",
];

const FIRST: &[&str] = &[
    "Dana", "Luis", "Priya", "Tomas", "Kwame", "Aisha", "Mei", "Jonas", "Sofia", "Rahul", "Elena",
    "Marcus", "Ingrid", "Yusuf", "Chloe", "Mateo", "Hana", "Oskar", "Amara", "Felix", "Nora",
    "Diego", "Leila", "Sven",
];

const LAST: &[&str] = &[
    "Whitfield",
    "Ferreira",
    "Raman",
    "Reyes",
    "Mensah",
    "Karimi",
    "Tanaka",
    "Berg",
    "Rossi",
    "Iyer",
    "Petrova",
    "Okafor",
    "Larsen",
    "Demir",
    "Dubois",
    "Silva",
    "Kim",
    "Novak",
    "Osei",
    "Wagner",
    "Haddad",
    "Moreau",
    "Lindqvist",
    "Costa",
];

const MODELS: &[(&str, &str)] = &[
    ("acme-gw/small-2", "acme-gw/large-1"),
    ("acme-gw/fast-3", "acme-gw/large-1"),
    ("acme-gw/small-2", "acme-gw/reason-1"),
    ("vendor-a/mini", "vendor-b/pro"),
];

/// Metric name, better when higher, typical value.
const METRICS: &[(&str, bool, f64)] = &[
    ("citation_rate", true, 0.95),
    ("answer_accuracy", true, 0.9),
    ("wrong_route_rate", false, 0.05),
    ("pii_leak_rate", false, 0.0),
    ("refusal_rate", false, 0.03),
    ("format_valid_rate", true, 0.98),
    ("escalation_recall", true, 0.92),
];

const PLACEHOLDERS: &[&str] = &[
    "TBD",
    "TODO",
    "",
    "?",
    "TBD: waiting on the platform team",
    "TODO: ask at the weekly review",
    "<fill in>",
];

/// Writes a complete site of `packs` packs into `dir` (created if needed).
pub fn generate(dir: &Path, packs: usize, seed: u64) -> io::Result<()> {
    fs::create_dir_all(dir.join("content"))?;
    fs::write(
        dir.join("site.toml"),
        "title = \"Acme AI rollout packs\"\n\
         base_url = \"https://acme.github.io/ai-packs\"\n\
         description = \"Generated rollout packs for benchmarks.\"\n\
         edit_url = \"https://github.com/acme/ai-packs/edit/main/{path}\"\n\
         \n[rhythm]\nstale_after_days = 14\n",
    )?;
    fs::write(dir.join("content/_index.md"), home(packs))?;
    for i in 1..=packs {
        let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        write_pack(dir, i, packs, &mut rng)?;
    }
    Ok(())
}

fn home(packs: usize) -> String {
    let mut s = String::from(
        "# AI rollout packs\n\n\
         Every AI workflow that reaches customers, stores or vendors has a pack here before it\n\
         goes past a handful of internal users. The dashboard below is the Monday view for the\n\
         AI steering review.\n\n## First packs\n\n| Pack | Where to start |\n|------|----------------|\n",
    );
    for i in 1..=packs.min(5) {
        let slug = slug(i);
        let _ = writeln!(
            s,
            "| [{slug}](@/{slug}/workflow.md) | [runbook paging](@/{slug}/incident.md#paging) |"
        );
    }
    s.push_str(
        "\n## Proposing a new pack\n\n\
         1. Ask in #ai-steering with one paragraph: the workflow, its users and its DRI.\n\
         2. Create the pack and fill what you can:\n\n   \
         ```bash\n   rollbook new curbside-pickup-eta\n   rollbook serve --open\n   ```\n\n\
         3. Open a pull request once the first three sections are filled.\n",
    );
    s
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let mut s = String::from("[\n");
    for i in items {
        let _ = writeln!(s, "  {},", q(i));
    }
    s.push(']');
    s
}

fn date(day_offset: i64) -> String {
    // Days before 2026-11-26, kept inside 2026 for a simple calendar.
    const MONTHS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut doy = 329 - day_offset.clamp(0, 328); // 2026-11-26 is day 330 (0-based 329)
    let mut month = 0;
    while doy >= MONTHS[month] {
        doy -= MONTHS[month];
        month += 1;
    }
    format!("2026-{:02}-{:02}", month + 1, doy + 1)
}

struct Pack<'a> {
    i: usize,
    n: usize,
    slug: String,
    domain: &'a Domain,
    region: &'static str,
    profile: Profile,
    people: Vec<String>,
    models: (&'static str, &'static str),
    metrics: Vec<(&'static str, bool, f64)>,
    /// Whether the latest eval run passes the release gate.
    gate_ok: bool,
}

impl Pack<'_> {
    /// Percent chance a field of `section` (0-based) is filled.
    fn fill_chance(&self, section: usize) -> usize {
        match self.profile {
            Profile::Complete => 100,
            Profile::Partial => 85,
            Profile::Early if section < 3 => 90,
            Profile::Early => 25,
        }
    }

    fn other(&self, rng: &mut Rng) -> String {
        slug(rng.range(1, self.n))
    }
}

/// A text field: the value, or now and then a placeholder.
fn text(rng: &mut Rng, chance: usize, value: String) -> String {
    if rng.chance(chance) {
        q(&value)
    } else {
        q(rng.pick(PLACEHOLDERS))
    }
}

fn texts(rng: &mut Rng, chance: usize, values: Vec<String>) -> String {
    if rng.chance(chance) {
        list(&values)
    } else if rng.chance(50) {
        "[]".into()
    } else {
        list(&["TBD".to_string()])
    }
}

/// Someone from the pool. Contacts are the person's own (no two people share an e-mail,
/// handle or phone number), though one person may be reached differently in each pack.
fn person(rng: &mut Rng) -> String {
    let (f, l) = (rng.below(FIRST.len()), rng.below(LAST.len()));
    let (first, last) = (FIRST[f], LAST[l]);
    let contact = match rng.below(3) {
        0 => format!(
            "{}.{}@acme.example",
            first.to_lowercase(),
            last.to_lowercase()
        ),
        1 => format!("@{}{}", first.to_lowercase(), last.to_lowercase()),
        _ => format!("+1 555 {:04}", f * LAST.len() + l),
    };
    format!("{first} {last} <{contact}>")
}

fn write_pack(root: &Path, i: usize, n: usize, rng: &mut Rng) -> io::Result<()> {
    let domain = &DOMAINS[rng.below(DOMAINS.len())];
    let profile = match rng.below(10) {
        0..=3 => Profile::Complete,
        4..=7 => Profile::Partial,
        _ => Profile::Early,
    };
    let people = (0..6).map(|_| person(rng)).collect();
    let metrics = {
        let k = rng.range(2, 4);
        let mut idx: Vec<usize> = (0..METRICS.len()).collect();
        for j in (1..idx.len()).rev() {
            idx.swap(j, rng.below(j + 1));
        }
        idx.truncate(k);
        idx.into_iter().map(|j| METRICS[j]).collect()
    };
    let pack = Pack {
        i,
        n,
        slug: slug(i),
        domain,
        region: rng.pick(REGIONS),
        profile,
        people,
        models: MODELS[rng.below(MODELS.len())],
        metrics,
        gate_ok: rng.chance(85),
    };
    let dir = root.join("content").join(&pack.slug);
    fs::create_dir_all(dir.join("evals"))?;
    let files: [(&str, String); 9] = [
        ("workflow", workflow(&pack, rng)),
        ("accountability", accountability(&pack, rng)),
        ("data", data(&pack, rng)),
        ("evaluation", evaluation(&pack, rng)),
        ("operability", operability(&pack, rng)),
        ("incident", incident(&pack, rng)),
        ("rollout", rollout(&pack, rng)),
        ("models", models(&pack, rng)),
        ("rhythm", rhythm(&pack, rng)),
    ];
    for (stem, body) in files {
        fs::write(dir.join(format!("{stem}.md")), body)?;
    }
    fs::write(dir.join("evals/cases.jsonl"), cases(&pack, rng))?;
    fs::write(dir.join("evals/results.jsonl"), results(&pack, rng))?;
    Ok(())
}

fn front(fields: &str, updated: &str, notes: &str) -> String {
    format!("+++\nupdated = {updated}\n{fields}+++\n{notes}\n{REVISION_PREFIX} 0.\n")
}

fn workflow(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(0);
    let d = p.domain;
    let name = format!("{} ({}, #{})", d.title, p.region, p.i);
    let k = rng.range(3, 5);
    let stops: Vec<String> = rng
        .some(
            &[
                "Never writes to a customer without a person approving the text",
                "Never issues refunds, credits or discounts",
                "Never copies card numbers, addresses or phone numbers into its output",
                "Never acts on records outside the requester's own scope",
                "Never cites a document that is not in the current export",
                "Never deletes or closes a record",
            ],
            k,
        )
        .into_iter()
        .map(String::from)
        .collect();
    let fields = format!(
        "name = {}\nprimary_user = {}\ntrigger = {}\noutput = {}\nhuman_in_the_loop = {}\nhard_stops = {}\n",
        text(rng, c.max(95), name),
        text(rng, c, format!("{} in {}", d.user, p.region)),
        text(
            rng,
            c,
            format!("A new {} arrives in the {}, or an existing one is reopened", d.item, d.system)
        ),
        text(
            rng,
            c,
            format!(
                "A proposed next step for the {} with a short summary and up to three cited sources, saved as an internal note in the {}",
                d.item, d.system
            )
        ),
        text(
            rng,
            c,
            format!(
                "The person who picks up the {} accepts or changes the proposal before anything leaves the team",
                d.item
            )
        ),
        texts(rng, c, stops),
    );
    let other = p.other(rng);
    let mut notes = format!(
        "## What it replaced\n\nBefore this workflow the {team} team sorted every {item} by hand, about {n} a day in peak\n\
         season. The old rules still exist and are what the [kill switch](operability.md#kill-switch-pattern)\n\
         falls back to.\n\n## How a {item} flows\n\n\
         1. The {system} sends the {item} through the AI gateway.\n\
         2. The gateway redacts personal data (see [data and permissions](data.md)).\n\
         3. The model proposes the next step as JSON; the service validates it.\n\
         4. A person confirms. Who gets paged when it goes wrong is in [paging](@/{slug}/incident.md#paging).\n\n\
         The same pattern runs in [{other}](@/{other}/workflow.md); its responders are listed under\n\
         [paging](@/{other}/incident.md#paging).\n",
        team = p.domain.team,
        item = p.domain.item,
        system = p.domain.system,
        n = rng.range(80, 2400),
        slug = p.slug,
    );
    if rng.chance(50) {
        notes.push_str(
            "\n## Out of scope\n\n- Wholesale accounts, which have their own desk.\n- Drafting replies to customers.\n",
        );
    }
    front(&fields, &date(rng.range(2, 90) as i64), &notes)
}

fn accountability(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(1);
    let keys = [
        "dri",
        "platform_owner",
        "security_owner",
        "data_owner",
        "incident_owner",
    ];
    let mut fields = String::new();
    for (k, who) in keys.iter().zip(&p.people) {
        let value = if rng.chance(c) {
            q(who)
        } else {
            q(rng.pick(&["TBD", "<name>", "TODO: pick one person", "?"]))
        };
        let _ = writeln!(fields, "{k} = {value}");
    }
    let name = |s: &str| s.split('<').next().unwrap_or("").trim().to_string();
    let notes = format!(
        "## Who decides what\n\n| Question | Goes to |\n|----------|---------|\n\
         | Change the prompt or the routing | {} |\n| Gateway routes and model access | {} |\n\
         | Redaction rules, anything touching personal data | {} |\n| Source data and exports | {} |\n\
         | Flip the kill switch during an incident | {} |\n\n\
         {} owns the outcome and reports it at the [weekly review](rhythm.md). Changes to this page\n\
         need the DRI's approval in the pull request.\n",
        name(&p.people[0]),
        name(&p.people[1]),
        name(&p.people[2]),
        name(&p.people[3]),
        name(&p.people[4]),
        name(&p.people[0]),
    );
    front(&fields, &date(rng.range(2, 120) as i64), &notes)
}

fn data(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(2);
    let d = p.domain;
    let k = rng.range(2, 4);
    let sources: Vec<String> = rng
        .some(
            &[
                "the record itself: subject, body and the last three messages",
                "help-centre article export, published articles only, refreshed nightly",
                "policy pages from the policy repository, main branch",
                "status lookups by record number, read-only",
                "the team's own glossary of product names",
            ],
            k,
        )
        .into_iter()
        .map(|s| format!("{}: {s}", d.system))
        .collect();
    let days = rng.pick(&["14", "30", "45", "90"]);
    let fields = format!(
        "sources = {}\npermission_model = {}\nredaction_rules = {}\nretention_policy = {}\naudit_log = {}\n",
        texts(rng, c, sources),
        text(
            rng,
            c,
            format!(
                "Runs as the service account svc-{} with read-only access to the {} and write access to internal notes only",
                d.channel, d.system
            )
        ),
        text(
            rng,
            c,
            "The gateway redacts card numbers, phone numbers, street addresses and e-mail addresses before the model call and again on the output".into()
        ),
        text(
            rng,
            c,
            format!(
                "Prompts and outputs stay {days} days in the gateway trace store, then are deleted"
            )
        ),
        text(
            rng,
            c,
            format!("Gateway audit log, tag workflow={}, kept one year", d.channel)
        ),
    );
    let notes = format!(
        "## Why access stays narrow\n\nThe first prototype read far more of the {system} than it needed. We cut it to\n\
         the fields above; anything more goes through the security owner first and gets a line in\n\
         this file.\n\n## Redaction checks\n\nThe eval set carries personal-data cases and the release gate holds leaks at zero:\n\
         see [evaluation](evaluation.md#release_gate).\n",
        system = d.system
    );
    front(&fields, &date(rng.range(2, 120) as i64), &notes)
}

fn evaluation(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(3);
    let d = p.domain;
    let gates: Vec<String> = p
        .metrics
        .iter()
        .map(|&(m, higher, typical)| {
            if rng.chance(25) {
                format!("{{ metric = {}, max_drop = 0.04 }}", q(m))
            } else if higher {
                format!("{{ metric = {}, min = {:.2} }}", q(m), typical)
            } else {
                format!("{{ metric = {}, max = {:.2} }}", q(m), typical)
            }
        })
        .collect();
    let gate = if rng.chance(c) {
        format!("[\n  {},\n]", gates.join(",\n  "))
    } else {
        "[]".into()
    };
    let criteria = vec![
        format!("Every proposed next step is one the {} allows", d.system),
        "No personal data appears in the output".to_string(),
        "Every cited source exists in the current export".to_string(),
    ];
    let fields = format!(
        "eval_set = {}\nacceptance_criteria = {}\nrelease_gate = {gate}\nresults = \"evals/results.jsonl\"\n",
        if rng.chance(c) {
            q("evals/cases.jsonl")
        } else {
            q("TBD")
        },
        texts(rng, c, criteria),
    );
    let mut notes = String::from(
        "## What the metrics mean\n\n| Metric | Better when |\n|--------|-------------|\n",
    );
    for &(m, higher, _) in &p.metrics {
        let _ = writeln!(
            notes,
            "| `{m}` | {} |",
            if higher { "higher" } else { "lower" }
        );
    }
    let _ = write!(
        notes,
        "\n## Running the set\n\n```bash\nmake eval PACK={} MODEL={} VERSION=prompt-v{}\n```\n\n\
         The harness appends one line to `evals/results.jsonl`. Commit it with the prompt change it\n\
         measured. New failure modes from the [weekly review](rhythm.md) become new cases the same week.\n",
        p.slug,
        p.models.0,
        rng.range(3, 9)
    );
    front(&fields, &date(rng.range(2, 60) as i64), &notes)
}

fn operability(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(4);
    let mut fields = String::new();
    for k in [
        "central_gateway",
        "tracing",
        "budget_alerts",
        "cost_attribution",
        "kill_switch",
    ] {
        let v = if p.profile == Profile::Complete {
            rng.chance(90)
        } else {
            rng.chance(c.max(40))
        };
        let _ = writeln!(fields, "{k} = {v}");
    }
    let flag = p.domain.channel.replace('-', "_");
    let _ = writeln!(
        fields,
        "kill_switch_how = {}",
        text(
            rng,
            c,
            format!(
                "In Flagpole, environment prod, set {flag}.enabled to off; the {} falls back to the old rules within a minute",
                p.domain.system
            )
        )
    );
    let notes = format!(
        "## Gateway and tracing\n\nAll calls go through the AI gateway route `{ch}`; one trace per {item}.\n\n\
         ## Budget alerts\n\n| Alert | Threshold | Goes to |\n|-------|-----------|---------|\n\
         | Daily spend warning | ${warn} | #{ch} |\n| Daily spend page | ${page} | see [paging](@/{slug}/incident.md#paging) |\n\n\
         ## Kill switch pattern\n\n```bash\n# turn the workflow off in production\nflagpole set {flag}.enabled off --env prod\n\n\
         # check what the app sees\nflagpole get {flag}.enabled --env prod\n```\n\n\
         With the flag off nothing reaches the gateway. The drill is in the\n[incident checklist](incident.md#responder-checklist).\n",
        ch = p.domain.channel,
        item = p.domain.item,
        warn = rng.range(20, 80),
        page = rng.range(100, 400),
        slug = p.slug,
    );
    front(&fields, &date(rng.range(2, 60) as i64), &notes)
}

fn incident(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(5);
    let d = p.domain;
    let flag = d.channel.replace('-', "_");
    let definition = vec![
        format!("Personal data written into a {} note", d.item),
        format!(
            "A {} routed outside the allowed queues more than three times in a day",
            d.item
        ),
        format!(
            "Override rate above {}% for a full staffed hour",
            rng.range(20, 40)
        ),
        format!(
            "Gateway spend for tag {} above its daily page line",
            d.channel
        ),
    ];
    let actions = vec![
        format!("Flip the kill switch: set {flag}.enabled to off in Flagpole (prod)"),
        format!(
            "Post in #{}: what you saw, record numbers, trace IDs",
            d.channel
        ),
        "Page the incident owner and, for personal data, the security owner".to_string(),
        "Fix affected records by hand".to_string(),
        "Leave the switch off until the incident owner signs off a fix that passes the gate"
            .to_string(),
    ];
    let paging = vec![
        format!("{} on-call <#{}>", d.team, d.channel),
        p.people[4].clone(),
        p.people[2].clone(),
    ];
    let fields = format!(
        "incident_definition = {}\nimmediate_actions = {}\npaging = {}\ncomms_plan = {}\nreview_owner = {}\nreview_format = {}\n",
        texts(rng, c, definition),
        texts(rng, c, actions),
        texts(rng, c.max(70), paging),
        text(
            rng,
            c,
            format!(
                "The shift lead posts in #{} that the workflow is off, with an update every 30 minutes",
                d.channel
            )
        ),
        text(rng, c, p.people[4].clone()),
        text(
            rng,
            c,
            "Blameless write-up within five working days: timeline, root cause, the gate that should have caught it, one new eval case per failure".into()
        ),
    );
    let other = p.other(rng);
    let done = |rng: &mut Rng| if rng.chance(50) { "x" } else { " " };
    let notes = format!(
        "## Responder checklist\n\n- [{}] Kill switch off and confirmed with `flagpole get {flag}.enabled --env prod`\n\
         - [{}] Post in #{ch} with record and trace IDs\n- [ ] Incident owner paged, see [paging](#paging)\n\
         - [ ] Affected records fixed by hand\n\n## Known failure modes\n\n| Mode | What to do |\n|------|------------|\n\
         | Stale citations | Check the nightly export job |\n| Gateway timeouts | Not an incident: the fallback took them |\n\n\
         A similar workflow handles incidents the same way: [{other} paging](@/{other}/incident.md#paging).\n",
        done(rng),
        done(rng),
        ch = d.channel,
    );
    front(&fields, &date(rng.range(2, 60) as i64), &notes)
}

fn rollout(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(6);
    let d = p.domain;
    let roll = rng.below(10);
    let statuses: &[&str] = match p.profile {
        Profile::Early if roll < 5 => &["active", "planned"],
        Profile::Early => &["planned", "planned"],
        Profile::Complete if roll < 5 => &["done", "done", "active"],
        Profile::Complete if roll < 7 => &["done", "done", "done"],
        Profile::Complete => &["done", "active", "planned"],
        Profile::Partial if roll < 4 => &["done", "active", "planned"],
        Profile::Partial if roll < 8 => &["active", "planned", "planned"],
        Profile::Partial => &["done", "done", "active"],
    };
    let names = [
        ("Phase 0: internal dogfood", "Six people on the team"),
        (
            "Phase 1: opt-in beta",
            "Anyone on the team who switches it on",
        ),
        ("Phase 2: default-on", "Everyone on the team"),
    ];
    let mut phases = String::new();
    for (k, ((name, audience), status)) in names.iter().zip(statuses).enumerate() {
        let _ = write!(
            phases,
            "\n[[phases]]\nname = {}\naudience = {}\ncriteria = {}\nfeedback_channel = {}\nstatus = {}\n",
            q(name),
            q(audience),
            text(
                rng,
                c,
                "The sections this phase needs are complete and the gate passes".into()
            ),
            q(&format!("#{}-feedback", d.channel)),
            q(status),
        );
        if rng.chance(60) {
            let _ = writeln!(
                phases,
                "size = {}\nstart = {}",
                q(&format!("about {} {}s a week", rng.range(50, 5000), d.item)),
                date(90 - 30 * k as i64)
            );
        }
    }
    let fields = format!(
        "dashboards = {}\ndaily_checks = {}\nescalation_path = {}\n{phases}",
        texts(
            rng,
            c,
            vec![
                format!(
                    "Grafana, AI Gateway / {}: requests, errors, latency and spend",
                    d.channel
                ),
                "This site, evaluation page: every eval run against the gate".into(),
            ]
        ),
        texts(
            rng,
            c,
            vec![
                "Override rate for the previous day".into(),
                "Ten random traces read end to end".into(),
                "Spend against the daily warning line".into(),
            ]
        ),
        text(
            rng,
            c,
            format!("Shift lead, then #{}, then the incident owner", d.channel)
        ),
    );
    let notes = format!(
        "## Switch-over log\n\n| Date | Change |\n|------|--------|\n| {} | Dogfood starts |\n| {} | Opt-in toggle shipped |\n\n\
         ## Before removing the opt-out\n\n- [x] Opt-in toggle shipped\n- [ ] Override rate under 10% for two weeks\n\
         - [ ] Kill switch drilled, see [operability](operability.md#kill-switch-pattern)\n",
        date(90),
        date(60)
    );
    front(&fields, &date(rng.range(2, 60) as i64), &notes)
}

fn models(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(7);
    let (small, large) = p.models;
    let fields = format!(
        "approved = {}\nrouting_rule = {}\nfallback = {}\n",
        texts(rng, c, vec![small.to_string(), large.to_string()]),
        text(
            rng,
            c,
            "Cheapest approved model whose latest eval run passes every release gate".into()
        ),
        text(
            rng,
            c,
            format!(
                "If {small} errors or is slow, retry once on {large}; if both fail the old rules take over"
            )
        ),
    );
    let notes = format!(
        "## Changing models\n\n1. Run the full set on the candidate (see [evaluation](evaluation.md)).\n\
         2. The candidate's run must pass every gate.\n3. The platform owner adds the route in the gateway.\n\n\
         {small} costs about {} cents per hundred {}s; {large} about {} cents.\n",
        rng.range(2, 30),
        p.domain.item,
        rng.range(40, 300),
    );
    front(&fields, &date(rng.range(2, 60) as i64), &notes)
}

fn rhythm(p: &Pack, rng: &mut Rng) -> String {
    let c = p.fill_chance(8);
    let count = if rng.chance(c.max(30)) {
        rng.range(1, 4)
    } else {
        0
    };
    // Most packs reviewed last week; some stale.
    let newest = if rng.chance(75) {
        rng.range(1, 10)
    } else {
        rng.range(15, 60)
    };
    let mut fields = String::new();
    for k in (0..count).rev() {
        let _ = write!(
            fields,
            "\n[[reviews]]\ndate = {}\neval_regressions = {}\nfailure_modes = {}\ncost_anomalies = {}\nnext_change = {}\n",
            date((newest + 7 * k) as i64),
            q("None on the gate this week."),
            q(&format!(
                "{} {}s routed to the wrong queue; agents caught them.",
                rng.range(1, 30),
                p.domain.item
            )),
            if rng.chance(80) {
                q("None.")
            } else {
                q("TBD")
            },
            q("Add the new failure cases to the eval set."),
        );
    }
    let notes = format!(
        "## How we run it\n\nThirty minutes on {}s in #{}-review. Agenda: eval regressions, failure modes,\n\
         cost anomalies, and the one change we ship next.\n",
        rng.pick(&["Monday", "Tuesday", "Thursday"]),
        p.domain.channel
    );
    front(&fields, &date(rng.range(1, 30) as i64), &notes)
}

fn cases(p: &Pack, rng: &mut Rng) -> String {
    let mut s = String::new();
    for k in 1..=rng.range(20, 30) {
        let _ = writeln!(
            s,
            "{{\"id\": \"{}-{k:03}\", \"input\": \"Sample {} number {k} from the {} in {}\", \"expected\": \"{}\"}}",
            p.slug,
            p.domain.item,
            p.domain.system,
            p.region,
            rng.pick(&["route", "escalate", "answer", "refuse"])
        );
    }
    s
}

fn results(p: &Pack, rng: &mut Rng) -> String {
    let (small, large) = p.models;
    let mut s = String::new();
    let runs = rng.range(3, 5);
    for k in 0..runs {
        let model = if k % 2 == 0 { small } else { large };
        let cost = if model == small {
            0.2 + rng.below(40) as f64 / 100.0
        } else {
            2.0 + rng.below(200) as f64 / 100.0
        };
        let mut metrics = Vec::new();
        // Runs pass their gate, except the latest run of a pack whose gate fails.
        let fail = !p.gate_ok && k + 1 == runs;
        for &(m, higher, typical) in &p.metrics {
            let u = rng.below(30) as f64 / 1000.0;
            let v: f64 = match (higher, fail) {
                (true, false) => (typical + 0.005 + u).min(1.0),
                (true, true) => typical - 0.05 - u,
                (false, false) => (typical - u).max(0.0),
                (false, true) => typical + 0.01 + u,
            };
            metrics.push(format!("\"{m}\": {v:.3}"));
        }
        let _ = writeln!(
            s,
            "{{\"date\": \"{}\", \"version\": \"prompt-v{}\", \"model\": \"{model}\", \"cost\": {cost:.2}, \"metrics\": {{{}}}}}",
            date((runs - k) as i64 * 9),
            k + 3,
            metrics.join(", ")
        );
    }
    s
}

#[allow(dead_code)] // unused when benches include this file as a module
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut seed = 1u64;
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--seed" {
            match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => usage("--seed needs a number"),
            }
        } else if let Some(s) = a.strip_prefix("--seed=") {
            seed = s.parse().unwrap_or_else(|_| usage("--seed needs a number"));
        } else {
            positional.push(a.clone());
        }
    }
    let [dir, n] = positional.as_slice() else {
        usage("expected <DIR> <N_PACKS>");
    };
    let Ok(n) = n.parse::<usize>() else {
        usage("N_PACKS must be a number");
    };
    if n > 9999 {
        usage("N_PACKS must be at most 9999");
    }
    let started = std::time::Instant::now();
    if let Err(e) = generate(Path::new(dir), n, seed) {
        eprintln!("error: cannot write the site into {dir}: {e}");
        std::process::exit(1);
    }
    println!(
        "wrote {n} packs into {dir} (seed {seed}) in {} ms",
        started.elapsed().as_millis()
    );
}

fn usage(msg: &str) -> ! {
    eprintln!(
        "error: {msg}\nusage: cargo run --release --example gen_site -- <DIR> <N_PACKS> [--seed S]"
    );
    std::process::exit(2);
}
