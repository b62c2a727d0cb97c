use std::fmt;

use serde::Serialize;

use crate::ParseError;

const MAX_SLUG_LEN: usize = 96;

/// The URL-safe name of a thing: lowercase ASCII letters, digits and single hyphens.
/// French text is folded rather than percent-encoded, so `Économie` reads `economie` in a link.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts a string that already is a slug (from a URL or a database row).
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let well_formed = !value.is_empty()
            && value.len() <= MAX_SLUG_LEN
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--")
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if well_formed {
            Ok(Self(value.to_owned()))
        } else {
            Err(ParseError::InvalidSlug(value.to_owned()))
        }
    }

    /// Makes a slug from a human title: accents folded (`é` → `e`, `œ` → `oe`), apostrophes and
    /// punctuation become word breaks, cut at a word boundary so URLs stay readable.
    pub fn from_title(title: &str) -> Result<Self, ParseError> {
        let folded = deunicode::deunicode(title).to_ascii_lowercase();
        let mut slug = String::with_capacity(folded.len());
        for word in folded
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let extra = usize::from(!slug.is_empty()) + word.len();
            if slug.len() + extra > MAX_SLUG_LEN {
                if slug.is_empty() {
                    slug.push_str(&word[..MAX_SLUG_LEN]);
                }
                break;
            }
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(word);
        }
        if slug.is_empty() {
            return Err(ParseError::NoSlugCharacters);
        }
        Ok(Self(slug))
    }

    /// A story's slug from its headline; a headline of punctuation only still needs an
    /// address, and gets `article`.
    pub fn for_headline(headline: &str) -> Self {
        Self::from_title(headline).unwrap_or_else(|_| Self("article".to_owned()))
    }

    /// The `n`th alternative when this slug is taken: `name-2`, `name-3`… within the length limit.
    #[must_use]
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let keep = self.0.len().min(MAX_SLUG_LEN - suffix.len());
        let base = self.0[..keep].trim_end_matches('-');
        Self(format!("{base}{suffix}"))
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn folds_french_accents_and_ligatures() {
        let cases = [
            ("Économie", "economie"),
            ("Biélorussie", "bielorussie"),
            (
                "L’armée biélorusse accuse Poutine",
                "l-armee-bielorusse-accuse-poutine",
            ),
            ("Œuvres complètes : « tome 2 »", "oeuvres-completes-tome-2"),
            ("  Ça   va ? ", "ca-va"),
            ("Noël à l'île d'Yeu", "noel-a-l-ile-d-yeu"),
        ];
        for (title, expected) in cases {
            assert_eq!(
                Slug::from_title(title).unwrap().as_ref(),
                expected,
                "{title}"
            );
        }
    }

    #[test]
    fn refuses_titles_without_letters() {
        assert_eq!(Slug::from_title("« … »"), Err(ParseError::NoSlugCharacters));
    }

    #[test]
    fn parse_accepts_only_canonical_slugs() {
        assert!(Slug::parse("monde").is_ok());
        assert!(Slug::parse("a-b-2").is_ok());
        for bad in ["", "Monde", "a--b", "-a", "a-", "é", "a/b", "../etc"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn suffix_keeps_length_limit() {
        let long = Slug::from_title(&"mot ".repeat(60)).unwrap();
        let suffixed = long.with_suffix(12);
        assert!(suffixed.as_ref().len() <= MAX_SLUG_LEN);
        assert!(suffixed.as_ref().ends_with("-12"));
        assert!(Slug::parse(suffixed.as_ref()).is_ok());
    }

    proptest! {
        #[test]
        fn any_title_gives_a_parseable_slug_or_a_clear_error(title in "\\PC{0,200}") {
            match Slug::from_title(&title) {
                Ok(slug) => prop_assert!(Slug::parse(slug.as_ref()).is_ok()),
                Err(e) => prop_assert_eq!(e, ParseError::NoSlugCharacters),
            }
        }
    }
}
