//! `rotative serve` as an operator meets it.

use crate::helpers::{Server, rotative};

#[test]
fn serve_with_no_flags_creates_the_site_with_demo_content() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = rotative();
    command
        .current_dir(dir.path())
        .arg("serve")
        // The default port may be taken on a shared machine; the variable is the flag's twin.
        .env("ROTATIVE_LISTEN", "127.0.0.1:0");
    let server = Server::spawn(command);
    assert!(dir.path().join("rotative-data/rotative.db").exists());
    assert!(dir.path().join("rotative-data/media").is_dir());
    assert_eq!(server.get("/healthz").status, 200);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.matches("class=\"card\"").count() >= 12,
        "demo stories on the home page"
    );
    for section in [
        "/monde/",
        "/france/",
        "/economie/",
        "/culture/",
        "/sciences/",
    ] {
        assert_eq!(server.get(section).status, 200, "{section}");
    }
    assert!(server.terminate().success());
}

#[test]
fn no_demo_means_an_empty_site_and_demo_never_returns() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-demo"]);
    assert!(server.get("/").body.contains("Aucun article"));
    assert!(server.terminate().success());
    let server = Server::start(dir.path(), &[]);
    assert!(
        server.get("/").body.matches("class=\"card\"").count() >= 12,
        "a site without content gets the demo"
    );
    assert!(server.terminate().success());
}

#[test]
fn a_broken_theme_stops_start_up_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("article.html"), "{% block %}").unwrap();
    let output = rotative()
        .args(["serve", "--listen", "127.0.0.1:0", "--no-demo", "--data"])
        .arg(dir.path().join("site"))
        .arg("--theme")
        .arg(&theme)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error: cannot load theme"), "{stderr}");
}

#[test]
fn a_story_imported_while_serving_is_found_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let server = Server::start(&data, &["--no-demo"]);
    crate::helpers::publish_text(
        &data,
        "+++\nheadline = \"Le téléphérique de Brest rouvre\"\nsection = \"France\"\n+++\nLes cabines reprennent du service.\n",
    );
    let start = std::time::Instant::now();
    while !server
        .get("/recherche?q=telepherique")
        .body
        .contains("Le téléphérique de Brest rouvre</a>")
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "not found within 2 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(server.terminate().success());
}

#[test]
fn check_reports_what_is_usable_and_fails_on_what_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let output = rotative()
        .args(["check", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8(output.stdout).unwrap();
    for line in [
        "ok   settings",
        "ok   database",
        "ok   media",
        "ok   search index",
        "ok   theme",
    ] {
        assert!(report.contains(line), "{report}");
    }
    std::fs::write(
        data.join("rotative.toml"),
        "[site]\ntime_zone = \"Lune/Tranquillité\"\n",
    )
    .unwrap();
    let broken = rotative()
        .args(["check", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("unknown time zone"));
}

/// `--log-format json`: one JSON object a line, each request's lines with its id, the id the
/// answer carries in `x-request-id`.
#[test]
fn json_logs_carry_each_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--no-demo", "--log-format", "json"]);
    server.log_lines();
    assert_eq!(server.get("/nulle-part/").status, 404);
    let lines = server.log_lines();
    assert!(!lines.is_empty());
    let mut ids = Vec::new();
    for line in &lines {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if let Some(id) = entry.pointer("/span/request_id").and_then(|v| v.as_str()) {
            ids.push(id.to_owned());
        }
    }
    assert!(!ids.is_empty(), "request lines carry their id: {lines:?}");
    // A prefix drawn once per process, then a count.
    assert!(
        ids.iter().all(|id| id
            .split_once('-')
            .is_some_and(|(prefix, n)| prefix.len() == 16 && !n.is_empty())),
        "{ids:?}"
    );
    assert!(server.terminate().success());
}

/// `--metrics-listen`: Prometheus's `/metrics` on an address of its own, counting answers by
/// route and status; the public address does not serve it.
#[test]
fn metrics_count_answers_on_their_own_address() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--metrics-listen", "127.0.0.1:0"]);
    let metrics = server
        .startup_logs
        .iter()
        .find_map(|line| {
            let at = line.find("metrics on http://")? + "metrics on ".len();
            Some(line[at..].trim().to_owned())
        })
        .expect("the log says where metrics are");
    assert_eq!(server.get("/").status, 200);
    // Made, then answered from the page cache before the routes: counted under its route too.
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/nulle-part/").status, 404);
    let public = server.get("/metrics");
    assert!(
        public.status != 200 && !public.body.contains("rotative_http"),
        "not on the public address"
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut answer = agent.get(&metrics).call().unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let text = answer.body_mut().read_to_string().unwrap();
    for expected in [
        "rotative_http_requests_total{route=\"/\",status=\"200\"} 2",
        "rotative_http_requests_total{route=\"unmatched\",status=\"404\"}",
        "rotative_http_request_duration_seconds_bucket",
        "rotative_job_runs_total{job=\"search-index\"}",
        "rotative_search_index_lag_changes",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
    assert!(server.terminate().success());
}
