//! What a build is asked for: drafts, the base URL and the date freshness is measured against.

use crate::domain::answers::Date;

#[derive(Debug, Clone)]
pub struct Options {
    pub drafts: bool,
    /// Replaces `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// The date freshness is measured against.
    pub today: Date,
}
