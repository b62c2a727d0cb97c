//! WordPress post content turned into a Rotative body: block-editor comments dropped (their HTML
//! kept), classic content given WordPress's paragraph rules, shortcodes turned into figures and
//! click-to-load embeds, and every unknown shortcode listed. The result is a body the newsroom
//! editor opens like any other (HTML blocks separated by blank lines, which Markdown keeps as
//! they are), and it goes through the same renderer and sanitiser as the newsroom's.

use std::sync::LazyLock;

use regex::Regex;

/// A converted body, and what the import report should say about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    pub body: String,
    /// Shortcodes left as text, by name, once each.
    pub unknown_shortcodes: Vec<String>,
    /// `[gallery]` image ids, in order, for the importer to place.
    pub gallery_ids: Vec<u64>,
}

static BLOCK_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*/?wp:[^>]*?-->").unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)\[caption[^\]]*\](.*?)\[/caption\]")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static IMAGE_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^\s*(?:<a [^>]*>)?\s*(<img [^>]*>)\s*(?:</a>)?\s*(.*?)\s*$")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static EMBED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[embed[^\]]*\]\s*(\S+?)\s*\[/embed\]")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static GALLERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[gallery([^\]]*)\]").unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static GALLERY_IDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"ids\s*=\s*["']?([0-9,\s]+)"#).unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static SHORTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[/?([a-zA-Z][a-zA-Z0-9_-]*)(?:\s[^\]]*)?\]")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

/// Elements WordPress never wraps in a paragraph.
const BLOCK_ELEMENTS: [&str; 32] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "iframe",
    "video",
];

static ANY_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap_or_else(|_| unreachable!("a fixed pattern")));

/// HTML with its tags replaced by spaces: the words alone, entities as they were.
pub(crate) fn without_tags(html: &str) -> std::borrow::Cow<'_, str> {
    ANY_TAG.replace_all(html, " ")
}

/// Converts one post's `content:encoded`.
pub fn convert(content: &str) -> Converted {
    let mut converted = Converted::default();
    let uses_blocks = BLOCK_COMMENT.is_match(content);
    let content = BLOCK_COMMENT.replace_all(content, "\n\n");
    let content = content.replace("\r\n", "\n");
    let content = CAPTION.replace_all(&content, |captures: &regex::Captures<'_>| {
        let inner = &captures[1];
        match IMAGE_TAG.captures(inner) {
            Some(parts) => format!(
                "\n\n<figure>{}<figcaption>{}</figcaption></figure>\n\n",
                &parts[1],
                parts[2].trim()
            ),
            None => inner.to_owned(),
        }
    });
    let content = EMBED.replace_all(&content, "\n\n$1\n\n");
    let content = GALLERY.replace_all(&content, |captures: &regex::Captures<'_>| {
        let ids: Vec<u64> = GALLERY_IDS
            .captures(&captures[1])
            .map(|ids| {
                ids[1]
                    .split(',')
                    .filter_map(|id| id.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        let mut placeholders = String::new();
        for id in &ids {
            placeholders.push_str("\n\n");
            placeholders.push_str(&gallery_placeholder(*id));
            placeholders.push_str("\n\n");
        }
        converted.gallery_ids.extend(ids);
        placeholders
    });
    for captures in SHORTCODE.captures_iter(&content) {
        let name = captures[1].to_owned();
        if !converted.unknown_shortcodes.contains(&name) {
            converted.unknown_shortcodes.push(name);
        }
    }
    converted.body = if uses_blocks {
        blocks_apart(&content)
    } else {
        autop(&content)
    };
    converted
}

/// Where a gallery's image goes, until the importer knows which stored image it is.
pub fn gallery_placeholder(id: u64) -> String {
    format!("<!-- rotative:gallery-image {id} -->")
}

/// Block-editor content is already HTML: each block stands apart so Markdown leaves it alone.
fn blocks_apart(content: &str) -> String {
    content
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn starts_with_block_element(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCK_ELEMENTS.contains(&name.as_str())
}

/// WordPress's paragraph rules for classic content: a blank line separates paragraphs, a single
/// line break is a `<br>`, block elements stand on their own, `<pre>` is left untouched.
fn autop(content: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_pre = false;
    let mut pre = String::new();
    for chunk in content.split("\n\n") {
        if in_pre || chunk.contains("<pre") {
            pre.push_str(chunk);
            in_pre = !chunk.contains("</pre>") || chunk.rfind("<pre") > chunk.rfind("</pre>");
            if in_pre {
                pre.push_str("\n\n");
            } else {
                out.push(std::mem::take(&mut pre).trim().to_owned());
            }
            continue;
        }
        let text = chunk.trim();
        if text.is_empty() {
            continue;
        }
        if starts_with_block_element(text) || is_bare_link(text) || text.starts_with("<!--") {
            out.push(text.to_owned());
        } else {
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            out.push(format!("<p>{}</p>", lines.join("<br>\n")));
        }
    }
    if !pre.is_empty() {
        out.push(pre.trim().to_owned());
    }
    out.join("\n\n")
}

/// A paragraph that is only an address: the renderer makes it a click-to-load embed when it is
/// a video or a post from a known provider, and a plain link otherwise.
fn is_bare_link(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_comments_go_and_their_html_stays() {
        let content = "<!-- wp:paragraph -->\n<p>Un.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:image {\"id\":5} -->\n<figure class=\"wp-block-image\"><img src=\"a.jpg\" alt=\"\"/></figure>\n<!-- /wp:image -->";
        let converted = convert(content);
        assert_eq!(
            converted.body,
            "<p>Un.</p>\n\n<figure class=\"wp-block-image\"><img src=\"a.jpg\" alt=\"\"/></figure>"
        );
    }

    #[test]
    fn classic_content_gets_paragraphs_and_line_breaks() {
        let converted =
            convert("Premier.\nMême paragraphe.\n\nSecond.\n\n<h2>Titre</h2>\n\n<pre>a\n\nb</pre>");
        assert_eq!(
            converted.body,
            "<p>Premier.<br>\nMême paragraphe.</p>\n\n<p>Second.</p>\n\n<h2>Titre</h2>\n\n<pre>a\n\nb</pre>"
        );
    }

    #[test]
    fn captions_become_figures_and_embeds_stand_alone() {
        let converted = convert(
            "[caption id=\"attachment_9\" align=\"alignnone\" width=\"300\"]<a href=\"x\"><img src=\"boat.jpg\" alt=\"Un bateau\" /></a> Le lac, le matin[/caption]\n\n[embed]https://www.youtube.com/watch?v=abc[/embed]",
        );
        assert_eq!(
            converted.body,
            "<figure><img src=\"boat.jpg\" alt=\"Un bateau\" /><figcaption>Le lac, le matin</figcaption></figure>\n\nhttps://www.youtube.com/watch?v=abc"
        );
        assert!(converted.unknown_shortcodes.is_empty());
    }

    #[test]
    fn galleries_are_listed_and_unknown_shortcodes_reported() {
        let converted = convert(
            "Avant.\n\n[gallery ids=\"4, 7\"]\n\n[contact-form-7 id=\"1\"] et [audio src=\"a.mp3\"]",
        );
        assert_eq!(converted.gallery_ids, [4, 7]);
        assert!(converted.body.contains(&gallery_placeholder(7)));
        assert_eq!(converted.unknown_shortcodes, ["contact-form-7", "audio"]);
        assert!(
            converted.body.contains("[contact-form-7 id=\"1\"]"),
            "kept as text"
        );
    }
}
