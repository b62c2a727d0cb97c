-- A digest of what a writer saved last (text, section, subjects, bylines, sources, claim): a
-- save that brings the same content again changes nothing, even from an older revision, so a
-- form's post and the save its page sends when it is left never both apply (or conflict).
ALTER TABLE articles ADD COLUMN content_fingerprint TEXT;
