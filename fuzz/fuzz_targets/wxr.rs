//! WordPress exports (`rotative import wordpress`): the streaming WXR reader, then the
//! conversion of each post's HTML into a story body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotative_import::{wp_content, wxr::WxrReader};

fuzz_target!(|bytes: &[u8]| {
    let mut reader = WxrReader::new(bytes);
    // Each entry is read until the export ends or is found broken; a broken one ends the read,
    // as it ends an import.
    while let Ok(Some(entry)) = reader.next_entry() {
        if let rotative_import::wxr::Entry::Item(item) = entry {
            let _ = wp_content::convert(&item.content);
        }
    }
});
