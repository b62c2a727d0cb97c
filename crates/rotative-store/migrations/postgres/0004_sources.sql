-- What each story relies on: labelled links shown to readers.
CREATE TABLE article_sources (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
