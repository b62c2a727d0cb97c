//! Signing in under attack: attempts counted before the password is checked, so a burst in
//! parallel evaluates no more guesses than one after another; a throttled account still lets its
//! owner in from another address or from a browser it signed in from before; forms and cookies
//! from elsewhere sign nobody in.

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode},
};
use rotative_web::AppState;

use crate::{
    helpers::{Page, respond, send_to},
    newsroom::{PASSWORD, csrf, newsroom, sign_in},
};

/// The sign-in form's cookie and token, as a browser gets them.
async fn form(state: &AppState) -> (String, String) {
    let page = send_to(state, "GET", "/redaction/connexion", None, None).await;
    (page.cookie(), page.field("csrf").unwrap())
}

/// A sign-in from `address`, with the browser's cookies.
async fn attempt(
    state: &AppState,
    (cookie, token): &(String, String),
    password: &str,
    address: &str,
    device: Option<&str>,
) -> Page {
    let cookies = match device {
        Some(device) => format!("{cookie}; {device}"),
        None => cookie.clone(),
    };
    let body = format!(
        "email=julie%40exemple.fr&password={}&csrf={token}",
        password.replace(' ', "+")
    );
    let mut request = Request::post("/redaction/connexion")
        .header("cookie", cookies)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let from: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(from));
    respond(state, request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_evaluates_no_more_guesses_than_the_limit() {
    let site = newsroom().await;
    let browser = form(&site.state).await;
    let burst = (0..40).map(|n| {
        let (state, browser) = (site.state.clone(), browser.clone());
        tokio::spawn(async move {
            let password = if n == 39 { PASSWORD } else { "mauvais" };
            attempt(&state, &browser, password, "10.0.0.66", None)
                .await
                .status
        })
    });
    let mut statuses = Vec::new();
    for answer in burst {
        statuses.push(answer.await.unwrap());
    }
    let evaluated = statuses
        .iter()
        .filter(|s| **s != StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(evaluated, 5, "{statuses:?}");
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_account_elsewhere() {
    let site = newsroom().await;
    let browser = form(&site.state).await;
    for _ in 0..5 {
        let failed = attempt(&site.state, &browser, "mauvais", "10.0.0.66", None).await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    }
    let attacker = attempt(&site.state, &browser, PASSWORD, "10.0.0.66", None).await;
    assert_eq!(attacker.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = attempt(&site.state, &browser, PASSWORD, "10.0.0.7", None).await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER, "{}", owner.body);
}

/// Behind a proxy that does not pass the client's address on, every client shares one: the
/// owner's browser, known from an earlier sign-in, still gets in, slowly.
#[tokio::test]
async fn a_known_browser_gets_in_while_its_address_is_throttled() {
    let site = newsroom().await;
    let browser = form(&site.state).await;
    let first = attempt(&site.state, &browser, PASSWORD, "10.0.0.1", None).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let device = first
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("rotative_appareil="))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .expect("a cookie for the known browser");
    for _ in 0..5 {
        attempt(&site.state, &browser, "mauvais", "10.0.0.1", None).await;
    }
    let stranger = attempt(&site.state, &browser, PASSWORD, "10.0.0.1", None).await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = attempt(&site.state, &browser, PASSWORD, "10.0.0.1", Some(&device)).await;
    assert_eq!(owner.status, StatusCode::SEE_OTHER, "{}", owner.body);
    // Slowly: a few tries a minute from that browser, not a way around the limit.
    let mut refused = 0;
    for _ in 0..5 {
        let guess = attempt(&site.state, &browser, "mauvais", "10.0.0.1", Some(&device)).await;
        refused += usize::from(guess.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(refused >= 3, "{refused} of 5 refused");
}

/// Through a trusted proxy, each client is throttled under its own address; a client talking
/// to the server directly cannot pick one with the header.
#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_limit() {
    let site = newsroom().await;
    let browser = form(&site.state).await;
    let through_proxy = |client: &'static str, password: &'static str| {
        let (state, (cookie, token)) = (site.state.clone(), browser.clone());
        async move {
            let mut request = Request::post("/redaction/connexion")
                .header("cookie", cookie)
                .header("x-forwarded-for", client)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "email=julie%40exemple.fr&password={}&csrf={token}",
                    password.replace(' ', "+")
                )))
                .unwrap();
            let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
            request.extensions_mut().insert(ConnectInfo(peer));
            respond(&state, request).await.status
        }
    };
    for _ in 0..5 {
        assert_eq!(
            through_proxy("10.0.0.66", "mauvais").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        through_proxy("10.0.0.66", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        through_proxy("10.0.0.7", PASSWORD).await,
        StatusCode::SEE_OTHER,
        "another reader of the same proxy"
    );
    // Straight to the server, the header is the client's word only: ignored.
    let spoofed = {
        let mut request = Request::post("/redaction/connexion")
            .header("cookie", browser.0.clone())
            .header("x-forwarded-for", "10.0.0.99")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=julie%40exemple.fr&password=mauvais&csrf={}",
                browser.1
            )))
            .unwrap();
        let peer: SocketAddr = "10.0.0.66:40000".parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        respond(&site.state, request).await.status
    };
    assert_eq!(spoofed, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_sign_in_token_made_up_by_the_client_is_refused() {
    let site = newsroom().await;
    let tossed = ("rotative_signin=abc123".to_owned(), "abc123".to_owned());
    let forged = attempt(&site.state, &tossed, PASSWORD, "10.0.0.9", None).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let real = form(&site.state).await;
    let mixed = (real.0.clone(), "abc123".to_owned());
    let forged = attempt(&site.state, &mixed, PASSWORD, "10.0.0.9", None).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let signed = attempt(&site.state, &real, PASSWORD, "10.0.0.9", None).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_current_passwords_are_throttled_too() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let token = csrf(&site, &julie).await;
    let change = |current: &'static str| {
        let (site, julie, token) = (&site, julie.clone(), token.clone());
        async move {
            site.request(
                "POST",
                "/redaction/mot-de-passe",
                Some(&julie),
                Some(&[
                    ("csrf", &token),
                    ("current", current),
                    ("new", "un nouveau mot de passe"),
                    ("confirm", "un nouveau mot de passe"),
                ]),
            )
            .await
            .status
        }
    };
    for _ in 0..5 {
        assert_eq!(change("mauvais").await, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(change(PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
}
