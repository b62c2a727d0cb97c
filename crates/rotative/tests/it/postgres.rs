//! The same binary on PostgreSQL (`--database postgres://…`), from `ROTATIVE_TEST_DATABASE_URL`:
//! skipped without it, except in CI where it must run.

use std::process::Stdio;

use crate::helpers::{Server, rotative};

use rotative_test_support::postgres as postgres_schema;

/// A fresh schema of its own in the test database, and the address that selects it.
pub fn fresh_database(name: &str) -> Option<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(postgres_schema::fresh_schema(&format!(
        "cli_{name}_{}",
        std::process::id()
    )))
}

/// Ten instances starting at once on an empty database: the migrations are applied once, under
/// PostgreSQL's advisory lock, and every instance comes up.
#[test]
fn ten_instances_start_at_once_on_one_database() {
    let Some(database) = fresh_database("start") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..10)
        .map(|i| {
            rotative()
                .args(["check", "--database", &database, "--data"])
                .arg(dir.path().join(format!("instance-{i}")))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_new_postgres_database_gets_no_demo_unless_asked() {
    let Some(database) = fresh_database("nodemo") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path(), &["--database", &database]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.body.matches("class=\"card\"").count(),
        0,
        "{}",
        home.body
    );
    assert!(home.body.contains("Aucun article"), "{}", home.body);
    assert!(server.terminate().success());
}

#[test]
fn serve_on_postgres_publishes_the_demo_site() {
    let Some(database) = fresh_database("serve") else {
        return;
    };
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // Two instances start at once on the new database: one of them adds the demo, once.
    let (server, other) = std::thread::scope(|scope| {
        let first = scope.spawn(|| Server::start(one.path(), &["--database", &database, "--demo"]));
        let second =
            scope.spawn(|| Server::start(two.path(), &["--database", &database, "--demo"]));
        (first.join().unwrap(), second.join().unwrap())
    });
    assert!(
        !one.path().join("rotative.db").exists(),
        "no SQLite file next to a PostgreSQL site"
    );
    let sitemap = server.get("/sitemaps/articles-1.xml").body;
    assert!(sitemap.matches("<loc>").count() >= 12, "{sitemap}");
    assert!(
        !sitemap.contains("-2</loc>"),
        "each demo story once: {sitemap}"
    );
    assert!(other.terminate().success());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.matches("class=\"card\"").count() >= 12,
        "demo stories"
    );
    let first = home
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/monde/2"))
        .unwrap()
        .to_owned();
    assert_eq!(server.get(&first).status, 200, "{first}");
    assert_eq!(server.get("/feed.atom").status, 200);
    assert_eq!(server.get("/recherche?q=monde").status, 200);
    assert!(server.terminate().success());
}

/// An import writes thousands of rows at once: on PostgreSQL it leaves them vacuumed and
/// analysed, so index-only reads (a section's count, the sitemaps) do not go back to the table
/// whether or not autovacuum runs on the server.
#[test]
fn an_import_leaves_postgres_tables_ready_for_index_only_reads() {
    let Some(database) = fresh_database("import") else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/wxr/64-block-test-data.xml");
    let output = rotative()
        .args(["import", "wordpress", "--database", &database, "--data"])
        .arg(data.path())
        .arg(&export)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let vacuumed: i64 = runtime.block_on(async {
        use sqlx::{Connection, PgConnection};
        let mut connection = PgConnection::connect(&database).await.unwrap();
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_user_tables
             WHERE schemaname = current_schema() AND relname IN ('articles', 'revisions')
               AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL",
        )
        .fetch_one(&mut connection)
        .await
        .unwrap()
    });
    assert_eq!(vacuumed, 2);
}
