-- Facts about the site itself that outlive any one process (for example, whether demo content
-- was already offered, so deleting every story does not bring the demo back).
CREATE TABLE site_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
