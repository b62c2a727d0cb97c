//! A story's words for where it is not read in full: a search engine's results and the card a
//! shared link makes on social networks and in messaging apps.

use serde::Serialize;

use crate::{CardDescription, ParseError, ShortHeadline};

/// Each is optional: without it, the story's headline or standfirst stands in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchAndSocial {
    /// The page's `<title>` and its structured data's headline.
    pub search_headline: Option<ShortHeadline>,
    /// The headline of the card a shared link makes (Open Graph).
    pub social_headline: Option<ShortHeadline>,
    /// The description of that card.
    pub social_description: Option<CardDescription>,
}

/// Which of the three a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchAndSocialField {
    SearchHeadline,
    SocialHeadline,
    SocialDescription,
}

impl SearchAndSocialField {
    /// The field's name in story files, the newsroom's form and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::SearchHeadline => "search_headline",
            Self::SocialHeadline => "social_headline",
            Self::SocialDescription => "social_description",
        }
    }
}

impl SearchAndSocial {
    /// What a writer typed, each left empty for "as the story says"; every problem found.
    pub fn parse(
        search_headline: &str,
        social_headline: &str,
        social_description: &str,
    ) -> Result<Self, Vec<(SearchAndSocialField, ParseError)>> {
        let mut problems = Vec::new();
        let search_headline = optional(
            search_headline,
            ShortHeadline::parse,
            SearchAndSocialField::SearchHeadline,
            &mut problems,
        );
        let social_headline = optional(
            social_headline,
            ShortHeadline::parse,
            SearchAndSocialField::SocialHeadline,
            &mut problems,
        );
        let social_description = optional(
            social_description,
            CardDescription::parse,
            SearchAndSocialField::SocialDescription,
            &mut problems,
        );
        if problems.is_empty() {
            Ok(Self {
                search_headline,
                social_headline,
                social_description,
            })
        } else {
            Err(problems)
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The three as stored: search headline, social headline, social description.
    pub fn texts(&self) -> [Option<&str>; 3] {
        [
            self.search_headline.as_ref().map(AsRef::as_ref),
            self.social_headline.as_ref().map(AsRef::as_ref),
            self.social_description.as_ref().map(AsRef::as_ref),
        ]
    }
}

/// An optional text: blank is none, anything else must parse.
fn optional<T>(
    typed: &str,
    parse: fn(&str) -> Result<T, ParseError>,
    field: SearchAndSocialField,
    problems: &mut Vec<(SearchAndSocialField, ParseError)>,
) -> Option<T> {
    match parse(typed) {
        Ok(value) => Some(value),
        Err(ParseError::Empty) => None,
        Err(problem) => {
            problems.push((field, problem));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_leave_the_story_s_own_words() {
        let parsed = SearchAndSocial::parse("  ", "", "\n").unwrap();
        assert!(parsed.is_empty());
    }

    #[test]
    fn each_is_trimmed_and_checked_for_its_place() {
        let parsed = SearchAndSocial::parse(
            " Budget 2027 : ce qui change ",
            "Ce que le budget change pour vous",
            "Impôts, aides,\nretraites.",
        )
        .unwrap();
        assert_eq!(
            parsed.search_headline.unwrap().as_ref(),
            "Budget 2027 : ce qui change"
        );
        assert_eq!(
            parsed.social_description.unwrap().as_ref(),
            "Impôts, aides,\nretraites."
        );
        let problems =
            SearchAndSocial::parse(&"a".repeat(111), "deux\nlignes", &"b".repeat(301)).unwrap_err();
        assert_eq!(
            problems,
            vec![
                (
                    SearchAndSocialField::SearchHeadline,
                    ParseError::TooLong { max: 110 }
                ),
                (SearchAndSocialField::SocialHeadline, ParseError::MultiLine),
                (
                    SearchAndSocialField::SocialDescription,
                    ParseError::TooLong { max: 300 }
                ),
            ]
        );
    }
}
