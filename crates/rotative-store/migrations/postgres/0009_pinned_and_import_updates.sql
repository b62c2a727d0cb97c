-- A story an editor pinned stays at the top of the home page; the newest pin comes first.
ALTER TABLE articles ADD COLUMN pinned_at BIGINT;
CREATE INDEX articles_pinned ON articles (pinned_at) WHERE pinned_at IS NOT NULL;

-- What the source said when it was last imported, and the revision that import wrote: a rerun
-- updates a story whose source changed, unless the newsroom has edited it since.
ALTER TABLE imported_items ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE imported_items ADD COLUMN revision_id BIGINT;
