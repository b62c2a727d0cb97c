//! `rotative check`: is everything this site needs reachable and sane? For operators before a
//! start, and for health scripts.

use anyhow::Context;
use rotative_search::SearchIndex;

use crate::{cli::SiteArgs, site::OpenSite};

pub async fn run(args: &SiteArgs, theme: Option<&std::path::Path>) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    println!(
        "ok   settings: site « {} », time zone {}",
        site.settings.name, site.settings.time_zone
    );
    site.store
        .ping()
        .await
        .context("database does not answer")?;
    let stories = site.store.count_articles().await?;
    let problems = site.store.integrity_problems().await?;
    if let Some(first) = problems.first() {
        anyhow::bail!(
            "database integrity: {first} ({} problem(s) in all)",
            problems.len()
        );
    }
    println!("ok   database: reachable, schema up to date, consistent, {stories} stories");
    site.storage
        .check_writable()
        .await
        .context("media storage is not writable")?;
    println!("ok   media: {} is writable", site.storage.location());
    SearchIndex::open(&args.data.join("search-index")).context("search index cannot be opened")?;
    println!("ok   search index: opens");
    OpenSite::theme(theme)?;
    println!("ok   theme: every template compiles");
    site.store.close().await;
    Ok(())
}
