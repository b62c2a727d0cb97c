//! Three instances of the same binary on one PostgreSQL database and one S3-compatible bucket,
//! as a site behind a load balancer runs: a session made on A works on B, an image uploaded on
//! A shows on C, a story published on B is read and found on C within a second, a scheduled
//! story is published once, killing one instance under load costs the other two nothing, an
//! edit, a correction and an unpublishing reach the others within a second, and scheduled
//! publishing goes on when the instances that ran it die.

use std::{
    io::Write as _,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use jiff::{Timestamp, ToSpan, tz::TimeZone};

use rotative_test_support::s3_server::{S3Server, SECRET_KEY};

use crate::{
    helpers::{Server, agent, between, rotative, sign_in_over_http},
    postgres::fresh_database,
};

const PASSWORD: &str = "un mot de passe solide";

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

fn answer(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let location = header("location");
    Answer {
        status: response.status().as_u16(),
        location,
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn get(server: &Server, path: &str, cookie: Option<&str>) -> Answer {
    let mut request = agent().get(&format!("{}{path}", server.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    answer(request.call().unwrap())
}

fn post(server: &Server, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let request = agent()
        .post(&format!("{}{path}", server.base))
        .header("cookie", cookie);
    answer(request.send_form(fields.iter().copied()).unwrap())
}

/// The session's form token, read from a newsroom page of `server`.
fn csrf(server: &Server, cookie: &str) -> String {
    let page = get(server, "/redaction/", Some(cookie));
    assert_eq!(page.status, 200, "the session is valid on {}", server.base);
    between(&page.body, "name=\"csrf\" value=\"", "\"")
        .unwrap()
        .to_owned()
}

/// Writes a story on `server` and returns its newsroom address.
pub(crate) fn write_story(server: &Server, cookie: &str, headline: &str, body: &str) -> String {
    let token = csrf(server, cookie);
    let saved = post(
        server,
        "/redaction/articles",
        cookie,
        &[
            ("csrf", &token),
            ("headline", headline),
            ("body", body),
            ("section", "France"),
            ("kind", "news"),
            ("intent", "save"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    saved
        .location
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

fn act(server: &Server, cookie: &str, story: &str, action: &str, at: &str) {
    let token = csrf(server, cookie);
    let done = post(
        server,
        &format!("{story}/action"),
        cookie,
        &[("csrf", &token), ("action", action), ("scheduled_at", at)],
    );
    assert_eq!(done.status, 303, "{action}: {}", done.body);
}

/// Uploads an image on `server` as the editor's script does; returns the Markdown line.
fn upload(server: &Server, cookie: &str) -> String {
    let token = csrf(server, cookie);
    let image = rotative_media::illustration::draw("viaduc", 1200, 800).unwrap();
    let boundary = "rotative-scale-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", token.as_str()), ("alt", "Le viaduc sous la brume")] {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"viaduc.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(&image);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    let response = agent()
        .post(&format!("{}/redaction/medias", server.base))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .header(
            "content-type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .unwrap();
    let uploaded = answer(response);
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    let json: serde_json::Value = serde_json::from_str(&uploaded.body).unwrap();
    json["markdown"].as_str().unwrap().to_owned()
}

/// Waits up to `limit` for `check` to hold; returns how long it took.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() <= limit {
        if check() {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    None
}

#[test]
fn three_instances_share_one_database_and_one_bucket() {
    let Some(database) = fresh_database("scale") else {
        return;
    };
    let Some(bucket) = S3Server::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let with_site = |command: &mut std::process::Command, name: &str| {
        command
            .args([
                "--database",
                &database,
                "--media",
                "s3://rotative-media/scale",
                "--data",
            ])
            .arg(dir.path().join(name));
        for (variable, value) in bucket.settings(SECRET_KEY) {
            command.env(variable.to_uppercase(), value);
        }
    };
    let mut add = rotative();
    add.args([
        "user",
        "add",
        "--email",
        "chef@exemple.fr",
        "--name",
        "Chef Édition",
    ])
    .args(["--role", "editor"]);
    with_site(&mut add, "admin");
    let mut child = add
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(PASSWORD.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());

    let start = |name: &str| {
        let mut command = rotative();
        command.args(["serve", "--listen", "127.0.0.1:0", "--no-demo"]);
        with_site(&mut command, name);
        Server::spawn(command)
    };
    let (a, b, c) = (start("a"), start("b"), start("c"));
    let session = sign_in_over_http(&a, "chef@exemple.fr", PASSWORD);
    let (story, path) = publish_on_b_read_on_c(&a, &b, &c, &session);
    scheduled_once(&a, &b, &c, &session);
    kill_one_under_load(&a, b, &c, &path);
    edit_correct_unpublish(&a, &c, &session, &story, &path);
    scheduling_survives_its_instance(a, &c, &session);
    assert!(c.terminate().success());
}

/// An edit and a correction made on A are on C's page, and in C's search, within a second; a
/// story unpublished on C is gone from A (410) and from A's search.
fn edit_correct_unpublish(a: &Server, c: &Server, session: &str, story: &str, path: &str) {
    let token = csrf(a, session);
    let saved = post(
        a,
        story,
        session,
        &[
            ("csrf", &token),
            ("headline", "Le viaduc rouvre enfin à la circulation"),
            ("body", "Les travaux sont finis, avec un mois d'avance."),
            ("section", "France"),
            ("kind", "news"),
            ("intent", "save"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let token = csrf(a, session);
    let corrected = post(
        a,
        &format!("{story}/corrections"),
        session,
        &[
            ("csrf", &token),
            ("kind", "correction"),
            ("note", "Les travaux ont duré onze mois, non douze."),
        ],
    );
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    let seen = within(Duration::from_secs(1), || {
        let page = get(c, path, None).body;
        page.contains("rouvre enfin") && page.contains("onze mois")
    });
    assert!(seen.is_some(), "C shows the edit and the correction");
    let found = within(Duration::from_secs(1), || {
        get(c, "/recherche?q=avance", None)
            .body
            .contains("rouvre enfin")
    });
    assert!(found.is_some(), "C's search has the edit within a second");
    act(c, session, story, "unpublish", "");
    assert_eq!(get(a, path, None).status, 410);
    let gone = within(Duration::from_secs(1), || {
        !get(a, "/recherche?q=avance", None)
            .body
            .contains("rouvre enfin")
    });
    assert!(
        gone.is_some(),
        "A's search no longer finds it within a second"
    );
}

/// With A and B dead (killed, their leases left to run out), C takes scheduled publishing over.
fn scheduling_survives_its_instance(mut a: Server, c: &Server, session: &str) {
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    let scheduled = write_story(c, session, "Le marché de Noël s'installe", "Texte.");
    let zone = TimeZone::get("Europe/Paris").unwrap();
    let at = (Timestamp::now() + 2.seconds()).to_zoned(zone);
    let typed = at.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    act(c, session, &scheduled, "schedule", &typed);
    // The lease of a dead instance runs out after 10 s at most.
    let live = within(Duration::from_secs(15), || {
        get(c, "/", None).body.contains("Le marché de Noël")
    });
    assert!(live.is_some(), "C published the scheduled story");
}

/// A session made on A is valid on B; an image uploaded on A goes to the shared bucket; a story
/// published on B is read and found on C within a second. Returns the story's newsroom and
/// public addresses.
fn publish_on_b_read_on_c(a: &Server, b: &Server, c: &Server, session: &str) -> (String, String) {
    let image = upload(a, session);
    let story = write_story(
        b,
        session,
        "Le viaduc rouvre à la circulation",
        &format!("Les travaux sont finis.\n\n{image}"),
    );
    act(b, session, &story, "publish", "");
    // Published on B: read and found on C within a second.
    let read = within(Duration::from_secs(1), || {
        get(c, "/", None).body.contains("Le viaduc rouvre")
    });
    assert!(read.is_some(), "the home page of C shows the story");
    let found = within(Duration::from_secs(1), || {
        get(c, "/recherche?q=viaduc", None)
            .body
            .contains("Le viaduc rouvre")
    });
    assert!(
        found.is_some(),
        "C's search index finds the story within a second"
    );
    let home = get(c, "/", None).body;
    let path = between(&home, "class=\"card-title\"><a href=\"", "\"")
        .unwrap()
        .to_owned();
    let page = get(c, &path, None);
    assert_eq!(page.status, 200);
    let media = between(&page.body, "src=\"/media/", "\"").unwrap();
    assert_eq!(get(c, &format!("/media/{media}"), None).status, 200);
    (story, path)
}

/// A story scheduled on A goes live once, whichever instance publishes it: one audit entry.
fn scheduled_once(a: &Server, b: &Server, c: &Server, session: &str) {
    let scheduled = write_story(a, session, "La foire ouvre ses portes", "Texte.");
    let zone = TimeZone::get("Europe/Paris").unwrap();
    let at = (Timestamp::now() + 3.seconds()).to_zoned(zone);
    act(
        a,
        session,
        &scheduled,
        "schedule",
        &at.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
    );
    let live = within(Duration::from_secs(8), || {
        get(b, "/", None).body.contains("La foire ouvre")
    });
    assert!(live.is_some(), "the scheduled story went live");
    std::thread::sleep(Duration::from_secs(2));
    let journal = get(c, "/redaction/journal", Some(session)).body;
    let publications = journal
        .split("<tr>")
        .filter(|row| row.contains("La foire ouvre") && row.contains("Publier"))
        .count();
    assert_eq!(publications, 1, "published once: {journal}");
}

/// A few thousand requests spread over the three; B is killed a third of the way through, and
/// A and C answer every request they get.
fn kill_one_under_load(a: &Server, mut b: Server, c: &Server, path: &str) {
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicU32::new(0));
    let readers: Vec<_> = [a, &b, c, a, &b, c]
        .into_iter()
        .map(|server| {
            let survives = server.base != b.base;
            let (base, path) = (server.base.clone(), path.to_owned());
            let (stop, answered) = (stop.clone(), answered.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut failed = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    for target in ["/", path.as_str(), "/feed.atom"] {
                        match agent.get(&format!("{base}{target}")).call() {
                            Ok(response) if response.status() == 200 => {
                                answered.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok(response) if survives => {
                                failed.push(format!("{target}: {}", response.status()));
                            }
                            Err(error) if survives => failed.push(format!("{target}: {error}")),
                            _ => {}
                        }
                    }
                }
                failed
            })
        })
        .collect();
    let reach = |count: u32| {
        within(Duration::from_secs(90), || {
            answered.load(Ordering::Relaxed) >= count
        })
        .is_some()
    };
    assert!(reach(1000), "the load started");
    b.child.kill().unwrap();
    b.child.wait().unwrap();
    assert!(reach(3000), "the load went on without B");
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        let failed = reader.join().unwrap();
        assert!(failed.is_empty(), "A and C answered everything: {failed:?}");
    }
    eprintln!(
        "{} answers, none failed on A and C, B killed after 1000",
        answered.load(Ordering::Relaxed)
    );
}
