//! Two-factor sign-in (TOTP, RFC 6238: six digits, thirty-second steps, SHA-1, as every
//! authenticator app reads them). An account turns it on by confirming a first code, and gets
//! recovery codes; a code serves once (its time step is recorded); a recovery code serves once.
//! An administrator may require it of some roles, and may take it off an account whose owner
//! lost their device. The way in makes the secrets (random) and hashes the recovery codes.

use jiff::Timestamp;
use rotative_domain::{Role, UserId};
use rotative_store::{Audit, StoreError, TwoFactorSecret};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// Seconds a code lasts.
const STEP_SECONDS: i64 = 30;
/// Codes of the step before and after are taken too: a phone's clock drifts, a person types.
const STEPS_AROUND: i64 = 1;

/// Wrong codes allowed for one account in `CODE_WINDOW_SECONDS`, at sign-in and, counted apart,
/// when its owner confirms a change to the second factor: a guess of the six digits stays out
/// of reach.
pub const CODE_ATTEMPTS: u32 = 5;
pub const CODE_WINDOW_SECONDS: i64 = 15 * 60;

/// The key that counts the codes typed to confirm a change to an account's second factor: apart
/// from sign-in's, so a session or token in other hands cannot lock its owner out of signing in.
fn change_attempts_key(account: UserId) -> String {
    format!("second factor change {account}")
}

/// What the second step of sign-in was given.
#[derive(Debug, Clone, Copy)]
pub enum SecondFactor<'a> {
    /// The code the app shows.
    Code(&'a str),
    /// The hash of a recovery code, as the way in made it.
    RecoveryCodeHash(&'a str),
}

/// The TOTP of a base-32 secret, with the account and site an app shows beside its codes.
fn totp(secret: &str, account: &str, site_name: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    // The otpauth label may not hold a colon.
    let issuer = site_name.replace(':', " ");
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS.unsigned_abs(),
        bytes,
        Some(issuer),
        account.replace(':', " "),
    )
    .ok()
}

/// The time step `code` belongs to, among those around now; none when it matches none.
fn matching_step(totp: &TOTP, code: &str) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let now = Timestamp::now().as_second() / STEP_SECONDS;
    (now - STEPS_AROUND..=now + STEPS_AROUND).find(|step| {
        u64::try_from(step * STEP_SECONDS)
            .is_ok_and(|time| constant_time_equal(&totp.generate(time), &code))
    })
}

fn constant_time_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |differ, (x, y)| differ | (x ^ y))
            == 0
}

/// Random bytes as a TOTP secret, in base 32 as apps take it.
#[must_use]
pub fn base32_secret(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The address an authenticator app reads from the QR code (`otpauth://totp/…`), for this secret;
/// none when the secret is not base 32 of at least 128 bits.
#[must_use]
pub fn enrollment_url(secret: &str, account: &str, site_name: &str) -> Option<String> {
    totp(secret, account, site_name).map(|totp| totp.get_url())
}

impl Newsroom {
    /// The actor's second factor, if on.
    pub async fn two_factor(
        &self,
        actor: &Actor,
    ) -> Result<Option<TwoFactorSecret>, NewsroomError> {
        Ok(self.store.two_factor(actor.id).await?)
    }

    /// Turns the actor's second factor on, once `code` shows their app holds `secret`; stores
    /// the recovery codes' hashes and ends the actor's other sessions (`session`: the one asking).
    /// Refused when one is on already: a password or a session alone never replaces it.
    pub async fn enable_two_factor(
        &self,
        actor: &Actor,
        secret: &str,
        code: &str,
        recovery_code_hashes: &[String],
        session: Option<&str>,
    ) -> Result<(), NewsroomError> {
        let totp = totp(secret, "", "").ok_or(NewsroomError::Refused(Refusal::WrongCode))?;
        let step = matching_step(&totp, code).ok_or(NewsroomError::Refused(Refusal::WrongCode))?;
        let enabled = self
            .store
            .enable_two_factor(
                actor.id,
                secret,
                step,
                recovery_code_hashes,
                session,
                Audit::by(Some(actor.id), "two_factor_on"),
            )
            .await?;
        if enabled {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::HasSecondFactor))
        }
    }

    /// Whether the second step of sign-in passes for this account. A code serves once; so does
    /// a recovery code. An account without a second factor passes nothing.
    pub async fn check_second_factor(
        &self,
        account: UserId,
        given: SecondFactor<'_>,
    ) -> Result<bool, NewsroomError> {
        let Some(stored) = self.store.two_factor(account).await? else {
            return Ok(false);
        };
        match given {
            SecondFactor::Code(code) => {
                let step = totp(&stored.secret, "", "").and_then(|totp| matching_step(&totp, code));
                Ok(match step {
                    Some(step) => self.store.use_code_step(account, step).await?,
                    None => false,
                })
            }
            SecondFactor::RecoveryCodeHash(hash) => Ok(self
                .store
                .use_recovery_code(
                    account,
                    hash,
                    Audit::by(Some(account), "recovery_code_used"),
                )
                .await?),
        }
    }

    /// Checks one of an account's codes (the app's, or a recovery code, then used up), counted
    /// against its limit: `TooManyCodes` past it, `WrongCode` for a code that does not serve.
    pub async fn confirm_second_factor(
        &self,
        account: UserId,
        given: SecondFactor<'_>,
    ) -> Result<(), NewsroomError> {
        let key = change_attempts_key(account);
        if self.store.count_attempt(&key, CODE_WINDOW_SECONDS).await? > CODE_ATTEMPTS {
            return Err(NewsroomError::Refused(Refusal::TooManyCodes));
        }
        if self.check_second_factor(account, given).await? {
            self.store.forget_attempts(&key).await?;
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::WrongCode))
        }
    }

    /// Replaces the actor's recovery codes with new ones (the old ones serve no more), once one
    /// of the actor's current codes confirms it: a session left open is not enough.
    pub async fn replace_recovery_codes(
        &self,
        actor: &Actor,
        confirmation: SecondFactor<'_>,
        recovery_code_hashes: &[String],
    ) -> Result<(), NewsroomError> {
        if self.store.two_factor(actor.id).await?.is_none() {
            return Err(NewsroomError::Refused(Refusal::NoSecondFactor));
        }
        self.confirm_second_factor(actor.id, confirmation).await?;
        let replaced = self
            .store
            .replace_recovery_codes(
                actor.id,
                recovery_code_hashes,
                Audit::by(Some(actor.id), "recovery_codes_new"),
            )
            .await?;
        if replaced {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::NoSecondFactor))
        }
    }

    /// Takes the second factor off an account: its owner, confirming with one of its codes
    /// (its other sessions end), or an administrator for someone who lost their device (every
    /// session of the account ends). Refused to an owner whose role requires it.
    pub async fn disable_two_factor(
        &self,
        actor: &Actor,
        account: UserId,
        session: Option<&str>,
        confirmation: Option<SecondFactor<'_>>,
    ) -> Result<(), NewsroomError> {
        let own = actor.id == account;
        if own {
            if self.store.two_factor_roles().await?.contains(&actor.role) {
                return Err(NewsroomError::Forbidden);
            }
            if self.store.two_factor(account).await?.is_none() {
                return Err(NewsroomError::Refused(Refusal::NoSecondFactor));
            }
            let confirmation = confirmation.ok_or(NewsroomError::Refused(Refusal::WrongCode))?;
            self.confirm_second_factor(account, confirmation).await?;
        } else {
            actor.administers()?;
        }
        let action = if own {
            "two_factor_off"
        } else {
            "two_factor_reset"
        };
        let whose = self
            .store
            .user(account)
            .await?
            .ok_or(StoreError::NotFound("account"))?
            .email
            .to_string();
        let disabled = self
            .store
            .disable_two_factor(
                account,
                session.filter(|_| own),
                Audit::by(Some(actor.id), action).detail(&whose),
            )
            .await?;
        if disabled {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::NoSecondFactor))
        }
    }

    /// The roles that must sign in with a second factor.
    pub async fn two_factor_roles(&self) -> Result<Vec<Role>, NewsroomError> {
        Ok(self.store.two_factor_roles().await?)
    }

    /// Whether this account must sign in with a second factor it has not set up yet.
    pub async fn must_set_up_two_factor(
        &self,
        account: UserId,
        role: Role,
    ) -> Result<bool, NewsroomError> {
        Ok(self.store.two_factor_roles().await?.contains(&role)
            && self.store.two_factor(account).await?.is_none())
    }

    /// Requires a second factor of these roles (administrators); accounts of those roles
    /// without one are signed out, and set it up at their next sign-in.
    pub async fn require_two_factor(
        &self,
        actor: &Actor,
        roles: &[Role],
    ) -> Result<(), NewsroomError> {
        actor.administers()?;
        let listed: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
        self.store
            .set_two_factor_roles(
                roles,
                Audit::by(Some(actor.id), "two_factor_roles").detail(&listed.join(", ")),
            )
            .await?;
        Ok(())
    }

    /// The accounts that sign in with a second factor.
    pub async fn accounts_with_two_factor(&self) -> Result<Vec<UserId>, NewsroomError> {
        Ok(self.store.accounts_with_two_factor().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 key, in base 32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_rfc_6238() {
        let totp = totp(RFC_SECRET, "julie@exemple.fr", "La Gazette").unwrap();
        // RFC 6238, appendix B, with the last six of its eight digits.
        assert_eq!(totp.generate(59), "287082");
        assert_eq!(totp.generate(1_111_111_109), "081804");
        assert_eq!(totp.generate(2_000_000_000), "279037");
    }

    #[test]
    fn a_code_of_now_or_a_step_around_matches_and_names_its_step() {
        let totp = totp(RFC_SECRET, "", "").unwrap();
        let now = Timestamp::now().as_second();
        let step = now / STEP_SECONDS;
        let code = |at: i64| totp.generate(u64::try_from(at).unwrap());
        assert_eq!(matching_step(&totp, &code(now)), Some(step));
        assert_eq!(
            matching_step(&totp, &code(now - STEP_SECONDS)),
            Some(step - 1)
        );
        assert_eq!(
            matching_step(&totp, &format!(" {} ", code(now))),
            Some(step)
        );
        assert_eq!(matching_step(&totp, &code(now - 10 * STEP_SECONDS)), None);
        assert_eq!(matching_step(&totp, "12345"), None);
    }

    #[test]
    fn the_enrollment_url_names_the_site_and_account() {
        let url = enrollment_url(RFC_SECRET, "julie@exemple.fr", "La Gazette: Paris").unwrap();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(
            url.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{url}"
        );
        assert!(
            url.contains("julie%40exemple.fr") || url.contains("julie@exemple.fr"),
            "{url}"
        );
        assert_eq!(enrollment_url("pas du base 32 !", "a", "b"), None);
    }
}
