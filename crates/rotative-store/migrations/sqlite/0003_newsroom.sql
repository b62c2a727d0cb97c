-- The newsroom: accounts, sessions, sign-in throttling, who wrote each revision, the audit log
-- and public corrections.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- NULL: the account exists (for example imported) but cannot sign in until a password is set.
    password_hash TEXT,
    author_id BIGINT REFERENCES authors (id),
    created_at BIGINT NOT NULL
);

-- Only a hash of the session token is stored: a leaked database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

ALTER TABLE articles ADD COLUMN created_by BIGINT REFERENCES users (id);
ALTER TABLE articles ADD COLUMN scheduled_at BIGINT;
ALTER TABLE revisions ADD COLUMN user_id BIGINT REFERENCES users (id);
-- The revision this one was written from; a save from a stale base is kept but not applied.
ALTER TABLE revisions ADD COLUMN base_revision_id BIGINT;
ALTER TABLE revisions ADD COLUMN conflict BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN current_revision_id BIGINT;
UPDATE articles SET current_revision_id = (SELECT MAX(id) FROM revisions WHERE revisions.article_id = articles.id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    article_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX audit_log_by_article ON audit_log (article_id, id);

CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX corrections_by_article ON corrections (article_id, at);
CREATE INDEX corrections_by_date ON corrections (at DESC);
