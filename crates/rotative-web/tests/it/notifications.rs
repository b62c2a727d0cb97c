//! Notifications through the newsroom's pages: the editors hear of a story waiting for review,
//! its writer of what the editors do to it, nobody of their own act; each opens its story and
//! is read from then on; the letters follow each person's choices, one each or once a day.

use axum::http::StatusCode;
use jiff::{Timestamp, ToSpan};
use rotative_store::QueuedLetter;

use rotative_domain::TokenScope;
use serde_json::Value;

use crate::{
    api::{send_json, token_for},
    helpers::{Page, TestSite},
    newsroom::{act, csrf, newsroom, sign_in, write_story},
};

/// A story as an app sends it.
const NEW_STORY_JSON: &str = r#"{"headline": "Le port rouvre lundi", "body": "Les dockers reprennent le travail.", "section": "monde"}"#;

/// Runs the mail round, then takes the letters it queued.
async fn mail_round(site: &TestSite) -> (usize, Vec<QueuedLetter>) {
    mail_round_at(site, Timestamp::now()).await
}

async fn mail_round_at(site: &TestSite, now: Timestamp) -> (usize, Vec<QueuedLetter>) {
    let site_settings = site.state.site();
    let queued = site
        .state
        .newsroom()
        .mail_notifications(&site_settings, now)
        .await
        .unwrap()
        .letters;
    (
        queued,
        site.state.store.claim_due_letters(60, 50).await.unwrap(),
    )
}

fn letter_to<'a>(letters: &'a [QueuedLetter], address: &str) -> Vec<&'a QueuedLetter> {
    letters
        .iter()
        .filter(|letter| letter.to_address == address)
        .collect()
}

/// The first notification a page links to.
fn first_notice(body: &str) -> String {
    let start = body.find("href=\"/redaction/notifications/").unwrap() + "href=\"".len();
    let end = start + body[start..].find('"').unwrap();
    body[start..end].to_owned()
}

async fn choose(site: &TestSite, cookie: &str, fields: &[(&str, &str)]) -> StatusCode {
    let token = csrf(site, cookie).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    site.request(
        "POST",
        "/redaction/notifications/reglages",
        Some(cookie),
        Some(&form),
    )
    .await
    .status
}

/// A newsroom page as the signed-in person sees it.
async fn seen(site: &TestSite, cookie: &str, path: &str) -> Page {
    site.request("GET", path, Some(cookie), None).await
}

/// An API call's status and its JSON answer (null when there is none).
async fn call(
    site: &TestSite,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> (StatusCode, Value) {
    let page = send_json(site, method, path, Some(token), body).await;
    (
        page.status,
        serde_json::from_str(&page.body).unwrap_or(Value::Null),
    )
}

/// Julie writes a story and submits it; returns the sessions of Julie and of the editor, and
/// the story's address in the newsroom.
async fn submitted(site: &TestSite, headline: &str) -> (String, String, String) {
    let julie = sign_in(site, "julie@exemple.fr").await;
    let chef = sign_in(site, "chef@exemple.fr").await;
    let story = write_story(site, &julie, headline, "Le fleuve monte.").await;
    assert_eq!(
        act(site, &julie, &story, "submit", "").await,
        StatusCode::SEE_OTHER
    );
    (julie, chef, story)
}

const TOLD: &str = "Julie Martin a soumis «\u{202f}La crue de la Loire\u{202f}» à relecture.";

#[tokio::test]
async fn editors_hear_of_stories_to_review_and_nobody_of_their_own_act() {
    let site = newsroom().await;
    let (julie, chef, story) = submitted(&site, "La crue de la Loire").await;
    let dashboard = seen(&site, &chef, "/redaction/").await;
    assert!(dashboard.body.contains(TOLD), "{}", dashboard.body);
    let count = "<span class=\"count\">1<span class=\"visually-hidden\"> non lue</span>";
    assert!(dashboard.body.contains(count));
    let hers = seen(&site, &julie, "/redaction/notifications").await;
    assert!(
        hers.body.contains("Aucune notification pour l’instant"),
        "never of one's own act"
    );
    let trainee = sign_in(&site, "stagiaire@exemple.fr").await;
    let theirs = seen(&site, &trainee, "/redaction/").await;
    assert!(
        !theirs.body.contains(TOLD),
        "only those who review hear of stories to review"
    );

    let notice = first_notice(&dashboard.body);
    let stranger = seen(&site, &julie, &notice).await;
    assert_eq!(
        stranger.status,
        StatusCode::NOT_FOUND,
        "another's notification"
    );
    let opened = seen(&site, &chef, &notice).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(opened.location_path(), story);
    let after = seen(&site, &chef, "/redaction/").await;
    assert!(!after.body.contains(TOLD), "read: off the dashboard");
    let list = seen(&site, &chef, "/redaction/notifications").await;
    assert!(list.body.contains(TOLD), "still listed");
}

#[tokio::test]
async fn writers_hear_of_their_stories_by_letter_once() {
    let site = newsroom().await;
    let (julie, chef, story) = submitted(&site, "La crue de la Loire").await;
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let hers = seen(&site, &julie, "/redaction/notifications").await;
    assert!(
        hers.body
            .contains("Paul Chef a publié «\u{202f}La crue de la Loire\u{202f}»."),
        "{}",
        hers.body
    );

    let (queued, letters) = mail_round(&site).await;
    assert_eq!((queued, letters.len()), (2, 2));
    let to_chef = letter_to(&letters, "chef@exemple.fr");
    assert_eq!(to_chef[0].subject, "À relire\u{a0}: La crue de la Loire");
    assert!(to_chef[0].text.contains(TOLD));
    // The letter's link goes through the notification, which is then read in the newsroom too.
    let link = first_notice(&seen(&site, &chef, "/redaction/").await.body);
    assert!(
        to_chef[0]
            .text
            .contains(&format!("https://journal.example{link}\n")),
        "{}",
        to_chef[0].text
    );
    let cross_site = [("cookie", chef.as_str()), ("sec-fetch-site", "cross-site")];
    let lured = site.send_with(&link, &cross_site).await;
    assert_eq!(lured.location_path(), story);
    let still = seen(&site, &chef, "/redaction/").await;
    assert!(
        still.body.contains("Notifications non lues"),
        "a link from another site reads nothing"
    );
    let from_mail = site
        .send_with(&link, &[("cookie", &chef), ("sec-fetch-site", "none")])
        .await;
    assert_eq!(from_mail.location_path(), story);
    let from_elsewhere = seen(&site, &chef, "/redaction/").await;
    assert!(
        !from_elsewhere.body.contains("Notifications non lues"),
        "read"
    );
    assert!(
        to_chef[0].html.contains("/redaction/notifications\""),
        "where to choose"
    );
    let to_julie = letter_to(&letters, "julie@exemple.fr");
    assert_eq!(to_julie[0].subject, "Publié\u{a0}: La crue de la Loire");
    assert_eq!(
        mail_round(&site).await.0,
        0,
        "each notification is mailed once"
    );

    let token = csrf(&site, &julie).await;
    let read = site
        .request(
            "POST",
            "/redaction/notifications/lues",
            Some(&julie),
            Some(&[("csrf", &token)]),
        )
        .await;
    assert_eq!(
        read.header("location"),
        Some("/redaction/notifications?lues")
    );
    let hers = seen(&site, &julie, "/redaction/notifications?lues").await;
    assert!(
        hers.body
            .contains("Toutes vos notifications sont marquées comme lues.")
    );
    assert!(!hers.body.contains("class=\"count\""));
}

#[tokio::test]
async fn each_person_chooses_which_kinds_come_by_email() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let page = seen(&site, &julie, "/redaction/notifications").await;
    assert!(page.body.contains("Votre article est publié"));
    assert!(
        !page.body.contains("Un article est soumis à relecture"),
        "not heard by a journalist"
    );
    let wanted = [
        ("courriel", "returned"),
        ("courriel", "corrected"),
        ("rythme", "immediat"),
    ];
    assert_eq!(choose(&site, &julie, &wanted).await, StatusCode::SEE_OTHER);
    let page = seen(&site, &julie, "/redaction/notifications?enregistre").await;
    assert!(
        page.body
            .contains("Vos choix de notifications par courriel sont enregistrés.")
    );
    assert!(page.body.contains("value=\"corrected\" checked"));
    assert!(!page.body.contains("value=\"published\" checked"));
    let unknown = choose(&site, &julie, &[("courriel", "mentioned")]).await;
    assert_eq!(unknown, StatusCode::BAD_REQUEST);

    let story = write_story(&site, &julie, "Le budget voté", "Texte.").await;
    act(&site, &julie, &story, "submit", "").await;
    act(&site, &chef, &story, "publish", "").await;
    let token = csrf(&site, &chef).await;
    let note = [
        ("csrf", token.as_str()),
        ("kind", "correction"),
        ("note", "Le montant était faux."),
    ];
    let corrections = format!("{story}/corrections");
    let noted = site
        .request("POST", &corrections, Some(&chef), Some(&note))
        .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    let (_, letters) = mail_round(&site).await;
    let subjects: Vec<&str> = letter_to(&letters, "julie@exemple.fr")
        .iter()
        .map(|letter| letter.subject.as_str())
        .collect();
    assert_eq!(
        subjects,
        ["Note publique ajoutée\u{a0}: Le budget voté"],
        "publication turned off"
    );
    let hers = seen(&site, &julie, "/redaction/notifications").await;
    assert!(
        hers.body
            .contains("Paul Chef a publié «\u{202f}Le budget voté\u{202f}»."),
        "still shown"
    );
}

#[tokio::test]
async fn a_daily_digest_gathers_the_notifications_of_the_day() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let daily = [
        ("courriel", "submitted"),
        ("courriel", "published"),
        ("rythme", "quotidien"),
    ];
    assert_eq!(choose(&site, &chef, &daily).await, StatusCode::SEE_OTHER);
    let page = seen(&site, &chef, "/redaction/notifications").await;
    assert!(page.body.contains("value=\"quotidien\" checked"));
    let (julie, _, _) = submitted(&site, "La rentrée").await;
    let third = write_story(&site, &julie, "Les vendanges", "Texte.").await;
    act(&site, &julie, &third, "submit", "").await;
    let (queued, letters) = mail_round(&site).await;
    assert_eq!(
        (queued, letters.len()),
        (0, 0),
        "the digest waits for its hour"
    );
    let tomorrow = Timestamp::now() + 24.hours();
    let (queued, letters) = mail_round_at(&site, tomorrow).await;
    assert_eq!((queued, letters.len()), (1, 1), "one letter for the day");
    let digest = &letters[0];
    assert_eq!(digest.to_address, "chef@exemple.fr");
    assert!(
        digest.subject.starts_with("Vos notifications"),
        "{}",
        digest.subject
    );
    assert!(
        digest
            .text
            .contains("«\u{202f}La rentrée\u{202f}» à relecture")
    );
    assert!(
        digest
            .text
            .contains("«\u{202f}Les vendanges\u{202f}» à relecture")
    );
    assert_eq!(mail_round_at(&site, tomorrow).await.0, 0);
}

#[tokio::test]
async fn notifications_are_listed_and_read_through_the_api() {
    let site = newsroom().await;
    let julie = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let (_, created) = call(&site, "POST", "/api/v1/stories", &julie, NEW_STORY_JSON).await;
    let id = created["id"].as_i64().unwrap();
    let submit = format!("/api/v1/stories/{id}/actions/submit");
    assert_eq!(
        call(&site, "POST", &submit, &julie, "").await.0,
        StatusCode::OK
    );

    let (status, listed) = call(&site, "GET", "/api/v1/notifications?unread=true", &chef, "").await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["unread"], 1);
    let notice = &listed["notifications"][0];
    assert_eq!(
        (
            notice["kind"].as_str(),
            notice["story"].as_i64(),
            notice["by"].as_str()
        ),
        (Some("submitted"), Some(id), Some("Julie Martin"))
    );
    let text = "Julie Martin a soumis «\u{202f}Le port rouvre lundi\u{202f}» à relecture.";
    assert_eq!(notice["text"], text);
    let (_, hers) = call(&site, "GET", "/api/v1/notifications", &julie, "").await;
    assert_eq!(hers["unread"], 0);
    let wrong = call(&site, "GET", "/api/v1/notifications?unread=oui", &chef, "").await;
    assert_eq!(wrong.0, StatusCode::BAD_REQUEST);

    let too_many = format!(r#"{{"ids": [{}]}}"#, vec!["1"; 301].join(", "));
    let refused = call(
        &site,
        "POST",
        "/api/v1/notifications/read",
        &chef,
        &too_many,
    )
    .await;
    assert_eq!(refused.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.1);
    let named = format!(r#"{{"ids": [{}]}}"#, notice["id"]);
    let (_, others) = call(&site, "POST", "/api/v1/notifications/read", &julie, &named).await;
    assert_eq!(others["marked"], 0, "nobody marks another's notifications");
    let (_, read) = call(&site, "POST", "/api/v1/notifications/read", &chef, &named).await;
    assert_eq!(
        (read["marked"].as_u64(), read["unread"].as_i64()),
        (Some(1), Some(0))
    );
}

#[tokio::test]
async fn what_comes_by_email_is_chosen_through_the_api() {
    let site = newsroom().await;
    let chef = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let path = "/api/v1/notifications/settings";
    let (_, before) = call(&site, "GET", path, &chef, "").await;
    assert_eq!(
        before["email"].as_array().unwrap().len(),
        7,
        "every kind at first"
    );
    let settings = r#"{"email": ["submitted"], "daily_digest": true}"#;
    let (status, put) = call(&site, "PUT", path, &chef, settings).await;
    assert_eq!(status, StatusCode::OK, "{put}");
    let (_, got) = call(&site, "GET", path, &chef, "").await;
    assert_eq!(got["email"], serde_json::json!(["submitted"]));
    assert_eq!(got["daily_digest"], true);
    let unknown = r#"{"email": ["mentioned"], "daily_digest": false}"#;
    let refused = send_json(&site, "PUT", path, Some(&chef), unknown).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Genre de notification inconnu : « mentioned »")
    );
    let reader = token_for(&site, "chef@exemple.fr", TokenScope::Read).await;
    assert_eq!(
        call(&site, "PUT", path, &reader, settings).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, unchanged) = call(&site, "GET", path, &chef, "").await;
    assert_eq!(unchanged, got, "nothing changed by refused calls");
}

#[tokio::test]
async fn a_busy_morning_sends_each_digest_whole() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let story = write_story(&site, &julie, "La crue de la Loire", "Texte.").await;
    let id = rotative_domain::ArticleId(story.rsplit('/').next().unwrap().parse().unwrap());
    let newsroom = site.state.newsroom();
    let store = &site.state.store;
    let mut editors = Vec::new();
    for email in ["chef@exemple.fr", "julie@exemple.fr"] {
        let email = rotative_domain::Email::parse(email).unwrap();
        let account = store.user_by_email(&email).await.unwrap().unwrap();
        let actor = rotative_newsroom::Actor::from(&account);
        let all = rotative_domain::NoticeKind::ALL;
        newsroom
            .set_notification_settings(&actor, &all, true)
            .await
            .unwrap();
        editors.push(account.id);
    }
    // More notifications than one round handles: 150 for the first account, 60 for the other.
    let told: Vec<_> = std::iter::repeat_n(editors[0], 150)
        .chain(std::iter::repeat_n(editors[1], 60))
        .collect();
    let kind = rotative_domain::CorrectionKind::Update;
    store
        .add_correction_and_notify(id, kind, "Un fait.", editors[1], &told)
        .await
        .unwrap();
    let tomorrow = Timestamp::now() + 24.hours();
    let (first, letters) = mail_round_at(&site, tomorrow).await;
    assert_eq!(
        (first, letters.len()),
        (1, 1),
        "the second digest waits for the next round"
    );
    assert_eq!(
        letters[0]
            .text
            .matches("a ajouté une note publique")
            .count(),
        150
    );
    let (second, letters) = mail_round_at(&site, tomorrow).await;
    assert_eq!((second, letters.len()), (1, 1));
    assert_eq!(letters[0].to_address, "julie@exemple.fr");
    assert_eq!(
        letters[0]
            .text
            .matches("a ajouté une note publique")
            .count(),
        60,
        "whole"
    );
}
