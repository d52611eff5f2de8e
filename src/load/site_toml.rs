//! Reads and checks `site.toml` into the site's [`Config`].

use crate::domain::config::{Config, FILE};
use crate::domain::diag::{unknown_key_message, Diagnostic, Kind};
use crate::load::toml_values::{type_name, Source};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

const TOP_KEYS: [&str; 8] = [
    "title",
    "base_url",
    "theme",
    "description",
    "edit_url",
    "cname",
    "rhythm",
    "highlight",
];

/// Parses `site.toml`; errors go to `diags` and leave defaults in place.
pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Config {
    let mut cfg = Config::default();
    let src = Source::new(FILE, text, 0);
    let table = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            diags.push(src.diag(
                Kind::TomlSyntax,
                &span,
                format!(
                    "invalid TOML: {}; fix the syntax",
                    e.message().trim().replace('\n', " ")
                ),
            ));
            return cfg;
        }
    };
    let mut saw_title = false;
    for (key, value) in table.get_ref().iter() {
        let name = key.get_ref().as_ref();
        match name {
            "title" => {
                saw_title = true;
                if let Some(s) = string(&src, name, value, diags) {
                    cfg.title = s;
                }
            }
            "base_url" => {
                if let Some(s) = string(&src, name, value, diags) {
                    if let Err(msg) = cfg.set_base_url(&s) {
                        diags.push(src.diag(Kind::SiteConfig, &value.span(), msg));
                    }
                }
            }
            "theme" => {
                if let Some(s) = theme(&src, value, diags) {
                    cfg.theme = s;
                    cfg.theme_at = src.pos(&value.span());
                }
            }
            "description" => cfg.description = string(&src, name, value, diags),
            "edit_url" => cfg.edit_url = string(&src, name, value, diags),
            "cname" => cfg.cname = string(&src, name, value, diags),
            "rhythm" => sub_table(
                &src,
                name,
                value,
                &["stale_after_days"],
                diags,
                |k, v, diags| {
                    if k == "stale_after_days" {
                        if let Some(n) = stale_after_days(&src, v, diags) {
                            cfg.stale_after_days = n;
                        }
                    }
                },
            ),
            "highlight" => sub_table(&src, name, value, &["theme"], diags, |k, v, diags| {
                if k == "theme" {
                    cfg.highlight_theme = string(&src, "highlight.theme", v, diags);
                    cfg.highlight_theme_at = src.pos(&v.span());
                }
            }),
            _ => diags.push(src.diag(
                Kind::UnknownKey,
                &key.span(),
                unknown_key_message(name, FILE, &TOP_KEYS),
            )),
        }
    }
    if !saw_title {
        diags.push(Diagnostic::warning(
            Kind::SiteTitle,
            FILE,
            1,
            1,
            "no `title`; add `title = \"…\"` to name the site",
        ));
    }
    cfg
}

/// `theme`: a folder name under `themes/`.
fn theme(src: &Source, value: &Spanned<DeValue>, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let s = string(src, "theme", value, diags)?;
    if s.is_empty() || s.contains(['/', '\\']) || s.starts_with('.') {
        diags.push(src.diag(
            Kind::Theme,
            &value.span(),
            format!("theme `{s}` must be a folder name under themes/, e.g. \"default\""),
        ));
        return None;
    }
    Some(s)
}

/// `[rhythm] stale_after_days`: a whole number of days, 0 or more.
fn stale_after_days(
    src: &Source,
    value: &Spanned<DeValue>,
    diags: &mut Vec<Diagnostic>,
) -> Option<i64> {
    match value.get_ref() {
        DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                diags.push(src.diag(
                    Kind::WrongType,
                    &value.span(),
                    "`stale_after_days` must be a whole number of days, 0 or more, e.g. 14".into(),
                ));
                None
            }
        },
        other => {
            diags.push(src.diag(
                Kind::WrongType,
                &value.span(),
                format!(
                    "`stale_after_days` must be a whole number of days, e.g. 14, not {}",
                    type_name(other)
                ),
            ));
            None
        }
    }
}

fn string(
    src: &Source,
    name: &str,
    value: &Spanned<DeValue>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        other => {
            diags.push(src.diag(
                Kind::WrongType,
                &value.span(),
                format!(
                    "`{name}` must be a string, not {}; quote it",
                    type_name(other)
                ),
            ));
            None
        }
    }
}

fn sub_table(
    src: &Source,
    name: &str,
    value: &Spanned<DeValue>,
    known: &[&str],
    diags: &mut Vec<Diagnostic>,
    mut each: impl FnMut(&str, &Spanned<DeValue>, &mut Vec<Diagnostic>),
) {
    let DeValue::Table(t) = value.get_ref() else {
        diags.push(src.diag(
            Kind::WrongType,
            &value.span(),
            format!(
                "`{name}` must be a table: write `[{name}]` on its own line with its keys below"
            ),
        ));
        return;
    };
    for (k, v) in t.iter() {
        let key = k.get_ref().as_ref();
        if known.contains(&key) {
            each(key, v, diags);
        } else {
            diags.push(src.diag(
                Kind::UnknownKey,
                &k.span(),
                unknown_key_message(key, &format!("[{name}] of {FILE}"), known),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::config::base_path;

    #[test]
    fn base_paths() {
        assert_eq!(
            base_path("https://acme.github.io/ai-packs").unwrap(),
            "/ai-packs/"
        );
        assert_eq!(
            base_path("https://acme.github.io/ai-packs/").unwrap(),
            "/ai-packs/"
        );
        assert_eq!(base_path("https://packs.acme.example").unwrap(), "/");
        assert_eq!(base_path("/docs").unwrap(), "/docs/");
        assert!(base_path("acme").is_err());
    }

    #[test]
    fn absolute_urls() {
        let mut c = Config::default();
        c.set_base_url("https://acme.github.io/ai-packs/").unwrap();
        assert_eq!(c.absolute_url("x/"), "https://acme.github.io/ai-packs/x/");
    }

    #[test]
    fn unknown_keys_and_types() {
        let mut d = Vec::new();
        let c = parse(
            "title = \"T\"\nbase_ur = \"x\"\n[rhythm]\nstale_after_days = \"2\"\n",
            &mut d,
        );
        assert_eq!(c.title, "T");
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("did you mean `base_url`"));
        assert_eq!((d[1].line, d[1].column), (4, 20));
    }
}
