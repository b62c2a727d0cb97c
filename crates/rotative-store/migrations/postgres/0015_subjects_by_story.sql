-- A subject's stories, newest first, read from the index alone: a story's related stories are
-- picked among the latest of each of its subjects without reading every story they hold.
DROP INDEX article_tags_by_tag;
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id DESC);
