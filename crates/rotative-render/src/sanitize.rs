//! The one allowlist every piece of HTML passes before it reaches a page: story bodies written in
//! the newsroom and content imported from elsewhere alike.

use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

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
        .add_allowed_classes("figure", ["quote", "figure"])
        .add_allowed_classes("span", ["credit"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"])
        .url_schemes(["http", "https", "mailto"].into())
        .url_relative(UrlRelative::PassThrough)
        .attribute_filter(|_element, attribute, value| {
            // Ids are allowed only for footnotes, so stored content cannot hijack page anchors.
            if attribute == "id" && !value.starts_with("note-") {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

pub fn clean(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}
