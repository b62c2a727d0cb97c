//! `rotative import wordpress` on real exports (`../shared/fixtures/wxr/`): every old address
//! found in the export answers 301 to a page that answers 200; a second run changes nothing;
//! a broken export writes nothing and says where it is broken.

use std::path::{Path, PathBuf};

use rotative_import::wxr::{Entry, Taxonomy, WxrReader};

use crate::helpers::{Server, rotative};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wxr")
        .join(name)
}

fn import(data: &Path, file: &Path) -> std::process::Output {
    rotative()
        .args(["import", "wordpress"])
        .arg(file)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap()
}

/// The old addresses an export promises: each published post's and page's link and `?p=`
/// address, and the archives of the categories and tags they are filed under.
fn old_addresses(file: &Path) -> Vec<String> {
    let bytes = std::fs::read(file).unwrap();
    let mut reader = WxrReader::new(bytes.as_slice());
    let mut addresses = Vec::new();
    while let Some(entry) = reader.next_entry().unwrap() {
        let Entry::Item(item) = entry else { continue };
        let story = matches!(item.post_type.as_str(), "post" | "page" | "");
        if !story || item.status != "publish" {
            continue;
        }
        let link = item.link.split_once("://").map(|(_, rest)| rest).unwrap();
        addresses.push(
            link.find('/')
                .map_or("/".into(), |at| link[at..].to_owned()),
        );
        if item.id > 0 {
            addresses.push(format!("/?p={}", item.id));
        }
        for term in &item.terms {
            match term.taxonomy {
                Taxonomy::Category => addresses.push(format!("/category/{}/", term.slug)),
                Taxonomy::Tag => addresses.push(format!("/tag/{}/feed/", term.slug)),
                Taxonomy::Other => {}
            }
        }
    }
    addresses.sort();
    addresses.dedup();
    addresses
}

#[test]
fn every_old_address_leads_to_a_page() {
    for name in [
        "theme-preview.xml",
        "small-export.xml",
        "a11y-unit-test-data.xml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("site");
        let file = fixture(name);
        let first = import(&data, &file);
        let report = String::from_utf8_lossy(&first.stdout);
        assert!(
            first.status.success() || report.contains("failed     1"),
            "{name}: {report}"
        );
        let again = import(&data, &file);
        let second = String::from_utf8_lossy(&again.stdout);
        assert!(
            second.contains("imported   0"),
            "{name}: a second run imports nothing: {second}"
        );

        let server = Server::start(&data, &["--no-demo"]);
        let addresses = old_addresses(&file);
        assert!(addresses.len() > 3, "{name}");
        for old in &addresses {
            let moved = server.get(old);
            assert_eq!(moved.status, 301, "{name}: {old}");
            let target = moved.location.unwrap();
            assert!(target.starts_with('/'), "{name}: {old} → {target}");
            let page = server.get(&target);
            assert_eq!(page.status, 200, "{name}: {old} → {target}");
        }
        assert_eq!(server.get("/feed/").location.as_deref(), Some("/feed.atom"));
        assert_eq!(server.get("/no/such/page/").status, 404);
        assert!(server.terminate().success());
    }
}

#[test]
fn a_broken_export_writes_nothing_and_says_where() {
    for (name, expected) in [
        ("malformed-simple.xml", "malformed-simple.xml:"),
        ("missing-version-tag.xml", "not a WordPress export"),
        ("crazy-cdata.xml", "crazy-cdata.xml:"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("site");
        let output = import(&data, &fixture(name));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        let check = rotative()
            .args(["check", "--data"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&check.stdout).contains(" 0 stories"),
            "{name}: nothing imported"
        );
    }
}
