//! Input made to cost the server: bodies nested tens of thousands deep, through the live
//! preview, the save and the autosave. Each is refused at once with a French reason, nothing is
//! stored, and the server keeps answering meanwhile.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use rotative_web::ConnectionLimits;

use crate::{
    connections::ask,
    newsroom::{csrf, newsroom, sign_in, write_story},
};

fn hostile_bodies() -> [String; 3] {
    [
        ">".repeat(40_000),
        "<div>".repeat(100_000),
        ">".repeat(200_000),
    ]
}

#[tokio::test]
async fn deeply_nested_bodies_are_refused_in_milliseconds() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let token = csrf(&site, &julie).await;
    let story = write_story(&site, &julie, "Un texte ordinaire", "Rien d'étrange.").await;
    let editor = site.request("GET", &story, Some(&julie), None).await;
    let base = editor.field("base_revision").unwrap();
    for body in hostile_bodies() {
        let started = Instant::now();
        let preview = site
            .request(
                "POST",
                "/redaction/apercu",
                Some(&julie),
                Some(&[("csrf", &token), ("body", &body)]),
            )
            .await;
        assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(preview.body.contains("niveaux"), "{}", preview.body);
        for (route, status) in [
            ("", StatusCode::UNPROCESSABLE_ENTITY),
            ("/autosave", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let answer = site
                .request(
                    "POST",
                    &format!("{story}{route}"),
                    Some(&julie),
                    Some(&[
                        ("csrf", &token),
                        ("base_revision", &base),
                        ("headline", "Un texte ordinaire"),
                        ("body", &body),
                        ("section", "monde"),
                        ("kind", "news"),
                        ("intent", "save"),
                    ]),
                )
                .await;
            assert_eq!(answer.status, status, "{route}");
            assert!(answer.body.contains("niveaux"), "{route}");
        }
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(3),
            "{} bytes: {took:?}",
            body.len()
        );
    }
    let kept = site.request("GET", &story, Some(&julie), None).await;
    assert!(
        kept.body.contains("Rien d"),
        "the text is the one saved before"
    );
    assert_eq!(
        kept.field("base_revision").unwrap(),
        base,
        "nothing was saved"
    );
}

#[tokio::test]
async fn health_probes_are_answered_while_previews_run() {
    let site = newsroom().await;
    let server = site.listening(ConnectionLimits::default()).await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let previews: Vec<_> = [(julie, 0), (chef, 1)]
        .into_iter()
        .map(|(cookie, which)| {
            let site = site.state.clone();
            tokio::spawn(async move {
                let token = csrf_of(&site, &cookie).await;
                for _ in 0..5 {
                    let body = &hostile_bodies()[which];
                    let status = post_preview(&site, &cookie, &token, body).await;
                    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
                }
            })
        })
        .collect();
    for _ in 0..4 {
        let started = Instant::now();
        let health = ask(server.address, "/healthz").await;
        assert!(health.starts_with("HTTP/1.1 200"), "{health}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    for preview in previews {
        preview.await.unwrap();
    }
}

async fn csrf_of(state: &rotative_web::AppState, cookie: &str) -> String {
    let page = crate::helpers::send_to(state, "GET", "/redaction/", Some(cookie), None).await;
    page.field("csrf").unwrap()
}

async fn post_preview(
    state: &rotative_web::AppState,
    cookie: &str,
    token: &str,
    body: &str,
) -> StatusCode {
    crate::helpers::send_to(
        state,
        "POST",
        "/redaction/apercu",
        Some(cookie),
        Some(&[("csrf", token), ("body", body)]),
    )
    .await
    .status
}
