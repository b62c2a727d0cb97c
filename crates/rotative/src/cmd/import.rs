//! `rotative import story FILE`

use std::path::Path;

use anyhow::Context;
use rotative_import::Importer;

use crate::{cli::SiteArgs, site::OpenSite};

/// The address a site answers on when nothing else is said (the default `--listen`).
const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";

pub async fn story(file: &Path, args: &SiteArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    let theme = OpenSite::theme(None)?;
    let importer = Importer {
        store: &site.store,
        storage: &site.storage,
        theme: &theme,
        time_zone: &site.time_zone,
    };
    let story = importer
        .import_file(file)
        .await
        .with_context(|| file.display().to_string())?;
    match story.path {
        Some(path) => println!(
            "{}",
            site.site(args, DEFAULT_BASE_URL).absolute(path.as_ref())
        ),
        None => println!("draft saved (story {})", story.id),
    }
    site.store.close().await;
    Ok(())
}
