use std::io::Cursor;

use image::{ImageFormat, ImageReader};

use crate::MediaError;

/// The image formats Rotative accepts; anything else (SVG included: it can carry scripts) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl ImageKind {
    /// Decided by the file's first bytes, never by its name.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(Self::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Self::Png),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(Self::WebP),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(Self::Gif),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
            Self::Gif => "gif",
        }
    }

    /// The inverse of `extension`, for keys read back from URLs.
    pub fn from_extension(ext: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::WebP, Self::Gif]
            .into_iter()
            .find(|kind| kind.extension() == ext)
    }

    pub(crate) fn format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::WebP => ImageFormat::WebP,
            Self::Gif => ImageFormat::Gif,
        }
    }
}

/// What pages need to know of an image before showing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
}

/// Identifies and measures an image from its bytes, reading only its header.
pub fn inspect(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    let kind = ImageKind::sniff(bytes).ok_or(MediaError::UnsupportedType)?;
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), kind.format())
        .into_dimensions()
        .map_err(|e| MediaError::Corrupt(e.to_string()))?;
    if width == 0 || height == 0 {
        return Err(MediaError::Corrupt("the image has no pixels".into()));
    }
    Ok(ImageInfo {
        kind,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::illustration;

    #[test]
    fn type_comes_from_content_not_name() {
        let jpeg = illustration::draw("essai", 64, 36).unwrap();
        let info = inspect(&jpeg).unwrap();
        assert_eq!(
            (info.kind, info.width, info.height),
            (ImageKind::Jpeg, 64, 36)
        );
        assert!(matches!(
            inspect(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Err(MediaError::UnsupportedType)
        ));
        assert!(matches!(inspect(&jpeg[..20]), Err(MediaError::Corrupt(_))));
    }

    #[test]
    fn extensions_round_trip() {
        for kind in [
            ImageKind::Jpeg,
            ImageKind::Png,
            ImageKind::WebP,
            ImageKind::Gif,
        ] {
            assert_eq!(ImageKind::from_extension(kind.extension()), Some(kind));
        }
        assert_eq!(ImageKind::from_extension("svg"), None);
    }
}
