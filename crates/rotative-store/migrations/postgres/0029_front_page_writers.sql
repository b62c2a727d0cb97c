-- Whether editors ever arranged the front page is asked at each re-imported sticky post: an
-- index answers without reading the whole log.
CREATE INDEX audit_log_by_action ON audit_log (action, id);

-- Two sections created at once took the same last place; the block is now given under the
-- front page's lock, which every writer of the front page takes (SQLite's writers already take
-- turns).
CREATE OR REPLACE FUNCTION give_front_page_block() RETURNS trigger AS $$
BEGIN
    LOCK TABLE front_page_stories, front_page_sections IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO front_page_sections (position, section_id)
    SELECT COALESCE(MAX(position), 0) + 1, NEW.id FROM front_page_sections;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
