//! The page that started the project: the seed article (read from `../shared/seed/` at test time,
//! never copied here) imported as a story and checked over HTTP against DESIGN §1.

use std::path::{Path, PathBuf};

use rotative_domain::french_typography;
use rotative_media::illustration;

use crate::helpers::{Server, between, import_story};

/// What the seed page is, once its WordPress chrome is set aside.
struct Seed {
    section: String,
    headline: String,
    captions: Vec<String>,
    /// Each run of consecutive quoted paragraphs: one quotation.
    quotations: Vec<Vec<String>>,
    markdown: String,
}

fn seed_text() -> String {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("the seed must be at {}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    std::fs::read_to_string(files.first().expect("a seed .txt file")).unwrap()
}

/// A caption line is a few words with no sentence punctuation: the seed's image captions.
fn is_caption(paragraph: &str) -> bool {
    paragraph.split_whitespace().count() <= 3
        && !paragraph.ends_with(['.', '!', '?', ':', '”', '"', ','])
}

/// Removes the quotation marks around a quoted paragraph; the blockquote says it is a quotation.
fn unquote(paragraph: &str) -> String {
    let inner = paragraph.trim_start_matches('“');
    match inner.strip_suffix("”.") {
        Some(rest) => format!("{rest}."),
        None => inner.strip_suffix('”').unwrap_or(inner).to_owned(),
    }
}

fn parse_seed(text: &str) -> Seed {
    let mut paragraphs = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
    let crumbs: Vec<&str> = paragraphs.next().unwrap().split(" » ").collect();
    assert!(crumbs.len() >= 3, "breadcrumbs line: {crumbs:?}");
    let mut section = crumbs[1].to_lowercase();
    section[..1].make_ascii_uppercase();
    let headline = crumbs[2..].join(" » ");
    let mut blocks: Vec<String> = Vec::new();
    let mut captions: Vec<String> = Vec::new();
    let mut quotations: Vec<Vec<String>> = Vec::new();
    let mut in_quotation = false;
    for paragraph in paragraphs {
        if paragraph == headline || paragraph == "par" {
            continue;
        }
        if paragraph == "Related Articles" {
            break; // What follows is the old site's widgets and cookie banner.
        }
        if is_caption(paragraph) {
            if captions.last().map(String::as_str) != Some(paragraph)
                || !blocks.last().is_some_and(|b| b.starts_with("!["))
            {
                captions.push(paragraph.to_owned());
                let n = captions.len();
                blocks.push(format!(
                    "![Illustration : {paragraph}](media:figure-{n}.jpg \"{paragraph} — Illustration générée par Rotative\")"
                ));
            }
            in_quotation = false;
            continue;
        }
        let (intro, quote) = match paragraph.find(": “") {
            Some(at) if !paragraph.starts_with('“') => {
                (Some(&paragraph[..=at]), Some(&paragraph[at + 2..]))
            }
            _ if paragraph.starts_with('“') => (None, Some(paragraph)),
            _ => (Some(paragraph), None),
        };
        if let Some(intro) = intro {
            blocks.push(intro.to_owned());
            in_quotation = false;
        }
        if let Some(quote) = quote {
            let text = unquote(quote);
            if in_quotation {
                quotations.last_mut().unwrap().push(text.clone());
                let last = blocks.last_mut().unwrap();
                last.push_str("\n>\n> ");
                last.push_str(&text);
            } else {
                quotations.push(vec![text.clone()]);
                blocks.push(format!("> {text}"));
            }
            in_quotation = true;
        }
    }
    let tags: Vec<String> = captions.iter().map(|c| format!("\"{c}\"")).collect();
    let markdown = format!(
        "+++\nheadline = \"{}\"\nsection = \"{section}\"\ntags = [{}]\nauthors = [\"Claire Dubois\"]\ntype = \"news\"\npublished_at = \"2026-11-24T08:00:00+01:00\"\n+++\n{}\n",
        headline.replace('"', "\\\""),
        tags.join(", "),
        blocks.join("\n\n"),
    );
    Seed {
        section,
        headline,
        captions,
        quotations,
        markdown,
    }
}

const RELATED_STORY: &str = "+++
headline = \"Moscou renforce sa présence militaire à l'ouest\"
section = \"Monde\"
tags = [\"Russie\"]
authors = [\"Claire Dubois\"]
published_at = \"2026-11-20T10:00:00+01:00\"
+++
Un autre article du même sujet.
";

/// Imports the seed (and one story that shares a subject with it) with the real binary, then
/// serves the site; returns the seed, the running server and the seed's path.
fn publish_seed(dir: &Path) -> (Seed, Server, String) {
    let seed = parse_seed(&seed_text());
    assert_eq!(seed.section, "Monde");
    assert_eq!(
        seed.captions.len(),
        3,
        "the three caption lines: {:?}",
        seed.captions
    );
    assert!(
        seed.quotations.len() >= 3,
        "quoted passages: {:?}",
        seed.quotations
    );
    let data = dir.join("site");
    let stories = dir.join("stories");
    std::fs::create_dir_all(&stories).unwrap();
    std::fs::write(stories.join("seed.md"), &seed.markdown).unwrap();
    for n in 1..=seed.captions.len() {
        let name = format!("figure-{n}.jpg");
        std::fs::write(
            stories.join(&name),
            illustration::draw(&name, 1200, 675).unwrap(),
        )
        .unwrap();
    }
    std::fs::write(stories.join("related.md"), RELATED_STORY).unwrap();
    let related = import_story(&data, &stories.join("related.md"));
    assert!(
        related.status.success(),
        "{}",
        String::from_utf8_lossy(&related.stderr)
    );
    let imported = import_story(&data, &stories.join("seed.md"));
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let url = String::from_utf8(imported.stdout).unwrap();
    let path = url
        .trim()
        .strip_prefix("http://127.0.0.1:8080")
        .expect("import prints the story's URL")
        .to_owned();
    assert!(
        path.starts_with("/monde/2026/11/24/l-armee-bielorusse-accuse-poutine"),
        "{path}"
    );
    (seed, Server::start(&data, &["--no-demo"]), path)
}

/// French, no banner, nothing from elsewhere, breadcrumbs, one h1, a byline and dates.
fn check_chrome(html: &str, seed: &Seed) {
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(!html.contains("cookies to improve") && !html.contains("Related Articles"));
    assert!(!html.contains("<script src") && !html.contains("src=\"http"));
    let crumbs = between(
        html,
        "<nav class=\"breadcrumbs\" aria-label=\"Fil d’Ariane\">",
        "</nav>",
    )
    .expect("breadcrumbs");
    assert!(
        crumbs.contains(">Accueil</a>") && crumbs.contains("<a href=\"/monde/\">Monde</a>"),
        "{crumbs}"
    );
    assert!(html.contains("\"@type\":\"BreadcrumbList\""));
    assert_eq!(html.matches("<h1").count(), 1);
    assert_eq!(
        between(html, "<h1>", "</h1>").unwrap(),
        french_typography(&seed.headline)
    );
    assert!(
        html.contains("Par <a href=\"/auteur/claire-dubois/\" rel=\"author\">Claire Dubois</a>")
    );
    assert!(html.contains(
        "Publié le <time datetime=\"2026-11-24T08:00:00+01:00\">24\u{a0}novembre\u{a0}2026 à 8\u{a0}h\u{a0}00</time>"
    ));
}

/// Quotations as blockquotes, figures with alt, caption and credit, French typography.
fn check_body(html: &str, seed: &Seed) {
    let body = between(html, "<div class=\"story-body\">", "</div>").unwrap();
    assert!(
        body.contains("«\u{202f}détruire notre souveraineté\u{202f}»"),
        "guillemets with narrow no-break spaces"
    );
    assert!(
        body.contains("écrit&nbsp;:"),
        "no-break space before the colon"
    );
    assert_eq!(body.matches("<blockquote>").count(), seed.quotations.len());
    for quotation in &seed.quotations {
        let opening: String = french_typography(&quotation[0]).chars().take(25).collect();
        let at = body
            .find(&opening)
            .unwrap_or_else(|| panic!("quotation `{opening}` on the page"));
        let before = &body[..at];
        assert!(
            before.rfind("<blockquote>") > before.rfind("</blockquote>"),
            "`{opening}` is inside a blockquote"
        );
    }
    assert_eq!(
        body.matches("<figure class=\"figure\">").count(),
        seed.captions.len()
    );
    for caption in &seed.captions {
        assert!(
            body.contains(&format!("alt=\"Illustration : {caption}\"")),
            "alt for {caption}"
        );
        assert!(
            body.contains(&format!("<figcaption>{caption} <span class=\"credit\">")),
            "caption {caption}"
        );
    }
}

/// Tags, related articles, Open Graph, canonical link and JSON-LD from the same data.
fn check_links_and_metadata(html: &str, seed: &Seed, base: &str, path: &str) {
    assert!(html.contains("<a href=\"/sujet/russie/\">Russie</a>"));
    let related_block =
        between(html, "<aside class=\"related\"", "</aside>").expect("related block");
    assert!(related_block.contains("Moscou renforce sa présence militaire"));
    assert!(!related_block.contains(path), "never the story itself");
    assert!(html.contains(&format!("<link rel=\"canonical\" href=\"{base}{path}\">")));
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(html.contains("<meta property=\"og:image\" content=\""));
    let json = between(html, "<script type=\"application/ld+json\">", "</script>").unwrap();
    let graph: serde_json::Value = serde_json::from_str(json).unwrap();
    let article = graph["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["@type"] == "NewsArticle")
        .unwrap();
    assert_eq!(article["headline"], seed.headline.as_str());
    assert_eq!(article["datePublished"], "2026-11-24T08:00:00+01:00");
    assert_eq!(article["articleSection"], "Monde");
    assert_eq!(article["author"][0]["@type"], "Person");
    assert!(
        article["author"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/auteur/claire-dubois/")
    );
    assert!(
        article["image"][0]["url"]
            .as_str()
            .unwrap()
            .contains("/media/")
    );
}

#[test]
fn the_seed_article_done_right() {
    let dir = tempfile::tempdir().unwrap();
    let (seed, server, path) = publish_seed(dir.path());
    let page = server.get(&path);
    assert_eq!(page.status, 200);
    assert!(!page.set_cookie, "no cookie for readers");
    check_chrome(&page.body, &seed);
    check_body(&page.body, &seed);
    check_links_and_metadata(&page.body, &seed, &server.base, &path);
    for linked in [
        "/auteur/claire-dubois/",
        "/sujet/belarus/",
        "/sujet/russie/",
        "/monde/",
        "/",
    ] {
        let page = server.get(linked);
        assert_eq!(page.status, 200, "{linked}");
        assert!(!page.set_cookie, "{linked}");
    }
    let figure = between(&page.body, "<figure class=\"figure\">", "</figure>").unwrap();
    assert!(
        figure.contains("<source type=\"image/webp\" srcset=\"/media/")
            && figure.contains(" sizes=\"")
            && figure.contains(" width=\"")
            && figure.contains(" alt=\""),
        "responsive, described figure: {figure}"
    );
    let addresses: Vec<&str> = figure
        .split(['"', ' ', ','])
        .filter(|part| part.starts_with("/media/"))
        .collect();
    assert!(addresses.len() >= 5, "{figure}");
    for address in addresses {
        assert_eq!(server.get(address).status, 200, "{address}");
    }
    assert!(server.terminate().success(), "clean exit on SIGTERM");
}
