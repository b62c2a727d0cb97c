-- The dashboard lists a section's stories by their last change: this index gives them in that
-- order, so a small section of a large archive is read alone. (A byline's stories are found by
-- `article_authors_by_author`, few enough to sort.)
CREATE INDEX articles_by_section_change ON articles (section_id, updated_at DESC, id DESC);
