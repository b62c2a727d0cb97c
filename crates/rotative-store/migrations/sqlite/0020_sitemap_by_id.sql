-- Sitemaps list the published stories by runs of ids (50,000 ids a sitemap, so none holds more
-- than 50,000 addresses). This index holds all they read, so a sitemap is one range of it: the
-- stories' rows, whose bodies come before their dates, are never read.
CREATE INDEX articles_sitemap ON articles (id, status, published_at, updated_at, path);
