-- How many stories each account made in each state, kept as stories come, go and move: the
-- newsroom's dashboard shows these counts on every page, and counting a million-story archive's
-- index on each would take a quarter of a second. `created_by` 0 stands for no account
-- (imports, the demo).
CREATE TABLE story_counts (
    created_by BIGINT NOT NULL,
    status TEXT NOT NULL,
    stories BIGINT NOT NULL,
    PRIMARY KEY (created_by, status)
);
INSERT INTO story_counts (created_by, status, stories)
    SELECT COALESCE(created_by, 0), status, COUNT(*) FROM articles GROUP BY 1, 2;

CREATE TRIGGER story_counts_insert AFTER INSERT ON articles
BEGIN
    INSERT INTO story_counts (created_by, status, stories)
        VALUES (COALESCE(NEW.created_by, 0), NEW.status, 1)
        ON CONFLICT (created_by, status) DO UPDATE SET stories = stories + 1;
END;

CREATE TRIGGER story_counts_delete AFTER DELETE ON articles
BEGIN
    UPDATE story_counts SET stories = stories - 1
        WHERE created_by = COALESCE(OLD.created_by, 0) AND status = OLD.status;
END;

CREATE TRIGGER story_counts_update AFTER UPDATE OF status, created_by ON articles
    WHEN OLD.status IS NOT NEW.status OR OLD.created_by IS NOT NEW.created_by
BEGIN
    UPDATE story_counts SET stories = stories - 1
        WHERE created_by = COALESCE(OLD.created_by, 0) AND status = OLD.status;
    INSERT INTO story_counts (created_by, status, stories)
        VALUES (COALESCE(NEW.created_by, 0), NEW.status, 1)
        ON CONFLICT (created_by, status) DO UPDATE SET stories = stories + 1;
END;
