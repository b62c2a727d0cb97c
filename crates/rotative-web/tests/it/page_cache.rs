//! The page cache through the real router: compressed copies, validators, exact invalidation,
//! one render per page at a time.

use std::{io::Read, sync::Arc};

use axum::{
    body::{Body, to_bytes},
    http::{Request, StatusCode},
};
use rotative_domain::{ArticlePath, CorrectionKind, Email, Role};
use tower::ServiceExt;

use crate::{
    helpers::{TestSite, story},
    newsroom::account,
};

/// How many readers' requests the cache answered this way, from `/metrics`.
async fn answered(site: &TestSite, result: &str) -> u64 {
    metric(
        site,
        &format!("rotative_page_cache_requests_total{{result=\"{result}\"}}"),
    )
    .await
}

/// One value from `/metrics`, named with its labels.
async fn metric(site: &TestSite, name: &str) -> u64 {
    let response = rotative_web::metrics_router(site.state.clone())
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let text = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let prefix = format!("{name} ");
    String::from_utf8_lossy(&text)
        .lines()
        .find_map(|line| line.strip_prefix(&prefix).map(str::to_owned))
        .map_or(0, |count| count.parse().unwrap())
}

#[tokio::test]
async fn made_up_page_numbers_fill_nothing() {
    let stories: Vec<String> = (0..5)
        .map(|n| story(&format!("Article {n}"), "monde", ""))
        .collect();
    let site = TestSite::with_stories(&stories, 2).await;
    assert_eq!(site.get("/").await.status, StatusCode::OK);
    let kept = metric(&site, "rotative_page_cache_pages").await;
    // Pages that are not listings ignore a page number: answered, never kept under it.
    for n in 2..30 {
        assert_eq!(
            site.get(&format!("/?page={n}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            site.get(&format!("/feed.atom?page={n}")).await.status,
            StatusCode::OK
        );
    }
    // A number written otherwise than the site writes it is answered, not kept either.
    for odd in ["02", "002", "1"] {
        let page = site.get(&format!("/monde/?page={odd}")).await;
        assert_eq!(page.status, StatusCode::OK, "{odd}");
    }
    assert_eq!(metric(&site, "rotative_page_cache_pages").await, kept);
    // A listing's real second page is kept.
    site.get("/monde/?page=2").await;
    let hits = answered(&site, "hit").await;
    site.get("/monde/?page=2").await;
    assert_eq!(answered(&site, "hit").await, hits + 1);
    assert_eq!(metric(&site, "rotative_page_cache_pages").await, kept + 1);
}

async fn hits_and_misses(site: &TestSite) -> (u64, u64) {
    (answered(site, "hit").await, answered(site, "miss").await)
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn unbrotli(bytes: &[u8]) -> String {
    let mut text = String::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_string(&mut text)
        .unwrap();
    text
}

async fn story_id(site: &TestSite, path: &str) -> rotative_domain::ArticleId {
    let path = ArticlePath::from_stored(path.to_owned());
    site.state
        .store
        .published_article(&path)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn pages_come_from_memory_compressed_and_with_validators() {
    let site = TestSite::with_stories(
        &[
            story("Crise au port", "monde", ""),
            story("Festival estival", "culture", ""),
        ],
        10,
    )
    .await;
    let article = site.first_article_path().await;
    for uri in [
        article.as_str(),
        "/",
        "/monde/",
        "/feed.atom",
        "/sitemap.xml",
    ] {
        let plain = site.get(uri).await;
        assert_eq!(plain.status, StatusCode::OK, "{uri}");
        let (hits, _) = hits_and_misses(&site).await;
        let brotli = site
            .send_with(uri, &[("accept-encoding", "gzip, br")])
            .await;
        assert_eq!(brotli.header("content-encoding"), Some("br"), "{uri}");
        assert_eq!(unbrotli(&brotli.raw), plain.body, "{uri}");
        let gzip = site.send_with(uri, &[("accept-encoding", "gzip")]).await;
        assert_eq!(gzip.header("content-encoding"), Some("gzip"), "{uri}");
        assert_eq!(gunzip(&gzip.raw), plain.body, "{uri}");
        assert_eq!(
            hits_and_misses(&site).await.0,
            hits + 2,
            "{uri}: from memory"
        );
        // A page from memory is answered before the routes, with every answer's headers.
        for header in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
            "permissions-policy",
            "content-type",
        ] {
            assert_eq!(gzip.header(header), plain.header(header), "{uri}: {header}");
            assert!(gzip.header(header).is_some(), "{uri}: {header}");
        }
        assert!(gzip.header("x-request-id").is_some(), "{uri}");
        assert_ne!(gzip.header("x-request-id"), plain.header("x-request-id"));

        assert_eq!(brotli.header("etag"), plain.header("etag"), "{uri}");
        assert_eq!(plain.header("vary"), Some("accept-encoding"), "{uri}");
        let control = plain.header("cache-control").unwrap();
        assert!(
            control.contains("s-maxage=") && control.contains("stale-while-revalidate="),
            "{uri}: {control}"
        );
        let modified = plain.header("last-modified").unwrap();
        let again = site
            .send_with(uri, &[("if-modified-since", modified)])
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.raw.is_empty());
        let etag = plain.header("etag").unwrap();
        let again = site.send_with(uri, &[("if-none-match", etag)]).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
    }
    let head = site.request("HEAD", &article, None, None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.raw.is_empty());
    // Made-up parameters are answered without being kept.
    let bypassed = answered(&site, "bypass").await;
    assert_eq!(
        site.get("/monde/?utm_source=x").await.status,
        StatusCode::OK
    );
    assert_eq!(answered(&site, "bypass").await, bypassed + 1);
}

#[tokio::test]
async fn a_change_drops_the_pages_that_show_the_story_and_only_those() {
    // Enough stories in the festival's section for its related stories to come from there.
    let mut stories = vec![
        story("Crise au port", "monde", ""),
        story("Festival estival", "culture", ""),
    ];
    for headline in [
        "Concert au parc",
        "Exposition",
        "Théâtre de plein air",
        "Cinéma",
    ] {
        stories.push(story(headline, "culture", ""));
    }
    let site = TestSite::with_stories(&stories, 10).await;
    account(&site, "chef@exemple.fr", "Chef", Role::Editor).await;
    let home = site.get("/").await.body;
    let path_of = |headline: &str| {
        let at = home.find(headline).unwrap();
        let start = home[..at].rfind("href=\"").unwrap() + 6;
        home[start..start + home[start..].find('"').unwrap()].to_owned()
    };
    let (port, festival) = (path_of("Crise au port"), path_of("Festival estival"));
    for uri in [port.as_str(), festival.as_str(), "/monde/", "/culture/"] {
        site.get(uri).await;
    }

    // A public correction to one story, made by another process: its page and its section's
    // change; the other story and its section do not.
    let editor = site
        .state
        .store
        .user_by_email(&Email::parse("chef@exemple.fr").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let id = story_id(&site, &port).await;
    site.state
        .store
        .add_correction(
            id,
            CorrectionKind::Correction,
            "Le port rouvre lundi.",
            editor,
        )
        .await
        .unwrap();
    site.state.follow_changes().await.unwrap();
    let (hits, misses) = hits_and_misses(&site).await;
    assert!(site.get(&festival).await.body.contains("Festival"));
    assert_eq!(site.get("/culture/").await.status, StatusCode::OK);
    assert_eq!(hits_and_misses(&site).await, (hits + 2, misses));
    assert!(site.get(&port).await.body.contains("Le port rouvre lundi."));
    assert_eq!(site.get("/monde/").await.status, StatusCode::OK);
    assert_eq!(hits_and_misses(&site).await, (hits + 2, misses + 2));
}

// Several worker threads, each reader a task of its own: readers really ask at once, as they
// do on a server, rather than one after the other within one task.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_asking_at_once_share_one_render() {
    let stories: Vec<String> = ["Crise au port", "Festival estival", "Le pont rouvre"]
        .iter()
        .map(|headline| story(headline, "monde", ""))
        .collect();
    let site = TestSite::with_stories(&stories, 10).await;
    // Sixteen readers ask for a page no one has asked for: one render, the others wait for it
    // or, when it finished before they asked, hit the cache. Listings and feeds, because their
    // render waits on the database's own thread (a story page reads on the reader's thread,
    // and may be done before a busy machine has started another reader). Whether any of them
    // asked during the render is still the scheduler's to decide: a fresh page is tried until
    // one did.
    let pages = [
        "/monde/",
        "/monde/feed.atom",
        "/monde/feed.rss",
        "/auteur/claire-dubois/",
        "/auteur/claire-dubois/feed.atom",
        "/auteur/claire-dubois/feed.rss",
    ];
    let mut waited_in_all = 0;
    for page in pages {
        let (hits, misses) = hits_and_misses(&site).await;
        let waited_before = answered(&site, "waited").await;
        let together = Arc::new(tokio::sync::Barrier::new(16));
        let readers = (0..16).map(|_| {
            let state = site.state.clone();
            let together = Arc::clone(&together);
            let request = Request::get(page).body(Body::empty()).unwrap();
            tokio::spawn(async move {
                together.wait().await;
                crate::helpers::respond(&state, request).await
            })
        });
        let pages: Vec<_> = futures_util::future::join_all(readers)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(pages.iter().all(|page| page.status == StatusCode::OK));
        assert!(pages.windows(2).all(|pair| pair[0].body == pair[1].body));
        let waited = answered(&site, "waited").await - waited_before;
        let (hits_now, misses_now) = hits_and_misses(&site).await;
        assert_eq!(misses_now, misses + 1, "one render");
        assert_eq!(hits_now - hits + waited, 15, "the others waited or hit");
        waited_in_all += waited;
        if waited_in_all > 0 {
            break;
        }
    }
    assert!(waited_in_all > 0, "some asked while it was being rendered");
}

#[tokio::test]
async fn settings_changed_by_another_instance_reach_every_page() {
    let site = TestSite::with_stories(&[story("Crise au port", "monde", "")], 10).await;
    assert!(site.get("/").await.body.contains("Rotative"));
    // Another instance's administrator renames the site: the row changes, not this process.
    site.state
        .store
        .set_setting("site.name", "La Gazette du port")
        .await
        .unwrap();
    site.state.follow_changes().await.unwrap();
    assert!(site.get("/").await.body.contains("La Gazette du port"));
    assert!(
        site.get("/feed.atom")
            .await
            .body
            .contains("La Gazette du port")
    );
}
