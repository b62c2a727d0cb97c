-- Newsroom notifications: what each account is told of the stories it writes or reviews, written
-- in the transaction of the act that makes them; shown on the dashboard until read, and mailed
-- by a background round (one letter each, or a daily digest) as the account chose.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- Who did it; NULL for the scheduler.
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    -- 1 until the mail round has sent it, put it in a digest, or found it is not to be mailed.
    mail_pending BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_to_mail ON notifications (id) WHERE mail_pending = 1;
-- Read notifications are deleted after a while (`Store::prune_read_notifications`).
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;

-- The kinds an account does not want by email (every kind is mailed unless turned off here).
CREATE TABLE notification_mail_off (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
-- 1: the account's notifications come by email once a day, together: those written before the
-- day's digest hour.
ALTER TABLE users ADD COLUMN notification_digest BIGINT NOT NULL DEFAULT 0;
