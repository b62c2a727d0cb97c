//! Invitations through the newsroom's pages: an administrator invites, the letter waits in the
//! outbox, its link lets the person choose a password once, and a link that served, expired or
//! never existed changes nothing.

use axum::http::StatusCode;
use rotative_domain::{Email, Role};
use rotative_store::{Invitee, LinkPurpose, NewLetter, NewLink};

use crate::{
    helpers::TestSite,
    newsroom::{account, csrf, newsroom, sign_in},
};

/// Sends the invitation form as an administrator.
async fn invite(site: &TestSite, admin: &str, email: &str, name: &str) -> crate::helpers::Page {
    let token = csrf(site, admin).await;
    site.request(
        "POST",
        "/redaction/comptes",
        Some(admin),
        Some(&[
            ("csrf", &token),
            ("name", name),
            ("email", email),
            ("role", "journalist"),
        ]),
    )
    .await
}

/// The link of the invitation waiting in the outbox.
async fn invitation_path(site: &TestSite) -> String {
    let letters = site.state.store.claim_due_letters(60, 10).await.unwrap();
    assert_eq!(letters.len(), 1);
    let link = letters[0].link.clone().unwrap();
    assert!(letters[0].text.contains(&link), "{}", letters[0].text);
    link[link.find("/redaction/invitation/").unwrap()..].to_owned()
}

async fn choose(site: &TestSite, path: &str, new: &str, confirm: &str) -> crate::helpers::Page {
    site.request(
        "POST",
        path,
        None,
        Some(&[("new", new), ("confirm", confirm)]),
    )
    .await
}

#[tokio::test]
async fn an_invited_journalist_chooses_a_password_once_and_signs_in() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let admin = sign_in(&site, "admin@exemple.fr").await;

    let sent = invite(&site, &admin, "nina@exemple.fr", "Nina Kovacs").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let accounts = site
        .request("GET", "/redaction/comptes?invitation", Some(&admin), None)
        .await;
    assert!(accounts.body.contains("Invitation en cours d’envoi"));
    assert!(accounts.body.contains("Nina Kovacs"));
    let taken = invite(&site, &admin, "nina@exemple.fr", "Nina Deux").await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(
        taken.body.contains("value=\"Nina Deux\""),
        "the form keeps what was typed"
    );

    let path = invitation_path(&site).await;
    let page = site.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("nina@exemple.fr"));
    let short = choose(&site, &path, "court", "court").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let differ = choose(
        &site,
        &path,
        "un mot de passe solide",
        "un autre mot de passe",
    )
    .await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(differ.body.contains("diffèrent"), "{}", differ.body);
    let chosen = choose(
        &site,
        &path,
        "un mot de passe solide",
        "un mot de passe solide",
    )
    .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(
        chosen.header("location"),
        Some("/redaction/connexion?bienvenue")
    );
    let welcome = site.get("/redaction/connexion?bienvenue").await;
    assert!(welcome.body.contains("Votre mot de passe est enregistré"));
    sign_in(&site, "nina@exemple.fr").await;

    let again = choose(
        &site,
        &path,
        "un autre mot de passe",
        "un autre mot de passe",
    )
    .await;
    assert_eq!(again.status, StatusCode::GONE, "a link serves once");
    assert!(again.body.contains("Ce lien ne sert plus"));
    sign_in(&site, "nina@exemple.fr").await;
    let forged = site.get("/redaction/invitation/0123456789abcdef").await;
    assert_eq!(forged.status, StatusCode::GONE);
    let audit = site
        .request("GET", "/redaction/journal", Some(&admin), None)
        .await;
    assert!(audit.body.contains("Invitation envoyée"));
    assert!(audit.body.contains("Invitation acceptée"));
}

#[tokio::test]
async fn an_expired_link_changes_nothing_and_an_imported_account_is_invited_again() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let email = Email::parse("paul@exemple.fr").unwrap();
    let name = rotative_domain::Name::parse("Paul Auteur").unwrap();
    let letter = NewLetter {
        to_name: "Paul Auteur",
        to_address: "paul@exemple.fr",
        subject: "Votre compte",
        text: "Le lien.",
        html: "<p>Le lien.</p>",
        link: None,
    };
    let token = "une-invitation-perimee";
    let yesterday = jiff::Timestamp::now().as_second() - 24 * 3600;
    site.state
        .store
        .invite_user(
            Invitee {
                email: &email,
                name: &name,
                role: Role::Journalist,
            },
            NewLink {
                token_hash: &rotative_web::auth::token_hash(token),
                purpose: LinkPurpose::Invitation,
                expires_at: yesterday,
            },
            &letter,
            rotative_store::Audit::by(None, "user_invite"),
        )
        .await
        .unwrap();
    site.state.store.claim_due_letters(60, 10).await.unwrap();
    let path = format!("/redaction/invitation/{token}");
    assert_eq!(site.get(&path).await.status, StatusCode::GONE);
    let late = choose(
        &site,
        &path,
        "un mot de passe solide",
        "un mot de passe solide",
    )
    .await;
    assert_eq!(late.status, StatusCode::GONE);
    let paul = site
        .state
        .store
        .user_by_email(&email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(paul.password_hash, None, "nothing changed");

    // « Envoyer une invitation »: a new link for the account still without a password.
    let admin = sign_in(&site, "admin@exemple.fr").await;
    let token = csrf(&site, &admin).await;
    let again = site
        .request(
            "POST",
            &format!("/redaction/comptes/{}/invitation", paul.id),
            Some(&admin),
            Some(&[("csrf", &token)]),
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let path = invitation_path(&site).await;
    assert_eq!(site.get(&path).await.status, StatusCode::OK);
}
