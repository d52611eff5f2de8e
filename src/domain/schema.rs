//! The rollout pack's shape: the nine sections, their fields and what each field wants.

use crate::domain::answers::PhaseStatus;
use crate::domain::field::{Field, SectionId};

impl SectionId {
    /// The section's definition in the schema.
    pub fn def(self) -> Option<&'static SectionDef> {
        SECTIONS.iter().find(|s| s.stem == self.as_str())
    }
}

impl Field {
    /// The field's definition in the schema.
    pub fn def(self) -> Option<&'static FieldDef> {
        self.section().def().and_then(|s| s.field(self.as_str()))
    }

    /// The field's place among its section's fields.
    pub fn index(self) -> Option<usize> {
        self.section()
            .def()
            .and_then(|s| s.fields.iter().position(|f| f.name == self.as_str()))
    }
}

/// The type of answer a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A free-text answer.
    Text,
    /// A list of free-text answers.
    List,
    /// One accountable person, `Name <contact>`.
    Person,
    /// A list of people, each `Name <contact>`.
    People,
    /// A path relative to the pack folder that must exist.
    Path,
    /// A yes/no answer.
    Bool,
    /// `release_gate`: a list of `{ metric, min, max, max_drop }` tables.
    Gates,
    /// `phases`: a list of `{ name, audience, criteria, feedback_channel, status }` tables.
    Phases,
    /// `reviews`: a list of `{ date, eval_regressions, failure_modes, cost_anomalies, next_change }`.
    Reviews,
}

#[derive(Debug, PartialEq, Eq)]
pub struct FieldDef {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// Counted toward completeness (every field but `results`).
    pub counted: bool,
    /// One line on what the field wants, written by `new` and shown for missing answers.
    pub hint: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub struct SectionDef {
    pub stem: &'static str,
    pub title: &'static str,
    pub fields: &'static [FieldDef],
}

impl SectionDef {
    pub fn file_name(&self) -> String {
        format!("{}.md", self.stem)
    }

    pub fn field(&self, name: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn counted(&self) -> usize {
        self.fields.iter().filter(|f| f.counted).count()
    }
}

const fn f(name: &'static str, label: &'static str, kind: Kind, hint: &'static str) -> FieldDef {
    FieldDef {
        name,
        label,
        kind,
        counted: true,
        hint,
    }
}

/// The nine sections, in pack order.
pub static SECTIONS: [SectionDef; 9] = [
    SectionDef {
        stem: "workflow",
        title: "Define the workflow",
        fields: &[
            f(
                "name",
                "Workflow name",
                Kind::Text,
                "the workflow's name in plain English",
            ),
            f(
                "primary_user",
                "Primary user",
                Kind::Text,
                "who uses the output day to day",
            ),
            f("trigger", "Trigger", Kind::Text, "what starts the workflow"),
            f("output", "Output", Kind::Text, "what the system produces"),
            f(
                "human_in_the_loop",
                "Human-in-the-loop point",
                Kind::Text,
                "where a human approves or edits",
            ),
            f(
                "hard_stops",
                "Hard stops",
                Kind::List,
                "what must never happen, one entry each",
            ),
        ],
    },
    SectionDef {
        stem: "accountability",
        title: "Assign accountability",
        fields: &[
            f(
                "dri",
                "DRI",
                Kind::Person,
                "the single directly responsible person, `Name <contact>`",
            ),
            f(
                "platform_owner",
                "Platform owner",
                Kind::Person,
                "who owns the gateway and logging, one person",
            ),
            f(
                "security_owner",
                "Security owner",
                Kind::Person,
                "who owns policy and the threat model, one person",
            ),
            f(
                "data_owner",
                "Data owner",
                Kind::Person,
                "who owns sources, permissions and freshness, one person",
            ),
            f(
                "incident_owner",
                "Incident owner",
                Kind::Person,
                "who owns on-call and incidents, one person",
            ),
        ],
    },
    SectionDef {
        stem: "data",
        title: "Data & permissions",
        fields: &[
            f(
                "sources",
                "Sources",
                Kind::List,
                "every system the AI can read, one entry each",
            ),
            f(
                "permission_model",
                "Permission model",
                Kind::Text,
                "how user access is enforced",
            ),
            f(
                "redaction_rules",
                "Redaction rules",
                Kind::Text,
                "how PII and secrets are redacted",
            ),
            f(
                "retention_policy",
                "Retention policy",
                Kind::Text,
                "how long prompts and outputs are stored",
            ),
            f(
                "audit_log",
                "Audit log",
                Kind::Text,
                "where the audit log lives",
            ),
        ],
    },
    SectionDef {
        stem: "evaluation",
        title: "Evaluation harness",
        fields: &[
            f(
                "eval_set",
                "Eval set",
                Kind::Path,
                "path to the eval set (JSONL or CSV), relative to the pack folder",
            ),
            f(
                "acceptance_criteria",
                "Acceptance criteria",
                Kind::List,
                "what every output must satisfy, one entry each",
            ),
            f(
                "release_gate",
                "Release gate",
                Kind::Gates,
                "metrics that must hold: { metric = \"…\", min = 0.95 }",
            ),
            FieldDef {
                counted: false,
                ..f(
                    "results",
                    "Results",
                    Kind::Path,
                    "optional: path to the results file (JSONL, one run a line)",
                )
            },
        ],
    },
    SectionDef {
        stem: "operability",
        title: "Operability checklist",
        fields: &[
            f(
                "central_gateway",
                "Central gateway",
                Kind::Bool,
                "true if calls go through the central gateway",
            ),
            f(
                "tracing",
                "Tracing",
                Kind::Bool,
                "true if request → retrieval → model call → output is traced",
            ),
            f(
                "budget_alerts",
                "Budget alerts",
                Kind::Bool,
                "true if budget alerts are configured",
            ),
            f(
                "cost_attribution",
                "Cost attribution",
                Kind::Bool,
                "true if costs are tagged per workflow",
            ),
            f(
                "kill_switch",
                "Kill switch",
                Kind::Bool,
                "true if a kill switch or feature flag exists",
            ),
            f(
                "kill_switch_how",
                "How to flip the kill switch",
                Kind::Text,
                "exactly how to flip it: where, which flag, who may",
            ),
        ],
    },
    SectionDef {
        stem: "incident",
        title: "Safety & incident response",
        fields: &[
            f(
                "incident_definition",
                "What counts as an incident",
                Kind::List,
                "what counts as an incident, one entry each",
            ),
            f(
                "immediate_actions",
                "Immediate actions",
                Kind::List,
                "what a responder does first, in order",
            ),
            f(
                "paging",
                "Who gets paged",
                Kind::People,
                "who gets paged, `Name <contact>` each, in order",
            ),
            f(
                "comms_plan",
                "Communication plan",
                Kind::Text,
                "how users are told, internally and externally",
            ),
            f(
                "review_owner",
                "Post-incident review owner",
                Kind::Text,
                "who runs the post-incident review",
            ),
            f(
                "review_format",
                "Post-incident review format",
                Kind::Text,
                "the review's format and deadline",
            ),
        ],
    },
    SectionDef {
        stem: "rollout",
        title: "Rollout plan",
        fields: &[
            f(
                "phases",
                "Phases",
                Kind::Phases,
                "{ name, audience, criteria, feedback_channel, status = \"planned\" }",
            ),
            f(
                "dashboards",
                "Dashboards",
                Kind::List,
                "the dashboards watched during rollout",
            ),
            f(
                "daily_checks",
                "Daily checks",
                Kind::List,
                "what someone checks every day of the rollout",
            ),
            f(
                "escalation_path",
                "Escalation path",
                Kind::Text,
                "who to escalate to, in order",
            ),
        ],
    },
    SectionDef {
        stem: "models",
        title: "Model & provider strategy",
        fields: &[
            f(
                "approved",
                "Approved models",
                Kind::List,
                "approved providers and models, one entry each",
            ),
            f(
                "routing_rule",
                "Routing rule",
                Kind::Text,
                "how a model is chosen, e.g. the cheapest that passes the gate",
            ),
            f(
                "fallback",
                "Fallback behaviour",
                Kind::Text,
                "what happens when the provider fails",
            ),
        ],
    },
    SectionDef {
        stem: "rhythm",
        title: "Weekly operating rhythm",
        fields: &[f(
            "reviews",
            "Weekly reviews",
            Kind::Reviews,
            "{ date, eval_regressions, failure_modes, cost_anomalies, next_change }",
        )],
    },
];

/// The five yes/no answers of the operability checklist, all true to be ready to scale.
pub const OPERABILITY_ANSWERS: [Field; 5] = [
    Field::CentralGateway,
    Field::Tracing,
    Field::BudgetAlerts,
    Field::CostAttribution,
    Field::KillSwitch,
];

/// Keys every content file may set besides its section's fields.
pub const COMMON_KEYS: [&str; 3] = ["title", "updated", "draft"];

/// Keys of a `release_gate` entry.
pub const GATE_KEYS: [&str; 4] = ["metric", "min", "max", "max_drop"];
/// Keys of a `phases` entry; the first five are required.
pub const PHASE_KEYS: [&str; 7] = [
    "name",
    "audience",
    "criteria",
    "feedback_channel",
    "status",
    "size",
    "start",
];
/// Keys of a `reviews` entry, all required.
pub const REVIEW_KEYS: [&str; 5] = [
    "date",
    "eval_regressions",
    "failure_modes",
    "cost_anomalies",
    "next_change",
];

pub const PHASE_STATUSES: [&str; 3] = [
    PhaseStatus::Planned.as_str(),
    PhaseStatus::Active.as_str(),
    PhaseStatus::Done.as_str(),
];

/// File stems that would collide with composed pages.
pub const RESERVED_STEMS: [&str; 2] = ["runbook", "checklist"];
/// Top-level URL segments the site itself uses.
pub const RESERVED_SLUGS: [&str; 5] = ["runbooks", "owners", "badges", "search", "__rollbook"];

pub fn section(stem: &str) -> Option<&'static SectionDef> {
    SECTIONS.iter().find(|s| s.stem == stem)
}

pub fn section_index(stem: &str) -> Option<usize> {
    SECTIONS.iter().position(|s| s.stem == stem)
}

/// All counted fields of a pack: 39.
pub fn total_counted() -> usize {
    SECTIONS.iter().map(SectionDef::counted).sum()
}

/// A valid pack slug: lowercase ASCII letters, digits and hyphens.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_counts_match_spec() {
        let counts: Vec<usize> = SECTIONS.iter().map(SectionDef::counted).collect();
        assert_eq!(counts, [6, 5, 5, 3, 6, 6, 4, 3, 1]);
        assert_eq!(total_counted(), 39);
    }

    #[test]
    fn slugs() {
        assert!(valid_slug("support-triage2"));
        assert!(!valid_slug("Support"));
        assert!(!valid_slug("a_b"));
        assert!(!valid_slug(""));
    }
}
