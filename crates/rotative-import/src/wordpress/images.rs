//! Images of a WordPress post, taken from a copy of its `wp-content/uploads` folder into the
//! media library: checked and cleaned of metadata like any upload, placed in the body as
//! Rotative figures, their old addresses redirected to the new files. An image the folder does
//! not hold is left out of the story (readers' browsers never ask the old site) and listed.

use std::{
    collections::{BTreeSet, HashMap},
    path::{Component, Path, PathBuf},
    sync::LazyLock,
};

use regex::Regex;
use rotative_media::{MediaStorage, PixelLimit, clean};
use rotative_render::StoredImage;
use rotative_store::{MediaText, Store};

use rotative_newsroom::LibraryImage;

use super::{content::without_tags, error::WordPressError};

static FIGURE_OR_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<figure[^>]*>.*?</figure>|<img[^>]*>")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<img[^>]*?\ssrc=["']([^"']*)["']"#)
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static ALT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<img[^>]*?\salt=["']([^"']*)["']"#)
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<figcaption[^>]*>(.*?)</figcaption>")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static GALLERY_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!-- rotative:gallery-image (\d+) -->")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static SIZE_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-\d+x\d+(\.[A-Za-z]+)$").unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

const UPLOADS: &str = "/wp-content/uploads/";

/// A body with its images resolved: what `render_body` needs, and what the story records.
#[derive(Default)]
pub(crate) struct PlacedImages {
    pub body: String,
    pub images: HashMap<String, StoredImage>,
    /// In order of appearance; the first described one is the lead image.
    pub keys: Vec<String>,
    /// Old addresses of the files (`/wp-content/uploads/…`) and their new ones.
    pub redirects: Vec<(String, String)>,
}

/// Turns `&amp;` and friends back into text (attributes and captions come HTML-escaped), and
/// keeps characters that would end a Markdown image out of its description.
fn plain(html: &str) -> String {
    let text = without_tags(html);
    let text = text
        .replace("&amp;", "&")
        .replace("&quot;", "'")
        .replace("&#039;", "'")
        .replace("&lt;", "‹")
        .replace("&gt;", "›");
    text.replace(['"', '[', ']'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where an address points inside `wp-content/uploads` (`2024/03/pont.jpg`), without its query.
pub(crate) fn uploads_path(address: &str) -> Option<String> {
    let relative = address.split(UPLOADS).nth(1)?;
    relative.split(['?', '#']).next().map(str::to_owned)
}

/// The file an image address names in the uploads folder, if it is there. Sized copies
/// (`photo-300x200.jpg`) lead to the original; `..` never leaves the folder.
fn uploaded_file(uploads: &Path, address: &str) -> Option<(String, PathBuf)> {
    let relative = uploads_path(address)?;
    let relative = relative.as_str();
    let safe = Path::new(relative)
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    if !safe {
        return None;
    }
    let original = SIZE_SUFFIX.replace(relative, "$1").into_owned();
    [relative.to_owned(), original]
        .into_iter()
        .map(|candidate| {
            let path = uploads.join(&candidate);
            (candidate, path)
        })
        .find(|(_, path)| path.is_file())
}

pub struct ImagePlacer<'a> {
    pub store: &'a Store,
    pub storage: &'a MediaStorage,
    pub uploads: Option<&'a Path>,
    /// Attachment ids to their addresses, for galleries and featured images.
    pub attachments: &'a HashMap<u64, String>,
    /// Attachment pages (old paths) by the uploads path of their file.
    pub attachment_pages: &'a HashMap<String, String>,
}

impl ImagePlacer<'_> {
    /// Stores one image file and returns the figure that shows it, or `None` when the file is
    /// not in the uploads folder or is not an image Rotative accepts.
    async fn place(
        &self,
        address: &str,
        alt: &str,
        caption: &str,
        placed: &mut PlacedImages,
    ) -> Result<Option<String>, WordPressError> {
        let Some(uploads) = self.uploads else {
            return Ok(None);
        };
        let Some((relative, path)) = uploaded_file(uploads, address) else {
            return Ok(None);
        };
        let bytes = std::fs::read(&path).map_err(|source| WordPressError::Io {
            path: path.clone(),
            source,
        })?;
        let Ok(image) = clean(&bytes, PixelLimit::default()) else {
            return Ok(None);
        };
        let description = MediaText {
            alt: Some(alt.to_owned()).filter(|a| !a.is_empty()),
            caption: Some(caption.to_owned()).filter(|c| !c.is_empty()),
            credit: None,
        };
        let original_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let entry = LibraryImage::new(image, original_name, description);
        let key = entry.key;
        self.storage.put(&key, entry.bytes).await?;
        self.store.record_media(&entry.record).await?;
        // The address as the post wrote it (often a sized copy) and the original file both
        // lead to the stored image.
        let written = uploads_path(address).unwrap_or_else(|| relative.clone());
        for old in [&written, &relative] {
            placed
                .redirects
                .push((format!("{UPLOADS}{old}"), format!("/media/{key}")));
        }
        if let Some(page) = self.attachment_pages.get(&relative) {
            placed
                .redirects
                .push((page.clone(), format!("/media/{key}")));
        }
        placed.keys.push(key.to_string());
        placed.images.insert(key.to_string(), entry.stored);
        let title = if caption.is_empty() {
            String::new()
        } else {
            format!(" \"{caption}\"")
        };
        Ok(Some(format!("\n\n![{alt}](media:{key}{title})\n\n")))
    }

    /// Replaces each figure and image of `body` by a stored figure, or drops it (listed in
    /// `left_out`); a featured image not already shown goes first.
    pub async fn place_all(
        &self,
        body: &str,
        featured: Option<u64>,
        left_out: &mut BTreeSet<String>,
    ) -> Result<PlacedImages, WordPressError> {
        let mut placed = PlacedImages::default();
        let mut out = String::with_capacity(body.len());
        if let Some(address) = featured.and_then(|id| self.attachments.get(&id)) {
            // The same file, whichever size of it the text shows.
            let original = |address: &str| {
                uploads_path(address).map(|p| SIZE_SUFFIX.replace(&p, "$1").into_owned())
            };
            let shown = SOURCE.captures_iter(body).any(|found| {
                original(&found[1]).is_some() && original(&found[1]) == original(address)
            });
            if !shown {
                match self.place(address, "", "", &mut placed).await? {
                    Some(figure) => out.push_str(&figure),
                    None => {
                        left_out.insert(address.clone());
                    }
                }
            }
        }
        let body = GALLERY_IMAGE.replace_all(body, |found: &regex::Captures<'_>| {
            let id: u64 = found[1].parse().unwrap_or_default();
            match self.attachments.get(&id) {
                Some(address) => format!("<img src=\"{address}\" alt=\"\">"),
                None => format!("gallery image {id}"),
            }
        });
        let mut last = 0;
        for found in FIGURE_OR_IMAGE.find_iter(&body) {
            out.push_str(&body[last..found.start()]);
            last = found.end();
            let html = found.as_str();
            let Some(address) = SOURCE.captures(html).map(|c| c[1].to_owned()) else {
                out.push_str(html);
                continue;
            };
            let alt = ALT.captures(html).map(|c| plain(&c[1])).unwrap_or_default();
            let caption = CAPTION
                .captures(html)
                .map(|c| plain(&c[1]))
                .unwrap_or_default();
            match self.place(&address, &alt, &caption, &mut placed).await? {
                Some(figure) => out.push_str(&figure),
                None => {
                    left_out.insert(address);
                }
            }
        }
        out.push_str(&body[last..]);
        placed.body = out;
        Ok(placed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_addresses_lead_to_files_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("2024/03")).unwrap();
        std::fs::write(dir.path().join("2024/03/pont.jpg"), b"x").unwrap();
        let found = |address: &str| uploaded_file(dir.path(), address).map(|(r, _)| r);
        assert_eq!(
            found("https://old.example/wp-content/uploads/2024/03/pont.jpg").as_deref(),
            Some("2024/03/pont.jpg")
        );
        assert_eq!(
            found("https://old.example/wp-content/uploads/2024/03/pont-300x200.jpg?v=2").as_deref(),
            Some("2024/03/pont.jpg"),
            "a sized copy leads to the original"
        );
        assert_eq!(
            found("https://old.example/wp-content/uploads/../../etc/passwd"),
            None
        );
        assert_eq!(found("https://old.example/images/pont.jpg"), None);
    }

    #[test]
    fn descriptions_are_plain_text() {
        assert_eq!(
            plain("Le <b>pont</b> &amp; la \"rivière\" [1]"),
            "Le pont & la 'rivière' '1'"
        );
    }
}
