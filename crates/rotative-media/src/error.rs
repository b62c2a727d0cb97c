use thiserror::Error;

#[derive(Debug, Error)]
pub enum MediaError {
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    UnsupportedType,
    #[error("the image is damaged or truncated: {0}")]
    Corrupt(String),
    #[error("`{0}` is not a media key")]
    InvalidKey(String),
    #[error("media storage failed")]
    Io(#[from] std::io::Error),
    #[error("could not encode the image: {0}")]
    Encode(String),
}
