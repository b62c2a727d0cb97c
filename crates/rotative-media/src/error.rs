use thiserror::Error;

#[derive(Debug, Error)]
pub enum MediaError {
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    UnsupportedType,
    #[error("the image is damaged or truncated: {0}")]
    Corrupt(String),
    #[error("the image is {width}×{height} pixels, above the limit of {limit} pixels")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("`{0}` is not a media key")]
    InvalidKey(String),
    #[error("media storage failed")]
    Io(#[from] std::io::Error),
    #[error("media storage failed: {0}")]
    Storage(#[from] object_store::Error),
    #[error("the media address is not valid: {0}")]
    Address(String),
    #[error("could not encode the image: {0}")]
    Encode(String),
}
