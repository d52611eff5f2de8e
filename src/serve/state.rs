//! What the server holds between rebuilds: the served site in layers, the last build's
//! errors, and a signal for requests that wait for a rebuild to finish.

use crate::render::files::Output;
use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

/// The served site: each pack's files, and the site-wide files. Kept apart so a
/// rebuild swaps one pack's files without copying the others'.
#[derive(Clone, Default)]
pub(crate) struct Layers {
    pub packs: HashMap<String, Arc<Output>>,
    pub site_wide: Arc<Output>,
}

impl Layers {
    /// The pack whose files hold `path`: `<slug>/…`, or its badges `badges/<slug>…`.
    pub(crate) fn pack(&self, path: &str) -> Option<&Output> {
        let mut parts = path.split('/');
        let first = parts.next()?;
        let slug = match first {
            "badges" => parts.next()?.trim_end_matches(".svg"),
            slug => slug,
        };
        self.packs.get(slug).map(|o| &**o)
    }

    /// A file of the site; a pack's own file wins, as in a full build's output.
    pub(crate) fn get(&self, path: &str) -> Option<&[u8]> {
        self.pack(path)
            .and_then(|o| o.get(path))
            .or_else(|| self.site_wide.get(path))
    }
}

/// What the server serves: the last good site, and the errors of the last build if it failed.
pub(crate) struct State {
    pub base: String,
    pub site: Option<Layers>,
    /// The error overlay of the last build, empty when it built.
    pub overlay: Arc<str>,
    /// Counts rebuilds, so a page loaded before one knows it missed it.
    pub generation: u64,
    /// The packs' pages are new and the site-wide ones are being brought up to date:
    /// requests for those wait, so no page is ever older than the reload event.
    pub site_wide_pending: bool,
}

/// The state, and a signal for requests waiting on the site-wide pages.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub ready: Condvar,
}

impl Shared {
    pub(crate) fn update(&self, f: impl FnOnce(&mut State)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
        }
        self.ready.notify_all();
    }
}
