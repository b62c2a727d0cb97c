-- A story's words for search engines and shared links, where they differ from its page's: the
-- `<title>` and structured data's headline, and the shared link card's headline and description.
-- Empty means the headline and standfirst stand in. An update of the row logs the story already.
ALTER TABLE articles ADD COLUMN search_headline TEXT;
ALTER TABLE articles ADD COLUMN social_headline TEXT;
ALTER TABLE articles ADD COLUMN social_description TEXT;
