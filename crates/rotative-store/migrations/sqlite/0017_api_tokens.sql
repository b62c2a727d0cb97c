-- Tokens for the API. Each acts as one account, with its role's rights as they are when it is
-- used; a `read` token may only read. Only a hash of the token is stored, as for sessions: a
-- leaked database opens nothing. A revoked token is kept (revoked_at set) for the record.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
