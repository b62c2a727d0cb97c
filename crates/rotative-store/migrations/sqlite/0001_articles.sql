-- Times are Unix seconds (UTC) in BIGINT columns so both back ends sort and compare them alike.
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    bio TEXT
);

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    storage_key TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    byte_size BIGINT NOT NULL,
    original_name TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    path TEXT UNIQUE,
    section_id BIGINT NOT NULL REFERENCES sections (id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    headline TEXT NOT NULL,
    standfirst TEXT,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    lead_media_id BIGINT REFERENCES media (id),
    lead_alt TEXT,
    lead_caption TEXT,
    lead_credit TEXT,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX articles_by_status_date ON articles (status, published_at DESC);
CREATE INDEX articles_by_section_date ON articles (section_id, status, published_at DESC);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id);

CREATE TABLE article_authors (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES authors (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_by_author ON article_authors (author_id);

-- Every save of a story, oldest first; the articles row is the latest one.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    headline TEXT NOT NULL,
    standfirst TEXT,
    body_markdown TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX revisions_by_article ON revisions (article_id, id);
