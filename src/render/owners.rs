//! Owners: every person named in any pack, once per name however spaced or cased, with
//! every role they hold; different names sharing a contact stay apart, with a warning.

use crate::domain::answers::State;
use crate::domain::contact::{self, Contact};
use crate::domain::diag::{Diagnostic, Kind};
use crate::domain::field::Field;
use crate::domain::model::Pack;
use crate::render::markdown::{slugify, UniqueIds};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A role held in a pack. A build keeps one for every person named in every pack, so it
/// holds only what its words and link are made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Role {
    /// The pack's name and URL, shared by every mention in it.
    pub pack: Arc<str>,
    pub pack_url: Arc<str>,
    /// The answer that names the person: one of [`ROLES`].
    pub field: Field,
}

impl Role {
    /// What the role is called, from [`ROLES`].
    pub(crate) fn role(&self) -> &'static str {
        ROLES
            .iter()
            .find(|(f, _)| *f == self.field)
            .map_or("", |(_, label)| label)
    }

    /// The answer on its section page.
    pub(crate) fn url(&self) -> RoleUrl<'_> {
        RoleUrl(self)
    }
}

/// A role's answer on its section page: `{base}{slug}/{section}/#{field}`, written out
/// only when shown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleUrl<'a>(&'a Role);

impl std::fmt::Display for RoleUrl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = self.0.field;
        let section = field.section();
        write!(
            f,
            "{}{}/#{}",
            self.0.pack_url,
            section.as_str(),
            field.as_str()
        )
    }
}

impl Serialize for RoleUrl<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut role = serializer.serialize_struct("Role", 4)?;
        role.serialize_field("pack", &*self.pack)?;
        role.serialize_field("pack_url", &*self.pack_url)?;
        role.serialize_field("role", self.role())?;
        role.serialize_field("url", &self.url())?;
        role.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ContactView {
    pub text: String,
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Owner<'m> {
    pub id: String,
    pub name: String,
    pub contacts: Vec<ContactView>,
    /// As the mentions have them: a person named in every pack is not copied thousands of
    /// times.
    pub roles: Vec<&'m Role>,
}

/// Who is named where: the five accountability roles, everyone paged, the review owner.
pub(crate) const ROLES: [(Field, &str); 7] = [
    (Field::Dri, "DRI"),
    (Field::PlatformOwner, "Platform owner"),
    (Field::SecurityOwner, "Security owner"),
    (Field::DataOwner, "Data owner"),
    (Field::IncidentOwner, "Incident owner"),
    (Field::Paging, "Paged for incidents"),
    (Field::ReviewOwner, "Post-incident review owner"),
];

/// One place a person is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Shared by every mention written the same way once [`Contacts::share`] has seen it.
    contact: Arc<Contact>,
    role: Role,
    /// Where: the section file (shared by the mentions in it), line and column of the
    /// answer.
    file: Arc<str>,
    line: usize,
    column: usize,
}

/// What identifies a person besides their name: an e-mail, a phone number or a
/// personal handle. Channels (`#team`) are shared, so they identify no one.
fn contact_key(c: &Contact) -> Option<String> {
    match (&c.href, &c.contact) {
        (Some(href), _) => Some(href.to_lowercase()),
        (None, Some(handle)) if handle.starts_with('@') => Some(handle.to_lowercase()),
        _ => None,
    }
}

/// Every place a pack names a person; `base` is the site's base path.
pub(crate) fn mentions(pack: &Pack, base: &str) -> Vec<Mention> {
    let name: Arc<str> = pack.name().into();
    let pack_url: Arc<str> = format!("{base}{}/", pack.slug).into();
    let mut out = Vec::new();
    for (field, _) in ROLES {
        let stem = field.section();
        let answer = pack.answer(field);
        let texts: Vec<&crate::domain::answers::Text> = match answer.text() {
            Some(t) => vec![t],
            None => answer.list().iter().collect(),
        };
        let file: Arc<str> = pack
            .section(stem)
            .and_then(|s| s.page.as_ref())
            .map_or("", |p| p.file())
            .into();
        for t in texts.into_iter().filter(|t| t.state == State::Filled) {
            let contact = Arc::new(contact::parse(&t.value));
            if contact.key().is_empty() {
                continue;
            }
            out.push(Mention {
                contact,
                role: Role {
                    pack: Arc::clone(&name),
                    pack_url: Arc::clone(&pack_url),
                    field,
                },
                file: Arc::clone(&file),
                line: t.line,
                column: t.column,
            });
        }
    }
    out
}

/// One copy of each contact as written, shared by all its mentions: a site names the same
/// people pack after pack, and a build keeps every pack's mentions to the end.
#[derive(Debug, Default)]
pub(crate) struct Contacts(HashSet<Arc<Contact>>);

impl Contacts {
    /// Points each of `mentions` at the copy of its contact seen first.
    pub(crate) fn share(&mut self, mentions: &mut [Mention]) {
        for m in mentions {
            match self.0.get(&m.contact) {
                Some(first) => m.contact = Arc::clone(first),
                None => {
                    self.0.insert(Arc::clone(&m.contact));
                }
            }
        }
    }
}

/// The person each mention names, as a key: its name (however spaced or cased); a bare
/// contact belongs to the one name written with it, if exactly one is.
fn person_keys(mentions: &[&Mention]) -> Vec<String> {
    let mut names_by_contact: HashMap<String, BTreeSet<String>> = HashMap::new();
    for m in mentions.iter().filter(|m| !m.contact.is_bare()) {
        if let Some(k) = contact_key(&m.contact) {
            names_by_contact
                .entry(k)
                .or_default()
                .insert(m.contact.key());
        }
    }
    mentions
        .iter()
        .map(|m| {
            if !m.contact.is_bare() {
                return format!("name:{}", m.contact.key());
            }
            let names = contact_key(&m.contact).and_then(|k| names_by_contact.get(&k));
            match names {
                Some(names) if names.len() == 1 => {
                    format!("name:{}", names.first().map_or("", String::as_str))
                }
                _ => format!("contact:{}", m.contact.key()),
            }
        })
        .collect()
}

/// Everyone named, once each: mentions of the same name (however spaced or cased) are
/// one person; different names are different people even when they share a contact.
pub(crate) fn merge<'a>(mentions: impl IntoIterator<Item = &'a Mention>) -> Vec<Owner<'a>> {
    let mentions: Vec<&Mention> = mentions.into_iter().collect();
    let keys = person_keys(&mentions);
    // Each owner with the contacts and roles it lists, as sets: one person named
    // thousands of times stays linear.
    let mut groups: Vec<(Owner, HashSet<&str>, HashSet<&Role>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (m, key) in mentions.iter().zip(&keys) {
        let i = *index.entry(key.as_str()).or_insert_with(|| {
            let owner = Owner {
                id: String::new(),
                name: m.contact.name.clone(),
                contacts: Vec::new(),
                roles: Vec::new(),
            };
            groups.push((owner, HashSet::new(), HashSet::new()));
            groups.len() - 1
        });
        let Some((owner, contacts, roles)) = groups.get_mut(i) else {
            continue;
        };
        // A written name beats a bare e-mail or number standing in for one.
        if contacts.contains(owner.name.as_str()) && !m.contact.is_bare() {
            owner.name = m.contact.name.clone();
        }
        if let Some(text) = &m.contact.contact {
            if contacts.insert(text) {
                owner.contacts.push(ContactView {
                    text: text.clone(),
                    href: m.contact.href.clone(),
                });
            }
        }
        if roles.insert(&m.role) {
            owner.roles.push(&m.role);
        }
    }
    let mut list: Vec<Owner> = groups.into_iter().map(|(owner, _, _)| owner).collect();
    list.sort_by_key(|o| o.name.to_lowercase());
    // Ids must be unique on the page even when two names slugify alike.
    let mut ids = UniqueIds::default();
    for o in &mut list {
        o.id = ids.unique(slugify(&o.name));
    }
    list
}

/// A warning for each e-mail, phone or handle written with two or more different names:
/// they stay different people on the owners page, and the warning names them, the
/// contact and where each is written. It sits where the second name is first written.
pub(crate) fn shared_contacts<'a>(
    mentions: impl IntoIterator<Item = &'a Mention>,
) -> Vec<Diagnostic> {
    // contact key → (contact as first written, names in order with their first mention)
    type Names<'m> = Vec<(String, &'m Mention)>;
    let mut by_contact: BTreeMap<String, (String, Names)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for m in mentions.into_iter().filter(|m| !m.contact.is_bare()) {
        let (Some(key), Some(text)) = (contact_key(&m.contact), &m.contact.contact) else {
            continue;
        };
        let entry = by_contact.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            (text.clone(), Vec::new())
        });
        let name = m.contact.key();
        if !entry.1.iter().any(|(n, _)| *n == name) {
            entry.1.push((name, m));
        }
    }
    let mut out = Vec::new();
    for key in order {
        let Some((contact, names)) = by_contact.get(&key) else {
            continue;
        };
        let Some((_, second)) = names.get(1) else {
            continue;
        };
        let listed: Vec<String> = names
            .iter()
            .map(|(_, m)| format!("`{}` ({}:{})", m.contact.name, m.file, m.line))
            .collect();
        out.push(Diagnostic::warning(
            Kind::ContentWarning,
            &second.file,
            second.line,
            second.column,
            format!(
                "{} share the contact `{contact}`; they are listed as different people on the owners page; if they are one person, write the name the same way everywhere",
                join_names(&listed)
            ),
        ));
    }
    out
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_keys_identify_people_not_channels() {
        let key = |s: &str| contact_key(&contact::parse(s));
        assert_eq!(
            key("Dana <Dana@Acme.example>"),
            Some("mailto:dana@acme.example".into())
        );
        assert_eq!(
            key("D. Ortiz <dana@acme.example>"),
            key("dana@acme.example")
        );
        assert_eq!(key("Priya <+1 555 0100>"), key("P. N. <+1 (555) 0100>"));
        assert_eq!(key("Sam <@SLee>"), Some("@slee".into()));
        assert_eq!(key("Platform on-call <#ai-platform>"), None);
        assert_eq!(key("Dana Ortiz"), None);
    }

    /// A mention on `line`, of a role that differs from line to line.
    fn mention(value: &str, file: &str, line: usize) -> Mention {
        Mention {
            contact: Arc::new(contact::parse(value)),
            role: Role {
                pack: "p".into(),
                pack_url: "/p/".into(),
                field: ROLES[line % ROLES.len()].0,
            },
            file: file.into(),
            line,
            column: 7,
        }
    }

    fn mention_as(text: &str, field: Field) -> Mention {
        Mention {
            contact: Arc::new(contact::parse(text)),
            role: Role {
                pack: "P".into(),
                pack_url: "/p/".into(),
                field,
            },
            file: "content/p/incident.md".into(),
            line: 1,
            column: 1,
        }
    }

    #[test]
    fn mentions_written_alike_share_one_contact() {
        let mut first = vec![
            mention("Dana Ortiz <dana@a.example>", "a.md", 1),
            mention("Sam Lee <@sam>", "a.md", 2),
        ];
        let mut second = vec![
            mention("Dana Ortiz <dana@a.example>", "b.md", 1),
            mention("Dana  Ortiz <dana@a.example>", "b.md", 2),
        ];
        let mut contacts = Contacts::default();
        contacts.share(&mut first);
        contacts.share(&mut second);
        assert!(Arc::ptr_eq(&first[0].contact, &second[0].contact));
        assert!(!Arc::ptr_eq(&first[0].contact, &first[1].contact));
        // Written otherwise, even as the same person: kept as written.
        assert!(!Arc::ptr_eq(&second[0].contact, &second[1].contact));
        assert_eq!(second[1].contact.name, "Dana  Ortiz");
        assert_eq!(merge(&[&first[..], &second[..]].concat()).len(), 2);
    }

    #[test]
    fn many_mentions_merge_in_order() {
        let mut all = Vec::new();
        for round in 0..2 {
            for i in 0..300 {
                let role = if round == 0 {
                    Field::Paging
                } else {
                    Field::ReviewOwner
                };
                all.push(mention_as(
                    &format!("Dana Ortiz <dana.{i}@example.com>"),
                    role,
                ));
            }
        }
        // Different people whose names give one id.
        for marks in ["!", "?", "!!", "?!", "!?"] {
            all.push(mention_as(
                &format!("Sam {marks} <sam@example.com>"),
                Field::Paging,
            ));
        }
        let owners = merge(&all);
        let dana = owners.iter().find(|o| o.name == "Dana Ortiz").unwrap();
        let contacts: Vec<&str> = dana.contacts.iter().map(|c| c.text.as_str()).collect();
        let want: Vec<String> = (0..300).map(|i| format!("dana.{i}@example.com")).collect();
        assert_eq!(contacts, want);
        let roles: Vec<&str> = dana.roles.iter().map(|r| r.role()).collect();
        assert_eq!(roles, ["Paged for incidents", "Post-incident review owner"]);
        let ids: Vec<&str> = owners.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            ["dana-ortiz", "sam", "sam-1", "sam-2", "sam-3", "sam-4"]
        );
    }

    #[test]
    fn different_names_sharing_a_contact_stay_apart() {
        let ms = [
            mention("Dana Ortiz <dana@a.example>", "a.md", 2),
            mention("D. Ortiz <dana@a.example>", "b.md", 3),
            mention("dana  ORTIZ <@dana>", "c.md", 4),
            mention("dana@a.example", "d.md", 5),
        ];
        let owners = merge(&ms);
        let names: Vec<&str> = owners.iter().map(|o| o.name.as_str()).collect();
        // The bare e-mail, written with two names, cannot say which one it is.
        assert_eq!(names, ["D. Ortiz", "Dana Ortiz", "dana@a.example"]);
        let dana = owners.iter().find(|o| o.name == "Dana Ortiz").unwrap();
        assert_eq!(dana.roles.len(), 2);
        let warnings = shared_contacts(&ms);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let w = &warnings[0];
        assert_eq!((w.file.as_str(), w.line, w.column), ("b.md", 3, 7));
        assert!(
            w.message.contains(
                "`Dana Ortiz` (a.md:2) and `D. Ortiz` (b.md:3) share the contact `dana@a.example`"
            ),
            "{}",
            w.message
        );
    }

    #[test]
    fn a_bare_contact_joins_its_one_name() {
        let ms = [
            mention("dana@a.example", "a.md", 1),
            mention("Dana Ortiz <Dana@a.example>", "b.md", 2),
        ];
        let owners = merge(&ms);
        assert_eq!(owners.len(), 1);
        assert_eq!(owners[0].name, "Dana Ortiz");
        assert_eq!(owners[0].roles.len(), 2);
        assert!(shared_contacts(&ms).is_empty());
    }
}
