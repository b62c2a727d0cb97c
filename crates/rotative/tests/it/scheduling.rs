//! Scheduled publishing with the real server: a story goes live on time with nobody browsing,
//! and one that fell due while the server was down goes live when it starts again.

use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp, tz::TimeZone};

use crate::helpers::{Server, add_user, agent, between, sign_in_over_http};

const PASSWORD: &str = "mot de passe de test";

/// Signs in; returns the session cookie and the session's CSRF token.
fn sign_in(server: &Server) -> (String, String) {
    let cookie = sign_in_over_http(server, "chef@exemple.fr", PASSWORD);
    let mut dashboard = agent()
        .get(&format!("{}/redaction/", server.base))
        .header("cookie", &cookie)
        .call()
        .unwrap();
    let html = dashboard.body_mut().read_to_string().unwrap();
    let csrf = between(&html, "name=\"csrf\" value=\"", "\"")
        .unwrap()
        .to_owned();
    (cookie, csrf)
}

/// Writes a story and schedules it `seconds` from now (typed in Paris time, as in the form).
fn schedule(server: &Server, cookie: &str, csrf: &str, headline: &str, seconds: i64) -> String {
    let created = agent()
        .post(&format!("{}/redaction/articles", server.base))
        .header("cookie", cookie)
        .send_form([
            ("csrf", csrf),
            ("headline", headline),
            ("body", "Un texte programmé."),
            ("section", "France"),
            ("kind", "news"),
            ("intent", "save"),
        ])
        .unwrap();
    assert_eq!(created.status(), 303);
    let story = created.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let at = (Timestamp::now() + SignedDuration::from_secs(seconds))
        .to_zoned(TimeZone::get("Europe/Paris").unwrap())
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let scheduled = agent()
        .post(&format!("{}{story}/action", server.base))
        .header("cookie", cookie)
        .send_form([
            ("csrf", csrf),
            ("action", "schedule"),
            ("scheduled_at", at.as_str()),
        ])
        .unwrap();
    assert_eq!(scheduled.status(), 303, "scheduling {headline}");
    story
}

/// Waits until the home page lists `headline`, returning how long it took.
fn wait_on_home(server: &Server, headline: &str, limit: Duration) -> Duration {
    let start = Instant::now();
    loop {
        if server.get("/").body.contains(headline) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < limit,
            "`{headline}` was not published within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn scheduled_stories_go_live_on_time_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    add_user(&data, "chef@exemple.fr", "Paul Chef", "editor", PASSWORD);
    let server = Server::start(&data, &["--no-demo"]);
    let (cookie, csrf) = sign_in(&server);

    schedule(&server, &cookie, &csrf, "Dans trois secondes", 3);
    assert!(
        !server.get("/").body.contains("Dans trois secondes"),
        "not before its time"
    );
    // Nobody browses: the server publishes it by itself, within a few seconds of the time.
    std::thread::sleep(Duration::from_secs(3));
    let late = wait_on_home(&server, "Dans trois secondes", Duration::from_secs(5));
    assert!(
        late < Duration::from_secs(5),
        "published {late:?} after its time"
    );

    schedule(&server, &cookie, &csrf, "Pendant la panne", 2);
    assert!(server.terminate().success());
    std::thread::sleep(Duration::from_secs(3));
    let restarted = Server::start(&data, &["--no-demo"]);
    wait_on_home(&restarted, "Pendant la panne", Duration::from_secs(5));
    assert!(restarted.terminate().success());
}
