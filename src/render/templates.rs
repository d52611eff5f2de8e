//! Templates: the theme's Tera templates compiled once, rendering a page by name, and a
//! template error as a diagnostic naming the template file, line and column.

use crate::domain::diag::{Diagnostic, Kind};
use crate::render::theme::Theme;
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
            return Err(vec![template_error(theme, &e)]);
        }
        Ok(Templates {
            tera,
            theme: theme.clone(),
        })
    }

    pub(crate) fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| template_error(&self.theme, &e))
    }
}

fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let name = message
        .split('\'')
        .nth(1)
        .filter(|n| n.ends_with(".html") || n.ends_with(".xml"))
        .map(str::to_string);
    let file = name.map_or_else(|| "templates".to_string(), |n| theme.origin(&n));
    let line = message
        .split("-->")
        .nth(1)
        .and_then(|rest| rest.trim().split(':').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(1);
    Diagnostic::error(
        Kind::Theme,
        &file,
        line,
        1,
        format!(
            "template error: {}; fix the template",
            message.replace('\n', " ")
        ),
    )
}
