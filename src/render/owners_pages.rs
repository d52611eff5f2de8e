//! The owners pages' views: everyone named ([`owners::merge`]) split by the first letter
//! of their name, a page per letter (`owners/<letter>/`), and the index of every letter
//! (`owners/`).
//!
//! [`owners::merge`]: crate::render::owners::merge

use crate::render::owners::{ContactView, Owner, Role, RoleUrl, ROLES};
use serde::Serialize;
use std::collections::HashSet;

/// One role a person holds, with every pack they hold it in, as the owners pages show
/// it: "DRI of a, b, c".
#[derive(Debug, Serialize)]
pub(crate) struct RoleGroup<'a> {
    pub role: &'static str,
    pub packs: Vec<PackRole<'a>>,
}

/// A pack a role is held in: its name, the answer naming the person, and the pack.
#[derive(Debug, Serialize)]
pub(crate) struct PackRole<'a> {
    pub pack: &'a str,
    pub url: RoleUrl<'a>,
    pub pack_url: &'a str,
}

/// A person on their letter's page: who, how to reach them, and what they own.
#[derive(Debug, Serialize)]
pub(crate) struct Entry<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub contacts: &'a [ContactView],
    pub roles: Vec<RoleGroup<'a>>,
}

/// A person on `/owners/`: the name, linked to their entry on their letter's page, the
/// roles they hold and in how many packs.
#[derive(Debug, Serialize)]
pub(crate) struct IndexEntry<'a> {
    pub name: &'a str,
    pub url: String,
    pub roles: Vec<&'static str>,
    pub packs: usize,
}

/// Everyone whose name starts with one letter: a page of its own, `owners/<key>/`.
#[derive(Debug, Serialize)]
pub(crate) struct Letter<'a> {
    /// `a` to `z`, or `other` for names starting with anything else.
    pub key: &'static str,
    /// `A` to `Z`, or `Other`.
    pub label: &'static str,
    pub url: String,
    pub owners: Vec<Entry<'a>>,
}

/// A letter on `/owners/`: its page and everyone on it.
#[derive(Debug, Serialize)]
pub(crate) struct LetterIndex<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub url: &'a str,
    pub owners: Vec<IndexEntry<'a>>,
}

const KEYS: [&str; 27] = [
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s",
    "t", "u", "v", "w", "x", "y", "z", "other",
];
const LABELS: [&str; 27] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U", "V", "W", "X", "Y", "Z", "Other",
];

/// Which letter's page a name is on: its first letter or digit, `a` to `z` (case
/// aside), else the last one, `other`.
fn letter_of(name: &str) -> usize {
    name.chars()
        .find(|c| c.is_alphanumeric())
        .and_then(|c| "abcdefghijklmnopqrstuvwxyz".find(c.to_ascii_lowercase()))
        .unwrap_or(KEYS.len() - 1)
}

/// A person's roles grouped by role, in the order of [`ROLES`], each role's packs in the
/// order they were met.
fn grouped<'a>(roles: &[&'a Role]) -> Vec<RoleGroup<'a>> {
    let mut groups: Vec<RoleGroup> = Vec::new();
    for (field, label) in ROLES {
        let packs: Vec<PackRole> = roles
            .iter()
            .filter(|r| r.field == field)
            .map(|r| PackRole {
                pack: &r.pack,
                url: r.url(),
                pack_url: &r.pack_url,
            })
            .collect();
        if !packs.is_empty() {
            groups.push(RoleGroup { role: label, packs });
        }
    }
    groups
}

/// Everyone named, split by the first letter of their name: the letters that have
/// someone, `a` to `z` then `other`, each person in the order of `owners`. `base` is the
/// site's base path.
pub(crate) fn letters<'a>(owners: &'a [Owner<'a>], base: &str) -> Vec<Letter<'a>> {
    let mut by_letter: Vec<Vec<&Owner>> = vec![Vec::new(); KEYS.len()];
    for o in owners {
        if let Some(list) = by_letter.get_mut(letter_of(&o.name)) {
            list.push(o);
        }
    }
    let mut out = Vec::new();
    for ((key, label), list) in KEYS.into_iter().zip(LABELS).zip(by_letter) {
        if list.is_empty() {
            continue;
        }
        let owners = list
            .iter()
            .map(|o| Entry {
                id: &o.id,
                name: &o.name,
                contacts: &o.contacts,
                roles: grouped(&o.roles),
            })
            .collect();
        out.push(Letter {
            key,
            label,
            url: format!("{base}owners/{key}/"),
            owners,
        });
    }
    out
}

/// `/owners/`: every letter with everyone on its page, each linked to their entry.
pub(crate) fn index<'a>(letters: &'a [Letter<'a>]) -> Vec<LetterIndex<'a>> {
    letters
        .iter()
        .map(|l| LetterIndex {
            key: l.key,
            label: l.label,
            url: &l.url,
            owners: l
                .owners
                .iter()
                .map(|o| {
                    let packs: HashSet<&str> = (o.roles.iter())
                        .flat_map(|g| g.packs.iter().map(|p| p.pack_url))
                        .collect();
                    IndexEntry {
                        name: o.name,
                        url: format!("{}#{}", l.url, o.id),
                        roles: o.roles.iter().map(|g| g.role).collect(),
                        packs: packs.len(),
                    }
                })
                .collect(),
        })
        .collect()
}
