use std::{fmt, ops::Range, path::PathBuf, sync::Arc};

use bytes::Bytes;
use futures_util::stream::BoxStream;
use object_store::{
    GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, aws::AmazonS3Builder,
    local::LocalFileSystem, path::Path as ObjectPath, prefix::PrefixStore,
};
use sha2::{Digest, Sha256};

use crate::{ImageKind, MediaError, process::VARIANT_WIDTHS};

/// The name a file is stored and served under: a hash of its content plus its real extension;
/// a variant adds its width (`HASH-640.webp`). Content addressing makes URLs safe to cache
/// forever and the same upload stored once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StorageKey(String);

const HASH_HEX_LEN: usize = 32;

impl StorageKey {
    pub fn for_content(bytes: &[u8], kind: ImageKind) -> Self {
        let digest = Sha256::digest(bytes);
        Self(format!(
            "{}.{}",
            hex::encode(&digest[..HASH_HEX_LEN / 2]),
            kind.extension()
        ))
    }

    /// The key of this original's copy at `width` pixels in `kind`.
    #[must_use]
    pub fn variant(&self, width: u32, kind: ImageKind) -> Self {
        Self(format!("{}-{width}.{}", self.hash(), kind.extension()))
    }

    fn hash(&self) -> &str {
        &self.0[..HASH_HEX_LEN]
    }

    /// Accepts only keys this crate could have made, so a URL can never name another file.
    pub fn parse(value: &str) -> Result<Self, MediaError> {
        let invalid = || MediaError::InvalidKey(value.chars().take(80).collect());
        let (stem, ext) = value.split_once('.').ok_or_else(invalid)?;
        let (hash, width) = match stem.split_once('-') {
            Some((hash, width)) => (hash, Some(width)),
            None => (stem, None),
        };
        let hash_ok = hash.len() == HASH_HEX_LEN
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        let width_ok = width.is_none_or(|width| {
            VARIANT_WIDTHS
                .iter()
                .any(|known| known.to_string() == width)
        });
        if hash_ok && width_ok && ImageKind::from_extension(ext).is_some() {
            Ok(Self(value.to_owned()))
        } else {
            Err(invalid())
        }
    }

    pub fn kind(&self) -> ImageKind {
        self.0
            .rsplit_once('.')
            .and_then(|(_, ext)| ImageKind::from_extension(ext))
            .unwrap_or(ImageKind::Jpeg)
    }

    fn location(&self) -> ObjectPath {
        ObjectPath::from(self.0.as_str())
    }
}

impl AsRef<str> for StorageKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Part of a stored file, as asked by a `Range` request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteRange {
    Bounded { start: u64, end_inclusive: u64 },
    From(u64),
    Last(u64),
}

/// A stored file being read: its full size, the bytes being sent, and their stream.
pub struct StoredRead {
    pub total_size: u64,
    pub range: Range<u64>,
    pub body: BoxStream<'static, Result<Bytes, object_store::Error>>,
}

/// What a read can come to besides the bytes.
pub enum ReadOutcome {
    Found(StoredRead),
    Missing,
    /// The range lies outside the file (HTTP 416); carries the file's size.
    RangeNotSatisfiable(u64),
}

/// Where media files live: a local folder by default (`--data DIR/media`), or an S3-compatible
/// bucket (`--media s3://bucket/prefix`) that several instances share. Both go through
/// `object_store`, so the code above never knows which.
#[derive(Clone)]
pub struct MediaStorage {
    store: Arc<dyn ObjectStore>,
    description: String,
}

impl fmt::Debug for MediaStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

impl MediaStorage {
    /// A local folder, created if missing.
    pub async fn local(root: impl Into<PathBuf>) -> Result<Self, MediaError> {
        let root = root.into();
        tokio::fs::create_dir_all(&root).await?;
        let store = LocalFileSystem::new_with_prefix(&root)?;
        Ok(Self {
            store: Arc::new(store),
            description: root.display().to_string(),
        })
    }

    /// An S3-compatible bucket, `s3://bucket/prefix`. Credentials, region and endpoint come from
    /// the usual `AWS_*` variables (`AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP` for a local server);
    /// `settings` (same names, lower case) override them.
    pub fn s3(address: &str, settings: &[(&str, &str)]) -> Result<Self, MediaError> {
        let rest = address
            .strip_prefix("s3://")
            .ok_or_else(|| MediaError::Address(format!("`{address}` does not start with s3://")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(MediaError::Address(format!("`{address}` names no bucket")));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (key, value) in settings {
            let key = key
                .parse()
                .map_err(|_| MediaError::Address(format!("unknown S3 setting `{key}`")))?;
            builder = builder.with_config(key, *value);
        }
        let bucket_store = builder.build()?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(bucket_store)
        } else {
            Arc::new(PrefixStore::new(bucket_store, prefix))
        };
        Ok(Self {
            store,
            description: address.to_owned(),
        })
    }

    /// Stores the bytes under their key. Writes are whole-file (a reader never sees half an
    /// image) and keys are content hashes, so storing twice is harmless and skipped.
    #[tracing::instrument(skip(self, bytes))]
    pub async fn put(&self, key: &StorageKey, bytes: Vec<u8>) -> Result<(), MediaError> {
        if self.exists(key).await? {
            return Ok(());
        }
        self.store
            .put(&key.location(), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    pub async fn exists(&self, key: &StorageKey) -> Result<bool, MediaError> {
        match self.store.head(&key.location()).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The stored bytes, or `None` when nothing is stored under this key.
    pub async fn get(&self, key: &StorageKey) -> Result<Option<Bytes>, MediaError> {
        match self.store.get(&key.location()).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Streams a file, or the part of it a range asks for, without holding it in memory.
    pub async fn read(
        &self,
        key: &StorageKey,
        range: Option<ByteRange>,
    ) -> Result<ReadOutcome, MediaError> {
        let location = key.location();
        let range = match range {
            None => None,
            Some(range) => {
                let size = match self.store.head(&location).await {
                    Ok(meta) => meta.size,
                    Err(object_store::Error::NotFound { .. }) => return Ok(ReadOutcome::Missing),
                    Err(e) => return Err(e.into()),
                };
                match satisfiable(range, size) {
                    Some(range) => Some(GetRange::Bounded(range)),
                    None => return Ok(ReadOutcome::RangeNotSatisfiable(size)),
                }
            }
        };
        let options = GetOptions {
            range,
            ..GetOptions::default()
        };
        match self.store.get_opts(&location, options).await {
            Ok(result) => Ok(ReadOutcome::Found(StoredRead {
                total_size: result.meta.size,
                range: result.range.clone(),
                body: result.into_stream(),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(ReadOutcome::Missing),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the storage answers, for readiness checks.
    pub async fn check(&self) -> Result<(), MediaError> {
        self.store.list_with_delimiter(None).await?;
        Ok(())
    }

    /// Whether a file can be written and removed, for `rotative check`.
    pub async fn check_writable(&self) -> Result<(), MediaError> {
        let probe = ObjectPath::from("rotative-write-check");
        self.store
            .put(&probe, PutPayload::from_static(b"check"))
            .await?;
        self.store.delete(&probe).await?;
        Ok(())
    }

    /// Where the files are, for logs and `rotative check`.
    pub fn location(&self) -> &str {
        &self.description
    }
}

/// The bytes a range names within a file of `size` bytes, or `None` when it names none.
fn satisfiable(range: ByteRange, size: u64) -> Option<Range<u64>> {
    let range = match range {
        ByteRange::Bounded {
            start,
            end_inclusive,
        } if start <= end_inclusive => start..end_inclusive.saturating_add(1).min(size),
        ByteRange::Bounded { .. } => return None,
        ByteRange::From(start) => start..size,
        ByteRange::Last(count) => size.saturating_sub(count)..size,
    };
    (range.start < range.end).then_some(range)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_content_addressed_and_strict() {
        let key = StorageKey::for_content(b"abc", ImageKind::Png);
        assert_eq!(key.as_ref().len(), HASH_HEX_LEN + 4);
        assert_eq!(StorageKey::parse(key.as_ref()).unwrap(), key);
        assert_eq!(key.kind(), ImageKind::Png);
        let variant = key.variant(640, ImageKind::WebP);
        assert_eq!(StorageKey::parse(variant.as_ref()).unwrap(), variant);
        assert_eq!(variant.kind(), ImageKind::WebP);
        for bad in [
            "../etc/passwd",
            "abc.jpg",
            &format!("{}.svg", "a".repeat(32)),
            &format!("{}-641.jpg", "a".repeat(32)),
            &format!("{}-/../x.jpg", "a".repeat(32)),
            &"a".repeat(36),
        ] {
            assert!(StorageKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_are_clamped_to_the_file() {
        let bounded = |start, end_inclusive| ByteRange::Bounded {
            start,
            end_inclusive,
        };
        assert_eq!(satisfiable(bounded(0, 9), 100), Some(0..10));
        assert_eq!(satisfiable(bounded(90, 200), 100), Some(90..100));
        assert_eq!(satisfiable(bounded(100, 200), 100), None);
        assert_eq!(satisfiable(bounded(5, 4), 100), None);
        assert_eq!(satisfiable(ByteRange::From(40), 100), Some(40..100));
        assert_eq!(satisfiable(ByteRange::Last(10), 100), Some(90..100));
        assert_eq!(satisfiable(ByteRange::Last(500), 100), Some(0..100));
        assert_eq!(satisfiable(ByteRange::Last(0), 100), None);
    }

    #[tokio::test]
    async fn put_then_get_and_read_a_range() {
        let dir = tempfile::tempdir().unwrap();
        let storage = MediaStorage::local(dir.path().join("media")).await.unwrap();
        let key = StorageKey::for_content(b"bytes", ImageKind::Gif);
        assert_eq!(storage.get(&key).await.unwrap(), None);
        storage.put(&key, b"bytes".to_vec()).await.unwrap();
        storage.put(&key, b"bytes".to_vec()).await.unwrap();
        assert_eq!(
            storage.get(&key).await.unwrap().as_deref(),
            Some(&b"bytes"[..])
        );
        let ReadOutcome::Found(read) = storage.read(&key, Some(ByteRange::From(2))).await.unwrap()
        else {
            panic!("stored file not found");
        };
        assert_eq!((read.total_size, read.range), (5, 2..5));
        assert!(matches!(
            storage.read(&key, Some(ByteRange::From(9))).await.unwrap(),
            ReadOutcome::RangeNotSatisfiable(5)
        ));
        storage.check().await.unwrap();
    }
}
