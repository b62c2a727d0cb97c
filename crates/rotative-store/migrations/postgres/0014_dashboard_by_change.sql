-- The newsroom's dashboard lists stories by their last change: everyone's, one state's, or one
-- account's. Read along these indexes, a page of a large archive is a short walk, not a sort of
-- every story.
CREATE INDEX articles_by_change ON articles (updated_at DESC, id DESC);
CREATE INDEX articles_by_status_change ON articles (status, updated_at DESC, id DESC);
CREATE INDEX articles_by_creator_change ON articles (created_by, updated_at DESC, id DESC);
