//! Rendering: turns the checked site into pages through the theme's Tera templates.

use crate::answers_html::{field_view, FieldView};
use crate::badge;
use crate::checklist;
use crate::diag::Diagnostic;
use crate::evals_view;
use crate::markdown::LinkBase;
use crate::model::Pack;
use crate::output::Output;
use crate::owners;
use crate::runbook;
use crate::schema::SECTIONS;
use crate::search;
use crate::status;
use crate::theme::Theme;
use crate::views::{attention_order, page_title, Input, PackView, CODE_MARK};
use tera::Tera;

/// The Tera templates of a theme, ready to render.
pub struct Templates {
    tera: Tera,
    theme: Theme,
}

impl Templates {
    /// Compiles every template; a broken one is an error naming its file.
    pub fn new(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        // Tera's default also escapes `/`, which bloats every URL; quotes and angle
        // brackets are what matter in text and double-quoted attributes.
        tera.set_escape_fn(crate::highlight::escape);
        if let Err(e) = tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        ) {
            return Err(vec![template_error(theme, &e)]);
        }
        Ok(Templates {
            tera,
            theme: theme.clone(),
        })
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&self.theme, &e))
    }
}

fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let name = message
        .split('\'')
        .nth(1)
        .filter(|n| n.ends_with(".html") || n.ends_with(".xml"))
        .map(str::to_string);
    let file = name.map_or_else(|| "templates".to_string(), |n| theme.origin(&n));
    let line = message
        .split("-->")
        .nth(1)
        .and_then(|rest| rest.trim().split(':').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1);
    Diagnostic::error(
        &file,
        line,
        1,
        format!(
            "template error: {}; fix the template",
            message.replace('\n', " ")
        ),
    )
}

fn html_path(url_path: &str) -> String {
    format!("{url_path}index.html")
}

/// Rendered pages with their search entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pages {
    pub output: Output,
    pub search: Vec<search::Entry>,
}

impl Pages {
    /// Renders `template` as the page at `url_path` and indexes it for search.
    fn page(
        &mut self,
        input: &Input,
        template: &str,
        ctx: &tera::Context,
        url_path: &str,
        pack: &str,
    ) -> Result<(), Diagnostic> {
        let html = input.templates.render(template, ctx)?;
        let title = ctx
            .get("page")
            .and_then(|p| p.get("title"))
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_string();
        self.search
            .push(search::entry(url_path, &title, pack, &html));
        self.output.insert(html_path(url_path), html);
        Ok(())
    }
}

/// Renders one pack's pages and badges.
pub fn render_pack(input: &Input, pack: &Pack) -> Result<Pages, Diagnostic> {
    let mut pages = Pages::default();
    let Some(a) = input.assessments.get(&pack.slug) else {
        return Ok(pages);
    };
    let name = pack.name();
    let slug = &pack.slug;
    let crumbs = input.pack_crumbs(pack);

    // Overview.
    let view = input.pack_view(pack, a, None);
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
    pages.page(input, "pack.html", &ctx, &format!("{slug}/"), &name)?;

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
        if matches!(s.def.stem, "evaluation" | "models") {
            ctx.insert("eval", &evals_view::eval_view(pack, a));
        }
        ctx.insert("pack", &view);
        pages.page(input, "section.html", &ctx, &url_path, &name)?;
        pages.output.insert(
            format!("badges/{slug}/{}.svg", s.def.stem),
            badge::svg(
                s.def.stem,
                &format!("{}%", s.completeness()),
                badge::colour(s.completeness()),
            ),
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
        pages.page(input, "page.html", &ctx, &p.url_path, &name)?;
    }

    // Runbook: no sidebar, the kill switch comes first.
    let incident = pack.section("incident").and_then(|s| s.page.as_ref());
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
    pages.page(
        input,
        "runbook.html",
        &ctx,
        &format!("{slug}/runbook/"),
        &name,
    )?;

    let view = input.pack_view(pack, a, Some("checklist"));
    let mut ctx = input.context(input.page_view(
        format!("Rollout checklist: {}", view.name),
        "checklist",
        &format!("{slug}/checklist/"),
        crumbs.clone(),
        None,
    ));
    ctx.insert(
        "checklist",
        &checklist::checklist(pack, a, input.rendered, input.base()),
    );
    ctx.insert("eval", &evals_view::eval_view(pack, a));
    ctx.insert("pack", &view);
    pages.page(
        input,
        "checklist.html",
        &ctx,
        &format!("{slug}/checklist/"),
        &name,
    )?;

    pages.output.insert(
        format!("badges/{slug}.svg"),
        badge::svg(
            "rollout pack",
            &format!("{}%", a.completeness),
            badge::colour(a.completeness),
        ),
    );
    for asset in &pack.assets {
        pages.output.insert(asset.path.clone(), asset.bytes.clone());
    }
    Ok(pages)
}

/// Renders the pages that span the site: dashboard, site pages, runbooks, owners, 404,
/// status.json, search index and styles. `pack_search` holds each pack's search
/// entries as JSON fragments ([`search::fragment`]).
pub fn render_global(input: &Input, pack_search: &[&str]) -> Result<Output, Diagnostic> {
    let mut pages = Pages::default();
    let site = input.site;
    let mut packs: Vec<PackView> = site
        .packs
        .iter()
        .filter_map(|p| {
            input
                .assessments
                .get(&p.slug)
                .map(|a| input.pack_view(p, a, None))
        })
        .collect();
    packs.sort_by_key(attention_order);
    for p in &mut packs {
        // The dashboard needs no per-pack navigation.
        p.sections.iter_mut().for_each(|s| s.missing.clear());
        p.pages.clear();
    }
    let mut ctx = input.context(input.page_view(
        site.config.title.clone(),
        "dashboard",
        "",
        Vec::new(),
        site.home.as_ref(),
    ));
    ctx.insert("intro_html", &input.body_html(site.home.as_ref()));
    ctx.insert("packs", &packs);
    ctx.insert(
        "section_titles",
        &SECTIONS.iter().map(|s| s.stem).collect::<Vec<_>>(),
    );
    pages.page(input, "dashboard.html", &ctx, "", "")?;

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
        pages.page(input, "page.html", &ctx, &p.url_path, "")?;
    }

    let runbooks: Vec<runbook::Runbook> = site
        .packs
        .iter()
        .map(|p| {
            let notes = input.body_html(p.section("incident").and_then(|s| s.page.as_ref()));
            runbook::runbook(p, input.base(), notes)
        })
        .collect();
    let mut ctx = input.context(input.page_view(
        "Runbooks".into(),
        "runbooks",
        "runbooks/",
        vec![input.home_crumb()],
        None,
    ));
    ctx.insert("runbooks", &runbooks);
    pages.page(input, "runbooks.html", &ctx, "runbooks/", "")?;
    let mut view = input.page_view(
        "Every runbook".into(),
        "runbooks-print",
        "runbooks/print/",
        vec![input.home_crumb()],
        None,
    );
    view.code = runbooks.iter().any(|r| r.notes_html.contains(CODE_MARK));
    let mut ctx = input.context(view);
    // One page holds every runbook's notes: each keeps its ids apart with its slug.
    let printed: Vec<runbook::Runbook> = runbooks
        .iter()
        .map(|r| runbook::Runbook {
            notes_html: runbook::scope_ids(&r.notes_html, &r.slug),
            ..r.clone()
        })
        .collect();
    ctx.insert("runbooks", &printed);
    // The printable page repeats every runbook: not indexed, so results lead to each runbook.
    pages.output.insert(
        "runbooks/print/index.html",
        input.templates.render("runbooks_print.html", &ctx)?,
    );

    let mut ctx = input.context(input.page_view(
        "Owners".into(),
        "owners",
        "owners/",
        vec![input.home_crumb()],
        None,
    ));
    ctx.insert("owners", &owners::owners(site));
    pages.page(input, "owners.html", &ctx, "owners/", "")?;

    let ctx = input.context(input.page_view(
        "Page not found".into(),
        "404",
        "404.html",
        vec![input.home_crumb()],
        None,
    ));
    let mut out = pages.output;
    out.insert("404.html", input.templates.render("404.html", &ctx)?);
    let own = search::fragment(&pages.search);
    let index =
        search::index_json(std::iter::once(own.as_str()).chain(pack_search.iter().copied()));
    out.insert("search-index.js", search::index_script(&index));
    out.insert("search-index.json", index);

    let status = status::status(site, input.assessments);
    let json = serde_json::to_string_pretty(&status).unwrap_or_default();
    out.insert("status.json", json);
    out.insert("syntax.css", input.syntax_css.to_string());
    for (path, bytes) in &input.templates.theme.statics {
        out.insert(path.clone(), bytes.clone());
    }
    for asset in site.assets.iter().chain(&site.statics) {
        out.insert(asset.path.clone(), asset.bytes.clone());
    }
    out.insert(".nojekyll", "");
    if let Some(cname) = &site.config.cname {
        out.insert("CNAME", format!("{}\n", cname.trim()));
    }
    Ok(out)
}
