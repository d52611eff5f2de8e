//! Who a responder calls: each person on a pack's paging list once, with every role they
//! hold in words and their quickest contact first, or the owners to call when the list names nobody.

use crate::domain::answers::{State, Text};
use crate::domain::contact::{self, Contact};
use crate::domain::field::Field;
use crate::domain::model::Pack;
use crate::render::owners::{self, ContactView, Owner};
use serde::Serialize;

/// One person to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Responder {
    pub name: String,
    /// What they are to this workflow, in words, the most urgent first: `incident owner`,
    /// `security owner`, `DRI`, … ; someone only on the paging list is `on the paging list`.
    pub roles: Vec<&'static str>,
    /// How to reach them, the quickest first: phone, chat or web link, e-mail, then
    /// handles and channels with no link.
    pub contacts: Vec<ContactView>,
    /// Always false: as a person (`partials/person.html`), one to call is named.
    pub missing: bool,
    /// The name is itself a linked contact (a bare e-mail or number): the name is the link.
    pub bare: bool,
}

/// Who to call, for the runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct People {
    /// Everyone on the paging list, once each, in the order the list first names them.
    pub paging: Vec<Responder>,
    /// When the paging list names nobody: the incident owner, the DRI and the platform
    /// owner, those named, in that order.
    pub fallback: Vec<Responder>,
    /// The role of the first fallback person, to say who to call: `DRI`.
    pub fallback_role: Option<&'static str>,
    /// The person to call first: the incident owner, or when none is named the first of
    /// the DRI and the platform owner who is.
    pub first: Option<Responder>,
    /// What `first` is called as when the incident owner is not named: `DRI`.
    pub first_instead: Option<&'static str>,
}

/// The runbook's words for the owners page's roles, the most urgent first.
const ROLE_WORDS: [(Field, &str); 7] = [
    (Field::IncidentOwner, "incident owner"),
    (Field::SecurityOwner, "security owner"),
    (Field::Dri, "DRI"),
    (Field::PlatformOwner, "platform owner"),
    (Field::DataOwner, "data owner"),
    (Field::ReviewOwner, "review owner"),
    (Field::Paging, "on the paging list"),
];

/// Who is called instead of a paging list, in order.
const FALLBACK: [Field; 3] = [Field::IncidentOwner, Field::Dri, Field::PlatformOwner];

fn word(field: Field) -> &'static str {
    ROLE_WORDS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or("", |(_, w)| w)
}

/// The same name however spaced or cased, as the owners page merges people.
fn name_key(name: &str) -> String {
    Contact {
        name: name.to_string(),
        contact: None,
        href: None,
    }
    .key()
}

/// The owner `t` names: the one with its name, or for a bare contact the one it reaches.
fn owner_of(list: &[Owner], t: &Text) -> Option<usize> {
    if t.state != State::Filled {
        return None;
    }
    let c = contact::parse(&t.value);
    let key = c.key();
    if key.is_empty() {
        return None;
    }
    list.iter()
        .position(|o| name_key(&o.name) == key)
        .or_else(|| {
            let text = c.contact.as_deref()?;
            list.iter()
                .position(|o| o.contacts.iter().any(|x| x.text == text))
        })
}

fn rank(c: &ContactView) -> u8 {
    match c.href.as_deref() {
        Some(h) if h.starts_with("tel:") => 0,
        Some(h) if h.starts_with("mailto:") => 2,
        Some(_) => 1,
        None => 3,
    }
}

fn responder(o: &Owner) -> Responder {
    let mut roles: Vec<&'static str> = Vec::new();
    for (field, w) in ROLE_WORDS {
        if o.roles.iter().any(|r| r.field == field) && !roles.contains(&w) {
            roles.push(w);
        }
    }
    // On the paging list goes without saying once they hold a role.
    if roles.len() > 1 {
        roles.retain(|r| *r != word(Field::Paging));
    }
    let mut contacts = o.contacts.clone();
    contacts.sort_by_key(rank);
    if roles == [word(Field::Paging)]
        && contacts
            .iter()
            .all(|c| c.href.is_none() && c.text.starts_with('#'))
        && !contacts.is_empty()
    {
        roles = vec!["on-call channel"];
    }
    Responder {
        name: o.name.clone(),
        roles,
        missing: false,
        bare: contacts
            .iter()
            .any(|c| c.href.is_some() && c.text == o.name),
        contacts,
    }
}

/// Who to call for `pack`; `base` is the site's base path.
pub(crate) fn people(pack: &Pack, base: &str) -> People {
    let mentions = owners::mentions(pack, base);
    let list = owners::merge(&mentions);
    let mut seen: Vec<usize> = Vec::new();
    let mut paging = Vec::new();
    for i in pack
        .answer(Field::Paging)
        .list()
        .iter()
        .filter_map(|t| owner_of(&list, t))
    {
        if !seen.contains(&i) {
            seen.push(i);
            paging.extend(list.get(i).map(responder));
        }
    }
    let named: Vec<(Field, usize)> = FALLBACK
        .iter()
        .filter_map(|f| Some((*f, owner_of(&list, pack.answer(*f).text()?)?)))
        .collect();
    let mut fallback: Vec<Responder> = Vec::new();
    let mut fallback_seen: Vec<usize> = Vec::new();
    if paging.is_empty() {
        for (_, i) in &named {
            if !fallback_seen.contains(i) {
                fallback_seen.push(*i);
                fallback.extend(list.get(*i).map(responder));
            }
        }
    }
    let first = named.first();
    People {
        paging,
        fallback_role: if fallback.is_empty() {
            None
        } else {
            first.map(|(f, _)| word(*f))
        },
        fallback,
        first: first.and_then(|(_, i)| list.get(*i)).map(responder),
        first_instead: first
            .map(|(f, _)| *f)
            .filter(|f| *f != Field::IncidentOwner)
            .map(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_owners_role_has_words() {
        for (field, role) in owners::ROLES {
            assert!(!word(field).is_empty(), "{role}");
        }
    }

    #[test]
    fn quickest_contact_first() {
        let c = |text: &str, href: Option<&str>| ContactView {
            text: text.into(),
            href: href.map(Into::into),
        };
        let mut list = [
            c("@sam", None),
            c("sam@x.example", Some("mailto:sam@x.example")),
            c("https://chat.example/sam", Some("https://chat.example/sam")),
            c("+1 555 0100", Some("tel:+15550100")),
        ];
        list.sort_by_key(rank);
        let order: Vec<&str> = list.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            order,
            [
                "+1 555 0100",
                "https://chat.example/sam",
                "sam@x.example",
                "@sam"
            ]
        );
    }
}
