use std::fmt;

use jiff::{Timestamp, tz::TimeZone};
use serde::Serialize;

use crate::{ParseError, Slug};

/// An article's public path, `/{section}/{yyyy}/{mm}/{dd}/{slug}`: the date is the publication day
/// in the site's time zone, so a story published at 00:30 in Paris is filed under that day. A page
/// of the site (about, legal notice) has a short one instead, `/{slug}/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct ArticlePath(String);

/// The pieces of an article URL as they arrive from a request, before they are trusted.
#[derive(Debug, Clone, Copy)]
pub struct ArticleUrlParts<'a> {
    pub section: &'a str,
    pub year: &'a str,
    pub month: &'a str,
    pub day: &'a str,
    pub slug: &'a str,
}

impl ArticlePath {
    pub fn new(section: &Slug, slug: &Slug, published_at: Timestamp, tz: &TimeZone) -> Self {
        let date = published_at.to_zoned(tz.clone()).date();
        Self(format!(
            "/{section}/{:04}/{:02}/{:02}/{slug}",
            date.year(),
            date.month(),
            date.day()
        ))
    }

    /// A page's address: its slug at the root of the site.
    pub fn page(slug: &Slug) -> Self {
        Self(format!("/{slug}/"))
    }

    /// Whether this is a page's address rather than a dated story's.
    pub fn is_page(&self) -> bool {
        self.0.ends_with('/')
    }

    /// Rebuilds the path from URL pieces, refusing anything that is not a canonical article path.
    pub fn from_parts(parts: ArticleUrlParts<'_>) -> Result<Self, ParseError> {
        let section = Slug::parse(parts.section)?;
        let slug = Slug::parse(parts.slug)?;
        let number = |s: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .filter(|n| range.contains(n))
        };
        let date = format!("{}/{}/{}", parts.year, parts.month, parts.day);
        match (
            number(parts.year, 4, 1..=9999),
            number(parts.month, 2, 1..=12),
            number(parts.day, 2, 1..=31),
        ) {
            (Some(_), Some(_), Some(_)) => Ok(Self(format!("/{section}/{date}/{slug}"))),
            _ => Err(ParseError::InvalidDate(date)),
        }
    }

    /// The same address with another slug: the section and the date stay (a page's is its
    /// slug alone).
    #[must_use]
    pub fn with_slug(&self, slug: &Slug) -> Self {
        if self.is_page() {
            return Self::page(slug);
        }
        let dated = self.0.rsplit_once('/').map_or("", |(dated, _)| dated);
        Self(format!("{dated}/{slug}"))
    }

    /// Trusts a path read back from storage, where only `new` ever wrote it.
    pub fn from_stored(path: String) -> Self {
        Self(path)
    }
}

impl AsRef<str> for ArticlePath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticlePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    #[test]
    fn a_new_slug_keeps_the_section_and_the_date() {
        let path = ArticlePath::from_stored("/monde/2026/12/03/le-port".into());
        let slug = Slug::parse("le-port-rouvre").unwrap();
        assert_eq!(
            path.with_slug(&slug).as_ref(),
            "/monde/2026/12/03/le-port-rouvre"
        );
    }

    #[test]
    fn a_page_lives_at_the_root_and_keeps_its_form_with_a_new_slug() {
        let slug = Slug::parse("a-propos").unwrap();
        let page = ArticlePath::page(&slug);
        assert_eq!(page.as_ref(), "/a-propos/");
        assert!(page.is_page());
        let other = Slug::parse("qui-sommes-nous").unwrap();
        assert_eq!(page.with_slug(&other).as_ref(), "/qui-sommes-nous/");
        assert!(!ArticlePath::from_stored("/monde/2026/12/03/le-port".into()).is_page());
    }

    #[test]
    fn date_is_the_local_publication_day() {
        let section = Slug::parse("monde").unwrap();
        let slug = Slug::parse("une-histoire").unwrap();
        let just_after_midnight_in_paris: Timestamp = "2026-11-23T23:30:00Z".parse().unwrap();
        assert_eq!(
            ArticlePath::new(&section, &slug, just_after_midnight_in_paris, &paris()).as_ref(),
            "/monde/2026/11/24/une-histoire"
        );
    }

    #[test]
    fn url_parts_must_be_canonical() {
        let ok = ArticleUrlParts {
            section: "monde",
            year: "2026",
            month: "11",
            day: "24",
            slug: "x",
        };
        assert_eq!(
            ArticlePath::from_parts(ok).unwrap().as_ref(),
            "/monde/2026/11/24/x"
        );
        for (year, month, day) in [
            ("26", "11", "24"),
            ("2026", "13", "01"),
            ("2026", "1", "01"),
            ("2026", "11", "32"),
        ] {
            let parts = ArticleUrlParts {
                year,
                month,
                day,
                ..ok
            };
            assert!(
                ArticlePath::from_parts(parts).is_err(),
                "{year}/{month}/{day}"
            );
        }
        assert!(ArticlePath::from_parts(ArticleUrlParts { slug: "..", ..ok }).is_err());
    }
}
