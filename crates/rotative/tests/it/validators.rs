//! Every public page type, checked by the real third-party validators: the Nu HTML checker for
//! valid HTML and axe-core (WCAG 2.2 A and AA) in Chromium. `scripts/test` installs both and
//! says where they are through `ROTATIVE_VNU_JAR` and `ROTATIVE_AXE_SCRIPT`.

use std::{path::PathBuf, process::Command};

use crate::helpers::{Server, between};

/// The validator's location, or `None` (with a note) outside CI when it is not installed.
fn validator(variable: &str) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => {
            panic!("{variable} is not set: run scripts/test")
        }
        None => {
            eprintln!(
                "skipped: {variable} is not set (scripts/test installs the validator and sets it)"
            );
            None
        }
    }
}

/// A demo site with small listing pages, so pagination is on the pages checked.
fn demo_site(dir: &std::path::Path) -> (Server, Vec<String>) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("rotative.toml"), "[site]\npage_size = 3\n").unwrap();
    let server = Server::start(dir, &[]);
    let home = server.get("/").body;
    let article = between(&home, "class=\"card-title\"><a href=\"", "\"")
        .unwrap()
        .to_owned();
    let article_html = server.get(&article).body;
    let tag = between(
        &article_html,
        "<ul class=\"tags\">\n      <li><a href=\"",
        "\"",
    )
    .unwrap()
    .to_owned();
    let author = between(&article_html, "Par <a href=\"", "\"")
        .unwrap()
        .to_owned();
    let section = between(&article_html, "<a href=\"/\">Accueil</a></li>\n    <li><span class=\"separator\" aria-hidden=\"true\">›</span> <a href=\"", "\"").unwrap().to_owned();
    let paths = vec![
        "/".to_owned(),
        article,
        section.clone(),
        format!("{section}?page=2"),
        tag,
        author,
        "/page-qui-n-existe-pas/".to_owned(),
    ];
    (server, paths)
}

#[test]
fn every_page_type_is_valid_html() {
    let Some(vnu) = validator("ROTATIVE_VNU_JAR") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (server, paths) = demo_site(&dir.path().join("site"));
    let mut files = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        let page = server.get(path);
        let expected = if path.contains("n-existe-pas") {
            404
        } else {
            200
        };
        assert_eq!(page.status, expected, "{path}");
        let file = dir.path().join(format!("page-{n}.html"));
        std::fs::write(&file, page.body).unwrap();
        files.push(file);
    }
    let output = Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--format", "json", "--errors-only"])
        .args(&files)
        .output()
        .expect("java runs the Nu HTML checker");
    assert!(
        output.status.success(),
        "the Nu HTML checker found errors in {paths:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_page_type_passes_axe() {
    let Some(script) = validator("ROTATIVE_AXE_SCRIPT") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (server, paths) = demo_site(&dir.path().join("site"));
    let urls: Vec<String> = paths
        .iter()
        .map(|path| format!("{}{path}", server.base))
        .collect();
    let output = Command::new("node")
        .arg(&script)
        .args(&urls)
        .output()
        .expect("node runs axe-core");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "axe-core found WCAG 2.2 AA violations (or could not run):\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        report.lines().count(),
        urls.len(),
        "every page was checked: {report}"
    );
}
