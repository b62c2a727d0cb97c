//! `rotative import story` fed broken files: exit 1, one line naming the file, the field and the
//! problem, and nothing stored.

use rotative_media::illustration;
use rotative_store::{Listing, Store};

use crate::helpers::import_story;

const GOOD: &str = r#"+++
headline = "Le marché couvert rouvre"
section = "France"
tags = ["Commerce"]
authors = ["Marc Lefèvre"]
published_at = "2026-11-24T08:00:00+01:00"
+++
Les étals sont de retour.

![Les étals du marché](media:marche.jpg "Le marché — Illustration Rotative")
"#;

#[test]
fn broken_story_files_are_refused_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let cases: [(&str, String, &str); 6] = [
        (
            "no-headline.md",
            GOOD.replace("headline = \"Le marché couvert rouvre\"\n", ""),
            "field `headline`: is missing",
        ),
        (
            "bad-date.md",
            GOOD.replace("2026-11-24T08:00:00+01:00", "24/11/2026"),
            "field `published_at`: `24/11/2026` is not a date",
        ),
        (
            "unknown-field.md",
            GOOD.replace("tags =", "mood = \"gai\"\ntags ="),
            "unknown field `mood`",
        ),
        (
            "broken-toml.md",
            GOOD.replace("section = \"France\"", "section = \"France"),
            "front matter, line 3",
        ),
        (
            "missing-image.md",
            GOOD.to_owned(),
            "image `marche.jpg`: file not found",
        ),
        (
            "no-front-matter.md",
            "Juste du texte.".to_owned(),
            "not a story file",
        ),
    ];
    for (name, text, expected) in &cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let output = import_story(&data, &file);
        let stderr = String::from_utf8(output.stderr).unwrap();
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert_eq!(errors.len(), 1, "{name}: one error line: {stderr}");
        assert!(
            errors[0].contains(&file.display().to_string()),
            "{name} names the file: {stderr}"
        );
        assert!(
            errors[0].contains(expected),
            "{name}: expected `{expected}` in {stderr}"
        );
        assert!(output.stdout.is_empty(), "{name} prints no URL");
    }

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::open_sqlite(&data.join("rotative.db")).await.unwrap();
        assert!(store.is_empty().await.unwrap(), "no story stored");
        assert!(
            store.sections().await.unwrap().is_empty(),
            "no section created"
        );
        assert_eq!(store.count_published(Listing::Everything).await.unwrap(), 0);
    });

    // The same file with its image next to it imports.
    let file = dir.path().join("missing-image.md");
    std::fs::write(
        dir.path().join("marche.jpg"),
        illustration::draw("marche", 320, 180).unwrap(),
    )
    .unwrap();
    let output = import_story(&data, &file);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        "http://127.0.0.1:8080/france/2026/11/24/le-marche-couvert-rouvre"
    );
}

#[test]
fn bad_usage_exits_2() {
    let output = crate::helpers::rotative()
        .args(["import", "story"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = crate::helpers::rotative()
        .args(["serve", "--listen", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
