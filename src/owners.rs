//! Owners: every person named in any pack, merged across spellings, with every role they hold.

use crate::answers::State;
use crate::contact::{self, Contact};
use crate::markdown::{slugify, UniqueIds};
use crate::model::Pack;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Role {
    pub pack: String,
    pub pack_url: String,
    pub role: &'static str,
    /// The answer on its section page.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactView {
    pub text: String,
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owner {
    pub id: String,
    pub name: String,
    pub contacts: Vec<ContactView>,
    pub roles: Vec<Role>,
}

/// Who is named where: the five accountability roles, everyone paged, the review owner.
const ROLES: [(&str, &str, &str); 7] = [
    ("accountability", "dri", "DRI"),
    ("accountability", "platform_owner", "Platform owner"),
    ("accountability", "security_owner", "Security owner"),
    ("accountability", "data_owner", "Data owner"),
    ("accountability", "incident_owner", "Incident owner"),
    ("incident", "paging", "Paged for incidents"),
    ("incident", "review_owner", "Post-incident review owner"),
];

/// One place a person is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    contact: Contact,
    role: Role,
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

/// Whether two ways of writing a name can be one person: the same name, one of them a
/// bare contact, or the same surname with the same first initial ("D. Ortiz").
fn same_person(a: &Contact, b: &Contact) -> bool {
    let bare = |c: &Contact| c.contact.as_deref() == Some(c.name.as_str());
    let (ka, kb) = (a.key(), b.key());
    if ka == kb || bare(a) || bare(b) {
        return true;
    }
    let words = |k: &str| {
        k.split([' ', '.'])
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (wa, wb) = (words(&ka), words(&kb));
    match (wa.first(), wa.last(), wb.first(), wb.last()) {
        (Some(fa), Some(la), Some(fb), Some(lb)) => {
            wa.len() > 1 && wb.len() > 1 && la == lb && fa.chars().next() == fb.chars().next()
        }
        _ => false,
    }
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while let Some(&p) = parent.get(root) {
        if p == root {
            break;
        }
        root = p;
    }
    // Path halving keeps later look-ups short.
    let mut i = i;
    while let Some(&p) = parent.get(i) {
        if p == root {
            break;
        }
        if let Some(slot) = parent.get_mut(i) {
            *slot = root;
        }
        i = p;
    }
    root
}

/// Every place a pack names a person; `base` is the site's base path.
pub fn mentions(pack: &Pack, base: &str) -> Vec<Mention> {
    let name = pack.name();
    let mut out = Vec::new();
    for (stem, field, role) in ROLES {
        let answer = pack.answer(stem, field);
        let texts: Vec<&crate::answers::Text> = match answer.text() {
            Some(t) => vec![t],
            None => answer.list().iter().collect(),
        };
        for t in texts.into_iter().filter(|t| t.state == State::Filled) {
            let contact = contact::parse(&t.value);
            if contact.key().is_empty() {
                continue;
            }
            out.push(Mention {
                contact,
                role: Role {
                    pack: name.clone(),
                    pack_url: format!("{base}{}/", pack.slug),
                    role,
                    url: format!("{base}{}/{stem}/#{field}", pack.slug),
                },
            });
        }
    }
    out
}

/// Everyone named, once each: mentions that share a name (however spaced or cased),
/// or a contact while their names can be one person, are the same person.
pub fn merge<'a>(mentions: impl IntoIterator<Item = &'a Mention>) -> Vec<Owner> {
    let mentions: Vec<&Mention> = mentions.into_iter().collect();
    let mut parent: Vec<usize> = (0..mentions.len()).collect();
    let mut first_by_key: HashMap<String, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let keys = [
            Some(format!("name:{}", m.contact.key())),
            contact_key(&m.contact).map(|k| format!("contact:{k}")),
        ];
        for key in keys.into_iter().flatten() {
            let shared_contact = key.starts_with("contact:");
            match first_by_key.get(&key) {
                // A shared contact (a team pager) joins only names that can be one person.
                Some(&j)
                    if shared_contact
                        && !mentions
                            .get(j)
                            .is_some_and(|o| same_person(&o.contact, &m.contact)) => {}
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if let Some(slot) = parent.get_mut(a.max(b)) {
                        *slot = a.min(b);
                    }
                }
                None => {
                    first_by_key.insert(key, i);
                }
            }
        }
    }
    // Each owner with the contacts and roles it lists, as sets: one person named
    // thousands of times stays linear.
    let mut groups: BTreeMap<usize, (Owner, HashSet<&str>, HashSet<&Role>)> = BTreeMap::new();
    for i in 0..mentions.len() {
        let root = find(&mut parent, i);
        let Some(m) = mentions.get(i) else { continue };
        let (owner, contacts, roles) = groups.entry(root).or_insert_with(|| {
            let owner = Owner {
                id: String::new(),
                name: m.contact.name.clone(),
                contacts: Vec::new(),
                roles: Vec::new(),
            };
            (owner, HashSet::new(), HashSet::new())
        });
        // A written name beats a bare e-mail or number standing in for one.
        if contacts.contains(owner.name.as_str())
            && m.contact.contact.as_deref() != Some(&m.contact.name)
        {
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
            owner.roles.push(m.role.clone());
        }
    }
    let mut list: Vec<Owner> = groups.into_values().map(|(owner, _, _)| owner).collect();
    list.sort_by_key(|o| o.name.to_lowercase());
    // Ids must be unique on the page even when two names slugify alike.
    let mut ids = UniqueIds::default();
    for o in &mut list {
        o.id = ids.unique(slugify(&o.name));
    }
    list
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

    #[test]
    fn shared_contacts_join_only_one_person() {
        let same = |a: &str, b: &str| same_person(&contact::parse(a), &contact::parse(b));
        assert!(same(
            "Dana Ortiz <dana@a.example>",
            "D. Ortiz <dana@a.example>"
        ));
        assert!(same("Dana Ortiz <dana@a.example>", "dana@a.example"));
        assert!(same("dana  ortiz <@dana>", "Dana Ortiz <+1 555 0100>"));
        assert!(!same("Alice Park <+1 555 0100>", "Bob Stone <+1 555 0100>"));
        assert!(!same(
            "Support on-call <+1 555 0100>",
            "Dana Ortiz <+1 555 0100>"
        ));
    }

    fn mention(text: &str, role: &'static str) -> Mention {
        Mention {
            contact: contact::parse(text),
            role: Role {
                pack: "P".into(),
                pack_url: "/p/".into(),
                role,
                url: format!("/p/incident/#{role}"),
            },
        }
    }

    #[test]
    fn many_mentions_merge_in_order() {
        let mut all = Vec::new();
        for round in 0..2 {
            for i in 0..300 {
                let role = if round == 0 { "Paged" } else { "Reviews" };
                all.push(mention(&format!("Dana Ortiz <dana.{i}@example.com>"), role));
            }
        }
        // Different people whose names give one id.
        for marks in ["!", "?", "!!", "?!", "!?"] {
            all.push(mention(&format!("Sam {marks} <sam@example.com>"), "Paged"));
        }
        let owners = merge(&all);
        let dana = owners.iter().find(|o| o.name == "Dana Ortiz").unwrap();
        let contacts: Vec<&str> = dana.contacts.iter().map(|c| c.text.as_str()).collect();
        let want: Vec<String> = (0..300).map(|i| format!("dana.{i}@example.com")).collect();
        assert_eq!(contacts, want);
        let roles: Vec<&str> = dana.roles.iter().map(|r| r.role).collect();
        assert_eq!(roles, ["Paged", "Reviews"]);
        let ids: Vec<&str> = owners.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            ["dana-ortiz", "sam", "sam-1", "sam-2", "sam-3", "sam-4"]
        );
    }

    #[test]
    fn union_find_joins_chains() {
        let mut parent = vec![0, 0, 1, 3];
        assert_eq!(find(&mut parent, 2), 0);
        assert_eq!(find(&mut parent, 3), 3);
    }
}
