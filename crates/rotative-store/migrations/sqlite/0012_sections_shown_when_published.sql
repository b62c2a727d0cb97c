-- A section appears in every page's navigation only once it has a published story, so a new
-- section (typed in a draft, or made by an editor ahead of its first story) changes nothing
-- readers see until then. What every page shows changes when a section gains its first published
-- story or loses its last one: that is a site-wide change, and only that.
DROP TRIGGER sections_log_insert;

CREATE TRIGGER articles_log_section_shown AFTER UPDATE ON articles
WHEN NEW.status = 'published'
    AND (OLD.status IS NOT 'published' OR OLD.section_id IS NOT NEW.section_id)
    AND (SELECT COUNT(*) FROM articles WHERE section_id = NEW.section_id AND status = 'published') = 1
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER articles_log_section_shown_insert AFTER INSERT ON articles
WHEN NEW.status = 'published'
    AND (SELECT COUNT(*) FROM articles WHERE section_id = NEW.section_id AND status = 'published') = 1
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER articles_log_section_hidden AFTER UPDATE ON articles
WHEN OLD.status = 'published'
    AND (NEW.status IS NOT 'published' OR OLD.section_id IS NOT NEW.section_id)
    AND NOT EXISTS (SELECT 1 FROM articles WHERE section_id = OLD.section_id AND status = 'published')
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- Old addresses of the replaced site that lead nowhere on this one (a subject or category no
-- published post used): answered 410 Gone rather than 404, so search engines drop them.
CREATE TABLE gone (
    old TEXT PRIMARY KEY
);
