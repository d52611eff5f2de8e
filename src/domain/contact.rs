//! People as written in packs (`Name <contact>`): their name, and a working link to reach them.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Contact {
    pub name: String,
    /// The contact as written, without the angle brackets.
    pub contact: Option<String>,
    /// `mailto:`, `tel:` or a web link; chat handles and channels have none.
    pub href: Option<String>,
}

impl Contact {
    /// Whether the contact stands alone, with no name written.
    pub fn is_bare(&self) -> bool {
        self.contact.as_deref() == Some(self.name.as_str())
    }

    /// A key that is the same however the person's contact is written.
    pub fn key(&self) -> String {
        self.name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(['.', ','])
            .to_lowercase()
    }
}

fn is_email(s: &str) -> bool {
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn phone_digits(s: &str) -> Option<String> {
    let s = s.strip_prefix("tel:").unwrap_or(s).trim();
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 7).then(|| {
        if s.starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        }
    })
}

fn href(contact: &str) -> Option<String> {
    let c = contact.trim();
    if is_email(c) {
        Some(format!("mailto:{}", c.strip_prefix("mailto:").unwrap_or(c)))
    } else if let Some(d) = phone_digits(c) {
        Some(format!("tel:{d}"))
    } else if c.starts_with("https://") || c.starts_with("http://") {
        Some(c.to_string())
    } else {
        None
    }
}

/// The contact group of `Name <contact>`: the last `<…>` holding no other angle bracket,
/// as (start of `<`, the text inside, end after `>`), so a name with `<` or `>` in it
/// (`Ops <<team>> <ops@x.example>`, `A > B <a@x.example>`) keeps its contact.
fn contact_group(text: &str) -> Option<(usize, &str, usize)> {
    let close = text.rfind('>')?;
    let open = text.get(..close)?.rfind('<')?;
    let inner = text.get(open + 1..close)?;
    (!inner.trim().is_empty()).then_some((open, inner, close + 1))
}

/// Parses `Name <contact>`; a bare e-mail or phone number is its own contact.
pub fn parse(text: &str) -> Contact {
    let text = text.trim();
    if let Some((open, inner, _)) = contact_group(text) {
        let name = text.get(..open).unwrap_or("").trim();
        let inner = inner.trim();
        return Contact {
            name: if name.is_empty() {
                inner.to_string()
            } else {
                name.to_string()
            },
            contact: Some(inner.to_string()),
            href: href(inner),
        };
    }
    let link = href(text);
    Contact {
        name: text.to_string(),
        contact: link.is_some().then(|| text.to_string()),
        href: link,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_forms() {
        let c = parse("Dana Ortiz <dana@acme.example>");
        assert_eq!(c.name, "Dana Ortiz");
        assert_eq!(c.href.as_deref(), Some("mailto:dana@acme.example"));
        assert_eq!(
            parse("Priya N. <+1 555 0100>").href.as_deref(),
            Some("tel:+15550100")
        );
        let h = parse("Sam Lee <@slee>");
        assert_eq!((h.contact.as_deref(), h.href), (Some("@slee"), None));
        assert_eq!(
            parse("Platform on-call <#ai-platform>").contact.as_deref(),
            Some("#ai-platform")
        );
        assert_eq!(parse("Dana Ortiz").contact, None);
        assert_eq!(
            parse("dana@acme.example").href.as_deref(),
            Some("mailto:dana@acme.example")
        );
        assert_eq!(
            parse("Pager <https://pager.example/x>").href.as_deref(),
            Some("https://pager.example/x")
        );
    }

    #[test]
    fn angle_brackets_in_names_keep_the_contact() {
        let c = parse("Ops <<team>> <ops@x.example>");
        assert_eq!(c.name, "Ops <<team>>");
        assert_eq!(c.contact.as_deref(), Some("ops@x.example"));
        assert_eq!(c.href.as_deref(), Some("mailto:ops@x.example"));
        let c = parse("A > B <a@x.example>");
        assert_eq!(c.name, "A > B");
        assert_eq!(c.href.as_deref(), Some("mailto:a@x.example"));
        let c = parse("Dana <dana@x.example> (mornings)");
        assert_eq!(
            (c.name.as_str(), c.contact.as_deref()),
            ("Dana", Some("dana@x.example"))
        );
        let c = parse("A < B");
        assert_eq!((c.name.as_str(), c.contact), ("A < B", None));
        assert!(parse("dana@x.example").is_bare());
        assert!(!parse("Dana <dana@x.example>").is_bare());
    }

    #[test]
    fn keys_merge_spellings() {
        assert_eq!(
            parse("Dana  Ortiz <dana@a.example>").key(),
            parse("dana ortiz <@dana>").key()
        );
        assert_eq!(
            parse("Priya N. <+1 555 0100>").key(),
            parse("Priya N <x@y.example>").key()
        );
    }
}
