//! The real `rotative` binary, driven as an operator would: files in, HTTP out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

mod api_tokens;
mod backup;
mod crash;
mod editor_markdown;
mod helpers;
mod import_story;
mod import_wordpress;
mod mail;
mod media_s3;
mod newsroom_browser;
mod postgres;
mod privacy;
mod scale;
mod scheduling;
mod seed;
mod serve;
mod validators;
mod webdriver;
mod webhooks;
mod wordpress_api;
