use std::collections::HashMap;

use axum::{
    body::Body,
    http::{HeaderMap, Request, StatusCode},
};
use jiff::{Timestamp, ToSpan, tz::TimeZone};
use rotative_import::{Importer, parse_story};
use rotative_media::{MediaStorage, illustration};
use rotative_render::{Site, Theme};
use rotative_store::Store;
use rotative_web::{AppSettings, AppState, ConnectionLimits};
use tower::ServiceExt;

pub struct TestSite {
    pub state: AppState,
    dir: tempfile::TempDir,
}

/// A server answering on a real socket until `stop` is sent (or dropped).
pub struct Listening {
    pub address: std::net::SocketAddr,
    pub stop: tokio::sync::oneshot::Sender<()>,
    /// Ends once the server has stopped.
    pub server: tokio::task::JoinHandle<()>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// Bytes on the wire (compressed, when the response is).
    pub size: usize,
    pub raw: Vec<u8>,
}

/// One part of a `multipart/form-data` body: a text field, or a file with its name.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

/// A story file with one illustration; `extra` goes into the front matter.
pub fn story(headline: &str, section: &str, extra: &str) -> String {
    format!(
        "+++\nheadline = \"{headline}\"\nsection = \"{section}\"\nauthors = [\"Claire Dubois\"]\n{extra}\n+++\nPremier paragraphe de « {headline} ».\n\n![Une illustration](media:{section}.jpg \"Légende — Illustration Rotative\")\n"
    )
}

impl TestSite {
    /// A site with these story files, the first the newest.
    pub async fn with_stories(stories: &[String], page_size: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite(&dir.path().join("rotative.db"))
            .await
            .unwrap();
        let storage = MediaStorage::local(dir.path().join("media")).await.unwrap();
        let theme = Theme::embedded();
        let time_zone = TimeZone::get("Europe/Paris").unwrap();
        let importer = Importer {
            store: &store,
            storage: &storage,
            theme: &theme,
            time_zone: &time_zone,
        };
        let now = Timestamp::now();
        for (text, age) in stories.iter().zip(1_i64..) {
            let mut story = parse_story(text).unwrap();
            if story.published_at.is_none() {
                story.published_at = Some(now - age.hours());
            }
            let images: HashMap<_, _> = story
                .figures
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        illustration::draw(&f.name, 320, 180).unwrap(),
                    )
                })
                .collect();
            importer.import(story, &images).await.unwrap();
        }
        let site = Site {
            name: "Rotative".into(),
            base_url: "https://journal.example".into(),
            description: "Journal d'essai".into(),
            time_zone,
            feed_full_text: true,
            page_size,
        };
        let search = rotative_search::SearchIndex::in_memory().unwrap();
        search.catch_up(&store).await.unwrap();
        // As `rotative serve` builds it: the page cache follows the change log from here.
        let state = AppState::build(AppSettings {
            page_cache_bytes: 16 * 1024 * 1024,
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..AppSettings::new(store, storage, site, search)
        })
        .await
        .unwrap();
        Self { state, dir }
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A GET with extra headers.
    pub async fn send_with(&self, uri: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A GET as a browser sends it, accepting compressed responses.
    pub async fn get_compressed(&self, uri: &str) -> Page {
        self.send(
            Request::get(uri)
                .header("accept-encoding", "br, gzip")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A request with an optional cookie header and an optional form body.
    pub async fn request(
        &self,
        method: &str,
        uri: &str,
        cookie: Option<&str>,
        form: Option<&[(&str, &str)]>,
    ) -> Page {
        send_to(&self.state, method, uri, cookie, form).await
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
        respond(&self.state, request).await
    }

    /// A form with files, as a browser posts it; `accept_json` as the editor's script does.
    pub async fn post_multipart(
        &self,
        uri: &str,
        cookie: &str,
        parts: &[Part<'_>],
        accept_json: bool,
    ) -> Page {
        let (content_type, body) = multipart(parts);
        let mut request = Request::post(uri)
            .header("cookie", cookie)
            .header("content-type", content_type)
            .header("content-length", body.len());
        if accept_json {
            request = request.header("accept", "application/json");
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// The site on a real socket, for what only a network client can do: answered as
    /// `rotative serve` answers, by two threads sharing the port.
    #[expect(
        clippy::unused_async,
        reason = "binding needs a Tokio runtime: async says so to callers"
    )]
    pub async fn listening(&self, limits: ConnectionLimits) -> Listening {
        let listeners = rotative_web::bind_shared("127.0.0.1:0".parse().unwrap(), 2).unwrap();
        let address = listeners[0].local_addr().unwrap();
        let app = rotative_web::router(self.state.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let stopped = async move {
                let _ = stopped.await;
            };
            let threads = rotative_web::serve_on_threads(listeners, app, stopped, limits)
                .await
                .unwrap();
            drop(threads);
        });
        Listening {
            address,
            stop,
            server,
        }
    }

    /// How many files the media folder holds.
    pub fn media_files(&self) -> usize {
        std::fs::read_dir(self.dir.path().join("media"))
            .unwrap()
            .count()
    }

    /// The address of the newest story, from the home page.
    pub async fn first_article_path(&self) -> String {
        let home = self.get("/").await.body;
        let start = home.find("class=\"card-title\"><a href=\"").unwrap() + 28;
        home[start..start + home[start..].find('"').unwrap()].to_owned()
    }
}

/// A request to the site behind `state`, for tasks that cannot borrow the `TestSite`.
pub async fn send_to(
    state: &AppState,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> Page {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", cookie);
    }
    let body = match form {
        Some(fields) => {
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
            Body::from(serde_urlencoded(fields))
        }
        None => Body::empty(),
    };
    respond(state, builder.body(body).unwrap()).await
}

pub async fn respond(state: &AppState, request: Request<Body>) -> Page {
    let response = rotative_web::router(state.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Page {
        status,
        headers,
        size: bytes.len(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        raw: bytes.to_vec(),
    }
}

impl Page {
    pub fn count(&self, needle: &str) -> usize {
        self.body.matches(needle).count()
    }
}

/// Encodes form fields as a browser does.
fn serde_urlencoded(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

impl Page {
    /// The cookie an answer sets, as the browser sends it back (`name=value`).
    pub fn cookie(&self) -> String {
        let set = self.header("set-cookie").expect("a cookie");
        set.split(';').next().unwrap_or(set).to_owned()
    }

    /// Where a redirect leads, without its query string (a newsroom story's address).
    pub fn location_path(&self) -> String {
        let location = self.header("location").expect("a redirect");
        location.split('?').next().unwrap_or(location).to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of a hidden form field, as the browser would send it back.
    pub fn field(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        Some(self.body[start..start + self.body[start..].find('"')?].to_owned())
    }
}

/// A multipart form of `parts`: its content type (with the boundary) and its body.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "----rotative-test-boundary-7f3a";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, file_name, bytes) => {
                body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n")
                            .as_bytes(),
                    );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
