//! The read API, `/api/v1/`: what readers see, as JSON, compared with the pages.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use rotative_domain::{ArticleId, ArticleStatus, CorrectionKind, Email, Role, TokenScope};
use rotative_store::{Audit, NewToken, StoryMove};
use serde_json::Value;

use crate::{
    helpers::{Page, TestSite, story},
    newsroom::{account, csrf, newsroom, sign_in, write_story},
};

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
    // Asked twice: the second answer comes from the page cache.
    for _ in 0..2 {
        let page = site
            .send_with(
                "/api/v1/sections",
                &[("origin", "https://ailleurs.example")],
            )
            .await;
        assert_eq!(page.header("access-control-allow-origin"), Some("*"));
    }
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

/// The readers' routes, open to anyone, with or without a token.
const OPEN_TO_ANYONE: &[(&str, &str)] = &[
    ("GET", "/api/v1/stories"),
    ("GET", "/api/v1/stories/{id}"),
    ("GET", "/api/v1/sections"),
    ("GET", "/api/v1/subjects"),
    ("GET", "/api/v1/authors"),
    ("GET", "/api/v1/corrections"),
    ("GET", "/api/v1/changes"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/"),
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
        .chain(BY_ROLE.iter().map(|(method, row, _)| {
            let row = row.split('?').next().unwrap_or(row);
            let path = row
                .replace("{A}", "{id}")
                .replace("{C}", "{id}")
                .replace("{P}", "{id}")
                .replace("{W}", "{id}")
                .replace("{M}", "{id}")
                .replace("{J}", "{id}")
                .replace("{T}", "{id}")
                .replace("{S}", "{id}")
                .replace("{B}", "{id}")
                .replace("{E}", "{id}")
                .replace("{R}", "{revision}");
            let path = match path.split_once("/actions/") {
                Some((story, _)) => format!("{story}/actions/{{action}}"),
                None => path,
            };
            ((*method).to_owned(), path)
        }))
        .collect();
    assert_eq!(routes, covered);
}

#[tokio::test]
async fn every_api_route_answers_anyone() {
    let site = site().await;
    let list = json(&site, "/api/v1/stories?limit=1").await;
    let id = list["stories"][0]["id"].to_string();
    for (_, route) in OPEN_TO_ANYONE {
        if *route == "/api/v1/" {
            // The reference, for people.
            let page = site.get(route).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body.contains(
                    "<code><span class=\"api-method\">PATCH</span> /api/v1/stories/{id}</code>"
                ),
                "{}",
                page.body
            );
            continue;
        }
        json(&site, &route.replace("{id}", &id)).await;
    }
}

#[tokio::test]
async fn the_openapi_document_describes_each_answer() {
    let site = site().await;
    let document = json(&site, "/api/v1/openapi.json").await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = document["paths"].as_object().unwrap();
    let mut operations = BTreeSet::new();
    for item in paths.values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation["operationId"].as_str() {
                assert!(operations.insert(id.to_owned()), "{id} twice");
            }
        }
    }
    for (path, item) in paths {
        // A removal answers nothing (204).
        let Some(operation) = ["get", "post", "patch", "put"]
            .into_iter()
            .find_map(|method| item[method].as_object())
        else {
            assert!(item["delete"].is_object(), "{path}");
            continue;
        };
        let responses = &operation["responses"];
        let answer = if responses["201"].is_object() {
            &responses["201"]
        } else {
            &responses["200"]
        };
        let ok = &answer["content"]["application/json"]["schema"];
        assert!(ok.is_object(), "{path} does not describe its answer");
    }
    assert!(document["components"]["securitySchemes"]["jeton"].is_object());
}

/// A token for an account, made as `rotative token add` makes one.
pub async fn token_for(site: &TestSite, email: &str, scope: TokenScope) -> String {
    let owner = site
        .state
        .store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let secret = rotative_web::auth::new_api_token();
    site.state
        .store
        .create_token(
            NewToken {
                owner,
                name: "Essai",
                scope,
                token_hash: &rotative_web::auth::token_hash(&secret),
            },
            Audit::by(None, "token_add"),
        )
        .await
        .unwrap();
    secret
}

async fn with_token(site: &TestSite, method: &str, uri: &str, token: Option<&str>) -> Page {
    send_json(site, method, uri, token, "").await
}

pub async fn send_json(
    site: &TestSite,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: &str,
) -> Page {
    let mut request = axum::http::Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if !body.is_empty() {
        request = request.header("content-type", "application/json");
    }
    if method == "PATCH" {
        request = request.header("if-match", "*");
    }
    site.send(
        request
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

/// Uploads an image to the media library through the API.
async fn upload(site: &TestSite, token: Option<&str>) -> Page {
    let jpeg = rotative_media::illustration::draw("essai", 400, 300).unwrap();
    let (content_type, body) = crate::helpers::multipart(&[
        crate::helpers::Part::Text("alt", "Une place au petit matin"),
        crate::helpers::Part::Text("credit", "Illustration Rotative"),
        crate::helpers::Part::File("file", "place.jpg", &jpeg),
    ]);
    let mut request =
        axum::http::Request::post("/api/v1/media").header("content-type", content_type);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    site.send(request.body(axum::body::Body::from(body)).unwrap())
        .await
}

/// An account added as a client sends it.
const ACCOUNT_BODY: &str =
    r#"{"email": "nouveau@exemple.fr", "name": "Nouvelle Recrue", "role": "editor"}"#;

/// A public note as a client sends it.
const NEW_NOTE: &str = r#"{"kind": "correction", "note": "Le port rouvre mardi, non lundi."}"#;

/// A story as a client sends it.
const NEW_STORY: &str = r#"{"headline": "Le port rouvre lundi", "body": "Les dockers reprennent le travail.", "section": "monde", "subjects": ["Bélarus"], "sources": [{"label": "Préfecture", "url": "https://prefecture.example/communique"}]}"#;

#[derive(Debug, Clone, Copy)]
enum Who {
    Anonymous,
    Contributor,
    Journalist,
    Editor,
    Admin,
}

const WHO: [(Who, &str); 5] = [
    (Who::Anonymous, ""),
    (Who::Contributor, "stagiaire@exemple.fr"),
    (Who::Journalist, "julie@exemple.fr"),
    (Who::Editor, "chef@exemple.fr"),
    (Who::Admin, "admin@exemple.fr"),
];

/// The routes that act as an account, and what each person's `write` token gets: the same
/// rules as the newsroom's forms. `{A}` is a draft of the journalist's, `{C}` a draft of the
/// contributor's, `{P}` a published story nobody in the newsroom wrote, `{R}` the first
/// revision of `{A}`, `{W}` a webhook, `{B}` the journalist's byline. Edits are sent with
/// `If-Match: *`.
const BY_ROLE: [(&str, &str, [u16; 5]); 71] = [
    //                                                    anon contrib journ editor admin
    ("GET", "/api/v1/me", [401, 200, 200, 200, 200]),
    // Everyone sees and revokes their own tokens; an administrator, anybody's. `{T}` is one of
    // the journalist's.
    ("GET", "/api/v1/tokens", [401, 200, 200, 200, 200]),
    ("DELETE", "/api/v1/tokens/{T}", [401, 404, 204, 404, 204]),
    // Everyone sees and ends their own browser sessions, nobody else's. `{E}` names none.
    ("GET", "/api/v1/sessions", [401, 200, 200, 200, 200]),
    ("DELETE", "/api/v1/sessions", [401, 200, 200, 200, 200]),
    ("DELETE", "/api/v1/sessions/{E}", [401, 404, 404, 404, 404]),
    // Everyone reads their own notifications and chooses what comes by email.
    ("GET", "/api/v1/notifications", [401, 200, 200, 200, 200]),
    (
        "POST",
        "/api/v1/notifications/read",
        [401, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/notifications/settings",
        [401, 200, 200, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/notifications/settings",
        [401, 200, 200, 200, 200],
    ),
    // Administrators take a second factor off an account (the journalist has none) and say
    // which roles must use one.
    (
        "DELETE",
        "/api/v1/accounts/{J}/two-factor",
        [401, 403, 409, 403, 409],
    ),
    (
        "GET",
        "/api/v1/accounts/two-factor-roles",
        [401, 403, 403, 403, 200],
    ),
    (
        "PUT",
        "/api/v1/accounts/two-factor-roles",
        [401, 403, 403, 403, 200],
    ),
    ("GET", "/api/v1/newsroom/stories", [401, 200, 200, 200, 200]),
    ("POST", "/api/v1/preview", [401, 200, 200, 200, 200]),
    ("GET", "/api/v1/audit", [401, 403, 403, 200, 200]),
    ("POST", "/api/v1/stories", [401, 201, 201, 201, 201]),
    // Only published stories are corrected, by editors.
    (
        "POST",
        "/api/v1/stories/{P}/corrections",
        [401, 403, 403, 201, 201],
    ),
    (
        "POST",
        "/api/v1/stories/{A}/corrections",
        [401, 403, 403, 409, 409],
    ),
    (
        "POST",
        "/api/v1/stories/{A}/actions/submit",
        [401, 403, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/stories/{C}/actions/submit",
        [401, 200, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/stories/{A}/actions/publish",
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/stories/{P}/actions/unpublish",
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/stories/{P}/actions/pin",
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/stories/{P}/actions/unpin",
        [401, 403, 403, 409, 409],
    ),
    (
        "POST",
        "/api/v1/stories/{A}/actions/return",
        [401, 403, 403, 409, 409],
    ),
    // Drafts are read and changed by their writer and by editors, as in the newsroom.
    (
        "GET",
        "/api/v1/stories/{A}/editable",
        [401, 403, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/stories/{C}/editable",
        [401, 200, 403, 200, 200],
    ),
    ("PATCH", "/api/v1/stories/{A}", [401, 403, 200, 200, 200]),
    ("PATCH", "/api/v1/stories/{C}", [401, 200, 403, 200, 200]),
    ("PATCH", "/api/v1/stories/{P}", [401, 403, 403, 200, 200]),
    (
        "GET",
        "/api/v1/stories/{A}/revisions",
        [401, 403, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/stories/{A}/revisions/{R}",
        [401, 403, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/stories/{A}/revisions/{R}/diff?from={R}",
        [401, 403, 200, 200, 200],
    ),
    (
        "POST",
        "/api/v1/stories/{A}/revisions/{R}/restore",
        [401, 403, 200, 200, 200],
    ),
    // Everyone adds to the media library and reads it; an image shown in a published story is
    // described by editors only. `{M}` is one.
    ("POST", "/api/v1/media", [401, 201, 201, 201, 201]),
    ("GET", "/api/v1/media", [401, 200, 200, 200, 200]),
    ("GET", "/api/v1/media/{M}", [401, 200, 200, 200, 200]),
    ("PATCH", "/api/v1/media/{M}", [401, 403, 403, 200, 200]),
    // Accounts, settings and webhooks are the administrators'. `{J}` is the journalist.
    ("GET", "/api/v1/accounts", [401, 403, 403, 403, 200]),
    ("POST", "/api/v1/accounts", [401, 403, 403, 403, 201]),
    ("PATCH", "/api/v1/accounts/{J}", [401, 403, 403, 403, 200]),
    // The journalist's account has its password: only accounts without one are invited.
    (
        "POST",
        "/api/v1/accounts/{J}/invitation",
        [401, 403, 403, 403, 409],
    ),
    (
        "POST",
        "/api/v1/accounts/invitations",
        [401, 403, 403, 403, 200],
    ),
    ("GET", "/api/v1/settings", [401, 403, 403, 403, 200]),
    ("PUT", "/api/v1/settings", [401, 403, 403, 403, 200]),
    ("GET", "/api/v1/webhooks", [401, 403, 403, 403, 200]),
    ("POST", "/api/v1/webhooks", [401, 403, 403, 403, 201]),
    (
        "GET",
        "/api/v1/webhooks/{W}/deliveries",
        [401, 403, 403, 403, 200],
    ),
    ("DELETE", "/api/v1/webhooks/{W}", [401, 403, 403, 403, 204]),
    // Sections are the editors'. `{S}` holds the published story; merging it into itself is
    // refused, and so is removing it.
    (
        "GET",
        "/api/v1/newsroom/sections",
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/newsroom/sections",
        [401, 403, 403, 201, 201],
    ),
    (
        "PUT",
        "/api/v1/newsroom/sections/order",
        [401, 403, 403, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/newsroom/sections/{S}",
        [401, 403, 403, 200, 200],
    ),
    (
        "DELETE",
        "/api/v1/newsroom/sections/{S}",
        [401, 403, 403, 409, 409],
    ),
    (
        "POST",
        "/api/v1/newsroom/sections/{S}/merge",
        [401, 403, 403, 409, 409],
    ),
    // The site's pages and the footer are the editors'.
    ("GET", "/api/v1/newsroom/pages", [401, 403, 403, 200, 200]),
    ("POST", "/api/v1/newsroom/pages", [401, 403, 403, 201, 201]),
    (
        "PUT",
        "/api/v1/newsroom/pages/footer",
        [401, 403, 403, 200, 200],
    ),
    // The front page is the editors'.
    (
        "GET",
        "/api/v1/newsroom/front-page",
        [401, 403, 403, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/newsroom/front-page",
        [401, 403, 403, 200, 200],
    ),
    // Everyone reads and describes their own byline; editors, every byline, and add guests'.
    ("GET", "/api/v1/newsroom/bylines", [401, 403, 403, 200, 200]),
    (
        "POST",
        "/api/v1/newsroom/bylines",
        [401, 403, 403, 201, 201],
    ),
    (
        "GET",
        "/api/v1/newsroom/bylines/me",
        [401, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/newsroom/bylines/{B}",
        [401, 403, 200, 200, 200],
    ),
    (
        "PUT",
        "/api/v1/newsroom/bylines/{B}",
        [401, 403, 200, 200, 200],
    ),
    // A published story's address is the editors' to change.
    (
        "POST",
        "/api/v1/stories/{P}/slug",
        [401, 403, 403, 200, 200],
    ),
    // So are redirects; the sites they may lead to are the administrators'. The fresh site has
    // no redirect to remove.
    (
        "GET",
        "/api/v1/newsroom/redirects",
        [401, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/api/v1/newsroom/redirects",
        [401, 403, 403, 201, 201],
    ),
    (
        "DELETE",
        "/api/v1/newsroom/redirects?old=/ancien-lien/",
        [401, 403, 403, 404, 404],
    ),
    (
        "PUT",
        "/api/v1/newsroom/redirects/hosts",
        [401, 403, 403, 403, 200],
    ),
];

/// A fresh site for one row of `BY_ROLE`, and the row's path with its placeholders filled.
async fn table_site(route: &str) -> (TestSite, String) {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let draft = write_story(&site, &julie, "Le brouillon de Julie", "Texte.").await;
    let lea = sign_in(&site, "stagiaire@exemple.fr").await;
    let own = write_story(&site, &lea, "Le brouillon de Léa", "Texte.").await;
    let first_revision = site
        .state
        .store
        .story_for_edit(ArticleId(
            draft.rsplit('/').next().unwrap().parse().unwrap(),
        ))
        .await
        .unwrap()
        .unwrap()
        .current_revision_id;
    let webhook = site
        .state
        .store
        .create_webhook(
            rotative_store::NewWebhook {
                url: "https://partenaire.example/hook",
                secret: "whsec_AAAA",
                events: &[rotative_domain::WebhookEvent::StoryPublished],
                created_by: None,
            },
            Audit::by(None, "webhook_add"),
        )
        .await
        .unwrap();
    let julies_account = site
        .state
        .store
        .user_by_email(&Email::parse("julie@exemple.fr").unwrap())
        .await
        .unwrap()
        .unwrap();
    let journalist = julies_account.id;
    let journalists_token = site
        .state
        .store
        .create_token(
            NewToken {
                owner: journalist,
                name: "Application mobile",
                scope: TokenScope::Read,
                token_hash: "0123",
            },
            Audit::by(None, "token_add"),
        )
        .await
        .unwrap();
    let byline = site
        .state
        .newsroom()
        .own_byline(&julies_account)
        .await
        .unwrap();
    let path = route
        .replace("{T}", &journalists_token.to_string())
        .replace("{J}", &journalist.to_string())
        .replace("{M}", "1")
        .replace("{W}", &webhook.to_string())
        .replace("{R}", &first_revision.to_string())
        .replace("{A}", draft.rsplit('/').next().unwrap())
        .replace("{C}", own.rsplit('/').next().unwrap())
        .replace("{P}", "1")
        .replace("{S}", "1")
        .replace("{E}", "0000")
        .replace("{B}", &byline.0.to_string());
    (site, path)
}

/// What a row of `BY_ROLE` sends: a valid body for the route, so only the rights decide.
fn table_body(method: &str, path: &str) -> &'static str {
    if path == "/api/v1/stories" {
        NEW_STORY
    } else if path.starts_with("/api/v1/media/") {
        r#"{"alt": "La place au matin."}"#
    } else if path == "/api/v1/accounts" {
        ACCOUNT_BODY
    } else if path == "/api/v1/notifications/settings" {
        r#"{"email": ["published", "corrected"], "daily_digest": false}"#
    } else if path == "/api/v1/accounts/two-factor-roles" {
        r#"{"roles": ["admin"]}"#
    } else if path.ends_with("/two-factor") {
        r#"{"code": "000000"}"#
    } else if path.starts_with("/api/v1/accounts/") {
        r#"{"role": "editor"}"#
    } else if path == "/api/v1/preview" {
        r#"{"body": "Un *texte* à relire."}"#
    } else if path == "/api/v1/settings" {
        r#"{"name": "Le Journal", "description": "Un journal.", "page_size": 12, "feed_full_text": true}"#
    } else if path == "/api/v1/newsroom/sections" || path.starts_with("/api/v1/newsroom/sections/1")
    {
        if path.ends_with("/merge") {
            r#"{"into": 1}"#
        } else {
            r#"{"name": "Le Port", "description": "Les nouvelles des quais."}"#
        }
    } else if path == "/api/v1/newsroom/bylines" && method == "POST" {
        r#"{"name": "Agence Baltique", "job_title": "Agence de presse"}"#
    } else if path.starts_with("/api/v1/newsroom/bylines") {
        r#"{"name": "Julie Martin", "job_title": "Journaliste", "fediverse": "@julie@piaille.fr"}"#
    } else if path.ends_with("/slug") {
        r#"{"slug": "Une autre adresse"}"#
    } else if path == "/api/v1/newsroom/redirects" && method == "POST" {
        r#"{"old": "/ancien-lien/", "target": "/monde/"}"#
    } else if path == "/api/v1/newsroom/redirects/hosts" {
        r#"{"allowed_hosts": ["archives.example"]}"#
    } else if path == "/api/v1/newsroom/pages" {
        r#"{"headline": "À propos", "body": "Qui nous sommes."}"#
    } else if path == "/api/v1/newsroom/front-page" {
        r#"{"slots": [null], "sections": []}"#
    } else if path == "/api/v1/newsroom/pages/footer" {
        r#"{"pages": []}"#
    } else if path == "/api/v1/newsroom/sections/order" {
        r#"{"sections": [1]}"#
    } else if method == "PATCH" {
        r#"{"standfirst": "Un chapeau ajouté par l'API."}"#
    } else if path.ends_with("/corrections") {
        NEW_NOTE
    } else if path == "/api/v1/webhooks" && method == "POST" {
        r#"{"url": "https://partenaire.example/autre", "events": ["story.published"]}"#
    } else {
        ""
    }
}

#[tokio::test]
async fn every_account_route_for_every_role() {
    let mut wrong = Vec::new();
    for (method, route, expected) in BY_ROLE {
        for ((who, email), status) in WHO.into_iter().zip(expected) {
            let (site, path) = table_site(route).await;
            let token = match who {
                Who::Anonymous => None,
                _ => Some(token_for(&site, email, TokenScope::Write).await),
            };
            let body = table_body(method, &path);
            let page = if path == "/api/v1/media" && method == "POST" {
                upload(&site, token.as_deref()).await
            } else {
                send_json(&site, method, &path, token.as_deref(), body).await
            };
            if page.status.as_u16() != status {
                wrong.push(format!(
                    "{method} {route} as {who:?}: {} instead of {status}: {}",
                    page.status.as_u16(),
                    page.body
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn tokens_act_as_their_account_until_revoked() {
    let site = newsroom().await;
    let none = with_token(&site, "GET", "/api/v1/me", None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        none.header("www-authenticate"),
        Some("Bearer realm=\"rotative\"")
    );
    assert_eq!(
        none.header("content-type"),
        Some("application/problem+json")
    );
    let unknown = with_token(&site, "GET", "/api/v1/me", Some("rotative_inconnu")).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.body, none.body,
        "nothing tells why a token is refused"
    );

    let reader = token_for(&site, "chef@exemple.fr", TokenScope::Read).await;
    let me = with_token(&site, "GET", "/api/v1/me", Some(&reader)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.header("cache-control"), Some("no-store"));
    let me: Value = serde_json::from_str(&me.body).unwrap();
    assert_eq!(me["name"], "Paul Chef");
    assert_eq!(me["role"], "editor");
    assert_eq!(me["scope"], "read");
    let refused = with_token(
        &site,
        "POST",
        "/api/v1/stories/1/actions/unpublish",
        Some(&reader),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("lecture"), "{}", refused.body);

    // Revoked in the newsroom, the token stops at once.
    let tokens = site.state.store.tokens(None).await.unwrap();
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let csrf = csrf(&site, &chef).await;
    let revoked = site
        .request(
            "POST",
            &format!("/redaction/jetons/{}/revocation", tokens[0].id),
            Some(&chef),
            Some(&[("csrf", csrf.as_str())]),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let after = with_token(&site, "GET", "/api/v1/me", Some(&reader)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_editor_publishes_through_the_api_and_readers_see_it() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let draft = write_story(&site, &julie, "Le port rouvre", "Les dockers reprennent.").await;
    let id = draft.rsplit('/').next().unwrap();
    let editor = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let bad_body = site
        .send(
            axum::http::Request::post(format!("/api/v1/stories/{id}/actions/publish"))
                .header("authorization", format!("Bearer {editor}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{\"revision\": \"la dernière\"}"))
                .unwrap(),
        )
        .await;
    assert_eq!(
        bad_body.status,
        StatusCode::BAD_REQUEST,
        "{}",
        bad_body.body
    );
    let not_json = site
        .send(
            axum::http::Request::post(format!("/api/v1/stories/{id}/actions/publish"))
                .header("authorization", format!("Bearer {editor}"))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from("publie"))
                .unwrap(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let unknown = with_token(
        &site,
        "POST",
        &format!("/api/v1/stories/{id}/actions/imprimer"),
        Some(&editor),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("imprimer"));

    let published = with_token(
        &site,
        "POST",
        &format!("/api/v1/stories/{id}/actions/publish"),
        Some(&editor),
    )
    .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    let state: Value = serde_json::from_str(&published.body).unwrap();
    assert_eq!(state["status"], "published");
    let page = site.get(&local(&state["url"])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Le port rouvre"));
    let home = site.get("/").await;
    assert!(
        home.body.contains("Le port rouvre"),
        "the page cache caught up"
    );
    let again = with_token(
        &site,
        "POST",
        &format!("/api/v1/stories/{id}/actions/publish"),
        Some(&editor),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.header("content-type"),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn a_journalist_writes_a_draft_through_the_api() {
    let site = newsroom().await;
    let julie = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let created = send_json(&site, "POST", "/api/v1/stories", Some(&julie), NEW_STORY).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let state: Value = serde_json::from_str(&created.body).unwrap();
    assert_eq!(state["status"], "draft");
    let id = ArticleId(state["id"].as_i64().unwrap());
    let draft = site.state.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(draft.headline.as_ref(), "Le port rouvre lundi");
    assert_eq!(draft.body_markdown, "Les dockers reprennent le travail.");
    assert_eq!(
        draft.authors[0].name.as_ref(),
        "Julie Martin",
        "the account signs by default"
    );
    assert_eq!(draft.sources[0].label, "Préfecture");
    // Hers, as if written in the newsroom: she may submit it, not publish it.
    let submit = format!("/api/v1/stories/{}/actions/submit", id.0);
    assert_eq!(
        with_token(&site, "POST", &submit, Some(&julie))
            .await
            .status,
        StatusCode::OK
    );
    let publish = format!("/api/v1/stories/{}/actions/publish", id.0);
    assert_eq!(
        with_token(&site, "POST", &publish, Some(&julie))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Each wrong field is named, in the API's words, and nothing is stored.
    let before = site.state.store.count_articles().await.unwrap();
    let invalid = send_json(
        &site,
        "POST",
        "/api/v1/stories",
        Some(&julie),
        r#"{"headline": "", "body": "Texte.", "section": "monde", "type": "roman"}"#,
    )
    .await;
    assert_eq!(
        invalid.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        invalid.body
    );
    let problem: Value = serde_json::from_str(&invalid.body).unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["headline", "type"]);
    for (body, status) in [
        (
            r#"{"headline": "Titre", "body": "Texte.", "section": "monde", "couleur": "bleu"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"headline": 12, "body": "Texte.", "section": "monde"}"#,
            StatusCode::BAD_REQUEST,
        ),
        ("{\"headline\": ", StatusCode::BAD_REQUEST),
        ("", StatusCode::BAD_REQUEST),
        (
            r#"{"headline": "Titre", "body": "Texte.", "section": "monde", "subjects": ["Paris, Lille"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let page = send_json(&site, "POST", "/api/v1/stories", Some(&julie), body).await;
        assert_eq!(page.status, status, "{body}: {}", page.body);
        assert_eq!(
            page.header("content-type"),
            Some("application/problem+json")
        );
    }
    let huge = format!(
        r#"{{"headline": "Titre", "body": "{}", "section": "monde"}}"#,
        "a".repeat(3 * 1024 * 1024)
    );
    let page = send_json(&site, "POST", "/api/v1/stories", Some(&julie), &huge).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        page.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(site.state.store.count_articles().await.unwrap(), before);
}

#[tokio::test]
async fn an_editor_corrects_in_public_through_the_api() {
    let site = newsroom().await;
    let editor = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let corrected = send_json(
        &site,
        "POST",
        "/api/v1/stories/1/corrections",
        Some(&editor),
        NEW_NOTE,
    )
    .await;
    assert_eq!(corrected.status, StatusCode::CREATED, "{}", corrected.body);
    let note: Value = serde_json::from_str(&corrected.body).unwrap();
    assert_eq!(note["note"], "Le port rouvre mardi, non lundi.");
    assert_eq!(note["kind"], "correction");
    let story = json(&site, "/api/v1/stories/1").await;
    assert_eq!(
        story["corrections"][0]["note"],
        "Le port rouvre mardi, non lundi."
    );
    let page = site.get(&local(&story["url"])).await;
    assert!(
        page.body.contains("Le port rouvre mardi, non lundi."),
        "the page cache caught up"
    );
    for (body, status) in [
        (
            r#"{"kind": "erratum", "note": "Texte."}"#,
            StatusCode::BAD_REQUEST,
        ),
        (r#"{"kind": "update", "note": ""}"#, StatusCode::BAD_REQUEST),
        (r#"{"kind": "update"}"#, StatusCode::BAD_REQUEST),
    ] {
        let page = send_json(
            &site,
            "POST",
            "/api/v1/stories/1/corrections",
            Some(&editor),
            body,
        )
        .await;
        assert_eq!(page.status, status, "{body}: {}", page.body);
    }
    let story = json(&site, "/api/v1/stories/1").await;
    assert_eq!(
        story["corrections"].as_array().unwrap().len(),
        1,
        "refusals store nothing"
    );
}

/// Sends `body` as an edit from the revision `tag` names.
async fn patch(site: &TestSite, id: i64, token: &str, tag: &str, body: &str) -> Page {
    site.send(
        axum::http::Request::patch(format!("/api/v1/stories/{id}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("if-match", tag)
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

/// A site with a draft of Julie's written through the API: its id, the `ETag` of its first
/// revision, Julie's token and an editor's.
async fn draft_through_the_api() -> (TestSite, i64, String, String, String) {
    let site = newsroom().await;
    let julie = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let editor = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let created = send_json(&site, "POST", "/api/v1/stories", Some(&julie), NEW_STORY).await;
    let id = serde_json::from_str::<Value>(&created.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let read = with_token(
        &site,
        "GET",
        &format!("/api/v1/stories/{id}/editable"),
        Some(&julie),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let first = read.header("etag").unwrap().to_owned();
    let story: Value = serde_json::from_str(&read.body).unwrap();
    assert_eq!(first, format!("\"rev-{}\"", story["revision"]));
    assert_eq!(story["status"], "draft");
    assert_eq!(story["subjects"][0], "Bélarus");
    assert_eq!(
        story["sources"][0]["url"],
        "https://prefecture.example/communique"
    );
    (site, id, first, julie, editor)
}

/// Julie's second text: the body changed, a standfirst added. Gives its `ETag`.
async fn second_text(site: &TestSite, id: i64, julie: &str, first: &str) -> String {
    let edited = patch(
        site,
        id,
        julie,
        first,
        r#"{"body": "Les dockers reprennent le travail lundi.", "standfirst": "Fin de la grève."}"#,
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let second = edited.header("etag").unwrap().to_owned();
    assert_ne!(second, first);
    let story: Value = serde_json::from_str(&edited.body).unwrap();
    assert_eq!(story["headline"], "Le port rouvre lundi", "the rest stays");
    assert_eq!(story["standfirst"], "Fin de la grève.");
    assert_eq!(story["subjects"][0], "Bélarus");
    second
}

#[tokio::test]
async fn edits_wait_for_the_revision_they_were_made_from() {
    let (site, id, first, julie, editor) = draft_through_the_api().await;
    let second = second_text(&site, id, &julie, &first).await;
    // The editor, who read the first revision, is refused: the newer text stays, his is kept.
    let stale = patch(
        &site,
        id,
        &editor,
        &first,
        r#"{"body": "Les dockers reprennent mardi."}"#,
    )
    .await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    assert_eq!(stale.header("etag"), Some(second.as_str()));
    assert_eq!(
        stale.header("content-type"),
        Some("application/problem+json")
    );
    assert!(stale.body.contains("pas perdu"), "{}", stale.body);
    let current = site
        .state
        .store
        .story_for_edit(ArticleId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        current.body_markdown,
        "Les dockers reprennent le travail lundi."
    );
    let history = with_token(
        &site,
        "GET",
        &format!("/api/v1/stories/{id}/revisions"),
        Some(&editor),
    )
    .await;
    let history: Value = serde_json::from_str(&history.body).unwrap();
    let revisions = history["revisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 3);
    let kept = revisions.iter().find(|r| r["conflict"] == true).unwrap();
    let kept_text = with_token(
        &site,
        "GET",
        &format!("/api/v1/stories/{id}/revisions/{}", kept["id"]),
        Some(&editor),
    )
    .await;
    assert!(
        kept_text.body.contains("reprennent mardi"),
        "{}",
        kept_text.body
    );
}

#[tokio::test]
async fn edits_without_a_readable_if_match_write_nothing() {
    let (site, id, _, _, editor) = draft_through_the_api().await;
    // Without If-Match, or with a tag that names no revision, nothing is written.
    let blind = send_json(
        &site,
        "PATCH",
        &format!("/api/v1/stories/{id}"),
        Some(&editor),
        r#"{"body": "Écrasé."}"#,
    )
    .await;
    assert_eq!(blind.status, StatusCode::OK, "If-Match: * is a choice");
    for (tag, body, status) in [
        (
            "",
            r#"{"body": "Sans version."}"#,
            StatusCode::PRECONDITION_REQUIRED,
        ),
        (
            "W/\"rev-1\"",
            r#"{"body": "Faible."}"#,
            StatusCode::PRECONDITION_FAILED,
        ),
        ("*", r#"{"couleur": "bleu"}"#, StatusCode::BAD_REQUEST),
        ("*", r#"{"headline": ""}"#, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let mut request = axum::http::Request::patch(format!("/api/v1/stories/{id}"))
            .header("authorization", format!("Bearer {editor}"))
            .header("content-type", "application/json");
        if !tag.is_empty() {
            request = request.header("if-match", tag);
        }
        let page = site
            .send(request.body(axum::body::Body::from(body)).unwrap())
            .await;
        assert_eq!(page.status, status, "{tag} {body}: {}", page.body);
    }
    let current = site
        .state
        .store
        .story_for_edit(ArticleId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.body_markdown, "Écrasé.");
}

#[tokio::test]
async fn revisions_are_compared_and_restored_through_the_api() {
    let (site, id, first, julie, editor) = draft_through_the_api().await;
    let second = second_text(&site, id, &julie, &first).await;
    // What changed between the first and second revisions, word by word.
    let diff = with_token(
        &site,
        "GET",
        &format!(
            "/api/v1/stories/{id}/revisions/{}/diff",
            second.trim_matches('"').trim_start_matches("rev-")
        ),
        Some(&editor),
    )
    .await;
    assert_eq!(diff.status, StatusCode::OK, "{}", diff.body);
    let diff: Value = serde_json::from_str(&diff.body).unwrap();
    let added: Vec<&str> = diff["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|segment| segment["kind"] == "added")
        .map(|segment| segment["text"].as_str().unwrap())
        .collect();
    assert_eq!(added.concat().trim(), "travail lundi.");
    assert_eq!(diff["body"][0]["kind"], "same");
    assert_eq!(diff["standfirst"][0]["text"], "Fin de la grève.");

    // Restoring Julie's first text makes it the story's again, as a new revision.
    let first_id = first.trim_matches('"').trim_start_matches("rev-");
    let restored = with_token(
        &site,
        "POST",
        &format!("/api/v1/stories/{id}/revisions/{first_id}/restore"),
        Some(&julie),
    )
    .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    let story: Value = serde_json::from_str(&restored.body).unwrap();
    assert_eq!(story["body"], "Les dockers reprennent le travail.");
}

#[tokio::test]
async fn an_administrator_manages_webhooks_through_the_api() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let admin = token_for(&site, "admin@exemple.fr", TokenScope::Write).await;
    for (body, status) in [
        (
            r#"{"url": "https://partenaire.example/hook", "events": ["story.deleted"]}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"url": "https://journal.example/hook", "events": ["story.published"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"url": "gopher://partenaire.example/", "events": ["story.published"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"url": "https://partenaire.example/hook", "events": []}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let page = send_json(&site, "POST", "/api/v1/webhooks", Some(&admin), body).await;
        assert_eq!(page.status, status, "{body}: {}", page.body);
    }
    let created = send_json(
        &site,
        "POST",
        "/api/v1/webhooks",
        Some(&admin),
        r#"{"url": "https://partenaire.example/hook", "events": ["story.published", "story.updated"]}"#,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created: Value = serde_json::from_str(&created.body).unwrap();
    assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
    assert_eq!(created["events"][1], "story.updated");
    let id = created["id"].as_i64().unwrap();

    let editor = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let published = with_token(
        &site,
        "POST",
        "/api/v1/stories/1/actions/unpublish",
        Some(&editor),
    )
    .await;
    assert_eq!(published.status, StatusCode::OK);
    let republished = with_token(
        &site,
        "POST",
        "/api/v1/stories/1/actions/publish",
        Some(&editor),
    )
    .await;
    assert_eq!(republished.status, StatusCode::OK, "{}", republished.body);
    let log = with_token(
        &site,
        "GET",
        &format!("/api/v1/webhooks/{id}/deliveries"),
        Some(&admin),
    )
    .await;
    let log: Value = serde_json::from_str(&log.body).unwrap();
    let deliveries = log["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 1, "unpublishing was not asked for: {log}");
    assert_eq!(deliveries[0]["event"], "story.published");
    assert_eq!(deliveries[0]["status"], "pending");
    assert_eq!(log["webhook"]["pending"], 1);

    let removed = with_token(
        &site,
        "DELETE",
        &format!("/api/v1/webhooks/{id}"),
        Some(&admin),
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let list = with_token(&site, "GET", "/api/v1/webhooks", Some(&admin)).await;
    assert_eq!(list.body, r#"{"webhooks":[]}"#);
}

#[tokio::test]
async fn a_journalist_uploads_and_places_an_image_through_the_api() {
    let site = newsroom().await;
    let julie = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let uploaded = upload(&site, Some(&julie)).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let media: Value = serde_json::from_str(&uploaded.body).unwrap();
    assert_eq!(media["alt"], "Une place au petit matin");
    let files = media["files"].as_array().unwrap();
    assert!(files.len() > 1, "resized copies and the original: {media}");
    assert!(files.iter().all(|file| {
        file["url"]
            .as_str()
            .unwrap()
            .starts_with("https://journal.example/")
    }));
    let markdown = media["markdown"].as_str().unwrap();
    assert!(
        markdown.starts_with("![Une place au petit matin](media:"),
        "{markdown}"
    );

    // The image goes into a draft by its Markdown, as from the editor.
    let story = format!(
        r#"{{"headline": "La place au matin", "body": "Le marché ouvre.\n\n{}", "section": "monde"}}"#,
        markdown.replace('"', "\\\"")
    );
    let created = send_json(&site, "POST", "/api/v1/stories", Some(&julie), &story).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);

    // Her own image, in no published story: she describes it.
    let id = media["id"].as_i64().unwrap();
    let described = send_json(
        &site,
        "PATCH",
        &format!("/api/v1/media/{id}"),
        Some(&julie),
        r#"{"alt": "La place du marché au petit matin", "caption": "Le marché, à l'aube"}"#,
    )
    .await;
    assert_eq!(described.status, StatusCode::OK, "{}", described.body);
    let described: Value = serde_json::from_str(&described.body).unwrap();
    assert_eq!(described["caption"], "Le marché, à l'aube");
    assert_eq!(
        described["credit"], "Illustration Rotative",
        "a field left out stays"
    );

    let not_an_image = {
        let (content_type, body) = crate::helpers::multipart(&[crate::helpers::Part::File(
            "file",
            "notes.jpg",
            b"ceci n'est pas une image",
        )]);
        site.send(
            axum::http::Request::post("/api/v1/media")
                .header("content-type", content_type)
                .header("authorization", format!("Bearer {julie}"))
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await
    };
    assert!(
        not_an_image.status.is_client_error(),
        "{}",
        not_an_image.status
    );
    assert_eq!(
        not_an_image.header("content-type"),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn an_administrator_runs_accounts_and_settings_through_the_api() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let admin = token_for(&site, "admin@exemple.fr", TokenScope::Write).await;
    let added = send_json(
        &site,
        "POST",
        "/api/v1/accounts",
        Some(&admin),
        ACCOUNT_BODY,
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let again = send_json(
        &site,
        "POST",
        "/api/v1/accounts",
        Some(&admin),
        ACCOUNT_BODY,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "the address is taken");
    let invited: serde_json::Value = serde_json::from_str(&added.body).unwrap();
    let recruit = invited["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["email"] == "nouveau@exemple.fr")
        .unwrap();
    assert_eq!(recruit["active"], false, "until the link sets a password");
    let letters = site.state.store.claim_due_letters(60, 10).await.unwrap();
    assert_eq!(letters.len(), 1, "the invitation waits in the outbox");
    assert_eq!(letters[0].to_address, "nouveau@exemple.fr");
    let old_field = send_json(
        &site,
        "POST",
        "/api/v1/accounts",
        Some(&admin),
        r#"{"email": "autre@exemple.fr", "name": "Autre", "role": "editor", "password": "provisoire-1234"}"#,
    )
    .await;
    assert_eq!(
        old_field.status,
        StatusCode::BAD_REQUEST,
        "no password is given any more"
    );
    let again = send_json(
        &site,
        "POST",
        &format!("/api/v1/accounts/{}/invitation", recruit["id"]),
        Some(&admin),
        "",
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let me = site
        .state
        .store
        .user_by_email(&Email::parse("admin@exemple.fr").unwrap())
        .await
        .unwrap()
        .unwrap();
    let demoted = send_json(
        &site,
        "PATCH",
        &format!("/api/v1/accounts/{}", me.id),
        Some(&admin),
        r#"{"role": "journalist"}"#,
    )
    .await;
    assert_eq!(demoted.status, StatusCode::CONFLICT, "{}", demoted.body);

    let changed = send_json(
        &site,
        "PUT",
        "/api/v1/settings",
        Some(&admin),
        r#"{"name": "La Gazette du port", "description": "Les nouvelles du port.", "page_size": 12, "feed_full_text": false}"#,
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(
        site.get("/").await.body.contains("La Gazette du port"),
        "the pages follow at once"
    );
    let out_of_bounds = send_json(
        &site,
        "PUT",
        "/api/v1/settings",
        Some(&admin),
        r#"{"name": "", "description": "", "page_size": 500, "feed_full_text": false}"#,
    )
    .await;
    assert_eq!(out_of_bounds.status, StatusCode::UNPROCESSABLE_ENTITY);
    let settings = with_token(&site, "GET", "/api/v1/settings", Some(&admin)).await;
    let settings: Value = serde_json::from_str(&settings.body).unwrap();
    assert_eq!(settings["name"], "La Gazette du port", "nothing changed");
}

#[tokio::test]
async fn the_wordpress_api_numbers_stories_written_here_apart() {
    let site = site().await;
    let index = json(&site, "/wp-json/").await;
    assert_eq!(index["namespaces"], serde_json::json!(["wp/v2"]));
    let page = site.get("/wp-json/wp/v2/posts?per_page=2").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("x-wp-total"), Some("5"));
    assert_eq!(page.header("x-wp-totalpages"), Some("3"));
    let posts: Value = serde_json::from_str(&page.body).unwrap();
    let first = &posts[0];
    let id = first["id"].as_i64().unwrap();
    assert!(id > 1_000_000_000, "written here, not imported: {id}");
    let one = json(&site, &format!("/wp-json/wp/v2/posts/{id}")).await;
    assert_eq!(one["title"], first["title"]);
    assert_eq!(one["type"], "post");
    for (uri, status, code) in [
        (
            "/wp-json/wp/v2/posts?per_page=500",
            400,
            "rest_invalid_param",
        ),
        ("/wp-json/wp/v2/posts?after=hier", 400, "rest_invalid_param"),
        ("/wp-json/wp/v2/posts/123", 404, "rest_post_invalid_id"),
        ("/wp-json/wp/v2/categories/999", 404, "rest_term_invalid"),
    ] {
        let page = site.get(uri).await;
        assert_eq!(page.status.as_u16(), status, "{uri}");
        let error: Value = serde_json::from_str(&page.body).unwrap();
        assert_eq!(error["code"], code, "{uri}");
        assert_eq!(error["data"]["status"], status);
    }
}

#[tokio::test]
async fn the_dashboard_preview_and_log_through_the_api() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    write_story(&site, &julie, "Le brouillon de Julie", "Texte.").await;
    let lea = sign_in(&site, "stagiaire@exemple.fr").await;
    write_story(&site, &lea, "Le brouillon de Léa", "Texte.").await;

    let contributor = token_for(&site, "stagiaire@exemple.fr", TokenScope::Read).await;
    let hers = json_with(&site, "/api/v1/newsroom/stories", &contributor).await;
    let headlines: Vec<&str> = hers["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|story| story["headline"].as_str().unwrap())
        .collect();
    assert_eq!(
        headlines,
        ["Le brouillon de Léa"],
        "a contributor's own only"
    );
    let editor = token_for(&site, "chef@exemple.fr", TokenScope::Read).await;
    let drafts = json_with(&site, "/api/v1/newsroom/stories?status=draft", &editor).await;
    assert_eq!(drafts["stories"].as_array().unwrap().len(), 2);
    assert!(
        drafts["counts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|count| count["status"] == "published" && count["count"] == 1)
    );
    let wrong = with_token(
        &site,
        "GET",
        "/api/v1/newsroom/stories?status=perdu",
        Some(&editor),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);

    let preview = send_json(
        &site,
        "POST",
        "/api/v1/preview",
        Some(&contributor),
        r#"{"body": "Un *texte* à relire."}"#,
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("<em>texte</em>"), "{}", preview.body);
    let missing_image = send_json(
        &site,
        "POST",
        "/api/v1/preview",
        Some(&contributor),
        r#"{"body": "![Une place](media:inconnue.jpg)"}"#,
    )
    .await;
    assert_eq!(missing_image.status, StatusCode::UNPROCESSABLE_ENTITY);

    let log = json_with(&site, "/api/v1/audit", &editor).await;
    assert!(
        log["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|line| line["action"] == "create" && line["by"] == "Julie Martin"),
        "{log}"
    );
}

async fn json_with(site: &TestSite, uri: &str, token: &str) -> Value {
    let page = with_token(site, "GET", uri, Some(token)).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

#[tokio::test]
async fn a_read_token_gives_up_itself_and_nothing_else() {
    let site = newsroom().await;
    let writer = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let reader = token_for(&site, "chef@exemple.fr", TokenScope::Read).await;
    let list = json_with(&site, "/api/v1/tokens", &reader).await;
    let ids: Vec<i64> = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|token| token["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{list}");
    // Newest first: the reader's own, then the writer's.
    let (own, other) = (ids[0], ids[1]);
    let refused = with_token(
        &site,
        "DELETE",
        &format!("/api/v1/tokens/{other}"),
        Some(&reader),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        with_token(&site, "GET", "/api/v1/me", Some(&writer))
            .await
            .status,
        StatusCode::OK
    );
    let gave_up = with_token(
        &site,
        "DELETE",
        &format!("/api/v1/tokens/{own}"),
        Some(&reader),
    )
    .await;
    assert_eq!(gave_up.status, StatusCode::NO_CONTENT);
    assert_eq!(
        with_token(&site, "GET", "/api/v1/me", Some(&reader))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

/// What a `(method, uri, body)` request with this token answers, when its status is the one
/// expected.
async fn answer(
    site: &TestSite,
    token: &str,
    (method, uri, body): (&str, &str, &str),
    status: u16,
) -> Value {
    let page = send_json(site, method, uri, Some(token), body).await;
    assert_eq!(
        page.status.as_u16(),
        status,
        "{method} {uri}: {}",
        page.body
    );
    serde_json::from_str(&page.body).unwrap()
}

/// Each old address answers 301 with the new one.
async fn follows(site: &TestSite, moves: &[(&str, &str)]) {
    for (old, new) in moves {
        let page = site.get(old).await;
        assert_eq!(page.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(page.header("location"), Some(*new), "{old}");
    }
}

#[tokio::test]
async fn sections_as_typed_are_checked_through_the_api() {
    let site = newsroom().await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    // A slug taken, an address for a slug, a page of the site's, no name.
    for (body, status) in [
        (
            r#"{"name": "Autre", "slug": "monde"}"#,
            StatusCode::CONFLICT,
        ),
        (
            r#"{"name": "Autre", "slug": "../admin"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (r#"{"name": "Recherche"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (r#"{"name": ""}"#, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let refused = send_json(
            &site,
            "POST",
            "/api/v1/newsroom/sections",
            Some(&chef),
            body,
        )
        .await;
        assert_eq!(refused.status, status, "{body}: {}", refused.body);
        assert!(refused.body.contains("\"detail\""), "{}", refused.body);
    }
}

#[tokio::test]
async fn an_editor_renames_merges_and_orders_sections_and_old_addresses_follow() {
    let site = newsroom().await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let story = site.first_article_path().await;
    assert!(story.starts_with("/monde/"), "{story}");
    let list = answer(&site, &chef, ("GET", "/api/v1/newsroom/sections", ""), 200).await;
    let monde = &list["sections"][0];
    assert_eq!(
        (monde["slug"].as_str(), monde["published"].as_u64()),
        (Some("monde"), Some(1))
    );
    let id = monde["id"].as_i64().unwrap();

    let section_uri = format!("/api/v1/newsroom/sections/{id}");
    let renamed = r#"{"name": "International", "slug": "International", "description": "Le monde vu du port."}"#;
    let renamed = answer(&site, &chef, ("PUT", &section_uri, renamed), 200).await;
    assert_eq!(renamed["slug"], "international", "capitals are folded");
    let moved_story = story.replacen("/monde/", "/international/", 1);
    follows(
        &site,
        &[
            ("/monde/", "/international/"),
            ("/monde", "/international/"),
            ("/monde/?page=2", "/international/?page=2"),
            ("/monde/feed.atom", "/international/feed.atom"),
            (story.as_str(), moved_story.as_str()),
        ],
    )
    .await;
    let section = site.get("/international/").await;
    assert_eq!(section.status, StatusCode::OK);
    assert!(
        section.body.contains("Le monde vu du port."),
        "the description is shown"
    );
    assert_eq!(site.get(&moved_story).await.status, StatusCode::OK);
    let feed = site.get("/international/feed.atom").await;
    assert!(
        feed.body.contains("Le monde vu du port."),
        "and in the feed"
    );

    let culture = (
        "POST",
        "/api/v1/newsroom/sections",
        r#"{"name": "Culture"}"#,
    );
    let culture = answer(&site, &chef, culture, 201).await;
    let culture_id = culture["id"].as_i64().unwrap();
    let order = format!(r#"{{"sections": [{culture_id}, {id}]}}"#);
    let order = ("PUT", "/api/v1/newsroom/sections/order", order.as_str());
    let ordered = answer(&site, &chef, order, 200).await;
    assert_eq!(ordered["sections"][0]["slug"], "culture");

    let holding = with_token(
        &site,
        "DELETE",
        &format!("/api/v1/newsroom/sections/{id}"),
        Some(&chef),
    )
    .await;
    assert_eq!(
        holding.status,
        StatusCode::CONFLICT,
        "only a merge takes it away"
    );
    let merged = send_json(
        &site,
        "POST",
        &format!("/api/v1/newsroom/sections/{id}/merge"),
        Some(&chef),
        &format!(r#"{{"into": {culture_id}}}"#),
    )
    .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    let merged: Value = serde_json::from_str(&merged.body).unwrap();
    assert_eq!(merged["published"], 1);
    let in_culture = story.replacen("/monde/", "/culture/", 1);
    // One step, never a chain.
    follows(
        &site,
        &[
            ("/monde/", "/culture/"),
            ("/international/feed.atom", "/culture/feed.atom"),
            (story.as_str(), in_culture.as_str()),
            (moved_story.as_str(), in_culture.as_str()),
        ],
    )
    .await;
    assert!(navigation(&site.get("/").await.body).contains("/culture/"));
    let journal = with_token(&site, "GET", "/api/v1/audit", Some(&chef)).await;
    assert!(journal.body.contains("section_merge"), "{}", journal.body);
}

/// The site's navigation in a page.
fn navigation(body: &str) -> String {
    let start = body.find("<nav class=\"sections\"").unwrap();
    body[start..start + body[start..].find("</nav>").unwrap()].to_owned()
}

#[tokio::test]
async fn a_hidden_section_keeps_its_page_and_an_empty_one_is_removed() {
    let site = newsroom().await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let id = 1;
    assert!(navigation(&site.get("/").await.body).contains("/monde/"));

    let hidden = send_json(
        &site,
        "PUT",
        &format!("/api/v1/newsroom/sections/{id}"),
        Some(&chef),
        r#"{"name": "Monde", "in_navigation": false}"#,
    )
    .await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.body);
    assert!(
        !navigation(&site.get("/").await.body).contains("/monde/"),
        "hidden from the navigation"
    );
    assert_eq!(
        site.get("/monde/").await.status,
        StatusCode::OK,
        "its page stays"
    );

    let empty = send_json(
        &site,
        "POST",
        "/api/v1/newsroom/sections",
        Some(&chef),
        r#"{"name": "Vide"}"#,
    )
    .await;
    let empty: Value = serde_json::from_str(&empty.body).unwrap();
    let removed = with_token(
        &site,
        "DELETE",
        &format!("/api/v1/newsroom/sections/{}", empty["id"]),
        Some(&chef),
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn redirects_are_added_flat_counted_and_kept_on_the_site() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let admin = token_for(&site, "admin@exemple.fr", TokenScope::Write).await;
    let story = site.first_article_path().await;
    let add = |old: &str, target: &str| format!(r#"{{"old": "{old}", "target": "{target}"}}"#);
    let uri = "/api/v1/newsroom/redirects";
    let first = answer(
        &site,
        &chef,
        ("POST", uri, &add("/2019/05/ancien/", &story)),
        201,
    )
    .await;
    assert_eq!(first["target"], story.as_str());
    // A redirect to a redirected address leads where that one leads.
    let base = site.state.site().base_url.clone();
    let chained = add(&format!("{base}/tres-ancien/"), "/2019/05/ancien/");
    let second = answer(&site, &chef, ("POST", uri, &chained), 201).await;
    assert_eq!(
        (second["old"].as_str(), second["target"].as_str()),
        (Some("/tres-ancien/"), Some(story.as_str()))
    );
    follows(
        &site,
        &[
            ("/tres-ancien/", story.as_str()),
            ("/2019/05/ancien/", story.as_str()),
        ],
    )
    .await;
    for (body, status) in [
        (add("/boucle/", "/tres-ancien/"), 201),
        (add(&story, "/ailleurs/"), 409),
        (add("/2019/05/ancien/", "/ailleurs/"), 409),
        (add("/ailleurs/", "https://archives.example/x"), 422),
        (add("ancien", "/x/"), 422),
        (add("/redaction/", "/x/"), 422),
    ] {
        let page = send_json(&site, "POST", uri, Some(&chef), &body).await;
        assert_eq!(page.status.as_u16(), status, "{body}: {}", page.body);
    }
    only_administrators_allow_other_sites(&site, &chef, &admin).await;

    site.state.flush_redirect_hits().await.unwrap();
    let list = answer(
        &site,
        &chef,
        ("GET", "/api/v1/newsroom/redirects?q=ANCIEN", ""),
        200,
    )
    .await;
    let counted: Vec<(&str, u64)> = list["redirects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["old"].as_str().unwrap(),
                r["hits_30_days"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counted, [("/2019/05/ancien/", 1), ("/tres-ancien/", 1)]);
    let removed = with_token(
        &site,
        "DELETE",
        "/api/v1/newsroom/redirects?old=/tres-ancien/",
        Some(&chef),
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        site.get("/tres-ancien/").await.status,
        StatusCode::NOT_FOUND
    );
}

/// An editor cannot let redirects lead to another site; an administrator can.
async fn only_administrators_allow_other_sites(site: &TestSite, chef: &str, admin: &str) {
    let add = |old: &str, target: &str| format!(r#"{{"old": "{old}", "target": "{target}"}}"#);
    let uri = "/api/v1/newsroom/redirects";
    let hosts = r#"{"allowed_hosts": ["https://Archives.example/"]}"#;
    let refused = send_json(
        site,
        "PUT",
        "/api/v1/newsroom/redirects/hosts",
        Some(chef),
        hosts,
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "the administrators' choice"
    );
    let allowed = answer(
        site,
        admin,
        ("PUT", "/api/v1/newsroom/redirects/hosts", hosts),
        200,
    )
    .await;
    assert_eq!(allowed["allowed_hosts"][0], "archives.example");
    answer(
        site,
        chef,
        (
            "POST",
            uri,
            &add("/ailleurs/", "https://archives.example/x"),
        ),
        201,
    )
    .await;
    follows(site, &[("/ailleurs/", "https://archives.example/x")]).await;
}

#[tokio::test]
async fn an_editor_changes_a_published_storys_address_and_the_former_one_follows() {
    let site = newsroom().await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let julie = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let story = site.first_article_path().await;
    let redirects = "/api/v1/newsroom/redirects";
    let to_story = format!(r#"{{"old": "/ancien-lien/", "target": "{story}"}}"#);
    answer(&site, &chef, ("POST", redirects, &to_story), 201).await;
    let uri = "/api/v1/stories/1/slug";
    let body = r#"{"slug": "Le port rouvre lundi"}"#;
    let refused = send_json(&site, "POST", uri, Some(&julie), body).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "a journalist's token"
    );
    let changed = answer(&site, &chef, ("POST", uri, body), 200).await;
    let moved = story.rsplit_once('/').unwrap().0.to_owned() + "/le-port-rouvre-lundi";
    assert!(
        changed["url"].as_str().unwrap().ends_with(&moved),
        "{changed}"
    );
    follows(
        &site,
        &[
            (story.as_str(), moved.as_str()),
            ("/ancien-lien/", moved.as_str()),
        ],
    )
    .await;
    assert_eq!(site.get(&moved).await.status, StatusCode::OK);
    // Back to the first address: it is the story's again, and never a loop.
    let former = story.rsplit('/').next().unwrap();
    let back = format!(r#"{{"slug": "{former}"}}"#);
    answer(&site, &chef, ("POST", uri, &back), 200).await;
    assert_eq!(site.get(&story).await.status, StatusCode::OK);
    follows(
        &site,
        &[
            (moved.as_str(), story.as_str()),
            ("/ancien-lien/", story.as_str()),
        ],
    )
    .await;
    for (body, status) in [(r#"{"slug": "« »"}"#, 422), (r#"{"slug": 3}"#, 400)] {
        let page = send_json(&site, "POST", uri, Some(&chef), body).await;
        assert_eq!(page.status.as_u16(), status, "{body}: {}", page.body);
    }
}

/// A byline with a published story, through the editors' list: its id and its page.
async fn published_byline(site: &TestSite, chef: &str) -> (i64, String) {
    let list = answer(site, chef, ("GET", "/api/v1/newsroom/bylines", ""), 200).await;
    let byline = list["bylines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|byline| byline["published"].as_u64() > Some(0))
        .expect("the imported story's byline");
    let url = byline["url"].as_str().unwrap();
    let path = url
        .find("/auteur/")
        .map(|at| &url[at..])
        .unwrap()
        .to_owned();
    (byline["id"].as_i64().unwrap(), path)
}

#[tokio::test]
async fn a_profile_is_checked_then_shown_in_the_page_and_its_json_ld() {
    let site = newsroom().await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let key = answer(&site, &chef, ("GET", "/api/v1/media/1", ""), 200).await["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let (id, page) = published_byline(&site, &chef).await;
    let uri = format!("/api/v1/newsroom/bylines/{id}");
    let without_alt = format!(r#"{{"name": "Claire Dubois", "photo": "media:{key}"}}"#);
    let refused = answer(&site, &chef, ("PUT", &uri, &without_alt), 422).await;
    assert_eq!(refused["errors"][0]["field"], "photo_alt", "{refused}");
    let elsewhere =
        r#"{"name": "Claire Dubois", "photo": "media:absente.jpg", "photo_alt": "Un portrait"}"#;
    let refused = answer(&site, &chef, ("PUT", &uri, elsewhere), 422).await;
    assert_eq!(refused["errors"][0]["field"], "photo", "{refused}");

    let profile = serde_json::json!({
        "name": "Claire Dubois",
        "job_title": "Correspondante à Vilnius",
        "bio": "Elle couvre les *pays baltes*.",
        "photo": format!("media:{key}"),
        "photo_alt": "Claire Dubois sur le port",
        "website": "https://claire.example.org/",
        "fediverse": "@claire@piaille.fr",
    });
    let saved = answer(&site, &chef, ("PUT", &uri, &profile.to_string()), 200).await;
    assert_eq!(saved["photo"]["key"], key.as_str());
    assert_eq!(saved["fediverse"], "https://piaille.fr/@claire");

    let html = site.get(&page).await.body;
    assert!(html.contains("<a href=\"https://piaille.fr/@claire\" rel=\"me\">"));
    let jsonld = page_jsonld(&html);
    let person = &jsonld["mainEntity"];
    assert_eq!(jsonld["@type"], "ProfilePage");
    assert_eq!(person["jobTitle"], "Correspondante à Vilnius");
    assert_eq!(person["description"], "Elle couvre les pays baltes.");
    assert_eq!(
        person["sameAs"],
        serde_json::json!(["https://claire.example.org/", "https://piaille.fr/@claire"])
    );
    assert!(person["image"]["url"].as_str().unwrap().contains("/media/"));
    let story = site.get(&site.first_article_path().await).await.body;
    assert!(story.contains("Qui signe cet article"), "{story}");
    assert!(story.contains("Correspondante à Vilnius"));
}

/// A page's JSON-LD.
fn page_jsonld(html: &str) -> Value {
    let text = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    serde_json::from_str(text).unwrap()
}

/// The card a shared link makes of a page: its Open Graph headline and description.
fn shared_card(html: &str) -> (Option<&str>, Option<&str>) {
    (
        meta_content(html, "property=\"og:title\""),
        meta_content(html, "property=\"og:description\""),
    )
}

/// The `content` of the first `<meta>` whose attributes start with `name_attribute`.
fn meta_content<'a>(html: &'a str, name_attribute: &str) -> Option<&'a str> {
    let rest = &html[html.find(&format!("<meta {name_attribute} content=\""))?..];
    let value = &rest[rest.find("content=\"")? + "content=\"".len()..];
    value.split('"').next()
}

#[tokio::test]
async fn headlines_for_search_and_sharing_are_checked() {
    let (site, id, first, _julie, editor) = draft_through_the_api().await;
    let long = "a".repeat(111);
    let refused = patch(
        &site,
        id,
        &editor,
        &first,
        &format!(r#"{{"search_headline": "{long}", "social_headline": "Deux\nlignes"}}"#),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(
        problem["errors"][0]["field"], "search_headline",
        "{problem}"
    );
    assert_eq!(problem["errors"][1]["field"], "social_headline");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("110 caractères"),
        "{problem}"
    );
}

#[tokio::test]
async fn headlines_for_search_and_sharing_go_where_each_belongs() {
    let (site, id, first, _julie, editor) = draft_through_the_api().await;
    let written = patch(
        &site,
        id,
        &editor,
        &first,
        r#"{"standfirst": "Fin de la grève.", "search_headline": "Port : la reprise lundi", "social_headline": "Les dockers reprennent lundi", "social_description": "Ce qui change pour les ferries."}"#,
    )
    .await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.body);
    let story: Value = serde_json::from_str(&written.body).unwrap();
    assert_eq!(story["search_headline"], "Port : la reprise lundi");
    let published = answer(
        &site,
        &editor,
        ("POST", &format!("/api/v1/stories/{id}/actions/publish"), ""),
        200,
    )
    .await;
    let path = local(&published["url"]);
    let html = site.get(&path).await.body;
    assert!(
        html.contains("<title>Port\u{a0}: la reprise lundi – "),
        "the tab and search results: {html}"
    );
    assert_eq!(
        shared_card(&html),
        (
            Some("Les dockers reprennent lundi"),
            Some("Ce qui change pour les ferries.")
        )
    );
    assert_eq!(
        meta_content(&html, "name=\"description\""),
        Some("Fin de la grève."),
        "search engines' description is the standfirst"
    );
    assert!(
        html.contains("<h1>Le port rouvre lundi</h1>"),
        "readers' headline"
    );
    let jsonld = page_jsonld(&html);
    let article = &jsonld["@graph"][0];
    assert_eq!(article["headline"], "Port : la reprise lundi", "{jsonld}");
    assert_eq!(article["alternativeHeadline"], "Le port rouvre lundi");
    let feed = site.get("/feed.atom").await.body;
    assert!(
        feed.contains("<title>Le port rouvre lundi</title>"),
        "{feed}"
    );
    assert!(
        !feed.contains("reprise lundi"),
        "feeds are read as the page is"
    );
    let public = json(&site, &format!("/api/v1/stories/{id}")).await;
    assert_eq!(public["social_headline"], "Les dockers reprennent lundi");

    // Removed, the story's own words stand in again.
    let read = with_token(
        &site,
        "GET",
        &format!("/api/v1/stories/{id}/editable"),
        Some(&editor),
    )
    .await;
    let tag = read.header("etag").unwrap().to_owned();
    let cleared = patch(
        &site,
        id,
        &editor,
        &tag,
        r#"{"search_headline": null, "social_headline": "", "social_description": null}"#,
    )
    .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    let html = site.get(&path).await.body;
    assert!(html.contains("<title>Le port rouvre lundi – "));
    assert_eq!(
        shared_card(&html),
        (Some("Le port rouvre lundi"), Some("Fin de la grève."))
    );
}
