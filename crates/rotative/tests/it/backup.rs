//! `rotative backup` on a running site and `rotative restore` on an empty folder: the restored
//! site answers every page as the original does; damaged files and occupied folders are refused.

use std::{
    path::Path,
    process::Output,
    time::{Duration, Instant},
};

use crate::helpers::{Server, between, rotative};

const BASE_URL: &str = "https://journal.example";

fn run(command: &str, file: &Path, data: &Path) -> Output {
    rotative()
        .arg(command)
        .arg(file)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap()
}

/// Every address a reader can reach: the sitemaps' pages, feeds, a search.
fn every_page(server: &Server) -> Vec<String> {
    let mut pages = vec![
        "/".to_owned(),
        "/feed.rss".to_owned(),
        "/feed.atom".to_owned(),
        "/feed.json".to_owned(),
        "/corrections/".to_owned(),
        "/recherche?q=bibliotheque".to_owned(),
    ];
    let index = server.get("/sitemap.xml").body;
    for sitemap in index.split("<loc>").skip(1) {
        let sitemap = sitemap.split("</loc>").next().unwrap();
        let body = server.get(sitemap.trim_start_matches(BASE_URL)).body;
        for page in body.split("<loc>").skip(1) {
            let page = page.split("</loc>").next().unwrap();
            pages.push(page.trim_start_matches(BASE_URL).replace("&amp;", "&"));
        }
    }
    pages
}

#[test]
fn a_running_site_comes_back_page_for_page() {
    let dir = tempfile::tempdir().unwrap();
    let (data, file) = (dir.path().join("site"), dir.path().join("site.tar"));
    let original = Server::start(&data, &["--base-url", BASE_URL]);
    // The demo's resized copies are made in the background: once they are, pages stop changing.
    let started = Instant::now();
    while !original
        .log_lines()
        .iter()
        .any(|line| line.contains("resized copies made"))
    {
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "no resized copies"
        );
    }
    let backed_up = run("backup", &file, &data);
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    let pages = every_page(&original);
    assert!(pages.len() > 30, "{pages:?}");
    assert_eq!(
        original.get("/").status,
        200,
        "the site served on during the backup"
    );

    let restored = dir.path().join("restored");
    let brought_back = run("restore", &file, &restored);
    assert!(
        brought_back.status.success(),
        "{}",
        String::from_utf8_lossy(&brought_back.stderr)
    );
    let copy = Server::start(&restored, &["--base-url", BASE_URL]);
    for page in &pages {
        let (before, after) = (original.get(page), copy.get(page));
        assert_eq!(after.status, before.status, "{page}");
        assert!(
            after.body == before.body,
            "{page} differs after the restore"
        );
    }
    let home = copy.get("/").body;
    let image = between(&home, "src=\"", "\"").unwrap();
    assert_eq!(copy.get(image).status, 200, "{image}");
    assert!(
        copy.get("/recherche?q=bibliotheque")
            .body
            .contains("class=\"search-results\""),
        "the restored site's search finds stories at once"
    );
}

#[test]
fn restore_leaves_existing_sites_and_damaged_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (data, file) = (dir.path().join("site"), dir.path().join("site.tar"));
    drop(Server::start(&data, &[]));
    assert!(run("backup", &file, &data).status.success());
    let database = std::fs::read(data.join("rotative.db")).unwrap();

    let onto_a_site = run("restore", &file, &data);
    assert!(!onto_a_site.status.success());
    assert!(String::from_utf8_lossy(&onto_a_site.stderr).contains("empty data folder"));
    assert_eq!(std::fs::read(data.join("rotative.db")).unwrap(), database);

    let whole = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.tar");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    let damaged = run("restore", &cut, &elsewhere);
    assert!(!damaged.status.success());
    assert!(
        String::from_utf8_lossy(&damaged.stderr).contains("damaged or cut short"),
        "{}",
        String::from_utf8_lossy(&damaged.stderr)
    );
    assert!(!elsewhere.join("rotative.db").exists());

    // An archive naming a path outside the folder is not a backup of ours.
    std::fs::write(dir.path().join("outside.txt"), "x").unwrap();
    let climbing = dir.path().join("nested").join("climbing.tar");
    std::fs::create_dir_all(climbing.parent().unwrap()).unwrap();
    let made = std::process::Command::new("tar")
        .current_dir(climbing.parent().unwrap())
        .args(["-cPf", "climbing.tar", "../outside.txt"])
        .status()
        .unwrap();
    assert!(made.success());
    let refused = run("restore", &climbing, &elsewhere);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unexpected entry"));
    assert!(!elsewhere.join("rotative.db").exists());
}
