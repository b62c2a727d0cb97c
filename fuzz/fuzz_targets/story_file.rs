//! Story files (`rotative import story`): TOML front matter, then a Markdown body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = rotative_import::parse_story(text);
});
