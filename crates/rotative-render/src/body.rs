//! Story bodies: Markdown in, sanitised HTML out, rendered once when a story is saved.
//!
//! What a writer types and what readers get:
//! - a paragraph holding only `![alt](media:NAME "Caption — Credit")` becomes a `<figure>` with
//!   `<img alt width height>` and a `<figcaption>` (caption, then credit);
//! - a quotation whose last paragraph starts with `—` becomes a `<figure class="quote">`: the
//!   `<blockquote>` and, as its `<figcaption>`, who said it;
//! - French typography on every text node (never in code, URLs or attributes);
//! - images from anywhere but the site's own media are refused: readers' browsers never call a
//!   third party.

use std::{collections::HashMap, hash::BuildHasher};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use rotative_domain::{AltText, Embed, ParseError, french_typography, without_controls};
use serde::Serialize;

use crate::{RenderError, picture::PictureView, sanitize, theme::Theme};

const MEDIA_SCHEME: &str = "media:";

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// An image a body refers to, as the writer typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureSource {
    /// The name after `media:` (a file next to a story file, or a media library name).
    pub name: String,
    /// `None` when the writer left it empty: the library's alt text then applies.
    pub alt: Option<AltText>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Where a referenced image is stored, once the media layer has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub animated: bool,
    /// What the media library says of the image, used where the story says nothing.
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// Splits an image title `Caption — Credit` at its last em dash: credits name a person or agency,
/// captions may contain dashes of their own.
fn caption_and_credit(title: &str) -> (Option<String>, Option<String>) {
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    match title.rsplit_once(" — ") {
        Some((caption, credit)) => (non_empty(caption), non_empty(credit)),
        None => (non_empty(title), None),
    }
}

/// Lists the images a body uses, in order, refusing any that is not a `media:` reference.
pub fn figure_sources(markdown: &str) -> Result<Vec<FigureSource>, RenderError> {
    let mut sources = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                current = Some((dest_url.to_string(), title.to_string(), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, alt)) = current.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => {
                let Some((url, title, alt)) = current.take() else {
                    continue;
                };
                let name = url
                    .strip_prefix(MEDIA_SCHEME)
                    .filter(|name| !name.is_empty())
                    .ok_or_else(|| RenderError::ExternalImage(url.clone()))?;
                let alt = match AltText::parse(&alt) {
                    Ok(alt) => Some(alt),
                    Err(ParseError::Empty) => None,
                    Err(other) => {
                        return Err(RenderError::InvalidAlt {
                            name: name.to_owned(),
                            problem: other.to_string(),
                        });
                    }
                };
                let (caption, credit) = caption_and_credit(&title);
                sources.push(FigureSource {
                    name: name.to_owned(),
                    alt,
                    caption,
                    credit,
                });
            }
            _ => {}
        }
    }
    Ok(sources)
}

/// The body with its `media:NAME` image references named anew (`renamed[NAME]`), everything
/// else as typed: how an imported story's images, named by their files, take the names the media
/// library knows them by. References given as link definitions (`![alt][ref]`) are renamed in
/// the definition.
pub fn rename_figures<S: BuildHasher>(
    markdown: &str,
    renamed: &HashMap<String, String, S>,
) -> String {
    let parser = Parser::new_ext(markdown, options());
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut rename_in = |span: std::ops::Range<usize>, dest: &str| {
        let Some(new) = dest
            .strip_prefix(MEDIA_SCHEME)
            .and_then(|name| renamed.get(name))
        else {
            return;
        };
        let typed = &markdown[span.clone()];
        if let Some(at) = typed.find(dest) {
            let start = span.start + at;
            edits.push((start + MEDIA_SCHEME.len()..start + dest.len(), new.as_str()));
        }
    };
    for (_, definition) in parser.reference_definitions().iter() {
        rename_in(definition.span.clone(), &definition.dest);
    }
    for (event, span) in parser.into_offset_iter() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            rename_in(span, &dest_url);
        }
    }
    edits.sort_by_key(|(range, _)| range.start);
    edits.dedup_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(markdown.len());
    let mut copied = 0;
    for (range, new) in edits {
        out.push_str(&markdown[copied..range.start]);
        out.push_str(new);
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    out
}

#[derive(Serialize)]
struct FigureView<'a> {
    picture: PictureView,
    alt: &'a str,
    caption: Option<String>,
    credit: Option<String>,
    eager: bool,
}

/// Renders the Markdown body to sanitised HTML, with images resolved through `images`
/// (keyed by the name after `media:`).
pub fn render_body<S: BuildHasher>(
    theme: &Theme,
    markdown: &str,
    images: &HashMap<String, StoredImage, S>,
) -> Result<String, RenderError> {
    let markdown = without_controls(markdown);
    let events: Vec<Event<'_>> = typographed(Parser::new_ext(&markdown, options()));
    // Markdown nesting is refused here, before any HTML is written; the sanitiser's own check
    // then covers HTML typed into the body.
    if markdown_depth(&events) > sanitize::MAX_NESTING {
        return Err(RenderError::TooDeep {
            limit: sanitize::MAX_NESTING,
        });
    }
    let quote_ends = quote_ends(&events);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut figures_seen = 0_usize;
    let mut i = 0;
    while i < events.len() {
        if let Some((figure, consumed)) = lone_image(&events[i..]) {
            let (name, title, alt) = figure;
            let stored = images
                .get(name)
                .ok_or_else(|| RenderError::UnknownImage(name.to_owned()))?;
            let (caption, credit) = caption_and_credit(title);
            let alt = Some(alt.trim())
                .filter(|alt| !alt.is_empty())
                .or(stored.alt.as_deref())
                .unwrap_or_default();
            let caption = caption.or_else(|| stored.caption.clone());
            let credit = credit.or_else(|| stored.credit.clone());
            let view = FigureView {
                picture: PictureView::new(
                    &stored.key,
                    stored.width,
                    stored.height,
                    stored.animated,
                ),
                alt,
                caption: caption.map(|c| french_typography(&c)),
                credit: credit.map(|c| french_typography(&c)),
                eager: figures_seen == 0,
            };
            figures_seen += 1;
            out.push(Event::Html(
                theme.render("partials/figure.html", &view)?.into(),
            ));
            i += consumed;
        } else if let Some(embed) = lone_embed(&events[i..]) {
            let label = if embed.provider.is_video() {
                format!("Vidéo {}", embed.provider.name())
            } else {
                format!("Message sur {}", embed.provider.name())
            };
            let view = EmbedView {
                frame: &embed.frame,
                url: &embed.url,
                provider: embed.provider.name(),
                label,
            };
            out.push(Event::Html(
                theme.render("partials/embed.html", &view)?.into(),
            ));
            i += 3;
        } else if let Some(consumed) = attributed_quote(&events[i..], quote_ends[i], &mut out) {
            i += consumed;
        } else {
            out.push(events[i].clone());
            i += 1;
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    sanitize::clean(&html)
}

/// How deep the body's blocks and spans nest (quotations in lists in quotations…).
fn markdown_depth(events: &[Event<'_>]) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0_usize);
    for event in events {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// For each event that starts a quotation, how far ahead its end is; found in one pass, so that
/// quotations nested thousands deep cost no more than flat ones.
fn quote_ends(events: &[Event<'_>]) -> Vec<usize> {
    let mut ends = vec![0; events.len()];
    let mut open = Vec::new();
    for (at, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => open.push(at),
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(start) = open.pop() {
                    ends[start] = at - start;
                }
            }
            _ => {}
        }
    }
    ends
}

/// Applies French typography to text outside code, and namespaces footnote ids so they cannot
/// collide with the page's own.
fn typographed(parser: Parser<'_>) -> Vec<Event<'_>> {
    let mut in_code_block = false;
    let mut in_image = false;
    parser
        .map(|event| match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                event
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                event
            }
            Event::Start(Tag::Image { .. }) => {
                in_image = true;
                event
            }
            Event::End(TagEnd::Image) => {
                in_image = false;
                event
            }
            Event::Text(text) if !in_code_block && !in_image => {
                Event::Text(french_typography(&text).into())
            }
            Event::FootnoteReference(name) => Event::FootnoteReference(note_id(&name)),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Start(Tag::FootnoteDefinition(note_id(&name)))
            }
            other => other,
        })
        .collect()
}

fn note_id(name: &str) -> CowStr<'static> {
    format!("note-{name}").into()
}

#[derive(Serialize)]
struct EmbedView<'a> {
    frame: &'a str,
    url: &'a str,
    provider: &'static str,
    label: String,
}

/// The origins of the embed frames a rendered body may load after a click: what the page's
/// Content-Security-Policy must allow, and nothing more.
pub fn embed_origins(body_html: &str) -> Vec<String> {
    let marker = "data-embed-src=\"";
    let mut origins: Vec<String> = body_html
        .match_indices(marker)
        .filter_map(|(at, _)| {
            let start = at + marker.len();
            let end = body_html[start..].find('"')? + start;
            Embed::frame_origin(&body_html[start..end])
        })
        .collect();
    origins.sort();
    origins.dedup();
    origins
}

/// Recognises a paragraph that is a bare link to a video or a social post: an embed.
fn lone_embed(events: &[Event<'_>]) -> Option<Embed> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Text(text),
        Event::End(TagEnd::Paragraph),
        ..,
    ] = events
    else {
        return None;
    };
    Embed::recognise(text)
}

type LoneImage<'e> = (&'e str, &'e str, String);

/// Recognises a paragraph that holds one image and nothing else: that is a figure.
fn lone_image<'e>(events: &'e [Event<'_>]) -> Option<(LoneImage<'e>, usize)> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Image {
            dest_url, title, ..
        }),
        rest @ ..,
    ] = events
    else {
        return None;
    };
    let name = dest_url.strip_prefix(MEDIA_SCHEME)?;
    let mut alt = String::new();
    let mut len = 2;
    for event in rest {
        len += 1;
        match event {
            Event::Text(text) | Event::Code(text) => alt.push_str(text),
            Event::End(TagEnd::Image) => break,
            _ => {}
        }
    }
    matches!(events.get(len), Some(Event::End(TagEnd::Paragraph)))
        .then_some(((name, title.as_ref(), alt), len + 1))
}

/// Recognises a top-level quotation whose last paragraph names its source (`— Name`), and writes
/// it as a figure: the quote in `<blockquote>`, the source in `<figcaption>`.
/// `end` is how far ahead the quotation's end is (from [`quote_ends`]).
fn attributed_quote<'a>(
    events: &[Event<'a>],
    end: usize,
    out: &mut Vec<Event<'a>>,
) -> Option<usize> {
    let Event::Start(Tag::BlockQuote(_)) = events.first()? else {
        return None;
    };
    let inner = &events[1..end];
    // Checked first: the search back then stays within the quotation's last paragraph.
    if !matches!(inner.last(), Some(Event::End(TagEnd::Paragraph))) {
        return None;
    }
    let last_paragraph = inner
        .iter()
        .rposition(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    if last_paragraph == 0 {
        return None;
    }
    let source = &inner[last_paragraph + 1..inner.len() - 1];
    let Some(Event::Text(first)) = source.first() else {
        return None;
    };
    let name = first
        .strip_prefix('—')
        .or_else(|| first.strip_prefix("--"))?
        .trim_start();
    out.push(Event::Html("<figure class=\"quote\">".into()));
    out.push(events[0].clone());
    out.extend(inner[..last_paragraph].iter().cloned());
    out.push(events[end].clone());
    out.push(Event::Html("<figcaption>— ".into()));
    if !name.is_empty() {
        out.push(Event::Text(name.to_owned().into()));
    }
    out.extend(source[1..].iter().cloned());
    out.push(Event::Html("</figcaption></figure>".into()));
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images() -> HashMap<String, StoredImage> {
        HashMap::from([(
            "minsk.jpg".to_owned(),
            StoredImage {
                key: format!("{}.jpg", "a".repeat(32)),
                width: 1200,
                height: 675,
                animated: false,
                alt: Some("Texte de la médiathèque".into()),
                caption: None,
                credit: Some("Crédit de la médiathèque".into()),
            },
        )])
    }

    fn render(markdown: &str) -> String {
        render_body(&Theme::embedded(), markdown, &images()).unwrap()
    }

    #[test]
    fn lone_image_becomes_a_figure_with_caption_and_credit() {
        let html = render(
            "Avant.\n\n![Une place enneigée](media:minsk.jpg \"La place de l'Indépendance — Illustration Rotative\")\n\nAprès.",
        );
        assert!(html.contains("<figure"), "{html}");
        assert!(html.contains("alt=\"Une place enneigée\""), "{html}");
        assert!(
            html.contains("width=\"1200\"") && html.contains("height=\"675\""),
            "{html}"
        );
        assert!(html.contains("<figcaption>"), "{html}");
        assert!(
            html.contains("La place de l’Indépendance"),
            "caption gets typography: {html}"
        );
        assert!(html.contains("Illustration Rotative"), "{html}");
        assert!(!html.contains("<p><figure"), "{html}");
        assert!(
            html.contains(" 640w,") && html.contains("type=\"image/webp\""),
            "{html}"
        );
    }

    #[test]
    fn the_library_description_fills_what_the_story_leaves_out() {
        let html = render("![](media:minsk.jpg \"Une légende\")");
        assert!(html.contains("alt=\"Texte de la médiathèque\""), "{html}");
        assert!(
            html.contains("Une légende") && html.contains("Crédit de la médiathèque"),
            "{html}"
        );
    }

    #[test]
    fn attributed_quotation_becomes_a_figure() {
        let html = render("> Nous tiendrons.\n>\n> — Une officière, à Minsk");
        assert!(
            html.starts_with("<figure class=\"quote\">\n<blockquote>"),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>— Une officière, à Minsk</figcaption>"),
            "{html}"
        );
        let plain = render("> Sans source.");
        assert!(plain.starts_with("<blockquote>"), "{plain}");
    }

    #[test]
    fn typography_skips_code_and_urls() {
        let html =
            render("Il dit : « oui » ! `a : b` [lien](https://exemple.fr/?q=1)\n\n```\nx : y\n```");
        // The sanitiser writes U+00A0 as `&nbsp;`; U+202F stays a character.
        assert!(
            html.contains("dit&nbsp;: «\u{202f}oui\u{202f}»\u{202f}!"),
            "{html}"
        );
        assert!(html.contains("<code>a : b</code>"), "{html}");
        assert!(html.contains("href=\"https://exemple.fr/?q=1\""), "{html}");
        assert!(html.contains("x : y"), "{html}");
    }

    #[test]
    fn hostile_html_is_sanitised() {
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a> <div id=\"contenu\">d</div>",
        );
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"),
            "{html}"
        );
        assert!(!html.contains("id=\"contenu\""), "{html}");
    }

    #[test]
    fn footnotes_keep_working_links() {
        let html = render("Texte[^1].\n\n[^1]: La note.");
        assert!(html.contains("href=\"#note-1\""), "{html}");
        assert!(html.contains("id=\"note-1\""), "{html}");
    }

    #[test]
    fn sources_are_listed_and_checked() {
        let sources =
            figure_sources("![Alt](media:a.jpg \"Légende — Crédit\")\n\n![B](media:b.png)")
                .unwrap();
        assert_eq!(sources[0].caption.as_deref(), Some("Légende"));
        assert_eq!(sources[0].credit.as_deref(), Some("Crédit"));
        assert_eq!(sources[1].name, "b.png");
        assert!(matches!(
            figure_sources("![x](https://tracker.example/p.gif)"),
            Err(RenderError::ExternalImage(_))
        ));
        assert_eq!(figure_sources("![](media:a.jpg)").unwrap()[0].alt, None);
    }

    #[test]
    fn video_links_on_their_own_line_become_click_to_load_placeholders() {
        let html = render(
            "Avant.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nAprès, un lien dans le texte : https://vimeo.com/1.",
        );
        assert!(html.contains("<figure class=\"embed\" data-embed-src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""), "{html}");
        assert!(
            html.contains("<a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""),
            "{html}"
        );
        assert!(!html.contains("<iframe"), "no frame before the reader asks");
        assert_eq!(
            html.matches("class=\"embed\"").count(),
            1,
            "a link inside a sentence stays text"
        );
        let forged =
            render("<figure class=\"embed\" data-embed-src=\"javascript:alert(1)\">x</figure>");
        assert!(!forged.contains("javascript:"), "{forged}");
    }

    #[test]
    fn deeply_nested_bodies_are_refused_at_once() {
        for hostile in [
            ">".repeat(40_000),
            ">".repeat(200_000),
            "<div>".repeat(100_000),
            "> ".repeat(20_000) + "x\n>\n> — Source",
            "- ".repeat(20_000) + "x",
            "*".repeat(100_000) + "x" + &"*".repeat(100_000),
            "[".repeat(100_000),
        ] {
            let started = std::time::Instant::now();
            let result = render_body(&Theme::embedded(), &hostile, &images());
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{}: {:?}",
                &hostile[..10],
                started.elapsed()
            );
            if let Err(error) = result {
                assert!(matches!(error, RenderError::TooDeep { .. }), "{error}");
            }
        }
        assert!(matches!(
            render_body(&Theme::embedded(), &">".repeat(40_000), &images()),
            Err(RenderError::TooDeep { .. })
        ));
        let quoted = format!("{}Nous tiendrons.\n>\n> — Une officière", "> ".repeat(12));
        assert!(
            render(&quoted).contains("<figcaption>"),
            "reasonable nesting still renders"
        );
    }

    #[test]
    fn unknown_image_is_an_error() {
        let err = render_body(&Theme::embedded(), "![x](media:absent.jpg)", &images()).unwrap_err();
        assert!(matches!(err, RenderError::UnknownImage(name) if name == "absent.jpg"));
    }

    #[test]
    fn figures_are_renamed_and_nothing_else() {
        let renamed = HashMap::from([
            ("pont.jpg".to_owned(), "0123456789abcdef.jpg".to_owned()),
            ("carte.png".to_owned(), "fedcba9876543210.png".to_owned()),
        ]);
        let body = "Le texte cite media:pont.jpg en clair.\n\n![Un pont](media:pont.jpg \"Le pont — Illustration\")\n\n![Une carte][c]\n\n![Encore](<media:pont.jpg>)\n\n![Autre](media:autre.jpg)\n\n[c]: media:carte.png \"Carte\"\n";
        let out = rename_figures(body, &renamed);
        assert_eq!(
            out,
            "Le texte cite media:pont.jpg en clair.\n\n![Un pont](media:0123456789abcdef.jpg \"Le pont — Illustration\")\n\n![Une carte][c]\n\n![Encore](<media:0123456789abcdef.jpg>)\n\n![Autre](media:autre.jpg)\n\n[c]: media:fedcba9876543210.png \"Carte\"\n"
        );
        let names: Vec<_> = figure_sources(&out)
            .unwrap()
            .into_iter()
            .map(|figure| figure.name)
            .collect();
        assert_eq!(
            names,
            [
                "0123456789abcdef.jpg",
                "fedcba9876543210.png",
                "0123456789abcdef.jpg",
                "autre.jpg"
            ]
        );
    }
}
