-- Editors manage sections: a description shown on the section's page and in its feeds, and
-- whether the navigation lists it (a hidden section keeps its page and its stories).
ALTER TABLE sections ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE sections ADD COLUMN in_navigation BIGINT NOT NULL DEFAULT 1;

-- Slugs a section had before a rename or a merge: every address under `/{old_slug}/` (its page,
-- later pages, feeds, its stories) answers 301 with the same address under the slug the section
-- has now. A move names the section, not its slug of the moment, so a second rename needs no
-- chain.
CREATE TABLE section_moves (
    old_slug TEXT PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES sections (id) ON DELETE CASCADE
);

DROP TRIGGER sections_log_update ON sections;
CREATE TRIGGER sections_log_update AFTER UPDATE ON sections
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug
                       OR OLD.position IS DISTINCT FROM NEW.position
                       OR OLD.description IS DISTINCT FROM NEW.description
                       OR OLD.in_navigation IS DISTINCT FROM NEW.in_navigation)
    EXECUTE FUNCTION log_site_change();
CREATE TRIGGER sections_log_delete AFTER DELETE ON sections
    FOR EACH ROW EXECUTE FUNCTION log_site_change();
