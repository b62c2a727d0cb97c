//! A fresh PostgreSQL schema for each test, in the database named by
//! `ROTATIVE_TEST_DATABASE_URL` (`scripts/test` sets it), so tests run side by side from an empty
//! start. Without that variable the PostgreSQL tests are skipped, except in CI where they must
//! run. Shared by the test crates that use PostgreSQL.

/// Creates (or empties) the schema `name` and returns the address that selects it.
pub async fn fresh_schema(name: &str) -> Option<String> {
    let Ok(url) = std::env::var("ROTATIVE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the PostgreSQL tests: set ROTATIVE_TEST_DATABASE_URL"
        );
        return None;
    };
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("PostgreSQL from ROTATIVE_TEST_DATABASE_URL");
    let reset = format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}");
    sqlx::Executor::execute(&mut admin, reset.as_str())
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{separator}options=-c%20search_path%3D{name}"))
}
