//! Letters through a real SMTP server (`aiosmtpd`, from `PyPI`, which `scripts/test` installs):
//! an invitation and a forgotten password's link, each read as a mail program reads it, its
//! link followed and the password chosen; a letter queued while the server is down delivered
//! once it is back, once; two instances on one PostgreSQL database sending each letter once; a
//! DKIM signature verified by dkimpy (`PyPI`), as a receiving server would.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use base64::Engine;

use crate::helpers::{
    Server, add_user, agent, anonymous_form, between, rotative, sign_in_over_http, tool,
};

/// A real SMTP server keeping what it receives in a Maildir, stopped when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
}

impl SmtpSink {
    fn start(python: &Path, maildir: &Path, port: u16) -> Self {
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the SMTP server never listened"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, port }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The messages the Maildir holds, read by Python's email package.
fn messages(python: &Path, maildir: &Path) -> Vec<serde_json::Value> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/read_maildir.py");
    let output = Command::new(python)
        .arg(script)
        .arg(maildir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Waits until the Maildir holds `count` messages.
fn wait_for(python: &Path, maildir: &Path, count: usize) -> Vec<serde_json::Value> {
    let started = Instant::now();
    loop {
        let found = messages(python, maildir);
        if found.len() >= count {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} letter(s) arrived, not {count}",
            found.len()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn invite(data: &Path, base: &str, email: &str, name: &str) {
    invite_with(data, base, email, name, &[]);
}

fn invite_with(data: &Path, base: &str, email: &str, name: &str, extra: &[&str]) {
    let invited = rotative()
        .args(["user", "invite", "--email", email, "--name", name])
        .args(["--role", "journalist", "--base-url", base, "--data"])
        .arg(data)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        invited.status.success(),
        "{}",
        String::from_utf8_lossy(&invited.stderr)
    );
}

/// Starts a server that sends its letters to `sink`, with `extra` flags.
fn server_sending_to_with(sink: &SmtpSink, data: &Path, extra: &[&str]) -> Server {
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    let mut flags = vec![
        "--no-demo",
        "--smtp",
        &smtp,
        "--mail-from",
        "redaction@gazette.example",
        "--mail-retry-seconds",
        "1",
    ];
    flags.extend(extra);
    Server::start(data, &flags)
}

/// Starts a server that sends its letters to `sink`.
fn server_sending_to(sink: &SmtpSink, data: &Path) -> Server {
    server_sending_to_with(sink, data, &[])
}

#[test]
fn an_invitation_goes_through_smtp_and_its_link_opens_the_account() {
    let Some(python) = tool("ROTATIVE_MAIL_PYTHON") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let data = dir.path().join("site");
    let mut sink = SmtpSink::start(&python, &maildir, free_port());
    let server = server_sending_to(&sink, &data);

    invite(&data, &server.base, "lea@exemple.fr", "Léa Martin-Dupré");
    let letters = wait_for(&python, &maildir, 1);
    let letter = &letters[0];
    assert_eq!(letter["subject"], "Votre compte à la rédaction de Rotative");
    assert_eq!(letter["from"], "Rotative <redaction@gazette.example>");
    assert_eq!(letter["to"], "Léa Martin-Dupré <lea@exemple.fr>");
    assert_eq!(letter["content_type"], "multipart/alternative");
    assert!(letter["date"].as_str().is_some_and(|date| !date.is_empty()));
    assert!(
        letter["message_id"]
            .as_str()
            .unwrap()
            .ends_with("@gazette.example>")
    );
    let text = letter["text"].as_str().unwrap();
    let html = letter["html"].as_str().unwrap();
    assert!(text.contains("Bonjour Léa Martin-Dupré"), "{text}");
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    let prefix = format!("{}/redaction/invitation/", server.base);
    let token = between(text, &prefix, "\n").unwrap().trim();
    assert!(
        html.contains(&format!("href=\"{prefix}{token}\"")),
        "{html}"
    );

    // The link opens the page that sets the password; then the account signs in.
    let link = format!("/redaction/invitation/{token}");
    let page = server.get(&link);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("lea@exemple.fr"));
    let chosen = agent()
        .post(&format!("{}{link}", server.base))
        .send_form([
            ("new", "un mot de passe choisi"),
            ("confirm", "un mot de passe choisi"),
        ])
        .unwrap();
    assert_eq!(chosen.status(), 303);
    let cookie = sign_in_over_http(&server, "lea@exemple.fr", "un mot de passe choisi");
    assert!(cookie.starts_with("rotative_session="));
    let used = server.get(&link);
    assert_eq!(used.status, 410, "a link serves once");

    // The SMTP server down: the letter waits, and arrives once the server is back.
    let port = sink.port;
    drop(sink);
    invite(&data, &server.base, "marc@exemple.fr", "Marc Roux");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(messages(&python, &maildir).len(), 1);
    sink = SmtpSink::start(&python, &maildir, port);
    let letters = wait_for(&python, &maildir, 2);
    assert_eq!(letters[1]["to"], "Marc Roux <marc@exemple.fr>");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        messages(&python, &maildir).len(),
        2,
        "each letter delivered once"
    );
    drop(sink);
    server.terminate();
}

#[test]
fn a_forgotten_password_goes_through_smtp_and_ends_the_old_sessions() {
    let Some(python) = tool("ROTATIVE_MAIL_PYTHON") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let data = dir.path().join("site");
    let sink = SmtpSink::start(&python, &maildir, free_port());
    add_user(
        &data,
        "ines@exemple.fr",
        "Inès Morel",
        "editor",
        "un mot de passe oublié",
    );
    let server = server_sending_to(&sink, &data);
    let old_session = sign_in_over_http(&server, "ines@exemple.fr", "un mot de passe oublié");
    let ask = |email: &str| {
        let (cookie, csrf) = anonymous_form(&server, "/redaction/mot-de-passe-oublie");
        agent()
            .post(&format!("{}/redaction/mot-de-passe-oublie", server.base))
            .header("cookie", &cookie)
            .send_form([("email", email), ("csrf", csrf.as_str())])
            .unwrap()
    };
    let unknown = ask("personne@exemple.fr");
    let known = ask("ines@exemple.fr");
    assert_eq!(
        (unknown.status().as_u16(), known.status().as_u16()),
        (303, 303)
    );
    assert_eq!(unknown.headers()["location"], known.headers()["location"]);

    let letters = wait_for(&python, &maildir, 1);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        messages(&python, &maildir).len(),
        1,
        "no letter to an address no account has"
    );
    let letter = &letters[0];
    assert_eq!(
        letter["subject"],
        "Choisir un nouveau mot de passe pour la rédaction de Rotative"
    );
    assert_eq!(letter["to"], "Inès Morel <ines@exemple.fr>");
    let text = letter["text"].as_str().unwrap();
    let prefix = format!("{}/redaction/nouveau-mot-de-passe/", server.base);
    let token = between(text, &prefix, "\n").unwrap().trim();
    assert!(
        letter["html"]
            .as_str()
            .unwrap()
            .contains(&format!("href=\"{prefix}{token}\""))
    );

    let link = format!("/redaction/nouveau-mot-de-passe/{token}");
    assert_eq!(server.get(&link).status, 200);
    let chosen = agent()
        .post(&format!("{}{link}", server.base))
        .send_form([
            ("new", "une phrase retrouvée"),
            ("confirm", "une phrase retrouvée"),
        ])
        .unwrap();
    assert_eq!(chosen.status(), 303);
    let old = agent()
        .get(&format!("{}/redaction/", server.base))
        .header("cookie", &old_session)
        .call()
        .unwrap();
    assert_eq!(old.status(), 303, "the old session ended");
    let cookie = sign_in_over_http(&server, "ines@exemple.fr", "une phrase retrouvée");
    assert!(cookie.starts_with("rotative_session="));
    assert_eq!(server.get(&link).status, 410, "a link serves once");
    drop(sink);
    server.terminate();
}

/// Two instances on one PostgreSQL database, both sending: every letter goes once.
#[test]
fn two_instances_send_each_letter_once() {
    let (Some(python), Some(database)) = (
        tool("ROTATIVE_MAIL_PYTHON"),
        crate::postgres::fresh_database("mail"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let sink = SmtpSink::start(&python, &maildir, free_port());
    let on_database = ["--database", database.as_str()];
    let first = server_sending_to_with(&sink, &dir.path().join("a"), &on_database);
    let second = server_sending_to_with(&sink, &dir.path().join("b"), &on_database);
    let invited = 12;
    for n in 0..invited {
        invite_with(
            &dir.path().join("cli"),
            &first.base,
            &format!("auteur{n}@exemple.fr"),
            &format!("Auteur {n}"),
            &on_database,
        );
    }
    wait_for(&python, &maildir, invited);
    std::thread::sleep(Duration::from_secs(4));
    let letters = messages(&python, &maildir);
    let recipients: std::collections::BTreeSet<String> = letters
        .iter()
        .map(|letter| letter["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        (letters.len(), recipients.len()),
        (invited, invited),
        "each letter once, across both instances"
    );
    drop(sink);
    first.terminate();
    second.terminate();
}

/// A DKIM key pair made by OpenSSL: the private key's file (PEM, PKCS #1) and the public key as
/// DNS publishes it (base64 of its DER form).
fn dkim_key(dir: &Path) -> (PathBuf, String) {
    std::fs::create_dir_all(dir).unwrap();
    let private = dir.join("dkim.pem");
    let made = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&private)
        .arg("2048")
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let public = Command::new("openssl")
        .args(["rsa", "-pubout", "-outform", "DER", "-in"])
        .arg(&private)
        .output()
        .unwrap();
    assert!(public.status.success());
    let encoded = base64::engine::general_purpose::STANDARD.encode(&public.stdout);
    (private, encoded)
}

/// With `--dkim-key`, every letter carries a DKIM signature a receiving server verifies.
#[test]
fn letters_are_signed_with_dkim() {
    let Some(python) = tool("ROTATIVE_MAIL_PYTHON") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let data = dir.path().join("site");
    let (key, public_key) = dkim_key(dir.path());
    let sink = SmtpSink::start(&python, &maildir, free_port());
    let key = key.to_str().unwrap();
    let server = server_sending_to_with(&sink, &data, &["--dkim-key", key]);
    invite(&data, &server.base, "lea@exemple.fr", "Léa Martin-Dupré");
    wait_for(&python, &maildir, 1);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/verify_dkim.py");
    let verified = Command::new(&python)
        .arg(&script)
        .arg(&maildir)
        .arg(&public_key)
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    let (_, other_key) = dkim_key(&dir.path().join("other"));
    let forged = Command::new(&python)
        .arg(&script)
        .arg(&maildir)
        .arg(&other_key)
        .output()
        .unwrap();
    assert!(!forged.status.success(), "another key does not verify it");
    drop(sink);
    server.terminate();
}

/// A token that writes as the account with this address.
fn write_token(data: &Path, email: &str) -> String {
    let made = rotative()
        .args(["token", "add", "--email", email, "--name", "Application"])
        .args(["--scope", "write", "--data"])
        .arg(data)
        .output()
        .unwrap();
    assert!(made.status.success());
    String::from_utf8(made.stdout).unwrap().trim().to_owned()
}

/// Sends JSON to the API with a token; returns the status and the answer.
fn api(server: &Server, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    let url = format!("{}{path}", server.base);
    let bearer = format!("Bearer {token}");
    let request = match method {
        "PUT" => agent().put(&url),
        _ => agent().post(&url),
    };
    let mut answer = request
        .header("authorization", &bearer)
        .header("content-type", "application/json")
        .send(body)
        .unwrap();
    let text = answer.body_mut().read_to_string().unwrap_or_default();
    (answer.status().as_u16(), text)
}

/// A story submitted for review reaches the editors by mail, read as a mail program reads it;
/// not its writer, who did it, nor an editor who turned such letters off.
#[test]
fn a_story_to_review_reaches_the_editors_by_mail() {
    let Some(python) = tool("ROTATIVE_MAIL_PYTHON") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let data = dir.path().join("site");
    let sink = SmtpSink::start(&python, &maildir, free_port());
    add_user(
        &data,
        "chef@exemple.fr",
        "Paul Chef",
        "editor",
        "mot de passe de chef",
    );
    add_user(
        &data,
        "lea@exemple.fr",
        "Léa Roux",
        "editor",
        "mot de passe de léa",
    );
    add_user(
        &data,
        "julie@exemple.fr",
        "Julie Martin",
        "journalist",
        "mot de passe de julie",
    );
    let (chef, lea, julie) = (
        write_token(&data, "chef@exemple.fr"),
        write_token(&data, "lea@exemple.fr"),
        write_token(&data, "julie@exemple.fr"),
    );
    let server = server_sending_to(&sink, &data);
    let section = r#"{"name": "Le Port", "description": "Les nouvelles des quais."}"#;
    assert_eq!(
        api(&server, "POST", "/api/v1/newsroom/sections", &chef, section).0,
        201
    );
    let off = r#"{"email": [], "daily_digest": false}"#;
    assert_eq!(
        api(&server, "PUT", "/api/v1/notifications/settings", &lea, off).0,
        200
    );
    let story = r#"{"headline": "Les dockers reprennent lundi", "body": "Le port rouvre.", "section": "Le Port"}"#;
    let (status, created) = api(&server, "POST", "/api/v1/stories", &julie, story);
    assert_eq!(status, 201, "{created}");
    let id = between(&created, "\"id\":", ",").unwrap().to_owned();
    let submit = format!("/api/v1/stories/{id}/actions/submit");
    assert_eq!(api(&server, "POST", &submit, &julie, "").0, 200);

    let letters = wait_for(&python, &maildir, 1);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        messages(&python, &maildir).len(),
        1,
        "one letter: to the editor who wants it"
    );
    let letter = &letters[0];
    assert_eq!(letter["to"], "Paul Chef <chef@exemple.fr>");
    assert_eq!(
        letter["subject"],
        "À relire\u{a0}: Les dockers reprennent lundi"
    );
    let text = letter["text"].as_str().unwrap();
    assert!(
        text.contains(
            "Julie Martin a soumis «\u{202f}Les dockers reprennent lundi\u{202f}» à relecture."
        ),
        "{text}"
    );
    let prefix = format!("{}/redaction/notifications/", server.base);
    let number = between(text, &prefix, "\n").unwrap().trim();
    let link = format!("{prefix}{number}");
    let html = letter["html"].as_str().unwrap();
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    assert!(html.contains(&format!("href=\"{}/redaction/notifications\"", server.base)));
    // Followed from the letter: the sign-in page first, then the story, the notification read.
    let signed_out = agent().get(&link).call().unwrap();
    assert_eq!(signed_out.status(), 303);
    let cookie = sign_in_over_http(&server, "chef@exemple.fr", "mot de passe de chef");
    let followed = agent().get(&link).header("cookie", &cookie).call().unwrap();
    assert_eq!(followed.status(), 303);
    assert_eq!(
        followed.headers()["location"],
        format!("/redaction/articles/{id}").as_str()
    );
    drop(sink);
    server.terminate();
}
