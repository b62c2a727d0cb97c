//! How pages point at a stored image: its resized copies, so a phone downloads a phone-sized file.

use rotative_domain::Figure;
use rotative_media::{ImageKind, StorageKey, variant_widths};
use serde::Serialize;

use crate::media_url;

/// An image as `<picture>` needs it: WebP copies first, copies in the original format for
/// browsers without WebP, the largest copy as `src`, and the original's proportions so the page
/// does not move while it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PictureView {
    pub src: String,
    pub srcset: Option<String>,
    pub webp_srcset: Option<String>,
    pub width: u32,
    pub height: u32,
}

fn srcset(key: &StorageKey, widths: &[u32], kind: ImageKind) -> String {
    widths
        .iter()
        .map(|&w| format!("{} {w}w", media_url(key.variant(w, kind).as_ref())))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PictureView {
    /// A moving image keeps its original (the copies are stills); so does one too small to
    /// have copies.
    pub fn new(key: &str, width: u32, height: u32, animated: bool) -> Self {
        let widths: Vec<u32> = variant_widths(width).collect();
        let parsed = StorageKey::parse(key)
            .ok()
            .filter(|_| !animated && !widths.is_empty());
        let Some(parsed) = parsed else {
            return Self {
                src: media_url(key),
                srcset: None,
                webp_srcset: None,
                width,
                height,
            };
        };
        let kind = parsed.kind();
        let largest = widths.last().copied().unwrap_or(width);
        Self {
            src: media_url(parsed.variant(largest, kind).as_ref()),
            srcset: Some(srcset(&parsed, &widths, kind)),
            webp_srcset: (kind != ImageKind::WebP)
                .then(|| srcset(&parsed, &widths, ImageKind::WebP)),
            width,
            height,
        }
    }

    pub fn of(figure: &Figure) -> Self {
        Self::new(&figure.key, figure.width, figure.height, figure.animated)
    }
}

/// One file a stored image is offered as: the original or one of its resized copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageFile {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub media_type: &'static str,
}

impl ImageFile {
    /// Every file of an image: each resized copy in its own format and in WebP, smallest first,
    /// then the original. A moving image, or one too small for copies, has its original only.
    pub fn all_of(figure: &Figure) -> Vec<Self> {
        Self::of_image(&figure.key, figure.width, figure.height, figure.animated)
    }

    /// Every file of the image stored under `key`, as [`Self::all_of`] lists them.
    pub fn of_image(key: &str, width: u32, height: u32, animated: bool) -> Vec<Self> {
        let original = |kind: Option<ImageKind>| Self {
            url: media_url(key),
            width,
            height,
            media_type: kind.map_or("application/octet-stream", ImageKind::content_type),
        };
        let Ok(stored) = StorageKey::parse(key) else {
            return vec![original(None)];
        };
        let kind = stored.kind();
        let mut files = Vec::new();
        if !animated {
            let kinds: &[ImageKind] = if kind == ImageKind::WebP {
                &[ImageKind::WebP]
            } else {
                &[kind, ImageKind::WebP]
            };
            for copy_width in variant_widths(width) {
                let copy_height = rotative_media::process::scaled_height(width, height, copy_width);
                files.extend(kinds.iter().map(|&copy| Self {
                    url: media_url(stored.variant(copy_width, copy).as_ref()),
                    width: copy_width,
                    height: copy_height,
                    media_type: copy.content_type(),
                }));
            }
        }
        files.push(original(Some(kind)));
        files
    }
}

/// The file social networks and feed readers show for a story: the largest copy in the
/// original format (widely understood, never the full camera file), and its size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedImage {
    pub path: String,
    pub width: u32,
    pub height: u32,
}

impl SharedImage {
    pub fn of(figure: &Figure) -> Self {
        let largest = variant_widths(figure.width).last();
        match (StorageKey::parse(&figure.key), largest) {
            (Ok(key), Some(width)) if !figure.animated => Self {
                path: media_url(key.variant(width, key.kind()).as_ref()),
                width,
                height: rotative_media::process::scaled_height(figure.width, figure.height, width),
            },
            _ => Self {
                path: media_url(&figure.key),
                width: figure.width,
                height: figure.height,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef.jpg";
    const HASH: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_large_photo_offers_each_width_in_webp_and_jpeg() {
        let view = PictureView::new(KEY, 3000, 2000, false);
        assert_eq!(view.src, format!("/media/{HASH}-1600.jpg"));
        assert_eq!(
            view.webp_srcset.unwrap(),
            format!(
                "/media/{HASH}-320.webp 320w, /media/{HASH}-640.webp 640w, /media/{HASH}-1024.webp 1024w, /media/{HASH}-1600.webp 1600w"
            )
        );
        assert!(view.srcset.unwrap().ends_with("-1600.jpg 1600w"));
        assert_eq!((view.width, view.height), (3000, 2000));
    }

    #[test]
    fn an_image_lists_each_copy_in_both_formats_then_its_original() {
        let figure = Figure {
            media: rotative_domain::MediaId(1),
            key: KEY.to_owned(),
            width: 800,
            height: 400,
            animated: false,
            alt: rotative_domain::AltText::parse("Une photo").unwrap(),
            caption: None,
            credit: None,
        };
        let files = ImageFile::all_of(&figure);
        let urls: Vec<_> = files
            .iter()
            .map(|f| (f.url.as_str(), f.width, f.height, f.media_type))
            .collect();
        assert_eq!(
            urls,
            [
                (
                    format!("/media/{HASH}-320.jpg").as_str(),
                    320,
                    160,
                    "image/jpeg"
                ),
                (
                    format!("/media/{HASH}-320.webp").as_str(),
                    320,
                    160,
                    "image/webp"
                ),
                (
                    format!("/media/{HASH}-640.jpg").as_str(),
                    640,
                    320,
                    "image/jpeg"
                ),
                (
                    format!("/media/{HASH}-640.webp").as_str(),
                    640,
                    320,
                    "image/webp"
                ),
                (format!("/media/{KEY}").as_str(), 800, 400, "image/jpeg"),
            ]
        );
        let moving = ImageFile::all_of(&Figure {
            animated: true,
            ..figure
        });
        assert_eq!(moving.len(), 1);
    }

    #[test]
    fn small_or_moving_images_are_served_as_uploaded() {
        for view in [
            PictureView::new(KEY, 300, 200, false),
            PictureView::new(KEY, 3000, 2000, true),
        ] {
            assert_eq!(view.src, format!("/media/{KEY}"));
            assert_eq!((view.srcset, view.webp_srcset), (None, None));
        }
        let webp = PictureView::new(&format!("{HASH}.webp"), 700, 400, false);
        assert_eq!(webp.webp_srcset, None);
        assert!(webp.srcset.unwrap().contains("-640.webp 640w"));
    }
}
