//! Diagnostics: errors and warnings that name a file, line and column, and how to print them.

use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What kind of problem a diagnostic is: one per rule of `check::rules`, so a finding
/// keeps its rule id however its message is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    UnreadableFile,
    TomlSyntax,
    UnknownKey,
    WrongType,
    OneAccountablePerson,
    PhaseStatus,
    PackLayout,
    MissingEvalFile,
    EvalData,
    BrokenLink,
    Theme,
    SiteConfig,
    MinCompleteness,
    Secret,
    SmallEvalSet,
    GateFailing,
    StaleReview,
    EntryBarUnmet,
    SiteTitle,
    /// Any other error.
    ContentError,
    /// Any other warning.
    ContentWarning,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 21] = [
        Kind::UnreadableFile,
        Kind::TomlSyntax,
        Kind::UnknownKey,
        Kind::WrongType,
        Kind::OneAccountablePerson,
        Kind::PhaseStatus,
        Kind::PackLayout,
        Kind::MissingEvalFile,
        Kind::EvalData,
        Kind::BrokenLink,
        Kind::Theme,
        Kind::SiteConfig,
        Kind::MinCompleteness,
        Kind::Secret,
        Kind::SmallEvalSet,
        Kind::GateFailing,
        Kind::StaleReview,
        Kind::EntryBarUnmet,
        Kind::SiteTitle,
        Kind::ContentError,
        Kind::ContentWarning,
    ];
}

/// One problem found in the site, located in a file relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is; not part of the JSON output.
    #[serde(skip)]
    pub kind: Kind,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending source line, shown under the message in text output.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(
        kind: Kind,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            source_line: None,
        }
    }

    pub fn warning(
        kind: Kind,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(kind, file, line, column, message)
        }
    }

    /// Attach the source line the diagnostic points at, from an index of the file's text:
    /// for files with many diagnostics, where [`Diagnostic::with_source`] would rescan it.
    pub fn with_source_from(mut self, lines: &LineIndex) -> Self {
        self.source_line = lines.line(self.line).map(str::to_string);
        self
    }

    /// Attach the source line the diagnostic points at, taken from the file's text.
    pub fn with_source(mut self, text: &str) -> Self {
        self.source_line = text
            .lines()
            .nth(self.line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Human-readable form, rustc style, with the source line and a caret.
    pub fn to_text(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{kind}: {}:{}:{}: {}\n",
            self.file, self.line, self.column, self.message
        );
        if let Some(full) = &self.source_line {
            // Long lines are cut to a window around the column.
            let skip = self.column.saturating_sub(60);
            let src: String = full.chars().skip(skip).take(120).collect();
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let caret_pad: String = src
                .chars()
                .take(self.column.saturating_sub(1 + skip))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {src}");
            let _ = writeln!(out, "{pad} | {caret_pad}^");
        }
        out
    }

    /// GitHub Actions workflow command, shown as an annotation on the pull request.
    pub fn to_github(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "::{kind} file={},line={},col={}::{}",
            escape_gh_property(&self.file),
            self.line,
            self.column,
            escape_gh_data(&self.message)
        )
    }
}

fn escape_gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_gh_property(s: &str) -> String {
    escape_gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// 1-based line and column (in chars) of a byte offset in `text`.
/// Offsets past the end or inside a char are clamped, never a panic.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Bytes per block of [`LineIndex`]'s running count of UTF-8 continuation bytes.
const BLOCK: usize = 64;

/// Lines and columns of many offsets in one text, each found without rescanning the text
/// from its start: a file with n links, tasks or TOML values costs n steps, not n².
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// UTF-8 continuation bytes before each `BLOCK`-byte block, to count chars quickly;
    /// empty when the text is ASCII (most files), which has none.
    continuations: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(after_newlines(text));
        let mut continuations = Vec::new();
        if !text.is_ascii() {
            continuations.reserve(bytes.len() / BLOCK + 1);
            let mut count = 0;
            for block in bytes.chunks(BLOCK) {
                continuations.push(count);
                count += block.iter().filter(|&&b| is_continuation(b)).count();
            }
        }
        LineIndex {
            text,
            starts,
            continuations,
        }
    }

    /// What [`line_col`] gives for the same text and offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let chars = (offset - start)
            - (self.continuations_before(offset) - self.continuations_before(start));
        (line, chars + 1)
    }

    /// The text of 1-based line `n` without its line ending, as `str::lines` numbers them.
    pub fn line(&self, n: usize) -> Option<&'a str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        if start >= self.text.len() {
            return None;
        }
        let end = self.starts.get(n).copied().unwrap_or(self.text.len());
        let line = self.text.get(start..end)?;
        Some(
            line.strip_suffix('\n')
                .unwrap_or(line)
                .trim_end_matches('\r'),
        )
    }

    fn continuations_before(&self, offset: usize) -> usize {
        if self.continuations.is_empty() {
            return 0;
        }
        let block = offset / BLOCK;
        let before = self.continuations.get(block).copied().unwrap_or(0);
        let partial = self
            .text
            .as_bytes()
            .get(block * BLOCK..offset)
            .unwrap_or_default();
        before + partial.iter().filter(|&&b| is_continuation(b)).count()
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0b1100_0000 == 0b1000_0000
}

/// The offsets just after each `\n` (found by `memchr`, as `str` searches for a char).
fn after_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices('\n').map(|(i, _)| i + 1)
}

/// Sorts diagnostics by file, then position, errors before warnings at one spot.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
}

/// Suggests the nearest of `candidates` to a mistyped `key`, if one is close.
pub(crate) fn nearest<'a>(
    key: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(key, c), c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" or the list of valid keys when none is close.
pub(crate) fn unknown_key_message(key: &str, what: &str, candidates: &[&str]) -> String {
    match nearest(key, candidates.iter().copied()) {
        Some(near) => format!("unknown key `{key}` in {what}; did you mean `{near}`?"),
        None => format!(
            "unknown key `{key}` in {what}; valid keys are {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_and_clamps() {
        let text = "ab\ncé d\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'd' is after 'c', 'é' (2 bytes) and ' '.
        assert_eq!(line_col(text, 7), (2, 4));
        assert_eq!(line_col(text, 5), (2, 2)); // inside 'é': clamped back
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let long = format!("{}é\n", "ab€".repeat(100));
        // ASCII, which keeps no counts of continuation bytes, over several blocks.
        let long_ascii = "key = \"value\"\n\n".repeat(20);
        for text in [
            "",
            "\n",
            "ab\ncé d\n",
            "a\r\nb\r\n\r\nlast",
            "x\n\n\ny",
            long.as_str(),
            long_ascii.as_str(),
            "日本語\n見出し\n",
        ] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
            for n in 0..=text.lines().count() + 2 {
                let want = n
                    .checked_sub(1)
                    .and_then(|i| text.lines().nth(i))
                    .map(|l| l.trim_end_matches('\r'));
                assert_eq!(index.line(n), want, "{text:?} line {n}");
            }
        }
    }

    #[test]
    fn nearest_key_suggestion() {
        assert_eq!(nearest("sorces", ["sources", "audit_log"]), Some("sources"));
        assert_eq!(nearest("zzz", ["sources", "audit_log"]), None);
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::error(
            Kind::ContentError,
            "content/a,b.md",
            3,
            2,
            "bad: 100%\nnext",
        );
        assert_eq!(
            d.to_github(),
            "::error file=content/a%2Cb.md,line=3,col=2::bad: 100%25%0Anext"
        );
    }

    #[test]
    fn long_source_lines_are_windowed() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let d = Diagnostic::error(Kind::ContentError, "f.md", 1, 501, "here").with_source(&line);
        let text = d.to_text();
        let shown = text.lines().nth(2).unwrap();
        let caret = text.lines().nth(3).unwrap();
        assert!(shown.len() < 140, "{shown}");
        assert_eq!(shown.find('X'), caret.find('^'));
    }

    #[test]
    fn text_format_shows_source_and_caret() {
        let d = Diagnostic::error(Kind::ContentError, "f.md", 2, 3, "oops").with_source("a\nxyz\n");
        assert_eq!(
            d.to_text(),
            "error: f.md:2:3: oops\n  |\n2 | xyz\n  |   ^\n"
        );
    }
}
