//! Reading files: bytes, or UTF-8 text without its byte-order mark, each failure a
//! diagnostic naming the file; and file paths as messages show them.

use crate::domain::diag::{line_col, Diagnostic, Kind};
use std::fs;
use std::path::Path;

/// The byte-order mark some editors put at the start of a UTF-8 file.
const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// `path` relative to `root`, with `/` separators, for messages.
pub fn rel(root: &Path, path: &Path) -> String {
    let p = path.strip_prefix(root).unwrap_or(path);
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file as UTF-8 text without its BOM; an unreadable or non-UTF-8 file is an error.
pub fn read_text(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let file = rel(root, path);
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                Kind::UnreadableFile,
                &file,
                1,
                1,
                format!("cannot read the file: {e}; check that it exists and is readable"),
            ));
            return None;
        }
    };
    text_of(&file, bytes, diags)
}

/// Reads a file of `content/` or `static/`; one that cannot be read is a warning
/// naming it and the reason, and is skipped.
pub fn read_bytes(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<Vec<u8>> {
    match fs::read(path) {
        Ok(b) => Some(b),
        Err(e) => {
            diags.push(Diagnostic::warning(
                Kind::ContentWarning,
                &rel(root, path),
                1,
                1,
                format!("cannot read it: {e}; rollbook skips it, so check that it is readable"),
            ));
            None
        }
    }
}

pub fn text_of(file: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(match s.strip_prefix(BOM) {
            Some(rest) => rest.to_string(),
            None => s,
        }),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
            let (line, col) = line_col(&prefix, prefix.len());
            diags.push(
                Diagnostic::error(
                    Kind::UnreadableFile,
                    file,
                    line,
                    col,
                    format!("the file is not valid UTF-8 (bad byte at offset {valid}); save it as UTF-8"),
                )
                .with_source(&prefix),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_position() {
        let mut d = Vec::new();
        assert!(text_of("f.md", b"ok\nab\xffc".to_vec(), &mut d).is_none());
        assert_eq!((d[0].line, d[0].column), (2, 3));
    }

    #[test]
    fn strips_one_bom() {
        assert_eq!(strip_bom("\u{feff}+++"), "+++");
        assert_eq!(strip_bom("+++"), "+++");
        assert_eq!(strip_bom("\u{feff}\u{feff}x"), "\u{feff}x");
    }
}
