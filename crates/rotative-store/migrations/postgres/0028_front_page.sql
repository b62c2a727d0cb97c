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

CREATE OR REPLACE FUNCTION log_article_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM log_change('article', NEW.id, 1);
    ELSE
        PERFORM log_change('article', NEW.id,
            CASE WHEN OLD.status IS DISTINCT FROM NEW.status
                   OR OLD.published_at IS DISTINCT FROM NEW.published_at
                   OR OLD.section_id IS DISTINCT FROM NEW.section_id
                 THEN 1 ELSE 0 END);
        IF OLD.section_id IS DISTINCT FROM NEW.section_id AND OLD.status = 'published' THEN
            PERFORM log_change('section', OLD.section_id, 1);
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
ALTER TABLE articles DROP COLUMN pinned_at;

-- A story readers can no longer see leaves the front page.
CREATE FUNCTION leave_front_page() RETURNS trigger AS $$
BEGIN
    DELETE FROM front_page_stories WHERE article_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_leave_front_page AFTER UPDATE OF status ON articles
    FOR EACH ROW WHEN (NEW.status <> 'published') EXECUTE FUNCTION leave_front_page();

-- A new section gets a block at the end of the front page, as it had before editors chose.
CREATE FUNCTION give_front_page_block() RETURNS trigger AS $$
BEGIN
    INSERT INTO front_page_sections (position, section_id)
    SELECT COALESCE(MAX(position), 0) + 1, NEW.id FROM front_page_sections;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sections_front_page_block AFTER INSERT ON sections
    FOR EACH ROW WHEN (NEW.slug <> 'pages') EXECUTE FUNCTION give_front_page_block();

-- What changes the front page changes the pages that follow the whole site's listing.
CREATE FUNCTION log_front_page_change() RETURNS trigger AS $$
BEGIN
    PERFORM log_change('front', 0, 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- By row, as on SQLite: a statement that changes nothing (a story unpublished that was not on
-- the front page) logs nothing.
CREATE TRIGGER front_page_stories_log_change AFTER INSERT OR UPDATE OR DELETE
    ON front_page_stories FOR EACH ROW EXECUTE FUNCTION log_front_page_change();
CREATE TRIGGER front_page_sections_log_change AFTER INSERT OR UPDATE OR DELETE
    ON front_page_sections FOR EACH ROW EXECUTE FUNCTION log_front_page_change();
