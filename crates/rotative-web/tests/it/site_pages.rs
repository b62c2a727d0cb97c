//! The site's pages (about, legal notice): written and published by editors in the story editor,
//! read at `/{slug}/`, listed in every page's footer where editors put them, and in no listing,
//! feed or search; through the API with the same rules.

use axum::http::StatusCode;

use crate::api::{send_json, token_for};
use crate::helpers::TestSite;
use crate::newsroom::{act, csrf, newsroom, sign_in};

/// An editor's session on the newsroom test site, its form token, and the editor's address of
/// « À propos », a page written (with a story's fields, which it does not keep) and published
/// through the newsroom's forms.
async fn about_page_published(site: &TestSite) -> (String, String, String) {
    let chef = sign_in(site, "chef@exemple.fr").await;
    let token = csrf(site, &chef).await;
    let form = site
        .request("GET", "/redaction/pages/nouvelle", Some(&chef), None)
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("<h1>Nouvelle page</h1>"),
        "{}",
        form.body
    );
    assert!(form.body.contains("action=\"/redaction/pages\""));
    assert!(
        !form.body.contains("id=\"section\""),
        "a page has no section"
    );
    assert!(!form.body.contains("id=\"tags\""), "nor subjects");
    let write = |headline: &'static str| {
        let (chef, token) = (chef.clone(), token.clone());
        async move {
            let fields = [
                ("csrf", token.as_str()),
                ("headline", headline),
                ("standfirst", "Qui fait ce journal."),
                ("body", "Nous écrivons depuis le port."),
                ("section", "Monde"),
                ("tags", "Bélarus"),
                ("authors", "Paul Chef"),
                ("intent", "save"),
            ];
            site.request("POST", "/redaction/pages", Some(&chef), Some(&fields))
                .await
        }
    };
    let empty = write("").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("Nous écrivons depuis le port."),
        "the text is kept"
    );
    let created = write("À propos").await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let editor_path = created.location_path();
    let editor = site.request("GET", &editor_path, Some(&chef), None).await;
    assert!(
        editor.body.contains("<h1>Modifier la page</h1>"),
        "{}",
        editor.body
    );
    assert!(
        !editor.body.contains("value=\"pin\""),
        "a page never goes on the front page"
    );
    assert_eq!(
        act(site, &chef, &editor_path, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    (chef, token, editor_path)
}

#[tokio::test]
async fn an_editor_publishes_a_page_readers_find_at_its_address_only() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let refused = site
        .request("GET", "/redaction/pages/nouvelle", Some(&julie), None)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "pages are the editors'"
    );
    about_page_published(&site).await;

    let page = site.get("/a-propos/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nous écrivons depuis le port."));
    assert!(page.body.contains("\"@type\":\"WebPage\""));
    assert!(!page.body.contains("class=\"byline\""), "no byline");
    assert!(!page.body.contains("Bélarus"), "no subject");
    assert_eq!(
        site.get("/a-propos").await.header("location"),
        Some("/a-propos/")
    );
    for listing in ["/", "/feed.atom", "/monde/", "/news-sitemap.xml"] {
        let body = site.get(listing).await.body;
        assert!(!body.contains("/a-propos/"), "{listing} lists no page");
    }
    assert!(
        site.get("/sitemaps/articles-1.xml")
            .await
            .body
            .contains("https://journal.example/a-propos/"),
        "search engines find it"
    );
    assert_eq!(
        site.get("/pages/").await.status,
        StatusCode::NOT_FOUND,
        "the pages' section has no page of its own"
    );
}

#[tokio::test]
async fn the_footer_lists_the_pages_editors_number_and_no_section_takes_their_address() {
    let site = newsroom().await;
    let (chef, token, editor_path) = about_page_published(&site).await;
    let id = editor_path.rsplit('/').next().unwrap();
    let place = format!("place-{id}");
    let arrange = |value: &'static str| {
        let (chef, token, place) = (chef.clone(), token.clone(), place.clone());
        let site = &site;
        async move {
            let fields = [("csrf", token.as_str()), (place.as_str(), value)];
            site.request(
                "POST",
                "/redaction/pages/pied-de-page",
                Some(&chef),
                Some(&fields),
            )
            .await
        }
    };
    let wrong = arrange("premier").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("value=\"premier\""), "{}", wrong.body);
    assert!(wrong.body.contains(&format!("id=\"{place}-erreur\"")));
    assert_eq!(arrange("1").await.status, StatusCode::SEE_OTHER);
    let home = site.get("/").await.body;
    assert!(
        home.contains("<a href=\"/a-propos/\">À propos</a>"),
        "every page lists it in its footer: {home}"
    );
    let list = site
        .request("GET", "/redaction/pages", Some(&chef), None)
        .await;
    assert!(
        list.body.contains("<code>/a-propos/</code>"),
        "{}",
        list.body
    );

    // A section and a page never share an address, whichever comes second.
    let section = site
        .request(
            "POST",
            "/redaction/rubriques",
            Some(&chef),
            Some(&[("csrf", token.as_str()), ("name", "À propos")]),
        )
        .await;
    assert_eq!(section.status, StatusCode::CONFLICT);
    assert!(section.body.contains("/a-propos/"), "{}", section.body);
    let story = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&chef),
            Some(&[
                ("csrf", token.as_str()),
                ("headline", "Un titre"),
                ("body", "Un texte."),
                ("section", "À propos"),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(
        story.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        story.body
    );
    assert!(
        story
            .body
            .contains("page du site (à propos, mentions légales…)"),
        "{}",
        story.body
    );
    let moved = site
        .request(
            "POST",
            &format!("{editor_path}/adresse"),
            Some(&chef),
            Some(&[("csrf", token.as_str()), ("slug", "monde")]),
        )
        .await;
    assert_eq!(moved.status, StatusCode::CONFLICT, "{}", moved.body);
    assert_eq!(
        act(&site, &chef, &editor_path, "pin", "").await,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn the_api_writes_pages_and_orders_the_footer() {
    let site = newsroom().await;
    let editor = token_for(&site, "chef@exemple.fr", rotative_domain::TokenScope::Write).await;
    let created = send_json(
        &site,
        "POST",
        "/api/v1/newsroom/pages",
        Some(&editor),
        r#"{"headline": "Mentions légales", "body": "Qui publie ce site."}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = serde_json::from_str::<serde_json::Value>(&created.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let unknown = send_json(
        &site,
        "POST",
        "/api/v1/newsroom/pages",
        Some(&editor),
        r#"{"headline": "Contact", "body": "Écrivez-nous.", "section": "Monde"}"#,
    )
    .await;
    assert_eq!(
        unknown.status,
        StatusCode::BAD_REQUEST,
        "a page has no section"
    );
    let published = send_json(
        &site,
        "POST",
        &format!("/api/v1/stories/{id}/actions/publish"),
        Some(&editor),
        "",
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert!(
        published.body.contains("/mentions-legales/"),
        "{}",
        published.body
    );
    let twice = send_json(
        &site,
        "PUT",
        "/api/v1/newsroom/pages/footer",
        Some(&editor),
        &format!(r#"{{"pages": [{id}, {id}]}}"#),
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let story = send_json(
        &site,
        "PUT",
        "/api/v1/newsroom/pages/footer",
        Some(&editor),
        r#"{"pages": [1]}"#,
    )
    .await;
    assert_eq!(story.status, StatusCode::NOT_FOUND, "a story is not a page");
    let footer = send_json(
        &site,
        "PUT",
        "/api/v1/newsroom/pages/footer",
        Some(&editor),
        &format!(r#"{{"pages": [{id}]}}"#),
    )
    .await;
    assert_eq!(footer.status, StatusCode::OK, "{}", footer.body);
    assert!(
        footer.body.contains("\"footer_position\":1"),
        "{}",
        footer.body
    );
    assert!(
        site.get("/")
            .await
            .body
            .contains("<a href=\"/mentions-legales/\">Mentions légales</a>")
    );
    let wordpress = site.get("/wp-json/wp/v2/pages").await;
    assert!(
        wordpress.body.contains("mentions-legales"),
        "{}",
        wordpress.body
    );
    let posts = site.get("/wp-json/wp/v2/posts").await;
    assert!(!posts.body.contains("mentions-legales"));
}
