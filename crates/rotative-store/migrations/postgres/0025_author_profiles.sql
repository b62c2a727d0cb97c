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
DROP TRIGGER authors_log_update ON authors;
CREATE TRIGGER authors_log_update AFTER UPDATE ON authors
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION log_site_change();

-- One notification for the lot: followers read the log from where they stopped.
CREATE FUNCTION log_profile_change() RETURNS trigger AS $$
BEGIN
    INSERT INTO change_log (subject, subject_id, moved, at)
    SELECT 'article', article_id, 0, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
    FROM article_authors WHERE author_id = NEW.id;
    PERFORM log_change('author', NEW.id, 0);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER authors_log_profile AFTER UPDATE ON authors
    FOR EACH ROW WHEN (OLD.name IS NOT DISTINCT FROM NEW.name
        AND OLD.slug IS NOT DISTINCT FROM NEW.slug
        AND (OLD.bio IS DISTINCT FROM NEW.bio OR OLD.job_title IS DISTINCT FROM NEW.job_title
            OR OLD.photo_id IS DISTINCT FROM NEW.photo_id
            OR OLD.photo_alt IS DISTINCT FROM NEW.photo_alt
            OR OLD.website IS DISTINCT FROM NEW.website OR OLD.email IS DISTINCT FROM NEW.email
            OR OLD.fediverse IS DISTINCT FROM NEW.fediverse))
    EXECUTE FUNCTION log_profile_change();
