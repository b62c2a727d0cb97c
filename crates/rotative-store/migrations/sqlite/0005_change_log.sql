-- Every change to a story, in order: caches and the search index follow this log, so a change
-- made by any process (a server, an import) reaches them all.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL,
    at BIGINT NOT NULL
);

CREATE TRIGGER articles_log_insert AFTER INSERT ON articles
BEGIN
    INSERT INTO change_log (article_id, at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER articles_log_update AFTER UPDATE ON articles
BEGIN
    INSERT INTO change_log (article_id, at) VALUES (NEW.id, CAST(strftime('%s', 'now') AS INTEGER));
END;

INSERT INTO change_log (article_id, at) SELECT id, CAST(strftime('%s', 'now') AS INTEGER) FROM articles;
