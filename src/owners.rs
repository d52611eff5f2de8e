//! Owners: every person named in any pack, merged across spellings, with every role they hold.

use crate::answers::State;
use crate::contact::{self, Contact};
use crate::markdown::slugify;
use crate::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

pub fn owners(site: &Site) -> Vec<Owner> {
    let base = &site.config.base_path;
    let mut by_key: BTreeMap<String, Owner> = BTreeMap::new();
    for pack in &site.packs {
        let name = pack.name();
        for (stem, field, role) in ROLES {
            let answer = pack.answer(stem, field);
            let texts: Vec<&crate::answers::Text> = match answer.text() {
                Some(t) => vec![t],
                None => answer.list().iter().collect(),
            };
            for t in texts.into_iter().filter(|t| t.state == State::Filled) {
                let c: Contact = contact::parse(&t.value);
                let key = c.key();
                if key.is_empty() {
                    continue;
                }
                let owner = by_key.entry(key).or_insert_with(|| Owner {
                    id: slugify(&c.name),
                    name: c.name.clone(),
                    contacts: Vec::new(),
                    roles: Vec::new(),
                });
                if let Some(text) = &c.contact {
                    if !owner.contacts.iter().any(|x| &x.text == text) {
                        owner.contacts.push(ContactView {
                            text: text.clone(),
                            href: c.href.clone(),
                        });
                    }
                }
                let role = Role {
                    pack: name.clone(),
                    pack_url: format!("{base}{}/", pack.slug),
                    role,
                    url: format!("{base}{}/{stem}/#{field}", pack.slug),
                };
                if !owner.roles.contains(&role) {
                    owner.roles.push(role);
                }
            }
        }
    }
    let mut list: Vec<Owner> = by_key.into_values().collect();
    list.sort_by_key(|o| o.name.to_lowercase());
    // Ids must be unique on the page even when two names slugify alike.
    let mut seen = std::collections::HashSet::new();
    for o in &mut list {
        let mut id = o.id.clone();
        let mut n = 1;
        while !seen.insert(id.clone()) {
            id = format!("{}-{n}", o.id);
            n += 1;
        }
        o.id = id;
    }
    list
}
