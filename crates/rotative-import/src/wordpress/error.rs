//! What stops a WordPress import as a whole (an item that cannot be imported is reported and
//! skipped instead).

use std::path::PathBuf;

use rotative_store::StoreError;
use thiserror::Error;

use crate::wxr::WxrProblem;

#[derive(Debug, Error)]
pub enum WordPressError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {problem}")]
    Xml {
        path: PathBuf,
        line: u64,
        column: u64,
        problem: WxrProblem,
    },
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("media storage: {0}")]
    Media(#[from] rotative_media::MediaError),
}
