//! `build`'s pass over the packs: each is loaded, checked, rendered and handed to the
//! output in turn, then let go of but for what the checks across packs and the site-wide
//! pages read, so a build holds a few packs' text at once, not the site's.

use super::bodies::render_markdown;
use super::session::Session;
use crate::check::assess::{self, Assessment};
use crate::domain::answers::Answer;
use crate::domain::diag::Diagnostic;
use crate::domain::document::Rendered;
use crate::domain::field::Field;
use crate::domain::model::Pack;
use crate::load;
use crate::render::owners::{self, Mention};
use crate::render::templates::Templates;
use crate::render::views::{self, DIAGRAM_MARK};
use crate::render::{self, PackPages};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// How many streamed packs may wait to be kept.
const IN_FLIGHT: usize = 4;

impl Session {
    /// Loads, checks and renders the packs `slugs` into a session that has none, one
    /// pack at a time: each pack's pages go to `each` as soon as they are rendered, and
    /// of the pack only what the checks across packs and the site-wide pages read is
    /// kept ([`keep_what_site_reads`]), so `build` holds a few packs' text at
    /// once, not the site's. A pack with an error of its own is not rendered. Returns
    /// the errors found while rendering, which count only when the site has no other.
    pub(crate) fn stream_packs(
        &mut self,
        slugs: &[String],
        each: &(dyn Fn(&mut render::PackPages) + Sync),
    ) -> Vec<Diagnostic> {
        let templates = self.templates.as_ref().ok().map(Arc::clone);
        let mut held = Held::take_from(self);
        let mut packs: Vec<Option<(Pack, Found)>> = slugs.iter().map(|_| None).collect();
        {
            let this = &*self;
            let templates = templates.as_deref();
            std::thread::scope(|scope| {
                // Bounded: a rendering thread waits rather than packs piling up unkept.
                let (tx, rx) = std::sync::mpsc::sync_channel(IN_FLIGHT);
                scope.spawn(move || {
                    (slugs.par_iter().enumerate()).for_each_with(tx, |tx, (i, slug)| {
                        let _ = tx.send((i, this.stream_pack(slug, templates, each)));
                    })
                });
                // Each pack as it comes, copied on this thread: what is kept of the packs
                // lies together, not spread among the rendering threads' scratch memory.
                for (i, streamed) in rx {
                    if let Some(slot) = packs.get_mut(i) {
                        *slot = Some(held.keep(streamed.clone()));
                    }
                }
            });
        }
        held.put_back(self);
        self.pack_templates = templates;
        let mut errors = Vec::new();
        self.site.packs.reserve_exact(packs.len());
        for (pack, found) in packs.into_iter().flatten() {
            self.site.packs.push(pack);
            errors.extend(found.clashes);
            match found.error {
                Some(e) if !errors.contains(&e) => errors.push(e),
                _ => {}
            }
        }
        errors
    }

    /// One pack of [`Session::stream_packs`].
    fn stream_pack(
        &self,
        slug: &str,
        templates: Option<&Templates>,
        each: &(dyn Fn(&mut render::PackPages) + Sync),
    ) -> Streamed {
        let (mut pack, diags) = load::load_pack(&self.root, slug, self.load_options());
        let config = &self.site.config;
        let mut rendered = render_markdown(config, pack.all_pages().collect(), &self.hl);
        let assessment = assess::assess(&pack, config, self.opts.today);
        let warnings = assess::warnings(&pack, &assessment, config);
        let mut mentions = owners::mentions(&pack, &config.base_path);
        let broken = diags.iter().chain(&warnings).any(Diagnostic::is_error);
        // The pack's own results, as the whole session keeps them, for its pages.
        let key = pack.slug.clone();
        let mut assessments = HashMap::from([(key.clone(), assessment)]);
        let mut diags = HashMap::from([(key.clone(), diags)]);
        let mut warnings = HashMap::from([(key.clone(), warnings)]);
        let mut pages = Ok(None);
        if let (false, Some(templates)) = (broken, templates) {
            let input = views::Input {
                site: &self.site,
                rendered: &rendered,
                assessments: &assessments,
                pack_diags: [&diags, &warnings],
                templates,
                syntax_css: &self.syntax_css,
                today: self.opts.today,
            };
            pages = render::render_pack(&input, &pack);
            if let Ok(Some(pages)) = &mut pages {
                each(pages);
                // Its pages keep the same people, for the owners pages: kept once.
                mentions = Vec::new();
            }
        }
        let mut assessment = assessments.remove(&key);
        keep_what_site_reads(&mut pack, &mut rendered, assessment.as_mut());
        Streamed {
            assessment,
            diags: diags.remove(&key).unwrap_or_default(),
            warnings: warnings.remove(&key).unwrap_or_default(),
            pack,
            rendered,
            mentions,
            pages,
        }
    }
}

/// What the session keeps of every pack, filled as each pack is streamed.
struct Held {
    rendered: HashMap<String, Rendered>,
    pack_diags: HashMap<String, Vec<Diagnostic>>,
    assessments: HashMap<String, Assessment>,
    warnings: HashMap<String, Vec<Diagnostic>>,
    mentions: HashMap<String, Vec<Mention>>,
    pack_out: HashMap<String, PackPages>,
    contacts: owners::Contacts,
}

/// The errors a pack's rendering found: output paths it claims twice, or a template error.
struct Found {
    clashes: Vec<Diagnostic>,
    error: Option<Diagnostic>,
}

impl Held {
    fn take_from(s: &mut Session) -> Held {
        use std::mem::take;
        Held {
            rendered: take(&mut s.rendered),
            pack_diags: take(&mut s.pack_diags),
            assessments: take(&mut s.assessments),
            warnings: take(&mut s.warnings),
            mentions: take(&mut s.mentions),
            pack_out: take(&mut s.pack_out),
            contacts: owners::Contacts::default(),
        }
    }

    fn put_back(self, s: &mut Session) {
        s.rendered = self.rendered;
        s.pack_diags = self.pack_diags;
        s.assessments = self.assessments;
        s.warnings = self.warnings;
        s.mentions = self.mentions;
        s.pack_out = self.pack_out;
    }

    /// Keeps a streamed pack's results; gives back the pack and its rendering's errors.
    fn keep(&mut self, mut pack: Streamed) -> (Pack, Found) {
        let slug = pack.pack.slug.clone();
        self.contacts.share(&mut pack.mentions);
        if let Ok(Some(pages)) = &mut pack.pages {
            self.contacts.share(&mut pages.mentions);
        }
        self.rendered.extend(pack.rendered);
        self.pack_diags.insert(slug.clone(), pack.diags);
        if let Some(a) = pack.assessment {
            self.assessments.insert(slug.clone(), a);
        }
        self.warnings.insert(slug.clone(), pack.warnings);
        self.mentions.insert(slug.clone(), pack.mentions);
        let mut found = Found {
            clashes: Vec::new(),
            error: None,
        };
        match pack.pages {
            Ok(Some(pages)) => {
                found.clashes = pages.clashes.clone();
                self.pack_out.insert(slug, pages);
            }
            Ok(None) => {}
            Err(e) => found.error = Some(e),
        }
        (pack.pack, found)
    }
}

/// A pack loaded, checked and rendered, and all that is kept of it.
#[derive(Clone)]
struct Streamed {
    pack: Pack,
    diags: Vec<Diagnostic>,
    rendered: HashMap<String, Rendered>,
    assessment: Option<Assessment>,
    warnings: Vec<Diagnostic>,
    mentions: Vec<Mention>,
    /// Its pages with their files handed over; `None` when it was not rendered.
    pages: Result<Option<PackPages>, Diagnostic>,
}

/// Lets go of a rendered pack's text, answers, file bytes, eval runs and page bodies, and
/// of what only its own pages show of its assessment. What stays: its name and files'
/// names (status, output clashes), each page's links and anchors (link checks across
/// packs, which read a page again from disk for the source line of a broken link),
/// whether a body draws a diagram, and what status.json reads of the assessment.
fn keep_what_site_reads(
    pack: &mut Pack,
    rendered: &mut HashMap<String, Rendered>,
    assessment: Option<&mut Assessment>,
) {
    if let Some(a) = assessment {
        a.verdicts = Vec::new();
        a.models = Vec::new();
        for bar in &mut a.bars {
            bar.items = Vec::new();
        }
    }
    pack.eval.runs = Vec::new();
    let pages = (pack.sections.iter_mut())
        .filter_map(|s| s.page.as_mut())
        .chain(pack.intro.iter_mut())
        .chain(pack.pages.iter_mut());
    for page in pages {
        page.text = String::new();
    }
    // Of the answers, status.json reads the workflow's name: the others are let go of,
    // and those after it in its section (an answer not there reads as missing).
    let name = Field::Name.index();
    for section in &mut pack.sections {
        let Some(page) = &mut section.page else {
            continue;
        };
        let answers = &mut page.fm.answers;
        match name {
            Some(name) if section.def.stem == Field::Name.section().as_str() => {
                answers.truncate(name + 1);
                answers
                    .iter_mut()
                    .take(name)
                    .for_each(|a| *a = Answer::MISSING);
                answers.shrink_to_fit();
            }
            _ => *answers = Vec::new(),
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
        r.plain_headings = Vec::new();
        r.headings = Vec::new();
        r.tasks = Vec::new();
        r.anchors.shrink_to_fit();
        r.links.shrink_to_fit();
    }
}
