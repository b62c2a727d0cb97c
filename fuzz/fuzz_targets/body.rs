//! Story bodies: Markdown (with raw HTML in it) through the renderer and the sanitiser.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use rotative_render::{Theme, figure_sources, render_body};

fuzz_target!(|markdown: &str| {
    thread_local! {
        static THEME: Theme = Theme::embedded();
    }
    let _ = figure_sources(markdown);
    THEME.with(|theme| {
        // No image is known: a body naming one is refused, which is an answer too.
        if let Ok(html) = render_body(theme, markdown, &HashMap::new()) {
            assert!(!html.contains("<script"), "a script survived: {html}");
        }
    });
});
