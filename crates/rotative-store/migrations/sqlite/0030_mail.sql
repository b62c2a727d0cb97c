-- Mail: letters wait in the outbox, written in the transaction of what they tell of, until an
-- instance claims and hands them over; retried with a growing delay, given up after a day.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    to_name TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- Emptied once sent: a letter may carry a link that opens an account.
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    link TEXT,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    given_up_at BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
CREATE INDEX outbox_given_up ON outbox (given_up_at) WHERE given_up_at IS NOT NULL;

-- Links that let a person set their first password without signing in: invitations, valid seven
-- days. Only a hash of the link's token is kept; each serves once.
CREATE TABLE account_links (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_links_by_user ON account_links (user_id);
