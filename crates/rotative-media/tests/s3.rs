//! Media storage against a real S3-compatible server (s3s-fs, which checks request signatures),
//! started here on a free port; `scripts/test` builds it and sets `ROTATIVE_S3_SERVER`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

use rotative_media::{ByteRange, ImageKind, MediaStorage, ReadOutcome, StorageKey};

use rotative_test_support::s3_server::{S3Server, SECRET_KEY};

fn bucket(server: &S3Server, address: &str, secret: &str) -> MediaStorage {
    MediaStorage::s3(address, &server.settings(secret)).unwrap()
}

#[tokio::test]
async fn files_round_trip_through_a_real_bucket() {
    let Some(server) = S3Server::start() else {
        return;
    };
    let storage = bucket(&server, "s3://rotative-media/site-a", SECRET_KEY);
    storage.check().await.unwrap();
    storage.check_writable().await.unwrap();
    let bytes = b"not really a JPEG, but bytes all the same".to_vec();
    let key = StorageKey::for_content(&bytes, ImageKind::Jpeg);
    assert!(!storage.exists(&key).await.unwrap());
    assert_eq!(storage.get(&key).await.unwrap(), None);
    storage.put(&key, bytes.clone()).await.unwrap();
    storage.put(&key, bytes.clone()).await.unwrap();
    assert!(storage.exists(&key).await.unwrap());
    assert_eq!(storage.get(&key).await.unwrap().unwrap(), bytes);
    let ReadOutcome::Found(read) = storage
        .read(
            &key,
            Some(ByteRange::Bounded {
                start: 4,
                end_inclusive: 9,
            }),
        )
        .await
        .unwrap()
    else {
        panic!("stored file not found");
    };
    assert_eq!((read.total_size, read.range), (bytes.len() as u64, 4..10));
    assert!(matches!(
        storage
            .read(&key, Some(ByteRange::From(10_000)))
            .await
            .unwrap(),
        ReadOutcome::RangeNotSatisfiable(_)
    ));
    let other_site = bucket(&server, "s3://rotative-media/site-b", SECRET_KEY);
    assert!(
        !other_site.exists(&key).await.unwrap(),
        "a prefix keeps sites apart in one bucket"
    );
    let server_dir = server.bucket_folder().join("site-a");
    assert!(
        server_dir.join(key.as_ref()).exists(),
        "the file is in the bucket, under its prefix"
    );
}

#[tokio::test]
async fn wrong_credentials_are_an_error_not_an_empty_bucket() {
    let Some(server) = S3Server::start() else {
        return;
    };
    let storage = bucket(&server, "s3://rotative-media/site-a", "not-the-secret");
    assert!(storage.check().await.is_err());
    let key = StorageKey::for_content(b"x", ImageKind::Png);
    assert!(storage.get(&key).await.is_err(), "refused, not missing");
    assert!(MediaStorage::s3("s3:///nothing", &[]).is_err());
}
