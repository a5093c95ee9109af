-- Review state of a finding, for reviewers working through a corpus (the web app).

ALTER TABLE findings ADD COLUMN review_state TEXT NOT NULL DEFAULT 'open'
    CHECK (review_state IN ('open', 'accepted', 'dismissed'));
ALTER TABLE findings ADD COLUMN reviewed_by TEXT;
ALTER TABLE findings ADD COLUMN reviewed_at TEXT;
ALTER TABLE findings ADD COLUMN review_comment TEXT;
CREATE INDEX findings_code ON findings (code, severity);
