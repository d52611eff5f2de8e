//! A template error as a diagnostic: the template file that holds the fault, and the
//! line and column of what Tera's message names (a parse error's position, or the
//! variable, filter, test, function or macro a render failed on).

use crate::domain::diag::{line_col, Diagnostic, Kind};
use crate::render::theme::Theme;

/// `e` as a diagnostic. `used` lists, in order, the templates the render that failed read
/// (the one rendered first); none for an error compiling the templates.
pub(crate) fn diagnostic(theme: &Theme, e: &tera::Error, used: &[&str]) -> Diagnostic {
    let message = chain(e);
    let (name, line, column) = parse_position(&message)
        .or_else(|| render_position(theme, &message, used))
        .unwrap_or_else(|| (quoted_template(&message, "'").unwrap_or_default(), 1, 1));
    let file = if name.is_empty() {
        "templates".to_string()
    } else {
        theme.origin(&name)
    };
    Diagnostic::error(
        Kind::Theme,
        &file,
        line,
        column,
        format!(
            "template error: {}; fix the template",
            message.replace('\n', " ")
        ),
    )
}

/// Tera's message with the messages of its sources after it.
fn chain(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// The first template name (`….html`, `….xml`) in `message` after `after`, up to the
/// closing `'`.
fn quoted_template(message: &str, after: &str) -> Option<String> {
    let mut rest = message;
    while let Some(at) = rest.find(after) {
        rest = rest.get(at + after.len()..)?;
        let name = rest.split('\'').next()?;
        if name.ends_with(".html") || name.ends_with(".xml") {
            return Some(name.to_string());
        }
    }
    None
}

/// A parse error: `Failed to parse 'name'` and ` --> line:column`.
fn parse_position(message: &str) -> Option<(String, usize, usize)> {
    let name = quoted_template(message, "Failed to parse '")?;
    let at = message.split("-->").nth(1)?.split_whitespace().next()?;
    let (line, column) = at.split_once(':')?;
    Some((name, line.parse().ok()?, column.parse().ok()?))
}

/// A render error: the first place, in the template Tera names (`while rendering 'x'`,
/// `error happened in 'x'`) or else in the templates the render read, that holds what
/// the message names.
fn render_position(theme: &Theme, message: &str, used: &[&str]) -> Option<(String, usize, usize)> {
    let named = quoted_template(message, "while rendering '")
        .or_else(|| quoted_template(message, "error happened in '"));
    let Some(culprit) = Culprit::of(message) else {
        return named.map(|n| (n, 1, 1));
    };
    let names = named.as_deref().into_iter().chain(used.iter().copied());
    for name in names {
        let Some((_, source)) = theme.templates.iter().find(|(n, _)| n == name) else {
            continue;
        };
        if let Some(offset) = culprit.find(source) {
            let (line, column) = line_col(source, offset);
            return Some((name.to_string(), line, column));
        }
    }
    // Found nowhere: the template Tera names, at its start.
    named.map(|n| (n, 1, 1))
}

/// What a render failed on, as Tera names it.
#[derive(Debug, PartialEq)]
enum Culprit<'a> {
    /// `{{ name | filter }}`
    Filter(&'a str),
    /// `{% if x is test %}`
    Test(&'a str),
    /// `function(…)`
    Function(&'a str),
    /// A variable (`page.title`), or a macro (`m::name`).
    Name(&'a str),
}

impl<'a> Culprit<'a> {
    fn of(message: &'a str) -> Option<Culprit<'a>> {
        let between = |after: &str, close: char| {
            let start = message.find(after)? + after.len();
            let rest = message.get(start..)?;
            rest.get(..rest.find(close)?).filter(|s| !s.is_empty())
        };
        // Missing (`Filter 'x' not found`) or failing (`Filter call 'x' failed`).
        (between("Filter '", '\'').or_else(|| between("Filter call '", '\'')))
            .map(Culprit::Filter)
            .or_else(|| between("Test '", '\'').map(Culprit::Test))
            .or_else(|| {
                (between("Function '", '\'').or_else(|| between("Function call '", '\'')))
                    .map(Culprit::Function)
            })
            .or_else(|| between("`", '`').map(Culprit::Name))
    }

    /// The byte offset in `source` of the first place this is used as what it is.
    fn find(&self, source: &str) -> Option<usize> {
        let (Culprit::Filter(name)
        | Culprit::Test(name)
        | Culprit::Function(name)
        | Culprit::Name(name)) = *self;
        source.match_indices(name).map(|(i, _)| i).find(|&i| {
            let before = source.get(..i).unwrap_or("");
            let after = source.get(i + name.len()..).unwrap_or("");
            let whole = !before.ends_with(|c: char| is_word(c) || c == '.' || c == ':')
                && !after.starts_with(is_word);
            let lead = before.trim_end();
            whole
                && match self {
                    Culprit::Filter(_) => lead.ends_with('|'),
                    Culprit::Test(_) => {
                        let lead = ends_with_word(lead, "not").map_or(lead, str::trim_end);
                        ends_with_word(lead, "is").is_some()
                    }
                    Culprit::Function(_) => after.trim_start().starts_with('('),
                    Culprit::Name(_) => true,
                }
        })
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `text` without `word` at its end, if it ends with that whole word.
fn ends_with_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    text.strip_suffix(word)
        .filter(|rest| !rest.ends_with(is_word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        Theme {
            templates: templates
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            origins: templates
                .iter()
                .map(|(n, _)| (n.to_string(), format!("templates/{n}")))
                .collect(),
            statics: Vec::new(),
        }
    }

    /// The diagnostic for rendering `top` of `templates`, with the default of Tera's
    /// errors, as [`super::super::templates::Templates`] makes it.
    fn render_error(templates: &[(&str, &str)], top: &str) -> Diagnostic {
        let theme = theme(templates);
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.iter().copied())
            .expect("the templates compile");
        let e = tera
            .render(top, &tera::Context::new())
            .expect_err("the render fails");
        let used: Vec<&str> = templates.iter().map(|(n, _)| *n).collect();
        diagnostic(&theme, &e, &used)
    }

    fn place(d: &Diagnostic) -> (String, usize, usize) {
        (d.file.clone(), d.line, d.column)
    }

    #[test]
    fn a_missing_variable_is_found_in_the_partial_tera_names() {
        let d = render_error(
            &[
                ("page.html", "<main>\n{% include \"foot.html\" %}</main>"),
                (
                    "foot.html",
                    "<footer>\n  <p>{{ page.nothing }}</p></footer>",
                ),
            ],
            "page.html",
        );
        assert_eq!(place(&d), ("templates/foot.html".into(), 2, 9));
        assert!(
            d.message.contains("Variable `page.nothing`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_missing_filter_test_and_function_are_found_where_they_are_used() {
        // Tera names no template for these: the templates read are searched in order,
        // and a name used otherwise (`upper_case` as a variable) is passed over.
        let used = [
            ("page.html", "{% extends \"base.html\" %}"),
            (
                "base.html",
                "{% set upper_case = 1 %}<h1>\n{{ \"x\" | upper_case }}{% if x is not odd_one %}{% endif %}\n{{ nowhere_fn() }}",
            ),
        ];
        let d = render_error(&used, "page.html");
        assert_eq!(
            place(&d),
            ("templates/base.html".into(), 2, 10),
            "{}",
            d.message
        );

        let d = render_error(
            &[(
                "t.html",
                "{% if 1 %}\n\n  {% if x is\n not odd_one %}{% endif %}{% endif %}",
            )],
            "t.html",
        );
        assert_eq!(
            place(&d),
            ("templates/t.html".into(), 4, 6),
            "{}",
            d.message
        );

        let d = render_error(&[("t.html", "{{ 1 }}\n   {{ nowhere_fn ( ) }}")], "t.html");
        assert_eq!(
            place(&d),
            ("templates/t.html".into(), 2, 7),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_filter_that_fails_is_found_and_an_error_naming_nothing_is_at_its_template() {
        let d = render_error(
            &[
                ("page.html", "{% include \"part.html\" %}"),
                ("part.html", "<p>A round\n  {{ \"soon\" | round }}</p>"),
            ],
            "page.html",
        );
        assert!(
            d.message.contains("Filter call 'round' failed"),
            "{}",
            d.message
        );
        assert_eq!(
            place(&d),
            ("templates/part.html".into(), 2, 15),
            "{}",
            d.message
        );

        let theme = theme(&[("t.html", "x"), ("base.html", "y")]);
        let e = tera::Error::msg(
            "Failed to render 't.html' (error happened in 'base.html'): something odd",
        );
        let d = diagnostic(&theme, &e, &["t.html", "base.html"]);
        assert_eq!(place(&d), ("templates/base.html".into(), 1, 1));
    }

    #[test]
    fn a_missing_macro_is_found() {
        let d = render_error(
            &[
                (
                    "t.html",
                    "{% import \"m.html\" as m %}\n\n x {{ m::gone() }}",
                ),
                ("m.html", "{% macro here() %}{% endmacro %}"),
            ],
            "t.html",
        );
        assert_eq!(
            place(&d),
            ("templates/t.html".into(), 3, 7),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_longer_name_sharing_a_start_is_not_the_one() {
        let d = render_error(
            &[("t.html", "{{ page.nothing_else | default(value=1) }}{{ my_page.nothing | default(value=1) }}\n{{ page.nothing }}")],
            "t.html",
        );
        assert_eq!(
            place(&d),
            ("templates/t.html".into(), 2, 4),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_parse_error_names_its_line_and_column() {
        let templates = [("t.html", "<p>\n  {{ x }\n</p>")];
        let mut tera = tera::Tera::default();
        let e = tera
            .add_raw_templates(templates)
            .expect_err("the template does not compile");
        let d = diagnostic(&theme(&templates), &e, &[]);
        assert_eq!(
            place(&d),
            ("templates/t.html".into(), 2, 8),
            "{}",
            d.message
        );
        assert!(d
            .message
            .starts_with("template error: Failed to parse 't.html'"));
    }

    #[test]
    fn an_error_found_nowhere_names_the_template_at_its_start() {
        let theme = theme(&[("t.html", "x")]);
        let e = tera::Error::msg("Failed to render 't.html': something odd");
        let d = diagnostic(&theme, &e, &["t.html"]);
        assert_eq!(place(&d), ("templates/t.html".into(), 1, 1));
        let e = tera::Error::msg("no template named at all");
        assert_eq!(diagnostic(&theme, &e, &[]).file, "templates");
    }
}
