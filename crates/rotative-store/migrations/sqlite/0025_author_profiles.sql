-- A byline's profile: a job title, a portrait from the media library (always described), and
-- where the person is found elsewhere. The bio (already here) is Markdown.
ALTER TABLE authors ADD COLUMN job_title TEXT;
ALTER TABLE authors ADD COLUMN photo_id BIGINT REFERENCES media (id);
ALTER TABLE authors ADD COLUMN photo_alt TEXT;
ALTER TABLE authors ADD COLUMN website TEXT;
ALTER TABLE authors ADD COLUMN email TEXT;
ALTER TABLE authors ADD COLUMN fediverse TEXT;

-- A name shows wherever a byline does (cards on every listing): the whole site changed. The
-- rest of a profile shows on the author's page and feeds and on their stories' pages.
DROP TRIGGER authors_log_update;
CREATE TRIGGER authors_log_update AFTER UPDATE ON authors
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER authors_log_profile AFTER UPDATE ON authors
WHEN OLD.name IS NEW.name AND OLD.slug IS NEW.slug AND (OLD.bio IS NOT NEW.bio
    OR OLD.job_title IS NOT NEW.job_title OR OLD.photo_id IS NOT NEW.photo_id
    OR OLD.photo_alt IS NOT NEW.photo_alt OR OLD.website IS NOT NEW.website
    OR OLD.email IS NOT NEW.email OR OLD.fediverse IS NOT NEW.fediverse)
BEGIN
    INSERT INTO change_log (subject, subject_id, moved, at)
    VALUES ('author', NEW.id, 0, CAST(strftime('%s', 'now') AS INTEGER));
    INSERT INTO change_log (subject, subject_id, moved, at)
    SELECT 'article', article_id, 0, CAST(strftime('%s', 'now') AS INTEGER)
    FROM article_authors WHERE author_id = NEW.id;
END;
