-- The site's pages (about, legal notice, contact): written and published as stories are, but at
-- `/{slug}/`, in no listing, feed or search, and listed in every page's footer where editors put
-- them (`footer_position`, from 1; none: not in the footer).
ALTER TABLE articles ADD COLUMN is_page BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN footer_position BIGINT;

-- Every listing leaves pages out, still along one index: the whole site's and a section's.
DROP INDEX articles_by_status_date;
CREATE INDEX articles_by_status_date ON articles (status, is_page, published_at DESC);
DROP INDEX articles_by_section_date;
CREATE INDEX articles_by_section_date ON articles (section_id, status, is_page, published_at DESC);

-- Every page shows the footer: what changes it is a change to the whole site.
CREATE TRIGGER articles_log_footer AFTER UPDATE ON articles
WHEN OLD.footer_position IS NOT NEW.footer_position
    OR (NEW.footer_position IS NOT NULL
        AND (OLD.headline IS NOT NEW.headline OR OLD.status IS NOT NEW.status
             OR OLD.path IS NOT NEW.path OR OLD.published_at IS NOT NEW.published_at))
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER articles_log_footer_insert AFTER INSERT ON articles
WHEN NEW.footer_position IS NOT NULL AND NEW.status = 'published'
BEGIN
    INSERT INTO change_log (subject, subject_id, at)
    VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- WordPress pages an earlier import made into stories (its `?page_id=` address leads to them)
-- become pages, at `/{slug}/`, unless that address is a section's or the site's own; their former
-- address, and every redirect that led there, now lead to the new one.
UPDATE articles SET is_page = 1
WHERE status = 'published'
    AND path IN (SELECT target FROM redirects WHERE substr(old, 1, 10) = '/?page_id=')
    AND slug NOT IN (SELECT slug FROM sections)
    AND slug NOT IN (SELECT old_slug FROM section_moves)
    AND slug NOT IN ('api', 'auteur', 'corrections', 'feed', 'healthz', 'media', 'metrics',
                     'readyz', 'recherche', 'redaction', 'sitemaps', 'sujet', 'theme', 'wp-admin',
                     'wp-content', 'wp-includes', 'wp-json')
    AND NOT EXISTS (SELECT 1 FROM articles other WHERE other.path = '/' || articles.slug || '/');
UPDATE redirects SET target = (SELECT '/' || a.slug || '/' FROM articles a
                               WHERE a.is_page = 1 AND a.path = redirects.target)
WHERE target IN (SELECT path FROM articles WHERE is_page = 1);
INSERT INTO redirects (old, target, origin, created_at)
SELECT path, '/' || slug || '/', 'story', CAST(strftime('%s', 'now') AS INTEGER)
FROM articles WHERE is_page = 1
ON CONFLICT (old) DO UPDATE SET target = excluded.target, origin = 'story';
UPDATE articles SET path = '/' || slug || '/' WHERE is_page = 1;
-- Those not published (drafts, scheduled) have no redirect yet: the import filed WordPress's
-- pages, and only them, under « Pages ».
UPDATE articles SET is_page = 1
WHERE status <> 'published' AND path IS NULL
    AND section_id IN (SELECT id FROM sections WHERE slug = 'pages')
    AND id IN (SELECT article_id FROM imported_items WHERE source = 'wordpress');
-- What a page does not have: a kind of journalism, bylines, subjects.
UPDATE articles SET kind = 'news' WHERE is_page = 1;
DELETE FROM article_authors WHERE article_id IN (SELECT id FROM articles WHERE is_page = 1);
-- A page at the address it had on WordPress (`/about/`) needs no redirect to itself.
DELETE FROM redirects WHERE old = target;
DELETE FROM article_tags WHERE article_id IN (SELECT id FROM articles WHERE is_page = 1);
INSERT INTO change_log (subject, subject_id, at)
VALUES ('site', 0, CAST(strftime('%s', 'now') AS INTEGER));
