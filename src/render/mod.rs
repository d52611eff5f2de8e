//! Rendering: turns the checked site into pages through the theme's Tera templates.

pub mod answers_view;
pub mod badge;
pub mod checklist;
pub mod collide;
pub mod evals_view;
pub mod files;
pub mod highlight;
pub mod markdown;
pub mod owners;
pub mod runbook;
pub mod search;
pub mod status;
pub mod templates;
pub mod theme;
pub mod views;

use self::answers_view::{field_view, FieldView};
use self::collide::{Claims, Origin};
use self::files::Output;
use self::markdown::LinkBase;
use self::views::{attention_order, page_title, Input, PackView, CODE_MARK};
use crate::domain::diag::Diagnostic;
use crate::domain::field::SectionId;
use crate::domain::model::Pack;

fn html_path(url_path: &str) -> String {
    format!("{url_path}index.html")
}

/// Rendered pages with their search entries, and where each output file comes from.
#[derive(Debug, Default)]
pub struct Pages {
    pub output: Output,
    pub search: Vec<search::Entry>,
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

    /// Renders `template` as the page at `url_path` and indexes it for search by `words`.
    fn page(
        &mut self,
        input: &Input,
        template: &str,
        ctx: &tera::Context,
        (url_path, origin): (&str, Origin),
        (pack, words): (&str, &search::Words),
    ) -> Result<(), Diagnostic> {
        let html = input.templates.render(template, ctx)?;
        self.search
            .push(search::entry(url_path, &title_of(ctx), pack, words));
        self.put(html_path(url_path), html, origin);
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
        self.search.push(search::entry(
            url_path,
            &title_of(ctx),
            "",
            &Default::default(),
        ));
        self.put(html_path(url_path), html, Origin::Generated);
        Ok(())
    }
}

/// A runbook on the printable page of every runbook.
#[derive(Debug, serde::Serialize)]
struct PrintedRunbook<'a> {
    slug: &'a str,
    name: &'a str,
    html: &'a str,
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
pub struct PackPages {
    pub output: std::sync::Arc<Output>,
    /// Search entries as a JSON fragment ([`search::fragment`]).
    pub search: String,
    /// The dashboard's row.
    pub row: PackView,
    pub runbook: runbook::Runbook,
    /// The runbook as printed with every other one, its ids scoped to the pack.
    pub printed: String,
    pub mentions: Vec<owners::Mention>,
    /// Errors: an input file whose output path is taken (a generated page, another file).
    pub clashes: Vec<Diagnostic>,
}

/// Renders one pack's pages and badges; `None` for a pack not assessed.
/// A page or file claimed twice is kept in [`PackPages::clashes`].
pub fn render_pack(input: &Input, pack: &Pack) -> Result<Option<PackPages>, Diagnostic> {
    let mut pages = Pages::default();
    let Some(a) = input.assessments.get(&pack.slug) else {
        return Ok(None);
    };
    let name = pack.name();
    let slug = &pack.slug;
    let crumbs = input.pack_crumbs(pack);

    // Overview.
    let view = input.pack_view(pack, a, None);
    let mut row = view.clone();
    // The dashboard needs no per-pack navigation.
    row.sections.iter_mut().for_each(|s| s.missing.clear());
    row.pages.clear();
    let mut ctx = input.context(input.page_view(
        view.name.clone(),
        "pack",
        &format!("{slug}/"),
        vec![input.home_crumb()],
        pack.intro.as_ref(),
    ));
    ctx.insert("intro_html", &input.body_html(pack.intro.as_ref()));
    ctx.insert(
        "badge_markdown",
        &format!(
            "[![{}]({})]({})",
            view.name.replace(['[', ']'], ""),
            input
                .site
                .config
                .absolute_url(&format!("badges/{slug}.svg")),
            input.site.config.absolute_url(&format!("{slug}/"))
        ),
    );
    ctx.insert("pack", &view);
    pages.page(
        input,
        "pack.html",
        &ctx,
        (&format!("{slug}/"), Origin::Generated),
        (
            &name,
            &search::Words::pack(pack, input.body(pack.intro.as_ref())),
        ),
    )?;

    // Sections.
    for (i, s) in pack.sections.iter().enumerate() {
        let view = input.pack_view(pack, a, Some(s.def.stem));
        let path = format!("{slug}/{}.md", s.def.stem);
        let at = LinkBase {
            base_path: input.base(),
            content_path: &path,
        };
        let fields: Vec<FieldView> = s
            .answers()
            .map(|(def, ans)| {
                let url = ans.text().filter(|t| t.filled()).and_then(|t| {
                    let path = format!("{slug}/{}", t.value.trim().trim_start_matches("./"));
                    pack.assets
                        .iter()
                        .any(|a| a.path == path)
                        .then(|| input.url(&path))
                });
                field_view(def, ans, url.as_deref(), at)
            })
            .collect();
        let link = view.sections.get(i).cloned();
        let title = link
            .as_ref()
            .map_or_else(|| s.def.title.to_string(), |l| l.title.clone());
        let url_path = format!("{slug}/{}/", s.def.stem);
        let mut ctx = input.context(input.page_view(
            title,
            "section",
            &url_path,
            crumbs.clone(),
            s.page.as_ref(),
        ));
        ctx.insert("section", &link);
        ctx.insert("fields", &fields);
        ctx.insert("file_missing", &s.page.is_none());
        ctx.insert("source_file", &format!("content/{slug}/{}.md", s.def.stem));
        ctx.insert("notes_html", &input.body_html(s.page.as_ref()));
        let mut words = search::Words::section(s, input.body(s.page.as_ref()));
        if [SectionId::Evaluation, SectionId::Models]
            .iter()
            .any(|id| id.as_str() == s.def.stem)
        {
            let eval = evals_view::eval_view(pack, a);
            words.eval(&eval);
            ctx.insert("eval", &eval);
        }
        ctx.insert("pack", &view);
        pages.page(
            input,
            "section.html",
            &ctx,
            (&url_path, Origin::Generated),
            (&name, &words),
        )?;
        pages.put(
            format!("badges/{slug}/{}.svg", s.def.stem),
            badge::svg(
                s.def.stem,
                &format!("{}%", s.completeness()),
                badge::colour(s.completeness()),
            ),
            Origin::Generated,
        );
    }

    // Extra pages.
    for p in &pack.pages {
        let view = input.pack_view(pack, a, Some(&p.url_path));
        let mut ctx = input.context(input.page_view(
            page_title(p),
            "page",
            &p.url_path,
            crumbs.clone(),
            Some(p),
        ));
        ctx.insert("content_html", &input.body_html(Some(p)));
        ctx.insert("content_h1", &input.has_h1(p));
        ctx.insert("pack", &view);
        let origin = Origin::Page(p.file.clone());
        let words = search::Words::page(input.body(Some(p)));
        pages.page(
            input,
            "page.html",
            &ctx,
            (&p.url_path, origin),
            (&name, &words),
        )?;
    }

    // Runbook: no sidebar, the kill switch comes first.
    let incident = pack
        .section(SectionId::Incident)
        .and_then(|s| s.page.as_ref());
    let rb = runbook::runbook(pack, input.base(), input.body_html(incident));
    let mut view = input.page_view(
        format!("Runbook: {}", rb.name),
        "runbook",
        &format!("{slug}/runbook/"),
        crumbs.clone(),
        None,
    );
    view.code = rb.notes_html.contains(CODE_MARK);
    let mut ctx = input.context(view);
    ctx.insert("runbook", &rb);
    let printed = {
        // One page holds every runbook's notes: each keeps its ids apart with its slug.
        let scoped = runbook::Runbook {
            notes_html: runbook::scope_ids(&rb.notes_html, slug),
            ..rb.clone()
        };
        let mut pctx = tera::Context::new();
        pctx.insert("runbook", &scoped);
        input
            .templates
            .render("partials/runbook_body.html", &pctx)?
    };
    pages.page(
        input,
        "runbook.html",
        &ctx,
        (&format!("{slug}/runbook/"), Origin::Generated),
        (&name, &search::Words::runbook(pack, input.body(incident))),
    )?;

    let view = input.pack_view(pack, a, Some("checklist"));
    let mut ctx = input.context(input.page_view(
        format!("Rollout checklist: {}", view.name),
        "checklist",
        &format!("{slug}/checklist/"),
        crumbs.clone(),
        None,
    ));
    let list = checklist::checklist(pack, a, input.rendered, input.base());
    ctx.insert("checklist", &list);
    ctx.insert("eval", &evals_view::eval_view(pack, a));
    ctx.insert("pack", &view);
    pages.page(
        input,
        "checklist.html",
        &ctx,
        (&format!("{slug}/checklist/"), Origin::Generated),
        (&name, &search::Words::checklist(pack, &list)),
    )?;

    pages.put(
        format!("badges/{slug}.svg"),
        badge::svg(
            "rollout pack",
            &format!("{}%", a.completeness),
            badge::colour(a.completeness),
        ),
        Origin::Generated,
    );
    for asset in &pack.assets {
        let origin = Origin::Copy(format!("content/{}", asset.path));
        pages.put(asset.path.clone(), asset.bytes.clone(), origin);
    }
    Ok(Some(PackPages {
        output: std::sync::Arc::new(pages.output),
        search: search::fragment(&pages.search),
        row,
        runbook: rb,
        printed,
        mentions: owners::mentions(pack, input.base()),
        clashes: pages.claims.errors,
    }))
}

/// Renders the pages that span the site: dashboard, site pages, runbooks, owners, 404,
/// status.json, search index and styles, from every pack's [`PackPages`], then adds the
/// theme's and the site's own files (`content/` root files and `static/`). A site file
/// whose path is a generated page or file, of the site or of a pack, is an error naming
/// both. `sitemap.xml` is claimed but left for the caller to write.
pub fn render_global(input: &Input, packs: &[&PackPages]) -> Result<Output, Vec<Diagnostic>> {
    let mut pages = render_generated(input, packs).map_err(|e| vec![e])?;
    let site = input.site;
    pages.claims.claim("sitemap.xml", Origin::Generated);
    for (path, bytes) in &input.templates.theme.statics {
        let origin = Origin::Theme(format!("themes/{}/static/{path}", site.config.theme));
        pages.put(path.clone(), bytes.clone(), origin);
    }
    let mut copied = Vec::new();
    for (dir, asset) in site
        .assets
        .iter()
        .map(|a| ("content", a))
        .chain(site.statics.iter().map(|a| ("static", a)))
    {
        // A copy of exactly what rollbook writes (`static/.nojekyll`) replaces nothing.
        if pages.output.get(&asset.path) == Some(asset.bytes.as_slice())
            && pages.claims.origin(&asset.path) == Some(&Origin::Generated)
        {
            continue;
        }
        let origin = Origin::Copy(format!("{dir}/{}", asset.path));
        pages.put(asset.path.clone(), asset.bytes.clone(), origin);
        copied.push(asset.path.as_str());
    }
    // The packs' files: one look-up each, only when the site has files of its own.
    if !copied.is_empty() {
        for pack in packs {
            for path in pack.output.files.keys() {
                if let Some(Origin::Copy(file)) = pages.claims.origin(path) {
                    let theirs = pack_origin(site, path);
                    let mine = Origin::Copy(file.clone());
                    if let Some(d) = crate::render::collide::collision(path, &theirs, &mine) {
                        pages.claims.errors.push(d);
                    }
                }
            }
        }
    }
    if pages.claims.errors.is_empty() {
        Ok(pages.output)
    } else {
        Err(pages.claims.errors)
    }
}

/// Where a file of a pack's output comes from.
fn pack_origin(site: &crate::domain::model::Site, path: &str) -> Origin {
    let packs = || site.packs.iter();
    if packs().any(|p| p.assets.iter().any(|a| a.path == path)) {
        return Origin::Copy(format!("content/{path}"));
    }
    packs()
        .flat_map(|p| &p.pages)
        .find(|p| html_path(&p.url_path) == path)
        .map_or(Origin::Generated, |p| Origin::Page(p.file.clone()))
}

fn render_generated(input: &Input, packs: &[&PackPages]) -> Result<Pages, Diagnostic> {
    let mut pages = Pages::default();
    let site = input.site;
    let mut rows: Vec<&PackView> = packs.iter().map(|p| &p.row).collect();
    rows.sort_by_key(|r| attention_order(r));
    let mut ctx = input.context(input.page_view(
        site.config.title.clone(),
        "dashboard",
        "",
        Vec::new(),
        site.home.as_ref(),
    ));
    ctx.insert("intro_html", &input.body_html(site.home.as_ref()));
    ctx.insert("packs", &rows);
    pages.list_page(input, "dashboard.html", &ctx, "")?;

    for p in &site.pages {
        let mut ctx = input.context(input.page_view(
            page_title(p),
            "page",
            &p.url_path,
            vec![input.home_crumb()],
            Some(p),
        ));
        ctx.insert("content_html", &input.body_html(Some(p)));
        ctx.insert("content_h1", &input.has_h1(p));
        let origin = Origin::Page(p.file.clone());
        let words = search::Words::page(input.body(Some(p)));
        pages.page(
            input,
            "page.html",
            &ctx,
            (&p.url_path, origin),
            ("", &words),
        )?;
    }

    let runbooks: Vec<&runbook::Runbook> = packs.iter().map(|p| &p.runbook).collect();
    let mut ctx = input.context(input.page_view(
        "Runbooks".into(),
        "runbooks",
        "runbooks/",
        vec![input.home_crumb()],
        None,
    ));
    ctx.insert("runbooks", &runbooks);
    pages.list_page(input, "runbooks.html", &ctx, "runbooks/")?;

    let mut view = input.page_view(
        "Every runbook".into(),
        "runbooks-print",
        "runbooks/print/",
        vec![input.home_crumb()],
        None,
    );
    view.code = runbooks.iter().any(|r| r.notes_html.contains(CODE_MARK));
    let mut ctx = input.context(view);
    let printed: Vec<PrintedRunbook> = packs
        .iter()
        .map(|p| PrintedRunbook {
            slug: &p.runbook.slug,
            name: &p.runbook.name,
            html: &p.printed,
        })
        .collect();
    ctx.insert("runbooks", &printed);
    // Not indexed: results lead to each runbook's own page.
    pages.put(
        "runbooks/print/index.html",
        input.templates.render("runbooks_print.html", &ctx)?,
        Origin::Generated,
    );

    let mut ctx = input.context(input.page_view(
        "Owners".into(),
        "owners",
        "owners/",
        vec![input.home_crumb()],
        None,
    ));
    ctx.insert(
        "owners",
        &owners::merge(packs.iter().flat_map(|p| &p.mentions)),
    );
    pages.list_page(input, "owners.html", &ctx, "owners/")?;

    let ctx = input.context(input.page_view(
        "Page not found".into(),
        "404",
        "404.html",
        vec![input.home_crumb()],
        None,
    ));
    let not_found = input.templates.render("404.html", &ctx)?;
    pages.put("404.html", not_found, Origin::Generated);
    let own = search::fragment(&pages.search);
    let index = search::index_json(
        std::iter::once(own.as_str()).chain(packs.iter().map(|p| p.search.as_str())),
    );
    pages.put(
        "search-index.js",
        search::index_script(&index),
        Origin::Generated,
    );
    pages.put("search-index.json", index, Origin::Generated);

    let status = status::status(site, input.assessments);
    let json = serde_json::to_string_pretty(&status).unwrap_or_default();
    pages.put("status.json", json, Origin::Generated);
    pages.put(
        "syntax.css",
        input.syntax_css.to_string(),
        Origin::Generated,
    );
    pages.put(".nojekyll", "", Origin::Generated);
    if let Some(cname) = &site.config.cname {
        pages.put("CNAME", format!("{}\n", cname.trim()), Origin::Generated);
    }
    Ok(pages)
}
