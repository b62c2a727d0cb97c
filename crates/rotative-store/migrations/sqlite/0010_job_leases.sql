-- Which instance runs each background job (scheduled publishing, resized copies), until when:
-- a job runs on one instance at a time, and the job of an instance that died is taken over by
-- another once its lease runs out.
CREATE TABLE job_leases (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
