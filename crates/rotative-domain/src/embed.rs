//! Videos and social posts written in a story as a bare link on their own line. Readers see a
//! placeholder with a link; the provider's frame loads only if they ask, because loading it
//! lets the provider track them.

use serde::Serialize;

/// Where embeddable content comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    YouTube,
    Vimeo,
    Dailymotion,
    X,
    Bluesky,
    Mastodon,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Self::YouTube => "YouTube",
            Self::Vimeo => "Vimeo",
            Self::Dailymotion => "Dailymotion",
            Self::X => "X",
            Self::Bluesky => "Bluesky",
            Self::Mastodon => "Mastodon",
        }
    }

    pub fn is_video(self) -> bool {
        matches!(self, Self::YouTube | Self::Vimeo | Self::Dailymotion)
    }
}

/// A recognised link and the frame that would show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Embed {
    pub provider: Provider,
    /// The address readers can open instead.
    pub url: String,
    /// The provider's embeddable page, loaded in a frame only after a click.
    pub frame: String,
}

fn safe_id(id: &str) -> Option<&str> {
    (!id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then_some(id)
}

fn safe_host(host: &str) -> Option<&str> {
    let valid = host.contains('.')
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !host.starts_with(['.', '-']);
    valid.then_some(host)
}

fn safe_handle(handle: &str) -> Option<&str> {
    (!handle.is_empty()
        && handle.len() <= 253
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':')))
    .then_some(handle)
}

impl Embed {
    /// Recognises a link to a video or a social post; anything else is `None` (and stays a link).
    pub fn recognise(url: &str) -> Option<Self> {
        let url = url.trim();
        let rest = url.strip_prefix("https://")?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host
            .strip_prefix("www.")
            .unwrap_or(host)
            .to_ascii_lowercase();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let query_value = |key: &str| {
            query.split('&').find_map(|pair| {
                pair.split_once('=')
                    .filter(|(k, _)| *k == key)
                    .map(|(_, v)| v)
            })
        };
        let (provider, frame) = match (host.as_str(), segments.as_slice()) {
            ("youtube.com" | "m.youtube.com", ["watch"]) => {
                let id = safe_id(query_value("v")?)?;
                (
                    Provider::YouTube,
                    format!("https://www.youtube-nocookie.com/embed/{id}"),
                )
            }
            ("youtube.com", ["shorts" | "embed", id]) | ("youtu.be", [id]) => (
                Provider::YouTube,
                format!("https://www.youtube-nocookie.com/embed/{}", safe_id(id)?),
            ),
            ("vimeo.com", [id]) if id.bytes().all(|b| b.is_ascii_digit()) => (
                Provider::Vimeo,
                format!("https://player.vimeo.com/video/{id}"),
            ),
            ("dailymotion.com", ["video", id]) | ("dai.ly", [id]) => (
                Provider::Dailymotion,
                format!("https://www.dailymotion.com/embed/video/{}", safe_id(id)?),
            ),
            ("x.com" | "twitter.com", [_, "status", id])
                if id.bytes().all(|b| b.is_ascii_digit()) =>
            {
                (
                    Provider::X,
                    format!("https://platform.twitter.com/embed/Tweet.html?id={id}"),
                )
            }
            ("bsky.app", ["profile", handle, "post", post]) => (
                Provider::Bluesky,
                format!(
                    "https://embed.bsky.app/embed/{}/app.bsky.feed.post/{}",
                    safe_handle(handle)?,
                    safe_id(post)?
                ),
            ),
            (host, [user, id])
                if user.starts_with('@') && id.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let user = safe_id(user.trim_start_matches('@'))?;
                (
                    Provider::Mastodon,
                    format!("https://{}/@{user}/{id}/embed", safe_host(host)?),
                )
            }
            _ => return None,
        };
        Some(Self {
            provider,
            url: url.to_owned(),
            frame,
        })
    }

    /// The origin a frame address loads from, if it is one `recognise` could have produced: the
    /// only frames a page may load.
    pub fn frame_origin(frame: &str) -> Option<String> {
        let rest = frame.strip_prefix("https://")?;
        let host = safe_host(rest.split('/').next()?)?;
        let known = [
            "www.youtube-nocookie.com",
            "player.vimeo.com",
            "www.dailymotion.com",
            "platform.twitter.com",
            "embed.bsky.app",
        ];
        let mastodon = rest
            .split('/')
            .nth(1)
            .is_some_and(|user| user.starts_with('@'))
            && frame.ends_with("/embed");
        (known.contains(&host) || mastodon).then(|| format!("https://{host}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_links() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3",
                Provider::YouTube,
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                Provider::YouTube,
                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            ),
            (
                "https://vimeo.com/76979871",
                Provider::Vimeo,
                "https://player.vimeo.com/video/76979871",
            ),
            (
                "https://www.dailymotion.com/video/x8abcde",
                Provider::Dailymotion,
                "https://www.dailymotion.com/embed/video/x8abcde",
            ),
            (
                "https://x.com/redaction/status/1234567890",
                Provider::X,
                "https://platform.twitter.com/embed/Tweet.html?id=1234567890",
            ),
            (
                "https://bsky.app/profile/exemple.bsky.social/post/3kabc",
                Provider::Bluesky,
                "https://embed.bsky.app/embed/exemple.bsky.social/app.bsky.feed.post/3kabc",
            ),
            (
                "https://mastodon.social/@redaction/112233",
                Provider::Mastodon,
                "https://mastodon.social/@redaction/112233/embed",
            ),
        ];
        for (url, provider, frame) in cases {
            let embed = Embed::recognise(url).unwrap_or_else(|| panic!("{url}"));
            assert_eq!(
                (embed.provider, embed.frame.as_str()),
                (provider, frame),
                "{url}"
            );
            assert!(Embed::frame_origin(&embed.frame).is_some(), "{frame}");
        }
    }

    #[test]
    fn everything_else_stays_a_link() {
        for url in [
            "https://exemple.fr/article",
            "http://www.youtube.com/watch?v=abc",
            "https://www.youtube.com/watch?v=<script>",
            "https://vimeo.com/abc",
            "https://evil.example/@x/1\"onload=",
            "javascript:alert(1)",
        ] {
            assert_eq!(Embed::recognise(url), None, "{url}");
        }
        for frame in [
            "javascript:alert(1)",
            "https://evil.example/page",
            "http://player.vimeo.com/video/1",
        ] {
            assert_eq!(Embed::frame_origin(frame), None, "{frame}");
        }
    }
}
