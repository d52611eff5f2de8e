//! Compile-time names for the schema's sections and fields, checked against `schema::SECTIONS`.

use serde::Serialize;

macro_rules! sections {
    ($($section:ident = $stem:literal { $($field:ident = $name:literal),+ $(,)? })+) => {
        /// One of the nine sections, in pack order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SectionId {
            $($section,)+
        }

        impl SectionId {
            /// Every section, in pack order.
            pub const ALL: &'static [SectionId] = &[$(SectionId::$section,)+];

            /// The section's file stem, as in `schema::SECTIONS`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SectionId::$section => $stem,)+
                }
            }
        }

        /// One field of one section.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($($field,)+)+
        }

        impl Field {
            /// Every field, in pack order.
            pub const ALL: &'static [Field] = &[$($(Field::$field,)+)+];

            /// The section the field belongs to.
            pub fn section(self) -> SectionId {
                match self {
                    $($(Field::$field => SectionId::$section,)+)+
                }
            }

            /// The field's key in the front-matter, as in `schema::SECTIONS`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($(Field::$field => $name,)+)+
                }
            }
        }
    };
}

sections! {
    Workflow = "workflow" {
        Name = "name",
        PrimaryUser = "primary_user",
        Trigger = "trigger",
        Output = "output",
        HumanInTheLoop = "human_in_the_loop",
        HardStops = "hard_stops",
    }
    Accountability = "accountability" {
        Dri = "dri",
        PlatformOwner = "platform_owner",
        SecurityOwner = "security_owner",
        DataOwner = "data_owner",
        IncidentOwner = "incident_owner",
    }
    Data = "data" {
        Sources = "sources",
        PermissionModel = "permission_model",
        RedactionRules = "redaction_rules",
        RetentionPolicy = "retention_policy",
        AuditLog = "audit_log",
    }
    Evaluation = "evaluation" {
        EvalSet = "eval_set",
        AcceptanceCriteria = "acceptance_criteria",
        ReleaseGate = "release_gate",
        Results = "results",
    }
    Operability = "operability" {
        CentralGateway = "central_gateway",
        Tracing = "tracing",
        BudgetAlerts = "budget_alerts",
        CostAttribution = "cost_attribution",
        KillSwitch = "kill_switch",
        KillSwitchHow = "kill_switch_how",
    }
    Incident = "incident" {
        IncidentDefinition = "incident_definition",
        ImmediateActions = "immediate_actions",
        Paging = "paging",
        CommsPlan = "comms_plan",
        ReviewOwner = "review_owner",
        ReviewFormat = "review_format",
    }
    Rollout = "rollout" {
        Phases = "phases",
        Dashboards = "dashboards",
        DailyChecks = "daily_checks",
        EscalationPath = "escalation_path",
    }
    Models = "models" {
        Approved = "approved",
        RoutingRule = "routing_rule",
        Fallback = "fallback",
    }
    Rhythm = "rhythm" {
        Reviews = "reviews",
    }
}

impl SectionId {
    /// The section with this file stem.
    pub fn from_stem(stem: &str) -> Option<SectionId> {
        SectionId::ALL.iter().copied().find(|s| s.as_str() == stem)
    }
}

impl std::fmt::Display for SectionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseStatus {
    Planned,
    Active,
    Done,
}

impl PhaseStatus {
    /// Every status, in the order a phase goes through them.
    pub const ALL: [PhaseStatus; 3] =
        [PhaseStatus::Planned, PhaseStatus::Active, PhaseStatus::Done];

    /// The status as written in `rollout.md` and shown on the pages.
    pub const fn as_str(self) -> &'static str {
        match self {
            PhaseStatus::Planned => "planned",
            PhaseStatus::Active => "active",
            PhaseStatus::Done => "done",
        }
    }

    /// Active or done: the phase's entry bar must be met.
    pub const fn started(self) -> bool {
        match self {
            PhaseStatus::Planned => false,
            PhaseStatus::Active | PhaseStatus::Done => true,
        }
    }

    /// `"planned", "active", "done"`, for messages.
    pub fn choices() -> String {
        PhaseStatus::ALL.map(|s| format!("\"{s}\"")).join(", ")
    }

    /// The status written exactly so.
    pub fn parse(s: &str) -> Option<PhaseStatus> {
        PhaseStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl std::fmt::Display for PhaseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schema::SECTIONS;

    #[test]
    fn sections_match_schema_in_order() {
        let stems: Vec<&str> = SectionId::ALL.iter().map(|s| s.as_str()).collect();
        let schema: Vec<&str> = SECTIONS.iter().map(|s| s.stem).collect();
        assert_eq!(stems, schema);
    }

    #[test]
    fn every_schema_field_has_exactly_one_variant_and_back() {
        let schema: Vec<(&str, &str)> = SECTIONS
            .iter()
            .flat_map(|s| s.fields.iter().map(move |f| (s.stem, f.name)))
            .collect();
        let variants: Vec<(&str, &str)> = Field::ALL
            .iter()
            .map(|f| (f.section().as_str(), f.as_str()))
            .collect();
        for pair in &schema {
            let n = variants.iter().filter(|v| *v == pair).count();
            assert_eq!(n, 1, "{pair:?} has {n} variants");
        }
        for pair in &variants {
            let n = schema.iter().filter(|v| *v == pair).count();
            assert_eq!(n, 1, "{pair:?} is {n} times in the schema");
        }
        assert_eq!(variants, schema, "variants follow pack order");
        for f in Field::ALL {
            assert!(f.def().is_some() && f.index().is_some(), "{f}");
        }
    }

    #[test]
    fn stems_round_trip() {
        for s in SectionId::ALL {
            assert_eq!(SectionId::from_stem(s.as_str()), Some(*s));
        }
        assert_eq!(SectionId::from_stem("workflows"), None);
    }
}
