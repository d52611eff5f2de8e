//! What a streamed build keeps of a pack once its pages are written: what the checks
//! across packs and the site-wide pages read, not its text or its rendered bodies.

use crate::check::assess::Assessment;
use crate::domain::answers::Answer;
use crate::domain::diag::Diagnostic;
use crate::domain::document::Rendered;
use crate::domain::field::Field;
use crate::domain::model::Pack;
use crate::render::owners::Mention;
use crate::render::views::DIAGRAM_MARK;
use crate::render::PackPages;
use std::collections::HashMap;

/// A pack loaded, checked and rendered, and all that is kept of it.
pub(crate) struct Streamed {
    pub pack: Pack,
    pub diags: Vec<Diagnostic>,
    pub rendered: HashMap<String, Rendered>,
    pub assessment: Option<Assessment>,
    pub warnings: Vec<Diagnostic>,
    pub mentions: Vec<Mention>,
    /// Its pages with their files handed over; `None` when it was not rendered.
    pub pages: Result<Option<PackPages>, Diagnostic>,
}

/// Lets go of a rendered pack's text, answers, file bytes and page bodies. What stays:
/// its name and files' names (status, output clashes), each page's
/// links and anchors (link checks across packs, which read a page again from disk for
/// the source line of a broken link), and whether a body draws a diagram.
pub(crate) fn keep_what_site_reads(pack: &mut Pack, rendered: &mut HashMap<String, Rendered>) {
    let pages = (pack.sections.iter_mut())
        .filter_map(|s| s.page.as_mut())
        .chain(pack.intro.iter_mut())
        .chain(pack.pages.iter_mut());
    for page in pages {
        page.text = String::new();
    }
    // Of the answers, status.json reads the workflow's name.
    let name = Field::Name.index();
    for section in &mut pack.sections {
        let keep = |i| section.def.stem == Field::Name.section().as_str() && Some(i) == name;
        let Some(page) = &mut section.page else {
            continue;
        };
        for (i, a) in page.fm.answers.iter_mut().enumerate() {
            if !keep(i) {
                *a = Answer::MISSING;
            }
        }
    }
    for asset in &mut pack.assets {
        asset.bytes = Vec::new();
    }
    for r in rendered.values_mut() {
        // The site-wide pages look for the mark to ship the diagram library.
        r.html = if r.html.contains(DIAGRAM_MARK) {
            DIAGRAM_MARK.to_string()
        } else {
            String::new()
        };
        r.plain = String::new();
        r.headings = Vec::new();
        r.tasks = Vec::new();
    }
}
