//! Opening a site from the command-line flags: database, media storage, theme and settings.

use std::path::PathBuf;

use anyhow::Context;
use jiff::tz::TimeZone;
use rotative_media::MediaStorage;
use rotative_render::{Site, Theme};
use rotative_store::Store;

use crate::{cli::SiteArgs, config::SiteSettings};

pub struct OpenSite {
    pub store: Store,
    pub storage: MediaStorage,
    pub settings: SiteSettings,
    pub time_zone: TimeZone,
}

/// The SQLite file the flags name (DATA/rotative.db by default), or `None` for a PostgreSQL
/// server (`postgres://…`), shared by every instance of a site.
pub fn sqlite_path(args: &SiteArgs) -> Option<PathBuf> {
    match args.database.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => None,
        other => Some(other.map_or_else(
            || args.data.join("rotative.db"),
            |url| PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url)),
        )),
    }
}

/// The local media folder the flags name (DATA/media by default), or `None` for an
/// S3-compatible bucket (`s3://bucket/prefix`).
pub fn media_folder(args: &SiteArgs) -> Option<PathBuf> {
    match args.media.as_deref() {
        Some(url) if url.starts_with("s3://") => None,
        other => Some(other.map_or_else(
            || args.data.join("media"),
            |url| PathBuf::from(url.strip_prefix("file://").unwrap_or(url)),
        )),
    }
}

async fn open_store(args: &SiteArgs) -> anyhow::Result<Store> {
    match (sqlite_path(args), args.database.as_deref()) {
        (Some(path), _) => Store::open_sqlite(&path)
            .await
            .with_context(|| format!("cannot open database {}", path.display())),
        (None, url) => {
            let url = url.unwrap_or_default();
            // The address may carry a password: only its host part goes into messages.
            let host = url.rsplit('@').next().unwrap_or("the server");
            Store::open_postgres(url)
                .await
                .with_context(|| format!("cannot open the PostgreSQL database at {host}"))
        }
    }
}

async fn open_storage(args: &SiteArgs) -> anyhow::Result<MediaStorage> {
    match (media_folder(args), args.media.as_deref()) {
        (Some(folder), _) => MediaStorage::local(&folder)
            .await
            .with_context(|| format!("cannot open media folder {}", folder.display())),
        (None, url) => {
            let url = url.unwrap_or_default();
            MediaStorage::s3(url, &[]).with_context(|| format!("cannot use the media bucket {url}"))
        }
    }
}

impl OpenSite {
    /// Opens (creating if needed) the site's data folder, database and media storage.
    pub async fn open(args: &SiteArgs) -> anyhow::Result<Self> {
        let settings =
            SiteSettings::load(args.config.as_deref(), &args.data.join("rotative.toml"))?;
        let time_zone = TimeZone::get(&settings.time_zone)
            .with_context(|| format!("unknown time zone `{}`", settings.time_zone))?;
        std::fs::create_dir_all(&args.data)
            .with_context(|| format!("cannot create data folder {}", args.data.display()))?;
        let store = open_store(args).await?;
        let renamed = rotative_import::name_images_by_key(&store)
            .await
            .context("cannot name story images by their library keys")?;
        if renamed > 0 {
            tracing::info!(texts = renamed, "story images now named by library key");
        }
        let storage = open_storage(args).await?;
        Ok(Self {
            store,
            storage,
            settings,
            time_zone,
        })
    }

    /// The public identity of the site; `fallback_base_url` is used when neither the flag nor
    /// the settings file gives one.
    pub fn site(&self, args: &SiteArgs, fallback_base_url: &str) -> Site {
        let base_url = args
            .base_url
            .clone()
            .or_else(|| self.settings.base_url.clone())
            .unwrap_or_else(|| fallback_base_url.to_owned());
        Site {
            name: self.settings.name.clone(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            description: self.settings.description.clone(),
            time_zone: self.time_zone.clone(),
            feed_full_text: self.settings.feed_full_text,
            page_size: self.settings.page_size,
        }
    }

    pub fn theme(folder: Option<&std::path::Path>) -> anyhow::Result<Theme> {
        match folder {
            Some(folder) => Theme::with_overrides(folder).context("cannot load theme"),
            None => Ok(Theme::embedded()),
        }
    }
}
