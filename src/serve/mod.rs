//! The development server: builds into memory, serves it over `http`, rebuilds what a
//! save touches and tells open pages to reload (or shows the errors) over `live`.

pub(crate) mod http;
pub(crate) mod live;
pub(crate) mod routes;
pub(crate) mod slots;
pub(crate) mod state;

use self::http::Request;
use self::live::Clients;
use self::routes::{handle, Links};
use self::state::{Layers, Shared, State};
use crate::domain::diag::Diagnostic;
use crate::pipeline::{Options, Session};
use crate::render::files::Output;
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A save seldom takes longer: events closer than this belong to one save.
const QUIET: Duration = Duration::from_millis(12);
/// However busy the folder, rebuild at least this often.
const MAX_WAIT: Duration = Duration::from_millis(150);
/// How often open pages are pinged, so connections whose peer vanished get closed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Records a failed build: the overlay every page shows, and the `error` message.
fn fail(shared: &Shared, clients: &Clients, errors: &[Diagnostic]) {
    let (site, base) = match shared.state.lock() {
        Ok(s) => (s.site.clone(), s.base.clone()),
        Err(_) => return,
    };
    let mut links = Links::new(site.as_ref(), &base);
    let shown = live::shown(errors, &mut |d| links.url(d));
    let overlay: Arc<str> = Arc::from(live::overlay(&shown, site.is_some()));
    let mut generation = 0;
    shared.update(|s| {
        s.overlay = Arc::clone(&overlay);
        s.generation += 1;
        generation = s.generation;
    });
    clients.broadcast(
        generation,
        live::error_message(generation, &shown, &overlay),
    );
}

/// Brings the served site up to date with the session, whose `diagnostics` are given:
/// the packs' pages first, so the reload goes out at once, then the site-wide pages.
/// Returns the number of errors and when the reload went out.
fn refresh(
    session: &mut Session,
    diagnostics: &[Diagnostic],
    shared: &Shared,
    clients: &Clients,
) -> (usize, Option<Instant>) {
    let mut errors: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if errors.is_empty() {
        if let Err(e) = session.render_packs() {
            errors = e;
        }
    }
    if !errors.is_empty() {
        print_diagnostics(diagnostics);
        fail(shared, clients, &errors);
        return (errors.len(), None);
    }
    let packs: HashMap<String, Arc<Output>> = session
        .pack_outputs()
        .into_iter()
        .map(|(slug, o)| (slug.to_string(), o))
        .collect();
    // What is replaced is freed after the lock is let go, not while requests wait on it.
    let mut replaced = None;
    let mut generation = 0;
    shared.update(|s| {
        let site_wide = s
            .site
            .as_ref()
            .map(|l| Arc::clone(&l.site_wide))
            .unwrap_or_default();
        replaced = s.site.replace(Layers { packs, site_wide });
        s.site_wide_pending = true;
        s.overlay = Arc::from("");
        s.generation += 1;
        generation = s.generation;
    });
    clients.broadcast(generation, live::message("reload", generation));
    let reloaded = Some(Instant::now());
    match session.site_wide() {
        Ok(site_wide) => {
            let mut old_site_wide = None;
            shared.update(|s| {
                if let Some(l) = s.site.as_mut() {
                    old_site_wide = Some(std::mem::replace(&mut l.site_wide, site_wide));
                }
                s.site_wide_pending = false;
            });
            drop((replaced, old_site_wide));
            (0, reloaded)
        }
        Err(e) => {
            print_diagnostics(&e);
            shared.update(|s| s.site_wide_pending = false);
            fail(shared, clients, &e);
            (e.len(), reloaded)
        }
    }
}

/// Why `serve` could not run.
#[derive(Debug)]
pub(crate) enum Error {
    /// The address cannot be listened on (the port is taken, say): a usage error.
    Listen(String),
    /// The site folder cannot be watched.
    Watch(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Listen(m) | Error::Watch(m) => f.write_str(m),
        }
    }
}

/// What `rollbook serve` was asked for.
pub(crate) struct Settings<'a> {
    pub interface: &'a str,
    pub port: u16,
    pub open: bool,
}

/// Runs `rollbook serve` until the process is stopped.
pub(crate) fn run(root: &Path, opts: Options, settings: &Settings) -> Result<(), Error> {
    let started = Instant::now();
    let max_connections = http::raise_fd_limit();
    // Listen before building, so a taken port is reported at once.
    let (listener, addr) = listen(settings)?;
    let mut session = Session::new(root, opts);
    let base = session.site().config.base_path.clone();
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            base: base.clone(),
            site: None,
            overlay: Arc::from(""),
            generation: 0,
            site_wide_pending: false,
        }),
        ready: Condvar::new(),
    });
    let clients = Arc::new(Clients::default());
    first_build(&mut session, &shared, &clients);
    let url = format!("http://{addr}{base}");
    let (watcher, rx) = watch(root, session.git_heads())?;
    spawn_rebuilds(root, session, rx, watcher, (&shared, &clients));
    spawn_heartbeat(&clients);
    // Announced once watching, so an edit made right after is seen.
    crate::outln!(
        "serving {} at {url} (built in {} ms); press Ctrl+C to stop",
        root.display(),
        started.elapsed().as_millis()
    );
    let _ = std::io::stdout().flush();
    if settings.open {
        if let Err(e) = opener::open_browser(&url) {
            crate::errln!("warning: cannot open a browser: {e}");
        }
    }
    let allowed = settings.interface.to_string();
    let handler: Arc<http::Handler> =
        Arc::new(move |request: &Request| handle(request, &shared, &clients, &allowed));
    let limits = http::Limits {
        max_connections,
        header_timeout: http::header_timeout(),
    };
    http::serve(listener, limits, handler);
    Ok(())
}

/// Listens on the interface and port asked for; warns when other machines can connect.
fn listen(settings: &Settings) -> Result<(TcpListener, SocketAddr), Error> {
    let (interface, port) = (settings.interface, settings.port);
    let listener = TcpListener::bind((interface, port)).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("port {port} is in use by another program; pass another port with -p PORT (-p 0 picks a free one)")
        } else {
            "check the address given with -i and the port given with -p (-p 0 picks a free one)".to_string()
        };
        Error::Listen(format!("cannot listen on {interface} port {port}: {e}; {what}"))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Listen(format!("cannot listen on {interface} port {port}: {e}")))?;
    if !addr.ip().is_loopback() {
        crate::errln!(
            "warning: {interface} is not a loopback address: other machines can connect; only requests for {interface}, localhost, 127.0.0.1 or [::1] are answered"
        );
    }
    Ok((listener, addr))
}

/// Serves the first build; its warnings are printed only when it has no errors.
fn first_build(session: &mut Session, shared: &Shared, clients: &Clients) {
    let diagnostics = session.diagnostics();
    if refresh(session, &diagnostics, shared, clients).0 == 0 {
        let warnings: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| !d.is_error()).collect();
        print_diagnostics(&warnings);
    }
}

type SharedWatcher = Arc<Mutex<notify::RecommendedWatcher>>;

/// Watches `site.toml`'s folder flat, the site's folders deep, and where its git
/// repository keeps its HEAD and branches (`heads`, each flat, its `refs/` deep); each
/// changed path arrives on the receiver.
fn watch(root: &Path, heads: &[PathBuf]) -> Result<(SharedWatcher, Receiver<PathBuf>), Error> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            if matches!(event.kind, EventKind::Access(_)) {
                return;
            }
            for p in event.paths {
                let _ = tx.send(p);
            }
        }
    })
    .map_err(|e| Error::Watch(format!("cannot watch {} for changes: {e}", root.display())))?;
    let _ = watcher.watch(root, RecursiveMode::NonRecursive);
    for dir in WATCHED {
        let d = root.join(dir);
        if d.is_dir() {
            let _ = watcher.watch(&d, RecursiveMode::Recursive);
        }
    }
    for dir in heads {
        let _ = watcher.watch(dir, RecursiveMode::NonRecursive);
        let refs = dir.join("refs");
        if refs.is_dir() {
            let _ = watcher.watch(&refs, RecursiveMode::Recursive);
        }
    }
    Ok((Arc::new(Mutex::new(watcher)), rx))
}

/// Rebuilds on every save, on a thread of its own.
fn spawn_rebuilds(
    root: &Path,
    session: Session,
    rx: Receiver<PathBuf>,
    watcher: SharedWatcher,
    (shared, clients): (&Arc<Shared>, &Arc<Clients>),
) {
    let shared = Arc::clone(shared);
    let clients = Arc::clone(clients);
    let root = root.to_path_buf();
    thread::spawn(move || {
        rebuild_loop(session, rx, &shared, &clients, |paths| {
            watch_new_folders(&root, &watcher, paths)
        })
    });
}

/// Pings open pages now and then, on a thread of its own.
fn spawn_heartbeat(clients: &Arc<Clients>) {
    let clients = Arc::clone(clients);
    thread::spawn(move || loop {
        thread::sleep(HEARTBEAT);
        clients.heartbeat();
    });
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = write!(err, "{}", d.to_text());
    }
}

/// The site's folders watched for changes, besides `site.toml` in the root.
const WATCHED: [&str; 4] = ["content", "templates", "themes", "static"];

/// Starts watching a site folder created while serving (the root is watched flat).
fn watch_new_folders(root: &Path, watcher: &Mutex<notify::RecommendedWatcher>, paths: &[PathBuf]) {
    for p in paths {
        let is_site_folder = p.parent() == Some(root)
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| WATCHED.contains(&n));
        if is_site_folder && p.is_dir() {
            if let Ok(mut w) = watcher.lock() {
                let _ = w.watch(p, RecursiveMode::Recursive);
            }
        }
    }
}

/// Waits for changes, lets a burst of events from one save settle, and rebuilds.
fn rebuild_loop(
    mut session: Session,
    rx: Receiver<PathBuf>,
    shared: &Shared,
    clients: &Clients,
    on_paths: impl Fn(&[PathBuf]),
) {
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let Some(paths) = settle(&rx, first, started) else {
            return;
        };
        on_paths(&paths);
        if !session.apply(&paths) {
            continue;
        }
        let diagnostics = session.diagnostics();
        let (errors, reloaded) = refresh(&mut session, &diagnostics, shared, clients);
        report_rebuild(started, errors, reloaded);
    }
}

/// Collects the events that follow `first` until the folder is quiet (or [`MAX_WAIT`]
/// has passed): each path once, sorted. `None` once the watcher is gone.
fn settle(rx: &Receiver<PathBuf>, first: PathBuf, started: Instant) -> Option<Vec<PathBuf>> {
    let mut paths = vec![first];
    loop {
        let left = MAX_WAIT.saturating_sub(started.elapsed());
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(p) => paths.push(p),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
        if started.elapsed() >= MAX_WAIT {
            break;
        }
    }
    paths.sort();
    paths.dedup();
    Some(paths)
}

/// Says how long a rebuild took, when the pages reloaded, and how many errors it has.
fn report_rebuild(started: Instant, errors: usize, reloaded: Option<Instant>) {
    let reload = reloaded
        .map(|t| {
            format!(
                ", pages reloaded after {} ms",
                t.duration_since(started).as_millis()
            )
        })
        .unwrap_or_default();
    let broken = if errors > 0 {
        format!(" with {errors} error(s); serving the last good site")
    } else {
        String::new()
    };
    crate::errln!(
        "rebuilt in {} ms{reload}{broken}",
        started.elapsed().as_millis()
    );
}
