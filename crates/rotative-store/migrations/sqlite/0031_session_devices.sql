-- The browser a session was opened from, as its user agent said, so its owner can tell their
-- sessions apart on « Sécurité » and end those they do not know. No address is kept.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
