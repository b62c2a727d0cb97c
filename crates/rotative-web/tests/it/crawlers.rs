//! robots.txt and sitemaps.

use axum::http::StatusCode;

use crate::helpers::{TestSite, story};

#[tokio::test]
async fn robots_points_to_the_sitemaps_and_keeps_crawlers_out_of_the_newsroom() {
    let site = TestSite::with_stories(&[], 10).await;
    let robots = site.get("/robots.txt").await;
    assert_eq!(
        robots.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(robots.body.contains("Disallow: /redaction/"));
    assert!(
        robots
            .body
            .contains("Sitemap: https://journal.example/sitemap.xml")
    );
    assert!(
        robots
            .body
            .contains("Sitemap: https://journal.example/news-sitemap.xml")
    );
}

#[tokio::test]
async fn sitemaps_list_every_public_page_and_news_the_last_two_days() {
    let site = TestSite::with_stories(
        &[
            story("Récent", "monde", "tags = [\"Bélarus\"]"),
            story(
                "Ancien",
                "culture",
                "published_at = \"2020-01-15T10:00:00+01:00\"",
            ),
        ],
        10,
    )
    .await;
    let index = site.get("/sitemap.xml").await;
    assert_eq!(
        index.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(
        index
            .body
            .contains("<loc>https://journal.example/sitemaps/pages.xml</loc>")
    );
    assert!(
        index
            .body
            .contains("<loc>https://journal.example/sitemaps/articles-1.xml</loc>")
    );
    assert!(!index.body.contains("articles-2"));

    let articles = site.get("/sitemaps/articles-1.xml").await.body;
    assert_eq!(articles.matches("<url>").count(), 2);
    assert!(articles.contains("<loc>https://journal.example/culture/2020/01/15/ancien</loc>"));
    assert!(articles.contains("<lastmod>2020-01-15T10:00:00+01:00</lastmod>"));

    let pages = site.get("/sitemaps/pages.xml").await.body;
    for path in [
        "/",
        "/monde/",
        "/culture/",
        "/sujet/belarus/",
        "/auteur/claire-dubois/",
        "/corrections/",
    ] {
        assert!(
            pages.contains(&format!("<loc>https://journal.example{path}</loc>")),
            "{path}"
        );
    }

    let news = site.get("/news-sitemap.xml").await.body;
    assert!(news.contains("xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\""));
    assert!(news.contains("<news:title>Récent</news:title>"));
    assert!(
        news.contains("<news:language>fr</news:language>")
            && news.contains("<news:name>Rotative</news:name>")
    );
    assert!(news.contains("<news:publication_date>"));
    assert!(!news.contains("Ancien"), "older than two days");

    for missing in [
        "/sitemaps/articles-2.xml",
        "/sitemaps/articles-0.xml",
        "/sitemaps/autre.xml",
    ] {
        assert_eq!(
            site.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}
