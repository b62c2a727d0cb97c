-- Editors manage the site's redirects: where each came from ('import', 'manual'), when it was
-- made, and how often readers followed each, by day: each instance counts in memory and adds its
-- counts here every minute (a number per address and day, nothing about readers).
ALTER TABLE redirects ADD COLUMN origin TEXT NOT NULL DEFAULT 'import';
ALTER TABLE redirects ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX redirects_by_target ON redirects (target);

CREATE TABLE redirect_hits (
    old TEXT NOT NULL,
    day BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (old, day)
);
