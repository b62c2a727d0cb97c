//! Uploaded files: type detection, then decoding and re-encoding without metadata.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotative_media::{PixelLimit, clean, inspect};

fuzz_target!(|bytes: &[u8]| {
    let _ = inspect(bytes);
    // Four megapixels: as strict as the server's limit in kind, small enough for the
    // fuzzer's memory limit.
    if let Ok(image) = clean(bytes, PixelLimit(4_000_000)) {
        assert!(image.width > 0 && image.height > 0);
    }
});
