-- Webhooks: addresses told of changes to readers' stories, each with the events it asked for,
-- and one delivery row per event and address, written in the same transaction as the change
-- (so no event is lost or sent twice), with its attempts. The secret signs what is sent, so it
-- is kept as given (a hash could not sign).
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE webhook_subscriptions (
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    PRIMARY KEY (event, webhook_id)
);
-- status: pending (to send, at next_attempt_at), delivered, failed (given up).
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    article_id BIGINT NOT NULL,
    -- The note a `correction.added` tells of.
    correction_id BIGINT,
    created_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    payload TEXT,
    last_attempt_at BIGINT,
    last_status BIGINT,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
-- What an edit looks for: a story's event still waiting for its first attempt.
CREATE INDEX webhook_deliveries_waiting ON webhook_deliveries (article_id, event, status);
