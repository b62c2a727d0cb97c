//! The store's behaviour, written as functions of a `Store` so every back end runs the same suite.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

use std::collections::BTreeSet;

use jiff::{Timestamp, ToSpan, tz::TimeZone};
use rotative_domain::{
    AltText, ArticleKind, ArticlePath, ArticleStatus, Author, Headline, Name, ProfileLinks,
    SearchAndSocial, Section, Slug, Source, Tag, rank_related,
};
use rotative_domain::{
    ArticleId, AuthorId, CorrectionKind, Email, MediaId, NoticeKind, RevisionId, Role, SectionId,
    SubjectId, UserId,
};
use rotative_store::{
    ArrangementRefused, Audit, Changed, Ending, FRONT_PAGE_ARRANGED, FrontPageArrangement,
    ImportUpdate, ImportedStory, Invitee, LetterOutcome, LinkPurpose, Listing, Marking, MediaQuery,
    MediaText, NewArticle, NewLeadImage, NewLetter, NewLink, NewMedia, NewNotice,
    NotificationSettings, OldAddress, Placement, ProfileFields, RedirectAdded, RedirectOrigin,
    SaveKind, SaveOutcome, SectionFields, SectionRemoval, Store, StoreError, StoryContent,
    StoryMove, StorySave, Taken,
};

const DAY: i64 = 86_400;

/// A save by someone who may edit the story in any state.
fn saving(
    id: ArticleId,
    base: RevisionId,
    content: &StoryContent,
    user_id: UserId,
) -> StorySave<'_> {
    StorySave {
        id,
        base_revision_id: base,
        content,
        user_id,
        editable_in: &ArticleStatus::ALL,
        kind: SaveKind::Edit,
    }
}

async fn sqlite() -> Store {
    Store::open_sqlite_in_memory()
        .await
        .expect("in-memory SQLite")
}

use rotative_test_support::postgres as postgres_schema;

/// A store in a schema of its own, so tests run side by side from a fresh start.
async fn postgres() -> Option<Store> {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let schema = format!(
        "store_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let url = postgres_schema::fresh_schema(&schema).await?;
    Some(Store::open_postgres(&url).await.expect("PostgreSQL store"))
}

/// Runs one test body against each back end available here. SQLite twice: in memory, where
/// every read goes through the pool, and in a file, where a page's reads run on the request's
/// thread (`Store::reads`).
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
        mod sqlite_file_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let store = rotative_store::Store::open_sqlite(&dir.path().join("rotative.db"))
                        .await
                        .expect("SQLite file");
                    super::$name(store).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(store) = super::postgres().await {
                        super::$name(store).await;
                    }
                }
            )*
        }
    };
}

#[tokio::test]
async fn any_folder_name_holds_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("Le Journal 100% #local? é");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("rotative.db");
    let store = Store::open_sqlite(&path).await.unwrap();
    store.set_setting("probe", "ok").await.unwrap();
    store.close().await;
    assert!(path.exists(), "the file is where it was asked for");
    let again = Store::open_sqlite(&path).await.unwrap();
    assert_eq!(again.setting("probe").await.unwrap().as_deref(), Some("ok"));
}

#[tokio::test]
async fn both_back_ends_have_the_same_tables_and_columns() {
    let Some(postgres) = postgres().await else {
        return;
    };
    let sqlite = sqlite().await.schema_columns().await.unwrap();
    let postgres = postgres.schema_columns().await.unwrap();
    assert!(sqlite.len() > 50, "{sqlite:?}");
    assert_eq!(
        sqlite.difference(&postgres).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "only in SQLite"
    );
    assert_eq!(
        postgres.difference(&sqlite).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "only in PostgreSQL"
    );
}

on_every_backend!(
    taxonomy_is_idempotent,
    published_story_round_trips,
    drafts_and_future_stories_stay_hidden,
    listings_filter_and_paginate,
    slugs_stay_unique,
    related_candidates_rank_shared_tags_first,
    a_story_among_its_sections_newest_has_twelve_others,
    same_media_is_one_record,
    media_library_searches_describes_and_tracks_use,
    imports_are_recorded_with_their_redirects,
    imports_in_bulk_are_written_whole,
    changed_imports_update_unless_edited_since,
    imported_accounts_wait_for_activation,
    a_job_runs_on_one_instance_and_is_taken_over,
    other_instances_hear_of_changes_at_once,
    the_change_log_names_what_changed,
    the_front_page_keeps_the_editors_slots_and_fills_the_others,
    a_new_lead_moves_the_others_down_and_stories_leave_in_time,
    letters_wait_in_the_outbox_and_are_claimed_once,
    notifications_come_with_their_act_and_only_their_owner_reads_them,
    notifications_are_mailed_once_as_their_owner_chose,
    notifications_are_marked_read_as_shown_and_forgotten_once_read,
    an_invitation_link_sets_the_password_once_before_it_expires,
    an_expired_invitation_link_serves_no_more,
    a_reset_link_sets_a_new_password_once_and_ends_the_sessions,
    an_account_lists_and_ends_its_own_sessions,
    a_second_factor_serves_each_code_once,
    front_page_writers_take_turns,
    schema_enforces_unique_paths,
    failed_story_stores_nothing,
    settings_round_trip,
    accounts_and_sessions,
    api_tokens_act_until_revoked,
    webhook_events_are_recorded_with_the_change_and_claimed_once,
    api_pages_follow_cursors,
    a_section_is_shown_once_it_has_a_published_story,
    sign_in_attempts_and_known_devices,
    saves_detect_conflicts_and_keep_both_texts,
    the_same_content_saved_again_changes_nothing,
    the_dashboard_lists_ones_own_first_page_by_page,
    workflow_moves_once_and_audits,
    corrections_move_the_updated_date,
    a_story_page_carries_all_it_names_in_order,
    sections_are_renamed_reordered_merged_and_removed,
    section_slugs_stay_unique_and_the_order_is_kept,
    redirects_stay_flat_and_count_their_followers,
    redirect_loops_are_refused_however_they_are_written,
    a_profile_shows_on_its_page_and_its_stories,
    bylines_are_listed_created_and_found_by_account,
    the_sites_pages_live_apart_from_the_stories,
    the_footer_holds_published_pages_in_their_order,
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
    section: SectionId,
    other_section: SectionId,
    tag: SubjectId,
    author: AuthorId,
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
        status: if published_at.is_some() {
            ArticleStatus::Published
        } else {
            ArticleStatus::Draft
        },
        published_at,
        scheduled_at: None,
        created_by: None,
        updated_at: None,
        on_front_page: false,
        content: StoryContent {
            headline: Headline::parse(headline).unwrap(),
            standfirst: None,
            body_markdown: "Texte.".into(),
            body_html: "<p>Texte.</p>".into(),
            kind: ArticleKind::News,
            section: section.clone(),
            tags: vec![],
            authors: vec![],
            media: vec![],
            lead_image: None,
            media_keys: vec![],
            sources: vec![],
            claim: None,
            search_and_social: SearchAndSocial::default(),
        },
        is_page: false,
        footer_position: None,
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
    new.content.media = vec![NewMedia {
        storage_key: "abc.jpg".into(),
        content_type: "image/jpeg".into(),
        width: 1200,
        height: 675,
        byte_size: 1000,
        original_name: Some("photo.jpg".into()),
        ..NewMedia::default()
    }];
    new.content.media_keys = vec!["abc.jpg".into()];
    new.content.tags = vec![
        f.tag.clone(),
        Tag::named(Name::parse("Russie").unwrap()).unwrap(),
    ];
    new.content.authors = vec![f.author.clone()];
    new.content.sources =
        vec![rotative_domain::Source::parse("Lettre", "https://exemple.fr/l.pdf").unwrap()];
    let claim = rotative_domain::Claim::parse(
        "Une rumeur.",
        Some("Un compte anonyme"),
        rotative_domain::ClaimRating::False,
    )
    .unwrap();
    new.content.kind = ArticleKind::FactCheck;
    new.content.claim = Some(claim.clone());
    new.content.standfirst = Some(rotative_domain::Standfirst::parse("Le chapeau.").unwrap());
    new.content.lead_image = Some(NewLeadImage {
        storage_key: "abc.jpg".into(),
        alt: AltText::parse("Une place enneigée").unwrap(),
        caption: Some("Minsk".into()),
        credit: Some("Rotative".into()),
    });
    new.content.search_and_social =
        SearchAndSocial::parse("Bélarus : l'armée écrit", "", "Une lettre rare.").unwrap();
    let id = create(&f.store, &new).await;
    let path = new.path.clone().unwrap();
    let article = f
        .store
        .published_article(&path)
        .await
        .unwrap()
        .expect("published story");
    assert_eq!(article.headline.as_ref(), "Minsk sous pression");
    assert_eq!(article.search_and_social, new.content.search_and_social);
    assert_eq!(article.search_headline(), "Bélarus : l'armée écrit");
    assert_eq!(article.social_headline(), "Minsk sous pression");
    // Saved again without them, the story's own words stand in.
    let editor = user(&f.store, "edit@example.org", Role::Editor).await;
    let story = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(story.search_and_social, new.content.search_and_social);
    let cleared = StoryContent {
        search_and_social: SearchAndSocial::default(),
        ..new.content.clone()
    };
    f.store
        .save_story(&saving(id, story.current_revision_id, &cleared, editor))
        .await
        .unwrap();
    let story = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert!(story.search_and_social.is_empty());
    assert_eq!(article.section.slug.as_ref(), "monde");
    let tags: Vec<_> = article.tags.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        tags,
        ["Bélarus", "Russie"],
        "a new tag is created with the story"
    );
    assert_eq!(article.authors[0].slug.as_ref(), "claire-dubois");
    assert_eq!(article.sources[0].url, "https://exemple.fr/l.pdf");
    assert_eq!(article.claim, Some(claim), "a fact-check keeps its claim");
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
    create(&f.store, &draft).await;
    let future = story("Demain", &f.section, Some(Timestamp::now() + 2.hours()));
    create(&f.store, &future).await;
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

/// Five stories of the fixture's section by its author, every other one with its subject, one of
/// another section, and two of the section published in the same second, twenty days ago.
async fn archive(f: &Fixture) {
    for n in 0..5 {
        let mut new = story(&format!("Monde {n}"), &f.section, Some(days_ago(n)));
        new.content.tags = if n % 2 == 0 {
            vec![f.tag.clone()]
        } else {
            vec![]
        };
        new.content.authors = vec![f.author.clone()];
        create(&f.store, &new).await;
    }
    create(
        &f.store,
        &story("Éco", &f.other_section, Some(days_ago(10))),
    )
    .await;
    let same_second = days_ago(20);
    for headline in ["Même seconde A", "Même seconde B"] {
        create(&f.store, &story(headline, &f.section, Some(same_second))).await;
    }
}

async fn listings_filter_and_paginate(store: Store) {
    let f = fixture(store).await;
    archive(&f).await;
    let count = |listing| f.store.count_published(listing);
    assert_eq!(count(Listing::Everything).await.unwrap(), 8);
    assert_eq!(count(Listing::Section(f.ids.section)).await.unwrap(), 7);
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

    // Sitemaps by runs of ids: each run's published stories (drafts left out), none twice,
    // none missed, and only the runs that hold any are listed.
    let everything = f.store.sitemap(1, 1000).await.unwrap();
    assert_eq!(everything.len(), 8);
    let numbers = f.store.sitemap_numbers(3).await.unwrap();
    let mut chunked = Vec::new();
    for number in &numbers {
        let one = f.store.sitemap(*number, 3).await.unwrap();
        assert!(
            !one.is_empty() && one.len() <= 3,
            "sitemap {number}: {one:?}"
        );
        chunked.extend(one);
    }
    assert_eq!(chunked, everything, "by runs of three ids");
    let last = *numbers.last().unwrap();
    assert!(f.store.sitemap(last + 1, 3).await.unwrap().is_empty());
    assert!(f.store.sitemap(0, 3).await.unwrap().is_empty());
    assert!(f.store.sitemap(u64::MAX, 3).await.unwrap().is_empty());
}

async fn api_pages_follow_cursors(store: Store) {
    let f = fixture(store).await;
    archive(&f).await;

    // Filters combined, each page starting after the last one's end (two
    // stories published in the same second included), none twice, none missed.
    let query = rotative_store::StoryQuery {
        section: Some(f.ids.section),
        author: Some(f.ids.author),
        ..Default::default()
    };
    let first = f.store.published_page(query, None, 3).await.unwrap();
    let headlines = |page: &[rotative_store::ListedStory]| {
        page.iter()
            .map(|listed| listed.summary.headline.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(headlines(&first), ["Monde 0", "Monde 1", "Monde 2"]);
    let last = first.last().unwrap();
    let after = rotative_domain::After {
        at: last.summary.published_at,
        id: last.summary.id,
    };
    let second = f.store.published_page(query, Some(after), 3).await.unwrap();
    assert_eq!(headlines(&second), ["Monde 3", "Monde 4"]);
    let tagged = rotative_store::StoryQuery {
        subject: Some(f.ids.tag),
        ..query
    };
    let tagged = f.store.published_page(tagged, None, 10).await.unwrap();
    assert_eq!(headlines(&tagged), ["Monde 0", "Monde 2", "Monde 4"]);
    let everything = f
        .store
        .published_page(rotative_store::StoryQuery::default(), None, 100)
        .await
        .unwrap();
    let mut walked = Vec::new();
    let mut after = None;
    loop {
        let page = f
            .store
            .published_page(rotative_store::StoryQuery::default(), after, 3)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(rotative_domain::After {
            at: last.summary.published_at,
            id: last.summary.id,
        });
        walked.extend(headlines(&page));
    }
    assert_eq!(walked, headlines(&everything));
    assert_eq!(walked.len(), 8);
    let later = rotative_store::StoryQuery {
        updated_since: Some(Timestamp::now() + 1.hour()),
        ..Default::default()
    };
    assert!(
        f.store
            .published_page(later, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let subjects = f.store.published_subjects(None, 10).await.unwrap();
    assert_eq!(subjects.len(), 1);
    assert!(
        f.store
            .published_subjects(Some(&subjects[0].1.slug), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(f.store.published_authors(None, 10).await.unwrap().len(), 1);
    let shown = everything[0].summary.id;
    let visibility = f
        .store
        .visibility(&[shown, ArticleId(999_999)])
        .await
        .unwrap();
    assert_eq!(visibility.len(), 1, "what does not exist is left out");
    assert_eq!(visibility[&shown], rotative_store::Visibility::Public);
}

async fn api_tokens_act_until_revoked(store: Store) {
    let claire = user(&store, "claire@exemple.fr", Role::Journalist).await;
    let paul = user(&store, "paul@exemple.fr", Role::Editor).await;
    let token = |owner, hash| rotative_store::NewToken {
        owner,
        name: "Script",
        scope: rotative_domain::TokenScope::Write,
        token_hash: hash,
    };
    let hers = store
        .create_token(token(claire, "hash-a"), Audit::by(None, "token_add"))
        .await
        .unwrap();
    store
        .create_token(token(paul, "hash-b"), Audit::by(None, "token_add"))
        .await
        .unwrap();
    let holder = store.token_holder("hash-a").await.unwrap().unwrap();
    assert_eq!(
        (holder.token, holder.user.id, holder.scope),
        (hers, claire, rotative_domain::TokenScope::Write)
    );
    assert!(store.token_holder("hash-z").await.unwrap().is_none());
    assert_eq!(store.tokens(Some(claire)).await.unwrap().len(), 1);
    assert_eq!(store.tokens(None).await.unwrap().len(), 2);
    assert!(
        store.tokens(Some(claire)).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    let revoke = |owner| store.revoke_token(hers, owner, Audit::by(None, "token_revoke"));
    assert!(!revoke(Some(paul)).await.unwrap(), "not his to revoke");
    assert!(revoke(Some(claire)).await.unwrap());
    assert!(!revoke(None).await.unwrap(), "already revoked");
    assert!(store.token_holder("hash-a").await.unwrap().is_none());
    assert!(
        store.tokens(Some(claire)).await.unwrap()[0]
            .revoked_at
            .is_some()
    );
    let taken = store
        .create_token(token(paul, "hash-b"), Audit::by(None, "token_add"))
        .await;
    assert!(taken.is_err(), "a token's hash is unique");
}

async fn slugs_stay_unique(store: Store) {
    let f = fixture(store).await;
    let base = Slug::parse("meme-titre").unwrap();
    let none = BTreeSet::new();
    assert_eq!(f.store.free_article_slug(&base, &none).await.unwrap(), base);
    create(&f.store, &story("Même titre", &f.section, None)).await;
    assert_eq!(
        f.store
            .free_article_slug(&base, &none)
            .await
            .unwrap()
            .as_ref(),
        "meme-titre-2"
    );
    let mut second = story("Même titre", &f.section, None);
    second.slug = Slug::parse("meme-titre-2").unwrap();
    create(&f.store, &second).await;
    assert_eq!(
        f.store
            .free_article_slug(&base, &none)
            .await
            .unwrap()
            .as_ref(),
        "meme-titre-3"
    );
    let reserved = BTreeSet::from([Slug::parse("meme-titre-3").unwrap()]);
    assert_eq!(
        f.store
            .free_article_slug(&base, &reserved)
            .await
            .unwrap()
            .as_ref(),
        "meme-titre-4",
        "a slug taken by a story about to be written is not free"
    );
    let unused = Slug::parse("autre-titre").unwrap();
    assert_eq!(
        f.store
            .free_slugs(&[base.clone(), unused.clone(), second.slug.clone()])
            .await
            .unwrap(),
        BTreeSet::from([unused]),
        "of a batch's slugs, those no story has"
    );
}

/// The section's twelve newest stories are candidates, the story itself aside (read along the
/// section's index, without subjects to join).
async fn a_story_among_its_sections_newest_has_twelve_others(store: Store) {
    let f = fixture(store).await;
    let mut ids = Vec::new();
    let mut newest = None;
    for n in 0..14 {
        let mut new = story(&format!("Brève {n}"), &f.section, Some(days_ago(n)));
        new.content.tags = vec![];
        ids.push(create(&f.store, &new).await);
        newest.get_or_insert(new.path.unwrap());
    }
    let story = f
        .store
        .story_page(&newest.unwrap())
        .await
        .unwrap()
        .unwrap()
        .ranking;
    assert!(story.tag_ids.is_empty());
    let pool = f.store.related_candidates(&story, 4).await.unwrap();
    assert!(!pool.site_wide);
    let mut found: Vec<_> = pool.candidates.iter().map(|c| c.id).collect();
    found.sort_unstable();
    let mut newest_others = ids[1..13].to_vec();
    newest_others.sort_unstable();
    assert_eq!(found, newest_others, "the twelve newest after the story");
}

async fn related_candidates_rank_shared_tags_first(store: Store) {
    let f = fixture(store).await;
    let mut ids = Vec::new();
    let mut paths = Vec::new();
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
        new.content.tags = if tagged { vec![f.tag.clone()] } else { vec![] };
        ids.push(create(&f.store, &new).await);
        paths.push(new.path.unwrap());
    }
    let story = f
        .store
        .story_page(&paths[0])
        .await
        .unwrap()
        .unwrap()
        .ranking;
    assert_eq!(story.id, ids[0]);
    let pool = f.store.related_candidates(&story, 5).await.unwrap();
    assert!(
        pool.site_wide,
        "two candidates are not enough: recent stories join"
    );
    assert_eq!(
        rank_related(&story, &pool.candidates, 5),
        vec![ids[1], ids[2], ids[3]]
    );
    let pool = f.store.related_candidates(&story, 2).await.unwrap();
    assert!(!pool.site_wide);
    assert_eq!(
        rank_related(&story, &pool.candidates, 5),
        vec![ids[1], ids[2]],
        "neither in the section nor sharing a subject"
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
        ..NewMedia::default()
    };
    let first = store.record_media(&media).await.unwrap();
    let described = NewMedia {
        description: MediaText {
            alt: Some("Un pont".into()),
            caption: None,
            credit: Some("Agence".into()),
        },
        ..media.clone()
    };
    let second = store.record_media(&described).await.unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(
        second.description.alt.as_deref(),
        Some("Un pont"),
        "a second upload fills in what the library did not know"
    );
    let third = store.record_media(&media).await.unwrap();
    assert_eq!(
        third.description, second.description,
        "and never erases what it knew"
    );
    assert_eq!(store.media_by_key("same.png").await.unwrap(), Some(third));
    assert_eq!(store.media_by_key("other.png").await.unwrap(), None);
}

async fn media_library_searches_describes_and_tracks_use(store: Store) {
    let f = fixture(store).await;
    for (key, alt) in [
        ("a.jpg", "Le pont de Vilnius au matin"),
        ("b.jpg", "Une place à 50 % vide"),
    ] {
        f.store
            .record_media(&NewMedia {
                storage_key: key.into(),
                content_type: "image/jpeg".into(),
                width: 800,
                height: 600,
                byte_size: 1,
                description: MediaText {
                    alt: Some(alt.into()),
                    ..MediaText::default()
                },
                ..NewMedia::default()
            })
            .await
            .unwrap();
    }
    let search = |text: &str| MediaQuery {
        text: Some(text.into()),
        limit: 10,
        offset: 0,
    };
    let (found, total) = f.store.media_library(&search("PONT")).await.unwrap();
    assert_eq!(
        (found.len(), total, found[0].storage_key.as_str()),
        (1, 1, "a.jpg")
    );
    let (found, _) = f.store.media_library(&search("50 %")).await.unwrap();
    assert_eq!(
        found.len(),
        1,
        "a % in the query is a character, not a wildcard"
    );
    let (found, _) = f.store.media_library(&search("_")).await.unwrap();
    assert!(found.is_empty());
    let (all, total) = f
        .store
        .media_library(&MediaQuery {
            limit: 1,
            ..MediaQuery::default()
        })
        .await
        .unwrap();
    assert_eq!((all.len(), total), (1, 2));

    let a = f.store.media_by_key("a.jpg").await.unwrap().unwrap();
    let text = MediaText {
        alt: Some("Le pont, repeint".into()),
        caption: Some("Vilnius".into()),
        credit: None,
    };
    let describing = Audit::by(None, "media_describe");
    f.store
        .describe_media(a.id, &text, describing)
        .await
        .unwrap();
    let described = f.store.media_by_id(a.id).await.unwrap().unwrap();
    assert_eq!(described.description, text);
    let missing = f.store.describe_media(MediaId(9999), &text, describing);
    assert!(missing.await.is_err());

    let mut new = story("Le pont", &f.section, Some(days_ago(1)));
    new.content.media_keys = vec!["a.jpg".into()];
    let id = create(&f.store, &new).await;
    assert_eq!(f.store.stories_using_media(a.id).await.unwrap(), [id]);
    f.store
        .refresh_rendering(id, "<p>Nouveau rendu.</p>", None)
        .await
        .unwrap();
    let story = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(story.body_markdown, "Texte.", "the text is untouched");

    let pending = f.store.media_without_variants(10).await.unwrap();
    assert_eq!(pending.len(), 2);
    f.store.mark_variants_ready(a.id).await.unwrap();
    let pending = f.store.media_without_variants(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    let hash = "0123456789abcdef0123456789abcdef";
    let original = f
        .store
        .record_media(&NewMedia {
            storage_key: format!("{hash}.png"),
            content_type: "image/png".into(),
            width: 10,
            height: 10,
            byte_size: 1,
            ..NewMedia::default()
        })
        .await
        .unwrap();
    assert_eq!(f.store.media_by_hash(hash).await.unwrap(), Some(original));
}

async fn schema_enforces_unique_paths(store: Store) {
    let f = fixture(store).await;
    let new = story("Unique", &f.section, Some(days_ago(1)));
    create(&f.store, &new).await;
    let err = f.store.create_article(&new, None).await.unwrap_err();
    assert!(
        matches!(err, rotative_store::StoreError::AlreadyExists(_)),
        "{err:?}"
    );
}

async fn failed_story_stores_nothing(store: Store) {
    let f = fixture(store).await;
    let mut new = story("Sans image", &f.section, Some(days_ago(1)));
    new.content.tags = vec![Tag::named(Name::parse("Nouveau sujet").unwrap()).unwrap()];
    new.content.lead_image = Some(NewLeadImage {
        storage_key: "absent.jpg".into(),
        alt: AltText::parse("x").unwrap(),
        caption: None,
        credit: None,
    });
    new.content.section = Section::named(Name::parse("Nouvelle rubrique").unwrap()).unwrap();
    let err = f.store.create_article(&new, None).await.unwrap_err();
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

async fn user(store: &Store, email: &str, role: Role) -> UserId {
    store
        .create_user(
            &Email::parse(email).unwrap(),
            &Name::parse("Claire Dubois").unwrap(),
            role,
            Some("hash"),
            Audit::by(None, "create_user"),
        )
        .await
        .unwrap()
}

async fn accounts_and_sessions(store: Store) {
    let id = user(&store, "claire@exemple.fr", Role::Journalist).await;
    let open = |hash: &'static str| {
        store.create_session(hash, id, "csrf", "", Audit::by(None, "create_session"))
    };
    let duplicate = store
        .create_user(
            &Email::parse("CLAIRE@exemple.fr").unwrap(),
            &Name::parse("X").unwrap(),
            Role::Admin,
            None,
            Audit::by(None, "create_user"),
        )
        .await;
    assert!(matches!(
        duplicate,
        Err(rotative_store::StoreError::AlreadyExists(_))
    ));
    open("token-hash").await.unwrap();
    let session = store
        .live_session("token-hash", 3600, DAY)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            session.user.id,
            session.csrf_token.as_str(),
            session.user.role
        ),
        (id, "csrf", Role::Journalist)
    );
    assert!(
        store
            .live_session("other", 3600, DAY)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .live_session("token-hash", -1, DAY)
            .await
            .unwrap()
            .is_none(),
        "idle sessions end"
    );
    assert!(
        store
            .live_session("token-hash", 3600, DAY)
            .await
            .unwrap()
            .is_none(),
        "and stay ended"
    );
    open("again").await.unwrap();
    assert!(
        store
            .set_role(id, Role::Editor, Audit::by(None, "set_role"))
            .await
            .unwrap()
    );
    assert!(
        store
            .live_session("again", 3600, DAY)
            .await
            .unwrap()
            .is_none(),
        "a new role ends sessions"
    );
    assert_eq!(store.users().await.unwrap()[0].role, Role::Editor);
    open("again").await.unwrap();
    open("old").await.unwrap();
    assert!(
        store.live_session("old", 3600, -1).await.unwrap().is_none(),
        "a session used just now still ends at its lifetime"
    );
    store
        .set_password(id, "new-hash", Audit::by(None, "set_password"))
        .await
        .unwrap();
    assert!(
        store
            .live_session("again", 3600, DAY)
            .await
            .unwrap()
            .is_none(),
        "a new password ends sessions"
    );
}

async fn sign_in_attempts_and_known_devices(store: Store) {
    let id = user(&store, "claire@exemple.fr", Role::Journalist).await;
    for expected in 1..=3 {
        assert_eq!(
            store.count_attempt("claire 10.0.0.1", 900).await.unwrap(),
            expected
        );
    }
    assert_eq!(store.count_attempt("autre 10.0.0.1", 900).await.unwrap(), 1);
    assert_eq!(
        store.count_attempt("claire 10.0.0.1", -1).await.unwrap(),
        1,
        "a new window starts once the last is over"
    );
    store.forget_attempts("claire 10.0.0.1").await.unwrap();
    assert_eq!(
        store.count_attempt("claire 10.0.0.1", 900).await.unwrap(),
        1
    );
    // Forty attempts at once are forty counts: none is lost to a race.
    let counts = futures_util::future::join_all(
        (0..40).map(|_| store.count_attempt("course 10.0.0.2", 900)),
    )
    .await;
    let mut counts: Vec<u32> = counts.into_iter().map(Result::unwrap).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=40).collect::<Vec<u32>>());

    store.remember_device("appareil", id).await.unwrap();
    assert!(
        store
            .is_known_device("appareil", "claire@exemple.fr")
            .await
            .unwrap()
    );
    assert!(
        !store
            .is_known_device("appareil", "autre@exemple.fr")
            .await
            .unwrap()
    );
    let first = store
        .shared_secret("essai", || "premier".into())
        .await
        .unwrap();
    let second = store
        .shared_secret("essai", || "second".into())
        .await
        .unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("premier", "premier"));
}

async fn saves_detect_conflicts_and_keep_both_texts(store: Store) {
    let f = fixture(store).await;
    let author = user(&f.store, "claire@exemple.fr", Role::Journalist).await;
    let id = create(&f.store, &story("Premier jet", &f.section, None)).await;
    let loaded = f.store.story_for_edit(id).await.unwrap().unwrap();
    let base = loaded.current_revision_id;
    let mut first = story("Deuxième version", &f.section, None).content;
    first.tags = vec![f.tag.clone()];
    let saved = f
        .store
        .save_story(&saving(id, base, &first, author))
        .await
        .unwrap();
    let SaveOutcome::Saved { revision_id } = saved else {
        panic!("{saved:?}")
    };
    let second = story("Version concurrente", &f.section, None).content;
    let outcome = f
        .store
        .save_story(&saving(id, base, &second, author))
        .await
        .unwrap();
    assert!(
        matches!(outcome, SaveOutcome::Conflict { current_revision_id, .. } if current_revision_id == revision_id)
    );
    let now = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(
        now.headline.as_ref(),
        "Deuxième version",
        "the conflicting save is not applied"
    );
    assert_eq!(now.tags.len(), 1);
    let history = f.store.revisions(id).await.unwrap();
    assert_eq!(history.len(), 3, "both texts are kept");
    assert!(history[0].conflict && history[0].headline == "Version concurrente");
    let kept = f.store.revision(id, history[0].id).await.unwrap().unwrap();
    assert_eq!(kept.headline, "Version concurrente");
}

/// A form's post and the save its page sends on leaving carry the same content from the same
/// base: whichever comes second changes nothing and is no conflict; nor does a story saved as it
/// was created. Content that differs only in
/// its subjects is still a conflict.
async fn the_same_content_saved_again_changes_nothing(store: Store) {
    let f = fixture(store).await;
    let author = user(&f.store, "claire@exemple.fr", Role::Journalist).await;
    let id = create(&f.store, &story("Premier jet", &f.section, None)).await;
    let base = f
        .store
        .story_for_edit(id)
        .await
        .unwrap()
        .unwrap()
        .current_revision_id;
    // A story is known by its content from its creation: opened and saved as it is, it gets
    // no second version.
    let created = story("Premier jet", &f.section, None).content;
    let outcome = f
        .store
        .save_story(&saving(id, base, &created, author))
        .await
        .unwrap();
    assert!(
        matches!(outcome, SaveOutcome::Saved { revision_id } if revision_id == base),
        "{outcome:?}"
    );
    assert_eq!(f.store.revisions(id).await.unwrap().len(), 1);
    let typed = story("Deuxième version", &f.section, None).content;
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        outcomes.push(
            f.store
                .save_story(&saving(id, base, &typed, author))
                .await
                .unwrap(),
        );
    }
    let revisions: Vec<RevisionId> = outcomes
        .iter()
        .map(|outcome| match outcome {
            SaveOutcome::Saved { revision_id } => *revision_id,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        revisions.iter().all(|r| *r == revisions[0]),
        "{revisions:?}"
    );
    let history = f.store.revisions(id).await.unwrap();
    assert_eq!(history.len(), 2, "one revision for the three saves");
    assert!(history.iter().all(|revision| !revision.conflict));

    let mut with_subject = typed.clone();
    with_subject.tags = vec![f.tag.clone()];
    let outcome = f
        .store
        .save_story(&saving(id, base, &with_subject, author))
        .await
        .unwrap();
    assert!(
        matches!(outcome, SaveOutcome::Conflict { .. }),
        "{outcome:?}"
    );
}

async fn workflow_moves_once_and_audits(store: Store) {
    let f = fixture(store).await;
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let id = create(&f.store, &story("À publier", &f.section, None)).await;
    let loaded = f.store.story_for_edit(id).await.unwrap().unwrap();
    let tz = TimeZone::get("Europe/Paris").unwrap();
    let now = Timestamp::now();
    let path = ArticlePath::new(&f.section.slug, &loaded.slug, now, &tz);
    let publish = |store: Store, path: ArticlePath| async move {
        store
            .move_story(&StoryMove {
                id,
                from: ArticleStatus::Draft,
                reviewed: None,
                to: ArticleStatus::Published,
                path: Some(&path),
                published_at: Some(now),
                scheduled_at: None,
                audit: Audit::by(Some(editor), "publish"),
            })
            .await
            .unwrap()
    };
    assert!(publish(f.store.clone(), path.clone()).await);
    assert!(
        !publish(f.store.clone(), path.clone()).await,
        "a second click moves nothing"
    );
    assert!(f.store.published_article(&path).await.unwrap().is_some());
    let log = f.store.audit_entries(Some(id), 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].action.as_str(), log[0].user_name.as_deref()),
        ("publish", Some("Claire Dubois"))
    );
    let later = Timestamp::now() - 1.hours();
    let scheduled = create(&f.store, &story("Programmé", &f.section, None)).await;
    f.store
        .move_story(&StoryMove {
            id: scheduled,
            from: ArticleStatus::Draft,
            reviewed: None,
            to: ArticleStatus::Scheduled,
            path: None,
            published_at: None,
            scheduled_at: Some(later),
            audit: Audit::by(Some(editor), "schedule"),
        })
        .await
        .unwrap();
    assert_eq!(
        f.store
            .due_scheduled()
            .await
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        vec![scheduled]
    );
    unpublish(&f.store, id, editor).await;
    assert!(f.store.published_article(&path).await.unwrap().is_none());
    assert!(f.store.is_unpublished_path(&path).await.unwrap());
}

async fn the_dashboard_lists_ones_own_first_page_by_page(store: Store) {
    let f = fixture(store).await;
    let me = user(&f.store, "julie@exemple.fr", Role::Journalist).await;
    // Alternately mine and others', the newest last; the last change orders each part.
    let mut mine = Vec::new();
    let mut others = Vec::new();
    for n in 0..7_i64 {
        let mut new = story(&format!("Article {n}"), &f.section, None);
        new.updated_at = Some(days_ago(30 - n));
        if n % 2 == 0 {
            new.created_by = Some(me);
            mine.push(create(&f.store, &new).await);
        } else {
            others.push(create(&f.store, &new).await);
        }
    }
    let expected: Vec<ArticleId> = mine
        .iter()
        .rev()
        .chain(others.iter().rev())
        .copied()
        .collect();
    let filter = rotative_store::StoryFilter {
        first_by: Some(me),
        ..rotative_store::StoryFilter::default()
    };
    let mut listed = Vec::new();
    for page in 0..4_u64 {
        let rows = f
            .store
            .newsroom_stories(&filter, 3, page * 3)
            .await
            .unwrap();
        listed.extend(rows.into_iter().map(|row| row.id));
    }
    assert_eq!(
        listed, expected,
        "mine first, then the others', each newest first"
    );
    let only_mine = rotative_store::StoryFilter {
        created_by: Some(me),
        ..rotative_store::StoryFilter::default()
    };
    let second_page = f.store.newsroom_stories(&only_mine, 3, 3).await.unwrap();
    assert_eq!(
        second_page.iter().map(|row| row.id).collect::<Vec<_>>(),
        [mine[0]]
    );

    // The counts by state follow every story created and moved, everyone's and one's own.
    let counts = |created_by| {
        let store = f.store.clone();
        async move {
            store
                .count_by_status(created_by)
                .await
                .unwrap()
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(counts(None).await, [(ArticleStatus::Draft, 7)]);
    assert_eq!(counts(Some(me)).await, [(ArticleStatus::Draft, 4)]);
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let moved = f
        .store
        .move_story(&StoryMove {
            id: mine[0],
            from: ArticleStatus::Draft,
            reviewed: None,
            to: ArticleStatus::InReview,
            path: None,
            published_at: None,
            scheduled_at: None,
            audit: Audit::by(Some(me), "submit"),
        })
        .await
        .unwrap();
    assert!(moved);
    create(&f.store, &story("Publié", &f.section, Some(days_ago(1)))).await;
    assert_eq!(
        counts(None).await,
        [
            (ArticleStatus::Draft, 6),
            (ArticleStatus::InReview, 1),
            (ArticleStatus::Published, 1)
        ]
    );
    assert_eq!(
        counts(Some(me)).await,
        [(ArticleStatus::Draft, 3), (ArticleStatus::InReview, 1)]
    );
    assert!(counts(Some(editor)).await.is_empty());
}

/// Stores a new story, as the newsroom or an import would.
async fn create(store: &Store, new: &NewArticle) -> ArticleId {
    store.create_article(new, None).await.unwrap()
}

/// An editor takes a published story off the site.
async fn unpublish(store: &Store, id: ArticleId, editor: UserId) {
    let story_move = StoryMove {
        id,
        from: ArticleStatus::Published,
        reviewed: None,
        to: ArticleStatus::Unpublished,
        path: None,
        published_at: None,
        scheduled_at: None,
        audit: Audit::by(Some(editor), "unpublish"),
    };
    assert!(store.move_story(&story_move).await.unwrap());
}

async fn corrections_move_the_updated_date(store: Store) {
    let f = fixture(store).await;
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let new = story("Corrigé", &f.section, Some(days_ago(2)));
    let id = create(&f.store, &new).await;
    f.store
        .add_correction(
            id,
            CorrectionKind::Correction,
            "Le chiffre était faux.",
            editor,
        )
        .await
        .unwrap();
    let article = f
        .store
        .published_article(new.path.as_ref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(article.was_updated());
    let notes = f.store.corrections(None, 10).await.unwrap();
    assert_eq!(
        (
            notes.len(),
            notes[0].correction.kind,
            notes[0].headline.as_str()
        ),
        (1, CorrectionKind::Correction, "Corrigé")
    );
}

async fn a_story_page_carries_all_it_names_in_order(store: Store) {
    let f = fixture(store).await;
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let second_tag = Tag::named(Name::parse("Russie").unwrap()).unwrap();
    let second_author = Author::named(Name::parse("Jean Martin").unwrap()).unwrap();
    let mut new = story("Tout ce qu'elle nomme", &f.section, Some(days_ago(1)));
    new.content.tags = vec![second_tag.clone(), f.tag.clone()];
    new.content.authors = vec![second_author.clone(), f.author.clone()];
    new.content.sources = vec![
        Source {
            label: "Rapport".into(),
            url: "https://exemple.fr/rapport".into(),
        },
        Source {
            label: "Entretien".into(),
            url: "https://exemple.fr/entretien".into(),
        },
    ];
    let id = create(&f.store, &new).await;
    for (kind, note) in [
        (CorrectionKind::Correction, "Le chiffre était faux."),
        (CorrectionKind::Update, "Précision sur la date."),
    ] {
        f.store
            .add_correction(id, kind, note, editor)
            .await
            .unwrap();
    }
    let page = f
        .store
        .story_page(new.path.as_ref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        page.article.tags, new.content.tags,
        "subjects in the writer's order"
    );
    assert_eq!(
        page.article.authors, new.content.authors,
        "bylines in order"
    );
    assert_eq!(
        page.article.sources, new.content.sources,
        "sources in order"
    );
    assert_eq!(
        page.corrections
            .iter()
            .map(|c| (c.kind, c.note.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (CorrectionKind::Update, "Précision sur la date."),
            (CorrectionKind::Correction, "Le chiffre était faux."),
        ],
        "newest first (the same second: the later note first)"
    );
    let subject_ids = [f.store.ensure_tag(&second_tag).await.unwrap(), f.ids.tag];
    assert_eq!(
        (
            page.ranking.id,
            page.ranking.section_id,
            page.ranking.tag_ids
        ),
        (id, f.ids.section, subject_ids.to_vec())
    );
}

async fn imports_are_recorded_with_their_redirects(store: Store) {
    let f = fixture(store).await;
    let new = story("Importé", &f.section, Some(days_ago(3)));
    assert_eq!(
        f.store.imported_item("wordpress", "19").await.unwrap(),
        None
    );
    let id = f
        .store
        .create_imported_article(&imported(new.clone(), "19", &["/?p=19", "/2008/10/boat/"]))
        .await
        .unwrap();
    let record = f
        .store
        .imported_item("wordpress", "19")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (record.article_id, record.fingerprint.as_str()),
        (Some(id), "v1")
    );
    let target = new.path.as_ref().unwrap().to_string();
    assert_eq!(
        f.store.redirect("/?p=19").await.unwrap(),
        Some(OldAddress::Moved(target.clone()))
    );
    assert_eq!(
        f.store.redirect("/2008/10/boat/").await.unwrap(),
        Some(OldAddress::Moved(target.clone()))
    );
    assert!(
        !f.store.add_redirect("/?p=19", "/ailleurs/").await.unwrap(),
        "the first target stays"
    );
    assert!(
        f.store
            .add_redirect("/category/x/", "/monde/")
            .await
            .unwrap()
    );
    assert_eq!(f.store.redirect("/?p=20").await.unwrap(), None);
    assert!(f.store.add_gone("/tag/vide/").await.unwrap());
    assert!(
        !f.store.add_gone("/category/x/").await.unwrap(),
        "an address that leads somewhere is never gone"
    );
    assert_eq!(
        f.store.redirect("/tag/vide/").await.unwrap(),
        Some(OldAddress::Gone)
    );

    let duplicate = story("Importé", &f.section, Some(days_ago(3)));
    assert!(
        f.store
            .create_imported_article(&imported(duplicate, "21", &["/?p=21"]))
            .await
            .is_err()
    );
    assert_eq!(
        f.store.imported_item("wordpress", "21").await.unwrap(),
        None,
        "a failed item leaves no record and no redirect"
    );
    assert_eq!(f.store.redirect("/?p=21").await.unwrap(), None);
}

async fn imports_in_bulk_are_written_whole(store: Store) {
    let f = fixture(store).await;
    let new_section = Section::from_label("Régions").unwrap();
    let second_tag = Tag::named(Name::parse("Russie").unwrap()).unwrap();
    let new_author = Author::named(Name::parse("Jean Martin").unwrap()).unwrap();
    let seq = f.store.last_change().await.unwrap();
    let mut stories = Vec::new();
    for (n, headline) in ["Premier lot", "Deuxième du lot", "Troisième du lot"]
        .into_iter()
        .enumerate()
    {
        let mut new = story(
            headline,
            &new_section,
            Some(days_ago(3 - i64::try_from(n).unwrap())),
        );
        // A subject named twice in one story, and subjects and bylines new and old, shared.
        new.content.tags = vec![second_tag.clone(), f.tag.clone(), second_tag.clone()];
        new.content.authors = vec![new_author.clone(), f.author.clone()];
        new.content.sources = vec![Source {
            label: format!("Source {n}"),
            url: format!("https://exemple.fr/{n}"),
        }];
        let id = format!("{}", 40 + n);
        stories.push(imported(new, &id, &[&format!("/?p={id}")]));
    }
    let ids = f.store.create_imported_articles(&stories).await.unwrap();
    assert_eq!(ids.len(), 3);
    for (story, id) in stories.iter().zip(&ids) {
        let new = &story.article;
        let page = f
            .store
            .story_page(new.path.as_ref().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(page.article.id, *id, "ids in the order given");
        assert_eq!(page.article.headline, new.content.headline);
        assert_eq!(page.article.tags, vec![second_tag.clone(), f.tag.clone()]);
        assert_eq!(page.article.authors, new.content.authors);
        assert_eq!(page.article.sources, new.content.sources);
        let editable = f.store.story_for_edit(*id).await.unwrap().unwrap();
        let record = f
            .store
            .imported_item("wordpress", &story.source_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (record.article_id, record.revision_id),
            (Some(*id), Some(editable.current_revision_id)),
            "each story's first revision is its current one, and the one recorded"
        );
        assert_eq!(
            f.store.redirect(&story.redirects[0]).await.unwrap(),
            Some(OldAddress::Moved(new.path.as_ref().unwrap().to_string()))
        );
    }
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert!(
        changed.contains(&Changed::Site),
        "a section shown by its first published stories: {changed:?}"
    );
    let later = imported(
        story("Plus tard", &new_section, Some(days_ago(1))),
        "50",
        &[],
    );
    f.store.create_imported_articles(&[later]).await.unwrap();
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert!(
        !changed.contains(&Changed::Site),
        "a section already shown: {changed:?}"
    );

    // One story whose address is taken: none of the batch is written.
    let fresh = imported(
        story("Nouveau lot", &f.section, Some(days_ago(1))),
        "60",
        &["/?p=60"],
    );
    let clash = imported(
        story("Premier lot", &new_section, Some(days_ago(3))),
        "61",
        &[],
    );
    assert!(matches!(
        f.store.create_imported_articles(&[fresh, clash]).await,
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(
        f.store.imported_item("wordpress", "60").await.unwrap(),
        None
    );
    assert_eq!(f.store.redirect("/?p=60").await.unwrap(), None);
    let (changed, _) = changed_since(&f.store, seq).await;
    assert!(changed.is_empty(), "{changed:?}");
}

fn imported(article: NewArticle, source_id: &str, redirects: &[&str]) -> ImportedStory {
    ImportedStory {
        article,
        source: "wordpress".into(),
        source_id: source_id.into(),
        fingerprint: "v1".into(),
        redirects: redirects.iter().map(|r| (*r).to_owned()).collect(),
    }
}

async fn changed_imports_update_unless_edited_since(store: Store) {
    let f = fixture(store).await;
    let draft = imported(
        story("Première version", &f.section, None),
        "30",
        &["/?p=30"],
    );
    let id = f.store.create_imported_article(&draft).await.unwrap();

    // Published at the source since the first run: the rerun publishes it, with its redirects.
    let mut published = imported(
        story("Première version", &f.section, Some(days_ago(1))),
        "30",
        &["/?p=30"],
    );
    published.article.slug = draft.article.slug.clone();
    published.article.content.headline = Headline::parse("Deuxième version").unwrap();
    published.article.on_front_page = true;
    published.fingerprint = "v2".into();
    assert_eq!(
        f.store.update_imported_article(&published).await.unwrap(),
        ImportUpdate::Updated
    );
    let story = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(
        (story.status, story.headline.as_ref(), story.front_page_slot),
        (ArticleStatus::Published, "Deuxième version", Some(0))
    );
    assert_eq!(f.store.revisions(id).await.unwrap().len(), 2);
    let path = published.article.path.as_ref().unwrap().to_string();
    assert_eq!(
        f.store.redirect("/?p=30").await.unwrap(),
        Some(OldAddress::Moved(path))
    );
    let record = f
        .store
        .imported_item("wordpress", "30")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.fingerprint, "v2");

    // Once editors arranged the front page, the source's sticky flag no longer places it.
    f.store
        .arrange_front_page(
            &FrontPageArrangement::default(),
            Audit::by(None, FRONT_PAGE_ARRANGED),
        )
        .await
        .unwrap()
        .unwrap();
    published.fingerprint = "v2, again".into();
    assert_eq!(
        f.store.update_imported_article(&published).await.unwrap(),
        ImportUpdate::Updated
    );
    let story = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(story.front_page_slot, None);

    // An editor saves it in the newsroom: the source's next change is left out.
    let editor = user(&f.store, "edit@example.org", Role::Editor).await;
    let mut edited = story.clone();
    edited.headline = Headline::parse("Version de la rédaction").unwrap();
    let content = StoryContent {
        headline: edited.headline.clone(),
        ..published.article.content.clone()
    };
    f.store
        .save_story(&saving(id, story.current_revision_id, &content, editor))
        .await
        .unwrap();
    published.fingerprint = "v3".into();
    published.article.content.headline = Headline::parse("Troisième version").unwrap();
    assert_eq!(
        f.store.update_imported_article(&published).await.unwrap(),
        ImportUpdate::EditedSince
    );
    let story = f.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(story.headline.as_ref(), "Version de la rédaction");
    published.source_id = "31".into();
    assert_eq!(
        f.store.update_imported_article(&published).await.unwrap(),
        ImportUpdate::Missing
    );
}

async fn the_front_page_keeps_the_editors_slots_and_fills_the_others(store: Store) {
    let f = fixture(store).await;
    let [old, middle, recent] = three_stories(&f).await;
    let front = || async { shown_slots(&f).await };
    assert_eq!(
        front().await,
        [Some(recent), Some(middle), Some(old), None, None],
        "newest first"
    );
    assert!(
        f.store
            .front_page()
            .await
            .unwrap()
            .sections
            .contains(&f.ids.section),
        "a new section has its block"
    );

    // The lead and the fourth slot chosen; the second takes the newest story not shown, and
    // the third none is left for: the fourth stays in its place.
    let tomorrow = Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let mut arrangement = FrontPageArrangement {
        slots: [
            Some(placed(old, Some(tomorrow))),
            None,
            None,
            Some(placed(middle, None)),
            None,
        ],
        sections: Vec::new(),
    };
    let seen = f.store.last_change().await.unwrap();
    f.store
        .arrange_front_page(&arrangement, Audit::by(None, "front_page"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        front().await,
        [Some(old), Some(recent), None, Some(middle), None]
    );
    let mut stored = f.store.front_page_arrangement().await.unwrap();
    assert_eq!(
        stored.slots[0]
            .and_then(|lead| lead.leaves_at)
            .map(Timestamp::as_second),
        Some(tomorrow.as_second())
    );
    stored.slots[0] = arrangement.slots[0];
    assert_eq!(stored, arrangement);
    assert!(f.store.front_page().await.unwrap().sections.is_empty());
    let changes = f.store.changes_since(seen, 100).await.unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c.changed == Changed::Listing(Listing::Everything)),
        "the pages following the whole site's listing are dropped"
    );

    // Only published stories go there.
    let draft = create(&f.store, &story("Brouillon", &f.section, None)).await;
    arrangement.slots[4] = Some(placed(draft, None));
    assert_eq!(
        f.store
            .arrange_front_page(&arrangement, Audit::by(None, "front_page"))
            .await
            .unwrap(),
        Err(ArrangementRefused::NotAPublishedStory(draft))
    );
    assert!(
        !f.store
            .lead_front_page(draft, Audit::by(None, "pin"))
            .await
            .unwrap()
    );
}

/// Three published stories, the oldest first, for the front page's tests.
async fn three_stories(f: &Fixture) -> [ArticleId; 3] {
    let mut ids = [ArticleId(0); 3];
    for (id, (headline, days)) in ids
        .iter_mut()
        .zip([("Ancien", 5), ("Moyen", 3), ("Récent", 1)])
    {
        *id = create(&f.store, &story(headline, &f.section, Some(days_ago(days)))).await;
    }
    ids
}

fn placed(story: ArticleId, leaves_at: Option<Timestamp>) -> Placement {
    Placement { story, leaves_at }
}

/// The story readers see in each slot of the front page.
async fn shown_slots(f: &Fixture) -> Vec<Option<ArticleId>> {
    let page = f.store.front_page().await.unwrap();
    page.slots
        .iter()
        .map(|slot| slot.as_ref().map(|story| story.id))
        .collect()
}

async fn a_new_lead_moves_the_others_down_and_stories_leave_in_time(store: Store) {
    let f = fixture(store).await;
    let [old, middle, recent] = three_stories(&f).await;
    let front = || async { shown_slots(&f).await };
    // Stored to the second.
    let tomorrow = Timestamp::from_second(Timestamp::now().as_second() + 24 * 3600).unwrap();
    let mut arrangement = FrontPageArrangement {
        slots: [
            Some(placed(old, None)),
            None,
            Some(placed(middle, Some(tomorrow))),
            None,
            None,
        ],
        sections: Vec::new(),
    };
    f.store
        .arrange_front_page(&arrangement, Audit::by(None, "front_page"))
        .await
        .unwrap()
        .unwrap();

    // A new lead moves the stories before the first empty slot one slot down.
    assert!(
        f.store
            .lead_front_page(recent, Audit::by(None, "pin"))
            .await
            .unwrap()
    );
    assert!(
        !f.store
            .lead_front_page(recent, Audit::by(None, "pin"))
            .await
            .unwrap(),
        "leading twice changes nothing"
    );
    let slots = f.store.front_page_arrangement().await.unwrap().slots;
    let stories: Vec<_> = slots.iter().map(|slot| slot.map(|p| p.story)).collect();
    assert_eq!(stories, [Some(recent), Some(old), Some(middle), None, None]);
    assert_eq!(
        f.store.audit_entries(Some(recent), 10).await.unwrap().len(),
        1
    );
    // A story of the secondary row made the lead keeps the time it leaves.
    assert!(
        f.store
            .lead_front_page(middle, Audit::by(None, "pin"))
            .await
            .unwrap()
    );
    let slots = f.store.front_page_arrangement().await.unwrap().slots;
    assert_eq!(
        slots[..3],
        [
            Some(placed(middle, Some(tomorrow))),
            Some(placed(recent, None)),
            Some(placed(old, None)),
        ]
    );
    assert!(
        f.store
            .leave_front_page(old, Audit::by(None, "unpin"))
            .await
            .unwrap()
    );
    assert!(
        !f.store
            .leave_front_page(old, Audit::by(None, "unpin"))
            .await
            .unwrap()
    );

    // A story whose time to leave has come is no longer shown, then its slot is emptied.
    arrangement.slots = [Some(placed(old, Some(days_ago(1)))), None, None, None, None];
    f.store
        .arrange_front_page(&arrangement, Audit::by(None, "front_page"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        front().await,
        [Some(recent), Some(middle), Some(old), None, None]
    );
    assert_eq!(f.store.leave_front_page_due().await.unwrap(), 1);
    assert_eq!(f.store.leave_front_page_due().await.unwrap(), 0);
    assert_eq!(
        f.store.front_page_arrangement().await.unwrap(),
        FrontPageArrangement::default()
    );
}

/// Editors saving at once (on several instances), and stories made the lead meanwhile: each
/// change lands whole, after the other.
async fn front_page_writers_take_turns(store: Store) {
    let f = fixture(store).await;
    let stories = three_stories(&f).await;
    let store = &f.store;
    let saves = (0..9).map(|n| {
        let arrangement = FrontPageArrangement {
            slots: [
                Some(placed(stories[n % 3], None)),
                Some(placed(stories[(n + 1) % 3], None)),
                None,
                None,
                None,
            ],
            sections: vec![f.ids.section],
        };
        async move {
            store
                .arrange_front_page(&arrangement, Audit::by(None, "front_page"))
                .await
        }
    });
    let leads = stories.map(|id| store.lead_front_page(id, Audit::by(None, "pin")));
    let (saved, led) = tokio::join!(
        futures_util::future::join_all(saves),
        futures_util::future::join_all(leads)
    );
    for arranged in saved {
        assert_eq!(arranged.unwrap(), Ok(()));
    }
    for lead in led {
        lead.unwrap();
    }
    let slots = f.store.front_page_arrangement().await.unwrap().slots;
    let placed_stories: BTreeSet<_> = slots.iter().flatten().map(|p| p.story).collect();
    assert_eq!(placed_stories.len(), slots.iter().flatten().count());
}

/// A published story, then « À propos » published and « Mentions légales » in draft, both
/// pages of the site: their ids in that order.
async fn story_and_pages(f: &Fixture) -> [ArticleId; 3] {
    let story_id = create(
        &f.store,
        &story("Le port rouvre", &f.section, Some(days_ago(2))),
    )
    .await;
    let mut about = story("À propos", &Section::for_pages(), Some(days_ago(1)));
    about.is_page = true;
    about.path = Some(ArticlePath::page(&about.slug));
    let about_id = create(&f.store, &about).await;
    let mut legal = story("Mentions légales", &Section::for_pages(), None);
    legal.is_page = true;
    let legal_id = create(&f.store, &legal).await;
    [story_id, about_id, legal_id]
}

async fn the_sites_pages_live_apart_from_the_stories(store: Store) {
    let f = fixture(store).await;
    let [story_id, ..] = story_and_pages(&f).await;
    let about_slug = Slug::parse("a-propos").unwrap();

    // Readers find the page at its address, and in no listing.
    let page = f
        .store
        .published_article(&ArticlePath::page(&about_slug))
        .await
        .unwrap()
        .expect("the page is published");
    assert!(page.is_page);
    assert_eq!(page.path.as_ref(), "/a-propos/");
    let listed = |listing| {
        let store = f.store.clone();
        async move {
            store
                .published_summaries(listing, 10, 0)
                .await
                .unwrap()
                .iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(Listing::Everything).await, [story_id]);
    // A page filed in a story's section (merged into it, say) is in its listing no more.
    let mut merged = story("Contact", &f.section, Some(days_ago(1)));
    merged.is_page = true;
    merged.path = Some(ArticlePath::page(&merged.slug));
    create(&f.store, &merged).await;
    assert_eq!(listed(Listing::Section(f.ids.section)).await, [story_id]);
    assert_eq!(
        f.store
            .count_published(Listing::Section(f.ids.section))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        f.store.count_published(Listing::Everything).await.unwrap(),
        1
    );
    assert_eq!(
        f.store
            .front_page()
            .await
            .unwrap()
            .stories()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        [story_id]
    );
    let feed = f
        .store
        .published_feed_items(Listing::Everything, 10)
        .await
        .unwrap();
    assert_eq!(feed.len(), 1, "no page in the feeds");
    let shown: Vec<String> = f
        .store
        .published_sections()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.section.slug.to_string())
        .collect();
    assert_eq!(
        shown,
        ["monde"],
        "the pages' section is no section readers see"
    );
    let mapped: Vec<String> = f
        .store
        .sitemap(1, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(mapped.contains(&"/a-propos/".to_owned()), "{mapped:?}");
}

async fn the_footer_holds_published_pages_in_their_order(store: Store) {
    let f = fixture(store).await;
    let [story_id, about_id, legal_id] = story_and_pages(&f).await;
    let about_slug = Slug::parse("a-propos").unwrap();
    // The footer: only the published pages put there, in their order.
    assert!(f.store.footer().await.unwrap().is_empty());
    assert!(
        f.store
            .arrange_footer(&[legal_id, about_id], Audit::by(None, "footer"))
            .await
            .unwrap()
    );
    let footer: Vec<String> = f
        .store
        .footer()
        .await
        .unwrap()
        .into_iter()
        .map(|link| link.title.to_string())
        .collect();
    assert_eq!(footer, ["À propos"], "a draft is not in the footer yet");
    let pages: Vec<(ArticleId, Option<u32>)> = f
        .store
        .pages()
        .await
        .unwrap()
        .into_iter()
        .map(|page| (page.id, page.footer_position))
        .collect();
    assert_eq!(pages, [(legal_id, Some(1)), (about_id, Some(2))]);
    assert!(
        !f.store
            .arrange_footer(&[story_id], Audit::by(None, "footer"))
            .await
            .unwrap(),
        "a story is not a page"
    );
    assert_eq!(
        f.store.pages().await.unwrap()[0].footer_position,
        Some(1),
        "nothing changed"
    );
    assert!(
        f.store
            .arrange_footer(&[], Audit::by(None, "footer"))
            .await
            .unwrap()
    );
    assert!(f.store.footer().await.unwrap().is_empty());

    // Sections and pages never share an address.
    assert!(f.store.is_page_slug(&about_slug).await.unwrap());
    assert!(!f.store.is_page_slug(&f.section.slug).await.unwrap());
    assert!(
        f.store
            .section_addresses()
            .await
            .unwrap()
            .contains(&f.section.slug)
    );
}

async fn imported_accounts_wait_for_activation(store: Store) {
    let f = fixture(store).await;
    let email = Email::parse("auteur@exemple.fr").unwrap();
    let name = Name::parse("Paul Auteur").unwrap();
    let byline = Author::named(name.clone()).unwrap();
    assert!(
        f.store
            .create_inactive_user(&email, &name, Role::Journalist, &byline)
            .await
            .unwrap()
    );
    assert!(
        !f.store
            .create_inactive_user(&email, &name, Role::Journalist, &byline)
            .await
            .unwrap(),
        "a second import leaves the account alone"
    );
    let account = f.store.user_by_email(&email).await.unwrap().unwrap();
    assert_eq!(account.password_hash, None);
    let link = NewLink {
        token_hash: "lien",
        purpose: LinkPurpose::Invitation,
        expires_at: Timestamp::now().as_second() + 3600,
    };
    let invite = Audit::by(None, "user_invite");
    assert!(
        f.store
            .invite_again(account.id, link, &letter("auteur@exemple.fr"), invite)
            .await
            .unwrap(),
        "an imported account is invited"
    );
    assert_eq!(
        f.store
            .set_password_by_link("lien", LinkPurpose::Invitation, "hash-1")
            .await
            .unwrap(),
        Some(account.id)
    );
    let account = f.store.user_by_email(&email).await.unwrap().unwrap();
    assert_eq!(account.password_hash.as_deref(), Some("hash-1"));
}

async fn a_job_runs_on_one_instance_and_is_taken_over(store: Store) {
    assert!(store.take_lease("publish", "instance-a", 10).await.unwrap());
    assert!(
        !store.take_lease("publish", "instance-b", 10).await.unwrap(),
        "A holds the job"
    );
    assert!(
        store.take_lease("publish", "instance-a", 10).await.unwrap(),
        "A renews"
    );
    assert!(
        store.take_lease("resize", "instance-b", 10).await.unwrap(),
        "another job"
    );
    // A stops renewing (here: its last lease ran out a while ago): B takes the job over.
    assert!(store.take_lease("publish", "instance-a", -5).await.unwrap());
    assert!(store.take_lease("publish", "instance-b", 10).await.unwrap());
    assert!(!store.take_lease("publish", "instance-a", 10).await.unwrap());
    store.release_lease("publish", "instance-b").await.unwrap();
    assert!(
        store.take_lease("publish", "instance-a", 10).await.unwrap(),
        "released"
    );
}

/// What changed since `seq`, and the new position.
async fn changed_since(store: &Store, seq: i64) -> (Vec<Changed>, i64) {
    let changes = store.changes_since(seq, 100).await.unwrap();
    let last = changes.last().map_or(seq, |change| change.seq);
    let mut changed: Vec<Changed> = changes.into_iter().map(|change| change.changed).collect();
    // A save writes the story's row twice (its content, then its current revision).
    changed.dedup();
    (changed, last)
}

async fn the_change_log_names_what_changed(store: Store) {
    let f = fixture(store).await;
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let neighbour = story("Voisin", &f.section, Some(days_ago(2)));
    create(&f.store, &neighbour).await;
    let start = f.store.last_change().await.unwrap();
    let mut new = story("Suivi", &f.section, Some(days_ago(1)));
    new.content.tags = vec![f.tag.clone()];
    let id = create(&f.store, &new).await;
    let (changed, seq) = changed_since(&f.store, start).await;
    assert!(
        changed.contains(&Changed::Story { id, moved: true }),
        "{changed:?}"
    );
    assert!(
        changed.contains(&Changed::Listing(Listing::Tag(f.ids.tag))),
        "{changed:?}"
    );
    let mut listings = f.store.story_listings(id).await.unwrap();
    listings.sort_by_key(|listing| format!("{listing:?}"));
    assert_eq!(
        listings,
        vec![Listing::Section(f.ids.section), Listing::Tag(f.ids.tag)]
    );

    // An edit that keeps its subject: the story changed, no listing did.
    let base = f
        .store
        .story_for_edit(id)
        .await
        .unwrap()
        .unwrap()
        .current_revision_id;
    let mut edit = new.content.clone();
    edit.headline = Headline::parse("Suivi, mis à jour").unwrap();
    f.store
        .save_story(&saving(id, base, &edit, editor))
        .await
        .unwrap();
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert_eq!(changed, vec![Changed::Story { id, moved: false }]);

    // The subject taken away: that listing changed.
    let base = f
        .store
        .story_for_edit(id)
        .await
        .unwrap()
        .unwrap()
        .current_revision_id;
    edit.tags = vec![];
    f.store
        .save_story(&saving(id, base, &edit, editor))
        .await
        .unwrap();
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert!(
        changed.contains(&Changed::Listing(Listing::Tag(f.ids.tag))),
        "{changed:?}"
    );

    // Unpublished: the story moved out of its listings (the neighbour keeps the section shown).
    unpublish(&f.store, id, editor).await;
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert_eq!(changed, vec![Changed::Story { id, moved: true }]);

    // A draft's subjects change no listing.
    let draft = create(&f.store, &story("Brouillon", &f.section, None)).await;
    let base = f
        .store
        .story_for_edit(draft)
        .await
        .unwrap()
        .unwrap()
        .current_revision_id;
    let mut content = story("Brouillon", &f.section, None).content;
    content.tags = vec![f.tag.clone()];
    f.store
        .save_story(&saving(draft, base, &content, editor))
        .await
        .unwrap();
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert!(
        changed
            .iter()
            .all(|c| matches!(c, Changed::Story { id, .. } if *id == draft)),
        "{changed:?}"
    );

    // The site's settings: every page.
    f.store.set_setting("site.name", "Autre nom").await.unwrap();
    let (changed, _) = changed_since(&f.store, seq).await;
    assert_eq!(changed, vec![Changed::Site]);
}

async fn a_section_is_shown_once_it_has_a_published_story(store: Store) {
    let f = fixture(store).await;
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let seq = f.store.last_change().await.unwrap();
    let shown = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .published_sections()
                .await
                .unwrap()
                .into_iter()
                .map(|shown| shown.section.slug.to_string())
                .collect::<Vec<_>>()
        }
    };

    // A section typed into a draft is no change readers see.
    let elsewhere = Section::from_label("Ailleurs").unwrap();
    create(&f.store, &story("En attente", &elsewhere, None)).await;
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert!(!changed.contains(&Changed::Site), "{changed:?}");
    assert!(!shown(&f.store).await.contains(&"ailleurs".to_owned()));

    // Its first published story brings it into every page's navigation.
    let first = create(&f.store, &story("Premier", &elsewhere, Some(days_ago(1)))).await;
    let (changed, seq) = changed_since(&f.store, seq).await;
    assert!(changed.contains(&Changed::Site), "{changed:?}");
    assert!(shown(&f.store).await.contains(&"ailleurs".to_owned()));

    // Its last published story gone, it leaves again.
    unpublish(&f.store, first, editor).await;
    let (changed, _) = changed_since(&f.store, seq).await;
    assert!(changed.contains(&Changed::Site), "{changed:?}");
    assert!(!shown(&f.store).await.contains(&"ailleurs".to_owned()));
}

async fn other_instances_hear_of_changes_at_once(store: Store) {
    let f = fixture(store).await;
    let Some(mut changes) = f.store.listen_for_changes().await.unwrap() else {
        return; // SQLite: followers poll the change log.
    };
    let before = f.store.last_change().await.unwrap();
    let new = story("Annoncé", &f.section, Some(days_ago(1)));
    create(&f.store, &new).await;
    tokio::time::timeout(std::time::Duration::from_secs(1), changes.changed())
        .await
        .expect("heard within a second")
        .unwrap();
    assert!(f.store.last_change().await.unwrap() > before);
}

async fn webhook_events_are_recorded_with_the_change_and_claimed_once(store: Store) {
    use rotative_domain::WebhookEvent;
    use rotative_store::{Attempt, AttemptNext, DeliveryStatus, NewWebhook};
    let f = fixture(store).await;
    let editor = user(&f.store, "chef@exemple.fr", Role::Editor).await;
    let webhook = f
        .store
        .create_webhook(
            NewWebhook {
                url: "https://partenaire.example/hook",
                secret: "whsec_AAAA",
                events: &[WebhookEvent::StoryPublished, WebhookEvent::StoryUnpublished],
                created_by: Some(editor),
            },
            Audit::by(Some(editor), "webhook_add"),
        )
        .await
        .unwrap();
    let id = create(&f.store, &story("À publier", &f.section, None)).await;
    publish_now(&f, id, editor).await;
    // A correction is not among the events asked for: nothing to send.
    f.store
        .add_correction(
            id,
            rotative_domain::CorrectionKind::Update,
            "Ajout.",
            editor,
        )
        .await
        .unwrap();
    let listed = f.store.webhook(webhook).await.unwrap().unwrap();
    assert_eq!(listed.pending, 1);
    assert_eq!(
        listed.events,
        [WebhookEvent::StoryPublished, WebhookEvent::StoryUnpublished]
    );

    // Two instances ask at once: one of them gets the delivery.
    let (a, b) = tokio::join!(
        f.store.claim_due_deliveries(60, 10),
        f.store.claim_due_deliveries(60, 10)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 1, "claimed once: {a:?} {b:?}");
    let due = a.into_iter().chain(b).next().unwrap();
    assert_eq!(due.event, WebhookEvent::StoryPublished);
    assert_eq!(due.article_id, id);
    assert_eq!(due.payload, None);
    f.store
        .record_attempt(
            due.id,
            Attempt {
                payload: "{\"type\":\"story.published\"}",
                status: Some(503),
                error: None,
                next: AttemptNext::RetryAt(0),
            },
        )
        .await
        .unwrap();
    let again = f.store.claim_due_deliveries(60, 10).await.unwrap();
    assert_eq!(
        again[0].payload.as_deref(),
        Some("{\"type\":\"story.published\"}"),
        "a retry sends the first attempt's body"
    );
    f.store
        .record_attempt(
            again[0].id,
            Attempt {
                payload: "{}",
                status: Some(204),
                error: None,
                next: AttemptNext::Delivered,
            },
        )
        .await
        .unwrap();
    let log = f.store.deliveries(webhook, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, DeliveryStatus::Delivered);
    assert_eq!((log[0].attempts, log[0].last_status), (2, Some(204)));
    assert!(
        f.store
            .claim_due_deliveries(60, 10)
            .await
            .unwrap()
            .is_empty()
    );

    assert!(
        f.store
            .remove_webhook(webhook, Audit::by(None, "webhook_remove"))
            .await
            .unwrap()
    );
    assert!(f.store.webhooks().await.unwrap().is_empty());
}

/// Publishes a draft at once, as an editor's « Publier ».
async fn publish_now(f: &Fixture, id: ArticleId, editor: UserId) {
    let loaded = f.store.story_for_edit(id).await.unwrap().unwrap();
    let tz = TimeZone::get("Europe/Paris").unwrap();
    let now = Timestamp::now();
    let path = ArticlePath::new(&f.section.slug, &loaded.slug, now, &tz);
    let published = f
        .store
        .move_story(&StoryMove {
            id,
            from: ArticleStatus::Draft,
            reviewed: None,
            to: ArticleStatus::Published,
            path: Some(&path),
            published_at: Some(now),
            scheduled_at: None,
            audit: Audit::by(Some(editor), "publish"),
        })
        .await
        .unwrap();
    assert!(published);
}

fn section_fields(section: &Section) -> SectionFields<'_> {
    SectionFields {
        section,
        description: "",
        in_navigation: true,
    }
}

async fn sections_are_renamed_reordered_merged_and_removed(store: Store) {
    let f = fixture(store).await;
    let audit = Audit::by(None, "section_change");
    let published = story("Le port rouvre", &f.section, Some(days_ago(2)));
    let old_path = published.path.clone().unwrap().to_string();
    let id = create(&f.store, &published).await;
    create(&f.store, &story("Un brouillon", &f.section, None)).await;
    // An import's old address that led to the story.
    f.store
        .create_imported_article(&imported(
            story("Importé", &f.other_section, Some(days_ago(4))),
            "7",
            &["/?p=7"],
        ))
        .await
        .unwrap();
    f.store
        .add_redirect("/category/monde/", "/monde/")
        .await
        .unwrap();

    // A new slug: the section keeps its stories, which take the new address.
    let renamed = Section {
        slug: Slug::parse("international").unwrap(),
        name: Name::parse("International").unwrap(),
    };
    let fields = SectionFields {
        section: &renamed,
        description: "Le monde vu du port.",
        in_navigation: false,
    };
    assert!(
        f.store
            .change_section(f.ids.section, fields, audit)
            .await
            .unwrap()
    );
    let story_now = f.store.published_article_by_id(id).await.unwrap().unwrap();
    let new_path = old_path.replacen("/monde/", "/international/", 1);
    assert_eq!(story_now.path.to_string(), new_path);
    assert_eq!(
        f.store
            .moved_section("monde")
            .await
            .unwrap()
            .unwrap()
            .as_ref(),
        "international"
    );
    assert_eq!(
        f.store.redirect("/category/monde/").await.unwrap(),
        Some(OldAddress::Moved("/international/".into())),
        "a redirect to the old address is rewritten, never chained"
    );
    let records = f.store.section_records().await.unwrap();
    let record = records.iter().find(|r| r.id == f.ids.section).unwrap();
    assert_eq!(
        (record.stories, record.published, record.in_navigation),
        (2, 1, false)
    );
    assert_eq!(record.description, "Le monde vu du port.");

    // A section holding stories is not removed; merged, its stories and addresses move.
    assert_eq!(
        f.store.remove_section(f.ids.section, audit).await.unwrap(),
        SectionRemoval::HoldsStories
    );
    assert!(
        f.store
            .merge_section(f.ids.section, f.ids.other_section, audit)
            .await
            .unwrap()
    );
    let merged_path = old_path.replacen("/monde/", "/economie/", 1);
    let story_now = f.store.published_article_by_id(id).await.unwrap().unwrap();
    assert_eq!(story_now.path.to_string(), merged_path);
    assert_eq!(story_now.section.slug.as_ref(), "economie");
    for old in ["monde", "international"] {
        assert_eq!(
            f.store.moved_section(old).await.unwrap().unwrap().as_ref(),
            "economie",
            "/{old}/ leads to the section of now, in one step"
        );
    }
    assert_eq!(
        f.store.redirect("/category/monde/").await.unwrap(),
        Some(OldAddress::Moved("/economie/".into()))
    );
    assert_eq!(f.store.section_record(f.ids.section).await.unwrap(), None);
    let drafts = f.store.section_records().await.unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!((drafts[0].stories, drafts[0].published), (3, 2));
}

async fn section_slugs_stay_unique_and_the_order_is_kept(store: Store) {
    let f = fixture(store).await;
    let audit = Audit::by(None, "section_change");
    // Another section cannot take a slug in use.
    let clash = Section {
        slug: Slug::parse("monde").unwrap(),
        name: Name::parse("Autre").unwrap(),
    };
    assert!(matches!(
        f.store
            .change_section(f.ids.other_section, section_fields(&clash), audit)
            .await,
        Err(StoreError::AlreadyExists(Taken::SectionSlug))
    ));
    assert!(matches!(
        f.store.create_section(section_fields(&clash), audit).await,
        Err(StoreError::AlreadyExists(Taken::SectionSlug))
    ));

    // The order of the navigation.
    f.store
        .reorder_sections(&[f.ids.other_section], audit)
        .await
        .unwrap();
    let order: Vec<SectionId> = f
        .store
        .section_records()
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(order, vec![f.ids.other_section, f.ids.section]);

    // A slug given up is taken back by a new section: it is live again.
    let renamed = Section {
        slug: Slug::parse("international").unwrap(),
        name: Name::parse("International").unwrap(),
    };
    f.store
        .change_section(f.ids.section, section_fields(&renamed), audit)
        .await
        .unwrap();
    assert!(f.store.moved_section("monde").await.unwrap().is_some());
    let again = Section::named(Name::parse("Monde").unwrap()).unwrap();
    let new_id = f
        .store
        .create_section(section_fields(&again), audit)
        .await
        .unwrap();
    assert_eq!(f.store.moved_section("monde").await.unwrap(), None);
    assert_eq!(
        f.store.remove_section(new_id, audit).await.unwrap(),
        SectionRemoval::Removed
    );
    assert_eq!(
        f.store.remove_section(new_id, audit).await.unwrap(),
        SectionRemoval::NotFound
    );
}

async fn redirects_stay_flat_and_count_their_followers(store: Store) {
    let f = fixture(store).await;
    let audit = Audit::by(None, "redirect_add");
    let new = story("Importé", &f.section, Some(days_ago(3)));
    let path = new.path.clone().unwrap().to_string();
    f.store
        .create_imported_article(&imported(new, "7", &["/?p=7"]))
        .await
        .unwrap();
    let add = |old: &'static str, target: &'static str| {
        let store = f.store.clone();
        async move { store.add_manual_redirect(old, target, audit).await.unwrap() }
    };
    let moved = |target: &str| Some(OldAddress::Moved(target.to_owned()));
    // A target that is itself redirected is followed: never a chain.
    assert_eq!(
        add("/ancien/", "/?p=7").await,
        RedirectAdded::Added(path.clone())
    );
    assert_eq!(
        add("/tres-ancien/", "/ancien/").await,
        RedirectAdded::Added(path.clone())
    );
    // Those that led to a new redirect's address lead where it leads.
    add("/b/", "/c/").await;
    add("/a/", "/b/").await;
    add("/c/", "/d/").await;
    for old in ["/a/", "/b/", "/c/"] {
        assert_eq!(f.store.redirect(old).await.unwrap(), moved("/d/"), "{old}");
    }
    assert_eq!(add("/d/", "/a/").await, RedirectAdded::Loop);
    assert_eq!(
        add(path.clone().leak(), "/x/").await,
        RedirectAdded::LivePage
    );
    assert!(matches!(
        f.store.add_manual_redirect("/ancien/", "/y/", audit).await,
        Err(StoreError::AlreadyExists(Taken::RedirectSource))
    ));
    // A target under a section's former address leads to the section's address of now.
    let renamed = Section {
        slug: Slug::parse("international").unwrap(),
        name: Name::parse("International").unwrap(),
    };
    f.store
        .change_section(f.ids.section, section_fields(&renamed), audit)
        .await
        .unwrap();
    assert_eq!(
        add("/vieux/", "/monde/2020/01/02/x").await,
        RedirectAdded::Added("/international/2020/01/02/x".into())
    );

    counts_cover_the_last_30_days(&f.store).await;

    assert!(f.store.remove_redirect("/ancien/", audit).await.unwrap());
    assert!(!f.store.remove_redirect("/ancien/", audit).await.unwrap());
    assert!(f.store.remove_redirect("/monde/", audit).await.unwrap());
    assert_eq!(f.store.moved_section("monde").await.unwrap(), None);
}

/// The counts of followed redirects: those of the last 30 days, searched by address, page by
/// page (after `redirects_stay_flat_and_count_their_followers` made them).
async fn counts_cover_the_last_30_days(store: &Store) {
    let today = 20_000;
    let counts = [("/ancien/".to_owned(), 3), ("/monde/".to_owned(), 1)];
    store
        .add_redirect_hits(&counts, today - 40, today - 70)
        .await
        .unwrap();
    store
        .add_redirect_hits(&counts, today, today - 30)
        .await
        .unwrap();
    store
        .add_redirect_hits(&counts[..1], today, today - 30)
        .await
        .unwrap();
    let found = store
        .redirect_records("ANCIEN", "", 50, today - 29)
        .await
        .unwrap();
    let olds: Vec<(&str, u64)> = found.iter().map(|r| (r.old.as_str(), r.hits)).collect();
    assert_eq!(
        olds,
        [("/ancien/", 6), ("/tres-ancien/", 0)],
        "the last 30 days only"
    );
    let sections = store
        .redirect_records("monde", "", 50, today - 29)
        .await
        .unwrap();
    assert_eq!(
        sections.len(),
        1,
        "stories and redirects moved along: {sections:?}"
    );
    let section = sections
        .iter()
        .find(|r| r.origin == RedirectOrigin::Section)
        .unwrap();
    assert_eq!(
        (section.old.as_str(), section.target.as_str(), section.hits),
        ("/monde/", "/international/", 1)
    );
    let page = store.redirect_records("", "/b/", 2, today).await.unwrap();
    assert_eq!(
        page.iter().map(|r| r.old.as_str()).collect::<Vec<_>>(),
        ["/c/", "/monde/"]
    );
}

async fn redirect_loops_are_refused_however_they_are_written(store: Store) {
    let f = fixture(store).await;
    let audit = Audit::by(None, "redirect_add");
    let add = |old: &'static str, target: &'static str| {
        let store = f.store.clone();
        async move { store.add_manual_redirect(old, target, audit).await.unwrap() }
    };
    // Readers asking for `/y` are sent on by the redirect from `/y/`.
    add("/y/", "/x").await;
    assert_eq!(add("/x/", "/y").await, RedirectAdded::Loop);
    // Through a section's former slug: `/monde/…` leads to `/international/…`.
    let renamed = Section {
        slug: Slug::parse("international").unwrap(),
        name: Name::parse("International").unwrap(),
    };
    add("/international/2020/01/02/x", "/p/").await;
    f.store
        .change_section(f.ids.section, section_fields(&renamed), audit)
        .await
        .unwrap();
    assert_eq!(add("/p/", "/monde/2020/01/02/x").await, RedirectAdded::Loop);
    // A section's page is answered by the site: a redirect from it would never be followed.
    assert_eq!(add("/international/", "/p/").await, RedirectAdded::LivePage);
    // A section typed again under a former slug takes its addresses back.
    let again = Section::named(Name::parse("Monde").unwrap()).unwrap();
    f.store.ensure_section(&again).await.unwrap();
    assert_eq!(f.store.moved_section("monde").await.unwrap(), None);
}

async fn a_profile_shows_on_its_page_and_its_stories(store: Store) {
    let f = fixture(store).await;
    let photo = f
        .store
        .record_media(&NewMedia {
            storage_key: "portrait.jpg".into(),
            content_type: "image/jpeg".into(),
            width: 800,
            height: 800,
            byte_size: 1000,
            ..NewMedia::default()
        })
        .await
        .unwrap();
    let mut new = story("Signé", &f.section, Some(days_ago(1)));
    new.content.authors = vec![f.author.clone()];
    let id = create(&f.store, &new).await;
    let start = f.store.last_change().await.unwrap();
    let alt = AltText::parse("Claire Dubois sur le port de Klaipėda").unwrap();
    let links = ProfileLinks {
        website: Some("https://claire.example.org/".into()),
        email: Some(Email::parse("claire@example.org").unwrap()),
        fediverse: Some("https://piaille.fr/@claire".into()),
    };
    let fields = ProfileFields {
        name: &f.author.name,
        bio: Some("Elle couvre les *pays baltes*."),
        job_title: Some("Correspondante à Vilnius"),
        photo: Some((photo.id, &alt)),
        links: &links,
    };
    let audit = Audit::by(None, "byline_change");
    assert!(
        f.store
            .change_byline(f.ids.author, fields, audit)
            .await
            .unwrap()
    );
    let (changed, _) = changed_since(&f.store, start).await;
    assert!(
        changed.contains(&Changed::Listing(Listing::Author(f.ids.author))),
        "{changed:?}"
    );
    assert!(
        changed.contains(&Changed::Story { id, moved: false }),
        "{changed:?}"
    );
    assert!(
        !changed.contains(&Changed::Site),
        "the name stayed: {changed:?}"
    );

    let (_, author) = f
        .store
        .author_by_slug(&f.author.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        author.profile.job_title.as_deref(),
        Some("Correspondante à Vilnius")
    );
    assert_eq!(author.profile.links, links);
    let portrait = author.profile.photo.clone().unwrap();
    assert_eq!(
        (portrait.key.as_str(), portrait.width),
        ("portrait.jpg", 800)
    );
    assert_eq!(portrait.alt, alt);
    let page = f
        .store
        .story_page(new.path.as_ref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(page.article.authors, vec![author]);
}

async fn bylines_are_listed_created_and_found_by_account(store: Store) {
    let f = fixture(store).await;
    let account = user(&f.store, "claire@exemple.fr", Role::Journalist).await;
    assert_eq!(
        f.store.account_byline(account, &f.author).await.unwrap(),
        Some(f.ids.author),
        "an account signs with the byline of its name"
    );
    let namesake = user(&f.store, "claire.dubois@exemple.fr", Role::Contributor).await;
    assert_eq!(
        f.store.account_byline(namesake, &f.author).await.unwrap(),
        None,
        "a namesake does not get another account's byline"
    );
    let other = Author::named(Name::parse("Claire D.").unwrap()).unwrap();
    assert_eq!(
        f.store.account_byline(account, &other).await.unwrap(),
        Some(f.ids.author),
        "and keeps it once tied"
    );
    let agency = Name::parse("Agence Baltique").unwrap();
    let links = ProfileLinks::default();
    let fields = ProfileFields {
        name: &agency,
        bio: None,
        job_title: Some("Agence de presse"),
        photo: None,
        links: &links,
    };
    let slug = Slug::parse("agence-baltique").unwrap();
    let id = f
        .store
        .create_byline(&slug, fields, Audit::by(None, "byline_add"))
        .await
        .unwrap();
    assert!(matches!(
        f.store
            .create_byline(&slug, fields, Audit::by(None, "byline_add"))
            .await,
        Err(StoreError::AlreadyExists(Taken::BylineSlug))
    ));
    let listed = f.store.byline_records("", 50).await.unwrap();
    let names: Vec<_> = listed.iter().map(|r| r.author.name.as_ref()).collect();
    assert_eq!(names, ["Agence Baltique", "Claire Dubois"]);
    assert_eq!(listed[1].account.as_deref(), Some("Claire Dubois"));
    assert_eq!(listed[0].account, None);
    let found = f.store.byline_records("BALT", 50).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
    assert_eq!(f.store.byline_record(id).await.unwrap().unwrap().stories, 0);
}

fn letter(to: &str) -> NewLetter<'_> {
    NewLetter {
        to_name: "Léa Martin",
        to_address: to,
        subject: "Votre compte",
        text: "Le lien : https://exemple.fr/redaction/invitation/x",
        html: "<p><a href=\"https://exemple.fr/redaction/invitation/x\">Le lien</a></p>",
        link: Some("https://exemple.fr/redaction/invitation/x"),
    }
}

/// An editor, a journalist who made a story, and the story, whose byline is an account too.
async fn notified_newsroom(store: &Store) -> (UserId, UserId, ArticleId) {
    let f = fixture(store.clone()).await;
    let editor = user(store, "chef@exemple.fr", Role::Editor).await;
    let writer = store
        .create_user(
            &Email::parse("lea@exemple.fr").unwrap(),
            &Name::parse("Léa Martin").unwrap(),
            Role::Journalist,
            Some("hash"),
            Audit::by(None, "create_user"),
        )
        .await
        .unwrap();
    let bylined = Email::parse("claire@exemple.fr").unwrap();
    let name = Name::parse("Claire Dubois").unwrap();
    store
        .create_inactive_user(&bylined, &name, Role::Journalist, &f.author)
        .await
        .unwrap();
    let mut new = story("Notifié", &f.section, None);
    new.created_by = Some(writer);
    new.content.authors = vec![f.author.clone()];
    let id = create(store, &new).await;
    (editor, writer, id)
}

/// The writer submits the story; the editor is told.
async fn submit_telling(store: &Store, writer: UserId, editor: UserId, id: ArticleId) -> bool {
    let submit = StoryMove {
        id,
        from: ArticleStatus::Draft,
        reviewed: None,
        to: ArticleStatus::InReview,
        path: None,
        published_at: None,
        scheduled_at: None,
        audit: Audit::by(Some(writer), "submit"),
    };
    let notice = NewNotice {
        kind: NoticeKind::Submitted,
        article_id: id,
        actor: Some(writer),
        recipients: &[editor],
    };
    store
        .move_story_and_notify(&submit, Some(&notice))
        .await
        .unwrap()
}

async fn notifications_come_with_their_act_and_only_their_owner_reads_them(store: Store) {
    let (editor, writer, id) = notified_newsroom(&store).await;
    let writers = store.story_writers(id).await.unwrap();
    assert_eq!(writers.len(), 2, "its maker and the account of its byline");
    assert!(writers.contains(&writer));
    assert!(submit_telling(&store, writer, editor, id).await);
    assert!(
        !submit_telling(&store, writer, editor, id).await,
        "a move that does not happen tells no one"
    );
    let told = store
        .notifications_of(editor, false, None, 10)
        .await
        .unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(
        (
            told[0].kind,
            told[0].headline.as_str(),
            told[0].actor_name.as_deref(),
            told[0].read
        ),
        (NoticeKind::Submitted, "Notifié", Some("Léa Martin"), false)
    );
    store
        .create_session("chef", editor, "csrf", "", Audit::by(None, "sign_in"))
        .await
        .unwrap();
    let session = store
        .live_session("chef", 3600, DAY)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.unread_notifications, 1, "the menu's count");

    let theirs = [told[0].id];
    let marked = store
        .mark_notifications_read(writer, Marking::These(&theirs))
        .await;
    assert_eq!(marked.unwrap(), 0);
    assert_eq!(
        store
            .open_notification(writer, told[0].id, true)
            .await
            .unwrap(),
        None
    );
    let looked = store
        .open_notification(editor, told[0].id, false)
        .await
        .unwrap();
    assert_eq!(looked, Some(id));
    assert_eq!(
        store.unread_notifications(editor).await.unwrap(),
        1,
        "only looked at"
    );
    let opened = store
        .open_notification(editor, told[0].id, true)
        .await
        .unwrap();
    assert_eq!(opened, Some(id));
    assert_eq!(store.unread_notifications(editor).await.unwrap(), 0);
    assert_eq!(
        store
            .notifications_of(editor, true, None, 10)
            .await
            .unwrap(),
        []
    );
}

async fn notifications_are_marked_read_as_shown_and_forgotten_once_read(store: Store) {
    let (editor, writer, id) = notified_newsroom(&store).await;
    let note = "Un fait.";
    store
        .add_correction_and_notify(id, CorrectionKind::Update, note, writer, &[editor, editor])
        .await
        .unwrap();
    assert!(submit_telling(&store, writer, editor, id).await);
    let shown = store
        .notifications_of(editor, true, None, 10)
        .await
        .unwrap();
    assert_eq!(shown.len(), 3, "one row for each recipient given");
    // « Tout marquer comme lu » marks what was shown, not what came since.
    let marked = store
        .mark_notifications_read(editor, Marking::UpTo(shown[1].id))
        .await;
    assert_eq!(marked.unwrap(), 2);
    assert_eq!(store.unread_notifications(editor).await.unwrap(), 1);
    assert_eq!(
        store
            .mark_notifications_read(editor, Marking::All)
            .await
            .unwrap(),
        1
    );
    let long_after = Timestamp::now().as_second() + 10;
    assert_eq!(store.prune_read_notifications(long_after).await.unwrap(), 3);
    assert_eq!(
        store.prune_read_notifications(long_after).await.unwrap(),
        0,
        "nothing left"
    );
    assert_eq!(
        store
            .notifications_of(editor, false, None, 10)
            .await
            .unwrap(),
        []
    );
}

async fn notifications_are_mailed_once_as_their_owner_chose(store: Store) {
    let (editor, writer, id) = notified_newsroom(&store).await;
    assert!(submit_telling(&store, writer, editor, id).await);
    store
        .add_correction_and_notify(
            id,
            CorrectionKind::Correction,
            "Une date.",
            editor,
            &[writer],
        )
        .await
        .unwrap();
    assert_eq!(store.unread_notifications(writer).await.unwrap(), 1);
    let pending = store.pending_notices(0, 10).await.unwrap();
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|p| p.active && p.wanted && !p.digest));

    let chosen = NotificationSettings {
        mail_off: vec![NoticeKind::Corrected],
        digest: true,
    };
    store
        .set_notification_settings(writer, &chosen)
        .await
        .unwrap();
    assert_eq!(store.notification_settings(writer).await.unwrap(), chosen);
    let now = Timestamp::now().as_second();
    // The digest hour struck an hour ago: what came since waits for the next one.
    let waiting = store.pending_notices(now - 3600, 10).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].user_id, editor, "the writer's digest waits");
    let next_morning = store.pending_notices(now + 10, 10).await.unwrap();
    let digest_one = next_morning.iter().find(|p| p.user_id == writer).unwrap();
    assert!(digest_one.digest && !digest_one.wanted);

    let ids = [waiting[0].notification.id];
    let letter = letter("chef@exemple.fr");
    assert!(store.mail_notices(&ids, Some(&letter)).await.unwrap());
    assert!(
        !store.mail_notices(&ids, Some(&letter)).await.unwrap(),
        "each notification is mailed once"
    );
    assert_eq!(store.claim_due_letters(60, 10).await.unwrap().len(), 1);
    assert_eq!(
        store
            .mark_notifications_read(writer, Marking::All)
            .await
            .unwrap(),
        1
    );
}

async fn letters_wait_in_the_outbox_and_are_claimed_once(store: Store) {
    let first = store.queue_letter(&letter("a@exemple.fr")).await.unwrap();
    store.queue_letter(&letter("b@exemple.fr")).await.unwrap();
    let claimed = store.claim_due_letters(60, 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert_eq!(claimed[0].id, first);
    assert_eq!(
        claimed[0].link.as_deref(),
        Some("https://exemple.fr/redaction/invitation/x")
    );
    assert!(
        store.claim_due_letters(60, 10).await.unwrap().is_empty(),
        "claimed letters wait for their claim to lapse"
    );
    assert!(
        store
            .record_letter(&claimed[0], LetterOutcome::Sent)
            .await
            .unwrap()
    );
    store
        .record_letter(&claimed[1], LetterOutcome::RetryAt(0, "451 plus tard"))
        .await
        .unwrap();
    let again = store.claim_due_letters(60, 10).await.unwrap();
    assert_eq!(again.len(), 1, "a letter sent is not sent again");
    assert_eq!(
        (again[0].to_address.as_str(), again[0].attempts),
        ("b@exemple.fr", 1)
    );
    store
        .record_letter(&again[0], LetterOutcome::GivenUp("550 adresse inconnue"))
        .await
        .unwrap();
    let undelivered = store.undelivered_letters(10).await.unwrap();
    assert_eq!(undelivered.len(), 1);
    assert_eq!(
        (
            undelivered[0].to_address.as_str(),
            undelivered[0].last_error.as_str()
        ),
        ("b@exemple.fr", "550 adresse inconnue")
    );
    assert!(store.claim_due_letters(60, 10).await.unwrap().is_empty());
    // An attempt recorded after its claim lapsed (another instance holds the letter) is not.
    let late = store.queue_letter(&letter("c@exemple.fr")).await.unwrap();
    let mut held = store
        .claim_due_letters(60, 10)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(held.id, late);
    held.claimed_until -= 1;
    assert!(
        !store
            .record_letter(&held, LetterOutcome::GivenUp("trop tard"))
            .await
            .unwrap()
    );
    assert_eq!(store.undelivered_letters(10).await.unwrap().len(), 1);
}

async fn an_invitation_link_sets_the_password_once_before_it_expires(store: Store) {
    let email = Email::parse("lea@exemple.fr").unwrap();
    let name = Name::parse("Léa Martin").unwrap();
    let invitee = Invitee {
        email: &email,
        name: &name,
        role: Role::Journalist,
    };
    let link = |token_hash, expires_at| NewLink {
        token_hash,
        purpose: LinkPurpose::Invitation,
        expires_at,
    };
    let next_week = Timestamp::now().as_second() + 7 * 24 * 3600;
    let invite = Audit::by(None, "user_invite");
    let id = store
        .invite_user(
            invitee,
            link("h1", next_week),
            &letter("lea@exemple.fr"),
            invite,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .invite_user(
                invitee,
                link("h2", next_week),
                &letter("lea@exemple.fr"),
                invite
            )
            .await,
        Err(StoreError::AlreadyExists(_))
    ));
    assert_eq!(
        store.claim_due_letters(60, 10).await.unwrap().len(),
        1,
        "a refused invitation queues no letter"
    );
    assert_eq!(
        store
            .link_account("h1", LinkPurpose::Invitation)
            .await
            .unwrap()
            .map(|account| account.id),
        Some(id)
    );
    assert_eq!(
        store
            .link_account("h2", LinkPurpose::Invitation)
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .invite_again(id, link("h3", next_week), &letter("lea@exemple.fr"), invite)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .set_password_by_link("h1", LinkPurpose::Invitation, "hash")
            .await
            .unwrap(),
        None,
        "a new invitation's link replaces the earlier ones"
    );
    assert_eq!(
        store
            .set_password_by_link("h3", LinkPurpose::Invitation, "hash")
            .await
            .unwrap(),
        Some(id)
    );
    let account = store.user(id).await.unwrap().unwrap();
    assert_eq!(account.password_hash.as_deref(), Some("hash"));
    assert_eq!(
        store
            .set_password_by_link("h3", LinkPurpose::Invitation, "other")
            .await
            .unwrap(),
        None,
        "a link serves once"
    );
    assert!(
        !store
            .invite_again(id, link("h4", next_week), &letter("lea@exemple.fr"), invite)
            .await
            .unwrap(),
        "an account with a password is not invited"
    );
}

async fn an_expired_invitation_link_serves_no_more(store: Store) {
    let email = Email::parse("marc@exemple.fr").unwrap();
    let name = Name::parse("Marc Roux").unwrap();
    let late = Invitee {
        email: &email,
        name: &name,
        role: Role::Journalist,
    };
    let link = |token_hash, expires_at| NewLink {
        token_hash,
        purpose: LinkPurpose::Invitation,
        expires_at,
    };
    let invite = Audit::by(None, "user_invite");
    let yesterday = Timestamp::now().as_second() - 24 * 3600;
    store
        .invite_user(
            late,
            link("h5", yesterday),
            &letter("marc@exemple.fr"),
            invite,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .link_account("h5", LinkPurpose::Invitation)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .set_password_by_link("h5", LinkPurpose::Invitation, "hash")
            .await
            .unwrap(),
        None,
        "an expired link serves no more"
    );
}

async fn a_reset_link_sets_a_new_password_once_and_ends_the_sessions(store: Store) {
    let email = Email::parse("ines@exemple.fr").unwrap();
    let name = Name::parse("Inès Morel").unwrap();
    let id = store
        .create_user(
            &email,
            &name,
            Role::Editor,
            Some("ancien"),
            Audit::by(None, "create_user"),
        )
        .await
        .unwrap();
    store
        .create_session("ses", id, "csrf", "", Audit::by(Some(id), "sign_in"))
        .await
        .unwrap();
    let link = |token_hash| NewLink {
        token_hash,
        purpose: LinkPurpose::PasswordReset,
        expires_at: Timestamp::now().as_second() + 3600,
    };
    let request = Audit::by(None, "password_reset_request");
    let imported = store
        .create_user(
            &Email::parse("import@exemple.fr").unwrap(),
            &name,
            Role::Journalist,
            None,
            Audit::by(None, "create_user"),
        )
        .await
        .unwrap();
    assert!(
        !store
            .request_password_reset(imported, link("r0"), &letter("import@exemple.fr"), request)
            .await
            .unwrap(),
        "an account without a password waits for an invitation"
    );
    for token in ["r1", "r2"] {
        assert!(
            store
                .request_password_reset(id, link(token), &letter("ines@exemple.fr"), request)
                .await
                .unwrap()
        );
    }
    assert_eq!(store.claim_due_letters(60, 10).await.unwrap().len(), 2);
    assert_eq!(
        store
            .link_account("r1", LinkPurpose::PasswordReset)
            .await
            .unwrap(),
        None,
        "a new request's link replaces the earlier one"
    );
    assert_eq!(
        store
            .set_password_by_link("r2", LinkPurpose::Invitation, "nouveau")
            .await
            .unwrap(),
        None,
        "a reset link is no invitation"
    );
    assert_eq!(
        store
            .set_password_by_link("r2", LinkPurpose::PasswordReset, "nouveau")
            .await
            .unwrap(),
        Some(id),
        "an account with a password gets a new one"
    );
    assert_eq!(
        store
            .user(id)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("nouveau")
    );
    assert!(
        store
            .live_session("ses", 3600, DAY)
            .await
            .unwrap()
            .is_none(),
        "the sessions signed in with the old password end"
    );
    assert_eq!(
        store
            .set_password_by_link("r2", LinkPurpose::PasswordReset, "encore")
            .await
            .unwrap(),
        None,
        "a link serves once"
    );
}

async fn an_account_lists_and_ends_its_own_sessions(store: Store) {
    let add = |email: &'static str| {
        let store = store.clone();
        async move {
            store
                .create_user(
                    &Email::parse(email).unwrap(),
                    &Name::parse("Compte").unwrap(),
                    Role::Journalist,
                    Some("hash"),
                    Audit::by(None, "create_user"),
                )
                .await
                .unwrap()
        }
    };
    let (ana, bob) = (add("ana@exemple.fr").await, add("bob@exemple.fr").await);
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    for (hash, user, agent) in [
        ("ana-1", ana, firefox),
        ("ana-2", ana, "curl/8.0"),
        ("ana-3", ana, ""),
        ("bob-1", bob, firefox),
    ] {
        store
            .create_session(hash, user, "csrf", agent, Audit::by(Some(user), "sign_in"))
            .await
            .unwrap();
    }
    let listed = store.sessions_of(ana, 3600, DAY).await.unwrap();
    assert_eq!(listed.len(), 3);
    assert!(
        listed
            .iter()
            .any(|s| s.token_hash == "ana-1" && s.user_agent == firefox)
    );
    assert!(
        store.sessions_of(ana, -1, DAY).await.unwrap().is_empty(),
        "idle sessions are not listed"
    );
    let ended = Audit::by(Some(ana), "end_session");
    assert_eq!(
        store
            .end_sessions_of(ana, Ending::One("bob-1"), ended)
            .await
            .unwrap(),
        0,
        "another account's session stays"
    );
    assert_eq!(
        store
            .end_sessions_of(ana, Ending::One("ana-2"), ended)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .end_sessions_of(ana, Ending::AllBut("ana-1"), ended)
            .await
            .unwrap(),
        1
    );
    let left: Vec<String> = store
        .sessions_of(ana, 3600, DAY)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.token_hash)
        .collect();
    assert_eq!(left, ["ana-1"]);
    assert_eq!(store.sessions_of(bob, 3600, DAY).await.unwrap().len(), 1);
}

async fn a_second_factor_serves_each_code_once(store: Store) {
    let id = user(&store, "nour@exemple.fr", Role::Editor).await;
    let audit = Audit::by(Some(id), "two_factor");
    let open = |hash: &'static str| store.create_session(hash, id, "csrf", "", audit);
    assert_eq!(store.two_factor(id).await.unwrap(), None);
    assert!(
        !store.use_code_step(id, 10).await.unwrap(),
        "no code serves an account without a second factor"
    );
    open("kept").await.unwrap();
    open("other").await.unwrap();
    let codes = vec!["c1".to_owned(), "c2".to_owned()];
    store
        .enable_two_factor(id, "SECRET", 10, &codes, Some("kept"), audit)
        .await
        .unwrap();
    let on = store.two_factor(id).await.unwrap().unwrap();
    assert_eq!((on.secret.as_str(), on.recovery_codes_left), ("SECRET", 2));
    assert!(
        !store
            .enable_two_factor(id, "OTHER", 20, &codes, None, audit)
            .await
            .unwrap(),
        "a second factor on is never replaced"
    );
    assert!(
        store
            .live_session("kept", 3600, DAY)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .live_session("other", 3600, DAY)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !store.use_code_step(id, 10).await.unwrap(),
        "the confirming code's step served"
    );
    assert!(store.use_code_step(id, 11).await.unwrap());
    assert!(!store.use_code_step(id, 11).await.unwrap(), "once");
    assert!(
        !store.use_code_step(id, 9).await.unwrap(),
        "nor an older one"
    );
    assert!(store.use_recovery_code(id, "c1", audit).await.unwrap());
    assert!(!store.use_recovery_code(id, "c1", audit).await.unwrap());
    assert!(!store.use_recovery_code(id, "unknown", audit).await.unwrap());
    assert_eq!(
        store
            .two_factor(id)
            .await
            .unwrap()
            .unwrap()
            .recovery_codes_left,
        1
    );
    assert!(
        store
            .replace_recovery_codes(id, &["c3".to_owned()], audit)
            .await
            .unwrap()
    );
    assert!(
        !store.use_recovery_code(id, "c2", audit).await.unwrap(),
        "replaced"
    );
    assert_eq!(store.accounts_with_two_factor().await.unwrap(), [id]);
    assert!(store.disable_two_factor(id, None, audit).await.unwrap());
    assert!(!store.disable_two_factor(id, None, audit).await.unwrap());
    assert!(
        store
            .live_session("kept", 3600, DAY)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!store.use_recovery_code(id, "c3", audit).await.unwrap());

    open("late").await.unwrap();
    store
        .set_two_factor_roles(&[Role::Editor, Role::Admin], audit)
        .await
        .unwrap();
    assert!(
        store
            .live_session("late", 3600, DAY)
            .await
            .unwrap()
            .is_none(),
        "an editor without a second factor is signed out to set one up"
    );
    assert_eq!(
        store.two_factor_roles().await.unwrap(),
        [Role::Editor, Role::Admin]
    );
}
