use rotative_domain::{Author, AuthorId, Section, SectionId, Slug, SubjectId, Tag};
use std::collections::{HashMap, HashSet};

use sqlx::{AnyConnection, FromRow};

use crate::{
    Store, StoreError, now_seconds, rows,
    statement::{Statement, in_statements},
};

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
    let id = sqlx::query_scalar(sql)
        .bind(section.slug.as_ref())
        .bind(section.name.as_ref())
        .fetch_one(&mut *conn)
        .await?;
    // The slug is a live section's: if a section had it before a rename or a merge, its old
    // addresses now belong to this one.
    sqlx::query("DELETE FROM section_moves WHERE old_slug = $1")
        .bind(section.slug.as_ref())
        .execute(conn)
        .await?;
    Ok(id)
}

pub(crate) async fn ensure_tag(conn: &mut AnyConnection, tag: &Tag) -> Result<i64, StoreError> {
    ensure_tags(conn, &[tag])
        .await?
        .remove(tag.slug.as_ref())
        .ok_or(StoreError::NotFound("subject"))
}

/// The ids of these subjects by slug, creating those that are new (a slug named twice is made
/// once, with its first name), in as few statements as the values allow.
pub(crate) async fn ensure_tags(
    conn: &mut AnyConnection,
    tags: &[&Tag],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut seen = HashSet::new();
    let tags: Vec<&Tag> = tags
        .iter()
        .copied()
        .filter(|tag| seen.insert(tag.slug.as_ref()))
        .collect();
    let mut ids = HashMap::with_capacity(tags.len());
    for run in in_statements(&tags, 2) {
        let mut insert = Statement::new("INSERT INTO tags (slug, name) VALUES ");
        insert.push_rows(run, |row, tag| {
            row.value(tag.slug.as_ref()).value(tag.name.as_ref());
        });
        insert.push(" ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING slug, id");
        let (sql, arguments) = insert.finish()?;
        let rows: Vec<(String, i64)> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&mut *conn)
            .await?;
        ids.extend(rows);
    }
    Ok(ids)
}

/// Returns the author's id, creating them if new; an existing author's bio is kept unless a new
/// one is given.
pub(crate) async fn ensure_author(
    conn: &mut AnyConnection,
    author: &Author,
) -> Result<i64, StoreError> {
    ensure_authors(conn, &[author])
        .await?
        .remove(author.slug.as_ref())
        .ok_or(StoreError::NotFound("author"))
}

/// The ids of these authors by slug, creating those that are new; of an author named twice,
/// the last bio given is kept, as if each were saved in turn.
pub(crate) async fn ensure_authors(
    conn: &mut AnyConnection,
    authors: &[&Author],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut by_slug: Vec<(&Author, Option<&str>)> = Vec::with_capacity(authors.len());
    let mut index: HashMap<&str, usize> = HashMap::new();
    for author in authors {
        if let Some(&at) = index.get(author.slug.as_ref()) {
            if author.bio.is_some() {
                by_slug[at].1 = author.bio.as_deref();
            }
        } else {
            index.insert(author.slug.as_ref(), by_slug.len());
            by_slug.push((author, author.bio.as_deref()));
        }
    }
    let mut ids = HashMap::with_capacity(by_slug.len());
    for run in in_statements(&by_slug, 3) {
        let mut insert = Statement::new("INSERT INTO authors (slug, name, bio) VALUES ");
        insert.push_rows(run, |row, (author, bio)| {
            row.value(author.slug.as_ref())
                .value(author.name.as_ref())
                .value(*bio);
        });
        insert.push(
            " ON CONFLICT (slug) DO UPDATE SET bio = COALESCE(excluded.bio, authors.bio)
             RETURNING slug, id",
        );
        let (sql, arguments) = insert.finish()?;
        let rows: Vec<(String, i64)> = sqlx::query_as_with(&sql, arguments)
            .fetch_all(&mut *conn)
            .await?;
        ids.extend(rows);
    }
    Ok(ids)
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
    pub async fn published_sections(&self) -> Result<Vec<ShownSection>, StoreError> {
        let found: Vec<ShownRow> = sqlx::query_as(
            "SELECT id, slug, name, description, in_navigation FROM sections s
             WHERE EXISTS (SELECT 1 FROM articles a
                           WHERE a.section_id = s.id AND a.status = 'published' AND a.is_page = 0)
             ORDER BY position, name",
        )
        .fetch_all(&self.pool)
        .await?;
        found
            .into_iter()
            .map(|row| {
                Ok(ShownSection {
                    id: SectionId(row.id),
                    section: rows::section(&row.slug, &row.name)?,
                    description: row.description,
                    in_navigation: row.in_navigation != 0,
                })
            })
            .collect()
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

    /// Subjects with a published story, by slug, from after `after`: what readers can reach.
    pub async fn published_subjects(
        &self,
        after: Option<&Slug>,
        limit: u32,
    ) -> Result<Vec<Stored<SubjectId, Tag>>, StoreError> {
        let found = self
            .named_with_published_story(
                "SELECT t.id, t.slug, t.name FROM tags t WHERE t.slug > $1 AND EXISTS (
                     SELECT 1 FROM article_tags at JOIN articles a ON a.id = at.article_id
                     WHERE at.tag_id = t.id AND a.status = 'published' AND a.published_at <= $2)
                 ORDER BY t.slug LIMIT $3",
                after,
                limit,
            )
            .await?;
        found
            .into_iter()
            .map(|row| Ok((SubjectId(row.id), rows::tag(&row.slug, &row.name)?)))
            .collect()
    }

    /// Authors with a published story, by slug, from after `after`.
    pub async fn published_authors(
        &self,
        after: Option<&Slug>,
        limit: u32,
    ) -> Result<Vec<Stored<AuthorId, Author>>, StoreError> {
        let found = self
            .named_with_published_story(
                "SELECT au.id, au.slug, au.name, au.bio FROM authors au WHERE au.slug > $1 AND EXISTS (
                     SELECT 1 FROM article_authors aa JOIN articles a ON a.id = aa.article_id
                     WHERE aa.author_id = au.id AND a.status = 'published' AND a.published_at <= $2)
                 ORDER BY au.slug LIMIT $3",
                after,
                limit,
            )
            .await?;
        found
            .into_iter()
            .map(|row| {
                Ok((
                    AuthorId(row.id),
                    rows::author(&row.slug, &row.name, row.bio)?,
                ))
            })
            .collect()
    }

    async fn named_with_published_story(
        &self,
        sql: &'static str,
        after: Option<&Slug>,
        limit: u32,
    ) -> Result<Vec<NamedRow>, StoreError> {
        Ok(sqlx::query_as(sql)
            .bind(after.map_or("", AsRef::as_ref))
            .bind(now_seconds())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?)
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

    /// Authors as (slug, name), in the order of their slugs (their names without accents, so
    /// « Élise » comes before « Zoé »): the newsroom's filter. The authors table is small beside
    /// the stories; nothing here reads the stories.
    pub async fn byline_names(&self, limit: u32) -> Result<Vec<(String, String)>, StoreError> {
        let pool = &self.pool;
        Ok(
            sqlx::query_as("SELECT slug, name FROM authors ORDER BY slug LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?,
        )
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

/// A section readers can reach, with what its page says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownSection {
    pub id: SectionId,
    pub section: Section,
    /// Empty for none.
    pub description: String,
    /// Hidden sections keep their pages but are not in the navigation.
    pub in_navigation: bool,
}

#[derive(FromRow)]
struct ShownRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    in_navigation: i64,
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
