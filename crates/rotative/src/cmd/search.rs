//! `rotative search reindex`: rebuilds this site's search index from the database.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use rotative_search::SearchIndex;

use crate::{cli::SiteArgs, site::OpenSite};

const BAR_WIDTH: u64 = 30;

pub async fn reindex(args: &SiteArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    let index = SearchIndex::open(&args.data.join("search-index"))
        .context("cannot open the search index")?;
    let terminal = std::io::stderr().is_terminal();
    let mut last_line = 0;
    let indexed = index
        .rebuild(&site.store, |done, total| {
            if terminal {
                let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(BAR_WIDTH);
                let bar: String = (0..BAR_WIDTH)
                    .map(|i| if i < filled { '#' } else { '-' })
                    .collect();
                eprint!("\r[{bar}] {done}/{total}");
                let _ = std::io::stderr().flush();
            } else if done - last_line >= 1000 || done == total {
                eprintln!("indexed {done}/{total}");
                last_line = done;
            }
        })
        .await
        .context("cannot rebuild the search index")?;
    if terminal {
        eprintln!();
    }
    println!("search index rebuilt: {indexed} stories read");
    site.store.close().await;
    Ok(())
}
