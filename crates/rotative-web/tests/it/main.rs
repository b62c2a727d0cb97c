//! The public site through the real router, on a real SQLite database and media folder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

mod api;
mod canonical;
mod connections;
mod crawlers;
mod drafts;
mod feeds;
mod front_page;
mod heavy_input;
mod helpers;
mod hostile;
mod invitations;
mod media;
mod newsroom;
mod notifications;
mod page_cache;
mod pages;
mod password_resets;
mod responses;
mod search;
mod security;
mod sign_in;
mod site_pages;
mod two_factor;
