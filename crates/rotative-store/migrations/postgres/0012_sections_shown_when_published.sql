-- A section appears in every page's navigation only once it has a published story, so a new
-- section (typed in a draft, or made by an editor ahead of its first story) changes nothing
-- readers see until then. What every page shows changes when a section gains its first published
-- story or loses its last one: that is a site-wide change, and only that.
DROP TRIGGER sections_log_insert ON sections;

CREATE FUNCTION log_section_shown() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'published'
        AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'published'
             OR OLD.section_id IS DISTINCT FROM NEW.section_id)
        AND (SELECT COUNT(*) FROM articles
             WHERE section_id = NEW.section_id AND status = 'published') = 1 THEN
        PERFORM log_change('site', 0, 1);
    ELSIF TG_OP = 'UPDATE' AND OLD.status = 'published'
        AND (NEW.status IS DISTINCT FROM 'published' OR OLD.section_id IS DISTINCT FROM NEW.section_id)
        AND NOT EXISTS (SELECT 1 FROM articles
                        WHERE section_id = OLD.section_id AND status = 'published') THEN
        PERFORM log_change('site', 0, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_log_section_shown AFTER INSERT OR UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION log_section_shown();

-- Old addresses of the replaced site that lead nowhere on this one (a subject or category no
-- published post used): answered 410 Gone rather than 404, so search engines drop them.
CREATE TABLE gone (
    old TEXT PRIMARY KEY
);
