-- Addresses of a site Rotative replaced, each answered with a permanent redirect to its new
-- address: `old` is the path with its query as the old site wrote it (`/?p=19`, `/2008/10/x/`).
CREATE TABLE redirects (
    old TEXT PRIMARY KEY,
    target TEXT NOT NULL
);

-- What an import brought in, by its id in the source, so a second run changes nothing.
CREATE TABLE imported_items (
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    article_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    PRIMARY KEY (source, source_id)
);
