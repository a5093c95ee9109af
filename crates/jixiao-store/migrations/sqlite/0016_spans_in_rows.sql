-- Each source span in the row it belongs to (issue 18: an import wrote a `spans` row, with its
-- own id, B-tree entry and insert, for every unit, project, indicator and finding, and the row
-- a `span_id` pointing at it; 871,000 span rows for the 684,000 indicators of the generated
-- 100 MB corpus; docs/benchmarks.md). A span belongs to exactly one row and is read only with it,
-- so its columns are now that row's: `span_line`, `span_start` and `span_end` (the line and the
-- byte range in the document's source), `span_sheet`, `span_page`, `span_row` and `span_col`
-- (the cell, for spreadsheets and PDFs; NULL otherwise).
--
-- The defaults are there because SQLite adds a NOT NULL column only with one; every row gets its
-- span's values below, and every insert names them. Dropping `span_id` takes its reference to
-- `spans` along, so dropping `spans` afterwards deletes nothing else.

ALTER TABLE units ADD COLUMN span_line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN span_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE units ADD COLUMN span_sheet TEXT;
ALTER TABLE units ADD COLUMN span_page INTEGER;
ALTER TABLE units ADD COLUMN span_row INTEGER;
ALTER TABLE units ADD COLUMN span_col INTEGER;
UPDATE units SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = units.span_id;
ALTER TABLE units DROP COLUMN span_id;

ALTER TABLE projects ADD COLUMN span_line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN span_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN span_sheet TEXT;
ALTER TABLE projects ADD COLUMN span_page INTEGER;
ALTER TABLE projects ADD COLUMN span_row INTEGER;
ALTER TABLE projects ADD COLUMN span_col INTEGER;
UPDATE projects SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = projects.span_id;
ALTER TABLE projects DROP COLUMN span_id;

ALTER TABLE indicators ADD COLUMN span_line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN span_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE indicators ADD COLUMN span_sheet TEXT;
ALTER TABLE indicators ADD COLUMN span_page INTEGER;
ALTER TABLE indicators ADD COLUMN span_row INTEGER;
ALTER TABLE indicators ADD COLUMN span_col INTEGER;
UPDATE indicators SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = indicators.span_id;
ALTER TABLE indicators DROP COLUMN span_id;

ALTER TABLE findings ADD COLUMN span_line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN span_start INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN span_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN span_sheet TEXT;
ALTER TABLE findings ADD COLUMN span_page INTEGER;
ALTER TABLE findings ADD COLUMN span_row INTEGER;
ALTER TABLE findings ADD COLUMN span_col INTEGER;
UPDATE findings SET span_line = s.line, span_start = s.start_byte, span_end = s.end_byte,
    span_sheet = s.sheet, span_page = s.page, span_row = s.cell_row, span_col = s.cell_col
    FROM spans s WHERE s.id = findings.span_id;
ALTER TABLE findings DROP COLUMN span_id;

DROP TABLE spans;
