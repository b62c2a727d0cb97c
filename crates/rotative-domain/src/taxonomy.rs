use serde::Serialize;

use crate::{Name, ParseError, Profile, Slug};

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
    /// Markdown, as the person wrote it.
    pub bio: Option<String>,
    pub profile: Profile,
}

impl Section {
    /// Whether its address is one of the site's own (`/recherche/`, `/redaction/`…): a new
    /// section cannot have it.
    pub fn has_reserved_slug(&self) -> bool {
        is_reserved_section_slug(&self.slug)
    }

    /// Where the site's pages (about, legal notice) are filed: readers never see it, since a
    /// page has its own address and no listing shows pages.
    pub fn for_pages() -> Self {
        Self {
            slug: Slug::for_headline("pages"),
            name: Name::of_site("Pages"),
        }
    }

    /// A section named by a writer: its slug comes from the name.
    pub fn named(name: Name) -> Result<Self, ParseError> {
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

/// First segments of the site's own addresses: a section there would be out of readers' reach
/// (or take the place of a page of the site's).
const RESERVED_SECTION_SLUGS: [&str; 18] = [
    "api",
    "auteur",
    "corrections",
    "feed",
    "healthz",
    "media",
    "metrics",
    // Where the site's pages are filed (`Section::for_pages`): no story's section.
    "pages",
    "readyz",
    "recherche",
    "redaction",
    "sitemaps",
    "sujet",
    "theme",
    "wp-admin",
    "wp-content",
    "wp-includes",
    "wp-json",
];

/// Whether a section (or a page) at `/{slug}/` would take the place of one of the site's own
/// pages.
pub fn is_reserved_section_slug(slug: &Slug) -> bool {
    RESERVED_SECTION_SLUGS.contains(&slug.as_ref())
}

/// What is wrong with a section as an editor typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionProblem {
    /// No name, a name on several lines or too long.
    Name(ParseError),
    /// A slug with `/` or `.`: an address, not a name.
    SlugPath,
    /// A slug with no letter or digit.
    SlugEmpty,
    /// A slug the site's own pages use.
    SlugReserved(Slug),
    DescriptionTooLong,
}

/// A section as an editor sets it: its name, its slug and what its page says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDraft {
    pub section: Section,
    pub description: String,
    pub in_navigation: bool,
}

impl SectionDraft {
    pub const MAX_DESCRIPTION_CHARS: usize = 300;

    /// Checks a section as typed. An empty slug comes from the name; a slug typed with capitals,
    /// accents or spaces is folded (`Économie Verte` → `economie-verte`), one with `/` or `.` is
    /// refused, as are the slugs of the site's own pages.
    pub fn parse(
        name: &str,
        slug: &str,
        description: &str,
        in_navigation: bool,
    ) -> Result<Self, Vec<SectionProblem>> {
        let mut problems = Vec::new();
        let name = Name::parse(name)
            .map_err(|e| problems.push(SectionProblem::Name(e)))
            .ok();
        let typed = slug.trim();
        let slug = if typed.contains(['/', '.', '\\']) {
            problems.push(SectionProblem::SlugPath);
            None
        } else {
            let source = if typed.is_empty() {
                name.as_ref().map_or("", AsRef::as_ref)
            } else {
                typed
            };
            match Slug::from_title(source) {
                Ok(slug) if is_reserved_section_slug(&slug) => {
                    problems.push(SectionProblem::SlugReserved(slug));
                    None
                }
                Ok(slug) => Some(slug),
                // Without a name, the name's problem says it all.
                Err(_) if typed.is_empty() && name.is_none() => None,
                Err(_) => {
                    problems.push(SectionProblem::SlugEmpty);
                    None
                }
            }
        };
        let description = crate::without_controls(description.trim());
        if description.chars().count() > Self::MAX_DESCRIPTION_CHARS {
            problems.push(SectionProblem::DescriptionTooLong);
        }
        match (name, slug) {
            (Some(name), Some(slug)) if problems.is_empty() => Ok(Self {
                section: Section { slug, name },
                description: description.into_owned(),
                in_navigation,
            }),
            _ => Err(problems),
        }
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
            profile: Profile::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_typed_by_an_editor_is_folded_or_refused() {
        let typed = SectionDraft::parse(" Économie verte ", "", "", true).unwrap();
        assert_eq!(typed.section.slug.as_ref(), "economie-verte");
        assert_eq!(typed.section.name.as_ref(), "Économie verte");
        let folded = SectionDraft::parse("Éco", "Économie Verte", " Le climat. ", false).unwrap();
        assert_eq!(folded.section.slug.as_ref(), "economie-verte");
        assert_eq!(folded.description, "Le climat.");
        assert!(!folded.in_navigation);
        assert_eq!(
            SectionDraft::parse("Éco", "../eco", "", true).unwrap_err(),
            vec![SectionProblem::SlugPath]
        );
        assert_eq!(
            SectionDraft::parse("Éco", "eco/nomie", "", true).unwrap_err(),
            vec![SectionProblem::SlugPath]
        );
        assert!(matches!(
            SectionDraft::parse("Recherche", "", "", true).unwrap_err()[..],
            [SectionProblem::SlugReserved(_)]
        ));
        assert!(
            Section::from_label("Rédaction")
                .unwrap()
                .has_reserved_slug()
        );
        assert!(!Section::from_label("Monde").unwrap().has_reserved_slug());
        assert_eq!(
            SectionDraft::parse("Éco", "« »", "", true).unwrap_err(),
            vec![SectionProblem::SlugEmpty]
        );
        assert!(matches!(
            SectionDraft::parse("", "", "", true).unwrap_err()[..],
            [SectionProblem::Name(_)]
        ));
        let long = "a".repeat(SectionDraft::MAX_DESCRIPTION_CHARS + 1);
        assert_eq!(
            SectionDraft::parse("Éco", "", &long, true).unwrap_err(),
            vec![SectionProblem::DescriptionTooLong]
        );
    }

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
