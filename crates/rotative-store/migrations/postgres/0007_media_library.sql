-- Flags are 0 or 1 in BIGINT columns here; SQLite declares them BOOLEAN, which it stores the same way.
-- The media library: each image's own description (alt text, caption, credit), which pages use
-- when a story does not give its own; whether it moves; whether its resized copies exist.
ALTER TABLE media ADD COLUMN alt TEXT;
ALTER TABLE media ADD COLUMN caption TEXT;
ALTER TABLE media ADD COLUMN credit TEXT;
ALTER TABLE media ADD COLUMN animated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN variants_ready BIGINT NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN uploaded_by BIGINT REFERENCES users (id);
CREATE INDEX media_by_date ON media (created_at DESC);
CREATE INDEX media_pending_variants ON media (id) WHERE variants_ready = 0;

-- Which stories show which images, so a library edit reaches every story that uses the image.
CREATE TABLE article_media (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id BIGINT NOT NULL REFERENCES media (id),
    PRIMARY KEY (article_id, media_id)
);
CREATE INDEX article_media_by_media ON article_media (media_id);
