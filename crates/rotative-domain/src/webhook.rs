//! Webhooks: what a partner's server is told when readers' stories change, and where to.

use serde::Serialize;

use crate::ParseError;

/// Something that happened to a published story, that a webhook may be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum WebhookEvent {
    #[serde(rename = "story.published")]
    StoryPublished,
    /// A published story's text or details changed.
    #[serde(rename = "story.updated")]
    StoryUpdated,
    /// Readers no longer see the story.
    #[serde(rename = "story.unpublished")]
    StoryUnpublished,
    /// A public correction or update was added under a story.
    #[serde(rename = "correction.added")]
    CorrectionAdded,
}

impl WebhookEvent {
    pub const ALL: [Self; 4] = [
        Self::StoryPublished,
        Self::StoryUpdated,
        Self::StoryUnpublished,
        Self::CorrectionAdded,
    ];

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(
            value,
            &Self::ALL,
            Self::as_str,
            "story.published, story.updated, story.unpublished, correction.added",
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::StoryPublished => "story.published",
            Self::StoryUpdated => "story.updated",
            Self::StoryUnpublished => "story.unpublished",
            Self::CorrectionAdded => "correction.added",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::StoryPublished => "Article publié",
            Self::StoryUpdated => "Article publié modifié",
            Self::StoryUnpublished => "Article retiré",
            Self::CorrectionAdded => "Correction ou mise à jour ajoutée",
        }
    }

    /// The event a newsroom action on a story makes, if any; edits count only while the story
    /// is published.
    pub fn of_action(action: &str, published: bool) -> Option<Self> {
        match action {
            "publish" => Some(Self::StoryPublished),
            "unpublish" => Some(Self::StoryUnpublished),
            "correct" => Some(Self::CorrectionAdded),
            "edit" | "restore" | "autosave" if published => Some(Self::StoryUpdated),
            _ => None,
        }
    }
}

/// The longest address a webhook may have.
const MAX_URL_CHARS: usize = 2000;

/// Why an address cannot receive a webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlProblem {
    #[error("not an http or https address")]
    NotWeb,
    /// Sending the site its own events would loop, and reach what only the site should.
    #[error("the site's own address")]
    ThisSite,
}

/// The scheme, host and port of an `http(s)` address, lowercased, with the scheme's port when
/// none is written.
fn origin(url: &str) -> Option<(String, String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
            (host, port.parse().ok()?)
        }
        _ => (host_port, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme, host.to_ascii_lowercase(), port))
}

/// Checks an address a webhook is to be sent to: `http` or `https`, on one line, not the site
/// itself (`site_url` is the site's public address).
pub fn check_webhook_url(url: &str, site_url: &str) -> Result<(), WebhookUrlProblem> {
    if url.len() > MAX_URL_CHARS || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebhookUrlProblem::NotWeb);
    }
    let (_, host, port) = origin(url).ok_or(WebhookUrlProblem::NotWeb)?;
    match origin(site_url) {
        Some((_, site_host, site_port)) if site_host == host && site_port == port => {
            Err(WebhookUrlProblem::ThisSite)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_have_stable_names() {
        for event in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(event.as_str()), Ok(event));
        }
        assert!(WebhookEvent::parse("story.deleted").is_err());
    }

    #[test]
    fn edits_are_news_only_once_published() {
        assert_eq!(
            WebhookEvent::of_action("edit", true),
            Some(WebhookEvent::StoryUpdated)
        );
        assert_eq!(WebhookEvent::of_action("edit", false), None);
        assert_eq!(
            WebhookEvent::of_action("publish", true),
            Some(WebhookEvent::StoryPublished)
        );
        assert_eq!(WebhookEvent::of_action("submit", false), None);
    }

    #[test]
    fn webhooks_go_to_other_web_servers() {
        let site = "https://journal.example";
        for url in [
            "https://partenaire.example/rotative",
            "http://127.0.0.1:9000/hook",
            "https://journal.example:8443/hook",
            "http://[::1]:8080/hook",
        ] {
            assert_eq!(check_webhook_url(url, site), Ok(()), "{url}");
        }
        for url in [
            "ftp://partenaire.example/",
            "partenaire.example/hook",
            "javascript:alert(1)",
            "https:///hook",
            "https://partenaire.example/a b",
        ] {
            assert_eq!(
                check_webhook_url(url, site),
                Err(WebhookUrlProblem::NotWeb),
                "{url}"
            );
        }
        for url in [
            "https://journal.example/api/v1/stories",
            "https://JOURNAL.example:443/",
            "https://user@journal.example/",
        ] {
            assert_eq!(
                check_webhook_url(url, site),
                Err(WebhookUrlProblem::ThisSite),
                "{url}"
            );
        }
        assert_eq!(
            check_webhook_url("http://127.0.0.1:8080/x", "http://127.0.0.1:8080"),
            Err(WebhookUrlProblem::ThisSite)
        );
    }
}
