//! The newsroom's secrets, as values: password hashes (argon2id), random tokens, what the
//! database keeps of a session token, and the sign-in form's signed token. Nothing here reads a
//! request; `auth` uses them for cookies and sessions.

use std::sync::LazyLock;

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use hmac::{Hmac, Mac};
use password_hash::rand_core::RngCore;
use sha2::{Digest, Sha256};

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Spends the time a password check takes when there is no account to check against, so the
/// answer's delay does not tell whether an address has an account.
pub fn verify_nothing(password: &str) {
    static DECOY: LazyLock<Option<String>> =
        LazyLock::new(|| hash_password("rotative decoy password").ok());
    if let Some(decoy) = DECOY.as_deref() {
        verify_password(decoy, password);
    }
}

/// Whether `password` matches the stored hash; a malformed hash matches nothing.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// 256 random bits, hex-encoded: session tokens and CSRF tokens.
pub fn new_token() -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A new API token: 256 random bits after a prefix that says what it is, so a token pasted
/// where it should not be is easy to spot (and for secret scanners to find).
pub fn new_api_token() -> String {
    format!("rotative_{}", new_token())
}

/// A new webhook secret, as Standard Webhooks writes them: `whsec_` and 24 random bytes in
/// base64, which are the signing key.
pub fn new_webhook_secret() -> String {
    use base64::Engine;
    let mut bytes = [0_u8; 24];
    OsRng.fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The `webhook-signature` of a delivery (Standard Webhooks, `v1`): HMAC-SHA256, keyed by the
/// secret's bytes, of `id.timestamp.body`, in base64. `None` for a secret that is not one.
pub fn webhook_signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let key = engine.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = HmacSha256::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Some(format!("v1,{}", engine.encode(mac.finalize().into_bytes())))
}

/// A new TOTP secret: 160 random bits (RFC 4226's advice), in base 32.
pub fn new_totp_secret() -> String {
    let mut bytes = [0_u8; 20];
    OsRng.fill_bytes(&mut bytes);
    rotative_newsroom::base32_secret(&bytes)
}

/// The key an account sets up at the second step of sign-in, made from that step's cookie: the
/// same while the cookie lasts (a page reloaded after scanning still matches the app), unknown
/// to anyone without the server's key, and never taken from what a form sends back.
pub fn pending_totp_secret(key: &[u8], second_step_token: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(b"totp-setup ");
    mac.update(second_step_token.as_bytes());
    rotative_newsroom::base32_secret(&mac.finalize().into_bytes()[..20])
}

/// How many recovery codes an account gets at once.
pub const RECOVERY_CODES: usize = 10;
/// The letters of a recovery code: no 0/o, 1/l/i to misread from paper.
const RECOVERY_ALPHABET: &[u8; 31] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Ten new recovery codes, each 16 letters (79 random bits) in groups of four.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut letters = Vec::with_capacity(16);
            while letters.len() < 16 {
                let mut byte = [0_u8; 1];
                OsRng.fill_bytes(&mut byte);
                // Bytes past the last whole run of 31 would favour the first letters.
                if byte[0] < 248 {
                    letters.push(char::from(RECOVERY_ALPHABET[usize::from(byte[0] % 31)]));
                }
            }
            letters
                .chunks(4)
                .map(|group| group.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What the database keeps of a recovery code, however it was typed (capitals, spaces, dashes).
pub fn recovery_code_hash(typed: &str) -> String {
    let letters: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    token_hash(&format!("recovery {letters}"))
}

/// The cookie of sign-in's second step: the account whose password was right, until when it
/// may give its second factor, signed so only the server can make one, and over the account's
/// password hash too, so a password changed meanwhile ends the step.
pub fn second_step_token(key: &[u8], account: i64, until: i64, password_hash: &str) -> String {
    let claim = format!("{account}.{until}");
    let signature = hex::encode(
        second_step_mac(key, &claim, password_hash)
            .finalize()
            .into_bytes(),
    );
    format!("{claim}.{signature}")
}

/// The account a second step's cookie names, if it is not past `now`; whether the server made
/// it for the account's current password is `second_step_signed`'s to say.
pub fn second_step_claim(token: &str, now: i64) -> Option<i64> {
    let (claim, _) = token.rsplit_once('.')?;
    let (account, until) = claim.split_once('.')?;
    (until.parse::<i64>().ok()? >= now).then_some(())?;
    account.parse().ok()
}

/// Whether a second step's cookie is the server's, for this password hash of its account.
pub fn second_step_signed(key: &[u8], token: &str, password_hash: &str) -> bool {
    let Some((claim, signature)) = token.rsplit_once('.') else {
        return false;
    };
    let Ok(signature) = hex::decode(signature) else {
        return false;
    };
    second_step_mac(key, claim, password_hash)
        .verify_slice(&signature)
        .is_ok()
}

fn second_step_mac(key: &[u8], claim: &str, password_hash: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(b"second-step ");
    mac.update(claim.as_bytes());
    mac.update(b" ");
    mac.update(password_hash.as_bytes());
    mac
}

/// What the database keeps of a session or API token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

type HmacSha256 = Hmac<Sha256>;

/// The sign-in form's token, made from the random token its cookie holds: the server's signature
/// of it, which only the server can make. A cookie tossed in from elsewhere, with a form value to
/// match it, therefore signs nobody in.
pub fn sign_in_form_token(key: &[u8], cookie_token: &str) -> String {
    hex::encode(sign_in_mac(key, cookie_token).finalize().into_bytes())
}

/// Whether `form_token` is the signature of `cookie_token` (compared in constant time).
pub fn sign_in_token_matches(key: &[u8], cookie_token: &str, form_token: &str) -> bool {
    let Ok(signature) = hex::decode(form_token) else {
        return false;
    };
    !cookie_token.is_empty()
        && sign_in_mac(key, cookie_token)
            .verify_slice(&signature)
            .is_ok()
}

fn sign_in_mac(key: &[u8], cookie_token: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(b"sign-in ");
    mac.update(cookie_token.as_bytes());
    mac
}
