//! Following the change log: each change made by any process drops the cached pages it affects.

use std::collections::HashSet;

use rotative_store::{Change, Changed, Listing, Store, StoreError};

use super::{PageCache, Shown};

const BATCH: u32 = 500;

/// What a change makes out of date, given the listings a moved story is in now. `None`: every
/// page.
pub(crate) fn affected(changed: Changed, listings_now: &[Listing]) -> Option<Vec<Shown>> {
    match changed {
        Changed::Site => None,
        Changed::Listing(listing) => Some(vec![Shown::Listing(listing)]),
        Changed::Story { id, moved } => {
            let mut items = vec![Shown::Story(id), Shown::EveryStory];
            if moved {
                items.push(Shown::Listing(Listing::Everything));
                items.extend(listings_now.iter().copied().map(Shown::Listing));
            }
            Some(items)
        }
    }
}

/// The cache's place in the change log; `None` until the first catch-up, which starts from the
/// end of the log with an empty cache.
#[derive(Default)]
pub struct Follower {
    position: tokio::sync::Mutex<Option<i64>>,
}

impl Follower {
    /// Applies the changes logged since the last catch-up.
    pub async fn catch_up(&self, store: &Store, cache: &PageCache) -> Result<Caught, StoreError> {
        let mut position = self.position.lock().await;
        let mut caught = Caught::default();
        let Some(mut seq) = *position else {
            *position = Some(store.last_change().await?);
            cache.clear();
            return Ok(caught);
        };
        loop {
            let changes = store.changes_since(seq, BATCH).await?;
            let Some(last) = changes.last().map(|change| change.seq) else {
                break;
            };
            if let Some(items) = affected_by(store, &changes).await? {
                cache.invalidate(&items);
            } else {
                cache.clear();
                caught.site_changed = true;
            }
            caught.changes += changes.len();
            seq = last;
            *position = Some(seq);
        }
        Ok(caught)
    }
}

/// What a catch-up found.
#[derive(Debug, Default)]
pub struct Caught {
    pub changes: usize,
    /// The site's settings, sections or names changed (here or in another process).
    pub site_changed: bool,
}

async fn affected_by(store: &Store, changes: &[Change]) -> Result<Option<Vec<Shown>>, StoreError> {
    let mut items = HashSet::new();
    let mut looked_up = HashSet::new();
    for change in changes {
        let listings = match change.changed {
            Changed::Story { id, moved: true } if looked_up.insert(id) => {
                store.story_listings(id).await?
            }
            _ => Vec::new(),
        };
        match affected(change.changed, &listings) {
            Some(more) => items.extend(more),
            None => return Ok(None),
        }
    }
    Ok(Some(items.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rotative_domain::{ArticleId, AuthorId, SectionId, SubjectId};

    #[test]
    fn an_edit_drops_the_pages_showing_the_story() {
        let items = affected(
            Changed::Story {
                id: ArticleId(4),
                moved: false,
            },
            &[],
        )
        .unwrap_or_default();
        assert_eq!(items, vec![Shown::Story(ArticleId(4)), Shown::EveryStory]);
    }

    #[test]
    fn a_story_entering_its_listings_drops_their_pages() {
        let items = affected(
            Changed::Story {
                id: ArticleId(4),
                moved: true,
            },
            &[Listing::Section(SectionId(1)), Listing::Tag(SubjectId(9))],
        )
        .unwrap_or_default();
        assert_eq!(
            items,
            vec![
                Shown::Story(ArticleId(4)),
                Shown::EveryStory,
                Shown::Listing(Listing::Everything),
                Shown::Listing(Listing::Section(SectionId(1))),
                Shown::Listing(Listing::Tag(SubjectId(9))),
            ]
        );
    }

    #[test]
    fn a_site_change_drops_everything() {
        assert_eq!(affected(Changed::Site, &[]), None);
        assert_eq!(
            affected(Changed::Listing(Listing::Author(AuthorId(2))), &[]),
            Some(vec![Shown::Listing(Listing::Author(AuthorId(2)))])
        );
    }
}
