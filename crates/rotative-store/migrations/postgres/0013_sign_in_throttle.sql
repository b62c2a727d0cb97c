-- Sign-in attempts are counted before the password is checked, one counter a key (an account
-- and the address it is tried from; an account from anywhere; a known device), by an upsert
-- that parallel attempts cannot race. They replace the list of failures, which was read before
-- the check and written after it.
DROP TABLE sign_in_failures;

CREATE TABLE sign_in_attempts (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);

-- Browsers an account signed in from before, by the hash of the token their cookie holds: an
-- account under attack still lets its owner in from them, slowly, instead of locking them out.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX known_devices_by_user ON known_devices (user_id);

-- Keys the instances share, made once by whichever starts first (the sign-in form's tokens are
-- signed with one).
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
