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
