use std::fmt;

use serde::Serialize;

use crate::ParseError;

/// Whether a character has no place in text readers get: control characters other than tab and
/// line breaks (pasted from old word processors, or typed to break XML: a feed holding U+0001 is
/// not well-formed), and the two noncharacters XML also forbids.
fn is_stray_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The text without stray control characters; borrowed when it has none (almost always).
pub fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(is_stray_control) {
        text.replace(is_stray_control, "").into()
    } else {
        text.into()
    }
}

/// Drops stray control characters, trims, then checks the length in characters (what a writer
/// counts, not bytes).
pub(crate) fn bounded_text(value: &str, max: usize, one_line: bool) -> Result<String, ParseError> {
    let value = without_controls(value);
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if one_line && trimmed.contains(['\n', '\r']) {
        return Err(ParseError::MultiLine);
    }
    if trimmed.chars().count() > max {
        return Err(ParseError::TooLong { max });
    }
    Ok(trimmed.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, one_line = $one_line:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(value: &str) -> Result<Self, ParseError> {
                bounded_text(value, Self::MAX_CHARS, $one_line).map(Self)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A story's headline: one line, short enough for a search result and a social card.
    Headline, max = 200, one_line = true
);
text_type!(
    /// The paragraph under the headline that says what the story is about.
    Standfirst, max = 600, one_line = false
);
text_type!(
    /// A headline written for one place only, a search engine's results or a shared link's
    /// card: 110 characters at most, the length search engines take for an article's headline.
    ShortHeadline, max = 110, one_line = true
);
text_type!(
    /// The description a shared link's card shows under its headline.
    CardDescription, max = 300, one_line = false
);
text_type!(
    /// The name of a section, tag or author as readers see it.
    Name, max = 120, one_line = true
);

impl Name {
    /// A name the site itself gives (one line, short), not one a person typed.
    pub(crate) fn of_site(name: &'static str) -> Self {
        Self(name.to_owned())
    }
}
text_type!(
    /// What an image shows, for readers who cannot see it. Required on every figure.
    AltText, max = 500, one_line = true
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_is_trimmed_and_bounded() {
        assert_eq!(Headline::parse("  Titre  ").unwrap().as_ref(), "Titre");
        assert_eq!(Headline::parse("   "), Err(ParseError::Empty));
        assert_eq!(Headline::parse("a\nb"), Err(ParseError::MultiLine));
        let long = "é".repeat(Headline::MAX_CHARS + 1);
        assert_eq!(
            Headline::parse(&long),
            Err(ParseError::TooLong {
                max: Headline::MAX_CHARS
            })
        );
        assert!(Headline::parse(&"é".repeat(Headline::MAX_CHARS)).is_ok());
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(
            Standfirst::parse("Un\u{1} chapeau\u{7f}\u{85}\u{fffe} sur\ndeux\tlignes")
                .unwrap()
                .as_ref(),
            "Un chapeau sur\ndeux\tlignes"
        );
        assert_eq!(Headline::parse("\u{1}\u{2}"), Err(ParseError::Empty));
        assert_eq!(without_controls("Déjà propre"), "Déjà propre");
    }

    #[test]
    fn standfirst_may_span_lines() {
        assert!(Standfirst::parse("un\ndeux").is_ok());
    }
}

/// A newsroom account's address, kept lowercase so `Claire@Exemple.fr` signs in as
/// `claire@exemple.fr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    const MAX_LEN: usize = 254;

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let value = value.trim().to_lowercase();
        let valid = value.len() <= Self::MAX_LEN
            && !value.contains(char::is_whitespace)
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid {
            Ok(Self(value))
        } else {
            Err(ParseError::InvalidEmail)
        }
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod email_tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Claire@Exemple.FR ").unwrap().as_ref(),
            "claire@exemple.fr"
        );
        for bad in [
            "",
            "claire",
            "@exemple.fr",
            "claire@",
            "claire@exemple",
            "a b@c.fr",
            "a@b@c.fr",
            "a@.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
