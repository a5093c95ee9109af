-- The corpus: one row per stored version of a document, with its units, projects, indicators,
-- spans and findings. Money is TEXT holding the canonical decimal string (never REAL); sums are
-- done in Rust with rust_decimal.

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    -- Ties the versions of one document together: publisher, year and layout.
    document_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    is_latest INTEGER NOT NULL DEFAULT 1 CHECK (is_latest IN (0, 1)),
    -- SHA-256 of the source file's bytes, hex; `ordinal` is the table's place in that file.
    content_hash TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    publisher TEXT,
    year INTEGER,
    layout TEXT NOT NULL,
    title TEXT,
    amount_unit TEXT,
    encoding TEXT NOT NULL,
    grand_total TEXT,
    grand_fiscal TEXT,
    grand_special_account TEXT,
    grand_other TEXT,
    imported_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The whole model as JSON, so fields added to the model later survive a round trip;
    -- Snappy-compressed (raw format), since the JSON of a table is about ten times its source
    -- (every span repeats the file name). Queries read the relational tables, never this.
    model BLOB NOT NULL,
    UNIQUE (document_key, version),
    UNIQUE (content_hash, ordinal)
);
CREATE INDEX documents_publisher_year ON documents (publisher, year);

CREATE TABLE spans (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte INTEGER NOT NULL,
    sheet TEXT,
    page INTEGER,
    cell_row INTEGER,
    cell_col INTEGER
);
CREATE INDEX spans_document ON spans (document_id);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    name TEXT NOT NULL,
    implicit INTEGER NOT NULL CHECK (implicit IN (0, 1)),
    total TEXT,
    fiscal TEXT,
    special_account TEXT,
    other TEXT,
    span_id INTEGER NOT NULL REFERENCES spans (id),
    UNIQUE (document_id, ordinal)
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    name TEXT NOT NULL,
    goal TEXT,
    total TEXT,
    fiscal TEXT,
    special_account TEXT,
    other TEXT,
    span_id INTEGER NOT NULL REFERENCES spans (id),
    UNIQUE (document_id, ordinal)
);
CREATE INDEX projects_unit ON projects (unit_id);
CREATE INDEX projects_name ON projects (name);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    level1 TEXT,
    level1_code TEXT,
    level2 TEXT,
    level2_code TEXT,
    level2_inferred INTEGER NOT NULL CHECK (level2_inferred IN (0, 1)),
    name TEXT NOT NULL,
    -- Values: the raw text as published, then what it was read as. `*_number` is the number with
    -- its scale word applied (1.2万 → 12000), as a canonical decimal string.
    annual_raw TEXT,
    annual_kind TEXT,
    annual_comparator TEXT,
    annual_number TEXT,
    annual_unit TEXT,
    period_raw TEXT,
    period_kind TEXT,
    period_comparator TEXT,
    period_number TEXT,
    period_unit TEXT,
    span_id INTEGER NOT NULL REFERENCES spans (id),
    UNIQUE (project_id, ordinal)
);
CREATE INDEX indicators_document ON indicators (document_id);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    indicator_id INTEGER REFERENCES indicators (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    message TEXT NOT NULL,
    help TEXT NOT NULL,
    span_id INTEGER NOT NULL REFERENCES spans (id)
);
CREATE INDEX findings_document ON findings (document_id);
CREATE INDEX findings_project ON findings (project_id);
