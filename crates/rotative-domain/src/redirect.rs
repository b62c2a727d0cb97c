//! A redirect as an editor types it: from an address of this site to another address of this
//! site, or to a page elsewhere whose host an administrator allowed.

use std::fmt::Write;

use url::Url;

/// The longest address a redirect keeps.
const MAX_ADDRESS_CHARS: usize = 2000;
/// Addresses the site always answers itself: a redirect from them would never be followed.
const ANSWERED_HERE: [&str; 3] = ["/redaction", "/api/", "/theme/"];

/// What is wrong with a redirect as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectProblem {
    /// The address redirected is not a path of this site (`/ancien-article/`).
    NotAPath,
    /// The newsroom's, the API's or the theme's address: always answered here.
    AnsweredHere,
    /// The target is neither a path of this site nor a web address.
    NotAnAddress,
    /// A target on another site whose host no administrator allowed.
    ExternalHost(String),
    /// An address leading to itself.
    ToItself,
}

/// A redirect ready to store: `old` a path (with its query, if any), `target` a path or, for
/// an allowed host, a whole address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectDraft {
    pub old: String,
    pub target: String,
}

/// An address as typed, with this site's own origin taken off (`https://journal.example/a/` is
/// `/a/`).
fn on_this_site<'a>(typed: &'a str, site_url: &str) -> &'a str {
    let origin = site_url.trim_end_matches('/');
    match typed.strip_prefix(origin) {
        Some(path) if path.starts_with('/') => path,
        Some("") => "/",
        _ => typed,
    }
}

fn is_path(address: &str) -> bool {
    address.starts_with('/')
        && !address.starts_with("//")
        && address.chars().count() <= MAX_ADDRESS_CHARS
        && !address.contains('#')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
}

/// An address as browsers send it: letters outside ASCII (`/actualités/`) percent-encoded.
fn as_requested(address: &str) -> String {
    let mut encoded = String::with_capacity(address.len());
    for c in address.chars() {
        if c.is_ascii() {
            encoded.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(encoded, "%{byte:02X}");
            }
        }
    }
    encoded
}

/// The forms under which a request for `address` finds its redirect, in order: as written,
/// without its query (others' tracking parameters), then with the final slash WordPress puts
/// on every path.
pub fn requested_forms(address: &str) -> Vec<String> {
    let path = address.split('?').next().unwrap_or(address);
    let mut forms = vec![address.to_owned()];
    if path != address {
        forms.push(path.to_owned());
    }
    if !path.ends_with('/') {
        forms.push(format!("{path}/"));
    }
    forms
}

/// One address to a loop, however written: `/a`, `/a/` and `/a?x=1` all reach the redirect
/// from `/a/`.
pub fn matched_as(address: &str) -> String {
    requested_forms(address).pop().unwrap_or_default()
}

impl RedirectDraft {
    pub fn parse(
        old: &str,
        target: &str,
        site_url: &str,
        allowed_hosts: &[String],
    ) -> Result<Self, Vec<RedirectProblem>> {
        let mut problems = Vec::new();
        let old = on_this_site(old.trim(), site_url);
        if !is_path(old) || old == "/" {
            problems.push(RedirectProblem::NotAPath);
        } else if ANSWERED_HERE.iter().any(|here| old.starts_with(here)) {
            problems.push(RedirectProblem::AnsweredHere);
        }
        let target = on_this_site(target.trim(), site_url);
        if !is_path(target) {
            match Url::parse(target) {
                Ok(url)
                    if matches!(url.scheme(), "http" | "https")
                        && target.chars().count() <= MAX_ADDRESS_CHARS =>
                {
                    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
                    if !allowed_hosts.contains(&host) {
                        problems.push(RedirectProblem::ExternalHost(host));
                    }
                }
                _ => problems.push(RedirectProblem::NotAnAddress),
            }
        }
        let (old, target) = (as_requested(old), as_requested(target));
        if problems.is_empty() && matched_as(&old) == matched_as(&target) {
            problems.push(RedirectProblem::ToItself);
        }
        if problems.is_empty() {
            Ok(Self { old, target })
        } else {
            Err(problems)
        }
    }
}

/// The hosts an administrator allows redirects to, one per line or separated by commas, as
/// typed: lowercased, without scheme or path, each once.
pub fn allowed_hosts(typed: &str) -> Vec<String> {
    let mut hosts: Vec<String> = typed
        .split([',', '\n', ' '])
        .map(|host| {
            let host = host.trim().to_ascii_lowercase();
            let host = host
                .strip_prefix("https://")
                .or_else(|| host.strip_prefix("http://"))
                .unwrap_or(&host);
            host.split('/').next().unwrap_or_default().to_owned()
        })
        .filter(|host| !host.is_empty())
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = "https://journal.example";

    #[test]
    fn a_request_finds_its_redirect_with_or_without_query_and_final_slash() {
        assert_eq!(requested_forms("/a?x=1"), ["/a?x=1", "/a", "/a/"]);
        assert_eq!(requested_forms("/a/"), ["/a/"]);
        assert_eq!(matched_as("/a?x=1"), matched_as("/a/"));
    }

    #[test]
    fn redirects_are_paths_of_this_site_or_allowed_hosts() {
        let hosts = allowed_hosts("https://Partenaire.example/, archives.example\n");
        assert_eq!(hosts, ["archives.example", "partenaire.example"]);
        let draft = RedirectDraft::parse(
            " https://journal.example/ancien/ ",
            "https://journal.example/monde/",
            SITE,
            &hosts,
        )
        .unwrap();
        assert_eq!(
            (draft.old.as_str(), draft.target.as_str()),
            ("/ancien/", "/monde/")
        );
        let out = RedirectDraft::parse("/dossier/", "https://archives.example/x", SITE, &hosts);
        assert_eq!(out.unwrap().target, "https://archives.example/x");
        assert_eq!(
            RedirectDraft::parse("/a/", "https://ailleurs.example/", SITE, &hosts),
            Err(vec![RedirectProblem::ExternalHost(
                "ailleurs.example".into()
            )])
        );
        assert_eq!(
            RedirectDraft::parse("ancien", "javascript:alert(1)", SITE, &hosts),
            Err(vec![
                RedirectProblem::NotAPath,
                RedirectProblem::NotAnAddress
            ])
        );
        assert_eq!(
            RedirectDraft::parse("/redaction/", "/", SITE, &hosts),
            Err(vec![RedirectProblem::AnsweredHere])
        );
        assert_eq!(
            RedirectDraft::parse("/a/", "https://journal.example/a/", SITE, &hosts),
            Err(vec![RedirectProblem::ToItself])
        );
        assert_eq!(
            RedirectDraft::parse("//evil.example/", "/", SITE, &hosts),
            Err(vec![RedirectProblem::NotAPath])
        );
        assert_eq!(
            RedirectDraft::parse("/a/", "/a?x=1", SITE, &hosts),
            Err(vec![RedirectProblem::ToItself]),
            "readers asking for /a are sent on by the redirect from /a/"
        );
        let accents = RedirectDraft::parse("/actualités/", "/monde/", SITE, &hosts).unwrap();
        assert_eq!(accents.old, "/actualit%C3%A9s/", "as browsers ask for it");
    }
}
