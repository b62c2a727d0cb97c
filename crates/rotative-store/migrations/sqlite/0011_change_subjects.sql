-- The change log says what changed, so a page cache drops the pages that show it and only
-- those: a story ('article'; `moved` when it entered, left or moved within its listings: status,
-- publication date, section or pin changed), a listing that gained or lost a published story
-- ('section', 'tag', 'author'), or what every page shows ('site': settings, sections, names).
DROP TRIGGER articles_log_insert;
DROP TRIGGER articles_log_update;
ALTER TABLE change_log RENAME COLUMN article_id TO subject_id;
ALTER TABLE change_log ADD COLUMN subject TEXT NOT NULL DEFAULT 'article';
ALTER TABLE change_log ADD COLUMN moved BIGINT NOT NULL DEFAULT 1;

CREATE TRIGGER articles_log_insert AFTER INSERT ON articles
BEGIN
    INSERT INTO change_log (subject, subject_id, moved, at)
    VALUES ('article', NEW.id, 1, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER articles_log_update AFTER UPDATE ON articles
BEGIN
    INSERT INTO change_log (subject, subject_id, moved, at)
    VALUES ('article', NEW.id,
            OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
                OR OLD.section_id IS NOT NEW.section_id OR OLD.pinned_at IS NOT NEW.pinned_at,
            CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER articles_log_section_left AFTER UPDATE OF section_id ON articles
WHEN OLD.section_id IS NOT NEW.section_id AND OLD.status = 'published'
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('section', OLD.section_id, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER article_tags_log_insert AFTER INSERT ON article_tags
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('tag', NEW.tag_id, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER article_tags_log_delete AFTER DELETE ON article_tags
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('tag', OLD.tag_id, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER article_authors_log_insert AFTER INSERT ON article_authors
WHEN (SELECT status FROM articles WHERE id = NEW.article_id) = 'published'
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('author', NEW.author_id, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER article_authors_log_delete AFTER DELETE ON article_authors
WHEN (SELECT status FROM articles WHERE id = OLD.article_id) = 'published'
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('author', OLD.author_id, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER sections_log_insert AFTER INSERT ON sections
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- Upserts that find the row already there rewrite it unchanged: only a real change counts.
CREATE TRIGGER sections_log_update AFTER UPDATE ON sections
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug OR OLD.position IS NOT NEW.position
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER tags_log_update AFTER UPDATE ON tags
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER authors_log_update AFTER UPDATE ON authors
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug OR OLD.bio IS NOT NEW.bio
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER site_settings_log_insert AFTER INSERT ON site_settings
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER site_settings_log_update AFTER UPDATE ON site_settings
WHEN OLD.value IS NOT NEW.value
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
