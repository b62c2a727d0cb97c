use serde::Serialize;

use crate::ParseError;

/// The verdict of a fact-check, on the scale readers and search engines see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimRating {
    False,
    MostlyFalse,
    Misleading,
    Mixed,
    MostlyTrue,
    True,
    Unproven,
}

impl ClaimRating {
    pub const ALL: [Self; 7] = [
        Self::False,
        Self::MostlyFalse,
        Self::Misleading,
        Self::Mixed,
        Self::MostlyTrue,
        Self::True,
        Self::Unproven,
    ];

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(
            value,
            &Self::ALL,
            Self::as_str,
            "false, mostly_false, misleading, mixed, mostly_true, true, unproven",
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::False => "false",
            Self::MostlyFalse => "mostly_false",
            Self::Misleading => "misleading",
            Self::Mixed => "mixed",
            Self::MostlyTrue => "mostly_true",
            Self::True => "true",
            Self::Unproven => "unproven",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::False => "Faux",
            Self::MostlyFalse => "Plutôt faux",
            Self::Misleading => "Trompeur",
            Self::Mixed => "En partie vrai",
            Self::MostlyTrue => "Plutôt vrai",
            Self::True => "Vrai",
            Self::Unproven => "Invérifiable",
        }
    }

    /// The verdict on schema.org's 1 (false) to 5 (true) scale; an unproven claim has none.
    pub fn score(self) -> Option<u8> {
        match self {
            Self::False => Some(1),
            Self::MostlyFalse | Self::Misleading => Some(2),
            Self::Mixed => Some(3),
            Self::MostlyTrue => Some(4),
            Self::True => Some(5),
            Self::Unproven => None,
        }
    }
}

/// What a fact-check examines: the claim as it was made, who made it, and the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub text: String,
    pub author: Option<String>,
    pub rating: ClaimRating,
}

impl Claim {
    const MAX_TEXT: usize = 500;
    const MAX_AUTHOR: usize = 200;

    pub fn parse(
        text: &str,
        author: Option<&str>,
        rating: ClaimRating,
    ) -> Result<Self, ParseError> {
        let text = crate::without_controls(text);
        let text = text.trim();
        if text.is_empty() {
            return Err(ParseError::Empty);
        }
        if text.chars().count() > Self::MAX_TEXT {
            return Err(ParseError::TooLong {
                max: Self::MAX_TEXT,
            });
        }
        let author = author.map(crate::without_controls);
        let author = author.as_deref().map(str::trim).filter(|a| !a.is_empty());
        if author.is_some_and(|a| a.chars().count() > Self::MAX_AUTHOR) {
            return Err(ParseError::TooLong {
                max: Self::MAX_AUTHOR,
            });
        }
        Ok(Self {
            text: text.to_owned(),
            author: author.map(str::to_owned),
            rating,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_round_trip_and_score() {
        for rating in ClaimRating::ALL {
            assert_eq!(ClaimRating::parse(rating.as_str()), Ok(rating));
        }
        assert_eq!(ClaimRating::False.score(), Some(1));
        assert_eq!(ClaimRating::Unproven.score(), None);
    }

    #[test]
    fn a_claim_needs_text() {
        assert!(Claim::parse("  ", None, ClaimRating::True).is_err());
    }
}
