-- Two-factor sign-in (TOTP, RFC 6238): an account's shared secret once confirmed by a first code,
-- the last time step a code was accepted for (a code serves once), and its recovery codes, of
-- which only hashes are kept, each used once.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);
