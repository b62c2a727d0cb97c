//! A real S3-compatible server (s3s-fs, which checks request signatures) for tests, started on a
//! free port with an empty data folder holding one bucket, `rotative-media`. `scripts/test`
//! builds it and sets `ROTATIVE_S3_SERVER`. Shared by the test crates that talk to S3.

use std::{
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub const ACCESS_KEY: &str = "rotative-test";
pub const SECRET_KEY: &str = "rotative-test-secret";
pub const BUCKET: &str = "rotative-media";

pub struct S3Server {
    child: Child,
    pub endpoint: String,
    data: tempfile::TempDir,
}

impl S3Server {
    /// Starts the server, or says why not: `None` outside CI when it is not installed.
    pub fn start() -> Option<Self> {
        let Some(binary) = std::env::var_os("ROTATIVE_S3_SERVER") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "ROTATIVE_S3_SERVER is not set: run scripts/test"
            );
            eprintln!("skipped: ROTATIVE_S3_SERVER is not set (scripts/test builds s3s-fs)");
            return None;
        };
        let data = tempfile::tempdir().unwrap();
        std::fs::create_dir(data.path().join(BUCKET)).unwrap();
        let port = unused_port();
        let child = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "s3s-fs never listened"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            data,
        })
    }

    /// The folder where the server keeps a bucket's objects, to check what really landed.
    pub fn bucket_folder(&self) -> std::path::PathBuf {
        self.data.path().join(BUCKET)
    }

    /// The `AWS_*` settings that reach this server.
    pub fn settings<'a>(&'a self, secret: &'a str) -> [(&'static str, &'a str); 5] {
        [
            ("aws_endpoint_url", &self.endpoint),
            ("aws_access_key_id", ACCESS_KEY),
            ("aws_secret_access_key", secret),
            ("aws_region", "us-east-1"),
            ("aws_allow_http", "true"),
        ]
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on, never given twice in this process: two tests starting a server at
/// once could otherwise be told the same free port, and the second server, unable to bind it,
/// would leave its test talking to the first one's until that one stops.
fn unused_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let mut given = GIVEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}
