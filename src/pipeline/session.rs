//! A site kept in memory with every stage's result, so a save redoes only what it
//! touched: the pack it changed, the theme, `static/` or the root pages.

use super::bodies::render_markdown;
use super::options::Options;
use crate::check::assess::{self, Assessment};
use crate::check::links;
use crate::domain::config::Config;
use crate::domain::diag::{self, Diagnostic, Kind};
use crate::domain::document::Rendered;
use crate::domain::model::{Pack, Page, Site};
use crate::load;
use crate::load::secrets;
use crate::render;
use crate::render::files::Output;
use crate::render::highlight::Highlighter;
use crate::render::owners::{self, Mention};
use crate::render::rerender::{self, Redone};
use crate::render::site_wide::Put;
use crate::render::status::{self, Status};
use crate::render::templates::Templates;
use crate::render::theme::{self, Theme};
use crate::render::views;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// What a build produced: the output when there were no errors, and every diagnostic.
pub struct Built {
    pub output: Option<Output>,
    pub diagnostics: Vec<Diagnostic>,
    pub status: Status,
    /// The path every URL of the output starts with.
    pub base_path: String,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// A site kept in memory with every stage's result.
pub struct Session {
    pub(super) root: PathBuf,
    /// Where the site's git repository keeps its HEAD and branches ([`history::History`]):
    /// a change there may move the days the pages show as last updated.
    ///
    /// [`history::History`]: crate::load::history::History
    pub(super) git_heads: Vec<PathBuf>,
    pub(super) opts: Options,
    pub(super) hl: Arc<Highlighter>,
    pub(super) site: Site,
    pub(super) config_diags: Vec<Diagnostic>,
    pub(super) root_diags: Vec<Diagnostic>,
    /// Diagnostics of `static/`, redone when it changes.
    pub(super) static_diags: Vec<Diagnostic>,
    pub(super) pack_diags: HashMap<String, Vec<Diagnostic>>,
    pub(super) rendered: HashMap<String, Rendered>,
    pub(super) assessments: HashMap<String, Assessment>,
    pub(super) warnings: HashMap<String, Vec<Diagnostic>>,
    /// Each pack's people, for the shared-contact warnings; redone with the pack.
    pub(super) mentions: HashMap<String, Vec<Mention>>,
    pub(super) theme_diags: Vec<Diagnostic>,
    /// Likely secrets in `static/`, `templates/` and the theme's `static/`.
    pub(super) published_diags: Vec<Diagnostic>,
    pub(super) templates: Result<Arc<Templates>, Vec<Diagnostic>>,
    pub(super) syntax_css: String,
    /// Rendered pages of each pack and its part of the search index, kept until the pack
    /// changes; a template edit redoes the pages that use the templates it changed.
    pub(super) pack_out: HashMap<String, render::PackPages>,
    /// The templates every page of `pack_out` was rendered with.
    pub(super) pack_templates: Option<Arc<Templates>>,
    /// The site-wide files and the templates they were rendered with, kept while only
    /// templates they do not use change.
    pub(super) site_wide: Option<(Arc<Output>, Arc<Templates>)>,
    /// The link checks of each folder (pack slug, "" for the site's own pages), made when
    /// the diagnostics are asked for and kept until a folder they looked in changes.
    pub(super) link_checks: Mutex<HashMap<String, links::Checked>>,
}

impl Session {
    /// Loads, checks and renders the site at `root` from scratch.
    pub fn new(root: &Path, opts: Options) -> Session {
        Session::with_highlighter(root, opts, Arc::new(Highlighter::new()))
    }

    /// [`Session::new`] with syntax definitions already loaded, to build many sites.
    pub fn with_highlighter(root: &Path, opts: Options, hl: Arc<Highlighter>) -> Session {
        let (mut session, slugs) = Session::without_packs(root, opts, hl);
        let lopts = session.load_options();
        let loaded: Vec<(Pack, Vec<Diagnostic>)> = slugs
            .par_iter()
            .map(|slug| load::load_pack(root, slug, lopts))
            .collect();
        let pages: Vec<&Page> = loaded.iter().flat_map(|(p, _)| p.all_pages()).collect();
        let rendered = render_markdown(&session.site.config, pages, &session.hl);
        session.rendered.extend(rendered);
        for (pack, d) in loaded {
            session.pack_diags.insert(pack.slug.clone(), d);
            session.site.packs.push(pack);
        }
        session.assess(&slugs);
        session
    }

    /// Loads and checks everything of the site at `root` but its packs, and names the
    /// packs: [`Session::with_highlighter`] loads them all, [`Session::stream_packs`]
    /// one at a time.
    pub(crate) fn without_packs(
        root: &Path,
        opts: Options,
        hl: Arc<Highlighter>,
    ) -> (Session, Vec<String>) {
        let lopts = load::Options {
            drafts: opts.drafts,
        };
        let mut config_diags = Vec::new();
        let config = load_config(root, &opts, &hl, &mut config_diags);
        // Three things that wait on different things go on at once: git's history (a
        // process), the theme (parsing its templates) and the site's own pages (the disk,
        // Markdown, loading the highlighter).
        let (history, ((templates, theme_diags), published_diags), own) =
            std::thread::scope(|scope| {
                let history = scope.spawn(|| load::history::read(root));
                let (theme, own) = rayon::join(
                    || {
                        let theme = theme_templates(root, &config);
                        (theme, secrets::scan_published(root, &config.theme))
                    },
                    || {
                        let mut diags = Vec::new();
                        let content = load::load_root(root, lopts, &mut diags);
                        let mut static_diags = Vec::new();
                        let statics = load::load_statics(root, &mut static_diags);
                        let pages = content.home.iter().chain(&content.pages).collect();
                        let rendered = render_markdown(&config, pages, &hl);
                        (content, diags, statics, static_diags, rendered)
                    },
                );
                (history.join().unwrap_or_default(), theme, own)
            });
        let (content, root_diags, statics, static_diags, rendered) = own;
        let site = Site {
            root: root.to_path_buf(),
            config,
            home: content.home,
            pages: content.pages,
            assets: content.assets,
            statics,
            packs: Vec::new(),
            changed: history.changed,
        };
        let session = Session {
            root: root.to_path_buf(),
            git_heads: history.heads,
            opts,
            syntax_css: hl.css(site.config.highlight_theme.as_deref()),
            hl,
            site,
            config_diags,
            root_diags,
            static_diags,
            pack_diags: HashMap::new(),
            rendered,
            assessments: HashMap::new(),
            warnings: HashMap::new(),
            mentions: HashMap::new(),
            theme_diags,
            published_diags,
            templates,
            pack_out: HashMap::new(),
            pack_templates: None,
            site_wide: None,
            link_checks: Mutex::default(),
        };
        (session, content.pack_slugs)
    }

    /// The git folders whose changes [`Session::apply`] takes as history moving, for a
    /// watcher to watch (none outside a git repository).
    pub fn git_heads(&self) -> &[PathBuf] {
        &self.git_heads
    }

    pub(super) fn load_options(&self) -> load::Options {
        load::Options {
            drafts: self.opts.drafts,
        }
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    pub(super) fn load_theme(&mut self) {
        // The pages stay: rendering compares these templates with theirs.
        (self.templates, self.theme_diags) = theme_templates(&self.root, &self.site.config);
    }

    pub(super) fn scan_published(&mut self) {
        self.published_diags = secrets::scan_published(&self.root, &self.site.config.theme);
    }

    pub(super) fn assess(&mut self, slugs: &[String]) {
        let today = self.opts.today;
        let config = &self.site.config;
        let results: Vec<(String, Assessment, Vec<Diagnostic>, Vec<Mention>)> = self
            .site
            .packs
            .par_iter()
            .filter(|p| slugs.contains(&p.slug))
            .map(|p| {
                let a = assess::assess(p, config, today);
                let w = assess::warnings(p, &a, config);
                let m = owners::mentions(p, &config.base_path);
                (p.slug.clone(), a, w, m)
            })
            .collect();
        for (slug, a, w, m) in results {
            self.assessments.insert(slug.clone(), a);
            self.warnings.insert(slug.clone(), w);
            self.mentions.insert(slug, m);
        }
    }

    /// Every diagnostic of the site as it stands, sorted: load, check and template errors.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics_with(|slug, out| {
            for m in [&self.pack_diags, &self.warnings] {
                out.extend(m.get(slug).into_iter().flatten().cloned());
            }
        })
    }

    /// [`Session::diagnostics`], each pack's diagnostics and warnings moved into them
    /// rather than copied: for `build`, whose packs' pages are written, and which lets
    /// go of links and anchors then too ([`Session::forget_diagnosed`]).
    pub(crate) fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        let mut pack_diags = std::mem::take(&mut self.pack_diags);
        let mut warnings = std::mem::take(&mut self.warnings);
        let diags = self.diagnostics_with(|slug, out| {
            for m in [&mut pack_diags, &mut warnings] {
                out.extend(m.remove(slug).into_iter().flatten());
            }
        });
        self.forget_diagnosed();
        diags
    }

    /// Every diagnostic, each pack's own and its warnings added by `of_pack`.
    fn diagnostics_with(
        &self,
        mut of_pack: impl FnMut(&str, &mut Vec<Diagnostic>),
    ) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = self.config_diags.clone();
        diags.extend(self.root_diags.iter().cloned());
        diags.extend(self.static_diags.iter().cloned());
        diags.extend(self.theme_diags.iter().cloned());
        diags.extend(self.published_diags.iter().cloned());
        for p in &self.site.packs {
            of_pack(&p.slug, &mut diags);
        }
        diags.extend(self.link_diagnostics());
        // A pack's people as its rendered pages keep them, else as found with its checks
        // (a streamed build keeps them once, with the pages).
        let mentions = (self.site.packs.iter())
            .filter_map(|p| {
                let pages = self.pack_out.get(&p.slug).map(|o| &o.mentions);
                pages.or_else(|| self.mentions.get(&p.slug))
            })
            .flatten();
        diags.extend(owners::shared_contacts(mentions));
        if let Err(e) = &self.templates {
            diags.extend(e.iter().cloned());
        }
        // A source line shown under any message never shows a secret whole (a secret's own
        // warning has its line masked already).
        for d in diags.iter_mut().filter(|d| d.kind != Kind::Secret) {
            if let Some(line) = d.source_line.as_deref().and_then(secrets::masked_line) {
                d.source_line = Some(line);
            }
        }
        diag::sort(&mut diags);
        diags
    }

    /// The broken links of the site: each folder's checked again only when a folder its
    /// links look in has changed since ([`Session::links_changed`]).
    fn link_diagnostics(&self) -> Vec<Diagnostic> {
        let mut checks = (self.link_checks.lock()).unwrap_or_else(PoisonError::into_inner);
        let folders: Vec<&str> = std::iter::once("")
            .chain(self.site.packs.iter().map(|p| p.slug.as_str()))
            .collect();
        let unchecked: Vec<&str> = (folders.iter().copied())
            .filter(|f| !checks.contains_key(*f))
            .collect();
        if !unchecked.is_empty() {
            checks.extend(links::check_folders(&self.site, &self.rendered, &unchecked));
        }
        (folders.iter())
            .filter_map(|f| checks.get(*f))
            .flat_map(|c| c.diags.iter().cloned())
            .collect()
    }

    /// Forgets the link checks of folder `slug` ("" for `content/`) and of every folder
    /// whose links looked in it.
    pub(super) fn links_changed(&mut self, slug: &str) {
        let checks = (self.link_checks.get_mut()).unwrap_or_else(PoisonError::into_inner);
        checks.remove(slug);
        checks.retain(|_, c| !c.looked_in.contains(slug));
    }

    pub fn status(&self) -> Status {
        status::status(&self.site, &self.assessments)
    }

    /// Every diagnostic and, when there is no error, the whole output.
    pub fn built(&mut self) -> Built {
        let mut diagnostics = self.diagnostics();
        let mut output = None;
        if !diagnostics.iter().any(Diagnostic::is_error) {
            // Both stages run, so every clash of output paths is reported at once.
            let mut errors = self.render_packs().err().unwrap_or_default();
            match self.site_wide() {
                Ok(site_wide) if errors.is_empty() => {
                    let mut site_wide = Output::clone(&site_wide);
                    for (_, pages) in self.pack_outputs() {
                        site_wide
                            .files
                            .extend(pages.files.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                    output = Some(site_wide);
                }
                Ok(_) => {}
                Err(e) => {
                    for d in e {
                        if !errors.contains(&d) {
                            errors.push(d);
                        }
                    }
                }
            }
            if !errors.is_empty() {
                diagnostics.extend(errors);
                diag::sort(&mut diagnostics);
            }
        }
        Built {
            output,
            diagnostics,
            status: self.status(),
            base_path: self.site.config.base_path.clone(),
        }
    }

    fn input(&self) -> Result<views::Input<'_>, Vec<Diagnostic>> {
        let templates = self.templates.as_deref().map_err(Clone::clone)?;
        Ok(views::Input {
            site: &self.site,
            rendered: &self.rendered,
            assessments: &self.assessments,
            pack_diags: [&self.pack_diags, &self.warnings],
            templates,
            syntax_css: &self.syntax_css,
            today: self.opts.today,
        })
    }

    /// Renders the pages of every pack changed since they were last rendered, and the
    /// pages of the other packs that use a template changed since.
    pub fn render_packs(&mut self) -> Result<(), Vec<Diagnostic>> {
        self.render_packs_each(&|_| {})
    }

    /// [`Session::render_packs`], handing each pack rendered whole to `each` on the
    /// rendering thread as soon as it is done: `build` writes its files out and keeps
    /// the rest.
    pub(crate) fn render_packs_each(
        &mut self,
        each: &(dyn Fn(&mut render::PackPages) + Sync),
    ) -> Result<(), Vec<Diagnostic>> {
        let templates = self.templates.as_ref().map_err(Clone::clone)?;
        let redo: Vec<&str> = match &self.pack_templates {
            Some(old) if !Arc::ptr_eq(old, templates) => (rerender::PACK_TEMPLATES.iter())
                .copied()
                .filter(|t| templates.changed_since(old, t))
                .collect(),
            _ => Vec::new(),
        };
        let redo = |t: &str| redo.contains(&t);
        let input = self.input()?;
        let stale: Vec<(&Pack, Option<&render::PackPages>)> = (self.site.packs.iter())
            .filter_map(|p| match self.pack_out.get(&p.slug) {
                None => Some((p, None)),
                Some(old) if rerender::PACK_TEMPLATES.iter().any(|t| redo(t)) => {
                    Some((p, Some(old)))
                }
                Some(_) => None,
            })
            .collect();
        let fresh: Vec<(String, Result<Redone, Diagnostic>)> = stale
            .par_iter()
            .map(|(p, old)| {
                let pages = match old {
                    None => render::render_pack(&input, p).map(|mut pages| {
                        if let Some(pages) = &mut pages {
                            each(pages);
                        }
                        Redone::Whole(pages.map(Box::new))
                    }),
                    Some(old) => rerender::rerender_pack(&input, p, old, &redo),
                };
                (p.slug.clone(), pages)
            })
            .collect();
        let mut errors = Vec::new();
        for (slug, r) in fresh {
            match r {
                Ok(Redone::Whole(pages)) => {
                    // What a pack gives the site-wide pages is new.
                    self.site_wide = None;
                    match pages {
                        Some(pages) => self.pack_out.insert(slug, *pages),
                        None => self.pack_out.remove(&slug),
                    };
                }
                Ok(pages) => {
                    let kept = self
                        .pack_out
                        .get_mut(&slug)
                        .is_some_and(|old| pages.put(old));
                    if !kept {
                        self.pack_out.remove(&slug);
                    }
                }
                // Rendered whole next time, with the templates of then.
                Err(e) => {
                    self.pack_out.remove(&slug);
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
            }
        }
        self.pack_templates = self.templates.as_ref().ok().map(Arc::clone);
        for p in &self.site.packs {
            if let Some(pages) = self.pack_out.get(&p.slug) {
                errors.extend(pages.clashes.iter().cloned());
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Each pack's rendered files, by slug, in pack order.
    pub fn pack_outputs(&self) -> Vec<(&str, Arc<Output>)> {
        self.site
            .packs
            .iter()
            .filter_map(|p| {
                self.pack_out
                    .get(&p.slug)
                    .map(|o| (p.slug.as_str(), Arc::clone(&o.output)))
            })
            .collect()
    }

    /// The site-wide files (see [`Session::render_site_wide`]), rendered again only when
    /// something they show changed since they last were: call [`Session::render_packs`]
    /// first. Edited static files of the theme are put in without rendering a page.
    pub fn site_wide(&mut self) -> Result<Arc<Output>, Vec<Diagnostic>> {
        let templates = Arc::clone(self.templates.as_ref().map_err(Clone::clone)?);
        if let Some((out, old)) = &self.site_wide {
            let pages_same = Arc::ptr_eq(old, &templates)
                || !(rerender::SITE_WIDE_TEMPLATES.iter()).any(|t| templates.changed_since(old, t));
            let kept = if !pages_same {
                None
            } else if old.theme.statics == templates.theme.statics {
                Some(Arc::clone(out))
            } else {
                rerender::restyle(out, &old.theme, &templates.theme).map(Arc::new)
            };
            if let Some(out) = kept {
                self.site_wide = Some((Arc::clone(&out), templates));
                return Ok(out);
            }
        }
        let out = Arc::new(self.render_site_wide()?);
        self.site_wide = Some((Arc::clone(&out), templates));
        Ok(out)
    }

    /// Renders the site-wide pages (dashboard, indexes, status, search, sitemap) from
    /// the packs' rendered parts: call [`Session::render_packs`] first.
    pub fn render_site_wide(&self) -> Result<Output, Vec<Diagnostic>> {
        let out = std::sync::Mutex::new(Output::default());
        self.render_site_wide_into(&out)?;
        Ok(out
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Lets go of what only the diagnostics and the packs' own pages read: every page's
    /// links and anchors, and each pack's diagnostics and warnings. Once `build` has the
    /// diagnostics and the packs' pages are written, the site-wide pages use the room.
    fn forget_diagnosed(&mut self) {
        for r in self.rendered.values_mut() {
            r.links = Vec::new();
            r.anchors = Vec::new();
        }
        self.pack_diags = HashMap::new();
        self.warnings = HashMap::new();
    }

    /// [`Session::render_site_wide`], each file handed to `put` as soon as it is made.
    pub(crate) fn render_site_wide_into(&self, put: &dyn Put) -> Result<(), Vec<Diagnostic>> {
        let input = self.input()?;
        let packs: Vec<&render::PackPages> = self
            .site
            .packs
            .iter()
            .filter_map(|p| self.pack_out.get(&p.slug))
            .collect();
        render::site_wide::render_global(&input, &packs, put)
    }
}

/// The site's templates, compiled from its theme and its own `templates/`, and what was
/// wrong with the theme.
fn theme_templates(
    root: &Path,
    config: &Config,
) -> (Result<Arc<Templates>, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let theme: Theme = theme::load(root, &config.theme, config.theme_at, &mut diags);
    (Templates::new(&theme).map(Arc::new), diags)
}

fn load_config(
    root: &Path,
    opts: &Options,
    hl: &Highlighter,
    diags: &mut Vec<Diagnostic>,
) -> Config {
    let mut config = load::load_config(root, diags);
    if let Some(url) = &opts.base_url {
        if let Err(msg) = config.set_base_url(url) {
            diags.push(Diagnostic::error(Kind::SiteConfig, "--base-url", 1, 1, msg));
        }
    }
    if let Some(name) = &config.highlight_theme {
        if !hl.has_theme(name) {
            let (line, column) = config.highlight_theme_at;
            diags.push(
                Diagnostic::error(
                    Kind::Theme,
                    crate::domain::config::FILE,
                    line,
                    column,
                    format!(
                        "unknown [highlight] theme `{name}`; use one of: {}",
                        hl.theme_names().join(", ")
                    ),
                )
                .with_source(
                    &std::fs::read_to_string(root.join(crate::domain::config::FILE))
                        .unwrap_or_default(),
                ),
            );
        }
    }
    config
}
