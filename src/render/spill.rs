//! Text only the site-wide pages read, set aside in a temporary file while `build`
//! renders the packs one at a time, so it holds a few packs' text at once, not the
//! site's: each printed runbook and each pack's part of the search index.

use crate::domain::diag::{Diagnostic, Kind};
use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// A temporary file that text is appended to and read back from; the system removes it
/// when it is closed (it has no name).
pub(crate) struct Spill {
    /// The file and how many bytes it holds.
    file: Mutex<(File, u64)>,
}

impl Spill {
    /// A new, empty file in the system's temporary folder.
    pub(crate) fn new() -> io::Result<Arc<Spill>> {
        Ok(Arc::new(Spill {
            file: Mutex::new((tempfile::tempfile()?, 0)),
        }))
    }

    /// Sets `text` aside; it stays in memory when it cannot be written.
    pub(crate) fn keep(self: &Arc<Self>, text: String) -> Text {
        if text.is_empty() {
            return Text::Here(text);
        }
        let Ok(mut guard) = self.file.lock() else {
            return Text::Here(text);
        };
        let (file, len) = &mut *guard;
        let at = *len;
        let written = file
            .seek(SeekFrom::Start(at))
            .and_then(|_| file.write_all(text.as_bytes()));
        match written {
            Ok(()) => {
                *len += text.len() as u64;
                Text::Spilled {
                    spill: Arc::clone(self),
                    at,
                    len: text.len(),
                }
            }
            // What was written past `len` is written over by the next text.
            Err(_) => Text::Here(text),
        }
    }

    fn read(&self, at: u64, len: usize) -> io::Result<String> {
        let mut guard = self
            .file
            .lock()
            .map_err(|_| io::Error::other("the temporary file's lock is poisoned"))?;
        let file = &mut guard.0;
        file.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Text in memory, or set aside in a [`Spill`].
#[derive(Clone)]
pub(crate) enum Text {
    Here(String),
    Spilled {
        spill: Arc<Spill>,
        at: u64,
        len: usize,
    },
}

impl Text {
    /// The text, read back from its file when it was set aside.
    pub(crate) fn read(&self) -> Result<Cow<'_, str>, Diagnostic> {
        match self {
            Text::Here(text) => Ok(Cow::Borrowed(text)),
            Text::Spilled { spill, at, len } => spill.read(*at, *len).map(Cow::Owned).map_err(|e| {
                let folder = std::env::temp_dir();
                Diagnostic::error(
                    Kind::UnreadableFile,
                    &folder.display().to_string(),
                    1,
                    1,
                    format!(
                        "cannot read back what the build set aside in a temporary file in `{}`: {e}; free some space there (or set TMPDIR to another folder) and build again",
                        folder.display()
                    ),
                )
            }),
        }
    }

    /// The text, set aside in `spill` unless it already is.
    pub(crate) fn spill(&mut self, spill: &Arc<Spill>) {
        if let Text::Here(text) = self {
            *self = spill.keep(std::mem::take(text));
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::Here(String::new())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::Here(text)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Here(text) => text.fmt(f),
            Text::Spilled { at, len, .. } => write!(f, "<{len} bytes set aside at {at}>"),
        }
    }
}

/// Texts are equal when they hold the same text, wherever it is.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        match (self, other) {
            (Text::Here(a), Text::Here(b)) => a == b,
            (
                Text::Spilled { spill, at, len },
                Text::Spilled {
                    spill: s2,
                    at: a2,
                    len: l2,
                },
            ) if Arc::ptr_eq(spill, s2) && at == a2 && len == l2 => true,
            _ => matches!((self.read(), other.read()), (Ok(a), Ok(b)) if a == b),
        }
    }
}

impl Eq for Text {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_set_aside_reads_back_as_it_was() {
        let spill = Spill::new().unwrap();
        let mut texts: Vec<Text> = ["first", "", "second, ünïcode", "third"]
            .iter()
            .map(|t| Text::from(t.to_string()))
            .collect();
        let before = texts.clone();
        for t in &mut texts {
            t.spill(&spill);
        }
        assert!(matches!(texts[0], Text::Spilled { at: 0, len: 5, .. }));
        assert!(matches!(texts[1], Text::Here(_)), "nothing to set aside");
        assert!(matches!(texts[3], Text::Spilled { .. }));
        for (t, b) in texts.iter().zip(&before) {
            assert_eq!(t.read().unwrap(), b.read().unwrap());
            assert_eq!(t, b);
        }
        // Read again, out of order.
        assert_eq!(texts[2].read().unwrap(), "second, ünïcode");
        assert_eq!(texts[0].read().unwrap(), "first");
    }
}
