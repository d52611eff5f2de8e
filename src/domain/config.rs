//! Site settings as `site.toml` gives them, with their defaults.

pub const FILE: &str = "site.toml";

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending with `/`.
    pub base_path: String,
    pub theme: String,
    pub description: Option<String>,
    pub edit_url: Option<String>,
    pub cname: Option<String>,
    pub stale_after_days: i64,
    pub highlight_theme: Option<String>,
    /// Where `theme` and `[highlight] theme` are written, for messages about them.
    pub theme_at: (usize, usize),
    pub highlight_theme_at: (usize, usize),
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Rollout packs".into(),
            base_url: "/".into(),
            base_path: "/".into(),
            theme: "default".into(),
            description: None,
            edit_url: None,
            cname: None,
            stale_after_days: 14,
            highlight_theme: None,
            theme_at: (1, 1),
            highlight_theme_at: (1, 1),
        }
    }
}

impl Config {
    /// Replaces `base_url` (and so the base path), e.g. from `build --base-url`.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_path = base_path(url)?;
        self.base_url = url.trim_end_matches('/').to_string();
        Ok(())
    }

    /// The absolute URL of a site path such as `support-triage/incident/`.
    pub fn absolute_url(&self, path: &str) -> String {
        let origin = self.base_url.trim_end_matches('/');
        let origin = origin
            .strip_suffix(self.base_path.trim_end_matches('/'))
            .unwrap_or(origin);
        format!("{origin}{}{path}", self.base_path)
    }
}

/// The path of a base URL: `https://x.github.io/repo` → `/repo/`.
pub fn base_path(url: &str) -> Result<String, String> {
    let url = url.trim();
    let path = match url.split_once("://") {
        Some((scheme, rest)) => {
            if scheme.is_empty()
                || !scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return Err(format!(
                    "`{url}` is not a URL; write it like \"https://acme.github.io/ai-packs\""
                ));
            }
            match rest.find('/') {
                Some(i) => rest.get(i..).unwrap_or("/"),
                None => "/",
            }
        }
        None if url.starts_with('/') => url,
        None => {
            return Err(format!(
                "`{url}` is not a URL; write it like \"https://acme.github.io/ai-packs\" or \"/\""
            ))
        }
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        Ok("/".into())
    } else {
        Ok(format!("/{trimmed}/"))
    }
}
