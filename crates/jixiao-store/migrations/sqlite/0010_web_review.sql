-- The web app (jixiao serve): accounts, sessions and API tokens; the review workflow (a status
-- per document version, a grade per project); and the audit log every review action writes to.
-- Times are UTC RFC 3339 text written by the application, the same on both backends.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'guest')),
    -- PHC string (argon2id, with its salt and parameters).
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Only SHA-256 hashes of session and API tokens are stored: a leaked database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE document_reviews (
    document_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'in_review', 'reviewed', 'returned')),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE project_grades (
    project_id BIGINT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    grade TEXT NOT NULL CHECK (grade IN ('优', '良', '中', '差')),
    suggested TEXT NOT NULL CHECK (suggested IN ('优', '良', '中', '差')),
    reason TEXT,
    graded_by TEXT NOT NULL,
    graded_at TEXT NOT NULL
);

-- One row per action; never updated or deleted by the application.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_name TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    reason TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
