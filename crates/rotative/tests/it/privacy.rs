//! A crawl of the demo site as a reader's browser would load it: no cookie, and nothing loaded
//! from another origin, on any page reachable from the home page.

use std::collections::{BTreeSet, VecDeque};

use crate::helpers::Server;

/// Every value of `attribute="…"` in the page.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!(" {attribute}=\"");
    html.match_indices(&marker)
        .filter_map(|(at, _)| {
            let start = at + marker.len();
            html[start..].find('"').map(|end| &html[start..start + end])
        })
        .collect()
}

#[test]
fn no_cookie_and_nothing_from_elsewhere_on_any_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("site"), &[]);
    let mut queue: VecDeque<String> =
        VecDeque::from(["/".to_owned(), "/recherche?q=presse".to_owned()]);
    let mut seen = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 200 {
            continue;
        }
        let page = server.get(&path);
        assert!(!page.set_cookie, "{path} sets a cookie");
        assert_eq!(page.status, 200, "{path}");
        for src in attribute_values(&page.body, "src") {
            assert!(
                src.starts_with('/') && !src.starts_with("//"),
                "{path} loads {src} from elsewhere"
            );
        }
        for tag in page.body.split('<').filter(|tag| tag.starts_with("link ")) {
            if let Some(href) = attribute_values(&format!("<{tag}"), "href").first() {
                let own = href.starts_with('/') && !href.starts_with("//")
                    || href.starts_with(&server.base);
                assert!(own, "{path} links {href} in its head");
            }
        }
        assert!(!page.body.contains("<iframe"), "{path} embeds a frame");
        for href in attribute_values(&page.body, "href") {
            let internal = href.starts_with('/')
                && !href.starts_with("//")
                && !href.starts_with("/media/")
                && !href.starts_with("/theme/")
                && !href.starts_with("/redaction")
                && !href.contains("feed.");
            if internal {
                queue.push_back(href.replace("&amp;", "&"));
            }
        }
    }
    assert!(
        seen.len() > 40,
        "the crawl reached every page type ({} pages)",
        seen.len()
    );
    assert!(server.terminate().success());
}
