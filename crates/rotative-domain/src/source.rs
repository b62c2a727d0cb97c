use serde::Serialize;

use crate::ParseError;

/// A document or person a story relies on, shown to readers as a labelled link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub label: String,
    pub url: String,
}

impl Source {
    const MAX_LABEL: usize = 200;

    /// Accepts a label and an `http(s)` address; anything else (`javascript:`, `data:`…) is refused.
    pub fn parse(label: &str, url: &str) -> Result<Self, ParseError> {
        let label = crate::without_controls(label);
        let label = label.trim();
        if label.is_empty() {
            return Err(ParseError::Empty);
        }
        if label.chars().count() > Self::MAX_LABEL {
            return Err(ParseError::TooLong {
                max: Self::MAX_LABEL,
            });
        }
        Ok(Self {
            label: label.to_owned(),
            url: web_address(url)?,
        })
    }
}

/// An `http(s)` address on a named host, as readers may follow it; anything else
/// (`javascript:`, `data:`, a bare word…) is refused.
pub fn web_address(url: &str) -> Result<String, ParseError> {
    const MAX_URL: usize = 2000;
    let url = url.trim();
    let scheme_ok = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty() && host.contains('.')
        });
    if !scheme_ok || url.len() > MAX_URL || url.contains(char::is_whitespace) {
        return Err(ParseError::InvalidUrl(url.chars().take(80).collect()));
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_with_a_label() {
        let source = Source::parse(" Lettre ouverte ", "https://exemple.fr/lettre.pdf").unwrap();
        assert_eq!(source.label, "Lettre ouverte");
        for (label, url) in [
            ("x", "javascript:alert(1)"),
            ("x", "data:text/html,hi"),
            ("x", "https://"),
            ("x", "ftp://exemple.fr/"),
            ("x", "https://exemple.fr/a b"),
            ("", "https://exemple.fr/"),
        ] {
            assert!(Source::parse(label, url).is_err(), "{label} {url}");
        }
    }
}
