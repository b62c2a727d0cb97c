//! The one allowlist every piece of HTML passes before it reaches a page: story bodies written in
//! the newsroom and content imported from elsewhere alike.

use std::{
    cell::{Cell, RefCell},
    sync::LazyLock,
};

use ammonia::{Builder, UrlRelative};
use html5ever::{
    LocalName,
    tendril::StrTendril,
    tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
        states::RawKind,
    },
};
use rotative_domain::Embed;

use crate::RenderError;

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

/// How deep elements may nest in a body. Real stories stay under ten levels (a list in a quote in
/// a figure); the sanitiser's HTML parser works in time that grows with the square of the depth,
/// so a body of 100,000 nested `<div>` would hold a core for seconds.
pub const MAX_NESTING: usize = 48;

/// Sanitises a body, or refuses one that nests elements deeper than [`MAX_NESTING`].
pub fn clean(html: &str) -> Result<String, RenderError> {
    if nesting_exceeds(html, MAX_NESTING) {
        return Err(RenderError::TooDeep { limit: MAX_NESTING });
    }
    Ok(SANITIZER.clean(html).to_string())
}

/// Elements that never hold others, and elements a parser closes by itself before one of the same
/// kind (`<p>a<p>b` is two paragraphs side by side): neither nests the next element inside it.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "colgroup", "caption",
];

/// Elements whose start tag leaves SVG or `MathML` content, back to HTML.
const LEAVES_FOREIGN: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Whether `html` nests elements more than `limit` deep, read in one pass by html5ever's own
/// tokenizer (so comments, attribute values and raw text hide exactly what they hide from the
/// sanitiser's parser). The count never underestimates what that parser builds: an end tag only
/// closes the element opened last, and only when it names it.
fn nesting_exceeds(html: &str, limit: usize) -> bool {
    let depth = Depth {
        open: RefCell::new(Vec::new()),
        exceeded: Cell::new(false),
        limit,
    };
    let tokenizer = Tokenizer::new(depth, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.exceeded.get()
}

struct Depth {
    open: RefCell<Vec<LocalName>>,
    exceeded: Cell<bool>,
    limit: usize,
}

impl Depth {
    fn in_foreign_content(&self) -> bool {
        self.open
            .borrow()
            .iter()
            .any(|name| matches!(&**name, "svg" | "math"))
    }
}

impl TokenSink for Depth {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        // Past the limit the answer is known; the stack stays at most `limit` long, so each
        // look at it below is short.
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if self.exceeded.get() {
            return TokenSinkResult::Continue;
        }
        let name = &*tag.name;
        let mut open = self.open.borrow_mut();
        if tag.kind == TagKind::EndTag {
            if open.last() == Some(&tag.name) {
                open.pop();
            }
            return TokenSinkResult::Continue;
        }
        let foreign = open.iter().position(|o| matches!(&**o, "svg" | "math"));
        if let Some(outermost) = foreign
            && LEAVES_FOREIGN.contains(&name)
        {
            open.truncate(outermost);
        }
        if !NOT_NESTING.contains(&name) {
            open.push(tag.name.clone());
            if open.len() > self.limit {
                self.exceeded.set(true);
            }
        }
        drop(open);
        if self.in_foreign_content() {
            return TokenSinkResult::Continue;
        }
        match name {
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.in_foreign_content()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        super::clean(html).unwrap()
    }

    #[test]
    fn deep_nesting_is_refused_in_one_pass() {
        for hostile in [
            "<div>".repeat(100_000),
            "<div></i>".repeat(100_000),
            "<blockquote>\n".repeat(100_000),
            "<b><i>".repeat(50_000),
            "<div><!-- </div> -->".repeat(100_000),
            "<div><style></div></style>".repeat(100_000),
            "<div><svg><![CDATA[</div>]]></svg>".repeat(100_000),
            "<div title=\"</div>\">".repeat(100_000),
            "<textarea><!--</textarea><div>--></textarea>".repeat(100_000),
            "<div/>".repeat(100_000),
            "<p><b id=x></p>".repeat(100_000),
        ] {
            // Up to 4 MB each, read once: well under a second even in a debug build. The bound
            // is loose because the suite shares two cores; a pass per level would take minutes.
            let started = std::time::Instant::now();
            let refused = super::clean(&hostile);
            assert!(
                matches!(refused, Err(RenderError::TooDeep { .. })),
                "{}",
                &hostile[..20]
            );
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{}: {:?}",
                &hostile[..20],
                started.elapsed()
            );
        }
        let nested = format!("{}x{}", "<div>".repeat(40), "</div>".repeat(40));
        assert!(super::clean(&nested).is_ok());
        let side_by_side = "<div><p>a</div>".repeat(10_000) + &"<p>b<li>c<br>".repeat(10_000);
        assert!(
            super::clean(&side_by_side).is_ok(),
            "siblings are not nesting"
        );
    }

    /// Random markup whose tags close in order, with unclosed paragraphs and cells, comments and
    /// raw text holding tags mixed in: whatever the check lets through, the sanitiser gets
    /// through quickly.
    #[test]
    fn what_passes_the_check_is_sanitised_quickly() {
        use std::fmt::Write as _;
        const OPENED: [&str; 13] = [
            "div",
            "span",
            "b",
            "i",
            "a",
            "table",
            "blockquote",
            "select",
            "em",
            "ul",
            "section",
            "font",
            "s",
        ];
        const LOOSE: [&str; 8] = [
            "<p>",
            "<li>",
            "<td>",
            "</p>",
            "<!-- <div> -->",
            "<style></div></style>",
            "<textarea><div></textarea>",
            "x ",
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = |below: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(seed >> 33).unwrap_or(0) % below
        };
        let mut passed = 0;
        for _ in 0..24 {
            let mut soup = String::new();
            while soup.len() < 150_000 {
                let opened: Vec<&str> = (0..=next(6)).map(|_| OPENED[next(OPENED.len())]).collect();
                for name in &opened {
                    let _ = write!(soup, "<{name}>{}", LOOSE[next(LOOSE.len())]);
                }
                for name in opened.iter().rev() {
                    soup.push_str(LOOSE[next(LOOSE.len())]);
                    let _ = write!(soup, "</{name}>");
                }
            }
            let started = std::time::Instant::now();
            passed += usize::from(super::clean(&soup).is_ok());
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{:?} for {}",
                started.elapsed(),
                &soup[..300]
            );
        }
        assert!(passed >= 12, "most of it passes the check: {passed} of 24");
    }

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
