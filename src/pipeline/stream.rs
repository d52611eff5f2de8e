//! `build` and `check` without the site in memory: each pack's files go to a sink as
//! soon as they are rendered, and only what the site-wide pages need is kept.

use super::options::Options;
use super::session::Session;
use crate::domain::diag::{self, Diagnostic};
use crate::output::offline;
use crate::output::staging::{Staging, WriteError};
use crate::render::status::Status;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Where the files of a build go, from any rendering thread.
pub(crate) trait Sink: Sync {
    type Error: Send;
    /// Puts one file, by its path under the output root.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error>;
}

/// A sink that keeps nothing: `check` renders every page to find template errors.
pub(crate) struct Discard;

impl Sink for Discard {
    type Error = std::convert::Infallible;
    fn put(&self, _: &str, _: &[u8]) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// What a streamed build found and did.
pub(crate) struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub status: Status,
    /// HTML pages put into the sink.
    pub pages: usize,
}

/// Loads, checks and renders the site at `root` into the sink (opened given the site's
/// base path) one pack at a time, then the site-wide pages. Returns the sink only when
/// the whole site went into it with nothing wrong: otherwise it is dropped (a staging
/// folder removes itself), so the previous output stays whole.
pub(crate) fn build_into<S: Sink>(
    root: &Path,
    opts: &Options,
    open: impl FnOnce(&str) -> Result<S, S::Error>,
) -> Result<(Report, Option<S>), S::Error> {
    let hl = std::sync::Arc::new(crate::render::highlight::Highlighter::new());
    let (mut session, slugs) = Session::without_packs(root, opts.clone(), hl);
    let sink = open(&session.site().config.base_path)?;
    let writer = Writer {
        sink: &sink,
        pages: AtomicUsize::new(0),
        failed: Mutex::new(None),
    };
    let mut errors = session.stream_packs(&slugs, &|pack| {
        let files = pack.take_files();
        for (path, bytes) in &files.files {
            writer.put(path, bytes);
        }
    });
    let mut diagnostics = session.diagnostics();
    let mut done = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        // Both stages run, so every clash of output paths is reported at once.
        match session.render_site_wide() {
            Ok(site_wide) if errors.is_empty() => {
                for (path, bytes) in &site_wide.files {
                    writer.put(path, bytes);
                }
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
        if errors.is_empty() {
            done = Some(());
        } else {
            diagnostics.extend(errors);
            diag::sort(&mut diagnostics);
        }
    }
    let pages = writer.pages.load(Ordering::Relaxed);
    if let Some(e) = writer.failed.into_inner().ok().flatten() {
        return Err(e);
    }
    let report = Report {
        diagnostics,
        status: session.status(),
        pages,
    };
    Ok((report, done.map(|()| sink)))
}

/// A sink shared by the rendering threads: counts pages, keeps the first error and
/// puts nothing after it.
struct Writer<'a, S: Sink> {
    sink: &'a S,
    pages: AtomicUsize,
    failed: Mutex<Option<S::Error>>,
}

impl<S: Sink> Writer<'_, S> {
    fn put(&self, path: &str, bytes: &[u8]) {
        if self.failed.lock().map_or(true, |f| f.is_some()) {
            return;
        }
        match self.sink.put(path, bytes) {
            Ok(()) if path.ends_with(".html") => {
                self.pages.fetch_add(1, Ordering::Relaxed);
            }
            Ok(()) => {}
            Err(e) => {
                if let Ok(mut failed) = self.failed.lock() {
                    failed.get_or_insert(e);
                }
            }
        }
    }
}

/// The output's staging folder as a sink; for an offline copy each page's links are
/// made relative on the way in.
pub(crate) struct ToStaging {
    pub staging: Staging,
    /// The base path, when links are made relative.
    pub offline: Option<String>,
}

impl Sink for ToStaging {
    type Error = WriteError;
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        match &self.offline {
            Some(base) if path.ends_with(".html") => {
                let page = offline::relativize_page(path, bytes, base);
                self.staging.write(path, &page)
            }
            _ => self.staging.write(path, bytes),
        }
    }
}
