use jiff::Timestamp;

use crate::{ArticleId, SectionId, SubjectId};

/// What ranking needs to know of a story that might be related to the one being read.
#[derive(Debug, Clone)]
pub struct RelatedCandidate {
    pub id: ArticleId,
    pub tag_ids: Vec<SubjectId>,
    pub section_id: SectionId,
    pub published_at: Timestamp,
    /// How close its text is to the story's (from the search index; 0 when unknown).
    pub similarity: f32,
}

/// Picks up to `limit` related stories: most shared tags first, then the closest text, then same
/// section, then newest.
/// The story itself is never related to itself; no candidates gives an empty list, which pages
/// show as no block at all.
pub fn rank_related(
    article: &RelatedCandidate,
    candidates: &[RelatedCandidate],
    limit: usize,
) -> Vec<ArticleId> {
    let mut scored: Vec<_> = candidates
        .iter()
        .filter(|c| c.id != article.id)
        .map(|c| {
            let shared_tags = c
                .tag_ids
                .iter()
                .filter(|t| article.tag_ids.contains(t))
                .count();
            let same_section = c.section_id == article.section_id;
            (
                shared_tags,
                c.similarity,
                same_section,
                c.published_at,
                c.id,
            )
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.total_cmp(&a.1))
            .then(b.2.cmp(&a.2))
            .then(b.3.cmp(&a.3))
            .then(a.4.cmp(&b.4))
    });
    scored.into_iter().take(limit).map(|(.., id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(numbers: &[i64]) -> Vec<ArticleId> {
        numbers.iter().copied().map(ArticleId).collect()
    }

    fn candidate(id: i64, tags: &[i64], section: i64, day: i64) -> RelatedCandidate {
        RelatedCandidate {
            id: ArticleId(id),
            tag_ids: tags.iter().copied().map(SubjectId).collect(),
            section_id: SectionId(section),
            published_at: Timestamp::from_second(day * 86_400).unwrap(),
            similarity: 0.0,
        }
    }

    #[test]
    fn shared_tags_then_section_then_recency() {
        let article = candidate(1, &[10, 11], 100, 50);
        let candidates = [
            article.clone(),
            candidate(2, &[], 200, 49),      // nothing shared, newest
            candidate(3, &[10], 200, 10),    // one tag
            candidate(4, &[10, 11], 200, 5), // two tags, old
            candidate(5, &[], 100, 20),      // same section
            candidate(6, &[11], 100, 1),     // one tag and same section
        ];
        assert_eq!(
            rank_related(&article, &candidates, 10),
            ids(&[4, 6, 3, 5, 2])
        );
        assert_eq!(rank_related(&article, &candidates, 2), ids(&[4, 6]));
    }

    #[test]
    fn closer_text_wins_between_equal_tags() {
        let article = candidate(1, &[10], 100, 50);
        let mut far = candidate(2, &[10], 100, 49);
        far.similarity = 0.5;
        let mut close = candidate(3, &[10], 200, 1);
        close.similarity = 4.0;
        let untagged_but_close = RelatedCandidate {
            similarity: 9.0,
            ..candidate(4, &[], 100, 49)
        };
        assert_eq!(
            rank_related(&article, &[far, close, untagged_but_close], 3),
            ids(&[3, 2, 4])
        );
    }

    #[test]
    fn alone_has_no_related() {
        let article = candidate(1, &[1], 1, 1);
        assert!(rank_related(&article, std::slice::from_ref(&article), 5).is_empty());
    }
}
