-- Whether a story is the first published one of its section is asked on every publication and
-- every imported story. Counting the section's published stories read all of them (an import
-- slowed as the archive grew); asking for one other is a seek in the section's index.
DROP TRIGGER articles_log_section_shown;
DROP TRIGGER articles_log_section_shown_insert;

CREATE TRIGGER articles_log_section_shown AFTER UPDATE ON articles
WHEN NEW.status = 'published'
    AND (OLD.status IS NOT 'published' OR OLD.section_id IS NOT NEW.section_id)
    AND NOT EXISTS (SELECT 1 FROM articles
                    WHERE section_id = NEW.section_id AND status = 'published' AND id <> NEW.id)
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- A statement inserting several stories runs this after each row, so the first row of a new
-- section finds no other and the next ones find it.
CREATE TRIGGER articles_log_section_shown_insert AFTER INSERT ON articles
WHEN NEW.status = 'published'
    AND NOT EXISTS (SELECT 1 FROM articles
                    WHERE section_id = NEW.section_id AND status = 'published' AND id <> NEW.id)
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
