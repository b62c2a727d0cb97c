//! Connections on a real socket: clients that stop reading, more connections than the cap, and
//! a stop while answers are still in flight, and a port that is not shared with another server.

use std::{
    io::{Read, Write},
    net::TcpStream,
    time::{Duration, Instant},
};

use rotative_media::{ImageKind, StorageKey};
use rotative_web::ConnectionLimits;

use crate::{helpers::TestSite, hostile::exchange, newsroom::newsroom};

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").into_bytes()
}

pub async fn ask(address: std::net::SocketAddr, path: &str) -> String {
    let request = get(path);
    tokio::task::spawn_blocking(move || exchange(address, &request, Duration::from_secs(5)))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_client_that_stops_reading_is_cut_off() {
    let site = TestSite::with_stories(&[], 10).await;
    let size = 64 * 1024 * 1024;
    let file = vec![7_u8; size];
    let key = StorageKey::for_content(&file, ImageKind::Png);
    site.state.storage.put(&key, file).await.unwrap();
    let server = site
        .listening(ConnectionLimits {
            write_timeout: Duration::from_secs(1),
            ..ConnectionLimits::default()
        })
        .await;
    let address = server.address;
    let received = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(&get(&format!("/media/{key}"))).unwrap();
        // Reads nothing while the server would have time to send it all several times over.
        std::thread::sleep(Duration::from_secs(4));
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut received = Vec::new();
        let _ = stream.read_to_end(&mut received);
        received.len()
    })
    .await
    .unwrap();
    assert!(
        received < size,
        "the answer was cut: {received} of {size} bytes"
    );
    assert!(ask(address, "/healthz").await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn over_the_cap_health_probes_are_still_answered() {
    let site = TestSite::with_stories(&[], 10).await;
    let server = site
        .listening(ConnectionLimits {
            max_connections: 4,
            ..ConnectionLimits::default()
        })
        .await;
    let address = server.address;
    // Four clients that connect and say nothing hold every regular place.
    let idle: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(address).unwrap())
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let health = ask(address, "/healthz").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let page = ask(address, "/").await;
    assert!(page.starts_with("HTTP/1.1 503"), "{page}");
    assert!(page.contains("retry-after: 5"), "{page}");
    assert!(page.contains("Réessayez"), "{page}");
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let page = ask(address, "/").await;
    assert!(page.starts_with("HTTP/1.1 200"), "places free up: {page}");
}

#[tokio::test]
async fn a_stop_ends_within_the_grace_period_whatever_requests_do() {
    let site = newsroom().await;
    let server = site
        .listening(ConnectionLimits {
            shutdown_grace: Duration::from_secs(1),
            ..ConnectionLimits::default()
        })
        .await;
    let address = server.address;
    // A request whose body never finishes arriving: its handler waits for it.
    let stalled = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .write_all(
                b"POST /redaction/connexion HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=",
            )
            .unwrap();
        std::thread::sleep(Duration::from_secs(8));
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    server.stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server.server)
        .await
        .expect("the server stops within its grace period")
        .unwrap();
    let took = asked.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(3),
        "{took:?}"
    );
    stalled.join().unwrap();
}

#[tokio::test]
async fn a_second_server_cannot_take_a_port_in_use() {
    let site = TestSite::with_stories(&[], 3).await;
    let server = site.listening(ConnectionLimits::default()).await;
    let refused = rotative_web::bind_shared(server.address, 2).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::AddrInUse, "{refused}");
    for _ in 0..8 {
        let page = ask(server.address, "/").await;
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    }
}
