//! The store's behaviour, written as functions of a `Store` so every back end runs the same suite.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

use jiff::{Timestamp, ToSpan, tz::TimeZone};
use rotative_domain::{
    AltText, ArticleKind, ArticlePath, ArticleStatus, Author, Headline, Name, Section, Slug, Tag,
    rank_related,
};
use rotative_store::{Listing, NewArticle, NewLeadImage, NewMedia, Store};

async fn sqlite() -> Store {
    Store::open_sqlite_in_memory()
        .await
        .expect("in-memory SQLite")
}

/// Runs one test body against each back end available here.
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::sqlite().await).await;
                }
            )*
        }
    };
}

on_every_backend!(
    taxonomy_is_idempotent,
    published_story_round_trips,
    drafts_and_future_stories_stay_hidden,
    listings_filter_and_paginate,
    slugs_stay_unique,
    related_candidates_rank_shared_tags_first,
    same_media_is_one_record,
    schema_enforces_unique_paths,
    failed_story_stores_nothing,
    settings_round_trip,
);

struct Fixture {
    store: Store,
    section: Section,
    other_section: Section,
    tag: Tag,
    author: Author,
    ids: Ids,
}

struct Ids {
    section: i64,
    other_section: i64,
    tag: i64,
    author: i64,
}

async fn fixture(store: Store) -> Fixture {
    let section = Section::named(Name::parse("Monde").unwrap()).unwrap();
    let other_section = Section::named(Name::parse("Économie").unwrap()).unwrap();
    let tag = Tag::named(Name::parse("Bélarus").unwrap()).unwrap();
    let author = Author::named(Name::parse("Claire Dubois").unwrap()).unwrap();
    let ids = Ids {
        section: store.ensure_section(&section).await.unwrap(),
        other_section: store.ensure_section(&other_section).await.unwrap(),
        tag: store.ensure_tag(&tag).await.unwrap(),
        author: store.ensure_author(&author).await.unwrap(),
    };
    Fixture {
        store,
        section,
        other_section,
        tag,
        author,
        ids,
    }
}

fn story(headline: &str, section: &Section, published_at: Option<Timestamp>) -> NewArticle {
    let slug = Slug::from_title(headline).unwrap();
    let tz = TimeZone::get("Europe/Paris").unwrap();
    NewArticle {
        path: published_at.map(|at| ArticlePath::new(&section.slug, &slug, at, &tz)),
        slug,
        headline: Headline::parse(headline).unwrap(),
        standfirst: None,
        body_markdown: "Texte.".into(),
        body_html: "<p>Texte.</p>".into(),
        kind: ArticleKind::News,
        status: if published_at.is_some() {
            ArticleStatus::Published
        } else {
            ArticleStatus::Draft
        },
        section: section.clone(),
        tags: vec![],
        authors: vec![],
        media: vec![],
        lead_image: None,
        published_at,
    }
}

fn days_ago(days: i64) -> Timestamp {
    Timestamp::now() - (days * 24).hours()
}

async fn taxonomy_is_idempotent(store: Store) {
    let f = fixture(store).await;
    let again = Section::named(Name::parse("Monde").unwrap()).unwrap();
    assert_eq!(f.store.ensure_section(&again).await.unwrap(), f.ids.section);
    let sections = f.store.sections().await.unwrap();
    let names: Vec<_> = sections.iter().map(|(_, s)| s.name.as_ref()).collect();
    assert_eq!(
        names,
        ["Monde", "Économie"],
        "sections keep their creation order"
    );
    let found = f
        .store
        .section_by_slug(&Slug::parse("economie").unwrap())
        .await
        .unwrap();
    assert_eq!(found.map(|(id, _)| id), Some(f.ids.other_section));
    let mut with_bio = Author::named(Name::parse("Claire Dubois").unwrap()).unwrap();
    with_bio.bio = Some("Correspondante à Vilnius.".into());
    assert_eq!(
        f.store.ensure_author(&with_bio).await.unwrap(),
        f.ids.author
    );
    let (_, author) = f
        .store
        .author_by_slug(&with_bio.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(author.bio.as_deref(), Some("Correspondante à Vilnius."));
}

async fn published_story_round_trips(store: Store) {
    let f = fixture(store).await;
    let mut new = story("Minsk sous pression", &f.section, Some(days_ago(1)));
    new.media = vec![NewMedia {
        storage_key: "abc.jpg".into(),
        content_type: "image/jpeg".into(),
        width: 1200,
        height: 675,
        byte_size: 1000,
        original_name: Some("photo.jpg".into()),
    }];
    new.tags = vec![
        f.tag.clone(),
        Tag::named(Name::parse("Russie").unwrap()).unwrap(),
    ];
    new.authors = vec![f.author.clone()];
    new.standfirst = Some(rotative_domain::Standfirst::parse("Le chapeau.").unwrap());
    new.lead_image = Some(NewLeadImage {
        storage_key: "abc.jpg".into(),
        alt: AltText::parse("Une place enneigée").unwrap(),
        caption: Some("Minsk".into()),
        credit: Some("Rotative".into()),
    });
    f.store.create_article(&new).await.unwrap();
    let path = new.path.clone().unwrap();
    let article = f
        .store
        .published_article(&path)
        .await
        .unwrap()
        .expect("published story");
    assert_eq!(article.headline.as_ref(), "Minsk sous pression");
    assert_eq!(article.section.slug.as_ref(), "monde");
    let tags: Vec<_> = article.tags.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        tags,
        ["Bélarus", "Russie"],
        "a new tag is created with the story"
    );
    assert_eq!(article.authors[0].slug.as_ref(), "claire-dubois");
    let lead = article.lead_image.unwrap();
    assert_eq!(
        (lead.key.as_str(), lead.width, lead.height),
        ("abc.jpg", 1200, 675)
    );
    assert_eq!(
        article.published_at.map(Timestamp::as_second),
        new.published_at.map(Timestamp::as_second)
    );
}

async fn drafts_and_future_stories_stay_hidden(store: Store) {
    let f = fixture(store).await;
    let draft = story("Brouillon", &f.section, None);
    f.store.create_article(&draft).await.unwrap();
    let future = story("Demain", &f.section, Some(Timestamp::now() + 2.hours()));
    f.store.create_article(&future).await.unwrap();
    assert_eq!(
        f.store.count_published(Listing::Everything).await.unwrap(),
        0
    );
    assert!(
        f.store
            .published_article(future.path.as_ref().unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert!(!f.store.is_empty().await.unwrap());
}

async fn listings_filter_and_paginate(store: Store) {
    let f = fixture(store).await;
    for n in 0..5 {
        let mut new = story(&format!("Monde {n}"), &f.section, Some(days_ago(n)));
        new.tags = if n % 2 == 0 {
            vec![f.tag.clone()]
        } else {
            vec![]
        };
        new.authors = vec![f.author.clone()];
        f.store.create_article(&new).await.unwrap();
    }
    f.store
        .create_article(&story("Éco", &f.other_section, Some(days_ago(10))))
        .await
        .unwrap();
    let count = |listing| f.store.count_published(listing);
    assert_eq!(count(Listing::Everything).await.unwrap(), 6);
    assert_eq!(count(Listing::Section(f.ids.section)).await.unwrap(), 5);
    assert_eq!(count(Listing::Tag(f.ids.tag)).await.unwrap(), 3);
    assert_eq!(count(Listing::Author(f.ids.author)).await.unwrap(), 5);
    let page2 = f
        .store
        .published_summaries(Listing::Section(f.ids.section), 2, 2)
        .await
        .unwrap();
    let headlines: Vec<_> = page2.iter().map(|s| s.headline.as_ref()).collect();
    assert_eq!(headlines, ["Monde 2", "Monde 3"], "newest first");
    assert_eq!(page2[0].authors.len(), 1);
}

async fn slugs_stay_unique(store: Store) {
    let f = fixture(store).await;
    let base = Slug::parse("meme-titre").unwrap();
    assert_eq!(f.store.free_article_slug(&base).await.unwrap(), base);
    f.store
        .create_article(&story("Même titre", &f.section, None))
        .await
        .unwrap();
    assert_eq!(
        f.store.free_article_slug(&base).await.unwrap().as_ref(),
        "meme-titre-2"
    );
    let mut second = story("Même titre", &f.section, None);
    second.slug = Slug::parse("meme-titre-2").unwrap();
    f.store.create_article(&second).await.unwrap();
    assert_eq!(
        f.store.free_article_slug(&base).await.unwrap().as_ref(),
        "meme-titre-3"
    );
}

async fn related_candidates_rank_shared_tags_first(store: Store) {
    let f = fixture(store).await;
    let mut ids = Vec::new();
    for (n, (section, tagged)) in [
        (&f.section, true),
        (&f.other_section, true),
        (&f.section, false),
        (&f.other_section, false),
    ]
    .into_iter()
    .enumerate()
    {
        let mut new = story(
            &format!("Histoire {n}"),
            section,
            Some(days_ago(i64::try_from(n).unwrap())),
        );
        new.tags = if tagged { vec![f.tag.clone()] } else { vec![] };
        ids.push(f.store.create_article(&new).await.unwrap());
    }
    let (target, candidates) = f.store.related_candidates(ids[0]).await.unwrap().unwrap();
    assert_eq!(
        rank_related(&target, &candidates, 5),
        vec![ids[1], ids[2], ids[3]]
    );
    let summaries = f
        .store
        .published_summaries_by_ids(&[ids[2], ids[1]])
        .await
        .unwrap();
    assert_eq!(
        summaries.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![ids[2], ids[1]]
    );
}

async fn same_media_is_one_record(store: Store) {
    let media = NewMedia {
        storage_key: "same.png".into(),
        content_type: "image/png".into(),
        width: 10,
        height: 10,
        byte_size: 10,
        original_name: None,
    };
    let first = store.record_media(&media).await.unwrap();
    let second = store.record_media(&media).await.unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(store.media_by_key("same.png").await.unwrap(), Some(first));
    assert_eq!(store.media_by_key("other.png").await.unwrap(), None);
}

async fn schema_enforces_unique_paths(store: Store) {
    let f = fixture(store).await;
    let new = story("Unique", &f.section, Some(days_ago(1)));
    f.store.create_article(&new).await.unwrap();
    let err = f.store.create_article(&new).await.unwrap_err();
    assert!(
        matches!(err, rotative_store::StoreError::AlreadyExists(_)),
        "{err:?}"
    );
}

async fn failed_story_stores_nothing(store: Store) {
    let f = fixture(store).await;
    let mut new = story("Sans image", &f.section, Some(days_ago(1)));
    new.tags = vec![Tag::named(Name::parse("Nouveau sujet").unwrap()).unwrap()];
    new.lead_image = Some(NewLeadImage {
        storage_key: "absent.jpg".into(),
        alt: AltText::parse("x").unwrap(),
        caption: None,
        credit: None,
    });
    new.section = Section::named(Name::parse("Nouvelle rubrique").unwrap()).unwrap();
    let err = f.store.create_article(&new).await.unwrap_err();
    assert!(
        matches!(err, rotative_store::StoreError::NotFound(_)),
        "{err:?}"
    );
    assert_eq!(
        f.store.sections().await.unwrap().len(),
        2,
        "no section created"
    );
    assert!(
        f.store
            .tag_by_slug(&Slug::parse("nouveau-sujet").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert!(f.store.is_empty().await.unwrap());
}

async fn settings_round_trip(store: Store) {
    assert_eq!(store.setting("demo").await.unwrap(), None);
    store.set_setting("demo", "offered").await.unwrap();
    store.set_setting("demo", "declined").await.unwrap();
    assert_eq!(
        store.setting("demo").await.unwrap().as_deref(),
        Some("declined")
    );
}
