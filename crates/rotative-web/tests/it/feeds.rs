//! Feeds for the site and for each section, tag and author, in the three formats.

use axum::http::StatusCode;

use crate::helpers::{TestSite, story};

#[tokio::test]
async fn every_listing_has_three_feeds() {
    let site = TestSite::with_stories(
        &[
            story(
                "Minsk sous pression",
                "monde",
                "tags = [\"Bélarus\"]\nstandfirst = \"Le chapeau.\"",
            ),
            story("Une exposition", "culture", ""),
        ],
        10,
    )
    .await;
    for base in ["/", "/monde/", "/sujet/belarus/", "/auteur/claire-dubois/"] {
        for (file, media_type) in [
            ("feed.atom", "application/atom+xml; charset=utf-8"),
            ("feed.rss", "application/rss+xml; charset=utf-8"),
            ("feed.json", "application/feed+json; charset=utf-8"),
        ] {
            let feed = site.get(&format!("{base}{file}")).await;
            assert_eq!(feed.status, StatusCode::OK, "{base}{file}");
            assert_eq!(feed.header("content-type"), Some(media_type));
            assert!(feed.body.contains("Minsk sous pression"), "{base}{file}");
            assert!(
                feed.body.contains("https://journal.example/media/"),
                "absolute image addresses in {base}{file}"
            );
            // Both stories are by the same author.
            let only_site = base == "/" || base.starts_with("/auteur/");
            assert_eq!(
                feed.body.contains("Une exposition"),
                only_site,
                "{base}{file} lists its own stories"
            );
        }
        let page = site.get(base).await.body;
        if base != "/" {
            assert!(
                page.contains(&format!("href=\"{base}feed.atom\"")),
                "{base} links its feed"
            );
        }
        assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
    }
    for missing in [
        "/monde/feed.xml",
        "/absent/feed.atom",
        "/sujet/absent/feed.rss",
    ] {
        assert_eq!(
            site.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn json_feed_follows_version_1_1() {
    let site = TestSite::with_stories(
        &[story(
            "Minsk sous pression",
            "monde",
            "standfirst = \"Le chapeau.\"",
        )],
        10,
    )
    .await;
    let feed: serde_json::Value = serde_json::from_str(&site.get("/feed.json").await.body).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["feed_url"], "https://journal.example/feed.json");
    assert_eq!(feed["home_page_url"], "https://journal.example/");
    let item = &feed["items"][0];
    for field in [
        "id",
        "url",
        "title",
        "content_html",
        "summary",
        "date_published",
        "date_modified",
        "image",
    ] {
        assert!(item[field].is_string(), "item.{field}: {item}");
    }
    assert!(
        item["date_published"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok(),
        "RFC 3339 dates"
    );
    assert_eq!(item["authors"][0]["name"], "Claire Dubois");
}

#[tokio::test]
async fn atom_and_rss_escape_html_and_carry_dates() {
    let site = TestSite::with_stories(&[story("Guillemets & <balises>", "monde", "")], 10).await;
    let atom = site.get("/feed.atom").await.body;
    assert!(atom.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    assert!(
        atom.contains("<title>Guillemets &amp; &lt;balises&gt;</title>"),
        "{atom}"
    );
    assert!(atom.contains("<content type=\"html\">&lt;p&gt;"), "{atom}");
    let rss = site.get("/feed.rss").await.body;
    assert!(
        rss.contains("<pubDate>") && rss.contains(" +0000</pubDate>"),
        "{rss}"
    );
    assert!(
        rss.contains("<guid isPermaLink=\"true\">https://journal.example/monde/"),
        "{rss}"
    );
}
