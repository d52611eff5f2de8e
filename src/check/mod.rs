//! Checking: every internal link resolves, and each pack's completeness, eval gate,
//! freshness and phase bars are assessed.

pub mod assess;
pub mod gate;
pub mod links;
pub mod rules;
