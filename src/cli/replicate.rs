//! `rollbook new <slug> --from <pack>`: a new pack that keeps an existing pack's org-wide
//! answers and leaves the workflow's own answers as placeholders to fill in.

use crate::cli::error::Error;
use crate::cli::scaffold::{check_slug, placeholder, write_pack};
use crate::domain::answers::{Answer, Value};
use crate::domain::diag::{self, Diagnostic, Severity};
use crate::domain::document::Target;
use crate::domain::field::Field;
use crate::domain::model::{Pack, Section};
use crate::domain::schema::{FieldDef, SectionDef, SECTIONS};
use crate::load;
use crate::render::markdown::{options, resolve};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use std::path::Path;

/// What `--from` does with one field of the existing pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// Org-wide: the answer is copied as it is.
    Copy,
    /// Org-wide in form but the workflow's own in substance: a placeholder, with the
    /// existing answer quoted in its hint to adapt.
    Adapt,
    /// The workflow's own: a placeholder.
    Fill,
}

/// The table of what `--from` copies. Every field is named, so a new field must be
/// classified here before the crate compiles; README ("Starting from a proven pack")
/// lists the same table.
pub const fn carry(field: Field) -> Carry {
    match field {
        // The workflow itself: what it is, who uses it, where it stops.
        Field::Name
        | Field::PrimaryUser
        | Field::Trigger
        | Field::Output
        | Field::HumanInTheLoop
        | Field::HardStops => Carry::Fill,
        // The platform and security owners serve every workflow; the others own this one.
        Field::PlatformOwner | Field::SecurityOwner => Carry::Copy,
        Field::Dri | Field::DataOwner | Field::IncidentOwner => Carry::Fill,
        // Data depends on the sources this workflow reads: a copied answer would count as
        // filled while nobody checked it for the new sources.
        Field::Sources
        | Field::PermissionModel
        | Field::RedactionRules
        | Field::RetentionPolicy
        | Field::AuditLog => Carry::Fill,
        // Evaluation is never copied: no eval set, criteria, gate or results.
        Field::EvalSet | Field::AcceptanceCriteria | Field::ReleaseGate | Field::Results => {
            Carry::Fill
        }
        // The shared platform: gateway, tracing, budgets, cost tags, the flag console.
        Field::CentralGateway
        | Field::Tracing
        | Field::BudgetAlerts
        | Field::CostAttribution
        | Field::KillSwitch => Carry::Copy,
        // The runbook shows it first: it must name this workflow's flag, not the other's.
        Field::KillSwitchHow => Carry::Adapt,
        Field::IncidentDefinition
        | Field::ImmediateActions
        | Field::Paging
        | Field::CommsPlan
        | Field::ReviewOwner => Carry::Fill,
        Field::ReviewFormat => Carry::Copy,
        Field::Phases => Carry::Fill,
        Field::Dashboards | Field::EscalationPath => Carry::Copy,
        // The checks watch this workflow's own metrics and failure modes.
        Field::DailyChecks => Carry::Adapt,
        Field::Approved | Field::RoutingRule | Field::Fallback => Carry::Copy,
        Field::Reviews => Carry::Fill,
    }
}

/// The field of a section's field definition.
fn field_of(section: &SectionDef, def: &FieldDef) -> Option<Field> {
    Field::ALL
        .iter()
        .copied()
        .find(|f| f.section().as_str() == section.stem && f.as_str() == def.name)
}

/// A section keeps the existing pack's notes when none of its fields is the workflow's own.
fn org_wide(section: &SectionDef) -> bool {
    section
        .fields
        .iter()
        .all(|f| field_of(section, f).is_some_and(|f| carry(f) != Carry::Fill))
}

/// `rollbook new <slug> --from <from>`.
pub(crate) fn new_from(root: &Path, slug: &str, from: &str) -> Result<Vec<String>, Error> {
    check_slug(slug)?;
    if slug == from {
        return Err(Error::FromPack(format!(
            "`--from {from}` names the new pack itself; name an existing pack to start from"
        )));
    }
    let opts = load::Options { drafts: true };
    let mut ignored = Vec::new();
    let packs = load::load_root(root, opts, &mut ignored).pack_slugs;
    if !packs.iter().any(|p| p == from) {
        return Err(Error::FromPack(unknown_pack(from, &packs)));
    }
    let (pack, diags) = load::load_pack(root, from, opts);
    report_problems(&pack, diags);
    let mut copied = 0;
    let mut lines = write_pack(root, slug, |def| {
        let (text, n) = section_text(&pack, def);
        copied += n;
        text
    })?;
    lines.push(format!(
        "\nCopied {copied} org-wide answers from content/{from}/; fill the placeholders in content/{slug}/ (each says what it wants), then run `rollbook check`."
    ));
    Ok(lines)
}

/// The usage error for a `--from` that names no pack.
fn unknown_pack(from: &str, packs: &[String]) -> String {
    if packs.is_empty() {
        return format!(
            "--from: there is no pack `{from}`: content/ holds no packs yet; create one with `rollbook new <slug>`; nothing was written"
        );
    }
    let near = diag::nearest(from, packs.iter().map(String::as_str))
        .map(|n| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    let list = packs
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("--from: there is no pack `{from}` in content/; {near}the packs are {list}; nothing was written")
}

/// Prints, as warnings, the problems of the existing pack's files that `--from` reads
/// answers from: an answer that did not load is left as a placeholder, not copied.
fn report_problems(pack: &Pack, diags: Vec<Diagnostic>) {
    let read: Vec<String> = pack
        .sections
        .iter()
        .filter(|s| s.def.fields.iter().any(|f| carries(s.def, f)))
        .map(|s| format!("content/{}/{}", pack.slug, s.def.file_name()))
        .collect();
    let mut problems: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| read.contains(&d.file))
        .map(|d| Diagnostic {
            severity: Severity::Warning,
            ..d
        })
        .collect();
    if problems.is_empty() {
        return;
    }
    diag::sort(&mut problems);
    for d in &problems {
        if !crate::console::err(format_args!("{}", d.to_text())) {
            return;
        }
    }
    crate::errln!(
        "warning: content/{}/ has the problems above; the answers they touch are not copied but left as placeholders",
        pack.slug
    );
}

fn carries(section: &SectionDef, def: &FieldDef) -> bool {
    field_of(section, def).is_some_and(|f| carry(f) != Carry::Fill)
}

/// The text of one section file, and how many answers it copied.
fn section_text(pack: &Pack, def: &SectionDef) -> (String, usize) {
    let from = pack.slug.as_str();
    let section = pack.sections.iter().find(|s| s.def.stem == def.stem);
    let mut out = format!(
        "+++\n# {}: started from {from}. Answers marked `copied` are org-wide; replace each placeholder with this workflow's answer.\n\n",
        def.title
    );
    let mut copied = 0;
    for f in def.fields {
        let answer = section
            .and_then(|s| field_of(def, f).map(|field| s.answer(field)))
            .unwrap_or(&Answer::MISSING);
        let value = answer.filled().then(|| toml_value(answer)).flatten();
        let how = field_of(def, f).map_or(Carry::Fill, carry);
        match (how, value) {
            (Carry::Copy, Some(value)) => {
                copied += 1;
                out.push_str(&format!("# copied from {from}: {}\n", f.hint));
                out.push_str(&format!("{} = {value}\n", f.name));
                continue;
            }
            (Carry::Adapt, Some(value)) => {
                out.push_str(&format!(
                    "# fill in: {} (adapt the answer of {from}: {} = …)\n",
                    f.hint, f.name
                ));
                for line in value.lines() {
                    out.push_str(&format!("#   {line}\n"));
                }
            }
            (Carry::Copy | Carry::Adapt, None) => {
                out.push_str(&format!(
                    "# fill in: {} ({from} has no answer to copy)\n",
                    f.hint
                ));
            }
            (Carry::Fill, _) => {
                out.push_str(&format!(
                    "# fill in: {} (this workflow's own; not copied from {from})\n",
                    f.hint
                ));
            }
        }
        out.push_str(&format!("{} = {}\n", f.name, placeholder(f)));
    }
    out.push_str("+++\n");
    match section
        .and_then(|s| org_wide(def).then_some(s))
        .and_then(body)
    {
        Some(body) => out.push_str(&relink(body, from, def.stem)),
        None => out.push_str("\n## Notes\n\n"),
    }
    (out, copied)
}

/// The notes of a section file, when it was read.
fn body(section: &Section) -> Option<&str> {
    section.page.as_ref().map(|p| p.body())
}

/// Copied notes, with each relative link to a page or file that only the other pack has
/// (not one of the nine section files, which the new pack has too) rewritten to
/// `@/<from>/…`, so it still resolves. Links to the section files, to anchors and
/// outside the pack are left as written.
fn relink(body: &str, from: &str, stem: &str) -> String {
    let here = format!("{from}/{stem}.md");
    let own = |dest: &str| match resolve(dest, &here, "/") {
        Some((Target::Page(p) | Target::File(p), _, _)) if !dest.trim().starts_with("@/") => p
            .strip_prefix(from)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|rest| !SECTIONS.iter().any(|s| s.file_name() == rest)),
        _ => false,
    };
    let mut edits: Vec<(usize, usize)> = Vec::new();
    let mut edit = |dest: &str, span: std::ops::Range<usize>| {
        let found = body
            .get(span.clone())
            .and_then(|written| written.rfind(dest.trim()));
        if let (true, Some(i)) = (own(dest), found) {
            edits.push((span.start + i, span.start + i + dest.trim().len()));
        }
    };
    let parser = Parser::new_ext(body, options());
    for (_, def) in parser.reference_definitions().iter() {
        edit(def.dest.as_ref(), def.span.clone());
    }
    for (event, span) in parser.into_offset_iter() {
        if let Event::Start(
            Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                ..
            },
        ) = event
        {
            edit(&dest_url, span);
        }
    }
    edits.sort_unstable();
    edits.dedup();
    let mut out = body.to_string();
    for (start, end) in edits.into_iter().rev() {
        if let Some(dest) = body.get(start..end) {
            out.replace_range(start..end, &format!("@/{from}/{dest}"));
        }
    }
    out
}

/// An answer as a TOML value, for the kinds `--from` copies (text, yes/no, lists).
fn toml_value(answer: &Answer) -> Option<String> {
    match &answer.value {
        Value::Text(t) => Some(toml_string(&t.value)),
        Value::Bool(b) => Some(b.to_string()),
        Value::List(items) => {
            let mut out = String::from("[\n");
            for item in items {
                out.push_str(&format!("  {},\n", toml_string(&item.value)));
            }
            out.push(']');
            Some(out)
        }
        Value::Missing | Value::Gates(_) | Value::Phases(_) | Value::Reviews(_) => None,
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_in_the_table_once() {
        let n: usize = SECTIONS.iter().map(|s| s.fields.len()).sum();
        assert_eq!(Field::ALL.len(), n);
        for s in &SECTIONS {
            for f in s.fields {
                assert!(field_of(s, f).is_some(), "{}.{}", s.stem, f.name);
            }
        }
    }

    #[test]
    fn org_wide_sections_are_operability_and_models() {
        let stems: Vec<&str> = SECTIONS
            .iter()
            .filter(|s| org_wide(s))
            .map(|s| s.stem)
            .collect();
        assert_eq!(stems, ["operability", "models"]);
    }

    #[test]
    fn copied_notes_keep_links_to_the_other_packs_own_files() {
        let body = concat!(
            "See [cases](evals/cases.jsonl), [notes](./notes.md#top), ![chart](img/c.png),\n",
            "[paging](incident.md#paging), [here](#budget), [billing](../billing/models.md),\n",
            "[abs](@/a/notes.md), [web](https://example.com/x) and [ref][r].\n\n",
            "[r]: evals/results.jsonl\n",
        );
        assert_eq!(
            relink(body, "a", "operability"),
            concat!(
                "See [cases](@/a/evals/cases.jsonl), [notes](@/a/./notes.md#top), ![chart](@/a/img/c.png),\n",
                "[paging](incident.md#paging), [here](#budget), [billing](../billing/models.md),\n",
                "[abs](@/a/notes.md), [web](https://example.com/x) and [ref][r].\n\n",
                "[r]: @/a/evals/results.jsonl\n",
            )
        );
    }

    #[test]
    fn values_round_trip_through_toml() {
        for s in [
            "plain",
            "with \"quotes\" and \\",
            "two\nlines",
            "tab\there",
            "'single'",
        ] {
            let written = format!("k = {}\n", toml_string(s));
            let parsed: toml::Table = toml::from_str(&written).unwrap();
            assert_eq!(parsed["k"].as_str(), Some(s), "{written}");
        }
    }
}
