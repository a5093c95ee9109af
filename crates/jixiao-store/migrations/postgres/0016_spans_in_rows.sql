-- Each source span in the row it belongs to (issue 18: an import wrote a `spans` row, with its
-- own id, B-tree entry and insert, for every unit, project, indicator and finding, and the row
-- a `span_id` pointing at it; 871,000 span rows for the 684,000 indicators of the generated
-- 100 MB corpus; docs/benchmarks.md). A span belongs to exactly one row and is read only with it,
-- so its columns are now that row's: `span_line`, `span_start` and `span_end` (the line and the
-- byte range in the document's source), `span_sheet`, `span_page`, `span_row` and `span_col`
-- (the cell, for spreadsheets and PDFs; NULL otherwise).
--
-- The defaults only let the columns be added NOT NULL (as on SQLite); every row gets its span's
-- values below, and every insert names them. The statement triggers of migration 0015 delete a
-- document's rows without `spans` from now on.

ALTER TABLE units ADD COLUMN span_line BIGINT NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN span_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN span_end BIGINT NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN span_sheet TEXT;
ALTER TABLE units ADD COLUMN span_page BIGINT;
ALTER TABLE units ADD COLUMN span_row BIGINT;
ALTER TABLE units ADD COLUMN span_col BIGINT;
UPDATE units SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = units.span_id;
ALTER TABLE units DROP COLUMN span_id;

ALTER TABLE projects ADD COLUMN span_line BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN span_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN span_end BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN span_sheet TEXT;
ALTER TABLE projects ADD COLUMN span_page BIGINT;
ALTER TABLE projects ADD COLUMN span_row BIGINT;
ALTER TABLE projects ADD COLUMN span_col BIGINT;
UPDATE projects SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = projects.span_id;
ALTER TABLE projects DROP COLUMN span_id;

ALTER TABLE indicators ADD COLUMN span_line BIGINT NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN span_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN span_end BIGINT NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN span_sheet TEXT;
ALTER TABLE indicators ADD COLUMN span_page BIGINT;
ALTER TABLE indicators ADD COLUMN span_row BIGINT;
ALTER TABLE indicators ADD COLUMN span_col BIGINT;
UPDATE indicators SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = indicators.span_id;
ALTER TABLE indicators DROP COLUMN span_id;

ALTER TABLE findings ADD COLUMN span_line BIGINT NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN span_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN span_end BIGINT NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN span_sheet TEXT;
ALTER TABLE findings ADD COLUMN span_page BIGINT;
ALTER TABLE findings ADD COLUMN span_row BIGINT;
ALTER TABLE findings ADD COLUMN span_col BIGINT;
UPDATE findings SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = findings.span_id;
ALTER TABLE findings DROP COLUMN span_id;

DROP TABLE spans;

CREATE OR REPLACE FUNCTION jixiao_documents_deleted() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM findings WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM indicators WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM projects WHERE document_id IN (SELECT id FROM gone);
    DELETE FROM units WHERE document_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
