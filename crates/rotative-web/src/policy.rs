//! The `Content-Security-Policy` of every kind of page, from one rule: nothing loaded from
//! elsewhere, no plugins, no `<base>`, forms sent to this site only, never framed. What differs
//! is whether the page runs this site's script, talks back to it, or frames an embed's provider.

use std::fmt::Write;

use axum::http::HeaderValue;

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
