//! Pages of a part per pack (the printable page of every runbook, the dashboard's table):
//! rendered with a mark in place of each part, then put with each part made and written
//! into its place in turn, so such a page of a thousand packs is never whole in memory.

use std::borrow::Cow;

/// The marks standing for a page's parts while it is rendered: HTML comments, which a
/// template prints as they are only when it prints the part as it is (`| safe`), since an
/// escaped one reads `&lt;!--`.
pub(crate) struct Marks {
    prefix: &'static str,
    marks: Vec<String>,
}

impl Marks {
    /// `count` marks, each `prefix` (an unfinished comment: `<!--rollbook-row-`) with
    /// its number and the comment's end.
    pub(crate) fn new(prefix: &'static str, count: usize) -> Marks {
        let marks = (0..count).map(|i| format!("{prefix}{i}-->")).collect();
        Marks { prefix, marks }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.marks.iter().map(String::as_str)
    }

    /// The text of `page` around each mark, when each is in it once, in order, and
    /// nothing else looks like one.
    pub(crate) fn split<'p>(&self, page: &'p str) -> Option<Vec<&'p str>> {
        if page.matches(self.prefix).count() != self.marks.len() {
            return None;
        }
        let mut gaps = Vec::with_capacity(self.marks.len() + 1);
        let mut rest = page;
        for mark in &self.marks {
            let (gap, after) = rest.split_once(mark.as_str())?;
            gaps.push(gap);
            rest = after;
        }
        gaps.push(rest);
        Some(gaps)
    }
}

/// Hands `put` the page of `gaps` with part `i` between gap `i` and the next, each part
/// made by `part` only when `put` comes to it. The first part that cannot be made ends the
/// page there, and is the error returned.
pub(crate) fn put_between<'g, E>(
    gaps: &[&'g str],
    mut part: impl FnMut(usize) -> Result<Cow<'g, str>, E>,
    put: impl FnOnce(&mut dyn Iterator<Item = Cow<'g, [u8]>>),
) -> Result<(), E> {
    let mut failed = None;
    let mut pieces = (gaps.iter().enumerate())
        .flat_map(|(i, gap)| {
            // The part before each gap but the first.
            let before = i.checked_sub(1).map(Some);
            before.into_iter().chain([None]).map(move |p| (p, *gap))
        })
        .map_while(|(p, gap)| match p {
            None => Some(Cow::Borrowed(gap.as_bytes())),
            Some(i) => match part(i) {
                Ok(text) => Some(bytes(text)),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            },
        });
    put(&mut pieces);
    drop(pieces);
    failed.map_or(Ok(()), Err)
}

fn bytes(text: Cow<'_, str>) -> Cow<'_, [u8]> {
    match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.as_bytes()),
        Cow::Owned(t) => Cow::Owned(t.into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(page: &str, parts: &[&str]) -> Result<String, usize> {
        let marks = Marks::new("<!--m-", parts.len());
        let gaps = marks.split(page).ok_or(usize::MAX)?;
        let mut out = Vec::new();
        put_between(
            &gaps,
            |i| match parts.get(i) {
                Some(&"bad") | None => Err(i),
                Some(p) => Ok(Cow::Owned(p.to_string())),
            },
            |pieces| pieces.for_each(|p| out.extend_from_slice(&p)),
        )?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn each_part_goes_in_its_marks_place() {
        let page = "<ol><!--m-0--><!--m-1--></ol>";
        assert_eq!(
            joined(page, &["<li>a</li>", "<li>b</li>"]).as_deref(),
            Ok("<ol><li>a</li><li>b</li></ol>")
        );
        assert_eq!(joined("no parts", &[]).as_deref(), Ok("no parts"));
    }

    #[test]
    fn a_page_without_each_mark_once_in_order_is_not_split() {
        for page in [
            "<!--m-1--><!--m-0-->",
            "<!--m-0-->",
            "<!--m-0--><!--m-0--><!--m-1-->",
            "<!--m-0--><!--m-1--><!--m-x",
            "&lt;!--m-0--&gt;&lt;!--m-1--&gt;",
        ] {
            assert_eq!(joined(page, &["a", "b"]), Err(usize::MAX), "{page}");
        }
    }

    #[test]
    fn a_part_that_fails_ends_the_page_and_is_the_error() {
        let marks = Marks::new("<!--m-", 3);
        let page = "[<!--m-0-->|<!--m-1-->|<!--m-2-->]";
        let gaps = marks.split(page).unwrap_or_default();
        let mut out = String::new();
        let mut made = Vec::new();
        let result = put_between(
            &gaps,
            |i| {
                made.push(i);
                if i == 1 {
                    Err("row 1")
                } else {
                    Ok(Cow::Borrowed("x"))
                }
            },
            |pieces| pieces.for_each(|p| out.push_str(&String::from_utf8_lossy(&p))),
        );
        assert_eq!(result, Err("row 1"));
        assert_eq!(out, "[x|");
        assert_eq!(made, [0, 1], "no part is made after the one that failed");
    }
}
