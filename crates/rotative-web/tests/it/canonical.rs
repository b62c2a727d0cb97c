//! One address and one well-formed text per page: control characters never reach a feed,
//! escaped or padded variants of an address are not pages of their own, and a newsroom error is
//! as private as the page it replaces.

use axum::http::StatusCode;

use crate::{
    helpers::TestSite,
    newsroom::{act, csrf, newsroom, sign_in},
};

#[tokio::test]
async fn control_characters_never_reach_feeds_or_sitemaps() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let created = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("headline", "Titre\u{1} piégé"),
                ("standfirst", "Un chapeau\u{1}\u{b} piégé"),
                ("body", "Un texte\u{1} piégé."),
                ("section", "monde"),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let story = created.location_path();
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    site.state.follow_changes().await.unwrap();
    for address in [
        "/feed.atom",
        "/feed.rss",
        "/feed.json",
        "/monde/feed.atom",
        "/monde/feed.rss",
        "/news-sitemap.xml",
    ] {
        let page = site.get(address).await;
        assert_eq!(page.status, StatusCode::OK, "{address}");
        assert!(page.body.contains("piégé"), "{address}");
        assert!(
            !page.body.contains(['\u{1}', '\u{b}']),
            "{address} holds a control character"
        );
    }
}

#[tokio::test]
async fn variants_of_an_address_are_not_pages_of_their_own() {
    let site = TestSite::with_stories(&[crate::helpers::story("Une", "monde", "")], 10).await;
    assert_eq!(site.get("/monde/").await.status, StatusCode::OK);
    assert_eq!(
        site.get("/sitemaps/articles-1.xml").await.status,
        StatusCode::OK
    );
    for variant in [
        "/%6Donde/",
        "/m%6Fnde/",
        "/sitemaps/articles-01.xml",
        "/sitemaps/articles-001.xml",
        "/sitemaps/articles-+1.xml",
        "/sitemaps/articles-0.xml",
        "/sitemaps/articles-1152921504606846977.xml",
        "/sitemaps/articles-18446744073709551616.xml",
    ] {
        assert_eq!(
            site.get(variant).await.status,
            StatusCode::NOT_FOUND,
            "{variant}"
        );
    }
}

#[tokio::test]
async fn newsroom_error_pages_stay_private() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let missing = site
        .request("GET", "/redaction/articles/999999", Some(&chef), None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert!(missing.body.contains("<html"), "still the site's page");
}
