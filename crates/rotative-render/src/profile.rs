//! A byline's profile as readers see it: on the author's page, and at the foot of each story
//! they sign. The bio is Markdown, of which a bio keeps paragraphs, emphasis, links and lists.

use std::sync::LazyLock;

use ammonia::Builder;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rotative_domain::{Author, french_typography};
use serde::Serialize;

use crate::{PictureView, views::author_url};

static BIO_SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .add_tags(["p", "em", "strong", "a", "br", "ul", "ol", "li", "code"])
        .add_tag_attributes("a", ["href"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// A bio's Markdown as HTML, in French typography: images and raw HTML are left out, links kept
/// when they go to the web or to an address.
pub fn bio_html(markdown: &str) -> String {
    let events = Parser::new(markdown)
        .filter(|event| {
            !matches!(
                event,
                Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::Start(Tag::Image { .. })
                    | Event::End(TagEnd::Image)
            )
        })
        .map(|event| match event {
            Event::Text(words) => Event::Text(french_typography(&words).into()),
            other => other,
        });
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    BIO_SANITIZER.clean(&html).to_string()
}

/// A bio's words without their markup, for a meta description or JSON-LD.
pub fn bio_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item)
                if !text.ends_with(' ') && !text.is_empty() =>
            {
                text.push(' ');
            }
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

/// A byline with what readers see of its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BylineView {
    pub name: String,
    pub url: String,
    pub job_title: Option<String>,
    pub bio_html: Option<String>,
    pub photo: Option<PictureView>,
    pub photo_alt: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub fediverse: Option<String>,
}

impl BylineView {
    pub fn of(author: &Author) -> Self {
        let profile = &author.profile;
        Self {
            name: author.name.to_string(),
            url: author_url(author),
            job_title: profile.job_title.clone(),
            bio_html: author.bio.as_deref().map(bio_html),
            photo: profile.photo.as_ref().map(PictureView::of),
            photo_alt: profile.photo.as_ref().map(|photo| photo.alt.to_string()),
            website: profile.links.website.clone(),
            email: profile.links.email.as_ref().map(ToString::to_string),
            fediverse: profile.links.fediverse.clone(),
        }
    }

    /// Whether there is anything to say of the byline beyond its name.
    pub fn is_described(&self) -> bool {
        self.job_title.is_some()
            || self.bio_html.is_some()
            || self.photo.is_some()
            || self.website.is_some()
            || self.email.is_some()
            || self.fediverse.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bio_keeps_its_emphasis_and_links_and_nothing_else() {
        let html = bio_html(
            "Elle couvre les *pays baltes* depuis 2019 ([son blog](https://claire.example.org)).\n\n\
             Voir <span onclick=\"x()\">ici</span> ![un pixel](https://tiers.example/pixel.gif) \
             [lien](javascript:alert(1))",
        );
        assert_eq!(
            html,
            "<p>Elle couvre les <em>pays baltes</em> depuis 2019 (<a \
             href=\"https://claire.example.org\" rel=\"noopener noreferrer\">son blog</a>).</p>\n\
             <p>Voir ici un pixel <a rel=\"noopener noreferrer\">lien</a></p>\n"
        );
    }

    #[test]
    fn a_bio_as_plain_words() {
        assert_eq!(
            bio_text(
                "Elle couvre les *pays baltes*.\nAvant : [Kyiv](https://k.example).\n\n- Prix Albert-Londres"
            ),
            "Elle couvre les pays baltes. Avant : Kyiv. Prix Albert-Londres"
        );
    }
}
