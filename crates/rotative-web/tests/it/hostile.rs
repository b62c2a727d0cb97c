//! Hostile input through the real router: markup in every text field, open redirects, paths
//! that climb out of their folder, SQL fragments in every parameter, oversized and slow
//! requests. Each is refused with a 4xx or kept as plain text, and what was stored stays.

use std::{
    fmt::Write as _,
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use rotative_domain::{Author, Name};
use rotative_media::illustration;

use rotative_web::ConnectionLimits;

use crate::{
    helpers::{Part, TestSite},
    newsroom::{act, csrf, newsroom, sign_in, write_story},
};

/// Each payload carries its own marker, so a failure names the field it came through.
fn payload(field: &str) -> String {
    format!("<script>alert('{field}')</script><img src=x onerror=alert('{field}')>")
}

/// What would run in a reader's browser if a payload reached a page as markup: its elements
/// with their `<` as written (escaped as `&lt;` or `\u003c`, they are text), or the handler
/// as an HTML serialiser would rewrite it.
fn live_markup(field: &str) -> [String; 3] {
    [
        format!("<script>alert('{field}')"),
        format!("<img src=x onerror=alert('{field}')"),
        format!("onerror=\"alert('{field}')\""),
    ]
}

const FIELDS: [&str; 10] = [
    "headline",
    "standfirst",
    "body",
    "caption",
    "credit",
    "alt",
    "tag",
    "section",
    "byline",
    "bio",
];

fn assert_inert(page: &str, address: &str) {
    for field in FIELDS {
        for markup in live_markup(field) {
            assert!(
                !page.contains(&markup),
                "{field}'s payload is live markup on {address}"
            );
        }
    }
}

/// Uploads an image whose description is all markup; returns its key.
async fn upload_hostile_image(site: &TestSite, chef: &str, token: &str) -> String {
    let image = illustration::draw("hostile", 640, 360).unwrap();
    let (alt, caption, credit) = (payload("alt"), payload("caption"), payload("credit"));
    let uploaded = site
        .post_multipart(
            "/redaction/medias",
            chef,
            &[
                Part::Text("csrf", token),
                Part::Text("alt", &alt),
                Part::Text("caption", &caption),
                Part::Text("credit", &credit),
                Part::File("file", "photo.jpg", &image),
            ],
            true,
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let json: serde_json::Value = serde_json::from_str(&uploaded.body).unwrap();
    json["key"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn markup_in_every_text_field_stays_text() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let token = csrf(&site, &chef).await;
    let key = upload_hostile_image(&site, &chef, &token).await;
    let alt = payload("alt");

    // The section and the byline are named in capitals so that the label is kept as typed.
    let section = format!("Rubrique {}", payload("section"));
    let byline = format!("Signature {}", payload("byline"));
    let body = format!(
        "Premier paragraphe {}.\n\n![{alt}](media:{key} \"{} — {}\")\n\nFin.",
        payload("body"),
        payload("caption").replace('"', "'"),
        payload("credit").replace('"', "'"),
    );
    let created = site
        .request(
            "POST",
            "/redaction/articles",
            Some(&chef),
            Some(&[
                ("csrf", &token),
                ("headline", &payload("headline")),
                ("standfirst", &payload("standfirst")),
                ("body", &body),
                ("section", &section),
                ("tags", &format!("Étiquette {}", payload("tag"))),
                ("authors", &byline),
                ("kind", "news"),
                ("intent", "save"),
            ]),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let story = created.location_path();
    assert_eq!(
        act(&site, &chef, &story, "publish", "").await,
        StatusCode::SEE_OTHER
    );
    let stored = site
        .state
        .store
        .published_article_by_id(rotative_domain::ArticleId(2))
        .await
        .unwrap();
    let stored = stored.expect("the hostile story is published");
    assert_eq!(
        stored.headline.as_ref(),
        payload("headline"),
        "kept as typed"
    );
    let mut author = stored.authors[0].clone();
    author.bio = Some(payload("bio"));
    site.state.store.ensure_author(&author).await.unwrap();

    let article = stored.path.to_string();
    let page = site.get(&article).await.body;
    for field in FIELDS.into_iter().filter(|f| !["body", "bio"].contains(f)) {
        assert!(
            page.contains(&format!("alert(&#39;{field}"))
                || page.contains(&format!("alert('{field}")),
            "the {field} is on the page, as text"
        );
    }
    let addresses = [
        article,
        "/".to_owned(),
        format!("/{}/", stored.section.slug),
        format!("/sujet/{}/", stored.tags[0].slug),
        format!("/auteur/{}/", author.slug),
        "/feed.rss".to_owned(),
        "/feed.atom".to_owned(),
        "/news-sitemap.xml".to_owned(),
        format!(
            "/recherche?q={}",
            "%3Cscript%3Ealert('headline')%3C/script%3E"
        ),
    ];
    for address in &addresses {
        let page = site.get(address).await;
        assert!(page.status.is_success(), "{address}: {}", page.status);
        assert_inert(&page.body, address);
    }
    // In a JSON feed, titles and summaries are plain text by definition; the body is HTML.
    let feed: serde_json::Value = serde_json::from_str(&site.get("/feed.json").await.body).unwrap();
    for item in feed["items"].as_array().unwrap() {
        assert_inert(item["content_html"].as_str().unwrap(), "/feed.json");
    }
    newsroom_pages_are_inert(&site, &chef, &story, &key).await;
}

/// The newsroom shows the same fields in forms, lists and the journal.
async fn newsroom_pages_are_inert(site: &TestSite, chef: &str, story: &str, key: &str) {
    let media = site.state.store.media_by_key(key).await.unwrap().unwrap();
    for address in [
        story.to_owned(),
        "/redaction/".to_owned(),
        format!("{story}/historique"),
        "/redaction/medias".to_owned(),
        format!("/redaction/medias/{}", media.id.0),
        "/redaction/journal".to_owned(),
    ] {
        let page = site.request("GET", &address, Some(chef), None).await;
        assert_eq!(page.status, StatusCode::OK, "{address}");
        assert_inert(&page.body, &address);
    }
}

#[tokio::test]
async fn the_search_box_echoes_a_query_as_text() {
    let site = newsroom().await;
    let page = site
        .get("/recherche?q=%22%3E%3Cscript%3Ealert('q')%3C%2Fscript%3E")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert('q')"));
    assert!(
        page.body.contains("&quot;&gt;&lt;script&gt;"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn signing_in_leads_only_to_this_site() {
    let site = newsroom().await;
    for next in [
        "https://ailleurs.example/",
        "//ailleurs.example/",
        "/\\ailleurs.example",
        "\\\\ailleurs.example",
        "/\t/ailleurs.example",
        " //ailleurs.example",
        "javascript:alert(1)",
        "https:ailleurs.example",
    ] {
        let form = site
            .get(&format!("/redaction/connexion?suite={}", url_encoded(next)))
            .await;
        assert_eq!(
            form.field("suite").as_deref(),
            Some("/redaction/"),
            "the form keeps {next:?}"
        );
        let cookie = form.cookie();
        let signed_in = site
            .request(
                "POST",
                "/redaction/connexion",
                Some(&cookie),
                Some(&[
                    ("email", "chef@exemple.fr"),
                    ("password", crate::newsroom::PASSWORD),
                    ("csrf", &form.field("csrf").unwrap()),
                    ("suite", next),
                ]),
            )
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
        assert_eq!(
            signed_in.header("location"),
            Some("/redaction/"),
            "signing in with suite={next:?}"
        );
    }
}

fn url_encoded(text: &str) -> String {
    text.bytes().fold(String::new(), |mut encoded, b| {
        let _ = write!(encoded, "%{b:02X}");
        encoded
    })
}

#[tokio::test]
async fn paths_never_leave_the_media_and_theme_folders() {
    let site = newsroom().await;
    let database = site.state.store.is_empty().await.unwrap();
    for address in [
        "/media/..%2Frotative.db",
        "/media/%2e%2e%2frotative.db",
        "/media/..%5Crotative.db",
        "/media/....%2F%2Frotative.db",
        "/media/%2Fetc%2Fpasswd",
        "/media/rotative.db%00.jpg",
        "/theme/..%2F..%2FCargo.toml",
        "/theme/%2e%2e%2ftemplates%2farticle.html",
        "/theme/%2Fetc%2Fpasswd",
        "/theme/..",
    ] {
        let page = site.get(address).await;
        assert!(
            page.status == StatusCode::NOT_FOUND || page.status == StatusCode::BAD_REQUEST,
            "{address}: {}",
            page.status
        );
        assert!(!page.body.contains("root:"), "{address}");
        assert!(!page.body.contains("SQLite format"), "{address}");
    }
    assert_eq!(site.state.store.is_empty().await.unwrap(), database);
}

/// Fragments that would change a query built by pasting text into SQL.
const SQL: [&str; 5] = [
    "' OR '1'='1",
    "1; DROP TABLE articles; --",
    "\" OR 1=1 --",
    "1 UNION SELECT password_hash FROM users --",
    "%' --",
];

#[tokio::test]
async fn sql_fragments_in_every_parameter_are_only_text() {
    let site = newsroom().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let before = site.get("/").await.body;
    let story = site.first_article_path().await;
    for fragment in SQL {
        let text = url_encoded(fragment);
        for address in [
            format!("/recherche?q={text}"),
            format!("/recherche?q=lettre&rubrique={text}&du={text}&au={text}&page={text}"),
            format!("/?page={text}"),
            format!("/monde/?page={text}"),
            format!("/sujet/{text}/"),
            format!("/auteur/{text}/"),
            format!("/{text}/"),
            format!("/monde/2026/01/01/{text}"),
            format!("/sitemaps/{text}"),
            format!("/media/{text}"),
        ] {
            let page = site.get(&address).await;
            assert!(
                page.status.is_success() || page.status.is_client_error(),
                "{address}: {}",
                page.status
            );
            assert!(!page.body.contains("$argon2"), "{address}");
        }
        for address in [
            format!("/redaction/?etat={text}"),
            format!("/redaction/medias?q={text}"),
            format!("/redaction/articles/{text}"),
            format!("/redaction/articles/{text}/historique"),
            format!("/redaction/comptes/{text}/role"),
        ] {
            let page = site.request("GET", &address, Some(&chef), None).await;
            assert!(
                page.status.is_success() || page.status.is_client_error(),
                "{address}: {}",
                page.status
            );
            assert!(!page.body.contains("$argon2"), "{address}");
        }
        // In a story's fields, a fragment is text, stored and shown as typed.
        let story = write_story(&site, &chef, &format!("Titre {fragment}"), fragment).await;
        let id = rotative_domain::ArticleId(story.rsplit('/').next().unwrap().parse().unwrap());
        let revisions = site.state.store.revisions(id).await.unwrap();
        assert_eq!(revisions[0].headline, format!("Titre {fragment}"));
        // A sign-in whose address or password is a fragment lets nobody in.
        let form = site.get("/redaction/connexion").await;
        let cookie = &form.cookie();
        let attempt = site
            .request(
                "POST",
                "/redaction/connexion",
                Some(cookie),
                Some(&[
                    ("email", fragment),
                    ("password", fragment),
                    ("csrf", &form.field("csrf").unwrap()),
                ]),
            )
            .await;
        assert_eq!(attempt.status, StatusCode::UNAUTHORIZED, "{fragment}");
    }
    assert_eq!(
        site.get("/").await.body,
        before,
        "the home page is as it was"
    );
    assert_eq!(site.get(&story).await.status, StatusCode::OK);
    assert!(
        site.state
            .store
            .user_by_email(&rotative_domain::Email::parse("chef@exemple.fr").unwrap())
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_byline_with_a_bio_of_markup_shows_none_of_it() {
    let site = newsroom().await;
    let mut author = Author::named(Name::parse("Claire Dubois").unwrap()).unwrap();
    // A bio is Markdown: its raw HTML is left out, its words and links kept.
    author.bio = Some(format!(
        "Elle écrit [ici](javascript:alert('bio')) {}",
        payload("bio")
    ));
    site.state.store.ensure_author(&author).await.unwrap();
    let page = site.get(&format!("/auteur/{}/", author.slug)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("<p>Elle écrit <a rel=\"noopener noreferrer\">ici</a>")
    );
    assert!(!page.body.contains("javascript:"), "{}", page.body);
    assert_inert(&page.body, "the author page");
}

/// Writes `request`, then reads until the server answers and closes or `patience` runs out.
pub fn exchange(address: std::net::SocketAddr, request: &[u8], patience: Duration) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(patience)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn oversized_heads_are_refused() {
    let site = newsroom().await;
    let server = site.listening(ConnectionLimits::default()).await;
    let address = server.address;
    let huge = "a".repeat(rotative_web::MAX_HEAD_BYTES + 1);
    let many = (0..=rotative_web::MAX_HEADERS).fold(String::new(), |mut lines, i| {
        let _ = write!(lines, "X-Header-{i}: {i}\r\n");
        lines
    });
    for head in [
        format!("GET / HTTP/1.1\r\nHost: x\r\nCookie: {huge}\r\n\r\n"),
        format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n"),
    ] {
        let answer = tokio::task::spawn_blocking(move || {
            exchange(address, head.as_bytes(), Duration::from_secs(5))
        })
        .await
        .unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 431"),
            "{}",
            &answer[..answer.len().min(200)]
        );
    }
}

#[tokio::test]
async fn slow_clients_are_cut_off() {
    let site = newsroom().await;
    let server = site.listening(ConnectionLimits::default()).await;
    let address = server.address;
    // Headers one line every two seconds, never finished: the connection closes at the deadline.
    let cut_after = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(10)))
            .unwrap();
        let started = Instant::now();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        for line in 0.. {
            std::thread::sleep(Duration::from_secs(2));
            let mut byte = [0_u8; 1];
            let closed = matches!(stream.read(&mut byte), Ok(0))
                || stream
                    .write_all(format!("X-Slow-{line}: a\r\n").as_bytes())
                    .is_err();
            if closed || started.elapsed() > Duration::from_secs(30) {
                break;
            }
        }
        started.elapsed()
    })
    .await
    .unwrap();
    assert!(
        cut_after >= rotative_web::HEAD_TIMEOUT && cut_after < Duration::from_secs(20),
        "cut after {cut_after:?}"
    );
    // A request whose head came at once is answered as usual.
    let answer = tokio::task::spawn_blocking(move || {
        exchange(
            address,
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration::from_secs(5),
        )
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
