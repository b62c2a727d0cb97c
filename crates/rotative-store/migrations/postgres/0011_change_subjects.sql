-- The change log says what changed, so a page cache drops the pages that show it and only
-- those: a story ('article'; `moved` when it entered, left or moved within its listings: status,
-- publication date, section or pin changed), a listing that gained or lost a published story
-- ('section', 'tag', 'author'), or what every page shows ('site': settings, sections, names).
-- Each change is announced on `rotative_changes` as before.
DROP TRIGGER articles_log_change ON articles;
DROP FUNCTION log_article_change();
ALTER TABLE change_log RENAME COLUMN article_id TO subject_id;
ALTER TABLE change_log ADD COLUMN subject TEXT NOT NULL DEFAULT 'article';
ALTER TABLE change_log ADD COLUMN moved BIGINT NOT NULL DEFAULT 1;

CREATE FUNCTION log_change(what TEXT, which BIGINT, shifted BIGINT) RETURNS void AS $$
BEGIN
    INSERT INTO change_log (subject, subject_id, moved, at)
    VALUES (what, which, shifted, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    PERFORM pg_notify('rotative_changes', what || ' ' || which::text);
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION log_article_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM log_change('article', NEW.id, 1);
    ELSE
        PERFORM log_change('article', NEW.id,
            CASE WHEN OLD.status IS DISTINCT FROM NEW.status
                   OR OLD.published_at IS DISTINCT FROM NEW.published_at
                   OR OLD.section_id IS DISTINCT FROM NEW.section_id
                   OR OLD.pinned_at IS DISTINCT FROM NEW.pinned_at
                 THEN 1 ELSE 0 END);
        IF OLD.section_id IS DISTINCT FROM NEW.section_id AND OLD.status = 'published' THEN
            PERFORM log_change('section', OLD.section_id, 1);
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_log_change AFTER INSERT OR UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION log_article_change();

-- A byline or a subject added to or taken from a published story changes that listing.
CREATE FUNCTION log_link_change() RETURNS trigger AS $$
DECLARE
    link RECORD;
BEGIN
    IF TG_OP = 'INSERT' THEN link := NEW; ELSE link := OLD; END IF;
    IF EXISTS (SELECT 1 FROM articles WHERE id = link.article_id AND status = 'published') THEN
        IF TG_TABLE_NAME = 'article_tags' THEN
            PERFORM log_change('tag', link.tag_id, 1);
        ELSE
            PERFORM log_change('author', link.author_id, 1);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER article_tags_log_change AFTER INSERT OR DELETE ON article_tags
    FOR EACH ROW EXECUTE FUNCTION log_link_change();
CREATE TRIGGER article_authors_log_change AFTER INSERT OR DELETE ON article_authors
    FOR EACH ROW EXECUTE FUNCTION log_link_change();

-- What every page shows: the sections' list, names, the site's settings.
CREATE FUNCTION log_site_change() RETURNS trigger AS $$
BEGIN
    PERFORM log_change('site', 0, 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Upserts that find the row already there rewrite it unchanged: only a real change counts.
CREATE TRIGGER sections_log_insert AFTER INSERT ON sections
    FOR EACH ROW EXECUTE FUNCTION log_site_change();
CREATE TRIGGER sections_log_update AFTER UPDATE ON sections
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug
                       OR OLD.position IS DISTINCT FROM NEW.position)
    EXECUTE FUNCTION log_site_change();
CREATE TRIGGER tags_log_update AFTER UPDATE ON tags
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION log_site_change();
CREATE TRIGGER authors_log_update AFTER UPDATE ON authors
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug
                       OR OLD.bio IS DISTINCT FROM NEW.bio)
    EXECUTE FUNCTION log_site_change();
CREATE TRIGGER site_settings_log_insert AFTER INSERT ON site_settings
    FOR EACH ROW EXECUTE FUNCTION log_site_change();
CREATE TRIGGER site_settings_log_update AFTER UPDATE ON site_settings
    FOR EACH ROW WHEN (OLD.value IS DISTINCT FROM NEW.value)
    EXECUTE FUNCTION log_site_change();
