//! A pack's warnings for its pages: each with the file and line the CLI names, and the
//! page it concerns (a section, an extra page), from the diagnostics already found.

use crate::domain::diag::{Diagnostic, Kind};
use crate::domain::field::SectionId;
use crate::domain::model::Pack;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct WarningView {
    /// What kind of warning it is, for styling: `secret`, `small-eval-set`, …
    pub kind: &'static str,
    /// The message as the CLI prints it; a secret's is masked already.
    pub message: String,
    /// The message in pieces, each `code` (written between backticks in the message, a
    /// key or command to type) or not, for the template to mark up.
    pub parts: Vec<Part>,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The section the warning concerns, by stem.
    pub section: Option<&'static str>,
    /// The page it concerns (URL path under the base), when it concerns one.
    pub url_path: Option<String>,
    pub page_title: Option<String>,
}

/// A piece of a warning's message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Part {
    pub text: String,
    pub code: bool,
}

/// The message's pieces between backticks are code; a message with an unpaired backtick
/// is all text, as written.
fn parts(message: &str) -> Vec<Part> {
    let pieces: Vec<&str> = message.split('`').collect();
    if pieces.len().is_multiple_of(2) {
        return vec![Part {
            text: message.to_string(),
            code: false,
        }];
    }
    pieces
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| Part {
            text: (*t).to_string(),
            code: i % 2 == 1,
        })
        .collect()
}

/// The pack's warnings, in the order given, each placed on the page it concerns.
/// The source line is never shown: the message says what and where.
pub(crate) fn pack_warnings<'a>(
    pack: &Pack,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
) -> Vec<WarningView> {
    diags
        .into_iter()
        .filter(|d| !d.is_error())
        .map(|d| {
            let section = section_of(pack, d);
            let (url_path, page_title) = match section {
                Some(stem) => (
                    Some(format!("{}/{stem}/", pack.slug)),
                    pack.sections.iter().find(|s| s.def.stem == stem).map(|s| {
                        s.page
                            .as_ref()
                            .and_then(|p| p.fm.title.clone())
                            .unwrap_or_else(|| s.def.title.to_string())
                    }),
                ),
                None => pack
                    .pages
                    .iter()
                    .find(|p| p.file() == d.file)
                    .map_or((None, None), |p| {
                        let title =
                            p.fm.title
                                .clone()
                                .unwrap_or_else(|| p.url_path().to_string());
                        (Some(p.url_path().to_string()), Some(title))
                    }),
            };
            WarningView {
                kind: kind_name(d.kind),
                message: d.message.clone(),
                parts: parts(&d.message),
                file: d.file.clone(),
                line: d.line,
                column: d.column,
                section,
                url_path,
                page_title,
            }
        })
        .collect()
}

/// The section a diagnostic concerns: its own file, or the eval files for evaluation.
fn section_of(pack: &Pack, d: &Diagnostic) -> Option<&'static str> {
    if matches!(d.kind, Kind::SmallEvalSet | Kind::GateFailing)
        || pack.eval.sources.contains(&d.file)
    {
        return Some(SectionId::Evaluation.as_str());
    }
    pack.sections
        .iter()
        .find(|s| s.page.as_ref().is_some_and(|p| p.file() == d.file))
        .map(|s| s.def.stem)
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Secret => "secret",
        Kind::SmallEvalSet => "small-eval-set",
        Kind::GateFailing => "gate-failing",
        Kind::StaleReview => "stale-review",
        Kind::EntryBarUnmet => "entry-bar-unmet",
        Kind::UnreadableFile => "unreadable-file",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(message: &str) -> Vec<(String, bool)> {
        parts(message)
            .into_iter()
            .map(|p| (p.text, p.code))
            .collect()
    }

    #[test]
    fn words_between_backticks_are_code_and_an_unpaired_backtick_is_text() {
        assert_eq!(
            shown("add it to `reviews` or run `rollbook new`"),
            [
                ("add it to ".to_string(), false),
                ("reviews".to_string(), true),
                (" or run ".to_string(), false),
                ("rollbook new".to_string(), true),
            ]
        );
        assert_eq!(shown("`a`"), [("a".to_string(), true)]);
        assert_eq!(
            shown("it's a ` alone"),
            [("it's a ` alone".to_string(), false)]
        );
        assert_eq!(shown(""), Vec::<(String, bool)>::new());
    }
}
