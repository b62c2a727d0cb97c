-- Whether editors ever arranged the front page is asked at each re-imported sticky post: an
-- index answers without reading the whole log.
CREATE INDEX audit_log_by_action ON audit_log (action, id);
