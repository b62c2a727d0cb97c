//! What uploads may be and what they may take: the operator's limits, why an upload is refused,
//! the queue of resized copies to make, and the memory budget for decoding images.

use std::{sync::Arc, time::Duration};

use rotative_media::PixelLimit;
use rotative_newsroom::Busy;
use thiserror::Error;
use tokio::sync::{Mutex, Notify, OwnedSemaphorePermit, Semaphore};

/// What an upload may be; set by the operator (`--max-upload-mb`), checked before anything is
/// stored.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub max_bytes: u64,
    pub pixels: PixelLimit,
}

impl Default for UploadLimits {
    /// 25 MB: a full-resolution photo from any current camera, with room to spare.
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            pixels: PixelLimit::default(),
        }
    }
}

/// Why an upload was refused; each becomes its own status and French message.
#[derive(Debug, Error)]
pub enum UploadError {
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("not an accepted image type")]
    UnsupportedType,
    #[error("too many pixels: {width}×{height}")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("damaged image: {0}")]
    Corrupt(String),
    #[error("the form holds no file")]
    NoFile,
}

/// The resized copies still to make: one maker at a time on this instance, woken by uploads.
#[derive(Debug, Default)]
pub struct VariantQueue {
    wanted: Notify,
    /// Held by the one maker at work.
    pub(crate) making: Mutex<()>,
}

impl VariantQueue {
    /// Wakes the background maker.
    pub fn wake(&self) {
        self.wanted.notify_one();
    }

    /// Waits until an upload asks for copies.
    pub async fn wanted(&self) {
        self.wanted.notified().await;
    }
}

/// Memory that images being decoded may take at once on this instance, in MiB: a few large
/// photos side by side, whatever number of uploads arrive together.
const DECODE_BUDGET_MIB: u32 = 512;
/// How long a decode waits for room in the budget before the upload is refused as too busy.
const DECODE_WAIT: Duration = Duration::from_secs(30);

/// The memory budget for decoding images: each decode reserves what its image will take (read
/// from the header) and gives it back when done, so six large uploads at once queue instead of
/// taking six times the memory.
pub(crate) struct DecodeBudget(Arc<Semaphore>);

impl Default for DecodeBudget {
    fn default() -> Self {
        Self(Arc::new(Semaphore::new(DECODE_BUDGET_MIB as usize)))
    }
}

impl DecodeBudget {
    /// Reserves `needed` bytes of the budget (the file itself, the picture decoded, and a
    /// second picture for turning it upright or resizing it), waiting for room.
    pub(crate) async fn reserve(&self, needed: u64) -> Result<OwnedSemaphorePermit, Busy> {
        let mib = u32::try_from(needed >> 20)
            .unwrap_or(u32::MAX)
            .clamp(1, DECODE_BUDGET_MIB);
        tokio::time::timeout(DECODE_WAIT, Arc::clone(&self.0).acquire_many_owned(mib))
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)
    }
}
