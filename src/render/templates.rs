//! Templates: the theme's Tera templates compiled once, rendering a page by name, and
//! which templates each one uses.

use crate::domain::diag::Diagnostic;
use crate::render::template_errors;
use crate::render::theme::Theme;
use std::collections::BTreeSet;
use tera::ast::Node;
use tera::Tera;

/// The Tera templates of a theme, ready to render.
pub(crate) struct Templates {
    tera: Tera,
    pub(crate) theme: Theme,
}

impl Templates {
    /// Compiles every template; a broken one is an error naming its file.
    pub(crate) fn new(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        // Tera's default also escapes `/`, which bloats every URL; quotes and angle
        // brackets are what matter in text and double-quoted attributes.
        tera.set_escape_fn(crate::render::highlight::escape);
        if let Err(e) = tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        ) {
            return Err(vec![template_errors::diagnostic(theme, &e, &[])]);
        }
        Ok(Templates {
            tera,
            theme: theme.clone(),
        })
    }

    pub(crate) fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| {
            // Where the fault is: in `name` or in a template it reads.
            let uses = self.uses(name);
            let used: Vec<&str> = std::iter::once(name)
                .chain(uses.iter().map(String::as_str).filter(|n| *n != name))
                .collect();
            template_errors::diagnostic(&self.theme, &e, &used)
        })
    }

    /// The templates rendering `name` reads: itself, the templates it extends, includes
    /// (in blocks, loops and macros too) and imports macros from, and theirs in turn.
    /// Names that are not templates are kept: one added later is a change.
    pub(crate) fn uses(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(next) = todo.pop() {
            if !seen.insert(next.clone()) {
                continue;
            }
            if let Ok(t) = self.tera.get_template(&next) {
                let mut named = Vec::new();
                named_in(&t.ast, &mut named);
                todo.extend(named.into_iter().filter(|n| !seen.contains(n)));
            }
        }
        seen
    }

    /// Whether a page rendered with `name` by `old` may come out otherwise now: a template
    /// it uses parses differently, or was added or removed.
    pub(crate) fn changed_since(&self, old: &Templates, name: &str) -> bool {
        self.uses(name).iter().any(|t| {
            match (self.tera.get_template(t), old.tera.get_template(t)) {
                (Ok(new), Ok(was)) => new.ast != was.ast,
                (Err(_), Err(_)) => false,
                _ => true,
            }
        })
    }
}

/// Every template a parsed template names: `extends`, `include` (each choice of a list)
/// and `import`, however deep in blocks, loops, conditions, filter sections and macros.
fn named_in(nodes: &[Node], out: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Extends(_, name) | Node::ImportMacro(_, name, _) => out.push(name.clone()),
            Node::Include(_, names, _) => out.extend(names.iter().cloned()),
            Node::MacroDefinition(_, m, _) => named_in(&m.body, out),
            Node::Block(_, b, _) => named_in(&b.body, out),
            Node::FilterSection(_, f, _) => named_in(&f.body, out),
            Node::Forloop(_, f, _) => {
                named_in(&f.body, out);
                named_in(f.empty_body.as_deref().unwrap_or_default(), out);
            }
            Node::If(i, _) => {
                for (_, _, body) in &i.conditions {
                    named_in(body, out);
                }
                if let Some((_, body)) = &i.otherwise {
                    named_in(body, out);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::VariableBlock(..)
            | Node::Set(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::default_theme;

    fn with(changes: &[(&str, &str)]) -> Templates {
        let mut theme = default_theme();
        for (name, source) in changes {
            theme.templates.retain(|(n, _)| n != name);
            theme.templates.push((name.to_string(), source.to_string()));
        }
        Templates::new(&theme).expect("the templates compile")
    }

    #[test]
    fn uses_follows_extends_includes_imports_and_includes_in_macros() {
        let t = with(&[]);
        let uses = t.uses("section.html");
        for name in [
            "section.html",
            "base.html",
            "macros.html",
            "partials/eval_results.html",
            "partials/pack_nav.html",
            "partials/footer.html",
            // Included by macros of macros.html, and by a template a macro includes.
            "partials/person.html",
            "partials/missing.html",
        ] {
            assert!(uses.contains(name), "section.html uses {name}: {uses:?}");
        }
        assert!(!uses.contains("partials/runbook_body.html"));
        assert!(!uses.contains("partials/eval_gate.html"));
        let not_found: Vec<String> = t.uses("404.html").into_iter().collect();
        assert_eq!(
            not_found,
            [
                "404.html",
                "base.html",
                "partials/footer.html",
                "partials/pack_bar.html",
                "partials/pack_nav.html",
                "partials/toc.html"
            ]
        );
    }

    #[test]
    fn uses_finds_names_deep_in_blocks_loops_conditions_and_filters() {
        let t = with(&[
            (
                "deep.html",
                "{% extends \"base.html\" %}{% import \"m.html\" as m %}{% block main %}{% for x in xs %}{% else %}{% if a %}{% elif b %}{% else %}{% filter upper %}{% include [\"gone.html\", \"a.html\"] ignore missing %}{% endfilter %}{% endif %}{% endfor %}{% endblock main %}",
            ),
            ("m.html", "{% macro f() %}{% include \"b.html\" %}{% endmacro %}"),
            ("a.html", "a"),
            ("b.html", "b"),
        ]);
        let uses = t.uses("deep.html");
        for name in ["base.html", "m.html", "a.html", "b.html", "gone.html"] {
            assert!(uses.contains(name), "deep.html uses {name}: {uses:?}");
        }
    }

    #[test]
    fn changed_since_names_the_pages_a_change_reaches() {
        let old = with(&[]);
        let same = with(&[]);
        assert!(!same.changed_since(&old, "section.html"));
        let missing = with(&[(
            "partials/missing.html",
            "<span class=\"missing\">changed</span>",
        )]);
        assert!(missing.changed_since(&old, "section.html"));
        assert!(missing.changed_since(&old, "runbook.html"));
        assert!(!missing.changed_since(&old, "404.html"));
        let base = with(&[(
            "base.html",
            &old_source("base.html").replace("<main", "<main data-x=\"1\""),
        )]);
        for page in ["404.html", "section.html", "dashboard.html", "page.html"] {
            assert!(base.changed_since(&old, page), "{page}");
        }
        // A template added under a name a page includes is a change of that page.
        let gate = old_source("checklist.html").replace(
            "{% include \"partials/eval_gate.html\" %}",
            "{% include \"partials/eval_gate.html\" %}{% include \"partials/extra.html\" ignore missing %}",
        );
        let before = with(&[("checklist.html", &gate)]);
        let after = with(&[("checklist.html", &gate), ("partials/extra.html", "x")]);
        assert!(after.changed_since(&before, "checklist.html"));
        assert!(!after.changed_since(&before, "section.html"));
    }

    fn old_source(name: &str) -> String {
        default_theme()
            .templates
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
            .expect("a default template")
    }

    /// The engine's look-ups of names (vendor/README.md): one key, a path, quoted and
    /// bracketed keys, keys escaped as in a JSON pointer, a loop's value and an index.
    #[test]
    fn names_are_looked_up_as_tera_documents() {
        let data = serde_json::json!({
            "page": {"title": "T", "kind": "section", "a/b": "slash", "c~d": "tilde",
                     "sub": {"deep": "D"}, "list": ["zero", "one"], "odd.key": "dot"},
            "fields": [{"label": "L1"}, {"label": "L2"}],
            "which": "title",
        });
        let ctx = tera::Context::from_value(data).expect("an object");
        let source = concat!(
            "{{ page.title }}|{{ page.sub.deep }}|{{ page['a/b'] }}|{{ page[\"c~d\"] }}|",
            "{{ page[\"a~1b\"] }}|{{ page['c~0d'] }}|{{ page.list.1 }}|{{ page.list[0] }}|",
            "{{ page[which] }}|{{ page[\"odd.key\"] }}|",
            "{% for f in fields %}{{ f.label }}{{ loop.index }}{% endfor %}|",
            "{% set p = page %}{{ p.kind }}{{ p.sub.deep }}",
        );
        let out = tera::Tera::one_off(source, &ctx, false).expect("renders");
        assert_eq!(
            out,
            "T|D|slash|tilde|slash|tilde|one|zero|T|dot|L11L22|sectionD"
        );
        let missing = tera::Tera::one_off("{{ page.nothing }}", &ctx, false);
        assert!(missing.is_err(), "{missing:?}");
    }

    /// Comparisons and tests of a name read what the context holds, not its escaped text,
    /// while what is printed is escaped; numbers print as Rust prints them; a macro's
    /// output is printed as it is.
    #[test]
    fn comparisons_see_the_value_and_printing_escapes_it() {
        let data = serde_json::json!({"s": "a&b<c", "e": "", "n": 2, "z": 0, "neg": -40,
            "max": u64::MAX, "min": i64::MIN, "f": 1.5});
        let ctx = tera::Context::from_value(data).expect("an object");
        let source = concat!(
            "{% if s == \"a&b<c\" %}eq{% endif %}|{% if s != \"a&amp;b&lt;c\" %}ne{% endif %}|",
            "{% if s %}full{% endif %}{% if e %}nonempty{% else %}empty{% endif %}|",
            "{% if n == 2 %}two{% endif %}|{{ s }}|{{ n }} {{ z }} {{ neg }} {{ max }} {{ min }} {{ f }}|",
            "{% macro m(x) %}<i>{{ x }}</i>{% endmacro %}{{ self::m(x=s) }}|",
            "{{ self::m(x=e) | length }}",
        );
        let out = tera::Tera::one_off(source, &ctx, true).expect("renders");
        assert_eq!(
            out,
            "eq|ne|fullempty|two|a&amp;b&lt;c|2 0 -40 18446744073709551615 -9223372036854775808 1.5|<i>a&amp;b&lt;c</i>|7"
        );
    }
}
