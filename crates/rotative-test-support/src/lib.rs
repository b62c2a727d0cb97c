//! What Rotative's test suites share, as a crate their tests depend on: a fresh PostgreSQL schema
//! for each test, and a real S3-compatible server. Never a dependency of the program itself.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

pub mod postgres;
pub mod s3_server;
