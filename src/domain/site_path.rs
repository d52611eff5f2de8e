//! Site paths: `/`-separated paths below a folder of the site (`pack/data.md`,
//! `badges/pack.svg`), folded, joined and mapped to the file a URL serves, one way for
//! every stage.

/// Folds `.`, `..` and empty segments out of `path`. `None` when a `..` climbs above
/// where the path starts. The top itself folds to "".
pub(crate) fn fold(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The folder that holds the file at `path`: `pack` for `pack/data.md`, "" for a file
/// at the top.
pub(crate) fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The last segment of `path`: `data.md` for `pack/data.md`.
pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `name` inside the folder `dir` ("" for the top), with one `/` between them.
pub(crate) fn join(dir: &str, name: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `path` as written in the file at `from` (relative to that file's folder), folded.
/// `None` when it climbs above the top, or starts with `/` and so is not relative.
pub(crate) fn resolve_from(from: &str, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    fold(&join(parent(from), path))
}

/// Whether a segment of `path` is `.` or `..`, which a path read from outside (a
/// request) must not hold.
pub(crate) fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|seg| seg == "." || seg == "..")
}

/// The output file a URL path (below the base path) is served from: a folder (""
/// or ending in `/`) serves its `index.html`, anything else is a file of that name.
pub(crate) fn served_file(url_path: &str) -> String {
    if url_path.is_empty() || url_path.ends_with('/') {
        format!("{url_path}index.html")
    } else {
        url_path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_resolves_dots_and_refuses_to_climb_out() {
        assert_eq!(fold("a/b/c").as_deref(), Some("a/b/c"));
        assert_eq!(fold("./a/./b").as_deref(), Some("a/b"));
        assert_eq!(fold("a//b/").as_deref(), Some("a/b"));
        assert_eq!(fold("a/b/../c").as_deref(), Some("a/c"));
        assert_eq!(fold("a/..").as_deref(), Some(""));
        assert_eq!(fold("").as_deref(), Some(""));
        assert_eq!(fold(".").as_deref(), Some(""));
        assert_eq!(fold(".."), None);
        assert_eq!(fold("a/../../b"), None);
        // `...` is a name, not a step up.
        assert_eq!(fold("a/.../b").as_deref(), Some("a/.../b"));
    }

    #[test]
    fn parent_file_name_and_join() {
        assert_eq!(parent("pack/data.md"), "pack");
        assert_eq!(parent("pack/evals/cases.jsonl"), "pack/evals");
        assert_eq!(parent("index.md"), "");
        assert_eq!(file_name("pack/data.md"), "data.md");
        assert_eq!(file_name("index.md"), "index.md");
        assert_eq!(file_name("pack/"), "");
        assert_eq!(join("pack", "_index.md"), "pack/_index.md");
        assert_eq!(join("pack/", "_index.md"), "pack/_index.md");
        assert_eq!(join("", "_index.md"), "_index.md");
    }

    #[test]
    fn resolve_from_reads_a_path_relative_to_its_file() {
        assert_eq!(
            resolve_from("pack/data.md", "evals/cases.jsonl").as_deref(),
            Some("pack/evals/cases.jsonl")
        );
        assert_eq!(
            resolve_from("pack/data.md", "./evals/cases.jsonl").as_deref(),
            Some("pack/evals/cases.jsonl")
        );
        assert_eq!(
            resolve_from("pack/data.md", "../other/x.md").as_deref(),
            Some("other/x.md")
        );
        assert_eq!(
            resolve_from("index.md", "pack/x.md").as_deref(),
            Some("pack/x.md")
        );
        assert_eq!(resolve_from("pack/data.md", "../../x"), None);
        assert_eq!(resolve_from("pack/data.md", "/etc/passwd"), None);
    }

    #[test]
    fn dot_segments_are_found_only_whole() {
        assert!(has_dot_segment("a/../b"));
        assert!(has_dot_segment("./a"));
        assert!(has_dot_segment(".."));
        assert!(!has_dot_segment("a/..b/c."));
        assert!(!has_dot_segment("a/.../b"));
        assert!(!has_dot_segment(""));
    }

    #[test]
    fn folders_serve_their_index() {
        assert_eq!(served_file(""), "index.html");
        assert_eq!(served_file("a/b/"), "a/b/index.html");
        assert_eq!(served_file("style.css"), "style.css");
        assert_eq!(served_file("a/b"), "a/b");
    }
}
