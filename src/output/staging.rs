//! The output folder on disk: a staging folder beside it is prepared, written, then
//! exchanged with the output in one step, so the output path always holds a whole site;
//! what a killed build left beside it is cleared by the next one. One build at a time
//! writes an output: another waits for it.

use crate::output::guard::Checked;
use crate::output::marker::{is_ours, MARKER, MARKER_LINE};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Set to a stage name (`staged`, `exchanged`, `moved-aside`, `replaced`) to make a build
/// announce the stage on stderr and wait there, so a test can kill it at that point.
pub(crate) const PAUSE_ENV: &str = "ROLLBOOK_TEST_PAUSE_AT";
/// Set to make a build swap with two renames, as where the atomic exchange is missing.
pub(crate) const NO_EXCHANGE_ENV: &str = "ROLLBOOK_TEST_NO_EXCHANGE";

/// A file operation that failed: what was done, to which path, and the OS's reason.
#[derive(Debug)]
pub(crate) struct WriteError {
    pub action: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot {} {}: {}",
            self.action,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for WriteError {}

fn failed<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Waits forever at `stage` when [`PAUSE_ENV`] names it (a hook for tests that kill a build).
fn pause_at(stage: &str) {
    if std::env::var_os(PAUSE_ENV).is_some_and(|v| v == stage) {
        crate::errln!("rollbook: paused at {stage}");
        loop {
            std::thread::park();
        }
    }
}

/// The start of the name of a temporary folder beside an output named `name`:
/// `.public.new-` for staging, `.public.old-` for the previous output being removed.
fn temp_prefix(name: &str, kind: &str) -> String {
    format!(".{name}.{kind}-")
}

const SUFFIX_LEN: usize = 6;

/// Whether `entry` is one of rollbook's temporary folder names for an output named `name`.
fn is_temp_name(entry: &str, name: &str) -> bool {
    ["new", "old"].iter().any(|kind| {
        entry
            .strip_prefix(&temp_prefix(name, kind))
            .is_some_and(|s| s.len() == SUFFIX_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric()))
    })
}

/// Removes the temporary folders a killed build left beside `target`: only folders with
/// rollbook's temporary names for this output that are empty or carry its marker.
fn clear_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_ours_by_name = entry
            .file_name()
            .to_str()
            .is_some_and(|n| is_temp_name(n, name));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_ours_by_name || !is_dir {
            continue;
        }
        let path = entry.path();
        if is_ours(&path) {
            let _ = fs::remove_dir_all(&path);
        } else {
            // Empty: created, then killed before its marker was written.
            let _ = fs::remove_dir(&path);
        }
    }
}

/// Makes the file at `target` with `make` (a write or a create), and when its folder is
/// missing, makes the folder and tries once more: one system call for a file whose
/// folder is there, as it is for every file but the first in it.
fn in_its_folder<T>(target: &Path, make: impl Fn() -> io::Result<T>) -> Result<T, WriteError> {
    match make() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(dir) = target.parent() {
                create_dirs(dir)?;
            }
            make().map_err(failed("write", target))
        }
        done => done.map_err(failed("write", target)),
    }
}

/// Creates `dir` and its missing parents; an error names the folder that could not be made.
/// Tries the folder first and its parents only when they are missing: one system call for
/// a folder whose parent exists, as most do.
fn create_dirs(dir: &Path) -> Result<(), WriteError> {
    match fs::create_dir(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                create_dirs(parent)?;
            }
            match fs::create_dir(dir) {
                Err(e) if !(e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir()) => {
                    Err(failed("create folder", dir)(e))
                }
                _ => Ok(()),
            }
        }
        Err(e) => Err(failed("create folder", dir)(e)),
    }
}

/// The real OS error inside one that `tempfile` wrapped with the path (which our
/// messages name already).
fn os_error(e: io::Error) -> io::Error {
    let code = e
        .get_ref()
        .and_then(|inner| std::error::Error::source(inner))
        .and_then(|s| s.downcast_ref::<io::Error>())
        .and_then(io::Error::raw_os_error);
    code.map_or(e, io::Error::from_raw_os_error)
}

/// A lock on an output folder, held from before a build clears what killed builds left
/// beside it until it has swapped its site in and removed the previous one: a second
/// build into the same folder waits, rather than clearing a staging folder still being
/// written (and swapping a half-written site in). The lock is the system's advisory lock
/// on a file in the temporary folder, named by a hash of the output's path, so the site
/// folder gets no file of it; the system lets go of it when a build ends or is killed.
/// On Unix the file is removed when the lock is let go, so none is left behind, and only
/// its owner may open it: the name is predictable, and a lock file another user made (and
/// could hold forever) is not waited on.
#[derive(Debug)]
struct OutputLock {
    /// The lock file, locked, and its path.
    held: Option<(fs::File, PathBuf)>,
}

/// How many times a build opens the lock file again after finding that the one it locked
/// was removed by the build before it; past it, the build goes on without the lock.
const LOCK_TRIES: usize = 100;

impl OutputLock {
    /// Takes the lock on `target` (whose parent exists), waiting while another build
    /// holds it. Where no lock file can be opened, the build goes on without one.
    fn take(target: &Path) -> OutputLock {
        let Some(path) = lock_path(target) else {
            return OutputLock { held: None };
        };
        let mut said = false;
        for _ in 0..LOCK_TRIES {
            // Another user's lock file is not waited on, whether or not it can be opened.
            let file = open_lock_file(&path);
            let meta = match &file {
                Some(f) => f.metadata(),
                None => fs::symlink_metadata(&path),
            };
            if meta.is_ok_and(|m| !is_own(&m)) {
                crate::errln!(
                    "rollbook: {} belongs to another user; building into {} without waiting on it",
                    path.display(),
                    target.display()
                );
                break;
            }
            let Some(file) = file else {
                break;
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !said {
                        crate::errln!(
                            "rollbook: waiting for another build into {} to finish",
                            target.display()
                        );
                        said = true;
                    }
                    if file.lock().is_err() {
                        break;
                    }
                }
                Err(fs::TryLockError::Error(_)) => break,
            }
            // The build that held the lock may have removed the file on letting go: the
            // lock counts only on the file that is still at the path.
            if is_at(&file, &path) {
                return OutputLock {
                    held: Some((file, path)),
                };
            }
        }
        OutputLock { held: None }
    }
}

impl Drop for OutputLock {
    /// Removes the lock file while it is still locked (the file itself is let go of
    /// after this): a build waiting on it then finds it gone and opens the path again.
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some((_, path)) = &self.held {
            let _ = fs::remove_file(path);
        }
    }
}

/// Where the lock file of the output at `target` is: the same path for every build into
/// that folder, by any path to it.
fn lock_path(target: &Path) -> Option<PathBuf> {
    let parent = target.parent()?.canonicalize().ok()?;
    let path = parent.join(target.file_name()?);
    // FNV-1a: the same on every build of rollbook, so two versions share the lock.
    let hash = path
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    Some(std::env::temp_dir().join(format!("rollbook-output-{hash:016x}.lock")))
}

/// Opens (or creates) the lock file; on Unix one it creates only its owner may open.
fn open_lock_file(path: &Path) -> Option<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).ok()
}

/// Whether this user owns the file of `meta` (always so where files have no owner).
#[cfg(unix)]
fn is_own(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
fn is_own(_meta: &fs::Metadata) -> bool {
    true
}

/// Whether `file` is the file at `path` (always so where the lock file is never removed).
#[cfg(unix)]
fn is_at(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_at(_file: &fs::File, _path: &Path) -> bool {
    true
}

/// A staging folder beside the output, being written. [`Staging::commit`] puts it in the
/// output's place; dropping it without committing removes it. While it lives, no other
/// build writes the same output.
#[derive(Debug)]
pub(crate) struct Staging {
    target: PathBuf,
    path: PathBuf,
    committed: bool,
    /// Let go of last, once the staging folder is committed or removed.
    _lock: OutputLock,
}

impl Staging {
    /// Clears what killed builds left beside the output, then creates an empty staging
    /// folder beside it holding the marker.
    pub(crate) fn prepare(target: &Checked) -> Result<Staging, WriteError> {
        let target = target.path().to_path_buf();
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(WriteError {
                action: "write the site into",
                path: target.clone(),
                source: io::Error::new(io::ErrorKind::InvalidInput, "it has no parent folder"),
            });
        };
        create_dirs(parent)?;
        let lock = OutputLock::take(&target);
        let name = name.to_string_lossy().into_owned();
        clear_leftovers(parent, &name);
        let prefix = temp_prefix(&name, "new");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).rand_bytes(SUFFIX_LEN);
        #[cfg(unix)]
        {
            // As `mkdir` would (less the umask), not tempfile's owner-only default: the
            // output is served to others.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o777));
        }
        let path = builder
            .tempdir_in(parent)
            .map_err(|e| WriteError {
                action: "create folder",
                path: parent.join(format!("{prefix}{}", "X".repeat(SUFFIX_LEN))),
                source: os_error(e),
            })?
            .keep();
        let staging = Staging {
            target,
            path,
            committed: false,
            _lock: lock,
        };
        let marker = staging.path.join(MARKER);
        fs::write(&marker, format!("{MARKER_LINE}\n")).map_err(failed("write", &marker))?;
        Ok(staging)
    }

    /// The staging folder.
    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one file of the site, by its path relative to the output root.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let target = self.place(rel)?;
        in_its_folder(&target, || fs::write(&target, bytes))
    }

    /// Writes one file of the site made of `pieces`, in order, taking each as it comes.
    pub(crate) fn write_pieces(
        &self,
        rel: &str,
        pieces: &mut dyn Iterator<Item = std::borrow::Cow<'_, [u8]>>,
    ) -> Result<(), WriteError> {
        use std::io::Write as _;
        let target = self.place(rel)?;
        let mut file = in_its_folder(&target, || fs::File::create(&target))?;
        for piece in pieces {
            file.write_all(&piece).map_err(failed("write", &target))?;
        }
        Ok(())
    }

    /// Where the file at `rel` is written (its folder made by the caller when missing): an
    /// error when `rel` would leave the folder or is the marker's name.
    fn place(&self, rel: &str) -> Result<PathBuf, WriteError> {
        let target = self.path.join(rel);
        let plain = Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel == MARKER {
            let why = if plain {
                "the name is rollbook's marker of its output folders; rename the file"
            } else {
                "the path leaves the output folder"
            };
            return Err(WriteError {
                action: "write",
                path: target,
                source: io::Error::new(io::ErrorKind::InvalidInput, why),
            });
        }
        Ok(target)
    }

    /// Puts the staging folder in the output's place in one step (an atomic exchange
    /// where the system has one, else two renames), then removes the previous output.
    /// Returns warnings about what could not be cleaned up.
    pub(crate) fn commit(mut self) -> Result<Vec<String>, WriteError> {
        pause_at("staged");
        let target = self.target.clone();
        match fs::symlink_metadata(&target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::rename(&self.path, &target).map_err(failed("move the new site to", &target))?;
                self.committed = true;
                return Ok(Vec::new());
            }
            Err(e) => return Err(failed("read", &target)(e)),
            Ok(_) => {}
        }
        // The previous output ends up in a temporary folder; give it the marker first
        // (when it lacks one), so a build killed before removing it is cleared by the next.
        let added_marker = if is_ours(&target) {
            None
        } else {
            let marker = target.join(MARKER);
            fs::write(&marker, format!("{MARKER_LINE}\n")).map_err(failed("write", &marker))?;
            Some(marker)
        };
        let old = match exchange(&self.path, &target) {
            Ok(true) => {
                self.committed = true;
                pause_at("exchanged");
                self.path.clone()
            }
            Ok(false) => match self.two_renames() {
                Ok(old) => old,
                Err(e) => {
                    if let Some(m) = added_marker {
                        let _ = fs::remove_file(m);
                    }
                    return Err(e);
                }
            },
            Err(e) => {
                if let Some(m) = added_marker {
                    let _ = fs::remove_file(m);
                }
                return Err(failed("swap the new site into", &target)(e));
            }
        };
        Ok(match fs::remove_dir_all(&old) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!(
                "cannot remove the previous output, now in {}: {e}; the next build removes it",
                old.display()
            )],
        })
    }

    /// Swaps without an exchange: the output is moved aside, then the staging folder
    /// moved in. Returns where the previous output now is.
    fn two_renames(&mut self) -> Result<PathBuf, WriteError> {
        let suffix = self
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.get(n.len().saturating_sub(SUFFIX_LEN)..))
            .unwrap_or("XXXXXX")
            .to_string();
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = self
            .path
            .with_file_name(format!("{}{suffix}", temp_prefix(&name, "old")));
        fs::rename(&self.target, &old)
            .map_err(failed("move aside the previous output", &self.target))?;
        pause_at("moved-aside");
        if let Err(e) = fs::rename(&self.path, &self.target) {
            let _ = fs::rename(&old, &self.target);
            return Err(failed("move the new site to", &self.target)(e));
        }
        self.committed = true;
        pause_at("replaced");
        Ok(old)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Exchanges two folders atomically; `Ok(false)` where the system or file system has
/// no such exchange (or a test asks to do without it).
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    if std::env::var_os(NO_EXCHANGE_ENV).is_some() {
        return Ok(false);
    }
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if [Errno::INVAL, Errno::NOSYS, Errno::NOTSUP, Errno::OPNOTSUPP].contains(&e) => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        assert!(is_temp_name(".public.new-a1B2c3", "public"));
        assert!(is_temp_name(".public.old-a1B2c3", "public"));
        assert!(!is_temp_name(".public.new-a1B2c", "public"));
        assert!(!is_temp_name(".public.new-a1B2c3d", "public"));
        assert!(!is_temp_name(".public.new-a1B-c3", "public"));
        assert!(!is_temp_name(".docs.new-a1B2c3", "public"));
        assert!(!is_temp_name("public", "public"));
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn staging_writes_only_inside_itself_and_dropping_it_removes_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target =
            crate::output::guard::check(tmp.path(), &tmp.path().join("out"), false).unwrap();
        let staging = Staging::prepare(&target).unwrap();
        let name = staging
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(is_temp_name(&name, "out"), "{name}");
        assert!(
            is_ours(staging.path()),
            "staging carries the marker from the start"
        );
        staging.write("a/b/index.html", b"page").unwrap();
        for bad in ["../escape.html", "/abs.html", "a/../../x", MARKER] {
            let e = staging.write(bad, b"x").unwrap_err();
            assert_eq!(e.source.kind(), io::ErrorKind::InvalidInput, "{bad}");
            assert!(e.to_string().starts_with("cannot write "), "{e}");
        }
        assert!(!tmp.path().join("escape.html").exists());
        assert_eq!(names(tmp.path()), vec![name]);
        drop(staging);
        assert!(
            names(tmp.path()).is_empty(),
            "dropping it uncommitted leaves nothing"
        );
        // Dropped without a commit (an error on the way): removed too.
        let staging = Staging::prepare(&target).unwrap();
        staging.write("index.html", b"page").unwrap();
        drop(staging);
        assert!(names(tmp.path()).is_empty());
    }
}
