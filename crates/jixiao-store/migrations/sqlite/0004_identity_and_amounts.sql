-- Document identity and amounts in one unit (issue 14, docs/corpus.md).
--
-- `key_scheme` says how `document_key` was made: 1 for publisher|year|layout (which made every
-- table of one department and year a version of the others), 2 for the key that also names the
-- project or the set of projects. Opening a database with rows of an older scheme recomputes their
-- keys, versions and amounts from the stored models (`upgrade_data`), after the backup that every
-- migration of an SQLite file makes.
--
-- Amounts keep the value as published (in the table's `amount_unit`); `wan_factor` is what one
-- unit of the table is in 万元 (NULL when the stated unit is not money; in `document_totals`), and the `*_wan` columns
-- are totals in 万元: exact decimal text, NULL where the table gives no amount (未列金额, not 0).

ALTER TABLE documents ADD COLUMN key_scheme INTEGER NOT NULL DEFAULT 1;
-- In a table of their own: SQLite stores added columns after `model`, and reading them would read
-- every model (its overflow pages) for a report that needs only totals.
CREATE TABLE document_totals (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    wan_factor TEXT,
    -- The table's total in 万元: its 合计, else the sum of its units' 总计, else of its projects'
    -- amounts.
    total_wan TEXT
);
ALTER TABLE units ADD COLUMN total_wan TEXT;
-- The project's amount in 万元: 总计, or a sheet's 资金总额, or a self-evaluation's 年度预算.
ALTER TABLE projects ADD COLUMN total_wan TEXT;
-- Finds the rows an upgrade has still to rekey without reading every row (`key_scheme` is stored
-- after the model, so a scan would read every model); holds nothing once they are rekeyed.
CREATE INDEX documents_old_keys ON documents (id) WHERE key_scheme < 2;
