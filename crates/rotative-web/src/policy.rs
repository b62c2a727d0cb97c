//! The `Content-Security-Policy` of every kind of page, from one rule: nothing loaded from
//! elsewhere, no plugins, no `<base>`, forms sent to this site only, never framed. What differs
//! is whether the page runs this site's script, talks back to it, or frames an embed's provider.

use std::fmt::Write;

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use rotative_render::Site;

use crate::AppState;

const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";

/// Browsers keep to HTTPS for a year once a site served over HTTPS says so.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The headers every answer carries, whatever made it.
#[derive(Debug, Clone)]
pub(crate) struct SecurityHeaders {
    /// Readers' pages run no script and load nothing from elsewhere; pages that do more say so
    /// with their own policy.
    default_policy: HeaderValue,
    /// Over HTTPS only.
    strict_transport: bool,
}

impl SecurityHeaders {
    pub(crate) fn for_site(site: &Site) -> Self {
        Self {
            default_policy: content_security_policy(Allowed::default()),
            strict_transport: site.base_url.starts_with("https://"),
        }
    }

    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(header::CONTENT_SECURITY_POLICY, self.default_policy.clone());
        }
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        // No page needs the camera, the microphone, location or payment: browsers may refuse
        // them.
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        );
        if self.strict_transport {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
            );
        }
    }
}

/// Around every answer but the page cache's hits, which add the same headers themselves.
pub(crate) async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    state.security_headers().apply(response.headers_mut());
    response
}

/// What a page may do beyond the common rule.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Allowed<'a> {
    /// Runs this site's own scripts (never inline ones).
    pub scripts: bool,
    /// Sends requests back to this site from a script (the newsroom's previews and autosaves).
    pub connect: bool,
    /// Origins it may frame: the providers of a story's click-to-load embeds.
    pub frames: &'a [String],
}

pub(crate) fn content_security_policy(allowed: Allowed<'_>) -> HeaderValue {
    let mut policy = String::from("default-src 'self'; ");
    policy.push_str(if allowed.scripts {
        "script-src 'self'; "
    } else {
        "script-src 'none'; "
    });
    if allowed.connect {
        policy.push_str("connect-src 'self'; ");
    }
    if !allowed.frames.is_empty() {
        let _ = write!(policy, "frame-src {}; ", allowed.frames.join(" "));
    }
    policy
        .push_str("object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_kind_gets_the_common_rule_and_its_own_allowances() {
        assert_eq!(
            content_security_policy(Allowed::default()),
            "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        let frames = ["https://www.youtube-nocookie.com".to_owned()];
        assert_eq!(
            content_security_policy(Allowed {
                scripts: true,
                connect: true,
                frames: &frames,
            }),
            "default-src 'self'; script-src 'self'; connect-src 'self'; frame-src https://www.youtube-nocookie.com; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
    }
}
