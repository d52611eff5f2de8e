//! Scaffolding: `init` writes a working site, `new` a pack of placeholders. Neither overwrites a file.

use crate::cli::error::Error;
use crate::domain::answers::Date;
use crate::domain::schema::{self, FieldDef, Kind, SectionDef, SECTIONS};
use include_dir::{include_dir, Dir};
use std::fs;
use std::path::Path;

static SITE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/cli/scaffold/site");

/// Stands for the version of rollbook in scaffold files (the workflow pins it).
const VERSION_MARK: &str = "@ROLLBOOK_VERSION@";

/// A scaffold file's contents, with this rollbook's version in place of [`VERSION_MARK`].
fn scaffold_contents(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains(VERSION_MARK) => text
            .replace(VERSION_MARK, env!("CARGO_PKG_VERSION"))
            .into_bytes()
            .into(),
        _ => bytes.into(),
    }
}

/// Writes `path` unless it exists; returns whether it wrote.
pub(crate) fn write_new(path: &Path, contents: &[u8]) -> Result<bool, Error> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| Error::CreateFolder {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    fs::write(path, contents).map_err(|source| Error::WriteFile {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}

fn all_files<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        if let Some(d) = entry.as_dir() {
            all_files(d, out);
        } else if let Some(f) = entry.as_file() {
            out.push(f);
        }
    }
}

/// `rollbook init [DIR]`: a site with one example pack, `.gitignore` and a Pages workflow.
pub(crate) fn init(dir: &Path) -> Result<Vec<String>, Error> {
    if dir.join(crate::domain::config::FILE).exists() {
        return Err(Error::SiteExists(dir.to_path_buf()));
    }
    let mut files = Vec::new();
    all_files(&SITE, &mut files);
    files.sort_by_key(|f| f.path());
    let mut lines = Vec::new();
    for f in files {
        let target = dir.join(f.path());
        let shown = f.path().display().to_string();
        if write_new(&target, &scaffold_contents(f.contents()))? {
            lines.push(format!("created {shown}"));
        } else {
            lines.push(format!("kept    {shown} (already there)"));
        }
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("`cd {}`, then ", dir.display())
    };
    lines.push(format!(
        "\nA new site is in {}. Next: {cd}`rollbook serve` to preview it, `rollbook new <slug>` to add a pack.",
        dir.display()
    ));
    Ok(lines)
}

/// The placeholder `new` writes for a field: `[]` for lists and tables, `"TBD"` otherwise.
pub(crate) fn placeholder(field: &FieldDef) -> &'static str {
    match field.kind {
        Kind::List | Kind::People | Kind::Gates | Kind::Phases | Kind::Reviews => "[]",
        Kind::Text | Kind::Person | Kind::Path | Kind::Bool => "\"TBD\"",
    }
}

/// The text of one section file with every field a placeholder and its hint.
pub(crate) fn section_template(stem: &str) -> Option<String> {
    let def = schema::section(stem)?;
    let width = def
        .fields
        .iter()
        .map(|f| f.name.len() + placeholder(f).len())
        .max()
        .unwrap_or(0)
        + 3;
    let mut out = format!(
        "+++\n# {}: replace each placeholder with the answer.\n",
        def.title
    );
    for f in def.fields {
        let assign = format!("{} = {}", f.name, placeholder(f));
        out.push_str(&format!("{assign:<width$}# {}\n", f.hint));
    }
    out.push_str("+++\n\n## Notes\n\n");
    Some(out)
}

/// A new section file's text with `updated = <today>` under its first comment: the
/// "last updated" date its pages show when the site has no git history.
pub(crate) fn dated(text: &str, today: Date) -> String {
    let line = format!(
        "updated = {today}  # the day of the last change; git history wins in a repository\n"
    );
    match text
        .match_indices('\n')
        .nth(1)
        .map(|(i, _)| text.split_at(i + 1))
    {
        Some((head, tail)) => format!("{head}{line}{tail}"),
        None => text.to_string(),
    }
}

/// `rollbook new <slug>`: the nine section files of a new pack.
pub(crate) fn new_pack(root: &Path, slug: &str, today: Date) -> Result<Vec<String>, Error> {
    check_slug(slug)?;
    let mut lines = write_pack(root, slug, |def| {
        dated(&section_template(def.stem).unwrap_or_default(), today)
    })?;
    lines.push(format!(
        "\nFill the answers in content/{slug}/, then run `rollbook check`."
    ));
    Ok(lines)
}

/// A slug `new` may create: valid, and not one the site itself uses.
pub(crate) fn check_slug(slug: &str) -> Result<(), Error> {
    if !schema::valid_slug(slug) {
        return Err(Error::BadSlug(slug.to_string()));
    }
    if schema::RESERVED_SLUGS.contains(&slug) {
        return Err(Error::ReservedSlug(slug.to_string()));
    }
    Ok(())
}

/// Writes the nine section files of `content/<slug>/` with `text`, keeping any that
/// exist; one line per file. An error when all nine were there already.
pub(crate) fn write_pack(
    root: &Path,
    slug: &str,
    mut text: impl FnMut(&SectionDef) -> String,
) -> Result<Vec<String>, Error> {
    let dir = root.join("content").join(slug);
    let mut lines = Vec::new();
    let mut wrote = 0;
    for def in &SECTIONS {
        let path = dir.join(def.file_name());
        let shown = format!("content/{slug}/{}", def.file_name());
        // `text` only for the files written: `--from` counts what it copies.
        if !path.exists() && write_new(&path, text(def).as_bytes())? {
            wrote += 1;
            lines.push(format!("created {shown}"));
        } else {
            lines.push(format!("kept    {shown} (already there)"));
        }
    }
    if wrote == 0 {
        return Err(Error::PackExists(slug.to_string()));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_with_every_field_unfilled() {
        for def in &SECTIONS {
            let text = section_template(def.stem).unwrap();
            let split = crate::load::frontmatter::split(&text).unwrap();
            let (toml, offset) = split.toml.unwrap();
            let src = crate::load::validate::Source::new("x.md", &text, offset);
            let mut diags = Vec::new();
            let fm = crate::load::validate::parse(&src, toml, Some(def), &mut diags);
            assert!(diags.is_empty(), "{}: {diags:?}", def.stem);
            assert_eq!(fm.answers.len(), def.fields.len());
            assert!(fm.answers.iter().all(|a| !a.filled()), "{}", def.stem);
            assert!(
                fm.answers.iter().all(|a| a.line > 0),
                "every field is written"
            );
        }
    }
}
