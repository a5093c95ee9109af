-- A smaller corpus file (issue 18: the file was 2.8 times its input; docs/benchmarks.md).
--
-- * Findings' advice (`help`) is fixed text per rule and situation: a few hundred texts over
--   hundreds of thousands of findings. Each text is kept once, in `finding_helps`.
-- * An indicator's 一级/二级 categories (canonical names and codes) are a handful of
--   combinations: kept once each, in `indicator_categories`.
-- * Columns nothing reads: `projects.goal` and the `period_*` columns but `period_raw` (the
--   project's goal and the period value's reading stay in the stored model, which the web
--   pages and the search index read).

CREATE TABLE finding_helps (
    id BIGINT PRIMARY KEY,
    help TEXT NOT NULL UNIQUE
);
INSERT INTO finding_helps (id, help)
    SELECT ROW_NUMBER() OVER (ORDER BY help), help FROM (SELECT DISTINCT help FROM findings) h;
-- No foreign keys to the two lookup tables: PostgreSQL would check every imported row with a
-- locking lookup (migration 0013), and nothing deletes from them.
ALTER TABLE findings ADD COLUMN help_id BIGINT;
UPDATE findings SET help_id = (SELECT h.id FROM finding_helps h WHERE h.help = findings.help);
ALTER TABLE findings DROP COLUMN help;

CREATE TABLE indicator_categories (
    id BIGINT PRIMARY KEY,
    level1 TEXT,
    level1_code TEXT,
    level2 TEXT,
    level2_code TEXT
);
INSERT INTO indicator_categories (id, level1, level1_code, level2, level2_code)
    SELECT ROW_NUMBER() OVER (ORDER BY level1, level1_code, level2, level2_code),
           level1, level1_code, level2, level2_code
    FROM (SELECT DISTINCT level1, level1_code, level2, level2_code FROM indicators) c;
ALTER TABLE indicators ADD COLUMN category_id BIGINT;
UPDATE indicators SET category_id = (
    SELECT c.id FROM indicator_categories c
    WHERE c.level1 IS NOT DISTINCT FROM indicators.level1 AND c.level1_code IS NOT DISTINCT FROM indicators.level1_code
      AND c.level2 IS NOT DISTINCT FROM indicators.level2 AND c.level2_code IS NOT DISTINCT FROM indicators.level2_code
);
ALTER TABLE indicators DROP COLUMN level1;
ALTER TABLE indicators DROP COLUMN level1_code;
ALTER TABLE indicators DROP COLUMN level2;
ALTER TABLE indicators DROP COLUMN level2_code;
ALTER TABLE indicators DROP COLUMN period_kind;
ALTER TABLE indicators DROP COLUMN period_comparator;
ALTER TABLE indicators DROP COLUMN period_number;
ALTER TABLE indicators DROP COLUMN period_unit;

ALTER TABLE projects DROP COLUMN goal;
