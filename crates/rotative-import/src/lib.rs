//! Rotative's importers: content written elsewhere, brought in through the same rules as the
//! newsroom's own.
//! Owns: the story-file format (TOML front matter + Markdown) and turning files into stored
//! stories; reading WordPress exports (WXR) as a stream.
//! Never: HTTP, or writing anything before the whole input has been checked.

mod story;
mod wordpress;
pub mod wxr;

pub use story::{
    ImportedStory, Importer, StoryError, StoryFile, StoryStatus, name_images_by_key, parse_story,
};
pub use wordpress::{ImportReport, WordPressError, WordPressImporter, content as wp_content};
