use axum::http::StatusCode;

use crate::helpers::{TestSite, story};

#[tokio::test]
async fn article_page_has_everything_a_reader_and_a_crawler_need() {
    let site = TestSite::with_stories(
        &[
            story("Minsk sous pression", "monde", "tags = [\"Bélarus\", \"Russie\"]\ntype = \"analysis\"\nstandfirst = \"Le chapeau.\""),
            story("Une autre histoire de Minsk", "monde", "tags = [\"Bélarus\"]"),
            story("Sans rapport", "culture", ""),
        ],
        10,
    )
    .await;
    let path = site.first_article_path().await;
    assert!(
        path.starts_with("/monde/") && path.ends_with("/minsk-sous-pression"),
        "{path}"
    );
    let page = site.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    assert!(html.contains("<html lang=\"fr\">"));
    assert_eq!(page.count("<h1"), 1);
    assert!(html.contains("<nav class=\"breadcrumbs\" aria-label=\"Fil d’Ariane\">"));
    assert!(
        html.contains("<a href=\"/\">Accueil</a>")
            && html.contains("<a href=\"/monde/\">Monde</a>")
    );
    assert!(html.contains("\"@type\":\"BreadcrumbList\""));
    assert!(html.contains("\"@type\":\"AnalysisNewsArticle\""));
    assert!(html.contains(">Analyse</p>"), "visible kind label");
    assert!(html.contains("<a href=\"/auteur/claire-dubois/\" rel=\"author\">Claire Dubois</a>"));
    assert!(html.contains("Publié le <time datetime=\""));
    assert!(html.contains("<figure class=\"figure\"><picture><img src=\"/media/"));
    assert!(html.contains("alt=\"Une illustration\""));
    assert!(html.contains(
        "<figcaption>Légende <span class=\"credit\">Illustration Rotative</span></figcaption>"
    ));
    assert!(html.contains("<a href=\"/sujet/belarus/\">Bélarus</a>"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://journal.example/monde/"));
    assert!(html.contains("<meta property=\"og:image\" content=\"https://journal.example/media/"));
    assert!(
        html.contains("«\u{202f}Minsk sous pression\u{202f}»"),
        "French typography in the body"
    );
    let related = &html[html.find("À lire aussi").expect("related block")..];
    let first_related = related.find("Une autre histoire de Minsk").unwrap();
    let second_related = related.find("Sans rapport").unwrap();
    assert!(first_related < second_related, "shared tags first");
    assert!(
        !related.contains(">Minsk sous pression<"),
        "never the story itself"
    );
}

#[tokio::test]
async fn a_lone_story_has_no_related_block() {
    let site = TestSite::with_stories(&[story("Seule", "monde", "")], 10).await;
    let page = site.get(&site.first_article_path().await).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("À lire aussi"));
}

#[tokio::test]
async fn listings_paginate_and_refuse_pages_that_do_not_exist() {
    let stories: Vec<String> = (1..=12)
        .map(|n| {
            story(
                &format!("Dépêche numéro {n}"),
                "monde",
                "tags = [\"Dépêches\"]",
            )
        })
        .collect();
    let site = TestSite::with_stories(&stories, 5).await;
    for base in ["/monde/", "/sujet/depeches/", "/auteur/claire-dubois/"] {
        let first = site.get(base).await;
        assert_eq!(first.status, StatusCode::OK, "{base}");
        assert_eq!(first.count("class=\"card\""), 5, "{base}");
        assert!(
            first
                .body
                .contains(&format!("<link rel=\"next\" href=\"{base}?page=2\">")),
            "{base}"
        );
        assert!(
            first.body.contains("Dépêche numéro 1<"),
            "newest first on {base}"
        );
        let last = site.get(&format!("{base}?page=3")).await;
        assert_eq!(last.status, StatusCode::OK);
        assert_eq!(last.count("class=\"card\""), 2);
        assert!(last.body.contains("rel=\"prev\""));
        assert!(!last.body.contains("rel=\"next\""));
        for missing in ["?page=4", "?page=0", "?page=-1", "?page=deux"] {
            let page = site.get(&format!("{base}{missing}")).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{base}{missing}");
            assert!(page.body.contains("Page introuvable"));
        }
    }
    let author = site.get("/auteur/claire-dubois/").await.body;
    assert!(author.contains("\"@type\":\"ProfilePage\""));
}

#[tokio::test]
async fn home_shows_latest_and_each_section() {
    let site = TestSite::with_stories(
        &[
            story("Monde un", "monde", ""),
            story("Culture un", "culture", ""),
            story("Sciences un", "sciences", ""),
        ],
        10,
    )
    .await;
    let home = site.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.count("<h1"), 1);
    for section in ["Monde", "Culture", "Sciences"] {
        assert!(
            home.body.contains(&format!(">{section}</a></li>")),
            "nav lists {section}"
        );
    }
    assert!(home.body.contains("À la une"));
}

#[tokio::test]
async fn drafts_and_unknown_pages_answer_a_french_404() {
    let site =
        TestSite::with_stories(&[story("Brouillon", "monde", "status = \"draft\"")], 10).await;
    for uri in [
        "/monde/2026/01/01/brouillon",
        "/nulle-part/",
        "/sujet/absent/",
        "/auteur/personne/",
        "/monde/26/1/1/x",
        "/a/b/c",
    ] {
        let page = site.get(uri).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            page.body.contains("<html lang=\"fr\">") && page.body.contains("Page introuvable"),
            "{uri}"
        );
    }
    assert!(!site.get("/").await.body.contains("Brouillon"));
}
