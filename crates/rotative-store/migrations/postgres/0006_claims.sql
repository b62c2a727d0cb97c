-- The claim a fact-check examines, who made it, and the verdict.
ALTER TABLE articles ADD COLUMN claim_text TEXT;
ALTER TABLE articles ADD COLUMN claim_author TEXT;
ALTER TABLE articles ADD COLUMN claim_rating TEXT;
