-- « La une », the front page as editors arrange it: story slots (0 is the lead, then the row of
-- secondary stories), each story with the time it may leave the page, and the sections given a
-- block, in order. A slot left empty takes the newest story not already shown.
CREATE TABLE front_page_stories (
    position BIGINT PRIMARY KEY,
    article_id BIGINT NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE,
    leaves_at BIGINT
);
CREATE INDEX front_page_stories_leaving ON front_page_stories (leaves_at)
    WHERE leaves_at IS NOT NULL;
CREATE TABLE front_page_sections (
    position BIGINT PRIMARY KEY,
    section_id BIGINT NOT NULL UNIQUE REFERENCES sections (id) ON DELETE CASCADE
);

-- Pins become slots: the newest pin leads, the next ones fill the secondary row.
INSERT INTO front_page_stories (position, article_id)
SELECT position, id FROM (
    SELECT ROW_NUMBER() OVER (ORDER BY pinned_at DESC, id DESC) - 1 AS position, id
    FROM articles
    WHERE pinned_at IS NOT NULL AND status = 'published' AND is_page = 0
) pinned
WHERE position < 5;
-- The front page had a block for every section in the navigation, in its order.
INSERT INTO front_page_sections (position, section_id)
SELECT ROW_NUMBER() OVER (ORDER BY position, name), id FROM sections
WHERE in_navigation = 1 AND slug <> 'pages';

DROP TRIGGER articles_log_update;
DROP INDEX articles_pinned;
ALTER TABLE articles DROP COLUMN pinned_at;
CREATE TRIGGER articles_log_update AFTER UPDATE ON articles
BEGIN
    INSERT INTO change_log (subject, subject_id, moved, at)
    VALUES ('article', NEW.id,
            OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
                OR OLD.section_id IS NOT NEW.section_id,
            CAST(strftime('%s', 'now') AS INTEGER));
END;

-- A story readers can no longer see leaves the front page.
CREATE TRIGGER articles_leave_front_page AFTER UPDATE OF status ON articles
WHEN NEW.status <> 'published'
BEGIN
    DELETE FROM front_page_stories WHERE article_id = NEW.id;
END;

-- A new section gets a block at the end of the front page, as it had before editors chose.
CREATE TRIGGER sections_front_page_block AFTER INSERT ON sections
WHEN NEW.slug <> 'pages'
BEGIN
    INSERT INTO front_page_sections (position, section_id)
    SELECT COALESCE(MAX(position), 0) + 1, NEW.id FROM front_page_sections;
END;

-- What changes the front page changes the pages that follow the whole site's listing.
CREATE TRIGGER front_page_stories_log_insert AFTER INSERT ON front_page_stories
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('front', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER front_page_stories_log_update AFTER UPDATE ON front_page_stories
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('front', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER front_page_stories_log_delete AFTER DELETE ON front_page_stories
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('front', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER front_page_sections_log_insert AFTER INSERT ON front_page_sections
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('front', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER front_page_sections_log_update AFTER UPDATE ON front_page_sections
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('front', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER front_page_sections_log_delete AFTER DELETE ON front_page_sections
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('front', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
