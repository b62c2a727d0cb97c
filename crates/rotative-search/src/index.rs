//! The index itself: schema, opening, following the change log, rebuilding.

use std::{path::Path, sync::Mutex, time::Duration};

use rotative_domain::{Article, ArticleId};
use rotative_store::{Change, Store, StoreError};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    directory::MmapDirectory,
    indexer::{LogMergePolicy, MergePolicy, NoMergePolicy},
    schema::{
        FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
        TextOptions,
    },
    tokenizer::TextAnalyzer,
};
use thiserror::Error;

use crate::{
    analysis::{FRENCH, french, french_subject_words, html_to_text},
    likeness,
};

#[derive(Debug, Error)]
pub enum SearchError {
    #[error("search index error")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the search index folder")]
    Folder(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the search index is in use by a crashed writer")]
    Poisoned,
}

/// Changes applied per commit while catching up. Each commit writes a segment that later
/// merges: a first start after a large import reads millions of changes (a story's import makes
/// about six), and at 500 a commit the index of 1,000,000 stories grew by some 450 a second.
const CHANGES_PER_COMMIT: u32 = 10_000;
/// Stories indexed per commit by a rebuild (each held in memory until then).
const STORIES_PER_COMMIT: u32 = 5_000;
/// Memory the writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 50_000_000;
/// The fast fields of a story's likeness words and of their numbers.
pub(crate) const LIKENESS: &str = "likeness";
pub(crate) const LIKENESS_NUMBERS: &str = "likeness_numbers";
/// How often a merge of every segment is tried while the writer's own merges hold some.
const MERGE_TRIES: u32 = 10;
const MERGE_RETRY_PAUSE: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub path: Field,
    pub headline: Field,
    pub standfirst: Field,
    pub body: Field,
    pub tags: Field,
    pub authors: Field,
    pub section: Field,
    pub section_name: Field,
    pub published_at: Field,
    /// The words that say what a story is about, and their numbers (`likeness`).
    pub likeness: Field,
    pub likeness_numbers: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(FRENCH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | STORED | FAST),
        path: builder.add_text_field("path", STORED),
        headline: builder.add_text_field("headline", text(true)),
        standfirst: builder.add_text_field("standfirst", text(true)),
        body: builder.add_text_field("body", text(true)),
        tags: builder.add_text_field("tags", text(false)),
        authors: builder.add_text_field("authors", text(false)),
        section: builder.add_text_field("section", STRING | STORED),
        section_name: builder.add_text_field("section_name", STORED),
        published_at: builder.add_i64_field("published_at", INDEXED | STORED | FAST),
        likeness: builder.add_bytes_field(LIKENESS, FAST),
        likeness_numbers: builder.add_u64_field(LIKENESS_NUMBERS, FAST),
    };
    (builder.build(), fields)
}

/// The search index of one instance: rebuilt from the database whenever needed.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `folder`, creating it if needed. An index written with another schema
    /// (an older version) is discarded: it is only a cache.
    pub fn open(folder: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(folder).map_err(|e| SearchError::Index(e.into()))?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(folder)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            Err(error) => {
                tracing::warn!(%error, "search index unreadable or outdated: rebuilding it");
                std::fs::remove_dir_all(folder).map_err(|e| SearchError::Index(e.into()))?;
                std::fs::create_dir_all(folder).map_err(|e| SearchError::Index(e.into()))?;
                Index::create_in_dir(folder, schema)?
            }
        };
        Self::with_index(index, fields)
    }

    /// An index in memory, for tests and throwaway runs.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        index.tokenizers().register(FRENCH, french());
        let writer = index.writer(WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
        })
    }

    /// Where in the change log this index stands (the payload of its last commit); the store's
    /// last change minus this is how far behind it is.
    pub fn position(&self) -> Result<i64, SearchError> {
        Ok(self
            .index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok())
            .unwrap_or_default())
    }

    /// A story as the index holds it; `subject_words` finds its likeness.
    fn document(&self, article: &Article, subject_words: &mut TextAnalyzer) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, u64::try_from(article.id.0).unwrap_or_default());
        doc.add_text(f.path, article.path.as_ref());
        let body = html_to_text(&article.body_html);
        let mut texts: Vec<(Field, &str)> =
            vec![(f.headline, article.headline.as_ref()), (f.body, &body)];
        if let Some(standfirst) = &article.standfirst {
            texts.push((f.standfirst, standfirst.as_ref()));
        }
        texts.extend(article.tags.iter().map(|tag| (f.tags, tag.name.as_ref())));
        let kept = likeness::keep(subject_words, &texts);
        doc.add_bytes(f.likeness, &kept.words);
        for number in kept.numbers {
            doc.add_u64(f.likeness_numbers, number);
        }
        for (field, text) in texts {
            doc.add_text(field, text);
        }
        for author in &article.authors {
            doc.add_text(f.authors, author.name.as_ref());
        }
        doc.add_text(f.section, article.section.slug.as_ref());
        doc.add_text(f.section_name, article.section.name.as_ref());
        doc.add_i64(
            f.published_at,
            article.published_at.map_or(0, jiff::Timestamp::as_second),
        );
        doc
    }

    /// Applies the change log since this index's last commit: each changed story is removed and,
    /// if readers may see it now, added again. Returns how many changes were applied.
    #[tracing::instrument(skip_all)]
    pub async fn catch_up(&self, store: &Store) -> Result<usize, SearchError> {
        let mut applied = 0;
        let mut commits = 0;
        let mut paused = None;
        loop {
            let position = self.position()?;
            let changes = store.changes_since(position, CHANGES_PER_COMMIT).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let mut ids: Vec<ArticleId> = changes.iter().filter_map(Change::story).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut articles = Vec::with_capacity(ids.len());
            for id in &ids {
                articles.push((*id, store.published_article_by_id(*id).await?));
            }
            if commits == 1 {
                // A bulk catch-up: merged once at the end instead of along the way.
                paused = Some(MergingPaused::new(self)?);
            }
            self.apply(&articles, last)?;
            applied += changes.len();
            commits += 1;
        }
        if let Some(paused) = &paused {
            self.merge_segments(paused).await?;
        }
        if applied > 0 {
            self.reader.reload()?;
        }
        Ok(applied)
    }

    /// Merges every segment into one. Each word a search or a story's likeness looks up is
    /// looked up in every segment: a bulk catch-up or a rebuild leaves dozens (one a commit,
    /// and merges still running are lost when the server stops), and the 100,000-story site's
    /// 14 segments made the look-ups a quarter of an uncached story page's time. The writer's
    /// own merges are paused meanwhile (`paused`); one it started before may still hold some
    /// segments, so a merge refused for that is tried again once those have ended.
    async fn merge_segments(&self, _paused: &MergingPaused<'_>) -> Result<(), SearchError> {
        let mut tries = 0;
        loop {
            let segments = self.index.searchable_segment_ids()?;
            if segments.len() < 2 {
                break Ok(());
            }
            let merging = self
                .writer
                .lock()
                .map_err(|_| SearchError::Poisoned)?
                .merge(&segments);
            match merging.await {
                Ok(_) => break Ok(()),
                Err(error @ tantivy::TantivyError::InvalidArgument(_)) if tries < MERGE_TRIES => {
                    tracing::debug!(%error, "segments busy: merging them again shortly");
                    tries += 1;
                    tokio::time::sleep(MERGE_RETRY_PAUSE).await;
                }
                Err(error) => break Err(error.into()),
            }
        }
    }

    /// Turns the writer's own merging of small segments on or off.
    fn set_merging(&self, on: bool) -> Result<(), SearchError> {
        let policy: Box<dyn MergePolicy> = if on {
            Box::new(LogMergePolicy::default())
        } else {
            Box::new(NoMergePolicy)
        };
        self.writer
            .lock()
            .map_err(|_| SearchError::Poisoned)?
            .set_merge_policy(policy);
        Ok(())
    }

    fn apply(
        &self,
        articles: &[(ArticleId, Option<Article>)],
        position: i64,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let mut subject_words = french_subject_words();
        for (id, article) in articles {
            writer.delete_term(Term::from_field_u64(
                self.fields.id,
                u64::try_from(id.0).unwrap_or_default(),
            ));
            // The site's pages (about, legal notice) are found from the footer, not searched.
            if let Some(article) = article.as_ref().filter(|article| !article.is_page) {
                writer.add_document(self.document(article, &mut subject_words))?;
            }
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&position.to_string());
        commit.commit()?;
        Ok(())
    }

    /// Rebuilds the whole index from the database, reporting progress as (done, total).
    pub async fn rebuild(
        &self,
        store: &Store,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<u64, SearchError> {
        let position = store.last_change().await?;
        let total = store.count_articles().await?;
        {
            let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
            writer.delete_all_documents()?;
        }
        let paused = MergingPaused::new(self)?;
        let mut done = 0;
        let mut after = None;
        loop {
            let ids = store.article_ids(after, STORIES_PER_COMMIT).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let mut articles = Vec::with_capacity(ids.len());
            for id in &ids {
                articles.push((*id, store.published_article_by_id(*id).await?));
            }
            // Commits carry the log position read before the rebuild: changes made meanwhile
            // are applied by the next catch-up.
            self.apply(&articles, position)?;
            done += u64::try_from(ids.len()).unwrap_or_default();
            progress(done, total);
            after = Some(last);
        }
        if done == 0 {
            self.apply(&[], position)?;
        }
        self.merge_segments(&paused).await?;
        self.reader.reload()?;
        Ok(done)
    }
}

/// The writer's own merging, off while this lives and on again however the bulk work ends.
struct MergingPaused<'a>(&'a SearchIndex);

impl<'a> MergingPaused<'a> {
    fn new(index: &'a SearchIndex) -> Result<Self, SearchError> {
        index.set_merging(false)?;
        Ok(Self(index))
    }
}

impl Drop for MergingPaused<'_> {
    fn drop(&mut self) {
        if let Err(error) = self.0.set_merging(true) {
            tracing::error!(
                ?error,
                "the search index's merging could not be turned back on"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn merging_leaves_one_segment_and_every_story() {
        let index = SearchIndex::in_memory().unwrap();
        for id in 1..=3_u64 {
            let mut writer = index.writer.lock().unwrap();
            let mut doc = TantivyDocument::default();
            doc.add_u64(index.fields.id, id);
            writer.add_document(doc).unwrap();
            writer.commit().unwrap();
        }
        assert_eq!(index.index.searchable_segment_ids().unwrap().len(), 3);
        let paused = MergingPaused::new(&index).unwrap();
        index.merge_segments(&paused).await.unwrap();
        drop(paused);
        index.reader.reload().unwrap();
        assert_eq!(index.index.searchable_segment_ids().unwrap().len(), 1);
        assert_eq!(index.reader.searcher().num_docs(), 3);
    }
}
