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

DROP TRIGGER sections_log_update;
CREATE TRIGGER sections_log_update AFTER UPDATE ON sections
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug OR OLD.position IS NOT NEW.position
    OR OLD.description IS NOT NEW.description OR OLD.in_navigation IS NOT NEW.in_navigation
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER sections_log_delete AFTER DELETE ON sections
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
