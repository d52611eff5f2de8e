//! Splits a content file into its TOML front-matter and its Markdown body.

/// A content file cut in two. Offsets are byte offsets into the text given to [`split`].
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines, and where it starts in the file.
    pub toml: Option<(&'a str, usize)>,
    pub body: &'a str,
    pub body_offset: usize,
}

/// An opening `+++` without its closing line.
#[derive(Debug, PartialEq, Eq)]
pub struct Unterminated;

fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Front-matter is TOML between a `+++` first line and the next `+++` line.
/// A file without an opening `+++` has no front-matter and is all body.
pub fn split(text: &str) -> Result<Split<'_>, Unterminated> {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(Split {
            toml: None,
            body: text,
            body_offset: 0,
        });
    };
    if !is_fence(first) {
        return Ok(Split {
            toml: None,
            body: text,
            body_offset: 0,
        });
    }
    let toml_start = first.len();
    let mut pos = toml_start;
    for line in lines {
        if is_fence(line) {
            let body_offset = pos + line.len();
            return Ok(Split {
                toml: Some((&text[toml_start..pos], toml_start)),
                body: &text[body_offset..],
                body_offset,
            });
        }
        pos += line.len();
    }
    Err(Unterminated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let s = split("+++\na = 1\n+++\nbody\n").unwrap();
        assert_eq!(s.toml, Some(("a = 1\n", 4)));
        assert_eq!(s.body, "body\n");
        let s = split("+++\r\na = 1\r\n+++\r\nbody").unwrap();
        assert_eq!(s.toml, Some(("a = 1\r\n", 5)));
        assert_eq!(s.body, "body");
        assert_eq!(s.body_offset, 17);
    }

    #[test]
    fn no_front_matter_and_empty() {
        assert_eq!(split("# hi\n").unwrap().toml, None);
        assert_eq!(split("").unwrap().body, "");
        let s = split("+++\n+++").unwrap();
        assert_eq!(s.toml, Some(("", 4)));
    }

    #[test]
    fn unterminated() {
        assert_eq!(split("+++\na = 1\n"), Err(Unterminated));
        assert_eq!(split("+++"), Err(Unterminated));
    }
}
