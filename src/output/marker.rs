//! The marker file at the root of every output folder, which tells a later build that
//! rollbook wrote the folder and may replace it.

use std::fs;
use std::path::Path;

/// The file at the root of every folder rollbook writes, so a later build knows it may
/// replace the folder.
pub(crate) const MARKER: &str = ".rollbook-output";
/// The marker's first line.
pub(crate) const MARKER_LINE: &str =
    "This folder was made by rollbook build; the next build replaces it whole.";

/// Whether a folder is one rollbook wrote: it holds the marker, or (written before the
/// marker existed) both `status.json` and `.nojekyll`.
pub(crate) fn is_ours(dir: &Path) -> bool {
    let is_file = |name: &str| fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file());
    let marked = is_file(MARKER)
        && fs::read_to_string(dir.join(MARKER)).is_ok_and(|t| t.starts_with(MARKER_LINE));
    marked || (is_file("status.json") && is_file(".nojekyll"))
}
