//! Validation: checks front-matter TOML against the pack schema, turning it into answers
//! and every mistake into a diagnostic at its file, line and column.

use crate::domain::answers::{
    classify, Answer, FrontMatter, Gate, Phase, Review, State, Text, Value,
};
use crate::domain::diag::{self, unknown_key_message, Diagnostic};
use crate::domain::schema::{FieldDef, Kind, SectionDef, COMMON_KEYS};
use crate::load::toml_values::{date_value, gate, phase, review, type_name, wrong_type};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub use crate::load::toml_values::Source;

/// Parses front-matter TOML and checks it against `section` (or only the common keys).
pub fn parse(
    src: &Source,
    toml_text: &str,
    section: Option<&SectionDef>,
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let table = match DeTable::parse(toml_text) {
        Ok(t) => t,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().replace('\n', " ");
            diags.push(src.diag(diag::Kind::TomlSyntax,
                &span,
                format!("invalid TOML in front-matter: {msg}; fix the syntax (strings need quotes, one key per line)"),
            ));
            return FrontMatter {
                answers: section.map_or_else(Vec::new, |s| vec![Answer::MISSING; s.fields.len()]),
                ..FrontMatter::default()
            };
        }
    };
    check_table(src, table.get_ref(), section, diags)
}

fn check_table(
    src: &Source,
    table: &DeTable,
    section: Option<&SectionDef>,
    diags: &mut Vec<Diagnostic>,
) -> FrontMatter {
    let fields: &[FieldDef] = section.map_or(&[], |s| s.fields);
    let mut fm = FrontMatter {
        answers: vec![Answer::MISSING; fields.len()],
        ..FrontMatter::default()
    };
    let what = section.map_or_else(
        || "this page's front-matter".to_string(),
        |s| format!("{}.md", s.stem),
    );
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let key_span = key.span();
        let line = src.line(&key_span);
        match name {
            "title" => match value.get_ref() {
                DeValue::String(s) => fm.title = Some(s.to_string()),
                other => diags.push(wrong_type(
                    src,
                    value,
                    name,
                    other,
                    "a string, e.g. `title = \"Incident response\"`",
                )),
            },
            "updated" => fm.updated = date_value(src, value, name, diags),
            "draft" => match value.get_ref() {
                DeValue::Boolean(b) => fm.draft = *b,
                other => diags.push(wrong_type(src, value, name, other, "true or false")),
            },
            _ => match fields.iter().position(|f| f.name == name) {
                Some(i) => {
                    if let (Some(def), Some(slot)) = (fields.get(i), fm.answers.get_mut(i)) {
                        *slot = Answer {
                            value: field_value(src, def, value, diags),
                            line,
                        };
                    }
                }
                None => {
                    let mut known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    known.extend(COMMON_KEYS);
                    diags.push(src.diag(
                        diag::Kind::UnknownKey,
                        &key_span,
                        unknown_key_message(name, &what, &known),
                    ));
                }
            },
        }
    }
    fm
}

fn expected(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Text | Kind::Path => format!("a string, e.g. `{name} = \"…\"`"),
        Kind::Person => format!("one person as a string, e.g. `{name} = \"Dana Ortiz <dana@example.com>\"`"),
        Kind::List | Kind::People => format!("a list of strings, e.g. `{name} = [\"…\", \"…\"]`"),
        Kind::Bool => format!("true or false, e.g. `{name} = true` (or \"TBD\" while unknown)"),
        Kind::Gates => format!("a list of tables, e.g. `{name} = [{{ metric = \"citation_rate\", min = 0.95 }}]`"),
        Kind::Phases => format!("a list of tables, e.g. `[[{name}]]` with name, audience, criteria, feedback_channel and status"),
        Kind::Reviews => format!("a list of tables, e.g. `[[{name}]]` with date, eval_regressions, failure_modes, cost_anomalies and next_change"),
    }
}

fn field_value(
    src: &Source,
    def: &FieldDef,
    value: &Spanned<DeValue>,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let pos = src.pos(&value.span());
    let name = def.name;
    match (def.kind, value.get_ref()) {
        (Kind::Person, DeValue::String(s)) => person_value(src, name, value, s, diags),
        (Kind::Person, DeValue::Array(_)) => {
            diags.push(src.diag(diag::Kind::OneAccountablePerson,
                &value.span(),
                format!("`{name}` is a list, but it names one accountable person, not a committee; write one `\"Name <contact>\"` string"),
            ));
            Value::Missing
        }
        (Kind::Text | Kind::Path, DeValue::String(s)) => Value::Text(Text::new(s, pos)),
        (Kind::Bool, DeValue::Boolean(b)) => Value::Bool(*b),
        (Kind::List | Kind::People, DeValue::Array(items)) => {
            Value::List(list_value(src, name, items.iter(), diags))
        }
        (Kind::Gates, DeValue::Array(items)) => {
            Entries::Gates(Vec::new()).read(src, def, items, diags)
        }
        (Kind::Phases, DeValue::Array(items)) => {
            Entries::Phases(Vec::new()).read(src, def, items, diags)
        }
        (Kind::Reviews, DeValue::Array(items)) => {
            Entries::Reviews(Vec::new()).read(src, def, items, diags)
        }
        // A placeholder or `N/A: reason` stands in for any kind of answer.
        (_, DeValue::String(s)) if classify(s) != State::Filled => Value::Text(Text::new(s, pos)),
        (kind, other) => {
            diags.push(wrong_type(src, value, name, other, &expected(kind, name)));
            Value::Missing
        }
    }
}

/// One accountable person; a filled value that names several is an error.
fn person_value(
    src: &Source,
    name: &str,
    value: &Spanned<DeValue>,
    s: &str,
    diags: &mut Vec<Diagnostic>,
) -> Value {
    let text = Text::new(s, src.pos(&value.span()));
    if text.state == State::Filled {
        if let Some(joiner) = committee(s) {
            diags.push(src.diag(diag::Kind::OneAccountablePerson,
                &value.span(),
                format!(
                    "`{name}` names more than one person (joined by `{joiner}`); a pack needs one accountable person, e.g. `{name} = \"Dana Ortiz <dana@example.com>\"`"
                ),
            ));
        }
    }
    Value::Text(text)
}

/// A list of strings; an entry of another type is an error and left out.
fn list_value<'a, 'i: 'a>(
    src: &Source,
    name: &str,
    items: impl Iterator<Item = &'a Spanned<DeValue<'i>>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Text> {
    let mut out = Vec::new();
    for item in items {
        match item.get_ref() {
            DeValue::String(s) => out.push(Text::new(s, src.pos(&item.span()))),
            other => diags.push(src.diag(
                diag::Kind::WrongType,
                &item.span(),
                format!(
                    "every entry of `{name}` must be a string, not {}; quote it",
                    type_name(other)
                ),
            )),
        }
    }
    out
}

/// The entries of a list of tables read so far: gates, phases or reviews.
enum Entries {
    Gates(Vec<Gate>),
    Phases(Vec<Phase>),
    Reviews(Vec<Review>),
}

impl Entries {
    /// Reads every entry of the list `def`; nothing but placeholders is the same as one
    /// placeholder for the whole list.
    fn read<'a>(
        mut self,
        src: &Source,
        def: &FieldDef,
        items: impl IntoIterator<Item = &'a Spanned<DeValue<'a>>>,
        diags: &mut Vec<Diagnostic>,
    ) -> Value {
        let mut placeholders = Vec::new();
        for item in items {
            if let Some(text) = self.add(src, def, item, diags) {
                placeholders.push(text);
            }
        }
        let count = match &self {
            Entries::Gates(g) => g.len(),
            Entries::Phases(p) => p.len(),
            Entries::Reviews(r) => r.len(),
        };
        if let (Some(first), true) = (placeholders.first(), placeholders.len() == count) {
            return Value::Text(first.clone());
        }
        match self {
            Entries::Gates(g) => Value::Gates(g),
            Entries::Phases(p) => Value::Phases(p),
            Entries::Reviews(r) => Value::Reviews(r),
        }
    }

    /// Reads one entry: a table, or a placeholder still to write (returned).
    fn add(
        &mut self,
        src: &Source,
        def: &FieldDef,
        item: &Spanned<DeValue>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Text> {
        // `reviews = ["TBD"]`: an entry still to write, unfilled like any other.
        if let DeValue::String(s) = item.get_ref() {
            if classify(s) != State::Filled {
                let text = Text::new(s, src.pos(&item.span()));
                let line = text.line;
                match self {
                    Entries::Gates(g) => g.push(Gate::placeholder(text.clone(), line)),
                    Entries::Phases(p) => p.push(Phase::placeholder(text.clone(), line)),
                    Entries::Reviews(r) => r.push(Review::placeholder(text.clone(), line)),
                }
                return Some(text);
            }
        }
        let DeValue::Table(t) = item.get_ref() else {
            diags.push(src.diag(
                diag::Kind::WrongType,
                &item.span(),
                format!(
                    "every entry of `{}` must be a table, not {}; {}",
                    def.name,
                    type_name(item.get_ref()),
                    expected(def.kind, def.name)
                ),
            ));
            return None;
        };
        let entry_line = src.line(&item.span());
        match self {
            Entries::Gates(g) => g.push(gate(src, t, entry_line, diags)),
            Entries::Phases(p) => p.push(phase(src, t, entry_line, diags)),
            Entries::Reviews(r) => r.push(review(src, t, entry_line, diags)),
        }
        None
    }
}

/// The separator that makes a value name several people: in the name part ("Dana and
/// Sam <…>", "Ann Lee + Bob Roy"), or before a second contact ("Ann <a@x>, Bob <b@x>",
/// whose name part, before the last contact, holds the first one).
pub fn committee(value: &str) -> Option<&'static str> {
    let c = crate::domain::contact::parse(value);
    if c.is_bare() {
        return None;
    }
    let name = c.name.to_lowercase();
    [",", ";", "/", "&"]
        .into_iter()
        .find(|sep| name.contains(sep))
        .or_else(|| joins_with_plus(&name).then_some("+"))
        .or_else(|| name.contains(" and ").then_some("and"))
}

/// `Ann + Bob`, `Ann+Bob`: a `+` with a name on each side (not `C++`, not `+1 555…`).
fn joins_with_plus(name: &str) -> bool {
    let parts: Vec<&str> = name.split('+').map(str::trim).collect();
    parts.len() > 1
        && parts
            .iter()
            .all(|p| p.chars().next().is_some_and(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schema::section;

    fn run(stem: &str, toml: &str) -> (FrontMatter, Vec<Diagnostic>) {
        let text = format!("+++\n{toml}+++\n");
        let src = Source::new("f.md", &text, 4);
        let mut diags = Vec::new();
        let fm = parse(&src, toml, section(stem), &mut diags);
        (fm, diags)
    }

    #[test]
    fn committees() {
        assert_eq!(committee("Dana Ortiz <dana@x.example>"), None);
        assert_eq!(committee("Platform team on-call <#ai-platform>"), None);
        assert_eq!(committee("Priya N. <+1 555 0100>"), None);
        assert_eq!(committee("Anderson Silva"), None);
        assert_eq!(committee("Dana and Sam"), Some("and"));
        assert_eq!(committee("Dana, Sam <a@b, c@d>"), Some(","));
        assert_eq!(committee("Dana <a@b.example, c@d.example>"), None);
        assert_eq!(committee("Dana / Sam"), Some("/"));
        assert_eq!(committee("Dana & Sam"), Some("&"));
        assert_eq!(committee("Dana; Sam"), Some(";"));
        assert_eq!(
            committee("Ann Lee <ann@x.example>, Bob Roy <bob@x.example>"),
            Some(",")
        );
        assert_eq!(
            committee("Ann Lee <ann@x.example> and Bob Roy <bob@x.example>"),
            Some("and")
        );
        assert_eq!(committee("Ann Lee + Bob Roy"), Some("+"));
        assert_eq!(committee("Ann+Bob <ab@x.example>"), Some("+"));
        assert_eq!(committee("+1 555 0100"), None);
        assert_eq!(committee("C++ guild <#cpp>"), None);
        assert_eq!(committee("Ops <<team>> <ops@x.example>"), None);
        assert_eq!(committee("A > B <a@x.example>"), None);
        assert_eq!(committee("https://pager.example/team/a"), None);
    }

    #[test]
    fn lists_and_tables_filled() {
        let (fm, d) = run("workflow", "hard_stops = [\"a\", \"TBD\"]\nname = \"x\"\n");
        assert!(d.is_empty());
        assert!(!fm.answers[5].filled());
        assert!(fm.answers[0].filled());
        let (fm, d) = run(
            "evaluation",
            "release_gate = [{ metric = \"m\" }, { metric = \"n\", max_drop = 0.1 }]\n",
        );
        assert!(d.is_empty());
        assert!(!fm.answers[2].filled());
        let (fm, _) = run(
            "evaluation",
            "release_gate = [{ metric = \"n\", max = 1 }]\n",
        );
        assert!(fm.answers[2].filled());
        let (fm, _) = run("rollout", "phases = []\n");
        assert!(!fm.answers[0].filled());
    }

    #[test]
    fn errors_point_into_the_file() {
        let (_, d) = run("data", "sources = [\"a\"]\nsorces = 1\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (3, 1));
        assert!(
            d[0].message.contains("did you mean `sources`"),
            "{}",
            d[0].message
        );
        let (_, d) = run("operability", "kill_switch = \"yes\"\n");
        assert_eq!((d[0].line, d[0].column), (2, 15));
        let (fm, d) = run("operability", "kill_switch = \"TBD\"\n");
        assert!(d.is_empty());
        assert!(!fm.answers[4].filled());
        let (_, d) = run("rollout", "[[phases]]\nname = \"a\"\nstatus = \"activ\"\n");
        assert_eq!(d[0].line, 4);
        assert!(
            d[0].message.contains("did you mean \"active\""),
            "{}",
            d[0].message
        );
        let (_, d) = run("workflow", "name = \n");
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.starts_with("invalid TOML"));
    }

    #[test]
    fn dates() {
        let (fm, d) = run("rhythm", "[[reviews]]\ndate = 2026-11-20\neval_regressions = \"none\"\nfailure_modes = \"x\"\ncost_anomalies = \"none\"\nnext_change = \"y\"\n");
        assert!(d.is_empty(), "{d:?}");
        assert!(fm.answers[0].filled());
        let (_, d) = run("rhythm", "[[reviews]]\ndate = \"2026-02-30\"\n");
        assert_eq!(d.len(), 1);
    }
}
