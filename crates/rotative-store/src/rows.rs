//! Turning stored values back into domain types. Stored data was valid when written, so a failure
//! here means the database was edited by hand or is damaged: it is reported, never ignored.

use jiff::Timestamp;
use rotative_domain::{Author, Claim, ClaimRating, Name, Section, Slug, Tag};
use sqlx::{Row, any::AnyRow};

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
    })
}

/// A fact-check's claim, from its three columns.
pub(crate) fn claim(row: &AnyRow) -> Result<Option<Claim>, StoreError> {
    let text: Option<String> = row.try_get("claim_text")?;
    let Some(text) = text else { return Ok(None) };
    let author: Option<String> = row.try_get("claim_author")?;
    let rating: Option<String> = row.try_get("claim_rating")?;
    let rating = ClaimRating::parse(rating.as_deref().unwrap_or_default())
        .map_err(|e| StoreError::corrupt("claim rating", e))?;
    Claim::parse(&text, author.as_deref(), rating)
        .map(Some)
        .map_err(|e| StoreError::corrupt("claim", e))
}
