//! `rotative import wordpress` on real exports (`../shared/fixtures/wxr/`): every old address
//! found in the export answers 301 to a page that answers 200; a second run changes nothing;
//! a broken export writes nothing and says where it is broken.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

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
/// address, and the archives of the categories and tags they are filed under. Each says
/// whether the site may answer there itself: a page's link at the root of the site (`/about/`)
/// is the page's own address still.
fn old_addresses(file: &Path) -> Vec<(String, bool)> {
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
        let path = link
            .find('/')
            .map_or("/".into(), |at| link[at..].to_owned());
        let at_the_root = path.len() > 1 && path.ends_with('/') && path.matches('/').count() == 2;
        addresses.push((path, item.post_type == "page" && at_the_root));
        if item.id > 0 {
            addresses.push((format!("/?p={}", item.id), false));
        }
        for term in &item.terms {
            match term.taxonomy {
                Taxonomy::Category => addresses.push((format!("/category/{}/", term.slug), false)),
                Taxonomy::Tag => addresses.push((format!("/tag/{}/feed/", term.slug), false)),
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
        for (old, may_stay) in &addresses {
            let moved = server.get(old);
            if *may_stay && moved.status == 200 {
                continue;
            }
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

/// Every category and tag the export declares, used by a published post or not: none answers
/// 404. Archives nothing published used lead to their family's section when it has stories, or
/// are gone (410), so search engines drop them.
#[test]
fn every_declared_archive_leads_somewhere_or_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let file = fixture("a11y-unit-test-data.xml");
    import(&data, &file);
    let bytes = std::fs::read(&file).unwrap();
    let mut reader = WxrReader::new(bytes.as_slice());
    let mut archives = Vec::new();
    while let Some(entry) = reader.next_entry().unwrap() {
        if let Entry::Term(term) = entry {
            match term.taxonomy {
                Taxonomy::Category => archives.push(format!("/category/{}/", term.slug)),
                Taxonomy::Tag => archives.push(format!("/tag/{}/", term.slug)),
                Taxonomy::Other => {}
            }
        }
    }
    let server = Server::start(&data, &["--no-demo"]);
    let (mut moved, mut gone) = (0, 0);
    for old in &archives {
        let answer = server.get(old);
        match answer.status {
            301 => {
                let target = answer.location.unwrap();
                assert_eq!(server.get(&target).status, 200, "{old} → {target}");
                moved += 1;
            }
            410 => gone += 1,
            other => panic!("{old}: {other}"),
        }
    }
    assert!(moved > 0 && gone > 0, "{moved} moved, {gone} gone");
    assert!(server.terminate().success());
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
        let checked = check(&data);
        assert!(
            String::from_utf8_lossy(&checked.stdout).contains(" 0 stories"),
            "{name}: nothing imported"
        );
    }
}

/// An export written for this test: a post showing a captioned image, with a featured image.
const EXPORT_WITH_IMAGES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Ancien site</title><link>https://ancien.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Une du pont</title><link>https://ancien.example/?attachment_id=7</link><wp:post_id>7</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://ancien.example/wp-content/uploads/2024/03/une.jpg</wp:attachment_url></item>
<item><title>Le pont rouvre</title><link>https://ancien.example/2024/03/12/le-pont-rouvre/</link>
<dc:creator>claire</dc:creator><wp:post_id>12</wp:post_id><wp:post_date_gmt>2024-03-12 08:00:00</wp:post_date_gmt>
<wp:post_name>le-pont-rouvre</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="france"><![CDATA[France]]></category>
<content:encoded><![CDATA[Les voitures repassent.

[caption id="attachment_9" width="300"]<img src="https://ancien.example/wp-content/uploads/2024/03/pont-300x200.jpg" alt="Le pont &amp; la rivière" /> Le pont, rouvert[/caption]

<img src="https://ancien.example/wp-content/uploads/2024/03/absente.jpg" alt="" />]]></content:encoded>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>7</wp:meta_value></wp:postmeta>
</item>
<item><title>Le pont, dans un siècle</title><link>https://ancien.example/2099/01/01/futur/</link>
<wp:post_id>13</wp:post_id><wp:post_date_gmt>2099-01-01 08:00:00</wp:post_date_gmt>
<wp:post_name>futur</wp:post_name><wp:status>future</wp:status><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[Plus tard.]]></content:encoded></item>
</channel></rss>"#;

/// Imports [`EXPORT_WITH_IMAGES`] into the site at `data`, with its uploads folder made in `dir`.
pub fn import_export_with_images(dir: &Path, data: &Path) -> std::process::Output {
    let uploads = dir.join("uploads/2024/03");
    std::fs::create_dir_all(&uploads).unwrap();
    for (name, seed) in [("pont.jpg", "pont"), ("une.jpg", "une")] {
        let jpeg = rotative_media::illustration::draw(seed, 1200, 800).unwrap();
        std::fs::write(uploads.join(name), jpeg).unwrap();
    }
    let export = dir.join("export.xml");
    std::fs::write(&export, EXPORT_WITH_IMAGES).unwrap();
    rotative()
        .args(["import", "wordpress"])
        .arg(&export)
        .arg("--uploads")
        .arg(dir.join("uploads"))
        .arg("--data")
        .arg(data)
        .output()
        .unwrap()
}

#[test]
fn images_come_from_the_uploads_folder_into_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let output = import_export_with_images(dir.path(), &data);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    assert!(report.contains("imported   2"), "{report}");
    assert!(report.contains("1 scheduled post(s)"), "{report}");
    assert!(
        report.contains("1 image(s) left out"),
        "the missing file is listed: {report}"
    );

    let server = Server::start(&data, &["--no-demo"]);
    let moved = server.get("/2024/03/12/le-pont-rouvre/");
    let page = server.get(moved.location.as_deref().unwrap());
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<figcaption>Le pont, rouvert</figcaption>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("alt=\"Le pont &amp; la rivière\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("<source type=\"image/webp\""));
    assert!(
        !page.body.contains("ancien.example/wp-content"),
        "nothing from the old site"
    );
    assert!(
        page.body.contains("<meta property=\"og:image\""),
        "a lead image"
    );
    assert_eq!(
        server.get("/2099/01/01/futur/").status,
        404,
        "a scheduled story is not public before its time"
    );
    let attachment_page = server.get("/?attachment_id=7");
    assert_eq!(
        attachment_page.status, 301,
        "an attachment page leads to its image"
    );
    assert!(
        attachment_page
            .location
            .as_deref()
            .unwrap()
            .starts_with("/media/")
    );
    let file = server.get("/wp-content/uploads/2024/03/pont-300x200.jpg");
    assert_eq!(file.status, 301);
    assert!(file.location.as_deref().unwrap().starts_with("/media/"));
    assert!(server.terminate().success());
}

/// A post of a generated export: id, title, status, whether it is sticky.
struct Post<'a> {
    id: u32,
    title: &'a str,
    status: &'a str,
    sticky: bool,
}

/// An export written for these tests, with two authors (one without an address) and `posts`.
fn export(posts: &[Post]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Ancien site</title><link>https://ancien.example</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[claire]]></wp:author_login><wp:author_email><![CDATA[claire@ancien.example]]></wp:author_email><wp:author_display_name><![CDATA[Claire Dumas]]></wp:author_display_name></wp:author>
<wp:author><wp:author_login><![CDATA[anonyme]]></wp:author_login><wp:author_email></wp:author_email><wp:author_display_name><![CDATA[Plume Anonyme]]></wp:author_display_name></wp:author>
"#,
    );
    for post in posts {
        let day = post.id % 28 + 1;
        write!(
            xml,
            r#"<item><title>{title}</title><link>https://ancien.example/?p={id}</link>
<dc:creator>claire</dc:creator><wp:post_id>{id}</wp:post_id>
<wp:post_date_gmt>2024-02-{day:02} 08:{minute:02}:00</wp:post_date_gmt>
<wp:post_modified_gmt>2024-03-{day:02} 09:00:00</wp:post_modified_gmt>
<wp:post_name>article-{id}</wp:post_name><wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>
<wp:is_sticky>{sticky}</wp:is_sticky>
<category domain="category" nicename="ville"><![CDATA[Ville]]></category>
<content:encoded><![CDATA[Premier paragraphe de l'article {id}.

Second paragraphe, plus long, pour que le texte ressemble à un vrai article.]]></content:encoded></item>
"#,
            title = post.title,
            id = post.id,
            status = post.status,
            minute = post.id % 60,
            sticky = u8::from(post.sticky),
        )
        .unwrap();
    }
    xml.push_str("</channel></rss>\n");
    xml
}

/// `rotative check` on the site: what it says of the database, whether it is sound.
fn check(data: &Path) -> std::process::Output {
    rotative()
        .args(["check", "--data"])
        .arg(data)
        .output()
        .unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_rerun_brings_changes_in_and_sticky_posts_lead_the_home_page() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let file = dir.path().join("export.xml");
    let posts = |second_title: &'static str, third_status: &'static str| {
        vec![
            Post {
                id: 1,
                title: "La gare rénovée",
                status: "publish",
                sticky: true,
            },
            Post {
                id: 2,
                title: second_title,
                status: "publish",
                sticky: false,
            },
            Post {
                id: 3,
                title: "Le marché de nuit",
                status: third_status,
                sticky: false,
            },
        ]
    };
    std::fs::write(&file, export(&posts("Le tram arrive", "draft"))).unwrap();
    let first = import(&data, &file);
    let report = stdout(&first);
    assert!(first.status.success(), "{report}");
    assert!(report.contains("imported   3"), "{report}");
    assert!(
        report.contains("accounts   1"),
        "one author has an address: {report}"
    );
    assert!(report.contains("bylines only"), "{report}");
    assert!(
        report.contains("1 sticky post(s) put on the front page"),
        "{report}"
    );

    let again = stdout(&import(&data, &file));
    assert!(again.contains("nothing changed"), "{again}");

    // At the source since: a title edited, a draft published.
    std::fs::write(&file, export(&posts("Le tram arrive enfin", "publish"))).unwrap();
    let rerun = import(&data, &file);
    let report = stdout(&rerun);
    assert!(rerun.status.success(), "{report}");
    assert!(
        report.contains("imported   0") && report.contains("updated    2"),
        "{report}"
    );

    let server = Server::start(&data, &["--no-demo"]);
    let tram = server.get("/?p=2");
    assert_eq!(tram.status, 301, "the updated story keeps its address");
    let page = server.get(tram.location.as_deref().unwrap());
    assert!(page.body.contains("Le tram arrive enfin"), "{}", page.body);
    let market = server.get("/?p=3");
    assert_eq!(
        market.status, 301,
        "published at the source, published here"
    );
    assert_eq!(server.get(market.location.as_deref().unwrap()).status, 200);
    // The sticky post is the oldest, yet it leads the home page.
    let home = server.get("/").body;
    let sticky = home.find("La gare rénovée").unwrap();
    let newest = home.find("Le marché de nuit").unwrap();
    assert!(sticky < newest, "the sticky post leads");
    assert!(server.terminate().success());
}

/// An import killed in the middle leaves whole stories only (whole batches of 500), and a rerun
/// finishes the job.
#[test]
fn a_killed_import_resumes_where_it_stopped() {
    const POSTS: u32 = 1500;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    let file = dir.path().join("export.xml");
    let titles: Vec<String> = (1..=POSTS)
        .map(|id| format!("Chronique numéro {id}"))
        .collect();
    let posts: Vec<Post> = titles
        .iter()
        .zip(1..)
        .map(|(title, id)| Post {
            id,
            title,
            status: "publish",
            sticky: false,
        })
        .collect();
    std::fs::write(&file, export(&posts)).unwrap();

    let mut child = rotative()
        .args(["import", "wordpress"])
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let progress = std::io::BufReader::new(child.stderr.take().unwrap());
    let reached = std::io::BufRead::lines(progress)
        .map_while(Result::ok)
        .any(|line| line.starts_with("700/"));
    assert!(reached, "the import reports its progress");
    child.kill().unwrap();
    child.wait().unwrap();

    let checked = check(&data);
    let said = stdout(&checked);
    assert!(
        checked.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let stored: u32 = said
        .split(" stories")
        .next()
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        (500..POSTS).contains(&stored) && stored.is_multiple_of(500),
        "stopped in the middle, after a whole batch: {stored} stored"
    );

    let resumed = import(&data, &file);
    let report = stdout(&resumed);
    assert!(resumed.status.success(), "{report}");
    assert!(
        report.contains(&format!("imported   {}", POSTS - stored))
            && report.contains(&format!("unchanged  {stored}")),
        "{stored} were stored before the kill: {report}"
    );
    let checked = check(&data);
    assert!(
        stdout(&checked).contains(&format!("consistent, {POSTS} stories")),
        "{}",
        stdout(&checked)
    );
}
