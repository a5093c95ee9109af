-- The corpus: one row per stored version of a document, with its units, projects, indicators,
-- spans and findings. Money is NUMERIC, exact.

CREATE TABLE documents (
    id BIGINT PRIMARY KEY,
    -- Ties the versions of one document together: publisher, year and layout.
    document_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    is_latest BOOLEAN NOT NULL DEFAULT TRUE,
    -- SHA-256 of the source file's bytes, hex; `ordinal` is the table's place in that file.
    content_hash TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    source_file TEXT NOT NULL,
    publisher TEXT,
    year BIGINT,
    layout TEXT NOT NULL,
    title TEXT,
    amount_unit TEXT,
    encoding TEXT NOT NULL,
    grand_total NUMERIC,
    grand_fiscal NUMERIC,
    grand_special_account NUMERIC,
    grand_other NUMERIC,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The whole model as JSON, so fields added to the model later survive a round trip;
    -- Snappy-compressed (raw format), since the JSON of a table is about ten times its source
    -- (every span repeats the file name). Queries read the relational tables, never this.
    model BYTEA NOT NULL,
    UNIQUE (document_key, version),
    UNIQUE (content_hash, ordinal)
);
CREATE INDEX documents_publisher_year ON documents (publisher, year);

CREATE TABLE spans (
    id BIGINT PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    line BIGINT NOT NULL,
    start_byte BIGINT NOT NULL,
    end_byte BIGINT NOT NULL,
    sheet TEXT,
    page BIGINT,
    cell_row BIGINT,
    cell_col BIGINT
);
CREATE INDEX spans_document ON spans (document_id);

CREATE TABLE units (
    id BIGINT PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal BIGINT NOT NULL,
    name TEXT NOT NULL,
    implicit BOOLEAN NOT NULL,
    total NUMERIC,
    fiscal NUMERIC,
    special_account NUMERIC,
    other NUMERIC,
    span_id BIGINT NOT NULL REFERENCES spans (id),
    UNIQUE (document_id, ordinal)
);

CREATE TABLE projects (
    id BIGINT PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    ordinal BIGINT NOT NULL,
    name TEXT NOT NULL,
    goal TEXT,
    total NUMERIC,
    fiscal NUMERIC,
    special_account NUMERIC,
    other NUMERIC,
    span_id BIGINT NOT NULL REFERENCES spans (id),
    UNIQUE (document_id, ordinal)
);
CREATE INDEX projects_unit ON projects (unit_id);
CREATE INDEX projects_name ON projects (name);

CREATE TABLE indicators (
    id BIGINT PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    ordinal BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    level1 TEXT,
    level1_code TEXT,
    level2 TEXT,
    level2_code TEXT,
    level2_inferred BOOLEAN NOT NULL,
    name TEXT NOT NULL,
    -- Values: the raw text as published, then what it was read as. `*_number` is the number with
    -- its scale word applied (1.2万 → 12000).
    annual_raw TEXT,
    annual_kind TEXT,
    annual_comparator TEXT,
    annual_number NUMERIC,
    annual_unit TEXT,
    period_raw TEXT,
    period_kind TEXT,
    period_comparator TEXT,
    period_number NUMERIC,
    period_unit TEXT,
    span_id BIGINT NOT NULL REFERENCES spans (id),
    UNIQUE (project_id, ordinal)
);
CREATE INDEX indicators_document ON indicators (document_id);

CREATE TABLE findings (
    id BIGINT PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    indicator_id BIGINT REFERENCES indicators (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
    message TEXT NOT NULL,
    help TEXT NOT NULL,
    span_id BIGINT NOT NULL REFERENCES spans (id)
);
CREATE INDEX findings_document ON findings (document_id);
CREATE INDEX findings_project ON findings (project_id);
