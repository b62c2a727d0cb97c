use axum::http::{StatusCode, header};

use crate::helpers::{TestSite, story};

#[tokio::test]
async fn readers_get_no_cookie_and_a_strict_policy() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    let article = site.first_article_path().await;
    for uri in ["/", "/monde/", article.as_str(), "/absent/"] {
        let page = site.get(uri).await;
        assert!(page.headers.get(header::SET_COOKIE).is_none(), "{uri}");
        let csp = page
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{uri}"
        );
        assert_eq!(
            page.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert!(page.headers.get("x-request-id").is_some(), "{uri}");
        let permissions = page
            .headers
            .get("permissions-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(permissions.contains("camera=()"), "{uri}");
        // The test site's address is https: browsers are told to keep to it.
        assert!(
            page.headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_some(),
            "{uri}"
        );
        for attribute in ["src=\"http", "href=\"http"] {
            let external = page.body.matches(attribute).count();
            let own = page
                .body
                .matches(&format!("{attribute}s://journal.example"))
                .count();
            assert_eq!(
                external, own,
                "{uri}: nothing is loaded or linked from elsewhere"
            );
        }
    }
}

/// Every kind of answer a browser may load carries the security headers, whatever made it:
/// pages from the cache, listings, feeds, sitemaps, search, the newsroom, errors.
#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers() {
    let site =
        TestSite::with_stories(&[story("Un article", "monde", "tags = [\"Bélarus\"]")], 10).await;
    let article = site.first_article_path().await;
    let uris = [
        "/",
        article.as_str(),
        "/monde/",
        "/monde/?page=1",
        "/sujet/belarus/",
        "/auteur/claire-dubois/",
        "/corrections/",
        "/feed.atom",
        "/feed.rss",
        "/feed.json",
        "/monde/feed.atom",
        "/sitemap.xml",
        "/sitemaps/articles-1.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/recherche?q=article",
        "/redaction/connexion",
        "/absent/",
        "/monde/2020/01/01/absent",
    ];
    // Each twice: readers' pages come from the page cache the second time.
    for uri in uris.into_iter().flat_map(|uri| [uri, uri]) {
        let page = site.get(uri).await;
        let expected = if uri.contains("absent") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(page.status, expected, "{uri}");
        let header = |name: &str| page.header(name).unwrap_or_else(|| panic!("{uri}: {name}"));
        let csp = header("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{uri}: {csp}"
        );
        assert!(csp.contains("object-src 'none'"), "{uri}: {csp}");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
        assert!(header("permissions-policy").contains("geolocation=()"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(header("strict-transport-security").contains("max-age="));
        assert!(
            page.header("set-cookie").is_none() || uri.starts_with("/redaction"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn media_and_stylesheet_are_served_immutable() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    let html = site.get(&site.first_article_path().await).await.body;
    let start = html.find("src=\"/media/").unwrap() + 5;
    let src = &html[start..start + html[start..].find('"').unwrap()];
    let image = site.get(src).await;
    assert_eq!(image.status, StatusCode::OK);
    assert_eq!(
        image.headers.get(header::CONTENT_TYPE).unwrap(),
        "image/jpeg"
    );
    assert!(
        image
            .headers
            .get(header::CACHE_CONTROL)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    let start = html.find("href=\"/theme/").unwrap() + 6;
    let css = &html[start..start + html[start..].find('"').unwrap()];
    let stylesheet = site.get(css).await;
    assert_eq!(stylesheet.status, StatusCode::OK);
    assert_eq!(
        stylesheet.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/css; charset=utf-8"
    );

    for uri in [
        "/media/..%2F..%2Fetc%2Fpasswd",
        "/media/x.jpg",
        &format!("/media/{}.jpg", "f".repeat(32)),
        "/theme/other.css",
    ] {
        assert_eq!(site.get(uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn one_address_per_page() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    for (uri, target) in [
        ("/monde", "/monde/"),
        ("/sujet/x?page=2", "/sujet/x/?page=2"),
        ("/auteur/claire-dubois", "/auteur/claire-dubois/"),
    ] {
        let page = site.get(uri).await;
        assert_eq!(page.status, StatusCode::PERMANENT_REDIRECT, "{uri}");
        assert_eq!(page.headers.get(header::LOCATION).unwrap(), target);
    }
    assert_eq!(site.get("/favicon.ico").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_word_that_names_no_section_is_not_found_at_once() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    for uri in ["/no-such-thing", "/wp-login.php", "/monde-entier"] {
        let page = site.get(uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(page.headers.get(header::LOCATION).is_none(), "{uri}");
    }
}

#[tokio::test]
async fn error_pages_do_not_ask_the_database() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    assert_eq!(site.get("/").await.status, StatusCode::OK);
    // With the database gone, a 404 still has its navigation: read by the last page, not again.
    site.state.store.close().await;
    let missing = site.get("/monde/pas/un/article").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains("href=\"/monde/\""),
        "{}",
        missing.body
    );
}

#[tokio::test]
async fn health_probes() {
    let site = TestSite::with_stories(&[], 10).await;
    assert_eq!(site.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(site.get("/readyz").await.status, StatusCode::OK);
    let empty_home = site.get("/").await;
    assert_eq!(empty_home.status, StatusCode::OK);
    assert!(empty_home.body.contains("Aucun article"));
}

#[tokio::test]
async fn malformed_query_is_a_french_400() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    let page = site.get("/monde/?page=1&page=2").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Demande impossible"));
}

#[tokio::test]
async fn an_article_page_weighs_under_40_kilobytes_compressed() {
    let site =
        TestSite::with_stories(&[story("Un article", "monde", "tags = [\"Essai\"]")], 10).await;
    let article = site.get_compressed(&site.first_article_path().await).await;
    assert!(
        article.header("content-encoding").is_some(),
        "pages travel compressed"
    );
    let html = site.get(&site.first_article_path().await).await.body;
    let start = html.find("href=\"/theme/").unwrap() + 6;
    let stylesheet = site
        .get_compressed(&html[start..start + html[start..].find('"').unwrap()])
        .await;
    assert!(stylesheet.header("content-encoding").is_some());
    let weight = article.size + stylesheet.size;
    assert!(
        weight < 40 * 1024,
        "article HTML + CSS weigh {weight} bytes compressed"
    );
    assert!(
        !html.contains("<script src"),
        "no JavaScript needed to read"
    );
}

#[tokio::test]
async fn the_publisher_emblem_is_served_and_named_in_structured_data() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    let logo = site.get("/logo.png").await;
    assert_eq!(logo.status, StatusCode::OK);
    assert_eq!(logo.headers.get(header::CONTENT_TYPE).unwrap(), "image/png");
    let article = site.get(&site.first_article_path().await).await.body;
    assert!(article.contains("\"logo\":{\"@type\":\"ImageObject\",\"height\":512,\"url\":\"https://journal.example/logo.png\",\"width\":512}"), "{article}");
}

#[tokio::test]
async fn embeds_wait_for_a_click_and_only_their_provider_may_be_framed() {
    let with_video = "+++\nheadline = \"Une vidéo\"\nsection = \"monde\"\n+++\nLe reportage en images :\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n";
    let site = TestSite::with_stories(
        &[with_video.to_owned(), story("Sans vidéo", "monde", "")],
        10,
    )
    .await;
    let home = site.get("/").await.body;
    let link = |headline: &str| {
        let at = home.find(&format!(">{headline}</a>")).unwrap();
        let start = home[..at].rfind("href=\"").unwrap() + 6;
        home[start..start + home[start..].find('"').unwrap()].to_owned()
    };
    let video = site.get(&link("Une vidéo")).await;
    assert!(video.body.contains("<figure class=\"embed\""));
    assert!(
        video.body.contains("Voir sur YouTube</a>"),
        "a link for readers without the frame"
    );
    assert!(
        !video.body.contains("<iframe"),
        "nothing from the provider before a click"
    );
    assert!(video.body.contains("<script src=\"/theme/embeds."));
    let csp = video.header("content-security-policy").unwrap();
    assert!(
        csp.contains("frame-src https://www.youtube-nocookie.com;"),
        "{csp}"
    );
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    let plain = site.get(&link("Sans vidéo")).await;
    assert!(
        plain
            .header("content-security-policy")
            .unwrap()
            .contains("script-src 'none'")
    );
    assert!(!plain.body.contains("<script src"));
}

#[tokio::test]
async fn pages_carry_validators_and_answer_304_when_unchanged() {
    let site = TestSite::with_stories(&[story("Un article", "monde", "")], 10).await;
    // The search page is not kept by the page cache: its validators come from the middleware,
    // which compares them the same way.
    for uri in [
        "/",
        "/monde/",
        "/feed.atom",
        "/sitemap.xml",
        "/recherche?q=article",
    ] {
        let first = site.get(uri).await;
        let etag = first
            .header("etag")
            .unwrap_or_else(|| panic!("{uri} has an ETag"))
            .to_owned();
        assert!(
            first
                .header("cache-control")
                .unwrap()
                .contains("stale-while-revalidate"),
            "{uri}"
        );
        let again = site
            .send_with(uri, &[("if-none-match", etag.as_str())])
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.body.is_empty());
        let other = site.send_with(uri, &[("if-none-match", "W/\"0\"")]).await;
        assert_eq!(other.status, StatusCode::OK, "{uri}");
        let listed = format!("W/\"0\", {}", etag.trim_start_matches("W/"));
        let in_a_list = site.send_with(uri, &[("if-none-match", &listed)]).await;
        assert_eq!(
            in_a_list.status,
            StatusCode::NOT_MODIFIED,
            "{uri}: {listed}"
        );
    }
    let html = site.get(&site.first_article_path().await).await.body;
    let start = html.find("src=\"/media/").unwrap() + 5;
    let image = site
        .get(&html[start..start + html[start..].find('"').unwrap()])
        .await;
    assert_eq!(image.status, StatusCode::OK);
    let etag = image.header("etag").unwrap().to_owned();
    assert!(
        !etag.starts_with("W/"),
        "a media file's key is its strong validator, never a hash of the bytes sent"
    );
}
