//! Re-rendering after a template edit: which template each kind of page renders, and a
//! pack's pages redone for the changed templates only, every other file kept as it was.

use super::files::Output;
use super::theme::Theme;
use super::views::Input;
use super::{render_pack, PackPages, PackRender};
use crate::domain::diag::Diagnostic;
use crate::domain::model::Pack;
use std::sync::Arc;

/// The templates a pack's pages render: overview, sections, its own pages, runbook (and
/// the runbook's body as printed with every other one), checklist.
pub(crate) const PACK_TEMPLATES: [&str; 6] = [
    "pack.html",
    "section.html",
    "page.html",
    "runbook.html",
    RUNBOOK_BODY,
    "checklist.html",
];

/// The templates of the site-wide pages; the dashboard and the list of runbooks render
/// each row with its own template, and the printable page of every runbook also shows
/// each pack's runbook body.
pub(crate) const SITE_WIDE_TEMPLATES: [&str; 10] = [
    "dashboard.html",
    super::dashboard::ROW_TEMPLATE,
    "page.html",
    "runbooks.html",
    super::runbook::ROW_TEMPLATE,
    "runbooks_print.html",
    RUNBOOK_BODY,
    "owners.html",
    "owners_letter.html",
    "404.html",
];

const RUNBOOK_BODY: &str = "partials/runbook_body.html";

/// What rendering a pack again after a template edit gave.
pub(crate) enum Redone {
    /// The whole pack, as [`render_pack`] gives it.
    Whole(Option<Box<PackPages>>),
    /// The pages rendered again, and the printed runbook when it was: see [`Redone::put`].
    Pages(Vec<(String, Arc<[u8]>)>, Option<String>),
}

impl Redone {
    /// Puts what was rendered again in place of the pack's `old` pages; `false` when
    /// the pack has no pages any more.
    pub(crate) fn put(self, old: &mut PackPages) -> bool {
        match self {
            Redone::Whole(Some(pages)) => *old = *pages,
            Redone::Whole(None) => return false,
            Redone::Pages(pages, printed) => {
                if !pages.is_empty() {
                    let mut output = Output::clone(&old.output);
                    output.files.extend(pages);
                    old.output = Arc::new(output);
                }
                if let Some(printed) = printed {
                    old.printed = printed.into();
                }
            }
        }
        true
    }
}

/// The pack's pages again for the templates `redo` names, to put over those of `old`,
/// rendered from the same pack. Search entries, dashboard row, runbook and mentions do not
/// depend on templates, so they are kept; the output stays `old`'s own (the same `Arc`)
/// when no page of the pack renders a changed template.
pub(crate) fn rerender_pack(
    input: &Input,
    pack: &Pack,
    old: &PackPages,
    redo: &dyn Fn(&str) -> bool,
) -> Result<Redone, Diagnostic> {
    // Which of two clashing pages holds a path depends on the order of a whole render.
    if !old.clashes.is_empty() {
        return render_pack(input, pack).map(|p| Redone::Whole(p.map(Box::new)));
    }
    let Some(a) = input.assessments.get(&pack.slug) else {
        return Ok(Redone::Whole(None));
    };
    let mut r = PackRender::new(input, pack, a);
    if redo("pack.html") {
        r.overview()?;
    }
    if redo("section.html") {
        for (i, s) in pack.sections.iter().enumerate() {
            r.section(i, s)?;
        }
    }
    if redo("page.html") {
        for p in &pack.pages {
            r.extra_page(p)?;
        }
    }
    let mut printed = None;
    if redo("runbook.html") || redo(RUNBOOK_BODY) {
        printed = r.runbook(redo(RUNBOOK_BODY))?.1;
    }
    if redo("checklist.html") {
        r.checklist()?;
    }
    // Section pages come with their badges, which no template draws: those stay.
    let pages = (r.pages.output.files.into_iter())
        .filter(|(path, _)| !path.starts_with("badges/"))
        .collect();
    Ok(Redone::Pages(pages, printed))
}

/// The site-wide files with the theme's static files of `new` in place of those of `old`,
/// when only their contents changed: no page shows them, so none is rendered again.
/// `None` when a file was added or removed, which may clash with another file.
pub(crate) fn restyle(site_wide: &Output, old: &Theme, new: &Theme) -> Option<Output> {
    let paths = |t: &Theme| t.statics.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    if paths(old) != paths(new) {
        return None;
    }
    let mut out = site_wide.clone();
    for ((path, bytes), (_, was)) in new.statics.iter().zip(&old.statics) {
        // Files left out (the diagram library of a site without diagrams) stay out.
        if bytes != was && out.files.contains_key(path) {
            out.insert(path.clone(), bytes.clone());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template the renderer names is in the lists above, so a change to it is seen.
    #[test]
    fn the_lists_name_every_template_rendered() {
        let source = [
            include_str!("mod.rs"),
            include_str!("site_wide.rs"),
            include_str!("dashboard.rs"),
            include_str!("runbook.rs"),
        ]
        .concat();
        let named: Vec<&str> = source
            .split('"')
            .filter(|s| {
                s.ends_with(".html")
                    && !s.contains(' ')
                    && (!s.contains('/') || s.starts_with("partials/"))
            })
            .collect();
        assert!(named.len() >= 10, "template names found: {named:?}");
        for name in named {
            assert!(
                PACK_TEMPLATES.contains(&name) || SITE_WIDE_TEMPLATES.contains(&name),
                "{name} is rendered but in neither list"
            );
        }
    }
}
