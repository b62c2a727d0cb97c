//! Site settings: defaults that run, overridden by a TOML file.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    pub name: String,
    pub description: String,
    pub base_url: Option<String>,
    pub time_zone: String,
    pub page_size: u32,
    /// Whether feeds carry whole stories, or only their standfirst.
    pub feed_full_text: bool,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            name: "Rotative".into(),
            description: "L'actualité, sans pistage ni bannière.".into(),
            base_url: None,
            time_zone: "Europe/Paris".into(),
            page_size: 10,
            feed_full_text: true,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    site: SiteSettings,
}

impl SiteSettings {
    /// Reads `explicit` (which must exist) or, failing that, `fallback` if it exists.
    pub fn load(explicit: Option<&Path>, fallback: &Path) -> anyhow::Result<Self> {
        let path = match explicit {
            Some(path) => path,
            None if fallback.exists() => fallback,
            None => return Ok(Self::default()),
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read settings file {}", path.display()))?;
        let file: ConfigFile = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        anyhow::ensure!(
            file.site.page_size > 0,
            "{}: site.page_size must be at least 1",
            path.display()
        );
        Ok(file.site)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_defaults_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rotative.toml");
        std::fs::write(&path, "[site]\nname = \"La Gazette\"\npage_size = 5\n").unwrap();
        let settings = SiteSettings::load(Some(&path), Path::new("/absent")).unwrap();
        assert_eq!(
            (settings.name.as_str(), settings.page_size),
            ("La Gazette", 5)
        );
        assert_eq!(settings.time_zone, "Europe/Paris");
        std::fs::write(&path, "[site]\ncolour = \"red\"\n").unwrap();
        let error = SiteSettings::load(Some(&path), Path::new("/absent")).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `colour`"),
            "{error}"
        );
        assert_eq!(
            SiteSettings::load(None, Path::new("/absent"))
                .unwrap()
                .page_size,
            10
        );
    }
}
