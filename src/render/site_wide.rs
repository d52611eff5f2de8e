//! The pages that span the site: the dashboard, the site's own pages, the runbooks
//! and owners pages, 404, search index and site files, from every pack's
//! [`PackPages`], then the theme's and the site's own files.

use super::collide::{Claims, Origin};
use super::files::Output;
use super::views::{
    attention_order, page_title, Input, LinkView, PackView, PageView, DIAGRAM_MARK,
};
use super::{dashboard, owners, runbook, search, search_index, status, PackPages, Pages};
use crate::domain::diag::Diagnostic;
use crate::domain::model::Page;
use crate::domain::site_path;

/// A runbook on the printable page of every runbook.
#[derive(Debug, serde::Serialize)]
struct PrintedRunbook<'a> {
    slug: &'a str,
    name: &'a str,
    html: &'a str,
}

/// Renders the pages that span the site: dashboard, site pages, runbooks, owners, 404,
/// status.json, search index and styles, from every pack's [`PackPages`], then adds the
/// theme's and the site's own files (`content/` root files and `static/`). A site file
/// whose path is a generated page or file, of the site or of a pack, is an error naming
/// both. `sitemap.xml` is claimed but left for the caller to write.
pub(crate) fn render_global(
    input: &Input,
    packs: &[&PackPages],
) -> Result<Output, Vec<Diagnostic>> {
    let mut pages = render_generated(input, packs).map_err(|e| vec![e])?;
    pages.claims.claim("sitemap.xml", Origin::Generated);
    put_theme_statics(input, &mut pages);
    let copied = put_site_files(input, &mut pages);
    // The packs' files: one look-up each, only when the site has files of its own.
    if copied {
        claim_pack_files(input.site, packs, &mut pages.claims);
    }
    if pages.claims.errors.is_empty() {
        Ok(pages.output)
    } else {
        Err(pages.claims.errors)
    }
}

/// The theme's own files (`themes/<name>/static/`).
/// The folder of the theme's static files that holds the diagram library.
const DIAGRAM_LIBRARY: &str = "mermaid/";

fn put_theme_statics(input: &Input, pages: &mut Pages) {
    let theme = &input.site.config.theme;
    // The diagram library is large: copied only when a page draws a diagram.
    let diagrams = input
        .rendered
        .values()
        .any(|r| r.html.contains(DIAGRAM_MARK));
    for (path, bytes) in &input.templates.theme.statics {
        if !diagrams && path.starts_with(DIAGRAM_LIBRARY) {
            continue;
        }
        let origin = Origin::Theme(format!("themes/{theme}/static/{path}"));
        pages.put(path.clone(), bytes.clone(), origin);
    }
}

/// The site's own files (`content/` root files and `static/`); whether any was copied.
fn put_site_files(input: &Input, pages: &mut Pages) -> bool {
    let site = input.site;
    let mut copied = false;
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
        copied = true;
    }
    copied
}

/// An error for each file of a pack's output whose path a site file took.
fn claim_pack_files(site: &crate::domain::model::Site, packs: &[&PackPages], claims: &mut Claims) {
    for pack in packs {
        for path in &pack.paths {
            if let Some(Origin::Copy(file)) = claims.origin(path) {
                let theirs = pack_origin(site, path);
                let mine = Origin::Copy(file.clone());
                if let Some(d) = crate::render::collide::collision(path, &theirs, &mine) {
                    claims.errors.push(d);
                }
            }
        }
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
        .find(|p| site_path::served_file(&p.url_path) == path)
        .map_or(Origin::Generated, |p| Origin::Page(p.file.clone()))
}

/// The site-wide generated pages and files, before the theme's and the site's own. The
/// pages that list every pack render side by side, and are added in this order.
fn render_generated(input: &Input, packs: &[&PackPages]) -> Result<Pages, Diagnostic> {
    type Part<'a> = &'a (dyn Fn(&mut Pages) -> Result<(), Diagnostic> + Sync);
    let part = |f: Part| {
        let mut pages = Pages::default();
        f(&mut pages).map(|()| pages)
    };
    let (dashboard_page, (runbooks, owners)) = rayon::join(
        || part(&|p| dashboard(input, packs, p)),
        || {
            rayon::join(
                || part(&|p| runbook_pages(input, packs, p)),
                || part(&|p| owners_page(input, packs, p)),
            )
        },
    );
    let mut pages = dashboard_page?;
    for p in &input.site.pages {
        site_page(input, p, &mut pages)?;
    }
    pages.append(runbooks?);
    pages.append(owners?);
    not_found_page(input, &mut pages)?;
    search_files(packs, &mut pages);
    site_files(input, &mut pages);
    Ok(pages)
}

/// A page view for a site-wide page, under the dashboard crumb.
fn site_page_view(input: &Input, title: &str, kind: &'static str, url_path: &str) -> PageView {
    input.page_view(title.into(), kind, url_path, vec![input.home_crumb()], None)
}

/// The dashboard: every pack's row, those that need attention first.
fn dashboard(input: &Input, packs: &[&PackPages], pages: &mut Pages) -> Result<(), Diagnostic> {
    let site = input.site;
    let mut rows: Vec<&PackView> = packs.iter().map(|p| &p.row).collect();
    rows.sort_by_cached_key(|r| attention_order(r));
    let mut ctx = input.context(input.page_view(
        site.config.title.clone(),
        "dashboard",
        "",
        Vec::new(),
        site.home.as_ref(),
    ));
    ctx.insert("intro_html", input.body_html(site.home.as_ref()));
    ctx.insert("dashboard", &dashboard::dashboard(&rows));
    ctx.insert("built", &input.today.to_string());
    ctx.insert("packs", &rows);
    pages.list_page(input, "dashboard.html", &ctx, "")
}

/// A page of the site's own, outside every pack.
fn site_page(input: &Input, p: &Page, pages: &mut Pages) -> Result<(), Diagnostic> {
    let mut ctx = input.context(input.page_view(
        page_title(p),
        "page",
        &p.url_path,
        vec![input.home_crumb()],
        Some(p),
    ));
    ctx.insert("content_html", input.body_html(Some(p)));
    ctx.insert("content_h1", &input.has_h1(p));
    let origin = Origin::Page(p.file.clone());
    let words = search::Words::page(input.body(Some(p)));
    pages.page(input, "page.html", &ctx, (&p.url_path, origin), &words)
}

/// The list of runbooks, and the printable page of every runbook.
fn runbook_pages(input: &Input, packs: &[&PackPages], pages: &mut Pages) -> Result<(), Diagnostic> {
    let runbooks: Vec<&runbook::Runbook> = packs.iter().map(|p| &p.runbook).collect();
    {
        // Every runbook's view, dropped before the printed page's is made.
        let mut ctx = input.context(site_page_view(input, "Runbooks", "runbooks", "runbooks/"));
        ctx.insert("runbooks", &runbooks);
        pages.list_page(input, "runbooks.html", &ctx, "runbooks/")?;
    }

    let mut view = site_page_view(input, "Every runbook", "runbooks-print", "runbooks/print/");
    for r in &runbooks {
        view.needs(&r.notes_html);
    }
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
    ctx.insert("built", &input.today.to_string());
    // Not indexed: results lead to each runbook's own page.
    pages.put(
        "runbooks/print/index.html",
        input.templates.render("runbooks_print.html", &ctx)?,
        Origin::Generated,
    );
    Ok(())
}

/// Who owns what, across every pack: `/owners/` lists everyone, each linked to their
/// entry on the page of their name's first letter (`owners/a/` …), which says what they own.
fn owners_page(input: &Input, packs: &[&PackPages], pages: &mut Pages) -> Result<(), Diagnostic> {
    let people = owners::merge(packs.iter().flat_map(|p| &p.mentions));
    let letters = owners::letters(&people, input.base());
    let mut ctx = input.context(site_page_view(input, "Owners", "owners", "owners/"));
    ctx.insert("letters", &owners::index(&letters));
    pages.list_page(input, "owners.html", &ctx, "owners/")?;
    let nav: Vec<LinkView> = (letters.iter())
        .map(|l| LinkView {
            title: l.label.into(),
            url: l.url.clone(),
        })
        .collect();
    let crumbs = vec![
        input.home_crumb(),
        LinkView {
            title: "Owners".into(),
            url: input.url("owners/"),
        },
    ];
    for letter in &letters {
        let url_path = format!("owners/{}/", letter.key);
        let title = format!("Owners: {}", letter.label);
        let view = input.page_view(title, "owners-letter", &url_path, crumbs.clone(), None);
        let mut ctx = input.context(view);
        ctx.insert("letter", letter);
        ctx.insert("letters", &nav);
        // Not indexed: search finds people through their packs.
        let html = input.templates.render("owners_letter.html", &ctx)?;
        pages.put(site_path::served_file(&url_path), html, Origin::Generated);
    }
    Ok(())
}

/// `404.html`, not indexed.
fn not_found_page(input: &Input, pages: &mut Pages) -> Result<(), Diagnostic> {
    let ctx = input.context(site_page_view(input, "Page not found", "404", "404.html"));
    let not_found = input.templates.render("404.html", &ctx)?;
    pages.put("404.html", not_found, Origin::Generated);
    Ok(())
}

/// The search index of the site-wide pages so far and every pack's, in shards under
/// `search/` ([`search_index`]).
fn search_files(packs: &[&PackPages], pages: &mut Pages) {
    let own = std::mem::take(&mut pages.search).finish();
    let parts: Vec<&search::Part> = std::iter::once(&own)
        .chain(packs.iter().map(|p| &p.search))
        .collect();
    for (path, script) in search_index::files(&parts) {
        pages.put(path, script, Origin::Generated);
    }
}

/// `status.json`, the code stylesheet, `.nojekyll` and `CNAME`.
fn site_files(input: &Input, pages: &mut Pages) {
    let site = input.site;
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
}
