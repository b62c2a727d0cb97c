//! The WordPress REST API of a site imported from WordPress, read by the real `wpapi` client
//! from npm (`tests/wordpress/wpapi-client.mjs`): the old ids answer, pages and posts apart,
//! drafts and private posts hidden, WordPress's paging, filters and `_embed`.

use std::{path::Path, process::Command};

use serde_json::Value;

use crate::helpers::{Server, agent, rotative, tool};

#[test]
fn the_wpapi_client_reads_an_imported_site_by_its_wordpress_ids() {
    let Some(modules) = tool("ROTATIVE_WPAPI_MODULES") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let export =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/wxr/small-export.xml");
    let imported = rotative()
        .args(["import", "wordpress"])
        .arg(&export)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let server = Server::start(&data, &["--no-demo"]);
    let client =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/wordpress/wpapi-client.mjs");
    let output = Command::new("node")
        .arg(client)
        .arg(format!("{}/wp-json", server.base))
        .arg(&modules)
        .output()
        .expect("node runs the wpapi client");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();

    // The export's published posts are 1, 15, 17, 19 and 22; its published pages 2, 4, 6, 11.
    assert_eq!(report["total"], 5, "{report}");
    assert_eq!(report["totalPages"], 3);
    let mut seen: Vec<i64> = report["first"]
        .as_array()
        .unwrap()
        .iter()
        .chain(report["second"].as_array().unwrap())
        .map(|id| id.as_i64().unwrap())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 4, "two pages of two, none twice: {report}");
    assert_eq!(report["pages"], serde_json::json!([2, 4, 6, 11]));
    assert_eq!(report["hello"]["title"], "Hello world!");
    let link = report["hello"]["link"].as_str().unwrap();
    assert!(link.starts_with(&server.base), "{link}");
    assert_eq!(agent().get(link).call().unwrap().status().as_u16(), 200);
    assert!(!report["hello"]["content"].as_str().unwrap().is_empty());
    assert_eq!(report["bySlug"], serde_json::json!([1]));
    assert_eq!(report["after"], serde_json::json!([]));
    assert_eq!(report["pastTheEnd"], 400);
    let filtered = &report["filteredPaging"];
    if filtered["total"].as_u64().unwrap() == 1 {
        assert!(
            filtered["next"].is_null(),
            "the next page keeps the filter: {report}"
        );
    }
    let categories = report["categories"].as_array().unwrap();
    assert!(
        categories.iter().all(|term| term["slug"] != "pages"),
        "pages have no category: {report}"
    );
    let uncategorized = categories
        .iter()
        .find(|term| term["slug"] == "uncategorized")
        .unwrap();
    assert_eq!(
        uncategorized["count"], 2,
        "« Hello world! » and the aside, not the private post: {report}"
    );
    assert_eq!(
        report["helloCategories"],
        serde_json::json!(["uncategorized"])
    );
    assert!(!report["inFirstCategory"].as_array().unwrap().is_empty());
    assert!(
        report["search"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| *id == 17),
        "« Top-level Foo » is found: {report}"
    );
    assert!(!report["embedded"]["authors"].as_array().unwrap().is_empty());
    assert_eq!(report["embedded"]["terms"][0][0], "category", "{report}");
    for hidden in ["privatePost", "draftPage", "pageAsPost"] {
        assert_eq!(report[hidden], 404, "{hidden}: {report}");
    }
    assert!(server.terminate().success());
}
