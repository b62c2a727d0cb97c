//! « Mot de passe oublié ? » through the newsroom's pages: the same answer whether an account
//! has the address or not, a letter only when one has, a link that sets a new password once and
//! ends the sessions opened with the old one, and limits per address and per client.

use std::time::Duration;

use axum::http::StatusCode;
use rotative_store::QueuedLetter;

use crate::{
    helpers::{Page, TestSite},
    newsroom::{newsroom, sign_in, sign_in_with},
};

const NEW_PASSWORD: &str = "une phrase toute neuve";

/// Asks for a link on the form, as a browser would: the form's page first, for its token.
async fn ask(site: &TestSite, email: &str) -> Page {
    let form = site.get("/redaction/mot-de-passe-oublie").await;
    assert_eq!(form.status, StatusCode::OK);
    let cookie = form.cookie();
    let csrf = form.field("csrf").unwrap();
    site.request(
        "POST",
        "/redaction/mot-de-passe-oublie",
        Some(&cookie),
        Some(&[("email", email), ("csrf", &csrf)]),
    )
    .await
}

/// The letters queued within a moment: the letter is prepared after the answer has left.
async fn letters_after_a_moment(site: &TestSite) -> Vec<QueuedLetter> {
    let mut letters = Vec::new();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        letters.extend(site.state.store.claim_due_letters(60, 10).await.unwrap());
    }
    letters
}

async fn choose(site: &TestSite, path: &str, password: &str) -> Page {
    site.request(
        "POST",
        path,
        None,
        Some(&[("new", password), ("confirm", password)]),
    )
    .await
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_once_and_the_old_sessions_end() {
    let site = newsroom().await;
    let old_session = sign_in(&site, "julie@exemple.fr").await;
    let sign_in_page = site.get("/redaction/connexion").await;
    assert!(
        sign_in_page
            .body
            .contains("href=\"/redaction/mot-de-passe-oublie\">Mot de passe oublié&#8239;?")
    );

    let asked = ask(&site, " Julie@Exemple.fr ").await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(
        asked.header("location"),
        Some("/redaction/mot-de-passe-oublie?envoye")
    );
    let sent = site.get("/redaction/mot-de-passe-oublie?envoye").await;
    assert!(
        sent.body
            .contains("Si un compte de la rédaction utilise cette adresse")
    );
    let letters = letters_after_a_moment(&site).await;
    assert_eq!(letters.len(), 1);
    let letter = &letters[0];
    assert_eq!(letter.to_address, "julie@exemple.fr");
    assert!(
        letter.subject.contains("nouveau mot de passe"),
        "{}",
        letter.subject
    );
    let link = letter.link.clone().unwrap();
    assert!(letter.text.contains(&link) && letter.html.contains(&link));
    let path = link[link.find("/redaction/nouveau-mot-de-passe/").unwrap()..].to_owned();

    let page = site.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("julie@exemple.fr"), "{}", page.body);
    let short = choose(&site, &path, "court").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let chosen = choose(&site, &path, NEW_PASSWORD).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
    assert_eq!(
        chosen.header("location"),
        Some("/redaction/connexion?renouvele")
    );
    let notice = site.get("/redaction/connexion?renouvele").await;
    assert!(
        notice
            .body
            .contains("Votre nouveau mot de passe est enregistré")
    );

    let after = site
        .request("GET", "/redaction/", Some(&old_session), None)
        .await;
    assert_eq!(
        after.status,
        StatusCode::SEE_OTHER,
        "the session opened with the old password ended"
    );
    let new_session = sign_in_with(&site, "julie@exemple.fr", NEW_PASSWORD).await;
    let again = choose(&site, &path, "encore une autre phrase").await;
    assert_eq!(again.status, StatusCode::GONE, "a link serves once");
    assert!(again.body.contains("Demandez un nouveau lien"));
    let dashboard = site
        .request("GET", "/redaction/", Some(&new_session), None)
        .await;
    assert_eq!(dashboard.status, StatusCode::OK, "nothing changed");
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_and_no_letter() {
    let site = newsroom().await;
    let known = ask(&site, "julie@exemple.fr").await;
    let unknown = ask(&site, "personne@exemple.fr").await;
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.header("location"), unknown.header("location"));
    assert_eq!(known.body, unknown.body);
    let letters = letters_after_a_moment(&site).await;
    assert_eq!(letters.len(), 1, "only the account's address gets a letter");
    assert_eq!(letters[0].to_address, "julie@exemple.fr");

    let invalid = ask(&site, "pas une adresse").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("Cette adresse n’est pas valide"));
    assert!(invalid.body.contains("value=\"pas une adresse\""));
    let forged = site
        .request(
            "POST",
            "/redaction/mot-de-passe-oublie",
            None,
            Some(&[("email", "julie@exemple.fr"), ("csrf", "0")]),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged_path = "/redaction/nouveau-mot-de-passe/0123456789abcdef";
    assert_eq!(site.get(forged_path).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn requests_are_limited_per_address_and_per_client() {
    let site = newsroom().await;
    for _ in 0..3 {
        assert_eq!(
            ask(&site, "julie@exemple.fr").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let flooded = ask(&site, "julie@exemple.fr").await;
    assert_eq!(flooded.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(flooded.body.contains("Réessayez dans une heure"));
    let unknown = ask(&site, "personne@exemple.fr").await;
    assert_eq!(unknown.status, StatusCode::SEE_OTHER);
    for _ in 0..2 {
        ask(&site, "personne@exemple.fr").await;
    }
    assert_eq!(
        ask(&site, "personne@exemple.fr").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "an unknown address is limited as a known one"
    );
    // Eight requests so far from this client; twelve more reach its limit.
    for n in 0..12 {
        let other = ask(&site, &format!("autre{n}@exemple.fr")).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        ask(&site, "encore@exemple.fr").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "one client asking for many addresses"
    );
    let letters = letters_after_a_moment(&site).await;
    assert_eq!(letters.len(), 3, "one letter per granted request to Julie");
}
