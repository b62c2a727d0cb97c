//! `import_file` against a real SQLite file and a real media folder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

use std::path::Path;

use jiff::tz::TimeZone;
use rotative_import::Importer;
use rotative_media::{MediaStorage, StorageKey, illustration};
use rotative_render::Theme;
use rotative_store::{Listing, Store};

const STORY: &str = r#"+++
headline = "Le pont de Tulle rouvre"
section = "Régions"
tags = ["Corrèze"]
authors = ["Inès Morel"]
published_at = "2026-11-20T09:30:00+01:00"
+++
Les voitures repassent sur le pont.

![Le pont au matin](media:pont.jpg "Le pont, rouvert — Illustration Rotative")
"#;

async fn site(dir: &Path) -> (Store, MediaStorage) {
    let store = Store::open_sqlite(&dir.join("rotative.db")).await.unwrap();
    let storage = MediaStorage::local(dir.join("media")).await.unwrap();
    (store, storage)
}

#[tokio::test]
async fn imports_a_story_with_its_image() {
    let dir = tempfile::tempdir().unwrap();
    let (store, storage) = site(dir.path()).await;
    let stories = dir.path().join("stories");
    std::fs::create_dir_all(&stories).unwrap();
    std::fs::write(stories.join("pont.md"), STORY).unwrap();
    std::fs::write(
        stories.join("pont.jpg"),
        illustration::draw("pont", 640, 360).unwrap(),
    )
    .unwrap();
    let theme = Theme::embedded();
    let tz = TimeZone::get("Europe/Paris").unwrap();
    let importer = Importer {
        store: &store,
        storage: &storage,
        theme: &theme,
        time_zone: &tz,
    };
    let first = importer
        .import_file(&stories.join("pont.md"))
        .await
        .unwrap();
    let path = first.path.unwrap();
    assert_eq!(path.as_ref(), "/regions/2026/11/20/le-pont-de-tulle-rouvre");
    let article = store.published_article(&path).await.unwrap().unwrap();
    assert!(
        article.body_html.contains("<figure"),
        "{}",
        article.body_html
    );
    let lead = article.lead_image.unwrap();
    assert_eq!((lead.width, lead.height), (640, 360));
    assert!(
        storage
            .exists(&StorageKey::parse(&lead.key).unwrap())
            .await
            .unwrap(),
        "image stored"
    );

    let again = importer
        .import_file(&stories.join("pont.md"))
        .await
        .unwrap();
    assert_eq!(
        again.path.unwrap().as_ref(),
        "/regions/2026/11/20/le-pont-de-tulle-rouvre-2",
        "slugs stay unique"
    );
}

#[tokio::test]
async fn a_bad_image_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, storage) = site(dir.path()).await;
    let theme = Theme::embedded();
    let tz = TimeZone::get("Europe/Paris").unwrap();
    let importer = Importer {
        store: &store,
        storage: &storage,
        theme: &theme,
        time_zone: &tz,
    };
    let story_path = dir.path().join("pont.md");
    std::fs::write(&story_path, STORY).unwrap();

    let missing = importer
        .import_file(&story_path)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        missing.starts_with("image `pont.jpg`: file not found"),
        "{missing}"
    );

    std::fs::write(dir.path().join("pont.jpg"), b"<svg onload=alert(1)>").unwrap();
    let not_image = importer
        .import_file(&story_path)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        not_image.contains("not a JPEG, PNG, WebP or GIF"),
        "{not_image}"
    );

    let jpeg = illustration::draw("pont", 64, 36).unwrap();
    std::fs::write(dir.path().join("pont.jpg"), &jpeg[..40]).unwrap();
    let truncated = importer
        .import_file(&story_path)
        .await
        .unwrap_err()
        .to_string();
    assert!(truncated.contains("damaged or truncated"), "{truncated}");

    assert!(store.is_empty().await.unwrap(), "no story stored");
    assert!(
        store.sections().await.unwrap().is_empty(),
        "no section created"
    );
    assert_eq!(store.count_published(Listing::Everything).await.unwrap(), 0);
    assert_eq!(
        std::fs::read_dir(dir.path().join("media")).unwrap().count(),
        0,
        "no file stored"
    );
}
