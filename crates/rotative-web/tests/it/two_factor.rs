//! Two-factor sign-in through the newsroom's pages, with codes the test computes as an
//! authenticator app would (RFC 6238): turning it on from « Sécurité », signing in with a code or
//! a recovery code, each serving once, wrong codes limited; an administrator requiring it of a
//! role, then taking it off an account.

use axum::http::StatusCode;
use rotative_domain::{Email, Role, TokenScope};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{
    api::{send_json, token_for},
    helpers::{Page, TestSite},
    newsroom::{PASSWORD, account, csrf, newsroom, sign_in},
};

/// The code an app shows for `secret`, `steps_ahead` thirty-second steps from now.
fn code(secret: &str, steps_ahead: u64) -> String {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().unwrap();
    let totp = TOTP::new(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new()).unwrap();
    let now = jiff::Timestamp::now().as_second().unsigned_abs();
    totp.generate(now + 30 * steps_ahead)
}

/// The account with this address.
async fn account_of(site: &TestSite, email: &str) -> rotative_store::User {
    site.state
        .store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
}

/// The cookie a response sets under `name`, as `name=value`.
fn set_cookie(page: &Page, name: &str) -> Option<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or(value).to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")) && pair.len() > name.len() + 1)
}

/// Gives the right password; returns the second step's page and the cookies to post it with.
async fn password_step(site: &TestSite, email: &str) -> (Page, String) {
    let form = site.get("/redaction/connexion").await;
    let form_cookie = form.cookie();
    let answer = site
        .request(
            "POST",
            "/redaction/connexion",
            Some(&form_cookie),
            Some(&[
                ("email", email),
                ("password", PASSWORD),
                ("csrf", &form.field("csrf").unwrap()),
                ("suite", "/redaction/"),
            ]),
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(
        set_cookie(&answer, "rotative_session").is_none(),
        "no session before the second factor"
    );
    let step = set_cookie(&answer, "rotative_etape").expect("the second step's cookie");
    let location = answer.header("location").unwrap().to_owned();
    assert!(
        location.starts_with("/redaction/connexion/code"),
        "{location}"
    );
    let cookies = format!("{form_cookie}; {step}");
    let page = site.request("GET", &location, Some(&cookies), None).await;
    (page, cookies)
}

/// Posts what was typed at the second step.
async fn second_step(site: &TestSite, step: &(Page, String), typed: &str) -> Page {
    let (page, cookies) = step;
    let mut fields = vec![
        ("csrf", page.field("csrf").unwrap()),
        ("code", typed.to_owned()),
        ("suite", "/redaction/".to_owned()),
    ];
    if let Some(secret) = page.field("secret") {
        fields.push(("secret", secret));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    site.request(
        "POST",
        "/redaction/connexion/code",
        Some(cookies),
        Some(&fields),
    )
    .await
}

fn recovery_codes(page: &Page) -> Vec<String> {
    page.body
        .split("<li><code>")
        .skip(1)
        .map(|part| part[..part.find('<').unwrap()].to_owned())
        .collect()
}

async fn signed_in(site: &TestSite, cookie: &str) -> bool {
    site.request("GET", "/redaction/", Some(cookie), None)
        .await
        .status
        == StatusCode::OK
}

/// Turns the second factor on from « Sécurité » with the `laptop` session, while `phone` is
/// signed in too; returns the key and the recovery codes.
async fn turn_on(site: &TestSite, laptop: &str, phone: &str) -> (String, Vec<String>) {
    let setup = site
        .request(
            "GET",
            "/redaction/securite/double-authentification",
            Some(laptop),
            None,
        )
        .await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(
        setup.body.contains("<svg role=\"img\""),
        "a QR code drawn by the server"
    );
    let secret = setup.field("secret").unwrap();
    assert!(setup.body.contains(&secret[..4]), "the key in text too");
    let token = csrf(site, laptop).await;
    let enable = |typed: String| {
        let (token, secret) = (token.clone(), secret.clone());
        async move {
            site.request(
                "POST",
                "/redaction/securite/double-authentification",
                Some(laptop),
                Some(&[("csrf", &token), ("secret", &secret), ("code", &typed)]),
            )
            .await
        }
    };
    let wrong = enable("123456".to_owned()).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Code incorrect"));
    let enabled = enable(code(&secret, 0)).await;
    assert_eq!(enabled.status, StatusCode::OK, "{}", enabled.body);
    let recovery = recovery_codes(&enabled);
    assert_eq!(recovery.len(), 10);
    assert!(
        signed_in(site, laptop).await,
        "the session that turned it on stays"
    );
    assert!(!signed_in(site, phone).await, "the others end");
    let security = site
        .request("GET", "/redaction/securite", Some(laptop), None)
        .await;
    assert!(
        security
            .body
            .contains("Codes de secours encore utilisables&nbsp;: 10 sur 10")
    );

    let again = enable(code(&secret, 1)).await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "a session alone never replaces it"
    );

    (secret, recovery)
}

#[tokio::test]
async fn a_journalist_turns_on_two_factor_then_signs_in_with_codes_that_serve_once() {
    let site = newsroom().await;
    let laptop = sign_in(&site, "julie@exemple.fr").await;
    let phone = sign_in(&site, "julie@exemple.fr").await;
    let (secret, recovery) = turn_on(&site, &laptop, &phone).await;

    // The code that confirmed it served: the next one signs in.
    let step = password_step(&site, "julie@exemple.fr").await;
    assert!(step.0.body.contains("Code de connexion"));
    assert!(step.0.field("secret").is_none());
    let attacker = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let swapped = site
        .request(
            "POST",
            "/redaction/connexion/code",
            Some(&step.1),
            Some(&[
                ("csrf", step.0.field("csrf").unwrap().as_str()),
                ("code", code(attacker, 0).as_str()),
                ("secret", attacker),
            ]),
        )
        .await;
    assert_eq!(
        swapped.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a password alone never sets another second factor"
    );
    let replayed = second_step(&site, &step, &code(&secret, 0)).await;
    assert_eq!(
        replayed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code serves once"
    );
    let signed = second_step(&site, &step, &code(&secret, 1)).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(signed.header("location"), Some("/redaction/"));
    let session = set_cookie(&signed, "rotative_session").unwrap();
    assert!(signed_in(&site, &session).await);

    // A recovery code, however typed, serves once.
    let typed = format!(" {} ", recovery[3].to_uppercase().replace('-', " "));
    let step = password_step(&site, "julie@exemple.fr").await;
    let with_recovery = second_step(&site, &step, &typed).await;
    assert_eq!(
        with_recovery.status,
        StatusCode::SEE_OTHER,
        "{}",
        with_recovery.body
    );
    let step = password_step(&site, "julie@exemple.fr").await;
    let again = second_step(&site, &step, &recovery[3]).await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a recovery code serves once"
    );
    assert!(again.body.contains("Code incorrect ou déjà utilisé"));

    // Wrong codes are limited per account: five, then refused even with the right one.
    for _ in 0..4 {
        second_step(&site, &step, "000000").await;
    }
    let limited = second_step(&site, &step, &code(&secret, 1)).await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.body
    );
}

#[tokio::test]
async fn a_role_is_required_to_use_it_and_an_administrator_takes_it_off() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let admin = sign_in(&site, "admin@exemple.fr").await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let token = csrf(&site, &admin).await;
    let required = site
        .request(
            "POST",
            "/redaction/comptes/double-authentification",
            Some(&admin),
            Some(&[("csrf", &token), ("journalist", "on")]),
        )
        .await;
    assert_eq!(required.status, StatusCode::SEE_OTHER);
    assert!(!signed_in(&site, &julie).await, "signed out to set it up");
    assert!(signed_in(&site, &admin).await, "other roles stay");

    // At her next sign-in, she sets it up before anything else.
    let step = password_step(&site, "julie@exemple.fr").await;
    assert!(
        step.0
            .body
            .contains("Votre rôle à la rédaction demande une double authentification")
    );
    let secret = step.0.field("secret").unwrap();
    let reloaded = site
        .request("GET", "/redaction/connexion/code", Some(&step.1), None)
        .await;
    assert_eq!(
        reloaded.field("secret").as_deref(),
        Some(secret.as_str()),
        "a reload keeps the key the app scanned"
    );
    let set_up = second_step(&site, &step, &code(&secret, 0)).await;
    assert_eq!(set_up.status, StatusCode::OK, "{}", set_up.body);
    assert_eq!(recovery_codes(&set_up).len(), 10);
    let julie = set_cookie(&set_up, "rotative_session").unwrap();
    assert!(signed_in(&site, &julie).await);
    let julie_token = csrf(&site, &julie).await;
    let turn_off = site
        .request(
            "POST",
            "/redaction/securite/double-authentification/desactivation",
            Some(&julie),
            Some(&[("csrf", &julie_token)]),
        )
        .await;
    assert_eq!(
        turn_off.status,
        StatusCode::FORBIDDEN,
        "her role requires it"
    );

    // She lost her phone: an administrator takes it off.
    let id = account_of(&site, "julie@exemple.fr").await.id;
    let accounts = site
        .request("GET", "/redaction/comptes", Some(&admin), None)
        .await;
    assert!(accounts.body.contains("Retirer la double authentification"));
    let removed = site
        .request(
            "POST",
            &format!("/redaction/comptes/{id}/double-authentification/retrait"),
            Some(&admin),
            Some(&[("csrf", &token)]),
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(!signed_in(&site, &julie).await, "her sessions end");
    let journal = site
        .request("GET", "/redaction/journal", Some(&admin), None)
        .await;
    assert!(
        journal
            .body
            .contains("Double authentification retirée par un administrateur")
    );
    let step = password_step(&site, "julie@exemple.fr").await;
    assert!(step.0.field("secret").is_some(), "she sets up a new one");
}

/// Posts a change to the second factor from « Sécurité » with `typed` as the confirming code.
async fn change(site: &TestSite, session: &str, path: &str, typed: &str) -> Page {
    let token = csrf(site, session).await;
    site.request(
        "POST",
        path,
        Some(session),
        Some(&[("csrf", token.as_str()), ("code", typed)]),
    )
    .await
}

#[tokio::test]
async fn a_session_alone_cannot_change_the_second_factor() {
    let site = newsroom().await;
    let laptop = sign_in(&site, "julie@exemple.fr").await;
    let phone = sign_in(&site, "julie@exemple.fr").await;
    let (secret, recovery) = turn_on(&site, &laptop, &phone).await;
    let new_codes = "/redaction/securite/codes-de-secours";
    let off = "/redaction/securite/double-authentification/desactivation";

    for typed in ["", "123456", "pas-un-code"] {
        let refused = change(&site, &laptop, off, typed).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{typed:?}"
        );
        assert!(refused.body.contains("Code incorrect ou déjà utilisé"));
        assert!(refused.body.contains("id=\"code-erreur\""));
    }
    let page = site
        .request("GET", "/redaction/securite", Some(&laptop), None)
        .await;
    assert!(page.body.contains("Activée"), "still on");

    let renewed = change(&site, &laptop, new_codes, &code(&secret, 1)).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let fresh = recovery_codes(&renewed);
    assert_eq!(fresh.len(), 10);
    assert!(!fresh.contains(&recovery[0]), "new codes");
    let old_code = change(&site, &laptop, off, &recovery[0]).await;
    assert_eq!(
        old_code.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old codes serve no more"
    );

    let turned_off = change(&site, &laptop, off, &fresh[0]).await;
    assert_eq!(
        turned_off.status,
        StatusCode::SEE_OTHER,
        "{}",
        turned_off.body
    );
    let page = site
        .request("GET", "/redaction/securite", Some(&laptop), None)
        .await;
    assert!(page.body.contains("Désactivée."));

    // Guessing is limited as at sign-in: five wrong codes, then refused even with a right one.
    let (secret, _) = turn_on(&site, &laptop, &phone).await;
    for _ in 0..5 {
        change(&site, &laptop, new_codes, "000000").await;
    }
    let limited = change(&site, &laptop, new_codes, &code(&secret, 1)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Trop de codes erronés"));
    // Counted apart from sign-in: whoever holds a session cannot lock the owner out.
    let step = password_step(&site, "julie@exemple.fr").await;
    let signed = second_step(&site, &step, &code(&secret, 1)).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
}

#[tokio::test]
async fn the_api_takes_ones_own_second_factor_off_only_with_a_code() {
    let site = newsroom().await;
    let laptop = sign_in(&site, "julie@exemple.fr").await;
    let phone = sign_in(&site, "julie@exemple.fr").await;
    let (secret, _) = turn_on(&site, &laptop, &phone).await;
    let token = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let julie = account_of(&site, "julie@exemple.fr").await;
    let path = format!("/api/v1/accounts/{}/two-factor", julie.id);
    let without = send_json(&site, "DELETE", &path, Some(&token), "").await;
    assert_eq!(
        without.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        without.body
    );
    let wrong = send_json(
        &site,
        "DELETE",
        &path,
        Some(&token),
        r#"{"code": "000000"}"#,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let right = format!(r#"{{"code": "{}"}}"#, code(&secret, 1));
    let removed = send_json(&site, "DELETE", &path, Some(&token), &right).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
}

#[tokio::test]
async fn a_new_password_ends_a_second_step_under_way() {
    let site = newsroom().await;
    let laptop = sign_in(&site, "julie@exemple.fr").await;
    let phone = sign_in(&site, "julie@exemple.fr").await;
    let (secret, _) = turn_on(&site, &laptop, &phone).await;
    let step = password_step(&site, "julie@exemple.fr").await;
    let julie = account_of(&site, "julie@exemple.fr").await;
    // Its owner, told of a sign-in that was not theirs, changes the password meanwhile.
    let audit = rotative_store::Audit::by(Some(julie.id), "change_password");
    site.state
        .store
        .set_password(julie.id, "un-autre-hachage", audit)
        .await
        .unwrap();
    let late = second_step(&site, &step, &code(&secret, 1)).await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    assert_eq!(late.header("location"), Some("/redaction/connexion"));
    assert!(
        set_cookie(&late, "rotative_session").is_none(),
        "no session"
    );
}
