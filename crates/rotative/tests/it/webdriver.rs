//! Just enough of the W3C WebDriver protocol to drive Debian's Chromium through chromedriver:
//! open pages, fill and click, read the page, take screenshots.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use base64::Engine;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process, stopped when dropped.
pub struct Driver {
    process: Child,
    base: String,
}

impl Driver {
    pub fn start(chromedriver: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not answer");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { process, base }
    }

    /// A new headless Chromium window, with its own profile.
    pub fn browser(&self, profile: &std::path::Path) -> Browser {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1200,1400", format!("--user-data-dir={}", profile.display())],
            },
        }}});
        let reply = post(&format!("{}/session", self.base), &capabilities);
        let id = reply["value"]["sessionId"]
            .as_str()
            .expect("a WebDriver session")
            .to_owned();
        Browser {
            session: format!("{}/session/{id}", self.base),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn post(url: &str, body: &Value) -> Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.post(url).send_json(body).unwrap();
    let reply: Value = response.body_mut().read_json().unwrap();
    assert!(
        reply["value"]["error"].is_null(),
        "WebDriver {url}: {reply}"
    );
    reply
}

fn get(url: &str) -> Value {
    let mut response = ureq::get(url).call().unwrap();
    response.body_mut().read_json().unwrap()
}

/// One browser window.
pub struct Browser {
    session: String,
}

impl Browser {
    pub fn open(&self, url: &str) {
        post(&format!("{}/url", self.session), &json!({ "url": url }));
    }

    pub fn url(&self) -> String {
        get(&format!("{}/url", self.session))["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn source(&self) -> String {
        get(&format!("{}/source", self.session))["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn find(&self, css: &str) -> String {
        let reply = post(
            &format!("{}/element", self.session),
            &json!({ "using": "css selector", "value": css }),
        );
        reply["value"][ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("element {css}: {reply}"))
            .to_owned()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        post(
            &format!("{}/element/{element}/clear", self.session),
            &json!({}),
        );
        post(
            &format!("{}/element/{element}/value", self.session),
            &json!({ "text": text }),
        );
    }

    /// Picks an option of a list by typing its first letters, as a keyboard user does.
    pub fn choose(&self, css: &str, label: &str) {
        let element = self.find(css);
        post(
            &format!("{}/element/{element}/value", self.session),
            &json!({ "text": label }),
        );
    }

    /// Chooses a file in a file field, as a person picking it in the dialog would.
    pub fn attach(&self, css: &str, file: &std::path::Path) {
        let element = self.find(css);
        post(
            &format!("{}/element/{element}/value", self.session),
            &json!({ "text": file.to_str().unwrap() }),
        );
    }

    /// Activates a link or button, after scrolling it into view. The activation goes through
    /// the element itself (as a keyboard user pressing Enter would), so a suggestion list left
    /// open by the previous field cannot swallow it.
    pub fn click(&self, css: &str) {
        let element = self.find(css);
        post(
            &format!("{}/execute/sync", self.session),
            &json!({
                "script": "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
                "args": [{ ELEMENT: element }],
            }),
        );
    }

    /// Types into an element without clearing it first, keys as WebDriver names them
    /// (`\u{E009}` holds Control until `\u{E000}` releases it).
    pub fn keys(&self, css: &str, text: &str) {
        let element = self.find(css);
        post(
            &format!("{}/element/{element}/value", self.session),
            &json!({ "text": text }),
        );
    }

    /// Runs a script in the page and gives back its value.
    pub fn run(&self, script: &str, args: &Value) -> Value {
        post(
            &format!("{}/execute/sync", self.session),
            &json!({ "script": script, "args": args }),
        )["value"]
            .clone()
    }

    /// Waits until the page contains `text` (pages load and scripts run asynchronously).
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let source = self.source();
            if source.contains(text) {
                return source;
            }
            assert!(
                Instant::now() < deadline,
                "`{text}` never appeared on {}:\n{source}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Sizes the window as a phone's or a laptop's screen.
    pub fn resize(&self, width: u32, height: u32) {
        post(
            &format!("{}/window/rect", self.session),
            &json!({ "width": width, "height": height }),
        );
    }

    /// Asks pages for their dark (or light) colours, as a reader's system setting would.
    pub fn dark(&self, dark: bool) {
        let scheme = if dark { "dark" } else { "light" };
        post(
            &format!("{}/goog/cdp/execute", self.session),
            &json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] },
            }),
        );
    }

    /// Saves a PNG of the window to `path`.
    pub fn screenshot(&self, path: &std::path::Path) {
        let reply = get(&format!("{}/screenshot", self.session));
        let png = base64::engine::general_purpose::STANDARD
            .decode(reply["value"].as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.session).call();
    }
}
