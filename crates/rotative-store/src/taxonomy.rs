use rotative_domain::{Author, AuthorId, Section, SectionId, Slug, SubjectId, Tag};
use sqlx::{AnyConnection, FromRow};

use crate::{Store, StoreError, rows};

/// A record with the id other records point at.
pub type Stored<I, T> = (I, T);

/// Returns the id of the section with this slug, creating it (last in order) if it is new.
pub(crate) async fn ensure_section(
    conn: &mut AnyConnection,
    section: &Section,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO sections (slug, name, position)
               VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM sections))
               ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug
               RETURNING id";
    Ok(sqlx::query_scalar(sql)
        .bind(section.slug.as_ref())
        .bind(section.name.as_ref())
        .fetch_one(conn)
        .await?)
}

pub(crate) async fn ensure_tag(conn: &mut AnyConnection, tag: &Tag) -> Result<i64, StoreError> {
    let sql = "INSERT INTO tags (slug, name) VALUES ($1, $2)
               ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug
               RETURNING id";
    Ok(sqlx::query_scalar(sql)
        .bind(tag.slug.as_ref())
        .bind(tag.name.as_ref())
        .fetch_one(conn)
        .await?)
}

/// Returns the author's id, creating them if new; an existing author's bio is kept unless a new
/// one is given.
pub(crate) async fn ensure_author(
    conn: &mut AnyConnection,
    author: &Author,
) -> Result<i64, StoreError> {
    let sql = "INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
               ON CONFLICT (slug) DO UPDATE SET bio = COALESCE(excluded.bio, authors.bio)
               RETURNING id";
    Ok(sqlx::query_scalar(sql)
        .bind(author.slug.as_ref())
        .bind(author.name.as_ref())
        .bind(author.bio.as_deref())
        .fetch_one(conn)
        .await?)
}

impl Store {
    #[tracing::instrument(skip(self))]
    pub async fn ensure_section(&self, section: &Section) -> Result<SectionId, StoreError> {
        let pool = &self.pool;
        Ok(SectionId(
            ensure_section(&mut *pool.acquire().await?, section).await?,
        ))
    }

    #[tracing::instrument(skip(self))]
    pub async fn ensure_tag(&self, tag: &Tag) -> Result<SubjectId, StoreError> {
        let pool = &self.pool;
        Ok(SubjectId(
            ensure_tag(&mut *pool.acquire().await?, tag).await?,
        ))
    }

    #[tracing::instrument(skip(self))]
    pub async fn ensure_author(&self, author: &Author) -> Result<AuthorId, StoreError> {
        let pool = &self.pool;
        Ok(AuthorId(
            ensure_author(&mut *pool.acquire().await?, author).await?,
        ))
    }

    /// Every section, in the order the site shows them, those without a published story too:
    /// what the newsroom chooses from.
    pub async fn sections(&self) -> Result<Vec<Stored<SectionId, Section>>, StoreError> {
        self.sections_where("SELECT id, slug, name FROM sections ORDER BY position, name")
            .await
    }

    /// The sections with a published story, in order: what readers see. A section typed into a
    /// draft, or made ahead of its first story, stays out of sight until a story is published.
    pub async fn published_sections(&self) -> Result<Vec<Stored<SectionId, Section>>, StoreError> {
        self.sections_where(
            "SELECT id, slug, name FROM sections s
             WHERE EXISTS (SELECT 1 FROM articles a WHERE a.section_id = s.id AND a.status = 'published')
             ORDER BY position, name",
        )
        .await
    }

    async fn sections_where(
        &self,
        sql: &'static str,
    ) -> Result<Vec<Stored<SectionId, Section>>, StoreError> {
        let found: Vec<NamedRow> = sqlx::query_as(sql).fetch_all(&self.pool).await?;
        found
            .into_iter()
            .map(|row| Ok((SectionId(row.id), rows::section(&row.slug, &row.name)?)))
            .collect()
    }

    pub async fn section_by_slug(
        &self,
        slug: &Slug,
    ) -> Result<Option<Stored<SectionId, Section>>, StoreError> {
        let row = self
            .row_by_slug("SELECT id, slug, name FROM sections WHERE slug = $1", slug)
            .await?;
        row.map(|row| Ok((SectionId(row.id), rows::section(&row.slug, &row.name)?)))
            .transpose()
    }

    pub async fn tag_by_slug(
        &self,
        slug: &Slug,
    ) -> Result<Option<Stored<SubjectId, Tag>>, StoreError> {
        let row = self
            .row_by_slug("SELECT id, slug, name FROM tags WHERE slug = $1", slug)
            .await?;
        row.map(|row| Ok((SubjectId(row.id), rows::tag(&row.slug, &row.name)?)))
            .transpose()
    }

    pub async fn author_by_slug(
        &self,
        slug: &Slug,
    ) -> Result<Option<Stored<AuthorId, Author>>, StoreError> {
        let row = self
            .row_by_slug(
                "SELECT id, slug, name, bio FROM authors WHERE slug = $1",
                slug,
            )
            .await?;
        row.map(|row| {
            Ok((
                AuthorId(row.id),
                rows::author(&row.slug, &row.name, row.bio)?,
            ))
        })
        .transpose()
    }

    /// Slugs of tags and authors that have a published story: the listing pages worth indexing.
    pub async fn listed_tags_and_authors(&self) -> Result<(Vec<Slug>, Vec<Slug>), StoreError> {
        let pool = &self.pool;
        let tags: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT t.slug FROM tags t JOIN article_tags at ON at.tag_id = t.id
             JOIN articles a ON a.id = at.article_id WHERE a.status = 'published' ORDER BY t.slug",
        )
        .fetch_all(pool)
        .await?;
        let authors: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT au.slug FROM authors au JOIN article_authors aa ON aa.author_id = au.id
             JOIN articles a ON a.id = aa.article_id WHERE a.status = 'published' ORDER BY au.slug",
        )
        .fetch_all(pool)
        .await?;
        let slugs = |list: Vec<String>| {
            list.iter()
                .map(|s| rows::slug(s))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok((slugs(tags)?, slugs(authors)?))
    }

    /// Tag names, most used first, to suggest while writing.
    pub async fn tag_names(&self, limit: u32) -> Result<Vec<String>, StoreError> {
        let pool = &self.pool;
        Ok(sqlx::query_scalar(
            "SELECT t.name FROM tags t LEFT JOIN article_tags at ON at.tag_id = t.id
             GROUP BY t.id ORDER BY COUNT(at.article_id) DESC, t.name LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?)
    }

    async fn row_by_slug(
        &self,
        sql: &'static str,
        slug: &Slug,
    ) -> Result<Option<NamedRow>, StoreError> {
        let pool = &self.pool;
        Ok(sqlx::query_as(sql)
            .bind(slug.as_ref())
            .fetch_optional(pool)
            .await?)
    }
}

/// A section, subject or author as stored: its id, slug and name (and an author's bio).
#[derive(FromRow)]
struct NamedRow {
    id: i64,
    slug: String,
    name: String,
    #[sqlx(default)]
    bio: Option<String>,
}
