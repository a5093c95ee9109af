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
    id INTEGER PRIMARY KEY,
    help TEXT NOT NULL UNIQUE
);
INSERT INTO finding_helps (help) SELECT DISTINCT help FROM findings ORDER BY help;
-- No foreign keys to the two lookup tables: nothing deletes from them, and each imported row
-- would pay a lookup for the check.
ALTER TABLE findings ADD COLUMN help_id INTEGER;
UPDATE findings SET help_id = (SELECT h.id FROM finding_helps h WHERE h.help = findings.help);
ALTER TABLE findings DROP COLUMN help;

CREATE TABLE indicator_categories (
    id INTEGER PRIMARY KEY,
    level1 TEXT,
    level1_code TEXT,
    level2 TEXT,
    level2_code TEXT
);
INSERT INTO indicator_categories (level1, level1_code, level2, level2_code)
    SELECT DISTINCT level1, level1_code, level2, level2_code FROM indicators
    ORDER BY level1, level1_code, level2, level2_code;
ALTER TABLE indicators ADD COLUMN category_id INTEGER;
UPDATE indicators SET category_id = (
    SELECT c.id FROM indicator_categories c
    WHERE c.level1 IS indicators.level1 AND c.level1_code IS indicators.level1_code
      AND c.level2 IS indicators.level2 AND c.level2_code IS indicators.level2_code
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
