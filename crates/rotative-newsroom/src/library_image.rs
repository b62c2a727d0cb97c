//! A cleaned image as every way into the library hands it on (the importers, the newsroom's
//! upload): the media library's record, what the body renderer needs, and the bytes to store
//! under its key.

use rotative_media::{CleanImage, StorageKey};
use rotative_render::StoredImage;
use rotative_store::{MediaText, NewMedia};

pub struct LibraryImage {
    pub key: StorageKey,
    pub record: NewMedia,
    pub stored: StoredImage,
    pub bytes: Vec<u8>,
}

impl LibraryImage {
    pub fn new(image: CleanImage, original_name: Option<String>, description: MediaText) -> Self {
        let key = StorageKey::for_content(&image.bytes, image.kind);
        let stored = StoredImage {
            key: key.to_string(),
            width: image.width,
            height: image.height,
            animated: image.animated,
            alt: description.alt.clone(),
            caption: description.caption.clone(),
            credit: description.credit.clone(),
        };
        let record = NewMedia {
            storage_key: key.to_string(),
            content_type: image.kind.content_type().to_owned(),
            width: image.width,
            height: image.height,
            byte_size: u64::try_from(image.bytes.len()).unwrap_or(u64::MAX),
            original_name,
            animated: image.animated,
            description,
            uploaded_by: None,
        };
        Self {
            key,
            record,
            stored,
            bytes: image.bytes,
        }
    }
}
