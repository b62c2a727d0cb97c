//! The one allowlist every piece of HTML passes before it reaches a page: story bodies written in
//! the newsroom and content imported from elsewhere alike.

use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use rotative_domain::Embed;

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .add_tags(["section"])
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
        .attribute_filter(|_element, attribute, value| match attribute {
            // Ids are allowed only for footnotes, so stored content cannot hijack page anchors.
            "id" if !value.starts_with("note-") => None,
            // A frame address is kept only if it is a provider's embed page.
            "data-embed-src" if Embed::frame_origin(value).is_none() => None,
            _ => Some(value.into()),
        });
    builder
});

pub fn clean(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}
