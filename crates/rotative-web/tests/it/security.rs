//! « Sécurité »: an account's sessions, each named by its browser, ended one by one or all but
//! the one in use; nobody ends another account's session.

use axum::{body::Body, http::Request, http::StatusCode};
use rotative_domain::Role;
use rotative_web::auth::token_hash;

use crate::{
    helpers::TestSite,
    newsroom::{PASSWORD, account, csrf, newsroom, sign_in},
};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// Signs in from a browser that names itself; returns the session cookie.
async fn sign_in_from(site: &TestSite, email: &str, user_agent: &str) -> String {
    let form = site.get("/redaction/connexion").await;
    let body = serde_urlencoded::to_string([
        ("email", email),
        ("password", PASSWORD),
        ("csrf", &form.field("csrf").unwrap()),
    ])
    .unwrap();
    let signed_in = site
        .send(
            Request::post("/redaction/connexion")
                .header("cookie", form.cookie())
                .header("user-agent", user_agent)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    signed_in.cookie()
}

/// The hash that names a session, from its cookie.
fn session_name(cookie: &str) -> String {
    token_hash(cookie.trim_start_matches("rotative_session="))
}

async fn end(site: &TestSite, cookie: &str, session: &str) -> crate::helpers::Page {
    let token = csrf(site, cookie).await;
    site.request(
        "POST",
        "/redaction/securite/sessions",
        Some(cookie),
        Some(&[("csrf", &token), ("session", session)]),
    )
    .await
}

async fn signed_in(site: &TestSite, cookie: &str) -> bool {
    let page = site.request("GET", "/redaction/", Some(cookie), None).await;
    page.status == StatusCode::OK
}

#[tokio::test]
async fn an_account_sees_its_sessions_and_ends_them() {
    let site = newsroom().await;
    account(&site, "bob@exemple.fr", "Bob Durand", Role::Journalist).await;
    let laptop = sign_in_from(&site, "julie@exemple.fr", FIREFOX).await;
    let phone = sign_in_from(&site, "julie@exemple.fr", IPHONE).await;
    let bob = sign_in(&site, "bob@exemple.fr").await;

    let page = site
        .request("GET", "/redaction/securite", Some(&laptop), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Firefox sous Linux <strong>(cette session)</strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Safari sous iPhone"), "{}", page.body);
    assert!(page.body.contains("Fermer toutes les autres sessions"));
    assert!(
        !page.body.contains(&session_name(&bob)),
        "only one's own sessions"
    );

    let refused = end(&site, &laptop, &session_name(&bob)).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(
        signed_in(&site, &bob).await,
        "another account's session stays"
    );
    let ended = end(&site, &laptop, &session_name(&phone)).await;
    assert_eq!(ended.header("location"), Some("/redaction/securite?fermee"));
    assert!(!signed_in(&site, &phone).await);
    assert!(signed_in(&site, &laptop).await);

    let tablet = sign_in_from(&site, "julie@exemple.fr", IPHONE).await;
    let others = end(&site, &laptop, "autres").await;
    assert_eq!(
        others.header("location"),
        Some("/redaction/securite?fermees")
    );
    let done = site
        .request("GET", "/redaction/securite?fermees", Some(&laptop), None)
        .await;
    assert!(
        done.body
            .contains("Toutes vos autres sessions sont fermées")
    );
    assert!(!done.body.contains("Fermer toutes les autres sessions"));
    assert!(!signed_in(&site, &tablet).await);
    assert!(signed_in(&site, &laptop).await);

    let out = end(&site, &laptop, &session_name(&laptop)).await;
    assert_eq!(out.header("location"), Some("/redaction/connexion"));
    let forgotten = out.header("set-cookie").unwrap_or_default();
    assert!(
        forgotten.starts_with("rotative_session=;") && forgotten.contains("Max-Age=0"),
        "the browser forgets the session: {forgotten}"
    );
    assert!(!signed_in(&site, &laptop).await);
}
