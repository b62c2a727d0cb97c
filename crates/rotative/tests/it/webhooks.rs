//! Webhooks end to end: `rotative webhook add`, two instances of `rotative serve` on one
//! PostgreSQL database, stories published, corrected and unpublished through the API, and a real
//! HTTP receiver (`tests/webhook_receiver.py`) that checks each signature on its own and fails
//! the first attempts: every event arrives once, signed, after its retries.

use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

use crate::{
    helpers::{Server, agent, rotative},
    postgres::fresh_database,
};

/// Failed attempts the receiver answers 500 to, for every message, before accepting it.
const FAILURES: u64 = 2;

struct Receiver {
    child: Child,
    base: String,
}

impl Receiver {
    fn start() -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/webhook_receiver.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(FAILURES.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the webhook receiver");
        let mut port = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut port)
            .unwrap();
        Self {
            child,
            base: format!("http://127.0.0.1:{}", port.trim()),
        }
    }

    fn report(&self) -> Value {
        let mut answer = agent()
            .get(&format!("{}/_report", self.base))
            .call()
            .unwrap();
        serde_json::from_str(&answer.body_mut().read_to_string().unwrap()).unwrap()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `rotative ARGS --database DATABASE --data DATA`, feeding `input`; its standard output.
fn run(args: &[&str], database: &str, data: &Path, input: &str) -> Result<String, String> {
    let mut child = rotative()
        .args(args)
        .args(["--database", database, "--data"])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{input}").unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Ok(String::from_utf8(output.stdout).unwrap().trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Sends JSON to the API as the token's account; the status and the answer.
fn call(server: &Server, method: &str, path: &str, token: &str, body: &str) -> (u16, Value) {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", server.base))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .unwrap();
    let mut answer = agent().run(request).unwrap();
    let status = answer.status().as_u16();
    let text = answer.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// An editor's token, and a webhook to the receiver (after two refused), made with the CLI;
/// the receiver is told the secret.
fn set_up_by_the_operator(database: &str, one: &Path, receiver: &Receiver) -> String {
    run(
        &[
            "user",
            "add",
            "--email",
            "chef@exemple.fr",
            "--name",
            "Paul Chef",
            "--role",
            "editor",
        ],
        database,
        one,
        "un mot de passe solide",
    )
    .unwrap();
    let token = run(
        &[
            "token",
            "add",
            "--email",
            "chef@exemple.fr",
            "--name",
            "Essai",
            "--scope",
            "write",
        ],
        database,
        one,
        "",
    )
    .unwrap();
    let events = "story.published,story.updated,story.unpublished,correction.added";
    for (url, refusal) in [
        ("ftp://partenaire.example/", "not an http or https address"),
        ("http://127.0.0.1:8080/api", "this site's own address"),
    ] {
        let refused = run(
            &["webhook", "add", url, "--events", events],
            database,
            one,
            "",
        )
        .unwrap_err();
        assert!(refused.contains(refusal), "{refused}");
    }
    let secret = run(
        &[
            "webhook",
            "add",
            &format!("{}/rotative", receiver.base),
            "--events",
            events,
        ],
        database,
        one,
        "",
    )
    .unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    agent()
        .post(&format!("{}/_secret", receiver.base))
        .send(secret.as_str())
        .unwrap();

    token
}

/// A story written, published, edited, corrected and unpublished through both instances' API;
/// its id.
fn a_story_through_the_api(first: &Server, second: &Server, token: &str) -> i64 {
    let (status, created) = call(
        first,
        "POST",
        "/api/v1/stories",
        token,
        r#"{"headline": "Le port rouvre lundi", "body": "Les dockers reprennent.", "section": "Monde"}"#,
    );
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, _) = call(
        first,
        "POST",
        &format!("/api/v1/stories/{id}/actions/publish"),
        token,
        "",
    );
    assert_eq!(status, 200);
    let (status, _) = call(
        second,
        "PATCH",
        &format!("/api/v1/stories/{id}"),
        token,
        r#"{"standfirst": "Fin de la grève."}"#,
    );
    assert_eq!(status, 428, "an edit says which revision it read");
    let request = ureq::http::Request::builder()
        .method("PATCH")
        .uri(format!("{}/api/v1/stories/{id}", second.base))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("if-match", "*")
        .body(r#"{"standfirst": "Fin de la grève."}"#.to_owned())
        .unwrap();
    assert_eq!(agent().run(request).unwrap().status().as_u16(), 200);
    let (status, _) = call(
        second,
        "POST",
        &format!("/api/v1/stories/{id}/corrections"),
        token,
        r#"{"kind": "correction", "note": "Le port rouvre mardi."}"#,
    );
    assert_eq!(status, 201);
    let (status, _) = call(
        first,
        "POST",
        &format!("/api/v1/stories/{id}/actions/unpublish"),
        token,
        "",
    );
    assert_eq!(status, 200);

    id
}

#[test]
fn every_event_reaches_the_receiver_once_signed_after_its_retries() {
    let Some(database) = fresh_database("webhooks") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let receiver = Receiver::start();

    let token = set_up_by_the_operator(&database, &one, &receiver);
    let args = [
        "--database",
        database.as_str(),
        "--webhook-retry-seconds",
        "1,1,1,1",
        // The receiver runs on this machine.
        "--webhook-allow-internal",
    ];
    let (first, second) = std::thread::scope(|scope| {
        let a = scope.spawn(|| Server::start(&one, &args));
        let b = scope.spawn(|| Server::start(&two, &args));
        (a.join().unwrap(), b.join().unwrap())
    });

    let id = a_story_through_the_api(&first, &second, &token);

    let deadline = Instant::now() + Duration::from_mins(1);
    while receiver.report()["delivered"].as_array().unwrap().len() < 4 && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(250));
    }
    // Let any duplicate a second instance might send arrive before counting.
    std::thread::sleep(Duration::from_secs(3));
    let report = receiver.report();
    assert_eq!(report["invalid"], 0, "every signature checks out: {report}");
    let delivered = report["delivered"].as_array().unwrap();
    let mut kinds: Vec<&str> = delivered
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [
            "correction.added",
            "story.published",
            "story.unpublished",
            "story.updated"
        ],
        "each event once: {report}"
    );
    assert!(delivered.iter().all(|event| event["story"] == id));
    for (message, attempts) in report["attempts"].as_object().unwrap() {
        assert_eq!(
            attempts.as_u64(),
            Some(FAILURES + 1),
            "{message}: retried after each failure, then sent no more"
        );
    }

    let listed = run(&["webhook", "list"], &database, &one, "").unwrap();
    assert!(listed.contains("0 pending, 0 failed"), "{listed}");
    assert!(first.terminate().success());
    assert!(second.terminate().success());
}
