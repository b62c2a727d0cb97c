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

-- Once per statement, over the rows it changed (transition tables, which only the trigger's
-- own function sees): one upsert per account and state, taken in the key's order so that two
-- transactions moving stories cannot lock the counts crosswise.
CREATE FUNCTION count_stories_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO story_counts (created_by, status, stories)
        SELECT created_by, status, SUM(delta) FROM (SELECT COALESCE(created_by, 0) AS created_by, status, 1 AS delta FROM changed_new) AS deltas
        GROUP BY created_by, status ORDER BY created_by, status
    ON CONFLICT (created_by, status) DO UPDATE SET stories = story_counts.stories + EXCLUDED.stories;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION count_stories_deleted() RETURNS trigger AS $$
BEGIN
    INSERT INTO story_counts (created_by, status, stories)
        SELECT created_by, status, SUM(delta) FROM (SELECT COALESCE(created_by, 0) AS created_by, status, -1 AS delta FROM changed_old) AS deltas
        GROUP BY created_by, status ORDER BY created_by, status
    ON CONFLICT (created_by, status) DO UPDATE SET stories = story_counts.stories + EXCLUDED.stories;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION count_stories_updated() RETURNS trigger AS $$
BEGIN
    INSERT INTO story_counts (created_by, status, stories)
        SELECT created_by, status, SUM(delta) FROM (
            SELECT COALESCE(o.created_by, 0) AS created_by, o.status, -1 AS delta
            FROM changed_old o JOIN changed_new n ON n.id = o.id
            WHERE o.status <> n.status OR o.created_by IS DISTINCT FROM n.created_by
            UNION ALL
            SELECT COALESCE(n.created_by, 0), n.status, 1
            FROM changed_old o JOIN changed_new n ON n.id = o.id
            WHERE o.status <> n.status OR o.created_by IS DISTINCT FROM n.created_by) AS deltas
        GROUP BY created_by, status ORDER BY created_by, status
    ON CONFLICT (created_by, status) DO UPDATE SET stories = story_counts.stories + EXCLUDED.stories;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_count_inserted AFTER INSERT ON articles
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION count_stories_inserted();
CREATE TRIGGER articles_count_deleted AFTER DELETE ON articles
    REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION count_stories_deleted();
CREATE TRIGGER articles_count_updated AFTER UPDATE ON articles
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION count_stories_updated();
