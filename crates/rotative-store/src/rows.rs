//! Turning stored values back into domain types: the column groups many queries select (a
//! story's text, its section, a fact-check's claim) as typed rows, and the values they hold.
//! Stored data was valid when written, so a failure here means the database was edited by hand
//! or is damaged: it is reported, never ignored.

use jiff::Timestamp;
use rotative_domain::{
    AltText, ArticleKind, ArticleStatus, Author, Claim, ClaimRating, Correction, CorrectionKind,
    Email, Figure, Headline, MediaId, Name, Profile, ProfileLinks, SearchAndSocial, Section, Slug,
    Standfirst, Tag,
};
use sqlx::FromRow;

use crate::StoreError;

pub(crate) fn slug(value: &str) -> Result<Slug, StoreError> {
    Slug::parse(value).map_err(|e| StoreError::corrupt("slug", e))
}

pub(crate) fn name(value: &str) -> Result<Name, StoreError> {
    Name::parse(value).map_err(|e| StoreError::corrupt("name", e))
}

pub(crate) fn timestamp(seconds: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_second(seconds).map_err(|e| StoreError::corrupt("timestamp", e))
}

pub(crate) fn section(slug_value: &str, name_value: &str) -> Result<Section, StoreError> {
    Ok(Section {
        slug: slug(slug_value)?,
        name: name(name_value)?,
    })
}

pub(crate) fn tag(slug_value: &str, name_value: &str) -> Result<Tag, StoreError> {
    Ok(Tag {
        slug: slug(slug_value)?,
        name: name(name_value)?,
    })
}

pub(crate) fn author(
    slug_value: &str,
    name_value: &str,
    bio: Option<String>,
) -> Result<Author, StoreError> {
    Ok(Author {
        slug: slug(slug_value)?,
        name: name(name_value)?,
        bio,
        profile: Profile::default(),
    })
}

/// A byline with its profile (`profile_columns!`).
pub(crate) fn described_author(
    slug_value: &str,
    name_value: &str,
    bio: Option<String>,
    profile: ProfileColumns,
) -> Result<Author, StoreError> {
    Ok(Author {
        profile: profile.try_into()?,
        ..author(slug_value, name_value, bio)?
    })
}

pub(crate) fn correction(kind: &str, note: String, at: i64) -> Result<Correction, StoreError> {
    Ok(Correction {
        kind: CorrectionKind::parse(kind)
            .ok_or_else(|| StoreError::corrupt("correction kind", kind))?,
        note,
        at: timestamp(at)?,
    })
}

/// A fact-check's claim: its three columns, all empty for other stories.
#[derive(Debug, FromRow)]
pub(crate) struct ClaimColumns {
    #[sqlx(rename = "claim_text")]
    text: Option<String>,
    #[sqlx(rename = "claim_author")]
    author: Option<String>,
    #[sqlx(rename = "claim_rating")]
    rating: Option<String>,
}

impl TryFrom<ClaimColumns> for Option<Claim> {
    type Error = StoreError;

    fn try_from(columns: ClaimColumns) -> Result<Self, StoreError> {
        let Some(text) = columns.text else {
            return Ok(None);
        };
        let rating = ClaimRating::parse(columns.rating.as_deref().unwrap_or_default())
            .map_err(|e| StoreError::corrupt("claim rating", e))?;
        Claim::parse(&text, columns.author.as_deref(), rating)
            .map(Some)
            .map_err(|e| StoreError::corrupt("claim", e))
    }
}

/// A story's words for search engines and shared links (`SEARCH_AND_SOCIAL_COLUMNS`).
#[derive(Debug, FromRow)]
pub(crate) struct SearchAndSocialColumns {
    search_headline: Option<String>,
    social_headline: Option<String>,
    social_description: Option<String>,
}

pub(crate) const SEARCH_AND_SOCIAL_COLUMNS: &str =
    "a.search_headline, a.social_headline, a.social_description";

impl TryFrom<SearchAndSocialColumns> for SearchAndSocial {
    type Error = StoreError;

    fn try_from(columns: SearchAndSocialColumns) -> Result<Self, StoreError> {
        SearchAndSocial::parse(
            columns.search_headline.as_deref().unwrap_or_default(),
            columns.social_headline.as_deref().unwrap_or_default(),
            columns.social_description.as_deref().unwrap_or_default(),
        )
        .map_err(|problems| StoreError::corrupt("search and social", format!("{problems:?}")))
    }
}

/// The columns of a byline's profile besides its name and bio (`profile_columns!`, over
/// `authors au LEFT JOIN media m ON m.id = au.photo_id`), all empty for a byline never described.
#[derive(Debug, FromRow)]
pub(crate) struct ProfileColumns {
    job_title: Option<String>,
    photo_alt: Option<String>,
    website: Option<String>,
    email: Option<String>,
    fediverse: Option<String>,
    photo_id: Option<i64>,
    photo_key: Option<String>,
    photo_width: Option<i64>,
    photo_height: Option<i64>,
    photo_animated: Option<i64>,
}

/// What `ProfileColumns` selects, as a literal that `concat!` can build constant queries with.
macro_rules! profile_columns {
    () => {
        "au.job_title, au.photo_alt, au.website, au.email, au.fediverse, m.id AS photo_id, \
        m.storage_key AS photo_key, m.width AS photo_width, m.height AS photo_height, \
        CAST(m.animated AS BIGINT) AS photo_animated"
    };
}
pub(crate) use profile_columns;

impl TryFrom<ProfileColumns> for Profile {
    type Error = StoreError;

    fn try_from(columns: ProfileColumns) -> Result<Self, StoreError> {
        let photo = match (columns.photo_id, columns.photo_key, columns.photo_alt) {
            (Some(id), Some(key), Some(alt)) => Some(Figure {
                media: MediaId(id),
                key,
                width: dimension(columns.photo_width.unwrap_or_default())?,
                height: dimension(columns.photo_height.unwrap_or_default())?,
                animated: columns.photo_animated == Some(1),
                alt: AltText::parse(&alt).map_err(|e| StoreError::corrupt("photo alt", e))?,
                caption: None,
                credit: None,
            }),
            _ => None,
        };
        Ok(Self {
            job_title: columns.job_title,
            photo,
            links: ProfileLinks {
                website: columns.website,
                email: columns
                    .email
                    .map(|email| Email::parse(&email))
                    .transpose()
                    .map_err(|e| StoreError::corrupt("profile email", e))?,
                fediverse: columns.fediverse,
            },
        })
    }
}

/// What every story row says of its text: headline, standfirst and kind.
#[derive(Debug, FromRow)]
pub(crate) struct StoryTextColumns {
    headline: String,
    standfirst: Option<String>,
    kind: String,
}

/// A story's text columns, decoded.
pub(crate) struct StoryText {
    pub headline: Headline,
    pub standfirst: Option<Standfirst>,
    pub kind: ArticleKind,
}

impl TryFrom<StoryTextColumns> for StoryText {
    type Error = StoreError;

    fn try_from(columns: StoryTextColumns) -> Result<Self, StoreError> {
        Ok(Self {
            headline: Headline::parse(&columns.headline)
                .map_err(|e| StoreError::corrupt("headline", e))?,
            standfirst: columns
                .standfirst
                .map(|s| Standfirst::parse(&s))
                .transpose()
                .map_err(|e| StoreError::corrupt("standfirst", e))?,
            kind: ArticleKind::parse(&columns.kind).map_err(|e| StoreError::corrupt("kind", e))?,
        })
    }
}

/// A story's section, selected as `section_slug` and `section_name`.
#[derive(Debug, FromRow)]
pub(crate) struct SectionColumns {
    section_slug: String,
    section_name: String,
}

impl TryFrom<SectionColumns> for Section {
    type Error = StoreError;

    fn try_from(columns: SectionColumns) -> Result<Self, StoreError> {
        section(&columns.section_slug, &columns.section_name)
    }
}

/// A story's status column.
pub(crate) fn status(value: &str) -> Result<ArticleStatus, StoreError> {
    ArticleStatus::parse(value).map_err(|e| StoreError::corrupt("status", e))
}

/// A stored image's width or height.
pub(crate) fn dimension(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|e| StoreError::corrupt("image size", e))
}

/// A time that may be missing.
pub(crate) fn timestamp_opt(value: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
    value.map(timestamp).transpose()
}
