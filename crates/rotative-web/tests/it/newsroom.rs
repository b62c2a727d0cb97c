//! The newsroom through the real router: accounts, CSRF, roles, the workflow, revisions,
//! conflicts, corrections, scheduling.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use rotative_domain::{Email, Name, Role};
use rotative_web::auth::hash_password;

use crate::helpers::{TestSite, story};

pub const PASSWORD: &str = "un mot de passe solide";

pub async fn account(site: &TestSite, email: &str, name: &str, role: Role) {
    let hash = hash_password(PASSWORD).unwrap();
    site.state
        .store
        .create_user(
            &Email::parse(email).unwrap(),
            &Name::parse(name).unwrap(),
            role,
            Some(&hash),
            rotative_store::Audit::by(None, "user_add"),
        )
        .await
        .unwrap();
}

/// Signs in through the form and returns the session cookie.
pub async fn sign_in(site: &TestSite, email: &str) -> String {
    sign_in_with(site, email, PASSWORD).await
}

/// Signs in through the form with this password and returns the session cookie.
pub async fn sign_in_with(site: &TestSite, email: &str, password: &str) -> String {
    let form = site.get("/redaction/connexion").await;
    let sign_in_cookie = form.cookie();
    let csrf = form.field("csrf").unwrap();
    let response = site
        .request(
            "POST",
            "/redaction/connexion",
            Some(&sign_in_cookie),
            Some(&[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("suite", "/redaction/"),
            ]),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let cookie = response.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && cookie.contains("Path=/redaction")
    );
    cookie.split(';').next().unwrap().to_owned()
}

/// The session's CSRF token, read from a newsroom page.
pub async fn csrf(site: &TestSite, cookie: &str) -> String {
    site.request("GET", "/redaction/", Some(cookie), None)
        .await
        .field("csrf")
        .unwrap()
}

pub async fn write_story(site: &TestSite, cookie: &str, headline: &str, body: &str) -> String {
    let csrf = csrf(site, cookie).await;
    let response = site
        .request(
            "POST",
            "/redaction/articles",
            Some(cookie),
            Some(&[
                ("csrf", &csrf),
                ("headline", headline),
                ("standfirst", "Le chapeau."),
                ("body", body),
                ("section", "monde"),
                ("tags", "Bélarus, Russie"),
                ("authors", ""),
                (
                    "sources",
                    "Lettre des officiers | https://exemple.fr/lettre.pdf",
                ),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response.location_path()
}

pub async fn act(site: &TestSite, cookie: &str, story: &str, action: &str, at: &str) -> StatusCode {
    let csrf = csrf(site, cookie).await;
    site.request(
        "POST",
        &format!("{story}/action"),
        Some(cookie),
        Some(&[("csrf", &csrf), ("action", action), ("scheduled_at", at)]),
    )
    .await
    .status
}

pub async fn newsroom() -> TestSite {
    let site = TestSite::with_stories(&[story("Déjà en ligne", "monde", "")], 10).await;
    account(&site, "julie@exemple.fr", "Julie Martin", Role::Journalist).await;
    account(&site, "chef@exemple.fr", "Paul Chef", Role::Editor).await;
    account(
        &site,
        "stagiaire@exemple.fr",
        "Léa Stagiaire",
        Role::Contributor,
    )
    .await;
    site
}

#[tokio::test]
async fn signed_out_people_are_sent_to_sign_in_and_back() {
    let site = newsroom().await;
    let page = site.get("/redaction/articles/nouveau").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.header("cache-control"),
        Some("no-store"),
        "newsroom answers are never cached"
    );
    assert_eq!(
        page.header("location"),
        Some("/redaction/connexion?suite=/redaction/articles/nouveau")
    );
    assert!(page.header("set-cookie").is_none());
    let form = site
        .get("/redaction/connexion?suite=https://evil.example/")
        .await;
    assert_eq!(
        form.field("suite").as_deref(),
        Some("/redaction/"),
        "never off-site"
    );
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_throttled() {
    let site = newsroom().await;
    let form = site.get("/redaction/connexion").await;
    let cookie = form.cookie();
    let csrf = form.field("csrf").unwrap();
    let attempt = |password: &'static str| {
        let (site, cookie, csrf) = (&site, cookie.clone(), csrf.clone());
        async move {
            site.request(
                "POST",
                "/redaction/connexion",
                Some(&cookie),
                Some(&[
                    ("email", "julie@exemple.fr"),
                    ("password", password),
                    ("csrf", &csrf),
                ]),
            )
            .await
        }
    };
    for _ in 0..5 {
        let page = attempt("mauvais").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains("Adresse ou mot de passe incorrect"));
    }
    let blocked = attempt(PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("Trop de tentatives"));
    let forged = site
        .request(
            "POST",
            "/redaction/connexion",
            None,
            Some(&[
                ("email", "chef@exemple.fr"),
                ("password", PASSWORD),
                ("csrf", "x"),
            ]),
        )
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a sign-in form from elsewhere is refused"
    );
}

#[tokio::test]
async fn posts_without_the_session_token_are_refused() {
    let site = newsroom().await;
    let cookie = sign_in(&site, "julie@exemple.fr").await;
    let page = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&cookie),
            Some(&[
                ("headline", "Sans jeton"),
                ("body", "x"),
                ("section", "monde"),
                ("kind", "news"),
            ]),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&cookie),
            Some(&[
                ("csrf", "faux"),
                ("headline", "Sans jeton"),
                ("body", "x"),
                ("section", "monde"),
                ("kind", "news"),
            ]),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(site.get("/").await.body.contains("Déjà en ligne"));
}

#[tokio::test]
async fn journalist_writes_editor_publishes_reader_reads() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let story = write_story(
        &site,
        &julie,
        "Minsk sous pression",
        "Premier paragraphe.\n\n> Nous tiendrons.\n>\n> — Un officier",
    )
    .await;
    assert_eq!(
        act(&site, &julie, &story, "publish", "").await,
        StatusCode::FORBIDDEN,
        "journalists do not publish"
    );
    assert_eq!(
        act(&site, &julie, &story, "submit", "").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&site, &julie, &story, "submit", "").await,
        StatusCode::CONFLICT,
        "already in review"
    );

    let chef = sign_in(&site, "chef@exemple.fr").await;
    let dashboard = site
        .request("GET", "/redaction/?etat=in_review", Some(&chef), None)
        .await;
    assert!(dashboard.body.contains("Minsk sous pression"));
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let editor_page = site.request("GET", &story, Some(&chef), None).await;
    let start = editor_page.body.find("— <a href=\"/monde/").unwrap() + 13;
    let public =
        editor_page.body[start..start + editor_page.body[start..].find('"').unwrap()].to_owned();
    let page = site.get(&public).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Minsk sous pression</h1>"));
    assert!(
        page.body
            .contains("<a href=\"/auteur/julie-martin/\" rel=\"author\">Julie Martin</a>"),
        "the writer signs by default"
    );
    assert!(page.body.contains("<figcaption>— Un officier</figcaption>"));
    assert!(page.body.contains("<a href=\"https://exemple.fr/lettre.pdf\" rel=\"noopener noreferrer nofollow\">Lettre des officiers</a>"));

    let log = site
        .request("GET", "/redaction/journal", Some(&chef), None)
        .await;
    assert!(log.body.contains("Publier") && log.body.contains("Paul Chef"));
    assert_eq!(
        site.request("GET", "/redaction/journal", Some(&julie), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    correct_publicly(&site, &chef, &story, &public).await;

    assert_eq!(
        act(&site, &chef, &story, "unpublish", "").await,
        StatusCode::SEE_OTHER
    );
    let gone = site.get(&public).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("Article retiré"));
}

/// A correction shows on the story and on the corrections page, and moves the updated date of
/// the page, of its JSON-LD and of its feed entry.
async fn correct_publicly(site: &TestSite, chef: &str, story: &str, public: &str) {
    let token = csrf(site, chef).await;
    // A note of spaces is refused in the editor, beside the note, with what was typed.
    let empty = site
        .request(
            "POST",
            &format!("{story}/corrections"),
            Some(chef),
            Some(&[("csrf", &token), ("kind", "correction"), ("note", "   ")]),
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(
        empty.body.contains("L’action n’a pas abouti"),
        "{}",
        empty.body
    );
    assert!(
        empty
            .body
            .contains("aria-invalid=\"true\" aria-describedby=\"note-erreur\">   </textarea>")
    );
    assert!(
        empty
            .body
            .contains("<p class=\"field-error\" id=\"note-erreur\">")
    );
    let note = site
        .request(
            "POST",
            &format!("{story}/corrections"),
            Some(chef),
            Some(&[
                ("csrf", &token),
                ("kind", "correction"),
                ("note", "Le nom de la brigade était erroné."),
            ]),
        )
        .await;
    assert_eq!(note.status, StatusCode::SEE_OTHER);
    let corrected = site.get(public).await.body;
    assert!(corrected.contains("Le nom de la brigade était erroné."));
    assert!(corrected.contains("Mis à jour le"));
    assert!(
        site.get("/corrections/")
            .await
            .body
            .contains("Le nom de la brigade était erroné.")
    );
    let modified = corrected
        .split("\"dateModified\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(corrected.contains(&format!(
        "<meta property=\"article:modified_time\" content=\"{modified}\">"
    )));
    let feed: serde_json::Value = serde_json::from_str(&site.get("/feed.json").await.body).unwrap();
    let entry = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["url"].as_str().unwrap().ends_with(public))
        .unwrap();
    assert_eq!(
        entry["date_modified"],
        modified.as_str(),
        "the feed entry is updated too"
    );
}

#[tokio::test]
async fn contributors_touch_only_their_own_drafts() {
    let site = newsroom().await;
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let story = write_story(&site, &julie, "Le brouillon de Julie", "Texte.").await;
    let lea = sign_in(&site, "stagiaire@exemple.fr").await;
    assert_eq!(
        site.request("GET", &story, Some(&lea), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !site
            .request("GET", "/redaction/", Some(&lea), None)
            .await
            .body
            .contains("Le brouillon de Julie")
    );
    let own = write_story(&site, &lea, "Le brouillon de Léa", "Texte.").await;
    assert_eq!(
        act(&site, &lea, &own, "submit", "").await,
        StatusCode::SEE_OTHER
    );
    let token = csrf(&site, &lea).await;
    let late_edit = site
        .request(
            "POST",
            &own,
            Some(&lea),
            Some(&[
                ("csrf", &token),
                ("headline", "Modifié"),
                ("body", "x"),
                ("section", "monde"),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(
        late_edit.status,
        StatusCode::FORBIDDEN,
        "in review, a contributor's draft is the editors'"
    );
}

#[tokio::test]
async fn the_dashboard_filters_in_the_query_and_pages_a_large_archive() {
    let site = newsroom().await;
    let lea = sign_in(&site, "stagiaire@exemple.fr").await;
    write_story(&site, &lea, "Le premier brouillon de Léa", "Texte.").await;
    // Then the rest of the newsroom publishes 210 stories.
    let time_zone = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    let importer = rotative_import::Importer {
        store: &site.state.store,
        storage: &site.state.storage,
        theme: &site.state.theme,
        time_zone: &time_zone,
    };
    for n in 0..210 {
        // A few in another section, a few signed by one reporter: what the filters pick out.
        let section = if n < 3 { "Culture" } else { "monde" };
        let byline = if n % 50 == 0 {
            "authors = [\"Anne Reporter\"]\n"
        } else {
            ""
        };
        let text = format!(
            "+++\nheadline = \"Dépêche {n}\"\nsection = \"{section}\"\n{byline}+++\nTexte {n}.\n"
        );
        let parsed = rotative_import::parse_story(&text).unwrap();
        importer
            .import(parsed, &std::collections::HashMap::new())
            .await
            .unwrap();
    }
    let own = site.request("GET", "/redaction/", Some(&lea), None).await;
    assert!(
        own.body.contains("Le premier brouillon de Léa"),
        "{}",
        own.body
    );
    assert!(
        !own.body.contains("Dépêche"),
        "a contributor sees only their own"
    );
    assert!(own.body.contains("en brouillon (1)"), "{}", own.body);

    let chef = sign_in(&site, "chef@exemple.fr").await;
    let first = site.request("GET", "/redaction/", Some(&chef), None).await;
    assert_eq!(first.count("<tr"), 51, "a heading row and fifty stories");
    assert!(
        first.body.contains("href=\"/redaction/?page=2\""),
        "{}",
        first.body
    );
    let last = site
        .request("GET", "/redaction/?page=5", Some(&chef), None)
        .await;
    assert_eq!(last.status, StatusCode::OK);
    // 212 stories: the one already online, Léa's and the 210 new ones.
    assert_eq!(last.count("<tr"), 13);
    assert!(last.body.contains("Le premier brouillon de Léa"));
    assert!(!last.body.contains("?page=6"));
    let beyond = site
        .request("GET", "/redaction/?page=6", Some(&chef), None)
        .await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND);
    let drafts = site
        .request("GET", "/redaction/?etat=draft&page=1", Some(&chef), None)
        .await;
    assert!(drafts.body.contains("Le premier brouillon de Léa"));
    assert!(!drafts.body.contains("Dépêche 3"));
    // Who last saved it, and when: Léa, not an import.
    assert!(
        drafts.body.contains("<br><span class=\"hint\">par "),
        "{}",
        drafts.body
    );

    // Filters by section and by byline, each page holding only what they ask for.
    let culture = site
        .request("GET", "/redaction/?rubrique=culture", Some(&chef), None)
        .await;
    assert_eq!(culture.count("<tr"), 4, "{}", culture.body);
    assert!(culture.body.contains("Dépêche 2") && !culture.body.contains("Dépêche 3<"));
    let anne = site
        .request("GET", "/redaction/?auteur=anne-reporter", Some(&chef), None)
        .await;
    assert_eq!(anne.count("<tr"), 6, "Dépêches 0, 50, 100, 150, 200");
    assert!(
        anne.body.contains("<td>Anne Reporter</td>"),
        "{}",
        anne.body
    );
    let both = site
        .request(
            "GET",
            "/redaction/?rubrique=culture&auteur=anne-reporter",
            Some(&chef),
            None,
        )
        .await;
    assert_eq!(both.count("<tr"), 2, "Dépêche 0 alone");
}

#[tokio::test]
async fn concurrent_saves_keep_both_texts() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &chef, "Deux plumes", "Version de départ.").await;
    let editor = site.request("GET", &story, Some(&chef), None).await;
    let base = editor.field("base_revision").unwrap();
    let token = editor.field("csrf").unwrap();
    let save = |body: &'static str| {
        let (site, chef, story, base, token) = (
            &site,
            chef.clone(),
            story.clone(),
            base.clone(),
            token.clone(),
        );
        async move {
            site.request(
                "POST",
                &story,
                Some(&chef),
                Some(&[
                    ("csrf", &token),
                    ("base_revision", &base),
                    ("headline", "Deux plumes"),
                    ("body", body),
                    ("section", "monde"),
                    ("kind", "news"),
                    ("intent", "save"),
                ]),
            )
            .await
        }
    };
    assert_eq!(
        save("Version de la première plume.").await.status,
        StatusCode::SEE_OTHER
    );
    let second = save("Version de la seconde plume.").await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Quelqu’un a enregistré cet article"));
    assert!(
        second.body.contains("<del>première</del>") && second.body.contains("<ins>seconde</ins>"),
        "{}",
        second.body
    );
    assert!(
        second.body.contains("Version de la seconde plume."),
        "what was typed stays in the form"
    );
    let history = site
        .request("GET", &format!("{story}/historique"), Some(&chef), None)
        .await;
    assert!(history.body.contains("conflit, non appliquée"));
}

#[tokio::test]
async fn hostile_bodies_never_reach_a_page() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(
        &site,
        &chef,
        "<script>alert(1)</script> Titre",
        "<script>alert(2)</script>\n\n[lien](javascript:alert(3)) <img src=x onerror=alert(4)> <p style=\"background:url(javascript:alert(5))\">x</p>",
    )
    .await;
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let public = site.first_article_path().await;
    let page = site.get(&public).await.body;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the headline is text"
    );
    for hostile in ["<script>alert", "javascript:", "onerror", "style="] {
        assert!(!page.contains(hostile), "{hostile} reached the page");
    }
}

#[tokio::test]
async fn oversized_body_is_refused_and_kept_in_the_form() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let body = "mot ".repeat(200_000);
    let page = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("headline", "Trop long"),
                ("body", &body),
                ("section", "monde"),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.body.contains("taille maximale"));
    assert!(page.body.contains("Trop long"), "the draft is kept");
}

#[tokio::test]
async fn scheduled_stories_go_live_on_time_once() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &chef, "À paraître", "Bientôt.").await;
    assert_eq!(
        act(&site, &chef, &story, "schedule", "2020-01-01T08:00").await,
        StatusCode::CONFLICT,
        "not in the past"
    );
    let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2))
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    assert_eq!(
        act(&site, &chef, &story, "schedule", &soon).await,
        StatusCode::SEE_OTHER
    );
    // The editor and the dashboard say when, and the date field holds it.
    let editor = site.request("GET", &story, Some(&chef), None).await;
    assert!(
        editor.body.contains("<strong>programmé</strong> pour le "),
        "{}",
        editor.body
    );
    assert!(editor.body.contains(&format!("value=\"{}\"", &soon[..16])));
    let dashboard = site
        .request("GET", "/redaction/?etat=scheduled", Some(&chef), None)
        .await;
    assert!(
        dashboard.body.contains("<span class=\"hint\">pour le "),
        "{}",
        dashboard.body
    );
    // What the scheduling job does every second.
    let publish_due = || async {
        let time_zone = site.state.site().time_zone.clone();
        site.state.newsroom().publish_due(&time_zone).await.unwrap()
    };
    assert_eq!(publish_due().await, 0, "not yet");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(publish_due().await, 1);
    assert_eq!(publish_due().await, 0, "exactly once");
    assert!(site.get("/").await.body.contains("À paraître"));
}

#[tokio::test]
async fn sources_must_be_web_addresses() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let page = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("headline", "Sources"),
                ("body", "Texte."),
                ("section", "monde"),
                ("kind", "news"),
                ("sources", "Piège | javascript:alert(1)"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("href=\"#sources\""),
        "the error points at the field"
    );
    assert!(
        page.body.contains("Piège | javascript:alert(1)"),
        "what was typed is kept"
    );
}

#[tokio::test]
async fn headlines_for_search_and_sharing_are_checked_and_kept_in_the_form() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let too_long = "Une description bien trop longue. ".repeat(10);
    let mut fields = vec![
        ("csrf", token.as_str()),
        ("headline", "Le budget de la ville est voté"),
        ("body", "Le conseil a voté."),
        ("section", "monde"),
        ("kind", "news"),
        ("search_headline", "Budget municipal 2027 : ce qui change"),
        ("social_description", too_long.as_str()),
        ("intent", "save"),
    ];
    let page = site
        .request("POST", "/redaction/articles", Some(&chef), Some(&fields))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("href=\"#social_description\""),
        "{}",
        page.body
    );
    assert!(page.body.contains(
        "id=\"social_description-erreur\">La description pour les réseaux sociaux compte 300 caractères au plus."
    ));
    assert!(
        page.body
            .contains("value=\"Budget municipal 2027 : ce qui change\""),
        "what was typed is kept"
    );
    assert!(
        page.body
            .contains("<details class=\"search-and-social\" open>")
    );

    fields[6].1 = "Ce que le vote change pour les impôts locaux.";
    let saved = site
        .request("POST", "/redaction/articles", Some(&chef), Some(&fields))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let editor = site
        .request("GET", &saved.location_path(), Some(&chef), None)
        .await;
    assert!(
        editor
            .body
            .contains("Ce que le vote change pour les impôts locaux.</textarea>")
    );
    assert!(
        editor
            .body
            .contains("value=\"Budget municipal 2027 : ce qui change\"")
    );
}

#[tokio::test]
async fn autosave_and_live_preview_answer_the_editor_script() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &chef, "Autosauvegarde", "Début.").await;
    let editor = site.request("GET", &story, Some(&chef), None).await;
    let csp = editor.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        editor.body.contains("<script src=\"/theme/editor."),
        "the editor loads its script"
    );
    let script = editor
        .body
        .split("<script src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let served = site.get(&script).await;
    assert_eq!(served.status, StatusCode::OK);
    assert!(
        served
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        !site.get("/").await.body.contains("<script src"),
        "readers' pages load no script"
    );

    let base = editor.field("base_revision").unwrap();
    let token = editor.field("csrf").unwrap();
    let fields = |body: &'static str, base: String| {
        vec![
            ("csrf".to_owned(), token.clone()),
            ("base_revision".to_owned(), base),
            ("headline".to_owned(), "Autosauvegarde".to_owned()),
            ("body".to_owned(), body.to_owned()),
            ("section".to_owned(), "monde".to_owned()),
            ("kind".to_owned(), "news".to_owned()),
        ]
    };
    let post = |fields: Vec<(String, String)>| {
        let (site, chef, story) = (&site, chef.clone(), story.clone());
        async move {
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            site.request(
                "POST",
                &format!("{story}/autosave"),
                Some(&chef),
                Some(&pairs),
            )
            .await
        }
    };
    let saved = post(fields("Début, puis la suite.", base.clone())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let reply: serde_json::Value = serde_json::from_str(&saved.body).unwrap();
    assert_eq!(reply["status"], "saved");
    let stale = post(fields("Autre texte.", base)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let fresh = post(fields(
        "Encore la suite.",
        reply["base_revision"].to_string(),
    ))
    .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);

    let preview = site
        .request(
            "POST",
            "/redaction/apercu",
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("body", "Il dit : « oui » <script>x</script>"),
            ]),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("dit&nbsp;: «\u{202f}oui\u{202f}»")
            && !preview.body.contains("<script"),
        "{}",
        preview.body
    );
}

#[tokio::test]
async fn a_published_story_is_never_autosaved() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(&site, &chef, "En ligne", "Le texte publié.").await;
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    // Saved only when asked: an autosave (an old tab's, say) is refused and changes nothing.
    let editor = site.request("GET", &story, Some(&chef), None).await;
    assert!(editor.body.contains("data-manual-save"));
    let (base, token) = (
        editor.field("base_revision").unwrap(),
        editor.field("csrf").unwrap(),
    );
    let late = site
        .request(
            "POST",
            &format!("{}/autosave", story.split('?').next().unwrap()),
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("base_revision", &base),
                ("headline", "En ligne"),
                ("body", "Une phrase à moitié"),
                ("section", "monde"),
                ("kind", "news"),
            ]),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    let online = site.request("GET", &story, Some(&chef), None).await;
    assert!(online.body.contains("Le texte publié."));
    assert!(!online.body.contains("Une phrase à moitié"));
}

/// What every form of the authorization table carries besides its token, action and kind: a
/// field for each form, so only the rights decide.
const TABLE_FIELDS: [(&str, &str); 25] = [
    ("headline", "Le brouillon de Julie"),
    ("body", "Texte revu."),
    ("section", "monde"),
    ("intent", "save"),
    ("note", "Une note."),
    ("session", "autres"),
    ("secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
    ("code", "000000"),
    ("email", "nouveau@exemple.fr"),
    ("name", "Nouvelle Recrue"),
    ("role", "editor"),
    ("scope", "read"),
    ("url", "https://partenaire.example/autre"),
    ("story.published", "on"),
    ("password", "provisoire-1234"),
    ("description", "Un journal."),
    ("page_size", "12"),
    ("direction", "later"),
    ("slug", "une-autre-adresse"),
    ("old", "/ancien-lien/"),
    ("target", "/monde/"),
    ("into", "1"),
    ("current", PASSWORD),
    ("new", "un nouveau mot de passe"),
    ("confirm", "un nouveau mot de passe"),
];

/// Who makes the request in the authorization table.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    Contributor,
    Journalist,
    Editor,
    Admin,
}

const WHO: [Who; 5] = [
    Who::Anonymous,
    Who::Contributor,
    Who::Journalist,
    Who::Editor,
    Who::Admin,
];

/// Every newsroom route and the status each person gets. `{A}` is a draft of the journalist's,
/// `{C}` a draft of the contributor's, `{P}` a published story nobody in the newsroom wrote,
/// `{B}` the journalist's byline.
/// 303 for an anonymous person is the way to the sign-in page.
const TABLE: [(&str, &str, [u16; 5]); 98] = [
    //                                                  anon  contrib journ editor admin
    // The sign-in form is open to all; signing in needs the form's own token, which a
    // session's token is not.
    ("GET", "/redaction/connexion", [200, 200, 200, 200, 200]),
    ("POST", "/redaction/connexion", [403, 403, 403, 403, 403]),
    // The second step of sign-in needs the cookie a right password gives, and the form's own
    // token.
    (
        "GET",
        "/redaction/connexion/code",
        [303, 303, 303, 303, 303],
    ),
    (
        "POST",
        "/redaction/connexion/code",
        [403, 403, 403, 403, 403],
    ),
    ("GET", "/redaction", [308, 308, 308, 308, 308]),
    ("GET", "/redaction/", [303, 200, 200, 200, 200]),
    (
        "GET",
        "/redaction/articles/nouveau",
        [303, 200, 200, 200, 200],
    ),
    ("POST", "/redaction/articles", [303, 303, 303, 303, 303]),
    ("GET", "/redaction/articles/{A}", [303, 403, 200, 200, 200]),
    // « Voir en grand »: whoever may open the story.
    (
        "GET",
        "/redaction/articles/{A}/apercu",
        [303, 403, 200, 200, 200],
    ),
    ("POST", "/redaction/articles/{A}", [303, 403, 303, 303, 303]),
    (
        "POST",
        "/redaction/articles/{A}/autosave",
        [303, 403, 200, 200, 200],
    ),
    (
        "POST",
        "/redaction/articles/{A}/action?submit",
        [303, 403, 303, 303, 303],
    ),
    (
        "POST",
        "/redaction/articles/{A}/action?publish",
        [303, 403, 403, 303, 303],
    ),
    (
        "POST",
        "/redaction/articles/{A}/action?unpublish",
        [303, 403, 403, 409, 409],
    ),
    // Only published stories are pinned.
    (
        "POST",
        "/redaction/articles/{A}/action?pin",
        [303, 403, 403, 409, 409],
    ),
    (
        "POST",
        "/redaction/articles/{A}/corrections",
        [303, 403, 403, 409, 409],
    ),
    (
        "GET",
        "/redaction/articles/{A}/historique",
        [303, 403, 200, 200, 200],
    ),
    (
        "POST",
        "/redaction/articles/{A}/adresse",
        [303, 403, 303, 303, 303],
    ),
    (
        "POST",
        "/redaction/articles/{A}/historique/{R}/restaurer",
        [303, 403, 303, 303, 303],
    ),
    ("GET", "/redaction/journal", [303, 403, 403, 200, 200]),
    ("GET", "/redaction/comptes", [303, 403, 403, 403, 200]),
    ("POST", "/redaction/comptes", [303, 403, 403, 403, 303]),
    (
        "POST",
        "/redaction/comptes/{J}/role",
        [303, 403, 403, 403, 303],
    ),
    // The journalist's account has its password: only accounts without one are invited.
    (
        "POST",
        "/redaction/comptes/{J}/invitation",
        [303, 403, 403, 403, 409],
    ),
    (
        "POST",
        "/redaction/comptes/invitations",
        [303, 403, 403, 403, 303],
    ),
    // Administrators take a second factor off an account, and say which roles must use one;
    // the journalist's own account is hers to change, and has none.
    (
        "POST",
        "/redaction/comptes/{J}/double-authentification/retrait",
        [303, 403, 409, 403, 409],
    ),
    (
        "POST",
        "/redaction/comptes/double-authentification",
        [303, 403, 403, 403, 303],
    ),
    // An invitation's page needs no session, only its link: `{I}` is one that never existed.
    (
        "GET",
        "/redaction/invitation/{I}",
        [410, 410, 410, 410, 410],
    ),
    (
        "POST",
        "/redaction/invitation/{I}",
        [410, 410, 410, 410, 410],
    ),
    // So are a forgotten password's form (asking needs the form's own token) and link.
    (
        "GET",
        "/redaction/mot-de-passe-oublie",
        [200, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/redaction/mot-de-passe-oublie",
        [403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/redaction/nouveau-mot-de-passe/{I}",
        [410, 410, 410, 410, 410],
    ),
    (
        "POST",
        "/redaction/nouveau-mot-de-passe/{I}",
        [410, 410, 410, 410, 410],
    ),
    // Everyone makes and revokes their own API tokens; an administrator, anybody's. `{T}` is
    // the journalist's.
    ("GET", "/redaction/jetons", [303, 200, 200, 200, 200]),
    ("POST", "/redaction/jetons", [303, 201, 201, 201, 201]),
    (
        "POST",
        "/redaction/jetons/{T}/revocation",
        [303, 404, 303, 404, 303],
    ),
    // Webhooks are the administrators'. `{W}` is one of them.
    ("GET", "/redaction/webhooks", [303, 403, 403, 403, 200]),
    ("POST", "/redaction/webhooks", [303, 403, 403, 403, 201]),
    ("GET", "/redaction/webhooks/{W}", [303, 403, 403, 403, 200]),
    (
        "POST",
        "/redaction/webhooks/{W}/suppression",
        [303, 403, 403, 403, 303],
    ),
    // Sections are the editors'. `{S}` holds the published story: merging it into itself
    // (`into` is its own id) is refused, and so is removing it.
    ("GET", "/redaction/rubriques", [303, 403, 403, 200, 200]),
    ("POST", "/redaction/rubriques", [303, 403, 403, 303, 303]),
    ("GET", "/redaction/rubriques/{S}", [303, 403, 403, 200, 200]),
    (
        "POST",
        "/redaction/rubriques/{S}",
        [303, 403, 403, 303, 303],
    ),
    (
        "POST",
        "/redaction/rubriques/{S}/ordre",
        [303, 403, 403, 303, 303],
    ),
    (
        "POST",
        "/redaction/rubriques/{S}/fusion",
        [303, 403, 403, 409, 409],
    ),
    (
        "POST",
        "/redaction/rubriques/{S}/suppression",
        [303, 403, 403, 409, 409],
    ),
    // The front page is the editors'.
    ("GET", "/redaction/une", [303, 403, 403, 200, 200]),
    ("POST", "/redaction/une", [303, 403, 403, 303, 303]),
    // The site's pages and its footer are the editors'.
    ("GET", "/redaction/pages", [303, 403, 403, 200, 200]),
    (
        "GET",
        "/redaction/pages/nouvelle",
        [303, 403, 403, 200, 200],
    ),
    ("POST", "/redaction/pages", [303, 403, 403, 303, 303]),
    (
        "POST",
        "/redaction/pages/pied-de-page",
        [303, 403, 403, 303, 303],
    ),
    // Everyone describes their own byline; editors, every byline, and add those of guests.
    ("GET", "/redaction/profil", [303, 303, 303, 303, 303]),
    ("GET", "/redaction/signatures", [303, 403, 403, 200, 200]),
    ("POST", "/redaction/signatures", [303, 403, 403, 303, 303]),
    (
        "GET",
        "/redaction/signatures/{B}",
        [303, 403, 200, 200, 200],
    ),
    (
        "POST",
        "/redaction/signatures/{B}",
        [303, 403, 303, 303, 303],
    ),
    // Redirects too; the sites they may lead to are the administrators'. The fresh site has
    // no redirect to remove.
    ("GET", "/redaction/redirections", [303, 403, 403, 200, 200]),
    ("POST", "/redaction/redirections", [303, 403, 403, 303, 303]),
    (
        "POST",
        "/redaction/redirections/suppression",
        [303, 403, 403, 404, 404],
    ),
    (
        "POST",
        "/redaction/redirections/sites",
        [303, 403, 403, 403, 303],
    ),
    ("GET", "/redaction/reglages", [303, 403, 403, 403, 200]),
    ("POST", "/redaction/reglages", [303, 403, 403, 403, 303]),
    // Everyone reads their own notifications, marks them read and chooses what comes by
    // email; `{N}` is nobody's notification.
    ("GET", "/redaction/notifications", [303, 200, 200, 200, 200]),
    (
        "GET",
        "/redaction/notifications/{N}",
        [303, 404, 404, 404, 404],
    ),
    (
        "POST",
        "/redaction/notifications/lues",
        [303, 303, 303, 303, 303],
    ),
    (
        "POST",
        "/redaction/notifications/reglages",
        [303, 303, 303, 303, 303],
    ),
    // Everyone sees and ends their own sessions (here: every other one).
    ("GET", "/redaction/securite", [303, 200, 200, 200, 200]),
    (
        "POST",
        "/redaction/securite/sessions",
        [303, 303, 303, 303, 303],
    ),
    // Everyone turns their own second factor on (here with a wrong code) and off; nobody here
    // has one to turn off or renew the recovery codes of.
    (
        "GET",
        "/redaction/securite/double-authentification",
        [303, 200, 200, 200, 200],
    ),
    (
        "POST",
        "/redaction/securite/double-authentification",
        [303, 422, 422, 422, 422],
    ),
    (
        "POST",
        "/redaction/securite/codes-de-secours",
        [303, 409, 409, 409, 409],
    ),
    (
        "POST",
        "/redaction/securite/double-authentification/desactivation",
        [303, 409, 409, 409, 409],
    ),
    ("GET", "/redaction/mot-de-passe", [303, 200, 200, 200, 200]),
    ("POST", "/redaction/apercu", [303, 200, 200, 200, 200]),
    ("POST", "/redaction/deconnexion", [303, 303, 303, 303, 303]),
    ("GET", "/redaction/medias", [303, 200, 200, 200, 200]),
    // A form without a file part is not an upload.
    ("POST", "/redaction/medias", [303, 400, 400, 400, 400]),
    ("GET", "/redaction/medias/{M}", [303, 200, 200, 200, 200]),
    // The image is on a published story only editors may change: so is its description.
    ("POST", "/redaction/medias/{M}", [303, 403, 403, 303, 303]),
    ("POST", "/redaction/mot-de-passe", [303, 303, 303, 303, 303]),
    // Each person's own draft against somebody else's.
    ("GET", "/redaction/articles/{C}", [303, 200, 403, 200, 200]),
    (
        "GET",
        "/redaction/articles/{C}/apercu",
        [303, 200, 403, 200, 200],
    ),
    ("POST", "/redaction/articles/{C}", [303, 303, 403, 303, 303]),
    (
        "POST",
        "/redaction/articles/{C}/autosave",
        [303, 200, 403, 200, 200],
    ),
    (
        "POST",
        "/redaction/articles/{C}/action?submit",
        [303, 303, 403, 303, 303],
    ),
    (
        "GET",
        "/redaction/articles/{C}/historique",
        [303, 200, 403, 200, 200],
    ),
    // A published story belongs to the editors.
    ("GET", "/redaction/articles/{P}", [303, 403, 403, 200, 200]),
    (
        "GET",
        "/redaction/articles/{P}/apercu",
        [303, 403, 403, 200, 200],
    ),
    ("POST", "/redaction/articles/{P}", [303, 403, 403, 303, 303]),
    (
        "POST",
        "/redaction/articles/{P}/action?pin",
        [303, 403, 403, 303, 303],
    ),
    (
        "POST",
        "/redaction/articles/{P}/action?unpublish",
        [303, 403, 403, 303, 303],
    ),
    (
        "POST",
        "/redaction/articles/{P}/corrections",
        [303, 403, 403, 303, 303],
    ),
    (
        "GET",
        "/redaction/articles/{P}/historique",
        [303, 403, 403, 200, 200],
    ),
    (
        "POST",
        "/redaction/articles/{P}/adresse",
        [303, 403, 403, 303, 303],
    ),
    // Only somebody's own draft goes back from review; an editor's move is always allowed.
    (
        "POST",
        "/redaction/articles/{P}/action?return_to_draft",
        [303, 403, 403, 409, 409],
    ),
];

/// The id of the story the test site opens with, published by an import (no newsroom author).
async fn published_story(site: &TestSite) -> String {
    let first = site
        .state
        .store
        .published_article_by_id(rotative_domain::ArticleId(1))
        .await
        .unwrap();
    first
        .expect("the imported story is published")
        .id
        .to_string()
}

/// An API token of the journalist's and a webhook, for the rows that act on them.
async fn token_and_webhook(
    site: &TestSite,
    journalist: rotative_domain::UserId,
) -> (rotative_domain::TokenId, rotative_domain::WebhookId) {
    let token = site
        .state
        .store
        .create_token(
            rotative_store::NewToken {
                owner: journalist,
                name: "Application mobile",
                scope: rotative_domain::TokenScope::Write,
                token_hash: "0123",
            },
            rotative_store::Audit::by(None, "token_add"),
        )
        .await
        .unwrap();
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
            rotative_store::Audit::by(None, "webhook_add"),
        )
        .await
        .unwrap();
    (token, webhook)
}

/// The route pattern a row of the table exercises.
fn route_pattern(row: &str) -> String {
    let path = row.split_once('?').map_or(row, |(path, _)| path);
    [
        "{A}", "{C}", "{P}", "{J}", "{M}", "{T}", "{W}", "{S}", "{B}", "{N}",
    ]
    .into_iter()
    .fold(path.to_owned(), |path, placeholder| {
        path.replace(placeholder, "{id}")
    })
    .replace("{R}", "{revision}")
    .replace("{I}", "{token}")
}

#[test]
fn the_table_covers_every_newsroom_route() {
    let routes: BTreeSet<(String, String)> = rotative_web::newsroom_routes()
        .into_iter()
        .map(|(method, path)| (method.to_string(), path.to_owned()))
        .collect();
    let covered: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|(method, row, _)| ((*method).to_owned(), route_pattern(row)))
        .collect();
    let unchecked: Vec<_> = routes.difference(&covered).collect();
    assert!(
        unchecked.is_empty(),
        "routes missing from the authorization table: {unchecked:?}"
    );
    let unknown: Vec<_> = covered.difference(&routes).collect();
    assert!(unknown.is_empty(), "rows for no route: {unknown:?}");
}

#[tokio::test]
async fn every_newsroom_route_for_every_role() {
    let mut wrong = Vec::new();
    for (method, route, expected) in TABLE {
        for (who, status) in WHO.into_iter().zip(expected) {
            // A fresh site each time: every request starts from the same draft.
            let site = newsroom().await;
            account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
            let julie = sign_in(&site, "julie@exemple.fr").await;
            let story = write_story(&site, &julie, "Le brouillon de Julie", "Texte.").await;
            let id = story.rsplit('/').next().unwrap();
            let lea = sign_in(&site, "stagiaire@exemple.fr").await;
            let own = write_story(&site, &lea, "Le brouillon de Léa", "Texte.").await;
            let contributors = own.rsplit('/').next().unwrap();
            let published = published_story(&site).await;
            let revision = site
                .state
                .store
                .revisions(rotative_domain::ArticleId(id.parse().unwrap()))
                .await
                .unwrap()[0]
                .id
                .to_string();
            let cookie = match who {
                Who::Anonymous => None,
                Who::Contributor => Some(lea),
                Who::Journalist => Some(julie),
                Who::Editor => Some(sign_in(&site, "chef@exemple.fr").await),
                Who::Admin => Some(sign_in(&site, "admin@exemple.fr").await),
            };
            let token = match &cookie {
                Some(cookie) => csrf(&site, cookie).await,
                None => String::new(),
            };
            let (path, action) = route.split_once('?').unwrap_or((route, ""));
            let journalist = site
                .state
                .store
                .user_by_email(&Email::parse("julie@exemple.fr").unwrap())
                .await
                .unwrap()
                .unwrap();
            let (api_token, webhook) = token_and_webhook(&site, journalist.id).await;
            let byline = site.state.newsroom().own_byline(&journalist).await.unwrap();
            let path = path
                .replace("{W}", &webhook.to_string())
                .replace("{T}", &api_token.to_string())
                .replace("{A}", id)
                .replace("{C}", contributors)
                .replace("{P}", &published)
                .replace("{R}", &revision)
                .replace("{J}", &journalist.id.to_string())
                .replace("{M}", "1")
                .replace("{S}", "1")
                .replace("{N}", "1")
                .replace("{B}", &byline.0.to_string())
                .replace("{I}", "0123456789abcdef");
            let kind = if path.ends_with("/corrections") {
                "correction"
            } else {
                "news"
            };
            // A story's kind, or a public note's on the corrections route.
            let mut fields = vec![("csrf", token.as_str()), ("action", action), ("kind", kind)];
            fields.extend(TABLE_FIELDS);
            let form = (method == "POST").then_some(fields.as_slice());
            let page = site.request(method, &path, cookie.as_deref(), form).await;
            if page.status.as_u16() != status {
                wrong.push(format!(
                    "{method} {route} as {who:?}: {} instead of {status}",
                    page.status.as_u16()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn fact_checks_need_a_claim_and_show_a_verdict() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let fields = |claim: &'static str| {
        vec![
            ("csrf", token.clone()),
            (
                "headline",
                "Non, la brigade ne compte pas dix mille hommes".to_owned(),
            ),
            (
                "body",
                "Les chiffres officiels disent autre chose.".to_owned(),
            ),
            ("section", "monde".to_owned()),
            ("kind", "factcheck".to_owned()),
            ("claim_text", claim.to_owned()),
            ("claim_author", "Un ministre".to_owned()),
            ("claim_rating", "false".to_owned()),
            ("intent", "save".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let (site, chef) = (&site, chef.clone());
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            site.request("POST", "/redaction/articles", Some(&chef), Some(&pairs))
                .await
        }
    };
    let missing = post(fields("")).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Une vérification indique l"));
    let created = post(fields("La brigade compte dix mille hommes.")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let story = created.location_path();
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let page = site.get(&site.first_article_path().await).await.body;
    assert!(
        page.contains("Notre verdict&nbsp;: <strong>Faux</strong>"),
        "{page}"
    );
    assert!(page.contains("\"@type\":\"ClaimReview\""));
}

#[tokio::test]
async fn administrators_change_the_site_settings_at_once() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let admin = sign_in(&site, "admin@exemple.fr").await;
    let token = csrf(&site, &admin).await;
    let save = |name: &'static str, page_size: &'static str| {
        let (site, admin, token) = (&site, admin.clone(), token.clone());
        async move {
            site.request(
                "POST",
                "/redaction/reglages",
                Some(&admin),
                Some(&[
                    ("csrf", &token),
                    ("name", name),
                    ("description", "Le journal du quartier."),
                    ("page_size", page_size),
                ]),
            )
            .await
        }
    };
    assert_eq!(
        save("", "10").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        save("La Gazette", "0").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(save("La Gazette", "5").await.status, StatusCode::SEE_OTHER);
    let home = site.get("/").await.body;
    assert!(
        home.contains("<title>La Gazette</title>"),
        "the new name shows at once"
    );
    assert!(home.contains("Le journal du quartier."));
    let atom = site.get("/feed.atom").await.body;
    assert!(
        atom.contains("<title>La Gazette</title>") && !atom.contains("<content"),
        "summary-only feeds"
    );
    let stored = rotative_newsroom::with_stored_settings(
        &site.state.store,
        site.state.site().as_ref().clone(),
    )
    .await
    .unwrap();
    assert_eq!(
        (
            stored.name.as_str(),
            stored.page_size,
            stored.feed_full_text
        ),
        ("La Gazette", 5, false),
        "kept for the next start"
    );
}

#[tokio::test]
async fn editors_pin_a_story_to_the_top_of_the_home_page() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let older = write_story(&site, &chef, "Le pont de la ville", "Texte.").await;
    assert_eq!(
        act(&site, &chef, &older, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let newer = write_story(&site, &chef, "La foire aux livres", "Texte.").await;
    assert_eq!(
        act(&site, &chef, &newer, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let order = |home: &str| home.find("Le pont de la ville") < home.find("La foire aux livres");
    assert!(!order(&site.get("/").await.body), "newest first");

    let editor = site.request("GET", &older, Some(&chef), None).await;
    assert!(
        editor.body.contains("Mettre en tête de la une"),
        "{}",
        editor.body
    );
    assert_eq!(
        act(&site, &chef, &older, "pin", "").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&site, &chef, &older, "pin", "").await,
        StatusCode::CONFLICT
    );
    assert!(order(&site.get("/").await.body), "the pinned story leads");
    let editor = site.request("GET", &older, Some(&chef), None).await;
    assert!(editor.body.contains("Retirer de la une"));

    let julie = sign_in(&site, "julie@exemple.fr").await;
    assert_eq!(
        act(&site, &julie, &older, "unpin", "").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        act(&site, &chef, &older, "unpin", "").await,
        StatusCode::SEE_OTHER
    );
    assert!(!order(&site.get("/").await.body));
}

#[tokio::test]
async fn an_administrator_adds_a_webhook_and_reads_its_deliveries() {
    let site = newsroom().await;
    account(&site, "admin@exemple.fr", "Alice Admin", Role::Admin).await;
    let admin = sign_in(&site, "admin@exemple.fr").await;
    let token = csrf(&site, &admin).await;
    let add = |url: &'static str, events: &'static [&'static str]| {
        let site = &site;
        let admin = admin.clone();
        let token = token.clone();
        async move {
            let mut fields = vec![("csrf", token.as_str()), ("url", url)];
            fields.extend(events.iter().map(|event| (*event, "on")));
            site.request("POST", "/redaction/webhooks", Some(&admin), Some(&fields))
                .await
        }
    };
    for (url, events, refusal) in [
        (
            "ftp://partenaire.example/",
            &["story.published"][..],
            "http ou https",
        ),
        (
            "https://journal.example/api",
            &["story.published"][..],
            "le site lui-même",
        ),
        (
            "https://partenaire.example/hook",
            &[][..],
            "au moins un événement",
        ),
    ] {
        let page = add(url, events).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(page.body.contains(refusal), "{url}: {}", page.body);
    }
    assert!(site.state.store.webhooks().await.unwrap().is_empty());

    let added = add(
        "https://partenaire.example/hook",
        &["story.published", "correction.added"],
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let secret = added
        .body
        .split("id=\"secret\" class=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let list = site
        .request("GET", "/redaction/webhooks", Some(&admin), None)
        .await;
    assert!(!list.body.contains(&secret), "the secret is shown once");
    assert!(
        list.body
            .contains("Article publié, Correction ou mise à jour ajoutée")
    );

    // An editor publishes: the delivery waits in the log for the sender.
    let julie = sign_in(&site, "julie@exemple.fr").await;
    let draft = write_story(&site, &julie, "Le port rouvre", "Les dockers reprennent.").await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let chef_token = csrf(&site, &chef).await;
    let published = site
        .request(
            "POST",
            &format!("{draft}/action"),
            Some(&chef),
            Some(&[("csrf", chef_token.as_str()), ("action", "publish")]),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let webhook = site.state.store.webhooks().await.unwrap()[0].id;
    let log = site
        .request(
            "GET",
            &format!("/redaction/webhooks/{webhook}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(
        log.body.contains("<code>story.published</code>"),
        "{}",
        log.body
    );
    assert!(log.body.contains("À envoyer"));
}

#[tokio::test]
async fn a_draft_is_seen_whole_without_being_published() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let story = write_story(
        &site,
        &chef,
        "Le brouillon en grand",
        "Un texte *encore* secret.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    .await;
    let story = story.split('?').next().unwrap().to_owned();
    let page = site
        .request("GET", &format!("{story}/apercu"), Some(&chef), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Le brouillon en grand</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<em>encore</em>"));
    assert!(page.body.contains("sans la publier"));
    assert!(
        page.body
            .contains("<meta name=\"robots\" content=\"noindex")
    );
    assert!(
        page.body.contains(&format!("href=\"{story}\"")),
        "the way back"
    );
    // Its embed loads on a click, as it will for readers: that frame is allowed, and only it.
    let policy = page.header("content-security-policy").unwrap();
    assert!(
        policy.contains("frame-src https://www.youtube-nocookie.com"),
        "{policy}"
    );
    // Still a draft: readers find nothing.
    let listed = site.request("GET", "/", None, None).await;
    assert!(!listed.body.contains("Le brouillon en grand"));
    let signed_out = site
        .request("GET", &format!("{story}/apercu"), None, None)
        .await;
    assert_ne!(signed_out.status, StatusCode::OK);
}

#[tokio::test]
async fn editors_manage_sections_from_their_forms_and_refusals_keep_the_text() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let post = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let (site, chef, token) = (&site, chef.clone(), token.clone());
        async move {
            let mut form: Vec<(&str, &str)> = vec![("csrf", &token)];
            form.extend(fields);
            site.request("POST", path, Some(&chef), Some(&form)).await
        }
    };
    let list = site
        .request("GET", "/redaction/rubriques", Some(&chef), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("<code>/monde/</code>"), "{}", list.body);

    let refused = post(
        "/redaction/rubriques",
        vec![
            ("name", "Économie"),
            ("slug", "eco/nomie"),
            ("description", "Les entreprises du port."),
            ("in_navigation", "on"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("value=\"eco/nomie\""),
        "the form keeps what was typed"
    );
    assert!(refused.body.contains("Les entreprises du port."));
    assert!(
        refused.body.contains("id=\"slug-erreur\""),
        "{}",
        refused.body
    );
    let taken = post(
        "/redaction/rubriques",
        vec![("name", "Le Monde"), ("slug", "Monde")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.body.contains("adresse /monde/"), "{}", taken.body);
    assert!(taken.body.contains("value=\"Le Monde\""));

    let renamed = post(
        "/redaction/rubriques/1",
        vec![
            ("name", "Le Monde entier"),
            ("slug", "monde-entier"),
            ("description", "Les nouvelles d'ailleurs."),
            ("in_navigation", "on"),
        ],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    let old = site.get("/monde/").await;
    assert_eq!(old.header("location"), Some("/monde-entier/"));
    let section = site.get("/monde-entier/").await.body;
    assert!(section.contains("Les nouvelles d’ailleurs."), "{section}");
    let removal = post("/redaction/rubriques/1/suppression", vec![]).await;
    assert_eq!(removal.status, StatusCode::CONFLICT);
    assert!(removal.body.contains("fusionnez-la"), "{}", removal.body);
    let journal = site
        .request("GET", "/redaction/journal", Some(&chef), None)
        .await;
    assert!(journal.body.contains("Rubrique modifiée"));
}

#[tokio::test]
async fn a_section_typed_into_a_story_cannot_take_a_page_of_the_sites_address() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let write = |section: &'static str| {
        let (site, chef, token) = (&site, chef.clone(), token.clone());
        async move {
            let form = [
                ("csrf", token.as_str()),
                ("headline", "La rédaction déménage"),
                ("body", "Les bureaux changent de quartier."),
                ("section", section),
                ("kind", "news"),
                ("intent", "save"),
            ];
            site.request("POST", "/redaction/articles", Some(&chef), Some(&form))
                .await
        }
    };
    let refused = write("Rédaction").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("/redaction/, celle d"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("La rédaction déménage"),
        "the form keeps the text"
    );
    assert_eq!(write("Vie du journal").await.status, StatusCode::SEE_OTHER);
}
