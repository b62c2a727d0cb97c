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

/// The host and port of an `http(s)` address, read as the HTTP client reads it, lowercased and
/// without a trailing dot, with the scheme's port when none is written.
fn origin(text: &str) -> Option<(String, u16)> {
    let url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some((host, url.port_or_known_default()?))
}

/// Checks an address a webhook is to be sent to: `http` or `https`, on one line, not the site
/// itself (`site_url` is the site's public address). Internal addresses are refused when the
/// webhook is sent (`is_public_address`), where names resolve.
pub fn check_webhook_url(url: &str, site_url: &str) -> Result<(), WebhookUrlProblem> {
    if url.len() > MAX_URL_CHARS || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebhookUrlProblem::NotWeb);
    }
    let target = origin(url).ok_or(WebhookUrlProblem::NotWeb)?;
    if origin(site_url).is_some_and(|site| site == target) {
        return Err(WebhookUrlProblem::ThisSite);
    }
    Ok(())
}

/// Whether an address is on the public internet: not this machine, a private or link-local
/// network (cloud metadata services live there), nor multicast or unspecified.
pub fn is_public_address(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 0
                // 100.64.0.0/10, carrier-grade NAT: another operator's private network.
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7, unique local; fe80::/10, link-local.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
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
            "https://[2001:db8::1]/hook",
        ] {
            assert_eq!(check_webhook_url(url, site), Ok(()), "{url}");
        }
        for url in [
            "ftp://partenaire.example/",
            "partenaire.example/hook",
            "javascript:alert(1)",
            "https://",
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
            "https://journal.example./",
            "https://journal.example\\@x.example/",
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

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public_address(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public_address(ip.parse().unwrap()), "{ip}");
        }
    }
}
