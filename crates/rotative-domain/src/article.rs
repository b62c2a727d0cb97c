use jiff::Timestamp;
use serde::Serialize;

use crate::{
    AltText, ArticleId, ArticlePath, Author, Claim, Headline, MediaId, ParseError, SearchAndSocial,
    Section, Slug, Source, Standfirst, Tag,
};

/// What kind of journalism a story is, shown to readers so news is never mistaken for opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleKind {
    News,
    Analysis,
    Opinion,
    Interview,
    Report,
    Explainer,
    /// Checks one claim and gives a verdict (with schema.org `ClaimReview`).
    FactCheck,
}

impl ArticleKind {
    pub const ALL: [Self; 7] = [
        Self::News,
        Self::Analysis,
        Self::Opinion,
        Self::Interview,
        Self::Report,
        Self::Explainer,
        Self::FactCheck,
    ];
    const EXPECTED: &'static str =
        "news, analysis, opinion, interview, report, explainer, factcheck";

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(value, &Self::ALL, Self::as_str, Self::EXPECTED)
    }

    /// The stable identifier stored in databases and story files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::News => "news",
            Self::Analysis => "analysis",
            Self::Opinion => "opinion",
            Self::Interview => "interview",
            Self::Report => "report",
            Self::Explainer => "explainer",
            Self::FactCheck => "factcheck",
        }
    }

    /// The label readers see above the headline.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::News => "Actualité",
            Self::Analysis => "Analyse",
            Self::Opinion => "Opinion",
            Self::Interview => "Entretien",
            Self::Report => "Reportage",
            Self::Explainer => "Décryptage",
            Self::FactCheck => "Vérification",
        }
    }
}

/// Where a story stands in the editorial workflow. Only `Published` stories reach readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    InReview,
    Scheduled,
    Published,
    Unpublished,
}

impl ArticleStatus {
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::InReview,
        Self::Scheduled,
        Self::Published,
        Self::Unpublished,
    ];
    const EXPECTED: &'static str = "draft, in_review, scheduled, published, unpublished";

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(value, &Self::ALL, Self::as_str, Self::EXPECTED)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Unpublished => "unpublished",
        }
    }
}

/// An image placed in a story: the alt text is required, caption and credit are what readers see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub media: MediaId,
    /// The content-addressed name the media layer stores and serves the file under.
    pub key: String,
    pub width: u32,
    pub height: u32,
    /// A moving image is shown as uploaded: its resized copies are stills.
    pub animated: bool,
    pub alt: AltText,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A story as readers see it: everything a page, a feed or a JSON-LD block needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: ArticleId,
    pub slug: Slug,
    pub path: ArticlePath,
    pub headline: Headline,
    pub standfirst: Option<Standfirst>,
    /// Sanitised HTML, rendered once when the story was saved.
    pub body_html: String,
    pub kind: ArticleKind,
    pub status: ArticleStatus,
    pub section: Section,
    pub tags: Vec<Tag>,
    pub authors: Vec<Author>,
    pub lead_image: Option<Figure>,
    /// What the story relies on, shown to readers.
    pub sources: Vec<Source>,
    /// The claim a fact-check examines, with its verdict.
    pub claim: Option<Claim>,
    /// Its words for search engines and shared links, where they differ from the page's.
    pub search_and_social: SearchAndSocial,
    pub published_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    /// A page of the site (about, legal notice) rather than a story: at `/{slug}/`, in no
    /// listing, feed or search.
    pub is_page: bool,
}

/// A page of the site as every page's footer links to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageLink {
    pub title: Headline,
    pub path: ArticlePath,
}

/// A story in a list (home, section, tag and author pages, related articles).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub path: ArticlePath,
    pub headline: Headline,
    pub standfirst: Option<Standfirst>,
    pub kind: ArticleKind,
    pub section: Section,
    pub authors: Vec<Author>,
    pub lead_image: Option<Figure>,
    pub published_at: Timestamp,
}

impl Article {
    /// The headline search engines show: the page's `<title>` and structured data.
    pub fn search_headline(&self) -> &str {
        self.search_and_social
            .search_headline
            .as_ref()
            .map_or(self.headline.as_ref(), AsRef::as_ref)
    }

    /// The headline of the card a shared link makes.
    pub fn social_headline(&self) -> &str {
        self.search_and_social
            .social_headline
            .as_ref()
            .map_or(self.headline.as_ref(), AsRef::as_ref)
    }

    /// The description of that card: the standfirst unless one was written for it.
    pub fn social_description(&self) -> Option<&str> {
        self.search_and_social
            .social_description
            .as_ref()
            .map(AsRef::as_ref)
            .or(self.standfirst.as_ref().map(AsRef::as_ref))
    }

    /// Whether the story was changed after it first reached readers, so the page shows both dates.
    pub fn was_updated(&self) -> bool {
        self.published_at
            .is_some_and(|published| self.updated_at > published)
    }
}

/// Why a story's kind and claim do not go together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimMismatch {
    #[error("a fact-check needs the claim it examines and a verdict")]
    FactCheckWithoutClaim,
    #[error("only a fact-check carries a claim and a verdict")]
    ClaimWithoutFactCheck,
}

/// A fact-check has exactly one claim; no other kind of story has one.
pub fn check_claim(kind: ArticleKind, claim: Option<&Claim>) -> Result<(), ClaimMismatch> {
    match (kind, claim) {
        (ArticleKind::FactCheck, None) => Err(ClaimMismatch::FactCheckWithoutClaim),
        (ArticleKind::FactCheck, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err(ClaimMismatch::ClaimWithoutFactCheck),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClaimRating;

    #[test]
    fn only_fact_checks_carry_claims() {
        let claim = Claim::parse(
            "La Lune est en fromage.",
            Some("Un élu"),
            ClaimRating::False,
        )
        .unwrap();
        assert_eq!(check_claim(ArticleKind::FactCheck, Some(&claim)), Ok(()));
        assert_eq!(
            check_claim(ArticleKind::FactCheck, None),
            Err(ClaimMismatch::FactCheckWithoutClaim)
        );
        assert_eq!(
            check_claim(ArticleKind::News, Some(&claim)),
            Err(ClaimMismatch::ClaimWithoutFactCheck)
        );
        assert_eq!(check_claim(ArticleKind::News, None), Ok(()));
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for kind in ArticleKind::ALL {
            assert_eq!(ArticleKind::parse(kind.as_str()), Ok(kind));
        }
        for status in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(status.as_str()), Ok(status));
        }
        assert!(matches!(
            ArticleKind::parse("rumour"),
            Err(ParseError::UnknownValue { .. })
        ));
    }
}
