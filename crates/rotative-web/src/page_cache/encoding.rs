//! The bytes of a cached page as readers may take them: compressed once, negotiated per
//! request, and validated (`ETag`, `Last-Modified`) so a reader who has it gets `304`.

use std::{
    io::Write,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::http::{HeaderMap, HeaderValue, header};
use bytes::Bytes;
use sha2::{Digest, Sha256};

/// A page is compressed by its first reader's request, and in an archive most pages have one
/// reader: the long tail pays for it. gzip 6 is several times faster than 9 for a few percent
/// more bytes.
const GZIP_LEVEL: u32 = 6;
/// Brotli 5 takes a fraction of a millisecond on a long story and is still smaller than gzip;
/// 9 took milliseconds and zeroed megabytes of tables on every page. A page fits in a 1 MB
/// window.
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW_BITS: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The best encoding the reader's `Accept-Encoding` allows: Brotli, then gzip, then none.
    pub(crate) fn negotiate(headers: &HeaderMap) -> Self {
        let mut brotli = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else {
                continue;
            };
            for item in value.split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|parameter| {
                    parameter
                        .trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                if name.eq_ignore_ascii_case("br") || name == "*" {
                    brotli = true;
                }
                if name.eq_ignore_ascii_case("gzip") || name == "*" {
                    gzip = true;
                }
            }
        }
        if brotli {
            Self::Brotli
        } else if gzip {
            Self::Gzip
        } else {
            Self::Identity
        }
    }

    pub(crate) fn header(self) -> Option<HeaderValue> {
        match self {
            Self::Brotli => Some(HeaderValue::from_static("br")),
            Self::Gzip => Some(HeaderValue::from_static("gzip")),
            Self::Identity => None,
        }
    }
}

pub(crate) fn gzip(body: &[u8]) -> Bytes {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
    // Writing to memory cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}

pub(crate) fn brotli(body: &[u8]) -> Bytes {
    let mut encoder =
        brotli::CompressorWriter::new(Vec::new(), 4096, BROTLI_QUALITY, BROTLI_WINDOW_BITS);
    let _ = encoder.write_all(body);
    encoder.into_inner().into()
}

/// A fingerprint of the page's bytes, the same on every instance running the same version: a
/// CDN in front of several instances revalidates with any of them.
pub(crate) fn etag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    // Weak: the same page compressed differently is still the same page.
    HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..8])))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"0\""))
}

pub(crate) fn whole_seconds(time: SystemTime) -> SystemTime {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    UNIX_EPOCH + Duration::from_secs(seconds)
}

pub(crate) fn http_date(time: SystemTime) -> HeaderValue {
    HeaderValue::from_str(&httpdate::fmt_http_date(time))
        .unwrap_or_else(|_| HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

/// Whether `If-None-Match` names this version: a list of tags, compared weakly, or `*`.
pub(crate) fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(wanted) = if_none_match.to_str() else {
        return false;
    };
    let ours = etag.to_str().unwrap_or_default();
    let ours = ours.strip_prefix("W/").unwrap_or(ours);
    wanted.split(',').any(|tag| {
        let tag = tag.trim();
        tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == ours
    })
}

/// Whether the reader already holds this version: `If-None-Match` decides when sent (RFC 9110
/// §13.2.2), `If-Modified-Since` otherwise.
pub(crate) fn not_modified(
    (if_none_match, if_modified_since): (Option<&HeaderValue>, Option<&HeaderValue>),
    etag: &HeaderValue,
    modified: SystemTime,
) -> bool {
    if let Some(wanted) = if_none_match {
        return etag_matches(wanted, etag);
    }
    if_modified_since
        .and_then(|since| since.to_str().ok())
        .and_then(|since| httpdate::parse_http_date(since).ok())
        .is_some_and(|since| modified <= since)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("")),
        );
        headers
    }

    #[test]
    fn brotli_first_then_gzip_then_nothing() {
        assert_eq!(
            Encoding::negotiate(&accepting("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(
            Encoding::negotiate(&accepting("gzip;q=1.0, br;q=0")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::negotiate(&accepting("GZIP")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(&accepting("*")), Encoding::Brotli);
        assert_eq!(
            Encoding::negotiate(&accepting("identity")),
            Encoding::Identity
        );
        assert_eq!(Encoding::negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn both_compressions_give_back_the_page() {
        let page = "<p>Le Bélarus et la Russie</p>".repeat(200);
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(gzip(page.as_bytes()).as_ref())
            .read_to_string(&mut unzipped)
            .unwrap_or_default();
        assert_eq!(unzipped, page);
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(brotli(page.as_bytes()).as_ref(), 4096)
            .read_to_string(&mut unbrotlied)
            .unwrap_or_default();
        assert_eq!(unbrotlied, page);
        assert!(brotli(page.as_bytes()).len() < page.len() / 10);
    }

    fn conditions(request: &HeaderMap) -> (Option<&HeaderValue>, Option<&HeaderValue>) {
        (
            request.get(header::IF_NONE_MATCH),
            request.get(header::IF_MODIFIED_SINCE),
        )
    }

    #[test]
    fn a_reader_with_this_version_gets_not_modified() {
        let tag = etag(b"page");
        let modified = whole_seconds(SystemTime::now());
        let mut request = HeaderMap::new();
        assert!(!not_modified(conditions(&request), &tag, modified));
        request.insert(header::IF_NONE_MATCH, tag.clone());
        assert!(not_modified(conditions(&request), &tag, modified));
        request.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"other\", W/\"x\""),
        );
        assert!(!not_modified(conditions(&request), &tag, modified));
        // A strong form of the same tag matches too (weak comparison).
        let strong = tag.to_str().unwrap_or_default().trim_start_matches("W/");
        request.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(strong).unwrap_or_else(|_| HeaderValue::from_static("")),
        );
        assert!(not_modified(conditions(&request), &tag, modified));
    }

    #[test]
    fn if_modified_since_counts_only_without_if_none_match() {
        let tag = etag(b"page");
        let modified = whole_seconds(SystemTime::now());
        let mut request = HeaderMap::new();
        request.insert(header::IF_MODIFIED_SINCE, http_date(modified));
        assert!(not_modified(conditions(&request), &tag, modified));
        request.insert(
            header::IF_MODIFIED_SINCE,
            http_date(modified - Duration::from_mins(1)),
        );
        assert!(!not_modified(conditions(&request), &tag, modified));
        request.insert(header::IF_MODIFIED_SINCE, http_date(modified));
        request.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!not_modified(conditions(&request), &tag, modified));
    }
}
