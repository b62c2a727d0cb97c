//! Every public page type, checked by the real third-party validators: the Nu HTML checker for
//! valid HTML and axe-core (WCAG 2.2 A and AA) in Chromium. `scripts/test` installs both and
//! says where they are through `ROTATIVE_VNU_JAR` and `ROTATIVE_AXE_SCRIPT`.

use std::process::Command;

use crate::helpers::{Server, between, sign_in_over_http, tool as validator};

/// A demo site with small listing pages, so pagination is on the pages checked.
fn demo_site(dir: &std::path::Path) -> (Server, Vec<String>) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("rotative.toml"), "[site]\npage_size = 3\n").unwrap();
    let server = Server::start(dir, &[]);
    let home = server.get("/").body;
    let article = between(&home, "class=\"card-title\"><a href=\"", "\"")
        .unwrap()
        .to_owned();
    let article_html = server.get(&article).body;
    let tag = between(
        &article_html,
        "<ul class=\"tags\">\n      <li><a href=\"",
        "\"",
    )
    .unwrap()
    .to_owned();
    let author = between(&article_html, "Par <a href=\"", "\"")
        .unwrap()
        .to_owned();
    let section = between(&article_html, "<a href=\"/\">Accueil</a></li>\n    <li><span class=\"separator\" aria-hidden=\"true\">›</span> <a href=\"", "\"").unwrap().to_owned();
    let paths = vec![
        "/".to_owned(),
        article,
        section.clone(),
        format!("{section}?page=2"),
        tag,
        author,
        "/recherche?q=b%C3%A9larus".to_owned(),
        "/recherche?q=zzyzx".to_owned(),
        "/corrections/".to_owned(),
        "/mentions-legales/".to_owned(),
        "/api/v1/".to_owned(),
        "/page-qui-n-existe-pas/".to_owned(),
    ];
    (server, paths)
}

#[test]
fn every_page_type_is_valid_html() {
    let Some(vnu) = validator("ROTATIVE_VNU_JAR") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (server, paths) = demo_site(&dir.path().join("site"));
    let mut files = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        let page = server.get(path);
        let expected = if path.contains("n-existe-pas") {
            404
        } else {
            200
        };
        assert_eq!(page.status, expected, "{path}");
        let file = dir.path().join(format!("page-{n}.html"));
        std::fs::write(&file, page.body).unwrap();
        files.push(file);
    }
    nu_check(&vnu, &files, &paths);
}

/// Runs the Nu HTML checker on `files`; fails on any error, naming the pages they came from.
fn nu_check(vnu: &std::path::Path, files: &[std::path::PathBuf], pages: &[String]) {
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu)
        .args(["--format", "json", "--errors-only"])
        .args(files)
        .output()
        .expect("java runs the Nu HTML checker");
    assert!(
        output.status.success(),
        "the Nu HTML checker found errors in {pages:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_newsroom_page_and_refused_form_is_valid_html() {
    let Some(vnu) = validator("ROTATIVE_VNU_JAR") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (server, cookie, paths, signed_out) = newsroom(dir.path());
    let agent = crate::helpers::agent();
    let mut pages: Vec<(String, String)> = Vec::new();
    pages.extend(before_signing_in(&server, &signed_out));
    for path in paths {
        let mut answer = agent
            .get(&format!("{}{path}", server.base))
            .header("cookie", &cookie)
            .call()
            .unwrap();
        assert_eq!(answer.status(), 200, "{path}");
        pages.push((path.to_owned(), answer.body_mut().read_to_string().unwrap()));
    }
    // Forms sent back with what is wrong beside each field.
    let dashboard = &pages
        .iter()
        .find(|(path, _)| path == "/redaction/")
        .unwrap()
        .1;
    let csrf = between(dashboard, "name=\"csrf\" value=\"", "\"")
        .unwrap()
        .to_owned();
    let long = "x".repeat(111);
    let refused: [(&str, &[(&str, &str)]); 6] = [
        (
            "/redaction/rubriques",
            &[("name", "Régions"), ("slug", "a/b")],
        ),
        (
            "/redaction/signatures/1",
            &[
                ("name", "Paul Chef"),
                ("photo", "media:absente.jpg"),
                ("website", "javascript:alert(1)"),
            ],
        ),
        ("/redaction/signatures", &[("name", "— ? —")]),
        ("/redaction/une", &[("slot-0", "1"), ("leaves-0", "demain")]),
        (
            "/redaction/articles",
            &[
                ("headline", "Titre"),
                ("body", "Texte."),
                ("section", "Monde"),
                ("kind", "news"),
                ("search_headline", &long),
                ("intent", "save"),
            ],
        ),
        (
            "/redaction/redirections",
            &[
                ("old", "/ancienne/"),
                ("target", "https://ailleurs.example/"),
            ],
        ),
    ];
    for (path, fields) in refused {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let mut answer = agent
            .post(&format!("{}{path}", server.base))
            .header("cookie", &cookie)
            .send_form(form)
            .unwrap();
        assert!(
            answer.status().is_client_error(),
            "{path}: {}",
            answer.status()
        );
        let html = answer.body_mut().read_to_string().unwrap();
        assert!(html.contains("field-error"), "{path}: {html}");
        pages.push((format!("POST {path}"), html));
    }
    let mut files = Vec::new();
    for (n, (_, html)) in pages.iter().enumerate() {
        let file = dir.path().join(format!("newsroom-{n}.html"));
        std::fs::write(&file, html).unwrap();
        files.push(file);
    }
    let names: Vec<String> = pages.into_iter().map(|(name, _)| name).collect();
    nu_check(&vnu, &files, &names);
}

/// The pages a person sees before signing in, and the invitation's form sent back.
fn before_signing_in(server: &Server, signed_out: &[String]) -> Vec<(String, String)> {
    let agent = crate::helpers::agent();
    let mut pages = Vec::new();
    for path in signed_out {
        let mut answer = agent.get(&format!("{}{path}", server.base)).call().unwrap();
        assert!([200, 410].contains(&answer.status().as_u16()), "{path}");
        pages.push((path.clone(), answer.body_mut().read_to_string().unwrap()));
    }
    // The invitation's form sent back: two passwords that differ.
    let mut differ = agent
        .post(&format!("{}{}", server.base, signed_out[0]))
        .send_form([
            ("new", "un mot de passe"),
            ("confirm", "un autre mot de passe"),
        ])
        .unwrap();
    assert_eq!(differ.status(), 422);
    pages.push((
        format!("POST {}", signed_out[0]),
        differ.body_mut().read_to_string().unwrap(),
    ));
    pages
}

/// What axe-core checked: pages, and page checks (a page once light and once dark is two).
#[derive(Default)]
struct Checked {
    pages: std::collections::BTreeSet<String>,
    checks: usize,
}

impl Checked {
    fn add(&mut self, report: &str) {
        for line in report.lines() {
            let page: serde_json::Value = serde_json::from_str(line).unwrap();
            let url = page["url"].as_str().unwrap();
            // The same page on either server is one page.
            let path = url.splitn(4, '/').nth(3).unwrap_or_default();
            self.pages.insert(path.to_owned());
            self.checks += 1;
        }
    }
}

/// The last check's figures, which the demo's accessibility statement gives readers.
const STATEMENT_RECORD: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/demo/pages/accessibilite.toml");

/// The record matches this run's figures; `ROTATIVE_UPDATE_ACCESSIBILITY=1` writes them, dated
/// today, for the statement to say.
fn check_statement(checked: &Checked) {
    let pages = checked.pages.len();
    let checks = checked.checks;
    if std::env::var_os("ROTATIVE_UPDATE_ACCESSIBILITY").is_some() {
        let today = jiff::Zoned::now().date();
        let record = format!(
            "# The figures of the last accessibility check (tests/it/validators.rs, axe-core on every\n\
             # public and newsroom page, light and dark), which the demo's accessibility statement\n\
             # gives. Written by the test with ROTATIVE_UPDATE_ACCESSIBILITY=1.\n\
             checked_on = \"{today}\"\npages = {pages}\nchecks = {checks}\nviolations = 0\n"
        );
        std::fs::write(STATEMENT_RECORD, record).unwrap();
        return;
    }
    let record: toml::Value = toml::from_str(&std::fs::read_to_string(STATEMENT_RECORD).unwrap())
        .expect("the statement's record");
    let said = (
        record["pages"].as_integer().unwrap(),
        record["checks"].as_integer().unwrap(),
    );
    assert_eq!(
        said,
        (
            i64::try_from(pages).unwrap(),
            i64::try_from(checks).unwrap()
        ),
        "the accessibility statement gives other figures than this check's: run this test with \
         ROTATIVE_UPDATE_ACCESSIBILITY=1 and commit demo/pages/accessibilite.toml"
    );
    assert_eq!(record["violations"].as_integer(), Some(0));
}

#[test]
fn every_page_passes_axe_and_the_accessibility_statement_says_so() {
    let Some(script) = validator("ROTATIVE_AXE_SCRIPT") else {
        return;
    };
    let mut checked = Checked::default();
    let dir = tempfile::tempdir().unwrap();
    let (server, paths) = demo_site(&dir.path().join("site"));
    let urls: Vec<String> = paths
        .iter()
        .map(|path| format!("{}{path}", server.base))
        .collect();
    checked.add(&run_axe(&script, false, None, &urls));
    checked.add(&run_axe(&script, true, None, &urls));
    drop(server);

    let (server, cookie, paths, signed_out) = newsroom(&dir.path().join("newsroom"));
    let urls: Vec<String> = paths
        .iter()
        .map(|path| format!("{}{path}", server.base))
        .collect();
    let report = run_axe(&script, false, Some(&cookie), &urls);
    assert!(
        !report.contains("\"title\":\"Connexion"),
        "pages were checked signed in: {report}"
    );
    checked.add(&report);
    // The sign-in page itself, and the pages before it, signed out, light and dark.
    let mut before = vec![format!("{}/redaction/connexion", server.base)];
    before.extend(
        signed_out
            .iter()
            .map(|path| format!("{}{path}", server.base)),
    );
    for dark in [false, true] {
        checked.add(&run_axe(&script, dark, None, &before));
    }
    // And the newsroom in a dark scheme.
    checked.add(&run_axe(&script, true, Some(&cookie), &urls));
    // The editor opened above in its rich mode; its Markdown mode too, light and dark.
    let editor = [format!("{}/redaction/articles/1", server.base)];
    for dark in [false, true] {
        checked.add(&run_axe_with(
            &script,
            dark,
            Some(&cookie),
            &["rotative-editor-mode=markdown"],
            &editor,
        ));
    }
    check_statement(&checked);
}

/// Runs axe-core (WCAG 2.2 A and AA) on every URL, optionally with a cookie; fails on any
/// violation and returns the report (one JSON line a page).
fn run_axe(script: &std::path::Path, dark: bool, cookie: Option<&str>, urls: &[String]) -> String {
    run_axe_with(script, dark, cookie, &[], urls)
}

/// [`run_axe`], with `local_storage` (`key=value`) set in the site's storage before each page.
fn run_axe_with(
    script: &std::path::Path,
    dark: bool,
    cookie: Option<&str>,
    local_storage: &[&str],
    urls: &[String],
) -> String {
    let mut command = Command::new("node");
    command.arg(script);
    if dark {
        command.arg("--dark");
    }
    if let Some(cookie) = cookie {
        command.args(["--cookie", cookie]);
    }
    for item in local_storage {
        command.args(["--storage", item]);
    }
    let output = command.args(urls).output().expect("node runs axe-core");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "axe-core found WCAG 2.2 AA violations (or could not run):\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        report.lines().count(),
        urls.len(),
        "every page was checked: {report}"
    );
    report
}

/// A newsroom with one account of each kind of page (an administrator, a webhook, a token, an
/// invitation): its server, the administrator's session cookie, the newsroom's pages, and the
/// pages a person sees before signing in (an invitation's, one that no longer serves, the
/// sign-in page once a password is chosen, a forgotten password's form and its answer, a reset
/// link that no longer serves).
fn newsroom(dir: &std::path::Path) -> (Server, String, Vec<&'static str>, Vec<String>) {
    let data = dir.join("site");
    // An administrator sees every newsroom page.
    crate::helpers::add_user(
        &data,
        "chef@exemple.fr",
        "Paul Chef",
        "admin",
        "mot de passe de test",
    );
    // A journalist who submits a story through the API, so the administrator has a
    // notification on the dashboard and on « Notifications ».
    let journalist = journalist_token(&data);
    // A webhook and a token, so their pages list one.
    let webhook = crate::helpers::rotative()
        .args([
            "webhook",
            "add",
            "https://partenaire.example/rotative",
            "--events",
            "story.published,correction.added",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(webhook.status.success());
    let token = crate::helpers::rotative()
        .args([
            "token",
            "add",
            "--email",
            "chef@exemple.fr",
            "--name",
            "Script",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(token.status.success());
    let invited = crate::helpers::rotative()
        .args([
            "user",
            "invite",
            "--email",
            "nina@exemple.fr",
            "--name",
            "Nina Kovacs",
        ])
        .args([
            "--role",
            "journalist",
            "--base-url",
            "http://127.0.0.1:8080",
            "--data",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(invited.status.success());
    let server = Server::start(&data, &[]);
    submit_a_story(&server, &journalist);
    let cookie = sign_in_over_http(&server, "chef@exemple.fr", "mot de passe de test");
    let signed_out = vec![
        invitation_path(&server),
        "/redaction/invitation/0123456789abcdef".to_owned(),
        "/redaction/connexion?bienvenue".to_owned(),
        "/redaction/mot-de-passe-oublie".to_owned(),
        "/redaction/mot-de-passe-oublie?envoye".to_owned(),
        "/redaction/nouveau-mot-de-passe/0123456789abcdef".to_owned(),
    ];
    let paths = vec![
        "/redaction/",
        "/redaction/?etat=published",
        "/redaction/articles/nouveau",
        "/redaction/articles/1",
        "/redaction/articles/1/historique",
        "/redaction/journal",
        "/redaction/mot-de-passe",
        "/redaction/notifications",
        "/redaction/securite",
        "/redaction/securite/double-authentification",
        "/redaction/comptes",
        "/redaction/reglages",
        "/redaction/rubriques",
        "/redaction/rubriques/1",
        "/redaction/une",
        "/redaction/pages",
        "/redaction/pages/nouvelle",
        "/redaction/redirections",
        "/redaction/signatures",
        "/redaction/signatures/1",
        "/redaction/jetons",
        "/redaction/webhooks",
        "/redaction/webhooks/1",
        "/redaction/medias",
        "/redaction/medias?q=place",
        "/redaction/medias/1",
        "/corrections/",
    ];
    (server, cookie, paths, signed_out)
}

/// A journalist's account, and a token that writes as it.
fn journalist_token(data: &std::path::Path) -> String {
    crate::helpers::add_user(
        data,
        "julie@exemple.fr",
        "Julie Martin",
        "journalist",
        "mot de passe de test",
    );
    let made = crate::helpers::rotative()
        .args([
            "token",
            "add",
            "--email",
            "julie@exemple.fr",
            "--name",
            "App",
        ])
        .args(["--scope", "write", "--data"])
        .arg(data)
        .output()
        .unwrap();
    assert!(made.status.success());
    String::from_utf8(made.stdout).unwrap().trim().to_owned()
}

/// Writes a story and submits it for review through the API, with a journalist's token.
fn submit_a_story(server: &Server, token: &str) {
    let bearer = format!("Bearer {token}");
    let mut created = crate::helpers::agent()
        .post(&format!("{}/api/v1/stories", server.base))
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .send(r#"{"headline": "Le marché couvert rouvre", "body": "Les étals reviennent.", "section": "Monde"}"#)
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let body = created.body_mut().read_to_string().unwrap();
    let id = crate::helpers::between(&body, "\"id\":", ",").unwrap();
    let submitted = crate::helpers::agent()
        .post(&format!(
            "{}/api/v1/stories/{id}/actions/submit",
            server.base
        ))
        .header("authorization", &bearer)
        .send_empty()
        .unwrap();
    assert_eq!(submitted.status().as_u16(), 200);
}

/// The path of the invitation the server wrote as a file (no SMTP server here), read from the
/// link it logs.
pub(crate) fn invitation_path(server: &Server) -> String {
    let started = std::time::Instant::now();
    // The letter may go before the server says where it listens.
    let mut lines = server.startup_logs.clone();
    loop {
        for line in lines {
            if let Some(token) = between(&format!("{line} "), "/redaction/invitation/", " ") {
                return format!("/redaction/invitation/{}", token.trim_end_matches('"'));
            }
        }
        lines = server.log_lines();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the invitation was never written"
        );
    }
}

#[test]
fn feeds_pass_the_w3c_feed_validator() {
    let Some(python) = validator("ROTATIVE_FEED_PYTHON") else {
        return;
    };
    let tools = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/tools/feedvalidator/src");
    assert!(
        tools.join("demo.py").exists(),
        "the W3C feed validator must be at {}",
        tools.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = demo_site(&dir.path().join("site"));
    for path in [
        "/feed.atom",
        "/feed.rss",
        "/monde/feed.atom",
        "/sujet/belarus/feed.rss",
        "/auteur/claire-dubois/feed.atom",
    ] {
        let feed = server.get(path);
        assert_eq!(feed.status, 200, "{path}");
        let file = dir
            .path()
            .join(path.trim_start_matches('/').replace('/', "-"));
        std::fs::write(&file, feed.body).unwrap();
        let output = Command::new(&python)
            .current_dir(&tools)
            .arg("demo.py")
            .arg(&file)
            .arg("A")
            .output()
            .expect("python runs the feed validator");
        let report = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && report.contains("No errors or warnings"),
            "{path}: {report}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn sitemaps_match_the_sitemaps_org_schemas() {
    let Some(xmllint) = validator("ROTATIVE_XMLLINT") else {
        return;
    };
    let schemas =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/xsd");
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = demo_site(&dir.path().join("site"));
    for (path, schema) in [
        ("/sitemap.xml", "siteindex.xsd"),
        ("/sitemaps/pages.xml", "sitemap.xsd"),
        ("/sitemaps/articles-1.xml", "sitemap.xsd"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        let file = dir
            .path()
            .join(path.trim_start_matches('/').replace('/', "-"));
        std::fs::write(&file, response.body).unwrap();
        let output = Command::new(&xmllint)
            .arg("--noout")
            .arg("--schema")
            .arg(schemas.join(schema))
            .arg(&file)
            .output()
            .expect("xmllint runs");
        assert!(
            output.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let news = server.get("/news-sitemap.xml").body;
    assert!(
        news.matches("<news:news>").count() >= 6,
        "the demo's stories of the last two days"
    );
}

#[test]
fn the_api_description_is_valid_openapi() {
    let Some(checker) = validator("ROTATIVE_OPENAPI_VALIDATOR") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = demo_site(&dir.path().join("site"));
    let response = server.get("/api/v1/openapi.json");
    assert_eq!(response.status, 200);
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, response.body).unwrap();
    let output = Command::new(&checker)
        .arg(&file)
        .output()
        .expect("the OpenAPI validator runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
