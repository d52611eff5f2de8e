//! `build` and `check` without the site in memory: each pack's files go to a sink as
//! soon as they are rendered, and only what the site-wide pages need is kept.

use super::options::Options;
use super::session::Session;
use crate::domain::diag::{self, Diagnostic};
use crate::output::offline;
use crate::output::staging::{Staging, WriteError};
use crate::render::site_wide::Put;
use crate::render::spill::Spill;
use crate::render::status::Status;
use std::borrow::Cow;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Where the files of a build go, from any rendering thread.
pub(crate) trait Sink: Sync {
    type Error: Send;
    /// Puts one file, by its path under the output root.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Puts one file made of `pieces`, in order, taking each as it comes.
    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>,
    ) -> Result<(), Self::Error> {
        let mut all = Vec::new();
        for piece in pieces {
            all.extend_from_slice(&piece);
        }
        self.put(path, &all)
    }
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
/// base path) one pack at a time, then the site-wide pages, each file as soon as it is
/// made. What of a pack only the site-wide pages read at the end (its printed runbook,
/// its part of the search index) is set aside in a temporary file meanwhile. Returns the
/// sink only when the whole site went into it with nothing wrong: otherwise it is
/// dropped (a staging folder removes itself), so the previous output stays whole.
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
    // Without a temporary file, what is to be set aside stays in memory.
    let spill = Spill::new().ok();
    let mut errors = session.stream_packs(&slugs, &|pack| {
        let files = pack.take_files();
        for (path, bytes) in &files.files {
            writer.put(path, bytes);
        }
        if let Some(spill) = &spill {
            pack.printed.spill(spill);
            pack.search.spill(spill);
        }
    });
    let mut diagnostics = session.take_diagnostics();
    let mut done = None;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        // Both stages run, so every clash of output paths is reported at once; the
        // site-wide files are written only when the packs' went in whole.
        let put: &dyn Put = match errors.is_empty() {
            true => &writer,
            false => &Discard,
        };
        match session.render_site_wide_into(put) {
            Ok(()) => {}
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
        self.put_with(path, |sink| sink.put(path, bytes));
    }

    /// Puts a file with `put` unless a file failed already; counts the pages.
    fn put_with(&self, path: &str, put: impl FnOnce(&S) -> Result<(), S::Error>) {
        if self.failed.lock().map_or(true, |f| f.is_some()) {
            return;
        }
        match put(self.sink) {
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

impl<S: Sink> Put for Writer<'_, S> {
    fn put(&self, path: &str, bytes: &[u8]) {
        Writer::put(self, path, bytes);
    }

    fn put_pieces(&self, path: &str, pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>) {
        self.put_with(path, |sink| sink.put_pieces(path, pieces));
    }
}

impl Put for Discard {
    fn put(&self, _: &str, _: &[u8]) {}

    fn put_pieces(&self, _: &str, pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>) {
        // Read to the end, as a sink would: a body that cannot be read back is an error.
        pieces.for_each(drop);
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

    fn put_pieces(
        &self,
        path: &str,
        pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>,
    ) -> Result<(), WriteError> {
        match &self.offline {
            Some(_) if path.ends_with(".html") => {
                let mut all = Vec::new();
                for piece in pieces {
                    all.extend_from_slice(&piece);
                }
                self.put(path, &all)
            }
            _ => self.staging.write_pieces(path, pieces),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file as the sink got it: its path and in how many pieces.
    #[derive(Default)]
    struct Record(Mutex<Vec<(String, usize)>>);

    impl Sink for Record {
        type Error = std::convert::Infallible;
        fn put(&self, path: &str, _: &[u8]) -> Result<(), Self::Error> {
            self.0.lock().unwrap().push((path.to_string(), 1));
            Ok(())
        }
        fn put_pieces(
            &self,
            path: &str,
            pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>,
        ) -> Result<(), Self::Error> {
            self.0
                .lock()
                .unwrap()
                .push((path.to_string(), pieces.count()));
            Ok(())
        }
    }

    /// The site-wide files reach the sink one by one as each is made, after every pack's
    /// files: not in path order, as they would from one collected output, and the printed
    /// runbooks page in pieces, each runbook's body read back on its own.
    #[test]
    fn site_wide_files_reach_the_sink_as_they_are_made() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = Options {
            drafts: false,
            base_url: None,
            today: crate::parse_date("2026-11-26").unwrap(),
        };
        let (report, sink) = match build_into(root, &opts, |_| Ok(Record::default())) {
            Ok(done) => done,
            Err(never) => match never {},
        };
        assert!(!report.diagnostics.iter().any(Diagnostic::is_error));
        let files = sink
            .expect("the example site builds")
            .0
            .into_inner()
            .unwrap();
        let at = |path: &str| {
            (files.iter().position(|(p, _)| p == path)).unwrap_or_else(|| panic!("{path}"))
        };
        let packs = report.status.packs.len();
        assert!(packs >= 3);
        // Every pack's files first: the dashboard is the first site-wide file.
        let dashboard = at("index.html");
        let slugs: Vec<String> = report.status.packs.iter().map(|p| p.slug.clone()).collect();
        assert!(files[..dashboard].iter().all(|(p, _)| slugs
            .iter()
            .any(|s| p.starts_with(&format!("{s}/")) || p.starts_with(&format!("badges/{s}")))));
        // In the order they are made, not by path.
        assert!(at("404.html") > dashboard);
        assert!(at("search/d/0.js") < at("search/index.js"));
        assert!(at("search/index.js") < at("status.json"));
        assert!(at("status.json") < at(".nojekyll"));
        assert_eq!(files.last().map(|(p, _)| p.as_str()), Some("sitemap.xml"));
        // Each runbook's body, and the page around and between them.
        let (_, pieces) = &files[at("runbooks/print/index.html")];
        assert_eq!(*pieces, 2 * packs + 1);
    }
}
