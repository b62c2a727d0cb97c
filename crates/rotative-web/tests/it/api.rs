//! The read API, `/api/v1/`: what readers see, as JSON, compared with the pages.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use rotative_domain::{ArticleId, ArticleStatus, CorrectionKind, Email, Role};
use rotative_store::{Audit, StoryMove};
use serde_json::Value;

use crate::helpers::{TestSite, story};

async fn site() -> TestSite {
    TestSite::with_stories(
        &[
            story(
                "Les officiers biélorusses écrivent",
                "monde",
                "tags = [\"Bélarus\"]\nstandfirst = \"Une lettre ouverte.\"",
            ),
            story("Marché de Noël à Lille", "france", "tags = [\"Lille\"]"),
            story("La souveraineté numérique en débat", "culture", ""),
            story("Crise au port", "monde", "tags = [\"Bélarus\"]"),
            story("Grève des dockers", "monde", ""),
        ],
        10,
    )
    .await
}

async fn json(site: &TestSite, uri: &str) -> Value {
    let page = site.get(uri).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
    assert_eq!(
        page.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    serde_json::from_str(&page.body).unwrap()
}

fn headlines(list: &Value) -> Vec<&str> {
    list["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|story| story["headline"].as_str().unwrap())
        .collect()
}

/// The path and query of an absolute address the API gave.
fn local(url: &Value) -> String {
    url.as_str()
        .unwrap()
        .strip_prefix("https://journal.example")
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn stories_come_newest_first_a_page_at_a_time() {
    let site = site().await;
    let first = json(&site, "/api/v1/stories?limit=2").await;
    assert_eq!(
        headlines(&first),
        [
            "Les officiers biélorusses écrivent",
            "Marché de Noël à Lille"
        ]
    );
    let second = json(&site, &local(&first["next"])).await;
    assert_eq!(
        headlines(&second),
        ["La souveraineté numérique en débat", "Crise au port"]
    );
    let last = json(&site, &local(&second["next"])).await;
    assert_eq!(headlines(&last), ["Grève des dockers"]);
    assert!(last["next"].is_null(), "no empty page after the last");

    let story = &first["stories"][0];
    assert_eq!(story["type"], "news");
    assert_eq!(story["section"]["slug"], "monde");
    assert_eq!(story["section"]["url"], "https://journal.example/monde/");
    assert_eq!(story["authors"][0]["name"], "Claire Dubois");
    assert_eq!(
        story["authors"][0]["url"],
        "https://journal.example/auteur/claire-dubois/"
    );
    assert_eq!(story["standfirst"], "Une lettre ouverte.");
    // The page the API points at is the reader's page.
    let page = site.get(&local(&story["url"])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Les officiers biélorusses écrivent"));
    let files = story["lead_image"]["files"].as_array().unwrap();
    assert!(!files.is_empty());
    for file in files {
        let image = site.get(&local(&file["url"])).await;
        assert_eq!(image.status, StatusCode::OK, "{file}");
        assert_eq!(image.header("content-type"), file["media_type"].as_str());
    }
}

#[tokio::test]
async fn filters_narrow_and_combine() {
    let site = site().await;
    let monde = json(&site, "/api/v1/stories?section=monde").await;
    assert_eq!(
        headlines(&monde),
        [
            "Les officiers biélorusses écrivent",
            "Crise au port",
            "Grève des dockers"
        ]
    );
    let belarus = json(&site, "/api/v1/stories?subject=belarus&section=monde").await;
    assert_eq!(
        headlines(&belarus),
        ["Les officiers biélorusses écrivent", "Crise au port"]
    );
    let by_claire = json(&site, "/api/v1/stories?author=claire-dubois&limit=100").await;
    assert_eq!(headlines(&by_claire).len(), 5);
    let future = json(&site, "/api/v1/stories?updated_since=2999-01-01T00:00:00Z").await;
    assert!(headlines(&future).is_empty());
    let searched = json(&site, "/api/v1/stories?q=bielorusses").await;
    assert_eq!(headlines(&searched), ["Les officiers biélorusses écrivent"]);
    let elsewhere = json(&site, "/api/v1/stories?q=bielorusses&section=france").await;
    assert!(headlines(&elsewhere).is_empty());
}

#[tokio::test]
async fn one_story_is_whole() {
    let site = site().await;
    let list = json(&site, "/api/v1/stories?limit=1").await;
    let story = json(&site, &local(&list["stories"][0]["href"])).await;
    assert_eq!(story["headline"], "Les officiers biélorusses écrivent");
    assert_eq!(story["subjects"][0]["slug"], "belarus");
    assert!(
        story["body_markdown"]
            .as_str()
            .unwrap()
            .starts_with("Premier paragraphe de « Les officiers biélorusses écrivent »")
    );
    assert!(story["body_html"].as_str().unwrap().contains("<p>"));
    assert!(story["published_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(story["corrections"], Value::Array(Vec::new()));

    // An ETag, and a 304 for a client that has this version.
    let href = local(&list["stories"][0]["href"]);
    let first = site.get(&href).await;
    let etag = first.header("etag").unwrap().to_owned();
    let again = site.send_with(&href, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(first.header("cache-control").unwrap().contains("max-age"));
}

#[tokio::test]
async fn lists_of_what_stories_are_filed_under() {
    let site = site().await;
    let sections = json(&site, "/api/v1/sections").await;
    let slugs: Vec<&str> = sections["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|section| section["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), 3);
    for slug in ["monde", "france", "culture"] {
        assert!(slugs.contains(&slug), "{slugs:?}");
    }
    let stories = local(&sections["sections"][0]["stories"]);
    let in_section = json(&site, &stories).await;
    let first_section = sections["sections"][0]["slug"].clone();
    let in_section = in_section["stories"].as_array().unwrap();
    assert!(!in_section.is_empty());
    assert!(
        in_section
            .iter()
            .all(|story| story["section"]["slug"] == first_section)
    );

    let first = json(&site, "/api/v1/subjects?limit=1").await;
    assert_eq!(first["subjects"][0]["slug"], "belarus");
    let rest = json(&site, &local(&first["next"])).await;
    assert_eq!(rest["subjects"][0]["slug"], "lille");
    assert!(rest["next"].is_null());

    let authors = json(&site, "/api/v1/authors").await;
    assert_eq!(authors["authors"][0]["name"], "Claire Dubois");
}

#[tokio::test]
async fn corrections_and_changes_let_a_client_keep_a_copy() {
    let site = site().await;
    let start = json(&site, "/api/v1/changes?since=0").await;
    let updated: Vec<i64> = start["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|change| change["event"] == "story.updated")
        .map(|change| change["story"].as_i64().unwrap())
        .collect();
    assert_eq!(updated.len(), 5, "{start}");
    let position = local(&start["next"]);
    assert!(
        json(&site, &position).await["changes"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // A correction, then a story taken down: the copy learns both.
    crate::newsroom::account(&site, "chef@exemple.fr", "Chef Édition", Role::Editor).await;
    let editor = site
        .state
        .store
        .user_by_email(&Email::parse("chef@exemple.fr").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let corrected = ArticleId(updated[0]);
    site.state
        .store
        .add_correction(
            corrected,
            CorrectionKind::Correction,
            "La date était fausse.",
            editor,
        )
        .await
        .unwrap();
    let withdrawn = ArticleId(updated[1]);
    assert!(
        site.state
            .store
            .move_story(&StoryMove {
                id: withdrawn,
                from: ArticleStatus::Published,
                reviewed: None,
                to: ArticleStatus::Unpublished,
                path: None,
                published_at: None,
                scheduled_at: None,
                audit: Audit::by(Some(editor), "unpublish"),
            })
            .await
            .unwrap()
    );
    site.state.follow_changes().await.unwrap();
    let later = json(&site, &position).await;
    let events: Vec<(&str, i64)> = later["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|change| Some((change["event"].as_str()?, change["story"].as_i64()?)))
        .collect();
    assert!(
        events.contains(&("story.updated", corrected.0)),
        "{events:?}"
    );
    assert!(
        events.contains(&("story.removed", withdrawn.0)),
        "{events:?}"
    );

    let notes = json(&site, "/api/v1/corrections").await;
    assert_eq!(notes["corrections"][0]["note"], "La date était fausse.");
    assert_eq!(notes["corrections"][0]["kind"], "correction");
    assert_eq!(notes["corrections"][0]["story"]["id"], corrected.0);
    let story = json(&site, &format!("/api/v1/stories/{}", corrected.0)).await;
    assert_eq!(story["corrections"][0]["note"], "La date était fausse.");
    let gone = site.get(&format!("/api/v1/stories/{}", withdrawn.0)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_requests_get_problem_details_in_french() {
    let site = site().await;
    let problem = |uri: &'static str, status: StatusCode| {
        let site = &site;
        async move {
            let page = site.get(uri).await;
            assert_eq!(page.status, status, "{uri}: {}", page.body);
            assert_eq!(
                page.header("content-type"),
                Some("application/problem+json"),
                "{uri}"
            );
            let body: Value = serde_json::from_str(&page.body).unwrap();
            assert_eq!(body["status"], status.as_u16(), "{uri}");
            assert_eq!(body["type"], "about:blank");
            body
        }
    };
    let unknown = problem(
        "/api/v1/stories?sectoin=monde&limit=500",
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(unknown["title"], "Requête invalide");
    assert_eq!(unknown["errors"][0]["field"], "sectoin");
    assert!(
        unknown["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Paramètre inconnu")
    );
    assert_eq!(unknown["errors"][1]["field"], "limit");
    for uri in [
        "/api/v1/stories?cursor=demain",
        "/api/v1/stories?updated_since=hier",
        "/api/v1/stories?q=port&subject=belarus",
        "/api/v1/changes?since=-3",
        "/api/v1/subjects?cursor=%C3%A9t%C3%A9",
    ] {
        problem(uri, StatusCode::BAD_REQUEST).await;
    }
    let missing = problem("/api/v1/stories?section=sport", StatusCode::NOT_FOUND).await;
    assert!(missing["detail"].as_str().unwrap().contains("« sport »"));
    for uri in [
        "/api/v1/stories/999999",
        "/api/v1/stories/abc",
        "/api/v1/nothing",
    ] {
        problem(uri, StatusCode::NOT_FOUND).await;
    }
}

#[tokio::test]
async fn other_sites_scripts_may_read_it() {
    let site = site().await;
    let page = site
        .send_with(
            "/api/v1/sections",
            &[("origin", "https://ailleurs.example")],
        )
        .await;
    assert_eq!(page.header("access-control-allow-origin"), Some("*"));
    let preflight = site
        .send(
            axum::http::Request::builder()
                .method("OPTIONS")
                .uri("/api/v1/stories")
                .header("origin", "https://ailleurs.example")
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "if-none-match")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
}

/// Who may call each API route: all of them are readers' routes so far, open to anyone.
const OPEN_TO_ANYONE: &[(&str, &str)] = &[
    ("GET", "/api/v1/stories"),
    ("GET", "/api/v1/stories/{id}"),
    ("GET", "/api/v1/sections"),
    ("GET", "/api/v1/subjects"),
    ("GET", "/api/v1/authors"),
    ("GET", "/api/v1/corrections"),
    ("GET", "/api/v1/changes"),
    ("GET", "/api/v1/openapi.json"),
];

#[test]
fn the_table_covers_every_api_route() {
    let routes: BTreeSet<(String, String)> = rotative_web::api_routes()
        .into_iter()
        .map(|(method, path)| (method.to_string(), path))
        .collect();
    let covered: BTreeSet<(String, String)> = OPEN_TO_ANYONE
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(routes, covered);
}

#[tokio::test]
async fn every_api_route_answers_anyone() {
    let site = site().await;
    let list = json(&site, "/api/v1/stories?limit=1").await;
    let id = list["stories"][0]["id"].to_string();
    for (_, route) in OPEN_TO_ANYONE {
        json(&site, &route.replace("{id}", &id)).await;
    }
}

#[tokio::test]
async fn the_openapi_document_describes_each_answer() {
    let site = site().await;
    let document = json(&site, "/api/v1/openapi.json").await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = document["paths"].as_object().unwrap();
    assert_eq!(
        paths.len(),
        OPEN_TO_ANYONE.len() - 1,
        "every route but the document itself"
    );
    for (path, item) in paths {
        let ok = &item["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(ok.is_object(), "{path} does not describe its answer");
    }
}
