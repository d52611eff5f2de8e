//! Reloading: brings a session's site up to date with the paths that changed on disk,
//! redoing only what they touch (a pack, the content root, a static file, the theme), for
//! `serve`.

use super::bodies::render_markdown;
use super::changes::{classify, Change};
use super::session::Session;
use crate::domain::model::Page;
use crate::domain::schema;
use crate::load::{self, read::rel};
use std::fs;
use std::path::PathBuf;
use std::sync::Arc;

impl Session {
    fn forget_pack(&mut self, slug: &str) {
        let prefix = format!("{slug}/");
        self.rendered.retain(|k, _| !k.starts_with(&prefix));
        self.pack_diags.remove(slug);
        self.assessments.remove(slug);
        self.warnings.remove(slug);
        self.mentions.remove(slug);
        self.pack_out.remove(slug);
        self.links_changed(slug);
    }

    fn reload_pack(&mut self, slug: &str) {
        self.forget_pack(slug);
        let dir = self.root.join("content").join(slug);
        let index = self
            .site
            .packs
            .binary_search_by(|p| p.slug.as_str().cmp(slug));
        if !dir.is_dir() {
            if let Ok(i) = index {
                self.site.packs.remove(i);
            }
            return;
        }
        let (pack, diags) = load::load_pack(
            &self.root,
            slug,
            load::Options {
                drafts: self.opts.drafts,
            },
        );
        let pages: Vec<&Page> = pack.all_pages().collect();
        let rendered = render_markdown(&self.site.config, pages, &self.hl);
        self.rendered.extend(rendered);
        self.pack_diags.insert(slug.to_string(), diags);
        match index {
            Ok(i) => {
                if let Some(slot) = self.site.packs.get_mut(i) {
                    *slot = pack;
                }
            }
            Err(i) => self.site.packs.insert(i, pack),
        }
        self.assess(&[slug.to_string()]);
    }

    /// Reads the git history again, and names what holds each file whose day of last
    /// change moved: its pack, or the site's own pages.
    fn reread_history(&mut self) -> Vec<Change> {
        let history = load::history::read(&self.root);
        self.git_heads = history.heads;
        let old = std::mem::replace(&mut self.site.changed, history.changed);
        let new = &self.site.changed;
        let moved = (old.iter().chain(new))
            .filter(|(file, day)| old.get(*file) != Some(day) || new.get(*file) != Some(day))
            .map(|(file, _)| file);
        moved
            .filter_map(|file| classify(&self.root, &self.root.join(file)))
            .collect()
    }

    fn reload_root(&mut self) {
        self.links_changed("");
        let mut diags = Vec::new();
        let content = load::load_root(
            &self.root,
            load::Options {
                drafts: self.opts.drafts,
            },
            &mut diags,
        );
        self.root_diags = diags;
        let old: Vec<String> = self
            .site
            .own_pages()
            .map(|p| p.content_path().to_string())
            .collect();
        for p in old {
            self.rendered.remove(&p);
        }
        self.site.home = content.home;
        self.site.pages = content.pages;
        self.site.assets = content.assets;
        let pages: Vec<&Page> = self.site.own_pages().collect();
        let rendered = render_markdown(&self.site.config, pages, &self.hl);
        self.rendered.extend(rendered);
        // Packs added or removed.
        let current: Vec<String> = self.site.packs.iter().map(|p| p.slug.clone()).collect();
        for slug in &current {
            if !content.pack_slugs.contains(slug) {
                self.forget_pack(slug);
                self.site.packs.retain(|p| &p.slug != slug);
            }
        }
        for slug in &content.pack_slugs {
            if !current.contains(slug) {
                self.reload_pack(slug);
            }
        }
    }

    /// Re-reads one static file alone; a folder (moved in or out), a symlink or a name
    /// the walk would report re-reads them all.
    fn reload_static(&mut self, path: &str) {
        let static_dir = self.root.join("static");
        let file = static_dir.join(path);
        let folder = format!("{path}/");
        let was_folder = self
            .site
            .statics
            .iter()
            .any(|a| a.path.starts_with(&folder));
        let plain = fs::symlink_metadata(&file).map_or(true, |m| !m.file_type().is_symlink())
            && path
                .split('/')
                .all(|part| crate::load::walk::name_problem(part).is_none())
            && (file.is_file() || fs::symlink_metadata(&file).is_err());
        if path.is_empty() || file.is_dir() || was_folder || !plain {
            self.static_diags.clear();
            self.site.statics = load::load_statics(&self.root, &mut self.static_diags);
            return;
        }
        let shown = format!("static/{path}");
        self.static_diags.retain(|d| d.file != shown);
        self.site.statics.retain(|a| a.path != path);
        if file.is_file() {
            if let Some(a) = load::read_static(&self.root, &file, &mut self.static_diags) {
                self.site.statics.push(a);
            }
        }
    }

    /// Redoes what the changed paths touch. Returns whether anything of the site changed.
    pub fn apply(&mut self, paths: &[PathBuf]) -> bool {
        let mut changes: Vec<Change> = paths
            .iter()
            .filter_map(|p| classify(&self.root, p))
            .collect();
        // A pack also depends on eval files it names elsewhere in content/.
        for path in paths {
            let changed = rel(&self.root, path);
            changes.extend(
                self.site
                    .packs
                    .iter()
                    .filter(|p| p.eval.sources.contains(&changed))
                    .map(|p| Change::Pack(p.slug.clone())),
            );
        }
        // A commit, checkout, pull or reset: the days pages show as last updated may move.
        if (paths.iter()).any(|p| load::history::moves_head(&self.git_heads, p)) {
            changes.extend(self.reread_history());
        }
        changes.sort();
        changes.dedup();
        if changes.is_empty() {
            return false;
        }
        if changes.contains(&Change::Full) {
            *self = Session::with_highlighter(
                &self.root.clone(),
                self.opts.clone(),
                Arc::clone(&self.hl),
            );
            return true;
        }
        let published = changes
            .iter()
            .any(|c| matches!(c, Change::Theme | Change::Static(_)));
        if changes.iter().any(|c| *c != Change::Theme) {
            self.site_wide = None;
        }
        for change in changes {
            match change {
                Change::Full => {}
                Change::Theme => self.load_theme(),
                Change::Root => self.reload_root(),
                Change::Static(path) => self.reload_static(&path),
                Change::Pack(slug) => {
                    if schema::valid_slug(&slug) && !schema::RESERVED_SLUGS.contains(&slug.as_str())
                    {
                        self.reload_pack(&slug);
                    } else {
                        self.reload_root();
                    }
                }
            }
        }
        if published {
            self.scan_published();
        }
        true
    }
}
