//! Rotative's media: what an uploaded file really is, where its bytes live, and the illustrations
//! the project draws itself for demo content.
//! Owns: type detection by content, image measurement, content-addressed storage keys, storage.
//! Never: database records or HTML — callers record what this crate stored.

mod error;
pub mod illustration;
mod inspect;
pub mod process;
mod storage;

pub use error::MediaError;
pub use inspect::{ImageInfo, ImageKind, inspect};
pub use process::{
    CleanImage, MAX_DECODED_BYTES, PixelLimit, Variant, clean, decoded_size, variant_widths,
    variants,
};
pub use storage::{ByteRange, MediaStorage, ReadOutcome, StorageKey, StoredRead};
