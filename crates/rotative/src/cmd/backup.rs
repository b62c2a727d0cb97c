//! `rotative backup FILE` and `rotative restore FILE`: a site on SQLite and local media, kept
//! in one tar file and brought back on an empty data folder.
//!
//! The file holds `rotative-backup.toml` (what made it), `rotative.db` (a copy taken from one
//! snapshot while the site runs), `rotative.toml` when the site has one, and `media/…`. Media
//! files are written once and never changed, and a story's row is saved only after its images
//! are stored, so copying the folder after the database gives every image the copy names.

use std::{
    fs::File,
    io::{BufReader, BufWriter},
    path::{Component, Path, PathBuf},
};

use anyhow::{Context, bail};
use rotative_media::StorageKey;
use rotative_search::SearchIndex;
use rotative_store::Store;
use serde::{Deserialize, Serialize};

use crate::{
    cli::SiteArgs,
    site::{self, OpenSite},
};

const MANIFEST: &str = "rotative-backup.toml";
const DATABASE: &str = "rotative.db";
const SETTINGS: &str = "rotative.toml";
const MEDIA: &str = "media";
/// Raised when the layout of the file changes; restore refuses formats it does not know.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    /// The version of Rotative that wrote the file.
    written_by: String,
    created: jiff::Timestamp,
    media_files: u64,
}

/// What these commands cannot copy: PostgreSQL databases and buckets have their own tools.
fn local_site(args: &SiteArgs) -> anyhow::Result<(PathBuf, PathBuf)> {
    let Some(database) = site::sqlite_path(args) else {
        bail!(
            "this site's database is on PostgreSQL: back it up with pg_dump (docs/operations.md, \
             Backups)"
        );
    };
    let Some(media) = site::media_folder(args) else {
        bail!(
            "this site's media are in an S3 bucket: copy the bucket with its own tools \
             (docs/operations.md, Backups)"
        );
    };
    Ok((database, media))
}

pub async fn backup(file: &Path, args: &SiteArgs) -> anyhow::Result<()> {
    let (database, media) = local_site(args)?;
    if !database.exists() {
        bail!("no site at {}: nothing to back up", database.display());
    }
    let site = OpenSite::open(args).await?;
    let work = tempfile::Builder::new()
        .prefix(".rotative-backup-")
        .tempdir_in(parent_of(file))
        .with_context(|| format!("cannot write next to {}", file.display()))?;
    let copy = work.path().join(DATABASE);
    site.store
        .copy_to(&copy)
        .await
        .context("cannot copy the database")?;
    site.store.close().await;

    let partial = work.path().join("backup.tar");
    let settings = args
        .config
        .clone()
        .unwrap_or_else(|| args.data.join(SETTINGS));
    let media_files = write_archive(&partial, &copy, &media, &settings)?;
    std::fs::rename(&partial, file).with_context(|| format!("cannot write {}", file.display()))?;
    println!(
        "backed up {} with {media_files} media files to {}",
        database.display(),
        file.display()
    );
    Ok(())
}

fn parent_of(file: &Path) -> &Path {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn write_archive(to: &Path, database: &Path, media: &Path, settings: &Path) -> anyhow::Result<u64> {
    let mut files = Vec::new();
    if media.is_dir() {
        for entry in std::fs::read_dir(media).context("cannot read the media folder")? {
            let entry = entry?;
            // Media files only: an upload being written is a staging file under another name,
            // left for the next backup.
            let is_media = entry
                .file_name()
                .to_str()
                .is_some_and(|name| StorageKey::parse(name).is_ok());
            if is_media && entry.file_type()?.is_file() {
                files.push(entry.file_name());
            }
        }
    }
    files.sort();
    let now = jiff::Timestamp::now();
    let manifest = Manifest {
        format: FORMAT,
        written_by: env!("CARGO_PKG_VERSION").to_owned(),
        created: now,
        media_files: files.len() as u64,
    };
    let mut archive = tar::Builder::new(BufWriter::new(File::create(to)?));
    let manifest = toml::to_string(&manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(now.as_second().try_into().unwrap_or(0));
    header.set_cksum();
    archive.append_data(&mut header, MANIFEST, manifest.as_bytes())?;
    archive.append_path_with_name(database, DATABASE)?;
    if settings.is_file() {
        archive.append_path_with_name(settings, SETTINGS)?;
    }
    for name in &files {
        archive
            .append_path_with_name(media.join(name), Path::new(MEDIA).join(name))
            .with_context(|| format!("cannot read media file {}", name.to_string_lossy()))?;
    }
    archive.into_inner()?.into_inner()?.sync_all()?;
    Ok(files.len() as u64)
}

pub async fn restore(file: &Path, args: &SiteArgs) -> anyhow::Result<()> {
    let (database, media) = local_site(args)?;
    if database.exists() {
        bail!(
            "{} exists: restore only onto an empty data folder, so that nothing is overwritten",
            database.display()
        );
    }
    if media.is_dir() && std::fs::read_dir(&media)?.next().is_some() {
        bail!(
            "{} holds files: restore only onto an empty data folder",
            media.display()
        );
    }
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create data folder {}", args.data.display()))?;
    let work = tempfile::Builder::new()
        .prefix(".rotative-restore-")
        .tempdir_in(&args.data)?;
    let manifest = unpack(file, work.path())
        .with_context(|| format!("{} is not a usable Rotative backup", file.display()))?;

    // The copy is checked, and brought up to this version's schema, before anything moves.
    let unpacked = work.path().join(DATABASE);
    let store = Store::open_sqlite(&unpacked)
        .await
        .context("cannot open the database in the backup")?;
    let problems = store.integrity_problems().await?;
    store.close().await;
    if !problems.is_empty() {
        bail!(
            "the database in the backup is damaged: {}",
            problems.join("; ")
        );
    }
    std::fs::create_dir_all(&media)?;
    let unpacked_media = work.path().join(MEDIA);
    if unpacked_media.is_dir() {
        for entry in std::fs::read_dir(&unpacked_media)? {
            let entry = entry?;
            let to = media.join(entry.file_name());
            // A media folder on another disk cannot take a rename: copied then.
            if std::fs::rename(entry.path(), &to).is_err() {
                std::fs::copy(entry.path(), &to)?;
            }
        }
    }
    let settings = work.path().join(SETTINGS);
    if settings.is_file() && !args.data.join(SETTINGS).exists() {
        std::fs::rename(settings, args.data.join(SETTINGS))?;
    }
    // Last: until the database is in place, the folder is not a site. Closing the store
    // folded its write-ahead log into the file; any log left goes along with it.
    for suffix in ["-wal", "-shm"] {
        let log = PathBuf::from(format!("{}{suffix}", unpacked.display()));
        if log.exists() {
            std::fs::rename(&log, format!("{}{suffix}", database.display()))?;
        }
    }
    std::fs::rename(&unpacked, &database)?;

    let site = OpenSite::open(args).await?;
    let index = SearchIndex::open(&args.data.join("search-index"))
        .context("cannot open the search index")?;
    let indexed = index
        .rebuild(&site.store, |_, _| {})
        .await
        .context("cannot rebuild the search index")?;
    site.store.close().await;
    println!(
        "restored the backup of {} ({} media files, {indexed} stories indexed) into {}",
        manifest.created,
        manifest.media_files,
        args.data.display()
    );
    Ok(())
}

/// Unpacks the archive into `into`, taking only the names a backup holds: anything else (a
/// path that climbs out, a link, a device) means the file is not one of ours.
fn unpack(file: &Path, into: &Path) -> anyhow::Result<Manifest> {
    let reader = BufReader::new(File::open(file).context("cannot open the file")?);
    let mut archive = tar::Archive::new(reader);
    let mut manifest = None;
    let mut has_database = false;
    for entry in archive.entries()? {
        let mut entry = entry.context("the file is damaged or cut short")?;
        let path = entry.path()?.into_owned();
        if !entry.header().entry_type().is_file() {
            bail!("unexpected entry {}", path.display());
        }
        let parts: Vec<Component<'_>> = path.components().collect();
        let name = match parts.as_slice() {
            [Component::Normal(name)] => name.to_str().unwrap_or_default(),
            [Component::Normal(folder), Component::Normal(_)] if *folder == MEDIA => {
                std::fs::create_dir_all(into.join(MEDIA))?;
                entry
                    .unpack(into.join(&path))
                    .context("the file is damaged or cut short")?;
                continue;
            }
            _ => bail!("unexpected entry {}", path.display()),
        };
        match name {
            MANIFEST => {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut entry, &mut text)?;
                let read: Manifest = toml::from_str(&text).context("unreadable manifest")?;
                if read.format != FORMAT {
                    bail!(
                        "backup format {} (this version reads format {FORMAT})",
                        read.format
                    );
                }
                manifest = Some(read);
            }
            DATABASE | SETTINGS => {
                has_database |= name == DATABASE;
                entry
                    .unpack(into.join(name))
                    .context("the file is damaged or cut short")?;
            }
            _ => bail!("unexpected entry {}", path.display()),
        }
    }
    let manifest = manifest.context("no manifest: not a Rotative backup")?;
    if !has_database {
        bail!("no database in the backup");
    }
    Ok(manifest)
}
