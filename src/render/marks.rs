//! Pages of a part per pack (the printable page of every runbook, the dashboard's table,
//! the list of runbooks): rendered with a mark in place of each part, then put with each
//! part made and written into its place in turn, so such a page of a thousand packs is
//! never whole in memory.

use super::templates::Templates;
use crate::domain::diag::Diagnostic;
use serde::ser::{Serialize, SerializeSeq, Serializer};
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

/// A list page whose rows each render with a template of their own (the dashboard's
/// table, the list of runbooks): the page is rendered with a mark for each row, and each
/// row rendered into its place as the page is put, one row's template data at a time. A
/// page template that does more with a row than print its `html` (it fails on the marks
/// or leaves them out) is rendered again with every row whole, `html` beside its fields.
pub(crate) struct Listed<'a, T> {
    pub templates: &'a Templates,
    /// The page's template, and the start of the mark that stands for a row in it.
    pub page: &'a str,
    pub mark: &'static str,
    /// The row's template, the name it knows the row by, and what else it receives.
    pub row: &'a str,
    pub row_name: &'a str,
    pub row_ctx: tera::Context,
    pub rows: &'a [T],
}

/// The rows as a list page's template receives them, by [`Listed::put`].
pub(crate) enum Rows<'r, T> {
    /// Each row's mark, as its `html`.
    Marks(&'r Marks),
    /// Each row whole, with its `html`.
    Whole(&'r [(&'r T, String)]),
}

impl<T: Serialize> Serialize for Rows<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Html<'h> {
            html: &'h str,
        }
        #[derive(serde::Serialize)]
        struct Whole<'w, T> {
            #[serde(flatten)]
            row: &'w T,
            html: &'w str,
        }
        match self {
            Rows::Marks(marks) => {
                let mut seq = serializer.serialize_seq(Some(marks.marks.len()))?;
                for html in marks.iter() {
                    seq.serialize_element(&Html { html })?;
                }
                seq.end()
            }
            Rows::Whole(rows) => {
                let mut seq = serializer.serialize_seq(Some(rows.len()))?;
                for (row, html) in rows.iter() {
                    seq.serialize_element(&Whole { row, html })?;
                }
                seq.end()
            }
        }
    }
}

/// Where a list page goes: in pieces as they come, or whole.
pub(crate) trait PutPage {
    fn pieces(&self, pieces: &mut dyn Iterator<Item = Cow<'_, [u8]>>);
    fn whole(&self, page: &[u8]);
}

impl<T: Serialize> Listed<'_, T> {
    /// Renders the page with `ctx` and the rows set in it by `set_rows`, and puts it.
    pub(crate) fn put(
        &self,
        mut ctx: tera::Context,
        set_rows: impl Fn(&mut tera::Context, &Rows<T>),
        put: &dyn PutPage,
    ) -> Result<(), Diagnostic> {
        let row = |r: &T| {
            let mut ctx = self.row_ctx.clone();
            ctx.insert(self.row_name, r);
            self.templates.render(self.row, &ctx)
        };
        let marks = Marks::new(self.mark, self.rows.len());
        set_rows(&mut ctx, &Rows::Marks(&marks));
        let page = self.templates.render(self.page, &ctx);
        if let Some(gaps) = page.as_deref().ok().and_then(|page| marks.split(page)) {
            let part = |i: usize| self.rows.get(i).map_or(Ok(String::new()), row);
            return put_between(&gaps, |i| part(i).map(Cow::Owned), |p| put.pieces(p));
        }
        drop(page);
        let whole = (self.rows.iter())
            .map(|r| row(r).map(|html| (r, html)))
            .collect::<Result<Vec<_>, _>>()?;
        set_rows(&mut ctx, &Rows::Whole(&whole));
        let page = self.templates.render(self.page, &ctx)?;
        put.whole(page.as_bytes());
        Ok(())
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
