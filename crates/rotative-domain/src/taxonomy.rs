use serde::Serialize;

use crate::{Name, Slug};

/// A part of the site (Monde, Économie…): every story belongs to exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub slug: Slug,
    pub name: Name,
}

/// A subject that cuts across sections (Bélarus, Russie…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub slug: Slug,
    pub name: Name,
}

/// A person who signs stories; readers reach their page from the byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub slug: Slug,
    pub name: Name,
    pub bio: Option<String>,
}

impl Section {
    /// A section named by a writer: its slug comes from the name.
    pub fn named(name: Name) -> Result<Self, crate::ParseError> {
        Ok(Self {
            slug: Slug::from_title(name.as_ref())?,
            name,
        })
    }

    /// A section from a label as people type it in files and forms: a label written all in
    /// capitals or all in lowercase (`MONDE`, `monde`) is shown as a name (`Monde`); a label in
    /// mixed case is kept as written.
    pub fn from_label(label: &str) -> Result<Self, crate::ParseError> {
        let label = label.trim();
        let has_upper = label.chars().any(char::is_uppercase);
        let has_lower = label.chars().any(char::is_lowercase);
        if has_upper && has_lower {
            return Self::named(Name::parse(label)?);
        }
        let mut chars = label.chars();
        let name: String = chars
            .next()
            .map(|first| {
                first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
            .unwrap_or_default();
        Self::named(Name::parse(&name)?)
    }
}

impl Tag {
    pub fn named(name: Name) -> Result<Self, crate::ParseError> {
        Ok(Self {
            slug: Slug::from_title(name.as_ref())?,
            name,
        })
    }
}

impl Author {
    pub fn named(name: Name) -> Result<Self, crate::ParseError> {
        Ok(Self {
            slug: Slug::from_title(name.as_ref())?,
            name,
            bio: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_labels_become_names() {
        for (label, name, slug) in [
            ("MONDE", "Monde", "monde"),
            ("économie", "Économie", "economie"),
            ("ÉCONOMIE", "Économie", "economie"),
            ("vie locale", "Vie locale", "vie-locale"),
            ("Île-de-France", "Île-de-France", "ile-de-france"),
        ] {
            let section = Section::from_label(label).unwrap();
            assert_eq!(
                (section.name.as_ref(), section.slug.as_ref()),
                (name, slug),
                "{label}"
            );
        }
        assert!(Section::from_label("  ").is_err());
    }
}
