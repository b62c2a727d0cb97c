use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::mpsc,
    time::Duration,
};

pub fn rotative() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rotative"));
    command.env("RUST_LOG", "info").env_remove("ROTATIVE_DATA");
    command
}

/// Writes a story file next to the site and imports it; returns the story's path on the site.
pub fn publish_text(data: &Path, text: &str) -> String {
    let file = data.with_extension("story.md");
    std::fs::write(&file, text).unwrap();
    let imported = import_story(data, &file);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let url = String::from_utf8(imported.stdout).unwrap();
    url.trim()
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned()
}

/// Runs `rotative import story FILE --data DIR`.
pub fn import_story(data: &Path, file: &Path) -> Output {
    rotative()
        .args(["import", "story"])
        .arg(file)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap()
}

/// A running `rotative serve`, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// Fed by the thread reading the server's log, which keeps it drained.
    logs: mpsc::Receiver<String>,
    /// What the server logged before it said where it listens.
    pub startup_logs: Vec<String>,
}

impl Server {
    /// Starts the server on a free port and waits until it says where it listens.
    pub fn start(data: &Path, extra: &[&str]) -> Self {
        let mut command = rotative();
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra);
        Self::spawn(command)
    }

    /// Runs a prepared `serve` command and waits for the line that says where it listens.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, logs) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut startup_logs = Vec::new();
        let base = loop {
            let line = logs
                .recv_timeout(Duration::from_mins(1))
                .expect("server never said where it listens");
            startup_logs.push(line.clone());
            // The address ends the line in text logs, a quoted string in JSON ones.
            if let Some(at) = line.find("listening on http://") {
                let address = &line[at + "listening on ".len()..];
                let end = address
                    .find(|c: char| c == '"' || c.is_whitespace())
                    .unwrap_or(address.len());
                break address[..end].to_owned();
            }
        };
        Self {
            child,
            base,
            logs,
            startup_logs,
        }
    }

    pub fn get(&self, path: &str) -> Response {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut response = agent.get(&format!("{}{path}", self.base)).call().unwrap();
        let status = response.status().as_u16();
        let set_cookie = response.headers().get("set-cookie").is_some();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Response {
            status,
            set_cookie,
            location,
            body,
        }
    }

    /// The log lines written since the last call (waiting a moment for the ones on their way).
    pub fn log_lines(&self) -> Vec<String> {
        std::thread::sleep(Duration::from_millis(200));
        self.logs.try_iter().collect()
    }

    /// Sends SIGTERM and waits for the process to end on its own.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("server did not stop within 10 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub struct Response {
    pub status: u16,
    pub set_cookie: bool,
    pub location: Option<String>,
    pub body: String,
}

/// The text between the first `start` after `from` and the following `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let begin = text.find(start)? + start.len();
    let stop = text[begin..].find(end)? + begin;
    Some(&text[begin..stop])
}

/// Where an installed tool is, from its variable (`scripts/test` sets them all), or `None` with a
/// note outside CI; in CI a missing tool fails the test.
pub fn tool(variable: &str) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => {
            panic!("{variable} is not set: run scripts/test")
        }
        None => {
            eprintln!(
                "skipped: {variable} is not set (scripts/test installs the tool and sets it)"
            );
            None
        }
    }
}

/// Creates a newsroom account with `rotative user add`, the password on standard input.
pub fn add_user(data: &Path, email: &str, name: &str, role: &str, password: &str) {
    use std::io::Write;
    let mut child = rotative()
        .args([
            "user", "add", "--email", email, "--name", name, "--role", role, "--data",
        ])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "user add: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// An HTTP client that shows every answer as it is: no redirect followed, no status an error.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// A form shown before sign-in (the sign-in page, a forgotten password's): the cookie it sets
/// and the token it carries, which a post of it must send back together.
pub fn anonymous_form(server: &Server, path: &str) -> (String, String) {
    let mut form = agent()
        .get(&format!("{}{path}", server.base))
        .call()
        .unwrap();
    let form_cookie = form.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let html = form.body_mut().read_to_string().unwrap();
    let csrf = between(&html, "name=\"csrf\" value=\"", "\"")
        .unwrap()
        .to_owned();
    (form_cookie, csrf)
}

/// Signs in to the newsroom over HTTP as a browser would; returns the session cookie
/// (`rotative_session=…`).
pub fn sign_in_over_http(server: &Server, email: &str, password: &str) -> String {
    let agent = agent();
    let (form_cookie, csrf) = anonymous_form(server, "/redaction/connexion");
    let signed_in = agent
        .post(&format!("{}/redaction/connexion", server.base))
        .header("cookie", &form_cookie)
        .send_form([
            ("email", email),
            ("password", password),
            ("csrf", csrf.as_str()),
        ])
        .unwrap();
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .expect("a session cookie");
    cookie
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}
