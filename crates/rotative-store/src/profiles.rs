//! Bylines and their profiles: what readers see of a person beside their stories and on their
//! page, and the list the newsroom keeps them in. A byline needs no account (agencies, guests);
//! an account has one byline, the one it signs with. A profile's change is logged by the
//! `authors` triggers: the author's page and their stories' pages show it.

use rotative_domain::{AltText, Author, AuthorId, MediaId, Name, ProfileLinks, Slug, UserId};
use sqlx::{FromRow, any::AnyArguments};

use crate::{Store, StoreError, Taken, rows, statement::add, users::insert_audit};

/// A byline with what the newsroom shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BylineRecord {
    pub id: AuthorId,
    pub author: Author,
    /// The name of the account that signs with it; none for agencies and guests.
    pub account: Option<String>,
    /// Stories it signs, in any state, and those readers see.
    pub stories: u64,
    pub published: u64,
}

/// What the newsroom sets of a byline. Its slug (its page's address) stays what it was.
#[derive(Debug, Clone, Copy)]
pub struct ProfileFields<'a> {
    pub name: &'a Name,
    /// Markdown.
    pub bio: Option<&'a str>,
    pub job_title: Option<&'a str>,
    pub photo: Option<(MediaId, &'a AltText)>,
    pub links: &'a ProfileLinks,
}

impl<'a> ProfileFields<'a> {
    /// Adds the profile's columns to a statement's arguments, in the order both statements
    /// name them: name, bio, job title, photo, its description, website, email, fediverse.
    fn add_to(self, arguments: &mut AnyArguments<'a>) -> Result<(), StoreError> {
        add(arguments, self.name.as_ref())?;
        add(arguments, self.bio)?;
        add(arguments, self.job_title)?;
        add(arguments, self.photo.map(|(media, _)| media.0))?;
        add(arguments, self.photo.map(|(_, alt)| alt.as_ref()))?;
        add(arguments, self.links.website.as_deref())?;
        add(arguments, self.links.email.as_ref().map(AsRef::as_ref))?;
        add(arguments, self.links.fediverse.as_deref())
    }
}

/// A byline with its profile and counts (`RECORDS`).
#[derive(FromRow)]
struct RecordRow {
    id: i64,
    slug: String,
    name: String,
    bio: Option<String>,
    #[sqlx(flatten)]
    profile: rows::ProfileColumns,
    account: Option<String>,
    stories: i64,
    published: i64,
}

impl TryFrom<RecordRow> for BylineRecord {
    type Error = StoreError;

    fn try_from(row: RecordRow) -> Result<Self, StoreError> {
        let author = rows::described_author(&row.slug, &row.name, row.bio, row.profile)?;
        let count = |n: i64| u64::try_from(n).map_err(|e| StoreError::corrupt("story count", e));
        Ok(Self {
            id: AuthorId(row.id),
            author,
            account: row.account,
            stories: count(row.stories)?,
            published: count(row.published)?,
        })
    }
}

/// A byline with its profile, for its public page.
#[derive(FromRow)]
struct AuthorRow {
    id: i64,
    slug: String,
    name: String,
    bio: Option<String>,
    #[sqlx(flatten)]
    profile: rows::ProfileColumns,
}

/// Bylines with their profiles, the account that signs with each, and their stories' counts;
/// `WHERE` and the order are the caller's.
fn records(filter: &str) -> String {
    format!(
        "SELECT au.id, au.slug, au.name, au.bio, {profile},
            (SELECT MIN(u.name) FROM users u WHERE u.author_id = au.id) AS account,
            (SELECT COUNT(*) FROM article_authors aa WHERE aa.author_id = au.id) AS stories,
            (SELECT COUNT(*) FROM article_authors aa JOIN articles a ON a.id = aa.article_id
             WHERE aa.author_id = au.id AND a.status = 'published') AS published
         FROM authors au LEFT JOIN media m ON m.id = au.photo_id {filter}",
        profile = rows::profile_columns!()
    )
}

impl Store {
    /// Bylines whose name holds `search` (every byline for an empty one), at most `limit`, in
    /// the order of their slugs: the name's letters without accents or capitals, compared the
    /// same way on every database.
    pub async fn byline_records(
        &self,
        search: &str,
        limit: u32,
    ) -> Result<Vec<BylineRecord>, StoreError> {
        // A slug holds letters, digits and hyphens only: no `%` or `_` reaches the pattern.
        let folded = Slug::from_title(search).map_or_else(|_| String::new(), |s| s.to_string());
        let pattern = format!("%{folded}%");
        let sql = records("WHERE au.slug LIKE $1 ORDER BY au.slug, au.id LIMIT $2");
        let found: Vec<RecordRow> = sqlx::query_as(&sql)
            .bind(pattern)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        found.into_iter().map(BylineRecord::try_from).collect()
    }

    pub async fn byline_record(&self, id: AuthorId) -> Result<Option<BylineRecord>, StoreError> {
        let sql = records("WHERE au.id = $1");
        let found: Option<RecordRow> = sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        found.map(BylineRecord::try_from).transpose()
    }

    /// The byline at this address, with its profile, for its public page.
    pub async fn author_by_slug(
        &self,
        slug: &Slug,
    ) -> Result<Option<(AuthorId, Author)>, StoreError> {
        let sql = format!(
            "SELECT au.id, au.slug, au.name, au.bio, {}
             FROM authors au LEFT JOIN media m ON m.id = au.photo_id WHERE au.slug = $1",
            rows::profile_columns!()
        );
        let found: Option<AuthorRow> = sqlx::query_as(&sql)
            .bind(slug.as_ref())
            .fetch_optional(&self.pool)
            .await?;
        found
            .map(|row| {
                let author = rows::described_author(&row.slug, &row.name, row.bio, row.profile)?;
                Ok((AuthorId(row.id), author))
            })
            .transpose()
    }

    /// The byline an account signs with: the one it is tied to, or else `byline` (the byline its
    /// name makes, which its stories are signed with), made if new and tied to it from now on.
    /// `None` when there is no such account, or when another account signs with `byline`: a
    /// name shared by two people gives neither the other's byline.
    pub async fn account_byline(
        &self,
        user: UserId,
        byline: &Author,
    ) -> Result<Option<AuthorId>, StoreError> {
        const TIED: &str = "SELECT author_id FROM users WHERE id = $1";
        // Almost always tied already: read without taking the write lock.
        let tied: Option<Option<i64>> = sqlx::query_scalar(TIED)
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await?;
        if let Some(Some(id)) = tied {
            return Ok(Some(AuthorId(id)));
        }
        let mut tx = self.begin_write().await?;
        let tied: Option<Option<i64>> = sqlx::query_scalar(TIED)
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await?;
        let id = match tied {
            None => return Ok(None),
            Some(Some(id)) => id,
            Some(None) => {
                let id = crate::taxonomy::ensure_author(&mut tx, byline).await?;
                let others: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM users WHERE author_id = $1 AND id <> $2",
                )
                .bind(id)
                .bind(user.0)
                .fetch_one(&mut *tx)
                .await?;
                if others > 0 {
                    return Ok(None);
                }
                sqlx::query("UPDATE users SET author_id = $1 WHERE id = $2")
                    .bind(id)
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await?;
                id
            }
        };
        tx.commit().await?;
        Ok(Some(AuthorId(id)))
    }

    /// A byline no story names yet (a guest, an agency), with its profile.
    pub async fn create_byline(
        &self,
        slug: &Slug,
        fields: ProfileFields<'_>,
        audit: crate::Audit<'_>,
    ) -> Result<AuthorId, StoreError> {
        let mut arguments = AnyArguments::default();
        add(&mut arguments, slug.as_ref())?;
        fields.add_to(&mut arguments)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar_with(
            "INSERT INTO authors (slug, name, bio, job_title, photo_id, photo_alt, website, email,
                fediverse)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            arguments,
        )
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::on_unique(e, Taken::BylineSlug))?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(AuthorId(id))
    }

    /// Changes a byline's name and profile. `false` when there is no such byline.
    pub async fn change_byline(
        &self,
        id: AuthorId,
        fields: ProfileFields<'_>,
        audit: crate::Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut arguments = AnyArguments::default();
        fields.add_to(&mut arguments)?;
        add(&mut arguments, id.0)?;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query_with(
            "UPDATE authors SET name = $1, bio = $2, job_title = $3, photo_id = $4,
                photo_alt = $5, website = $6, email = $7, fediverse = $8
             WHERE id = $9",
            arguments,
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(true)
    }
}
