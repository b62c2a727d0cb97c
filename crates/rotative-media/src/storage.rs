use std::{
    fmt,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

use crate::{ImageKind, MediaError};

/// The name a file is stored and served under: a hash of its content plus its real extension.
/// Content addressing makes URLs safe to cache forever and the same upload stored once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StorageKey(String);

const HASH_HEX_LEN: usize = 32;

impl StorageKey {
    pub fn for_content(bytes: &[u8], kind: ImageKind) -> Self {
        let digest = Sha256::digest(bytes);
        let mut key = String::with_capacity(HASH_HEX_LEN + 5);
        for byte in &digest[..HASH_HEX_LEN / 2] {
            key.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            key.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xF)]));
        }
        key.push('.');
        key.push_str(kind.extension());
        Self(key)
    }

    /// Accepts only keys this crate could have made, so a URL can never name another file.
    pub fn parse(value: &str) -> Result<Self, MediaError> {
        let invalid = || MediaError::InvalidKey(value.chars().take(80).collect());
        let (hash, ext) = value.split_once('.').ok_or_else(invalid)?;
        let hash_ok = hash.len() == HASH_HEX_LEN
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hash_ok && ImageKind::from_extension(ext).is_some() {
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

/// Media files in a local folder (`--data DIR/media` by default).
#[derive(Debug, Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    pub async fn open(root: impl Into<PathBuf>) -> Result<Self, MediaError> {
        let root = root.into();
        tokio::fs::create_dir_all(&root).await?;
        Ok(Self { root })
    }

    fn path_of(&self, key: &StorageKey) -> PathBuf {
        self.root.join(key.as_ref())
    }

    /// Writes the bytes under their key. The file appears whole or not at all (written aside,
    /// then renamed), so a reader never gets half an image.
    #[tracing::instrument(skip(self, bytes))]
    pub async fn put(&self, key: &StorageKey, bytes: &[u8]) -> Result<(), MediaError> {
        let target = self.path_of(key);
        if tokio::fs::try_exists(&target).await? {
            return Ok(());
        }
        let partial = self.root.join(format!(".{key}.partial"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, &target).await?;
        Ok(())
    }

    /// The stored bytes, or `None` when nothing is stored under this key.
    pub async fn get(&self, key: &StorageKey) -> Result<Option<Vec<u8>>, MediaError> {
        match tokio::fs::read(self.path_of(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Whether the storage folder is reachable, for readiness checks.
    pub async fn check(&self) -> Result<(), MediaError> {
        tokio::fs::metadata(&self.root).await?;
        Ok(())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
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
        for bad in [
            "../etc/passwd",
            "abc.jpg",
            &format!("{}.svg", "a".repeat(32)),
            &"a".repeat(36),
        ] {
            assert!(StorageKey::parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn put_then_get() {
        let dir = tempfile::tempdir().unwrap();
        let storage = LocalStorage::open(dir.path().join("media")).await.unwrap();
        let key = StorageKey::for_content(b"bytes", ImageKind::Gif);
        assert_eq!(storage.get(&key).await.unwrap(), None);
        storage.put(&key, b"bytes").await.unwrap();
        storage.put(&key, b"bytes").await.unwrap();
        assert_eq!(
            storage.get(&key).await.unwrap().as_deref(),
            Some(&b"bytes"[..])
        );
    }
}
