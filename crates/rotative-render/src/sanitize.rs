//! The one allowlist every piece of HTML passes before it reaches a page: story bodies written in
//! the newsroom and content imported from elsewhere alike.

use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use rotative_domain::Embed;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .add_tags(["section", "picture", "source"])
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tag_attributes(
            "img",
            ["width", "height", "loading", "decoding", "srcset", "sizes"],
        )
        .add_tag_attributes("blockquote", ["cite"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("sup", ["id"])
        .add_tag_attributes("figure", ["data-embed-src", "data-embed-title"])
        .add_allowed_classes("figure", ["quote", "figure", "embed"])
        .add_allowed_classes("div", ["embed-placeholder"])
        .add_allowed_classes("span", ["credit"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"])
        .url_schemes(["http", "https", "mailto"].into())
        .url_relative(UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| match attribute {
            // Ids are allowed only for footnotes, so stored content cannot hijack page anchors.
            "id" if !value.starts_with("note-") => None,
            // A frame address is kept only if it is a provider's embed page.
            "data-embed-src" if Embed::frame_origin(value).is_none() => None,
            // Images come from the site's own media only: a reader's browser never asks a
            // third party for a picture, whatever HTML a body contains.
            "src" if element == "img" && !is_own_media(value) => None,
            "srcset"
                if !value
                    .split(',')
                    .all(|candidate| is_own_media(candidate.trim())) =>
            {
                None
            }
            _ => Some(value.into()),
        });
    builder
});

fn is_own_media(url: &str) -> bool {
    url.strip_prefix(MEDIA_PREFIX)
        .is_some_and(|rest| !rest.starts_with('/') && !rest.contains(".."))
}

const MEDIA_PREFIX: &str = "/media/";

pub fn clean(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_from_elsewhere_lose_their_address() {
        let html = clean(
            "<picture><source srcset=\"/media/a-320.webp 320w, https://tracker.example/p.gif 1w\"><img src=\"https://tracker.example/p.gif\" alt=\"x\"></picture>",
        );
        assert!(!html.contains("tracker"), "{html}");
        let own = clean(
            "<picture><source type=\"image/webp\" srcset=\"/media/a-320.webp 320w\" sizes=\"100vw\"><img src=\"/media/a.jpg\" alt=\"x\"></picture>",
        );
        assert!(own.contains("srcset=\"/media/a-320.webp 320w\""), "{own}");
        assert!(own.contains("src=\"/media/a.jpg\""), "{own}");
        assert!(!clean("<img src=\"/media/../theme/x\">").contains("src="));
    }
}
