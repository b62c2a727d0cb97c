-- Whether a section gained its first published story or lost its last is asked on every
-- publication and every imported story. Counting the section's published stories read all of
-- them (an import slowed as the archive grew); asking for one is a seek in the section's index.
--
-- PostgreSQL runs row triggers once the whole statement is done, so a statement inserting or
-- publishing several stories of a new section would find each one's siblings already there:
-- the check is made once per statement, over the rows it changed (its transition tables).
DROP TRIGGER articles_log_section_shown ON articles;
DROP FUNCTION log_section_shown();

-- A section shown now: one whose published stories all entered it in this statement.
CREATE FUNCTION log_sections_shown_by_insert() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        WITH entered AS (SELECT id, section_id FROM changed_new WHERE status = 'published')
        SELECT 1 FROM entered e
        WHERE NOT EXISTS (SELECT 1 FROM articles a
                          WHERE a.section_id = e.section_id AND a.status = 'published'
                            AND a.id NOT IN (SELECT id FROM entered))) THEN
        PERFORM log_change('site', 0, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- The same for stories published or moved, and a section hidden now: it lost a published story
-- and has none left.
CREATE FUNCTION log_sections_shown_by_update() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        WITH entered AS (
            SELECT n.id, n.section_id FROM changed_new n JOIN changed_old o ON o.id = n.id
            WHERE n.status = 'published'
              AND (o.status IS DISTINCT FROM 'published' OR o.section_id IS DISTINCT FROM n.section_id))
        SELECT 1 FROM entered e
        WHERE NOT EXISTS (SELECT 1 FROM articles a
                          WHERE a.section_id = e.section_id AND a.status = 'published'
                            AND a.id NOT IN (SELECT id FROM entered)))
    OR EXISTS (
        SELECT 1 FROM changed_old o JOIN changed_new n ON n.id = o.id
        WHERE o.status = 'published'
          AND (n.status IS DISTINCT FROM 'published' OR n.section_id IS DISTINCT FROM o.section_id)
          AND NOT EXISTS (SELECT 1 FROM articles a
                          WHERE a.section_id = o.section_id AND a.status = 'published')) THEN
        PERFORM log_change('site', 0, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_log_sections_shown_insert AFTER INSERT ON articles
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION log_sections_shown_by_insert();
CREATE TRIGGER articles_log_sections_shown_update AFTER UPDATE ON articles
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION log_sections_shown_by_update();
