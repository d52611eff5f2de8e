//! Checking: every internal link resolves, and each pack's completeness, eval gate,
//! freshness and phase bars are assessed.

pub(crate) mod assess;
pub mod gate;
pub(crate) mod links;
pub(crate) mod rules;
