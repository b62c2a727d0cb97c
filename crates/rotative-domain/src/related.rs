use std::cmp::Reverse;

use jiff::Timestamp;

/// What ranking needs to know of a story that might be related to the one being read.
#[derive(Debug, Clone)]
pub struct RelatedCandidate {
    pub id: i64,
    pub tag_ids: Vec<i64>,
    pub section_id: i64,
    pub published_at: Timestamp,
}

/// Picks up to `limit` related stories: most shared tags first, then same section, then newest.
/// The story itself is never related to itself; no candidates gives an empty list, which pages
/// show as no block at all.
pub fn rank_related(
    article: &RelatedCandidate,
    candidates: &[RelatedCandidate],
    limit: usize,
) -> Vec<i64> {
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
                Reverse(shared_tags),
                Reverse(same_section),
                Reverse(c.published_at),
                c.id,
            )
        })
        .collect();
    scored.sort_unstable();
    scored.into_iter().take(limit).map(|(.., id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: i64, tags: &[i64], section: i64, day: i64) -> RelatedCandidate {
        RelatedCandidate {
            id,
            tag_ids: tags.to_vec(),
            section_id: section,
            published_at: Timestamp::from_second(day * 86_400).unwrap(),
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
        assert_eq!(rank_related(&article, &candidates, 10), vec![4, 6, 3, 5, 2]);
        assert_eq!(rank_related(&article, &candidates, 2), vec![4, 6]);
    }

    #[test]
    fn alone_has_no_related() {
        let article = candidate(1, &[1], 1, 1);
        assert!(rank_related(&article, std::slice::from_ref(&article), 5).is_empty());
    }
}
