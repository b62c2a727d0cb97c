//! What is not published stays out of readers' sight: a draft's invented section, subjects and
//! bylines; an edit racing a publication; a library description on someone else's published
//! story.

use axum::http::StatusCode;
use rotative_media::illustration;

use crate::{
    helpers::{Part, send_to},
    newsroom::{act, csrf, newsroom, sign_in, write_story},
};

#[tokio::test]
async fn a_drafts_section_subjects_and_byline_reach_no_public_page() {
    let site = newsroom().await;
    let lea = sign_in(&site, "stagiaire@exemple.fr").await;
    let token = csrf(&site, &lea).await;
    let fields = |section: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("headline", "Un brouillon".to_owned()),
            ("body", "Texte.".to_owned()),
            ("section", section.to_owned()),
            ("tags", "Sujet secret".to_owned()),
            ("authors", "Plume Inconnue".to_owned()),
            ("kind", "news".to_owned()),
            ("intent", "save".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let (site, lea) = (&site, lea.clone());
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            site.request("POST", "/redaction/articles", Some(&lea), Some(&pairs))
                .await
        }
    };
    let invented = post(fields("Site piraté - appelez le 0800 000 000")).await;
    assert_eq!(invented.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invented.body.contains("Seuls les chefs d"),
        "{}",
        invented.body
    );
    assert!(
        invented.body.contains("<select id=\"section\""),
        "contributors choose from a list"
    );
    let saved = post(fields("monde")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // An editor's new section, ahead of its first story, is not shown either.
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &chef, "Bientôt", "Texte.").await;
    let token = csrf(&site, &chef).await;
    let editor = site.request("GET", &story, Some(&chef), None).await;
    let moved = site
        .request(
            "POST",
            &story,
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("base_revision", &editor.field("base_revision").unwrap()),
                ("headline", "Bientôt"),
                ("body", "Texte."),
                ("section", "Sciences"),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);

    for hidden in [
        "/sujet/sujet-secret/",
        "/auteur/plume-inconnue/",
        "/sciences/",
        "/sujet/sujet-secret/feed.atom",
        "/sciences/feed.rss",
    ] {
        assert_eq!(
            site.get(hidden).await.status,
            StatusCode::NOT_FOUND,
            "{hidden}"
        );
    }
    let home = site.get("/").await.body;
    assert!(
        !home.contains("/sciences/") && !home.contains("Sciences"),
        "{home}"
    );
    let sitemap = site.get("/sitemaps/pages.xml").await.body;
    assert!(!sitemap.contains("sciences") && !sitemap.contains("sujet-secret"));

    // Published, the section appears everywhere at once.
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    site.state.follow_changes().await.unwrap();
    assert_eq!(site.get("/sciences/").await.status, StatusCode::OK);
    assert!(site.get("/").await.body.contains("/sciences/"));
}

#[tokio::test]
async fn publishing_refuses_a_text_saved_after_the_editor_read_it() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &julie, "Relu", "Le texte relu.").await;
    assert_eq!(
        act(&site, &julie, &story, "submit", "").await,
        StatusCode::SEE_OTHER
    );
    // The editor opens the story and reads it; the journalist's page is open too.
    let reviewed = site.request("GET", &story, Some(&chef), None).await;
    let revision = reviewed.field("base_revision").unwrap();
    let journalist = site.request("GET", &story, Some(&julie), None).await;
    let julie_token = csrf(&site, &julie).await;
    let autosave = |body: &'static str, base: String| {
        let (site, julie, token, story) =
            (&site, julie.clone(), julie_token.clone(), story.clone());
        async move {
            site.request(
                "POST",
                &format!("{story}/autosave"),
                Some(&julie),
                Some(&[
                    ("csrf", &token),
                    ("base_revision", &base),
                    ("headline", "Relu"),
                    ("body", body),
                    ("section", "monde"),
                    ("kind", "news"),
                ]),
            )
            .await
        }
    };

    // A change saved after the editor read the story: publishing refuses the unread text.
    let changed = autosave(
        "Le texte changé après la relecture.",
        journalist.field("base_revision").unwrap(),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let chef_token = csrf(&site, &chef).await;
    let publish = |revision: String| {
        let (site, chef, token, story) = (&site, chef.clone(), chef_token.clone(), story.clone());
        async move {
            site.request(
                "POST",
                &format!("{story}/action"),
                Some(&chef),
                Some(&[
                    ("csrf", &token),
                    ("action", "publish"),
                    ("revision", &revision),
                ]),
            )
            .await
        }
    };
    let refused = publish(revision).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("relisez"), "{}", refused.body);

    let journal = site
        .request("GET", "/redaction/journal", Some(&chef), None)
        .await;
    assert!(
        journal.body.contains("Enregistrement automatique"),
        "autosaves are in the journal"
    );
}

/// The journalist keeps typing (an autosave after each reply) while the editor publishes the
/// revision they read, retrying after each refusal: the published story ends at exactly the
/// revision the editor published, and no autosave lands after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn autosaves_racing_a_publication_never_land_after_it() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &julie, "Course", "Version 0.").await;
    let id = rotative_domain::ArticleId(story.rsplit('/').next().unwrap().parse().unwrap());
    let (julie_token, chef_token) = (csrf(&site, &julie).await, csrf(&site, &chef).await);
    let first = site.request("GET", &story, Some(&julie), None).await;
    let writer = {
        let (state, story) = (site.state.clone(), story.clone());
        let mut base = first.field("base_revision").unwrap();
        tokio::spawn(async move {
            for n in 1..=40 {
                let body = format!("Version {n}.");
                let reply = send_to(
                    &state,
                    "POST",
                    &format!("{story}/autosave"),
                    Some(&julie),
                    Some(&[
                        ("csrf", &julie_token),
                        ("base_revision", &base),
                        ("headline", "Course"),
                        ("body", &body),
                        ("section", "monde"),
                        ("kind", "news"),
                    ]),
                )
                .await;
                if reply.status != StatusCode::OK {
                    break;
                }
                let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
                base = json["base_revision"].to_string();
            }
        })
    };
    let published_revision = loop {
        let read = site.state.store.story_for_edit(id).await.unwrap().unwrap();
        let revision = read.current_revision_id.to_string();
        let answer = site
            .request(
                "POST",
                &format!("{story}/action"),
                Some(&chef),
                Some(&[
                    ("csrf", &chef_token),
                    ("action", "publish"),
                    ("revision", &revision),
                ]),
            )
            .await;
        if answer.status == StatusCode::SEE_OTHER {
            break read.current_revision_id;
        }
        assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    };
    writer.await.unwrap();
    let after = site.state.store.story_for_edit(id).await.unwrap().unwrap();
    assert_eq!(after.current_revision_id, published_revision);
    let text = site
        .state
        .store
        .revision(id, published_revision)
        .await
        .unwrap()
        .unwrap()
        .body_markdown;
    site.state.follow_changes().await.unwrap();
    let public = site.first_article_path().await;
    assert!(
        site.get(&public)
            .await
            .body
            .contains(text.trim_end_matches('.'))
    );
}

#[tokio::test]
async fn a_contributor_cannot_rewrite_an_image_on_someone_elses_published_story() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let image = illustration::draw("pont", 640, 360).unwrap();
    let uploaded = site
        .post_multipart(
            "/redaction/medias",
            &chef,
            &[
                Part::Text("csrf", &token),
                Part::Text("alt", "Le pont au matin"),
                Part::File("file", "pont.jpg", &image),
            ],
            true,
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&uploaded.body).unwrap();
    let key = json["key"].as_str().unwrap().to_owned();
    let media_url = json["edit_url"].as_str().unwrap().to_owned();
    let story = write_story(
        &site,
        &chef,
        "Le pont rouvre",
        &format!("Texte.\n\n![](media:{key} \"Le pont\")"),
    )
    .await;
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let lea = sign_in(&site, "stagiaire@exemple.fr").await;
    let lea_token = csrf(&site, &lea).await;
    let rewritten = site
        .request(
            "POST",
            &media_url,
            Some(&lea),
            Some(&[
                ("csrf", &lea_token),
                ("alt", "Texte imposé"),
                ("caption", "Légende imposée"),
                ("credit", ""),
            ]),
        )
        .await;
    assert_eq!(
        rewritten.status,
        StatusCode::FORBIDDEN,
        "{}",
        rewritten.body
    );
    assert!(rewritten.body.contains("Le pont rouvre"));
    site.state.follow_changes().await.unwrap();
    let public = site.first_article_path().await;
    let page = site.get(&public).await.body;
    assert!(page.contains("Le pont au matin") && !page.contains("imposé"));
}
