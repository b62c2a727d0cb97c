//! Search over a real SQLite store: French matching, phrases, filters, unpublished stories,
//! hostile queries, following the change log.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

use std::collections::HashMap;

use jiff::{Timestamp, ToSpan, tz::TimeZone};
use rotative_domain::{ArticleStatus, Slug};
use rotative_import::{Importer, parse_story};
use rotative_media::MediaStorage;
use rotative_render::Theme;
use rotative_search::{SearchIndex, SearchQuery};
use rotative_store::{Audit, Store, StoryMove};

async fn site(stories: &[(&str, &str, &str, i64)]) -> (Store, SearchIndex, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("rotative.db"))
        .await
        .unwrap();
    let storage = MediaStorage::local(dir.path().join("media")).await.unwrap();
    let theme = Theme::embedded();
    let tz = TimeZone::get("Europe/Paris").unwrap();
    let importer = Importer {
        store: &store,
        storage: &storage,
        theme: &theme,
        time_zone: &tz,
    };
    for (headline, section, body, days_ago) in stories {
        let text = format!(
            "+++\nheadline = \"{headline}\"\nsection = \"{section}\"\ntags = [\"Essai\"]\n+++\n{body}\n"
        );
        let mut story = parse_story(&text).unwrap();
        story.published_at = Some(Timestamp::now() - (days_ago * 24).hours());
        importer.import(story, &HashMap::new()).await.unwrap();
    }
    let index = SearchIndex::in_memory().unwrap();
    index.catch_up(&store).await.unwrap();
    (store, index, dir)
}

fn headlines(index: &SearchIndex, text: &str) -> Vec<String> {
    let query = SearchQuery {
        text: text.into(),
        limit: 20,
        ..SearchQuery::default()
    };
    index
        .search(&query)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.headline)
        .collect()
}

const STORIES: [(&str, &str, &str, i64); 4] = [
    (
        "Les officiers biélorusses écrivent",
        "monde",
        "Des Biélorusses inquiets pour la souveraineté du pays.",
        1,
    ),
    (
        "Le Bélarus et la Russie",
        "monde",
        "Minsk se rapproche de Moscou face à l'Ukraine.",
        3,
    ),
    (
        "Les souverainetés en débat",
        "culture",
        "Un colloque sur les souverainetés numériques.",
        40,
    ),
    (
        "Marché de Noël",
        "france",
        "Les chalets ouvrent samedi place de la mairie.",
        2,
    ),
];

#[tokio::test]
async fn french_words_find_their_variants() {
    let (_store, index, _dir) = site(&STORIES).await;
    assert_eq!(
        headlines(&index, "biélorusse"),
        ["Les officiers biélorusses écrivent"]
    );
    assert_eq!(headlines(&index, "belarus"), ["Le Bélarus et la Russie"]);
    assert_eq!(
        headlines(&index, "ukraine"),
        ["Le Bélarus et la Russie"],
        "l'Ukraine"
    );
    let sovereignty = headlines(&index, "souveraineté");
    assert!(
        sovereignty.contains(&"Les souverainetés en débat".to_owned()),
        "{sovereignty:?}"
    );
    assert_eq!(sovereignty.len(), 2);
}

#[tokio::test]
async fn phrases_filters_and_snippets() {
    let (_store, index, _dir) = site(&STORIES).await;
    assert_eq!(
        headlines(&index, "\"place de la mairie\""),
        ["Marché de Noël"]
    );
    assert!(
        headlines(&index, "\"mairie de la place\"").is_empty(),
        "a phrase keeps its order"
    );
    let in_culture = SearchQuery {
        text: "souveraineté".into(),
        section: Some(Slug::parse("culture").unwrap()),
        limit: 10,
        ..SearchQuery::default()
    };
    let found = index.search(&in_culture).unwrap();
    assert_eq!(
        (found.total, found.hits[0].headline.as_str()),
        (1, "Les souverainetés en débat")
    );
    let recent = SearchQuery {
        text: "souveraineté".into(),
        from: Some(Timestamp::now() - 240.hours()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(index.search(&recent).unwrap().total, 1, "date range");
    let snippet = &index.search(&recent).unwrap().hits[0].snippet_html;
    assert!(snippet.contains("<mark>"), "{snippet}");
}

#[tokio::test]
async fn hostile_queries_are_just_text() {
    let (_store, index, _dir) = site(&STORIES).await;
    for hostile in [
        "\"unbalanced",
        "title:x AND OR NOT (",
        "*:*",
        "<script>alert(1)</script>",
        &"a".repeat(10_000),
        "",
        "   ",
        "[1 TO 2]",
        "a^9999",
    ] {
        let query = SearchQuery {
            text: hostile.into(),
            limit: 10,
            ..SearchQuery::default()
        };
        index.search(&query).unwrap();
    }
    let script = SearchQuery {
        text: "<script>Noël</script>".into(),
        limit: 10,
        ..SearchQuery::default()
    };
    for hit in index.search(&script).unwrap().hits {
        assert!(
            !hit.snippet_html.contains("<script"),
            "snippets are escaped"
        );
    }
}

#[tokio::test]
async fn unpublished_stories_leave_the_index() {
    let (store, index, _dir) = site(&STORIES).await;
    let found = index
        .search(&SearchQuery {
            text: "mairie".into(),
            limit: 5,
            ..SearchQuery::default()
        })
        .unwrap();
    let id = found.hits[0].id;
    store
        .move_story(&StoryMove {
            id,
            from: ArticleStatus::Published,
            reviewed: None,
            to: ArticleStatus::Unpublished,
            path: None,
            published_at: None,
            scheduled_at: None,
            audit: Audit::by(None, "unpublish"),
        })
        .await
        .unwrap();
    assert!(index.catch_up(&store).await.unwrap() >= 1);
    assert!(headlines(&index, "mairie").is_empty());
    assert_eq!(
        index.catch_up(&store).await.unwrap(),
        0,
        "nothing left to apply"
    );
}

#[tokio::test]
async fn recent_stories_rank_a_little_higher() {
    let (_store, index, _dir) = site(&[
        (
            "Conseil municipal, séance ancienne",
            "france",
            "Le conseil municipal a voté.",
            300,
        ),
        (
            "Conseil municipal, séance récente",
            "france",
            "Le conseil municipal a voté.",
            1,
        ),
    ])
    .await;
    assert_eq!(
        headlines(&index, "conseil municipal")[0],
        "Conseil municipal, séance récente"
    );
}

#[tokio::test]
async fn rebuild_matches_catch_up() {
    let (store, index, dir) = site(&STORIES).await;
    let on_disk = SearchIndex::open(&dir.path().join("index")).unwrap();
    let mut seen = Vec::new();
    let done = on_disk
        .rebuild(&store, |done, total| seen.push((done, total)))
        .await
        .unwrap();
    assert_eq!(done, 4);
    assert_eq!(seen.last(), Some(&(4, 4)));
    assert_eq!(headlines(&on_disk, "belarus"), headlines(&index, "belarus"));
    assert_eq!(
        on_disk.catch_up(&store).await.unwrap(),
        0,
        "a rebuild is caught up"
    );
    drop(on_disk);
    let reopened = SearchIndex::open(&dir.path().join("index")).unwrap();
    assert_eq!(
        headlines(&reopened, "belarus"),
        ["Le Bélarus et la Russie"],
        "the index persists"
    );
}

#[tokio::test]
async fn similar_stories_share_words() {
    let (store, index, _dir) = site(&[
        (
            "Le tramway de Brest",
            "france",
            "Le tramway de Brest gagne une ligne vers le port et la gare.",
            1,
        ),
        (
            "Brest prolonge son tramway",
            "france",
            "La ligne de tramway vers le port de Brest ouvrira en juin.",
            2,
        ),
        (
            "Marché de Noël",
            "france",
            "Les chalets ouvrent samedi place de la mairie.",
            3,
        ),
        // Stories on other things, so that words the two tram stories share stay in fewer
        // documents than are live even once both are changed (below), while « de » and « la »
        // do not.
        (
            "La saison des cèpes",
            "france",
            "La cueillette de la saison commence dans les bois de la région.",
            4,
        ),
        (
            "Un directeur au conservatoire",
            "france",
            "Le conservatoire de la ville accueille un nouveau directeur.",
            5,
        ),
        (
            "Les horaires de la piscine",
            "france",
            "La piscine de la commune change ses horaires pendant les vacances.",
            6,
        ),
    ])
    .await;
    let tram = index
        .search(&SearchQuery {
            text: "gagne".into(),
            limit: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    let other_tram = index
        .search(&SearchQuery {
            text: "prolonge".into(),
            limit: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    let market = index
        .search(&SearchQuery {
            text: "chalets".into(),
            limit: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    let candidates = [tram.hits[0].id, other_tram.hits[0].id, market.hits[0].id];
    let similar = index.similar(tram.hits[0].id, &candidates).unwrap();
    let scores: Vec<f32> = similar.values().copied().collect();
    assert!(!similar.contains_key(&tram.hits[0].id), "never itself");
    assert!(
        index
            .similar(tram.hits[0].id, &[other_tram.hits[0].id])
            .unwrap()
            .keys()
            .all(|id| *id == other_tram.hits[0].id),
        "only the candidates are scored"
    );
    let close = similar
        .get(&other_tram.hits[0].id)
        .copied()
        .unwrap_or_default();
    let far = similar.get(&market.hits[0].id).copied().unwrap_or_default();
    assert!(close > far, "{scores:?}");
    assert!(
        index
            .similar(rotative_domain::ArticleId(9_999), &candidates)
            .unwrap()
            .is_empty()
    );

    // Both tram stories changed: until segments merge (in the background, at tantivy's pace),
    // the index holds their old versions as deleted documents beside the live ones, which
    // tantivy's term counts still include: « de » is then counted in more documents than are
    // live, on which its MoreLikeThis used to panic.
    for id in [tram.hits[0].id, other_tram.hits[0].id] {
        let story = store.published_story(id).await.unwrap().unwrap();
        store
            .refresh_rendering(id, story.page.article.body_html.as_str(), None)
            .await
            .unwrap();
    }
    index.catch_up(&store).await.unwrap();
    let again = index.similar(tram.hits[0].id, &candidates).unwrap();
    assert!(again.contains_key(&other_tram.hits[0].id), "{again:?}");
}
