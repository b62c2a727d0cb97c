//! Newsroom accounts on the web: password hashes, session cookies, the signed-in extractor and
//! CSRF tokens. Readers never get a cookie: every cookie here is scoped to `/redaction`.

use std::net::{IpAddr, SocketAddr};

use axum::{
    Form,
    body::{Body, Bytes},
    extract::{ConnectInfo, FromRequest, FromRequestParts, OriginalUri, Request},
    http::{HeaderMap, HeaderValue, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use rotative_newsroom::{Actor, SessionLimits};
use rotative_store::User;
use serde::{Deserialize, de::DeserializeOwned};

pub use crate::secrets::{
    RECOVERY_CODES, hash_password, new_api_token, new_recovery_codes, new_token, new_totp_secret,
    new_webhook_secret, pending_totp_secret, recovery_code_hash, second_step_claim,
    second_step_signed, second_step_token, sign_in_form_token, sign_in_token_matches, token_hash,
    verify_nothing, verify_password,
};
use crate::{AppError, AppState};

pub const SESSION_COOKIE: &str = "rotative_session";
pub const SIGN_IN_COOKIE: &str = "rotative_signin";
/// Between the password and the second factor: the account, signed (see `second_step_token`).
pub const SECOND_STEP_COOKIE: &str = "rotative_etape";
/// Marks a browser an account signed in from before (see `known_devices`).
pub const DEVICE_COOKIE: &str = "rotative_appareil";
pub const NEWSROOM: &str = "/redaction";
/// A session unused for this long ends.
pub const IDLE_SECONDS: i64 = 2 * 60 * 60;
/// A session ends this long after sign-in however often it is used: a stolen cookie does not
/// last for ever.
pub const SESSION_LIFETIME_SECONDS: i64 = 30 * 24 * 60 * 60;
/// Both limits, as the newsroom's operations take them.
pub const SESSION_LIMITS: SessionLimits = SessionLimits {
    idle_seconds: IDLE_SECONDS,
    lifetime_seconds: SESSION_LIFETIME_SECONDS,
};
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The value of one cookie from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A newsroom cookie: HTTP-only, same-site, sent only to `/redaction`, `Secure` over HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{name}={value}; Path={NEWSROOM}; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Where to go after signing in: only a path on this site, never another host.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/redaction/",
    }
}

/// The address a request came from, for throttling sign-ins ("unknown" when the server was not
/// started with connection info, as in tests). Behind a trusted reverse proxy it is the last
/// address the proxies' `X-Forwarded-For` names that is not one of them.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(ConnectInfo(peer)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() else {
            return Ok(Self("unknown".to_owned()));
        };
        let trusted = |ip: &IpAddr| state.trusted_proxies.contains(ip);
        let peer = peer.ip();
        if !trusted(&peer) {
            return Ok(Self(peer.to_string()));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        let client = forwarded
            .into_iter()
            .rev()
            .find(|hop| !trusted(hop))
            .unwrap_or(peer);
        Ok(Self(client.to_string()))
    }
}

/// The person behind a request to the newsroom, with their session's CSRF token.
pub struct SignedIn {
    pub user: User,
    pub csrf_token: String,
    pub token_hash: String,
    /// How many of the person's notifications are unread.
    pub unread_notifications: i64,
}

impl SignedIn {
    /// The person as the newsroom's operations know them.
    pub fn actor(&self) -> Actor {
        Actor::from(&self.user)
    }

    /// Refuses a state-changing request whose form does not carry this session's token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        let expected = self.csrf_token.as_bytes();
        let submitted = submitted.as_bytes();
        // Compared in constant time: the token must not leak through timing.
        let same = expected.len() == submitted.len()
            && expected
                .iter()
                .zip(submitted)
                .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same { Ok(()) } else { Err(AppError::Csrf) }
    }
}

/// A newsroom form sent by a signed-in person with this session's CSRF token: every handler
/// that changes something takes its form this way, so none can forget the check. The person is
/// sent to sign in first, a form that does not parse is refused as `Form` refuses it, and a
/// wrong or missing token is a 403.
pub struct CsrfForm<T> {
    pub who: SignedIn,
    pub form: T,
}

/// A form whose only field is its CSRF token (sign out, restore a revision).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let who = SignedIn::from_request_parts(&mut parts, state).await?;
        // Read once (within the body limit), then parsed as the form and for its token.
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let again = Request::from_parts(parts, Body::from(bytes.clone()));
        let Form(form) = Form::<T>::from_request(again, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let token = serde_urlencoded::from_bytes::<CsrfField>(&bytes)
            .map(|field| field.csrf)
            .unwrap_or_default();
        who.check_csrf(&token)
            .map_err(IntoResponse::into_response)?;
        Ok(Self { who, form })
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_sign_in = |parts: &Parts| {
            let here = parts
                .extensions
                .get::<OriginalUri>()
                .map_or_else(|| parts.uri.to_string(), |uri| uri.0.to_string());
            let next: String = here
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                        char::from(b).to_string()
                    }
                    other => format!("%{other:02X}"),
                })
                .collect();
            Redirect::to(&format!("{NEWSROOM}/connexion?suite={next}")).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_sign_in(parts));
        };
        let hash = token_hash(token);
        match state
            .store
            .live_session(&hash, IDLE_SECONDS, SESSION_LIFETIME_SECONDS)
            .await
        {
            Ok(Some(session)) => Ok(Self {
                user: session.user,
                csrf_token: session.csrf_token,
                token_hash: hash,
                unread_notifications: session.unread_notifications,
            }),
            Ok(None) => Err(to_sign_in(parts)),
            Err(error) => Err(AppError::from(error).into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_tokens_are_signed() {
        let key = b"une clef";
        let form = sign_in_form_token(key, "abc");
        assert!(sign_in_token_matches(key, "abc", &form));
        assert!(!sign_in_token_matches(key, "abc", "abc"), "a tossed pair");
        assert!(!sign_in_token_matches(b"autre", "abc", &form));
        assert!(!sign_in_token_matches(key, "abd", &form));
        assert!(!sign_in_token_matches(
            key,
            "",
            &sign_in_form_token(key, "")
        ));
        assert!(!sign_in_token_matches(key, "abc", "zz"));
    }

    #[test]
    fn second_steps_are_signed_for_the_password_and_expire() {
        let key = b"une clef";
        let token = second_step_token(key, 42, 1_000, "hash");
        assert_eq!(second_step_claim(&token, 999), Some(42));
        assert!(second_step_signed(key, &token, "hash"));
        assert_eq!(second_step_claim(&token, 1_001), None, "expired");
        assert!(!second_step_signed(b"autre", &token, "hash"));
        assert!(
            !second_step_signed(key, &token, "nouveau"),
            "a new password ends the step"
        );
        let forged = token.replacen("42.", "43.", 1);
        assert!(!second_step_signed(key, &forged, "hash"));
        assert!(!second_step_signed(key, "42.1000", "hash"));
    }

    #[test]
    fn recovery_codes_are_random_and_read_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(
            codes
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            RECOVERY_CODES
        );
        assert!(
            codes
                .iter()
                .all(|code| code.len() == 19 && code.matches('-').count() == 3)
        );
        let code = &codes[0];
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&format!(" {} ", code.to_uppercase().replace('-', " ")))
        );
        assert_ne!(recovery_code_hash(code), recovery_code_hash(&codes[1]));
        assert_eq!(new_totp_secret().len(), 32, "160 bits in base 32");
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "wrong"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/redaction/articles/3")),
            "/redaction/articles/3"
        );
        for hostile in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\r\nb",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/redaction/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/redaction/");
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; rotative_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
        let value = set_cookie(SESSION_COOKIE, "t", 60, true);
        let value = value.to_str().unwrap();
        assert!(
            value.contains("HttpOnly")
                && value.contains("SameSite=Lax")
                && value.contains("Secure")
        );
        assert!(value.contains("Path=/redaction"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
