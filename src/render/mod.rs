//! Rendering: turns the checked site into pages through the theme's Tera templates.

pub(crate) mod answers_view;
pub(crate) mod badge;
pub(crate) mod checklist;
pub(crate) mod collide;
pub(crate) mod dashboard;
pub(crate) mod eval_chart;
pub(crate) mod evals_view;
pub(crate) mod files;
pub(crate) mod highlight;
pub mod markdown;
pub(crate) mod marks;
pub(crate) mod owners;
pub(crate) mod owners_pages;
pub(crate) mod rerender;
pub(crate) mod responders;
pub(crate) mod runbook;
pub(crate) mod search;
pub(crate) mod search_index;
pub(crate) mod search_words;
pub(crate) mod site_wide;
pub(crate) mod sitemap;
pub(crate) mod spill;
pub(crate) mod status;
pub(crate) mod template_errors;
pub(crate) mod templates;
pub(crate) mod theme;
pub(crate) mod toc;
pub(crate) mod views;
pub(crate) mod warnings_view;

use self::answers_view::{field_view, FieldView};
use self::collide::{Claims, Origin};
use self::files::Output;
use self::markdown::LinkBase;
use self::views::{page_title, Input, LinkView, PackNav};
use crate::check::assess::Assessment;
use crate::domain::diag::Diagnostic;
use crate::domain::field::SectionId;
use crate::domain::model::{Pack, Page, Section};
use crate::domain::site_path;

/// Rendered pages with their search entries, and where each output file comes from.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    pub output: Output,
    pub search: search::Collector,
    pub claims: Claims,
}

impl Pages {
    /// Adds a file to the output unless its path is taken (then an error names both).
    fn put(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>, origin: Origin) {
        let path = path.into();
        if self.claims.claim(&path, origin) {
            self.output.insert(path, bytes);
        }
    }

    /// Renders `template` as the page at `url_path` and indexes it for search.
    fn page(
        &mut self,
        input: &Input,
        template: &str,
        ctx: &tera::Context,
        (url_path, origin): (&str, Origin),
        words: &search::Words,
    ) -> Result<(), Diagnostic> {
        let html = input.templates.render(template, ctx)?;
        self.search.add(url_path, &title_of(ctx), words);
        self.put(site_path::served_file(url_path), html, origin);
        Ok(())
    }

    /// Renders a site-wide list page: indexed by its title only, since its text is
    /// every pack's, which their own pages already hold.
    fn list_page(
        &mut self,
        input: &Input,
        template: &str,
        ctx: &tera::Context,
        url_path: &str,
    ) -> Result<(), Diagnostic> {
        let html = input.templates.render(template, ctx)?;
        self.search
            .add(url_path, &title_of(ctx), &search::Words::default());
        self.put(site_path::served_file(url_path), html, Origin::Generated);
        Ok(())
    }
}

fn title_of(ctx: &tera::Context) -> String {
    ctx.get("page")
        .and_then(|p| p.get("title"))
        .and_then(|t| t.as_str())
        .unwrap_or("")
        .to_string()
}

/// A pack's rendered pages, and what it contributes to the site-wide pages, kept
/// together so a rebuild redoes neither for packs that did not change.
#[derive(Debug, Clone)]
pub(crate) struct PackPages {
    /// The files; empty once `build` has written them out ([`PackPages::take_files`]).
    pub output: std::sync::Arc<Output>,
    /// Every file's path, kept when the files are written out.
    pub paths: Paths,
    /// The pack's pages and their words, for the search index.
    pub search: search::Part,
    /// The dashboard's row.
    pub row: dashboard::Kept,
    /// Its line in the list of every runbook.
    pub runbook: runbook::Entry,
    /// What its runbook's notes need on the page of every runbook.
    pub printed_needs: views::Needs,
    /// The runbook as printed with every other one, its ids scoped to the pack.
    pub printed: spill::Text,
    pub mentions: Vec<owners::Mention>,
    /// Errors: an input file whose output path is taken (a generated page, another file).
    pub clashes: Vec<Diagnostic>,
}

/// The paths of a pack's files in one string, each ended by a NUL (which no path holds):
/// a build keeps every pack's paths to the end.
#[derive(Debug, Clone, Default)]
pub(crate) struct Paths(String);

impl Paths {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split_terminator('\0')
    }
}

impl<'a> FromIterator<&'a str> for Paths {
    fn from_iter<I: IntoIterator<Item = &'a str>>(paths: I) -> Paths {
        let mut all = String::new();
        for path in paths {
            all.push_str(path);
            all.push('\0');
        }
        all.shrink_to_fit();
        Paths(all)
    }
}

impl PackPages {
    /// The pack's files, handed over and dropped: what the site-wide pages need stays.
    pub(crate) fn take_files(&mut self) -> std::sync::Arc<Output> {
        std::mem::take(&mut self.output)
    }
}

/// Renders one pack's pages and badges; `None` for a pack not assessed.
/// A page or file claimed twice is kept in [`PackPages::clashes`].
pub(crate) fn render_pack(input: &Input, pack: &Pack) -> Result<Option<PackPages>, Diagnostic> {
    let Some(a) = input.assessments.get(&pack.slug) else {
        return Ok(None);
    };
    let mut r = PackRender::new(input, pack, a);
    r.overview()?;
    for (i, s) in pack.sections.iter().enumerate() {
        r.section(i, s)?;
    }
    for p in &pack.pages {
        r.extra_page(p)?;
    }
    let (rb, printed) = r.runbook(true)?;
    r.checklist()?;
    r.pack_badge_and_assets();
    let row = dashboard::Kept::new(r.nav.view);
    Ok(Some(PackPages {
        paths: r.pages.output.files.keys().map(String::as_str).collect(),
        output: std::sync::Arc::new(r.pages.output),
        search: r.pages.search.finish(),
        row,
        runbook: rb.entry(),
        printed_needs: views::Needs::of(&rb.notes_html),
        printed: printed.unwrap_or_default().into(),
        mentions: owners::mentions(pack, input.base()),
        clashes: r.pages.claims.errors,
    }))
}

/// One pack being rendered: its assessment, its crumbs and the pages so far.
struct PackRender<'a> {
    input: &'a Input<'a>,
    pack: &'a Pack,
    a: &'a Assessment,
    crumbs: Vec<LinkView>,
    pages: Pages,
    /// The pack's view, serialised once for all its pages.
    nav: PackNav,
    name: String,
    /// The pack's warnings, each on the overview and on the page it concerns.
    warnings: Vec<warnings_view::WarningView>,
}

impl<'a> PackRender<'a> {
    fn new(input: &'a Input<'a>, pack: &'a Pack, a: &'a Assessment) -> PackRender<'a> {
        let name = pack.name();
        PackRender {
            input,
            pack,
            a,
            crumbs: input.pack_crumbs(pack),
            pages: Pages {
                search: search::Collector::new(&name),
                ..Pages::default()
            },
            nav: input.pack_nav(pack, a),
            name,
            warnings: input.pack_warnings(pack),
        }
    }

    fn slug(&self) -> &str {
        &self.pack.slug
    }

    /// Renders `template` as one of the pack's generated pages, indexed by `words`.
    fn generated(
        &mut self,
        template: &str,
        ctx: &mut tera::Context,
        (url_path, current): (&str, Option<&str>),
        words: &search::Words,
    ) -> Result<(), Diagnostic> {
        let origin = (url_path, Origin::Generated);
        self.pack_page(template, ctx, current, origin, words)
    }

    /// Renders `template` as one of the pack's pages, with the pack's view marked for
    /// `current` (a section's stem, a page's URL path, `None` for the overview).
    fn pack_page(
        &mut self,
        template: &str,
        ctx: &mut tera::Context,
        current: Option<&str>,
        at: (&str, Origin),
        words: &search::Words,
    ) -> Result<(), Diagnostic> {
        let mut pack = serde_json::Map::new();
        pack.insert("pack".into(), self.nav.take(current));
        if let Ok(pack) = tera::Context::from_value(pack.into()) {
            ctx.extend(pack);
        }
        let done = self.pages.page(self.input, template, ctx, at, words);
        if let Some(pack) = ctx.remove("pack") {
            self.nav.give_back(pack);
        }
        done
    }

    /// The overview page.
    fn overview(&mut self) -> Result<(), Diagnostic> {
        let (input, pack, slug) = (self.input, self.pack, self.slug().to_string());
        let mut view = input.page_view(
            self.name.clone(),
            "pack",
            &format!("{slug}/"),
            vec![input.home_crumb()],
            pack.intro.as_ref(),
        );
        view.toc = toc::overview(input.body(pack.intro.as_ref()), !pack.pages.is_empty());
        view.evaluation = !self.warnings.is_empty();
        let mut ctx = input.context(view);
        ctx.insert("intro_html", input.body_html(pack.intro.as_ref()));
        ctx.insert("badge_markdown", &badge_markdown(input, &self.name, &slug));
        ctx.insert("warnings", &self.warnings);
        let words = search::Words::pack(pack, input.body(pack.intro.as_ref()));
        self.generated("pack.html", &mut ctx, (&format!("{slug}/"), None), &words)
    }

    /// The warnings of the pack that `on` says concern a page.
    fn warnings_on(
        &self,
        on: impl Fn(&warnings_view::WarningView) -> bool,
    ) -> Vec<&warnings_view::WarningView> {
        self.warnings.iter().filter(|w| on(w)).collect()
    }

    /// The page of the section at `i`, and its badge.
    fn section(&mut self, i: usize, s: &Section) -> Result<(), Diagnostic> {
        let (input, pack, a, slug) = (self.input, self.pack, self.a, self.slug().to_string());
        let link = self.nav.view.sections.get(i).cloned().map(|mut l| {
            l.current = true;
            l
        });
        let title = link
            .as_ref()
            .map_or_else(|| s.def.title.to_string(), |l| l.title.clone());
        let url_path = format!("{slug}/{}/", s.def.stem);
        let warnings = self.warnings_on(|w| w.section == Some(s.def.stem));
        let shows_eval = [SectionId::Evaluation, SectionId::Models]
            .iter()
            .any(|id| id.as_str() == s.def.stem);
        let mut view = input.page_view(
            title,
            "section",
            &url_path,
            self.crumbs.clone(),
            s.page.as_ref(),
        );
        let eval_at = match (shows_eval, s.def.stem == SectionId::Evaluation.as_str()) {
            (false, _) => toc::EvalResults::None,
            (true, true) => toc::EvalResults::First,
            (true, false) => toc::EvalResults::AfterAnswers,
        };
        view.toc = toc::section(eval_at, input.body(s.page.as_ref()));
        view.evaluation = shows_eval || !warnings.is_empty();
        let mut ctx = input.context(view);
        ctx.insert("section", &link);
        ctx.insert("fields", &self.field_views(s));
        ctx.insert("file_missing", &s.page.is_none());
        ctx.insert("source_file", &format!("content/{slug}/{}.md", s.def.stem));
        ctx.insert("notes_html", input.body_html(s.page.as_ref()));
        ctx.insert("warnings", &warnings);
        let mut words = search::Words::section(s, input.body(s.page.as_ref()));
        if shows_eval {
            let mut eval = evals_view::eval_view(pack, a);
            if s.def.stem == SectionId::Evaluation.as_str() {
                eval = eval.with_charts(pack, a);
            }
            words.eval(&eval);
            ctx.insert("eval", &eval);
        }
        let at = (url_path.as_str(), Some(s.def.stem));
        self.generated("section.html", &mut ctx, at, &words)?;
        let pct = s.completeness();
        self.pages.put(
            format!("badges/{slug}/{}.svg", s.def.stem),
            badge::svg(s.def.stem, &format!("{pct}%"), badge::colour(pct)),
            Origin::Generated,
        );
        Ok(())
    }

    /// What a section page shows of each answer; a file answer links to the pack's file.
    fn field_views(&self, s: &Section) -> Vec<FieldView> {
        let (input, pack, slug) = (self.input, self.pack, self.slug());
        let section_file = format!("{slug}/{}.md", s.def.stem);
        let at = LinkBase {
            base_path: input.base(),
            content_path: &section_file,
        };
        s.answers()
            .map(|(def, ans)| {
                let url = ans.text().filter(|t| t.filled()).and_then(|t| {
                    // A file answer is relative to the pack folder, as the section file is.
                    let path = site_path::resolve_from(&section_file, t.value.trim())?;
                    pack.assets
                        .iter()
                        .any(|a| a.path == path)
                        .then(|| input.url(&path))
                });
                field_view(def, ans, url.as_deref(), at)
            })
            .collect()
    }

    /// A page of the pack's own beyond the nine sections.
    fn extra_page(&mut self, p: &Page) -> Result<(), Diagnostic> {
        let input = self.input;
        let here = Some(p.url_path());
        let warnings = self.warnings_on(|w| w.url_path.as_deref() == here);
        let mut view = input.page_view(
            page_title(p),
            "page",
            p.url_path(),
            self.crumbs.clone(),
            Some(p),
        );
        view.evaluation = !warnings.is_empty();
        let mut ctx = input.context(view);
        ctx.insert("content_html", input.body_html(Some(p)));
        ctx.insert("content_h1", &input.has_h1(p));
        ctx.insert("warnings", &warnings);
        let origin = Origin::Page(p.file().to_string());
        let words = search::Words::page(input.body(Some(p)));
        let current = Some(p.url_path());
        self.pack_page(
            "page.html",
            &mut ctx,
            current,
            (p.url_path(), origin),
            &words,
        )
    }

    /// The runbook page (no sidebar, the kill switch first); returns the runbook and,
    /// when asked for, its body as printed with every other one.
    fn runbook(&mut self, printed: bool) -> Result<(runbook::Runbook, Option<String>), Diagnostic> {
        let (input, pack, slug) = (self.input, self.pack, self.slug().to_string());
        let incident = pack
            .section(SectionId::Incident)
            .and_then(|s| s.page.as_ref());
        let notes = input.body_html(incident).to_string();
        let rb = runbook::runbook(pack, input.base(), notes, input.today);
        let mut view = input.page_view(
            format!("Runbook: {}", rb.name),
            "runbook",
            &format!("{slug}/runbook/"),
            self.crumbs.clone(),
            None,
        );
        view.needs(&rb.notes_html);
        view.edit_url = input.edit_url(incident);
        let first = match rb.people.first_instead {
            Some(role) => format!("No incident owner: call the {role}"),
            None => "Incident owner".to_string(),
        };
        view.toc = toc::runbook(&slug, &first, input.body(incident));
        let mut ctx = input.context(view);
        let value = serde_json::to_value(&rb).unwrap_or_default();
        let (printed, value) = match printed {
            true => {
                let (body, value) = printed_runbook(input, value, &slug)?;
                (Some(body), value)
            }
            false => (None, value),
        };
        ctx.extend(runbook_context(value, &rb.notes_html));
        let words = search::Words::runbook(pack, input.body(incident));
        let url_path = format!("{slug}/runbook/");
        let origin = (url_path.as_str(), Origin::Generated);
        self.pages
            .page(input, "runbook.html", &ctx, origin, &words)?;
        Ok((rb, printed))
    }

    /// The rollout checklist page.
    fn checklist(&mut self) -> Result<(), Diagnostic> {
        let (input, pack, a, slug) = (self.input, self.pack, self.a, self.slug().to_string());
        let mut view = input.page_view(
            format!("Rollout checklist: {}", self.name),
            "checklist",
            &format!("{slug}/checklist/"),
            self.crumbs.clone(),
            None,
        );
        let list = checklist::checklist(pack, a, input.rendered, input.base());
        let rollout = pack
            .section(SectionId::Rollout)
            .and_then(|s| s.page.as_ref());
        view.edit_url = input.edit_url(rollout);
        view.toc = toc::checklist(list.phases.iter().map(|p| (p.number, p.name.as_str())));
        let mut ctx = input.context(view);
        ctx.insert("checklist", &list);
        ctx.insert("eval", &evals_view::eval_view(pack, a));
        let words = search::Words::checklist(pack, &list);
        let url_path = format!("{slug}/checklist/");
        let at = (url_path.as_str(), Some("checklist"));
        self.generated("checklist.html", &mut ctx, at, &words)
    }

    /// The pack's badge, and a copy of each of its files.
    fn pack_badge_and_assets(&mut self) {
        let pct = self.a.completeness;
        self.pages.put(
            format!("badges/{}.svg", self.pack.slug),
            badge::svg("rollout pack", &format!("{pct}%"), badge::colour(pct)),
            Origin::Generated,
        );
        for asset in &self.pack.assets {
            let origin = Origin::Copy(format!("content/{}", asset.path));
            self.pages
                .put(asset.path.clone(), asset.bytes.clone(), origin);
        }
    }
}

/// The Markdown that embeds the pack's badge, linked to its overview.
fn badge_markdown(input: &Input, name: &str, slug: &str) -> String {
    let config = &input.site.config;
    format!(
        "[![{}]({})]({})",
        name.replace(['[', ']'], ""),
        config.absolute_url(&format!("badges/{slug}.svg")),
        config.absolute_url(&format!("{slug}/"))
    )
}

/// One runbook's body for the page of every runbook: its ids scoped to its slug, so
/// each keeps them apart from the others'.
/// `runbook` is the runbook serialised; it is given back for its own page.
fn printed_runbook(
    input: &Input,
    runbook: serde_json::Value,
    slug: &str,
) -> Result<(String, serde_json::Value), Diagnostic> {
    let notes = runbook
        .get("notes_html")
        .and_then(|n| n.as_str())
        .unwrap_or("");
    let scoped = runbook::scope_ids(notes, slug);
    let mut ctx = runbook_context(runbook, &scoped);
    let printed = input.templates.render("partials/runbook_body.html", &ctx)?;
    Ok((printed, ctx.remove("runbook").unwrap_or_default()))
}

/// A context of the serialised `runbook` alone, with `notes_html` as its notes.
fn runbook_context(mut runbook: serde_json::Value, notes_html: &str) -> tera::Context {
    if let Some(rb) = runbook.as_object_mut() {
        rb.insert("notes_html".into(), notes_html.into());
    }
    let mut data = serde_json::Map::new();
    data.insert("runbook".into(), runbook);
    tera::Context::from_value(data.into()).unwrap_or_default()
}
