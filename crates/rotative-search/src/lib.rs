//! Rotative's search: French full-text search over published stories.
//! Owns: the tantivy index (a cache, never the source of truth), the French analysis pipeline,
//! following the store's change log, ranking with a gentle boost for recent stories.
//! Never: writes to the database, or decides what is published (the store says).

mod analysis;
mod index;
mod likeness;
mod query;

pub use index::{SearchError, SearchIndex};
pub use query::{SearchHit, SearchQuery, SearchResults};
