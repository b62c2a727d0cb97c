//! The search page.

use axum::http::StatusCode;

use crate::helpers::{TestSite, story};

async fn site() -> TestSite {
    TestSite::with_stories(
        &[
            story(
                "Les officiers biélorusses écrivent",
                "monde",
                "tags = [\"Bélarus\"]",
            ),
            story("Marché de Noël à Lille", "france", ""),
            story("La souveraineté numérique en débat", "culture", ""),
        ],
        10,
    )
    .await
}

#[tokio::test]
async fn finds_french_words_and_marks_them() {
    let site = site().await;
    let page = site.get("/recherche?q=bi%C3%A9lorusse").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 résultat pour"), "{}", page.body);
    assert!(page.body.contains("Les officiers biélorusses écrivent</a>"));
    assert!(
        page.body
            .contains("<meta name=\"robots\" content=\"noindex\">")
    );
    let belarus = site.get("/recherche?q=belarus").await.body;
    assert!(
        belarus.contains("Les officiers biélorusses écrivent</a>"),
        "the tag matches without accent"
    );
}

#[tokio::test]
async fn filters_and_pages() {
    let site = site().await;
    let in_culture = site
        .get("/recherche?q=souverainete&rubrique=culture")
        .await
        .body;
    assert!(in_culture.contains("La souveraineté numérique en débat"));
    let elsewhere = site
        .get("/recherche?q=souverainete&rubrique=monde")
        .await
        .body;
    assert!(
        elsewhere.contains("Aucun article ne correspond"),
        "{elsewhere}"
    );
    assert!(
        elsewhere.contains("href=\"/recherche?q=souverainete\""),
        "a way to drop the filters"
    );
    let future = site
        .get("/recherche?q=souverainete&du=2999-01-01")
        .await
        .body;
    assert!(future.contains("Aucun article ne correspond"));
    assert_eq!(
        site.get("/recherche?q=souverainete&page=2").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn no_query_or_no_result_still_offers_something_to_read() {
    let site = site().await;
    let empty = site.get("/recherche").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Les derniers articles"));
    let nothing = site.get("/recherche?q=zzyzx").await.body;
    assert!(nothing.contains("Aucun article ne correspond à «"));
    assert!(nothing.contains("Les derniers articles"));
}

#[tokio::test]
async fn hostile_queries_get_a_normal_page() {
    let site = site().await;
    let long = "a".repeat(10_000);
    for query in [
        "%22unbalanced",
        "title%3Ax+AND+(",
        "*%3A*",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        long.as_str(),
        "%5B1+TO+2%5D",
    ] {
        let page = site.get(&format!("/recherche?q={query}")).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{}",
            &query[..query.len().min(40)]
        );
        assert!(
            !page.body.contains("<script>alert"),
            "the query is escaped when echoed"
        );
    }
    assert!(
        site.get("/").await.body.contains("action=\"/recherche\""),
        "a search form on every page"
    );
}
