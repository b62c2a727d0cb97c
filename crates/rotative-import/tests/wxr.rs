//! The WordPress export reader on real exports (`../shared/fixtures/wxr/`, read where they are)
//! and on hostile files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

use std::path::PathBuf;

use rotative_import::wxr::{Entry, Taxonomy, WxrError, WxrProblem, WxrReader, locate};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wxr")
        .join(name)
}

/// Every entry of an export, or the first error.
fn read_all(bytes: &[u8]) -> Result<Vec<Entry>, WxrError> {
    let mut reader = WxrReader::new(bytes);
    let mut entries = Vec::new();
    while let Some(entry) = reader.next_entry()? {
        entries.push(entry);
    }
    Ok(entries)
}

fn items(entries: &[Entry]) -> Vec<&rotative_import::wxr::WpItem> {
    entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Item(item) => Some(item.as_ref()),
            _ => None,
        })
        .collect()
}

const WELL_FORMED: [&str; 28] = [
    "64-block-test-data.xml",
    "a11y-unit-test-data.xml",
    "authors-multiline.xml",
    "backslashes.xml",
    "blank-lines.xml",
    "cdata-edge.xml",
    "chunked-meta.xml",
    "crazy-cdata-escaped.xml",
    "e2e-wxr-base-url-rewriting.xml",
    "e2e-wxr-comprehensive.xml",
    "e2e-wxr-css-urls.xml",
    "e2e-wxr-simple.xml",
    "large-authors.xml",
    "missing-tags.xml",
    "multiple-cdata.xml",
    "namespace-edge-cases.xml",
    "post-content-blank-lines.xml",
    "slashes.xml",
    "small-export.xml",
    "term-formats.xml",
    "term-meta.xml",
    "test-serialized-comment-meta.xml",
    "test-serialized-postmeta-no-cdata.xml",
    "test-serialized-postmeta-with-cdata.xml",
    "test-serialized-term-meta.xml",
    "test-utw-post-meta-import.xml",
    "theme-preview.xml",
    "valid-wxr-1.1.xml",
];

#[test]
fn every_real_export_reads_to_its_end() {
    for name in WELL_FORMED
        .iter()
        .chain(&["valid-wxr-1.0.xml", "wxr-simple.xml"])
    {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let entries = read_all(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!entries.is_empty(), "{name} has entries");
    }
}

#[test]
fn items_authors_and_terms_carry_what_wordpress_wrote() {
    let bytes = std::fs::read(fixture("a11y-unit-test-data.xml")).unwrap();
    let entries = read_all(&bytes).unwrap();
    let items = items(&entries);
    assert_eq!(items.len(), 154);
    assert!(items.iter().all(|item| item.id > 0));
    // One item of this export has no type at all; the importer treats it as a post, as
    // WordPress does.
    let untyped: Vec<_> = items
        .iter()
        .filter(|item| item.post_type.is_empty())
        .map(|item| item.title.as_str())
        .collect();
    assert_eq!(untyped, ["Page with comments"]);
    let posts = items.iter().filter(|item| item.post_type == "post").count();
    let pages = items.iter().filter(|item| item.post_type == "page").count();
    let attachments = items
        .iter()
        .filter(|item| item.post_type == "attachment")
        .count();
    assert!(
        posts > 0 && pages > 0 && attachments > 0,
        "{posts} {pages} {attachments}"
    );
    assert!(
        items
            .iter()
            .any(|item| item.terms.iter().any(|t| t.taxonomy == Taxonomy::Tag))
    );
    assert!(
        items
            .iter()
            .any(|item| item.meta("_thumbnail_id").is_some())
    );
    let small = read_all(&std::fs::read(fixture("small-export.xml")).unwrap()).unwrap();
    assert!(small.iter().any(
        |e| matches!(e, Entry::Author(a) if !a.login.is_empty() && !a.display_name.is_empty())
    ));
    assert!(entries.iter().any(
        |e| matches!(e, Entry::Term(t) if t.taxonomy == Taxonomy::Category && !t.slug.is_empty())
    ));

    let preview = std::fs::read(fixture("theme-preview.xml")).unwrap();
    let mut reader = WxrReader::new(preview.as_slice());
    let Some(Entry::Item(first)) = reader.next_entry().unwrap() else {
        panic!("an item first");
    };
    assert_eq!(reader.channel().title, "Theme Preview");
    assert_eq!(reader.channel().version, "1.2");
    assert_eq!(first.title, "Worth A Thousand Words");
    assert_eq!(first.link, "https://wp-themes.com/?p=19");
    assert_eq!(
        (first.status.as_str(), first.post_type.as_str()),
        ("publish", "post")
    );
    assert!(
        first
            .content
            .contains("<figcaption class=\"wp-caption-text\">Boat</figcaption>")
    );
    assert_eq!(first.creator, "Theme Admin");
}

#[test]
fn elements_are_matched_by_namespace_not_prefix() {
    let bytes = std::fs::read(fixture("namespace-edge-cases.xml")).unwrap();
    let entries = read_all(&bytes).unwrap();
    let logins: Vec<&str> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Author(a) => Some(a.login.as_str()),
            _ => None,
        })
        .collect();
    assert!(logins.contains(&"real_user"), "{logins:?}");
    assert!(
        entries
            .iter()
            .all(|e| !matches!(e, Entry::Author(a) if a.login == "fake_ns_user")),
        "an author in another namespace is not a WordPress author"
    );
}

fn problem(bytes: &[u8]) -> WxrProblem {
    read_all(bytes).expect_err("refused").problem
}

#[test]
fn broken_and_foreign_files_are_refused_with_a_position() {
    for name in ["malformed.xml", "malformed-simple.xml", "crazy-cdata.xml"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let error = read_all(&bytes).expect_err(name);
        let (line, column) = locate(bytes.as_slice(), error.offset).unwrap();
        assert!(
            line > 1 && column >= 1,
            "{name}: {error} at {line}:{column}"
        );
    }
    for name in ["invalid-version-tag.xml", "missing-version-tag.xml"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        assert!(matches!(problem(&bytes), WxrProblem::NotWxr(_)), "{name}");
    }
    assert!(matches!(
        problem(b"<html><body>Bonjour</body></html>"),
        WxrProblem::NotWxr(_)
    ));
    assert!(matches!(problem(b""), WxrProblem::NotWxr(_)));
    let cut = std::fs::read(fixture("theme-preview.xml")).unwrap();
    assert!(matches!(
        problem(&cut[..cut.len() / 2]),
        WxrProblem::Truncated | WxrProblem::Syntax(_)
    ));
}

const HEADER: &str = "<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><wp:wxr_version>1.2</wp:wxr_version>";

#[test]
fn entities_and_document_types_are_never_expanded() {
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>{HEADER}<item><title>&c;</title></item></channel></rss>"
    );
    assert_eq!(problem(laughs.as_bytes()), WxrProblem::DocumentType);
    let external = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>{HEADER}<item><title>&secret;</title></item></channel></rss>"
    );
    assert_eq!(problem(external.as_bytes()), WxrProblem::DocumentType);
    let undefined = format!("{HEADER}<item><title>&secret;</title></item></channel></rss>");
    assert_eq!(
        problem(undefined.as_bytes()),
        WxrProblem::UnknownEntity("secret".into())
    );
    let fine = format!(
        "{HEADER}<item><title>Caf&#233; &amp; th&#xE9; &lt;3</title></item></channel></rss>"
    );
    let entries = read_all(fine.as_bytes()).unwrap();
    assert_eq!(items(&entries)[0].title, "Café & thé <3");
}

#[test]
fn files_in_other_encodings_are_refused() {
    let latin1 = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{HEADER}</channel></rss>");
    assert!(matches!(problem(latin1.as_bytes()), WxrProblem::NotUtf8(_)));
    let mut invalid = format!("{HEADER}<item><title>").into_bytes();
    invalid.extend_from_slice(&[0x43, 0x61, 0x66, 0xE9, 0x20]);
    invalid.extend_from_slice(b"</title></item></channel></rss>");
    assert!(matches!(problem(&invalid), WxrProblem::NotUtf8(_)));
}

#[test]
fn positions_are_lines_and_columns() {
    let text = "ligne un\nligne deux\nété";
    assert_eq!(locate(text.as_bytes(), 0).unwrap(), (1, 1));
    assert_eq!(locate(text.as_bytes(), 12).unwrap(), (2, 4));
    assert_eq!(
        locate(text.as_bytes(), 23).unwrap(),
        (3, 3),
        "é is one column"
    );
}
