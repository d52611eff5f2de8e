//! The pages that span the site: the dashboard, the site's own pages, the runbooks
//! and owners pages, 404, search index and site files, from every pack's
//! [`PackPages`], then the theme's and the site's own files.

use super::collide::{Claims, Origin};
use super::files::Output;
use super::marks::{self, Marks};
use super::views::{attention_order, page_title, Input, LinkView, PageView, DIAGRAM_MARK};
use super::{
    dashboard, owners, owners_pages, runbook, search, search_index, sitemap, status, PackPages,
    Pages,
};
use crate::domain::diag::Diagnostic;
use crate::domain::model::Page;
use crate::domain::site_path;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

/// A runbook on the printable page of every runbook.
#[derive(Debug, serde::Serialize)]
struct PrintedRunbook<'a> {
    slug: &'a str,
    name: &'a str,
    html: &'a str,
}

/// Where the site-wide files go as each is made: `build` writes it out at once, `serve`
/// keeps them all in an [`Output`].
pub(crate) trait Put: Sync {
    /// Puts one file, by its path under the output root.
    fn put(&self, path: &str, bytes: &[u8]);

    /// Puts one file made of `pieces`, in order, taking each as it comes.
    fn put_pieces(&self, path: &str, pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>) {
        let mut all = Vec::new();
        for piece in pieces {
            all.extend_from_slice(&piece);
        }
        self.put(path, &all);
    }
}

/// The site-wide files kept in memory.
impl Put for Mutex<Output> {
    fn put(&self, path: &str, bytes: &[u8]) {
        if let Ok(mut out) = self.lock() {
            out.insert(path, bytes);
        }
    }
}

/// The site-wide files as they are made: each path is claimed (a clash is an error),
/// and the file handed on when the claim holds. Shared by the pages rendered side by side.
struct Out<'a> {
    put: &'a dyn Put,
    claims: Mutex<Claims>,
    /// The paths put, for the sitemap.
    paths: Mutex<Vec<String>>,
    /// The paths of the site's own files, and what was generated at any of them: a copy
    /// of exactly what rollbook writes replaces nothing.
    site_files: HashSet<&'a str>,
    generated: Mutex<HashMap<String, Vec<u8>>>,
}

impl<'a> Out<'a> {
    fn new(input: &Input<'a>, put: &'a dyn Put) -> Out<'a> {
        let site = input.site;
        Out {
            put,
            claims: Mutex::default(),
            paths: Mutex::default(),
            site_files: (site.assets.iter().chain(&site.statics))
                .map(|a| a.path.as_str())
                .collect(),
            generated: Mutex::default(),
        }
    }

    /// Claims `path` for `origin`; whether the file is to be put.
    fn claim(&self, path: &str, origin: Origin) -> bool {
        let mut claims = self.claims.lock().unwrap_or_else(PoisonError::into_inner);
        if !claims.claim(path, origin.clone()) {
            return false;
        }
        (self.paths.lock().unwrap_or_else(PoisonError::into_inner)).push(path.to_string());
        true
    }

    /// Puts a file unless its path is taken (then an error names both).
    fn put(&self, path: &str, bytes: &[u8], origin: Origin) {
        let generated = origin == Origin::Generated;
        if self.claim(path, origin) {
            if generated && self.site_files.contains(path) {
                let mut kept = self
                    .generated
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                kept.insert(path.to_string(), bytes.to_vec());
            }
            self.put.put(path, bytes);
        }
    }

    /// Puts a generated file made of `pieces`, unless its path is taken.
    fn put_pieces(&self, path: &str, pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>) {
        if self.site_files.contains(path) {
            let all: Vec<u8> = pieces.flat_map(Cow::into_owned).collect();
            self.put(path, &all, Origin::Generated);
        } else if self.claim(path, Origin::Generated) {
            self.put.put_pieces(path, pieces);
        }
    }

    /// Puts the files of `pages`, claimed in their own order, and gives back their
    /// search entries.
    fn take(&self, pages: Pages) -> search::Collector {
        let Pages {
            output,
            search,
            claims,
        } = pages;
        for (path, bytes) in &output.files {
            let origin = claims.origin(path).cloned().unwrap_or(Origin::Generated);
            self.put(path, bytes, origin);
        }
        let mut all = self.claims.lock().unwrap_or_else(PoisonError::into_inner);
        all.errors.extend(claims.errors);
        search
    }
}

/// Renders the pages that span the site: dashboard, site pages, runbooks, owners, 404,
/// status.json, search index, styles and sitemap, from every pack's [`PackPages`], then
/// adds the theme's and the site's own files (`content/` root files and `static/`), each
/// handed to `put` as soon as it is made. A site file whose path is a generated page or
/// file, of the site or of a pack, is an error naming both; the files put before the
/// error was found are then not to be published.
pub(crate) fn render_global(
    input: &Input,
    packs: &[&PackPages],
    put: &dyn Put,
) -> Result<(), Vec<Diagnostic>> {
    let out = Out::new(input, put);
    render_generated(input, packs, &out).map_err(|e| vec![e])?;
    out.claim("sitemap.xml", Origin::Generated);
    put_theme_statics(input, &out);
    let copied = put_site_files(input, packs, &out);
    let mut claims = out
        .claims
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    // The packs' files: one look-up each, only when the site has files of its own.
    if copied {
        claim_pack_files(input.site, packs, &mut claims);
    }
    if !claims.errors.is_empty() {
        crate::domain::diag::sort(&mut claims.errors);
        return Err(claims.errors);
    }
    let paths = (out.paths.into_inner()).unwrap_or_else(PoisonError::into_inner);
    let pack_files = packs.iter().flat_map(|p| p.paths.iter());
    let sitemap = sitemap::sitemap(
        paths.iter().map(String::as_str).chain(pack_files),
        &input.site.config,
    );
    put.put_pieces(
        "sitemap.xml",
        &mut sitemap.map(|s| Cow::Owned(s.into_bytes())),
    );
    Ok(())
}

/// The theme's own files (`themes/<name>/static/`).
/// The folder of the theme's static files that holds the diagram library.
const DIAGRAM_LIBRARY: &str = "mermaid/";

fn put_theme_statics(input: &Input, out: &Out) {
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
        out.put(path, bytes, origin);
    }
}

/// The site's own files (`content/` root files and `static/`); whether any was copied.
fn put_site_files(input: &Input, packs: &[&PackPages], out: &Out) -> bool {
    let site = input.site;
    let mut copied = false;
    let generated = out.generated.lock().map(|g| g.clone()).unwrap_or_default();
    // The folders the packs' files are in (`slug`, `slug/data`, `badges`), with a file in
    // each: a site file cannot take one's name. Nor can it be in a folder named like one
    // of the files (`slug/index.html/x`). They are written already, so a site file is
    // checked against them before it is put.
    let mut pack_folders: HashMap<&str, &str> = HashMap::new();
    let mut pack_files: HashSet<&str> = HashSet::new();
    if !(site.assets.is_empty() && site.statics.is_empty()) {
        for path in packs.iter().flat_map(|p| p.paths.iter()) {
            pack_files.insert(path);
            for folder in crate::render::collide::folders_of(path) {
                // The shortest path names the folder best: `slug/index.html`.
                let shortest = pack_folders.entry(folder).or_insert(path);
                if path.len() < shortest.len() {
                    *shortest = path;
                }
            }
        }
    }
    for (dir, asset) in site
        .assets
        .iter()
        .map(|a| ("content", a))
        .chain(site.statics.iter().map(|a| ("static", a)))
    {
        // A copy of exactly what rollbook writes (`static/.nojekyll`) replaces nothing.
        let origin = out
            .claims
            .lock()
            .ok()
            .and_then(|c| c.origin(&asset.path).cloned());
        if generated.get(&asset.path) == Some(&asset.bytes) && origin == Some(Origin::Generated) {
            continue;
        }
        let origin = Origin::Copy(format!("{dir}/{}", asset.path));
        let in_file =
            || crate::render::collide::folders_of(&asset.path).find(|f| pack_files.contains(f));
        let error = if let Some(inner) = pack_folders.get(asset.path.as_str()) {
            let theirs = pack_origin(site, inner);
            Some(crate::render::collide::folder_collision(
                &asset.path,
                &origin,
                inner,
                &theirs,
            ))
        } else if let Some(file) = in_file() {
            let theirs = pack_origin(site, file);
            Some(crate::render::collide::folder_collision(
                file,
                &theirs,
                &asset.path,
                &origin,
            ))
        } else {
            None
        };
        if let Some(error) = error {
            let mut claims = out.claims.lock().unwrap_or_else(PoisonError::into_inner);
            claims.errors.extend(error);
            continue;
        }
        out.put(&asset.path, &asset.bytes, origin);
        copied = true;
    }
    copied
}

/// An error for each file of a pack's output whose path a site file took.
fn claim_pack_files(site: &crate::domain::model::Site, packs: &[&PackPages], claims: &mut Claims) {
    for pack in packs {
        for path in pack.paths.iter() {
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
        .find(|p| site_path::served_file(p.url_path()) == path)
        .map_or(Origin::Generated, |p| Origin::Page(p.file().to_string()))
}

/// The site-wide generated pages and files, before the theme's and the site's own. The
/// pages that list every pack render side by side; their search entries are added in
/// this order.
fn render_generated(input: &Input, packs: &[&PackPages], out: &Out) -> Result<(), Diagnostic> {
    type Part<'a> = &'a (dyn Fn(&mut Pages) -> Result<(), Diagnostic> + Sync);
    let part = |f: Part| {
        let mut pages = Pages::default();
        f(&mut pages).map(|()| out.take(pages))
    };
    // One after another: each holds every pack's view while it renders.
    let dashboard_page = dashboard(input, packs, out);
    let runbooks = part(&|p| runbook_pages(input, packs, p, out));
    let owners = part(&|p| owners_page(input, packs, p, out));
    let mut search = dashboard_page?;
    for p in &input.site.pages {
        let mut pages = Pages::default();
        site_page(input, p, &mut pages)?;
        search.extend(out.take(pages));
    }
    search.extend(runbooks?);
    search.extend(owners?);
    not_found_page(input, out)?;
    search_files(search, packs, out)?;
    site_files(input, out);
    Ok(())
}

/// A page view for a site-wide page, under the dashboard crumb.
fn site_page_view(input: &Input, title: &str, kind: &'static str, url_path: &str) -> PageView {
    input.page_view(title.into(), kind, url_path, vec![input.home_crumb()], None)
}

/// The dashboard: every pack's row, those that need attention first, each rendered on
/// its own by `partials/dashboard_row.html` ([`marks::Listed`]).
fn dashboard(
    input: &Input,
    packs: &[&PackPages],
    out: &Out,
) -> Result<search::Collector, Diagnostic> {
    let site = input.site;
    let mut kept: Vec<&dashboard::Kept> = packs.iter().map(|p| &p.row).collect();
    kept.sort_by_cached_key(|r| attention_order(&r.pack));
    let d = dashboard::dashboard(&kept);
    let mut ctx = input.context(input.page_view(
        site.config.title.clone(),
        "dashboard",
        "",
        Vec::new(),
        site.home.as_ref(),
    ));
    ctx.insert("intro_html", input.body_html(site.home.as_ref()));
    ctx.insert("built", &input.today.to_string());
    let mut search = search::Collector::default();
    search.add("", &super::title_of(&ctx), &search::Words::default());
    let listed = marks::Listed {
        templates: input.templates,
        page: "dashboard.html",
        mark: "<!--rollbook-row-",
        row: dashboard::ROW_TEMPLATE,
        row_name: "p",
        row_ctx: row_context(&ctx, &["site", "built"]),
        rows: &d.rows,
    };
    let set_rows = |ctx: &mut tera::Context, rows: &marks::Rows<dashboard::Row>| {
        ctx.insert("dashboard", &d.with_rows(rows));
    };
    let path = site_path::served_file("");
    listed.put(ctx, set_rows, &PutAt { out, path: &path })?;
    Ok(search)
}

/// What a list's row template receives besides the row: `keys` of the page's `ctx`.
fn row_context(ctx: &tera::Context, keys: &[&str]) -> tera::Context {
    let mut row = tera::Context::new();
    for key in keys {
        if let Some(value) = ctx.get(key) {
            row.insert(*key, value);
        }
    }
    row
}

/// A generated page put at `path`, whole or in pieces.
struct PutAt<'o> {
    out: &'o Out<'o>,
    path: &'o str,
}

impl marks::PutPage for PutAt<'_> {
    fn pieces(&self, pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>) {
        self.out.put_pieces(self.path, pieces);
    }

    fn whole(&self, page: &[u8]) {
        self.out.put(self.path, page, Origin::Generated);
    }
}

/// A page of the site's own, outside every pack.
fn site_page(input: &Input, p: &Page, pages: &mut Pages) -> Result<(), Diagnostic> {
    let mut ctx = input.context(input.page_view(
        page_title(p),
        "page",
        p.url_path(),
        vec![input.home_crumb()],
        Some(p),
    ));
    ctx.insert("content_html", input.body_html(Some(p)));
    ctx.insert("content_h1", &input.has_h1(p));
    let origin = Origin::Page(p.file().to_string());
    let words = search::Words::page(input.body(Some(p)));
    pages.page(input, "page.html", &ctx, (p.url_path(), origin), &words)
}

/// The list of runbooks, and the printable page of every runbook.
fn runbook_pages(
    input: &Input,
    packs: &[&PackPages],
    pages: &mut Pages,
    out: &Out,
) -> Result<(), Diagnostic> {
    {
        // Every runbook's entry, each rendered on its own by `partials/runbooks_row.html`.
        let runbooks: Vec<&runbook::Entry> = packs.iter().map(|p| &p.runbook).collect();
        let ctx = input.context(site_page_view(input, "Runbooks", "runbooks", "runbooks/"));
        pages.search.add(
            "runbooks/",
            &super::title_of(&ctx),
            &search::Words::default(),
        );
        let listed = marks::Listed {
            templates: input.templates,
            page: "runbooks.html",
            mark: "<!--rollbook-runbook-",
            row: runbook::ROW_TEMPLATE,
            row_name: "rb",
            row_ctx: row_context(&ctx, &["site"]),
            rows: &runbooks,
        };
        let set_rows = |ctx: &mut tera::Context, rows: &marks::Rows<&runbook::Entry>| {
            ctx.insert("runbooks", rows);
        };
        let path = site_path::served_file("runbooks/");
        listed.put(ctx, set_rows, &PutAt { out, path: &path })?;
    }
    let mut view = site_page_view(input, "Every runbook", "runbooks-print", "runbooks/print/");
    for p in packs {
        view.add(p.printed_needs);
    }
    // Not indexed: results lead to each runbook's own page.
    printed_runbooks(input, packs, input.context(view), out)
}

/// The start of the mark that stands for a runbook's body on the printed page while it
/// is rendered.
const PRINTED_MARK: &str = "<!--rollbook-printed-";

/// The printable page of every runbook. The page is rendered with a mark in place of each
/// runbook's body, and each body (set aside while the packs were built) is read back
/// into its place as the page is put, one at a time ([`marks`]). A template that does
/// more with a body than print it as it is (each mark not there once, in order) is
/// rendered again with the bodies themselves.
fn printed_runbooks(
    input: &Input,
    packs: &[&PackPages],
    mut ctx: tera::Context,
    out: &Out,
) -> Result<(), Diagnostic> {
    const PATH: &str = "runbooks/print/index.html";
    fn printed<'a>(
        packs: &[&'a PackPages],
        bodies: impl Iterator<Item = &'a str>,
    ) -> Vec<PrintedRunbook<'a>> {
        (packs.iter().zip(bodies))
            .map(|(p, html)| PrintedRunbook {
                slug: &p.runbook.slug,
                name: &p.runbook.name,
                html,
            })
            .collect()
    }
    let marks = Marks::new(PRINTED_MARK, packs.len());
    ctx.insert("runbooks", &printed(packs, marks.iter()));
    ctx.insert("built", &input.today.to_string());
    let page = input.templates.render("runbooks_print.html", &ctx)?;
    if let Some(gaps) = marks.split(&page) {
        let body = |i: usize| {
            packs
                .get(i)
                .map_or(Ok(Cow::Borrowed("")), |p| p.printed.read())
        };
        return marks::put_between(&gaps, body, |pieces| out.put_pieces(PATH, pieces));
    }
    drop(page);
    let bodies: Vec<Cow<str>> =
        (packs.iter().map(|p| p.printed.read())).collect::<Result<_, _>>()?;
    ctx.insert("runbooks", &printed(packs, bodies.iter().map(|b| &**b)));
    let page = input.templates.render("runbooks_print.html", &ctx)?;
    out.put(PATH, page.as_bytes(), Origin::Generated);
    Ok(())
}

/// Who owns what, across every pack: `/owners/` lists everyone, each linked to their
/// entry on the page of their name's first letter (`owners/a/` …), which says what they own.
fn owners_page(
    input: &Input,
    packs: &[&PackPages],
    pages: &mut Pages,
    out: &Out,
) -> Result<(), Diagnostic> {
    let people = owners::merge(packs.iter().flat_map(|p| &p.mentions));
    let letters = owners_pages::letters(&people, input.base());
    let mut ctx = input.context(site_page_view(input, "Owners", "owners", "owners/"));
    ctx.insert("letters", &owners_pages::index(&letters));
    pages.list_page(input, "owners.html", &ctx, "owners/")?;
    drop(ctx);
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
        out.put(
            &site_path::served_file(&url_path),
            html.as_bytes(),
            Origin::Generated,
        );
    }
    Ok(())
}

/// `404.html`, not indexed.
fn not_found_page(input: &Input, out: &Out) -> Result<(), Diagnostic> {
    let ctx = input.context(site_page_view(input, "Page not found", "404", "404.html"));
    let not_found = input.templates.render("404.html", &ctx)?;
    out.put("404.html", not_found.as_bytes(), Origin::Generated);
    Ok(())
}

/// The search index of the site-wide pages (`own`) and every pack's, in shards under
/// `search/` ([`search_index`]).
fn search_files(own: search::Collector, packs: &[&PackPages], out: &Out) -> Result<(), Diagnostic> {
    let own = own.finish();
    let parts: Vec<&search::Part> = std::iter::once(&own)
        .chain(packs.iter().map(|p| &p.search))
        .collect();
    search_index::files(&parts, &mut |path, script| {
        out.put(path, script.as_bytes(), Origin::Generated);
    })
}

/// `status.json`, the code stylesheet, `.nojekyll` and `CNAME`.
fn site_files(input: &Input, out: &Out) {
    let site = input.site;
    let status = status::pretty_pieces(site, input.assessments).map(String::into_bytes);
    out.put_pieces("status.json", &mut status.map(Cow::Owned));
    out.put("syntax.css", input.syntax_css.as_bytes(), Origin::Generated);
    out.put(".nojekyll", b"", Origin::Generated);
    if let Some(cname) = &site.config.cname {
        let cname = format!("{}\n", cname.trim());
        out.put("CNAME", cname.as_bytes(), Origin::Generated);
    }
}
